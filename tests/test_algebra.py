"""Blades, wedge and cross products against independent determinant computations.

Independent references: sympy ``Matrix.det`` (method='berkowitz' / 'laplace'), numpy.linalg.det,
numpy.cross and clifford's own ``MultiVector.dual()``.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from ga_relu.algebra import tables
from ga_relu.algebra.batched import cross_batch, signed_volume_batch, wedge_batch
from ga_relu.algebra.blades import Blade, cross, wedge
from ga_relu.errors import DegenerateDataError, InvalidInputError

# ---------------------------------------------------------------------------------------------
# helpers: independent references
# ---------------------------------------------------------------------------------------------


def symbol_matrix(rows: int, cols: int, name: str = "a") -> sympy.Matrix:
    return sympy.Matrix(rows, cols, lambda i, j: sympy.Symbol(f"{name}{i}{j}"))


def minor(A: sympy.Matrix, columns) -> sympy.Expr:
    return A.extract(list(range(A.rows)), list(columns)).det(method="berkowitz")


def cofactor_cross(A: sympy.Matrix) -> list:
    """cross_k = (-1)^k det(A without column k), the formula of docs/theory/algebra.md."""
    d = A.cols
    return [(-1) ** k * minor(A, [j for j in range(d) if j != k]) for k in range(d)]


def rows_of(A: sympy.Matrix) -> list:
    return [list(A.row(i)) for i in range(A.rows)]


def expand_equal(x, y) -> bool:
    return sympy.expand(x - y) == 0


def integer_matrices(rows, cols, low=-6, high=6):
    return st.lists(
        st.lists(st.integers(low, high), min_size=cols, max_size=cols), min_size=rows, max_size=rows
    )


@st.composite
def integer_frames(draw, min_dim=2, max_dim=5, missing=1):
    """(d, rows) with d - missing integer vectors of R^d."""
    d = draw(st.integers(min_dim, max_dim))
    return d, draw(integer_matrices(d - missing, d))


@st.composite
def fraction_frames(draw, min_dim=2, max_dim=4, missing=1):
    d = draw(st.integers(min_dim, max_dim))
    entry = st.fractions(min_value=-4, max_value=4, max_denominator=5)
    return d, draw(st.lists(st.lists(entry, min_size=d, max_size=d), min_size=d - missing, max_size=d - missing))


HYPOTHESIS = settings(max_examples=40, deadline=None)

# ---------------------------------------------------------------------------------------------
# symbolic identities, d = 2..5
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("d", [2, 3, 4, 5])
def test_symbolic_cross_matches_cofactor_determinants(d):
    A = symbol_matrix(d - 1, d)
    c = cross(*rows_of(A))
    assert isinstance(c, sympy.ImmutableMatrix) and c.shape == (d, 1)
    for got, expected in zip(c, cofactor_cross(A)):
        assert expand_equal(got, expected)


@pytest.mark.parametrize("d", [2, 3, 4, 5])
def test_symbolic_cross_is_the_determinant_functional(d):
    """<x, cross(a)> = det[x; a_1; ...; a_{d-1}] for symbolic x (Laplace expansion)."""
    A = symbol_matrix(d - 1, d)
    x = sympy.Matrix(1, d, sympy.symbols(f"x0:{d}"))
    expected = x.col_join(A).det(method="laplace")
    assert expand_equal((x * cross(*rows_of(A)))[0], expected)


@pytest.mark.parametrize("d", [2, 3, 4, 5])
def test_symbolic_cross_is_orthogonal_to_its_inputs(d):
    A = symbol_matrix(d - 1, d)
    products = A * cross(*rows_of(A))
    assert all(sympy.expand(p) == 0 for p in products)


@pytest.mark.parametrize("d", [2, 3, 4, 5])
def test_symbolic_wedge_coefficients_are_minors(d):
    for k in sorted({1, 2, d - 1, d}):
        A = symbol_matrix(k, d)
        blade = wedge(*rows_of(A))
        assert blade.grade == k and blade.dim == d
        assert blade.basis == tuple(itertools.combinations(range(1, d + 1), k))
        for J, coefficient in zip(blade.basis, blade.coefficients):
            assert expand_equal(coefficient, minor(A, [j - 1 for j in J]))


@pytest.mark.parametrize("d", [2, 3, 4, 5])
def test_symbolic_lagrange_identity(d):
    """k = 2: ||a ^ b||^2 = |a|^2 |b|^2 - (a.b)^2 = det(A A^T)."""
    A = symbol_matrix(2, d)
    a, b = A.row(0), A.row(1)
    lagrange = (a.dot(a)) * (b.dot(b)) - a.dot(b) ** 2
    blade = wedge(*rows_of(A))
    assert expand_equal(blade.norm_squared(), lagrange)
    assert expand_equal(blade.norm_squared(), (A * A.T).det(method="berkowitz"))
    assert blade.norm() == sympy.sqrt(blade.norm_squared())


@pytest.mark.parametrize("d, k", [(3, 3), (4, 3), (5, 3)])
def test_symbolic_cauchy_binet(d, k):
    A = symbol_matrix(k, d)
    assert expand_equal(wedge(*rows_of(A)).norm_squared(), (A * A.T).det(method="berkowitz"))


def test_cross_low_dimensions_match_theory():
    a1, a2, b1, b2, b3, a3 = sympy.symbols("a1 a2 b1 b2 b3 a3")
    assert list(cross([a1, a2])) == [a2, -a1]
    c = cross([a1, a2, a3], [b1, b2, b3])
    assert [sympy.expand(v) for v in c] == [a2 * b3 - a3 * b2, a3 * b1 - a1 * b3, a1 * b2 - a2 * b1]


# ---------------------------------------------------------------------------------------------
# exact identities on random small-integer and rational points
# ---------------------------------------------------------------------------------------------


@HYPOTHESIS
@given(integer_frames(missing=1))
def test_integer_cross_products(frame):
    d, rows = frame
    A = sympy.Matrix(rows)
    c = cross(*rows)
    assert list(c) == cofactor_cross(A)
    assert all(v == 0 for v in A * c)  # orthogonal to the inputs
    x = [k * k - 3 for k in range(d)]
    assert (sympy.Matrix([x]) * c)[0] == sympy.Matrix([x] + rows).det(method="berkowitz")
    if d == 3:
        assert list(c) == list(np.cross(*np.array(rows)))


@HYPOTHESIS
@given(st.integers(2, 5).flatmap(lambda d: st.integers(1, d).flatmap(lambda k: integer_matrices(k, d))))
def test_integer_wedge_coefficients_and_norms(rows):
    A = sympy.Matrix(rows)
    blade = wedge(*rows)
    for J, coefficient in zip(blade.basis, blade.coefficients):
        assert coefficient == minor(A, [j - 1 for j in J])
    gram = (A * A.T).det(method="berkowitz")
    assert blade.norm_squared() == gram  # Cauchy-Binet, exactly
    assert blade.norm() == sympy.sqrt(gram)
    if len(rows) == 2:  # Lagrange
        a, b = A.row(0), A.row(1)
        assert blade.norm_squared() == a.dot(a) * b.dot(b) - a.dot(b) ** 2


@HYPOTHESIS
@given(fraction_frames(missing=1))
def test_fraction_cross_products_are_exact_rationals(frame):
    d, rows = frame
    c = cross(*rows)
    expected = cofactor_cross(sympy.Matrix([[sympy.Rational(v.numerator, v.denominator) for v in r] for r in rows]))
    assert list(c) == expected
    assert all(isinstance(v, sympy.Rational) for v in c)


@HYPOTHESIS
@given(integer_frames(missing=1))
def test_wedge_with_one_more_vector_is_inner_product_with_cross(frame):
    """x ^ a_1 ^ ... ^ a_{d-1} = <x, cross(a)> I."""
    d, rows = frame
    x = [(-1) ** k * (k + 1) for k in range(d)]
    top = wedge(x, *rows)
    assert top.grade == d and top.coefficients == (sum(xi * ci for xi, ci in zip(x, cross(*rows))),)


@HYPOTHESIS
@given(st.integers(2, 5).flatmap(lambda d: st.integers(1, d).flatmap(lambda k: integer_matrices(k, d))))
def test_wedge_is_alternating(rows):
    blade = wedge(*rows)
    if len(rows) >= 2:
        swapped = [rows[1], rows[0], *rows[2:]]
        assert wedge(*swapped) == -blade
        assert wedge(rows[0], rows[0], *rows[2:]) == 0


# ---------------------------------------------------------------------------------------------
# duals against clifford itself (its numba products compiled once for the module)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clifford_dual():
    """clifford's own MultiVector.dual(), warmed up once (numba compilation, a few seconds)."""
    for d in range(2, 6):
        lay = tables.layout(d)
        lay.MultiVector(value=np.ones(lay.gaDims)).dual()

    def dual(blade: Blade) -> np.ndarray:
        return blade.to_multivector().dual().value

    return dual


@pytest.mark.parametrize("d", [2, 3, 4, 5])
def test_dual_sign_matches_clifford(clifford_dual, d):
    rng = np.random.default_rng(d)
    for k in range(1, d + 1):
        blade = wedge(*rng.integers(-5, 6, size=(k, d)).tolist())
        ours = blade.dual()
        assert ours.grade == d - k and ours.is_exact
        np.testing.assert_array_equal(ours.to_multivector().value, clifford_dual(blade))
        float_blade = wedge(*rng.standard_normal((k, d)))
        np.testing.assert_allclose(float_blade.dual().to_multivector().value, clifford_dual(float_blade), atol=1e-12)


def test_cross_is_dual_of_wedge():
    rows = [[1, 2, 0, 3], [0, -1, 4, 1], [2, 2, 2, -5]]
    assert wedge(*rows).dual().to_vector() == cross(*rows)


# ---------------------------------------------------------------------------------------------
# tables read off clifford's layouts
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("d", [2, 3, 4, 5, 6])
def test_raise_table_matches_combinatorial_signs(d):
    """e_{J minus j} ^ e_j = (-1)^(number of elements of J greater than j) e_J."""
    for grade in range(1, d):
        src_blade, src_vector, sign = tables._raise_table(d, grade)
        low = list(itertools.combinations(range(1, d + 1), grade))
        high = list(itertools.combinations(range(1, d + 1), grade + 1))
        assert src_blade.shape == (len(high), grade + 1)
        for J, row in enumerate(high):
            expected = {}
            for j in row:
                rest = tuple(i for i in row if i != j)
                expected[(low.index(rest), j - 1)] = (-1) ** sum(1 for i in row if i > j)
            got = {(int(b), int(v)): int(s) for b, v, s in zip(src_blade[J], src_vector[J], sign[J])}
            assert got == expected


def test_layout_order_is_lexicographic_per_grade():
    for d in (3, 5):
        for grade in range(d + 1):
            assert tables._grade_blades(d, grade) == tuple(itertools.combinations(range(1, d + 1), grade))


# ---------------------------------------------------------------------------------------------
# batched float path against numpy.linalg.det
# ---------------------------------------------------------------------------------------------


def stacked_minor_cross(A: np.ndarray) -> np.ndarray:
    d = A.shape[2]
    minors = np.stack([np.delete(A, k, axis=2) for k in range(d)], axis=1)
    return np.linalg.det(minors) * (-1.0) ** np.arange(d)


@pytest.mark.parametrize("d", [2, 3, 4, 5, 6, 10])
def test_cross_batch_matches_stacked_determinants(d):
    rng = np.random.default_rng(100 + d)
    A = rng.standard_normal((257, d - 1, d))
    got = cross_batch(A)
    assert got.shape == (257, d)
    np.testing.assert_allclose(got, stacked_minor_cross(A), rtol=1e-9, atol=1e-9)
    x = rng.standard_normal((257, 1, d))
    np.testing.assert_allclose(
        np.einsum("md,md->m", x[:, 0], got), np.linalg.det(np.concatenate([x, A], axis=1)), rtol=1e-9, atol=1e-9
    )


def test_cross_batch_in_3d_is_numpy_cross():
    rng = np.random.default_rng(3)
    A = rng.standard_normal((20000, 2, 3))  # more than one chunk
    np.testing.assert_allclose(cross_batch(A), np.cross(A[:, 0], A[:, 1]), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("d", [2, 3, 4, 5, 6, 10])
def test_signed_volume_batch_matches_det(d):
    rng = np.random.default_rng(200 + d)
    A = rng.standard_normal((129, d, d))
    np.testing.assert_allclose(signed_volume_batch(A), np.linalg.det(A), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("d", [2, 4, 6])
def test_wedge_batch_matches_minors(d):
    rng = np.random.default_rng(300 + d)
    for k in range(1, d + 1):
        A = rng.standard_normal((33, k, d))
        expected = np.stack(
            [np.linalg.det(A[:, :, list(J)]) for J in itertools.combinations(range(d), k)], axis=1
        )
        np.testing.assert_allclose(wedge_batch(A), expected, rtol=1e-9, atol=1e-9)


def test_batched_and_single_paths_agree():
    rows = [[1.5, -2.0, 0.25, 3.0], [0.0, 1.0, -1.0, 2.0], [2.0, 0.5, 0.5, -1.0]]
    np.testing.assert_allclose(cross_batch(np.array([rows]))[0], cross(*rows), rtol=1e-14)
    np.testing.assert_allclose(wedge_batch(np.array([rows]))[0], wedge(*rows).to_numpy(), rtol=1e-14)


def test_batch_edge_cases():
    assert cross_batch(np.zeros((4, 0, 1))).tolist() == [[1.0]] * 4
    assert wedge_batch(np.zeros((2, 0, 3))).shape == (2, 1)
    assert wedge_batch(np.zeros((2, 4, 3))).shape == (2, 0)
    assert cross_batch(np.zeros((0, 2, 3))).shape == (0, 3)


@pytest.mark.parametrize(
    "call, array, error, message",
    [
        (cross_batch, np.zeros((5, 3, 3)), InvalidInputError, r"shape \(m, d-1, d\)"),
        (cross_batch, np.zeros((5, 3)), InvalidInputError, r"shape \(m, d-1, d\)"),
        (signed_volume_batch, np.zeros((5, 2, 3)), InvalidInputError, r"shape \(m, d, d\)"),
        (cross_batch, np.full((2, 1, 2), np.nan), InvalidInputError, "NaN or inf"),
        (signed_volume_batch, np.full((2, 2, 2), np.inf), InvalidInputError, "NaN or inf"),
        (wedge_batch, [[["a", "b"]]], TypeError, "numeric array"),
    ],
)
def test_batch_rejects_bad_input(call, array, error, message):
    with pytest.raises(error, match=message):
        call(array)


# ---------------------------------------------------------------------------------------------
# the Blade object
# ---------------------------------------------------------------------------------------------


def test_blade_coefficient_access():
    blade = wedge([1, 2, 3], [4, 5, 6])
    assert blade.basis_names == ("e12", "e13", "e23")
    assert blade.coefficients == (-3, -6, -3)
    assert blade["e13"] == blade[(1, 3)] == blade["e1^e3"] == -6
    assert blade[(3, 1)] == 6 and blade[(2, 2)] == 0
    assert blade.as_dict() == {"e12": -3, "e13": -6, "e23": -3}
    with pytest.raises(KeyError, match="grade-1 basis blade; this blade has grade 2"):
        blade["e1"]
    with pytest.raises(KeyError, match="1..3"):
        blade[(1, 4)]
    with pytest.raises(TypeError, match="indexed by a name"):
        blade[0]


def test_blade_exact_types_and_conversions():
    blade = wedge([Fraction(1, 2), 0, 1], [0, 1, 0])
    assert all(isinstance(c, sympy.Rational) for c in blade.coefficients)
    assert blade.coefficients == (sympy.Rational(1, 2), 0, -1)
    assert blade.to_sympy() == sympy.ImmutableMatrix([sympy.Rational(1, 2), 0, -1])
    assert blade.norm() == sympy.sqrt(5) / 2
    float_blade = wedge([0.5, 0, 1], [0, 1, 0])
    assert not float_blade.is_exact and isinstance(float_blade.norm(), float)
    assert float_blade.coefficients == (0.5, 0.0, -1.0)
    assert math.isclose(float_blade.norm(), math.sqrt(5) / 2)
    vector = wedge([1, 2, 3]).to_vector()
    assert vector == sympy.ImmutableMatrix([1, 2, 3])
    assert isinstance(wedge(np.array([1.0, 2.0])).to_vector(), np.ndarray)
    with pytest.raises(InvalidInputError, match="only grade-1 blades are vectors"):
        blade.to_vector()


def test_blade_arithmetic_and_equality():
    a, b = wedge([1, 2, 3], [4, 5, 6]), wedge([1, 0, 0], [0, 1, 0])
    assert a + b == Blade(3, 2, [-2, -6, -3])
    assert a - a == 0 and (-a) == Blade(3, 2, [3, 6, 3])
    assert 2 * a == a * 2 == a + a
    assert a / 3 == Blade(3, 2, [-1, -2, -1])
    assert (a * 0.5).is_exact is False
    assert np.float64(2.0) * a == 2 * a and isinstance(np.int64(2) * a, Blade)
    x = sympy.Symbol("x")
    assert (x * b)["e12"] == x
    assert (wedge([1, 0, 0]) ^ wedge([0, 1, 0])) == b
    assert a != b and a != wedge([1, 2, 3])
    with pytest.raises(InvalidInputError, match="equal dimension and grade"):
        a + wedge([1, 2, 3])


def test_blade_inverse_and_reverse():
    blade = wedge([1, 2, 0], [0, 1, 1])
    inverse = blade.inverse()
    assert inverse == blade.reverse() / blade.norm_squared()
    assert blade.reverse() == -blade
    with pytest.raises(DegenerateDataError, match="linearly dependent"):
        wedge([1, 2, 0], [2, 4, 0]).inverse()


def test_symbolic_blade_subs_and_expand():
    x, y = sympy.symbols("x y")
    blade = wedge([x, 1, 0], [y, 0, 1], [1, 1, 1])
    assert blade.expand().coefficients[0] == sympy.expand(blade.coefficients[0])
    assert blade.subs({x: 1, y: 2}) == wedge([1, 1, 0], [2, 0, 1], [1, 1, 1])


def test_printing_through_sympy():
    blade = wedge([1, 2, 3], [4, 5, 6])
    assert sympy.latex(blade) == r"- 3 e_{1} \wedge e_{2} - 6 e_{1} \wedge e_{3} - 3 e_{2} \wedge e_{3}"
    assert str(blade) == "-3*e1^e2 - 6*e1^e3 - 3*e2^e3"
    assert blade._repr_latex_() == r"$\displaystyle " + sympy.latex(blade) + "$"
    assert sympy.latex(wedge([1, 0], [0, 1])) == r"e_{1} \wedge e_{2}"
    x, y = sympy.symbols("x y")
    assert sympy.latex(wedge([x + y, 0], [0, 1])) == r"\left(x + y\right) e_{1} \wedge e_{2}"
    assert str(wedge([x + y, 0], [0, 1])) == "(x + y)*e1^e2"
    assert str(wedge([1, 0], [1, 0])) == "0"
    assert str([wedge([2, 0])]) == "[2*e1]"  # printable inside containers too


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, args, error, message",
    [
        (cross, ([1, 2, 3],), InvalidInputError, r"expected d-1 = 2 vectors of R\^3"),
        (cross, ([1, 2], [3, 4]), InvalidInputError, r"expected d-1 = 1 vectors of R\^2"),
        (cross, (), InvalidInputError, "expected d-1 vectors"),
        (wedge, (), InvalidInputError, "at least one vector"),
        (wedge, ([1, 2], [3, 4], [5, 6]), InvalidInputError, r"at most d = 2 vectors"),
        (wedge, ([1, 2, 3], [4, 5]), InvalidInputError, "mixed lengths"),
        (cross, ([1, 2, 3], [4, 5]), InvalidInputError, "mixed lengths"),
        (wedge, ([1.0, float("nan")],), InvalidInputError, "NaN or infinite"),
        (wedge, (np.array([1.0, np.inf]),), InvalidInputError, "NaN or inf"),
        (cross, ([1, sympy.oo, 0], [0, 1, 0]), InvalidInputError, "NaN or infinite"),
        (wedge, ([1, "a"],), TypeError, "expected a real number"),
        (wedge, ([1, None],), TypeError, "expected a real number"),
        (wedge, ([1, 1j],), TypeError, "complex"),
        (wedge, ([[1, 2], [3, 4]],), TypeError, "pass each vector as its own argument"),
        (wedge, (3,), TypeError, "expected a vector"),
        (wedge, ("ab",), TypeError, "expected a vector"),
        (wedge, ([],), InvalidInputError, "empty vector"),
        (wedge, (np.zeros((2, 2)),), InvalidInputError, "1-D array"),
    ],
)
def test_bad_input_is_rejected_with_a_message(call, args, error, message):
    with pytest.raises(error, match=message):
        call(*args)


def test_invalid_input_error_is_a_value_error():
    with pytest.raises(ValueError):
        wedge([1, 2], [1])


def test_algebra_demo_shows_exact_values_and_latex():
    from ga_relu.algebra.demo import algebra_demo

    text = algebra_demo()
    assert "11*e1^e2" in text and r"11 e_{1} \wedge e_{2}" in text
    assert "(-6, -1, 3)" in text and "-13/6" in text
