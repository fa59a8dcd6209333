"""Activation patterns of a ReLU layer: the chambers of a central hyperplane arrangement, via wedge rays.

A neuron v = (w, b) (or v = w without bias) activates the samples {i : x~_i . v > 0}, x~_i = (x_i, 1)
(docs/theory/weight_decay.md). The activation patterns realized on open sets are the chambers of the central
arrangement of the hyperplanes {v : x~_i . v = 0} in R^{d+1} (R^d without bias).

Enumeration (docs/theory/weight_decay.md). Work in the row space of X~ (dimension k = rank X~), where every chamber
is a pointed cone, so it has an extreme ray. An extreme ray lies on hyperplanes of rank k - 1, so it
is r = +-cross(a_S) for a (k-1)-subset S of independent rows (the wedge of k - 1 lifted samples,
dualized). The chambers touching r are the chambers of the local arrangement of the hyperplanes Z
through r:

* general position (Z = S, k - 1 independent hyperplanes): all 2^(k-1) sign choices eps, reached at
  r + delta * pinv(A_S) eps;
* degenerate (more than k - 1 hyperplanes through r): the local arrangement lives in r's orthogonal
  complement (dimension k - 1) and is enumerated by the same method, recursively.

delta is chosen per point so the samples off r keep their sign. In general position the number of
chambers is 2 * sum_{i<k} C(n-1, i) (Zaslavsky / Cover), e.g. 92 for n = 10 in 2-D with bias.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time

import numpy as np

from ..algebra.batched import cross_batch
from ..errors import EnumerationTooLargeError, InvalidInputError

#: a row is "on" a ray when |a . r| <= _ON_RAY * ||a|| ||r||
_ON_RAY = 1e-9
#: rays processed per block (memory n x block x 2^(k-1))
_RAY_BLOCK = 2048


def lift(X: np.ndarray, bias: bool) -> np.ndarray:
    """x~ = (x, 1) with bias, else x itself.

    Examples
    --------
    >>> lift(np.array([[2.0], [3.0]]), bias=True)
    array([[2., 1.],
           [3., 1.]])
    """
    X = np.asarray(X, dtype=float)
    return np.hstack([X, np.ones((X.shape[0], 1))]) if bias else X


def count_regions_general_position(n: int, k: int) -> int:
    """Chambers of a central arrangement of n hyperplanes in general position in R^k:
    2 * sum_{i<k} C(n-1, i) (the maximum over all arrangements of n hyperplanes in R^k).

    Examples
    --------
    >>> count_regions_general_position(10, 3)
    92
    """
    if n == 0:
        return 1
    return 2 * sum(math.comb(n - 1, i) for i in range(k))


def max_chambers(n: int, d: int, bias: bool) -> int:
    """An upper bound on the number of activation patterns of n samples in R^d.

    Examples
    --------
    >>> max_chambers(10, 2, bias=True)
    92
    """
    return count_regions_general_position(n, d + 1 if bias else d)


@dataclasses.dataclass
class Chambers:
    """All activation patterns D (rows, boolean over the samples) with a witness v inside each chamber:
    sign(X~ v) is +1 exactly on D and -1 off D (0 for samples x_i = 0 without bias).

    Examples
    --------
    >>> chambers = enumerate_chambers(np.array([[0.0], [1.0]]), bias=True)
    >>> chambers.patterns.shape
    (4, 2)
    """

    patterns: np.ndarray  # (N, n) bool
    points: np.ndarray  # (N, d+1) or (N, d): v with X~ v > 0 on D, < 0 off D
    bias: bool
    rank: int  # dimension of the row space of X~
    n_rays: int  # distinct extreme rays (lines) visited
    n_degenerate_rays: int  # rays through more than rank - 1 hyperplanes (recursion used)
    seconds: float

    def __len__(self) -> int:
        return len(self.patterns)


def _null_complement(r: np.ndarray) -> np.ndarray:
    """Orthonormal basis (k, k-1) of the orthogonal complement of the unit vector r."""
    _, _, vt = np.linalg.svd(r[None, :])
    return vt[1:].T


def _chamber_points(A: np.ndarray) -> tuple[np.ndarray, int, int]:
    """One interior point per chamber of the arrangement {q : a_i . q = 0} in R^k, rows of A unit
    length and spanning R^k. Returns (points (N, k), rays visited, degenerate rays); duplicates
    (the same chamber reached from several rays) are removed by the caller."""
    n, k = A.shape
    if k == 1:
        return np.array([[1.0], [-1.0]]), 0, 0
    subsets = np.array(list(itertools.combinations(range(n), k - 1)), dtype=np.intp).reshape(-1, k - 1)
    R = cross_batch(A[subsets])
    norms = np.linalg.norm(R, axis=1)
    independent = norms > 1e-10  # rows of A are unit length: the wedge norm is the (k-1)-volume
    subsets, R = subsets[independent], R[independent] / norms[independent, None]
    AR = A @ R.T  # (n, m)
    on = np.abs(AR) <= _ON_RAY
    general = on.sum(axis=0) == k - 1
    eps = np.array(list(itertools.product((-1.0, 1.0), repeat=k - 1)))  # (2^(k-1), k-1)
    out = []
    # general position rays, vectorized in blocks: r + delta * pinv(A_S) eps
    idx = np.flatnonzero(general)
    for start in range(0, len(idx), _RAY_BLOCK):
        block = idx[start : start + _RAY_BLOCK]
        P = np.linalg.pinv(A[subsets[block]]) @ eps.T  # (m, k, E)
        AP = np.einsum("nk,mke->nme", A, P)  # (n, m, E)
        for sign in (1.0, -1.0):
            ar = sign * AR[:, block]  # (n, m)
            off = ~on[:, block]
            with np.errstate(divide="ignore", invalid="ignore"):
                room = np.where(off[:, :, None] & (np.abs(AP) > 0), np.abs(ar)[:, :, None] / np.abs(AP), np.inf)
            delta = np.minimum(0.5 * room.min(axis=0), 1.0)  # (m, E)
            pts = sign * R[block][:, :, None] + delta[:, None, :] * P  # (m, k, E)
            out.append(pts.transpose(0, 2, 1).reshape(-1, k))
    # degenerate rays: recurse on the local arrangement; each line visited once
    seen = set()
    for j in np.flatnonzero(~general):
        Z = np.flatnonzero(on[:, j])
        key = tuple(Z)
        if key in seen:
            continue
        seen.add(key)
        r = R[j]
        basis = _null_complement(r)  # (k, k-1)
        local = A[Z] @ basis
        local /= np.linalg.norm(local, axis=1, keepdims=True)
        local_points, _, _ = _chamber_points(local)
        dirs = local_points @ basis.T  # (N', k)
        for sign in (1.0, -1.0):
            ar = sign * (A @ r)
            ap = A @ dirs.T  # (n, N')
            off = np.ones(n, dtype=bool)
            off[Z] = False
            with np.errstate(divide="ignore", invalid="ignore"):
                room = np.where(off[:, None] & (np.abs(ap) > 0), np.abs(ar)[:, None] / np.abs(ap), np.inf)
            delta = np.minimum(0.5 * room.min(axis=0), 1.0)
            out.append(sign * r[None, :] + delta[:, None] * dirs)
    points = np.vstack(out) if out else np.zeros((0, k))
    return points, int(general.sum()) + len(seen), len(seen)


#: what to do when the arrangement is too large, for the callers of certify()
_CERTIFY_HINT = "pass exhaustive=False for a sampled lower bound (certify) or raise max_patterns"


def enumerate_chambers(X, *, bias: bool = True, max_patterns: int | None = 20000,
                       too_large_hint: str = _CERTIFY_HINT) -> Chambers:
    """All activation patterns of the samples X (n x d): the chambers of the arrangement of the
    hyperplanes {v : x~_i . v = 0}, found from the wedge rays cross(d lifted samples) (module doc).

    ``max_patterns``: raise EnumerationTooLargeError when the general-position count
    2 sum_{i<k} C(n-1, i) (an upper bound) exceeds it; None for no limit. ``too_large_hint``: the
    fix the error names (the caller's own options).

    Examples
    --------
    >>> import numpy as np
    >>> len(enumerate_chambers(np.array([[0.0], [1.0], [2.0]]), bias=True))
    6
    """
    from ..validation import check_matrix

    X = check_matrix(X)
    if not isinstance(bias, (bool, np.bool_)):
        raise InvalidInputError(f"bias must be True or False, got {bias!r}")
    start = time.perf_counter()
    Xt = lift(X, bool(bias))
    n, D = Xt.shape
    # The patterns sign(X~ v) are those of sign(X~ C u), v = C u, for any positive diagonal C: every
    # column is scaled by a power of two (exact) to largest entry in [0.5, 1), so no feature's scale
    # (1e-3 next to 1e3, or 1e150 overall) enters the float work below; witnesses map back by v = C u.
    _, col_exp = np.frexp(np.abs(Xt).max(axis=0, initial=0.0))
    Xs = np.ldexp(Xt, -col_exp)
    if not np.array_equal(np.ldexp(Xs, col_exp), Xt):  # subnormal entries lost bits: stay unscaled
        Xs, col_exp = Xt, np.zeros_like(col_exp)
    # x_i = 0 without bias is never active: decided exactly (any non-zero entry makes it a hyperplane)
    live = np.any(Xs != 0, axis=1)
    row_max = np.abs(Xs).max(axis=1, initial=0.0)
    row_norm = np.where(live, row_max, 1.0) * np.linalg.norm(Xs / np.where(live, row_max, 1.0)[:, None], axis=1)
    # distinct hyperplanes bound the count (only the size check below uses it: entries under 1e-12 of
    # a unit row are rounding noise for the orientation, and rounding to 10 digits may merge planes
    # closer than that, which only lowers the bound)
    A_live = Xs[live] / row_norm[live, None]
    lead = np.argmax(np.abs(A_live) > 1e-12, axis=1)
    oriented = A_live * np.sign(A_live[np.arange(len(A_live)), lead])[:, None]
    n_planes = len(np.unique(np.round(oriented, 10) + 0.0, axis=0)) if len(A_live) else 0
    # row space of X~: chambers are pointed cones there (singular values relative to the largest of
    # the unit rows; with the columns equilibrated only a truly near-dependent set of samples is cut)
    if len(A_live):
        _, sv, vt = np.linalg.svd(A_live, full_matrices=False)
        k = int(np.sum(sv > 1e-10 * sv[0]))
    else:
        k = 0
    bound = count_regions_general_position(n_planes, k)
    if max_patterns is not None and bound > max_patterns:
        raise EnumerationTooLargeError(
            f"the arrangement of {n_planes} hyperplanes in R^{k} can have up to {bound:,} chambers "
            f"(2 * sum_{{i<{k}}} C({n_planes - 1}, i)), above max_patterns={max_patterns:,}; {too_large_hint}"
        )
    if k == 0:
        patterns = np.zeros((1, n), dtype=bool)
        points = np.zeros((1, D))
        return Chambers(patterns, points, bool(bias), 0, 0, 0, time.perf_counter() - start)
    basis = vt[:k].T  # (D, k)
    coords = A_live @ basis
    coords /= np.linalg.norm(coords, axis=1, keepdims=True)
    q, n_rays, n_degenerate = _chamber_points(coords)
    U = q @ basis.T  # back to R^D (lineality directions, if any, set to 0)
    S = Xs @ U.T  # (n, N)
    # a witness counts only where every sign is certain: |fl(x . u) - x . u| <= gamma_D |x| . |u|
    # (D products summed: Higham's dot-product bound), so the bound is relative to each product
    gamma = D * 2.0**-53 / (1 - D * 2.0**-53)
    inside = np.all(np.abs(S[live]) > gamma * (np.abs(Xs[live]) @ np.abs(U).T), axis=0)
    S, U = S[:, inside], U[inside]
    V = np.ldexp(U, -col_exp)  # v = C u: the same signs on X~ (ldexp by powers of two)
    patterns = (S > 0).T
    patterns[:, ~live] = False
    patterns, first = np.unique(patterns, axis=0, return_index=True)
    return Chambers(
        patterns=patterns,
        points=V[first],
        bias=bool(bias),
        rank=k,
        n_rays=n_rays,
        n_degenerate_rays=n_degenerate,
        seconds=time.perf_counter() - start,
    )


def polish_on_faces(Xt: np.ndarray, lam: np.ndarray, V: np.ndarray, d: int, tol: float = 1e-6) -> np.ndarray:
    """Closed-form re-maximization on the face of each solver point v: with Z = samples with
    x~_i . v ~ 0 and A those with x~_i . v > 0, maximize g . u, g = sum_A lambda_i x~_i, over
    u in null(X~_Z) with ||u[:d]|| <= 1: u = N M^-1 h / sqrt(h' M^-1 h), h = N' g, M = N' P' P N
    (P keeps the w coordinates). Any such u is a feasible neuron, so this can only raise the
    evaluated maximum; it removes the solver's ~1e-8 error at the maximizer.

    ``tol`` is relative to ||x~_i|| (v is scaled to ||v[:d]|| = 1), and singular values below 1e-10
    of the largest count as zero: the solver's points are accurate to ~1e-8.
    """
    out = []
    scale = np.linalg.norm(Xt, axis=1)
    for v in V:
        nv = np.linalg.norm(v[:d])
        if nv <= 1e-12:  # the zero point of a pattern without feasible direction (relative to ||w|| <= 1)
            continue
        pre = Xt @ v / nv
        Z = np.abs(pre) <= tol * scale
        g = lam[pre > tol * scale] @ Xt[pre > tol * scale]
        if Z.any():
            _, sv, vt = np.linalg.svd(Xt[Z])
            rank = int(np.sum(sv > 1e-10 * sv[0]))
            N = vt[rank:].T
        else:
            N = np.eye(Xt.shape[1])
        if N.shape[1] == 0:
            continue
        M = N[:d].T @ N[:d]
        if np.linalg.cond(M) > 1e12:  # the face has (almost) no w-direction: nothing to polish
            continue
        h = N.T @ g
        a = np.linalg.solve(M, h)
        q = float(h @ a)
        if q <= 0:
            continue
        u = N @ (a / math.sqrt(q))
        out.append(u if u @ v >= 0 else -u)
    return np.array(out).reshape(-1, Xt.shape[1])


def samples_on_hyperplane(X, w, b, tol=1e-7) -> tuple[int, ...]:
    """Samples within tol of the hyperplane w . x + b = 0, relative to |x| . |w| + |b| (descriptions only).

    Examples
    --------
    >>> samples_on_hyperplane(np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0]]), np.array([1.0, -1.0]), 0.0)
    (0, 1)
    """
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    if not np.any(w != 0):
        return ()
    # relative to the terms of x . w + b themselves, so neither the data's scale nor w's enters
    return tuple(int(i) for i in np.flatnonzero(np.abs(X @ w + b) <= tol * (np.abs(X) @ np.abs(w) + abs(b))))
