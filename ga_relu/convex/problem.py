r"""Problem (P) as one validated value.

.. math::

    \min_{m,\,W,\,b,\,\alpha,\,c}\; L\Big(\sum_{j=1}^m \alpha_j\,\mathrm{relu}(X w_j + b_j) + c,\; y\Big)
    + \frac{\beta}{2} \sum_{j=1}^m \big(\|w_j\|_p^2 + \|\alpha_j\|_2^2\big)

A :class:`Problem` holds the data, the targets, beta, the penalty (p), the loss, whether neurons
have a bias and whether the intercept c is free. It is checked once, when it is made, and is then
what every solver, pricing routine, certificate and result takes and keeps.

>>> import numpy as np
>>> problem = Problem(np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), [1.0, -1.0, 0.5], beta=0.1)
>>> problem.n, problem.d, problem.subset_size, problem.n_vertices
(3, 2, 2, 5)
>>> problem.loss.name, problem.penalty.name, problem.needs_sum_zero
('squared', 'l1', True)
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..errors import DegenerateDataError
from ..validation import check_beta, check_flag, check_geometry, check_matrix
from .losses import Loss, get_loss
from .penalties import Penalty, get_penalty

__all__ = ["Problem", "ProblemSettings"]


@dataclasses.dataclass(frozen=True, eq=False)
class Problem:
    """The data and settings of problem (P), validated once.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Training inputs (a 1-D array is read as n samples of one feature).
    y : array_like, shape (n,) or (n, c)
        Targets; labels in {-1, +1} for the logistic and hinge losses; several columns for vector
        outputs (the group Lasso of T5, squared loss).
    beta : float
        Regularization strength, > 0.
    penalty : {"l1", "l2"} or Penalty
        ||w||_p on first-layer weights.
    bias : bool
        Whether neurons have a bias b_j (hyperplanes not through the origin).
    loss : {"squared", "logistic", "hinge"} or Loss
    fit_intercept : bool
        Whether the intercept c is free (unpenalized).

    Examples
    --------
    >>> import numpy as np
    >>> problem = Problem(np.array([[0.0], [1.0], [2.0]]), [1.0, -1.0, 1.0], beta=0.5, loss="hinge")
    >>> problem.with_beta(0.1).beta, problem.loss.classification
    (0.1, True)
    """

    X: np.ndarray
    y: np.ndarray
    beta: float
    penalty: Penalty = "l1"
    bias: bool = True
    loss: Loss = "squared"
    fit_intercept: bool = True

    def __post_init__(self):
        set_ = object.__setattr__.__get__(self)  # frozen: fields are normalized once, here
        set_("X", check_matrix(self.X))
        set_("loss", get_loss(self.loss))
        set_("penalty", get_penalty(self.penalty))
        set_("y", self.loss.check_targets(self.y, self.X.shape[0]))
        set_("beta", check_beta(self.beta))
        set_("bias", check_flag(self.bias, "bias"))
        set_("fit_intercept", check_flag(self.fit_intercept, "fit_intercept"))

    # derived sizes ---------------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of samples."""
        return self.X.shape[0]

    @property
    def d(self) -> int:
        """Input dimension."""
        return self.X.shape[1]

    @property
    def n_outputs(self) -> int:
        """Number of output columns (1 for a scalar output)."""
        return 1 if self.y.ndim == 1 else self.y.shape[1]

    @property
    def subset_size(self) -> int:
        """k, the vertices that define one hyperplane: d with a bias (lifted), d - 1 without (0 in 1-D
        without bias: the one neuron pair relu(+-x) is the empty cross product), as in
        :func:`ga_relu.convex.dictionary.subset_size`."""
        return self.d if self.bias else self.d - 1

    @property
    def n_vertices(self) -> int:
        """Samples, plus the d basis vectors for the l1 penalty."""
        return self.n + (self.d if self.penalty.basis_vertices else 0)

    @property
    def needs_sum_zero(self) -> bool:
        """Whether the dual needs sum(lambda) = 0: with a free intercept, and with a bias (a neuron
        with w = 0 and a large bias is a constant of vanishing cost in (P))."""
        return self.fit_intercept or self.bias

    def require_hyperplanes(self) -> "Problem":
        """This problem, after checking that neurons through training points exist at all: not all
        samples identical (DegenerateDataError otherwise).

        Fewer than d + 1 samples with a bias is well posed: for l1 the vertex set has the d basis
        vectors besides the samples, so hyperplanes through d lifted vertices exist for any n >= 1;
        for l2 the exact method is a cone program over activation patterns, which needs no
        hyperplane through samples (the wedge dictionary then has few or no columns: an upper
        bound, as always for l2). The fitting methods need this check; a certificate does not.

        >>> import numpy as np
        >>> Problem(np.zeros((2, 2)), [0.0, 1.0], beta=1.0).require_hyperplanes()
        Traceback (most recent call last):
        ...
        ga_relu.errors.DegenerateDataError: all samples are identical, ...
        >>> Problem(np.eye(2), [0.0, 1.0], beta=1.0).require_hyperplanes().n  # 2 samples in 2-D with a bias
        2
        """
        if self.n > 1:
            check_geometry(self.X, bias=False)  # only the identical-samples test: n < d + 1 is well posed
        if self.n_vertices < self.subset_size:
            # l2 with fewer samples than a hyperplane needs: the wedge dictionary (which every l2 method
            # builds, the exact one to compare with) has no column at all
            raise DegenerateDataError(
                f"{self.n} samples in {self.d} dimensions with penalty={self.penalty.name!r}: no hyperplane passes "
                f"through {self.subset_size} of them, so the sample dictionary is empty; add samples, use "
                "penalty='l1' (its basis vectors give hyperplanes for any n)"
                + (", or bias=False (a hyperplane through the origin needs one sample fewer)" if self.bias else ""))
        return self

    # variants --------------------------------------------------------------------------------
    def with_beta(self, beta: float) -> "Problem":
        """The same problem at another beta (validated)."""
        return dataclasses.replace(self, beta=beta)

    def with_data(self, X, y=None) -> "Problem":
        """The same settings on other data (validated)."""
        return dataclasses.replace(self, X=X, y=self.y if y is None else y)

    # values ----------------------------------------------------------------------------------
    def objective(self, network) -> float:
        """Value of (P) at a :class:`~ga_relu.networks.relu.ReLUNetwork` (the one formula of (P)):
        L(f(X), y) + (beta/2) sum_j (||w_j||_p^2 + ||alpha_j||^2)."""
        return self.loss.value(network(self.X), self.y) + self.beta * self.penalty.regularizer(network.W, network.alpha)

    def __repr__(self) -> str:
        return (f"Problem(n={self.n}, d={self.d}, beta={self.beta:g}, penalty={self.penalty.name!r}, "
                f"bias={self.bias}, loss={self.loss.name!r}, fit_intercept={self.fit_intercept})")


# ---------------------------------------------------------------------------------------------
# Added by the networks/baselines/interfaces helper: the settings of a kept Problem, once, for
# every result that keeps one (FitResult, GradientResult, DeepExplanation).
# ---------------------------------------------------------------------------------------------


class ProblemSettings:
    """Mixin for results that keep a :class:`Problem` as ``self.problem``: its settings under the
    names they had before the Problem object (penalty and loss as their names).

    >>> import numpy as np
    >>> class Result(ProblemSettings):
    ...     def __init__(self, problem):
    ...         self.problem = problem
    >>> result = Result(Problem(np.array([[0.0], [1.0]]), [1.0, 0.0], beta=0.5))
    >>> result.beta, result.penalty, result.loss, result.bias, result.fit_intercept, result.y.tolist()
    (0.5, 'l1', 'squared', True, True, [1.0, 0.0])
    """

    problem: Problem

    @property
    def X(self) -> np.ndarray:
        """The training inputs."""
        return self.problem.X

    @property
    def y(self) -> np.ndarray:
        """The training targets."""
        return self.problem.y

    @property
    def beta(self) -> float:
        """The regularization strength."""
        return self.problem.beta

    @property
    def penalty(self) -> str:
        """The penalty's name, "l1" or "l2"."""
        return self.problem.penalty.name

    @property
    def loss(self) -> str:
        """The loss's name, "squared", "logistic" or "hinge"."""
        return self.problem.loss.name

    @property
    def bias(self) -> bool:
        """Whether neurons have a bias."""
        return self.problem.bias

    @property
    def fit_intercept(self) -> bool:
        """Whether the intercept is free."""
        return self.problem.fit_intercept
