"""The convex program: a (group) Lasso over dictionary columns, solved with cvxpy + Clarabel.

    minimize_z,c   L(K z + c, y) + beta * sum_j ||z_j||_2

z_j is a scalar (one output: the penalty is ||z||_1) or a row of Z (several outputs: the group
Lasso of T5). beta is a ``cp.Parameter``, so a regularization path re-solves the same compiled
problem. The logistic loss with one output is solved by :func:`logistic_lasso` instead (proximal
Newton over working sets, stopped by its KKT certificate), with Clarabel's exponential cones only as
the fallback: on nearly separable classes those stall, and on wedge dictionaries they are 30-400x
slower. The dual vector lambda (docs/theory/problem.md: lambda = -dL/df at the optimum) is returned with the
solution; for the hinge loss it is read off the solver's dual of the margin constraint.
"""

from __future__ import annotations

import dataclasses
import math
import time
import warnings

import numpy as np

from ..config import limited_threads, options
from ..errors import InvalidInputError, SolverError
from .duality import column_violations, kkt_residual
from .losses import SQUARED, Loss, LossName, get_loss
from .penalties import group_norms

__all__ = ["LassoProgram", "LassoSolution", "hinge_lasso_lp", "logistic_lasso", "logistic_kkt_residual", "lasso_feature_sign",
           "solve_cone_program", "solver_settings", "squared_lasso_dual", "squared_lasso_active_set", "LOGISTIC_KKT_TOL", "LOGISTIC_KKT_ACCEPT"]

#: the fixes a failed solve names by default: the options of ga_relu.fit
_FEWER_COLUMNS = "fewer columns (subsets=K)"
_SMALLER_DICTIONARY = "a smaller dictionary (subsets=K or method='colgen')"

#: the loss of the proximal Newton solver
_LOGISTIC = get_loss("logistic")


def solver_settings(solver: str) -> dict:
    """Keyword arguments for ``Problem.solve``: the configured Clarabel tolerances, if Clarabel.

    A name that is not one of Clarabel's settings is refused here (InvalidInputError) rather than
    by Clarabel's own TypeError in the middle of a fit.

    >>> solver_settings("SCS")
    {}
    >>> from ga_relu.config import options
    >>> with options.override(clarabel_settings={"tol_gap": 1e-9}):
    ...     solver_settings("CLARABEL")
    Traceback (most recent call last):
    ...
    ga_relu.errors.InvalidInputError: unknown Clarabel setting(s) ['tol_gap'] in ga_relu.options.clarabel_settings; ...
    """
    if str(solver).upper() != "CLARABEL":
        return {}
    settings = options.clarabel_settings
    if not isinstance(settings, dict):
        raise InvalidInputError(f"ga_relu.options.clarabel_settings must be a dict of Clarabel settings, got "
                                f"{type(settings).__name__}")
    import clarabel

    known = {name for name in dir(clarabel.DefaultSettings()) if not name.startswith("_")}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise InvalidInputError(
            f"unknown Clarabel setting(s) {unknown} in ga_relu.options.clarabel_settings; valid names include "
            "tol_gap_abs, tol_gap_rel, tol_feas, max_iter, equilibrate_enable, max_step_fraction "
            "(see clarabel.DefaultSettings)")
    return dict(settings)


@dataclasses.dataclass
class LassoSolution:
    """A solution (z, c) of the Lasso min L(K z + c, y) + beta sum_j ||z_j||, with its dual vector
    lambda (= -dL/df at K z + c, or the solver's dual for the hinge loss) and how it was found.

    >>> import numpy as np
    >>> sol = LassoSolution(z=np.array([1.0, 0.0]), intercept=0.0, lam=np.zeros(2), status="optimal",
    ...                     solve_time=0.0, solver_value=0.0)
    >>> sol.objective(np.eye(2), np.array([1.0, 0.0]), "squared", beta=0.5)
    0.5
    """

    z: np.ndarray  # (p,) or (p, c)
    intercept: np.ndarray | float
    lam: np.ndarray  # (n,) or (n, c)
    status: str
    solve_time: float
    solver_value: float
    #: whether every coefficient that is not exactly zero belongs to the solution (active-set, simplex
    #: and proximal Newton solves); interior-point solutions leave round-off on every column instead
    exact_zeros: bool = False
    #: the largest violated optimality condition divided by beta (:func:`kkt_residual`) when measured
    kkt: float | None = None

    def objective(self, K: np.ndarray, y: np.ndarray, loss: Loss | LossName, beta: float) -> float:
        """L(Kz + c, y) + beta * sum ||z_j||, recomputed in numpy (not the solver's value)."""
        f = K @ self.z + self.intercept
        return get_loss(loss).value(f, y) + beta * float(group_norms(self.z).sum())


# ---------------------------------------------------------------------------------------------
# l1-regularized logistic regression: proximal Newton over working sets
# ---------------------------------------------------------------------------------------------

#: KKT tolerance of :func:`logistic_lasso`, relative to beta: |K_j . lambda - beta sign(z_j)| on the
#: support, |K_j . lambda| - beta off it, and |sum lambda| (free intercept).
LOGISTIC_KKT_TOL = 1e-11
#: when Newton's steps stall at round-off before LOGISTIC_KKT_TOL, the solution is still returned
#: (with the violation reached in ``LassoSolution.kkt``) if its violations are at most this (relative
#: to beta); otherwise SolverError.
LOGISTIC_KKT_ACCEPT = 5e-10
#: Levenberg-Marquardt dampings (relative to the largest squared column norm of the model) tried in
#: turn when the proximal Newton step fails its line search.
_DAMPINGS = (0.0, 1e-10, 1e-7, 1e-4, 1e-1, 1e2)


def logistic_kkt_residual(K: np.ndarray, y: np.ndarray, z: np.ndarray, intercept: float, beta: float,
                          fit_intercept: bool = True) -> float:
    """max of the violated optimality conditions of min L(Kz + c) + beta ||z||_1 (logistic), over beta.

    With f = K z + c and lambda = y sigmoid(-y f) = -dL/df, (z, c) is optimal iff
    K_j . lambda = beta sign(z_j) where z_j != 0, |K_j . lambda| <= beta where z_j = 0, and
    sum(lambda) = 0 when c is free (:func:`ga_relu.convex.duality.kkt_residual`).

    >>> import numpy as np
    >>> K, y = np.array([[1.0], [-1.0]]), np.array([1.0, -1.0])
    >>> round(logistic_kkt_residual(K, y, np.zeros(1), 0.0, beta=2.0), 4)
    0.0
    """
    lam = _LOGISTIC.dual_vector(K @ z + intercept, y)
    return kkt_residual(K, z, lam, beta, sum_zero=fit_intercept)


def _newton_weights(f: np.ndarray, y: np.ndarray):
    """lambda = y p, sqrt(w) and lambda / sqrt(w) at predictions f, p = sigmoid(-y f), w = p (1 - p)
    (the Hessian of the logistic loss), each computed without cancellation."""
    p = np.exp(-np.logaddexp(0.0, y * f))
    q = np.exp(-np.logaddexp(0.0, -y * f))  # 1 - p
    return y * p, np.sqrt(p * q), y * np.exp(-0.5 * y * f)  # lambda / sqrt(w) = y sqrt(p / q)


def _decidable_violations(K, z, lam, beta) -> np.ndarray:
    """:func:`column_violations` less their round-off n eps (|K|^T |lambda|)_j: K_j . lambda is a sum of
    n products, exact to that bound, so a smaller violation cannot be told from zero (near-separable
    classes at small beta make lambda, and with it every K_j . lambda, tiny)."""
    roundoff = K.shape[0] * np.finfo(float).eps * (np.abs(K).T @ np.abs(lam))
    return np.maximum(column_violations(K, z, lam, beta) - roundoff, 0.0)


def _kkt_on(KW, y, f, zW, beta, fit_intercept) -> float:
    """The largest violation (absolute) of the optimality conditions of the columns KW at predictions f."""
    lam = _LOGISTIC.dual_vector(f, y)
    return _largest_violation(_decidable_violations(KW, zW, lam, beta), lam, fit_intercept)


def _largest_violation(violations: np.ndarray, lam: np.ndarray, fit_intercept: bool) -> float:
    """max(column violations, |sum lambda| when c is free): the KKT residual, absolute.

    |sum lambda| counts only beyond its round-off, n eps sum_i |lambda_i| (each lambda_i is a sigmoid
    exact to a few ulps, and the sum of n of them is exact to n eps sum |lambda_i|): the intercept's
    1-D Newton solve stops there, and a condition below it cannot be decided in floating point
    (at small beta, tol * beta is far below it)."""
    intercept = 0.0
    if fit_intercept:
        roundoff = len(lam) * np.finfo(float).eps * float(np.abs(lam).sum())
        intercept = max(abs(float(lam.sum())) - roundoff, 0.0)
    return max(float(violations.max(initial=0.0)), intercept)


def _logistic_objective(f, y, z, beta):
    return float(np.sum(np.logaddexp(0.0, -y * f))) + beta * float(np.abs(z).sum())


def _prox_newton_step(KW, y, f, zW, beta, fit_intercept, damping=0.0):
    """The minimizer (z'_W, c') of the quadratic model of the loss at f plus beta ||z'_W||_1:

        0.5 sum_i w_i (K_W z' + c' - u_i)^2 + beta ||z'||_1,    u = f + lambda / w  (IRLS response).

    The free intercept is eliminated by weighted centering (c' = m . (u - K_W z'), m = w / sum w),
    leaving a plain Lasso in sqrt(w)-scaled rows, solved exactly by feature-sign search
    (``lasso_feature_sign``, warm-started at z_W: an active-set method whose
    linear solves make the step exact, so the outer iteration is Newton's method on the support).
    ``damping`` > 0 adds the Levenberg-Marquardt term (damping max_j ||A_j||^2 / 2) ||z' - z_W||^2:
    the model becomes strongly convex where the support's columns are (nearly) linearly dependent,
    the step a descent direction, and a large damping turns it into a short proximal-gradient step.
    """

    lam, sw, lam_sw = _newton_weights(f, y)
    if fit_intercept:
        w = sw**2
        m = w / w.sum()
        u_mean = float(m @ f + lam.sum() / w.sum())  # m . u
        K_mean = m @ KW
        A = sw[:, None] * (KW - K_mean)
        b = sw * (f - u_mean) + lam_sw
    else:
        A = sw[:, None] * KW
        b = sw * f + lam_sw
    if damping > 0:  # + (damping / 2) ||z' - z_W||^2, as extra rows of the least-squares problem
        root = np.sqrt(damping * max(float(np.max(np.einsum("ij,ij->j", A, A), initial=0.0)), 1e-300))
        A = np.vstack([A, root * np.eye(A.shape[1])])
        b = np.concatenate([b, root * zW])
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(b))):  # weights under/overflowed at huge margins
        raise SolverError("the proximal Newton model is not finite (margins beyond double precision)")
    # on a rank-deficient model (undamped) feature-sign search can cycle for thousands of steps;
    # give up early instead, and let the caller's damped (full-rank) models take over
    z_new = lasso_feature_sign(A, b, beta, fit_intercept=False, z0=zW, tol=1e-12,
                               max_singular=math.inf if damping > 0 else 2 * A.shape[1] + 20).z
    c_new = float(u_mean - K_mean @ z_new) if fit_intercept else 0.0
    return z_new, c_new, lam


def _line_search(KW, y, f, zW, c, dz, dc, lam, beta, fit_intercept, current):
    """The step length t along (dz, dc) and the new z_W, or None when no step is acceptable.

    The full step is taken when it passes Armijo's test on the true objective F; once the decrease
    predicted by the model is below round-off in F, it is taken when F does not rise beyond round-off
    and the KKT residual on W (``current`` before the step) falls. Otherwise t is halved (Armijo).
    """
    if not np.any(dz) and dc == 0.0:
        return None
    df = KW @ dz + dc
    F0 = _logistic_objective(f, y, zW, beta)
    decrease = float(-lam @ df) + beta * float(np.abs(zW + dz).sum() - np.abs(zW).sum())
    noise = 1e-13 * (abs(F0) + len(y))
    t = 1.0
    while t > 1e-12:
        zt, ft = zW + t * dz, f + t * df
        Ft = _logistic_objective(ft, y, zt, beta)
        if decrease < -noise:
            if Ft <= F0 + 1e-4 * t * decrease:
                return t, zt, dc
        else:
            if Ft > F0 + noise:
                return None
            g = ft - c - dc
            ct = _LOGISTIC.optimal_intercept(g, y, c + dc) if fit_intercept else 0.0
            return (t, zt, dc) if _kkt_on(KW, y, g + ct, zt, beta, fit_intercept) < current else None
        t *= 0.5
    return None


def _newton_on_working_set(K, y, working, z, g, c, beta, fit_intercept, bound, max_steps):
    """Proximal Newton steps on the columns ``working`` (z updated in place) until their conditions
    hold to ``bound``, no step is accepted, or ``max_steps`` steps are taken.

    Returns the new g = K z, c and the number of steps taken. Each step tries Newton's model first
    and Levenberg-Marquardt dampings (``_DAMPINGS``) when its line search fails.
    """
    KW = K[:, working]
    current = _kkt_on(KW, y, g + c, z[working], beta, fit_intercept)
    taken = 0
    while taken < max_steps:
        f = g + c
        zW = z[working]
        step = None
        for damping in _DAMPINGS:
            try:
                z_new, c_new, lam = _prox_newton_step(KW, y, f, zW, beta, fit_intercept, damping)
            except (SolverError, np.linalg.LinAlgError):  # the active-set search cycled on a singular model,
                continue  # or its least squares met non-finite weights (LAPACK's SVD does not converge)
            step = _line_search(KW, y, f, zW, c, z_new - zW, c_new - c, lam, beta, fit_intercept, current)
            if step is not None:
                break
        if step is None:
            break
        t, zt, dc = step
        taken += 1
        z[working] = zt
        g = KW @ zt
        if fit_intercept:
            c = _LOGISTIC.optimal_intercept(g, y, c + t * dc)
        current = _kkt_on(KW, y, g + c, zt, beta, fit_intercept)
        if current <= bound:  # the outer loop prices every column
            break
    return g, c, taken


def logistic_lasso(K: np.ndarray, y: np.ndarray, beta: float, *, fit_intercept: bool = True,
                   z0: np.ndarray | None = None, c0: float | None = None, tol: float = LOGISTIC_KKT_TOL,
                   max_newton: int = 500) -> LassoSolution:
    """min_{z, c}  sum_i log(1 + exp(-y_i (K z + c)_i)) + beta ||z||_1   (labels y in {-1, +1}).

    Proximal Newton (the glmnet / newGLMNET scheme) over a working set W of columns: at f = K z + c
    the loss is replaced by its second-order model with weights w = p (1 - p), p = sigmoid(-y f);
    the model plus beta ||z_W||_1 is minimized exactly over W (:func:`_prox_newton_step`), the step is
    damped by an Armijo line search on the true objective, and the intercept is re-optimized by a
    1-D Newton (``ga_relu.convex.losses.optimal_intercept``), so sum(lambda) = 0 to round-off. When the
    conditions hold on W, every column is priced (K^T lambda) and the worst violators of
    |K_j . lambda| <= beta join W (the support is kept, zero columns leave it).

    The stopping rule is the optimality certificate itself: with lambda = y sigmoid(-y f),
    |K_j . lambda - beta sign(z_j)| <= tol beta on the support, |K_j . lambda| <= (1 + tol) beta
    off it, |sum lambda| <= tol beta (:func:`logistic_kkt_residual`); if the steps stall at round-off
    first, the solution is returned when these hold with LOGISTIC_KKT_ACCEPT (5e-10) in place of tol.
    It is warm-started from (z0, c0). Raises SolverError when the conditions are not reached.

    Examples
    --------
    >>> import numpy as np
    >>> K = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.0, 0.0]])
    >>> y = np.array([1.0, -1.0, 1.0, -1.0])
    >>> sol = logistic_lasso(K, y, beta=0.1)
    >>> logistic_kkt_residual(K, y, sol.z, sol.intercept, 0.1) <= LOGISTIC_KKT_TOL
    True
    """
    start = time.perf_counter()
    n, p = K.shape
    y = np.asarray(y, dtype=float)
    z = np.zeros(p) if z0 is None else np.asarray(z0, dtype=float).copy()
    if z.shape != (p,):
        raise InvalidInputError(f"z0 has shape {z.shape}; expected ({p},)")
    g = K @ z
    c = 0.0
    if fit_intercept:
        c = _LOGISTIC.optimal_intercept(g, y, 0.0 if c0 is None else float(c0))
    bound = tol * beta
    working = np.flatnonzero(z)
    steps = 0
    residual = np.inf
    while True:
        lam = _LOGISTIC.dual_vector(g + c, y)
        on = z != 0
        violation = _decidable_violations(K, z, lam, beta)
        outside = np.setdiff1d(np.flatnonzero(~on & (violation > bound)), working, assume_unique=True)
        residual = _largest_violation(violation, lam, fit_intercept)
        if residual <= bound:
            break
        if steps >= max_newton:
            raise SolverError(
                f"the logistic Lasso (proximal Newton, {n} samples, {p} columns, beta={beta:g}) did not reach its "
                f"optimality conditions in {max_newton} Newton steps (largest violation {residual / beta:.3g} beta); "
                "try a larger beta or rescale X")
        # the worst violators outside W join it; columns of W at zero that satisfy their condition leave
        grow = max(10, int(on.sum()))
        newcomers = outside[np.argsort(-violation[outside], kind="stable")[:grow]]
        keep = working[on[working] | (violation[working] > bound)]
        working = np.union1d(keep, newcomers)
        g, c, taken = _newton_on_working_set(K, y, working, z, g, c, beta, fit_intercept, bound,
                                             max_newton - steps)
        steps += taken
        progressed = taken > 0
        if not progressed and not newcomers.size:
            if residual <= LOGISTIC_KKT_ACCEPT * beta:  # the model's steps are below round-off
                break
            raise SolverError(
                f"the logistic Lasso (proximal Newton, {n} samples, {p} columns, beta={beta:g}) stalled at a largest "
                f"optimality violation of {residual / beta:.3g} beta (round-off); try a larger beta or rescale X")
        if not progressed:
            steps += 1  # a working-set change without a step still counts toward the limit
    f = g + c
    lam = _LOGISTIC.dual_vector(f, y)
    return LassoSolution(z=z, intercept=c, lam=lam, status="optimal", solve_time=time.perf_counter() - start,
                         solver_value=_logistic_objective(f, y, z, beta), exact_zeros=True, kkt=residual / beta)


def _native_logistic(K, y, beta, **options) -> LassoSolution:
    """:func:`logistic_lasso`, looked up when called (so that it can be replaced, e.g. in tests)."""
    return logistic_lasso(K, y, beta, **options)


#: the losses with a solver of their own, tried before the cone program (one output)
_NATIVE_SOLVERS = {"logistic": _native_logistic}


def _certified(K, y, solution: LassoSolution, beta: float, fit_intercept: bool, tol: float = 1e-4) -> bool:
    """Whether an interior-point solution passes the checks of ``FitResult.certificate()`` (tolerance
    1e-4): max_j |K_j . lambda| <= (1 + tol) beta, |sum lambda| <= tol beta with a free intercept, and
    K_j . lambda = beta sign(z_j) to tol beta on the columns carrying the solution (|z_j| above 1e-6 of
    the largest; interior points leave the others at round-off rather than exactly zero)."""
    lam = _LOGISTIC.dual_vector(K @ solution.z + solution.intercept, y)
    z = np.asarray(solution.z)
    big = np.abs(z) > 1e-6 * float(np.abs(z).max(initial=0.0))
    # off the support |K_j . lambda| - beta <= tol beta is max_j |K_j . lambda| <= (1 + tol) beta
    return kkt_residual(K, z, lam, beta, sum_zero=fit_intercept, support=big) <= tol


@dataclasses.dataclass
class _Formulation:
    """One compiled cvxpy problem for K / feature_scale and y / target_scale."""

    problem: object
    z: object
    c: object
    beta: object
    margin: object
    feature_scale: float
    target_scale: float


class LassoProgram:
    """The compiled cvxpy problem for a fixed feature matrix K (n x p), targets y and loss.

    It is solved on unit scale: K = t K' and, for the squared loss, y = s y'. With z = (s/t) z' and
    c = s c' the objective is s^2 [L(K'z' + c', y') + beta/(s t) ||z'||] (s = 1 for labels), so only
    the value of the beta parameter changes. Clarabel's exponential-cone steps (logistic loss) can
    stall on one scaling and not on another: when the unit-scale problem fails with every fallback
    setting, the same problem on the data's own scale is compiled and tried too.

    The objective is ``loss.cvxpy_expression(K z + c, y)`` plus beta ||z||_1 (or the group norm
    sum_j ||Z_j||_2 for several outputs).

    Examples
    --------
    >>> import numpy as np
    >>> K = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> sol = LassoProgram(K, np.array([1.0, 0.0, 1.0])).solve(0.1)
    >>> sol.status, round(float(sol.z[0]), 3)
    ('optimal', 0.85)
    """

    def __init__(self, K: np.ndarray, y: np.ndarray, *, loss: Loss | LossName = "squared", fit_intercept: bool = True,
                 solver: str | None = None, smaller_problem_hint: str | None = None):
        loss = get_loss(loss)
        #: how the caller can pass a smaller problem, named in the SolverError (fit's options by default)
        self.smaller_problem_hint = smaller_problem_hint
        self.K, self.y, self.loss, self.fit_intercept = K, y, loss, fit_intercept
        self.solver = solver or options.solver
        if y.ndim == 2 and not loss.vector_outputs:
            raise InvalidInputError(f"several outputs (group Lasso, T5) are supported for the squared loss only, "
                                    f"not {loss.name!r}")
        feature_scale = float(np.abs(K).max(initial=0.0)) or 1.0
        # labels stay in {-1, +1}: only regression targets are rescaled
        target_scale = 1.0 if loss.classification else (float(np.abs(y).max(initial=0.0)) or 1.0)
        self._scalings = [(feature_scale, target_scale)]
        if (feature_scale, target_scale) != (1.0, 1.0):
            self._scalings.append((1.0, 1.0))
        self._compiled: dict[tuple[float, float], _Formulation] = {}

    def _formulation(self, feature_scale: float, target_scale: float) -> _Formulation:
        key = (feature_scale, target_scale)
        if key not in self._compiled:
            self._compiled[key] = self._build(self.K / feature_scale, self.y / target_scale, feature_scale,
                                              target_scale)
        return self._compiled[key]

    def _build(self, K, y, feature_scale, target_scale) -> _Formulation:
        import cvxpy as cp

        n, p = K.shape
        multi = y.ndim == 2
        beta = cp.Parameter(nonneg=True, name="beta")
        z = cp.Variable((p, y.shape[1]) if multi else (p,), name="z")
        c = cp.Variable(y.shape[1] if multi else (), name="c") if self.fit_intercept else None
        pred = K @ z
        if c is not None:
            pred = pred + (np.ones((n, 1)) @ cp.reshape(c, (1, y.shape[1]), order="C") if multi else c)
        penalty = cp.sum(cp.norm(z, 2, axis=1)) if multi else cp.norm1(z)
        data, margin = self.loss.cvxpy_expression(pred, y)
        problem = cp.Problem(cp.Minimize(data + beta * penalty), [margin] if margin is not None else [])
        return _Formulation(problem, z, c, beta, margin, feature_scale, target_scale)

    def _attempts(self):
        """(formulation, settings) in order: tight tolerances, the solver's defaults, then Clarabel
        without equilibration and with shorter steps; on each scaling in turn."""
        settings = [solver_settings(self.solver), {}]
        if self.solver == "CLARABEL":
            settings += [{"equilibrate_enable": False}, {"max_step_fraction": 0.9}]
        for scaling in self._scalings:
            for setting in settings:
                yield scaling, setting

    def solve(self, beta: float, *, warm_start: LassoSolution | None = None) -> LassoSolution:
        """Solve at this beta (recompiling nothing after the first call); raise on any non-optimal status.

        The logistic loss with one output is solved first by :func:`logistic_lasso` (proximal Newton,
        stopped by the KKT conditions to 1e-11 beta; optionally warm-started from a solution of this
        program at another beta): on the wedge dictionaries it is 30-400x faster than Clarabel's
        exponential cones (iris petals, 4054 columns: 0.02-0.06 s against 2-16 s) and also solves the
        nearly separable instances on which those stall. Only
        when it fails does Clarabel run, and its answer is returned only if its dual certificate holds
        (:func:`_certified`).
        """
        if self.y.ndim == 1 and self.loss.quadratic:
            return self._solve_squared(beta)
        if self.y.ndim == 1 and self.loss.name == "hinge":
            try:
                return hinge_lasso_lp(self.K, self.y, beta, fit_intercept=self.fit_intercept)
            except SolverError:
                return self._solve_cone(beta, time.perf_counter())
        native = _NATIVE_SOLVERS.get(self.loss.name) if self.y.ndim == 1 else None
        if native is not None:
            start = time.perf_counter()
            z0 = c0 = None
            if warm_start is not None:
                z0, c0 = np.asarray(warm_start.z, dtype=float), float(warm_start.intercept)
            try:
                return native(self.K, self.y, beta, fit_intercept=self.fit_intercept, z0=z0, c0=c0)
            except SolverError as native_error:
                try:
                    solution = self._solve_cone(beta, start)
                except SolverError as cone_error:
                    raise SolverError(f"{native_error}. The fallback failed too: {cone_error}") from cone_error
            if not _certified(self.K, self.y, solution, beta, self.fit_intercept):
                raise SolverError(
                    f"{self.solver} returned status {solution.status!r} on the logistic Lasso with beta={beta:g}, but "
                    "its dual certificate fails (max |K_j . lambda| > (1 + 1e-4) beta or a support condition is off); "
                    "the fit would be inaccurate. Try a larger beta, rescaling X, or the hinge loss for (nearly) "
                    "separable classes")
            return solution
        return self._solve_cone(beta, time.perf_counter())

    def solve_cone(self, beta: float) -> LassoSolution:
        """The cone program alone (no native solver first), e.g. as the warm start of one.

        >>> import numpy as np
        >>> LassoProgram(np.eye(2), np.array([1.0, 0.0])).solve_cone(0.1).status
        'optimal'
        """
        return self._solve_cone(beta, time.perf_counter())

    def _solve_squared(self, beta: float) -> LassoSolution:
        """The squared-loss Lasso: the cone program, then an exact polish on the well-scaled problem.

        The problem is homogeneous: with K = t K' and y = s y' (t = max |K|, s = max |y|), z = (s/t) z',
        c = s c' solve it at beta' = beta / (s t), and the objective is s^2 times the scaled one. The
        interior point meets its conditions only to ~1e-10 of the loss's scale, which is no accuracy
        at all when beta' is that small (y * 1e10 at beta = 1e-6 is beta' ~ 1e-17): its z is then any
        interpolant, not the one of least l1 norm. So it is only a warm start:

        1. z = 0 when the closed form says so: at the best constant c0, lambda0 = y - c0 and z = 0 is
           optimal iff max_j |K_j . lambda0| <= beta (no column can enter);
        2. feature-sign search (:func:`lasso_feature_sign`, exact linear solves) from the cone's
           solution, its entries below 1e-6 of the largest set to zero (the search brings back any
           column whose condition fails, so this start loses nothing);
        3. when that does not converge (beta' near round-off), the least-l1 interpolant
           min ||z||_1 s.t. K' z + c = y' (a linear program, HiGHS), whose value beta' ||z||_1 is the
           Lasso's optimum up to O(beta'^2) (weak duality with lambda = beta' u, u its LP dual), then
           feature-sign search from it once more.

        The candidate of least objective (computed here, in numpy) is returned, with its measured
        KKT residual; status "optimal" only when that residual is below 1e-6 (relative to beta).
        """
        start = time.perf_counter()
        t, s = self._scalings[0]
        Kp, yp, bp = self.K / t, self.y / s, beta / (s * t)
        n, p = Kp.shape
        fit_intercept = self.fit_intercept

        def scaled_objective(z, c):
            return SQUARED.value(Kp @ z + c, yp) + bp * float(np.abs(z).sum())

        candidates = []  # (z', c') of the scaled problem; the cone's first when it ran
        cone_used, cone_status = False, "optimal"
        c0 = (float(yp[0]) if np.all(yp == yp[0]) else float(np.mean(yp))) if fit_intercept else 0.0
        lam0 = yp - c0
        if float(np.abs(Kp.T @ lam0).max(initial=0.0)) <= bp:  # the empty network is optimal
            candidates.append((np.zeros(p), c0))
        else:
            cone_error = None
            try:
                cone = self._solve_cone(beta, start)
                zc, cc = np.asarray(cone.z, float) * (t / s), float(cone.intercept) / s
                candidates.append((zc, cc))
                cone_used, cone_status = True, cone.status
                warm = np.where(np.abs(zc) > 1e-6 * float(np.abs(zc).max(initial=0.0)), zc, 0.0)
            except SolverError as exc:
                cone_error, warm = exc, None
            limit = 5 * (n + 10)  # from a good start a few steps per column of the support
            polished = None
            try:
                polished = lasso_feature_sign(Kp, yp, bp, fit_intercept, z0=warm, max_steps=limit,
                                              max_singular=2 * p + 20)
                candidates.append((polished.z, polished.intercept))
            except SolverError:
                pass
            if polished is None:
                interpolant = _least_l1_interpolant(Kp, yp, fit_intercept)
                if interpolant is not None:
                    candidates.append(interpolant)
                    try:
                        again = lasso_feature_sign(Kp, yp, bp, fit_intercept, z0=interpolant[0], max_steps=limit,
                                                   max_singular=2 * p + 20)
                        candidates.append((again.z, again.intercept))
                    except SolverError:
                        pass
            if not candidates:
                raise SolverError(f"no solver reached the squared-loss Lasso at beta={beta:g}: {cone_error}")
        z, c = min(candidates, key=lambda zc: scaled_objective(*zc))
        lam = yp - Kp @ z - c
        kkt = kkt_residual(Kp, z, lam, bp, sum_zero=fit_intercept)
        value = scaled_objective(z, c)
        loss_part = SQUARED.value(Kp @ z + c, yp)
        roundoff_regime = bp <= 1e3 * n * np.finfo(float).eps  # K'_j . r is exact to ~n eps only
        if roundoff_regime and kkt > 1e-6 and loss_part > 1e-6 * value:
            # the conditions fail and the loss is not negligible: at this beta' the residual the
            # optimum needs (~beta') is below the round-off of the predictions (~eps), so the value
            # left is round-off, not the Lasso's
            raise SolverError(
                f"the squared-loss Lasso at beta={beta:g} is beyond double precision: on the problem scaled to "
                f"unit size (y / {s:.3g}, columns / {t:.3g}) beta is {bp:.3g}, and the optimum's residual is "
                f"below the round-off of the predictions (the loss left, {loss_part:.3g} of the scaled objective "
                f"{value:.3g}, is round-off). Use a larger beta (beta / (max|y| max|K|) above about 1e-12)")
        with np.errstate(over="ignore"):
            solver_value = value * s * s
        # the interior point's own z (dense, round-off on every column) keeps its status and threshold
        from_cone = not any(np.array_equal(z, other[0]) for other in candidates[1:]) and cone_used
        status = cone_status if from_cone else ("optimal" if kkt <= 1e-6 else "optimal_inaccurate")
        return LassoSolution(z=z * (s / t), intercept=c * s, lam=lam * s, status=status,
                             solve_time=time.perf_counter() - start, solver_value=solver_value,
                             exact_zeros=not from_cone, kkt=kkt)

    def _solve_cone(self, beta: float, start: float) -> LassoSolution:
        """cvxpy + the configured solver over the fallback settings of :meth:`_attempts`."""
        import cvxpy as cp

        error, status, form = None, None, None
        for scaling, setting in self._attempts():
            form = self._formulation(*scaling)
            form.beta.value = beta / (form.target_scale * form.feature_scale)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)  # "solution may be inaccurate": checked below
                    form.problem.solve(solver=self.solver, **setting)
            except cp.error.SolverError as exc:
                error = exc
                continue
            error, status = None, form.problem.status
            if status == cp.OPTIMAL:
                break
        elapsed = time.perf_counter() - start
        if error is not None:
            raise SolverError(
                f"{self.solver} failed on the Lasso ({self.K.shape[0]} samples, {self.K.shape[1]} columns, "
                f"loss {self.loss.name!r}, beta={beta:g}) with every fallback setting: {error} Try a larger beta, "
                "the hinge loss for (nearly) separable classes, or "
                f"{self.smaller_problem_hint or _FEWER_COLUMNS}"
            ) from error
        if status != cp.OPTIMAL:
            raise SolverError(
                f"{self.solver} returned status {status!r} (not 'optimal') on the Lasso with beta={beta:g}; "
                "the fit would be inaccurate. Try a larger beta, rescaling X and y, or "
                f"{self.smaller_problem_hint or _SMALLER_DICTIONARY}"
            )
        unscale = form.target_scale / form.feature_scale
        z = np.asarray(form.z.value, dtype=float) * unscale
        c = 0.0
        if form.c is not None:
            c = (np.asarray(form.c.value, dtype=float) if self.y.ndim == 2 else float(form.c.value)) * form.target_scale
        lam = self.loss.dual_from_solver(self.K @ z + c, self.y,
                                         None if form.margin is None else form.margin.dual_value)
        with np.errstate(over="ignore"):
            solver_value = float(form.problem.value) * form.target_scale * form.target_scale
        return LassoSolution(z=z, intercept=c, lam=lam, status=status, solve_time=elapsed, solver_value=solver_value)


def _least_l1_interpolant(K: np.ndarray, y: np.ndarray, fit_intercept: bool):
    """(z, c) minimizing ||z||_1 subject to K z + c = y (c = 0 without an intercept), by HiGHS;
    None when infeasible. The equalities are then re-solved on the LP's support by least squares,
    so the residual is round-off rather than HiGHS's feasibility tolerance."""
    from scipy.optimize import linprog

    n, p = K.shape
    free = [np.ones((n, 1)), -np.ones((n, 1))] if fit_intercept else []
    A = np.hstack([K, -K, *free])
    cost = np.concatenate([np.ones(2 * p), np.zeros(len(free))])
    res = linprog(cost, A_eq=A, b_eq=y, bounds=(0, None), method="highs")
    if res.status != 0:
        return None
    z = res.x[:p] - res.x[p:2 * p]
    c = float(res.x[2 * p] - res.x[2 * p + 1]) if fit_intercept else 0.0
    support = np.flatnonzero(z)
    B = np.hstack([K[:, support], np.ones((n, 1))]) if fit_intercept else K[:, support]
    if B.shape[1]:
        exact = np.linalg.lstsq(B, y, rcond=None)[0]
        if np.all(np.sign(exact[:support.size]) == np.sign(z[support])):
            z = np.zeros(p)
            z[support] = exact[:support.size]
            c = float(exact[-1]) if fit_intercept else 0.0
    return z, c


# ---------------------------------------------------------------------------------------------
# hinge loss: the Lasso is a linear program
# ---------------------------------------------------------------------------------------------

#: HiGHS feasibility tolerances for the hinge LP: its data are on unit scale (K / max |K|, labels +-1,
#: margins 1), so absolute tolerances are relative; tighter than HiGHS's 1e-7 so that samples at the
#: margin are at it to ~1e-10
_HIGHS_TOLERANCES = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


def hinge_lasso_lp(K: np.ndarray, y: np.ndarray, beta: float, *, fit_intercept: bool = True) -> LassoSolution:
    """min_{z, c} sum_i max(0, 1 - y_i (K z + c)_i) + beta ||z||_1 as a linear program (HiGHS).

    With z = u - v (u, v >= 0) and slacks xi >= 0:  min 1^T xi + beta 1^T (u + v)  subject to
    xi_i >= 1 - y_i (K (u - v) + c)_i. The simplex method returns a basic solution: its zero
    coefficients are exactly zero and its samples at the margin are there to the LP's tolerance, so no
    coefficient has to be dropped afterwards (dropping one moves samples across the margin, which
    the hinge loss, unlike a smooth loss, feels to first order). lambda = y mu with mu in [0, 1] the
    LP's dual of the margin constraints, a subgradient of the loss at the solution. Solved on
    K / max |K| (beta scaled alike; z scaled back). Raises SolverError when HiGHS fails.

    >>> import numpy as np
    >>> sol = hinge_lasso_lp(np.array([[1.0], [-1.0]]), np.array([1.0, -1.0]), beta=0.5, fit_intercept=False)
    >>> sol.z, sol.solver_value
    (array([1.]), 0.5)
    """
    from scipy.optimize import linprog

    start = time.perf_counter()
    n, p = K.shape
    t = float(np.abs(K).max(initial=0.0)) or 1.0
    Ky = (K / t) * y[:, None]
    free = [-y[:, None], y[:, None]] if fit_intercept else []
    A = np.hstack([-Ky, Ky, *free, -np.eye(n)])
    cost = np.concatenate([np.full(2 * p, beta / t), np.zeros(len(free)), np.ones(n)])
    res = linprog(cost, A_ub=A, b_ub=-np.ones(n), bounds=(0, None), method="highs", options=_HIGHS_TOLERANCES)
    if res.status != 0:
        raise SolverError(f"HiGHS did not solve the hinge-loss Lasso ({n} samples, {p} columns, beta={beta:g}): "
                          f"{res.message}")
    z = (res.x[:p] - res.x[p:2 * p]) / t
    c = float(res.x[2 * p] - res.x[2 * p + 1]) if fit_intercept else 0.0
    mu = np.clip(-np.asarray(res.ineqlin.marginals, dtype=float), 0.0, 1.0)
    f = K @ z + c
    value = float(np.sum(np.maximum(0.0, 1.0 - y * f))) + beta * float(np.abs(z).sum())
    return LassoSolution(z=z, intercept=c, lam=y * mu, status="optimal", solve_time=time.perf_counter() - start,
                         solver_value=value, exact_zeros=True)


# ---------------------------------------------------------------------------------------------
# squared loss: feature-sign search (exact active-set solves; column generation's restricted solver)
# ---------------------------------------------------------------------------------------------


def _null_space_step(M: np.ndarray, z: np.ndarray, A: np.ndarray) -> bool:
    """On a rank-deficient active set (M = K_A^T K_A singular) move z_A along v, K_A v = 0, in the
    direction where ||z||_1 decreases (directional derivative sum_{z_k != 0} sign(z_k) v_k
    + sum_{z_k = 0} |v_k| < 0), until a coordinate reaches 0: the residual is unchanged and the
    objective drops strictly, so feature-sign search cannot cycle there. False when ||z||_1 is flat
    along v (the minimum-norm linear solve is then a valid step)."""
    v = np.linalg.svd(M)[2][-1]
    za = z[A]
    nonzero = za != 0

    def rate(u):
        return float(np.sign(za[nonzero]) @ u[nonzero] + np.abs(u[~nonzero]).sum())

    if rate(-v) < rate(v):
        v = -v
    hits = nonzero & (za * v < 0)
    if rate(v) >= -1e-12 * np.abs(v).sum() or not hits.any():
        return False
    t = -za[hits] / v[hits]
    first = np.argmin(t)
    za = za + t[first] * v
    za[np.flatnonzero(hits)[first]] = 0.0
    z[A] = za
    return True


def lasso_feature_sign(K: np.ndarray, y: np.ndarray, beta: float, fit_intercept: bool,
                        z0: np.ndarray | None = None, tol: float = 1e-10, max_steps: int | None = None,
                        gram: bool = False, max_singular: float = math.inf) -> LassoSolution:
    """Squared-loss Lasso by feature-sign search (Lee, Battle, Raina & Ng, NIPS 2007), warm-started.

    With the intercept eliminated (K, y centered: c = mean(y - K z)), the optimality conditions are
    K_j . r = beta sign(z_j) for z_j != 0 and |K_j . r| <= beta for z_j = 0, r = y - K z. For a sign
    vector theta on the active set A the minimizer is the linear solve
    (K_A^T K_A) z_A = K_A^T y - beta theta_A; a line search over the sign changes between the current
    and the new z_A keeps the objective strictly decreasing, so the search ends after finitely many
    steps with the conditions holding to ``tol * beta`` (machine precision: the solves are exact).
    Each step costs one pass K^T r and one small dense solve, whatever the working-set size;
    ``gram=True`` forms G = K^T K once (O(n p^2)) so that a step costs O(p |A| + |A|^3) instead
    (K^T r = K^T y - G_A z_A), which pays when many columns enter one by one (column generation).
    ``max_singular``: give up (SolverError) after that many steps on a rank-deficient active set.

    Examples
    --------
    >>> import numpy as np
    >>> sol = lasso_feature_sign(np.eye(3), np.array([2.0, 0.5, -3.0]), beta=1.0, fit_intercept=False)
    >>> sol.z
    array([ 1.,  0., -2.])
    """
    # its dense solves are on |A| x |A| Gram matrices, which two BLAS threads never speed up: on a
    # loaded machine they slowed them down (one column generation, 80 random 2-D labels, logistic,
    # beta = 0.01, the proximal Newton steps' searches: SVDs 46 ms each on two OpenBLAS threads,
    # 0.9 ms on one, the fit 106 s against 26 s; from 17 to 120 s between runs before)
    with limited_threads(1):
        return _feature_sign(K, y, beta, fit_intercept, z0, tol, max_steps, gram, max_singular)


def _feature_sign(K, y, beta, fit_intercept, z0, tol, max_steps, gram, max_singular) -> LassoSolution:
    """:func:`lasso_feature_sign` on one BLAS thread."""
    start = time.perf_counter()
    n, p = K.shape
    if p == 0:  # no columns: the intercept alone (an empty working set of column generation)
        c = float(np.mean(y)) if fit_intercept else 0.0
        return LassoSolution(z=np.zeros(0), intercept=c, lam=SQUARED.dual_vector(np.full(n, c), y), status="optimal",
                             solve_time=time.perf_counter() - start, solver_value=SQUARED.value(np.full(n, c), y),
                             exact_zeros=True, kkt=0.0)
    Kc = K - K.mean(axis=0) if fit_intercept else K
    yc = y - y.mean() if fit_intercept else y
    if gram:  # every step costs O(p |A| + |A|^3) after one O(n p^2) product, not O(n p) + O(n |A|^2)
        G, Ky = Kc.T @ Kc, Kc.T @ yc
    z = np.zeros(p) if z0 is None else np.asarray(z0, dtype=float).copy()
    theta = np.sign(z)
    limit = max_steps if max_steps is not None else 50 * (p + n) + 100
    bound = tol * beta

    def objective(za, A):  # from the residual, not the Gram form (whose cancellation stalls the line search)
        r = yc - Kc[:, A] @ za
        return 0.5 * r @ r + beta * np.abs(za).sum()

    # Gram steps to 1e-8 beta (rounding in K^T y - G z can stall them below that), then exact K^T r steps
    for use_gram in ([True, False] if gram else [False]):
        steps, step_bound = (min(limit, 10 * p + 100), max(bound, 1e-8 * beta)) if use_gram else (limit, bound)
        singular = 0  # steps on a rank-deficient active set: where feature-sign search can cycle
        solved_on_active = False  # the last step was a full linear solve: the active conditions hold exactly
        for step in range(steps):
            A = np.flatnonzero(theta)
            corr = Ky - G[:, A] @ z[A] if use_gram else Kc.T @ (yc - Kc[:, A] @ z[A])  # K^T r
            if not A.size or solved_on_active or np.max(np.abs(corr[A] - beta * theta[A])) <= step_bound:
                gap = np.where(theta == 0, np.abs(corr) - beta, -np.inf)
                i = int(np.argmax(gap))
                if gap[i] <= step_bound:
                    break
                theta[i] = np.sign(corr[i])
                A = np.flatnonzero(theta)
            if use_gram:
                M = G[np.ix_(A, A)]
                target, _, rank, _ = np.linalg.lstsq(M, Ky[A] - beta * theta[A], rcond=None)
            else:
                KA = Kc[:, A]
                M = KA.T @ KA
                target, _, rank, _ = np.linalg.lstsq(M, KA.T @ yc - beta * theta[A], rcond=None)
            if rank < len(A) and _null_space_step(M, z, A):
                theta = np.sign(z)
                solved_on_active = False
                continue
            singular += rank < len(A)
            if singular > max_singular:
                raise SolverError(f"feature-sign search cycles on linearly dependent active columns ({singular} "
                                  f"rank-deficient steps, {p} columns, beta={beta:g}); use solver='clarabel'")
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
            if use_gram:
                continue  # hand the current z over to the exact steps
            raise SolverError(f"feature-sign search did not reach the Lasso optimality conditions in {limit} steps "
                              f"({p} columns, beta={beta:g}); use solver='clarabel'")
    c = float(np.mean(y - K @ z)) if fit_intercept else 0.0
    lam = SQUARED.dual_vector(K @ z + c, y)
    value = SQUARED.value(K @ z + c, y) + beta * float(np.abs(z).sum())
    return LassoSolution(z=z, intercept=c, lam=lam, status="optimal", solve_time=time.perf_counter() - start,
                         solver_value=value, exact_zeros=True)


# ---------------------------------------------------------------------------------------------
# squared loss: the dual projection (column generation's restricted solver at every beta)
# ---------------------------------------------------------------------------------------------

#: Clarabel's tolerances for the dual projection, on unit scale (K / max|K|, y / max|y|), so absolute
#: is relative: lambda to ~1e-10 of max|y| is far below the pricing tolerance (1e-6 of beta at beta
#: above ~1e-4 max|y| max|K|), and the basic primal recovered from it is polished exactly anyway
_DUAL_QP_TOLERANCE = 1e-10
#: a working-set column is "tight" (may carry the solution) when |K_j . lambda| >= (1 - this) beta:
#: the interior point meets the constraints to ~1e-10, so 1e-7 keeps every column of the support
#: and adds, at worst, columns the non-negative least squares then leaves at zero
_TIGHT = 1e-7
#: feature-sign polish of the recovered primal only when its optimality conditions are off by more
#: than this (relative to beta): measured, the polish took half the solve time (an SVD per null-space
#: step on dependent columns) where the recovered primal already met them to ~1e-10
_POLISH_ABOVE = 1e-9


def _unit_scale(K: np.ndarray, y: np.ndarray, beta: float):
    """(K / t, y / s, beta / (s t), t, s) with t = max|K|, s = max|y| (1 when zero): the squared-loss
    Lasso is homogeneous (z* scales by s / t, lambda by s, the objective by s^2), and on unit scale
    the solvers' absolute tolerances become relative ones. K / t comes column-major: the dual
    active set reads K's columns and K^T's rows, both contiguous then, with no transposed copy (at
    n = 5,000 and 1,800 columns a copy is 72 MB per restricted solve)."""
    t = max(float(K.max(initial=0.0)), -float(K.min(initial=0.0))) or 1.0
    s = float(np.abs(y).max(initial=0.0)) or 1.0
    return np.divide(K, t, out=np.empty(K.shape, order="F")), y / s, beta / (s * t), t, s


def squared_lasso_dual(K: np.ndarray, y: np.ndarray, beta: float, *, fit_intercept: bool = True,
                       z0: np.ndarray | None = None) -> LassoSolution:
    r"""Squared-loss Lasso through its dual, a projection that rank deficiency cannot upset.

    The dual of min_{z,c} ||y - K z - c||^2 / 2 + beta ||z||_1 is

    .. math::

        \max_\lambda\; \lambda\cdot y - \tfrac12\|\lambda\|^2
        \quad\text{s.t.}\quad |K_j\cdot\lambda| \le \beta\ \ \forall j,\qquad \textstyle\sum_i \lambda_i = 0
        \ \text{(free } c\text{)},

    i.e. lambda is the Euclidean projection of y onto a polytope: strictly concave, so lambda is
    unique even when the primal solutions are not (dependent columns such as
    relu(t) - relu(-t) = t, which make feature-sign search cycle). Every optimal primal has
    K z + c = y - lambda and puts weight only on tight columns with the sign of K_j . lambda. So:

    1. lambda by Clarabel on the dual QP (n variables, 2p linear constraints, Hessian I), on the
       unit-scale problem (K / max|K|, y / max|y|: the Lasso is homogeneous, beta' = beta / (s t));
    2. a basic primal: non-negative least squares (Lawson-Hanson, which keeps its passive columns
       independent) of y - lambda on the tight columns signed by K_j . lambda, intercept eliminated
       by centering: exact zeros, an independent support;
    3. feature-sign search (:func:`lasso_feature_sign`) from that primal, which on an independent
       support with the right signs ends in a step or two with the optimality conditions to
       round-off; kept only when it lowers the objective.

    Why this method, measured on the 26 restricted problems of one column-generation run (2-D data
    with bias, n = 120, l2 wedge dictionary, beta = 1e-3; 40-160 columns each): feature-sign search
    cycled on 7 of them and spent 256 s (loaded machine) before its fallback; this projection solved
    all 26 in 2.6 s with the optimality conditions to <= 3e-9 beta and objectives never above those of
    Clarabel on the primal QP (2.3 s, but a dense interior z and no exact zeros). The NNLS support
    alone met the conditions only to the interior point's slack (up to 9e-3 beta), hence the exact
    solve on it. At beta = 0.05 (independent columns) warm feature-sign search is 3x faster (0.8 s
    against 2.7 s), so column generation tries it first (:func:`ga_relu.convex.colgen._solve_restricted`).

    Examples
    --------
    Two copies of one column (the primal is not unique: any split of the weight is optimal):

    >>> import numpy as np
    >>> K = np.array([[1.0, 1.0], [0.0, 0.0], [-1.0, -1.0]])
    >>> sol = squared_lasso_dual(K, np.array([2.0, 0.0, -2.0]), beta=1.0, fit_intercept=False)
    >>> np.round(sol.lam, 8), float(np.abs(sol.z).sum()), sol.exact_zeros
    (array([ 0.5,  0. , -0.5]), 1.5, True)
    """
    import clarabel
    from scipy import sparse
    from scipy.optimize import nnls

    start = time.perf_counter()
    K, y = np.asarray(K, dtype=float), np.asarray(y, dtype=float)
    n, p = K.shape
    Kp, yp, bp, t, s = _unit_scale(K, y, beta)
    c0 = float(np.mean(yp)) if fit_intercept else 0.0
    if p == 0 or float(np.abs(Kp.T @ (yp - c0)).max(initial=0.0)) <= bp:  # the empty network: closed form
        z, c = np.zeros(p), c0
    else:
        q = int(fit_intercept)
        A = sparse.vstack(([sparse.csc_matrix(np.ones((1, n)))] if q else [])
                          + [sparse.csc_matrix(Kp.T), sparse.csc_matrix(-Kp.T)], format="csc")
        b = np.concatenate([np.zeros(q), np.full(2 * p, bp)])
        cones = ([clarabel.ZeroConeT(1)] if q else []) + [clarabel.NonnegativeConeT(2 * p)]
        settings = clarabel.DefaultSettings()
        settings.verbose = False
        settings.tol_gap_abs = settings.tol_gap_rel = settings.tol_feas = _DUAL_QP_TOLERANCE
        settings.tol_ktratio = 1e-8
        result = clarabel.DefaultSolver(sparse.identity(n, format="csc"), -yp, A, b, cones, settings).solve()
        status = str(result.status)
        if "Solved" not in status:
            raise SolverError(f"Clarabel returned status {status} on the dual of the restricted squared-loss Lasso "
                              f"({n} samples, {p} columns, beta={beta:g}); rescale X and y or use a larger beta")
        lam = np.asarray(result.x, dtype=float)
        corr = Kp.T @ lam
        # the interior point's own classification too: a constraint whose multiplier exceeds its slack
        # is active (complementarity u_j s_j ~ tol leaves slack ~ tol / u_j, above _TIGHT beta when u_j
        # is small, yet the column carries weight u_j)
        multiplier, slack = np.asarray(result.z, dtype=float)[q:], np.asarray(result.s, dtype=float)[q:]
        active = (multiplier > slack).reshape(2, p).any(axis=0)
        strict = np.abs(corr) >= bp * (1.0 - _TIGHT)
        fitted = yp - lam  # the fitted values every optimal primal shares
        candidates = []
        for tight in dict.fromkeys([tuple(np.flatnonzero(strict)), tuple(np.flatnonzero(strict | active))]):
            tight = np.asarray(tight, dtype=np.intp)
            B, f = Kp[:, tight] * np.sign(corr[tight]), fitted
            if fit_intercept:
                B, f = B - B.mean(axis=0), f - f.mean()
            weights, _ = nnls(B, f, maxiter=50 * (tight.size + 10))
            candidates.append(np.zeros(p))
            candidates[-1][tight] = weights * np.sign(corr[tight])
            # the exact solve on the NNLS support S (independent columns): K_S . lambda = beta theta_S
            # exactly, which the NNLS point meets only to the interior point's slack
            support = tight[weights > 0]
            if support.size:
                theta = np.sign(corr[support])
                KS = Kp[:, support] - (Kp[:, support].mean(axis=0) if fit_intercept else 0.0)
                yc = yp - yp.mean() if fit_intercept else yp
                exact, _, rank, _ = np.linalg.lstsq(KS.T @ KS, KS.T @ yc - bp * theta, rcond=None)
                if rank == support.size and np.all(np.sign(exact) == theta):
                    candidates.append(np.zeros(p))
                    candidates[-1][support] = exact

        def conditions(zc):
            return kkt_residual(Kp, zc, yp - Kp @ zc - (float(np.mean(yp - Kp @ zc)) if fit_intercept else 0.0), bp,
                                sum_zero=fit_intercept)

        z = min(candidates, key=conditions)
        if conditions(z) > _POLISH_ABOVE:
            try:  # a few exact steps; on dependent columns feature-sign's null-space steps cost an SVD each
                polished = lasso_feature_sign(Kp, yp, bp, fit_intercept, z0=z, max_steps=2 * (tight.size + 10),
                                              gram=True, max_singular=10)
                if conditions(polished.z) < conditions(z):
                    z = polished.z
            except SolverError:
                pass
        c = float(np.mean(yp - Kp @ z)) if fit_intercept else 0.0
    lam = yp - Kp @ z - c
    kkt = kkt_residual(Kp, z, lam, bp, sum_zero=fit_intercept)
    value = SQUARED.value(Kp @ z + c, yp) + bp * float(np.abs(z).sum())
    return LassoSolution(z=z * (s / t), intercept=c * s, lam=lam * s,
                         status="optimal" if kkt <= 1e-6 else "optimal_inaccurate",
                         solve_time=time.perf_counter() - start, solver_value=value * s * s, exact_zeros=True, kkt=kkt)


# ---------------------------------------------------------------------------------------------
# squared loss: a dual active-set method on the projection (column generation's restricted solver)
# ---------------------------------------------------------------------------------------------

#: a constraint normal is linearly dependent on the active ones when its component orthogonal to
#: them is below this fraction of its norm (then only the multipliers move: Goldfarb-Idnani's
#: partial step); relative, so the test does not depend on the scale of the columns
_DEPENDENT = 1e-10
#: a dual constraint |K_j . lambda| <= beta counts as violated only beyond this fraction of beta,
#: or beyond the round-off of K_j . lambda (:meth:`_ProjectionActiveSet.most_violated`), whichever
#: is larger: far below the pricing tolerance (1e-6 beta), above what double precision can decide
_VIOLATED = 1e-12
#: rank-one updates of the QR factors between two factorizations from scratch (bounds the drift
#: of Q's orthogonality, about eps per Givens sweep)
_REFACTOR_EVERY = 200
#: active sets from this many normals on are factored by blocked Householder QR (:meth:`_ProjectionActiveSet._factor`);
#: below it the column-by-column insertions cost microseconds each and LAPACK's call overhead
#: (threads woken for a tiny matrix under load) would dominate
_BLOCKED_QR_FROM = 32


class _ProjectionActiveSet:
    """Goldfarb-Idnani's dual method for min ||x - y||^2 / 2 s.t. e . x = 0, s_j K_j . x <= b.

    The state is an active set A of linearly independent constraint normals N = [a_k] (the equality
    first), their thin QR factors N = Q R, the point x on the face N^T x = b_A that is nearest to y,
    and multipliers u with x = y - N u, u_k >= 0 for the inequalities. Every step keeps u >= 0 (dual
    feasibility) and adds a violated constraint p: x moves along -(I - Q Q^T) a_p (the face's
    directions) and u along -R^{-1} Q^T a_p, and an inequality whose multiplier reaches zero first
    leaves A. When a_p is dependent on A ((I - Q Q^T) a_p = 0, e.g. relu(t) - relu(-t) = t) only the
    multipliers move, until one leaves: dependence costs a step, never a cycle, and A stays
    independent.

    Thin factors in buffers that double when full, Gram-Schmidt column insertions (orthogonalized
    twice) and scipy's Givens deletion: O(n |A|) per step, no LAPACK factorization. Measured on a
    loaded 2-core machine (two OpenBLAS threads): a complete QR (orgqr) of 120 x 40 took 90-290 ms,
    an economic one 17 ms, against 2 ms on one thread; an insertion here costs ~20 us.
    """

    def __init__(self, K: np.ndarray, y: np.ndarray, b: float, fit_intercept: bool):
        from scipy.linalg import qr_delete
        from scipy.linalg.lapack import dtrtrs

        self._qr_delete, self._dtrtrs = qr_delete, dtrtrs
        n = K.shape[0]
        self.K, self.KT, self.y, self.b = K, np.ascontiguousarray(K.T), y, b
        self.column_norms = np.sqrt(np.einsum("ij,ij->j", K, K))
        # |K_j . x| above this is a violation: beta plus the larger of _VIOLATED beta and the round-off
        # of K_j . x, 16 sqrt(n) eps ||K_j|| ||y|| (x, computed from y by orthogonal factors, is
        # exact to ~eps ||y|| per entry, and ||x|| <= ||y||, x being y's projection onto a set that
        # holds 0). sqrt(n), not the worst case n: blocked BLAS sums grow their error like sqrt(n)
        # (Higham's probabilistic bound), and the worst case let the method stop 6e-6 beta short of
        # feasibility at n = 5,000, beta = 0.01 (unit scale: b = 1.8e-3, the n-bound 1e-8), above the
        # pricing's 1e-6, so column generation stalled on its own working set. This threshold only
        # decides when to stop: a constraint "violated" by round-off alone costs one step (and
        # max_iter bounds the steps); the certificate never rests on it.
        roundoff = 16 * math.sqrt(n) * np.finfo(float).eps * self.column_norms * float(np.linalg.norm(y))
        self.threshold = b + np.maximum(_VIOLATED * b, roundoff)
        self.n_eq = 1 if fit_intercept else 0
        self.equality = np.full(n, 1.0 / math.sqrt(n))
        # Q = _Q[:, :q], R = _R[:q, :q]; the buffers double when full (at most n columns: A is
        # independent), so large n with a small support does not pay n^2 memory. Column-major: Q's
        # columns are contiguous, so the Givens deletion (scipy's qr_delete) rotates them in place
        self._Q = np.zeros((n, min(n, 64)), order="F")
        self._Qty = None  # Q^T y for the current Q (None: to be computed), see _face
        self._R = np.zeros((self._Q.shape[1],) * 2, order="F")
        self.q = 0
        self.columns: list[int] = []  # active inequalities after the equality: column index ...
        self.signs: list[float] = []  # ... and the sign s of s K_j . x <= b
        self.iterations = 0
        self.updates = 0
        self._factor()

    # -- the factors of the active normals ------------------------------------------------------

    @property
    def Q(self) -> np.ndarray:
        return self._Q[:, :self.q]

    @property
    def R(self) -> np.ndarray:
        return self._R[:self.q, :self.q]

    def _triangular(self, rhs: np.ndarray, transpose: bool = False) -> np.ndarray:
        """R^{-1} rhs (R^{-T} rhs when ``transpose``), by LAPACK's trtrs (no scipy input checks:
        they cost more than the solve at these sizes)."""
        if not self.q:
            return np.zeros(0)
        solution, info = self._dtrtrs(self.R, rhs, lower=0, trans=int(transpose))
        if info != 0:  # a zero on R's diagonal: the insertion test keeps it above _DEPENDENT |a|
            raise SolverError(f"the dual active-set method met a singular factor (LAPACK info {info}); "
                              "use solver='clarabel'")
        return solution

    def _factor(self) -> None:
        """Thin QR of the active normals from scratch, dropping those dependent on the ones before,
        then the face's point and multipliers.

        Householder QR of all of them at once (LAPACK, blocked: one pass over the n x |A| matrix
        per block of columns) when none is dependent: |R_kk| is the norm of normal k's component
        orthogonal to the normals before it, the quantity the column-by-column test below compares
        with _DEPENDENT |a_k|, so both accept the same sets. The column-by-column Gram-Schmidt,
        a pass over Q per column and per reorthogonalization, runs only where a normal is dependent
        (then it decides which ones leave). The warm start's factorization was 40% of the restricted
        solves of column generation at n = 5,000 (l1, beta = 0.01, |A| up to ~390); with it blocked,
        Q^T y kept (:meth:`_face`) and deletions in place, five of those solves took 6.3 s instead
        of 11.9 s (one BLAS thread, 2 cores under load 3).
        """
        columns, signs = self.columns, self.signs
        self.columns, self.signs = [], []
        self.q = 0
        self._Qty = None
        normals = self.n_eq + len(columns)
        if _BLOCKED_QR_FROM <= normals <= self.K.shape[0]:
            N = np.empty((self.K.shape[0], normals), order="F")
            if self.n_eq:
                N[:, 0] = self.equality
            N[:, self.n_eq:] = self.K[:, columns] * np.asarray(signs)
            Q, R = np.linalg.qr(N)
            diagonal = np.abs(np.diagonal(R))
            if np.all(diagonal[self.n_eq:] > _DEPENDENT * self.column_norms[columns]):
                flip = np.where(np.diagonal(R) < 0, -1.0, 1.0)  # R's diagonal positive, as _insert makes it
                self._reserve(normals)
                self._Q[:, :normals] = Q * flip
                self._R[:normals, :normals] = R * flip[:, None]
                self.q = normals
                self.columns, self.signs = list(columns), list(signs)
                self.updates = 0
                self._face()
                return
        if self.n_eq:
            self._insert(np.zeros(0), self.equality.copy())
        for j, sign in zip(columns, signs):
            coefficients, orthogonal = self._split(sign * self.K[:, j])
            if float(orthogonal @ orthogonal) > (_DEPENDENT * self.column_norms[j]) ** 2:
                self._insert(coefficients, orthogonal)
                self.columns.append(j)
                self.signs.append(sign)
        self.updates = 0
        self._face()

    def _reserve(self, size: int) -> None:
        """Room for ``size`` columns in the factors' buffers (doubling, at most n)."""
        if size <= self._Q.shape[1]:
            return
        capacity = self._Q.shape[1]
        while capacity < size:
            capacity = min(2 * capacity, self._Q.shape[0])
        Q, R = np.zeros((self._Q.shape[0], capacity), order="F"), np.zeros((capacity, capacity), order="F")
        Q[:, :self.q], R[:self.q, :self.q] = self.Q, self.R
        self._Q, self._R = Q, R

    def _split(self, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """a = Q d + o with o orthogonal to Q's columns (classical Gram-Schmidt twice: orthogonal
        to working precision)."""
        Q = self.Q
        d = Q.T @ a
        orthogonal = a - Q @ d
        again = Q.T @ orthogonal
        return d + again, orthogonal - Q @ again

    def _face(self) -> None:
        """x nearest to y on N^T x = b_A and u with x = y - N u, from the factors (no drift):
        R^T w = b_A, u = R^{-1} (Q^T y - w), x = y - Q (Q^T y - w).

        Q^T y is kept between calls: an insertion appends a column to Q and one entry to Q^T y
        (:meth:`_insert`), so only a deletion or a factorization, which rotate Q's columns, make
        it a pass over Q again (each pass reads n |A| doubles: 14 MB at n = 5,000, |A| = 350)."""
        if self._Qty is None or len(self._Qty) != self.q:
            self._Qty = self.Q.T @ self.y
        b_active = np.concatenate([np.zeros(self.n_eq), np.full(len(self.columns), self.b)])
        g = self._Qty - self._triangular(b_active, transpose=True)
        self.u = self._triangular(g)
        self.x = self.y - self.Q @ g

    def _insert(self, coefficients: np.ndarray, orthogonal: np.ndarray) -> None:
        """Append a normal a = Q coefficients + orthogonal (orthogonal to Q's columns, non-zero)."""
        q = self.q
        self._reserve(q + 1)
        norm = float(np.linalg.norm(orthogonal))
        self._R[:q, q] = coefficients
        self._R[q, : q + 1] = 0.0
        self._R[q, q] = norm
        self._Q[:, q] = orthogonal / norm
        if self._Qty is not None and len(self._Qty) == q:
            self._Qty = np.append(self._Qty, float(self._Q[:, q] @ self.y))
        self.q = q + 1
        self.updates += 1

    def _delete(self, k: int) -> None:
        """Drop the k-th active normal (an inequality: k >= n_eq): Givens rotations on the thin
        factors, in place in the buffers (scipy copies them only where their layout does not allow it)."""
        Q, R = self._qr_delete(self.Q, self.R, k, 1, which="col", overwrite_qr=True, check_finite=False)
        q = R.shape[1]  # a square Q (|A| = n) is taken for a full factorization: thin it again
        if Q.ctypes.data != self._Q.ctypes.data or R.ctypes.data != self._R.ctypes.data:  # scipy copied
            self._Q[:, :q], self._R[:q, :q] = Q[:, :q], R[:q]
        self.q = q
        self._Qty = None
        del self.columns[k - self.n_eq], self.signs[k - self.n_eq]
        self.u = np.delete(self.u, k)
        self.updates += 1

    def _drop_negative(self) -> None:
        """Inequalities whose recomputed multiplier is negative (round-off at a degenerate vertex)
        leave A; the face's point is recomputed after each (a zero multiplier leaves x in place)."""
        while len(self.u) > self.n_eq and float(self.u[self.n_eq:].min()) < 0.0:
            self._delete(self.n_eq + int(np.argmin(self.u[self.n_eq:])))
            self._face()
        if self.updates >= _REFACTOR_EVERY:
            self._factor()

    # -- Goldfarb-Idnani ----------------------------------------------------------------------

    def warm_start(self, columns: np.ndarray, signs: np.ndarray) -> None:
        """Start from the active set (columns, signs) less its dependent normals and the
        inequalities with negative multipliers: a valid dual-feasible state, whatever the guess."""
        self.columns, self.signs = list(map(int, columns)), [float(s) for s in signs]
        self._factor()
        self._drop_negative()

    def solve(self, max_iter: int) -> None:
        """Add the most violated constraint until none is left: one pass K^T x (O(n p)) per step.
        Measured against adding the violators of one pass in turn (each re-checked at the current
        x): on the 20 restricted problems of a run at beta = 1e-3 (600-780 columns) that took 2.7x
        the steps and 2.7x the time (3.7 s against 1.4 s, warm-started; 9.0 s against 2.8 s cold)."""
        refactored = False
        while True:
            excess = np.abs(self.KT @ self.x) - self.threshold
            active_excess = float(excess[self.columns].max()) if self.columns else -math.inf
            if self.columns:
                excess[self.columns] = -np.inf
            j = int(np.argmax(excess))
            if not excess[j] > 0:
                if refactored or not active_excess > 0:
                    return
                # no inactive violator, but x is beyond an active bound: the rank-one updates of
                # the factors drifted (a guard: column generation's pricing would see it on its own
                # working set). The point again from factors computed from scratch, and the check
                # again there (only then: a factorization costs O(n |A|^2), seconds at n = 5,000)
                self._factor()
                self._drop_negative()
                refactored = True
                continue
            refactored = False
            self.add(j, 1.0 if float(self.KT[j] @ self.x) > 0 else -1.0, max_iter)

    def add(self, j: int, sign: float, max_iter: int) -> None:
        """Goldfarb-Idnani's steps until the constraint s K_j . x <= b joins A."""
        a = sign * self.K[:, j]
        tiny = (_DEPENDENT * self.column_norms[j]) ** 2
        while True:
            self.iterations += 1
            if self.iterations > max_iter:
                raise SolverError(
                    f"the dual active-set method did not finish in {max_iter} steps on the restricted squared-loss "
                    f"Lasso ({self.K.shape[0]} samples, {self.K.shape[1]} columns); use solver='clarabel'")
            d, step_x = self._split(a)  # step_x: the move of x per unit of the new multiplier
            zz = float(step_x @ step_x)
            r = self._triangular(d)
            t_dual, leaving = math.inf, -1
            if self.q > self.n_eq:
                falling = r[self.n_eq:] > 0
                if falling.any():
                    ratios = np.full(self.q - self.n_eq, math.inf)
                    ratios[falling] = self.u[self.n_eq:][falling] / r[self.n_eq:][falling]
                    leaving = int(np.argmin(ratios))
                    t_dual, leaving = float(max(ratios[leaving], 0.0)), leaving + self.n_eq
            t_primal = math.inf if zz <= tiny else max(float(a @ self.x) - self.b, 0.0) / zz
            if math.isinf(t_primal) and math.isinf(t_dual):
                # lambda = 0 satisfies every constraint strictly (beta > 0), so this is round-off
                raise SolverError(
                    f"the dual active-set method lost feasibility to round-off on the restricted squared-loss Lasso "
                    f"({self.K.shape[0]} samples, {self.K.shape[1]} columns); use solver='clarabel'")
            if t_primal <= t_dual:
                self._insert(d, step_x)
                self.columns.append(j)
                self.signs.append(sign)
                self._face()  # x and u from the factors: the step's own update would drift
                self._drop_negative()
                return
            self.x = self.x - t_dual * step_x
            self.u = self.u - t_dual * r  # the new constraint's multiplier grows by t_dual (in _face)
            self._delete(leaving)

    def primal(self) -> tuple[np.ndarray, float]:
        """(z, c) with K z + c = y - x: z_j = s_j u_j on the active columns, c = u_eq / sqrt(n)."""
        z = np.zeros(self.K.shape[1])
        if self.columns:
            z[self.columns] = np.asarray(self.signs) * np.maximum(self.u[self.n_eq:], 0.0)
        c = float(self.u[0] * self.equality[0]) if self.n_eq else 0.0
        return z, c


def squared_lasso_active_set(K: np.ndarray, y: np.ndarray, beta: float, *, fit_intercept: bool = True,
                             z0: np.ndarray | None = None, max_iter: int | None = None) -> LassoSolution:
    r"""Squared-loss Lasso by a dual active-set method (Goldfarb-Idnani), exact and rank-blind.

    The dual of min_{z,c} ||y - K z - c||^2 / 2 + beta ||z||_1 is the projection of y onto a polytope,

    .. math::

        \min_\lambda\; \tfrac12\|\lambda - y\|^2
        \quad\text{s.t.}\quad \pm K_j\cdot\lambda \le \beta\ \ \forall j,\qquad
        \textstyle\sum_i \lambda_i = 0\ \text{(free } c\text{)},

    strictly convex, so lambda is unique even where the primal is not (dependent columns such as
    relu(t) - relu(-t) = t). Goldfarb and Idnani's dual method (Math. Programming 27, 1983) starts
    at the unconstrained minimum and adds violated constraints one at a time, keeping the
    multipliers u >= 0 and the active normals linearly independent (:class:`_ProjectionActiveSet`).
    Its stationarity condition lambda = y - sum_k u_k s_k K_k - c is the primal: z_j = s_j u_j on the
    active columns, zero elsewhere, is a basic Lasso solution (an independent support, exact zeros)
    with residual exactly lambda. It stops when no constraint is violated beyond 1e-12 beta (or the
    round-off of K_j . lambda): the active conditions hold to round-off by construction.

    ``z0`` (a previous solution on these columns) is a warm start: its support, signed, is the first
    active set (less dependent normals and negative multipliers), so a column-generation round that
    adds a few columns costs a few steps. Solved on unit scale (K / max|K|, y / max|y|).

    Why this method, measured on the 20 restricted problems of one column-generation run
    (``benchmarks/bench_colgen.py``: 2-D with bias, n = 120, l2 wedge dictionary, beta = 1e-3,
    200-780 columns, the later ones rank deficient; 2 cores under a load of ~5): 1.4 s in all,
    warm-started, against 22.7 s for Clarabel on the same dual (:func:`squared_lasso_dual`), with
    the same objectives to 1e-11; feature-sign search (:func:`lasso_feature_sign`) cycles on such
    sets. lambda meets every working-set constraint to 1e-12 beta or its round-off.

    Examples
    --------
    Two copies of one column (any split of the weight is optimal; lambda is unique):

    >>> import numpy as np
    >>> K = np.array([[1.0, 1.0], [0.0, 0.0], [-1.0, -1.0]])
    >>> sol = squared_lasso_active_set(K, np.array([2.0, 0.0, -2.0]), beta=1.0, fit_intercept=False)
    >>> sol.lam, float(np.abs(sol.z).sum()), int(np.count_nonzero(sol.z))
    (array([ 0.5,  0. , -0.5]), 1.5, 1)
    """
    start = time.perf_counter()
    K, y = np.asarray(K, dtype=float), np.asarray(y, dtype=float)
    n, p = K.shape
    Kp, yp, bp, t, s = _unit_scale(K, y, beta)
    state = _ProjectionActiveSet(Kp, yp, bp, fit_intercept)
    if z0 is not None and p:
        z0 = np.asarray(z0, dtype=float)
        if z0.shape != (p,):
            raise InvalidInputError(f"z0 has shape {z0.shape}; expected ({p},)")
        support = np.flatnonzero(z0)
        state.warm_start(support, np.sign(z0[support]))
    if p:
        state.solve(max_iter if max_iter is not None else 10 * (2 * p + n) + 100)
    z, c = state.primal()
    # the optimality conditions of the primal (z, c) itself, its residual recomputed ...
    kkt = kkt_residual(Kp, z, yp - Kp @ z - c, bp, sum_zero=fit_intercept)
    value = SQUARED.value(Kp @ z + c, yp) + bp * float(np.abs(z).sum())
    # ... but lambda is the projection x: equal to that residual up to eps |K| |z|, which at small
    # beta (large weights on nearly dependent columns) is ~1e-6 beta, while x meets every dual
    # constraint to 1e-12 beta by construction; pricing and the gap bound take any dual point
    return LassoSolution(z=z * (s / t), intercept=c * s, lam=state.x * s,
                         status="optimal" if kkt <= 1e-6 else "optimal_inaccurate",
                         solve_time=time.perf_counter() - start, solver_value=value * s * s, exact_zeros=True, kkt=kkt)


# ---------------------------------------------------------------------------------------------
# any cvxpy cone program
# ---------------------------------------------------------------------------------------------

#: tighter than Clarabel's defaults (1e-8): certificates compare ratios to 1 + 1e-4 after reconstruction
_CLARABEL_TIGHT = {"tol_gap_abs": 1e-10, "tol_gap_rel": 1e-10, "tol_feas": 1e-10, "max_iter": 500}


def solve_cone_program(prob, verbose: bool = False):
    """Solve the cvxpy problem ``prob`` in place with the configured solver: Clarabel with tight
    tolerances (1e-10) first, its defaults if that does not reach 'optimal'.

    Examples
    --------
    >>> import cvxpy as cp
    >>> x = cp.Variable()
    >>> prob = cp.Problem(cp.Minimize(cp.square(x - 1)))
    >>> solve_cone_program(prob)
    >>> round(float(x.value), 6)
    1.0
    """
    import cvxpy as cp


    tight = options.solver.upper() == "CLARABEL"
    # Clarabel: tight tolerances, its defaults, then without equilibration and with shorter steps
    # (exponential cones of the logistic loss fail on unit-scale data with equilibration on)
    attempts = [_CLARABEL_TIGHT, {}, {"equilibrate_enable": False}, {"max_step_fraction": 0.9}] if tight else [{}]
    error = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for settings in attempts:
            try:
                prob.solve(solver=options.solver, verbose=verbose, **settings)
            except cp.error.SolverError as exc:
                error = exc
                continue
            error = None
            if prob.status == cp.OPTIMAL:
                return
    if error is not None:
        raise error
