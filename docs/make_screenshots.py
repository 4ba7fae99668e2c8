"""Regenerate the pictures of the Gaza example's page in docs/img/, in Chromium.

    python docs/make_screenshots.py

- ``view-default.png``: the page as it opens;
- ``view-changes.png``: the range March 2024 to November 2025 with "Mark what changed in the range" on;
- ``view-congruence.png``: the congruence network mode (when the page has one);
- ``view-arabic.png``: the labels in Arabic (``--lang ar,en``), Israel selected.

Needs Debian's Chromium at /usr/bin/chromium and the playwright package (pip install -e '.[test]'). Look at
the pictures after a change to the view: labels legible and apart, the Arabic ones joined letters read right
to left, not isolated forms or boxes.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gaza-day-after"
IMG = ROOT / "docs" / "img"
TARGET = IMG / "view-arabic.png"
CHROMIUM = "/usr/bin/chromium"


def screenshot(html: Path, target: Path, select: str | None = "n:israel", fragment: str = "",
               script: str | None = None) -> bool:
    """A picture of the page ``html`` (opened with ``fragment``), with the node ``select`` chosen (its panel
    open, its label in view) or ``script`` run first. False when the page lacks what ``script`` needs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
            page.goto(html.resolve().as_uri() + fragment)
            page.wait_for_selector('body[data-drawn="true"]', state="attached")
            if script is not None and not page.evaluate(script):
                return False
            if select is not None:
                page.evaluate("(id) => { window.stancegraph.select(id); window.stancegraph.network.moveTo({scale: 1.1}); }",
                              select)
            page.wait_for_timeout(300)  # one animation frame of vis-network's redraw; not an assertion
            target.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(target))
            return True
        finally:
            browser.close()


def _view(html: Path, *args: str) -> Path:
    subprocess.run([sys.executable, "-m", "stancegraph.cli", "view", str(EXAMPLE), *args, "-o", str(html)], check=True)
    return html


#: picks the congruence mode when the page has one (a select #sg-mode with that option)
_CONGRUENCE = """() => { const s = document.getElementById('sg-mode');
  if (!s || !Array.from(s.options).some(o => o.value === 'congruence')) return false;
  s.value = 'congruence'; s.dispatchEvent(new Event('change', {bubbles: true})); return true; }"""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = _view(Path(tmp) / "view.html")
        made = [IMG / "view-default.png", IMG / "view-changes.png"]
        screenshot(page, made[0], select=None)
        screenshot(page, made[1], select=None, fragment="#since=2024-03&until=2025-11-17&changes=1")
        if screenshot(page, IMG / "view-congruence.png", select=None, script=_CONGRUENCE):
            made.append(IMG / "view-congruence.png")
        else:
            print("No congruence mode in the page: docs/img/view-congruence.png left as it is", file=sys.stderr)
        screenshot(_view(Path(tmp) / "view-ar.html", "--lang", "ar,en", "--title", "gaza-day-after (ar)"), TARGET)
        made.append(TARGET)
    for path in made:
        print(f"Wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
