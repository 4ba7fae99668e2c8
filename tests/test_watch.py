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

from stancegraph.graph import build_compiled
from stancegraph.output.stream import chunks
from stancegraph.output.watch import Rebuild, watch

from sgtest import EXAMPLE


def clean(folder: Path, fmt: str) -> bytes:
    compiled = build_compiled([folder], shacl=False)
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


def test_a_watch_keeps_the_checked_registry_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After its first build, a watch neither parses the unchanged registry nor loads its copy from the
    cache folder to build a changed source: the build record it holds carries it (and nothing else in
    the process does: a build that is not handed the record loads the copy)."""
    from stancegraph.graph.pipeline import registry as checked_registry

    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, folder)
    source = sorted((folder / "sources").glob("*.yaml"))[0]
    loads: list[str] = []
    for name in ("read_corpus", "load_registry"):
        real = getattr(checked_registry, name)
        monkeypatch.setattr(checked_registry, name,
                            lambda *args, real=real, name=name, **named: loads.append(name) or real(*args, **named))
    reports: list[Rebuild] = []
    steps: list[Callable[[], None]] = [lambda: _retitle(source, "Retitled once"), lambda: _retitle(source, "Twice")]

    def sleep(seconds: float) -> None:
        if steps:
            steps.pop(0)()

    watch([folder], tmp_path / "out.nt", "nt", cache_dir=tmp_path / "cache", shacl=False, interval=0.0,
          report=reports.append, sleep=sleep, stop=lambda: len(reports) == 3)
    assert [len(r.compiled.changed()) for r in reports[1:] if r.compiled is not None] == [1, 1]
    assert loads == ["read_corpus"], "the first build checks the registry; the rebuilds take it from memory"
    _retitle(source, "Built without the record")
    build_compiled([folder], shacl=False, cache_dir=tmp_path / "cache").close()
    assert loads == ["read_corpus", "load_registry"]


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
    assert [len(r.compiled.entries) for r in reports if r.compiled] == [3, 2, 3]
    assert out.read_bytes() == clean(folder, "nquads")


class Watching:
    """``stancegraph build ... --watch`` in a subprocess, its standard error read line by line."""

    def __init__(self, *args: str, cwd: Path):
        command = [sys.executable, "-m", "stancegraph.cli", "build", *args, "--watch", "--interval", "0.1"]
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=cwd)
        self.lines: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=lambda: [self.lines.put(line) for line in self.process.stderr],  # type: ignore[union-attr]
                                       daemon=True)
        self.reader.start()

    def line(self) -> str:
        return self.lines.get(timeout=60)

    def stop(self) -> str:
        """SIGINT, as Ctrl-C; what it printed after the lines read."""
        try:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=60)
            self.reader.join(timeout=60)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self.process.communicate()
        return "".join(self.lines.get() for _ in range(self.lines.qsize()))


def test_the_command_watches_until_interrupted(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, folder)
    source = sorted((folder / "sources").glob("*.yaml"))[0]
    out = tmp_path / "graph.ttl"
    watching = Watching(str(folder), "-o", str(out), "--cache", str(tmp_path / "cache"), "--no-shacl", cwd=tmp_path)
    try:
        first, second = watching.line(), watching.line()
        assert "Wrote graph.ttl" in first and "Watching the inputs" in second, (first, second)
        _retitle(source, "Edited while the command watches")
        rebuilt = watching.line()
        assert "Rebuilt graph.ttl" in rebuilt and "(1 built, 2 from the cache)" in rebuilt, rebuilt
        assert b"Edited while the command watches" in out.read_bytes()
    finally:
        rest = watching.stop()
    assert watching.process.returncode == 0, rest
    assert "Stopped." in rest and "Traceback" not in rest


def test_a_watch_that_starts_with_problems_says_it_watches(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, folder)
    source = sorted((folder / "sources").glob("*.yaml"))[0]
    original = source.read_text("utf-8")
    source.write_text(original + "statements: [\n", "utf-8")
    watching = Watching(str(folder), "-o", "graph.nt", "--cache", str(tmp_path / "cache"), cwd=tmp_path)
    try:
        lines = [watching.line() for _ in range(3)]
        assert source.name in lines[0]
        assert "1 problem: nothing was written. Fix it and save" in lines[1] and "Watching the inputs" in lines[2], lines
        source.write_text(original, "utf-8")
        assert "Rebuilt graph.nt" in watching.line()
    finally:
        watching.stop()
    assert watching.process.returncode == 0


@pytest.mark.parametrize("args, message", [
    (["--watch", "-o", "-"], "give -o FILE"),
    (["--watch", "-o", "x.nt", "--no-cache"], "--no-cache"),
    (["-o", "x.nt", "--interval", "2"], "--interval goes with --watch"),
])
def test_watch_needs_a_file_and_the_cache(args: list[str], message: str, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "stancegraph.cli", "build", str(EXAMPLE), *args],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 2 and message in done.stderr


def test_a_graph_file_is_not_watched(tmp_path: Path) -> None:
    """No save can make a graph file annotations: the watch stops at once, exit 1."""
    (tmp_path / "g.ttl").write_text("<a:b> <a:c> <a:d> .\n", "utf-8")
    done = subprocess.run([sys.executable, "-m", "stancegraph.cli", "build", "g.ttl", "--watch", "-o", "x.nt"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 1 and "g.ttl: a graph file (RDF), not an annotation file" in done.stderr


def test_an_output_that_cannot_be_written_is_reported_and_the_watch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, folder)
    source = sorted((folder / "sources").glob("*.yaml"))[0]
    (tmp_path / "blocked").write_text("a file where the output's folder should be", "utf-8")
    out = tmp_path / "blocked" / "graph.nt"
    reports: list[Rebuild] = []

    def sleep(seconds: float) -> None:
        if len(reports) == 1:
            (tmp_path / "blocked").unlink()  # the way is clear now
            _retitle(source, "Written once the folder could be made")

    watch([folder], out, "nt", cache_dir=tmp_path / "cache", shacl=False, interval=0.0, report=reports.append,
          sleep=sleep, stop=lambda: len(reports) == 2)
    failed, written = reports
    assert failed.compiled is None and "cannot write here" in str(failed.problems[0])
    assert written.compiled is not None and out.read_bytes() == clean(folder, "nt")
