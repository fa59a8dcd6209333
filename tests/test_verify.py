"""ga_relu.experimental.verify (issue 5): a reduced verification report runs, has its columns, and no gradient
network beats a certified optimum."""


import numpy as np
import pytest

from ga_relu.experimental.verify import (BEAT_FLAG, COLUMNS, RANDOM_CASES, format_report, random_instance,
                            verification_report)


@pytest.fixture(scope="module")
def rows():
    return verification_report(seeds=(3,), cases=("T2", "T3"), include_data=False, n_init=2, steps=300,
                               random_state=1)


def test_reduced_report_has_the_columns_and_never_beats_the_optimum(rows):
    expected = [c for c in RANDOM_CASES if c[0] in ("T2", "T3")]
    assert [(r["case"], r["d"], r["bias"], r["penalty"], r["n"]) for r in rows] == \
        [(c[0], c[1], c[2], c[3], c[5]) for c in expected]
    for r in rows:
        assert set(COLUMNS) <= set(r)
        assert r["gradient_best"] == pytest.approx(float(np.min(r["gradient_objectives"])))
        # T2/T3 are exact: the report takes the wedge fit as the optimum (checked independently
        # in test_exact_value_is_the_optimum_by_an_independent_search) ...
        assert r["gap"] == pytest.approx((r["wedge_objective"] - r["exact_objective"]) / abs(r["exact_objective"]))
        # ... and a feasible network can only be worse
        assert r["gradient_best"] >= r["exact_objective"] * (1 - 1e-5)
        assert not r["beat"] and r["flag"] != BEAT_FLAG
        if np.isfinite(r["lower_bound"]):  # weak duality
            assert r["lower_bound"] <= r["exact_objective"] and r["gradient_best"] >= r["lower_bound"] - 1e-6
        assert r["certified"] and r["ratio_exact"] <= 1 + 1e-4 and r["flag"] == ""


def test_table_lists_every_row_and_the_beat_count(rows):
    text = format_report(rows)
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["case", "source", "d"]
    assert sum(line.startswith(("T2", "T3")) for line in lines) == len(rows)
    assert f"{BEAT_FLAG}: 0 row(s)" in text


def test_a_beaten_optimum_is_shouted(rows):
    bad = dict(rows[0], beat=True, flag=BEAT_FLAG)
    text = format_report([bad])
    assert BEAT_FLAG in text.splitlines()[2] and "A BUG" in text


def test_exact_value_is_the_optimum_by_an_independent_search(rows):
    """The T2/T3 rows take the wedge fit as the exact value of (P). Check it without the library's
    certificate: refit each instance, write (P) of its network out in numpy, and search the dual ratio
    max |lambda . relu(X w + b)| / beta of its residual lambda = y - f densely (tests/reference.py):
    ratio <= 1 (+ solver tolerance) is optimality of (P) (docs/theory/problem.md)."""
    from reference import dense_dual_ratio

    from ga_relu.convex.fitting import fit

    for r, (case, d, bias, penalty, outputs, n) in zip(rows, [c for c in RANDOM_CASES if c[0] in ("T2", "T3")]):
        inst = random_instance(case, d, bias, penalty, outputs, n, seed=3)
        net = fit(inst.X, inst.y, beta=inst.beta, penalty=penalty, bias=bias, method="wedge").network
        f = np.maximum(inst.X @ net.W.T + net.b, 0.0) @ net.alpha + net.c
        by_hand = 0.5 * np.sum((f - inst.y) ** 2) + inst.beta / 2 * np.sum(np.abs(net.W).sum(1) ** 2 + net.alpha**2)
        assert r["exact_objective"] == pytest.approx(by_hand, rel=1e-9)
        assert dense_dual_ratio(inst.X, inst.y - f, inst.beta, penalty=penalty, bias=bias, n_dirs=4000) <= 1 + 1e-4


def test_random_instances_follow_their_formula():
    """X ~ N(0, I) and y = sin(2 x_1) + 0.3 x_d + 0.1 noise, cos(x_1) + 0.1 noise for a second output,
    drawn in that order from numpy's default_rng(seed): rebuilt here from the docstring's formula."""
    a = random_instance("T5", 2, True, "l1", 2, 6, seed=4)
    rng = np.random.default_rng(4)
    X = rng.standard_normal((6, 2))
    first = np.sin(2 * X[:, 0]) + 0.3 * X[:, 1] + 0.1 * rng.standard_normal(6)
    second = np.cos(X[:, 0]) + 0.1 * rng.standard_normal(6)
    np.testing.assert_array_equal(a.X, X)
    np.testing.assert_allclose(a.y, np.column_stack([first, second]), rtol=1e-15, atol=1e-15)
    assert a.y.shape == (6, 2)
    assert not np.array_equal(random_instance("T5", 2, True, "l1", 2, 6, seed=5).X, a.X)
