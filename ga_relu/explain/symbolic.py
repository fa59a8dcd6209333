r"""Neurons as formulas in the training points: symbolic points, wedge notation, exact derivations.

Representation
--------------
* A training point is a :class:`SymbolicPoint`: ``symbolic_points(n, d)[6]`` is x_7 (printed 1-based)
  with coordinates x_{7,1}, ..., x_{7,d} (sympy Symbols named ``"x_7,1"``, printed ``x_{7,1}``).
  The point itself is an iterable of its coordinates (so it can be passed to ``ga_relu.wedge`` and
  ``ga_relu.cross``), ``.vector`` is a sympy column, and ``.symbol`` is a :class:`VectorSymbol`,
  the name of the whole point inside scalar sympy expressions (printed ``x_{7}``).
* ``symbolic_input(d)`` is the input point x with coordinates x_1, ..., x_d (``.symbol`` prints ``x``).
  The input coordinate x_1 and the training point x_1 are different sympy objects (a Symbol and a
  VectorSymbol); the first appears only in expanded formulas, the second only in structural ones.
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

The neuron of a vertex subset (theory.md sections 1 and 3)
---------------------------------------------------------
With bias: samples p_1..p_m and basis vectors e_k (d vertices in all, lifted to (p, 1) and (e_k, 0)),
(w, b) = sign * cross(p~_1, ..., p~_m, e~_k, ...) and

    w . x + b = sign * det[x~; p~_1; ...; e~_k ...] = sign * (-1)^(m+d) * det[x - p_m; p_1 - p_m; ...; e_k ...],

the structural form ``Wedge(x - p_m, p_1 - p_m, ..., e_k, ...)``.  Without bias (d-1 vertices):
w . x = sign * det[x; a_1; ...].  The feature is relu((w . x + b) / ||w||_p), ||w||_p =
||(p_1 - p_m) ^ ... ^ e_k ...||_p.  Closed forms: 1-D x - x_k; 2-D 2 Area(x, p_1, p_2) / |p_1 - p_2|
(the signed distance to the line through p_1, p_2) and x_j - p_{j} (axis-parallel lines, l1);
3-D 6 Volume / (2 Area) (the signed height of a tetrahedron over its base).

Expanded formulas have d! terms per cross-product component; from ``ga_relu.options.max_symbolic_dim``
(default 6) on, expanding symbolic points raises :class:`ga_relu.errors.SymbolicLimitError` and
only the structural form is offered.
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
from fractions import Fraction
from typing import Any, Sequence

import numpy as np
import sympy

from ..algebra import blades as algebra
from ..algebra import geometry
from ..config import options
from ..errors import InvalidInputError, SymbolicLimitError

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
    "basis_vector",
    "NeuronFormula",
    "neuron_formula",
    "exact_features",
    "numeric_feature_function",
    "check_symbolic_limit",
]


# ---------------------------------------------------------------------------------------------
# named vectors
# ---------------------------------------------------------------------------------------------


class VectorSymbol(sympy.Symbol):
    """A named vector of R^d used as a scalar symbol in structural expressions (x, x_7, e_2).

    Carries its components (sympy objects: coordinate symbols or numbers); two VectorSymbols are
    equal only when name and components agree, so x_7 bound to numbers differs from symbolic x_7.
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
        return len(self.components)

    def bind(self, values: Sequence[Any]) -> VectorSymbol:
        """The same name with other components (numbers, to evaluate a structural formula)."""
        return VectorSymbol(self.name, values)


class SymbolicPoint:
    """A named point of R^d: ``.symbol`` (its name in formulas), ``.coords`` and ``.vector``.

    Iterable over its coordinates, so ``ga_relu.wedge(*points)`` and ``ga_relu.cross(*points)``
    accept it.  ``index`` is the 1-based sample number (None for the input x).
    """

    __slots__ = ("symbol", "index")

    def __init__(self, symbol: VectorSymbol, index: int | None = None):
        self.symbol = symbol
        self.index = index

    @property
    def coords(self) -> tuple:
        return self.symbol.components

    @property
    def vector(self) -> sympy.ImmutableMatrix:
        return sympy.ImmutableMatrix(len(self.coords), 1, list(self.coords))

    @property
    def name(self) -> str:
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


def coordinate_symbol(i: int | None, k: int) -> sympy.Symbol:
    """x_{i,k}, coordinate k (1-based) of training point i (1-based); i = None gives x_k of the input."""
    return sympy.Symbol(f"x_{k}" if i is None else f"x_{i},{k}", real=True)


def _check_dim(d, what: str = "d") -> int:
    if isinstance(d, bool) or not isinstance(d, numbers.Integral) or d < 1:
        raise InvalidInputError(f"{what} must be a positive integer (the dimension), got {d!r}")
    return int(d)


def symbolic_point(i: int, d: int) -> SymbolicPoint:
    """Training point x_i (1-based) of R^d with coordinates x_{i,1..d}."""
    return SymbolicPoint(VectorSymbol(f"x_{i}", [coordinate_symbol(i, k) for k in range(1, d + 1)]), i)


def symbolic_points(n: int, d: int) -> tuple[SymbolicPoint, ...]:
    """The training points x_1..x_n of R^d as SymbolicPoints (0-based tuple, 1-based names)."""
    n, d = _check_dim(n, "n"), _check_dim(d)
    return tuple(symbolic_point(i, d) for i in range(1, n + 1))


def symbolic_input(d: int) -> SymbolicPoint:
    """The input point x of R^d with coordinates x_1..x_d."""
    d = _check_dim(d)
    return SymbolicPoint(VectorSymbol("x", [coordinate_symbol(None, k) for k in range(1, d + 1)]))


def basis_vector(k: int, d: int) -> VectorSymbol:
    """e_k (0-based k, printed 1-based) of R^d."""
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
    """Components of a vector expression: a linear combination of VectorSymbols (x - x_12, -e_2)."""
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

    ``doit()`` evaluates the full-grade wedge with :func:`ga_relu.wedge`; lower grades only appear
    inside :class:`Norm`.  One argument in R^1 is the coordinate itself.
    """

    is_commutative = True

    @classmethod
    def eval(cls, *args):
        return None

    def blade(self) -> algebra.Blade:
        return algebra.wedge(*[vector_of(a) for a in self.args])

    def doit(self, deep: bool = True, **hints):
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
    r"""||B||_p of a blade B = Wedge(a_1..a_k) (or of one vector): p = 2 the k-volume
    sqrt(sum_J B_J^2) = sqrt(det(A A^T)), p = 1 the sum of |B_J|."""

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
    """relu(t) = max(t, 0); evaluates on real numbers (exact for rationals and surds)."""

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
    """Area(a, b, c): signed triangle area in R^2 (ga_relu.triangle_area), ||(b-a)^(c-a)||/2 in R^3."""

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
    """Volume(a, b, c, d): signed tetrahedron volume det[b-a; c-a; d-a] / 6 (ga_relu.tetrahedron_volume)."""

    is_commutative = True

    @classmethod
    def eval(cls, a, b, c, d):
        return None

    def doit(self, deep: bool = True, **hints):
        return sympy.sympify(geometry.tetrahedron_volume(*(vector_of(v) for v in self.args)))


STRUCTURAL_FUNCTIONS = (Wedge, Norm, Area, Volume)


def evaluate_structure(expr):
    """Replace every Wedge / Norm / Area / Volume by its value (through ga_relu.algebra.blades), outermost
    first (a Norm evaluates the lower-grade Wedge inside it)."""
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
    """Raise SymbolicLimitError when d >= ga_relu.options.max_symbolic_dim (d! terms)."""
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
    else:
        values = list(p)
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


class NeuronFormula:
    r"""The neuron of a vertex subset as formulas in the named points (see the module docstring).

    Attributes (sympy): ``structural`` relu(Wedge(...) / Norm(...)); ``weight`` (w, a d x 1 column)
    and ``bias`` (b) with w . x + b = sign * det[x~; subset~]; ``preactivation`` w . x + b, a signed
    volume; ``norm`` ||w||_p; ``feature`` relu(preactivation / norm); ``closed_form`` (Area /
    Volume notation where one applies, else None) and ``description``.  The expanded attributes are
    computed on first access and raise SymbolicLimitError for symbolic points in d >= the limit.
    """

    def __init__(self, points, basis, d, bias, penalty, sign, x):
        self.points, self.basis, self.d = tuple(points), tuple(basis), d
        self.has_bias, self.penalty, self.sign, self.x = bias, penalty, sign, x
        self.structural = relu(self._structural_ratio())

    # -- structural -------------------------------------------------------------------------------

    @property
    def _p(self) -> int:
        return 1 if self.penalty == "l1" else 2

    def _structural_parts(self):
        """(signed volume, normalization) in Wedge / Norm notation."""
        x = self.x.symbol
        names = [p.symbol for p in self.points]
        basis = [basis_vector(k, self.d) for k in self.basis]
        if self.has_bias:
            m = len(names)
            last = names[-1]
            edges = [q - last for q in names[:-1]] + basis
            sign = self.sign * (-1) ** (m + self.d)
            if self.d == 1:  # x - x_k: the wedge of one vector of R^1 is its coordinate
                return (x - last if sign > 0 else last - x), sympy.Integer(1)
            lead, signed_edges = x - last, list(edges)
            if sign < 0:  # absorb the sign: flip the first sample edge, else the x edge
                if m >= 2:
                    signed_edges[0] = last - names[0]
                else:
                    lead = last - x
            volume = Wedge(lead, *signed_edges)
        else:
            edges = names + basis
            if self.d == 1:
                return (x if self.sign > 0 else -x), sympy.Integer(1)
            args = [x] + edges
            if self.sign < 0:
                args[0], args[1] = args[1], args[0]
            volume = Wedge(*args)
        if not edges or all(isinstance(e, VectorSymbol) and e.name.startswith("e_") for e in edges):
            norm = sympy.Integer(1)  # a wedge of distinct basis vectors has unit norm
        elif len(edges) == 1:
            norm = Norm(edges[0], self._p)
        else:
            norm = Norm(Wedge(*edges), self._p)
        return volume, norm

    def _structural_ratio(self):
        volume, norm = self._structural_parts()
        return volume / norm

    # -- exact / expanded ------------------------------------------------------------------------

    @property
    def symbolic(self) -> bool:
        """True when the points carry free symbols (their formula expands into d! terms)."""
        return any(getattr(c, "free_symbols", None) for p in self.points for c in p.coords)

    @functools.cached_property
    def _hyperplane(self):
        if self.symbolic:
            check_symbolic_limit(self.d)
        d = self.d
        zero, one = 0, 1
        if self.has_bias:
            rows = [[_plain(c) for c in p.coords] + [one] for p in self.points]
            rows += [[one if j == k else zero for j in range(d)] + [zero] for k in self.basis]
            v = _vector_list(algebra.cross(*rows))
            w, b = v[:d], v[d]
        else:
            rows = [[_plain(c) for c in p.coords] for p in self.points]
            rows += [[one if j == k else zero for j in range(d)] for k in self.basis]
            w = _vector_list(algebra.cross(*rows)) if rows else [sympy.Integer(1)]
            b = sympy.Integer(0)
        w = [self.sign * c for c in w]
        return sympy.ImmutableMatrix(d, 1, w), self.sign * b

    @property
    def weight(self) -> sympy.ImmutableMatrix:
        """w = sign * cross(subset~)[:d] (unnormalized), through ga_relu.cross."""
        return self._hyperplane[0]

    @property
    def bias(self):
        return self._hyperplane[1]

    @functools.cached_property
    def _expanded(self):
        """(w, b, w . x + b) expanded into monomials (sympy's sparse polynomial ring: fast)."""
        w, b = self._hyperplane
        return _expand_all(list(w) + [b, sum((c * xk for c, xk in zip(w, self.x.coords)), b)])

    @property
    def preactivation(self):
        """w . x + b = sign * det[x~; subset~], a signed volume, expanded."""
        return self._expanded[-1]

    @functools.cached_property
    def norm(self):
        """||w||_p: sqrt(sum w_k^2) (the (d-1)-volume of the base) or sum |w_k|."""
        w = self._expanded[: self.d]
        if self._p == 1:
            return sympy.Add(*[sympy.Abs(c) for c in w])
        return sympy.sqrt(sympy.Add(*[c**2 for c in w]))

    @functools.cached_property
    def feature(self):
        """relu((w . x + b) / ||w||_p): the dictionary column of this subset, expanded."""
        return relu(self.preactivation / self.norm)

    @functools.cached_property
    def closed_form(self):
        """2-D: 2 Area(x, p_1, p_2) / ||p_1 - p_2||; 3-D: 6 Volume / (2 Area) (l2); 1-D: x - x_k.

        Recognized by checking, through the algebra, that the expanded signed volume is a constant
        multiple of the Area / Volume formula (and, for l2 in 3-D, ||w|| = 2 Area of the base).
        None when no closed form applies.
        """
        d, m = self.d, len(self.points)
        if not self.has_bias or self.basis:
            if self.has_bias and d == 2 and m == 1:  # axis-parallel line through one sample (l1)
                return self.feature
            return None
        x = self.x.symbol
        names = [p.symbol for p in self.points]
        if d == 1:
            return self.structural
        if d == 2:
            figure = Area(x, *names)
            base = Norm(names[0] - names[1], self._p)
        elif d == 3:
            figure = Volume(x, *names)
            base = 2 * Area(*names) if self._p == 2 else Norm(Wedge(names[0] - names[2], names[1] - names[2]), 1)
        else:
            return None
        ratio = sympy.cancel(self.preactivation / sympy.expand(figure.doit()))
        if ratio.free_symbols:
            raise AssertionError(f"the signed volume {self.preactivation} is not a multiple of {figure}")
        if self._p == 2 and d == 3:
            difference = sympy.expand(sympy.Add(*[c**2 for c in self.weight]) - 4 * Area(*names).doit() ** 2)
            if difference != 0:
                raise AssertionError("||w||_2 differs from twice the base triangle's area")
        if ratio < 0:  # swap two points: an odd permutation of the figure's vertices
            figure = figure.func(x, names[1], names[0], *names[2:])
            ratio = -ratio
        return relu(ratio * figure / base)

    @property
    def description(self) -> str:
        names = [p.name for p in self.points]
        axes = [f"e_{k + 1}" for k in self.basis]
        norm = "||w||_1" if self._p == 1 else "||w||_2"
        if self.d == 1:
            return f"relu({'x - ' if self.sign > 0 else ''}{names[0] if names else 'x'}{' - x' if self.sign < 0 else ''})" \
                if self.has_bias else ("relu(x)" if self.sign > 0 else "relu(-x)")
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


def _check_penalty(penalty: str) -> str:
    from ..validation import check_penalty

    return check_penalty(penalty)


def neuron_formula(points: Sequence[Any] = (), basis: Sequence[int] = (), *, d: int | None = None,
                   bias: bool = True, penalty: str = "l2", sign: int = 1, x: SymbolicPoint | None = None
                   ) -> NeuronFormula:
    r"""The neuron defined by samples ``points`` and basis vectors ``basis`` (0-based axes).

    ``points``: SymbolicPoints (from :func:`symbolic_points`: a formula in the coordinates x_{i,k})
    or plain vectors (int, Fraction, sympy Rational: exact; float: float).  With bias there are d
    vertices in all (lifted: (p, 1), (e_k, 0)) and (w, b) = sign * cross(p~_1, ..., e~_k, ...);
    without bias d - 1 and w = sign * cross(p_1, ..., e_k, ...).  Returns a :class:`NeuronFormula`
    whose ``feature`` is relu((w . x + b) / ||w||_p), p = 1 for penalty "l1", 2 for "l2".
    """
    penalty = _check_penalty(penalty)
    if sign not in (1, -1):
        raise InvalidInputError(f"sign must be +1 or -1 (which side of the hyperplane is active), got {sign!r}")
    pts = [_as_point(p, i + 1) for i, p in enumerate(points)]
    dims = {len(p) for p in pts}
    if d is None:
        if not dims:
            raise InvalidInputError("neuron_formula: no points given; pass d= to fix the dimension")
        d = dims.pop()
    d = _check_dim(d)
    if dims - {d}:
        raise InvalidInputError(f"neuron_formula: points of dimensions {sorted(dims)} given with d = {d}")
    basis = tuple(int(k) for k in basis)
    if any(not 0 <= k < d for k in basis) or len(set(basis)) < len(basis):
        raise InvalidInputError(f"basis indices must be distinct axes in 0..{d - 1} (0-based), got {basis}")
    expected = d if bias else d - 1
    if len(pts) + len(basis) != expected:
        raise InvalidInputError(
            f"a neuron in R^{d} {'with' if bias else 'without'} bias is defined by {expected} vertices "
            f"(samples plus basis vectors), got {len(pts)} samples and {len(basis)} basis vectors"
        )
    if bias and not pts:
        raise InvalidInputError("with bias at least one sample is needed: basis vectors alone give w = 0")
    x = symbolic_input(d) if x is None else x
    return NeuronFormula(pts, basis, d, bool(bias), penalty, int(sign), x)


def exact_features(points: Sequence[Any], X_eval, samples: Sequence[int], basis: Sequence[int] = (), *,
                   bias: bool = True, penalty: str = "l2", sign: int = 1) -> list:
    r"""Exact feature values relu(sign * det[x~; subset~] / ||w||_p) at each row of X_eval.

    ``points`` (n x d) and ``X_eval`` hold int / Fraction / sympy Rational entries; ``samples`` are
    0-based indices into ``points``.  Values are sympy numbers (rationals for l1, surds for l2).
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


@functools.lru_cache(maxsize=None)
def numeric_feature_function(d: int, bias: bool = True, penalty: str = "l1"):
    r"""A numpy function computing wedge-dictionary features, generated from the symbolic formula.

    The formula relu(+-(w . x + b) / ||w||_p), (w, b) = cross(v~_1, ..., v~_k) of generic vertex
    symbols v_{i,j} (derived with ``ga_relu.cross``), is compiled by ``sympy.lambdify(..., cse=True)``.
    Returns ``features(X, vertices)``: X (n, d), vertices (m, k, D) the subsets' rows of
    ``ga_relu.convex.dictionary.vertex_set`` (D = d + 1 with bias); result (n, 2m) = [relu(P), relu(-P)],
    the layout of ``Dictionary.matrix``.  ``features.source`` holds the generated code and
    ``features.expression`` the formula.  Cached per (d, bias, penalty).

    Speed (benchmarks/bench_symbolic.py, same subsets, 2 shared cores): this generated function took
    0.3-1.0x the time of the vectorized path (``build_columns``: cross_batch + normalization, then
    X @ W.T), e.g. d = 2, n = 120, 14,760 columns: 0.014 s vs 0.044 s; both agree to 4e-16.
    The default path in ga_relu is still the vectorized one in ``ga_relu.convex.dictionary`` (it also
    drops degenerate and duplicate subsets); this function is the inspectable, cross-checking path.
    """
    d = _check_dim(d)
    penalty = _check_penalty(penalty)
    check_symbolic_limit(d, "lambdified feature formula")
    D = d + 1 if bias else d
    k = d if bias else d - 1
    vertices = [[sympy.Symbol(f"v_{i},{j}", real=True) for j in range(1, D + 1)] for i in range(1, k + 1)]
    xs = [coordinate_symbol(None, j) for j in range(1, d + 1)]
    if k == 0:
        v = [sympy.Integer(1)]
    else:
        v = _vector_list(algebra.cross(*vertices))
    w, b = (v[:d], v[d]) if bias else (v, sympy.Integer(0))
    norm = sympy.Add(*[sympy.Abs(c) for c in w]) if penalty == "l1" else sympy.sqrt(sympy.Add(*[c**2 for c in w]))
    t = (sympy.Add(*[c * xk for c, xk in zip(w, xs)]) + b) / norm
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
    features.__doc__ = f"Dictionary features for d = {d}, bias = {bias}, penalty = {penalty}:\n\n{source}"
    return features
