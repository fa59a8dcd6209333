"""Progress bars for long scans and solves: tqdm on a terminal, nothing anywhere else.

A bar is shown only when all of these hold: the caller asked for it (``verbose=True``),
``ga_relu.options.progress`` is on, standard error is a terminal, the code is not running under
pytest, and tqdm is importable. Otherwise the iterable is returned untouched, so the cost is nil.
"""

from __future__ import annotations

import os
import sys
from typing import Iterable, TypeVar

from .config import options

T = TypeVar("T")


def bars_enabled(verbose: bool) -> bool:
    r"""True when a progress bar may be drawn: asked for, allowed by ``ga_relu.options.progress``, on a
    terminal, and not under pytest.

    Examples
    --------
    >>> from ga_relu.progress import bars_enabled
    >>> bars_enabled(verbose=False)
    False
    """
    if not verbose or not options.progress or "PYTEST_CURRENT_TEST" in os.environ:
        return False
    stream = sys.stderr
    return bool(getattr(stream, "isatty", None)) and stream.isatty()


def progress(iterable: Iterable[T], *, verbose: bool = False, total: int | None = None, desc: str | None = None,
             unit: str = "it") -> Iterable[T]:
    r"""``iterable`` wrapped in a tqdm bar when :func:`bars_enabled`, else ``iterable`` itself.

    Examples
    --------
    >>> from ga_relu.progress import progress
    >>> items = [1, 2, 3]
    >>> progress(items) is items  # no bar asked for: the iterable itself, at no cost
    True
    """
    if not bars_enabled(verbose):
        return iterable
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is optional: no bar, same iteration
        return iterable
    return tqdm(iterable, total=total, desc=desc, unit=unit, leave=False, dynamic_ncols=True)
