"""Column generation (issue 7): equal to the full-dictionary solve, with a certificate that holds.

Every comparison is against an independent computation: the full wedge dictionary solved by cvxpy +
Clarabel (ga_relu.fit(method="wedge")), the dense matrix K of that dictionary for the certificate
ratio max |K^T lambda| / beta, and the chunked stream for the angular-sweep pricing.
"""

from __future__ import annotations

import numpy as np
import pytest

import ga_relu
from ga_relu.convex.solvers import lasso_feature_sign
from ga_relu.certification.sampled import sampled_gap
from ga_relu.convex.colgen import (
    _solve_squared_qp,
    fit_colgen,
    price,
)
from ga_relu.convex.losses import dual_objective
from ga_relu.convex.dictionary import wedge_dictionary
from ga_relu.errors import ConvergenceError, DictionaryTooLargeError, InvalidInputError
from ga_relu.progress import bars_enabled, progress


def regression(n, d, seed):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, d))
    y = np.sin(3 * X[:, 0]) + X[:, -1] ** 2 + 0.1 * rng.normal(size=n)
    return X, y


def labels(n, d, seed):
    X, y = regression(n, d, seed)
    return X, np.where(y > np.median(y), 1.0, -1.0)


def full_ratio(result):
    """max_j |lambda . K_j| / beta over the dense full dictionary: independent of the pricing code."""
    K = wedge_dictionary(result.X, penalty=result.penalty, bias=result.bias, deduplicate=False).matrix(result.X)
    return float(np.max(np.abs(result.dual @ K)) / result.beta)


@pytest.mark.parametrize("penalty", ["l1", "l2"])
def test_sweep_pricing_equals_streamed_dictionary(penalty):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 2))
    X[5] = X[4]  # a repeated point: no line through x_5, x_6
    X[7] = 0.5 * (X[8] + X[9])  # three collinear points: one line, three subsets
    lam = rng.normal(size=30)
    sweep = price(X, lam, 0.7, penalty=penalty, bias=True, top=20, method="sweep")
    stream = price(X, lam, 0.7, penalty=penalty, bias=True, top=20, method="stream")
    assert sweep.ratio == pytest.approx(stream.ratio, rel=1e-12)
    assert sweep.n_priced == stream.n_priced and sweep.n_degenerate == stream.n_degenerate >= 1
    np.testing.assert_allclose(sweep.scores, stream.scores, rtol=1e-10)
    # the ratio is the dense matrix's max |lambda . K_j| / beta
    K = wedge_dictionary(X, penalty=penalty, bias=True, deduplicate=False).matrix(X)
    assert sweep.ratio == pytest.approx(np.max(np.abs(lam @ K)) / 0.7, rel=1e-12)


@pytest.mark.parametrize("penalty,bias,d,n", [("l1", True, 2, 30), ("l2", True, 2, 30), ("l1", False, 2, 30),
                                              ("l2", False, 3, 20), ("l1", True, 3, 10)])
def test_colgen_equals_full_solve_squared(penalty, bias, d, n):
    X, y = regression(n, d, seed=n + d)
    full = ga_relu.fit(X, y, beta=0.05, penalty=penalty, bias=bias, method="wedge")
    cg = ga_relu.fit(X, y, beta=0.05, penalty=penalty, bias=bias, method="colgen", batch=5)
    assert cg.method == "colgen"
    assert cg.objective == pytest.approx(full.objective, rel=1e-6)
    assert cg.info["ratio"] <= 1 + cg.info["tol"] and cg.info["certified"]
    assert full_ratio(cg) <= 1 + 1e-6
    assert cg.info["iterations"] >= 1 and cg.info["working_set_size"] < full.dictionary.n_subsets + full.dictionary.n_duplicates
    assert cg.case == ga_relu.fit(X, y, beta=0.05, penalty=penalty, bias=bias, method="wedge").case  # certified: full case
    assert cg.dictionary.n_candidates == full.dictionary.n_candidates
    # the network reproduces the Lasso value in (P)
    assert cg.network.objective(X, y, 0.05, penalty, "squared") == pytest.approx(cg.lasso_objective, rel=1e-9)


def test_colgen_logistic_and_hinge_equal_full_solve():
    X, y = labels(24, 2, seed=1)
    for loss in ("logistic", "hinge"):
        full = ga_relu.fit(X, y, beta=0.5, penalty="l1", loss=loss, method="wedge")
        cg = fit_colgen(X, y, beta=0.5, penalty="l1", bias=True, loss=loss, fit_intercept=True, batch=10)
        assert cg.objective == pytest.approx(full.objective, rel=1e-6, abs=1e-7), loss
        assert cg.info["ratio"] <= 1 + 1e-6


def test_feature_sign_matches_clarabel_qp():
    rng = np.random.default_rng(0)
    K = np.maximum(rng.normal(size=(40, 60)), 0)
    y = rng.normal(size=40)
    for intercept in (True, False):
        fs = lasso_feature_sign(K, y, 0.3, intercept)
        qp = _solve_squared_qp(K, y, 0.3, intercept)
        assert fs.objective(K, y, "squared", 0.3) == pytest.approx(qp.objective(K, y, "squared", 0.3), rel=1e-8)
        assert fs.objective(K, y, "squared", 0.3) <= qp.objective(K, y, "squared", 0.3) + 1e-12


@pytest.mark.parametrize("loss", ["squared", "logistic"])
def test_sampled_gap_bounds_the_true_gap(loss):
    X, y = (regression if loss == "squared" else labels)(30, 2, seed=7)
    beta = 0.05 if loss == "squared" else 0.5
    full = ga_relu.fit(X, y, beta=beta, penalty="l1", loss=loss, method="wedge")
    for k in (10, 60):
        sampled = ga_relu.fit(X, y, beta=beta, penalty="l1", loss=loss, subsets=k, random_state=k)
        gap = sampled_gap(sampled)
        true_gap = sampled.objective - full.objective
        assert true_gap >= -1e-7
        assert gap.gap_bound >= true_gap - 1e-7, (gap, true_gap)
        assert gap.dual_bound <= full.objective + 1e-7  # weak duality against the solved optimum
        assert gap.ratio > 1  # a few random subsets miss neurons the optimum needs
    at_optimum = sampled_gap(full)
    assert at_optimum.ratio <= 1 + 1e-5 and at_optimum.relative_gap_bound <= 1e-5


def test_dual_objective_matches_primal_at_the_optimum():
    X, y = regression(25, 2, seed=2)
    cg = fit_colgen(X, y, beta=0.1, penalty="l1")
    assert dual_objective("squared", cg.dual - cg.dual.mean(), y) == pytest.approx(cg.objective, rel=1e-8)
    assert cg.info["gap_bound"] <= 1e-8 * cg.objective


def test_errors_name_what_was_reached():
    X, y = regression(30, 2, seed=4)
    with pytest.raises(DictionaryTooLargeError, match="memory_budget"):
        fit_colgen(X, y, beta=0.05, memory_budget=1000)
    with pytest.raises(ConvergenceError, match=r"ratio .* max_iter"):
        fit_colgen(X, y, beta=0.05, max_iter=1, batch=1)
    with pytest.raises(InvalidInputError, match="max_iter"):
        fit_colgen(X, y, beta=0.05, max_iter=0)
    with pytest.raises(InvalidInputError, match="one output"):
        fit_colgen(X, np.column_stack([y, y]), beta=0.05)


def test_auto_switches_to_colgen_above_the_budget():
    X, y = regression(20, 2, seed=5)
    # the full solve needs about 22 x (462 x 20 x 8) bytes + 64 MiB (ga_relu.convex.budget); column generation's
    # working sets (feature-sign search: 3 copies of K and its Gram matrix) fit in 200 kB
    result = ga_relu.fit(X, y, beta=0.05, memory_budget=200_000)
    assert result.method == "colgen" and result.info["certified"]


def test_no_progress_bars_in_tests():
    assert not bars_enabled(True)
    items = [1, 2, 3]
    assert progress(items, verbose=True) is items


def test_auto_uses_column_generation_first_for_classification_and_matches_the_full_solve():
    """method="auto" with a classification loss on > 2,000 columns: colgen, certified, same optimum."""
    from ga_relu.interfaces.datasets import load_iris_petals

    X, y, _ = load_iris_petals()
    auto = ga_relu.fit(X, y, beta=0.5, loss="logistic")
    assert auto.method == "colgen" and auto.info["certified"]
    full = ga_relu.fit(X, y, beta=0.5, loss="logistic", method="wedge")
    assert auto.objective == pytest.approx(full.objective, rel=1e-6)
    assert auto.certificate().optimal


@pytest.mark.parametrize("penalty", ["l1", "l2"])
def test_sweep_blocks_cache_and_exclusion_equal_streamed_dictionary(penalty):
    """Pivot blocks (small chunk), the reusable SweepCache and a working set to exclude: all equal the
    chunked stream; the best new line through each sample equals a brute-force search of the dense matrix."""
    from ga_relu.convex.colgen import SweepCache, _binomial_table, subset_ranks

    rng = np.random.default_rng(11)
    X = rng.normal(size=(25, 2))
    X[3] = X[2]
    lam = rng.normal(size=25)
    stream = price(X, lam, 0.4, penalty=penalty, bias=True, top=15, method="stream")
    exclude = subset_ranks(stream.subsets[:6], _binomial_table(27, 2))
    stream = price(X, lam, 0.4, penalty=penalty, bias=True, top=15, exclude=exclude, method="stream")
    for kwargs in ({"chunk": 40}, {"cache": SweepCache(X)}):
        sweep = price(X, lam, 0.4, penalty=penalty, bias=True, top=15, exclude=exclude, method="sweep", **kwargs)
        assert sweep.ratio == pytest.approx(stream.ratio, rel=1e-12)
        assert sweep.new_ratio == pytest.approx(stream.new_ratio, rel=1e-12) and sweep.new_ratio < sweep.ratio
        assert (sweep.n_priced, sweep.n_degenerate, sweep.n_violating) == \
            (stream.n_priced, stream.n_degenerate, stream.n_violating)
        np.testing.assert_allclose(sweep.scores, stream.scores, rtol=1e-10)
    # brute force: column j of the dense dictionary is line subsets[j]; best over lines through sample i
    D = wedge_dictionary(X, penalty=penalty, bias=True, deduplicate=False)
    K = D.matrix(X)
    m = len(D.subsets)
    score = np.maximum(np.abs(lam @ K[:, :m]), np.abs(lam @ K[:, m:])) / 0.4
    excluded = np.isin(subset_ranks(D.subsets, _binomial_table(27, 2)), exclude)
    pairs, scores = sweep.per_sample
    for i in range(25):
        through = (D.subsets == i).any(axis=1) & (D.subsets < 25).all(axis=1) & ~excluded
        listed = (pairs == i).any(axis=1)
        if listed.any():  # each sample's best line is listed unless the pair is another sample's best too
            assert scores[listed].max() <= score[through].max() * (1 + 1e-12)
        assert score[through].max() <= scores.max() * (1 + 1e-12)
    best_of = {tuple(p): s for p, s in zip(pairs, scores)}
    for p, s in best_of.items():
        j = np.flatnonzero((D.subsets == np.array(p)).all(axis=1))[0]
        assert s == pytest.approx(score[j], rel=1e-12)


def test_feature_sign_on_dependent_columns_matches_clarabel_qp(monkeypatch):
    """relu(t) - relu(-t) = t is affine, so the +- columns of three lines are linearly dependent after
    centering: started on such a singular active set, the Gram-form feature-sign search takes null-space
    steps and still reaches the optimum of the QP solved by Clarabel."""
    import ga_relu.convex.solvers as solve

    steps = []
    real_step = solve._null_space_step
    monkeypatch.setattr(solve, "_null_space_step", lambda *args: steps.append(real_step(*args)) or steps[-1])
    rng = np.random.default_rng(5)
    X = rng.uniform(-1, 1, size=(60, 2))
    T = X @ rng.normal(size=(2, 6)) + rng.normal(size=6)
    K = np.hstack([np.maximum(T, 0), np.maximum(-T, 0)])
    y = np.abs(T).sum(axis=1)
    fs = lasso_feature_sign(K, y, 1e-4, True, z0=np.ones(12), gram=True)
    qp = _solve_squared_qp(K, y, 1e-4, True)
    assert any(steps)
    assert fs.objective(K, y, "squared", 1e-4) <= qp.objective(K, y, "squared", 1e-4) * (1 + 1e-8)
    assert np.max(np.abs(K.T @ fs.lam)) <= 1e-4 * (1 + 1e-8)  # dual feasible on every column


def _own_cvxpy_lasso(K, y, beta, intercept):
    """The squared-loss Lasso by cvxpy, written here (not ga_relu's LassoProgram): value and lambda."""
    import cvxpy as cp

    z = cp.Variable(K.shape[1])
    c = cp.Variable() if intercept else 0.0
    prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(y - K @ z - c) + beta * cp.norm1(z)))
    prob.solve(solver="CLARABEL", tol_gap_abs=1e-11, tol_gap_rel=1e-11, tol_feas=1e-11)
    return prob.value, y - K @ z.value - (c.value if intercept else 0.0)


@pytest.mark.parametrize("intercept", [True, False])
def test_dual_projection_on_dependent_columns_matches_an_own_lasso(intercept):
    """Columns relu(+-t) of lines t (affine combinations: rank deficient) plus exact duplicates: the
    primal is not unique, lambda is. Value and lambda against an own cvxpy model; the recovered z has
    exact zeros on an independent support, and meets the optimality conditions to ~1e-9 beta."""
    from ga_relu.convex.solvers import squared_lasso_dual

    rng = np.random.default_rng(11)
    X = rng.uniform(-1, 1, size=(50, 2))
    T = X @ rng.normal(size=(2, 8)) + rng.normal(size=8)
    K = np.hstack([np.maximum(T, 0), np.maximum(-T, 0)])
    K = np.hstack([K, K[:, :3]])  # duplicates
    y = np.abs(T[:, :3]).sum(axis=1) + np.sin(3 * X[:, 0])
    for beta in (1e-1, 1e-3):
        sol = squared_lasso_dual(K, y, beta, fit_intercept=intercept)
        value, lam = _own_cvxpy_lasso(K, y, beta, intercept)
        assert sol.objective(K, y, "squared", beta) == pytest.approx(value, rel=1e-7)
        assert np.max(np.abs(sol.lam - lam)) <= 1e-5 * np.abs(y).max()
        assert sol.exact_zeros and sol.kkt <= 1e-8
        support = np.flatnonzero(sol.z)
        Ks = K[:, support] - (K[:, support].mean(axis=0) if intercept else 0.0)
        assert np.linalg.matrix_rank(Ks) == support.size  # a basic solution: independent columns
        assert np.max(np.abs(K.T @ sol.lam)) <= beta * (1 + 1e-8)


def test_colgen_small_beta_l2_equals_an_own_full_lasso():
    """At beta = 1e-3 (the interpolation regime, where the working set's columns become dependent)
    column generation reaches the own cvxpy Lasso over every line through two samples."""
    import itertools

    X, y = regression(30, 2, seed=2)
    cols = []
    for i, j in itertools.combinations(range(len(X)), 2):
        d = X[j] - X[i]
        pre = (X - X[i]) @ (np.array([-d[1], d[0]]) / np.linalg.norm(d))
        cols += [np.maximum(pre, 0), np.maximum(-pre, 0)]
    value, _ = _own_cvxpy_lasso(np.array(cols).T, y, 1e-3, True)
    result = fit_colgen(X, y, beta=1e-3, penalty="l2", bias=True)
    assert result.info["ratio"] <= 1 + result.info["tol"]
    assert result.objective == pytest.approx(value, rel=1e-6)
