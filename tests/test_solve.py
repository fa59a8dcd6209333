"""The native l1-logistic solver (ga_relu.convex.solvers.logistic_lasso) and its place in LassoProgram.

Every optimality check here is recomputed in the test from scratch: lambda = y / (1 + exp(y f)) by
scipy's expit, K^T lambda, and the Fenchel dual sum_i H(y_i lambda_i) (H the binary entropy, scipy's
entr), never read from the solver's report. References are an independent cvxpy + Clarabel model.
"""

import numpy as np
import pytest
from scipy.special import entr, expit

import ga_relu
from ga_relu.errors import SolverError
from ga_relu.convex.solvers import LassoProgram, logistic_lasso


def gaussian_instance(seed, n=40, p=12):
    """A random design in general position (the Lasso solution is unique) with overlapping classes."""
    rng = np.random.default_rng(seed)
    K = rng.normal(size=(n, p))
    y = np.where(K[:, 0] - 0.5 * K[:, 1] + rng.normal(size=n) > 0, 1.0, -1.0)
    return K, y


def objective(K, y, z, c, beta):
    return float(np.sum(np.logaddexp(0.0, -y * (K @ z + c))) + beta * np.abs(z).sum())


def optimality(K, y, z, c, beta):
    """(largest KKT violation / beta, |sum lambda|, relative duality gap), all recomputed here."""
    f = K @ z + c
    lam = y * expit(-y * f)
    corr = K.T @ lam
    on = z != 0
    kkt = np.where(on, np.abs(corr - beta * np.sign(z)), np.maximum(np.abs(corr) - beta, 0.0))
    scaled = lam / max(1.0, np.abs(corr).max() / beta)  # dual feasible: |K_j . lambda| <= beta
    dual = float(np.sum(entr(y * scaled) + entr(1.0 - y * scaled)))
    primal = objective(K, y, z, c, beta)
    return kkt.max() / beta, abs(lam.sum()), (primal - dual) / (1.0 + abs(primal))


def clarabel_reference(K, y, beta, fit_intercept=True):
    cp = pytest.importorskip("cvxpy")
    z = cp.Variable(K.shape[1])
    c = cp.Variable() if fit_intercept else 0.0
    problem = cp.Problem(cp.Minimize(cp.sum(cp.logistic(-cp.multiply(y, K @ z + c))) + beta * cp.norm1(z)))
    problem.solve(solver="CLARABEL", tol_gap_abs=1e-11, tol_gap_rel=1e-11, tol_feas=1e-11)
    assert problem.status == cp.OPTIMAL
    return np.asarray(z.value), float(c.value) if fit_intercept else 0.0


@pytest.mark.parametrize("seed,beta", [(0, 2.0), (1, 1.0), (2, 4.0)])
def test_agrees_with_clarabel_where_clarabel_succeeds(seed, beta):
    K, y = gaussian_instance(seed)
    z_ref, c_ref = clarabel_reference(K, y, beta)
    sol = logistic_lasso(K, y, beta)
    ours, ref = objective(K, y, sol.z, sol.intercept, beta), objective(K, y, z_ref, c_ref, beta)
    assert ours <= ref + 1e-7 * abs(ref)  # at least as good as the interior point ...
    assert abs(ours - ref) <= 1e-7 * abs(ref)  # ... and the same optimum
    assert np.abs(sol.z - z_ref).max() <= 1e-5
    assert abs(sol.intercept - c_ref) <= 1e-5
    assert 0 < np.count_nonzero(sol.z) < K.shape[1]  # a genuine sparse instance


def test_wedge_objective_agrees_with_clarabel():
    """On a wedge dictionary the minimizer need not be unique (ReLU columns are linearly dependent),
    so only the objective is compared."""
    X, y, _ = ga_relu.interfaces.datasets.load_iris_petals()
    dictionary = ga_relu.convex.dictionary.wedge_dictionary(X[::3], penalty="l1", bias=True)
    K, yy, beta = dictionary.matrix(X[::3]), y[::3], 1.0
    z_ref, c_ref = clarabel_reference(K, yy, beta)
    sol = logistic_lasso(K, yy, beta)
    ours, ref = objective(K, yy, sol.z, sol.intercept, beta), objective(K, yy, z_ref, c_ref, beta)
    assert ours <= ref * (1 + 1e-9) and abs(ours - ref) <= 1e-7 * ref


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("seed,beta", [(3, 1.0), (4, 0.05)])
def test_certificate_checked_independently(seed, beta, fit_intercept):
    K, y = gaussian_instance(seed, n=60, p=200)
    sol = logistic_lasso(K, y, beta, fit_intercept=fit_intercept)
    kkt, intercept_residual, gap = optimality(K, y, sol.z, sol.intercept, beta)
    assert kkt <= 1e-9
    if fit_intercept:
        assert intercept_residual <= 1e-9 * beta
    else:
        assert sol.intercept == 0.0
    assert gap <= 1e-10 and gap >= -1e-12  # weak duality: a gap cannot be negative beyond round-off
    assert np.allclose(sol.lam, y * expit(-y * (K @ sol.z + sol.intercept)), rtol=1e-12, atol=1e-15)


def test_nearly_separable_gaussian_fits_and_is_certified():
    """Clarabel's exponential cones stall on this instance ('optimal_inaccurate')."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3))
    y = np.sign(X[:, 0] + 0.3 * X[:, 1])
    assert_fits_and_is_certified(X, y, 0.1)


def assert_fits_and_is_certified(X, y, beta):
    result = ga_relu.fit(X, y, beta=beta, loss="logistic", method="wedge")
    certificate = result.certificate()
    assert certificate.optimal and certificate.ratio <= 1 + 1e-4
    # the Lasso solution itself (fit() rebuilds the network from it), checked here from scratch
    K = result.dictionary.matrix(X)
    sol = LassoProgram(K, y, loss="logistic").solve(beta)
    kkt, intercept_residual, gap = optimality(K, y, sol.z, sol.intercept, beta)
    assert kkt <= 1e-9 and intercept_residual <= 1e-9 * beta and gap <= 1e-10
    assert abs(result.objective - objective(K, y, sol.z, sol.intercept, beta)) <= 1e-7 * result.objective


def test_setosa_versus_rest_fits_and_is_certified():
    """Linearly separable classes; Clarabel needed ~100 s of fallback settings here."""
    from sklearn.datasets import load_iris

    iris = load_iris()
    X, y = iris.data[:, 2:4], np.where(iris.target == 0, 1.0, -1.0)
    assert_fits_and_is_certified(X, y, 0.1)


def test_warm_start_gives_the_same_answer():
    K, y = gaussian_instance(5, n=50, p=80)
    cold = logistic_lasso(K, y, 0.3)
    from_other_beta = logistic_lasso(K, y, 0.3, z0=logistic_lasso(K, y, 1.0).z, c0=0.7)
    from_optimum = logistic_lasso(K, y, 0.3, z0=cold.z, c0=cold.intercept)
    for warm in (from_other_beta, from_optimum):
        assert np.abs(warm.z - cold.z).max() <= 1e-8
        assert abs(warm.intercept - cold.intercept) <= 1e-8
    program = LassoProgram(K, y, loss="logistic")
    via_program = program.solve(0.3, warm_start=program.solve(1.0))
    assert np.abs(via_program.z - cold.z).max() <= 1e-8


def test_deterministic():
    K, y = gaussian_instance(6, n=50, p=300)
    first, second = logistic_lasso(K, y, 0.2), logistic_lasso(K, y, 0.2)
    assert np.array_equal(first.z, second.z) and first.intercept == second.intercept


def test_program_falls_back_to_clarabel_and_checks_its_certificate(monkeypatch):
    import ga_relu.convex.solvers as solve

    def refuse(*args, **kwargs):
        raise SolverError("native solver refused (test)")

    K, y = gaussian_instance(7)
    native = logistic_lasso(K, y, 0.5)
    monkeypatch.setattr(solve, "logistic_lasso", refuse)
    fallback = LassoProgram(K, y, loss="logistic").solve(0.5)
    assert fallback.status == "optimal"
    assert abs(objective(K, y, fallback.z, fallback.intercept, 0.5) -
               objective(K, y, native.z, native.intercept, 0.5)) <= 1e-7 * abs(native.solver_value)
    # an interior-point answer whose certificate fails is refused, not returned
    monkeypatch.setattr(solve, "_certified", lambda *args, **kwargs: False)
    with pytest.raises(SolverError, match="certificate"):
        LassoProgram(K, y, loss="logistic").solve(0.5)
