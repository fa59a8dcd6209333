"""Bundled data sets: shapes, labels, provenance and determinism."""

import csv

import numpy as np
import pytest

from ga_relu.interfaces.datasets import example_points, iris_petals_csv, load_iris_petals, make_spiral
from ga_relu.errors import InvalidInputError


def test_iris_petal_pair_shapes_labels_and_known_rows():
    X, y, names = load_iris_petals()
    assert X.shape == (100, 2) and y.shape == (100,)
    assert names == ["petal_length_cm", "petal_width_cm"]
    assert set(np.unique(y)) == {-1.0, 1.0}
    assert np.all(y[:50] == -1) and np.all(y[50:] == 1)
    # Fisher (1936), first versicolor flower: 7.0, 3.2, 4.7, 1.4; first virginica: 6.3, 3.3, 6.0, 2.5
    assert X[0].tolist() == [4.7, 1.4]
    assert X[50].tolist() == [6.0, 2.5]


def test_iris_other_pair_and_order_of_labels():
    X, y, _ = load_iris_petals(pair=("virginica", "setosa"))
    # setosa (+1) comes first in Fisher's table: first setosa flower 5.1, 3.5, 1.4, 0.2
    assert X.shape == (100, 2)
    assert X[0].tolist() == [1.4, 0.2] and y[0] == 1.0
    assert np.sum(y == 1) == 50


@pytest.mark.parametrize("pair", [("versicolor",), ("setosa", "setosa"), ("versicolor", "rose")])
def test_iris_bad_pair(pair):
    with pytest.raises(InvalidInputError, match="two different species"):
        load_iris_petals(pair=pair)


def test_bundled_csv_equals_scikit_learn_data():
    with open(iris_petals_csv(), newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["petal_length_cm", "petal_width_cm", "label"]
    table = np.array(rows[1:], dtype=float)
    X, y, _ = load_iris_petals()
    np.testing.assert_array_equal(table[:, :2], X)
    np.testing.assert_array_equal(table[:, 2], y)


def test_spiral_geometry_without_noise():
    X, y = make_spiral(41, turns=1.5)
    assert X.shape == (41, 2) and y.shape == (41,)
    assert np.sum(y == 1) == 21 and np.sum(y == -1) == 20
    first = X[y == 1]
    # radius of point i of the first spiral is t_i = i / m, angle 2 pi turns t_i
    t = np.arange(1, 22) / 21
    np.testing.assert_allclose(np.hypot(first[:, 0], first[:, 1]), t, rtol=0, atol=1e-12)
    angle_error = np.angle(np.exp(1j * (np.arctan2(first[:, 1], first[:, 0]) - 3 * np.pi * t)))  # wrapped
    np.testing.assert_allclose(angle_error, 0.0, atol=1e-9)
    # the second spiral is the first turned by 180 degrees (same radii)
    second = X[y == -1]
    m = 20
    s = np.arange(1, m + 1) / m
    np.testing.assert_allclose(second, -np.column_stack([s * np.cos(3 * np.pi * s), s * np.sin(3 * np.pi * s)]),
                               atol=1e-12)


def test_spiral_is_seeded():
    a, ya = make_spiral(30, noise=0.1, random_state=3)
    b, yb = make_spiral(30, noise=0.1, random_state=3)
    c, _ = make_spiral(30, noise=0.1, random_state=4)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ya, yb)
    assert not np.allclose(a, c)
    clean, _ = make_spiral(30)
    assert 0.01 < np.std(a - clean) < 0.3  # the noise has about the requested scale


@pytest.mark.parametrize("kwargs", [dict(n=1), dict(n=2.5), dict(n=10, turns=-1), dict(n=10, noise=float("nan"))])
def test_spiral_bad_arguments(kwargs):
    with pytest.raises(InvalidInputError):
        make_spiral(**kwargs)


def test_example_points_are_small_integers():
    X, y = example_points()
    assert X.shape == (5, 2) and y.shape == (5,)
    assert np.all(X == np.round(X))
