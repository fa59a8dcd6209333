"""The registry of fitting methods: a name -> the function that solves a :class:`Problem` with it.

Every method is called the same way,

    function(problem, *, subsets, random_state, memory_budget, verbose, **options) -> FitResult,

and declares the option names it takes, so that :func:`ga_relu.fit` can reject the others before any
work is done. The built-in methods are "wedge" (the full wedge dictionary, :mod:`.wedge`), "colgen"
(column generation over it, :mod:`.colgen`) and "exact" (the cone program of exact weight decay,
:mod:`.exact`); :func:`register_method` adds more (e.g. a mixed-integer method) without touching
:mod:`.fitting`.

>>> {'colgen', 'exact', 'wedge'} <= set(registered_methods())
True
>>> get_method("exact").options
('max_patterns', 'compare_wedge')
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from ..errors import InvalidInputError

__all__ = ["Method", "register_method", "get_method", "registered_methods", "check_wedge_memory", "wedge_columns"]


@dataclasses.dataclass(frozen=True)
class Method:
    """A registered fitting method.

    Parameters
    ----------
    name : str
        The ``method=`` value that selects it.
    function : callable
        ``function(problem, *, subsets, random_state, memory_budget, verbose, **options)`` returning a
        :class:`~ga_relu.convex.results.FitResult`.
    options : tuple of str
        The keyword options it takes beyond the common ones.
    uses_subsets : bool
        Whether it takes ``subsets=`` (a sampled or given dictionary).
    summary : str
        One line for error messages and listings.

    Examples
    --------
    >>> get_method("colgen").uses_subsets
    False
    """

    name: str
    function: Callable
    options: tuple[str, ...] = ()
    uses_subsets: bool = False
    summary: str = ""


_REGISTRY: dict[str, Method] = {}


def register_method(name: str, function: Callable, *, options=(), uses_subsets: bool = False,
                    summary: str = "") -> Method:
    """Make ``fit(method=name)`` call ``function`` (see the module docstring for its signature).

    Re-registering a name replaces the method; "auto" is reserved for :func:`ga_relu.fit`'s choice.

    Examples
    --------
    >>> def constant_only(problem, *, subsets, random_state, memory_budget, verbose):
    ...     raise NotImplementedError
    >>> register_method("constant", constant_only, summary="an example").name
    'constant'
    >>> _ = _REGISTRY.pop("constant")
    """
    if not isinstance(name, str) or not name or name == "auto":
        raise InvalidInputError(f"a method needs a name other than 'auto', got {name!r}")
    if not callable(function):
        raise InvalidInputError(f"method {name!r} needs a callable, got {function!r}")
    method = Method(name, function, tuple(options), bool(uses_subsets), summary)
    _REGISTRY[name] = method
    return method


def get_method(name: str) -> Method:
    """The registered :class:`Method` called ``name``.

    Examples
    --------
    >>> get_method("wedge").uses_subsets
    True
    """
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise InvalidInputError(
            f"unknown method {name!r}; choose one of {', '.join(map(repr, ('auto', *_REGISTRY)))}") from None


def registered_methods() -> tuple[str, ...]:
    """The names of the registered methods, in registration order (without "auto").

    Examples
    --------
    >>> registered_methods()[:2]
    ('wedge', 'colgen')
    """
    return tuple(_REGISTRY)


# ---------------------------------------------------------------------------------------------
# the built-in methods; each imports its module on first use (column generation pulls in numba
# kernels, the exact program cvxpy)
# ---------------------------------------------------------------------------------------------


#: the fixes a full-dictionary solve above the memory budget names
WEDGE_TOO_LARGE = ("use method='colgen' for the exact optimum without the full matrix, subsets=K for a sampled upper "
                   "bound, or raise memory_budget= (or ga_relu.options.memory_budget_bytes)")


def wedge_columns(problem, subsets) -> int | None:
    """Columns of the wedge dictionary that ``subsets`` asks for (before dropping degenerate and
    duplicate hyperplanes, so an upper bound); None when ``subsets`` is not a valid request (the
    dictionary's own checks then name the problem).

    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), [0.0, 1.0, 2.0], beta=0.1)
    >>> wedge_columns(problem, None), wedge_columns(problem, 3), wedge_columns(problem, 1.5)
    (20, 6, None)
    """
    import numbers

    from .dictionary import n_candidate_subsets

    total = n_candidate_subsets(problem.n, problem.d, problem.penalty.name, problem.bias)
    if subsets is None:
        return 2 * total
    if isinstance(subsets, numbers.Integral) and not isinstance(subsets, bool):
        return 2 * min(int(subsets), total) if subsets >= 1 else None
    shape = getattr(subsets, "shape", None)
    return 2 * int(shape[0]) if shape is not None and len(shape) == 2 else None


def check_wedge_memory(problem, subsets, memory_budget, hint: str = WEDGE_TOO_LARGE) -> None:
    """DictionaryTooLargeError, before anything is built, when the solve over the requested wedge
    dictionary is predicted above the memory budget (:func:`ga_relu.convex.budget.solve_bytes`:
    cvxpy's and Clarabel's copies, about 22 times the dense matrix).

    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.random.default_rng(0).normal(size=(400, 2)), np.zeros(400), beta=1.0)
    >>> check_wedge_memory(problem, None, None)
    Traceback (most recent call last):
    ...
    ga_relu.errors.DictionaryTooLargeError: the solve over 161,202 columns of 400 samples needs about 10.63 GiB (the dense matrix is 0.48 GiB; cvxpy and Clarabel hold about 22x that, benchmarks/bench_memory.py), above the memory budget of 2.00 GiB; use method='colgen' for the exact optimum without the full matrix, subsets=K for a sampled upper bound, or raise memory_budget= (or ga_relu.options.memory_budget_bytes)
    """
    from .budget import check_solve_memory
    from .dictionary import check_memory_budget

    budget = check_memory_budget(memory_budget)
    columns = wedge_columns(problem, subsets)
    if columns is not None:
        check_solve_memory(problem.n, columns, budget, hint=hint)


def _wedge(problem, *, subsets, random_state, memory_budget, verbose):
    from .wedge import fit_wedge

    check_wedge_memory(problem, subsets, memory_budget)
    return fit_wedge(problem, subsets=subsets, random_state=random_state, memory_budget=memory_budget,
                     verbose=verbose)


def _colgen(problem, *, subsets, random_state, memory_budget, verbose, **options):
    from .colgen import ColgenOptions, solve_colgen

    return solve_colgen(problem, ColgenOptions.for_problem(problem, **options), memory_budget=memory_budget,
                        verbose=verbose)


def _exact(problem, *, subsets, random_state, memory_budget, verbose, **options):
    from .exact import solve_exact_weight_decay

    return solve_exact_weight_decay(problem, verbose=verbose, **options)


def _exact_colgen(problem, *, subsets, random_state, memory_budget, verbose, **options):
    from .pattern_colgen import solve_pattern_colgen

    return solve_pattern_colgen(problem, verbose=verbose, **options)


#: the option names of column generation (``ga_relu.convex.colgen.fit_colgen``)
COLGEN_OPTIONS = ("tol", "max_iter", "init_columns", "batch", "chunk", "working_set", "pricing", "solver", "prune",
                  "time_limit", "milp_time_limit")

register_method("wedge", _wedge, uses_subsets=True,
                summary="the Lasso over the full wedge dictionary (or the subsets given)")
register_method("colgen", _colgen, options=COLGEN_OPTIONS,
                summary="column generation: the full dictionary's optimum, certified, never built whole")
def _colgen_milp(problem, *, subsets, random_state, memory_budget, verbose, **options):
    """Column generation with pricing="milp": heuristics, then the exact MILP (l1, any d)."""
    from .colgen import ColgenOptions, solve_colgen

    return solve_colgen(problem, ColgenOptions.for_problem(problem, pricing="milp", **options),
                        memory_budget=memory_budget, verbose=verbose)


register_method("colgen-milp", _colgen_milp, options=tuple(o for o in COLGEN_OPTIONS if o != "pricing"),
                summary="column generation priced by an exact MILP (l1): certified where the vertices are too many")
register_method("exact", _exact, options=("max_patterns", "compare_wedge"),
                summary="weight decay: the cone program over all activation patterns")
# the options of pattern_colgen.PATTERN_COLGEN_OPTIONS, spelled out: that module loads only when the method runs
register_method("exact_colgen", _exact_colgen, options=("tol", "max_iter", "batch", "polish_below", "drop_after"),
                summary="weight decay in d = 2 or 3: the cone program by column generation over activation patterns, "
                        "priced by the exact angular (2-D) or sphere (3-D) sweep")
