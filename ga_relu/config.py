"""One configuration object for the whole library (kingdon-style).

``ga_relu.options`` holds the defaults every function reads when its own argument is left as
``None``. Change a field for a block of code with :meth:`Options.override`, which restores the
previous values on exit; functions never modify it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import numbers


@dataclasses.dataclass
class Options:
    r"""The library-wide defaults, read by every function whose own argument is left as ``None``.

    Attributes
    ----------
    memory_budget_bytes : int
        Largest dense feature matrix (bytes) that ``fit`` builds.
    chunk_columns : int
        Columns per chunk when a dictionary is streamed.
    max_symbolic_dim : int
        Dimension from which symbolic expansion (d! terms) is refused.
    max_symbolic_terms : int
        Most terms a symbolic determinant expansion may have ((m + 1)! for m symbolic samples).
    solver : str
        cvxpy solver for every convex program.
    clarabel_settings : dict
        Settings passed to Clarabel.
    progress : bool
        Whether tqdm bars may be shown on terminals.
    max_pricing_seconds : float
        Largest predicted time of one pricing pass that column generation starts.
    colgen_time_limit : float
        Seconds after which column generation stops with the bound it reached.
    threads : int or None
        BLAS / OpenMP threads during column generation (:func:`limited_threads`) and the threads of
        its 2-D sweep pricing; None leaves the pools as they are (and the sweep uses every CPU the
        process may run on).

    Every assignment is checked (also inside :meth:`override`): a value of the wrong type raises
    :class:`~ga_relu.errors.InvalidTypeError`, an out-of-range one and a name that is not a field
    :class:`~ga_relu.errors.InvalidInputError`, so a bad setting fails where it is made, not deep
    inside a fit.

    Examples
    --------
    >>> import ga_relu
    >>> ga_relu.options.max_symbolic_dim
    6
    >>> ga_relu.options.memory_budget_bytes = "x"
    Traceback (most recent call last):
    ...
    ga_relu.errors.InvalidTypeError: ga_relu.options.memory_budget_bytes must be a whole number of bytes > 0, got 'x' (str)
    """
    #: largest dense feature matrix (bytes) that ``fit`` builds; above it ``fit`` raises
    #: DictionaryTooLargeError (or switches to column generation when ``method="auto"``).
    memory_budget_bytes: int = 2 * 1024**3
    #: columns per chunk when a dictionary is streamed (pricing, certificates).
    chunk_columns: int = 65536
    #: symbolic expansion of cross products is refused from this dimension on (d! terms).
    max_symbolic_dim: int = 6
    #: a symbolic expansion with more terms than this is refused before it starts. The lifted
    #: determinant det[x~; p~_1; ...; e~_k ...] of m symbolic samples has (m + 1)! terms (the basis
    #: rows fix their columns); 5,040 terms (m = 6) take about 2 s, 40,320 (m = 7) about 25 s.
    max_symbolic_terms: int = 50_000
    #: cvxpy solver for every convex program.
    solver: str = "CLARABEL"
    #: settings passed to Clarabel: tighter than its 1e-8 defaults, so that inactive Lasso
    #: coefficients come out at ~1e-8 of the active ones and certificates hold to ~1e-6.
    clarabel_settings: dict = dataclasses.field(
        default_factory=lambda: {"tol_gap_abs": 1e-10, "tol_gap_rel": 1e-10, "tol_feas": 1e-10}
    )
    #: show tqdm progress bars on terminals for long scans (never when not a TTY).
    progress: bool = True
    #: column generation is refused at once when one pricing pass is predicted above this many
    #: seconds (ga_relu.convex.budget: the work model and its measured rates).
    max_pricing_seconds: float = 10.0
    #: column generation stops (TimeLimitError, stating the ratio and gap bound reached) after this
    #: many seconds.
    colgen_time_limit: float = 300.0
    #: threads of the BLAS and OpenMP pools (threadpoolctl) while column generation runs, restored
    #: after it; None leaves them as they are. On a machine whose cores are busy with other work, 1
    #: avoids oversubscription: at n = 5,000 (l1, 2-D with bias, beta = 0.01) five restricted solves
    #: took 6.3 s on one OpenBLAS thread and 25.5 s on two, on 2 cores under a load of 3
    #: (benchmarks/bench_colgen.py --threads measures both). On an idle machine two threads were
    #: measured 10-40% faster for whole fits, hence the default. Also the number of threads that
    #: share the pivots of a 2-D sweep pricing round (ga_relu.convex.colgen), every CPU when None.
    threads: int | None = None

    def __setattr__(self, name, value):
        field = _FIELDS.get(name) if _FIELDS else None
        if _FIELDS and field is None:
            from .errors import InvalidInputError

            raise InvalidInputError(f"unknown option {name!r}; ga_relu.options has: {', '.join(_FIELDS)}")
        if field is not None:
            value = _check_option(name, value, field)
        object.__setattr__(self, name, value)

    @contextlib.contextmanager
    def override(self, **changes):
        r"""Temporarily change fields for a ``with`` block; the previous values return on exit.

        Raises
        ------
        InvalidInputError
            For a name that is not a field.

        Examples
        --------
        >>> import ga_relu
        >>> with ga_relu.options.override(chunk_columns=1000):
        ...     ga_relu.options.chunk_columns
        1000
        >>> ga_relu.options.chunk_columns
        65536
        """
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            from .errors import InvalidInputError

            raise InvalidInputError(
                f"unknown option(s) {sorted(unknown)}; known: {[f.name for f in dataclasses.fields(self)]}"
            )
        checked = {k: _check_option(k, v, _FIELDS[k]) for k, v in changes.items()}  # all, before any is set
        saved = {k: getattr(self, k) for k in changes}
        try:
            for k, v in checked.items():
                setattr(self, k, v)
            yield self
        finally:
            for k, v in saved.items():
                setattr(self, k, v)


#: what each field holds, for the messages; fields not listed are checked against their default's type
_POSITIVE_INTEGERS = {"memory_budget_bytes": "a whole number of bytes > 0", "chunk_columns": "a whole number > 0",
                      "max_symbolic_dim": "a whole number > 0", "max_symbolic_terms": "a whole number > 0"}


def _check_option(name: str, value, field: dataclasses.Field):
    """``value`` if it fits the field ``name``, else InvalidTypeError / InvalidInputError."""
    from .errors import InvalidInputError, InvalidTypeError

    default = field.default if field.default is not dataclasses.MISSING else field.default_factory()

    def wrong_type(expected: str):
        return InvalidTypeError(f"ga_relu.options.{name} must be {expected}, got {value!r} ({type(value).__name__})")

    if name in _POSITIVE_INTEGERS:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise wrong_type(_POSITIVE_INTEGERS[name])
        if value <= 0:
            raise InvalidInputError(f"ga_relu.options.{name} must be > 0, got {value!r}")
        return int(value)
    if name == "threads":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise wrong_type("a whole number of threads > 0, or None to leave the thread pools alone")
        if value <= 0:
            raise InvalidInputError(f"ga_relu.options.threads must be > 0 (or None), got {value!r}")
        return int(value)
    if name == "clarabel_settings":
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise wrong_type("a dict of Clarabel setting names (str) to values")
        return dict(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise wrong_type("True or False")
    elif isinstance(default, numbers.Integral):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise wrong_type("a whole number")
    elif isinstance(default, numbers.Real):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value:
            raise wrong_type("a real number")
    elif isinstance(default, str) and not isinstance(value, str):
        raise wrong_type("a string")
    return value


@contextlib.contextmanager
def limited_threads(threads: int | None):
    """BLAS and OpenMP thread pools (threadpoolctl, a dependency of scikit-learn) limited to
    ``threads`` for the block and restored after it; None: left as they are. Never global: the
    limit ends with the block.

    Examples
    --------
    >>> with limited_threads(None):
    ...     pass
    """
    if threads is None:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=int(threads)):
        yield


_FIELDS: dict = {}
_FIELDS.update({f.name: f for f in dataclasses.fields(Options)})

options = Options()
