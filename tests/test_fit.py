"""ga_relu.fit and ga_relu.path against independent computations (issue 3)."""

import numpy as np
import pytest
from reference import dense_dual_ratio

import ga_relu
from ga_relu.errors import DegenerateDataError, DictionaryTooLargeError, InvalidInputError


def regression_data(n, d, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = np.sin(2 * X[:, 0]) + 0.5 * X[:, -1] ** 2 + 0.1 * rng.normal(size=n)
    return X, y


@pytest.mark.parametrize("d, bias, seed", [(2, True, 0), (2, False, 1), (3, True, 2), (3, False, 3)])
def test_l1_fit_is_dual_feasible_under_dense_search(d, bias, seed):
    """T1/T2: no random unit neuron beats the optimum (ratio <= 1 + 1e-4)."""
    X, y = regression_data(10, d, seed)
    beta = 0.05
    result = ga_relu.fit(X, y, beta=beta, penalty="l1", bias=bias)
    assert result.case.exact and result.case.theorem == ("T2" if bias else "T1")
    lam = y - result.predict(X)  # recomputed from the network, not taken from the fit
    assert abs(lam.sum()) < 1e-6  # free intercept
    ratio = dense_dual_ratio(X, lam, beta, penalty="l1", bias=bias, n_dirs=20000, seed=seed)
    assert ratio <= 1 + 1e-4
    # the active neurons attain the bound (complementary slackness): the search is not vacuous
    for neuron in result.neurons:
        act = np.maximum(X @ neuron.unit_weight + neuron.unit_bias, 0)
        assert abs(lam @ act) / beta == pytest.approx(1.0, abs=1e-4)


def test_dense_search_detects_a_suboptimal_dictionary():
    """Samples-only l1 dictionaries are not exact (docs/theory/exact_cases.md, T1): the search must see ratio > 1."""
    worst = 0.0
    for seed in range(6):
        X, y = regression_data(8, 3, seed)
        n = len(X)
        sample_only = np.array([[i, j, k] for i in range(n) for j in range(i + 1, n) for k in range(j + 1, n)])
        result = ga_relu.fit(X, y, beta=0.05, penalty="l1", bias=True, subsets=sample_only)
        assert not result.exact  # a chosen subset list is reported as an upper bound
        worst = max(worst, dense_dual_ratio(X, y - result.predict(X), 0.05, penalty="l1", bias=True, n_dirs=4000))
    assert worst > 1.01


def test_network_objective_equals_convex_value():
    X, y = regression_data(12, 2, 5)
    for penalty in ("l1", "l2"):
        result = ga_relu.fit(X, y, beta=0.1, penalty=penalty)
        recomputed = result.network.objective(X, y, 0.1, penalty, "squared")
        assert recomputed == pytest.approx(result.lasso_objective, rel=1e-6)
        assert recomputed == pytest.approx(result.objective, rel=1e-12)
        # and (P) written out by hand from the arrays
        net = result.network
        f = np.maximum(X @ net.W.T + net.b, 0) @ net.alpha + net.c
        p = 1 if penalty == "l1" else 2
        reg = 0.5 * 0.1 * sum(np.linalg.norm(w, p) ** 2 + a**2 for w, a in zip(net.W, net.alpha))
        assert 0.5 * np.sum((f - y) ** 2) + reg == pytest.approx(result.objective, rel=1e-9)


def test_one_dimension_breakpoints_at_samples_and_closed_form():
    """T3: every neuron's breakpoint is a training point; for large beta the zero network is optimal."""
    rng = np.random.default_rng(7)
    x = np.sort(rng.uniform(-2, 2, 9))
    y = np.abs(x) + 0.1 * rng.normal(size=9)
    result = ga_relu.fit(x, y, beta=0.02)
    assert result.case.theorem == "T3" and result.exact
    for neuron in result.neurons:
        breakpoint = -neuron.bias / neuron.weight[0]
        assert np.min(np.abs(x - breakpoint)) < 1e-9
        assert breakpoint == pytest.approx(x[neuron.samples[0]])
    lam = y - result.predict(x[:, None])
    assert dense_dual_ratio(x[:, None], lam, 0.02, penalty="l1", bias=True, n_dirs=10) <= 1 + 1e-4
    # beta above the largest |lambda_0 . relu(+-(x - x_k))| with lambda_0 = y - mean(y): f = mean(y)
    lam0 = y - y.mean()
    feats = np.concatenate([np.maximum(x[:, None] - x[None, :], 0), np.maximum(x[None, :] - x[:, None], 0)], 1)
    beta_max = np.abs(lam0 @ feats).max()
    big = ga_relu.fit(x, y, beta=1.01 * beta_max)
    assert big.objective == pytest.approx(0.5 * np.sum(lam0**2), rel=1e-7)
    assert len(big.neurons) == 0


def test_l2_wedge_value_is_an_upper_bound_that_denser_dictionaries_improve():
    X, y = regression_data(12, 2, 8)
    full = ga_relu.fit(X, y, beta=0.1, penalty="l2")
    assert full.case.theorem == "T4" and not full.exact and full.case.bound == "upper bound"
    sampled = ga_relu.fit(X, y, beta=0.1, penalty="l2", subsets=20, random_state=0)
    assert sampled.objective >= full.objective - 1e-7
    assert sampled.network.objective(X, y, 0.1, "l2") == pytest.approx(sampled.objective)
    again = ga_relu.fit(X, y, beta=0.1, penalty="l2", subsets=20, random_state=0)
    assert again.objective == sampled.objective  # same seed, same result
    np.testing.assert_array_equal(again.dictionary.subsets, sampled.dictionary.subsets)


def test_sampled_l1_fit_is_reported_as_upper_bound():
    X, y = regression_data(10, 2, 9)
    sampled = ga_relu.fit(X, y, beta=0.1, subsets=15, random_state=1)
    assert not sampled.exact and "upper bound" in str(sampled.case)
    full = ga_relu.fit(X, y, beta=0.1)
    assert sampled.objective >= full.objective - 1e-7


def test_path_l1_norm_decreases_with_beta_and_matches_single_fits():
    X, y = regression_data(10, 2, 11)
    betas = [0.5, 0.2, 0.1, 0.05, 0.01]
    fits = ga_relu.path(X, y, betas)
    norms = [np.abs(f.coefficients).sum() for f in fits]
    assert all(a <= b + 1e-6 for a, b in zip(norms, norms[1:]))  # beta decreasing -> norm increasing
    single = ga_relu.fit(X, y, beta=0.1)
    assert fits[2].objective == pytest.approx(single.objective, rel=1e-6)


@pytest.mark.parametrize("loss", ["logistic", "hinge"])
def test_classification_losses_are_dual_feasible(loss):
    rng = np.random.default_rng(12)
    X = rng.normal(size=(12, 2))
    y = np.where(X[:, 0] * X[:, 1] > 0, 1.0, -1.0)
    result = ga_relu.fit(X, y, beta=0.2, loss=loss)
    lam = result.dual
    assert abs(lam.sum()) < 1e-6
    if loss == "logistic":  # lambda = y sigmoid(-y f), recomputed independently
        f = result.predict(X)
        np.testing.assert_allclose(lam, y / (1 + np.exp(y * f)), rtol=1e-9)
    else:  # hinge: lambda = y mu with mu in [0, 1], mu = 1 where the margin is violated
        mu = lam * y
        assert np.all(mu >= -1e-7) and np.all(mu <= 1 + 1e-7)
        margin = 1 - y * result.predict(X)
        assert np.all(mu[margin > 1e-5] > 1 - 1e-5)
    assert dense_dual_ratio(X, lam, 0.2, penalty="l1", bias=True, n_dirs=10000) <= 1 + 1e-4


def test_vector_outputs_group_lasso():
    """T5: with several outputs the dual bound is on ||lambda^T relu(Xw + b)||_2."""
    X, y = regression_data(10, 2, 13)
    Y = np.column_stack([y, np.cos(X[:, 1])])
    result = ga_relu.fit(X, Y, beta=0.1)
    assert result.case.theorem == "T5" and result.exact
    lam = Y - result.predict(X)
    assert dense_dual_ratio(X, lam, 0.1, penalty="l1", bias=True, n_dirs=10000) <= 1 + 1e-4
    assert result.network.objective(X, Y, 0.1, "l1") == pytest.approx(result.lasso_objective, rel=1e-6)


def test_neuron_records_name_their_samples():
    X, y = regression_data(10, 2, 14)
    result = ga_relu.fit(X, y, beta=0.05)
    assert result.neurons
    for neuron in result.neurons:
        assert len(neuron.samples) + len(neuron.basis) == 2
        for i in neuron.samples:
            assert abs(X[i] @ neuron.weight + neuron.bias) < 1e-9
        act = np.maximum(X @ result.network.W[neuron.index - 1] + result.network.b[neuron.index - 1], 0)
        np.testing.assert_allclose(neuron(X), act * result.network.alpha[neuron.index - 1])
    assert "x_" in result.table() and result.case.bound in result.summary()


@pytest.mark.parametrize(
    "X, y, kwargs, error, match",
    [
        ([[0, np.nan], [1, 2], [3, 1]], [1, 2, 3], {}, InvalidInputError, "NaN or inf"),
        ([[0, 1], [1, 2], [3, 1]], [1, 2], {}, InvalidInputError, "shape"),
        ([[1, 1], [1, 1], [1, 1]], [1, 2, 3], {}, DegenerateDataError, "identical"),
        ([[0, 1], [1, 2], [3, 1]], [1, 2, 3], {"beta": 0}, InvalidInputError, "positive"),
        ([[0, 1], [1, 2], [3, 1]], [1, 2, 3], {"beta": -1.0}, InvalidInputError, "positive"),
        ([[0, 1], [1, 2], [3, 1]], [1, 2, 3], {"penalty": "l3"}, InvalidInputError, "penalty"),
        ([[0, 1], [1, 2], [3, 1]], [1, 2, 3], {"loss": "huber"}, InvalidInputError, "loss"),
        ([[0, 1], [1, 2], [3, 1]], [0, 1, 1], {"loss": "logistic"}, InvalidInputError, "-1, \\+1"),
        ([[0, 1], [1, 2], [3, 1]], [1, 2, 3], {"method": "magic"}, InvalidInputError, "method"),
        ([[0, 1], [1, 2], [3, 1]], [1, 2, 3], {"method": "colgen", "subsets": 2}, InvalidInputError, "subsets="),
        ([["a", 1], [1, 2], [3, 1]], [1, 2, 3], {}, InvalidInputError, "numeric"),
    ],
)
def test_bad_input_raises_named_errors(X, y, kwargs, error, match):
    kwargs = {"beta": 0.1, **kwargs}
    with pytest.raises(error, match=match):
        ga_relu.fit(X, y, **kwargs)


def test_dictionary_above_budget_says_size_and_fix():
    X, y = regression_data(40, 3, 15)
    with pytest.raises(DictionaryTooLargeError, match="columns") as info:
        ga_relu.fit(X, y, beta=0.1, method="wedge", memory_budget=100_000)
    assert "subsets=" in str(info.value)


def test_fit_stays_the_function_after_submodules_load():
    import ga_relu.certification.certificate  # noqa: F401  (imports ga_relu.convex.fitting)
    import ga_relu.convex.fitting

    assert ga_relu.fit is ga_relu.convex.fitting.fit and callable(ga_relu.fit)
    assert ga_relu.certify is ga_relu.certification.certificate.certify and callable(ga_relu.certify)
