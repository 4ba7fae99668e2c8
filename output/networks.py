"""Discourse networks as Discourse Network Analyzer (DNA, Leifeld) computes them, from the projection.

DNA codes statements as (actor, concept, qualifier); here a statement of an actor on a proposal with a
stance is one, the stance being the qualifier (a category: supports, opposes, conditional, considering,
undecided, abstains). From those statements:

* **congruence** (DNA's one-mode network, qualifier aggregation "congruence"): actors linked once per
  proposal on which both hold the same stance; weight = the number of such proposals.
* **conflict** (qualifier aggregation "conflict"): actors linked once per proposal on which one
  supports and the other opposes; weight = the number of such proposals. Only supports against opposes
  is a conflict: the other stances are not the opposite of anything.
* **affiliation** (DNA's two-mode network, qualifier ignored): actor–proposal edges, weight = the
  number of statements, with the stance(s) as an attribute.

Raw counts are DNA's normalization "no" with duplicates ignored across the date range (an actor that
says the same thing on a proposal twice holds one stance on it, not two); on a proposal on which both
actors hold two stances each, DNA's weight would count each shared stance, where here the proposal
counts once. ``normalize`` applies DNA's other normalizations to those counts: "average" (the weight
divided by the mean activity of the two actors, activity = how many (proposal, stance) pairs an actor
holds), "jaccard" (shared pairs over the pairs either holds) for the one-mode networks; "activity" (by
the actor's statements) and "prominence" (by the proposal's) for affiliation.

Time windows are every command's (output/periods.py): a statement counts when its date (the statement's
own, else its source's) overlaps the days from the start of ``since`` to the end of ``until``; a date given
to the month or the year is the span of days it names (DNA stores such a date as its first day, so a window
starting mid-month keeps a month-dated statement here and not in DNA). A statement without a date cannot be placed
in a window: with a window it is left out and counted (:attr:`Network.undated`); without one it counts.

Every edge stays traceable to quotes: ``evidence`` lists, per proposal, the stance and the statements
(quote, source, date) of each side.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from itertools import combinations
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import networkx as nx

from stancegraph.graph.errors import StancegraphError
from stancegraph.ontology import vocabulary

from .analysis import STANCE_ORDER
from .dates import span
from .export import format_from_suffix, xml_safe
from .view import CLASS_STYLE

KINDS = ("congruence", "conflict", "affiliation")
#: the normalizations each kind takes (DNA's names; "none" is DNA's "no")
NORMALIZATIONS = {
    "congruence": ("none", "average", "jaccard"),
    "conflict": ("none", "average", "jaccard"),
    "affiliation": ("none", "activity", "prominence"),
}
#: the pairs of stances that are a conflict
OPPOSITE = {"supports": "opposes", "opposes": "supports"}
NETWORK_EXTENSIONS = {".gexf": "gexf", ".graphml": "graphml", ".csv": "csv"}


class NetworkError(StancegraphError):
    """A discourse network that would be empty: no stances in the graph, none in the window, no tie."""


class BadBound(ValueError):
    """A --since or --until that is not a date (YYYY, YYYY-MM or YYYY-MM-DD)."""


@dataclass(frozen=True)
class Said:
    """One statement of an actor on a proposal with a stance."""

    actor: str
    proposal: str
    stance: str
    statement: dict[str, Any]


@dataclass
class Network:
    """A discourse network (``graph``: undirected, weighted) and what went into it."""

    kind: str
    graph: nx.Graph
    since: str | None = None
    until: str | None = None
    normalize: str = "none"
    statements: int = 0  # stance statements counted
    undated: int = 0  # stance statements left out for want of a date (with a window only)
    outside: int = 0  # dated stance statements outside the window


def stance_statements(graph: nx.MultiDiGraph) -> list[Said]:
    """Every statement of an actor on a proposal that carries a stance, in a stable order."""
    relations = vocabulary().relations
    out = []
    for s, o, d in graph.edges(data=True):
        relation = relations.get(d["relation"])
        if relation is None or relation.subject != "actor" or relation.object != "proposal":
            continue
        for st in d["statements"]:
            if st["stance"]:
                out.append(Said(s, o, st["stance"], st))
    out.sort(key=lambda x: (x.actor, x.proposal, x.stance, x.statement["source"]["id"], x.statement["id"]))
    return out


def _window(said: list[Said], since: str | None, until: str | None) -> tuple[list[Said], int, int]:
    """The statements in the window, how many had no date, how many lay outside (output/periods.py's reading
    of dates, the one every command shares: a partial date is the span of days it names)."""
    from .periods import BadDate, Window

    try:
        window = Window(since, until)
    except BadDate as exc:
        raise BadBound(str(exc)) from None
    if not window:
        return said, 0, 0
    kept, undated, outside = [], 0, 0
    for x in said:
        if span(x.statement["date"]) is None:
            undated += 1
        elif window.holds(x.statement["date"]):
            kept.append(x)
        else:
            outside += 1
    return kept, undated, outside


def _node(out: nx.Graph, graph: nx.MultiDiGraph, node: str, bipartite: int) -> None:
    d = graph.nodes[node]
    out.add_node(node, label=d["label"], cls=d["cls"], kind=d["kind"] or "", bipartite=bipartite)


def _cite(x: Said) -> dict[str, Any]:
    st = x.statement
    return {"quote": st["quote"], "source": st["source"]["id"], "date": st["date"], "stance": x.stance,
            "statement": st["id"]}


def network(graph: nx.MultiDiGraph, kind: str, since: str | None = None, until: str | None = None,
            normalize: str = "none") -> Network:
    """The ``kind`` network (congruence, conflict, affiliation) of the projection ``graph``, from the
    statements dated between ``since`` and ``until`` (YYYY, YYYY-MM or YYYY-MM-DD; None: open).

    Raises :class:`NetworkError` when the graph has no stances, when the window leaves none, or when
    no two actors are tied (congruence, conflict): a network file of nothing is never written."""
    if kind not in KINDS:
        raise ValueError(f"unknown network kind {kind!r}; use one of {', '.join(KINDS)}")
    if normalize not in NORMALIZATIONS[kind]:
        raise ValueError(f"--normalize {normalize} does not apply to {kind}; use one of {', '.join(NORMALIZATIONS[kind])}")
    said = stance_statements(graph)
    if not said:
        classes = [d["cls"] for _, d in graph.nodes(data=True)]
        raise NetworkError(f"the graph has no stances to build a network from: {classes.count('actor'):,} actors, "
                           f"{classes.count('proposal'):,} proposals, and no statement of an actor's stance on a proposal. Stances "
                           "come from relations such as supports, opposes and considers (docs/annotation-format.md)")
    kept, undated, outside = _window(said, since, until)
    if not kept:
        days = sorted(sp[0] for sp in (span(x.statement["date"]) for x in said) if sp is not None)
        dated = f"; the dated ones run from {days[0]} to {days[-1]}" if days else ""
        raise NetworkError(f"no stance statement dated between {since or 'the first'} and {until or 'the last'}: "
                           f"of {len(said):,}, {outside:,} fall outside and {undated:,} have no date{dated}. Widen --since/--until")
    build = _affiliation if kind == "affiliation" else _one_mode
    result = Network(kind, build(graph, kept, kind, normalize), since, until, normalize, len(kept), undated, outside)
    if not result.graph.number_of_edges():
        what = "both hold the same stance on a proposal" if kind == "congruence" else "hold opposite stances (supports, opposes) on a proposal"
        actors = sum(1 for _, d in result.graph.nodes(data=True) if d["cls"] == "actor")
        raise NetworkError(f"no {kind} network: of the {actors:,} actors with stances "
                           f"({len(kept):,} statements{' in the window' if since or until else ''}), no two {what}. "
                           "--kind affiliation shows who holds which stance")
    return result


def _one_mode(graph: nx.MultiDiGraph, said: list[Said], kind: str, normalize: str) -> nx.Graph:
    # held[actor][proposal][stance] = the statements; DNA's actor × concept × qualifier array, binarized
    held: dict[str, dict[str, dict[str, list[Said]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    holders: dict[str, set[str]] = defaultdict(set)  # proposal → the actors with a stance on it
    for x in said:
        held[x.actor][x.proposal][x.stance].append(x)
        holders[x.proposal].add(x.actor)
    out = nx.Graph()
    for actor in sorted(held):
        _node(out, graph, actor, 0)
    ties: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for proposal in sorted(holders):  # pairs of actors on the same proposal only: a sparse graph stays quick
        for a, b in combinations(sorted(holders[proposal]), 2):
            sa, sb = held[a][proposal], held[b][proposal]
            if kind == "congruence":
                pairs = [(s, s) for s in STANCE_ORDER if s in sa and s in sb]
            else:
                pairs = [(s, OPPOSITE[s]) for s in STANCE_ORDER if s in OPPOSITE and s in sa and OPPOSITE[s] in sb]
            if pairs:
                ties[(a, b)].append({
                    "proposal": proposal,
                    "label": graph.nodes[proposal]["label"],
                    "stances": [list(p) for p in pairs],  # (a's, b's), a before b by id
                    "quotes": {a: [_cite(x) for s, _ in pairs for x in sa[s]],
                               b: [_cite(x) for _, s in pairs for x in sb[s]]},
                })
    for (a, b), evidence in sorted(ties.items()):
        weight: float = len(evidence)
        if normalize != "none":
            weight = weight / _norm(held[a], held[b], normalize)
        out.add_edge(a, b, weight=weight, proposals=[e["proposal"] for e in evidence], evidence=evidence)
    return out


def _norm(a: dict[str, dict[str, list[Said]]], b: dict[str, dict[str, list[Said]]], normalize: str) -> float:
    """DNA's denominator for the pair, on the binarized (proposal, stance) pairs each actor holds."""
    pa = {(p, s) for p, stances in a.items() for s in stances}
    pb = {(p, s) for p, stances in b.items() for s in stances}
    if normalize == "average":
        return (len(pa) + len(pb)) / 2
    return len(pa | pb)  # jaccard: m10 + m01 + m11


def _affiliation(graph: nx.MultiDiGraph, said: list[Said], kind: str, normalize: str) -> nx.Graph:
    cells: dict[tuple[str, str], list[Said]] = defaultdict(list)
    for x in said:
        cells[(x.actor, x.proposal)].append(x)
    by_actor: dict[str, int] = defaultdict(int)
    by_proposal: dict[str, int] = defaultdict(int)
    for (a, p), xs in cells.items():
        by_actor[a] += len(xs)
        by_proposal[p] += len(xs)
    out = nx.Graph()
    for actor in sorted(by_actor):
        _node(out, graph, actor, 0)
    for proposal in sorted(by_proposal):
        _node(out, graph, proposal, 1)
    for (a, p), xs in sorted(cells.items()):
        weight: float = len(xs)
        if normalize == "activity":
            weight /= by_actor[a]
        elif normalize == "prominence":
            weight /= by_proposal[p]
        stances = {x.stance for x in xs}
        out.add_edge(a, p, weight=weight, stance="/".join(s for s in STANCE_ORDER if s in stances),
                     proposals=[p], evidence=[{"proposal": p, "label": graph.nodes[p]["label"], "stances": sorted([s] for s in stances), "quotes": {a: [_cite(x) for x in xs], p: []}}])
    return out


# --------------------------------------------------------------------------- writing


def _quotes(evidence: list[dict[str, Any]], node: str) -> str:
    """The quotes behind one side of an edge, each with its proposal, stance, source and date."""
    parts = []
    for e in evidence:
        for c in e["quotes"][node]:
            parts.append(f"[{e['label']}] {c['stance']}: \"{c['quote'] or ''}\" ({c['source']}, {c['date'] or 'undated'})")
    return " | ".join(parts)


def _pair(graph: nx.Graph, s: str, o: str) -> tuple[str, str]:
    """The edge's ends in a fixed order: actor first, then by id."""
    return (s, o) if (graph.nodes[s]["cls"], s) <= (graph.nodes[o]["cls"], o) else (o, s)


def flat(net: Network) -> nx.Graph:
    """A copy with scalar attributes only (what GraphML and GEXF hold): per edge its weight, the
    proposals behind it and the quotes of each side."""
    g = net.graph
    out = nx.Graph(kind=net.kind, since=net.since or "", until=net.until or "", normalize=net.normalize)
    for node, d in sorted(g.nodes(data=True)):
        out.add_node(node, label=d["label"], cls=d["cls"], kind=d["kind"], color=CLASS_STYLE[d["cls"]]["color"])
    for s, o, d in sorted(g.edges(data=True), key=lambda e: _pair(g, e[0], e[1])):
        s, o = _pair(g, s, o)
        out.add_edge(s, o, weight=d["weight"], proposals="; ".join(e["label"] for e in d["evidence"]),
                     stance=d.get("stance") or _stances(d["evidence"]),
                     source_quotes=_quotes(d["evidence"], s), target_quotes=_quotes(d["evidence"], o))
    return xml_safe(out)


def _stances(evidence: list[dict[str, Any]]) -> str:
    """The stances behind the edge, proposal by proposal as ``proposals`` lists them ("; " between
    proposals, "+" between two stances on one): congruence, the shared stance; conflict, the source's
    and the target's ("supports/opposes")."""
    return "; ".join("+".join("/".join(dict.fromkeys(pair)) for pair in e["stances"]) for e in evidence)


def to_gexf(net: Network) -> bytes:
    g = flat(net)
    for _, d in g.nodes(data=True):
        h = d["color"].lstrip("#")
        d["viz"] = {"color": {"r": int(h[0:2], 16), "g": int(h[2:4], 16), "b": int(h[4:6], 16), "a": 1.0}}
    return "\n".join(nx.generate_gexf(g, prettyprint=True)).encode("utf-8") + b"\n"


def to_graphml(net: Network) -> bytes:
    return "\n".join(nx.generate_graphml(flat(net), prettyprint=True)).encode("utf-8") + b"\n"


#: the columns of the CSV edge list (Gephi's spreadsheet import reads source, target, type and weight)
CSV_COLUMNS = ("source", "target", "type", "weight", "source_label", "target_label", "proposals", "stance",
               "source_quotes", "target_quotes")


def to_csv(net: Network) -> bytes:
    """One row per edge: its ends (ids, labels), weight, proposals, stance(s) and each side's quotes."""
    g = flat(net)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s, o, d in g.edges(data=True):
        weight = d["weight"]
        writer.writerow([s, o, "Undirected", int(weight) if float(weight).is_integer() else f"{weight:.6g}",
                         g.nodes[s]["label"], g.nodes[o]["label"], d["proposals"], d["stance"],
                         d["source_quotes"], d["target_quotes"]])
    return buffer.getvalue().encode("utf-8")


WRITERS: dict[str, Callable[[Network], bytes]] = {"gexf": to_gexf, "graphml": to_graphml, "csv": to_csv}


def network_format(path: str | PurePath, explicit: str | None = None) -> str:
    """The format to write: ``explicit``, else the one of ``path``'s extension (ValueError if none)."""
    if explicit:
        return explicit
    return format_from_suffix(str(path), NETWORK_EXTENSIONS)
