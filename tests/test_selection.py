"""beta_max, beta as a fraction of it, and the cross-validated choice of beta (issue 19, item 3).

Independent computations: beta_max against the exact l1 vertex dictionary of tests/reference.py
(Fraction normals) and against a dense random search for weight decay; the threshold against the
solver itself (empty just above beta_max, not just below); the CV choice against scikit-learn's
LassoCV on the same dictionary, folds and grid.
"""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LassoCV
from sklearn.model_selection import KFold

import ga_relu as gr
from ga_relu.convex.selection import beta_max, cross_validate_beta, fraction_grid, relative
from ga_relu.errors import InvalidInputError

from reference import dense_dual_ratio, l1_vertex_neurons, neuron_columns


def _data(n=12, d=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    return X, np.sin(2 * X[:, 0]) + X[:, -1] ** 2 + 0.1 * rng.normal(size=n)


@pytest.mark.parametrize("d, bias", [(1, True), (2, True), (2, False), (3, True)])
def test_beta_max_equals_the_exact_vertex_dictionary_maximum(d, bias):
    X, y = _data(9, d, seed=d)
    W, B = l1_vertex_neurons(X, bias=bias)
    K, _ = neuron_columns(X, W, B)
    expected = np.max(np.abs(K.T @ (y - y.mean())))
    assert beta_max(X, y, bias=bias) == pytest.approx(expected, rel=1e-10)


def test_beta_max_is_the_threshold_of_the_empty_network_and_scales_with_y():
    X, y = _data(10, 2, seed=3)
    top = beta_max(X, y)
    assert len(gr.fit(X, y, beta=top * 1.001).neurons) == 0
    assert len(gr.fit(X, y, beta=top * 0.99).neurons) >= 1
    assert beta_max(X, 7.0 * y) == pytest.approx(7.0 * top, rel=1e-12)
    assert beta_max(X, y + 100.0) == pytest.approx(top, rel=1e-9)  # the constant is free


def test_beta_max_weight_decay_against_dense_search():
    X, y = _data(8, 2, seed=5)
    lam = y - y.mean()
    top = beta_max(X, y, penalty="l2")
    searched = dense_dual_ratio(X, lam, 1.0, penalty="l2", bias=True)
    assert searched <= top * (1 + 1e-6)  # the search is a lower bound on the exact maximum
    assert searched >= top * (1 - 1e-2)  # ... and a close one
    # the wedge dictionary's neurons are among all neurons: its Lasso is empty above beta_max too
    assert len(gr.fit(X, y, beta=top * 1.01, penalty="l2").neurons) == 0


def test_logistic_beta_max_threshold():
    X, y = _data(12, 2, seed=7)
    labels = np.where(y > np.median(y), 1.0, -1.0)
    top = beta_max(X, labels, loss="logistic")
    assert len(gr.fit(X, labels, beta=top * 1.01, loss="logistic").neurons) == 0
    assert len(gr.fit(X, labels, beta=top * 0.9, loss="logistic").neurons) >= 1


def test_relative_beta_in_fit_records_beta_max():
    X, y = _data(10, 2, seed=1)
    result = gr.fit(X, y, beta=gr.relative(0.2))
    assert result.info["beta_max"] == pytest.approx(beta_max(X, y))
    assert result.beta == pytest.approx(0.2 * result.info["beta_max"])
    direct = gr.fit(X, y, beta=result.beta)
    assert result.objective == pytest.approx(direct.objective, rel=1e-9)
    for bad in (0.0, -1.0, float("nan"), "0.1", True):
        with pytest.raises(InvalidInputError, match="fraction of beta_max"):
            relative(bad)


def test_fraction_grid_and_bad_cv_options():
    np.testing.assert_allclose(fraction_grid(4, 1e-3), [1.0, 0.1, 0.01, 0.001])
    X, y = _data(10, 1)
    with pytest.raises(InvalidInputError, match="cv must be"):
        cross_validate_beta(X, y, cv=1)
    with pytest.raises(InvalidInputError, match="eps"):
        cross_validate_beta(X, y, eps=2.0)


def test_cross_validated_beta_agrees_with_lasso_cv_on_the_same_dictionary():
    rng = np.random.default_rng(11)
    n = 40
    X = rng.uniform(-2, 2, size=(n, 1))
    y = np.abs(X[:, 0]) - 0.5 * np.maximum(X[:, 0] - 1, 0) + 0.2 * rng.normal(size=n)
    folds = list(KFold(5, shuffle=True, random_state=0).split(X))
    grid = fraction_grid(10, 1e-3)
    found = cross_validate_beta(X, y, fractions=grid, cv=folds)
    # the same dictionary, written independently: hyperplanes through the lifted vertices of all of X
    W, B = l1_vertex_neurons(X, bias=True)
    K, _ = neuron_columns(X, W, B)
    alpha_max = np.max(np.abs(K.T @ (y - y.mean()))) / n
    assert found.beta_max == pytest.approx(alpha_max * n, rel=1e-10)
    reference = LassoCV(alphas=grid * alpha_max, cv=folds, fit_intercept=True, tol=1e-10, max_iter=100_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference.fit(K, y)
    # LassoCV's objective (1/(2 n_train)) ||r||^2 + alpha ||z||_1 is ours divided by n_train at
    # beta = alpha n_train: the same held-out errors, the same choice. The errors agree to 1e-8 on
    # the first grid points and to ~0.2% further down, where the dictionary's dependent columns
    # (relu(t) - relu(-t) = t is affine) make z, and so the held-out predictions, non-unique
    np.testing.assert_allclose(found.cv_scores[:3], reference.mse_path_.mean(axis=1)[:3], rtol=1e-8)
    np.testing.assert_allclose(found.cv_scores, reference.mse_path_.mean(axis=1), rtol=1e-2)
    assert found.beta == pytest.approx(reference.alpha_ * n, rel=1e-10)


def test_regressor_cv_picks_the_cv_minimum_and_refits():
    X, y = _data(24, 1, seed=2)
    model = gr.WedgeReLURegressorCV(n_fractions=8, cv=3, random_state=0).fit(X, y)
    again = gr.WedgeReLURegressorCV(n_fractions=8, cv=3, random_state=0).fit(X, y)
    assert model.beta_ == again.beta_  # seeded folds
    assert model.beta_ == model.betas_[int(np.argmin(model.cv_scores_))]
    assert model.beta_ == pytest.approx(model.beta_fraction_ * model.beta_max_)
    direct = gr.fit(X, y, beta=model.beta_)
    np.testing.assert_allclose(model.predict(X), direct.predict(X), rtol=1e-6, atol=1e-8)
    assert model.mse_path_.shape == (8, 3) and model.exact_
