"""Column generation's stop is the certificate's test, and the dual active set is accurate at large n.

Independent computations: the l1 reference of tests/reference.py (an own vertex dictionary and an
own Lasso, with its weak-duality lower bound), a cvxpy model of the restricted dual written here,
and brute-force |K^T lambda| over every working-set column.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pytest

import ga_relu
from ga_relu.certification.certificate import Certificate
from ga_relu.convex import colgen
from ga_relu.convex.problem import Problem
from ga_relu.convex.solvers import squared_lasso_active_set

from reference import l1_reference


def _data(n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    return X, np.sin(3 * X[:, 0]) + X[:, 1] ** 2


def test_gap_tol_is_the_certificates_default():
    default = inspect.signature(Certificate).parameters["gap_tol"].default
    assert colgen.GAP_TOL == default
    assert colgen.ColgenOptions.__dataclass_fields__["gap_tol"].default == default


@pytest.mark.parametrize("tol", [1e-2, 1e-1])
def test_a_loose_ratio_tol_still_stops_where_the_certificate_holds(tol):
    # before the fix the run stopped at ratio 1.0035 (tol = 1e-2), called itself certified, and its
    # certificate said optimal=False (relative gap 3.3e-3 > 1e-6)
    X, y = _data(60)
    beta = 0.05
    fit = ga_relu.fit(X, y, beta=beta, penalty="l1", method="colgen", tol=tol)
    certificate = fit.certificate()
    assert fit.info["certified"] is True
    assert certificate.optimal is True
    assert fit.info["relative_gap_bound"] <= 1e-6
    # against an independent Lasso over an own vertex dictionary: within the proved gap
    reference = l1_reference(X, y, beta, loss="squared", bias=True, fit_intercept=True)
    assert reference is not None
    assert fit.objective <= reference["upper"] + 1e-6 * abs(reference["upper"])
    assert fit.objective - fit.info["gap_bound"] <= reference["upper"]
    assert reference["lower"] <= fit.objective + 1e-12


@pytest.mark.parametrize("beta", [0.1, 0.01])
def test_certified_agrees_with_the_certificate(beta):
    X, y = _data(150, seed=3)
    fit = ga_relu.fit(X, y, beta=beta, penalty="l1", method="colgen")
    certificate = fit.certificate()
    assert fit.info["certified"] == certificate.optimal
    assert certificate.optimal
    assert certificate.relative_gap <= 1e-6


def test_active_set_meets_every_working_set_constraint_at_large_n():
    # the restricted problem on which column generation stalled (n = 5,000, beta = 0.01, l1 with
    # bias, round 30 of benchmarks/bench_colgen.py --large): the warm-started dual active set stopped
    # with a working-set column at 1 + 2.2e-6 beta, inside its worst-case round-off allowance
    # (n eps: 6e-6 beta there) and above the pricing's 1e-6, so no round could add anything
    saved = np.load(Path(__file__).parent / "data" / "colgen_stall_n5000.npz")
    rng = np.random.default_rng(1)
    X = rng.uniform(-1.0, 1.0, size=(5000, 2))
    y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2
    beta = float(saved["beta"])
    problem = Problem(X, y, beta=beta, penalty="l1", bias=True)
    K = colgen._working_dictionary(problem, saved["subsets"], 0, 0).matrix(X)
    sol = squared_lasso_active_set(K, y, beta, fit_intercept=True, z0=saved["z0"])
    # brute force over every working-set column, in the caller's units
    assert np.abs(K.T @ sol.lam).max() <= beta * (1 + 1e-7)
    assert abs(sol.lam.sum()) <= 1e-9 * np.abs(sol.lam).sum()
    # weak duality, computed here: lambda is dual feasible (up to the 1e-7 above), so the primal
    # value minus the dual value bounds both distances from the restricted optimum
    dual = float(sol.lam @ y - 0.5 * sol.lam @ sol.lam)
    primal = 0.5 * float(np.sum((y - K @ sol.z - sol.intercept) ** 2)) + beta * float(np.abs(sol.z).sum())
    assert -1e-9 * primal <= primal - dual <= 1e-8 * primal


def test_a_gap_that_columns_cannot_close_is_reported_uncertified():
    # a bias without an intercept column: (P)'s free constant is not in the dictionary, so the
    # Lasso optimum is far above inf (P) (the l1 reference, constant free, is the independent value)
    rng = np.random.default_rng(1)
    X = rng.standard_normal((8, 2))
    y = 5.0 + 0.3 * rng.standard_normal(8)
    fit = ga_relu.fit(X, y, beta=0.2, fit_intercept=False, method="colgen")
    reference = l1_reference(X, y, 0.2, loss="squared", bias=True, fit_intercept=False)
    assert fit.objective - reference["upper"] > 1e-3
    assert fit.info["certified"] is False
    assert fit.info["gap_bound"] >= fit.objective - reference["upper"]
    assert fit.certificate().optimal is False
