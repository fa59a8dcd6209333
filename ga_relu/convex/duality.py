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

Why the bound is global: when rho is the maximum of |lambda . relu(X w + b)| / beta over ALL
neurons with ||w||_p <= 1 (which the exact oracles give: vertices for l1 and in 1-D, chambers for
l2), lambda' is feasible for the dual of the convex reformulation of (P) over every width, so
D(lambda') <= inf (P) by weak duality, whatever the network. lambda' need not be a (sub)gradient
of the loss at the network: any dual-feasible point gives a valid bound. When rho is the maximum
over a finite dictionary only, the same bound holds against that dictionary's Lasso.

**Round-off.** rho and the two objectives are sums computed in floating point. :func:`gap_bound`
inflates rho by gamma_k ||lambda||_1 M / beta (gamma_k = k u / (1 - k u), u the unit round-off,
k = n + d + 2 terms, M = 2 max_i ||x_i||_q + max_{i,k} ||x_i - x_k||_q, a bound on the magnitudes
summed in |x_i . w| + |b| for the neurons that matter) and adds gamma_k (|P| + |D| + |lambda| . |y|
+ ||lambda||^2) to the gap, so that a bound of 0 is not an artefact of cancellation. This covers
the evaluation of the sums for the neurons the oracle evaluated, not the round-off in computing a
vertex's normal itself (an exact enclosure needs rational arithmetic, :mod:`ga_relu.proofs`).

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

__all__ = ["best_breakpoint_bias", "column_scores", "dual_ratio", "column_violations", "kkt_residual", "GapBound", "gap_bound", "dual_shift_radius",
           "sum_zero_shift", "rounding_gamma", "significant_neurons"]


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
    #: the floating-point allowance included in ``gap`` (module docstring, round-off)
    rounding: float = 0.0


def rounding_gamma(k: int) -> float:
    """gamma_k = k u / (1 - k u), u the unit round-off: the relative error bound of a k-term float sum.

    >>> import numpy as np
    >>> bool(rounding_gamma(10) > 10 * np.finfo(float).eps / 2)
    True
    """
    u = float(np.finfo(float).eps) / 2
    return k * u / (1 - k * u) if k * u < 0.5 else float("inf")


def sum_zero_shift(problem, lam: np.ndarray) -> tuple[np.ndarray, float] | None:
    """lambda with sum(lambda) moved onto one sample, and the increase of the dual ratio this can cause
    (module docstring): ``(shifted, ratio_increase)``; None when the classification losses' dual
    domain y lambda in [0, 1] has no sample with room for the move. Unchanged when the sum is 0.

    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.array([[0.0], [1.0], [3.0]]), [0.0, 1.0, 2.0], beta=0.5)
    >>> shifted, increase = sum_zero_shift(problem, np.array([1.0, 0.5, -1.0]))
    >>> shifted.tolist(), increase
    ([0.5, 0.5, -1.0], 3.0)
    """
    s = lam.sum(axis=0)
    shifted = lam.copy()
    if not np.any(s != 0):
        return shifted, 0.0
    if problem.loss.classification:  # keep y lambda in [0, 1]: the sample must have room for -s
        p = problem.y * lam
        room = np.where(problem.y * (-s) > 0, 1 - p, p)
        candidates = np.flatnonzero(room >= abs(s))
        if len(candidates) == 0:
            return None
        i = int(candidates[0])
    else:
        i = 0
    shifted[i] = shifted[i] - s
    radius = dual_shift_radius(problem.X, problem.penalty.q, problem.bias)
    return shifted, float(np.linalg.norm(np.atleast_1d(s))) * radius / problem.beta


def _magnitude_bound(problem) -> float:
    """M = 2 max_i ||x_i||_q + max_{i,k} ||x_i - x_k||_q: bounds |x_i . w| + |b| + |relu(.)| for unit w
    and the biases that matter (the round-off model of the module docstring)."""
    q = problem.penalty.q
    return 2 * dual_shift_radius(problem.X, q, bias=False) + dual_shift_radius(problem.X, q, bias=True)


def gap_bound(problem, lam: np.ndarray, ratio: float, objective: float, *, sum_zero: bool | None = None,
              width: int = 0) -> GapBound:
    """Weak-duality bound on P(network) - P* from lambda and its exact dual ratio (module docstring).

    ``ratio`` must be the exact max over all feasible neurons (or over the full dictionary, for the
    bound against that dictionary's Lasso): a lower bound on it gives no valid gap. The dual point
    is lambda with sum(lambda) moved onto one sample (:func:`sum_zero_shift`, when ``sum_zero``),
    scaled by 1 / max(1, ratio'), ratio' the ratio raised by that move and by the round-off
    allowance. ``width`` (the network's neurons, or the Lasso's active columns) sizes the round-off
    allowance of the objective's penalty sum. ``sum_zero`` defaults to ``problem.needs_sum_zero``: with a bias the constant is free
    in (P) even without an intercept, so that default is the bound against (P). lambda need not be
    a subgradient of the loss: any lambda works, the bound is only looser.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), [0.0, 1.0, 2.0], beta=0.1)
    >>> lam = np.array([-1.0, 0.0, 1.0])
    >>> bound = gap_bound(problem, lam, ratio=20.0, objective=1.0)
    >>> round(bound.dual_value, 4), round(bound.gap, 4), bool(0 < bound.rounding < 1e-13)
    (0.0975, 0.9025, True)
    """
    loss, y = problem.loss, problem.y
    if sum_zero is None:
        sum_zero = problem.needs_sum_zero
    if lam.ndim == 2 and not loss.vector_outputs:
        return GapBound(None, None, ratio, "vector outputs need the squared loss")
    shifted = lam.copy()
    if sum_zero:
        moved = sum_zero_shift(problem, lam)
        if moved is None:
            return GapBound(None, None, ratio, "sum(lambda) != 0 could not be corrected inside the dual domain")
        shifted, increase = moved
        ratio = ratio + increase
    # round-off of the oracle's sums lambda . relu(X w + b) (module docstring): n + d + 2 terms
    gamma = rounding_gamma(problem.n + problem.d + 2)
    ratio = ratio * (1 + 4 * gamma) + gamma * float(np.abs(shifted).sum()) * _magnitude_bound(problem) / problem.beta
    dual = loss.dual_objective(shifted / max(1.0, ratio), y)
    if not np.isfinite(dual):
        return GapBound(None, None, ratio, "scaled dual outside the loss conjugate's domain")
    # round-off of the two objectives: sums of n loss terms, width penalty terms of d + 1 each,
    # and the n-term products of the dual, each bounded by the magnitudes summed
    terms = abs(objective) + abs(dual) + float(np.sum(np.abs(shifted * y)) + np.sum(shifted**2))
    rounding = rounding_gamma(2 * problem.n + (problem.d + 2) * max(int(width), 1) + 8) * terms
    gap = float(max(0.0, objective - dual) + rounding)
    return GapBound(gap, dual, ratio, "weak duality with lambda / max(1, ratio)",
                    relative=gap / max(abs(objective), np.finfo(float).tiny), rounding=rounding)


def significant_neurons(W: np.ndarray, alpha: np.ndarray, penalty, beta: float, objective: float) -> np.ndarray:
    """Mask of the neurons whose cost matters: (beta/2)(||w_j||_p^2 + ||alpha_j||^2) > 1e-12 |objective|.

    A neuron below that changes the objective by less than 1e-12 of it, and the predictions by at
    most ||w_j|| ||alpha_j|| max_i relu(x_i . u_j + c_j) <= its cost / beta times that maximum, so
    its first-order conditions (direction, balance) carry no information: round-off such as
    w ~ 1e-300 must not make a certificate fail. The gap bound is computed with the whole network,
    so skipping such a neuron in the residuals never makes a certificate claim more.

    >>> import numpy as np
    >>> from ga_relu.convex.penalties import get_penalty
    >>> significant_neurons(np.array([[1.0, 0.0], [1e-300, 0.0]]), np.array([1.0, 1e-300]), get_penalty("l1"), 0.1, 1.0)
    array([ True, False])
    """
    cost = 0.5 * beta * (penalty.norms(W) ** 2 + group_norms(alpha) ** 2)
    # 1e-12 of the objective: far below any tolerance a certificate is asked for, far above round-off
    scale = max(abs(float(objective)), float(cost.max(initial=0.0)))
    return (cost > 1e-12 * scale) & (penalty.norms(W) > 0) & (group_norms(alpha) > 0)


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
