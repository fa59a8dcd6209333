r"""Fitting: data -> one :class:`~ga_relu.convex.problem.Problem` -> a registered method -> a network.

Rescaling (w, b, alpha) -> (t w, t b, alpha / t) turns problem (P),

.. math::

    \min\; L(f(X), y) + \frac{\beta}{2} \sum_j \big(\|w_j\|_p^2 + \alpha_j^2\big),

into a Lasso over the neurons relu(X w + b) with ||w||_p <= 1. Its dual constraint is linear on
each chamber of the arrangement {w . x_i + b = 0}, so for p = 1 the maximizing neurons are vertices:
hyperplanes through d samples / basis vectors, i.e. wedge products (docs/theory/exact_cases.md: T1-T3, T5 exact).
For weight decay (p = 2, d >= 2) the wedge dictionary gives a feasible network, an upper bound (T4).

:func:`fit` validates once (the Problem), plans the method (:func:`plan_method`: the choice of
``method="auto"`` and its reason, kept in ``result.info["method_choice"]``) and dispatches through
the registry of :mod:`ga_relu.convex.methods`.

>>> import numpy as np
>>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
>>> result = fit(X, [0.0, 1.0, 1.0, 0.0], beta=0.1)
>>> result.info["method_choice"]["method"]
'wedge'
"""

from __future__ import annotations

import dataclasses
from typing import Literal

import numpy as np

from ..errors import ConvergenceError, InvalidInputError, SolverError, TimeLimitError, WorkTooLargeError
from ..validation import check_beta
from .losses import LossName
from .methods import check_wedge_memory, get_method, registered_methods
from .penalties import PenaltyName
from .problem import Problem
from .results import FitPath, FitResult
from .wedge import lasso_fit_result, wedge_program

__all__ = ["fit", "path", "plan_method", "MethodPlan", "method_names"]

#: the built-in choices of ``method=``; :func:`ga_relu.convex.methods.register_method` adds more
MethodName = Literal["auto", "wedge", "colgen", "exact"]

#: the fix a too-large dictionary names for path(), which has no method= (column generation fits one beta)
_PATH_TOO_LARGE = ("pass subsets=K to path() for a sampled upper bound, a larger memory_budget=, or fit each beta "
                   "with fit(..., method='colgen')")
#: method="auto" runs column generation first, for every loss, above this many columns (the full
#: cvxpy solve is for small dictionaries: :mod:`ga_relu.convex.budget`, "which path")
_COLGEN_FIRST_COLUMNS = 4000


# ---------------------------------------------------------------------------------------------
# planning: which method runs, and why
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class MethodPlan:
    """The methods to run in turn, and why: each after the previous one raised one of ``fallback_on``.

    Examples
    --------
    >>> plan = MethodPlan(("colgen", "wedge"), "classification loss on many columns")
    >>> plan.first, plan.fallbacks
    ('colgen', ('wedge',))
    """

    attempts: tuple[str, ...]
    reason: str
    fallback_on: tuple[type, ...] = (ConvergenceError, SolverError)

    @property
    def first(self) -> str:
        """The method tried first."""
        return self.attempts[0]

    @property
    def fallbacks(self) -> tuple[str, ...]:
        """The methods tried when the one before fails."""
        return self.attempts[1:]


def plan_method(problem: Problem, method: str, subsets=None, memory_budget: int | None = None) -> MethodPlan:
    """The plan for ``method``; for "auto" the choice below (a pure function of its arguments).

    * a sampled or given dictionary (``subsets``): "wedge";
    * the full dictionary's solve above the memory budget (:func:`ga_relu.convex.budget.solve_bytes`:
      the cone solver's copies, about 22 times the dense matrix): "colgen", if one pricing round is
      predicted within ``ga_relu.options.max_pricing_seconds`` (:func:`ga_relu.convex.colgen.plan_pricing`);
      else WorkTooLargeError at once, naming the fixes: auto never plans a run without a bound;
    * more than 4,000 columns, any loss, one output: "colgen" (when a pricing round is predicted
      within the bound), falling back to "wedge" when it does not converge. The full solve's time
      grows with the n m entries of its matrix (cvxpy's compilation, Clarabel's factorizations:
      about 1e5 entries per second measured, so 10 s at n = 100, 10,300 columns), column
      generation's with the rounds (typically 3-15) times one pricing pass (n^2 pairs by the
      sweep in 2-D, N n by the stream) plus restricted solves on a few hundred columns;
      exponential-cone and LP solves over thousands of columns also stall at times;
    * else "wedge".

    Examples
    --------
    >>> import numpy as np
    >>> problem = Problem(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), [1.0, -1.0, 1.0], beta=0.1, loss="hinge")
    >>> plan_method(problem, "auto").attempts
    ('wedge',)
    >>> plan_method(problem, "colgen").reason
    'requested'
    """
    if method != "auto":
        get_method(method)  # an unknown name fails here, with the list of valid ones
        return MethodPlan((method,), "requested")
    if subsets is not None:
        return MethodPlan(("wedge",), "subsets= chooses a sampled or given dictionary")
    milp = _milp_plan(problem)
    if milp is not None:
        return milp
    from .budget import solve_bytes
    from .colgen import plan_pricing
    from .dictionary import check_memory_budget, n_candidate_subsets

    budget = check_memory_budget(memory_budget)  # None: ga_relu.options; "x" or 1.5: InvalidTypeError
    columns = 2 * n_candidate_subsets(problem.n, problem.d, problem.penalty.name, problem.bias)
    need = solve_bytes(problem.n, columns)
    if need > budget:
        try:
            work, _ = plan_pricing(problem, "auto", budget)
        except WorkTooLargeError as exc:
            raise WorkTooLargeError(
                f"method='auto': the full dictionary's {columns:,} columns need about {need / 2**30:.3g} GiB to "
                f"solve, above the memory budget of {budget / 2**30:.3g} GiB, and {exc}") from None
        return MethodPlan(("colgen",), f"the full dictionary's solve ({columns:,} columns, about "
                                       f"{need / 2**30:.3g} GiB) is above the memory budget of {budget:,} bytes; "
                                       f"column generation prices {work.describe()}")
    if columns > _COLGEN_FIRST_COLUMNS and problem.n_outputs == 1:
        try:
            work, _ = plan_pricing(problem, "auto", budget)
        except WorkTooLargeError:
            return MethodPlan(("wedge",), f"the full dictionary's {columns:,} columns fit the memory budget, and a "
                                          "pricing round of column generation is predicted above "
                                          "ga_relu.options.max_pricing_seconds")
        return MethodPlan(("colgen", "wedge"), f"{columns:,} columns (above {_COLGEN_FIRST_COLUMNS:,}): the full "
                                               f"solve is predicted at {_wedge_seconds(problem.n, columns):.2g} s, "
                                               f"column generation at {work.describe()} (a few to a few dozen "
                                               "rounds); the full solve if column generation does not converge")
    return MethodPlan(("wedge",), f"the full dictionary's {columns:,} columns fit the memory budget")


def _wedge_seconds(n: int, columns: int) -> float:
    """The full solve's predicted seconds: cvxpy's compilation and Clarabel's factorizations grow
    with the matrix's n m entries, about WEDGE_RATE entries per second (module docstring of
    :mod:`ga_relu.convex.budget`)."""
    from .budget import WEDGE_RATE

    return n * columns / WEDGE_RATE


#: largest n x d for which method="auto" plans MILP-priced column generation (see _milp_plan)
_MILP_AUTO_SIZE = 200


def _milp_plan(problem: Problem) -> MethodPlan | None:
    """Column generation priced by the exact MILP ("colgen-milp") for l1 with one output in d >= 3 when
    one pass over the vertex dictionary is predicted above ``ga_relu.options.max_pricing_seconds``
    (:mod:`ga_relu.convex.budget`); the branch and bound's own time is bounded per MILP
    (:data:`ga_relu.convex.milp_pricing.DEFAULT_TIME_LIMIT`). None when enumeration is affordable: in
    3-D with bias by the pencil sweep (:mod:`ga_relu.convex.sweep3d`, its cost as
    :func:`ga_relu.convex.budget.check_pricing_work` counts it), else by the stream."""
    if not (problem.penalty.basis_vertices and problem.n_outputs == 1 and problem.d >= 3):
        return None  # in 2-D the sweep prices every line in O(n^2 log n)
    from ..config import options
    from .budget import pricing_work

    # 3-D with bias: the pencil sweep enumerates every vertex plane in O(n^3 log n) (ga_relu.convex.sweep3d)
    method = "sweep" if problem.d == 3 and problem.bias else "stream"
    work = pricing_work(problem.n, problem.d, penalty=problem.penalty.name, bias=problem.bias, method=method)
    if work.seconds + work.setup_seconds * work.setup_share <= options.max_pricing_seconds:
        return None
    if problem.n * problem.d > _MILP_AUTO_SIZE:
        # the MILP's big-M relaxation weakens near the optimum: measured, 16 x 4 and 25 x 4 certify in
        # 1-2 s, wine (60 x 13) did not within 300 s; auto must not start a run it cannot bound well
        raise WorkTooLargeError(
            f"method='auto': enumerating the vertices would price {work.describe()}, above "
            f"ga_relu.options.max_pricing_seconds = {options.max_pricing_seconds:g} s, and n x d = "
            f"{problem.n * problem.d} is beyond what MILP pricing certifies quickly ({_MILP_AUTO_SIZE}); "
            "fit(..., subsets=K) gives a sampled fit whose distance from the optimum "
            "ga_relu.certification.sampled.sampled_gap() bounds, and method='colgen-milp' (with time_limit=) "
            "runs the exact MILP-priced column generation, which stops with a bound at its time limit")
    return MethodPlan(("colgen-milp",), f"enumerating the vertices would price {work.describe()}: column "
                                        "generation priced by an exact MILP instead")


def _check_options(method: str, plan: MethodPlan, subsets, options: dict) -> None:
    """Reject options no method of the plan takes (listing the valid ones), and subsets= for the
    methods that do not use a dictionary of given subsets."""
    if subsets is not None and not get_method(plan.first).uses_subsets:
        raise InvalidInputError(
            f"subsets= chooses a sampled dictionary, which method={method!r} does not use ({method!r} works "
            "over all subsets or all activation patterns); drop subsets= or use method='wedge'"
        )
    # auto may run column generation, so it takes colgen's options too
    candidates = plan.attempts if method != "auto" else tuple(dict.fromkeys((*plan.attempts, "colgen")))
    valid = [name for m in candidates for name in get_method(m).options]
    unknown = sorted(set(options) - set(valid))
    if unknown:
        listed = ", ".join(valid) if valid else "none"
        raise InvalidInputError(f"unknown option(s) {unknown} for method={method!r}; it takes: {listed} "
                                "(besides subsets=, random_state=, memory_budget=, verbose=)")


def _run_plan(problem: Problem, method: str, plan: MethodPlan, *, subsets, random_state, memory_budget,
              verbose, options: dict) -> FitResult:
    """Run the plan's methods in turn, each with the options it takes; record the choice (and, with
    ``verbose``, say it on the terminal: :func:`ga_relu.progress.note`)."""
    from ..progress import note

    if method == "auto":
        note(f"method='auto' runs {' then '.join(map(repr, plan.attempts))}: {plan.reason}", verbose=verbose)
    tried = []
    for position, name in enumerate(plan.attempts):
        chosen = get_method(name)
        own = {key: value for key, value in options.items() if key in chosen.options}
        try:
            result = chosen.function(problem, subsets=subsets, random_state=random_state,
                                     memory_budget=memory_budget, verbose=verbose, **own)
        except plan.fallback_on as exc:
            # a time limit is a bound the caller set on the whole fit: the next method would exceed it
            if position == len(plan.attempts) - 1 or isinstance(exc, TimeLimitError):
                raise
            tried.append(f"{name}: {type(exc).__name__}")
            note(f"{name} failed ({type(exc).__name__}: {exc}); trying {plan.attempts[position + 1]!r}",
                 verbose=verbose)
            continue
        result.info["method_choice"] = {"requested": method, "method": name, "reason": plan.reason,
                                        "failed": tried}
        return result
    raise AssertionError("unreachable: a plan has at least one method")  # pragma: no cover


# ---------------------------------------------------------------------------------------------
# public entry points
# ---------------------------------------------------------------------------------------------


def fit(X, y, *, beta: float, penalty: PenaltyName = "l1", bias: bool = True, loss: LossName = "squared",
        fit_intercept: bool = True, subsets=None, random_state=None, method: MethodName = "auto",
        memory_budget: int | None = None, verbose: bool = False, **method_options) -> FitResult:
    r"""Train a two-layer ReLU network by convex optimization over wedge-product features.

    Solves

    .. math::

        \min_{z,\,c}\; L(K z + c, y) + \beta \|z\|_1

    where K's columns are relu(+-(X w_S + b_S)) for the hyperplanes through subsets S of the vertex
    set (samples, plus basis vectors for l1), normalized to ||w_S||_p = 1, and returns the network with
    w_j = s sqrt|z_j| w_S, alpha_j = sign(z_j) sqrt|z_j|, whose value in (P) equals the Lasso value.

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like, shape (n,) or (n, c)
        Targets; labels in {-1, +1} for loss "logistic"/"hinge"; several columns for vector outputs
        (group Lasso, T5).
    beta : float or ga_relu.relative(fraction)
        Regularization strength (> 0), or a fraction of beta_max, the smallest beta at which the
        optimal network is empty (:mod:`ga_relu.convex.selection`: beta on the data's scale).
    penalty : {"l1", "l2"}
        ||w||_1 on first-layer weights (exact, T1/T2) or weight decay (the wedge dictionary gives an
        upper bound, T4; ``method="exact"`` solves the exact program).
    bias : bool
        Hidden biases (hyperplanes through d samples after lifting x -> (x, 1)).
    loss : {"squared", "logistic", "hinge"}
    fit_intercept : bool
    subsets : None, int or (m, k) array
        None for the full dictionary; an int k samples k random subsets (Wang et al.'s randomized
        method: an upper bound); an (m, k) array of vertex indices uses exactly those ("wedge" only).
    random_state : None, int or Generator
        For sampled subsets, and the seed of ``result.certificate()``'s random search (when the
        certificate is not exhaustive), so that a seeded fit is certified reproducibly.
    method : {"auto", "wedge", "colgen", "exact"} or a registered name
        "auto" (:func:`plan_method`), "wedge" (the full wedge dictionary), "colgen" (exact optimum
        over the full dictionary with a certificate, never building it whole) or "exact" (weight
        decay: the cone program over all chambers).
    memory_budget : int, optional
        Bytes allowed for the solve: the dictionary and what the solver allocates for it
        (:mod:`ga_relu.convex.budget`; ``ga_relu.options.memory_budget_bytes`` by default).
    verbose : bool
        On terminals: the method ``"auto"`` chose and why, progress bars, and column generation's
        round-by-round status line (round, pricing ratio, time elapsed). The choice is also logged
        at INFO level on the ``ga_relu`` logger.
    **method_options
        For "colgen" (and "auto", which may run it) ``tol``, ``max_iter``, ``init_columns``,
        ``batch``, ``chunk``, ``working_set``, ``pricing``, ``solver``, ``prune``, ``time_limit``
        (seconds, ``ga_relu.options.colgen_time_limit`` by default: past it a TimeLimitError states
        the best bound reached), ``milp_time_limit`` (:func:`ga_relu.convex.colgen.fit_colgen`); for "exact" ``max_patterns``, ``compare_wedge``
        (:func:`ga_relu.convex.exact.fit_exact_weight_decay`). Any other name is an error.

    Returns
    -------
    FitResult
        ``result.case`` says which theorem covers the case (exact or an upper bound),
        ``result.certificate()`` checks optimality with a dual certificate and
        ``result.info["method_choice"]`` records the method that ran and why.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> result = fit(X, [0.0, 1.0, 1.0, 0.0], beta=0.1)
    >>> result.case.theorem, result.method
    ('T2', 'wedge')
    >>> fit(X, [0.0, 1.0, 1.0, 0.0], beta=0.1, method="wedge", batch=3)
    Traceback (most recent call last):
    ...
    ga_relu.errors.InvalidInputError: unknown option(s) ['batch'] for method='wedge'; it takes: none (besides subsets=, random_state=, memory_budget=, verbose=)
    """
    if method != "auto":
        get_method(method)  # an unknown method is reported before the data are checked
    beta, beta_info = _resolved_beta(beta, X, y, penalty, bias, loss, fit_intercept)
    problem = Problem(X, y, beta=beta, penalty=penalty, bias=bias, loss=loss,
                      fit_intercept=fit_intercept).require_hyperplanes()
    plan = plan_method(problem, method, subsets, memory_budget)
    _check_options(method, plan, subsets, method_options)
    seed = _certificate_seed(random_state)
    result = _run_plan(problem, method, plan, subsets=subsets, random_state=random_state, memory_budget=memory_budget,
                       verbose=verbose, options=method_options)
    result.info.update(beta_info)
    result.info.setdefault("random_state", _certificate_seed(random_state, after=True) if seed is None else seed)
    return result


def _resolved_beta(beta, X, y, penalty, bias, loss, fit_intercept):
    """beta as a number: ``ga_relu.relative(f)`` is f * beta_max on these data
    (:mod:`ga_relu.convex.selection`), recorded as ``info["beta_max"]``, ``info["beta_fraction"]``."""
    from .selection import resolve_beta

    return resolve_beta(beta, X, y, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept)


def _certificate_seed(random_state, after: bool = False):
    """The seed that ``result.certificate()`` gives its random search, so that a seeded fit has a
    reproducible certificate: an int seed itself; for a Generator one draw from it after the fit
    (``after``: the fit's own stream is unchanged); None stays None (unseeded)."""
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(2**63)) if after else None
    if random_state is None or isinstance(random_state, bool):
        return None
    return int(random_state) if isinstance(random_state, (int, np.integer)) else None


def path(X, y, betas, *, penalty: PenaltyName = "l1", bias: bool = True, loss: LossName = "squared",
         fit_intercept: bool = True, subsets=None, random_state=None, memory_budget: int | None = None,
         method: Literal["auto", "wedge", "colgen"] = "auto") -> FitPath:
    r"""Fits of the wedge Lasso for several betas, warm-started along the path.

    .. math::

        \min_{z,\,c}\; L(K z + c, y) + \beta \|z\|_1

    ||z||_1 does not increase with beta. Two ways to follow the path:

    * ``method="colgen"``: column generation over the FULL dictionary at each beta, in homotopy
      order (largest beta first). The solution moves little between neighbouring betas, so the
      working set where one beta stopped is where the next starts (``working_set=``): it skips the
      first pricing, and most betas need a round or two. Each fit carries its own certificate
      (``info["ratio"]``, ``info["gap_bound"]``). The fits are then written over one dictionary, the
      union of the final working sets (a sub-dictionary of the full one, each fit's coefficients
      zero off its own working set), so :attr:`FitPath.coefficients` is one array.
    * ``method="wedge"``: one dictionary (full, or ``subsets=``) and one compiled cvxpy program with
      beta a ``cp.Parameter``: each further beta re-solves without recompiling.

    ``method="auto"`` takes column generation for one output on the full dictionary above 4,000
    columns (where the full solve costs a cone program over every column per beta), the wedge
    program otherwise, and also when column generation fails (ConvergenceError, SolverError).

    Parameters
    ----------
    X, y, penalty, bias, loss, fit_intercept, subsets, random_state, memory_budget
        As in :func:`fit`.
    betas : array_like
        Positive regularization strengths (any order; the fits come back in this order).
    method : {"auto", "wedge", "colgen"}

    Returns
    -------
    FitPath

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> fits = path(X, [0.0, 1.0, 1.0, 0.0], [0.05, 0.5])
    >>> bool(np.abs(fits[0].coefficients).sum() >= np.abs(fits[1].coefficients).sum() - 1e-9)
    True
    >>> warm = path(X, [0.0, 1.0, 1.0, 0.0], [0.05, 0.5], method="colgen")
    >>> [round(f.objective, 6) for f in warm] == [round(f.objective, 6) for f in fits]
    True
    """
    betas = np.atleast_1d(np.asarray(betas, dtype=float))
    if betas.size == 0:
        raise InvalidInputError("betas is empty; pass at least one positive regularization strength")
    for b in betas:
        check_beta(float(b), "each beta")
    if method not in ("auto", "wedge", "colgen"):
        raise InvalidInputError(f"path() takes method='auto', 'wedge' or 'colgen', got {method!r}")
    problem = Problem(X, y, beta=float(betas.max()), penalty=penalty, bias=bias, loss=loss,
                      fit_intercept=fit_intercept).require_hyperplanes()
    if method == "colgen" and subsets is not None:
        raise InvalidInputError("path(method='colgen') solves the full dictionary; subsets= goes with method='wedge'")
    if method == "colgen" or (method == "auto" and _path_by_colgen(problem, subsets)):
        try:
            return _colgen_path(problem, betas, memory_budget)
        except (ConvergenceError, SolverError):
            if method == "colgen":
                raise
    check_wedge_memory(problem, subsets, memory_budget, hint=_PATH_TOO_LARGE)
    built = wedge_program(problem, subsets, random_state, memory_budget, too_large_hint=_PATH_TOO_LARGE)
    fits = []
    setup = built.setup_time
    for beta in betas:
        at_beta = problem.with_beta(float(beta))
        sol = built.program.solve(at_beta.beta)
        fits.append(lasso_fit_result(at_beta, "wedge", built.dictionary, built.K, sol, setup))
        setup = 0.0  # the dictionary and the program were built once, for the first beta
    return FitPath(betas=betas, fits=fits, dictionary=built.dictionary)


def _path_by_colgen(problem: Problem, subsets) -> bool:
    """path(method="auto")'s choice: column generation for one output on a full dictionary of more
    than 4,000 columns whose pricing is affordable (:func:`ga_relu.convex.colgen.plan_pricing`)."""
    from .colgen import plan_pricing
    from .dictionary import n_candidate_subsets

    if subsets is not None or problem.n_outputs != 1:
        return False
    if 2 * n_candidate_subsets(problem.n, problem.d, problem.penalty.name, problem.bias) <= _COLGEN_FIRST_COLUMNS:
        return False
    try:
        plan_pricing(problem)
    except WorkTooLargeError:
        return False
    return True


def _colgen_path(problem: Problem, betas: np.ndarray, memory_budget) -> FitPath:
    """Column generation at each beta, largest first, each started on the previous final working
    set; the fits re-expressed over the union of the working sets (see :func:`path`)."""
    from .colgen import ColgenOptions, solve_colgen
    from .dictionary import Dictionary, build_columns

    results: list = [None] * betas.size
    working = None
    for i in np.argsort(-betas, kind="stable"):
        at_beta = problem.with_beta(float(betas[i]))
        options = ColgenOptions.for_problem(at_beta, working_set=working)
        results[i] = solve_colgen(at_beta, options, memory_budget=memory_budget)
        working = results[i].dictionary.subsets
    union = np.unique(np.vstack([r.dictionary.subsets for r in results]), axis=0)
    kept, w, b, _ = build_columns(problem.X, union, problem.penalty.name, problem.bias)
    first = results[0].dictionary
    dictionary = Dictionary(penalty=first.penalty, bias=first.bias, n_samples=first.n_samples, dim=first.dim,
                            subsets=kept, weights=w, biases=b, n_candidates=first.n_candidates,
                            n_degenerate=first.n_degenerate, sampled=False)
    position = {tuple(s): k for k, s in enumerate(kept.tolist())}
    m_union = len(kept)
    fits = []
    for result in results:
        own = result.dictionary.subsets
        index = np.array([position[tuple(s)] for s in own.tolist()], dtype=np.intp)
        z = np.zeros(2 * m_union)
        z[index], z[m_union + index] = result.coefficients[: len(own)], result.coefficients[len(own):]
        fits.append(dataclasses.replace(result, dictionary=dictionary, coefficients=z))
    return FitPath(betas=betas, fits=fits, dictionary=dictionary)


def method_names() -> tuple[str, ...]:
    """Every valid ``method=``: "auto" and the registered methods.

    Examples
    --------
    >>> method_names()[:2]
    ('auto', 'wedge')
    """
    return ("auto", *registered_methods())
