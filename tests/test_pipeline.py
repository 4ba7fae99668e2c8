"""The build pipeline: parallel and incremental (cached) builds give exactly the bytes of a clean serial
build. Nothing here is timed; benchmarks/build.py measures speed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from stancegraph.graph import InputProblems, build_compiled
from stancegraph.output.stream import chunks

from sgtest import synthetic_corpus

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("nquads", "nt", "turtle", "trig", "json-ld")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic corpus of 40 sources (registry of a few hundred entries, aliases, chains, hedges)."""
    return synthetic_corpus(tmp_path_factory.mktemp("corpus") / "corpus")


def output(folder: Path, fmt: str = "nquads", **options) -> bytes:
    compiled = build_compiled([folder], shacl=False, **options)
    try:
        return b"".join(chunks(compiled, fmt))
    finally:
        compiled.close()


def built_counts(folder: Path, cache: Path) -> tuple[int, int]:
    compiled = build_compiled([folder], shacl=False, cache_dir=cache, jobs=1)
    compiled.close()
    return len(compiled.changed()), len(compiled.entries)


@pytest.mark.parametrize("fmt", FORMATS)
def test_parallel_build_equals_serial_build(corpus: Path, fmt: str) -> None:
    serial = output(corpus, fmt, jobs=1)
    assert serial.count(b"\n") > 1000
    assert output(corpus, fmt, jobs=2) == serial


def test_cached_build_equals_clean_build_and_rebuilds_only_what_changed(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    cache = tmp_path / "cache"
    clean = output(folder, jobs=1)
    assert built_counts(folder, cache) == (40, 40)  # cold: everything built
    assert output(folder, cache_dir=cache, jobs=1) == clean
    assert built_counts(folder, cache) == (0, 40)  # warm: nothing built

    changed = folder / "sources" / "source-000007.yaml"
    changed.write_text(changed.read_text("utf-8").replace("title: Report 7", "title: Report 7, revised"), "utf-8")
    assert built_counts(folder, cache) == (1, 40)
    rebuilt = output(folder, cache_dir=cache, jobs=2)
    assert rebuilt == output(folder, jobs=1), "the incremental build gives the bytes of a clean build"
    assert rebuilt != clean and b"Report 7, revised" in rebuilt


def test_a_registry_change_rebuilds_every_source(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    cache = tmp_path / "cache"
    built_counts(folder, cache)
    registry = folder / "registry.yaml"
    registry.write_text(registry.read_text("utf-8").replace("label: Outlet 0", "label: Outlet Zero", 1), "utf-8")
    assert built_counts(folder, cache) == (40, 40)
    assert output(folder, cache_dir=cache) == output(folder, jobs=1)


def test_a_damaged_cache_entry_is_built_again(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    clean = output(corpus, jobs=1)
    built_counts(corpus, cache)
    entries = sorted(cache.rglob("*.nt"))
    assert len(entries) == 40
    entries[0].write_bytes(b"not a cache entry\n")
    entries[1].write_bytes(entries[1].read_bytes()[:10])
    entries[2].write_bytes(entries[2].read_bytes()[:-10])  # the header intact, the lines cut short
    entries[3].unlink()
    assert output(corpus, cache_dir=cache) == clean, "each damaged entry is built again when it is read"
    assert sorted(cache.rglob("*.nt")) == entries and all(e.read_bytes().endswith(b" .\n") for e in entries)


def test_problems_are_reported_with_a_warm_cache_and_nothing_broken_is_cached(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    cache = tmp_path / "cache"
    built_counts(folder, cache)
    broken = folder / "sources" / "source-000003.yaml"
    text = broken.read_text("utf-8")
    broken.write_text(text.replace("relation: ", "relation: x", 1), "utf-8")
    duplicate = folder / "sources" / "copy-of-source-000004.yaml"
    shutil.copy(folder / "sources" / "source-000004.yaml", duplicate)
    with pytest.raises(InputProblems) as caught:
        build_compiled([folder], shacl=False, cache_dir=cache)
    messages = [str(p) for p in caught.value.problems]
    assert any("source-000003.yaml" in m and "unknown relation 'x" in m for m in messages), messages
    assert any("duplicate source id 'source-000004'" in m for m in messages), messages
    broken.write_text(text, "utf-8")
    duplicate.unlink()
    assert built_counts(folder, cache) == (0, 40), "the broken version was never cached; the fixed one is the old one"


def test_sources_failing_the_shapes_are_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stancegraph.graph import shacl
    from stancegraph.graph.errors import Loc, Problem

    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "examples" / "gaza-day-after", folder)
    cache = tmp_path / "cache"
    monkeypatch.setattr(shacl, "shacl_problems_compiled", lambda compiled: [Problem(Loc("x"), "SHACL: planted")])
    with pytest.raises(InputProblems):
        build_compiled([folder], shacl=True, cache_dir=cache)
    assert list(cache.rglob("*.nt")) == [], "nothing that failed the shapes is kept"
    monkeypatch.undo()
    compiled = build_compiled([folder], shacl=True, cache_dir=cache)
    compiled.close()
    assert len(compiled.changed()) == 3, "the next build builds and checks them again"


PLANTED = """
import os, sys
from pathlib import Path
from stancegraph.graph import shacl
from stancegraph.graph.errors import Loc, Problem
real, outcome = shacl.shacl_problems_compiled, sys.argv[1]
def checked(compiled):
    Path(os.environ["CHECKED_BY"]).write_text(str(os.getpid()))
    return [Problem(Loc("x"), "SHACL: planted")] if outcome == "fail" else real(compiled)
shacl.shacl_problems_compiled = checked
from stancegraph.cli.main import main
print(os.getpid(), flush=True)
sys.argv = ["stancegraph", "build", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize("outcome", ["pass", "fail"])
def test_the_shapes_checked_beside_the_writing(tmp_path: Path, outcome: str) -> None:
    """``build -o FILE`` checks the shapes in a child process while it writes (a process of its own
    here: one that runs threads does not fork): the output replaces the old file only once they passed;
    a failure leaves the old file as it was and keeps nothing it built."""
    import subprocess
    import sys

    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "examples" / "gaza-day-after", folder)
    out, cache = tmp_path / "out.nt", tmp_path / "cache"
    out.write_bytes(b"the old file\n")
    by = tmp_path / "checked-by"
    ran = subprocess.run([sys.executable, "-c", PLANTED, outcome, str(folder), "-o", str(out), "--cache", str(cache),
                          "--shacl", "--no-index"], capture_output=True, text=True, env={**os.environ, "CHECKED_BY": str(by)})
    assert by.read_text() != ran.stdout.split()[0], "the shapes were checked in the build's own process"
    if outcome == "fail":
        assert ran.returncode == 1, ran.stderr
        assert "SHACL: planted" in ran.stderr and "nothing was written" in ran.stderr
        assert out.read_bytes() == b"the old file\n"
        assert list(cache.rglob("*.nt")) == [], "nothing that failed the shapes is kept"
        assert not list(tmp_path.glob(".out.nt.*")), "the temporary file is left behind"
    else:
        assert ran.returncode == 0, ran.stderr
        assert out.read_bytes() == output(folder, "nt", jobs=1)
