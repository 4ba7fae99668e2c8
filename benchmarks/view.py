"""Time to first draw of the HTML view in headless Chromium, ours vs pyvis's defaults, on synthetic graphs.

    python benchmarks/view.py                 # 1,000 / 3,000 / 10,000 nodes
    python benchmarks/view.py 500 2000        # other sizes
    python benchmarks/view.py --no-pyvis      # skip the (slow) pyvis-defaults column

For each size it builds one synthetic projection (actors, proposals, conditions, two edges per node on
average, each with a statement) and writes two pages of the same graph:

* stancegraph's page (layout computed in Python, physics off), timing the Python side too;
* pyvis with its defaults (physics on, nodes and edges filled in bulk, ``cdn_resources="in_line"`` so that
  it can load offline; its bootstrap CDN request is blocked).

"first draw" is milliseconds from navigation start to vis-network's first ``afterDrawing``; for pyvis
also until ``stabilized`` (capped). Needs Debian's chromium at /usr/bin/chromium and Playwright.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-extensions"]
CAP_MS = 60_000

HOOK = """
Object.defineProperty(window, 'network', {configurable: true,
  set(v) { this.__n = v;
    v.once('afterDrawing', () => { window.__firstDraw = performance.now(); });
    v.once('stabilized', () => { window.__stabilized = performance.now(); }); },
  get() { return this.__n; }});
"""


def synthetic(n: int, seed: int = 1) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    classes = ["actor"] * 6 + ["proposal"] * 3 + ["condition"]
    ids = []
    for i in range(n):
        cls = classes[i % len(classes)]
        node = f"{cls}-{i}"
        ids.append(node)
        g.add_node(node, iri=f"urn:x:{node}", cls=cls, kind="government" if cls == "actor" else None,
                   label=f"{cls.title()} {i}", aliases=[], description=None, wikidata=None, unmet=(i % 17 == 0))
    actors = [x for x in ids if x.startswith("actor")]
    proposals = [x for x in ids if x.startswith("proposal")]
    conditions = [x for x in ids if x.startswith("condition")]
    source = {"id": "s", "title": "Synthetic", "publisher": "Outlet", "published": "2024-03-01", "url": None}
    for i in range(n * 2):
        kind = rng.random()
        if kind < 0.7:
            s, o, rel, label, stance = rng.choice(actors), rng.choice(proposals), "supports", "supports", "supports"
        elif kind < 0.85:
            s, o, rel, label, stance = rng.choice(proposals), rng.choice(conditions), "requires", "requires", None
        else:
            s, o, rel, label, stance = rng.choice(actors), rng.choice(actors), "negotiates-with", "negotiates with", None
        st = {"id": f"st{i}", "iri": f"urn:x:st{i}", "quote": f"quote number {i}", "source": source,
              "date": "2024-03-01", "since": None, "stance": stance, "hedges": [], "status": None,
              "regarding": None, "if": [], "until": [], "according_to": ["Outlet"], "note": None, "quantity": None}
        g.add_edge(s, o, key=f"{rel}-{i}", relation=rel, label=label, stance=stance, statements=[st])
    return g


def pyvis_page(graph: nx.MultiDiGraph, path: Path) -> None:
    from pyvis.network import Network

    net = Network(height="900px", width="100%", directed=True, cdn_resources="in_line")
    net.nodes = [{"id": n, "label": d["label"], "shape": "dot", "size": 10} for n, d in graph.nodes(data=True)]
    net.edges = [{"from": s, "to": o, "arrows": "to"} for s, o in graph.edges()]
    net.node_ids = list(graph.nodes)
    path.write_text(net.generate_html(), encoding="utf-8")


def measure(browser, path: Path, ours: bool) -> tuple[float | None, float | None]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    if not ours:
        page.add_init_script(HOOK)
    first = stable = None
    try:
        page.goto(path.as_uri(), wait_until="domcontentloaded", timeout=CAP_MS)
        if ours:
            page.wait_for_function("window.stancegraphDrawnAt !== undefined", timeout=CAP_MS, polling=50)
            first = page.evaluate("window.stancegraphDrawnAt")
        else:
            page.wait_for_function("window.__firstDraw !== undefined", timeout=CAP_MS, polling=50)
            first = page.evaluate("window.__firstDraw")
            try:
                page.wait_for_function("window.__stabilized !== undefined", timeout=CAP_MS, polling=200)
                stable = page.evaluate("window.__stabilized")
            except Exception:
                stable = None
    except Exception:
        pass
    context.close()
    return first, stable


def fmt(ms: float | None) -> str:
    return f"> {CAP_MS / 1000:.0f} s" if ms is None else f"{ms / 1000:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 3000, 10000])
    parser.add_argument("--no-pyvis", action="store_true", help="skip pyvis's defaults")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from stancegraph.output.view import ViewOptions, render_html

    print(f"machine: {platform.node()} · {platform.machine()} · {platform.python_version()} · "
          f"{__import__('os').cpu_count()} cores")
    print(f"{'nodes':>7} {'edges':>7} {'python (layout+page)':>21} {'page size':>10} {'first draw':>11}"
          f" {'pyvis: first draw':>18} {'pyvis: stabilized':>18}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in args.sizes:
            graph = synthetic(n)
            t0 = time.perf_counter()
            html = render_html(graph, ViewOptions(title=f"synthetic {n}", max_nodes=10**9))
            python_s = time.perf_counter() - t0
            ours = Path(tmp, f"ours-{n}.html")
            ours.write_text(html, encoding="utf-8")
            first, _ = measure(browser, ours, ours=True)
            pv_first = pv_stable = None
            if not args.no_pyvis:
                theirs = Path(tmp, f"pyvis-{n}.html")
                pyvis_page(graph, theirs)
                pv_first, pv_stable = measure(browser, theirs, ours=False)
            print(f"{n:>7,} {graph.number_of_edges():>7,} {python_s:>19.2f} s {len(html) / 1e6:>8.1f} MB {fmt(first):>11}"
                  + ("" if args.no_pyvis else f" {fmt(pv_first):>18} {fmt(pv_stable):>18}"))
            sys.stdout.flush()
        browser.close()


if __name__ == "__main__":
    main()
