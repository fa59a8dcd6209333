r"""Fitted neurons and networks as formulas in the training points (three views, LaTeX, Jupyter).

A fitted neuron alpha relu(w . x + b) with w = s sqrt|z| w_S (||w_S||_p = 1) equals

    z relu(s * det[x~; S~] / ||w_S||_p),        z = alpha ||w||_p (the Lasso coefficient),

so every view prints ``z * relu(feature)`` and evaluates to ``Neuron.__call__``:

* ``"structural"``: wedge notation in the named samples, e.g.
  z relu((x - x_12) ^ (x_7 - x_12) / ||x_7 - x_12||_2)  (available in every dimension);
* ``"expanded"``: the same with every wedge and norm expanded into the sample coordinates x_{i,k}
  and the input coordinates [x]_k (d! terms per cross-product component: refused from
  ``options.max_symbolic_dim`` on);
* ``"numeric"``: the training points substituted (through the float algebra path), numbers
  rounded to ``digits`` significant digits: z relu(w_1 [x]_1 + ... + w_d [x]_d + b), or with the
  feature names, z relu(0.83 bmi - 0.52 s5 + 0.1).

The notation (samples x_i, their coordinates x_{i,k}, the input x and its coordinates [x]_k) is
stated in :mod:`ga_relu.explain.symbolic`. ``feature_names`` (from a CSV header or a DataFrame)
replace [x]_k in numeric and expanded formulas.

Rounded formulas (``digits`` an integer) leave out terms that are smaller than the rounding of the
largest term: see :func:`_negligible`. ``digits=None`` keeps every term at full precision.

``network_latex`` prints f(x) = sum_j z_j relu(...) + c in the neurons' order;
``network_expression`` is the same network as one sympy expression.
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
import sympy

from ..errors import InvalidInputError
from ..validation import check_matrix
from .symbolic import (
    InputCoordinate,
    NeuronFormula,
    VectorSymbol,
    check_feature_names,
    evaluate_structure,
    neuron_formula,
    relu,
    symbolic_input,
    symbolic_point,
)

__all__ = ["FORMS", "FormName", "neuron_expression", "neuron_latex", "network_expression", "network_latex",
           "formula_of_neuron", "evaluate_expression"]

FORMS = ("structural", "expanded", "numeric")
#: the three views of a formula (see the module docstring)
FormName = Literal["structural", "expanded", "numeric"]

#: significant digits of printed numbers (output weights, numeric weights) unless digits= is given
DEFAULT_DIGITS = 4

#: a rounded formula omits a term 10^-GUARD_DIGITS below the rounding of its largest term
GUARD_DIGITS = 2


def _negligible(sizes, digits: int | None) -> np.ndarray:
    r"""Which terms a formula rounded to ``digits`` significant digits leaves out.

    A term's size is its largest magnitude over the training data (|w_k| max_i |x_{i,k}| for a
    weight, |b| for a bias). Rounding the largest term T to ``digits`` digits already changes the
    printed formula by up to 0.5 * 10^(1 - digits) |T|; a term 10^GUARD_DIGITS times smaller than
    that (10^-(digits + 1) / 2 of T, 5e-6 at 4 digits) cannot change any printed digit of the
    formula's value, and is solver or round-off residue (the ``+ 9.733e-14`` bias of a neuron that
    passes through the origin). Printing it would suggest a dependence that is not there. With
    ``digits=None`` (the exact, full-precision view) nothing is left out.

    >>> _negligible([1.0, 1e-13, 0.02], 4).tolist(), _negligible([1.0, 1e-13], None).tolist()
    ([False, True, False], [False, False])
    """
    sizes = np.abs(np.asarray(sizes, dtype=float))
    if digits is None or not sizes.size or not np.isfinite(sizes).all():
        return np.zeros(sizes.shape, dtype=bool)
    return sizes < 0.5 * 10.0 ** (1 - digits - GUARD_DIGITS) * sizes.max()


def _check_form(form: FormName) -> FormName:
    if form not in FORMS:
        raise InvalidInputError(f"unknown form {form!r}; expected one of {', '.join(map(repr, FORMS))}")
    return form


def _number(value: float, digits: int | None):
    """A sympy Float rounded to ``digits`` significant digits (None: full double precision); inf and
    nan print as sympy's oo and nan rather than failing (int(inf) raises OverflowError).

    >>> _number(2.0, 4), _number(0.123456, 3), _number(float("inf"), 4)
    (2, 0.123, oo)
    """
    value = float(value)
    if value == 0.0:
        return sympy.Integer(0)
    if digits is not None:
        value = float(f"{value:.{digits}g}")
        if abs(value) < 1e15 and value == int(value):  # abs first: int(inf) overflows
            return sympy.Integer(int(value))
        return sympy.Float(value, digits)
    if abs(value) < 2.0**53 and value == int(value):  # an integer-valued double is that integer, exactly
        return sympy.Integer(int(value))
    return sympy.Float(value)


def _coefficient(neuron, digits):
    z = np.asarray(neuron.coefficient, dtype=float)
    if z.ndim == 0:
        return _number(z, digits)
    return sympy.ImmutableMatrix(z.size, 1, [_number(v, digits) for v in z])


def _is_wedge_neuron(neuron) -> bool:
    d = neuron.weight.shape[0]
    expected = d if neuron.has_bias else d - 1
    return len(neuron.samples) + len(neuron.basis) == expected and (neuron.samples or not neuron.has_bias)


def formula_of_neuron(neuron, points=None, *, feature_names=None) -> NeuronFormula:
    r"""The :class:`~ga_relu.explain.symbolic.NeuronFormula` of a fitted neuron.

    Its vertices are the neuron's samples, as symbolic points x_i (default) or as the given
    coordinates, and its basis vectors: (w_S, b_S) = s cross(x~_{i_1}, ..., e~_k, ...).

    Parameters
    ----------
    neuron : Neuron
        A neuron of a :class:`~ga_relu.convex.results.FitResult`.
    points : array_like, optional
        The training data (n x d), to substitute the samples' coordinates.
    feature_names : sequence of str, optional
        Names of the input coordinates (printed instead of [x]_k).

    Raises
    ------
    InvalidInputError
        When no subset of samples defines the neuron (e.g. the exact weight-decay program).

    Examples
    --------
    >>> import numpy as np
    >>> import ga_relu
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> result = ga_relu.fit(X, [0.0, 0.0, 1.0, 2.0], beta=0.1, fit_intercept=False)
    >>> formula_of_neuron(result.neurons[0])
    NeuronFormula(relu(x - x_2))
    >>> formula_of_neuron(result.neurons[0], points=X).bias
    -1.00000000000000
    """
    if not _is_wedge_neuron(neuron):
        raise InvalidInputError(
            f"neuron {neuron.index} is not defined by a subset of samples (samples={neuron.samples}, "
            f"basis={neuron.basis}), so it has no wedge formula; use form='numeric'"
        )
    d = neuron.weight.shape[0]
    if points is None:
        pts = [symbolic_point(i + 1, d) for i in neuron.samples]
    else:
        pts = [np.asarray(points[i], dtype=float) for i in neuron.samples]
    return neuron_formula(pts, neuron.basis, d=d, bias=neuron.has_bias, penalty=neuron.penalty, sign=neuron.sign,
                          x=symbolic_input(d, feature_names))


def _names_of(neuron, feature_names):
    """The names given, else those the neuron's fit carries (``Neuron.feature_names``)."""
    if feature_names is None:
        feature_names = getattr(neuron, "feature_names", None)
    return check_feature_names(feature_names, neuron.weight.shape[0])


def _numeric_feature(neuron, digits, feature_names=None):
    """relu(w_S . x + b_S) with the training points substituted (float algebra), rounded; terms
    below the rounding of the largest one left out (:func:`_negligible`)."""
    d = neuron.weight.shape[0]
    if _is_wedge_neuron(neuron) and neuron._points is not None:
        formula = formula_of_neuron(neuron, points=neuron._points)
        norm = float(formula.norm)
        w = [float(c) / norm for c in formula.weight]
        b = float(formula.bias) / norm
    else:  # not a wedge neuron (e.g. the exact weight-decay program): its stored unit weights
        w, b = [float(c) for c in neuron.unit_weight], float(neuron.unit_bias)
    xs = symbolic_input(d, feature_names).coords
    reach = np.ones(d) if neuron._points is None else np.abs(np.asarray(neuron._points, dtype=float)).max(axis=0)
    sizes = [abs(c) * r for c, r in zip(w, reach)] + [abs(b)]
    drop = _negligible(sizes, digits)
    terms = [_number(c, digits) * xk for c, xk, gone in zip(w, xs, drop) if not gone]
    return relu(sympy.Add(*terms, 0 if drop[-1] else _number(b, digits)))


def neuron_expression(neuron, form: FormName = "structural", *, digits: int | None = DEFAULT_DIGITS,
                      feature_names=None):
    r"""The fitted neuron z relu(feature) as a sympy expression in one of three views.

    .. math:: \alpha \operatorname{relu}(w \cdot x + b)
              = z \operatorname{relu}\Big(s \frac{\det[\tilde x; \tilde S]}{\|w_S\|_p}\Big),
              \qquad z = \alpha \|w\|_p

    Parameters
    ----------
    neuron : Neuron
        A neuron of a :class:`~ga_relu.convex.results.FitResult`.
    form : {"structural", "expanded", "numeric"}
        "structural": Wedge / Norm notation in the named samples x_i (the numeric view for neurons
        that no subset defines, such as those of the exact weight-decay program); "expanded": a
        polynomial in the sample coordinates x_{i,k} and the input coordinates [x]_k; "numeric":
        the training points substituted.
    digits : int or None
        Significant digits of the printed numbers (None: full precision, every term kept).
    feature_names : sequence of str, optional
        Names of the input coordinates; by default those of the neuron's fit, else [x]_k.

    Returns
    -------
    sympy.Expr
        Its value at x equals ``neuron(x)``; evaluate it with :func:`evaluate_expression`.

    Raises
    ------
    InvalidInputError
        For an unknown form.
    SymbolicLimitError
        For "expanded" from ``ga_relu.options.max_symbolic_dim`` on.

    Examples
    --------
    >>> import numpy as np
    >>> import ga_relu
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> result = ga_relu.fit(X, [0.0, 0.0, 1.0, 2.0], beta=0.1, fit_intercept=False)
    >>> neuron = result.neurons[0]
    >>> neuron_expression(neuron), neuron_expression(neuron, "numeric")
    (0.9*relu(x - x_2), 0.9*relu(x - 1))
    >>> neuron_expression(neuron, "expanded")
    0.9*relu(x - x_2,1)
    >>> neuron_expression(neuron, "numeric", feature_names=["dose"])
    0.9*relu(dose - 1)
    """
    _check_form(form)
    names = _names_of(neuron, feature_names)
    coefficient = _coefficient(neuron, digits)
    if form == "numeric" or (form == "structural" and not _is_wedge_neuron(neuron)):
        # neurons not defined by a subset (the exact weight-decay program) have no wedge notation
        return coefficient * _numeric_feature(neuron, digits, names)
    formula = formula_of_neuron(neuron, feature_names=names)
    return coefficient * (formula.structural if form == "structural" else formula.feature)


def neuron_latex(neuron, form: FormName = "structural", *, digits: int | None = DEFAULT_DIGITS,
                 feature_names=None) -> str:
    r"""``sympy.latex`` of :func:`neuron_expression`: z \operatorname{relu}(...).

    Examples
    --------
    >>> import numpy as np
    >>> import ga_relu
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> result = ga_relu.fit(X, [0.0, 0.0, 1.0, 2.0], beta=0.1, fit_intercept=False)
    >>> neuron_latex(result.neurons[0])
    '0.9 \\operatorname{relu}{\\left(x - x_{2} \\right)}'
    """
    return sympy.latex(neuron_expression(neuron, form=form, digits=digits, feature_names=feature_names))


def _intercept(result, digits):
    """c, rounded; left out of a rounded formula when it is below the rounding of the network's
    largest value on the training data (:func:`_negligible`)."""
    c = np.asarray(result.intercept if result.fit_intercept else 0.0, dtype=float)
    if digits is not None and result.neurons and result.X is not None:
        reach = float(np.max(np.abs(result.network(result.X) - c)))  # the neurons' part of f on the data
        c = np.where(_negligible(np.append(np.abs(c).ravel(), reach), digits)[:-1].reshape(c.shape), 0.0, c)
    if c.ndim == 0:
        return _number(c, digits)
    return sympy.ImmutableMatrix(c.size, 1, [_number(v, digits) for v in c])


def _result_names(result, feature_names):
    if feature_names is None:
        feature_names = getattr(result, "feature_names", None)
    return check_feature_names(feature_names, result.network.dim)


def network_expression(result, form: FormName = "structural", *, digits: int | None = DEFAULT_DIGITS,
                       feature_names=None):
    r"""The fitted network as one sympy expression (terms in sympy's order).

    .. math:: f(x) = \sum_j z_j \operatorname{relu}(\mathrm{feature}_j(x)) + c

    Parameters
    ----------
    result : FitResult
        The fit.
    form, digits
        As in :func:`neuron_expression`; ``FitResult.expression`` calls this with ``digits=None``
        (full precision) for computing with sympy, the printed views round.
    feature_names : sequence of str, optional
        Names of the input coordinates; by default ``result.feature_names``.

    Examples
    --------
    >>> import numpy as np
    >>> import ga_relu
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> result = ga_relu.fit(X, [0.0, 0.0, 1.0, 2.0], beta=0.1, fit_intercept=False)
    >>> network_expression(result)
    0.05*relu(x - x_1) + 0.9*relu(x - x_2)
    >>> network_expression(result, "numeric", feature_names=["dose"])
    0.05*relu(dose) + 0.9*relu(dose - 1)
    """
    names = _result_names(result, feature_names)
    terms = [neuron_expression(nr, form=form, digits=digits, feature_names=names) for nr in result.neurons]
    total = _intercept(result, digits)
    for t in terms:
        total = total + t
    return total


def network_latex(result, form: FormName = "structural", *, digits: int | None = DEFAULT_DIGITS,
                  feature_names=None) -> str:
    r"""f(x) = z_1 relu(...) + z_2 relu(...) + ... + c in LaTeX, neurons in the fit's order.

    .. math:: f(x) = \sum_j z_j \operatorname{relu}(\mathrm{feature}_j(x)) + c

    Parameters
    ----------
    result : FitResult
        The fit.
    form, digits, feature_names
        As in :func:`network_expression`.

    Examples
    --------
    >>> import numpy as np
    >>> import ga_relu
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> result = ga_relu.fit(X, [0.0, 0.0, 1.0, 2.0], beta=0.1, fit_intercept=False)
    >>> print(network_latex(result, "numeric"))
    f(x) = 0.9 \operatorname{relu}{\left(x - 1 \right)} + 0.05 \operatorname{relu}{\left(x \right)}
    """
    _check_form(form)
    names = _result_names(result, feature_names)
    pieces = [neuron_latex(nr, form=form, digits=digits, feature_names=names) for nr in result.neurons]
    c = _intercept(result, digits)
    if c != 0:
        pieces.append(sympy.latex(c))
    if not pieces:
        return "f(x) = 0"
    text = pieces[0]
    for piece in pieces[1:]:
        text += " - " + piece[1:].lstrip() if piece.startswith("-") else " + " + piece
    return "f(x) = " + text


# ---------------------------------------------------------------------------------------------
# evaluation of printed formulas
# ---------------------------------------------------------------------------------------------

_POINT_NAME = re.compile(r"^x_(\d+)$")
_COORDINATE_NAME = re.compile(r"^x_(\d+),(\d+)$")


def _real_rows(X):
    """X as given, but a 1-D input is one row (check_matrix reads 1-D as a column)."""
    array = np.asarray(X)
    return array[None, :] if array.ndim == 1 else array


def evaluate_expression(expr, X, points=None) -> np.ndarray:
    r"""Values of a printed formula at the rows of X (n x d), training points taken from ``points``.

    Binds each named sample x_i (structural form) and each coordinate x_{i,k} (expanded form) to
    ``points[i-1]``, evaluates Wedge / Norm / Area / Volume through :mod:`ga_relu.algebra.blades`,
    and compiles the remaining function of the input coordinates [x]_1..[x]_d (bound by axis, so
    formulas printed with feature names evaluate too) with ``sympy.lambdify``.

    Parameters
    ----------
    expr : sympy.Expr
        A formula from :func:`neuron_expression` or :func:`network_expression`.
    X : array_like, shape (n, d)
        The inputs.
    points : array_like, optional
        The training points the formula names (not needed for the numeric form).

    Returns
    -------
    numpy.ndarray, shape (n,)

    Raises
    ------
    InvalidInputError
        When symbols other than the input coordinates remain unbound.

    Examples
    --------
    >>> import numpy as np
    >>> import ga_relu
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> result = ga_relu.fit(X, [0.0, 0.0, 1.0, 2.0], beta=0.1, fit_intercept=False)
    >>> evaluate_expression(network_expression(result), [[2.5]], points=X)  # 0.05 * 2.5 + 0.9 * 1.5
    array([1.475])
    >>> result.predict([[2.5]])
    array([1.475])
    """
    X = check_matrix(np.atleast_2d(_real_rows(X)), "X")
    d = X.shape[1]
    expr = sympy.sympify(expr)
    if points is not None:
        points = np.asarray(points, dtype=float)
        mapping = {}
        for s in expr.free_symbols:
            if isinstance(s, VectorSymbol) and _POINT_NAME.match(s.name):
                mapping[s] = s.bind([float(v) for v in points[int(_POINT_NAME.match(s.name).group(1)) - 1]])
            elif not isinstance(s, VectorSymbol) and _COORDINATE_NAME.match(s.name):
                i, k = map(int, _COORDINATE_NAME.match(s.name).groups())
                mapping[s] = sympy.Float(float(points[i - 1, k - 1]))
        expr = expr.xreplace(mapping)
    expr = evaluate_structure(expr)
    # input coordinates are bound by their axis, whatever their printed name ([x]_k or a feature name)
    xs = [sympy.Dummy(f"x{k}", real=True) for k in range(1, d + 1)]
    inputs = {s for s in expr.free_symbols if isinstance(s, InputCoordinate)}
    outside = sorted(str(s) for s in inputs if s.axis > d)
    if outside:
        raise InvalidInputError(f"cannot evaluate: the formula uses input coordinates {outside} beyond the "
                                f"{d} columns of X")
    expr = expr.xreplace({s: xs[s.axis - 1] for s in inputs})
    leftover = expr.free_symbols - set(xs)
    if leftover:
        raise InvalidInputError(f"cannot evaluate: symbols {sorted(map(str, leftover))} are not bound; pass points=")
    function = sympy.lambdify(xs, expr, modules=[{"relu": lambda t: np.maximum(t, 0.0)}, "numpy"])
    values = function(*[X[:, k] for k in range(d)])
    return np.broadcast_to(np.asarray(values, dtype=float), (X.shape[0],)).copy()
