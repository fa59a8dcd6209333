r"""Fitted neurons and networks as formulas in the training points (three views, LaTeX, Jupyter).

A fitted neuron alpha relu(w . x + b) with w = s sqrt|z| w_S (||w_S||_p = 1) equals

    z relu(s * det[x~; S~] / ||w_S||_p),        z = alpha ||w||_p (the Lasso coefficient),

so every view prints ``z * relu(feature)`` and evaluates to ``Neuron.__call__``:

* ``"structural"``: wedge notation in the named samples, e.g.
  z relu((x - x_12) ^ (x_7 - x_12) / ||x_7 - x_12||_2)  (available in every dimension);
* ``"expanded"``: the same with every wedge and norm expanded into the coordinates x_{i,k} and
  x_k (d! terms per cross-product component: refused from ``options.max_symbolic_dim`` on);
* ``"numeric"``: the training points substituted (through the float algebra path), numbers
  rounded to ``digits`` significant digits: z relu(w_1 x_1 + ... + w_d x_d + b).

``network_latex`` prints f(x) = sum_j z_j relu(...) + c in the neurons' order.
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
import sympy

from ..errors import InvalidInputError
from ..validation import check_matrix
from .symbolic import (
    NeuronFormula,
    VectorSymbol,
    coordinate_symbol,
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


def formula_of_neuron(neuron, points=None) -> NeuronFormula:
    r"""The :class:`~ga_relu.explain.symbolic.NeuronFormula` of a fitted neuron.

    Its vertices are the neuron's samples, as symbolic points x_i (default) or as the given
    coordinates, and its basis vectors: (w_S, b_S) = s cross(x~_{i_1}, ..., e~_k, ...).

    Parameters
    ----------
    neuron : Neuron
        A neuron of a :class:`~ga_relu.convex.results.FitResult`.
    points : array_like, optional
        The training data (n x d), to substitute the samples' coordinates.

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
    return neuron_formula(pts, neuron.basis, d=d, bias=neuron.has_bias, penalty=neuron.penalty, sign=neuron.sign)


def _numeric_feature(neuron, digits):
    """relu(w_S . x + b_S) with the training points substituted (float algebra), rounded."""
    d = neuron.weight.shape[0]
    if _is_wedge_neuron(neuron) and neuron._points is not None:
        formula = formula_of_neuron(neuron, points=neuron._points)
        norm = float(formula.norm)
        w = [float(c) / norm for c in formula.weight]
        b = float(formula.bias) / norm
    else:  # not a wedge neuron (e.g. the exact weight-decay program): its stored unit weights
        w, b = [float(c) for c in neuron.unit_weight], float(neuron.unit_bias)
    xs = [coordinate_symbol(None, k) for k in range(1, d + 1)]
    return relu(sympy.Add(*[_number(c, digits) * xk for c, xk in zip(w, xs)], _number(b, digits)))


def neuron_expression(neuron, form: FormName = "structural", *, digits: int | None = DEFAULT_DIGITS):
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
        polynomial in the coordinates x_{i,k} and x_k; "numeric": the training points substituted.
    digits : int or None
        Significant digits of the printed numbers (None: full precision).

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
    (0.9*relu(x - x_2), 0.9*relu(x_1 - 1))
    >>> neuron_expression(neuron, "expanded")
    0.9*relu(x_1 - x_2,1)
    """
    _check_form(form)
    coefficient = _coefficient(neuron, digits)
    if form == "numeric" or (form == "structural" and not _is_wedge_neuron(neuron)):
        # neurons not defined by a subset (the exact weight-decay program) have no wedge notation
        return coefficient * _numeric_feature(neuron, digits)
    formula = formula_of_neuron(neuron)
    return coefficient * (formula.structural if form == "structural" else formula.feature)


def neuron_latex(neuron, form: FormName = "structural", *, digits: int | None = DEFAULT_DIGITS) -> str:
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
    return sympy.latex(neuron_expression(neuron, form=form, digits=digits))


def _intercept(result, digits):
    c = np.asarray(result.intercept if result.fit_intercept else 0.0, dtype=float)
    if c.ndim == 0:
        return _number(c, digits)
    return sympy.ImmutableMatrix(c.size, 1, [_number(v, digits) for v in c])


def network_expression(result, form: FormName = "structural", *, digits: int | None = DEFAULT_DIGITS):
    r"""The fitted network as one sympy expression (terms in sympy's order).

    .. math:: f(x) = \sum_j z_j \operatorname{relu}(\mathrm{feature}_j(x)) + c

    Parameters
    ----------
    result : FitResult
        The fit.
    form, digits
        As in :func:`neuron_expression`.

    Examples
    --------
    >>> import numpy as np
    >>> import ga_relu
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> result = ga_relu.fit(X, [0.0, 0.0, 1.0, 2.0], beta=0.1, fit_intercept=False)
    >>> network_expression(result)
    0.05*relu(x - x_1) + 0.9*relu(x - x_2)
    """
    terms = [neuron_expression(nr, form=form, digits=digits) for nr in result.neurons]
    total = _intercept(result, digits)
    for t in terms:
        total = total + t
    return total


def network_latex(result, form: FormName = "structural", *, digits: int | None = DEFAULT_DIGITS) -> str:
    r"""f(x) = z_1 relu(...) + z_2 relu(...) + ... + c in LaTeX, neurons in the fit's order.

    .. math:: f(x) = \sum_j z_j \operatorname{relu}(\mathrm{feature}_j(x)) + c

    Parameters
    ----------
    result : FitResult
        The fit.
    form, digits
        As in :func:`neuron_expression`.

    Examples
    --------
    >>> import numpy as np
    >>> import ga_relu
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> result = ga_relu.fit(X, [0.0, 0.0, 1.0, 2.0], beta=0.1, fit_intercept=False)
    >>> print(network_latex(result, "numeric"))
    f(x) = 0.9 \operatorname{relu}{\left(x_{1} - 1 \right)} + 0.05 \operatorname{relu}{\left(x_{1} \right)}
    """
    _check_form(form)
    pieces = [neuron_latex(nr, form=form, digits=digits) for nr in result.neurons]
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
    and compiles the remaining function of x_1..x_d with ``sympy.lambdify``.

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
        When symbols other than x_1..x_d remain unbound.

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
    xs = list(symbolic_input(d).coords)
    leftover = expr.free_symbols - set(xs)
    if leftover:
        raise InvalidInputError(f"cannot evaluate: symbols {sorted(map(str, leftover))} are not bound; pass points=")
    function = sympy.lambdify(xs, expr, modules=[{"relu": lambda t: np.maximum(t, 0.0)}, "numpy"])
    values = function(*[X[:, k] for k in range(d)])
    return np.broadcast_to(np.asarray(values, dtype=float), (X.shape[0],)).copy()
