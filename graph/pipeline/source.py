"""Compiling one source: read, check, anchor its quotes, emit its lines and store them in the cache.

This is what a worker process does, and the parent for a few sources; everything it needs comes in a
:class:`SourceContext`, and what it made goes back as an :class:`Outcome`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..emit import Iris, source_lines
from ..errors import Blamed, InputProblems, Loc, Problem, display_path, invalid_statements
from ..model import Registry, Source
from ..native import kind_of, not_ours, source_from_document
from ..schemas import schema_problems
from ..record import EntryState, stat_of
from ..yamlread import loads_yaml
from .cache import CACHE_FORMAT, Entry, cache_file, cache_key, sha, write_entry


@dataclass(frozen=True)
class SourceContext:
    """What compiling a source needs from its build: the checked registry and its resolver, the IRIs,
    the registry's fingerprint (part of every cache key) and the cache folder."""

    registry: Registry
    iris: Iris
    fingerprint: str
    cache_dir: str
    resolver: Any  # a check.Resolver of the registry
    #: ``--skip-invalid``: leave out the statements that have problems (said in the outcome's ``skipped``)
    skip_invalid: bool = False


@dataclass(frozen=True)
class Made:
    """A source compiled in this run: its entry, what the record keeps of it, where its nodes come from."""

    entry: Entry
    state: EntryState
    loc: Loc  # where the source says its id
    origins: dict[str, Loc]  # node IRI → where it was written


@dataclass(frozen=True)
class Outcome:
    """What compiling one source gave: what was made, or the problems that stopped it."""

    made: Made | None
    problems: list[Problem] = field(default_factory=list)
    name: str | None = None  # the file as discovered (None for a source of a foreign corpus)
    #: with ``--skip-invalid``: the problems of the statements left out
    skipped: list[Problem] = field(default_factory=list)


def compile_source(context: SourceContext, source: Source, raw: bytes | None, shown: str,
                   file_sha: str | None = None) -> Outcome:
    """Check and emit one source; store its lines in the cache when all is well. ``raw``: the bytes of
    its file (None for a source of a foreign corpus, keyed by its lines instead)."""
    from ..anchor import anchor_source, text_path
    from ..check import check_source

    registry = context.registry
    local: list[Problem] = Blamed() if context.skip_invalid else []
    check_source(source, context.resolver, local)
    texts: dict[Any, Any] = {}
    anchor_source(source, registry, local, texts)
    skipped: list[Problem] = []
    if local:
        left_out = invalid_statements(source, local) if isinstance(local, Blamed) else None
        if left_out is None:
            return Outcome(None, list(local))
        skipped = left_out
    deps = {}
    if getattr(source, "text", None):
        text, _ = text_path(source, registry)
        if text is not None:
            dep = str(Path(text).resolve())
            deps[dep] = [sha(Path(dep).read_bytes()), stat_of(dep)]
    iris = context.iris
    lines = source_lines(source, registry, iris)
    key = cache_key(context.fingerprint, file_sha or sha(raw if raw is not None else json.dumps(lines.own).encode()))
    if skipped:  # built without some of its statements: never a cache hit for a build that checks them all
        key = cache_key(context.fingerprint + ":skip-invalid", key)
    file = cache_file(context.cache_dir, key)
    shared, total, statements = len(lines.shared), len(lines.shared) + len(lines.own), len(source.statements)
    counts = {"id": source.id, "shared": shared, "lines": total, "statements": statements}
    digest = write_entry(file, {"format": CACHE_FORMAT, **counts, "deps": {d: v[0] for d, v in deps.items()},
                                "text": source.text}, iris.source_graph(source.id), lines.shared, lines.own)
    origins = {iris.source(source.id): source.loc}
    origins.update((iris.statement(source.id, st.id), st.loc) for st in source.statements)
    entry = Entry(source.id, shown, file, shared, total, False, statements, key, digest)
    state = EntryState(key, source.id, shared, total, statements, deps, source.text, digest)
    return Outcome(Made(entry, state, source.loc, origins), skipped=skipped)


def compile_file(context: SourceContext, path_text: str, raw: bytes | None = None,
                 file_sha: str | None = None) -> Outcome:
    """Compile a source file the cache does not hold (the caller looked it up); ``raw`` and
    ``file_sha``: its bytes and their hash, when the caller has them."""
    shown = display_path(path_text)
    if raw is None:
        try:
            raw = Path(path_text).read_bytes()
        except OSError as exc:
            return Outcome(None, [Problem(Loc(shown), f"cannot read the file ({exc.strerror})")])
    try:
        doc = loads_yaml(raw, shown)
    except InputProblems as exc:
        return Outcome(None, list(exc.problems))
    kind = kind_of(doc)
    if kind != "source":
        return Outcome(None, [not_ours(doc)])
    found = schema_problems(doc, "source")
    if found:
        return Outcome(None, found)
    outcome = compile_source(context, source_from_document(doc), raw, shown, file_sha)
    return Outcome(outcome.made, outcome.problems, path_text, outcome.skipped)


def source_loc(path: str) -> Loc:
    """Where a source file says its id (read again: a cache hit has not been parsed)."""
    shown = display_path(path)
    try:
        return source_from_document(loads_yaml(Path(path).read_bytes(), shown)).loc
    except (OSError, InputProblems, KeyError, TypeError, AttributeError):
        return Loc(shown)
