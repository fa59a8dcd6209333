"""The 2-D sweep's kernels (behaviour only; speed lives in benchmarks/bench_large_l1.py --kernels):
numpy and numba rounds agree bit for bit, the cold-path choice (numpy or numba, cached or uncached,
block sizes) never changes a pricing, and both equal an independent brute force."""

from __future__ import annotations

import numpy as np
import pytest

from ga_relu.convex import _sweep_kernels as kernels
from ga_relu.convex import colgen
from ga_relu.convex.colgen import SweepCache, price


def _data(n, seed):
    r = np.random.default_rng(seed)
    X = r.uniform(-1.0, 1.0, (n, 2))
    X[4] = X[1]  # a repeated sample: lines through both vanish
    X[6] = [X[2, 0], X[3, 1]]  # shares coordinates: axis-parallel ties
    lam = r.standard_normal(n)
    return X, lam - lam.mean()


def _round(kernel, X, lam, cache, l1, excluded, top):
    n = len(X)
    stats = [np.empty(n) for _ in range(2)] + [np.empty(n, dtype=np.int64) for _ in range(3)]
    best = (np.empty(n), np.empty(n, dtype=np.int64))
    heap = (np.full((n, top), -1.0), np.full((n, top), -1, dtype=np.int64))
    kernel(X, 0, lam, cache.order, cache.left, cache.right, l1, 0.0, 1 / 0.3, 1 + 1e-6, excluded, top, *stats, *best,
           *heap)
    scores = heap[0][heap[1] >= 0]
    return stats, best, np.sort(scores)[::-1][:top]


@pytest.mark.parametrize("l1", [True, False])
def test_numpy_and_numba_rounds_agree_bit_for_bit(l1):
    X, lam = _data(90, 0)
    cache = SweepCache(X)
    excluded = np.zeros((90, 90), dtype=bool)
    excluded[[3, 10, 20], [50, 11, 21]] = excluded[[50, 11, 21], [3, 10, 20]] = True
    ours = _round(kernels.sweep_round_np, X, lam, cache, l1, excluded, 7)
    compiled = _round(kernels.numba_round(), X, lam, cache, l1, excluded, 7)
    for a, b in zip(ours[0] + list(ours[1]) + [ours[2]], compiled[0] + list(compiled[1]) + [compiled[2]]):
        np.testing.assert_array_equal(a, b)


def _brute_force(X, lam, beta, l1):
    """Every line through two distinct samples, both sides, its unit normal: max |lambda . relu| / beta."""
    best = 0.0
    for i in range(len(X)):
        for j in range(i + 1, len(X)):
            d = X[j] - X[i]
            normal = np.array([d[1], -d[0]])
            size = np.abs(normal).sum() if l1 else np.hypot(*normal)
            if size == 0:
                continue
            t = (X - X[i]) @ normal / size
            best = max(best, abs(lam @ np.maximum(t, 0)), abs(lam @ np.maximum(-t, 0)))
    return best / beta


@pytest.mark.parametrize("penalty", ["l1", "l2"])
def test_cold_path_choices_never_change_the_pricing(monkeypatch, penalty):
    """numpy or numba round, cached orders or blocks of 2, 6 or all pivots: the same pricing, exactly."""
    X, lam = _data(40, 1)
    runs = []
    for backend in ("numpy", "numba"):
        threshold = 10**9 if backend == "numpy" else 1
        monkeypatch.setattr(colgen, "SWEEP_MIN_SAMPLES", threshold)
        for kwargs in ({"cache": SweepCache(X)}, {"chunk": 1}, {"chunk": 3}, {}):
            runs.append(price(X, lam, 0.3, penalty=penalty, bias=True, top=9, exclude=np.array([5, 17, 300]),
                              method="sweep", **kwargs))
    first = runs[0]
    for other in runs[1:]:
        assert other.ratio == first.ratio and other.new_ratio == first.new_ratio
        assert (other.n_priced, other.n_degenerate, other.n_violating) == \
            (first.n_priced, first.n_degenerate, first.n_violating)
        np.testing.assert_array_equal(other.scores, first.scores)
        np.testing.assert_array_equal(other.per_sample[1], first.per_sample[1])
    lines = _brute_force(X, lam, 0.3, penalty == "l1")
    stream = price(X, lam, 0.3, penalty=penalty, bias=True, top=9, method="stream")
    assert first.ratio == pytest.approx(stream.ratio, rel=1e-12)
    if penalty == "l2":  # the lines through two samples are the whole dictionary
        assert first.ratio == pytest.approx(lines, rel=1e-12)
    else:  # l1 adds the axis-parallel lines through e_1, e_2
        assert first.ratio >= lines * (1 - 1e-12)


def test_uncached_blocks_are_sized_by_memory():
    """At n = 1,000 with the default chunk an uncached pass is one block, not 500 of two pivots."""
    chunk = colgen._pricing_chunk(1000, None)
    assert colgen._sweep_pivots_per_block(1000, chunk) >= 1000
    assert colgen._sweep_pivots_per_block(25, 3) == 6
