"""Benchmark (b), issue 7: a certified optimum far beyond the full dictionary.

n = 1,000 samples in 2-D with bias, l1 penalty: C(1002, 2) = 501,501 candidate lines (about a
million columns; the dense matrix would take 8 * 1000 * 1,003,000 bytes, about 8 GB, and the
cvxpy problem several times that). Column generation prices every line each round by the angular
sweep and stops at the certificate ratio <= 1 + tol. Targets: at most 60 s, at most 2 GB peak memory
(ru_maxrss of this process: imports included). Also times one pricing pass by the sweep against
the chunked stream over the dictionary (the generic method), on the final lambda.

    python benchmarks/bench_large_l1.py [--n 1000] [--stretch]   (--stretch also runs n = 5,000)
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import numpy as np

from ga_relu.colgen import fit_colgen, price
from ga_relu.dictionary import dictionary_bytes, n_candidate_subsets


def data(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = np.sin(3 * X[:, 0]) * np.cos(2 * X[:, 1]) + 0.1 * rng.normal(size=n)
    return X, y


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run(n: int, beta: float, compare_stream: bool) -> None:
    X, y = data(n)
    subsets = n_candidate_subsets(n, 2, "l1", True)
    print(f"n = {n}: {subsets:,} candidate subsets ({2 * subsets:,} columns; dense matrix "
          f"{dictionary_bytes(n, 2 * subsets) / 2**30:.1f} GiB)")
    start = time.perf_counter()
    result = fit_colgen(X, y, beta=beta, penalty="l1", bias=True, memory_budget=2 * 2**30)
    elapsed = time.perf_counter() - start
    info = result.info
    print(f"  {'quantity':<38}{'measured':>16}{'target':>12}")
    print(f"  {'wall time (s)':<38}{elapsed:>16.2f}{'<= 60':>12}")
    print(f"  {'peak memory, ru_maxrss (MiB)':<38}{peak_mib():>16.0f}{'<= 2048':>12}")
    print(f"  {'certificate ratio':<38}{info['ratio']:>16.10f}{'<= 1+1e-6':>12}")
    print(f"  objective {result.objective:.10g}, duality-gap bound {info['gap_bound']:.2e}; {len(result.neurons)} "
          f"neurons; {info['iterations']} iterations; final working set {info['working_set_columns']} columns; "
          f"{info['columns_priced']:,} columns priced; pricing {info['price_time']:.1f} s, restricted solves "
          f"{info['solve_time_total']:.1f} s")
    if compare_stream:
        sweep = price(X, result.dual, beta, penalty="l1", bias=True, method="sweep")
        stream = price(X, result.dual, beta, penalty="l1", bias=True, method="stream")
        print(f"  one pricing pass: sweep {sweep.seconds:.2f} s vs chunked stream {stream.seconds:.2f} s "
              f"({stream.seconds / sweep.seconds:.1f}x); ratios {sweep.ratio:.12f} vs {stream.ratio:.12f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--beta", type=float, default=0.05)
    parser.add_argument("--stretch", action="store_true", help="also run n = 5,000 (several minutes)")
    parser.add_argument("--no-stream", action="store_true", help="skip the sweep-vs-stream pricing comparison")
    args = parser.parse_args()
    print(f"benchmark (b): 2-D with bias, l1 penalty, beta = {args.beta}, cores = {os.cpu_count()}")
    run(args.n, args.beta, not args.no_stream)
    if args.stretch:
        run(5000, args.beta, False)


if __name__ == "__main__":
    main()
