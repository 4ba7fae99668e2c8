"""The build pipeline for corpora of any size: per-source work, cached by content hash, in parallel.

    registry files ─ read, check ─ registry lines ─┐
    source files ─┬─ cache hit: its lines, as stored ├─ entries (one per source, in id order) ─ writers
                  └─ miss: read, check, emit lines ──┘     (streamed from the cache folder)

A source's lines depend only on its file, the registry and stancegraph itself, so each source is keyed
by ``sha256(fingerprint of registry and code, sha256(file bytes))`` and, once built, never built again
until one of those changes. A text file a source refers to (``text:``) is recorded with its hash and
checked on every hit. Sources are compiled in worker processes when there are enough of them to pay for
it. What a build saw is kept for the next one (:mod:`.record`): a rebuild reads only the files whose
``stat`` changed, loads an unchanged registry instead of checking it, and the writers copy the blocks of
unchanged sources from the previous output (:func:`pieces`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .emit import Iris, registry_lines, source_lines
from .errors import InputProblems, Loc, OutputError, Problem, display_path
from .model import Registry, Source
from .native import kind_of
from .native import source_from_document as _source
from .project import REGISTRY_FILENAMES
from .read import discover_names, read_corpus
from .schemas import schema_problems
from .record import (DIGEST, HASH, BuildRecord, EntryState, FileState, OutputLayout, Stat, load_record, load_registry,
                     new_file_mode, record_path, save_registry, stat_of)
from .yamlread import loads_yaml

CACHE_FORMAT = "5"
#: below this many sources to compile, worker processes cost more than they save
PARALLEL_FROM = 200
_REGISTRY_KEYS = re.compile(rb"^(actors|proposals|conditions|base)\s*:", re.M)
_SOURCE_KEYS = re.compile(rb"^(source|statements)\s*:", re.M)


@cache
def code_fingerprint() -> str:
    """Changes whenever stancegraph's reading, checking or RDF-making code or vocabulary changes."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    graph = Path(__file__).parent
    ontology = find_spec("stancegraph.ontology")
    assert ontology is not None and ontology.submodule_search_locations
    for name in sorted(p.name for p in graph.iterdir() if p.name.endswith(".py")):
        digest.update((graph / name).read_bytes())
    digest.update(Path(ontology.submodule_search_locations[0], "stancegraph.ttl").read_bytes())
    for name in ("source.schema.json", "registry.schema.json"):
        digest.update((graph / "schema" / name).read_bytes())
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
        found = _entry_blocks(self.file)
        if found is None and self.rebuild is not None:
            self.file, self.digest = self.rebuild(self)
            self.cached = False  # built in this run after all
            found = _entry_blocks(self.file)
        if found is None:
            raise OutputError(f"the build cache lost its entry for {display_path(self.path)} during the build. "
                              "Run the build again")
        return found

    def read(self) -> tuple[list[str], list[str]]:
        """(plain-triple lines, the source's own lines) as N-Triples lines, each sorted."""
        shared, own = self.blocks()
        return _triples(shared), _triples(own)


_GRAPH_NAME = re.compile(rb" <[^>]*> \.$", re.M)


def _entry_blocks(file: str) -> tuple[bytes, bytes] | None:
    """The two blocks of a cache entry, or None when it is missing or damaged."""
    try:
        with open(file, "rb") as handle:
            data = handle.read()
        head, _, body = data.partition(b"\n")
        header = json.loads(head)
        split, size = header["shared_bytes"], header["bytes"]
        if header.get("format") != CACHE_FORMAT or len(body) != size or not 0 <= split <= size:
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    return body[:split], body[split:]


def _triples(block: bytes) -> list[str]:
    return [line.decode("utf-8") for line in _plain(block)]


#: a registry, its lines and its name index (None: to be made)
RegistryParts = tuple[Registry, list[str], dict[str, Any] | None]


class CheckedRegistry:
    """The registry of a build, checked. Its model, lines and name index are loaded only when something
    needs them: a rebuild that finds every source in the cache does not."""

    def __init__(self, base: str, fingerprint: str, size: int, load: Callable[[], RegistryParts] | None = None,
                 registry: Registry | None = None, lines: list[str] | None = None,
                 index: dict[str, Any] | None = None):
        self.base, self.fingerprint, self.size = base, fingerprint, size
        self._load = load
        self._loaded: RegistryParts | None = None if registry is None else (registry, lines or [], index)

    def _get(self) -> RegistryParts:
        if self._loaded is None:
            assert self._load is not None
            self._loaded = self._load()
        return self._loaded

    @property
    def registry(self) -> Registry:
        return self._get()[0]

    @property
    def lines(self) -> list[str]:
        return self._get()[1]

    def resolver(self) -> Any:
        """A ``check.Resolver`` of the registry (its index made once, and kept in the cache)."""
        from .check import Resolver

        registry, _, index = self._get()
        return Resolver(registry, index or {})


@dataclass
class Compiled:
    """A built corpus: the registry and one entry per source, in source id order."""

    iris: Iris
    checked: CheckedRegistry
    entries: list[Entry]
    origins: dict[str, Loc] = field(default_factory=dict)  # for nodes built in this run
    workdir: tempfile.TemporaryDirectory[str] | None = None  # when no cache folder was given
    record: BuildRecord | None = None  # what this build saw, kept for the next one when it is closed
    previous: BuildRecord | None = None  # what the last build of the same inputs saw

    @property
    def registry(self) -> Registry:
        return self.checked.registry

    @property
    def registry_lines(self) -> list[str]:
        return self.checked.lines

    @property
    def fingerprint(self) -> str:
        return self.checked.fingerprint

    @property
    def statements(self) -> int:
        return sum(e.statements for e in self.entries)

    @property
    def triples(self) -> int:
        return self.checked.size + sum(e.lines for e in self.entries)

    def changed(self) -> list[Entry]:
        return [e for e in self.entries if not e.cached]

    def forget(self, entries: list[Entry]) -> None:
        """Drop ``entries`` from the cache (and from the record): they must be built again next time."""
        keys = {e.key for e in entries}
        for entry in entries:
            Path(entry.file).unlink(missing_ok=True)
        if self.record is not None:
            self.record.entries = {k: v for k, v in self.record.entries.items() if v.key not in keys}

    def close(self) -> None:
        """Keep the record of this build for the next one (when there is a cache folder), and remove
        the work folder (when there is none)."""
        if self.record is not None:
            if not self.record.same_as(self.previous):
                self.record.save()
            self.record = None
        if self.workdir is not None:
            self.workdir.cleanup()
            self.workdir = None


# ----------------------------------------------------------------------------- the worker's side

_STATE: dict[str, Any] = {}


def _init(registry: Registry, iris: Iris, fingerprint: str, cache_dir: str, resolver: Any = None) -> None:
    from .check import Resolver

    _STATE.update(registry=registry, iris=iris, resolver=resolver or Resolver(registry), fingerprint=fingerprint,
                  cache_dir=cache_dir)


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _key(fingerprint: str, sha: str) -> str:
    """The cache key of a source file whose bytes hash to ``sha``, built against ``fingerprint``."""
    return hashlib.sha256(f"{fingerprint}\0{sha}".encode()).hexdigest()


def _cache_file(cache_dir: str, key: str) -> str:
    return f"{cache_dir}{os.sep}{key[:2]}{os.sep}{key}.nt"


def _read_header(path: str) -> dict[str, Any] | None:
    """The header of a cache entry, its texts checked; None when it is missing, damaged, of another
    version, or a text it was checked against changed."""
    try:
        with open(path, encoding="utf-8") as handle:
            header = json.loads(handle.readline())
        if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT:
            return None  # another version's entry, or a damaged one: build the source again
        if not {"id", "shared", "lines", "statements", "shared_bytes", "bytes", "text", "digest"} <= set(header):
            return None
        deps = _checked_deps({dep: [digest, None] for dep, digest in header.get("deps", {}).items()})
    except (OSError, ValueError, RecursionError, AttributeError, TypeError):
        return None
    if deps is None:
        return None
    header["deps"] = deps
    return header


def _write_entry(path: str, header: dict[str, Any], graph: str, shared: list[str], own: list[str]) -> str:
    """Write a cache entry (header line, then the two blocks); returns the digest of its lines."""
    suffix = f" <{graph}> .\n"
    shared_block = "".join(line[:-2] + suffix for line in shared).encode("utf-8")
    own_block = "".join(line[:-2] + suffix for line in own).encode("utf-8")
    digest = hashlib.blake2b(shared_block + own_block, digest_size=DIGEST // 2).hexdigest()
    header = {**header, "shared_bytes": len(shared_block), "bytes": len(shared_block) + len(own_block), "digest": digest}
    folder = os.path.dirname(path)
    tmp = None
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(json.dumps(header, sort_keys=True).encode("utf-8") + b"\n")
            handle.write(shared_block)
            handle.write(own_block)
        os.chmod(tmp, new_file_mode())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        where = display_path(os.path.dirname(folder))
        raise OutputError(f"cannot write the build cache in {where} ({exc.strerror}). Give another folder with "
                          "--cache DIR, or build with --no-cache") from None
    return digest


def _compile_source(source: Source, raw: bytes | None, shown: str, problems: list[Problem],
                    sha: str | None = None) -> dict[str, Any]:
    """Check and emit one source; store its lines in the cache when all is well."""
    from .anchor import anchor_source, text_path
    from .check import check_source

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
            dep = str(Path(text).resolve())
            deps[dep] = [_sha(Path(dep).read_bytes()), stat_of(dep)]
    lines = source_lines(source, registry, _STATE["iris"])
    key = _key(_STATE["fingerprint"], sha or _sha(raw if raw is not None else json.dumps(lines.own).encode()))
    file = _cache_file(_STATE["cache_dir"], key)
    iris: Iris = _STATE["iris"]
    counts = {"id": source.id, "shared": len(lines.shared), "lines": len(lines.shared) + len(lines.own),
              "statements": len(source.statements)}
    digest = _write_entry(file, {"format": CACHE_FORMAT, **counts, "deps": {d: v[0] for d, v in deps.items()},
                                 "text": source.text}, iris.source_graph(source.id), lines.shared, lines.own)
    origins = {iris.source(source.id): source.loc}
    origins.update((iris.statement(source.id, st.id), st.loc) for st in source.statements)
    result.update(counts, file=file, key=key, deps=deps, text=source.text, digest=digest, cached=False, origins=origins)
    return result


def _compile_file(path_text: str, raw: bytes | None = None, sha: str | None = None) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Compile a source file the cache does not hold (the caller looked it up); ``raw`` and ``sha``: its
    bytes and their hash, when the caller has them."""
    shown = display_path(path_text)
    problems: list[Problem] = []
    if raw is None:
        try:
            raw = Path(path_text).read_bytes()
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
    result = _compile_source(_source(doc), raw, shown, problems, sha)
    result["name"] = path_text
    return (result if not problems else None), problems


def _source_loc(path: str) -> Loc:
    """Where a source file says its id (read again: a cache hit has not been parsed)."""
    shown = display_path(path)
    try:
        return _source(loads_yaml(Path(path).read_bytes(), shown)).loc
    except (OSError, InputProblems, KeyError, TypeError, AttributeError):
        return Loc(shown)


def _compile_chunk(paths: list[str]) -> list[tuple[dict[str, Any] | None, list[Problem]]]:
    return [_compile_file(p) for p in paths]


# ----------------------------------------------------------------------------- the parent's side


@dataclass
class Inputs:
    """The input files under some paths (as :func:`~.read.discover_names` finds them), with their
    absolute paths and ``stat``, as looked at once."""

    found: list[tuple[str, bool]]  # (path, whether it is a brat folder)
    absolute: list[str]
    stats: dict[str, Stat | None]  # by absolute path

    @classmethod
    def look(cls, paths: Iterable[Path | str]) -> Inputs:
        found = discover_names(paths)
        here = os.getcwd() + os.sep  # the names found are normalized: joining is enough to make them absolute
        absolute = [name if os.path.isabs(name) else here + name for name, _ in found]
        return cls(found, absolute, {name: stat_of(name) for name in absolute})


@dataclass
class _Scanned:
    """An input file as this build found it."""

    path: str  # as discovered (relative when the input was)
    absolute: str
    state: FileState | None  # None: it could not be read
    raw: bytes | None = None  # its bytes, when they had to be read
    problem: Problem | None = None


def _scan(path: str, absolute: str, stat: Stat | None, previous: BuildRecord, record: BuildRecord) -> _Scanned:
    """A YAML input with its ``stat``: read and hashed only when the record of the last build does not
    vouch for it."""
    known = previous.files.get(absolute)
    if stat is not None and known is not None and known.stat == stat:
        record.files[absolute] = known
        return _Scanned(path, absolute, known)
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        return _Scanned(path, absolute, None, problem=Problem(Loc(display_path(path)), f"cannot read the file ({exc.strerror})"))
    name = os.path.basename(path)
    is_registry = name in REGISTRY_FILENAMES or (bool(_REGISTRY_KEYS.search(raw)) and not _SOURCE_KEYS.search(raw))
    state = FileState(stat, _sha(raw), "registry" if is_registry else "source")
    record.files[absolute] = state
    return _Scanned(path, absolute, state, raw)


def _checked_deps(deps: dict[str, list[Any]]) -> dict[str, list[Any]] | None:
    """``deps`` ({text file: [sha, stat or None]}) with the stat each has now, or None when one changed.
    A file whose stat is the one kept is not read; another is hashed (its stat taken first)."""
    now = {}
    for dep, (digest, stat) in deps.items():
        seen = stat_of(dep)
        if seen is None:
            return None
        if stat is None or tuple(stat) != seen:
            try:
                if _sha(Path(dep).read_bytes()) != digest:
                    return None
            except OSError:
                return None
        now[dep] = [digest, seen]
    return now


def _text_moved(entry: EntryState, source: str, registry_files: list[str]) -> bool:
    """Whether the ``text:`` of a source that has one now points elsewhere than when it was built (the
    source file moved): its quotes must be checked against the text it points to now."""
    if entry.text is None:
        return bool(entry.deps)
    from .project import project_folder

    path = (Path(source).resolve().parent / entry.text).resolve()
    return str(path) not in entry.deps or not path.is_relative_to(project_folder(source, registry_files))


#: checked registries this process has read, by digest: a process that builds again (``build --watch``)
#: does not load an unchanged registry again
_REGISTRIES: dict[str, RegistryParts] = {}


def _keep(digest: str, parts: RegistryParts) -> None:
    _REGISTRIES.pop(digest, None)
    _REGISTRIES[digest] = parts
    while len(_REGISTRIES) > 2:
        del _REGISTRIES[next(iter(_REGISTRIES))]


def _checked_registry(registry_files: list[_Scanned], foreign: list[Path], cache_path: str, keep: bool,
                      previous: BuildRecord, record: BuildRecord, problems: list[Problem]) -> tuple[CheckedRegistry, Any]:
    """The registry of the build (and the foreign corpus, if any). An unchanged registry is not read
    again: its fingerprint comes from the record, its model and lines from the cache, when needed.
    What is parsed is the bytes its digest is made of (a registry saved during a build must not be kept
    under the digest of the bytes it replaced)."""
    shown = [display_path(s.path) for s in registry_files]

    def digest_of(shas: list[str]) -> str:
        return hashlib.sha256(json.dumps([code_fingerprint(), *map(list, zip(shown, shas))]).encode("utf-8")).hexdigest()

    def fingerprint_of(lines: list[str]) -> str:
        return hashlib.sha256((code_fingerprint() + "\0" + "\n".join(lines)).encode("utf-8")).hexdigest()

    digest = digest_of([s.state.sha for s in registry_files if s.state])

    def contents() -> tuple[dict[str, bytes], str]:
        """The registry files' bytes (read now where the scan did not), and their digest."""
        raws = {s.absolute: s.raw if s.raw is not None else Path(s.path).read_bytes() for s in registry_files}
        return raws, digest_of([_sha(raw) for raw in raws.values()])

    def read(raws: dict[str, bytes]) -> tuple[Any, Registry, list[str], dict[str, set[str]], list[Problem]]:
        from .check import Resolver, check_registry

        paths = [Path(s.path) for s in registry_files] + foreign
        corpus, found = read_corpus(paths, raws) if paths else (None, [])
        registry = corpus.registry if corpus is not None else Registry()
        resolver = Resolver(registry)
        check_registry(registry, resolver, found)
        return corpus, registry, registry_lines(registry, Iris(registry.base)), resolver.index, found

    known = previous.registry
    if not foreign and keep and known.get("digest") == digest:
        record.registry = known

        def load() -> RegistryParts:
            kept = _REGISTRIES.get(digest)
            if kept is None:
                kept = load_registry(Path(cache_path), digest)
                if kept is not None and fingerprint_of(kept[1]) != known["fingerprint"]:
                    kept = None  # damaged: read the files again, and keep a good copy
            if kept is not None:
                _keep(digest, kept)
                return kept
            try:
                raws, now = contents()
            except OSError as exc:
                raise InputProblems([Problem(Loc(shown[0]), f"cannot read the registry ({exc.strerror})")]) from None
            _, registry, lines, index, found = read(raws)
            if now != digest or fingerprint_of(lines) != known["fingerprint"]:
                raise OutputError("the registry changed while the build was running. Run the build again")
            if found:
                raise InputProblems(found)
            save_registry(Path(cache_path), digest, registry, lines, index, replace=True)
            _keep(digest, (registry, lines, index))
            return registry, lines, index

        return CheckedRegistry(known["base"], known["fingerprint"], known["lines"], load), None
    try:
        raws, digest = contents()
    except OSError as exc:  # gone since the scan: parse what there is, and say so
        raws = {}
        problems.append(Problem(Loc(shown[0]), f"cannot read the registry ({exc.strerror})"))
    for s in registry_files:  # read again since the scan (its stat was trusted) and changed: trust it no more
        if s.raw is None and s.absolute in raws and s.state is not None and _sha(raws[s.absolute]) != s.state.sha:
            record.files[s.absolute] = FileState(None, _sha(raws[s.absolute]), "registry")
    corpus, registry, lines, index, found = read(raws)
    problems.extend(found)
    fingerprint = fingerprint_of(lines)
    if not foreign and keep and not found and not problems:
        save_registry(Path(cache_path), digest, registry, lines, index)
        _keep(digest, (registry, lines, index))
        record.registry = {"digest": digest, "fingerprint": fingerprint, "base": registry.base, "lines": len(lines)}
    return CheckedRegistry(registry.base, fingerprint, len(lines), registry=registry, lines=lines, index=index), corpus


def compile_corpus(
    paths: list[Path | str],
    *,
    cache_dir: Path | str | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    previous: BuildRecord | None = None,
    inputs: Inputs | None = None,
) -> Compiled:
    """Read, check and emit every source under ``paths``. Raises :class:`InputProblems` listing every
    problem. ``cache_dir=None`` builds in a temporary folder (nothing is reused); ``jobs=None`` uses
    every core when there are enough sources to compile. ``previous``: the record of the last build of
    the same inputs, when the caller holds it (``record.settled()``), and ``inputs``: what the caller
    found and stat'ed under ``paths`` (see ``output.watch``); by default the record is read from the
    cache folder and the inputs are looked at here."""
    code = code_fingerprint()
    workdir = None
    if cache_dir is None:
        workdir = tempfile.TemporaryDirectory(prefix="stancegraph-build-")
        cache_path = workdir.name
        previous = BuildRecord(None, code)
    else:
        cache_path = str(cache_dir)
        where = record_path(Path(cache_path), [str(p) for p in paths])
        if previous is None or previous.path != where or previous.code != code:
            previous = load_record(where, code)
    record = BuildRecord(previous.path, code)  # its clock starts before any file is looked at
    record.outputs = dict(previous.outputs)

    looked = inputs if inputs is not None else Inputs.look(paths)
    found = looked.found
    is_foreign = [importer is not None for _, importer in found]
    foreign = [Path(name) for (name, _), yes in zip(found, is_foreign) if yes]
    scanned = [_scan(name, absolute, looked.stats[absolute], previous, record)
               for (name, _), absolute, yes in zip(found, looked.absolute, is_foreign) if not yes]
    problems = [s.problem for s in scanned if s.problem is not None]
    registry_files = [s for s in scanned if s.state is not None and s.state.kind == "registry"]
    checked, corpus = _checked_registry(registry_files, foreign, cache_path, workdir is None, previous, record,
                                        problems)
    iris = Iris(checked.base)
    fingerprint = checked.fingerprint
    started = False

    def start() -> None:  # the registry is loaded only once a source has to be compiled
        nonlocal started
        if not started:
            _init(checked.registry, iris, fingerprint, cache_path, checked.resolver())
            started = True

    def rebuild(entry: Entry) -> tuple[str, str]:
        """Build a source again whose cache entry the record vouched for but which is damaged or gone."""
        start()
        result, found = _compile_file(entry.path)
        if result is None:  # the file changed since it was looked at, and is now broken
            raise InputProblems(found)
        return str(result["file"]), str(result["digest"])

    results: list[tuple[Entry | dict[str, Any] | None, list[Problem]]] = []
    # foreign sources have no file bytes of their own to key on: they are compiled every time
    for source in corpus.sources if corpus is not None else []:
        start()
        local: list[Problem] = []
        result = _compile_source(source, None, source.path, local)
        results.append((None if local else result, local))
    # cache hits are found here (hashing a file is cheaper than sending it to a worker)
    misses: list[tuple[str, bytes | None, str]] = []
    same_registry = previous.registry.get("fingerprint") == fingerprint
    for item in scanned:
        state = item.state
        if state is None or state.kind != "source":
            continue
        known = previous.entries.get(item.absolute)
        if known is not None and same_registry and state is previous.files.get(item.absolute):
            key = known.key  # the same bytes built against the same registry
        else:
            key = _key(fingerprint, state.sha)
        file = _cache_file(cache_path, key)
        # the record vouches for the entry (if it was lost since, reading it builds the source again)
        hit: EntryState | None = None
        if known is not None and known.key == key:
            deps = _checked_deps(known.deps) if known.deps else {}
            hit = None if deps is None else known._replace(deps=deps) if deps else known
        else:
            header = _read_header(file)
            if header is not None:
                hit = EntryState(key, header["id"], header["shared"], header["lines"], header["statements"],
                                 header["deps"], header["text"], header["digest"])
        if hit is not None and hit.deps and _text_moved(hit, item.path, [s.path for s in registry_files]):
            hit = None
        if hit is None:
            misses.append((item.path, item.raw, state.sha))
            continue
        record.entries[item.absolute] = hit
        results.append((Entry(hit.id, item.path, file, hit.shared, hit.lines, True, hit.statements, key, hit.digest,
                              rebuild), []))
        if progress is not None:
            progress(1)
    if misses:
        start()
    names = [name for name, _, _ in misses]
    missed = set(names)
    workers = jobs if jobs is not None else (os.cpu_count() or 1) if len(names) >= PARALLEL_FROM else 1
    if workers > 1 and len(names) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        size = max(1, min(100, len(names) // (workers * 8) or 1))
        chunks = [names[i : i + size] for i in range(0, len(names), size)]
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init,
                                 initargs=(checked.registry, iris, fingerprint, cache_path)) as pool:
            for chunk_results in pool.map(_compile_chunk, chunks):
                results.extend(chunk_results)
                if progress is not None:
                    progress(len(chunk_results))
    else:
        for name, raw, sha in misses:
            results.append(_compile_file(name, raw, sha))
            if progress is not None:
                progress(1)

    absolute_of = {s.path: s.absolute for s in scanned if s.path in missed}
    # in the order the files were found, hits and sources built alike, so that a duplicate id is reported
    # the same way whatever the cache holds
    order = {s.path: i for i, s in enumerate(scanned)}

    def position(item: tuple[Entry | dict[str, Any] | None, list[Problem]]) -> int:
        result = item[0]
        name = result.path if isinstance(result, Entry) else result.get("name") if result else None
        return order.get(name, -1) if name is not None else -1

    entries: dict[str, Entry] = {}
    origins: dict[str, Loc] = {}
    for result, found in sorted(results, key=position):
        problems.extend(found)
        if result is None:
            continue
        loc = None
        if isinstance(result, dict):  # built in this run
            loc = result["loc"]
            origins.update(result["origins"])
            if result.get("name") in absolute_of:
                record.entries[absolute_of[result["name"]]] = EntryState(*(result[k] for k in EntryState._fields))
            result = Entry(result["id"], result["path"], result["file"], result["shared"], result["lines"], False,
                           result["statements"], result["key"], result["digest"])
        other = entries.setdefault(result.source_id, result)
        if other is not result:
            problems.append(Problem(loc or _source_loc(result.path),
                                    f"duplicate source id {result.source_id!r}, already used by {display_path(other.path)}",
                                    "Give each source its own id"))
    if problems:
        if workdir is not None:
            workdir.cleanup()
        raise InputProblems(problems)
    return Compiled(iris, checked, [entries[k] for k in sorted(entries)], origins, workdir,
                    record if workdir is None else None, previous)


# ----------------------------------------------------------------------------- reading entries back


@dataclass(frozen=True)
class Span:
    """``length`` bytes at ``offset`` of the output file being replaced: copied from it, not rebuilt."""

    offset: int
    length: int


Piece = bytes | Span


def _line_hash(line: bytes) -> str:
    return hashlib.blake2b(line, digest_size=HASH // 2).hexdigest()


def ntriples(compiled: Compiled) -> Iterator[bytes]:
    """The union graph as N-Triples chunks: the registry, then each source (plain triples once)."""
    yield from _written(compiled, "nt", OutputLayout("nt", compiled.fingerprint))


def nquads(compiled: Compiled) -> Iterator[bytes]:
    """The dataset as N-Quads chunks: the registry graph, then one graph per source, in id order."""
    yield from _written(compiled, "nquads", OutputLayout("nquads", compiled.fingerprint))


def pieces(compiled: Compiled, fmt: str, previous: OutputLayout | None = None) -> tuple[Iterable[Piece], OutputLayout]:
    """The corpus as N-Triples (``fmt="nt"``) or N-Quads (``"nquads"``): the pieces of the file, and its
    layout (complete once the pieces are consumed).

    With ``previous``, the layout of the file being replaced (made by the same registry and code), the
    blocks of sources whose cache entry is unchanged are :class:`Span` s of that file, to be copied from
    it; only the blocks that differ are assembled. The bytes are those of a build from scratch.
    In N-Triples a plain triple stated by several sources is written once, in the block of the first of
    them (in source id order): a changed source can thus change the blocks of others, which are the
    ones that state a plain triple it added or dropped."""
    layout = OutputLayout(fmt, compiled.fingerprint)
    if previous is None:
        return _written(compiled, fmt, layout), layout
    return _rewritten(compiled, fmt, previous, layout), layout


def _head(compiled: Compiled, fmt: str) -> bytes:
    if fmt == "nt":
        return "".join(line + "\n" for line in compiled.registry_lines).encode("utf-8")
    graph = f" <{compiled.iris.registry_graph()}> .\n"
    return "".join(line[:-2] + graph for line in compiled.registry_lines).encode("utf-8")


def _plain(block: bytes) -> list[bytes]:
    """The lines of an N-Quads block as N-Triples lines (without their line ends)."""
    return _GRAPH_NAME.sub(b" .", block).split(b"\n")[:-1]


def _written(compiled: Compiled, fmt: str, layout: OutputLayout) -> Iterator[bytes]:
    head = _head(compiled, fmt)
    layout.head = offset = len(head)
    yield head
    # a plain triple is (entity, relation of the vocabulary, entity): the registry states none of them, so
    # "written once" is decided among the sources alone (here and in _rewritten)
    seen: set[bytes] = set()
    for entry in compiled.entries:
        shared, own = entry.blocks()
        hashes = ""
        if fmt == "nt":
            plain = _plain(shared)
            hashes = "".join(map(_line_hash, plain))
            fresh = [line + b"\n" for line in plain if not (line in seen or seen.add(line))]  # type: ignore[func-returns-value]
            data = b"".join(fresh) + _GRAPH_NAME.sub(b" .", own)
        else:
            data = shared + own
        layout.add(entry.source_id, entry.digest, offset, len(data), hashes)
        offset += len(data)
        yield data


def _states(hashes: str, h: str) -> bool:
    """Whether ``hashes`` (a block's, concatenated) holds ``h``."""
    at = hashes.find(h)
    while at != -1 and at % HASH:
        at = hashes.find(h, at + 1)
    return at != -1


def _rewritten(compiled: Compiled, fmt: str, previous: OutputLayout, layout: OutputLayout) -> list[Piece]:
    at = {sid: i for i, sid in enumerate(previous.ids)}
    entries = compiled.entries
    changed = {e.source_id for e in entries if (i := at.get(e.source_id)) is None or previous.digests[i] != e.digest}
    layout.head = previous.head
    if not changed and len(at) == len(entries):  # the same sources, each unchanged: the old file, whole
        for i, sid in enumerate(previous.ids):
            layout.add(sid, previous.digests[i], previous.offsets[i], previous.lengths[i], previous.hashes[i])
        return [Span(0, previous.head), *map(Span, previous.offsets, previous.lengths)]
    by_id = {e.source_id: e for e in entries}
    hashes: dict[str, str] = {}  # of the blocks assembled again
    lines: dict[str, tuple[list[bytes], bytes]] = {}

    def load(sid: str) -> None:
        if sid not in lines:
            shared, own = by_id[sid].blocks()
            plain = _plain(shared) if fmt == "nt" else []
            lines[sid] = (plain, _GRAPH_NAME.sub(b" .", own) if fmt == "nt" else shared + own)
            hashes[sid] = "".join(map(_line_hash, plain))

    for sid in changed:
        load(sid)
    affected = set(changed)
    firsts: dict[str, str | None] = {}
    if fmt == "nt":
        gone = changed | (at.keys() - by_id.keys())  # old blocks that are no more (or no more as they were)

        def first(h: str) -> str | None:
            """The first source (in id order) of this build that states the plain triple hashed ``h``."""
            if h not in firsts:
                kept = (previous.ids[i] for i in previous.stating(h) if previous.ids[i] not in gone)
                firsts[h] = min((*kept, *(sid for sid, hs in hashes.items() if _states(hs, h))), default=None)
            return firsts[h]

        touched = {hs[i : i + HASH] for sid in gone for hs in (hashes.get(sid, ""), previous.hashes[at[sid]] if sid in at else "")
                   for i in range(0, len(hs), HASH)}
        for h in touched:
            was = previous.stating(h)
            before, now = (previous.ids[was[0]] if was else None), first(h)
            if before != now:  # the triple moves: from the block it was in, to the block it is now in
                affected.update(sid for sid in (before, now) if sid in by_id)
        for sid in affected:
            load(sid)
    out: list[Piece] = [Span(0, previous.head)]
    offset = previous.head
    for entry in entries:
        sid = entry.source_id
        if sid in affected:
            plain, rest = lines[sid]
            hs = hashes[sid]
            if fmt == "nt":
                rest = b"".join(line + b"\n" for k, line in enumerate(plain) if first(hs[HASH * k : HASH * k + HASH]) == sid) + rest
            out.append(rest)
            layout.add(sid, entry.digest, offset, len(rest), hs)
            offset += len(rest)
        else:
            i = at[sid]
            out.append(Span(previous.offsets[i], previous.lengths[i]))
            layout.add(sid, entry.digest, offset, previous.lengths[i], previous.hashes[i])
            offset += previous.lengths[i]
    return out
