r"""clifford's layouts of R^d and the product tables read off them, as index arrays.

``clifford.Cl(d)`` fixes the blade order (lexicographic index tuples within each grade) and the
sparse product tables: ``layout.omt[i, k, j] = s`` means blade_i ^ blade_j = s blade_k, and
``layout.gmt`` likewise for the geometric product.  This module regroups those non-zeros per grade
into small integer arrays that :mod:`~ga_relu.algebra.blades` (exact path) and
:mod:`~ga_relu.algebra.batched` (numpy path) contract themselves: clifford's numba-jitted
``MultiVector`` products reject sympy coefficients and cost seconds of compilation per process.

Building a layout costs about 0.5 s the first time per process, so every table is built on first
use and cached per dimension, never at import time.  Only numpy is imported here.
"""

from __future__ import annotations

import functools
import math
from typing import Literal

import numpy as np

from ..errors import InvalidInputError

__all__ = ["layout", "blade_tuples"]

#: the two product tables a layout carries: ``layout.omt`` (outer) and ``layout.gmt`` (geometric)
ProductKind = Literal["outer", "geometric"]


@functools.lru_cache(maxsize=None)
def layout(d: int):
    """The clifford layout of R^d with the Euclidean signature, cached per dimension.

    Parameters
    ----------
    d : int
        The dimension, d >= 1.

    Returns
    -------
    clifford.Layout
        The layout of Cl(d): 2^d basis blades e_J, J a subset of {1..d}, with
        e_i e_i = 1 and e_i e_j = -e_j e_i for i != j.

    Raises
    ------
    InvalidInputError
        When d is not a positive integer.

    Examples
    --------
    >>> from ga_relu.algebra.tables import layout
    >>> layout(3).gaDims  # 2^3 basis blades
    8
    """
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
        raise InvalidInputError(f"dimension must be a positive integer, got {d!r}")
    import clifford

    lay, _ = clifford.Cl(int(d))
    return lay


@functools.lru_cache(maxsize=None)
def blade_tuples(d: int) -> tuple[tuple[int, ...], ...]:
    """The 2^d basis blades e_J of Cl(d) as 1-based index tuples J, in the layout's order.

    The order is by grade |J|, then lexicographic within a grade: it is the order of every
    coefficient vector in this package.

    Examples
    --------
    >>> from ga_relu.algebra.tables import blade_tuples
    >>> blade_tuples(2)
    ((), (1,), (2,), (1, 2))
    """
    return tuple(tuple(int(i) for i in t) for t in layout(d).bladeTupList)


@functools.lru_cache(maxsize=None)
def _grade_blades(d: int, grade: int) -> tuple[tuple[int, ...], ...]:
    """Index tuples of the grade-k basis blades, in the layout's (lexicographic) order."""
    return tuple(t for t in blade_tuples(d) if len(t) == grade)


@functools.lru_cache(maxsize=None)
def _blade_positions(d: int, grade: int) -> np.ndarray:
    """Layout indices of the blades of one grade, in the layout's (lexicographic) order."""
    return np.array([i for i, t in enumerate(blade_tuples(d)) if len(t) == grade], dtype=np.intp)


@functools.lru_cache(maxsize=None)
def _rank_in_grade(d: int) -> tuple[np.ndarray, np.ndarray]:
    """(grade, rank) of every layout index: blade i is the rank[i]-th blade of grade grade[i]."""
    tuples = blade_tuples(d)
    grades = np.array([len(t) for t in tuples], dtype=np.intp)
    ranks = np.empty(len(tuples), dtype=np.intp)
    seen: dict[int, int] = {}
    for i, g in enumerate(grades):
        ranks[i] = seen.get(int(g), 0)
        seen[int(g)] = ranks[i] + 1
    return grades, ranks


def _table(d: int, kind: ProductKind):
    lay = layout(d)
    if kind == "outer":
        return lay.omt
    if kind == "geometric":
        return lay.gmt
    raise InvalidInputError(f"unknown product table {kind!r}; expected 'outer' or 'geometric'")


@functools.lru_cache(maxsize=None)
def _graded_table(d: int, kind: ProductKind, grade_a: int, grade_b: int, grade_out: int):
    """The part of a product table mapping grade_a x grade_b -> grade_out, in within-grade ranks.

    Returns arrays (rank_a, rank_b, rank_out, sign):
    (A B)_{grade_out}[rank_out] = sum sign * A[rank_a] * B[rank_b].
    clifford stores the tables as M[i, k, j] with (blade_i blade_j) = M[i, k, j] blade_k.
    """
    table = _table(d, kind)
    left, result, right = (np.asarray(c, dtype=np.intp) for c in table.coords)
    # the tables hold +-1 as floats; rint makes the signs exact integers
    sign = np.rint(np.asarray(table.data, dtype=float)).astype(np.int64)
    grades, ranks = _rank_in_grade(d)
    keep = (grades[left] == grade_a) & (grades[right] == grade_b) & (grades[result] == grade_out) & (sign != 0)
    return ranks[left[keep]], ranks[right[keep]], ranks[result[keep]], sign[keep]


@functools.lru_cache(maxsize=None)
def _graded_terms(d: int, kind: ProductKind, grade_a: int, grade_b: int, grade_out: int):
    """``_graded_table`` regrouped per output blade for the exact (Python) contraction:
    terms[r] = ((rank_a, rank_b, sign), ...) contributing to output blade r."""
    rank_a, rank_b, rank_out, sign = _graded_table(d, kind, grade_a, grade_b, grade_out)
    terms: list[list[tuple[int, int, int]]] = [[] for _ in range(math.comb(d, grade_out))]
    for i, j, k, s in zip(rank_a.tolist(), rank_b.tolist(), rank_out.tolist(), sign.tolist()):
        terms[k].append((i, j, s))
    return tuple(tuple(t) for t in terms)


@functools.lru_cache(maxsize=None)
def _raise_table(d: int, grade: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gather table for (grade-blade) ^ (vector) -> (grade+1)-blade, read off ``layout.omt``.

    Returns (src_blade, src_vector, sign), each of shape (C(d, grade+1), grade+1): output blade J
    (position among grade+1 blades) = sum_r sign[J, r] * B[src_blade[J, r]] * a[src_vector[J, r]].
    """
    terms = _graded_terms(d, "outer", grade, 1, grade + 1)
    table = np.array(terms, dtype=np.int64).reshape(len(terms), grade + 1, 3)
    return table[..., 0].astype(np.intp), table[..., 1].astype(np.intp), table[..., 2]


@functools.lru_cache(maxsize=None)
def _pseudoscalar_square(d: int) -> int:
    """I I = (-1)^{d(d-1)/2}, read off ``layout.gmt`` (so I^{-1} = (I I) I)."""
    _, _, _, sign = _graded_table(d, "geometric", d, d, 0)
    return int(sign[0])


@functools.lru_cache(maxsize=None)
def _dual_table(d: int, grade: int) -> tuple[np.ndarray, np.ndarray]:
    """(source_rank, sign) with dual(B)[r] = sign[r] * B[source_rank[r]] for a grade-k blade B.

    dual(B) = B I^{-1} = (I I) (B I): the geometric product with the pseudoscalar, read off
    ``layout.gmt``, permutes the grade-k coefficients onto grade d-k with signs.
    """
    rank_a, _, rank_out, sign = _graded_table(d, "geometric", grade, d, d - grade)
    source = np.empty(math.comb(d, grade), dtype=np.intp)
    signs = np.empty(math.comb(d, grade), dtype=np.int64)
    source[rank_out] = rank_a
    signs[rank_out] = sign * _pseudoscalar_square(d)
    return source, signs
