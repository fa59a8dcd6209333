r"""Neurons as formulas in the training points: symbolic points, wedge notation, exact derivations.

Notation (used by every formula, table and figure of ga-relu)
--------------------------------------------------------------
One letter, three kinds of objects, never two meanings for one name:

* **samples** x_1, ..., x_n: the training points, always with one index, ``x_i`` (i = 1..n); the
  coordinates of sample i are x_{i,1}, ..., x_{i,d} (two indices, sample first);
* **the input** x: the point at which the network is evaluated, written without an index; its
  coordinates are [x]_1, ..., [x]_d (square brackets: "coordinate k of x"), or the feature names
  when the data has them (``bmi``, ``s5``); in 1-D the input is the number x itself;
* **basis vectors** e_1, ..., e_d (vertices of the l1 ball in the l1 dictionaries).

So "the line through x_51 and x_60" is a neuron defined by samples 51 and 60, and its numeric
formula is ``relu(2.5 - [x]_2)`` (or ``relu(2.5 - s5)`` with feature names): x_2 is always sample 2,
never coordinate 2. Structural formulas use samples and the input point (x - x_12 ^ x_7 - x_12);
expanded formulas use x_{i,k} and [x]_k; numeric formulas use only [x]_k (or the names).

Representation
--------------
* A training point is a :class:`SymbolicPoint`: ``symbolic_points(n, d)[6]`` is x_7 (printed 1-based)
  with coordinates x_{7,1}, ..., x_{7,d} (sympy Symbols named ``"x_7,1"``, printed ``x_{7,1}``).
  The point itself is an iterable of its coordinates (so it can be passed to ``ga_relu.wedge`` and
  ``ga_relu.cross``), ``.vector`` is a sympy column, and ``.symbol`` is a :class:`VectorSymbol`,
  the name of the whole point inside scalar sympy expressions (printed ``x_{7}``).
* ``symbolic_input(d)`` is the input point x with coordinates [x]_1, ..., [x]_d
  (:class:`InputCoordinate` symbols, which know their axis; ``.symbol`` prints ``x``);
  ``symbolic_input(d, feature_names=...)`` names them after the features.
* Basis vectors e_k (l1 vertex sets) are VectorSymbols with numeric components.

Structural notation (sympy Functions, printed in LaTeX and evaluated with ``.doit()``)
------------------------------------------------------------------------------------
* ``Wedge(a_1, ..., a_k)``: a_1 ^ ... ^ a_k of vector expressions (linear combinations of
  VectorSymbols).  A wedge of d vectors of R^d is det[a] I; ``Wedge`` of d vectors stands for its
  coefficient det[a] on the pseudoscalar I, so it is a scalar.  ``doit()`` computes it with
  :func:`ga_relu.wedge` (clifford's outer-product table), never with a hand-typed formula.
* ``Norm(Wedge(a_1..a_k), p)``: ||a_1 ^ ... ^ a_k||_p, the l2 norm (Gram / Cauchy-Binet: the
  k-volume of the parallelotope) or the l1 norm of the blade's coefficients.  For k = d-1 the dual
  ``cross(a)`` is a signed permutation of the blade's coefficients, so this is ||cross(a)||_p.
* ``relu(t)`` = max(t, 0); ``Area(a, b, c)`` the triangle area (signed in R^2, unsigned in R^3);
  ``Volume(a, b, c, d)`` the signed tetrahedron volume (:mod:`ga_relu.algebra.geometry`).

The neuron of a vertex subset (docs/theory/algebra.md, docs/theory/exact_cases.md)
---------------------------------------------------------
With bias: samples p_1..p_m and basis vectors e_k (d vertices in all, lifted to (p, 1) and (e_k, 0)),
(w, b) = sign * cross(p~_1, ..., p~_m, e~_k, ...) and

    w . x + b = sign * det[x~; p~_1; ...; e~_k ...] = sign * (-1)^(m+d) * det[x - p_m; p_1 - p_m; ...; e_k ...],

the structural form ``Wedge(x - p_m, p_1 - p_m, ..., e_k, ...)``.  Without bias (d-1 vertices):
w . x = sign * det[x; a_1; ...].  The feature is relu((w . x + b) / ||w||_p), ||w||_p =
||(p_1 - p_m) ^ ... ^ e_k ...||_p.  Closed forms: 1-D x - x_k; 2-D 2 Area(x, p_1, p_2) / |p_1 - p_2|
(the signed distance to the line through p_1, p_2) and [x]_j - p_{j} (axis-parallel lines, l1);
3-D 6 Volume / (2 Area) (the signed height of a tetrahedron over its base).

Expanded formulas have d! terms per cross-product component; from ``ga_relu.options.max_symbolic_dim``
(default 6) on, expanding symbolic points raises :class:`ga_relu.errors.SymbolicLimitError` and
only the structural form is offered. The cost is also stated in terms: the signed volume of m
symbolic samples has (m + 1)! terms (:func:`expansion_terms`), and an expansion above
``ga_relu.options.max_symbolic_terms`` (50,000) is refused before it starts, so raising the
dimension limit alone never starts an unbounded computation (d = 8 with a bias: 362,880 terms).
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
import re
from fractions import Fraction
from typing import Any, Literal, Sequence

import numpy as np
import sympy

from ..algebra import blades as algebra
from ..algebra import geometry
from ..config import options
from ..convex.penalties import PenaltyName, get_penalty
from ..errors import InvalidInputError, InvalidTypeError, SymbolicLimitError

__all__ = [
    "SymbolicPoint",
    "VectorSymbol",
    "Wedge",
    "Norm",
    "relu",
    "Area",
    "Volume",
    "symbolic_points",
    "symbolic_input",
    "coordinate_symbol",
    "InputCoordinate",
    "check_feature_names",
    "basis_vector",
    "NeuronFormula",
    "neuron_formula",
    "exact_features",
    "numeric_feature_function",
    "check_symbolic_limit",
    "expansion_terms",
    "check_expansion_terms",
]


# ---------------------------------------------------------------------------------------------
# named vectors
# ---------------------------------------------------------------------------------------------


class VectorSymbol(sympy.Symbol):
    r"""A named vector of R^d used as a scalar symbol in structural expressions (x, x_7, e_2).

    It carries its components (sympy objects: coordinate symbols or numbers); two VectorSymbols are
    equal only when name and components agree, so x_7 bound to numbers differs from symbolic x_7.

    Parameters
    ----------
    name : str
        The printed name (``"x_7"`` prints x_{7}).
    components : sequence
        Its d coordinates.

    Examples
    --------
    >>> from ga_relu.explain.symbolic import VectorSymbol
    >>> a = VectorSymbol("a", [1, 2])
    >>> a.dim, a.components
    (2, (1, 2))
    >>> a == VectorSymbol("a", [1, 3])
    False
    """

    __slots__ = ("components",)

    def __new__(cls, name: str, components: Sequence[Any]):
        obj = sympy.Symbol.__xnew__(cls, name)
        obj.components = tuple(sympy.sympify(c) for c in components)
        return obj

    def __getnewargs_ex__(self):
        return ((self.name, self.components), {})

    def _hashable_content(self):
        return super()._hashable_content() + (self.components,)

    @property
    def dim(self) -> int:
        r"""d, the number of components.

        Examples
        --------
        >>> from ga_relu.explain.symbolic import VectorSymbol
        >>> VectorSymbol("a", [1, 2, 3]).dim
        3
        """
        return len(self.components)

    def bind(self, values: Sequence[Any]) -> VectorSymbol:
        r"""The same name with other components (numbers, to evaluate a structural formula).

        Examples
        --------
        >>> from ga_relu.explain.symbolic import symbolic_points
        >>> symbolic_points(1, 2)[0].symbol.bind([3, 4]).components
        (3, 4)
        """
        return VectorSymbol(self.name, values)


class SymbolicPoint:
    r"""A named point of R^d: ``.symbol`` (its name in formulas), ``.coords`` and ``.vector``.

    Iterable over its coordinates, so ``ga_relu.wedge(*points)`` and ``ga_relu.cross(*points)``
    accept it.

    Parameters
    ----------
    symbol : VectorSymbol
        The name and coordinates.
    index : int, optional
        The 1-based sample number (None for the input x).

    Examples
    --------
    >>> import ga_relu
    >>> from ga_relu.explain.symbolic import symbolic_points
    >>> p, q = symbolic_points(2, 2)
    >>> p
    SymbolicPoint(x_1: x_1,1, x_1,2)
    >>> print(ga_relu.wedge(p, q))
    (x_1,1*x_2,2 - x_1,2*x_2,1)*e1^e2
    """

    __slots__ = ("symbol", "index")

    def __init__(self, symbol: VectorSymbol, index: int | None = None):
        self.symbol = symbol
        self.index = index

    @property
    def coords(self) -> tuple:
        r"""The coordinates (x_{i,1}, ..., x_{i,d}) as sympy objects.

        Examples
        --------
        >>> from ga_relu.explain.symbolic import symbolic_points
        >>> symbolic_points(7, 2)[6].coords
        (x_7,1, x_7,2)
        """
        return self.symbol.components

    @property
    def vector(self) -> sympy.ImmutableMatrix:
        r"""The coordinates as a sympy d x 1 column.

        Examples
        --------
        >>> from ga_relu.explain.symbolic import symbolic_input
        >>> symbolic_input(2).vector.T
        Matrix([[[x]_1, [x]_2]])
        """
        return sympy.ImmutableMatrix(len(self.coords), 1, list(self.coords))

    @property
    def name(self) -> str:
        r"""The point's name: ``"x_7"`` for the 7th sample, ``"x"`` for the input.

        Examples
        --------
        >>> from ga_relu.explain.symbolic import symbolic_points
        >>> symbolic_points(7, 2)[6].name
        'x_7'
        """
        return self.symbol.name

    def __iter__(self):
        return iter(self.coords)

    def __len__(self) -> int:
        return len(self.coords)

    def __getitem__(self, k):
        return self.coords[k]

    def __repr__(self) -> str:
        return f"SymbolicPoint({self.name}: {', '.join(map(str, self.coords))})"

    def _latex(self, printer) -> str:
        return printer._print(self.symbol)

    def _sympystr(self, printer) -> str:
        return self.symbol.name

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {sympy.latex(self.symbol)}$"


_RESERVED_NAME = re.compile(r"^\s*(x|e)_\{?\d+(,\d+)?\}?\s*$|^\s*\[x\]_\{?\d+\}?\s*$")
_NUMBER_LIKE = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def _latex_text(name: str) -> str:
    """A feature name as upright LaTeX text, its special characters escaped (``petal_width`` would
    otherwise print as petal with subscript width)."""
    special = {"\\": r"\backslash{}", "_": r"\_", "%": r"\%", "$": r"\$", "#": r"\#", "&": r"\&",
               "{": r"\{", "}": r"\}", "^": r"\hat{}", "~": r"\sim{}", " ": r"\ "}
    return r"\mathrm{" + "".join(special.get(c, c) for c in name) + "}"


class InputCoordinate(sympy.Symbol):
    r"""[x]_k, coordinate k (1-based) of the input point x, or the feature's name when it is known.

    A real Symbol that remembers its axis, so that formulas printed with feature names still
    evaluate (:func:`ga_relu.explain.formulas.evaluate_expression` binds it by axis, not by name).
    Two InputCoordinates are equal when axis and printed name agree.

    Parameters
    ----------
    axis : int
        k, 1-based.
    name : str, optional
        The printed name: a feature name (``"bmi"``), ``"x"`` for 1-D inputs; ``"[x]_k"`` by default.

    Examples
    --------
    >>> import sympy
    >>> from ga_relu.explain.symbolic import InputCoordinate
    >>> InputCoordinate(2), sympy.latex(InputCoordinate(2))
    ([x]_2, '[x]_{2}')
    >>> t = InputCoordinate(1, "petal_width")
    >>> t.axis, sympy.latex(2 * t)
    (1, '2 \\mathrm{petal\\_width}')
    """

    __slots__ = ("axis", "_feature_name")

    def __new__(cls, axis: int, name: str | None = None):
        axis = _check_dim(axis, "axis")
        obj = sympy.Symbol.__xnew__(cls, f"[x]_{axis}" if name is None else str(name), real=True)
        obj.axis, obj._feature_name = axis, name
        return obj

    def __getnewargs_ex__(self):
        return ((self.axis, self._feature_name), {})

    def _hashable_content(self):
        return super()._hashable_content() + (self.axis,)

    def _latex(self, printer) -> str:
        if self._feature_name is None:
            return f"[x]_{{{self.axis}}}"
        if self._feature_name == "x":
            return "x"
        return _latex_text(self._feature_name)


def check_feature_names(feature_names, d: int) -> tuple[str, ...] | None:
    r"""Feature names as a tuple of d strings (None when the data names no features).

    Names that carry no information are dropped (None in their place, printed [x]_k): names that
    are not strings (a DataFrame's default integer columns), empty names, numbers ("0", "1.5":
    ``0.8 1`` would be unreadable), and names in the package's own notation (``x_3``, ``x_{3}``,
    ``e_2``, ``[x]_1``: a column called x_3 must not be read as sample 3). When every name is
    dropped the result is None.

    Raises
    ------
    InvalidInputError
        When the number of names is not d, or two kept names are equal (a formula would then not
        say which feature it means).

    Examples
    --------
    >>> from ga_relu.explain.symbolic import check_feature_names
    >>> check_feature_names(["bmi", "s5"], 2)
    ('bmi', 's5')
    >>> check_feature_names([0, 1], 2) is None, check_feature_names(["x_1", "age"], 2)
    (True, (None, 'age'))
    """
    if feature_names is None:
        return None
    if isinstance(feature_names, (str, bytes)):
        raise InvalidInputError(f"feature_names must be a sequence of {d} names, got the single string {feature_names!r}")
    names = list(feature_names)
    if len(names) != d:
        raise InvalidInputError(f"feature_names has {len(names)} names for data with d = {d} features; give one "
                                "name per column of X")
    kept = []
    for name in names:
        usable = (isinstance(name, str) and name.strip() and not _NUMBER_LIKE.match(name)
                  and not _RESERVED_NAME.match(name))
        kept.append(name.strip() if usable else None)
    given = [n for n in kept if n is not None]
    repeated = sorted({n for n in given if given.count(n) > 1})
    if repeated:
        raise InvalidInputError(f"feature_names repeats {repeated}; formulas need distinct names, e.g. rename the "
                                "columns")
    return None if not given else tuple(kept)


def coordinate_symbol(i: int | None, k: int, *, name: str | None = None) -> sympy.Symbol:
    r"""x_{i,k}, coordinate k (1-based) of training point i (1-based); i = None gives [x]_k of the input.

    The symbols are real, so formulas simplify under real arithmetic. ``name`` names an input
    coordinate after its feature.

    Examples
    --------
    >>> import sympy
    >>> from ga_relu.explain.symbolic import coordinate_symbol
    >>> coordinate_symbol(7, 1), coordinate_symbol(None, 2), coordinate_symbol(None, 2, name="bmi")
    (x_7,1, [x]_2, bmi)
    >>> sympy.latex(coordinate_symbol(7, 1)), sympy.latex(coordinate_symbol(None, 2))
    ('x_{7,1}', '[x]_{2}')
    """
    if i is None:
        return InputCoordinate(k, name)
    return sympy.Symbol(f"x_{i},{k}", real=True)


def _check_dim(d, what: str = "d") -> int:
    if isinstance(d, bool) or not isinstance(d, numbers.Integral) or d < 1:
        raise InvalidInputError(f"{what} must be a positive integer (the dimension), got {d!r}")
    return int(d)


def symbolic_point(i: int, d: int) -> SymbolicPoint:
    r"""Training point x_i (1-based) of R^d with coordinates x_{i,1..d}.

    Examples
    --------
    >>> from ga_relu.explain.symbolic import symbolic_point
    >>> symbolic_point(3, 2)
    SymbolicPoint(x_3: x_3,1, x_3,2)
    """
    return SymbolicPoint(VectorSymbol(f"x_{i}", [coordinate_symbol(i, k) for k in range(1, d + 1)]), i)


def symbolic_points(n: int, d: int) -> tuple[SymbolicPoint, ...]:
    r"""The training points x_1..x_n of R^d as SymbolicPoints (a 0-based tuple of 1-based names).

    Point i has the coordinates x_{i,1}, ..., x_{i,d} (real sympy Symbols named ``"x_i,k"``).

    Raises
    ------
    InvalidInputError
        When n or d is not a positive integer.

    Examples
    --------
    >>> from ga_relu.explain.symbolic import symbolic_points
    >>> P = symbolic_points(7, 3)
    >>> P[6].name, P[6].coords
    ('x_7', (x_7,1, x_7,2, x_7,3))
    """
    n, d = _check_dim(n, "n"), _check_dim(d)
    return tuple(symbolic_point(i, d) for i in range(1, n + 1))


def symbolic_input(d: int, feature_names=None) -> SymbolicPoint:
    r"""The input point x of R^d with coordinates [x]_1..[x]_d (or the feature names).

    In 1-D the single coordinate prints as x: the input is a number. The input coordinates are
    :class:`InputCoordinate` symbols, distinct from the training points x_i (VectorSymbols) and
    their coordinates x_{i,k}.

    Parameters
    ----------
    d : int
        The dimension.
    feature_names : sequence of str, optional
        Names of the d coordinates (see :func:`check_feature_names`; unusable names print [x]_k).

    Examples
    --------
    >>> from ga_relu.explain.symbolic import symbolic_input
    >>> x = symbolic_input(3)
    >>> x.name, x.coords
    ('x', ([x]_1, [x]_2, [x]_3))
    >>> symbolic_input(2, feature_names=["bmi", "s5"]).coords, symbolic_input(1).coords
    ((bmi, s5), (x,))
    """
    d = _check_dim(d)
    names = check_feature_names(feature_names, d) or (None,) * d
    if d == 1 and names[0] is None:
        names = ("x",)
    return SymbolicPoint(VectorSymbol("x", [coordinate_symbol(None, k + 1, name=names[k]) for k in range(d)]))


def basis_vector(k: int, d: int) -> VectorSymbol:
    r"""e_k of R^d as a named vector (0-based k, printed 1-based), a vertex of the l1 ball.

    Examples
    --------
    >>> from ga_relu.explain.symbolic import basis_vector
    >>> e = basis_vector(0, 3)
    >>> e, e.components
    (e_1, (1, 0, 0))
    """
    return VectorSymbol(f"e_{k + 1}", [1 if j == k else 0 for j in range(d)])


# ---------------------------------------------------------------------------------------------
# structural notation
# ---------------------------------------------------------------------------------------------


def _plain(value):
    """sympy Float / Integer / Rational -> float / int / Fraction, so ga_relu.algebra.blades picks its fast path."""
    if isinstance(value, sympy.Float):
        return float(value)
    if isinstance(value, sympy.Integer):
        return int(value)
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    return value


def vector_of(expr) -> list:
    r"""Components of a vector expression: a linear combination of VectorSymbols (x - x_12, -e_2).

    .. math:: \Big(\sum_i c_i v_i\Big)_k = \sum_i c_i (v_i)_k

    Raises
    ------
    InvalidInputError
        When the expression holds no named vector, mixes dimensions or is not linear in them with
        number coefficients.

    Examples
    --------
    >>> from ga_relu.explain.symbolic import VectorSymbol, vector_of
    >>> a, b = VectorSymbol("a", [1, 2]), VectorSymbol("b", [3, 5])
    >>> vector_of(2 * a - b)
    [-1, -1]
    """
    expr = sympy.sympify(expr)
    names = sorted((s for s in expr.free_symbols if isinstance(s, VectorSymbol)), key=lambda s: s.name)
    if not names:
        raise InvalidInputError(f"{expr} is not a vector expression (no named vector such as x or x_7 in it)")
    dims = {s.dim for s in names}
    if len(dims) != 1:
        raise InvalidInputError(f"{expr} mixes vectors of dimensions {sorted(dims)}")
    d = dims.pop()
    coefficients = {s: expr.coeff(s) for s in names}
    rest = sympy.expand(expr - sum(c * s for s, c in coefficients.items()))
    if rest != 0 or any(c.free_symbols for c in coefficients.values()):
        raise InvalidInputError(f"{expr} is not a linear combination of named vectors with number coefficients")
    out = []
    for k in range(d):
        out.append(_plain(sympy.Add(*[c * s.components[k] for s, c in coefficients.items()])))
    return out


def _print_vector(printer, arg, latex: bool, wrap: bool = True) -> str:
    """A vector expression, a difference printed as "a - b" (sympy would print "- b + a"), in
    parentheses when it is a sum."""
    if not isinstance(arg, sympy.Add):
        return printer._print(arg)
    terms = arg.as_ordered_terms()
    positive = [t for t in terms if not t.could_extract_minus_sign()]
    negative = [-t for t in terms if t.could_extract_minus_sign()]
    text = " + ".join(printer._print(t) for t in positive) or ("-" + printer._print(negative.pop(0)))
    text += "".join(" - " + printer._print(t) for t in negative)
    if not wrap:
        return text
    return f"\\left({text}\\right)" if latex else f"({text})"


class Wedge(sympy.Function):
    r"""a_1 ^ ... ^ a_k of vector expressions; with k = d the scalar det[a] (coefficient on I).

    .. math:: a_1 \wedge \dots \wedge a_d = \det[a_1; \dots; a_d] \; I

    ``doit()`` evaluates the full-grade wedge with :func:`ga_relu.wedge` (clifford's outer-product
    table); lower grades only appear inside :class:`Norm`.  One argument in R^1 is the coordinate
    itself.

    Examples
    --------
    >>> import sympy
    >>> from ga_relu.explain.symbolic import VectorSymbol, Wedge
    >>> a, b = VectorSymbol("a", [1, 2]), VectorSymbol("b", [3, 4])
    >>> w = Wedge(a - b, b)
    >>> w, w.doit()
    ((a - b) ^ b, -2)
    >>> sympy.latex(w)
    '\\left(a - b\\right) \\wedge b'
    """

    is_commutative = True

    @classmethod
    def eval(cls, *args):
        return None

    def blade(self) -> algebra.Blade:
        r"""The blade a_1 ^ ... ^ a_k itself, of any grade, through :func:`ga_relu.wedge`.

        Examples
        --------
        >>> from ga_relu.explain.symbolic import VectorSymbol, Wedge
        >>> print(Wedge(VectorSymbol("a", [1, 0, 0]), VectorSymbol("b", [0, 1, 1])).blade())
        e1^e2 + e1^e3
        """
        return algebra.wedge(*[vector_of(a) for a in self.args])

    def doit(self, deep: bool = True, **hints):
        r"""det[a_1; ...; a_d], the coefficient of the full-grade wedge on I.

        Raises
        ------
        InvalidInputError
            When the wedge is not of full grade (a blade, not a scalar).

        Examples
        --------
        >>> from ga_relu.explain.symbolic import VectorSymbol, Wedge
        >>> Wedge(VectorSymbol("a", [2, 0]), VectorSymbol("b", [0, 3])).doit()
        6
        """
        args = [a.doit(deep=deep, **hints) if deep else a for a in self.args]
        vectors = [vector_of(a) for a in args]
        if len(vectors) != len(vectors[0]):
            raise InvalidInputError(
                f"Wedge of {len(vectors)} vectors of R^{len(vectors[0])} is a blade, not a scalar; "
                "only a full-grade wedge (d vectors) or its Norm evaluates to a number"
            )
        return sympy.sympify(algebra.wedge(*vectors).coefficients[0])

    def _latex(self, printer) -> str:
        return r" \wedge ".join(_print_vector(printer, a, True) for a in self.args)

    def _sympystr(self, printer) -> str:
        return " ^ ".join(_print_vector(printer, a, False) for a in self.args)


class Norm(sympy.Function):
    r"""||B||_p of a blade B = Wedge(a_1..a_k) (or of one vector).

    .. math:: \|B\|_2 = \sqrt{\textstyle\sum_J B_J^2} = \sqrt{\det(A A^T)}, \qquad
              \|B\|_1 = \textstyle\sum_J |B_J|

    The l2 norm is the k-volume of the parallelotope; for k = d-1 the dual cross(a) is a signed
    permutation of the blade's coefficients, so this is also ||cross(a)||_p.

    Examples
    --------
    >>> import sympy
    >>> from ga_relu.explain.symbolic import Norm, VectorSymbol, Wedge
    >>> a, b = VectorSymbol("a", [3, 4]), VectorSymbol("b", [1, 0])
    >>> Norm(a, 2).doit(), Norm(a, 1).doit(), Norm(a - b, 2)
    (5, 7, ||a - b||_2)
    >>> sympy.latex(Norm(a - b, 2))
    '\\left\\| a - b \\right\\|_{2}'
    """

    is_commutative = True
    is_positive = True

    @classmethod
    def eval(cls, blade, p):
        return None

    def doit(self, deep: bool = True, **hints):
        blade_expr, p = self.args
        vectors = blade_expr.args if isinstance(blade_expr, Wedge) else (blade_expr,)
        blade = algebra.wedge(*[vector_of(v) for v in vectors])
        if not blade.is_exact:
            values = blade.to_numpy()
            return sympy.Float(float(np.abs(values).sum()) if p == 1 else float(np.sqrt(values @ values)))
        if p == 1:
            return sympy.Add(*[sympy.Abs(c) for c in blade.coefficients])
        return blade.norm()

    def _latex(self, printer) -> str:
        inner = self.args[0]
        text = _print_vector(printer, inner, True, wrap=False)
        return rf"\left\| {text} \right\|_{{{printer._print(self.args[1])}}}"

    def _sympystr(self, printer) -> str:
        inner = self.args[0]
        text = _print_vector(printer, inner, False, wrap=False)
        return f"||{text}||_{printer._print(self.args[1])}"


class relu(sympy.Function):
    r"""relu(t) = max(t, 0); evaluates on real numbers (exact for rationals and surds).

    Examples
    --------
    >>> import sympy
    >>> from ga_relu.explain.symbolic import relu
    >>> relu(-3), relu(sympy.Rational(1, 2)), relu(sympy.Symbol("t"))
    (0, 1/2, relu(t))
    >>> relu(sympy.Symbol("t")).rewrite(sympy.Max)
    Max(0, t)
    """

    @classmethod
    def eval(cls, arg):
        if arg.is_number and arg.is_extended_real:
            return sympy.Max(arg, 0)
        return None  # no assumption queries: they are slow on d!-term polynomials

    def _eval_rewrite_as_Max(self, arg, **kwargs):
        return sympy.Max(arg, 0)

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real


class Area(sympy.Function):
    r"""Area(a, b, c): the signed triangle area in R^2, the unsigned one in R^3.

    .. math:: \operatorname{Area}(a, b, c) = \tfrac12 \det[b - a; c - a] \ (\mathbb R^2), \qquad
              \tfrac12 \|(b - a) \wedge (c - a)\| \ (\mathbb R^3)

    ``doit()`` evaluates it through :func:`ga_relu.algebra.geometry.triangle_area` and
    :func:`ga_relu.wedge`.

    Examples
    --------
    >>> from ga_relu.explain.symbolic import Area, VectorSymbol
    >>> a, b, c = VectorSymbol("a", [0, 0]), VectorSymbol("b", [1, 0]), VectorSymbol("c", [0, 1])
    >>> Area(a, b, c).doit(), Area(a, c, b).doit()
    (1/2, -1/2)
    """

    is_commutative = True

    @classmethod
    def eval(cls, a, b, c):
        return None

    def doit(self, deep: bool = True, **hints):
        a, b, c = (vector_of(v) for v in self.args)
        if len(a) == 2:
            return sympy.sympify(geometry.triangle_area(a, b, c))
        edges = [[q - p for p, q in zip(a, b)], [q - p for p, q in zip(a, c)]]
        return sympy.sympify(algebra.wedge(*edges).norm()) / 2


class Volume(sympy.Function):
    r"""Volume(a, b, c, d): the signed tetrahedron volume in R^3.

    .. math:: \operatorname{Volume}(a, b, c, d) = \tfrac16 \det[b - a; c - a; d - a]

    ``doit()`` evaluates it through :func:`ga_relu.algebra.geometry.tetrahedron_volume`.

    Examples
    --------
    >>> from ga_relu.explain.symbolic import VectorSymbol, Volume
    >>> o, a, b, c = (VectorSymbol(n, v) for n, v in
    ...               [("o", [0, 0, 0]), ("a", [1, 0, 0]), ("b", [0, 1, 0]), ("c", [0, 0, 1])])
    >>> Volume(o, a, b, c).doit()
    1/6
    """

    is_commutative = True

    @classmethod
    def eval(cls, a, b, c, d):
        return None

    def doit(self, deep: bool = True, **hints):
        return sympy.sympify(geometry.tetrahedron_volume(*(vector_of(v) for v in self.args)))


STRUCTURAL_FUNCTIONS = (Wedge, Norm, Area, Volume)


def evaluate_structure(expr):
    r"""Replace every Wedge / Norm / Area / Volume by its value (through :mod:`ga_relu.algebra.blades`).

    Outermost first: a Norm evaluates the lower-grade Wedge inside it.  A vector of R^1 is replaced
    by its coordinate.

    Examples
    --------
    >>> from ga_relu.explain.symbolic import Norm, VectorSymbol, Wedge, evaluate_structure, relu
    >>> a, b = VectorSymbol("a", [1, 2]), VectorSymbol("b", [3, 4])
    >>> evaluate_structure(relu(Wedge(a, b) / Norm(a - b, 2)))
    0
    >>> evaluate_structure(relu(Wedge(b, a) / Norm(a - b, 2)))
    sqrt(2)/2
    """
    if isinstance(expr, STRUCTURAL_FUNCTIONS):
        return expr.doit()
    if isinstance(expr, VectorSymbol) and expr.dim == 1:  # a vector of R^1 is its coordinate
        return expr.components[0]
    if isinstance(expr, sympy.MatrixBase):
        return expr.applyfunc(evaluate_structure)
    if not expr.args or not isinstance(expr, sympy.Basic):
        return expr
    return expr.func(*[evaluate_structure(a) for a in expr.args])


# ---------------------------------------------------------------------------------------------
# limits
# ---------------------------------------------------------------------------------------------


def check_symbolic_limit(d: int, what: str = "expanded neuron formula") -> None:
    r"""Raise SymbolicLimitError when d >= ``ga_relu.options.max_symbolic_dim``.

    An expanded cross product in R^d has d! terms per component, so the limit (6 by default)
    refuses 720-term formulas.

    Raises
    ------
    SymbolicLimitError
        When d is at or above the limit; the message names the structural form and the option.

    Examples
    --------
    >>> from ga_relu.explain.symbolic import check_symbolic_limit
    >>> check_symbolic_limit(3)
    >>> check_symbolic_limit(6)
    Traceback (most recent call last):
    ...
    ga_relu.errors.SymbolicLimitError: the expanded neuron formula in d = 6 expands ...
    """
    limit = options.max_symbolic_dim
    if d >= limit:
        terms = math.factorial(d)
        raise SymbolicLimitError(
            f"the {what} in d = {d} expands a cross product with d! = {terms:,} terms per component "
            f"(signed volume: {math.factorial(d):,} products of {d} coordinates), at or above the limit "
            f"ga_relu.options.max_symbolic_dim = {limit}; use the structural form (form='structural', "
            f"wedge notation, available in every dimension) or the numeric form, or raise the limit with "
            f"ga_relu.options.override(max_symbolic_dim={d + 1})"
        )


def expansion_terms(n_symbolic_rows: int) -> int:
    r"""Number of terms of the expanded signed volume w . x + b of m symbolic vertex rows: (m + 1)!.

    The signed volume is the determinant of the square matrix [x~; v~_1; ...; v~_d] (lifted rows
    (v, 1) with a bias, plain rows without). A basis-vector row e~_k has a single nonzero entry, so
    expanding along it fixes column k; what is left is an (m + 1) x (m + 1) block (the input row
    and the m symbolic sample rows) whose entries are all distinct symbols, and the Leibniz
    expansion of such a block has one term per permutation and no cancellation:

    .. math:: \#\mathrm{terms}(w \cdot x + b) = (m + 1)!

    Each weight component w_j is one of its m + 1 cofactors, with m! terms. This is the cost the
    expansion pays, stated before it starts (:func:`check_expansion_terms`).

    Examples
    --------
    >>> from ga_relu.explain.symbolic import expansion_terms
    >>> expansion_terms(2), expansion_terms(8)  # a line in 2-D; 8 samples in 8-D
    (6, 362880)
    """
    return math.factorial(int(n_symbolic_rows) + 1)


def check_expansion_terms(n_symbolic_rows: int, what: str = "expanded neuron formula") -> int:
    r"""The term count :func:`expansion_terms` of an expansion, or SymbolicLimitError above
    ``ga_relu.options.max_symbolic_terms``.

    Raises
    ------
    SymbolicLimitError
        Before any work is done, naming the count and the option that raises the limit.

    Examples
    --------
    >>> from ga_relu.explain.symbolic import check_expansion_terms
    >>> check_expansion_terms(3)
    24
    >>> check_expansion_terms(9)
    Traceback (most recent call last):
    ...
    ga_relu.errors.SymbolicLimitError: the expanded neuron formula has (m + 1)! = 3,628,800 terms ...
    """
    terms = expansion_terms(n_symbolic_rows)
    limit = options.max_symbolic_terms
    if terms > limit:
        raise SymbolicLimitError(
            f"the {what} has (m + 1)! = {terms:,} terms (m = {n_symbolic_rows} symbolic vertex rows; each "
            f"weight component has m! = {math.factorial(n_symbolic_rows):,}), more than "
            f"ga_relu.options.max_symbolic_terms = {limit:,}; use the structural form (form='structural') or "
            f"the numeric form, or raise the limit with ga_relu.options.override(max_symbolic_terms={terms}) "
            "(sympy needs roughly 0.5 ms per term)"
        )
    return terms


# ---------------------------------------------------------------------------------------------
# derivation
# ---------------------------------------------------------------------------------------------


def _as_point(p, i: int) -> SymbolicPoint:
    if isinstance(p, SymbolicPoint):
        return p
    if isinstance(p, VectorSymbol):
        return SymbolicPoint(p)
    if isinstance(p, np.ndarray):
        values = p.tolist()
    elif isinstance(p, (numbers.Number, sympy.Expr, str, bytes)) or not hasattr(p, "__iter__"):
        # a flat vector such as [1, 2, 3] passed as `points`: its entries are numbers, not points
        raise InvalidTypeError(
            f"point {i} is {p!r} ({type(p).__name__}), not a point: points must be a sequence of points, each "
            "a sequence of d coordinates; wrap a single point in a list, e.g. neuron_formula([p], ...)")
    else:
        values = list(p)
    if any(isinstance(v, (list, tuple, np.ndarray)) for v in values):
        raise InvalidTypeError(f"point {i} must be a flat sequence of d coordinates, got {p!r}")
    return SymbolicPoint(VectorSymbol(f"x_{i}", [_to_sympy(v) for v in values]), i)


def _to_sympy(v):
    if isinstance(v, Fraction):
        return sympy.Rational(v.numerator, v.denominator)
    if isinstance(v, (bool, np.bool_)):
        raise InvalidInputError(f"point coordinate {v!r} is a boolean; expected a number or a sympy expression")
    if isinstance(v, (numbers.Real, sympy.Basic)):
        return sympy.sympify(v)
    raise InvalidInputError(f"point coordinate {v!r} ({type(v).__name__}) is not a number or sympy expression")


def _expand_all(expressions: list) -> list:
    """Expand polynomials through sympy's sparse ring over QQ (10x faster than sympy.expand on the
    nested determinants the algebra returns); sympy.expand when the coefficients are not rational."""
    expressions = [sympy.sympify(e) for e in expressions]
    gens = sorted(set().union(*[e.free_symbols for e in expressions]), key=sympy.default_sort_key)
    if not gens or any(e.has(sympy.Float) for e in expressions):
        return [sympy.expand(e) for e in expressions]
    try:
        R, *_ = sympy.polys.rings.ring(gens, sympy.QQ)
        return [R.from_expr(e).as_expr() for e in expressions]
    except (sympy.polys.polyerrors.PolynomialError, ValueError, TypeError, sympy.CoercionFailed):
        return [sympy.expand(e) for e in expressions]


def _vector_list(v) -> list:
    """A cross / hyperplane result (ImmutableMatrix column or numpy array) as a list of sympy objects."""
    if isinstance(v, np.ndarray):
        return [sympy.Float(float(c)) for c in v]
    return [sympy.sympify(c) for c in v]


def _weight_norm(w: Sequence[Any], p: float):
    """||w||_p of a weight vector in sympy: sum |w_k| (p = 1) or sqrt(sum w_k^2) (p = 2)."""
    if p == 1:
        return sympy.Add(*[sympy.Abs(c) for c in w])
    return sympy.sqrt(sympy.Add(*[c**2 for c in w]))


# -- the structural form: one Wedge over one Norm -------------------------------------------------


def _lifted_volume(x, names: list, edges: list, sign: int, d: int):
    """sign * det[x - p_m; p_1 - p_m; ...; e_k ...] as a Wedge, the sign absorbed into one edge.

    The lifted determinant det[x~; p~_1; ...; p~_m; e~_k ...] equals (-1)^(m+d) times this one
    (subtract the last lifted sample from every other row, then expand along the column of ones);
    the caller folds (-1)^(m+d) into ``sign``.
    """
    last = names[-1]
    if d == 1:  # x - x_k: the wedge of one vector of R^1 is its coordinate
        return x - last if sign > 0 else last - x
    lead, signed_edges = x - last, list(edges)
    if sign < 0:  # flip the first sample edge, else the x edge: the printed wedge keeps no minus
        if len(names) >= 2:
            signed_edges[0] = last - names[0]
        else:
            lead = last - x
    return Wedge(lead, *signed_edges)


def _linear_volume(x, edges: list, sign: int, d: int):
    """sign * det[x; a_1; ...; a_{d-1}] as a Wedge (no bias), the sign absorbed by a swap."""
    if d == 1:
        return x if sign > 0 else -x
    args = [x] + edges
    if sign < 0:  # an odd permutation of the rows flips the determinant's sign
        args[0], args[1] = args[1], args[0]
    return Wedge(*args)


def _edge_norm(edges: list, p: float):
    """||a_1 ^ ... ^ a_k||_p of the edges, 1 when they are distinct basis vectors (or none)."""
    if not edges or all(isinstance(e, VectorSymbol) and e.name.startswith("e_") for e in edges):
        return sympy.Integer(1)  # a wedge of distinct basis vectors has unit norm
    if len(edges) == 1:
        return Norm(edges[0], p)
    return Norm(Wedge(*edges), p)


# -- closed forms: Area and Volume ------------------------------------------------------------------


def _figure_and_base(x, names: list, d: int, p: float):
    """(figure, base) with feature = relu(c * figure / base): Area over a side in 2-D, Volume over
    twice the base triangle's area in 3-D (l2) or the l1 norm of its wedge; None from 4-D on."""
    if d == 2:
        return Area(x, *names), Norm(names[0] - names[1], p)
    if d == 3:
        base = 2 * Area(*names) if p == 2 else Norm(Wedge(names[0] - names[2], names[1] - names[2]), 1)
        return Volume(x, *names), base
    return None


class NeuronFormula:
    r"""The neuron of a vertex subset as formulas in the named points (see the module docstring).

    With d vertices v_1..v_d (samples p_i lifted to (p_i, 1), basis vectors to (e_k, 0)):

    .. math:: w \cdot x + b = s \det[\tilde x; \tilde v_1; \dots; \tilde v_d], \qquad
              \mathrm{feature}(x) = \operatorname{relu}\Big(\frac{w \cdot x + b}{\|w\|_p}\Big)

    and without bias, w . x = s det[x; v_1; ...; v_{d-1}].  Build it with :func:`neuron_formula`,
    which validates the vertices.

    Attributes
    ----------
    points : tuple of SymbolicPoint
        The samples among the vertices.
    basis : tuple of int
        The basis vectors among the vertices (0-based axes).
    d : int
        The dimension.
    has_bias : bool
        Whether the neuron has a bias (vertices lifted).
    penalty : {"l1", "l2"}
        The norm ||w||_p that normalizes the feature (p = 1 or 2).
    sign : {1, -1}
        s, which side of the hyperplane is active.
    x : SymbolicPoint
        The input point.
    structural : sympy.Expr
        relu(Wedge(...) / Norm(...)), available in every dimension.
    weight, bias : sympy.ImmutableMatrix, sympy.Expr
        w (a d x 1 column) and b, through :func:`ga_relu.cross`.
    preactivation : sympy.Expr
        w . x + b, a signed volume, expanded.
    norm : sympy.Expr
        ||w||_p.
    feature : sympy.Expr
        relu(preactivation / norm), expanded.
    closed_form : sympy.Expr or None
        Area / Volume notation where one applies.
    description : str
        The neuron in words.

    Notes
    -----
    The expanded attributes are computed on first access and raise SymbolicLimitError for
    symbolic points in d >= ``ga_relu.options.max_symbolic_dim``.

    Examples
    --------
    >>> from ga_relu.explain.symbolic import neuron_formula, symbolic_points
    >>> f = neuron_formula(symbolic_points(2, 2))
    >>> f
    NeuronFormula(relu((x - x_2) ^ (x_1 - x_2)/||x_1 - x_2||_2))
    >>> f.closed_form
    relu(2*Area(x, x_1, x_2)/||x_1 - x_2||_2)
    >>> f.description
    'signed distance from x to the line through x_1 and x_2'
    """

    def __init__(self, points, basis, d, bias, penalty, sign, x):
        penalty = get_penalty(penalty)
        self.points, self.basis, self.d = tuple(points), tuple(basis), d
        self.has_bias, self.penalty, self.sign, self.x = bias, penalty.name, sign, x
        self._p = penalty.p
        self.structural = relu(self._structural_ratio())

    # -- structural -------------------------------------------------------------------------------

    def _structural_parts(self):
        """(signed volume, normalization) in Wedge / Norm notation."""
        x = self.x.symbol
        names = [p.symbol for p in self.points]
        basis = [basis_vector(k, self.d) for k in self.basis]
        if self.has_bias:
            edges = [q - names[-1] for q in names[:-1]] + basis
            volume = _lifted_volume(x, names, edges, self.sign * (-1) ** (len(names) + self.d), self.d)
        else:
            edges = names + basis
            volume = _linear_volume(x, edges, self.sign, self.d)
        return volume, _edge_norm(edges, self._p)

    def _structural_ratio(self):
        volume, norm = self._structural_parts()
        return volume / norm

    # -- exact / expanded ------------------------------------------------------------------------

    @property
    def symbolic(self) -> bool:
        """True when the points carry free symbols (their formula expands into d! terms).

        Examples
        --------
        >>> from ga_relu.explain.symbolic import neuron_formula, symbolic_points
        >>> neuron_formula(symbolic_points(2, 2)).symbolic, neuron_formula([[0, 0], [1, 0]]).symbolic
        (True, False)
        """
        return any(getattr(c, "free_symbols", None) for p in self.points for c in p.coords)

    @property
    def _n_symbolic_rows(self) -> int:
        """m, the samples whose coordinates carry symbols (basis rows and numeric samples are constants)."""
        return sum(1 for p in self.points if any(getattr(c, "free_symbols", None) for c in p.coords))

    def _vertex_rows(self) -> list:
        """The vertices as rows: p~_i = (p_i, 1) and e~_k = (e_k, 0) with bias, p_i and e_k without."""
        tail = ([1], [0]) if self.has_bias else ([], [])
        rows = [[_plain(c) for c in p.coords] + tail[0] for p in self.points]
        rows += [[1 if j == k else 0 for j in range(self.d)] + tail[1] for k in self.basis]
        return rows

    @functools.cached_property
    def _hyperplane(self):
        """(w, b) = sign * cross(v~_1, ..., v~_d) (bias), or (sign * cross(v_1, ..., v_{d-1}), 0)."""
        if self.symbolic:
            check_symbolic_limit(self.d)
            check_expansion_terms(self._n_symbolic_rows)
        rows = self._vertex_rows()
        if self.has_bias:
            v = _vector_list(algebra.cross(*rows))
            w, b = v[: self.d], v[self.d]
        else:  # in R^1 without bias there is no vertex: w = 1
            w = _vector_list(algebra.cross(*rows)) if rows else [sympy.Integer(1)]
            b = sympy.Integer(0)
        return sympy.ImmutableMatrix(self.d, 1, [self.sign * c for c in w]), self.sign * b

    @property
    def weight(self) -> sympy.ImmutableMatrix:
        """w = s cross(v~_1, ..., v~_d)[:d] (unnormalized), through :func:`ga_relu.cross`.

        Examples
        --------
        >>> from ga_relu.explain.symbolic import neuron_formula
        >>> neuron_formula([[0, 0], [1, 0]]).weight.T  # the line y = 0
        Matrix([[0, 1]])
        """
        return self._hyperplane[0]

    @property
    def bias(self):
        """b = s cross(v~_1, ..., v~_d)[d], the last component of the lifted cross product.

        Examples
        --------
        >>> from ga_relu.explain.symbolic import neuron_formula
        >>> neuron_formula([[0, 1], [1, 1]]).bias  # the line y = 1: w . x + b = y - 1
        -1
        """
        return self._hyperplane[1]

    @functools.cached_property
    def _expanded(self):
        """(w, b, w . x + b) expanded into monomials (sympy's sparse polynomial ring: fast)."""
        w, b = self._hyperplane
        return _expand_all(list(w) + [b, sum((c * xk for c, xk in zip(w, self.x.coords)), b)])

    @property
    def preactivation(self):
        """w . x + b = s det[x~; v~_1; ...; v~_d], a signed volume, expanded.

        Examples
        --------
        >>> from ga_relu.explain.symbolic import neuron_formula
        >>> neuron_formula([[0, 1], [1, 1]]).preactivation
        [x]_2 - 1
        """
        return self._expanded[-1]

    @functools.cached_property
    def norm(self):
        """||w||_p: sqrt(sum w_k^2) (the (d-1)-volume of the base) or sum |w_k|.

        Examples
        --------
        >>> from ga_relu.explain.symbolic import neuron_formula
        >>> neuron_formula([[0, 0], [3, 4]]).norm  # the side's length
        5
        """
        return _weight_norm(self._expanded[: self.d], self._p)

    @functools.cached_property
    def feature(self):
        """relu((w . x + b) / ||w||_p): the dictionary column of this subset, expanded.

        Examples
        --------
        >>> from ga_relu.explain.symbolic import neuron_formula
        >>> neuron_formula([[0, 1], [2, 1]]).feature
        relu([x]_2 - 1)
        """
        return relu(self.preactivation / self.norm)

    @functools.cached_property
    def closed_form(self):
        """2-D: 2 Area(x, p_1, p_2) / ||p_1 - p_2||; 3-D: 6 Volume / (2 Area) (l2); 1-D: x - x_k.

        Recognized by checking, through the algebra, that the expanded signed volume is a constant
        multiple of the Area / Volume formula (and, for l2 in 3-D, ||w|| = 2 Area of the base).
        None when no closed form applies.

        Examples
        --------
        >>> from ga_relu.explain.symbolic import neuron_formula, symbolic_points
        >>> neuron_formula(symbolic_points(3, 3)).closed_form
        relu(3*Volume(x, x_2, x_1, x_3)/Area(x_1, x_2, x_3))
        """
        if not self.has_bias or self.basis:
            axis_parallel = self.has_bias and self.d == 2 and len(self.points) == 1  # (l1)
            return self.feature if axis_parallel else None
        if self.d == 1:
            return self.structural
        x = self.x.symbol
        names = [p.symbol for p in self.points]
        parts = _figure_and_base(x, names, self.d, self._p)
        if parts is None:
            return None
        figure, base = parts
        ratio = self._multiple_of(figure, names)
        if ratio < 0:  # swap two points: an odd permutation of the figure's vertices
            figure = figure.func(x, names[1], names[0], *names[2:])
            ratio = -ratio
        return relu(ratio * figure / base)

    def _multiple_of(self, figure, names: list):
        """The constant c with w . x + b = c * figure, checked to be free of symbols (and, for l2 in
        3-D, ||w||_2 = 2 Area of the base triangle)."""
        ratio = sympy.cancel(self.preactivation / sympy.expand(figure.doit()))
        if ratio.free_symbols:
            raise AssertionError(f"the signed volume {self.preactivation} is not a multiple of {figure}")
        if self._p == 2 and self.d == 3:
            difference = sympy.expand(sympy.Add(*[c**2 for c in self.weight]) - 4 * Area(*names).doit() ** 2)
            if difference != 0:
                raise AssertionError("||w||_2 differs from twice the base triangle's area")
        return ratio

    @property
    def description(self) -> str:
        """The neuron in words: which hyperplane, and which signed distance or volume it measures.

        Examples
        --------
        >>> from ga_relu.explain.symbolic import neuron_formula
        >>> neuron_formula([[1, 2]], [1], penalty="l1").description
        'axis-parallel line through x_1 along e_2'
        """
        names = [p.name for p in self.points]
        axes = [f"e_{k + 1}" for k in self.basis]
        norm = "||w||_1" if self._p == 1 else "||w||_2"
        if self.d == 1 and self.has_bias:
            return f"relu(x - {names[0]})" if self.sign > 0 else f"relu({names[0]} - x)"
        if self.d == 1:
            return "relu(x)" if self.sign > 0 else "relu(-x)"
        if not self.has_bias:
            return f"relu of the signed volume det[x; {', '.join(names + axes)}] over {norm}"
        if self.d == 2 and len(names) == 2:
            what = "signed distance from x to the line" if self._p == 2 else "twice the signed triangle area over the l1 length of the side"
            return f"{what} through {names[0]} and {names[1]}"
        if self.d == 2 and len(names) == 1:
            return f"axis-parallel line through {names[0]} along {axes[0]}"
        if self.d == 3 and len(names) == 3 and self._p == 2:
            return f"signed height of the tetrahedron (x, {', '.join(names)}) over the base triangle"
        return f"relu of det[x~; {', '.join(names + axes)}~] over {norm}"

    def __repr__(self) -> str:
        return f"NeuronFormula({self.structural})"

    def _latex(self, printer) -> str:
        return printer._print(self.structural)

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {sympy.latex(self.structural)}$"


# -- neuron_formula: validation, then the formula -------------------------------------------------


def _common_dimension(points: list, d: int | None) -> int:
    """d from the points (all of one length) or from ``d=`` when no point is given."""
    dims = {len(p) for p in points}
    if d is None:
        if not dims:
            raise InvalidInputError("neuron_formula: no points given; pass d= to fix the dimension")
        d = dims.pop()
    d = _check_dim(d)
    if dims - {d}:
        raise InvalidInputError(f"neuron_formula: points of dimensions {sorted(dims)} given with d = {d}")
    return d


def _checked_vertices(n_points: int, basis: Sequence[int], d: int, bias: bool) -> tuple[int, ...]:
    """The basis axes, checked to be distinct and, with the samples, d vertices (d - 1 without bias)."""
    basis = tuple(int(k) for k in basis)
    if any(not 0 <= k < d for k in basis) or len(set(basis)) < len(basis):
        raise InvalidInputError(f"basis indices must be distinct axes in 0..{d - 1} (0-based), got {basis}")
    expected = d if bias else d - 1
    if n_points + len(basis) != expected:
        raise InvalidInputError(
            f"a neuron in R^{d} {'with' if bias else 'without'} bias is defined by {expected} vertices "
            f"(samples plus basis vectors), got {n_points} samples and {len(basis)} basis vectors"
        )
    if bias and not n_points:
        raise InvalidInputError("with bias at least one sample is needed: basis vectors alone give w = 0")
    return basis


def neuron_formula(points: Sequence[Any] = (), basis: Sequence[int] = (), *, d: int | None = None,
                   bias: bool = True, penalty: PenaltyName = "l2", sign: Literal[1, -1] = 1,
                   x: SymbolicPoint | None = None) -> NeuronFormula:
    r"""The neuron defined by samples ``points`` and basis vectors ``basis`` (0-based axes).

    With bias there are d vertices in all, lifted to p~ = (p, 1) and e~_k = (e_k, 0); without
    bias d - 1, not lifted:

    .. math:: (w, b) = s \times(\tilde p_1, \dots, \tilde e_k, \dots), \qquad
              \mathrm{feature}(x) = \operatorname{relu}\Big(\frac{w \cdot x + b}{\|w\|_p}\Big)

    Parameters
    ----------
    points : sequence
        SymbolicPoints (from :func:`symbolic_points`: a formula in the coordinates x_{i,k}) or
        plain vectors (int, Fraction, sympy Rational: exact; float: float).
    basis : sequence of int
        The basis vectors e_k among the vertices (0-based, distinct; the l1 penalty's vertices).
    d : int, optional
        The dimension; read off the points when omitted.
    bias : bool
        Whether the neuron has a bias b.
    penalty : {"l1", "l2"}
        p = 1 or 2 in ||w||_p.
    sign : {1, -1}
        s, which side of the hyperplane is active.
    x : SymbolicPoint, optional
        The input point; :func:`symbolic_input` (d) by default.

    Returns
    -------
    NeuronFormula

    Raises
    ------
    InvalidInputError
        When the vertices do not define a neuron (wrong count, repeated axes, no sample with a
        bias), the dimensions disagree, the penalty is unknown or the sign is not +-1.

    Examples
    --------
    >>> from ga_relu.explain.symbolic import neuron_formula, symbolic_points
    >>> neuron_formula(symbolic_points(2, 2)).structural
    relu((x - x_2) ^ (x_1 - x_2)/||x_1 - x_2||_2)
    >>> neuron_formula([[0, 1], [2, 1]], sign=-1).feature  # below the line y = 1
    relu(1 - [x]_2)
    """
    penalty = get_penalty(penalty)
    if sign not in (1, -1):
        raise InvalidInputError(f"sign must be +1 or -1 (which side of the hyperplane is active), got {sign!r}")
    pts = [_as_point(p, i + 1) for i, p in enumerate(points)]
    d = _common_dimension(pts, d)
    basis = _checked_vertices(len(pts), basis, d, bias)
    x = symbolic_input(d) if x is None else x
    return NeuronFormula(pts, basis, d, bool(bias), penalty, int(sign), x)


def exact_features(points: Sequence[Any], X_eval, samples: Sequence[int], basis: Sequence[int] = (), *,
                   bias: bool = True, penalty: str = "l2", sign: int = 1) -> list:
    r"""Exact feature values relu(s det[x~; subset~] / ||w||_p) at each row of X_eval.

    Parameters
    ----------
    points : sequence of sequences, n x d
        The training points (int / Fraction / sympy Rational entries).
    X_eval : sequence of sequences
        The rows at which to evaluate.
    samples : sequence of int
        0-based indices into ``points``: the samples among the vertices.
    basis, bias, penalty, sign
        As in :func:`neuron_formula`.

    Returns
    -------
    list of sympy numbers
        Rationals for l1, surds for l2.

    Examples
    --------
    >>> from ga_relu.explain.symbolic import exact_features
    >>> exact_features([[0, 0], [1, 0], [0, 1]], [[0, 1], [1, 1], [1, -1]], [0, 1])
    [1, 1, 0]
    >>> exact_features([[0, 0], [1, 1]], [[2, 0]], [0, 1], sign=-1)
    [sqrt(2)]
    """
    rows = [list(points[i]) for i in samples]
    formula = neuron_formula(rows, basis, d=len(points[0]), bias=bias, penalty=penalty, sign=sign)
    w, b, norm = formula.weight, formula.bias, formula.norm
    out = []
    for row in X_eval:
        value = sum((wk * _to_sympy(v) for wk, v in zip(w, row)), b) / norm
        out.append(relu(sympy.nsimplify(value) if value.has(sympy.Float) else value))
    return out


# ---------------------------------------------------------------------------------------------
# lambdified dictionary features
# ---------------------------------------------------------------------------------------------


def _numpy_relu(t):
    return np.maximum(t, 0.0)


def _generic_feature_formula(d: int, bias: bool, p: float):
    """([x]_1..[x]_d, vertex symbols v_{i,j} (k rows of D), t) with t = (w . x + b) / ||w||_p and
    (w, b) = cross(v~_1, ..., v~_k): k = d vertices of D = d + 1 lifted coordinates with a bias,
    k = d - 1 of D = d without (then b = 0)."""
    D = d + 1 if bias else d
    k = d if bias else d - 1
    vertices = [[sympy.Symbol(f"v_{i},{j}", real=True) for j in range(1, D + 1)] for i in range(1, k + 1)]
    xs = list(symbolic_input(d).coords)
    if k == 0:  # R^1 without bias: no vertex, w = 1
        v = [sympy.Integer(1)]
    else:
        v = _vector_list(algebra.cross(*vertices))
    w, b = (v[:d], v[d]) if bias else (v, sympy.Integer(0))
    t = (sympy.Add(*[c * xk for c, xk in zip(w, xs)]) + b) / _weight_norm(w, p)
    return xs, vertices, t


@functools.lru_cache(maxsize=None)
def numeric_feature_function(d: int, bias: bool = True, penalty: PenaltyName = "l1"):
    r"""A numpy function computing wedge-dictionary features, generated from the symbolic formula.

    .. math:: \operatorname{relu}\Big(\pm \frac{w \cdot x + b}{\|w\|_p}\Big), \qquad
              (w, b) = \times(\tilde v_1, \dots, \tilde v_k)

    of generic vertex symbols v_{i,j} (derived with :func:`ga_relu.cross`), compiled by
    ``sympy.lambdify(..., cse=True)``.  Cached per (d, bias, penalty).

    Returns
    -------
    callable
        ``features(X, vertices)``: X (n, d), vertices (m, k, D) the subsets' rows of
        ``ga_relu.convex.dictionary.vertex_set`` (D = d + 1 with bias); result (n, 2m) =
        [relu(P), relu(-P)], the layout of ``Dictionary.matrix``.  ``features.source`` holds the
        generated code and ``features.expression`` the formula.

    Raises
    ------
    SymbolicLimitError
        From ``ga_relu.options.max_symbolic_dim`` on, or when the generic formula has more than
        ``ga_relu.options.max_symbolic_terms`` terms ((k + 1)! for k vertex rows).

    Notes
    -----
    Speed (benchmarks/bench_symbolic.py, same subsets, 2 shared cores): this generated function
    took 0.3-1.0x the time of the vectorized path (``build_columns``: cross_batch + normalization,
    then X @ W.T), e.g. d = 2, n = 120, 14,760 columns: 0.014 s vs 0.044 s; both agree to 4e-16.
    The default path in ga_relu is still the vectorized one in ``ga_relu.convex.dictionary`` (it
    also drops degenerate and duplicate subsets); this function is the inspectable, cross-checking
    path.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.explain.symbolic import numeric_feature_function
    >>> features = numeric_feature_function(1, bias=True, penalty="l1")
    >>> features.expression
    relu((x*v_1,2 - v_1,1)/Abs(v_1,2))
    >>> features(np.array([[0.0], [2.0]]), np.array([[[1.0, 1.0]]]))  # the vertex x = 1
    array([[0., 1.],
           [1., 0.]])
    """
    d = _check_dim(d)
    penalty = get_penalty(penalty)
    check_symbolic_limit(d, "lambdified feature formula")
    check_expansion_terms(d if bias else d - 1, "lambdified feature formula")  # all k vertex rows are symbols
    xs, vertices, t = _generic_feature_formula(d, bias, penalty.p)
    k, D = len(vertices), (d + 1 if bias else d)
    expressions = [relu(t), relu(-t)]
    flat = [s for row in vertices for s in row]
    generated = sympy.lambdify(xs + flat, expressions, modules=[{"relu": _numpy_relu}, "numpy"], cse=True)
    source = inspect.getsource(generated)

    def features(X, vertices_rows) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        V = np.asarray(vertices_rows, dtype=float)
        if X.ndim != 2 or X.shape[1] != d:
            raise InvalidInputError(f"X must have shape (n, {d}), got {X.shape}")
        if V.ndim != 3 or V.shape[1:] != (k, D):
            raise InvalidInputError(f"vertices must have shape (m, {k}, {D}) (vertex_set rows of each subset), got {V.shape}")
        columns = [X[:, j : j + 1] for j in range(d)]
        vertex_args = [V[None, :, i, j] for i in range(k) for j in range(D)]
        positive, negative = generated(*columns, *vertex_args)
        shape = (X.shape[0], V.shape[0])
        return np.hstack([np.broadcast_to(positive, shape), np.broadcast_to(negative, shape)])

    features.source = source
    features.expression = expressions[0]
    features.__doc__ = f"Dictionary features for d = {d}, bias = {bias}, penalty = {penalty.name}:\n\n{source}"
    return features
