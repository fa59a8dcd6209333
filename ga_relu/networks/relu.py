"""The two-layer ReLU network and its objective in problem (P).

    f(x) = sum_j alpha_j relu(w_j . x + b_j) + c
    (P)  L(f(X), y) + (beta / 2) sum_j (||w_j||_p^2 + ||alpha_j||_2^2)

Biases b_j and the intercept c are not penalized (theory.md section 2).
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidInputError
from ..convex.losses import loss_value
from ..validation import check_beta, check_loss, check_matrix, check_penalty, check_targets


def weight_norms(W: np.ndarray, penalty: str) -> np.ndarray:
    """||w_j||_p for each row of W (p = 1 for "l1", 2 for "l2")."""
    return np.abs(W).sum(axis=1) if penalty == "l1" else np.linalg.norm(W, axis=1)


class ReLUNetwork:
    """A two-layer ReLU network with arrays W (m x d), b (m), alpha (m or m x c) and intercept c."""

    def __init__(self, W, b=None, alpha=None, c=0.0):
        W = np.atleast_2d(np.asarray(W, dtype=float))
        m = W.shape[0]
        b = np.zeros(m) if b is None else np.asarray(b, dtype=float).reshape(m)
        alpha = np.ones(m) if alpha is None else np.asarray(alpha, dtype=float)
        if alpha.shape[0] != m or alpha.ndim not in (1, 2):
            raise InvalidInputError(f"alpha must have {m} rows (one per neuron), got shape {alpha.shape}")
        c = np.asarray(c, dtype=float)
        if alpha.ndim == 2 and c.ndim == 0:
            c = np.full(alpha.shape[1], float(c))
        for name, arr in (("W", W), ("b", b), ("alpha", alpha), ("c", c)):
            if not np.all(np.isfinite(arr)):
                raise InvalidInputError(f"network parameter {name} contains NaN or inf")
        self.W, self.b, self.alpha = W, b, alpha
        self.c = float(c) if c.ndim == 0 else c

    @property
    def width(self) -> int:
        return self.W.shape[0]

    @property
    def dim(self) -> int:
        return self.W.shape[1]

    def _check_input(self, X) -> np.ndarray:
        X = check_matrix(X)
        if X.shape[1] != self.dim:
            raise InvalidInputError(f"the network takes {self.dim} features, X has {X.shape[1]} columns")
        return X

    def hidden(self, X) -> np.ndarray:
        """relu(X W^T + b): the hidden activations, shape (n, m)."""
        X = self._check_input(X)
        return np.maximum(X @ self.W.T + self.b, 0.0)

    def __call__(self, X) -> np.ndarray:
        return self.hidden(X) @ self.alpha + self.c

    predict = __call__

    def regularizer(self, penalty: str = "l1") -> float:
        """(1/2) sum_j (||w_j||_p^2 + ||alpha_j||^2), the bracket of (P) without beta."""
        penalty = check_penalty(penalty)
        a = self.alpha if self.alpha.ndim == 1 else np.linalg.norm(self.alpha, axis=1)
        return 0.5 * float(np.sum(weight_norms(self.W, penalty) ** 2) + np.sum(a**2))

    def objective(self, X, y, beta: float, penalty: str = "l1", loss: str = "squared") -> float:
        """Problem (P) in the ordinary (non-convex) parameterization:
        L(f(X), y) + (beta/2) sum_j (||w_j||_p^2 + ||alpha_j||^2)."""
        beta = check_beta(beta)
        loss = check_loss(loss)
        X = self._check_input(X)
        y = check_targets(y, X.shape[0], loss)
        return loss_value(loss, self(X), y) + beta * self.regularizer(penalty)

    def balanced(self, penalty: str = "l1") -> "ReLUNetwork":
        """Rescale each neuron (w, b, alpha) -> (t w, t b, alpha / t) so that ||w||_p = ||alpha||:
        same function, smallest regularizer (AM-GM); dead neurons (w = 0 or alpha = 0) removed."""
        wn = weight_norms(self.W, check_penalty(penalty))
        an = np.abs(self.alpha) if self.alpha.ndim == 1 else np.linalg.norm(self.alpha, axis=1)
        live = (wn > 0) & (an > 0)
        t = np.sqrt(an[live] / wn[live])
        alpha = self.alpha[live] / (t if self.alpha.ndim == 1 else t[:, None])
        return ReLUNetwork(self.W[live] * t[:, None], self.b[live] * t, alpha, self.c)

    def __repr__(self) -> str:
        return f"ReLUNetwork(width={self.width}, dim={self.dim})"
