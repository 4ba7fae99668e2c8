"""Right-to-left text and labels per language in the view, in headless Chromium (issue #14).

The page is written from tests/data/multilingual (Arabic and Hebrew sources, labels in three languages);
what is expected is read from the registry YAML, not from the page's own logic.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

if TYPE_CHECKING:  # the fixtures live in this folder's conftest.py
    from conftest import Cli, ViewPage

MULTILINGUAL = Path(__file__).resolve().parents[1] / "data" / "multilingual"
REGISTRY = yaml.safe_load((MULTILINGUAL / "registry.yaml").read_text(encoding="utf-8"))
ENTRIES = {key: entry for group in ("actors", "proposals", "conditions") for key, entry in REGISTRY[group].items()}


def label(key: str, lang: str) -> str:
    return ENTRIES[key]["label"][lang]


@pytest.fixture(scope="module")
def pages(browser: object, cli: Cli, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("multilingual")
    cli("view", MULTILINGUAL, "-o", tmp / "en.html")
    cli("view", MULTILINGUAL, "--lang", "ar,en", "-o", tmp / "ar.html")
    return {"en": tmp / "en.html", "ar": tmp / "ar.html"}


def _direction(view: ViewPage, selector: str, text: str) -> str:
    """The computed direction of the first element matching ``selector`` whose text contains ``text``."""
    found = view.js("""([selector, text]) => {
        const el = [...document.querySelectorAll(selector)].find(e => e.textContent.includes(text));
        return el ? getComputedStyle(el).direction : null; }""", [selector, text])
    assert found is not None, f"no {selector} shows {text!r}"
    return found


def test_rtl_quote_reads_right_to_left_and_ltr_stays(view: ViewPage, pages: dict[str, Path]) -> None:
    view.open(pages["en"])
    view.click("node", "n:egypt", expect=[label("egypt", "en")])
    buttons = view.js("[...document.querySelectorAll('.sg-edge-link')].length")
    assert buttons >= 1
    view.js("document.querySelector('.sg-edge-link').click()")
    view.page.wait_for_selector(".sg-quote")
    quote = "ورحّبت مصر بالسلطة الفلسطينية"
    assert _direction(view, ".sg-quote", quote) == "rtl"
    # an English heading with an Arabic-free phrase stays left to right
    assert _direction(view, "#sg-details h2", "supports") == "ltr"
    view.assert_clean()


def test_hebrew_quote_is_rtl(view: ViewPage, pages: dict[str, Path]) -> None:
    view.open(pages["en"])
    quotes = view.js("window.stancegraph.data.edges.flatMap(e => e.statements.map(s => s.quote || ''))")
    hebrew = next(q for q in quotes if any("\u05d0" <= c <= "\u05ea" for c in q))
    edge = view.js("(q) => window.stancegraph.data.edges.find(e => e.statements.some(s => s.quote === q)).id", hebrew)
    view.click("edge", edge, expect=[hebrew])
    assert _direction(view, ".sg-quote", hebrew) == "rtl"
    view.assert_clean()


def test_labels_in_the_chosen_language_and_their_direction(view: ViewPage, pages: dict[str, Path]) -> None:
    view.open(pages["ar"])
    assert view.js("document.documentElement.lang") == "ar"
    assert view.js("window.stancegraph.nodes.get('n:israel').label") == label("israel", "ar")
    # a condition with no Arabic label falls back to English, the next language asked for
    assert view.js("window.stancegraph.nodes.get('n:us-guarantees').label") == label("us-guarantees", "en")
    view.click("node", "n:israel", expect=[label("israel", "ar")])
    assert _direction(view, "#sg-details h2", label("israel", "ar")) == "rtl"
    # in an English phrase the label is isolated and keeps its own direction
    assert _direction(view, ".sg-edge-link bdi", label("israel", "ar")) == "rtl"
    assert _direction(view, "#sg-legend li span", "Actor") == "ltr"
    view.assert_clean()


def drawn(text: str) -> str:
    from stancegraph.graph.names import short_label

    return short_label(text) or text


def test_language_switch_relabels_nodes(view: ViewPage, pages: dict[str, Path]) -> None:
    view.open(pages["en"])
    assert view.js("document.documentElement.lang") == "en"
    assert view.js("document.getElementById('sg-lang-box').hidden") is False
    offered = view.js("[...document.querySelectorAll('#sg-lang option')].map(o => o.value)")
    assert offered == ["ar", "en", "he"]
    drawn_before = view.js("window.stancegraphDrawnAt")
    view.page.select_option("#sg-lang", "he")
    for key in ("israel", "hamas", "reconstruction-plan"):
        assert view.js(f"window.stancegraph.nodes.get('n:{key}').label") == label(key, "he")
    # pa-role has no Hebrew label: it keeps the label it had
    # (a long label is drawn by its short form)
    assert view.js("window.stancegraph.nodes.get('n:pa-role').label") == drawn(label("pa-role", "en"))
    assert view.js("document.documentElement.lang") == "he"
    assert view.js("window.stancegraphDrawnAt") == drawn_before  # relabelled in place, not reloaded
    # search finds a node by its label in any language
    view.page.fill("#sg-search", label("egypt", "ar"))
    assert view.js("[...document.querySelectorAll('#sg-search-results button')].map(b => b.dataset.node)") == ["n:egypt"]
    assert _direction(view, "#sg-search", "") == "rtl"  # dir=auto on the box: typed Arabic reads right to left
    view.click("node", "n:israel", expect=[label("israel", "he")])
    view.page.select_option("#sg-lang", "en")
    assert view.js("window.stancegraph.nodes.get('n:israel').label") == label("israel", "en")
    # the open panel is redrawn in the new language
    assert view.js("document.querySelector('#sg-details h2').textContent") == label("israel", "en")
    view.assert_clean()


def test_no_switch_for_one_language(view: ViewPage, tmp_path: Path, cli: Cli) -> None:
    registry = {"stancegraph": 1, "actors": {"a": {"label": "Alpha"}}, "proposals": {"p": {"label": "Plan"}}}
    (tmp_path / "registry.yaml").write_text(yaml.safe_dump(registry), encoding="utf-8")
    (tmp_path / "s.yaml").write_text(yaml.safe_dump({
        "stancegraph": 1, "source": {"id": "s", "title": "S"},
        "statements": [{"subject": "a", "relation": "supports", "object": "p", "quote": "Alpha backs the Plan"}]}),
        encoding="utf-8")
    cli("view", tmp_path, "-o", tmp_path / "one.html")
    view.open(tmp_path / "one.html")
    assert view.js("document.getElementById('sg-lang-box').hidden") is True
    view.assert_clean()


def test_canvas_labels_are_drawn_with_a_font_that_shapes_arabic(view: ViewPage, pages: dict[str, Path]) -> None:
    """Shaped Arabic (joined letters) is narrower than the same letters kept apart by zero-width non-joiners:
    with a font lacking Arabic glyphs, or no shaping, both would be drawn alike (boxes or isolated forms)."""
    view.open(pages["ar"])
    widths = view.js("""(text) => {
        const font = window.stancegraph.data.options.nodes.font;
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = font.size + 'px ' + font.face;
        return [ctx.measureText(text).width, ctx.measureText([...text].join('\\u200c')).width]; }""",
        label("palestinian-authority", "ar"))
    joined, apart = widths
    assert joined < apart * 0.95, f"Arabic is not shaped on the canvas: {joined} vs {apart} pixels"
    view.assert_clean()
