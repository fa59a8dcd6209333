"""Exact weight decay in the plane by column generation over activation patterns (method="exact_colgen").

Independent references: the full exact program (method="exact", every chamber enumerated up
front), a dense search over directions with every breakpoint bias (plain numpy, a lower bound on
the certificate's ratio), one cone program per chamber written here in cvxpy (an upper bound),
linear programs (HiGHS) that check every constraint the facet reduction drops is implied, and a
scaled copy of the data.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

import ga_relu as gr
from ga_relu.convex.chambers import enumerate_chambers, lift
from ga_relu.convex.pattern_colgen import cone_facets, solve_pattern_colgen
from ga_relu.convex.problem import Problem
from ga_relu.errors import InvalidInputError


def dense_ratio(X, lam, beta, n_angles=3601):
    """max over a grid of unit directions and every breakpoint bias of |lambda . relu(Xu + b)| / beta,
    refined around the best angle: a value attained by a neuron, so at most the exact maximum."""

    def best(angles):
        U = np.stack([np.cos(angles), np.sin(angles)], axis=1)
        T = U @ X.T
        values = np.abs(np.maximum(T[:, None, :] - T[:, :, None], 0.0) @ lam).max(axis=1)
        j = int(np.argmax(values))
        return values[j], angles[j]

    value, angle = best(np.linspace(0.0, 2 * np.pi, n_angles, endpoint=False))
    step = 2 * np.pi / n_angles
    for _ in range(3):
        refined, angle = best(np.linspace(angle - step, angle + step, 1001))
        value, step = max(value, refined), step / 400
    return value / beta


def chamber_ratio(X, lam, beta):
    """max over the chambers D of max {|lambda . D X~ v| : (2D - I) X~ v >= 0, ||v[:2]|| <= 1}, one
    cvxpy cone program per chamber and sign: the exact maximum up to the solver's accuracy."""
    import cvxpy as cp

    Xt = lift(X, True)
    best = 0.0
    for pattern in enumerate_chambers(X, bias=True).patterns:
        D = pattern.astype(float)
        v = cp.Variable(3)
        for sign in (1.0, -1.0):
            program = cp.Problem(cp.Maximize(sign * (lam * D) @ (Xt @ v)),
                                 [cp.multiply(2 * D - 1, Xt @ v) >= 0, cp.norm(v[:2], 2) <= 1])
            program.solve(solver="CLARABEL")
            best = max(best, float(program.value))
    return best / beta


def data(seed, n):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    return X, np.sin(3 * X[:, 0]) + X[:, 1] ** 2 + 0.1 * rng.normal(size=n)


@pytest.mark.parametrize("seed, n, beta", [(0, 12, 0.05), (1, 18, 0.02), (2, 25, 0.01)])
def test_equals_the_full_exact_program_and_is_certified(seed, n, beta):
    X, y = data(seed, n)
    _check_against_the_full_program(X, y, beta, bias=True, rel=1e-7)


def _check_against_the_full_program(X, y, beta, *, bias, rel):
    """exact_colgen against method="exact" (every chamber's cone program): the same objective, its
    own proved bound never above the optimum by more than the gap it reports, and certified."""
    full = gr.fit(X, y, beta=beta, penalty="l2", bias=bias, method="exact", compare_wedge=False)
    colgen = gr.fit(X, y, beta=beta, penalty="l2", bias=bias, method="exact_colgen")
    assert colgen.objective == pytest.approx(full.objective, rel=rel)
    assert colgen.objective - colgen.info["gap_bound"] <= full.objective * (1 + 1e-9)
    assert colgen.info["relative_gap_bound"] <= 1e-6
    certificate = colgen.certificate()
    assert certificate.optimal, certificate.summary()


def test_certificate_ratio_between_dense_search_and_chamber_programs():
    """The exact sweep behind the certificate, on the dual vector of a random network (ratio well
    above 1): at least the dense search's attained value, at most the chambers' cone programs."""
    rng = np.random.default_rng(4)
    X = rng.normal(size=(9, 2))
    y = rng.normal(size=9)
    W = rng.normal(size=(3, 2))
    network = gr.ReLUNetwork(W, rng.normal(size=3), rng.normal(size=3), 0.0)
    network.c = float(np.mean(y - network(X)))  # sum(lambda) = 0: the free constant at its optimum
    beta = 0.05
    certificate = gr.certify(network, X, y, beta=beta, penalty="l2")
    lam = certificate.dual
    assert abs(lam.sum()) <= 1e-12 * np.abs(lam).sum()
    lower, upper = dense_ratio(X, lam, beta), chamber_ratio(X, lam, beta)
    assert lower <= certificate.ratio * (1 + 1e-12)
    assert certificate.ratio <= upper * (1 + 1e-7)
    assert certificate.ratio == pytest.approx(upper, rel=1e-6)


def test_scaled_copy_scales_the_objective():
    """(s X, s y) at s^2 beta has optimum s^2 P*(beta): in the convex form a unit neuron
    relu(u . x + c) with coefficient z costs beta |z|, and on the copy relu(u . s x + s c) is s
    times the column, so the same z gives s times the predictions (loss s^2 L) at cost s^2 beta |z|."""
    X, y = data(5, 15)
    s = 8.0  # a power of two: the copy is exact
    base = gr.fit(X, y, beta=0.02, penalty="l2", method="exact_colgen")
    scaled = gr.fit(s * X, s * y, beta=0.02 * s * s, penalty="l2", method="exact_colgen")
    assert scaled.objective == pytest.approx(s * s * base.objective, rel=1e-7)
    assert scaled.info["relative_gap_bound"] <= 1e-6


def test_cone_facets_drop_only_implied_constraints():
    """Every row the reduction drops is implied by the kept ones: min a_j . v over the kept cone
    (in a box) is 0, found by a linear program, not by the hull."""
    rng = np.random.default_rng(6)
    for trial in range(25):
        X = rng.normal(size=(20, 2)) if trial % 2 else rng.integers(-2, 3, size=(20, 2)).astype(float)
        Xt = lift(X, True)
        v0 = np.append(rng.normal(size=2), rng.normal())
        signs = np.where(Xt @ v0 > 0, 1.0, -1.0)
        A = signs[:, None] * Xt
        if not np.all(A @ v0 > 1e-9):
            continue  # v0 on a line: not an interior point
        kept = cone_facets(A, v0)
        assert len(kept) < len(A)
        for j in sorted(set(range(len(A))) - set(kept.tolist())):
            result = linprog(A[j], A_ub=-A[kept], b_ub=np.zeros(len(kept)), bounds=[(-1, 1)] * 3, method="highs")
            assert result.status == 0 and result.fun >= -1e-9


def test_without_bias_and_logistic_loss_match_the_full_program():
    X, y = data(7, 12)
    full = gr.fit(X, y, beta=0.05, penalty="l2", bias=False, method="exact", compare_wedge=False)
    colgen = gr.fit(X, y, beta=0.05, penalty="l2", bias=False, method="exact_colgen")
    assert colgen.objective == pytest.approx(full.objective, rel=1e-6)
    labels = np.where(y > np.median(y), 1.0, -1.0)
    full = gr.fit(X, labels, beta=0.1, penalty="l2", loss="logistic", method="exact", compare_wedge=False)
    colgen = gr.fit(X, labels, beta=0.1, penalty="l2", loss="logistic", method="exact_colgen")
    assert colgen.objective == pytest.approx(full.objective, rel=1e-5)
    assert colgen.objective - colgen.info["gap_bound"] <= full.objective * (1 + 1e-6)


def test_bad_options_name_the_problem():
    X, y = data(8, 6)
    problem = Problem(X, y, beta=0.1, penalty="l2")
    for name, value in (("batch", 0), ("drop_after", -1), ("polish_below", "x"), ("tol", 2.0)):
        with pytest.raises(InvalidInputError, match=name):
            solve_pattern_colgen(problem, **{name: value})


def test_fit_passes_the_pattern_options():
    """fit(method="exact_colgen") accepts every option of solve_pattern_colgen (the registry's list
    and the module's must agree), and rejects others by name."""
    from ga_relu.convex.methods import get_method
    from ga_relu.convex.pattern_colgen import PATTERN_COLGEN_OPTIONS

    assert set(get_method("exact_colgen").options) == set(PATTERN_COLGEN_OPTIONS)


# ---------------------------------------------------------------------------------------------
# 3-D: priced by the sphere sweep
# ---------------------------------------------------------------------------------------------


def data_3d(seed, n):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 3))
    return X, np.sin(3 * X[:, 0]) + X[:, 1] ** 2 - X[:, 2] + 0.1 * rng.normal(size=n)


@pytest.mark.parametrize("seed, n, beta, bias", [(0, 12, 0.05, True), (1, 14, 0.1, True), (2, 13, 0.05, False)])
def test_3d_equals_the_full_exact_program_and_is_certified(seed, n, beta, bias):
    X, y = data_3d(seed, n)
    _check_against_the_full_program(X, y, beta, bias=bias, rel=1e-6)


def test_3d_is_below_the_wedge_dictionary_and_scales_with_the_data():
    """The wedge dictionary's Lasso is (P) restricted to its neurons: an upper bound. The copy
    (s X, s y) at s^2 beta has optimum s^2 P*(beta) (see test_scaled_copy_scales_the_objective);
    s = 1e3 is not a power of two, so the copy is exact only to ~1e-16, and each fit is within
    its 1e-6 relative gap bound of its optimum."""
    X, y = data_3d(3, 14)
    beta, s = 0.05, 1e3
    colgen = gr.fit(X, y, beta=beta, penalty="l2", method="exact_colgen")
    wedge = gr.fit(X, y, beta=beta, penalty="l2", method="wedge")
    assert colgen.objective <= wedge.objective * (1 + 1e-9)
    scaled = gr.fit(s * X, s * y, beta=beta * s * s, penalty="l2", method="exact_colgen")
    assert scaled.objective == pytest.approx(s * s * colgen.objective, rel=2e-6)
    assert scaled.certificate().optimal


def test_sphere_sweep_candidates_leave_the_bound_and_are_what_they_claim():
    """candidates= changes neither the bound nor the best neuron; each candidate's value, recomputed
    here, exceeds the threshold; its patterns, recomputed here from (w, b) with the samples on the
    plane (|x . w + b| <= 1e-12) off and on, are the returned ones; they are distinct."""
    from ga_relu.certification.sphere_sweep import sphere_sweep

    rng = np.random.default_rng(9)
    for bias in (True, False):
        X = rng.normal(size=(15, 3))
        lam = rng.normal(size=15)
        lam = lam - lam.mean() if bias else lam
        plain = sphere_sweep(X, lam, bias=bias)
        above = 0.6 * plain.bound
        swept = sphere_sweep(X, lam, bias=bias, candidates=30, above=above)
        assert (swept.bound, swept.value) == (plain.bound, plain.value)
        W, b, values = swept.candidate_weights, swept.candidate_biases, swept.candidate_values
        assert 2 <= len(values) <= 30
        pre = X @ W.T + b  # (n, m)
        assert np.allclose(np.maximum(pre, 0.0).T @ lam, values, rtol=1e-12, atol=1e-12)
        assert np.all(np.abs(values) > above) and np.all(np.diff(np.abs(values)) <= 0)
        assert abs(values[0]) == pytest.approx(abs(plain.value), rel=1e-12)
        assert np.allclose(np.linalg.norm(W, axis=1), 1.0)
        plane = np.abs(pre) <= 1e-12
        assert np.array_equal(swept.candidate_patterns_off, (pre > 0).T & ~plane.T)
        assert np.array_equal(swept.candidate_patterns_on, (pre > 0).T | plane.T)
        assert len({row.tobytes() for row in swept.candidate_patterns_off}) == len(values)
        if bias:  # each neuron's plane holds a sample (its anchor)
            assert np.all(plane.any(axis=0))


@pytest.mark.parametrize("bias", [True, False])
def test_3d_cone_facets_drop_only_implied_constraints(bias):
    """As test_cone_facets_drop_only_implied_constraints, for cones in R^4 (3-D with a bias: a 3-D
    hull) and R^3 (3-D without)."""
    rng = np.random.default_rng(10)
    dropped = 0
    for trial in range(12):
        X = rng.normal(size=(25, 3)) if trial % 2 else rng.integers(-2, 3, size=(25, 3)).astype(float)
        Xt = lift(X, bias)
        v0 = rng.normal(size=Xt.shape[1])
        signs = np.where(Xt @ v0 > 0, 1.0, -1.0)
        A = signs[:, None] * Xt
        if not np.all(A @ v0 > 1e-9):
            continue
        kept = cone_facets(A, v0)
        for j in sorted(set(range(len(A))) - set(kept.tolist())):
            dropped += 1
            result = linprog(A[j], A_ub=-A[kept], b_ub=np.zeros(len(kept)), bounds=[(-1, 1)] * Xt.shape[1],
                             method="highs")
            assert result.status == 0 and result.fun >= -1e-9
    assert dropped > 0



@pytest.mark.parametrize("d", [2, 3])
@pytest.mark.parametrize("level", [0.0, 3.0])
def test_constant_targets_give_the_constant_network_certified(d, level):
    """y constant: the optimum of (P) is 0, at the constant network. The relative gap test cannot pass
    on the cone program's round-off (it used to stall with ConvergenceError), so the constant network
    must be recognized from its own dual vector, and certified independently."""
    X = np.random.default_rng(d).normal(size=(16, d))
    result = gr.fit(X, np.full(16, level), beta=0.1, penalty="l2", method="exact_colgen")
    assert result.network.width == 0 and result.objective == 0.0
    assert result.network(X) == pytest.approx(np.full(16, level), abs=0.0)
    assert result.certificate().optimal


def test_large_beta_gives_the_constant_network():
    """Above the largest useful beta no neuron pays for itself: the result is the best constant, whose
    value in (P) is computed here from the mean, and the full cone program agrees."""
    rng = np.random.default_rng(4)
    X = rng.normal(size=(12, 2))
    y = rng.normal(size=12)
    result = gr.fit(X, y, beta=50.0, penalty="l2", method="exact_colgen")
    assert result.network.width == 0
    assert result.objective == pytest.approx(0.5 * np.sum((y - y.mean()) ** 2), rel=1e-12)
    full = gr.fit(X, y, beta=50.0, penalty="l2", method="exact")
    assert full.objective >= result.objective - 1e-9 * result.objective
    assert result.certificate().optimal
