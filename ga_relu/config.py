"""One configuration object for the whole library (kingdon-style).

``ga_relu.options`` holds the defaults every function reads when its own argument is left as
``None``. Change a field for a block of code with :meth:`Options.override`, which restores the
previous values on exit; functions never modify it.
"""

from __future__ import annotations

import contextlib
import dataclasses


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
    solver : str
        cvxpy solver for every convex program.
    clarabel_settings : dict
        Settings passed to Clarabel.
    progress : bool
        Whether tqdm bars may be shown on terminals.

    Examples
    --------
    >>> import ga_relu
    >>> ga_relu.options.max_symbolic_dim
    6
    """
    #: largest dense feature matrix (bytes) that ``fit`` builds; above it ``fit`` raises
    #: DictionaryTooLargeError (or switches to column generation when ``method="auto"``).
    memory_budget_bytes: int = 2 * 1024**3
    #: columns per chunk when a dictionary is streamed (pricing, certificates).
    chunk_columns: int = 65536
    #: symbolic expansion of cross products is refused from this dimension on (d! terms).
    max_symbolic_dim: int = 6
    #: cvxpy solver for every convex program.
    solver: str = "CLARABEL"
    #: settings passed to Clarabel: tighter than its 1e-8 defaults, so that inactive Lasso
    #: coefficients come out at ~1e-8 of the active ones and certificates hold to ~1e-6.
    clarabel_settings: dict = dataclasses.field(
        default_factory=lambda: {"tol_gap_abs": 1e-10, "tol_gap_rel": 1e-10, "tol_feas": 1e-10}
    )
    #: show tqdm progress bars on terminals for long scans (never when not a TTY).
    progress: bool = True

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
        saved = {k: getattr(self, k) for k in changes}
        try:
            for k, v in changes.items():
                setattr(self, k, v)
            yield self
        finally:
            for k, v in saved.items():
                setattr(self, k, v)


options = Options()
