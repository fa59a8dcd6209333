r"""Exact rational proofs of global optimality for the l1 cases with squared loss (T1, T2, T3, T5).

The problem is (P) with the squared loss and the l1 first-layer penalty, which equals the Lasso

.. math::

    \min_{z,\,c}\; \tfrac12 \|K z + c\,\mathbf 1 - y\|^2 + \beta \|z\|_1

over the full vertex dictionary K: one pair of columns relu(+-(X w_S + b_S)) / ||w_S||_1 per
subset S of the vertex set (samples, lifted, and the basis vectors). For rational data every
column is rational, because ||w_S||_1 is a sum of absolute values of determinants. A point
(z, c) is optimal exactly when, with lambda = y - K z - c 1,

* ``K_j . lambda = beta sign(z_j)`` on the support (equality, with the coefficient's sign),
* ``|K_j . lambda| <= beta`` for EVERY column of the full dictionary,
* ``sum(lambda) = 0`` when the intercept is free or the neurons have a bias.

All three are checked here in exact rational arithmetic, and on top of them the weak-duality gap
P(z, c) - D(lambda), D(lambda) = lambda . y - ||lambda||^2 / 2, is computed exactly: it is 0 for
a proof. By the theorem of the case the Lasso over the vertex dictionary equals (P), so the proved
network is a global optimum over networks of every width.

How the data become integers
----------------------------
Every input is a rational (a float at its exact binary value). With D the common denominator of
X, the scaled points P_i = D x_i are integers; the lifted vertices (P_i, D) and (e_k, 0) give
integer normals v_S = (w, b) by cofactors, a positive multiple of the true normal. Then

.. math:: K_{iS} = \frac{\mathrm{relu}(P_i \cdot w + D b)}{D \|w\|_1},

so the dual check over a streamed chunk of subsets is one integer matrix product, a ReLU and an
integer comparison per column: |sum_i L_i relu(A_iS)| bd <= bn q D ||w||_1 with lambda = L / q and
beta = bn / bd. Nothing is dropped but normals with w = 0 exactly (no column); duplicates are
checked twice, which is harmless.

Vector outputs (T5) are a group Lasso, whose optimum involves square roots of row norms and is in
general not rational: there the same exact arithmetic gives a rigorous rational bound on
P(network) - P*, not a proof of optimality.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import time
from fractions import Fraction

import numpy as np

from ..convex.dictionary import iter_subsets
from ..errors import (ConvergenceError, EnumerationTooLargeError, ExactSizeError, InvalidInputError,
                      InvalidTypeError, UnprovableError)
from .proof import EXACT_RATIONAL, Proof, ProvedNeuron

__all__ = ["to_rational", "ExactProblem", "exact_problem", "prove_fit", "prove_support", "prove_network",
           "dual_scan", "exact_column", "DualScan", "MAX_BITS", "MAX_SUBSETS"]

#: largest numerator or denominator (in bits) accepted in the data, the KKT solution and lambda:
#: beyond it integer products over the whole dictionary take minutes; the error states the size
MAX_BITS = 20_000

#: largest number of vertex subsets the exact dual check enumerates (about 5 10^6 columns pairs
#: take minutes in exact integers); the error states the count
MAX_SUBSETS = 2_000_000

#: subsets per streamed chunk of the dual check
CHUNK = 4096

_SCOPE = {
    "T1": "global optimum of (P) over networks of every width (T1: l1 penalty, no bias; the vertex "
          "dictionary's Lasso equals (P))",
    "T2": "global optimum of (P) over networks of every width (T2: l1 penalty with bias; the vertex "
          "dictionary's Lasso equals (P))",
    "T3": "global optimum of (P) over networks of every width (T3: 1-D data with bias; breakpoints at "
          "the samples give the exact Lasso)",
    "T5": "bound on P(network) - P* over networks of every width (T5: vector outputs, group Lasso over "
          "the l1 vertex dictionary)",
}


# ---------------------------------------------------------------------------------------------
# exact inputs
# ---------------------------------------------------------------------------------------------


def to_rational(value, name: str = "value") -> Fraction:
    """An exact rational: ints, Fractions and sympy/flint rationals as they are, a float at its
    exact binary value (so 0.1 is 3602879701896397/36028797018963968).

    >>> to_rational(0.5), to_rational(Fraction(1, 3)), to_rational(0.1).denominator == 2**55
    (Fraction(1, 2), Fraction(1, 3), True)
    """
    if isinstance(value, (bool, np.bool_)):
        raise InvalidTypeError(f"{name} must be a number, got the bool {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(float(value)):
            raise InvalidInputError(f"{name} must be finite, got {value!r}")
        return Fraction(float(value))
    p, q = getattr(value, "p", None), getattr(value, "q", None)  # sympy Rational, flint fmpq
    if p is not None and q is not None:
        try:
            return Fraction(int(p), int(q))
        except (TypeError, ValueError):
            pass
    if isinstance(value, numbers.Rational):
        return Fraction(value.numerator, value.denominator)
    raise InvalidTypeError(f"{name} must be an int, Fraction, rational or float for an exact proof, got "
                           f"{type(value).__name__} {value!r}; a symbolic or irrational number has no exact "
                           "rational value (pass a Fraction)")


def _bits(value: Fraction) -> int:
    return max(value.numerator.bit_length(), value.denominator.bit_length())


def _check_bits(values, what: str, max_bits: int) -> None:
    worst = max((_bits(v) for v in values), default=0)
    if worst > max_bits:
        raise ExactSizeError(
            f"{what} needs rationals of {worst:,} bits (numerator or denominator), above max_bits={max_bits:,}; "
            "exact products over the dictionary would take very long. Round the data to short rationals "
            "(e.g. Fraction(x).limit_denominator(10**6)) or raise max_bits")


@dataclasses.dataclass(frozen=True, eq=False)
class ExactProblem:
    """Problem (P) with squared loss and exact rational data, scaled to integers (module docstring).

    ``points`` are the integers D x_i (object array, shape (n, d)), ``lifted`` the rows
    (D x_i, D) with a bias (the points otherwise) and ``vertices`` the lifted vertex rows,
    samples first, then the basis vectors (e_k, 0) for the l1 penalty.
    """

    X: tuple
    y: tuple
    beta: Fraction
    bias: bool
    fit_intercept: bool
    penalty: str
    theorem: str
    scale: int
    points: np.ndarray
    lifted: np.ndarray
    vertices: np.ndarray

    @property
    def n(self) -> int:
        return len(self.X)

    @property
    def d(self) -> int:
        return len(self.X[0])

    @property
    def n_outputs(self) -> int:
        return 1 if not isinstance(self.y[0], tuple) else len(self.y[0])

    @property
    def subset_size(self) -> int:
        """d lifted vertices with a bias, d - 1 without."""
        return self.d if self.bias else self.d - 1

    @property
    def needs_sum_zero(self) -> bool:
        """sum(lambda) = 0 with a free intercept or a bias."""
        return self.fit_intercept or self.bias

    @property
    def n_subsets(self) -> int:
        return math.comb(len(self.vertices), self.subset_size)


def exact_problem(X, y, beta, *, penalty: str = "l1", bias: bool = True, fit_intercept: bool = True,
                  max_bits: int = MAX_BITS) -> ExactProblem:
    """The exact, integer-scaled form of (P) with squared loss; UnprovableError for the cases no
    exact rational proof covers (weight decay in d >= 2, a bias without an intercept).

    >>> problem = exact_problem([[0], [1], [2]], [0, 1, 0], Fraction(1, 10))
    >>> problem.theorem, problem.scale, problem.vertices.tolist()
    ('T3', 1, [[0, 1], [1, 1], [2, 1], [1, 0]])
    """
    rows = [list(r) if isinstance(r, (list, tuple, np.ndarray)) else [r] for r in (list(X) if not isinstance(X, np.ndarray) or X.ndim else [])]
    if not rows or not rows[0]:
        raise InvalidInputError("X must hold at least one sample with at least one feature")
    d = len(rows[0])
    if any(len(r) != d for r in rows):
        raise InvalidInputError("X must be rectangular (every sample with the same number of features)")
    Xq = tuple(tuple(to_rational(v, "X") for v in r) for r in rows)
    n = len(Xq)
    y_rows = list(y)
    if len(y_rows) != n:
        raise InvalidInputError(f"y has {len(y_rows)} targets for {n} samples")
    if all(isinstance(t, (list, tuple, np.ndarray)) for t in y_rows):
        yq = tuple(tuple(to_rational(v, "y") for v in t) for t in y_rows)
        if len({len(t) for t in yq}) != 1 or not yq[0]:
            raise InvalidInputError("y with several outputs must be rectangular (n, c)")
        if len(yq[0]) == 1:
            yq = tuple(t[0] for t in yq)
    else:
        yq = tuple(to_rational(v, "y") for v in y_rows)
    betaq = to_rational(beta, "beta")
    if betaq <= 0:
        raise InvalidInputError(f"beta must be positive, got {beta!r}")
    penalty = str(getattr(penalty, "name", penalty))
    if penalty not in ("l1", "l2"):
        raise InvalidInputError(f"penalty must be 'l1' or 'l2', got {penalty!r}")
    if penalty == "l2" and d >= 2:
        raise UnprovableError(
            "weight decay (penalty='l2') in d >= 2 is case T4: its wedge columns carry square roots and the "
            "wedge dictionary is only an upper bound, so no exact rational proof exists; use the interval "
            "proof (ga_relu.proofs.intervals, optimality within the wedge dictionary only), fit(..., "
            "method='exact') with .certificate(), or penalty='l1'")
    if bias and not fit_intercept:
        raise UnprovableError(
            "bias=True with fit_intercept=False is only an upper bound on (P) (a neuron with w = 0 and a large "
            "bias is a free constant of vanishing cost), so there is no optimum to prove; use fit_intercept=True")
    flat_y = [v for t in yq for v in (t if isinstance(t, tuple) else (t,))]
    _check_bits([v for r in Xq for v in r] + flat_y + [betaq], "the data", max_bits)
    n_outputs = 1 if not isinstance(yq[0], tuple) else len(yq[0])
    theorem = ("T3" if bias else "T1") if d == 1 else ("T2" if bias else "T1")
    if n_outputs > 1:
        theorem = "T5"
    scale = math.lcm(*(v.denominator for r in Xq for v in r))
    points = np.array([[int(v * scale) for v in r] for r in Xq], dtype=object).reshape(n, d)
    lifted = np.hstack([points, np.full((n, 1), scale, dtype=object)]) if bias else points
    vertices = lifted
    if penalty == "l1":
        basis = np.zeros((d, lifted.shape[1]), dtype=object)
        for k in range(d):
            basis[k, k] = 1
        vertices = np.vstack([lifted, basis])
    return ExactProblem(Xq, yq, betaq, bool(bias), bool(fit_intercept), penalty, theorem, scale, points,
                        lifted, vertices)


# ---------------------------------------------------------------------------------------------
# exact columns
# ---------------------------------------------------------------------------------------------


def _det_batch(M: np.ndarray) -> np.ndarray:
    """Determinants of a stack (m, k, k) of exact (object) matrices, by expansion along row 0."""
    k = M.shape[1]
    if k == 1:
        return M[:, 0, 0]
    total = np.zeros(M.shape[0], dtype=object)
    for j in range(k):
        minor = np.delete(M[:, 1:, :], j, axis=2)
        term = M[:, 0, j] * _det_batch(minor)
        total = total + term if j % 2 == 0 else total - term
    return total


def integer_normals(problem: ExactProblem, subsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer (w, b) of each subset's hyperplane: cofactors of its lifted vertex rows
    (cross_t = (-1)^t det(rows without column t)), a positive multiple of the true normal.

    >>> problem = exact_problem([[0, 0], [1, 1]], [0, 1], 1)
    >>> w, b = integer_normals(problem, np.array([[0, 1]]))
    >>> w.tolist(), b.tolist()
    ([[-1, 1]], [0])
    """
    m, k = subsets.shape
    d = problem.d
    if k == 0:  # 1-D without bias: the empty cross product is e_1
        v = np.ones((m, 1), dtype=object)
    else:
        M = problem.vertices[subsets]  # (m, k, k + 1)
        v = np.stack([(1 if t % 2 == 0 else -1) * _det_batch(np.delete(M, t, axis=2)) for t in range(k + 1)],
                     axis=1)
    if problem.bias:
        return v[:, :d], v[:, d]
    return v, np.zeros(m, dtype=object)


def _l1(w: np.ndarray) -> np.ndarray:
    return np.sum(np.abs(w), axis=1) if w.shape[1] else np.zeros(w.shape[0], dtype=object)


def _preactivations(problem: ExactProblem, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A = P w + D b (n, m), exact integers: D times the true preactivation, times the normal's scale."""
    V = np.hstack([w, b[:, None]]) if problem.bias else w
    return _int_matmul(problem.lifted, V.T)


def _int_matmul(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Exact integer product; int64 when a bound on every partial sum fits (no overflow), else Python
    integers (object arrays)."""
    if A.size == 0 or B.size == 0:
        return np.zeros((A.shape[0], B.shape[1]), dtype=object)
    bound = int(np.max(np.abs(A))) * int(np.max(np.abs(B))) * A.shape[1]
    if bound < 2**62:
        return (A.astype(np.int64) @ B.astype(np.int64)).astype(object)
    return A.dot(B)


def exact_column(problem: ExactProblem, subset, side: int) -> tuple[list[Fraction], tuple, Fraction]:
    """(column values, unit weight, unit bias) of the neuron relu(side (w_S . x + b_S)) / ||w_S||_1,
    all Fractions; InvalidInputError when the subset's normal has w = 0 (no column).

    >>> column, u, v = exact_column(exact_problem([[0], [1], [2]], [0, 1, 0], 1), (1,), -1)
    >>> [str(c) for c in column], [str(x) for x in u], str(v)
    (['1', '0', '0'], ['-1'], '1')
    """
    w, b = integer_normals(problem, np.array([list(subset)], dtype=np.intp).reshape(1, -1))
    norm = int(_l1(w)[0])
    if norm == 0:
        raise InvalidInputError(f"vertex subset {tuple(subset)} has a normal with w = 0: it defines no neuron")
    A = _preactivations(problem, w, b)[:, 0]
    den = problem.scale * norm
    column = [Fraction(max(side * int(a), 0), den) for a in A]
    unit = tuple(Fraction(side * int(x), norm) for x in w[0])
    return column, unit, Fraction(side * int(b[0]), norm)


# ---------------------------------------------------------------------------------------------
# the dual check over the full dictionary
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class DualScan:
    """Outcome of the exact check |lambda . column| <= beta over every column of the full dictionary.

    ``max_ratio`` is max |lambda . column| / beta (for vector outputs max ||Lambda^T column||_2^2 /
    beta^2, ``squared=True``), ``worst`` the (subset, side, sign of lambda . column) attaining it,
    ``violations`` the count of columns above beta.
    """

    max_ratio: Fraction
    worst: tuple | None
    violations: int
    columns_checked: int
    zero_normals: int
    squared: bool = False
    seconds: float = 0.0


def _common_denominator(values) -> tuple[np.ndarray, int]:
    q = math.lcm(*(v.denominator for v in values)) if values else 1
    return np.array([int(v * q) for v in values], dtype=object), q


def dual_scan(problem: ExactProblem, lam, *, chunk: int = CHUNK, max_subsets: int = MAX_SUBSETS) -> DualScan:
    """Exact max over every column of the full vertex dictionary of |lambda . column| / beta.

    ``lam`` is a sequence of n Fractions (or n tuples for vector outputs). Streams the C(|V|, k)
    vertex subsets in chunks; columns are skipped only when their normal has w = 0 exactly.

    >>> problem = exact_problem([[0], [1], [2]], [0, 1, 0], Fraction(1, 10))
    >>> scan = dual_scan(problem, [Fraction(-1, 3), Fraction(2, 3), Fraction(-1, 3)])
    >>> scan.max_ratio, scan.columns_checked
    (Fraction(10, 3), 6)
    """
    start = time.perf_counter()
    total = problem.n_subsets
    if total > max_subsets:
        raise EnumerationTooLargeError(
            f"the exact dual check enumerates {total:,} vertex subsets (C({len(problem.vertices)}, "
            f"{problem.subset_size})), above max_subsets={max_subsets:,}; raise max_subsets (time grows linearly) "
            "or prove a smaller problem")
    vector = isinstance(lam[0], tuple)
    flat = [v for t in lam for v in (t if vector else (t,))]
    L, q = _common_denominator(flat)
    if vector:
        L = L.reshape(problem.n, -1)
    bn, bd = problem.beta.numerator, problem.beta.denominator
    best = (Fraction(-1), None)
    violations = checked = zeros = 0
    for block in iter_subsets(len(problem.vertices), problem.subset_size, chunk):
        w, b = integer_normals(problem, block)
        norms = _l1(w)
        keep = norms != 0
        zeros += int(np.count_nonzero(~keep))
        if not keep.any():
            continue
        block, w, b, norms = block[keep], w[keep], b[keep], norms[keep]
        A = _preactivations(problem, w, b)
        bound = q * problem.scale * bn * norms  # the column's threshold times its denominator
        for side in (1, -1):
            R = np.maximum(side * A, 0)
            scores = L.T.dot(R) if vector else L.dot(R)  # (c, m) or (m,)
            if vector:
                lhs = np.sum(scores * scores, axis=0) * (bd * bd)
                rhs = bound * bound
            else:
                lhs = np.abs(scores) * bd
                rhs = bound
            violations += int(np.count_nonzero(lhs > rhs))
            checked += len(block)
            # int / int is correctly rounded, hence monotone: the exact maximum is among the columns
            # whose rounded ratio equals the largest rounded ratio
            approx = np.array([float(a / r) for a, r in zip(lhs, rhs)])
            top = np.flatnonzero(approx == approx.max())
            for j in top:
                ratio = Fraction(int(lhs[j]), int(rhs[j]))
                if ratio > best[0]:
                    score = scores[:, j] if vector else scores[j]
                    sign = 1 if vector else (1 if score >= 0 else -1)
                    best = (ratio, (tuple(int(v) for v in block[j]), side, sign))
    return DualScan(max(best[0], Fraction(0)), best[1], violations, checked, zeros, vector,
                    time.perf_counter() - start)


# ---------------------------------------------------------------------------------------------
# the KKT system on a support
# ---------------------------------------------------------------------------------------------


def _fmpq(value: Fraction):
    import flint

    return flint.fmpq(value.numerator, value.denominator)


def _fraction(value) -> Fraction:
    return Fraction(int(value.p), int(value.q))


@dataclasses.dataclass
class _KKTSolution:
    keys: list  # (subset, side, sigma) of the basic support
    coefficients: list  # Fractions z_j
    intercept: Fraction
    lam: list  # Fractions
    columns: list  # exact columns of the basic support
    units: list  # (unit_weight, unit_bias)
    dropped: list  # support columns dropped as linearly dependent


def _solve_kkt(problem: ExactProblem, support: list, max_bits: int) -> _KKTSolution:
    r"""z, c on a support with signs sigma: the normal equations of

    .. math:: K_S^T (y - K_S z - c) = \beta \sigma, \qquad \mathbf 1^T (y - K_S z - c) = 0,

    the second only with a free intercept, on a basic (linearly independent) subset of the columns."""
    import flint

    n = problem.n
    cols, units = [], []
    for subset, side, _ in support:
        column, u, v = exact_column(problem, subset, side)
        cols.append(column)
        units.append((u, v))
    constant = [[Fraction(1)] * n] if problem.fit_intercept else []
    all_cols = constant + cols
    if all_cols:
        M = flint.fmpq_mat(n, len(all_cols), [_fmpq(all_cols[j][i]) for i in range(n) for j in range(len(all_cols))])
        R, rank = M.rref()
        pivots = []
        for i in range(rank):
            row = [R[i, j] for j in range(len(all_cols))]
            pivots.append(next(j for j, x in enumerate(row) if x != 0))
    else:
        pivots = []
    offset = len(constant)
    basic = [j - offset for j in pivots if j >= offset]
    dropped = [support[j] for j in range(len(support)) if j not in basic]
    keys = [support[j] for j in basic]
    chosen = constant + [cols[j] for j in basic]
    y = list(problem.y)
    if chosen:
        s = len(chosen)
        Mb = flint.fmpq_mat(n, s, [_fmpq(chosen[j][i]) for i in range(n) for j in range(s)])
        rhs = flint.fmpq_mat(s, 1, [_fmpq(sum((chosen[j][i] * y[i] for i in range(n)), Fraction(0))
                                          - (problem.beta * key[2] if j >= offset else 0))
                                    for j, key in zip(range(s), [None] * offset + keys)])
        G = Mb.transpose() * Mb
        x = [_fraction(v) for v in G.solve(rhs).entries()]
    else:
        x = []
    intercept = x[0] if problem.fit_intercept else Fraction(0)
    z = x[offset:]
    pred = [intercept + sum((z[j] * chosen[offset + j][i] for j in range(len(z))), Fraction(0)) for i in range(n)]
    lam = [y[i] - pred[i] for i in range(n)]
    _check_bits(z + [intercept] + lam, "the exact KKT solution", max_bits)
    return _KKTSolution(keys, z, intercept, lam, [cols[j] for j in basic], [units[j] for j in basic], dropped)


def _objective(lam, coefficients, beta) -> Fraction:
    """1/2 ||lambda||^2 + beta ||z||_1 (the network's value in (P), balanced neurons)."""
    return sum((v * v for v in lam), Fraction(0)) / 2 + beta * sum((abs(z) for z in coefficients), Fraction(0))


def _dual_value(lam, y, scale: Fraction) -> Fraction:
    """D(lambda / scale) = lambda' . y - ||lambda'||^2 / 2 for the squared loss."""
    flat_l = [v / scale for t in lam for v in (t if isinstance(t, tuple) else (t,))]
    flat_y = [v for t in y for v in (t if isinstance(t, tuple) else (t,))]
    return sum((a * b for a, b in zip(flat_l, flat_y)), Fraction(0)) - sum((a * a for a in flat_l), Fraction(0)) / 2


def _sum_is_zero(lam) -> bool:
    if isinstance(lam[0], tuple):
        return all(sum(col, Fraction(0)) == 0 for col in zip(*lam))
    return sum(lam, Fraction(0)) == 0


def prove_support(problem: ExactProblem, support, *, correct: bool = True, max_rounds: int = 20,
                  chunk: int = CHUNK, max_bits: int = MAX_BITS, max_subsets: int = MAX_SUBSETS) -> Proof:
    """Exact proof from a support: ``support`` lists (vertex subset, side, sign of z) triples.

    Solves the KKT system on the support exactly, then checks signs, sum(lambda) = 0, the equality
    on the support and |lambda . column| <= beta over the full dictionary (module docstring). With
    ``correct`` a wrong support is repaired: a coefficient of the wrong sign leaves, the most
    violating column enters, at most ``max_rounds`` times (ConvergenceError after that, naming the
    rounds and the best ratio). Without ``correct`` a failed check returns ``holds=False``.

    >>> problem = exact_problem([[0], [1], [2]], [0, 1, 0], Fraction(1, 10))
    >>> proof = prove_support(problem, [((1,), 1, -1)], correct=False)   # one of the two kinks
    >>> proof.holds, proof.reason.split(":")[0]
    (False, 'dual check fails')
    >>> proof = prove_support(problem, [((1,), 1, -1)])                  # the other one enters
    >>> proof.holds, proof.objective, [str(neuron.coefficient) for neuron in proof.neurons]
    (True, Fraction(17, 100), ['-7/10', '-7/10'])
    """
    if problem.n_outputs > 1:
        raise UnprovableError("prove_support takes one output; vector outputs (T5) go through prove_network")
    support = [(tuple(int(v) for v in s), int(side), int(sigma)) for s, side, sigma in support]
    rounds = 0
    best_ratio = None
    tried_basis = False
    while True:
        solution = _solve_kkt(problem, support, max_bits)
        wrong = [j for j, (key, z) in enumerate(zip(solution.keys, solution.coefficients)) if key[2] * z < 0]
        if wrong:
            reason = (f"signs: {len(wrong)} coefficient(s) solve with the sign opposite to the support's "
                      f"(first on vertices {solution.keys[wrong[0]][0]})")
            if not correct:
                return _failed(problem, solution, reason, rounds)
            basis = None if tried_basis else _sign_consistent_basis(problem, solution, support)
            tried_basis = True
            if basis is not None:  # the same predictions from a sign-consistent basic support
                support = basis
                rounds += 1
                continue
            if rounds >= max_rounds:
                raise ConvergenceError(f"the exact support correction did not close in {rounds} rounds ({reason}); "
                                       f"best dual ratio {best_ratio}; raise max_rounds or refit more accurately")
            support = [key for key in support if key != solution.keys[wrong[0]]]
            rounds += 1
            continue
        sum_ok = not problem.needs_sum_zero or _sum_is_zero(solution.lam)
        scan = dual_scan(problem, solution.lam, chunk=chunk, max_subsets=max_subsets)
        best_ratio = scan.max_ratio if best_ratio is None else min(best_ratio, scan.max_ratio)
        equal = all(sum((a * b for a, b in zip(col, solution.lam)), Fraction(0)) == problem.beta * key[2]
                    for col, key, z in zip(solution.columns, solution.keys, solution.coefficients) if z != 0)
        if sum_ok and equal and scan.max_ratio <= 1:
            return _proof(problem, solution, scan, rounds)
        reason = ("sum(lambda) != 0" if not sum_ok else "equality lambda . column = beta sign(z) fails on the support"
                  if not equal else f"dual check fails: {scan.violations} column(s) with |lambda . column| > beta, "
                  f"max ratio {scan.max_ratio} ~ {float(scan.max_ratio):.6g} on vertices {scan.worst[0]}")
        if not correct:
            return _failed(problem, solution, reason, rounds, scan)
        if rounds >= max_rounds or not sum_ok or not equal or scan.worst is None:
            raise ConvergenceError(
                f"the exact support correction did not close in {rounds} rounds ({reason}); best dual ratio "
                f"{float(best_ratio):.9g}; raise max_rounds or refit more accurately (e.g. method='colgen')")
        subset, side, sign = scan.worst
        # the entering column first: when it is a combination of the support's columns, the basic
        # subset then keeps it and drops an older column (a pivot exchange) instead of looping
        support = [(subset, side, sign)] + [key for key in solution.keys]
        rounds += 1


def _sign_consistent_basis(problem: ExactProblem, solution: _KKTSolution, support: list):
    """A basic support giving the same predictions with every z_j of its column's sign, or None.

    With dependent columns (relu(a) - relu(-a) = a is affine, so pairs of one hyperplane span only
    d + 1 directions) the basic subset that the exact solve picks may give a coefficient the wrong
    sign while another one does not. A vertex of {u >= 0 : K_S diag(sigma) u + c 1 = f} (an LP,
    solved in floats by HiGHS) names such a subset; the exact solve on it decides, so the float
    step can only propose a support, never prove one."""
    from scipy.optimize import linprog

    cols = []
    for subset, side, _ in support:
        column, _, _ = exact_column(problem, subset, side)
        cols.append([float(v) for v in column])
    if not cols:
        return None
    K = np.array(cols).T * np.array([sigma for _, _, sigma in support], dtype=float)
    f = np.array([float(y - l) for y, l in zip(problem.y, solution.lam)])
    A = np.hstack([K, np.ones((problem.n, 1)), -np.ones((problem.n, 1))]) if problem.fit_intercept else K
    res = linprog(np.zeros(A.shape[1]), A_eq=A, b_eq=f, bounds=(0, None), method="highs")
    if res.status != 0:
        return None
    u = res.x[:len(support)]
    # a vertex has at most rank(A) nonzeros; coefficients below the solver's round-off are zeros
    chosen = [key for key, value in zip(support, u) if value > 1e-9 * max(1.0, float(np.max(u)))]
    return chosen if chosen and chosen != support else None


def _neurons(solution: _KKTSolution) -> tuple:
    return tuple(ProvedNeuron(unit_weight=u, unit_bias=v, coefficient=z, subset=key[0], sign=key[1])
                 for key, (u, v), z in zip(solution.keys, solution.units, solution.coefficients) if z != 0)


def _proof(problem: ExactProblem, solution: _KKTSolution, scan: DualScan, rounds: int) -> Proof:
    objective = _objective(solution.lam, solution.coefficients, problem.beta)
    gap = objective - _dual_value(solution.lam, problem.y, Fraction(1))
    holds = gap == 0  # weak duality with the feasible lambda: P - D = 0 is the proof itself
    return Proof(holds=holds, kind=EXACT_RATIONAL, theorem=problem.theorem, scope=_SCOPE[problem.theorem],
                 objective=objective, intercept=solution.intercept, neurons=_neurons(solution),
                 max_ratio=scan.max_ratio, columns_checked=scan.columns_checked, rounds=rounds,
                 reason="" if holds else f"inconsistent: KKT checks pass but P - D(lambda) = {gap}",
                 gap=gap, beta=problem.beta, dimension=problem.d,
                 details={"lambda": tuple(solution.lam), "zero_normals": scan.zero_normals,
                          "dual_check_seconds": scan.seconds, "dropped_dependent": tuple(solution.dropped)})


def _failed(problem, solution, reason, rounds, scan=None) -> Proof:
    objective = _objective(solution.lam, solution.coefficients, problem.beta)
    gap = None
    if scan is not None and (not problem.needs_sum_zero or _sum_is_zero(solution.lam)):
        gap = objective - _dual_value(solution.lam, problem.y, max(Fraction(1), scan.max_ratio))
    return Proof(holds=False, kind=EXACT_RATIONAL, theorem=problem.theorem, scope=_SCOPE[problem.theorem],
                 objective=objective, intercept=solution.intercept, neurons=_neurons(solution),
                 max_ratio=None if scan is None else scan.max_ratio,
                 columns_checked=0 if scan is None else scan.columns_checked, rounds=rounds, reason=reason,
                 gap=gap, beta=problem.beta, dimension=problem.d, details={"lambda": tuple(solution.lam)})


# ---------------------------------------------------------------------------------------------
# a given network, and a float fit
# ---------------------------------------------------------------------------------------------


def _sqrt_upper(value: Fraction) -> Fraction:
    """A rational >= sqrt(value), within a relative 2^-60."""
    if value <= 0:
        return Fraction(0)
    shift = 2**60
    num = value.numerator * shift * shift
    root = math.isqrt(num // value.denominator) + 1
    return Fraction(root, shift)


def prove_network(network, X, y, *, beta, penalty: str = "l1", bias: bool = True, fit_intercept: bool = True,
                  chunk: int = CHUNK, max_bits: int = MAX_BITS, max_subsets: int = MAX_SUBSETS) -> Proof:
    r"""Exact check of a given network (floats at their exact values): holds when the weak-duality gap
    P(network) - D(lambda) is exactly 0 with lambda = y - f(X) dual feasible over the full dictionary.

    P(network) = 1/2 ||f(X) - y||^2 + (beta/2) sum_j (||w_j||_1^2 + ||alpha_j||^2) exactly; when
    sum(lambda) = 0 holds (or is not needed), ``gap`` is the exact rational bound
    P(network) - P* <= P(network) - D(lambda / max(1, t)), t >= the exact dual ratio. For vector
    outputs (T5) t is a rational upper bound on the square root of the exact squared ratio. When
    sum(lambda) != 0 the bound uses the centred lambda (any dual-feasible point gives one), and the
    proof does not hold.

    >>> import numpy as np
    >>> from ga_relu.networks.relu import ReLUNetwork
    >>> net = ReLUNetwork(np.array([[1.0]]), np.array([-1.0]), np.array([-1.0]), c=0.5)
    >>> proof = prove_network(net, [[0], [1], [2]], [0, 1, 0], beta=1)
    >>> proof.holds, proof.gap > 0
    (False, True)
    """
    problem = exact_problem(X, y, beta, penalty=penalty, bias=bias, fit_intercept=fit_intercept, max_bits=max_bits)
    W = np.atleast_2d(np.asarray(network.W))
    b = np.asarray(network.b).ravel()
    alpha = np.asarray(network.alpha)
    c = network.c
    vector = problem.n_outputs > 1
    Wq = [[to_rational(v, "W") for v in row] for row in W]
    bq = [to_rational(v, "b") for v in b] if len(b) else [Fraction(0)] * len(Wq)
    if not bias and any(v != 0 for v in bq):
        raise InvalidInputError("the network has neuron biases but bias=False")
    aq = [[to_rational(v, "alpha") for v in np.atleast_1d(a)] for a in alpha]
    cq = [to_rational(v, "c") for v in np.atleast_1d(c)]
    if not fit_intercept and any(v != 0 for v in cq):
        raise InvalidInputError("the network has an intercept but fit_intercept=False")
    n_out = problem.n_outputs
    if any(len(a) != n_out for a in aq) or len(cq) not in (1, n_out):
        raise InvalidInputError(f"the network's output size does not match y ({n_out} output(s))")
    cq = cq * n_out if len(cq) == 1 else cq
    pre = [[max(sum((w * x for w, x in zip(Wq[j], xi)), Fraction(0)) + bq[j], Fraction(0)) for j in range(len(Wq))]
           for xi in problem.X]
    f = [[cq[o] + sum((pre[i][j] * aq[j][o] for j in range(len(Wq))), Fraction(0)) for o in range(n_out)]
         for i in range(problem.n)]
    yv = [t if vector else (t,) for t in problem.y]
    lam_rows = [tuple(yv[i][o] - f[i][o] for o in range(n_out)) for i in range(problem.n)]
    lam = lam_rows if vector else [r[0] for r in lam_rows]
    _check_bits([v for r in lam_rows for v in r], "the network's residual", max_bits)
    loss = sum((v * v for r in lam_rows for v in r), Fraction(0)) / 2
    reg = sum((sum((abs(w) for w in Wq[j]), Fraction(0)) ** 2 + sum((a * a for a in aq[j]), Fraction(0))
               for j in range(len(Wq))), Fraction(0))
    objective = loss + problem.beta * reg / 2
    sum_ok = not problem.needs_sum_zero or _sum_is_zero(lam)
    dual_point = lam
    if not sum_ok:  # weak duality holds for any feasible dual point: centre lambda for the bound
        if vector:
            means = [sum(col, Fraction(0)) / problem.n for col in zip(*lam)]
            dual_point = [tuple(v - m for v, m in zip(row, means)) for row in lam]
        else:
            mean = sum(lam, Fraction(0)) / problem.n
            dual_point = [v - mean for v in lam]
    scan = dual_scan(problem, dual_point, chunk=chunk, max_subsets=max_subsets)
    ratio_bound = _sqrt_upper(scan.max_ratio) if vector else scan.max_ratio
    gap = objective - _dual_value(dual_point, problem.y, max(Fraction(1), ratio_bound))
    holds = sum_ok and scan.max_ratio <= 1 and gap == 0
    reason = "" if holds else ("sum(lambda) != 0" if not sum_ok else
                               f"dual ratio {float(scan.max_ratio):.9g} > 1" + (" (squared)" if vector else "")
                               if scan.max_ratio > 1 else f"weak-duality gap {float(gap):.3e} > 0 (exact bound "
                               "on P(network) - P*)")
    neurons = []
    for j in range(len(Wq)):
        norm = sum((abs(w) for w in Wq[j]), Fraction(0))
        if norm == 0:
            continue
        z = tuple(a * norm for a in aq[j]) if vector else aq[j][0] * norm
        neurons.append(ProvedNeuron(unit_weight=tuple(w / norm for w in Wq[j]), unit_bias=bq[j] / norm,
                                    coefficient=z))
    return Proof(holds=bool(holds), kind=EXACT_RATIONAL, theorem=problem.theorem, scope=_SCOPE[problem.theorem],
                 objective=objective, intercept=tuple(cq) if vector else cq[0], neurons=tuple(neurons),
                 max_ratio=scan.max_ratio, columns_checked=scan.columns_checked, reason=reason, gap=gap,
                 beta=problem.beta, dimension=problem.d,
                 details={"lambda": tuple(lam), "ratio_squared": vector, "dual_check_seconds": scan.seconds})


def _support_of_fit(result, problem: ExactProblem) -> list:
    """(subset, side, sign z) of the fit's neurons, the side matched to the exact normal's orientation."""
    support = []
    n = problem.n
    for neuron in result.neurons:
        subset = tuple(int(i) for i in neuron.samples) + tuple(n + int(k) for k in neuron.basis)
        subset = tuple(sorted(subset))
        w, b = integer_normals(problem, np.array([list(subset)], dtype=np.intp).reshape(1, -1))
        exact = [float(Fraction(int(v))) for v in w[0]] + ([float(int(b[0]))] if problem.bias else [])
        approx = list(np.ravel(neuron.unit_weight)) + ([float(neuron.unit_bias)] if problem.bias else [])
        side = 1 if float(np.dot(np.sign(exact) * np.abs(exact) / max(np.abs(exact)), approx)) >= 0 else -1
        coef = float(np.ravel(neuron.coefficient)[0])
        support.append((subset, side, 1 if coef > 0 else -1))
    return support


def prove_fit(result, *, X=None, y=None, beta=None, correct: bool = True, max_rounds: int = 20,
              chunk: int = CHUNK, max_bits: int = MAX_BITS, max_subsets: int = MAX_SUBSETS) -> Proof:
    """The exact proof of a :class:`~ga_relu.convex.results.FitResult` (``FitResult.prove``).

    The data, targets and beta are the fit's (floats at their exact binary values) unless ``X``,
    ``y`` or ``beta`` give exact ones (ints, Fractions, sympy Rationals); the float fit's support
    and signs are the start of :func:`prove_support`. Squared loss with the l1 penalty (any penalty
    in 1-D); other losses and weight decay in d >= 2 go to the interval proof when it is available,
    else UnprovableError names what can be done. Vector outputs (T5) give the exact rational gap
    bound of :func:`prove_network` on the fit's network (``holds`` only if that bound is 0).

    Examples
    --------
    >>> import ga_relu
    >>> result = ga_relu.fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], beta=0.1)
    >>> proof = result.prove(beta=Fraction(1, 10))
    >>> proof.holds, proof.theorem, proof.objective, proof.intercept
    (True, 'T3', Fraction(17, 100), Fraction(4, 5))
    """
    settings = result.problem
    d = settings.d
    if settings.loss.name != "squared" or (settings.penalty.name == "l2" and d >= 2):
        return _interval_or_refuse(result, settings)
    problem = exact_problem(settings.X if X is None else X, settings.y if y is None else y,
                            settings.beta if beta is None else beta, penalty=settings.penalty.name,
                            bias=settings.bias, fit_intercept=settings.fit_intercept, max_bits=max_bits)
    if problem.n != settings.n or problem.d != d:
        raise InvalidInputError(f"exact X has shape ({problem.n}, {problem.d}); the fit's data are ({settings.n}, {d})")
    if problem.n_outputs > 1:
        if X is not None or y is not None or beta is not None:
            raise UnprovableError("vector outputs (T5) are checked on the fit's own network and data only")
        return prove_network(result.network, settings.X, settings.y, beta=settings.beta,
                             penalty=settings.penalty.name, bias=settings.bias, fit_intercept=settings.fit_intercept,
                             chunk=chunk, max_bits=max_bits, max_subsets=max_subsets)
    return prove_support(problem, _support_of_fit(result, problem), correct=correct, max_rounds=max_rounds,
                         chunk=chunk, max_bits=max_bits, max_subsets=max_subsets)


def _interval_or_refuse(result, settings):
    import importlib.util

    what = (f"loss={settings.loss.name!r}" if settings.loss.name != "squared" else
            "weight decay (penalty='l2') in d >= 2 (T4)")
    if importlib.util.find_spec("ga_relu.proofs.intervals") is not None:
        from . import intervals

        if hasattr(intervals, "prove_enclosure"):
            return intervals.prove_enclosure(result)
    raise UnprovableError(
        f"no exact rational proof exists for {what}: its optimality conditions involve "
        + ("transcendental functions" if settings.loss.name == "logistic" else "square roots or a non-smooth loss")
        + "; use .certificate() for a dual certificate, or the interval proof (ga_relu.proofs.intervals) where "
          "it is available; exact proofs cover the squared loss with penalty='l1' (T1, T2, T3)")
