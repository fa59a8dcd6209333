"""ga_relu.baselines.gradient (issue 5): Adam on problem (P) checked against independent computations."""

import math

import numpy as np
import pytest
from reference import dense_dual_ratio

from ga_relu.errors import InvalidInputError
from ga_relu.baselines.gradient import GradientResult, neuron_angles, objective_and_gradient, train_gradient
from ga_relu.convex.fitting import fit as convex_fit
from ga_relu.networks.relu import ReLUNetwork


def data(n, d, seed, outputs=None):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = np.sin(2 * X[:, 0]) + 0.3 * X[:, -1] + 0.1 * rng.normal(size=n)
    if outputs:
        y = np.column_stack([y, np.cos(X[:, 0])])
    return X, y


def problem_p_by_hand(X, y, W, b, alpha, c, beta, p):
    """(P) written out with loops: sum of squares plus (beta/2) sum (||w||_p^2 + alpha^2)."""
    total = 0.0
    for i in range(len(X)):
        f = c + sum(alpha[j] * max(0.0, float(np.dot(W[j], X[i]) + b[j])) for j in range(len(W)))
        total += 0.5 * (f - y[i]) ** 2
    for j in range(len(W)):
        wn = sum(abs(v) for v in W[j]) if p == 1 else math.sqrt(sum(v * v for v in W[j]))
        total += 0.5 * beta * (wn**2 + alpha[j] ** 2)
    return total


def test_adam_decreases_the_objective():
    X, y = data(10, 2, 0)
    result = train_gradient(X, y, width=8, beta=0.1, n_init=3, steps=300, random_state=0)
    assert result.traces.shape == (3, 301)
    for trace, final in zip(result.traces, result.objectives):
        assert final <= trace[0] * 0.7  # a real decrease from the initialization
        assert final <= trace.min() + 1e-12  # the best iterate, rebalanced, is not worse than any traced one
    assert result.best_objective == result.objectives.min()
    assert result.best is result.networks[int(np.argmin(result.objectives))]


def test_same_seed_same_result_and_other_seed_differs():
    X, y = data(10, 2, 1)
    kwargs = dict(width=6, beta=0.1, n_init=2, steps=100)
    a = train_gradient(X, y, random_state=7, **kwargs)
    b = train_gradient(X, y, random_state=7, **kwargs)
    c = train_gradient(X, y, random_state=8, **kwargs)
    np.testing.assert_array_equal(a.traces, b.traces)
    np.testing.assert_array_equal(a.best.W, b.best.W)
    assert not np.allclose(a.traces[:, -1], c.traces[:, -1])


@pytest.mark.parametrize("penalty", ["l1", "l2"])
def test_reported_objective_is_problem_p(penalty):
    X, y = data(8, 2, 2)
    beta = 0.2
    result = train_gradient(X, y, width=5, beta=beta, penalty=penalty, n_init=2, steps=150, random_state=0)
    p = 1 if penalty == "l1" else 2
    for net, value in zip(result.networks, result.objectives):
        assert value == net.objective(X, y, beta, penalty)
        assert value == pytest.approx(problem_p_by_hand(X, y, net.W, net.b, net.alpha, net.c, beta, p), rel=1e-12)
        # balanced: ||w_j||_p = |alpha_j| (AM-GM equality)
        wn = np.abs(net.W).sum(1) if p == 1 else np.linalg.norm(net.W, axis=1)
        np.testing.assert_allclose(wn, np.abs(net.alpha), rtol=1e-10)


@pytest.mark.parametrize("penalty, bias, loss, outputs, intercept", [
    ("l1", True, "squared", None, True),
    ("l2", True, "squared", None, True),
    ("l1", False, "squared", None, False),
    ("l1", True, "logistic", None, True),
    ("l2", False, "squared", 2, True),
])
def test_gradient_matches_finite_differences_of_the_network_objective(penalty, bias, loss, outputs, intercept):
    """Central differences of ReLUNetwork.objective (independent of the gradient code)."""
    rng = np.random.default_rng(3)
    X, y = data(7, 3, 3, outputs)
    if loss == "logistic":
        y = np.where(y > np.median(y), 1.0, -1.0)
    m, beta = 4, 0.3
    params = {"W": rng.normal(size=(m, 3)), "alpha": rng.normal(size=(m, outputs) if outputs else m)}
    if bias:
        params["b"] = rng.normal(size=m)
    if intercept:
        params["c"] = rng.normal(size=outputs) if outputs else np.array(0.4)

    def value(p):
        net = ReLUNetwork(p["W"], p.get("b"), p["alpha"], p.get("c", 0.0))
        return net.objective(X, y, beta, penalty, loss)

    f0, grads = objective_and_gradient(params, X, y, beta=beta, penalty=penalty, loss=loss)
    assert f0 == pytest.approx(value(params), rel=1e-12)
    assert set(grads) == set(params)
    h = 1e-6
    for key, arr in params.items():
        numeric = np.zeros_like(arr, dtype=float)
        for idx in np.ndindex(arr.shape):
            up = {k: np.array(v, dtype=float, copy=True) for k, v in params.items()}
            down = {k: np.array(v, dtype=float, copy=True) for k, v in params.items()}
            up[key][idx] += h
            down[key][idx] -= h
            numeric[idx] = (value(up) - value(down)) / (2 * h)
        np.testing.assert_allclose(grads[key], numeric, rtol=1e-5, atol=1e-6, err_msg=key)


@pytest.mark.parametrize("d, bias, seed", [(1, True, 4), (2, True, 5), (2, False, 6)])
def test_gradient_never_beats_the_certified_optimum(d, bias, seed):
    """T1/T2/T3: the convex value is the optimum of (P) (certified here by an independent dense
    search); no gradient-trained network may go below it."""
    X, y = data(9, d, seed)
    beta = 0.1
    fit = convex_fit(X, y, beta=beta, penalty="l1", bias=bias)
    assert fit.case.exact
    lam = y - fit.predict(X)
    assert dense_dual_ratio(X, lam, beta, penalty="l1", bias=bias, n_dirs=4000, seed=seed) <= 1 + 1e-4
    assert fit.certificate().ratio <= 1 + 1e-4
    result = train_gradient(X, y, width=18, beta=beta, n_init=4, steps=800, learning_rate=0.03,
                            bias=bias, random_state=seed)
    assert result.objectives.min() >= fit.objective - 1e-6
    # and training is not vacuous: the best run gets within 10 % of the optimum
    assert result.objectives.min() <= 1.10 * fit.objective


def test_angles_are_zero_for_wedge_neurons_by_hand():
    """2-D with bias: the line through x_a and x_c is w = cross(a - c) = (a2 - c2, c1 - a1),
    b = det[a; c] (docs/theory/algebra.md), scaled by any positive factor."""
    X, _ = data(7, 2, 7)
    pairs = [(0, 3, 1), (2, 5, -1), (1, 6, 1)]
    W, b = [], []
    for (i, k, sign), scale in zip(pairs, (0.3, 2.0, 7.5)):
        a, c = X[i], X[k]
        W.append(sign * scale * np.array([a[1] - c[1], c[0] - a[0]]))
        b.append(sign * scale * (a[0] * c[1] - a[1] * c[0]))
    net = ReLUNetwork(np.array(W), np.array(b), np.ones(3))
    for penalty in ("l1", "l2"):
        matches = neuron_angles(net, X, penalty=penalty, bias=True)
        for match, (i, k, sign) in zip(matches, pairs):
            assert match.angle < 1e-6
            assert match.samples == (i, k) and match.basis == ()
            v = np.array([*net.W[match.index], net.b[match.index]])
            np.testing.assert_allclose(match.direction, v / np.linalg.norm(v), atol=1e-12)


def test_angles_are_zero_for_the_neurons_of_a_fit():
    X, y = data(8, 3, 8)
    fit = convex_fit(X, y, beta=0.05, penalty="l1", bias=True)
    matches = neuron_angles(fit.network, X, penalty="l1", bias=True)
    assert len(matches) == len(fit.neurons) > 0
    for match, neuron in zip(matches, fit.neurons):
        assert match.angle < 1e-6
        assert (match.samples, match.basis, match.sign) == (neuron.samples, neuron.basis, neuron.sign)


def test_angles_in_one_dimension_against_arctangents():
    """1-D with bias, l2 (T3): wedge neurons relu(+-(x - x_k)) have lifted directions +-(1, -x_k);
    a neuron relu(w x + b), w > 0, has direction (1, b / w), so its angle to the nearest one is
    min_k |atan(b / w) - atan(-x_k)| in degrees."""
    rng = np.random.default_rng(9)
    X = rng.normal(size=(6, 1))
    W = np.array([[1.0], [2.5], [0.7]])
    b = np.array([0.1, -3.0, 0.9])
    net = ReLUNetwork(W, b, np.ones(3))
    matches = neuron_angles(net, X, penalty="l2", bias=True)
    for j, match in enumerate(matches):
        expected = np.degrees(np.min(np.abs(np.arctan(b[j] / W[j, 0]) - np.arctan(-X[:, 0]))))
        assert match.angle == pytest.approx(expected, abs=1e-9)
        assert match.sign == 1


def test_dead_neuron_has_nan_angle():
    X, _ = data(5, 2, 10)
    net = ReLUNetwork(np.array([[0.0, 0.0], [1.0, 0.5]]), np.array([0.0, 0.2]), np.ones(2))
    matches = neuron_angles(net, X, penalty="l1", bias=True)
    assert math.isnan(matches[0].angle) and not math.isnan(matches[1].angle)


def test_time_to_reach_reads_the_traces():
    X, y = data(8, 2, 11)
    result = train_gradient(X, y, width=5, beta=0.1, n_init=2, steps=50, random_state=0)
    assert np.all(result.time_to_reach(np.inf) == result.trace_times[:, 0])
    assert np.all(np.isinf(result.time_to_reach(-1.0)))
    assert isinstance(result, GradientResult) and "upper bound" in repr(result)


def test_certificates_of_trained_networks():
    X, y = data(8, 2, 12)
    beta = 0.1
    result = train_gradient(X, y, width=12, beta=beta, n_init=2, steps=400, random_state=0)
    certs = result.certificates()
    assert len(certs) == 2
    fit = convex_fit(X, y, beta=beta)
    assert fit.certificate().optimal
    for net, cert, value in zip(result.networks, certs, result.objectives):
        assert cert.exhaustive and np.isfinite(cert.ratio)
        assert abs(np.sum(y - net(X))) < 1e-10  # the intercept was set to its minimizer: sum(lambda) = 0
        # a network above the optimum by a margin cannot carry a holding certificate ...
        if value > fit.objective * (1 + 1e-3):
            assert not cert.optimal
        # ... and weak duality: the certificate's gap bound covers the true gap to the optimum
        assert cert.gap_bound is not None and cert.gap_bound >= value - fit.objective - 1e-6


@pytest.mark.parametrize("kwargs, words", [
    (dict(width=0), "width"),
    (dict(width=2.5), "width"),
    (dict(width=True), "width"),
    (dict(steps=0), "steps"),
    (dict(n_init=0), "n_init"),
    (dict(beta=0.0), "beta"),
    (dict(beta=-1.0), "beta"),
    (dict(learning_rate=0.0), "learning_rate"),
    (dict(learning_rate=float("nan")), "learning_rate"),
    (dict(penalty="l3"), "penalty"),
    (dict(loss="absolute"), "loss"),
    (dict(schedule="linear"), "schedule"),
    (dict(final_lr_fraction=2.0), "final_lr_fraction"),
    (dict(random_state="seed"), "random_state"),
])
def test_bad_parameters_raise_with_the_name(kwargs, words):
    X, y = data(6, 2, 13)
    options = dict(width=3, beta=0.1, steps=5, n_init=1)
    options.update(kwargs)
    with pytest.raises(InvalidInputError, match=words):
        train_gradient(X, y, **options)


def test_bad_data_and_networks_raise():
    X, y = data(6, 2, 14)
    bad = X.copy()
    bad[2, 1] = np.nan
    with pytest.raises(InvalidInputError, match="NaN"):
        train_gradient(bad, y, width=3, beta=0.1)
    with pytest.raises(InvalidInputError, match="shape"):
        train_gradient(X, y[:4], width=3, beta=0.1)
    net = ReLUNetwork(np.ones((2, 3)), np.zeros(2), np.ones(2))
    with pytest.raises(InvalidInputError, match="features"):
        neuron_angles(net, X, penalty="l1", bias=True)
    net = ReLUNetwork(np.ones((2, 2)), np.ones(2), np.ones(2))
    with pytest.raises(InvalidInputError, match="bias=True"):
        neuron_angles(net, X, penalty="l1", bias=False)
    with pytest.raises(InvalidInputError, match="ReLUNetwork"):
        neuron_angles(np.ones((2, 2)), X, penalty="l1", bias=True)
