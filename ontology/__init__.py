"""The stancegraph vocabulary and SHACL shapes, as data, with a small Python face.

``stancegraph.ttl`` defines the classes and relations; ``shapes.ttl`` the SHACL shapes that every built
graph must satisfy. The words an analyst writes in YAML (``relation: supports``, ``hedge: could``) are
read from the vocabulary's ``sg:key`` annotations, so adding a relation means editing one Turtle file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

SG = Namespace("https://w3id.org/stancegraph/ns#")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")

ONTOLOGY_IRI = URIRef("https://w3id.org/stancegraph/ns")

#: the three kinds of registry entry, and the class of each
ENTITY_CLASSES = {"actor": SG.Actor, "proposal": SG.Proposal, "condition": SG.Condition}


@dataclass(frozen=True)
class Relation:
    """A relation a statement can state, e.g. ``supports``: actor → proposal."""

    key: str
    iri: URIRef
    label: str
    subject: str  # "actor" | "proposal" | "condition"
    object: str
    stance: str | None  # key of the stance concept, None when the relation is not a stance
    comment: str


@dataclass(frozen=True)
class Vocabulary:
    relations: dict[str, Relation]
    actor_kinds: dict[str, URIRef]
    source_types: dict[str, URIRef]
    hedges: dict[str, URIRef]
    stances: dict[str, URIRef]
    condition_statuses: dict[str, URIRef]


def _read(name: str) -> Graph:
    graph = Graph()
    graph.parse(data=files(__name__).joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return graph


@cache
def vocabulary_graph() -> Graph:
    """The OWL vocabulary (``stancegraph.ttl``) as an rdflib graph."""
    return _read("stancegraph.ttl")


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes: ``shapes.ttl``, plus the shapes that follow from the vocabulary: for every
    relation, its subjects and objects are of its domain and range classes (core SHACL, cheap), and a
    statement's ``rdf:predicate`` is one of the relations."""
    graph = _read("shapes.ttl")
    relations = vocabulary().relations.values()
    for relation in relations:
        name = relation.iri.split("#")[-1]
        for target, cls, side in ((SH.targetSubjectsOf, relation.subject, "Subjects"),
                                  (SH.targetObjectsOf, relation.object, "Objects")):
            shape = SG[f"{name}{side}Shape"]
            graph.add((shape, RDF.type, SH.NodeShape))
            graph.add((shape, target, relation.iri))
            graph.add((shape, SH["class"], ENTITY_CLASSES[cls]))
            graph.add((shape, SH.message, Literal(
                f"The {side.lower()[:-1]} of '{relation.key}' must be {'an' if cls == 'actor' else 'a'} {cls}.")))
    allowed = SG.StatementRelationShape
    items = BNode()
    Collection(graph, items, [r.iri for r in sorted(relations, key=lambda r: r.key)])
    graph.add((SG.StatementShape, SH.property, allowed))
    graph.add((allowed, SH.path, RDF.predicate))
    graph.add((allowed, SH["in"], items))
    graph.add((allowed, SH.message, Literal("A statement's relation is one of the vocabulary's.")))
    return graph


_KIND_OF_CLASS = {cls: kind for kind, cls in ENTITY_CLASSES.items()}


@cache
def vocabulary() -> Vocabulary:
    """The annotation words of the vocabulary, each mapped to its IRI, read from ``stancegraph.ttl``."""
    g = vocabulary_graph()

    def keyed(*, in_scheme: URIRef | None = None, subclass_of: URIRef | None = None) -> dict[str, URIRef]:
        out = {}
        for term, key in g.subject_objects(SG.key):
            if in_scheme is not None and (term, SKOS.inScheme, in_scheme) not in g:
                continue
            if subclass_of is not None and (term, RDFS.subClassOf, subclass_of) not in g:
                continue
            out[str(key)] = term
        return dict(sorted(out.items()))

    relations = {}
    for prop in g.subjects(RDFS.subPropertyOf, SG.relation):
        if (prop, RDF.type, OWL.ObjectProperty) not in g:
            continue
        key = str(g.value(prop, SG.key))
        stance = g.value(prop, SG.stance)
        relations[key] = Relation(
            key=key,
            iri=prop,
            label=str(g.value(prop, RDFS.label)),
            subject=_KIND_OF_CLASS[g.value(prop, RDFS.domain)],
            object=_KIND_OF_CLASS[g.value(prop, RDFS.range)],
            stance=str(g.value(stance, SG.key)) if stance is not None else None,
            comment=str(g.value(prop, RDFS.comment) or ""),
        )
    source_types = {
        str(key): term for term, key in g.subject_objects(SG.key) if str(term).startswith(str(SCHEMA))
    }
    return Vocabulary(
        relations=dict(sorted(relations.items())),
        actor_kinds=keyed(subclass_of=SG.Actor),
        source_types=dict(sorted(source_types.items())),
        hedges=keyed(in_scheme=SG.Hedges),
        stances=keyed(in_scheme=SG.Stances),
        condition_statuses=keyed(in_scheme=SG.ConditionStatuses),
    )


__all__ = [
    "ENTITY_CLASSES",
    "OA",
    "ONTOLOGY_IRI",
    "ORG",
    "SCHEMA",
    "SG",
    "WD",
    "Relation",
    "Vocabulary",
    "shapes_graph",
    "vocabulary",
    "vocabulary_graph",
]
