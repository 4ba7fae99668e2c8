"""Importers: annotations made with other tools, read into stancegraph's model.

Each input format other than native YAML is read by one **importer**: an object with a name, a way to
recognise its inputs, and ``read``, which returns the sources, the new registry entries and every
problem it found (:class:`Imported`; both are defined in :mod:`.protocol`, which importers import, and
re-exported here). The native YAML reader (:mod:`stancegraph.graph.read`) does the
rest: discovery asks the importers which files and folders are theirs, and mentions are resolved
against the registry the YAML files define.

The built-in importers are listed in :data:`BUILT_IN`; third-party packages add theirs through the
entry-point group ``stancegraph.importers`` (see docs/architecture.md)::

    [options.entry_points]
    stancegraph.importers =
        myformat = mypackage.myformat:importer

What importers share lives beside them, once: :mod:`.mapping` (what a tool's types mean),
:mod:`.mentions` (mentions resolved to registry entries), :mod:`.spans` (text spans to anchored quotes)
and :mod:`.jsonread` (JSON with line numbers). A built-in format is two modules: its form, parsed with
line and column (:mod:`.brat_format`, :mod:`.webanno_format`), and what it means in stancegraph
(:mod:`.brat`, :mod:`.webanno`, each exposing ``importer``).
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

from ..errors import Loc, Problem, display_path, grouped
from ..model import Registry
from .protocol import Imported, Importer

ENTRY_POINT_GROUP = "stancegraph.importers"


#: module and attribute of each importer shipped with stancegraph, in the order they are asked
BUILT_IN: tuple[tuple[str, str], ...] = (
    ("brat", "importer"),
    ("labelstudio", "importer"),  # before webanno: both read .json, and a task with no annotations looks like a page
    ("webanno", "importer"),
    ("dna", "importer"),
    ("cas", "importer"),
    ("sheets", "importer"),  # after labelstudio, which claims (and refuses) its own CSV and TSV exports
)


@cache
def importers() -> tuple[Importer, ...]:
    """The built-in importers, then those of installed packages (entry-point group
    ``stancegraph.importers``), each once by name; a built-in name cannot be taken over."""
    from importlib.metadata import entry_points  # some 30 ms to import: only when annotations are read

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


#: what ``--unmapped`` may say of types the mapping does not know: fail, or skip them and say so
UNMAPPED_POLICIES = ("error", "ignore")


def read_input(path: Path, registry: Registry, importer: Importer | None = None, *, unmapped: str = "error") -> Imported:
    """Read one foreign input with its importer (found when not given). Problems of one cause are
    reported once (:func:`~stancegraph.graph.errors.grouped`); with ``unmapped="ignore"``, those about
    types the mapping does not know (group ``("unmapped", ...)``) are moved to ``skipped``: what they
    are about was left out, which the caller says."""
    if importer is None:
        importer = folder_importer(path, [p.name for p in path.iterdir()]) if path.is_dir() else file_importer(path)
    if importer is None:
        return Imported(problems=[Problem(Loc(display_path(path)), "no importer reads this input",
                                          "See docs/input-formats.md for the formats stancegraph reads")])
    imported = importer.read(path, registry)
    imported.problems = grouped(imported.problems)
    if unmapped == "ignore":
        imported.skipped += [p for p in imported.problems if p.group and p.group[0] == "unmapped"]
        imported.problems = [p for p in imported.problems if not (p.group and p.group[0] == "unmapped")]
    return imported


__all__ = ["BUILT_IN", "UNMAPPED_POLICIES", "ENTRY_POINT_GROUP", "Imported", "Importer", "by_name", "file_importer", "folder_importer",
           "importers", "read_input", "suffixes"]
