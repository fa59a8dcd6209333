"""Benchmark (a), issue 7: column generation vs the full cvxpy + Clarabel solve.

2-D data with bias, weight-decay (l2) wedge dictionary, n = 120 samples: C(120, 2) = 7,140 lines,
14,280 columns. Both runs solve the same Lasso over the same full dictionary; column generation
certifies its answer by pricing every column (ratio <= 1 + tol). Prints times, their ratio and the
relative objective difference side by side.

    python benchmarks/bench_colgen.py [--n 120] [--beta 0.05] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import ga_relu
from ga_relu.convex.colgen import fit_colgen


def data(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = np.sin(3 * X[:, 0]) * np.cos(2 * X[:, 1]) + 0.1 * rng.normal(size=n)
    return X, y


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=120)
    parser.add_argument("--beta", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=3, help="column-generation runs (best time is shown)")
    args = parser.parse_args()
    X, y = data(args.n)
    kwargs = dict(beta=args.beta, penalty="l2", bias=True)
    fit_colgen(X[:20], y[:20], **kwargs)  # warm-up: imports and the algebra tables, outside the timings

    start = time.perf_counter()
    full = ga_relu.fit(X, y, method="wedge", **kwargs)
    full_time = time.perf_counter() - start

    times, result = [], None
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = fit_colgen(X, y, **kwargs)
        times.append(time.perf_counter() - start)
    cg_time = min(times)
    info = result.info
    rel = (result.objective - full.objective) / abs(full.objective)
    print(f"benchmark (a): n = {args.n}, 2-D with bias, penalty l2, beta = {args.beta}, cores = {os.cpu_count()}")
    print(f"  full dictionary: {full.n_columns:,} columns; column generation priced {info['columns_priced']:,} "
          f"columns in {info['iterations']} iterations, final working set {info['working_set_columns']} columns")
    print(f"  {'method':<34}{'time (s)':>10}{'objective':>22}")
    print(f"  {'full cvxpy + Clarabel':<34}{full_time:>10.3f}{full.objective:>22.12g}")
    print(f"  {'column generation (best of %d)' % args.repeat:<34}{cg_time:>10.3f}{result.objective:>22.12g}")
    print(f"  speed-up: {full_time / cg_time:.1f}x (target >= 10x); relative objective difference "
          f"(colgen - full) / full = {rel:+.2e} (target |.| <= 1e-6)")
    print(f"  certificate: ratio {info['ratio']:.10f} <= 1 + {info['tol']:g}; duality-gap bound "
          f"{info['gap_bound']:.2e}; pricing {info['price_time']:.3f} s, restricted solves "
          f"{info['solve_time_total']:.3f} s ({info['pricing_method']} pricing, {info['restricted_solver']} solver)")
    print(f"  all colgen times: {', '.join(f'{t:.3f}' for t in times)} s")


if __name__ == "__main__":
    main()
