"""The Gaza example's page in headless Chromium, offline: drawn, quiet, self-contained, and it shows
the evidence behind each relation when one hovers or clicks it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from stancegraph.output import project
from stancegraph.output.graphfile import load_dataset

if TYPE_CHECKING:  # the fixtures live in this folder's conftest.py
    from conftest import ViewPage

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "gaza-day-after"

# Every attribute through which an element can load or link to something.
_OUTSIDE_REFERENCES_JS = """
() => {
  const names = ['src', 'href', 'xlink:href', 'srcset', 'action', 'formaction', 'poster', 'data', 'background'];
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (el.tagName === 'A' && a.name === 'href') continue;  // a link the reader may follow loads nothing (the license)
      if (names.includes(a.name.toLowerCase()) && /https?:\\/\\//i.test(a.value)) found.push(`<${el.tagName.toLowerCase()} ${a.name}="${a.value}">`);
    }
  }
  return found;
}
"""

_DRAWN_JS = """
() => {
  const sg = window.stancegraph;
  const canvas = document.querySelector('#sg-network canvas') || document.querySelector('canvas');
  let inked = 0;
  if (canvas) {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
  }
  return {
    drawn: document.body.getAttribute('data-drawn'),
    canvas: canvas ? {width: canvas.width, height: canvas.height, inked: inked} : null,
    nodeIds: sg.nodes.get().map(n => n.key),  // page ids are 'n:' + the registry id
    nodesInNetwork: sg.network.body.nodeIndices.length,
    edges: sg.edges.length,
  };
}
"""


def registry_ids() -> list[str]:
    registry = yaml.safe_load((EXAMPLE / "registry.yaml").read_text(encoding="utf-8"))
    return [ident for section in ("actors", "proposals", "conditions") for ident in (registry.get(section) or {})]


def expected_edges(source: Path) -> dict[tuple[str, str, str], list[dict]]:
    """(from, to, relation) -> the statements behind that edge, from the graph the page was made of;
    from and to as the page's node ids ("n:" + the registry id)."""
    graph = project(load_dataset([source]))
    return {(f"n:{s}", f"n:{o}", d["relation"]): d["statements"] for s, o, d in graph.edges(data=True)}


def page_edges(view: ViewPage) -> list[dict]:
    return view.js("window.stancegraph.edges.get().map(e => ({id: String(e.id), from: e.from, to: e.to, relation: e.relation}))")


def node_labels(view: ViewPage) -> dict[str, str]:
    return view.js("Object.fromEntries(window.stancegraph.nodes.get().map(n => [String(n.id), n.fullLabel || n.label]))")


@pytest.mark.parametrize("made_from", ["yaml", "trig"])
def test_example_draws_offline_without_errors(view: ViewPage, example_views: dict[str, Path], made_from: str,
                                               tmp_path_factory: pytest.TempPathFactory) -> None:
    view.open(example_views[made_from])
    state = view.js(_DRAWN_JS)

    assert state["drawn"] == "true"
    assert state["canvas"] is not None, "the network has no canvas"
    assert state["canvas"]["width"] > 300 and state["canvas"]["height"] > 300, state["canvas"]
    assert state["canvas"]["inked"] > 0.005 * state["canvas"]["width"] * state["canvas"]["height"], "the canvas is blank"
    ids = registry_ids()
    assert len(state["nodeIds"]) == len(ids), "one node per actor, proposal and condition of the registry"
    assert sorted(state["nodeIds"]) == sorted(ids)
    assert state["nodesInNetwork"] == len(ids), "every node is in the drawn network"
    graph_file = EXAMPLE if made_from == "yaml" else example_views["trig-file"]
    assert state["edges"] == len(expected_edges(graph_file)), "one edge per relation of the graph"

    assert view.js(_OUTSIDE_REFERENCES_JS) == [], "the page refers to something on the network"
    view.assert_clean()

    if made_from == "yaml":  # one picture of the run, to look at
        shot = tmp_path_factory.mktemp("screenshots") / "example-view.png"
        view.page.screenshot(path=str(shot))
        print(f"screenshot of the example view: {shot}")


def test_example_edge_tooltip_shows_quote_and_source(view: ViewPage, example_views: dict[str, Path]) -> None:
    view.open(example_views["yaml"])
    expected = expected_edges(EXAMPLE)
    hovered = 0
    for edge in page_edges(view):
        statements = expected[(edge["from"], edge["to"], edge["relation"])]
        if not statements:
            continue
        tip = view.hover("edge", edge["id"])
        shown = [st for st in statements if st["quote"] in tip]
        assert shown, f"the tooltip of {edge} shows none of its quotes: {tip!r}"
        for st in shown:
            assert st["source"]["title"] in tip, f"the tooltip of {edge} shows a quote without its source's title: {tip!r}"
        hovered += 1
    assert hovered > 0, "the example has relations stated by a source"
    view.assert_clean()


def test_example_edge_click_shows_every_quote(view: ViewPage, example_views: dict[str, Path]) -> None:
    view.open(example_views["yaml"])
    expected = expected_edges(EXAMPLE)
    labels = node_labels(view)
    edges = page_edges(view)
    for edge in edges:
        statements = expected[(edge["from"], edge["to"], edge["relation"])]
        text = view.click("edge", edge["id"], [labels[edge["from"]], labels[edge["to"]]])
        for st in statements:
            assert st["quote"] in text, f"clicking {edge} does not show the quote {st['quote']!r}"
            assert st["source"]["title"] in text, f"clicking {edge} does not show the source {st['source']['title']!r}"
    assert any(len(s) > 1 for s in expected.values()), "some relation of the example is stated more than once"
    view.assert_clean()


def test_example_node_click_shows_it(view: ViewPage, example_views: dict[str, Path]) -> None:
    """Every node can be reached with the mouse on its own, and clicking it shows it in the details panel."""
    view.open(example_views["yaml"])
    for ident, label in node_labels(view).items():
        view.click("node", ident, [label])
    view.assert_clean()


def test_legend_lists_node_classes(view: ViewPage, example_views: dict[str, Path]) -> None:
    view.open(example_views["yaml"])
    legend = view.js("""
      () => [...document.querySelectorAll('#sg-legend li')].map(li => {
        const swatch = li.querySelector('.sg-swatch');
        return {text: li.textContent.trim(), color: swatch ? getComputedStyle(swatch).backgroundColor : null};
      })
    """)
    colors = view.js("""
      () => { const out = {};
              for (const n of window.stancegraph.nodes.get()) out[n.cls] = n.color.background || n.color;
              return out; }
    """)
    assert set(colors) == {"actor", "proposal", "condition"}
    for cls, color in colors.items():
        entries = [item for item in legend if item["text"].lower() == cls]
        assert entries, f"the legend does not list {cls!r}: {[item['text'] for item in legend]}"
        rgb = tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))
        assert entries[0]["color"] == f"rgb({rgb[0]}, {rgb[1]}, {rgb[2]})", f"the legend's {cls} is not the colour of {cls} nodes"
    view.assert_clean()
