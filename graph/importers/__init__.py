"""Importers: annotations made with other tools, read into stancegraph's model.

Each input format other than native YAML is read by one **importer**: an object with a name, a way to
recognise its inputs, and ``read``, which returns the sources, the new registry entries and every
problem it found (:class:`Imported`). The native YAML reader (:mod:`stancegraph.graph.read`) does the
rest: discovery asks the importers which files and folders are theirs, and mentions are resolved
against the registry the YAML files define.

The built-in importers are listed in :data:`BUILT_IN`; third-party packages add theirs through the
entry-point group ``stancegraph.importers`` (see docs/architecture.md)::

    [options.entry_points]
    stancegraph.importers =
        myformat = mypackage.myformat:importer

What importers share lives beside them, once: :mod:`.mapping` (what a tool's types mean),
:mod:`.mentions` (mentions resolved to registry entries), :mod:`.spans` (text spans to anchored quotes)
and :mod:`.jsonread` (JSON with line numbers).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..errors import Loc, Problem, display_path
from ..model import Entity, Registry, Source

ENTRY_POINT_GROUP = "stancegraph.importers"


@dataclass
class Imported:
    """What an importer read from one input: sources with their statements, the registry entries the
    input adds (mentions of things the registry does not know), and every problem found."""

    sources: list[Source] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@runtime_checkable
class Importer(Protocol):
    """One input format.

    ``name`` is short and stable (it names the format in messages, ``--from`` options and docs);
    ``title`` is what a person calls the format. ``suffixes`` are the file endings the importer reads
    (lower case, with the dot): a file given by name with one of them is handed to ``claims_file``.
    """

    name: str
    title: str
    suffixes: tuple[str, ...]

    def claims_folder(self, folder: Path, names: list[str]) -> bool:
        """Whether ``folder`` (holding the files ``names``) is one input of this format, read whole
        (as a brat collection is). Most formats answer False: their inputs are files."""
        ...

    def claims_file(self, path: Path) -> bool:
        """Whether the file ``path`` is an input of this format. Cheap, and never raises: a file that
        cannot be read or parsed is not claimed (unless its suffix is the format's alone, in which
        case claiming it lets ``read`` report what is wrong)."""
        ...

    def read(self, path: Path, registry: Registry) -> Imported:
        """Read the input at ``path`` (a file, or a folder this importer claimed), resolving mentions
        against ``registry``. Never raises for bad input: problems are returned."""
        ...


#: module and attribute of each importer shipped with stancegraph, in the order they are asked
BUILT_IN: tuple[tuple[str, str], ...] = (
    ("brat", "importer"),
    ("webanno", "importer"),
    ("cas", "importer"),
)


@cache
def importers() -> tuple[Importer, ...]:
    """The built-in importers, then those of installed packages (entry-point group
    ``stancegraph.importers``), each once by name; a built-in name cannot be taken over."""
    found: dict[str, Importer] = {}
    for module, attribute in BUILT_IN:
        item = getattr(importlib.import_module(f".{module}", __name__), attribute)
        found[item.name] = item
    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.name in found:
            continue
        item = point.load()
        if isinstance(item, type):
            item = item()
        if not isinstance(item, Importer):
            raise TypeError(f"the entry point {point.name!r} ({point.value}) of the group {ENTRY_POINT_GROUP!r} "
                            "is not a stancegraph importer (see docs/architecture.md)")
        found[item.name] = item
    return tuple(found.values())


def by_name(name: str) -> Importer | None:
    """The importer called ``name``, or None."""
    return next((item for item in importers() if item.name == name), None)


def folder_importer(folder: Path, names: list[str]) -> Importer | None:
    """The importer that reads ``folder`` whole, or None."""
    return next((item for item in importers() if item.claims_folder(folder, names)), None)


def file_importer(path: Path) -> Importer | None:
    """The importer that reads the file ``path``, or None."""
    return next((item for item in importers() if item.claims_file(path)), None)


def suffixes() -> tuple[str, ...]:
    """Every file ending some importer reads."""
    return tuple(sorted({suffix for item in importers() for suffix in item.suffixes}))


def read_input(path: Path, registry: Registry, importer: Importer | None = None) -> Imported:
    """Read one foreign input with its importer (found when not given)."""
    if importer is None:
        importer = folder_importer(path, [p.name for p in path.iterdir()]) if path.is_dir() else file_importer(path)
    if importer is None:
        return Imported(problems=[Problem(Loc(display_path(path)), "no importer reads this input",
                                          "See docs/input-formats.md for the formats stancegraph reads")])
    return importer.read(path, registry)


__all__ = ["BUILT_IN", "ENTRY_POINT_GROUP", "Imported", "Importer", "by_name", "file_importer", "folder_importer",
           "importers", "read_input", "suffixes"]
