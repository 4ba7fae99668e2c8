"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, offline, watching for errors.

* ``browser``: one headless Chromium for the session, always ``/usr/bin/chromium`` (never a downloaded
  browser). Without it, or without the ``playwright`` package, the tests are skipped with the reason,
  except when the environment variable ``CI`` is ``"true"``: there a missing browser is a failure.
* ``view``: a fresh page in a fresh context for one test. Every request that is not ``file://`` is
  aborted and recorded, and console errors, page errors and dialogs are recorded too; the helper's
  methods find a screen point for each node and edge, hover it, click it, and read what the page shows.
* ``cli``: runs ``stancegraph`` in a subprocess, as a user would.
* ``example_views``: the Gaza example's page written straight from the YAML and from a built .trig file.

The tests talk to the page through stable hooks only: ``body[data-drawn="true"]`` after the first
draw, ``window.stancegraph = {network, nodes, edges, data}``, vis-network's public methods, the
tooltip vis-network draws (``div.vis-tooltip``) and the details panel (``#sg-details``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "gaza-day-after"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",  # needed as root (containers, CI)
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 15_000


def _unavailable(reason: str) -> None:
    """Skip, or fail under CI=true where the browser tests must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


# --------------------------------------------------------------------------- locating things on the canvas

# The screen point (page coordinates) where hovering shows the tooltip of exactly the node or edge
# asked for, and where a click selects exactly it; null when no such point is on screen. Hit tests as
# vis-network 9.1 does them: a click, and the hoverNode/hoverEdge events, take getNodeAt, else
# getEdgeAt; vis-network's own tooltip (for items with a title) takes the last node whose shape holds
# the point, else the last edge passing within 10 canvas units of it. With kind null: an empty spot.
_POINT_JS = """
({kind, id}) => {
  const net = window.stancegraph.network;
  const canvas = document.querySelector('#sg-network canvas') || net.canvas.frame.canvas;
  const rect = canvas.getBoundingClientRect();
  const body = net.body;
  const titled = (item) => item.getTitle() !== undefined;
  const visTooltips = body.nodeIndices.some(n => titled(body.nodes[n])) || body.edgeIndices.some(e => titled(body.edges[e]));
  function visTooltipTarget(c) {   // vis-network's own tooltip (Network._checkShowPopup), when items have titles
    const p = {left: c.x, top: c.y, right: c.x, bottom: c.y};
    let under = false, node, edge;
    for (const n of body.nodeIndices) if (body.nodes[n].isOverlappingWith(p)) { under = true; if (titled(body.nodes[n])) node = n; }
    if (node !== undefined) return ['node', node];
    if (under) return null;
    for (const e of body.edgeIndices) {
      const item = body.edges[e];
      if (item.connected && titled(item) && item.isOverlappingWith(p)) edge = e;
    }
    return edge === undefined ? null : ['edge', edge];
  }
  const same = (a, b) => (a === null && b === null) || (a !== null && b !== null && a[0] === b[0] && String(a[1]) === String(b[1]));
  const want = kind === null ? null : [kind, id];
  function hits(px, py) {   // px, py: page coordinates
    const d = {x: px - rect.left, y: py - rect.top};
    if (d.x < 3 || d.y < 3 || d.x > rect.width - 3 || d.y > rect.height - 3) return false;
    if (document.elementFromPoint(px, py) !== canvas) return false;   // covered by a panel or a control
    const node = net.getNodeAt(d);
    const edge = node === undefined ? net.getEdgeAt(d) : undefined;
    const clicked = node !== undefined ? ['node', node] : (edge !== undefined ? ['edge', edge] : null);
    const hovered = visTooltips ? visTooltipTarget(net.DOMtoCanvas(d)) : clicked;   // hoverNode/hoverEdge hit like a click
    return same(clicked, want) && same(hovered, want);
  }
  function clean(c) {
    // whole pixels (pointer events are rounded), and a margin around: the same answer 2 px away
    const d = net.canvasToDOM(c);
    const px = Math.round(rect.left + d.x), py = Math.round(rect.top + d.y);
    for (const [dx, dy] of [[0, 0], [2, 0], [-2, 0], [0, 2], [0, -2], [2, 2], [-2, -2], [2, -2], [-2, 2]]) {
      if (!hits(px + dx, py + dy)) return null;
    }
    return {x: px, y: py};
  }
  const candidates = [];
  if (kind === 'node') {
    const box = net.getBoundingBox(id);
    const c = net.getPosition(id);
    for (let dx = -40; dx <= 40; dx += 2) for (let dy = -20; dy <= 20; dy += 2) {
      const q = {x: c.x + dx, y: c.y + dy};
      if (q.x >= box.left && q.x <= box.right && q.y >= box.top && q.y <= box.bottom) candidates.push([Math.hypot(dx, dy), q]);
    }
  } else if (kind === 'edge') {
    const e = body.edges[id];
    const a = net.getPosition(e.fromId), b = net.getPosition(e.toId);
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const nx = -(b.y - a.y) / len, ny = (b.x - a.x) / len;   // unit normal: curved edges bow along it
    const reach = Math.max(12, 0.3 * len);
    for (let t = 0.05; t <= 0.951; t += 0.025) for (let off = -reach; off <= reach; off += 2) {
      candidates.push([Math.abs(off) + len * Math.abs(t - 0.5) * 0.2,
                       {x: a.x + (b.x - a.x) * t + nx * off, y: a.y + (b.y - a.y) * t + ny * off}]);
    }
  } else {   // an empty spot: nothing to hover or click
    for (let x = 10; x < rect.width - 10; x += 25) for (let y = 10; y < rect.height - 10; y += 25) {
      candidates.push([0, net.DOMtoCanvas({x: x, y: y})]);
    }
  }
  candidates.sort((p, q) => p[0] - q[0]);
  for (const [, c] of candidates) {
    const found = clean(c);
    if (found) return found;
  }
  return null;
}
"""

# The tooltip on screen: the page's own ([role=tooltip]) or vis-network's (div.vis-tooltip).
_TOOLTIP_JS = """
() => {
  for (const t of document.querySelectorAll('[role="tooltip"], div.vis-tooltip')) {
    const style = getComputedStyle(t);
    if (!t.hidden && style.display !== 'none' && style.visibility === 'visible' && t.textContent.trim()) return t.textContent;
  }
  return null;
}
"""
_PANEL_SHOWS_JS = """
(texts) => { const p = document.getElementById('sg-details');
             if (p === null || p.hidden || getComputedStyle(p).display === 'none') return false;
             return texts.every(t => p.textContent.includes(t)); }
"""


@dataclass
class ViewPage:
    """One page of the view in Chromium, offline, with everything it did wrong recorded."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, html: Path, fragment: str = "") -> None:
        """Open the page, with ``fragment`` (``#...``) after its address when given, and wait for its first draw."""
        self.page.goto(Path(html).resolve().as_uri() + fragment)
        self.page.wait_for_selector('body[data-drawn="true"]', state="attached", timeout=TIMEOUT_MS)

    def js(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def point(self, kind: str | None, ident: str | None = None) -> tuple[float, float] | None:
        found = self.js(_POINT_JS, {"kind": kind, "id": ident})
        return None if found is None else (found["x"], found["y"])

    def _point_or_fail(self, kind: str, ident: str) -> tuple[float, float]:
        found = self.point(kind, ident)
        assert found is not None, f"no point on screen where the {kind} {ident!r} alone can be hovered and clicked"
        return found

    def hover(self, kind: str, ident: str) -> str:
        """Hover the node or edge and return the text of the tooltip it shows."""
        empty = self.point(None)
        assert empty is not None, "no empty spot on the canvas to move the mouse away to"
        self.page.mouse.move(*empty)  # hides the tooltip of the last thing hovered
        self.page.wait_for_function(f"() => ({_TOOLTIP_JS})() === null", timeout=TIMEOUT_MS)
        self.page.mouse.move(*self._point_or_fail(kind, ident))
        self.page.wait_for_function(_TOOLTIP_JS, timeout=TIMEOUT_MS)
        return self.js(_TOOLTIP_JS)

    def click(self, kind: str, ident: str, expect: list[str]) -> str:
        """Click the node or edge, wait for the details panel to show every text of ``expect``, return its text."""
        self.page.mouse.click(*self._point_or_fail(kind, ident))
        try:
            self.page.wait_for_function(_PANEL_SHOWS_JS, arg=expect, timeout=TIMEOUT_MS)
        except Exception:
            shown = self.js("document.getElementById('sg-details')?.textContent")
            pytest.fail(f"after clicking the {kind} {ident!r} the details panel does not show {expect!r}; it shows {shown!r}")
        return self.js("document.getElementById('sg-details').textContent")

    def problems(self) -> dict[str, list[str]]:
        return {
            "blocked requests": self.blocked,
            "console errors": self.console_errors,
            "page errors": self.page_errors,
            "dialogs": self.dialogs,
        }

    def assert_clean(self) -> None:
        problems = {name: found for name, found in self.problems().items() if found}
        assert not problems, f"the page did something wrong: {problems}"


@pytest.fixture
def view(browser: Any) -> Iterator[ViewPage]:
    yield from _view_page(browser)


@pytest.fixture
def fresh_view(browser: Any) -> Iterator[ViewPage]:
    """A second page, in a context of its own (nothing shared with ``view``): a link opened elsewhere."""
    yield from _view_page(browser)


def _view_page(browser: Any) -> Iterator[ViewPage]:
    context = browser.new_context(viewport=VIEWPORT, service_workers="block", java_script_enabled=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    vp = ViewPage(page)

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            vp.blocked.append(r.request.url)
            r.abort("blockedbyclient")

    context.route("**/*", route)  # the whole context: also pages the view might open
    page.on("console", lambda m: vp.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: vp.page_errors.append(str(e)))

    def dialog(d: Any) -> None:
        vp.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    context.on("page", lambda p: vp.blocked.append(f"a new page was opened: {p.url}"))
    try:
        yield vp
    finally:
        context.close()


# --------------------------------------------------------------------------- the command line


@dataclass
class Cli:
    cwd: Path

    def __call__(self, *args: str | Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "XDG_CACHE_HOME": str(self.cwd / "cache")}  # never the user's cache
        done = subprocess.run(
            [sys.executable, "-m", "stancegraph.cli", *map(str, args)],
            cwd=self.cwd, env=env, capture_output=True, text=True, timeout=300,
        )
        if ok:
            assert done.returncode == 0, f"stancegraph {' '.join(map(str, args))} exited {done.returncode}:\n{done.stderr}"
        return done


@pytest.fixture(scope="session")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    return Cli(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(scope="session")
def example_views(browser: Any, cli: Cli, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example's page, written from the annotation folder and from a built .trig file.

    Asks for ``browser`` first, so that without one the tests are skipped before anything is built."""
    tmp = tmp_path_factory.mktemp("example")
    cli("view", EXAMPLE, "-o", tmp / "x.html")
    cli("build", EXAMPLE, "-o", tmp / "gaza.trig")
    cli("view", tmp / "gaza.trig", "-o", tmp / "from-trig.html")
    return {"yaml": tmp / "x.html", "trig": tmp / "from-trig.html", "trig-file": tmp / "gaza.trig"}


@pytest.fixture(scope="module")
def example() -> Any:
    """The example's projection (``project(load_dataset(...))``): what the page is made of, for the
    expected answers of test_browser_panel, _share and _time (test_browser_explore's own ``example``,
    the expectations of that module, takes its place there). One per module: a test may change it."""
    from stancegraph.output import project
    from stancegraph.output.graphfile import load_dataset

    return project(load_dataset([EXAMPLE]))
