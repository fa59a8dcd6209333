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
  NeuronGL1, the ReLU network it returns for its convex solution (balanced by rescaling each
  neuron, which the function does not see). Its objective is (1 / 2n)||.||^2 + lam sum ||u_i||, so
  lam = beta / n; it penalizes the bias with w, so its (P) optimum is not ours: the common objective
  decides. Skipped, with a message, when ``scnn`` is not installed (``pip install ga-relu[bench]``);
* the library's Adam baseline (``ga_relu.baselines.gradient.train_gradient``).

    python benchmarks/bench_peers.py [--n 160] [--beta 0.01] [--subsets 1000] [--width 50]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import ga_relu
from bench_colgen import machine
from ga_relu.convex.problem import Problem
from ga_relu.errors import GaReluError
from ga_relu.networks.relu import ReLUNetwork


def row(name, seconds, network, problem, X, y, beta, note=""):
    objective = problem.objective(network)
    try:
        start = time.perf_counter()
        cert = ga_relu.certify(network, X, y, beta=beta, penalty="l2", bias=True, fit_intercept=False)
        ratio = f"{cert.ratio:.6f} ({time.perf_counter() - start:.1f} s)"
    except GaReluError as exc:
        ratio = f"certify failed: {str(exc)[:60]}"
    print(f"  {name:<34}{seconds:>9.1f}{objective:>16.8g}  {ratio}  {note}")
    return objective


def pyscnn_network(X, y, beta, max_neurons, seed):
    """pyscnn's convex ReLU fit as a ReLUNetwork, or None when pyscnn is not installed."""
    try:
        from scnn.optimize import optimize
        from scnn.regularizers import NeuronGL1
    except ImportError:
        return None
    model, _ = optimize("relu", max_neurons, X, y, regularizer=NeuronGL1(beta / len(y)), bias=True,
                        unitize_data=False, dtype="float64", seed=seed)
    # optimize() returns the convex solution read as a ReLU network: [W1 (p, d), b1 (p,), W2 (1, p)],
    # f = relu(X W1^T + b1) W2^T (exactly the convex model where its cone constraints hold)
    W1, b1, W2 = (np.asarray(p, dtype=float) for p in model.parameters)
    alpha = W2.reshape(-1)
    norms = np.linalg.norm(W1, axis=1)
    keep = (norms > 0) & (alpha != 0)
    # balanced: relu is positively homogeneous, so (t w, t b, alpha / t) is the same function, and
    # t = sqrt(|alpha| / ||w||) minimizes (||t w||^2 + (alpha / t)^2) / 2 (never raises pyscnn's objective)
    t = np.sqrt(np.abs(alpha[keep]) / norms[keep])
    return ReLUNetwork(W1[keep] * t[:, None], b1[keep] * t, alpha[keep] / t, 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=160)
    parser.add_argument("--beta", type=float, default=1e-2)
    parser.add_argument("--subsets", type=int, default=1000)
    parser.add_argument("--width", type=int, default=50, help="Adam's hidden width")
    parser.add_argument("--max-neurons", type=int, default=500, help="pyscnn's gate patterns")
    parser.add_argument("--skip-exact", action="store_true")
    args = parser.parse_args()
    X, y = ga_relu.make_spiral(args.n)
    beta = args.beta
    problem = Problem(X, y, beta=beta, penalty="l2", bias=True, fit_intercept=False)
    print("benchmark: peers on the two-spiral data")
    print(machine())
    print(f"  n = {args.n}, beta = {beta:g}, l2, bias, squared loss, no intercept")
    print(f"  {'method':<34}{'time (s)':>9}{'objective (P)':>16}  certificate ratio")
    from ga_relu.convex.methods import registered_methods

    fits = [("wedge", {}), (f"subsets={args.subsets}", {"subsets": args.subsets, "random_state": 0})]
    if "exact_colgen" in registered_methods() and not args.skip_exact:
        fits.insert(0, ("exact_colgen", {}))
    for name, options in fits:
        method = name if not name.startswith("subsets") else "wedge"
        start = time.perf_counter()
        try:
            fit = ga_relu.fit(X, y, beta=beta, penalty="l2", fit_intercept=False, method=method, **options)
        except GaReluError as exc:
            print(f"  ga-relu {name:<26}{time.perf_counter() - start:>9.1f}  failed: {str(exc)[:80]}")
            continue
        row(f"ga-relu {name}", time.perf_counter() - start, fit.network, problem, X, y, beta)
    start = time.perf_counter()
    net = pyscnn_network(X, y, beta, args.max_neurons, seed=0)
    if net is None:
        print("  pyscnn: not installed, skipped (pip install 'ga-relu[bench]' or pip install pyscnn)")
    else:
        row(f"pyscnn ConvexReLU ({args.max_neurons} gates)", time.perf_counter() - start, net, problem, X, y, beta)
    from ga_relu.baselines.gradient import train_gradient

    start = time.perf_counter()
    adam = train_gradient(X, y, width=args.width, beta=beta, penalty="l2", bias=True, fit_intercept=False, n_init=3,
                          steps=3000, random_state=0)
    best = int(np.argmin(adam.objectives))
    row(f"Adam (width {args.width}, best of 3)", time.perf_counter() - start, adam.networks[best], problem, X, y, beta)
    print("after the run:")
    print(machine())


if __name__ == "__main__":
    main()
