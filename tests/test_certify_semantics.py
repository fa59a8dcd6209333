"""What "certified optimal" means: a proved gap bound, never a tolerance (issues 12.2-3, 18.6).

Every expected value comes from an independent computation in the tests: the reference l1 vertex
dictionary with its own LP / cone program (tests/reference.py), an own minimum-l1 interpolant by
linprog, and objectives evaluated by reference.network_objective.
"""

import numpy as np
import pytest
from reference import (
    l1_reference,
    l1_vertex_neurons,
    network_objective,
    neuron_columns,
    weight_decay_reference,
)

import ga_relu as gr
from ga_relu.certification.sampled import sampled_gap
from ga_relu.convex.duality import gap_bound
from ga_relu.convex.problem import Problem
from ga_relu.errors import DegenerateDataError
from ga_relu.networks.relu import ReLUNetwork


def hinge_data(seed, scale):
    r = np.random.default_rng(seed)
    X = r.standard_normal((13, 2)) * scale
    y = np.where(r.standard_normal(13) > 0, 1.0, -1.0)
    return X, y, 0.003 * scale


def objective_of(net, X, y, beta, *, penalty="l1", loss="squared"):
    return network_objective(net.W, net.b, net.alpha, net.c, X, y, beta, penalty=penalty, loss=loss)


def check_claim(cert, excess_lower):
    """A certificate's claims against an independent lower bound on P(network) - P*."""
    if cert.gap_bound is not None:  # the gap bound holds (weak duality), whatever mu or lambda
        assert excess_lower <= cert.gap_bound + 1e-12 * abs(cert.objective)
    if cert.optimal:  # optimal means proved within gap_tol of |objective|
        assert excess_lower <= cert.gap_tol * abs(cert.objective) * (1 + 1e-9)
        assert cert.gap_bound <= cert.gap_tol * abs(cert.objective)
        assert cert.summary().splitlines()[0].split(": ", 1)[1].startswith("certified optimal: P - P* <=")


# ---------------------------------------------------------------------------------------------
# hinge: the LP's mu near the margin is not a proof; the gap is
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", [1.0, 1000.0])
def test_hinge_fits_certified_only_within_the_gap(scale):
    refused = 0
    for seed in range(4):
        X, y, beta = hinge_data(seed, scale)
        ref = l1_reference(X, y, beta, loss="hinge", bias=True, fit_intercept=True)  # own LP, exact vertices
        fit = gr.fit(X, y, beta=beta, loss="hinge")
        excess = objective_of(fit.network, X, y, beta, loss="hinge") - ref["upper"]  # <= P(fit) - P*
        for tol in (1e-4, 1e-6):
            cert = fit.certificate(gap_tol=tol)
            check_claim(cert, excess)
            refused += excess > tol * fit.objective
            assert not (cert.optimal and excess > tol * fit.objective)
    # networks pushed off the margin: f -> (1 + delta) f moves every margin sample to y f = 1 + delta,
    # where the only subgradient has mu = 0; the old 1e-5 "at the margin" slack certified them
    X, y, beta = hinge_data(0, scale)
    ref = l1_reference(X, y, beta, loss="hinge", bias=True, fit_intercept=True)
    W, b, alpha, c = ref["network"]
    for delta in (2e-7, 3e-6, 5e-4):
        t = np.sqrt(1 + delta)  # balanced: ||w|| = |alpha| is kept
        net = ReLUNetwork(W * t, b * t, alpha * t, c * (1 + delta))
        excess = objective_of(net, X, y, beta, loss="hinge") - ref["upper"]
        assert excess > 0
        for tol in (1e-4, 1e-6):
            cert = gr.certify(net, X, y, beta=beta, loss="hinge", gap_tol=tol)
            check_claim(cert, excess)
            refused += excess > tol * cert.objective
    assert refused > 0  # the cases above include networks that must be refused


def test_hinge_exact_weight_decay_certified_only_within_the_gap():
    X, y, beta = hinge_data(3, 1000.0)
    ref = weight_decay_reference(X, y, beta, loss="hinge", bias=True, fit_intercept=True)  # own cone program
    fit = gr.fit(X, y, beta=beta, loss="hinge", penalty="l2", method="exact")
    excess = objective_of(fit.network, X, y, beta, penalty="l2", loss="hinge") - ref["upper"]
    for tol in (1e-4, 1e-6):
        check_claim(fit.certificate(gap_tol=tol), excess)


# ---------------------------------------------------------------------------------------------
# zero-cost neurons, vector outputs, few samples
# ---------------------------------------------------------------------------------------------


def test_zero_cost_neurons_do_not_block_a_certificate():
    r = np.random.default_rng(4)
    X, y, beta = r.standard_normal((9, 2)), r.standard_normal(9), 0.1
    ref = l1_reference(X, y, beta, loss="squared", bias=True, fit_intercept=True)
    W, b, alpha, c = ref["network"]
    net = ReLUNetwork(W, b, alpha, c)
    base = gr.certify(net, X, y, beta=beta)
    assert base.optimal
    # neurons of round-off size, unbalanced and pointing anywhere: they change nothing measurable
    tiny = ReLUNetwork(np.vstack([W, 1e-300 * r.standard_normal((3, 2))]), np.append(b, 1e-300 * r.standard_normal(3)),
                       np.append(alpha, [3e-300, -1e-301, 2e-299]), c)
    assert objective_of(tiny, X, y, beta) == pytest.approx(objective_of(net, X, y, beta), rel=1e-15)
    cert = gr.certify(tiny, X, y, beta=beta)
    assert cert.optimal and cert.residuals["negligible"] == 3
    # the same bound up to the round-off allowance of three more terms
    assert cert.gap_bound == pytest.approx(base.gap_bound, rel=1e-9, abs=1e-12 * cert.objective)
    assert ref["upper"] - ref["lower"] <= cert.gap_bound + 1e-12  # consistent with the reference's own bound


def test_vector_outputs_summary_and_theorem():
    r = np.random.default_rng(2)
    X, Y, beta = r.standard_normal((7, 1)), r.standard_normal((7, 2)), 0.1
    fit = gr.fit(X, Y, beta=beta)
    assert fit.case.theorem == "T5"
    cert = fit.certificate()
    ref = l1_reference(X, Y, beta, loss="squared", bias=True, fit_intercept=True)
    check_claim(cert, objective_of(fit.network, X, Y, beta) - ref["upper"])
    assert cert.optimal and "certified optimal" in cert.summary() and "certified optimal" in cert._repr_latex_()
    # a random (not optimal) network with vector outputs, exact and sampled searches
    net = ReLUNetwork(r.standard_normal((3, 1)), r.standard_normal(3), r.standard_normal((3, 2)), np.zeros(2))
    net = ReLUNetwork(net.W, net.b, net.alpha, np.mean(Y - net(X), axis=0))  # sum(lambda) = 0: a finite ratio
    for exhaustive in ("auto", False):
        other = gr.certify(net, X, Y, beta=beta, exhaustive=exhaustive, random_state=0)
        assert not other.optimal
        text = other.summary()
        assert "not certified optimal" in text.splitlines()[0]
        if exhaustive is False:
            assert "lower bound" in text.splitlines()[0]


def test_bias_with_fewer_than_d_plus_one_samples():
    r = np.random.default_rng(6)
    X, y, beta = r.standard_normal((2, 3)), r.standard_normal(2), 0.1
    fit = gr.fit(X, y, beta=beta)  # l1: the basis vectors give hyperplanes
    ref = l1_reference(X, y, beta, loss="squared", bias=True, fit_intercept=True)
    assert fit.objective == pytest.approx(ref["upper"], rel=1e-6, abs=1e-12)
    check_claim(fit.certificate(), fit.objective - ref["upper"])
    X3, y3 = r.standard_normal((3, 3)), r.standard_normal(3)
    exact = gr.fit(X3, y3, beta=beta, penalty="l2", method="exact")  # the cone program: n = d < d + 1
    ref = weight_decay_reference(X3, y3, beta, loss="squared", bias=True, fit_intercept=True)
    assert exact.objective == pytest.approx(ref["upper"], rel=1e-5)
    with pytest.raises(DegenerateDataError, match="penalty='l1'"):
        gr.fit(X, y, beta=beta, penalty="l2", method="exact")  # no hyperplane through 3 of 2 samples


# ---------------------------------------------------------------------------------------------
# gaps with a bias and no intercept are bounds against (P)
# ---------------------------------------------------------------------------------------------


def test_gaps_with_a_bias_alone_bound_against_p():
    """With a bias, (P) has a free constant even without an intercept, so inf (P) is below the Lasso
    without a constant column. Every gap must bound P(fit) - inf (P)."""
    r = np.random.default_rng(1)
    X = r.standard_normal((8, 2))
    y = 5.0 + 0.3 * r.standard_normal(8)  # a large offset: the free constant matters
    beta = 0.2
    ref = l1_reference(X, y, beta, loss="squared", bias=True, fit_intercept=False)  # constant free, own LP
    fit = gr.fit(X, y, beta=beta, fit_intercept=False)
    excess = objective_of(fit.network, X, y, beta) - ref["upper"]
    assert excess > 1e-3  # the case is not vacuous: the Lasso without constant is far above (P)
    assert sampled_gap(fit).gap_bound >= excess
    colgen = gr.fit(X, y, beta=beta, fit_intercept=False, method="colgen")
    assert colgen.info["gap_bound"] >= objective_of(colgen.network, X, y, beta) - ref["upper"]
    check_claim(fit.certificate(), excess)
    # gap_bound itself, for an arbitrary lambda: D(lambda') must be a lower bound on inf (P)
    problem = Problem(X, y, beta=beta, fit_intercept=False)
    lam = r.standard_normal(8)
    W, B = l1_vertex_neurons(X, bias=True)
    K, _ = neuron_columns(X, W, B)
    ratio = float(np.abs(K.T @ lam).max()) / beta  # the exact ratio over every vertex, independently
    bound = gap_bound(problem, lam, ratio, objective=fit.objective)
    assert bound.dual_value <= ref["upper"] + 1e-12


# ---------------------------------------------------------------------------------------------
# issue 18.6: a fit calls itself optimal only after a check
# ---------------------------------------------------------------------------------------------


def min_l1_interpolant_cost(X, y, beta):
    """beta * min ||z||_1 s.t. K z + c = y over the exact l1 vertex columns: the value in (P) of a
    network that interpolates (loss 0), an upper bound on inf (P). Own linprog."""
    from scipy.optimize import linprog

    W, B = l1_vertex_neurons(X, bias=True)
    K, _ = neuron_columns(X, W, B)
    n, m = K.shape
    scale = float(np.abs(y).max())
    cost = np.concatenate([np.ones(2 * m), [0.0]])
    A = np.hstack([K, -K, np.ones((n, 1))])
    res = linprog(cost, A_eq=A, b_eq=y / scale, bounds=[(0, None)] * (2 * m) + [(None, None)], method="highs")
    assert res.status == 0
    z = (res.x[:m] - res.x[m:2 * m]) * scale
    on = np.flatnonzero(z != 0)
    Wz, Bz = np.vstack([W, W])[on % m], np.concatenate([B, B])[on % m]
    signs = np.where(on < m, 1.0, -1.0)
    root = np.sqrt(np.abs(z[on]))
    net = ReLUNetwork(Wz * (signs * root)[:, None], Bz * signs * root, np.sign(z[on]) * root, res.x[-1] * scale)
    return objective_of(net, X, y, beta), net


def test_fit_summary_is_honest_and_the_bad_large_scale_fit_is_not_certified():
    r = np.random.default_rng(0)
    X8, y8 = r.standard_normal((8, 2)), r.standard_normal(8)
    y, beta = y8 * 1e10, 1e-6
    feasible, interpolant = min_l1_interpolant_cost(X8, y, beta)
    fit = gr.fit(X8, y, beta=beta)
    text = fit.summary()
    assert "optimal up to solver tolerance by theorem" not in text
    # no claim of optimality without a check: either "not checked" or, when the solver's own optimality
    # conditions are far off (here lambda is round-off of y ~ 1e10), "an upper bound"
    assert ("not checked" in text or "an upper bound on (P)" in text) and ".certificate()" in text and "T2" in text
    cert = fit.certificate()
    if fit.objective > feasible * (1 + cert.tol):  # a feasible network is cheaper: it cannot be certified
        assert not cert.optimal
    check_claim(cert, fit.objective - feasible)
    # a network above the interpolant's cost by 1 % at this scale is never certified
    worse = ReLUNetwork(interpolant.W * 1.01, interpolant.b * 1.01, interpolant.alpha * 1.01, interpolant.c)
    assert objective_of(worse, X8, y, beta) > feasible
    assert not gr.certify(worse, X8, y, beta=beta).optimal
