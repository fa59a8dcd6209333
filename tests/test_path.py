"""path(): warm-started column generation along beta, against an own cvxpy Lasso over the full
dictionary built here (the dense matrix of every line through two samples, written in this file)."""

from __future__ import annotations

import itertools

import cvxpy as cp
import numpy as np
import pytest

import ga_relu
from ga_relu.errors import InvalidInputError


def data(n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    return X, np.sin(3 * X[:, 0]) + X[:, 1] ** 2


def full_matrix(X):
    """relu(+-(w . x + b)) for every line through two samples, w the unit normal (weight decay):
    built from the coordinates alone, not from ga_relu's dictionary code."""
    cols = []
    for i, j in itertools.combinations(range(len(X)), 2):
        d = X[j] - X[i]
        w = np.array([-d[1], d[0]]) / np.linalg.norm(d)
        pre = (X - X[i]) @ w
        cols += [np.maximum(pre, 0), np.maximum(-pre, 0)]
    return np.array(cols).T


def own_lasso(K, y, beta):
    z, c = cp.Variable(K.shape[1]), cp.Variable()
    prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(K @ z + c - y) + beta * cp.norm1(z)))
    prob.solve(solver="CLARABEL", tol_gap_abs=1e-10, tol_gap_rel=1e-10, tol_feas=1e-10)
    return prob.value


def test_colgen_path_equals_own_full_lasso_at_every_beta_in_the_callers_order():
    X, y = data(24)
    betas = np.array([0.01, 0.2, 0.05, 0.001])  # not sorted: solved largest first, returned as given
    fits = ga_relu.path(X, y, betas, penalty="l2", bias=True, method="colgen")
    K = full_matrix(X)
    for beta, fit in zip(betas, fits):
        assert fit.problem.beta == beta
        reference = own_lasso(K, y, beta)
        assert abs(fit.objective - reference) <= 1e-6 * reference
        assert fit.info["ratio"] <= 1 + fit.info["tol"]
        # the coefficients over the union dictionary reproduce the network's predictions
        Ku = fits.dictionary.matrix(X)
        assert np.allclose(Ku @ fit.coefficients + fit.intercept, fit.network(X), atol=1e-9)
    assert fits.coefficients.shape == (4, 2 * len(fits.dictionary.subsets))


def test_auto_path_takes_colgen_above_4000_columns_and_matches_the_wedge_path():
    X, y = data(70)  # 2,415 lines, 4,830 columns: above the threshold of the default path
    betas = [0.1, 0.02]
    auto = ga_relu.path(X, y, betas, penalty="l2")
    assert all(f.method == "colgen" for f in auto)
    wedge = ga_relu.path(X, y, betas, penalty="l2", method="wedge")
    for a, w in zip(auto, wedge):
        assert abs(a.objective - w.objective) <= 1e-6 * w.objective


def test_path_options_are_checked():
    X, y = data(6)
    with pytest.raises(InvalidInputError, match="method="):
        ga_relu.path(X, y, [0.1], method="exact")
    with pytest.raises(InvalidInputError, match="subsets="):
        ga_relu.path(X, y, [0.1], method="colgen", subsets=3)
