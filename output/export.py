"""Exporting the projection for other network tools, through networkx's writers.

GraphML and GEXF (Gephi) carry every node's class, kind, label and colour and every edge's relation,
stance, label and evidence; Cytoscape JSON carries the same as data fields. CSV is a coding sheet: one
row per statement (its source, date, subject, relation, stance, object, their classes and the quote), which
stancegraph reads back as a coding sheet (graph/importers/sheets.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx

from .projection import CONDITION_OF, json_value
from .view import CLASS_STYLE, RELATION_STYLE, STANCE_STYLE

G = TypeVar("G", bound=nx.Graph)

#: extension → format name
EXPORT_EXTENSIONS = {".graphml": "graphml", ".gexf": "gexf", ".cyjs": "cytoscape", ".json": "cytoscape", ".csv": "csv"}
EXPORT_FORMATS = ("graphml", "gexf", "cytoscape", "csv")


def _rgb(hex_colour: str) -> dict[str, int | float]:
    h = hex_colour.lstrip("#")
    return {"r": int(h[0:2], 16), "g": int(h[2:4], 16), "b": int(h[4:6], 16), "a": 1.0}


def _edge_colour(relation: str, stance: str | None) -> str:
    style = RELATION_STYLE.get(relation) or STANCE_STYLE.get(stance or "") or {"color": "#616161"}
    return str(style["color"])


def flat(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with only scalar attributes (what GraphML and GEXF can hold); the dataset's title, description,
    authors and license as attributes of the graph."""
    out = nx.MultiDiGraph()
    about = graph.graph.get("dataset") or {}
    out.graph.update({key: "; ".join(value) if isinstance(value, list) else value
                      for key, value in about.items() if value})
    if about.get("title"):
        out.graph["name"] = about["title"]  # GEXF's <graph name="…">
    for node, d in sorted(graph.nodes(data=True)):
        out.add_node(
            node,
            label=d["label"],
            cls=d["cls"],
            kind=d["kind"] or "",
            aliases="; ".join(d["aliases"]),
            description=d["description"] or "",
            wikidata=d["wikidata"] or "",
            iri=d["iri"],
            unmet=bool(d["unmet"]),
            color=CLASS_STYLE[d["cls"]]["color"],
        )
    for s, o, key, d in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        sts = d["statements"]
        out.add_edge(
            s, o, key=f"{s}--{key}--{o}",  # an edge id unique in the file (the relation alone repeats)
            relation=d["relation"],
            label=d["label"],
            stance=d["stance"] or "",
            statements=len(sts),
            sources="; ".join(sorted({st["source"]["id"] for st in sts})),
            quotes=" | ".join(st["quote"] or "" for st in sts),
            color=_edge_colour(d["relation"], d["stance"]),
        )
    return out


#: characters XML 1.0 cannot hold at all, not even escaped: a label with one makes the file unreadable
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(g: G) -> G:
    """``g`` with such characters in text attributes written as visible escapes (``\\x07``), in place."""
    for d in (*(d for _, d in g.nodes(data=True)), *(d for _, _, d in g.edges(data=True))):
        for k, v in d.items():
            if isinstance(v, str) and _NOT_XML.search(v):
                d[k] = _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", v)
    return g


def to_graphml(graph: nx.MultiDiGraph) -> bytes:
    return "\n".join(nx.generate_graphml(xml_safe(flat(graph)), prettyprint=True)).encode("utf-8") + b"\n"


def to_gexf(graph: nx.MultiDiGraph) -> bytes:
    g = xml_safe(flat(graph))
    for _, d in g.nodes(data=True):
        d["viz"] = {"color": _rgb(d["color"])}
    for _, _, key, d in g.edges(keys=True, data=True):
        d["viz"] = {"color": _rgb(d["color"])}
        d["id"] = key
    lines = _without_networkx_key(nx.generate_gexf(g, prettyprint=True))
    return "\n".join(_with_meta(lines, graph.graph.get("dataset"))).encode("utf-8") + b"\n"


def _with_meta(lines: Iterable[str], about: dict[str, Any] | None) -> Iterator[str]:
    """GEXF's <meta>: the dataset's authors as its creator (after networkx), its description and title."""
    from xml.sax.saxutils import escape

    for line in lines:
        if about and line.strip().startswith("<creator>"):
            indent = line[: len(line) - len(line.lstrip())]
            if about.get("authors"):
                line = f"{indent}<creator>{escape('; '.join(about['authors']))}</creator>"
            yield line
            text = " — ".join(x for x in (about.get("title"), about.get("description")) if x)
            if text:
                yield f"{indent}<description>{escape(_NOT_XML.sub(' ', text))}</description>"
            continue
        yield line


def _without_networkx_key(lines: Iterable[str]) -> Iterator[str]:
    """networkx writes a multigraph's edge keys as an attribute ``networkx_key`` of its own; the key is the
    edge's id here already, and the attribute means nothing to Gephi's users: left out."""
    key_id = None
    for text in lines:
        for line in text.split("\n"):
            if 'title="networkx_key"' in line:
                key_id = line.split('id="', 1)[1].split('"', 1)[0]
                continue
            if key_id is not None and f'<attvalue for="{key_id}" ' in line:
                continue
            yield line


def to_cytoscape(graph: nx.MultiDiGraph) -> bytes:
    # nodes and edges in a fixed order: the projection's order follows rdflib's store, which varies
    # from run to run (hash seeds) and between a graph file and the annotation files it was built from
    ordered = nx.MultiDiGraph()
    ordered.add_nodes_from(sorted(graph.nodes(data=True), key=lambda n: n[0]))
    ordered.add_edges_from(sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])))
    data = nx.cytoscape_data(ordered)
    for edge in data["elements"]["edges"]:
        edge["data"]["color"] = _edge_colour(edge["data"]["relation"], edge["data"]["stance"])
    for node in data["elements"]["nodes"]:
        node["data"]["color"] = CLASS_STYLE[node["data"]["cls"]]["color"]
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True, default=json_value) + "\n").encode("utf-8")


#: the columns of the CSV export: their names are the roles of a coding sheet's columns, so that the
#: sheet reader takes them without a mapping
CSV_COLUMNS = ("source", "title", "outlet", "url", "published", "date", "subject", "subject_class", "relation",
               "stance", "object", "object_class", "quote", "according_to", "for", "if", "until", "note",
               "subject_id", "object_id", "statement")


def to_csv(graph: nx.MultiDiGraph) -> bytes:
    """One row per statement, as a coding sheet: who (label, class, id), which relation and stance, on
    what, when, in which source, with the quote. Several names in a cell are separated by "; "."""
    def label(node: str | None) -> str:
        return graph.nodes[node]["label"] if node is not None and node in graph else (node or "")

    def labels(nodes: list[str]) -> str:
        return "; ".join(label(n) for n in nodes)

    rows = []
    for s, o, d in graph.edges(data=True):
        if d["relation"] == CONDITION_OF:
            continue  # drawn from the if/until of stances: those statements are the rows
        for st in d["statements"]:
            source = st["source"]
            rows.append([
                source["id"], source["title"] or "", label(source["publisher"]), source["url"] or "",
                source["published"] or "", st["date"] or "",
                label(s), graph.nodes[s]["cls"], d["relation"], st["stance"] or "",
                label(o), graph.nodes[o]["cls"], st["quote"] or "",
                labels(st["according_to"]), label(st["regarding"]), labels(st["if"]), labels(st["until"]),
                st["note"] or "", s, o, st["id"],
            ])
    rows.sort(key=lambda row: (row[0], row[-1]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


WRITERS: dict[str, Callable[[nx.MultiDiGraph], bytes]] = {
    "graphml": to_graphml,
    "gexf": to_gexf,
    "cytoscape": to_cytoscape,
    "csv": to_csv,
}


def export_format(path: str | Path, explicit: str | None = None) -> str:
    if explicit:
        if explicit not in WRITERS:
            raise ValueError(f"unknown export format {explicit!r}; use one of {', '.join(EXPORT_FORMATS)}")
        return explicit
    return format_from_suffix(path, EXPORT_EXTENSIONS)


def format_from_suffix(path: str | Path, extensions: dict[str, str]) -> str:
    """The format ``extensions`` gives ``path``'s extension; ValueError naming the ones known."""
    suffix = Path(path).suffix.lower()
    if suffix not in extensions:
        raise ValueError(f"cannot tell the format from {suffix or '(no extension)'!r}; use one of "
                         f"{', '.join(extensions)} or --format")
    return extensions[suffix]
