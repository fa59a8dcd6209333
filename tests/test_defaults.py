"""The default path is the fast one (issue 17): auto's plan by predicted cost, the numpy sweep,
certificates that reuse column generation's final pricing, the method choice logged."""

from __future__ import annotations

import logging

import numpy as np
import pytest

import ga_relu
from ga_relu.convex.colgen import price
from ga_relu.convex.fitting import plan_method
from ga_relu.convex.problem import Problem


def brute_force_ratio(X, lam, beta):
    """Own enumeration (l1, bias, 2-D): every line through two samples and every axis-parallel line
    through one sample, unit l1 normal, both sides; the largest |lambda . relu| / beta."""
    n = len(X)
    best = 0.0
    rows = []
    for i in range(n):
        for j in range(i + 1, n):
            d = X[j] - X[i]
            normal = np.array([d[1], -d[0]])
            if not np.any(normal):
                continue
            rows.append((normal / np.abs(normal).sum(), X[i]))
        for axis in range(2):
            rows.append((np.eye(2)[axis], X[i]))
    for w, point in rows:
        P = X @ w - w @ point
        for side in (P, -P):
            best = max(best, abs(lam @ np.maximum(side, 0.0)) / beta)
    return best


def test_numpy_sweep_prices_every_line_like_a_brute_force():
    r = np.random.default_rng(3)
    X = r.standard_normal((160, 2))
    X[7] = X[3]  # a repeated point: no line
    lam = r.standard_normal(160)
    lam -= lam.mean()
    sweep = price(X, lam, 0.7, penalty="l1", bias=True, top=5)  # auto: the sweep from 150 samples on
    stream = price(X, lam, 0.7, penalty="l1", bias=True, top=5, method="stream")
    assert sweep.method == "sweep"
    assert sweep.ratio == pytest.approx(brute_force_ratio(X, lam, 0.7), rel=1e-12)
    assert sweep.ratio == pytest.approx(stream.ratio, rel=1e-12)
    np.testing.assert_allclose(np.sort(sweep.scores), np.sort(stream.scores), rtol=1e-12)


def test_auto_plans_the_full_solve_only_for_small_dictionaries():
    r = np.random.default_rng(0)
    small = Problem(r.standard_normal((40, 2)), r.standard_normal(40), beta=0.1)  # 1,722 columns
    large = Problem(r.standard_normal((100, 2)), r.standard_normal(100), beta=0.1)  # 10,302 columns
    assert plan_method(small, "auto").attempts == ("wedge",)
    plan = plan_method(large, "auto")
    assert plan.attempts == ("colgen", "wedge") and "10,302 columns" in plan.reason


@pytest.mark.parametrize("loss", ["squared", "logistic"])
def test_reused_certificate_equals_a_fresh_certify(loss):
    r = np.random.default_rng(1)
    X = r.standard_normal((70, 2))
    y = r.standard_normal(70) if loss == "squared" else np.where(X[:, 0] * X[:, 1] > 0, 1.0, -1.0)
    result = ga_relu.fit(X, y, beta=0.5, loss=loss, method="colgen")
    assert result.info["final_pricing"] is not None
    reused = result.certificate()
    fresh = ga_relu.certify(result.network, X, y, beta=0.5, loss=loss)  # its own vertex enumeration
    assert reused.oracle == "colgen-final-pricing" and fresh.oracle != reused.oracle
    assert reused.optimal and fresh.optimal and reused.exhaustive
    assert reused.ratio == pytest.approx(fresh.ratio, rel=1e-12)
    assert reused.gap_bound == pytest.approx(fresh.gap_bound, rel=1e-6, abs=1e-12 * abs(fresh.objective))
    assert reused.objective == fresh.objective
    np.testing.assert_array_equal(reused.dual, fresh.dual)
    assert abs(reused.best_neuron.value) == pytest.approx(abs(fresh.best_neuron.value), rel=1e-12)


def test_another_network_is_not_certified_by_the_recorded_pricing():
    r = np.random.default_rng(2)
    X, y = r.standard_normal((60, 2)), r.standard_normal(60)
    result = ga_relu.fit(X, y, beta=0.5, method="colgen")
    result.network = ga_relu.ReLUNetwork(result.network.W, result.network.b, 0.5 * result.network.alpha,
                                         result.network.c)
    reused = result.certificate()  # lambda differs from the record: the oracle enumerates itself
    fresh = ga_relu.certify(result.network, X, y, beta=0.5)
    assert not reused.optimal and not fresh.optimal
    assert reused.ratio == pytest.approx(fresh.ratio, rel=1e-12)


def test_the_choice_is_logged_and_recorded(caplog):
    r = np.random.default_rng(0)
    X, y = r.standard_normal((100, 2)), r.standard_normal(100)
    with caplog.at_level(logging.INFO, logger="ga_relu"):
        result = ga_relu.fit(X, y, beta=0.5, verbose=True)
    choice = result.info["method_choice"]
    assert choice["method"] == "colgen" and "columns" in choice["reason"]
    assert any("method='auto' runs 'colgen'" in record.getMessage() for record in caplog.records)
