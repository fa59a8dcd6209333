"""Signed volumes, distances, rejections and lifted hyperplanes against independent formulas.

References: sympy determinants (berkowitz), exact least-squares projections through sympy's
normal equations, numpy.linalg.lstsq, the shoelace formula and the scalar triple product.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ga_relu.errors import DegenerateDataError, InvalidInputError
from ga_relu.algebra.geometry import (
    distance_to_span,
    hyperplane_through,
    lift,
    rejection,
    signed_volume,
    tetrahedron_volume,
    triangle_area,
)

HYPOTHESIS = settings(max_examples=40, deadline=None)
small = st.integers(-6, 6)


def vectors(count, d):
    return st.lists(st.lists(small, min_size=d, max_size=d), min_size=count, max_size=count)


@st.composite
def point_and_span(draw, max_dim=5):
    """(x, rows): a point of R^d and 1..d-1 linearly independent integer vectors."""
    d = draw(st.integers(2, max_dim))
    k = draw(st.integers(1, d - 1))
    rows = draw(vectors(k, d))
    assume(sympy.Matrix(rows).rank() == k)
    return draw(st.lists(small, min_size=d, max_size=d)), rows


def exact_projection_residual(x, rows) -> sympy.Matrix:
    """x - A^T (A A^T)^{-1} A x, by sympy's exact linear solve (normal equations)."""
    A = sympy.Matrix(rows)
    xv = sympy.Matrix(x)
    coefficients = (A * A.T).LUsolve(A * xv)
    return xv - A.T * coefficients


@HYPOTHESIS
@given(st.integers(1, 5).flatmap(lambda d: vectors(d, d)))
def test_signed_volume_is_det(rows):
    assert signed_volume(*rows) == sympy.Matrix(rows).det(method="berkowitz")
    assert math.isclose(signed_volume(*np.array(rows, dtype=float)), np.linalg.det(np.array(rows, dtype=float)), abs_tol=1e-9)


@HYPOTHESIS
@given(point_and_span())
def test_distance_to_span_matches_least_squares(case):
    x, rows = case
    residual = exact_projection_residual(x, rows)
    distance = distance_to_span(x, *rows)
    assert sympy.simplify(distance**2 - residual.dot(residual)) == 0  # exact
    A = np.array(rows, dtype=float).T
    solution, *_ = np.linalg.lstsq(A, np.array(x, dtype=float), rcond=None)
    float_distance = float(np.linalg.norm(np.array(x, dtype=float) - A @ solution))
    assert math.isclose(float(distance), float_distance, rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(distance_to_span(np.array(x, dtype=float), *rows), float_distance, rel_tol=1e-9, abs_tol=1e-9)


@HYPOTHESIS
@given(point_and_span())
def test_rejection_is_the_least_squares_residual(case):
    x, rows = case
    expected = exact_projection_residual(x, rows)
    got = rejection(x, *rows)
    assert isinstance(got, sympy.ImmutableMatrix) and got == sympy.ImmutableMatrix(expected)
    assert all(v == 0 for v in sympy.Matrix(rows) * got)  # orthogonal to the span
    float_got = rejection(np.array(x, dtype=float), *rows)
    np.testing.assert_allclose(float_got, np.array(expected, dtype=float).ravel(), atol=1e-9)


@HYPOTHESIS
@given(st.integers(2, 5).flatmap(lambda d: st.tuples(vectors(1, d), vectors(d - 1, d))))
def test_rejection_from_a_hyperplane_is_parallel_to_cross(case):
    (x,), rows = case
    assume(sympy.Matrix(rows).rank() == len(rows))
    from ga_relu.algebra.blades import cross

    got, normal = rejection(x, *rows), cross(*rows)
    assert all(v == 0 for v in (got * normal.T - normal * got.T))  # rank one: parallel


@HYPOTHESIS
@given(st.integers(1, 4).flatmap(lambda d: st.tuples(vectors(1, d), vectors(d, d))))
def test_hyperplane_through_is_the_lifted_determinant(case):
    (x,), points = case
    w, b = hyperplane_through(*points)
    lifted = sympy.Matrix([[*p, 1] for p in [x, *points]])
    assert (sympy.Matrix([x]) * w)[0] + b == lifted.det(method="berkowitz")
    if any(w):  # every point lies on the hyperplane
        assert all((sympy.Matrix([p]) * w)[0] + b == 0 for p in points)


@HYPOTHESIS
@given(vectors(1, 2), vectors(2, 2))
def test_hyperplane_in_2d_matches_theory(x, points):
    """2-D: w = cross(a - c), b = det[a; c]; w.x + b = 2 SignedArea(x, a, c)."""
    (a, c), (x,) = points, x
    w, b = hyperplane_through(a, c)
    assert list(w) == [a[1] - c[1], -(a[0] - c[0])]
    assert b == a[0] * c[1] - a[1] * c[0]
    assert (sympy.Matrix([x]) * w)[0] + b == 2 * triangle_area(x, a, c)


@HYPOTHESIS
@given(vectors(3, 2))
def test_triangle_area_is_the_shoelace_formula(points):
    (x1, y1), (x2, y2), (x3, y3) = points
    shoelace = sympy.Rational(x1 * y2 - x2 * y1 + x2 * y3 - x3 * y2 + x3 * y1 - x1 * y3, 2)
    assert triangle_area(*points) == shoelace
    assert math.isclose(triangle_area(*np.array(points, dtype=float)), float(shoelace), abs_tol=1e-12)


@HYPOTHESIS
@given(vectors(4, 3))
def test_tetrahedron_volume_is_the_triple_product(points):
    a, b, c, d = (np.array(p) for p in points)
    triple = int(np.dot(b - a, np.cross(c - a, d - a)))
    assert tetrahedron_volume(*points) == sympy.Rational(triple, 6)


def test_tetrahedron_height_over_base_area():
    """6 * volume / (2 * base area) is the signed height (docs/theory/algebra.md)."""
    a, b, c, d = [0, 0, 0], [2, 0, 0], [0, 3, 0], [1, 1, 5]
    w, bias = hyperplane_through(a, b, c)
    base_twice_area = sympy.sqrt(w.dot(w))
    assert 6 * tetrahedron_volume(a, b, c, d) / base_twice_area == 5
    assert ((sympy.Matrix([d]) * w)[0] + bias) / base_twice_area == 5


def test_fraction_and_symbolic_inputs_stay_exact():
    assert triangle_area([Fraction(1, 2), 0], [1, 0], [0, 1]) == sympy.Rational(1, 4)
    t = sympy.Symbol("t")
    assert sympy.expand(signed_volume([t, 1], [1, t]) - (t**2 - 1)) == 0
    assert distance_to_span([3, 4], [1, 0]) == 4


def test_lift():
    assert lift([1, 2]) == sympy.ImmutableMatrix([1, 2, 1])
    np.testing.assert_array_equal(lift(np.array([0.5, 2.0])), [0.5, 2.0, 1.0])


def test_degenerate_spans_raise_with_a_fix():
    with pytest.raises(DegenerateDataError, match="linearly dependent.*linearly independent"):
        distance_to_span([1, 2, 3], [1, 1, 0], [2, 2, 0])
    with pytest.raises(DegenerateDataError, match="linearly dependent"):
        rejection([1.0, 2.0], [0.0, 0.0])
    with pytest.raises(DegenerateDataError, match="numerically 0"):
        distance_to_span([1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [1.0, 1.0 + 1e-15, 0.0])
    with pytest.raises(DegenerateDataError, match="at most 2"):
        distance_to_span([1, 2], [1, 0], [0, 1], [1, 1])


def test_full_span_and_empty_span():
    assert distance_to_span([1, 2], [1, 0], [0, 1]) == 0
    assert list(rejection([1, 2], [1, 0], [1, 1])) == [0, 0]
    assert distance_to_span([3, 4]) == 5
    assert list(rejection([3, 4])) == [3, 4]


@pytest.mark.parametrize(
    "call, args, error, message",
    [
        (signed_volume, ([1, 2], [3, 4], [5, 6]), InvalidInputError, r"expected d = 2 vectors of R\^2"),
        (signed_volume, (), InvalidInputError, "expected d vectors"),
        (hyperplane_through, ([1, 2, 3], [4, 5, 6]), InvalidInputError, r"expected d = 3 points"),
        (triangle_area, ([0, 0, 0], [1, 0, 0], [0, 1, 0]), InvalidInputError, r"points of R\^2"),
        (tetrahedron_volume, ([0, 0], [1, 0], [0, 1], [1, 1]), InvalidInputError, r"points of R\^3"),
        (distance_to_span, ([1, 2], [1, 2, 3]), InvalidInputError, "mixed lengths"),
        (rejection, ([1.0, float("inf")], [1, 0]), InvalidInputError, "NaN or infinite"),
        (signed_volume, ([1, None], [0, 1]), TypeError, "expected a real number"),
        (lift, ("12",), TypeError, "expected a vector"),
    ],
)
def test_bad_input_is_rejected_with_a_message(call, args, error, message):
    with pytest.raises(error, match=message):
        call(*args)
