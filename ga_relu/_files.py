"""Atomic output files: written to a temporary file in the target's folder, moved into place whole.

One implementation for every writer (the command line's --json/--latex/--plot, and
:func:`ga_relu.interfaces.plotting.save_figure`): a reader never sees half a file, and a failing
run leaves no file behind. :func:`staged_files` moves a group of files into place as one
transaction: either every target holds its new content, or every target holds what it held before
(or is absent, as before). :func:`write_atomically` is the group of one.

The commit of a group, in order:

1. every file is written to a temporary file next to its target (mode ``0o666 & ~umask``, as
   ``open(path, "w")`` would give, rather than the 0600 of :func:`tempfile.mkstemp`);
2. every existing target is backed up next to itself, by a hard link (no copy, and the target stays
   in place) or, where the file system has no hard links, by a copy;
3. the temporaries replace the targets one by one (``os.replace``: atomic per file); if one
   replacement fails, those already made are undone (the backup renamed back, a new file removed)
   and the error is raised;
4. the backups are removed.

SIGINT is held back (POSIX, main thread) during steps 2-4, so Ctrl-C cannot stop a commit half way;
it takes effect right after. Two processes writing the same target each rename a whole file into
place, so the target ends up holding one of them whole.

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> path = write_atomically(os.path.join(folder, "a.txt"), text_writer("hello\\n"))
>>> open(path).read(), os.listdir(folder)
('hello\\n', ['a.txt'])
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import tempfile
import threading
from typing import Callable, Iterator

from .errors import InvalidInputError

__all__ = ["check_output_folder", "check_writable_folder", "staged_files", "write_atomically", "text_writer", "figure_writer",
           "current_umask"]

#: ``write(tmp_path)`` writes the whole content to the file ``tmp_path``
Writer = Callable[[str], None]


def check_output_folder(path) -> str:
    """The folder that will hold ``path``; InvalidInputError when it does not exist or ``path`` is a folder.

    >>> check_output_folder(os.path.join(tempfile.gettempdir(), "x.png")) == tempfile.gettempdir()
    True
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InvalidInputError(f"cannot write {path}: the folder {folder} does not exist; create it first")
    if os.path.isdir(path):
        raise InvalidInputError(f"cannot write {path}: it is a folder; give a file name")
    return folder


def check_writable_folder(path) -> str:
    """The folder that will hold ``path``, checked to take new files by creating and removing one
    (``os.access`` is not enough: it ignores immutable folders, read-only mounts and ACLs for
    root); InvalidInputError naming the folder otherwise. Used before long work, so that it fails
    at once rather than after the work.

    >>> check_writable_folder(os.path.join(tempfile.gettempdir(), "x.png")) == tempfile.gettempdir()
    True
    """
    folder = check_output_folder(path)
    try:
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".ga-relu-probe.", suffix=".tmp")
    except OSError as exc:
        raise InvalidInputError(f"cannot write {os.fspath(path)}: the folder {folder} does not take new files "
                                f"({exc.strerror or exc}); choose a folder you can write to") from exc
    os.close(handle)
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return folder


def current_umask() -> int:
    """The process's file-mode creation mask.

    Read from ``/proc/self/status`` (Linux >= 4.7) where it can be, since the portable way, an
    ``os.umask`` round trip, briefly sets the mask of the whole process: a file created by another
    thread in that instant would get the temporary mask. The round trip sets it back to the value
    it read at once, so the window is two system calls; it is the fallback only.

    >>> 0 <= current_umask() <= 0o777
    True
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_error(path: str, exc: OSError) -> InvalidInputError:
    """A one-line error for a target that cannot be written (read-only folder, immutable file)."""
    reason = exc.strerror or str(exc)
    return InvalidInputError(f"cannot write {path}: {reason}; check the folder's and the file's permissions "
                             "or choose another output path")


@contextlib.contextmanager
def _sigint_held():
    """Hold SIGINT back for the block (POSIX, main thread only); a pending one arrives after it."""
    can_block = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    if not can_block:
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _backup(path: str) -> str | None:
    """A backup of the existing file ``path`` next to it (None when there is none): a hard link, or
    a copy where the file system refuses links. Raises InvalidInputError when neither works."""
    if not os.path.lexists(path):
        return None
    folder, name = os.path.split(path)
    for _ in range(100):  # a fresh name: os.link never overwrites
        backup = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.bak")
        try:
            os.link(path, backup, follow_symlinks=False)
            return backup
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV,
                                 errno.EACCES):
                raise _write_error(path, exc) from exc
            break
    else:  # pragma: no cover - 100 collisions of 48 random bits
        raise InvalidInputError(f"cannot back up {path}: no free temporary name in {folder}")
    # no hard links here (or the file is immutable: then its replacement below fails cleanly)
    try:
        handle, backup = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".bak")
    except OSError as exc:
        raise _write_error(path, exc) from exc
    os.close(handle)
    try:
        shutil.copy2(path, backup, follow_symlinks=False)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(backup)
        raise _write_error(path, exc) from exc
    return backup


def _commit(staged: list[tuple[str, str]]) -> None:
    """Replace every target by its temporary file, all or nothing (module docstring, steps 2-4)."""
    backups: list[str | None] = []
    done: list[int] = []
    try:
        for _, path in staged:
            backups.append(_backup(path))
        for k, (tmp, path) in enumerate(staged):
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise _write_error(path, exc) from exc
            done.append(k)
    except BaseException:
        for k in reversed(done):  # undo, newest first (a target staged twice ends with its oldest content)
            path, backup = staged[k][1], backups[k]
            with contextlib.suppress(OSError):
                if backup is None:
                    os.unlink(path)
                else:
                    os.replace(backup, path)
                    backups[k] = None
        raise
    finally:
        for backup in backups:
            if backup is not None:
                with contextlib.suppress(OSError):
                    os.unlink(backup)


@contextlib.contextmanager
def staged_files() -> Iterator[Callable[[str, Writer], None]]:
    """Collect output files and move them into place together, only if the block succeeds.

    ``stage(path, write)`` calls ``write(tmp_path)`` with a new temporary file in the target's
    folder (so that the final ``os.replace`` is a rename, atomic per file); on leaving the block
    without error the targets are replaced as one transaction (module docstring): if any
    replacement fails, the targets already replaced get their previous content back (or are removed
    when they did not exist) and the error is raised. On any error every temporary file is removed.

    Raises
    ------
    InvalidInputError
        When a target's folder does not exist or cannot be written, or a target cannot be replaced
        (an immutable file, say); no target is changed then.

    >>> folder = tempfile.mkdtemp()
    >>> with staged_files() as stage:
    ...     stage(os.path.join(folder, "a.txt"), text_writer("a"))
    ...     stage(os.path.join(folder, "b.txt"), text_writer("b"))
    >>> sorted(os.listdir(folder))
    ['a.txt', 'b.txt']
    >>> oct(os.stat(os.path.join(folder, "a.txt")).st_mode & 0o777) == oct(0o666 & ~current_umask())
    True
    """
    staged: list[tuple[str, str]] = []
    mode = 0o666 & ~current_umask()

    def stage(path, write: Writer) -> None:
        path = os.fspath(path)
        folder = check_output_folder(path)
        try:
            handle, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
        except OSError as exc:
            raise _write_error(path, exc) from exc
        staged.append((tmp, path))
        try:
            os.fchmod(handle, mode)
        finally:
            os.close(handle)
        write(tmp)

    try:
        yield stage
        with _sigint_held():
            _commit(staged)
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
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
