r"""Full-batch Adam on any differentiable objective, keeping the best iterate it sees.

With gradient :math:`g_t = \nabla F(\theta_t)` and moments started at zero,

.. math::

    m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad
    v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2, \qquad
    \theta_{t+1} = \theta_t - \eta_t \frac{m_t / (1 - \beta_1^{t+1})}{\sqrt{v_t / (1 - \beta_2^{t+1})} + \epsilon},

with :math:`\eta_t` constant or decayed by a cosine schedule. The result is an :class:`AdamResult`:
the iterate with the lowest objective seen (not merely the last one), its value and step, and the
trace of the objective.
"""

from __future__ import annotations

import dataclasses
import math
import time
from typing import Callable, Literal

import numpy as np

from ..validation import check_choice

__all__ = ["AdamResult", "adam", "learning_rate_at", "SCHEDULES"]

Schedule = Literal["cosine", "constant"]
SCHEDULES: tuple[str, ...] = ("cosine", "constant")


@dataclasses.dataclass(frozen=True)
class AdamResult:
    """What :func:`adam` returns: the best iterate and the trace of the objective.

    Attributes
    ----------
    params : dict of str -> ndarray
        The iterate with the lowest objective seen, :math:`\\theta^* = \\arg\\min_t F(\\theta_t)`.
    objective : float
        :math:`F(\\theta^*)`, the objective of ``params`` (not of the last iterate).
    best_step : int
        The step t at which ``params`` was reached (0: the initialization).
    trace : ndarray
        :math:`F(\\theta_t)` at ``trace_steps``.
    trace_steps : ndarray of int
        The steps at which the objective was recorded (every ``trace_every``-th and the last).
    trace_times : ndarray
        Seconds since the start when each traced value was computed.

    Examples
    --------
    >>> result = adam(lambda p: (float(p["x"] @ p["x"]), {"x": 2 * p["x"]}), {"x": np.ones(2)},
    ...               steps=50, learning_rate=0.1)
    >>> bool(result.objective == result.trace.min()), result.final_objective >= result.objective
    (True, True)
    """

    params: dict
    objective: float
    best_step: int
    trace: np.ndarray
    trace_steps: np.ndarray
    trace_times: np.ndarray

    @property
    def final_objective(self) -> float:
        """F at the last iterate (the last traced value), >= :attr:`objective`."""
        return float(self.trace[-1])

    @property
    def steps(self) -> int:
        """The number of Adam updates made."""
        return int(self.trace_steps[-1])


def learning_rate_at(t: int, steps: int, learning_rate: float, schedule: Schedule = "constant",
                     final_lr_fraction: float = 0.01) -> float:
    r"""The step size :math:`\eta_t` of update t of ``steps``.

    ``"constant"``: :math:`\eta_t = \eta`; ``"cosine"``:
    :math:`\eta_t = \eta\,(f + (1 - f)(1 + \cos(\pi t / T)) / 2)` with :math:`f` =
    ``final_lr_fraction`` and :math:`T` = ``steps``, decaying from :math:`\eta` to :math:`f\eta`.

    Examples
    --------
    >>> learning_rate_at(0, 10, 0.1, "cosine"), learning_rate_at(10, 10, 0.1, "cosine")
    (0.1, 0.001)
    >>> learning_rate_at(5, 10, 0.1)
    0.1
    """
    if schedule == "cosine":
        return learning_rate * (final_lr_fraction + (1 - final_lr_fraction) * 0.5 * (1 + math.cos(math.pi * t / steps)))
    return learning_rate


def adam(value_and_grad: Callable[[dict], tuple[float, dict]], params: dict, *, steps: int, learning_rate: float,
         schedule: Schedule = "constant", final_lr_fraction: float = 0.01, trace_every: int = 1,
         adam_betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> AdamResult:
    r"""Minimize F by full-batch Adam (see the module docstring for the update).

    Parameters
    ----------
    value_and_grad : callable
        ``value_and_grad(params) -> (F(params), grads)`` with ``grads`` keyed like ``params``.
    params : dict of str -> array_like
        The initial iterate :math:`\theta_0` (copied; never modified).
    steps : int
        Number of updates; the objective is evaluated ``steps + 1`` times (the last evaluation
        only scores the final iterate).
    learning_rate : float
        :math:`\eta`, see :func:`learning_rate_at`.
    schedule : {"constant", "cosine"}
    final_lr_fraction : float
        f of the cosine schedule.
    trace_every : int
        Record F every ``trace_every`` steps (and at the last step).
    adam_betas : (float, float)
        :math:`(\beta_1, \beta_2)`.
    eps : float
        :math:`\epsilon` of the denominator.

    Returns
    -------
    AdamResult
        The lowest-objective iterate seen, its objective and step, and the trace.

    Examples
    --------
    F(x) = ||x - 3||^2 from x = 0:

    >>> def value_and_grad(p):
    ...     r = p["x"] - 3.0
    ...     return float(r @ r), {"x": 2 * r}
    >>> result = adam(value_and_grad, {"x": np.zeros(1)}, steps=500, learning_rate=0.1)
    >>> bool(abs(result.params["x"][0] - 3.0) < 1e-2), len(result.trace)
    (True, 501)
    """
    schedule = check_choice(schedule, SCHEDULES, "schedule")
    b1, b2 = adam_betas
    params = {k: np.array(v, dtype=float, copy=True) for k, v in params.items()}
    m1 = {k: np.zeros_like(v) for k, v in params.items()}
    m2 = {k: np.zeros_like(v) for k, v in params.items()}
    best_value, best, best_step = math.inf, None, 0
    trace, trace_steps, trace_times = [], [], []
    start = time.perf_counter()
    for t in range(steps + 1):  # step `steps` only evaluates the final iterate
        value, grads = value_and_grad(params)
        if value < best_value:
            best_value, best, best_step = value, {k: np.array(v, copy=True) for k, v in params.items()}, t
        if t % trace_every == 0 or t == steps:
            trace.append(value), trace_steps.append(t), trace_times.append(time.perf_counter() - start)
        if t == steps:
            break
        lr = learning_rate_at(t, steps, learning_rate, schedule, final_lr_fraction)
        for k, gk in grads.items():
            m1[k] = b1 * m1[k] + (1 - b1) * gk
            m2[k] = b2 * m2[k] + (1 - b2) * gk * gk
            step = lr * (m1[k] / (1 - b1 ** (t + 1))) / (np.sqrt(m2[k] / (1 - b2 ** (t + 1))) + eps)
            params[k] = params[k] - step
    return AdamResult(params=best, objective=float(best_value), best_step=best_step, trace=np.array(trace),
                      trace_steps=np.array(trace_steps), trace_times=np.array(trace_times))
