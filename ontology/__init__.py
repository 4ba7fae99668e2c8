"""The stancegraph vocabulary and SHACL shapes, as data, with a small Python face.

``stancegraph.ttl`` defines the classes and relations; ``shapes.ttl`` the SHACL shapes that every built
graph must satisfy. The words an analyst writes in YAML (``relation: supports``, ``hedge: could``) are
read from the vocabulary's ``sg:key`` annotations, so adding a relation means editing one Turtle file.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # rdflib is imported where rdflib objects are made: a build from its cache needs none
    from rdflib import Graph, Namespace, URIRef

    SG: Namespace
    OA: Namespace
    ORG: Namespace
    SCHEMA: Namespace
    WD: Namespace
    ONTOLOGY_IRI: URIRef
    ENTITY_CLASSES: dict[str, URIRef]

NS = "https://w3id.org/stancegraph/ns#"
NAMESPACES = {
    "SG": NS,
    "OA": "http://www.w3.org/ns/oa#",
    "ORG": "http://www.w3.org/ns/org#",
    "SCHEMA": "https://schema.org/",
    "WD": "http://www.wikidata.org/entity/",
}
#: prefix → namespace: the one table of prefixes, bound in every dataset stancegraph makes and every file it
#: writes, and declared in every SPARQL query it runs (in this order, the order of a file's @prefix lines)
PREFIXES = {
    "sg": NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": NAMESPACES["SCHEMA"],
    "org": NAMESPACES["ORG"],
    "oa": NAMESPACES["OA"],
    "wd": NAMESPACES["WD"],
}
#: the data's own prefixes, each a namespace under the dataset's base IRI (``actor:`` is ``<BASE>actor/``)
DATA_PREFIXES = ("actor", "proposal", "condition", "source")
#: the three kinds of registry entry, and the IRI of the class of each (as text; ENTITY_CLASSES as rdflib terms)
CLASS_IRIS = {"actor": f"{NS}Actor", "proposal": f"{NS}Proposal", "condition": f"{NS}Condition"}


def prefixes(base: str | None = None) -> dict[str, str]:
    """Prefix → namespace for output: the vocabularies', and the data's own under ``base`` when given."""
    out = dict(PREFIXES)
    if base:
        out.update((prefix, f"{base}{prefix}/") for prefix in DATA_PREFIXES)
    return out


_Bindable = TypeVar("_Bindable")


def bind_prefixes(graph: _Bindable, base: str | None = None) -> _Bindable:
    """Bind :func:`prefixes` in ``graph`` (an rdflib Graph or Dataset), replacing rdflib's own bindings of the
    same prefixes or namespaces; returns ``graph``. The one way stancegraph binds prefixes."""
    for prefix, namespace in prefixes(base).items():
        graph.bind(prefix, namespace, override=True, replace=True)  # type: ignore[attr-defined]
    return graph


def __getattr__(name: str) -> Any:
    """The namespaces (``SG``, ``OA``, ...), ``ONTOLOGY_IRI`` and ``ENTITY_CLASSES`` as rdflib terms, made
    on first use."""
    from rdflib import Namespace, URIRef

    if name in NAMESPACES:
        value: Any = Namespace(NAMESPACES[name])
    elif name == "ONTOLOGY_IRI":
        value = URIRef(NS[:-1])
    elif name == "ENTITY_CLASSES":
        value = {cls: URIRef(iri) for cls, iri in CLASS_IRIS.items()}
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


@dataclass(frozen=True)
class Relation:
    """A relation a statement can state, e.g. ``supports``: actor → proposal."""

    key: str
    iri: str  # an rdflib URIRef in vocabulary(), text in terms()
    label: str
    subject: str  # "actor" | "proposal" | "condition"
    object: str
    stance: str | None  # key of the stance concept, None when the relation is not a stance
    comment: str


@dataclass(frozen=True)
class Vocabulary:
    relations: dict[str, Relation]
    actor_kinds: dict[str, str]
    source_types: dict[str, str]
    hedges: dict[str, str]
    stances: dict[str, str]
    condition_statuses: dict[str, str]
    #: kinds of proposal (``claim``), each the IRI of its subclass of sg:Proposal
    proposal_kinds: dict[str, str] = field(default_factory=dict)
    #: a word that means an argument relation when a statement's subject is a claim or proposal
    #: (``supports`` → ``argues-for``, ``attacks`` and ``opposes`` → ``argues-against``)
    argument_words: dict[str, str] = field(default_factory=dict)


def _read(name: str) -> Graph:
    from rdflib import Graph

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
    from rdflib import RDF, BNode, Literal, Namespace
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    sg = Namespace(NS)
    entity_classes = __getattr__("ENTITY_CLASSES")
    graph = _read("shapes.ttl")
    relations = vocabulary().relations.values()
    for relation in relations:
        name = relation.iri.split("#")[-1]
        for target, cls, side in ((SH.targetSubjectsOf, relation.subject, "Subjects"),
                                  (SH.targetObjectsOf, relation.object, "Objects")):
            shape = sg[f"{name}{side}Shape"]
            graph.add((shape, RDF.type, SH.NodeShape))
            graph.add((shape, target, relation.iri))
            graph.add((shape, SH["class"], entity_classes[cls]))
            graph.add((shape, SH.message, Literal(
                f"The {side.lower()[:-1]} of '{relation.key}' must be {'an' if cls == 'actor' else 'a'} {cls}.")))
    allowed = sg.StatementRelationShape
    items = BNode()
    Collection(graph, items, [r.iri for r in sorted(relations, key=lambda r: r.key)])
    graph.add((sg.StatementShape, SH.property, allowed))
    graph.add((allowed, SH.path, RDF.predicate))
    graph.add((allowed, SH["in"], items))
    graph.add((allowed, SH.message, Literal("A statement's relation is one of the vocabulary's.")))
    return graph


_KIND_OF_CLASS = {iri: kind for kind, iri in CLASS_IRIS.items()}
_RDF, _RDFS, _SKOS, _OWL = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["skos"], PREFIXES["owl"]


class _Triples:
    """The few look-ups reading the vocabulary needs, over its triples as text."""

    def __init__(self, triples: list[tuple[str, str, str]]):
        self.triples = set(triples)
        self.by_sp: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.by_po: dict[tuple[str, str], list[str]] = defaultdict(list)
        for s, p, o in triples:
            self.by_sp[s, p].append(o)
            self.by_po[p, o].append(s)

    def value(self, s: str, p: str) -> str | None:
        values = self.by_sp.get((s, p))
        return values[0] if values else None

    def subject_objects(self, p: str) -> list[tuple[str, str]]:
        return sorted((s, o) for s, p2, o in self.triples if p2 == p)


@cache
def terms() -> Vocabulary:
    """The annotation words of the vocabulary, each mapped to its IRI (as text), read from
    ``stancegraph.ttl`` with pyoxigraph. The build pipeline uses these: it writes text, not rdflib terms."""
    import pyoxigraph

    data = files(__name__).joinpath("stancegraph.ttl").read_bytes()
    g = _Triples([(t.subject.value, t.predicate.value, t.object.value)
                  for t in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE)])
    key_of = dict(g.subject_objects(f"{NS}key"))

    def keyed(*, in_scheme: str | None = None, subclass_of: str | None = None) -> dict[str, str]:
        out = {}
        for term, key in key_of.items():
            if in_scheme is not None and (term, f"{_SKOS}inScheme", in_scheme) not in g.triples:
                continue
            if subclass_of is not None and (term, f"{_RDFS}subClassOf", subclass_of) not in g.triples:
                continue
            out[key] = term
        return dict(sorted(out.items()))

    relations = {}
    for prop in g.by_po.get((f"{_RDFS}subPropertyOf", f"{NS}relation"), []):
        if (prop, f"{_RDF}type", f"{_OWL}ObjectProperty") not in g.triples:
            continue
        key = key_of[prop]
        stance = g.value(prop, f"{NS}stance")
        relations[key] = Relation(
            key=key,
            iri=prop,
            label=g.value(prop, f"{_RDFS}label") or "",
            subject=_KIND_OF_CLASS[g.value(prop, f"{_RDFS}domain") or ""],
            object=_KIND_OF_CLASS[g.value(prop, f"{_RDFS}range") or ""],
            stance=key_of[stance] if stance is not None else None,
            comment=g.value(prop, f"{_RDFS}comment") or "",
        )
    return Vocabulary(
        relations=dict(sorted(relations.items())),
        actor_kinds=keyed(subclass_of=f"{NS}Actor"),
        source_types=dict(sorted((key, term) for term, key in key_of.items() if term.startswith(NAMESPACES["SCHEMA"]))),
        hedges=keyed(in_scheme=f"{NS}Hedges"),
        stances=keyed(in_scheme=f"{NS}Stances"),
        condition_statuses=keyed(in_scheme=f"{NS}ConditionStatuses"),
        proposal_kinds=keyed(subclass_of=f"{NS}Proposal"),
        argument_words=dict(sorted((word, key_of[prop]) for prop, word in g.subject_objects(f"{NS}argumentKey"))),
    )


@cache
def vocabulary() -> Vocabulary:
    """:func:`terms` with each IRI an rdflib ``URIRef``, for working with rdflib graphs."""
    from rdflib import URIRef

    t = terms()

    def refs(table: dict[str, str]) -> dict[str, str]:
        return {key: URIRef(iri) for key, iri in table.items()}

    return Vocabulary(
        relations={key: replace(r, iri=URIRef(r.iri)) for key, r in t.relations.items()},
        actor_kinds=refs(t.actor_kinds),
        source_types=refs(t.source_types),
        hedges=refs(t.hedges),
        stances=refs(t.stances),
        condition_statuses=refs(t.condition_statuses),
        proposal_kinds=refs(t.proposal_kinds),
        argument_words=dict(t.argument_words),
    )


__all__ = [
    "CLASS_IRIS",
    "DATA_PREFIXES",
    "ENTITY_CLASSES",
    "NS",
    "OA",
    "ONTOLOGY_IRI",
    "ORG",
    "PREFIXES",
    "SCHEMA",
    "SG",
    "WD",
    "Relation",
    "Vocabulary",
    "bind_prefixes",
    "prefixes",
    "shapes_graph",
    "terms",
    "vocabulary",
    "vocabulary_graph",
]
