"""The angular sweep (exact weight-decay pricing in the plane), its oracle and pattern column generation.

Independent references: a dense search over directions with every breakpoint bias written here in
plain numpy (a lower bound that must come within the grid's resolution), the chamber oracle (one
cone program per activation pattern), rotated and scaled copies of the data, and the full exact
weight-decay program (method="exact", every chamber enumerated).
"""

from __future__ import annotations

import time

import numpy as np
import pytest

import ga_relu as gr
from ga_relu.certification.angular import AngularOracle
from ga_relu.certification.oracles import ChamberOracle, OracleSettings, choose_oracle
from ga_relu.convex.angular_sweep import angular_sweep, sweep_patterns
from ga_relu.convex.problem import Problem
from ga_relu.errors import InvalidInputError
from ga_relu.networks.relu import ReLUNetwork


def dense_maximum(X, lam, bias, n_angles=4001, refine=True):
    """max over a grid of unit directions of max over breakpoint biases of |lambda . relu(Xw + b)|,
    each evaluated directly (O(n^2) per direction), refined by a finer grid around the best angle."""

    def best(angles):
        U = np.stack([np.cos(angles), np.sin(angles)], axis=1)
        T = U @ X.T  # (m, n)
        if bias:
            values = np.maximum(T[:, None, :] - T[:, :, None], 0.0) @ lam  # anchor k: b = -t_k
            values = np.abs(values).max(axis=1)
        else:
            values = np.abs(np.maximum(T, 0.0) @ lam)
        j = int(np.argmax(values))
        return values[j], angles[j]

    value, angle = best(np.linspace(0.0, 2 * np.pi, n_angles, endpoint=False))
    if refine:
        step = 2 * np.pi / n_angles
        for _ in range(3):
            value2, angle = best(np.linspace(angle - step, angle + step, 2001))
            value, step = max(value, value2), step / 500
    return value


def random_case(rng, n, integer=False):
    X = rng.normal(size=(n, 2))
    if integer:
        X = rng.integers(-2, 3, size=(n, 2)).astype(float)  # duplicates, collinear triples, ties
    lam = rng.normal(size=n)
    return X, lam - lam.mean()


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("seed", range(6))
def test_sweep_against_dense_search(seed, bias):
    rng = np.random.default_rng(seed)
    X, lam = random_case(rng, int(rng.integers(3, 12)), integer=seed % 2 == 1)
    sweep = angular_sweep(X, lam, bias=bias)
    dense = dense_maximum(X, lam, bias)
    # the sweep is an upper bound (exact plus a round-off allowance) that the dense search nearly attains
    assert dense <= sweep.bound + 1e-12
    assert sweep.bound - dense <= 1e-7 * max(1.0, dense)
    # the reported neuron attains it, evaluated here directly
    w, b = sweep.weights[0], sweep.biases[0]
    assert np.linalg.norm(w) == pytest.approx(1.0, abs=1e-14)
    direct = float(np.maximum(X @ w + b, 0.0) @ lam)
    assert direct == pytest.approx(float(sweep.values[0]), abs=1e-12)
    assert abs(direct) == pytest.approx(sweep.bound, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_oracle_against_chamber_oracle(seed):
    """The cone program per chamber (independent of the sweep) gives the same maximum."""
    rng = np.random.default_rng(10 + seed)
    X, lam = random_case(rng, 9, integer=seed == 2)
    problem = Problem(X, np.zeros(len(X)), beta=0.1, penalty="l2")
    angular = AngularOracle(OracleSettings())(problem, lam)
    chambers = ChamberOracle(OracleSettings())(problem, lam)
    assert angular.exhaustive and chambers.exhaustive
    assert angular.value == pytest.approx(chambers.value, rel=1e-7, abs=1e-10)
    assert angular.value >= chambers.value - 1e-9  # the chamber maxima are attained values


def test_rotation_translation_and_scale():
    """Rotating or translating the data leaves the maximum unchanged (with a bias); scaling by s
    multiplies it by s: checked against the sweep of the transformed copies."""
    rng = np.random.default_rng(3)
    X, lam = random_case(rng, 15)
    base = angular_sweep(X, lam).bound
    angle = 0.7
    R = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    assert angular_sweep(X @ R.T + [3.0, -1.0], lam).bound == pytest.approx(base, rel=1e-12)
    for scale in (1e-6, 1e6):
        assert angular_sweep(scale * X, lam).bound == pytest.approx(scale * base, rel=1e-12)


def test_degenerate_inputs():
    # every sample on the anchor: nothing to maximize
    same = angular_sweep(np.ones((4, 2)), np.array([1.0, -1.0, 0.5, -0.5]))
    assert same.bound == 0.0
    # collinear samples with a bias: the maximum is the 1-D one, |relu(x - x_k)| sums along the line
    X = np.column_stack([np.arange(5.0), 2 * np.arange(5.0)])
    lam = np.array([1.0, -2.0, 1.0, 0.5, -0.5])
    assert angular_sweep(X, lam).bound == pytest.approx(dense_maximum(X, lam, True), rel=1e-9)


def test_bad_input_errors():
    with pytest.raises(InvalidInputError, match="plane"):
        angular_sweep(np.zeros((3, 3)), np.zeros(3))
    with pytest.raises(InvalidInputError, match="one dual value per sample"):
        angular_sweep(np.zeros((3, 2)), np.zeros((3, 2)))
    with pytest.raises(InvalidInputError, match="finite"):
        angular_sweep(np.array([[np.nan, 0.0], [1.0, 1.0]]), np.zeros(2))
    problem = Problem(np.random.default_rng(0).normal(size=(5, 3)), np.zeros(5), beta=0.1, penalty="l2")
    with pytest.raises(InvalidInputError, match="chambers"):
        AngularOracle(OracleSettings())(problem, np.zeros(5))


def test_sweep_patterns_put_the_line_inactive():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [1.0, 1.0]])
    D = sweep_patterns(X, np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([0.0, -1.0]))
    assert D.tolist() == [[False, False, False, True], [False, False, True, False]]


def test_auto_picks_the_sweep_and_certificate_at_n_120_is_fast():
    rng = np.random.default_rng(5)
    X = rng.uniform(-1, 1, size=(120, 2))
    y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2
    problem = Problem(X, y, beta=0.01, penalty="l2")
    assert choose_oracle(problem, "auto") == "angular" and choose_oracle(problem, True) == "angular"
    W = rng.normal(size=(20, 2))
    network = ReLUNetwork(W, rng.normal(size=20), 0.1 * rng.normal(size=20), 0.0)
    network.c = float(np.mean(y - network(X)))  # the free constant at its optimum: sum(lambda) = 0
    start = time.perf_counter()
    certificate = gr.certify(network, X, y, beta=0.01, penalty="l2")
    assert time.perf_counter() - start < 5.0
    assert certificate.exhaustive and "angular sweep" in certificate.method
    # the ratio is the exact maximum for that network's dual vector: compare with the dense search
    dense = dense_maximum(X, certificate.dual, True, n_angles=721, refine=True)
    assert dense / 0.01 <= certificate.ratio + 1e-9
    assert certificate.ratio - dense / 0.01 <= 1e-6 * certificate.ratio


def test_exact_fit_is_certified_by_the_sweep_as_by_the_chambers():
    """A full exact weight-decay fit (every chamber): the sweep certifies it, with the same ratio as
    the chamber oracle."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(8, 2))
    y = rng.normal(size=8)
    fit = gr.fit(X, y, beta=0.1, penalty="l2", method="exact", compare_wedge=False)
    certificate = fit.certificate()
    assert "angular sweep" in certificate.method
    assert certificate.optimal, certificate.summary()
    problem = Problem(X, y, beta=0.1, penalty="l2")
    chambers = ChamberOracle(OracleSettings())(problem, certificate.dual)
    assert certificate.ratio == pytest.approx(chambers.value / 0.1, rel=1e-7)


@pytest.mark.parametrize("bias", [True, False])
def test_pattern_colgen_matches_the_full_exact_program(bias):
    rng = np.random.default_rng(11)
    X = rng.normal(size=(10, 2))
    y = np.sin(2 * X[:, 0]) + X[:, 1]
    full = gr.fit(X, y, beta=0.05, penalty="l2", bias=bias, method="exact", compare_wedge=False)
    colgen = gr.fit(X, y, beta=0.05, penalty="l2", bias=bias, method="exact_colgen")
    gap = colgen.info["gap_bound"]
    # the colgen value is within its own proved bound of the optimum, which the full program also
    # reaches to its accuracy
    assert colgen.objective - gap <= full.objective + 1e-7 * abs(full.objective)
    assert colgen.objective == pytest.approx(full.objective, rel=1e-6)
    assert colgen.info["n_patterns"] <= full.info["n_patterns"] + 1
    assert colgen.info["relative_gap_bound"] <= 1e-6


def test_pattern_colgen_rejects_other_problems():
    X = np.random.default_rng(0).normal(size=(6, 4))  # 3-D is priced by the sphere sweep (test_pattern_colgen.py)
    with pytest.raises(InvalidInputError, match="d = 2 or 3"):
        gr.fit(X, np.zeros(6), beta=0.1, penalty="l2", method="exact_colgen")
    with pytest.raises(InvalidInputError, match="batch"):
        gr.fit(X[:, :2], np.arange(6.0), beta=0.1, penalty="l2", method="exact_colgen", batch=0)
