"""Small data sets for examples, the demo and the tests.

* :func:`load_iris_petals`: two petal measurements of two iris species, labels -1/+1. The data are
  Fisher's iris measurements (R. A. Fisher, "The use of multiple measurements in taxonomic problems",
  Annals of Eugenics 7(2), 1936; collected by E. Anderson), as the UCI Machine Learning Repository
  and scikit-learn ship them (``sklearn.datasets.load_iris``, bundled with scikit-learn, no download).
  A CSV copy of the versicolor/virginica pair is bundled as ``ga_relu/data/iris_petals.csv``
  (:func:`iris_petals_csv` gives its path) so that ``ga-relu fit`` has a real file to read.
* :func:`make_spiral`: two interleaved spirals (the 2-D benchmark of Wang et al., arXiv 2406.02806).
* :func:`example_points`: a tiny exact 2-D data set for reading formulas by hand.
"""

from __future__ import annotations

import math
import numbers
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import InvalidInputError
from ..validation import check_random_state

IRIS_SPECIES = ("setosa", "versicolor", "virginica")
IRIS_PETAL_FEATURES = ("petal_length_cm", "petal_width_cm")
IRIS_CSV = "iris_petals.csv"


def load_iris_petals(pair=("versicolor", "virginica")) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Petal length and width (cm) of two iris species, labelled -1 (first) and +1 (second).

    Returns ``(X, y, feature_names)`` with X of shape (n, 2) (columns petal length, petal width),
    y in {-1, +1} (``y = +1`` for ``pair[1]``) and the two feature names. The rows keep the order of
    Fisher's table (scikit-learn's ``load_iris``), 50 per species, so the default pair gives n = 100:
    rows 0-49 versicolor (y = -1), rows 50-99 virginica (y = +1). Versicolor and virginica overlap
    (e.g. rows with equal petal measurements but different species), so no classifier is perfect.

    Examples
    --------
    >>> X, y, names = load_iris_petals()
    >>> X.shape, int(y.sum()), names
    ((100, 2), 0, ['petal_length_cm', 'petal_width_cm'])
    """
    from sklearn.datasets import load_iris

    pair = tuple(pair)
    if len(pair) != 2 or pair[0] == pair[1] or not set(pair) <= set(IRIS_SPECIES):
        raise InvalidInputError(
            f"pair must name two different species among {IRIS_SPECIES}, got {pair!r}; "
            "e.g. pair=('versicolor', 'virginica')"
        )
    iris = load_iris()
    negative, positive = (IRIS_SPECIES.index(s) for s in pair)
    rows = np.flatnonzero((iris.target == negative) | (iris.target == positive))
    X = np.asarray(iris.data[rows][:, 2:4], dtype=float)  # columns 2, 3: petal length, petal width (cm)
    y = np.where(iris.target[rows] == positive, 1.0, -1.0)
    return X, y, list(IRIS_PETAL_FEATURES)


def iris_petals_csv() -> Path:
    """Path of the bundled CSV (header ``petal_length_cm,petal_width_cm,label``, versicolor -1,
    virginica +1: the same rows as ``load_iris_petals()``).

    Examples
    --------
    >>> iris_petals_csv().name
    'iris_petals.csv'
    """
    return Path(str(resources.files("ga_relu") / "data" / IRIS_CSV))


def make_spiral(n: int = 160, *, turns: float = 1.0, noise: float = 0.0, random_state=None
                ) -> tuple[np.ndarray, np.ndarray]:
    r"""Two interleaved spirals in the plane, labels +1 and -1.

    Point i of spiral s (s = +1 for the first ceil(n/2) points, s = -1 for the rest) sits at
    radius :math:`r_i = t_i` and angle :math:`\theta_i = 2 \pi\, \text{turns}\, t_i + (0 \text{ if } s = +1 \text{ else } \pi)`,
    with :math:`t_i = i / m` evenly spaced in (0, 1] (m points on that spiral):
    :math:`x_i = r_i (\cos \theta_i, \sin \theta_i)`.
    So the second spiral is the first rotated by 180 degrees. ``noise`` adds isotropic Gaussian
    noise of that standard deviation, drawn from ``random_state`` (same seed, same data; with
    ``noise=0`` the data are deterministic).

    Returns ``(X, y)``: X of shape (n, 2), y of shape (n,) in {-1, +1}.

    Examples
    --------
    >>> X, y = make_spiral(4)
    >>> (X.round(3) + 0.0).tolist(), y.tolist()  # t = 1/2, 1 on each spiral, one turn
    ([[-0.5, 0.0], [1.0, 0.0], [0.5, 0.0], [-1.0, 0.0]], [1.0, 1.0, -1.0, -1.0])
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 2:
        raise InvalidInputError(f"n must be an integer >= 2 (one point per spiral at least), got {n!r}")
    for name, value in (("turns", turns), ("noise", noise)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value < 0:
            raise InvalidInputError(f"{name} must be a finite number >= 0, got {value!r}")
    rng = check_random_state(random_state)
    sizes = (n - n // 2, n // 2)
    points, labels = [], []
    for size, label, phase in ((sizes[0], 1.0, 0.0), (sizes[1], -1.0, math.pi)):
        t = np.arange(1, size + 1) / size
        angle = 2.0 * math.pi * turns * t + phase
        points.append(np.column_stack([t * np.cos(angle), t * np.sin(angle)]))
        labels.append(np.full(size, label))
    X = np.vstack(points)
    if noise > 0:
        X = X + noise * rng.standard_normal(X.shape)
    return X, np.concatenate(labels)


def example_points() -> tuple[np.ndarray, np.ndarray]:
    """Five small-integer points in the plane with targets, for checking formulas by hand.

    X = [[0, 0], [2, 0], [0, 2], [2, 2], [1, 3]], y = [0, 1, 1, 0, 2]: every wedge product of
    these points is an integer, so neuron formulas can be verified with pencil and paper.

    Examples
    --------
    >>> X, y = example_points()
    >>> X.shape, y.tolist()
    ((5, 2), [0.0, 1.0, 1.0, 0.0, 2.0])
    """
    X = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0], [1.0, 3.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0, 2.0])
    return X, y
