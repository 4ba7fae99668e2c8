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

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

import networkx as nx
import pyoxigraph
from rdflib import RDF, RDFS, SKOS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV

from stancegraph.graph.errors import InputProblems, Loc, Problem
from stancegraph.ontology import ENTITY_CLASSES, OA, SCHEMA, SG, vocabulary

PART_OF = "part-of"
CONDITION_OF = "condition-of"
#: a condition's actors (dcterms:subject from the registry's ``concerns:``): "Hamas is defeated" → Hamas
CONCERNS = "concerns"
_DCAT = "http://www.w3.org/ns/dcat#"


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
    about = str(DCTERMS.subject)
    cites = str(SG.cites)
    license = str(DCTERMS.license)
    author = str(SCHEMA.author)
    landingPage = f"{_DCAT}landingPage"
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
_TEXT_POSITION_SELECTOR = str(OA.TextPositionSelector)
_SOURCE = str(SG.Source)
_DATASET = f"{_DCAT}Dataset"
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
        self.seen = 0  # triples read, kept or not

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
                triples.seen += 1
        return triples
    seen = 0
    named, rdf_type, types = pyoxigraph.NamedNode, P.type, triples._types
    for seen, quad in enumerate(source, 1):  # noqa: B007 (seen: how many, for a graph of which nothing is read)
        p = quad.predicate.value
        if p not in _READ:  # what the projection does not read (a third of a build) is not even converted
            continue
        # IRIs (most terms) converted here, and a type the projection does not keep left before its subject
        # is: a call each for a million triples is a second of the projection's five
        o = quad.object
        o = o.value if type(o) is named else _from_oxigraph(o)
        if p == rdf_type and o not in types:
            continue
        s = quad.subject
        add(s.value if type(s) is named else _from_oxigraph(s), p, o)
    triples.seen = seen
    return triples


@dataclass(frozen=True)
class Skipped:
    """A node of a graph that the projection could not read as stancegraph writes it: left out whole
    (``whole``: a statement without a relation, an entity of the wrong class as its object) or read in
    part (an attribution chain without positions, a quantity that is not a number). ``kind`` says why in
    a few words, for counting; ``problem`` names the node by its IRI."""

    node: str
    whole: bool
    kind: str
    problem: Problem


class NothingUsable(InputProblems):
    """A graph in which the projection found no entity, or no statement it could read: a command would
    answer about nothing."""


HINT = "A graph file in stancegraph's shape is what stancegraph build writes; docs/cli.md (Graph files from elsewhere) says what is read"
_INTEGER = re.compile(r"[+-]?[0-9]+")
_WORD = {"actor": "an actor", "proposal": "a proposal", "condition": "a condition"}


def show(term: Term | None) -> str:
    """A term as a message names it: <IRI>, _:blank, or a literal in quotes (cut short)."""
    if term is None:
        return "nothing"
    if isinstance(term, Lit):
        text = term.text if len(term.text) <= 60 else term.text[:57] + "..."
        return json.dumps(text, ensure_ascii=False) + (f"^^<{term.datatype}>" if term.datatype else "")
    if term.startswith(("_:", "<<")):
        return term
    return f"<{term}>"


class _Checks:
    """The problems found while projecting one graph."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.found: list[Skipped] = []

    def skip(self, node: Term, kind: str, why: str) -> None:
        self.found.append(Skipped(as_text(node), True, kind, Problem(Loc(self.origin), f"{show(node)} skipped: {why}", HINT)))

    def partly(self, node: Term, kind: str, why: str) -> None:
        self.found.append(Skipped(as_text(node), False, kind, Problem(Loc(self.origin), f"{show(node)}: {why}", HINT)))


_XSD = "http://www.w3.org/2001/XMLSchema#"
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_DOUBLE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
#: the numeric datatypes a quantity may have → the lexical forms of finite values (rdflib would log an
#: ill-typed literal with a traceback on stderr: it is never handed one)
_NUMERIC = {
    **{_XSD + t: _INTEGER for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                                   "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
                                   "unsignedShort", "unsignedByte")},
    _XSD + "decimal": _DECIMAL, _XSD + "double": _DOUBLE, _XSD + "float": _DOUBLE,
}


def _number(value: Term | None) -> Any:
    """The quantity's value as Python's number (as rdflib's ``toPython()`` gives it), or None when it
    is not a finite number of a numeric datatype."""
    pattern = _NUMERIC.get(value.datatype) if isinstance(value, Lit) and value.datatype else None
    if pattern is None or not pattern.fullmatch(value.text.strip()):
        return None
    number = _python(value)
    if isinstance(number, bool) or not isinstance(number, (int, float, Decimal)):
        return None
    if isinstance(number, float) and not math.isfinite(number):
        return None  # NaN and INF, which cannot be compared or summed
    return number


def _quantity(g: Triples, node: Term | None, checks: _Checks, st: Term) -> dict[str, Any] | None:
    if node is None:
        return None
    value = g.value(node, P.value)
    number = _number(value)
    if number is None:
        checks.partly(st, "a quantity that is not a number", f"its sg:quantity {show(node)} has the schema:value "
                      f"{show(value)}, not a number; the quantity is left out")
        return None
    approximate = g.value(node, P.approximate)
    return {
        "value": number,
        "unit": g.text(node, P.unitText),
        "approximate": isinstance(approximate, Lit) and approximate.text.strip() in ("true", "1"),
    }


def _position(g: Triples, step: Term) -> int | None:
    """An attribution step's sg:position: one integer, else None."""
    values = g.objects(step, P.position)
    if len(values) != 1 or not isinstance(values[0], Lit) or not _INTEGER.fullmatch(values[0].text):
        return None
    return int(values[0].text)


def project(source: Dataset | Graph | Iterable[pyoxigraph.Quad], origin: str | None = None) -> nx.MultiDiGraph:
    """The actors, proposals and conditions of ``source`` and the relations between them.

    ``source``: an rdflib dataset or graph (a build), or the quads of graph files as pyoxigraph reads
    them (:func:`stancegraph.output.graphfile.read_quads`); both give the same projection. ``origin`` names it in
    problems (a file, a store).

    A graph from elsewhere is checked, not trusted: a node the projection cannot read as stancegraph
    writes it is left out, or read in part, and listed in ``graph.graph["skipped"]`` (:class:`Skipped`)
    for the command to report; a graph with no entity, or with statements none of which could be read,
    raises :class:`NothingUsable`.
    """
    vocab = vocabulary()
    by_iri = {str(r.iri): r for r in vocab.relations.values()}
    kind_label = {str(iri): key for key, iri in vocab.actor_kinds.items()}
    stance_key = {str(iri): key for key, iri in vocab.stances.items()}
    hedge_key = {str(iri): key for key, iri in vocab.hedges.items()}
    status_key = {str(iri): key for key, iri in vocab.condition_statuses.items()}
    class_of = {str(iri): cls for cls, iri in ENTITY_CLASSES.items()}
    g = index(source, types=[*class_of, *kind_label, _STATEMENT, _TEXT_QUOTE_SELECTOR, _TEXT_POSITION_SELECTOR, _SOURCE,
                             _DATASET])
    checks = _Checks(origin or "the graph")
    graph = nx.MultiDiGraph()
    ids: dict[Term, str] = {}
    entity: dict[Term, str] = {}  # entity IRI → its node

    def node_id(iri: Term | None) -> str:
        """The node's local id, else its IRI; "" for a missing node (a statement without a source)."""
        if iri is None:
            return ""
        if iri not in ids:
            ids[iri] = g.text(iri, P.localId) or as_text(iri)
        return ids[iri]

    holder: dict[str, Term] = {}  # node id → the entity IRI that has it
    for cls_iri, cls in class_of.items():
        for iri in g.subjects(P.type, cls_iri):
            if iri in entity:
                checks.partly(iri, "an entity of two classes", f"it is typed both {_WORD[graph.nodes[entity[iri]]['cls']]} "
                              f"and {_WORD[cls]}; it is read as the first")
                continue
            if isinstance(iri, Lit) or iri.startswith("<<"):
                continue
            nid = node_id(iri)
            if nid in holder:
                checks.partly(iri, "an sg:localId given twice", f"its sg:localId {nid!r} is also that of "
                              f"{show(holder[nid])}; it is known by its IRI instead")
                nid = ids[iri] = as_text(iri)
                if nid in holder:
                    continue
            holder[nid], entity[iri] = iri, nid
            kinds = sorted(kind_label[t] for t in g.objects(iri, P.type) if t in kind_label)
            same = g.value(iri, P.sameAs)
            graph.add_node(
                nid,
                iri=as_text(iri),
                cls=cls,
                kind=kinds[0] if kinds else None,
                label=g.text(iri, P.prefLabel) or nid,
                aliases=sorted(as_text(a) for a in g.objects(iri, P.altLabel)),
                **({"short": short} if (short := g.text(iri, P.shortLabel)) else {}),
                description=g.text(iri, P.description),
                wikidata=as_text(same).rsplit("/", 1)[-1] if same is not None else None,
                unmet=False,
            )
    for prop in _PART_OF:
        for child, parent in g.subject_objects(prop):
            if child in entity and parent in entity:
                graph.add_edge(entity[child], entity[parent], key=PART_OF, relation=PART_OF, label="part of",
                               stance=None, statements=[])
    for iri, nid in entity.items():
        if graph.nodes[nid]["cls"] == "condition":
            for actor in g.objects(iri, P.about):
                if actor in entity and graph.nodes[entity[actor]]["cls"] == "actor":
                    graph.add_edge(nid, entity[actor], key=CONCERNS, relation=CONCERNS, label="concerns",
                                   stance=None, statements=[])
    graph.graph["dataset"] = _dataset(g)

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

    def member(st: Term, role: str, wanted: str) -> str | None:
        """The node of the statement's ``role`` (rdf:subject, rdf:object): one entity of class ``wanted``
        ("proposal|condition" allows either), else None and the statement skipped."""
        values = g.objects(st, getattr(P, role))
        if len(values) != 1:
            checks.skip(st, f"a statement without one rdf:{role}", f"it has {len(values) or 'no'} rdf:{role} "
                        f"{'values' if len(values) > 1 else 'value'}, where a statement has one")
            return None
        value = values[0]
        if value not in entity:
            checks.skip(st, f"an rdf:{role} that is not an entity", f"its rdf:{role} {show(value)} is not an actor, "
                        "proposal or condition of the graph (no rdf:type sg:Actor, sg:Proposal or sg:Condition)")
            return None
        cls = graph.nodes[entity[value]]["cls"]
        if cls not in wanted.split("|"):
            checks.skip(st, f"an rdf:{role} of the wrong class", f"its rdf:{role} {show(value)} is {_WORD[cls]}, "
                        f"where its relation takes {' or '.join(_WORD[w] for w in wanted.split('|'))}")
            return None
        return entity[value]

    def relation_of(st: Term) -> Any:
        values = g.objects(st, P.predicate)
        relation = by_iri.get(values[0]) if len(values) == 1 else None
        if relation is None:
            what = f"its rdf:predicate {show(values[0])} is not a stancegraph relation" if len(values) == 1 else \
                f"it has {len(values) or 'no'} rdf:predicate {'values' if len(values) > 1 else 'value'}, where a statement has one"
            checks.skip(st, "a statement without a stancegraph relation", what)
        return relation

    def chain_of(st: Term) -> list[str]:
        """The agents of the statement's attribution chain in order; [] when the chain cannot be read."""
        steps: list[tuple[int, str]] = []
        for step in g.objects(st, P.attribution):
            position = _position(g, step)
            agent = g.value(step, P.agent) if not isinstance(step, Lit) else None
            if position is None:
                found = g.objects(step, P.position) if not isinstance(step, Lit) else []
                checks.partly(st, "an attribution step without an integer sg:position",
                              f"its attribution step {show(step)} has {'the sg:position ' + ', '.join(map(show, found)) if found else 'no sg:position'}, "
                              "where one integer belongs; its attribution chain is left out")
                return []
            if agent not in entity:
                checks.partly(st, "an attribution step whose agent is not an entity",
                              f"the prov:agent of its attribution step {show(step)} is {show(agent)}, not an actor "
                              "of the graph; its attribution chain is left out")
                return []
            if any(p == position for p, _ in steps):
                checks.partly(st, "two attribution steps at one position",
                              f"two of its attribution steps have the sg:position {position}; its attribution chain is left out")
                return []
            steps.append((position, entity[agent]))
        return [agent for _, agent in sorted(steps)]

    def known(st: Term, prop: str, keys: dict[str, str], what: str) -> list[str]:
        """The values of ``prop`` that name one of ``keys`` (stances, hedges, statuses); others are left out."""
        out = []
        for value in g.objects(st, prop):
            if value in keys:
                out.append(keys[value])
            else:
                checks.partly(st, f"an unknown {what}", f"its sg:{prop.rsplit('#', 1)[-1]} {show(value)} is not a stancegraph {what}; "
                              "it is left out")
        return out

    def conditions_of(st: Term, prop: str) -> list[str]:
        out = []
        for value in g.objects(st, prop):
            if value in entity and graph.nodes[entity[value]]["cls"] == "condition":
                out.append(entity[value])
            else:
                name = "sg:" + prop.rsplit("#", 1)[-1]
                what = f"{_WORD[graph.nodes[entity[value]]['cls']]}, not a condition" if value in entity else \
                    "not a condition of the graph"
                checks.partly(st, f"an {name} that is not a condition", f"its {name} {show(value)} is {what}; it is left out")
        return sorted(out)

    def quote_of(st: Term) -> str | None:
        evidence = g.value(st, P.evidence)
        for selector in g.objects(evidence, P.hasSelector):
            exact = g.value(selector, P.exact)
            if g.has(selector, P.type, _TEXT_QUOTE_SELECTOR) and isinstance(exact, Lit):
                return exact.text
        checks.partly(st, "a statement without a quote", "it has no quote (an sg:evidence with an "
                      "oa:TextQuoteSelector and its oa:exact)")
        return None

    def anchored(st: Term) -> bool:
        """Whether the quote was found in its source's text (a coding sheet's quotes are not)."""
        evidence = g.value(st, P.evidence)
        return any(g.has(selector, P.type, _TEXT_POSITION_SELECTOR) for selector in g.objects(evidence, P.hasSelector))

    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    status_of: dict[str, list[tuple[str | None, str]]] = defaultdict(list)  # condition → (date, status)
    statements_found = 0
    for st in g.subjects(P.type, _STATEMENT):
        statements_found += 1
        relation = relation_of(st)
        if relation is None:
            continue
        s = member(st, "subject", relation.subject)
        o = member(st, "object", relation.object) if s is not None else None
        if s is None or o is None:
            continue
        agents = chain_of(st)
        source_iri = g.value(st, P.wasDerivedFrom)
        if source_iri is None:
            checks.partly(st, "a statement without a source", "it has no source (prov:wasDerivedFrom)")
        source = source_info(source_iri)
        stances = known(st, P.stance, stance_key, "stance")
        statuses = known(st, P.conditionStatus, status_key, "condition status")
        stance = stances[0] if stances else None
        status = statuses[0] if statuses else None
        regarding = g.value(st, P.regarding)
        if regarding is not None and regarding not in entity:
            checks.partly(st, "an sg:regarding that is not an entity", f"its sg:regarding {show(regarding)} is not "
                          "an actor, proposal or condition of the graph; it is left out")
            regarding = None
        conditions = conditions_of(st, P.ifCondition)
        until = conditions_of(st, P.untilCondition)
        statement = {
            "id": node_id(st),
            "iri": as_text(st),
            "quote": quote_of(st),
            "anchored": anchored(st),
            "source": source,
            "date": g.text(st, P.date) or source["published"],
            "since": g.text(st, P.since),
            "stance": stance,
            "hedges": sorted(known(st, P.hedge, hedge_key, "hedge")),
            "status": status,
            "regarding": entity[regarding] if regarding is not None else None,
            "if": conditions,
            "until": until,
            "according_to": [graph.nodes[agent]["label"] for agent in agents],
            "note": g.text(st, P.comment),
            "quantity": _quantity(g, g.value(st, P.quantity), checks, st),
        }
        edges[(s, relation.key, o)].append(statement)
        if status and relation.object == "condition":
            status_of[o].append((statement["date"], status))
        if regarding is not None and relation.object == "condition":
            edges[(o, CONDITION_OF, entity[regarding])].append(statement)
        if relation.object == "proposal":  # "supports P if C", "declines P until C": C is a condition of P
            for condition in (*conditions, *until):
                edges[(condition, CONDITION_OF, o)].append(statement)
    from .dates import latest_status

    for condition, said in status_of.items():  # unmet as of its latest statements (met since: not outlined)
        graph.nodes[condition]["unmet"] = latest_status(said) == "unmet"
    for (s, key, o), statements in sorted(edges.items()):
        statements.sort(key=lambda x: (x["source"]["id"], x["id"]))
        if key == CONDITION_OF:
            graph.add_edge(s, o, key=key, relation=key, label="condition of", stance=None, statements=statements)
            continue
        relation = vocab.relations[key]
        graph.add_edge(s, o, key=key, relation=key, label=relation.label, stance=edge_stance(statements),
                       statements=statements)
    # every source, those without statements too (a corpus whose relations the mapping ignores has some)
    graph.graph["sources"] = sorted((source_info(src) for src in g.subjects(P.type, _SOURCE)), key=lambda s: s["id"])
    # each source's outlet and the outlets it passes on (the view draws them on request)
    graph.graph["outlets"] = {
        node_id(src): {"publisher": entity.get(g.value(src, P.publisher)),
                       "cites": sorted(entity[c] for c in g.objects(src, P.cites) if c in entity)}
        for src in g.subjects(P.type, _SOURCE)}
    graph.graph["skipped"] = checks.found
    _require_something(graph, g, checks, statements_found)
    return graph


def _dataset(g: Triples) -> dict[str, Any] | None:
    """The dataset's title, description, authors, license and address (a dcat:Dataset), or None."""
    found = sorted(g.subjects(P.type, _DATASET), key=as_text)
    if not found:
        return None
    d = found[0]
    return {"title": g.text(d, P.title), "description": g.text(d, P.description),
            "authors": sorted(as_text(a) for a in g.objects(d, P.author)), "license": g.text(d, P.license),
            "url": g.text(d, P.landingPage)}


def edge_stance(statements: list[dict[str, Any]]) -> str | None:
    """The stance an edge is drawn with, from its statements': conditional if any is, else the first by name."""
    stances = {st["stance"] for st in statements if st["stance"]}
    return "conditional" if "conditional" in stances else (sorted(stances)[0] if stances else None)


def _require_something(graph: nx.MultiDiGraph, g: Triples, checks: _Checks, statements_found: int) -> None:
    """Raise :class:`NothingUsable` for a graph of which nothing could be read."""
    kept = len({st["iri"] for _, _, d in graph.edges(data=True) for st in d["statements"]})
    if graph.number_of_nodes() and (kept or not statements_found):
        return
    if not graph.number_of_nodes():
        why = (f"of its {g.seen:,} triples, none types an sg:Actor, sg:Proposal or sg:Condition"
               + (f" ({statements_found:,} sg:Statement nodes found, but no entity for them to relate)" if statements_found else ""))
    else:
        why = f"none of its {statements_found:,} sg:Statement nodes could be read"
    first = [x.problem for x in checks.found[:5]]
    raise NothingUsable([Problem(Loc(checks.origin), f"no stancegraph statements in it: {why}", HINT), *first])
