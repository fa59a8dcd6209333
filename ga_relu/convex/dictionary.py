"""Wedge-product dictionaries: which subsets of points define neurons, and their feature columns.

A neuron is the ReLU of the (normalized) signed volume spanned by x and a subset S of a vertex set
(theory.md section 3):

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
from ..errors import DegenerateDataError, DictionaryTooLargeError, InvalidInputError
from ..validation import check_random_state
from .penalties import PenaltyName, get_penalty

#: a normal is "vanishing" when ||w|| <= ZERO_NORMAL * (scale of the points)^k
ZERO_NORMAL = 1e-12


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


def build_columns(
    X: np.ndarray, subsets: np.ndarray, penalty: PenaltyName, bias: bool, *, scale: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Normalized (w, b) of the given subsets, dropping vanishing normals.

    Returns (kept_subsets, w, b, degenerate_mask) with ||w||_p = 1 on the kept rows; a normal is
    vanishing when ||w||_p <= 1e-12 scale^k, relative to the points' scale.

    >>> kept, w, b, degenerate = build_columns(np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[0, 1]]), "l1", True)
    >>> w, b
    (array([[-0.5,  0.5]]), array([0.]))
    """
    n, d = X.shape
    V = vertex_set(X, penalty, bias)
    w, b = normals_of_subsets(V, subsets, d, bias)
    norms = get_penalty(penalty).norms(w)
    if scale is None:
        scale = max(1.0, float(np.abs(V).max()))
    k = subsets.shape[1]
    degenerate = norms <= ZERO_NORMAL * scale ** max(k, 1)
    keep = ~degenerate
    return subsets[keep], w[keep] / norms[keep, None], b[keep] / norms[keep], degenerate


def _deduplicate(subsets, w, b) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Drop hyperplanes equal (up to sign, to 10 digits) to an earlier one; keep the first subset."""
    v = np.column_stack([w, b])
    # orient: first non-negligible coordinate positive, so +v and -v collapse
    lead = np.argmax(np.abs(v) > 1e-12, axis=1)
    sign = np.sign(v[np.arange(len(v)), lead])
    key = np.round(v * sign[:, None], 10) + 0.0
    _, first = np.unique(key, axis=0, return_index=True)
    first = np.sort(first)
    return subsets[first], w[first], b[first], len(v) - len(first)


def _chosen_subsets(subsets, n: int, d: int, bias: bool, n_vertices: int, budget: int, random_state,
                    too_large_hint: str | None) -> tuple[np.ndarray, bool]:
    """The vertex subsets of the dictionary (all, sampled or given) and whether they are a sample of
    the full dictionary; DictionaryTooLargeError when their matrix would exceed ``budget`` bytes."""
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
    elif isinstance(subsets, (int, np.integer)) and not isinstance(subsets, bool):
        if subsets < 1:
            raise InvalidInputError(f"subsets must be a positive number of subsets to sample, got {subsets}")
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
        chosen = np.asarray(subsets, dtype=np.intp)
        if chosen.ndim != 2 or chosen.shape[1] != k:
            raise InvalidInputError(
                f"subsets array must have shape (m, {k}) for d = {d}, bias = {bias}; got {chosen.shape}")
        if chosen.size and (chosen.min() < 0 or chosen.max() >= n_vertices):
            raise InvalidInputError(f"subset indices must lie in [0, {n_vertices}) (samples then basis vectors)")
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
    """The wedge dictionary of theory.md T1-T4 for data X (n x d).

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
    budget = options.memory_budget_bytes if memory_budget is None else memory_budget
    chosen, sampled = _chosen_subsets(subsets, n, d, bias, n_vertices, budget, random_state, too_large_hint)
    kept, w, b, degenerate = build_columns(X, chosen, penalty, bias)
    n_duplicates = 0
    if deduplicate and len(kept):
        kept, w, b, n_duplicates = _deduplicate(kept, w, b)
    if len(kept) == 0:
        raise DegenerateDataError(
            f"every one of the {len(chosen)} subsets has a vanishing normal (repeated or collinear points); "
            "check for duplicate samples or use penalty='l1', which adds the basis vectors"
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
    scale = max(1.0, float(np.abs(X).max()))
    for block in iter_subsets(n_vertices, k, chunk):
        kept, w, b, degenerate = build_columns(X, block, penalty, bias, scale=scale)
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
