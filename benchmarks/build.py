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
* incremental: a build with a cold cache, then one source changed and rebuilt: time, how many sources
  were rebuilt, and whether the output is byte-identical to a clean build of the changed corpus.
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
PY_OXI = "import sys,pyoxigraph as o; s=o.Store(); s.bulk_load(path=sys.argv[1], format=o.RdfFormat.N_TRIPLES); print(len(s))"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 10000])
    parser.add_argument("--keep", type=Path, help="keep corpora and outputs in this folder")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="stancegraph-bench-"))
    root.mkdir(parents=True, exist_ok=True)
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
        cold, _ = run([*sg, "build", str(corpus), "-o", str(root / f"inc-{n}.nt"), "-q", "--cache", str(cache)])
        changed = sorted((corpus / "sources").iterdir())[n // 2]
        original = changed.read_text(encoding="utf-8")
        try:
            changed.write_text(original.replace("title: Report", "title: Revised report", 1), encoding="utf-8")
            warm, warm_rss = run([*sg, "build", str(corpus), "-o", str(root / f"inc-{n}.nt"), "--cache", str(cache)])
            run([*sg, "build", str(corpus), "-o", str(root / f"clean-{n}.nt"), "-q", "--no-cache"])
            identical = filecmp.cmp(root / f"inc-{n}.nt", root / f"clean-{n}.nt", shallow=False)
        finally:
            changed.write_text(original, encoding="utf-8")

        print(f"\n{n:,} sources → {triples:,} triples ({nt.stat().st_size / 1e6:.0f} MB of N-Triples)")
        print(f"  stancegraph build → .nt, 1 process      {serial:7.1f} s   peak RSS {serial_rss:6.0f} MB")
        print(f"  stancegraph build → .nt, parallel       {parallel:7.1f} s   peak RSS {parallel_rss:6.0f} MB"
              f"   ({serial / parallel:.2f}× faster)")
        print(f"  stancegraph build → .ttl, parallel      {ttl:7.1f} s   peak RSS {ttl_rss:6.0f} MB")
        print(f"  rdflib: parse the .nt                   {rdflib_s:7.1f} s   peak RSS {rdflib_rss:6.0f} MB"
              f"   (build / rdflib parse = {parallel / rdflib_s:.2f})")
        print(f"  pyoxigraph: bulk-load the .nt           {oxi_s:7.1f} s   peak RSS {oxi_rss:6.0f} MB")
        print(f"  incremental: cold cache                 {cold:7.1f} s")
        print(f"  incremental: 1 source changed           {warm:7.1f} s   peak RSS {warm_rss:6.0f} MB"
              f"   ({100 * warm / cold:.1f}% of the cold build; byte-identical to a clean build: {identical})")
        sys.stdout.flush()
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
