"""Wedge-product dictionaries: which subsets of points define neurons, and their feature columns.

A neuron is the ReLU of the (normalized) signed volume spanned by x and a subset S of a vertex set
(docs/theory/exact_cases.md):

* no bias, vertices V in R^d, |S| = d - 1:   v_S = cross(S),             column relu(+-X v_S) / ||v_S||_p
* bias, lifted vertices V~ in R^{d+1}, |S| = d:  (w, b) = cross(S~),     column relu(+-(X w + b)) / ||w||_p

The vertex set is the samples plus the standard basis vectors (lifted as (e_k, 0)) for the l1 penalty
(T1/T2: the Lasso is then exactly problem (P)), and the samples only for weight decay (T4: an upper
bound). In 1-D with bias the columns are relu(x - x_k), relu(x_k - x) (T3). Subsets whose normal
vanishes (repeated or collinear points, w = 0) are dropped and counted; subsets giving the same
hyperplane as an earlier one are dropped as duplicates and counted.

Vertex indices: 0..n-1 are samples, n..n+d-1 the basis vectors e_1..e_d.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from typing import Iterator

import numpy as np

from ..algebra.batched import cross_batch
from ..config import options
from ..errors import DegenerateDataError, DictionaryTooLargeError, InvalidInputError, InvalidTypeError
from ..validation import check_random_state
from .penalties import PenaltyName, get_penalty

def vertex_set(X: np.ndarray, penalty: PenaltyName, bias: bool) -> np.ndarray:
    """Rows of the vertex set, lifted to (x, 1) / (e_k, 0) when bias is on.

    >>> vertex_set(np.array([[2.0, 3.0]]), "l1", bias=True)
    array([[2., 3., 1.],
           [1., 0., 0.],
           [0., 1., 0.]])
    """
    n, d = X.shape
    points = np.hstack([X, np.ones((n, 1))]) if bias else X
    if get_penalty(penalty).basis_vertices:
        basis = np.eye(d, points.shape[1])
        points = np.vstack([points, basis])
    return points


def subset_size(d: int, bias: bool) -> int:
    """d vertices (lifted, in R^{d+1}) with bias, d - 1 without.

    >>> subset_size(2, True), subset_size(3, False)
    (2, 2)
    """
    return d if bias else d - 1


def n_candidate_subsets(n: int, d: int, penalty: PenaltyName, bias: bool) -> int:
    """C(|V|, k): the number of subsets the full dictionary enumerates (before dropping), with
    |V| = n samples, plus the d basis vectors for l1, and k = :func:`subset_size`.

    >>> n_candidate_subsets(10, 2, "l1", True), n_candidate_subsets(10, 2, "l2", True)
    (66, 45)
    """
    n_vertices = n + (d if get_penalty(penalty).basis_vertices else 0)
    return math.comb(n_vertices, subset_size(d, bias))


def dictionary_bytes(n: int, n_columns: int) -> int:
    """Memory of the dense float64 feature matrix (n x n_columns): 8 n n_columns bytes.

    >>> dictionary_bytes(100, 10)
    8000
    """
    return 8 * n * n_columns


def iter_subsets(n_vertices: int, k: int, chunk: int) -> Iterator[np.ndarray]:
    """All k-subsets of range(n_vertices) in lexicographic order, as int arrays of <= chunk rows.

    >>> [block.tolist() for block in iter_subsets(4, 2, chunk=4)]
    [[[0, 1], [0, 2], [0, 3], [1, 2]], [[1, 3], [2, 3]]]
    """
    if k == 0:
        yield np.zeros((1, 0), dtype=np.intp)
        return
    if k == 1:
        for start in range(0, n_vertices, chunk):
            yield np.arange(start, min(start + chunk, n_vertices), dtype=np.intp)[:, None]
        return
    if k == 2:  # vectorized: row i pairs with every j > i
        rows: list[np.ndarray] = []
        size = 0
        for i in range(n_vertices - 1):
            js = np.arange(i + 1, n_vertices, dtype=np.intp)
            rows.append(np.column_stack([np.full(js.size, i, dtype=np.intp), js]))
            size += js.size
            if size >= chunk:
                block = np.vstack(rows)
                for s in range(0, len(block) - len(block) % chunk, chunk):
                    yield block[s : s + chunk]
                rest = block[len(block) - len(block) % chunk :]
                rows, size = ([rest], len(rest)) if len(rest) else ([], 0)
        if size:
            yield np.vstack(rows)
        return
    combos = itertools.combinations(range(n_vertices), k)
    while True:
        flat = np.fromiter(itertools.chain.from_iterable(itertools.islice(combos, chunk)), dtype=np.intp)
        if flat.size == 0:
            return
        yield flat.reshape(-1, k)


def sample_subsets(n_vertices: int, k: int, count: int, random_state) -> np.ndarray:
    """`count` distinct k-subsets drawn uniformly (sorted rows, sorted order); all if count >= C(n, k).

    >>> sample_subsets(5, 2, 3, random_state=0).shape
    (3, 2)
    """
    total = math.comb(n_vertices, k)
    if count >= total:
        return np.vstack(list(iter_subsets(n_vertices, k, max(total, 1))))
    rng = check_random_state(random_state)
    found = np.zeros((0, k), dtype=np.intp)
    while len(found) < count:
        draw = np.sort(np.argsort(rng.random((2 * (count - len(found)) + 8, n_vertices)), axis=1)[:, :k], axis=1) \
            if n_vertices <= 64 else _draw_sorted_subsets(rng, n_vertices, k, 2 * (count - len(found)) + 8)
        found = np.unique(np.vstack([found, draw]), axis=0)
    pick = rng.choice(len(found), size=count, replace=False)
    return found[np.sort(pick)]


def _draw_sorted_subsets(rng: np.random.Generator, n_vertices: int, k: int, m: int) -> np.ndarray:
    draw = np.sort(rng.integers(0, n_vertices, size=(m, k)), axis=1)
    distinct = np.all(np.diff(draw, axis=1) > 0, axis=1)
    return draw[distinct]


@dataclasses.dataclass
class Dictionary:
    """Neurons defined by vertex subsets, with unit-norm weights (||w||_p = 1).

    Column j < m is relu(X w_j + b_j); column m + j is relu(-(X w_j + b_j)): the +/- pair of
    subset j. ``subsets[j]`` lists vertex indices (samples < n_samples <= basis vectors).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> dictionary = wedge_dictionary(X, penalty="l2", bias=True)
    >>> dictionary.n_subsets, dictionary.matrix(X).shape
    (3, (3, 6))
    """

    penalty: str
    bias: bool
    n_samples: int
    dim: int
    subsets: np.ndarray  # (m, k) vertex indices
    weights: np.ndarray  # (m, d), ||w||_p = 1
    biases: np.ndarray  # (m,)
    n_candidates: int = 0
    n_degenerate: int = 0
    n_duplicates: int = 0
    sampled: bool = False

    @property
    def n_subsets(self) -> int:
        """m, the subsets (hyperplanes) kept."""
        return len(self.subsets)

    @property
    def n_columns(self) -> int:
        """2 m: each hyperplane gives the pair relu(+-(X w + b))."""
        return 2 * len(self.subsets)

    def __len__(self) -> int:
        return self.n_columns

    def __repr__(self) -> str:
        """Counts, not arrays: the subsets array alone has thousands of rows (``.subsets`` holds it).

        >>> import numpy as np
        >>> wedge_dictionary(np.array([[0.0], [1.0], [2.0]]), penalty="l2", bias=True)
        Dictionary(3 subsets -> 6 columns, penalty='l2', bias=True, n=3, d=1, from 3 candidates)
        """
        dropped = [f"{count} {what} dropped" for count, what in ((self.n_degenerate, "degenerate"),
                                                                  (self.n_duplicates, "duplicate")) if count]
        origin = "sampled" if self.sampled else f"from {self.n_candidates:,} candidates"
        return (f"Dictionary({self.n_subsets:,} subsets -> {self.n_columns:,} columns, penalty={self.penalty!r}, "
                f"bias={self.bias}, n={self.n_samples}, d={self.dim}, {', '.join([origin] + dropped)})")

    def preactivations(self, X: np.ndarray) -> np.ndarray:
        """X w_j + b_j for every subset j: shape (n, m)."""
        return X @ self.weights.T + self.biases

    def matrix(self, X: np.ndarray) -> np.ndarray:
        """Feature matrix [relu(P), relu(-P)], P = preactivations: shape (n, 2m).

        This vectorized path (normals from ``cross_batch``, then one matrix product) is the default:
        benchmarks/bench_symbolic.py measures it 1.0-1.2x faster than the features lambdified from
        the symbolic formula (``ga_relu.explain.symbolic.numeric_feature_function``), which agree to 1e-15.
        """
        m = len(self.subsets)
        K = np.empty((X.shape[0], 2 * m))
        np.matmul(X, self.weights.T, out=K[:, :m])
        K[:, :m] += self.biases
        np.negative(K[:, :m], out=K[:, m:])
        np.maximum(K, 0.0, out=K)
        return K

    def column(self, j: int) -> tuple[np.ndarray, int, np.ndarray, float]:
        """(subset, sign, w, b) of column j; the neuron is relu(sign * (w . x + b))."""
        m = len(self.subsets)
        s = 1 if j < m else -1
        i = j % m
        return self.subsets[i], s, self.weights[i], float(self.biases[i])

    def split_subset(self, subset) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(sample indices, basis indices) of a vertex subset; basis vectors counted from 0."""
        samples = tuple(int(v) for v in subset if v < self.n_samples)
        basis = tuple(int(v) - self.n_samples for v in subset if v >= self.n_samples)
        return samples, basis

    def select(self, rows: np.ndarray) -> "Dictionary":
        """The sub-dictionary of the given subset rows (both signs kept)."""
        return dataclasses.replace(
            self, subsets=self.subsets[rows], weights=self.weights[rows], biases=self.biases[rows]
        )


def normals_of_subsets(V: np.ndarray, subsets: np.ndarray, d: int, bias: bool) -> tuple[np.ndarray, np.ndarray]:
    """(w, b) of each subset's hyperplane: cross products of its (lifted) vertices.

    V holds the vertex rows (lifted when bias); returns w (m, d) and b (m,) unnormalized.

    Examples
    --------
    >>> V = vertex_set(np.array([[0.0, 0.0], [1.0, 1.0]]), "l2", bias=True)
    >>> normals_of_subsets(V, np.array([[0, 1]]), d=2, bias=True)
    (array([[-1.,  1.]]), array([0.]))
    """
    m, k = subsets.shape
    if k == 0:  # d = 1 without bias: the empty cross product in R^1 is e_1
        v = np.ones((m, 1))
    else:
        v = cross_batch(V[subsets])
    if bias:
        return v[:, :d], v[:, d]
    return v, np.zeros(m)


# ---------------------------------------------------------------------------------------------
# normals: fast float path, exact decision for the flagged few
# ---------------------------------------------------------------------------------------------

#: a float normal is decided exactly when its largest w-entry is within FLAG_MARGIN times the
#: rounding-error bound of the cross product (see :func:`cross_error_bound`); every normal kept
#: from the float path is then accurate to a relative 2^-30 (about 1e-9) entry by entry
FLAG_MARGIN = 2.0**30

#: unit roundoff of float64
_UNIT_ROUNDOFF = 2.0**-53


def cross_error_bound(row_l1_products: np.ndarray, k: int) -> np.ndarray:
    r"""A rigorous bound on the float error of every entry of ``cross_batch`` for k vectors.

    Each entry is a k x k minor, the signed sum of k! monomials a_{1 s(1)} ... a_{k s(k)}. The
    grade-raising recursion of :func:`~ga_relu.algebra.batched.cross_batch` forms it with
    M = (k - 1)(k + 2) / 2 roundings along each monomial's path (one product and up to g additions
    at grade g), so every monomial carries a relative error of at most gamma_M = M u / (1 - M u)
    (u = 2^-53; Higham, Accuracy and Stability, ch. 3). The error is then at most gamma_M times the
    sum of the monomials' absolute values (the permanent of |A_J|), which is at most the product of
    the rows' l1 norms:

    .. math:: |\mathrm{fl}(c_J) - c_J| \le \gamma_M \prod_{r=1}^{k} \|a_r\|_1 .

    Above d = 9 numpy's LU takes over; its backward error carries a growth factor up to 2^(k-1),
    so M = 3 k 2^k is used there (very generous, never reached in practice: such dictionaries are
    far beyond any memory budget).

    Examples
    --------
    >>> float(cross_error_bound(np.array([1.0]), 2)[0]) == 2 * 2.0**-53 / (1 - 2 * 2.0**-53)
    True
    """
    from ..algebra.batched import _RECURSION_MAX_DIM

    roundings = (k - 1) * (k + 2) // 2 if k + 1 <= _RECURSION_MAX_DIM else 3 * k * 2**k
    gamma = roundings * _UNIT_ROUNDOFF / (1.0 - roundings * _UNIT_ROUNDOFF)
    return gamma * row_l1_products


def _power_of_two_exponents(magnitudes: np.ndarray) -> np.ndarray:
    """e with magnitudes * 2^-e in [0.5, 1) (0 where the magnitude is 0)."""
    _, exponents = np.frexp(magnitudes)
    return np.where(magnitudes > 0, exponents, 0).astype(np.int64)


def exact_translation(X: np.ndarray, bias: bool) -> np.ndarray | None:
    r"""A per-coordinate shift c with x_ij - c_j EXACT in floating point for every sample, taken
    where a coordinate sits far from the origin relative to its spread; None when there is none.

    With a bias the neurons relu(x . w + b) of X and of X - c are the same functions (b' = b + c . w),
    so every oracle's maximum is unchanged, but hyperplane normals computed from lifted samples
    (x, 1) with |x| >> spread lose digits to cancellation: at x ~ -1e6 with unit spread a vertex's
    float normal moved its value by 2.5e-6 relative. Sterbenz's lemma makes the shift exact: if
    c <= x <= 2c (c = min_i x_ij > 0), or 2c <= x <= c (c = max_i x_ij < 0), then x - c is a float.
    So the shifted problem is the same problem, and whatever is proved or decided exactly on it
    (normals that vanish, round-off bounds) holds for the data as given. A coordinate whose range
    reaches 2|c| or crosses 0 is left alone: there the spread is at least a third of the largest
    |x|, and cancellation costs at most a factor of about 3.

    Examples
    --------
    >>> X = np.array([[1e6 + 0.5, 0.3], [1e6 + 1.0, -2.0]])
    >>> exact_translation(X, bias=True).tolist(), exact_translation(X, bias=False)
    ([1000000.5, 0.0], None)
    """
    if not bias or X.shape[0] == 0:
        return None
    lo, hi = X.min(axis=0), X.max(axis=0)
    center = np.where((lo > 0) & (hi <= 2 * lo), lo, np.where((hi < 0) & (lo >= 2 * hi), hi, 0.0))
    return center if np.any(center != 0) else None


@dataclasses.dataclass(frozen=True)
class VertexFrame:
    r"""The vertex set rescaled by powers of two, where normals are computed.

    ``rows`` = R V C: every coordinate (feature) scaled by 2^-e_j so that its largest entry over
    the samples lies in [0.5, 1), then every vertex row by 2^-r_i so that its largest entry does.
    Powers of two are exact in floating point (checked), and

    .. math:: \mathrm{cross}(R V_S C) = \Big(\prod_{i \in S} 2^{-r_i}\Big) \det(C)\, C^{-1}\, \mathrm{cross}(V_S),

    so the normal of S in the original coordinates is a positive multiple of C cross(rows_S): the
    hyperplane is the same, and its computation no longer depends on the data's scale (no overflow
    at 1e150, no underflow at 1e-150, no loss of a feature of scale 1e-3 next to one of 1e3).

    ``column_shift[j]`` = -e_j - max_t(-e_t) <= 0: C's diagonal up to one common power of two is
    2^column_shift (the lifted coordinate has e = 0); ``column_scale`` holds those powers as floats
    (0 where they underflow, which only the exact path below then sees correctly).

    Examples
    --------
    >>> frame = VertexFrame.of(np.array([[4.0, 0.001], [1.0, 0.0]]), "l2", bias=True)
    >>> frame.rows  # columns by 1/8, 512, 1; then each row halved: its largest entry in [0.5, 1)
    array([[0.25  , 0.256 , 0.5   ],
           [0.0625, 0.    , 0.5   ]])
    >>> frame.column_shift.tolist()  # C = diag(1/8, 512, 1) / 512
    [-12, 0, -9]

    Far from the origin the samples are first shifted exactly (:func:`exact_translation`):

    >>> far = VertexFrame.of(np.array([[1e6 + 1.0, 0.5], [1e6, -0.5]]), "l2", bias=True)
    >>> far.origin.tolist(), far.rows.tolist()
    ([1000000.0, 0.0], [[0.25, 0.25, 0.5], [0.0, -0.25, 0.5]])
    """

    rows: np.ndarray  # (|V|, D) rescaled vertex rows
    column_shift: np.ndarray  # (D,) int exponents, <= 0
    column_scale: np.ndarray  # (D,) 2^column_shift
    row_l1: np.ndarray  # (|V|,) l1 norms of the rescaled rows
    d: int
    bias: bool
    #: the samples' exact shift c (:func:`exact_translation`, None: none): rows are built from x - c,
    #: and a normal (w, b') of the shifted samples is (w, b' - c . w) of the samples as given
    origin: np.ndarray | None = None

    @classmethod
    def of(cls, X: np.ndarray, penalty: PenaltyName, bias: bool) -> "VertexFrame":
        """The frame of the vertex set of X (samples, and the basis vectors for l1)."""
        origin = exact_translation(X, bias)
        if origin is not None:
            X = X - origin  # exact (Sterbenz), and the same hyperplanes up to b' = b + c . w
        V = vertex_set(X, penalty, bias)
        d = X.shape[1]
        col_exp = np.zeros(V.shape[1], dtype=np.int64)
        if X.shape[0]:
            col_exp[:d] = _power_of_two_exponents(np.abs(X).max(axis=0))
        scaled = np.ldexp(V, -col_exp)
        row_exp = _power_of_two_exponents(np.abs(scaled).max(axis=1, initial=0.0))
        rows = np.ldexp(scaled, -row_exp[:, None])
        # exact unless an entry went subnormal and lost bits: then compute in the original frame
        if not np.array_equal(np.ldexp(np.ldexp(rows, row_exp[:, None]), col_exp), V):
            rows, col_exp = V, np.zeros_like(col_exp)
        shift = -col_exp - (-col_exp).max()  # C = diag(2^-e_j), its largest entry made 1
        return cls(rows=rows, column_shift=shift, column_scale=np.ldexp(1.0, shift),
                   row_l1=np.abs(rows).sum(axis=1), d=d, bias=bias, origin=origin)

    def exact_cross(self, subset) -> list:
        """cross(rows_S) in exact rational arithmetic (python-flint), the rows taken at their exact
        binary values: entry t is (-1)^t det(rows_S without column t)."""
        import flint

        A = [[flint.fmpq(*float(x).as_integer_ratio()) for x in self.rows[v]] for v in subset]
        D = self.rows.shape[1]
        k = len(A)
        if k == 0:
            return [flint.fmpq(1)]
        out = []
        for t in range(D):
            minor = flint.fmpq_mat(k, k, [a[c] for a in A for c in range(D) if c != t])
            out.append(minor.det() * (-1) ** t)
        return out

    def exact_normal(self, subset) -> list:
        """C cross(rows_S) exactly: the (unnormalized) (w, b) of S in the original coordinates."""
        import flint

        two = flint.fmpq(2)
        normal = [c * two ** int(s) for c, s in zip(self.exact_cross(subset), self.column_shift)]
        if self.origin is not None:  # back from the shifted samples: b = b' - c . w, exactly
            normal[self.d] -= sum((flint.fmpq(*float(c).as_integer_ratio()) * w
                                   for c, w in zip(self.origin, normal[: self.d])), flint.fmpq(0))
        return normal


def _float_of_exact(normal: list, d: int, bias: bool) -> tuple[np.ndarray, float]:
    """(w, b) rounded to float from an exact normal with w != 0, divided first by its largest |w_j|
    (exactly) so that nothing overflows or underflows."""
    from fractions import Fraction

    entries = [Fraction(int(q.p), int(q.q)) for q in normal]
    top = max(abs(e) for e in entries[:d])
    w = np.array([float(e / top) for e in entries[:d]])
    return w, (float(entries[d] / top) if bias else 0.0)


def _safe_norms(penalty: PenaltyName, w: np.ndarray) -> np.ndarray:
    """||w_j||_p computed on w_j / max|w_j| (no underflow of the squares at tiny scales)."""
    top = np.abs(w).max(axis=1, initial=0.0)
    top = np.where(top > 0, top, 1.0)
    return top * get_penalty(penalty).norms(w / top[:, None])


def build_columns(
    X: np.ndarray, subsets: np.ndarray, penalty: PenaltyName, bias: bool, *, frame: VertexFrame | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""Normalized (w, b) of the given subsets, dropping exactly the vanishing normals (w = 0).

    Returns (kept_subsets, w, b, degenerate_mask) with ||w||_p = 1 on the kept rows. A normal is
    dropped only when it is PROVABLY zero: the cross products are computed in float in the
    power-of-two frame of :class:`VertexFrame`, and a subset is flagged when its largest |w_j| (in
    the original coordinates, C c) is at most ``FLAG_MARGIN`` times the rigorous rounding bound
    (:func:`cross_error_bound`, times max_j C_jj: the bound of every entry of C c). Only the flagged
    subsets are decided exactly (python-flint rationals at the data's exact binary values): an
    exactly zero w is dropped (counted in ``degenerate_mask``), any other is kept with its normal
    recomputed exactly and rounded, so its direction is accurate. Every unflagged normal has entries
    within 2^-30 of its largest one: no scale, per-feature or overall, enters the decision.

    >>> kept, w, b, degenerate = build_columns(np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[0, 1]]), "l1", True)
    >>> w, b
    (array([[-0.5,  0.5]]), array([0.]))
    """
    n, d = X.shape
    frame = VertexFrame.of(X, penalty, bias) if frame is None else frame
    subsets = np.asarray(subsets, dtype=np.intp).reshape(len(subsets), -1)
    k = subsets.shape[1]
    c_w, c_b = normals_of_subsets(frame.rows, subsets, d, bias)
    w = c_w * frame.column_scale[:d]
    b = c_b * frame.column_scale[d] if bias else c_b
    if frame.origin is not None:  # normals of the shifted samples (no cancellation): b = b' - c . w
        b = b - w @ frame.origin
    bound = cross_error_bound(np.prod(frame.row_l1[subsets], axis=1), k) * frame.column_scale[:d].max()
    flagged = np.flatnonzero(np.abs(w).max(axis=1, initial=0.0) <= FLAG_MARGIN * bound) if k else np.zeros(0, int)
    degenerate = np.zeros(len(subsets), dtype=bool)
    for i in flagged:
        normal = frame.exact_normal(subsets[i])
        if all(q == 0 for q in normal[:d]):
            degenerate[i] = True
        else:
            w[i], b[i] = _float_of_exact(normal, d, bias)
    keep = ~degenerate
    w, b = w[keep], b[keep]
    norms = _safe_norms(penalty, w)
    return subsets[keep], w / norms[:, None], b / norms, degenerate


def _duplicate_keys(w: np.ndarray, b: np.ndarray, frame: VertexFrame) -> np.ndarray:
    """An approximate key per hyperplane: (C^-1 w, b) (the frame's coordinates, where every entry
    has the same scale) divided by its largest entry, oriented (first entry above 1e-6 of the
    largest positive, so that +v and -v agree), rounded to 8 digits. Exact duplicates get the same
    key unless float error straddles a rounding boundary (then they are merely both kept)."""
    v = np.column_stack([w, b]) if frame.bias else w
    with np.errstate(over="ignore", invalid="ignore"):  # extreme scale ratios: keys only group
        v = np.ldexp(v, -frame.column_shift[: v.shape[1]])
        v = v / np.abs(v).max(axis=1, keepdims=True)
    # entries below 1e-6 of the largest (relative) do not decide the orientation: float noise there
    lead = np.argmax(np.abs(v) > 1e-6, axis=1)
    sign = np.sign(v[np.arange(len(v)), lead])
    return np.round(v * sign[:, None], 8) + 0.0


def _proportional(u: list, v: list) -> bool:
    """Whether two exact vectors are proportional (u_i v_p == v_i u_p for a pivot p with u_p != 0)."""
    p = next(i for i, q in enumerate(u) if q != 0)
    return v[p] != 0 and all(u[i] * v[p] == v[i] * u[p] for i in range(len(u)))


def _deduplicate(subsets, w, b, frame: VertexFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Drop hyperplanes EXACTLY equal (normals proportional, either sign) to an earlier one; keep
    the first subset of each. Candidates are grouped by :func:`_duplicate_keys`; within a group,
    the exact normals (python-flint) decide, so distinct hyperplanes are never merged."""
    if len(subsets) < 2:
        return subsets, w, b, 0
    _, group = np.unique(_duplicate_keys(w, b, frame), axis=0, return_inverse=True)
    group = group.ravel()
    sizes = np.bincount(group)
    drop = np.zeros(len(subsets), dtype=bool)
    for g in np.flatnonzero(sizes > 1):
        members = np.flatnonzero(group == g)  # in the original order: the first one is kept
        classes: list[list] = []
        for i in members:
            normal = frame.exact_cross(subsets[i])
            if any(_proportional(rep, normal) for rep in classes):
                drop[i] = True
            else:
                classes.append(normal)
    keep = ~drop
    return subsets[keep], w[keep], b[keep], int(drop.sum())


#: what ``subsets=`` takes, for the error messages
_SUBSETS_EXPECTED = "an int number of subsets to sample, or an (m, k) integer array of vertex indices"


def check_memory_budget(memory_budget) -> int:
    """The memory budget in bytes: ``ga_relu.options.memory_budget_bytes`` for None, else a whole
    number of bytes >= 1 (bools, floats and strings refused with InvalidTypeError).

    >>> check_memory_budget(2**20)
    1048576
    >>> check_memory_budget("x")
    Traceback (most recent call last):
    ...
    ga_relu.errors.InvalidTypeError: memory_budget must be a whole number of bytes (an int) or None for ga_relu.options.memory_budget_bytes, got 'x'
    """
    import numbers

    if memory_budget is None:
        return int(options.memory_budget_bytes)
    if isinstance(memory_budget, (bool, np.bool_)) or not isinstance(memory_budget, numbers.Integral):
        raise InvalidTypeError("memory_budget must be a whole number of bytes (an int) or None for "
                               f"ga_relu.options.memory_budget_bytes, got {memory_budget!r}")
    if memory_budget < 1:
        raise InvalidInputError(f"memory_budget must be a positive number of bytes, got {memory_budget}")
    return int(memory_budget)


def _given_subsets(subsets, k: int, d: int, bias: bool, n_vertices: int) -> np.ndarray:
    """An (m, k) array of vertex indices, checked: integers (never truncated floats), in range."""
    try:
        given = np.asarray(subsets)
    except (TypeError, ValueError) as exc:
        raise InvalidTypeError(f"subsets must be {_SUBSETS_EXPECTED}; got {subsets!r} ({exc})") from None
    if given.ndim == 0:
        raise InvalidTypeError(f"subsets must be {_SUBSETS_EXPECTED}; got {subsets!r} of type "
                               f"{type(subsets).__name__}")
    if given.size and given.dtype.kind not in "iu":
        raise InvalidTypeError(
            f"subsets must be {_SUBSETS_EXPECTED}; got an array of dtype {given.dtype} (vertex indices are "
            "never rounded or truncated: pass them as ints, e.g. subsets.astype(int) after checking them)")
    given = given.astype(np.intp)
    if given.ndim != 2 or given.shape[1] != k:
        raise InvalidInputError(
            f"subsets must be {_SUBSETS_EXPECTED}, with k = {k} for d = {d}, bias = {bias}; got an array of "
            f"shape {given.shape}")
    if given.size and (given.min() < 0 or given.max() >= n_vertices):
        raise InvalidInputError(f"subset indices must lie in [0, {n_vertices}) (samples then basis vectors)")
    return given


def _chosen_subsets(subsets, n: int, d: int, bias: bool, n_vertices: int, budget: int, random_state,
                    too_large_hint: str | None) -> tuple[np.ndarray, bool]:
    """The vertex subsets of the dictionary (all, sampled or given) and whether they are a sample of
    the full dictionary; DictionaryTooLargeError when their matrix would exceed ``budget`` bytes.

    ``subsets``: None (all), a positive int (that many sampled), or an (m, k) integer array. Bools,
    floats, strings and non-integer arrays are refused (InvalidTypeError), never truncated."""
    k = subset_size(d, bias)
    total = math.comb(n_vertices, k)
    sampled = False
    if subsets is None:
        need = dictionary_bytes(n, 2 * total)
        if need > budget:
            raise DictionaryTooLargeError(
                f"the full wedge dictionary has {2 * total:,} columns ({need / 2**30:.2f} GiB as a dense "
                f"{n} x {2 * total} float64 matrix), above the memory budget of {budget / 2**30:.2f} GiB; "
                + (too_large_hint or "use fit(..., method='colgen') for the exact optimum without the full matrix, "
                   "subsets=K for a sampled upper bound, or raise ga_relu.options.memory_budget_bytes")
            )
        chosen = np.vstack(list(iter_subsets(n_vertices, k, max(total, 1))))
    elif isinstance(subsets, (bool, np.bool_)) or isinstance(subsets, (str, bytes, float, np.floating)):
        raise InvalidTypeError(f"subsets must be {_SUBSETS_EXPECTED}; got {subsets!r} of type "
                               f"{type(subsets).__name__}")
    elif isinstance(subsets, (int, np.integer)):
        if subsets < 1:
            raise InvalidInputError(f"subsets must be {_SUBSETS_EXPECTED}; an int must be at least 1 "
                                    f"(a positive number of subsets to sample), got {subsets}")
        need = dictionary_bytes(n, 2 * min(int(subsets), total))
        if need > budget:
            raise DictionaryTooLargeError(
                f"subsets={subsets} gives up to {2 * int(subsets):,} columns ({need / 2**30:.2f} GiB), above "
                f"the memory budget of {budget / 2**30:.2f} GiB; "
                + (too_large_hint or "sample fewer subsets or use method='colgen' (without subsets=)")
            )
        chosen = sample_subsets(n_vertices, k, int(subsets), random_state)
        sampled = int(subsets) < total
    else:
        chosen = _given_subsets(subsets, k, d, bias, n_vertices)
        sampled = True
    return chosen, sampled


def wedge_dictionary(
    X,
    *,
    penalty: PenaltyName = "l1",
    bias: bool = True,
    subsets: int | np.ndarray | None = None,
    random_state=None,
    memory_budget: int | None = None,
    deduplicate: bool = True,
    too_large_hint: str | None = None,
) -> Dictionary:
    """The wedge dictionary of docs/theory/exact_cases.md and docs/theory/weight_decay.md for data X (n x d).

    ``subsets=None`` enumerates all C(|V|, k) subsets; an int samples that many distinct subsets
    uniformly (the randomized method of Wang et al.: an upper bound); an (m, k) array uses exactly
    those vertex subsets. Raises DictionaryTooLargeError when the dense feature matrix would exceed
    ``memory_budget`` bytes (default ``ga_relu.options.memory_budget_bytes``); its fix names the
    options of :func:`ga_relu.fit`, unless the caller passes its own ``too_large_hint``.

    Column pairs relu(+-(X w_S + b_S)), (w_S, b_S) = cross(lifted vertices of S) / ||w_S||_p.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> dictionary = wedge_dictionary(X, penalty="l1", bias=True)
    >>> dictionary.n_candidates, dictionary.n_subsets + dictionary.n_degenerate + dictionary.n_duplicates
    (10, 10)
    """
    from ..validation import check_matrix

    X = check_matrix(X)
    penalty = get_penalty(penalty).name
    n, d = X.shape
    n_vertices = n + (d if get_penalty(penalty).basis_vertices else 0)
    budget = check_memory_budget(memory_budget)
    chosen, sampled = _chosen_subsets(subsets, n, d, bias, n_vertices, budget, random_state, too_large_hint)
    frame = VertexFrame.of(X, penalty, bias)
    kept, w, b, degenerate = build_columns(X, chosen, penalty, bias, frame=frame)
    n_duplicates = 0
    if deduplicate and len(kept):
        kept, w, b, n_duplicates = _deduplicate(kept, w, b, frame)
    if len(kept) == 0:
        hint = ("check for duplicate samples, or use penalty='l1', which adds the basis vectors"
                if not get_penalty(penalty).basis_vertices else "check for duplicate samples")
        raise DegenerateDataError(
            f"every one of the {len(chosen)} subsets has an exactly vanishing normal w = 0 (its vertices are "
            f"linearly dependent: repeated points, or collinear ones in 2-D); {hint}"
        )
    return Dictionary(
        penalty=penalty,
        bias=bias,
        n_samples=n,
        dim=d,
        subsets=kept,
        weights=w,
        biases=b,
        n_candidates=len(chosen),
        n_degenerate=int(degenerate.sum()),
        n_duplicates=n_duplicates,
        sampled=sampled,
    )


def iter_dictionary_chunks(
    X: np.ndarray, *, penalty: PenaltyName, bias: bool, chunk: int | None = None
) -> Iterator[Dictionary]:
    """The full dictionary streamed in chunks of at most ``chunk`` subsets (no deduplication):
    for pricing and certificates without materializing the whole matrix.

    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> [block.n_candidates for block in iter_dictionary_chunks(X, penalty="l1", bias=True, chunk=4)]
    [4, 4, 2]
    """
    n, d = X.shape
    k = subset_size(d, bias)
    n_vertices = n + (d if get_penalty(penalty).basis_vertices else 0)
    chunk = options.chunk_columns if chunk is None else chunk
    frame = VertexFrame.of(X, penalty, bias)
    for block in iter_subsets(n_vertices, k, chunk):
        kept, w, b, degenerate = build_columns(X, block, penalty, bias, frame=frame)
        yield Dictionary(
            penalty=penalty, bias=bias, n_samples=n, dim=d, subsets=kept, weights=w, biases=b,
            n_candidates=len(block), n_degenerate=int(degenerate.sum()),
        )


def describe_hyperplane(samples, basis=(), *, d: int, bias: bool, sign: int = 1) -> str:
    """Plain-text geometry of the hyperplane through vertices (0-based ``samples`` and ``basis``).

    >>> describe_hyperplane((6, 11), d=2, bias=True)
    'line through x_7 and x_12'
    >>> describe_hyperplane((2,), (1,), d=2, bias=True)
    'line through x_3 parallel to e_2'
    """
    names = [f"x_{i + 1}" for i in samples]
    axes = [f"e_{k + 1}" for k in basis]
    lifted = bias
    if d == 1:
        if names:
            return f"breakpoint at {names[0]}"
        return "relu(x)" if sign > 0 else "relu(-x)"
    kind = {2: "line", 3: "plane"}.get(d, "hyperplane")
    parts = " and ".join(names) if len(names) <= 2 else ", ".join(names)
    if lifted:
        if axes:
            where = f"through {parts} " if names else ""
            return f"{kind} {where}parallel to {', '.join(axes)}".replace("  ", " ")
        return f"{kind} through {parts}"
    spanned = names + axes
    return f"{kind} through the origin and {', '.join(spanned)}" if spanned else f"{kind} through the origin"


def subset_ranks(subsets: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Colex rank sum_t C(s_t, t + 1) of each sorted subset row: distinct subsets, distinct ranks.

    Examples
    --------
    >>> from math import comb
    >>> table = np.array([[comb(v, t) for t in range(3)] for v in range(3)])  # table[v, t] = C(v, t)
    >>> subset_ranks(np.array([[0, 1], [0, 2], [1, 2]]), table)
    array([0, 1, 2])
    """
    subsets = np.asarray(subsets, dtype=np.intp)
    rank = np.zeros(len(subsets), dtype=table.dtype)
    for t in range(subsets.shape[1]):
        rank += table[subsets[:, t], t + 1]
    return rank
