"""The sphere sweep (exact weight-decay oracle in 3-D) and its oracle.

Independent references: the chamber oracle (one cone program per activation pattern), a dense
random search over directions with every breakpoint bias written here in plain numpy (a lower bound
that the sweep's bound must dominate and its value come close to), the same data with duplicates
merged (lambda summed), scaled copies (the maximum is homogeneous of degree 1 in X), and certify()
with oracle="chambers" on the same fitted network.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import ga_relu as gr
from ga_relu.certification.oracles import ChamberOracle, OracleSettings, choose_oracle, enumeration_size
from ga_relu.certification.sphere_sweep import SphereSweepOracle, sphere_sweep
from ga_relu.convex.problem import Problem
from ga_relu.errors import InvalidInputError


def chamber_maximum(X, lam, bias):
    return ChamberOracle(OracleSettings())(Problem(X, np.zeros(len(X)), beta=1.0, penalty="l2", bias=bias), lam).value


def dense_values(X, lam, bias, n_directions=200_000, seed=0):
    """|lambda . relu(X w + b)| for random unit w, each with its best breakpoint bias b = -x_a . w
    (every anchor a tried; without a bias b = 0), evaluated directly in blocks."""
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(n_directions, 3))
    W /= np.linalg.norm(W, axis=1, keepdims=True)
    out = []
    for lo in range(0, n_directions, 4000):
        T = W[lo : lo + 4000] @ X.T  # (m, n)
        if bias:
            values = np.abs(np.maximum(T[:, None, :] - T[:, :, None], 0.0) @ lam).max(axis=1)
        else:
            values = np.abs(np.maximum(T, 0.0) @ lam)
        out.append(values)
    return np.concatenate(out)


def assert_attained(sweep, X, lam):
    """The returned neuron is a unit-norm neuron whose value is the reported one, and the bound
    exceeds it by round-off only."""
    assert np.linalg.norm(sweep.weight) == pytest.approx(1.0, abs=1e-12)
    value = lam @ np.maximum(X @ sweep.weight + sweep.bias, 0.0)
    assert value == pytest.approx(sweep.value, rel=1e-12, abs=1e-300)
    assert abs(sweep.value) <= sweep.bound <= abs(sweep.value) * (1 + 1e-10)


def dual(rng, n, bias):
    lam = rng.normal(size=n)
    return lam - lam.mean() if bias else lam


@pytest.mark.parametrize("bias, n, seed", [(True, 12, 0), (True, 9, 1), (False, 14, 2), (False, 10, 3)])
def test_equals_the_chamber_oracle(bias, n, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    lam = dual(rng, n, bias)
    sweep = sphere_sweep(X, lam, bias=bias)
    assert_attained(sweep, X, lam)
    assert sweep.bound == pytest.approx(chamber_maximum(X, lam, bias), rel=1e-9)


@pytest.mark.parametrize("bias", [True, False])
def test_dominates_and_matches_a_dense_random_search(bias):
    rng = np.random.default_rng(5)
    X = rng.uniform(-1, 1, size=(20, 3))
    lam = dual(rng, 20, bias)
    sweep = sphere_sweep(X, lam, bias=bias)
    assert_attained(sweep, X, lam)
    sampled = dense_values(X, lam, bias)
    assert sampled.max() <= sweep.bound * (1 + 1e-12)  # every neuron is below the bound
    # 2e5 directions are ~0.01 rad apart: the best of them is within ~1e-3 of the maximum
    assert sampled.max() >= sweep.bound * (1 - 2e-3)


def test_duplicates_are_the_merged_samples():
    """Repeated samples act as one sample with lambda summed (y_k = 0 on their own anchor)."""
    rng = np.random.default_rng(8)
    base = rng.normal(size=(7, 3))
    index = np.array([0, 1, 2, 3, 4, 5, 6, 0, 0, 3, 5])
    X = base[index]
    lam = dual(rng, len(X), True)
    merged = np.bincount(index, weights=lam)
    sweep = sphere_sweep(X, lam)
    assert_attained(sweep, X, lam)
    assert sweep.bound == pytest.approx(sphere_sweep(base, merged).bound, rel=1e-9)
    assert sweep.bound == pytest.approx(chamber_maximum(base, merged, True), rel=1e-9)


def test_collinear_triples_are_decided_exactly():
    """Samples on common lines (circles that coincide on an anchor's sphere), against the chambers
    and the dense search; exactly collinear samples go through the exact decision."""
    rng = np.random.default_rng(9)
    ends = rng.normal(size=(3, 2, 3))
    t = np.array([0.0, 0.25, 0.5, 1.0])
    lines = np.concatenate([e[0] + t[:, None] * (e[1] - e[0]) for e in ends])  # 3 lines of 4 samples
    X = np.vstack([lines, [[0.1, 0.2, 0.3]]])
    lam = dual(rng, len(X), True)
    sweep = sphere_sweep(X, lam)
    assert sweep.n_exact > 0
    assert_attained(sweep, X, lam)
    assert sweep.bound == pytest.approx(chamber_maximum(X, lam, True), rel=1e-9)
    assert dense_values(X, lam, True, n_directions=50_000).max() <= sweep.bound * (1 + 1e-12)


@pytest.mark.parametrize("bias", [True, False])
def test_integer_grid_with_ties(bias):
    """A 3 x 2 x 2 integer grid: many collinear triples, coplanar quadruples and tied angles."""
    X = np.array(list(itertools.product(range(3), range(2), range(2))), dtype=float) - (0.0 if bias else 0.5)
    lam = np.array([3, -1, 2, -2, 1, -3, 0, 1, -1, 2, -2, 0], dtype=float)
    if bias:
        lam -= lam.mean()
    sweep = sphere_sweep(X, lam, bias=bias)
    assert_attained(sweep, X, lam)
    assert sweep.bound == pytest.approx(chamber_maximum(X, lam, bias), rel=1e-9)


def test_coplanar_samples():
    """All samples in one plane of R^3: every circle of every anchor passes through its normal."""
    rng = np.random.default_rng(10)
    X = np.column_stack([rng.normal(size=(10, 2)), np.full(10, 0.5)])
    lam = dual(rng, 10, True)
    sweep = sphere_sweep(X, lam)
    assert_attained(sweep, X, lam)
    assert sweep.bound == pytest.approx(chamber_maximum(X, lam, True), rel=1e-9)


@pytest.mark.parametrize("scale", [1e-3, 1e4])
def test_value_scales_linearly_with_the_data(scale):
    rng = np.random.default_rng(11)
    X = rng.normal(size=(25, 3))
    lam = dual(rng, 25, True)
    base = sphere_sweep(X, lam)
    scaled = sphere_sweep(X * scale, lam)
    assert scaled.bound == pytest.approx(scale * base.bound, rel=1e-9)
    assert abs(scaled.value) == pytest.approx(scale * abs(base.value), rel=1e-9)
    assert_attained(scaled, X * scale, lam)


def test_degenerate_inputs():
    lam = np.array([1.0, -1.0])
    same = sphere_sweep(np.ones((2, 3)), lam)  # one point: no plane separates anything
    assert same.bound == 0.0 and same.weight is None and same.n_pencils == 0
    zero = sphere_sweep(np.zeros((2, 3)), lam, bias=False)
    assert zero.bound == 0.0 and zero.weight is None
    # all samples on one line, out of order: every anchor's sphere has a single circle, and the
    # maximum is at a pole (the plane orthogonal to the line), from the samples on it alone
    direction, start = np.array([0.3, -1.1, 0.7]), np.array([0.2, 0.1, -0.4])
    collinear = start + np.array([3.0, 0.0, 4.5, 1.0, 2.0])[:, None] * direction
    lam5 = np.array([0.5, 2.0, -1.5, -3.0, 2.0])
    sweep = sphere_sweep(collinear, lam5)
    assert sweep.n_exact > 0
    assert_attained(sweep, collinear, lam5)
    assert sweep.bound == pytest.approx(chamber_maximum(collinear, lam5, True), rel=1e-9)
    assert dense_values(collinear, lam5, True, n_directions=20_000).max() <= sweep.bound * (1 + 1e-12)


def test_star_of_lines():
    """Three lines through a common sample: its sphere has three circles, each from a line's
    samples (coincident circles), and lunes bounded by them alone."""
    directions = np.array([[1.0, 0.2, -0.3], [-0.4, 1.0, 0.5], [0.3, -0.2, 1.0]])
    centre = np.array([0.1, -0.2, 0.3])
    t = np.array([-1.5, 1.0, 2.5])
    X = np.vstack([centre] + [centre + s * d for d in directions for s in t])
    lam = np.array([2.0, -1.0, 0.5, 1.5, -2.0, 1.0, -0.5, 0.7, -1.3, 0.4])
    lam -= lam.mean()
    sweep = sphere_sweep(X, lam)
    assert_attained(sweep, X, lam)
    assert sweep.bound == pytest.approx(chamber_maximum(X, lam, True), rel=1e-9)


def test_near_collinear_projection_is_exact():
    """A sample 1e-12 off a pencil's line: its projection orthogonal to the line, from the exact
    cross product, against the same projection in Fractions (y - (y . u) u / |u|^2, onto p, q)."""
    from fractions import Fraction

    from ga_relu.certification.sphere_sweep import _decide_flagged
    from ga_relu.convex.sweep3d import _pencil_bases

    X = np.array([[0.1, 0.2, 0.3], [1.3, -0.7, 0.9], [0.0, 0.0, 0.0]])
    X[2] = X[0] + 0.37 * (X[1] - X[0]) + np.array([1e-12, -2e-12, 0.5e-12])
    u = (X[1] - X[0])[None, :]
    p, q = _pencil_bases(u)
    a, b = np.ones((1, 3)), np.ones((1, 3))
    _decide_flagged(X, X[:1], u, p, q, np.array([0]), np.array([2]), np.array([1]), a, b)
    F = [[Fraction(v) for v in row] for row in X]
    U = [F[1][i] - F[0][i] for i in range(3)]
    Y = [F[2][i] - F[0][i] for i in range(3)]
    t = sum(y * v for y, v in zip(Y, U)) / sum(v * v for v in U)
    orthogonal = np.array([float(Y[i] - t * U[i]) for i in range(3)])
    assert a[0, 2] == pytest.approx(orthogonal @ p[0], rel=1e-9)
    assert b[0, 2] == pytest.approx(orthogonal @ q[0], rel=1e-9)
    # exactly collinear in binary (x_3 = (x_1 + x_2) / 2 with dyadic entries): put on the line
    X = np.array([[0.5, 0.25, 1.0], [1.5, -0.75, 2.0], [1.0, -0.25, 1.5]])
    u = (X[1] - X[0])[None, :]
    p, q = _pencil_bases(u)
    a, b = np.ones((1, 3)), np.ones((1, 3))
    _decide_flagged(X, X[:1], u, p, q, np.array([0]), np.array([2]), np.array([1]), a, b)
    assert a[0, 2] == 0.0 and b[0, 2] == 0.0


def test_bad_input_errors():
    with pytest.raises(InvalidInputError, match=r"R\^3"):
        sphere_sweep(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(InvalidInputError, match="one dual value per sample"):
        sphere_sweep(np.zeros((3, 3)), np.zeros((3, 2)))
    with pytest.raises(InvalidInputError, match="finite"):
        sphere_sweep(np.array([[np.nan, 0, 0]]), np.zeros(1))
    with pytest.raises(InvalidInputError, match="d = 3"):
        SphereSweepOracle(OracleSettings())(Problem(np.eye(2), [1.0, 0.0], beta=0.1, penalty="l2"), np.zeros(2))


def test_choice_and_size():
    X = np.random.default_rng(0).normal(size=(200, 3))
    problem = Problem(X, np.zeros(200), beta=1.0, penalty="l2")
    assert choose_oracle(problem, "auto") == "sphere_sweep"
    assert choose_oracle(Problem(X, np.zeros(200), beta=1.0, penalty="l2", bias=False), True) == "sphere_sweep"
    size = enumeration_size(problem, OracleSettings())
    assert size.total == 200 * 199 // 2 * 400 and not size.too_big
    big = Problem(np.random.default_rng(0).normal(size=(600, 3)), np.zeros(600), beta=1.0, penalty="l2")
    assert choose_oracle(big, "auto") == "direction_search"


@pytest.mark.parametrize("bias", [True, False])
def test_certify_a_fitted_network_as_the_chambers_do(bias):
    rng = np.random.default_rng(12)
    X = rng.normal(size=(10, 3))
    y = np.maximum(X[:, 0] - X[:, 1], 0.0) + 0.3 * X[:, 2] + 0.1 * rng.normal(size=10)
    fit = gr.fit(X, y, beta=0.05, penalty="l2", bias=bias, method="wedge")
    swept = gr.certify(fit, X, y, beta=0.05, penalty="l2", bias=bias)
    chambers = gr.certify(fit, X, y, beta=0.05, penalty="l2", bias=bias, oracle="chambers")
    assert swept.oracle == "sphere_sweep" and swept.exhaustive
    assert swept.ratio == pytest.approx(chambers.ratio, rel=1e-8)
    assert swept.optimal == chambers.optimal
    assert swept.gap_bound == pytest.approx(chambers.gap_bound, rel=1e-6)


def test_exact_fit_is_certified_optimal():
    """The full exact weight-decay program (every chamber) in 3-D: the sweep proves it optimal."""
    rng = np.random.default_rng(13)
    X = rng.normal(size=(8, 3))
    y = rng.normal(size=8)
    fit = gr.fit(X, y, beta=0.1, penalty="l2", method="exact", compare_wedge=False)
    certificate = gr.certify(fit, X, y, beta=0.1, penalty="l2")
    assert certificate.oracle == "sphere_sweep"
    assert certificate.optimal, certificate.summary()


@pytest.mark.parametrize("seed", range(4))
def test_chamber_oracle_is_translation_and_scale_invariant(seed):
    """Data far from the origin (x ~ 1e5, spread 1e-4): the chamber programs must give the maximum of
    the centred unit-scale copy times the scale (the family relu(x . w + b) is invariant under
    translation, and homogeneous under scaling); the sphere sweep of the copy is the reference. On
    raw coordinates Clarabel's absolute tolerances once lost a quarter of the maximum."""
    rng = np.random.default_rng(seed)
    n = 8
    Z = rng.normal(size=(n, 3))
    lam = rng.normal(size=n)
    lam -= lam.mean()
    X = 1e5 + 1e-4 * Z
    reference = 1e-4 * abs(sphere_sweep(Z, lam, bias=True).value)
    result = ChamberOracle(OracleSettings())(Problem(X, np.zeros(n), beta=1.0, penalty="l2"), lam)
    assert result.value == pytest.approx(reference, rel=1e-6)


def test_far_from_the_origin_the_bound_stays_tight():
    """At x ~ 1e5 with spread 1e-4 the round-off allowance, which grows with |x|, once left the bound
    8e-4 above the attained value. On the exactly shifted samples (Z = X - 1e5 is a float, Sterbenz)
    it must be the centred copy's value, to round-off, and its neuron must attain it on X itself."""
    rng = np.random.default_rng(8)
    X = 1e5 + 1e-4 * rng.normal(size=(9, 3))
    Z = X - 1e5
    lam = rng.normal(size=9)
    lam -= lam.mean()
    far, centred = sphere_sweep(X, lam), sphere_sweep(Z, lam)
    assert far.bound <= abs(centred.value) * (1 + 1e-9)
    assert far.bound >= abs(centred.value) * (1 - 1e-12)
    attained = abs(lam @ np.maximum(X @ far.weight + far.bias, 0.0))
    assert attained == pytest.approx(abs(centred.value), rel=1e-6)  # X @ w + b cancels 1e5 to 1e-4
