"""From a checked corpus to RDF: a registry graph plus one named graph per source.

Each statement is written twice, as Wikidata does: as a plain triple (``ex:dod sg:considersFunding
ex:force``) so that simple SPARQL stays simple, and as a ``sg:Statement`` node that keeps everything
else (quote, source, attribution chain, hedging, conditions, dates). No blank nodes are made: every
node has an IRI derived from ids, so output is deterministic and diffs well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from stancegraph.ontology import ENTITY_CLASSES, OA, ORG, SCHEMA, SG, WD, vocabulary

from .errors import Loc
from .model import Corpus, Entity, Registry, Source, Statement

PREFIXES = {
    "sg": SG,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "schema": SCHEMA,
    "org": ORG,
    "oa": OA,
    "wd": WD,
}
_MEMBER_KINDS = {"person", "anonymous-source"}


def date_literal(value: str) -> Literal:
    """``2024`` → xsd:gYear, ``2024-03`` → xsd:gYearMonth, ``2024-03-30`` → xsd:date."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    return Literal(value, datatype=datatype)


@dataclass(frozen=True)
class Iris:
    """Where things live: every IRI of the data is made here, from the base and registry ids."""

    base: str

    def entity(self, entity: Entity) -> URIRef:
        return URIRef(f"{self.base}{entity.cls}/{entity.id}")

    def source(self, source_id: str) -> URIRef:
        return URIRef(f"{self.base}source/{source_id}")

    def statement(self, source_id: str, statement_id: str) -> URIRef:
        return URIRef(f"{self.base}source/{source_id}/statement/{statement_id}")

    def registry_graph(self) -> URIRef:
        return URIRef(f"{self.base}graph/registry")

    def source_graph(self, source_id: str) -> URIRef:
        return URIRef(f"{self.base}graph/source/{source_id}")


@dataclass
class Built:
    """The result of a build: the dataset and, for each node made from the input, where it came from."""

    dataset: Dataset
    iris: Iris
    origins: dict[URIRef, Loc] = field(default_factory=dict)


def new_dataset(base: str | None = None) -> Dataset:
    """An empty dataset with the vocabularies' prefixes, and the data's own when ``base`` is given."""
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    if base:
        for prefix in ("actor", "proposal", "condition", "source"):
            dataset.bind(prefix, f"{base}{prefix}/", override=True, replace=True)
    return dataset


def registry_triples(registry: Registry, iris: Iris, graph: Graph, origins: dict[URIRef, Loc]) -> None:
    vocab = vocabulary()
    for entity in registry.entities.values():
        node = iris.entity(entity)
        origins[node] = entity.loc
        graph.add((node, RDF.type, ENTITY_CLASSES[entity.cls]))
        if entity.kind:
            graph.add((node, RDF.type, vocab.actor_kinds[entity.kind]))
        graph.add((node, SG.localId, Literal(entity.id)))
        graph.add((node, SKOS.prefLabel, Literal(entity.label)))
        for alias in entity.aliases:
            graph.add((node, SKOS.altLabel, Literal(alias)))
        if entity.description:
            graph.add((node, DCTERMS.description, Literal(entity.description)))
        if entity.note:
            graph.add((node, RDFS.comment, Literal(entity.note)))
        if entity.wikidata:
            graph.add((node, OWL.sameAs, WD[entity.wikidata]))
        if entity.part_of:
            parent = iris.entity(registry.entities[entity.part_of])
            if entity.cls != "actor":
                graph.add((node, DCTERMS.isPartOf, parent))
            elif entity.kind in _MEMBER_KINDS:
                graph.add((node, ORG.memberOf, parent))
            else:
                graph.add((node, ORG.subOrganizationOf, parent))


def source_triples(source: Source, registry: Registry, iris: Iris, graph: Graph, origins: dict[URIRef, Loc]) -> None:
    vocab = vocabulary()
    entities = registry.entities
    node = iris.source(source.id)
    origins[node] = source.loc
    graph.add((node, RDF.type, SG.Source))
    graph.add((node, RDF.type, vocab.source_types[source.type]))
    graph.add((node, SG.localId, Literal(source.id)))
    graph.add((node, DCTERMS.title, Literal(source.title)))
    if source.publisher:
        graph.add((node, DCTERMS.publisher, iris.entity(entities[source.publisher])))
    for author in source.authors:
        graph.add((node, SCHEMA.author, Literal(author)))
    if source.published:
        graph.add((node, DCTERMS.issued, date_literal(source.published)))
    if source.url:
        graph.add((node, SCHEMA.url, URIRef(source.url)))
    for cited in source.cites:
        graph.add((node, SG.cites, iris.entity(entities[cited])))
    if source.language:
        graph.add((node, DCTERMS.language, Literal(source.language)))
    if source.note:
        graph.add((node, RDFS.comment, Literal(source.note)))
    for statement in source.statements:
        statement_triples(statement, source, registry, iris, graph, origins)


def statement_triples(
    st: Statement, source: Source, registry: Registry, iris: Iris, graph: Graph, origins: dict[URIRef, Loc]
) -> None:
    vocab = vocabulary()
    entities = registry.entities
    relation = vocab.relations[st.relation]
    subject, obj = iris.entity(entities[st.subject]), iris.entity(entities[st.object])
    source_node = iris.source(source.id)
    node = iris.statement(source.id, st.id)
    origins[node] = st.loc
    add = graph.add

    add((subject, relation.iri, obj))  # the plain ("truthy") triple
    add((node, RDF.type, SG.Statement))
    add((node, SG.localId, Literal(st.id)))
    add((node, RDF.subject, subject))
    add((node, RDF.predicate, relation.iri))
    add((node, RDF.object, obj))
    add((node, PROV.wasDerivedFrom, source_node))
    if relation.stance:
        conditional = st.if_conditions or st.until_conditions
        add((node, SG.stance, vocab.stances["conditional" if conditional else relation.stance]))
    if st.regarding:
        add((node, SG.regarding, iris.entity(entities[st.regarding])))
    for condition in st.if_conditions:
        add((node, SG.ifCondition, iris.entity(entities[condition])))
    for condition in st.until_conditions:
        add((node, SG.untilCondition, iris.entity(entities[condition])))
    for hedge in st.hedges:
        add((node, SG.hedge, vocab.hedges[hedge]))
    if st.status:
        add((node, SG.conditionStatus, vocab.condition_statuses[st.status]))
    if st.date:
        add((node, DCTERMS.date, date_literal(st.date)))
    if st.since:
        add((node, SG.since, date_literal(st.since)))
    if st.note:
        add((node, RDFS.comment, Literal(st.note)))

    chain = ([source.publisher] if source.publisher else []) + list(
        source.cites if st.according_to is None else st.according_to
    )
    for position, agent in enumerate(chain):
        step = URIRef(f"{node}/attribution/{position}")
        add((node, SG.attribution, step))
        add((step, RDF.type, SG.AttributionStep))
        add((step, PROV.agent, iris.entity(entities[agent])))
        add((step, SG.position, Literal(position)))
    if chain:  # the innermost speaker: who the source says said it
        add((node, SG.saidBy, iris.entity(entities[chain[-1]])))

    if st.quantity is not None:
        quantity = URIRef(f"{node}/quantity")
        add((node, SG.quantity, quantity))
        add((quantity, RDF.type, SCHEMA.QuantitativeValue))
        add((quantity, SCHEMA.value, Literal(st.quantity.value)))
        if st.quantity.unit:
            add((quantity, SCHEMA.unitText, Literal(st.quantity.unit)))
        add((quantity, SG.approximate, Literal(bool(st.quantity.approximate))))

    evidence = URIRef(f"{node}/evidence")
    quote = URIRef(f"{evidence}/quote")
    add((node, SG.evidence, evidence))
    add((evidence, RDF.type, OA.SpecificResource))
    add((evidence, OA.hasSource, source_node))
    add((evidence, OA.hasSelector, quote))
    add((quote, RDF.type, OA.TextQuoteSelector))
    add((quote, OA.exact, Literal(st.quote, lang=source.language)))
    if st.prefix is not None:
        add((quote, OA.prefix, Literal(st.prefix, lang=source.language)))
    if st.suffix is not None:
        add((quote, OA.suffix, Literal(st.suffix, lang=source.language)))
    if st.start is not None and st.end is not None:
        position = URIRef(f"{evidence}/position")
        add((evidence, OA.hasSelector, position))
        add((position, RDF.type, OA.TextPositionSelector))
        add((position, OA.start, Literal(st.start, datatype=XSD.nonNegativeInteger)))
        add((position, OA.end, Literal(st.end, datatype=XSD.nonNegativeInteger)))


def build_dataset(corpus: Corpus, progress: Callable[[int], None] | None = None) -> Built:
    """Turn a checked corpus into an RDF dataset. ``progress(n)`` is called after every n sources."""
    iris = Iris(corpus.registry.base)
    dataset = new_dataset(corpus.registry.base)
    built = Built(dataset, iris)
    registry_triples(corpus.registry, iris, dataset.graph(iris.registry_graph()), built.origins)
    for source in sorted(corpus.sources, key=lambda s: s.id):
        source_triples(source, corpus.registry, iris, dataset.graph(iris.source_graph(source.id)), built.origins)
        if progress is not None:
            progress(1)
    return built
