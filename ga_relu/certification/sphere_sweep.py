r"""The exact weight-decay oracle in 3-D: great-circle sweeps on the sphere, O(n^3 log n).

For the l2 penalty in d = 3 with one output the dual constraint asks for

.. math:: v^*(\lambda) = \max_{\|w\|_2 \le 1,\ b} \Big|\sum_i \lambda_i\, \mathrm{relu}(x_i \cdot w + b)\Big| .

The chamber oracle solves one cone program per activation pattern (~n^3 / 3 of them); here the
maximum is found by one-dimensional sweeps, each in closed form.

**Anchors.** f(w, b) = lambda . relu(X w + b) is positively homogeneous, so the maximum is at
||w|| = 1; for fixed w it is piecewise linear in b with kinks at b = -x_a . w, 0 below the smallest
and (sum(lambda) = 0, checked before the oracle) constant above the largest: the largest |f| is at a
kink, a sample x_a (the *anchor*) on the neuron's plane. With y_k = x_k - x_a,

.. math:: h_a(w) = f(w, -x_a \cdot w) = \sum_{k:\, y_k \cdot w > 0} \lambda_k\, y_k \cdot w ,

a function on the sphere S^2, linear on each region D of the central arrangement of the great
circles C_k = {w : y_k . w = 0}: h_a(w) = H_D . w with H_D = sum_{k in D} lambda_k y_k. Without a
bias the origin is the only anchor (y_k = x_k). The maximum of |h_a| over S^2 is attained

(a) **on a great circle** C_j, w = cos t p + sin t q ((p, q) orthonormal, orthogonal to
    u = y_j): each sample off the line L = {x_a + s u} adds lambda_k relu(r_k cos(t - phi_k)),
    (r_k, phi_k) the polar form of ((x_k - x_a) . p, (x_k - x_a) . q); between consecutive critical
    angles phi_k +- pi/2 the value is the sinusoid G . (cos t, sin t), whose largest |value| on
    the arc is ||G|| when +-G points into it and an endpoint otherwise (as in the plane,
    :mod:`ga_relu.convex.angular_sweep`). The planes through L serve the anchors a and j alike
    (b = -x_a . w = -x_j . w), so each pair of samples is swept once: the *pencil* (a, j); or

(b) **inside a region** D of some sphere, where the gradient vanishes on the sphere:
    w = +-H_D / ||H_D||, value ||H_D||. Every region is bounded by arcs of the circles (once there
    is one), and a region touching the arc A of C_j has the arc's pattern plus the samples on L on
    its side (y_k = c_k u: active on the side u . w > 0 iff c_k > 0). So each arc gives, per anchor
    of the pencil, two candidates H = H_A + sum_{k on L, side} lambda_k y_k (in the pencil's
    frame (p, q, u/|u|): the prefix sums of lambda_k (y_k . p, y_k . q, y_k . u/|u|)). ||H|| bounds
    the maximum over closure(D) of |H . w| from above; f evaluated at +-H/||H|| (O(n)) is a value
    attained by a neuron and equals ||H|| when that point lies in D. The sign is decided by the
    side: +H/||H|| lies on the side u . w > 0 only if H . u > 0.

Hence v* = max(circle maxima, candidates' attained values): candidates are ranked by their bound
||H|| and evaluated only while the bound exceeds the best value so far (bound first, exact after).

**Exactness in floating point.** The returned ``bound`` is a proved upper bound on v* for the data
as given, and the best neuron's value is attained (evaluated directly); they differ by round-off.

* Coordinates (x_k - x_a) . p are off by at most ~10 eps (|x_k| + |x_a|) (the products, and p, q
  orthogonal to u to a few eps). Samples with r_k <= FLAG_MARGIN * 32 u (|x_k| + |x_a|) (u = 2^-53,
  :data:`~ga_relu.convex.dictionary.FLAG_MARGIN` = 2^30) are decided in exact rationals
  (python-flint): exactly collinear ones (duplicates included) are put on L, the others get their
  projection from the exactly computed, rounded cross product u x y_k (accurate to a few eps). Every
  critical angle is then within 2^-30 rad of the true one.
* A sample misclassified at an angle within that error of its critical angle moves the value by at
  most ~4 eps |lambda_k| (|x_k| + |x_a|); with the prefix sums' error (gamma_{4n+16}, as in the
  plane) the allowance eps_r = (6 gamma_{4n+16} + 64 eps) sum_k |lambda_k| (|x_k| + max(|x_a|, |x_j|))
  of each pencil bounds the error of every circle value and of every ||H||.
* A region is missed only if each of its edges (at most n - 1) is shorter than twice the angle
  error, so every point of it is within n 2^-30 of its boundary; at a candidate the direction
  H/||H|| is off by alpha <= asin(eps_r / ||H||). On closure(D), h = H_D . w, so a point within alpha
  of w* = H_D / ||H_D|| has h >= ||H_D|| cos alpha: the maximum over a region whose w* is missed or
  near the boundary is at most (circle bound) / cos alpha, and at a confirmed candidate at most
  (|f| + eps_r) / cos alpha. ``bound`` is the largest of these (the factors are 1 + O(1e-14)).

>>> import numpy as np
>>> X = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
>>> sweep = sphere_sweep(X, np.array([1.0, -1.0, -1.0, 1.0]))
>>> round(sweep.value, 12), bool(0 <= sweep.bound - abs(sweep.value) < 1e-12)  # sqrt(3): w = (-1, -1, 1) / sqrt(3)
(1.732050807569, True)
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np

from ..convex.chambers import samples_on_hyperplane
from ..convex.dictionary import FLAG_MARGIN, describe_hyperplane, exact_translation
from ..convex.duality import rounding_gamma
from ..convex.sweep3d import _pencil_bases
from ..errors import InvalidInputError
from .oracles import BestNeuron, OracleResult, OracleSettings, register_oracle

__all__ = ["SphereSweep", "sphere_sweep", "SphereSweepOracle", "applies"]

#: sample slots (pencils x samples) per vectorized block: ~200 bytes each, a block stays ~50 MB
_BLOCK_SLOTS = 1 << 18
#: candidates evaluated per matrix product (n x chunk)
_EVALUATION_CHUNK = 512
#: the events (relative to an arc's first) whose samples screen the arc's regions' critical points
_NEIGHBOUR_EVENTS = (-1, 0, 1, 2)
#: circle arcs of each block whose neuron is evaluated (the best bounds; the bound needs none)
_CIRCLE_EVALUATED = 4
_EPS = float(np.finfo(float).eps)
_UNIT = 2.0**-53
#: the error of every critical angle kept from the float path (module docstring)
_ANGLE_ERROR = 1.0 / FLAG_MARGIN


@dataclasses.dataclass(frozen=True)
class SphereSweep:
    r"""The result of :func:`sphere_sweep`.

    Attributes
    ----------
    bound : a proved upper bound on max_{||w||_2 <= 1, b} |lambda . relu(X w + b)| (module docstring).
    value : the best neuron's signed value lambda . relu(X w + b), evaluated directly (0 when no
        sample differs from an anchor).
    weight, bias : the best neuron (unit w; None, 0.0 when ``value`` is 0 for lack of a plane).
    anchor : the sample on its plane the sweep put there (-1: the origin, without a bias).
    interior : whether it is a region's critical point w = +-H/||H|| (a weight-decay neuron) rather
        than a point of a circle (a plane through two samples).
    samples : the samples on its plane (to 1e-7, for the description).
    n_pencils, n_arcs, n_evaluated : pencils swept, arcs visited, candidates evaluated in O(n).
    n_exact : samples decided in exact rationals (nearly or exactly collinear with a pencil).
    candidate_weights, candidate_biases, candidate_values : with ``candidates=k``, up to k neurons
        (unit w, b, signed value evaluated directly) with |value| > ``above`` and distinct
        activation patterns, best first (each pencil's best circle arc and best region critical
        point per anchor and side); empty otherwise.
    candidate_patterns_off, candidate_patterns_on : their activation patterns {x . w + b > 0}
        with the samples on the plane (to 16 ulps of the terms) inactive, resp. active: the neuron
        lies in both closed cones (:func:`~ga_relu.convex.angular_sweep.sweep_patterns`).

    Examples
    --------
    >>> import numpy as np
    >>> sweep = sphere_sweep(np.array([[0.0, 0.0, 2.0], [1.0, 0.0, 0.0]]), np.array([1.0, 0.0]), bias=False)
    >>> sweep.weight.round(12).tolist(), round(sweep.value, 12), sweep.samples  # x_2 on its plane
    ([0.0, 0.0, 1.0], 2.0, (1,))
    """

    bound: float
    value: float
    weight: np.ndarray | None
    bias: float
    anchor: int
    interior: bool
    samples: tuple[int, ...]
    n_pencils: int
    n_arcs: int
    n_evaluated: int
    n_exact: int
    candidate_weights: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros((0, 3)))
    candidate_biases: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    candidate_values: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    candidate_patterns_off: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros((0, 0), bool))
    candidate_patterns_on: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros((0, 0), bool))


def _check(X, lam) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=float)
    lam = np.asarray(lam, dtype=float)
    if X.ndim != 2 or X.shape[1] != 3:
        raise InvalidInputError(f"the sphere sweep needs samples in R^3, shape (n, 3); got shape {X.shape}: use "
                                "the angular sweep in the plane or the chamber oracle in other dimensions")
    if lam.shape != (X.shape[0],):
        raise InvalidInputError(f"the sphere sweep needs one dual value per sample (shape ({X.shape[0]},)); got "
                                f"shape {lam.shape}: vector outputs have no exact weight-decay oracle")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(lam))):
        raise InvalidInputError("the sphere sweep needs finite X and lambda: remove or impute the non-finite entries")
    return X, lam


def _pencils(X: np.ndarray, bias: bool) -> tuple[np.ndarray, np.ndarray]:
    """(first, second) of every pencil: with a bias the pairs a < j of distinct samples (first = the
    anchor a, second = j, also an anchor); without, first = -1 (the origin) and every nonzero x_j."""
    if bias:
        a, j = np.triu_indices(len(X), k=1)
        distinct = np.any(X[a] != X[j], axis=1)  # identical samples: no line, exactly
        return a[distinct], j[distinct]
    j = np.flatnonzero(np.any(X != 0, axis=1))
    return np.full(len(j), -1, dtype=np.int64), j


def _exact_cross(origin: np.ndarray, x: np.ndarray, y: np.ndarray) -> list[Fraction]:
    """(x - origin) x (y - origin) in exact rationals at the floats' binary values (python-flint)."""
    import flint

    o, s, t = ([flint.fmpq(*float(v).as_integer_ratio()) for v in row] for row in (origin, x, y))
    u = [s[i] - o[i] for i in range(3)]
    v = [t[i] - o[i] for i in range(3)]
    c = (u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0])
    return [Fraction(int(e.p), int(e.q)) for e in c]


def _decide_flagged(X, anchor, u, p, q, rows, cols, second, a, b) -> None:
    """Samples nearly on a pencil's line, in place: exactly collinear ones get (a, b) = (0, 0) (on the
    line L), the others their projection from the exact cross product c = u x y_k, rounded:
    y_k's component orthogonal to u is (c x u) / |u|^2 (module docstring)."""
    for r, k in zip(rows.tolist(), cols.tolist()):
        c = _exact_cross(anchor[r], X[second[r]], X[k])
        if all(e == 0 for e in c):
            a[r, k] = b[r, k] = 0.0
            continue
        top = max(abs(e) for e in c)  # scaled by a power-free factor first: no overflow or underflow
        direction = np.array([float(e / top) for e in c])
        orthogonal = np.cross(direction, u[r]) * (float(top) / float(u[r] @ u[r]))
        a[r, k], b[r, k] = float(orthogonal @ p[r]), float(orthogonal @ q[r])


def _perp(v: np.ndarray) -> np.ndarray:
    """v rotated by +90 degrees: the derivative direction at the point v of a circle."""
    return np.stack([-v[..., 1], v[..., 0]], axis=-1)


@dataclasses.dataclass
class _Running:
    """The sweep's state across blocks: the circle bound C, the bound so far (a lower bound on the
    final one: every candidate whose bound is at most it can be dropped), the best attained value
    and its neuron, and the largest direction error alpha of an evaluated candidate."""

    circle: float = 0.0
    bound: float = 0.0
    best: float = -1.0
    neuron: tuple = (None, 0.0, 0.0, -1, False)  # (w, b, signed value, anchor, interior)
    alpha: float = 0.0
    n_evaluated: int = 0
    n_exact: int = 0

    def offer(self, X, lam, W, anchors, interior) -> np.ndarray:
        """Evaluate the neurons (unit rows of W, bias -x_anchor . w), keep the best; |values|."""
        at = np.where(anchors[:, None] >= 0, X[np.maximum(anchors, 0)], 0.0)
        biases = -np.sum(W * at, axis=1)
        values = np.maximum(X @ W.T + biases, 0.0).T @ lam
        self.n_evaluated += len(W)
        j = int(np.argmax(np.abs(values)))
        if abs(values[j]) > self.best:
            self.best = float(abs(values[j]))
            self.neuron = (W[j].copy(), float(biases[j]), float(values[j]), int(anchors[j]), bool(interior[j]))
        self.bound = max(self.bound, self.best)
        return np.abs(values)


@dataclasses.dataclass
class _Candidates:
    """Neurons gathered for column generation (``sphere_sweep(candidates=...)``): evaluated directly
    and kept when |value| > ``above``; separate from :class:`_Running`, so the bound is the same with
    or without them."""

    size: int
    above: float
    weights: list = dataclasses.field(default_factory=list)
    biases: list = dataclasses.field(default_factory=list)
    values: list = dataclasses.field(default_factory=list)

    def offer(self, X, lam, W, anchors) -> None:
        if not len(W):
            return
        at = np.where(anchors[:, None] >= 0, X[np.maximum(anchors, 0)], 0.0)
        biases = -np.sum(W * at, axis=1)
        values = np.maximum(X @ W.T + biases, 0.0).T @ lam
        keep = np.abs(values) > self.above
        self.weights.append(W[keep])
        self.biases.append(biases[keep])
        self.values.append(values[keep])

    def best(self, X) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(weights, biases, values, patterns off, patterns on): the ``size`` best by |value| with
        distinct patterns (samples on the plane off), best first."""
        from ..convex.angular_sweep import sweep_patterns

        if not self.weights:
            return np.zeros((0, 3)), np.zeros(0), np.zeros(0), np.zeros((0, len(X)), bool), np.zeros((0, len(X)), bool)
        W, b, v = np.vstack(self.weights), np.concatenate(self.biases), np.concatenate(self.values)
        order = np.argsort(-np.abs(v), kind="stable")
        W, b, v = W[order], b[order], v[order]
        off = sweep_patterns(X, W, b)
        _, first = np.unique(np.packbits(off, axis=1), axis=0, return_index=True)
        chosen = np.sort(first)[:self.size]
        W, b, v, off = W[chosen], b[chosen], v[chosen], off[chosen]
        return W, b, v, off, ~sweep_patterns(X, -W, -b)


def _sweep_block(X, xnorm, lam, first, second, bias, state: _Running, collect: _Candidates | None = None) -> int:
    """Sweep the pencils (first, second) (module docstring): update ``state`` with their circle
    bound and evaluate their candidates whose bound exceeds the bound so far. Returns arcs visited."""
    n = len(X)
    R = len(second)
    rows = np.arange(R)
    anchor = X[first] if bias else np.zeros((R, 3))
    u = X[second] - anchor
    p, q = _pencil_bases(u)
    unorm = np.linalg.norm(u, axis=1)
    uhat = u / unorm[:, None]
    # coordinates of x_k - x_a in the frame (p, q, uhat): x_k . p - x_a . p with x_a's own entry
    # taken from the same product, so it is exactly 0
    A, B, S = p @ X.T, q @ X.T, uhat @ X.T
    if bias:
        a = A - A[rows, first][:, None]
        b = B - B[rows, first][:, None]
        s = S - S[rows, first][:, None]
        s_second = S - S[rows, second][:, None]  # (x_k - x_j) . uhat: the frame of anchor j
    else:
        a, b, s, s_second = A, B, S, None
    a[rows, second] = b[rows, second] = 0.0  # x_j is on L by definition
    anchor_norm = xnorm[first] if bias else np.zeros(R)
    # nearly collinear samples go to the exact decision (module docstring); squared, so that an
    # underflow only flags more
    limit = FLAG_MARGIN * 32 * _UNIT * (xnorm[None, :] + anchor_norm[:, None])
    flagged = (a * a + b * b <= limit * limit)
    flagged[rows, second] = False
    if bias:
        flagged[rows, first] = False
    fr, fc = np.nonzero(flagged)
    if len(fr):
        state.n_exact += len(fr)
        _decide_flagged(X, anchor, u, p, q, fr, fc, second, a, b)
    on_line = (a == 0.0) & (b == 0.0)
    live = ~on_line

    # the rounding allowance of each pencil (module docstring)
    reach = np.maximum(anchor_norm, xnorm[second]) if bias else np.zeros(R)
    magnitude = np.abs(lam) @ xnorm + np.abs(lam).sum() * reach
    allowance = (6.0 * rounding_gamma(4 * n + 16) + 64 * _EPS) * magnitude

    # events: sample k is active on the half circle (phi_k - pi/2, phi_k + pi/2); samples on L get a
    # dummy direction with weight 0 (rectangular arrays, arcs on which nothing changes)
    an = np.where(live, a, 1.0)
    bn = np.where(live, b, 0.0)
    rn = np.hypot(an, bn)
    weight = np.where(live, lam[None, :], 0.0)
    phi = np.arctan2(bn, an)
    two_pi = 2.0 * np.pi
    enter = np.mod(phi - 0.5 * np.pi, two_pi)
    leave = np.mod(phi + 0.5 * np.pi, two_pi)
    enter = np.where(enter >= two_pi, enter - two_pi, enter)  # np.mod can round up to 2 pi
    leave = np.where(leave >= two_pi, leave - two_pi, leave)
    u_enter = np.stack([bn, -an], axis=-1) / rn[..., None]
    frame = [a, b, s] + ([s_second] if bias else [])
    channels = np.stack(frame, axis=-1) * weight[..., None]  # lambda_k y_k in the frame, 0 on L
    start = np.sum(np.where((enter > leave)[..., None], channels, 0.0), axis=1)  # active just after t = 0
    order = np.argsort(np.concatenate([enter, leave], axis=1), axis=1)  # ties: arcs of length 0
    units = np.take_along_axis(np.concatenate([u_enter, -u_enter], axis=1), order[..., None], axis=1)
    deltas = np.take_along_axis(np.concatenate([channels, -channels], axis=1), order[..., None], axis=1)
    G = start[:, None, :] + np.cumsum(deltas, axis=1)  # the sums on the arc after each event
    del deltas, channels

    # (a) the circles: the sinusoid G . u(t) on each arc, as in the plane
    G2 = G[..., :2]
    ua, uc = units, np.roll(units, -1, axis=1)
    va, vc = np.sum(G2 * ua, axis=2), np.sum(G2 * uc, axis=2)
    sa, sc = np.sum(G2 * _perp(ua), axis=2), np.sum(G2 * _perp(uc), axis=2)
    planar = np.hypot(G2[..., 0], G2[..., 1])
    # the derivative test, generous by the allowance: a false "inside" only reports ||G||, which
    # bounds every value on the arc anyway
    slack = allowance[:, None] + 8 * _EPS * planar
    inside = ((sa >= -slack) & (sc <= slack)) | ((sa <= slack) & (sc >= -slack))
    arc_bound = np.where(inside, planar, np.maximum(np.abs(va), np.abs(vc)))
    state.circle = max(state.circle, float((arc_bound + allowance[:, None]).max(initial=0.0)))
    state.bound = max(state.bound, state.circle)
    arcs = (ua, uc, G2, planar, va, vc, sa, sc, p, q)
    # the best arcs' neurons: +-G/||G|| strictly inside an arc of positive turn, else the better end
    flat = arc_bound.ravel()
    m = min(_CIRCLE_EVALUATED, flat.size)
    top = np.argpartition(-flat, m - 1)[:m]
    r_top, e_top = np.unravel_index(top, arc_bound.shape)
    W = _arc_neurons(arcs, r_top, e_top)
    state.offer(X, lam, W, first[r_top] if bias else np.full(m, -1), np.zeros(m, dtype=bool))
    if collect is not None:  # each pencil's best arc above the threshold (the bound does not use them)
        best_event = np.argmax(arc_bound, axis=1)
        r_best = np.flatnonzero(arc_bound[rows, best_event] + allowance > collect.above)
        r_best = r_best[np.argsort(-arc_bound[r_best, best_event[r_best]], kind="stable")[:collect.size]]
        collect.offer(X, lam, _arc_neurons(arcs, r_best, best_event[r_best]), first[r_best] if bias
                      else np.full(len(r_best), -1))

    # (b) the regions: per arc and anchor the candidates H = (A, B, S + side sum), side +1 / -1
    side_sums, anchors, sides = [], [], []
    for column, owner in ((s, first), (s_second, second)) if bias else ((s, first),):
        contribution = np.where(on_line, lam[None, :] * column, 0.0)
        side_sums += [np.sum(np.where(column > 0, contribution, 0.0), axis=1),
                      np.sum(np.where(column < 0, contribution, 0.0), axis=1)]
        anchors += [owner, owner]
        sides += [1.0, -1.0]
    # a region next to the arc is a face of the arrangement: one side of every circle, the side the
    # arc's samples are on (the sorted events' parity, as G is summed); samples of the events next
    # to the arc cut off most critical points of other regions in O(1) each
    position = np.empty_like(order)
    np.put_along_axis(position, order, np.arange(2 * n)[None, :], axis=1)
    started = (enter > leave) & live
    for kind, (side_sum, owner, side) in enumerate(zip(side_sums, anchors, sides)):
        Hs = G[..., 2 + kind // 2] + side_sum[:, None]
        norms = np.hypot(planar, Hs)
        # bound first: ||H|| + eps_r bounds the region's maximum; only those above the bound so far
        kr, ke = np.nonzero(norms + allowance[:, None] > state.bound)
        if not len(kr):
            continue
        tests = _neighbour_sides(order, position, started, live, kr, ke, n)
        W, owners, bounds, rho, eps = _screen(X, G[kr, ke, 0], G[kr, ke, 1], Hs[kr, ke], p[kr], q[kr], uhat[kr],
                                              owner[kr], side, allowance[kr], tests, state)
        rank = np.argsort(-bounds, kind="stable")
        for lo in range(0, len(rank), _EVALUATION_CHUNK):
            chunk = rank[lo : lo + _EVALUATION_CHUNK]
            chunk = chunk[bounds[chunk] > state.bound]
            if not len(chunk):
                break
            values = state.offer(X, lam, W[chunk], owners[chunk], np.ones(len(chunk), dtype=bool))
            cos_alpha = np.sqrt(1.0 - rho[chunk] ** 2)
            state.alpha = max(state.alpha, float(np.arcsin(rho[chunk]).max()))
            state.bound = max(state.bound, float(((values + eps[chunk]) / cos_alpha).max()))
    if collect is not None:
        _collect_regions(X, lam, G, planar, side_sums, anchors, sides, order, position, started, live, p, q, uhat,
                         allowance, collect)
    return R * 2 * n


def _neighbour_sides(order, position, started, live, kr, ke, n: int) -> list:
    """For the arcs (pencil kr, event ke): the samples of the events bordering each arc
    (:data:`_NEIGHBOUR_EVENTS`) and the side of their circle the arc's region lies on (+1 active,
    -1 inactive, 0 on the pencil's line), read from the same event parity that builds G (n samples,
    2n events per pencil)."""
    tests = []
    for shift in _NEIGHBOUR_EVENTS:
        k = order[kr, (ke + shift) % (2 * n)] % n
        active = started[kr, k] ^ (position[kr, k] <= ke) ^ (position[kr, n + k] <= ke)
        tests.append((k, np.where(live[kr, k], np.where(active, 1.0, -1.0), 0.0)))
    return tests


def _collect_regions(X, lam, G, planar, side_sums, anchors, sides, order, position, started, live, p, q, uhat,
                     allowance, collect: _Candidates) -> None:
    """Each pencil's region critical point of largest ||H|| above the threshold, per kind (anchor and
    side), screened as in the sweep but on a scratch state, and the ``collect.size`` best of them by
    ||H|| evaluated into ``collect``. Nothing here enters the sweep's bound."""
    n = X.shape[0]
    scratch = _Running()
    for kind, (side_sum, owner, side) in enumerate(zip(side_sums, anchors, sides)):
        Hs = G[..., 2 + kind // 2] + side_sum[:, None]
        norms = np.hypot(planar, Hs)
        ke = np.argmax(norms, axis=1)
        kr = np.flatnonzero(norms[np.arange(len(ke)), ke] + allowance > collect.above)
        if not len(kr):
            continue
        kr = kr[np.argsort(-norms[kr, ke[kr]], kind="stable")[:collect.size]]
        ke = ke[kr]
        tests = _neighbour_sides(order, position, started, live, kr, ke, n)
        W, owners, bounds, _, _ = _screen(X, G[kr, ke, 0], G[kr, ke, 1], Hs[kr, ke], p[kr], q[kr], uhat[kr],
                                          owner[kr], side, allowance[kr], tests, scratch)
        chosen = np.argsort(-bounds, kind="stable")[:collect.size]
        collect.offer(X, lam, W[chosen], owners[chosen])


def _arc_neurons(arcs, r_top, e_top) -> np.ndarray:
    """The unit neurons of the arcs (r_top, e_top): +-G/||G|| strictly inside an arc of positive
    turn (where the circle's sinusoid peaks), else the arc's end with the larger |value|."""
    ua, uc, G2, planar, va, vc, sa, sc, p, q = arcs
    ga, gc = ua[r_top, e_top], uc[r_top, e_top]
    g = G2[r_top, e_top]
    turn = ga[:, 0] * gc[:, 1] - ga[:, 1] * gc[:, 0]
    proper = ((turn > 0) | (np.sum(ga * gc, axis=1) < 0)) & (planar[r_top, e_top] > 0)
    plus = proper & (sa[r_top, e_top] >= 0) & (sc[r_top, e_top] <= 0)
    minus = proper & (sa[r_top, e_top] <= 0) & (sc[r_top, e_top] >= 0) & ~plus
    safe = np.where(planar[r_top, e_top] > 0, planar[r_top, e_top], 1.0)[:, None]
    d2 = np.where((np.abs(va[r_top, e_top]) >= np.abs(vc[r_top, e_top]))[:, None], ga, gc)
    d2 = np.where(plus[:, None], g / safe, np.where(minus[:, None], -g / safe, d2))
    W = d2[:, :1] * p[r_top] + d2[:, 1:] * q[r_top]
    return W / np.linalg.norm(W, axis=1, keepdims=True)


def _screen(X, GA, GB, Hs, p, q, uhat, owners, side, eps_r, tests, state: _Running):
    """The critical points +-H/||H||, H = GA p + GB q + Hs uhat, of regions on ``side`` of their
    circle that can lie in their region: (unit w, anchor, bound ||H|| + eps_r, rho = eps_r / ||H||,
    eps_r) of each.

    A sign is dropped only when its point is provably on the wrong side of the circle (side * Hs
    beyond eps_r, the error of H) or of one of the circles in ``tests`` ((k, s) pairs: s y_k . w > 0
    in the region, s = 0 for no condition), beyond the error of y_k . H: then the region's maximum
    of that sign is on its boundary, which the circle bound covers. An H shorter than 2 eps_r has no
    reliable direction: its region's maximum, at most ||H|| + eps_r, goes into the bound directly."""
    H = GA[:, None] * p + GB[:, None] * q + Hs[:, None] * uhat
    norm = np.linalg.norm(H, axis=1)
    tiny = norm <= 2 * eps_r
    if tiny.any():
        state.bound = max(state.bound, float((norm[tiny] + eps_r[tiny]).max()))
        big = ~tiny
        H, norm, Hs, owners, eps_r = H[big], norm[big], Hs[big], owners[big], eps_r[big]
        tests = [(k[big], s[big]) for k, s in tests]
    at = np.where(owners[:, None] >= 0, X[np.maximum(owners, 0)], 0.0)
    # tilt = s y_k . H with its error bound: |y_k| eps_r from H, 8 eps |y_k| ||H|| from y_k's float
    # difference and the products
    tilts = [(side * Hs, eps_r)]
    for k, s in tests:
        y = X[k] - at
        tilts.append((s * np.einsum("ij,ij->i", y, H), np.linalg.norm(y, axis=1) * (eps_r + 8 * _EPS * norm)))
    keep = []
    for direction in (1.0, -1.0):
        use = np.ones(len(H), dtype=bool)
        for tilt, error in tilts:
            use &= direction * tilt >= -error  # dropped only when provably on the wrong side
        keep.append((direction, np.flatnonzero(use)))
    W = np.concatenate([direction * H[i] / norm[i, None] for direction, i in keep])
    rows = np.concatenate([i for _, i in keep])
    return W, owners[rows], norm[rows] + eps_r[rows], eps_r[rows] / norm[rows], eps_r[rows]


def sphere_sweep(X, lam, *, bias: bool = True, candidates: int = 0, above: float = 0.0) -> SphereSweep:
    r"""max_{||w||_2 <= 1, b} |lambda . relu(X w + b)| for samples in R^3 (module docstring).

    Parameters
    ----------
    X : array_like, shape (n, 3)
        The samples.
    lam : array_like, shape (n,)
        The dual vector. With ``bias`` the maximum over b is taken at the samples' kinks, which is
        the maximum only when sum(lambda) = 0 (otherwise the free constant makes it infinite; the
        certificate checks that first).
    bias : bool
        Whether the neuron has a bias (anchors at the samples, a pencil per pair) or not (the
        origin, a pencil per sample).
    candidates : int
        Also return up to this many neurons with |value| > ``above`` and distinct activation
        patterns (``candidate_*``; column generation's new patterns): each pencil's best circle arc
        and best region critical point and the best neuron, evaluated directly, the best first. They are gathered
        beside the sweep (extra work, at most ``candidates`` evaluations per block and kind) and
        change neither ``bound`` nor the best neuron. 0: none.
    above : float
        The threshold on |value| for the candidates (column generation passes beta).

    Returns
    -------
    SphereSweep

    Examples
    --------
    Weights 2 and -1 on two orthogonal samples, no bias: the best neuron points at the first.

    >>> import numpy as np
    >>> sweep = sphere_sweep(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), np.array([2.0, -1.0]), bias=False)
    >>> sweep.weight.round(12).tolist(), round(sweep.value, 12)
    ([1.0, 0.0, 0.0], 2.0)
    """
    X, lam = _check(X, lam)
    if isinstance(candidates, bool) or not isinstance(candidates, (int, np.integer)) or candidates < 0:
        raise InvalidInputError(f"candidates must be an integer >= 0 (0: none), got {candidates!r}")
    if isinstance(above, bool) or not isinstance(above, (int, float)) or not above >= 0:
        raise InvalidInputError(f"above must be a number >= 0 (the threshold on |value|), got {above!r}")
    # far from the origin, the samples shifted exactly (Sterbenz; the same planes, b = b' - c . w):
    # the round-off allowance grows with |x|, so this is what keeps the bound tight there
    origin = exact_translation(X, bias)
    if origin is not None:
        X = X - origin
    n = len(X)
    xnorm = np.linalg.norm(X, axis=1)
    first, second = _pencils(X, bias)
    state = _Running()
    collect = _Candidates(int(candidates), float(above)) if candidates else None
    n_arcs = 0
    per_block = max(1, _BLOCK_SLOTS // max(n, 1))
    for lo in range(0, len(second), per_block):
        n_arcs += _sweep_block(X, xnorm, lam, first[lo : lo + per_block], second[lo : lo + per_block], bias, state,
                               collect)
    # regions missed (edges shorter than twice the angle error) or with w* near their boundary:
    # within alpha of a boundary point, where h >= ||H|| cos(alpha) (module docstring)
    alpha = min(max(n * _ANGLE_ERROR, state.alpha), 0.5 * np.pi)
    bound = max(state.bound, state.circle / math.cos(alpha)) if len(second) else 0.0
    w, b, value, anchor, interior = state.neuron
    samples = samples_on_hyperplane(X, w, b) if w is not None else ()
    found = {}
    if collect is not None:
        if w is not None:  # the sweep's best neuron is a candidate too
            collect.offer(X, lam, w[None, :], np.array([anchor]))
        names = ("weights", "biases", "values", "patterns_off", "patterns_on")
        found = {f"candidate_{name}": array for name, array in zip(names, collect.best(X))}
    if origin is not None:  # back to the data's own frame
        b = b - float(origin @ w) if w is not None else b
        if found:
            found["candidate_biases"] = found["candidate_biases"] - found["candidate_weights"] @ origin
    return SphereSweep(bound=float(bound), value=float(value), weight=w, bias=float(b), anchor=anchor,
                       interior=interior, samples=samples, n_pencils=len(second), n_arcs=int(n_arcs),
                       n_evaluated=state.n_evaluated, n_exact=state.n_exact, **found)


def applies(problem) -> bool:
    """Whether the sphere sweep solves ``problem``'s dual constraint exactly: weight decay (p = 2),
    d = 3, one output.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> applies(Problem(np.eye(3), [1.0, 0.0, 0.0], beta=0.1, penalty="l2")), applies(Problem(np.eye(3), [1.0, 0.0, 0.0], beta=0.1))
    (True, False)
    """
    return problem.penalty.p == 2 and problem.d == 3 and problem.n_outputs == 1


class SphereSweepOracle:
    r"""Exact maximum for weight decay in 3-D (one output) by great-circle sweeps (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> X = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    >>> problem = Problem(X, [0.0, 1.0, 1.0, 0.0], beta=0.1, penalty="l2")
    >>> result = SphereSweepOracle(OracleSettings())(problem, np.array([0.5, -0.5, -0.5, 0.5]))
    >>> round(result.value, 6), result.exhaustive, result.best.source
    (0.866025, True, 'sphere_sweep')
    """

    name, exhaustive = "sphere_sweep", True

    def __init__(self, settings: OracleSettings):
        self.settings = settings

    def __call__(self, problem, lam: np.ndarray) -> OracleResult:
        if not applies(problem):
            raise InvalidInputError(
                "the sphere-sweep oracle solves weight decay (penalty='l2') in d = 3 with one output; got "
                f"penalty={problem.penalty.name!r}, d={problem.d}, {problem.n_outputs} output(s): use the "
                "'chambers' or 'vertices' oracle (exhaustive='auto' chooses)")
        sweep = sphere_sweep(problem.X, np.asarray(lam, dtype=float), bias=problem.bias)
        method = (f"sphere sweep over {sweep.n_pencils:,} pencils of planes, {sweep.n_arcs:,} arcs, closed form per "
                  f"arc and region ({sweep.n_evaluated:,} regions' critical points evaluated, {sweep.n_exact:,} "
                  "near-collinear samples decided exactly; exact up to the round-off allowance included)")
        if sweep.weight is None:
            return OracleResult(0.0, None, True, sweep.n_arcs, method)
        k = 3 if problem.bias else 2
        text = describe_hyperplane(sweep.samples, (), d=3, bias=problem.bias, sign=1)
        if len(sweep.samples) < k:
            text += f" (a weight-decay neuron: fewer than {k} samples on its plane)"
        neuron = BestNeuron(weight=sweep.weight, bias=sweep.bias, value=sweep.value,
                            output_sign=int(np.sign(sweep.value)) or 1, samples=sweep.samples,
                            source="sphere_sweep", description=text)
        # the bound, not the attained value: it is >= the exact maximum (module docstring)
        return OracleResult(max(sweep.bound, abs(sweep.value)), neuron, True, sweep.n_arcs, method)


register_oracle("sphere_sweep", SphereSweepOracle)
