"""Finding and reading annotation files: which inputs there are, and the corpus they hold.

Discovery asks the importers (:mod:`.importers`) which files and folders are theirs; native YAML files
are checked against their schema (:mod:`.schemas`) and made model objects (:mod:`.native`); the
inputs of other tools are read by their importers once the registry is known.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from . import importers
from .errors import InputProblems, Loc, Problem, display_path
from .model import DEFAULT_BASE, Corpus, Entity, Registry, Source
from .native import kind_of, not_ours, registry_dataset, registry_entities, source_from_document
from .project import MAPPING_FILENAME, REGISTRY_FILENAMES, registry_above
from .schemas import schema_problems
from .yamlread import load_yaml, loads_yaml

YAML_SUFFIXES = (".yaml", ".yml")
#: what build writes (.jsonld is left out: Web Annotation files are JSON-LD too)
GRAPH_SUFFIXES = (".ttl", ".trig", ".nt", ".nq")


# ----------------------------------------------------------------------------- discovery


def discover(paths: Iterable[Path | str]) -> list[Path]:
    """The inputs named by ``paths`` (files, or folders searched recursively), sorted, each once: YAML
    files, and the inputs of the importers (:mod:`.importers`: brat folders, Web Annotation files...).

    If none of them is a registry, the nearest ``registry.yaml`` in a parent folder of the inputs is
    added, so that a single source file can be validated on its own.
    """
    return [Path(name) for name, _ in discover_names(paths)]


def discover_names(paths: Iterable[Path | str]) -> list[tuple[str, str | None]]:
    """What :func:`discover` finds, as (path, the name of the importer that reads it, None for native
    YAML) (paths as text are cheaper than Path objects: a corpus may have tens of thousands of files).

    A folder given as input in which nothing at all is recognised is a problem: building nothing is
    never taken for success."""
    found: dict[str, str | None] = {}
    problems = []
    for raw in paths:
        path = os.path.normpath(raw)
        if os.path.isdir(path):
            before = len(found)
            skipped: list[str] = []
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
                whole = importers.folder_importer(Path(root), names)
                if whole is not None:
                    found[root] = whole.name
                for name in sorted(names):
                    if name.startswith(".") or name == MAPPING_FILENAME:
                        continue
                    full = os.path.join(root, name)
                    if not os.path.isfile(full):  # a FIFO, a device, a link to one or to nowhere: never opened
                        if name.lower().endswith(YAML_SUFFIXES + importers.suffixes()):
                            problems.append(not_regular(full))
                        continue
                    if name.endswith(YAML_SUFFIXES):
                        found[os.path.join(root, name)] = None
                    elif whole is not None and whole.claims_file(Path(root, name)):
                        continue  # read with its folder
                    elif (one := importers.file_importer(Path(root, name))) is not None:
                        found[os.path.join(root, name)] = one.name
                    else:
                        skipped.append(os.path.join(root, name))
            if len(found) == before:
                problems.append(nothing_recognised(path, skipped))
        elif os.path.isfile(path) and path.lower().endswith(GRAPH_SUFFIXES):
            problems.append(graph_file_problem(path))
        elif os.path.isfile(path) and path.lower().endswith(YAML_SUFFIXES):
            found[path] = None
        elif os.path.isfile(path):
            one = importers.file_importer(Path(path))
            if one is None and not path.lower().endswith((".csv", ".tsv")):
                # a known ending: the first importer reading it says what is wrong (a table that no
                # importer claims is just not an annotation file)
                one = next((i for i in importers.importers() if path.lower().endswith(i.suffixes)), None)
            if one is None:
                problems.append(Problem(Loc(display_path(path)), "not an annotation file",
                                        "Annotation files are YAML (.yaml, .yml) or one of the formats of "
                                        "docs/input-formats.md (" + ", ".join(importers.suffixes()) + "); "
                                        "give those, or folders of them"))
            else:
                found[path] = one.name
        else:
            problems.append(Problem(Loc(display_path(path)), "no such file or folder", "Check the path"))
    if problems:
        raise InputProblems(problems)
    result = sorted(found.items(), key=lambda item: item[0].split(os.sep))  # as sorted Paths would be
    if result and not any(os.path.basename(name) in REGISTRY_FILENAMES for name, _ in result):
        registry = registry_above(Path(name) for name, _ in result)
        if registry is not None:
            result.insert(0, (str(registry), None))
    return result


def not_regular(path: str) -> Problem:
    """The problem of an input that is not a regular file (reading a FIFO would block, a device never end)."""
    here, absolute = os.getcwd(), os.path.abspath(path)  # the link itself, not where it leads
    shown = os.path.relpath(absolute, here) if absolute.startswith(here + os.sep) else absolute
    return Problem(Loc(shown), "not a regular file (a FIFO, a device, or a link to one or to nowhere)",
                   "Remove it, or put the file itself there")


def nothing_recognised(folder: str, skipped: list[str]) -> Problem:
    """What to say of an input folder in which no file is an annotation file."""
    if not skipped:
        return Problem(Loc(display_path(folder)), "no annotation files in this folder",
                       "Give a folder holding annotation files (see docs/input-formats.md)")
    shown = ", ".join(display_path(p) for p in skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5 else "")
    return Problem(Loc(display_path(folder)), f"no file in this folder was recognised as annotations "
                   f"({len(skipped)} skipped: {shown})",
                   "stancegraph reads the formats of docs/input-formats.md; export from your tool in one of them")


def graph_file_problem(path: Path | str) -> Problem:
    """What to say of a graph file given where annotation files are read."""
    return Problem(Loc(display_path(path)), "a graph file (RDF), not an annotation file",
                   "build and validate read annotation files (YAML, brat, Web Annotation); give a graph file to "
                   "view, query, stats, matrix, blockers, contradictions or export")


def read_corpus(paths: Iterable[Path | str], contents: dict[str, bytes] | None = None, *,
                unmapped: str = "error", invalid: list[Problem] | None = None) -> tuple[Corpus, list[Problem]]:
    """Read every annotation file under ``paths``. Returns what could be read and every problem found.

    A file with a problem of syntax or shape is left out of the corpus; later checks (references,
    vocabulary, quotes) run on the rest so that one run reports as much as it can. ``contents``: the
    bytes of some of the files (by absolute path), already read: those bytes are parsed, not the file
    as it is now. ``unmapped``: what to do with types the mapping does not know (``error``, or ``ignore``:
    skip them, listed in the corpus's ``skipped``). ``invalid``: with ``--skip-invalid``, the list that
    takes the problems an importer found in single annotations (a place inside a file that gave sources:
    what they are about was left out) instead of failing.
    """
    problems: list[Problem] = []
    registry = Registry()
    sources: list[Source] = []
    first_of: dict[str, Entity] = {}
    base_loc: Loc | None = None
    language_set = False
    skipped: list[Problem] = []
    warnings: list[Problem] = []
    foreign: list[tuple[Path, str]] = []  # read once the registry files are: they resolve mentions against it
    for name, importer in discover_names(paths):
        path = Path(name)
        if importer is not None:
            foreign.append((path, importer))
            continue
        shown = display_path(path)
        raw = contents.get(os.path.abspath(path)) if contents else None
        try:
            doc = load_yaml(path, shown) if raw is None else loads_yaml(raw, shown)
        except InputProblems as exc:
            problems.extend(exc.problems)
            continue
        kind = kind_of(doc)
        if kind is None:
            if doc.data is not None or path.name not in REGISTRY_FILENAMES:  # an empty registry.yaml is no problem
                problems.append(not_ours(doc))
            continue
        found = schema_problems(doc, kind)
        if found:
            problems.extend(found)
            continue
        if kind == "registry":
            registry.files.append(shown)
            if "base" in doc.data:
                if base_loc is not None and doc.data["base"] != registry.base:
                    problems.append(
                        Problem(doc.loc("base"), f"a second, different base IRI (the first is at {base_loc})",
                                "Set 'base' in one registry file only")
                    )
                registry.base, base_loc = doc.data["base"], doc.loc("base")
            if "language" in doc.data and not language_set:  # the first that says: for entries made from mentions
                registry.language, language_set = doc.data["language"], True
            if "dataset" in doc.data:
                if registry.dataset is not None:
                    problems.append(Problem(doc.loc("dataset"), f"a second 'dataset' (the first is at {registry.dataset.loc})",
                                            "Describe the dataset in one registry file only"))
                else:
                    registry.dataset = registry_dataset(doc)
            for entity in registry_entities(doc):
                if entity.id in first_of:
                    problems.append(
                        Problem(entity.loc, f"duplicate id {entity.id!r}, already defined at {first_of[entity.id].loc}",
                                "Ids must be unique across actors, proposals and conditions; rename one")
                    )
                    continue
                first_of[entity.id] = entity
                registry.entities[entity.id] = entity
        else:
            sources.append(source_from_document(doc))
    if foreign:
        for path, name in foreign:
            imported = importers.read_input(path, registry, importers.by_name(name), unmapped=unmapped)
            if invalid is not None and imported.sources:
                local = [p for p in imported.problems if p.loc.line > 0]
                invalid.extend(local)
                imported.problems = [p for p in imported.problems if p.loc.line == 0]
            problems.extend(imported.problems)
            skipped.extend(imported.skipped)
            warnings.extend(imported.warnings)
            sources.extend(imported.sources)
            registry.entities.update((entity.id, entity) for entity in imported.entities)
    if base_loc is None:
        registry.base = DEFAULT_BASE
    return Corpus(registry, sources, skipped, warnings), problems
