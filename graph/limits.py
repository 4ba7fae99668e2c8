"""The limits of what stancegraph reads (issue 16), in one place: each is enforced with a problem that names
the file and says what to do, never by running out of memory or time. docs/reliability.md lists them with the
limits kept elsewhere (nesting depths, store replies, the view's node count) and why each is where it is."""

from __future__ import annotations

from pathlib import Path

from .errors import InputProblems, Loc, Problem

#: A YAML source or registry, a JSON export (Web Annotation, Label Studio), a brat .ann file, a source's text.
#: Parsed into Python objects such a file takes 10-20 times its size in memory: 256 MiB is about the most a
#: laptop builds; a corpus that large is many files, each well under it.
MAX_FILE_BYTES = 256 << 20


def read_bounded(path: Path, shown: str, limit: int | None = None) -> bytes:
    """The bytes of ``path``, or :class:`InputProblems` if it cannot be read or is over ``limit``; never more
    than ``limit + 1`` bytes are read (a link to /dev/zero stops there). ``limit`` defaults to MAX_FILE_BYTES."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise InputProblems([Problem(Loc(shown), f"cannot read the file ({exc.strerror})")]) from None
    if len(raw) > limit:
        raise InputProblems([Problem(Loc(shown), f"the file is over {limit >> 20} MiB: too large to read",
                                     "Split it into several files")])
    return raw


__all__ = ["MAX_FILE_BYTES", "read_bounded"]
