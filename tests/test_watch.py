"""build --watch: the inputs are built again when they change, from what the last build kept in memory;
input with problems is reported and leaves the last good output alone."""

from __future__ import annotations

import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from stancegraph.graph import compile
from stancegraph.output.stream import chunks
from stancegraph.output.watch import Rebuild, watch

from sgtest import EXAMPLE


def clean(folder: Path, fmt: str) -> bytes:
    compiled = compile([folder], shacl=False)
    try:
        return b"".join(chunks(compiled, fmt))
    finally:
        compiled.close()


def _retitle(source: Path, title: str) -> None:
    lines = source.read_text("utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("title:"))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines[at] = f"{indent}title: {title}\n"
    source.write_text("".join(lines), "utf-8")


def test_a_watch_builds_each_change_and_keeps_the_last_good_output(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, folder)
    source = sorted((folder / "sources").glob("*.yaml"))[0]
    original = source.read_text("utf-8")
    out = tmp_path / "out" / "graph.nt"
    reports: list[Rebuild] = []
    seen: dict[str, bytes] = {}

    def retitle() -> None:
        seen["first"] = out.read_bytes()
        _retitle(source, "A title changed while watching")

    def break_it() -> None:
        seen["retitled"] = out.read_bytes()
        source.write_text(original + "statements: [\n", "utf-8")

    def mend() -> None:
        seen["broken"] = out.read_bytes()
        source.write_text(original, "utf-8")

    steps: list[Callable[[], None]] = [retitle, lambda: None, break_it, mend]  # one poll with nothing changed

    def sleep(seconds: float) -> None:  # between two looks at the inputs: the next edit
        if steps:
            steps.pop(0)()

    watch([folder], out, "nt", cache_dir=tmp_path / "cache", shacl=False, interval=0.0, report=reports.append,
          sleep=sleep, stop=lambda: len(reports) == 4)

    first, retitled, broken, mended = reports
    assert first.compiled is not None and first.changed == []
    assert retitled.compiled is not None and retitled.changed == [str(source)]
    assert len(retitled.compiled.changed()) == 1, "only the changed source is built"
    assert b"A title changed while watching" in seen["retitled"]
    assert broken.compiled is None and any(source.name in str(p.loc) for p in broken.problems)
    assert seen["broken"] == seen["retitled"], "input with problems leaves the last good output as it was"
    assert mended.compiled is not None and out.read_bytes() == seen["first"] == clean(folder, "nt")


def test_a_watch_sees_new_and_deleted_files(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, folder)
    sources = sorted((folder / "sources").glob("*.yaml"))
    out = tmp_path / "graph.nq"
    reports: list[Rebuild] = []
    steps: list[Callable[[], None]] = [lambda: sources[1].rename(tmp_path / "away.yaml"),
                                       lambda: (tmp_path / "away.yaml").rename(folder / "back.yaml")]
    watch([folder], out, "nquads", cache_dir=tmp_path / "cache", shacl=False, interval=0.0, report=reports.append,
          sleep=lambda s: steps.pop(0)() if steps else None, stop=lambda: len(reports) == 3)
    assert [len(r.compiled.entries) for r in reports if r.compiled] == [2, 1, 2]
    assert out.read_bytes() == clean(folder, "nquads")


def test_the_command_watches_until_interrupted(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, folder)
    source = sorted((folder / "sources").glob("*.yaml"))[0]
    out = tmp_path / "graph.ttl"
    command = [sys.executable, "-m", "stancegraph.cli", "build", str(folder), "-o", str(out), "--watch",
               "--interval", "0.1", "--cache", str(tmp_path / "cache"), "--no-shacl"]
    lines: queue.Queue[str] = queue.Queue()
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=tmp_path) as process:
        assert process.stderr is not None
        reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True)  # type: ignore[union-attr]
        reader.start()
        try:
            first, second = lines.get(timeout=60), lines.get(timeout=60)
            assert "Wrote graph.ttl" in first and "Watching the inputs" in second, (first, second)
            _retitle(source, "Edited while the command watches")
            rebuilt = lines.get(timeout=60)
            assert "Rebuilt graph.ttl" in rebuilt and "(1 built, 1 from the cache)" in rebuilt, rebuilt
            assert b"Edited while the command watches" in out.read_bytes()
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
            reader.join(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    rest = "".join(lines.get() for _ in range(lines.qsize()))
    assert process.returncode == 0, rest
    assert "Stopped." in rest and "Traceback" not in rest


@pytest.mark.parametrize("args, message", [(["-o", "-"], "give -o FILE"), (["-o", "x.nt", "--no-cache"], "--no-cache")])
def test_watch_needs_a_file_and_the_cache(args: list[str], message: str, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "stancegraph.cli", "build", str(EXAMPLE), "--watch", *args],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 2 and message in done.stderr
