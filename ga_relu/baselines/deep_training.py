r"""Train a deep ReLU network by full-batch Adam on problem (P) with every layer penalized.

The objective is L(f(X), y) + (beta/2) sum_l ||W_l||^2 (||.||_p on the penultimate weights); it is
the baseline against which :func:`ga_relu.explain.deep.explain_deep` re-solves the last two layers.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from ..convex.losses import loss_gradient, loss_value
from ..errors import InvalidInputError
from ..networks.deep import DeepReLUNetwork
from ..validation import (
    check_beta,
    check_choice,
    check_loss,
    check_matrix,
    check_penalty,
    check_random_state,
    check_targets,
)
from .gradient import adam


@dataclasses.dataclass
class DeepTraining:
    """The result of :func:`train_deep`: ``layers`` [(W, b), ...], the objective after every step."""

    layers: list
    trace: np.ndarray
    beta: float
    penalty: str
    loss: str

    @property
    def network(self) -> DeepReLUNetwork:
        return DeepReLUNetwork(self.layers)

    @property
    def objective(self) -> float:
        return float(self.trace[-1])

    def __call__(self, X) -> np.ndarray:
        return self.network(X)

    predict = __call__

    def __repr__(self) -> str:
        return f"DeepTraining(widths={self.network.widths}, steps={len(self.trace) - 1}, objective={self.objective:.6g})"


def _penalty_gradient(W: np.ndarray, penalty: str, hidden_layer: bool) -> np.ndarray:
    """d/dW of (1/2) sum over rows ||row||_p^2 (p = 2 for the output layer)."""
    if penalty == "l1" and hidden_layer:
        return np.abs(W).sum(axis=1, keepdims=True) * np.sign(W)
    return W


def deep_objective_and_gradients(params: list, X: np.ndarray, Y: np.ndarray, *, beta: float, penalty: str,
                                 loss: str) -> tuple[float, list]:
    """Value and gradients of L(f(X), Y) + (beta/2) sum_l sum_rows ||row of W_l||_p^2 by backpropagation.

    ``params`` = [W_1, b_1, ..., W_L, b_L]; Y has shape (n, c).  With G = dL/dF (n, c) and
    Z_l the pre-activations: dW_l = G_l^T h_{l-1} + beta * (penalty gradient), db_l = 1^T G_l,
    G_{l-1} = (G_l W_l) * 1[Z_{l-1} > 0] (the ReLU's derivative taken as 1[z > 0]).
    """
    L = len(params) // 2
    acts, pre = [X], []
    for l in range(L):
        Z = acts[-1] @ params[2 * l].T + params[2 * l + 1]
        pre.append(Z)
        acts.append(np.maximum(Z, 0.0) if l < L - 1 else Z)
    F = acts[-1]
    reg = 0.0
    for l in range(L):
        W = params[2 * l]
        rows = np.abs(W).sum(axis=1) if (penalty == "l1" and l < L - 1) else np.linalg.norm(W, axis=1)
        reg += 0.5 * float(np.sum(rows**2))
    value = loss_value(loss, F, Y) + beta * reg
    G = loss_gradient(loss, F, Y)
    grads = [None] * len(params)
    for l in range(L - 1, -1, -1):
        W = params[2 * l]
        grads[2 * l] = G.T @ acts[l] + beta * _penalty_gradient(W, penalty, l < L - 1)
        grads[2 * l + 1] = G.sum(axis=0)
        if l:
            G = (G @ W) * (pre[l - 1] > 0)
    return value, grads


def train_deep(X, y, *, widths=(16, 16), beta: float, steps: int = 2000, learning_rate: float = 1e-2,
               random_state=None, penalty: str = "l2", loss: str = "squared", init_scale: float = 1.0) -> DeepTraining:
    r"""Train a deep ReLU network by full-batch Adam (numpy), a baseline to explain with :func:`explain_deep`.

    Minimizes  L(f(X), y) + (beta/2) sum_l sum_rows ||row of W_l||_p^2  (p = 2: weight decay on
    every weight matrix; p = 1 on the hidden layers' rows with "l1"; biases not penalized) over
    x -> relu(W_1 x + b_1) -> ... -> W_L h + b_L with hidden ``widths``.  He-normal
    initialization (times ``init_scale``) from ``random_state``; same seed, same network.
    ``trace[t]`` is the objective after t steps (trace[0]: at initialization).
    """
    X = check_matrix(X)
    loss = check_choice(check_loss(loss), ("squared", "logistic"), "loss for train_deep")
    penalty = check_penalty(penalty)
    beta = check_beta(beta)
    y = check_targets(y, X.shape[0], loss)
    widths = tuple(int(w) for w in np.atleast_1d(widths))
    if not widths or min(widths) < 1:
        raise InvalidInputError(f"widths must be positive integers (one per hidden layer), got {widths}")
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise InvalidInputError(f"steps must be a non-negative integer, got {steps!r}")
    check_beta(learning_rate, "learning_rate")
    rng = check_random_state(random_state)
    n_out = 1 if y.ndim == 1 else y.shape[1]
    sizes = (X.shape[1],) + widths + (n_out,)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        params.append(rng.normal(scale=init_scale * math.sqrt(2.0 / fan_in), size=(fan_out, fan_in)))
        params.append(np.zeros(fan_out))
    Y = y[:, None] if y.ndim == 1 else y
    L = len(sizes) - 1

    def value_and_grad(p: dict):
        value, grads = deep_objective_and_gradients([p[i] for i in range(2 * L)], X, Y, beta=beta,
                                                    penalty=penalty, loss=loss)
        return value, dict(enumerate(grads))

    best, _, trace, _, _ = adam(value_and_grad, dict(enumerate(params)), steps=steps, learning_rate=learning_rate)
    params = [best[i] for i in range(2 * L)]
    layers = [(params[2 * l], params[2 * l + 1]) for l in range(L)]
    return DeepTraining(layers=layers, trace=trace, beta=beta, penalty=penalty, loss=loss)
