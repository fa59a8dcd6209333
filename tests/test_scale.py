"""Scale safety of the vertex dictionary (issue 12 section 1): fits of the same data scaled by
10^k and with mixed per-feature scales, checked against an INDEPENDENT dictionary and Lasso written
here (exact Fraction cross products by the Leibniz formula, exact duplicate removal, an own cvxpy
Lasso, and a HiGHS LP for the minimum-l1 interpolant).

Scale covariance used by the property test (a fact about (P), not about the code): the hyperplane
of a subset of sX has normal (w / s, b), so every unit-norm column of sX is s times that of X, and
with z' = s z, P(sX, y, s beta) = P(X, y, beta). One unit-scale reference thus checks every scale.
"""

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ga_relu


# ---------------------------------------------------------------------------------------------
# independent reference: own T2 dictionary (l1, bias) in exact arithmetic, own Lasso
# ---------------------------------------------------------------------------------------------


def _det(rows):
    """Leibniz determinant of a small square matrix of Fractions."""
    k = len(rows)
    total = Fraction(0)
    for perm in itertools.permutations(range(k)):
        inversions = sum(perm[i] > perm[j] for i in range(k) for j in range(i + 1, k))
        term = Fraction(1)
        for i in range(k):
            term *= rows[i][perm[i]]
        total += -term if inversions % 2 else term
    return total


def exact_t2_hyperplanes(X):
    """Distinct hyperplanes through d of the lifted vertices (x_i, 1), (e_k, 0), in exact arithmetic
    at the floats' binary values: (w, b) as Fractions with ||w||_1 = 1, one per hyperplane."""
    n, d = X.shape
    vertices = [[Fraction(float(v)) for v in row] + [Fraction(1)] for row in X]
    vertices += [[Fraction(int(i == k)) for i in range(d)] + [Fraction(0)] for k in range(d)]
    seen, planes = set(), []
    for S in itertools.combinations(range(n + d), d):
        rows = [vertices[v] for v in S]
        normal = [(-1) ** t * _det([[r[c] for c in range(d + 1) if c != t] for r in rows]) for t in range(d + 1)]
        if all(q == 0 for q in normal[:d]):
            continue
        pivot = next(q for q in normal if q != 0)
        key = tuple(q / pivot for q in normal)  # the same for +v and -v
        if key in seen:
            continue
        seen.add(key)
        l1 = sum(abs(q) for q in normal[:d])
        planes.append([q / l1 for q in normal])
    return planes


def reference_lasso(X, y, beta):
    """min 0.5 ||K z + c - y||^2 + beta ||z||_1 over the exact T2 dictionary, by cvxpy (Clarabel)."""
    import cvxpy as cp

    planes = exact_t2_hyperplanes(X)
    W = np.array([[float(q) for q in p[:-1]] for p in planes])
    b = np.array([float(p[-1]) for p in planes])
    P = X @ W.T + b
    K = np.hstack([np.maximum(P, 0), np.maximum(-P, 0)])
    scale = np.abs(K).max()  # the solve is at unit column scale: z = z' / scale
    z, c = cp.Variable(K.shape[1]), cp.Variable()
    objective = 0.5 * cp.sum_squares(K / scale @ z + c - y) + beta / scale * cp.norm1(z)
    problem = cp.Problem(cp.Minimize(objective))
    problem.solve(solver="CLARABEL", tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    return float(problem.value), len(planes)


def min_l1_interpolant(X, y):
    """min ||z||_1 s.t. K z + c = y over the exact T2 dictionary (HiGHS LP): beta times it bounds
    P(X, y, beta) from above (the interpolating network is feasible with loss 0)."""
    from scipy.optimize import linprog

    planes = exact_t2_hyperplanes(X)
    W = np.array([[float(q) for q in p[:-1]] for p in planes])
    b = np.array([float(p[-1]) for p in planes])
    P = X @ W.T + b
    K = np.hstack([np.maximum(P, 0), np.maximum(-P, 0)])
    m, n = K.shape[1], len(y)
    A = np.hstack([K, -K, np.ones((n, 1)), -np.ones((n, 1))])
    res = linprog(np.r_[np.ones(2 * m), 0.0, 0.0], A_eq=A, b_eq=y, bounds=(0, None), method="highs")
    assert res.status == 0
    return float(res.fun)


def _check_fit(fit, reference):
    """No network beats the optimum; a fit that says certified must be at it (relative 1e-6)."""
    tol = 1e-6 * abs(reference)
    assert fit.objective >= reference - tol, (fit.objective, reference)
    if fit.certificate().optimal:
        assert fit.objective <= reference + tol, (fit.objective, reference)


def test_reference_dictionary_counts_against_the_closed_form():
    # 4 points in general position in 2-D: C(4, 2) lines through two samples, 4 * 2 lines through
    # one sample parallel to an axis; {e_1, e_2} has w = 0
    X = np.array([[0.0, 0.0], [1.0, 0.3], [0.2, 1.0], [0.7, 0.9]])
    assert len(exact_t2_hyperplanes(X)) == 6 + 8
    # three collinear points: y = x, x = 0, y = 1, and the line through (2, 2), (0, 1); the axis lines
    # add only y = 0, x = 1, y = 2, x = 2 (x = 0 and y = 1 are already there)
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [0.0, 1.0]])
    assert len(exact_t2_hyperplanes(X)) == 8
    assert ga_relu.convex.dictionary.wedge_dictionary(X).n_subsets == 8


# ---------------------------------------------------------------------------------------------
# the property test: scaled copies and mixed per-feature scales
# ---------------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, derandomize=True)
@given(n=st.integers(4, 8), d=st.integers(1, 3), k=st.integers(-4, 7), seed=st.integers(0, 2**16),
       beta=st.sampled_from([0.01, 0.1, 1.0]))
def test_scaled_copies_agree_with_the_independent_reference(n, d, k, seed, beta):
    rng = np.random.default_rng(seed)
    X = rng.uniform(0.0, 1.0, (n, d))
    y = rng.standard_normal(n)
    reference, _ = reference_lasso(X, y, beta)  # at unit scale
    s = 10.0**k
    _check_fit(ga_relu.fit(X * s, y, beta=beta * s), reference)


@settings(max_examples=10, deadline=None, derandomize=True)
@given(n=st.integers(4, 7), seed=st.integers(0, 2**16), beta=st.sampled_from([0.01, 0.1]))
def test_mixed_feature_scales_agree_with_the_independent_reference(n, seed, beta):
    rng = np.random.default_rng(seed)
    X = rng.uniform(0.0, 1.0, (n, 2)) * np.array([1e-3, 1e3])
    y = rng.standard_normal(n)
    reference, n_planes = reference_lasso(X, y, beta)
    fit = ga_relu.fit(X, y, beta=beta)
    _check_fit(fit, reference)
    dictionary = ga_relu.convex.dictionary.wedge_dictionary(X, penalty="l1", bias=True)
    assert dictionary.n_subsets == n_planes


# ---------------------------------------------------------------------------------------------
# the cases of the issue
# ---------------------------------------------------------------------------------------------


def test_issue_repro_keeps_every_hyperplane():
    # before: 65 subsets (130 columns), objective 0.0628647 and "T2 exact, certified"
    r = np.random.default_rng(0)
    X = r.uniform(0, 1, (6, 3)) * 2e4
    y = r.standard_normal(6)
    reference, n_planes = reference_lasso(X, y, 200.0)
    assert n_planes == 83 and reference == pytest.approx(0.0627434, rel=1e-5)
    dictionary = ga_relu.convex.dictionary.wedge_dictionary(X, penalty="l1", bias=True)
    assert dictionary.n_subsets == n_planes and dictionary.n_columns == 166
    fit = ga_relu.fit(X, y, beta=200.0)
    _check_fit(fit, reference)
    assert fit.objective == pytest.approx(reference, rel=1e-6)


def test_scale_1e7_in_2d():
    r = np.random.default_rng(0)
    X, y = r.standard_normal((8, 2)), r.standard_normal(8)
    reference, n_planes = reference_lasso(X, y, 0.1)
    fit = ga_relu.fit(X * 1e7, y, beta=0.1 * 1e7)  # P(sX, s beta) = P(X, beta)
    assert ga_relu.convex.dictionary.wedge_dictionary(X * 1e7).n_subsets == n_planes
    _check_fit(fit, reference)


def test_scale_1e12_fits_instead_of_calling_every_normal_vanishing():
    # before: DegenerateDataError "every one of the 45 subsets has a vanishing normal ... use penalty='l1'"
    r = np.random.default_rng(0)
    X, y = r.standard_normal((8, 2)), r.standard_normal(8)
    dictionary = ga_relu.convex.dictionary.wedge_dictionary(X * 1e12)
    assert dictionary.n_subsets == len(exact_t2_hyperplanes(X * 1e12)) == 44
    fit = ga_relu.fit(X * 1e12, y, beta=0.1)
    # beta times the minimum-l1 interpolant bounds P from above (computed at unit scale: K scales by s)
    upper = 0.1 / 1e12 * min_l1_interpolant(X, y)
    if fit.certificate().optimal:
        assert fit.objective <= upper * (1 + 1e-6)


def test_mixed_scale_fit_is_not_certified_above_the_interpolant():
    # before: objective 0.798711 certified optimal, while an interpolating network costs ~2.4e-11
    r = np.random.default_rng(0)
    n = 8
    X = np.column_stack([r.uniform(0, 1, n) * 1e-3, r.uniform(0, 1, n) * 1e9])
    y = np.sign(X[:, 0] - np.median(X[:, 0]))
    beta = 1e-4
    upper = beta * min_l1_interpolant(X, y)
    fit = ga_relu.fit(X, y, beta=beta)
    assert fit.objective <= 1e-6 * 0.5 * np.sum((y - y.mean()) ** 2)  # the Lasso reaches nearly 0
    if fit.certificate().optimal:
        assert fit.objective <= upper * (1 + 1e-6)


@pytest.mark.parametrize("d,offset", [(2, 2.0**17), (2, -(2.0**21)), (3, 2.0**17)])
def test_data_far_from_the_origin_fit_and_certify_as_the_centred_copy(d, offset):
    """(P) is invariant under translation of X when neurons have a bias, and X - offset is a float
    (Sterbenz) here, so Z = X - offset is exactly the centred copy: the fit far from the origin
    must be certified and reach Z's optimum from the independent reference (lifted cross products
    cancel there; normals are computed on the exactly shifted samples)."""
    rng = np.random.default_rng(d)
    X = offset + rng.normal(size=(14, d))
    Z = X - offset  # exact (Sterbenz): the same samples, centred
    y = np.sin(2 * Z[:, 0]) + Z[:, 1] ** 2
    reference, _ = reference_lasso(Z, y, 0.05)
    fit = ga_relu.fit(X, y, beta=0.05)
    assert fit.certificate().optimal
    assert fit.objective == pytest.approx(reference, rel=1e-6)
