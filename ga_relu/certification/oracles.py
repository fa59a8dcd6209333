r"""Oracles for the dual constraint of problem (P): the most violating neuron for a dual vector lambda.

Every oracle answers one question about a :class:`~ga_relu.convex.problem.Problem` and a dual vector
lambda (one entry per sample, or one row per sample for vector outputs):

.. math::

    \max_{\|w\|_p \le 1,\ b} \big\| \lambda^\top \mathrm{relu}(X w + b) \big\|

and returns an :class:`OracleResult`: the value, the maximizing neuron, whether the value is the
exact maximum or a lower bound, and how many candidates were evaluated.

======================  ===============================================================  ==========
oracle                  how                                                              exhaustive
======================  ===============================================================  ==========
``"vertices"``          all vertices of T1/T2/T3 (l1 penalty, any d; any p in 1-D)       yes
``"vertex_sweep"``      the vertices of T2 in 3-D by pencil sweeps (l1, bias)            yes
``"milp"``              branch and bound (HiGHS) over the activations (l1, any d)        bound
``"chambers"``          per activation pattern an SOCP, all chambers (l2 penalty)        yes
``"angular"``           angular sweep, closed form per arc (l2 penalty, d = 2)           yes
``"sphere_sweep"``      great-circle sweeps, closed form per arc and region (l2, d = 3)  bound
``"milp_l2"``           MILPs over polytopes containing the l2 ball (d >= 4)             bound
``"vertex_search"``     random vertex subsets of T1/T2                                   no
``"direction_search"``  random and wedge directions, refined by projected gradient       no
======================  ===============================================================  ==========

"bound": a proved upper bound on the maximum (exhaustive for the certificate).

Why vertices suffice for l1 / 1-D: on every chamber of the arrangement the objective is linear in
(w, b), so its maximum over chamber x l1-ball is at a vertex, a hyperplane through d - 1 samples or
basis vectors (d lifted ones with a bias). For l2 the maximum per chamber D is that of the linear
function g_D . v, g_D = sum_{i in D} lambda_i x~_i, over {(2D - I) X~ v >= 0, ||w||_2 <= 1}: a
second-order cone program, all patterns in one separable solve.

:func:`choose_oracle` makes today's choice (exhaustive when the enumeration is within limits);
:func:`register_oracle` lets another oracle (an exact MILP oracle, say) plug in by name.

>>> import numpy as np
>>> from ga_relu.convex.problem import Problem
>>> problem = Problem(np.array([[0.0], [1.0], [2.0], [3.0]]), [0.0, 1.0, 0.0, 1.0], beta=0.1)
>>> lam = np.array([-0.5, 0.5, -0.5, 0.5])
>>> choose_oracle(problem, "auto")
'vertices'
>>> result = get_oracle("vertices")(OracleSettings())(problem, lam)
>>> result.value, result.exhaustive, result.best.description
(1.0, True, 'breakpoint at x_1 (relu(x - x_1))')
"""

from __future__ import annotations

import dataclasses
import math
from typing import Callable, Literal, Protocol, runtime_checkable

import numpy as np

from ..convex.chambers import (
    Chambers,
    enumerate_chambers,
    lift,
    max_chambers,
    polish_on_faces,
    samples_on_hyperplane,
)
from ..convex.dictionary import describe_hyperplane, exact_translation
from ..convex.duality import best_breakpoint_bias, column_scores
from ..errors import EnumerationTooLargeError, InvalidInputError, SolverError

__all__ = ["BestNeuron", "OracleResult", "OracleSettings", "Oracle", "VertexOracle", "VertexSweepOracle",
           "exhaustive_vertex_oracle", "MAX_SWEEP_SLOTS", "ChamberOracle",
           "VertexSearchOracle", "DirectionSearchOracle", "ORACLES", "register_oracle", "get_oracle",
           "Enumeration", "enumeration_size", "choose_oracle", "constant_neuron",
           "MAX_VERTEX_SUBSETS", "MAX_PATTERNS", "MAX_SPHERE_ARCS", "exact_translation", "TranslatedOracle"]

#: default limits of the exhaustive searches ("auto" falls back to sampling above them)
MAX_VERTEX_SUBSETS = 5_000_000
MAX_PATTERNS = 20_000
#: most sample slots of the 3-D pencil sweep an exhaustive certificate runs (n = 442: 2.2e7, about
#: 10 s on the shared 2-core machine; 1e8 is n ~ 730)
MAX_SWEEP_SLOTS = 100_000_000
#: most arcs of the 3-D weight-decay sphere sweep an exhaustive certificate runs (2 n per pencil,
#: C(n, 2) pencils with a bias: n = 372 is 5.1e7); measured 1.1 us per arc on the shared 2-core
#: machine at load 3.6 (n = 320: 3.3e7 arcs in 36 s, benchmarks/bench_l2_certificate.py), so about
#: a minute at the limit
MAX_SPHERE_ARCS = 50_000_000
#: patterns per Clarabel solve of the chamber oracle (bounds the cone program's size)
_PATTERN_BLOCK = 2000


# ---------------------------------------------------------------------------------------------
# what an oracle returns
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class BestNeuron:
    r"""The feasible neuron relu(w . x + b), ||w||_p = 1, with the largest |lambda . relu(Xw + b)|.

    Adding it to a network with a small output weight t of sign ``output_sign`` changes the
    objective of (P) by about t^2 (beta - |value|): it lowers it when the dual ratio exceeds 1.

    Attributes
    ----------
    weight, bias : the neuron (``weight`` has unit p-norm).
    value : lambda . relu(X w + b), signed (a vector lambda^T relu(Xw + b) for vector outputs).
    output_sign : the sign of the output weight that lowers the objective.
    samples, basis : 0-based samples and basis vectors on its hyperplane (a wedge vertex when
        they define it).
    source : ``"vertex"``, ``"chamber"``, ``"search"`` or ``"constant"``.
    description : its geometry in words.

    Examples
    --------
    >>> import numpy as np
    >>> neuron = BestNeuron(weight=np.array([1.0]), bias=-1.0, value=0.5, output_sign=1)
    >>> neuron(np.array([[0.0], [3.0]]))
    array([0., 2.])
    """

    weight: np.ndarray
    bias: float
    value: float
    output_sign: int
    samples: tuple[int, ...] = ()
    basis: tuple[int, ...] = ()
    source: str = ""  # "vertex", "chamber", "search", "constant"
    description: str = ""

    def __call__(self, X) -> np.ndarray:
        """relu(X w + b) at the rows of X."""
        return np.maximum(np.asarray(X, float) @ self.weight + self.bias, 0.0)


@dataclasses.dataclass(frozen=True)
class OracleResult:
    r"""What every oracle returns: ``value`` = max_{||w||_p <= 1, b} ||lambda^T relu(X w + b)|| (>= 0).

    Attributes
    ----------
    value : the maximum (exact when ``exhaustive``, else a lower bound; inf for the free constant).
    best : the maximizing neuron (None when no neuron was found).
    exhaustive : whether ``value`` is the exact maximum.
    n_candidates : neurons (or patterns) evaluated.
    method : how the value was found, in words (``Certificate.method``).

    Examples
    --------
    >>> OracleResult(value=0.0, best=None, exhaustive=True, n_candidates=0, method="none").exhaustive
    True
    """

    value: float
    best: BestNeuron | None
    exhaustive: bool
    n_candidates: int
    method: str


@dataclasses.dataclass(frozen=True)
class OracleSettings:
    """Options of the oracles, one value for all of them (each reads the fields it needs).

    Attributes
    ----------
    chunk : subsets per streamed block of the vertex oracle (None: ``ga_relu.options``).
    n_random : random candidates of the search oracles.
    rng : random generator of the search oracles.
    max_patterns : most chambers the chamber oracle enumerates.
    chambers : chambers enumerated before (e.g. by the exact weight-decay fit), reused as they are.

    Examples
    --------
    >>> OracleSettings(n_random=10).max_patterns
    20000
    """

    chunk: int | None = None
    n_random: int = 2000
    rng: np.random.Generator | None = None
    max_patterns: int = MAX_PATTERNS
    chambers: Chambers | None = None
    #: seconds per side of the MILP oracle (None: its default), ``certify(..., milp_time_limit=)``
    milp_time_limit: float | None = None


@runtime_checkable
class Oracle(Protocol):
    """An oracle: made from :class:`OracleSettings`, called on (problem, lambda), returns an OracleResult.

    Examples
    --------
    >>> isinstance(VertexOracle(OracleSettings()), Oracle)
    True
    """

    name: str
    #: whether the value it returns is the exact maximum
    exhaustive: bool

    def __call__(self, problem, lam: np.ndarray) -> OracleResult: ...


# ---------------------------------------------------------------------------------------------
# shared pieces
# ---------------------------------------------------------------------------------------------


def _describe(problem, samples, basis, sign, w, extra="") -> str:
    """The neuron's geometry in words; in 1-D with a bias also its formula relu(+-(x - x_k))."""
    text = describe_hyperplane(tuple(samples), tuple(basis), d=problem.d, bias=problem.bias, sign=sign)
    if problem.d == 1 and problem.bias and samples:
        k = samples[0] + 1
        text += f" (relu(x - x_{k}))" if w[0] > 0 else f" (relu(x_{k} - x))"
    return text + extra


def _signed_neuron(value, **fields) -> BestNeuron:
    """A BestNeuron whose output sign is that of a scalar ``value`` (+1 for vectors and for 0)."""
    scalar = np.ndim(value) == 0
    sign = int(np.sign(value)) if scalar else 1
    return BestNeuron(value=float(value) if scalar else value, output_sign=sign or 1, **fields)


def _best_of_signs(lam: np.ndarray, P: np.ndarray):
    """argmax over the columns of relu(+-P) of ||lambda^T column||: (magnitude, column j, sign, value)."""
    best = (-1.0, 0, 1, 0.0)
    for sign in (1, -1):
        H = np.maximum(sign * P, 0.0)
        scores = column_scores(H, lam)
        j = int(np.argmax(scores))
        if scores[j] > best[0]:
            best = (float(scores[j]), j, sign, H[:, j] @ lam)
    return best


def _vertex_penalty(problem) -> str:
    """The dictionary whose vertices hold the maximum: l1's (samples and basis vectors) in d >= 2;
    in 1-D every p-norm of w is |w|, and the problem's own penalty is kept."""
    return "l1" if problem.d > 1 else problem.penalty.name


# ---------------------------------------------------------------------------------------------
# how large the exhaustive search is, and which oracle runs
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Enumeration:
    """The size of the exhaustive search for a problem.

    Attributes
    ----------
    exact : the exhaustive oracle that applies (``"vertices"``, ``"vertex_sweep"``, ``"angular"``,
        ``"sphere_sweep"`` or ``"chambers"``).
    search : the sampling oracle used instead (``"vertex_search"`` or ``"direction_search"``).
    total : vertex subsets, arcs of a sweep, or (an upper bound on the) chambers.
    too_big : whether the exhaustive oracle is out of reach.
    message : the size in words, for errors and ``Certificate.method``.
    remedy : what else the caller can change when it is too big (besides exhaustive=False).

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.eye(4), [1.0, 0.0, 0.0, 0.0], beta=0.1, penalty="l2", bias=False)
    >>> enumeration_size(problem, OracleSettings()).total
    16
    >>> enumeration_size(Problem(np.eye(3), [1.0, 0.0, 0.0], beta=0.1, penalty="l2", bias=False), OracleSettings())
    Enumeration(exact='sphere_sweep', search='direction_search', total=18, too_big=False, message='18 arcs of the sphere sweep (3 pencils, limit 50,000,000)', remedy='')
    """

    exact: str
    search: str
    total: int
    too_big: bool
    message: str
    remedy: str = ""


def enumeration_size(problem, settings: OracleSettings) -> Enumeration:
    """How many vertex subsets (l1, 1-D) or chambers (l2) an exhaustive oracle visits, against its limit.

    Vertices: C(n + d, k) subsets, limit :data:`MAX_VERTEX_SUBSETS`. Chambers: the enumerated count,
    else 2 sum_{i<k} C(n - 1, i) (general position), limit ``settings.max_patterns``; vector outputs
    with l2 are never exhaustive (the per-chamber maxima of a norm are not convex programs).

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> enumeration_size(Problem(np.eye(3), [1.0, 0.0, 0.0], beta=0.1, bias=False), OracleSettings()).message
    '15 vertex subsets (limit 5,000,000)'
    """
    from ..convex.dictionary import n_candidate_subsets

    n, d = problem.n, problem.d
    if _sweeps_vertices(problem):
        return _sweep_enumeration(problem)
    if problem.penalty.basis_vertices or d == 1:
        total = n_candidate_subsets(n, d, _vertex_penalty(problem), problem.bias)
        return Enumeration("vertices", "vertex_search", total, total > MAX_VERTEX_SUBSETS,
                           f"{total:,} vertex subsets (limit {MAX_VERTEX_SUBSETS:,})")
    if d == 2 and problem.n_outputs == 1:
        return _angular_enumeration(problem)
    if d == 3 and problem.n_outputs == 1:
        return _sphere_enumeration(problem)
    chambers = settings.chambers
    total = chambers and len(chambers) or max_chambers(n, d, problem.bias)
    if problem.n_outputs > 1:
        return Enumeration("chambers", "direction_search", total, True,
                           "vector outputs with the l2 penalty (per-chamber maxima are not convex)")
    return Enumeration("chambers", "direction_search", total, total > settings.max_patterns,
                       f"up to {total:,} chambers (limit max_patterns={settings.max_patterns:,})",
                       ", or raise max_patterns")


def _sweeps_vertices(problem) -> bool:
    """Whether the vertices of T2 in 3-D (l1, bias, one output) are enumerated by the pencil sweep
    (:mod:`ga_relu.convex.sweep3d`): from the number of samples on which column generation's
    pricing sweeps too (:data:`ga_relu.convex.budget.SWEEP3D_AUTO_MIN_SAMPLES`)."""
    from ..convex.budget import SWEEP3D_AUTO_MIN_SAMPLES

    return (problem.d == 3 and problem.bias and problem.penalty.basis_vertices and problem.n_outputs == 1
            and problem.n >= SWEEP3D_AUTO_MIN_SAMPLES)


def _sweep_enumeration(problem) -> Enumeration:
    """The 3-D pencil sweep's size: its sample slots (n per pencil of planes through two samples,
    :func:`ga_relu.convex.budget.sweep3d_slots`), against :data:`MAX_SWEEP_SLOTS`."""
    from ..convex.budget import sweep3d_slots
    from ..convex.dictionary import n_candidate_subsets

    total = n_candidate_subsets(problem.n, 3, "l1", True)
    slots = sweep3d_slots(problem.n, "l1")
    return Enumeration("vertex_sweep", "vertex_search", total, slots > MAX_SWEEP_SLOTS,
                       f"{total:,} vertex subsets by the 3-D pencil sweep ({slots:,} sample slots, limit "
                       f"{MAX_SWEEP_SLOTS:,})")


def _angular_enumeration(problem) -> Enumeration:
    """Weight decay in the plane: the angular sweep (:mod:`ga_relu.certification.angular`, registered
    when that module is imported) visits 2(n - 1) critical angles per anchor, n anchors with a bias
    (the origin alone without), in O(n^2 log n): never too big."""
    anchors = problem.n if problem.bias else 1
    total = anchors * 2 * max(problem.n - (1 if problem.bias else 0), 1)
    return Enumeration("angular", "direction_search", total, False,
                       f"{total:,} arcs of the angular sweep ({anchors:,} anchor(s))")


def _sphere_enumeration(problem) -> Enumeration:
    """Weight decay in 3-D: the sphere sweep (:mod:`ga_relu.certification.sphere_sweep`, registered
    when that module is imported) visits 2 n arcs per pencil of planes, C(n, 2) pencils with a bias
    (one per pair of samples) or n without (one per sample), in O(n^3 log n); too big above
    :data:`MAX_SPHERE_ARCS`."""
    n = problem.n
    pencils = math.comb(n, 2) if problem.bias else n
    total = 2 * n * pencils
    return Enumeration("sphere_sweep", "direction_search", total, total > MAX_SPHERE_ARCS,
                       f"{total:,} arcs of the sphere sweep ({pencils:,} pencils, limit {MAX_SPHERE_ARCS:,})")


def choose_oracle(problem, exhaustive: Literal["auto"] | bool, settings: OracleSettings | None = None) -> str:
    """The name of the oracle that certifies ``problem``.

    ``exhaustive=True``: the exact oracle, or :class:`~ga_relu.errors.EnumerationTooLargeError`
    when its enumeration is over the limit; ``"auto"``: the exact oracle when within the limit,
    else the search; ``False``: the search (a lower bound).

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.random.default_rng(0).normal(size=(8, 4)), np.zeros(8), beta=0.1, penalty="l2")
    >>> choose_oracle(problem, "auto"), choose_oracle(problem, False)
    ('chambers', 'direction_search')
    >>> choose_oracle(problem, True, OracleSettings(max_patterns=10))  # beyond the chambers' limit
    'milp_l2'
    >>> vector = Problem(np.random.default_rng(0).normal(size=(8, 4)), np.zeros((8, 2)), beta=0.1, penalty="l2")
    >>> choose_oracle(vector, True)
    Traceback (most recent call last):
    ...
    ga_relu.errors.EnumerationTooLargeError: an exhaustive certificate needs vector outputs with the l2 penalty (per-chamber maxima are not convex); pass exhaustive=False for a lower bound from random search with local refinement
    >>> choose_oracle(Problem(np.eye(2), [1.0, 0.0], beta=0.1, penalty="l2"), True)  # the plane: the sweep
    'angular'
    >>> choose_oracle(Problem(np.eye(3), [1.0, 0.0, 0.0], beta=0.1, penalty="l2"), True)  # 3-D: the sphere sweep
    'sphere_sweep'
    """
    _load_builtin_oracles()
    size = enumeration_size(problem, settings or OracleSettings())
    milp = _milp_oracle(problem)
    if size.too_big and exhaustive is not False and milp is not None:
        return milp  # by branch and bound where the enumeration is out of reach
    if exhaustive is True and size.too_big:
        raise EnumerationTooLargeError(
            f"an exhaustive certificate needs {size.message}; pass exhaustive=False for a lower bound from random "
            "search with local refinement" + size.remedy
        )
    run_exact = exhaustive is True or (exhaustive == "auto" and not size.too_big)
    return size.exact if run_exact else size.search


def _milp_oracle(problem) -> str | None:
    """The MILP oracle registered for ``problem`` (:mod:`ga_relu.certification.milp`, registered when
    the certificate module is loaded), or None: ``"milp"`` for l1 or 1-D (exact), ``"milp_l2"`` for
    weight decay from d = 4 on (a proved upper bound by outer approximation; the plane has the
    angular sweep, 3-D the sphere sweep), one output."""
    if problem.n_outputs != 1:
        return None
    name = "milp" if (problem.penalty.basis_vertices or problem.d == 1) else ("milp_l2" if problem.d >= 4 else None)
    return name if name in ORACLES else None


# ---------------------------------------------------------------------------------------------
# data far from the origin
# ---------------------------------------------------------------------------------------------


class TranslatedOracle:
    """``oracle`` run on the exactly shifted data X - c (:func:`exact_translation`); its neuron is
    mapped back to the data's frame, b = b' - c . w (the value is the same function's)."""

    def __init__(self, oracle, center: np.ndarray):
        self.oracle, self.center = oracle, center
        self.name, self.exhaustive = oracle.name, oracle.exhaustive

    def __call__(self, problem, lam: np.ndarray) -> OracleResult:
        found = self.oracle(problem.with_data(problem.X - self.center), lam)
        if found.best is None or found.best.source == "constant":
            return found
        best = dataclasses.replace(found.best, bias=float(found.best.bias - self.center @ found.best.weight))
        return dataclasses.replace(found, best=best)


# ---------------------------------------------------------------------------------------------
# the free constant
# ---------------------------------------------------------------------------------------------


def constant_neuron(problem, lam: np.ndarray) -> OracleResult:
    r"""The unbounded direction when sum(lambda) != 0 with a bias: w = 0, b -> +infinity.

    relu(X w + b) = b on every sample, so lambda . relu(Xw + b) = b sum(lambda) grows without bound:
    the dual constraint fails and the value is inf.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.array([[0.0], [1.0]]), [1.0, 1.0], beta=0.1)
    >>> constant_neuron(problem, np.array([0.5, 0.5])).value
    inf
    """
    s = lam.sum(axis=0)
    best = _signed_neuron(s, weight=np.zeros(problem.d), bias=1.0, source="constant",
                          description=f"a neuron with bias b -> +infinity (a constant): sum(lambda) = "
                                      f"{np.round(s, 6)} != 0, so |lambda . relu(Xw + b)| grows without bound")
    return OracleResult(np.inf, best, True, 0, "sum(lambda) != 0 with a bias: the dual constraint fails for large b")


# ---------------------------------------------------------------------------------------------
# exhaustive oracles
# ---------------------------------------------------------------------------------------------


class VertexOracle:
    r"""Exact maximum over the vertices of T1/T2/T3 (l1 penalty in any d, any penalty in 1-D).

    Every hyperplane through d - 1 samples/basis vectors (T1, no bias) or d lifted ones (T2), or
    through one sample in 1-D (T3), with ||w||_p = 1, both orientations; streamed in chunks of
    ``settings.chunk`` subsets.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.array([[0.0], [1.0], [2.0]]), [0.0, 1.0, 0.0], beta=0.1)
    >>> VertexOracle(OracleSettings())(problem, np.array([0.5, -1.0, 0.5])).value
    0.5
    """

    name, exhaustive = "vertices", True

    def __init__(self, settings: OracleSettings):
        self.chunk = settings.chunk

    @staticmethod
    def method(problem) -> str:
        """Which theorem's vertices, in words."""
        if problem.d == 1 and problem.bias:
            return "1-D breakpoints at the samples (T3)"
        if not problem.bias:
            return "vertices of T1 (cross products of d-1 samples/basis vectors)"
        return "vertices of T2 (hyperplanes through d lifted samples/basis vectors)"

    def __call__(self, problem, lam: np.ndarray) -> OracleResult:
        from ..convex.dictionary import iter_dictionary_chunks

        best_score, best, count = -1.0, None, 0
        for block in iter_dictionary_chunks(problem.X, penalty=_vertex_penalty(problem), bias=problem.bias,
                                            chunk=self.chunk):
            if block.n_subsets == 0:
                continue
            score, j, sign, value = _best_of_signs(lam, block.preactivations(problem.X))
            count += 2 * block.n_subsets
            if score > best_score:
                samples, basis = block.split_subset(block.subsets[j])
                best_score = score
                best = (sign * block.weights[j], sign * float(block.biases[j]), value, samples, basis, sign)
        w, b, value, samples, basis, sign = best
        neuron = _signed_neuron(value, weight=w, bias=b, samples=samples, basis=basis, source="vertex",
                                description=_describe(problem, samples, basis, sign, w))
        return OracleResult(best_score, neuron, True, count, self.method(problem))


class VertexSweepOracle:
    r"""Exact maximum over the vertices of T2 in 3-D (l1 penalty, bias, one output) by the pencil
    sweep of :mod:`ga_relu.convex.sweep3d`: every plane through three lifted samples / basis vectors,
    both orientations, in O(n^3 log n) instead of the stream's O(n^4); the same candidates and
    scores as :class:`VertexOracle` (to rounding).

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> rng = np.random.default_rng(0)
    >>> problem = Problem(rng.normal(size=(12, 3)), rng.normal(size=12), beta=0.1)
    >>> lam = problem.y - problem.y.mean()
    >>> swept, streamed = VertexSweepOracle(OracleSettings())(problem, lam), VertexOracle(OracleSettings())(problem, lam)
    >>> bool(abs(swept.value - streamed.value) <= 1e-12 * streamed.value), swept.n_candidates == streamed.n_candidates
    (True, True)
    """

    name, exhaustive = "vertex_sweep", True

    def __init__(self, settings: OracleSettings):
        self.settings = settings

    def __call__(self, problem, lam: np.ndarray) -> OracleResult:
        from ..convex.sweep3d import sweep3d_maximum

        value, subset, n_priced = sweep3d_maximum(problem.X, lam, "l1")
        best = _vertex_neuron(problem, lam, subset) if subset is not None else None
        return OracleResult(value, best, True, 2 * n_priced, f"{VertexOracle.method(problem)}, by the 3-D pencil sweep")


def _vertex_neuron(problem, lam: np.ndarray, subset) -> BestNeuron | None:
    """The neuron of a vertex subset, on the side (relu(+-P)) where |lambda . relu| is larger."""
    from ..convex.dictionary import build_columns

    kept, w, b, _ = build_columns(problem.X, np.asarray(subset, dtype=np.intp)[None, :], "l1", problem.bias)
    if not len(kept):
        return None
    P = problem.X @ w[0] + b[0]
    values = [float(lam @ np.maximum(sign * P, 0.0)) for sign in (1, -1)]
    sign = 1 if abs(values[0]) >= abs(values[1]) else -1
    samples = tuple(int(i) for i in kept[0] if i < problem.n)
    basis = tuple(int(i) - problem.n for i in kept[0] if i >= problem.n)
    return _signed_neuron(values[0] if sign == 1 else values[1], weight=sign * w[0], bias=sign * float(b[0]),
                          samples=samples, basis=basis, source="vertex",
                          description=_describe(problem, samples, basis, sign, sign * w[0]))


def exhaustive_vertex_oracle(problem, settings: OracleSettings):
    """The exhaustive vertex oracle for ``problem``: the 3-D pencil sweep where it applies
    (:class:`VertexSweepOracle`), else the streamed enumeration (:class:`VertexOracle`)."""
    return VertexSweepOracle(settings) if _sweeps_vertices(problem) else VertexOracle(settings)


def _socp_pattern_maxima(Xt: np.ndarray, G: np.ndarray, S: np.ndarray, d: int) -> np.ndarray:
    """For each pattern row k: argmax of G[k] . v over {S[k] * (X~ v) >= 0, ||v[:d]||_2 <= 1}.

    All patterns in one separable second-order cone program (its optimum maximizes every block).
    """
    import cvxpy as cp

    from ..config import options
    from ..convex.solvers import solve_cone_program

    N, D = G.shape
    V = cp.Variable((N, D))
    cons = [cp.multiply(S, V @ Xt.T) >= 0, cp.norm(V[:, :d], 2, axis=1) <= 1]
    prob = cp.Problem(cp.Maximize(cp.sum(cp.multiply(G, V))), cons)
    try:
        solve_cone_program(prob)
    except cp.error.SolverError as exc:
        raise SolverError(f"{options.solver} failed on the chamber maxima ({N} patterns): {exc}; rescale X to unit "
                          "scale or use exhaustive=False") from exc
    if prob.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):  # points are evaluated exactly afterwards
        raise SolverError(f"{options.solver} returned {prob.status!r} on the chamber maxima ({N} patterns); rescale X "
                          "to unit scale or use exhaustive=False for a sampled lower bound")
    return np.asarray(V.value, dtype=float)


class ChamberOracle:
    r"""Exact maximum for the l2 penalty (one output) over all chambers of the arrangement.

    Per activation pattern D the maximum of g_D . v, g_D = sum_{i in D} lambda_i x~_i, over the cone
    {(2D - I) X~ v >= 0} intersected with {||w||_2 <= 1} (both signs of g_D), by one separable
    second-order cone program per block of patterns, then polished in closed form on the face of
    each solution. Chambers are enumerated on the first call (at most ``settings.max_patterns``)
    unless ``settings.chambers`` holds them, and kept for the next call.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> problem = Problem(X, [0.0, 1.0, 1.0, 0.0], beta=0.1, penalty="l2")
    >>> oracle = ChamberOracle(OracleSettings())
    >>> result = oracle(problem, np.array([0.5, -0.5, -0.5, 0.5]))
    >>> round(result.value, 6), result.exhaustive, len(oracle.chambers)
    (0.353553, True, 14)
    """

    name, exhaustive = "chambers", True

    def __init__(self, settings: OracleSettings):
        self.chambers = settings.chambers
        self.max_patterns = settings.max_patterns

    def _patterns(self, Xn: np.ndarray, bias: bool, lam) -> tuple[np.ndarray, list]:
        """The patterns that need a cone program, and the closed-form candidates of the others."""
        P = self.chambers.patterns
        if not bias:
            return P[P.any(axis=1)], []
        # all-active chamber: lambda . (Xw + b) = (X^T lambda) . w + b sum(lambda), and sum(lambda) = 0
        # was checked before: its maximum is at w = X^T lambda / ||X^T lambda|| with b making all active
        candidates = []
        g = Xn.T @ lam
        if np.linalg.norm(g) > 0:
            w = g / np.linalg.norm(g)
            candidates.append(np.append(w, -float((Xn @ w).min()) + 1.0))
        return P[P.any(axis=1) & ~P.all(axis=1)], candidates

    def __call__(self, problem, lam: np.ndarray) -> OracleResult:
        d, bias = problem.d, problem.bias
        # The cone programs run on the data in unit frame, x' = (x - c) / s (c = 0 without a bias):
        # relu(x . w + b) = s relu(x' . w + b') with b = s b' - c . w, so the maximum over X is s times
        # the maximum over X' and the patterns are the same. Clarabel's tolerances are absolute, so
        # on raw data with a large offset (x ~ 1e5, spread 1e-4) they cost a quarter of the maximum.
        center = 0.5 * (problem.X.max(axis=0) + problem.X.min(axis=0)) if bias else np.zeros(d)
        scale = float(np.abs(problem.X - center).max()) or 1.0
        Xn = (problem.X - center) / scale
        if self.chambers is None:
            self.chambers = enumerate_chambers(Xn, bias=bias, max_patterns=self.max_patterns)
        Xt = lift(Xn, bias)
        P, candidates = self._patterns(Xn, bias, lam)
        for start in range(0, len(P), _PATTERN_BLOCK):
            block = P[start : start + _PATTERN_BLOCK]
            G = block.astype(float) @ (lam[:, None] * Xt)
            for sign in (1.0, -1.0):
                candidates.append(_socp_pattern_maxima(Xt, sign * G, 2.0 * block - 1.0, d))
        V = np.vstack([np.atleast_2d(c) for c in candidates]) if candidates else np.zeros((0, Xt.shape[1]))
        V = np.vstack([V, polish_on_faces(Xt, lam, V, d)])
        norms = np.linalg.norm(V[:, :d], axis=1)
        # zero points: patterns whose cone has no direction with w != 0. Relative to the constraint
        # ||w||_2 <= 1 of the cone program: its maximum of a linear function over cone x ball is at
        # ||w|| = 1 unless it is 0 (at v = 0), so a point with ||w|| < 1e-12 carries value ~0
        keep = norms > 1e-12
        V = V[keep] / norms[keep, None]  # homogeneous: the max is on ||w|| = 1
        if bias:  # back to the data's own frame (b = s b' - c . w), where the values are evaluated
            V[:, d] = scale * V[:, d] - V[:, :d] @ center
        method = f"all {len(self.chambers)} chambers (wedge rays), max per chamber by a cone program (Clarabel)"
        if len(V) == 0:
            return OracleResult(0.0, None, True, len(self.chambers), method)
        values = np.maximum(lift(problem.X, bias) @ V.T, 0.0).T @ lam
        j = int(np.argmax(np.abs(values)))
        w, b = V[j, :d], (float(V[j, d]) if bias else 0.0)
        on = samples_on_hyperplane(problem.X, w, b)
        k = d if bias else d - 1
        extra = "" if len(on) >= k else f" (a weight-decay neuron: fewer than {k} samples on its hyperplane)"
        neuron = _signed_neuron(values[j], weight=w, bias=b, samples=on, source="chamber",
                                description=_describe(problem, on, (), 1, w, extra))
        return OracleResult(float(abs(values[j])), neuron, True, len(self.chambers), method)


# ---------------------------------------------------------------------------------------------
# search oracles (lower bounds)
# ---------------------------------------------------------------------------------------------


class VertexSearchOracle:
    r"""Lower bound for l1 (or any penalty in 1-D): ``settings.n_random`` random vertex subsets of T1/T2.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.array([[0.0], [1.0], [2.0]]), [0.0, 1.0, 0.0], beta=0.1)
    >>> oracle = VertexSearchOracle(OracleSettings(n_random=5, rng=np.random.default_rng(0)))
    >>> result = oracle(problem, np.array([0.5, -1.0, 0.5]))
    >>> result.value, result.exhaustive
    (0.5, False)
    """

    name, exhaustive = "vertex_search", False

    def __init__(self, settings: OracleSettings):
        self.n_random, self.rng, self.settings = settings.n_random, settings.rng, settings

    def __call__(self, problem, lam: np.ndarray) -> OracleResult:
        from ..convex.dictionary import (
            build_columns,
            n_candidate_subsets,
            sample_subsets,
            subset_size,
        )

        n, d, bias = problem.n, problem.d, problem.bias
        # the l1 vertex set (samples and basis vectors) also in 1-D, where the basis vector's
        # hyperplane is degenerate and dropped: the same candidates as the exact oracle
        count = min(self.n_random, n_candidate_subsets(n, d, "l1", bias))
        subsets = sample_subsets(n + d, subset_size(d, bias), count, self.rng)
        kept, W, b, _ = build_columns(problem.X, subsets, "l1", bias)
        score, j, sign, value = _best_of_signs(lam, problem.X @ W.T + b)
        samples = tuple(int(v) for v in kept[j] if v < n)
        basis = tuple(int(v) - n for v in kept[j] if v >= n)
        neuron = _signed_neuron(value, weight=sign * W[j], bias=float(sign * b[j]), samples=samples, basis=basis,
                                source="search", description=_describe(problem, samples, basis, sign, sign * W[j]))
        size = enumeration_size(problem, self.settings).message
        return OracleResult(score, neuron, False, len(kept),
                            f"{len(kept):,} random vertices of T1/T2 ({size} in all): a lower bound")


class DirectionSearchOracle:
    r"""Lower bound for l2 (one output): random unit directions and wedge normals, each with its best
    breakpoint bias, then projected gradient ascent on the sphere from the ``n_refine`` best.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> problem = Problem(X, [0.0, 1.0, 1.0, 0.0], beta=0.1, penalty="l2")
    >>> oracle = DirectionSearchOracle(OracleSettings(n_random=50, rng=np.random.default_rng(0)))
    >>> result = oracle(problem, np.array([0.5, -0.5, -0.5, 0.5]))
    >>> bool(result.value <= 0.7072), result.exhaustive
    (True, False)
    """

    name, exhaustive = "direction_search", False
    #: starting points refined, and gradient steps from each
    n_refine, steps = 10, 60

    def __init__(self, settings: OracleSettings):
        self.n_random, self.rng, self.settings = settings.n_random, settings.rng, settings

    def _directions(self, problem) -> np.ndarray:
        """Random unit directions, plus the wedge normals of random sample subsets (both signs)."""
        from ..algebra.batched import cross_batch
        from ..convex.dictionary import sample_subsets

        n, d, bias = problem.n, problem.d, problem.bias
        W = self.rng.standard_normal((self.n_random, d))
        k = d if bias else d - 1
        if k >= 1 and n >= k:
            subsets = sample_subsets(n, k, min(self.n_random, math.comb(n, k)), self.rng)
            v = cross_batch(lift(problem.X, bias)[subsets])[:, :d]
            W = np.vstack([W, v, -v])
        # only exactly zero normals (dependent subsets) are dropped: a tiny one is still a direction
        # (at data scale 1e-7 in 3-D every wedge normal is ~1e-14); scaled by the largest entry first
        # so that the norm neither underflows nor overflows
        top = np.abs(W).max(axis=1)
        W = W[top > 0] / top[top > 0, None]
        return W / np.linalg.norm(W, axis=1, keepdims=True)

    def _evaluate(self, problem, lam, W) -> tuple[np.ndarray, np.ndarray]:
        """(signed value, best bias) of each direction (bias 0 without a bias)."""
        T = W @ problem.X.T
        if problem.bias:
            return best_breakpoint_bias(T, lam)
        return np.maximum(T, 0.0) @ lam, np.zeros(len(W))

    def _refine(self, problem, lam, w, value, b):
        """Projected gradient ascent of |value| on the unit sphere, halving the step on failure."""
        X = problem.X
        step = 0.5
        for _ in range(self.steps):
            pre = X @ w + b
            # samples strictly inside the neuron's active side: beyond the rounding bound of x . w + b
            # (relative to its terms, so the data's scale does not enter); the breakpoint sample is out
            active = pre > 4 * (X.shape[1] + 1) * 2.0**-53 * (np.abs(X) @ np.abs(w) + abs(b))
            grad = lam[active] @ X[active]
            if problem.bias:  # b = -x_k . w at the breakpoint sample k
                kink = int(np.argmin(np.abs(pre)))
                grad = grad - lam[active].sum() * X[kink]
            # the floor only keeps a zero gradient (no active sample) from dividing by zero
            trial = w + step * np.sign(value) * grad / max(np.linalg.norm(grad), np.finfo(float).tiny)
            trial /= np.linalg.norm(trial)
            trial_value, trial_bias = self._evaluate(problem, lam, trial[None, :])
            if abs(trial_value[0]) > abs(value):
                w, value, b = trial, trial_value[0], trial_bias[0]
            else:
                step *= 0.5
                if step < 1e-8:  # steps this small no longer move w in floating point
                    break
        return w, value, b

    def __call__(self, problem, lam: np.ndarray) -> OracleResult:
        if problem.n_outputs > 1:
            raise InvalidInputError("certify with the l2 penalty supports one output; fit vector outputs with "
                                    "penalty='l1' (T5)")
        W = self._directions(problem)
        values, biases = self._evaluate(problem, lam, W)
        top = np.argsort(-np.abs(values))[: self.n_refine]
        best = (abs(values[top[0]]), W[top[0]], biases[top[0]], values[top[0]])
        for j in top:
            w, value, b = self._refine(problem, lam, W[j].copy(), values[j], biases[j])
            if abs(value) > best[0]:
                best = (abs(value), w, b, value)
        score, w, b, value = best
        on = samples_on_hyperplane(problem.X, w, b)
        neuron = _signed_neuron(float(value), weight=w, bias=float(b), samples=on, source="search",
                                description=_describe(problem, on, (), 1, w, " (found by search)"))
        size = enumeration_size(problem, self.settings).message
        return OracleResult(float(score), neuron, False, len(W),
                            f"{len(W):,} random and wedge directions with breakpoint biases, refined by projected "
                            f"gradient ({size}): a lower bound")


# ---------------------------------------------------------------------------------------------
# registry
# ---------------------------------------------------------------------------------------------

#: the oracles by name: each makes an :class:`Oracle` from :class:`OracleSettings`
ORACLES: dict[str, Callable[[OracleSettings], Oracle]] = {
    "vertices": VertexOracle,
    "vertex_sweep": VertexSweepOracle,
    "chambers": ChamberOracle,
    "vertex_search": VertexSearchOracle,
    "direction_search": DirectionSearchOracle,
}


def register_oracle(name: str, oracle: Callable[[OracleSettings], Oracle]) -> None:
    """Make ``oracle`` (a factory: settings -> callable (problem, lambda) -> OracleResult) known as ``name``;
    an existing name is replaced, so a better oracle can take over ``"chambers"``, say.

    Examples
    --------
    >>> class Zero:
    ...     name, exhaustive = "zero", False
    ...     def __init__(self, settings):
    ...         pass
    ...     def __call__(self, problem, lam):
    ...         return OracleResult(0.0, None, False, 0, "nothing")
    >>> register_oracle("zero", Zero)
    >>> get_oracle("zero") is Zero
    True
    >>> del ORACLES["zero"]
    """
    if not callable(oracle):
        raise InvalidInputError(f"an oracle must be callable (settings -> oracle), got {oracle!r}")
    ORACLES[name] = oracle


#: the modules that register the library's own oracles when imported (kept out of this module's
#: imports: they import it); loaded on first use so that the choice never depends on import order
_BUILTIN_ORACLE_MODULES = ("angular", "sphere_sweep", "milp", "reused")


def _load_builtin_oracles() -> None:
    import importlib

    for module in _BUILTIN_ORACLE_MODULES:
        importlib.import_module(f"{__package__}.{module}")  # a no-op once imported


def get_oracle(name: str) -> Callable[[OracleSettings], Oracle]:
    """The oracle registered as ``name``.

    Examples
    --------
    >>> get_oracle("vertices").exhaustive
    True
    """
    _load_builtin_oracles()
    try:
        return ORACLES[name]
    except KeyError:
        raise InvalidInputError(f"unknown oracle {name!r}; choose one of {', '.join(map(repr, ORACLES))}") from None
