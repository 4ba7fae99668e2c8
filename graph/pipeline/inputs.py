"""The input files of a build: found under the paths given, each looked at once (``stat``), and read and
hashed only when the record of the last build does not vouch for it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import Loc, Problem, display_path
from ..limits import MAX_FILE_BYTES, TooLarge, read_limited
from ..project import REGISTRY_FILENAMES
from ..read import discover_names
from ..record import BuildRecord, FileState, Stat, stat_of
from .cache import sha

_REGISTRY_KEYS = re.compile(rb"^(actors|proposals|conditions|base)\s*:", re.M)
_SOURCE_KEYS = re.compile(rb"^(source|statements)\s*:", re.M)


@dataclass
class Inputs:
    """The input files under some paths (as :func:`~stancegraph.graph.read.discover_names` finds them),
    with their absolute paths and ``stat``, as looked at once."""

    found: list[tuple[str, str | None]]  # (path, the importer that reads it, None for native YAML)
    absolute: list[str]
    stats: dict[str, Stat | None]  # by absolute path

    @classmethod
    def look(cls, paths: Iterable[Path | str]) -> Inputs:
        found = discover_names(paths)
        here = os.getcwd() + os.sep  # the names found are normalized: joining is enough to make them absolute
        absolute = [name if os.path.isabs(name) else here + name for name, _ in found]
        return cls(found, absolute, {name: stat_of(name) for name in absolute})


@dataclass
class Scanned:
    """An input file as this build found it."""

    path: str  # as discovered (relative when the input was)
    absolute: str
    state: FileState | None  # None: it could not be read
    raw: bytes | None = None  # its bytes, when they had to be read
    problem: Problem | None = None


#: the largest YAML input read (a source file of 45 statements is some 10 KB): the limit of every file read
MAX_YAML_BYTES = MAX_FILE_BYTES


def scan(path: str, absolute: str, stat: Stat | None, previous: BuildRecord, record: BuildRecord) -> Scanned:
    """A YAML input with its ``stat``: read and hashed only when the record of the last build does not
    vouch for it. What is found goes into ``record``."""
    known = previous.files.get(absolute)
    if stat is not None and known is not None and known.stat == stat:
        record.files[absolute] = known
        return Scanned(path, absolute, known)
    try:
        raw = read_limited(path, MAX_YAML_BYTES)
    except OSError as exc:
        return Scanned(path, absolute, None, problem=Problem(Loc(display_path(path)), f"cannot read the file ({exc.strerror})"))
    except TooLarge:
        return Scanned(path, absolute, None, problem=Problem(
            Loc(display_path(path)), f"the file is over {MAX_YAML_BYTES >> 20} MiB: too large for a source or a registry",
            "Split it into several files"))
    name = os.path.basename(path)
    is_registry = name in REGISTRY_FILENAMES or (bool(_REGISTRY_KEYS.search(raw)) and not _SOURCE_KEYS.search(raw))
    state = FileState(stat, sha(raw), "registry" if is_registry else "source")
    record.files[absolute] = state
    return Scanned(path, absolute, state, raw)
