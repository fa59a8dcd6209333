r"""Product tables of the Euclidean geometric algebra Cl(d) as index arrays, and clifford's layouts.

The blade order is clifford's (``clifford.Cl(d)``: by grade, lexicographic index tuples within a
grade), and so are the product tables: ``layout.omt[i, k, j] = s`` means blade_i ^ blade_j = s blade_k,
``layout.gmt`` likewise for the geometric product.  This module computes those non-zeros per grade
in closed form, e_a e_b = (-1)^{#{(x, y) in a x b : x > y}} e_{a xor b} (:func:`_blade_product`),
into small integer arrays that :mod:`~ga_relu.algebra.blades` (exact path) and
:mod:`~ga_relu.algebra.batched` (numpy path) contract themselves: clifford's numba-jitted
``MultiVector`` products reject sympy coefficients and cost seconds of compilation per process, and
building a layout costs 0.5-7 s per dimension and process (tests/test_tables.py checks the closed
form against clifford's tables).  Only :func:`layout` (for ``Blade.to_multivector``) imports clifford.
Every table is built on first use and cached per dimension, never at import time.  Only numpy is
imported here.
"""

from __future__ import annotations

import functools
import itertools
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
    _check_dimension(d)
    import clifford

    lay, _ = clifford.Cl(int(d))
    return lay


@functools.lru_cache(maxsize=None)
def blade_tuples(d: int) -> tuple[tuple[int, ...], ...]:
    """The 2^d basis blades e_J of Cl(d) as 1-based index tuples J, in the layout's order.

    The order is by grade |J|, then lexicographic within a grade: it is the order of every
    coefficient vector in this package, and clifford's (``layout.bladeTupList``; tests/test_tables.py
    compares them). Built from itertools, so no clifford layout is needed.

    Examples
    --------
    >>> from ga_relu.algebra.tables import blade_tuples
    >>> blade_tuples(2)
    ((), (1,), (2,), (1, 2))
    """
    _check_dimension(d)
    return tuple(J for grade in range(int(d) + 1) for J in itertools.combinations(range(1, int(d) + 1), grade))


def _check_dimension(d) -> None:
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
        raise InvalidInputError(f"dimension must be a positive integer, got {d!r}")


@functools.lru_cache(maxsize=None)
def _grade_blades(d: int, grade: int) -> tuple[tuple[int, ...], ...]:
    """Index tuples of the grade-k basis blades, in the layout's (lexicographic) order."""
    return tuple(t for t in blade_tuples(d) if len(t) == grade)


@functools.lru_cache(maxsize=None)
def _blade_positions(d: int, grade: int) -> np.ndarray:
    """Layout indices of the blades of one grade, in the layout's (lexicographic) order."""
    return np.array([i for i, t in enumerate(blade_tuples(d)) if len(t) == grade], dtype=np.intp)


def _blade_product(a: tuple[int, ...], b: tuple[int, ...], kind: ProductKind) -> tuple[int, tuple[int, ...]]:
    r"""e_a e_b = s e_c (geometric) or e_a ^ e_b = s e_c (outer) for sorted index tuples a, b:
    (sign s, tuple c), s = 0 for an outer product of blades sharing an index.

    Moving each e_y of b left past the e_x of a with x > y flips the sign once per such pair; equal
    indices then meet and cancel, e_i e_i = +1 (Euclidean signature), so c is the symmetric
    difference of a and b. The outer product is the geometric one when a and b are disjoint, 0 else.

    >>> _blade_product((2,), (1,), "outer"), _blade_product((1, 2), (1, 2), "geometric")
    ((-1, (1, 2)), (-1, ()))
    """
    inversions = sum(1 for x in a for y in b if x > y)
    sign = -1 if inversions % 2 else 1
    shared = set(a) & set(b)
    if kind == "outer" and shared:
        return 0, ()
    return sign, tuple(sorted(set(a) ^ set(b)))


@functools.lru_cache(maxsize=None)
def _graded_table(d: int, kind: ProductKind, grade_a: int, grade_b: int, grade_out: int):
    """The part of a product table mapping grade_a x grade_b -> grade_out, in within-grade ranks.

    Returns arrays (rank_a, rank_b, rank_out, sign):
    (A B)_{grade_out}[rank_out] = sum sign * A[rank_a] * B[rank_b].
    The entries are those of clifford's tables M[i, k, j], (blade_i blade_j) = M[i, k, j] blade_k,
    computed in closed form (:func:`_blade_product`) over the C(d, grade_a) C(d, grade_b) pairs
    instead of read off a layout (which costs 0.5-7 s per dimension and process to build), and
    listed in clifford's order (its sparse tables sorted by (i, k, j)), so that the contractions sum
    their terms in the same order as with clifford's tables.
    """
    if kind not in ("outer", "geometric"):
        raise InvalidInputError(f"unknown product table {kind!r}; expected 'outer' or 'geometric'")
    blades_a, blades_b = _grade_blades(d, grade_a), _grade_blades(d, grade_b)
    rank_out = {t: r for r, t in enumerate(_grade_blades(d, grade_out))}
    rows = []
    for i, a in enumerate(blades_a):
        for j, b in enumerate(blades_b):
            sign, c = _blade_product(a, b, kind)
            if sign and len(c) == grade_out:
                rows.append((i, rank_out[c], j, sign))
    table = np.array(sorted(rows), dtype=np.int64).reshape(-1, 4)
    return table[:, 0].astype(np.intp), table[:, 2].astype(np.intp), table[:, 1].astype(np.intp), table[:, 3]


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
    """Gather table for (grade-blade) ^ (vector) -> (grade+1)-blade (the table of ``layout.omt``).

    Returns (src_blade, src_vector, sign), each of shape (C(d, grade+1), grade+1): output blade J
    (position among grade+1 blades) = sum_r sign[J, r] * B[src_blade[J, r]] * a[src_vector[J, r]].
    """
    terms = _graded_terms(d, "outer", grade, 1, grade + 1)
    table = np.array(terms, dtype=np.int64).reshape(len(terms), grade + 1, 3)
    return table[..., 0].astype(np.intp), table[..., 1].astype(np.intp), table[..., 2]


@functools.lru_cache(maxsize=None)
def _pseudoscalar_square(d: int) -> int:
    """I I = (-1)^{d(d-1)/2}, from the geometric product table (so I^{-1} = (I I) I)."""
    _, _, _, sign = _graded_table(d, "geometric", d, d, 0)
    return int(sign[0])


@functools.lru_cache(maxsize=None)
def _dual_table(d: int, grade: int) -> tuple[np.ndarray, np.ndarray]:
    """(source_rank, sign) with dual(B)[r] = sign[r] * B[source_rank[r]] for a grade-k blade B.

    dual(B) = B I^{-1} = (I I) (B I): the geometric product with the pseudoscalar (the table of
    ``layout.gmt``) permutes the grade-k coefficients onto grade d-k with signs.
    """
    rank_a, _, rank_out, sign = _graded_table(d, "geometric", grade, d, d - grade)
    source = np.empty(math.comb(d, grade), dtype=np.intp)
    signs = np.empty(math.comb(d, grade), dtype=np.int64)
    source[rank_out] = rank_a
    signs[rank_out] = sign * _pseudoscalar_square(d)
    return source, signs
