"""The exact 3-D pencil sweep (ga_relu.convex.sweep3d) against independent computations.

* a brute force written here: every triple of lifted vertices, its normal from 3 x 3 minors in exact
  rationals (fractions.Fraction: zero exactly when the triple is dependent), the score summed
  directly;
* the stream pricing of ga_relu.convex.colgen (another enumeration of the same dictionary);
* scaled copies of the data, and the full-dictionary fit (method="wedge").
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

import ga_relu
from ga_relu.convex import sweep3d
from ga_relu.convex.colgen import _binomial_table, price, subset_ranks
from ga_relu.convex.problem import Problem


def _det3(rows):
    (a, b, c), (d, e, f), (g, h, i) = rows
    return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)


def brute_force(X, lam, beta, penalty):
    """(ratio, sorted scores, n_priced, n_degenerate) over every triple of lifted vertices."""
    n = len(X)
    vertices = [[Fraction(float(v)) for v in x] + [Fraction(1)] for x in X]
    if penalty == "l1":
        vertices += [[Fraction(int(t == s)) for t in range(3)] + [Fraction(0)] for s in range(3)]
    scores, degenerate = [], 0
    for triple in itertools.combinations(range(len(vertices)), 3):
        M = [vertices[v] for v in triple]
        normal = [(-1) ** t * _det3([[row[c] for c in range(4) if c != t] for row in M]) for t in range(4)]
        if all(c == 0 for c in normal[:3]):
            degenerate += 1
            continue
        w, b = np.array([float(c) for c in normal[:3]]), float(normal[3])
        norm = np.abs(w).sum() if penalty == "l1" else np.linalg.norm(w)
        t = X @ w + b
        plus, minus = lam @ np.maximum(t, 0.0), lam @ np.maximum(-t, 0.0)
        scores.append(max(abs(plus), abs(minus)) / norm / beta)
    scores = np.sort(scores)[::-1]
    assert len(scores) + degenerate == len(list(itertools.combinations(range(len(vertices)), 3))) or n == 0
    return float(scores[0]), scores, len(scores), degenerate


def _data(kind, n, rng):
    if kind == "normal":
        return rng.normal(size=(n, 3))
    X = rng.integers(-2, 3, size=(n, 3)).astype(float)  # a grid: collinear triples, axis-parallel planes
    X[1] = X[0]  # a duplicate point
    X[2] = 2 * X[3] - X[4]  # three collinear points
    return X * 0.37 + 0.1 if kind == "scaled grid" else X


CASES = [(kind, n, penalty) for kind, n in (("normal", 9), ("grid", 17), ("scaled grid", 24), ("normal", 25))
         for penalty in ("l1", "l2")]


@pytest.mark.parametrize("kind,n,penalty", CASES)
def test_sweep_equals_brute_force_and_stream(kind, n, penalty):
    rng = np.random.default_rng(n)
    X = _data(kind, n, rng)
    lam = rng.normal(size=n)
    lam -= lam.mean()
    beta = 0.3
    ratio, scores, n_priced, n_degenerate = brute_force(X, lam, beta, penalty)
    swept = price(X, lam, beta, penalty=penalty, bias=True, method="sweep", top=8)
    stream = price(X, lam, beta, penalty=penalty, bias=True, method="stream", top=8)
    assert swept.method == "sweep" and swept.exhaustive
    assert swept.ratio == pytest.approx(ratio, rel=1e-12)
    assert (swept.n_priced, swept.n_degenerate) == (n_priced, n_degenerate) == (stream.n_priced, stream.n_degenerate)
    np.testing.assert_allclose(swept.scores, scores[:8], rtol=1e-12)
    np.testing.assert_allclose(swept.scores, stream.scores, rtol=1e-12)
    # each reported subset's score is its own (recomputed directly), whatever order ties take
    for subset, score in zip(swept.subsets, swept.scores):
        assert score == pytest.approx(_subset_score(X, lam, beta, penalty, subset), rel=1e-10)


def _subset_score(X, lam, beta, penalty, subset):
    n = len(X)
    rows = [list(X[v]) + [1.0] if v < n else [float(t == v - n) for t in range(3)] + [0.0] for v in subset]
    normal = np.array([(-1) ** t * np.linalg.det(np.delete(np.array(rows), t, axis=1)) for t in range(4)])
    w, b = normal[:3], normal[3]
    norm = np.abs(w).sum() if penalty == "l1" else np.linalg.norm(w)
    t = X @ w + b
    return max(abs(lam @ np.maximum(t, 0)), abs(lam @ np.maximum(-t, 0))) / norm / beta


@pytest.mark.parametrize("penalty", ["l1", "l2"])
def test_excluded_subsets_leave_the_new_candidates_as_the_stream_finds_them(penalty):
    rng = np.random.default_rng(3)
    X = _data("grid", 20, rng)
    lam = rng.normal(size=20)
    lam -= lam.mean()
    n_vertices = 20 + (3 if penalty == "l1" else 0)
    full = price(X, lam, 0.2, penalty=penalty, bias=True, method="stream", top=10)
    excluded = np.vstack([full.subsets[:5], np.sort(rng.permuted(np.tile(np.arange(n_vertices), (8, 1)),
                                                                 axis=1)[:, :3], axis=1)])
    ranks = subset_ranks(excluded, _binomial_table(n_vertices, 3))
    swept, stream = (price(X, lam, 0.2, penalty=penalty, bias=True, method=m, top=6, exclude=ranks, tol=1e-6)
                     for m in ("sweep", "stream"))
    assert swept.ratio == pytest.approx(full.ratio, rel=1e-12)
    assert swept.new_ratio == pytest.approx(stream.new_ratio, rel=1e-12) and swept.new_ratio <= swept.ratio
    assert swept.n_violating == stream.n_violating
    np.testing.assert_allclose(swept.scores, stream.scores, rtol=1e-12)
    assert not np.isin(subset_ranks(swept.subsets, _binomial_table(n_vertices, 3)), ranks).any()


@pytest.mark.parametrize("factor", [1e-3, 1e4])
def test_scaled_copies_give_the_scaled_ratio(factor):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(30, 3))
    lam = rng.normal(size=30)
    lam -= lam.mean()
    base = price(X, lam, 0.5, penalty="l1", bias=True, method="sweep").ratio
    # |lambda . relu(s (X w + b))| / ||w|| is s times the unscaled value: the ratio scales with the data
    scaled = price(factor * X, lam, 0.5, penalty="l1", bias=True, method="sweep").ratio
    assert scaled / factor == pytest.approx(base, rel=1e-9)
    # features of very different scales: the same value as the stream's enumeration
    Y = X * np.array([1e3, 1.0, 1e-3])
    assert price(Y, lam, 0.5, penalty="l1", bias=True, method="sweep").ratio == pytest.approx(
        price(Y, lam, 0.5, penalty="l1", bias=True, method="stream").ratio, rel=1e-9)


def test_small_blocks_lazy_cache_and_heuristic_strides_cover_every_plane(monkeypatch):
    """Many blocks (a block of 4 rows): the heuristic strides price disjoint pencil blocks, the
    cache builds each block once, and an exhaustive pass after them equals the stream."""
    monkeypatch.setattr(sweep3d, "ENTRIES_PER_BLOCK", 4 * 22)
    rng = np.random.default_rng(8)
    X = _data("grid", 22, rng)
    lam = rng.normal(size=22)
    lam -= lam.mean()
    cache = sweep3d.Sweep3DCache(X, "l1")
    assert not cache.complete and cache.nbytes == 0
    table = _binomial_table(25, 3)
    from ga_relu.convex.colgen import _TopK

    seen = []
    for offset in range(3):
        best = _TopK(5, 3, np.zeros(0, dtype=np.int64), table, 1.0)
        sweep3d.sweep3d_price(cache, lam, 0.2, best, violation=1.0, stride=8, offset=offset)
        seen.append(best.n_priced)
    assert not cache.complete and 0 < cache.nbytes
    best = _TopK(5, 3, np.zeros(0, dtype=np.int64), table, 1.0)
    sweep3d.sweep3d_price(cache, lam, 0.2, best, violation=1.0)
    stream = price(X, lam, 0.2, penalty="l1", bias=True, method="stream", top=5)
    assert cache.complete and best.n_priced == stream.n_priced and best.n_degenerate == stream.n_degenerate
    assert best.ratio == pytest.approx(stream.ratio, rel=1e-12)
    assert all(count < stream.n_priced for count in seen)


def test_colgen_with_the_sweep_reaches_the_full_dictionary_optimum():
    rng = np.random.default_rng(11)
    X = rng.normal(size=(13, 3))
    y = np.maximum(X[:, 0] - X[:, 1], 0) + 0.3 * X[:, 2]
    wedge = ga_relu.fit(X, y, beta=0.05, method="wedge")
    colgen = ga_relu.fit(X, y, beta=0.05, method="colgen", pricing="sweep")
    assert colgen.info["pricing_method"] == "sweep"
    assert colgen.objective == pytest.approx(wedge.objective, rel=1e-8)
    certificate = colgen.certificate()
    assert certificate.exhaustive and certificate.optimal
    assert certificate.oracle == "colgen-final-pricing" and "sweep pricing (reused)" in certificate.method


def test_auto_sweeps_3d_and_certifies_with_the_sweep_oracle(monkeypatch):
    """n = 45 in 3-D with bias: pricing="auto" sweeps, over several blocks (lazy cache, heuristic
    rounds), to the stream-priced run's optimum; certify(oracle="auto") chooses the sweep oracle."""
    monkeypatch.setattr(sweep3d, "ENTRIES_PER_BLOCK", 8 * 45)
    rng = np.random.default_rng(12)
    X = rng.normal(size=(45, 3))
    y = np.sin(X[:, 0]) + X[:, 1] * X[:, 2]
    swept = ga_relu.fit(X, y, beta=0.1, method="colgen")
    streamed = ga_relu.fit(X, y, beta=0.1, method="colgen", pricing="stream")
    assert swept.info["pricing_method"] == "sweep" and streamed.info["pricing_method"] == "stream"
    assert swept.objective == pytest.approx(streamed.objective, rel=1e-8)
    certificate = ga_relu.certify(swept.network, X, y, beta=0.1)
    assert certificate.oracle == "vertex_sweep" and certificate.exhaustive and certificate.optimal
    by_stream = ga_relu.certify(swept.network, X, y, beta=0.1, oracle="vertices")
    assert certificate.ratio == pytest.approx(by_stream.ratio, rel=1e-12)


def test_the_cost_model_plans_column_generation_with_the_sweep_for_diabetes_sized_data():
    """n = 442, d = 3 (the size of diabetes-3): auto plans colgen priced by the 3-D sweep instead of
    refusing; nothing is computed (only the plan)."""
    from ga_relu.convex.budget import SWEEP3D_CACHE_RATE, SWEEP3D_RATE, sweep3d_slots
    from ga_relu.convex.colgen import plan_pricing
    from ga_relu.convex.fitting import plan_method

    problem = Problem(np.random.default_rng(0).normal(size=(442, 3)), np.zeros(442), beta=1.0)
    work, memory = plan_pricing(problem)
    assert work.method == "sweep" and memory.sweep_cache
    slots = 221 * 220 + 3 * 442  # 2 C(221, 2) pencils and 3 n rows of basis planes
    assert sweep3d_slots(442, "l1") == slots * 442
    assert work.seconds == pytest.approx(slots * 442 / SWEEP3D_RATE)
    assert work.setup_seconds == pytest.approx(slots * 442 / SWEEP3D_CACHE_RATE)
    assert memory.pricing_bytes >= sweep3d.sweep3d_bytes(442) and memory.pricing_bytes < 2**29
    assert plan_method(problem, "auto").first == "colgen"
    with ga_relu.options.override(max_pricing_seconds=1.0):  # a tight bound still refuses it
        with pytest.raises(ga_relu.errors.WorkTooLargeError, match="3-D sweep"):
            plan_pricing(problem)


def test_cache_bytes_are_predicted():
    X = np.random.default_rng(1).normal(size=(60, 3))
    cache = sweep3d.Sweep3DCache(X, "l1").finish()
    assert abs(cache.nbytes - sweep3d.sweep3d_bytes(60)) <= 0.05 * cache.nbytes
