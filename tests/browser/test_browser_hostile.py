"""Hostile strings in every field a source or the registry can give: they build, and the page shows them
as text. Nothing they contain runs, loads, opens a dialog or adds an element, whether one hovers or
clicks any node or edge, and whether the page is made from the YAML files or from a built .trig file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from stancegraph.output import project
from stancegraph.output.graphfile import load_dataset

if TYPE_CHECKING:  # the fixtures live in this folder's conftest.py
    from conftest import Cli, ViewPage

IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "</script><script>window.__pwned=2</script>"
SVG = '"><svg onload=window.__pwned=3>'
JS_URL = "javascript:window.__pwned=4"
TEMPLATES = "{{7*7}} ${7*7} <%= 7*7 %> #{7*7} {% raw %}"
COMMENT = "<!--<script>window.__pwned=5</script>-->"
SVG_SCRIPT = "<svg><script>window.__pwned=6</script></svg>"
QUOTES = "'; window.__pwned=7; //\" `${window.__pwned=8}`"
LINK = '<a href="https://evil.example/">click</a><iframe src="https://evil.example/"></iframe>'
STYLE = "<style>body{display:none}</style><link rel=stylesheet href=https://evil.example/x.css>"
ENTITIES = "&lt;b&gt;not bold&lt;/b&gt; &amp;amp; &#60;i&#62;"
CDATA = "]]><![CDATA[ \u2028\u2029 <base href=https://evil.example/>"
MULTILINE = 'first line\n    @prefix x: <https://evil.example/> .\n"""\\"""\n\tlast line: </p><p onclick=window.__pwned=11>'
TITLE = '<img src=x onerror="window.__pwned=9"></title><script>window.__pwned=10</script>'

REGISTRY: dict[str, Any] = {
    "stancegraph": 1,
    "base": "https://example.org/hostile/",
    "actors": {
        "a-img": {"label": IMG, "kind": "state", "aliases": [JS_URL + " (alias)", TEMPLATES + " (alias)"],
                  "description": SCRIPT + " (description)", "note": SVG},
        "a-script": {"label": SCRIPT, "kind": "group", "aliases": [SVG + " (alias)"], "description": LINK},
        "a-outlet": {"label": SVG, "kind": "news-outlet", "description": QUOTES},
        "a-tmpl": {"label": TEMPLATES, "kind": "person", "part-of": "a-script", "description": ENTITIES},
        "a-proto": {"label": "__proto__ constructor toString", "kind": "organization", "description": STYLE},
        "a-lines": {"label": "multi-line texts", "kind": "person", "description": MULTILINE},
    },
    "proposals": {
        "p-js": {"label": JS_URL, "aliases": [LINK + " (alias)"], "description": STYLE + " (description)"},
        "p-svg": {"label": SVG_SCRIPT, "part-of": "p-js", "description": COMMENT + " (description)"},
    },
    "conditions": {
        "c-comment": {"label": COMMENT, "aliases": [ENTITIES + " (alias)"], "description": CDATA},
        "c-cdata": {"label": CDATA, "description": IMG + " (description)"},
    },
}
SOURCES: list[dict[str, Any]] = [
    {
        "stancegraph": 1,
        "source": {"id": "src-one", "title": IMG + " & " + SCRIPT, "publisher": "a-outlet", "published": "2024-03-01",
                   "author": [SVG], "note": SCRIPT},
        "statements": [
            {"subject": "a-img", "relation": "supports", "object": "p-js", "quote": IMG + " (quote)",
             "according-to": ["a-outlet", "a-script"], "hedge": "reportedly", "note": JS_URL + " (note)"},
            {"subject": "a-img", "relation": "supports", "object": "p-js", "quote": LINK + " (quote)"},
            {"subject": "a-img", "relation": "proposes", "object": "p-js", "quote": TEMPLATES + " (quote)"},
            {"subject": "a-script", "relation": "opposes", "object": "p-svg", "quote": SCRIPT + " (quote)",
             "if": ["c-comment"], "note": STYLE + " (note)"},
            {"subject": "p-js", "relation": "requires", "object": "c-comment", "quote": SVG + " (quote)", "status": "unmet"},
            {"subject": "a-img", "relation": "negotiates-with", "object": "a-script", "for": "p-js", "quote": QUOTES + " (quote)"},
            {"subject": "a-outlet", "relation": "controls", "object": "c-cdata", "quote": CDATA + " (quote)"},
            {"subject": "a-proto", "relation": "considers", "object": "p-svg", "quote": "__proto__ (quote)",
             "until": ["c-cdata"]},
        ],
    },
    {
        "stancegraph": 1,
        "source": {"id": "src-two", "title": JS_URL + " " + TEMPLATES + " " + COMMENT, "published": "2024-03-02"},
        "statements": [
            {"subject": "a-img", "relation": "supports", "object": "p-js", "quote": ENTITIES + " (quote)",
             "note": SVG_SCRIPT + " (note)"},
            {"subject": "a-tmpl", "relation": "disagrees-with", "object": "a-img", "quote": COMMENT + " (quote)"},
            {"subject": "a-lines", "relation": "supports", "object": "p-svg", "quote": "a quote (multi-line note)",
             "note": MULTILINE + " (note)"},
        ],
    },
]

# Every text of the corpus that the page is meant to show somewhere (registry notes and source notes
# and authors are not shown).
SHOWN = sorted(
    {e["label"] for section in ("actors", "proposals", "conditions") for e in REGISTRY[section].values()}
    | {a for section in ("actors", "proposals", "conditions") for e in REGISTRY[section].values() for a in e.get("aliases", [])}
    | {e["description"] for section in ("actors", "proposals", "conditions") for e in REGISTRY[section].values()}
    | {s["source"]["title"] for s in SOURCES}
    | {st[k] for s in SOURCES for st in s["statements"] for k in ("quote", "note") if k in st}
)

# Elements a hostile string would add if it were parsed as HTML.
_INJECTED = "img, svg, script, iframe, object, embed, style, link, base, meta, form, frame, video, audio, source, math"

_DOM_JS = """
(injected) => ({
  pwned: typeof window.__pwned === 'undefined' ? null : String(window.__pwned),
  elements: [...document.querySelectorAll(injected)].map(el => el.outerHTML.slice(0, 80)),
  handlers: [...document.querySelectorAll('*')].flatMap(el => [...el.attributes]
      .filter(a => /^on/i.test(a.name) || /__pwned|javascript:/i.test(a.value))
      .map(a => `<${el.tagName.toLowerCase()} ${a.name}="${a.value}">`)),
  links: [...document.querySelectorAll('a[href], area[href]')].map(a => a.getAttribute('href'))
      .filter(h => !/^https?:\\/\\//i.test(h)),
  title: document.title,
  heading: document.querySelector('h1') ? document.querySelector('h1').textContent : null,
})
"""

_PANEL_ELEMENTS_JS = """
(injected) => { const p = document.getElementById('sg-details');
                return p ? [...p.querySelectorAll(injected + ', a:not([href^="http"])')].map(el => el.outerHTML.slice(0, 80)) : []; }
"""


@pytest.fixture(scope="module")
def hostile(cli: Cli, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The corpus, its .trig and its two pages; the commands must all succeed."""
    tmp = tmp_path_factory.mktemp("hostile")
    corpus = tmp / "corpus"
    (corpus / "sources").mkdir(parents=True)
    dump = {"allow_unicode": True, "sort_keys": False, "width": 1_000_000}
    (corpus / "registry.yaml").write_text(yaml.safe_dump(REGISTRY, **dump), encoding="utf-8")
    for source in SOURCES:
        (corpus / "sources" / f"{source['source']['id']}.yaml").write_text(yaml.safe_dump(source, **dump), encoding="utf-8")
    cli("validate", corpus)
    cli("build", corpus, "-o", tmp / "hostile.trig")
    cli("view", corpus, "-o", tmp / "from-yaml.html", "--title", TITLE)
    cli("view", tmp / "hostile.trig", "-o", tmp / "from-trig.html", "--title", TITLE)
    return {"corpus": corpus, "trig-file": tmp / "hostile.trig", "yaml": tmp / "from-yaml.html", "trig": tmp / "from-trig.html"}


@pytest.mark.parametrize("fmt", ["trig", "ttl", "nt", "nq", "jsonld"])
def test_hostile_strings_survive_the_graph_files(cli: Cli, hostile: dict[str, Path], fmt: str, tmp_path: Path) -> None:
    """Before any browser: every graph format keeps every string exactly, through writing and reading back."""
    def texts(graph: Any) -> set[str]:
        found = {graph.nodes[n]["label"] for n in graph} | {a for n in graph for a in graph.nodes[n]["aliases"]}
        found |= {graph.nodes[n]["description"] for n in graph if graph.nodes[n]["description"]}
        for _, _, data in graph.edges(data=True):
            for st in data["statements"]:
                found |= {st["quote"], st["source"]["title"], st["note"]} - {None}
        return found

    assert set(SHOWN) <= texts(project(load_dataset([hostile["corpus"]])))
    cli("build", hostile["corpus"], "-o", tmp_path / f"hostile.{fmt}")
    read_back = texts(project(load_dataset([tmp_path / f"hostile.{fmt}"])))
    assert sorted(set(SHOWN) - read_back) == [], f"the .{fmt} file lost or changed these strings"


@pytest.mark.parametrize("made_from", ["yaml", "trig"])
def test_hostile_strings_are_shown_as_text(view: ViewPage, hostile: dict[str, Path], made_from: str) -> None:
    html = hostile[made_from].read_text(encoding="utf-8")
    for raw in ("<img src=x", "<script>window.__pwned", "<svg onload", "<svg><script", "<iframe src=", "<base href"):
        assert raw not in html, f"the page's HTML holds {raw!r} unescaped"

    view.open(hostile[made_from])
    before = view.js(_DOM_JS, _INJECTED)
    assert before["title"] == TITLE and before["heading"] == TITLE, "the title is shown as text"

    graph = project(load_dataset([hostile["corpus" if made_from == "yaml" else "trig-file"]]))
    # the page's node ids are "n:" + the registry id ("key")
    nodes = view.js("window.stancegraph.nodes.get().map(n => ({id: String(n.id), key: n.key, label: n.fullLabel, "
                    "drawn: n.label}))")
    edges = view.js("window.stancegraph.edges.get().map(e => ({id: String(e.id), from: e.from, to: e.to, relation: e.relation}))")
    assert all(n["id"] == "n:" + n["key"] for n in nodes)
    assert sorted(n["key"] for n in nodes) == sorted(graph.nodes)
    assert len(edges) == graph.number_of_edges()
    key = {n["id"]: n["key"] for n in nodes}
    labels = {n["id"]: n["label"] for n in nodes}
    assert {key[i]: label for i, label in labels.items()} == {n: graph.nodes[n]["label"] for n in graph}, \
        "labels reach the page unchanged"
    # the canvas draws a long label by its short form: the label's own characters, cut at a word
    assert all(n["drawn"] == (graph.nodes[n["key"]].get("short") or n["label"]) for n in nodes)

    seen: list[str] = []
    for node in nodes:
        data = graph.nodes[node["key"]]
        tip = view.hover("node", node["id"])
        assert data["label"] in tip, f"the tooltip of {node['id']!r} does not show its label as text: {tip!r}"
        expect = [data["label"], *data["aliases"], *([data["description"]] if data["description"] else [])]
        panel = view.click("node", node["id"], expect)
        assert data["label"] in panel, f"the panel does not show the label of {node['id']!r} as text: {panel!r}"
        assert view.js(_PANEL_ELEMENTS_JS, _INJECTED) == [], f"clicking {node['id']!r} added elements to the panel"
        seen += [tip, panel]
    for edge in edges:
        statements = next(d["statements"] for s, o, d in graph.edges(data=True)
                          if (s, o, d["relation"]) == (key[edge["from"]], key[edge["to"]], edge["relation"]))
        tip = view.hover("edge", edge["id"])
        assert labels[edge["from"]] in tip and labels[edge["to"]] in tip, f"the tooltip of {edge} does not name its ends: {tip!r}"
        if statements:
            assert any(st["quote"] in tip and st["source"]["title"] in tip for st in statements), \
                f"the tooltip of {edge} shows no quote with its source as text: {tip!r}"
        expect = [labels[edge["from"]], labels[edge["to"]]]
        expect += [text for st in statements for text in (st["quote"], st["source"]["title"], st["note"]) if text]
        panel = view.click("edge", edge["id"], expect)
        assert view.js(_PANEL_ELEMENTS_JS, _INJECTED) == [], f"clicking {edge} added elements to the panel"
        seen += [tip, panel]

    everything = "\n".join(seen)
    assert [text for text in SHOWN if text not in everything] == [], "every hostile string was shown, literally"

    after = view.js(_DOM_JS, _INJECTED)
    assert after["pwned"] is None, f"a hostile string ran: window.__pwned = {after['pwned']}"
    assert after["elements"] == before["elements"], "hovering and clicking added elements a hostile string would make"
    assert after["handlers"] == [], "an element has an event-handler attribute or a javascript: value"
    assert after["links"] == [], "a link goes somewhere other than an http(s) address"
    view.assert_clean()  # no dialog, no console or page error, no request that is not file://


def test_node_with_id_constructor_is_drawn(view: ViewPage, cli: Cli, tmp_path: Path) -> None:
    """'constructor' is a valid registry id (a construction firm, say). vis-network 9.1 keeps its clustered
    nodes in a plain object, where a node id 'constructor' met Object's constructor and the node was never
    drawn: the page prefixes its node ids ("n:constructor") so that no id can."""
    corpus = tmp_path / "corpus"
    (corpus / "sources").mkdir(parents=True)
    (corpus / "registry.yaml").write_text(
        "stancegraph: 1\nactors:\n  constructor: {label: Builder Ltd, kind: organization}\n"
        "proposals:\n  bridge: {label: A new bridge}\n", encoding="utf-8")
    (corpus / "sources" / "s.yaml").write_text(
        "stancegraph: 1\nsource: {id: s, title: A report}\nstatements:\n"
        "  - {subject: constructor, relation: proposes, object: bridge, quote: we propose a bridge}\n", encoding="utf-8")
    cli("view", corpus, "-o", tmp_path / "view.html")
    view.open(tmp_path / "view.html")
    assert sorted(view.js("window.stancegraph.network.body.nodeIndices.map(String)")) == ["n:bridge", "n:constructor"]
    view.click("node", "n:constructor", ["Builder Ltd"])
    view.assert_clean()
