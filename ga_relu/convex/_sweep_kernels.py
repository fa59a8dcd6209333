r"""Kernels of the 2-D angular sweep (column generation's pricing in 2-D with bias), in their own module.

The sweep (:mod:`ga_relu.convex.colgen`, its module docstring) prices every line through two samples.
For a pivot sample x_i, sort the other samples by the angle of x_k - x_i. The line through x_i and
x_j has the normal n = perp(x_j - x_i) = (d_1, -d_0), d = x_j - x_i, and its positive side is a
contiguous arc (left, right] of the doubled circle of sorted angles, so with the prefix sums
P(p) = sum_{q < p} lambda_{k_q} (x_{k_q} - x_i) in angular order

    plus  = lambda . relu(n . (X - x_i)) = n . (P(right) - P(left)),
    minus = lambda . relu(-n . (X - x_i)) = plus - n . P(n)        (relu(-t) = relu(t) - t),
    score = max(|plus|, |minus|) / ||n|| / beta,

for all j at once: O(n log n) per pivot for the orders (independent of lambda, computed once per
column-generation run) and O(n) per pivot and round for the scores.

Two implementations of the round compute the same numbers by the same floating-point operations in
the same order (sequential prefix sums, the same differences, products and norms), so they give the
same scores bit for bit:

* :func:`sweep_round_np`, numpy, vectorized over blocks of pivots with preallocated buffers: no
  compilation, the default below ``NUMBA_SWEEP_MIN_SAMPLES`` samples;
* :func:`sweep_round_py`, plain loops, compiled by numba (:func:`numba_round`, serial: ``parallel=False``
  compiles in about a tenth of the time of the parallel version, 4 s against 38 s cold on the shared
  2-core machine, and has no thread pool to oversubscribe under load).

The orders are always computed by numpy (:func:`sweep_orders_np`): its argsort is faster than numba's.
This module holds nothing else, so that numba's disk cache (keyed by this file) survives edits of
the rest of the package.
"""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["sweep_orders_np", "sweep_round_np", "sweep_round_py", "numba_round", "ROUND_BLOCK_PAIRS"]

#: pairs per block of the numpy round: its ~20 work arrays (8 bytes a pair, 2.5 MiB) about fill the L2 cache;
#: 2^13..2^15 measured best (n = 1500, benchmarks/bench_large_l1.py --kernels)
ROUND_BLOCK_PAIRS = 1 << 14


def sweep_orders_np(X, start, out_order, out_left, out_right):
    """Per pivot i = start + r: the samples sorted by the angle of x_k - x_i (``out_order[r]``), and for
    the sorted position p the arc (left, right] of the doubled circle where n_p . (x_k - x_i) > 0,
    n_p = perp(x_{order[p]} - x_i): left = #{doubled angles <= a_p + pi}, right = #{doubled angles
    < a_p + 2 pi}. Independent of lambda.

    Examples
    --------
    Pivot x_0 = 0: the angles are 0 (x_0 itself, arctan2(0, 0)), 0 and pi/2, doubled
    [0, 0, pi/2, 2 pi, 2 pi, 5 pi/2]; a_p + pi = pi, pi, 3 pi/2 have 3, 3, 3 doubled angles at or
    below them, a_p + 2 pi = 2 pi, 2 pi, 5 pi/2 have 3, 3, 5 strictly below.

    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> order, left, right = (np.empty((1, 3), dtype=np.int32) for _ in range(3))
    >>> sweep_orders_np(X, 0, order, left, right)
    >>> order.tolist(), left.tolist(), right.tolist()
    ([[0, 1, 2]], [[3, 3, 3]], [[3, 3, 5]])
    """
    for r in range(out_order.shape[0]):
        i = start + r
        angle = np.arctan2(X[:, 1] - X[i, 1], X[:, 0] - X[i, 0])
        # introsort: 4x faster than a stable sort at n = 5,000; the order among equal angles changes
        # only the order of terms in the prefix sums over a tie, never which terms an arc holds
        order = np.argsort(angle, kind="quicksort")
        a = angle[order]
        doubled = np.concatenate([a, a + 2 * np.pi])
        out_order[r] = order
        out_left[r] = np.searchsorted(doubled, a + np.pi, side="right")
        out_right[r] = np.searchsorted(doubled, a + 2 * np.pi, side="left")


def sweep_round_py(X, start, lam, order, left, right, l1, threshold, inv_beta, violation, excluded, top,
                   ratio, new_ratio, n_valid, n_degenerate, n_violating, best_score, best_j, heap_score, heap_j):
    """One pricing pass over the pivots start.. of ``order`` (module docstring), as loops for numba.

    Writes, per pivot row r (pivot i = start + r): ``ratio`` the largest score over the valid pairs
    (i, j > i), ``new_ratio`` the same outside ``excluded``, ``n_valid``/``n_degenerate`` the pairs
    (i, j > i) with a non-vanishing/vanishing normal (``norm > threshold``), ``n_violating`` those
    outside ``excluded`` scoring above ``violation``, ``best_score``/``best_j`` the best line through
    x_i outside ``excluded`` over all j (-1, -1 if none), and ``heap_*`` the ``top`` best pairs
    (i, j > i) outside ``excluded`` (a min-heap per pivot; -1 where fewer)."""
    n = X.shape[0]
    for i_row in range(order.shape[0]):
        i = start + i_row
        xi0 = X[i, 0]
        xi1 = X[i, 1]
        P0 = np.empty(n + 1)
        P1 = np.empty(n + 1)
        P0[0] = 0.0
        P1[0] = 0.0
        for p in range(n):
            k = order[i_row, p]
            P0[p + 1] = P0[p] + lam[k] * (X[k, 0] - xi0)
            P1[p + 1] = P1[p] + lam[k] * (X[k, 1] - xi1)
        T0 = P0[n]
        T1 = P1[n]
        r_max = 0.0
        new_max = 0.0
        valid = 0
        degenerate = 0
        violating = 0
        b_score = -1.0
        b_j = -1
        filled = 0
        for p in range(n):
            j = order[i_row, p]
            if j == i:
                continue
            d0 = X[j, 0] - xi0
            d1 = X[j, 1] - xi1
            # hypot: no underflow of the squares for differences below 1e-154
            norm = abs(d0) + abs(d1) if l1 else np.hypot(d0, d1)
            later = j > i
            if not norm > threshold:  # threshold 0: float differences vanish exactly when x_j == x_i
                if later:
                    degenerate += 1
                continue
            lo = left[i_row, p]
            hi = right[i_row, p]
            S0 = (P0[hi] if hi <= n else T0 + P0[hi - n]) - (P0[lo] if lo <= n else T0 + P0[lo - n])
            S1 = (P1[hi] if hi <= n else T1 + P1[hi - n]) - (P1[lo] if lo <= n else T1 + P1[lo - n])
            plus = d1 * S0 - d0 * S1  # normal (d1, -d0)
            minus = plus - (d1 * T0 - d0 * T1)  # relu(-t) = relu(t) - t
            score = max(abs(plus), abs(minus)) / norm * inv_beta
            if later:
                valid += 1
                if score > r_max:
                    r_max = score
            if excluded[i, j]:
                continue
            if score > b_score:
                b_score = score
                b_j = j
            if not later:
                continue
            if score > new_max:
                new_max = score
            if score > violation:
                violating += 1
            if top > 0:  # min-heap of the top scores of pivot i
                if filled < top:
                    c = filled
                    filled += 1
                    while c > 0:
                        parent = (c - 1) // 2
                        if heap_score[i_row, parent] <= score:
                            break
                        heap_score[i_row, c] = heap_score[i_row, parent]
                        heap_j[i_row, c] = heap_j[i_row, parent]
                        c = parent
                    heap_score[i_row, c] = score
                    heap_j[i_row, c] = j
                elif score > heap_score[i_row, 0]:
                    c = 0
                    while True:
                        child = 2 * c + 1
                        if child >= top:
                            break
                        if child + 1 < top and heap_score[i_row, child + 1] < heap_score[i_row, child]:
                            child += 1
                        if heap_score[i_row, child] >= score:
                            break
                        heap_score[i_row, c] = heap_score[i_row, child]
                        heap_j[i_row, c] = heap_j[i_row, child]
                        c = child
                    heap_score[i_row, c] = score
                    heap_j[i_row, c] = j
        ratio[i_row] = r_max
        new_ratio[i_row] = new_max
        n_valid[i_row] = valid
        n_degenerate[i_row] = degenerate
        n_violating[i_row] = violating
        best_score[i_row] = b_score
        best_j[i_row] = b_j


@functools.lru_cache(maxsize=None)
def numba_round():
    """:func:`sweep_round_py` compiled by numba (serial, cached on disk next to this module)."""
    import numba

    return numba.njit(cache=True, parallel=False, nogil=True)(sweep_round_py)


class _Buffers:
    """Work arrays of one block of the numpy round, allocated once per call (no page faults per block)."""

    def __init__(self, rows: int, n: int):
        shape = (rows, n)
        self.idx, self.lo, self.hi = (np.empty(shape, dtype=np.intp) for _ in range(3))
        (self.d0, self.d1, self.lam, self.tmp, self.S0, self.S1, self.plus, self.minus, self.norm,
         self.score, self.fresh) = (np.empty(shape) for _ in range(11))
        self.P0, self.P1 = np.zeros((rows, 2 * n + 1)), np.zeros((rows, 2 * n + 1))
        self.valid, self.later, self.excl = (np.empty(shape, dtype=bool) for _ in range(3))
        self.offsets = (np.arange(rows) * (2 * n + 1))[:, None]
        self.excl_offsets = (np.arange(rows) * n)[:, None]


def sweep_round_np(X, start, lam, order, left, right, l1, threshold, inv_beta, violation, excluded, top,
                   ratio, new_ratio, n_valid, n_degenerate, n_violating, best_score, best_j, heap_score, heap_j):
    """:func:`sweep_round_py` in numpy, over blocks of ``ROUND_BLOCK_PAIRS`` pairs: the same scores bit
    for bit and the same statistics. ``heap_*`` differ in layout only: row r holds those of the block's
    ``top`` best pairs (over all its pivots) that belong to pivot r, which contain the overall best
    ``top`` pairs as the per-pivot heaps do. No compilation."""
    m_all, n = order.shape
    rows = max(1, min(m_all, ROUND_BLOCK_PAIRS // max(n, 1)))
    buffers = _Buffers(rows, n)
    X0, X1 = np.ascontiguousarray(X[:, 0]), np.ascontiguousarray(X[:, 1])
    for s in range(0, m_all, rows):
        e = min(s + rows, m_all)
        _round_block(X0, X1, start + s, lam, order[s:e], left[s:e], right[s:e], l1, threshold, inv_beta, violation,
                     excluded, top, ratio[s:e], new_ratio[s:e], n_valid[s:e], n_degenerate[s:e], n_violating[s:e],
                     best_score[s:e], best_j[s:e], heap_score[s:e], heap_j[s:e], buffers)


def _round_block(X0, X1, start, lam, order, left, right, l1, threshold, inv_beta, violation, excluded, top,
                 ratio, new_ratio, n_valid, n_degenerate, n_violating, best_score, best_j, heap_score, heap_j, b):
    """One block of :func:`sweep_round_np`; every operation writes into the buffers ``b``."""
    m, n = order.shape
    idx, lo, hi = b.idx[:m], b.lo[:m], b.hi[:m]
    d0, d1, lam_o, tmp, S0, S1 = b.d0[:m], b.d1[:m], b.lam[:m], b.tmp[:m], b.S0[:m], b.S1[:m]
    plus, minus, norm, score, fresh = b.plus[:m], b.minus[:m], b.norm[:m], b.score[:m], b.fresh[:m]
    P0, P1 = b.P0[:m], b.P1[:m]
    valid, later, excl = b.valid[:m], b.later[:m], b.excl[:m]
    pivots = np.arange(start, start + m)
    np.copyto(idx, order, casting="safe")
    np.take(X0, idx, out=d0)
    np.subtract(d0, X0[pivots, None], out=d0)  # d = x_k - x_i in angular order
    np.take(X1, idx, out=d1)
    np.subtract(d1, X1[pivots, None], out=d1)
    np.take(lam, idx, out=lam_o)
    # P(p) = P(p - 1) + lambda_k (x_k - x_i): cumsum is sequential, as the loop; P(n + q) = T + P(q)
    np.multiply(lam_o, d0, out=tmp)
    np.cumsum(tmp, axis=1, out=P0[:, 1 : n + 1])
    np.multiply(lam_o, d1, out=tmp)
    np.cumsum(tmp, axis=1, out=P1[:, 1 : n + 1])
    T0, T1 = P0[:, n : n + 1].copy(), P1[:, n : n + 1].copy()
    np.add(T0, P0[:, 1 : n + 1], out=P0[:, n + 1 :])
    np.add(T1, P1[:, 1 : n + 1], out=P1[:, n + 1 :])
    flat0, flat1 = P0.reshape(-1), P1.reshape(-1)
    np.add(right, b.offsets[:m], out=hi)
    np.add(left, b.offsets[:m], out=lo)
    np.take(flat0, hi, out=S0)
    np.subtract(S0, np.take(flat0, lo, out=tmp), out=S0)
    np.take(flat1, hi, out=S1)
    np.subtract(S1, np.take(flat1, lo, out=tmp), out=S1)
    if l1:
        np.abs(d0, out=norm)
        np.add(norm, np.abs(d1, out=tmp), out=norm)
    else:
        np.hypot(d0, d1, out=norm)
    np.multiply(d1, S0, out=plus)  # plus = d1 S0 - d0 S1: the normal (d1, -d0)
    np.subtract(plus, np.multiply(d0, S1, out=tmp), out=plus)
    np.multiply(d1, T0, out=minus)  # minus = plus - (d1 T0 - d0 T1)
    np.subtract(minus, np.multiply(d0, T1, out=tmp), out=minus)
    np.subtract(plus, minus, out=minus)
    np.abs(plus, out=plus)
    np.abs(minus, out=minus)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.maximum(plus, minus, out=score)
        np.divide(score, norm, out=score)
        np.multiply(score, inv_beta, out=score)
    # masks: valid pairs have a non-vanishing normal (j = i has d = 0), later pairs j > i are counted
    np.greater(norm, threshold, out=valid)
    if not threshold >= 0:
        valid &= idx != pivots[:, None]
    np.greater(idx, pivots[:, None], out=later)
    np.copyto(score, -1.0, where=~valid)  # scores are >= 0, so -1 marks "no candidate"
    n_valid[:] = np.count_nonzero(valid & later, axis=1)
    n_degenerate[:] = np.count_nonzero(later & ~valid, axis=1)
    np.copyto(tmp, score)
    np.copyto(tmp, -1.0, where=~later)
    ratio[:] = tmp.max(axis=1, initial=0.0)
    # excluded[i, j] gathered in angular order (a flat take from the block's rows of the mask)
    rows_mask = excluded[start : start + m]
    if rows_mask.any():
        np.add(idx, b.excl_offsets[:m], out=lo)
        np.take(rows_mask.reshape(-1), lo, out=excl)
        np.copyto(score, -1.0, where=excl)
    at = np.argmax(score, axis=1)
    picked = score[np.arange(m), at]
    best_score[:] = picked
    best_j[:] = np.where(picked >= 0, idx[np.arange(m), at], -1)
    np.copyto(fresh, score)
    np.copyto(fresh, -1.0, where=~later)
    new_ratio[:] = fresh.max(axis=1, initial=0.0)
    n_violating[:] = np.count_nonzero(fresh > violation, axis=1)
    heap_score[:] = -1.0
    heap_j[:] = -1
    if top > 0:
        flat = fresh.reshape(-1)
        k = min(top, flat.size)
        chosen = np.argpartition(flat, flat.size - k)[flat.size - k :] if k < flat.size else np.arange(flat.size)
        chosen = chosen[flat[chosen] >= 0]
        r, p = np.divmod(chosen, n)
        slot = _slot_in_row(r)
        heap_score[r, slot] = flat[chosen]
        heap_j[r, slot] = idx[r, p]


def _slot_in_row(rows: np.ndarray) -> np.ndarray:
    """For entries labelled by row, their 0-based position among the entries of the same row.

    >>> _slot_in_row(np.array([2, 0, 2, 2])).tolist()
    [0, 0, 1, 2]
    """
    order = np.argsort(rows, kind="stable")
    sorted_rows = rows[order]
    first = np.searchsorted(sorted_rows, sorted_rows, side="left")
    slot = np.empty(len(rows), dtype=np.intp)
    slot[order] = np.arange(len(rows)) - first
    return slot
