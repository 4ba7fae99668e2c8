"""Incremental builds through the build record (graph/record.py): a rebuild reads only the files that
changed, and writes N-Triples / N-Quads by copying the unchanged blocks of the old output, yet gives the
bytes of a clean build. Nothing here is timed; benchmarks/build.py measures speed."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from stancegraph.graph import build_compiled, record
from stancegraph.graph.pipeline import assemble, cache as build_cache
from stancegraph.graph.record import RACY_NS, BuildRecord, FileState

from sgtest import DATA, hashing, synthetic_corpus
from sgtest import build_cached as build
from sgtest import build_clean as clean

STREAMED = ("nt", "nquads", "turtle", "trig")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 sources; sources 20 and 25 state the plain triple of source 10's first statement again, so
    that N-Triples writes it once, in source 10's block, and edits of source 10 move it."""
    folder = synthetic_corpus(tmp_path_factory.mktemp("corpus") / "corpus", 30, seed=11)
    first = _doc(folder, 10)["statements"][0]
    for index in (20, 25):
        doc = _doc(folder, index)
        doc["statements"].append({key: first[key] for key in ("subject", "relation", "object")}
                                 | {"quote": f"the same claim, as source {index} has it"})
        _write(folder, index, doc)
    return folder


def _path(folder: Path, index: int) -> Path:
    return folder / "sources" / f"source-{index:06d}.yaml"


def _doc(folder: Path, index: int) -> dict:
    return yaml.safe_load(_path(folder, index).read_text("utf-8"))


def _write(folder: Path, index: int, doc: dict) -> None:
    _path(folder, index).write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")


def _retitle(folder: Path) -> None:
    doc = _doc(folder, 7)
    doc["source"]["title"] += ", revised"
    _write(folder, 7, doc)


def _flip_shared_triple(folder: Path) -> None:
    doc = _doc(folder, 10)
    statement = doc["statements"][0]
    statement["relation"] = "supports" if statement["relation"] != "supports" else "opposes"
    _write(folder, 10, doc)


def _remove(folder: Path) -> None:
    _path(folder, 10).unlink()


def _add(folder: Path) -> None:
    doc = _doc(folder, 10)
    doc["source"]["id"] = "source-000010a"  # between 10 and 11, stating 10's triples again
    (folder / "sources" / "source-000010a.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")


def _registry(folder: Path) -> None:
    registry = folder / "registry.yaml"
    registry.write_text(registry.read_text("utf-8").replace("label: Outlet 0", "label: Outlet Zero", 1), "utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "a title": _retitle,
    "a plain triple that later sources state too": _flip_shared_triple,
    "a source removed": _remove,
    "a source added": _add,
    "the registry": _registry,
}


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files the test wrote a moment ago count as settled (not "racily clean"), so that the record's
    stats are trusted as they would be for files written seconds before a build."""
    monkeypatch.setattr(record, "RACY_NS", 0)


def _no_whole_write(*args: object, **kwargs: object) -> None:
    raise AssertionError("the output was assembled whole, not from the old file")


@pytest.mark.parametrize("fmt", STREAMED)
@pytest.mark.parametrize("edit", EDITS)
def test_a_rebuild_gives_the_bytes_of_a_clean_build(corpus: Path, tmp_path: Path, fmt: str, edit: str,
                                                    settled: None, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    cache, out = tmp_path / "cache", tmp_path / f"out.{fmt}"
    build(folder, out, fmt, cache)
    before = out.read_bytes()
    assert before == clean(folder, fmt)

    EDITS[edit](folder)
    if edit != "the registry":  # a new registry changes every line's context: that build is whole
        monkeypatch.setattr(assemble, "_written", _no_whole_write)
    build(folder, out, fmt, cache)
    monkeypatch.undo()
    assert out.read_bytes() != before
    assert out.read_bytes() == clean(folder, fmt), "the incremental build gives the bytes of a clean build"


def test_the_shared_triple_moves_between_blocks(corpus: Path, tmp_path: Path, settled: None) -> None:
    """The case the N-Triples rewrite must get right: a plain triple written in source 10's block moves
    to source 20's (the next that states it) when 10 stops stating it, and back."""
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    cache, out = tmp_path / "cache", tmp_path / "out.nt"
    build(folder, out, "nt", cache)
    first = _doc(folder, 10)["statements"][0]
    original = _path(folder, 10).read_bytes()
    lines = out.read_bytes().split(b"\n")
    shared = [line for line in lines if f"/actor/{first['subject']}> ".encode() in line
              and f"/proposal/{first['object']}> .".encode() in line and b"/ns#" in line]
    assert len(shared) == 1, "the plain triple is written once"
    _flip_shared_triple(folder)
    build(folder, out, "nt", cache)
    assert out.read_bytes().count(shared[0] + b"\n") == 1
    assert out.read_bytes() == clean(folder, "nt")
    _path(folder, 10).write_bytes(original)
    build(folder, out, "nt", cache)
    assert out.read_bytes() == clean(folder, "nt") == b"\n".join(lines)


def test_nothing_changed_leaves_the_output_alone(corpus: Path, tmp_path: Path, settled: None) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out.nt"
    build(corpus, out, "nt", cache)
    before = os.stat(out)
    compiled = build(corpus, out, "nt", cache)
    after = os.stat(out)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), "not written again"
    assert compiled.changed() == []


def test_unchanged_files_are_not_read_again(corpus: Path, tmp_path: Path, settled: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    cache, out = tmp_path / "cache", tmp_path / "out.nt"
    build(folder, out, "nt", cache)
    hashed = hashing(monkeypatch)
    build(folder, out, "nt", cache)
    assert hashed == [], "every file's stat matched the record: none was read"
    _retitle(folder)
    build(folder, out, "nt", cache)
    assert len(hashed) == 1 and b"revised" in hashed[0]


def test_files_changed_just_before_a_build_are_read_again_next_time() -> None:
    """A file changed in the same clock tick as a build looked at it could change again with the same
    stat: its stat is not kept ("racily clean"), so the next build reads it."""
    now = 10**19
    rec = BuildRecord(None, "code", scanned_ns=now)
    rec.files = {
        "/old": FileState((10, now - 3 * RACY_NS, now - 3 * RACY_NS, 1), "a" * 64, "source"),
        "/recent": FileState((10, now - RACY_NS // 2, now - 3 * RACY_NS, 2), "b" * 64, "source"),
        "/touched": FileState((10, now - 3 * RACY_NS, now - 1, 3), "c" * 64, "source"),
    }
    back = BuildRecord.from_data(Path("x"), "code", json.loads(json.dumps(rec.to_data())))
    assert back.files["/old"] == rec.files["/old"]
    assert back.files["/recent"].stat is None and back.files["/touched"].stat is None
    assert back.files["/recent"].sha == "b" * 64


def test_an_output_edited_by_hand_is_written_whole(corpus: Path, tmp_path: Path, settled: None) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out.nq"
    build(corpus, out, "nquads", cache)
    expected = out.read_bytes()
    with out.open("r+b") as handle:  # same size, other bytes: only the stat tells
        handle.seek(100)
        handle.write(b"#")
    build(corpus, out, "nquads", cache)
    assert out.read_bytes() == expected


def test_a_damaged_record_or_lost_registry_copy_costs_time_only(corpus: Path, tmp_path: Path, settled: None) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    cache, out = tmp_path / "cache", tmp_path / "out.nt"
    build(folder, out, "nt", cache)
    for kept in (cache / "builds").iterdir():
        kept.write_text('{"format": "1", "code": "%s", "paths": [1' % build_cache.code_fingerprint())
    _retitle(folder)
    build(folder, out, "nt", cache)
    assert out.read_bytes() == clean(folder, "nt")

    for kept in (cache / "registries").iterdir():
        kept.unlink()
    _flip_shared_triple(folder)  # a source to build: the registry is needed, and read again
    compiled = build(folder, out, "nt", cache)
    assert len(compiled.changed()) == 1
    assert out.read_bytes() == clean(folder, "nt")


@pytest.mark.parametrize("fmt", STREAMED)
def test_foreign_inputs_are_rebuilt_and_still_copied(tmp_path: Path, fmt: str, settled: None) -> None:
    """brat sources have no bytes of their own to key on: they are built every time, and their blocks,
    keyed by their lines, are still copied when those lines did not change."""
    folder = tmp_path / "harbor"
    shutil.copytree(DATA / "brat" / "harbor", folder)
    cache, out = tmp_path / "cache", tmp_path / f"out.{fmt}"
    build(folder, out, fmt, cache)
    before = os.stat(out)
    compiled = build(folder, out, fmt, cache)
    assert len(compiled.changed()) == 1
    assert os.stat(out).st_ino == before.st_ino and out.read_bytes() == clean(folder, fmt)


def test_blocks_are_copied_without_copy_file_range_too(corpus: Path, tmp_path: Path, settled: None,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the kernel cannot copy (not Linux, or across file systems), the bytes go through memory."""
    monkeypatch.delattr(os, "copy_file_range", raising=False)
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    cache, out = tmp_path / "cache", tmp_path / "out.nt"
    build(folder, out, "nt", cache)
    _flip_shared_triple(folder)
    monkeypatch.setattr(assemble, "_written", _no_whole_write)
    build(folder, out, "nt", cache)
    monkeypatch.undo()
    assert out.read_bytes() == clean(folder, "nt")


def test_old_copies_of_the_registry_are_pruned(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(record, "MAX_REGISTRIES", 2)
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    cache = tmp_path / "cache"
    registry = folder / "registry.yaml"
    original = registry.read_text("utf-8")
    for edit in range(3):  # three versions of the registry (its bytes are its key)
        registry.write_text(f"{original}# edit {edit}\n", "utf-8")
        build_compiled([folder], shacl=False, cache_dir=cache, jobs=1).close()
    assert len(list((cache / "registries").iterdir())) == 2
