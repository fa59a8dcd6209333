"""The logistic loss's optimal intercept (a 1-D convex minimization) against scipy's brentq on its
derivative, on predictions where undamped Newton from zero diverges."""

import numpy as np
import pytest
from scipy.optimize import brentq

from ga_relu.convex.losses import get_loss


def _derivative(g, y):
    return lambda c: -float(np.sum(y * np.exp(-np.logaddexp(0.0, y * (g + c)))))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("spread", [1.0, 30.0, 300.0])
def test_intercept_is_the_root_of_the_derivative(seed, spread):
    rng = np.random.default_rng(seed)
    n = 200
    y = np.where(rng.random(n) < 0.3, 1.0, -1.0)
    g = spread * rng.standard_normal(n) + rng.choice([0.0, 50.0, -80.0])
    phi = _derivative(g, y)
    reference = brentq(phi, -1e4, 1e4, xtol=1e-13, rtol=1e-15, maxiter=500)
    for c0 in (0.0, reference + 1e3, reference - 1e3):
        c = get_loss("logistic").optimal_intercept(g, y, c0)
        assert abs(phi(c)) <= 1e-10 * n
        assert abs(c - reference) <= 1e-8 * (1 + abs(reference)) or abs(phi(c)) <= abs(phi(reference)) + 1e-12


def test_flat_start_where_plain_newton_diverges():
    """Well-classified samples at |f| = 40 and a few misclassified ones: at c = 0 the second derivative
    is ~1e-17 while the first is ~2, so an undamped Newton step jumps to ~1e17 (it went to -5e79 on
    a warm start of column generation on moons)."""
    y = np.array([1.0] * 50 + [-1.0] * 50 + [1.0, 1.0, 1.0, -1.0])
    g = np.concatenate([np.full(50, 40.0), np.full(50, -40.0), [-40.0, -40.0, -40.0, 40.0]])
    phi = _derivative(g, y)
    reference = brentq(phi, -200.0, 200.0, xtol=1e-13, rtol=1e-15, maxiter=500)
    c = get_loss("logistic").optimal_intercept(g, y, 0.0)
    assert np.isfinite(c) and abs(phi(c)) <= 1e-10 * len(y)
    assert abs(c - reference) <= 1e-8 * (1 + abs(reference))
