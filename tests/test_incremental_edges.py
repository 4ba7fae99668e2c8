"""Incremental builds at their edges (graph/record.py, graph/pipeline/, output/stream.py), found by a
review that tried to break them: a registry saved while a build reads it, damaged or hostile records,
layouts and registry copies, edits that change no line, sources moved away from their text, duplicate
ids with a warm cache, texts that settle. Each test holds a promise of the docs ("a rebuild gives the
same bytes as a clean build"; "a damaged or lost piece only costs time"; "a file that would come out
the same is not written at all"); its docstring tells how it was once broken."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
import yaml

from stancegraph.graph import InputProblems, StancegraphError, record
from stancegraph.graph.pipeline import registry as checked_registry

from sgtest import REGISTRY_YAML, SOURCE_YAML, hashing, synthetic_corpus
from sgtest import build_cached as build
from sgtest import build_clean as clean


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_corpus(tmp_path_factory.mktemp("review") / "corpus", 12, seed=7)


@pytest.fixture
def folder(corpus: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    return copy


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test count as settled (as files saved seconds before a build would)."""
    monkeypatch.setattr(record, "RACY_NS", 0)


def _source(folder: Path, index: int) -> Path:
    return folder / "sources" / f"source-{index:06d}.yaml"


def _retitle(folder: Path, index: int = 3) -> None:
    path = _source(folder, index)
    doc = yaml.safe_load(path.read_text("utf-8"))
    doc["source"]["title"] += ", revised"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")


def _record_file(cache: Path) -> Path:
    (kept,) = (cache / "builds").iterdir()
    return kept


# ----------------------------------------------------------------------------- the registry, read twice


def test_a_registry_saved_while_a_build_scans_does_not_poison_the_registry_cache(
        folder: Path, tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry's digest is made from the bytes the scan read, but ``pipeline.registry.checked_registry``
    parses the registry files again from disk. When the registry is saved in between (an editor, or
    ``build --watch``), the checked copy of the *new* registry is kept in ``registries/`` and the record
    under the digest of the *old* bytes. Once the edit is undone, every build of those bytes (in any
    project sharing the cache folder) loads the other registry: the output is not a clean build's."""
    registry = folder / "registry.yaml"
    scanned = registry.read_bytes()
    saved = scanned.replace(b"label: Outlet 0", b"label: Outlet Zero", 1)
    assert saved != scanned
    real = checked_registry.read_corpus
    raced: list[bool] = []

    def saved_meanwhile(paths: Any, *rest: Any, **named: Any) -> Any:
        monkeypatch.setattr(checked_registry, "read_corpus", real)
        registry.write_bytes(saved)  # saved after the scan read it, before it is parsed
        raced.append(True)
        return real(paths, *rest, **named)

    monkeypatch.setattr(checked_registry, "read_corpus", saved_meanwhile)
    cache, out = tmp_path / "cache", tmp_path / "out.nt"
    with suppress(StancegraphError):  # this build may give up, saying why: what matters is what it keeps
        build(folder, out, "nt", cache)
    assert raced, "the registry was parsed after the scan"
    registry.write_bytes(scanned)  # the edit undone
    build(folder, out, "nt", cache)
    assert out.read_bytes() == clean(folder, "nt")


def test_a_registry_read_again_for_a_lost_copy_does_not_poison_the_entries(
        folder: Path, tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same race through the lazy path: the record vouches for the registry (fingerprint F0), its
    kept copy is gone, so ``load()`` parses the registry files from disk, and they changed since the scan.
    The source built then is stored under the key of F0 but resolved against the other registry (here:
    each actor's aliases moved to the next actor), and every later build of the same bytes takes it
    from the cache."""
    cache, out = tmp_path / "cache", tmp_path / "out.nq"
    build(folder, out, "nquads", cache)
    registry = folder / "registry.yaml"
    scanned = registry.read_bytes()
    doc = yaml.safe_load(scanned)
    actors = [name for name in doc["actors"] if name.startswith("actor-")]
    for i, name in enumerate(actors):  # "A4" and "actor number 4" now name actor-5
        doc["actors"][name]["aliases"] = [f"A{i - 1}", f"actor number {i - 1}"] if i else []
    saved = yaml.safe_dump(doc, sort_keys=False).encode("utf-8")
    assert "actor number 4" in _source(folder, 3).read_text("utf-8"), "source 3 names an actor by an alias"
    shutil.rmtree(cache / "registries")  # pruned, or lost: "only costs time"
    _retitle(folder)
    real = checked_registry.read_corpus
    raced: list[bool] = []

    def saved_meanwhile(paths: Any, *rest: Any, **named: Any) -> Any:
        monkeypatch.setattr(checked_registry, "read_corpus", real)
        registry.write_bytes(saved)
        raced.append(True)
        return real(paths, *rest, **named)

    monkeypatch.setattr(checked_registry, "read_corpus", saved_meanwhile)
    with suppress(StancegraphError):  # this build may give up, saying why: what matters is what it keeps
        build(folder, out, "nquads", cache)
    assert raced, "the registry was parsed after the scan"
    registry.write_bytes(scanned)  # the edit undone
    build(folder, tmp_path / "again.nq", "nquads", cache)
    assert (tmp_path / "again.nq").read_bytes() == clean(folder, "nquads")


# ----------------------------------------------------------------------------- a damaged record


def _no_base(data: dict[str, Any]) -> None:
    del data["registry"]["base"]


def _line_count_as_text(data: dict[str, Any]) -> None:
    data["registry"]["lines"] = str(data["registry"]["lines"])


def _layout_not_a_mapping(data: dict[str, Any]) -> None:
    for name in data["outputs"]:
        data["outputs"][name] = [name]


def _head_as_text(data: dict[str, Any]) -> None:
    for layout in data["outputs"].values():
        layout["head"] = str(layout["head"])


def _entry_counts_as_text(data: dict[str, Any]) -> None:
    data["entries"]["counts"] = [str(n) for n in data["entries"]["counts"]]


def _entry_ids_as_numbers(data: dict[str, Any]) -> None:
    data["entries"]["ids"] = list(range(len(data["entries"]["ids"])))


DAMAGE: dict[str, Callable[[dict[str, Any]], None]] = {
    "the registry without its base": _no_base,
    "the registry's line count as text": _line_count_as_text,
    "an output layout that is not a mapping": _layout_not_a_mapping,
    "an output layout whose head is text": _head_as_text,
    "entry counts as text": _entry_counts_as_text,
    "entry ids as numbers": _entry_ids_as_numbers,
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_record_costs_time_not_a_traceback(folder: Path, tmp_path: Path, settled: None, damage: str) -> None:
    """``BuildRecord.from_data`` checks the lengths of the columns only; ``registry`` and ``outputs`` are
    taken as they are and the counts are not checked to be numbers. A record of the right version with
    a field of the wrong shape then raises KeyError, TypeError or AttributeError out of ``compile`` or
    ``write_compiled`` (a traceback from ``stancegraph build``) instead of being ignored."""
    cache, out = tmp_path / "cache", tmp_path / "out.nt"
    build(folder, out, "nt", cache)
    kept = _record_file(cache)
    data = json.loads(kept.read_bytes())
    DAMAGE[damage](data)
    kept.write_text(json.dumps(data), "utf-8")
    _retitle(folder)
    build(folder, out, "nt", cache)
    assert out.read_bytes() == clean(folder, "nt")


def _head_plus_one(layout: dict[str, Any]) -> None:
    layout["head"] += 1


def _block_shorter(layout: dict[str, Any]) -> None:
    layout["spans"][3] -= 1  # the length of the second block


def _block_later(layout: dict[str, Any]) -> None:
    layout["spans"][2] += 1  # the offset of the second block


LAYOUT_DAMAGE: dict[str, Callable[[dict[str, Any]], None]] = {
    "the head one byte longer": _head_plus_one,
    "a block one byte shorter": _block_shorter,
    "a block one byte later": _block_later,
}


@pytest.mark.parametrize("fmt", ["nt", "nquads"])
@pytest.mark.parametrize("damage", LAYOUT_DAMAGE)
def test_a_layout_that_does_not_tile_its_file_is_not_used(folder: Path, tmp_path: Path, settled: None,
                                                          damage: str, fmt: str) -> None:
    """One digit of a layout changed (still valid JSON, the file's stat still matching): the spans no
    longer tile the file (head, then each block right after the last, ending at its size), yet they are
    copied as they are, and the rebuild writes a wrong file without a word."""
    cache, out = tmp_path / "cache", tmp_path / f"out.{fmt}"
    build(folder, out, fmt, cache)
    kept = _record_file(cache)
    data = json.loads(kept.read_bytes())
    (layout,) = data["outputs"].values()
    LAYOUT_DAMAGE[damage](layout)
    kept.write_text(json.dumps(data), "utf-8")
    _retitle(folder)
    build(folder, out, fmt, cache)
    assert out.read_bytes() == clean(folder, fmt)


# ----------------------------------------------------------------------------- a damaged registry copy


def _drop_a_line(data: dict[str, Any]) -> None:
    data["lines"] = data["lines"].split("\n", 1)[1]


def _rows_without_fields(data: dict[str, Any]) -> None:
    data["registry"]["entities"] = [row[:1] for row in data["registry"]["entities"]]


def _index_as_list(data: dict[str, Any]) -> None:
    data["index"] = sorted(data["index"])


REGISTRY_DAMAGE: dict[str, Callable[[dict[str, Any]], None]] = {
    "a line missing": _drop_a_line,
    "entries without their fields": _rows_without_fields,
    "the name index as a list": _index_as_list,
}


@pytest.mark.parametrize("damage", REGISTRY_DAMAGE)
def test_a_damaged_registry_copy_is_read_again(folder: Path, tmp_path: Path, settled: None, damage: str) -> None:
    """``load_registry`` checks the format tag only: lines that no longer hash to the record's
    fingerprint are written as the registry block, and rows or an index of another shape raise KeyError
    or AttributeError when a source is checked against them, instead of the registry being read again."""
    cache = tmp_path / "cache"
    build(folder, tmp_path / "out.nt", "nt", cache)
    (kept,) = (cache / "registries").iterdir()
    data = json.loads(kept.read_bytes())
    REGISTRY_DAMAGE[damage](data)
    kept.write_text(json.dumps(data), "utf-8")
    _retitle(folder)  # a source to build: the registry is loaded
    out = tmp_path / "new.nt"  # no layout to copy from: the registry block is written from the lines
    build(folder, out, "nt", cache)
    assert out.read_bytes() == clean(folder, "nt")


# ----------------------------------------------------------------------------- the same bytes


@pytest.mark.parametrize("fmt", ["nt", "nquads"])
def test_an_edit_that_changes_no_line_leaves_the_output_alone(folder: Path, tmp_path: Path, settled: None,
                                                              fmt: str) -> None:
    """docs/cli.md: "a file that would come out the same is not written at all". A comment added to a
    source gives it a new cache key, so ``_rewritten`` assembles its block as bytes (identical to the
    old ones) and ``write_compiled`` replaces the file: a new inode and mtime for the same bytes."""
    cache, out = tmp_path / "cache", tmp_path / f"out.{fmt}"
    build(folder, out, fmt, cache)
    before = os.stat(out)
    with _source(folder, 3).open("a", encoding="utf-8") as handle:
        handle.write("# checked against the print edition\n")
    build(folder, out, fmt, cache)
    after = os.stat(out)
    assert out.read_bytes() == clean(folder, fmt)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), "not written again"


# ----------------------------------------------------------------------------- sources that move


def test_a_source_moved_away_from_its_text_is_anchored_in_the_new_one(tmp_path: Path, settled: None) -> None:
    """A source's cache key is the hash of its bytes (and the registry), and its ``text:`` dependency is
    kept as the absolute path it resolved to. Moved to another folder, ``text: article.txt`` names another
    file, but the entry (checked against the old, unchanged file) is still a hit: the build succeeds with
    the old anchoring where a clean build reports that the quote is not in the text. (This predates the
    record: the entry header's ``deps`` are checked the same way.)"""
    root = tmp_path / "corpus"
    (root / "sources" / "a").mkdir(parents=True)
    (root / "sources" / "b").mkdir()
    (root / "registry.yaml").write_text(REGISTRY_YAML, "utf-8")
    (root / "sources" / "a" / "s1.yaml").write_text(
        SOURCE_YAML.replace("  language: en\n", "  language: en\n  text: article.txt\n"), "utf-8")
    (root / "sources" / "a" / "article.txt").write_text("Officials said Alpha supports the plan.\n", "utf-8")
    (root / "sources" / "b" / "article.txt").write_text("Nothing of the kind here.\n", "utf-8")
    cache, out = tmp_path / "cache", tmp_path / "out.nt"
    build(root, out, "nt", cache)
    (root / "sources" / "a" / "s1.yaml").rename(root / "sources" / "b" / "s1.yaml")
    with pytest.raises(InputProblems) as clean_build:
        clean(root, "nt")
    assert "the quote is not in the text" in str(clean_build.value.problems[0])
    with pytest.raises(InputProblems):
        build(root, out, "nt", cache)


# ----------------------------------------------------------------------------- duplicate source ids


def _copy_of_it(sources: Path) -> None:
    shutil.copyfile(sources / "s1.yaml", sources / "a-copy.yaml")  # the same bytes: a cache hit too


def _another_with_its_id(sources: Path) -> None:
    (sources / "a-copy.yaml").write_text(SOURCE_YAML.replace("title: A source", "title: Another source"), "utf-8")


DUPLICATES: dict[str, Callable[[Path], None]] = {
    "a copy of a built source": _copy_of_it,
    "another source with a built source's id": _another_with_its_id,
}


@pytest.mark.parametrize("duplicate", DUPLICATES)
def test_a_duplicate_source_id_is_reported_as_a_clean_build_reports_it(tmp_path: Path, settled: None,
                                                                       duplicate: str) -> None:
    """Results are checked for duplicate ids in the order cache hits first, then the sources built, and
    a hit has no location. With ``s1.yaml`` in the cache, a new ``a-copy.yaml`` with its id is reported
    as ``a-copy.yaml:L:C: ... already used by s1.yaml`` (or as ``s1.yaml: ...`` without line and column,
    when both are hits) where a clean build (and the same build once the cache is cold) reports
    ``s1.yaml:L:C: ... already used by a-copy.yaml``. (This predates the record.)"""
    root = tmp_path / "corpus"
    (root / "sources").mkdir(parents=True)
    (root / "registry.yaml").write_text(REGISTRY_YAML, "utf-8")
    (root / "sources" / "s1.yaml").write_text(SOURCE_YAML, "utf-8")
    cache = tmp_path / "cache"
    build(root, tmp_path / "out.nt", "nt", cache)
    DUPLICATES[duplicate](root / "sources")
    with pytest.raises(InputProblems) as cold:
        clean(root, "nt")
    with pytest.raises(InputProblems) as warm:
        build(root, tmp_path / "out.nt", "nt", cache)
    assert [str(p) for p in warm.value.problems] == [str(p) for p in cold.value.problems]


# ----------------------------------------------------------------------------- texts read again


def test_a_text_read_again_because_it_was_too_recent_is_trusted_once_settled(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/cli.md: "a file changed less than two seconds before a build looked at it is read again next
    time". For the ``text:`` file of a source, it is read again every time, for good: the hit path keeps
    the record's ``EntryState`` as it was, with the stat it could not trust ([-1, -1, -1, -1]), and never
    stores the stat it has just checked the text's hash against. A corpus whose texts were checked out just
    before its first build hashes every text on every rebuild."""
    root = tmp_path / "corpus"
    (root / "sources").mkdir(parents=True)
    (root / "registry.yaml").write_text(REGISTRY_YAML, "utf-8")
    (root / "sources" / "s1.yaml").write_text(
        SOURCE_YAML.replace("  language: en\n", "  language: en\n  text: article.txt\n"), "utf-8")
    text = b"Officials said Alpha supports the plan.\n"
    (root / "sources" / "article.txt").write_bytes(text)
    cache, out = tmp_path / "cache", tmp_path / "out.nt"
    monkeypatch.setattr(record, "RACY_NS", 10**18)  # the first build: every file has just changed
    build(root, out, "nt", cache)
    monkeypatch.setattr(record, "RACY_NS", 0)  # from now on, every file has settled
    build(root, out, "nt", cache)  # reads what it could not trust, once
    hashed = hashing(monkeypatch)
    build(root, out, "nt", cache)
    assert text not in hashed, "the text, unchanged and settled, is not read again"


# ----------------------------------------------------------------------------- JSON of another shape

DEEP = "[" * 100_000 + "]" * 100_000

#: (folder of the cache, the text written over each file there)
ODD_JSON = {
    "a record nested too deep": ("builds", DEEP),
    "a registry copy nested too deep": ("registries", DEEP),
    "entry headers nested too deep": ("entries", DEEP + "\n"),
    "entry headers that are lists": ("entries", "[1]\n"),
}


@pytest.mark.parametrize("odd", ODD_JSON)
def test_cache_files_of_another_json_shape_cost_time_not_a_traceback(folder: Path, tmp_path: Path, settled: None,
                                                                     odd: str) -> None:
    """``json.loads`` raises RecursionError (a RuntimeError) for arrays nested a few thousand deep, which
    the ``except (OSError, ValueError, ...)`` around a record, a registry copy or an entry header does not
    catch; and ``read_header`` calls ``header.get`` on whatever JSON the first line holds (AttributeError
    for a list). ``stancegraph build`` then ends in a traceback instead of building the piece again.
    (For entry headers this predates the record.)"""
    cache = tmp_path / "cache"
    build(folder, tmp_path / "out.nt", "nt", cache)
    kept, text = ODD_JSON[odd]
    if kept == "entries":
        files = list(cache.glob("??/*.nt"))
        shutil.rmtree(cache / "builds")  # no record to vouch for the entries: their headers are read
    else:
        files = list((cache / kept).iterdir())
    assert files
    for file in files:
        file.write_text(text, "utf-8")
    _retitle(folder)  # a source to build: the registry is loaded
    out = tmp_path / "new.nt"  # every block is assembled
    build(folder, out, "nt", cache)
    assert out.read_bytes() == clean(folder, "nt")


# ----------------------------------------------------------------------------- texts edited


@pytest.mark.parametrize("fmt", ["nt", "nquads"])
def test_an_edited_text_moves_the_quotes_in_every_output(tmp_path: Path, settled: None, fmt: str) -> None:
    """A source's cache key is its bytes and the registry; the text its quotes are anchored in is a
    dependency checked on each hit. An edit of the text (offsets move) builds the source again under
    the same key with other lines: outputs compare the lines' digest, not the key, so the output just
    written and one written before the edit (built again later) both get the new offsets."""
    root = tmp_path / "corpus"
    (root / "sources").mkdir(parents=True)
    (root / "registry.yaml").write_text(REGISTRY_YAML, "utf-8")
    (root / "sources" / "s1.yaml").write_text(
        SOURCE_YAML.replace("  language: en\n", "  language: en\n  text: article.txt\n"), "utf-8")
    text = root / "sources" / "article.txt"
    text.write_text("Officials said Alpha supports the plan.\n", "utf-8")
    cache, first, second = tmp_path / "cache", tmp_path / f"first.{fmt}", tmp_path / f"second.{fmt}"
    build(root, first, fmt, cache)
    build(root, second, fmt, cache)
    before = first.read_bytes()
    text.write_text("A longer introduction.\nOfficials said Alpha supports the plan.\n", "utf-8")
    build(root, second, fmt, cache)
    assert second.read_bytes() == clean(root, fmt) != before, "the output built now has the new offsets"
    build(root, first, fmt, cache)
    assert first.read_bytes() == clean(root, fmt), "so has the one built before the edit, built again"
