"""Issue 14's speed items: the dual active set's blocked factorization, ga_relu.options.threads,
and feature-sign search on one BLAS thread.

References are independent of ga_relu's solvers: a cvxpy model written here (its residual is the
unique dual lambda), the reference l1 optimum of tests/reference.py (an own vertex dictionary and
Lasso, with a weak-duality lower bound), and threadpoolctl's own report of the thread pools.
"""

from __future__ import annotations

import numpy as np
import pytest
from reference import l1_reference
from threadpoolctl import threadpool_info

import ga_relu
from ga_relu.convex import colgen, solvers
from ga_relu.convex.solvers import lasso_feature_sign, squared_lasso_active_set
from ga_relu.errors import InvalidInputError, InvalidTypeError


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def _lines(n: int, lines: int, seed: int):
    """relu(t) and relu(-t) of random lines t: relu(t) - relu(-t) = t is affine, so with the
    constant (the intercept's normal) every three pairs are dependent."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    T = X @ rng.normal(size=(2, lines)) + rng.normal(size=lines)
    return X, np.hstack([np.maximum(T, 0), np.maximum(-T, 0)])


def _own_dual(K, y, beta):
    """The unique lambda = y - K z - c of min 0.5 ||y - K z - c||^2 + beta ||z||_1, by cvxpy."""
    import cvxpy as cp

    z, c = cp.Variable(K.shape[1]), cp.Variable()
    r = y - K @ z - c
    prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(r) + beta * cp.norm1(z)))
    prob.solve(solver="CLARABEL", tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    return prob.value, y - K @ z.value - c.value


@pytest.fixture
def qr_calls(monkeypatch):
    """How often the active set factored by blocked QR (numpy's qr, as solvers calls it)."""
    calls = []
    original = np.linalg.qr

    def counted(*args, **kwargs):
        calls.append(args[0].shape)
        return original(*args, **kwargs)

    monkeypatch.setattr(solvers.np.linalg, "qr", counted)
    return calls


def test_warm_start_factored_in_one_block_matches_an_own_cvxpy_model(qr_calls):
    """A warm start of more than _BLOCKED_QR_FROM independent normals is factored by one blocked QR:
    the same lambda and value as the cvxpy model, from the cold solve's support."""
    X, K = _lines(120, 60, seed=21)
    y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2
    cold = squared_lasso_active_set(K, y, 1e-4)
    assert np.count_nonzero(cold.z) + 1 >= solvers._BLOCKED_QR_FROM
    qr_calls.clear()
    warm = squared_lasso_active_set(K, y, 1e-4, z0=cold.z)
    assert qr_calls, "the warm start did not take the blocked factorization"
    value, lam = _own_dual(K, y, 1e-4)
    assert warm.objective(K, y, "squared", 1e-4) == pytest.approx(value, rel=1e-8)
    assert np.max(np.abs(warm.lam - lam)) <= 1e-7 * np.abs(y).max()


def test_warm_start_with_dependent_normals_falls_back_and_matches_cvxpy(qr_calls):
    """z0 = all ones: 81 normals (the constant and 80 columns, 40 relu(t) - relu(-t) = t pairs in a
    3-D span) on 100 samples, mostly dependent. The blocked QR sees a vanishing R_kk and the
    column-by-column factorization keeps an independent subset; lambda is still cvxpy's."""
    X, K = _lines(100, 40, seed=22)
    y = np.abs(X).sum(axis=1)
    warm = squared_lasso_active_set(K, y, 1e-3, z0=np.ones(K.shape[1]))
    assert any(shape == (100, 81) for shape in qr_calls)
    value, lam = _own_dual(K, y, 1e-3)
    assert warm.objective(K, y, "squared", 1e-3) == pytest.approx(value, rel=1e-8)
    assert np.max(np.abs(warm.lam - lam)) <= 1e-7 * np.abs(y).max()


@pytest.mark.parametrize("bad, error", [(0, InvalidInputError), (-2, InvalidInputError),
                                        (1.5, InvalidTypeError), (True, InvalidTypeError),
                                        ("1", InvalidTypeError)])
def test_threads_option_refuses_what_is_not_a_thread_count(bad, error):
    with pytest.raises(error, match="threads"):
        ga_relu.options.threads = bad
    assert ga_relu.options.threads is None


def test_threads_option_limits_blas_inside_column_generation_only(monkeypatch):
    """options.threads = 1: every restricted solve sees one BLAS thread (threadpoolctl's report),
    the pools are as before after the fit, and the fit is the reference optimum."""
    rng = np.random.default_rng(7)
    X = rng.uniform(-1, 1, size=(14, 2))
    y = np.sin(3 * X[:, 0]) + X[:, 1]
    seen = []
    original = colgen._solve_restricted

    def spying(*args, **kwargs):
        seen.append(_blas_threads())
        return original(*args, **kwargs)

    monkeypatch.setattr(colgen, "_solve_restricted", spying)
    before = _blas_threads()
    with ga_relu.options.override(threads=1):
        fit = colgen.fit_colgen(X, y, beta=0.05, penalty="l1")
    assert _blas_threads() == before
    assert seen and all(threads == [1] * len(threads) for threads in seen)
    reference = l1_reference(X, y, 0.05, loss="squared", bias=True, fit_intercept=True)
    # certified: within gap_tol = 1e-6 |P| of the optimum, which lies between the reference bounds
    assert fit.info["certified"]
    assert reference["lower"] * (1 - 1e-9) <= fit.objective <= reference["upper"] * (1 + 2e-6)
    seen.clear()
    colgen.fit_colgen(X, y, beta=0.05, penalty="l1")  # None: the pools as they are
    assert seen and all(threads == before for threads in seen)


def test_feature_sign_runs_its_dense_solves_on_one_thread(monkeypatch):
    """Its least-squares solves see one BLAS thread; the pools are restored after; the solution is
    the cvxpy model's (dependent columns, so the null-space steps run too)."""
    X, K = _lines(40, 12, seed=23)
    y = np.cos(2 * X[:, 1]) - X[:, 0]
    seen = []
    original = np.linalg.lstsq

    def spying(*args, **kwargs):
        seen.append(_blas_threads())
        return original(*args, **kwargs)

    monkeypatch.setattr(solvers.np.linalg, "lstsq", spying)
    before = _blas_threads()
    sol = lasso_feature_sign(K, y, 1e-2, True)
    assert _blas_threads() == before
    assert seen and all(threads == [1] * len(threads) for threads in seen)
    value, _ = _own_dual(K, y, 1e-2)
    assert sol.objective(K, y, "squared", 1e-2) == pytest.approx(value, rel=1e-7)


def test_sweep_on_two_threads_prices_like_one_and_like_an_own_enumeration():
    """1,000 samples (numba's round): two threads split the pivots; every statistic and the chosen
    subsets are those of one thread, bit for bit. The ratio is attained by the top subset and no line
    through 24 random pivots beats it, both scored by an own computation (l2:
    |lambda . relu(+-(n . (x - x_i)))| / ||n|| / beta, n = perp(x_j - x_i))."""
    rng = np.random.default_rng(31)
    n, beta = 1000, 0.05
    X = rng.uniform(-1, 1, size=(n, 2))
    lam = rng.normal(size=n)
    lam -= lam.mean()
    cache = colgen.SweepCache(X)
    results = []
    for threads in (1, 2):
        with ga_relu.options.override(threads=threads):
            results.append(colgen.price(X, lam, beta, penalty="l2", bias=True, top=50, method="sweep", cache=cache))
    one, two = results
    assert (one.ratio, one.new_ratio, one.n_priced, one.n_violating) == (two.ratio, two.new_ratio, two.n_priced,
                                                                         two.n_violating)
    assert np.array_equal(one.subsets, two.subsets) and np.array_equal(one.scores, two.scores)
    assert np.array_equal(one.per_sample[0], two.per_sample[0])

    def own_scores(a, b):
        d = X[b] - X[a]
        normal = np.column_stack([d[:, 1], -d[:, 0]]) / np.hypot(d[:, 0], d[:, 1])[:, None]
        t = normal @ X.T - np.einsum("pk,pk->p", normal, X[a])[:, None]
        return np.maximum(np.abs(np.maximum(t, 0) @ lam), np.abs(np.maximum(-t, 0) @ lam)) / beta

    top = one.subsets[:1]
    assert own_scores(top[:, 0], top[:, 1])[0] == pytest.approx(one.ratio, rel=1e-9)
    for pivot in rng.choice(n, size=24, replace=False):
        others = np.delete(np.arange(n), pivot)
        assert own_scores(np.full(n - 1, pivot), others).max() <= one.ratio * (1 + 1e-9)
