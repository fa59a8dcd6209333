"""Symbolic points, wedge notation and exact derivations (ga_relu.explain.symbolic).

Every formula is checked against an independent computation: hand-written shoelace / cross
products in sympy, numpy determinants, exact Fractions, and the numeric wedge dictionary.
"""

import time
from fractions import Fraction

import numpy as np
import pytest
import sympy

import ga_relu
from ga_relu.convex.dictionary import vertex_set, wedge_dictionary
from ga_relu.errors import InvalidInputError, SymbolicLimitError
from ga_relu.explain.symbolic import (
    Wedge,
    evaluate_structure,
    exact_features,
    neuron_formula,
    numeric_feature_function,
    relu,
    symbolic_input,
    symbolic_points,
)


def test_points_names_and_algebra_round_trip():
    P = symbolic_points(7, 3)
    assert sympy.latex(P[6].symbol) == "x_{7}"
    assert sympy.latex(P[6].coords[0]) == "x_{7,1}"
    x = symbolic_input(3)
    assert sympy.latex(x.symbol) == "x" and [str(c) for c in x.coords] == ["[x]_1", "[x]_2", "[x]_3"]
    # a symbolic point goes straight into the algebra; 3-D cross = the ordinary a x b (sympy's)
    c = ga_relu.cross(P[0], P[1])
    assert sympy.expand(c - P[0].vector.cross(P[1].vector)) == sympy.zeros(3, 1)
    assert P[6].symbol != sympy.Symbol("x_7")  # a named point is not an input coordinate


def _shoelace2(x, a, c):
    """Twice the signed area of the triangle (x, a, c), written out by hand."""
    return (a[0] - x[0]) * (c[1] - x[1]) - (a[1] - x[1]) * (c[0] - x[0])


def test_2d_line_closed_form_is_signed_distance():
    P, x = symbolic_points(3, 2), symbolic_input(2)
    f = neuron_formula([P[0], P[2]], penalty="l2")
    a, c = P[0].coords, P[2].coords
    assert sympy.expand(f.preactivation - _shoelace2(x.coords, a, c)) == 0
    assert sympy.expand(f.norm**2 - ((a[0] - c[0]) ** 2 + (a[1] - c[1]) ** 2)) == 0
    g = neuron_formula([P[0], P[2]], penalty="l2", sign=-1)
    assert sympy.expand(g.preactivation + _shoelace2(x.coords, a, c)) == 0
    # the structural and closed forms evaluate (through the algebra) to the same feature
    for form in (f, g):
        for view in (form.structural, form.closed_form):
            value = evaluate_structure(view.args[0])
            assert sympy.simplify(value - form.preactivation / form.norm) == 0
    assert "line through x_1 and x_3" in f.description


def test_2d_l1_axis_parallel_line():
    P, x = symbolic_points(2, 2), symbolic_input(2)
    x21 = P[1].coords[0]
    f = neuron_formula([P[1]], [1], penalty="l1")  # the line through x_2 parallel to e_2
    g = neuron_formula([P[1]], [1], penalty="l1", sign=-1)
    assert {f.feature, g.feature} == {relu(x.coords[0] - x21), relu(x21 - x.coords[0])}
    assert f.norm == 1
    assert sympy.expand(evaluate_structure(f.structural.args[0]) - f.preactivation) == 0


def test_3d_closed_form_against_numpy_volume_and_area():
    rng = np.random.default_rng(3)
    pts = rng.normal(size=(3, 3))
    z = rng.normal(size=3)
    P = symbolic_points(3, 3)
    f = neuron_formula(P, penalty="l2")
    values = {c: v for p, row in zip(P, pts) for c, v in zip(p.coords, row)}
    values.update(dict(zip(f.x.coords, z)))
    volume = np.linalg.det(np.array([pts[0] - z, pts[1] - z, pts[2] - z])) / 6
    area = np.linalg.norm(np.cross(pts[1] - pts[0], pts[2] - pts[0])) / 2
    height = float((f.preactivation / f.norm).xreplace(values))
    assert abs(abs(height) - 3 * abs(volume) / area) < 1e-12
    closed = f.closed_form
    assert closed.has(ga_relu.explain.symbolic.Volume) and closed.has(ga_relu.explain.symbolic.Area)
    assert abs(float(evaluate_structure(closed.args[0]).xreplace(values)) - height) < 1e-12


def test_1d_breakpoint():
    P, x = symbolic_points(4, 1), symbolic_input(1)
    f = neuron_formula([P[3]], bias=True, penalty="l1")
    assert f.feature == relu(x.coords[0] - P[3].coords[0])
    assert f.structural == relu(x.symbol - P[3].symbol)


def test_exact_rational_features_l2_and_l1():
    points = [[Fraction(1, 2), Fraction(0)], [Fraction(3), Fraction(1, 3)], [Fraction(-1), Fraction(2)]]
    X_eval = [[Fraction(0), Fraction(0)], [Fraction(2, 5), Fraction(7, 3)], [Fraction(-3), Fraction(1)]]
    a, c = points[0], points[2]
    side2 = (a[0] - c[0]) ** 2 + (a[1] - c[1]) ** 2
    side1 = abs(a[0] - c[0]) + abs(a[1] - c[1])
    for penalty, norm in (("l2", sympy.sqrt(sympy.Rational(side2))), ("l1", sympy.Rational(side1))):
        for sign in (1, -1):
            got = exact_features(points, X_eval, [0, 2], bias=True, penalty=penalty, sign=sign)
            expected = [sympy.Max(sign * sympy.Rational(_shoelace2(x, a, c)) / norm, 0) for x in X_eval]
            assert got == expected
    # exact in, exact out: no floats anywhere
    assert all(not v.has(sympy.Float) for v in got)


def test_exact_no_bias_3d_with_basis_vector():
    points = [[1, 2, 3], [Fraction(1, 2), -1, 4]]
    f = neuron_formula([points[1]], [2], bias=False, penalty="l1")  # w = cross(p_2, e_3)
    M = sympy.Matrix([[sympy.Symbol("t1"), sympy.Symbol("t2"), sympy.Symbol("t3")], [Fraction(1, 2), -1, 4], [0, 0, 1]])
    det = M.det(method="laplace")
    w = [det.coeff(s) for s in M.row(0)]
    assert list(f.weight) == [sympy.nsimplify(v) for v in w]
    assert f.norm == sum(abs(sympy.nsimplify(v)) for v in w)


@pytest.mark.parametrize("d,bias,penalty", [(1, True, "l1"), (2, True, "l1"), (2, False, "l2"), (3, True, "l2"),
                                            (3, False, "l1")])
def test_lambdified_features_match_numeric_dictionary(d, bias, penalty):
    rng = np.random.default_rng(d + 10 * bias)
    X = rng.normal(size=(9, d))
    dictionary = wedge_dictionary(X, penalty=penalty, bias=bias)
    features = numeric_feature_function(d, bias, penalty)
    K = features(X, vertex_set(X, penalty, bias)[dictionary.subsets])
    K_ref = dictionary.matrix(X)
    assert K.shape == K_ref.shape
    assert np.max(np.abs(K - K_ref)) <= 1e-12 * max(1.0, np.max(np.abs(K_ref)))
    assert "def " in features.source and numeric_feature_function(d, bias, penalty) is features


def test_symbolic_limit():
    P = symbolic_points(6, 6)
    f = neuron_formula(P, penalty="l2")
    assert isinstance(f.structural.args[0].args[0], Wedge) or f.structural.has(Wedge)  # structural stays
    with pytest.raises(SymbolicLimitError, match="720"):
        f.feature
    with pytest.raises(SymbolicLimitError, match="structural"):
        numeric_feature_function(6, True, "l1")
    with ga_relu.options.override(max_symbolic_dim=3):
        with pytest.raises(SymbolicLimitError):
            neuron_formula(symbolic_points(3, 3)).preactivation


def test_bad_input():
    P = symbolic_points(3, 2)
    with pytest.raises(InvalidInputError, match="vertices"):
        neuron_formula(P, penalty="l2")
    with pytest.raises(InvalidInputError, match="sign"):
        neuron_formula(P[:2], sign=0)


def test_a_flat_vector_is_not_taken_for_points():
    """issue 12.4: neuron_formula(point_of_R8, ...) raised TypeError "'int' object is not iterable"."""
    point = [1, 2, 3, 4, 5, 6, 7, 8]
    with pytest.raises(ga_relu.errors.InvalidTypeError, match="wrap a single point in a list"):
        neuron_formula(point, list(range(1, 8)), penalty="l1")
    with pytest.raises(ga_relu.errors.InvalidTypeError, match="not a point"):
        neuron_formula(symbolic_points(1, 8)[0], list(range(1, 8)), penalty="l1")
    f = neuron_formula([point], list(range(1, 8)), penalty="l1")  # the hyperplane x_1 = 1
    x1 = symbolic_input(8).coords[0]
    assert f.feature in (relu(x1 - 1), relu(1 - x1))


@pytest.mark.parametrize("bias, basis, penalty", [(True, (1, 4, 6), "l1"), (False, (), "l2")])
def test_d8_formulas_against_numpy_determinants(bias, basis, penalty):
    """d = 8: the numeric weights and the structural (wedge) form, evaluated through the algebra, both
    equal the determinant det[x~; v~_1; ...] computed by numpy, over ||w||_p."""
    from ga_relu.explain.formulas import evaluate_expression

    d = 8
    rng = np.random.default_rng(8 + len(basis))
    m = (d if bias else d - 1) - len(basis)
    pts = rng.normal(size=(m, d))
    Z = rng.normal(size=(5, d))
    rows = [np.append(p, 1.0) if bias else p for p in pts]
    rows += [np.append(np.eye(d)[k], 0.0) if bias else np.eye(d)[k] for k in basis]
    # w_j = cofactor of the input entry x_j in det[x~; rows]: the signed volume's gradient
    volumes = np.array([np.linalg.det(np.vstack([np.append(z, 1.0) if bias else z] + rows)) for z in Z])
    weight = np.array([np.linalg.det(np.vstack([np.append(np.eye(d)[j], 0.0) if bias else np.eye(d)[j]] + rows))
                       for j in range(d)])
    norm = np.sum(np.abs(weight)) if penalty == "l1" else np.linalg.norm(weight)
    f = neuron_formula(pts, basis, bias=bias, penalty=penalty)
    w = np.array([float(c) for c in f.weight])
    assert np.allclose(np.abs(w), np.abs(weight), rtol=1e-9)
    orientation = np.sign(w @ weight)  # the formula's orientation of the volume, relative to numpy's rows
    expected = np.maximum(orientation * volumes / norm, 0.0)
    scale = np.max(np.abs(volumes / norm))
    assert np.allclose(evaluate_expression(f.feature, Z), expected, rtol=1e-9, atol=1e-12 * scale)
    symbolic = neuron_formula(symbolic_points(m, d), basis, bias=bias, penalty=penalty)
    got = evaluate_expression(symbolic.structural, Z, points=pts)
    assert np.allclose(got, expected, rtol=1e-9, atol=1e-12 * scale)


def test_expansion_term_count_is_stated_and_bounded():
    """The count (m + 1)! against sympy's own Leibniz expansion, and d = 8 refused at once with the
    option that raises the limit, even with the dimension limit lifted."""
    from ga_relu.explain.symbolic import check_expansion_terms, expansion_terms

    for d, bias, basis in [(2, True, ()), (3, True, ()), (3, True, (1,)), (4, True, (0, 3)), (3, False, ()),
                           (4, False, (2,))]:
        m = (d if bias else d - 1) - len(basis)
        P = symbolic_points(m, d)
        x = symbolic_input(d)
        lift = [1] if bias else []
        M = sympy.Matrix([list(x.coords) + lift] + [list(p.coords) + lift for p in P]
                         + [[int(j == k) for j in range(d)] + ([0] if bias else []) for k in basis])
        independent = len(sympy.Add.make_args(sympy.expand(M.det(method="berkowitz"))))
        formula = neuron_formula(P, basis, bias=bias, penalty="l1")
        assert independent == expansion_terms(m) == len(sympy.Add.make_args(formula.preactivation))
    with ga_relu.options.override(max_symbolic_dim=20):
        start = time.perf_counter()
        with pytest.raises(SymbolicLimitError, match=r"362,880 terms.*max_symbolic_terms"):
            neuron_formula(symbolic_points(8, 8)).feature
        with pytest.raises(SymbolicLimitError, match="max_symbolic_terms"):
            numeric_feature_function(8, True, "l1")
        assert time.perf_counter() - start < 5.0  # refused before any expansion
    with ga_relu.options.override(max_symbolic_terms=23):
        with pytest.raises(SymbolicLimitError, match="24 terms"):
            check_expansion_terms(3)
    assert check_expansion_terms(3) == 24
