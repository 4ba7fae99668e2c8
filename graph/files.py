"""Writing a file whole or not at all: the one way stancegraph replaces a file (outputs, cache entries,
build records).

The bytes go to a temporary file in the target's folder, which is given the permissions of a new file
and renamed over the target: readers see the old file or the new one, never a part of it, and a
failure leaves the old file as it was. An output is also made durable (``fsync``) before the rename;
a cache file need not be (a lost one only costs time).
"""

from __future__ import annotations

import errno
import fcntl
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from glob import escape as glob_escape
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError, display_path


@dataclass(frozen=True)
class Span:
    """``length`` bytes at ``offset`` of the file being replaced: copied from it, not rebuilt."""

    offset: int
    length: int


Piece = bytes | Span


class WriteError(OutputError):
    """A file could not be written (the old one, if any, is untouched). ``strerror`` says why, for
    callers that say it their own way (the build cache)."""

    def __init__(self, message: str, strerror: str | None):
        super().__init__(message)
        self.strerror = strerror


@cache
def new_file_mode() -> int:
    """The permissions a new file gets here (0o666 less the umask). Files written through mkstemp are
    private until given these: outputs are read by others, and a cache folder may be shared."""
    umask = os.umask(0)  # the only portable way to read it is to set it, and set it back
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def writing(path: Path | str, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the lock for writing ``path``: an exclusive ``flock`` on its folder (no lock file is left behind),
    so that two builds never write into one folder at once. A build reads the old output
    (its unchanged blocks are copied) and records what it wrote: another build renaming its file in between
    would leave a record that does not fit the file. ``waiting()`` is called once if another holds the lock;
    this then waits for it. A folder that cannot be opened is not locked (the write says what is wrong)."""
    with _locking(lambda: os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY), waiting):
        _remove_leftovers(Path(path))
        yield


def _remove_leftovers(target: Path) -> None:
    """Remove the temporary files of ``target`` that a killed process left (``.NAME.XXXX.tmp``, as
    :func:`atomic_write_chunks` names them): with the folder's lock held, no live writer of it has one open."""
    try:
        for leftover in target.parent.glob(f".{glob_escape(target.name)}.*.tmp"):
            leftover.unlink(missing_ok=True)
    except OSError:
        pass


@contextmanager
def holding(lock_file: Path | str, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``lock_file`` (made if missing, and left: removing it would let a
    waiting process lock a file that is gone). For what has no folder of its own to lock (a store)."""
    def opened() -> int:
        Path(lock_file).parent.mkdir(parents=True, exist_ok=True)
        return os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o666)

    with _locking(opened, waiting):
        yield


@contextmanager
def _locking(opened: Callable[[], int], waiting: Callable[[], None] | None) -> Iterator[None]:
    """Lock what ``opened()`` opens; what cannot be opened is not locked (the write after says what is wrong)."""
    try:
        fd = opened()
    except OSError:
        yield
        return
    with _flocked(fd, waiting):
        yield


@contextmanager
def _flocked(fd: int, waiting: Callable[[], None] | None) -> Iterator[None]:
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without flock: go on unlocked, as before
            pass
        yield
    finally:
        os.close(fd)  # releases the lock


def atomic_write(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` (see :func:`atomic_write_chunks`)."""
    atomic_write_chunks(path, (data,))


def atomic_write_chunks(path: Path | str, chunks: Iterable[Piece], previous: BinaryIO | None = None, *,
                        durable: bool = True, ready: Callable[[], None] | None = None) -> int:
    """Write ``chunks`` to ``path`` through a temporary file in the same folder, then rename it;
    returns the bytes written. Raises :class:`WriteError` (the temporary file removed).

    A :class:`Span` is copied from ``previous`` (the file being replaced, opened by the caller), in the
    kernel where it can (``copy_file_range``). ``durable``: the bytes reach the disk before the rename.
    ``ready()`` is called just before the rename: what it raises leaves the old file as it was."""
    target = Path(path)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"{display_path(target)}: cannot write here ({exc.strerror}). Check the folder and its "
                         "permissions", exc.strerror) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            written = _write_pieces(handle, chunks, previous)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, new_file_mode())
        if ready is not None:
            ready()
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        what = ("the disk is full: free some space and run again" if exc.errno in (errno.ENOSPC, errno.EDQUOT)
                else "check the folder, its permissions and the free space")
        kept = "; the file that was there is as it was" if target.exists() else ""
        raise WriteError(f"{display_path(target)}: cannot write the file ({exc.strerror}): {what}{kept}",
                         exc.strerror) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return written


def _write_pieces(handle: BinaryIO, chunks: Iterable[Piece], previous: BinaryIO | None) -> int:
    """Write bytes as they come and spans of ``previous`` (consecutive ones copied as one)."""
    written = 0
    span: list[int] = []  # [offset, length] of consecutive spans
    for chunk in chunks:
        if isinstance(chunk, bytes):
            if span:
                _copy(previous, handle, *span)
                span = []
            handle.write(chunk)
        elif span and span[0] + span[1] == chunk.offset:
            span[1] += chunk.length
        else:
            if span:
                _copy(previous, handle, *span)
            span = [chunk.offset, chunk.length]
        written += len(chunk) if isinstance(chunk, bytes) else chunk.length
    if span:
        _copy(previous, handle, *span)
    return written


def _copy(source: BinaryIO | None, handle: BinaryIO, offset: int, length: int) -> None:
    """Append ``length`` bytes at ``offset`` of ``source`` to ``handle``: in the kernel where it can
    (``copy_file_range``, which shares the blocks on file systems with reflinks), else through memory."""
    if source is None:
        raise ValueError("a span to copy, and no file to copy it from")
    handle.flush()
    copy_file_range = getattr(os, "copy_file_range", None)  # Linux
    while length > 0 and copy_file_range is not None:
        try:
            done = copy_file_range(source.fileno(), handle.fileno(), length, offset)
        except OSError:  # not between these file systems, or not on this kernel
            break
        if not done:
            break
        offset += done
        length -= done
    source.seek(offset)
    while length > 0:
        data = source.read(min(length, 1 << 20))
        if not data:
            raise OSError(0, "the file to copy from is shorter than its record says")
        handle.write(data)
        length -= len(data)
