"""ga-relu against the methods users would otherwise pick, on one problem (P) (issue 14, item 6).

Two-spiral data of Wang et al. (2-D, n = 160, labels +-1, squared loss), weight decay (l2), a bias
on every neuron, no output intercept (pyscnn's networks have none, so (P) is taken without it for
every method):

    (P)  min  ||f(X) - y||^2 / 2 + (beta / 2) sum_j (||w_j||_2^2 + alpha_j^2).

Each network's objective is computed by ONE function, ga_relu's ``Problem.objective``, and its
certificate ratio max over neurons of |lambda . relu(X w + b)| / beta (1 at the optimum) by
``ga_relu.certify``. Methods, timed in one run:

* ga-relu: ``fit(method="exact_colgen")`` when registered (the certified optimum of (P)), and the
  full wedge dictionary (``method="wedge"``: an upper bound, theorem T4);
* the randomized-subset method of Wang et al.: the wedge Lasso on ``subsets=k`` sampled lines;
* pilancilab's convex ReLU solver (PyPI ``pyscnn``, imported as ``scnn``; the PyPI package named
  ``scnn`` is unrelated): ``optimize("relu", max_neurons, ...)`` with the group-l1 regularizer
  NeuronGL1 and ``bias=True``, and the ReLU network it returns for its convex solution
  (``model.parameters`` = [W1 (p, d), b1 (p,), W2 (1, p)], f = relu(X W1^T + b1) W2^T), balanced
  by rescaling each neuron (the function does not change, the penalty can only drop).
  **The scaling, from pyscnn 0.0.10's source**: the convex objective is
  ``squared_error(f, y) / (2 * n * c)`` (``scnn/private/models/convex/al/al_mlp.py``, ``_objective``
  with ``scaling = n`` from ``Model.objective`` and c = 1 output) plus ``lam * sum_i ||U_i||_2``
  (``regularizers.NeuronGL1``, a group-l1 over the neurons' rows); ``bias=True`` appends a column of
  ones to X (``private/interface/data.py``, ``process_data``), so each row U_i = (w_i, b_i) and the
  bias is penalized with w. Times n this is ||f - y||^2 / 2 + n lam sum ||(w_i, b_i)||, ours with
  ||w_i|| in place of ||(w_i, b_i)||: lam = beta / n gives the same loss weight and a penalty that is
  never smaller than ours, so its optimum is an upper bound on ours and the common objective
  decides. The benchmark prints pyscnn's own final objective times n beside it, as the check of
  that scaling. Skipped, with a message, when ``scnn`` is not installed
  (``pip install ga-relu[bench]``);
* the library's Adam baseline (``ga_relu.baselines.gradient.train_gradient``).

    python benchmarks/bench_peers.py [--n 160] [--beta 0.01] [--subsets 1000] [--width 50]
        [--max-neurons 200] [--skip-wedge] [--skip-exact]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from bench_colgen import machine

import ga_relu
from ga_relu.convex.problem import Problem
from ga_relu.errors import GaReluError
from ga_relu.networks.relu import ReLUNetwork


def row(name, seconds, cpu, network, problem, X, y, beta, note=""):
    """One line: wall and CPU seconds (CPU time is the fairer figure on a loaded machine), the common
    objective (``Problem.objective``), the certificate ratio of the network (``ga_relu.certify``:
    exhaustive, exact for weight decay in the plane) and its seconds. With a bias the constant is
    free in (P) (a neuron w -> 0 with a large bias costs nothing in the limit), so a network whose
    constant is not at its optimum has sum(lambda) != 0 and ratio inf; the ratio after setting the
    constant to mean(y - f) is printed then too (that network's objective in brackets)."""
    objective = problem.objective(network)

    def ratio_of(net):
        try:
            start = time.perf_counter()
            cert = ga_relu.certify(net, X, y, beta=beta, penalty="l2", bias=True, fit_intercept=False)
            return f"{cert.ratio:.8f} ({time.perf_counter() - start:.2f} s)"
        except GaReluError as exc:
            return f"certify failed: {str(exc)[:60]}"

    ratio = ratio_of(network)
    if ratio.startswith("inf"):
        shifted = ReLUNetwork(network.W, network.b, network.alpha, network.c + float(np.mean(y - network(X))))
        ratio += f"; with the optimal constant {ratio_of(shifted)} [{problem.objective(shifted):.10g}]"
    print(f"  {name:<36}{seconds:>9.1f}{cpu:>9.1f}{objective:>16.10g}  {ratio}  {note}", flush=True)
    return objective


def pyscnn_network(X, y, beta, max_neurons, seed):
    """pyscnn's convex ReLU fit as a balanced ReLUNetwork and pyscnn's own final objective times n,
    or None when pyscnn is not installed (module docstring: lam = beta / n)."""
    try:
        from scnn.optimize import optimize
        from scnn.regularizers import NeuronGL1
    except ImportError:
        return None
    n = len(y)
    model, metrics = optimize("relu", max_neurons, X, y, regularizer=NeuronGL1(beta / n), bias=True,
                              unitize_data=False, dtype="float64", seed=seed)
    W1, b1, W2 = (np.asarray(p, dtype=float) for p in model.parameters)
    alpha = W2.reshape(-1)
    norms = np.linalg.norm(W1, axis=1)
    keep = (norms > 0) & (alpha != 0)
    # balanced: relu is positively homogeneous, so (t w, t b, alpha / t) is the same function, and
    # t = sqrt(|alpha| / ||w||) minimizes (||t w||^2 + (alpha / t)^2) / 2
    t = np.sqrt(np.abs(alpha[keep]) / norms[keep])
    network = ReLUNetwork(W1[keep] * t[:, None], b1[keep] * t, alpha[keep] / t, 0.0)
    own = float(np.asarray(metrics.objective)[-1]) * n if len(getattr(metrics, "objective", [])) else float("nan")
    return network, own


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=160)
    parser.add_argument("--beta", type=float, default=1e-2)
    parser.add_argument("--subsets", type=int, default=1000)
    parser.add_argument("--width", type=int, default=50, help="Adam's hidden width")
    parser.add_argument("--max-neurons", type=int, default=200, help="pyscnn's neurons (half as many gates)")
    parser.add_argument("--skip-exact", action="store_true")
    parser.add_argument("--skip-wedge", action="store_true", help="skip the full wedge dictionary (~n^2/2 lines)")
    args = parser.parse_args()
    X, y = ga_relu.make_spiral(args.n)
    beta = args.beta
    problem = Problem(X, y, beta=beta, penalty="l2", bias=True, fit_intercept=False)
    print("benchmark: peers on the two-spiral data")
    print(machine())
    print(f"  n = {args.n}, beta = {beta:g}, l2, bias, squared loss, no intercept")
    print(f"  {'method':<36}{'wall (s)':>9}{'CPU (s)':>9}{'objective (P)':>16}  certificate ratio (its time)")
    from ga_relu.convex.methods import registered_methods

    fits = [(f"subsets={args.subsets}", {"subsets": args.subsets, "random_state": 0})]
    if not args.skip_wedge:
        fits.insert(0, ("wedge", {}))
    if "exact_colgen" in registered_methods() and not args.skip_exact:
        fits.insert(0, ("exact_colgen", {}))
    exact_objective = None
    for name, options in fits:
        method = name if not name.startswith("subsets") else "wedge"
        start, cpu = time.perf_counter(), time.process_time()
        try:
            fit = ga_relu.fit(X, y, beta=beta, penalty="l2", fit_intercept=False, method=method, **options)
        except GaReluError as exc:
            print(f"  ga-relu {name:<28}{time.perf_counter() - start:>9.1f}  failed: {str(exc)[:80]}")
            continue
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        note = ""
        if name == "exact_colgen":
            info = fit.info
            note = (f"[{info['rounds']} rounds, {info['n_patterns']} patterns, proved gap {info['gap_bound']:.2g} "
                    f"(relative {info['relative_gap_bound']:.2g}); "
                    + ", ".join(f"{k} {v:.1f} s" for k, v in info.get("seconds", {}).items()) + "]")
        objective = row(f"ga-relu {name}", seconds, cpu, fit.network, problem, X, y, beta, note)
        if name == "exact_colgen":
            exact_objective = objective
    start, cpu = time.perf_counter(), time.process_time()
    found = pyscnn_network(X, y, beta, args.max_neurons, seed=0)
    if found is None:
        print("  pyscnn: not installed, skipped (pip install 'ga-relu[bench]' or pip install pyscnn)")
    else:
        net, own = found
        row(f"pyscnn ConvexReLU ({args.max_neurons} neurons)", time.perf_counter() - start, time.process_time() - cpu, net, problem, X, y, beta,
            f"[its own objective x n: {own:.8g}, bias penalized too]")
    from ga_relu.baselines.gradient import train_gradient

    start, cpu = time.perf_counter(), time.process_time()
    adam = train_gradient(X, y, width=args.width, beta=beta, penalty="l2", bias=True, fit_intercept=False, n_init=3,
                          steps=3000, random_state=0)
    best = int(np.argmin(adam.objectives))
    row(f"Adam (width {args.width}, best of 3)", time.perf_counter() - start, time.process_time() - cpu, adam.networks[best], problem, X, y, beta)
    if exact_objective is not None:
        print(f"  every other objective is >= the certified optimum {exact_objective:.10g} (weak duality)")
    print("after the run:")
    print(machine())


if __name__ == "__main__":
    main()
