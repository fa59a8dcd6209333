"""Atomic output files: written to a temporary file in the target's folder, moved into place whole.

One implementation for every writer (the command line's --json/--latex/--plot, and
:func:`ga_relu.interfaces.plotting.save_figure`): a reader never sees half a file, and a failing
run leaves no file behind. :func:`staged_files` moves a group of files into place only when all of
them were written; :func:`write_atomically` is the group of one.

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> path = write_atomically(os.path.join(folder, "a.txt"), text_writer("hello\\n"))
>>> open(path).read(), os.listdir(folder)
('hello\\n', ['a.txt'])
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import Callable, Iterator

from .errors import InvalidInputError

__all__ = ["check_output_folder", "staged_files", "write_atomically", "text_writer", "figure_writer"]

#: ``write(tmp_path)`` writes the whole content to the file ``tmp_path``
Writer = Callable[[str], None]


def check_output_folder(path) -> str:
    """The folder that will hold ``path``; InvalidInputError when it does not exist.

    >>> check_output_folder(os.path.join(tempfile.gettempdir(), "x.png")) == tempfile.gettempdir()
    True
    """
    folder = os.path.dirname(os.path.abspath(os.fspath(path)))
    if not os.path.isdir(folder):
        raise InvalidInputError(f"cannot write {os.fspath(path)}: the folder {folder} does not exist; create it first")
    return folder


@contextlib.contextmanager
def staged_files() -> Iterator[Callable[[str, Writer], None]]:
    """Collect output files and move them into place together, only if the block succeeds.

    ``stage(path, write)`` calls ``write(tmp_path)`` with a new temporary file in the target's
    folder (so that the final ``os.replace`` is a rename, atomic per file); on leaving the block
    without error each temporary file replaces its target; on any error every temporary file is
    removed and no target is touched.

    >>> folder = tempfile.mkdtemp()
    >>> with staged_files() as stage:
    ...     stage(os.path.join(folder, "a.txt"), text_writer("a"))
    ...     stage(os.path.join(folder, "b.txt"), text_writer("b"))
    >>> sorted(os.listdir(folder))
    ['a.txt', 'b.txt']
    """
    staged: list[tuple[str, str]] = []

    def stage(path, write: Writer) -> None:
        path = os.fspath(path)
        handle, tmp = tempfile.mkstemp(dir=check_output_folder(path), prefix=f".{os.path.basename(path)}.",
                                       suffix=".tmp")
        os.close(handle)
        staged.append((tmp, path))
        write(tmp)

    try:
        yield stage
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)


def write_atomically(path, write: Writer) -> str:
    """Write one file through :func:`staged_files`; returns the path written (a str).

    >>> folder = tempfile.mkdtemp()
    >>> os.path.basename(write_atomically(os.path.join(folder, "b.txt"), text_writer("b")))
    'b.txt'
    """
    with staged_files() as stage:
        stage(path, write)
    return os.fspath(path)


def text_writer(text: str) -> Writer:
    """A writer of ``text`` (UTF-8).

    >>> folder = tempfile.mkdtemp()
    >>> open(write_atomically(os.path.join(folder, "c.txt"), text_writer("c")), encoding="utf-8").read()
    'c'
    """
    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)

    return write


def figure_writer(fig, path, *, dpi: int = 150, **savefig_kwargs) -> Writer:
    """A writer of the matplotlib figure ``fig`` in the format named by ``path``'s suffix (.png,
    .pdf, .svg, ...); InvalidInputError at once (before anything is written) for an unknown suffix.

    >>> from matplotlib.figure import Figure
    >>> folder = tempfile.mkdtemp()
    >>> path = write_atomically(os.path.join(folder, "f.svg"), figure_writer(Figure(), os.path.join(folder, "f.svg")))
    >>> open(path).read(5)
    '<?xml'
    """
    path = os.fspath(path)
    suffix = os.path.splitext(path)[1].lower().lstrip(".")
    supported = fig.canvas.get_supported_filetypes()
    if suffix not in supported:
        raise InvalidInputError(f"cannot tell the image format of {path}; end the name with one of "
                                f"{', '.join('.' + s for s in sorted(supported))}")
    savefig_kwargs.setdefault("bbox_inches", "tight")

    def write(tmp: str) -> None:
        fig.savefig(tmp, format=suffix, dpi=dpi, **savefig_kwargs)

    return write
