"""The registry of fitting methods: a name -> the function that solves a :class:`Problem` with it.

Every method is called the same way,

    function(problem, *, subsets, random_state, memory_budget, verbose, **options) -> FitResult,

and declares the option names it takes, so that :func:`ga_relu.fit` can reject the others before any
work is done. The built-in methods are "wedge" (the full wedge dictionary, :mod:`.wedge`), "colgen"
(column generation over it, :mod:`.colgen`) and "exact" (the cone program of exact weight decay,
:mod:`.exact`); :func:`register_method` adds more (e.g. a mixed-integer method) without touching
:mod:`.fitting`.

>>> sorted(registered_methods())
['colgen', 'exact', 'wedge']
>>> get_method("exact").options
('max_patterns', 'compare_wedge')
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from ..errors import InvalidInputError

__all__ = ["Method", "register_method", "get_method", "registered_methods"]


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
    >>> registered_methods()[:3]
    ('wedge', 'colgen', 'exact')
    """
    return tuple(_REGISTRY)


# ---------------------------------------------------------------------------------------------
# the built-in methods; each imports its module on first use (column generation pulls in numba
# kernels, the exact program cvxpy)
# ---------------------------------------------------------------------------------------------


def _wedge(problem, *, subsets, random_state, memory_budget, verbose):
    from .wedge import fit_wedge

    return fit_wedge(problem, subsets=subsets, random_state=random_state, memory_budget=memory_budget,
                     verbose=verbose)


def _colgen(problem, *, subsets, random_state, memory_budget, verbose, **options):
    from .colgen import ColgenOptions, solve_colgen

    return solve_colgen(problem, ColgenOptions.for_problem(problem, **options), memory_budget=memory_budget,
                        verbose=verbose)


def _exact(problem, *, subsets, random_state, memory_budget, verbose, **options):
    from .exact import solve_exact_weight_decay

    return solve_exact_weight_decay(problem, verbose=verbose, **options)


#: the option names of column generation (``ga_relu.convex.colgen.fit_colgen``)
COLGEN_OPTIONS = ("tol", "max_iter", "init_columns", "batch", "chunk", "working_set", "pricing", "solver", "prune")

register_method("wedge", _wedge, uses_subsets=True,
                summary="the Lasso over the full wedge dictionary (or the subsets given)")
register_method("colgen", _colgen, options=COLGEN_OPTIONS,
                summary="column generation: the full dictionary's optimum, certified, never built whole")
register_method("exact", _exact, options=("max_patterns", "compare_wedge"),
                summary="weight decay: the cone program over all activation patterns")
