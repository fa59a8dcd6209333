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
        # T2/T3 are exact: the wedge fit is the optimum, so the gap is zero by construction ...
        assert r["exact_objective"] == r["wedge_objective"] and r["gap"] == 0
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


def test_random_instances_are_seeded():
    a = random_instance("T5", 2, True, "l1", 2, 6, seed=4)
    b = random_instance("T5", 2, True, "l1", 2, 6, seed=4)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert a.y.shape == (6, 2)
