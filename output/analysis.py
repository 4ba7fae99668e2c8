"""Answers to an analyst's questions, computed on the projection of a graph (see projection.py).

Each function returns plain data (lists of dicts, dataclasses) that the command line renders as a
table, CSV, JSON or HTML; nothing here prints.
"""

from __future__ import annotations

import math

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from stancegraph.graph.errors import StancegraphError
from stancegraph.ontology import vocabulary

from .dates import latest_status, span
from .projection import CONDITION_OF, PART_OF

#: the argument relations (sg:attacksClaim, sg:supportsClaim): a claim or proposal for or against another
ARGUES_AGAINST, ARGUES_FOR = "argues-against", "argues-for"

#: stances in the order a matrix cell lists them
STANCE_ORDER = ("opposes", "supports", "conditional", "considering", "undecided", "abstains")
_POLARITY = {"supports": 1, "opposes": -1}


class UnknownNode(StancegraphError):
    """A node id given on the command line is not in the graph."""


def find_node(graph: nx.MultiDiGraph, ref: str, cls: str | None = None) -> str:
    """The node named ``ref`` by id, label or alias (case-insensitive); raises UnknownNode with a hint."""
    from stancegraph.graph.names import did_you_mean, normalize

    if ref in graph and (cls is None or graph.nodes[ref]["cls"] == cls):
        return ref
    from .labels import names_of

    wanted = normalize(ref)
    matches = sorted(  # a name in any language the entry has, not only the one shown
        n for n, d in graph.nodes(data=True)
        if (cls is None or d["cls"] == cls)
        and wanted in {normalize(x) for x in (n, d["label"], *d["aliases"], *names_of(graph, n).all)}
    )
    if len(matches) == 1:
        return matches[0]
    what = cls or "node"
    if matches:
        raise UnknownNode(f"{ref!r} names several {what}s: {', '.join(matches)}. Give the id")
    names = [n for n, d in graph.nodes(data=True) if cls is None or d["cls"] == cls]
    hint = did_you_mean(ref, names) or f"Known {what}s: {', '.join(sorted(names)[:12])}{' …' if len(names) > 12 else ''}"
    raise UnknownNode(f"no {what} {ref!r} in the graph. {hint}")


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    return graph.nodes[node]["label"]


def _evidence(st: dict[str, Any]) -> dict[str, Any]:
    """The part of a statement a report quotes."""
    return {
        "quote": st["quote"],
        "source": st["source"]["id"],
        "title": st["source"]["title"],
        "publisher": st["source"]["publisher"],
        "date": st["date"],
        "according_to": st["according_to"],
        "hedges": st["hedges"],
    }


# --------------------------------------------------------------------------- matrix


@dataclass
class Matrix:
    actors: list[str]
    proposals: list[str]
    labels: dict[str, str]
    cells: dict[tuple[str, str], dict[str, Any]]  # (actor, proposal) → {"stances": [...], "conditions": [...], "roles": [...]}

    def cell_text(self, actor: str, proposal: str) -> str:
        cell = self.cells.get((actor, proposal))
        if not cell:
            return ""
        # roles before conditions: a terminal table clips long cells, and "[must approve]" must not be lost
        text = "/".join(cell["stances"]) or ""
        if cell["roles"]:
            text = (text + " " if text else "") + "[" + ", ".join(cell["roles"]) + "]"
        if cell["conditions"]:
            text = (text + " " if text else "") + "(" + "; ".join(cell["conditions"]) + ")"
        return text

    def rows(self) -> list[dict[str, str]]:
        return [{"actor": self.labels[a], **dict(zip((self.labels[p] for p in self.proposals), texts))}
                for a, texts in zip(self.actors, self.text_rows())]

    def text_rows(self) -> list[list[str]]:
        """``cell_text`` of every actor (a row each) and proposal (a column each), in order. A matrix of
        the 10,000-source corpus has 1.2 million cells, almost all empty: the texts are made for the
        cells there are, and the rest filled in from a row's dict (a fifth of the time)."""
        by_actor: dict[str, dict[str, str]] = defaultdict(dict)
        for actor, proposal in self.cells:
            by_actor[actor][proposal] = self.cell_text(actor, proposal)
        rows = []
        for actor in self.actors:
            get = by_actor[actor].get
            rows.append([get(p, "") for p in self.proposals])
        return rows


def stance_matrix(graph: nx.MultiDiGraph) -> Matrix:
    """Actors × proposals: each actor's stance(s) on each proposal, with conditions and roles noted."""
    relations = vocabulary().relations
    cells: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: {"stances": set(), "conditions": set(), "roles": set()})
    for s, o, data in graph.edges(data=True):
        relation = relations.get(data["relation"])
        if relation is None or relation.subject != "actor" or relation.object != "proposal":
            continue
        cell = cells[(s, o)]
        if relation.stance is None:
            cell["roles"].add(relation.label)
        for st in data["statements"]:
            if st["stance"]:
                cell["stances"].add(st["stance"])
            for c in st["if"]:
                cell["conditions"].add("if " + _label(graph, c))
            for c in st["until"]:
                cell["conditions"].add("until " + _label(graph, c))
    actors = sorted({a for a, _ in cells}, key=lambda n: _label(graph, n).casefold())
    proposals = sorted({p for _, p in cells}, key=lambda n: _label(graph, n).casefold())
    out = {
        key: {
            "stances": [x for x in STANCE_ORDER if x in cell["stances"]],
            "conditions": sorted(cell["conditions"]),
            "roles": sorted(cell["roles"]),
        }
        for key, cell in cells.items()
    }
    labels = {n: _label(graph, n) for n in (*actors, *proposals)}
    return Matrix(actors, proposals, labels, out)


# --------------------------------------------------------------------------- blockers


@dataclass
class Condition:
    id: str
    label: str
    status: str  # unmet | met | contested | unknown
    via: str | None  # the proposal it comes from, when inherited from a broader proposal
    required_by: list[dict[str, Any]] = field(default_factory=list)  # evidence of "requires"
    demanded_by: list[dict[str, Any]] = field(default_factory=list)  # {"actor", "label", **evidence}
    controlled_by: list[dict[str, Any]] = field(default_factory=list)
    stances: list[dict[str, Any]] = field(default_factory=list)  # stances that hold if / until it is met


@dataclass
class Blockers:
    proposal: str
    label: str
    scope: list[str]  # the proposal and the broader proposals it is part of
    conditions: list[Condition]
    approvers: list[dict[str, Any]]  # actors that must approve: {"actor", "label", "evidence", "preconditions"}
    resistance: list[dict[str, Any]]  # actors opposing / conditional: {"actor", "label", "stance", "evidence", "conditions"}
    #: arguments about it: what argues against it (attacks) and for it (supports), a claim or proposal each,
    #: {"from", "label", "relation", "proposal", "proposal_label", evidence}
    attacks: list[dict[str, Any]] = field(default_factory=list)
    supports: list[dict[str, Any]] = field(default_factory=list)


def _ancestors(graph: nx.MultiDiGraph, node: str) -> list[str]:
    """``node`` and the proposals it is part of, nearest first."""
    chain, current = [node], node
    while True:
        parents = [o for _, o, d in graph.out_edges(current, data=True) if d["relation"] == PART_OF and o not in chain]
        if not parents:
            return chain
        current = sorted(parents)[0]
        chain.append(current)


def blockers(graph: nx.MultiDiGraph, proposal_ref: str) -> Blockers:
    """What stands between a proposal and adoption: conditions, approvals and resistance, with quotes."""
    relations = vocabulary().relations
    proposal = find_node(graph, proposal_ref, "proposal")
    scope = _ancestors(graph, proposal)
    conditions: dict[str, Condition] = {}
    statuses: dict[str, list[tuple[str | None, str]]] = defaultdict(list)

    def condition(cid: str, via: str) -> Condition:
        if cid not in conditions:
            conditions[cid] = Condition(cid, _label(graph, cid), "unknown", None if via == proposal else via)
        return conditions[cid]

    approvers: dict[str, dict[str, Any]] = {}
    resistance: list[dict[str, Any]] = []
    arguments: dict[str, list[dict[str, Any]]] = {ARGUES_AGAINST: [], ARGUES_FOR: []}
    for target in scope:
        for s, _, data in graph.in_edges(target, data=True):
            rel = data["relation"]
            if rel in arguments:
                arguments[rel].extend({"from": s, "label": _label(graph, s), "relation": data["label"], "proposal": target,
                                       "proposal_label": _label(graph, target), **_evidence(st)}
                                      for st in data["statements"])
            elif rel == CONDITION_OF:
                # demands made for the proposal, and the conditions of conditional stances on it
                for st in data["statements"]:
                    c = condition(s, target)
                    if st["status"]:
                        statuses[s].append((st["date"], st["status"]))
            elif rel == "must-approve":
                entry = approvers.setdefault(s, {"actor": s, "label": _label(graph, s), "evidence": [], "preconditions": []})
                entry["evidence"].extend(_evidence(st) for st in data["statements"])
            elif data["relation"] in relations and relations[data["relation"]].stance is not None:
                # resistance is what the relation itself says (opposes, resists, declines to take part),
                # held outright or until a condition is met; a conditional offer to support is none. The
                # conditions of any conditional stance are conditions of the proposal all the same.
                against = relations[data["relation"]].stance == "opposes"
                for st in data["statements"]:
                    for word, names in (("if", st["if"]), ("until", st["until"])):
                        for c in names:
                            condition(c, target).stances.append(
                                {"actor": s, "label": _label(graph, s), "relation": data["label"], "when": word,
                                 "proposal_label": _label(graph, target), **_evidence(st)})
                    if against:
                        resistance.append({
                            "actor": s, "label": _label(graph, s), "relation": data["label"], "stance": st["stance"],
                            "proposal": target, "proposal_label": _label(graph, target),
                            "conditions": [_label(graph, c) for c in (*st["if"], *st["until"])],
                            **_evidence(st),
                        })
        for _, o, data in graph.out_edges(target, data=True):
            if data["relation"] == "requires":
                c = condition(o, target)
                for st in data["statements"]:
                    c.required_by.append(_evidence(st))
                    if st["status"]:
                        statuses[o].append((st["date"], st["status"]))
    for cid, c in conditions.items():
        for s, _, data in graph.in_edges(cid, data=True):
            if data["relation"] == "demands":
                for st in data["statements"]:
                    if st["regarding"] in scope or st["regarding"] is None:
                        c.demanded_by.append({"actor": s, "label": _label(graph, s), **_evidence(st)})
                        if st["status"]:
                            statuses[cid].append((st["date"], st["status"]))
            elif data["relation"] == "controls":
                c.controlled_by.extend({"actor": s, "label": _label(graph, s), **_evidence(st)} for st in data["statements"])
        c.status = latest_status(statuses[cid])
    for actor, entry in approvers.items():
        entry["preconditions"] = sorted(
            {c.label for c in conditions.values() if any(d["actor"] == actor for d in c.demanded_by)}
            | {label for r in resistance if r["actor"] == actor for label in r["conditions"]}
        )
    order = {"unmet": 0, "contested": 1, "unknown": 2, "met": 3}
    return Blockers(
        proposal=proposal,
        label=_label(graph, proposal),
        scope=scope,
        conditions=sorted(conditions.values(), key=lambda c: (order[c.status], c.via or "", c.label.casefold())),
        approvers=sorted(approvers.values(), key=lambda a: a["label"].casefold()),
        resistance=sorted(resistance, key=lambda r: (r["label"].casefold(), r["source"], r["quote"] or "")),
        attacks=sorted(arguments[ARGUES_AGAINST], key=_argument_order),
        supports=sorted(arguments[ARGUES_FOR], key=_argument_order),
    )


def _argument_order(argument: dict[str, Any]) -> tuple[str, str, str]:
    return argument["label"].casefold(), argument["source"], argument["quote"] or ""


# --------------------------------------------------------------------------- contradictions


@dataclass
class Contradiction:
    kind: str  # "stance" | "stance-change" | "condition-status" | "status-change" | "quantity"
    subject: str
    relation: str
    object: str
    summary: str
    evidence: list[dict[str, Any]]


def _status_change(statements: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The first and last statement when a condition's statuses differ only over time (every statement
    dated, one status per day, the first and last day disagreeing); None when sources disagree."""
    days: dict[Any, set[str]] = defaultdict(set)
    for st in statements:
        sp = span(st["date"])
        if sp is None:
            return None
        days[sp[0]].add(st["status"])
    if any(len(v) > 1 for v in days.values()):
        return None
    ordered = sorted(statements, key=lambda st: span(st["date"])[0])  # type: ignore[index]
    return (ordered[0], ordered[-1]) if ordered[0]["status"] != ordered[-1]["status"] else None


def contradictions(graph: nx.MultiDiGraph) -> list[Contradiction]:
    """Conflicting stances of one actor on one proposal, and sources that disagree on a fact."""
    relations = vocabulary().relations
    found: list[Contradiction] = []
    stances: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    facts: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for s, o, data in graph.edges(data=True):
        relation = relations.get(data["relation"])
        if relation is None:
            continue
        facts[(s, data["relation"], o)].extend(data["statements"])
        if relation.stance is not None:
            for st in data["statements"]:
                stances[(s, o)].append({**st, "relation": data["label"]})
    for (actor, proposal), sts in sorted(stances.items()):
        polarities = {_POLARITY.get(st["stance"], 0) for st in sts}
        kinds = {st["stance"] for st in sts}
        evidence = [{"stance": st["stance"], "relation": st["relation"], **_evidence(st)} for st in
                    sorted(sts, key=lambda x: (x["date"] or "", x["source"]["id"]))]
        if {1, -1} <= polarities:
            found.append(Contradiction("stance", actor, "stance", proposal,
                                       f"{_label(graph, actor)} both supports and opposes {_label(graph, proposal)}", evidence))
        elif len(kinds) > 1 and len({st["date"] for st in sts}) > 1:
            dated = [e for e in evidence if e["date"]]
            if dated and dated[0]["stance"] != dated[-1]["stance"]:
                found.append(Contradiction(
                    "stance-change", actor, "stance", proposal,
                    f"{_label(graph, actor)} on {_label(graph, proposal)}: {dated[0]['stance']} ({dated[0]['date']}) "
                    f"→ {dated[-1]['stance']} ({dated[-1]['date']})", evidence))
    # A condition's status is a fact about the condition, whichever statement gives it: "P requires C
    # (met)" in one source and "X demands C (unmet)" in another disagree. Subject and object of such a
    # contradiction are both the condition.
    statuses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (s, rel, o), sts in facts.items():
        statuses[o].extend(st for st in sts if st["status"])
    for cid, sts in sorted(statuses.items()):
        by_status: dict[str, set[Any]] = defaultdict(set)
        for st in sts:
            by_status[st["status"]].add(st["source"]["id"])
        if len(by_status) > 1:
            unique = {st["iri"]: st for st in sts}.values()
            evidence = [{"status": st["status"], **_evidence(st)}
                        for st in sorted(unique, key=lambda x: (x["source"]["id"], x["date"] or "", x["quote"] or ""))]
            change = _status_change(list(unique))
            if change is not None:  # unmet in 2024, met in 2025: the condition changed, no source is contradicted
                first, last = change
                found.append(Contradiction(
                    "status-change", cid, "status", cid,
                    f"{_label(graph, cid)}: {first['status']} ({first['date']}) → {last['status']} ({last['date']})",
                    sorted(evidence, key=lambda e: (e["date"] or "", e["source"], e["quote"] or ""))))
                continue
            found.append(Contradiction(
                "condition-status", cid, "status", cid,
                f"sources disagree whether {_label(graph, cid)} is met: " + "; ".join(
                    f"{status} per {', '.join(sorted(srcs))}" for status, srcs in sorted(by_status.items())),
                evidence))
    for (s, rel, o), sts in sorted(facts.items()):
        quantities = {(q["value"], q["unit"]) for st in sts if (q := st.get("quantity"))}
        if len({v for v, _ in quantities}) > 1:
            found.append(Contradiction(
                "quantity", s, rel, o,
                f"sources give different quantities for {_label(graph, s)} {relations[rel].label} {_label(graph, o)}: "
                + ", ".join(f"{number_text(v)} {u or ''}".strip() for v, u in sorted(quantities, key=lambda x: x[0])),
                [{"quantity": st["quantity"], **_evidence(st)} for st in sts if st.get("quantity")]))
    return found


def number_text(value: Any) -> str:
    """A quantity as an analyst writes it: 20000, 2.5, 1500000000 (never 1.5e+09)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- stats


def _undirected(graph: nx.MultiDiGraph) -> dict[str, dict[str, None]]:
    """The relations (not part-of) as an undirected simple graph: each node, sorted (betweenness samples
    nodes in this order), with its neighbours, in the order ``nx.Graph`` would hold them. Made as plain
    dicts: ``nx.Graph.add_edges_from`` was a third of ``stats`` on the 10,000-source corpus."""
    adjacency: dict[str, dict[str, None]] = {n: {} for n in sorted(graph.nodes)}
    for s, o, d in graph.edges(data=True):
        if d["relation"] != PART_OF:
            adjacency[s][o] = None
            adjacency[o][s] = None
    return adjacency


def _degree(adjacency: dict[str, dict[str, None]], node: str) -> int:
    """The node's degree as ``nx.Graph.degree`` counts it (a loop twice)."""
    return len(adjacency[node]) + (node in adjacency[node])


def _edges(adjacency: dict[str, dict[str, None]]) -> list[tuple[str, str]]:
    """Each edge once, in the order ``nx.Graph.edges()`` gives them."""
    seen: set[str] = set()
    edges = []
    for node, neighbours in adjacency.items():
        edges.extend((node, n) for n in neighbours if n not in seen)
        seen.add(node)
    return edges


def _betweenness(adjacency: dict[str, dict[str, None]], k: int, seed: int) -> dict[str, float]:
    """``nx.betweenness_centrality(graph, k=k, seed=seed)`` (normalized, sampling ``k`` sources as networkx
    does) of the graph ``adjacency`` holds, computed by igraph: the same figures, in a fraction of a second
    where networkx takes 17 s on the 10,000-source benchmark corpus. networkx's sum over the sampled
    sources of their dependencies is twice igraph's subset betweenness from those sources (an undirected
    path counts once there), and networkx rescales sampled sources and the others apart."""
    import random

    try:
        import igraph
    except ImportError:  # pragma: no cover - igraph is a dependency; keep working without it
        graph = nx.Graph()
        graph.add_nodes_from(adjacency)
        graph.add_edges_from(_edges(adjacency))
        return nx.betweenness_centrality(graph, k=k, seed=seed)
    nodes = list(adjacency)
    n = len(nodes)
    position = {node: i for i, node in enumerate(nodes)}
    ig = igraph.Graph(n=n, edges=[(position[s], position[o]) for s, o in _edges(adjacency) if s != o])
    sample = None if k >= n else random.Random(seed).sample(nodes, k)
    raw = ig.betweenness(directed=False) if sample is None else \
        ig.betweenness(directed=False, sources=[position[s] for s in sample], targets=None)
    pairs = n - 2  # (N - 1), N = n - 1: the other ends of a path through v, v itself no end of it
    if sample is None:
        return {node: 2 * raw[i] / ((n - 1) * pairs) for i, node in enumerate(nodes)}
    sampled = set(sample)
    source_scale = 1 / ((k - 1) * pairs) if k > 1 else math.nan
    return {node: 2 * raw[i] * (source_scale if node in sampled else 1 / (k * pairs)) for i, node in enumerate(nodes)}


def stats(graph: nx.MultiDiGraph, top: int = 10) -> dict[str, Any]:
    """Counts by class, relation and stance; the most central actors; sources per outlet."""
    classes = Counter(d["cls"] for _, d in graph.nodes(data=True))
    relations: Counter[str] = Counter()
    stances: Counter[str] = Counter()
    sources: dict[str, dict[str, Any]] = {}
    statements = set()
    unanchored = 0
    for _, _, data in graph.edges(data=True):
        if data["relation"] in (PART_OF, CONDITION_OF):
            continue
        for st in data["statements"]:
            if st["iri"] in statements:
                continue
            statements.add(st["iri"])
            unanchored += not st.get("anchored", True)
            relations[data["relation"]] += 1
            if st["stance"]:
                stances[st["stance"]] += 1
            sources[st["source"]["id"]] = st["source"]
    per_outlet = Counter(src["publisher"] or "(not named)" for src in sources.values())
    adjacency = _undirected(graph)
    count = len(adjacency)
    scale = 1 / (count - 1) if count > 1 else 0  # nx.degree_centrality's, multiplied as it does
    centrality = {n: _degree(adjacency, n) * scale for n in adjacency} if count > 1 else {}
    betweenness = _betweenness(adjacency, k=min(200, count), seed=7) if count > 2 else {}
    actors = sorted(
        (n for n, d in graph.nodes(data=True) if d["cls"] == "actor"),
        key=lambda n: (-centrality.get(n, 0), -betweenness.get(n, 0), n),
    )[:top]
    return {
        "nodes": {cls: classes.get(cls, 0) for cls in ("actor", "proposal", "condition")},
        "sources": len(graph.graph.get("sources", sources)),  # those without statements too
        "statements": len(statements),
        #: statements whose quote was not found in a text of the source (none was given: a coding sheet)
        "unanchored": unanchored,
        "relations": dict(sorted(relations.items(), key=lambda kv: (-kv[1], kv[0]))),
        "stances": dict(sorted(stances.items(), key=lambda kv: (-kv[1], kv[0]))),
        "central_actors": [
            {"actor": n, "label": _label(graph, n), "degree": _degree(adjacency, n),
             "degree_centrality": round(centrality.get(n, 0), 4), "betweenness": round(betweenness.get(n, 0), 4)}
            for n in actors
        ],
        "sources_per_outlet": dict(sorted(per_outlet.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def short_name(graph: nx.MultiDiGraph, node: str, label: str) -> str:
    """The display label of a node: the graph's sg:shortLabel, else the label cut short when it is long."""
    from stancegraph.graph.names import short_label

    from .labels import names_of

    short = graph.nodes[node].get("short") if names_of(graph, node).default else None
    return short or short_label(label) or label


def matrix_and_short_names(graph: nx.MultiDiGraph) -> tuple[Matrix, dict[str, str], str | None]:
    """:func:`stance_matrix`, the short name of each of its proposals (a table's column headers), and
    what to say when it is empty (:func:`no_stances`; None when it is not)."""
    m = stance_matrix(graph)
    return m, {p: short_name(graph, p, m.labels[p]) for p in m.proposals}, None if m.actors else no_stances(graph)


def no_stances(graph: nx.MultiDiGraph) -> str:
    """What matrix says of a graph in which no actor takes a stance on a proposal: what the graph does hold."""
    classes = [d["cls"] for _, d in graph.nodes(data=True)]
    sources = len(graph.graph.get("sources", []))
    return (f"No stances to tabulate: the graph has {classes.count('actor'):,} actors, {classes.count('proposal'):,} "
            f"proposals and {sources:,} source{'s' if sources != 1 else ''}, and no statement of an actor on a proposal.")


#: the answers the index of a graph file keeps beside its projection (output/index.py), by name: what the
#: commands that take no argument ask of a graph, made with the projection
KEPT: dict[str, Callable[[nx.MultiDiGraph], Any]] = {
    "stats": lambda graph: stats(graph),
    "contradictions": lambda graph: contradictions(graph),
    "matrix": matrix_and_short_names,
}
