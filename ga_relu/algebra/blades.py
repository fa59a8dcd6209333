r"""Blades and wedge products on clifford's algebra layouts, exact or float.

Conventions (docs/theory/algebra.md), fixed here once and tested against determinants:

* The wedge of k vectors a_1..a_k in R^d is a k-blade whose coefficient on e_J (|J| = k, J
  increasing, in the layout's lexicographic order) is det(A[:, J]), A the k x d matrix with rows
  a_i.  The wedge of d vectors is det(A) I, I = e_1 ^ ... ^ e_d.
* ||a_1 ^ ... ^ a_k||^2 = det(A A^T) = sum_J det(A[:, J])^2 (Gram / Cauchy-Binet).
* The dual is B* = B I^{-1}, clifford's ``MultiVector.dual()`` convention.
* cross(a_1..a_{d-1}) = (a_1 ^ ... ^ a_{d-1})* is the vector with
  <x, cross(a)> = det[x; a_1; ...; a_{d-1}]; its components are cross_k = (-1)^k det(A without
  column k) (k from 0).

The layouts and their product tables come from :mod:`~ga_relu.algebra.tables`.  Products are
contracted here with plain Python arithmetic (exact path) or numpy (float path) over the tables'
non-zeros, never with clifford's numba-jitted ``MultiVector`` products: those reject sympy
coefficients and cost seconds of compilation per process.  Many float tuples at once go through
:mod:`~ga_relu.algebra.batched` instead.

Exact or float.  Entries that are ``int``, ``fractions.Fraction`` or sympy expressions give exact
results (sympy objects; Fractions become ``sympy.Rational``).  If any entry is a float (Python or
numpy) and no entry carries a free symbol, the whole computation runs in float64 (numpy).  Floats
mixed with symbols stay symbolic (the float becomes a ``sympy.Float``).  Internally rational
inputs are computed with Python ``int`` / ``Fraction`` (much faster than sympy) and converted to
sympy objects on the way out.

Vector results (``cross``, ``Blade.to_vector``, ``rejection``...) are a sympy ``ImmutableMatrix``
column (d x 1) when exact and a numpy array of shape (d,) when float.

>>> from ga_relu.algebra.blades import wedge
>>> print(wedge([1, 2, 0], [0, 1, 3]))
e1^e2 + 3*e1^e3 + 6*e2^e3
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from typing import Any, Iterable, Literal, Sequence

import numpy as np
import sympy
from sympy.printing.defaults import Printable

from ..errors import DegenerateDataError, InvalidInputError, InvalidTypeError, UnknownBladeError
from .tables import ProductKind, _blade_positions, _dual_table, _grade_blades, _graded_table, _graded_terms, layout

__all__ = ["Blade", "wedge", "cross"]

# coefficient kinds
RATIONAL = "rational"  # Python int / fractions.Fraction internally, sympy Rational outside
SYMBOLIC = "symbolic"  # sympy expressions
FLOAT = "float"  # numpy float64 arrays
#: how a computation carries its coefficients (see the module docstring)
Kind = Literal["rational", "symbolic", "float"]


# ---------------------------------------------------------------------------------------------
# input parsing: exact or float
# ---------------------------------------------------------------------------------------------

_EXPECTED_ENTRY = "a real number (int, float, fractions.Fraction) or a sympy expression"


def _ordinal(i: int) -> str:
    return f"{i + 1}{'st' if i == 0 else 'nd' if i == 1 else 'rd' if i == 2 else 'th'}"


def _classify_entry(value: Any, where: str) -> tuple[Kind, Any]:
    """(kind, value) of one coefficient; raises TypeError / InvalidInputError when unusable."""
    if isinstance(value, (bool, np.bool_)):
        raise InvalidTypeError(f"{where} is a boolean ({value!r}); expected {_EXPECTED_ENTRY}")
    if isinstance(value, numbers.Integral):
        return RATIONAL, int(value)
    if isinstance(value, Fraction):
        return RATIONAL, value
    if isinstance(value, sympy.Basic):
        if not isinstance(value, sympy.Expr):
            raise InvalidTypeError(f"{where} is a {type(value).__name__} ({value}); expected {_EXPECTED_ENTRY}")
        if value.has(sympy.nan, sympy.oo, -sympy.oo, sympy.zoo):
            raise InvalidInputError(f"{where} is {value}: NaN or infinite; expected a finite value")
        if value.is_Rational:
            return RATIONAL, (int(value) if value.is_Integer else Fraction(int(value.p), int(value.q)))
        if value.is_number and value.is_extended_real is False:
            raise InvalidTypeError(f"{where} is {value}, not real; expected {_EXPECTED_ENTRY}")
        return SYMBOLIC, value
    if isinstance(value, numbers.Real):
        value = float(value)
        if not math.isfinite(value):
            raise InvalidInputError(f"{where} is {value}: NaN or infinite; expected a finite value")
        return FLOAT, value
    if isinstance(value, numbers.Complex):
        raise InvalidTypeError(f"{where} is complex ({value!r}); expected {_EXPECTED_ENTRY}")
    hint = ""
    if isinstance(value, (list, tuple, np.ndarray)) or _is_matrix(value):
        hint = " (pass each vector as its own argument, e.g. wedge(*rows))"
    raise InvalidTypeError(f"{where} is {value!r} ({type(value).__name__}); expected {_EXPECTED_ENTRY}{hint}")


def _is_matrix(value: Any) -> bool:
    return isinstance(value, sympy.MatrixBase)


def _vector_entries(vector: Any, caller: str, index: int) -> list[tuple[Kind, Any]]:
    """Classified entries of one vector (list, tuple, 1-D numpy array, sympy row/column)."""
    name = f"{caller}: the {_ordinal(index)} vector"
    if isinstance(vector, np.ndarray):
        if vector.ndim != 1:
            raise InvalidInputError(f"{name} has shape {vector.shape}; expected a 1-D array (a vector)")
        if vector.dtype.kind == "f":
            if not np.all(np.isfinite(vector)):
                raise InvalidInputError(f"{name} contains NaN or inf; expected finite entries")
            return [(FLOAT, float(v)) for v in vector]
        if vector.dtype.kind in "iu":
            return [(RATIONAL, int(v)) for v in vector]
        if vector.dtype.kind != "O":
            raise InvalidTypeError(f"{name} has dtype {vector.dtype}; expected {_EXPECTED_ENTRY} entries")
        entries = list(vector)
    elif _is_matrix(vector):
        if 1 not in vector.shape:
            raise InvalidInputError(f"{name} is a {vector.shape} matrix; expected a row or a column")
        entries = list(vector)
    elif isinstance(vector, (str, bytes)) or isinstance(vector, (numbers.Number, sympy.Basic)):
        raise InvalidTypeError(f"{name} is {vector!r}; expected a vector (a sequence of numbers)")
    else:
        try:
            entries = list(vector)
        except TypeError:
            raise InvalidTypeError(f"{name} is {vector!r} ({type(vector).__name__}); expected a vector (a sequence of numbers)") from None
    return [_classify_entry(v, f"{name}, entry {j}") for j, v in enumerate(entries)]


def _to_sympy_number(value: Any) -> sympy.Expr:
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, float):
        return sympy.Float(value)
    return sympy.sympify(value)


def _convert(values: Sequence[Any], src: Kind, dst: Kind):
    """Coefficients of kind ``src`` as kind ``dst`` (a tuple, or a float array for FLOAT)."""
    if dst == FLOAT:
        if src == FLOAT:
            return np.asarray(values, dtype=float)
        try:
            return np.array([float(v) for v in values], dtype=float)
        except TypeError as exc:
            raise InvalidTypeError(f"cannot evaluate symbolic coefficients as floats: {exc}") from None
    if dst == SYMBOLIC:
        return tuple(_to_sympy_number(v) for v in values)
    if src != RATIONAL:
        raise InvalidInputError(f"cannot convert {src} coefficients to {dst}")
    return tuple(values)


def _join_kinds(kinds: Iterable[Kind], symbolic_values: Iterable[Any] = ()) -> Kind:
    """The kind of a computation over entries of these kinds (see the module docstring)."""
    kinds = set(kinds)
    if FLOAT in kinds:
        has_symbols = any(getattr(v, "free_symbols", None) for v in symbolic_values)
        return SYMBOLIC if has_symbols else FLOAT
    return SYMBOLIC if SYMBOLIC in kinds else RATIONAL


def _parse_vectors(vectors: Sequence[Any], caller: str) -> tuple[list, Kind, int]:
    """(rows, kind, d): the vectors' coefficients in one common kind, all of one length d.

    rows is a float array (k, d) for FLOAT, otherwise a list of k tuples (ints/Fractions for
    RATIONAL, sympy expressions for SYMBOLIC).
    """
    classified = [_vector_entries(v, caller, i) for i, v in enumerate(vectors)]
    lengths = [len(c) for c in classified]
    if any(n == 0 for n in lengths):
        raise InvalidInputError(f"{caller}: got an empty vector; expected vectors with at least one entry")
    if len(set(lengths)) > 1:
        raise InvalidInputError(
            f"{caller}: expected vectors of one dimension d, got vectors of mixed lengths {lengths}"
        )
    kind = _join_kinds((k for c in classified for k, _ in c), (v for c in classified for k, v in c if k == SYMBOLIC))
    rows = []
    for entries in classified:
        if kind == FLOAT:
            rows.append([float(v) for _, v in entries])
        elif kind == SYMBOLIC:
            rows.append(tuple(_to_sympy_number(v) for _, v in entries))
        else:
            rows.append(tuple(v for _, v in entries))
    if kind == FLOAT:
        rows = np.array(rows, dtype=float).reshape(len(classified), lengths[0] if lengths else 0)
    return rows, kind, (lengths[0] if lengths else 0)


def _vector_out(values: Sequence[Any], kind: Kind):
    """The public form of a vector: sympy ImmutableMatrix column (exact) or numpy array (float)."""
    if kind == FLOAT:
        return np.asarray(values, dtype=float)
    return sympy.ImmutableMatrix(len(values), 1, [_to_sympy_number(v) for v in values])


def _scalar_out(value: Any, kind: Kind):
    """The public form of a scalar: a sympy number/expression (exact) or a Python float."""
    return float(value) if kind == FLOAT else _to_sympy_number(value)


# ---------------------------------------------------------------------------------------------
# contraction of product tables
# ---------------------------------------------------------------------------------------------


def _exact_sum(terms: list, kind: Kind):
    if kind == SYMBOLIC:
        return sympy.Add(*terms) if terms else sympy.Integer(0)
    return sum(terms)


def _contract(d: int, table_kind: ProductKind, a, grade_a: int, b, grade_b: int, grade_out: int, kind: Kind):
    """The grade_out part of the product (outer or geometric) of two homogeneous multivectors."""
    if kind == FLOAT:
        rank_a, rank_b, rank_out, sign = _graded_table(d, table_kind, grade_a, grade_b, grade_out)
        weights = sign * np.asarray(a, dtype=float)[rank_a] * np.asarray(b, dtype=float)[rank_b]
        return np.bincount(rank_out, weights=weights, minlength=math.comb(d, grade_out)).astype(float)
    out = []
    for terms in _graded_terms(d, table_kind, grade_a, grade_b, grade_out):
        out.append(_exact_sum([a[i] * b[j] if s > 0 else -(a[i] * b[j]) for i, j, s in terms], kind))
    return tuple(out)


def _wedge_rows(rows, kind: Kind, d: int) -> Blade:
    """a_1 ^ ... ^ a_k of parsed rows (1 <= k <= d), raising the grade one vector at a time."""
    k = len(rows)
    coefficients = rows[0] if kind != FLOAT else np.array(rows[0], dtype=float)
    for g in range(1, k):
        coefficients = _contract(d, "outer", coefficients, g, rows[g], 1, g + 1, kind)
    return Blade._from_raw(d, k, coefficients, kind)


# ---------------------------------------------------------------------------------------------
# blades
# ---------------------------------------------------------------------------------------------


class Blade(Printable):
    r"""A homogeneous multivector of one grade in the geometric algebra of R^d (usually a blade).

    .. math:: B = \sum_{|J| = k} B_J \, e_J, \qquad e_J = e_{j_1} \wedge \dots \wedge e_{j_k},
              \ j_1 < \dots < j_k

    Parameters
    ----------
    dim : int
        d, the dimension of R^d (d >= 1).
    grade : int
        k, the grade (0 <= k <= d).
    coefficients : sequence
        The C(d, k) coefficients B_J, in the layout's order (lexicographic index tuples,
        :attr:`basis`): ints, Fractions, floats or sympy expressions.

    Raises
    ------
    InvalidInputError
        When dim or grade is out of range, or the number of coefficients is not C(d, k).
    InvalidTypeError
        When a coefficient is not a real number or a sympy expression.

    See Also
    --------
    wedge : the usual way to build a blade, a_1 ^ ... ^ a_k.

    Notes
    -----
    Exact blades (int, Fraction, sympy entries) hold sympy coefficients; float blades hold
    float64.  Printing goes through sympy's printing protocol: ``str(B)``, ``sympy.latex(B)`` and
    Jupyter's ``_repr_latex_``.  Blades add, subtract, scale by numbers and wedge with ``^``.

    Examples
    --------
    >>> import sympy
    >>> from ga_relu.algebra.blades import Blade
    >>> B = Blade(3, 2, [3, -1, 0])
    >>> print(B)
    3*e1^e2 - e1^e3
    >>> sympy.latex(B)
    '3 e_{1} \\wedge e_{2} - e_{1} \\wedge e_{3}'
    >>> print(2 * B - B)
    3*e1^e2 - e1^e3
    >>> print(Blade(3, 1, [1, 0, 0]) ^ Blade(3, 1, [0, 1, 0]))
    e1^e2
    """

    __slots__ = ("_dim", "_grade", "_raw", "_kind")

    #: numpy scalars defer to Blade's own operators (``np.float64(2) * B`` is a Blade, not an array)
    __array_ufunc__ = None

    def __init__(self, dim: int, grade: int, coefficients: Sequence[Any]):
        if isinstance(dim, bool) or not isinstance(dim, numbers.Integral) or dim < 1:
            raise InvalidInputError(f"Blade: dim must be a positive integer, got {dim!r}")
        if isinstance(grade, bool) or not isinstance(grade, numbers.Integral) or not 0 <= grade <= dim:
            raise InvalidInputError(f"Blade: grade must be an integer in 0..{dim}, got {grade!r}")
        expected = math.comb(int(dim), int(grade))
        entries = _vector_entries(coefficients, "Blade", 0)
        if len(entries) != expected:
            raise InvalidInputError(
                f"Blade: a grade-{grade} element of R^{dim} has C({dim}, {grade}) = {expected} coefficients, "
                f"got {len(entries)}"
            )
        kind = _join_kinds((k for k, _ in entries), (v for k, v in entries if k == SYMBOLIC))
        values = [v for _, v in entries]
        if kind == FLOAT:
            raw = np.array([float(v) for v in values], dtype=float)
        elif kind == SYMBOLIC:
            raw = tuple(_to_sympy_number(v) for v in values)
        else:
            raw = tuple(values)
        self._dim, self._grade, self._raw, self._kind = int(dim), int(grade), raw, kind

    @classmethod
    def _from_raw(cls, dim: int, grade: int, raw, kind: Kind) -> Blade:
        blade = object.__new__(cls)
        blade._dim, blade._grade, blade._kind = dim, grade, kind
        blade._raw = np.asarray(raw, dtype=float) if kind == FLOAT else tuple(raw)
        return blade

    # -- structure -----------------------------------------------------------------------------

    @property
    def dim(self) -> int:
        r"""d, the dimension of the underlying vector space R^d.

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> wedge([1, 2, 0], [0, 1, 3]).dim
        3
        """
        return self._dim

    @property
    def grade(self) -> int:
        r"""k, the number of vectors wedged together.

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> wedge([1, 2, 0], [0, 1, 3]).grade
        2
        """
        return self._grade

    @property
    def is_exact(self) -> bool:
        r"""True for sympy (exact or symbolic) coefficients, False for float64.

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> wedge([1, 2], [0, 1]).is_exact, wedge([1.0, 2], [0, 1]).is_exact
        (True, False)
        """
        return self._kind != FLOAT

    @property
    def basis(self) -> tuple[tuple[int, ...], ...]:
        r"""The basis blades e_J of this grade as 1-based index tuples J, in the layout's order.

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> wedge([1, 2, 0], [0, 1, 3]).basis
        ((1, 2), (1, 3), (2, 3))
        """
        return _grade_blades(self._dim, self._grade)

    @property
    def basis_names(self) -> tuple[str, ...]:
        r"""Names of the basis blades in the layout's order: clifford's ``'e12'``, or ``'e1^e10'`` from
        d = 10 on, where the digits would run together.

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> wedge([1, 2, 0], [0, 1, 3]).basis_names
        ('e12', 'e13', 'e23')
        """
        return tuple(_blade_name(t, self._dim) for t in self.basis)

    @property
    def coefficients(self) -> tuple:
        r"""The coefficients B_J in the layout's order: sympy objects if exact, Python floats if not.

        For B = a_1 ^ ... ^ a_k, B_J = det(A[:, J]), A the matrix with rows a_i.

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> wedge([1, 2, 0], [0, 1, 3]).coefficients
        (1, 3, 6)
        >>> wedge([0.5, 0], [0, 2]).coefficients
        (1.0,)
        """
        return tuple(_scalar_out(v, self._kind) for v in self._raw)

    def as_dict(self) -> dict[str, Any]:
        r"""{basis name: B_J} over the non-zero coefficients, in the layout's order.

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> wedge([1, 0, 0], [0, 1, 3]).as_dict()
        {'e12': 1, 'e13': 3}
        """
        return {n: c for n, c in zip(self.basis_names, self.coefficients) if c != 0}

    def __getitem__(self, key) -> Any:
        r"""The coefficient on one basis blade: ``B["e12"]``, ``B["e1^e2"]`` or ``B[(1, 2)]``.

        An index tuple out of order gives the coefficient with the permutation's sign,
        B[(j_{sigma(1)}, ..., j_{sigma(k)})] = sign(sigma) B_J; a repeated index gives 0.

        Raises
        ------
        KeyError
            When the key names no basis blade of this grade and dimension (the mapping protocol).

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> B = wedge([1, 2, 0], [0, 1, 3])
        >>> B["e13"], B[(3, 1)], B[(2, 2)]
        (3, -3, 0)
        """
        indices = _parse_blade_key(key, self._dim)
        if len(indices) != self._grade:
            raise UnknownBladeError(
                f"{key!r} names a grade-{len(indices)} basis blade; this blade has grade {self._grade} "
                f"(basis {', '.join(self.basis_names)})"
            )
        if len(set(indices)) < len(indices):
            return _scalar_out(0, self._kind)
        sign = _permutation_sign(indices)
        position = self.basis.index(tuple(sorted(indices)))
        return _scalar_out(sign * self._raw[position], self._kind)

    # -- metric ----------------------------------------------------------------------------------

    def norm_squared(self):
        r"""||B||^2 = sum_J B_J^2, which is det(A A^T) for B = a_1 ^ ... ^ a_k (Cauchy-Binet).

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> wedge([1, 2, 0], [0, 1, 3]).norm_squared()  # 1 + 9 + 36
        46
        """
        if self._kind == FLOAT:
            return float(np.dot(self._raw, self._raw))
        return _scalar_out(_exact_sum([c * c for c in self._raw], self._kind), self._kind)

    def norm(self):
        r"""||B|| = sqrt(det(A A^T)): the k-volume of the parallelotope of a_1..a_k (exact sympy sqrt if exact).

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> wedge([1, 2, 0], [0, 1, 3]).norm()
        sqrt(46)
        >>> wedge([3.0, 0], [0, 2]).norm()
        6.0
        """
        if self._kind == FLOAT:
            return math.sqrt(self.norm_squared())
        return sympy.sqrt(self.norm_squared())

    def reverse(self) -> Blade:
        r"""The reversion B~ = (-1)^{k(k-1)/2} B (the factors of a blade in reverse order).

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> print(wedge([1, 0], [0, 1]).reverse())
        -e1^e2
        """
        return self if (self._grade * (self._grade - 1) // 2) % 2 == 0 else -self

    def inverse(self) -> Blade:
        r"""B^{-1} = B~ / ||B||^2, the inverse under the geometric product (B B~ = ||B||^2 for a blade of
        a Euclidean algebra).

        Raises
        ------
        DegenerateDataError
            When B = 0 (its vectors are linearly dependent).

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> print(wedge([2, 0], [0, 1]).inverse())
        -1/2*e1^e2
        """
        norm_squared = self._norm_squared_raw()
        if _is_zero(norm_squared, self._kind):
            raise DegenerateDataError(
                "the blade is zero (its vectors are linearly dependent), so it has no inverse; "
                "use linearly independent vectors"
            )
        return self.reverse()._scaled_raw(_reciprocal(norm_squared, self._kind))

    def dual(self) -> Blade:
        r"""B* = B I^{-1}, a blade of grade d - k (clifford's ``MultiVector.dual()`` convention).

        For B = a_1 ^ ... ^ a_{d-1}, B* is the vector cross(a) with <x, B*> = det[x; a_1; ...].

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> print(wedge([1, 0, 0], [0, 1, 0]).dual())  # (e1 ^ e2)* = e3
        e3
        """
        source, signs = _dual_table(self._dim, self._grade)
        if self._kind == FLOAT:
            return Blade._from_raw(self._dim, self._dim - self._grade, self._raw[source] * signs, FLOAT)
        raw = tuple(self._raw[i] if s > 0 else -self._raw[i] for i, s in zip(source.tolist(), signs.tolist()))
        return Blade._from_raw(self._dim, self._dim - self._grade, raw, self._kind)

    # -- conversions -----------------------------------------------------------------------------

    def to_sympy(self) -> sympy.ImmutableMatrix:
        r"""The coefficients B_J as a sympy ``ImmutableMatrix`` column, in the layout's order (``basis``).

        A matrix (rather than a sum of symbols e_J) keeps the basis unambiguous in every dimension and
        works with sympy's linear algebra; ``B.basis`` names its rows.

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> wedge([1, 2, 0], [0, 1, 3]).to_sympy()
        Matrix([
        [1],
        [3],
        [6]])
        """
        return sympy.ImmutableMatrix(len(self._raw), 1, [_to_sympy_number(v) for v in self._raw])

    def to_vector(self):
        r"""A grade-1 blade sum_i B_i e_i as the vector (B_1, ..., B_d).

        Returns
        -------
        sympy.ImmutableMatrix or numpy.ndarray
            A d x 1 column when exact, an array of shape (d,) when float.

        Raises
        ------
        InvalidInputError
            When the grade is not 1 (take ``.dual()`` of a grade-(d-1) blade first).

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> wedge([1.0, 2.0]).to_vector()
        array([1., 2.])
        """
        if self._grade != 1:
            raise InvalidInputError(
                f"to_vector: this blade has grade {self._grade}; only grade-1 blades are vectors "
                "(take .dual() of a grade-(d-1) blade first)"
            )
        return _vector_out(self._raw, self._kind)

    def to_numpy(self) -> np.ndarray:
        r"""The coefficients B_J as a float64 array, in the layout's order.

        Raises
        ------
        InvalidTypeError
            When the coefficients contain free symbols.

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> wedge([1, 2, 0], [0, 1, 3]).to_numpy()
        array([1., 3., 6.])
        """
        return _convert(self._raw, self._kind, FLOAT)

    def to_multivector(self):
        r"""The same element as a clifford ``MultiVector`` with float coefficients (for use with clifford).

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> wedge([1, 2], [0, 1]).to_multivector().value  # layout order: 1, e1, e2, e12
        array([0., 0., 0., 1.])
        """
        lay = layout(self._dim)
        value = np.zeros(lay.gaDims)
        value[_blade_positions(self._dim, self._grade)] = self.to_numpy()
        return lay.MultiVector(value=value)

    def subs(self, *args, **kwargs) -> Blade:
        r"""Substitute into the symbolic coefficients, with ``sympy.Expr.subs`` semantics.

        Examples
        --------
        >>> import sympy
        >>> from ga_relu.algebra.blades import wedge
        >>> t = sympy.Symbol("t")
        >>> print(wedge([1, t], [0, 1]).subs(t, 5))
        e1^e2
        >>> print(wedge([t, 0], [0, 1]).subs(t, 5))
        5*e1^e2
        """
        if self._kind == FLOAT:
            return self
        coefficients = [_to_sympy_number(c).subs(*args, **kwargs) for c in self._raw]
        return Blade(self._dim, self._grade, coefficients)

    def expand(self) -> Blade:
        r"""Expand symbolic coefficients into monomials (they are built in nested, Laplace-like form).

        Examples
        --------
        >>> import sympy
        >>> from ga_relu.algebra.blades import wedge
        >>> a, b = sympy.symbols("a b")
        >>> print(wedge([a + b, 1], [a - b, 1]).expand())
        2*b*e1^e2
        """
        if self._kind != SYMBOLIC:
            return self
        return Blade._from_raw(self._dim, self._grade, [sympy.expand(c) for c in self._raw], SYMBOLIC)

    # -- arithmetic ------------------------------------------------------------------------------

    def _norm_squared_raw(self):
        if self._kind == FLOAT:
            return float(np.dot(self._raw, self._raw))
        return _exact_sum([c * c for c in self._raw], self._kind)

    def _scaled_raw(self, factor) -> Blade:
        if self._kind == FLOAT:
            return Blade._from_raw(self._dim, self._grade, self._raw * float(factor), FLOAT)
        return Blade._from_raw(self._dim, self._grade, [c * factor for c in self._raw], self._kind)

    def _as_kind(self, kind: Kind) -> Blade:
        if kind == self._kind:
            return self
        return Blade._from_raw(self._dim, self._grade, _convert(self._raw, self._kind, kind), kind)

    def __neg__(self) -> Blade:
        return self._scaled_raw(-1)

    def __pos__(self) -> Blade:
        return self

    def __mul__(self, scalar) -> Blade:
        if isinstance(scalar, Blade):
            return NotImplemented
        try:
            kind, value = _classify_entry(scalar, "the scalar factor")
        except TypeError:
            return NotImplemented
        symbolic = ([value] if kind == SYMBOLIC else []) + (list(self._raw) if self._kind == SYMBOLIC else [])
        joined = _join_kinds([kind, self._kind], symbolic)
        blade = self._as_kind(joined)
        if joined == SYMBOLIC:
            value = _to_sympy_number(value)
        return blade._scaled_raw(value)

    __rmul__ = __mul__

    def __truediv__(self, scalar) -> Blade:
        kind, value = _classify_entry(scalar, "the divisor")
        if _is_zero(value, kind):
            raise ZeroDivisionError("division of a blade by zero")
        return self * _reciprocal(value, kind)

    def _check_compatible(self, other: Blade, operation: str) -> None:
        if other._dim != self._dim or other._grade != self._grade:
            raise InvalidInputError(
                f"cannot {operation} a grade-{self._grade} blade of R^{self._dim} and a grade-{other._grade} "
                f"blade of R^{other._dim}; expected equal dimension and grade"
            )

    def _joined_with(self, other: Blade) -> tuple[Blade, Blade, str]:
        symbolic = [v for b in (self, other) if b._kind == SYMBOLIC for v in b._raw]
        kind = _join_kinds([self._kind, other._kind], symbolic)
        return self._as_kind(kind), other._as_kind(kind), kind

    def __add__(self, other) -> Blade:
        if not isinstance(other, Blade):
            return NotImplemented
        self._check_compatible(other, "add")
        a, b, kind = self._joined_with(other)
        if kind == FLOAT:
            return Blade._from_raw(self._dim, self._grade, a._raw + b._raw, FLOAT)
        return Blade._from_raw(self._dim, self._grade, [x + y for x, y in zip(a._raw, b._raw)], kind)

    def __sub__(self, other) -> Blade:
        if not isinstance(other, Blade):
            return NotImplemented
        return self + (-other)

    def __xor__(self, other) -> Blade:
        r"""The outer product A ^ B of two blades of the same R^d (contracting ``layout.omt``).

        Raises
        ------
        InvalidInputError
            When the dimensions differ or the grades add up to more than d.

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> print(wedge([1, 0, 0]) ^ wedge([0, 1, 0], [0, 0, 1]))
        e1^e2^e3
        """
        if not isinstance(other, Blade):
            return NotImplemented
        if other._dim != self._dim:
            raise InvalidInputError(f"cannot wedge blades of R^{self._dim} and R^{other._dim}")
        grade = self._grade + other._grade
        if grade > self._dim:
            raise InvalidInputError(
                f"the wedge of a grade-{self._grade} and a grade-{other._grade} blade exceeds the dimension "
                f"{self._dim} (it is zero)"
            )
        a, b, kind = self._joined_with(other)
        raw = _contract(self._dim, "outer", a._raw, a._grade, b._raw, b._grade, grade, kind)
        return Blade._from_raw(self._dim, grade, raw, kind)

    def __eq__(self, other) -> bool:
        r"""Equal dimension, grade and coefficients (symbolic coefficients compared after expansion).

        A blade also compares equal to the number 0 when all its coefficients vanish.

        Examples
        --------
        >>> from ga_relu.algebra.blades import wedge
        >>> wedge([1, 2], [2, 4]) == 0, wedge([1, 0], [0, 1]) == -wedge([0, 1], [1, 0])
        (True, True)
        """
        if isinstance(other, numbers.Number) and other == 0:
            return all(_is_zero(c, self._kind) for c in self._raw)
        if not isinstance(other, Blade):
            return NotImplemented
        if (self._dim, self._grade) != (other._dim, other._grade):
            return False
        if FLOAT in (self._kind, other._kind):
            try:
                return bool(np.array_equal(self.to_numpy(), other.to_numpy()))
            except TypeError:
                return False
        for x, y in zip(self._raw, other._raw):
            if x == y:
                continue
            difference = _to_sympy_number(x) - _to_sympy_number(y)
            if sympy.expand(difference) != 0:
                return False
        return True

    __hash__ = None  # equality is up to expansion, so no consistent hash

    # -- printing (sympy's protocol) -------------------------------------------------------------

    def _terms(self):
        """(coefficient, basis tuple) of the non-zero terms; coefficients as sympy objects."""
        for c, t in zip(self._raw, self.basis):
            if not _is_zero(c, self._kind):
                yield (sympy.Float(float(c)) if self._kind == FLOAT else _to_sympy_number(c)), t

    def _format(self, printer, basis_text, joiner_mul: str) -> str:
        parts: list[str] = []
        for coefficient, blade in self._terms():
            negative = coefficient.could_extract_minus_sign() and not isinstance(coefficient, sympy.Add)
            magnitude = -coefficient if negative else coefficient
            basis = basis_text(blade)
            if basis == "":
                text = printer._print(magnitude)
            elif magnitude == 1:
                text = basis
            else:
                printed = printer._print(magnitude)
                if isinstance(magnitude, sympy.Add):
                    printed = (r"\left(" + printed + r"\right)") if joiner_mul == " " else f"({printed})"
                text = printed + joiner_mul + basis
            if not parts:
                parts.append(("-" if joiner_mul != " " else "- ") + text if negative else text)
            else:
                parts.append(("- " if negative else "+ ") + text)
        return " ".join(parts) if parts else "0"

    def _latex(self, printer) -> str:
        return self._format(printer, lambda t: r" \wedge ".join(f"e_{{{i}}}" for i in t), " ")

    def _sympystr(self, printer) -> str:
        return self._format(printer, lambda t: "^".join(f"e{i}" for i in t), "*")


def _is_zero(value, kind: Kind) -> bool:
    if kind == FLOAT:
        return float(value) == 0.0
    if isinstance(value, (int, Fraction)):
        return value == 0
    value = _to_sympy_number(value)
    return value == 0 or value.is_zero is True


def _reciprocal(value, kind: Kind):
    if kind == FLOAT:
        return 1.0 / float(value)
    if kind == RATIONAL:
        return Fraction(1, 1) / value
    return sympy.Integer(1) / value


def _permutation_sign(indices: Sequence[int]) -> int:
    inversions = sum(1 for i in range(len(indices)) for j in range(i + 1, len(indices)) if indices[i] > indices[j])
    return -1 if inversions % 2 else 1


def _blade_name(indices: tuple[int, ...], d: int) -> str:
    """clifford's name ``'e12'`` for d < 10; ``'e1^e10'`` from d = 10 on, where digits run together."""
    if not indices:
        return "1"
    if d >= 10:
        return "^".join(f"e{i}" for i in indices)
    return "e" + "".join(str(i) for i in indices)


def _parse_blade_key(key, d: int) -> tuple[int, ...]:
    """1-based indices from ``"e12"``, ``"e1^e2"``, ``"e_1 ^ e_2"`` or ``(1, 2)``."""
    if isinstance(key, tuple) and all(isinstance(i, numbers.Integral) and not isinstance(i, bool) for i in key):
        indices = tuple(int(i) for i in key)
    elif isinstance(key, str):
        text = key.replace(" ", "").replace("∧", "^").replace("_", "")
        if text in ("", "1"):
            indices = ()
        elif "^" in text:
            factors = text.split("^")
            if not all(f.startswith("e") and f[1:].isdigit() for f in factors):
                raise UnknownBladeError(f"cannot read basis blade {key!r}; expected names like 'e12', 'e1^e2' or (1, 2)")
            indices = tuple(int(f[1:]) for f in factors)
        elif text.startswith("e") and text[1:].isdigit():
            if d >= 10:
                raise UnknownBladeError(
                    f"{key!r} is ambiguous in R^{d} (d >= 10); write 'e1^e10' or an index tuple like (1, 10)"
                )
            indices = tuple(int(c) for c in text[1:])
        else:
            raise UnknownBladeError(f"cannot read basis blade {key!r}; expected names like 'e12', 'e1^e2' or (1, 2)")
    else:
        raise InvalidTypeError(f"blade coefficients are indexed by a name like 'e12' or a tuple like (1, 2), got {key!r}")
    if any(not 1 <= i <= d for i in indices):
        raise UnknownBladeError(f"{key!r}: basis indices must lie in 1..{d}")
    return indices


# ---------------------------------------------------------------------------------------------
# public exact / float API
# ---------------------------------------------------------------------------------------------


def wedge(*vectors) -> Blade:
    r"""The k-blade a_1 ^ ... ^ a_k of k vectors of R^d (1 <= k <= d).

    .. math:: a_1 \wedge \dots \wedge a_k = \sum_{|J| = k} \det(A[:, J]) \, e_J

    with A the k x d matrix whose rows are the a_i.

    Parameters
    ----------
    *vectors : sequence of numbers
        k vectors of one length d (lists, tuples, 1-D arrays, sympy rows or columns); entries are
        ints, Fractions, floats or sympy expressions.

    Returns
    -------
    Blade
        Exact (sympy coefficients) for int / Fraction / sympy entries, float64 if any entry is a
        float and none carries a free symbol.

    Raises
    ------
    InvalidInputError
        When no vector is given, the lengths differ or k > d.
    InvalidTypeError
        When an entry is not a real number or a sympy expression.

    Notes
    -----
    Contracts clifford's outer-product table ``layout.omt`` one vector at a time.

    Examples
    --------
    >>> import sympy
    >>> from ga_relu.algebra.blades import wedge
    >>> print(wedge([1, 2, 0], [0, 1, 3]))
    e1^e2 + 3*e1^e3 + 6*e2^e3
    >>> print(wedge([1, 2], [3, 4]))  # det = -2
    -2*e1^e2
    >>> x, y = sympy.symbols("x y")
    >>> print(wedge([x, y], [1, 1]))
    (x - y)*e1^e2
    """
    if not vectors:
        raise InvalidInputError("wedge: expected at least one vector, got none")
    rows, kind, d = _parse_vectors(vectors, "wedge")
    if len(rows) > d:
        raise InvalidInputError(
            f"wedge: expected at most d = {d} vectors of R^{d}, got {len(rows)} "
            f"(more than d vectors are linearly dependent: their wedge is 0)"
        )
    return _wedge_rows(rows, kind, d)


def cross(*vectors):
    r"""The generalized cross product of d-1 vectors of R^d: the dual (a_1 ^ ... ^ a_{d-1}) I^{-1}.

    .. math:: \langle x, \times(a_1, \dots, a_{d-1}) \rangle = \det[x; a_1; \dots; a_{d-1}]
              \ \forall x, \qquad \times_k = (-1)^k \det(A \text{ without column } k)

    (k from 0).  In 3-D it is the ordinary a x b; in 2-D, cross(a) = (a_2, -a_1).

    Parameters
    ----------
    *vectors : sequence of numbers
        d - 1 vectors of R^d (their common length fixes d).

    Returns
    -------
    sympy.ImmutableMatrix or numpy.ndarray
        A d x 1 column when exact, an array of shape (d,) when float.

    Raises
    ------
    InvalidInputError
        When the number of vectors is not d - 1.

    See Also
    --------
    ga_relu.algebra.batched.cross_batch : the same for a stack of float tuples.

    Examples
    --------
    >>> from ga_relu.algebra.blades import cross
    >>> cross([1, 0, 0], [0, 1, 0]).T
    Matrix([[0, 0, 1]])
    >>> cross([3.0, 4.0])
    array([ 4., -3.])
    """
    if not vectors:
        raise InvalidInputError("cross: expected d-1 vectors of R^d (d >= 2), got none")
    rows, kind, d = _parse_vectors(vectors, "cross")
    if len(rows) != d - 1:
        raise InvalidInputError(
            f"cross: expected d-1 = {d - 1} vectors of R^{d} (the vectors' length fixes d = {d}), got {len(rows)}"
        )
    return _wedge_rows(rows, kind, d).dual().to_vector()
