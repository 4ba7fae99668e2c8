"""Writing the graph of a checked corpus as N-Triples lines, one source at a time.

This is the one place where the model becomes RDF. Lines are produced as text (no rdflib graph in
between: adding a million triples to an rdflib graph takes longer than the whole rest of a build), sorted
per source, so that a source's lines depend on that source and the registry only: they can be cached by
content hash, computed in parallel, and streamed to N-Triples / N-Quads output. Other formats and the
in-memory rdflib dataset are parsed from these lines.

Each statement is written twice, as Wikidata does: as a plain triple (``actor:dod sg:considersFunding
proposal:force``), so that simple SPARQL stays simple, and as a ``sg:Statement`` node that keeps
everything else (quote, source, attribution chain, hedging, conditions, dates). No blank nodes are made.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from stancegraph.ontology import CLASS_IRIS, terms

from .model import Entity, Registry, Source, Statement
from .names import short_label

SG = "https://w3id.org/stancegraph/ns#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
OA = "http://www.w3.org/ns/oa#"
OWL = "http://www.w3.org/2002/07/owl#"
WD = "http://www.wikidata.org/entity/"
DCAT = "http://www.w3.org/ns/dcat#"

A = f"<{RDF}type>"
_MEMBER_KINDS = {"person", "anonymous-source"}
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'["\\\n\r\t\b\f]')


#: characters N-Triples does not allow in an IRI (IRIREF): controls, space, <>"{}|^`\\
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\u2028\u2029]')


def iri(value: str) -> str:
    """An IRI term. Callers pass IRIs made from checked ids or checked http(s) addresses; a character no
    IRI may hold is percent-encoded all the same, so that no input can end the term (or the line) early."""
    if _NOT_IN_IRI.search(value):
        value = _NOT_IN_IRI.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), value)
    return f"<{value}>"


def literal(value: object, *, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal term in N-Triples syntax (the canonical escapes only)."""
    if isinstance(value, bool):
        text, datatype = ("true" if value else "false"), f"{XSD}boolean"
    elif isinstance(value, int):
        text, datatype = str(value), datatype or f"{XSD}integer"
    elif isinstance(value, float):
        text, datatype = repr(value).replace("inf", "INF"), f"{XSD}double"
        if "e" not in text and "E" not in text and "INF" not in text and text != "nan":
            text += "e0"
        text = "NaN" if text == "nan" else text
    else:
        text = str(value)
    text = _NEEDS_ESCAPE.sub(lambda m: _ESCAPES[m.group()], text)
    if lang:
        return f'"{text}"@{lang.lower()}'
    if datatype and datatype != f"{XSD}string":
        return f'"{text}"^^<{datatype}>'
    return f'"{text}"'


def date_literal(value: str) -> str:
    """``2024`` → xsd:gYear, ``2024-03`` → xsd:gYearMonth, ``2024-03-30`` → xsd:date."""
    datatype = {4: "gYear", 7: "gYearMonth"}.get(len(value), "date")
    return literal(value, datatype=f"{XSD}{datatype}")


@dataclass(frozen=True)
class Iris:
    """Where things live: every IRI of the data is made here, from the base and registry ids."""

    base: str

    def entity(self, entity: Entity) -> str:
        return f"{self.base}{entity.cls}/{entity.id}"

    def source(self, source_id: str) -> str:
        return f"{self.base}source/{source_id}"

    def statement(self, source_id: str, statement_id: str) -> str:
        return f"{self.base}source/{source_id}/statement/{statement_id}"

    def dataset(self) -> str:
        return f"{self.base}dataset"

    def registry_graph(self) -> str:
        return f"{self.base}graph/registry"

    def source_graph(self, source_id: str) -> str:
        return f"{self.base}graph/source/{source_id}"


@dataclass
class SourceLines:
    """The N-Triples lines of one source: its plain triples (which other sources may state too) and
    everything else (statement nodes, evidence, source metadata), which belongs to it alone."""

    source_id: str
    shared: list[str]
    own: list[str]


def registry_lines(registry: Registry, iris: Iris) -> list[str]:
    """The sorted lines of the registry graph."""
    vocab = terms()
    out: list[str] = []
    add = out.append
    for entity in registry.entities.values():
        node = iri(iris.entity(entity))
        add(f"{node} {A} {iri(CLASS_IRIS[entity.cls])} .")
        if entity.kind in vocab.actor_kinds:  # an unknown kind is a problem reported by check_registry
            add(f"{node} {A} {iri(vocab.actor_kinds[entity.kind])} .")
        elif entity.cls == "proposal" and entity.kind in vocab.proposal_kinds:  # a claim
            add(f"{node} {A} {iri(vocab.proposal_kinds[entity.kind])} .")
        short = entity.short or short_label(entity.label)
        if short:
            add(f"{node} <{SG}shortLabel> {literal(short)} .")
        add(f"{node} <{SG}localId> {literal(entity.id)} .")
        _labels(entity, registry.language, node, add)
        if entity.description:
            add(f"{node} <{DCTERMS}description> {literal(entity.description)} .")
        if entity.note:
            add(f"{node} <{RDFS}comment> {literal(entity.note)} .")
        if entity.wikidata:
            add(f"{node} <{OWL}sameAs> <{WD}{entity.wikidata}> .")
        for actor in entity.concerns:  # a condition's actors: what it is about (dcterms:subject)
            add(f"{node} <{DCTERMS}subject> {iri(iris.entity(registry.entities[actor]))} .")
        if entity.part_of:
            parent = iri(iris.entity(registry.entities[entity.part_of]))
            if entity.cls != "actor":
                prop = f"{DCTERMS}isPartOf"
            elif entity.kind in _MEMBER_KINDS:
                prop = f"{ORG}memberOf"
            else:
                prop = f"{ORG}subOrganizationOf"
            add(f"{node} <{prop}> {parent} .")
    if registry.dataset is not None:
        _dataset_lines(registry, iris, add)
    return sorted(set(out))


def _dataset_lines(registry: Registry, iris: Iris, add: Callable[[str], None]) -> None:
    """The dataset as a whole (DCAT, Dublin Core): its title, description, authors, license, address."""
    about = registry.dataset
    assert about is not None
    node = iri(iris.dataset())
    add(f"{node} {A} <{DCAT}Dataset> .")
    add(f"{node} <{DCTERMS}title> {literal(about.title)} .")
    if about.description:
        add(f"{node} <{DCTERMS}description> {literal(about.description)} .")
    for author in about.authors:
        add(f"{node} <{SCHEMA}author> {literal(author)} .")  # names, as a source's authors are
    if about.license:
        add(f"{node} <{DCTERMS}license> {iri(about.license)} .")
    if about.url:
        add(f"{node} <{DCAT}landingPage> {iri(about.url)} .")


def _labels(entity: Entity, default: str, node: str, add: Callable[[str], None]) -> None:
    """An entry's names, each with its language tag: ``skos:prefLabel`` one per language,
    ``skos:altLabel`` its aliases, and ``rdfs:label`` its label in the registry's language (or the first
    it has): the one name a query or a tool that knows no languages shows."""
    labels = entity.labels_by_language(default)
    for lang, label in labels.items():
        add(f"{node} <{SKOS}prefLabel> {literal(label, lang=lang)} .")
    first = next(iter(labels))
    add(f"{node} <{RDFS}label> {literal(labels[first], lang=first)} .")
    for lang, aliases in entity.aliases_by_language(default).items():
        for alias in aliases:
            add(f"{node} <{SKOS}altLabel> {literal(alias, lang=lang)} .")


def source_lines(source: Source, registry: Registry, iris: Iris) -> SourceLines:
    """The sorted lines of one source's graph."""
    vocab = terms()
    entities = registry.entities
    shared: set[str] = set()
    own: list[str] = []
    add = own.append
    node = iri(iris.source(source.id))
    add(f"{node} {A} <{SG}Source> .")
    add(f"{node} {A} {iri(vocab.source_types[source.type])} .")
    add(f"{node} <{SG}localId> {literal(source.id)} .")
    add(f"{node} <{DCTERMS}title> {literal(source.title)} .")
    if source.publisher:
        add(f"{node} <{DCTERMS}publisher> {iri(iris.entity(entities[source.publisher]))} .")
    for author in source.authors:
        add(f"{node} <{SCHEMA}author> {literal(author)} .")
    if source.published:
        add(f"{node} <{DCTERMS}issued> {date_literal(source.published)} .")
    if source.url:
        add(f"{node} <{SCHEMA}url> {iri(source.url)} .")
    for cited in source.cites:
        add(f"{node} <{SG}cites> {iri(iris.entity(entities[cited]))} .")
    if source.voice:
        add(f"{node} <{SG}voice> {iri(iris.entity(entities[source.voice]))} .")
    if source.language:
        add(f"{node} <{DCTERMS}language> {literal(source.language)} .")
    if source.note:
        add(f"{node} <{RDFS}comment> {literal(source.note)} .")
    for statement in source.statements:
        _statement(statement, source, registry, iris, own, shared)
    return SourceLines(source.id, sorted(shared), sorted(set(own)))


def _statement(st: Statement, source: Source, registry: Registry, iris: Iris, own: list[str], shared: set[str]) -> None:
    vocab = terms()
    entities = registry.entities
    relation = vocab.relations[st.relation]
    subject, obj = iri(iris.entity(entities[st.subject])), iri(iris.entity(entities[st.object]))
    predicate = iri(relation.iri)
    source_node = iri(iris.source(source.id))
    base = iris.statement(source.id, st.id)
    node = iri(base)
    lang = source.language
    add = own.append

    shared.add(f"{subject} {predicate} {obj} .")  # the plain ("truthy") triple
    add(f"{node} {A} <{SG}Statement> .")
    add(f"{node} <{SG}localId> {literal(st.id)} .")
    add(f"{node} <{RDF}subject> {subject} .")
    add(f"{node} <{RDF}predicate> {predicate} .")
    add(f"{node} <{RDF}object> {obj} .")
    add(f"{node} <{PROV}wasDerivedFrom> {source_node} .")
    if relation.stance:
        conditional = st.if_conditions or st.until_conditions
        add(f"{node} <{SG}stance> {iri(vocab.stances['conditional' if conditional else relation.stance])} .")
    if st.regarding:
        add(f"{node} <{SG}regarding> {iri(iris.entity(entities[st.regarding]))} .")
    for condition in st.if_conditions:
        add(f"{node} <{SG}ifCondition> {iri(iris.entity(entities[condition]))} .")
    for condition in st.until_conditions:
        add(f"{node} <{SG}untilCondition> {iri(iris.entity(entities[condition]))} .")
    for hedge in st.hedges:
        add(f"{node} <{SG}hedge> {iri(vocab.hedges[hedge])} .")
    if st.status:
        add(f"{node} <{SG}conditionStatus> {iri(vocab.condition_statuses[st.status])} .")
    if st.date:
        add(f"{node} <{DCTERMS}date> {date_literal(st.date)} .")
    if st.since:
        add(f"{node} <{SG}since> {date_literal(st.since)} .")
    if st.note:
        add(f"{node} <{RDFS}comment> {literal(st.note)} .")

    chain = ([source.publisher] if source.publisher else []) + list(
        source.cites if st.according_to is None else st.according_to
    )
    for position, agent in enumerate(chain):
        step = iri(f"{base}/attribution/{position}")
        add(f"{node} <{SG}attribution> {step} .")
        add(f"{step} {A} <{SG}AttributionStep> .")
        add(f"{step} <{PROV}agent> {iri(iris.entity(entities[agent]))} .")
        add(f"{step} <{SG}position> {literal(position)} .")
    if chain:  # the innermost speaker: who the source says said it
        add(f"{node} <{SG}saidBy> {iri(iris.entity(entities[chain[-1]]))} .")

    if st.quantity is not None:
        quantity = iri(f"{base}/quantity")
        add(f"{node} <{SG}quantity> {quantity} .")
        add(f"{quantity} {A} <{SCHEMA}QuantitativeValue> .")
        add(f"{quantity} <{SCHEMA}value> {literal(st.quantity.value)} .")
        if st.quantity.unit:
            add(f"{quantity} <{SCHEMA}unitText> {literal(st.quantity.unit)} .")
        add(f"{quantity} <{SG}approximate> {literal(bool(st.quantity.approximate))} .")

    evidence = f"{base}/evidence"
    quote = iri(f"{evidence}/quote")
    add(f"{node} <{SG}evidence> {iri(evidence)} .")
    add(f"{iri(evidence)} {A} <{OA}SpecificResource> .")
    add(f"{iri(evidence)} <{OA}hasSource> {source_node} .")
    add(f"{iri(evidence)} <{OA}hasSelector> {quote} .")
    add(f"{quote} {A} <{OA}TextQuoteSelector> .")
    add(f"{quote} <{OA}exact> {literal(st.quote, lang=lang)} .")
    if st.prefix is not None:
        add(f"{quote} <{OA}prefix> {literal(st.prefix, lang=lang)} .")
    if st.suffix is not None:
        add(f"{quote} <{OA}suffix> {literal(st.suffix, lang=lang)} .")
    if st.start is not None and st.end is not None:
        position_node = iri(f"{evidence}/position")
        add(f"{iri(evidence)} <{OA}hasSelector> {position_node} .")
        add(f"{position_node} {A} <{OA}TextPositionSelector> .")
        add(f"{position_node} <{OA}start> {literal(st.start, datatype=f'{XSD}nonNegativeInteger')} .")
        add(f"{position_node} <{OA}end> {literal(st.end, datatype=f'{XSD}nonNegativeInteger')} .")
