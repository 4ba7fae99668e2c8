"""Exploring the page in headless Chromium, offline: search (labels and aliases), the filters by class,
stance, relation and source, the timeline, the evidence panel and its links, focus from the command line
and in the page, unmet conditions drawn distinctly, and the size limit.

Every expected set is computed here, in Python, from the projection the page is made of
(``project(load_dataset(...))``) and the rules the issue states, never by running the page's own logic:

* a class filter hides exactly the nodes of that class (and the relations that touch them);
* a stance or relation filter hides the relations of that stance or relation; the page then shows the
  nodes that keep a relation;
* a source filter and the timeline keep the relations some kept statement states (the sources left
  checked; the statements dated up to the date on the slider). A relation of the registry that no
  source states ("part of") is shown when both of its nodes are shown, and brings in no node of its own:
  the graph as it stood at a date holds nothing that only a later source names.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pytest
import yaml

from stancegraph.output import ViewOptions, project, render_html
from stancegraph.output.graphfile import load_dataset

if TYPE_CHECKING:  # the fixtures live in this folder's conftest.py
    from conftest import Cli, ViewPage

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "gaza-day-after"
NEWSMAX = "newsmax-2024-03-pentagon-gaza-force"
SUMMARY = "summary-2024-03-30-pentagon-gaza-force"
TEAM_2025 = "team-2025-11-17-resolution-2803"
UNMET_BORDER = "#d50000"

Edge = tuple[str, str, str]  # (page id of the from node, page id of the to node, relation)

# --------------------------------------------------------------------------- a small corpus of our own

URL_ONE = "https://example.org/news/canal?id=1&lang=en"
URL_THREE = "http://example.com/reports/three"
REGISTRY: dict[str, Any] = {
    "stancegraph": 1,
    "base": "https://example.org/explore/",
    "actors": {
        "alpha": {"label": "Alpha Republic", "kind": "state", "aliases": ["Alphaland"]},
        "alpha-ministry": {"label": "Alpha Ministry of Works", "kind": "government-agency", "part-of": "alpha"},
        "beta": {"label": "Beta League", "kind": "group"},
        "gamma": {"label": "Gamma Union", "kind": "state"},
        "ledger": {"label": "The Daily Ledger", "kind": "news-outlet"},
        "wire": {"label": "Wire Service", "kind": "news-outlet"},
        "insider": {"label": "An anonymous insider", "kind": "anonymous-source"},
    },
    "proposals": {
        "canal": {"label": "The canal project"},
        "toll": {"label": "A canal toll", "part-of": "canal"},
    },
    "conditions": {
        "funding": {"label": "Funding is secured"},
        "permit": {"label": "A permit is granted"},
    },
}
SOURCES: list[dict[str, Any]] = [
    {
        "stancegraph": 1,
        "source": {"id": "s-january", "title": "Alpha backs the canal", "publisher": "ledger", "published": "2024-01-10",
                   "url": URL_ONE},
        "statements": [
            {"subject": "alpha", "relation": "supports", "object": "canal", "according-to": ["wire", "insider"],
             "quote": "Alpha will back the canal, an insider told the wire"},
            {"subject": "canal", "relation": "requires", "object": "funding", "status": "unmet",
             "quote": "no money has been found for the canal yet"},
            {"subject": "beta", "relation": "opposes", "object": "canal", "quote": "Beta rejects the canal outright"},
        ],
    },
    {
        "stancegraph": 1,
        "source": {"id": "s-february", "title": "Gamma weighs the canal", "publisher": "wire", "published": "2024-02-10"},
        "statements": [
            {"subject": "gamma", "relation": "considers", "object": "canal", "quote": "Gamma is studying the canal plans"},
            {"subject": "alpha", "relation": "supports", "object": "canal", "quote": "Alpha repeated its support for the canal"},
            {"subject": "beta", "relation": "negotiates-with", "object": "gamma", "for": "canal",
             "quote": "Beta and Gamma met to talk about the canal"},
        ],
    },
    {
        "stancegraph": 1,
        "source": {"id": "s-march", "title": "A toll for the canal", "published": "2024-03-10", "url": URL_THREE},
        "statements": [
            {"subject": "alpha-ministry", "relation": "supports", "object": "toll", "quote": "the ministry wants a toll"},
            {"subject": "canal", "relation": "requires", "object": "permit", "status": "met",
             "quote": "the permit for the canal was granted on Monday"},
            {"subject": "beta", "relation": "opposes", "object": "canal", "quote": "Beta still opposes the canal"},
        ],
    },
]
DATES = ["2024-01-10", "2024-02-10", "2024-03-10"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("explore") / "corpus"
    (folder / "sources").mkdir(parents=True)
    dump = {"allow_unicode": True, "sort_keys": False, "width": 1_000_000}
    (folder / "registry.yaml").write_text(yaml.safe_dump(REGISTRY, **dump), encoding="utf-8")
    for source in SOURCES:
        (folder / "sources" / f"{source['source']['id']}.yaml").write_text(yaml.safe_dump(source, **dump), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def corpus_view(browser: Any, cli: Cli, corpus: Path) -> Path:
    cli("validate", corpus)
    out = corpus.parent / "corpus.html"
    cli("view", corpus, "-o", out)
    return out


# --------------------------------------------------------------------------- expectations, in Python


def pid(node: str) -> str:
    return f"n:{node}"


class Expect:
    """What the page should show, computed from the projection."""

    def __init__(self, source: Path) -> None:
        self.graph = project(load_dataset([source]))
        self.nodes = {pid(n) for n in self.graph}
        self.cls = {pid(n): d["cls"] for n, d in self.graph.nodes(data=True)}
        self.edges: dict[Edge, dict[str, Any]] = {(pid(s), pid(o), d["relation"]): d for s, o, d in self.graph.edges(data=True)}

    @staticmethod
    def ends(edges: set[Edge]) -> set[str]:
        return {n for s, o, _ in edges for n in (s, o)}

    def without_class(self, cls: str) -> tuple[set[str], set[Edge]]:
        nodes = {n for n in self.nodes if self.cls[n] != cls}
        return nodes, {e for e in self.edges if e[0] in nodes and e[1] in nodes}

    def edge_filter(self, keep: Callable[[dict[str, Any]], bool]) -> tuple[set[str], set[Edge]]:
        edges = {e for e, d in self.edges.items() if keep(d)}
        return self.ends(edges), edges

    def statements(self, keep: Callable[[dict[str, Any]], bool]) -> tuple[set[str], set[Edge]]:
        stated = {e for e, d in self.edges.items() if any(keep(st) for st in d["statements"])}
        shown = self.ends(stated)
        registry = {e for e, d in self.edges.items() if not d["statements"] and e[0] in shown and e[1] in shown}
        return shown, stated | registry

    def everything(self) -> tuple[set[str], set[Edge]]:
        return set(self.nodes), set(self.edges)


@pytest.fixture(scope="module")
def example() -> Expect:
    return Expect(EXAMPLE)


# --------------------------------------------------------------------------- reading the page

_SHOWN_JS = """
() => {
  const sg = window.stancegraph;
  const byId = Object.fromEntries(sg.edges.get().map(e => [String(e.id), [e.from, e.to, e.relation]]));
  return {
    nodes: sg.visibleNodes().map(String),
    edges: sg.visibleEdges().map(id => byId[String(id)]),
    drawnNodes: sg.network.body.nodeIndices.map(String),
    drawnEdges: sg.network.body.edgeIndices.filter(id => sg.network.body.edges[id].connected).map(id => byId[String(id)]),
    counted: [document.body.getAttribute('data-visible-nodes'), document.body.getAttribute('data-visible-edges')],
  };
}
"""


def shown(view: ViewPage) -> tuple[set[str], set[Edge]]:
    """The nodes and relations the page says it shows, checked against what vis-network draws."""
    state = view.js(_SHOWN_JS)
    nodes, edges = set(state["nodes"]), {tuple(e) for e in state["edges"]}
    assert len(nodes) == len(state["nodes"]) and len(edges) == len(state["edges"])
    assert set(state["drawnNodes"]) == nodes, "vis-network draws other nodes than the page says it shows"
    assert {tuple(e) for e in state["drawnEdges"]} == edges, "vis-network draws other relations than the page says it shows"
    assert state["counted"] == [str(len(nodes)), str(len(edges))], "body[data-visible-*] disagree with what is shown"
    return nodes, edges


def assert_shows(view: ViewPage, expected: tuple[set[str], set[Edge]], what: str) -> None:
    nodes, edges = shown(view)
    want_nodes, want_edges = expected
    assert nodes == want_nodes, (f"{what}: nodes shown but not expected {sorted(nodes - want_nodes)}, "
                                 f"expected but not shown {sorted(want_nodes - nodes)}")
    assert edges == want_edges, (f"{what}: relations shown but not expected {sorted(edges - want_edges)}, "
                                 f"expected but not shown {sorted(want_edges - edges)}")


def open_filters(view: ViewPage) -> None:
    if not view.js("document.getElementById('sg-filters').open"):
        view.page.click("#sg-filters > summary")


#: the set each kind of filter box filters (its data-filter): a relation's box sits under its stance, where
#: the relation carries one, and under "Other relations" otherwise
FILTER_SET = {"class": "classes", "stance": "stances", "relation": "relations", "source": "sources"}


def box(view: ViewPage, fieldset: str, value: str) -> Any:
    boxes = view.page.locator(f'#sg-filters input[data-filter="{FILTER_SET[fieldset]}"]').all()
    found = [b for b in boxes if b.get_attribute("value") == value]
    assert len(found) == 1, f"the filters have {len(found)} {fieldset} checkboxes for {value!r}"
    return found[0]


def checkbox_values(view: ViewPage, fieldset: str) -> list[str]:
    return view.js(f"[...document.querySelectorAll('#sg-filters input[data-filter=\"{FILTER_SET[fieldset]}\"]')].map(b => b.value)")


def reset(view: ViewPage, expect: Expect) -> None:
    view.page.click("#sg-reset")
    assert_shows(view, expect.everything(), "after Reset filters")
    assert view.js("[...document.querySelectorAll('#sg-filters input[type=checkbox]')].every(b => b.checked)"), \
        "Reset filters leaves a box unchecked"


def panel_text(view: ViewPage) -> str:
    return view.js("document.getElementById('sg-details').textContent")


def on_screen(view: ViewPage, selector: str) -> bool:
    """The element's centre is in the window and not covered or scrolled away: what a user can see."""
    return view.js("""(sel) => { const el = document.querySelector(sel); if (!el) return false;
        const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
        if (r.width === 0 || x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) return false;
        const hit = document.elementFromPoint(x, y); return hit !== null && (hit === el || el.contains(hit)); }""", selector)


def panel_visible(view: ViewPage) -> bool:
    return view.js("(() => { const p = document.getElementById('sg-details');"
                   " return !p.hidden && getComputedStyle(p).display !== 'none' && p.getBoundingClientRect().height > 0; })()")


# --------------------------------------------------------------------------- search


def search_results(view: ViewPage, text: str) -> list[str]:
    view.page.fill("#sg-search", "")
    view.page.locator("#sg-search").press_sequentially(text)
    return view.js("[...document.querySelectorAll('#sg-search-results button[data-node]')].map(b => b.getAttribute('data-node'))")


def named(expect: Expect, text: str) -> set[str]:
    """Nodes whose id, label or one of whose aliases contains ``text`` (case-insensitively)."""
    q = text.lower()
    return {pid(n) for n, d in expect.graph.nodes(data=True) if any(q in x.lower() for x in (n, d["label"], *d["aliases"]))}


def test_search_by_alias_and_label_selects_and_shows_the_node(view: ViewPage, example_views: dict[str, Path],
                                                               example: Expect) -> None:
    view.open(example_views["yaml"])
    dod = example.graph.nodes["dod"]
    assert "Pentagon" in dod["aliases"] and "Pentagon" not in dod["label"]

    found = search_results(view, "Pentagon")  # an alias only
    assert found == ["n:dod"], f"searching an alias lists {found}"
    assert "U.S. Department of Defense" in view.js("document.querySelector('#sg-search-results button').textContent")
    assert not panel_visible(view), "the details panel is open before anything was chosen"
    view.page.click('#sg-search-results button[data-node="n:dod"]')
    assert view.js("window.stancegraph.network.getSelectedNodes().map(String)") == ["n:dod"]
    assert panel_visible(view)
    assert dod["label"] in panel_text(view)

    found = search_results(view, "israel")  # labels, whatever the case
    assert set(found) == named(example, "israel") and len(found) == len(set(found))
    assert {"n:israel", "n:israeli-government", "n:israel-approval"} <= set(found)

    found = search_results(view, "two-state")  # a label found through its alias and its id too, listed once
    assert found == ["n:two-state-commitment"]
    view.page.press("#sg-search", "Enter")  # Enter takes the first result
    assert view.js("window.stancegraph.network.getSelectedNodes().map(String)") == ["n:two-state-commitment"]
    assert "A commitment to a two-state solution" in panel_text(view)

    assert search_results(view, "no such thing anywhere") == []
    view.assert_clean()


def test_search_finds_a_node_the_filters_hide(view: ViewPage, example_views: dict[str, Path], example: Expect) -> None:
    """Choosing a search result shows the node even when a filter hid it: newsmax has no relation, so any
    relation filter hides it; the dod's class can be unchecked."""
    view.open(example_views["yaml"])
    open_filters(view)
    box(view, "source", SUMMARY).uncheck()
    assert "n:newsmax" not in shown(view)[0]
    assert search_results(view, "Newsmax") == ["n:newsmax"]
    view.page.press("#sg-search", "Enter")
    assert "n:newsmax" in shown(view)[0], "the node chosen in the search is not shown"
    assert view.js("window.stancegraph.network.getSelectedNodes().map(String)") == ["n:newsmax"]
    assert panel_visible(view) and "Newsmax" in panel_text(view)

    view.page.click("#sg-reset")
    box(view, "class", "actor").uncheck()
    assert "n:dod" not in shown(view)[0]
    search_results(view, "Pentagon")
    view.page.click('#sg-search-results button[data-node="n:dod"]')
    assert "n:dod" in shown(view)[0]
    assert box(view, "class", "actor").is_checked(), "the class box stays unchecked while its node is shown"
    assert view.js("window.stancegraph.network.getSelectedNodes().map(String)") == ["n:dod"]
    view.assert_clean()


def test_keys_go_to_the_control_that_has_the_focus(view: ViewPage, example_views: dict[str, Path]) -> None:
    """Typing "-" or "+" into the search box types them (vis-network's keyboard zoom, bound to the whole
    window, swallowed them); the keys still move the network once it has the focus."""
    view.open(example_views["yaml"])
    scale = view.js("window.stancegraph.network.getScale()")
    view.page.locator("#sg-search").press_sequentially("Palestinian-led [+=]")
    assert view.page.input_value("#sg-search") == "Palestinian-led [+=]"
    assert view.js("window.stancegraph.network.getScale()") == scale, "typing in the search box zoomed the network"
    view.page.fill("#sg-search", "")
    view.page.locator("#sg-search").press_sequentially("Palestinian-led")
    assert view.js("[...document.querySelectorAll('#sg-search-results button')].map(b => b.getAttribute('data-node'))") == \
        ["n:palestinian-led-force"]

    empty = view.point(None)
    assert empty is not None
    view.page.mouse.click(*empty)
    view.page.keyboard.down("-")
    view.page.wait_for_function("(s) => window.stancegraph.network.getScale() < s", arg=scale)
    view.page.keyboard.up("-")
    view.assert_clean()


# --------------------------------------------------------------------------- filters


def test_class_filters_hide_exactly_their_nodes(view: ViewPage, example_views: dict[str, Path], example: Expect) -> None:
    view.open(example_views["yaml"])
    assert_shows(view, example.everything(), "at first")
    open_filters(view)
    assert sorted(checkbox_values(view, "class")) == ["actor", "condition", "proposal"]
    for cls in ("actor", "proposal", "condition"):
        box(view, "class", cls).uncheck()
        expected = example.without_class(cls)
        assert expected[0] and expected[0] != example.nodes
        assert_shows(view, expected, f"{cls} unchecked")
        reset(view, example)
    view.assert_clean()


def test_stance_filters_hide_their_relations(view: ViewPage, example_views: dict[str, Path], example: Expect) -> None:
    view.open(example_views["yaml"])
    open_filters(view)
    stances = checkbox_values(view, "stance")
    assert sorted(stances) == sorted({d["stance"] for d in example.edges.values() if d["stance"]})
    for stance in stances:
        box(view, "stance", stance).uncheck()
        expected = example.edge_filter(lambda d: d["stance"] != stance)
        assert expected[1] != set(example.edges), f"no relation has the stance {stance}"
        assert_shows(view, expected, f"stance {stance} unchecked")
        reset(view, example)
    for stance in stances:  # all of them
        box(view, "stance", stance).uncheck()
    assert_shows(view, example.edge_filter(lambda d: d["stance"] is None), "every stance unchecked")
    reset(view, example)
    view.assert_clean()


def test_relation_filters_hide_their_relations(view: ViewPage, example_views: dict[str, Path], example: Expect) -> None:
    view.open(example_views["yaml"])
    open_filters(view)
    relations = checkbox_values(view, "relation")
    assert sorted(relations) == sorted({d["relation"] for d in example.edges.values()})
    for relation in relations:
        box(view, "relation", relation).uncheck()
        assert_shows(view, example.edge_filter(lambda d: d["relation"] != relation), f"relation {relation} unchecked")
        reset(view, example)
    view.assert_clean()


def test_source_filters_keep_what_the_other_source_states(view: ViewPage, example_views: dict[str, Path],
                                                          example: Expect, tmp_path: Path) -> None:
    view.open(example_views["yaml"])
    open_filters(view)
    assert sorted(checkbox_values(view, "source")) == sorted([NEWSMAX, SUMMARY, TEAM_2025])
    both = {e for e, d in example.edges.items() if {st["source"]["id"] for st in d["statements"]} == {NEWSMAX, SUMMARY}}
    assert both, "some relation of the example is stated by both sources"
    for source, other in ((SUMMARY, NEWSMAX), (NEWSMAX, SUMMARY)):
        box(view, "source", TEAM_2025).uncheck()  # the two March 2024 reports, one against the other
        box(view, "source", source).uncheck()
        expected = example.statements(lambda st: st["source"]["id"] == other)
        only = {e for e, d in example.edges.items() if {st["source"]["id"] for st in d["statements"]} == {source}}
        assert only and not only & expected[1], f"some relation is stated by {source} alone"
        assert both <= expected[1]
        assert_shows(view, expected, f"source {source} unchecked")
        if source == SUMMARY:
            assert "n:stakeholder-alignment" not in expected[0]  # the summary alone names it
            shot = tmp_path / "filtered-newsmax-only.png"
            view.page.screenshot(path=str(shot))
            print(f"screenshot of a filtered view: {shot}")
        reset(view, example)
    for source in (SUMMARY, NEWSMAX, TEAM_2025):
        box(view, "source", source).uncheck()
    assert_shows(view, (set(), set()), "no source checked")
    reset(view, example)
    view.assert_clean()


def test_filters_combine_and_reset_restores_everything(view: ViewPage, example_views: dict[str, Path],
                                                       example: Expect) -> None:
    view.open(example_views["yaml"])
    open_filters(view)
    box(view, "relation", "part-of").uncheck()
    box(view, "stance", "considering").uncheck()
    expected = example.edge_filter(lambda d: d["relation"] != "part-of" and d["stance"] != "considering")
    assert_shows(view, expected, "part-of and considering unchecked")
    assert view.js("document.getElementById('sg-shown').textContent") == \
        f"showing {len(expected[0])} of {len(example.nodes)} nodes, {len(expected[1])} of {len(example.edges)} relations"
    reset(view, example)
    assert view.js("document.getElementById('sg-shown').textContent") == ""
    view.assert_clean()


# --------------------------------------------------------------------------- timeline


def test_timeline_shows_the_graph_as_it_stood(view: ViewPage, corpus_view: Path, corpus: Path) -> None:
    expect = Expect(corpus)
    view.open(corpus_view)
    assert view.js("window.stancegraph.data.filters.dates") == DATES
    slider = view.page.locator("#sg-timeline")
    assert slider.is_visible()
    assert slider.get_attribute("max") == str(len(DATES) - 1)
    assert_shows(view, expect.everything(), "at first")
    assert DATES[-1] in view.page.text_content("#sg-timeline-date")

    slider.focus()
    view.page.keyboard.press("Home")
    for i, date in enumerate(DATES):
        if i:
            view.page.keyboard.press("ArrowRight")
        assert slider.input_value() == str(i)
        assert date in view.page.text_content("#sg-timeline-date"), f"the timeline's label does not show {date}"
        sources = {s["source"]["id"] for s in SOURCES[: i + 1]}
        expected = expect.everything() if i == len(DATES) - 1 else expect.statements(lambda st: st["source"]["id"] in sources)
        assert_shows(view, expected, f"as of {date}")
        if i == 0:
            # what only a later source names is not there yet, even what the registry puts "part of" a shown node
            assert expected[0] == {"n:alpha", "n:canal", "n:funding", "n:beta"}
            assert "n:alpha-ministry" not in expected[0] and "n:toll" not in expected[0]
    for i in (1, 0):
        view.page.keyboard.press("ArrowLeft")
        assert slider.input_value() == str(i)
    view.page.click("#sg-filters > summary")
    view.page.click("#sg-reset")
    assert slider.input_value() == str(len(DATES) - 1)
    assert_shows(view, expect.everything(), "after Reset filters")
    view.assert_clean()


def test_source_filter_keeps_registry_relations_between_shown_nodes(view: ViewPage, corpus_view: Path, corpus: Path) -> None:
    expect = Expect(corpus)
    view.open(corpus_view)
    open_filters(view)
    box(view, "source", "s-january").uncheck()
    expected = expect.statements(lambda st: st["source"]["id"] != "s-january")
    assert ("n:alpha-ministry", "n:alpha", "part-of") in expected[1] and ("n:toll", "n:canal", "part-of") in expected[1]
    assert ("n:beta", "n:canal", "opposes") in expected[1]  # also stated by s-march
    assert "n:funding" not in expected[0]  # s-january alone
    assert_shows(view, expected, "s-january unchecked")
    view.assert_clean()


# --------------------------------------------------------------------------- evidence panel


def edge_id(view: ViewPage, edge: Edge) -> str:
    found = view.js("(e) => window.stancegraph.edges.get().filter(x => x.from === e[0] && x.to === e[1] && x.relation === e[2])"
                    ".map(x => String(x.id))", list(edge))
    assert len(found) == 1, f"the page has {len(found)} edges {edge}"
    return found[0]


_STATEMENTS_JS = """
() => [...document.querySelectorAll('#sg-details .sg-statement')].map(b => ({
  text: b.textContent,
  quote: b.querySelector('.sg-quote').textContent,
  links: [...b.querySelectorAll('a')].map(a => ({text: a.textContent, href: a.getAttribute('href'),
                                                target: a.getAttribute('target'), rel: a.getAttribute('rel')})),
}))
"""


def chain(source: dict[str, Any], statement: dict[str, Any]) -> list[str]:
    """The attribution chain of a statement of SOURCES, by the documented rule: the publisher, then the
    statement's according-to (else the source's cites)."""
    actors = REGISTRY["actors"]
    head = [actors[source["publisher"]]["label"]] if "publisher" in source else []
    return head + [actors[a]["label"] for a in statement.get("according-to", source.get("cites", []))]


def test_edge_click_shows_every_statement_with_its_source(view: ViewPage, corpus_view: Path, corpus: Path) -> None:
    expect = Expect(corpus)
    labels = {pid(n): d["label"] for n, d in expect.graph.nodes(data=True)}
    written: dict[Edge, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)  # as the corpus says it
    for s in SOURCES:
        for st in s["statements"]:
            written[(pid(st["subject"]), pid(st["object"]), st["relation"])].append((s["source"], st))
    assert set(written) <= set(expect.edges)

    view.open(corpus_view)
    for edge, statements in written.items():
        view.click("edge", edge_id(view, edge), [labels[edge[0]], labels[edge[1]]])
        blocks = view.js(_STATEMENTS_JS)
        assert len(blocks) == len(statements), f"{edge}: {len(blocks)} statements shown, {len(statements)} written"
        for source, st in statements:
            mine = [b for b in blocks if b["quote"] == f"\u201c{st['quote']}\u201d"]
            assert len(mine) == 1, f"{edge}: the quote {st['quote']!r} is not shown exactly once: {blocks}"
            text = mine[0]["text"]
            assert source["title"] in text, f"{edge}: no source title in {text!r}"
            assert source["published"] in text, f"{edge}: no date in {text!r}"
            if "publisher" in source:
                assert REGISTRY["actors"][source["publisher"]]["label"] in text, f"{edge}: no outlet in {text!r}"
            if chain(source, st):
                assert "according to " + " \u2192 ".join(chain(source, st)) in text, f"{edge}: no attribution chain in {text!r}"
            else:
                assert "according to" not in text
            if "url" in source:
                assert mine[0]["links"] == [{"text": "Open the source", "href": source["url"], "target": "_blank",
                                             "rel": "noopener noreferrer"}], f"{edge}: {mine[0]['links']}"
            else:
                assert mine[0]["links"] == [], f"{edge}: a link for a source without url"

    # spelled out once, in case the rule above and the page agree on something wrong
    text = view.click("edge", edge_id(view, ("n:alpha", "n:canal", "supports")), ["Alpha Republic", "The canal project"])
    assert "according to The Daily Ledger \u2192 Wire Service \u2192 An anonymous insider" in text
    assert "Alpha backs the canal \u2014 The Daily Ledger \u2014 2024-01-10" in text
    assert "Gamma weighs the canal \u2014 Wire Service \u2014 2024-02-10" in text
    assert [link["href"] for b in view.js(_STATEMENTS_JS) for link in b["links"]] == [URL_ONE]
    view.assert_clean()


def test_view_drops_source_urls_that_are_not_http(view: ViewPage, corpus: Path, tmp_path: Path) -> None:
    """The tool refuses a source url that is not http(s); a graph from elsewhere may still carry one. The
    page gets no link for it, and the page itself makes none even if its data carried one."""
    graph = project(load_dataset([corpus]))
    for _, _, data in graph.edges(data=True):
        for st in data["statements"]:
            if st["source"]["id"] == "s-january":
                st["source"]["url"] = "javascript:alert(1)"
    html = render_html(graph, ViewOptions(title="bad url"))
    page_data = json.loads(re.search(r'<script id="sg-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    urls = {s["id"]: s["url"] for s in page_data["filters"]["sources"]}
    assert urls == {"s-january": None, "s-february": None, "s-march": URL_THREE}
    assert "javascript:alert" not in html

    # and if the data did carry it (a page edited by hand, an older writer): the page refuses it too
    smuggled = html.replace('"url": null', '"url": "javascript:alert(1)"', 2)
    assert smuggled.count("javascript:alert(1)") == 2
    for name, page in (("dropped.html", html), ("smuggled.html", smuggled)):
        (tmp_path / name).write_text(page, encoding="utf-8")
        view.open(tmp_path / name)
        view.click("edge", edge_id(view, ("n:alpha", "n:canal", "supports")), ["Alpha Republic", "Alpha will back the canal"])
        assert view.js("[...document.querySelectorAll('#sg-details a')].map(a => a.getAttribute('href'))") == [], name
        text = view.click("edge", edge_id(view, ("n:beta", "n:canal", "opposes")), ["Beta rejects", "Beta still opposes"])
        assert view.js("[...document.querySelectorAll('#sg-details a')].map(a => a.getAttribute('href'))") == [URL_THREE], text
    view.assert_clean()


# --------------------------------------------------------------------------- focus


def neighbourhood(expect: Expect, node: str, depth: int) -> tuple[set[str], set[Edge]]:
    simple = nx.Graph()
    simple.add_nodes_from(expect.graph.nodes)
    simple.add_edges_from((s, o) for s, o in expect.graph.edges())
    reach = {pid(n) for n in nx.ego_graph(simple, node, radius=depth)}
    return reach, {e for e in expect.edges if e[0] in reach and e[1] in reach}


def test_focus_from_the_command_line(view: ViewPage, cli: Cli, example: Expect, tmp_path: Path) -> None:
    out = tmp_path / "israel.html"
    cli("view", EXAMPLE, "--focus", "israel", "--depth", "1", "-o", out)
    expected = neighbourhood(example, "israel", 1)
    assert 1 < len(expected[0]) < len(example.nodes)
    view.open(out)
    assert {n["id"] for n in view.js("window.stancegraph.data.nodes")} == expected[0]
    assert_shows(view, expected, "--focus israel --depth 1")
    assert view.js("window.stancegraph.network.getSelectedNodes().map(String)") == ["n:israel"]
    assert panel_visible(view)
    assert view.js("document.querySelector('#sg-details h2').textContent") == "Israel"
    view.assert_clean()

    done = cli("view", EXAMPLE, "--focus", "nosuch", "-o", tmp_path / "nosuch.html", ok=False)
    assert done.returncode == 1
    assert "no node 'nosuch'" in done.stderr and "Known nodes" in done.stderr
    done = cli("view", EXAMPLE, "--focus", "israell", "-o", tmp_path / "typo.html", ok=False)
    assert done.returncode == 1
    assert "Did you mean 'israel'" in done.stderr
    assert not (tmp_path / "nosuch.html").exists() and not (tmp_path / "typo.html").exists()


@pytest.mark.parametrize("node", ["israel", "gaza-day-after-plan"])
def test_show_neighbourhood_in_the_page(view: ViewPage, example_views: dict[str, Path], example: Expect, node: str) -> None:
    view.open(example_views["yaml"])
    open_filters(view)  # the open filters push the details panel below the fold: it must scroll into view
    label = example.graph.nodes[node]["label"]
    view.click("node", pid(node), [label])
    assert on_screen(view, "#sg-details h2"), "the details panel opened out of sight"
    assert on_screen(view, '#sg-details .sg-neighbourhood[data-depth="1"]')
    view.page.click('#sg-details .sg-neighbourhood[data-depth="1"]')
    expected = neighbourhood(example, node, 1)
    assert len(expected[0]) < len(example.nodes)
    assert_shows(view, expected, f"neighbourhood of {node}")
    assert view.page.locator("#sg-focus-box").is_visible()
    assert label in view.page.text_content("#sg-focus-label")

    view.page.click("#sg-show-all")
    assert_shows(view, example.everything(), "after Show all")
    assert not view.page.locator("#sg-focus-box").is_visible()

    view.click("node", pid(node), [label])
    view.page.click('#sg-details .sg-neighbourhood[data-depth="2"]')
    assert_shows(view, neighbourhood(example, node, 2), f"2 steps around {node}")
    view.page.click("#sg-show-all")
    assert_shows(view, example.everything(), "after Show all")
    view.assert_clean()


# --------------------------------------------------------------------------- unmet conditions


def test_unmet_conditions_are_outlined_in_red(view: ViewPage, example_views: dict[str, Path], example: Expect,
                                             corpus_view: Path, corpus: Path) -> None:
    from stancegraph.output.dates import latest_status

    for page, expect in ((example_views["yaml"], example), (corpus_view, Expect(corpus))):
        said: dict[str, dict[str, tuple[str | None, str]]] = {}  # condition → statement → (date, status)
        for e, d in expect.edges.items():
            if expect.cls[e[1]] == "condition":
                for st in d["statements"]:
                    if st["status"]:
                        said.setdefault(e[1], {})[st["iri"]] = (st["date"], st["status"])
        # unmet as its latest statements say: the example's hostages, unmet in March 2024, met in October 2025
        unmet = {c for c, sts in said.items() if latest_status(list(sts.values())) == "unmet"}
        assert unmet and unmet != {n for n in expect.nodes if expect.cls[n] == "condition"}
        view.open(page)
        borders = view.js("Object.fromEntries(window.stancegraph.nodes.get().map(n => [String(n.id), "
                          "[n.color.border, n.color.background, n.borderWidth]]))")
        red = {n for n, (border, _, _) in borders.items() if border == UNMET_BORDER}
        assert red == unmet, f"outlined in red: {sorted(red)}; stated as unmet: {sorted(unmet)}"
        for n in unmet:
            assert borders[n][1] != UNMET_BORDER and borders[n][2] > max(borders[m][2] for m in borders if m not in unmet)
        view.assert_clean()
    assert "n:hostages-released" not in red


# --------------------------------------------------------------------------- size limit


def test_beyond_the_size_limit_the_most_central_nodes_are_drawn(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "big.html"
    done = cli("view", EXAMPLE, "--max-nodes", "5", "--central", "4", "-o", out)
    assert "the graph has 39 nodes" in done.stderr and "drew the 4 most central" in done.stderr, done.stderr
    assert "left out 35 nodes" in done.stderr and "--focus ID" in done.stderr, done.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    cli("view", EXAMPLE, "--max-nodes", "39", "-o", out)  # the example has 39 nodes: all drawn, nothing said
