r"""Column generation over the wedge dictionary, with a dual certificate for the FULL dictionary.

The Lasso over the full wedge dictionary (docs/theory/exact_cases.md),

    (L)   min_{z, c}  L(K z + c, y) + beta ||z||_1,

has C(|V|, k) subsets (two columns each) and stops fitting in memory long before the data do. Column
generation solves (L) restricted to a working set W of subsets, reads the dual vector
lambda = -dL/df at the restricted optimum (the solver's dual for the hinge loss), and PRICES every
candidate column K_j of the full dictionary, streamed in chunks and never stored whole:

    ratio = max_j |lambda . K_j| / beta.

The restricted optimum satisfies every optimality condition of (L) except, possibly, the dual
constraints of the columns outside W. So ``ratio <= 1 + tol`` certifies that the restricted solution
is optimal for the full dictionary (to that tolerance); otherwise the most violating subsets are added
to W and the restricted problem is solved again.

Pricing in 2-D with bias uses an angular sweep: for each pivot sample x_i the lines through x_i and
the other samples x_j, sorted by the angle of x_j - x_i, cut the plane into half-planes that are
contiguous arcs in that order, so with prefix sums S of lambda_k (x_k - x_i)

    lambda . relu(n . (X - x_i)) = n . S(arc),   n = perp(x_j - x_i),

for all j at once in O(n log n) per pivot instead of O(n^2). In 3-D with bias the planes through two samples x_i, x_j
form a pencil, which the same sweep prices in the plane orthogonal to x_j - x_i: O(n^3 log n) in all
(:mod:`ga_relu.convex.sweep3d`), its early rounds on a stride of the pencils (heuristic, never the
last). Everything else (and the check of the
sweep) streams the dictionary chunk by chunk (``ga_relu.convex.dictionary.iter_dictionary_chunks``).

Duality bound (:func:`full_dictionary_gap`, and :func:`ga_relu.certification.sampled.sampled_gap`
for any fit). With f = K z + c the Fenchel dual of (L) is

    D(lambda) = -sum_i l_i^*(-lambda_i)   s.t.  |lambda . K_j| <= beta for all j,  sum(lambda) = 0 (free c),

    squared   D = lambda . y - ||lambda||^2 / 2
    logistic  D = -sum_i [s_i log s_i + (1 - s_i) log(1 - s_i)],   s_i = y_i lambda_i in [0, 1]
    hinge     D = sum_i s_i,                                       s_i = y_i lambda_i in [0, 1].

Any lambda scaled by 1/max(1, ratio) (after making sum(lambda) = 0 when the intercept is free)
is dual feasible, so P(fit) - D(lambda / ratio) bounds P(fit) - P*, the distance of any fit (e.g.
a randomized-subset fit, ``fit(..., subsets=k)``) from the full-dictionary optimum.
"""

from __future__ import annotations

import dataclasses
import math
import time
from typing import Literal

import numpy as np

from ..config import limited_threads
from ..config import options as config
from ..errors import ConvergenceError, DictionaryTooLargeError, InvalidInputError, SolverError, TimeLimitError
from ..progress import progress, status_line
from . import _sweep_kernels as _kernels
from .budget import (
    NUMBA_SWEEP_MIN_SAMPLES,
    SWEEP3D_AUTO_MIN_SAMPLES,
    SWEEP3D_PARTIAL_STRIDE,
    PricingWork,
    check_pricing_work,
    pricing_work,
    restricted_solve_bytes,
)
from .dictionary import (
    Dictionary,
    build_columns,
    iter_dictionary_chunks,
    n_candidate_subsets,
    subset_ranks,
    subset_size,
)
from .duality import GapBound, gap_bound

#: the stop's gap test: the weak-duality bound at most this fraction of |P|, the certificate's
#: default (``Certificate.gap_tol``, equal by a test), so that the fit stops where it certifies
GAP_TOL = 1e-6
from .losses import SQUARED, LossName
from .penalties import PenaltyName, get_penalty
from .problem import Problem
from .solvers import LassoProgram, LassoSolution, logistic_lasso, squared_lasso_active_set, squared_lasso_dual
from .wedge import lasso_fit_result

__all__ = ["fit_colgen", "solve_colgen", "ColgenOptions", "MemoryPlan", "plan_memory", "plan_pricing", "price", "Pricing",
           "SweepCache", "subset_ranks", "full_dictionary_gap", "SWEEP_MIN_SAMPLES",
           "SWEEP_AUTO_MIN_SAMPLES"]

PricingName = Literal["auto", "sweep", "stream", "milp"]
RestrictedSolverName = Literal["auto", "active-set", "clarabel", "cvxpy"]
_PRICING_METHODS = ("auto", "sweep", "stream", "milp")
_RESTRICTED_SOLVERS = ("auto", "active-set", "clarabel", "cvxpy")

#: bytes of float64 work arrays allowed per pricing chunk (a few n x chunk arrays live at once)
_PRICING_CHUNK_BYTES = 48 * 2**20

#: tolerances for the restricted squared-loss QP (Clarabel's defaults are 1e-8)
_QP_TOLERANCE = 1e-10


# ---------------------------------------------------------------------------------------------
# subsets as integers (colex rank), for "is this subset already in the working set?"
# ---------------------------------------------------------------------------------------------


def _binomial_table(n_vertices: int, k: int) -> np.ndarray:
    """table[v, t] = C(v, t) for v < n_vertices, t <= k (int64)."""
    # ranks above int64 (C(130, 30) ~ 1e29, where only MILP pricing runs) as Python integers
    dtype = np.int64 if max(math.comb(n_vertices, t) for t in range(k + 1)) < 2**62 else object
    table = np.zeros((n_vertices + 1, k + 1), dtype=dtype)
    for t in range(k + 1):
        table[:, t] = [math.comb(v, t) for v in range(n_vertices + 1)]
    return table


# ---------------------------------------------------------------------------------------------
# pricing
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Pricing:
    """One pricing pass: the largest |lambda . K_j| / beta and the most violating new subsets.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> price(X, np.array([1.0, -0.5, -0.5]), 1.0, penalty="l2", bias=True).n_priced
    3
    """

    ratio: float  # max over every candidate column (working set included)
    new_ratio: float  # max over the candidates outside the working set
    subsets: np.ndarray  # (top, k) best subsets outside the working set, best first
    scores: np.ndarray  # their ratios
    n_priced: int  # candidate subsets priced (non-degenerate)
    n_degenerate: int  # candidate subsets with a vanishing normal (no column)
    n_violating: int  # candidates outside the working set with ratio > 1 + tol
    seconds: float
    method: str
    per_sample: tuple = ((), ())  # sweep only: (subsets, ratios) of the best new line through each sample
    # ratio is the max over every candidate, or a proved upper bound on it (the MILP's dual bound);
    # False for a heuristic MILP round, whose ratio is only a lower bound above 1 + tol
    exhaustive: bool = True


class _TopK:
    """Running top-k of (score, subset) over streamed blocks, plus max and counts."""

    def __init__(self, top: int, k: int, exclude: np.ndarray, table: np.ndarray, threshold: float):
        self.top, self.exclude, self.table, self.threshold = top, exclude, table, threshold
        self.scores = np.zeros(0)
        self.subsets = np.zeros((0, k), dtype=np.intp)
        self.ratio = 0.0
        self.new_ratio = 0.0
        self.n_priced = 0
        self.n_degenerate = 0
        self.n_violating = 0

    def add(self, subsets: np.ndarray, scores: np.ndarray) -> None:
        self.n_priced += len(scores)
        if not len(scores):
            return
        self.ratio = max(self.ratio, float(scores.max()))
        if len(self.exclude):
            fresh = ~np.isin(subset_ranks(subsets, self.table), self.exclude, assume_unique=False)
            subsets, scores = subsets[fresh], scores[fresh]
        if not len(scores):
            return
        self.new_ratio = max(self.new_ratio, float(scores.max()))
        self.n_violating += int(np.count_nonzero(scores > self.threshold))
        self.add_fresh(subsets, scores)

    def merge(self, *, ratio: float, new_ratio: float, n_priced: int, n_degenerate: int, n_violating: int) -> None:
        """Statistics computed elsewhere (the sweep kernel) over candidates not passed to ``add``."""
        self.ratio, self.new_ratio = max(self.ratio, ratio), max(self.new_ratio, new_ratio)
        self.n_priced += n_priced
        self.n_degenerate += n_degenerate
        self.n_violating += n_violating

    def add_fresh(self, subsets: np.ndarray, scores: np.ndarray) -> None:
        """Offer candidates outside the working set (already counted) to the top-k."""
        if self.top <= 0 or not len(scores):
            return
        if len(scores) > self.top:
            keep = np.argpartition(-scores, self.top - 1)[: self.top]
            subsets, scores = subsets[keep], scores[keep]
        scores = np.concatenate([self.scores, scores])
        subsets = np.vstack([self.subsets, subsets])
        order = np.argsort(-scores, kind="stable")[: self.top]
        self.scores, self.subsets = scores[order], subsets[order]


def _excluded_pairs(ranks: np.ndarray, n: int) -> np.ndarray:
    """Boolean (n, n) mask, symmetric, of the sample pairs {i, j} whose colex rank i + C(j, 2) is in ranks."""
    mask = np.zeros((n, n), dtype=bool)
    ranks = np.asarray(ranks, dtype=np.int64)
    ranks = ranks[ranks < math.comb(n, 2)]  # the others contain a basis vector (l1)
    j = ((1 + np.sqrt(1 + 8 * ranks.astype(float))) // 2).astype(np.int64)
    j -= j * (j - 1) // 2 > ranks  # float sqrt may overshoot or undershoot by one
    j += (j + 1) * j // 2 <= ranks
    i = ranks - j * (j - 1) // 2
    mask[i, j] = mask[j, i] = True
    return mask


def _block_scores(X: np.ndarray, lam: np.ndarray, lam_X: np.ndarray, lam_sum: float, w: np.ndarray,
                  b: np.ndarray) -> np.ndarray:
    """max(|lambda . relu(Xw + b)|, |lambda . relu(-(Xw + b))|) per unit-norm (w, b) row.

    relu(-t) = relu(t) - t, so the second is the first minus lambda . (Xw + b) = (lambda X) . w + sum(lambda) b.
    """
    positive = np.maximum(X @ w.T + b, 0.0)
    plus = lam @ positive
    minus = plus - (w @ lam_X + lam_sum * b)
    return np.maximum(np.abs(plus), np.abs(minus))


# ---------------------------------------------------------------------------------------------
# angular sweep (2-D with bias), compiled with numba on first use
# ---------------------------------------------------------------------------------------------


def _axis_line_scores(X: np.ndarray, lam: np.ndarray, lam_X: np.ndarray, lam_sum: float, w: np.ndarray,
                      b: np.ndarray) -> np.ndarray:
    """``_block_scores`` for axis-parallel rows (one non-zero w_s per row) in O((n + m) log n):

    lambda . relu(|w_s| (x_s - c)) = |w_s| (A(c) - c B(c)),  c = -b / w_s,
    A(c) = sum_{x_ks > c} lambda_k x_ks,  B(c) = sum_{x_ks > c} lambda_k  (suffix sums over sorted x_s);

    the score max(|plus|, |minus|) is unchanged by (w, b) -> (-w, -b) (plus and minus swap), so each row
    is priced as (|w_s| e_s, -|w_s| c).
    """
    axis = np.argmax(w != 0, axis=1)
    scale = np.abs(w[np.arange(len(w)), axis])
    plus, minus = np.empty(len(w)), np.empty(len(w))
    for s in range(X.shape[1]):
        rows = np.flatnonzero(axis == s)
        order = np.argsort(X[:, s], kind="stable")
        xs = X[order, s]
        suffix_A = np.concatenate([np.cumsum((lam[order] * xs)[::-1])[::-1], [0.0]])
        suffix_B = np.concatenate([np.cumsum(lam[order][::-1])[::-1], [0.0]])
        c = -b[rows] / w[rows, s]
        at = np.searchsorted(xs, c, side="right")  # points with x_s = c contribute 0 either way
        plus[rows] = scale[rows] * (suffix_A[at] - c * suffix_B[at])
        minus[rows] = plus[rows] - scale[rows] * (lam_X[s] - c * lam_sum)  # relu(-t) = relu(t) - t
    return np.maximum(np.abs(plus), np.abs(minus))


# the kernels live in their own module (_kernels), so that numba's disk cache (keyed by the file)
# survives edits here


def _sweep_kernels():
    """(orders, round) on numba's round kernel (serial, compiled once and cached on disk): the orders
    are numpy's either way (its argsort is as fast as numba's)."""
    return _kernels.sweep_orders_np, _kernels.numba_round()


def _sweep_backend(n: int):
    """(orders, round) kernels of the sweep on n samples: numpy below :data:`SWEEP_MIN_SAMPLES`, whose
    rounds cost milliseconds to a second there, and numba from it on (compiled once, cached on disk)."""
    if n < SWEEP_MIN_SAMPLES:
        return _kernels.sweep_orders_np, _kernels.sweep_round_np
    return _sweep_kernels()


class SweepCache:
    """The lambda-independent part of the angular sweep for pivots start..stop-1 of X (2-D): per pivot
    the angular order of the samples and the arc bounds of every line through it, 12 n bytes per pivot
    (300 MB for all pivots at n = 5,000). Column generation computes it once for all pivots and reuses
    it in every pricing round (only lambda changes between rounds).

    Examples
    --------
    >>> SweepCache.bytes_per_pivot(5000) * 5000  # all pivots at n = 5,000 (numpy builds it: no compilation)
    300000000
    """

    def __init__(self, X: np.ndarray, start: int = 0, stop: int | None = None):
        self.X = np.ascontiguousarray(X, dtype=float)
        n = self.X.shape[0]
        self.start, self.stop = int(start), n if stop is None else int(stop)
        shape = (self.stop - self.start, n)
        self.order, self.left, self.right = (np.empty(shape, dtype=np.int32) for _ in range(3))
        orders, _ = _sweep_backend(n)
        orders(self.X, self.start, self.order, self.left, self.right)

    @staticmethod
    def bytes_per_pivot(n: int) -> int:
        """12 n: three int32 arrays of n entries per pivot."""
        return 3 * 4 * n

    @property
    def nbytes(self) -> int:
        """The bytes held."""
        return self.order.nbytes + self.left.nbytes + self.right.nbytes

    def covers(self, X: np.ndarray) -> bool:
        """Whether the cache holds every pivot of exactly these samples."""
        return self.start == 0 and self.stop == len(X) and self.X.shape == X.shape and np.array_equal(self.X, X)


def _pricing_chunk(n: int, chunk: int | None) -> int:
    if chunk is not None:
        if int(chunk) < 1:
            raise InvalidInputError(f"chunk must be a positive number of subsets, got {chunk}")
        return int(chunk)
    return int(max(256, min(config.chunk_columns, _PRICING_CHUNK_BYTES // (3 * 8 * n))))


#: the sweep runs on numba kernels from this many samples on (2-D with bias), on numpy below it
#: (:func:`_sweep_backend`): below it a numpy round takes at most about 0.3 s, against numba's serial
#: round's compilation (4.5 s once, cold) or its loading from the disk cache (1.3 s per process)
SWEEP_MIN_SAMPLES = NUMBA_SWEEP_MIN_SAMPLES
#: pricing="auto" sweeps (2-D with bias) from this many samples on; below it the stream is as fast
SWEEP_AUTO_MIN_SAMPLES = 150


def price(X: np.ndarray, lam: np.ndarray, beta: float, *, penalty: PenaltyName, bias: bool, top: int = 0,
          exclude: np.ndarray | None = None, tol: float = 1e-6, chunk: int | None = None,
          method: PricingName = "auto", verbose: bool = False, cache: SweepCache | None = None,
          milp_time_limit: float | None = None, milp_deadline: tuple[float, float] | None = None) -> Pricing:
    """Price every candidate subset of the full wedge dictionary against lambda.

    Returns the largest ratio |lambda . K_j| / beta over all columns, and the ``top`` most violating
    subsets whose colex ranks are not in ``exclude`` (the working set). ``method``: "sweep" (2-D with
    bias: O(n^2 log n) angular sweep, O(n^2) with a ``cache`` from an earlier pass on the same X; 3-D
    with bias: the pencil sweep of :mod:`ga_relu.convex.sweep3d`, O(n^3 log n), its cache a
    :class:`~ga_relu.convex.sweep3d.Sweep3DCache`), "stream" (chunks of the dictionary, any d), or
    "auto" (the sweep for 2-D with bias from ``SWEEP_AUTO_MIN_SAMPLES`` samples on and for 3-D with
    bias from ``SWEEP3D_AUTO_MIN_SAMPLES``, else the stream). The sweep also returns, in
    ``Pricing.per_sample``, the best line outside ``exclude`` through each sample. ``method="milp"``:
    ``milp_time_limit`` seconds per MILP side, each capped by the time left before ``milp_deadline``
    = (``time.perf_counter()`` time, the run's time limit in seconds), when given.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> pricing = price(X, np.array([0.5, -0.5, -0.5, 0.5]), 0.1, penalty="l1", bias=True, top=2)
    >>> pricing.method, pricing.subsets.shape, bool(pricing.ratio > 1)
    ('stream', (2, 2), True)
    """
    if method == "milp":
        return _price_milp(X, lam, beta, penalty=penalty, bias=bias, top=top, exclude=exclude, tol=tol,
                           verbose=verbose, time_limit=milp_time_limit, deadline=milp_deadline)
    start = time.perf_counter()
    n, d = X.shape
    k = subset_size(d, bias)
    norm = get_penalty(penalty)
    n_vertices = n + (d if norm.basis_vertices else 0)
    method = _pricing_method(method, n, d, bias)
    best = _TopK(top, k, np.zeros(0, dtype=np.int64) if exclude is None else np.asarray(exclude),
                 _binomial_table(n_vertices, k), 1.0 + tol)
    chunk = _pricing_chunk(n, chunk)
    if method == "stream":
        _price_stream(X, lam, beta, norm, bias, chunk, verbose, best)
        per_sample = (np.zeros((0, k), dtype=np.intp), np.zeros(0))
    elif d == 3:
        per_sample = _price_sweep3d(X, lam, beta, norm, tol, cache, best)
    else:
        per_sample = _price_sweep(X, lam, beta, norm, bias, top, tol, chunk, verbose, cache, best)
    return Pricing(ratio=best.ratio, new_ratio=best.new_ratio, subsets=best.subsets, scores=best.scores,
                   n_priced=best.n_priced, n_degenerate=best.n_degenerate, n_violating=best.n_violating,
                   seconds=time.perf_counter() - start, method=method, per_sample=per_sample)


def _price_milp(X, lam, beta, *, penalty, bias, top, exclude, tol, verbose, time_limit=None, deadline=None) -> Pricing:
    """pricing="milp" (l1): heuristics from the working set, then the exact MILP
    (:func:`ga_relu.convex.milp_pricing.price_with_milp`); its ratio is an upper bound whenever it
    is at most 1 + tol, so convergence still certifies. The working set's subsets are recovered
    from their colex ranks (``exclude``) to start the local search from."""
    from .milp_pricing import DEFAULT_TIME_LIMIT, price_with_milp

    if not get_penalty(penalty).basis_vertices:
        raise InvalidInputError("pricing='milp' is exact for penalty='l1' only; use pricing='stream' for l2")
    n, d = X.shape
    k = subset_size(d, bias)
    table = _binomial_table(n + d, k)
    excluded = np.zeros(0, dtype=np.int64) if exclude is None else np.asarray(exclude)
    report = status_line(verbose=verbose, desc="MILP pricing")
    found = price_with_milp(X, lam, beta, bias=bias, top=top, tol=tol, verbose=False,
                            time_limit=DEFAULT_TIME_LIMIT if time_limit is None else time_limit, deadline=deadline,
                            start=_subsets_of_ranks(excluded, table, k), report=report,
                            is_new=lambda S: ~np.isin(subset_ranks(S, table), excluded))
    if found["method"] != "milp (heuristic round)":
        report.close()  # an exact round leaves its line (bounds, MIP gap, seconds) on the terminal
    return Pricing(**found)


def _subsets_of_ranks(ranks: np.ndarray, table: np.ndarray, k: int) -> np.ndarray:
    """The sorted subsets of the given colex ranks (:func:`subset_ranks` inverted, greedily from the
    largest element down).

    >>> _subsets_of_ranks(subset_ranks(np.array([[0, 3], [1, 2]]), _binomial_table(4, 2)), _binomial_table(4, 2), 2)
    array([[0, 3],
           [1, 2]])
    """
    out = np.zeros((len(ranks), k), dtype=np.intp)
    for row, rank in enumerate(ranks.tolist()):
        for t in range(k, 0, -1):
            column = table[:, t]
            s = int(np.searchsorted(np.asarray(column, dtype=float if column.dtype == object else column.dtype),
                                    float(rank) if column.dtype == object else rank, side="right")) - 1
            while column[s] > rank:  # float search on Python integers: step back to the exact one
                s -= 1
            while s + 1 < len(column) and column[s + 1] <= rank:
                s += 1
            out[row, t - 1] = s
            rank -= int(column[s])
    return out


def _pricing_method(method: str, n: int, d: int, bias: bool) -> str:
    """"sweep" or "stream" for ``method`` (validated): "auto" takes the sweep in 2-D with bias from
    ``SWEEP_AUTO_MIN_SAMPLES`` samples on (O(n^2) per round against the stream's O(n^3); numpy
    kernels below ``SWEEP_MIN_SAMPLES``, numba's from it on)."""
    if method == "milp":  # the MILP oracle's pricing (:func:`_price_milp`): no enumeration, no sweep
        return method
    if method == "auto":
        method = "sweep" if (d == 2 and bias and n >= SWEEP_AUTO_MIN_SAMPLES) else "stream"
        if d == 3 and bias and n >= SWEEP3D_AUTO_MIN_SAMPLES:
            method = "sweep"
    if method == "sweep" and not (d in (2, 3) and bias):
        raise InvalidInputError("pricing method 'sweep' needs 2-D or 3-D data with bias; use method='stream'")
    if method not in ("sweep", "stream"):
        raise InvalidInputError(f"pricing method must be 'auto', 'sweep' or 'stream', got {method!r}")
    return method


def _price_stream(X, lam, beta, norm, bias, chunk, verbose, best: _TopK) -> None:
    """Price the dictionary chunk by chunk (any d) into ``best``."""
    n, d = X.shape
    k = subset_size(d, bias)
    total = math.comb(n + (d if norm.basis_vertices else 0), k)
    lam_X, lam_sum = lam @ X, float(lam.sum())
    blocks = iter_dictionary_chunks(X, penalty=norm.name, bias=bias, chunk=chunk)
    for block in progress(blocks, verbose=verbose, total=-(-total // chunk), desc="pricing", unit="chunk"):
        best.n_degenerate += block.n_degenerate
        best.add(block.subsets, _block_scores(X, lam, lam_X, lam_sum, block.weights, block.biases) / beta)


def _sweep3d_cache(problem: Problem):
    """The lambda-free part of the 3-D sweep over the problem's samples, kept for every round."""
    from .sweep3d import Sweep3DCache

    return Sweep3DCache(problem.X, problem.penalty.name)


def _price_sweep3d(X, lam, beta, norm, tol, cache, best: _TopK):
    """Price every plane of 3-D data with bias by the pencil sweep (:mod:`ga_relu.convex.sweep3d`)
    into ``best``, on ``cache`` when it is a :class:`~ga_relu.convex.sweep3d.Sweep3DCache` of X."""
    from .sweep3d import Sweep3DCache, sweep3d_price

    if not (isinstance(cache, Sweep3DCache) and cache.covers(X) and cache.penalty.name == norm.name):
        cache = Sweep3DCache(X, norm.name, keep=False)
    return sweep3d_price(cache, lam, beta, best, violation=1.0 + tol)




def _price_sweep3d_partial(run: "_Run", lam: np.ndarray, top: int, exclude) -> Pricing | None:
    """A heuristic round on the 3-D sweep's cache (:func:`ga_relu.convex.sweep3d.sweep3d_price`
    with a stride: a rotating 1 / ``SWEEP3D_PARTIAL_STRIDE`` of the pencils, whose blocks it builds
    when first priced), or None when it finds no violator (then the round prices exhaustively). Its
    ratio is a lower bound above 1 + tol (``exhaustive=False``): column generation never stops on it."""
    from .sweep3d import Sweep3DCache, sweep3d_price

    p, cache = run.problem, run.cache
    if not isinstance(cache, Sweep3DCache):
        return None
    start = time.perf_counter()
    tol = run.options.tol
    best = _TopK(top, 3, np.zeros(0, dtype=np.int64) if exclude is None else np.asarray(exclude), run.table,
                 1.0 + tol)
    run.partial_rounds += 1
    per_sample = sweep3d_price(cache, lam, p.beta, best, violation=1.0 + tol, stride=SWEEP3D_PARTIAL_STRIDE,
                               offset=run.partial_rounds)
    if not best.new_ratio > 1.0 + tol:
        return None
    return Pricing(ratio=best.ratio, new_ratio=best.new_ratio, subsets=best.subsets, scores=best.scores,
                   n_priced=best.n_priced, n_degenerate=best.n_degenerate, n_violating=best.n_violating,
                   seconds=time.perf_counter() - start, method="sweep (heuristic round)", per_sample=per_sample,
                   exhaustive=False)


#: the sweep's normal of the pair (x_i, x_j) is perp(x_j - x_i), whose entries are float differences,
#: exactly zero if and only if x_j == x_i (IEEE subtraction with gradual underflow): the only
#: provably vanishing normal, so the threshold is 0 and no scale of the data enters
_SWEEP_ZERO_NORMAL = 0.0


def _sweep_pivots_per_block(n: int, chunk: int) -> int:
    """Pivots per block of an uncached sweep: as many as a stream chunk's memory holds. A stream chunk
    of ``chunk`` subsets holds about 3 float64 arrays of n entries per subset (24 n chunk bytes), a
    pivot's orders 12 n bytes (:meth:`SweepCache.bytes_per_pivot`), so 2 chunk pivots; at n = 1,000
    that is every pivot at once. (chunk // n pivots, as before, meant blocks of one or two pivots
    from n = 1,000 on, whose per-block overhead made an uncached pass take 10-17 s instead of 1 s.)

    >>> _sweep_pivots_per_block(5000, 400), _sweep_pivots_per_block(25, 3)
    (800, 6)
    """
    return max(1, 2 * int(chunk))


#: pivots per thread below which a sweep round stays on one thread (a thread's start costs ~0.1 ms,
#: a pivot's row ~0.1 ms at n = 1,000)
_THREAD_MIN_PIVOTS = 256


def _on_threads(rows, m: int, parallel: bool) -> None:
    """``rows(a, b)`` over [0, m) split into contiguous ranges, one per thread: ``ga_relu.options.threads``
    of them, or the CPUs this process may run on when that is None. The numba round releases the
    GIL (``nogil=True``) and writes only its own rows of the outputs, so the split changes no number:
    each pivot's row is computed by the same code on the same inputs. Serial (one call) for the numpy
    round, whose buffers are per call but whose operations hold the GIL between them."""
    import os

    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = config.threads if config.threads is not None else available
    workers = max(1, min(workers, m // _THREAD_MIN_PIVOTS)) if parallel else 1
    if workers == 1:
        rows(0, m)
        return
    from concurrent.futures import ThreadPoolExecutor

    bounds = np.linspace(0, m, workers + 1).astype(int)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for done in [pool.submit(rows, int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:])]:
            done.result()


def _price_sweep(X, lam, beta, norm, bias, top, tol, chunk, verbose, cache, best: _TopK):
    """Price every line of the 2-D plane by the angular sweep into ``best`` (plus, for l1, the
    axis-parallel lines through the basis vectors); returns the best new line through each sample."""
    n, d = X.shape
    X = np.ascontiguousarray(X, dtype=float)
    lam = np.ascontiguousarray(lam, dtype=float)
    lam_X, lam_sum = lam @ X, float(lam.sum())
    _, sweep_round = _sweep_backend(n)
    excluded = _excluded_pairs(best.exclude, n)
    top = max(int(top), 0)
    best_score, best_j = np.empty(n), np.empty(n, dtype=np.int64)
    if cache is not None and cache.covers(X):
        blocks = [cache]
    else:  # orders recomputed block by block: O(n^2 log n), memory bounded by the chunk's
        per_block = _sweep_pivots_per_block(n, chunk)
        blocks = (SweepCache(X, s, min(s + per_block, n)) for s in range(0, n, per_block))
    for block in progress(blocks, verbose=verbose and cache is None, total=-(-n // _sweep_pivots_per_block(n, chunk)),
                          desc="pricing (sweep)", unit="block"):
        m = block.stop - block.start
        stats = [np.empty(m) for _ in range(2)] + [np.empty(m, dtype=np.int64) for _ in range(3)]
        heap_score, heap_j = np.full((m, top), -1.0), np.full((m, top), -1, dtype=np.int64)
        outputs = [*stats, best_score[block.start : block.stop], best_j[block.start : block.stop], heap_score, heap_j]

        def sweep_rows(a: int, b: int, outputs=outputs, block=block) -> None:
            sweep_round(X, block.start + a, lam, block.order[a:b], block.left[a:b], block.right[a:b], norm.p == 1,
                        _SWEEP_ZERO_NORMAL, 1.0 / beta, 1.0 + tol, excluded, top, *(o[a:b] for o in outputs))

        _on_threads(sweep_rows, m, parallel=sweep_round is not _kernels.sweep_round_np)
        ratio, new_ratio, n_valid, n_degenerate, n_violating = stats
        best.merge(ratio=float(ratio.max(initial=0.0)), new_ratio=float(new_ratio.max(initial=0.0)),
                   n_priced=int(n_valid.sum()), n_degenerate=int(n_degenerate.sum()),
                   n_violating=int(n_violating.sum()))
        r, c = np.nonzero(heap_j >= 0)
        best.add_fresh(np.column_stack([block.start + r, heap_j[r, c]]), heap_score[r, c])
    # the best new line through each sample (a pair best from both ends listed once), best first
    has = np.flatnonzero(best_j >= 0)
    pairs, first = np.unique(np.sort(np.column_stack([has, best_j[has]]), axis=1), axis=0, return_index=True)
    order = np.argsort(-best_score[has][first], kind="stable")
    if norm.basis_vertices:  # subsets with a basis vector: axis-parallel lines (and e_1, e_2: no line)
        extra = np.array([(i, n + t) for i in range(n) for t in range(d)] + [(n, n + 1)], dtype=np.intp)
        kept, w, b, degenerate = build_columns(X, extra, norm.name, bias)
        best.n_degenerate += int(degenerate.sum())
        best.add(kept, _axis_line_scores(X, lam, lam_X, lam_sum, w, b) / beta)
    return pairs[order], best_score[has][first][order]


# ---------------------------------------------------------------------------------------------
# restricted problems
# ---------------------------------------------------------------------------------------------


def _solve_squared_qp(K: np.ndarray, y: np.ndarray, beta: float, fit_intercept: bool) -> LassoSolution:
    """min 0.5 ||r||^2 + beta 1.(z+ + z-)  s.t.  K z+ - K z- + c 1 - r = y,  z+-, >= 0, with Clarabel
    called directly: no cvxpy compilation, which dominates small restricted solves."""
    import clarabel
    from scipy import sparse

    n, p = K.shape
    q = 1 if fit_intercept else 0
    N = 2 * p + q + n
    P = sparse.csc_matrix((np.ones(n), (np.arange(2 * p + q, N), np.arange(2 * p + q, N))), shape=(N, N))
    cost = np.concatenate([np.full(2 * p, beta), np.zeros(q + n)])
    blocks = [sparse.csc_matrix(K), sparse.csc_matrix(-K)]
    if q:
        blocks.append(sparse.csc_matrix(np.ones((n, 1))))
    blocks.append(-sparse.identity(n, format="csc"))
    equality = sparse.hstack(blocks, format="csc")
    bounds = sparse.hstack([-sparse.identity(2 * p, format="csc"), sparse.csc_matrix((2 * p, q + n))], format="csc")
    A = sparse.vstack([equality, bounds], format="csc")
    b = np.concatenate([y, np.zeros(2 * p)])
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    settings.tol_gap_abs = settings.tol_gap_rel = settings.tol_feas = _QP_TOLERANCE
    settings.tol_ktratio = 1e-8
    start = time.perf_counter()
    solution = clarabel.DefaultSolver(P, cost, A, b, [clarabel.ZeroConeT(n), clarabel.NonnegativeConeT(2 * p)],
                                      settings).solve()
    elapsed = time.perf_counter() - start
    status = str(solution.status)
    if "Solved" not in status:
        raise SolverError(
            f"Clarabel returned status {status} on the restricted Lasso ({n} samples, {2 * p} columns, "
            f"beta={beta:g}); try rescaling X and y to unit scale or a larger beta")
    x = np.asarray(solution.x)
    z = x[:p] - x[p : 2 * p]
    c = float(x[2 * p]) if q else 0.0
    lam = SQUARED.dual_vector(K @ z + c, y)
    return LassoSolution(z=z, intercept=c, lam=lam, status="optimal" if status == "Solved" else status.lower(),
                         solve_time=elapsed, solver_value=float(solution.obj_val))


def _solve_restricted(problem: Problem, K: np.ndarray, solver: str, z0=None, *,
                      memo: dict | None = None) -> LassoSolution:
    """The Lasso on the working set's columns K with the restricted solver of :class:`ColgenOptions`
    ("active-set" and "clarabel" are only chosen for a quadratic loss).

    "active-set" is the dual active-set method (:func:`~ga_relu.convex.solvers.squared_lasso_active_set`,
    Goldfarb-Idnani on the dual projection), warm-started from the previous round's z: lambda is
    unique and the primal basic, so dependent columns (relu(t) - relu(-t) = t) cost steps, never a
    cycle; Clarabel on the same dual (:func:`~ga_relu.convex.solvers.squared_lasso_dual`) only if
    it fails. Measured (2-D with bias, n = 120, l2, beta = 1e-3, batch 30, 66 rounds, 2 cores under a
    load of ~5): the restricted solves of a run took 1.3-1.6 s, where feature-sign search with the
    dual QP as its fallback took 19-47 s. The convergence test does not rest on this solver's tolerances: it is
    the exhaustive pricing of the whole dictionary and the weak-duality gap bound. ``memo``: the
    run's record of what failed before (:func:`_solve_logistic_restricted`).
    """
    y, beta, fit_intercept = problem.y, problem.beta, problem.fit_intercept
    if solver == "active-set":
        try:
            return squared_lasso_active_set(K, y, beta, fit_intercept=fit_intercept, z0=z0)
        except SolverError:  # round-off defeated the active set: the interior point on the same dual
            return squared_lasso_dual(K, y, beta, fit_intercept=fit_intercept)
    if solver == "clarabel":
        return _solve_squared_qp(K, y, beta, fit_intercept)
    program = LassoProgram(K, y, loss=problem.loss, fit_intercept=fit_intercept, smaller_problem_hint=_RESTRICTED_HINT)
    if problem.loss.name == "logistic" and y.ndim == 1:
        return _solve_logistic_restricted(program, problem, z0, memo=memo)
    return program.solve(beta)


#: Newton steps a warm start from the previous round may take before the cone program is tried
_WARM_NEWTON_STEPS = 60
#: samples from which the restricted logistic solve tries Newton before the cone program: the cone
#: program's cost grows with its n exponential cones (0.3 s at n = 80, 14-23 s at n = 1,500 under
#: load), while Newton's inner active-set solves can take 100 s on nearly separable small sets
_NEWTON_FIRST_SAMPLES = 400


def _solve_logistic_restricted(program: LassoProgram, problem: Problem, z0=None, *,
                               memo: dict | None = None) -> LassoSolution:
    """The restricted logistic Lasso. From ``_NEWTON_FIRST_SAMPLES`` samples on: at most
    ``_WARM_NEWTON_STEPS`` steps of proximal Newton
    (:func:`~ga_relu.convex.solvers.logistic_lasso`) from the previous round's solution ``z0`` (the
    new columns at zero; from zero in the first round), and when that does not reach the optimality
    conditions, Clarabel's exponential cones, then proximal Newton warm-started at the interior
    point. Newton's KKT stop makes the answer exact either way (zeros exactly zero, conditions to
    1e-11 beta).

    Consecutive working sets differ by a few columns, so the previous optimum is a few Newton steps
    from the next one. On moons (n = 1,500, beta = 1, 2-D with bias, load 7 on 2 cores) the cone
    solves took 14-23 s each (1,500 exponential cones) and the fit 47 s; with the bounded Newton
    runs first, every round took 0.1-1.1 s and the fit 14 s. Once a bounded run fails, the rest of
    the run (``memo["cone_first"]``) goes to the cone program directly: on nearly separable classes
    (80 random 2-D labels, beta = 0.01) Newton fails round after round, and trying it each time
    made the fit 3-10x slower (some bounded runs took 100 s in their inner active-set solves), which
    is why small sets, whose cone programs are cheap, go to the cone program first.

    Proximal Newton alone, from z = 0, needs hundreds of steps when the classes are nearly
    separable at small beta (80 random 2-D labels, beta = 0.01: 10-70 s per restricted solve, and
    column generation did not finish in 500 s); from the interior point it needs a few (the whole
    fit: 18 s, 25 rounds). When either step fails, the program's own order (Newton from zero, the
    cone program as its fallback) runs instead.
    """
    start = time.perf_counter()
    memo = {} if memo is None else memo
    if len(problem.y) >= _NEWTON_FIRST_SAMPLES and not memo.get("cone_first"):
        try:  # a bounded Newton run first: from the previous round's optimum, or from zero in round one
            solution = logistic_lasso(program.K, problem.y, problem.beta, fit_intercept=problem.fit_intercept,
                                      z0=None if z0 is None else np.asarray(z0, dtype=float),
                                      max_newton=_WARM_NEWTON_STEPS)
            solution.solve_time = time.perf_counter() - start
            return solution
        except (SolverError, np.linalg.LinAlgError):  # e.g. nearly separable classes at small beta
            memo["cone_first"] = True
    try:
        interior = program.solve_cone(problem.beta)
        # the interior point leaves ~1e-9 of its largest coefficient on every column; a warm start
        # on the support lets Newton's working set begin there (its KKT stop decides the rest)
        z0 = np.where(np.abs(interior.z) > 1e-7 * np.abs(interior.z).max(initial=0.0), interior.z, 0.0)
        solution = logistic_lasso(program.K, problem.y, problem.beta, fit_intercept=problem.fit_intercept, z0=z0,
                                  c0=float(interior.intercept))
    except (SolverError, np.linalg.LinAlgError):  # LinAlgError: a singular Newton model inside the solver
        return program.solve(problem.beta)
    solution.solve_time = time.perf_counter() - start
    return solution


#: the fix a failed restricted solve names: column generation takes neither subsets= nor method=
_RESTRICTED_HINT = "fewer columns per round (batch=) or a looser tol="


def _working_dictionary(problem: Problem, subsets, n_candidates, n_degenerate) -> Dictionary:
    kept, w, b, degenerate = build_columns(problem.X, subsets, problem.penalty.name, problem.bias)
    return Dictionary(penalty=problem.penalty.name, bias=problem.bias, n_samples=problem.n, dim=problem.d,
                      subsets=kept, weights=w, biases=b, n_candidates=n_candidates, n_degenerate=n_degenerate,
                      sampled=False)


# ---------------------------------------------------------------------------------------------
# options and memory
# ---------------------------------------------------------------------------------------------



@dataclasses.dataclass(frozen=True, eq=False)  # eq=False: working_set is an array
class ColgenOptions:
    """The settings of column generation, validated and with their defaults resolved for a problem.

    Parameters
    ----------
    tol : float
        Stop when the dual ratio max_j |lambda . K_j| / beta <= 1 + tol over the whole dictionary
        and the weak-duality gap bound that ratio gives is at most ``gap_tol`` |P|.
    max_iter : int
        Rounds before ConvergenceError.
    init_columns : int
        Subsets of the first working set (the best-priced ones at z = 0).
    batch : int
        Most violating subsets added per round (default 3 n, at most 360, for the squared loss;
        n / 4, at most 250, otherwise); the default is trimmed to what fits the memory budget.
    chunk : int or None
        Subsets per pricing chunk (None: from the memory budget).
    working_set : (m, k) array or None
        Vertex subsets to start from, instead of the first pricing.
    pricing : {"auto", "sweep", "stream"}
    solver : {"active-set", "clarabel", "cvxpy"}
        The restricted solver ("auto" resolved).
    prune : bool
        Drop working-set subsets whose coefficients are zero before adding new ones.
    time_limit : float
        Seconds after which the run stops with :class:`~ga_relu.errors.TimeLimitError`, which states
        the ratio and the gap bound reached (``ga_relu.options.colgen_time_limit`` by default).
        Checked after each round; a MILP pricing's sides are capped by the time left, and the
        error's own pricing (for its gap bound) by a tenth of the limit.
    gap_tol : float
        The certificate's test (:data:`GAP_TOL`, its default): the round's gap bound
        (:func:`full_dictionary_gap`) at most ``gap_tol`` max(|P|, tiny). While the ratio passes and
        this does not, every column above ratio 1 (not 1 + tol) is a violator.
    milp_time_limit : float or None
        pricing="milp": seconds per side of each pricing MILP (None:
        :data:`ga_relu.convex.milp_pricing.DEFAULT_TIME_LIMIT`). A side stopped there prices by its
        dual bound, an upper bound: the run then certifies only if that bound does.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), [0.0, 1.0, 2.0], beta=0.1)
    >>> options = ColgenOptions.for_problem(problem)
    >>> options.tol, options.solver, options.batch
    (1e-06, 'active-set', 10)
    """

    tol: float
    max_iter: int
    init_columns: int
    batch: int
    chunk: int | None
    working_set: np.ndarray | None
    pricing: str
    solver: str
    prune: bool
    time_limit: float = math.inf
    milp_time_limit: float | None = None
    #: the stop's weak-duality test: the gap bound at most gap_tol |P| (the default of
    #: :attr:`ga_relu.certification.certificate.Certificate.gap_tol`, so that a fit that stops has
    #: the bound its certificate asks for)
    gap_tol: float = GAP_TOL

    @classmethod
    def for_problem(cls, problem: Problem, *, tol: float | None = None, max_iter: int = 100,
                    init_columns: int | None = None, batch: int | None = None, chunk: int | None = None,
                    working_set=None, pricing: PricingName = "auto", solver: RestrictedSolverName = "auto",
                    prune: bool = True, time_limit: float | None = None, milp_time_limit: float | None = None,
                    **unknown) -> "ColgenOptions":
        """Validate the options against ``problem`` and fill in the defaults (``fit_colgen``'s);
        InvalidInputError for a name that is not an option."""
        _refuse_unknown(unknown)
        if problem.n_outputs != 1:
            raise InvalidInputError("method='colgen' supports one output; for several outputs (T5) use method='wedge'")
        if not (isinstance(max_iter, (int, np.integer)) and max_iter >= 1):
            raise InvalidInputError(f"max_iter must be a positive integer, got {max_iter!r}")
        loss = problem.loss
        tol = loss.default_colgen_tol if tol is None else tol
        if not (tol >= 0 and math.isfinite(tol)):
            raise InvalidInputError(f"tol must be a finite number >= 0, got {tol!r}")
        if solver not in _RESTRICTED_SOLVERS:
            raise InvalidInputError(f"solver must be 'auto', 'active-set', 'clarabel' or 'cvxpy', got {solver!r}")
        solver = ("active-set" if loss.quadratic else "cvxpy") if solver == "auto" else solver
        if solver in ("active-set", "clarabel") and not loss.quadratic:
            raise InvalidInputError(f"solver={solver!r} solves the squared loss only; use solver='cvxpy' for "
                                    f"loss={loss.name!r}")
        if pricing not in _PRICING_METHODS:
            raise InvalidInputError(f"pricing method must be 'auto', 'sweep' or 'stream', got {pricing!r}")
        if chunk is not None:
            chunk = _pricing_chunk(problem.n, chunk)
        if batch is None:
            # quadratic loss: the dual active set's cost grows with the steps, barely with the columns
            # (one K^T lambda per step), so large batches cut rounds. Measured (2-D with bias, l2,
            # n = 120; batch 30 / 120 / 360 / 1000): rounds 26/12/8/6 at beta 0.05, 66/30/18/12 at
            # 1e-3, 146/58/29/22 at 1e-4, time lowest at 360-1000. Other losses solve cone programs
            # or LPs whose cost grows with the columns: the old n / 4 (at most 250) stays.
            batch = min(max(10, 3 * problem.n), 360) if loss.quadratic else min(max(10, problem.n // 4), 250)
        batch = int(batch)
        init_columns = batch if init_columns is None else int(init_columns)
        time_limit = config.colgen_time_limit if time_limit is None else time_limit
        if isinstance(time_limit, bool) or not isinstance(time_limit, (int, float, np.integer, np.floating)) \
                or not time_limit > 0:
            raise InvalidInputError(f"time_limit must be a number of seconds > 0 (math.inf for none), got {time_limit!r}")
        if milp_time_limit is not None and (isinstance(milp_time_limit, bool) or not isinstance(
                milp_time_limit, (int, float, np.integer, np.floating)) or not 0 < milp_time_limit < math.inf):
            raise InvalidInputError(f"milp_time_limit must be a finite number of seconds > 0 per pricing MILP side "
                                    f"(None for the default), got {milp_time_limit!r}")
        return cls(tol=float(tol), max_iter=int(max_iter), init_columns=init_columns, batch=batch, chunk=chunk,
                   working_set=working_set, pricing=pricing, solver=solver, prune=bool(prune),
                   time_limit=float(time_limit),
                   milp_time_limit=None if milp_time_limit is None else float(milp_time_limit))


#: the options of column generation, in :func:`fit_colgen`'s order
OPTION_NAMES = ("tol", "max_iter", "init_columns", "batch", "chunk", "working_set", "pricing", "solver", "prune",
                "time_limit", "milp_time_limit")


def _refuse_unknown(unknown: dict) -> None:
    """InvalidInputError naming options that column generation does not take (not Python's TypeError)."""
    if unknown:
        raise InvalidInputError(f"unknown column generation option(s) {sorted(unknown)}; it takes: "
                                f"{', '.join(OPTION_NAMES)}")


@dataclasses.dataclass(frozen=True)
class MemoryPlan:
    """Bytes for column generation: pricing chunks, the sweep's cache, and the working set's matrix.

    Pricing chunks take at most a quarter of the budget unless the caller fixed the chunk; the
    sweep's lambda-independent orders are kept when they fit in a quarter of it.

    Examples
    --------
    The working set's bytes are those its restricted solver holds
    (:func:`ga_relu.convex.budget.restricted_solve_bytes`: about 3 copies of its matrix and the
    Gram matrix for feature-sign search, the cone program's multiple for Clarabel and cvxpy).

    >>> plan = MemoryPlan(budget=10**6, n=10, chunk=256, sweep_cache=False)
    >>> plan.pricing_bytes
    61440
    >>> plan.check(2, iteration=0, ratio=float("nan"))
    """

    budget: int
    n: int
    chunk: int
    sweep_cache: bool
    solver: str = "active-set"
    cache_bytes: int | None = None  # the 3-D sweep's cache (:func:`ga_relu.convex.sweep3d.sweep3d_bytes`)

    @property
    def pricing_bytes(self) -> int:
        """A few n x chunk float64 work arrays, plus the sweep cache (12 n bytes per pivot in 2-D)."""
        cache = (self.cache_bytes if self.cache_bytes is not None else SweepCache.bytes_per_pivot(self.n) * self.n) \
            if self.sweep_cache else 0
        return 3 * 8 * self.n * self.chunk + cache

    def check(self, m_subsets: int, iteration: int, ratio: float) -> None:
        """DictionaryTooLargeError when a working set of ``m_subsets`` does not fit the budget."""
        need = restricted_solve_bytes(self.n, 2 * m_subsets, self.solver) + self.pricing_bytes
        if need > self.budget:
            reached = "before the first solve" if iteration == 0 else \
                f"after {iteration} iteration(s) with pricing ratio {ratio:.6g}"
            raise DictionaryTooLargeError(
                f"column generation needs {need / 2**20:.2f} MiB for a working set of {m_subsets:,} subsets "
                f"({2 * m_subsets:,} columns of {self.n} samples) plus pricing chunks of {self.chunk:,} subsets, "
                f"above the memory budget of {self.budget / 2**20:.2f} MiB ({reached}); raise memory_budget "
                "(or ga_relu.options.memory_budget_bytes), or lower batch/chunk")


def plan_memory(problem: Problem, options: ColgenOptions, memory_budget: int | None) -> MemoryPlan:
    """The :class:`MemoryPlan` of a run: the pricing chunk from the budget, and whether the sweep's
    orders are cached (pricing "sweep", or "auto" in 2-D with bias from ``SWEEP_MIN_SAMPLES`` samples).

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), [0.0, 1.0, 2.0], beta=0.1)
    >>> plan_memory(problem, ColgenOptions.for_problem(problem), memory_budget=10**6).sweep_cache
    False
    """
    method = _pricing_method(options.pricing, problem.n, problem.d, problem.bias)
    return _memory_plan(problem, method, options.chunk, memory_budget, solver=options.solver)


def _memory_plan(problem: Problem, method: str, chunk: int | None, memory_budget,
                 solver: str = "active-set") -> MemoryPlan:
    """:class:`MemoryPlan` for a resolved pricing method (``plan_memory``'s)."""
    from .dictionary import check_memory_budget

    n = problem.n
    budget = check_memory_budget(memory_budget)
    chunk = chunk if chunk is not None else int(max(16, min(_pricing_chunk(n, None), budget // (4 * 3 * 8 * n))))
    if method == "sweep" and problem.d == 3:  # the 3-D sweep's cache (:mod:`ga_relu.convex.sweep3d`)
        from .sweep3d import sweep3d_bytes

        cache_bytes = sweep3d_bytes(n, problem.penalty.name)
        return MemoryPlan(budget=budget, n=n, chunk=chunk, sweep_cache=cache_bytes <= budget // 4, solver=solver,
                          cache_bytes=cache_bytes)
    cache = method == "sweep" and SweepCache.bytes_per_pivot(n) * n <= budget // 4
    return MemoryPlan(budget=budget, n=n, chunk=chunk, sweep_cache=bool(cache), solver=solver)


# ---------------------------------------------------------------------------------------------
# column generation
# ---------------------------------------------------------------------------------------------


def _null_dual(problem: Problem) -> np.ndarray:
    """lambda at z = 0 (intercept only): the first pricing needs no working set."""
    y = problem.y
    if problem.loss.quadratic:
        return problem.loss.dual_vector(np.full_like(y, y.mean() if problem.fit_intercept else 0.0), y)
    zero = np.zeros((problem.n, 1))
    return LassoProgram(zero, y, loss=problem.loss, fit_intercept=problem.fit_intercept).solve(problem.beta).lam


def _new_columns(pricing: Pricing, batch: int, tol: float, table: np.ndarray) -> np.ndarray:
    """The subsets to add: the ``batch`` most violating ones and (sweep) the best violating line through
    each of up to ``batch`` samples. The top violators are often near-copies of one line; the per-sample
    best lines spread the batch over the plane, which cuts the number of rounds."""
    fresh = pricing.subsets[pricing.scores > 1.0 + tol]
    spread, scores = pricing.per_sample
    if len(scores):
        spread = spread[scores > 1.0 + tol][:batch]
        fresh = np.vstack([fresh, spread])
        _, first = np.unique(subset_ranks(fresh, table), return_index=True)
        fresh = fresh[np.sort(first)]
    return fresh


def _affordable(memory: MemoryPlan, m_kept: int, wanted: int) -> int:
    """How many of ``wanted`` new subsets fit the memory budget next to ``m_kept`` (at least one, so
    that :meth:`MemoryPlan.check` still names a budget that holds no working set at all): the default
    batch (3 n for the squared loss) is a speed choice, not worth a DictionaryTooLargeError."""
    def fits(k: int) -> bool:
        return restricted_solve_bytes(memory.n, 2 * (m_kept + k), memory.solver) + memory.pricing_bytes \
            <= memory.budget

    low, high = 1, max(int(wanted), 1)  # the largest k in [1, wanted] that fits (or 1)
    if fits(high):
        return high
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low


@dataclasses.dataclass
class _Run:
    """What one run of column generation carries from round to round: the pricing context and the
    running totals that end up in ``result.info``."""

    problem: Problem
    options: ColgenOptions
    memory: MemoryPlan
    cache: SweepCache | None
    table: np.ndarray
    n_candidates: int
    verbose: bool
    work: PricingWork
    started: float
    history: list = dataclasses.field(default_factory=list)
    price_time: float = 0.0
    solve_time: float = 0.0
    n_priced: int = 0
    partial_rounds: int = 0

    def price(self, lam: np.ndarray, top: int, exclude=None, partial: bool = False,
              tol: float | None = None, deadline: float | None = None) -> Pricing:
        """Price the whole dictionary against lambda, counting the time and the subsets priced;
        ``partial``: a heuristic round first where the pricing has one (the 3-D sweep); ``tol``: the
        violation threshold 1 + tol of the subsets kept (the options' tol by default). MILP pricing
        ends by ``deadline`` (a ``time.perf_counter()`` time; by default the end of the run's
        ``time_limit``): each side's limit is capped by the time left, so a round cannot overrun
        the run's limit by a whole MILP."""
        p, o = self.problem, self.options
        tol = o.tol if tol is None else tol
        pricing = _price_sweep3d_partial(self, lam, top, exclude) if partial and p.d == 3 and tol == o.tol else None
        if pricing is not None:
            self.price_time += pricing.seconds
            self.n_priced += pricing.n_priced
            return pricing
        if deadline is None and math.isfinite(o.time_limit):
            deadline = self.started + o.time_limit
        pricing = price(p.X, lam, p.beta, penalty=p.penalty.name, bias=p.bias, top=top, exclude=exclude, tol=tol,
                        chunk=self.memory.chunk, method=self.work.method, verbose=self.verbose, cache=self.cache,
                        milp_time_limit=o.milp_time_limit,
                        milp_deadline=None if deadline is None else (deadline, o.time_limit))
        self.price_time += pricing.seconds
        self.n_priced += pricing.n_priced
        return pricing


def plan_pricing(problem: Problem, pricing: PricingName = "auto",
                 memory_budget: int | None = None) -> tuple[PricingWork, MemoryPlan]:
    """The pricing a run will use and its predicted work per round (:mod:`ga_relu.convex.budget`),
    with the memory plan; WorkTooLargeError when a round is predicted above
    ``ga_relu.options.max_pricing_seconds``, before anything is computed.

    ``pricing="auto"`` takes the angular sweep in 2-D with bias from ``SWEEP_AUTO_MIN_SAMPLES``
    samples on (numpy kernels below ``SWEEP_MIN_SAMPLES``, numba's from it on), and also below that
    when the stream would be the slower one beyond the limit; else the stream.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.random.default_rng(0).normal(size=(200, 10)), np.zeros(200), beta=1.0)
    >>> plan_pricing(problem)
    Traceback (most recent call last):
    ...
    ga_relu.errors.WorkTooLargeError: column generation would price 3.7e+16 candidate subsets per round (7.4e+18 candidate subsets x samples by stream pricing, about 2.35e+04 years per round), above ga_relu.options.max_pricing_seconds = 10 s; fit(..., subsets=K) gives a sampled fit whose distance from the optimum ga_relu.certification.sampled.sampled_gap() bounds, or raise ga_relu.options.max_pricing_seconds to run it anyway
    """
    n, d, penalty, bias = problem.n, problem.d, problem.penalty.name, problem.bias
    method = _pricing_method(pricing, n, d, bias)
    if method == "milp":  # no enumeration: each MILP is bounded by its own time limit instead
        work = PricingWork("milp", n_candidate_subsets(n, d, penalty, bias), 0.0, 0.0)
        return work, _memory_plan(problem, method, None, memory_budget)
    if pricing == "auto" and method == "stream" and d in (2, 3) and bias:
        if pricing_work(n, d, penalty=penalty, bias=bias, method="stream").seconds > config.max_pricing_seconds:
            method = "sweep"
    memory = _memory_plan(problem, method, None, memory_budget)
    if method == "milp":  # no enumeration: each MILP is bounded by its own time limit
        return PricingWork("milp", n_candidate_subsets(n, d, penalty, bias), 0.0, 0.0), memory
    work = pricing_work(n, d, penalty=penalty, bias=bias, method=method, cached=memory.sweep_cache)
    check_pricing_work(work)
    return work, memory


def _start(problem: Problem, options: ColgenOptions, memory_budget, verbose) -> _Run:
    """The run's context: the pricing and its predicted work (refused at once above the bound), the
    memory plan, the sweep cache (its time counts as pricing) and the rank table."""
    started = time.perf_counter()
    work, _ = plan_pricing(problem, options.pricing, memory_budget)
    memory = _memory_plan(problem, work.method, options.chunk, memory_budget, solver=options.solver)
    cache, cache_time = None, 0.0
    if memory.sweep_cache:
        cache_start = time.perf_counter()
        cache = SweepCache(problem.X) if problem.d == 2 else _sweep3d_cache(problem)
        cache_time = time.perf_counter() - cache_start
    n_candidates = n_candidate_subsets(problem.n, problem.d, problem.penalty.name, problem.bias)
    run = _Run(problem, options, memory, cache, _binomial_table(problem.n_vertices, problem.subset_size),
               n_candidates, verbose, work, started)
    run.price_time += cache_time
    return run


def _initial_working_set(run: _Run) -> np.ndarray:
    """The given ``working_set`` (checked, degenerate subsets dropped), or the subsets that violate
    the dual constraint most at z = 0 (at least the best one)."""
    problem, options = run.problem, run.options
    k, n_vertices = problem.subset_size, problem.n_vertices
    if options.working_set is not None:
        subsets = np.sort(np.asarray(options.working_set, dtype=np.intp), axis=1)
        if subsets.ndim != 2 or subsets.shape[1] != k or (subsets.size and (subsets.min() < 0
                                                                           or subsets.max() >= n_vertices)):
            raise InvalidInputError(f"working_set must be an (m, {k}) array of vertex indices in [0, {n_vertices})")
        subsets = np.unique(subsets, axis=0)
        subsets, *_ = build_columns(problem.X, subsets, problem.penalty.name, problem.bias)
    else:
        lam = _null_dual(problem)
        top = _affordable(run.memory, 0, options.init_columns)
        run.memory.check(top, 0, math.nan)
        first = run.price(lam, top=top, partial=True)
        run.history.append({"iteration": 0, "ratio": first.ratio, "working_set": 0, "added": len(first.subsets),
                            "price_s": first.seconds, "solve_s": 0.0})
        tol = options.tol
        subsets = first.subsets[first.scores > 1.0 + tol] if first.ratio > 1.0 + tol else first.subsets[:1]
    if len(subsets) == 0:
        raise InvalidInputError("the working set is empty (every subset given has a vanishing normal); pass "
                                "subsets of distinct, non-collinear points")
    run.memory.check(len(subsets), 0, math.nan)
    return subsets


def _pruned_and_extended(subsets, ranks, z, fresh, prune: bool, table, tight=None):
    """The next working set: the subsets carrying the solution or tight in the dual (all of them
    without ``prune``) and the new violators, with the warm start z on it.

    Dropping subsets whose two columns are both zero keeps the restricted optimum's value, and adding
    violators then lowers it strictly, so no working set repeats (finite termination). ``tight``
    (per column, |K_j . lambda| at beta) keeps the subsets whose dual constraint is active even at
    z_j = 0: with dependent columns the primal is not unique, a basic solution leaves some of them
    at zero, and dropping them lets lambda leave that face, so the next rounds add them back
    (at beta = 1e-4 on 2-D data, n = 120, l2: no convergence in 100 rounds without this).
    Columns are [relu(P) for each subset, relu(-P) for each subset].
    """
    m_old = len(subsets)
    # interior-point solves leave ~1e-12 where the coefficient is zero: relative to the largest
    z_kept = np.where(np.abs(z) > 1e-9 * np.abs(z).max(initial=0.0), z, 0.0)
    carrying = (z_kept[:m_old] != 0) | (z_kept[m_old:] != 0)
    if tight is not None:
        carrying |= tight[:m_old] | tight[m_old:]
    keep = np.flatnonzero(carrying) if prune else np.arange(m_old)
    m_new = len(keep) + len(fresh)
    z_warm = np.zeros(2 * m_new)
    z_warm[: len(keep)], z_warm[m_new : m_new + len(keep)] = z_kept[keep], z_kept[m_old + keep]
    subsets = np.vstack([subsets[keep], fresh])
    ranks = np.concatenate([ranks[keep], subset_ranks(fresh, table)])
    return subsets, ranks, z_warm


@dataclasses.dataclass
class _Converged:
    """The last round: its working dictionary, matrix, solution and (certifying) pricing."""

    dictionary: Dictionary
    K: np.ndarray
    solution: LassoSolution
    pricing: Pricing
    iterations: int
    subsets: np.ndarray
    dual: np.ndarray | None = None  # the priced dual point, in the dual's domain
    gap: GapBound | None = None  # its weak-duality bound, which passed the stop's test (unless stalled)
    stalled: bool = False  # the ratio passed, the gap did not, and no new column violates: uncertified


def _gap_test(run: _Run, K: np.ndarray, sol: LassoSolution, lam: np.ndarray, pricing: Pricing,
              violation: float, ranks: np.ndarray, gap_tol: float):
    """The stop's second test, once the ratio is at most 1 + tol: the gap bound of
    :func:`full_dictionary_gap` at most ``gap_tol`` max(|P|, tiny), P the restricted fit's value (a
    network's, so an upper bound on P*). Relative: the bound is in the objective's units, as in the
    certificate. Returns (passed, feasible dual, its exhaustive pricing, gap bound). A quadratic
    loss priced the feasible point already; other losses (and a heuristic round) price it here."""
    problem = run.problem
    feasible, priced = lam, pricing
    if not problem.loss.quadratic or not pricing.exhaustive:
        feasible = problem.loss.feasible_dual(sol.lam, problem.y, problem.fit_intercept)
        priced = run.price(feasible, top=run.options.batch, exclude=ranks, tol=violation)
    objective = sol.objective(K, problem.y, problem.loss, problem.beta)
    gap = full_dictionary_gap(problem, feasible, objective, priced)
    passed = (priced.exhaustive and priced.ratio <= 1.0 + run.options.tol and gap.gap is not None
              and gap.gap <= gap_tol * max(abs(objective), np.finfo(float).tiny))
    return passed, feasible, priced, gap


def _rounds(run: _Run, subsets: np.ndarray, *, gap_tol: float | None = None, violation: float | None = None,
            z_warm: np.ndarray | None = None, iteration: int = 0) -> _Converged:
    """Solve on the working set, price the whole dictionary, add the violators; until the ratio is
    at most 1 + tol AND its weak-duality gap bound at most gap_tol |P| (:func:`_gap_test`: the
    certificate's own test, so a fit that stops is one its certificate calls optimal); while the
    ratio passes and the gap does not, the violators are the columns above ratio 1; when there are
    none the last round is returned ``stalled`` (uncertified, its gap stated). ConvergenceError when
    the ratio stalls above 1 + tol on working-set columns or after ``max_iter`` rounds. ``gap_tol`` (the options' by default) and
    ``violation`` (tol) for a resumed run (:func:`solve_colgen`), from ``iteration`` rounds done and
    ``z_warm`` (the last solution on ``subsets``)."""
    problem, options = run.problem, run.options
    tol, batch = options.tol, options.batch
    gap_tol = options.gap_tol if gap_tol is None else gap_tol
    violation = tol if violation is None else violation  # subsets above ratio 1 + violation enter
    ranks = subset_ranks(subsets, run.table)
    memo: dict = {}  # what the restricted solves learned to skip in this run (e.g. logistic Newton first)
    report = status_line(verbose=run.verbose, desc="column generation")
    while True:
        iteration += 1
        working = _working_dictionary(problem, subsets, run.n_candidates, 0)
        K = working.matrix(problem.X)
        sol = _solve_restricted(problem, K, options.solver, z0=z_warm, memo=memo)
        run.solve_time += sol.solve_time
        # a quadratic loss: price the dual point of the gap bound (sum(lambda) = 0 up to rounding already)
        lam = problem.loss.feasible_dual(sol.lam, problem.y, problem.fit_intercept) if problem.loss.quadratic \
            else sol.lam
        pricing = run.price(lam, top=batch, exclude=ranks, partial=True, tol=violation)
        fresh = _new_columns(pricing, batch, violation, run.table)
        if pricing.ratio <= 1.0 + tol:
            passed, feasible, priced, gap = _gap_test(run, K, sol, lam, pricing, violation, ranks, gap_tol)
            if passed:
                report.close()
                run.history.append({"iteration": iteration, "ratio": priced.ratio, "working_set": len(subsets),
                                    "added": 0, "price_s": pricing.seconds, "solve_s": sol.solve_time,
                                    "relative_gap": gap.relative})
                return _Converged(working, K, sol, priced, iteration, subsets, feasible, gap)
            if violation > 0:  # the ratio passed, its gap bound did not: every column above 1 violates
                violation = 0.0
                priced = run.price(feasible, top=batch, exclude=ranks, tol=violation)
            pricing, fresh = priced, _new_columns(priced, batch, violation, run.table)
            if len(fresh) == 0:
                # no column outside the working set has ratio > 1: this is the dictionary Lasso's
                # optimum to the solver's accuracy, but its bound against (P) stays above gap_tol
                # (e.g. a bias without an intercept column: (P)'s free constant is not in the
                # dictionary). Returned uncertified, its gap bound stated (info["certified"] False)
                report.close()
                run.history.append({"iteration": iteration, "ratio": priced.ratio, "working_set": len(subsets),
                                    "added": 0, "price_s": priced.seconds, "solve_s": sol.solve_time,
                                    "relative_gap": gap.relative})
                return _Converged(working, K, sol, priced, iteration, subsets, feasible, gap, stalled=True)
        run.history.append({"iteration": iteration, "ratio": pricing.ratio, "working_set": len(subsets),
                            "added": len(fresh), "price_s": pricing.seconds, "solve_s": sol.solve_time})
        elapsed = time.perf_counter() - run.started
        report(f"round {iteration}: ratio {pricing.ratio:.6g} (stop at {1 + tol:g}), {len(subsets):,} subsets, "
               f"{elapsed:.1f} s")
        if elapsed > options.time_limit:
            report.close()
            raise _time_limit_error(run, iteration, K, sol, lam, pricing, elapsed)
        if len(fresh) == 0:
            report.close()
            raise ConvergenceError(
                f"column generation stalled after {iteration} iteration(s): pricing ratio {pricing.ratio:.8g} > "
                f"1 + tol = {1 + tol:g}, but the violation is on working-set columns (new columns reach only "
                f"{pricing.new_ratio:.8g}), so the restricted solve is not accurate enough; raise tol "
                f"(e.g. tol={max(10 * tol, 2 * (pricing.ratio - 1)):.1e}) or rescale X and y to unit scale")
        if iteration >= options.max_iter:
            report.close()
            raise ConvergenceError(
                f"column generation did not converge in max_iter={options.max_iter} iteration(s): pricing ratio "
                f"{pricing.ratio:.6g} > 1 + tol = {1 + tol:g} with {len(subsets):,} subsets in the working set "
                f"and {pricing.n_violating:,} violating candidates left; raise max_iter or batch, or accept "
                "the fit as an upper bound with fit(..., subsets=k) and "
                "ga_relu.certification.sampled.sampled_gap()")
        # tight: within 1e-6 of beta, relative, the pricing tolerance's order (kept, never priced away)
        tight = np.abs(K.T @ lam) >= problem.beta * (1.0 - 1e-6) if problem.loss.quadratic else None
        m_kept = len(_pruned_and_extended(subsets, ranks, sol.z, fresh[:0], options.prune, run.table,
                                          tight=tight)[0])
        fresh = fresh[:_affordable(run.memory, m_kept, len(fresh))]
        run.memory.check(m_kept + len(fresh), iteration, pricing.ratio)
        subsets, ranks, z_warm = _pruned_and_extended(subsets, ranks, sol.z, fresh, options.prune, run.table,
                                                      tight=tight)


#: share of the time limit that the stopped run's last MILP pricing may take for the gap bound it states
_ERROR_PRICING_SHARE = 0.1


def _time_limit_error(run: _Run, iteration: int, K: np.ndarray, sol: LassoSolution, lam: np.ndarray,
                      pricing: Pricing, elapsed: float) -> TimeLimitError:
    """The error of a run stopped by its time limit, with the weak-duality bound its last round
    gives: the restricted Lasso value is that of a network, and lambda / max(1, ratio) is dual
    feasible for the full dictionary (:func:`full_dictionary_gap`)."""
    problem = run.problem
    objective = sol.objective(K, problem.y, problem.loss, problem.beta)
    feasible = problem.loss.feasible_dual(lam, problem.y, problem.fit_intercept)
    # the round priced the solver's lambda (the bound needs the feasible one's ratio), or a heuristic
    # MILP round gave only a lower bound on the ratio: price again, exhaustively; a MILP pricing
    # gets _ERROR_PRICING_SHARE of the time limit for it, and without a bound in that time none is stated
    priced = pricing
    if not problem.loss.quadratic or not pricing.exhaustive:
        try:
            priced = run.price(feasible, top=0,
                               deadline=time.perf_counter() + _ERROR_PRICING_SHARE * run.options.time_limit)
        except TimeLimitError:
            priced = None
    gap = None if priced is None else full_dictionary_gap(problem, feasible, objective, priced)
    if gap is None:
        bound = (f"no gap bound could be formed (the pricing MILP found none in {100 * _ERROR_PRICING_SHARE:g}% of "
                 "the time limit)")
    elif gap.gap is None:
        bound = "no gap bound could be formed"
    else:
        bound = f"the restricted fit ({objective:.8g}) is within {gap.gap:.3g} (relative {gap.relative:.3g}) of the optimum"
    last = pricing if priced is None else priced
    ratio = f"{last.ratio:.6g}" if last.exhaustive else f"at least {last.ratio:.6g} (a heuristic round's)"
    return TimeLimitError(
        f"column generation stopped at its time limit of {run.options.time_limit:g} s after {iteration} round(s) "
        f"({elapsed:.1f} s): pricing ratio {ratio} > 1 + tol = {1 + run.options.tol:g}; {bound}; "
        "raise time_limit= (or ga_relu.options.colgen_time_limit), or fit(..., subsets=K) for a sampled fit and "
        "ga_relu.certification.sampled.sampled_gap()")


def full_dictionary_gap(problem: Problem, lam: np.ndarray, objective: float, pricing: Pricing) -> GapBound:
    """The weak-duality bound on P(fit) - P*, P* the full wedge dictionary's Lasso optimum, from a
    pricing of the whole dictionary against ``lam`` (already in the dual's domain,
    :meth:`~ga_relu.convex.losses.Loss.feasible_dual`).

    The dual point is moved onto sum(lambda) = 0 whenever a constant is free in (P) (an intercept,
    or a bias: :attr:`~ga_relu.convex.problem.Problem.needs_sum_zero`), so the bound is against (P)'s
    infimum (for l1) even when the dictionary has no constant column (:func:`~ga_relu.convex.duality.gap_bound`).

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), [0.0, 1.0, 2.0], beta=0.1)
    >>> lam = problem.loss.feasible_dual(problem.y - problem.y.mean(), problem.y, True)
    >>> pricing = price(problem.X, lam, 0.1, penalty="l1", bias=True)
    >>> bound = full_dictionary_gap(problem, lam, 0.5 * float(np.sum(lam**2)), pricing)
    >>> bound.gap >= 0
    True
    """
    return gap_bound(problem, lam, pricing.ratio, objective)


def _colgen_info(run: _Run, last: _Converged, gap: GapBound, total_time: float, objective: float) -> dict:
    """``result.info`` of column generation: the certificate, the work done and the gap bound
    (``gap``, against ``objective``, the returned network's value)."""
    pricing = last.pricing
    return {
        "certificate": "full-dictionary dual ratio max_j |lambda . K_j| / beta <= 1 + tol and gap bound <= gap_tol |P|",
        "ratio": pricing.ratio,
        "tol": run.options.tol,
        # the stop's two tests (_gap_test) on the reported objective: the certificate's own
        "certified": bool(pricing.exhaustive and pricing.ratio <= 1.0 + run.options.tol and gap.gap is not None
                          and gap.gap <= run.options.gap_tol * max(abs(objective), np.finfo(float).tiny)),
        "gap_tol": run.options.gap_tol,
        "iterations": last.iterations,
        "columns_priced": 2 * run.n_priced,
        "subsets_per_pricing": pricing.n_priced,
        "n_candidates": run.n_candidates,
        "working_set_size": len(last.subsets),
        "working_set_columns": 2 * len(last.subsets),
        "pricing_method": pricing.method,
        "pricing_work": run.work.describe(),
        "restricted_solver": run.options.solver,
        "price_time": run.price_time,
        "solve_time_total": run.solve_time,
        "total_time": total_time,
        "gap_bound": math.inf if gap.gap is None else gap.gap,
        "relative_gap_bound": math.inf if gap.relative is None else gap.relative,
        "dual_bound": -math.inf if gap.dual_value is None else gap.dual_value,
        "history": run.history,
    }


def solve_colgen(problem: Problem, options: ColgenOptions, *, memory_budget: int | None = None,
                 verbose: bool = False):
    """Column generation on a validated problem (:func:`fit_colgen` for the keyword form).

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), [0.0, 1.0, 1.0, 0.0], beta=0.1)
    >>> result = solve_colgen(problem, ColgenOptions.for_problem(problem))
    >>> result.info["certified"]
    True

    The BLAS and OpenMP pools run with ``ga_relu.options.threads`` threads throughout (None, the
    default: as they are; :func:`ga_relu.config.limited_threads`).
    """
    with limited_threads(config.threads):
        return _solve_colgen(problem, options, memory_budget, verbose)


def _solve_colgen(problem: Problem, options: ColgenOptions, memory_budget, verbose):
    """:func:`solve_colgen` inside its thread limit."""
    total_start = time.perf_counter()
    run = _start(problem, options, memory_budget, verbose)
    last = _rounds(run, _initial_working_set(run))
    gap_target = options.gap_tol
    while True:
        setup = time.perf_counter() - total_start - last.solution.solve_time
        last.dictionary.n_degenerate = last.pricing.n_degenerate
        result = lasso_fit_result(problem, "colgen", last.dictionary, last.K, last.solution, setup)
        final = _final_pricing(run, result)
        # the last round priced its feasible dual point exhaustively (_gap_test); the bound again
        # against the returned network's objective, which is the one reported
        gap = full_dictionary_gap(problem, last.dual, result.objective, last.pricing)
        network_gap = _network_gap(problem, result, final)
        if network_gap is None or _within(network_gap, options.gap_tol, result.objective) or last.stalled \
                or gap_target <= options.gap_tol * _NETWORK_TARGET_FLOOR:
            break
        # the returned network's lambda (the certificate's) missed the bound that the restricted
        # solution met: its predictions differ from K z + c by the network's own rounding (at
        # n = 5,000, beta = 0.1: ratio 1 + 1.04e-6 against 1 + 0.97e-6, relative gap 1.03e-6). More
        # rounds against a tenth of the target, every column above ratio 1 a violator
        gap_target /= 10.0
        last = _rounds(run, last.subsets, gap_tol=gap_target, violation=0.0, z_warm=last.solution.z,
                       iteration=last.iterations)
    if network_gap is not None:
        gap = network_gap  # what the certificate will state
    result.info["final_pricing"] = final
    result.info.update(_colgen_info(run, last, gap, time.perf_counter() - total_start, result.objective))
    return result


#: the resumed rounds' gap target stops at this fraction of gap_tol (two resumptions)
_NETWORK_TARGET_FLOOR = 1e-2


def _within(gap: GapBound, gap_tol: float, objective: float) -> bool:
    """The certificate's test on a gap bound: it exists and is at most gap_tol max(|P|, tiny)."""
    return gap.gap is not None and gap.gap <= gap_tol * max(abs(objective), np.finfo(float).tiny)


def _network_gap(problem: Problem, result, final: dict | None) -> GapBound | None:
    """The weak-duality bound of the returned network from its own lambda and the exhaustive
    pricing of it (:func:`_final_pricing`), as the certificate forms it; None without that pricing."""
    if final is None or not final["exhaustive"]:
        return None
    return gap_bound(problem, final["dual"], final["ratio"], result.objective, width=result.network.width)


def _final_pricing(run: _Run, result) -> dict | None:
    """The certificate's pricing pass, done once here (``result.info["final_pricing"]``): lambda =
    -dL/df at the RETURNED network's predictions (the certificate's dual vector, not the restricted
    solver's), its exact ratio over the full vertex dictionary and the most violating subset, for
    :meth:`~ga_relu.convex.results.FitResult.certificate` to reuse
    (:mod:`ga_relu.certification.reused`). None where a certificate could not reuse it: a pricing
    that does not enumerate (MILP), a loss whose dual the certificate chooses (hinge), weight decay
    (its certificate is over chambers, beyond the dictionary), 1-D, several outputs."""
    problem = run.problem
    if (run.work.method not in ("sweep", "stream") or not problem.loss.differentiable
            or not problem.penalty.basis_vertices or problem.d < 2 or problem.n_outputs != 1):
        return None
    lam = problem.loss.dual_vector(result.network(problem.X), problem.y)
    pricing = run.price(lam, top=1)
    return {"dual": lam, "ratio": pricing.ratio, "subset": pricing.subsets[0] if len(pricing.subsets) else None,
            "n_priced": pricing.n_priced, "method": pricing.method, "seconds": pricing.seconds,
            "exhaustive": pricing.exhaustive}


def fit_colgen(X, y, *, beta: float, penalty: PenaltyName = "l1", bias: bool = True, loss: LossName = "squared",
               fit_intercept: bool = True, memory_budget: int | None = None, verbose: bool = False,
               tol: float | None = None, max_iter: int = 100, init_columns: int | None = None, batch: int | None = None,
               chunk: int | None = None, working_set=None, pricing: PricingName = "auto",
               solver: RestrictedSolverName = "auto", prune: bool = True, time_limit: float | None = None,
               milp_time_limit: float | None = None, **unknown):
    r"""Exact optimum of the FULL wedge-dictionary Lasso by column generation, with its certificate.

    Each round solves the Lasso on the working set W, prices all C(|V|, k) candidate subsets by

    .. math::

        \rho = \max_j |\lambda \cdot K_j| / \beta

    (module docstring) and adds the ``batch`` most violating ones; it stops when rho <= 1 + tol over
    the whole dictionary and the weak-duality gap bound of the returned network is at most
    ``GAP_TOL`` |P| (the certificate's test), which certifies the fit (``info["certified"]``).

    Parameters
    ----------
    X, y, beta, penalty, bias, loss, fit_intercept
        Problem (P), as in :func:`ga_relu.fit` (one output).
    memory_budget : int, optional
        Bytes for the working set's matrix and the pricing chunks.
    verbose : bool
        Progress bars while pricing.
    tol : float, optional
        1e-6 for the squared loss, 1e-5 for the logistic and hinge losses by default.
    max_iter, init_columns, batch, chunk, working_set, pricing, solver, prune, time_limit, milp_time_limit
        See :class:`ColgenOptions`. ``working_set``: an (m, k) array of vertex subsets to start from
        (else the ``init_columns`` best-priced subsets at z = 0). ``solver``: "clarabel" (squared
        loss: Clarabel's QP API directly), "active-set" (squared loss: a dual active-set method,
        warm-started, exact and indifferent to dependent columns), "cvxpy" (:class:`ga_relu.convex.solvers.LassoProgram`)
        or "auto" (active-set for the squared loss).

    Returns
    -------
    FitResult
        ``result.info``: ratio, iterations, columns priced, working-set size, timings, and a
        duality-gap bound (gap_bound, relative_gap_bound, dual_bound).

    Raises
    ------
    DictionaryTooLargeError
        When the working set outgrows ``memory_budget``.
    WorkTooLargeError
        At once, when one pricing round is predicted above ``ga_relu.options.max_pricing_seconds``
        (:mod:`ga_relu.convex.budget`).
    ConvergenceError
        When the certificate does not hold after ``max_iter`` rounds (TimeLimitError, a subclass,
        after ``time_limit`` seconds).
    InvalidInputError
        For an option it does not take.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> result = fit_colgen(X, [0.0, 1.0, 1.0, 0.0], beta=0.1)
    >>> result.method, result.info["ratio"] <= 1 + result.info["tol"]
    ('colgen', True)
    """
    _refuse_unknown(unknown)
    problem = Problem(X, y, beta=beta, penalty=penalty, bias=bias, loss=loss,
                      fit_intercept=fit_intercept).require_hyperplanes()
    options = ColgenOptions.for_problem(problem, tol=tol, max_iter=max_iter, init_columns=init_columns, batch=batch,
                                        chunk=chunk, working_set=working_set, pricing=pricing, solver=solver,
                                        prune=prune, time_limit=time_limit, milp_time_limit=milp_time_limit)
    return solve_colgen(problem, options, memory_budget=memory_budget, verbose=verbose)
