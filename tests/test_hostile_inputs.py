"""Hostile native inputs that once gave tracebacks, hangs or unreadable output (issue 16), each now a
clean problem naming its file: bad addresses, a base with two '#', a 400-digit quantity, a FIFO, a device
and a link that loops among the sources."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sgtest import EXAMPLE, run
from stancegraph.graph import InputProblems, build_compiled

SOURCE = "newsmax-2024-03-pentagon-gaza-force.yaml"


def project(tmp_path: Path) -> Path:
    folder = tmp_path / "gaza"
    shutil.copytree(EXAMPLE, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize("url, why", [
    ("https://a/%zz", "has a '%' that is not followed by two hexadecimal digits"),
    ('"https://a/\\u2028x"', "contains spaces or characters not allowed in an address"),
    ("https://a/x#y#z", "has more than one '#'"),
])
def test_a_bad_address_is_a_problem_not_a_crash(tmp_path: Path, url: str, why: str) -> None:
    folder = project(tmp_path)
    edit(folder / "sources" / SOURCE, "  title:", f"  url: {url}\n  title:")
    with pytest.raises(InputProblems) as caught:
        build_compiled([folder], shacl=True)
    (problem,) = caught.value.problems
    assert problem.message.startswith("url: ") and why in problem.message


def test_a_base_with_two_hashes_is_refused(tmp_path: Path) -> None:
    folder = project(tmp_path)
    edit(folder / "registry.yaml", "base: https://w3id.org/stancegraph/examples/gaza-day-after/", "base: https://a/x#y#")
    done = run("build", folder, "--no-shacl", "-o", tmp_path / "g.nt", cwd=tmp_path)
    assert done.returncode == 1 and "is not a usable base IRI" in done.stderr.decode()
    assert not (tmp_path / "g.nt").exists()


def test_a_400_digit_quantity_is_a_problem(tmp_path: Path) -> None:
    folder = project(tmp_path)
    edit(folder / "sources" / SOURCE, "    quote:", "    quantity: {value: " + "9" * 400 + ", unit: USD}\n    quote:")
    with pytest.raises(InputProblems) as caught:
        build_compiled([folder])
    assert any("too large a quantity" in p.message for p in caught.value.problems)


@pytest.mark.parametrize("kind", ["fifo", "device", "loop", "nowhere"])
def test_what_is_not_a_regular_file_is_named_never_opened(tmp_path: Path, kind: str) -> None:
    folder = project(tmp_path)
    odd = folder / "sources" / "odd.yaml"
    if kind == "fifo":
        os.mkfifo(odd)  # opening it would block for ever
    elif kind == "device":
        odd.symlink_to("/dev/zero")  # reading it would never end
    elif kind == "loop":
        odd.symlink_to("odd.yaml")
    else:
        odd.symlink_to(tmp_path / "gone.yaml")
    done = run("validate", folder, cwd=tmp_path, timeout=30)
    assert done.returncode == 1
    assert "sources/odd.yaml: not a regular file" in done.stderr.decode() + done.stdout.decode()
    assert b"Traceback" not in done.stderr


def _webanno(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    import json

    from sgtest import DATA

    folder = tmp_path / "webanno"
    shutil.copytree(DATA / "webanno", folder)
    page = folder / "fishing-accord.jsonld"
    data = json.loads(page.read_text("utf-8"))
    change(data["first"]["items"][0])
    page.write_text(json.dumps(data), "utf-8")
    return folder


def _selector(item: dict, kind: str) -> dict:  # type: ignore[type-arg]
    return next(s for s in item["target"]["selector"] if s["type"] == kind)


def test_web_annotation_values_of_the_wrong_type_are_no_crash(tmp_path: Path) -> None:
    from stancegraph.graph import load

    def clean(folder: Path) -> dict[str, tuple[int | None, str]]:
        return {st.id: (st.start, st.quote) for s in load([folder]).sources for st in s.statements}

    from sgtest import DATA

    expected = clean(DATA / "webanno")
    # true is an int to Python: as an offset it would shift the quote by one; it is no offset
    started = _webanno(tmp_path / "a", lambda item: _selector(item, "TextPositionSelector").update(start=True))
    assert clean(started) == expected
    prefixed = _webanno(tmp_path / "b", lambda item: _selector(item, "TextQuoteSelector").update(prefix=5))
    assert clean(prefixed) == expected
    nested = _webanno(tmp_path / "c", lambda item: item.update(type=[["Annotation"]]))
    done = run("validate", nested, cwd=tmp_path)
    assert b"Traceback" not in done.stderr and done.returncode in (0, 1)


@pytest.mark.parametrize("change", [
    lambda item: item["body"][0].update(purpose=[["tagging"]]),  # a list where a purpose is: once unhashable
    lambda item: item["target"].update(source=5),  # a number where an address is: once AttributeError
    lambda item: item["target"].update(source="y" * 5000),  # a name too long for the file system: once OSError
], ids=["nested-purpose", "numeric-source", "long-source"])
def test_web_annotation_targets_and_purposes_of_the_wrong_type(tmp_path: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Found by tests/test_fuzz.py: each was a traceback."""
    done = run("build", _webanno(tmp_path, change), "--no-cache", "-o", tmp_path / "g.nt", cwd=tmp_path)
    assert b"Traceback" not in done.stderr and done.returncode in (0, 1), done.stderr.decode()


def test_a_web_annotation_target_outside_the_project_is_not_read(tmp_path: Path) -> None:
    """A target's source '../secret.txt' would put pieces of that file into the mismatch messages."""
    (tmp_path / "secret.txt").write_text("The Island Council voted on Monday to support PASSWORD-1234", "utf-8")
    folder = _webanno(tmp_path / "w", lambda item: item["target"].update(source="../../secret.txt"))
    done = run("validate", folder, "--no-shacl", cwd=tmp_path)
    assert b"PASSWORD" not in done.stdout + done.stderr
    assert b"Traceback" not in done.stderr


def test_dna_text_columns_holding_numbers_or_bytes(tmp_path: Path) -> None:
    """SQLite keeps any value in any column; DNA's text columns are read as text (found by tests/test_fuzz.py:
    a blob where a document's text is was a TypeError)."""
    import sqlite3

    from test_dna import make_project

    db = make_project(tmp_path / "p")
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("UPDATE DOCUMENTS SET Text = ? WHERE ID = 1", (b"Velmar \xff backs the joint patrols",))
        conn.execute("UPDATE DOCUMENTS SET Title = 42 WHERE ID = 2")
    conn.close()
    done = run("build", tmp_path / "p", "--no-cache", "-o", tmp_path / "g.nt", cwd=tmp_path)
    assert b"Traceback" not in done.stderr and done.returncode == 1
    assert "p/corpus.dna: STATEMENTS row ID=2: the span 94-138 is outside document 1's text" in done.stderr.decode()


def _damage_xlsx(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    """Copy the coding workbook, change the bytes of its Claims sheet with ``damage(data, info)``, build it:
    one clean problem naming the workbook, nothing written."""
    import zipfile

    from sgtest import DATA

    folder = tmp_path / "x"
    shutil.copytree(DATA / "sheets" / "coding-xlsx", folder)
    book = folder / "claims.xlsx"
    with zipfile.ZipFile(book) as archive:
        info = archive.getinfo("xl/worksheets/sheet2.xml")
    data = bytearray(book.read_bytes())
    damage(data, info)
    book.write_bytes(bytes(data))
    done = run("build", folder, "--no-cache", "-o", tmp_path / "g.nt", cwd=tmp_path)
    assert b"Traceback" not in done.stderr and done.returncode == 1, done.stderr.decode()
    assert "claims.xlsx: not a readable XLSX workbook" in done.stderr.decode()
    assert not (tmp_path / "g.nt").exists()


@pytest.mark.parametrize("where", [0.25, 0.5, 0.75])
def test_a_damaged_xlsx_is_a_problem(tmp_path: Path, where: float) -> None:
    """A flipped byte inside the compressed sheet fails in zlib, in read-only mode only when the rows are
    read (found by tests/test_fuzz.py: a zlib.error traceback)."""
    def flip(data, info):  # type: ignore[no-untyped-def]
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        data[start + int(info.compress_size * where)] ^= 0xFF

    _damage_xlsx(tmp_path, flip)


def test_an_xlsx_part_in_an_unknown_compression_is_a_problem(tmp_path: Path) -> None:
    """zipfile raises NotImplementedError for a compression method it does not know (found by benchmarks/fuzz.py)."""
    import struct

    def method_99(data, info):  # type: ignore[no-untyped-def]
        data[info.header_offset + 8: info.header_offset + 10] = struct.pack("<H", 99)  # the local header's method
        central = data.rindex(b"PK\x01\x02", 0, data.rindex(info.filename.encode()))
        data[central + 10: central + 12] = struct.pack("<H", 99)  # and the central directory's

    _damage_xlsx(tmp_path, method_99)


@pytest.mark.parametrize("fixture, name", [("webanno", "fishing-accord.jsonld"), ("labelstudio", "export.json"),
                                           ("brat/harbor", "harbor-patrol.ann"), ("brat/harbor", "harbor-patrol.txt")])
def test_a_file_over_the_size_limit_is_a_problem_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           fixture: str, name: str) -> None:
    """graph/limits.py: the limit is 256 MiB; lowered here to a few bytes so the test need not write that."""
    from sgtest import DATA

    from stancegraph.graph import limits

    folder = tmp_path / "p"
    shutil.copytree(DATA / fixture, folder)
    big = folder / name
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", big.stat().st_size - 1)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputProblems) as caught:
        build_compiled([folder], shacl=False)
    assert any(f"p/{name}" in str(p.loc) + p.message and "MiB: too large" in p.message
               for p in caught.value.problems), [str(p) for p in caught.value.problems]


def test_a_yaml_source_over_the_size_limit_is_a_problem_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """graph/pipeline/inputs.py: 256 MiB (MAX_FILE_BYTES); lowered here to the size of the source less one."""
    import stancegraph.graph.pipeline.inputs as inputs

    folder = project(tmp_path)
    source = folder / "sources" / SOURCE
    monkeypatch.setattr(inputs, "MAX_YAML_BYTES", source.stat().st_size - 1)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputProblems) as caught:
        build_compiled([folder], shacl=False, cache_dir=None)
    assert [p.message for p in caught.value.problems] == [
        "the file is over 0 MiB: too large for a source or a registry"]
    assert str(caught.value.problems[0].loc).endswith(f"sources/{SOURCE}")
