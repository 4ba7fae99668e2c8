"""The cache folder of a build: one entry per built source, keyed by the source's bytes, the registry and
the code, under ``<cache>/<key[:2]>/<key>.nt``.

An entry holds a JSON header line, then the source's plain triples and then its own lines, each block
sorted and written as N-Quads in the source's graph: N-Quads output copies the blocks as they are,
N-Triples output strips the graph names.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ..errors import OutputError, display_path
from ..files import WriteError, atomic_write_chunks
from ..record import DIGEST, EntryState, stat_of

CACHE_FORMAT = "5"
# the graph name ending an N-Quads line: an IRI holds no space, quote or '<', so a literal such as
# "ferries <from July" before it is never taken for its start (found by tests/test_fuzz.py: it cut the line)
_GRAPH_NAME = re.compile(rb' <[^<>"\s]*> \.$', re.M)


@cache
def code_fingerprint() -> str:
    """Changes whenever stancegraph's reading, checking or RDF-making code or vocabulary changes."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    graph = Path(__file__).parent.parent
    ontology = find_spec("stancegraph.ontology")
    assert ontology is not None and ontology.submodule_search_locations
    for name in sorted(p.relative_to(graph).as_posix() for p in graph.rglob("*.py")):
        digest.update((graph / name).read_bytes())
    digest.update(Path(ontology.submodule_search_locations[0], "stancegraph.ttl").read_bytes())
    for name in ("source.schema.json", "registry.schema.json"):
        digest.update((graph / "schema" / name).read_bytes())
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/stancegraph``, or ``~/.cache/stancegraph``."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "stancegraph"


def sha(raw: bytes) -> str:
    """The SHA-256 of a file's bytes: what the cache and the record know a file by."""
    return hashlib.sha256(raw).hexdigest()


def cache_key(fingerprint: str, file_sha: str) -> str:
    """The cache key of a source file whose bytes hash to ``file_sha``, built against ``fingerprint``."""
    return hashlib.sha256(f"{fingerprint}\0{file_sha}".encode()).hexdigest()


def cache_file(cache_dir: str, key: str) -> str:
    return f"{cache_dir}{os.sep}{key[:2]}{os.sep}{key}.nt"


@dataclass
class Entry:
    """One built source: where its lines are stored, and what the run needs to know about it."""

    source_id: str
    path: str  # as shown to the user
    file: str  # the cache entry
    shared: int  # how many lines are plain triples (which other sources may state too)
    lines: int
    cached: bool  # True when taken from the cache, False when built in this run
    statements: int = 0
    key: str = ""  # of the cache entry (the source's bytes, the registry and the code)
    digest: str = ""  # of its lines: what an output's layout compares (a changed text: changes lines, not the key)
    rebuild: Callable[[Entry], tuple[str, str]] | None = field(default=None, repr=False, compare=False)  # → file, digest

    def blocks(self) -> tuple[bytes, bytes]:
        """(plain-triple lines, the source's own lines) as N-Quads bytes. An entry found damaged or
        missing is built again from its source file (once)."""
        found = entry_blocks(self.file)
        if found is None and self.rebuild is not None:
            self.file, self.digest = self.rebuild(self)
            self.cached = False  # built in this run after all
            found = entry_blocks(self.file)
        if found is None:
            raise OutputError(f"the build cache lost its entry for {display_path(self.path)} during the build. "
                              "Run the build again")
        return found

    def read(self) -> tuple[list[str], list[str]]:
        """(plain-triple lines, the source's own lines) as N-Triples lines, each sorted."""
        shared, own = self.blocks()
        return _triples(shared), _triples(own)


def entry_blocks(file: str) -> tuple[bytes, bytes] | None:
    """The two blocks of a cache entry, or None when it is missing or damaged (cut, emptied, or any byte
    changed: its digest is checked), so that it is built again."""
    try:
        with open(file, "rb") as handle:
            data = handle.read()
        head, _, body = data.partition(b"\n")
        header = json.loads(head)
        split, size = header["shared_bytes"], header["bytes"]
        if header.get("format") != CACHE_FORMAT or len(body) != size or not 0 <= split <= size:
            return None
        # a flipped byte keeps the size: the digest of the lines is checked too (a damaged disk, a hand edit)
        if hashlib.blake2b(body, digest_size=DIGEST // 2).hexdigest() != header["digest"]:
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    return body[:split], body[split:]


def plain(block: bytes) -> list[bytes]:
    """The lines of an N-Quads block as N-Triples lines (without their line ends)."""
    return _GRAPH_NAME.sub(b" .", block).split(b"\n")[:-1]


def without_graph(block: bytes) -> bytes:
    """An N-Quads block as N-Triples."""
    return _GRAPH_NAME.sub(b" .", block)


def _triples(block: bytes) -> list[str]:
    return [line.decode("utf-8") for line in plain(block)]


def write_entry(path: str, header: dict[str, Any], graph: str, shared: list[str], own: list[str]) -> str:
    """Write a cache entry (header line, then the two blocks); returns the digest of its lines."""
    suffix = f" <{graph}> .\n"
    shared_block = "".join(line[:-2] + suffix for line in shared).encode("utf-8")
    own_block = "".join(line[:-2] + suffix for line in own).encode("utf-8")
    digest = hashlib.blake2b(shared_block + own_block, digest_size=DIGEST // 2).hexdigest()
    header = {**header, "shared_bytes": len(shared_block), "bytes": len(shared_block) + len(own_block), "digest": digest}
    head = json.dumps(header, sort_keys=True).encode("utf-8") + b"\n"
    try:
        atomic_write_chunks(path, (head, shared_block, own_block), durable=False)
    except WriteError as exc:
        where = display_path(os.path.dirname(os.path.dirname(path)))
        raise OutputError(f"cannot write the build cache in {where} ({exc.strerror}). Give another folder with "
                          "--cache DIR, or build with --no-cache") from None
    return digest


def read_header(path: str, key: str) -> EntryState | None:
    """What the header of the cache entry of ``key`` says, its texts checked; None when it is missing,
    damaged, of another version, or a text it was checked against changed."""
    try:
        with open(path, encoding="utf-8") as handle:
            header = json.loads(handle.readline())
        if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT:
            return None  # another version's entry, or a damaged one: build the source again
        if not {"id", "shared", "lines", "statements", "shared_bytes", "bytes", "text", "digest"} <= set(header):
            return None
        deps = checked_deps({dep: [digest, None] for dep, digest in header.get("deps", {}).items()})
    except (OSError, ValueError, RecursionError, AttributeError, TypeError):
        return None
    if deps is None:
        return None
    return EntryState(key, header["id"], header["shared"], header["lines"], header["statements"], deps,
                      header["text"], header["digest"])


def checked_deps(deps: dict[str, list[Any]]) -> dict[str, list[Any]] | None:
    """``deps`` ({text file: [sha, stat or None]}) with the stat each has now, or None when one changed.
    A file whose stat is the one kept is not read; another is hashed (its stat taken first)."""
    now = {}
    for dep, (digest, stat) in deps.items():
        seen = stat_of(dep)
        if seen is None:
            return None
        if stat is None or tuple(stat) != seen:
            try:
                if sha(Path(dep).read_bytes()) != digest:
                    return None
            except OSError:
                return None
        now[dep] = [digest, seen]
    return now
