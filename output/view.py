"""The interactive HTML view: one self-contained, offline page drawn with vis-network (through pyvis).

Measured facts this is designed around:

* pyvis's ``remote``/``local`` modes load vis-network from a CDN and its ``in_line`` mode still loads
  bootstrap from one: we render our own template with vis-network's JS and CSS inlined from pyvis's
  package, so the page needs no network at all;
* pyvis's default physics takes seconds to settle at a few hundred nodes: the layout is computed in
  Python, physics is off unless asked for, and nodes and edges are filled in bulk;
* pyvis's own template puts titles containing "href" into innerHTML and writes ``heading`` and select
  menus as raw HTML: our template receives every string from a source as JSON data (escaped for a
  ``<script>`` element) and puts it into the page with ``textContent`` only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup
from pyvis.network import Network

from stancegraph.graph.errors import StancegraphError
from stancegraph.ontology import vocabulary

from .labels import names_of
from .projection import CONCERNS, CONDITION_OF, PART_OF, json_value

CLASS_STYLE = {
    "actor": {"shape": "dot", "color": "#4e79a7", "label": "Actor"},
    "proposal": {"shape": "box", "color": "#f28e2b", "label": "Proposal"},
    "condition": {"shape": "diamond", "color": "#59a14f", "label": "Condition"},
}
# Every stance and relation has a colour of its own (the legend lists them); dashes tell stances,
# conditions and roles apart.
STANCE_STYLE = {
    "supports": {"color": "#2e7d32", "dashes": False, "label": "supports"},
    "opposes": {"color": "#c62828", "dashes": False, "label": "opposes"},
    "conditional": {"color": "#8e24aa", "dashes": [8, 4], "label": "conditional (holds if or until a condition is met)"},
    "considering": {"color": "#0097a7", "dashes": False, "label": "considering"},
    "undecided": {"color": "#9e9e9e", "dashes": [2, 4], "label": "undecided"},
    "abstains": {"color": "#5d4037", "dashes": [1, 3], "label": "abstains"},
}
RELATION_STYLE = {
    "must-approve": {"color": "#212121", "dashes": False, "width": 4, "label": "must approve (approval right)"},
    "requires": {"color": "#6d4c41", "dashes": [6, 3], "label": "requires"},
    "demands": {"color": "#ad1457", "dashes": [6, 3], "label": "demands"},
    "controls": {"color": "#546e7a", "dashes": [3, 3], "label": "controls"},
    "excludes": {"color": "#ffb300", "dashes": [1, 4], "label": "excludes"},
    "alternative-to": {"color": "#9575cd", "dashes": [1, 4], "label": "alternative to"},
    # arguments between claims and proposals (issue 17): dash-dot, apart from the stances' plain lines
    "argues-for": {"color": "#00897b", "dashes": [10, 3, 2, 3], "width": 2, "label": "argues for"},
    "argues-against": {"color": "#d81b60", "dashes": [10, 3, 2, 3], "width": 2, "label": "argues against"},
    "negotiates-with": {"color": "#1565c0", "dashes": False, "label": "negotiates with"},
    "disagrees-with": {"color": "#e65100", "dashes": False, "label": "disagrees with"},
    CONDITION_OF: {"color": "#bcaaa4", "dashes": [2, 2], "label": "condition of"},
    PART_OF: {"color": "#cfd8dc", "dashes": False, "label": "part of"},
    CONCERNS: {"color": "#b0bec5", "dashes": [2, 6], "label": "concerns (the actor a condition is about)"},
}
#: drawn on request ("Show outlets"): an outlet → what its sources report, and → the outlets they pass on
OUTLET_STYLE = {
    "reports": {"color": "#8d6e63", "dashes": [2, 3], "label": "reports (the outlet that published it)"},
    "cites": {"color": "#5d4037", "dashes": [8, 3], "label": "cites (passes on the reporting of)"},
}
UNMET_BORDER = "#d50000"
#: the canvas draws node labels with this font: fonts with Arabic and Hebrew letters first, so that Chromium
#: shapes Arabic (joined letters) with a font that has the letters' forms (docs/multilingual.md)
CANVAS_FONT = "'DejaVu Sans', 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans Hebrew', Arial, sans-serif"


#: from this many nodes on the layout is computed with igraph (networkx's spring layout takes seconds
#: at 1,000 nodes and minutes at 10,000)
IGRAPH_FROM = 151
#: up to this many nodes the layout is networkx's Kamada-Kawai (slow beyond, but the nicest)
KAMADA_KAWAI_MAX = 150
#: --physics is honoured up to this many nodes
PHYSICS_MAX_NODES = 1000
#: default size limit of a page; above it the page would be too slow to be useful
MAX_NODES = 12000
#: how many nodes a page of a graph beyond ``MAX_NODES`` draws: the most central
CENTRAL_NODES = 2000


@dataclass(frozen=True)
class ViewOptions:
    title: str = "stancegraph"
    physics: bool = False
    height: str = "100vh"
    seed: int = 7
    focus: str | None = None  # id, label or alias of the node to centre on
    depth: int = 1
    max_nodes: int = MAX_NODES  # beyond this many nodes, only the ``central`` most central are drawn
    central: int = CENTRAL_NODES


def _vis_asset(name: str) -> str:
    import pyvis

    return (Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


class ViewTooLarge(StancegraphError):
    """The graph has more nodes than a page can usefully draw."""


def layout(graph: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Node positions in pixels, computed in Python (deterministic for a given seed).

    Kamada-Kawai for small graphs (the most readable), networkx's spring layout up to
    ``IGRAPH_FROM`` nodes, igraph's Fruchterman-Reingold beyond (measured: 0.7 s for 10,000 nodes,
    where networkx needs minutes). Nodes without any relation are set out in rows below the rest.
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted((s, o) for s, o in graph.edges() if s != o))
    isolated = sorted(n for n in simple.nodes if simple.degree(n) == 0)
    simple.remove_nodes_from(isolated)
    n = simple.number_of_nodes()
    positions: dict[str, tuple[float, float]] = {}
    if n:
        scale = (110 if n <= KAMADA_KAWAI_MAX else 90) * math.sqrt(n)
        raw = _igraph_layout(simple, seed) if n >= IGRAPH_FROM else None
        if raw is None:
            if n <= KAMADA_KAWAI_MAX:
                raw = nx.kamada_kawai_layout(simple, pos=nx.circular_layout(sorted(simple.nodes)))
            else:
                raw = nx.spring_layout(simple, seed=seed, k=1.6 / math.sqrt(n))
        xs = [float(p[0]) for p in raw.values()]
        ys = [float(p[1]) for p in raw.values()]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        positions = {
            node: (round((float(x) - cx) / span * 2 * scale, 1), round((float(y) - cy) / span * 2 * scale, 1))
            for node, (x, y) in raw.items()
        }
    bottom = max((y for _, y in positions.values()), default=0.0) + 160
    width = max((abs(x) for x, _ in positions.values()), default=400.0)
    per_row = max(1, int(2 * width // 220) + 1)
    for i, node in enumerate(isolated):
        row, col = divmod(i, per_row)
        positions[node] = (round(-width + col * 220, 1), round(bottom + row * 90, 1))
    return positions


def _igraph_layout(simple: nx.Graph, seed: int) -> dict[str, tuple[float, float]] | None:
    try:
        import igraph
    except ImportError:  # pragma: no cover - igraph is a dependency; keep working without it
        return None
    import random

    nodes = sorted(simple.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    ig = igraph.Graph(n=len(nodes), edges=[(index[s], index[o]) for s, o in sorted(simple.edges())])
    random.seed(seed)  # igraph's layouts draw their start from Python's random module
    coords = ig.layout_fruchterman_reingold(niter=300, grid="auto").coords
    return {node: (coords[i][0], coords[i][1]) for node, i in index.items()}


def focus(graph: nx.MultiDiGraph, ref: str, depth: int = 1) -> nx.MultiDiGraph:
    """The part of ``graph`` within ``depth`` steps of the node named ``ref`` (id, label or alias)."""
    from .analysis import find_node

    center = find_node(graph, ref)
    reach = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), center, cutoff=depth)
    sub = graph.subgraph(reach).copy()
    sub.graph["focus"] = center
    return sub


def _edge_style(relation: str, stance: str | None) -> dict[str, Any]:
    if relation in RELATION_STYLE:
        return RELATION_STYLE[relation]
    return STANCE_STYLE.get(stance or "", {"color": "#616161", "dashes": False})


def network(graph: nx.MultiDiGraph, options: ViewOptions = ViewOptions()) -> Network:
    """A pyvis network of ``graph`` with positions fixed and physics off (unless asked for)."""
    net = Network(height=options.height, width="100%", directed=True, cdn_resources="in_line")
    positions = layout(graph, options.seed)
    kinds = {k: k.replace("-", " ") for k in vocabulary().actor_kinds}
    for node, data in sorted(graph.nodes(data=True)):
        style = CLASS_STYLE[data["cls"]]
        x, y = positions[node]
        net.nodes.append(
            {
                "id": vis_id(node),
                "key": node,
                # a sentence (a claim) is drawn by its short label; the panel and the tooltip show it whole
                "label": data.get("short") or data["label"],
                "fullLabel": data["label"],
                "shape": style["shape"],
                "color": {"background": style["color"], "border": UNMET_BORDER if data["unmet"] else style["color"]},
                "borderWidth": 4 if data["unmet"] else 1,
                "x": x,
                "y": y,
                "size": 14 if data["cls"] == "actor" else 18,
                "font": {"color": "#ffffff" if data["cls"] == "proposal" else "#212121"},
                # a long proposal or claim wraps into a narrow box rather than a long bar across its neighbours
                **({"widthConstraint": {"maximum": 170}} if style["shape"] == "box" else {}),
                # our own fields, read by the page's script and shown with textContent only
                "cls": data["cls"],
                "kind": kinds.get(data["kind"] or "", data["kind"]),
                "aliases": data["aliases"],
                "description": data["description"],
                "wikidata": data["wikidata"],
                "unmet": data["unmet"],
                "labels": names_of(graph, node).labels,  # the page's language switch relabels with these
            }
        )
    edges = sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"]))
    bends = _parallel_bends([(s, o) for s, o, _ in edges])
    for index, (s, o, data) in enumerate(edges):
        style = _edge_style(data["relation"], data["stance"])
        net.edges.append(
            {
                "id": f"e{index}",
                "from": vis_id(s),
                "to": vis_id(o),
                "arrows": "to",
                "color": style["color"],
                "dashes": style["dashes"],
                "width": style.get("width", 1 if data["relation"] == PART_OF else 2),
                "relation": data["relation"],
                "relationLabel": data["label"],
                "stance": data["stance"],
                "statements": [_statement(st) for st in data["statements"]],
                **({"smooth": bends[index]} if bends[index] else {}),
            }
        )
    net.options = (  # pyvis serializes a dict of vis-network options as it is
        {
            # physics only on request, and only where it can settle (measured: minutes at 1,000+ nodes)
            "physics": {"enabled": options.physics and graph.number_of_nodes() <= PHYSICS_MAX_NODES,
                        "stabilization": {"iterations": 200}},
            "edges": {"smooth": False, "font": {"size": 0}},
            "interaction": {"hover": True, "tooltipDelay": 3600000, "navigationButtons": False,
                            # keys move the network only when it has the focus: bound to the window, vis-network
                            # swallowed "-", "+", "=", "[", "]" and the arrows typed into the search box and the timeline
                            "keyboard": {"enabled": True, "bindToWindow": False, "autoFocus": False},
                            "hideEdgesOnDrag": graph.number_of_nodes() > 2000},
            "nodes": {"font": {"size": 16, "face": CANVAS_FONT}},
        }
    )
    return net


def outlet_edges(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """The relations of outlets the page draws on request: an outlet → the subject of each statement its
    sources make (with those statements: every such edge traceable to its quotes), and → each outlet its
    sources cite. Only between nodes of the graph drawn."""
    outlets = graph.graph.get("outlets") or {}
    reports: dict[tuple[str, str], list[dict[str, Any]]] = {}
    cites: set[tuple[str, str]] = set()
    for s, _, data in graph.edges(data=True):
        for st in data["statements"]:
            publisher = (outlets.get(st["source"]["id"]) or {}).get("publisher")
            if publisher in graph and publisher != s:
                reports.setdefault((publisher, s), []).append(st)
    for about in outlets.values():
        if about["publisher"] in graph:
            cites.update((about["publisher"], c) for c in about["cites"] if c in graph and c != about["publisher"])
    out = []
    for i, ((s, o), sts) in enumerate(sorted(reports.items())):
        unique = list({st["iri"]: st for st in sts}.values())
        out.append({"id": f"o{i}", "from": vis_id(s), "to": vis_id(o), "arrows": "to", "relation": "reports",
                    "relationLabel": "reports on", "stance": None, "width": 1, **_outlet_style("reports"),
                    "statements": [_statement(st) for st in unique]})
    for j, (s, o) in enumerate(sorted(cites)):
        out.append({"id": f"c{j}", "from": vis_id(s), "to": vis_id(o), "arrows": "to", "relation": "cites",
                    "relationLabel": "cites", "stance": None, "width": 2, **_outlet_style("cites"), "statements": []})
    return out


def _outlet_style(relation: str) -> dict[str, Any]:
    return {"color": OUTLET_STYLE[relation]["color"], "dashes": OUTLET_STYLE[relation]["dashes"]}


def _parallel_bends(pairs: list[tuple[str, str]]) -> list[dict[str, Any] | None]:
    """How to bend each edge so that edges joining the same two nodes are not drawn on top of each other.

    Straight edges between the same two nodes cover each other: only one of them could be hovered
    or clicked, and the quotes behind the others could not be reached. The first stays straight; the
    others bow out alternately to either side, further and further.
    """
    seen: dict[tuple[str, str], int] = {}
    bends: list[dict[str, Any] | None] = []
    for s, o in pairs:
        pair = (s, o) if s <= o else (o, s)
        k = seen[pair] = seen.get(pair, -1) + 1
        if k == 0 or s == o:
            bends.append(None)
            continue
        side = (1 if k % 2 else -1) * (1 if (s, o) == pair else -1)  # curvedCW bends to the right of from -> to
        bends.append({"enabled": True, "type": "curvedCW" if side > 0 else "curvedCCW", "roundness": 0.25 * ((k + 1) // 2)})
    return bends


def vis_id(node: str) -> str:
    """The page's id of a node: the registry id, prefixed so that no id can collide with a property of
    JavaScript objects (vis-network keeps some lookups in plain objects: a node 'constructor' was lost)."""
    return f"n:{node}"


def _statement(st: dict[str, Any]) -> dict[str, Any]:
    """A statement as the page needs it: its source by id (the page has a table of sources), and the
    nodes it names by their page ids."""
    out = {k: v for k, v in st.items() if k not in ("iri", "source") and v not in (None, [], "")}
    out["source"] = st["source"]["id"]
    if st.get("regarding"):
        out["regarding"] = vis_id(st["regarding"])
    for key in ("if", "until"):
        if st.get(key):
            out[key] = [vis_id(c) for c in st[key]]
    return out


def _sources(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    sources: dict[str, dict[str, Any]] = {}
    every = [src for _, _, data in graph.edges(data=True) for src in (st["source"] for st in data["statements"])]
    for src in graph.graph.get("sources", []) + every:  # sources without statements are listed too
        if src["id"] not in sources:
            url = src.get("url")
            safe_url = url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None
            sources[src["id"]] = {**src, "url": safe_url}
    return sorted(sources.values(), key=lambda s: (s["published"] or "", s["id"]))


def _filters(graph: nx.MultiDiGraph, sources: list[dict[str, Any]]) -> dict[str, Any]:
    relations: dict[str, str] = {}
    stances: set[str] = set()
    dates: set[str] = set()
    for _, _, data in graph.edges(data=True):
        relations[data["relation"]] = data["label"]
        for st in data["statements"]:
            if st["stance"]:
                stances.add(st["stance"])
            if st["date"]:
                dates.add(st["date"])
    order = list(STANCE_STYLE)
    return {
        "classes": [{"key": k, "label": v["label"]} for k, v in CLASS_STYLE.items()],
        "relations": [{"key": k, "label": v} for k, v in sorted(relations.items(), key=lambda kv: kv[1])],
        "stances": [s for s in order if s in stances],
        "sources": sources,
        "dates": sorted(dates),
    }


def _legend(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """The node classes present, then the stances and relations the graph holds: a stance relation (supports,
    considers, declines to take part...) is drawn in its stance's colour; the others in their own."""
    classes = {d.get("cls") for _, d in graph.nodes(data=True)}
    items = [{"group": "node", "shape": s["shape"], "color": s["color"], "label": s["label"]}
             for key, s in CLASS_STYLE.items() if key in classes]
    if any(d.get("unmet") for _, d in graph.nodes(data=True)):
        items.append({"group": "node", "shape": "unmet", "color": UNMET_BORDER, "label": "condition unmet (as its latest statements say)"})
    relations = vocabulary().relations
    stances = {d["stance"] for _, _, d in graph.edges(data=True) if d["relation"] not in RELATION_STYLE and d["stance"]}
    present = {d["relation"] for _, _, d in graph.edges(data=True)}
    for key, style in STANCE_STYLE.items():
        if key in stances:
            named = sorted(r.label for r in relations.values() if r.stance == key and r.key in present)
            label = style["label"] + (f" ({', '.join(named)})" if named else "")
            items.append({"group": "stance", "color": style["color"], "dashes": bool(style["dashes"]), "label": label})
    for key, style in RELATION_STYLE.items():
        if key in present:
            label = relations[key].label if key in relations else style["label"]
            items.append({"group": "relation", "color": style["color"], "dashes": bool(style["dashes"]), "label": label})
    return items


def languages(graph: nx.MultiDiGraph) -> tuple[str, list[str]]:
    """The page's display language (its ``<html lang>``) and the languages its labels can be switched to.

    The display language is the first of those asked for (``--lang``) that some label is in, else the
    language most labels are shown in, else English."""
    names = [names_of(graph, node) for node in graph.nodes]
    held = sorted({lang for n in names for lang in n.labels})
    shown = Counter(n.lang for n in names if n.lang)
    asked = [lang.lower() for lang in graph.graph.get("languages", [])]
    display = next((lang for lang in asked if lang in held), None)
    display = display or (max(sorted(shown), key=shown.__getitem__) if shown else "en")
    return display, held


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def prepare(graph: nx.MultiDiGraph, options: ViewOptions) -> nx.MultiDiGraph:
    """The part of ``graph`` to draw: focused when asked; beyond ``options.max_nodes`` nodes, the
    ``options.central`` most central ones, and ``graph.graph["left_out"]`` says what was left out.
    ``graph.graph["whole"]`` keeps the graph it was cut from: what a proposal's panel says of it (its blockers)
    is what the command line says of the whole graph."""
    whole = graph.graph.get("whole", graph)
    if options.focus:
        graph = focus(graph, options.focus, options.depth)
        graph.graph["whole"] = whole
    n = graph.number_of_nodes()
    if n <= options.max_nodes:
        return graph
    keep = most_central(graph, min(options.central, options.max_nodes))
    part = graph.subgraph(keep).copy()
    part.graph["whole"] = whole
    classes = Counter(d["cls"] for node, d in graph.nodes(data=True) if node not in part)
    what = ", ".join(f"{count:,} {cls}{'s' if count != 1 else ''}" for cls, count in sorted(classes.items()))
    part.graph["left_out"] = (
        f"{'the neighbourhood drawn' if options.focus else 'the graph'} has {n:,} nodes, more than a page can usefully draw (limit {options.max_nodes:,}): drew the "
        f"{len(keep):,} most central (most relations) and left out {n - len(keep):,} nodes ({what}) and "
        f"{graph.number_of_edges() - part.number_of_edges():,} relations. Draw the neighbourhood of one with "
        f"--focus ID --depth N, more of them with --central N, or all with --max-nodes {n}")
    return part


def most_central(graph: nx.MultiDiGraph, n: int) -> list[str]:
    """The ``n`` nodes with the most relations (in and out, each statement's relation once), ties by id."""
    degree = Counter()
    for s, o in graph.edges():
        if s != o:
            degree[s] += 1
            degree[o] += 1
    return sorted(graph.nodes, key=lambda node: (-degree[node], node))[:n]


def _blocker_citation(entry: dict[str, Any]) -> dict[str, Any]:
    """The part of a blockers entry's evidence the panel shows: quote, source and date."""
    return {k: entry[k] for k in ("quote", "source", "date") if entry.get(k)}


def proposal_blockers(graph: nx.MultiDiGraph, proposals: list[str]) -> dict[str, dict[str, Any]]:
    """What ``stancegraph blockers`` says of each of ``proposals`` (output/analysis.py ``blockers``, on the
    whole ``graph``, so that a proposal's panel says what the command line says even when the page draws only
    a neighbourhood): its conditions with their status (inherited ones with the parent they come from), who
    must approve it and who resists it. Keyed by page id; labels as strings, since a parent may not be drawn."""
    from .analysis import blockers

    out: dict[str, dict[str, Any]] = {}
    for proposal in proposals:
        b = blockers(graph, proposal)
        out[vis_id(proposal)] = {
            "scope": [graph.nodes[p]["label"] for p in b.scope[1:]],
            "conditions": [
                {"id": vis_id(c.id), "label": c.label, "status": c.status,
                 **({"via": vis_id(c.via), "viaLabel": graph.nodes[c.via]["label"]} if c.via else {}),
                 "demandedBy": sorted({d["label"] for d in c.demanded_by}),
                 "controlledBy": sorted({d["label"] for d in c.controlled_by}),
                 "heldUntil": sorted({f"{d['label']} {d['relation']} {d['proposal_label']} ({d['when']} it is met)" for d in c.stances})}
                for c in b.conditions],
            "approvers": [{"actor": vis_id(a["actor"]), "label": a["label"], "preconditions": a["preconditions"],
                           "evidence": [_blocker_citation(e) for e in a["evidence"]]} for a in b.approvers],
            "resistance": [{"actor": vis_id(r["actor"]), "label": r["label"], "relation": r["relation"], "stance": r["stance"],
                            "proposalLabel": r["proposal_label"], "via": r["proposal"] != proposal,
                            "conditions": r["conditions"], **_blocker_citation(r)} for r in b.resistance],
        }
    return out


def _panel_data(whole: nx.MultiDiGraph, drawn: nx.MultiDiGraph) -> dict[str, Any]:
    """What the page's panel and its stance grouping need beyond the nodes and edges (issue 13, part 8): each
    relation's own stance (a "declines to take part" is a refusal even when held until a condition is met: a
    conditional refusal), the stances' colours and order, and the blockers of every proposal drawn."""
    relations = vocabulary().relations
    present = {d["relation"] for _, _, d in drawn.edges(data=True)}
    return {
        "relationStance": {key: relations[key].stance for key in sorted(present) if key in relations and relations[key].stance},
        "stances": [{"key": k, "color": v["color"]} for k, v in STANCE_STYLE.items()],
        "blockers": proposal_blockers(whole, sorted(n for n, d in drawn.nodes(data=True) if d["cls"] == "proposal")),
    }


def render_html(graph: nx.MultiDiGraph, options: ViewOptions = ViewOptions()) -> str:
    """The whole page as a string: HTML, CSS, vis-network and the data, with no outside reference.

    A Content-Security-Policy allows exactly the page's own two scripts (by hash) and no network
    access, so even a string that slipped through escaping could not run or load anything.
    """
    graph = prepare(graph, options)
    whole = graph.graph.get("whole", graph)
    net = network(graph, options)
    nodes, edges, _heading, height, _width, vis_options = net.get_network_data()
    templates = files("stancegraph.output").joinpath("templates")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": json_value}  # Jinja's, and a Decimal quantity
    template = env.from_string(templates.joinpath("view.html").read_text("utf-8"))
    vis_js = _vis_asset("vis-network.min.js").replace("</script", "<\\/script")
    app_js = templates.joinpath("view.js").read_text("utf-8")
    counts = {cls: sum(1 for _, d in graph.nodes(data=True) if d["cls"] == cls) for cls in CLASS_STYLE}
    sources = _sources(graph)
    lang, held = languages(graph)
    return template.render(
        lang=lang,
        title=options.title,
        height=height,
        csp_scripts=" ".join(_csp_hash(js) for js in (vis_js, app_js)),
        vis_js=Markup(vis_js),
        app_js=Markup(app_js),
        vis_css=Markup(_vis_asset("vis-network.css").replace("</style", "<\\/style")),
        app_css=Markup(templates.joinpath("view.css").read_text("utf-8")),
        data={
            "nodes": nodes,
            "edges": edges,
            "options": json.loads(vis_options),
            "legend": _legend(graph),
            "counts": counts,
            "title": options.title,
            "dataset": graph.graph.get("dataset"),
            "outlets": outlet_edges(graph),
            "filters": _filters(graph, sources),
            "focus": vis_id(graph.graph["focus"]) if graph.graph.get("focus") else None,
            "lang": lang,
            "languages": held,
            "panel": _panel_data(whole, graph),
        },
    )
