"""Writing files so that a failure never leaves a half-written or clobbered output behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from stancegraph.graph.errors import OutputError, display_path
from stancegraph.graph.pipeline import Span
from stancegraph.graph.record import new_file_mode


def atomic_write(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it.

    Readers see the old file or the new one, never a part of it; if anything fails, the old file is
    left as it was.
    """
    atomic_write_chunks(path, (data,))


def atomic_write_chunks(path: Path | str, chunks: Iterable[bytes | Span], previous: BinaryIO | None = None) -> int:
    """Like :func:`atomic_write`, for output produced piece by piece; returns the bytes written.

    A :class:`~stancegraph.graph.pipeline.Span` piece is copied from ``previous`` (the file being
    replaced, opened by the caller), in the kernel where it can (``copy_file_range``)."""
    target = Path(path)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{display_path(target)}: cannot write here ({exc.strerror}). Check the folder and its permissions") from None
    written = 0
    try:
        with os.fdopen(fd, "wb") as handle:
            span: list[int] = []  # [offset, length] of consecutive spans, copied as one
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
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, new_file_mode())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{display_path(target)}: cannot write the file ({exc.strerror})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
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
