r"""Interval-enclosed proofs: a rigorous enclosure of a Lasso optimum where exact rationals cannot reach.

Two cases leave exact rational arithmetic: weight decay (T4), whose columns
relu(X w_S + b_S) / ||w_S||_2 carry square roots, and the logistic loss, whose optimality
conditions contain exponentials. For both, :func:`prove_enclosure` proves with ball arithmetic
(python-flint ``arb``) that an exact optimum lies inside the boxes it prints.

**The conditions.** On a support S (columns K_j, signs s_j, unknowns u = (z_S, c)) the Lasso's
optimality conditions are the square system

.. math::

    F(u) = G^T \lambda(G u) - (\beta s_S, 0) = 0, \qquad G = [K_S, \mathbf 1],

with lambda(f) = -dL/df (y - f for the squared loss, y / (1 + e^{y f}) for the logistic loss) and
the intercept's row sum(lambda) = 0 present only when c is free. Together with

.. math:: s_j z_j > 0 \ (j \in S), \qquad |\lambda \cdot K_j| \le \beta \ \text{for every column } K_j,

they are sufficient for optimality of the convex Lasso (they are its KKT conditions).

**Existence and uniqueness (Krawczyk).** For a point x~, a matrix Y (a floating-point inverse of
F'(x~)) and a box X around x~, the Krawczyk operator

.. math:: \mathcal K(X) = \tilde x - Y F(\tilde x) + (I - Y F'(X)) (X - \tilde x)

is evaluated in ball arithmetic, with F'(X) an enclosure of every Jacobian on X. If K(X) lies in
the interior of X, then F has exactly one zero u* in X, and u* lies in K(X) (by the mean-value
theorem, row by row). For the squared loss F is affine and the step is exact up to outward
rounding; for the logistic loss it is the nonlinear interval-Newton test.

**The dual check.** lambda(u*) is enclosed by evaluating lambda on the box. Every column of the
full vertex dictionary is built from exact data: every float is the rational it stores, so after
scaling by a power of two the vertices are integers, each hyperplane normal (w, b) (the cross
product of the subset's lifted vertices) is an integer vector, and each preactivation
w . x_i + b is an exact rational. A normal is skipped only when it is exactly zero, and a
hyperplane only when it is exactly (up to a positive factor) an earlier one; nothing is pruned by
a tolerance. Only the normalization ||w||_2 (weight decay) is irrational. A column passes when the
upper end of the enclosure of |lambda . K_j| is below beta. The support's own columns equal beta
exactly (they are rows of F(u*) = 0). A column whose enclosure straddles beta is decided exactly
when its rational direction lies in the span of the support's columns (and of the constant
column when the intercept is free): then lambda* . K = beta sum_j a_j s_j ||w_j|| / ||w_K|| with
rational a. Otherwise the proof fails and says which column it could not decide.

**Scope.** For l1 (T1, T2, T3) and 1-D data the full vertex dictionary's Lasso equals (P), so a
proof that holds proves the global optimum of (P) over networks of every width. For a weight-decay
wedge fit in d >= 2 (T4) it proves the optimum of the Lasso over the wedge dictionary only, an
upper bound on (P): the exact weight-decay program (``fit(..., penalty="l2", method="exact")``)
can be lower.

Examples
--------
>>> import numpy as np
>>> import ga_relu
>>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 2.0]])
>>> result = ga_relu.fit(X, [0.0, 1.0, 1.0, 0.0, 2.0], beta=0.1, penalty="l2", method="wedge")
>>> proof = prove_enclosure(result)
>>> proof.holds, proof.kind, proof.theorem
(True, 'interval-enclosed', 'T4')
>>> proof.scope.startswith("optimum of the Lasso over the wedge dictionary only (T4)")
True
>>> bool(proof.objective.lower() <= result.objective)  # P* <= the float network's value
True
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
from fractions import Fraction

import numpy as np

from ..errors import DegenerateDataError, InvalidInputError, InvalidTypeError, SymbolicLimitError
from .proof import INTERVAL_ENCLOSED, Proof, ProvedNeuron

__all__ = ["prove_enclosure", "krawczyk", "MAX_DATA_BITS"]

#: the largest integer (in bits) the exact data may need after scaling by a common power of two;
#: float64 data needs at most about 2,150 bits (exponents from 2^-1074 to 2^1023)
MAX_DATA_BITS = 4096

#: a Lasso coefficient belongs to the claimed support above this fraction of the largest one:
#: interior-point solvers leave ~1e-9 relative residue on inactive columns. This only chooses
#: the support the proof is attempted on; a wrong choice makes the proof fail, never pass.
SUPPORT_RELATIVE = 1e-7

#: Krawczyk box inflations tried before giving up (each multiplies the radius by 16)
_INFLATIONS = 6
#: float Newton refinements of the midpoint (each gains about 13 digits with a float64 inverse)
_REFINEMENTS = 12


# ---------------------------------------------------------------------------------------------
# exact data: floats as the rationals they store, scaled to integers
# ---------------------------------------------------------------------------------------------


def _integer_data(X: np.ndarray) -> tuple[np.ndarray, int]:
    """(X_int, D) with X = X_int / D exactly: D the common power-of-two denominator of the floats."""
    fractions = [[Fraction(float(v)) for v in row] for row in X]
    D = functools.reduce(math.lcm, (f.denominator for row in fractions for f in row), 1)
    X_int = np.array([[f.numerator * (D // f.denominator) for f in row] for row in fractions], dtype=object)
    bits = max([D.bit_length()] + [abs(int(v)).bit_length() for v in X_int.ravel()])
    if bits > MAX_DATA_BITS:
        raise SymbolicLimitError(
            f"the data as exact rationals need {bits}-bit integers after scaling by their common denominator "
            f"(limit {MAX_DATA_BITS}); rescale or round the data to a common scale before proving")
    return X_int.reshape(X.shape), D


def _vertex_rows(X_int: np.ndarray, D: int, *, bias: bool, basis: bool) -> np.ndarray:
    """Integer vertex rows: samples (x_int, D) (lifted with a bias), then (e_k, 0) for l1."""
    n, d = X_int.shape
    rows = np.hstack([X_int, np.full((n, 1), D, dtype=object)]) if bias else X_int.copy()
    if basis:
        eye = np.zeros((d, rows.shape[1]), dtype=object)
        for k in range(d):
            eye[k, k] = 1
        rows = np.vstack([rows, eye])
    return rows


def _det(M: np.ndarray) -> np.ndarray:
    """Determinants of a stack (m, k, k) of integer (object) matrices, by cofactor expansion."""
    m, k = M.shape[0], M.shape[1]
    if k == 0:
        return np.ones(m, dtype=object)
    if k == 1:
        return M[:, 0, 0].copy()
    if k == 2:
        return M[:, 0, 0] * M[:, 1, 1] - M[:, 0, 1] * M[:, 1, 0]
    total = np.zeros(m, dtype=object)
    for j in range(k):
        minor = np.delete(M[:, 1:, :], j, axis=2)
        term = M[:, 0, j] * _det(minor)
        total = total + term if j % 2 == 0 else total - term
    return total


def _normals(rows: np.ndarray, subsets: np.ndarray) -> np.ndarray:
    """Integer normals (m, k + 1) of the subsets: the generalized cross product, component i the
    signed k x k minor without column i (orthogonal to every row of the subset)."""
    m, k = subsets.shape
    M = rows[subsets] if k else np.zeros((m, 0, rows.shape[1]), dtype=object)
    dim = rows.shape[1]
    return np.column_stack([(1 if i % 2 == 0 else -1) * _det(np.delete(M, i, axis=2)) for i in range(dim)])


def _canonical(v) -> tuple[tuple, int]:
    """(key, orientation): v = orientation * positive multiple of the primitive vector ``key``,
    whose first nonzero entry is positive. Two hyperplanes are the same iff their keys are equal."""
    g = math.gcd(*(int(x) for x in v))
    first = next(int(x) for x in v if x != 0)
    orientation = 1 if first > 0 else -1
    return tuple(orientation * int(x) // g for x in v), orientation


@dataclasses.dataclass
class _Hyperplanes:
    """The distinct hyperplanes of the full vertex dictionary, exactly."""

    keys: list  # primitive integer normals (w, b)
    subsets: list  # the first vertex subset giving each
    index: dict  # key -> position
    n_candidates: int
    n_zero: int  # subsets whose w is exactly zero
    n_duplicates: int


def _all_hyperplanes(rows: np.ndarray, d: int, k: int, n_vertices: int, chunk: int) -> _Hyperplanes:
    keys, subsets, index = [], [], {}
    n_candidates = n_zero = n_duplicates = 0
    combos = itertools.combinations(range(n_vertices), k)
    while True:
        block = list(itertools.islice(combos, chunk))
        if not block:
            break
        block = np.array(block, dtype=np.intp).reshape(len(block), k)
        V = _normals(rows, block)
        n_candidates += len(block)
        for subset, v in zip(block, V):
            if all(x == 0 for x in v[:d]):  # exactly w = 0: no neuron (a constant at most)
                n_zero += 1
                continue
            key, _ = _canonical(v)
            if key in index:
                n_duplicates += 1
                continue
            index[key] = len(keys)
            keys.append(key)
            subsets.append(tuple(int(i) for i in subset))
    return _Hyperplanes(keys, subsets, index, n_candidates, n_zero, n_duplicates)


# ---------------------------------------------------------------------------------------------
# ball arithmetic helpers
# ---------------------------------------------------------------------------------------------


def _column_vector(values):
    """The values as a flint ``arb_mat`` column (ball arithmetic)."""
    from flint import arb_mat

    return arb_mat([[v] for v in values])


def _entries(A) -> list:
    return [A[i, 0] for i in range(A.nrows())]


def _norm_enclosure(w, p: float):
    """||w||_p of an integer vector as an arb (exact for l1 and for perfect squares under l2)."""
    from flint import arb

    if p == 1:
        return arb(sum(abs(int(x)) for x in w))
    square = sum(int(x) ** 2 for x in w)
    root = math.isqrt(square)
    return arb(root) if root * root == square else arb(square).sqrt()


def krawczyk(F, J, x0: list, *, inflations: int = _INFLATIONS):
    r"""One Krawczyk existence-and-uniqueness test for F(u) = 0 around the point ``x0``.

    ``F(U)`` returns an arb_mat column enclosing F on the box U (an arb_mat column), ``J(U)`` an
    arb_mat enclosing every Jacobian on U. With Y a float inverse of J at x0, the box
    X = x0 + [-r, r] is inflated until K(X) = x0 - Y F(x0) + (I - Y J(X))(X - x0) lies in the
    interior of X (then F has exactly one zero in X, and it lies in K(X)), or ``inflations`` tries
    are spent.

    Returns ``(enclosure, note)``: the arb_mat column K(X) intersected with X, or None and why not.

    Examples
    --------
    >>> from flint import arb, arb_mat
    >>> F = lambda U: arb_mat([[U[0, 0] ** 2 - 2]])
    >>> J = lambda U: arb_mat([[2 * U[0, 0]]])
    >>> box, note = krawczyk(F, J, [arb(1.4142135623730951)])
    >>> bool((box[0, 0] ** 2 - 2).contains(0)), bool(box[0, 0].rad() < 1e-12)
    (True, True)
    """
    from flint import arb, arb_mat

    N = len(x0)
    if N == 0:
        return arb_mat(0, 1), "no unknowns"
    X0 = _column_vector(x0)
    jac_mid = np.array([[float(J(X0)[i, j].mid()) for j in range(N)] for i in range(N)])
    if not np.all(np.isfinite(jac_mid)):
        return None, "the Jacobian is not finite at the float solution"
    try:
        Y_float = np.linalg.inv(jac_mid)
    except np.linalg.LinAlgError:
        return None, "the Jacobian of the support's conditions is singular (rank-deficient support)"
    Y = arb_mat([[float(v) for v in row] for row in Y_float])
    delta = Y * F(X0)
    identity = arb_mat([[1 if i == j else 0 for j in range(N)] for i in range(N)])
    # the radius starts at a few times the Newton correction, plus a relative floor at the working
    # precision so that an already exact midpoint still gets a box of positive width
    from flint import ctx

    floor = 2.0 ** (-(ctx.prec - 8))
    radius = [4 * float(abs(delta[i, 0]).upper()) + floor * (1 + abs(float(x0[i].mid()))) for i in range(N)]
    for _ in range(inflations):
        box = _column_vector([arb(x0[i].mid(), radius[i]) for i in range(N)])
        K = X0 - delta + (identity - Y * J(box)) * (box - X0)
        if all(box[i, 0].contains_interior(K[i, 0]) for i in range(N)):
            return _column_vector([K[i, 0].intersection(box[i, 0]) for i in range(N)]), \
                "K(X) in the interior of X: one zero, inside K(X)"
        radius = [16 * r for r in radius]
    return None, (f"the Krawczyk test did not close after {inflations} inflations (ill-conditioned or "
                  "singular support system)")


# ---------------------------------------------------------------------------------------------
# the losses in ball arithmetic
# ---------------------------------------------------------------------------------------------


def _dual_and_slope(loss_name: str, f: list, y: list) -> tuple[list, list]:
    """lambda_i = -dL/df_i and d lambda_i / d f_i, enclosed on the balls f_i."""
    if loss_name == "squared":
        return [yi - fi for fi, yi in zip(f, y)], [-1] * len(f)
    lam, slope = [], []
    for fi, yi in zip(f, y):
        p = 1 / (1 + (yi * fi).exp())  # sigmoid(-y f)
        lam.append(yi * p)
        slope.append(-(p * (1 - p)))
    return lam, slope


def _loss_value(loss_name: str, f: list, y: list):
    if loss_name == "squared":
        return sum(((fi - yi) ** 2 for fi, yi in zip(f, y)), 0) / 2
    return sum(((-(yi * fi)).exp().log1p() for fi, yi in zip(f, y)), 0)


# ---------------------------------------------------------------------------------------------
# the proof
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class _SupportColumn:
    key: tuple
    sign: int  # relative to the canonical orientation of key
    q: list  # exact integer preactivation numerators of the canonical orientation
    norm: object  # arb ||w||_p of the canonical integer normal
    norm_square: int  # ||w||_2^2 (l2) or ||w||_1 (l1), exact
    coefficient: float
    subset: tuple
    fit_sign: int  # the fit dictionary's sign convention, reported in the neuron


def _check_result(result, precision: int):
    for name in ("problem", "dictionary", "coefficients", "intercept"):
        if not hasattr(result, name):
            raise InvalidTypeError(f"prove_enclosure takes a FitResult (from ga_relu.fit), got {type(result).__name__}")
    problem = result.problem
    if isinstance(precision, bool) or not isinstance(precision, (int, np.integer)) or not 53 <= precision <= 1000:
        raise InvalidInputError(f"precision must be an integer number of bits in [53, 1000], got {precision!r}")
    if not problem.loss.differentiable:
        raise InvalidInputError(
            f"loss={problem.loss.name!r} is piecewise linear, so its optimum is not a smooth zero that intervals can "
            "enclose: an exact LP proof over the vertex dictionary would be needed; use result.certificate() for "
            "the LP dual certificate")
    if problem.n_outputs > 1:
        raise InvalidInputError(
            "interval proofs cover one output; for vector outputs with the squared loss and the l1 penalty (T5) "
            "use the exact proof, result.prove()" if problem.loss.name == "squared" else
            "interval proofs cover one output, and the logistic loss takes one label column")
    if result.method == "exact" or result.dictionary.subsets.shape[1] != problem.subset_size:
        raise InvalidInputError(
            f"method={result.method!r} gives neurons that are not wedge columns (the exact weight-decay program's "
            "neurons need not pass through d samples); interval proofs cover the wedge Lasso: prove a fit made "
            "with method='wedge' or 'colgen', and use result.certificate() for this one")
    if problem.loss.name not in ("squared", "logistic"):
        raise InvalidInputError(f"no interval proof for loss={problem.loss.name!r}; squared and logistic are covered")


def _scope(result) -> str:
    case, problem = result.case, result.problem
    if not problem.penalty.exact_wedge and problem.d >= 2:
        return ("optimum of the Lasso over the wedge dictionary only (T4): not global optimality of (P), which is "
                "an infimum over all hyperplanes; the exact weight-decay program fit(..., penalty='l2', "
                "method='exact') can be lower")
    if problem.bias and not problem.fit_intercept:
        return (f"optimum of the Lasso over the full vertex dictionary ({case.theorem}) without an intercept: an "
                "upper bound on (P), whose infimum with a bias needs a free constant (use fit_intercept=True)")
    return f"global optimum of (P) over networks of every width ({case.theorem})"


def _support(result, rows, D, X_int, d: int, p: float) -> list[_SupportColumn]:
    """The fit's active columns, rebuilt exactly; exact duplicates merged (coefficients added)."""
    z = np.asarray(result.coefficients, dtype=float)
    top = float(np.abs(z).max(initial=0.0))
    active = np.flatnonzero(np.abs(z) > SUPPORT_RELATIVE * top) if top > 0 else []
    columns: dict = {}
    lifted = rows[: X_int.shape[0]]
    for j in active:
        subset, s, w_float, b_float = result.dictionary.column(int(j))
        subset = tuple(int(i) for i in subset)
        v = _normals(rows, np.array([subset], dtype=np.intp).reshape(1, len(subset)))[0]
        if all(x == 0 for x in v[:d]):
            raise DegenerateDataError(f"support column {int(j)} (vertices {subset}) has an exactly zero normal")
        key, _ = _canonical(v)
        float_normal = np.concatenate([w_float, [b_float]])[: len(key)] if result.problem.bias else w_float
        sign = s * (1 if float(np.dot(float_normal, np.array(key, dtype=float))) > 0 else -1)
        if (key, sign) in columns:
            columns[(key, sign)].coefficient += float(z[j])
            continue
        q = list(lifted @ np.array(key, dtype=object))
        w = key[:d]
        columns[(key, sign)] = _SupportColumn(
            key=key, sign=sign, q=[int(x) for x in q], norm=_norm_enclosure(w, p),
            norm_square=sum(abs(int(x)) for x in w) if p == 1 else sum(int(x) ** 2 for x in w),
            coefficient=float(z[j]), subset=subset, fit_sign=s)
    return list(columns.values())


def _basic_support(support: list, G_cols: list, intercept: float, free_intercept: bool):
    """A basic support when the fit's support columns (with the constant) are linearly dependent.

    All optimal coefficients share the predictions f and the signs, so a vertex of the polytope
    {t >= 0 (z_j = s_j t_j), c free : sum_j K_j z_j + c = f} (the dual simplex returns one) is an
    optimal solution whose columns are independent. Returns ``(columns, intercept)`` or None when
    the columns are independent already (or the linear program fails: the proof then fails with
    the Krawczyk test's reason). This only chooses the support; the proof checks it.
    """
    from scipy.optimize import linprog

    if not support:
        return None
    G = np.array([[float(v.mid()) for v in column] for column in G_cols]).T
    if np.linalg.matrix_rank(G) == G.shape[1]:
        return None
    signs = np.array([1.0 if col.coefficient > 0 else -1.0 for col in support])
    z = np.array([col.coefficient for col in support])
    f = G[:, : len(support)] @ z + (intercept if free_intercept else 0.0)
    A = G[:, : len(support)] * signs
    bounds = [(0, None)] * len(support)
    if free_intercept:
        A = np.column_stack([A, np.ones(len(f))])
        bounds.append((None, None))
    cost = np.concatenate([np.ones(len(support)), [0.0] if free_intercept else []])
    lp = linprog(cost, A_eq=A, b_eq=f, bounds=bounds, method="highs-ds")
    if lp.status != 0:
        return None
    t = lp.x[: len(support)]
    keep = np.flatnonzero(t > SUPPORT_RELATIVE * max(float(t.max(initial=0.0)), np.finfo(float).tiny))
    columns = [dataclasses.replace(support[j], coefficient=float(signs[j] * t[j])) for j in keep]
    return columns, (float(lp.x[-1]) if free_intercept else 0.0)


def _relu_signed(q: list, sign: int) -> list:
    return [max(sign * x, 0) for x in q]


def prove_enclosure(result, *, precision: int = 128, chunk: int = 2048) -> Proof:
    r"""Prove with interval arithmetic that an exact optimum of the fit's Lasso lies in printed enclosures.

    The fit's support and signs are the claim. The support's optimality conditions F(u) = 0
    (module docstring) are enclosed by a Krawczyk test at ``precision`` bits, the signs of the
    coefficients are checked on the enclosure, and |lambda . K_j| <= beta is checked with balls
    for every column of the full vertex dictionary, built from the exact data.

    Parameters
    ----------
    result : FitResult
        A wedge or column-generation fit (``ga_relu.fit(..., method="wedge" | "colgen")``) with the
        squared or logistic loss and one output.
    precision : int, keyword-only
        Working precision in bits (>= 53); the enclosures' widths are about 2^-precision relative.
    chunk : int, keyword-only
        Vertex subsets per block of the dual check.

    Returns
    -------
    Proof
        ``kind = "interval-enclosed"``; ``objective``, ``intercept`` and the neurons' fields are
        ``flint.arb`` balls containing the exact optimum; ``max_ratio`` a ball containing
        max_j |lambda* . K_j| / beta over the full dictionary (its upper end is the bound);
        ``holds`` is True only when every check passed rigorously, otherwise ``reason`` says which
        failed. ``details`` holds the enclosure widths, the largest off-support ratio's upper
        bound, the dictionary counts and the Krawczyk note.

    Raises
    ------
    InvalidInputError
        For the hinge loss (an exact LP proof would be needed), vector outputs, a fit of
        method="exact" (its neurons are not wedge columns), or a bad ``precision``.
    SymbolicLimitError
        When the data as exact integers would need more than :data:`MAX_DATA_BITS` bits.

    Examples
    --------
    >>> import numpy as np
    >>> import ga_relu
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> result = ga_relu.fit(X, [1.0, -1.0, 1.0, -1.0], beta=0.2, loss="logistic")
    >>> proof = prove_enclosure(result)
    >>> proof.holds, proof.theorem, proof.scope
    (True, 'T3', 'global optimum of (P) over networks of every width (T3)')
    >>> bool(proof.objective.rad() > 0), bool(proof.objective.rad() < 1e-20)  # a genuine, tight ball
    (True, True)
    """
    import time

    from flint import arb, arb_mat, ctx

    _check_result(result, precision)
    if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)) or chunk < 1:
        raise InvalidInputError(f"chunk must be a positive number of subsets, got {chunk!r}")
    start = time.perf_counter()
    problem = result.problem
    n, d, beta_float = problem.n, problem.d, float(problem.beta)
    p = problem.penalty.p
    X_int, D = _integer_data(problem.X)
    rows = _vertex_rows(X_int, D, bias=problem.bias, basis=problem.penalty.basis_vertices)
    lifted = rows[:n]
    y_float = [float(v) for v in problem.y]
    free_intercept = bool(problem.fit_intercept)
    details: dict = {"precision": precision, "data_denominator": D}

    with ctx.workprec(int(precision)):
        support = _support(result, rows, D, X_int, d, p)  # its norms are balls at the working precision
        m = len(support)
        details["support_size"] = m
        beta = arb(beta_float)  # exact: beta is the float it stores
        y = [arb(v) for v in y_float]
        Dball = arb(D)
        # G = [K_S, 1]: column j is relu(sign_j q_j) / (D ||w_j||), exact up to the one division
        def support_columns(columns):
            built = [[arb(v) / (Dball * col.norm) for v in _relu_signed(col.q, col.sign)] for col in columns]
            return built + ([[arb(1)] * n] if free_intercept else [])

        intercept0 = float(np.ravel(result.intercept)[0]) if free_intercept else 0.0
        G_cols = support_columns(support)
        reduced = _basic_support(support, G_cols, intercept0, free_intercept)
        if reduced is not None:
            details["support_reduced"] = (len(support), len(reduced[0]))
            support, intercept0 = reduced
            m = len(support)
            G_cols = support_columns(support)
        N = len(G_cols)
        G = arb_mat([[G_cols[j][i] for j in range(N)] for i in range(n)]) if N else None
        G_T = G.transpose() if N else None
        rhs = [beta * (1 if col.coefficient > 0 else -1) for col in support] + ([arb(0)] if free_intercept else [])
        target_signs = [1 if col.coefficient > 0 else -1 for col in support]
        loss_name = problem.loss.name

        def predictions(U):
            if N == 0:
                return [arb(0)] * n
            return _entries(G * U)

        def F(U):
            lam, _ = _dual_and_slope(loss_name, predictions(U), y)
            return G_T * _column_vector(lam) - _column_vector(rhs)

        def J(U):
            _, slope = _dual_and_slope(loss_name, predictions(U), y)
            scaled = arb_mat([[G[i, j] * slope[i] for j in range(N)] for i in range(n)])
            return G_T * scaled

        # the float starting point, refined by Newton steps on F evaluated in balls (midpoints only)
        x0 = [arb(col.coefficient) for col in support] + ([arb(intercept0)] if free_intercept else [])
        note = "no unknowns"
        if N:
            for _ in range(_REFINEMENTS):
                X0 = _column_vector(x0)
                jac_ball, residual_ball = J(X0), F(X0)
                jac = np.array([[float(jac_ball[i, j].mid()) for j in range(N)] for i in range(N)])
                residual = np.array([float(residual_ball[i, 0].mid()) for i in range(N)])
                try:
                    step = np.linalg.solve(jac, residual)
                except np.linalg.LinAlgError:
                    break
                if not np.all(np.isfinite(step)):
                    break
                x0 = [(x0[i] - arb(float(step[i]))).mid() for i in range(N)]
                x0 = [arb(v) for v in x0]
                scale = max(1.0, max(abs(float(v.mid())) for v in x0))
                if np.max(np.abs(step)) <= 2.0 ** (-precision) * scale:
                    break
            box, note = krawczyk(F, J, x0)
        else:
            box = arb_mat(0, 1)
        details["krawczyk"] = note

        def failed(reason, **extra):
            details.update(extra, seconds=time.perf_counter() - start)
            return Proof(holds=False, kind=INTERVAL_ENCLOSED, theorem=result.case.theorem, scope=_scope(result),
                         objective=None, intercept=None, neurons=(), max_ratio=None, columns_checked=0,
                         reason=reason, details=details)

        if box is None:
            return failed(f"no enclosure of the support's optimality conditions: {note}")
        U = _entries(box)
        z_balls, c_ball = U[:m], (U[m] if free_intercept else arb(0))
        for col, zb, s in zip(support, z_balls, target_signs):
            if not (s * zb > 0):
                return failed(f"the sign of the coefficient on vertices {col.subset} is not certain: z in {zb} "
                              f"(the float fit says {col.coefficient:+.3g}); the support is not the optimal one")
        f_balls = predictions(box)
        lam, _ = _dual_and_slope(loss_name, f_balls, y)
        details["max_radius"] = max([float(v.rad()) for v in U] or [0.0])

        # the dual check over every column of the full vertex dictionary -----------------------
        hyperplanes = _all_hyperplanes(rows, d, problem.subset_size, len(rows), chunk)
        on_support = {(col.key, col.sign): col for col in support}
        span_basis = [_relu_signed(col.q, col.sign) for col in support] + ([[1] * n] if free_intercept else [])
        span = _SpanTest(span_basis, support, p, n) if span_basis else None
        lam_row = arb_mat([lam])
        one = arb(1)
        ratios = []  # balls of |lambda . K| / beta (one per column)
        off_support_upper = arb(0)
        span_decided = 0
        for begin in range(0, len(hyperplanes.keys), chunk):
            keys = hyperplanes.keys[begin: begin + chunk]
            V = np.array(keys, dtype=object)
            Q = lifted.dot(V.T)  # exact integer numerators of w . x_i + b, (n, m_chunk)
            for sign in (1, -1):
                R = np.maximum(sign * Q, 0)
                scores = lam_row * arb_mat([[int(v) for v in row] for row in R])
                for t, key in enumerate(keys):
                    if (key, sign) in on_support:
                        ratios.append(one)  # a row of F(u*) = 0: |lambda* . K| = beta exactly
                        continue
                    norm = _norm_enclosure(key[:d], p)
                    ratio = abs(scores[0, t]) / (beta * Dball * norm)
                    if ratio < 1:
                        ratios.append(ratio)
                        off_support_upper = arb.max(off_support_upper, ratio)
                        continue
                    exact = span.value(R[:, t], key[:d]) if span is not None else None
                    vertices = hyperplanes.subsets[hyperplanes.index[key]]
                    if exact is None:
                        verdict = "exceeds beta: the fit's support is not optimal" if ratio > 1 else \
                            "straddles beta and is not in the span of the support's columns"
                        return failed(f"column relu({'+' if sign > 0 else '-'}(w . x + b)) of vertices {vertices}: "
                                      f"|lambda . K| / beta in {ratio} {verdict}", max_ratio_seen=ratio)
                    exact_ball = _as_ball(exact)
                    if not exact <= 1:
                        return failed(f"column relu({'+' if sign > 0 else '-'}(w . x + b)) of vertices {vertices} "
                                      f"has |lambda . K| / beta = {exact} > 1 (decided exactly in the span of the "
                                      "support): the fit's support is not optimal", max_ratio_seen=exact_ball)
                    span_decided += 1
                    ratios.append(exact_ball)
                    off_support_upper = arb.max(off_support_upper, exact_ball)
        max_ratio = functools.reduce(arb.max, ratios, arb(0))
        columns_checked = len(ratios)

        objective = _loss_value(loss_name, f_balls, y) + beta * sum((s * zb for s, zb in zip(target_signs, z_balls)),
                                                                     arb(0))
        neurons = []
        for col, zb in zip(support, z_balls):
            w = [arb(col.sign * x) for x in col.key[:d]]
            b = arb(col.sign * col.key[d]) if problem.bias else arb(0)
            neurons.append(ProvedNeuron(unit_weight=tuple(wi / col.norm for wi in w), unit_bias=b / col.norm,
                                        coefficient=zb, subset=col.subset, sign=col.fit_sign))
        neurons.sort(key=lambda nr: -abs(float(nr.coefficient.mid())))
        details.update(
            max_ratio_off_support=off_support_upper, columns_decided_exactly=span_decided,
            n_candidates=hyperplanes.n_candidates, n_zero_normals=hyperplanes.n_zero,
            n_duplicates=hyperplanes.n_duplicates, sum_dual=sum(lam, arb(0)),
            seconds=time.perf_counter() - start)
    return Proof(holds=True, kind=INTERVAL_ENCLOSED, theorem=result.case.theorem, scope=_scope(result),
                 objective=objective, intercept=c_ball, neurons=tuple(neurons), max_ratio=max_ratio,
                 columns_checked=columns_checked, details=details)


class _SpanTest:
    r"""Exact dual values of columns in the span of the support's columns.

    With rational directions r_j (K_j = r_j / (D ||w_j||)) and, with a free intercept, the constant
    column: if r = sum_j a_j r_j + a_0 1 exactly, then at the optimum (lambda* . K_j = beta s_j,
    sum lambda* = 0) the column K = r / (D ||w||) has lambda* . K / beta = sum_j a_j s_j ||w_j|| / ||w||.
    """

    def __init__(self, basis: list, support: list, p: float, n: int):
        from flint import fmpq_mat

        self.B = fmpq_mat([[basis[j][i] for j in range(len(basis))] for i in range(n)])
        self.BT = self.B.transpose()
        self.gram = self.BT * self.B
        self.support, self.p, self.n = support, p, n

    def value(self, r, w):
        """|lambda* . K| / beta exactly (Fraction, or an arb ball when square roots stay), or None
        when r is not in the span."""
        from flint import fmpq_mat

        r_mat = fmpq_mat([[int(v)] for v in r])
        try:
            a = self.gram.solve(self.BT * r_mat)
        except ZeroDivisionError:
            return None
        if self.B * a != r_mat:
            return None
        coefficients = [Fraction(int(a[j, 0].p), int(a[j, 0].q)) for j in range(len(self.support))]
        signs = [1 if col.coefficient > 0 else -1 for col in self.support]
        if self.p == 1:
            norm = sum(abs(int(x)) for x in w)
            return abs(sum(c * s * col.norm_square for c, s, col in zip(coefficients, signs, self.support))) / norm
        square = sum(int(x) ** 2 for x in w)
        # v = sum_j a_j s_j sqrt(N_j / N). Terms whose N_j / N differ by a rational square are one
        # term; the class of N itself is rational. Square roots of distinct square-free classes are
        # linearly independent over Q, so |v| = 1 only when every irrational class cancels: then v
        # is the rational coefficient of N's class, compared exactly; otherwise |v| != 1 and balls
        # at rising precision decide the comparison.
        classes = [[square, Fraction(0)]]  # [representative radicand, rational coefficient]
        for c, s, col in zip(coefficients, signs, self.support):
            if c == 0:
                continue
            for entry in classes:
                root = math.isqrt(col.norm_square * entry[0])
                if root * root == col.norm_square * entry[0]:  # sqrt(N_j) = root / rep * sqrt(rep)
                    entry[1] += c * s * Fraction(root, entry[0])
                    break
            else:
                classes.append([col.norm_square, c * s])
        irrational = [(rep, c) for rep, c in classes[1:] if c != 0]
        if not irrational:
            return abs(classes[0][1])
        return _IrrationalRatio(classes[0][1], irrational, square)


def _as_ball(value):
    """An exact span value (Fraction, exact square root or arb) as an arb ball."""
    from flint import arb, fmpq

    if isinstance(value, arb):
        return value
    if isinstance(value, _IrrationalRatio):
        return value.ball()
    return arb(fmpq(value.numerator, value.denominator))


@dataclasses.dataclass(frozen=True)
class _IrrationalRatio:
    """|c0 + sum_k c_k sqrt(N_k / N)| with at least one irrational class: never exactly 1, so a ball
    at a high enough precision decides how it compares with 1."""

    rational: Fraction
    terms: list
    square: int

    def ball(self):
        from flint import arb, fmpq

        def q(c):
            return arb(fmpq(c.numerator, c.denominator))

        return abs(q(self.rational) + sum((q(c) * (arb(rep) / self.square).sqrt() for rep, c in self.terms),
                                          arb(0)))

    def __le__(self, other) -> bool:
        from flint import ctx

        for bits in (128, 256, 512, 1024, 2048, 4096):
            with ctx.workprec(max(bits, ctx.prec)):
                value = self.ball()
                if value < other:
                    return True
                if value > other:
                    return False
        raise SymbolicLimitError("a sum of square roots could not be compared with 1 at 4096 bits")

    def __str__(self) -> str:
        return str(self.ball())
