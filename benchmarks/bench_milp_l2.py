"""Weight decay's dual constraint beyond the plane: the outer-approximation MILP ("milp_l2") against
the chamber oracle (a cone program per chamber, where the enumeration is within reach) and a dense
random search of unit neurons (a lower bound), in one run.

    .venv/bin/python benchmarks/bench_milp_l2.py
    .venv/bin/python benchmarks/bench_milp_l2.py --sizes 4x20 6x40 8x60 --time-limit 60

For each d x n (standard normal data, lambda = the centered residual of sin(2 x_1) + x_d^2) it
prints the bounds [L, U], the rounds and cuts per side, the MILP time, the chamber oracle's value
and time (skipped above --max-patterns chambers), and the dense search's value and time.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np


def main():
    from ga_relu.certification.oracles import ChamberOracle, OracleSettings
    from ga_relu.convex.chambers import max_chambers
    from ga_relu.convex.milp_pricing import milp_max_dual_l2
    from ga_relu.convex.problem import Problem

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="+", default=["4x12", "4x20", "6x30", "8x40"])
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per MILP side")
    parser.add_argument("--max-patterns", type=int, default=20_000)
    parser.add_argument("--dense", type=int, default=20_000, help="random directions of the search")
    args = parser.parse_args()
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
    from reference import dense_dual_ratio

    print(f"cores {os.cpu_count()}, load {tuple(round(x, 2) for x in os.getloadavg())}", flush=True)
    for size in args.sizes:
        d, n = (int(v) for v in size.split("x"))
        rng = np.random.default_rng(d * 100 + n)
        X = rng.standard_normal((n, d))
        y = np.sin(2 * X[:, 0]) + X[:, -1] ** 2
        lam = y - y.mean()
        start = time.perf_counter()
        found = milp_max_dual_l2(X, lam, bias=True, time_limit=args.time_limit)
        milp_s = time.perf_counter() - start
        sides = "; ".join(f"{'+' if s.sign > 0 else '-'}: {s.rounds} rounds, {s.cuts} cuts, {s.status}"
                          for s in found.sides)
        line = (f"d={d} n={n}: milp_l2 [{found.value:.10g}, {found.upper:.10g}] (gap {found.mip_gap:.2g}) "
                f"{milp_s:.2f} s ({sides})")
        patterns = max_chambers(n, d, True)
        if patterns <= args.max_patterns:
            start = time.perf_counter()
            exact = ChamberOracle(OracleSettings(max_patterns=args.max_patterns))(
                Problem(X, np.zeros(n), beta=1.0, penalty="l2"), lam)
            line += f"; chambers {exact.value:.10g} in {time.perf_counter() - start:.2f} s ({len(exact.best.samples)} on)"
        else:
            line += f"; chambers skipped (up to {patterns:,})"
        start = time.perf_counter()
        dense = dense_dual_ratio(X, lam, 1.0, penalty="l2", bias=True, n_dirs=args.dense)
        line += f"; dense search {dense:.10g} in {time.perf_counter() - start:.2f} s"
        print(line, flush=True)
    print(f"load {tuple(round(x, 2) for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
