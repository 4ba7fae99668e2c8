"""The Importer protocol: what an importer is, and what it returns.

Kept apart from the registry (:mod:`stancegraph.graph.importers`, which imports the built-in importers)
so that importers can import it without importing the registry that imports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..errors import Problem
from ..model import Entity, Registry, Source


@dataclass
class Imported:
    """What an importer read from one input: sources with their statements, the registry entries the
    input adds (mentions of things the registry does not know), and every problem found."""

    sources: list[Source] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: problems about types the mapping does not know that were skipped (``--unmapped ignore``)
    skipped: list[Problem] = field(default_factory=list)
    #: what is built all the same but should be looked at (an alias joining two names that share nothing)
    warnings: list[Problem] = field(default_factory=list)


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


__all__ = ["Imported", "Importer"]
