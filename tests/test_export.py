"""Export for other network tools: GraphML, GEXF, Cytoscape JSON, and CSV coding sheets (a row per statement).

Each file is read back with networkx (``nx.read_graphml``, ``nx.read_gexf``, ``nx.cytoscape_graph``) or the
csv module and compared with the projection it came from: every node, every edge, every attribute. On the
Gaza example, on labels full of markup and control characters, and on 10,000 nodes.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import random
from pathlib import Path

import networkx as nx
import pytest

from stancegraph.output import project
from stancegraph.output.graphfile import load_dataset
from stancegraph.output.export import (
    EXPORT_EXTENSIONS,
    WRITERS,
    export_format,
    flat,
    to_csv,
    to_cytoscape,
    to_gexf,
    to_graphml,
)
from stancegraph.output.view import CLASS_STYLE

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "gaza-day-after"
CSV_COLUMNS = ("source", "title", "outlet", "url", "published", "date", "subject", "subject_class", "relation",
               "stance", "object", "object_class", "quote", "according_to", "for", "if", "until", "note",
               "subject_id", "object_id", "statement")


@pytest.fixture(scope="module")
def gaza(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    """The projection of the example as `stancegraph build` writes it (the shared .ttl when it exists)."""
    from click.testing import CliRunner

    from stancegraph.cli.main import cli

    path = tmp_path_factory.getbasetemp() / "explore-gaza" / "gaza-day-after.ttl"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "-o", str(path), "--no-cache"])
        assert result.exit_code == 0, result.output
    return project(load_dataset([path]))


def _read(fmt: str, data: bytes) -> nx.Graph:
    if fmt == "graphml":
        return nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    if fmt == "gexf":
        return nx.read_gexf(io.BytesIO(data))
    return nx.cytoscape_graph(json.loads(data))


def _gexf_edge_colours(data: bytes) -> list[dict]:
    from xml.etree import ElementTree

    ns = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
    root = ElementTree.fromstring(data)
    colours = []
    for edge in root.iterfind("g:graph/g:edges/g:edge", ns):
        c = edge.find("viz:color", ns)
        colours.append({"r": int(c.get("r")), "g": int(c.get("g")), "b": int(c.get("b")), "a": float(c.get("a"))})
    return colours


def _rgb(colour: str) -> dict:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1.0}


def assert_xml_round_trip(graph: nx.MultiDiGraph, fmt: str, expected: nx.MultiDiGraph | None = None) -> nx.MultiDiGraph:
    """The GraphML or GEXF of ``graph``, read back, has exactly the nodes, edges and attributes of ``expected``
    (default: ``flat(graph)``, the scalar attributes of the projection)."""
    expected = expected if expected is not None else flat(graph)
    data = WRITERS[fmt](graph)
    back = _read(fmt, data)
    assert back.is_directed()
    nodes = dict(back.nodes(data=True))
    assert set(nodes) == set(expected.nodes)
    if back.is_multigraph():
        read_edges = back.edges(keys=True, data=True)
    else:  # networkx reads a GEXF without parallel edges as a DiGraph: each edge has its only key
        assert all(len(expected[s][o]) == 1 for s, o in expected.edges())
        read_edges = ((s, o, next(iter(expected[s][o])), d) for s, o, d in back.edges(data=True))
    edges = {}
    for s, o, key, d in read_edges:
        d = dict(d)
        if fmt == "gexf":
            d.pop("id")  # GEXF numbers its edges; the networkx key is kept as the edge's key
        edges[(s, o, key)] = d
    if fmt == "gexf":  # networkx does not read the colour of edges back: check it in the file
        assert _gexf_edge_colours(data) == [_rgb(d["color"]) for _, _, d in expected.edges(data=True)]
    assert len(edges) == back.number_of_edges() == expected.number_of_edges()
    for node, d in expected.nodes(data=True):
        got = dict(nodes[node])
        if fmt == "gexf":
            assert got.pop("viz") == {"color": _rgb(d["color"])}
        assert got == d, node
    for s, o, key, d in expected.edges(keys=True, data=True):
        assert edges[(s, o, key)] == d, (s, o, key)
    return back


# --------------------------------------------------------------------------- the example


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_formats_read_back_with_every_node_edge_and_attribute(gaza, fmt):
    back = assert_xml_round_trip(gaza, fmt)
    assert (back.number_of_nodes(), back.number_of_edges()) == (39, 66)
    israel = back.nodes["israel"]
    assert (israel["cls"], israel["label"], israel["kind"], israel["color"], israel["wikidata"]) == (
        "actor", "Israel", "state", CLASS_STYLE["actor"]["color"], "Q801")
    assert back.nodes["hamas-defeated"]["unmet"] is True and back.nodes["plan-completed"]["unmet"] is False
    declines = back.edges["israel", "gaza-day-after-plan", "israel--declines-to-participate--gaza-day-after-plan"]
    assert (declines["relation"], declines["label"], declines["stance"], declines["statements"]) == (
        "declines-to-participate", "declines to take part in", "conditional", 1)
    assert declines["quotes"].startswith("Israel has been reluctant to join in the planning until Hamas is defeated")
    assert back.edges["israel", "gaza-day-after-plan", "israel--must-approve--gaza-day-after-plan"]["stance"] == ""
    # every class, relation and stance of the projection survives
    assert {d["cls"] for _, d in back.nodes(data=True)} == {"actor", "proposal", "condition"}
    assert {d["relation"] for _, _, d in back.edges(data=True)} == {d["relation"] for _, _, d in gaza.edges(data=True)}
    assert {d["stance"] for _, _, d in back.edges(data=True)} == {d["stance"] or "" for _, _, d in gaza.edges(data=True)}


def test_gexf_has_what_gephi_shows(gaza):
    """Gephi reads a node's label and colour from the GEXF's own fields, its class from an attribute."""
    text = to_gexf(gaza).decode("utf-8")
    assert '<node id="israel" label="Israel">' in text
    assert '<viz:color r="78" g="121" b="167" a="1.0" />' in text  # the actors' blue
    assert '<attribute id="0" title="cls" type="string" />' in text
    assert 'xmlns:viz="http://www.gexf.net/1.2draft/viz"' in text


def test_cytoscape_json_reads_back_with_everything(gaza):
    back = nx.cytoscape_graph(json.loads(to_cytoscape(gaza)))
    assert isinstance(back, nx.MultiDiGraph)
    assert set(back.nodes) == set(gaza.nodes)
    for node, d in gaza.nodes(data=True):
        got = dict(back.nodes[node])
        assert got.pop("color") == CLASS_STYLE[d["cls"]]["color"]
        assert (got.pop("id"), got.pop("name"), got.pop("value")) == (node, node, node)
        assert got == d
    assert back.number_of_edges() == gaza.number_of_edges()
    for s, o, key, d in gaza.edges(keys=True, data=True):
        got = dict(back.edges[s, o, key])
        assert got.pop("color").startswith("#")
        assert (got.pop("source"), got.pop("target"), got.pop("key")) == (s, o, key)
        assert got == d  # statements with their quotes, sources, dates, hedges, conditions
    data = json.loads(to_cytoscape(gaza))
    assert data["directed"] is True and data["multigraph"] is True


def test_csv_is_a_coding_sheet_with_one_row_per_statement(gaza):
    rows = list(csv.DictReader(io.StringIO(to_csv(gaza).decode("utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    statements = [(s, o, d, st) for s, o, d in gaza.edges(data=True) if d["relation"] != "condition-of"
                  for st in d["statements"]]
    assert len(rows) == len(statements) == 55
    by_id = {r["statement"]: r for r in rows}
    for s, o, d, st in statements:
        r = by_id[st["id"]]
        assert (r["subject_id"], r["relation"], r["object_id"], r["quote"]) == (s, d["relation"], o, st["quote"])
        assert (r["subject"], r["object"]) == (gaza.nodes[s]["label"], gaza.nodes[o]["label"])
        assert (r["subject_class"], r["object_class"]) == (gaza.nodes[s]["cls"], gaza.nodes[o]["cls"])
        assert (r["source"], r["published"], r["date"]) == (st["source"]["id"], st["source"]["published"] or "",
                                                            st["date"] or "")
    approval = next(r for r in rows if r["relation"] == "must-approve")
    assert {k: approval[k] for k in ("subject", "subject_class", "relation", "object", "object_class", "outlet",
                                     "published", "quote")} == {
        "subject": "Israel", "subject_class": "actor", "relation": "must-approve",
        "object": 'Post-war ("day after") plan for Gaza', "object_class": "proposal", "outlet": "Newsmax",
        "published": "2024-03", "quote": 'Israel is the "long pole in the tent" when it comes to approving any plans'}


def test_exports_do_not_depend_on_the_order_of_the_projection(gaza):
    """The projection's order follows rdflib's store (it changes with the hash seed); the files must not."""
    nodes = list(gaza.nodes(data=True))
    edges = list(gaza.edges(keys=True, data=True))
    random.Random(5).shuffle(nodes)
    random.Random(6).shuffle(edges)
    shuffled = nx.MultiDiGraph()
    shuffled.graph.update(gaza.graph)  # the dataset's title and the like
    shuffled.add_nodes_from(nodes)
    shuffled.add_edges_from(edges)
    for fmt, write in WRITERS.items():
        assert write(shuffled) == write(gaza), fmt


@pytest.mark.parametrize("name, fmt", [("x.graphml", "graphml"), ("x.GEXF", "gexf"), ("x.cyjs", "cytoscape"),
                                       ("x.json", "cytoscape"), ("dir/x.csv", "csv")])
def test_format_from_the_extension(name, fmt):
    assert export_format(name) == fmt
    assert export_format("whatever.txt", fmt) == fmt
    assert set(EXPORT_EXTENSIONS.values()) == set(WRITERS)


@pytest.mark.parametrize("name", ["x.txt", "x", "x.gml", "x.graphml.bak"])
def test_unknown_extension(name):
    with pytest.raises(ValueError, match="cannot tell the format"):
        export_format(name)
    with pytest.raises(ValueError, match="unknown export format 'dot'"):
        export_format("x.csv", "dot")


# --------------------------------------------------------------------------- hostile labels


def test_markup_and_control_characters_survive(tmp_path):
    """Labels with markup round-trip exactly; characters XML cannot hold are written as visible escapes."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "registry.yaml").write_text(
        'actors:\n  evil:\n    label: "<script>alert(1)</script> & \\"co\\""\n'
        '  bell:\n    label: "Bell\\a\\x1b[31mred\\ttab"\n'
        'proposals:\n  plan:\n    label: "]]><plan/>"\n    aliases: ["<b>", "&amp;"]\n', encoding="utf-8")
    (tmp_path / "sources" / "s.yaml").write_text(
        "source:\n  id: s\n  title: t\nstatements:\n"
        "  - {subject: evil, relation: supports, object: plan, quote: \"yes <i>really</i>\\u0000\"}\n"
        "  - {subject: bell, relation: opposes, object: plan, quote: \"no\"}\n", encoding="utf-8")
    g = project(load_dataset([tmp_path]))
    expected = flat(g)
    expected.nodes["bell"]["label"] = "Bell\\x07\\x1b[31mred\ttab"
    expected.edges["evil", "plan", "evil--supports--plan"]["quotes"] = "yes <i>really</i>\\x00"
    for fmt in ("graphml", "gexf"):
        back = assert_xml_round_trip(g, fmt, expected)
        assert back.nodes["evil"]["label"] == '<script>alert(1)</script> & "co"'
        assert back.nodes["plan"]["label"] == "]]><plan/>" and back.nodes["plan"]["aliases"] == "&amp;; <b>"
    back = nx.cytoscape_graph(json.loads(to_cytoscape(g)))  # JSON holds any character
    assert back.nodes["bell"]["label"] == "Bell\a\x1b[31mred\ttab"
    rows = list(csv.DictReader(io.StringIO(to_csv(g).decode("utf-8"))))
    assert {r["subject"] for r in rows} == {'<script>alert(1)</script> & "co"', "Bell\a\x1b[31mred\ttab"}


# --------------------------------------------------------------------------- 10,000 nodes


@pytest.fixture(scope="module")
def big() -> nx.MultiDiGraph:
    spec = importlib.util.spec_from_file_location("stancegraph_benchmarks_view", ROOT / "benchmarks" / "view.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic(10_000)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_big_xml_round_trip(big, fmt):
    back = assert_xml_round_trip(big, fmt)
    assert back.number_of_nodes() == 10_000 and back.number_of_edges() == 20_000


def test_big_cytoscape_and_csv(big):
    back = nx.cytoscape_graph(json.loads(to_cytoscape(big)))
    assert (back.number_of_nodes(), back.number_of_edges()) == (10_000, 20_000)
    assert {(s, o, k) for s, o, k in back.edges(keys=True)} == {(s, o, k) for s, o, k in big.edges(keys=True)}
    assert all(back.nodes[n]["cls"] == d["cls"] and back.nodes[n]["label"] == d["label"] for n, d in big.nodes(data=True))
    rows = list(csv.DictReader(io.StringIO(to_csv(big).decode("utf-8"))))
    statements = sorted((s, d["relation"], o) for s, o, d in big.edges(data=True) for _ in d["statements"])
    assert len(rows) == len(statements)
    assert sorted((r["subject_id"], r["relation"], r["object_id"]) for r in rows) == statements


def test_graphml_booleans_and_numbers(gaza):
    """Types survive: ``unmet`` is a boolean, ``statements`` an integer."""
    back = nx.read_graphml(io.BytesIO(to_graphml(gaza)))
    assert {type(d["unmet"]) for _, d in back.nodes(data=True)} == {bool}
    assert {type(d["statements"]) for _, _, d in back.edges(data=True)} == {int}


def test_gexf_and_graphml_edges_have_unique_ids_and_no_internal_attributes(example_built, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """GraphML edge ids were the relation's name (51 edges, a handful of ids); GEXF carried networkx_key."""
    import xml.etree.ElementTree as ET

    from stancegraph.output import project
    from stancegraph.output.export import to_gexf, to_graphml

    graph = project(example_built.dataset)
    for data, edge_tag in ((to_graphml(graph), "{http://graphml.graphdrawing.org/xmlns}edge"),
                           (to_gexf(graph), "{http://www.gexf.net/1.2draft}edge")):
        assert b"networkx_key" not in data
        ids = [e.get("id") for e in ET.fromstring(data).iter(edge_tag)]
        assert len(ids) == graph.number_of_edges() and len(set(ids)) == len(ids)
