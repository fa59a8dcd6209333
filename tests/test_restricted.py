"""Restricted solves of column generation on rank-deficient working sets (issue 14, item 1).

Every reference here is computed independently of ga_relu's solvers: a cvxpy model written in this
file (its residual, the unique dual lambda, read off an explicit constraint), scaled copies of the
data, and the full wedge dictionary solved by ``fit(method="wedge")`` and by an own cvxpy Lasso over
every line through two samples.
"""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest

import ga_relu
from ga_relu.convex.colgen import _solve_restricted, fit_colgen
from ga_relu.convex.problem import Problem
from ga_relu.convex.solvers import logistic_lasso, squared_lasso_active_set
from ga_relu.errors import SolverError


def _dependent_columns(n: int, lines: int, seed: int):
    """relu(t) and relu(-t) of random lines t (relu(t) - relu(-t) = t is affine: dependent once
    three lines are in), t itself, exact duplicates, and more columns than samples."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    T = X @ rng.normal(size=(2, lines)) + rng.normal(size=lines)
    K = np.hstack([np.maximum(T, 0), np.maximum(-T, 0), T[:, :2], np.maximum(T[:, :4], 0)])
    return X, K


def _own_squared_lasso(K, y, beta, intercept):
    """min 0.5 ||r||^2 + beta ||z||_1 s.t. r = y - K z - c, by cvxpy + Clarabel at tight tolerances:
    value and r (the unique dual lambda)."""
    import cvxpy as cp

    z, r = cp.Variable(K.shape[1]), cp.Variable(K.shape[0])
    c = cp.Variable() if intercept else 0.0
    prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(r) + beta * cp.norm1(z)), [r == y - K @ z - c])
    prob.solve(solver="CLARABEL", tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    return prob.value, np.asarray(r.value)


@pytest.mark.parametrize("intercept", [True, False])
@pytest.mark.parametrize("beta", [0.3, 1e-2, 1e-4])
def test_dual_active_set_on_rank_deficient_columns_matches_an_own_cvxpy_model(intercept, beta):
    X, K = _dependent_columns(40, 30, seed=3)
    assert K.shape[1] > K.shape[0] and np.linalg.matrix_rank(K) < K.shape[1]
    y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2
    sol = squared_lasso_active_set(K, y, beta, fit_intercept=intercept)
    value, lam = _own_squared_lasso(K, y, beta, intercept)
    assert sol.objective(K, y, "squared", beta) == pytest.approx(value, rel=1e-8)
    assert np.max(np.abs(sol.lam - lam)) <= 1e-7 * np.abs(y).max()
    # lambda is dual feasible on every column (to far below the pricing tolerance 1e-6) ...
    assert np.max(np.abs(K.T @ sol.lam)) <= beta * (1 + 1e-9)
    if intercept:
        assert abs(sol.lam.sum()) <= 1e-10 * np.abs(y).sum()
    # ... and z is a basic solution: exact zeros on an independent support
    support = np.flatnonzero(sol.z)
    Ks = K[:, support] - (K[:, support].mean(axis=0) if intercept else 0.0)
    assert sol.exact_zeros and np.linalg.matrix_rank(Ks) == support.size


def test_dual_active_set_with_a_support_beyond_its_first_buffers():
    """90 samples at beta = 1e-4: the active set (equality + support) outgrows the 64 columns the
    factors start with; value and lambda still those of the own cvxpy model."""
    X, K = _dependent_columns(90, 100, seed=13)
    y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2
    sol = squared_lasso_active_set(K, y, 1e-4)
    value, lam = _own_squared_lasso(K, y, 1e-4, True)
    assert np.count_nonzero(sol.z) + 1 > 64
    assert sol.objective(K, y, "squared", 1e-4) == pytest.approx(value, rel=1e-8)
    assert np.max(np.abs(sol.lam - lam)) <= 1e-7 * np.abs(y).max()


def test_dual_active_set_warm_start_from_any_guess_reaches_the_same_lambda():
    """z0 = all ones puts every column, dependent or duplicated, in the first active set: the
    solver keeps an independent subset with non-negative multipliers and ends at the same lambda."""
    X, K = _dependent_columns(30, 12, seed=4)
    y = np.abs(X).sum(axis=1)
    cold = squared_lasso_active_set(K, y, 1e-3)
    for z0 in (np.ones(K.shape[1]), -np.ones(K.shape[1]), cold.z):
        warm = squared_lasso_active_set(K, y, 1e-3, z0=z0)
        assert np.max(np.abs(warm.lam - cold.lam)) <= 1e-10 * np.abs(y).max()
        assert warm.objective(K, y, "squared", 1e-3) == pytest.approx(cold.objective(K, y, "squared", 1e-3),
                                                                       rel=1e-12)


def test_dual_active_set_is_homogeneous_under_scaled_copies():
    """K -> a K, y -> b y, beta -> a b beta: lambda -> b lambda and the objective -> b^2 times."""
    X, K = _dependent_columns(35, 20, seed=5)
    y = np.cos(2 * X[:, 1]) - X[:, 0]
    base = squared_lasso_active_set(K, y, 2e-3)
    for a, b in ((1e-3, 1e4), (50.0, 1e-3)):
        scaled = squared_lasso_active_set(a * K, b * y, a * b * 2e-3)
        assert np.max(np.abs(scaled.lam - b * base.lam)) <= 1e-9 * b * np.abs(y).max()
        assert scaled.objective(a * K, b * y, "squared", a * b * 2e-3) == pytest.approx(
            b * b * base.objective(K, y, "squared", 2e-3), rel=1e-9)


def test_dual_active_set_step_budget_raises_a_named_error():
    X, K = _dependent_columns(30, 20, seed=6)
    with pytest.raises(SolverError, match="solver='clarabel'"):
        squared_lasso_active_set(K, np.sin(4 * X[:, 0]), 1e-4, max_iter=3)


def _all_lines(X):
    """The l2 wedge dictionary in 2-D with bias, written here: relu(+-n . (x - x_i)) for the unit
    normal n of the line through x_i and x_j, every pair."""
    cols = []
    for i, j in itertools.combinations(range(len(X)), 2):
        d = X[j] - X[i]
        pre = (X - X[i]) @ (np.array([-d[1], d[0]]) / np.linalg.norm(d))
        cols += [np.maximum(pre, 0), np.maximum(-pre, 0)]
    return np.array(cols).T


@pytest.mark.parametrize("beta", [1e-3, 1e-4])
def test_colgen_at_small_beta_equals_the_full_wedge_fit_and_certifies(beta):
    rng = np.random.default_rng(7)
    X = rng.uniform(-1, 1, size=(30, 2))
    y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2
    cg = fit_colgen(X, y, beta=beta, penalty="l2", bias=True)
    full = ga_relu.fit(X, y, beta=beta, penalty="l2", bias=True, method="wedge")
    own, _ = _own_squared_lasso(_all_lines(X), y, beta, True)
    assert cg.info["certified"] and cg.info["ratio"] <= 1 + cg.info["tol"]
    assert cg.info["relative_gap_bound"] <= 1e-7
    assert cg.objective == pytest.approx(full.objective, rel=1e-7)
    assert cg.objective == pytest.approx(own, rel=1e-7)


def test_colgen_at_small_beta_l1_passes_the_certificate():
    """l1 with bias (T2): the fit's own certificate (an exact pricing of the returned network's dual
    over the full vertex dictionary) calls it optimal."""
    rng = np.random.default_rng(8)
    X = rng.uniform(-1, 1, size=(30, 2))
    y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2
    cg = fit_colgen(X, y, beta=1e-3, penalty="l1", bias=True)
    full = ga_relu.fit(X, y, beta=1e-3, penalty="l1", bias=True, method="wedge")
    assert cg.objective == pytest.approx(full.objective, rel=1e-7)
    assert cg.certificate().optimal


def _own_classification_lasso(K, y, beta, loss):
    import cvxpy as cp

    z, c = cp.Variable(K.shape[1]), cp.Variable()
    margin = cp.multiply(y, K @ z + c)
    data = cp.sum(cp.logistic(-margin)) if loss == "logistic" else cp.sum(cp.pos(1 - margin))
    prob = cp.Problem(cp.Minimize(data + beta * cp.norm1(z)))
    prob.solve(solver="CLARABEL", tol_gap_abs=1e-10, tol_gap_rel=1e-10, tol_feas=1e-10)
    return prob.value


@pytest.mark.parametrize("loss", ["logistic", "hinge"])
def test_classification_restricted_solve_on_rank_deficient_columns(loss):
    """Dependent and duplicated columns: the restricted solve ends (within a few seconds, no
    cycling) at the value of an own cvxpy model."""
    X, K = _dependent_columns(40, 20, seed=9)
    y = np.where(np.sin(3 * X[:, 0]) + X[:, 1] > 0, 1.0, -1.0)
    beta = 0.05
    problem = Problem(X, y, beta=beta, penalty="l2", bias=True, loss=loss)
    start = time.perf_counter()
    sol = _solve_restricted(problem, K, "cvxpy")
    assert time.perf_counter() - start < 20
    value = sol.objective(K, problem.y, loss, beta)
    assert value == pytest.approx(_own_classification_lasso(K, problem.y, beta, loss), rel=1e-6)


def test_logistic_newton_on_dependent_columns_is_bounded():
    """Dependent and duplicated columns: proximal Newton finishes well inside a small step budget at
    the own cvxpy value, also from a warm start on every column at once (a rank-deficient model:
    its intercept's plain 1-D Newton ran off to ~1e80 and LAPACK's SVD then failed on non-finite
    weights, before the bracketed intercept search). A budget of one step raises the named
    SolverError, never a hang."""
    X, K = _dependent_columns(40, 20, seed=10)
    rng = np.random.default_rng(0)
    y = np.where(np.sin(3 * X[:, 0]) + X[:, 1] + 0.7 * rng.normal(size=40) > 0, 1.0, -1.0)
    sol = logistic_lasso(K, y, 0.05, max_newton=60)
    assert sol.kkt <= 1e-9
    assert sol.objective(K, y, "logistic", 0.05) == pytest.approx(_own_classification_lasso(K, y, 0.05, "logistic"),
                                                                 rel=1e-8)
    warm = logistic_lasso(K, y, 0.05, z0=np.full(K.shape[1], 0.1), max_newton=60)
    assert warm.kkt <= 1e-9
    assert warm.objective(K, y, "logistic", 0.05) == pytest.approx(_own_classification_lasso(K, y, 0.05, "logistic"),
                                                                  rel=1e-8)
    with pytest.raises(SolverError, match="larger beta or rescale X"):
        logistic_lasso(K, y, 0.05, max_newton=1)


@pytest.mark.parametrize("loss", ["logistic", "hinge"])
def test_colgen_classification_with_duplicated_samples_converges(loss):
    """Each sample twice: every line has duplicate columns in the dictionary. Column generation
    still certifies, in few rounds, at the value of the full wedge fit."""
    rng = np.random.default_rng(12)
    X = rng.uniform(-1, 1, size=(15, 2))
    X = np.vstack([X, X])
    y = np.where(X[:, 0] + X[:, 1] ** 2 > 0.2, 1.0, -1.0)
    cg = fit_colgen(X, y, beta=0.05, penalty="l2", bias=True, loss=loss, max_iter=40)
    full = ga_relu.fit(X, y, beta=0.05, penalty="l2", bias=True, loss=loss, method="wedge")
    assert cg.info["certified"] and cg.info["iterations"] <= 40
    assert cg.objective == pytest.approx(full.objective, rel=1e-5)
