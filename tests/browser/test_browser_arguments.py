"""Arguments in the page (issue 17): argues-for and argues-against edges are drawn in styles of their own
and listed in the legend, and the legend lists only what the graph holds (no Condition without
conditions, no empty "Other relations" heading). The essays are tests/data/draft/essays read with the
argument mapping of tests/data/arguments."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from stancegraph.output.view import RELATION_STYLE, STANCE_STYLE

if TYPE_CHECKING:  # the fixtures live in this folder's conftest.py
    from conftest import Cli, ViewPage

DATA = Path(__file__).resolve().parents[1] / "data"

_LEGEND_JS = """
() => { const shown = el => !el.hidden && getComputedStyle(el).display !== 'none';
        const out = {};
        for (const id of ['sg-legend-nodes', 'sg-legend-stances', 'sg-legend-edges']) {
          const list = document.getElementById(id), title = document.getElementById(id + '-title');
          out[id] = {shown: shown(list) && (title === null || shown(title)),
                     items: [...list.querySelectorAll('li')].map(li => li.textContent.trim())};
        }
        return out; }
"""


@pytest.fixture(scope="module")
def essay_page(browser: Any, cli: Cli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("essays")
    folder = tmp / "essays"
    shutil.copytree(DATA / "draft" / "essays", folder)
    shutil.copy(DATA / "arguments" / "mapping.yaml", folder / "mapping.yaml")
    cli("view", folder, "-o", tmp / "essays.html")
    return tmp / "essays.html"


def test_argument_edges_have_styles_of_their_own(view: ViewPage, essay_page: Path) -> None:
    view.open(essay_page)
    edges = view.js("() => window.stancegraph.edges.get().map(e => [e.relation, e.color, e.dashes, e.width])")
    by_relation: dict[str, set[tuple[str, str, int]]] = {}
    for relation, color, dashes, width in edges:
        by_relation.setdefault(relation, set()).add((color, str(dashes), width))
    assert by_relation.keys() == {"argues-for", "argues-against", "supports"}
    for relation in ("argues-for", "argues-against"):
        style = RELATION_STYLE[relation]
        assert by_relation[relation] == {(style["color"], str(style["dashes"]), style["width"])}
    colours = {style["color"] for key, style in RELATION_STYLE.items() if key not in ("argues-for", "argues-against")}
    colours |= {style["color"] for style in STANCE_STYLE.values()}
    assert RELATION_STYLE["argues-for"]["color"] not in colours
    assert RELATION_STYLE["argues-against"]["color"] not in colours
    view.assert_clean()


def test_the_legend_lists_arguments_and_only_what_is_there(view: ViewPage, essay_page: Path) -> None:
    view.open(essay_page)
    legend = view.js(_LEGEND_JS)
    assert legend["sg-legend-nodes"]["items"] == ["Actor", "Proposal"]  # no conditions, none unmet
    assert legend["sg-legend-edges"] == {"shown": True, "items": ["argues for", "argues against"]}
    assert legend["sg-legend-stances"]["shown"] and legend["sg-legend-stances"]["items"][0].startswith("supports")
    view.assert_clean()


def test_no_heading_over_an_empty_list(view: ViewPage, cli: Cli, tmp_path: Path) -> None:
    page = tmp_path / "news.html"
    cli("view", DATA / "arguments" / "news", "-o", page)  # stances only: no other relation
    view.open(page)
    legend = view.js(_LEGEND_JS)
    assert legend["sg-legend-edges"] == {"shown": False, "items": []}
    assert legend["sg-legend-stances"]["shown"]
    assert "Condition" not in legend["sg-legend-nodes"]["items"]
    view.assert_clean()


def test_every_claim_is_drawn_with_its_short_label(view: ViewPage, essay_page: Path) -> None:
    view.open(essay_page)
    labels = view.js("() => window.stancegraph.nodes.get().map(n => n.label)")
    assert len(labels) == 22 and all(labels)
    assert max(len(label) for label in labels) <= 41  # a sentence is drawn by its short label (40 + "…")
    assert "Tolls on harbor bridges are the fairest…" in labels
    view.assert_clean()


def _search(view: ViewPage, text: str) -> list[str]:
    view.page.fill("#sg-search", "")
    view.page.locator("#sg-search").press_sequentially(text)
    return view.js("[...document.querySelectorAll('#sg-search-results button')].map(b => b.textContent)")


def test_search_matches_word_by_word_and_the_full_sentence(view: ViewPage, essay_page: Path,
                                                          example_views: dict[str, Path]) -> None:
    view.open(example_views["yaml"])
    found = _search(view, "palestinian force")
    assert found == ["Palestinian-led peacekeeping force · Proposal"], found
    assert _search(view, "palestinian nowhere") == []
    view.open(essay_page)
    # words past the short label's end find the claim; the panel then shows the sentence whole
    found = _search(view, "upkeep tolls")
    assert found == ["Tolls on harbor bridges are the fairest… · Proposal"], found
    view.page.click("#sg-search-results button")
    heading = view.js("document.querySelector('#sg-details h2').textContent")
    assert heading.startswith("Tolls on harbor bridges are the fairest way to pay") and "…" not in heading
    view.assert_clean()
