"""Wedge dictionaries: counts, geometry of every column, dropping, sampling, streaming."""

import math

import numpy as np
import pytest

from ga_relu.convex.dictionary import (
    iter_dictionary_chunks,
    iter_subsets,
    n_candidate_subsets,
    sample_subsets,
    wedge_dictionary,
)
from ga_relu.errors import DegenerateDataError, DictionaryTooLargeError, InvalidInputError, InvalidTypeError


@pytest.mark.parametrize("d", [1, 2, 3])
@pytest.mark.parametrize("penalty", ["l1", "l2"])
@pytest.mark.parametrize("bias", [True, False])
def test_every_column_is_the_hyperplane_through_its_subset(d, penalty, bias):
    rng = np.random.default_rng(10 * d + bias)
    n = 7
    X = rng.integers(-5, 6, size=(n, d)).astype(float) + rng.normal(scale=1e-3, size=(n, d))
    D = wedge_dictionary(X, penalty=penalty, bias=bias, deduplicate=False)
    # docs/theory/exact_cases.md counts, before dropping vanishing normals
    n_vertices = n + (d if penalty == "l1" else 0)
    k = d if bias else d - 1
    assert D.n_candidates == math.comb(n_vertices, k)
    assert D.n_subsets + D.n_degenerate == D.n_candidates
    norms = np.abs(D.weights).sum(1) if penalty == "l1" else np.linalg.norm(D.weights, axis=1)
    np.testing.assert_allclose(norms, 1.0, rtol=1e-12)
    for subset, w, b in zip(D.subsets, D.weights, D.biases):
        samples, basis = D.split_subset(subset)
        for i in samples:  # the hyperplane passes through each defining sample (origin when no bias)
            assert abs(X[i] @ w + b) < 1e-9
        for kk in basis:  # and is parallel to each defining basis vector
            assert abs(w[kk]) < 1e-12
        if not bias:
            assert b == 0.0
        # the normal is orthogonal to the span: independent check with numpy's SVD null space
        lifted = np.hstack([X, np.ones((n, 1))]) if bias else X
        rows = [lifted[i] for i in samples] + [np.eye(lifted.shape[1])[kk] for kk in basis]
        v = np.append(w, b) if bias else w
        if rows:
            assert np.abs(np.array(rows) @ v).max() < 1e-9
    K = D.matrix(X)
    assert K.shape == (n, 2 * D.n_subsets)
    P = X @ D.weights.T + D.biases
    np.testing.assert_array_equal(K, np.hstack([np.maximum(P, 0), np.maximum(-P, 0)]))


def test_one_dimension_with_bias_gives_breakpoints_at_samples():
    x = np.array([[0.5], [-1.0], [2.0], [3.5]])
    for penalty in ("l1", "l2"):
        D = wedge_dictionary(x, penalty=penalty, bias=True)
        # T3: columns relu(x - x_k) and relu(x_k - x)
        assert sorted(-D.biases / D.weights[:, 0]) == sorted(x[:, 0])
        np.testing.assert_allclose(np.abs(D.weights[:, 0]), 1.0)


def test_repeated_points_are_dropped_and_counted():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 2.0], [3.0, 3.0]])
    D = wedge_dictionary(X, penalty="l2", bias=True)
    # the pair (x_2, x_3) is one point: its normal vanishes
    assert D.n_degenerate == 1
    # lines through x_2 and through x_3 with the same partner coincide: duplicates dropped
    assert D.n_duplicates == 3
    assert D.n_subsets == math.comb(5, 2) - 1 - 3


def test_collinear_points_give_one_line():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [5.0, -1.0]])
    D = wedge_dictionary(X, penalty="l2", bias=True)
    assert D.n_duplicates == 2  # (x1,x2), (x1,x3), (x2,x3) are one line


def test_all_degenerate_raises():
    X = np.array([[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]])
    with pytest.raises(DegenerateDataError, match="vanishing normal"):
        wedge_dictionary(X, penalty="l2", bias=True)


def test_iter_subsets_matches_itertools():
    import itertools

    for n, k in [(6, 0), (6, 1), (7, 2), (6, 3), (5, 5)]:
        got = np.vstack(list(iter_subsets(n, k, chunk=4)))
        combos = list(itertools.combinations(range(n), k))
        want = np.array(combos, dtype=int).reshape(len(combos), k)
        np.testing.assert_array_equal(got, want)
        assert all(len(c) <= 4 for c in iter_subsets(n, k, 4))


def test_streamed_chunks_cover_the_full_dictionary():
    X = np.random.default_rng(3).normal(size=(9, 2))
    full = wedge_dictionary(X, penalty="l1", bias=True, deduplicate=False)
    chunks = list(iter_dictionary_chunks(X, penalty="l1", bias=True, chunk=5))
    np.testing.assert_array_equal(np.vstack([c.subsets for c in chunks]), full.subsets)
    np.testing.assert_allclose(np.vstack([c.weights for c in chunks]), full.weights)


def test_sampled_subsets_are_distinct_and_seeded():
    a = sample_subsets(20, 3, 50, random_state=1)
    b = sample_subsets(20, 3, 50, random_state=1)
    np.testing.assert_array_equal(a, b)
    assert len(np.unique(a, axis=0)) == 50
    assert np.all(np.diff(a, axis=1) > 0)
    c = sample_subsets(20, 3, 50, random_state=2)
    assert not np.array_equal(a, c)
    # asking for more than exist returns them all
    assert len(sample_subsets(5, 2, 100, random_state=0)) == 10


def test_budget_error_names_size_and_fix():
    X = np.random.default_rng(0).normal(size=(50, 3))
    total = n_candidate_subsets(50, 3, "l1", True)
    with pytest.raises(DictionaryTooLargeError, match=f"{2 * total:,} columns") as info:
        wedge_dictionary(X, penalty="l1", bias=True, memory_budget=10_000)
    assert "subsets=" in str(info.value) and "colgen" in str(info.value)


def test_bad_subsets_argument():
    X = np.random.default_rng(0).normal(size=(6, 2))
    with pytest.raises(InvalidInputError):
        wedge_dictionary(X, penalty="l3")
    with pytest.raises(ValueError, match="shape"):
        wedge_dictionary(X, subsets=np.zeros((3, 3), dtype=int))
    with pytest.raises(ValueError, match="indices"):
        wedge_dictionary(X, subsets=np.array([[0, 99]]))


# ---------------------------------------------------------------------------------------------
# subsets= and memory_budget= are checked, never truncated (issue 18.4/18.5, 12.4)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("subsets, error", [
    (np.array([[0.5, 1.7]]), InvalidTypeError), (1.5, InvalidTypeError), ("5", InvalidTypeError),
    (True, InvalidTypeError), (0, InvalidInputError), (-1, InvalidInputError),
    (np.array([[0, 1, 2]]), InvalidInputError), (np.array([[0, 99]]), InvalidInputError),
])
def test_bad_subsets_are_refused_naming_what_is_expected(subsets, error):
    X = np.random.default_rng(0).standard_normal((6, 2))
    with pytest.raises(error, match="an int number of subsets to sample, or an \\(m, k\\) integer array|indices"):
        wedge_dictionary(X, subsets=subsets)


def test_float_subset_indices_are_not_truncated_through_fit():
    import ga_relu

    X = np.random.default_rng(0).standard_normal((6, 2))
    with pytest.raises(InvalidTypeError, match="never rounded or truncated"):
        ga_relu.fit(X, np.ones(6), beta=0.1, subsets=np.array([[0.5, 1.7]]))
    # the same subset as ints is accepted and gives the line through x_1 and x_2
    D = wedge_dictionary(X, subsets=np.array([[0, 1]]))
    assert D.n_subsets == 1 and abs(X[0] @ D.weights[0] + D.biases[0]) < 1e-12


@pytest.mark.parametrize("budget", ["x", 1.5, True])
def test_memory_budget_of_the_wrong_type(budget):
    import ga_relu

    X = np.random.default_rng(0).standard_normal((6, 2))
    with pytest.raises(InvalidTypeError, match="memory_budget must be a whole number of bytes"):
        wedge_dictionary(X, memory_budget=budget)
    with pytest.raises(InvalidTypeError, match="memory_budget"):
        ga_relu.fit(X, np.ones(6), beta=0.1, memory_budget=budget)


def test_degenerate_message_does_not_suggest_l1_when_it_is_l1():
    X = np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]])
    with pytest.raises(DegenerateDataError) as l2_error:
        wedge_dictionary(X, penalty="l2", bias=True)
    assert "penalty='l1'" in str(l2_error.value)
    with pytest.raises(DegenerateDataError) as l1_error:  # only the subset {x_1, x_2}: w = 0 exactly
        wedge_dictionary(X, penalty="l1", bias=True, subsets=np.array([[0, 1]]))
    assert "penalty='l1'" not in str(l1_error.value)


# ---------------------------------------------------------------------------------------------
# dropping is exact: scale-free, decided in rationals
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("exponent", [-150, -12, 0, 12, 150])
def test_dictionary_is_the_same_at_every_power_of_two_scale(exponent):
    # scaling by 2^e is exact: the normalized columns must be exactly s times those at scale 1
    X = np.random.default_rng(3).uniform(0, 1, (7, 3))
    base = wedge_dictionary(X)
    s = 2.0**exponent
    scaled = wedge_dictionary(X * s)
    np.testing.assert_array_equal(scaled.subsets, base.subsets)
    np.testing.assert_allclose(scaled.matrix(X * s) / s, base.matrix(X), rtol=1e-12, atol=1e-12)


def test_near_degenerate_subsets_are_decided_exactly():
    # x_3 is off the line through x_1, x_2 by one ulp: the float cross product is rounding noise,
    # the exact one (Fractions, by hand) is not zero, so the line through x_1, x_3 is kept
    a = 1.0 + 2.0**-52
    X = np.array([[0.0, 0.0], [1.0, 1.0], [1.0, a], [5.0, -3.0]])
    D = wedge_dictionary(X, penalty="l2", bias=True)
    # exact: (x_1, x_2) and (x_1, x_3) are different lines (slopes 1 and a), so all 6 pairs stay
    assert D.n_subsets == 6 and D.n_duplicates == 0 and D.n_degenerate == 0
    # exactly collinear points: (0,0), (1,1), (3,3) give one line, the duplicates are exact
    X = np.array([[0.0, 0.0], [1.0, 1.0], [3.0, 3.0], [5.0, -3.0]])
    D = wedge_dictionary(X, penalty="l2", bias=True)
    assert D.n_subsets == 4 and D.n_duplicates == 2


def test_distinct_parallel_hyperplanes_at_tiny_scale_are_not_merged():
    # lines x = c_i with c_i ~ 1e-12 apart: rounding (w, b) to 10 decimals used to merge them
    X = np.array([[0.0, 0.0], [1e-12, 0.3], [2e-12, 0.7], [3e-12, 0.1]])
    D = wedge_dictionary(X, penalty="l1", bias=True, deduplicate=True)
    axis_lines = [i for i, s in enumerate(D.subsets) if s[1] == 4 + 1]  # through a sample, parallel to e_2
    assert len(axis_lines) == 4
