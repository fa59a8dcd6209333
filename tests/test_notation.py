"""One notation everywhere (samples x_i, their coordinates x_{i,k}, the input's coordinates [x]_k or
feature names), feature names in formulas, tables and axes, no round-off terms, short reprs, and
figure labels that do not overlap (measured with matplotlib's renderer)."""

import itertools
import re

import numpy as np
import pytest
import sympy

import ga_relu
from ga_relu.convex.dictionary import wedge_dictionary
from ga_relu.convex.results import Neuron
from ga_relu.errors import InvalidInputError
from ga_relu.explain.formulas import evaluate_expression
from ga_relu.explain.symbolic import InputCoordinate, check_feature_names


@pytest.fixture(scope="module")
def fit_2d():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(7, 2))
    return ga_relu.fit(X, np.sin(2 * X[:, 0]) + X[:, 1], beta=0.05, penalty="l2")


def _numbers(expr):
    return [abs(float(a)) for a in sympy.preorder_traversal(expr) if isinstance(a, sympy.Float)]


def test_numeric_formula_names_input_coordinates_not_samples(fit_2d):
    """The neuron 'through x_i and x_j' prints in [x]_1, [x]_2 only; substituting the coordinates of
    samples i and j by hand (not through the library) gives 0: the samples lie on its line."""
    X = fit_2d.X
    for nr in fit_2d.neurons[:4]:
        expr = nr.expression("numeric", digits=None)
        assert not re.search(r"(?<!\[)x_\d", str(expr)), str(expr)  # no sample name in a numeric formula
        inputs = sorted((s for s in expr.free_symbols), key=lambda s: s.axis)
        assert all(isinstance(s, InputCoordinate) for s in inputs)
        assert [str(s) for s in inputs] == [f"[x]_{s.axis}" for s in inputs]
        (relu_term,) = list(expr.atoms(sympy.Function))
        for i in nr.samples:
            at_sample = relu_term.args[0].subs({s: X[i, s.axis - 1] for s in inputs})
            assert abs(float(at_sample)) < 1e-9
        assert f"through x_{nr.samples[0] + 1}" in nr.describe()


def test_latex_uses_two_indices_for_sample_coordinates_and_brackets_for_the_input(fit_2d):
    nr = fit_2d.neurons[0]
    expanded = nr.latex("expanded")
    i = nr.samples[0] + 1
    assert f"x_{{{i},1}}" in expanded or f"x_{{{i},2}}" in expanded
    assert "[x]_{1}" in expanded or "[x]_{2}" in expanded
    assert not re.search(r"(?<![\[,\d])x_\{\d+\}(?!,)", nr.latex("numeric"))  # no x_{k} for a coordinate
    structural = nr.latex()
    assert f"x_{{{i}}}" in structural and "[x]" not in structural  # samples and the input point x


def test_feature_names_reach_formulas_tables_and_axes(fit_2d):
    from ga_relu.interfaces.plotting import plot_fit

    result = fit_2d.with_feature_names(["bmi", "s5"])
    try:
        expr = result.expression()
        text = str(expr)
        assert "bmi" in text and "s5" in text and "[x]" not in text
        assert r"\mathrm{bmi}" in result.to_latex("numeric")
        assert "bmi" in result.table() or "s5" in result.table()
        # the named formula still evaluates to the network (inputs bound by axis, not by name)
        fresh = np.random.default_rng(0).normal(size=(9, 2))
        assert np.allclose(evaluate_expression(expr, fresh), result.predict(fresh), rtol=1e-12, atol=1e-12)
        ax = plot_fit(result, grid_size=30).axes[0]
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("bmi", "s5")
    finally:
        result.with_feature_names(None)
    assert "[x]_" in str(result.expression())


def test_feature_names_are_checked():
    assert check_feature_names(["bmi", "s5"], 2) == ("bmi", "s5")
    assert check_feature_names([0, 1], 2) is None  # a DataFrame's default integer columns say nothing
    assert check_feature_names(["x_2", "age"], 2) == (None, "age")  # x_2 would read as sample 2
    with pytest.raises(InvalidInputError, match="repeats"):
        check_feature_names(["a", "a"], 2)
    with pytest.raises(InvalidInputError, match="d = 3"):
        check_feature_names(["a", "b"], 3)
    assert sympy.latex(InputCoordinate(1, "petal_width")) == r"\mathrm{petal\_width}"


def test_whole_network_expression_is_full_precision_and_a_sympy_function(fit_2d):
    """FitResult.expression(): every double kept, so it equals the network to round-off; sympy can
    differentiate it (the gradient on a region is the sum of the active neurons' w_j alpha_j)."""
    result = fit_2d
    expr = result.expression()
    X = np.vstack([result.X, np.random.default_rng(1).normal(size=(20, 2))])
    assert np.allclose(evaluate_expression(expr, X), result.predict(X), rtol=1e-12, atol=1e-12)
    x1 = next(s for s in expr.free_symbols if s.axis == 1)
    gradient = sympy.diff(expr.rewrite(sympy.Max), x1)
    point = X[-1]
    value = float(gradient.subs({s: point[s.axis - 1] for s in expr.free_symbols}))
    active = result.network.W @ point + result.network.b > 0
    assert value == pytest.approx(float(np.sum(result.network.W[active, 0] * result.network.alpha[active])), rel=1e-9)


def test_rounded_formulas_drop_round_off_terms_only():
    """A neuron through the origin whose stored bias is round-off (9.7e-14): the printed formula has no
    such term, the full-precision one keeps it, and a small but real term (1e-3) stays."""
    def neuron(weight, bias):
        return Neuron(index=1, samples=(), basis=(), sign=1, weight=np.array(weight), bias=bias, output_weight=1.0,
                      coefficient=1.0, unit_weight=np.array(weight), unit_bias=bias, penalty="l2",
                      _points=np.array([[1.0, -1.0], [0.5, 2.0]]))

    noisy = neuron([0.8317, 0.5552], 9.733e-14)
    printed = noisy.expression("numeric")
    assert "e-14" not in str(printed) and min(_numbers(printed)) > 0.1
    assert any(abs(v - 9.733e-14) < 1e-20 for v in _numbers(noisy.expression("numeric", digits=None)))
    small = neuron([0.8317, 1e-3], 0.25)
    assert len(small.expression("numeric").atoms(InputCoordinate)) == 2


def test_reprs_are_short(fit_2d):
    rng = np.random.default_rng(0)
    dictionary = wedge_dictionary(rng.normal(size=(25, 2)), penalty="l1", bias=True)
    assert dictionary.n_subsets > 300 and len(repr(dictionary)) < 160
    assert str(dictionary.n_columns) in repr(dictionary).replace(",", "")
    for nr in fit_2d.neurons:
        assert len(repr(nr)) < 100 and f"x_{nr.samples[0] + 1}" in repr(nr)
    assert len(repr(fit_2d.network)) < 80 and "width=" in repr(fit_2d.network)


def test_html_views(fit_2d):
    html = fit_2d._repr_html_()
    assert html.count("<tr>") == 1 + min(len(fit_2d.neurons), 25)
    assert "relu(" in html and fit_2d.case.theorem in html
    certificate = fit_2d.certificate()
    view = certificate._repr_html_()
    assert "<table>" in view and certificate.verdict().split(":")[0] in view


def _overlaps(boxes):
    return [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes, 2) if ba.overlaps(bb)]


@pytest.mark.parametrize("d", [1, 2])
def test_labels_do_not_overlap(d):
    """Many neurons in a small window: every label drawn is measured with the renderer after the
    layout, no two boxes overlap, and labels left out are announced in the legend."""
    from ga_relu.interfaces.plotting import plot_fit

    rng = np.random.default_rng(11)
    n = 30 if d == 1 else 12
    X = rng.uniform(-1, 1, size=(n, d))
    y = np.sign(np.sin(5 * X.sum(axis=1))) + 0.1 * rng.normal(size=n)
    result = ga_relu.fit(X, y, beta=1e-3, penalty="l1")
    assert len(result.neurons) >= 7
    fig = plot_fit(result, grid_size=30)
    ax = fig.axes[0]
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer") else fig._get_renderer()
    labels = [t for t in ax.texts if t.get_gid() in ("neuron-label", "sample-label", "breakpoint-label")]
    assert len(labels) >= 3
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels]
    assert not _overlaps(boxes)
    legend_title = ax.get_legend().get_title().get_text()
    expected = len(result.neurons) + (0 if d == 1 else len({i for nr in result.neurons for i in nr.samples}))
    if d == 1:
        expected = len({float(X[nr.samples[0], 0]) for nr in result.neurons})
    if len(labels) < expected:
        assert f"{expected - len(labels)} label" in legend_title
    assert "samples" in ax.get_title()
    assert any(t.get_gid() == "subtitle" and "theorem" in t.get_text() for t in ax.texts)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("solid" in t for t in legend) and (d == 1 or any("dashed" in t for t in legend) or
                                                   all(nr.output_weight > 0 for nr in result.neurons))
