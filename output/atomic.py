"""Writing files so that a failure never leaves a half-written or clobbered output behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from stancegraph.graph.errors import OutputError, display_path


def atomic_write(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it.

    Readers see the old file or the new one, never a part of it; if anything fails, the old file is
    left as it was.
    """
    atomic_write_chunks(path, (data,))


def atomic_write_chunks(path: Path | str, chunks: Iterable[bytes]) -> int:
    """Like :func:`atomic_write`, for output produced piece by piece; returns the bytes written."""
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
            for chunk in chunks:
                handle.write(chunk)
                written += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{display_path(target)}: cannot write the file ({exc.strerror})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return written
