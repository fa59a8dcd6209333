r"""Signed volumes, distances, rejections and lifted hyperplanes through wedge products.

Every function is exact (sympy results) for int / Fraction / sympy inputs and float64 when any
entry is a float, with the same dispatch as :mod:`ga_relu.algebra.blades`.  Vectors come back as a sympy
``ImmutableMatrix`` column when exact and as a numpy array of shape (d,) when float; scalars as
sympy expressions or Python floats.

Formulas (theory.md section 1):

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
from .blades import FLOAT, RATIONAL, Blade, _contract, _parse_vectors, _scalar_out, _vector_out, _wedge_rows
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


def _difference_rows(rows, kind: str):
    """rows[1:] - rows[0] (edge vectors from the first point), in the rows' kind."""
    if kind == FLOAT:
        return rows[1:] - rows[0]
    origin = rows[0]
    return [tuple(p - o for p, o in zip(row, origin)) for row in rows[1:]]


def _determinant(rows, kind: str):
    """det of d parsed rows of R^d: the coefficient of a_1 ^ ... ^ a_d on I (raw, in kind)."""
    return _wedge_rows(rows, kind, len(rows[0]))._raw[0]


def _divide(value, divisor: int, kind: str):
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

    Read off as the coefficient of a_1 ^ ... ^ a_d on the pseudoscalar I = e_1 ^ ... ^ e_d.
    """
    rows, kind, d = _parse_d_vectors(vectors, "signed_volume", "vectors")
    return _scalar_out(_determinant(rows, kind), kind)


def _span_blade(rows, kind: str, d: int, caller: str) -> Blade:
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
    r"""Euclidean distance from x to span(a_1..a_k): ||x ^ a_1 ^ ... ^ a_k|| / ||a_1 ^ ... ^ a_k||.

    Both norms are Gram determinants (Cauchy-Binet), so the ratio is the height of the
    (k+1)-parallelotope over its k-dimensional base.  No vectors: ||x||.  Raises
    DegenerateDataError when the a_i are linearly dependent (zero wedge norm; for floats, a norm
    below 1e-12 times the Hadamard bound prod ||a_i||).  Exact results are a sympy square root.
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
    r"""The component of x orthogonal to span(a_1..a_k): (x ^ B) B^{-1}, B = a_1 ^ ... ^ a_k.

    B^{-1} = B~ / ||B||^2 and the geometric product is contracted from clifford's ``layout.gmt``
    (only its grade-1 part is non-zero).  x minus its least-squares projection onto the span; for
    k = d-1 it is parallel to cross(a).  No vectors: x itself.  Raises DegenerateDataError when the
    a_i are linearly dependent.
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
    """x~ = (x, 1) in R^{d+1}: the homogeneous coordinates that turn a bias into a weight."""
    rows, kind, d = _parse_vectors((x,), "lift")
    if kind == FLOAT:
        return np.append(rows[0], 1.0)
    return _vector_out(tuple(rows[0]) + (1,), kind)


def _lifted_rows(rows, kind: str):
    if kind == FLOAT:
        return np.hstack([rows, np.ones((rows.shape[0], 1))])
    one = 1 if kind == RATIONAL else sympy.Integer(1)
    return [tuple(row) + (one,) for row in rows]


def hyperplane_through(*points):
    r"""(w, b) of the hyperplane through d points of R^d: v = cross(p~_1, ..., p~_d) = (w, b).

    By the defining identity of the cross product, w.x + b = det[x~; p~_1; ...; p~_d] for every
    x (x~ = (x, 1)): zero exactly on the affine hull of the points, and (w.x + b) / ||w|| is the
    signed distance to the hyperplane.  In 2-D, through a and c: w = cross(a - c), b = det[a; c].
    w is an ImmutableMatrix column (exact) or a numpy array (float); b a sympy number or float.
    w = 0 when the points are affinely dependent.
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
    r"""Signed area of the triangle (a, b, c) in R^2: det[b - a; c - a] / 2 (> 0 counter-clockwise).

    Equal to det[a~; b~; c~] / 2 with lifted points (the shoelace formula).
    """
    return _simplex_volume((a, b, c), 2, 2, "triangle_area")


def tetrahedron_volume(a, b, c, d):
    r"""Signed volume of the tetrahedron (a, b, c, d) in R^3: det[b - a; c - a; d - a] / 6.

    Positive when (b - a, c - a, d - a) is a right-handed frame.
    """
    return _simplex_volume((a, b, c, d), 3, 6, "tetrahedron_volume")
