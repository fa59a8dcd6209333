"""The closed-form product tables of ga_relu.algebra.tables equal clifford's layouts (d = 1..5)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from ga_relu.algebra import tables


def clifford_graded_table(d, kind, grade_a, grade_b, grade_out):
    """The grade block of clifford's own sparse table (layout.omt / layout.gmt), within-grade ranks."""
    import clifford

    layout, _ = clifford.Cl(d)
    table = layout.omt if kind == "outer" else layout.gmt
    left, result, right = (np.asarray(c, dtype=np.intp) for c in table.coords)
    sign = np.rint(np.asarray(table.data, dtype=float)).astype(np.int64)
    grades = np.array([len(t) for t in layout.bladeTupList])
    ranks = np.array([sum(1 for u in layout.bladeTupList[:i] if len(u) == len(t))
                      for i, t in enumerate(layout.bladeTupList)])
    keep = (grades[left] == grade_a) & (grades[right] == grade_b) & (grades[result] == grade_out) & (sign != 0)
    return ranks[left[keep]], ranks[right[keep]], ranks[result[keep]], sign[keep]


@pytest.mark.parametrize("d", [1, 2, 3, 4, 5])
def test_closed_form_tables_equal_clifford(d):
    import clifford

    layout, _ = clifford.Cl(d)
    assert tables.blade_tuples(d) == tuple(tuple(int(i) for i in t) for t in layout.bladeTupList)
    for kind in ("outer", "geometric"):
        for ga, gb, go in itertools.product(range(d + 1), repeat=3):
            ours = tables._graded_table(d, kind, ga, gb, go)
            theirs = clifford_graded_table(d, kind, ga, gb, go)
            for a, b in zip(ours, theirs):  # same entries, same order (the contractions' summation order)
                np.testing.assert_array_equal(a, b)


def test_tables_build_no_clifford_layout(monkeypatch):
    """The fit path's tables (wedge, dual) never build a layout."""
    tables._graded_table.cache_clear()
    tables._dual_table.cache_clear()
    tables._raise_table.cache_clear()
    monkeypatch.setattr(tables, "layout", lambda d: pytest.fail("a clifford layout was built"))
    assert tables._dual_table(3, 1)[0].tolist() == [2, 1, 0]
    assert tables._raise_table(3, 1)[2].shape == (3, 2)
    assert tables._pseudoscalar_square(2) == -1


def test_bad_dimension_is_refused():
    from ga_relu.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="positive integer"):
        tables.blade_tuples(0)
