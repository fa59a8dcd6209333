r"""Work and memory models: what a plan costs, known before it starts.

Column generation prices every candidate of the full vertex dictionary once per round, and the
full-dictionary method hands the whole feature matrix to a cone solver. Both costs follow from the
sizes alone, so :func:`ga_relu.fit` checks them before any work is done and refuses, with the fixes,
what it could not finish or hold.

Pricing work (one pass over the dictionary)
-------------------------------------------
With N = C(|V|, k) candidate subsets and n samples,

* stream (any d): every candidate costs its normal (k + 1 minors of a k x k matrix) and one pass
  over the samples, ``units = N n`` candidate-sample products, at :data:`STREAM_RATE` per second;
* 3-D sweep (with bias, :mod:`ga_relu.convex.sweep3d`): ``units`` = its sample slots, n per pencil
  of planes through two samples (about n^2 / 4 pencils) and per basis row (3 n for l1), at
  :data:`SWEEP3D_RATE` per round on its cache and :data:`SWEEP3D_CACHE_RATE` to build it (once per
  run, or every pass without the cache); n = 442: 2.2e7 slots, about 5.5 s per exhaustive round and
  9 s to build. The cache is built lazily, block by block, as column generation's heuristic rounds
  (1 / :data:`SWEEP3D_PARTIAL_STRIDE` of the pencils each) first price them, so a pass is predicted
  to pay that share of the build (an exhaustive pass that comes before the cache is complete pays
  the rest);
* sweep (2-D with bias, with its lambda-free orders cached): ``units = n^2`` pairs at
  :data:`SWEEP_RATE`, plus the cache built once (``n^2`` at :data:`SWEEP_CACHE_RATE`); without the
  cache the orders are rebuilt in small blocks every pass, at :data:`SWEEP_UNCACHED_RATE`. Below
  :data:`NUMBA_SWEEP_MIN_SAMPLES` samples the sweep runs on numpy kernels (no compilation), at
  :data:`SWEEP_NUMPY_RATE` per round and :data:`SWEEP_NUMPY_CACHE_RATE` for its cache.

``seconds = units / rate``. The rates were measured on the project's shared 2-core machine while
other jobs ran (load 4-7), so an idle machine is 2-4x faster: stream pricing 0.5e7-1.1e7
candidate-samples/s (n = 60..1000, d = 2..4), the sweep's rates as measured beside their constants below (numba
round 1e7-2e7 pairs/s, numpy round 3e6-4e6, orders 2.5e6-3.6e6), against 9 s per round for the
stream at n = 569. The cache is built once per run: a pass is refused when either the round or the
cache alone is predicted above the limit. A pass predicted above
``ga_relu.options.max_pricing_seconds`` (10 s by default) is refused by :class:`WorkTooLargeError`
at once: r = np.random.default_rng(0); fit(r.standard_normal((200, 10)), ...) would price 3.7e16
subsets per round.

Which path (``method="auto"``)
------------------------------
The full-dictionary solve (cvxpy + Clarabel) takes about ``n m / WEDGE_RATE`` seconds for n
samples and m columns, column generation its rounds (3-15 measured, more for the logistic loss)
times one pricing pass above, plus restricted solves on a few hundred columns. Measured on the
shared 2-core machine (2-D, squared loss, beta = 0.1, random normal data, warm process):

====  =======  ==========  ======
n     columns  full solve  colgen
====  =======  ==========  ======
45     2,160      1.39 s   0.28 s
60     3,780      1.15 s   0.50 s
100   10,300      9.88 s   2.22 s
====  =======  ==========  ======

(1e5-2e5 matrix entries per second for the full solve; same objective to 1e-15.) End to end in a
fresh process, diabetes 2-D (n = 442) ran over 30 min through the full solve and takes 16 s by
column generation with the sweep. So ``method="auto"`` plans the full solve only up to 4,000
columns (``ga_relu.convex.fitting._COLGEN_FIRST_COLUMNS``, about a second) and column generation
above, for every loss.

Memory of the full-dictionary solve
-----------------------------------
cvxpy compiles the Lasso into a sparse cone program and Clarabel factors its KKT system, so the peak
is a multiple of the dense matrix's 8 n m bytes (m columns). benchmarks/bench_memory.py measured the
increase of ru_maxrss over a warmed-up baseline, each case in a fresh process (2-D, l1, bias):

=========  ======  =======  ==========  ===========  ======
loss        n      columns  8 n m       peak         ratio
=========  ======  =======  ==========  ===========  ======
squared     60      3,780    1.7 MiB     29.2 MiB    16.9
squared    100     10,300    7.9 MiB    125.5 MiB    16.0
squared    140     20,020   21.4 MiB    371.7 MiB    17.4
hinge       60      3,780    1.7 MiB     28.9 MiB    16.7
logistic   140     20,020   21.4 MiB     44.1 MiB     2.1  (proximal Newton; Clarabel is its fallback)
=========  ======  =======  ==========  ===========  ======

The model is ``bytes = SOLVE_FACTOR * 8 n m + SOLVE_OVERHEAD`` with SOLVE_FACTOR = 22 (the largest
ratio measured, 17.4, times a safety factor 1.25) and 64 MiB for the compiled problem's fixed
structures, for every loss: the logistic loss falls back on Clarabel's exponential cones when its own
solver fails, so its plan must hold that too. Issue 18's n = 400 case (0.48 GiB matrix) is predicted
at 10.6 GiB (7.4 GB was seen before it was stopped), and refused under the 2 GiB budget.

>>> pricing_work(200, 10, penalty="l1", bias=True, method="stream").candidates > 3e16
True
>>> solve_bytes(400, 161_202) > 2 * 2**30
True
"""

from __future__ import annotations

import dataclasses
import math

from ..errors import DictionaryTooLargeError, InvalidInputError, WorkTooLargeError

__all__ = ["reset_peak_rss", "peak_rss_bytes", "PricingWork", "pricing_work", "check_pricing_work", "solve_bytes", "check_solve_memory",
           "restricted_solve_bytes", "chamber_oracle_bytes", "STREAM_RATE", "SWEEP_RATE", "SWEEP_CACHE_RATE",
           "SWEEP_UNCACHED_RATE", "SOLVE_FACTOR", "SOLVE_OVERHEAD", "SWEEP_NUMPY_RATE",
           "SWEEP_NUMPY_CACHE_RATE", "NUMBA_SWEEP_MIN_SAMPLES", "WEDGE_RATE", "SWEEP3D_RATE",
           "SWEEP3D_CACHE_RATE", "SWEEP3D_PARTIAL_STRIDE", "SWEEP3D_AUTO_MIN_SAMPLES", "sweep3d_slots"]

#: candidate-sample products per second of the streamed pricing (module docstring: measured 0.5e7-1.1e7)
STREAM_RATE = 1e7
# The sweep's rates below: `python benchmarks/bench_large_l1.py --kernels --sizes 600,1500,5000` (2 cores,
# load 5.4-6.1, serial kernels): numba round 1.65e7-2.07e7 pairs/s (l1; l2's hypot: 1.05e7 at n = 1500),
# numpy round 3.2e6-4.1e6, orders (numpy, introsort) 2.5e6-3.6e6 with a stable sort, about 1.3x that with
# introsort; numba's round compiles in 4.5 s with an empty disk cache and loads from it in 1.3 s.
#: pairs per second of the cached angular sweep's numba round (measured 1.05e7-2.07e7; the lower end, l2)
SWEEP_RATE = 1e7
#: pairs per second of building the sweep's cache, the orders (numpy for every n; measured 2.5e6-3.6e6)
SWEEP_CACHE_RATE = 3e6
#: pairs per second of an uncached pass: orders and round block by block (1 / (1 / 3e6 + 1 / 1e7))
SWEEP_UNCACHED_RATE = 2.3e6
#: pairs per second of the numpy sweep's round (measured 3.2e6-4.1e6, n = 600..5000)
SWEEP_NUMPY_RATE = 3e6
#: pairs per second of building the numpy sweep's cache (the same numpy orders as SWEEP_CACHE_RATE)
SWEEP_NUMPY_CACHE_RATE = 3e6
#: the sweep's round runs on numba from this many samples on, on numpy below: numba's 4.5 s compile once
#: (1.3 s load per process) against the numpy round's ~5x cost, 0.3 s a round at n = 1,000 under load
NUMBA_SWEEP_MIN_SAMPLES = 1000
#: sample slots (pencil rows x n) per second of an exhaustive round of the 3-D sweep on its cache
#: (:mod:`ga_relu.convex.sweep3d`; diabetes-3, n = 442: 1.1e7-1.2e7 per CPU second, 4.3e6-4.8e6 per
#: wall second at load 6.4 on the 2 cores)
SWEEP3D_RATE = 4e6
#: sample slots per second of building the 3-D sweep's cache, which an uncached pass also does
#: (7e6-8.5e6 per CPU second, 2.8e6-3.4e6 per wall second on the same machine and load)
SWEEP3D_CACHE_RATE = 2.5e6
#: column generation's heuristic rounds on the 3-D sweep price one pencil block in this many
SWEEP3D_PARTIAL_STRIDE = 8
#: pricing="auto" (and the certificates' oracle="auto") sweeps 3-D data with bias from this many
#: samples on; below it the stream is as fast (C(n + 3, 3) n products: 5e5 at n = 40)
SWEEP3D_AUTO_MIN_SAMPLES = 40
#: matrix entries (n m) per second of the full-dictionary cvxpy/Clarabel solve (measured 1e5-2e5)
WEDGE_RATE = 1e5
#: the full-dictionary solve's peak memory over the dense matrix's bytes (17.4 measured, times 1.25)
SOLVE_FACTOR = 22.0
#: fixed bytes of a compiled cone program (cvxpy's and Clarabel's structures beyond the matrix)
SOLVE_OVERHEAD = 64 * 2**20


@dataclasses.dataclass(frozen=True)
class PricingWork:
    """The predicted cost of one pricing pass of column generation.

    Examples
    --------
    >>> work = pricing_work(100, 2, penalty="l1", bias=True, method="stream")
    >>> work.candidates, int(work.units)
    (5151, 515100)
    """

    method: str  # "stream" or "sweep"
    candidates: int  # subsets priced per pass
    units: float  # candidate-sample products (stream) or sample pairs (sweep)
    seconds: float  # predicted seconds per pass (units / rate)
    setup_seconds: float = 0.0  # once per run (the sweep's cache)
    unit: str = ""  # what ``units`` counts, when not the method's usual unit
    #: the part of the setup one pass pays: 1 for a cache built before the first pass; 1 / stride for
    #: the 3-D sweep's, built block by block as its heuristic rounds (a stride of the pencils) first
    #: price them
    setup_share: float = 1.0

    def describe(self) -> str:
        """The work in words, for messages and ``result.info``."""
        per = self.unit or ("candidate subsets x samples" if self.method == "stream" else "sample pairs")
        return (f"{self.candidates:.3g} candidate subsets per round ({self.units:.3g} {per} by {self.method} "
                f"pricing, about {_duration(self.seconds)} per round)")


def _duration(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "forever"
    for unit, size in (("years", 3.15e7), ("days", 86400.0), ("hours", 3600.0), ("min", 60.0)):
        if seconds >= size:
            return f"{seconds / size:.3g} {unit}"
    return f"{seconds:.2g} s"


def pricing_work(n: int, d: int, *, penalty: str, bias: bool, method: str, cached: bool = True) -> PricingWork:
    """The work of one pricing pass (module docstring): N n for the stream, n^2 for the sweep.

    Parameters
    ----------
    n, d : int
        Samples and dimension.
    penalty : {"l1", "l2"}
        l1 adds the d basis vectors to the vertex set.
    bias : bool
    method : {"stream", "sweep"}
        The pricing that will run (resolved, not "auto").
    cached : bool
        Sweep only: whether its lambda-free orders are kept between passes.

    Examples
    --------
    >>> pricing_work(2000, 2, penalty="l1", bias=True, method="sweep").seconds
    0.4
    """
    from .dictionary import n_candidate_subsets

    candidates = n_candidate_subsets(n, d, penalty, bias)
    if method == "stream":
        units = float(candidates) * n
        return PricingWork("stream", candidates, units, units / STREAM_RATE)
    if method == "sweep" and d == 3 and bias:
        units = float(sweep3d_slots(n, penalty))
        unit = "pencil slots of the 3-D sweep"
        if cached:  # built lazily: a heuristic round builds the 1/8 of the pencils it prices
            return PricingWork("sweep", candidates, units, units / SWEEP3D_RATE, units / SWEEP3D_CACHE_RATE, unit,
                               setup_share=1 / SWEEP3D_PARTIAL_STRIDE)
        return PricingWork("sweep", candidates, units, units / SWEEP3D_RATE + units / SWEEP3D_CACHE_RATE, 0.0, unit)
    if method == "sweep":
        units = float(n) * n
        if n < NUMBA_SWEEP_MIN_SAMPLES:  # numpy kernels: the cache is rebuilt per block when not kept
            setup = units / SWEEP_NUMPY_CACHE_RATE
            if cached:
                return PricingWork("sweep", candidates, units, units / SWEEP_NUMPY_RATE, setup)
            return PricingWork("sweep", candidates, units, units / SWEEP_NUMPY_RATE + setup)
        if cached:
            return PricingWork("sweep", candidates, units, units / SWEEP_RATE, units / SWEEP_CACHE_RATE)
        return PricingWork("sweep", candidates, units, units / SWEEP_UNCACHED_RATE)
    raise InvalidInputError(f"pricing method must be 'stream' or 'sweep', got {method!r}")


def sweep3d_slots(n: int, penalty: str) -> int:
    """Sample slots of one pass of the 3-D sweep: n per row, a row per pencil (the pairs inside each
    half of the samples, C(ceil(n/2), 2) + C(floor(n/2), 2)) and, for l1, per sample and axis.

    >>> sweep3d_slots(442, "l1")  # diabetes-3: (2 C(221, 2) + 3 x 442) x 442
    22076132
    """
    from .penalties import get_penalty

    rows = math.comb((n + 1) // 2, 2) + math.comb(n // 2, 2) + (3 * n if get_penalty(penalty).basis_vertices else 0)
    return rows * n


def check_pricing_work(work: PricingWork, limit: float | None = None) -> None:
    """WorkTooLargeError when a pass is predicted above ``limit`` seconds
    (``ga_relu.options.max_pricing_seconds`` for None), naming the fixes.

    Examples
    --------
    >>> check_pricing_work(pricing_work(200, 10, penalty="l1", bias=True, method="stream"))
    Traceback (most recent call last):
    ...
    ga_relu.errors.WorkTooLargeError: column generation would price 3.7e+16 candidate subsets per round (7.4e+18 candidate subsets x samples by stream pricing, about 2.35e+04 years per round), above ga_relu.options.max_pricing_seconds = 10 s; fit(..., subsets=K) gives a sampled fit whose distance from the optimum ga_relu.certification.sampled.sampled_gap() bounds, or raise ga_relu.options.max_pricing_seconds to run it anyway
    """
    from ..config import options

    limit = options.max_pricing_seconds if limit is None else float(limit)
    # the limit is per pass; the sweep's cache (setup) is built once per run, so each is held to it
    # alone; the 3-D sweep builds its cache lazily over its heuristic rounds (setup_share of it per round)
    if max(work.seconds, work.setup_seconds * work.setup_share) > limit:
        raise WorkTooLargeError(
            f"column generation would price {work.describe()}, above ga_relu.options.max_pricing_seconds = "
            f"{limit:g} s; fit(..., subsets=K) gives a sampled fit whose distance from the optimum "
            "ga_relu.certification.sampled.sampled_gap() bounds, or raise ga_relu.options.max_pricing_seconds "
            "to run it anyway")


def solve_bytes(n: int, columns: int, loss: str = "squared") -> int:
    """Predicted peak bytes of the full-dictionary solve on an n x ``columns`` matrix:
    SOLVE_FACTOR * 8 n m + SOLVE_OVERHEAD (module docstring; the same for every loss, whose
    fallback is the cone program).

    Examples
    --------
    >>> solve_bytes(100, 10_300) / 2**20 > 125.5  # measured: 125.5 MiB
    True
    """
    return int(SOLVE_FACTOR * 8 * n * columns + SOLVE_OVERHEAD)


def check_solve_memory(n: int, columns: int, budget: int, *, hint: str) -> None:
    """DictionaryTooLargeError when :func:`solve_bytes` exceeds ``budget``; ``hint``: the fixes.

    Examples
    --------
    >>> check_solve_memory(400, 161_202, 2 * 2**30, hint="use method='colgen'")
    Traceback (most recent call last):
    ...
    ga_relu.errors.DictionaryTooLargeError: the solve over 161,202 columns of 400 samples needs about 10.63 GiB (the dense matrix is 0.48 GiB; cvxpy and Clarabel hold about 22x that, benchmarks/bench_memory.py), above the memory budget of 2.00 GiB; use method='colgen'
    """
    need = solve_bytes(n, columns)
    if need > budget:
        raise DictionaryTooLargeError(
            f"the solve over {columns:,} columns of {n} samples needs about {need / 2**30:.2f} GiB (the dense matrix "
            f"is {8 * n * columns / 2**30:.2f} GiB; cvxpy and Clarabel hold about {SOLVE_FACTOR:g}x that, "
            f"benchmarks/bench_memory.py), above the memory budget of {budget / 2**30:.2f} GiB; {hint}")


def restricted_solve_bytes(n: int, columns: int, solver: str) -> int:
    """Peak bytes of column generation's restricted solve on ``columns`` working-set columns:
    feature-sign search holds K, its centred copy and the Gram matrix (8 (3 n p + p^2)); the
    Clarabel QP and the cvxpy program hold the cone solver's copies (:func:`solve_bytes`).

    Examples
    --------
    >>> restricted_solve_bytes(100, 1000, "active-set")
    10400000
    """
    if solver == "active-set":
        return 8 * (3 * n * columns + columns * columns)
    return solve_bytes(n, columns)


def chamber_oracle_bytes(n: int, d: int, n_chambers: int, *, pattern_block: int = 2000) -> int:
    """Predicted peak bytes of the exhaustive chamber oracle (l2 certificates): the chamber list
    (n booleans and a (d + 1)-vector per chamber) and one block's cone program, whose constraint
    matrix has about 2 pattern_block n (d + 1) entries, held SOLVE_FACTOR times like the Lasso's
    (modelled on the Lasso's measurements, not measured separately).

    Examples
    --------
    >>> chamber_oracle_bytes(60, 4, 20_000) < 2 * 2**30
    True
    """
    listing = n_chambers * (n + 8 * (d + 1))
    block = min(n_chambers, pattern_block)
    return int(listing + SOLVE_FACTOR * 8 * 2 * block * n * (d + 1) + SOLVE_OVERHEAD)


# ---------------------------------------------------------------------------------------------
# measuring the peak: what the model above was fitted to (benchmarks/bench_memory.py, tests)
# ---------------------------------------------------------------------------------------------


def reset_peak_rss() -> bool:
    """Reset this process's peak resident set (VmHWM) to its current size; False where Linux's
    ``/proc/self/clear_refs`` is not available (then :func:`peak_rss_bytes` is the lifetime peak).

    The models above are fitted to the peak of a solve alone, so the peak of what ran before (imports,
    numba compiles, a warm-up fit) must not count: ``ru_maxrss`` is never reset and would hide it.

    >>> isinstance(reset_peak_rss(), bool)
    True
    """
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # 5: reset the peak RSS (proc(5))
        return True
    except OSError:
        return False


def peak_rss_bytes() -> int:
    """The peak resident set since :func:`reset_peak_rss` (VmHWM), or ``ru_maxrss`` without /proc.

    >>> peak_rss_bytes() > 0
    True
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
