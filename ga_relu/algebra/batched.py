r"""Wedge products, cross products and signed volumes of many float vector tuples at once.

The batched path of the dictionary, the chambers and the certificates: a stack A of m tuples of k
vectors of R^d (shape (m, k, d)) in, one row of blade coefficients per tuple out, in float64.
Same conventions as :mod:`~ga_relu.algebra.blades` (docs/theory/algebra.md):

* wedge_batch(A)[i, J] = det(A[i][:, J]), J over the k-subsets of {1..d} in the layout's
  (lexicographic) order;
* cross_batch(A)[i] is the vector with <x, cross_batch(A)[i]> = det[x; A[i, 0]; ...; A[i, d-2]];
* signed_volume_batch(A)[i] = det A[i].

The grade is raised one vector at a time with gather tables read off clifford's outer-product
table (:mod:`~ga_relu.algebra.tables`), so nothing of size (m, C(d, k), k) is ever allocated.
Above d = 9 the intermediate blades (C(d, d/2) of them) outgrow numpy's LU, which takes over.
Only numpy is imported here (clifford when a table is first built).
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InvalidInputError, InvalidTypeError
from .tables import _dual_table, _raise_table

__all__ = ["wedge_batch", "cross_batch", "signed_volume_batch"]

#: above this dimension the batched path uses numpy.linalg.det on stacked minors instead of the
#: grade-raising recursion (whose intermediate blade count C(d, d/2) grows exponentially).
_RECURSION_MAX_DIM = 9

#: columns (samples) per chunk in the batched recursion: keeps each blade row in cache.
_BATCH_CHUNK = 16384


def _as_float_stack(A, name: str, expect: str) -> np.ndarray:
    if isinstance(A, np.ndarray) and A.dtype == np.float64:
        array = A
    else:
        try:
            array = np.asarray(A, dtype=float)
        except (TypeError, ValueError) as exc:
            raise InvalidTypeError(
                f"{name}: expected a numeric array of shape {expect}, got non-numeric entries ({exc})"
            ) from None
    if array.ndim != 3:
        raise InvalidInputError(f"{name}: expected an array of shape {expect}, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise InvalidInputError(f"{name}: the array contains NaN or inf; remove or impute those entries")
    return array


def _wedge_columns(A: np.ndarray) -> np.ndarray:
    """Blade coefficients (C(d, k), m) of a float stack (m, k, d), 1 <= k <= d.

    Column-major so each blade coefficient is one contiguous row; every output coefficient is an
    explicit chain of multiply-adds over rows picked by the precomputed ``_raise_table`` (read off
    clifford's outer-product table): no temporaries of size (m, C(d, k), k), no loop over m.
    """
    m, k, d = A.shape
    columns = np.ascontiguousarray(A.transpose(1, 2, 0))  # (k, d, m)
    blade = columns[0]
    scratch = np.empty(m)
    for g in range(1, k):
        src_blade, src_vector, sign = _raise_table(d, g)
        vector = columns[g]
        raised = np.empty((src_blade.shape[0], m))
        for J in range(src_blade.shape[0]):
            out = raised[J]
            np.multiply(blade[src_blade[J, 0]], vector[src_vector[J, 0]], out=out)
            if sign[J, 0] < 0:
                np.negative(out, out=out)
            for r in range(1, g + 1):
                np.multiply(blade[src_blade[J, r]], vector[src_vector[J, r]], out=scratch)
                if sign[J, r] > 0:
                    out += scratch
                else:
                    out -= scratch
        blade = raised
    return blade


def wedge_batch(A) -> np.ndarray:
    r"""Coefficients of a_1 ^ ... ^ a_k for every tuple of a stack of shape (m, k, d).

    .. math:: \mathrm{out}[i, J] = \det A[i][:, J], \qquad J \subset \{1..d\},\ |J| = k

    Parameters
    ----------
    A : array_like, shape (m, k, d)
        m tuples of k vectors of R^d (finite floats).

    Returns
    -------
    numpy.ndarray, shape (m, C(d, k))
        Column J (the k-subsets of {1..d} in lexicographic order, the layout's order) holds the
        minor det(A[i][:, J]).  k = 0 gives the scalar 1 (shape (m, 1)); k > d gives an empty
        (m, 0) array: there are no blades of grade k > d.

    Raises
    ------
    InvalidInputError
        When A is not 3-D or holds NaN or inf.
    InvalidTypeError
        When A has non-numeric entries.

    Notes
    -----
    Vectorized over m (in chunks of 16384 tuples that stay in cache) by raising the grade one
    vector at a time with gather tables read off clifford's outer-product table.

    Examples
    --------
    >>> from ga_relu.algebra.batched import wedge_batch
    >>> wedge_batch([[[1, 0, 0], [0, 2, 3]]])  # e1 ^ (2 e2 + 3 e3) = 2 e12 + 3 e13
    array([[2., 3., 0.]])
    """
    A = _as_float_stack(A, "wedge_batch", "(m, k, d)")
    m, k, d = A.shape
    if k == 0:
        return np.ones((m, 1))
    if k > d:
        return np.zeros((m, 0))
    out = np.empty((m, math.comb(d, k)))
    for start in range(0, m, _BATCH_CHUNK):
        out[start : start + _BATCH_CHUNK] = _wedge_columns(A[start : start + _BATCH_CHUNK]).T
    return out


def cross_batch(A) -> np.ndarray:
    r"""Generalized cross products of every tuple of a stack of shape (m, d-1, d).

    .. math:: \langle x, \mathrm{out}[i] \rangle = \det[x; A[i, 0]; \dots; A[i, d-2]]
              \quad \forall x, \qquad
              \mathrm{out}[i, k] = (-1)^k \det(A[i] \text{ without column } k)

    It is the dual (a_1 ^ ... ^ a_{d-1}) I^{-1} of the wedge, the normal of the hyperplane
    spanned by the d-1 vectors.

    Parameters
    ----------
    A : array_like, shape (m, d-1, d)
        m tuples of d-1 vectors of R^d (finite floats).

    Returns
    -------
    numpy.ndarray, shape (m, d)
        One cross product per tuple; d = 1 gives e_1.

    Raises
    ------
    InvalidInputError
        When A's shape is not (m, d-1, d) or it holds NaN or inf.
    InvalidTypeError
        When A has non-numeric entries.

    Notes
    -----
    The dual permutes the wedge's coefficients with signs read off ``layout.gmt``.  For d > 9
    the d stacked minors go to numpy.linalg.det instead.

    Examples
    --------
    >>> from ga_relu.algebra.batched import cross_batch
    >>> cross_batch([[[1, 0, 0], [0, 1, 0]], [[3, 4, 0], [0, 0, 1]]])  # e1 x e2 = e3
    array([[ 0.,  0.,  1.],
           [ 4., -3.,  0.]])
    >>> cross_batch([[[3, 4]]])  # in 2-D, cross(a) = (a_2, -a_1)
    array([[ 4., -3.]])
    """
    A = _as_float_stack(A, "cross_batch", "(m, d-1, d)")
    if A.shape[1] != A.shape[2] - 1:
        raise InvalidInputError(f"cross_batch: expected an array of shape (m, d-1, d), got shape {A.shape}")
    m, _, d = A.shape
    if d == 1:
        return np.ones((m, 1))
    if d > _RECURSION_MAX_DIM:
        minors = np.stack([np.delete(A, k, axis=2) for k in range(d)], axis=1)
        return np.linalg.det(minors) * (-1.0) ** np.arange(d)
    source, signs = _dual_table(d, d - 1)
    return wedge_batch(A)[:, source] * signs.astype(float)


def signed_volume_batch(A) -> np.ndarray:
    r"""The determinant of each d x d matrix of a stack: signed volumes, one per tuple.

    .. math:: \mathrm{out}[i] = \det A[i], \qquad a_1 \wedge \dots \wedge a_d = \det A \; I

    Parameters
    ----------
    A : array_like, shape (m, d, d)
        m tuples of d vectors of R^d (finite floats).

    Returns
    -------
    numpy.ndarray, shape (m,)
        The coefficient of each a_1 ^ ... ^ a_d on the pseudoscalar I; for d > 9,
        numpy.linalg.det.

    Raises
    ------
    InvalidInputError
        When A's shape is not (m, d, d) or it holds NaN or inf.
    InvalidTypeError
        When A has non-numeric entries.

    Examples
    --------
    >>> from ga_relu.algebra.batched import signed_volume_batch
    >>> signed_volume_batch([[[1, 0], [1, 2]], [[0, 1], [1, 0]]])
    array([ 2., -1.])
    """
    A = _as_float_stack(A, "signed_volume_batch", "(m, d, d)")
    if A.shape[1] != A.shape[2]:
        raise InvalidInputError(f"signed_volume_batch: expected an array of shape (m, d, d), got shape {A.shape}")
    if A.shape[2] > _RECURSION_MAX_DIM:
        return np.linalg.det(A)
    return wedge_batch(A)[:, 0]
