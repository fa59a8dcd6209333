r"""Signed volumes, distances, rejections and lifted hyperplanes through wedge products.

Every function is exact (sympy results) for int / Fraction / sympy inputs and float64 when any
entry is a float, with the same dispatch as :mod:`ga_relu.algebra.blades`.  Vectors come back as
a sympy ``ImmutableMatrix`` column when exact and as a numpy array of shape (d,) when float;
scalars as sympy expressions or Python floats.

Formulas (docs/theory/algebra.md):

* signed_volume(a_1..a_d) = det[a_1; ...; a_d], the coefficient of a_1 ^ ... ^ a_d on I.
* distance_to_span(x, A) = ||x ^ a_1 ^ ... ^ a_k|| / ||a_1 ^ ... ^ a_k||.
* rejection(x, A) = (x ^ B) B^{-1}, B = a_1 ^ ... ^ a_k (geometric product from ``layout.gmt``).
* lift(x) = x~ = (x, 1); the hyperplane through p_1..p_d of R^d is
  (w, b) = cross(p~_1, ..., p~_d), so that w.x + b = det[x~; p~_1; ...; p~_d].
* triangle_area(a, b, c) = det[b - a; c - a] / 2, tetrahedron_volume(a, b, c, d) =
  det[b - a; c - a; d - a] / 6 (both signed).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import sympy

from . import blades as _algebra
from .blades import FLOAT, RATIONAL, Blade, Kind, _contract, _parse_vectors, _scalar_out, _vector_out, _wedge_rows
from ..errors import DegenerateDataError, InvalidInputError

__all__ = [
    "signed_volume",
    "distance_to_span",
    "rejection",
    "lift",
    "hyperplane_through",
    "triangle_area",
    "tetrahedron_volume",
]


#: float spans count as linearly dependent when ||a_1 ^ ... ^ a_k|| <= this * prod ||a_i||
_FLOAT_DEPENDENCE_TOLERANCE = 1e-12


def _difference_rows(rows, kind: Kind):
    """rows[1:] - rows[0] (edge vectors from the first point), in the rows' kind."""
    if kind == FLOAT:
        return rows[1:] - rows[0]
    origin = rows[0]
    return [tuple(p - o for p, o in zip(row, origin)) for row in rows[1:]]


def _determinant(rows, kind: Kind):
    """det of d parsed rows of R^d: the coefficient of a_1 ^ ... ^ a_d on I (raw, in kind)."""
    return _wedge_rows(rows, kind, len(rows[0]))._raw[0]


def _divide(value, divisor: int, kind: Kind):
    if kind == FLOAT:
        return float(value) / divisor
    return _scalar_out(value, kind) / divisor


def _parse_d_vectors(vectors, caller: str, what: str):
    """Exactly d vectors of R^d (their common length fixes d): (rows, kind, d)."""
    if not vectors:
        raise InvalidInputError(f"{caller}: expected d {what} of R^d, got none")
    rows, kind, d = _parse_vectors(vectors, caller)
    if len(rows) != d:
        raise InvalidInputError(
            f"{caller}: expected d = {d} {what} of R^{d} (the {what}' length fixes d), got {len(rows)}"
        )
    return rows, kind, d


def signed_volume(*vectors):
    r"""det[a_1; ...; a_d] for d vectors of R^d: the signed d-volume of their parallelotope.

    .. math:: a_1 \wedge \dots \wedge a_d = \det[a_1; \dots; a_d] \; I,
              \qquad I = e_1 \wedge \dots \wedge e_d

    Parameters
    ----------
    *vectors : sequence of numbers
        d vectors of R^d (their common length fixes d).

    Returns
    -------
    sympy.Expr or float
        Exact for int / Fraction / sympy entries, a float if any entry is a float.

    Raises
    ------
    InvalidInputError
        When the number of vectors is not d.

    Examples
    --------
    >>> from ga_relu.algebra.geometry import signed_volume
    >>> signed_volume([1, 0], [1, 2])
    2
    >>> signed_volume([0, 1, 0], [1, 0, 0], [0, 0, 1])  # a reflection: orientation reversed
    -1
    """
    rows, kind, d = _parse_d_vectors(vectors, "signed_volume", "vectors")
    return _scalar_out(_determinant(rows, kind), kind)


def _span_blade(rows, kind: Kind, d: int, caller: str) -> Blade:
    """B = a_1 ^ ... ^ a_k of the spanning vectors, checked to be non-zero."""
    k = len(rows)
    if k > d:
        raise DegenerateDataError(
            f"{caller}: {k} vectors of R^{d} are linearly dependent (their wedge is zero); "
            f"pass at most {d} linearly independent vectors"
        )
    blade = _wedge_rows(rows, kind, d)
    norm_squared = blade._norm_squared_raw()
    if kind == FLOAT:
        # Hadamard: ||a_1 ^ ... ^ a_k|| <= prod ||a_i||; below 1e-12 of that bound the span is
        # numerically lower-dimensional and the ratio below is noise.
        bound = float(np.prod(np.sum(np.asarray(rows) ** 2, axis=1)))
        degenerate = norm_squared <= (_FLOAT_DEPENDENCE_TOLERANCE**2) * bound
    else:
        degenerate = _algebra._is_zero(norm_squared, kind)
    if degenerate:
        raise DegenerateDataError(
            f"{caller}: the spanning vectors are linearly dependent (||a_1 ^ ... ^ a_k|| = 0, or numerically 0 "
            "for floats); "
            "drop the dependent vectors and pass a linearly independent set"
        )
    return blade


def distance_to_span(x, *vectors):
    r"""Euclidean distance from x to span(a_1..a_k).

    .. math:: \operatorname{dist}(x, \operatorname{span}(a_1..a_k))
              = \frac{\| x \wedge a_1 \wedge \dots \wedge a_k \|}{\| a_1 \wedge \dots \wedge a_k \|}

    Both norms are Gram determinants (Cauchy-Binet), so the ratio is the height of the
    (k+1)-parallelotope over its k-dimensional base.

    Parameters
    ----------
    x : sequence of numbers
        The point, in R^d.
    *vectors : sequence of numbers
        The spanning vectors a_1..a_k of R^d, linearly independent; none gives ||x||.

    Returns
    -------
    sympy.Expr or float
        An exact sympy square root for exact inputs, a float otherwise.

    Raises
    ------
    DegenerateDataError
        When the a_i are linearly dependent (zero wedge norm; for floats, a norm below 1e-12 times
        the Hadamard bound prod ||a_i||).

    Examples
    --------
    >>> from ga_relu.algebra.geometry import distance_to_span
    >>> distance_to_span([1, 1, 1], [1, 0, 0], [0, 1, 0])  # height above the plane z = 0
    1
    >>> distance_to_span([1, 2], [1, 1])
    sqrt(2)/2
    >>> distance_to_span([3.0, 4.0])
    5.0
    """
    rows, kind, d = _parse_vectors((x, *vectors), "distance_to_span")
    point, spanning = rows[0], rows[1:]
    if len(spanning) == 0:
        squared = _algebra.Blade._from_raw(d, 1, point, kind)._norm_squared_raw()
    else:
        base = _span_blade(spanning, kind, d, "distance_to_span")
        if len(spanning) == d:  # A spans R^d
            return 0.0 if kind == FLOAT else sympy.Integer(0)
        top = _wedge_rows(rows, kind, d)
        squared = top._norm_squared_raw() * _algebra._reciprocal(base._norm_squared_raw(), kind)
    if kind == FLOAT:
        return float(np.sqrt(squared))
    return sympy.sqrt(_scalar_out(squared, kind))


def rejection(x, *vectors):
    r"""The component of x orthogonal to span(a_1..a_k).

    .. math:: x_\perp = (x \wedge B) \, B^{-1}, \qquad B = a_1 \wedge \dots \wedge a_k,
              \quad B^{-1} = \tilde B / \|B\|^2

    It is x minus its least-squares projection onto the span; for k = d-1 it is parallel to
    cross(a).  The geometric product is contracted from clifford's ``layout.gmt`` (only its grade-1
    part is non-zero).

    Parameters
    ----------
    x : sequence of numbers
        The vector to reject, in R^d.
    *vectors : sequence of numbers
        The spanning vectors, linearly independent; none gives x itself.

    Returns
    -------
    sympy.ImmutableMatrix or numpy.ndarray
        A d x 1 column when exact, an array of shape (d,) when float.

    Raises
    ------
    DegenerateDataError
        When the a_i are linearly dependent.

    Examples
    --------
    >>> from ga_relu.algebra.geometry import rejection
    >>> rejection([1, 2, 3], [1, 0, 0], [0, 1, 0]).T
    Matrix([[0, 0, 3]])
    >>> rejection([1.0, 2.0], [1.0, 1.0])
    array([-0.5,  0.5])
    """
    rows, kind, d = _parse_vectors((x, *vectors), "rejection")
    point, spanning = rows[0], rows[1:]
    k = len(spanning)
    if k == 0:
        return _vector_out(point, kind)
    inverse = _span_blade(spanning, kind, d, "rejection").inverse()
    if k == d:
        return _vector_out([0.0 if kind == FLOAT else 0] * d, kind)
    outer = _wedge_rows(rows, kind, d)  # x ^ B, grade k + 1
    vector = _contract(d, "geometric", outer._raw, k + 1, inverse._raw, k, 1, kind)
    return _vector_out(vector, kind)


def lift(x):
    r"""The homogeneous coordinates x~ = (x, 1) in R^{d+1}, which turn a bias into a weight.

    .. math:: w \cdot x + b = (w, b) \cdot \tilde x

    Examples
    --------
    >>> from ga_relu.algebra.geometry import lift
    >>> lift([2, 3]).T
    Matrix([[2, 3, 1]])
    >>> lift([0.5])
    array([0.5, 1. ])
    """
    rows, kind, d = _parse_vectors((x,), "lift")
    if kind == FLOAT:
        return np.append(rows[0], 1.0)
    return _vector_out(tuple(rows[0]) + (1,), kind)


def _lifted_rows(rows, kind: Kind):
    if kind == FLOAT:
        return np.hstack([rows, np.ones((rows.shape[0], 1))])
    one = 1 if kind == RATIONAL else sympy.Integer(1)
    return [tuple(row) + (one,) for row in rows]


def hyperplane_through(*points):
    r"""(w, b) of the hyperplane through d points of R^d: (w, b) = cross(p~_1, ..., p~_d).

    .. math:: w \cdot x + b = \det[\tilde x; \tilde p_1; \dots; \tilde p_d] \quad \forall x,
              \qquad \tilde x = (x, 1)

    by the defining identity of the cross product: zero exactly on the affine hull of the points,
    and (w.x + b) / ||w|| is the signed distance to the hyperplane.  In 2-D, through a and c:
    w = cross(a - c), b = det[a; c].

    Parameters
    ----------
    *points : sequence of numbers
        d points of R^d (their common length fixes d).

    Returns
    -------
    w : sympy.ImmutableMatrix or numpy.ndarray
        The normal, a d x 1 column (exact) or an array of shape (d,) (float); w = 0 when the
        points are affinely dependent.
    b : sympy.Expr or float
        The offset.

    Raises
    ------
    InvalidInputError
        When the number of points is not d.

    Examples
    --------
    >>> from ga_relu.algebra.geometry import hyperplane_through
    >>> w, b = hyperplane_through([1, 0], [0, 1])  # the line x + y = 1
    >>> w.T, b
    (Matrix([[-1, -1]]), 1)
    """
    rows, kind, d = _parse_d_vectors(points, "hyperplane_through", "points")
    normal = _wedge_rows(_lifted_rows(rows, kind), kind, d + 1).dual()._raw
    if kind == FLOAT:
        return np.asarray(normal[:d], dtype=float), float(normal[d])
    return _vector_out(normal[:d], kind), _scalar_out(normal[d], kind)


def _simplex_volume(points: Sequence[Any], dimension: int, factorial: int, caller: str):
    rows, kind, d = _parse_vectors(points, caller)
    if d != dimension:
        raise InvalidInputError(f"{caller}: expected points of R^{dimension}, got points of R^{d}")
    return _divide(_determinant(_difference_rows(rows, kind), kind), factorial, kind)


def triangle_area(a, b, c):
    r"""Signed area of the triangle (a, b, c) in R^2, positive when counter-clockwise.

    .. math:: \operatorname{area}(a, b, c) = \tfrac12 \det[b - a; c - a]
              = \tfrac12 \det[\tilde a; \tilde b; \tilde c]

    (the second form, with lifted points, is the shoelace formula).

    Raises
    ------
    InvalidInputError
        When the points are not in R^2.

    Examples
    --------
    >>> from ga_relu.algebra.geometry import triangle_area
    >>> triangle_area([0, 0], [1, 0], [0, 1])
    1/2
    >>> triangle_area([0, 0], [0, 1], [1, 0])  # clockwise
    -1/2
    """
    return _simplex_volume((a, b, c), 2, 2, "triangle_area")


def tetrahedron_volume(a, b, c, d):
    r"""Signed volume of the tetrahedron (a, b, c, d) in R^3.

    .. math:: \operatorname{vol}(a, b, c, d) = \tfrac16 \det[b - a; c - a; d - a]

    positive when (b - a, c - a, d - a) is a right-handed frame.

    Raises
    ------
    InvalidInputError
        When the points are not in R^3.

    Examples
    --------
    >>> from ga_relu.algebra.geometry import tetrahedron_volume
    >>> tetrahedron_volume([0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1])
    1/6
    """
    return _simplex_volume((a, b, c, d), 3, 6, "tetrahedron_volume")
