"""From the RDF dataset to a networkx graph of actors, proposals and conditions.

Nodes are registry entries; an edge is one (subject, relation, object) with every statement behind it:
the quotes, their sources, attribution chains, hedges, conditions and dates. The view and the analysis
commands all work on this projection, whether the dataset was just built (an rdflib dataset) or is
read from a graph file (the quads pyoxigraph parses, :func:`stancegraph.output.graphfile.read_quads`).

Either is first reduced to an index of the triples the projection reads (:class:`Triples`), with
rdflib's lookup semantics, so that there is one projection whatever the input, and a graph file of a
million triples is projected in seconds without ever being held by rdflib.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

import networkx as nx
import pyoxigraph
from rdflib import RDF, RDFS, SKOS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV

from stancegraph.ontology import ENTITY_CLASSES, OA, SCHEMA, SG, vocabulary

PART_OF = "part-of"
CONDITION_OF = "condition-of"


class P:
    """The predicates the projection reads, as the plain strings the index holds (a term of an rdflib
    namespace is a new URIRef at each use: slow a million times over)."""

    type = str(RDF.type)
    subject = str(RDF.subject)
    predicate = str(RDF.predicate)
    object = str(RDF.object)
    comment = str(RDFS.comment)
    prefLabel = str(SKOS.prefLabel)
    altLabel = str(SKOS.altLabel)
    shortLabel = str(SG.shortLabel)
    sameAs = str(OWL.sameAs)
    subOrganizationOf = str(ORG.subOrganizationOf)
    memberOf = str(ORG.memberOf)
    isPartOf = str(DCTERMS.isPartOf)
    description = str(DCTERMS.description)
    publisher = str(DCTERMS.publisher)
    title = str(DCTERMS.title)
    issued = str(DCTERMS.issued)
    date = str(DCTERMS.date)
    wasDerivedFrom = str(PROV.wasDerivedFrom)
    agent = str(PROV.agent)
    hasSelector = str(OA.hasSelector)
    exact = str(OA.exact)
    url = str(SCHEMA.url)
    value = str(SCHEMA.value)
    unitText = str(SCHEMA.unitText)
    localId = str(SG.localId)
    attribution = str(SG.attribution)
    position = str(SG.position)
    evidence = str(SG.evidence)
    stance = str(SG.stance)
    conditionStatus = str(SG.conditionStatus)
    regarding = str(SG.regarding)
    ifCondition = str(SG.ifCondition)
    untilCondition = str(SG.untilCondition)
    since = str(SG.since)
    hedge = str(SG.hedge)
    quantity = str(SG.quantity)
    approximate = str(SG.approximate)


_READ = frozenset(v for k, v in vars(P).items() if not k.startswith("_"))
_PART_OF = (P.subOrganizationOf, P.memberOf, P.isPartOf)
_BY_OBJECT = frozenset((P.type, *_PART_OF))  # looked up by object: rdflib's subjects(p, o), subject_objects(p)
_STATEMENT = str(SG.Statement)
_TEXT_QUOTE_SELECTOR = str(OA.TextQuoteSelector)
_STRING = str(XSD.string)  # rdflib gives a plain literal no datatype


class Lit(NamedTuple):
    """A literal in the index: its lexical form as rdflib gives it, its datatype (None for plain and
    language-tagged strings) and language. Never equal to an IRI or a blank node, which are strings."""

    text: str
    datatype: str | None
    language: str | None


#: a term in the index: an IRI (str), a blank node ("_:" and its label: no IRI starts so), or a Lit
Term = Any


@lru_cache(maxsize=4096)
def _typed_text(lexical: str, datatype: str) -> str:
    """The lexical form rdflib gives a typed literal: it normalizes "01"^^xsd:integer to "1"."""
    return str(Literal(lexical, datatype=URIRef(datatype)))


def _from_rdflib(term: Any) -> Term:
    if isinstance(term, Literal):  # first: literals, IRIs and blank nodes are all str in rdflib
        return Lit(str(term), None if term.datatype is None else str(term.datatype), term.language)
    if isinstance(term, BNode):
        return "_:" + term
    return str(term)


def _from_oxigraph(term: Any) -> Term:
    kind = type(term)
    if kind is pyoxigraph.NamedNode:
        return term.value
    if kind is pyoxigraph.BlankNode:
        return "_:" + term.value
    if kind is pyoxigraph.Literal:  # plain and language-tagged (RDF 1.2: with a direction, left aside) literals
        if term.language:
            return Lit(term.value, None, term.language)
        datatype = term.datatype.value
        return Lit(term.value, None, None) if datatype == _STRING else Lit(_typed_text(term.value, datatype), datatype, None)
    return f"<<{term}>>"  # an RDF 1.2 triple term: nothing the projection reads, and rdflib has none


class Triples:
    """The triples of a dataset the projection reads, looked up as rdflib looks them up.

    ``value``, ``objects``, ``subjects`` and ``subject_objects`` answer as rdflib's methods of the
    same names do on the union of the dataset's graphs: a triple in several graphs counts once, and
    answers come in the order the triples were added. One difference: a missing subject (None)
    matches nothing, where rdflib would take it for "any subject".
    """

    def __init__(self, types: Iterable[str]) -> None:
        self._types = frozenset(types)  # the classes worth keeping rdf:type triples of
        # predicate → subject → its object, or an ordered set (dict) of them when there are several;
        # most subjects have one object per predicate, and a dict for each would double the memory
        self._out: dict[str, dict[Term, Any]] = defaultdict(dict)
        self._in: dict[str, dict[Term, dict[Term, None]]] = defaultdict(dict)  # for _BY_OBJECT: p → o → {s}
        self._terms: dict[Term, Term] = {}  # one object per distinct term: a large graph repeats them

    def add(self, s: Term, p: str, o: Term) -> None:
        if p not in _READ or (p == P.type and o not in self._types):
            return
        s, o = self._terms.setdefault(s, s), self._terms.setdefault(o, o)
        out = self._out[p]
        held = out.get(s)
        if held is None:
            out[s] = o
        elif type(held) is dict:
            held[o] = None
        elif held != o:
            out[s] = {held: None, o: None}
        if p in _BY_OBJECT:
            self._in[p].setdefault(o, {})[s] = None

    def objects(self, s: Term | None, p: str) -> list[Term]:
        held = self._out[p].get(s) if s is not None else None
        return [] if held is None else list(held) if type(held) is dict else [held]

    def value(self, s: Term | None, p: str) -> Term | None:
        held = self._out[p].get(s) if s is not None else None
        return next(iter(held)) if type(held) is dict else held

    def text(self, s: Term | None, p: str) -> str | None:
        """``str()`` of the value, as rdflib's terms give it."""
        value = self.value(s, p)
        return None if value is None else as_text(value)

    def subjects(self, p: str, o: str) -> list[Term]:
        return list(self._in[p].get(o, ()))

    def subject_objects(self, p: str) -> Iterator[tuple[Term, Term]]:
        for o, subjects in self._in[p].items():
            for s in subjects:
                yield s, o

    def has(self, s: Term, p: str, o: Term) -> bool:
        return o in self.objects(s, p)


def as_text(term: Term) -> str:
    """``str()`` of the rdflib term: an IRI, a blank node's label, a literal's lexical form."""
    if isinstance(term, Lit):
        return term.text
    return term[2:] if term.startswith("_:") else term


def _python(term: Term) -> Any:
    """rdflib's ``toPython()`` of the term."""
    if isinstance(term, Lit):
        return Literal(term.text, lang=term.language, datatype=term.datatype and URIRef(term.datatype)).toPython()
    return BNode(term[2:]) if term.startswith("_:") else URIRef(term)


def json_value(value: Any) -> Any:
    """``default`` for ``json.dumps`` of a projection: a quantity's value of a type JSON has not (rdflib
    gives an xsd:decimal as a Decimal, an xsd:date as a date) as a number where it is one, else as text."""
    if isinstance(value, Decimal) and value.is_finite():
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def index(source: Dataset | Graph | Iterable[pyoxigraph.Quad], types: Iterable[str]) -> Triples:
    """The triples of ``source`` that the projection reads (of rdf:type, those naming one of ``types``).

    ``source`` is an rdflib dataset (the union of its graphs is read), an rdflib graph, or pyoxigraph
    quads (graph names are left aside: the union again).
    """
    triples = Triples(types)
    add = triples.add
    if isinstance(source, Graph):
        # graph by graph, each in its own order: the order in which rdflib's union of them holds the triples
        for graph in source.graphs() if isinstance(source, Dataset) else [source]:
            for s, p, o in graph:
                add(_from_rdflib(s), str(p), _from_rdflib(o))
        return triples
    for quad in source:
        p = quad.predicate.value
        if p in _READ:  # what the projection does not read (a third of a build) is not even converted
            add(_from_oxigraph(quad.subject), p, _from_oxigraph(quad.object))
    return triples


def _quantity(g: Triples, node: Term | None) -> dict[str, Any] | None:
    if node is None:
        return None
    value = g.value(node, P.value)
    approximate = g.value(node, P.approximate)
    return {
        "value": _python(value) if value is not None else None,
        "unit": g.text(node, P.unitText),
        "approximate": bool(_python(approximate)) if approximate is not None else False,
    }


def project(source: Dataset | Graph | Iterable[pyoxigraph.Quad]) -> nx.MultiDiGraph:
    """The actors, proposals and conditions of ``source`` and the relations between them.

    ``source``: an rdflib dataset or graph (a build), or the quads of graph files as pyoxigraph reads
    them (:func:`stancegraph.output.graphfile.read_quads`); both give the same projection.
    """
    vocab = vocabulary()
    by_iri = {str(r.iri): r for r in vocab.relations.values()}
    kind_label = {str(iri): key for key, iri in vocab.actor_kinds.items()}
    stance_key = {str(iri): key for key, iri in vocab.stances.items()}
    hedge_key = {str(iri): key for key, iri in vocab.hedges.items()}
    status_key = {str(iri): key for key, iri in vocab.condition_statuses.items()}
    class_of = {str(iri): cls for cls, iri in ENTITY_CLASSES.items()}
    g = index(source, types=[*class_of, *kind_label, _STATEMENT, _TEXT_QUOTE_SELECTOR])
    graph = nx.MultiDiGraph()
    ids: dict[Term, str] = {}

    def node_id(iri: Term | None) -> str:
        """The node's local id, else its IRI; "" for a missing node (a statement without a source)."""
        if iri is None:
            return ""
        if iri not in ids:
            ids[iri] = g.text(iri, P.localId) or as_text(iri)
        return ids[iri]

    for cls_iri, cls in class_of.items():
        for iri in g.subjects(P.type, cls_iri):
            kinds = sorted(kind_label[t] for t in g.objects(iri, P.type) if t in kind_label)
            same = g.value(iri, P.sameAs)
            graph.add_node(
                node_id(iri),
                iri=as_text(iri),
                cls=cls,
                kind=kinds[0] if kinds else None,
                label=g.text(iri, P.prefLabel) or node_id(iri),
                aliases=sorted(as_text(a) for a in g.objects(iri, P.altLabel)),
                **({"short": short} if (short := g.text(iri, P.shortLabel)) else {}),
                description=g.text(iri, P.description),
                wikidata=as_text(same).rsplit("/", 1)[-1] if same is not None else None,
                unmet=False,
            )
    for prop in _PART_OF:
        for child, parent in g.subject_objects(prop):
            if node_id(child) in graph and node_id(parent) in graph:
                graph.add_edge(node_id(child), node_id(parent), key=PART_OF, relation=PART_OF, label="part of",
                               stance=None, statements=[])

    sources: dict[Term | None, dict[str, Any]] = {}

    def source_info(src: Term | None) -> dict[str, Any]:
        if src not in sources:
            publisher = g.value(src, P.publisher)
            sources[src] = {
                "id": node_id(src),
                "title": g.text(src, P.title),
                "publisher": g.text(publisher, P.prefLabel),
                "published": g.text(src, P.issued),
                "url": g.text(src, P.url),
            }
        return sources[src]

    def position(step: Term) -> int:
        return int(g.text(step, P.position))  # type: ignore[arg-type]

    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for st in g.subjects(P.type, _STATEMENT):
        relation = by_iri.get(g.value(st, P.predicate))
        subject, obj = g.value(st, P.subject), g.value(st, P.object)
        if relation is None or subject is None or obj is None:
            continue
        s, o = node_id(subject), node_id(obj)
        if s not in graph or o not in graph:
            continue
        chain = sorted(g.objects(st, P.attribution), key=position)
        quote = None
        for selector in g.objects(g.value(st, P.evidence), P.hasSelector):
            if g.has(selector, P.type, _TEXT_QUOTE_SELECTOR):
                quote = g.text(selector, P.exact)
        source = source_info(g.value(st, P.wasDerivedFrom))
        stance = stance_key.get(g.value(st, P.stance))
        status = status_key.get(g.value(st, P.conditionStatus))
        regarding = g.value(st, P.regarding)
        conditions = sorted(node_id(c) for c in g.objects(st, P.ifCondition))
        until = sorted(node_id(c) for c in g.objects(st, P.untilCondition))
        agents = [node_id(g.value(step, P.agent)) for step in chain]
        statement = {
            "id": node_id(st),
            "iri": as_text(st),
            "quote": quote,
            "source": source,
            "date": g.text(st, P.date) or source["published"],
            "since": g.text(st, P.since),
            "stance": stance,
            "hedges": sorted(hedge_key[h] for h in g.objects(st, P.hedge) if h in hedge_key),
            "status": status,
            "regarding": node_id(regarding) if regarding is not None else None,
            "if": conditions,
            "until": until,
            "according_to": [graph.nodes[agent]["label"] for agent in agents if agent in graph],
            "note": g.text(st, P.comment),
            "quantity": _quantity(g, g.value(st, P.quantity)),
        }
        edges[(s, relation.key, o)].append(statement)
        if status == "unmet" and relation.object == "condition":
            graph.nodes[o]["unmet"] = True
        if regarding is not None and relation.object == "condition" and node_id(regarding) in graph:
            edges[(o, CONDITION_OF, node_id(regarding))].append(statement)
        if relation.object == "proposal":  # "supports P if C", "declines P until C": C is a condition of P
            for condition in (*conditions, *until):
                edges[(condition, CONDITION_OF, o)].append(statement)
    for (s, key, o), statements in sorted(edges.items()):
        statements.sort(key=lambda x: (x["source"]["id"], x["id"]))
        if key == CONDITION_OF:
            graph.add_edge(s, o, key=key, relation=key, label="condition of", stance=None, statements=statements)
            continue
        relation = vocab.relations[key]
        stances = {x["stance"] for x in statements if x["stance"]}
        graph.add_edge(
            s, o, key=key, relation=key, label=relation.label,
            stance=("conditional" if "conditional" in stances else (sorted(stances)[0] if stances else None)),
            statements=statements,
        )
    return graph
