r"""The convex losses of problem (P), one small object each.

============  ==============================  ===============================================
loss          :math:`L(f, y)`                 dual vector :math:`\lambda = -\partial L / \partial f`
============  ==============================  ===============================================
squared       :math:`\tfrac12\|f - y\|^2`     :math:`y - f`
logistic      :math:`\sum \log(1+e^{-y f})`   :math:`y / (1 + e^{y f})`
hinge         :math:`\sum \max(0, 1 - y f)`   :math:`y \mu`, :math:`\mu \in [0, 1]` a subgradient choice
============  ==============================  ===============================================

Each :class:`Loss` answers the questions the solvers, column generation and certificates ask of it:
its value, its dual vector, its Fenchel dual objective, the projection of a vector into the dual
domain, the optimal unpenalized intercept and its cvxpy expression. :func:`get_loss` turns a name
into the object, so no caller compares loss names.

>>> import numpy as np
>>> loss = get_loss("squared")
>>> loss.value(np.array([1.0, 2.0]), np.array([0.0, 0.0]))
2.5
>>> loss.dual_vector(np.array([1.0]), np.array([3.0]))
array([2.])
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from ..errors import InvalidInputError
from ..validation import check_targets

__all__ = ["LossName", "SQUARED", "Loss", "SquaredLoss", "LogisticLoss", "HingeLoss", "get_loss", "LOSSES",
           "dual_vector", "dual_objective"]

#: the names of the built-in losses, for ``loss=`` options
LossName = Literal["squared", "logistic", "hinge"]

#: slack of the dual domain y lambda in [0, 1] of the classification losses: lambda comes from
#: sigmoids and clipped duals computed in floating point, whose round-off is ~1e-16 per entry
_DOMAIN_SLACK = 1e-12


class Loss:
    """A convex loss L(f, y), summed over samples (and outputs).

    Examples
    --------
    >>> loss = get_loss("logistic")
    >>> loss.classification, loss.differentiable, loss.quadratic
    (True, True, False)
    """

    #: the name used in options and printouts
    name: str = ""
    #: whether targets are labels in {-1, +1}
    classification: bool = False
    #: whether L is strictly convex in f (then the optimal predictions are unique)
    strictly_convex: bool = False
    #: whether several outputs (the group Lasso of T5) are supported
    vector_outputs: bool = False
    #: whether L is differentiable in f, so that lambda = -dL/df is fixed by the predictions; the
    #: hinge loss is not, and there the solver's dual (a subgradient choice) is kept
    differentiable: bool = True
    #: whether L is quadratic in f: its optimality conditions on a fixed support are then linear
    #: (closed-form duals and exact active-set solves)
    quadratic: bool = False
    #: column generation's default tolerance on the dual ratio: the active-set solves of a quadratic
    #: loss are exact, the conic ones (logistic, hinge) meet their conditions to ~1e-6
    default_colgen_tol: float = 1e-5

    def check_targets(self, y, n: int, name: str = "y") -> np.ndarray:
        """Finite targets of length n (or (n, c)) that this loss accepts, as floats.

        >>> get_loss("squared").check_targets([[1.0], [2.0]], 2)
        array([1., 2.])
        """
        return check_targets(y, n, name)

    def value(self, f: np.ndarray, y: np.ndarray) -> float:
        """L(f, y)."""
        raise NotImplementedError

    def dual_vector(self, f: np.ndarray, y: np.ndarray) -> np.ndarray:
        """lambda = -dL/df at predictions f (a subgradient choice for the hinge loss)."""
        raise NotImplementedError

    def gradient(self, f: np.ndarray, y: np.ndarray) -> np.ndarray:
        """dL/df (a subgradient for the hinge loss)."""
        return -self.dual_vector(f, y)

    def dual_objective(self, lam: np.ndarray, y: np.ndarray) -> float:
        """D(lambda) = -sum_i L_i^*(-lambda_i), -inf outside the conjugate's domain.

        Weak duality: for lambda feasible in the Lasso's dual constraint (|lambda . column| <= beta,
        sum lambda = 0 with a free intercept), D(lambda) is a lower bound on the optimum of (P).
        """
        raise NotImplementedError

    def feasible_dual(self, lam: np.ndarray, y: np.ndarray, sum_zero: bool) -> np.ndarray:
        """lambda moved into the dual's domain (and onto sum(lambda) = 0 when ``sum_zero``)."""
        raise NotImplementedError

    def optimal_intercept(self, g: np.ndarray, y: np.ndarray, c0=0.0):
        """argmin_c L(g + c, y): the unpenalized intercept given the other predictions g."""
        raise NotImplementedError

    def dual_from_solver(self, f: np.ndarray, y: np.ndarray, margin_dual=None) -> np.ndarray:
        """lambda at a solver's solution with predictions f: -dL/df for a differentiable loss;
        ``margin_dual`` (the dual value of the margin constraint of :meth:`cvxpy_expression`) is
        used by the losses that are not."""
        return self.dual_vector(f, y)

    def cvxpy_expression(self, pred, y: np.ndarray):
        """``(data_term, margin_constraint)`` of the loss at the cvxpy predictions ``pred``.

        ``margin_constraint`` is the constraint whose dual value is mu (hinge), else None.
        """
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class SquaredLoss(Loss):
    """L(f, y) = ||f - y||^2 / 2; lambda = y - f; D(lambda) = lambda . y - ||lambda||^2 / 2.

    Examples
    --------
    >>> import numpy as np
    >>> SquaredLoss().dual_objective(np.array([1.0, -1.0]), np.array([2.0, 0.0]))
    1.0
    """

    name = "squared"
    strictly_convex = True
    vector_outputs = True
    quadratic = True
    default_colgen_tol = 1e-6

    def check_targets(self, y, n: int, name: str = "y") -> np.ndarray:
        """Finite targets whose loss ||y||^2 / 2 is finite in double precision (|y| up to about
        1.3e154 / sqrt(n)): beyond that every loss value, dual objective and gap overflows.

        >>> get_loss("squared").check_targets([1e200, 0.0], 2)
        Traceback (most recent call last):
        ...
        ga_relu.errors.InvalidInputError: y has values up to 1e+200: the squared loss overflows ...
        """
        y = check_targets(y, n, name)
        with np.errstate(over="ignore"):
            total = 0.5 * float(np.sum(y * y))
        if not np.isfinite(total):
            limit = math.sqrt(np.finfo(float).max / max(y.size, 1))
            raise InvalidInputError(
                f"{name} has values up to {float(np.abs(y).max()):.3g}: the squared loss overflows double precision "
                f"(|{name}| up to about {limit:.2g} is representable for {y.size} values). Divide {name} by a power "
                f"of 10: the problem is homogeneous ({name} -> {name} / s with beta -> beta / s gives the "
                "coefficients / s and the objective / s^2)")
        return y

    def value(self, f, y):
        return 0.5 * float(np.sum((f - y) ** 2))

    def dual_vector(self, f, y):
        return y - f

    def dual_objective(self, lam, y):
        return float(np.sum(lam * y) - 0.5 * np.sum(lam**2))

    def feasible_dual(self, lam, y, sum_zero):
        lam = np.asarray(lam, dtype=float)
        return lam - lam.mean(axis=0) if sum_zero else lam.copy()

    def optimal_intercept(self, g, y, c0=0.0):
        """c = mean(y - g), per output."""
        return np.mean(y - g, axis=0) if np.ndim(y) == 2 else float(np.mean(y - g))

    def cvxpy_expression(self, pred, y):
        import cvxpy as cp

        return 0.5 * cp.sum_squares(pred - y), None


class _LabelLoss(Loss):
    """Shared by the classification losses: labels in {-1, +1}, dual domain s = y lambda in [0, 1]."""

    classification = True

    def check_targets(self, y, n: int, name: str = "y") -> np.ndarray:
        """One column of labels in {-1, +1}.

        >>> get_loss("logistic").check_targets([1, -1, 1], 3)
        array([ 1., -1.,  1.])
        """
        y = check_targets(y, n, name)
        if y.ndim != 1:
            raise InvalidInputError(f"loss={self.name!r} takes one label column; got {name} of shape {y.shape}")
        labels = set(np.unique(y).tolist())
        if not labels <= {-1.0, 1.0}:
            raise InvalidInputError(
                f"loss={self.name!r} needs labels in {{-1, +1}}, got values {sorted(labels)[:5]}; map your classes "
                "to -1/+1 (WedgeReLUClassifier does this for you)"
            )
        return y

    def _domain(self, lam, y):
        """s = y lambda clipped to [0, 1], or None when it lies outside the domain."""
        s = y * lam
        if np.any(s < -_DOMAIN_SLACK) or np.any(s > 1 + _DOMAIN_SLACK):
            return None
        return np.clip(s, 0.0, 1.0)

    def feasible_dual(self, lam, y, sum_zero):
        """s = y lambda clipped to [0, 1]; with ``sum_zero`` the class with the larger mass is scaled
        down so that sum(lambda) = sum_{y=+1} s - sum_{y=-1} s = 0."""
        s = np.clip(y * np.asarray(lam, dtype=float), 0.0, 1.0)
        if sum_zero:
            pos, neg = s[y > 0].sum(), s[y < 0].sum()
            if pos > neg:
                s = np.where(y > 0, s * (neg / pos), s)
            elif neg > pos:
                s = np.where(y < 0, s * (pos / neg), s)
        return y * s


class LogisticLoss(_LabelLoss):
    """L(f, y) = sum log(1 + exp(-y f)); lambda = y sigmoid(-y f); D = sum H(y lambda) (entropy, nats).

    Examples
    --------
    >>> import numpy as np
    >>> round(LogisticLoss().value(np.zeros(2), np.array([1.0, -1.0])), 6)  # 2 log 2
    1.386294
    """

    name = "logistic"
    strictly_convex = True

    def value(self, f, y):
        return float(np.sum(np.logaddexp(0.0, -y * f)))

    def dual_vector(self, f, y):
        return y * np.exp(-np.logaddexp(0.0, y * f))

    def dual_objective(self, lam, y):
        s = self._domain(lam, y)
        if s is None:
            return -np.inf
        with np.errstate(divide="ignore", invalid="ignore"):
            entropy = -(np.where(s > 0, s * np.log(s), 0.0) + np.where(s < 1, (1 - s) * np.log1p(-s), 0.0))
        return float(entropy.sum())

    def optimal_intercept(self, g, y, c0=0.0):
        """argmin_c sum log(1 + exp(-y (g + c))): the root of its derivative
        phi(c) = -sum_i y_i sigmoid(-y_i (g_i + c)), i.e. sum(lambda) = 0, by Newton's method
        safeguarded with a bracket (a step that leaves it is replaced by bisection).

        phi is increasing. With both labels present the root lies in
        [-max g - T, -min g + T], T = log(n) + 1: beyond the right end every prediction exceeds T, so
        each negative sample contributes more than 1 - 1/(e n) and all positives together less than
        1/e, and phi > 0 (the left end likewise). Plain Newton from c0 diverges when phi is flat
        there (seen: c = -5e79 from a warm start whose predictions reach 70). With one label only,
        the infimum is at infinity and Newton's iterates run off (at most 100 steps), as before.

        >>> import numpy as np
        >>> g = np.array([70.0, 60.0, -3.0, 0.5]); y = np.array([1.0, -1.0, -1.0, 1.0])
        >>> c = get_loss("logistic").optimal_intercept(g, y)
        >>> abs(float(np.sum(y / (1 + np.exp(y * (g + c)))))) < 1e-12
        True
        """
        g = np.asarray(g, dtype=float)
        y = np.asarray(y, dtype=float)
        c = float(c0)
        lo, hi = -np.inf, np.inf
        if np.any(y > 0) and np.any(y < 0):
            spread = math.log(len(y)) + 1.0
            lo, hi = -float(g.max()) - spread, -float(g.min()) + spread
            c = min(max(c, lo), hi)
        for _ in range(200):
            p = np.exp(-np.logaddexp(0.0, y * (g + c)))  # sigmoid(-y f)
            grad = -float(np.sum(y * p))
            hess = float(np.sum(p * (1 - p)))
            # stop at round-off: the gradient is a sum of n terms of size <= 1, each exact to ~1e-16
            if abs(grad) <= 1e-15 * len(y):
                break
            if grad > 0:
                hi = min(hi, c)
            else:
                lo = max(lo, c)
            new = c - grad / hess if hess > 0 else np.nan
            if not lo < new < hi:  # Newton leaves the bracket (or phi is flat): bisect it
                if not (math.isfinite(lo) and math.isfinite(hi)):
                    break  # one label only: no finite minimizer
                new = 0.5 * (lo + hi)
            step, c = new - c, new
            if abs(step) <= 1e-14 * (1 + abs(c)):
                break
        return c

    def cvxpy_expression(self, pred, y):
        import cvxpy as cp

        return cp.sum(cp.logistic(-cp.multiply(y, pred))), None


class HingeLoss(_LabelLoss):
    """L(f, y) = sum max(0, 1 - y f); lambda = y mu, mu in [0, 1] (1 inside the margin); D = sum y lambda.

    Examples
    --------
    >>> import numpy as np
    >>> HingeLoss().value(np.array([2.0, 0.5]), np.array([1.0, 1.0]))
    0.5
    """

    name = "hinge"
    differentiable = False

    def dual_from_solver(self, f, y, margin_dual=None):
        """lambda = y mu with mu the solver's dual of the margin constraint, clipped to [0, 1]
        (interior-point round-off); without one, the subgradient choice of :meth:`dual_vector`."""
        if margin_dual is None:
            return self.dual_vector(f, y)
        return y * np.clip(np.asarray(margin_dual, dtype=float), 0.0, 1.0)

    def value(self, f, y):
        return float(np.sum(np.maximum(0.0, 1.0 - y * f)))

    def dual_vector(self, f, y):
        """The subgradient with mu = 1 inside the margin, 0 outside and 1/2 on it (within 1e-9 of
        the margin, whose scale is 1); a solver's dual is preferred where there is one."""
        margin = 1.0 - y * f
        mu = np.where(margin > 1e-9, 1.0, np.where(margin < -1e-9, 0.0, 0.5))
        return y * mu

    def dual_objective(self, lam, y):
        s = self._domain(lam, y)
        return -np.inf if s is None else float(s.sum())

    def optimal_intercept(self, g, y, c0=0.0):
        """c0 unchanged: a linear program whose minimizers form an interval."""
        return c0

    def cvxpy_expression(self, pred, y):
        import cvxpy as cp

        slack = cp.Variable(len(y), nonneg=True, name="slack")
        margin = slack >= 1 - cp.multiply(y, pred)
        return cp.sum(slack), margin


#: the losses by name
LOSSES: dict[str, Loss] = {loss.name: loss for loss in (SquaredLoss(), LogisticLoss(), HingeLoss())}
#: the squared loss, for the solvers that are specific to it (feature-sign search, the QP)
SQUARED = LOSSES["squared"]


def get_loss(loss) -> Loss:
    """The :class:`Loss` named ``loss`` (a Loss is returned as it is).

    >>> get_loss("hinge").classification
    True
    """
    if isinstance(loss, Loss):
        return loss
    try:
        return LOSSES[loss]
    except (KeyError, TypeError):
        raise InvalidInputError(f"unknown loss {loss!r}; choose one of {', '.join(map(repr, LOSSES))}") from None


# functional forms, for callers holding a loss name
def dual_vector(loss, f, y) -> np.ndarray:
    """lambda = -dL/df at f for the loss named ``loss``.

    Examples
    --------
    >>> import numpy as np
    >>> dual_vector("logistic", np.array([0.0]), np.array([1.0]))
    array([0.5])
    """
    return get_loss(loss).dual_vector(f, y)


def dual_objective(loss, lam, y) -> float:
    """D(lambda) for the loss named ``loss`` (:meth:`Loss.dual_objective`).

    Examples
    --------
    >>> import numpy as np
    >>> dual_objective("hinge", np.array([0.5, -0.5]), np.array([1.0, -1.0]))
    1.0
    """
    return get_loss(loss).dual_objective(lam, y)


