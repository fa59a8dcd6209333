"""Certificates for arbitrary networks, chamber enumeration, bad input (ga_relu.certify, ga_relu.convex.chambers)."""

import math

import itertools

import numpy as np
import pytest
from reference import dense_dual_ratio

from ga_relu.convex.fitting import fit as fit_p
from ga_relu.certification.certificate import certify
from ga_relu.convex.losses import dual_objective
from ga_relu.certification.weight_decay import weight_decay_gap
from ga_relu.convex.exact import fit_exact_weight_decay
from ga_relu.convex.chambers import count_regions_general_position, enumerate_chambers
from ga_relu.errors import EnumerationTooLargeError, InvalidInputError
from ga_relu.networks.relu import ReLUNetwork


def sampled_patterns(X, bias, n_dirs, seed):
    """Independent brute force: sign patterns of X~ v for many random v."""
    rng = np.random.default_rng(seed)
    Xt = np.hstack([X, np.ones((len(X), 1))]) if bias else X
    V = rng.normal(size=(n_dirs, Xt.shape[1]))
    return {tuple(row) for row in (V @ Xt.T > 0)}


# ---------------------------------------------------------------------------------------------
# chambers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n,d,bias,seed", [(7, 2, True, 0), (6, 3, True, 1), (8, 2, False, 2), (7, 3, False, 3),
                                           (6, 1, True, 4)])
def test_chambers_complete_and_counted(n, d, bias, seed):
    X = np.random.default_rng(seed).normal(size=(n, d))
    ch = enumerate_chambers(X, bias=bias)
    found = {tuple(row) for row in ch.patterns}
    assert len(found) == len(ch)
    # every enumerated pattern is realized by its witness, and dense sampling finds nothing else
    Xt = np.hstack([X, np.ones((n, 1))]) if bias else X
    assert np.array_equal(Xt @ ch.points.T > 0, ch.patterns.T)
    assert sampled_patterns(X, bias, 200_000, seed) <= found
    # general position: Zaslavsky / Cover count, written out independently
    k = d + 1 if bias else d
    assert len(ch) == 2 * sum(math.comb(n - 1, i) for i in range(k))
    assert count_regions_general_position(n, k) == len(ch)


def test_chambers_degenerate_data_recursion():
    """A 3 x 3 grid (many collinear triples) and a repeated sample: rays through > d samples."""
    X = np.array([[i, j] for i in range(3) for j in range(3)], float)
    X = np.vstack([X, X[4]])
    ch = enumerate_chambers(X, bias=True)
    assert ch.n_degenerate_rays > 0
    sampled = sampled_patterns(X, True, 400_000, 0)
    assert {tuple(r) for r in ch.patterns} == sampled
    # 1-D: 2n patterns for n distinct points with bias; duplicates do not add any
    x = np.array([[0.0], [1.0], [1.0], [3.0]])
    assert len(enumerate_chambers(x, bias=True)) == 2 * 3


def test_chambers_too_many_says_count_and_fix():
    X = np.random.default_rng(0).normal(size=(30, 3))
    with pytest.raises(EnumerationTooLargeError, match=r"8,180 chambers.*exhaustive=False"):
        enumerate_chambers(X, bias=True, max_patterns=1000)


# ---------------------------------------------------------------------------------------------
# certificates of arbitrary networks
# ---------------------------------------------------------------------------------------------


def random_network(rng, d, m, bias=True):
    return ReLUNetwork(rng.normal(size=(m, d)), rng.normal(size=m) if bias else None, rng.normal(size=m), 0.1)


@pytest.mark.parametrize("penalty,bias,d", [("l2", True, 2), ("l2", False, 3), ("l1", True, 3), ("l2", True, 1)])
def test_certificate_is_a_max_above_dense_search(penalty, bias, d):
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(8, d)), rng.normal(size=8)
    net = random_network(rng, d, 3, bias)
    # center the residual so that the ratio is finite with a bias
    net = ReLUNetwork(net.W, net.b, net.alpha, net.c + np.mean(y - net(X)))
    cert = certify(net, X, y, beta=0.05, penalty=penalty, bias=bias)
    lam = y - net(X)
    dense = dense_dual_ratio(X, lam, 0.05, penalty=penalty, bias=bias, n_dirs=20000)
    assert cert.exhaustive and not cert.optimal
    assert dense - 1e-9 <= cert.ratio <= dense * (1 + 0.02)  # dense search gets close in low dimension
    bn = cert.best_neuron
    norm = np.abs(bn.weight).sum() if penalty == "l1" else np.linalg.norm(bn.weight)
    assert norm == pytest.approx(1.0)
    assert abs(lam @ bn(X)) / 0.05 == pytest.approx(cert.ratio, rel=1e-9)
    # the sampled fallback is a lower bound of the exact maximum
    low = certify(net, X, y, beta=0.05, penalty=penalty, bias=bias, exhaustive=False, random_state=3)
    assert not low.exhaustive and low.gap_bound is None
    assert low.ratio <= cert.ratio + 1e-9
    assert low.ratio >= 0.9 * cert.ratio
    again = certify(net, X, y, beta=0.05, penalty=penalty, bias=bias, exhaustive=False, random_state=3)
    assert again.ratio == low.ratio


def test_gap_bound_is_valid_and_best_neuron_improves():
    rng = np.random.default_rng(8)
    X, y = rng.normal(size=(9, 2)), rng.normal(size=9)
    beta = 0.2
    opt = fit_exact_weight_decay(X, y, beta=beta, compare_wedge=False).objective
    for trial in range(4):
        net = random_network(rng, 2, 4).balanced("l2")
        net = ReLUNetwork(net.W, net.b, net.alpha, float(np.mean(y - net.hidden(X) @ net.alpha)))
        cert = certify(net, X, y, beta=beta, penalty="l2")
        assert cert.gap_bound is not None
        assert cert.objective - opt <= cert.gap_bound + 1e-8
        assert cert.dual_objective <= opt + 1e-8  # weak duality, independent of the bound's arithmetic
        if cert.ratio > 1:
            bn = cert.best_neuron
            t = 1e-3
            grown = ReLUNetwork(np.vstack([net.W, t * bn.weight]), np.append(net.b, t * bn.bias),
                                np.append(net.alpha, t * bn.output_sign), net.c)
            assert grown.objective(X, y, beta, "l2") < cert.objective


def test_intercept_and_balance_conditions():
    rng = np.random.default_rng(9)
    X, y = rng.normal(size=(8, 2)), rng.normal(size=8)
    fit = fit_p(X, y, beta=0.1, penalty="l1")
    net = fit.network
    shifted = ReLUNetwork(net.W, net.b, net.alpha, net.c + 0.3)
    cert = certify(shifted, X, y, beta=0.1, penalty="l1")
    assert cert.ratio == np.inf and not cert.optimal and cert.best_neuron.source == "constant"
    assert cert.residuals["intercept"] == pytest.approx(8 * 0.3 / 0.1)
    # same function, unbalanced: not optimal in (P), and the note says why
    unbalanced = ReLUNetwork(2 * net.W, 2 * net.b, net.alpha / 2, net.c)
    cert = certify(unbalanced, X, y, beta=0.1, penalty="l1")
    assert cert.ratio == pytest.approx(fit.certificate().ratio) and not cert.optimal
    assert cert.residuals["balance"] > 0.5 and any("balanced" in note for note in cert.notes)
    # certified for the wrong penalty: the note names the penalty it is balanced for
    cert = certify(net, X, y, beta=0.1, penalty="l2")
    assert not cert.optimal and any("penalty='l1'" in note for note in cert.notes)


def test_dual_objective_matches_conjugates():
    """D(lambda) = -sum L*(-lambda_i): check against a numeric sup over f for each loss."""
    y = np.array([1.0, -1.0, 1.0])
    lam = np.array([0.3, -0.6, 0.9])
    f = np.linspace(-30, 30, 600001)
    for loss in ("squared", "logistic", "hinge"):
        total = 0.0
        for li, yi in zip(lam, y):
            if loss == "squared":
                ell = 0.5 * (f - yi) ** 2
            elif loss == "logistic":
                ell = np.logaddexp(0.0, -yi * f)
            else:
                ell = np.maximum(0.0, 1 - yi * f)
            total += np.min(ell + li * f)  # -L*(-lambda) = inf_f L(f) + lambda f
        assert dual_objective(loss, lam, y) == pytest.approx(total, abs=1e-6)


def test_weight_decay_gap_function():
    rng = np.random.default_rng(10)
    X, y = rng.normal(size=(9, 2)), rng.normal(size=9)
    out = weight_decay_gap(X, y, beta=0.1)
    assert out["gap"] >= -1e-7
    assert out["wedge_objective"] >= out["exact_objective"] - 1e-7
    assert out["exact"].certificate().optimal


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


def test_bad_input_named_errors():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(8, 2)), rng.normal(size=8)
    net = random_network(rng, 2, 3)
    with pytest.raises(InvalidInputError, match="X has 3 features"):
        certify(net, rng.normal(size=(8, 3)), y, beta=0.1)
    with pytest.raises(InvalidInputError, match="unknown penalty"):
        certify(net, X, y, beta=0.1, penalty="l3")
    with pytest.raises(InvalidInputError, match="bias=True"):
        certify(net, X, y, beta=0.1, bias=False)
    with pytest.raises(InvalidInputError, match="lacks"):
        certify(object(), X, y, beta=0.1)
    with pytest.raises(InvalidInputError, match="alpha"):
        certify(ReLUNetwork(net.W, net.b, np.ones((3, 2))), X, y, beta=0.1)
    with pytest.raises(InvalidInputError, match="beta"):
        certify(net, X, y, beta=-1.0)
    with pytest.raises(InvalidInputError, match="exhaustive"):
        certify(net, X, y, beta=0.1, exhaustive="yes")
    # vector outputs with weight decay: no exact oracle (2-D and 3-D have sweeps, from 4-D the MILP,
    # all for one output), so exhaustive=True is refused
    vector = ReLUNetwork(rng.normal(size=(3, 4)), rng.normal(size=3), rng.normal(size=(3, 2)), np.zeros(2))
    with pytest.raises(EnumerationTooLargeError, match="exhaustive=False"):
        certify(vector, rng.normal(size=(8, 4)), rng.normal(size=(8, 2)), beta=0.1, penalty="l2", exhaustive=True)
    with pytest.raises(InvalidInputError, match="penalty='l2'"):
        fit_p(X, y, beta=0.1, penalty="l1", method="exact")
    fit = fit_p(X, y, beta=0.1)
    with pytest.raises(InvalidInputError, match="ga_relu.certify"):
        fit.certificate(beta=0.2)


@pytest.mark.parametrize("penalty", ["l1", "l2"])
def test_hinge_networks_are_certified_without_the_solver_dual(penalty):
    """At the margin (y f = 1) the hinge subgradient is free; certify picks one that certifies."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(12, 2))
    y = np.where(X[:, 0] * X[:, 1] > 0, 1.0, -1.0)
    method = "exact" if penalty == "l2" else "wedge"
    fit = fit_p(X, y, beta=0.2, loss="hinge", penalty=penalty, method=method)
    cert = certify(fit.network, X, y, beta=0.2, loss="hinge", penalty=penalty)  # no dual= given
    assert cert.exhaustive and cert.optimal
    # the chosen lambda is a hinge subgradient at the network's predictions: lambda = y mu,
    # mu = 1 where y f < 1, 0 where y f > 1, in [0, 1] at the margin
    mu, margin = cert.dual * y, 1 - y * fit.predict(X)
    assert np.all(mu >= -1e-12) and np.all(mu <= 1 + 1e-12)
    assert np.all(mu[margin > 1e-4] == 1) and np.all(mu[margin < -1e-4] == 0)
    assert abs(cert.dual.sum()) < 1e-8
    # and an independent dense search with it finds no better neuron
    assert dense_dual_ratio(X, cert.dual, 0.2, penalty=penalty, bias=True, n_dirs=8000) <= 1 + 1e-4
    # a network fitted at another beta is not optimal here, whatever mu is chosen
    other = fit_p(X, y, beta=0.6, loss="hinge", penalty=penalty, method=method)
    assert not certify(other.network, X, y, beta=0.2, loss="hinge", penalty=penalty).optimal


def _exact_vertex_ratio_2d(X, lam, beta):
    """max over the lines through two lifted vertices (samples (x, 1), basis vectors (e_k, 0)) of
    |lambda . relu(+-(X w + b))| / ||w||_1 / beta, in exact rationals at the data's binary values
    (the normal is the cross product of the two lifted rows)."""
    from fractions import Fraction

    F = [[Fraction(float(v)) for v in x] for x in X]
    L = [Fraction(float(v)) for v in lam]
    rows = [x + [Fraction(1)] for x in F] + [[Fraction(1), Fraction(0), Fraction(0)], [Fraction(0), Fraction(1), Fraction(0)]]
    best = Fraction(0)
    for p, q in itertools.combinations(rows, 2):
        w1, w2, b = p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0]
        norm = abs(w1) + abs(w2)
        if norm == 0:
            continue
        for side in (1, -1):
            score = sum(l * max(side * (w1 * x[0] + w2 * x[1] + b), 0) for l, x in zip(L, F))
            best = max(best, abs(score) / norm)
    return float(best / Fraction(beta))


@pytest.mark.parametrize("seed", [11, 24, 0])
def test_certificate_far_from_the_origin_equals_exact_rationals(seed):
    """Data at -1e6 with unit spread: lifted cross products cancel there (seeds 11 and 24 lost 2e-7
    and 9e-7 of the maximum before the exact shift, enough to mis-state a 1e-6 gap). The
    certificate's ratio must equal the maximum over every vertex in exact rationals."""
    rng = np.random.default_rng(seed)
    X = -1e6 + rng.normal(size=(12, 2))
    y = rng.normal(size=12)
    net = ReLUNetwork(np.ones((1, 2)), np.zeros(1), np.zeros(1), float(np.mean(y)))  # lambda = y - mean(y)
    cert = certify(net, X, y, beta=0.1)
    exact = _exact_vertex_ratio_2d(X, cert.dual, 0.1)
    assert cert.ratio == pytest.approx(exact, rel=1e-12)
