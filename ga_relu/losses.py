"""The convex losses of problem (P): values, dual vectors, and cvxpy expressions.

squared   L(f) = 0.5 ||f - y||^2              lambda = -dL/df = y - f
logistic  L(f) = sum log(1 + exp(-y f))       lambda = y / (1 + exp(y f))
hinge     L(f) = sum max(0, 1 - y f)          lambda = y * mu, mu in [0, 1] a subgradient choice
"""

from __future__ import annotations

import numpy as np


def loss_value(loss: str, f: np.ndarray, y: np.ndarray) -> float:
    """L(f, y), summed over samples (and outputs)."""
    if loss == "squared":
        return 0.5 * float(np.sum((f - y) ** 2))
    if loss == "logistic":
        return float(np.sum(np.logaddexp(0.0, -y * f)))
    if loss == "hinge":
        return float(np.sum(np.maximum(0.0, 1.0 - y * f)))
    raise ValueError(f"unknown loss {loss!r}")


def dual_vector(loss: str, f: np.ndarray, y: np.ndarray) -> np.ndarray:
    """lambda = -gradient of L at predictions f (for hinge: the subgradient with mu = 1 on the
    active margin, mu = 1/2 exactly on the kink, 0 elsewhere; the solver's dual is preferred)."""
    if loss == "squared":
        return y - f
    if loss == "logistic":
        return y * np.exp(-np.logaddexp(0.0, y * f))
    if loss == "hinge":
        margin = 1.0 - y * f
        mu = np.where(margin > 1e-9, 1.0, np.where(margin < -1e-9, 0.0, 0.5))
        return y * mu
    raise ValueError(f"unknown loss {loss!r}")


def dual_objective(loss: str, lam: np.ndarray, y: np.ndarray) -> float:
    """D(lambda) = -sum_i L_i^*(-lambda_i), the Fenchel dual of the loss at lambda:

    squared   lambda . y - ||lambda||^2 / 2
    logistic  sum H(y_i lambda_i), H the binary entropy in nats (y lambda in [0, 1])
    hinge     sum y_i lambda_i (y lambda in [0, 1])

    -inf outside the conjugate's domain. Weak duality: for lambda feasible in the dual constraint
    of the Lasso (|lambda . column| <= beta, sum lambda = 0 with a free intercept), D(lambda) is a
    lower bound on the optimum of (P).
    """
    if loss == "squared":
        return float(np.sum(lam * y) - 0.5 * np.sum(lam**2))
    s = y * lam
    if np.any(s < -1e-12) or np.any(s > 1 + 1e-12):
        return -np.inf
    s = np.clip(s, 0.0, 1.0)
    if loss == "hinge":
        return float(s.sum())
    if loss == "logistic":
        with np.errstate(divide="ignore", invalid="ignore"):
            entropy = -(np.where(s > 0, s * np.log(s), 0.0) + np.where(s < 1, (1 - s) * np.log1p(-s), 0.0))
        return float(entropy.sum())
    raise ValueError(f"unknown loss {loss!r}")


def loss_gradient(loss: str, f: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dL/df (a subgradient for hinge)."""
    return -dual_vector(loss, f, y)


def optimal_intercept(loss: str, g: np.ndarray, y: np.ndarray, c0=0.0):
    """argmin_c L(g + c, y): the unpenalized intercept given the other predictions g.

    squared: c = mean(y - g) (per output); logistic: Newton's method on the convex 1-D function
    sum log(1 + exp(-y (g + c))), whose stationarity is sum(lambda) = 0; hinge: c0 unchanged (a
    linear program whose minimizers form an interval).
    """
    if loss == "squared":
        return np.mean(y - g, axis=0) if np.ndim(y) == 2 else float(np.mean(y - g))
    if loss == "logistic":
        c = float(c0)
        for _ in range(100):
            p = np.exp(-np.logaddexp(0.0, y * (g + c)))  # sigmoid(-y f)
            grad = -float(np.sum(y * p))
            hess = float(np.sum(p * (1 - p)))
            if hess <= 0 or abs(grad) <= 1e-15 * len(y):
                break
            step = grad / hess
            c -= step
            if abs(step) <= 1e-14 * (1 + abs(c)):
                break
        return c
    return c0
