"""The exact MILP pricing oracle (l1, any d): against the vertex enumeration, an own exact brute force,
a deliberately suboptimal network, a time limit, bad input, column generation and fit's plan."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import ga_relu as gr
from ga_relu.certification import oracles
from ga_relu.certification.milp import MilpOracle
from ga_relu.certification.oracles import OracleSettings, VertexOracle, choose_oracle
from ga_relu.convex.milp_pricing import milp_max_dual, polish_to_vertex
from ga_relu.convex.problem import Problem
from ga_relu.errors import DegenerateDataError, InvalidInputError
from ga_relu.networks.relu import ReLUNetwork

from reference import l1_reference


def _lambdas(rng, X, bias):
    """Dual vectors of two kinds: residuals of a nonlinear target (what certificates see) and noise."""
    y = np.sin(2 * X[:, 0]) + X[:, -1] ** 2
    out = [y - y.mean(), rng.standard_normal(len(X))]
    return [lam - lam.mean() if bias else lam for lam in out]


@pytest.mark.parametrize("d,n,bias", [(2, 14, True), (2, 12, False), (3, 12, True), (3, 11, False)])
def test_milp_equals_vertex_enumeration(d, n, bias):
    rng = np.random.default_rng(10 * d + n)
    X = rng.standard_normal((n, d)) * rng.uniform(0.5, 3.0, size=d)  # unequal feature scales
    problem = Problem(X, np.zeros(n), beta=1.0, bias=bias)
    for lam in _lambdas(rng, X, bias):
        exact = VertexOracle(OracleSettings())(problem, lam)
        milp = MilpOracle(OracleSettings())(problem, lam)
        assert milp.exhaustive
        assert milp.value == pytest.approx(exact.value, rel=1e-9, abs=1e-12)  # the upper bound
        assert milp.lower == pytest.approx(exact.value, rel=1e-9, abs=1e-12)  # the polished vertex
        # the named neuron is a vertex neuron and attains the value on the data
        neuron = milp.best
        assert len(neuron.samples) + len(neuron.basis) == (d if bias else d - 1)
        assert abs(lam @ neuron(X)) == pytest.approx(milp.lower, rel=1e-12)
        assert np.abs(neuron.weight).sum() == pytest.approx(1.0, rel=1e-12)


def _brute_force_vertices(X):
    """Own enumeration: the normal (w, b) of every 5 independent lifted vertices (x_i, 1), (e_k, 0)
    by SVD, scaled to ||w||_1 = 1."""
    n, d = X.shape
    lifted = np.vstack([np.hstack([X, np.ones((n, 1))]), np.hstack([np.eye(d), np.zeros((d, 1))])])
    W, B = [], []
    for subset in itertools.combinations(range(n + d), d):
        _, sv, vt = np.linalg.svd(lifted[list(subset)])
        if sv[-1] < 1e-10 * sv[0]:
            continue
        normal = vt[-1]
        if np.abs(normal[:d]).sum() < 1e-12:
            continue
        W.append(normal[:d] / np.abs(normal[:d]).sum())
        B.append(normal[d] / np.abs(normal[:d]).sum())
    return np.array(W), np.array(B)


def test_milp_equals_brute_force_in_5d():
    """All hyperplanes through 5 lifted vertices of 10 samples + 5 basis vectors (3003 subsets, own
    SVD normals): their best |lambda . relu| is the MILP's maximum."""
    rng = np.random.default_rng(5)
    X = rng.standard_normal((10, 5))
    W, B = _brute_force_vertices(X)
    for lam in _lambdas(rng, X, True):
        T = X @ W.T + B
        brute = max(np.abs(lam @ np.maximum(T, 0)).max(), np.abs(lam @ np.maximum(-T, 0)).max())
        found = milp_max_dual(X, lam, bias=True)
        assert found.exhaustive
        assert found.upper == pytest.approx(brute, rel=1e-9)
        assert found.value == pytest.approx(brute, rel=1e-9)


def test_scaled_and_shifted_data_give_the_scaled_value():
    """lambda . relu(X w + b) over ||w||_1 <= 1 scales with X (and is shift-invariant with a bias)."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((12, 4))
    lam = _lambdas(rng, X, True)[0]
    base = milp_max_dual(X, lam, bias=True).upper
    moved = milp_max_dual(1e3 * X + 7.0, lam, bias=True).upper
    assert moved == pytest.approx(1e3 * base, rel=1e-8)


def test_suboptimal_network_gets_ratio_above_one_and_the_neuron_helps():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 4))
    y = np.maximum(X[:, 0] - X[:, 1], 0.0) + 0.5 * np.maximum(X[:, 2] + 0.3, 0.0)
    beta = 0.05
    fitted = gr.fit(X, y, beta=beta, method="colgen", pricing="milp").network
    keep = np.argsort(-np.abs(fitted.alpha))[1:]  # drop the most important neuron
    W, b, alpha = fitted.W[keep], fitted.b[keep], fitted.alpha[keep]
    partial = ReLUNetwork(W, b, alpha, 0.0)
    c = float(np.mean(y - partial(X)))  # the optimal intercept, so that sum(lambda) = 0
    network = ReLUNetwork(W, b, alpha, c)
    certificate = gr.certify(network, X, y, beta=beta, oracle="milp")
    assert certificate.oracle == "milp" and certificate.exhaustive and not certificate.optimal
    assert certificate.ratio > 1.0
    best = certificate.best_neuron
    problem = Problem(X, y, beta=beta)
    before = problem.objective(network)
    t = 1e-2
    better = ReLUNetwork(np.vstack([W, t * best.weight]), np.append(b, t * best.bias),
                         np.append(alpha, t * best.output_sign), c)
    assert problem.objective(better) < before
    # and the fit itself is certified by the MILP oracle
    optimal = gr.certify(fitted, X, y, beta=beta, oracle="milp")
    assert optimal.optimal and optimal.mip_gap is not None and optimal.mip_gap <= 1e-8


def test_time_limited_milp_is_a_bound_not_optimal():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((70, 10))
    y = np.sin(X @ rng.standard_normal(10))
    empty = ReLUNetwork(np.zeros((0, 10)), np.zeros(0), np.zeros(0), float(y.mean()))
    certificate = gr.certify(empty, X, y, beta=1e-3, oracle="milp", milp_time_limit=0.05)
    assert not certificate.exhaustive and not certificate.optimal and certificate.gap_bound is None
    assert any("milp_time_limit" in note for note in certificate.notes)
    assert certificate.mip_gap > 0
    assert "lower bound" in certificate.method


def test_bad_input_gives_clear_errors():
    X = np.random.default_rng(0).standard_normal((6, 3))
    with pytest.raises(InvalidInputError, match="NaN"):
        milp_max_dual(X, np.array([1.0, np.nan, 0, 0, 0, -1.0]), bias=True)
    with pytest.raises(DegenerateDataError, match="zero width"):
        milp_max_dual(np.ones((4, 3)), np.array([1.0, -1.0, 0.5, -0.5]), bias=True)
    with pytest.raises(InvalidInputError, match="milp_time_limit"):
        milp_max_dual(X, np.ones(6), bias=False, time_limit=0)
    problem = Problem(X, np.zeros(6), beta=1.0, penalty="l2")
    with pytest.raises(InvalidInputError, match="penalty='l1'"):
        MilpOracle(OracleSettings())(problem, np.ones(6))
    with pytest.raises(InvalidInputError, match="unknown oracle"):
        gr.certify(ReLUNetwork(np.zeros((0, 3)), np.zeros(0), np.zeros(0), 0.0), X, np.zeros(6), beta=1.0,
                   oracle="nope")
    # sum(lambda) != 0 with a bias: the free constant, as with every oracle
    y = np.arange(6.0)
    certificate = gr.certify(ReLUNetwork(np.zeros((0, 3)), np.zeros(0), np.zeros(0), 0.0), X, y, beta=1.0,
                             oracle="milp")
    assert certificate.ratio == np.inf and certificate.best_neuron.source == "constant"


def test_polish_returns_a_vertex_of_the_chamber():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    lam = np.array([0.5, -0.5, -0.5, 0.5])
    neuron = polish_to_vertex(X, lam, np.array([-0.6, 0.1]), 0.55, bias=True)
    # relu(0.55 - 0.6 x1 + 0.1 x2) is active on x_1, x_3: the chamber's best vertex is relu(1 - x1)
    # through x_2 and x_4 ... or any vertex with the same value; it must be at least as good
    start = lam @ np.maximum(X @ np.array([-0.6, 0.1]) + 0.55, 0) / 0.7
    assert neuron.value >= start - 1e-12
    assert len(neuron.subset) == 2


def test_auto_picks_the_milp_when_the_enumeration_is_too_large(monkeypatch):
    X = np.random.default_rng(0).standard_normal((10, 3))
    problem = Problem(X, np.zeros(10), beta=1.0)
    assert choose_oracle(problem, "auto") == "vertices"
    monkeypatch.setattr(oracles, "MAX_VERTEX_SUBSETS", 10)
    assert choose_oracle(problem, "auto") == "milp" and choose_oracle(problem, True) == "milp"
    assert choose_oracle(problem, False) == "vertex_search"
    assert choose_oracle(Problem(X, np.zeros(10), beta=1.0, penalty="l2"), "auto") == "sphere_sweep"


def test_colgen_with_milp_pricing_reaches_the_reference_optimum():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((10, 3))
    y = np.maximum(X[:, 0] + X[:, 1], 0) - X[:, 2] ** 2
    beta = 0.1
    result = gr.fit(X, y, beta=beta, method="colgen", pricing="milp")
    assert result.info["certified"] and result.info["pricing_method"].startswith("milp")
    reference = l1_reference(X, y, beta, loss="squared", bias=True, fit_intercept=True)
    assert reference["lower"] - 1e-7 <= result.objective <= reference["upper"] + 1e-7
    assert result.info["gap_bound"] <= 1e-6 * result.objective


def test_fit_auto_plans_colgen_with_milp_pricing_beyond_the_work_bound():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((16, 4))
    y = np.maximum(X[:, 0] - X[:, 3], 0) + 0.1 * rng.standard_normal(16)
    with gr.options.override(max_pricing_seconds=1e-6):
        result = gr.fit(X, y, beta=0.1)
    assert result.info["method_choice"]["method"] == "colgen-milp"
    assert result.info["certified"]
    assert gr.fit(X, y, beta=0.1).info["method_choice"]["method"] != "colgen-milp"
    # every neuron is a vertex neuron, named by samples and basis vectors
    assert result.dictionary.subsets.shape[1] == 4


def test_local_search_neighbour_normals_equal_direct_svd_normals():
    """The rank-two swap formula of the local search against a fresh SVD normal per neighbour: the
    recorded scores of neighbours equal those of an own direct computation."""
    from ga_relu.convex.milp_pricing import _frame, _local_search, _vertex_rows

    rng = np.random.default_rng(7)
    X = rng.standard_normal((9, 3))
    lam = rng.standard_normal(9)
    lam -= lam.mean()
    center, scale = _frame(X, True)
    Xs = (X - center) / scale
    rows = _vertex_rows(Xs, True)
    found = {}
    _local_search(Xs, lam, rows, (0, 1, 2), True, max_moves=1, keep_above=0.0, found=found)
    assert len(found) > 20
    for subset, score in found.items():
        _, _, vt = np.linalg.svd(rows[list(subset)])
        normal = vt[-1]
        T = Xs @ normal[:3] + normal[3]
        direct = max(abs(lam @ np.maximum(T, 0)), abs(lam @ np.maximum(-T, 0))) / np.abs(normal[:3]).sum()
        assert score == pytest.approx(direct, rel=1e-9, abs=1e-12)


def test_subsets_of_ranks_inverts_the_colex_rank():
    from ga_relu.convex.colgen import _binomial_table, _subsets_of_ranks, subset_ranks

    subsets = np.array(list(itertools.combinations(range(9), 4)))
    table = _binomial_table(9, 4)
    assert np.array_equal(_subsets_of_ranks(subset_ranks(subsets, table), table, 4), subsets)
    big = np.array([[3, 50, 77, 101, 129, 140] + list(range(141, 165))])  # ranks beyond int64: Python integers
    table = _binomial_table(170, 30)
    assert np.array_equal(_subsets_of_ranks(subset_ranks(big, table), table, 30), big)


def test_heuristic_rounds_are_lower_bounds_and_the_milp_round_certifies():
    """Column generation in 5-D: every round's ratio is checked against an own brute force over all
    hyperplanes through lifted vertices: heuristic rounds are below it (lower bounds, exhaustive
    False), MILP rounds are at or above it (upper bounds)."""
    from ga_relu.convex import colgen

    rng = np.random.default_rng(5)
    X = rng.standard_normal((10, 5))
    y = np.maximum(X[:, 0] - X[:, 1], 0) + 0.3 * X[:, 2]
    W, B = _brute_force_vertices(X)
    seen = []
    original = colgen._price_milp

    def spy(X_, lam, beta, **kw):
        out = original(X_, lam, beta, **kw)
        T = X @ W.T + B
        brute = max(np.abs(lam @ np.maximum(T, 0)).max(), np.abs(lam @ np.maximum(-T, 0)).max()) / beta
        seen.append((out.exhaustive, out.ratio, brute))
        return out

    colgen._price_milp = spy
    try:
        result = colgen.fit_colgen(X, y, beta=0.05, pricing="milp", milp_time_limit=30.0)
    finally:
        colgen._price_milp = original
    assert result.info["certified"]
    assert any(not e for e, _, _ in seen) and seen[-1][0]
    for exhaustive, ratio, brute in seen:
        if exhaustive:
            assert ratio >= brute * (1 - 1e-9)
        else:
            assert ratio <= brute * (1 + 1e-9)


def test_colgen_milp_time_limit_is_an_option_and_a_bound_end_to_end():
    """A MILP time limit too short to close the gap: column generation either raises TimeLimitError
    naming milp_time_limit, or its gap bound uses the dual bound, and the fit's certificate by the
    time-limited MILP oracle is never optimal."""
    from ga_relu.convex.colgen import fit_colgen
    from ga_relu.errors import TimeLimitError

    with pytest.raises(InvalidInputError, match="milp_time_limit"):
        fit_colgen(np.eye(4), np.arange(4.0), beta=0.1, pricing="milp", milp_time_limit=-1)
    rng = np.random.default_rng(1)
    X = rng.standard_normal((40, 8))
    y = np.sin(X @ rng.standard_normal(8))
    try:
        result = gr.fit(X, y, beta=1e-3, method="colgen", pricing="milp", milp_time_limit=0.01, max_iter=2)
    except TimeLimitError as error:
        assert "milp_time_limit" in str(error)
    except gr.errors.ConvergenceError as error:  # max_iter: stated with the ratio, never certified
        assert "did not converge" in str(error)
    else:
        assert "time limit" in result.info["pricing_method"] or result.info["certified"]
        certificate = result.certificate(oracle="milp", milp_time_limit=0.02)
        assert not certificate.optimal and certificate.gap_bound is None
        assert "certified optimal" not in result.summary()


def _brute_force_max(X, lam):
    """max over all hyperplanes through lifted vertices of |lambda . relu(+-(Xw + b))|, ||w||_1 = 1 (own SVDs)."""
    W, B = _brute_force_vertices(X)
    T = X @ W.T + B
    return max(np.abs(lam @ np.maximum(T, 0)).max(), np.abs(lam @ np.maximum(-T, 0)).max())


@pytest.mark.parametrize("backend", ["highspy", "scipy"])
def test_cutoff_and_warm_start_never_change_the_bound(backend, monkeypatch):
    """Against an own brute force in 5-D: a cutoff below the maximum leaves the maximum; a cutoff above
    it is proved (upper = cutoff >= max, both sides finished); warm starts from random neurons and from
    the maximizer give the same maximum; the scipy.milp fallback agrees."""
    if backend == "scipy":
        import builtins

        real_import = builtins.__import__

        def no_highspy(name, *args, **kwargs):
            if name == "highspy":
                raise ImportError("highspy hidden by the test")
            return real_import(name, *args, **kwargs)

        monkeypatch.setattr(builtins, "__import__", no_highspy)
    rng = np.random.default_rng(11)
    X = rng.standard_normal((10, 5)) * rng.uniform(0.5, 2.0, size=5) + 3.0
    for lam in _lambdas(rng, X, True):
        brute = _brute_force_max(X, lam)
        plain = milp_max_dual(X, lam, bias=True)
        assert plain.upper == pytest.approx(brute, rel=1e-9) and plain.value == pytest.approx(brute, rel=1e-9)
        below = milp_max_dual(X, lam, bias=True, cutoff=0.8 * brute, stop_after=None)
        assert below.exhaustive and below.upper == pytest.approx(brute, rel=1e-9)
        assert below.value == pytest.approx(brute, rel=1e-9)
        above = milp_max_dual(X, lam, bias=True, cutoff=1.05 * brute)
        assert above.exhaustive and above.upper >= brute and above.upper == pytest.approx(1.05 * brute, rel=1e-12)
        assert not above.vertices  # nothing above the cutoff exists
        starts = [(rng.standard_normal(5), float(rng.standard_normal())) for _ in range(3)]
        starts.append((plain.best.weight, plain.best.bias))
        warm = milp_max_dual(X, lam, bias=True, starts=starts)
        assert warm.upper == pytest.approx(brute, rel=1e-9) and warm.value == pytest.approx(brute, rel=1e-9)
        if backend == "highspy":  # an early stop keeps a proved bound and returns neurons above the cutoff
            early = milp_max_dual(X, lam, bias=True, cutoff=0.5 * brute, stop_after=1)
            assert early.upper >= brute * (1 - 1e-9)
            assert early.vertices and all(abs(v.value) > 0.5 * brute * (1 - 1e-9) for v in early.vertices)
            for v in early.vertices:  # every returned vertex neuron attains its value on the data
                assert abs(lam @ np.maximum(X @ v.weight + v.bias, 0)) == pytest.approx(abs(v.value), rel=1e-9)


@pytest.mark.parametrize("d,n", [(4, 12), (5, 10)])
def test_early_stopped_milp_rounds_still_certify_the_full_dictionary_optimum(d, n, monkeypatch):
    """Every pricing round by the MILP (heuristics switched off), each round stopped after its first
    incumbent above the cutoff: column generation still ends certified, at the objective of the Lasso
    over the full wedge dictionary solved directly (method='wedge'), to 1e-8 relative."""
    from ga_relu.convex import milp_pricing

    rng = np.random.default_rng(100 + d)
    X = rng.standard_normal((n, d))
    y = np.maximum(X[:, 0] - X[:, 1], 0) + 0.5 * np.maximum(X[:, 2] + 0.2, 0) - 0.3 * X[:, -1]
    beta = 0.02
    statuses = []
    original = milp_pricing.milp_max_dual

    def spy(*args, **kwargs):
        out = original(*args, **kwargs)
        statuses.extend(side.status for side in out.sides)
        return out

    def no_heuristic(X_, lam, *, bias, start=None, **kwargs):
        k = X_.shape[1] if bias else X_.shape[1] - 1
        return np.zeros((0, k), dtype=np.intp), np.zeros(0)

    monkeypatch.setattr(milp_pricing, "milp_max_dual", spy)
    monkeypatch.setattr(milp_pricing, "heuristic_vertices", no_heuristic)
    monkeypatch.setattr(milp_pricing, "MILP_STOP_AFTER", 1)
    result = gr.fit(X, y, beta=beta, method="colgen-milp", tol=1e-9, max_iter=200)
    assert result.info["certified"]
    assert any(status.startswith("stopped after 1 neuron") for status in statuses)
    reference = gr.fit(X, y, beta=beta, method="wedge")
    assert result.objective == pytest.approx(reference.objective, rel=1e-8)
    assert result.info["gap_bound"] <= 1e-6 * result.objective


def test_time_limited_milp_round_is_a_bound_never_certified():
    """A MILP stopped at once by its time limit: the bound it reports is at least the exact maximum
    (vertex enumeration) and the cutoff, the result is not exhaustive, and a certificate built on it
    is not optimal."""
    from ga_relu.convex.milp_pricing import price_with_milp

    rng = np.random.default_rng(12)
    X = rng.standard_normal((40, 6))
    lam = _lambdas(rng, X, True)[0]
    bound = milp_max_dual(X, lam, bias=True, time_limit=1e-3, cutoff=1e-9)
    assert not bound.exhaustive and any(not side.solved for side in bound.sides)
    exact_lower = milp_max_dual(X, lam, bias=True, time_limit=30.0).value  # a neuron attains it
    assert bound.upper >= exact_lower * (1 - 1e-9)
    assert "stopped" in bound.describe()
    from ga_relu.errors import TimeLimitError

    try:
        fields = price_with_milp(X, lam, exact_lower / 2, bias=True, top=0, tol=1e-6, time_limit=1e-3,
                                 is_new=lambda s: np.ones(len(s), bool))
    except TimeLimitError as error:  # no neuron found in time: neither certified nor improved
        assert "milp_time_limit" in str(error)
    else:
        assert fields["ratio"] >= 2 * (1 - 1e-9) and "dual bound" in fields["method"]


def test_thread_count_can_change_between_solves():
    """HiGHS fixes its scheduler's thread count at the first solve of a process; a later solve with
    another count used to fail with status "Not Set". Each count must give the same proved maximum."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 5))
    lam = rng.normal(size=20)
    lam -= lam.mean()
    values = [milp_max_dual(X, lam, bias=True, threads=t).upper for t in (None, 1, 2, None)]
    assert values == pytest.approx([values[0]] * 4, rel=1e-9)
