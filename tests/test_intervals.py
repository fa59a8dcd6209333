"""Interval-enclosed proofs (ga_relu.proofs.intervals) against independent computations: mpmath
solves of the support's optimality conditions at 50 digits, a cvxpy model of the wedge Lasso written
here, a brute-force Fraction enumeration of the vertex hyperplanes, and scaled copies of the data."""

from __future__ import annotations

import dataclasses
import itertools
from fractions import Fraction

import mpmath
import numpy as np
import pytest

import ga_relu
from ga_relu.errors import InvalidInputError, InvalidTypeError
from ga_relu.proofs.intervals import prove_enclosure

flint = pytest.importorskip("flint")
arb = flint.arb


def _data(n=9, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 2)), rng.normal(size=n)


def _mp_columns(X, neurons, dps=50):
    """The proof's support columns recomputed in mpmath from the subsets alone (2-D, bias, samples):
    relu(s (w . x + b)) / ||w||_p with w perpendicular to x_a - x_b, b = -w . x_a."""
    with mpmath.workdps(dps):
        cols = []
        for nr in neurons:
            a, b = (X[i] for i in nr.subset)
            w = [mpmath.mpf(a[1]) - mpmath.mpf(b[1]), mpmath.mpf(b[0]) - mpmath.mpf(a[0])]
            bias = -(w[0] * mpmath.mpf(a[0]) + w[1] * mpmath.mpf(a[1]))
            norm = mpmath.sqrt(w[0] ** 2 + w[1] ** 2)
            # the orientation of the proof's neuron: its unit weight's sign
            orient = 1 if float(nr.unit_weight[0].mid()) * float(w[0]) + float(nr.unit_weight[1].mid()) * float(w[1]) > 0 else -1
            cols.append([max(orient * (w[0] * mpmath.mpf(x[0]) + w[1] * mpmath.mpf(x[1]) + bias), 0) / norm for x in X])
        return cols


def _fraction_l1_column(X, neuron):
    """An l1 column in mpmath from the neuron's vertex subset alone: the cross product of the lifted
    vertices (x_i, 1) / (e_k, 0) in Fractions, divided by ||w||_1, oriented like the neuron."""
    n = len(X)
    lifted = [(Fraction(a), Fraction(b), Fraction(1)) for a, b in X] + [(1, 0, 0), (0, 1, 0)]
    p, q = (lifted[i] for i in neuron.subset)
    v = (p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0])
    norm = abs(v[0]) + abs(v[1])
    orient = 1 if float(neuron.unit_weight[0].mid()) * v[0] + float(neuron.unit_weight[1].mid()) * v[1] > 0 else -1
    values = [orient * (v[0] * Fraction(a) + v[1] * Fraction(b) + v[2]) / norm for a, b in X]
    assert len(values) == n
    return [mpmath.mpf(max(t, 0).numerator) / max(t, 0).denominator for t in values]


def _inside(ball, value, slack=1e-45):
    """Whether the 50-digit mpmath value (to within ``slack``) lies in the proof's ball."""
    with flint.ctx.workprec(200):
        return bool(ball.contains(arb(mpmath.nstr(value, 48)) + arb(0, slack)))


def test_t4_squared_enclosure_contains_mpmath_kkt_point_and_cvxpy_value():
    X, y = _data()
    beta = 0.1
    result = ga_relu.fit(X, y, beta=beta, penalty="l2", method="wedge")
    proof = prove_enclosure(result)
    assert proof.holds, proof.reason
    assert proof.theorem == "T4" and proof.kind == "interval-enclosed"
    assert "wedge dictionary only (T4)" in proof.scope and "not global optimality" in proof.scope
    # genuine, tight balls
    assert 0 < proof.objective.rad() < 1e-25 and proof.details["max_radius"] > 0
    # independent: the linear KKT system on the proof's support solved in mpmath at 50 digits
    with mpmath.workdps(50):
        cols = _mp_columns(X, proof.neurons) + [[mpmath.mpf(1)] * len(y)]
        G = mpmath.matrix([[c[i] for c in cols] for i in range(len(y))])
        signs = [1 if float(nr.coefficient.mid()) > 0 else -1 for nr in proof.neurons]
        rhs = G.T * mpmath.matrix([mpmath.mpf(v) for v in y]) - mpmath.matrix([beta * s for s in signs] + [0])
        u = mpmath.lu_solve(G.T * G, rhs)
        for nr, value in zip(proof.neurons, u):
            assert _inside(nr.coefficient, value)
        assert _inside(proof.intercept, u[len(signs)])
        f = G * u
        objective = sum((f[i] - y[i]) ** 2 for i in range(len(y))) / 2 + beta * sum(abs(v) for v in u[: len(signs)])
        assert _inside(proof.objective, objective)
    # independent: a cvxpy model of the full l2 wedge Lasso (lines through every pair of samples)
    import cvxpy as cp

    columns = []
    for a, b in itertools.combinations(range(len(y)), 2):
        w = np.array([X[a, 1] - X[b, 1], X[b, 0] - X[a, 0]])
        pre = (X @ w - w @ X[a]) / np.linalg.norm(w)
        columns += [np.maximum(pre, 0), np.maximum(-pre, 0)]
    K = np.column_stack(columns)
    z, c = cp.Variable(K.shape[1]), cp.Variable()
    value = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(K @ z + c - y) + beta * cp.norm1(z))).solve(
        solver="CLARABEL", tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    mid = float(proof.objective.mid())
    assert abs(value - mid) <= 1e-8 * mid
    assert bool(proof.objective.lower() <= result.objective * (1 + 1e-15))  # P* <= the float network's value


def test_logistic_t2_enclosure_contains_mpmath_root():
    X, y = _data(n=10, seed=3)
    labels = np.where(y > 0, 1.0, -1.0)
    beta = 0.2
    result = ga_relu.fit(X, labels, beta=beta, loss="logistic", method="wedge")
    proof = prove_enclosure(result)
    assert proof.holds, proof.reason
    assert proof.scope == "global optimum of (P) over networks of every width (T2)"
    # independent: the nonlinear conditions on the support solved by mpmath's findroot at 50 digits
    with mpmath.workdps(50):
        K = [_fraction_l1_column(X, nr) for nr in proof.neurons]
        signs = [1 if float(nr.coefficient.mid()) > 0 else -1 for nr in proof.neurons]
        m = len(K)

        def equations(*u):
            f = [sum(u[j] * K[j][i] for j in range(m)) + u[m] for i in range(len(labels))]
            lam = [labels[i] / (1 + mpmath.exp(labels[i] * f[i])) for i in range(len(labels))]
            return [sum(lam[i] * K[j][i] for i in range(len(labels))) - beta * signs[j] for j in range(m)] + [sum(lam)]

        start = [float(nr.coefficient.mid()) for nr in proof.neurons] + [float(proof.intercept.mid())]
        root = mpmath.findroot(equations, start)
        for nr, value in zip(proof.neurons, root):
            assert _inside(nr.coefficient, value)
        assert _inside(proof.intercept, root[m])
    assert abs(float(proof.objective.mid()) - result.objective) <= 1e-6 * result.objective


def test_wrong_support_or_beta_does_not_hold():
    X, y = _data()
    result = ga_relu.fit(X, y, beta=0.1, penalty="l2", method="wedge")
    z = result.coefficients.copy()
    removed = z.copy()
    removed[np.argmax(np.abs(z))] = 0.0
    assert not prove_enclosure(dataclasses.replace(result, coefficients=removed)).holds
    extra = z.copy()
    off = np.flatnonzero(z == 0)[0]
    extra[off] = 0.5 * np.abs(z).max()
    proof = prove_enclosure(dataclasses.replace(result, coefficients=extra))
    assert not proof.holds and proof.reason
    other_beta = dataclasses.replace(result, problem=result.problem.with_beta(0.02))
    proof = prove_enclosure(other_beta)
    assert not proof.holds and proof.reason and proof.objective is None


def test_full_dictionary_count_matches_fraction_enumeration():
    rng = np.random.default_rng(5)
    X = rng.integers(-6, 7, size=(7, 2)).astype(float) * 2
    X[3] = (X[0] + X[1]) / 2  # exactly collinear (even integers): duplicate hyperplanes
    y = rng.normal(size=7)
    result = ga_relu.fit(X, y, beta=0.05, penalty="l1", method="wedge")
    proof = prove_enclosure(result)
    # brute force over every 2-subset of the lifted vertices (samples, e_1, e_2), in Fractions
    vertices = [(Fraction(a), Fraction(b), Fraction(1)) for a, b in X] + [(1, 0, 0), (0, 1, 0)]
    seen = set()
    for p, q in itertools.combinations(vertices, 2):
        v = (p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0])
        if v[0] == 0 and v[1] == 0:
            continue
        lead = next(t for t in v if t != 0)
        seen.add(tuple(t / lead for t in v))
    assert proof.columns_checked == 2 * len(seen)
    assert proof.details["n_duplicates"] >= 2
    assert proof.holds, proof.reason
    # the float dual ratio over the same brute-force hyperplanes agrees with the proof's bound
    lam = result.dual
    ratios = []
    for w1, w2, b in seen:
        norm = abs(float(w1)) + abs(float(w2))
        pre = (X @ np.array([float(w1), float(w2)]) + float(b)) / norm
        ratios += [abs(lam @ np.maximum(pre, 0)), abs(lam @ np.maximum(-pre, 0))]
    assert abs(max(ratios) / 0.05 - float(proof.max_ratio.mid())) <= 1e-5


def test_scaled_data_gives_the_same_objective():
    X, y = _data(n=8, seed=7)
    proofs = []
    for scale in (1.0, 1e7):  # columns scale by t; with beta t and z / t the optimum value is the same
        result = ga_relu.fit(X * scale, y, beta=0.1 * scale, penalty="l2", method="wedge")
        proof = prove_enclosure(result)
        assert proof.holds, proof.reason
        proofs.append(proof.objective)
    assert abs(float(proofs[0].mid()) - float(proofs[1].mid())) <= 1e-9 * float(proofs[0].mid())


def test_t4_scope_exact_weight_decay_is_lower():
    X, y = _data(n=8, seed=11)
    wedge = ga_relu.fit(X, y, beta=0.05, penalty="l2", method="wedge")
    exact = ga_relu.fit(X, y, beta=0.05, penalty="l2", method="exact")
    proof = prove_enclosure(wedge)
    assert proof.holds, proof.reason
    # the wedge Lasso's proved optimum is not (P)'s: the exact program's feasible network is lower
    assert exact.objective < float(proof.objective.lower()) * (1 - 1e-4)
    assert "method='exact'" in proof.scope
    with pytest.raises(InvalidInputError, match="not wedge columns"):
        prove_enclosure(exact)


def test_one_dimensional_logistic_t3_and_clear_errors():
    X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
    labels = np.array([1.0, -1.0, 1.0, 1.0, -1.0])
    proof = prove_enclosure(ga_relu.fit(X, labels, beta=0.1, loss="logistic"))
    assert proof.holds and proof.theorem == "T3", proof.reason
    assert proof.max_ratio.contains(1) or float(proof.max_ratio.upper()) <= 1
    hinge = ga_relu.fit(X, labels, beta=0.1, loss="hinge")
    with pytest.raises(InvalidInputError, match="exact LP proof"):
        prove_enclosure(hinge)
    vector = ga_relu.fit(X, np.column_stack([labels, -labels]), beta=0.1)
    with pytest.raises(InvalidInputError, match="one output"):
        prove_enclosure(vector)
    with pytest.raises(InvalidInputError, match="precision"):
        prove_enclosure(ga_relu.fit(X, labels, beta=0.1), precision=20)
    with pytest.raises(InvalidTypeError):
        prove_enclosure("not a fit")
