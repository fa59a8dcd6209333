"""Parameter and data validation, in one place for every entry point (fit, certify, estimators).

Each check returns the normalized value or raises :class:`~ga_relu.errors.InvalidInputError` (or
:class:`~ga_relu.errors.DegenerateDataError`) with a message that names the parameter and the fix.
:class:`ga_relu.convex.problem.Problem` runs them once for problem (P).

>>> check_beta(0.5)
0.5
"""

from __future__ import annotations

import numbers

import numpy as np

from .errors import DegenerateDataError, InvalidInputError, InvalidTypeError


def _real_array(value, name: str, what: str) -> np.ndarray:
    """``value`` as a float array; complex entries are refused, not cast (numpy would drop the
    imaginary part with only a warning).

    >>> _real_array([1, 2], "y", "numeric").dtype
    dtype('float64')
    """
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise InvalidInputError(f"{name} must be {what}: {exc}") from exc
    complex_entries = np.iscomplexobj(raw) or (
        raw.dtype == object and any(isinstance(v, (complex, np.complexfloating)) for v in raw.ravel()))
    if complex_entries:
        raise InvalidTypeError(
            f"{name} has complex entries; ga_relu fits real data. Pass {name}.real when the imaginary parts "
            "are zero, or give the real and imaginary parts as separate real columns")
    try:
        return np.asarray(raw, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{name} must be {what}: {exc}") from exc

def check_matrix(X, name: str = "X") -> np.ndarray:
    """A finite real float matrix (n, d); a 1-D array is read as n samples of one feature.

    Complex entries raise :class:`~ga_relu.errors.InvalidTypeError` (even with zero imaginary
    parts: the caller decides to drop them), NaN/inf and empty arrays InvalidInputError.

    >>> check_matrix([1, 2, 3]).shape
    (3, 1)
    """
    X = _real_array(X, name, "numeric (an array of real numbers of shape (n, d))")
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise InvalidInputError(f"{name} must have shape (n, d), got an array of shape {X.shape}")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise InvalidInputError(f"{name} is empty (shape {X.shape}); pass at least one sample with one feature")
    if not np.all(np.isfinite(X)):
        bad = np.argwhere(~np.isfinite(X))[0]
        raise InvalidInputError(
            f"{name} contains NaN or inf (first at row {bad[0]}, column {bad[1]}); drop or impute those entries"
        )
    return X


def check_targets(y, n: int, name: str = "y") -> np.ndarray:
    """Finite real targets of length n, or (n, c) for several outputs (an (n, 1) column becomes (n,)).

    Complex targets raise :class:`~ga_relu.errors.InvalidTypeError`.

    Labels for the classification losses are checked by the loss itself
    (:meth:`ga_relu.convex.losses.Loss.check_targets`).

    >>> check_targets([[1.0], [2.0]], 2)
    array([1., 2.])
    """
    y = _real_array(y, name, "numeric (real numbers)")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim not in (1, 2) or y.shape[0] != n:
        raise InvalidInputError(f"{name} must have shape ({n},) or ({n}, c) to match X's {n} rows, got {y.shape}")
    if not np.all(np.isfinite(y)):
        raise InvalidInputError(f"{name} contains NaN or inf; drop or impute those samples")
    return y


def check_beta(beta, name: str = "beta") -> float:
    """A positive finite real number (bools refused), as a float.

    >>> check_beta(2)
    2.0
    """
    if isinstance(beta, bool) or not isinstance(beta, numbers.Real):
        raise InvalidInputError(f"{name} must be a positive real number, got {beta!r}")
    beta = float(beta)
    if not np.isfinite(beta) or beta <= 0:
        raise InvalidInputError(f"{name} must be positive and finite (the regularization strength), got {beta!r}")
    return beta


def check_positive_int(value, name: str, minimum: int = 1) -> int:
    """A whole number >= minimum (bools refused).

    >>> check_positive_int(3, "batch")
    3
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidInputError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    if value < minimum:
        raise InvalidInputError(f"{name} must be at least {minimum}, got {value}; pass {name}={minimum} or more")
    return int(value)


def check_positive_real(value, name: str, upper: float = np.inf) -> float:
    """A finite number in (0, upper] (bools refused).

    >>> check_positive_real(0.5, "tol", upper=1.0)
    0.5
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) \
            or not 0 < value <= upper:
        bound = "" if upper == np.inf else f" and at most {upper:g}"
        raise InvalidInputError(f"{name} must be a positive finite number{bound}, got {value!r}")
    return float(value)


def check_choice(value, choices, name: str) -> str:
    """``value`` if it is one of ``choices``; else an error listing them.

    >>> check_choice("wedge", ("auto", "wedge"), "method")
    'wedge'
    """
    if value not in choices:
        raise InvalidInputError(f"unknown {name} {value!r}; choose one of {', '.join(map(repr, choices))}")
    return value




def check_geometry(X: np.ndarray, bias: bool) -> None:
    """Enough distinct points to define a neuron: d + 1 with a bias (d lifted points), else 1.

    >>> check_geometry(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), bias=True)
    """
    n, d = X.shape
    if bias and n < d + 1 and d > 1:
        raise DegenerateDataError(
            f"{n} samples in {d} dimensions: a hyperplane with bias needs d + 1 = {d + 1} samples; "
            "add samples or fit with bias=False"
        )
    if n > 1 and np.all(X == X[0]):
        raise DegenerateDataError(
            "all samples are identical, so no hyperplane through samples separates them; "
            "check the data (a constant model is all that can be fit)"
        )


def check_random_state(random_state) -> np.random.Generator:
    """numpy Generator from None, an integer seed >= 0, a SeedSequence or a Generator (bools refused).

    >>> type(check_random_state(0)).__name__
    'Generator'
    """
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(2**31))
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, (bool, np.bool_)):
        if random_state < 0:  # numpy's seeds are non-negative (SeedSequence raises a bare ValueError)
            raise InvalidInputError(f"random_state must be a non-negative integer seed, got {random_state}; "
                                    f"pass {abs(int(random_state))} or any integer >= 0")
        return np.random.default_rng(int(random_state))
    if random_state is None or isinstance(random_state, np.random.SeedSequence):
        return np.random.default_rng(random_state)
    raise InvalidInputError(f"random_state must be None, an integer seed >= 0 or a numpy Generator, "
                            f"got {random_state!r}")


def check_flag(value, name: str) -> bool:
    """True or False (numpy bools accepted); anything else is refused rather than read as truthy.

    >>> check_flag(np.bool_(True), "bias")
    True
    """
    if not isinstance(value, (bool, np.bool_)):
        raise InvalidInputError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_memory_budget(value, name: str = "memory_budget"):
    """None (use ``ga_relu.options.memory_budget_bytes``) or a whole number of bytes > 0; a string,
    float or bool is refused with InvalidTypeError rather than failing later in a comparison.

    >>> check_memory_budget(2**20), check_memory_budget(None)
    (1048576, None)
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise InvalidTypeError(f"{name} must be a whole number of bytes (e.g. 2 * 1024**3) or None, "
                               f"got {value!r} ({type(value).__name__})")
    if value <= 0:
        raise InvalidInputError(f"{name} must be a positive number of bytes, got {value}")
    return int(value)
