"""Compiling a corpus: the inputs scanned, the registry checked, each source found in the cache or
compiled, and the entries gathered in source id order into a :class:`Compiled`."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..emit import Iris
from ..errors import InputProblems, Loc, Problem, display_path
from ..model import Registry
from ..record import BuildRecord, EntryState, load_record, record_path
from .cache import Entry, cache_file, cache_key, checked_deps, code_fingerprint, read_header
from .inputs import Inputs, Scanned, scan
from .registry import CheckedRegistry, checked_registry
from .source import Outcome, SourceContext, compile_file, compile_source, source_loc
from .workers import compile_files


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
    #: problems about types the mapping does not know, skipped (``unmapped="ignore"``): said, not failed
    skipped: list[Problem] = field(default_factory=list)
    #: what the build says without failing: what it skipped, that it found no statement
    warnings: list[str] = field(default_factory=list)
    #: with ``skip_invalid``: the problems whose statements (or annotations) were left out, one per cause
    invalid: list[Problem] = field(default_factory=list)
    #: a check still running beside the writing of the output (see :meth:`settle`)
    pending: Callable[[], list[Problem]] | None = None

    def settle(self) -> None:
        """Wait for the check still running (``build_compiled(..., check_later=True)``: the SHACL shapes,
        in a child process) and raise :class:`InputProblems` if it found problems, the sources it checked
        dropped from the cache. Called before the output replaces the old file: a build that fails the
        shapes writes nothing."""
        if self.pending is None:
            return
        pending, self.pending = self.pending, None
        problems = pending()
        if problems:
            self.forget(self.changed())  # what failed the shapes must not come back from the cache as checked
            raise InputProblems(problems)

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
        the work folder (when there is none). A check still running (the output was not written) is
        waited for, its child process reaped, and what it found dropped with the output."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            if pending():
                self.forget(self.changed())
        if self.record is not None:
            if not self.record.same_as(self.previous):
                self.record.save()
            self.record = None
        if self.workdir is not None:
            self.workdir.cleanup()
            self.workdir = None


def _text_moved(entry: EntryState, source: str, registry_files: list[str]) -> bool:
    """Whether the ``text:`` of a source that has one now points elsewhere than when it was built (the
    source file moved): its quotes must be checked against the text it points to now."""
    if entry.text is None:
        return bool(entry.deps)
    from ..project import project_folder

    path = (Path(source).resolve().parent / entry.text).resolve()
    return str(path) not in entry.deps or not path.is_relative_to(project_folder(source, registry_files))


def _cached(item: Scanned, fingerprint: str, cache_path: str, previous: BuildRecord, same_registry: bool,
            registry_files: list[str]) -> tuple[str, EntryState | None]:
    """The cache key of a scanned source file, and its entry when the cache holds it (the record
    vouches for it, or its header is read), its texts unchanged."""
    state = item.state
    assert state is not None
    known = previous.entries.get(item.absolute)
    if known is not None and same_registry and state is previous.files.get(item.absolute):
        key = known.key  # the same bytes built against the same registry
    else:
        key = cache_key(fingerprint, state.sha)
    # the record vouches for the entry (if it was lost since, reading it builds the source again)
    hit: EntryState | None = None
    if known is not None and known.key == key:
        deps = checked_deps(known.deps) if known.deps else {}
        hit = None if deps is None else known._replace(deps=deps) if deps else known
    else:
        hit = read_header(cache_file(cache_path, key), key)
    if hit is not None and hit.deps and _text_moved(hit, item.path, registry_files):
        hit = None
    return key, hit


def compile_corpus(
    paths: list[Path | str],
    *,
    cache_dir: Path | str | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    previous: BuildRecord | None = None,
    inputs: Inputs | None = None,
    unmapped: str = "error",
    skip_invalid: bool = False,
) -> Compiled:
    """Read, check and emit every source under ``paths``. Raises :class:`InputProblems` listing every
    problem. ``cache_dir=None`` builds in a temporary folder (nothing is reused); ``jobs=None`` uses
    every core when there are enough sources to compile. ``previous``: the record of the last build of
    the same inputs, when the caller holds it (``record.settled()``, which also holds the checked
    registry in memory), and ``inputs``: what the caller found and stat'ed under ``paths`` (see
    ``output.watch``); by default the record is read from the cache folder and the inputs are looked at
    here. ``unmapped``: ``error`` (a type the mapping does not know is a problem) or ``ignore`` (what is of
    such a type is skipped, and listed in the result's ``skipped``). ``skip_invalid``: leave out each
    statement (or annotation of another tool) that has a problem, listed in the result's ``invalid``;
    problems of a file or a source as a whole still fail."""
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
    record.checked = dict(previous.checked)

    looked = inputs if inputs is not None else Inputs.look(paths)
    found = looked.found
    is_foreign = [importer is not None for _, importer in found]
    foreign = [Path(name) for (name, _), yes in zip(found, is_foreign) if yes]
    scanned = [scan(name, absolute, looked.stats[absolute], previous, record)
               for (name, _), absolute, yes in zip(found, looked.absolute, is_foreign) if not yes]
    problems = [s.problem for s in scanned if s.problem is not None]
    registry_files = [s for s in scanned if s.state is not None and s.state.kind == "registry"]
    invalid: list[Problem] = []
    checked, corpus = checked_registry(registry_files, foreign, cache_path, workdir is None, previous, record,
                                       problems, unmapped, invalid if skip_invalid else None)
    iris = Iris(checked.base)
    fingerprint = checked.fingerprint
    contexts: list[SourceContext] = []

    def context() -> SourceContext:  # the registry is loaded only once a source has to be compiled
        if not contexts:
            contexts.append(SourceContext(checked.registry, iris, fingerprint, cache_path, checked.resolver(),
                                          skip_invalid))
        return contexts[0]

    def rebuild(entry: Entry) -> tuple[str, str]:
        """Build a source again whose cache entry the record vouched for but which is damaged or gone."""
        outcome = compile_file(context(), entry.path)
        if outcome.made is None:  # the file changed since it was looked at, and is now broken
            raise InputProblems(outcome.problems)
        return outcome.made.entry.file, outcome.made.entry.digest

    # foreign sources have no file bytes of their own to key on: they are compiled every time
    outcomes: list[Outcome] = [compile_source(context(), source, None, source.path)
                               for source in (corpus.sources if corpus is not None else [])]
    hits: list[Entry] = []
    # cache hits are found here (hashing a file is cheaper than sending it to a worker)
    misses: list[tuple[str, bytes | None, str]] = []
    same_registry = previous.registry.get("fingerprint") == fingerprint
    registry_names = [s.path for s in registry_files]
    for item in scanned:
        if item.state is None or item.state.kind != "source":
            continue
        key, hit = _cached(item, fingerprint, cache_path, previous, same_registry, registry_names)
        if hit is None:
            misses.append((item.path, item.raw, item.state.sha))
            continue
        record.entries[item.absolute] = hit
        hits.append(Entry(hit.id, item.path, cache_file(cache_path, key), hit.shared, hit.lines, True, hit.statements,
                          key, hit.digest, rebuild))
        if progress is not None:
            progress(1)
    if misses:
        outcomes.extend(compile_files(context(), misses, jobs, progress))
    entries, origins = _gather(hits, outcomes, scanned, {name for name, _, _ in misses}, record, problems)
    invalid.extend(p for outcome in outcomes for p in outcome.skipped)
    if problems:
        if workdir is not None:
            workdir.cleanup()
        raise InputProblems(problems)
    return Compiled(iris, checked, [entries[k] for k in sorted(entries)], origins, workdir,
                    record if workdir is None else None, previous,
                    corpus.skipped if corpus is not None else [],
                    [str(w).rstrip(".") for w in corpus.warnings] if corpus is not None else [], sorted(invalid))


def _gather(hits: list[Entry], outcomes: list[Outcome], scanned: list[Scanned], missed: set[str],
            record: BuildRecord, problems: list[Problem]) -> tuple[dict[str, Entry], dict[str, Loc]]:
    """The entries by source id, and the origins of the nodes built in this run; the problems of the
    sources (a duplicate id among them) go to ``problems``, and the sources built to ``record``.

    They are taken in the order the files were found, hits and sources built alike, so that a duplicate
    id is reported the same way whatever the cache holds (the problems of sources that failed, and the
    sources of a foreign corpus, come first)."""
    absolute_of = {s.path: s.absolute for s in scanned if s.path in missed}
    order = {s.path: i for i, s in enumerate(scanned)}

    def position(item: Entry | Outcome) -> int:
        if isinstance(item, Entry):
            return order.get(item.path, -1)
        return order.get(item.name, -1) if item.made is not None and item.name is not None else -1

    entries: dict[str, Entry] = {}
    origins: dict[str, Loc] = {}
    # hits each have a place of their own; what has none keeps the order it was made in (a stable sort)
    for item in sorted([*outcomes, *hits], key=position):
        loc = None
        if isinstance(item, Entry):
            entry = item
        else:
            problems.extend(item.problems)
            if item.made is None:
                continue
            entry, loc = item.made.entry, item.made.loc
            origins.update(item.made.origins)
            if item.name in absolute_of and not item.skipped:  # one built with statements left out is not kept
                record.entries[absolute_of[item.name]] = item.made.state
        other = entries.setdefault(entry.source_id, entry)
        if other is not entry:
            problems.append(Problem(loc or source_loc(entry.path),
                                    f"duplicate source id {entry.source_id!r}, already used by {display_path(other.path)}",
                                    "Give each source its own id"))
    return entries, origins
