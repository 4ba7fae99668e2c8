"""The in-memory model between the annotation files and RDF: plain dataclasses, nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Loc

DEFAULT_BASE = "https://example.org/stancegraph/"


@dataclass
class Entity:
    """An actor, proposal or condition of the registry."""

    id: str
    cls: str  # "actor" | "proposal" | "condition"
    label: str
    loc: Loc
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    wikidata: str | None = None
    part_of: str | None = None
    description: str | None = None
    note: str | None = None
    locs: dict[str, Loc] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class Registry:
    base: str = DEFAULT_BASE
    entities: dict[str, Entity] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


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
    text: str | None = None  # path of the source's plain text, as written (relative to the source file)
    statements: list[Statement] = field(default_factory=list)
    locs: dict[str, Loc] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class Corpus:
    """Everything read from the inputs: one registry (merged from its files) and the sources."""

    registry: Registry
    sources: list[Source]
