"""scikit-learn estimators around :func:`ga_relu.fit`.

Both estimators train the two-layer ReLU network f(x) = sum_j alpha_j relu(w_j . x + b_j) + c of
problem (P) (docs/theory/problem.md),

    minimize  L(f(X), y) + (beta / 2) sum_j (||w_j||_p^2 + alpha_j^2),

by the convex Lasso over wedge-product features: each learned neuron is the hyperplane through a
subset of training samples (and basis vectors for the l1 penalty). With ``penalty="l1"`` and the
full dictionary the value is the exact optimum of (P) (T1-T3, T5); weight decay (``"l2"``) and
sampled dictionaries give an upper bound. ``fit_result_.case`` says which, ``fit_result_.neurons``
names the samples behind each neuron.

beta on the data's scale. By default (``beta=None``) beta is ``beta_fraction`` (0.01) times
beta_max, the smallest beta at which the optimal network is empty (:func:`ga_relu.beta_max`,
computed exactly from the data); ``fit_result_.info["beta_max"]`` keeps it and ``beta_`` the
beta used. A number for ``beta`` is used as it is. :class:`WedgeReLURegressorCV` chooses the
fraction by cross-validation (like scikit-learn's LassoCV).

Dictionary size. With ``subsets=None`` and ``max_subsets=None`` (the defaults) the fit is over the
full dictionary with ``method="auto"``: the full wedge Lasso when it fits the memory budget, else
column generation, which prices every subset and is certified over the full dictionary, so
``exact_`` stays what the theorem says. Sampling (``subsets=K``, or ``max_subsets=M`` when the
full enumeration is larger than M) gives an upper bound; it is announced by a
:class:`SampledDictionaryWarning` and shown in the fitted estimator's repr.
"""

from __future__ import annotations

import numbers
import warnings
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
from ..convex.selection import DEFAULT_BETA_FRACTION, RelativeBeta
from ..errors import InvalidInputError
from ..validation import check_beta, check_choice, check_random_state

__all__ = ["WedgeReLURegressor", "WedgeReLUClassifier", "WedgeReLURegressorCV", "DEFAULT_MAX_SUBSETS",
           "SampledDictionaryWarning"]

#: default cap on the number of vertex subsets enumerated before sampling: none (module docstring)
DEFAULT_MAX_SUBSETS = None


class SampledDictionaryWarning(UserWarning):
    """The estimator fitted a sampled dictionary: its value is an upper bound on the optimum of (P)."""


class _WedgeReLUBase(BaseEstimator):
    """Shared parameters, validation and fitting; subclasses set the loss and the targets."""

    _losses: tuple[str, ...] = ()

    def __init__(self, *, beta=None, beta_fraction=DEFAULT_BETA_FRACTION, penalty="l1", bias=True, loss=None,
                 fit_intercept=True, subsets=None, max_subsets=DEFAULT_MAX_SUBSETS, random_state=None, method="auto"):
        self.beta = beta
        self.beta_fraction = beta_fraction
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
        beta = RelativeBeta(self.beta_fraction) if self.beta is None else check_beta(self.beta)
        return dict(beta=beta, penalty=get_penalty(self.penalty).name, bias=bool(self.bias),
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
        self.beta_ = result.beta
        self.sampled_ = bool(result.dictionary.sampled)
        if self.sampled_:
            warnings.warn(
                f"{type(self).__name__} fitted a sampled dictionary ({result.dictionary.n_candidates:,} random subsets): "
                "its value is an upper bound on the optimum of (P), exact_ is False; pass subsets=None and "
                "max_subsets=None for the certified full-dictionary fit", SampledDictionaryWarning, stacklevel=3)
        return self

    def __repr__(self, N_CHAR_MAX=700):
        text = super().__repr__(N_CHAR_MAX=N_CHAR_MAX)
        if getattr(self, "sampled_", False):
            text += "  # fitted on a sampled dictionary: an upper bound, not the optimum of (P)"
        return text

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
    beta : float or None
        Regularization strength of (P), > 0; None (default): ``beta_fraction`` * beta_max.
    beta_fraction : float
        beta as a fraction of beta_max, the smallest beta at which the optimal network is empty
        (used when ``beta`` is None; default 0.01). Fractions near 1 give few neurons, small ones
        interpolate; :class:`WedgeReLURegressorCV` picks it by cross-validation.
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
        dictionary has more (an upper bound, with a SampledDictionaryWarning). None (default):
        always the full dictionary (column generation when it does not fit in memory).
    random_state : None, int or numpy Generator
        Seed for sampled subsets and for the certificate's random search.
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
    beta_ : float
        The beta used (``beta_fraction`` * beta_max when ``beta`` is None).
    exact_ : bool
        Whether the theorem covering the case makes it the optimum of (P) (False on a sampled
        dictionary).
    sampled_ : bool
        Whether the dictionary was sampled (an upper bound; also shown in the repr).
    n_features_in_, feature_names_in_
        As in scikit-learn.

    Examples
    --------
    >>> model = WedgeReLURegressor(beta=0.1).fit([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0])
    >>> model.predict([[1.0]]).shape, model.exact_
    ((1,), True)
    """

    _losses = ("squared",)

    def __init__(self, *, beta: float | None = None, beta_fraction: float = DEFAULT_BETA_FRACTION,
                 penalty: PenaltyName = "l1", bias: bool = True,
                 loss: Literal["squared"] = "squared", fit_intercept: bool = True, subsets=None,
                 max_subsets: int | None = DEFAULT_MAX_SUBSETS, random_state=None, method: MethodName = "auto"):
        super().__init__(beta=beta, beta_fraction=beta_fraction, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept,
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

    def __init__(self, *, beta: float | None = None, beta_fraction: float = DEFAULT_BETA_FRACTION,
                 penalty: PenaltyName = "l1", bias: bool = True,
                 loss: Literal["logistic", "hinge"] = "logistic", fit_intercept: bool = True, subsets=None,
                 max_subsets: int | None = DEFAULT_MAX_SUBSETS, random_state=None, method: MethodName = "auto"):
        super().__init__(beta=beta, beta_fraction=beta_fraction, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept,
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


class WedgeReLURegressorCV(WedgeReLURegressor):
    r"""WedgeReLURegressor whose beta is chosen by K-fold cross-validation, like scikit-learn's LassoCV.

    :func:`ga_relu.cross_validate_beta` walks the warm-started path over the geometric grid
    ``fractions`` (default ``n_fractions`` points from 1 down to ``eps``) times beta_max on one
    wedge dictionary of all of X, scores each fold's held-out rows (mean squared error), and the
    network is refitted on all the data at the best beta (``beta_``, ``beta_fraction_``), with the
    certified full-dictionary fit (``method``).

    Parameters
    ----------
    fractions : array_like or None
        The grid of fractions of beta_max; None: ``fraction_grid(n_fractions, eps)``.
    n_fractions, eps : int, float
        Size and smallest fraction of the default grid.
    cv : int or iterable of (train, test)
        Folds: an int (shuffled, seeded by ``random_state``) or index pairs (a splitter's split(X)).
    penalty, bias, fit_intercept, subsets, random_state, method
        As in :class:`WedgeReLURegressor`.

    Attributes
    ----------
    beta_, beta_fraction_, beta_max_ : float
        The chosen beta, its fraction of beta_max, and beta_max.
    betas_, fractions_ : ndarray
        The grid (descending).
    cv_scores_ : ndarray, shape (n_fractions,)
        Mean held-out squared error per grid point; ``mse_path_`` (n_fractions, n_folds) per fold.
    cv_result_ : BetaCV
    and the attributes of :class:`WedgeReLURegressor` for the refitted network.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-1, 1, size=(30, 1)); y = np.abs(X[:, 0]) + 0.05 * rng.normal(size=30)
    >>> model = WedgeReLURegressorCV(n_fractions=6, cv=3, random_state=0).fit(X, y)
    >>> model.cv_scores_.shape, bool(model.beta_ == model.betas_[np.argmin(model.cv_scores_)])
    ((6,), True)
    """

    def __init__(self, *, fractions=None, n_fractions: int = 20, eps: float = 1e-3, cv=5, penalty: PenaltyName = "l1",
                 bias: bool = True, loss: Literal["squared"] = "squared", fit_intercept: bool = True, subsets=None,
                 random_state=None, method: MethodName = "auto"):
        super().__init__(beta=None, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept,
                         subsets=subsets, max_subsets=None, random_state=random_state, method=method)
        self.fractions = fractions
        self.n_fractions = n_fractions
        self.eps = eps
        self.cv = cv

    def fit(self, X, y):
        """Cross-validate beta on (X, y), then refit at the chosen beta; returns self."""
        from ..convex.selection import cross_validate_beta

        X, y = validate_data(self, X, y, multi_output=True, y_numeric=True, dtype=np.float64)
        params = self._validated_params()
        rng = check_random_state(self.random_state)
        found = cross_validate_beta(X, y, fractions=self.fractions, n_fractions=self.n_fractions, eps=self.eps,
                                    cv=self.cv, penalty=params["penalty"], bias=params["bias"], loss=params["loss"],
                                    fit_intercept=params["fit_intercept"], subsets=params["subsets"],
                                    random_state=rng)
        self.cv_result_ = found
        self.betas_, self.fractions_ = found.betas, found.fractions
        self.cv_scores_, self.mse_path_ = found.cv_scores, found.fold_scores
        self.beta_max_, self.beta_fraction_ = found.beta_max, found.fraction
        params.update(beta=found.beta, random_state=rng)
        if params["subsets"] is not None:
            params["method"] = "wedge"
        result = _fit(X, y, **params)
        self.fit_result_, self.network_, self.neurons_ = result, result.network, result.neurons
        self.objective_, self.exact_, self.beta_ = result.objective, result.case.exact, result.beta
        self.sampled_ = bool(result.dictionary.sampled)
        if self.sampled_:
            warnings.warn("WedgeReLURegressorCV fitted a sampled dictionary: an upper bound on the optimum of (P)",
                          SampledDictionaryWarning, stacklevel=2)
        return self
