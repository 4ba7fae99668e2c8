"""Regenerate docs/img/view-arabic.png: the Gaza example's page with Arabic labels (--lang ar,en), in Chromium.

    python docs/make_screenshots.py

Needs Debian's Chromium at /usr/bin/chromium and the playwright package (pip install -e '.[test]'). Look at
the picture after a change to the view's fonts: the Arabic labels on the canvas must be joined letters,
read right to left, not isolated forms or boxes.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gaza-day-after"
TARGET = ROOT / "docs" / "img" / "view-arabic.png"
CHROMIUM = "/usr/bin/chromium"


def screenshot(html: Path, target: Path, select: str = "n:israel") -> None:
    """A picture of the page ``html`` with the node ``select`` chosen (its panel open, its label in view)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
            page.goto(html.resolve().as_uri())
            page.wait_for_selector('body[data-drawn="true"]', state="attached")
            page.evaluate("(id) => { window.stancegraph.select(id); window.stancegraph.network.moveTo({scale: 1.1}); }",
                          select)
            page.wait_for_timeout(300)  # one animation frame of vis-network's redraw; not an assertion
            target.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(target))
        finally:
            browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "view-ar.html"
        subprocess.run([sys.executable, "-m", "stancegraph.cli", "view", str(EXAMPLE), "--lang", "ar,en",
                        "--title", "gaza-day-after (ar)", "-o", str(html)], check=True)
        screenshot(html, TARGET)
    print(f"Wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
