"""Benchmark (b), issue 7: a certified optimum far beyond the full dictionary.

n = 1,000 samples in 2-D with bias, l1 penalty: C(1002, 2) = 501,501 candidate lines (about a
million columns; the dense matrix would take 8 * 1000 * 1,003,000 bytes, about 8 GB, and the
cvxpy problem several times that). Column generation prices every line each round by the angular
sweep (numba-compiled, the lambda-independent angular orders computed once) and stops at the
certificate ratio <= 1 + tol. Targets: at most 60 s, at most 2 GB peak memory (ru_maxrss of the
process that fits: imports and the sweep's compilation included). Also times one pricing pass by the
sweep against the chunked stream over the dictionary (the generic method), on the final lambda.

    python benchmarks/bench_large_l1.py [--n 1000] [--beta 0.05] [--stretch] [--stretch-timeout 300]
    python benchmarks/bench_large_l1.py --kernels [--sizes 600,1500,5000]

``--kernels`` times the sweep's kernels alone, side by side in one process per size: the numpy and
numba rounds (pairs per second, and whether their outputs are equal bit for bit), the orders (numpy),
and numba's compilation of the round with an empty disk cache (a fresh NUMBA_CACHE_DIR) and its load
from the disk cache afterwards, each in a fresh process: the figures behind the rates in
ga_relu/convex/budget.py. Every run prints the cores, the load average and the thread settings
(BLAS threads from threadpoolctl, numba's threads; the sweep's kernels are serial).

``--stretch`` also runs n = 5,000 (12.5 million lines, 25 million columns) and prints both side by
side. Each size runs in its own process (its own peak memory), the stretch one under a wall-clock limit.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

from ga_relu.convex.dictionary import dictionary_bytes, n_candidate_subsets


def data(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = np.sin(3 * X[:, 0]) * np.cos(2 * X[:, 1]) + 0.1 * rng.normal(size=n)
    return X, y


def machine() -> str:
    """Cores, load average and thread settings (bench_colgen's lines), printed beside every figure;
    the sweep's kernels are serial."""
    from bench_colgen import machine as threads_and_load

    return threads_and_load() + "\n  (the sweep's kernels are serial)"


KERNEL_CHILD = r"""
import json, os, sys, time
import numpy as np
from ga_relu.convex import _sweep_kernels as K
n, what = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(0)
X = rng.uniform(-1.0, 1.0, (n, 2)); lam = rng.normal(size=n); lam -= lam.mean()
order, left, right = (np.empty((n, n), dtype=np.int32) for _ in range(3))
out = {}
if what == "compile":
    t = time.perf_counter(); rnd = K.numba_round()
    z = np.zeros(1); zi = np.zeros(1, dtype=np.int64)
    rnd(X, 0, lam, order[:0], left[:0], right[:0], True, 0.0, 1.0, 1.0, np.zeros((n, n), bool), 1, z[:0], z[:0],
        zi[:0], zi[:0], zi[:0], z[:0], zi[:0], np.zeros((0, 1)), np.zeros((0, 1), dtype=np.int64))
    out["numba_first_call_s"] = time.perf_counter() - t
    print(json.dumps(out)); sys.exit()
t = time.perf_counter(); K.sweep_orders_np(X, 0, order, left, right); out["orders_s"] = time.perf_counter() - t
excluded = np.zeros((n, n), dtype=bool)
results = {}
for name, kernel in (("numpy", K.sweep_round_np), ("numba", K.numba_round())):
    for attempt in range(2):  # the second call: numba compiled or loaded by the first
        stats = [np.empty(n) for _ in range(2)] + [np.empty(n, dtype=np.int64) for _ in range(3)]
        best = (np.empty(n), np.empty(n, dtype=np.int64))
        heap = (np.full((n, 20), -1.0), np.full((n, 20), -1, dtype=np.int64))
        t = time.perf_counter()
        kernel(X, 0, lam, order, left, right, True, 0.0, 10.0, 1 + 1e-6, excluded, 20, *stats, *best, *heap)
        out[name + "_round_s"] = time.perf_counter() - t
    top = np.sort(heap[0][heap[1] >= 0])[::-1][:20]
    results[name] = [*stats, *best, top]
out["bit_identical"] = all(np.array_equal(a, b) for a, b in zip(results["numpy"], results["numba"]))
print(json.dumps(out))
"""


def kernels(sizes) -> None:
    """The sweep's kernels alone (``--kernels``), each figure in a fresh process."""
    import tempfile

    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)  # an empty disk cache: the cold compile
        cold = [json.loads(subprocess.run([sys.executable, "-c", KERNEL_CHILD, "100", "compile"], env=env,
                                          capture_output=True, text=True, check=True).stdout) for _ in range(2)]
    print(f"  numba round, first call: {cold[0]['numba_first_call_s']:.2f} s with an empty disk cache (compile), "
          f"{cold[1]['numba_first_call_s']:.2f} s from it (load); {machine()}")
    print(f"  {'n':>6} {'orders (s)':>11} {'pairs/s':>9} {'numpy round (s)':>16} {'pairs/s':>9} "
          f"{'numba round (s)':>16} {'pairs/s':>9} {'numba/numpy':>12} {'bit-identical':>14}")
    for n in sizes:
        done = subprocess.run([sys.executable, "-c", KERNEL_CHILD, str(n), "rounds"], capture_output=True, text=True,
                              check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        pairs = float(n) * n
        print(f"  {n:>6} {r['orders_s']:>11.3f} {pairs / r['orders_s']:>9.2e} {r['numpy_round_s']:>16.3f} "
              f"{pairs / r['numpy_round_s']:>9.2e} {r['numba_round_s']:>16.3f} {pairs / r['numba_round_s']:>9.2e} "
              f"{r['numpy_round_s'] / r['numba_round_s']:>11.1f}x {str(r['bit_identical']):>14}")
        print(f"         load = {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run_one(n: int, beta: float, compare_stream: bool) -> dict:
    """Fit one size in this process; the figures as a dict."""
    from ga_relu.convex.colgen import fit_colgen, price

    X, y = data(n)
    start = time.perf_counter()
    result = fit_colgen(X, y, beta=beta, penalty="l1", bias=True, memory_budget=2 * 2**30, max_iter=500)
    elapsed = time.perf_counter() - start
    info = result.info
    figures = {"n": n, "wall_s": elapsed, "peak_mib": peak_mib(), "ratio": info["ratio"],
               "certified": bool(info["certified"]), "rounds": info["iterations"], "price_s": info["price_time"],
               "solve_s": info["solve_time_total"], "objective": result.objective, "gap_bound": info["gap_bound"],
               "neurons": len(result.neurons), "working_set_columns": info["working_set_columns"],
               "columns_priced": info["columns_priced"]}
    if compare_stream:
        sweep = price(X, result.dual, beta, penalty="l1", bias=True, method="sweep")
        stream = price(X, result.dual, beta, penalty="l1", bias=True, method="stream")
        figures.update(sweep_s=sweep.seconds, stream_s=stream.seconds, sweep_ratio=sweep.ratio,
                       stream_ratio=stream.ratio)
    return figures


def run_in_subprocess(n: int, beta: float, compare_stream: bool, timeout: float) -> dict:
    command = [sys.executable, __file__, "--one", str(n), "--beta", str(beta)] + ([] if compare_stream else
                                                                                   ["--no-stream"])
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"n": n, "error": f"no certificate within the {timeout:.0f} s limit"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        return {"n": n, "error": (done.stderr.strip().splitlines() or ["failed"])[-1][:300],
                "wall_s": time.perf_counter() - start}
    return json.loads(lines[-1])


def report(rows: list[dict]) -> None:
    fields = [("wall time (s)", "wall_s", "{:.2f}", "<= 60"), ("peak memory, ru_maxrss (MiB)", "peak_mib", "{:.0f}",
              "<= 2048"), ("certificate ratio", "ratio", "{:.10f}", "<= 1+1e-6"), ("rounds", "rounds", "{:d}", ""),
              ("pricing time (s)", "price_s", "{:.2f}", ""), ("restricted solves (s)", "solve_s", "{:.2f}", ""),
              ("objective", "objective", "{:.10g}", ""), ("duality-gap bound", "gap_bound", "{:.2e}", ""),
              ("neurons", "neurons", "{:d}", ""), ("final working set (columns)", "working_set_columns", "{:d}", ""),
              ("columns priced (all rounds)", "columns_priced", "{:,}", "")]
    header = "".join(f"{'n = ' + format(r['n'], ','):>18}" for r in rows)
    print(f"  {'quantity':<32}{header}{'target':>12}")
    for label, key, fmt, target in fields:
        cells = "".join(f"{fmt.format(r[key]) if key in r else '-':>18}" for r in rows)
        print(f"  {label:<32}{cells}{target:>12}")
    if len(rows) == 2 and all("wall_s" in r and "rounds" in r for r in rows):
        print(f"  n = {rows[1]['n']:,} / n = {rows[0]['n']:,}: wall time {rows[1]['wall_s'] / rows[0]['wall_s']:.1f}x, "
              f"pricing per round {rows[1]['price_s'] / rows[1]['rounds'] / (rows[0]['price_s'] / rows[0]['rounds']):.1f}x "
              f"for {n_candidate_subsets(rows[1]['n'], 2, 'l1', True) / n_candidate_subsets(rows[0]['n'], 2, 'l1', True):.1f}x "
              "the lines")
    for r in rows:
        if "error" in r:
            print(f"  n = {r['n']:,}: {r['error']}")
        if "sweep_s" in r:
            print(f"  n = {r['n']:,}, one pricing pass on the final lambda: sweep {r['sweep_s']:.2f} s vs chunked "
                  f"stream {r['stream_s']:.2f} s ({r['stream_s'] / r['sweep_s']:.1f}x); ratios {r['sweep_ratio']:.12f} "
                  f"vs {r['stream_ratio']:.12f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--beta", type=float, default=0.05)
    parser.add_argument("--stretch", action="store_true", help="also run n = 5,000, side by side")
    parser.add_argument("--stretch-timeout", type=float, default=300.0, help="wall-clock limit (s) for n = 5,000")
    parser.add_argument("--no-stream", action="store_true", help="skip the sweep-vs-stream pricing comparison")
    parser.add_argument("--kernels", action="store_true", help="time the sweep's kernels alone (see above)")
    parser.add_argument("--sizes", default="600,1500,5000", help="sizes for --kernels")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # worker: fit one size, print JSON
    args = parser.parse_args()
    if args.kernels:
        print("the angular sweep's kernels (2-D, l1, top = 20)")
        kernels([int(s) for s in args.sizes.split(",")])
        return
    if args.one is not None:
        print(json.dumps(run_one(args.one, args.beta, not args.no_stream)))
        return
    print(f"benchmark (b): 2-D with bias, l1 penalty, beta = {args.beta}; {machine()}")
    sizes = [args.n] + ([5000] if args.stretch else [])
    for n in sizes:
        subsets = n_candidate_subsets(n, 2, "l1", True)
        print(f"  n = {n:,}: {subsets:,} candidate subsets ({2 * subsets:,} columns; dense matrix "
              f"{dictionary_bytes(n, 2 * subsets) / 2**30:.1f} GiB)")
    rows = [run_in_subprocess(args.n, args.beta, not args.no_stream, timeout=600.0)]
    if args.stretch:
        rows.append(run_in_subprocess(5000, args.beta, False, timeout=args.stretch_timeout))
    report(rows)
    print(f"  after: {machine()}")


if __name__ == "__main__":
    main()
