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
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup
from pyvis.network import Network

from stancegraph.ontology import vocabulary

from .projection import CONDITION_OF, PART_OF

CLASS_STYLE = {
    "actor": {"shape": "dot", "color": "#4e79a7", "label": "Actor"},
    "proposal": {"shape": "box", "color": "#f28e2b", "label": "Proposal"},
    "condition": {"shape": "diamond", "color": "#59a14f", "label": "Condition"},
}
STANCE_STYLE = {
    "supports": {"color": "#2e7d32", "dashes": False, "label": "supports"},
    "opposes": {"color": "#c62828", "dashes": False, "label": "opposes"},
    "conditional": {"color": "#8e24aa", "dashes": [8, 4], "label": "conditional stance"},
    "considering": {"color": "#f9a825", "dashes": False, "label": "considering"},
    "undecided": {"color": "#9e9e9e", "dashes": [2, 4], "label": "undecided"},
}
RELATION_STYLE = {
    "must-approve": {"color": "#37474f", "dashes": False, "width": 4, "label": "must approve (approval right)"},
    "requires": {"color": "#6d4c41", "dashes": [6, 3], "label": "requires"},
    "demands": {"color": "#ad1457", "dashes": [6, 3], "label": "demands"},
    "controls": {"color": "#37474f", "dashes": [3, 3], "label": "controls"},
    "excludes": {"color": "#c62828", "dashes": [1, 4], "label": "excludes"},
    "alternative-to": {"color": "#757575", "dashes": [1, 4], "label": "alternative to"},
    "negotiates-with": {"color": "#1565c0", "dashes": False, "label": "negotiates with"},
    "disagrees-with": {"color": "#e65100", "dashes": False, "label": "disagrees with"},
    CONDITION_OF: {"color": "#6d4c41", "dashes": [2, 2], "label": "condition of"},
    PART_OF: {"color": "#cfd8dc", "dashes": False, "label": "part of"},
}
UNMET_BORDER = "#d50000"


@dataclass(frozen=True)
class ViewOptions:
    title: str = "stancegraph"
    physics: bool = False
    height: str = "100vh"
    seed: int = 7


def _vis_asset(name: str) -> str:
    import pyvis

    return (Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def layout(graph: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Node positions in pixels, computed in Python (deterministic for a given seed)."""
    if graph.number_of_nodes() == 0:
        return {}
    simple = nx.Graph(graph.to_undirected())
    positions = nx.spring_layout(simple, seed=seed, k=1.6 / math.sqrt(max(simple.number_of_nodes(), 1)))
    scale = 90 * math.sqrt(graph.number_of_nodes())
    return {n: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for n, (x, y) in positions.items()}


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
                "id": node,
                "label": data["label"],
                "shape": style["shape"],
                "color": {"background": style["color"], "border": UNMET_BORDER if data["unmet"] else style["color"]},
                "borderWidth": 4 if data["unmet"] else 1,
                "x": x,
                "y": y,
                "size": 14 if data["cls"] == "actor" else 18,
                "font": {"color": "#ffffff" if data["cls"] == "proposal" else "#212121"},
                # our own fields, read by the page's script and shown with textContent only
                "cls": data["cls"],
                "kind": kinds.get(data["kind"] or "", data["kind"]),
                "aliases": data["aliases"],
                "description": data["description"],
                "wikidata": data["wikidata"],
                "unmet": data["unmet"],
            }
        )
    for index, (s, o, data) in enumerate(sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"]))):
        style = _edge_style(data["relation"], data["stance"])
        net.edges.append(
            {
                "id": f"e{index}",
                "from": s,
                "to": o,
                "arrows": "to",
                "color": style["color"],
                "dashes": style["dashes"],
                "width": style.get("width", 1 if data["relation"] == PART_OF else 2),
                "relation": data["relation"],
                "relationLabel": data["label"],
                "stance": data["stance"],
                "statements": data["statements"],
            }
        )
    net.options = (  # pyvis serializes a dict of vis-network options as it is
        {
            "physics": {"enabled": options.physics, "stabilization": {"iterations": 200}},
            "edges": {"smooth": False, "font": {"size": 0}},
            "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "keyboard": True},
            "nodes": {"font": {"size": 14, "face": "sans-serif"}},
        }
    )
    return net


def _legend() -> list[dict[str, Any]]:
    items = [{"group": "node", "shape": s["shape"], "color": s["color"], "label": s["label"]} for s in CLASS_STYLE.values()]
    items.append({"group": "node", "shape": "unmet", "color": UNMET_BORDER, "label": "condition stated as unmet"})
    for style in (*STANCE_STYLE.values(), *RELATION_STYLE.values()):
        items.append({"group": "edge", "color": style["color"], "dashes": bool(style["dashes"]), "label": style["label"]})
    return items


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(graph: nx.MultiDiGraph, options: ViewOptions = ViewOptions()) -> str:
    """The whole page as a string: HTML, CSS, vis-network and the data, with no outside reference.

    A Content-Security-Policy allows exactly the page's own two scripts (by hash) and no network
    access, so even a string that slipped through escaping could not run or load anything.
    """
    net = network(graph, options)
    nodes, edges, _heading, height, _width, vis_options = net.get_network_data()
    templates = files("stancegraph.output").joinpath("templates")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    template = env.from_string(templates.joinpath("view.html").read_text("utf-8"))
    vis_js = _vis_asset("vis-network.min.js").replace("</script", "<\\/script")
    app_js = templates.joinpath("view.js").read_text("utf-8")
    counts = {cls: sum(1 for _, d in graph.nodes(data=True) if d["cls"] == cls) for cls in CLASS_STYLE}
    return template.render(
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
            "legend": _legend(),
            "counts": counts,
            "title": options.title,
        },
    )
