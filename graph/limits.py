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


class TooLarge(Exception):
    """A file over its limit; no more than ``limit + 1`` of its bytes were read."""

    def __init__(self, limit: int):
        super().__init__(f"over {limit >> 20} MiB")
        self.limit = limit


def read_limited(path: Path | str, limit: int | None = None) -> bytes:
    """The bytes of ``path``, reading no more than ``limit + 1`` of them (a link to /dev/zero stops there);
    raises :class:`TooLarge` beyond ``limit`` (default MAX_FILE_BYTES), and OSError as ``open`` does. The one
    bounded read: each caller words its own problems."""
    limit = MAX_FILE_BYTES if limit is None else limit
    with open(path, "rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise TooLarge(limit)
    return raw


def read_bounded(path: Path, shown: str, limit: int | None = None) -> bytes:
    """:func:`read_limited`, with what stops it as :class:`InputProblems` naming the file."""
    try:
        return read_limited(path, limit)
    except OSError as exc:
        raise InputProblems([Problem(Loc(shown), f"cannot read the file ({exc.strerror})")]) from None
    except TooLarge as exc:
        raise InputProblems([Problem(Loc(shown), f"the file is over {exc.limit >> 20} MiB: too large to read",
                                     "Split it into several files")]) from None


__all__ = ["MAX_FILE_BYTES", "TooLarge", "read_bounded", "read_limited"]
