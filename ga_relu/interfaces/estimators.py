"""scikit-learn estimators around :func:`ga_relu.fit`.

Both estimators train the two-layer ReLU network f(x) = sum_j alpha_j relu(w_j . x + b_j) + c of
problem (P) (theory.md section 2),

    minimize  L(f(X), y) + (beta / 2) sum_j (||w_j||_p^2 + alpha_j^2),

by the convex Lasso over wedge-product features: each learned neuron is the hyperplane through a
subset of training samples (and basis vectors for the l1 penalty). With ``penalty="l1"`` and the
full dictionary the value is the exact optimum of (P) (T1-T3, T5); weight decay (``"l2"``) and
sampled dictionaries give an upper bound. ``fit_result_.case`` says which, ``fit_result_.neurons``
names the samples behind each neuron.

Dictionary size. The full dictionary enumerates C(n + d, d) vertex subsets (l1 with bias), which
grows like n^d. With ``method="auto"`` and ``subsets=None`` the estimators therefore sample
``max_subsets`` subsets (seeded by ``random_state``: the randomized method of Wang et al., an upper
bound) whenever the full enumeration is larger than that; set ``max_subsets=None`` to always use
the full dictionary (or column generation when it does not fit in memory: see :func:`ga_relu.fit`).
"""

from __future__ import annotations

import numbers
from typing import Literal

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ..convex.fitting import MethodName, method_names
from ..convex.fitting import fit as _fit
from ..convex.losses import LOSSES, LogisticLoss, get_loss
from ..convex.penalties import PenaltyName, get_penalty
from ..errors import InvalidInputError
from ..validation import check_beta, check_choice, check_random_state

__all__ = ["WedgeReLURegressor", "WedgeReLUClassifier", "DEFAULT_MAX_SUBSETS"]

#: default cap on the number of vertex subsets enumerated before sampling (see module docstring)
DEFAULT_MAX_SUBSETS = 10000



class _WedgeReLUBase(BaseEstimator):
    """Shared parameters, validation and fitting; subclasses set the loss and the targets."""

    _losses: tuple[str, ...] = ()

    def __init__(self, *, beta=1.0, penalty="l1", bias=True, loss=None, fit_intercept=True, subsets=None,
                 max_subsets=DEFAULT_MAX_SUBSETS, random_state=None, method="auto"):
        self.beta = beta
        self.penalty = penalty
        self.bias = bias
        self.loss = loss
        self.fit_intercept = fit_intercept
        self.subsets = subsets
        self.max_subsets = max_subsets
        self.random_state = random_state
        self.method = method

    # -- parameter validation: one place, through ga_relu.validation ---------------------------

    def _validated_params(self) -> dict:
        """The keyword arguments for ga_relu.fit, checked (errors name the parameter and the fix)."""
        loss = check_choice(self.loss, self._losses, f"loss for {type(self).__name__}")
        for name in ("bias", "fit_intercept"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise InvalidInputError(f"{name} must be True or False, got {getattr(self, name)!r}")
        subsets = self.subsets
        if subsets is not None and not _is_positive_int(subsets) and np.ndim(subsets) != 2:
            raise InvalidInputError(
                f"subsets must be None (full dictionary), a positive int (number of random subsets) or an "
                f"(m, k) array of vertex indices, got {subsets!r}"
            )
        if self.max_subsets is not None and not _is_positive_int(self.max_subsets):
            raise InvalidInputError(f"max_subsets must be None or a positive int, got {self.max_subsets!r}")
        return dict(beta=check_beta(self.beta), penalty=get_penalty(self.penalty).name, bias=bool(self.bias),
                    loss=loss, fit_intercept=bool(self.fit_intercept), subsets=subsets,
                    random_state=self.random_state, method=check_choice(self.method, method_names(), "method"))

    def _fit_targets(self, X, y):
        """Validate, run ga_relu.fit on (X, targets), store the learned attributes."""
        params = self._validated_params()
        params["random_state"] = check_random_state(params["random_state"])  # one stream for the whole fit
        if params["subsets"] is None and params["method"] == "auto" and self.max_subsets is not None:
            from ..convex.dictionary import n_candidate_subsets

            total = n_candidate_subsets(X.shape[0], X.shape[1], params["penalty"], params["bias"])
            if total > self.max_subsets:  # sampled: an upper bound, reported in fit_result_.case
                params["subsets"] = int(self.max_subsets)
        result = _fit(X, y, **params)
        self.fit_result_ = result
        self.network_ = result.network
        self.neurons_ = result.neurons
        self.objective_ = result.objective
        self.exact_ = result.case.exact
        return self

    def _decision(self, X) -> np.ndarray:
        check_is_fitted(self, "fit_result_")
        X = validate_data(self, X, reset=False)
        return self.network_(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags


def _is_positive_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 1


class WedgeReLURegressor(RegressorMixin, _WedgeReLUBase):
    r"""Two-layer ReLU regression trained by the convex wedge-product Lasso (squared loss).

    Minimizes problem (P) with :math:`L = \tfrac12 \|f(X) - y\|^2`: equivalently the Lasso

    .. math:: \min_{z, c}\; \tfrac12 \|K z + c - y\|^2 + \beta \|z\|_1

    whose columns are :math:`\operatorname{relu}(\pm(X w_S + b_S))` for the hyperplanes through
    vertex subsets S, normalized to :math:`\|w_S\|_p = 1`. Several target columns give the group
    Lasso of T5 (one network with vector output weights).

    Parameters
    ----------
    beta : float
        Regularization strength of (P), > 0.
    penalty : {"l1", "l2"}
        "l1" (exact, T1/T2) or "l2" (weight decay: wedge dictionary, an upper bound, T4).
    bias : bool
        Hidden biases (hyperplanes need not pass through the origin).
    loss : {"squared"}
        The only regression loss; use WedgeReLUClassifier for logistic/hinge.
    fit_intercept : bool
        A free (unpenalized) output offset c.
    subsets : None, int or (m, k) array
        As in :func:`ga_relu.fit`.
    max_subsets : int or None
        With ``subsets=None`` and ``method="auto"``, sample this many subsets when the full
        dictionary has more (an upper bound). None: always the full dictionary.
    random_state : None, int or numpy Generator
        Seed for sampled subsets.
    method : {"auto", "wedge", "colgen", "exact"}
        See :func:`ga_relu.fit`.

    Attributes
    ----------
    fit_result_ : FitResult
        Network, objective, neurons, case, dual, timings.
    network_ : ReLUNetwork
    neurons_ : list of Neuron
        Defining samples and weights of each neuron.
    objective_ : float
        Value of (P) reached.
    exact_ : bool
        Whether it is the proven optimum.
    n_features_in_, feature_names_in_
        As in scikit-learn.

    Examples
    --------
    >>> model = WedgeReLURegressor(beta=0.1).fit([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0])
    >>> model.predict([[1.0]]).shape, model.exact_
    ((1,), True)
    """

    _losses = ("squared",)

    def __init__(self, *, beta: float = 1.0, penalty: PenaltyName = "l1", bias: bool = True,
                 loss: Literal["squared"] = "squared", fit_intercept: bool = True, subsets=None,
                 max_subsets: int | None = DEFAULT_MAX_SUBSETS, random_state=None, method: MethodName = "auto"):
        super().__init__(beta=beta, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept,
                         subsets=subsets, max_subsets=max_subsets, random_state=random_state, method=method)

    def fit(self, X, y):
        """Fit on X (n, d) and y (n,) or (n, c); returns self."""
        if isinstance(self.loss, str) and self.loss in LOSSES and LOSSES[self.loss].classification:
            raise InvalidInputError(
                f"loss={self.loss!r} is a classification loss; use WedgeReLUClassifier(loss={self.loss!r})"
            )
        X, y = validate_data(self, X, y, multi_output=True, y_numeric=True, dtype=np.float64)
        return self._fit_targets(X, y)

    def predict(self, X) -> np.ndarray:
        r""":math:`f(X) = \operatorname{relu}(X W^T + b)\, \alpha + c`."""
        return self._decision(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags


class WedgeReLUClassifier(ClassifierMixin, _WedgeReLUBase):
    r"""Binary two-layer ReLU classifier trained by the convex wedge-product Lasso.

    The two classes (``classes_``, sorted) are mapped to y = -1 and y = +1 and problem (P) is
    solved with the logistic loss :math:`\sum \log(1 + e^{-y f})` or the hinge loss
    :math:`\sum \max(0, 1 - y f)`. ``decision_function`` is f(x); ``predict`` returns
    ``classes_[1]`` where f(x) > 0; ``predict_proba`` (logistic loss only) is (1 - s, s) with
    :math:`s = 1 / (1 + e^{-f(x)})`. More than two classes: wrap it, e.g.
    ``sklearn.multiclass.OneVsRestClassifier(WedgeReLUClassifier())``.

    Parameters and attributes as :class:`WedgeReLURegressor`, with ``loss`` "logistic" (default)
    or "hinge", and ``classes_`` (the two labels, the second one is +1).

    Examples
    --------
    >>> X = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 2.0]]
    >>> model = WedgeReLUClassifier(beta=0.5).fit(X, ["a", "b", "b", "a", "a"])
    >>> model.classes_.tolist(), model.predict_proba(X).shape
    (['a', 'b'], (5, 2))
    """

    _losses = tuple(name for name, loss in LOSSES.items() if loss.classification)

    def __init__(self, *, beta: float = 1.0, penalty: PenaltyName = "l1", bias: bool = True,
                 loss: Literal["logistic", "hinge"] = "logistic", fit_intercept: bool = True, subsets=None,
                 max_subsets: int | None = DEFAULT_MAX_SUBSETS, random_state=None, method: MethodName = "auto"):
        super().__init__(beta=beta, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept,
                         subsets=subsets, max_subsets=max_subsets, random_state=random_state, method=method)

    def fit(self, X, y):
        """Fit on X (n, d) and two-class labels y (n,); returns self."""
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        classes = np.unique(y)
        if len(classes) != 2:
            what = "only 1 class" if len(classes) == 1 else f"{len(classes)} classes"
            raise InvalidInputError(
                f"Only binary classification is supported. WedgeReLUClassifier got {what} "
                f"({classes[:5].tolist()}) and needs exactly 2; for more classes wrap it: "
                "sklearn.multiclass.OneVsRestClassifier(WedgeReLUClassifier(...))"
            )
        self.classes_ = classes
        signed = np.where(y == classes[1], 1.0, -1.0)
        return self._fit_targets(X, signed)

    def decision_function(self, X) -> np.ndarray:
        """f(x): positive values predict classes_[1]."""
        return self._decision(X)

    def predict(self, X) -> np.ndarray:
        """``classes_[1]`` where f(x) > 0, else ``classes_[0]``."""
        positive = self.decision_function(X) > 0  # checks fitted before reading classes_
        return self.classes_[positive.astype(int)]

    def _is_logistic(self) -> bool:
        return isinstance(get_loss(self.loss), LogisticLoss)

    @available_if(_is_logistic)
    def predict_proba(self, X) -> np.ndarray:
        """(P(classes_[0]), P(classes_[1])) = (1 - s, s), s = 1 / (1 + exp(-f(x))) (logistic loss only)."""
        f = self.decision_function(X)
        positive = np.exp(-np.logaddexp(0.0, -f))  # stable sigmoid
        return np.column_stack([1.0 - positive, positive])

    @available_if(_is_logistic)
    def predict_log_proba(self, X) -> np.ndarray:
        """log of :meth:`predict_proba`, computed stably: (-log(1 + e^f), -log(1 + e^-f))."""
        f = self.decision_function(X)
        return np.column_stack([-np.logaddexp(0.0, f), -np.logaddexp(0.0, -f)])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags
