"""The three printed views of fitted neurons, evaluated and compared with the fitted network."""

import re

import numpy as np
import pytest
import sympy

import ga_relu
from ga_relu.errors import InvalidInputError, SymbolicLimitError
from ga_relu.explain.formulas import evaluate_expression, neuron_expression, network_expression


def _fit(d, n, penalty, bias=True, seed=0, **kw):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = np.sin(2 * X.sum(axis=1))
    return ga_relu.fit(X, y, beta=0.05, penalty=penalty, bias=bias, **kw), rng.normal(size=(6, d))


CASES = [(1, 8, "l1", True), (2, 7, "l2", True), (2, 6, "l1", True), (3, 6, "l2", True), (2, 6, "l1", False)]


@pytest.mark.parametrize("d,n,penalty,bias", CASES)
def test_views_evaluate_to_the_network_neurons(d, n, penalty, bias):
    result, fresh = _fit(d, n, penalty, bias)
    X = np.vstack([result.X, fresh])
    hidden = result.network.hidden(X)
    assert result.neurons
    for j, nr in enumerate(result.neurons[:4]):
        reference = hidden[:, j] * result.network.alpha[j]  # alpha_j relu(w_j . x + b_j)
        scale = max(1.0, np.max(np.abs(reference)))
        for form in ("structural", "expanded"):
            value = evaluate_expression(neuron_expression(nr, form, digits=None), X, points=result.X)
            assert np.max(np.abs(value - reference)) <= 1e-9 * scale, (form, nr.index)
        numeric = evaluate_expression(nr.expression("numeric"), X)  # 4 significant digits
        assert np.max(np.abs(numeric - reference)) <= 2e-3 * scale * (1 + np.max(np.abs(X)))
    total = evaluate_expression(network_expression(result, "structural", digits=None), X, points=result.X)
    assert np.allclose(total, result.predict(X), rtol=0, atol=1e-9)


def test_latex_names_every_defining_sample():
    result, _ = _fit(2, 7, "l2")
    text = result.to_latex()
    assert text.startswith("f(x) = ")
    for nr in result.neurons:
        for i in nr.samples:
            assert f"x_{{{i + 1}}}" in text
        for form in ("structural", "expanded", "numeric"):
            assert nr.latex(form) == sympy.latex(nr.expression(form))
    assert r"\wedge" in text and result._repr_latex_().startswith("$")
    # every neuron and the intercept appear, in the fit's order
    assert text.count(r"\operatorname{relu}") == len(result.neurons)
    first = result.neurons[0]
    assert text[len("f(x) = "):].startswith(first.latex())


def test_axis_parallel_l1_neuron_prints_coordinate_difference():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(6, 2))
    dictionary_subsets = np.array([[2, 6 + 1]])  # sample x_3 with e_2: the line [x]_1 = x_{3,1}
    result = ga_relu.fit(X, X[:, 0] ** 2, beta=1e-3, penalty="l1", subsets=dictionary_subsets)
    nr = result.neurons[0]
    expanded = str(nr.expression("expanded"))
    assert re.search(r"relu\((\[x\]_1 - x_3,1|-\[x\]_1 \+ x_3,1|x_3,1 - \[x\]_1)\)", expanded), expanded
    value = evaluate_expression(neuron_expression(nr, "expanded", digits=None), X, points=X)
    assert np.allclose(value, nr(X), atol=1e-12)


def test_high_dimension_structural_only():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(8, 6))
    result = ga_relu.fit(X, X[:, 0], beta=0.05, penalty="l2", subsets=20, random_state=0)
    nr = result.neurons[0]
    with pytest.raises(SymbolicLimitError, match="720"):
        nr.expression("expanded")
    structural = neuron_expression(nr, "structural", digits=None)
    fresh = rng.normal(size=(4, 6))
    value = evaluate_expression(structural, fresh, points=X)
    assert np.allclose(value, nr(fresh), atol=1e-9)
    assert np.allclose(evaluate_expression(nr.expression("numeric", ), fresh),
                       nr(fresh), atol=5e-3 * (1 + np.abs(nr(fresh)).max()))


def test_unknown_form():
    result, _ = _fit(1, 5, "l1")
    with pytest.raises(InvalidInputError, match="structural"):
        result.neurons[0].expression("pretty")
