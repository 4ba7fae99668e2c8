"""The build pipeline for corpora of any size: per-source work, cached by content hash, in parallel.

    registry files ─ read, check ─ registry lines ─┐
    source files ─┬─ cache hit: its lines, as stored ├─ entries (one per source, in id order) ─ writers
                  └─ miss: read, check, emit lines ──┘     (streamed from the cache folder)

A source's lines depend only on its file, the registry and stancegraph itself, so each source is keyed
by ``sha256(fingerprint of registry and code, file bytes)`` and, once built, never built again until one
of those changes. A text file a source refers to (``text:``) is recorded with its hash and checked on
every hit. Sources are compiled in worker processes when there are enough of them to pay for it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from pathlib import Path
from typing import Any

from .check import Resolver, check_registry, check_source
from .emit import Iris, registry_lines, source_lines
from .errors import InputProblems, Loc, Problem, display_path
from .model import Registry, Source
from .read import REGISTRY_FILENAMES, _source, discover, kind_of, read_corpus, schema_problems
from .yamlread import loads_yaml

CACHE_FORMAT = "2"
#: below this many sources to compile, worker processes cost more than they save
PARALLEL_FROM = 200
_REGISTRY_KEYS = re.compile(rb"^(actors|proposals|conditions|base)\s*:", re.M)
_SOURCE_KEYS = re.compile(rb"^(source|statements)\s*:", re.M)


@cache
def code_fingerprint() -> str:
    """Changes whenever stancegraph's reading, checking or RDF-making code or vocabulary changes."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    try:
        digest.update(version("stancegraph").encode())
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        pass
    package = files("stancegraph.graph")
    for name in sorted(p.name for p in package.iterdir() if p.name.endswith(".py")):
        digest.update(package.joinpath(name).read_bytes())
    for name in ("stancegraph.ttl",):
        digest.update(files("stancegraph.ontology").joinpath(name).read_bytes())
    for name in ("source.schema.json", "registry.schema.json"):
        digest.update(package.joinpath("schema", name).read_bytes())
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/stancegraph``, or ``~/.cache/stancegraph``."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "stancegraph"


@dataclass
class Entry:
    """One built source: where its lines are stored, and what the run needs to know about it.

    The cache file holds a JSON header line, then the source's plain triples and then its own lines,
    each block sorted and written as N-Quads in the source's graph: N-Quads output copies the blocks
    as they are, N-Triples output strips the graph names."""

    source_id: str
    path: str  # as shown to the user
    file: Path
    shared: int  # how many lines are plain triples (which other sources may state too)
    lines: int
    cached: bool  # True when taken from the cache, False when built in this run
    statements: int = 0

    def blocks(self) -> tuple[bytes, bytes]:
        """(plain-triple lines, the source's own lines) as N-Quads bytes."""
        data = self.file.read_bytes()
        header, _, body = data.partition(b"\n")
        split = json.loads(header)["shared_bytes"]
        return body[:split], body[split:]

    def read(self) -> tuple[list[str], list[str]]:
        """(plain-triple lines, the source's own lines) as N-Triples lines, each sorted."""
        shared, own = self.blocks()
        return _triples(shared), _triples(own)


_GRAPH_NAME = re.compile(rb" <[^>]*> \.$", re.M)


def _triples(block: bytes) -> list[str]:
    return _GRAPH_NAME.sub(b" .", block).decode("utf-8").split("\n")[:-1] if block else []


@dataclass
class Compiled:
    """A built corpus: the registry's lines and one entry per source, in source id order."""

    iris: Iris
    registry: Registry
    registry_lines: list[str]
    entries: list[Entry]
    origins: dict[str, Loc] = field(default_factory=dict)  # for nodes built in this run
    workdir: tempfile.TemporaryDirectory[str] | None = None  # when no cache folder was given

    @property
    def statements(self) -> int:
        return sum(e.statements for e in self.entries)

    @property
    def triples(self) -> int:
        return len(self.registry_lines) + sum(e.lines for e in self.entries)

    def changed(self) -> list[Entry]:
        return [e for e in self.entries if not e.cached]

    def close(self) -> None:
        if self.workdir is not None:
            self.workdir.cleanup()
            self.workdir = None


# ----------------------------------------------------------------------------- the worker's side

_STATE: dict[str, Any] = {}


def _init(registry: Registry, iris: Iris, fingerprint: str, cache_dir: str) -> None:
    _STATE.update(registry=registry, iris=iris, resolver=Resolver(registry), fingerprint=fingerprint,
                  cache_dir=Path(cache_dir))


def _key(fingerprint: str, raw: bytes) -> str:
    return hashlib.sha256(fingerprint.encode() + b"\0" + raw).hexdigest()


def _cache_file(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key}.nt"


def _read_header(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("r", encoding="utf-8") as handle:
            header = json.loads(handle.readline())
    except (OSError, ValueError):
        return None
    if header.get("format") != CACHE_FORMAT or not {"id", "shared", "lines", "statements", "shared_bytes"} <= set(header):
        return None  # another version's entry, or a damaged one: build the source again
    for dep, digest in header.get("deps", {}).items():
        try:
            if hashlib.sha256(Path(dep).read_bytes()).hexdigest() != digest:
                return None
        except OSError:
            return None
    return header


def _write_entry(path: Path, header: dict[str, Any], graph: str, shared: list[str], own: list[str]) -> None:
    suffix = f" <{graph}> .\n"
    shared_block = "".join(line[:-2] + suffix for line in shared).encode("utf-8")
    own_block = "".join(line[:-2] + suffix for line in own).encode("utf-8")
    header = {**header, "shared_bytes": len(shared_block)}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(json.dumps(header, sort_keys=True).encode("utf-8") + b"\n")
        handle.write(shared_block)
        handle.write(own_block)
    os.replace(tmp, path)


def _compile_source(source: Source, raw: bytes | None, shown: str, problems: list[Problem]) -> dict[str, Any]:
    """Check and emit one source; store its lines in the cache when all is well."""
    from .anchor import anchor_source, text_path

    registry: Registry = _STATE["registry"]
    local: list[Problem] = []
    check_source(source, _STATE["resolver"], local)
    texts: dict[Any, Any] = {}
    anchor_source(source, registry, local, texts)
    result: dict[str, Any] = {"id": source.id, "path": shown, "loc": source.loc}
    if local:
        problems.extend(local)
        return result
    deps = {}
    if getattr(source, "text", None):
        text, _ = text_path(source, registry)
        if text is not None:
            deps[str(Path(text).resolve())] = hashlib.sha256(Path(text).read_bytes()).hexdigest()
    lines = source_lines(source, registry, _STATE["iris"])
    key = _key(_STATE["fingerprint"], raw if raw is not None else json.dumps(lines.own).encode())
    file = _cache_file(_STATE["cache_dir"], key)
    iris: Iris = _STATE["iris"]
    _write_entry(file, {"format": CACHE_FORMAT, "id": source.id, "shared": len(lines.shared),
                        "lines": len(lines.shared) + len(lines.own), "statements": len(source.statements),
                        "deps": deps}, iris.source_graph(source.id), lines.shared, lines.own)
    origins = {iris.source(source.id): source.loc}
    origins.update((iris.statement(source.id, st.id), st.loc) for st in source.statements)
    result.update(file=str(file), shared=len(lines.shared), lines=len(lines.shared) + len(lines.own),
                  statements=len(source.statements), cached=False, origins=origins)
    return result


def _lookup(path: Path) -> tuple[dict[str, Any] | None, bytes | None, list[Problem]]:
    """A cache hit for the file at ``path``, or its bytes to compile. (Called for every source of every
    build: it does as little as it can, and leaves the path as given until a message needs it.)"""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        return None, None, [Problem(Loc(display_path(path)), f"cannot read the file ({exc.strerror})")]
    key = _key(_STATE["fingerprint"], raw)
    file = os.path.join(_STATE["cache_dir"], key[:2], key + ".nt")
    header = _read_header(Path(file)) if os.path.isfile(file) else None
    if header is None:
        return None, raw, []
    return ({"id": header["id"], "path": str(path), "loc": None, "file": file, "shared": header["shared"],
             "lines": header["lines"], "statements": header["statements"], "cached": True, "origins": {}}, None, [])


def _compile_file(path_text: str, raw: bytes | None = None) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Compile a source file the cache does not hold (the caller looked it up); ``raw``: its bytes,
    when the caller has them."""
    path = Path(path_text)
    shown = display_path(path)
    problems: list[Problem] = []
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return None, [Problem(Loc(shown), f"cannot read the file ({exc.strerror})")]
    try:
        doc = loads_yaml(raw, shown)
    except InputProblems as exc:
        return None, list(exc.problems)
    kind = kind_of(doc)
    if kind != "source":
        hint = ("A source file has 'source:' and 'statements:'; a registry has 'actors:', 'proposals:' or "
                "'conditions:'")
        what = "the file is empty" if doc.data is None else "not a stancegraph file"
        return None, [Problem(doc.loc(), what, hint)]
    found = schema_problems(doc, "source")
    if found:
        return None, found
    result = _compile_source(_source(doc), raw, shown, problems)
    return (result if not problems else None), problems


def _compile_chunk(paths: list[str]) -> list[tuple[dict[str, Any] | None, list[Problem]]]:
    return [_compile_file(p) for p in paths]


# ----------------------------------------------------------------------------- the parent's side


def _is_registry_file(path: Path) -> bool:
    if path.name in REGISTRY_FILENAMES:
        return True
    try:
        head = path.read_bytes()
    except OSError:
        return False
    return bool(_REGISTRY_KEYS.search(head)) and not _SOURCE_KEYS.search(head)


def compile_corpus(
    paths: list[Path | str],
    *,
    cache_dir: Path | str | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Compiled:
    """Read, check and emit every source under ``paths``. Raises :class:`InputProblems` listing every
    problem. ``cache_dir=None`` builds in a temporary folder (nothing is reused); ``jobs=None`` uses
    every core when there are enough sources to compile."""
    from . import formats

    files_ = discover(paths)
    registry_files = [p for p in files_ if not formats.is_foreign(p) and _is_registry_file(p)]
    foreign = [p for p in files_ if formats.is_foreign(p)]
    taken = {*registry_files, *foreign}
    source_files = [p for p in files_ if p not in taken]

    # the registry (and foreign inputs, which may add entries to it) is read and checked here
    corpus, problems = read_corpus([*registry_files, *foreign]) if registry_files or foreign else (None, [])
    registry = corpus.registry if corpus is not None else Registry()
    resolver = Resolver(registry)
    check_registry(registry, resolver, problems)  # problems are collected; sources are still checked
    iris = Iris(registry.base)
    reg_lines = registry_lines(registry, iris)
    fingerprint = hashlib.sha256(
        (code_fingerprint() + "\0" + "\n".join(reg_lines)).encode("utf-8")
    ).hexdigest()

    workdir = None
    if cache_dir is None:
        workdir = tempfile.TemporaryDirectory(prefix="stancegraph-build-")
        cache_path = Path(workdir.name)
    else:
        cache_path = Path(cache_dir)
    _init(registry, iris, fingerprint, str(cache_path))

    results: list[tuple[dict[str, Any] | None, list[Problem]]] = []
    # foreign sources have no file bytes of their own to key on: they are compiled every time
    for source in corpus.sources if corpus is not None else []:
        local: list[Problem] = []
        result = _compile_source(source, None, source.path, local)
        results.append((None if local else result, local))
    # cache hits are found here (hashing a file is cheaper than sending it to a worker)
    misses: list[tuple[str, bytes]] = []
    for path in source_files:
        hit, raw, found = _lookup(path)
        if hit is not None or found:
            results.append((hit, found))
            if progress is not None:
                progress(1)
        else:
            assert raw is not None
            misses.append((str(path), raw))
    names = [name for name, _ in misses]
    workers = jobs if jobs is not None else (os.cpu_count() or 1) if len(names) >= PARALLEL_FROM else 1
    if workers > 1 and len(names) > 1:
        import multiprocessing

        size = max(1, min(100, len(names) // (workers * 8) or 1))
        chunks = [names[i : i + size] for i in range(0, len(names), size)]
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init,
                                 initargs=(registry, iris, fingerprint, str(cache_path))) as pool:
            for chunk_results in pool.map(_compile_chunk, chunks):
                results.extend(chunk_results)
                if progress is not None:
                    progress(len(chunk_results))
    else:
        for name, raw in misses:
            results.append(_compile_file(name, raw))
            if progress is not None:
                progress(1)

    entries: dict[str, Entry] = {}
    first_path: dict[str, str] = {}
    origins: dict[str, Loc] = {}
    for result, found in results:
        problems.extend(found)
        if result is None:
            continue
        sid = result["id"]
        if sid in first_path:
            loc = result["loc"] or Loc(display_path(result["path"]))
            problems.append(Problem(loc, f"duplicate source id {sid!r}, already used by {display_path(first_path[sid])}",
                                    "Give each source its own id"))
            continue
        first_path[sid] = result["path"]
        if "file" in result:
            entries[sid] = Entry(sid, result["path"], Path(result["file"]), result["shared"], result["lines"],
                                 result["cached"], result["statements"])
            origins.update(result["origins"])
    if problems:
        if workdir is not None:
            workdir.cleanup()
        raise InputProblems(problems)
    return Compiled(iris, registry, reg_lines, [entries[k] for k in sorted(entries)], origins, workdir)


# ----------------------------------------------------------------------------- reading entries back


def ntriples(compiled: Compiled) -> Iterator[bytes]:
    """The union graph as N-Triples chunks: the registry, then each source (plain triples once)."""
    seen: set[bytes] = {line.encode("utf-8") for line in compiled.registry_lines}
    yield "".join(line + "\n" for line in compiled.registry_lines).encode("utf-8")
    for entry in compiled.entries:
        shared, own = entry.blocks()
        fresh = []
        for line in _GRAPH_NAME.sub(b" .", shared).split(b"\n")[:-1]:
            if line not in seen:
                seen.add(line)
                fresh.append(line + b"\n")
        yield b"".join(fresh) + _GRAPH_NAME.sub(b" .", own)


def nquads(compiled: Compiled) -> Iterator[bytes]:
    """The dataset as N-Quads chunks: the registry graph, then one graph per source, in id order."""
    graph = f" <{compiled.iris.registry_graph()}> .\n"
    yield "".join(line[:-2] + graph for line in compiled.registry_lines).encode("utf-8")
    for entry in compiled.entries:
        shared, own = entry.blocks()
        yield shared + own
