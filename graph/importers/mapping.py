"""Mapping files: what the types of an annotation tool mean in stancegraph.

brat entity, relation, event and attribute types, event roles and normalization databases, and the
class tags of Web Annotations, are names each project chooses. A mapping file (YAML; format in
``schema/mapping.schema.json``, explained in docs/input-formats.md) says what each one is: a class and
kind of registry entry, a relation (or a stance), a hedge, a condition status, a field of a statement.
stancegraph ships a default for common news schemes (``default-mapping.yaml``); a project's
``mapping.yaml`` is read on top of it. The mapping file also holds the metadata of the annotated
documents (title, date, outlet...), which neither brat nor most Web Annotation exports carry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from stancegraph.ontology import CLASS_IRIS, terms

from ..errors import InputProblems, Loc, Problem, display_path
from ..names import did_you_mean, kebab
from ..project import MAPPING_FILENAME, find_upwards
from ..schemas import metadata_problems, schema_problems
from ..yamlread import Document, load_yaml, loads_yaml

#: the fields of a statement an argument role can fill
ROLE_FIELDS = ("subject", "object", "for", "if", "until", "according-to")
#: the relation that stands for each stance a mapping can name
STANCE_RELATIONS = {"supports": "supports", "opposes": "opposes", "considering": "considers", "undecided": "undecided-on",
                    "abstaining": "abstains"}
_DEFAULT = "default-mapping.yaml"


@dataclass(frozen=True)
class EntityRule:
    """What mentions of an entity type are: ``cls`` None means they are ignored. ``voice``: a relation
    (``supports``) by which the source's voice holds each mention (an essay's author its major claim)."""

    cls: str | None
    kind: str | None
    loc: Loc
    voice: str | None = None


@dataclass(frozen=True)
class Effects:
    """What an attribute (or one of its values) does to the statements or entity it is on."""

    loc: Loc
    hedges: tuple[str, ...] = ()
    status: str | None = None
    relation: str | None = None
    kind: str | None = None
    relations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RelationRule:
    """What a relation or event type states: ``relation`` None means it is ignored."""

    relation: str | None
    loc: Loc
    hedges: tuple[str, ...] = ()
    reverse: bool = False
    roles: dict[str, str] = field(default_factory=dict)
    #: the two mentions it joins name the same thing (brat's news tutorial's Alias), as an equivalence does
    same: bool = False
    #: (reporter role, reported role): an event that reports another event or relation, whose statements
    #: are then according to the reporter (brat's news tutorial's Report)
    attribution: tuple[str, str] | None = None


@dataclass(frozen=True)
class AttributeRule:
    """``effects`` for a binary attribute; ``values`` (a table, or the kind of word the value is) for a
    valued one; neither when the attribute is ignored."""

    loc: Loc
    effects: Effects | None = None
    values: dict[str, Effects] | str | None = None
    #: a stance attribute: the mention types it is on (any when empty), and the entity type of its
    #: implicit target (the document's MajorClaim); the statement's subject is the source's voice, or
    #: the mention itself (``holder: mention``)
    on: tuple[str, ...] = ()
    target: str | None = None
    holder: str = "voice"

    def effects_for(self, value: str | None, loc: Loc, problems: list[Problem]) -> Effects | None:
        if value is None or self.values is None:
            return self.effects
        if isinstance(self.values, str):
            word = kebab(value)
            return _effects({self.values: word}, loc, problems)
        if value in self.values:
            return self.values[value]
        problems.append(Problem(loc, f"the mapping ({self.loc}) has no entry for the value {value!r}",
                                did_you_mean(value, self.values) or f"Add '{value}:' under its 'values:'"))
        return None


def _words(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


def _check_words(data: dict[str, Any], loc: Loc, problems: list[Problem]) -> None:
    """Problems with the stancegraph words of one mapping entry: relations, stances, hedges, kinds, statuses."""
    vocab = terms()
    tables = {
        "relation": {**vocab.relations, **vocab.argument_words}, "stance": STANCE_RELATIONS, "hedge": vocab.hedges, "kind": vocab.actor_kinds,
        "status": vocab.condition_statuses, "class": {**CLASS_IRIS, **vocab.proposal_kinds},
    }
    for key, table in tables.items():
        for word in _words(data.get(key)):
            if word not in table:
                problems.append(Problem(loc, f"{key}: unknown word {word!r}",
                                        did_you_mean(word, table) or "Use one of " + ", ".join(table)))
    for old, new in (data.get("relations") or {}).items():
        for word in (old, new):
            if word not in vocab.relations:
                problems.append(Problem(loc, f"relations: unknown relation {word!r}", did_you_mean(word, vocab.relations)))


def _effects(data: dict[str, Any], loc: Loc, problems: list[Problem]) -> Effects | None:
    before = len(problems)
    _check_words(data, loc, problems)
    if len(problems) > before:
        return None
    relation = data.get("relation") or STANCE_RELATIONS.get(data.get("stance", ""))
    return Effects(loc, _words(data.get("hedge")), data.get("status"), relation, data.get("kind"),
                   dict(data.get("relations") or {}))


@dataclass
class Mapping:
    """A mapping: the default with a project's mapping.yaml on top. Look types up with the methods."""

    files: list[str] = field(default_factory=list)
    entities: dict[str, EntityRule] = field(default_factory=dict)
    relations: dict[str, RelationRule] = field(default_factory=dict)
    events: dict[str, RelationRule] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, AttributeRule] = field(default_factory=dict)
    normalizations: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Document] = field(default_factory=dict)
    #: the ``labelstudio:`` section (which task data keys hold the text and metadata, which annotations
    #: are read), each setting with where it was made
    labelstudio: dict[str, tuple[Any, Loc]] = field(default_factory=dict)
    #: Discourse Network Analyzer statement types → their entry as written, and where (read by .dna)
    dna: dict[str, tuple[Any, Loc]] = field(default_factory=dict)
    #: UIMA CAS layers (INCEpTION, WebAnno): type name → the feature holding its label, None to ignore it
    cas: dict[str, str | None] = field(default_factory=dict)
    #: where each ``cas:`` entry was made
    cas_locs: dict[str, Loc] = field(default_factory=dict)
    #: coding sheets: the ``columns:`` section, each setting with where it was made (read by .sheets)
    columns: dict[str, tuple[Any, Loc]] = field(default_factory=dict)

    def entity(self, name: str, parents: Iterable[str] = ()) -> EntityRule | None:
        """The rule for an entity type (or else for the nearest of its ``parents`` that has one)."""
        for candidate in (name, *parents):
            if candidate in self.entities:
                return self.entities[candidate]
            word = kebab(candidate)
            if word in CLASS_IRIS:
                return EntityRule(word, None, Loc("(built in)"))
            if word in terms().actor_kinds:
                return EntityRule("actor", word, Loc("(built in)"))
            if word in terms().proposal_kinds:
                return EntityRule("proposal", word, Loc("(built in)"))
        return None

    def relation(self, name: str, *, event: bool = False, parents: Iterable[str] = ()) -> RelationRule | None:
        """The rule for a relation type, or an event type (``event``), which falls back on relations."""
        for candidate in (name, *parents):
            if event and candidate in self.events:
                return self.events[candidate]
            if candidate in self.relations:
                return self.relations[candidate]
            if kebab(candidate) in terms().relations or kebab(candidate) in terms().argument_words:
                return RelationRule(kebab(candidate), Loc("(built in)"))
        return None

    def role(self, name: str, rule: RelationRule | None = None) -> str | None:
        """The statement field a role or argument name fills (``ignore`` for none), or None when unknown."""
        base = re.sub(r"\d+$", "", name) or name
        for candidate in dict.fromkeys((name, base)):
            if rule is not None and candidate in rule.roles:
                return rule.roles[candidate]
            if candidate in self.roles:
                return self.roles[candidate]
            if kebab(candidate) in ROLE_FIELDS:
                return kebab(candidate)
        return None

    def attribute(self, name: str) -> AttributeRule | None:
        return self.attributes.get(name)

    def database(self, name: str) -> str | None:
        """What a normalization database links to: ``wikidata``, ``registry``, ``ignore``; None when unknown."""
        return self.normalizations.get(name)

    def cas_layer(self, names: Iterable[str]) -> tuple[bool, str | None]:
        """For a CAS type (``names``: its name, then its supertypes' nearest first): whether the mapping
        has an entry for it, and the feature holding its label (None: the layer is ignored)."""
        for name in names:
            if name in self.cas:
                return True, self.cas[name]
        return False, None

    def source_document(self, key: str) -> Document | None:
        """The metadata given for document ``key``, shaped as a native source file's ``source:``."""
        return self.sources.get(key)


# ----------------------------------------------------------------------------- reading


@cache
def _default_document() -> Document:
    text = files("stancegraph.graph.importers").joinpath(_DEFAULT).read_text("utf-8")
    return loads_yaml(text, f"(built-in {_DEFAULT})")


def _relation_rule(value: Any, loc: Loc, problems: list[Problem]) -> RelationRule | None:
    if value == "ignore":
        return RelationRule(None, loc)
    if value == "same":
        return RelationRule(None, loc, same=True)
    if isinstance(value, dict) and "attribution" in value:
        given = value["attribution"]
        return RelationRule(None, loc, attribution=(given["reporter"], given["reported"]))
    data = {"relation": value} if isinstance(value, str) else value
    before = len(problems)
    _check_words({k: data[k] for k in ("relation", "stance", "hedge") if k in data}, loc, problems)
    if len(problems) > before:
        return None
    relation = data.get("relation") or STANCE_RELATIONS.get(data.get("stance", ""))
    if relation is None:
        problems.append(Problem(loc, "the entry names no relation", "Give 'relation:' or 'stance:', or write 'ignore'"))
        return None
    return RelationRule(relation, loc, _words(data.get("hedge")), bool(data.get("reverse", False)),
                        dict(data.get("roles") or {}))


def entity_rule(value: Any, loc: Loc, problems: list[Problem]) -> EntityRule | None:
    if value == "ignore":
        return EntityRule(None, None, loc)
    if isinstance(value, str):
        word = kebab(value)
        if word in CLASS_IRIS:
            return EntityRule(word, None, loc)
        if word in terms().actor_kinds:
            return EntityRule("actor", word, loc)
        if word in terms().proposal_kinds:
            return EntityRule("proposal", word, loc)
        words = [*CLASS_IRIS, *terms().actor_kinds, *terms().proposal_kinds]
        problems.append(Problem(loc, f"{value!r} is not a class, an actor kind or 'ignore'",
                                did_you_mean(value, words) or "Use one of ignore, " + ", ".join(words)))
        return None
    cls, kind = value.get("class", "actor" if "kind" in value else None), value.get("kind")
    if cls in terms().proposal_kinds:  # class: claim
        cls, kind = "proposal", cls
    before = len(problems)
    _check_words({"class": cls, "kind": kind if cls != "proposal" else None, "stance": value.get("voice")}, loc, problems)
    if cls is None:
        problems.append(Problem(loc, "the entry names no class", "Give 'class:' (actor, proposal, claim or condition)"))
    if cls == "proposal" and kind is not None and kind not in terms().proposal_kinds:
        problems.append(Problem(loc, f"kind: unknown proposal kind {kind!r}", "Use " + ", ".join(terms().proposal_kinds)))
    elif cls not in ("actor", "proposal") and kind:
        problems.append(Problem(loc, "'kind' is for actors and proposals", "Remove it, or write 'class: actor'"))
    voice = STANCE_RELATIONS.get(value.get("voice", ""))
    if voice is not None and cls != "proposal":
        problems.append(Problem(loc, "'voice' is for proposals and claims: the source's voice takes a stance on them",
                                "Remove it, or write 'class: claim'"))
    return None if len(problems) > before else EntityRule(cls, kind, loc, voice)


def _attribute_rule(value: Any, loc: Loc, problems: list[Problem]) -> AttributeRule | None:
    if value == "ignore":
        return AttributeRule(loc)
    values = value.get("values")
    rest = {k: v for k, v in value.items() if k not in ("values", "on", "target", "holder")}
    effects = _effects(rest, loc, problems) if rest else None
    if isinstance(values, dict):
        table = {}
        for name, data in values.items():
            if isinstance(data, str):  # For: supports
                data = {"stance" if data in STANCE_RELATIONS else "relation": data}
            found = _effects(data, loc, problems)
            if found is not None:
                table[name] = found
        values = table
    return AttributeRule(loc, effects, values, tuple(_words(value.get("on"))), value.get("target"),
                         value.get("holder", "voice"))


def _source_document(doc: Document, key: str) -> Document:
    """The ``sources: KEY:`` entry of a mapping file, as a Document shaped like a native source file."""
    prefix = ("sources", key)
    positions = {("source",) + p[2:]: loc for p, loc in doc.positions.items() if p[:2] == prefix}
    return Document(doc.path, {"source": dict(doc.data["sources"][key])}, positions)


def _merge(mapping: Mapping, doc: Document, problems: list[Problem]) -> None:
    found = schema_problems(doc, "mapping")
    if found:
        problems.extend(found)
        return
    data = doc.data or {}
    readers = {"entities": entity_rule, "relations": _relation_rule, "events": _relation_rule,
               "attributes": _attribute_rule}
    for section, reader in readers.items():
        table = getattr(mapping, section)
        for name, value in (data.get(section) or {}).items():
            rule = reader(value, doc.loc(section, name), problems)
            if rule is not None:
                table[name] = rule
    mapping.roles.update(data.get("roles") or {})
    mapping.normalizations.update(data.get("normalizations") or {})
    mapping.labelstudio.update((key, (value, doc.loc("labelstudio", key)))
                               for key, value in (data.get("labelstudio") or {}).items())
    mapping.dna.update((name, (value, doc.loc("dna", name))) for name, value in (data.get("dna") or {}).items())
    mapping.columns.update((key, (value, doc.loc("columns", key))) for key, value in (data.get("columns") or {}).items())
    for name, value in (data.get("cas") or {}).items():
        mapping.cas[name] = None if value == "ignore" else value["feature"]
        mapping.cas_locs[name] = doc.loc("cas", name)
    for key in data.get("sources") or {}:
        sub = _source_document(doc, key)
        found = metadata_problems(sub)
        problems.extend(found)
        if not found:
            mapping.sources[key] = sub
    mapping.files.append(doc.path)


def find_mapping(folder: Path) -> Path | None:
    """The project's mapping.yaml for inputs in ``folder`` (see :func:`~stancegraph.graph.project.find_upwards`)."""
    return find_upwards(folder, MAPPING_FILENAME)


def read_mapping(path: Path | None = None) -> tuple[Mapping, list[Problem]]:
    """The default mapping with the mapping file ``path`` (when given) read on top of it."""
    mapping, problems = Mapping(), []
    _merge(mapping, _default_document(), problems)
    if path is not None:
        try:
            doc = load_yaml(path, display_path(path))
        except InputProblems as exc:
            return mapping, problems + exc.problems
        if doc.data is not None:
            _merge(mapping, doc, problems)
    return mapping, problems


__all__ = ["AttributeRule", "Effects", "EntityRule", "Mapping", "RelationRule", "ROLE_FIELDS", "STANCE_RELATIONS",
           "find_mapping", "read_mapping"]
