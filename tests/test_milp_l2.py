"""Weight decay beyond the plane by outer approximation of the l2 ball (milp_max_dual_l2, the
"milp_l2" oracle), and MILP time limits that hold: against the chamber oracle (a cone program per
chamber), a dense random search of unit neurons, scaled copies of the data, and the wall clock."""

from __future__ import annotations

import time

import numpy as np
import pytest
from reference import dense_dual_ratio

import ga_relu as gr
from ga_relu.certification import oracles
from ga_relu.certification.milp import MilpL2Oracle
from ga_relu.certification.oracles import ChamberOracle, OracleSettings, choose_oracle
from ga_relu.convex.milp_pricing import milp_max_dual_l2
from ga_relu.convex.problem import Problem
from ga_relu.errors import InvalidInputError, TimeLimitError
from ga_relu.networks.relu import ReLUNetwork


def _residual_dual(X, bias):
    """The residual of a nonlinear target: the kind of lambda a certificate sees."""
    y = np.sin(2 * X[:, 0]) + X[:, -1] ** 2
    lam = y - y.mean() if bias else y
    return lam


@pytest.mark.parametrize("d,n,bias", [(3, 10, True), (4, 12, True), (4, 11, False)])
def test_bounds_bracket_the_chamber_maximum_and_meet_it(d, n, bias):
    """U >= the chamber oracle's maximum >= L; converged, both equal it to 1e-6 relative; the
    neuron returned has unit l2 norm and attains L on the data."""
    rng = np.random.default_rng(10 * d + n)
    X = rng.standard_normal((n, d)) * rng.uniform(0.5, 2.0, size=d)
    lam = _residual_dual(X, bias)
    exact = ChamberOracle(OracleSettings())(Problem(X, np.zeros(n), beta=1.0, penalty="l2", bias=bias), lam).value
    found = milp_max_dual_l2(X, lam, bias=bias)
    # the sides' own MILP bounds (the result's U is also floored at L, which would hide a bad cut)
    assert max(side.upper for side in found.sides) >= exact * (1 - 1e-9)
    assert found.value <= exact * (1 + 1e-7)  # the chamber oracle's points are accurate to its solver
    assert found.converged and found.cuts > 0
    assert found.upper == pytest.approx(exact, rel=1e-6) and found.value == pytest.approx(exact, rel=1e-6)
    assert np.linalg.norm(found.weight) == pytest.approx(1.0, rel=1e-12)
    attained = lam @ np.maximum(X @ found.weight + found.bias, 0.0)
    assert attained == pytest.approx(found.signed_value, rel=1e-12) and abs(attained) == found.value


def test_dense_random_search_never_exceeds_the_upper_bound():
    """5-D, 16 samples: no unit neuron of a dense random search (with its best breakpoint bias)
    beats U, even with a round limit of one MILP per side (U then a bound, not the maximum)."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((16, 5))
    lam = _residual_dual(X, True)
    dense = dense_dual_ratio(X, lam, 1.0, penalty="l2", bias=True, n_dirs=6000)
    one_round = milp_max_dual_l2(X, lam, bias=True, max_rounds=1)
    assert not one_round.converged and all(side.status == "round limit" for side in one_round.sides
                                           if not side.solved)
    assert one_round.upper >= dense
    found = milp_max_dual_l2(X, lam, bias=True)
    assert found.converged and dense <= max(side.upper for side in found.sides) and found.value <= one_round.upper * (1 + 1e-12)
    assert found.value >= dense * (1 - 1e-6)  # converged: L is the maximum, which the search only approaches


def test_scaled_and_shifted_data_and_a_cutoff():
    """max over ||w||_2 <= 1 scales with the data and ignores a shift (with a bias); a cutoff above
    the maximum is proved (U = cutoff: no neuron above it)."""
    rng = np.random.default_rng(4)
    X = rng.standard_normal((11, 4))
    lam = _residual_dual(X, True)
    base = milp_max_dual_l2(X, lam, bias=True)
    moved = milp_max_dual_l2(50.0 * X - 3.0, lam, bias=True)
    assert moved.upper == pytest.approx(50.0 * base.upper, rel=1e-6)
    above = milp_max_dual_l2(X, lam, bias=True, cutoff=1.1 * base.upper)
    assert above.converged and above.upper == pytest.approx(1.1 * base.upper, rel=1e-12)


def test_milp_l2_oracle_certifies_the_exact_weight_decay_fit():
    """The exact weight-decay fit (cone program over all chambers) in 4-D: the milp_l2 oracle
    certifies it optimal with the chamber oracle's ratio; a network missing its largest neuron
    gets a ratio above 1 from both, with U >= the chamber ratio."""
    rng = np.random.default_rng(6)
    X = rng.standard_normal((9, 4))
    y = np.maximum(X[:, 0] - X[:, 1], 0.0) + 0.5 * X[:, 2]
    beta = 0.1
    fit = gr.fit(X, y, beta=beta, penalty="l2", method="exact")
    by_milp = gr.certify(fit.network, X, y, beta=beta, penalty="l2", oracle="milp_l2")
    by_chambers = gr.certify(fit.network, X, y, beta=beta, penalty="l2", oracle="chambers")
    assert by_chambers.optimal and by_milp.optimal and by_milp.exhaustive and by_milp.oracle == "milp_l2"
    assert by_milp.ratio == pytest.approx(by_chambers.ratio, rel=1e-6)
    net = fit.network
    keep = np.argsort(-np.abs(net.alpha))[1:]
    partial = ReLUNetwork(net.W[keep], net.b[keep], net.alpha[keep], 0.0)
    worse = ReLUNetwork(net.W[keep], net.b[keep], net.alpha[keep], float(np.mean(y - partial(X))))
    milp_cert = gr.certify(worse, X, y, beta=beta, penalty="l2", oracle="milp_l2")
    chamber_cert = gr.certify(worse, X, y, beta=beta, penalty="l2", oracle="chambers")
    assert not milp_cert.optimal and chamber_cert.ratio > 1
    assert milp_cert.ratio >= chamber_cert.ratio * (1 - 1e-9)


def test_time_limited_milp_l2_is_a_bound_never_optimal():
    """A 0.05 s limit on 6-D data: the certificate's ratio is a proved upper bound (at least a dense
    search's value) or only a lower bound (no MILP bound in time), never optimal, and says so."""
    rng = np.random.default_rng(7)
    X = rng.standard_normal((50, 6))
    y = np.sin(X @ rng.standard_normal(6))
    empty = ReLUNetwork(np.zeros((0, 6)), np.zeros(0), np.zeros(0), float(y.mean()))
    certificate = gr.certify(empty, X, y, beta=1e-2, penalty="l2", oracle="milp_l2", milp_time_limit=0.05)
    assert not certificate.optimal
    dense = dense_dual_ratio(X, certificate.dual, 1e-2, penalty="l2", bias=True, n_dirs=2000)
    if certificate.exhaustive:
        assert certificate.ratio >= dense
        assert any("proved upper bound" in note for note in certificate.notes)
    else:
        assert certificate.gap_bound is None and "lower bound" in certificate.method
    assert "time limit" in certificate.method


def test_auto_picks_milp_l2_beyond_the_chamber_limit_from_4d(monkeypatch):
    rng = np.random.default_rng(0)
    four = Problem(rng.standard_normal((10, 4)), np.zeros(10), beta=1.0, penalty="l2")
    three = Problem(rng.standard_normal((10, 3)), np.zeros(10), beta=1.0, penalty="l2")
    assert choose_oracle(four, "auto") == "chambers"
    settings = OracleSettings(max_patterns=10)
    assert choose_oracle(four, "auto", settings) == "milp_l2" and choose_oracle(four, True, settings) == "milp_l2"
    assert choose_oracle(four, False, settings) == "direction_search"
    assert choose_oracle(three, "auto", settings) == "sphere_sweep"  # 3-D: the exact sweep, not the MILP
    vector = Problem(rng.standard_normal((10, 4)), np.zeros((10, 2)), beta=1.0, penalty="l2")
    assert choose_oracle(vector, "auto", settings) == "direction_search"
    monkeypatch.delitem(oracles.ORACLES, "milp_l2")
    assert choose_oracle(four, "auto", settings) == "direction_search"


def test_bad_input_names_the_problem():
    X = np.random.default_rng(1).standard_normal((6, 4))
    with pytest.raises(InvalidInputError, match="milp_l2 oracle"):
        MilpL2Oracle(OracleSettings())(Problem(X, np.zeros(6), beta=1.0), np.ones(6))
    with pytest.raises(InvalidInputError, match="rel_gap"):
        milp_max_dual_l2(X, np.ones(6), bias=False, rel_gap=2.0)
    with pytest.raises(InvalidInputError, match="max_rounds"):
        milp_max_dual_l2(X, np.ones(6), bias=False, max_rounds=0)
    with pytest.raises(InvalidInputError, match="milp_time_limit"):
        milp_max_dual_l2(X, np.ones(6), bias=False, time_limit=-1.0)


def test_colgen_with_milp_pricing_keeps_its_time_limit():
    """MILP rounds of several seconds each (10-D, 60 samples, small beta): with time_limit=2 the run
    stops by about 2 s (each MILP side capped by the time left; the error's last pricing gets 10% of
    the limit), where before it ran one whole MILP round past it (tens of seconds here)."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((60, 10))
    y = np.sin(X @ rng.standard_normal(10))
    start = time.perf_counter()
    with pytest.raises(TimeLimitError, match="time limit") as error:
        gr.fit(X, y, beta=1e-3, method="colgen", pricing="milp", time_limit=2.0, milp_time_limit=60.0)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0 + 3.0, f"{elapsed:.1f} s"  # the margin: the last round's heuristics and solve
    assert "milp_time_limit=60" not in str(error.value)  # the run's limit stopped it, not the MILP's


def test_pricing_error_names_the_limit_that_stopped_it():
    """A pricing MILP with no time left: the error names the run's time_limit when its deadline
    passed and milp_time_limit when the per-side limit stopped it, and shows no lower bound "[0, ..."
    when no neuron was found."""
    from ga_relu.convex.milp_pricing import price_with_milp

    rng = np.random.default_rng(12)
    X = rng.standard_normal((40, 6))
    lam = _residual_dual(X, True)
    is_new = lambda subsets: np.ones(len(subsets), bool)  # noqa: E731
    with pytest.raises(TimeLimitError) as by_run:
        price_with_milp(X, lam, 1.0, bias=True, top=0, tol=1e-6, time_limit=60.0, is_new=is_new,
                        deadline=(time.perf_counter(), 5.0))
    message = str(by_run.value)
    assert "time_limit=5 s" in message and "milp_time_limit" not in message and "[0," not in message
    assert "no neuron found" in message
    with pytest.raises(TimeLimitError) as by_side:
        price_with_milp(X, lam, 1.0, bias=True, top=0, tol=1e-6, time_limit=1e-3, is_new=is_new)
    assert "milp_time_limit=0.001 s per side" in str(by_side.value) and "[0," not in str(by_side.value)
