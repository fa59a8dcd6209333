"""path() over 20 betas: warm-started column generation against cold fits (issue 14, item 2).

2-D data with bias, weight decay (l2), n = 120, y = sin(3 x1) + x2^2 (14,280 full-dictionary
columns). Prints, side by side in one run: one fit at the path's smallest beta (the costliest one),
20 cold column-generation fits, ``path(method="colgen")`` (largest beta first, each beta started on
the working set where the previous one stopped), and the largest objective difference between the
warm and the cold fits; then the thread settings and the load (see bench_colgen.machine).

    python benchmarks/bench_path.py [--n 120] [--betas 20] [--smallest 1e-3] [--largest 0.1]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import ga_relu
from bench_colgen import data, machine
from ga_relu.convex.colgen import fit_colgen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=120)
    parser.add_argument("--betas", type=int, default=20)
    parser.add_argument("--smallest", type=float, default=1e-3)
    parser.add_argument("--largest", type=float, default=0.1)
    args = parser.parse_args()
    X, y = data(args.n)
    betas = np.geomspace(args.largest, args.smallest, args.betas)
    kwargs = dict(penalty="l2", bias=True)
    print("benchmark: path() warm against cold")
    print(machine())
    fit_colgen(X[:20], y[:20], beta=0.05, **kwargs)  # warm-up: imports, outside the timings

    start = time.perf_counter()
    single = fit_colgen(X, y, beta=float(betas[-1]), **kwargs)
    t_single = time.perf_counter() - start
    start = time.perf_counter()
    cold = [fit_colgen(X, y, beta=float(b), **kwargs) for b in betas]
    t_cold = time.perf_counter() - start
    start = time.perf_counter()
    warm = ga_relu.path(X, y, betas, method="colgen", **kwargs)
    t_warm = time.perf_counter() - start

    diff = max(abs(w.objective - c.objective) / abs(c.objective) for w, c in zip(warm, cold))
    rounds_cold = sum(c.info["iterations"] for c in cold)
    rounds_warm = sum(w.info["iterations"] for w in warm)
    print(f"  n = {args.n}, {args.betas} betas from {args.largest:g} to {args.smallest:g}, l2, 2-D with bias")
    print(f"  {'run':<44}{'time (s)':>10}{'rounds':>8}")
    print(f"  {'one fit at the smallest beta (colgen)':<44}{t_single:>10.2f}{single.info['iterations']:>8}")
    print(f"  {'20 cold fits (colgen)':<44}{t_cold:>10.2f}{rounds_cold:>8}")
    print(f"  {'path, warm (working set carried over)':<44}{t_warm:>10.2f}{rounds_warm:>8}")
    print(f"  warm / one fit = {t_warm / t_single:.2f} (target <= 3); cold / warm = {t_cold / t_warm:.2f}; "
          f"largest relative objective difference warm vs cold {diff:.1e}; every fit certified: "
          f"{all(w.info['ratio'] <= 1 + w.info['tol'] for w in warm)}")
    print("after the run:")
    print(machine())


if __name__ == "__main__":
    main()
