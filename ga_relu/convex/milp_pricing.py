r"""The exact pricing problem of the l1 penalty as a mixed-integer linear program (HiGHS), and
weight decay's (l2) between proved bounds by outer approximation.

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

Cutoff. Column generation does not need the maximum: it needs to know whether it is at most
c = beta (1 + tol), and if not, some neurons above c. With a cutoff the model gets the objective
row sigma lambda . s >= c. Every neuron of value > c satisfies it (its exact s does), so: when
HiGHS proves the model infeasible, no neuron exceeds c and c is an upper bound on the side's
maximum; when it stops with a dual bound D (closed gap, time limit, or after ``stop_after``
improving incumbents), every neuron is either below c or in the model, so max(D, c) is an upper
bound. Either way the reported ``upper`` is a bound that holds, never the incumbent. HiGHS's
tolerances relax the model (a row or an integrality violated by its mip_feasibility_tolerance,
1e-6, still counts feasible), so they can only make it feasible where it is not, i.e. raise the
bound, never lower it. Each
incumbent above the cutoff is a violating neuron; all of them (HiGHS's saved improving
solutions) are polished to vertices, so one MILP round adds several columns. A warm start
(``starts``) seeds HiGHS's incumbent, so only nodes whose bound beats it are searched; it changes
the work, not the bound.

Polishing to a vertex. On the closure of one chamber (fixed activation pattern A) the value is the
linear function g_A . (w, b), g_A = sum_{i in A} lambda_i (x_i, 1), so its maximum over the chamber
times the l1 ball is at a vertex of that polytope: ||w||_1 = 1 and d (k = d - 1 without a bias)
independent tight constraints x_i . w + b = 0 (samples) or w_k = 0 (basis vectors e_k, lifted to
(e_k, 0)). :func:`polish_to_vertex` solves that linear program (HiGHS simplex, a basic solution),
reads the tight samples and basis vectors, keeps an independent set of them, and rebuilds the
neuron from that vertex subset with :func:`ga_relu.convex.dictionary.build_columns`, the very
column the vertex dictionary holds. So the most violating neuron is named by samples and basis
vectors, as a wedge formula, and its value is evaluated on the original data.

Weight decay. For ||w||_2 <= 1 the same model runs over a polytope Q containing the ball (the box,
||w||_1 <= sqrt(d), and tangent cuts a . w <= 1 with ||a||_2 = 1), in the frame ||x_i'||_2 <= 1,
with the ball's big-M constants ||x_i'||_2 + 1: its bound is an upper bound on the ball's
maximum, its rounded incumbents w / ||w||_2 are feasible neurons, and cuts at the incumbents
outside the ball and at the maxima of their chambers' faces close the gap
(:func:`milp_max_dual_l2`).

Time limits. Each side has ``time_limit`` seconds; with a ``deadline`` (column generation's own
``time_limit``) each side's limit is also capped by the time left, so a pricing round never runs
a whole MILP past the run's limit.

>>> import numpy as np
>>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
>>> result = milp_max_dual(X, np.array([0.5, -0.5, -0.5, 0.5]), bias=True)
>>> round(result.value, 9), result.exhaustive, result.best.subset
(0.25, True, (1, 2))
"""

from __future__ import annotations

import dataclasses
import math
import time
import warnings

import numpy as np

from ..errors import DegenerateDataError, InvalidInputError, SolverError

__all__ = ["VertexNeuron", "MilpSide", "MilpPricing", "milp_max_dual", "polish_to_vertex", "vertex_value",
           "heuristic_vertices", "price_with_milp", "DEFAULT_TIME_LIMIT", "DEFAULT_MIP_GAP", "L2Side",
           "L2MilpPricing", "milp_max_dual_l2", "DEFAULT_CUT_ROUNDS", "DEFAULT_L2_GAP"]

#: seconds each one-sided MILP may take (``time_limit=``; certify's ``milp_time_limit=``)
DEFAULT_TIME_LIMIT = 120.0
#: the shortest limit a MILP side is given when a deadline leaves it less (HiGHS needs a positive one)
MIN_SIDE_SECONDS = 1e-3
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
        """Whether the branch and bound closed to the requested gap, or proved no neuron above the cutoff."""
        return self.status.startswith("optimal")


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
    vertices : the polished vertex neurons (every incumbent's, distinct), best |value| first.
    seconds : wall time in all.
    cutoff : the cutoff searched above (None: the exact maximum). With a cutoff, ``upper`` is a
        proved bound but at least the cutoff, and ``exhaustive`` says only that both sides finished.

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
    cutoff: float | None = None

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
        limit = "" if self.exhaustive else (
            f", stopped ({'; '.join(side.status for side in self.sides if not side.solved)}; time limit "
            f"{self.time_limit:g} s per side)")
        cut = "" if self.cutoff is None else f", searched above the cutoff {self.cutoff:.10g}"
        return (f"MILP (HiGHS branch and bound, {self.nodes:,} nodes, {self.seconds:.2f} s): max in "
                f"[{self.value:.10g}, {self.upper:.10g}], MIP gap {self.mip_gap:.2g}{cut}{limit}")


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


def _frame(X: np.ndarray, bias: bool, norm: float = np.inf) -> tuple[np.ndarray, float]:
    """(center c, scale R) with ||(x_i - c) / R||_norm <= 1 (module docstring); c = 0 without a bias.
    ``norm``: the dual norm of the weight ball (inf for the l1 ball, 2 for the l2 ball), so that
    |x_i' . w| <= 1 on the ball and |b'| <= 1 loses nothing."""
    center = 0.5 * (X.max(axis=0) + X.min(axis=0)) if bias else np.zeros(X.shape[1])
    scale = float(np.linalg.norm(X - center, ord=norm, axis=1).max())
    if not scale > 0:
        what = "all samples are identical" if bias else "every sample is 0"
        raise DegenerateDataError(f"{what}: every neuron is constant on the data (the data range has zero width), "
                                  "so the pricing MILP has no bounded formulation; drop constant data")
    return center, scale


# ---------------------------------------------------------------------------------------------
# one side
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class _SideSolve:
    """What one side's branch and bound returns, in the scaled frame (value of lambda_s . relu)."""

    lower: float  # the best incumbent's value (0: none)
    upper: float  # a proved upper bound on the side's maximum (module docstring, "Cutoff")
    status: str
    mip_gap: float
    nodes: int
    points: list  # incumbents (w, b), best first
    backend: str


@dataclasses.dataclass(frozen=True)
class _WeightRegion:
    r"""The weights the MILP ranges over, in the scaled frame: the polytope

    .. math:: \{w : \|w\|_\infty \le 1,\ \|w\|_1 \le r,\ a_k \cdot w \le 1\},

    written on w = w+ - w-, 0 <= w+-, <= 1, sum(w+ + w-) <= r, a_k . (w+ - w-) <= 1 (every w of the
    polytope has such a split, and every split's w lies in it), and the big-M constants ``big``
    (one per sample) bounding |x_i . w + b| on the ball the polytope stands for.

    Attributes
    ----------
    l1_radius : r (1 for the l1 ball; sqrt(d) for the l2 ball, whose points have ||w||_1 <= sqrt(d)).
    cuts : (k, d) rows a_k (none for the l1 ball).
    big : (n,) M_i >= max |x_i . w + b| over the ball and |b| <= 1.
    """

    l1_radius: float
    cuts: np.ndarray
    big: np.ndarray

    def contains(self, w: np.ndarray) -> bool:
        """Whether w satisfies the region's rows, to 1e-12 relative to the right-hand sides (1 and r;
        HiGHS accepts a start within its feasibility tolerance 1e-7 anyway)."""
        slack = 1.0 + 1e-12
        return bool(np.abs(w).max(initial=0.0) <= slack and np.abs(w).sum() <= self.l1_radius * slack
                    and np.all(self.cuts @ w <= slack))


def _l1_region(Xs: np.ndarray, bias: bool) -> _WeightRegion:
    """The l1 ball: r = 1, no cuts, M_i = ||x_i||_inf + 1 (module docstring, "The bounds")."""
    return _WeightRegion(1.0, np.zeros((0, Xs.shape[1])), np.abs(Xs).max(axis=1) + (1.0 if bias else 0.0))


def _side_model(Xs: np.ndarray, lam_s: np.ndarray, bias: bool, cutoff: float | None,
                region: _WeightRegion | None = None):
    """The one-sided MILP as arrays (module docstring): (cost, A (csc), row lo, row hi, col lo, col hi,
    integrality, layout), with the objective row lambda_s . s >= cutoff appended when a cutoff is given.
    ``region``: the weights (:class:`_WeightRegion`; the l1 ball by default)."""
    from scipy.sparse import coo_matrix

    n, d = Xs.shape
    region = _l1_region(Xs, bias) if region is None else region
    pos = np.flatnonzero(lam_s > 0)
    neg = np.flatnonzero(lam_s < 0)
    used = np.concatenate([pos, neg])
    m_pos, m = len(pos), len(used)
    # columns: w+ (d), w- (d), b (1 or 0), s (m), a (m_pos)
    nb = 1 if bias else 0
    col_s, col_a = 2 * d + nb, 2 * d + nb + m
    n_col = col_a + m_pos
    big = region.big[used]  # M_i >= |x_i . w + b|
    rows, cols, vals, lo, hi = [], [], [], [], []

    def add_row(entries, lower, upper):
        r = len(lo)
        for c, v in entries:
            rows.append(r)
            cols.append(c)
            vals.append(v)
        lo.append(lower)
        hi.append(upper)

    def on_w(a):  # a . w = a . w+ - a . w-
        return [(k, a[k]) for k in range(d) if a[k] != 0] + [(d + k, -a[k]) for k in range(d) if a[k] != 0]

    for t, i in enumerate(used):
        pre = on_w(Xs[i]) + ([(2 * d, 1.0)] if bias else [])
        if t < m_pos:
            # s_i - x_i.w - b + M a_i <= M   and   s_i - M a_i <= 0
            add_row([(col_s + t, 1.0)] + [(c, -v) for c, v in pre] + [(col_a + t, big[t])], -np.inf, big[t])
            add_row([(col_s + t, 1.0), (col_a + t, -big[t])], -np.inf, 0.0)
        else:
            # x_i.w + b - s_i <= 0
            add_row(pre + [(col_s + t, -1.0)], -np.inf, 0.0)
    add_row([(k, 1.0) for k in range(2 * d)], -np.inf, region.l1_radius)  # ||w||_1 <= r
    for a in region.cuts:
        add_row(on_w(a), -np.inf, 1.0)
    if cutoff is not None:  # the objective row: only neurons above the cutoff are feasible; divided by the
        # cutoff so that HiGHS's absolute feasibility tolerance (1e-6 in a MIP) is relative to it
        add_row([(col_s + t, float(lam_s[i]) / cutoff) for t, i in enumerate(used)], 1.0, np.inf)
    A = coo_matrix((vals, (rows, cols)), shape=(len(lo), n_col)).tocsc()
    cost = np.zeros(n_col)
    cost[col_s : col_s + m] = -lam_s[used]  # HiGHS minimizes
    lower = np.zeros(n_col)
    upper = np.concatenate([np.ones(2 * d), np.ones(nb), big, np.ones(m_pos)])
    if bias:
        lower[2 * d] = -1.0  # |b'| <= 1 loses nothing (module docstring)
    integrality = np.zeros(n_col)
    integrality[col_a:] = 1
    return cost, A, np.array(lo), np.array(hi), lower, upper, integrality, (used, m_pos, col_s, col_a)


def _start_vector(Xs, point, bias, layout, n_col, region: _WeightRegion):
    """The MILP's variables at a neuron (w, b) of the scaled frame (a warm start): s_i = relu(x_i . w + b),
    a_i = [x_i . w + b > 0]; None when w is outside ``region`` or |b| > 1 (outside the model's box)."""
    used, m_pos, col_s, col_a = layout
    w, b = point
    d = Xs.shape[1]
    if not region.contains(w) or abs(b) > 1.0:
        return None
    x = np.zeros(n_col)
    x[:d], x[d : 2 * d] = np.maximum(w, 0.0), np.maximum(-w, 0.0)
    if bias:
        x[2 * d] = b
    pre = Xs[used] @ w + b
    x[col_s : col_s + len(used)] = np.maximum(pre, 0.0)
    x[col_a:] = pre[:m_pos] > 0
    return x


def _one_side(Xs: np.ndarray, lam_s: np.ndarray, bias: bool, time_limit: float, mip_rel_gap: float,
              verbose: bool, *, cutoff: float | None = None, stop_after: int | None = None, start=None,
              threads: int | None = None, region: _WeightRegion | None = None) -> _SideSolve:
    """max lambda_s . relu(Xs w + b) by HiGHS in the scaled frame (module docstring, "Cutoff" for
    ``cutoff`` and ``stop_after``; ``start``: a neuron (w, b) to start from; ``threads``: HiGHS's;
    ``region``: the weights, the l1 ball by default)."""
    n, d = Xs.shape
    if not np.any(lam_s > 0):  # every term is <= 0: the zero neuron is optimal
        return _SideSolve(0.0, 0.0, "optimal", 0.0, 0, [(np.zeros(d), -1.0 if bias else 0.0)], "none")
    region = _l1_region(Xs, bias) if region is None else region
    cost, A, lo, hi, lower, upper, integrality, layout = _side_model(Xs, lam_s, bias, cutoff, region)
    x0 = None if start is None or cutoff is not None else _start_vector(Xs, start, bias, layout, len(cost), region)
    try:
        import highspy  # noqa: F401  (optional: warm starts, early stops, the incumbent pool)
    except ImportError:
        solved = _solve_scipy(cost, A, lo, hi, lower, upper, integrality, time_limit, mip_rel_gap, verbose)
    else:
        def above_cutoff(x):  # the incumbent's own value, not HiGHS's (its rows hold to 1e-7 only)
            w = x[:d] - x[d : 2 * d]
            return float(lam_s @ np.maximum(Xs @ w + (x[2 * d] if bias else 0.0), 0.0)) > cutoff

        solved = _solve_highspy(cost, A, lo, hi, lower, upper, integrality, time_limit, mip_rel_gap, verbose,
                                stop_after=stop_after if cutoff is not None else None, x0=x0, threads=threads,
                                counts=above_cutoff)
    status, value, dual, gap, nodes, xs, backend = solved
    nb = 1 if bias else 0
    points = [(x[:d] - x[d : 2 * d], float(x[2 * d]) if nb else 0.0) for x in xs]
    if status == "infeasible":
        if cutoff is None:  # cannot happen: s = 0, w = 0 is feasible
            raise SolverError("HiGHS reports the pricing MILP infeasible; this formulation is always feasible, "
                              "so the data or lambda are not what they seem (NaN, overflow)")
        # no neuron reaches the cutoff: the maximum is below it
        return _SideSolve(0.0, float(cutoff), "optimal (below the cutoff)", 0.0, nodes, [], backend)
    bound = max(dual, value)
    if cutoff is not None:  # the dual bound is over the neurons above the cutoff; the others are below it
        bound = max(bound, float(cutoff))
    return _SideSolve(value if xs else 0.0, bound, status, gap, nodes, points, backend)


def _solve_scipy(cost, A, lo, hi, lower, upper, integrality, time_limit, mip_rel_gap, verbose):
    """scipy.optimize.milp (HiGHS): (status, incumbent value, dual bound, gap, nodes, [x], backend)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    # mip_abs_gap: HiGHS's default 1e-6 would stop early on small lambda; the objective is scaled to
    # [0, 2], so the relative gap alone decides (scipy passes the option to HiGHS verbatim)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Unrecognized options", category=RuntimeWarning)
        res = milp(cost, integrality=integrality, bounds=Bounds(lower, upper), constraints=LinearConstraint(A, lo, hi),
                   options={"time_limit": float(time_limit), "mip_rel_gap": float(mip_rel_gap), "disp": bool(verbose),
                            "mip_abs_gap": 0.0})
    if res.status == 2:
        return "infeasible", 0.0, -np.inf, 0.0, int(res.get("mip_node_count") or 0), [], "scipy"
    if res.status == 3 or res.status == 4 or res.mip_dual_bound is None:
        raise SolverError(f"HiGHS failed on the pricing MILP: {res.message}; rescale X to unit scale")
    status = "optimal" if res.status == 0 else ("time limit" if "time" in str(res.message).lower() else
                                               str(res.message))
    xs = [] if res.x is None else [res.x]
    value = -float(res.fun) if res.x is not None else 0.0
    return (status, value, -float(res.mip_dual_bound), float(res.mip_gap or 0.0), int(res.mip_node_count or 0),
            xs, "scipy")


def _solve_highspy(cost, A, lo, hi, lower, upper, integrality, time_limit, mip_rel_gap, verbose, *,
                   stop_after, x0, threads, counts):
    """highspy (HiGHS directly): as :func:`_solve_scipy`, with a warm start ``x0``, an interrupt once
    ``stop_after`` improving solutions pass ``counts`` (a check on the solution vector), and every
    improving solution returned (best first)."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", bool(verbose))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), len(lo)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, lower, upper
    inf = highspy.kHighsInf
    lp.row_lower_ = np.where(np.isfinite(lo), lo, -inf)
    lp.row_upper_ = np.where(np.isfinite(hi), hi, inf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = A.indptr, A.indices, A.data
    lp.integrality_ = [highspy.HighsVarType.kInteger if v else highspy.HighsVarType.kContinuous for v in integrality]
    h.passModel(lp)
    for name, value in (("time_limit", float(time_limit)), ("mip_rel_gap", float(mip_rel_gap)),
                        ("mip_abs_gap", 0.0), ("mip_improving_solution_save", True)):
        h.setOptionValue(name, value)
    improving, counted = [], []
    if stop_after is not None:
        def on_improving(event):
            x = np.array(event.data_out.mip_solution)
            improving.append(x)
            if counts(x):
                counted.append(x)

        def on_interrupt(event):
            if len(counted) >= stop_after:
                event.interrupt()

        h.cbMipImprovingSolution.subscribe(on_improving)
        h.cbMipInterrupt.subscribe(on_interrupt)
    _set_threads(h, threads)
    if x0 is not None:
        solution = highspy.HighsSolution()
        solution.col_value = list(x0)
        h.setSolution(solution)
    h.run()
    model_status = h.getModelStatus()
    info = h.getInfo()
    nodes = int(info.mip_node_count)
    M = highspy.HighsModelStatus
    if model_status in (M.kInfeasible, M.kUnboundedOrInfeasible):  # every variable is bounded: infeasible
        return "infeasible", 0.0, -np.inf, 0.0, nodes, [], "highspy"
    if model_status not in (M.kOptimal, M.kTimeLimit, M.kSolutionLimit, M.kInterrupt, M.kIterationLimit):
        raise SolverError(f"HiGHS failed on the pricing MILP: {h.modelStatusToString(model_status)}; rescale X "
                          "to unit scale")
    status = {M.kOptimal: "optimal", M.kTimeLimit: "time limit",
              M.kInterrupt: f"stopped after {stop_after} neuron(s) above the cutoff"}.get(
        model_status, h.modelStatusToString(model_status))
    xs = []
    if info.primal_solution_status == 2:  # feasible
        xs.append(np.array(h.getSolution().col_value))
        for x in [np.array(saved.col_value) for saved in reversed(h.getSavedMipSolutions())] + improving[::-1]:
            if not any(np.array_equal(x, y) for y in xs):
                xs.append(x)
    value = -float(info.objective_function_value) if xs else 0.0
    dual = -float(info.mip_dual_bound)
    if not np.isfinite(dual):  # stopped before the root bound: no bound at all
        dual = value if model_status == M.kOptimal else np.inf
    return status, value, dual, float(info.mip_gap) if xs else 1.0, nodes, xs, "highspy"


#: the thread count HiGHS's process-wide scheduler was last started with (None: HiGHS's default)
_SCHEDULER_THREADS: list = [None]


def _set_threads(h, threads: int | None) -> None:
    """HiGHS starts one scheduler per process with the first solve's thread count and answers a later
    solve asking for another count with the status "Not Set"; so the scheduler is restarted (once
    per change of count, between solves) before a solve that asks for a different one."""
    import highspy

    if threads != _SCHEDULER_THREADS[0]:
        highspy.Highs.resetGlobalScheduler(True)
        _SCHEDULER_THREADS[0] = threads
    if threads is not None:
        h.setOptionValue("threads", int(threads))


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
                  mip_rel_gap: float = DEFAULT_MIP_GAP, verbose: bool = False, cutoff: float | None = None,
                  stop_after: int | None = None, starts=None, threads: int | None = None,
                  deadline: float | None = None) -> MilpPricing:
    r"""max_{||w||_1 <= 1, b} |lambda . relu(Xw + b)| by two MILPs (module docstring), polished to vertices.

    Parameters
    ----------
    X : (n, d) data; lam : (n,) dual vector (one output).
    bias : whether neurons have a bias (hyperplanes through d lifted vertices, else d - 1).
    time_limit : seconds per side; a side that hits it leaves the maximum between its incumbent
        and its dual bound (``exhaustive`` False).
    mip_rel_gap : relative gap at which HiGHS stops.
    verbose : HiGHS's log on the terminal.
    cutoff : only neurons with value above it are searched (module docstring, "Cutoff"); a side
        with none is proved below it, and ``upper`` is then at least the cutoff, never the exact
        maximum. None: the exact maximum.
    stop_after : stop each side after this many improving incumbents (highspy only; with a
        ``cutoff`` each is a neuron above it). ``upper`` stays a proved bound.
    starts : neurons (w, b), data units, to warm-start from (highspy only; not with a cutoff,
        which they would not pass): the best for each side is HiGHS's first incumbent.
    threads : HiGHS's threads (None: its default).
    deadline : a ``time.perf_counter()`` time by which both sides end: each side's limit is
        ``time_limit`` capped by the time left (a side with no time left gets
        :data:`MIN_SIDE_SECONDS`, and stops with whatever bound it has).

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
    start_time = time.perf_counter()
    X, lam = _checked(X, lam, bias)
    _check_milp_options(cutoff, stop_after, time_limit, mip_rel_gap)
    center, scale = _frame(X, bias)
    size = float(np.abs(lam).sum())
    if size == 0:
        return MilpPricing(0.0, 0.0, True, 0.0, float(time_limit), (), (), time.perf_counter() - start_time, cutoff)
    Xs = (X - center) / scale
    unit = scale * size  # value(original) = unit * value(scaled frame, lambda / ||lambda||_1)
    sides, vertices = [], []
    side_cutoff = None if cutoff is None else float(cutoff) / unit
    for sign in (1, -1):
        t0 = time.perf_counter()
        start = _best_start(X, lam, starts, sign, center, scale, bias)
        limit = time_limit if deadline is None else max(min(time_limit, deadline - t0), MIN_SIDE_SECONDS)
        side = _one_side(Xs, sign * lam / size, bias, limit, mip_rel_gap, verbose, cutoff=side_cutoff,
                         stop_after=stop_after, start=start, threads=threads)
        original = None
        for w, bs in side.points:
            point = (w, (bs * scale - float(center @ w)) if bias else 0.0)
            original = original or point  # the best incumbent
            neuron = polish_to_vertex(X, lam, point[0], point[1], bias=bias, sign=sign)
            if neuron is not None and sign * neuron.value > 0 and all(v.subset != neuron.subset for v in vertices):
                vertices.append(neuron)
        sides.append(MilpSide(sign, side.lower * unit, side.upper * unit, side.status, side.mip_gap, side.nodes,
                              time.perf_counter() - t0, original))
    vertices.sort(key=lambda v: -abs(v.value))
    value = abs(vertices[0].value) if vertices else 0.0
    upper = max(max(side.upper for side in sides), value)
    exhaustive = all(side.solved for side in sides)
    gap = (upper - value) / upper if upper > 0 else 0.0
    return MilpPricing(value, upper, exhaustive, gap, float(time_limit), tuple(sides), tuple(vertices),
                       time.perf_counter() - start_time, cutoff)


def _check_milp_options(cutoff, stop_after, time_limit, mip_rel_gap) -> None:
    if cutoff is not None and not (math.isfinite(cutoff) and cutoff > 0):
        raise InvalidInputError(f"cutoff must be a finite positive value, got {cutoff!r}")
    if stop_after is not None and not (isinstance(stop_after, (int, np.integer)) and stop_after >= 1):
        raise InvalidInputError(f"stop_after must be a positive number of solutions, got {stop_after!r}")
    if not (isinstance(time_limit, (int, float)) and time_limit > 0 and math.isfinite(time_limit)):
        raise InvalidInputError(f"milp_time_limit must be a positive number of seconds, got {time_limit!r}")
    if not (isinstance(mip_rel_gap, (int, float)) and 0 <= mip_rel_gap < 1):
        raise InvalidInputError(f"mip_rel_gap must be in [0, 1), got {mip_rel_gap!r}")


def _best_start(X, lam, starts, sign, center, scale, bias):
    """The neuron of ``starts`` (pairs (w, b) in the data's units) best for sigma lambda, in the scaled
    frame with ||w||_1 = 1 (the MILP's warm start), or None."""
    best, best_value = None, 0.0
    for w, b in starts or ():
        w = np.asarray(w, dtype=float)
        norm1 = float(np.abs(w).sum())
        if not norm1 > 0:
            continue
        value = sign * float(lam @ np.maximum(X @ w + b, 0.0)) / norm1
        if value > best_value:
            bs = (float(b) + float(center @ w)) / scale if bias else 0.0
            best, best_value = (w / norm1, bs / norm1), value
    return best

# ---------------------------------------------------------------------------------------------
# heuristics (column generation prices with these first)
# ---------------------------------------------------------------------------------------------


def _vertex_rows(Xs: np.ndarray, bias: bool) -> np.ndarray:
    """The lifted vertices in the scaled frame, one row each: samples (x_i, 1) (x_i without a bias),
    then the basis vectors (e_k, 0) (e_k)."""
    n, d = Xs.shape
    if bias:
        return np.vstack([np.hstack([Xs, np.ones((n, 1))]), np.hstack([np.eye(d), np.zeros((d, 1))])])
    return np.vstack([Xs, np.eye(d)])


def _normal_scores(Xs: np.ndarray, lam: np.ndarray, normals: np.ndarray, bias: bool) -> np.ndarray:
    """max(|lambda . relu(+-(Xs w + b))|) / ||w||_1 for each row (w, b) of ``normals``; 0 where w is
    negligible against the normal (the constant neuron, which is not a hyperplane)."""
    d = Xs.shape[1]
    w = normals[..., :d]
    norm1 = np.abs(w).sum(axis=-1)
    pre = normals[..., :d] @ Xs.T + (normals[..., d : d + 1] if bias else 0.0)
    plus = np.maximum(pre, 0.0) @ lam
    minus = plus - pre @ lam  # relu(-t) = relu(t) - t
    ok = norm1 > 1e-9 * np.abs(normals).sum(axis=-1)
    return np.where(ok, np.maximum(np.abs(plus), np.abs(minus)) / np.where(ok, norm1, 1.0), 0.0)


def _float_normals(rows: np.ndarray, subsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(normals, independent): the null vector of each subset's k x (k + 1) lifted rows by a batched
    SVD, and whether the rows are independent (smallest singular value above 1e-10 of the largest,
    relative: the rows of the scaled frame have entries of order 1). Floats only: a heuristic score."""
    A = rows[subsets]
    _, s, vt = np.linalg.svd(A)
    return vt[:, -1, :], s[:, -1] > 1e-10 * s[:, 0]


def _local_search(Xs: np.ndarray, lam: np.ndarray, rows: np.ndarray, subset: tuple, bias: bool, *,
                  max_moves: int, keep_above: float, found: dict) -> None:
    r"""Best-improvement vertex swaps from ``subset``, every neighbour priced at once (floats).

    With A the k x (k + 1) rows of the subset, u its null vector and C = A^+ (so A C = I), the rows
    without row p have the null space span(u, c_p); replacing row p by a vertex r gives the normal

    .. math:: n_{p,r} = (r \cdot c_p)\, u - (r \cdot u)\, c_p ,

    so one SVD prices all k (n + d) neighbours by two matrix products. Neighbours scoring above
    ``keep_above`` are recorded in ``found`` (subset -> score); the search moves to the best one while
    it improves.
    """
    k = len(subset)
    current = tuple(subset)
    best = None
    for _ in range(max_moves):
        A = rows[list(current)]
        U, s, vt = np.linalg.svd(A)
        if not s[-1] > 1e-10 * s[0]:
            return
        u = vt[-1]
        C = vt[:k].T @ (U.T / s[:, None])  # pseudo-inverse: A C = I
        if best is None:
            best = float(_normal_scores(Xs, lam, u[None, :], bias)[0])
            if best > keep_above:
                found[current] = max(found.get(current, 0.0), best)
        Lu, LC = rows @ u, rows @ C  # (V,), (V, k)
        # normals[p, v] = LC[v, p] u - Lu[v] c_p
        normals = LC.T[:, :, None] * u[None, None, :] - Lu[None, :, None] * C.T[:, None, :]
        scale = np.abs(LC.T)[:, :, None] * np.abs(u).sum() + np.abs(Lu)[None, :, None] * np.abs(C.T).sum(axis=1)[:, None, None]
        scores = _normal_scores(Xs, lam, normals, bias)
        # the swapped-in vertex must be new and independent of the other k - 1 (else the normal vanishes)
        degenerate = np.abs(normals).sum(axis=-1) <= 1e-9 * scale[..., 0]
        scores[degenerate] = 0.0
        scores[:, list(current)] = 0.0
        for p, v in zip(*np.nonzero((scores > keep_above) & (scores > 0))):  # 0: degenerate swaps
            key = tuple(sorted(current[:p] + current[p + 1 :] + (int(v),)))
            found[key] = max(found.get(key, 0.0), float(scores[p, v]))
        p, v = np.unravel_index(int(np.argmax(scores)), scores.shape)
        if not scores[p, v] > best * (1 + 1e-12):
            return
        current, best = tuple(sorted(current[:p] + current[p + 1 :] + (int(v),))), float(scores[p, v])


def heuristic_vertices(X, lam, *, bias: bool, start: np.ndarray | None = None, n_random: int = 200,
                       n_starts: int = 5, max_moves: int = 25, keep_above: float = 0.0,
                       rng: np.random.Generator | None = None):
    r"""Vertex subsets with large |lambda . relu(+-(X w_S + b_S))|, by random subsets and local search.

    Local search (best-improvement swaps of one vertex, all k (n + d) neighbours priced at once by a
    rank-two update of the null vector, see ``_local_search``) from the ``n_starts`` best of
    ``n_random`` random subsets and the ``n_starts`` best rows of ``start`` (e.g. the working set,
    the MILP's polished vertices). Scores are floats on the scaled frame, converted to the data's
    units: a heuristic LOWER bound that column generation re-evaluates exactly before using, and
    follows by the MILP when it finds no violation.

    Returns ``(subsets, scores)``: the distinct subsets seen with score above ``keep_above`` (and
    the best start), best first.

    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> subsets, scores = heuristic_vertices(X, np.array([0.5, -0.5, -0.5, 0.5]), bias=True,
    ...                                      rng=np.random.default_rng(0))
    >>> round(float(scores[0]), 12)
    0.25
    """
    from .dictionary import n_candidate_subsets, sample_subsets, subset_size

    X, lam = _checked(X, lam, bias)
    n, d = X.shape
    k = subset_size(d, bias)
    rng = np.random.default_rng(0) if rng is None else rng
    if k == 0:
        kept, _, _, plus, minus = vertex_value(X, lam, np.zeros((1, 0), dtype=np.intp), bias)
        return kept, np.maximum(np.abs(plus), np.abs(minus))
    center, scale = _frame(X, bias)
    Xs = (X - center) / scale
    rows = _vertex_rows(Xs, bias)
    unit_keep = keep_above / scale  # scores on the scaled frame are the data's divided by the scale
    pools = []
    count = int(min(n_random, n_candidate_subsets(n, d, "l1", bias)))
    if count:
        pools.append(sample_subsets(n + d, k, count, rng))
    if start is not None and len(start):
        pools.append(np.sort(np.asarray(start, dtype=np.intp).reshape(-1, k), axis=1))
    found: dict = {}
    starts = []
    for pool in pools:
        pool = np.unique(pool, axis=0)
        normals, independent = _float_normals(rows, pool)
        scores = np.where(independent, _normal_scores(Xs, lam, normals, bias), -1.0)
        for j in np.argsort(-scores)[:n_starts]:
            if scores[j] >= 0:
                starts.append(tuple(int(v) for v in pool[j]))
                found[starts[-1]] = max(found.get(starts[-1], 0.0), float(scores[j]))
    for subset in dict.fromkeys(starts):
        _local_search(Xs, lam, rows, subset, bias, max_moves=max_moves, keep_above=unit_keep, found=found)
    items = sorted(found.items(), key=lambda item: -item[1])
    return (np.array([s for s, _ in items], dtype=np.intp).reshape(-1, k),
            np.array([v for _, v in items]) * scale)


# ---------------------------------------------------------------------------------------------
# one pricing round of column generation
# ---------------------------------------------------------------------------------------------

#: a MILP round that wants columns stops after this many incumbents above the cutoff (each is
#: polished to a vertex and searched around): the round needs violators, not the most violating one
MILP_STOP_AFTER = 8

#: heuristic candidates re-evaluated exactly per round, as a multiple of the columns wanted (each exact
#: evaluation builds the dictionary's column, with its rational degeneracy check in high dimension)
_EXACT_CHECK_FACTOR = 2


def _exact_violators(X, lam, beta, subsets, scores, *, bias, is_new, top, threshold):
    """The ``top`` best new subsets by their exact dictionary columns (``vertex_value``) among the
    best heuristic candidates, with their exact ratios above ``threshold``."""
    k = subsets.shape[1]
    if not len(scores) or top <= 0:
        return np.zeros((0, k), dtype=np.intp), np.zeros(0)
    fresh = is_new(subsets) & (scores / beta > threshold)
    subsets, scores = subsets[fresh], scores[fresh]
    order = np.argsort(-scores, kind="stable")[: _EXACT_CHECK_FACTOR * top]
    if not len(order):
        return np.zeros((0, k), dtype=np.intp), np.zeros(0)
    kept, _, _, plus, minus = vertex_value(X, lam, subsets[order], bias)
    exact = np.maximum(np.abs(plus), np.abs(minus)) / beta
    good = exact > threshold
    return kept[good], exact[good]


def price_with_milp(X, lam, beta: float, *, bias: bool, top: int, tol: float, is_new, start=None,
                    verbose: bool = False, time_limit: float = DEFAULT_TIME_LIMIT, n_random: int = 200,
                    report=None, deadline: tuple[float, float] | None = None) -> dict:
    """One pricing round for column generation with the l1 penalty: heuristics first, the MILP last.

    With ``top > 0`` (a round that wants new columns) random vertex subsets and local search from
    the rows of ``start`` (the working set) are priced first (:func:`heuristic_vertices`); when
    they find subsets that ``is_new`` accepts (outside the working set) whose EXACT dictionary
    columns have ratio > 1 + tol, the ``top`` best are returned with their largest ratio, a LOWER
    bound above 1 + tol (``exhaustive`` False), so the round adds columns and certifies nothing.
    Otherwise (and always with ``top = 0``) the MILP runs: the ratio returned is its UPPER bound /
    beta (``exhaustive`` True: a bound on the whole dictionary, also when a side stopped at its time
    limit), so ``ratio <= 1 + tol`` certifies the restricted optimum over the whole vertex
    dictionary (and, for l1, problem (P)); its polished vertices and their local-search neighbours
    above 1 + tol are the new columns (several per round, so fewer rounds). The MILP searches above
    the cutoff beta (1 + tol) only (module docstring, "Cutoff"): a ratio proved below it is reported
    as 1 + tol (a bound, not the maximum), and with ``top > 0`` each side stops after
    ``MILP_STOP_AFTER`` neurons above it.

    ``report``: a callable taking one line of progress text (column generation's status line).
    ``deadline``: (a ``time.perf_counter()`` time, the run's time limit in seconds): the MILP's sides
    end by that time (``milp_max_dual``'s ``deadline``), and an error names whichever limit stopped it.

    Returns the fields of ``ga_relu.convex.colgen.Pricing`` as a dict (this module sits below
    colgen). Raises :class:`~ga_relu.errors.TimeLimitError` when the MILP stops at its time limit
    (per side, or the run's ``deadline``) with neither a certificate nor a violating vertex.

    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> lam = np.array([0.5, -0.5, -0.5, 0.5])  # the maximum is 0.25
    >>> fields = price_with_milp(X, lam, 0.1, bias=True, top=0, tol=1e-6, is_new=lambda s: np.ones(len(s), bool))
    >>> round(fields["ratio"], 9), fields["method"], fields["exhaustive"]
    (2.5, 'milp', True)
    >>> fields = price_with_milp(X, lam, 1.0, bias=True, top=0, tol=1e-6, is_new=lambda s: np.ones(len(s), bool))
    >>> fields["ratio"] <= 1 + 1e-6, fields["method"]  # below the cutoff: the bound is the cutoff, 1 + tol
    (True, 'milp (proved below the cutoff 1 + tol: ratio is that bound)')
    """
    import zlib

    from ..errors import TimeLimitError

    start_time = time.perf_counter()
    X, lam = _checked(X, lam, bias)
    k = X.shape[1] - (0 if bias else 1)
    threshold = 1.0 + tol
    report = report or (lambda text: None)
    n_priced = 0

    def fields(ratio, new_subsets, new_scores, method, exhaustive):
        _, first = np.unique(new_subsets, axis=0, return_index=True)  # a polished vertex may repeat one
        new_subsets, new_scores = new_subsets[first], new_scores[first]
        order = np.argsort(-new_scores, kind="stable")[: max(int(top), 0)]
        return {"ratio": float(ratio), "new_ratio": float(new_scores.max(initial=0.0)),
                "subsets": new_subsets[order], "scores": new_scores[order], "n_priced": int(n_priced),
                "n_degenerate": 0, "n_violating": int(len(new_scores)),
                "seconds": time.perf_counter() - start_time, "method": method, "exhaustive": exhaustive}

    rng = np.random.default_rng(zlib.crc32(np.ascontiguousarray(lam).tobytes()))  # reproducible per lambda
    keep_above = beta * threshold
    if top > 0:
        report("heuristic pricing (local search from the working set)")
        subsets, scores = heuristic_vertices(X, lam, bias=bias, start=start, n_random=n_random, rng=rng,
                                             keep_above=keep_above)
        n_priced += len(scores)
        new, new_scores = _exact_violators(X, lam, beta, subsets, scores, bias=bias, is_new=is_new, top=top,
                                           threshold=threshold)
        if len(new):
            return fields(new_scores.max(), new, new_scores, "milp (heuristic round)", False)
    report(f"exact MILP pricing ({int(np.count_nonzero(lam))} samples, time limit {time_limit:g} s per side)")
    # The round only has to decide ratio <= 1 + tol or find neurons above it, so the MILP searches
    # above the cutoff beta (1 + tol) alone (module docstring, "Cutoff"), and a round that wants columns
    # stops after MILP_STOP_AFTER of them. The cutoff sits 1e-12 (relative) below beta (1 + tol) so
    # that a side proved below it still reads ratio <= 1 + tol after the round trip through the
    # scaled frame's units (rounding of order 1e-16 relative).
    found = milp_max_dual(X, lam, bias=bias, time_limit=time_limit, verbose=verbose,
                          cutoff=beta * threshold * (1.0 - 1e-12), stop_after=MILP_STOP_AFTER if top > 0 else None,
                          deadline=None if deadline is None else deadline[0])
    n_priced += len(found.vertices)
    ratio = found.upper / beta
    sides = ", ".join(f"side {'+' if s.sign > 0 else '-'} {s.seconds:.1f} s ({s.status})" for s in found.sides)
    report(f"MILP ratio in [{found.value / beta:.8g}, {ratio:.8g}], MIP gap {found.mip_gap:.2g}; {sides}")
    new, new_scores = np.zeros((0, k), dtype=np.intp), np.zeros(0)
    if found.vertices and top > 0 and ratio > threshold:
        vertices = np.array([v.subset for v in found.vertices], dtype=np.intp).reshape(-1, k)
        subsets, scores = heuristic_vertices(X, lam, bias=bias, start=vertices, n_random=0, rng=rng,
                                             keep_above=keep_above)
        subsets = np.vstack([vertices, subsets])
        scores = np.concatenate([[abs(v.value) for v in found.vertices], scores])
        n_priced += len(scores)
        new, new_scores = _exact_violators(X, lam, beta, subsets, scores, bias=bias, is_new=is_new, top=top,
                                           threshold=threshold)
    elif found.vertices:
        vertices = np.array([v.subset for v in found.vertices], dtype=np.intp).reshape(-1, k)
        values = np.array([abs(v.value) for v in found.vertices]) / beta
        fresh = is_new(vertices) & (values > threshold)
        new, new_scores = vertices[fresh], values[fresh]
    # which limit stopped it: the run's, once its deadline has passed (every side was capped by it)
    run_out = deadline is not None and time.perf_counter() >= deadline[0]
    limit = (f"column generation's time limit (time_limit={deadline[1]:g} s)" if run_out else
             f"MILP's time limit (milp_time_limit={time_limit:g} s per side)")
    if not found.exhaustive and ratio > threshold and not len(new):
        bounds = (f"in [{found.value / beta:.8g}, {ratio:.8g}]" if found.vertices else
                  f"at most {ratio:.8g} (no neuron found yet)" if math.isfinite(ratio) else
                  "not bounded yet (no neuron found, no MILP bound)")
        remedy = "raise time_limit= (seconds for the whole run)" if run_out else \
            "raise milp_time_limit= (seconds per side)"
        raise TimeLimitError(
            f"the pricing MILP stopped ({sides}; at the {limit}) with the dual ratio {bounds} and no violating vertex "
            f"found within it, so this round can neither certify nor improve the fit (more time may find one); "
            f"{remedy}, or accept the fit as an "
            "upper bound with fit(..., subsets=k) and ga_relu.certification.sampled.sampled_gap()")
    if not found.exhaustive:
        method = f"milp (stopped early or at the {limit}: ratio is the dual bound)"
    elif ratio <= threshold:
        method = "milp (proved below the cutoff 1 + tol: ratio is that bound)"
    else:
        method = "milp"
    return fields(ratio, new, new_scores, method, True)


# ---------------------------------------------------------------------------------------------
# weight decay (the l2 ball) by outer approximation
# ---------------------------------------------------------------------------------------------

#: rounds of cuts per side before the outer approximation stops with its two bounds
DEFAULT_CUT_ROUNDS = 200
#: (U - L) / U at which a side of the outer approximation stops: ten times the MILP's own relative
#: gap (each round's U is HiGHS's dual bound, within DEFAULT_MIP_GAP of that round's incumbent), and
#: far below the certificate's tolerances (1e-4 on the ratio; a ratio excess e costs the gap bound
#: about e |P|, against gap_tol = 1e-6)
DEFAULT_L2_GAP = 1e-7


@dataclasses.dataclass(frozen=True)
class L2Side:
    """One side, max sigma lambda . relu(Xw + b) over ||w||_2 <= 1, by outer approximation (data units).

    Attributes
    ----------
    sign : sigma.
    lower : the best unit neuron's value (attained), 0 when none is positive.
    upper : the smallest MILP bound over the rounds: each polytope contains the ball, so each bound holds.
    status : "optimal" (U - L within the gap), "optimal (below the cutoff)", "time limit", "round limit",
        "stalled (no new cut)" (U - L above the gap, every incumbent on the ball: HiGHS's tolerances).
    rounds, cuts, nodes, seconds : MILPs solved, tangent cuts added, branch-and-bound nodes, wall time.

    >>> L2Side(1, 1.0, 1.0, "optimal", 3, 7, 10, 0.1).solved
    True
    """

    sign: int
    lower: float
    upper: float
    status: str
    rounds: int
    cuts: int
    nodes: int
    seconds: float

    @property
    def solved(self) -> bool:
        """Whether the side stopped on its gap or below the cutoff (not at a limit)."""
        return self.status.startswith("optimal")


@dataclasses.dataclass(frozen=True)
class L2MilpPricing:
    """max_{||w||_2 <= 1, b} |lambda . relu(Xw + b)| between two bounds (:func:`milp_max_dual_l2`).

    Attributes
    ----------
    value : L, the best unit neuron's |lambda . relu(Xw + b)| (attained: a lower bound).
    upper : U, a proved upper bound (never below ``value``).
    converged : both sides stopped on their gap or below the cutoff (not at a time or round limit).
    mip_gap : (U - L) / U (0 when both are 0).
    time_limit : seconds per side (all its rounds).
    sides : the two :class:`L2Side` (sigma = +1, -1).
    weight, bias, signed_value : the best neuron (||weight||_2 = 1, data units) and lambda . relu(X w + b);
        weight None when no neuron has a positive value.
    seconds : wall time in all.
    cutoff : the cutoff searched above (None: the maximum); with one, ``upper`` is at least the cutoff.

    >>> L2MilpPricing(0.0, 0.0, True, 0.0, 1.0, (), None, 0.0, 0.0, 0.0).cuts
    0
    """

    value: float
    upper: float
    converged: bool
    mip_gap: float
    time_limit: float
    sides: tuple[L2Side, ...]
    weight: np.ndarray | None
    bias: float
    signed_value: float
    seconds: float
    cutoff: float | None = None

    @property
    def cuts(self) -> int:
        """Tangent cuts of both sides."""
        return sum(side.cuts for side in self.sides)

    @property
    def nodes(self) -> int:
        """Branch-and-bound nodes of both sides, all rounds."""
        return sum(side.nodes for side in self.sides)

    def describe(self) -> str:
        """The bounds, the rounds and the cuts in words."""
        rounds = sum(side.rounds for side in self.sides)
        limit = "" if self.converged else (
            f", stopped ({'; '.join(side.status for side in self.sides if not side.solved)}; time limit "
            f"{self.time_limit:g} s per side): U is a proved upper bound, not the maximum")
        cut = "" if self.cutoff is None else f", searched above the cutoff {self.cutoff:.10g}"
        return (f"MILP over an outer approximation of the l2 ball (HiGHS, {rounds} rounds, {self.cuts} cuts, "
                f"{self.nodes:,} nodes, {self.seconds:.2f} s): max in [{self.value:.10g}, {self.upper:.10g}], "
                f"relative gap {self.mip_gap:.2g}{cut}{limit}")


def _face_maxima(Xt: np.ndarray, lam_s: np.ndarray, points, bias: bool) -> list:
    """The maximum of each MILP point's chamber on its face, in closed form (the chamber oracle's
    polish, :func:`ga_relu.convex.chambers.polish_on_faces`): max g_A . v over the null space of the
    samples on the point's hyperplane with ||w||_2 <= 1, g_A the point's active samples' sum. Unit
    neurons (w, b), each evaluated exactly afterwards (a lower bound whatever its chamber)."""
    from .chambers import polish_on_faces

    if not points:
        return []
    d = Xt.shape[1] - (1 if bias else 0)
    V = np.array([np.append(w, b) if bias else w for w, b in points])
    return [(u[:d], float(u[d]) if bias else 0.0) for u in polish_on_faces(Xt, lam_s, V, d)]


def _tangent_directions(points, on_sphere, cuts: np.ndarray) -> list[np.ndarray]:
    """Unit vectors a of the new tangent cuts a . w <= 1: at the MILP points outside the ball and at
    the face maxima ``on_sphere`` (unit w).

    A point w with ||w||_2 > 1 violates the cut at w / ||w|| (a . w = ||w|| > 1) and the ball lies
    in it (a . w <= ||a|| ||w|| <= 1), so the cut is valid and new. Outside means ||w||_2 > 1 + 1e-9:
    the MILP's rows hold to HiGHS's feasibility tolerance relative to their right-hand side 1, so a
    point within 1e-9 of the sphere is on it. The cut at a face maximum u is the one that matters
    for speed: when u is the maximum of its chamber over the ball, the KKT conditions of that cone
    program hold for the program with the ball replaced by the tangent half-space at u (same
    gradient at u), so from then on the MILP values the whole chamber at most at u's value, the
    lower bound: one cut per chamber visited. Directions within 1e-12 (cosine) of a cut already
    there or chosen are dropped (the same cut up to round-off)."""
    out = []

    def add(a):
        if all(float(a @ c) < 1.0 - 1e-12 for c in out) and not np.any(cuts @ a >= 1.0 - 1e-12):
            out.append(a)

    for w, _ in points:
        norm = float(np.linalg.norm(w))
        if norm > 1.0 + 1e-9:
            add(w / norm)
    for w, _ in on_sphere:
        add(w / np.linalg.norm(w))
    return out


def _l2_side(Xs: np.ndarray, lam_s: np.ndarray, bias: bool, *, time_limit: float, mip_rel_gap: float,
             rel_gap: float, max_rounds: int, cutoff: float | None, verbose: bool, threads: int | None):
    """One side of :func:`milp_max_dual_l2` in the scaled frame: (lower, upper, best (w, b) with
    ||w||_2 = 1 or None, status, rounds, cuts, nodes)."""
    n, d = Xs.shape
    if not np.any(lam_s > 0):  # every term is <= 0: the zero neuron is optimal
        return 0.0, 0.0, None, "optimal", 0, 0, 0
    # ||x_i|| <= 1 in the frame, so M_i = ||x_i||_2 + 1 bounds |x_i . w + b| on the ball (|b| <= 1). Not
    # on the polytope, but that only tightens the model: where M_i is below |x_i . w + b| the rows force
    # s_i below relu(x_i . w + b) or have no solution, so the MILP's value at every point of the polytope
    # is at most its true value, and at every point of the ball equal to it. Its maximum is therefore
    # still at least the maximum over the ball (an upper bound), with the smaller LP relaxation of
    # the ball's constants.
    region = _WeightRegion(math.sqrt(d), np.zeros((0, d)), np.linalg.norm(Xs, axis=1) + (1.0 if bias else 0.0))
    started = time.perf_counter()
    Xt = np.hstack([Xs, np.ones((n, 1))]) if bias else Xs  # the lifted samples (x_i, 1)
    lower, upper, best = 0.0, np.inf, None
    nodes = rounds = 0
    status = "round limit"
    while rounds < max_rounds:
        left = time_limit - (time.perf_counter() - started)
        if left <= 0:
            status = "time limit"
            break
        side = _one_side(Xs, lam_s, bias, left, mip_rel_gap, verbose, cutoff=cutoff, start=best, threads=threads,
                         region=region)
        rounds += 1
        nodes += side.nodes
        upper = min(upper, side.upper)  # every round's bound holds: each polytope contains the ball
        polished = _face_maxima(Xt, lam_s, side.points, bias)
        # w / ||w|| (b scaled too) is a feasible neuron: its exact value is a lower bound
        for w, b in side.points + polished:
            norm = float(np.linalg.norm(w))
            if norm > 0:
                value = float(lam_s @ np.maximum(Xs @ (w / norm) + b / norm, 0.0))
                if value > lower:
                    lower, best = value, (w / norm, b / norm)
        if cutoff is not None and upper <= cutoff:
            status = "optimal (below the cutoff)"
            break
        if upper - lower <= rel_gap * upper:
            status = "optimal"
            break
        if not side.status.startswith("optimal"):
            status = side.status
            break
        new = _tangent_directions(side.points, polished, region.cuts)
        if not new:  # every incumbent on the ball and every face maximum cut: U - L is HiGHS's tolerance
            status = "stalled (no new cut)"
            break
        region = dataclasses.replace(region, cuts=np.vstack([region.cuts, new]))
    return lower, upper, best, status, rounds, len(region.cuts), nodes


def milp_max_dual_l2(X, lam, *, bias: bool, time_limit: float = DEFAULT_TIME_LIMIT,
                     mip_rel_gap: float = DEFAULT_MIP_GAP, rel_gap: float = DEFAULT_L2_GAP,
                     max_rounds: int = DEFAULT_CUT_ROUNDS, cutoff: float | None = None, verbose: bool = False,
                     threads: int | None = None) -> L2MilpPricing:
    r"""max_{||w||_2 <= 1, b} |lambda . relu(Xw + b)| (weight decay) between proved bounds, any d.

    Outer approximation: the l2 ball is replaced by the polytope

    .. math:: Q = \{w : \|w\|_\infty \le 1,\ \|w\|_1 \le \sqrt d,\ a_k \cdot w \le 1\} \supseteq \{\|w\|_2 \le 1\},

    and max sigma lambda . relu(Xw + b) over Q by the MILP of the l1 model (same relu encoding;
    big-M constants of the ball, see the comment in ``_l2_side``). Since Q contains the ball, HiGHS's
    dual bound U is an upper bound on the side's maximum (module docstring, "Cutoff", for the cutoff
    and for HiGHS's tolerances, which only raise it). Each incumbent (w, b) gives the feasible
    neuron (w, b) / ||w||_2, whose exact value is a lower bound L; an incumbent outside the ball
    gives the tangent cut (w / ||w||_2) . w <= 1, which the ball satisfies and the incumbent does
    not (Kelley's cutting planes). A side stops when U - L <= ``rel_gap`` U, when U <= ``cutoff``
    (no neuron above it), or at ``time_limit`` / ``max_rounds``: then the maximum is known to lie
    in [L, U], U still a proved bound.

    Parameters
    ----------
    X : (n, d) data; lam : (n,) dual vector (one output).
    bias : whether neurons have a bias.
    time_limit : seconds per side, all its rounds together.
    mip_rel_gap : HiGHS's relative gap per MILP.
    rel_gap : (U - L) / U at which a side stops.
    max_rounds : MILPs per side.
    cutoff : search above it only (a side with no neuron above it reports U = cutoff); None: the maximum.
    verbose, threads : HiGHS's log and threads.

    Returns
    -------
    L2MilpPricing

    Raises
    ------
    InvalidInputError, DegenerateDataError, SolverError : as :func:`milp_max_dual`.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> found = milp_max_dual_l2(X, np.array([0.5, -0.5, -0.5, 0.5]), bias=True)
    >>> round(found.value, 6), round(found.upper, 6), found.converged  # 1 / (2 sqrt 2), by the chambers too
    (0.353553, 0.353553, True)
    """
    start_time = time.perf_counter()
    X, lam = _checked(X, lam, bias)
    _check_milp_options(cutoff, None, time_limit, mip_rel_gap)
    if not (isinstance(rel_gap, (int, float)) and 0 <= rel_gap < 1):
        raise InvalidInputError(f"rel_gap must be in [0, 1), got {rel_gap!r}")
    if not (isinstance(max_rounds, (int, np.integer)) and max_rounds >= 1):
        raise InvalidInputError(f"max_rounds must be a positive number of MILPs per side, got {max_rounds!r}")
    center, scale = _frame(X, bias, norm=2)
    size = float(np.abs(lam).sum())
    if size == 0:
        return L2MilpPricing(0.0, 0.0, True, 0.0, float(time_limit), (), None, 0.0, 0.0,
                             time.perf_counter() - start_time, cutoff)
    Xs = (X - center) / scale
    unit = scale * size  # value(original) = unit * value(scaled frame, lambda / ||lambda||_1)
    side_cutoff = None if cutoff is None else float(cutoff) / unit
    sides, best = [], (0.0, None, 0.0, 0.0)
    for sign in (1, -1):
        t0 = time.perf_counter()
        lower, upper, point, status, rounds, cuts, nodes = _l2_side(
            Xs, sign * lam / size, bias, time_limit=time_limit, mip_rel_gap=mip_rel_gap, rel_gap=rel_gap,
            max_rounds=int(max_rounds), cutoff=side_cutoff, verbose=verbose, threads=threads)
        if point is not None:  # the neuron in the data's units, evaluated there
            w = point[0]
            b = point[1] * scale - float(center @ w) if bias else 0.0
            value = float(lam @ np.maximum(X @ w + b, 0.0))
            if sign * value > best[0]:
                best = (sign * value, w, b, value)
        sides.append(L2Side(sign, lower * unit, upper * unit, status, rounds, cuts, nodes, time.perf_counter() - t0))
    value = best[0]
    upper = max(max(side.upper for side in sides), value)
    gap = (upper - value) / upper if upper > 0 else 0.0
    return L2MilpPricing(value, upper, all(side.solved for side in sides), gap, float(time_limit), tuple(sides),
                         best[1], best[2], best[3], time.perf_counter() - start_time, cutoff)
