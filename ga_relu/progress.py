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


class StatusLine:
    r"""One status line on standard error, rewritten in place (``\r``) while a long loop runs, e.g.
    column generation's rounds: its ratio and the time elapsed. Silent unless :func:`bars_enabled`.

    Examples
    --------
    >>> from ga_relu.progress import status_line
    >>> report = status_line(verbose=True, desc="rounds")  # under pytest / not a terminal: silent
    >>> report("round 1: ratio 2.5"); report.close()
    """

    def __init__(self, enabled: bool, desc: str):
        self.enabled, self.desc, self.width = enabled, desc, 0

    def __call__(self, text: str) -> None:
        if not self.enabled:
            return
        line = f"{self.desc}: {text}"
        sys.stderr.write("\r" + line.ljust(self.width))
        sys.stderr.flush()
        self.width = max(self.width, len(line))

    def close(self) -> None:
        """End the line (once something was written), so later output starts on a fresh one."""
        if self.enabled and self.width:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.width = 0


def status_line(*, verbose: bool = False, desc: str = "") -> StatusLine:
    r"""A :class:`StatusLine`, drawing only when :func:`bars_enabled` (a terminal, asked for, not pytest).

    Examples
    --------
    >>> from ga_relu.progress import status_line
    >>> status_line(verbose=False, desc="x").enabled
    False
    """
    return StatusLine(bars_enabled(verbose), desc)


def note(text: str, *, verbose: bool = False) -> None:
    r"""One line of what a long computation decided (e.g. the method ``fit`` chose, and why): logged at
    INFO level on the ``ga_relu`` logger always, and written to standard error when :func:`bars_enabled`
    (asked for, on a terminal, not under pytest).

    Examples
    --------
    >>> from ga_relu.progress import note
    >>> note("method='auto' chose 'colgen'", verbose=True)  # under pytest / not a terminal: logged only
    """
    import logging

    logging.getLogger("ga_relu").info(text)
    if bars_enabled(verbose):
        sys.stderr.write(f"ga-relu: {text}\n")
        sys.stderr.flush()
