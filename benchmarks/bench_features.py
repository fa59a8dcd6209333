"""Benchmark (d), issue 7: feature construction throughput of the vectorized wedge dictionary.

Builds the columns relu(+-(X w_S + b_S)) / ||w_S||_p of every subset S (2-D and 3-D with bias,
l1 vertex set) with ``ga_relu.convex.dictionary.wedge_dictionary`` + ``Dictionary.matrix`` (batched
cross products, one matrix product), against a per-subset Python loop (numpy determinants of the
lifted minors for each S, one column pair at a time). The loop runs on a random subsample of the
subsets and its time is EXTRAPOLATED to all of them (printed as such). Columns per second side by side.

    python benchmarks/bench_features.py [--loop-sample 2000]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from ga_relu.convex.dictionary import iter_subsets, n_candidate_subsets, vertex_set, wedge_dictionary


def loop_columns(X: np.ndarray, subsets: np.ndarray) -> np.ndarray:
    """The per-subset loop: cross product by cofactor determinants, normalize, two ReLU columns."""
    n, d = X.shape
    V = vertex_set(X, "l1", True)
    out = np.empty((n, 2 * len(subsets)))
    for j, S in enumerate(subsets):
        A = V[S]  # (d, d + 1)
        v = np.array([(-1) ** k * np.linalg.det(np.delete(A, k, axis=1)) for k in range(d + 1)])
        w, b = v[:d], v[d]
        norm = np.abs(w).sum()
        if norm <= 1e-12:
            out[:, 2 * j] = out[:, 2 * j + 1] = 0.0
            continue
        pre = (X @ w + b) / norm
        out[:, 2 * j], out[:, 2 * j + 1] = np.maximum(pre, 0.0), np.maximum(-pre, 0.0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loop-sample", type=int, default=2000, help="subsets timed in the Python loop")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print(f"benchmark (d): feature construction, l1 vertex set with bias, cores = {os.cpu_count()}")
    print(f"  {'case':<22}{'columns':>12}{'vectorized col/s':>20}{'loop col/s':>16}{'ratio':>9}")
    wedge_dictionary(rng.normal(size=(10, 2))), wedge_dictionary(rng.normal(size=(10, 3)))  # warm-up tables
    for n, d in ((300, 2), (60, 3)):
        X = rng.normal(size=(n, d))
        start = time.perf_counter()
        dictionary = wedge_dictionary(X, penalty="l1", bias=True, deduplicate=False)
        K = dictionary.matrix(X)
        vec_time = time.perf_counter() - start
        total = n_candidate_subsets(n, d, "l1", True)
        all_subsets = np.vstack(list(iter_subsets(n + d, d, total)))
        sample = all_subsets[rng.choice(total, size=min(args.loop_sample, total), replace=False)]
        start = time.perf_counter()
        loop_columns(X, sample)
        loop_rate = 2 * len(sample) / (time.perf_counter() - start)
        vec_rate = K.shape[1] / vec_time
        print(f"  {f'n={n}, d={d}':<22}{K.shape[1]:>12,}{vec_rate:>20,.0f}{loop_rate:>16,.0f}{vec_rate / loop_rate:>8.0f}x")
    print(f"  (loop rate measured on {args.loop_sample} random subsets per case and extrapolated to all columns)")


if __name__ == "__main__":
    main()
