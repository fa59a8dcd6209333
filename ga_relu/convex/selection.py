r"""Choosing beta: its largest useful value beta_max, beta as a fraction of it, and cross-validation.

**beta_max.** With every output weight zero the network is the best constant c_0 (the constant
minimizing the loss; c_0 = 0 when no constant is free). Write lambda_0 = -dL/df at f = c_0 (the
centred targets y - mean(y) for the squared loss). By the optimality conditions of the Lasso over
all neurons, the empty network is optimal for (P) exactly when every neuron's correlation with
lambda_0 is at most beta:

.. math::

    \beta_{\max} = \max_{\|w\|_p \le 1,\; b}\; \big\|\lambda_0^\top \operatorname{relu}(X w + b)\big\|,

and for every beta >= beta_max the optimal network is empty, for every beta < beta_max it is not.
The maximum is the certificate's ratio at the empty network and beta = 1, so it is computed by the
same exact oracles (:func:`ga_relu.certify`): for the l1 penalty over the vertex dictionary
(hyperplanes through samples and basis vectors, streamed, or the exact MILP when the enumeration is
out of reach), for weight decay over all chambers (a cone program per activation pattern; the wedge
dictionary's own maximum is only a lower bound there). When the oracle is not exhaustive (a random
search) the value is a lower bound and a warning says so. Like the Lasso's alpha_max, beta_max
scales with the data: multiplying y by s multiplies it by s, and it grows with n (a sum over
samples). So a fraction of beta_max is a scale-free choice: :func:`relative` (``fit(X, y,
beta=ga_relu.relative(0.05))``).

**How to choose beta.** beta trades the loss against the total neuron cost. A fraction near 1
gives a few neurons (a smooth fit); small fractions (1e-3 and below) interpolate the training data
with many neurons. Start from 0.01 (the estimators' and the command line's default: on the
diabetes data's bmi and s5 columns, 5-fold CV R^2 0.31, 0.33, 0.42, 0.45 at fractions 0.3, 0.1,
0.03, 0.01 with 1, 2, 5, 7 neurons, against 0.44 for RidgeCV and -0.16 at beta = 1), look at the
number of neurons and the held-out error, or let :func:`cross_validate_beta` pick the fraction on a
geometric grid by K-fold cross-validation, as scikit-learn's LassoCV picks alpha (beta of a fold
of n_train samples corresponds to LassoCV's alpha = beta / n_train).

>>> import numpy as np
>>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
>>> y = np.array([0.0, 1.0, 0.0, 1.0])
>>> beta_max(X, y)  # lambda_0 = y - 1/2; the best neuron relu(x - 0) = (0, 1, 2, 3): lambda_0 . h = 1
1.0
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import warnings

import numpy as np

from ..errors import InvalidInputError
from ..validation import check_random_state
from .losses import LossName
from .penalties import PenaltyName, group_norms
from .problem import Problem

__all__ = ["RelativeBeta", "relative", "beta_max", "best_constant", "resolve_beta", "BetaCV",
           "cross_validate_beta", "fraction_grid", "DEFAULT_BETA_FRACTION"]

#: the default fraction of beta_max of the estimators and the command line (module docstring)
DEFAULT_BETA_FRACTION = 0.01


class BetaMaxLowerBoundWarning(UserWarning):
    """beta_max came from a search that is not exhaustive: a lower bound."""


@dataclasses.dataclass(frozen=True)
class RelativeBeta:
    """beta given as ``fraction`` times beta_max of the data (:func:`relative`).

    >>> RelativeBeta(0.05)
    relative(0.05)
    """

    fraction: float

    def __post_init__(self):
        f = self.fraction
        if isinstance(f, bool) or not isinstance(f, numbers.Real) or not (math.isfinite(f) and f > 0):
            raise InvalidInputError(f"a fraction of beta_max must be a positive finite number, got {f!r}; e.g. "
                                    "relative(0.1) (fractions >= 1 give the empty network)")
        object.__setattr__(self, "fraction", float(f))

    def __repr__(self) -> str:
        return f"relative({self.fraction:g})"


def relative(fraction: float) -> RelativeBeta:
    """beta = ``fraction`` * beta_max, resolved on the data by :func:`ga_relu.fit` (module docstring).

    Examples
    --------
    >>> import numpy as np, ga_relu as gr
    >>> X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0.0, 1.0, 0.0, 1.0])
    >>> result = gr.fit(X, y, beta=gr.relative(0.5))
    >>> result.beta, result.info["beta_max"], result.info["beta_fraction"]
    (0.5, 1.0, 0.5)
    >>> len(gr.fit(X, y, beta=gr.relative(1.0)).neurons)  # at beta_max the network is empty
    0
    """
    return RelativeBeta(fraction)


def best_constant(problem: Problem) -> np.ndarray | float:
    """c_0, the constant prediction minimizing the loss (0 when no constant is free: no intercept
    and no bias). Squared: mean(y); logistic: log(n_+ / n_-); hinge: the sign of the majority
    (any c in [-1, 1] when the classes are balanced: 0).

    >>> import numpy as np
    >>> best_constant(Problem(np.zeros((3, 1)) + [[0.0], [1.0], [2.0]], [1.0, -1.0, 1.0], beta=1.0, loss="logistic"))
    0.6931471805599453
    """
    if not problem.needs_sum_zero:
        return 0.0 if problem.y.ndim == 1 else np.zeros(problem.y.shape[1])
    y = problem.y
    if not problem.loss.classification:
        return y.mean(axis=0)
    positive, negative = int(np.sum(y > 0)), int(np.sum(y < 0))
    if problem.loss.name == "logistic":
        if positive == 0 or negative == 0:
            raise InvalidInputError("beta_max: the labels are all of one class, so the best constant is infinite; "
                                    "classification needs both labels -1 and +1")
        return math.log(positive / negative)
    return float(np.sign(positive - negative))


def beta_max(X, y, *, penalty: PenaltyName = "l1", bias: bool = True, loss: LossName = "squared",
             fit_intercept: bool = True, random_state=None, **certify_options) -> float:
    r"""The smallest beta at which the optimal network of (P) is empty (module docstring):

    .. math:: \beta_{\max} = \max_{\|w\|_p \le 1,\, b} \|\lambda_0^\top \operatorname{relu}(X w + b)\|,
              \quad \lambda_0 = -\partial L/\partial f \text{ at the best constant}.

    Computed as the exact dual certificate ratio of the empty network at beta = 1; ``random_state``
    and ``certify_options`` (``exhaustive``, ``max_patterns``, ``oracle``, ...) go to
    :func:`ga_relu.certify`. For the hinge loss lambda_0 is not unique (samples on the margin) and
    the certificate's choice of it is used: at or above the value returned the empty network is
    optimal. A value from a search that is not exhaustive is a lower bound (a warning says so).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> y = np.array([0.0, 1.0, 1.0, 3.0])
    >>> round(beta_max(X, y), 6), round(beta_max(X, 10 * y), 6)  # on the scale of y
    (1.5, 15.0)
    """
    from ..certification.certificate import certify
    from ..networks.relu import ReLUNetwork

    problem = Problem(X, y, beta=1.0, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept)
    return _beta_max(problem, certify, ReLUNetwork, random_state, certify_options)


def _beta_max(problem: Problem, certify, network_type, random_state, certify_options) -> float:
    c0 = best_constant(problem)
    outputs = () if problem.y.ndim == 1 else (problem.y.shape[1],)
    empty = network_type(np.zeros((0, problem.d)), np.zeros(0), np.zeros((0, *outputs)), c0)
    certificate = certify(empty, problem.X, problem.y, beta=1.0, penalty=problem.penalty.name, bias=problem.bias,
                          loss=problem.loss.name, fit_intercept=problem.fit_intercept, random_state=random_state,
                          **certify_options)
    value = float(certificate.ratio)  # beta = 1: the ratio is the maximum itself
    if not math.isfinite(value):
        raise InvalidInputError(
            "beta_max is infinite: the targets' best constant is not free here (sum(lambda_0) != 0); pass "
            "fit_intercept=True or an absolute beta")
    if not certificate.exhaustive:
        warnings.warn(f"beta_max = {value:.6g} comes from a search that is not exhaustive ({certificate.method}): "
                      "a lower bound on the true beta_max", BetaMaxLowerBoundWarning, stacklevel=3)
    return value


def resolve_beta(beta, X, y, *, penalty: PenaltyName = "l1", bias: bool = True, loss: LossName = "squared",
                 fit_intercept: bool = True) -> tuple[float, dict]:
    """(beta as a number, what to record): a :class:`RelativeBeta` becomes fraction * beta_max
    (``{"beta_max": ..., "beta_fraction": ...}``); a number is returned as it is (``{}``).

    >>> import numpy as np
    >>> resolve_beta(relative(0.5), np.array([[0.0], [1.0], [2.0], [3.0]]), [0.0, 1.0, 0.0, 1.0])
    (0.5, {'beta_max': 1.0, 'beta_fraction': 0.5})
    >>> resolve_beta(0.3, None, None)
    (0.3, {})
    """
    if not isinstance(beta, RelativeBeta):
        return beta, {}
    value = beta_max(X, y, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept, random_state=0)
    if value <= 0:
        raise InvalidInputError("beta_max is 0: the best constant already fits the targets exactly (lambda_0 = 0), "
                                "so every beta gives the empty network; pass an absolute beta")
    return beta.fraction * value, {"beta_max": value, "beta_fraction": beta.fraction}


# ---------------------------------------------------------------------------------------------
# cross-validation over a geometric grid of fractions of beta_max
# ---------------------------------------------------------------------------------------------


def fraction_grid(n_fractions: int = 20, eps: float = 1e-3) -> np.ndarray:
    """Geometric grid of fractions of beta_max from 1 down to ``eps`` (LassoCV's eps, n_alphas).

    >>> fraction_grid(3, 0.01).tolist()
    [1.0, 0.1, 0.01]
    """
    if not (isinstance(n_fractions, numbers.Integral) and n_fractions >= 1):
        raise InvalidInputError(f"n_fractions must be a positive integer, got {n_fractions!r}")
    if not (isinstance(eps, numbers.Real) and 0 < eps < 1):
        raise InvalidInputError(f"eps must be in (0, 1), got {eps!r}")
    return np.logspace(0.0, math.log10(eps), int(n_fractions))


@dataclasses.dataclass
class BetaCV:
    """The result of :func:`cross_validate_beta`.

    ``betas`` (descending) = ``fractions`` * ``beta_max`` on the whole data; a fold with n_train of
    the n samples is fitted at betas * n_train / n (the per-sample scale of LassoCV's alpha = beta /
    n). ``fold_scores[i, k]`` is the held-out score of grid point i on fold k (mean squared error
    for the squared loss, mean loss per sample for the classification losses), ``cv_scores`` their
    mean over the folds; ``beta``, ``fraction`` the minimizer (the largest beta among ties).
    """

    beta: float
    fraction: float
    beta_max: float
    betas: np.ndarray
    fractions: np.ndarray
    cv_scores: np.ndarray
    fold_scores: np.ndarray
    n_columns: int
    sampled: bool


def _folds(n: int, cv, random_state) -> list[tuple[np.ndarray, np.ndarray]]:
    """``cv`` folds of a shuffled 0..n-1 (``random_state``), or the (train, test) pairs given."""
    if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
        if not 2 <= cv <= n:
            raise InvalidInputError(f"cv must be between 2 and the number of samples {n}, got {cv}")
        order = check_random_state(random_state).permutation(n)
        tests = np.array_split(order, int(cv))
        return [(np.setdiff1d(order, t), np.sort(t)) for t in tests]
    try:
        folds = [(np.asarray(train, dtype=int), np.asarray(test, dtype=int)) for train, test in cv]
    except TypeError:
        raise InvalidInputError(f"cv must be an int >= 2 or an iterable of (train, test) index arrays, got {cv!r}") \
            from None
    if not folds:
        raise InvalidInputError("cv gave no folds")
    return folds


def _held_out_score(loss, f: np.ndarray, y: np.ndarray) -> float:
    if loss.quadratic:  # mean squared error, as LassoCV's mse_path_
        return float(np.mean(np.sum(np.reshape((f - y) ** 2, (len(y), -1)), axis=1)))
    return float(loss.value(f, y)) / len(y)


def cross_validate_beta(X, y, *, fractions=None, n_fractions: int = 20, eps: float = 1e-3, cv=5,
                        penalty: PenaltyName = "l1", bias: bool = True, loss: LossName = "squared",
                        fit_intercept: bool = True, subsets=None, random_state=None,
                        memory_budget: int | None = None) -> BetaCV:
    r"""Pick beta by K-fold cross-validation along the warm-started regularization path.

    One wedge dictionary is built on all of X (the hyperplanes through its samples and basis
    vectors: it uses the inputs of the held-out rows, never their targets) and its feature matrix K
    is computed once. For l1 it contains the vertex dictionary of every training fold, so each
    fold's Lasso

    .. math:: \min_{z,\,c}\; L(K_{\text{train}} z + c, y_{\text{train}}) + \beta_k \|z\|_1

    is problem (P) on that fold, exactly (T1-T3, T5). beta_max is max |K^T lambda_0| on the whole
    data (module docstring; the exact value for l1), the grid is ``fractions`` * beta_max (default
    :func:`fraction_grid` (``n_fractions``, ``eps``)), each fold walks it from the largest beta down
    on one compiled program (the logistic solver warm-started from the previous beta), at
    beta_k = beta * n_train / n, and is scored on its held-out rows. ``cv``: an int (shuffled folds
    seeded by ``random_state``) or an iterable of (train, test) index arrays, e.g. a scikit-learn
    splitter's ``split(X)``.

    Parameters
    ----------
    X, y, penalty, bias, loss, fit_intercept, subsets, random_state, memory_budget
        As in :func:`ga_relu.fit` (``subsets`` samples a dictionary: then an upper bound; the same
        ``random_state`` seeds it and the folds).

    Returns
    -------
    BetaCV

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-1, 1, size=(30, 1)); y = np.abs(X[:, 0]) + 0.05 * rng.normal(size=30)
    >>> found = cross_validate_beta(X, y, n_fractions=8, cv=3, random_state=0)
    >>> found.cv_scores.shape, bool(0 < found.fraction < 1), bool(found.beta == found.fraction * found.beta_max)
    ((8,), True, True)
    """
    from .dictionary import wedge_dictionary
    from .solvers import LassoProgram

    problem = Problem(X, y, beta=1.0, penalty=penalty, bias=bias, loss=loss,
                      fit_intercept=fit_intercept).require_hyperplanes()
    rng = check_random_state(random_state)
    grid = fraction_grid(n_fractions, eps) if fractions is None else np.sort(np.asarray(fractions, float))[::-1]
    if grid.ndim != 1 or grid.size == 0 or not np.all(np.isfinite(grid) & (grid > 0)):
        raise InvalidInputError(f"fractions must be positive finite numbers, got {fractions!r}")
    dictionary = wedge_dictionary(problem.X, penalty=problem.penalty.name, bias=problem.bias, subsets=subsets,
                                  random_state=rng, memory_budget=memory_budget)
    K = dictionary.matrix(problem.X)
    lam0 = problem.loss.dual_vector(np.zeros_like(problem.y) + best_constant(problem), problem.y)
    top = float(group_norms(K.T @ lam0).max(initial=0.0))
    if top <= 0:
        raise InvalidInputError("beta_max is 0: the best constant fits the targets exactly; nothing to select")
    betas = grid * top
    folds = _folds(problem.n, cv, rng)
    scores = np.empty((len(betas), len(folds)))
    for k, (train, test) in enumerate(folds):
        program = LassoProgram(K[train], problem.y[train], loss=problem.loss, fit_intercept=problem.fit_intercept)
        previous = None
        for i, beta in enumerate(betas):
            previous = program.solve(float(beta) * len(train) / problem.n, warm_start=previous)
            f = K[test] @ previous.z + previous.intercept
            scores[i, k] = _held_out_score(problem.loss, f, problem.y[test])
    mean = scores.mean(axis=1)
    best = int(np.argmin(mean))  # the first minimum: the largest beta among ties, as LassoCV
    return BetaCV(beta=float(betas[best]), fraction=float(grid[best]), beta_max=top, betas=betas, fractions=grid,
                  cv_scores=mean, fold_scores=scores, n_columns=dictionary.n_columns, sampled=dictionary.sampled)
