r"""The exact pricing problem of the l1 penalty as a mixed-integer linear program (HiGHS).

For a dual vector lambda (one entry per sample) the dual constraint of problem (P) with the l1
penalty asks for

.. math::

    v^\star(\lambda) = \max_{\|w\|_1 \le 1,\ b} \Big|\sum_i \lambda_i \,\mathrm{relu}(x_i \cdot w + b)\Big|,

the largest of the two one-sided maxima max sigma lambda . relu(Xw + b), sigma = +-1. Enumerating
the C(n + d, d) vertices that hold the maximum is out of reach beyond a few dimensions; a
branch-and-bound search over the activation patterns is not. One side is the MILP

.. math::

    \max\ \sum_i \sigma\lambda_i s_i \quad\text{s.t.}\quad
    \begin{cases}
    s_i \le x_i\cdot w + b + M_i (1 - a_i),\ \ s_i \le M_i a_i,\ a_i \in \{0, 1\}
        & \sigma\lambda_i > 0,\\
    s_i \ge x_i\cdot w + b & \sigma\lambda_i < 0,
    \end{cases}
    \qquad s \ge 0,\ w = w^+ - w^-,\ \textstyle\sum_k (w_k^+ + w_k^-) \le 1 .

Why it is exact. For sigma lambda_i > 0 the two constraints allow at most relu(x_i . w + b)
(a_i = 1 allows x_i . w + b, which must then be >= s_i >= 0; a_i = 0 forces s_i = 0); for
sigma lambda_i < 0 the objective pushes s_i down onto its lower bound max(0, x_i . w + b). So the
MILP's value is the one-sided maximum once the big-M constants are valid bounds on |x_i . w + b|.

The bounds. With a bias, translate the data to the midrange c of each coordinate and divide by
R = max_i ||x_i - c||_inf (a translation is absorbed by b, a scale by the value), so that
||x_i'||_inf <= 1. For ||w||_1 <= 1, |x_i' . w| <= 1; a bias b' > 1 makes every sample active and
lambda . relu(X'w + b') = lambda . (X'w) + b' sum(lambda) is then the value at b' = 1 when
sum(lambda) = 0, and b' < -1 makes every sample inactive (value 0, as at b' = -1). So |b'| <= 1
loses nothing and M_i = ||x_i'||_inf + 1 <= 2 bounds |x_i' . w + b'|. (When sum(lambda) != 0 the
maximum over the box is what is computed; the unbounded direction is the certificate's constant
neuron, and moving sum(lambda) onto one sample changes the box maximum by at most |sum(lambda)|
times max relu <= 2R, the ``dual_shift_radius`` of :mod:`ga_relu.convex.duality`.) Without a bias,
b = 0 and only the scale R = max_i ||x_i||_inf is taken out. lambda is divided by ||lambda||_1 so
that the objective lies in [0, 2] and HiGHS's absolute tolerances mean the same on every data set.

What HiGHS returns. The incumbent (a feasible neuron, so a lower bound) and the dual bound of the
branch and bound (an upper bound on the maximum, to HiGHS's feasibility and integrality tolerances,
which only relax the constraints and so can only raise it). With a time limit, or a relative MIP
gap left open, the maximum is known to lie between the two: :attr:`MilpPricing.exhaustive` is True
only when both sides were solved to ``mip_rel_gap``.

Polishing to a vertex. On the closure of one chamber (fixed activation pattern A) the value is the
linear function g_A . (w, b), g_A = sum_{i in A} lambda_i (x_i, 1), so its maximum over the chamber
times the l1 ball is at a vertex of that polytope: ||w||_1 = 1 and d (k = d - 1 without a bias)
independent tight constraints x_i . w + b = 0 (samples) or w_k = 0 (basis vectors e_k, lifted to
(e_k, 0)). :func:`polish_to_vertex` solves that linear program (HiGHS simplex, a basic solution),
reads the tight samples and basis vectors, keeps an independent set of them, and rebuilds the
neuron from that vertex subset with :func:`ga_relu.convex.dictionary.build_columns`, the very
column the vertex dictionary holds. So the most violating neuron is named by samples and basis
vectors, as a wedge formula, and its value is evaluated on the original data.

>>> import numpy as np
>>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
>>> result = milp_max_dual(X, np.array([0.5, -0.5, -0.5, 0.5]), bias=True)
>>> round(result.value, 9), result.exhaustive, result.best.subset
(0.25, True, (1, 2))
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time
import warnings

import numpy as np

from ..errors import DegenerateDataError, InvalidInputError, SolverError

__all__ = ["VertexNeuron", "MilpSide", "MilpPricing", "milp_max_dual", "polish_to_vertex", "vertex_value",
           "heuristic_vertices", "price_with_milp", "DEFAULT_TIME_LIMIT", "DEFAULT_MIP_GAP"]

#: seconds each one-sided MILP may take (``time_limit=``; certify's ``milp_time_limit=``)
DEFAULT_TIME_LIMIT = 120.0
#: relative MIP gap at which HiGHS stops: far below any certificate tolerance (1e-4 by default), so
#: the upper bound costs the certificate nothing, and above HiGHS's own tolerances (~1e-9) so that
#: the search terminates
DEFAULT_MIP_GAP = 1e-8


@dataclasses.dataclass(frozen=True)
class VertexNeuron:
    """A neuron relu(w . x + b), ||w||_1 = 1, through a vertex subset of samples and basis vectors.

    Attributes
    ----------
    subset : sorted vertex indices (samples 0..n-1, basis vector e_k as n + k), the dictionary's key.
    samples, basis : the same, split (0-based sample and basis indices).
    weight, bias : the neuron (rebuilt from the subset by ``build_columns``; ``orientation`` applied).
    orientation : +1 or -1, the sign of the dictionary column relu(+-(X w_S + b_S)) it is.
    value : lambda . relu(X w + b), evaluated on the original data.

    >>> VertexNeuron((0, 3), (0,), (1,), np.array([1.0, 0.0]), 0.0, 1, 0.5).samples
    (0,)
    """

    subset: tuple[int, ...]
    samples: tuple[int, ...]
    basis: tuple[int, ...]
    weight: np.ndarray
    bias: float
    orientation: int
    value: float


@dataclasses.dataclass(frozen=True)
class MilpSide:
    """One one-sided MILP, max sigma lambda . relu(Xw + b), in the original units.

    Attributes
    ----------
    sign : sigma.
    lower : the incumbent's value (a feasible neuron), 0 when HiGHS found none.
    upper : HiGHS's dual bound (the maximum is at most this).
    status : "optimal" (closed to the MIP gap), "time limit", or HiGHS's message.
    mip_gap : (upper - lower) / upper, as HiGHS reports it.
    nodes, seconds : branch-and-bound nodes and wall time.
    point : the incumbent (w, b) in the original units, None when there is none.

    >>> MilpSide(1, 1.0, 1.0, "optimal", 0.0, 1, 0.1, None).solved
    True
    """

    sign: int
    lower: float
    upper: float
    status: str
    mip_gap: float
    nodes: int
    seconds: float
    point: tuple[np.ndarray, float] | None

    @property
    def solved(self) -> bool:
        """Whether the branch and bound closed to the requested gap."""
        return self.status == "optimal"


@dataclasses.dataclass(frozen=True)
class MilpPricing:
    """max_{||w||_1 <= 1, b} |lambda . relu(Xw + b)| between two bounds, and the neurons found.

    Attributes
    ----------
    value : the best polished vertex neuron's |lambda . relu(Xw + b)| (attained: a lower bound).
    upper : an upper bound on the maximum: HiGHS's dual bounds, never below ``value``.
    exhaustive : both sides solved to ``mip_rel_gap``: ``upper`` is the maximum to that gap.
    mip_gap : (upper - value) / upper (0 when both are 0).
    time_limit : the limit per side, seconds.
    sides : the two :class:`MilpSide` (sigma = +1, -1).
    vertices : the polished vertex neurons, best |value| first (at most one per side).
    seconds : wall time in all.

    >>> MilpPricing(0.0, 0.0, True, 0.0, 1.0, (), (), 0.0).best is None
    True
    """

    value: float
    upper: float
    exhaustive: bool
    mip_gap: float
    time_limit: float
    sides: tuple[MilpSide, ...]
    vertices: tuple[VertexNeuron, ...]
    seconds: float

    @property
    def best(self) -> VertexNeuron | None:
        """The most violating vertex neuron found (None for lambda = 0)."""
        return self.vertices[0] if self.vertices else None

    @property
    def nodes(self) -> int:
        """Branch-and-bound nodes of both sides."""
        return sum(side.nodes for side in self.sides)

    def describe(self) -> str:
        """The bounds and the MIP gap in words."""
        limit = "" if self.exhaustive else f", stopped by the time limit of {self.time_limit:g} s per side"
        return (f"MILP (HiGHS branch and bound, {self.nodes:,} nodes, {self.seconds:.2f} s): max in "
                f"[{self.value:.10g}, {self.upper:.10g}], MIP gap {self.mip_gap:.2g}{limit}")


# ---------------------------------------------------------------------------------------------
# checks and scaling
# ---------------------------------------------------------------------------------------------


def _checked(X, lam, bias: bool) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=float)
    lam = np.asarray(lam, dtype=float)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise InvalidInputError(f"X must be a non-empty (n, d) array, got shape {X.shape}")
    if lam.shape != (X.shape[0],):
        raise InvalidInputError(f"the MILP pricing takes one dual entry per sample (one output): lambda has shape "
                                f"{lam.shape}, X has {X.shape[0]} samples; vector outputs (T5) need the vertex oracle")
    if not np.all(np.isfinite(lam)):
        raise InvalidInputError("lambda has NaN or infinite entries, so the pricing MILP is not defined; check the "
                                "network's predictions and the targets for NaN or overflow")
    if not np.all(np.isfinite(X)):
        raise InvalidInputError("X has NaN or infinite entries; the pricing MILP needs finite data")
    return X, lam


def _frame(X: np.ndarray, bias: bool) -> tuple[np.ndarray, float]:
    """(center c, scale R) with ||(x_i - c) / R||_inf <= 1 (module docstring); c = 0 without a bias."""
    center = 0.5 * (X.max(axis=0) + X.min(axis=0)) if bias else np.zeros(X.shape[1])
    scale = float(np.abs(X - center).max())
    if not scale > 0:
        what = "all samples are identical" if bias else "every sample is 0"
        raise DegenerateDataError(f"{what}: every neuron is constant on the data (the data range has zero width), "
                                  "so the pricing MILP has no bounded formulation; drop constant data")
    return center, scale


# ---------------------------------------------------------------------------------------------
# one side
# ---------------------------------------------------------------------------------------------


def _one_side(Xs: np.ndarray, lam_s: np.ndarray, bias: bool, time_limit: float, mip_rel_gap: float,
              verbose: bool):
    """max lambda_s . relu(Xs w + b) by HiGHS in the scaled frame: (lower, upper, status, gap, nodes, (w, b))."""
    from scipy.optimize import LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n, d = Xs.shape
    pos = np.flatnonzero(lam_s > 0)
    neg = np.flatnonzero(lam_s < 0)
    if len(pos) == 0:  # every term is <= 0: the zero neuron is optimal
        return 0.0, 0.0, "optimal", 0.0, 0, (np.zeros(d), -1.0 if bias else 0.0)
    used = np.concatenate([pos, neg])
    m_pos, m = len(pos), len(used)
    # columns: w+ (d), w- (d), b (1 or 0), s (m), a (m_pos)
    nb = 1 if bias else 0
    col_s, col_a = 2 * d + nb, 2 * d + nb + m
    n_col = col_a + m_pos
    big = np.abs(Xs[used]).max(axis=1) + (1.0 if bias else 0.0)  # M_i >= |x_i . w + b|
    rows, cols, vals, lo, hi = [], [], [], [], []

    def add_row(entries, lower, upper):
        r = len(lo)
        for c, v in entries:
            rows.append(r)
            cols.append(c)
            vals.append(v)
        lo.append(lower)
        hi.append(upper)

    for t, i in enumerate(used):
        pre = [(k, Xs[i, k]) for k in range(d) if Xs[i, k] != 0] + \
              [(d + k, -Xs[i, k]) for k in range(d) if Xs[i, k] != 0] + ([(2 * d, 1.0)] if bias else [])
        if t < m_pos:
            # s_i - x_i.w - b + M a_i <= M   and   s_i - M a_i <= 0
            add_row([(col_s + t, 1.0)] + [(c, -v) for c, v in pre] + [(col_a + t, big[t])], -np.inf, big[t])
            add_row([(col_s + t, 1.0), (col_a + t, -big[t])], -np.inf, 0.0)
        else:
            # x_i.w + b - s_i <= 0
            add_row(pre + [(col_s + t, -1.0)], -np.inf, 0.0)
    add_row([(k, 1.0) for k in range(2 * d)], -np.inf, 1.0)  # ||w||_1 <= 1
    A = coo_matrix((vals, (rows, cols)), shape=(len(lo), n_col)).tocsr()
    cost = np.zeros(n_col)
    cost[col_s : col_s + m] = -lam_s[used]  # milp minimizes
    lower = np.zeros(n_col)
    upper = np.concatenate([np.ones(2 * d), np.ones(nb), big, np.ones(m_pos)])
    if bias:
        lower[2 * d] = -1.0  # |b'| <= 1 loses nothing (module docstring)
    integrality = np.zeros(n_col)
    integrality[col_a:] = 1
    from scipy.optimize import Bounds

    # mip_abs_gap: HiGHS's default 1e-6 would stop early on small lambda; the objective is scaled to
    # [0, 2], so the relative gap alone decides (scipy passes the option to HiGHS verbatim)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Unrecognized options", category=RuntimeWarning)
        res = milp(cost, integrality=integrality, bounds=Bounds(lower, upper),
                   constraints=LinearConstraint(A, lo, hi),
                   options={"time_limit": float(time_limit), "mip_rel_gap": float(mip_rel_gap), "disp": bool(verbose),
                            "mip_abs_gap": 0.0})
    if res.status in (2, 3):  # cannot happen for the model above (s = 0, w = 0 is feasible, all bounded)
        raise SolverError(f"HiGHS reports the pricing MILP {res.message!r}; this formulation is always feasible and "
                          "bounded, so the data or lambda are not what they seem (NaN, overflow)")
    if res.status == 4 or res.mip_dual_bound is None:
        raise SolverError(f"HiGHS failed on the pricing MILP: {res.message}; rescale X to unit scale")
    status = "optimal" if res.status == 0 else ("time limit" if "time" in str(res.message).lower() else
                                               str(res.message))
    upper_bound = -float(res.mip_dual_bound)
    if res.x is None:
        return 0.0, max(upper_bound, 0.0), status, 1.0, int(res.mip_node_count or 0), None
    x = res.x
    w = x[:d] - x[d : 2 * d]
    b = float(x[2 * d]) if bias else 0.0
    return (-float(res.fun), max(upper_bound, -float(res.fun)), status, float(res.mip_gap or 0.0),
            int(res.mip_node_count or 0), (w, b))


# ---------------------------------------------------------------------------------------------
# polishing
# ---------------------------------------------------------------------------------------------


def vertex_value(X: np.ndarray, lam: np.ndarray, subsets: np.ndarray, bias: bool):
    """For vertex subsets: (kept subsets, w, b, values of relu(+(Xw + b)), values of relu(-(Xw + b))).

    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> kept, w, b, plus, minus = vertex_value(X, np.array([0.5, -0.5, -0.5, 0.5]), np.array([[0, 5]]), True)
    >>> w.tolist(), plus.tolist(), minus.tolist()  # the line x1 = 0 through x_1 and parallel to e_2
    ([[-1.0, -0.0]], [0.0], [0.0])
    """
    from .dictionary import build_columns

    kept, W, b, _ = build_columns(X, np.asarray(subsets, dtype=np.intp), "l1", bias)
    P = X @ W.T + b
    return kept, W, b, lam @ np.maximum(P, 0.0), lam @ np.maximum(-P, 0.0)


def _independent_tight(Xs: np.ndarray, w: np.ndarray, b: float, bias: bool, k: int) -> list[int] | None:
    """An independent set of k tight vertices at (w, b) in the scaled frame (samples i, basis n + j),
    the tightest first; None when fewer than k independent ones are tight."""
    n, d = Xs.shape
    # tight relative to the terms summed (|x_i| . |w| + |b| <= 2 in the scaled frame) at the
    # simplex's feasibility tolerance ~1e-9: well above round-off, well below any real distance
    pre = np.abs(Xs @ w + b)
    scale_s = np.abs(Xs) @ np.abs(w) + abs(b) + 1e-300
    cand = [(pre[i] / scale_s[i], i) for i in range(n) if pre[i] <= 1e-7 * scale_s[i]]
    cand += [(abs(w[j]), n + j) for j in range(d) if abs(w[j]) <= 1e-9]
    cand.sort()
    lifted = np.hstack([Xs, np.ones((n, 1))]) if bias else Xs
    basis_rows = np.hstack([np.eye(d), np.zeros((d, 1))]) if bias else np.eye(d)
    chosen, rows = [], np.zeros((0, lifted.shape[1]))
    for _, v in cand:
        if len(chosen) == k:
            break
        row = lifted[v] if v < n else basis_rows[v - n]
        trial = np.vstack([rows, row])
        if np.linalg.matrix_rank(trial, tol=1e-9 * max(1.0, np.abs(trial).max())) == len(trial):
            chosen.append(v)
            rows = trial
    return sorted(chosen) if len(chosen) == k else None


def _chamber_lp(Xs: np.ndarray, lam_s: np.ndarray, active: np.ndarray, bias: bool):
    """max g_A . (w, b) over the closure of the chamber of ``active`` and ||w||_1 <= 1, |b| <= 1
    (scaled frame), by the dual simplex: a basic solution (w, b), or None."""
    from scipy.optimize import linprog

    n, d = Xs.shape
    g = lam_s[active] @ Xs[active]
    gb = float(lam_s[active].sum())
    nb = 1 if bias else 0
    cost = -np.concatenate([g, -g, [gb] if bias else []])
    sign = np.where(active, -1.0, 1.0)  # active: -(x.w + b) <= 0; inactive: x.w + b <= 0
    A = np.hstack([sign[:, None] * Xs, -sign[:, None] * Xs] + ([sign[:, None]] if bias else []))
    A = np.vstack([A, np.concatenate([np.ones(2 * d), np.zeros(nb)])])
    rhs = np.concatenate([np.zeros(n), [1.0]])
    bounds = [(0, None)] * (2 * d) + ([(-1.0, 1.0)] if bias else [])
    res = linprog(cost, A_ub=A, b_ub=rhs, bounds=bounds, method="highs-ds")
    if res.status != 0:
        return None
    return res.x[:d] - res.x[d : 2 * d], (float(res.x[2 * d]) if bias else 0.0)


def polish_to_vertex(X: np.ndarray, lam: np.ndarray, w: np.ndarray, b: float, *, bias: bool,
                     sign: int = 1) -> VertexNeuron | None:
    """The vertex neuron at least as good (for sigma lambda) as (w, b) on its chamber (module docstring).

    The linear program of (w, b)'s activation pattern is solved in the scaled frame; its basic
    solution's tight samples and basis vectors give a vertex subset, rebuilt by ``build_columns``
    on the original X and evaluated there. None when no independent vertex subset is tight (then
    the caller keeps the MILP's own point).

    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> neuron = polish_to_vertex(X, np.array([0.5, -0.5, -0.5, 0.5]), np.array([-0.6, -0.4]), 0.3, bias=True)
    >>> neuron.subset, neuron.value  # relu(0.3 - 0.6 x1 - 0.4 x2) is active on x_1 only: at best 0.25
    ((1, 2), 0.25)
    """
    X, lam = _checked(X, lam, bias)
    n, d = X.shape
    center, scale = _frame(X, bias)
    Xs = (X - center) / scale
    w = np.asarray(w, dtype=float)
    bs = (b + float(center @ w)) / scale if bias else 0.0
    lam_s = sign * lam
    norm1 = float(np.abs(w).sum())
    if norm1 == 0:
        return None
    active = Xs @ w + bs > 0
    if sign * lam[active].sum() == 0 and not active.any():
        return None
    solved = _chamber_lp(Xs, lam_s / max(np.abs(lam).sum(), np.finfo(float).tiny), active, bias)
    if solved is None:
        return None
    wv, bv = solved
    if bias and active.all():  # b free upwards: lower it until a sample is on the hyperplane
        bv = -float((Xs @ wv).min())
    k = d if bias else d - 1
    tight = _independent_tight(Xs, wv, bv, bias, k)
    if tight is None:
        return None
    kept, W, B, plus, minus = vertex_value(X, lam, np.array([tight]), bias)
    if len(kept) == 0:
        return None
    orientation = 1 if sign * plus[0] >= sign * minus[0] else -1
    value = float(plus[0] if orientation == 1 else minus[0])
    samples = tuple(int(v) for v in kept[0] if v < n)
    basis = tuple(int(v) - n for v in kept[0] if v >= n)
    return VertexNeuron(tuple(int(v) for v in kept[0]), samples, basis, orientation * W[0],
                        float(orientation * B[0]), orientation, value)


# ---------------------------------------------------------------------------------------------
# both sides
# ---------------------------------------------------------------------------------------------


def milp_max_dual(X, lam, *, bias: bool, time_limit: float = DEFAULT_TIME_LIMIT,
                  mip_rel_gap: float = DEFAULT_MIP_GAP, verbose: bool = False) -> MilpPricing:
    r"""max_{||w||_1 <= 1, b} |lambda . relu(Xw + b)| by two MILPs (module docstring), polished to vertices.

    Parameters
    ----------
    X : (n, d) data; lam : (n,) dual vector (one output).
    bias : whether neurons have a bias (hyperplanes through d lifted vertices, else d - 1).
    time_limit : seconds per side; a side that hits it leaves the maximum between its incumbent
        and its dual bound (``exhaustive`` False).
    mip_rel_gap : relative gap at which HiGHS stops.
    verbose : HiGHS's log on the terminal.

    Returns
    -------
    MilpPricing

    Raises
    ------
    InvalidInputError : lambda with NaN/inf, or not one entry per sample; bad options.
    DegenerateDataError : a zero-width data range (every neuron constant on the data).
    SolverError : HiGHS fails.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> result = milp_max_dual(X, np.array([-0.5, 0.5, -0.5, 0.5]), bias=True)
    >>> round(result.upper, 9), result.best.samples
    (1.0, (0,))
    """
    start = time.perf_counter()
    X, lam = _checked(X, lam, bias)
    if not (isinstance(time_limit, (int, float)) and time_limit > 0 and math.isfinite(time_limit)):
        raise InvalidInputError(f"milp_time_limit must be a positive number of seconds, got {time_limit!r}")
    if not (isinstance(mip_rel_gap, (int, float)) and 0 <= mip_rel_gap < 1):
        raise InvalidInputError(f"mip_rel_gap must be in [0, 1), got {mip_rel_gap!r}")
    center, scale = _frame(X, bias)
    size = float(np.abs(lam).sum())
    if size == 0:
        return MilpPricing(0.0, 0.0, True, 0.0, float(time_limit), (), (), time.perf_counter() - start)
    Xs = (X - center) / scale
    unit = scale * size  # value(original) = unit * value(scaled frame, lambda / ||lambda||_1)
    sides, vertices = [], []
    for sign in (1, -1):
        t0 = time.perf_counter()
        lower, upper, status, gap, nodes, point = _one_side(Xs, sign * lam / size, bias, time_limit, mip_rel_gap,
                                                            verbose)
        original = None
        if point is not None:
            w, bs = point
            original = (w, (bs * scale - float(center @ w)) if bias else 0.0)
            neuron = polish_to_vertex(X, lam, original[0], original[1], bias=bias, sign=sign)
            if neuron is not None and sign * neuron.value > 0:
                vertices.append(neuron)
        sides.append(MilpSide(sign, lower * unit, upper * unit, status, gap, nodes, time.perf_counter() - t0,
                              original))
    vertices.sort(key=lambda v: -abs(v.value))
    value = abs(vertices[0].value) if vertices else 0.0
    upper = max(max(side.upper for side in sides), value)
    exhaustive = all(side.solved for side in sides)
    gap = (upper - value) / upper if upper > 0 else 0.0
    return MilpPricing(value, upper, exhaustive, gap, float(time_limit), tuple(sides), tuple(vertices),
                       time.perf_counter() - start)


# ---------------------------------------------------------------------------------------------
# heuristics (column generation prices with these first)
# ---------------------------------------------------------------------------------------------


def heuristic_vertices(X, lam, *, bias: bool, start: np.ndarray | None = None, n_random: int = 2000,
                       n_starts: int = 5, rng: np.random.Generator | None = None):
    """Vertex subsets with large |lambda . relu(+-(X w_S + b_S))|, by random subsets and local search.

    Local search: from the ``n_starts`` best subsets (and the rows of ``start``), swap one vertex
    for every other vertex (k (n + d) neighbours), keep the best, repeat while it improves. A lower
    bound only: column generation calls the MILP when this finds no violation.

    Returns ``(subsets, scores)``: distinct subsets and their max(|plus|, |minus|), best first.

    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> subsets, scores = heuristic_vertices(X, np.array([0.5, -0.5, -0.5, 0.5]), bias=True,
    ...                                      rng=np.random.default_rng(0))
    >>> float(scores[0])
    0.25
    """
    from .dictionary import n_candidate_subsets, sample_subsets, subset_size

    X, lam = _checked(X, lam, bias)
    n, d = X.shape
    k = subset_size(d, bias)
    rng = np.random.default_rng(0) if rng is None else rng
    n_vertices = n + d
    if k == 0:
        kept, _, _, plus, minus = vertex_value(X, lam, np.zeros((1, 0), dtype=np.intp), bias)
        return kept, np.maximum(np.abs(plus), np.abs(minus))
    count = int(min(n_random, n_candidate_subsets(n, d, "l1", bias)))
    subsets = sample_subsets(n_vertices, k, count, rng)
    if start is not None and len(start):
        subsets = np.vstack([subsets, np.sort(np.asarray(start, dtype=np.intp), axis=1)])
    kept, _, _, plus, minus = vertex_value(X, lam, subsets, bias)
    scores = np.maximum(np.abs(plus), np.abs(minus))
    seen = {tuple(s): float(v) for s, v in zip(kept.tolist(), scores)}
    order = np.argsort(-scores)[:n_starts]
    starts = [tuple(kept[j]) for j in order]
    if start is not None:
        starts += [tuple(sorted(int(v) for v in row)) for row in np.asarray(start)]
    for current in dict.fromkeys(starts):
        best = seen.get(current, -1.0)
        for _ in range(20):  # a few improving swaps; each round prices k (n + d) neighbours
            neighbours = {tuple(sorted(current[:p] + (v,) + current[p + 1 :]))
                          for p, v in itertools.product(range(k), range(n_vertices)) if v not in current}
            neighbours = np.array(sorted(neighbours), dtype=np.intp).reshape(-1, k)
            nk, _, _, p2, m2 = vertex_value(X, lam, neighbours, bias)
            if not len(nk):
                break
            s2 = np.maximum(np.abs(p2), np.abs(m2))
            for s, v in zip(nk.tolist(), s2):
                seen[tuple(s)] = float(v)
            j = int(np.argmax(s2))
            if s2[j] <= best:
                break
            current, best = tuple(int(v) for v in nk[j]), float(s2[j])
    items = sorted(seen.items(), key=lambda item: -item[1])
    return (np.array([s for s, _ in items], dtype=np.intp).reshape(-1, k), np.array([v for _, v in items]))


# ---------------------------------------------------------------------------------------------
# one pricing round of column generation
# ---------------------------------------------------------------------------------------------


def price_with_milp(X, lam, beta: float, *, bias: bool, top: int, tol: float, is_new, verbose: bool = False,
                    time_limit: float = DEFAULT_TIME_LIMIT, n_random: int = 2000) -> dict:
    """One pricing round for column generation with the l1 penalty: heuristics first, the MILP last.

    With ``top > 0`` (a round that wants new columns) random vertex subsets and local search
    (:func:`heuristic_vertices`) are priced first; when they find subsets that ``is_new`` accepts
    (outside the working set) with ratio > 1 + tol, those are returned with their largest ratio, a
    LOWER bound above 1 + tol, so the round adds columns and certifies nothing. Otherwise (and
    always with ``top = 0``) the MILP runs: the ratio returned is its UPPER bound / beta, so
    ``ratio <= 1 + tol`` certifies the restricted optimum over the whole vertex dictionary (and,
    for l1, problem (P)), and its polished vertices are the new columns.

    Returns the fields of ``ga_relu.convex.colgen.Pricing`` as a dict (this module sits below
    colgen). Raises :class:`~ga_relu.errors.TimeLimitError` when the MILP stops at its time limit
    with neither a certificate nor a violating vertex.

    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> fields = price_with_milp(X, np.array([0.5, -0.5, -0.5, 0.5]), 1.0, bias=True, top=0, tol=1e-6,
    ...                          is_new=lambda s: np.ones(len(s), bool))
    >>> round(fields["ratio"], 9), fields["method"]
    (0.25, 'milp')
    """
    import zlib

    from ..errors import TimeLimitError

    start = time.perf_counter()
    X, lam = _checked(X, lam, bias)
    k = X.shape[1] - (0 if bias else 1)
    threshold = 1.0 + tol
    empty = np.zeros((0, k), dtype=np.intp)
    subsets, scores, n_priced = empty, np.zeros(0), 0

    def fields(ratio, new_subsets, new_scores, method, n_violating):
        _, first = np.unique(new_subsets, axis=0, return_index=True)  # a polished vertex may repeat one
        new_subsets, new_scores = new_subsets[first], new_scores[first]
        order = np.argsort(-new_scores, kind="stable")[: max(int(top), 0)]
        return {"ratio": float(ratio), "new_ratio": float(new_scores.max(initial=0.0)),
                "subsets": new_subsets[order], "scores": new_scores[order], "n_priced": int(n_priced),
                "n_degenerate": 0, "n_violating": int(n_violating), "seconds": time.perf_counter() - start,
                "method": method}

    if top > 0:
        rng = np.random.default_rng(zlib.crc32(np.ascontiguousarray(lam).tobytes()))  # reproducible per lambda
        subsets, scores = heuristic_vertices(X, lam, bias=bias, n_random=n_random, rng=rng)
        scores = scores / beta
        n_priced = len(scores)
        fresh = is_new(subsets) & (scores > threshold) if len(scores) else np.zeros(0, bool)
        if fresh.any():
            return fields(scores.max(), subsets[fresh], scores[fresh], "milp (heuristic round)",
                          int(fresh.sum()))
    found = milp_max_dual(X, lam, bias=bias, time_limit=time_limit, verbose=verbose)
    if found.vertices:
        extra = np.array([v.subset for v in found.vertices], dtype=np.intp).reshape(-1, k)
        subsets = np.vstack([subsets, extra])
        scores = np.concatenate([scores, [abs(v.value) / beta for v in found.vertices]])
    n_priced += len(found.vertices)
    fresh = is_new(subsets) & (scores > threshold) if len(scores) else np.zeros(0, bool)
    ratio = found.upper / beta
    if not found.exhaustive and ratio > threshold and not fresh.any():
        raise TimeLimitError(
            f"the pricing MILP stopped at its time limit ({time_limit:g} s per side) with the dual ratio in "
            f"[{found.value / beta:.8g}, {ratio:.8g}] and no violating vertex found, so column generation can "
            "neither certify nor improve; raise ga_relu.convex.milp_pricing.DEFAULT_TIME_LIMIT, or accept the "
            "fit as an upper bound with fit(..., subsets=k) and ga_relu.certification.sampled.sampled_gap()")
    return fields(ratio, subsets[fresh], scores[fresh], "milp", int(fresh.sum()))
