"""Issue 13, parts 5 and 7 in headless Chromium: the page's state in its address (a link reopens the same
view; a hostile or stale fragment is ignored), the PNG and SVG exports of the current view, and the
questions as tools (shortest path with the quotes along it, neighbourhood of N steps, who else holds a
stance on a proposal).

Expected sets are computed here from the projection the page is made of (``project(load_dataset(...))``)
with networkx, never by running the page's own logic."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pytest
from test_browser_hostile import IMG, SCRIPT, SVG_SCRIPT, hostile  # noqa: F401 (the fixture is used by name)


if TYPE_CHECKING:  # the fixtures live in this folder's conftest.py
    from conftest import ViewPage

SVG_NS = "{http://www.w3.org/2000/svg}"

_SHOWN_JS = "[window.stancegraph.visibleNodes().map(String).sort(), window.stancegraph.visibleEdges().map(String).sort()]"


def pid(node: str) -> str:
    return f"n:{node}"


def shown(view: ViewPage) -> tuple[list[str], list[str]]:
    nodes, edges = view.js(_SHOWN_JS)
    return nodes, edges


def written_fragment(view: ViewPage) -> str:
    """The page's address fragment once the page has written it (after the handlers of the last action)."""
    view.page.wait_for_timeout(50)
    return view.js("location.hash")


def choose(view: ViewPage, text: str, node: str) -> None:
    """Find a node with the search box and open its panel from the results, as a user would."""
    view.page.fill("#sg-search", text)
    view.page.click(f'#sg-search-results button[data-node="{node}"]')
    view.page.wait_for_function("(id) => document.querySelector('#sg-details h2') && "
                                "window.stancegraph.network.getSelectedNodes().map(String).includes(id)", arg=node)


# --------------------------------------------------------------------------- shareable state


def test_fragment_round_trip(view: ViewPage, fresh_view: ViewPage, example_views: dict[str, Path]) -> None:
    view.open(example_views["yaml"])
    assert written_fragment(view) == "", "an untouched page has no state to keep"
    view.page.click("#sg-filters summary")
    view.page.uncheck('#sg-filter-stance input[value="considering"]')
    view.page.uncheck('#sg-filter-class input[value="condition"]')
    choose(view, "israel", "n:israel")
    view.page.fill("#sg-depth", "2")
    view.page.click("#sg-details .sg-neighbourhood-n")
    view.page.select_option("#sg-size", "degree")
    view.click("node", "n:biden-administration", ["Biden administration"])
    fragment = written_fragment(view)
    for part in ("hide-stance=considering", "hide-class=condition", "focus=israel", "depth=2", "size=degree",
                 "node=biden-administration"):
        assert part in fragment.split("#", 1)[1].split("&"), f"{part!r} is not in {fragment!r}"
    before = shown(view)
    assert 1 < len(before[0]) < len(view.js("window.stancegraph.data.nodes"))

    fresh_view.open(example_views["yaml"], fragment)
    assert shown(fresh_view) == before, "the link does not reopen the same nodes and relations"
    assert fresh_view.js("location.hash") == fragment
    assert fresh_view.js("window.stancegraph.network.getSelectedNodes().map(String)") == ["n:biden-administration"]
    assert fresh_view.page.text_content("#sg-details h2") == "Biden administration"
    assert fresh_view.page.is_checked('#sg-filter-stance input[value="conditional"]')
    assert not fresh_view.page.is_checked('#sg-filter-stance input[value="considering"]')
    assert fresh_view.js("document.body.getAttribute('data-size-by')") == "degree"
    assert fresh_view.page.is_visible("#sg-focus-box") and "Israel" in fresh_view.page.text_content("#sg-focus-label")

    # an edge selected, the timeline moved back, the labels in Hebrew: the same again
    dates = fresh_view.js("window.stancegraph.data.filters.dates")
    fresh_view.page.click("#sg-show-all")
    fresh_view.js("() => { const t = document.getElementById('sg-timeline'); t.value = '0'; "
                  "t.dispatchEvent(new Event('input', {bubbles: true})); }")
    fresh_view.page.select_option("#sg-lang", "he")
    edge = fresh_view.js("window.stancegraph.data.edges.find(e => e.from === 'n:israel' && e.relation === 'must-approve').id")
    fresh_view.click("edge", edge, ["must approve"])
    fragment = written_fragment(fresh_view)
    assert f"until={dates[0]}" in fragment and "lang=he" in fragment and "edge=israel+must-approve+gaza-day-after-plan" in fragment
    again = shown(fresh_view)
    view.open(example_views["yaml"], fragment)
    assert shown(view) == again
    assert view.js("window.stancegraph.network.getSelectedEdges().map(String)") == [edge]
    assert view.js("document.documentElement.lang") == "he"
    view.assert_clean()
    fresh_view.assert_clean()


HOSTILE_FRAGMENTS = [
    "#focus=__proto__&depth=999&node=constructor&edge=a+b+c&hide-class=%3Cimg%3E&until=zzz&size=constructor&lang=xx",
    "#%E0%A4%A%ZZ&&&==&;;",
    "#node=%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E&from=toString&to=__proto__&size=__proto__",
    "#hide-stance=hasOwnProperty&depth=-3&focus=nosuch-node&edge=israel+must-approve+nowhere",
    "#" + "x" * 20000,
    "#<script>window.__pwned=2</script>",
]


def test_hostile_or_stale_fragment_is_ignored(view: ViewPage, example_views: dict[str, Path]) -> None:
    view.open(example_views["yaml"])
    everything = shown(view)
    for fragment in HOSTILE_FRAGMENTS:
        view.open(example_views["yaml"], fragment)
        assert shown(view) == everything, f"{fragment[:80]!r} changed the view"
        assert view.js("location.hash") == "", f"{fragment[:80]!r} was kept in the address"
        assert view.js("typeof window.__pwned") == "undefined"
        assert view.js("document.querySelectorAll('img, script[src], iframe').length") == 0
        assert view.page.is_hidden("#sg-details")
    # stale: what still exists is kept, what is gone is dropped
    view.open(example_views["yaml"], "#hide-stance=undecided&hide-stance=gone&focus=israel&depth=1&node=gone&from=israel")
    assert written_fragment(view) == "#hide-stance=undecided&focus=israel&depth=1&from=israel"
    view.assert_clean()


# --------------------------------------------------------------------------- export


def test_png_export(view: ViewPage, example_views: dict[str, Path]) -> None:
    view.open(example_views["yaml"])
    url = view.js("window.stancegraph.exportPng()")
    assert url.startswith("data:image/png;base64,")
    png = base64.b64decode(url.split(",", 1)[1])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    canvas = view.js("[window.stancegraph.network.canvas.frame.canvas.width, window.stancegraph.network.canvas.frame.canvas.height]")
    assert [width, height] == canvas
    with view.page.expect_download() as info:
        view.page.click("#sg-export-png")
    download = info.value
    assert download.suggested_filename == "Who-backs-a-peacekeeping-force-for-post-war-Gaza.png"  # the dataset's title
    assert Path(download.path()).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    view.assert_clean()


def svg_of(view: ViewPage) -> ET.Element:
    with view.page.expect_download() as info:
        view.page.click("#sg-export-svg")
    download = info.value
    assert download.suggested_filename.endswith(".svg")
    return ET.fromstring(Path(download.path()).read_bytes())


def local(tag: str) -> str:
    return tag.split("}", 1)[-1].lower()


def test_svg_export_of_the_example(view: ViewPage, example_views: dict[str, Path], example: nx.MultiDiGraph) -> None:
    view.open(example_views["yaml"])
    view.page.click("#sg-filters summary")
    view.page.uncheck('#sg-filter-class input[value="condition"]')
    root = svg_of(view)
    assert root.tag == SVG_NS + "svg"
    nodes, edges = shown(view)
    drawn_nodes = sorted(g.get("data-node") for g in root.iter(SVG_NS + "g") if g.get("data-node"))
    assert drawn_nodes == nodes, "the SVG draws the nodes shown, and only those"
    assert sorted(p.get("data-edge") for p in root.iter(SVG_NS + "path") if p.get("data-edge")) == edges
    texts = " ".join(t for t in root.itertext())
    assert "Israel" in texts and "U.S. Department of Defense" in texts
    assert "Hamas is defeated" not in texts, "a condition filtered out is not in the drawing"
    colours = {p.get("stroke") for p in root.iter(SVG_NS + "path") if p.get("data-edge")}
    assert "#0097a7" in colours and "#212121" in colours  # considering, must approve
    assert any(p.get("stroke-dasharray") for p in root.iter(SVG_NS + "path") if p.get("data-edge"))
    view.assert_clean()


@pytest.mark.parametrize("made_from", ["yaml", "trig"])
def test_svg_export_of_hostile_labels_is_text(view: ViewPage, hostile: dict[str, Path], made_from: str) -> None:  # noqa: F811
    view.open(hostile[made_from])
    root = svg_of(view)
    assert root.tag == SVG_NS + "svg"
    elements = [local(e.tag) for e in root.iter()]
    assert "script" not in elements and "foreignobject" not in elements, elements
    assert not [(local(e.tag), a) for e in root.iter() for a in e.attrib if a.lower().startswith("on")]
    assert not [v for e in root.iter() for v in e.attrib.values() if re.search(r"javascript:|__pwned", v, re.I)]
    texts = [t for t in root.itertext()]
    for label in (IMG, SCRIPT, SVG_SCRIPT):
        assert label in texts, f"the label {label!r} is not a text of the SVG"
    assert view.js("typeof window.__pwned") == "undefined"
    view.assert_clean()


# --------------------------------------------------------------------------- questions as tools


def test_shortest_path_with_its_quotes(view: ViewPage, example_views: dict[str, Path], example: nx.MultiDiGraph) -> None:
    simple = nx.Graph(example.to_undirected())
    paths = list(nx.all_shortest_paths(simple, "regional-officials", "israel"))
    assert paths == [["regional-officials", "two-state-commitment", "gaza-day-after-plan", "israel"]]
    view.open(example_views["yaml"])
    choose(view, "regional officials", "n:regional-officials")
    view.page.click("#sg-details .sg-path-from")
    choose(view, "israel", "n:israel")
    view.page.click("#sg-details .sg-path-to")
    view.page.wait_for_selector("#sg-details .sg-path")
    assert view.js("document.body.getAttribute('data-path')") == " ".join(pid(n) for n in paths[0])
    panel = view.page.text_content("#sg-details")
    assert "3 steps" in panel
    along = [d for a, b in zip(paths[0], paths[0][1:]) for s, o, d in example.edges(data=True) if {s, o} == {a, b}]
    quotes = [st["quote"] for d in along for st in d["statements"]]
    assert quotes and all(q in panel for q in quotes), "every quote along the path is in the panel"
    widths = view.js("Object.fromEntries(window.stancegraph.edges.get().map(e => [e.id, e.width]))")
    on_path = set(view.js("(p) => p.steps.flat()", view.js("window.stancegraph.shortestPath('n:regional-officials', 'n:israel')")))
    assert on_path and all(widths[e] > max(w for k, w in widths.items() if k not in on_path) for e in on_path), \
        "the path's relations are drawn wider than the rest"
    assert "from=regional-officials" in written_fragment(view) and "to=israel" in view.js("location.hash")

    # the path follows the filters: without the conditions it goes another way
    simple.remove_nodes_from([n for n in example if example.nodes[n]["cls"] == "condition"])
    around = list(nx.all_shortest_paths(simple, "regional-officials", "israel"))
    assert len(around) > 1 and len(around[0]) == len(paths[0]) + 2
    view.page.click("#sg-filters summary")
    view.page.uncheck('#sg-filter-class input[value="condition"]')
    choose(view, "israel", "n:israel")
    view.page.click("#sg-details .sg-path-to")  # the same ends again, under the filter
    view.page.wait_for_selector("#sg-details .sg-path")
    assert view.js("document.body.getAttribute('data-path')").split() in [[pid(n) for n in p] for p in around]
    assert "5 steps" in view.page.text_content("#sg-details")
    view.page.click("#sg-path-clear")
    assert view.js("document.body.getAttribute('data-path')") is None
    assert "from=" not in written_fragment(view)
    choose(view, "newsmax", "n:newsmax")  # an outlet: nothing links it to what it reports yet
    view.page.click("#sg-details .sg-path-from")
    choose(view, "israel", "n:israel")
    view.page.click("#sg-details .sg-path-to")
    assert view.page.is_visible("#sg-details .sg-no-path")
    view.assert_clean()


def test_neighbourhood_of_three_steps(view: ViewPage, example_views: dict[str, Path], example: nx.MultiDiGraph) -> None:
    simple = nx.Graph(example.to_undirected())
    reach = {pid(n) for n in nx.ego_graph(simple, "hostages-released", radius=3)}
    assert reach != {pid(n) for n in nx.ego_graph(simple, "hostages-released", radius=2)}
    assert len(reach) < example.number_of_nodes()
    view.open(example_views["yaml"])
    choose(view, "hostages", "n:hostages-released")
    view.page.fill("#sg-depth", "3")
    view.page.click("#sg-details .sg-neighbourhood-n")
    nodes, edges = shown(view)
    assert set(nodes) == reach
    page_edges = view.js("Object.fromEntries(window.stancegraph.data.edges.map(e => [e.id, [e.from, e.to]]))")
    assert set(edges) == {e for e, (a, b) in page_edges.items() if a in reach and b in reach}
    assert "3 steps" in view.page.text_content("#sg-focus-label")
    view.assert_clean()


def holders(example: nx.MultiDiGraph, proposal: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for s, o, d in example.edges(data=True):
        if o == proposal and d["stance"] and example.nodes[s]["cls"] == "actor":
            found.setdefault(d["stance"], set()).add(pid(s))
    return found


def who(view: ViewPage) -> dict[str, list[str]]:
    return view.js("""() => Object.fromEntries([...document.querySelectorAll('#sg-details .sg-who')].map(ul =>
        [ul.getAttribute('data-stance'), [...ul.querySelectorAll('button[data-node]')].map(b => b.getAttribute('data-node'))]))""")


def test_who_else_holds_this_stance(view: ViewPage, example_views: dict[str, Path], example: nx.MultiDiGraph) -> None:
    expected = holders(example, "gaza-peacekeeping-force")
    assert len(expected["considering"]) >= 4
    view.open(example_views["yaml"])
    view.click("node", "n:gaza-peacekeeping-force", ["Who holds which stance"])
    assert {k: set(v) for k, v in who(view).items()} == expected

    edge = view.js("window.stancegraph.data.edges.find(e => e.from === 'n:dod' && e.to === 'n:gaza-peacekeeping-force' "
                   "&& e.relation === 'discusses').id")
    view.click("edge", edge, ["Who else is considering on"])
    assert {k: set(v) for k, v in who(view).items()} == {"considering": expected["considering"] - {"n:dod"}}
    view.page.click('#sg-details .sg-who button[data-node="n:white-house"]')
    view.page.wait_for_function("() => document.querySelector('#sg-details h2').textContent === 'White House'")
    assert view.js("window.stancegraph.network.getSelectedNodes().map(String)") == ["n:white-house"]

    regional = holders(example, "multinational-force")
    assert len(regional) == 3  # considering (the Pentagon), conditional (regional partners), supports (the UNSC, 2025)
    view.click("node", "n:multinational-force", ["Who holds which stance"])
    assert {k: set(v) for k, v in who(view).items()} == regional
    view.assert_clean()
