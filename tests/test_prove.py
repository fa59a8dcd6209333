"""Exact proofs (ga_relu.proofs.exact) against independent exact computations: hand-derived 1-D
closed forms, sympy Matrix.LUsolve on the support, a brute-force Fraction loop over all vertex
subsets, and failures for perturbed networks and incomplete supports."""

import itertools
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import ga_relu
from ga_relu.errors import ConvergenceError, ExactSizeError, UnprovableError
from ga_relu.proofs.exact import exact_problem, prove_network, prove_support
from ga_relu.networks.relu import ReLUNetwork


def test_two_points_closed_form():
    # x = 0, 1; y = 0, 1. One kink relu(x - 0) = x with z: lambda = (z/2 - 1/2)(1, -1) ... by hand:
    # f = c + z x; sum(lambda) = 0 gives c = (1 - z)/2; lambda . (0, 1) = 1/2 - z/2 = beta, so
    # z = 1 - 2 beta, c = beta, objective = 2 beta^2... (1/2)(2 beta^2) + beta (1 - 2 beta).
    beta = Fraction(1, 5)
    result = ga_relu.fit([[0.0], [1.0]], [0.0, 1.0], beta=0.2)
    proof = result.prove(X=[[0], [1]], y=[0, 1], beta=beta)
    assert proof.holds and proof.theorem == "T3"
    # relu(x) and relu(1 - x) agree with x and 1 - x on the data, so only the predictions are unique
    assert proof([[0], [1]]) == [beta, 1 - beta]
    assert sum(n.coefficient * n.unit_weight[0] for n in proof.neurons) == 1 - 2 * beta
    assert proof.objective == beta**2 + beta * (1 - 2 * beta)
    assert proof.gap == 0 and proof.max_ratio == 1


def test_three_points_closed_form():
    # x = 0, 1, 2; y = 0, 1, 0: a hat of two kinks at x = 1, z = -(1 - 3 beta) each, c = 1 - 2 beta
    for beta in (Fraction(1, 10), Fraction(1, 4)):
        result = ga_relu.fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], beta=float(beta))
        proof = result.prove(X=[[0], [1], [2]], y=[0, 1, 0], beta=beta)
        assert proof.holds
        assert sorted(n.coefficient for n in proof.neurons) == [3 * beta - 1] * 2
        assert proof.intercept == 1 - 2 * beta
        assert proof.objective == 3 * beta**2 + 2 * beta * (1 - 3 * beta)
        assert proof([[0], [1], [2]]) == [beta, 1 - 2 * beta, beta]


def _brute_force_ratio(X, lam, beta, bias=True):
    """max |lambda . relu(+-(X w + b))| / ||w||_1 / beta over every vertex subset, with Fractions and
    sympy determinants only (independent of the integer scaling of the proof)."""
    d = len(X[0])
    rows = [list(x) + [1] for x in X] if bias else [list(x) for x in X]
    width = len(rows[0])
    rows += [[1 if j == k else 0 for j in range(width)] for k in range(d)]
    k = d if bias else d - 1
    best = Fraction(0)
    count = 0
    for subset in itertools.combinations(range(len(rows)), k):
        M = sp.Matrix([rows[j] for j in subset])
        v = [(-1) ** t * M[:, [c for c in range(width) if c != t]].det() for t in range(width)]
        v = [Fraction(int(sp.fraction(e)[0]), int(sp.fraction(e)[1])) for e in v]
        w, b = v[:d], (v[d] if bias else 0)
        norm = sum(abs(c) for c in w)
        if norm == 0:
            continue
        for side in (1, -1):
            count += 1
            score = sum(l * max(side * (sum(wi * xi for wi, xi in zip(w, x)) + b), 0) for l, x in zip(lam, X))
            best = max(best, abs(score) / norm / beta)
    return best, count


def test_two_d_against_lusolve_and_brute_force():
    X = [[0, 0], [2, 0], [0, 1], [1, 1], [3, 2]]
    y = [0, 1, 2, 0, 1]
    beta = Fraction(1, 8)
    result = ga_relu.fit(np.array(X, float), np.array(y, float), beta=float(beta))
    proof = result.prove(X=X, y=y, beta=beta)
    assert proof.holds and proof.theorem == "T2"
    # sympy: the KKT system on the proof's support, solved by LUsolve
    cols = []
    for nr in proof.neurons:
        cols.append([max(sum(sp.Rational(u.numerator, u.denominator) * xi for u, xi in zip(nr.unit_weight, x))
                         + sp.Rational(nr.unit_bias.numerator, nr.unit_bias.denominator), 0) for x in X])
    M = sp.Matrix([[1] * len(X)] + cols).T
    signs = [1 if nr.coefficient > 0 else -1 for nr in proof.neurons]
    rhs = M.T * sp.Matrix(y) - sp.Matrix([0] + [sp.Rational(1, 8) * s for s in signs])
    sol = (M.T * M).LUsolve(rhs)
    assert sol[0] == sp.Rational(proof.intercept.numerator, proof.intercept.denominator)
    assert [sp.Rational(n.coefficient.numerator, n.coefficient.denominator) for n in proof.neurons] == list(sol[1:])
    lam = proof.details["lambda"]
    ratio, count = _brute_force_ratio(X, lam, beta)
    assert ratio == proof.max_ratio and ratio <= 1
    assert count == proof.columns_checked
    assert sum(lam) == 0


def test_no_bias_t1_against_brute_force():
    X = [[1, 0], [0, 1], [1, 2], [-1, 1]]
    y = [1, 0, 2, -1]
    beta = Fraction(1, 4)
    result = ga_relu.fit(np.array(X, float), np.array(y, float), beta=0.25, bias=False, fit_intercept=False)
    proof = result.prove(X=X, y=y, beta=beta)
    assert proof.holds and proof.theorem == "T1"
    ratio, _ = _brute_force_ratio(X, proof.details["lambda"], beta, bias=False)
    assert ratio == proof.max_ratio


def test_float_data_proved_as_stored():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((12, 2))
    y = X[:, 0] - np.abs(X[:, 1])
    result = ga_relu.fit(X, y, beta=0.05)
    proof = result.prove()
    assert proof.holds and proof.beta == Fraction(0.05)
    assert abs(float(proof.objective) - result.objective) <= 1e-9 * result.objective
    ratio, _ = _brute_force_ratio([[Fraction(v) for v in x] for x in X], proof.details["lambda"], Fraction(0.05))
    assert ratio == proof.max_ratio


def test_removed_coefficient_and_perturbed_network_fail():
    X = [[0, 0], [2, 0], [0, 1], [1, 1], [3, 2]]
    y = [0, 1, 2, 0, 1]
    beta = Fraction(1, 8)
    proof = ga_relu.fit(np.array(X, float), np.array(y, float), beta=0.125).prove(X=X, y=y, beta=beta)
    support = [(nr.subset, nr.sign, 1 if nr.coefficient > 0 else -1) for nr in proof.neurons]
    problem = exact_problem(X, y, beta)
    assert prove_support(problem, support, correct=False).holds
    broken = prove_support(problem, support[1:], correct=False)
    assert not broken.holds and broken.reason
    # with correction the missing column is found again, and the same optimum proved
    repaired = prove_support(problem, support[1:])
    assert repaired.holds and repaired.objective == proof.objective
    # the float network itself, then perturbed
    result = ga_relu.fit(np.array(X, float), np.array(y, float), beta=0.125)
    net = result.network
    perturbed = ReLUNetwork(net.W, net.b, net.alpha * (1 + 1e-6), net.c)
    bad = prove_network(perturbed, X, y, beta=beta)
    assert not bad.holds and bad.gap > 0


def test_support_correction_from_a_wrong_start():
    problem = exact_problem([[0], [1], [2], [4]], [0, 2, 1, 3], Fraction(1, 10))
    proof = prove_support(problem, [])
    assert proof.holds and proof.rounds >= 1
    with pytest.raises(ConvergenceError, match="rounds"):
        prove_support(problem, [], max_rounds=0)


def test_vector_outputs_give_an_exact_bound():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    Y = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    result = ga_relu.fit(X, Y, beta=0.1)
    proof = result.prove()
    assert proof.theorem == "T5"
    assert proof.gap is not None and 0 <= proof.gap < Fraction(1, 10**5)
    assert proof.holds == (proof.gap == 0)


def test_unprovable_cases_and_limits():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    result = ga_relu.fit(X, [0.0, 1.0, 1.0, 0.0], beta=0.1, penalty="l2")
    with pytest.raises(UnprovableError, match="T4"):
        exact_problem(X, [0, 1, 1, 0], 1, penalty="l2")
    try:  # the interval proof (helper module) when it exists, else a clear refusal
        assert result.prove().kind == ga_relu.proofs.proof.INTERVAL_ENCLOSED
    except UnprovableError as exc:
        assert "T4" in str(exc)
    with pytest.raises(UnprovableError, match="fit_intercept=True"):
        exact_problem(X, [0, 1, 1, 0], 1, fit_intercept=False)
    with pytest.raises(ExactSizeError, match="bits"):
        exact_problem([[Fraction(1, 3**20000)], [1]], [0, 1], 1)
    with pytest.raises(ga_relu.errors.InvalidTypeError):
        exact_problem([[sp.sqrt(2)], [1]], [0, 1], 1)


def test_latex_and_summary():
    proof = ga_relu.fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], beta=0.1).prove(beta=Fraction(1, 10))
    text = proof.latex()
    assert text.startswith("f(x) = \\frac{4}{5}") and "\\frac{7}{10}" in text
    assert "PROVED" in proof.summary() and "P(network) - P* <= 0" in proof.summary()
