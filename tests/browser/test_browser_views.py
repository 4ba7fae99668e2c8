"""Views that answer at a glance (issue 13, part 1): legible labels at first draw, a legend of what is
there, a fit after every filter. In headless Chromium, offline."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from stancegraph.output.view import render_html

if TYPE_CHECKING:  # the fixtures live in this folder's conftest.py
    from conftest import Cli, ViewPage

ROOT = Path(__file__).resolve().parents[2]

# The node labels drawn on screen, as page-pixel boxes: vis-network's label sizes (canvas units, known
# after a draw) mapped through canvasToDOM. A label is drawn when it is not transparent and vis-network
# does not skip it for being under its draw threshold.
_LABEL_BOXES_JS = """
() => {
  const net = window.stancegraph.network;
  const scale = net.getScale();
  const boxes = [];
  for (const id of net.body.nodeIndices) {
    const node = net.body.nodes[id], size = node.labelModule.size, font = node.options.font;
    if (!node.options.label || !size || !size.width) continue;
    if (/rgba\\(\\s*0\\s*,\\s*0\\s*,\\s*0\\s*,\\s*0\\s*\\)/.test(font.color)) continue;
    if (font.size * scale < node.options.scaling.label.drawThreshold) continue;
    const a = net.canvasToDOM({x: size.left, y: size.top});
    const b = net.canvasToDOM({x: size.left + size.width, y: size.top + size.height});
    boxes.push({id: id, left: a.x, top: a.y, right: b.x, bottom: b.y, height: b.y - a.y});
  }
  return boxes;
}
"""


def overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]:
                found.append((a["id"], b["id"]))
    return found


def open_legible(view: ViewPage, page: Path) -> list[dict[str, Any]]:
    view.open(page)
    view.page.wait_for_selector('body[data-legible="true"]', state="attached")
    return view.js(_LABEL_BOXES_JS)


def synthetic_page(tmp: Path, n: int) -> Path:
    spec = importlib.util.spec_from_file_location("bench_view", ROOT / "benchmarks" / "view.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = tmp / f"synthetic-{n}.html"
    page.write_text(render_html(module.synthetic(n)), encoding="utf-8")
    return page


def test_example_labels_do_not_overlap_and_are_legible(view: ViewPage, example_views: dict[str, Path]) -> None:
    boxes = open_legible(view, example_views["yaml"])
    assert len(boxes) >= 10, f"only {len(boxes)} labels drawn"
    assert overlapping(boxes) == []
    # every label drawn is at least 12 px tall at first fit (up to 150 nodes), within half a pixel of the
    # canvas's rounding; the edges stay reachable (test_browser_example hovers and clicks every one)
    smallest = min(b["height"] for b in boxes)
    assert smallest >= 11.5, f"the smallest label is {smallest:.1f} px tall"
    view.assert_clean()


def test_300_node_graph_labels_do_not_overlap(view: ViewPage, tmp_path: Path) -> None:
    boxes = open_legible(view, synthetic_page(tmp_path, 300))
    assert overlapping(boxes) == []
    # zoomed in on the middle, the labels are drawn, still apart
    view.js("""() => { const net = window.stancegraph.network;
        net.moveTo({position: net.getViewPosition(), scale: 1.2, animation: false}); }""")
    view.page.wait_for_timeout(300)
    boxes = view.js(_LABEL_BOXES_JS)
    assert len(boxes) >= 5, f"only {len(boxes)} labels drawn at scale 1.2"
    assert overlapping(boxes) == []
    hidden = int(view.js("document.body.getAttribute('data-hidden-labels')"))
    assert hidden > 0  # 300 nodes do not fit legibly: some labels wait for the tooltip
    view.assert_clean()


def test_refit_after_a_filter(view: ViewPage, tmp_path: Path) -> None:
    open_legible(view, synthetic_page(tmp_path, 300))
    view.page.click("#sg-filters summary")
    # a corner of the graph first: what is left is moved out of the middle
    view.js("() => window.stancegraph.network.moveTo({position: {x: 5000, y: 5000}, scale: 3, animation: false})")
    for cls in ("actor", "condition"):
        view.page.uncheck(f"#sg-filter-class input[value={cls}]")
    view.page.wait_for_selector('body[data-legible="true"]', state="attached")
    spread = view.js("""() => { const net = window.stancegraph.network, c = net.canvas.frame.canvas.getBoundingClientRect();
        const ps = window.stancegraph.visibleNodes().map(id => net.canvasToDOM(net.getPosition(id)));
        const xs = ps.map(p => p.x), ys = ps.map(p => p.y);
        return {n: ps.length, left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys),
                width: c.width, height: c.height}; }""")
    assert spread["n"] > 20
    assert spread["left"] >= 0 and spread["top"] >= 0 and spread["right"] <= spread["width"] and spread["bottom"] <= spread["height"], spread
    # fitted: what is left fills the canvas in one direction at least
    assert spread["right"] - spread["left"] > 0.6 * spread["width"] or spread["bottom"] - spread["top"] > 0.6 * spread["height"], spread
    view.assert_clean()


def test_legend_lists_only_what_is_present(view: ViewPage, tmp_path: Path) -> None:
    import networkx as nx

    g = nx.MultiDiGraph()
    for i, cls in enumerate(["actor", "actor", "proposal"]):
        g.add_node(f"n{i}", iri=f"urn:x:n{i}", cls=cls, kind=None, label=f"Node {i}", aliases=[],
                   description=None, wikidata=None, unmet=False)
    st = {"id": "st", "iri": "urn:x:st", "quote": "we back it", "source": {"id": "s", "title": "S", "publisher": "P",
          "published": "2024-03-01", "url": None}, "date": "2024-03-01", "since": None, "stance": "supports",
          "hedges": [], "status": None, "regarding": None, "if": [], "until": [], "according_to": [], "note": None,
          "quantity": None}
    g.add_edge("n0", "n2", key="supports-0", relation="supports", label="supports", stance="supports", statements=[st])
    page = tmp_path / "small.html"
    page.write_text(render_html(g), encoding="utf-8")
    view.open(page)
    legend = view.js("document.getElementById('sg-legend').innerText")
    assert "Actor" in legend and "Proposal" in legend
    assert "Condition" not in legend and "unmet" not in legend
    assert "Other relations" not in legend  # no relation outside the stances: no empty heading
    view.assert_clean()


# --------------------------------------------------------------------------- arguments (issue 17)

# The boxes of the nodes drawn (page pixels), to find bars lying across each other.
_NODE_BOXES_JS = """
() => { const net = window.stancegraph.network;
  return net.body.nodeIndices.map(id => { const b = net.getBoundingBox(id);
    const a = net.canvasToDOM({x: b.left, y: b.top}), c = net.canvasToDOM({x: b.right, y: b.bottom});
    return {id: id, left: a.x, top: a.y, right: c.x, bottom: c.y}; }); }
"""


@pytest.fixture(scope="module")
def essays_page(cli: Cli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    tmp = tmp_path_factory.mktemp("essays")
    shutil.copytree(ROOT / "tests" / "data" / "draft" / "essays", tmp / "essays")
    shutil.copy(ROOT / "tests" / "data" / "arguments" / "mapping.yaml", tmp / "essays" / "mapping.yaml")
    cli("build", tmp / "essays", "-o", tmp / "essays.trig")
    cli("view", tmp / "essays.trig", "-o", tmp / "essays.html")
    return tmp / "essays.html"


def test_argument_edges_are_drawn_apart_and_labelled(view: ViewPage, essays_page: Path) -> None:
    boxes = open_legible(view, essays_page)
    styles = view.js("""() => { const out = {};
        for (const e of window.stancegraph.edges.get()) out[e.relation] = JSON.stringify([e.color, e.dashes]);
        return out; }""")
    assert {"argues-for", "argues-against"} <= set(styles)
    assert len({styles["argues-for"], styles["argues-against"], styles.get("supports")}) == 3  # each its own look
    legend = view.js("document.getElementById('sg-legend').innerText")
    assert "argues for" in legend and "argues against" in legend
    nodes = view.js("window.stancegraph.network.body.nodeIndices.length")
    assert len(boxes) == nodes, f"{nodes - len(boxes)} of {nodes} labels hidden"
    assert overlapping(boxes) == []
    assert overlapping(view.js(_NODE_BOXES_JS)) == []  # no bar lying across another
    view.assert_clean()


def test_node_size_by_a_measure(view: ViewPage, example_views: dict[str, Path]) -> None:
    open_legible(view, example_views["yaml"])
    sizes = "() => Object.fromEntries(window.stancegraph.nodes.get().filter(n => n.cls === 'actor').map(n => [n.id, n.size]))"
    fixed = view.js(sizes)
    assert len(set(fixed.values())) == 1  # by class: every actor alike
    view.page.select_option("#sg-size", "degree")
    view.page.wait_for_selector('body[data-legible="true"][data-size-by="degree"]', state="attached")
    by_degree = view.js(sizes)
    degree = view.js("""() => { const d = {}; for (const e of window.stancegraph.data.edges) { d[e.from] = (d[e.from] || 0) + 1;
        if (e.to !== e.from) d[e.to] = (d[e.to] || 0) + 1; } return d; }""")
    ranked = sorted(by_degree, key=lambda i: degree.get(i, 0))
    assert by_degree[ranked[-1]] > by_degree[ranked[0]]
    assert all(by_degree[a] <= by_degree[b] for a, b in zip(ranked, ranked[1:]) if degree.get(a, 0) < degree.get(b, 0))
    view.page.select_option("#sg-size", "sources")
    view.page.wait_for_selector('body[data-legible="true"][data-size-by="sources"]', state="attached")
    assert view.js(sizes) != by_degree or len(set(by_degree.values())) == 1
    boxes = view.js(_LABEL_BOXES_JS)
    assert overlapping(boxes) == []  # re-fitted and decluttered after the change
    view.assert_clean()


def test_the_page_says_what_the_dataset_is_and_draws_what_conditions_concern(view: ViewPage,
                                                                             example_views: dict[str, Path]) -> None:
    """Part 2: the dataset's title, description, authors and license head the page; part 3: a condition's actors
    (concerns:) are drawn, so Hamas is not an isolated dot."""
    view.open(example_views["yaml"])
    assert view.page.title() == "Who backs a peacekeeping force for post-war Gaza"
    assert view.js("document.getElementById('sg-title').textContent") == "Who backs a peacekeeping force for post-war Gaza"
    about = view.page.locator("#sg-about")
    assert about.is_visible()
    assert "two March 2024 reports" in about.inner_text() and "By stancegraph developers" in about.inner_text()
    assert about.locator("a").get_attribute("href") == "https://spdx.org/licenses/Apache-2.0"
    hamas = view.js("window.stancegraph.network.getConnectedEdges('n:hamas').map(id => "
                    "window.stancegraph.edges.get(id)).map(e => [e.from, e.relation])")
    assert ["n:hamas-defeated", "concerns"] in hamas and ["n:hostages-released", "concerns"] in hamas
    view.assert_clean()
