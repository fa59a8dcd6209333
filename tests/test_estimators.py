"""scikit-learn estimators: API conformance, agreement with ga_relu.fit and with (P) recomputed here."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.multiclass import OneVsRestClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

import ga_relu
from ga_relu.interfaces.datasets import load_iris_petals, make_spiral
from ga_relu.errors import InvalidInputError
from ga_relu.interfaces.estimators import (
    DEFAULT_MAX_SUBSETS,
    SampledDictionaryWarning,
    WedgeReLUClassifier,
    WedgeReLURegressor,
)

# scikit-learn's checks fit on data with up to 10 features; the full wedge dictionary has
# C(n + d, d) subsets there (millions). A small subset cap keeps each check to a fraction of a
# second: the checks test the estimator API, which does not depend on the dictionary size.
CHECK_CAP = 300

# Checks that cannot pass, with the reason; none at present (the multi-output check used to stop
# at 'optimal_inaccurate' before LassoProgram solved on unit scale).
EXPECTED_FAILED_CHECKS: dict[str, dict[str, str]] = {"WedgeReLURegressor": {}, "WedgeReLUClassifier": {}}


@parametrize_with_checks(
    [WedgeReLURegressor(beta=1.0, max_subsets=CHECK_CAP, random_state=0),
     WedgeReLUClassifier(beta=1.0, max_subsets=CHECK_CAP, random_state=0)],
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS[type(est).__name__],
)
def test_scikit_learn_checks(estimator, check):
    import warnings

    from ga_relu.interfaces.estimators import SampledDictionaryWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SampledDictionaryWarning)  # the cap samples on purpose
        check(estimator)


def _network_by_hand(net, X):
    """f(x) = sum_j alpha_j relu(w_j . x + b_j) + c, written out here."""
    f = np.full(len(X), float(net.c))
    for w, b, a in zip(net.W, net.b, net.alpha):
        f += a * np.maximum(X @ w + b, 0.0)
    return f


def _objective_by_hand(net, X, y, beta, loss, p):
    f = _network_by_hand(net, X)
    data = {"squared": 0.5 * np.sum((f - y) ** 2), "logistic": np.sum(np.log1p(np.exp(-y * f))),
            "hinge": np.sum(np.maximum(0.0, 1.0 - y * f))}[loss]
    return data + beta / 2 * sum(np.linalg.norm(w, p) ** 2 + a**2 for w, a in zip(net.W, net.alpha))


def test_classifier_iris_petals_accuracy_and_value():
    X, y, _ = load_iris_petals()
    species = np.where(y > 0, "virginica", "versicolor")
    clf = WedgeReLUClassifier(beta=1.0).fit(X, species)
    assert list(clf.classes_) == ["versicolor", "virginica"]
    assert clf.score(X, species) >= 0.9
    assert clf.exact_ and not clf.fit_result_.dictionary.sampled  # 5,151 subsets: under the cap
    # the value of (P), recomputed from the weights with y = +1 for classes_[1]
    assert clf.objective_ == pytest.approx(_objective_by_hand(clf.network_, X, y, 1.0, "logistic", 1), rel=1e-6)
    f = clf.decision_function(X)
    np.testing.assert_allclose(f, _network_by_hand(clf.network_, X), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(clf.predict(X), np.where(f > 0, "virginica", "versicolor"))
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba[:, 1], 1.0 / (1.0 + np.exp(-f)), rtol=1e-12)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(proba), atol=1e-12)
    # every neuron's hyperplane passes through its defining samples
    for nr in clf.neurons_:
        np.testing.assert_allclose(X[list(nr.samples)] @ nr.weight + nr.bias, 0.0, atol=1e-9)


def test_hinge_classifier_has_no_probabilities_and_agrees_with_fit():
    X, y = make_spiral(16, turns=0.75)
    labels = np.where(y > 0, 7, 3)  # classes_ = [3, 7]: 7 is +1
    clf = WedgeReLUClassifier(beta=0.5, loss="hinge").fit(X, labels)
    assert not hasattr(clf, "predict_proba")
    direct = ga_relu.fit(X, np.where(labels == 7, 1.0, -1.0), beta=0.5, loss="hinge")
    np.testing.assert_allclose(clf.decision_function(X), direct.predict(X), atol=1e-6)
    assert clf.objective_ == pytest.approx(direct.objective, rel=1e-6)


def test_regressor_equals_fit_and_recomputed_objective():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(14, 2))
    y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2
    reg = WedgeReLURegressor(beta=0.05, penalty="l2").fit(X, y)
    direct = ga_relu.fit(X, y, beta=0.05, penalty="l2")
    X_new = rng.normal(size=(9, 2))
    np.testing.assert_allclose(reg.predict(X_new), direct.predict(X_new), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(reg.predict(X_new), _network_by_hand(reg.network_, X_new), rtol=1e-12, atol=1e-12)
    assert reg.objective_ == pytest.approx(_objective_by_hand(reg.network_, X, y, 0.05, "squared", 2), rel=1e-9)
    assert reg.objective_ == pytest.approx(direct.objective, rel=1e-6)
    assert not reg.exact_  # weight decay with the wedge dictionary: an upper bound (T4)
    residual = y - reg.predict(X)
    assert reg.score(X, y) == pytest.approx(1 - residual @ residual / np.sum((y - y.mean()) ** 2))


def test_regressor_several_outputs():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(12, 2))
    Y = np.column_stack([X[:, 0] ** 2, np.abs(X[:, 1])])
    reg = WedgeReLURegressor(beta=0.1).fit(X, Y)
    assert reg.predict(X).shape == (12, 2)
    assert reg.fit_result_.case.theorem == "T5"


def test_subset_cap_samples_seeded_upper_bound():
    X, y = make_spiral(30, noise=0.05, random_state=0)  # C(32, 2) = 496 subsets
    small = dict(beta=0.1, max_subsets=100)
    with pytest.warns(SampledDictionaryWarning, match="upper bound"):
        a = WedgeReLURegressor(random_state=5, **small).fit(X, y)
    assert "sampled dictionary" in repr(a) and "sampled" not in repr(WedgeReLURegressor(**small))
    with pytest.warns(SampledDictionaryWarning):
        b = WedgeReLURegressor(random_state=5, **small).fit(X, y)
    assert a.fit_result_.dictionary.sampled and not a.exact_
    assert a.fit_result_.dictionary.n_candidates == 100
    np.testing.assert_array_equal(a.fit_result_.dictionary.subsets, b.fit_result_.dictionary.subsets)
    assert a.objective_ == b.objective_
    full = WedgeReLURegressor(beta=0.1, max_subsets=None).fit(X, y)
    assert full.exact_ and full.fit_result_.dictionary.n_candidates == 496
    # the sampled dictionary is a sub-dictionary: its value cannot be below the exact optimum
    assert a.objective_ >= full.objective_ * (1 - 1e-7)
    assert DEFAULT_MAX_SUBSETS is None  # by default never sampled


def test_get_set_params_and_clone():
    clf = WedgeReLUClassifier(beta=0.3, loss="hinge", penalty="l2", random_state=4)
    params = clf.get_params()
    assert params["beta"] == 0.3 and params["loss"] == "hinge" and params["penalty"] == "l2"
    assert set(params) == {"beta", "beta_fraction", "penalty", "bias", "loss", "fit_intercept", "subsets", "max_subsets",
                           "random_state", "method"}
    assert clf.set_params(beta=2.0) is clf and clf.beta == 2.0
    X, y, _ = load_iris_petals()
    fitted = WedgeReLUClassifier(beta=2.0, max_subsets=200, random_state=0).fit(X[::4], y[::4])
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params()
    assert not hasattr(copy, "fit_result_")
    with pytest.raises(TypeError):
        WedgeReLURegressor(0.5)  # keyword-only


@pytest.mark.parametrize(
    "estimator, match",
    [
        (WedgeReLURegressor(beta=0.0), "beta must be positive"),
        (WedgeReLURegressor(beta=-1.0), "beta must be positive"),
        (WedgeReLURegressor(penalty="l3"), "unknown penalty"),
        (WedgeReLURegressor(loss="logistic"), "use WedgeReLUClassifier"),
        (WedgeReLURegressor(loss="absolute"), "unknown loss"),
        (WedgeReLURegressor(method="magic"), "unknown method"),
        (WedgeReLURegressor(bias="yes"), "bias must be True or False"),
        (WedgeReLURegressor(subsets=0), "subsets must be"),
        (WedgeReLURegressor(max_subsets=-3), "max_subsets must be"),
        (WedgeReLUClassifier(loss="squared"), "unknown loss"),
    ],
)
def test_bad_parameters(estimator, match):
    X, y, _ = load_iris_petals()
    with pytest.raises(InvalidInputError, match=match):
        estimator.fit(X[::10], y[::10])


def test_more_than_two_classes_names_the_fix():
    from sklearn.datasets import load_iris

    iris = load_iris()
    X, y = iris.data[:, 2:4], iris.target
    with pytest.raises(InvalidInputError, match="OneVsRestClassifier"):
        WedgeReLUClassifier().fit(X, y)
    # hinge: setosa vs rest is separable, where Clarabel stops at 'optimal_inaccurate' for the logistic loss
    ovr = OneVsRestClassifier(WedgeReLUClassifier(beta=1.0, loss="hinge", max_subsets=300, random_state=0)).fit(X, y)
    assert ovr.score(X, y) >= 0.9


def test_nan_and_shape_errors():
    X, y, _ = load_iris_petals()
    bad = X[::10].copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        WedgeReLURegressor().fit(bad, y[::10])
    reg = WedgeReLURegressor(max_subsets=100, random_state=0).fit(X[::10], y[::10])
    with pytest.raises(ValueError, match="features"):
        reg.predict(np.ones((3, 3)))


def test_above_ten_thousand_subsets_the_default_stays_exact():
    """n = 150 in 2-D: C(152, 2) = 11,476 subsets, where the estimators used to sample silently."""
    import warnings

    rng = np.random.default_rng(4)
    X = rng.normal(size=(150, 2))
    y = np.abs(X[:, 0]) + 0.1 * rng.normal(size=150)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SampledDictionaryWarning)
        reg = WedgeReLURegressor(beta=5.0).fit(X, y)
    assert reg.exact_ and not reg.sampled_ and not reg.fit_result_.dictionary.sampled
    assert reg.fit_result_.dictionary.n_candidates == 11476 or reg.fit_result_.method != "wedge"
    assert "sampled" not in repr(reg)


def test_default_beta_is_a_fraction_of_beta_max():
    X, y = make_spiral(20, noise=0.05, random_state=0)
    reg = WedgeReLURegressor().fit(X, y)
    top = ga_relu.beta_max(X, y)
    assert reg.beta_ == pytest.approx(0.01 * top) and reg.fit_result_.info["beta_max"] == pytest.approx(top)
    # on the scale of y: scaling y scales beta with it, and the network's predictions
    scaled = WedgeReLURegressor().fit(X, 1000.0 * y)
    assert scaled.beta_ == pytest.approx(1000.0 * reg.beta_, rel=1e-9)
    np.testing.assert_allclose(scaled.predict(X), 1000.0 * reg.predict(X), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("call", [
    lambda X, y: ga_relu.fit(X, y, beta=0.1, penalti="l2"),
    lambda X, y: ga_relu.fit(X, y, beta=0.1, los="hinge"),
    lambda X, y: ga_relu.path(X, y, [0.1], penalti="l2"),
    lambda X, y: ga_relu.certify(ga_relu.fit(X, y, beta=0.1).network, X, y, beta=0.1, los="hinge"),
    lambda X, y: ga_relu.fit(X, y, beta=0.1).certificate(penalti="l2"),
    lambda X, y: WedgeReLURegressor(penalti="l2"),
    lambda X, y: WedgeReLURegressor().set_params(los="hinge"),
])
def test_unknown_keywords_are_rejected(call):
    X, y = make_spiral(8, noise=0.0)
    with pytest.raises((InvalidInputError, TypeError, ValueError), match="penalti|los"):
        call(X, y)


def test_seeded_fit_certifies_reproducibly():
    """The random certificate search (exhaustive=False: weight decay in 4-D) follows the fit's seed."""
    rng = np.random.default_rng(2)
    X = rng.normal(size=(14, 4))
    y = X[:, 0] ** 2 - X[:, 1]
    ratios = []
    for _ in range(2):
        result = ga_relu.fit(X, y, beta=0.5, penalty="l2", random_state=7)
        ratios.append(result.certificate(exhaustive=False, n_random=200).ratio)
    other = ga_relu.fit(X, y, beta=0.5, penalty="l2", random_state=8).certificate(exhaustive=False, n_random=200)
    assert ratios[0] == ratios[1]
    assert other.ratio != ratios[0]  # the seed does reach the search
