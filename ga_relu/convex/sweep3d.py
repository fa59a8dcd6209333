r"""Exact pricing of the 3-D vertex dictionary (with bias) by pencil sweeps, in O(n^3 log n).

With a bias in d = 3 every hyperplane of the vertex dictionary passes through three lifted vertices.
Column generation prices all of them against a dual vector lambda,

.. math::

    \rho = \max_{S} \max_\pm |\lambda \cdot \mathrm{relu}(\pm(X w_S + b_S))| / (\beta \|w_S\|_p),

which the stream does subset by subset, C(n + 3, 3) subsets times n samples (O(n^4)). Here the planes
are grouped by a line through two samples instead.

**Pencils of planes through two samples.** Let L = {x_i + t u}, u = x_j - x_i, and let p, q be an
orthonormal basis of the plane orthogonal to u. Projecting every sample along u,

    a_l = (x_l - x_i) . p,   b_l = (x_l - x_i) . q,   theta_l = atan2(b_l, a_l),

turns the planes through L into the lines through the origin of the (a, b) picture: the plane
through L and x_k has the normal w = u x (x_k - x_i) = |u| (a_k q - b_k p), and for every sample

    w . (x_l - x_i) = |u| r_k r_l sin(theta_l - theta_k),     r = sqrt(a^2 + b^2),

so its positive side is the half-turn theta_l in (theta_k, theta_k + pi). The samples are sorted
once per pencil by the angle folded into [0, pi) (theta or theta - pi), which makes each side of
every plane a suffix of the samples on one half-turn plus a prefix of the others
(:func:`_folded_order`); with prefix sums of lambda_l a_l, lambda_l b_l per half-turn, the sums
A, B over one side give

    plus  = lambda . relu(+-w . (X - x_i)) / |u| = a_k B - b_k A,
    minus = the other side's = plus - (a_k B_total - b_k A_total)

(relu(-t) = relu(t) - t), so every plane of the pencil costs O(1) after an O(n log n) sort:
score = max(|plus|, |minus|) / ||a_k q - b_k p||_p / beta (||.||_p of the normal in the data's
coordinates). Samples on L or on the plane contribute 0 to either side, so ties are harmless.

**Which pencils.** A triple of samples lies in the pencils of its three pairs, and one suffices. The
samples are split into two halves by index; pencils are built only for the pairs inside a half
(about n^2 / 4 of them, half of all pairs), since two of any three samples share a half. Triple
{a < b < c} is priced in the pencil (a, b) when a and b share a half, else in (b, c), so each
triple is priced exactly once.

**Basis vectors (l1).** The vertex set of the l1 penalty also has e_1, e_2, e_3 (lifted as (e_s, 0)):

* {x_i, x_j, e_s}: planes through x_i and x_j parallel to e_s. Projected along e_s they are the
  lines through two samples of the plane of the other two coordinates: the same sweep with
  (p, q) = (e_a, e_b), one pivot sample per row (2-D angular sweep). The projected differences are
  float differences, exact to a relative rounding, so their angles are accurate at any magnitude.
* {x_i, e_s, e_t}: the three axis-parallel planes through each sample, and {e_1, e_2, e_3}, whose
  normal w = 0 is degenerate: 3n + 1 subsets, priced directly.

**Exactness.** A subset is dropped only when its normal is provably zero. a_k and b_k are dot
products of x_k and x_i with unit vectors, off by about 8 eps (|x_k| + |x_i|) (eps = 2^-53), so
the plane through x_k is accurate only when r_k is not that small: triples with
r_k <= FLAG_MARGIN * 32 eps (|x_k| + |x_i|) (far above the r_k of exactly collinear samples)
are taken out of the sweep, their normals computed in exact rationals
(:meth:`~ga_relu.convex.dictionary.VertexFrame.exact_normal`, python-flint): exactly zero ones are
counted as degenerate, the others rounded from the exact normal and priced directly. Every plane
the sweep keeps has its normal's direction to about 2^-31, the stream's own accuracy
(``FLAG_MARGIN`` in :func:`~ga_relu.convex.dictionary.build_columns`). Identical samples (a zero
float difference, exact) are degenerate without that test. Coordinates are first scaled by powers
of two per feature (exact), so neither the data's overall scale nor the ratio of its features'
scales enters. The counts of priced and degenerate subsets equal the stream's.

The lambda-free part (orders, half-turns, normal norms) is kept in a :class:`Sweep3DCache` for
column generation, which changes only lambda between rounds; its blocks are built when first priced.
Column generation's early rounds price a stride of the pencil blocks (heuristic: they need
violators, not the maximum); only an exhaustive pass ends it or certifies.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X, lam = rng.normal(size=(12, 3)), rng.normal(size=12)
>>> cache = Sweep3DCache(X, "l1")
>>> cache.n_priced + cache.n_degenerate == 15 * 14 * 13 // 6  # every subset of the 15 vertices, once
True
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from .dictionary import FLAG_MARGIN, subset_ranks
from .penalties import get_penalty

__all__ = ["Sweep3DCache", "sweep3d_price", "sweep3d_maximum", "sweep3d_bytes", "ENTRIES_PER_BLOCK"]

#: sample slots (rows x n) per block of pencils: the temporaries stay a few MB
ENTRIES_PER_BLOCK = 1 << 16

#: unit roundoff of float64
_U = 2.0**-53

#: bytes the cache holds per sample slot of a sweep row: its angular order (int16 below 32,768
#: samples, and as an int32 flat index), its half-turn (a bool) and the float64 1 / ||w||_p
_BYTES_PER_SLOT = 15
#: and per row: its two samples (int64) and the basis p, q of its projection (3 float64 each)
_BYTES_PER_ROW = 64


def sweep3d_bytes(n: int, penalty: str = "l1") -> int:
    """Bytes of a :class:`Sweep3DCache` of n samples: 15 (17 from 32,768 samples on) per sample
    slot of its rows, the 2 C(ceil(n / 2), 2) pencils and, for l1, the 3 n rows of the basis planes,
    and 64 per row.

    >>> sweep3d_bytes(442) < 2**29  # diabetes-3: below a quarter of the 2 GiB default budget
    True
    """
    rows = len(_pencil_pairs(n)) if n < 4096 else 2 * math.comb((n + 1) // 2, 2)
    rows += 3 * n if get_penalty(penalty).basis_vertices else 0
    return int((_BYTES_PER_SLOT + (0 if n < 2**15 else 2)) * rows * n + _BYTES_PER_ROW * rows)


def _column_frame(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """(X C, the diagonal of C 2^m, 2^-m) with C = diag(2^-e_t) scaling feature t so that its largest
    |entry| is in [0.5, 1), and m = max_t e_t. Powers of two are exact, x -> C x maps the vertex
    planes of X onto those of X C, and a normal n there is the normal C n of the original plane:
    ||C n||_p = 2^-m ||(C 2^m) n||_p (C 2^m >= 1: no underflow for features of similar scales)."""
    top = np.abs(X).max(axis=0, initial=0.0)
    _, e = np.frexp(top)
    e = np.where(top > 0, e, 0).astype(np.int64)
    scaled = np.ldexp(X, -e)
    if not np.array_equal(np.ldexp(scaled, e), X):  # subnormal entries lost bits: keep the original frame
        return np.array(X, dtype=float), np.ones(X.shape[1]), 1.0
    return scaled, np.ldexp(1.0, e.max() - e), float(np.ldexp(1.0, -int(e.max())))


@dataclasses.dataclass
class _Block:
    """A block of sweep rows: a pencil (pivot i, second sample j) or a 2-D sweep row (pivot i, axis s).

    ``order[r]`` sorts the samples by their angle folded into [0, pi) (:func:`_folded_order`),
    ``upper`` whether the unfolded one is in [0, pi). Slot (r, p) is the plane through the sample at
    sorted position p, ``scale`` = 1 / ||C (a_k q - b_k p)||_p, -1 for a slot priced elsewhere
    (the pivot, a non-canonical or flagged triple, a degenerate plane): its score is <= 0, below
    every threshold and candidate cut (which are > 0)."""

    pivot: np.ndarray  # (R,) sample i of each row
    second: np.ndarray  # (R,) sample j (pencils) or -1 (2-D rows)
    axis: int  # -1 for pencils, else s (planes parallel to e_s)
    p: np.ndarray  # (R, 3)
    q: np.ndarray  # (R, 3)
    order: np.ndarray  # (R, n) int16 / int32
    flat_order: np.ndarray  # (R, n) int32: r n + order[r]
    upper: np.ndarray  # (R, n) bool
    scale: np.ndarray  # (R, n) float64
    n_valid: int

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.pivot, self.second, self.p, self.q, self.order, self.flat_order, self.upper,
                                      self.scale))


def _pencil_pairs(n: int) -> np.ndarray:
    """The pairs (i < j) inside each half of range(n) (module docstring: every triple has one)."""
    half = (n + 1) // 2
    pairs = []
    for start, stop in ((0, half), (half, n)):
        i, j = np.triu_indices(stop - start, k=1)
        pairs.append(np.column_stack([i + start, j + start]))
    return np.vstack(pairs).astype(np.int64)


def _pencil_bases(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal p, q orthogonal to each row of u (u != 0): p = u x e_m / |u x e_m| for the axis m
    of u's smallest entry (well conditioned), q = u x p / |u|."""
    un = u / np.linalg.norm(u, axis=1, keepdims=True)
    m = np.argmin(np.abs(un), axis=1)
    e = np.zeros_like(un)
    e[np.arange(len(un)), m] = 1.0
    p = np.cross(un, e)
    p /= np.linalg.norm(p, axis=1, keepdims=True)
    q = np.cross(un, p)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return p, q


def _folded_order(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(order, upper) per row: the samples sorted by the angle phi in [0, pi) of (a, b) or (-a, -b)
    (whichever lies in the upper half-plane), and whether (a, b) itself does (sign s = +1).

    With theta = phi + (s < 0) pi, the plane through sample k has sin(theta_l - theta_k) =
    s_l s_k sin(phi_l - phi_k): its two sides are A_k = {s_l = +1 after k} + {s_l = -1 before k} in
    this order and the rest (samples tied with k in phi lie on its plane and contribute 0 to either
    side to rounding, so the order of ties does not matter). Both are a prefix and a suffix: no
    antipode to search for.

    >>> order, upper = _folded_order(np.array([[1.0, -1.0, 0.0, 1.0]]), np.array([[0.0, 1.0, -1.0, 1.0]]))
    >>> order.tolist(), upper.tolist()  # phi = 0, 3 pi / 4, pi / 2 (flipped), pi / 4
    ([[0, 3, 2, 1]], [[True, True, False, True]])
    """
    rows, n = a.shape
    flip = (b < 0) | ((b == 0) & (a < 0))
    phi = np.arctan2(np.where(flip, -b, b), np.where(flip, -a, a))
    order = np.argsort(phi, axis=1)  # quicksort: 4x faster than a stable sort
    return order, ~flip.ravel().take(order + n * np.arange(rows)[:, None])


def _one_side(V: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(S_A, total) per row of the sorted values V: S_A at position p = sum of V over A_p (the upper
    samples after p and the lower ones before it, :func:`_folded_order`). With M, N the upper and
    lower parts of V and D the prefix sums of M - N: S_A = sum(M) - D_p - N_p (one prefix sum)."""
    D = np.cumsum(np.where(upper, V, -V), axis=1)
    total = V.sum(axis=1, keepdims=True)
    side = (total + D[:, -1:]) * 0.5 - D
    side -= np.where(upper, 0.0, V)
    return side, total


def _projections(Xs: np.ndarray, pivot: np.ndarray, p: np.ndarray, q: np.ndarray, axis: int):
    """(a, b), shape (rows, n): a[r, l] = (x_l - x_{pivot r}) . p_r, the same with q. Pencil rows by
    one matrix product, x_l . p_r - x_i . p_r (x_i's own entry exactly 0); 2-D rows as the float
    differences of the two coordinates other than ``axis``."""
    if axis >= 0:
        a_axis, b_axis = [t for t in range(3) if t != axis]
        return (Xs[None, :, a_axis] - Xs[pivot, a_axis][:, None], Xs[None, :, b_axis] - Xs[pivot, b_axis][:, None])
    rows = np.arange(len(pivot))
    A, B = p @ Xs.T, q @ Xs.T  # (rows, n)
    return A - A[rows, pivot][:, None], B - B[rows, pivot][:, None]


class Sweep3DCache:
    """The lambda-independent part of the 3-D sweep over X (n x 3, with bias): per pencil the
    angular order and, per plane, its arc and normal's norm; the subsets decided exactly (flagged or
    axis-parallel) with their (w, b). Build once, price many lambdas (:func:`sweep3d_price`).

    Parameters
    ----------
    X : (n, 3) array
    penalty : {"l1", "l2"}
        l1 adds the basis vectors e_1, e_2, e_3 to the vertex set.
    keep : bool
        Keep each block once built (column generation); False builds them again for every pass.
        Blocks are built when first priced: a heuristic round builds only those it prices, so the
        cost of the cache is spread over column generation's first rounds.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0, 0, 0], [1, 0, 0], [2, 0, 0], [0, 1, 0], [0, 0, 1.0]])  # 3 collinear samples
    >>> cache = Sweep3DCache(X, "l2").finish()  # blocks are built when first priced, or here
    >>> cache.n_priced, cache.n_degenerate  # C(5, 3) = 10 triples, {x_1, x_2, x_3} has no plane
    (9, 1)
    """

    def __init__(self, X: np.ndarray, penalty: str = "l1", *, keep: bool = True):
        X = np.ascontiguousarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != 3:
            raise ValueError("Sweep3DCache needs an (n, 3) array")
        self.X = X
        self.penalty = get_penalty(penalty)
        self.n = n = X.shape[0]
        self.Xs, self.column_scale, self.norm_unit = _column_frame(X)
        self._order_dtype = np.int16 if n < 2**15 else np.int32
        self._xnorm = np.linalg.norm(self.Xs, axis=1)
        self.n_degenerate = 0
        self.n_swept = 0
        pairs = _pencil_pairs(n)
        same = np.all(self.Xs[pairs[:, 0]] == self.Xs[pairs[:, 1]], axis=1)  # identical samples: exact
        # every triple of an identical pair's pencil is degenerate (w = u x (x_k - x_i) = 0 exactly)
        self.n_degenerate += int(sum(self._canonical_count(i, j) for i, j in pairs[same]))
        self.pairs = pairs[~same]
        self.pencil_row = np.full((n, n), -1, dtype=np.int32)  # the row of pencil (i, j), -1 for none
        self.pencil_row[self.pairs[:, 0], self.pairs[:, 1]] = np.arange(len(self.pairs))
        self.rows_per_block = rows_per_block = max(1, ENTRIES_PER_BLOCK // max(n, 1))
        self._specs = [(-1, s, min(s + rows_per_block, len(self.pairs)))
                       for s in range(0, len(self.pairs), rows_per_block)]
        if self.penalty.basis_vertices:
            self._specs += [(axis, s, min(s + rows_per_block, n)) for axis in range(3)
                            for s in range(0, n, rows_per_block)]
        self.keep = bool(keep)
        self._blocks: list = [None] * len(self._specs)
        self._built = np.zeros(len(self._specs), dtype=bool)
        self._extras: list = []  # (subsets, w, b) priced directly: axis-parallel planes, flagged triples
        if self.penalty.basis_vertices:
            # {x_i, e_s, e_t}: the plane x_r = x_ir (r the third axis), w = e_r exactly; {e_1, e_2, e_3}: w = 0
            axis_subsets = np.array([(i, n + s, n + t) for i in range(n) for s in range(3) for t in range(s + 1, 3)],
                                    dtype=np.int64).reshape(-1, 3)
            third = 3 - (axis_subsets[:, 1] - n) - (axis_subsets[:, 2] - n)
            axis_w = np.zeros((len(axis_subsets), 3))
            axis_w[np.arange(len(axis_subsets)), third] = 1.0
            self._extras.append((axis_subsets, axis_w, -self.X[axis_subsets[:, 0], third]))
            self.n_degenerate += 1
        self._extra = None

    def block(self, index: int) -> _Block:
        """Block ``index``, built on first use (kept when ``keep``); its flagged triples are decided
        exactly then, and the counts updated once."""
        block = self._blocks[index]
        if block is not None:
            return block
        block, flagged = self._build(*self._specs[index])
        if not self._built[index]:
            self._built[index] = True
            self.n_swept += block.n_valid
            kept, w, b, degenerate = _exact_columns(self.X, flagged, self.penalty.name)
            self.n_degenerate += int(degenerate.sum())
            if len(kept):
                self._extras.append((kept, w, b))
                self._extra = None
        if self.keep:
            self._blocks[index] = block
        return block

    def blocks(self, stride: int = 1, offset: int = 0):
        """(index, block) of every block, or with ``stride`` > 1 of the pencil blocks b = offset (mod
        stride) and all rows of basis planes (a heuristic pass), built as they are first priced."""
        for index, (axis, _, _) in enumerate(self._specs):
            if stride > 1 and axis < 0 and index % stride != offset % stride:
                continue
            yield index, self.block(index)

    @property
    def complete(self) -> bool:
        """Whether every block has been built (the counts and the exact path are then final)."""
        return bool(self._built.all())

    def finish(self) -> "Sweep3DCache":
        """Build every block not built yet (this cache, for chaining)."""
        for index in np.flatnonzero(~self._built):
            self.block(int(index))
        return self

    @property
    def n_priced(self) -> int:
        """The subsets with a plane: swept slots and the exact path's (every block built first)."""
        self.finish()
        return self.n_swept + len(self.extra_columns()[0])

    def extra_columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(subsets, w, b) priced directly, of the blocks built so far and the axis-parallel planes."""
        if self._extra is None:
            if self._extras:
                self._extra = tuple(np.concatenate([part[t] for part in self._extras]) for t in range(3))
            else:
                self._extra = (np.zeros((0, 3), dtype=np.int64), np.zeros((0, 3)), np.zeros(0))
        return self._extra

    # -- the canonical assignment of triples to pencils -------------------------------------------
    def _half(self, v):
        return np.asarray(v) >= (self.n + 1) // 2

    def _canonical_mask(self, i: np.ndarray, j: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Whether triple {i, j, k} (i < j in one half, k a third sample) is priced in pencil (i, j):
        k > j (sorted (i, j, k), its first two share a half), or k < i in the other half (sorted
        (k, i, j), its first two in different halves, so its pencil is the last two). For i < k < j
        never: (i, k) would share a half, or else k and j would not."""
        return (k > j) | ((k < i) & (self._half(k) != self._half(i)))

    def _canonical_count(self, i: int, j: int) -> int:
        k = np.arange(self.n)
        mask = self._canonical_mask(np.int64(i), np.int64(j), k) & (k != i) & (k != j)
        return int(mask.sum())

    # -- building one block ----------------------------------------------------------------------
    def _build(self, axis: int, start: int, stop: int) -> tuple[_Block, np.ndarray]:
        """The block of rows start..stop-1 (pencils for axis = -1, else 2-D rows of axis s) and the
        subsets it leaves to the exact decision (flagged triples)."""
        Xs, n = self.Xs, self.n
        if axis < 0:
            pivot, second = self.pairs[start:stop, 0], self.pairs[start:stop, 1]
            p, q = _pencil_bases(Xs[second] - Xs[pivot])
        else:
            pivot = np.arange(start, stop, dtype=np.int64)
            second = np.full(len(pivot), -1, dtype=np.int64)
            p, q = np.zeros((len(pivot), 3)), np.zeros((len(pivot), 3))
            a_axis, b_axis = [t for t in range(3) if t != axis]
            p[:, a_axis], q[:, b_axis] = 1.0, 1.0
        R = len(pivot)
        a, b = _projections(Xs, pivot, p, q, axis)
        order, upper = _folded_order(a, b)
        flat_order = order + n * np.arange(R)[:, None]
        k = order  # the sample at each sorted position
        a_s, b_s = a.ravel().take(flat_order), b.ravel().take(flat_order)
        if axis < 0:
            valid = self._canonical_mask(pivot[:, None], second[:, None], k) & (k != pivot[:, None]) \
                & (k != second[:, None])
            # a_k, b_k are dot products of x_k and x_i with unit vectors, each off by at most ~4 eps
            # (|x_k| + |x_i|) (and p, q by a few eps from orthogonal to u), so the plane through x_k
            # is off by ~8 eps (|x_k| + |x_i|) / r_k: a margin of 2^30 over a 32 eps bound sends the
            # nearly collinear triples to the exact decision and keeps the rest to ~2^-31. Compared
            # squared (an underflow to 0 only flags more), first against the bound at the largest
            # |x_k| + |x_i| (a scalar), then slot by slot for the few below it
            r2 = a_s * a_s + b_s * b_s
            coarse = FLAG_MARGIN * 32 * _U * 2 * self._xnorm.max(initial=0.0)
            fr, fc = np.nonzero(valid & (r2 <= coarse * coarse))
            bound = FLAG_MARGIN * 32 * _U * (self._xnorm[k[fr, fc]] + self._xnorm[pivot[fr]])
            low = r2[fr, fc] <= bound * bound
            fr, fc = fr[low], fc[low]
            kk = k[fr, fc]
            # identical samples: a zero float difference, exactly degenerate without more
            same = np.all(Xs[kk] == Xs[pivot[fr]], axis=1) | np.all(Xs[kk] == Xs[second[fr]], axis=1)
            self.n_degenerate += int(same.sum())
            flagged = np.sort(np.column_stack([pivot[fr], second[fr], kk])[~same], axis=1)
            valid[fr, fc] = False
        else:
            later = k > pivot[:, None]
            zero = later & (a_s == 0) & (b_s == 0)  # identical projections: w = 0 exactly
            self.n_degenerate += int(zero.sum())
            valid = later & ~zero
            flagged = np.zeros((0, 3), dtype=np.int64)
        # ||C (a_k q - b_k p)||_p: the normal in the data's coordinates, up to the common norm_unit
        qc, pc = q * self.column_scale, p * self.column_scale
        norm, part, buf = np.zeros_like(a_s), np.empty_like(a_s), np.empty_like(a_s)
        for t in range(3):
            np.multiply(a_s, qc[:, t, None], out=part)
            np.multiply(b_s, pc[:, t, None], out=buf)
            part -= buf
            if self.penalty.p == 1:
                np.abs(part, out=part)
                norm += part
            else:  # hypot: no underflow of the squares
                np.hypot(norm, part, out=norm)
        with np.errstate(divide="ignore", invalid="ignore"):
            np.divide(1.0, norm, out=norm)
        scale = np.where(valid, norm, -1.0)
        block = _Block(pivot=pivot, second=second, axis=axis, p=p, q=q, order=order.astype(self._order_dtype),
                       flat_order=flat_order.astype(np.int32), upper=upper, scale=scale,
                       n_valid=int(valid.sum()))
        return block, flagged

    @property
    def nbytes(self) -> int:
        """The bytes held by the kept blocks."""
        return sum(b.nbytes for b in self._blocks if b is not None)

    def covers(self, X: np.ndarray) -> bool:
        """Whether the cache is of exactly these samples."""
        return self.X.shape == np.shape(X) and np.array_equal(self.X, X)

    def subsets(self, block: _Block, slots: np.ndarray) -> np.ndarray:
        """The sorted vertex subsets of the given flat slots of a block."""
        row, k = slots // self.n, block.order.ravel()[slots].astype(np.int64)
        third = block.second[row] if block.axis < 0 else np.full(len(row), self.n + block.axis)
        return np.sort(np.column_stack([block.pivot[row], k, third]), axis=1)


def _exact_columns(X: np.ndarray, subsets: np.ndarray, penalty: str):
    """(kept, w, b, degenerate) of the flagged triples of samples, decided in exact rationals at the
    data's binary values (:meth:`~ga_relu.convex.dictionary.VertexFrame.exact_normal`): a normal is
    dropped only when it is exactly zero; the others are rounded from the exact normal, ||w||_p = 1."""
    from .dictionary import VertexFrame, _float_of_exact, _safe_norms

    if not len(subsets):
        return np.zeros((0, 3), dtype=np.int64), np.zeros((0, 3)), np.zeros(0), np.zeros(0, dtype=bool)
    frame = VertexFrame.of(X, penalty, True)
    degenerate = np.zeros(len(subsets), dtype=bool)
    w, b = np.zeros((len(subsets), 3)), np.zeros(len(subsets))
    for row, subset in enumerate(subsets):
        normal = frame.exact_normal(subset)
        if all(c == 0 for c in normal[:3]):
            degenerate[row] = True
        else:
            w[row], b[row] = _float_of_exact(normal, 3, True)
    keep = ~degenerate
    norms = _safe_norms(penalty, w[keep])
    return subsets[keep], w[keep] / norms[:, None], b[keep] / norms, degenerate


def _direct_scores(X, lam, w, b) -> np.ndarray:
    """max(|lambda . relu(Xw + b)|, |lambda . relu(-(Xw + b))|) per unit-norm (w, b) row."""
    P = X @ w.T + b
    plus = lam @ np.maximum(P, 0.0)
    minus = plus - lam @ P
    return np.maximum(np.abs(plus), np.abs(minus))


def sweep3d_price(cache: Sweep3DCache, lam: np.ndarray, beta: float, best, *, violation: float,
                  stride: int = 1, offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Price every plane of the 3-D vertex dictionary against lambda into ``best`` (a running top-k
    of :mod:`ga_relu.convex.colgen`: ``add``, ``add_fresh``, ``merge``, ``exclude``, ``table``,
    ``top``, ``scores``), ``violation`` = 1 + tol the threshold counted as violating. Returns the
    best plane outside ``best.exclude`` through each sample (subsets, scores; best first), which
    column generation adds besides the top ones to spread a batch over the data.

    ``stride`` > 1 prices only the pencil blocks b with b = offset (mod stride), plus the cheap
    rows of the basis planes and the exact path: a HEURISTIC pass (its ratio a lower bound), for the
    early rounds of column generation, which need violators, not the maximum.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.colgen import price
    >>> rng = np.random.default_rng(1)
    >>> X, lam = rng.normal(size=(10, 3)), rng.normal(size=10)
    >>> lam -= lam.mean()
    >>> sweep, stream = (price(X, lam, 0.5, penalty="l1", bias=True, method=m) for m in ("sweep", "stream"))
    >>> bool(abs(sweep.ratio - stream.ratio) <= 1e-12 * stream.ratio), sweep.n_priced == stream.n_priced
    (True, True)
    """
    n = cache.n
    lam = np.ascontiguousarray(lam, dtype=float)
    exclude = np.asarray(best.exclude)
    affected = _affected_rows(cache, exclude, best.table) if len(exclude) else {}
    # scores divide by ||C n||_p = norm_unit ||column_scale n||_p; block.scale holds 1 / the latter
    inv_beta = 1.0 / (beta * cache.norm_unit)
    Xs = cache.Xs
    spread = (np.full(n, -1.0), np.zeros((n, 3), dtype=np.int64)) if best.top > 0 else None
    for index, block in cache.blocks(stride, offset):
        if not block.n_valid:
            continue
        a, b = _projections(Xs, block.pivot, block.p, block.q, block.axis)
        # np.take with flat indices: 2-4x faster than take_along_axis or fancy indexing
        a, b = a.ravel().take(block.flat_order), b.ravel().take(block.flat_order)
        L = lam.take(block.order)
        SA, TA = _one_side(L * a, block.upper)
        SB, TB = _one_side(L * b, block.upper)
        plus = a * SB - b * SA
        minus = plus - (a * TB - b * TA)  # the other side: relu(-t) = relu(t) - t
        score = np.maximum(np.abs(plus), np.abs(minus))
        score *= block.scale
        score *= inv_beta
        _offer(cache, block, score.ravel(), best, violation, affected.get(index), spread)
    # the exact path: flagged and axis-parallel subsets, priced as the stream prices them
    best.n_degenerate += cache.n_degenerate  # final once every block is built (an exhaustive pass)
    extra, w, b = cache.extra_columns()
    if len(extra):
        best.add(extra, _direct_scores(cache.X, lam, w, b) / beta)
    if spread is None:
        return np.zeros((0, 3), dtype=np.int64), np.zeros(0)
    has = np.flatnonzero(spread[0] >= 0)
    subsets, first = np.unique(spread[1][has], axis=0, return_index=True)
    scores = spread[0][has][first]
    order = np.argsort(-scores, kind="stable")
    return subsets[order], scores[order]


class _Best:
    """The running maximum and its subset, with the interface :func:`sweep3d_price` fills (the
    top-1 of colgen's ``_TopK``, without a working set)."""

    def __init__(self, n_vertices: int):
        self.top, self.exclude = 1, np.zeros(0, dtype=np.int64)
        self.table = np.array([[math.comb(v, t) for t in range(4)] for v in range(n_vertices + 1)], dtype=np.int64)
        self.scores, self.subsets = np.zeros(0), np.zeros((0, 3), dtype=np.int64)
        self.ratio = 0.0
        self.n_priced = self.n_degenerate = 0

    def merge(self, *, ratio, new_ratio, n_priced, n_degenerate, n_violating) -> None:
        self.ratio = max(self.ratio, ratio)
        self.n_priced += n_priced
        self.n_degenerate += n_degenerate

    def add_fresh(self, subsets, scores) -> None:
        j = int(np.argmax(scores))
        if not len(self.scores) or scores[j] > self.scores[0]:
            self.scores, self.subsets = scores[j : j + 1], subsets[j : j + 1]

    def add(self, subsets, scores) -> None:
        self.n_priced += len(scores)
        if len(scores):
            self.ratio = max(self.ratio, float(scores.max()))
            self.add_fresh(subsets, scores)


def sweep3d_maximum(X: np.ndarray, lam: np.ndarray, penalty: str = "l1") -> tuple[float, np.ndarray | None, int]:
    """(max over the vertex planes of max |lambda . relu(+-(X w + b))| / ||w||_p, its subset, planes
    priced): one uncached pass of the sweep, for a certificate's oracle.

    >>> X = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1.0]])
    >>> value, subset, count = sweep3d_maximum(X, np.array([1.0, -1.0, -1.0, 1.0]))
    >>> round(value, 12), subset.tolist(), count  # the plane y = 0 through x_1, x_2, x_4: |lambda . relu(y)| = 1
    (1.0, [0, 1, 3], 31)
    """
    X = np.asarray(X, dtype=float)
    best = _Best(X.shape[0] + (3 if get_penalty(penalty).basis_vertices else 0))
    sweep3d_price(Sweep3DCache(X, penalty, keep=False), lam, 1.0, best, violation=math.inf)
    return float(best.ratio), (best.subsets[0] if len(best.subsets) else None), int(best.n_priced)


def _offer(cache: Sweep3DCache, block: _Block, score: np.ndarray, best, violation: float, rows,
           spread=None) -> None:
    """Statistics and top-k candidates of one block's slots (score <= 0: priced elsewhere) outside
    ``best.exclude``; ``spread`` (per sample: best score, subset) updated with the block's rows."""
    if rows is not None:  # rows holding a working-set subset: check their slots by rank
        n = cache.n
        suspect = (np.asarray(rows)[:, None] * n + np.arange(n)).ravel()
        suspect = suspect[block.scale.ravel()[suspect] > 0]
        hit = np.isin(subset_ranks(cache.subsets(block, suspect), best.table), best.exclude)
        fresh_score = score.copy()
        fresh_score[suspect[hit]] = -1.0
    else:
        fresh_score = score
    top_all = float(score.max(initial=0.0))
    new = float(fresh_score.max(initial=0.0))
    best.merge(ratio=top_all, new_ratio=new, n_priced=block.n_valid, n_degenerate=0,
               n_violating=int(np.count_nonzero(fresh_score > violation)))
    if best.top <= 0:
        return
    cut = best.scores[-1] if len(best.scores) >= best.top else 0.0
    candidates = np.flatnonzero(fresh_score > cut)
    if len(candidates) > best.top:
        candidates = candidates[np.argpartition(-fresh_score[candidates], best.top - 1)[: best.top]]
    if len(candidates):
        best.add_fresh(cache.subsets(block, candidates), fresh_score[candidates])
    if spread is not None:  # the best slot of each row, then of each sample among the block's rows
        n = cache.n
        table = fresh_score.reshape(-1, n)
        at = np.argmax(table, axis=1)
        row_best = table[np.arange(len(at)), at]
        slots = np.arange(len(at)) * n + at
        for samples in (block.pivot, block.second) if block.axis < 0 else (block.pivot,):
            order = np.argsort(-row_best, kind="stable")
            owners, first = np.unique(samples[order], return_index=True)
            pick = order[first]
            better = (row_best[pick] > spread[0][owners]) & (row_best[pick] > 0)
            if better.any():
                spread[0][owners[better]] = row_best[pick[better]]
                spread[1][owners[better]] = cache.subsets(block, slots[pick[better]])


def _affected_rows(cache: Sweep3DCache, excluded: np.ndarray, table: np.ndarray) -> dict:
    """{block index: rows} of the blocks whose rows hold a subset of ``excluded`` (colex ranks)."""
    n = cache.n
    found: dict[int, list] = {}
    per_block = cache.rows_per_block
    n_pencil_blocks = -(-len(cache.pairs) // per_block)
    axis_blocks = -(-n // per_block)
    for a, b, c in _subsets_of_ranks(excluded, table):
        if c < n:  # three samples: pencil (a, b) when they share a half, else (b, c)
            r = int(cache.pencil_row[a, b] if cache._half(a) == cache._half(b) else cache.pencil_row[b, c])
            if r >= 0:
                found.setdefault(r // per_block, []).append(r % per_block)
        elif b < n and cache.penalty.basis_vertices:  # {x_a, x_b, e_s}: pivot a's row on axis s
            block = n_pencil_blocks + (c - n) * axis_blocks + a // per_block
            found.setdefault(block, []).append(a % per_block)
    return {k: np.array(v) for k, v in found.items()}


def _subsets_of_ranks(ranks: np.ndarray, table: np.ndarray) -> list[tuple[int, int, int]]:
    """The sorted triples of the given colex ranks (largest element first, greedily).

    >>> from math import comb
    >>> table = np.array([[comb(v, t) for t in range(4)] for v in range(8)])
    >>> _subsets_of_ranks(np.array([0 + comb(2, 2) + comb(5, 3)]), table)
    [(0, 2, 5)]
    """
    rank = np.asarray(ranks).astype(np.int64)
    out = []
    for t in (3, 2, 1):  # C(v, t) is nondecreasing in v: the largest v with C(v, t) <= rank
        column = np.asarray(table[:, t], dtype=np.int64)
        s = np.searchsorted(column, rank, side="right") - 1
        out.append(s)
        rank = rank - column[s]
    return [tuple(sorted(map(int, row))) for row in zip(*out)]
