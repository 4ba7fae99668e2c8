"""Build time and memory on synthetic corpora, side by side with rdflib and pyoxigraph on the same output.

    python benchmarks/build.py                    # 100, 1,000 and 10,000 sources
    python benchmarks/build.py 1000 --keep /tmp/corpora

For each size: the corpus is written by make_corpus.py (kept with --keep), then, each in a fresh process:

* ``stancegraph build`` to N-Triples, serial (--jobs 1) and parallel (default), no cache: wall time and
  peak RSS (the largest of the process and its workers);
* the same to Turtle (through pyoxigraph);
* rdflib parsing the resulting N-Triples (``Graph().parse(format="nt")``): the time rdflib alone needs
  to read what stancegraph wrote;
* pyoxigraph bulk-loading them (``Store().bulk_load``);
* incremental (``--cache``): a build with a cold cache; a rebuild with nothing changed; then, for two
  kinds of edit of one source (its title: lines of its own; a statement's relation: a plain triple,
  which N-Triples writes once for all sources), the rebuild to N-Triples without and with the SHACL
  check of what was built (the default checks it, the cold build is too large to), and to Turtle
  (blocks of unchanged sources copied, as for N-Triples); each N-Triples rebuild is compared byte for byte with a clean build; and what no
  rebuild can avoid: starting Python with the command line's imports, and replacing the output file
  durably (copy in the kernel, fsync, rename); and ``build --watch`` (one process that keeps the
  record, the registry and its imports): three one-source rebuilds, without and with SHACL.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from analysis import byte_compiled  # noqa: E402  (benchmarks/analysis.py)


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a child process (and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    wrapped = ["/usr/bin/time", "-f", "%M", *cmd] if Path("/usr/bin/time").exists() else cmd
    done = subprocess.run(wrapped, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")
    if wrapped is not cmd:
        rss_kb = int(done.stderr.strip().splitlines()[-1])
    else:  # pragma: no cover
        rss_kb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return wall, rss_kb / 1024


PY_RDFLIB = "import sys,rdflib; g=rdflib.Graph(); g.parse(sys.argv[1], format='nt'); print(len(g))"
#: what no rebuild can avoid: replacing the output durably (a copy in the kernel, fsync, rename over the
#: old file, which frees its blocks) and starting Python with the command line's imports
PY_REPLACE = """
import os, sys, time
src, dst = sys.argv[1], sys.argv[2]
with open(src, "rb") as a, open(dst, "wb") as b:  # the file the replacement replaces
    os.copy_file_range(a.fileno(), b.fileno(), os.path.getsize(src))
t = time.perf_counter()
with open(src, "rb") as a, open(dst + ".tmp", "wb") as b:
    left = os.path.getsize(src)
    while left:
        left -= os.copy_file_range(a.fileno(), b.fileno(), left)
    os.fsync(b.fileno())
os.replace(dst + ".tmp", dst)
print(time.perf_counter() - t)
"""
PY_IMPORT = "import stancegraph.cli.main"
#: build --watch, in one process: the first build, then three edits of one source's title, each noticed
#: and built; prints the seconds of each rebuild (from noticing the change to the output written)
PY_WATCH = """
import sys, time
from pathlib import Path
from stancegraph.output.watch import watch
corpus, out, cache, source, shacl = sys.argv[1:6]
path = Path(source)
original = path.read_text(encoding="utf-8")
reports = []
def sleep(_):
    if 1 <= len(reports) <= 3:
        path.write_text(original.replace("title: Report", f"title: Watched {len(reports)} {time.time()}", 1),
                        encoding="utf-8")
try:
    watch([corpus], out, "nt", cache_dir=cache, shacl=None if shacl == "default" else False, interval=0,
          report=reports.append, sleep=sleep, stop=lambda: len(reports) == 4)
finally:
    path.write_text(original, encoding="utf-8")
assert [len(r.compiled.changed()) for r in reports[1:]] == [1, 1, 1]
print(" ".join(str(r.seconds) for r in reports[1:]))
"""
PY_OXI = "import sys,pyoxigraph as o; s=o.Store(); s.bulk_load(path=sys.argv[1], format=o.RdfFormat.N_TRIPLES); print(len(s))"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 10000])
    parser.add_argument("--keep", type=Path, help="keep corpora and outputs in this folder")
    args = parser.parse_args()
    byte_compiled()
    root = args.keep or Path(tempfile.mkdtemp(prefix="stancegraph-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    # the index of each output (measured by benchmarks/index.py) is left out: these are the build's figures
    os.environ["STANCEGRAPH_NO_INDEX"] = "1"
    sg = [sys.executable, "-m", "stancegraph.cli"]
    print(f"machine: {platform.node()} · {platform.machine()} · Python {platform.python_version()} · "
          f"{os.cpu_count()} cores")
    for n in args.sizes:
        corpus = root / f"corpus-{n}"
        if not corpus.exists():
            subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(n), str(corpus)], check=True,
                           capture_output=True)
        nt = root / f"out-{n}.nt"
        serial, serial_rss = run([*sg, "build", str(corpus), "-o", str(nt), "-q", "--no-cache", "--jobs", "1"])
        parallel, parallel_rss = run([*sg, "build", str(corpus), "-o", str(nt), "-q", "--no-cache"])
        ttl, ttl_rss = run([*sg, "build", str(corpus), "-o", str(root / f"out-{n}.ttl"), "-q", "--no-cache"])
        triples = sum(1 for _ in nt.open("rb"))
        rdflib_s, rdflib_rss = run([sys.executable, "-c", PY_RDFLIB, str(nt)])
        oxi_s, oxi_rss = run([sys.executable, "-c", PY_OXI, str(nt)])

        cache = root / f"cache-{n}"
        shutil.rmtree(cache, ignore_errors=True)
        inc, inc_ttl = root / f"inc-{n}.nt", root / f"inc-{n}.ttl"
        cold, _ = run([*sg, "build", str(corpus), "-o", str(inc), "-q", "--cache", str(cache)])
        run([*sg, "build", str(corpus), "-o", str(inc_ttl), "-q", "--cache", str(cache)])
        noop, _ = run([*sg, "build", str(corpus), "-o", str(inc), "-q", "--cache", str(cache)])
        sources = sorted((corpus / "sources").iterdir())
        titled = sources[n // 2]
        related = next(p for p in sources[n // 3 :] if "relation: opposes" in p.read_text(encoding="utf-8"))
        edits = {
            "title (own lines)": (titled, lambda text: text.replace("title: Report", "title: Revised report", 1)),
            "relation (a plain triple)": (related, lambda text: text.replace("relation: opposes", "relation: supports", 1)),
        }
        replace_s = float(subprocess.run([sys.executable, "-c", PY_REPLACE, str(inc), str(root / "replaced.nt")],
                                         capture_output=True, text=True, check=True).stdout)
        (root / "replaced.nt").unlink()
        start_s, _ = run([sys.executable, "-c", PY_IMPORT])
        watched = {}
        for flag in ("--no-shacl", "default"):
            done = subprocess.run([sys.executable, "-c", PY_WATCH, str(corpus), str(inc), str(cache), str(titled), flag],
                                  capture_output=True, text=True, check=True)
            watched[flag] = [float(x) for x in done.stdout.split()]
        rebuilt: dict[str, dict[str, float | bool]] = {}
        for name, (changed, edit) in edits.items():
            original = changed.read_text(encoding="utf-8")
            figures: dict[str, float | bool] = {}
            try:
                for label, output, flags in (("nt, --no-shacl", inc, ["--no-shacl"]), ("nt, default", inc, []),
                                             ("ttl, --no-shacl", inc_ttl, ["--no-shacl"])):
                    changed.write_text(original, encoding="utf-8")
                    run([*sg, "build", str(corpus), "-o", str(output), "-q", "--cache", str(cache)])
                    # the comment makes each variant's bytes new to the cache: each rebuild builds the source
                    changed.write_text(f"{edit(original)}# {label}\n", encoding="utf-8")
                    figures[label], _ = run([*sg, "build", str(corpus), "-o", str(output), "-q", "--cache", str(cache),
                                             *flags])
                    if output == inc:
                        clean = root / f"clean-{n}.nt"
                        if label == "nt, --no-shacl":
                            run([*sg, "build", str(corpus), "-o", str(clean), "-q", "--no-cache"])
                        figures[f"{label} identical"] = filecmp.cmp(inc, clean, shallow=False)
            finally:
                changed.write_text(original, encoding="utf-8")
            rebuilt[name] = figures

        print(f"\n{n:,} sources → {triples:,} triples ({nt.stat().st_size / 1e6:.0f} MB of N-Triples)")
        print(f"  stancegraph build → .nt, 1 process      {serial:7.1f} s   peak RSS {serial_rss:6.0f} MB")
        print(f"  stancegraph build → .nt, {'parallel' if n >= 200 else 'default '}       {parallel:7.1f} s   peak RSS {parallel_rss:6.0f} MB"
              f"   (speed-up {serial / parallel:.2f}×)")
        print(f"  stancegraph build → .ttl, parallel      {ttl:7.1f} s   peak RSS {ttl_rss:6.0f} MB")
        print(f"  rdflib: parse the .nt                   {rdflib_s:7.1f} s   peak RSS {rdflib_rss:6.0f} MB"
              f"   (build / rdflib parse = {parallel / rdflib_s:.2f})")
        print(f"  pyoxigraph: bulk-load the .nt           {oxi_s:7.1f} s   peak RSS {oxi_rss:6.0f} MB")
        print(f"  incremental: cold cache                 {cold:7.1f} s")
        print(f"  incremental: nothing changed            {noop:7.2f} s   ({100 * noop / cold:.1f}% of the cold build)")
        for flag, seconds in watched.items():
            steady = sorted(seconds)[len(seconds) // 2]
            print(f"  incremental, build --watch ({flag}): 1 source's title, rebuilt in "
                  f"{' / '.join(f'{x:.2f}' for x in seconds)} s (median {100 * steady / cold:.1f}% of the cold build)")
        print(f"  what a rebuild cannot avoid: start Python and import the CLI {start_s:.2f} s; replace the "
              f".nt durably {replace_s:.2f} s (together {100 * (start_s + replace_s) / cold:.1f}% of the cold build)")
        for name, figures in rebuilt.items():
            print(f"  incremental: 1 source's {name}:")
            for label in ("nt, --no-shacl", "nt, default", "ttl, --no-shacl"):
                same = figures.get(f"{label} identical")
                tail = "" if same is None else f"; byte-identical to a clean build: {same}"
                print(f"    → {label:24s}   {figures[label]:7.2f} s   ({100 * figures[label] / cold:.1f}% of the cold build{tail})")
        sys.stdout.flush()
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
