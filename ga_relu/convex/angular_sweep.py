r"""The exact weight-decay pricing problem in the plane, by an angular sweep: O(n^2 log n).

For a dual vector lambda (one entry per sample, sum(lambda) = 0 when the neurons have a bias) the
dual constraint of (P) with weight decay (p = 2) asks for

.. math::

    M(\lambda) = \max_{\|w\|_2 \le 1,\ b} \Big|\sum_i \lambda_i \,\mathrm{relu}(x_i \cdot w + b)\Big| ,
    \qquad x_i \in \mathbb{R}^2 .

Three facts make it a one-dimensional sweep.

1. **The norm is attained.** (w, b) -> lambda . relu(Xw + b) is positively homogeneous, so the
   maximum is at ||w||_2 = 1: w = u(t) = (cos t, sin t).
2. **The bias sits at a sample.** For fixed u the function of b is piecewise linear with kinks at
   b = -x_k . u; it is 0 below the smallest kink and, when sum(lambda) = 0, constant above the
   largest. So its largest absolute value is at a kink: a sample x_k (the *anchor*) lies on the
   neuron's line, and relu(x_i . u + b) = relu((x_i - x_k) . u).
3. **Per anchor the function of the angle is piecewise sinusoidal.** With d_i = x_i - x_k, sample
   i is active on the open half circle of angles with d_i . u(t) > 0, entered at
   phi_i - pi/2 and left at phi_i + pi/2 (phi_i the angle of d_i). Between two consecutive such
   critical angles the active set A is fixed and

   .. math:: g_k(t) = \sum_{i \in A} \lambda_i\, d_i \cdot u(t) = G_A \cdot u(t)
             = A_x \cos t + A_y \sin t, \qquad G_A = \sum_{i \in A} \lambda_i d_i .

   On an arc [a, c] (never longer than pi: the critical angles come in antipodal pairs) the
   largest |G . u| is ||G|| when +G or -G points into the arc (the derivative G . u'(t) changes
   sign on it, u' = (-sin t, cos t)), and otherwise the larger endpoint value. An endpoint is a
   direction orthogonal to some x_i - x_k: the wedge neuron through x_k and x_i. An interior
   maximum is the weight-decay neuron w = +-G / ||G|| through x_k alone.

Sorting the 2(n - 1) critical angles of each anchor and accumulating G by prefix sums visits every
arc: O(n log n) per anchor, O(n^2 log n) in all, against one cone program per chamber (O(n^2)
chambers) for the general chamber enumeration. Without a bias the origin is the only anchor
(d_i = x_i, O(n log n)).

**Round-off.** The sweep's decisions are made so that the returned ``bound`` is never below the
exact maximum of the data as given (floating-point X and lambda): an arc counts as holding +-G
when the derivative test passes within the error bound of G, in which case ||G|| (>= every value
on the arc) is used; and ``bound`` adds a rigorous bound on the error of the prefix sums that form
G (:func:`sweep_rounding`). Misordered critical angles (two angles equal to a few ulps) only
create arcs of a few ulps, on which the value moves by at most that many ulps of sum |lambda_i|
||d_i||, which the same allowance covers. The best neuron is then evaluated directly.

>>> import numpy as np
>>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
>>> sweep = angular_sweep(X, np.array([0.5, -0.5, -0.5, 0.5]), bias=True)
>>> round(sweep.bound, 6), round(float(np.abs(sweep.values[0])), 6)
(0.353553, 0.353553)
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..errors import InvalidInputError
from .duality import rounding_gamma

__all__ = ["AngularSweep", "angular_sweep", "sweep_rounding", "sweep_patterns"]

#: entries (anchors x events) per vectorized block: bounds the sweep's memory (~100 bytes each)
_BLOCK_ENTRIES = 1_000_000
_EPS = float(np.finfo(float).eps)


@dataclasses.dataclass(frozen=True)
class AngularSweep:
    r"""The result of :func:`angular_sweep`.

    Attributes
    ----------
    bound : an upper bound on max_{||w||_2 <= 1, b} |lambda . relu(X w + b)| (the exact maximum
        plus at most ``rounding``); 0 when no sample differs from an anchor.
    weights, biases, values : the ``n_best`` best candidate neurons (unit w), best first, and
        their signed values lambda . relu(X w + b) evaluated directly.
    anchors : the sample on each candidate's line (-1: the origin, without a bias).
    interior : whether the candidate is a weight-decay neuron (w = +-G/||G||, one sample on its
        line) rather than a wedge neuron (an arc endpoint: two samples on its line).
    arc_bounds : per candidate, the sweep's bound on its arc (``bound`` is the largest).
    rounding : the round-off allowance included in ``bound`` (module docstring).
    n_arcs : arcs visited (2n per anchor, counting the empty arcs of samples on the anchor).

    Examples
    --------
    >>> import numpy as np
    >>> sweep = angular_sweep(np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([1.0, -1.0]), bias=True)
    >>> sweep.n_arcs, round(sweep.bound, 12)  # 2n events per anchor (its own sample adds empty arcs)
    (8, 1.0)
    """

    bound: float
    weights: np.ndarray
    biases: np.ndarray
    values: np.ndarray
    anchors: np.ndarray
    interior: np.ndarray
    arc_bounds: np.ndarray
    rounding: float
    n_arcs: int


def sweep_rounding(n: int, magnitude: np.ndarray) -> np.ndarray:
    r"""The round-off allowance of one anchor's sweep: gamma_{4n+16} * 6 * sum_i |lambda_i| ||d_i||.

    G on an arc is a prefix sum over at most 2n events plus the n terms of the starting G, each
    term of magnitude |lambda_i| ||d_i|| and each sample entering twice at most: the error of each
    coordinate is below gamma_{3n} * 3 sum_i |lambda_i| ||d_i|| (sequential summation), hence
    sqrt(2) times that in norm; the dot products with unit vectors, the unit vectors themselves
    (a few ulps) and misordered angles (module docstring) add a few ulps of the same sum. Six times
    the sum with gamma_{4n+16} covers all of it with room.

    Examples
    --------
    >>> bool(sweep_rounding(10, np.array([1.0]))[0] < 1e-13)
    True
    """
    return rounding_gamma(4 * n + 16) * 6.0 * np.asarray(magnitude, dtype=float)


def _check(X, lam) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=float)
    lam = np.asarray(lam, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise InvalidInputError(f"the angular sweep needs samples in the plane (n, 2); got shape {X.shape}")
    if lam.shape != (X.shape[0],):
        raise InvalidInputError(f"the angular sweep needs one dual value per sample (shape ({X.shape[0]},)); "
                                f"got shape {lam.shape}: vector outputs have no exact weight-decay oracle")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(lam))):
        raise InvalidInputError("the angular sweep needs finite X and lambda")
    return X, lam


def _perp(v: np.ndarray) -> np.ndarray:
    """v rotated by +90 degrees: the derivative direction u'(t) at u(t) = v."""
    return np.stack([-v[..., 1], v[..., 0]], axis=-1)


def _block_arcs(D: np.ndarray, lam: np.ndarray):
    """All arcs of a block of anchors: D (k, n, 2) holds d_i = x_i - x_anchor.

    Returns per arc (k, 2n): the bound on |g| over the arc, the candidate direction, whether it is
    an interior maximum, and the rounding allowance per anchor (k,).
    """
    k, n, _ = D.shape
    r = np.hypot(D[..., 0], D[..., 1])
    live = r > 0
    # samples on the anchor (the anchor itself, duplicates) contribute nothing: a dummy direction
    # with weight 0 keeps the arrays rectangular and creates only arcs on which G does not change
    Dn = np.where(live[..., None], D, np.array([1.0, 0.0]))
    rn = np.where(live, r, 1.0)
    weight = np.where(live, lam[None, :], 0.0)
    contribution = weight[..., None] * Dn  # lambda_i d_i
    magnitude = np.sum(np.abs(weight) * rn, axis=1)  # sum_i |lambda_i| ||d_i|| per anchor
    rounding = sweep_rounding(n, magnitude)

    phi = np.arctan2(Dn[..., 1], Dn[..., 0])
    two_pi = 2.0 * np.pi
    enter = np.mod(phi - 0.5 * np.pi, two_pi)
    leave = np.mod(phi + 0.5 * np.pi, two_pi)
    enter = np.where(enter >= two_pi, enter - two_pi, enter)  # np.mod can round up to 2 pi
    leave = np.where(leave >= two_pi, leave - two_pi, leave)
    # unit directions at the events: at phi - pi/2 it is (d_y, -d_x)/|d|, at phi + pi/2 its negative
    u_enter = np.stack([Dn[..., 1], -Dn[..., 0]], axis=-1) / rn[..., None]
    # sample i is active just after angle 0 iff its active half circle (enter, leave) wraps past 0;
    # the same comparisons as the sorted events, so the bookkeeping is consistent in floating point
    start = np.sum(np.where((enter > leave)[..., None], contribution, 0.0), axis=1)  # (k, 2)

    angles = np.concatenate([enter, leave], axis=1)  # (k, 2n)
    units = np.concatenate([u_enter, -u_enter], axis=1)
    deltas = np.concatenate([contribution, -contribution], axis=1)
    order = np.argsort(angles, axis=1, kind="stable")
    units = np.take_along_axis(units, order[..., None], axis=1)
    deltas = np.take_along_axis(deltas, order[..., None], axis=1)
    G = start[:, None, :] + np.cumsum(deltas, axis=1)  # G on the arc after each event
    ua = units
    uc = np.roll(units, -1, axis=1)  # the arc after the last event wraps to the first
    va = np.sum(G * ua, axis=2)
    vc = np.sum(G * uc, axis=2)
    sa = np.sum(G * _perp(ua), axis=2)
    sc = np.sum(G * _perp(uc), axis=2)
    norm = np.hypot(G[..., 0], G[..., 1])
    # the derivative test, generous by the error bound of G (and a few ulps of ||G|| for the unit
    # vectors): a false "inside" only reports ||G||, which bounds every value on the arc anyway
    slack = rounding[:, None] + 8 * _EPS * norm
    inside_bound = ((sa >= -slack) & (sc <= slack)) | ((sa <= slack) & (sc >= -slack))
    endpoint = np.maximum(np.abs(va), np.abs(vc))
    bounds = np.where(inside_bound, norm, endpoint)
    # the candidate neuron: strictly inside (so that it lies on the arc whose pattern it has) on an
    # arc of positive turn (cross(ua, uc) > 0 or a half circle), else the better endpoint
    turn = ua[..., 0] * uc[..., 1] - ua[..., 1] * uc[..., 0]
    proper = (turn > 0) | (np.sum(ua * uc, axis=2) < 0)
    plus = proper & (sa >= 0) & (sc <= 0) & (norm > 0)
    minus = proper & (sa <= 0) & (sc >= 0) & (norm > 0) & ~plus
    safe = np.where(norm > 0, norm, 1.0)[..., None]
    direction = np.where((np.abs(va) >= np.abs(vc))[..., None], ua, uc)
    direction = np.where(plus[..., None], G / safe, direction)
    direction = np.where(minus[..., None], -G / safe, direction)
    return bounds, direction, plus | minus, rounding


def _blocks(n_anchors: int, n: int):
    size = max(1, _BLOCK_ENTRIES // max(2 * n, 1))
    for start in range(0, n_anchors, size):
        yield start, min(start + size, n_anchors)


def angular_sweep(X, lam, *, bias: bool = True, n_best: int = 1, one_per_anchor: bool = False) -> AngularSweep:
    r"""max_{||w||_2 <= 1, b} |lambda . relu(X w + b)| for samples in the plane (module docstring).

    Parameters
    ----------
    X : array_like, shape (n, 2)
        The samples.
    lam : array_like, shape (n,)
        The dual vector. With ``bias`` the maximum over b is taken at the samples' kinks, which
        is the maximum only when sum(lambda) = 0 (otherwise the free constant makes it infinite;
        the certificate checks that first).
    bias : bool
        Whether the neuron has a bias (anchors at the samples) or not (the origin).
    n_best : int
        How many candidate neurons to return (the best arcs, best first; column generation adds
        several per round).
    one_per_anchor : bool
        Take the candidates from different anchors (each anchor's best arc): neighbouring arcs of
        one anchor hold nearly the same neuron, so this spreads a batch over the plane.

    Returns
    -------
    AngularSweep

    Examples
    --------
    A single sample of weight 1 at distance 2 from the origin, no bias: the neuron relu(u . x)
    pointing at it.

    >>> import numpy as np
    >>> sweep = angular_sweep(np.array([[0.0, 2.0], [1.0, 0.0]]), np.array([1.0, 0.0]), bias=False)
    >>> sweep.weights[0].round(12).tolist(), round(float(sweep.values[0]), 12), bool(sweep.interior[0])
    ([0.0, 1.0], 2.0, True)
    """
    X, lam = _check(X, lam)
    if not (isinstance(n_best, (int, np.integer)) and n_best >= 1):
        raise InvalidInputError(f"n_best must be a positive integer, got {n_best!r}")
    n = X.shape[0]
    anchors = np.arange(n) if bias else np.array([-1])
    points = X if bias else np.zeros((1, 2))
    keep_b, keep_w, keep_i, keep_a, keep_anchor = [], [], [], [], []
    bound, rounding, n_arcs = 0.0, 0.0, 0
    for lo, hi in _blocks(len(anchors), n):
        D = X[None, :, :] - points[lo:hi, None, :]
        bounds, direction, interior, allowance = _block_arcs(D, lam)
        n_arcs += bounds.size
        bound = max(bound, float((bounds + allowance[:, None]).max(initial=0.0)))
        rounding = max(rounding, float(allowance.max(initial=0.0)))
        if one_per_anchor:
            rows = np.arange(len(bounds))
            cols = np.argmax(bounds, axis=1)
        else:
            flat = bounds.ravel()
            m = min(n_best, flat.size)
            top = np.argpartition(-flat, m - 1)[:m] if m < flat.size else np.arange(flat.size)
            rows, cols = np.unravel_index(top, bounds.shape)
        keep_b.append(bounds[rows, cols])
        keep_w.append(direction[rows, cols])
        keep_i.append(interior[rows, cols])
        keep_a.append(anchors[lo:hi][rows])
        keep_anchor.append(points[lo:hi][rows])
    arc_bounds = np.concatenate(keep_b)
    order = np.argsort(-arc_bounds, kind="stable")[:n_best]
    W = np.concatenate(keep_w)[order]
    at = np.concatenate(keep_anchor)[order]
    b = -np.sum(W * at, axis=1) if bias else np.zeros(len(W))
    values = np.maximum(X @ W.T + b, 0.0).T @ lam
    return AngularSweep(bound=bound, weights=W, biases=b, values=values, anchors=np.concatenate(keep_a)[order],
                        interior=np.concatenate(keep_i)[order], arc_bounds=arc_bounds[order], rounding=rounding,
                        n_arcs=int(n_arcs))


def sweep_patterns(X, weights: np.ndarray, biases: np.ndarray) -> np.ndarray:
    r"""The activation pattern D = {i : x_i . w + b > 0} of each neuron (rows), with the samples
    on its line (|x_i . w + b| within the rounding bound of the product, relative to the terms)
    counted inactive: the neuron then lies in the closed cone {(2D - I) X~ v >= 0} of its pattern,
    which is what the cone program of exact weight decay constrains.

    Examples
    --------
    >>> import numpy as np
    >>> sweep_patterns(np.array([[0.0, 0.0], [2.0, 0.0]]), np.array([[1.0, 0.0]]), np.array([-1.0]))
    array([[False,  True]])
    """
    X = np.asarray(X, dtype=float)
    pre = X @ weights.T + biases
    # a sample counts as on the line within 16 ulps of the magnitudes summed in x . w + b
    scale = np.abs(X) @ np.abs(weights).T + np.abs(biases)
    return (pre > 16 * _EPS * scale).T
