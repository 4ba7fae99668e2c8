"""Finding and reading annotation files: YAML → schema check → model objects, with locations."""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputProblems, Loc, Problem, display_path
from .model import DEFAULT_BASE, Corpus, Entity, Quantity, Registry, Source, Statement
from .yamlread import Document, load_yaml, loads_yaml

if TYPE_CHECKING:  # jsonschema is imported when a document is invalid (jsonschema-rs says whether it is)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

YAML_SUFFIXES = (".yaml", ".yml")
#: what build writes (.jsonld is left out: Web Annotation files are JSON-LD too)
GRAPH_SUFFIXES = (".ttl", ".trig", ".nt", ".nq")
REGISTRY_FILENAME = "registry.yaml"
REGISTRY_FILENAMES = (REGISTRY_FILENAME, "registry.yml")
MAPPING_FILENAME = "mapping.yaml"  # read by the brat and Web Annotation readers, not as a source
ENTITY_SECTIONS = {"actors": "actor", "proposals": "proposal", "conditions": "condition"}


@cache
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema shipped with the package: ``"source"`` or ``"registry"``."""
    return json.loads(files("stancegraph.graph").joinpath(f"schema/{name}.schema.json").read_text("utf-8"))


@cache
def _validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(name))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidates, or ``""``."""
    close = difflib.get_close_matches(word, sorted(set(candidates)), n=3, cutoff=0.6)
    if not close:
        return ""
    return "Did you mean " + " or ".join(repr(c) for c in close) + "?"


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
    from . import importers

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
            if one is None:  # a known ending: the first importer reading it says what is wrong
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
        registry = _find_registry_above(Path(name) for name, _ in result)
        if registry is not None:
            result.insert(0, (str(registry), None))
    return result


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


def _find_registry_above(paths: Iterable[Path]) -> Path | None:
    for path in paths:
        folder = path.resolve().parent
        for _ in range(4):
            for name in REGISTRY_FILENAMES:
                candidate = folder / name
                if candidate.is_file():
                    return candidate
            if (folder / ".git").exists() or folder.parent == folder:
                break
            folder = folder.parent
    return None


# ----------------------------------------------------------------------------- schema


def _field(path: Iterable[Any]) -> str:
    names = [p for p in path if isinstance(p, str)]
    return names[-1] if names else "the file"


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a text", bool: "true/false", int: "a number",
            float: "a number", type(None): "empty"}.get(type(value), type(value).__name__)


@cache
def _fast_validator(name: str) -> Any:
    """jsonschema-rs's validator for the schema (some 50 times faster), or None where it is missing."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - it is a dependency; keep working without it
        return None
    return jsonschema_rs.validator_for(schema(name))


def schema_problems(doc: Document, name: str) -> list[Problem]:
    """Check ``doc`` against the shipped JSON Schema; one readable problem per violation.

    Valid documents (nearly all of them) are recognised by jsonschema-rs; the messages for invalid ones
    come from jsonschema, whose errors carry the paths we turn into file:line:col."""
    fast = _fast_validator(name)
    if fast is not None and fast.is_valid(doc.data):
        return []
    problems = []
    for error in sorted(_validator(name).iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))):
        problems.extend(_explain(doc, error))
    return problems


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def _explain(doc: Document, error: ValidationError) -> list[Problem]:
    path = tuple(error.absolute_path)
    loc = doc.loc(*path)
    field = _field(path)
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1]
        return [Problem(loc, f"{'the file' if not path else field!s} is missing {missing!r}", f"Add '{missing}:'")]
    if kind == "additionalProperties":
        allowed = error.schema.get("properties", {})
        out = []
        for key in sorted(set(error.instance) - set(allowed)):
            hint = did_you_mean(key, allowed) or "Allowed here: " + ", ".join(sorted(allowed))
            out.append(Problem(doc.loc(*path, key, "__key__"), f"unknown key {key!r}", hint))
        return out
    if kind == "pattern":
        container = _at(doc.data, path)
        if isinstance(container, dict) and error.instance in container:  # a key failed propertyNames
            return [Problem(doc.loc(*path, error.instance, "__key__"), f"{error.instance!r} is not a valid id",
                            "Ids use lower-case letters, digits, '.', '_' and '-', and start with a letter or digit")]
        if field == "id":
            hint = "Ids use lower-case letters, digits, '.', '_' and '-', and start with a letter or digit"
        elif field == "wikidata":
            hint = "Write the Wikidata item id, such as Q42"
        else:
            hint = "See docs/annotation-format.md"
        return [Problem(loc, f"{field}: {error.instance!r} is not valid", hint)]
    if kind == "type" and field in ("published", "date", "since"):
        return [Problem(loc, f"{field} should be a date written YYYY, YYYY-MM or YYYY-MM-DD, not {_type_name(error.instance)}",
                        f"Write it as text, e.g. {field}: '2024-03-30'")]
    if kind == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        words = " or ".join({"object": "a mapping", "array": "a list", "string": "a text", "number": "a number",
                             "integer": "a whole number", "boolean": "true or false", "null": "empty"}[t]
                            for t in expected)
        return [Problem(loc, f"{field} should be {words}, not {_type_name(error.instance)}")]
    if kind == "oneOf":
        return [Problem(loc, f"{field} should be a text or a list of texts, not {_type_name(error.instance)}")]
    if kind == "const":
        return [Problem(loc, f"{field}: this version of stancegraph reads format {error.validator_value}",
                        f"Write '{field}: {error.validator_value}' or upgrade stancegraph")]
    if kind == "minLength":
        return [Problem(loc, f"{field} must not be empty")]
    if kind == "anyOf" and not path:
        return [Problem(loc, "a registry needs at least one of 'actors', 'proposals' or 'conditions'")]
    return [Problem(loc, f"{field}: {error.message}")]


# ----------------------------------------------------------------------------- model


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value)
    return (str(value).strip(),)


def _date(value: str | int | None) -> str | None:
    """A date as written: ``published: 2024`` is a number to YAML, and the year 2024 to us."""
    return None if value is None else str(value)


def _locs(doc: Document, path: tuple[Any, ...], data: dict[str, Any]) -> dict[str, Loc]:
    return {key: doc.loc(*path, key) for key in data}


def _registry_entities(doc: Document) -> Iterator[Entity]:
    for section, cls in ENTITY_SECTIONS.items():
        for ident, data in (doc.data.get(section) or {}).items():
            path = (section, ident)
            yield Entity(
                id=ident,
                cls=cls,
                label=data["label"].strip(),
                loc=doc.loc(*path, "__key__"),
                aliases=tuple(a.strip() for a in data.get("aliases", ())),
                kind=data.get("kind"),
                wikidata=data.get("wikidata"),
                part_of=data.get("part-of"),
                description=data.get("description"),
                note=data.get("note"),
                locs=_locs(doc, path, data),
            )


def _statement(doc: Document, index: int, data: dict[str, Any]) -> Statement:
    path = ("statements", index)
    quantity = data.get("quantity")
    return Statement(
        id=data.get("id", ""),
        subject=data["subject"].strip(),
        relation=data["relation"].strip(),
        object=data["object"].strip(),
        quote=data["quote"],
        loc=doc.loc(*path),
        regarding=data["for"].strip() if "for" in data else None,
        if_conditions=_as_tuple(data.get("if")),
        until_conditions=_as_tuple(data.get("until")),
        according_to=_as_tuple(data["according-to"]) if "according-to" in data else None,
        hedges=_as_tuple(data.get("hedge")),
        status=data.get("status"),
        date=_date(data.get("date")),
        since=_date(data.get("since")),
        quantity=Quantity(quantity["value"], quantity.get("unit"), quantity.get("approximate", False))
        if quantity
        else None,
        prefix=data.get("prefix"),
        suffix=data.get("suffix"),
        start=data.get("start"),
        end=data.get("end"),
        note=data.get("note"),
        locs=_locs(doc, path, data),
    )


def _source(doc: Document) -> Source:
    meta = doc.data["source"]
    return Source(
        id=meta["id"],
        title=meta["title"].strip(),
        path=doc.path,
        loc=doc.loc("source", "id"),
        type=meta.get("type", "news-article"),
        publisher=meta.get("publisher"),
        authors=_as_tuple(meta.get("author")),
        published=_date(meta.get("published")),
        url=meta.get("url"),
        cites=_as_tuple(meta.get("cites")),
        language=meta.get("language"),
        note=meta.get("note"),
        text=meta.get("text"),
        statements=[_statement(doc, i, s) for i, s in enumerate(doc.data.get("statements") or [])],
        locs=_locs(doc, ("source",), meta),
    )


def kind_of(doc: Document) -> str | None:
    """``"source"``, ``"registry"`` or None for a document that is neither."""
    if not isinstance(doc.data, dict):
        return None
    if "source" in doc.data or "statements" in doc.data:
        return "source"
    if set(doc.data) & {"actors", "proposals", "conditions", "base"}:
        return "registry"
    return None


def read_corpus(paths: Iterable[Path | str], contents: dict[str, bytes] | None = None) -> tuple[Corpus, list[Problem]]:
    """Read every annotation file under ``paths``. Returns what could be read and every problem found.

    A file with a problem of syntax or shape is left out of the corpus; later checks (references,
    vocabulary, quotes) run on the rest so that one run reports as much as it can. ``contents``: the
    bytes of some of the files (by absolute path), already read: those bytes are parsed, not the file
    as it is now.
    """
    problems: list[Problem] = []
    registry = Registry()
    sources: list[Source] = []
    first_of: dict[str, Entity] = {}
    base_loc: Loc | None = None
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
            if doc.data is None and path.name not in REGISTRY_FILENAMES:
                problems.append(Problem(Loc(shown, 1, 1), "the file is empty", "Delete it or add a source"))
            elif path.name not in REGISTRY_FILENAMES or doc.data is not None:
                problems.append(
                    Problem(
                        doc.loc(),
                        "not a stancegraph file",
                        "A source file has 'source:' and 'statements:'; a registry has 'actors:', "
                        "'proposals:' or 'conditions:'",
                    )
                )
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
            for entity in _registry_entities(doc):
                if entity.id in first_of:
                    problems.append(
                        Problem(entity.loc, f"duplicate id {entity.id!r}, already defined at {first_of[entity.id].loc}",
                                "Ids must be unique across actors, proposals and conditions; rename one")
                    )
                    continue
                first_of[entity.id] = entity
                registry.entities[entity.id] = entity
        else:
            sources.append(_source(doc))
    if foreign:
        from . import importers

        for path, name in foreign:
            imported = importers.read_input(path, registry, importers.by_name(name))
            problems.extend(imported.problems)
            sources.extend(imported.sources)
            registry.entities.update((entity.id, entity) for entity in imported.entities)
    if base_loc is None:
        registry.base = DEFAULT_BASE
    return Corpus(registry, sources), problems
