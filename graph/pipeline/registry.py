"""The registry of a build, checked: read and checked when it is new, else its fingerprint taken from the
record and its model, lines and name index loaded from memory or the cache folder when something needs
them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..emit import Iris, registry_lines
from ..errors import InputProblems, Loc, OutputError, Problem, display_path
from ..model import Registry
from ..read import read_corpus
from ..record import BuildRecord, FileState, load_registry, save_registry
from .cache import code_fingerprint, sha
from .inputs import Scanned

#: a registry, its lines and its name index (None: to be made)
RegistryParts = tuple[Registry, list[str], dict[str, Any] | None]
#: checked registries a record holds in memory (see ``BuildRecord.checked``)
HELD = 2


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
        from ..check import Resolver

        registry, _, index = self._get()
        return Resolver(registry, index or {})


def _hold(record: BuildRecord, digest: str, parts: RegistryParts) -> None:
    """Keep ``parts`` in ``record``'s memory, with the most recently used others (up to ``HELD``)."""
    held = record.checked
    held.pop(digest, None)
    held[digest] = parts
    while len(held) > HELD:
        del held[next(iter(held))]


def checked_registry(registry_files: list[Scanned], foreign: list[Path], cache_path: str, keep: bool,
                     previous: BuildRecord, record: BuildRecord, problems: list[Problem],
                     unmapped: str = "error", invalid: list[Problem] | None = None) -> tuple[CheckedRegistry, Any]:
    """The registry of the build (and the foreign corpus, if any). An unchanged registry is not read
    again: its fingerprint comes from the record, its model and lines from memory or the cache, when
    needed. What is parsed is the bytes its digest is made of (a registry saved during a build must not
    be kept under the digest of the bytes it replaced). ``unmapped``: see :func:`~..read.read_corpus`."""
    shown = [display_path(s.path) for s in registry_files]

    def digest_of(shas: list[str]) -> str:
        return hashlib.sha256(json.dumps([code_fingerprint(), *map(list, zip(shown, shas))]).encode("utf-8")).hexdigest()

    def fingerprint_of(lines: list[str]) -> str:
        return hashlib.sha256((code_fingerprint() + "\0" + "\n".join(lines)).encode("utf-8")).hexdigest()

    digest = digest_of([s.state.sha for s in registry_files if s.state])

    def contents() -> tuple[dict[str, bytes], str]:
        """The registry files' bytes (read now where the scan did not), and their digest."""
        raws = {s.absolute: s.raw if s.raw is not None else Path(s.path).read_bytes() for s in registry_files}
        return raws, digest_of([sha(raw) for raw in raws.values()])

    def read(raws: dict[str, bytes]) -> tuple[Any, Registry, list[str], dict[str, set[str]], list[Problem]]:
        from ..check import Resolver, check_registry

        paths = [Path(s.path) for s in registry_files] + foreign
        corpus, found = read_corpus(paths, raws, unmapped=unmapped, invalid=invalid) if paths else (None, [])
        registry = corpus.registry if corpus is not None else Registry()
        resolver = Resolver(registry)
        check_registry(registry, resolver, found)
        return corpus, registry, registry_lines(registry, Iris(registry.base)), resolver.index, found

    known = previous.registry
    if not foreign and keep and known.get("digest") == digest:
        record.registry = known

        def load() -> RegistryParts:
            kept = record.checked.get(digest)
            if kept is None:
                kept = load_registry(Path(cache_path), digest)
                if kept is not None and fingerprint_of(kept[1]) != known["fingerprint"]:
                    kept = None  # damaged: read the files again, and keep a good copy
            if kept is not None:
                _hold(record, digest, kept)
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
            _hold(record, digest, (registry, lines, index))
            return registry, lines, index

        return CheckedRegistry(known["base"], known["fingerprint"], known["lines"], load), None
    try:
        raws, digest = contents()
    except OSError as exc:  # gone since the scan: parse what there is, and say so
        raws = {}
        problems.append(Problem(Loc(shown[0]), f"cannot read the registry ({exc.strerror})"))
    for s in registry_files:  # read again since the scan (its stat was trusted) and changed: trust it no more
        if s.raw is None and s.absolute in raws and s.state is not None and sha(raws[s.absolute]) != s.state.sha:
            record.files[s.absolute] = FileState(None, sha(raws[s.absolute]), "registry")
    corpus, registry, lines, index, found = read(raws)
    problems.extend(found)
    fingerprint = fingerprint_of(lines)
    if not foreign and keep and not found and not problems:
        save_registry(Path(cache_path), digest, registry, lines, index)
        _hold(record, digest, (registry, lines, index))
        record.registry = {"digest": digest, "fingerprint": fingerprint, "base": registry.base, "lines": len(lines)}
    return CheckedRegistry(registry.base, fingerprint, len(lines), registry=registry, lines=lines, index=index), corpus
