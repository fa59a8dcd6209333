r"""Train a deep ReLU network by full-batch Adam on problem (P) with every layer penalized.

The objective is L(f(X), y) + (beta/2) sum_l ||W_l||^2 (||.||_p on the penultimate weights); it is
the baseline against which :func:`ga_relu.explain.deep.explain_deep` re-solves the last two layers.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Literal

import numpy as np

from ..convex.losses import get_loss
from ..convex.penalties import get_penalty
from ..errors import InvalidInputError
from ..networks.deep import DeepLayers, layer_penalties
from ..validation import check_beta, check_choice, check_matrix, check_random_state
from .adam import AdamResult, adam
from .gradient import penalty_gradient

__all__ = ["DeepTraining", "deep_objective_and_gradients", "train_deep"]

PenaltyName = Literal["l1", "l2"]
DeepLossName = Literal["squared", "logistic"]
#: the losses train_deep supports (the hinge loss has no useful gradient for Adam here)
DEEP_LOSSES = ("squared", "logistic")


@dataclasses.dataclass
class DeepTraining(DeepLayers):
    r"""The result of :func:`train_deep`: the best iterate of Adam and the trace of the objective.

    ``layers`` [(W, b), ...] is the iterate with the lowest objective seen, and ``objective`` is
    the objective of those layers,

    .. math:: L(f(X), y) + \frac{\beta}{2} \sum_l \sum_{\text{rows}} \|\text{row of } W_l\|_p^2,

    so ``objective == network.objective(X, y, beta, penalty, loss)``; ``trace[t]`` is the
    objective after t steps (the last iterate's is ``trace[-1]``, which may be higher).

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> run = train_deep(X, [0.0, 1.0, 0.0], widths=(3,), beta=0.1, steps=20, random_state=0)
    >>> recomputed = run.network.objective(X, [0.0, 1.0, 0.0], beta=0.1)
    >>> bool(abs(run.objective - recomputed) <= 1e-12 * recomputed), bool(run.objective <= run.trace[-1])
    (True, True)
    """

    layers: list
    trace: np.ndarray
    beta: float
    penalty: str
    loss: str
    #: the objective of ``layers`` (the best iterate), not of the last one
    best_objective: float
    #: the step at which ``layers`` was reached
    best_step: int

    @property
    def objective(self) -> float:
        """The objective of the returned ``layers`` (the best iterate Adam saw)."""
        return float(self.best_objective)

    def __repr__(self) -> str:
        return f"DeepTraining(widths={self.network.widths}, steps={len(self.trace) - 1}, objective={self.objective:.6g})"


def deep_objective_and_gradients(params: list, X: np.ndarray, Y: np.ndarray, *, beta: float,
                                 penalty: PenaltyName, loss: DeepLossName) -> tuple[float, list]:
    r"""Value and gradients of :math:`L(f(X), Y) + \frac{\beta}{2} \sum_l \sum_{\text{rows}} \|\text{row of } W_l\|_p^2`
    by backpropagation (p = 2 on the output layer, see :func:`~ga_relu.networks.deep.layer_penalties`).

    ``params`` = [W_1, b_1, ..., W_L, b_L]; Y has shape (n, c). With :math:`G = \partial L / \partial F`
    (n, c) and :math:`Z_l` the pre-activations:

    .. math::

        \partial W_l = G_l^T h_{l-1} + \beta\, \nabla \tfrac12 \|W_l\|_p^2, \quad
        \partial b_l = 1^T G_l, \quad G_{l-1} = (G_l W_l) \odot 1[Z_{l-1} > 0].

    Examples
    --------
    >>> params = [np.ones((2, 1)), np.zeros(2), np.ones((1, 2)), np.zeros(1)]
    >>> value, grads = deep_objective_and_gradients(params, np.array([[1.0]]), np.array([[2.0]]),
    ...                                             beta=0.1, penalty="l2", loss="squared")
    >>> value, [g.shape for g in grads]  # 0 + 0.1 * (2 + 2) / 2
    (0.2, [(2, 1), (2,), (1, 2), (1,)])
    """
    L = len(params) // 2
    penalties = layer_penalties(L, penalty)
    loss = get_loss(loss)
    acts, pre = [X], []
    for l in range(L):
        Z = acts[-1] @ params[2 * l].T + params[2 * l + 1]
        pre.append(Z)
        acts.append(np.maximum(Z, 0.0) if l < L - 1 else Z)
    F = acts[-1]
    reg = sum(0.5 * float(np.sum(p.norms(params[2 * l]) ** 2)) for l, p in enumerate(penalties))
    value = loss.value(F, Y) + beta * reg
    G = loss.gradient(F, Y)
    grads = [None] * len(params)
    for l in range(L - 1, -1, -1):
        W = params[2 * l]
        grads[2 * l] = G.T @ acts[l] + beta * penalty_gradient(penalties[l], W)
        grads[2 * l + 1] = G.sum(axis=0)
        if l:
            G = (G @ W) * (pre[l - 1] > 0)
    return value, grads


def _check_widths(widths) -> tuple[int, ...]:
    widths = tuple(int(w) for w in np.atleast_1d(widths))
    if not widths or min(widths) < 1:
        raise InvalidInputError(f"widths must be positive integers (one per hidden layer), got {widths}")
    return widths


def _he_normal(rng: np.random.Generator, sizes: tuple[int, ...], init_scale: float) -> list[np.ndarray]:
    """[W_1, b_1, ..., W_L, b_L]: W_l ~ N(0, 2 / fan_in) * init_scale (He), b_l = 0."""
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        params.append(rng.normal(scale=init_scale * math.sqrt(2.0 / fan_in), size=(fan_out, fan_in)))
        params.append(np.zeros(fan_out))
    return params


def train_deep(X, y, *, widths=(16, 16), beta: float, steps: int = 2000, learning_rate: float = 1e-2,
               random_state=None, penalty: PenaltyName = "l2", loss: DeepLossName = "squared",
               init_scale: float = 1.0) -> DeepTraining:
    r"""Train a deep ReLU network by full-batch Adam (numpy), a baseline to explain with
    :func:`~ga_relu.explain.deep.explain_deep`.

    Minimizes

    .. math:: L(f(X), y) + \frac{\beta}{2} \sum_l \sum_{\text{rows}} \|\text{row of } W_l\|_p^2

    (p = 2: weight decay on every weight matrix; p = 1 on the hidden layers' rows with "l1";
    biases not penalized) over x -> relu(W_1 x + b_1) -> ... -> W_L h + b_L with hidden ``widths``.

    Parameters
    ----------
    X, y : array_like
        Training data (n, d) and targets (labels in {-1, +1} for the logistic loss).
    widths : sequence of int
        Hidden widths, one per hidden layer.
    beta : float
        Regularization strength.
    steps, learning_rate : int, float
        Adam's settings (:func:`~ga_relu.baselines.adam.adam`, constant rate).
    random_state : None, int or numpy Generator
        He-normal initialization (times ``init_scale``); same seed, same network.
    penalty : {"l2", "l1"}
    loss : {"squared", "logistic"}
    init_scale : float

    Returns
    -------
    DeepTraining
        The best iterate (``layers``), its ``objective``, and ``trace[t]``, the objective after t
        steps (trace[0]: at initialization).

    Examples
    --------
    >>> run = train_deep([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], widths=(4, 3), beta=0.1, steps=10,
    ...                  random_state=0)
    >>> run.network.widths, len(run.trace)
    ((4, 3), 11)
    """
    X = check_matrix(X)
    loss = check_choice(get_loss(loss).name, DEEP_LOSSES, "loss for train_deep")
    penalty = get_penalty(penalty).name
    beta = check_beta(beta)
    y = get_loss(loss).check_targets(y, X.shape[0])
    widths = _check_widths(widths)
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise InvalidInputError(f"steps must be a non-negative integer, got {steps!r}")
    check_beta(learning_rate, "learning_rate")
    rng = check_random_state(random_state)
    n_out = 1 if y.ndim == 1 else y.shape[1]
    sizes = (X.shape[1],) + widths + (n_out,)
    Y = y[:, None] if y.ndim == 1 else y
    L = len(sizes) - 1

    def value_and_grad(p: dict):
        value, grads = deep_objective_and_gradients([p[i] for i in range(2 * L)], X, Y, beta=beta,
                                                    penalty=penalty, loss=loss)
        return value, dict(enumerate(grads))

    run: AdamResult = adam(value_and_grad, dict(enumerate(_he_normal(rng, sizes, init_scale))), steps=steps,
                           learning_rate=learning_rate)
    layers = [(run.params[2 * l], run.params[2 * l + 1]) for l in range(L)]
    return DeepTraining(layers=layers, trace=run.trace, beta=beta, penalty=penalty, loss=loss,
                        best_objective=run.objective, best_step=run.best_step)
