"""What the last build of the same inputs saw, kept in the cache folder so that the next one reads less.

A rebuild after one source of 10,000 changed should cost a small fraction of a full build. The cache of
built sources (:mod:`.pipeline.cache`) already spares the building; what is left is fixed cost, and this
module removes the largest parts of it:

* **files**: each input file's size, times and inode, with the SHA-256 of its bytes. A file whose
  ``stat`` is unchanged is not read again (as ``git`` and ``make`` do). A file changed in the two
  seconds before a build looked at it is not trusted this way ("racily clean", in git's words): it is
  read again next time.
* **entries**: for each source file, the cache entry it was built into and that entry's counts, so
  that a hit does not even open the entry.
* **registry**: the checked registry (its model and lines), keyed by the hash of its files, so that an
  unchanged registry is neither parsed nor checked again.
* **outputs**: for an N-Triples or N-Quads file a build wrote, where each source's block lies in it;
  the next build copies unchanged blocks from the old file instead of assembling them again
  (:func:`stancegraph.output.stream.write_compiled`).

Records are JSON (a cache folder may be shared; nothing in it is executable). Each one is checked
against what it describes before it is used, and a record that does not fit (another stancegraph
version, a damaged file, an output edited since) is ignored: the build then does what it would do
without it. Deleting the cache folder is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple

from .files import WriteError, atomic_write_chunks
from .model import Registry, registry_from_data, registry_to_data

RECORD_FORMAT = "4"  # 4: per-language labels in the registry; Arabic and Hebrew folded in the name index
#: a file modified this close to (or after) the moment a build first looked at it is read again next time
RACY_NS = 2_000_000_000
#: outputs remembered per set of inputs (the most recently written ones)
MAX_OUTPUTS = 4
#: checked registries kept in a cache folder (the most recently made ones)
MAX_REGISTRIES = 8

Stat = tuple[int, int, int, int]


def stat_of(path: str | int) -> Stat | None:
    """(size, mtime, ctime, inode) of a file (a path or an open file descriptor), or None when it cannot
    be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _deps(value: Any) -> dict[str, list[Any]]:
    """A record's deps of one entry ({path: [sha, stat or -1s]}), checked for shape."""
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, list) and len(v) == 2
                                              and isinstance(v[0], str) for k, v in value.items()):
        raise ValueError("a damaged record")
    return {k: [sha, None if _stat(st) in (None, (-1, -1, -1, -1)) else _stat(st)] for k, (sha, st) in value.items()}


def _stat(value: Any) -> Stat | None:
    return tuple(value) if isinstance(value, list) and len(value) == 4 else None  # type: ignore[return-value]


class FileState(NamedTuple):
    """One input file as a build saw it."""

    stat: Stat | None  # None: not to be trusted next time (see RACY_NS)
    sha: str  # SHA-256 of its bytes
    kind: str  # "registry" or "source"


class EntryState(NamedTuple):
    """The cache entry a source file was built into, and its counts."""

    key: str
    id: str
    shared: int
    lines: int
    statements: int
    deps: dict[str, list[Any]]  # text file the source's quotes were checked against: [sha, stat]
    text: str | None = None  # the source's ``text:`` as written: where it points depends on where the source is
    digest: str = ""  # of the entry's lines (the same key can give other lines when a text changed)


#: hex digits of the hash of a plain triple (see OutputLayout.hashes)
HASH = 16
#: hex digits of the digest of a cache entry's lines
DIGEST = 32


@dataclass
class OutputLayout:
    """Where each source's block lies in a streamed output file (N-Triples or N-Quads), column by
    column: block ``i`` is source ``ids[i]``, built from lines of digest ``digests[i]``, ``lengths[i]`` bytes at
    ``offsets[i]``; ``hashes[i]`` holds the hashes of the plain triples the source states (each
    ``HASH`` hex digits, concatenated), which N-Triples writes once, in the first source's block."""

    fmt: str
    fingerprint: str  # of the registry and code that made it: the head (registry block) depends on it
    head: int = 0  # bytes of the registry block at the start of the file
    ids: list[str] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    stat: Stat | None = None  # of the file once written
    _index: tuple[str, list[int]] | None = field(default=None, repr=False, compare=False)

    def add(self, sid: str, digest: str, offset: int, length: int, hashes: str) -> None:
        self.ids.append(sid)
        self.digests.append(digest)
        self.offsets.append(offset)
        self.lengths.append(length)
        self.hashes.append(hashes)

    def stating(self, h: str) -> list[int]:
        """The blocks whose sources state the plain triple hashed ``h``, in order."""
        if self._index is None:
            self._index = ("".join(self.hashes), list(accumulate((len(x) for x in self.hashes), initial=0)))
        text, starts = self._index
        found = []
        at = text.find(h)
        while at != -1:
            if at % HASH == 0:
                found.append(bisect_right(starts, at) - 1)
            at = text.find(h, at + 1)
        return found

    def tiles(self, size: int) -> bool:
        """Whether the head and the blocks, one after the other, make a file of ``size`` bytes."""
        end = self.head
        if type(end) is not int or end < 0:
            return False
        for offset, length in zip(self.offsets, self.lengths):
            if offset != end or type(length) is not int or length < 0:
                return False
            end += length
        return end == size

    def to_data(self) -> dict[str, Any]:
        return {"fmt": self.fmt, "fingerprint": self.fingerprint, "head": self.head,
                "stat": list(self.stat) if self.stat else None, "ids": self.ids, "digests": "".join(self.digests),
                "spans": [n for pair in zip(self.offsets, self.lengths) for n in pair],
                "counts": [len(h) // HASH for h in self.hashes], "hashes": "".join(self.hashes)}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> OutputLayout:
        ids, digests, spans, text = data["ids"], data["digests"], data["spans"], data["hashes"]
        n = len(ids)
        starts = list(accumulate((HASH * c for c in data["counts"]), initial=0))
        if len(digests) != DIGEST * n or len(spans) != 2 * n or len(starts) != n + 1 or starts[-1] != len(text):
            raise ValueError("a damaged layout")
        return cls(data["fmt"], data["fingerprint"], data["head"], ids,
                   [digests[i : i + DIGEST] for i in range(0, DIGEST * n, DIGEST)], spans[0::2], spans[1::2],
                   [text[starts[i] : starts[i + 1]] for i in range(n)], _stat(data.get("stat")), (text, starts))


@dataclass
class BuildRecord:
    """What one build of a set of inputs saw (see the module's docstring)."""

    path: Path | None  # where it is kept; None when there is no cache folder
    code: str
    scanned_ns: int = field(default_factory=time.time_ns)
    files: dict[str, FileState] = field(default_factory=dict)  # by absolute path
    entries: dict[str, EntryState] = field(default_factory=dict)  # by absolute path of the source file
    registry: dict[str, Any] = field(default_factory=dict)  # digest, fingerprint, base, lines
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # OutputLayout data, by absolute path
    #: checked registries held in memory (model, lines, name index), by digest; never saved: a process
    #: that builds again (``build --watch``) passes them on through :meth:`settled`
    checked: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_data(self) -> dict[str, Any]:
        """Column by column: a record of 10,000 files is read back in milliseconds."""
        paths = list(self.files)
        at = {name: i for i, name in enumerate(paths)}
        entries = [(at[name], e) for name, e in self.entries.items() if name in at]
        return {
            "format": RECORD_FORMAT, "code": self.code, "scanned": self.scanned_ns,
            "paths": paths,
            "stats": [n for state in self.files.values() for n in self._trusted(state.stat)],
            "shas": "".join(state.sha for state in self.files.values()),
            "kinds": "".join(state.kind[0] for state in self.files.values()),
            "entries": {
                "at": [i for i, _ in entries], "ids": [e.id for _, e in entries],
                "keys": "".join(e.key for _, e in entries),
                "counts": [n for _, e in entries for n in (e.shared, e.lines, e.statements)],
                "deps": {str(i): {dep: [sha, self._trusted(stat)] for dep, (sha, stat) in e.deps.items()}
                         for i, e in entries if e.deps},
                "texts": {str(i): e.text for i, e in entries if e.text is not None},
                "digests": "".join(e.digest for _, e in entries),
            },
            "registry": self.registry, "outputs": self.outputs,
        }

    def _racy(self, stat: Stat | list[int] | None) -> bool:
        """Whether a file with this stat changed too recently (or is gone) to trust its stat next time."""
        return stat is None or max(stat[1], stat[2]) >= self.scanned_ns - RACY_NS

    def _trusted(self, stat: Stat | list[int] | None) -> list[int]:
        """``stat`` as it is kept, [-1, -1, -1, -1] for one not to trust (see :meth:`_racy`)."""
        return [-1, -1, -1, -1] if self._racy(stat) else list(stat)  # type: ignore[arg-type]

    def settled(self) -> BuildRecord:
        """This record as the next build should see it: what :meth:`save` then :func:`load_record` give,
        without the round trip (stats too recent to trust are dropped)."""
        copy = BuildRecord(self.path, self.code, self.scanned_ns, registry=dict(self.registry),
                           outputs=dict(self.outputs), checked=dict(self.checked))
        copy.files = {name: state._replace(stat=None) if state.stat is not None and self._racy(state.stat) else state
                      for name, state in self.files.items()}
        copy.entries = {name: entry._replace(deps={d: [sha, None if self._racy(st) else st] for d, (sha, st) in entry.deps.items()})
                        if entry.deps else entry for name, entry in self.entries.items()}
        return copy

    @classmethod
    def from_data(cls, path: Path, code: str, data: dict[str, Any]) -> BuildRecord:
        record = cls(path, code)
        paths, stats, shas, kinds = data["paths"], data["stats"], data["shas"], data["kinds"]
        n = len(paths)
        if len(stats) != 4 * n or len(shas) != 64 * n or len(kinds) != n:
            raise ValueError("a damaged record")
        kind_names = {"r": "registry", "s": "source"}
        rows = zip(*[iter(stats)] * 4)  # the flat list, four at a time
        untrusted = (-1, -1, -1, -1)
        record.files = {
            name: FileState(None if stat == untrusted else stat, shas[64 * i : 64 * i + 64], kind_names[kind])
            for i, (name, stat, kind) in enumerate(zip(paths, rows, kinds))
        }
        entries = data["entries"]
        keys, counts, deps, texts = entries["keys"], entries["counts"], entries["deps"], entries["texts"]
        digests = entries["digests"]
        if (len(keys) != 64 * len(entries["ids"]) or len(digests) != DIGEST * len(entries["ids"])
                or not all(type(n) is int for n in counts)
                or not all(isinstance(sid, str) for sid in entries["ids"]) or not isinstance(deps, dict)):
            raise ValueError("a damaged record")
        triples = zip(*[iter(counts)] * 3)
        record.entries = {
            paths[i]: EntryState(keys[64 * j : 64 * j + 64], sid, shared, lines, statements, _deps(deps.get(str(i), {})),
                                 texts.get(str(i)), digests[DIGEST * j : DIGEST * j + DIGEST])
            for j, (i, sid, (shared, lines, statements)) in enumerate(zip(entries["at"], entries["ids"], triples, strict=True))
        }
        registry, outputs = data["registry"], data["outputs"]
        if registry and not (isinstance(registry, dict) and type(registry.get("lines")) is int
                             and all(isinstance(registry.get(k), str) for k in ("digest", "fingerprint", "base"))):
            raise ValueError("a damaged record")
        if not isinstance(outputs, dict) or not all(isinstance(v, dict) for v in outputs.values()):
            raise ValueError("a damaged record")
        record.registry = dict(registry or {})
        record.outputs = dict(outputs)
        return record

    def same_as(self, other: BuildRecord | None) -> bool:
        """Whether saving this record would keep what ``other`` (the record it was loaded as) says."""
        return (other is not None and self.files == other.files and self.entries == other.entries
                and self.registry == other.registry and self.outputs == other.outputs)

    def save(self) -> None:
        if self.path is not None:
            _write_json(self.path, self.to_data())

    def layout(self, output: str, fmt: str, fingerprint: str) -> OutputLayout | None:
        """The layout of ``output`` as a build wrote it, if the file is still exactly that one."""
        data = self.outputs.get(output)
        try:
            if not data or data.get("fmt") != fmt or data.get("fingerprint") != fingerprint:
                return None
            layout = OutputLayout.from_data(data)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            return None
        if layout.stat is None or stat_of(output) != layout.stat or not layout.tiles(layout.stat[0]):
            return None
        return layout

    def remember_output(self, output: str, layout: OutputLayout | None) -> None:
        self.outputs.pop(output, None)
        if layout is not None:
            layout.stat = stat_of(output)
            self.outputs[output] = layout.to_data()
            while len(self.outputs) > MAX_OUTPUTS:
                del self.outputs[next(iter(self.outputs))]


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Write a cache file whole or not at all; a cache that cannot be written only makes the next build
    slower, so a failure is not an error."""
    try:
        atomic_write_chunks(path, (json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8"),),
                            durable=False)
    except WriteError:
        pass


def record_path(cache_dir: Path, inputs: list[str]) -> Path:
    """Where the record of a build of ``inputs`` (as given, from the current folder) is kept."""
    key = json.dumps([os.getcwd(), sorted(os.path.abspath(p) for p in inputs)])
    return cache_dir / "builds" / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".json")


def load_record(path: Path, code: str) -> BuildRecord:
    """The record kept at ``path``, or an empty one when there is none that fits this stancegraph."""
    try:
        data = json.loads(path.read_bytes())
        if data.get("format") == RECORD_FORMAT and data.get("code") == code:
            return BuildRecord.from_data(path, code, data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        pass  # not there, or not one this stancegraph can use: the build does without
    return BuildRecord(path, code)


# ----------------------------------------------------------------------------- the checked registry


def registry_cache_path(cache_dir: Path, digest: str) -> Path:
    return cache_dir / "registries" / f"{digest}.json"


def save_registry(cache_dir: Path, digest: str, registry: Registry, lines: list[str], index: dict[str, set[str]],
                  *, replace: bool = False) -> None:
    """Keep a checked registry, its lines and its name index (see ``check.Resolver``), to be loaded
    instead of read and checked again (``replace``: over a copy found damaged)."""
    path = registry_cache_path(cache_dir, digest)
    if path.exists() and not replace:
        return
    _write_json(path, {"format": RECORD_FORMAT, "registry": registry_to_data(registry, field_locs=False),
                       "lines": "\n".join(lines), "index": {name: sorted(ids) for name, ids in index.items()}})
    try:  # each edit of a registry leaves a copy behind: keep the most recent few
        kept = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in kept[MAX_REGISTRIES:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def load_registry(cache_dir: Path, digest: str) -> tuple[Registry, list[str], dict[str, list[str]]] | None:
    """A registry kept by :func:`save_registry`, or None when it is not there or not of the expected
    shape. (The caller checks its lines against the fingerprint the record has for it.)"""
    try:
        data = json.loads(registry_cache_path(cache_dir, digest).read_bytes())
        if data.get("format") != RECORD_FORMAT:
            return None
        lines, index, model = data["lines"], data["index"], data["registry"]
        width = len(model["fields"]) + 2
        if (not isinstance(lines, str) or not isinstance(index, dict)
                or not all(isinstance(ids, list) and all(isinstance(i, str) for i in ids) for ids in index.values())
                or not all(isinstance(row, list) and len(row) == width and isinstance(row[0], str)
                           and isinstance(row[-2], list) and isinstance(row[-1], dict) for row in model["entities"])):
            return None
        return registry_from_data(model), lines.split("\n") if lines else [], index
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
        return None
