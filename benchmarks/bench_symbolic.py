"""Timings of symbolic derivations and of lambdified vs vectorized dictionary features.

Run: python benchmarks/bench_symbolic.py   (prints side-by-side numbers; nothing is asserted)
"""

import time

import numpy as np

from ga_relu.convex.dictionary import build_columns, vertex_set, wedge_dictionary
from ga_relu.explain.symbolic import neuron_formula, numeric_feature_function, symbolic_points


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def derivations():
    print("symbolic derivation of one neuron (bias, l2): structural, expanded w/b/preactivation/norm, feature")
    print(f"{'d':>2} {'terms d!':>9} {'first (s)':>10} {'warm (s)':>9}")
    for d in range(2, 6):
        start = time.perf_counter()
        neuron_formula(symbolic_points(d, d), penalty="l2").feature  # builds clifford tables once per d
        first = time.perf_counter() - start
        P = symbolic_points(d + 1, d)
        warm = best_of(lambda: neuron_formula(P[1:], penalty="l2").feature)
        import math
        print(f"{d:>2} {math.factorial(d):>9} {first:>10.3f} {warm:>9.3f}")


def features():
    print("\ndictionary features: vectorized (build_columns + matmul) vs lambdified symbolic formula")
    print(f"{'case':<18} {'n':>5} {'cols':>8} {'vectorized':>11} {'lambdify':>9} {'ratio':>6} {'max rel diff':>13}")
    rng = np.random.default_rng(0)
    for d, n, bias, penalty in [(1, 2000, True, "l1"), (2, 120, True, "l1"), (2, 120, True, "l2"),
                                (3, 40, True, "l2"), (4, 20, True, "l1")]:
        X = rng.normal(size=(n, d))
        dictionary = wedge_dictionary(X, penalty=penalty, bias=bias, deduplicate=False)
        V = vertex_set(X, penalty, bias)[dictionary.subsets]
        f = numeric_feature_function(d, bias, penalty)
        f(X, V)

        subsets = dictionary.subsets

        def vectorized():  # cross_batch normals + normalization + one matrix product
            _, w, b, _ = build_columns(X, subsets, penalty, bias)
            P = X @ w.T + b
            return np.hstack([np.maximum(P, 0.0), np.maximum(-P, 0.0)])

        t_vec = best_of(vectorized)
        t_lam = best_of(lambda: f(X, vertex_set(X, penalty, bias)[subsets]))
        K, K2 = dictionary.matrix(X), f(X, V)
        diff = np.max(np.abs(K - K2)) / max(1.0, np.max(np.abs(K)))
        name = f"d={d} {penalty} bias={bias}"
        print(f"{name:<18} {n:>5} {K.shape[1]:>8} {t_vec:>11.4f} {t_lam:>9.4f} {t_lam / t_vec:>6.2f} {diff:>13.2e}")
    print("(both from the same subsets: vectorized = build_columns (cross_batch) + X @ W.T; lambdify = vertex rows + generated code)")


if __name__ == "__main__":
    derivations()
    features()
