"""The in-memory model between the annotation files and RDF: plain dataclasses, nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Iterator, Mapping
from typing import Any

from .errors import Loc, Problem

DEFAULT_BASE = "https://example.org/stancegraph/"
#: the language of a registry's plain (not per-language) labels and aliases when it does not say
DEFAULT_LANGUAGE = "en"


@dataclass
class Entity:
    """An actor, proposal or condition of the registry.

    ``label`` is its label in the registry's language (or, when it has none in that language, the first
    it has), ``aliases`` every alias in every language: what matching and most outputs use. ``labels``
    and ``lang_aliases`` keep them by language tag, the label of ``label`` first; an entry made without
    them (from mentions, say) has its label and aliases in the registry's language (see
    :meth:`labels_by_language`)."""

    id: str
    cls: str  # "actor" | "proposal" | "condition"
    label: str
    loc: Loc
    aliases: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    lang_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kind: str | None = None
    wikidata: str | None = None
    part_of: str | None = None
    description: str | None = None
    note: str | None = None
    short: str | None = None  # a display label for a long one (a claim's sentence), as the registry gives it
    concerns: tuple[str, ...] = ()  # a condition's actors (ids once resolved): "Hamas is defeated" concerns Hamas
    locs: dict[str, Loc] = field(default_factory=dict, repr=False, compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name it goes by: its label, its labels in other languages, its aliases."""
        return tuple(dict.fromkeys((self.label, *self.labels.values(), *self.aliases)))

    def labels_by_language(self, default: str) -> dict[str, str]:
        """Its label in each language, the one of ``label`` first; ``default``: the language of a label
        given without one."""
        return dict(self.labels) if self.labels else {default: self.label}

    def aliases_by_language(self, default: str) -> dict[str, tuple[str, ...]]:
        """Its aliases in each language; those ``lang_aliases`` does not place are in ``default``."""
        placed = {a for names in self.lang_aliases.values() for a in names}
        out = {lang: tuple(names) for lang, names in self.lang_aliases.items()}
        rest = tuple(a for a in self.aliases if a not in placed)
        if rest:
            out[default] = out.get(default, ()) + rest
        return out


@dataclass
class Registry:
    base: str = DEFAULT_BASE
    entities: dict[str, Entity] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    #: the language of plain labels and aliases (BCP 47), from the first registry file that says
    language: str = DEFAULT_LANGUAGE
    #: who made the dataset and under which terms (registry.yaml's ``dataset:``): title, description,
    #: authors, license; None when no registry file says
    dataset: Dataset | None = None


@dataclass
class Dataset:
    """The dataset as a whole: the page title of its view, dcterms on the dataset in the graph, exports' metadata."""

    title: str
    loc: Loc
    description: str | None = None
    authors: tuple[str, ...] = ()
    license: str | None = None  # an address, once checked (an SPDX id is turned into its spdx.org address)
    url: str | None = None


@dataclass
class Quantity:
    value: float | int
    unit: str | None = None
    approximate: bool = False


@dataclass
class Statement:
    """One statement of a source. Reference fields hold registry ids once resolved."""

    subject: str
    relation: str
    object: str
    quote: str
    loc: Loc
    id: str = ""
    regarding: str | None = None
    if_conditions: tuple[str, ...] = ()
    until_conditions: tuple[str, ...] = ()
    according_to: tuple[str, ...] | None = None  # None: the source's `cites`
    hedges: tuple[str, ...] = ()
    status: str | None = None
    date: str | None = None
    since: str | None = None
    quantity: Quantity | None = None
    prefix: str | None = None
    suffix: str | None = None
    start: int | None = None
    end: int | None = None
    note: str | None = None
    locs: dict[str, Loc] = field(default_factory=dict, repr=False, compare=False)

    @property
    def explicit_id(self) -> bool:
        return "id" in self.locs


@dataclass
class Source:
    id: str
    title: str
    path: str
    loc: Loc
    type: str = "news-article"
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    url: str | None = None
    cites: tuple[str, ...] = ()
    language: str | None = None
    note: str | None = None
    #: the actor whose own statements the source makes (its author, columnist, speaker): a reference until
    #: checked; statements written without a subject are this actor's (see graph/voice.py)
    voice: str | None = None
    text: str | None = None  # path of the source's plain text, as written (relative to the source file)
    #: the source's plain text itself, where the input holds it (a DNA database, a UIMA CAS, a Label
    #: Studio task) rather than a file beside it; quotes are anchored in it as in a ``text:`` file
    content: str | None = field(default=None, repr=False, compare=False)
    statements: list[Statement] = field(default_factory=list)
    locs: dict[str, Loc] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class Corpus:
    """Everything read from the inputs: one registry (merged from its files) and the sources."""

    registry: Registry
    sources: list[Source]
    #: problems about types the mapping does not know, skipped rather than failed (``--unmapped ignore``)
    skipped: list[Problem] = field(default_factory=list)
    #: what is built all the same but should be looked at (see Imported.warnings): printed, never fatal
    warnings: list[Problem] = field(default_factory=list)


# ----------------------------------------------------------------------------- as JSON, for the build cache

_ENTITY_FIELDS = ("id", "cls", "label", "aliases", "labels", "lang_aliases", "kind", "wikidata", "part_of",
                  "description", "note", "short", "concerns")


def _loc_data(loc: Loc) -> list[Any]:
    return [loc.path, loc.line, loc.col]


def registry_to_data(registry: Registry, *, field_locs: bool = True) -> dict[str, Any]:
    """The registry as JSON-able data (see :func:`registry_from_data`). ``field_locs=False`` leaves out
    where each field of an entry is (only the checks of the registry itself need them)."""
    return {
        "base": registry.base,
        "language": registry.language,
        "files": list(registry.files),
        "dataset": None if registry.dataset is None else {
            "title": registry.dataset.title, "loc": _loc_data(registry.dataset.loc),
            "description": registry.dataset.description, "authors": list(registry.dataset.authors),
            "license": registry.dataset.license, "url": registry.dataset.url},
        "fields": list(_ENTITY_FIELDS),
        "entities": [
            [*(getattr(e, name) for name in _ENTITY_FIELDS), _loc_data(e.loc),
             {key: _loc_data(loc) for key, loc in e.locs.items()} if field_locs else {}]
            for e in registry.entities.values()
        ],
    }


def registry_from_data(data: dict[str, Any]) -> Registry:
    """The registry :func:`registry_to_data` made; ``ValueError`` when ``data`` is of another shape.
    Its entries are made as they are looked up (a rebuild of one source needs a handful of thousands)."""
    if data.get("fields") != list(_ENTITY_FIELDS):
        raise ValueError("registry data of another version")
    rows = {row[0]: row for row in data["entities"]}
    about = data.get("dataset")
    dataset = None if about is None else Dataset(
        about["title"], Loc(*about["loc"]), about["description"], tuple(about["authors"]), about["license"], about["url"])
    return Registry(data["base"], _Entities(rows), list(data["files"]), data["language"], dataset)  # type: ignore[arg-type]


def _entity(row: list[Any]) -> Entity:
    values = dict(zip(_ENTITY_FIELDS, row))
    values["aliases"] = tuple(values["aliases"])
    values["concerns"] = tuple(values["concerns"])
    values["lang_aliases"] = {lang: tuple(names) for lang, names in values["lang_aliases"].items()}
    return Entity(**values, loc=Loc(*row[-2]), locs={key: Loc(*loc) for key, loc in row[-1].items()})


class _Entities(Mapping[str, Entity]):
    """A registry's entities by id, each made from its row of data when first looked up (read-only:
    a registry from the cache is not added to)."""

    def __init__(self, rows: dict[str, list[Any]]):
        self.rows = rows
        self.made: dict[str, Entity] = {}

    def __getitem__(self, key: str) -> Entity:
        entity = self.made.get(key)
        if entity is None:
            entity = self.made[key] = _entity(self.rows[key])  # KeyError for an unknown id
        return entity

    def __contains__(self, key: object) -> bool:
        return key in self.rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)
