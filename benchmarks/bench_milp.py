"""Certified l1 optima beyond 3-D: column generation priced by the exact MILP, against the sampled fit.

For each data set (standardized; wine class 0 vs 1, breast_cancer, digits 0 vs 1) and loss, fit with
``method="colgen-milp"`` and report the time to a certified optimum, MILP time per round, rounds,
neurons and training accuracy, and in the same run the randomized-subset fit ``subsets=k`` with its
gap bound from the exact MILP oracle's certificate.

    .venv/bin/python benchmarks/bench_milp.py --data wine --n 130 --loss squared --beta 3
    .venv/bin/python benchmarks/bench_milp.py --data wine --n 40 --loss squared --beta 1

Every exact MILP is timed and its side statuses printed (optimal, below the cutoff, stopped after k
neurons above it, time limit), so the split between heuristic and exact rounds shows.

``--save DIR`` writes every exact MILP's instance (X, lambda, cutoff, beta) to DIR/milp_<k>.npz;
``--replay FILE`` solves one saved instance in isolation: per side the root LP bound of the big-M
model (its relaxation) and the time to prove the cutoff, at the cutoff and at multiples of it
(``--cutoff-scales``), since how fast the proof gets harder as the cutoff nears the maximum is
what decides whether a round certifies:

    .venv/bin/python benchmarks/bench_milp.py --data wine --n 80 --beta 1 --time-limit 240 --save /tmp/m
    .venv/bin/python benchmarks/bench_milp.py --replay /tmp/m/milp_2.npz --cutoff-scales 1.5,1.05,1
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np


def load(name: str, n: int):
    from sklearn import datasets

    if name == "wine":
        X, y = datasets.load_wine(return_X_y=True)
        keep = y < 2
        X, y = X[keep], np.where(y[keep] == 0, 1.0, -1.0)
    elif name == "breast_cancer":
        X, y = datasets.load_breast_cancer(return_X_y=True)
        y = np.where(y == 1, 1.0, -1.0)
    elif name == "digits":
        X, y = datasets.load_digits(return_X_y=True)
        keep = y < 2
        X, y = X[keep], np.where(y[keep] == 0, 1.0, -1.0)
    else:
        raise SystemExit(f"unknown data set {name!r}")
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))[:n]
    X, y = X[order], y[order]
    scale = X.std(axis=0)
    X = (X - X.mean(axis=0)) / np.where(scale > 0, scale, 1.0)  # constant pixels stay 0
    return X, y


def _environment() -> str:
    import os

    threads = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    return f"cores {os.cpu_count()}, load {tuple(round(x, 2) for x in os.getloadavg())}, threads {threads}"


def _root_bound(X, lam, sign):
    """The LP relaxation's value of one side's big-M MILP (no cutoff row), in the data's units."""
    from scipy.optimize import linprog

    from ga_relu.convex import milp_pricing

    center, scale = milp_pricing._frame(X, True)
    size = float(np.abs(lam).sum())
    cost, A, lo, hi, lower, upper, _, _ = milp_pricing._side_model((X - center) / scale, sign * lam / size, True, None)
    res = linprog(cost, A_ub=A, b_ub=hi, bounds=list(zip(lower, upper)), method="highs")  # every row is <= hi
    return -float(res.fun) * scale * size


def replay(path: str, scales: list[float], time_limit: float, threads: int | None):
    """Root LP bounds and times to prove cutoff * scale for a saved pricing instance (module docstring)."""
    from ga_relu.convex import milp_pricing

    saved = np.load(path)
    X, lam, cutoff, beta = saved["X"], saved["lam"], float(saved["cutoff"]), float(saved["beta"])
    print(f"{path}: n={len(lam)} d={X.shape[1]} beta={beta:g}, cutoff ratio {cutoff / beta:.10g}; threads {threads}; "
          f"{_environment()}")
    for sign in (1, -1):
        print(f"  side {sign:+d}: {int(np.sum(sign * lam > 0))} binaries, root LP bound ratio "
              f"{_root_bound(X, lam, sign) / beta:.4g}", flush=True)
    for scale in scales:
        found = milp_pricing.milp_max_dual(X, lam, bias=True, time_limit=time_limit, cutoff=cutoff * scale,
                                           threads=threads)
        for side in found.sides:
            print(f"  cutoff x {scale:g}, side {side.sign:+d}: {side.status}, incumbent ratio {side.lower / beta:.8g}, "
                  f"bound ratio {side.upper / beta:.8g}, {side.nodes:,} nodes, {side.seconds:.1f} s", flush=True)
    print(f"  {_environment()}")


def main():
    import ga_relu as gr
    from ga_relu.convex import milp_pricing
    from ga_relu.errors import TimeLimitError

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="wine")
    parser.add_argument("--n", type=int, default=130)
    parser.add_argument("--loss", default="squared")
    parser.add_argument("--beta", type=float, default=3.0)
    parser.add_argument("--subsets", type=int, default=2000)
    parser.add_argument("--time-limit", type=float, default=300.0, help="column generation's time_limit=")
    parser.add_argument("--milp-time-limit", type=float, default=60.0, help="seconds per MILP side")
    parser.add_argument("--save", help="folder for every exact MILP's instance (milp_<k>.npz)")
    parser.add_argument("--replay", help="a saved instance: root bounds and times to prove (no fit)")
    parser.add_argument("--cutoff-scales", default="1", help="with --replay: cutoff multiples, comma-separated")
    parser.add_argument("--threads", type=int, help="HiGHS threads (with --replay; fixed once per process by HiGHS)")
    args = parser.parse_args()
    if args.replay:
        replay(args.replay, [float(v) for v in args.cutoff_scales.split(",")], args.milp_time_limit, args.threads)
        return
    X, y = load(args.data, args.n)
    print(f"{args.data} n={len(y)} d={X.shape[1]} loss={args.loss} beta={args.beta}; {_environment()}", flush=True)
    exact_rounds = []  # (seconds, lower ratio, upper ratio, side statuses) of every exact MILP
    original = milp_pricing.milp_max_dual

    def timed(*a, **k):
        out = original(*a, **k)
        if args.save and k.get("cutoff") is not None:
            os.makedirs(args.save, exist_ok=True)
            np.savez(os.path.join(args.save, f"milp_{len(exact_rounds) + 1}.npz"), X=a[0], lam=a[1],
                     cutoff=k["cutoff"], beta=args.beta)
        exact_rounds.append((out.seconds, out.value, out.upper, [side.status for side in out.sides]))
        return out

    milp_pricing.milp_max_dual = timed
    start = time.perf_counter()
    try:
        result = gr.fit(X, y, beta=args.beta, loss=args.loss, method="colgen-milp", max_iter=500,
                        time_limit=args.time_limit, milp_time_limit=args.milp_time_limit)
    except TimeLimitError as error:
        result = None
        print(f"  colgen-milp: NOT certified after {time.perf_counter() - start:.1f} s: {error}")
    finally:
        milp_pricing.milp_max_dual = original
    seconds = time.perf_counter() - start
    milp_s = [r[0] for r in exact_rounds]
    print(f"  exact MILPs {len(exact_rounds)}: {sum(milp_s):.1f} s in all, per MILP "
          f"{', '.join(f'{t:.1f}' for t in milp_s)} s; statuses {[r[3] for r in exact_rounds]}")
    if result is not None:
        info = result.info
        accuracy = float(np.mean(np.sign(result.network(X)) == y))
        heuristic = sum(1 for h in info["history"][1:]) - len(exact_rounds)
        print(f"  colgen-milp {seconds:.1f} s: rounds {info['iterations']} ({len(exact_rounds)} exact MILP, "
              f"about {heuristic} heuristic), neurons {result.network.width}, accuracy {accuracy:.3f}, objective "
              f"{result.objective:.8g}, ratio {info['ratio']:.8g}, certified {info['certified']}, gap bound "
              f"{info['gap_bound']:.3g} (relative {info['relative_gap_bound']:.3g}), pricing {info['price_time']:.1f} s")
    start = time.perf_counter()
    sampled = gr.fit(X, y, beta=args.beta, loss=args.loss, subsets=args.subsets, random_state=0)
    fit_s = time.perf_counter() - start
    accuracy = float(np.mean(np.sign(sampled.network(X)) == y))
    print(f"  subsets={args.subsets}: {fit_s:.1f} s, objective {sampled.objective:.8g}, neurons "
          f"{sampled.network.width}, accuracy {accuracy:.3f}", flush=True)
    start = time.perf_counter()
    certificate = sampled.certificate(oracle="milp", milp_time_limit=args.milp_time_limit)
    print(f"  its MILP certificate ({time.perf_counter() - start:.1f} s): ratio {certificate.ratio:.6g}, "
          f"exhaustive {certificate.exhaustive}, MIP gap {certificate.mip_gap}, gap bound {certificate.gap_bound}")
    print(f"  {_environment()}")


if __name__ == "__main__":
    main()
