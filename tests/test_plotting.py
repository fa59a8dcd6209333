"""Figures: the artists are checked against the geometry of the fit, computed independently
(defining samples from the neuron records, dual values by brute force over neurons)."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import ga_relu as gr
from ga_relu.errors import InvalidInputError
from ga_relu.interfaces.plotting import dual_value_on_circle, line_in_box, plot_certificate, plot_fit, plot_path, save_figure


def _lines(ax, gid):
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def _collection(ax, gid):
    found = [c for c in ax.collections if c.get_gid() == gid]
    assert len(found) == 1, f"expected one collection {gid!r}, found {len(found)}"
    return found[0]


@pytest.fixture(scope="module")
def data_2d():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(11, 2))
    labels = np.where(X[:, 0] * X[:, 1] > 0, 1.0, -1.0)
    return X, labels


@pytest.fixture(scope="module")
def fit_2d_l1(data_2d):
    X, labels = data_2d
    return gr.fit(X, labels, beta=0.1, penalty="l1", bias=True, loss="logistic")


@pytest.fixture(scope="module")
def fit_1d():
    rng = np.random.default_rng(1)
    x = np.sort(rng.uniform(-2, 2, 9))
    return gr.fit(x[:, None], np.sin(2 * x), beta=0.05)


def test_1d_breakpoints_sit_at_the_defining_samples(fit_1d):
    fig = plot_fit(fit_1d)
    ax = fig.axes[0]
    breaks = sorted(line.get_xdata()[0] for line in _lines(ax, "breakpoint"))
    expected = sorted({float(fit_1d.X[nr.samples[0], 0]) for nr in fit_1d.neurons})
    assert len(expected) >= 2
    np.testing.assert_allclose(breaks, expected, rtol=0, atol=1e-12)
    # every sample x is a training point, and the network is linear between breakpoints
    assert all(np.any(np.isclose(b, fit_1d.X[:, 0], rtol=0, atol=1e-12)) for b in breaks)
    (curve,) = _lines(ax, "network")
    gx, gy = curve.get_xdata(), curve.get_ydata()
    knots = np.concatenate([[gx[0]], breaks, [gx[-1]]])
    for a, b in zip(knots[:-1], knots[1:]):
        inside = (gx >= a) & (gx <= b)
        slope, icpt = np.polyfit(gx[inside], gy[inside], 1)
        np.testing.assert_allclose(gy[inside], slope * gx[inside] + icpt, atol=1e-9)
    # the data are drawn as given
    np.testing.assert_allclose(_collection(ax, "data").get_offsets(), np.column_stack([fit_1d.X[:, 0], fit_1d.y]))


def _assert_collinear(p0, p1, point, scale):
    direction = p1 - p0
    off = direction[0] * (point[1] - p0[1]) - direction[1] * (point[0] - p0[0])
    assert abs(off) / np.linalg.norm(direction) < 1e-9 * scale, (p0, p1, point)


def test_2d_one_line_per_neuron_through_its_defining_samples(fit_2d_l1):
    res = fit_2d_l1
    fig = plot_fit(res)
    ax = fig.axes[0]
    lines = _lines(ax, "neuron-line")
    assert len(lines) == len(res.neurons) > 0
    scale = np.abs(res.X).max()
    kinds = set()
    for line, nr in zip(lines, res.neurons):
        ends = np.column_stack([line.get_xdata(), line.get_ydata()])
        for i in nr.samples:
            _assert_collinear(ends[0], ends[1], res.X[i], scale)
        if nr.basis:  # l1 vertex: the line through the sample parallel to e_k
            (k,) = nr.basis
            direction = (ends[1] - ends[0]) / np.linalg.norm(ends[1] - ends[0])
            assert abs(abs(direction[k]) - 1.0) < 1e-12
        kinds.add(len(nr.samples))
    assert kinds, "the fixture should have active neurons"
    ringed = _collection(ax, "defining-samples").get_offsets()
    expected = res.X[sorted({i for nr in res.neurons for i in nr.samples})]
    np.testing.assert_allclose(np.asarray(ringed), expected)
    # each line is labelled with its output weight
    for line, nr in zip(lines, res.neurons):
        assert f"{nr.output_weight:+.3g}" in line.get_label()


def test_2d_without_bias_lines_pass_through_origin_and_sample(data_2d):
    X, labels = data_2d
    res = gr.fit(X, X[:, 0] ** 2 - X[:, 1], beta=0.1, penalty="l2", bias=False)
    fig = plot_fit(res, annotate=False)
    ax = fig.axes[0]
    lines = _lines(ax, "neuron-line")
    assert len(lines) == len(res.neurons) > 0
    for line, nr in zip(lines, res.neurons):
        ends = np.column_stack([line.get_xdata(), line.get_ydata()])
        _assert_collinear(ends[0], ends[1], np.zeros(2), 1.0)
        for i in nr.samples:
            _assert_collinear(ends[0], ends[1], X[i], np.abs(X).max())
    assert len(fig.axes) == 2  # regression: level sets with a colour bar


def test_max_neurons_limits_the_lines(fit_2d_l1):
    ax = plot_fit(fit_2d_l1, max_neurons=2).axes[0]
    assert len(_lines(ax, "neuron-line")) == 2


def test_line_in_box_clips_to_the_window():
    ends = line_in_box(np.array([1.0, -1.0]), 0.0, np.array([-1.0, -2.0]), np.array([3.0, 2.0]))
    np.testing.assert_allclose(sorted(map(tuple, ends)), [(-1.0, -1.0), (2.0, 2.0)])
    assert line_in_box(np.array([1.0, 0.0]), -5.0, np.zeros(2), np.ones(2)) is None


def test_path_one_curve_per_ever_active_column_named_by_subsets():
    rng = np.random.default_rng(2)
    x = np.sort(rng.uniform(-1, 1, 8))
    betas = np.geomspace(0.02, 1.0, 5)
    fp = gr.path(x[:, None], np.abs(x) - 0.3 * x, betas)
    ax = plot_path(fp, max_labels=100).axes[0]
    curves = _lines(ax, "coefficient")
    from ga_relu.interfaces.plotting import subset_label

    for k, beta in enumerate(np.sort(betas)):
        fit = fp.fits[int(np.argsort(betas)[k])]
        drawn = {c.get_label() for c in curves if abs(c.get_ydata()[k]) > 1e-6 * abs(fp.coefficients).max()}
        named = {subset_label(nr.samples, nr.basis, nr.sign) for nr in fit.neurons}
        assert drawn == named
        assert all(c.get_xdata()[k] == beta for c in curves)
    assert ax.get_xscale() == "log"


def _brute_force_ratio(X, lam, beta, penalty, rng, n=20000):
    """max |lam . relu(X w + b)| / beta over random w on the unit p-sphere and b through samples or
    uniform in the data range: a lower bound on the certificate ratio, found without the plot code."""
    U = rng.normal(size=(n, 2))
    U /= (np.abs(U).sum(axis=1) if penalty == "l1" else np.linalg.norm(U, axis=1))[:, None]
    P = X @ U.T
    b = rng.uniform(-np.abs(P).max(), np.abs(P).max(), size=n)
    return np.abs(lam @ np.maximum(P + b, 0.0)).max() / beta


def test_certificate_curve_of_an_exact_l1_fit(fit_2d_l1):
    res = fit_2d_l1
    fig = plot_certificate(res)
    ax = fig.axes[0]
    (curve,) = _lines(ax, "dual-value")
    (bound,) = _lines(ax, "bound")
    assert set(bound.get_ydata()) == {1.0}
    top = curve.get_ydata().max()
    (star,) = _lines(ax, "maximum")
    assert star.get_ydata()[0] == top
    # T2: the l1 wedge fit is optimal, so the dual value never exceeds beta (solver tolerance)
    assert top <= 1 + 1e-3
    # ... and the plotted maximum (exact over vertex directions) dominates a random search
    assert _brute_force_ratio(res.X, res.dual, res.beta, "l1", np.random.default_rng(0)) <= top + 1e-9
    # KKT: every active neuron has |lambda . relu(X w_j + b_j)| = beta at its own direction
    (marks,) = _lines(ax, "active-neuron")
    W = res.network.W / np.abs(res.network.W).sum(axis=1, keepdims=True)
    B = res.network.b / np.abs(res.network.W).sum(axis=1)
    own = np.abs(res.dual @ np.maximum(res.X @ W.T + B, 0.0)) / res.beta
    np.testing.assert_allclose(own, 1.0, atol=2e-3)
    assert np.all(marks.get_ydata() >= own - 1e-9)  # the best bias is at least the neuron's own
    angles = np.degrees(np.mod(np.arctan2(res.network.W[:, 1], res.network.W[:, 0]), 2 * np.pi))
    np.testing.assert_allclose(marks.get_xdata(), angles)


def test_certificate_of_a_network_equals_that_of_its_fit(data_2d):
    X, _ = data_2d
    y = np.sin(X[:, 0]) + X[:, 1]
    res = gr.fit(X, y, beta=0.2, penalty="l2")
    a = _lines(plot_certificate(res).axes[0], "dual-value")[0].get_ydata()
    b = _lines(plot_certificate(res.network, X, y, beta=0.2, penalty="l2").axes[0], "dual-value")[0].get_ydata()
    np.testing.assert_allclose(a, b, atol=1e-6)
    # an untrained network is far from optimal: its curve rises above 1
    bad = gr.ReLUNetwork(np.array([[1.0, 0.0]]), np.array([0.0]), np.array([0.01]), 0.0)
    bad_ax = plot_certificate(bad, X, y, beta=0.2).axes[0]
    assert _lines(bad_ax, "dual-value")[0].get_ydata().max() > 1.0
    # its intercept is off too: sum(lambda) != 0 makes the ratio infinite, and the title says so
    assert abs(np.sum(y - bad(X))) > 1e-3 and "sum(lambda)" in bad_ax.get_title()


def test_dual_value_best_bias_matches_a_dense_bias_grid():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(7, 2))
    lam = rng.normal(size=7)
    lam -= lam.mean()  # sum lambda = 0, as at an optimum with a free intercept
    U = rng.normal(size=(5, 2))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    got = dual_value_on_circle(X, lam, U, bias=True, penalty="l2")
    b = np.linspace(-6, 6, 120001)
    for u, g in zip(U, got):
        dense = np.abs(np.maximum((X @ u)[:, None] + b[None, :], 0.0).T @ lam).max()
        assert dense <= g + 1e-12 and g - dense < 1e-3
    no_bias = dual_value_on_circle(X, lam, U, bias=False, penalty="l1")
    W = U / np.abs(U).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(no_bias, [abs(lam @ np.maximum(X @ w, 0)) for w in W])


def test_save_figure_writes_atomically(tmp_path, fit_1d):
    fig = plot_fit(fit_1d)
    target = tmp_path / "fit.png"
    assert save_figure(fig, target) == str(target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert os.listdir(tmp_path) == ["fit.png"]  # no temporary file left behind
    save_figure(fig, tmp_path / "fit.pdf")
    assert (tmp_path / "fit.pdf").read_bytes()[:4] == b"%PDF"
    with pytest.raises(InvalidInputError, match="end the name with"):
        save_figure(fig, tmp_path / "fit.unknown")
    with pytest.raises(InvalidInputError, match="does not exist"):
        save_figure(fig, tmp_path / "missing" / "fit.png")
    assert sorted(os.listdir(tmp_path)) == ["fit.pdf", "fit.png"]


def test_no_pyplot_state_is_touched(fit_1d):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    rc = dict(matplotlib.rcParams)
    plot_fit(fit_1d)
    assert plt.get_fignums() == before
    assert dict(matplotlib.rcParams) == rc


def test_draws_on_given_axes(fit_1d):
    from matplotlib.figure import Figure

    fig = Figure()
    axes = fig.subplots(1, 2)
    assert plot_fit(fit_1d, ax=axes[1]) is fig
    assert _lines(axes[1], "network") and not axes[0].get_lines()


def test_bad_input_raises_clear_errors(data_2d, fit_2d_l1):
    rng = np.random.default_rng(0)
    X3 = rng.normal(size=(6, 3))
    res3 = gr.fit(X3, X3[:, 0], beta=0.5, penalty="l1", bias=False)
    with pytest.raises(InvalidInputError, match="1 or 2 features; this fit has d = 3"):
        plot_fit(res3)
    with pytest.raises(InvalidInputError, match="d = 3"):
        plot_certificate(res3)
    with pytest.raises(InvalidInputError, match="FitResult"):
        plot_fit(res3.network)
    with pytest.raises(InvalidInputError, match="needs the training data"):
        plot_certificate(fit_2d_l1.network)
    with pytest.raises(InvalidInputError, match="FitPath"):
        plot_path(fit_2d_l1)
    with pytest.raises(InvalidInputError, match="output must be"):
        plot_fit(fit_2d_l1, output=1)
