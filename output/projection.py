"""From the RDF dataset to a networkx graph of actors, proposals and conditions.

Nodes are registry entries; an edge is one (subject, relation, object) with every statement behind it:
the quotes, their sources, attribution chains, hedges, conditions and dates. The view and the analysis
commands all work on this projection, whether the dataset was just built or read from a file.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx
from rdflib import RDF, RDFS, SKOS, Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV

from stancegraph.ontology import ENTITY_CLASSES, OA, SCHEMA, SG, vocabulary

_CLASS_OF = {iri: cls for cls, iri in ENTITY_CLASSES.items()}
PART_OF = "part-of"
CONDITION_OF = "condition-of"


def _text(graph: Graph, node: Any, prop: URIRef) -> str | None:
    value = graph.value(node, prop)
    return None if value is None else str(value)


def _quantity(g: Graph, node: Any) -> dict[str, Any] | None:
    if node is None:
        return None
    value = g.value(node, SCHEMA.value)
    approximate = g.value(node, SG.approximate)
    return {
        "value": value.toPython() if value is not None else None,
        "unit": _text(g, node, SCHEMA.unitText),
        "approximate": bool(approximate.toPython()) if approximate is not None else False,
    }


def union(dataset: Dataset | Graph) -> Graph:
    if isinstance(dataset, Dataset):
        graph = Graph()
        for named in dataset.graphs():
            graph += named
        return graph
    return dataset


def project(dataset: Dataset | Graph) -> nx.MultiDiGraph:
    """The actors, proposals and conditions of ``dataset`` and the relations between them."""
    g = union(dataset)
    vocab = vocabulary()
    by_iri = {r.iri: r for r in vocab.relations.values()}
    kind_label = {iri: key for key, iri in vocab.actor_kinds.items()}
    stance_key = {iri: key for key, iri in vocab.stances.items()}
    hedge_key = {iri: key for key, iri in vocab.hedges.items()}
    status_key = {iri: key for key, iri in vocab.condition_statuses.items()}
    graph = nx.MultiDiGraph()

    def node_id(iri: Any) -> str:
        return _text(g, iri, SG.localId) or str(iri)

    for cls_iri, cls in _CLASS_OF.items():
        for iri in g.subjects(RDF.type, cls_iri):
            kinds = sorted(kind_label[t] for t in g.objects(iri, RDF.type) if t in kind_label)
            same = g.value(iri, OWL.sameAs)
            graph.add_node(
                node_id(iri),
                iri=str(iri),
                cls=cls,
                kind=kinds[0] if kinds else None,
                label=_text(g, iri, SKOS.prefLabel) or node_id(iri),
                aliases=sorted(str(a) for a in g.objects(iri, SKOS.altLabel)),
                description=_text(g, iri, DCTERMS.description),
                wikidata=str(same).rsplit("/", 1)[-1] if same is not None else None,
                unmet=False,
            )
    for prop in (ORG.subOrganizationOf, ORG.memberOf, DCTERMS.isPartOf):
        for child, parent in g.subject_objects(prop):
            if node_id(child) in graph and node_id(parent) in graph:
                graph.add_edge(node_id(child), node_id(parent), key=PART_OF, relation=PART_OF, label="part of",
                               stance=None, statements=[])

    sources: dict[Any, dict[str, Any]] = {}

    def source_info(src: Any) -> dict[str, Any]:
        if src not in sources:
            publisher = g.value(src, DCTERMS.publisher)
            sources[src] = {
                "id": node_id(src),
                "title": _text(g, src, DCTERMS.title),
                "publisher": _text(g, publisher, SKOS.prefLabel) if publisher is not None else None,
                "published": _text(g, src, DCTERMS.issued),
                "url": _text(g, src, SCHEMA.url),
            }
        return sources[src]

    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for st in g.subjects(RDF.type, SG.Statement):
        relation = by_iri.get(g.value(st, RDF.predicate))
        subject, obj = g.value(st, RDF.subject), g.value(st, RDF.object)
        if relation is None or subject is None or obj is None:
            continue
        s, o = node_id(subject), node_id(obj)
        if s not in graph or o not in graph:
            continue
        chain = sorted(g.objects(st, SG.attribution), key=lambda step: int(g.value(step, SG.position)))
        evidence = g.value(st, SG.evidence)
        quote = None
        for selector in g.objects(evidence, OA.hasSelector):
            if (selector, RDF.type, OA.TextQuoteSelector) in g:
                quote = _text(g, selector, OA.exact)
        source = source_info(g.value(st, PROV.wasDerivedFrom))
        stance = stance_key.get(g.value(st, SG.stance))
        status = status_key.get(g.value(st, SG.conditionStatus))
        regarding = g.value(st, SG.regarding)
        conditions = sorted(node_id(c) for c in g.objects(st, SG.ifCondition))
        until = sorted(node_id(c) for c in g.objects(st, SG.untilCondition))
        statement = {
            "id": node_id(st),
            "iri": str(st),
            "quote": quote,
            "source": source,
            "date": _text(g, st, DCTERMS.date) or source["published"],
            "since": _text(g, st, SG.since),
            "stance": stance,
            "hedges": sorted(hedge_key[h] for h in g.objects(st, SG.hedge) if h in hedge_key),
            "status": status,
            "regarding": node_id(regarding) if regarding is not None else None,
            "if": conditions,
            "until": until,
            "according_to": [graph.nodes[node_id(g.value(step, PROV.agent))]["label"] for step in chain
                             if node_id(g.value(step, PROV.agent)) in graph],
            "note": _text(g, st, RDFS.comment),
            "quantity": _quantity(g, g.value(st, SG.quantity)),
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
