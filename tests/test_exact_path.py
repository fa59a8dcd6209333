"""The exact path (ga_relu.exact_path) and the symbolic solutions, against exact proofs at rational
betas inside each piece, continuity at breakpoints, the float path, and a hand-derived 1-D form."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import ga_relu
from ga_relu.errors import SymbolicLimitError
from ga_relu.proofs.symbolic import symbolic_solution


def test_three_points_by_hand():
    # y - mean(y) = (-1/3, 2/3, -1/3): the two kinks at x = 1 tie at beta_max = 1/3 and enter together,
    # z = -(1 - 3 beta) each, c = 1 - 2 beta (see test_prove.test_three_points_closed_form)
    path = ga_relu.exact_path([[0], [1], [2]], [0, 1, 0], beta_min=Fraction(1, 100))
    assert path.beta_max == Fraction(1, 3) and len(path) == 1
    piece = path[0]
    assert {(n.a, n.b) for n in piece.neurons} == {(Fraction(-1), Fraction(-3))}
    assert piece.intercept == (Fraction(1), Fraction(2))
    assert "\\frac{1}{100} \\le \\beta \\le \\frac{1}{3}" in piece.latex()
    beta = sp.Symbol("beta", positive=True)
    assert sp.expand(piece.neurons[0].expression(beta) - (3 * beta - 1)) == 0


def test_pieces_equal_exact_proofs_and_are_continuous():
    rng = np.random.default_rng(1)
    X = rng.integers(-5, 6, size=(6, 2))
    y = rng.integers(-3, 4, size=6)
    path = ga_relu.exact_path(X.tolist(), y.tolist(), beta_min=Fraction(1, 20))
    assert len(path) >= 3
    for piece in path:
        beta = (piece.beta_low + 2 * piece.beta_high) / 3
        proof = ga_relu.fit(X.astype(float), y.astype(float), beta=float(beta)).prove(X=X.tolist(), y=y.tolist(), beta=beta)
        assert proof.holds
        assert piece.objective(X.tolist(), y.tolist(), beta) == proof.objective
        assert piece.predict(X.tolist(), beta) == proof(X.tolist())
    for upper, lower in zip(path.pieces, path.pieces[1:]):
        at = lower.beta_high
        assert upper.beta_low == at
        assert upper.predict(X.tolist(), at) == lower.predict(X.tolist(), at)
    # float path agrees
    betas = [float((p.beta_low + p.beta_high) / 2) for p in path]
    fits = ga_relu.path(X.astype(float), y.astype(float), betas)
    for piece, fit, b in zip(path, fits, betas):
        exact = float(piece.objective(X.tolist(), y.tolist(), Fraction(b)))
        assert abs(fit.objective - exact) <= 1e-9 * max(1.0, exact)


def test_above_beta_max_is_the_mean():
    X, y = [[0], [1], [3]], [1, 2, 0]
    path = ga_relu.exact_path(X, y, beta_min=Fraction(1, 10))
    proof = ga_relu.fit([[0.0], [1.0], [3.0]], [1.0, 2.0, 0.0], beta=float(path.beta_max) * 1.5).prove(
        X=X, y=y, beta=path.beta_max * Fraction(3, 2))
    assert proof.holds and proof.neurons == () and proof.intercept == path.mean == 1


def test_symbolic_targets_match_exact_proofs():
    X = [[0, 0], [2, 0], [0, 1], [1, 1], [3, 2]]
    solution = symbolic_solution(X, [0, 1, 2, 0, 1], Fraction(1, 8), variables=("y", "beta"))
    assert solution.holds_at()
    y_new = [0, Fraction(101, 100), 2, 0, 1]
    values = {solution.symbols[f"y_{i + 1}"]: sp.Rational(str(v)) for i, v in enumerate(y_new)}
    values[solution.symbols["beta"]] = sp.Rational(1, 8)
    assert solution.holds_at(values)
    z, c = solution.at(values)
    proof = ga_relu.fit(np.array(X, float), np.array(y_new, float), beta=0.125).prove(X=X, y=y_new, beta=Fraction(1, 8))
    assert proof.holds
    network = solution.network.subs(values)
    inputs = solution.inputs
    for x in X:
        value = network.subs(dict(zip(inputs, x)))
        assert value == sp.Rational(str(proof([x])[0]))
    # far away the region says no
    values[solution.symbols["beta"]] = sp.Integer(5)
    assert not solution.holds_at(values)


def test_symbolic_coordinates_one_d():
    solution = symbolic_solution([[0], [1], [3]], [0, 2, 1], Fraction(1, 10), variables=("X", "y", "beta"))
    assert solution.holds_at()
    assert any(str(r) in ("x_1 < x_2", "x_2 > x_1", "x_1 - x_2 < 0") or r.has(solution.symbols["x_1"])
               for r in solution.region)
    point = {solution.symbols["x_1"]: sp.Rational(0), solution.symbols["x_2"]: sp.Rational(11, 10),
             solution.symbols["x_3"]: sp.Rational(3), solution.symbols["y_1"]: 0, solution.symbols["y_2"]: 2,
             solution.symbols["y_3"]: 1, solution.symbols["beta"]: sp.Rational(1, 10)}
    assert solution.holds_at(point)
    proof = ga_relu.fit([[0.0], [1.1], [3.0]], [0.0, 2.0, 1.0], beta=0.1).prove(
        X=[[0], [Fraction(11, 10)], [3]], y=[0, 2, 1], beta=Fraction(1, 10))
    net = solution.network.subs(point)
    for x in (0, Fraction(11, 10), 3):
        assert net.subs(solution.inputs[0], sp.Rational(str(x))) == sp.Rational(str(proof([[x]])[0]))
    swapped = dict(point)
    swapped[solution.symbols["x_2"]] = sp.Integer(4)  # the order of the samples changes: outside
    assert not solution.holds_at(swapped)


def test_symbolic_limits():
    with pytest.raises(SymbolicLimitError):
        symbolic_solution([[0, 0], [1, 0], [0, 1], [1, 1]], [0, 1, 1, 0], 1, variables=("X",))
