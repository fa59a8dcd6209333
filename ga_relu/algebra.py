"""Blades and wedge products on clifford's algebra layouts, exact or float.

Conventions (theory.md section 1), fixed here once and tested against determinants:

* The wedge of k vectors a_1..a_k in R^d is a k-blade whose coefficient on e_J (|J| = k, J
  increasing) is det(A[:, J]), A the k x d matrix with rows a_i.
* cross(a_1..a_{d-1}) is the vector with <x, cross(a)> = det[x; a_1; ...; a_{d-1}]; its components
  are cross_k = (-1)^k det(A without column k) (k from 0). It equals clifford's
  ``(a_1 ^ ... ^ a_{d-1}).dual()`` = B I^{-1}.

The layouts come from ``clifford.Cl(d)`` (blade order, names, the sparse outer-product table
``layout.omt``). Products are contracted here with plain Python / numpy loops over the table's
non-zeros, never with clifford's numba-jitted products: those reject sympy coefficients and cost
seconds of compilation per process.
"""

from __future__ import annotations

import functools

import numpy as np

#: above this dimension the batched path uses numpy.linalg.det on stacked minors instead of the
#: grade-raising recursion (whose intermediate blade count C(d, d/2) grows exponentially).
_RECURSION_MAX_DIM = 9


# ---------------------------------------------------------------------------------------------
# layouts and tables
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def layout(d: int):
    """The clifford layout of R^d (Euclidean signature), cached per dimension."""
    if not isinstance(d, (int, np.integer)) or d < 1:
        raise ValueError(f"dimension must be a positive integer, got {d!r}")
    import clifford

    lay, _ = clifford.Cl(int(d))
    return lay


@functools.lru_cache(maxsize=None)
def _outer_table(d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Non-zeros of clifford's outer-product table of R^d as arrays (left, result, right, sign).

    ``layout.omt[i, k, j] = s`` means blade_i ^ blade_j = s * blade_k.
    """
    omt = layout(d).omt
    left, result, right = (np.asarray(c, dtype=np.intp) for c in omt.coords)
    return left, result, right, np.asarray(omt.data, dtype=np.int64)


@functools.lru_cache(maxsize=None)
def blade_tuples(d: int) -> tuple[tuple[int, ...], ...]:
    """The basis blades of Cl(d) as 1-based index tuples, in the layout's order."""
    return tuple(tuple(int(i) for i in t) for t in layout(d).bladeTupList)


@functools.lru_cache(maxsize=None)
def _blade_positions(d: int, grade: int) -> np.ndarray:
    """Layout indices of the blades of one grade, in the layout's (lexicographic) order."""
    return np.array([i for i, t in enumerate(blade_tuples(d)) if len(t) == grade], dtype=np.intp)


@functools.lru_cache(maxsize=None)
def _raise_table(d: int, grade: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gather table for (grade-blade) ^ (vector) -> (grade+1)-blade, read off ``layout.omt``.

    Returns (src_blade, src_vector, sign), each of shape (C(d, grade+1), grade+1): output blade J
    (position among grade+1 blades) = sum_r sign[J, r] * B[src_blade[J, r]] * a[src_vector[J, r]].
    """
    left, result, right, sign = _outer_table(d)
    low = _blade_positions(d, grade)
    high = _blade_positions(d, grade + 1)
    low_rank = {int(b): r for r, b in enumerate(low)}
    high_rank = {int(b): r for r, b in enumerate(high)}
    vec_rank = {int(b): r for r, b in enumerate(_blade_positions(d, 1))}
    rows: list[list[tuple[int, int, int]]] = [[] for _ in high]
    for i, k, j, s in zip(left, result, right, sign):
        if int(i) in low_rank and int(j) in vec_rank and int(k) in high_rank:
            rows[high_rank[int(k)]].append((low_rank[int(i)], vec_rank[int(j)], int(s)))
    table = np.array(rows, dtype=np.int64)  # (n_high, grade + 1, 3)
    return table[..., 0].astype(np.intp), table[..., 1].astype(np.intp), table[..., 2]


@functools.lru_cache(maxsize=None)
def _cross_sign(d: int) -> np.ndarray:
    """sign[k] with cross_k = sign[k] * (coefficient of the grade-(d-1) blade missing e_{k+1}).

    Read off the table as the coefficient of I in e_k ^ B, since x ^ B = <x, cross(B)> I.
    """
    left, result, right, sign = _outer_table(d)
    top = _blade_positions(d, d)[0]
    vec = _blade_positions(d, 1)
    high = _blade_positions(d, d - 1) if d > 1 else np.array([0], dtype=np.intp)
    out = np.zeros(d, dtype=np.int64)
    for k in range(d):
        missing = high[d - 1 - k]  # lexicographic order: the blade missing e_{k+1} is (d-1-k)-th
        hit = (left == vec[k]) & (result == top) & (right == missing)
        out[k] = int(sign[hit][0])
    return out


# ---------------------------------------------------------------------------------------------
# batched numeric path
# ---------------------------------------------------------------------------------------------


def _as_float_stack(A, name: str, rows: int | None, expect: str) -> np.ndarray:
    try:
        A = np.asarray(A, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name}: expected a numeric array of shape {expect}, got non-numeric entries") from exc
    if A.ndim != 3 or (rows is not None and A.shape[1] != rows(A.shape[2]) if callable(rows) else False):
        raise ValueError(f"{name}: expected an array of shape {expect}, got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError(f"{name}: the array contains NaN or inf; remove or impute those entries")
    return A


def wedge_batch(A) -> np.ndarray:
    """Coefficients of a_1 ^ ... ^ a_k for a stack A of shape (m, k, d): returns (m, C(d, k)).

    Column J (lexicographic over k-subsets of {1..d}, the layout's order) holds det(A[:, :, J]).
    Vectorized over m by raising the grade one vector at a time with the gather tables read off
    clifford's outer-product table: no Python loop over m.
    """
    A = _as_float_stack(A, "wedge_batch", None, "(m, k, d)")
    m, k, d = A.shape
    if k > d:
        return np.zeros((m, 0))
    blade = A[:, 0, :]
    for g in range(1, k):
        src_b, src_v, sign = _raise_table(d, g)
        blade = np.einsum("mjr,jr->mj", blade[:, src_b] * A[:, g, :][:, src_v], sign.astype(float))
    return blade


def cross_batch(A) -> np.ndarray:
    """Generalized cross products of a stack A of shape (m, d-1, d): returns (m, d).

    Row i satisfies <x, out[i]> = det[x; A[i, 0]; ...; A[i, d-2]] for every x.
    """
    A = np.asarray(A, dtype=float) if not isinstance(A, np.ndarray) else A
    if A.ndim != 3 or A.shape[1] != A.shape[2] - 1:
        raise ValueError(f"cross_batch: expected an array of shape (m, d-1, d), got shape {np.shape(A)}")
    A = _as_float_stack(A, "cross_batch", None, "(m, d-1, d)")
    m, _, d = A.shape
    if d == 1:
        return np.ones((m, 1))
    if d > _RECURSION_MAX_DIM:
        minors = np.stack([np.delete(A, k, axis=2) for k in range(d)], axis=1)
        signs = (-1.0) ** np.arange(d)
        return np.linalg.det(minors) * signs
    blade = wedge_batch(A)  # (m, d): blade missing e_{k+1} at column d-1-k
    return blade[:, ::-1] * _cross_sign(d).astype(float)


def signed_volume_batch(A) -> np.ndarray:
    """det of each d x d matrix in a stack of shape (m, d, d): the signed volumes, shape (m,)."""
    A = np.asarray(A, dtype=float) if not isinstance(A, np.ndarray) else A
    if A.ndim != 3 or A.shape[1] != A.shape[2]:
        raise ValueError(f"signed_volume_batch: expected an array of shape (m, d, d), got shape {np.shape(A)}")
    A = _as_float_stack(A, "signed_volume_batch", None, "(m, d, d)")
    if A.shape[2] > _RECURSION_MAX_DIM:
        return np.linalg.det(A)
    return wedge_batch(A)[:, 0]
