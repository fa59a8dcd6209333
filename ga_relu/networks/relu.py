r"""The two-layer ReLU network and its objective in problem (P).

.. math::

    f(x) = \sum_j \alpha_j \operatorname{relu}(w_j \cdot x + b_j) + c, \qquad
    (P)\;\; L(f(X), y) + \frac{\beta}{2} \sum_j (\|w_j\|_p^2 + \|\alpha_j\|_2^2).

Biases b_j and the intercept c are not penalized (docs/theory/problem.md). The loss and the penalty
are the objects of :mod:`ga_relu.convex.losses` and :mod:`ga_relu.convex.penalties` (or their names).

>>> net = ReLUNetwork([[1.0, 0.0]], [0.0], [2.0], c=1.0)
>>> net([[3.0, 5.0], [-1.0, 0.0]])
array([7., 1.])
"""

from __future__ import annotations

import numpy as np

from ..convex.losses import Loss, LossName
from ..convex.penalties import Penalty, PenaltyName, get_penalty, group_norms
from ..convex.problem import Problem
from ..errors import InvalidInputError
from ..validation import check_matrix

__all__ = ["ReLUNetwork"]

class ReLUNetwork:
    r"""A two-layer ReLU network :math:`f(x) = \sum_j \alpha_j \operatorname{relu}(w_j \cdot x + b_j) + c`.

    Parameters
    ----------
    W : array_like, shape (m, d)
        First-layer weights, one row per neuron.
    b : array_like, shape (m,), optional
        Biases (default 0).
    alpha : array_like, shape (m,) or (m, c), optional
        Output weights (default 1); a matrix for c outputs.
    c : float or array_like, shape (c,)
        The intercept.

    Examples
    --------
    >>> net = ReLUNetwork([[1.0], [-1.0]], [0.0, 1.0], [1.0, -2.0])
    >>> net.width, net.dim
    (2, 1)
    >>> net([[0.5]])
    array([-0.5])
    """

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
        """m, the number of neurons."""
        return self.W.shape[0]

    @property
    def dim(self) -> int:
        """d, the number of input features."""
        return self.W.shape[1]

    def _check_input(self, X) -> np.ndarray:
        X = check_matrix(X)
        if X.shape[1] != self.dim:
            raise InvalidInputError(f"the network takes {self.dim} features, X has {X.shape[1]} columns")
        return X

    def hidden(self, X) -> np.ndarray:
        r""":math:`\operatorname{relu}(X W^T + b)`: the hidden activations, shape (n, m).

        Examples
        --------
        >>> ReLUNetwork([[1.0], [-1.0]]).hidden([[2.0]])
        array([[2., 0.]])
        """
        X = self._check_input(X)
        return np.maximum(X @ self.W.T + self.b, 0.0)

    def __call__(self, X) -> np.ndarray:
        """f(X) = hidden(X) alpha + c, shape (n,) or (n, c)."""
        return self.hidden(X) @ self.alpha + self.c

    predict = __call__

    def regularizer(self, penalty: Penalty | PenaltyName = "l1") -> float:
        r""":math:`\tfrac12 \sum_j (\|w_j\|_p^2 + \|\alpha_j\|^2)`, the bracket of (P) without beta.

        Examples
        --------
        >>> ReLUNetwork([[3.0, -4.0]], alpha=[1.0]).regularizer("l2")
        13.0
        """
        return get_penalty(penalty).regularizer(self.W, self.alpha)

    def objective(self, X, y, beta: float, penalty: Penalty | PenaltyName = "l1",
                  loss: Loss | LossName = "squared") -> float:
        r"""Problem (P) in the ordinary (non-convex) parameterization:
        :math:`L(f(X), y) + \frac{\beta}{2} \sum_j (\|w_j\|_p^2 + \|\alpha_j\|^2)`.

        Examples
        --------
        >>> net = ReLUNetwork([[1.0]], alpha=[1.0])
        >>> net.objective([[1.0], [2.0]], [1.0, 1.0], beta=0.5)  # 0.5 * 1 + 0.5 * (1 + 1) / 2
        1.0
        """
        return Problem(self._check_input(X), y, beta=beta, penalty=penalty, loss=loss).objective(self)

    def balanced(self, penalty: Penalty | PenaltyName = "l1") -> "ReLUNetwork":
        r"""Rescale each neuron :math:`(w, b, \alpha) \to (t w, t b, \alpha / t)`,
        :math:`t = \sqrt{\|\alpha\| / \|w\|_p}`, so that :math:`\|w\|_p = \|\alpha\|`: the same
        function with the smallest regularizer (AM-GM); dead neurons (w = 0 or alpha = 0) removed.

        Examples
        --------
        >>> net = ReLUNetwork([[4.0], [0.0]], [0.0, 1.0], [1.0, 3.0]).balanced("l2")
        >>> net.W, net.alpha
        (array([[2.]]), array([2.]))
        """
        wn = get_penalty(penalty).norms(self.W)
        an = group_norms(self.alpha)
        live = (wn > 0) & (an > 0)
        t = np.sqrt(an[live] / wn[live])
        alpha = self.alpha[live] / (t if self.alpha.ndim == 1 else t[:, None])
        return ReLUNetwork(self.W[live] * t[:, None], self.b[live] * t, alpha, self.c)

    def __repr__(self) -> str:
        """Sizes and the intercept, never the weight arrays (``W``, ``b``, ``alpha`` hold them).

        >>> ReLUNetwork([[1.0], [-1.0]], [0.0, 1.0], [[1.0, 0.0], [-2.0, 1.0]], c=0.5)
        ReLUNetwork(width=2, dim=1, outputs=2, c=[0.5 0.5])
        """
        outputs = "" if self.alpha.ndim == 1 else f", outputs={self.alpha.shape[1]}"
        c = f"{self.c:.6g}" if np.ndim(self.c) == 0 else np.array2string(np.asarray(self.c), precision=4, threshold=6)
        return f"ReLUNetwork(width={self.width}, dim={self.dim}{outputs}, c={c})"
