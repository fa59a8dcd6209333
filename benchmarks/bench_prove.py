"""Exact proof time against n (2-D, bias, l1, squared loss), side by side with the float certificate.

Run: .venv/bin/python benchmarks/bench_prove.py [n ...]   (default 25 50 100)
"""

import os
import sys
import time

import numpy as np

import ga_relu


def main(sizes):
    threads = {k: os.environ.get(k, "unset") for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    print(f"nproc={os.cpu_count()} loadavg={os.getloadavg()} threads={threads}")
    print(f"{'n':>5} {'subsets':>9} {'fit s':>7} {'certificate s':>14} {'prove s':>8} {'holds':>6} {'rounds':>6} {'neurons':>7}")
    rng = np.random.default_rng(0)
    for n in sizes:
        X = rng.standard_normal((n, 2))
        y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2
        t0 = time.perf_counter()
        result = ga_relu.fit(X, y, beta=0.05)
        t1 = time.perf_counter()
        result.certificate()
        t2 = time.perf_counter()
        proof = result.prove()
        t3 = time.perf_counter()
        print(f"{n:>5} {proof.columns_checked // 2:>9} {t1 - t0:>7.2f} {t2 - t1:>14.3f} {t3 - t2:>8.2f} "
              f"{str(proof.holds):>6} {proof.rounds:>6} {len(proof.neurons):>7}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [25, 50, 100])
