"""Wall time and peak memory of each analysis command on one graph file, each in a fresh process.

    python benchmarks/analysis.py GRAPH                      # every command
    python benchmarks/analysis.py GRAPH --proposal ID        # the proposal blockers and view --focus use
    python benchmarks/analysis.py GRAPH --only stats,query   # some of them (names as printed, before the first space)
    python benchmarks/analysis.py GRAPH --keep DIR           # keep what the commands wrote

GRAPH is a graph file written by ``stancegraph build`` (``.nt``, ``.nq``, ``.ttl``, ``.trig``,
``.jsonld``), e.g. the 10,000-source corpus of benchmarks/build.py. Each command runs once, as
``python -m stancegraph.cli ...`` under ``/usr/bin/time -f %M`` (peak RSS of the process), with its
output sent to a file; the last column says what it produced. Run it on a quiet machine, and read the
figures as orders of magnitude: one run each.
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

#: name → arguments after ``stancegraph`` (GRAPH, PROPOSAL and OUT are replaced)
COMMANDS = {
    "stats": ["stats", "GRAPH"],
    "matrix -f csv": ["matrix", "GRAPH", "-f", "csv"],
    "blockers GRAPH PROPOSAL": ["blockers", "GRAPH", "PROPOSAL"],
    "contradictions": ["contradictions", "GRAPH"],
    "query --named approvals -f csv": ["query", "GRAPH", "--named", "approvals", "-f", "csv"],
    "export -o e.gexf": ["export", "GRAPH", "-o", "OUT/e.gexf"],
    "view": ["view", "GRAPH", "-o", "OUT/view.html"],
    "view --focus PROPOSAL --depth 1": ["view", "GRAPH", "--focus", "PROPOSAL", "--depth", "1", "-o", "OUT/focus.html"],
}


def byte_compiled() -> None:
    """Let the commands timed from here keep their compiled bytecode, and compile it now.

    Containers and CI images often set ``PYTHONDONTWRITEBYTECODE``: every command would then compile
    stancegraph's modules and its dependencies' from source on every run (0.1 to 0.3 s each; more for a
    build's worker processes), which no installed copy does."""
    import importlib.util

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    root = Path(__file__).resolve().parents[1]
    folders = [root / part for part in ("graph", "output", "cli", "ontology")]
    for name in ("rdflib", "pyshacl", "owlrl", "networkx", "click", "yaml", "jinja2", "pyoxigraph", "openpyxl", "pyvis"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            folders.append(Path(spec.origin).parent)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *map(str, folders)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


class Failed(Exception):
    """A command exited with an error: its message, as the row's result."""


def run(cmd: list[str], stdout: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and the last line of standard error of one command."""
    timed = ["/usr/bin/time", "-f", "%M", *cmd]
    t0 = time.perf_counter()
    with stdout.open("wb") as out:
        done = subprocess.run(timed, stdout=out, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    lines = done.stderr.strip().splitlines()
    if done.returncode != 0:  # /usr/bin/time adds two lines of its own: the exit status and the RSS
        said = [line for line in lines[:-1] if not line.startswith("Command exited with non-zero status")]
        raise Failed(f"failed (exit {done.returncode}): {said[-1] if said else 'no message'}")
    rss_mb = int(lines[-1]) / 1024
    return wall, rss_mb, lines[-2] if len(lines) > 1 else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", type=Path)
    parser.add_argument("--proposal", default="proposal-1",
                        help="for blockers and view --focus (default: proposal-1, as benchmarks/make_corpus.py names them; "
                             "for the example: gaza-day-after-plan)")
    parser.add_argument("--only", default="", help="comma-separated command names (the first word of each row)")
    parser.add_argument("--keep", type=Path, help="write the outputs to this folder and keep them")
    args = parser.parse_args()
    byte_compiled()
    if not Path("/usr/bin/time").exists():
        sys.exit("needs /usr/bin/time (Debian: apt-get install time) for the peak RSS")
    if not args.graph.is_file():
        sys.exit(f"{args.graph}: no such file")
    wanted = {w.strip() for w in args.only.split(",") if w.strip()}
    out = args.keep or Path(tempfile.mkdtemp(prefix="stancegraph-analysis-"))
    out.mkdir(parents=True, exist_ok=True)
    size = args.graph.stat().st_size
    print(f"machine: {platform.node()} · {platform.machine()} · Python {platform.python_version()} · "
          f"{os.cpu_count()} cores · load average {os.getloadavg()[0]:.1f}")
    print(f"graph: {args.graph} ({size / 1e6:.0f} MB)\n")
    print(f"  {'command':36s} {'wall':>8s} {'peak RSS':>10s}   result")
    try:
        for i, (name, template) in enumerate(COMMANDS.items()):
            if wanted and name.split()[0] not in wanted:
                continue
            argv = [str(args.graph) if a == "GRAPH" else args.proposal if a == "PROPOSAL"
                    else a.replace("OUT", str(out)) for a in template]
            stdout = out / f"{i}-{template[0]}.out"
            try:
                wall, rss, last = run([sys.executable, "-m", "stancegraph.cli", *argv], stdout)
            except Failed as exc:
                print(f"  {name:36s} {'':>8s} {'':>10s}   {exc}")
                continue
            written = [Path(a) for a in argv if a.startswith(str(out))]
            result = (f"{written[0].name}: {written[0].stat().st_size / 1e6:.1f} MB" if written
                      else f"{stdout.stat().st_size / 1e3:.0f} kB of output")
            last = last.split(": ", 1)[-1] if last.startswith("Wrote") else ""  # export's counts
            if last == "open it in a browser.":
                last = ""
            print(f"  {name:36s} {wall:7.1f}s {rss:8.0f} MB   {result}{'; ' + last if last else ''}")
            sys.stdout.flush()
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
