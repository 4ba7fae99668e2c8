"""The index beside a graph file, side by side with reading the file as before, on one corpus, in one run.

    python benchmarks/index.py                         # the 10,000-source corpus (made in a temporary folder)
    python benchmarks/index.py --sources 1000          # smaller, to try it
    python benchmarks/index.py --corpus DIR            # a corpus made earlier by benchmarks/make_corpus.py
    python benchmarks/index.py --no-push               # leave out the push to a local Oxigraph

Each command runs once, in a fresh process (``python -m stancegraph.cli``), under ``/usr/bin/time`` for
its peak RSS, with a cache folder of its own (``XDG_CACHE_HOME``). Printed, for the analysis commands
(stats, matrix, blockers, contradictions, export, view --focus and every named query):

- rdflib: rdflib reading the file (how ``query`` read it before the index; ``--engine rdflib``);
- today: the file read again by every command (``--no-index``: pyoxigraph's parser straight into the
  projection, or into a store in memory for ``query``);
- first read: the first command of a fresh cache, which makes the index (the projection for the
  analysis commands; for ``query``, a store in memory that answers it and the library's queries), next
  to the build of the file (which writes the projection part itself unless ``--no-index``: both builds
  are timed);
- index: each command once the index is made (by the first read above: the projection, with the kept
  answers of stats, matrix and contradictions; the answers of the library's queries); then a query
  never asked before, which makes the on-disk store (answered in memory meanwhile), and another,
  answered on that store.

Each figure is wall seconds, CPU seconds (user + system) and peak RSS; on a shared machine the wall
time follows the load, printed first.

Then ``stancegraph push`` of the same corpus (as N-Quads) to a local ``oxigraph serve`` started here.
Read the figures as orders of magnitude: one run each, on whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from analysis import Failed, byte_compiled, run  # noqa: E402  (benchmarks/analysis.py: wall time and peak RSS of a command)

ROOT = Path(__file__).resolve().parents[1]
NAMED = sorted(p.stem for p in (ROOT / "output" / "queries").glob("*.rq"))
#: name → arguments after ``stancegraph`` (GRAPH, PROPOSAL and OUT are replaced)
ANALYSIS = {
    "stats": ["stats", "GRAPH"],
    "matrix -f csv": ["matrix", "GRAPH", "-f", "csv"],
    "blockers PROPOSAL": ["blockers", "GRAPH", "PROPOSAL"],
    "contradictions": ["contradictions", "GRAPH"],
    "export -o e.gexf": ["export", "GRAPH", "-o", "OUT/e.gexf"],
    "view --focus PROPOSAL": ["view", "GRAPH", "--focus", "PROPOSAL", "-o", "OUT/focus.html"],
    **{f"query --named {name}": ["query", "GRAPH", "--named", name, "-f", "csv"] for name in NAMED},
}
RDFLIB_QUERIES = ("approvals", "stances")  # rdflib takes half a minute and a gigabyte each: two of them


def stancegraph(*args: str) -> list[str]:
    return [sys.executable, "-m", "stancegraph.cli", *args]


def timed(cmd: list[str], out: Path) -> str:
    """Wall seconds, CPU seconds (user + system: what the load of a shared machine leaves alone) and peak
    RSS of one command."""
    before = os.times()
    try:
        wall, rss, _ = run(cmd, out)
    except Failed as exc:
        return str(exc)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return f"{wall:6.2f} s ({cpu:5.2f} cpu) {rss:5.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=10000)
    parser.add_argument("--corpus", type=Path, help="a corpus folder made by benchmarks/make_corpus.py")
    parser.add_argument("--proposal", default="proposal-1")
    parser.add_argument("--no-push", action="store_true")
    args = parser.parse_args()
    byte_compiled()
    work = Path(tempfile.mkdtemp(prefix="stancegraph-index-bench-"))
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    try:
        corpus = args.corpus
        if corpus is None:
            corpus = work / "corpus"
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(args.sources), str(corpus)],
                           check=True, stdout=subprocess.DEVNULL)
        graph = work / "graph.nt"
        print(f"machine: {platform.node()} · {platform.machine()} · Python {platform.python_version()} · "
              f"{os.cpu_count()} cores · load average {os.getloadavg()[0]:.1f}")
        build = timed(stancegraph("build", str(corpus), "-o", str(graph), "--no-cache", "--no-index", "-q"),
                      work / "build.out")
        print(f"corpus: {corpus} → {graph.name}, {graph.stat().st_size / 1e6:.0f} MB")
        print(f"  {'build → .nt (--no-cache --no-index)':44s} {build}")
        indexed = timed(stancegraph("build", str(corpus), "-o", str(graph), "--no-cache", "-q"), work / "build.out")
        print(f"  {'build → .nt (--no-cache), writing the index':44s} {indexed}")
        rdflib_parse = timed([sys.executable, "-c", "import sys, rdflib; rdflib.Dataset().parse(sys.argv[1], format='nt')",
                              str(graph)], work / "parse.out")
        print(f"  {'rdflib parsing the .nt (no command)':44s} {rdflib_parse}")
        sys.stdout.flush()

        def argv(template: list[str]) -> list[str]:
            return [str(graph) if a == "GRAPH" else args.proposal if a == "PROPOSAL" else a.replace("OUT", str(work))
                    for a in template]

        rows: dict[str, dict[str, str]] = {name: {} for name in ANALYSIS}
        for name, template in ANALYSIS.items():  # today: every command reads the file again
            if name.startswith("query"):
                if name.split()[-1] in RDFLIB_QUERIES:
                    rows[name]["rdflib"] = timed(stancegraph(*argv(template), "--engine", "rdflib"), work / "o")
            rows[name]["today"] = timed(stancegraph(*argv(template), "--no-index"), work / "o")
        shutil.rmtree(work / "cache", ignore_errors=True)
        first = {"stats": timed(stancegraph(*argv(ANALYSIS["stats"])), work / "o"),
                 f"query --named {NAMED[0]}": timed(stancegraph(*argv(ANALYSIS[f"query --named {NAMED[0]}"])), work / "o")}
        for name, template in ANALYSIS.items():
            rows[name]["index"] = timed(stancegraph(*argv(template)), work / "o")
        # a query never asked before: the first makes the on-disk store (answered in memory meanwhile);
        # the next is answered on that store (every named one was answered with the first query)
        for n, name in enumerate(("query @stances.rq, never asked (makes the store)",
                                  "query @stances.rq, never asked (on the store)")):
            fresh = (ROOT / "output" / "queries" / "stances.rq").read_text("utf-8") + f"\n# asked for the first time ({n})\n"
            (work / "fresh.rq").write_text(fresh, "utf-8")
            rows[name] = {"index": timed(stancegraph("query", str(graph), f"@{work / 'fresh.rq'}", "-f", "csv"), work / "o")}
        index_mb = sum(f.stat().st_size for f in (work / "cache").rglob("*") if f.is_file()) / 1e6

        print(f"\nfirst read, a fresh cache (makes the index; {index_mb:.0f} MB in the cache folder), next to the build above:")
        for name, figure in first.items():
            print(f"  {name + (' (the projection)' if name == 'stats' else ' (in memory, the library too)'):44s} {figure}")
        print(f"\n  {'command':48s} {'rdflib (--engine rdflib)':>30s} {'today (--no-index)':>30s} {'index':>30s}")
        for name, row in rows.items():
            print(f"  {name:48s} {row.get('rdflib', '-'):>30s} {row.get('today', '-'):>30s} {row.get('index', '-'):>30s}")
        print(f"load average now {os.getloadavg()[0]:.1f}")
        sys.stdout.flush()

        if not args.no_push:
            from push import start_oxigraph  # benchmarks/push.py

            quads = work / "graph.nq"
            subprocess.run(stancegraph("build", str(corpus), "-o", str(quads), "-q"), check=True)
            process, endpoint = start_oxigraph(work / "oxigraph")
            try:
                pushed = timed(stancegraph("push", str(quads), "--endpoint", endpoint, "-q"), work / "push.out")
            finally:
                process.terminate()
                process.wait(timeout=30)
            print(f"\n  {'push the .nq to a local oxigraph serve':44s} {pushed}  (load average {os.getloadavg()[0]:.1f})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
