r"""Exact weight decay in the plane and in 3-D by column generation over activation patterns.

The cone program of exact weight decay (:mod:`ga_relu.convex.exact`) has one block pair
(v_D, u_D) per activation pattern D, constrained to the closed cone {(2D - I) X~ v >= 0}:

.. math::

    \min\; L\Big(\sum_{D \in \mathcal{W}} D \tilde X (v_D - u_D) + c,\; y\Big)
    + \beta \sum_{D \in \mathcal{W}} \big(\|v_D[:d]\|_2 + \|u_D[:d]\|_2\big).

Any working set W of patterns gives a network whose value in (P) is that program's value: an
upper bound on inf (P). Enumerating every chamber up front (tens of thousands at n = 160 in the
plane, ~n^3 / 3 in 3-D: 20,000 at n = 40) is what makes the full program slow; most blocks are
zero at the optimum.

Column generation solves the program on a small W and prices with the exact dual constraint of
(P): for lambda = -dL/df at the network's predictions, M(lambda) = max_{||w||_2 <= 1, b}
|lambda . relu(X w + b)| is computed exactly (a proved upper bound, round-off included) by the
angular sweep in the plane (:func:`ga_relu.convex.angular_sweep.angular_sweep`, O(n^2 log n)) and
by the sphere sweep in 3-D (:func:`ga_relu.certification.sphere_sweep.sphere_sweep`,
O(n^3 log n)). Then

* weak duality (:func:`ga_relu.convex.duality.gap_bound`) bounds P(network) - inf (P) from
  lambda and M(lambda), whatever W is; when that bound is within ``tol`` |objective| the loop stops
  with the optimum of (P) to that relative accuracy;
* otherwise the sweep's violating neurons (|lambda . h| > beta: in the plane each anchor's best
  arc, in 3-D each pencil's best circle arc and region critical point, distinct patterns, the best
  ``batch``) give their activation patterns (each with the samples on its hyperplane both off and
  on) to W. A pattern already in W cannot be violated at the restricted optimum (its own dual
  constraint holds there), so every round adds new patterns and the loop ends after finitely many
  rounds.

What makes it fast (two-spiral data, n = 160, beta = 0.01: the cvxpy program over every sample's
constraint took > 15 minutes and 23+ rounds; this takes 9-11 rounds, ~26 s of CPU on a loaded
2-core machine):

* **facet rows only.** A pattern's cone {v : s_i x~_i . v >= 0} in R^3 has a handful of facets
  (5-7 of 160 on random data); :func:`cone_facets` finds them as the vertices of a 2-D convex hull
  and the program carries only those rows, ~5x fewer. In 3-D with a bias (cones in R^4, a 3-D
  hull) ~7x fewer rows: the restricted solves ~5x faster, the whole fit 1.6x at n = 80
  (benchmarks/bench_l2_certificate.py);
* **no modelling layer.** For the squared loss the program goes to Clarabel as matrices
  (:func:`_solve_squared`), with the predictions as n equality rows;
* **every anchor's best arc per round, idle patterns dropped once** (:meth:`_WorkingSet.prune`):
  few rounds, and a program of a few hundred patterns rather than thousands;
* **a polish before the bound** (:func:`_polished_network`): an interior point meets its
  conditions to ~1e-8, which leaves the ratio at 1 + 1e-5 and the gap bound above 1e-6 relative.
  The neurons' directions are snapped to what optimality prescribes for the samples on their
  hyperplanes (d samples: the wedge normal; fewer: the stationary direction of G . v among the
  unit v through them, +-G/||G|| for one, :func:`_snapped_directions`) and the magnitudes of the
  old and snapped directions are re-solved as a Lasso through its dual (unique lambda even on
  dependent columns). The polished network is used only when its own exact gap bound is smaller.
  In 3-D it takes the gap bound from 1e-7 - 1e-6 (n = 40, 80: just under tol, with 50-85 neurons of
  interior-point noise) to ~1e-11 with the optimum's 10-14 neurons.

None of these shortcuts enters the stopping test: the gap bound is computed from the returned
network's own dual vector and the exhaustive sweep, whatever the working set, the dropped rows or
the polish did.

The result's ``info`` records the rounds, the working-set sizes, the final gap bound and the
seconds per phase; the fit is checked independently by ``.certificate()`` (the same exact oracle,
from the network alone).

>>> import numpy as np
>>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.2]])
>>> problem = Problem(X, [0.0, 1.0, 1.0, 0.0, 0.3], beta=0.1, penalty="l2")
>>> result = solve_pattern_colgen(problem)
>>> result.method, bool(result.info["relative_gap_bound"] <= 1e-6)
('exact_colgen', True)

In 3-D (the sphere sweep prices):

>>> X3 = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 1.0]])
>>> result = solve_pattern_colgen(Problem(X3, [0.0, 1.0, 1.0, 0.5, 0.2], beta=0.05, penalty="l2"))
>>> bool(result.info["relative_gap_bound"] <= 1e-6), result.case.description.endswith("sphere sweep")
(True, True)
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from ..errors import ConvergenceError, InvalidInputError, SolverError
from ..networks.relu import ReLUNetwork
from .angular_sweep import angular_sweep, sweep_patterns
from .chambers import lift, samples_on_hyperplane
from .dictionary import Dictionary
from .duality import gap_bound
from .problem import Problem
from .results import Case, FitResult, Neuron
from .solvers import solve_cone_program

__all__ = ["PATTERN_COLGEN_OPTIONS", "solve_pattern_colgen"]

#: the options ``fit(method="exact_colgen")`` takes
PATTERN_COLGEN_OPTIONS = ("tol", "max_iter", "batch", "polish_below", "drop_after")

#: the smallest blocks, together at most this fraction of the total weight, are solver noise
#: (interior-point solutions have every block ~1e-10 rather than 0)
_BLOCK_NOISE = 1e-10
_EPS = float(np.finfo(float).eps)


def _hull(Z: np.ndarray):
    """The convex hull of the points Z (m, k - 1), k - 1 >= 2 (qhull), or None when qhull cannot
    build it (the points lie in a lower-dimensional flat: the caller keeps every row)."""
    from scipy.spatial import ConvexHull, QhullError

    try:
        return ConvexHull(Z)
    except (QhullError, ValueError):
        return None


#: a constraint is kept when its point lies within this fraction of the point set's radius of the
#: hull's boundary: round-off in the projection is ~1e-15 of that radius, so only constraints that
#: are redundant by a clear margin are dropped (keeping a redundant one costs a row, nothing more)
_FACET_KEEP = 1e-9


def cone_facets(A: np.ndarray, inside: np.ndarray) -> np.ndarray:
    r"""Rows of A that may define facets of the cone C = {v : A v >= 0}, given ``inside`` with
    A inside > 0 (an interior point); every other row is implied by them.

    The facets of C are the extreme rays of the cone generated by the rows a_i. Scaling each row
    to p_i = a_i / (a_i . inside) puts them on the affine plane {p : p . inside = 1}; a row whose
    point lies in the convex hull of the others is a nonnegative combination of them (the weights
    of the hull combination times a_i . inside > 0), so a_i . v >= 0 follows. In R^k the hull is
    (k - 1)-dimensional: an interval (the plane without a bias), a polygon (the plane with a bias,
    3-D without), a polytope (3-D with a bias), built by qhull. Rows within ``_FACET_KEEP`` of the
    hull's boundary are kept too (the test is generous: dropping is the only risky direction, and
    qhull's facets are accurate to round-off far below that margin).

    Examples
    --------
    >>> A = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
    >>> cone_facets(A, np.array([1.0, 1.0])).tolist()  # x >= 0 and y >= 0 imply the others
    [0, 1]
    """
    A = np.asarray(A, dtype=float)
    n, k = A.shape
    slack = A @ inside
    if n <= k or not np.all(slack > 0):
        return np.arange(n)
    unit = inside / np.linalg.norm(inside)
    # an orthonormal basis of the complement of ``inside``: the plane's coordinates
    basis = np.linalg.svd(unit[None, :])[2][1:].T
    Z = (A / slack[:, None]) @ basis
    radius = float(np.abs(Z).max(initial=0.0))
    tol = _FACET_KEEP * max(radius, np.finfo(float).tiny)
    if k == 2:
        z = Z[:, 0]
        return np.flatnonzero((z <= z.min() + tol) | (z >= z.max() - tol))
    hull = _hull(Z)
    if hull is None or len(hull.vertices) < k:  # (nearly) flat points: C is not pointed; keep every row
        return np.arange(n)
    # qhull's facets as unit outward normals e[:-1] with offsets e[-1] (e . (z, 1) <= 0 inside): the
    # distance of each point inside the hull from its boundary
    distance = np.min(-(Z @ hull.equations[:, :-1].T + hull.equations[:, -1]), axis=1)
    keep = distance <= tol
    keep[hull.vertices] = True
    return np.flatnonzero(keep)


def _inside_point(lifted: np.ndarray, pattern: np.ndarray, neuron: np.ndarray | None, bias: bool) -> np.ndarray | None:
    """A point strictly inside the cone of ``pattern`` near the neuron v0 = (w, b) the pattern came
    from, or None (the caller then keeps every constraint).

    v0 lies in the closed cone, with the samples on its hyperplane at slack ~0. Moving it by
    eps delta, where every such sample has s_i x~_i . delta > 0 -- delta = +-e_b with a bias (every
    x~_i . e_b = 1), else the least-squares solution of s_i x~_i . delta = 1 over those samples
    (exact when they are independent) -- with eps half the smallest other slack divided by the
    largest |s_i x~_i . delta|, keeps every other slack positive."""
    if neuron is None:
        return None
    signs = np.where(pattern, 1.0, -1.0)
    A = signs[:, None] * lifted
    slack = A @ neuron
    scale = np.abs(lifted) @ np.abs(neuron)
    # the samples on the neuron's hyperplane: the tolerance of sweep_patterns (16 ulps of the terms)
    plane = slack <= 16 * _EPS * scale
    if not plane.any():
        return neuron if np.all(slack > 0) else None
    if plane.all():
        return None
    k = lifted.shape[1]
    if bias:
        delta = np.zeros(k)
        delta[-1] = 1.0
    else:
        delta = np.linalg.lstsq(A[plane], np.ones(int(plane.sum())), rcond=None)[0]
    turn = A[plane] @ delta
    if np.all(turn < 0):
        delta, turn = -delta, -turn
    if not np.all(turn > 0):
        return None
    eps = 0.5 * float(slack[~plane].min()) / float(np.abs(A @ delta).max())
    inside = neuron + eps * delta
    # a usable interior point: every slack positive by more than round-off of its terms
    margin = A @ inside
    if not np.all(margin > 64 * _EPS * (np.abs(lifted) @ np.abs(inside))):
        return None
    return inside


class _WorkingSet:
    """The patterns of the working set and, per pattern, the samples whose constraints may define
    its cone's facets (:func:`cone_facets`); the others are implied and left out of the program."""

    def __init__(self, problem: Problem):
        self.lifted = lift(problem.X, problem.bias)
        self.bias = problem.bias
        self.patterns: list[np.ndarray] = []
        self.facets: list[np.ndarray] = []
        self.known: set = set()
        self.facet_seconds = 0.0
        self.unreduced = 0  # patterns kept with every constraint (no interior point found)
        self.idle: list[int] = []  # per pattern, consecutive solves with both blocks at zero
        self.dropped: set = set()  # patterns dropped once (a second time they stay)
        self.n_dropped = 0

    def __len__(self) -> int:
        return len(self.patterns)

    def add(self, pattern: np.ndarray, neuron: np.ndarray | None) -> bool:
        key = pattern.tobytes()
        if key in self.known or not pattern.any():
            return False
        self.known.add(key)
        start = time.perf_counter()
        inside = _inside_point(self.lifted, pattern, neuron, self.bias)
        if inside is None:
            facets = np.arange(len(pattern))
            self.unreduced += 1
        else:
            facets = cone_facets(np.where(pattern, 1.0, -1.0)[:, None] * self.lifted, inside)
        self.facet_seconds += time.perf_counter() - start
        self.patterns.append(pattern)
        self.facets.append(facets)
        self.idle.append(0)
        return True

    def prune(self, solution: _Restricted, rounds: int) -> None:
        """Drop the patterns whose blocks were zero (below 1e-9 of the largest) in the last ``rounds``
        solves, once each: the sweep adds a pattern back when its dual constraint is violated
        again, and one that comes back is kept for good, so the loop cannot cycle. Dropping only
        shrinks the program; the gap bound is computed from the network, whatever the working set."""
        if rounds <= 0:
            return
        size = np.maximum(np.abs(solution.V).max(axis=1), np.abs(solution.U).max(axis=1))
        idle = size <= 1e-9 * float(size.max(initial=0.0))
        keep = []
        for j, pattern in enumerate(self.patterns):
            if j < len(idle):
                self.idle[j] = self.idle[j] + 1 if idle[j] else 0
            key = pattern.tobytes()
            if self.idle[j] >= rounds and key not in self.dropped and not pattern.all():
                self.dropped.add(key)
                self.known.discard(key)
                self.n_dropped += 1
            else:
                keep.append(j)
        self.patterns = [self.patterns[j] for j in keep]
        self.facets = [self.facets[j] for j in keep]
        self.idle = [self.idle[j] for j in keep]

    def matrix(self) -> np.ndarray:
        return np.array(self.patterns, dtype=bool)

    def constraint_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """(pattern index, sample index) of every kept cone constraint s_i x~_i . v_D >= 0."""
        owner = np.concatenate([np.full(len(f), j) for j, f in enumerate(self.facets)])
        return owner.astype(np.intp), np.concatenate(self.facets).astype(np.intp)


@dataclasses.dataclass
class _Restricted:
    """The restricted program's solution: blocks V, U (N, k), the constant c, the hinge margin's
    dual (else None), the program's value and the solver's status."""

    V: np.ndarray
    U: np.ndarray
    c: float
    margin_dual: np.ndarray | None
    value: float
    status: str


#: Clarabel's settings for the restricted program: its defaults (1e-8) while the gap is large (the
#: point only proposes patterns), tight (1e-10) near the end -- at 1e-8 the program's dual is too far
#: off there for pricing to find new patterns -- each falling back on the other
_CLARABEL_DEFAULT = {}
_CLARABEL_TIGHT = {"tol_gap_abs": 1e-10, "tol_gap_rel": 1e-10, "tol_feas": 1e-10, "max_iter": 500}


def _solve_squared(problem: Problem, working: _WorkingSet, tight: bool = True) -> _Restricted:
    r"""The restricted program for the squared loss, handed to Clarabel as matrices (no modelling
    layer): variables x = (V, U, s_V, s_U, [c], r), r = predictions - y,

    .. math:: \min \tfrac12 \|r\|^2 + \beta \textstyle\sum (s_V + s_U) \quad\text{s.t.}\quad
              r - \sum_D D \tilde X (v_D - u_D) - c = -y,\; s_i \tilde x_i \cdot v_D \ge 0
              \text{ (facet rows)},\; \|v_D[:d]\| \le s_{V,D},\; \|u_D[:d]\| \le s_{U,D}.
    """
    import clarabel
    from scipy import sparse

    X, y, n, d = working.lifted, problem.y, problem.n, problem.d
    k = X.shape[1]
    D = working.matrix()
    N = len(D)
    nv = N * k
    o_s = 2 * nv
    o_c = o_s + 2 * N
    n_c = 1 if problem.fit_intercept else 0
    o_r = o_c + n_c
    nx = o_r + n
    # equality rows: the predictions
    samples, patterns = np.nonzero(D.T)
    rows, cols, vals = [], [], []
    for sign, base in ((-1.0, 0), (1.0, nv)):
        for l in range(k):
            rows.append(samples)
            cols.append(base + patterns * k + l)
            vals.append(sign * X[samples, l])
    if n_c:
        rows.append(np.arange(n)), cols.append(np.full(n, o_c)), vals.append(-np.ones(n))
    rows.append(np.arange(n)), cols.append(o_r + np.arange(n)), vals.append(np.ones(n))
    # cone rows, -s_i x~_i . v <= 0
    owner, sample = working.constraint_rows()
    m = len(owner)
    signs = np.where(D[owner, sample], 1.0, -1.0)
    for block, base in enumerate((0, nv)):
        for l in range(k):
            rows.append(n + block * m + np.arange(m))
            cols.append(base + owner * k + l)
            vals.append(-signs * X[sample, l])
    # second-order cones (s, v[:d]) per block, V blocks then U blocks
    o_soc = n + 2 * m
    blocks = np.arange(2 * N)
    base = np.where(blocks < N, blocks * k, nv + (blocks - N) * k)
    rows.append(o_soc + blocks * (d + 1)), cols.append(o_s + blocks), vals.append(-np.ones(2 * N))
    for l in range(d):
        rows.append(o_soc + blocks * (d + 1) + 1 + l), cols.append(base + l), vals.append(-np.ones(2 * N))
    n_rows = o_soc + 2 * N * (d + 1)
    A = sparse.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_rows, nx))
    b = np.zeros(n_rows)
    b[:n] = -y
    P = sparse.csc_matrix((np.ones(n), (o_r + np.arange(n), o_r + np.arange(n))), shape=(nx, nx))
    q = np.zeros(nx)
    q[o_s:o_c] = problem.beta
    cones = [clarabel.ZeroConeT(n), clarabel.NonnegativeConeT(2 * m)] + [clarabel.SecondOrderConeT(d + 1)] * (2 * N)
    solution = None
    for attempt in (_CLARABEL_TIGHT, _CLARABEL_DEFAULT) if tight else (_CLARABEL_DEFAULT, _CLARABEL_TIGHT):
        settings = clarabel.DefaultSettings()
        settings.verbose = False
        for name, value in attempt.items():
            setattr(settings, name, value)
        found = clarabel.DefaultSolver(P, q, A, b, cones, settings).solve()
        if solution is None or str(found.status) == "Solved":
            solution = found
        if str(solution.status) == "Solved":
            break
    status = str(solution.status)
    if status not in ("Solved", "AlmostSolved"):
        raise ConvergenceError(f"the restricted weight-decay program ({N} patterns) returned Clarabel status {status!r};"
                               " rescale X and y to unit scale or use method='exact'")
    x = np.asarray(solution.x, dtype=float)
    return _Restricted(V=x[:nv].reshape(N, k), U=x[nv:2 * nv].reshape(N, k), c=float(x[o_c]) if n_c else 0.0,
                       margin_dual=None, value=float(solution.obj_val), status=status)


def _solve_cvxpy(problem: Problem, working: _WorkingSet) -> _Restricted:
    """The restricted program for the other losses through cvxpy, with the facet rows only."""
    import cvxpy as cp

    X, y, d = working.lifted, problem.y, problem.d
    D = working.matrix()
    N, k = len(D), X.shape[1]
    V, U = cp.Variable((N, k)), cp.Variable((N, k))
    pred = cp.sum(cp.multiply(D.astype(float), (V - U) @ X.T), axis=0)
    c = cp.Variable() if problem.fit_intercept else None
    if c is not None:
        pred = pred + c
    owner, sample = working.constraint_rows()
    rows = np.where(D[owner, sample], 1.0, -1.0)[:, None] * X[sample]
    cons = [cp.sum(cp.multiply(rows, V[owner, :]), axis=1) >= 0, cp.sum(cp.multiply(rows, U[owner, :]), axis=1) >= 0]
    data, margin = problem.loss.cvxpy_expression(pred, y)
    if margin is not None:
        cons.append(margin)
    reg = cp.sum(cp.norm(V[:, :d], 2, axis=1)) + cp.sum(cp.norm(U[:, :d], 2, axis=1))
    program = cp.Problem(cp.Minimize(data + problem.beta * reg), cons)
    solve_cone_program(program, verbose=False)
    if V.value is None:
        raise ConvergenceError(f"the restricted weight-decay program ({N} patterns) returned status "
                               f"{program.status!r}; rescale X and y to unit scale or use method='exact'")
    return _Restricted(V=np.asarray(V.value, float), U=np.asarray(U.value, float),
                       c=float(c.value) if c is not None else 0.0,
                       margin_dual=None if margin is None else np.asarray(margin.dual_value, float),
                       value=float(program.value), status=str(program.status))


def _solve_restricted(problem: Problem, working: _WorkingSet, tight: bool = True) -> _Restricted:
    if problem.loss.name == "squared":
        return _solve_squared(problem, working, tight)
    return _solve_cvxpy(problem, working)


def _network(problem: Problem, solution: _Restricted, patterns: np.ndarray) -> ReLUNetwork:
    """Blocks -> neurons w = v / sqrt(||v_w||), alpha = +-sqrt(||v_w||); the w ~ 0 part of the
    all-active pattern is a constant (with a bias), the other noise blocks are dropped."""
    d, bias = problem.d, problem.bias
    V, U = solution.V, solution.U
    blocks = np.vstack([V, U])
    signs = np.concatenate([np.ones(len(V)), -np.ones(len(U))])
    norms = np.linalg.norm(blocks[:, :d], axis=1)
    # drop only the smallest blocks whose norms sum to at most _BLOCK_NOISE of the total: together
    # they move every prediction by at most that fraction of sum ||v|| max ||x~||, so lambda (and the
    # pricing, which divides by beta) sees the program's predictions, not a pruned network's
    order = np.argsort(norms)
    dropped = np.cumsum(norms[order]) <= _BLOCK_NOISE * norms.sum()
    keep = np.ones(len(norms), bool)
    keep[order[dropped]] = False
    keep &= norms > 0
    constant = solution.c
    if bias:
        all_active = np.concatenate([patterns.all(axis=1)] * 2)
        constant += float(np.sum((signs * blocks[:, d])[~keep & all_active]))
    scale = np.sqrt(norms[keep])
    W = blocks[keep, :d] / scale[:, None]
    b = blocks[keep, d] / scale if bias else np.zeros(int(keep.sum()))
    network = ReLUNetwork(W.reshape(-1, d), b, signs[keep] * scale, constant)
    if problem.loss.quadratic and problem.needs_sum_zero:
        # the exact minimizer over the free constant: the solver leaves ~1e-8 in sum(lambda)
        network.c = problem.loss.optimal_intercept(network(problem.X) - network.c, problem.y, network.c)
    return network


def _tight_network(problem: Problem, network: ReLUNetwork, lam: np.ndarray, tol: float) -> ReLUNetwork:
    """The network without the neurons that do not attain the dual bound (|lambda . h_j| / beta
    - sign alpha_j off by more than ``tol``): interior-point noise, not part of the optimum. The
    caller keeps the result only if its own gap bound still holds."""
    if network.width == 0:
        return network
    norms = np.linalg.norm(network.W, axis=1)
    H = np.maximum(problem.X @ (network.W / norms[:, None]).T + network.b / norms, 0.0)
    residual = np.abs(H.T @ lam / problem.beta - np.sign(network.alpha))
    keep = residual <= tol
    pruned = ReLUNetwork(network.W[keep], network.b[keep], network.alpha[keep], network.c)
    if problem.loss.quadratic and problem.needs_sum_zero:
        pruned.c = problem.loss.optimal_intercept(pruned(problem.X) - pruned.c, problem.y, pruned.c)
    return pruned


def _dual(problem: Problem, solution: _Restricted, network: ReLUNetwork) -> np.ndarray:
    return problem.loss.dual_from_solver(network(problem.X), problem.y, solution.margin_dual)


#: samples within this fraction of the data's scale of a neuron's hyperplane count as on it when its
#: direction is snapped (the program's point is accurate to ~1e-8: its neurons sit that close to
#: the samples that define them); a wrong snap only adds a column that the Lasso may ignore
_SNAP = 1e-6


def _snapped_directions(problem: Problem, network: ReLUNetwork, lam: np.ndarray) -> np.ndarray:
    r"""The unit neurons (u, c) of the network (rows (u, c); c = 0 without a bias), then each one's
    snapped copy: the stationary direction, for lambda, among the neurons through the same samples.

    With x_k one of the points on the hyperplane (the samples on it, and the origin without a bias)
    and E the span of the others' differences x_i - x_k (the rank is decided to ``_SNAP`` of the
    data's scale), the neurons through all of them are the unit v orthogonal to E, c = -v . x_k,
    on which lambda . relu(X v + c) = G . v near u, G = sum_{i active} lambda_i (x_i - x_k):

    * dim E = d - 1 (two points in the plane, three in 3-D: a wedge neuron): v is E's normal, exactly
      the direction the samples prescribe, on u's side;
    * dim E < d - 1 (one point; two in 3-D, a pencil's circle): the stationary point of G . v on
      that great sphere, v = +-P G / ||P G|| with P the projection orthogonal to E, on u's side;
      with lambda from the last polish this is a fixed-point step;
    * no point on the hyperplane: no copy.

    The originals stay: a snap onto the wrong samples (the program's point is only near them) must
    not lose a neuron the optimum needs.
    """
    X, bias, d = problem.X, problem.bias, problem.d
    norms = np.linalg.norm(network.W, axis=1)
    live = norms > 0
    U, C = network.W[live] / norms[live, None], network.b[live] / norms[live]
    scale = max(float(np.abs(X).max(initial=0.0)), np.finfo(float).tiny)
    out = [np.column_stack([U, C])]
    for u, c in zip(U, C):
        pre = X @ u + c
        on = np.flatnonzero(np.abs(pre) <= _SNAP * scale)
        points = X[on] if bias else np.vstack([np.zeros((1, d)), X[on]])
        if not len(points):
            continue
        anchor = points[0]
        _, singular, basis = np.linalg.svd(points[1:] - anchor) if len(points) > 1 else (None, np.zeros(0), None)
        rank = int(np.sum(singular > _SNAP * scale))
        if rank >= d:  # no hyperplane through the points: not a snap
            continue
        orthogonal = np.eye(d) - (basis[:rank].T @ basis[:rank] if rank else 0.0)
        if rank == d - 1:
            v = orthogonal @ u
        else:
            active = pre > _SNAP * scale
            v = orthogonal @ (lam[active] @ (X[active] - anchor))
        size = float(np.linalg.norm(v))
        if size == 0.0:
            continue
        v = v / size if v @ u >= 0 else -v / size
        out.append(np.append(v, -float(v @ anchor) if bias else 0.0)[None, :])
    return np.vstack(out)


def _squared_magnitudes(K: np.ndarray, y: np.ndarray, beta: float, fit_intercept: bool):
    r"""(z, c) for min_{z,c} ||K z + c - y||^2 / 2 + beta ||z||_1 over a few hundred columns, through
    the dual projection, whose lambda is unique even when the columns are dependent (a neuron and
    its snapped copy, relu(t) - relu(-t) = t): the dual active set
    (:func:`~ga_relu.convex.solvers.squared_lasso_active_set`, a basic primal with exact zeros), and
    Clarabel on the same dual with an NNLS primal (:func:`~ga_relu.convex.solvers.squared_lasso_dual`)
    when it fails. Returns None when both fail; the caller judges the result by its own gap bound
    only."""
    from .solvers import squared_lasso_active_set, squared_lasso_dual

    for solve in (squared_lasso_active_set, squared_lasso_dual):
        try:
            solution = solve(K, y, beta, fit_intercept=fit_intercept)
        except SolverError:
            continue
        return np.asarray(solution.z, dtype=float), float(solution.intercept)
    return None


def _polished_network(problem: Problem, network: ReLUNetwork, lam: np.ndarray, rounds: int = 2) -> ReLUNetwork:
    r"""The best magnitudes for the network's (snapped) directions, by the exact Lasso over their
    columns relu(X u + c):

    .. math:: \min_{z, c_0}\; L(K z + c_0, y) + \beta \|z\|_1, \qquad K_j = \mathrm{relu}(X u_j + c_j),

    a neuron z_j relu(u_j . x + c_j) with ||u_j|| = 1 costing beta |z_j| once balanced (as in the
    cone program). The network's own neurons are among the columns, so the result is never worse
    than the network up to the Lasso solver's accuracy (the caller compares the gap bounds). The
    snapped directions use lambda, so the step is repeated ``rounds`` times with the new lambda."""
    from .solvers import LassoProgram

    X, bias, d = problem.X, problem.bias, problem.d
    best = network
    for _ in range(rounds):
        directions = _snapped_directions(problem, best, lam)
        if not len(directions):
            return best
        # exact duplicates once (a neuron split over adjacent patterns snaps to one direction)
        _, first = np.unique(directions, axis=0, return_index=True)
        directions = directions[np.sort(first)]
        K = np.maximum(X @ directions[:, :d].T + directions[:, d], 0.0)
        found = None
        if problem.loss.name == "squared":
            found = _squared_magnitudes(K, problem.y, problem.beta, problem.needs_sum_zero)
        if found is None:
            solution = LassoProgram(K, problem.y, loss=problem.loss, fit_intercept=problem.needs_sum_zero,
                                    smaller_problem_hint="a larger beta").solve(problem.beta)
            found = (np.asarray(solution.z, dtype=float), float(solution.intercept))
        z, intercept = found
        live = np.flatnonzero(z != 0)
        t = np.sqrt(np.abs(z[live]))
        W = directions[live, :d] * t[:, None]
        b = directions[live, d] * t if bias else np.zeros(len(live))
        best = ReLUNetwork(W.reshape(-1, d), b, np.sign(z[live]) * t, intercept)
        lam = problem.loss.dual_vector(best(X), problem.y)
    return best


@dataclasses.dataclass
class _Priced:
    """The exact oracle's answer for one lambda: ``bound`` >= max_{||w|| <= 1, b} |lambda . relu(X w + b)|
    (proved), and the violating neurons (rows (w, b), or w without a bias) with their patterns,
    the samples on their hyperplanes off (``off``) and on (``on``): each neuron lies in both closed
    cones."""

    bound: float
    neurons: np.ndarray
    off: np.ndarray
    on: np.ndarray


def _price(problem: Problem, lam: np.ndarray, batch: int) -> _Priced:
    """The exact sweep of the dimension on lambda -- the angular sweep in the plane, the sphere sweep
    in 3-D -- with up to ``batch`` violating neurons (|lambda . h| > beta; 0: the bound alone).

    In the plane the candidates are the best arcs of the ``batch`` best anchors, violating by their
    arc bound; in 3-D each pencil's best circle arc and region critical point, violating by their
    value, distinct patterns (:func:`~ga_relu.certification.sphere_sweep.sphere_sweep`). Either way
    the bound is the sweep's full exact bound, whatever the candidates."""
    X, beta, bias = problem.X, problem.beta, problem.bias
    if problem.d == 3:
        from ..certification.sphere_sweep import sphere_sweep

        sweep = sphere_sweep(X, lam, bias=bias, candidates=batch, above=beta)
        W, b = sweep.candidate_weights, sweep.candidate_biases
        return _Priced(sweep.bound, np.column_stack([W, b]) if bias else W, sweep.candidate_patterns_off,
                       sweep.candidate_patterns_on)
    sweep = angular_sweep(X, lam, bias=bias, n_best=max(batch, 1), one_per_anchor=True)
    violating = sweep.arc_bounds > beta
    W, b = sweep.weights[violating][:batch], sweep.biases[violating][:batch]
    # x . w + b > 0, resp. >= 0, up to round-off: the line's samples off, resp. on
    return _Priced(sweep.bound, np.column_stack([W, b]) if bias else W, sweep_patterns(X, W, b),
                   ~sweep_patterns(X, -W, -b))


def _add_patterns(working: _WorkingSet, priced: _Priced) -> int:
    """Add the priced patterns not yet in the working set (each neuron's pattern with the samples
    on its hyperplane off, then on); returns how many were new."""
    added = 0
    for patterns in (priced.off, priced.on):
        for pattern, neuron in zip(patterns, priced.neurons):
            added += working.add(pattern, neuron)
    return added


def _result(problem: Problem, network: ReLUNetwork, lam, patterns, solution: _Restricted, info, solve_time,
            setup_time):
    d, bias = problem.d, problem.bias
    neurons = []
    wn = np.linalg.norm(network.W, axis=1)
    for j in range(network.width):
        w, bj, alpha = network.W[j], float(network.b[j]), float(network.alpha[j])
        neurons.append(Neuron(index=j + 1, samples=samples_on_hyperplane(problem.X, w, bj), basis=(), sign=1,
                              weight=w, bias=bj, output_weight=alpha, coefficient=alpha * wn[j],
                              unit_weight=w / wn[j], unit_bias=bj / wn[j], penalty=problem.penalty.name,
                              has_bias=bias, _points=problem.X))
    m = network.width
    dictionary = Dictionary(penalty=problem.penalty.name, bias=bias, n_samples=problem.n, dim=d,
                            subsets=np.zeros((m, 0), dtype=np.intp), weights=(network.W / wn[:, None]).reshape(m, d),
                            biases=network.b / wn if m else np.zeros(0), n_candidates=len(patterns))
    coefficients = np.concatenate([network.alpha * wn, np.zeros(m)])
    oracle = "sphere sweep" if d == 3 else "angular sweep"
    case = Case("T4", True, f"weight decay: exact cone program, column generation over {len(patterns)} activation "
                            f"patterns priced by the {oracle}")
    return FitResult(network=network, objective=problem.objective(network), neurons=neurons, case=case, problem=problem,
                     method="exact_colgen", dictionary=dictionary, coefficients=coefficients, intercept=network.c,
                     dual=lam, status=solution.status, solve_time=solve_time, setup_time=setup_time,
                     lasso_objective=solution.value, info=info)


def _constant_optimum(problem: Problem, f0: np.ndarray, lam: np.ndarray, priced, tol: float, start: float):
    """The constant network f0 when its own dual vector already certifies it (ratio <= 1 and the
    weak-duality gap within ``tol`` |objective|, or exactly 0, as for constant targets where the
    optimum is 0 and no relative test can pass on the cone program's round-off), else None."""
    ratio = priced.bound / problem.beta
    network = ReLUNetwork(np.zeros((0, problem.d)), np.zeros(0) if problem.bias else None, np.zeros(0), float(f0[0]))
    objective = problem.objective(network)
    bound = gap_bound(problem, lam, ratio, objective, width=0)
    if ratio > 1 or bound.gap is None or bound.gap > tol * abs(objective):
        return None
    info = {"gap_bound": bound.gap, "relative_gap_bound": bound.relative, "dual_ratio": ratio, "n_patterns": 0,
            "rounds": 0, "history": [], "cone_rows": 0, "unreduced_patterns": 0, "dropped_patterns": 0,
            "seconds": {"restricted": 0.0, "pricing": time.perf_counter() - start, "facets": 0.0, "polish": 0.0,
                        "total": time.perf_counter() - start}}
    empty = _Restricted(np.zeros((0, problem.d + problem.bias)), np.zeros((0, problem.d + problem.bias)), float(f0[0]),
                        None, objective, "optimal (the constant network: no neuron is worth its cost)")
    return _result(problem, network, lam, np.zeros((0, problem.n), bool), empty, info, 0.0,
                   time.perf_counter() - start)


def solve_pattern_colgen(problem: Problem, *, tol: float = 1e-6, max_iter: int = 60, batch: int | None = None,
                         polish_below: float = 1e-3, drop_after: int = 1, verbose: bool = False) -> FitResult:
    r"""The exact weight-decay optimum of (P) in the plane or in 3-D by column generation over patterns.

    Parameters
    ----------
    problem : Problem
        Weight decay (penalty "l2"), d = 2 (priced by the angular sweep) or d = 3 (the sphere
        sweep), one output.
    tol : float
        Stop when the weak-duality bound P(network) - inf (P) is at most ``tol`` |objective|
        (relative: the bound is in the objective's units).
    max_iter : int
        Most rounds; :class:`~ga_relu.errors.ConvergenceError` beyond.
    batch : int or None
        Violating neurons of the sweep turned into patterns per round (each gives two patterns). In
        the plane the best arc of each of the ``batch`` best anchors; None: every anchor (measured
        on the two-spiral data, n = 160: 11 rounds against 29 with 40 anchors, and the pruning keeps
        the program small). In 3-D the ``batch`` best candidates of the sphere sweep with distinct
        patterns; None: n of them.
    polish_below : float
        Polish the network (:func:`_polished_network`) once its relative gap bound is below this.
    drop_after : int
        Drop a pattern from the working set after this many solves with zero blocks (once per
        pattern; 0: never).
    verbose : bool
        Print one line per round.

    Returns
    -------
    FitResult
        Method ``"exact_colgen"``, case T4 (exact); ``info``: ``gap_bound``,
        ``relative_gap_bound``, ``dual_ratio`` (M(lambda) / beta, exact), ``n_patterns``,
        ``rounds``, ``history`` (per round: patterns, objective, ratio, gap).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0], [1.0, 3.0]])
    >>> result = solve_pattern_colgen(Problem(X, [0.0, 1.0, 1.0, 0.0, 2.0], beta=0.05, penalty="l2"))
    >>> result.info["rounds"] >= 1, bool(result.info["dual_ratio"] <= 1 + 1e-4)
    (True, True)
    """
    if problem.penalty.p != 2 or problem.d not in (2, 3) or problem.n_outputs != 1:
        raise InvalidInputError(
            "method='exact_colgen' solves weight decay (penalty='l2') in d = 2 or 3 with one output (its pricing is "
            f"the exact angular or sphere sweep); got penalty={problem.penalty.name!r}, d={problem.d}, "
            f"{problem.n_outputs} output(s): use method='exact' (every activation pattern, small n)")
    for name, value, ok in (("tol", tol, isinstance(tol, (int, float)) and 0 < tol < 1),
                            ("max_iter", max_iter, isinstance(max_iter, int) and max_iter >= 1),
                            ("batch", batch, batch is None or (isinstance(batch, int) and batch >= 1)),
                            ("polish_below", polish_below, isinstance(polish_below, (int, float)) and polish_below >= 0),
                            ("drop_after", drop_after, isinstance(drop_after, int) and drop_after >= 0)):
        if not ok or isinstance(value, bool):
            expected = {"tol": "in (0, 1)", "polish_below": "a number >= 0", "drop_after": "an integer >= 0 (0: never)",
                        "batch": "a positive integer or None (every anchor)"}.get(name, "a positive integer")
            raise InvalidInputError(f"{name} must be {expected}, got {value!r}")
    if batch is None:  # one arc per anchor, every anchor: few rounds, and pruning keeps the program small
        batch = problem.n if problem.bias or problem.d == 3 else 1
    start = time.perf_counter()
    working = _WorkingSet(problem)
    if problem.bias:  # the all-active pattern carries the free constant (w = 0, any b): e_b inside
        working.add(np.ones(problem.n, bool), np.eye(problem.d + 1)[-1])
    # the first prices: lambda of the best constant network
    f0 = np.full(problem.n, problem.loss.optimal_intercept(np.zeros(problem.n), problem.y, 0.0)
                 if problem.needs_sum_zero else 0.0)
    lam = problem.loss.dual_vector(f0, problem.y)
    t0 = time.perf_counter()
    priced = _price(problem, lam, batch)
    pricing_time = time.perf_counter() - t0
    constant = _constant_optimum(problem, f0, lam, priced, tol, start)
    if constant is not None:  # no neuron pays for itself (e.g. constant targets): an exact answer
        return constant
    _add_patterns(working, priced)
    history, solve_time, polish_time = [], 0.0, 0.0
    relative_gap, tight_below = np.inf, 0.05  # the restricted program at 1e-10 once the gap is below 5 %
    for round_ in range(1, max_iter + 1):
        patterns = working.matrix()
        t0 = time.perf_counter()
        solution = _solve_restricted(problem, working, tight=relative_gap <= tight_below)
        solve_time += time.perf_counter() - t0
        network = _network(problem, solution, patterns)
        lam = _dual(problem, solution, network)
        objective = problem.objective(network)
        t0 = time.perf_counter()
        priced = _price(problem, lam, batch)
        ratio = priced.bound / problem.beta
        bound = gap_bound(problem, lam, ratio, objective, width=network.width)
        pricing_time += time.perf_counter() - t0
        if (problem.loss.name != "hinge" and bound.gap is not None
                and bound.gap <= polish_below * max(abs(objective), np.finfo(float).tiny)):
            # near the optimum the program's accuracy (~1e-8) is what limits the bound: polish
            t0 = time.perf_counter()
            polished = _polished_network(problem, network, lam)
            polished_lam = _dual(problem, solution, polished)
            polished_objective = problem.objective(polished)
            polished_priced = _price(problem, polished_lam, batch)
            polished_ratio = polished_priced.bound / problem.beta
            polished_bound = gap_bound(problem, polished_lam, polished_ratio, polished_objective, width=polished.width)
            polish_time += time.perf_counter() - t0
            if verbose:
                print(f"  polished: {polished.width} neurons, objective {polished_objective:.10g}, ratio "
                      f"{polished_ratio:.10g}, gap bound {polished_bound.gap}")
            if polished_bound.gap is not None and polished_bound.gap < bound.gap:
                network, lam, objective, ratio, bound, priced = (polished, polished_lam, polished_objective,
                                                                 polished_ratio, polished_bound, polished_priced)
        added = _add_patterns(working, priced)
        working.prune(solution, drop_after)
        history.append({"patterns": len(patterns), "objective": objective, "ratio": ratio, "gap": bound.gap})
        relative_gap = np.inf if bound.gap is None else bound.gap / max(abs(objective), np.finfo(float).tiny)
        if verbose:
            print(f"round {round_}: {len(patterns)} patterns ({len(working.constraint_rows()[0])} cone rows), "
                  f"objective {objective:.10g}, ratio {ratio:.8g}, gap bound {bound.gap}")
        if bound.gap is not None and bound.gap <= tol * max(abs(objective), np.finfo(float).tiny):
            # the optimum without the solver's non-tight neurons, if its own exact gap still holds
            pruned = _tight_network(problem, network, lam, 1e-3)
            pruned_lam = _dual(problem, solution, pruned)
            pruned_objective = problem.objective(pruned)
            pruned_ratio = _price(problem, pruned_lam, 0).bound / problem.beta
            pruned_bound = gap_bound(problem, pruned_lam, pruned_ratio, pruned_objective, width=pruned.width)
            if verbose:
                print(f"pruned to {pruned.width} of {network.width} neurons: gap bound {pruned_bound.gap}")
            if pruned_bound.gap is not None and pruned_bound.gap <= tol * max(abs(pruned_objective),
                                                                              np.finfo(float).tiny):
                network, lam, bound, ratio = pruned, pruned_lam, pruned_bound, pruned_ratio
            info = {"gap_bound": bound.gap, "relative_gap_bound": bound.relative, "dual_ratio": ratio,
                    "n_patterns": len(patterns), "rounds": round_, "history": history,
                    "cone_rows": len(working.constraint_rows()[0]), "unreduced_patterns": working.unreduced,
                    "dropped_patterns": working.n_dropped,
                    "seconds": {"restricted": solve_time, "pricing": pricing_time, "facets": working.facet_seconds, "polish": polish_time,
                                "total": time.perf_counter() - start}}
            return _result(problem, network, lam, patterns, solution, info, solve_time,
                           time.perf_counter() - start - solve_time)
        if not added:
            raise ConvergenceError(
                f"column generation over patterns stalled after {round_} rounds ({len(patterns)} patterns): the "
                f"sweep's violating patterns are all in the working set (ratio {ratio:.6g}, gap bound {bound.gap}), "
                "so the cone solver's accuracy is the limit; loosen tol or rescale X and y to unit scale")
    raise ConvergenceError(f"column generation over patterns did not reach the gap tolerance in {max_iter} rounds "
                           f"({len(working)} patterns, last gap bound {history[-1]['gap']}); raise max_iter or batch")
