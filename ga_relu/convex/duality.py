r"""Duality of the wedge Lasso: the one place where optimality is measured.

For the Lasso  min_{z, c} L(K z + c, y) + beta sum_j ||z_j||  with dual vector
lambda = -dL/df at f = K z + c:

* **dual ratio** rho(lambda) = max_j ||K_j^T lambda|| / beta; rho <= 1 is dual feasibility;
* **KKT residual**: K_j^T lambda = beta z_j / ||z_j|| on the support, ||K_j^T lambda|| <= beta off it,
  and sum(lambda) = 0 when a constant is free, each violation divided by beta;
* **weak-duality gap**: for lambda' feasible (rho(lambda') <= 1, sum lambda' = 0 when needed),
  P(z, c) - P* <= P(z, c) - D(lambda'), D the Fenchel dual of the loss
  (:meth:`ga_relu.convex.losses.Loss.dual_objective`). lambda' = lambda / max(1, rho) after moving
  sum(lambda) onto one sample when it is not exactly zero; that move changes rho by at most
  |sum lambda| max_{i,k} ||x_i - x_k||_q / beta (with a bias) or |sum lambda| max_i ||x_i||_q / beta.

The same functions serve every solver, column generation and every certificate.

>>> import numpy as np
>>> K = np.array([[1.0, 0.0], [0.0, 1.0]])
>>> dual_ratio(K, np.array([0.5, -2.0]), beta=1.0)
2.0
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .penalties import group_norms

__all__ = ["best_breakpoint_bias", "column_scores", "dual_ratio", "column_violations", "kkt_residual", "GapBound", "gap_bound", "dual_shift_radius"]


def column_scores(K: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """||K_j^T lambda|| for every column j (absolute values for one output, row norms for several).

    >>> import numpy as np
    >>> column_scores(np.eye(2), np.array([3.0, -4.0]))
    array([3., 4.])
    """
    return group_norms(K.T @ lam)


def dual_ratio(K: np.ndarray, lam: np.ndarray, beta: float) -> float:
    """rho = max_j ||K_j^T lambda|| / beta over the columns of K (0 for no columns).

    >>> import numpy as np
    >>> dual_ratio(np.zeros((2, 0)), np.array([1.0, -1.0]), beta=1.0)
    0.0
    """
    return float(column_scores(K, lam).max(initial=0.0)) / beta


def column_violations(K: np.ndarray, z: np.ndarray, lam: np.ndarray, beta: float, support=None) -> np.ndarray:
    """Per column, the violation of the Lasso's optimality condition (absolute, not divided by beta).

    On the support (``support`` a boolean mask or index array; default z_j != 0)
    ||K_j^T lambda - beta z_j / ||z_j|| ||, elsewhere max(0, ||K_j^T lambda|| - beta).

    >>> import numpy as np
    >>> column_violations(np.eye(2), np.array([1.0, 0.0]), np.array([0.5, 2.0]), 1.0)
    array([0.5, 1. ])
    """
    corr = K.T @ lam
    z = np.asarray(z, dtype=float)
    on = (group_norms(z) != 0) if support is None else np.zeros(len(z), bool)
    if support is not None:
        on[support] = True
    size = group_norms(z)
    direction = np.zeros_like(z)
    direction[on] = z[on] / (size[on] if z.ndim == 1 else size[on, None])
    on_violation = group_norms(corr - beta * direction)
    off_violation = np.maximum(group_norms(corr) - beta, 0.0)
    return np.where(on, on_violation, off_violation)


def kkt_residual(K: np.ndarray, z: np.ndarray, lam: np.ndarray, beta: float, *, sum_zero: bool,
                 support=None) -> float:
    """The largest violated optimality condition of the Lasso, divided by beta.

    The largest :func:`column_violations`, and ||sum(lambda)|| when ``sum_zero`` (a free constant).

    >>> import numpy as np
    >>> kkt_residual(np.eye(2), np.array([1.0, 0.0]), np.array([1.0, 0.5]), 1.0, sum_zero=False)
    0.0
    """
    worst = float(column_violations(K, z, lam, beta, support).max(initial=0.0))
    if sum_zero:
        worst = max(worst, float(np.linalg.norm(np.atleast_1d(lam.sum(axis=0)))))
    return worst / beta


def dual_shift_radius(X: np.ndarray, q: float, bias: bool) -> float:
    """An upper bound on relu(x_i . w + b) over the samples, for ||w||_p <= 1 and the biases that
    matter: max_{i,k} ||x_i - x_k||_q with a bias (bounded by the norm of the per-coordinate
    ranges, exact for q = inf), max_i ||x_i||_q without. O(n d) memory.

    >>> import numpy as np
    >>> dual_shift_radius(np.array([[0.0, 0.0], [1.0, 2.0]]), np.inf, bias=True)
    2.0
    """
    if bias:
        return float(np.linalg.norm(np.ptp(X, axis=0), ord=q))
    return float(np.linalg.norm(X, ord=q, axis=1).max(initial=0.0))


@dataclasses.dataclass(frozen=True)
class GapBound:
    """P(network) - P* <= ``gap`` (None when no bound could be formed, ``note`` says why).

    ``dual_value`` is D(lambda') <= P*, ``ratio`` the dual ratio of lambda before scaling (raised
    by the sum correction).

    >>> GapBound(0.5, 1.0, 1.2, "example", relative=1 / 3).gap
    0.5
    """

    gap: float | None
    dual_value: float | None
    ratio: float
    note: str
    #: gap / |objective|, the scale-free form of the bound
    relative: float | None = None


def gap_bound(problem, lam: np.ndarray, ratio: float, objective: float, *, sum_zero: bool | None = None) -> GapBound:
    """Weak-duality bound on P(network) - P* from lambda and its exact dual ratio (module docstring).

    ``ratio`` must be the exact max over the full dictionary (or all feasible neurons): a lower
    bound on it gives no valid gap. The dual point is lambda with sum(lambda) moved onto one sample
    (when ``sum_zero``, by default ``problem.needs_sum_zero``; inside the dual domain for the
    classification losses), scaled by 1 / max(1, ratio'). Pass ``sum_zero=problem.fit_intercept``
    for the bound against the Lasso over a finite dictionary, which has no constant column.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), [0.0, 1.0, 2.0], beta=0.1)
    >>> lam = np.array([-1.0, 0.0, 1.0])
    >>> bound = gap_bound(problem, lam, ratio=20.0, objective=1.0)
    >>> round(bound.dual_value, 4), round(bound.gap, 4)
    (0.0975, 0.9025)
    """
    loss, y = problem.loss, problem.y
    if sum_zero is None:
        sum_zero = problem.needs_sum_zero
    if lam.ndim == 2 and not loss.vector_outputs:
        return GapBound(None, None, ratio, "vector outputs need the squared loss")
    s = lam.sum(axis=0)
    shifted = lam.copy()
    if sum_zero and np.any(s != 0):
        if loss.classification:  # keep y lambda in [0, 1]: the sample must have room for -s
            p = y * lam
            room = np.where(y * (-s) > 0, 1 - p, p)
            candidates = np.flatnonzero(room >= abs(s))
            if len(candidates) == 0:
                return GapBound(None, None, ratio, "sum(lambda) != 0 could not be corrected inside the dual domain")
            i = int(candidates[0])
        else:
            i = 0
        shifted[i] = shifted[i] - s
        radius = dual_shift_radius(problem.X, problem.penalty.q, problem.bias)
        ratio = ratio + float(np.linalg.norm(np.atleast_1d(s))) * radius / problem.beta
    dual = loss.dual_objective(shifted / max(1.0, ratio), y)
    if not np.isfinite(dual):
        return GapBound(None, None, ratio, "scaled dual outside the loss conjugate's domain")
    gap = max(0.0, objective - dual)
    return GapBound(gap, dual, ratio, "weak duality with lambda / max(1, ratio)",
                    relative=gap / max(abs(objective), np.finfo(float).tiny))


def best_breakpoint_bias(T: np.ndarray, lam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""For each row t of the projections T (m, n) = (X w)^T, the bias maximizing the dual value.

    .. math:: \max_b \Big|\sum_i \lambda_i \operatorname{relu}(t_i + b)\Big|

    The function of b is piecewise linear with kinks at b = -t_k; when sum(lambda) = 0 it is
    constant beyond the largest kink and 0 below the smallest, so the maximum is at a kink. Sorting
    t once gives every kink's value by prefix sums, O(n log n) per row instead of O(n^2).

    Returns ``(values, biases)``: the signed value at the maximizing kink and that kink's bias.

    Examples
    --------
    >>> import numpy as np
    >>> values, biases = best_breakpoint_bias(np.array([[0.0, 1.0, 2.0]]), np.array([1.0, -2.0, 1.0]))
    >>> values, biases
    (array([1.]), array([-1.]))
    """
    order = np.argsort(-T, axis=1)
    Ts = np.take_along_axis(T, order, axis=1)
    L = lam[order]
    # b = -Ts[:, k]: the samples i <= k (sorted descending) are active, contributing L_i (Ts_i - Ts_k)
    values = np.cumsum(L * Ts, axis=1) - np.cumsum(L, axis=1) * Ts
    k = np.argmax(np.abs(values), axis=1)
    rows = np.arange(len(T))
    return values[rows, k], -Ts[rows, k]
