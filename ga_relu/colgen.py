r"""Column generation over the wedge dictionary, with a dual certificate for the FULL dictionary.

The Lasso over the full wedge dictionary (theory.md section 3),

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

for all j at once in O(n log n) per pivot instead of O(n^2). Everything else (and the check of the
sweep) streams the dictionary chunk by chunk (``ga_relu.dictionary.iter_dictionary_chunks``).

Duality bound (:func:`sampled_gap`). With f = K z + c the Fenchel dual of (L) is

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

import numpy as np

from .config import options
from .dictionary import (
    _ZERO_NORMAL,
    Dictionary,
    build_columns,
    dictionary_bytes,
    iter_dictionary_chunks,
    n_candidate_subsets,
    subset_size,
)
from .errors import ConvergenceError, DictionaryTooLargeError, InvalidInputError, SolverError
from .losses import dual_objective, dual_vector, loss_value
from .progress import progress
from .solve import LassoProgram, LassoSolution

#: bytes of float64 work arrays allowed per pricing chunk (a few n x chunk arrays live at once)
_PRICING_CHUNK_BYTES = 48 * 2**20

#: tolerances for the restricted squared-loss QP (Clarabel's defaults are 1e-8)
_QP_TOLERANCE = 1e-10


# ---------------------------------------------------------------------------------------------
# subsets as integers (colex rank), for "is this subset already in the working set?"
# ---------------------------------------------------------------------------------------------


def _binomial_table(n_vertices: int, k: int) -> np.ndarray:
    """table[v, t] = C(v, t) for v < n_vertices, t <= k (int64)."""
    table = np.zeros((n_vertices + 1, k + 1), dtype=np.int64)
    for t in range(k + 1):
        table[:, t] = [math.comb(v, t) for v in range(n_vertices + 1)]
    return table


def subset_ranks(subsets: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Colex rank sum_t C(s_t, t + 1) of each sorted subset row: distinct subsets, distinct ranks."""
    subsets = np.asarray(subsets, dtype=np.intp)
    rank = np.zeros(len(subsets), dtype=np.int64)
    for t in range(subsets.shape[1]):
        rank += table[subsets[:, t], t + 1]
    return rank


# ---------------------------------------------------------------------------------------------
# pricing
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Pricing:
    """One pricing pass: the largest |lambda . K_j| / beta and the most violating new subsets."""

    ratio: float  # max over every candidate column (working set included)
    new_ratio: float  # max over the candidates outside the working set
    subsets: np.ndarray  # (top, k) best subsets outside the working set, best first
    scores: np.ndarray  # their ratios
    n_priced: int  # candidate subsets priced (non-degenerate)
    n_degenerate: int  # candidate subsets with a vanishing normal (no column)
    n_violating: int  # candidates outside the working set with ratio > 1 + tol
    seconds: float
    method: str


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
        if self.top <= 0:
            return
        if len(scores) > self.top:
            keep = np.argpartition(-scores, self.top - 1)[: self.top]
            subsets, scores = subsets[keep], scores[keep]
        scores = np.concatenate([self.scores, scores])
        subsets = np.vstack([self.subsets, subsets])
        order = np.argsort(-scores, kind="stable")[: self.top]
        self.scores, self.subsets = scores[order], subsets[order]


def _block_scores(X: np.ndarray, lam: np.ndarray, lam_X: np.ndarray, lam_sum: float, w: np.ndarray,
                  b: np.ndarray) -> np.ndarray:
    """max(|lambda . relu(Xw + b)|, |lambda . relu(-(Xw + b))|) per unit-norm (w, b) row.

    relu(-t) = relu(t) - t, so the second is the first minus lambda . (Xw + b) = (lambda X) . w + sum(lambda) b.
    """
    positive = np.maximum(X @ w.T + b, 0.0)
    plus = lam @ positive
    minus = plus - (w @ lam_X + lam_sum * b)
    return np.maximum(np.abs(plus), np.abs(minus))


def _sweep_pair_scores(X: np.ndarray, lam: np.ndarray, pivots: np.ndarray, penalty: str,
                       threshold: float) -> np.ndarray:
    """Angular sweep, 2-D with bias: scores[r, j] = max over the two signs of
    |lambda . relu(+-n (X - x_i))| / ||n||_p for the line through x_i (i = pivots[r]) and x_j,
    n = perp(x_j - x_i); NaN where x_j = x_i (no line).

    Sorting D_k = x_k - x_i by angle psi_k, n . D_k > 0 exactly for psi_k in (phi_j - pi, phi_j),
    phi_j the angle of D_j: an arc, summed with prefix sums of lambda_k D_k over the doubled circle.
    Points on the line contribute 0 either way, so ties need no care.
    """
    n = X.shape[0]
    B = len(pivots)
    D = X[None, :, :] - X[pivots, None, :]  # (B, n, 2)
    angle = np.arctan2(D[..., 1], D[..., 0])
    order = np.argsort(angle, axis=1)
    a = np.take_along_axis(angle, order, axis=1)
    Ds = np.take_along_axis(D, order[..., None], axis=1)
    contrib = lam[order][..., None] * Ds
    prefix = np.zeros((B, 2 * n + 1, 2))
    np.cumsum(contrib, axis=1, out=prefix[:, 1 : n + 1])
    prefix[:, n + 1 :] = prefix[:, n : n + 1] + prefix[:, 1 : n + 1]
    # one global searchsorted: rows offset by 16 > 4 pi so they stay sorted
    offset = (16.0 * np.arange(B))[:, None]
    doubled = (np.concatenate([a, a + 2 * np.pi], axis=1) + offset).ravel()
    row_start = (2 * n * np.arange(B))[:, None]
    left = np.searchsorted(doubled, (a + np.pi + offset).ravel(), side="right").reshape(B, n) - row_start
    right = np.searchsorted(doubled, (a + 2 * np.pi + offset).ravel(), side="left").reshape(B, n) - row_start
    rows = np.arange(B)[:, None]
    S = prefix[rows, right] - prefix[rows, left]  # sum of lambda_k D_k over the arc, (B, n, 2)
    normal = np.stack([Ds[..., 1], -Ds[..., 0]], axis=-1)
    plus = np.einsum("bjc,bjc->bj", normal, S)
    minus = plus - np.einsum("bjc,bc->bj", normal, prefix[:, n])  # relu(-t) = relu(t) - t
    norm = np.abs(Ds).sum(axis=2) if penalty == "l1" else np.linalg.norm(Ds, axis=2)
    sorted_scores = np.maximum(np.abs(plus), np.abs(minus))
    with np.errstate(divide="ignore", invalid="ignore"):
        sorted_scores = np.where(norm > threshold, sorted_scores / norm, np.nan)
    scores = np.empty_like(sorted_scores)
    np.put_along_axis(scores, order, sorted_scores, axis=1)
    return scores


def _pricing_chunk(n: int, chunk: int | None) -> int:
    if chunk is not None:
        if int(chunk) < 1:
            raise InvalidInputError(f"chunk must be a positive number of subsets, got {chunk}")
        return int(chunk)
    return int(max(256, min(options.chunk_columns, _PRICING_CHUNK_BYTES // (3 * 8 * n))))


def price(X: np.ndarray, lam: np.ndarray, beta: float, *, penalty: str, bias: bool, top: int = 0,
          exclude: np.ndarray | None = None, tol: float = 1e-6, chunk: int | None = None,
          method: str = "auto", verbose: bool = False) -> Pricing:
    """Price every candidate subset of the full wedge dictionary against lambda.

    Returns the largest ratio |lambda . K_j| / beta over all columns, and the ``top`` most violating
    subsets whose colex ranks are not in ``exclude`` (the working set). ``method``: "sweep" (2-D with
    bias only: O(n^2 log n) angular sweep), "stream" (chunks of the dictionary, any d), or "auto".
    """
    start = time.perf_counter()
    n, d = X.shape
    k = subset_size(d, bias)
    n_vertices = n + (d if penalty == "l1" else 0)
    table = _binomial_table(n_vertices, k)
    if method == "auto":
        method = "sweep" if (d == 2 and bias) else "stream"
    if method == "sweep" and not (d == 2 and bias):
        raise InvalidInputError("pricing method 'sweep' needs 2-D data with bias; use method='stream'")
    if method not in ("sweep", "stream"):
        raise InvalidInputError(f"pricing method must be 'auto', 'sweep' or 'stream', got {method!r}")
    best = _TopK(top, k, np.zeros(0, dtype=np.int64) if exclude is None else np.asarray(exclude), table,
                 1.0 + tol)
    lam_X, lam_sum = lam @ X, float(lam.sum())
    scale = max(1.0, float(np.abs(X).max()))
    chunk = _pricing_chunk(n, chunk)
    if method == "stream":
        total = math.comb(n_vertices, k)
        blocks = iter_dictionary_chunks(X, penalty=penalty, bias=bias, chunk=chunk)
        for block in progress(blocks, verbose=verbose, total=-(-total // chunk), desc="pricing", unit="chunk"):
            best.n_degenerate += block.n_degenerate
            best.add(block.subsets, _block_scores(X, lam, lam_X, lam_sum, block.weights, block.biases) / beta)
    else:
        threshold = _ZERO_NORMAL * scale ** k
        per_block = max(1, chunk // n)
        starts = range(0, n, per_block)
        for s in progress(starts, verbose=verbose, total=len(starts), desc="pricing (sweep)", unit="block"):
            pivots = np.arange(s, min(s + per_block, n))
            scores = _sweep_pair_scores(X, lam, pivots, penalty, threshold)
            later = np.arange(n)[None, :] > pivots[:, None]  # each pair once, as (i < j)
            valid = later & ~np.isnan(scores)
            best.n_degenerate += int(np.count_nonzero(later & np.isnan(scores)))
            r, j = np.nonzero(valid)
            best.add(np.column_stack([pivots[r], j]), scores[r, j] / beta)
        if penalty == "l1":  # subsets with a basis vector: axis-parallel lines (and e_1, e_2: no line)
            extra = np.array([(i, n + t) for i in range(n) for t in range(d)] + [(n, n + 1)], dtype=np.intp)
            kept, w, b, degenerate = build_columns(X, extra, penalty, bias, scale=scale)
            best.n_degenerate += int(degenerate.sum())
            best.add(kept, _block_scores(X, lam, lam_X, lam_sum, w, b) / beta)
    return Pricing(ratio=best.ratio, new_ratio=best.new_ratio, subsets=best.subsets, scores=best.scores,
                   n_priced=best.n_priced, n_degenerate=best.n_degenerate, n_violating=best.n_violating,
                   seconds=time.perf_counter() - start, method=method)


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
    lam = dual_vector("squared", K @ z + c, y)
    return LassoSolution(z=z, intercept=c, lam=lam, status="optimal" if status == "Solved" else status.lower(),
                         solve_time=elapsed, solver_value=float(solution.obj_val))


def _lasso_feature_sign(K: np.ndarray, y: np.ndarray, beta: float, fit_intercept: bool,
                        z0: np.ndarray | None = None, tol: float = 1e-10, max_steps: int | None = None
                        ) -> LassoSolution:
    """Squared-loss Lasso by feature-sign search (Lee, Battle, Raina & Ng, NIPS 2007), warm-started.

    With the intercept eliminated (K, y centered: c = mean(y - K z)), the optimality conditions are
    K_j . r = beta sign(z_j) for z_j != 0 and |K_j . r| <= beta for z_j = 0, r = y - K z. For a sign
    vector theta on the active set A the minimizer is the linear solve
    (K_A^T K_A) z_A = K_A^T y - beta theta_A; a line search over the sign changes between the current
    and the new z_A keeps the objective strictly decreasing, so the search ends after finitely many
    steps with the conditions holding to ``tol * beta`` (machine precision: the solves are exact).
    Each step costs one pass K^T r and one small dense solve, whatever the working-set size.
    """
    start = time.perf_counter()
    n, p = K.shape
    Kc = K - K.mean(axis=0) if fit_intercept else K
    yc = y - y.mean() if fit_intercept else y
    z = np.zeros(p) if z0 is None else np.asarray(z0, dtype=float).copy()
    theta = np.sign(z)
    limit = max_steps if max_steps is not None else 50 * (p + n) + 100
    bound = tol * beta

    def objective(za, A):
        r = yc - Kc[:, A] @ za
        return 0.5 * r @ r + beta * np.abs(za).sum()

    solved_on_active = False  # the last step was a full linear solve: the active conditions hold exactly
    for step in range(limit):
        corr = Kc.T @ (yc - Kc @ z)
        A = np.flatnonzero(theta)
        if not A.size or solved_on_active or np.max(np.abs(corr[A] - beta * theta[A])) <= bound:
            gap = np.where(theta == 0, np.abs(corr) - beta, -np.inf)
            i = int(np.argmax(gap))
            if gap[i] <= bound:
                break
            theta[i] = np.sign(corr[i])
            A = np.flatnonzero(theta)
        KA = Kc[:, A]
        target, *_ = np.linalg.lstsq(KA.T @ KA, KA.T @ yc - beta * theta[A], rcond=None)
        current = z[A]
        direction = target - current
        # sign changes along current + t * direction, t in (0, 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            crossing = -current / direction
        ts = np.unique(np.concatenate([crossing[(crossing > 0) & (crossing < 1) & (current != 0)], [1.0]]))
        values = [objective(current + t * direction, A) for t in ts]
        best = int(np.argmin(values))
        za = current + ts[best] * direction
        if ts[best] < 1.0:  # the coordinates that crossed at this t become exactly zero
            za[np.isclose(crossing, ts[best], rtol=1e-12, atol=0.0) & (current != 0)] = 0.0
        z[A] = za
        theta = np.sign(z)
        solved_on_active = ts[best] == 1.0
    else:
        raise SolverError(f"feature-sign search did not reach the Lasso optimality conditions in {limit} steps "
                          f"({p} columns, beta={beta:g}); use solver='clarabel'")
    c = float(np.mean(y - K @ z)) if fit_intercept else 0.0
    lam = dual_vector("squared", K @ z + c, y)
    value = loss_value("squared", K @ z + c, y) + beta * float(np.abs(z).sum())
    return LassoSolution(z=z, intercept=c, lam=lam, status="optimal", solve_time=time.perf_counter() - start,
                         solver_value=value)


def _solve_restricted(K, y, beta, loss, fit_intercept, solver: str, z0=None) -> LassoSolution:
    if loss == "squared" and solver == "active-set":
        return _lasso_feature_sign(K, y, beta, fit_intercept, z0=z0)
    if loss == "squared" and solver == "clarabel":
        return _solve_squared_qp(K, y, beta, fit_intercept)
    return LassoProgram(K, y, loss=loss, fit_intercept=fit_intercept).solve(beta)


def _working_dictionary(X, subsets, penalty, bias, n_candidates, n_degenerate) -> Dictionary:
    kept, w, b, degenerate = build_columns(X, subsets, penalty, bias)
    n, d = X.shape
    return Dictionary(penalty=penalty, bias=bias, n_samples=n, dim=d, subsets=kept, weights=w, biases=b,
                      n_candidates=n_candidates, n_degenerate=n_degenerate, sampled=False)


# ---------------------------------------------------------------------------------------------
# dual bounds
# ---------------------------------------------------------------------------------------------


def feasible_dual(loss: str, lam: np.ndarray, y: np.ndarray, fit_intercept: bool) -> np.ndarray:
    """lambda moved into the dual's domain: sum(lambda) = 0 when the intercept is free, and
    s = y lambda in [0, 1] for logistic / hinge (the class with the larger mass is scaled down)."""
    lam = np.asarray(lam, dtype=float)
    if loss == "squared":
        return lam - lam.mean() if fit_intercept else lam.copy()
    s = np.clip(y * lam, 0.0, 1.0)
    if fit_intercept:
        pos, neg = s[y > 0].sum(), s[y < 0].sum()
        if pos > neg:
            s = np.where(y > 0, s * (neg / pos), s)
        elif neg > pos:
            s = np.where(y < 0, s * (pos / neg), s)
    return y * s


@dataclasses.dataclass
class GapCertificate:
    """How far a fit is from the optimum of the FULL wedge dictionary's Lasso.

    ``ratio``: max_j |lambda . K_j| / beta over every column (<= 1: the fit is optimal);
    ``dual_bound`` = D(lambda / max(1, ratio)) <= P*; ``gap_bound`` = objective - dual_bound >= P(fit) - P*.
    For l1 (T1/T2) P* is the optimum of (P); for weight decay it is the wedge dictionary's (T4).
    """

    ratio: float
    objective: float
    dual_bound: float
    gap_bound: float
    relative_gap_bound: float
    n_priced: int
    seconds: float

    def __str__(self) -> str:
        return (f"dual ratio {self.ratio:.6g} over {self.n_priced:,} subsets; objective {self.objective:.8g} is "
                f"within {self.gap_bound:.3g} ({self.relative_gap_bound:.3g} relative) of the full-dictionary "
                f"optimum (lower bound {self.dual_bound:.8g})")


def _gap(X, y, beta, penalty, bias, loss, fit_intercept, lam, objective, chunk, verbose, method="auto",
         pricing: Pricing | None = None) -> GapCertificate:
    start = time.perf_counter()
    lam = feasible_dual(loss, lam, y, fit_intercept)
    if pricing is None:
        pricing = price(X, lam, beta, penalty=penalty, bias=bias, chunk=chunk, method=method, verbose=verbose)
    scale = max(1.0, pricing.ratio)
    dual = dual_objective(loss, lam / scale, y)
    gap = max(0.0, objective - dual)
    return GapCertificate(ratio=pricing.ratio, objective=objective, dual_bound=dual, gap_bound=gap,
                          relative_gap_bound=gap / max(abs(objective), 1e-300), n_priced=pricing.n_priced,
                          seconds=time.perf_counter() - start)


def sampled_gap(result, chunk: int | None = None, verbose: bool = False, method: str = "auto") -> GapCertificate:
    """Certificate of a fit (e.g. ``fit(..., subsets=k)``, an upper bound) against the full dictionary.

    Prices every candidate subset against the fit's lambda (streamed; never the whole matrix) and
    returns the max ratio and a bound on P(fit) - P*, P* the full wedge dictionary's optimum. Only
    single-output fits are supported.
    """
    if result.y is None or np.ndim(result.y) != 1:
        raise InvalidInputError("sampled_gap needs a single-output FitResult that kept its data (X, y)")
    return _gap(result.X, result.y, result.beta, result.penalty, result.bias, result.loss, result.fit_intercept,
                result.dual, result.objective, chunk, verbose, method)


# ---------------------------------------------------------------------------------------------
# column generation
# ---------------------------------------------------------------------------------------------


def _null_dual(X, y, beta, loss, fit_intercept) -> np.ndarray:
    """lambda at z = 0 (intercept only): the first pricing needs no working set."""
    zero = np.zeros((X.shape[0], 1))
    return LassoProgram(zero, y, loss=loss, fit_intercept=fit_intercept).solve(beta).lam if loss != "squared" \
        else dual_vector("squared", np.full_like(y, y.mean() if fit_intercept else 0.0), y)


def fit_colgen(X, y, *, beta: float, penalty: str = "l1", bias: bool = True, loss: str = "squared",
               fit_intercept: bool = True, memory_budget: int | None = None, verbose: bool = False,
               tol: float | None = None, max_iter: int = 100, init_columns: int | None = None, batch: int | None = None,
               chunk: int | None = None, working_set=None, pricing: str = "auto", solver: str = "auto",
               prune: bool = True):
    """Exact optimum of the FULL wedge-dictionary Lasso by column generation, with its certificate.

    Each round solves the Lasso on the working set W, prices all C(|V|, k) candidate subsets by
    |lambda . K_j| / beta (module docstring) and adds the ``batch`` most violating ones; it stops
    when ratio = max_j |lambda . K_j| / beta <= 1 + tol over the whole dictionary (tol: 1e-6 for the
    squared loss, 1e-5 for the logistic and hinge losses by default), which certifies
    the fit (stored in ``result.info``: ratio, iterations, columns priced, working-set size, timings,
    and a duality-gap bound). ``working_set``: an (m, k) array of vertex subsets to start from
    (else the ``init_columns`` best-priced subsets at z = 0). ``solver``: "clarabel" (squared loss:
    Clarabel's QP API directly), "active-set" (squared loss: feature-sign search, warm-started, exact
    linear solves), "cvxpy" (``ga_relu.solve.LassoProgram``) or "auto" (active-set for squared loss).
    ``prune``: drop working-set subsets whose coefficients are zero before adding new ones.

    Raises DictionaryTooLargeError when the working set outgrows ``memory_budget`` and
    ConvergenceError when the certificate does not hold after ``max_iter`` rounds.
    """
    from .fitting import _result, _validated

    total_start = time.perf_counter()
    X, y, beta, penalty, bias, loss, fit_intercept = _validated(X, y, beta, penalty, bias, loss, fit_intercept)
    if y.ndim != 1:
        raise InvalidInputError("method='colgen' supports one output; for several outputs (T5) use method='wedge'")
    if not (isinstance(max_iter, (int, np.integer)) and max_iter >= 1):
        raise InvalidInputError(f"max_iter must be a positive integer, got {max_iter!r}")
    if tol is None:  # the active-set solves are exact; the conic ones (logistic, hinge) meet ~1e-6
        tol = 1e-6 if loss == "squared" else 1e-5
    if not (tol >= 0 and math.isfinite(tol)):
        raise InvalidInputError(f"tol must be a finite number >= 0, got {tol!r}")
    if solver not in ("auto", "active-set", "clarabel", "cvxpy"):
        raise InvalidInputError(f"solver must be 'auto', 'active-set', 'clarabel' or 'cvxpy', got {solver!r}")
    solver = ("active-set" if loss == "squared" else "cvxpy") if solver == "auto" else solver
    if solver in ("active-set", "clarabel") and loss != "squared":
        raise InvalidInputError(f"solver={solver!r} solves the squared loss only; use solver='cvxpy' for "
                                f"loss={loss!r}")
    n, d = X.shape
    k = subset_size(d, bias)
    n_vertices = n + (d if penalty == "l1" else 0)
    total = n_candidate_subsets(n, d, penalty, bias)
    table = _binomial_table(n_vertices, k)
    batch = int(batch) if batch is not None else int(min(max(10, n // 4), 250))
    init_columns = batch if init_columns is None else int(init_columns)
    budget = options.memory_budget_bytes if memory_budget is None else int(memory_budget)
    # pricing chunks take at most a quarter of the budget, unless the caller fixed the chunk
    chunk = _pricing_chunk(n, chunk) if chunk is not None else \
        int(max(16, min(_pricing_chunk(n, None), budget // (4 * 3 * 8 * n))))
    pricing_bytes = 3 * 8 * n * chunk

    def check_budget(m_subsets: int, iteration: int, ratio: float) -> None:
        need = dictionary_bytes(n, 2 * m_subsets) + pricing_bytes
        if need > budget:
            reached = "before the first solve" if iteration == 0 else \
                f"after {iteration} iteration(s) with pricing ratio {ratio:.6g}"
            raise DictionaryTooLargeError(
                f"column generation needs {need / 2**20:.2f} MiB for a working set of {m_subsets:,} subsets "
                f"({2 * m_subsets:,} columns of {n} samples) plus pricing chunks of {chunk:,} subsets, above the "
                f"memory budget of {budget / 2**20:.2f} MiB ({reached}); raise memory_budget "
                "(or ga_relu.options.memory_budget_bytes), or lower batch/chunk")

    history = []
    price_time = solve_time = 0.0
    n_priced_total = 0
    if working_set is not None:
        subsets = np.sort(np.asarray(working_set, dtype=np.intp), axis=1)
        if subsets.ndim != 2 or subsets.shape[1] != k or (subsets.size and (subsets.min() < 0
                                                                           or subsets.max() >= n_vertices)):
            raise InvalidInputError(f"working_set must be an (m, {k}) array of vertex indices in [0, {n_vertices})")
        subsets = np.unique(subsets, axis=0)
        kept, *_ = build_columns(X, subsets, penalty, bias)
        subsets = kept
    else:
        lam = _null_dual(X, y, beta, loss, fit_intercept)
        check_budget(init_columns, 0, math.nan)
        first = price(X, lam, beta, penalty=penalty, bias=bias, top=init_columns, tol=tol, chunk=chunk,
                      method=pricing, verbose=verbose)
        price_time += first.seconds
        n_priced_total += first.n_priced
        history.append({"iteration": 0, "ratio": first.ratio, "working_set": 0, "added": len(first.subsets),
                        "price_s": first.seconds, "solve_s": 0.0})
        subsets = first.subsets[first.scores > 1.0 + tol] if first.ratio > 1.0 + tol else first.subsets[:1]
    if len(subsets) == 0:
        raise InvalidInputError("the working set is empty (every subset given has a vanishing normal); pass "
                                "subsets of distinct, non-collinear points")
    ranks = subset_ranks(subsets, table)
    check_budget(len(subsets), 0, math.nan)

    iteration = 0
    result_pricing = None
    z_warm = None
    while True:
        iteration += 1
        K_dict = _working_dictionary(X, subsets, penalty, bias, total, 0)
        K = K_dict.matrix(X)
        sol = _solve_restricted(K, y, beta, loss, fit_intercept, solver, z0=z_warm)
        solve_time += sol.solve_time
        lam = sol.lam
        pricing_now = price(X, lam, beta, penalty=penalty, bias=bias, top=batch, exclude=ranks, tol=tol,
                            chunk=chunk, method=pricing, verbose=verbose)
        price_time += pricing_now.seconds
        n_priced_total += pricing_now.n_priced
        fresh = pricing_now.subsets[pricing_now.scores > 1.0 + tol]
        history.append({"iteration": iteration, "ratio": pricing_now.ratio, "working_set": len(subsets),
                        "added": len(fresh), "price_s": pricing_now.seconds, "solve_s": sol.solve_time})
        if pricing_now.ratio <= 1.0 + tol:
            result_pricing = pricing_now
            break
        if len(fresh) == 0:
            raise ConvergenceError(
                f"column generation stalled after {iteration} iteration(s): pricing ratio {pricing_now.ratio:.8g} > "
                f"1 + tol = {1 + tol:g}, but the violation is on working-set columns (new columns reach only "
                f"{pricing_now.new_ratio:.8g}), so the restricted solve is not accurate enough; raise tol "
                f"(e.g. tol={max(10 * tol, 2 * (pricing_now.ratio - 1)):.1e}) or rescale X and y to unit scale")
        if iteration >= max_iter:
            raise ConvergenceError(
                f"column generation did not converge in max_iter={max_iter} iteration(s): pricing ratio "
                f"{pricing_now.ratio:.6g} > 1 + tol = {1 + tol:g} with {len(subsets):,} subsets in the working set "
                f"and {pricing_now.n_violating:,} violating candidates left; raise max_iter or batch, or accept "
                "the fit as an upper bound with fit(..., subsets=k) and sampled_gap()")
        check_budget(len(subsets) + len(fresh), iteration, pricing_now.ratio)
        # drop subsets whose two columns are both zero: the restricted optimum keeps its value, and
        # adding violators then lowers it strictly, so no working set repeats (finite termination)
        m_old = len(subsets)
        keep = np.flatnonzero((sol.z[:m_old] != 0) | (sol.z[m_old:] != 0)) if prune else np.arange(m_old)
        m_new = len(keep) + len(fresh)
        # warm start: columns are [relu(P) for each subset, relu(-P) for each subset]
        z_warm = np.zeros(2 * m_new)
        z_warm[: len(keep)], z_warm[m_new : m_new + len(keep)] = sol.z[keep], sol.z[m_old + keep]
        subsets = np.vstack([subsets[keep], fresh])
        ranks = np.concatenate([ranks[keep], subset_ranks(fresh, table)])

    setup = time.perf_counter() - total_start - sol.solve_time
    K_dict.n_degenerate = result_pricing.n_degenerate
    result = _result(X, y, beta, penalty, bias, loss, fit_intercept, "colgen", K_dict, K, sol, setup)
    gap = _gap(X, y, beta, penalty, bias, loss, fit_intercept, lam, result.objective, chunk, False,
               pricing=result_pricing if loss == "squared" and not fit_intercept else None, method=pricing)
    result.info.update({
        "certificate": "full-dictionary dual ratio max_j |lambda . K_j| / beta <= 1 + tol",
        "ratio": result_pricing.ratio,
        "tol": tol,
        "certified": result_pricing.ratio <= 1.0 + tol,
        "iterations": iteration,
        "columns_priced": 2 * n_priced_total,
        "subsets_per_pricing": result_pricing.n_priced,
        "n_candidates": total,
        "working_set_size": len(subsets),
        "working_set_columns": 2 * len(subsets),
        "pricing_method": result_pricing.method,
        "restricted_solver": solver,
        "price_time": price_time,
        "solve_time_total": solve_time,
        "total_time": time.perf_counter() - total_start,
        "gap_bound": gap.gap_bound,
        "relative_gap_bound": gap.relative_gap_bound,
        "dual_bound": gap.dual_bound,
        "history": history,
    })
    return result
