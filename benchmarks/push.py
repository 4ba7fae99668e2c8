"""Throughput of ``stancegraph push`` against a real Oxigraph server, on a large corpus.

    python benchmarks/make_corpus.py 10000 /tmp/corpus-10k    # the synthetic corpus of the scale work
    python benchmarks/push.py /tmp/corpus-10k                 # push it to a fresh local Oxigraph
    python benchmarks/push.py /tmp/corpus-10k --endpoint URL  # or to a Graph Store endpoint of your own
    python benchmarks/push.py --replicate-example 1000        # no corpus at hand: the Gaza example's
                                                              # sources copied under new ids

CORPUS is any folder that ``stancegraph build`` reads. Without ``--endpoint`` an ``oxigraph serve`` (from
the ``oxigraph`` package) is started on a free 127.0.0.1 port with a temporary data folder and stopped
at the end.

Measured, each on its own: building the dataset (without SHACL), turning it into per-graph payloads
(canonical N-Triples and their SHA-256), the first push (every graph new), a second push (nothing to
send: one GET of the record of hashes), and a push after one source changed (one graph sent). Each push
time includes making the payloads again, as a real push does.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gaza-day-after"


def replicate_example(target: Path, sources: int) -> Path:
    """A corpus of ``sources`` sources: the example's registry, and its sources copied under new ids."""
    (target / "sources").mkdir(parents=True)
    shutil.copy(EXAMPLE / "registry.yaml", target / "registry.yaml")
    templates = sorted((EXAMPLE / "sources").glob("*.yaml"))
    texts = [(path.stem, path.read_text(encoding="utf-8")) for path in templates]
    for i in range(sources):
        stem, text = texts[i % len(texts)]
        new_id = f"{stem}-{i:05d}"
        (target / "sources" / f"{new_id}.yaml").write_text(text.replace(f"id: {stem}\n", f"id: {new_id}\n", 1),
                                                           encoding="utf-8")
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_oxigraph(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = Path(sysconfig.get_path("scripts")) / "oxigraph"
    exe = str(binary) if binary.is_file() else shutil.which("oxigraph")
    if exe is None:
        sys.exit("oxigraph is not installed: pip install oxigraph, or pass --endpoint")
    port = free_port()
    process = subprocess.Popen([exe, "serve", "--location", str(data), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/store?default", timeout=2).close()
            return process, f"{url}/store"
        except OSError:
            if process.poll() is not None:
                sys.exit(f"oxigraph serve exited with {process.returncode}")
            time.sleep(0.05)
    process.kill()
    process.wait()
    sys.exit("oxigraph serve did not answer within 30 s")


def edit_one_source(corpus: Path) -> str:
    path = sorted((corpus / "sources").glob("*.yaml"))[0]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.lstrip().startswith("title:"):
            lines[i] = line[: len(line) - len(line.lstrip())] + "title: Changed by the push benchmark\n"
            break
    path.write_text("".join(lines), encoding="utf-8")
    return path.stem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, help="folder of annotation files")
    parser.add_argument("--replicate-example", type=int, metavar="N",
                        help="make a corpus of N sources from the Gaza example instead")
    parser.add_argument("--endpoint", help="Graph Store endpoint to push to (default: a fresh local Oxigraph)")
    args = parser.parse_args()
    if (args.corpus is None) == (args.replicate_example is None):
        parser.error("give a CORPUS folder or --replicate-example N")

    from stancegraph.graph import build
    from stancegraph.output.store import GraphStore, payloads, plan_push, push

    with tempfile.TemporaryDirectory(prefix="stancegraph-push-bench-") as tmp:
        work = Path(tmp)
        if args.replicate_example is not None:
            corpus = replicate_example(work / "corpus", args.replicate_example)
        else:
            corpus = work / "corpus"
            shutil.copytree(args.corpus, corpus)  # a copy: one source gets edited below
        process = None
        endpoint = args.endpoint
        signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))  # so that the server below is stopped too
        if endpoint is None:
            process, endpoint = start_oxigraph(work / "oxigraph")
        try:
            t = time.perf_counter()
            dataset = build([corpus], shacl=False).dataset
            t_build = time.perf_counter() - t
            t = time.perf_counter()
            _, items = payloads(dataset)
            t_payloads = time.perf_counter() - t
            graphs = len(items)
            triples = sum(p.triples for p in items)
            size = sum(len(p.data) for p in items)

            rows = []
            with GraphStore(endpoint) as store:
                for name in ("first push (all new)", "second push (unchanged)"):
                    t = time.perf_counter()
                    plan = plan_push(store, dataset, lazy=True)  # as the CLI does
                    result = push(store, plan)
                    rows.append((name, len(result.sent), result.triples_sent, result.bytes_sent,
                                 time.perf_counter() - t))
                edited = edit_one_source(corpus)
                dataset = build([corpus], shacl=False).dataset
                t = time.perf_counter()
                plan = plan_push(store, dataset, lazy=True)  # as the CLI does
                result = push(store, plan)
                rows.append((f"one source changed ({edited[:24]}…)", len(result.sent), result.triples_sent,
                             result.bytes_sent, time.perf_counter() - t))
        finally:
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    load = ", load average %.1f" % os.getloadavg()[0] if hasattr(os, "getloadavg") else ""
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs{load}, "
          f"{platform.python_implementation()} {platform.python_version()}, "
          f"store: {'Oxigraph (local, started by the benchmark)' if process is not None else endpoint}")
    print(f"corpus: {graphs - 2:,} sources -> {graphs:,} graphs (registry, ontology, sources), {triples:,} triples, "
          f"{size / 1e6:,.1f} MB of N-Triples")
    print(f"build (no SHACL): {t_build:.1f} s; payloads (canonical N-Triples + SHA-256): {t_payloads:.1f} s; "
          "each push below includes making the payloads again, as a push does")
    print()
    print(f"{'push':<44}{'graphs sent':>12}{'triples':>12}{'MB':>8}{'seconds':>9}{'graphs/s':>10}{'triples/s':>11}")
    for name, sent, sent_triples, sent_bytes, seconds in rows:
        rate = f"{sent / seconds:,.0f}" if sent else "-"
        trate = f"{sent_triples / seconds:,.0f}" if sent else "-"
        print(f"{name:<44}{sent:>12,}{sent_triples:>12,}{sent_bytes / 1e6:>8.1f}{seconds:>9.2f}{rate:>10}{trate:>11}")


if __name__ == "__main__":
    main()
