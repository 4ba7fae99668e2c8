"""Discourse Network Analyzer 3 databases (.dna): statements, quotes, metadata, mapping, broken input."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from dnadb import DnaFile, utf16
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sgtest import EXAMPLE

from stancegraph.graph import build
from stancegraph.graph.importers import dna as dnaimport
from stancegraph.graph.importers import file_importer
from stancegraph.graph.read import read_corpus

PATROLS = ("Velmar backs the joint patrols \U0001F6A2 in the Strait of Orran, its foreign minister Jon Arel said.\n"
           "The Coastal League rejects the joint patrols, said its envoy Mira Dace.\n"
           "Jon Arel added that Velmar supports a fishing quota for the strait.")
PENTAGON = ("The U.S. Department of Defense is weighing a Palestinian peacekeeping team for post-war Gaza. "
            "Hamas rejected any foreign security force.")
MARCH_12 = int(datetime(2024, 3, 12, 15, 30, tzinfo=timezone.utc).timestamp())


def make_project(folder: Path, *, registry: bool = True) -> Path:
    """A project: the Gaza example's registry, and corpus.dna with two invented documents and one about
    the example's actors. Returns the .dna file."""
    folder.mkdir(parents=True, exist_ok=True)
    if registry:
        shutil.copy(EXAMPLE / "registry.yaml", folder / "registry.yaml")
    db = DnaFile(folder / "corpus.dna")
    doc = db.document("Patrol talks stall", PATROLS, MARCH_12, author="Ana Ruiz", source="Orran Herald",
                      section="World", notes="Second day of talks.")
    db.statement(doc, PATROLS, "Velmar backs the joint patrols", {"person": "Jon Arel", "organization": "Velmar",
                                                                   "concept": "joint patrols", "agreement": 1})
    db.statement(doc, PATROLS, "The Coastal League rejects the joint patrols",
                 {"person": "Mira Dace", "organization": "Coastal League", "concept": "joint patrols", "agreement": 0})
    db.statement(doc, PATROLS, "Velmar supports a fishing quota", {"person": "Jon Arel", "organization": "Velmar",
                                                                   "concept": "fishing quota", "agreement": 1})
    db.attribute(1, "organization", "Velmar", "Type", "Country")
    db.attribute(1, "organization", "Velmar", "Alias", "Republic of Velmar; RV")
    db.attribute(1, "organization", "Velmar", "Notes", "An island state.")
    db.attribute(1, "organization", "Coastal League", "Type", "NGO")
    gaza = db.document("Pentagon weighs a force", PENTAGON, MARCH_12 + 86400, source="Newsmax")
    db.statement(gaza, PENTAGON, "The U.S. Department of Defense is weighing a Palestinian peacekeeping team",
                 {"person": "", "organization": "U.S. Department of Defense",
                  "concept": "Palestinian peacekeeping team", "agreement": 1})
    db.statement(gaza, PENTAGON, "Hamas rejected any foreign security force",
                 {"person": "", "organization": "Hamas", "concept": "foreign security force", "agreement": 0})
    return db.close()


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages name files relative to the working directory."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def read(path: Path):
    corpus, problems = read_corpus([path])
    return corpus, [str(p) for p in problems]


def triples(*paths: Path) -> set[tuple[str, str, str]]:
    return {(str(q[0]), str(q[1]), str(q[2])) for q in build(list(paths), shacl=False).dataset.quads()}


def by_id(corpus, ident: str):
    return next(s for s in corpus.sources for s in s.statements if s.id == ident)


# ----------------------------------------------------------------------------- what is read


def test_statements_with_exact_quotes_and_offsets(project):
    corpus, problems = read(project.parent)
    assert problems == []
    patrols = next(s for s in corpus.sources if s.content == PATROLS)
    said = [(s.id, s.subject, s.relation, s.object, s.quote) for s in patrols.statements]
    assert said == [
        ("dna-1", "velmar", "supports", "joint-patrols", "Velmar backs the joint patrols"),
        ("dna-2", "coastal-league", "opposes", "joint-patrols", "The Coastal League rejects the joint patrols"),
        ("dna-3", "velmar", "supports", "fishing-quota", "Velmar supports a fishing quota"),
    ]
    for statement in patrols.statements:
        assert PATROLS[statement.start:statement.end] == statement.quote
    # after the emoji (two UTF-16 units, one code point) Java's offsets are one more than Python's
    second = patrols.statements[1]
    assert second.start == PATROLS.index("The Coastal League") and utf16(PATROLS, second.start) == second.start + 1
    assert patrols.statements[0].according_to == ("jon-arel",) and patrols.statements[1].according_to == ("mira-dace",)


def test_the_built_graph_holds_the_anchored_quotes(project):
    exact = {o for _, p, o in triples(project.parent) if p.endswith("#exact")}
    assert "The Coastal League rejects the joint patrols" in exact


def test_document_metadata_and_provenance(project):
    corpus, _ = read(project.parent)
    patrols, gaza = sorted(corpus.sources, key=lambda s: s.id)
    assert patrols.id == "corpus-1" and patrols.title == "Patrol talks stall"
    assert patrols.published == "2024-03-12" and gaza.published == "2024-03-13"
    assert patrols.authors == ("Ana Ruiz",) and gaza.authors == ()
    outlet = corpus.registry.entities[patrols.publisher]
    assert (outlet.label, outlet.kind) == ("Orran Herald", "news-outlet")
    assert gaza.publisher == "newsmax"  # the registry's entry for the outlet
    assert patrols.note.splitlines() == ["Section: World", "Second day of talks.",
                                         f"Coded in Discourse Network Analyzer: {patrols.path}, document 1."]
    assert patrols.content == PATROLS and patrols.text is None
    assert by_id(corpus, "dna-2").note == "Discourse Network Analyzer statement 2 (DNA Statement)."


def test_entities_meet_the_registry_and_carry_their_attributes(project):
    corpus, _ = read(project.parent)
    pentagon = by_id(corpus, "dna-4")
    assert (pentagon.subject, pentagon.object) == ("dod", "palestinian-led-force")
    assert pentagon.according_to is None  # no person
    # "foreign security force" is an alias of the registry's entry
    assert (by_id(corpus, "dna-5").subject, by_id(corpus, "dna-5").object) == ("hamas", "gaza-peacekeeping-force")
    entities = corpus.registry.entities
    velmar = entities["velmar"]
    assert (velmar.cls, velmar.kind, velmar.aliases, velmar.note) == ("actor", "state", ("Republic of Velmar", "RV"),
                                                                      "An island state.")
    assert (entities["coastal-league"].kind, entities["coastal-league"].note) == (None, "Type: NGO")
    arel = entities["jon-arel"]
    assert (arel.kind, arel.part_of) == ("person", "velmar")  # a member of the organization: org:memberOf
    assert entities["joint-patrols"].cls == "proposal"
    assert "dod" in entities and entities["dod"].label == "U.S. Department of Defense"  # not duplicated
    member = {(s, o) for s, p, o in triples(project.parent) if p.endswith("memberOf")}
    assert any(s.endswith("jon-arel") and o.endswith("velmar") for s, o in member)


def test_another_statement_type_through_the_mapping(tmp_path):
    db = DnaFile(tmp_path / "frames.dna")
    frame = db.statement_type("Frame", {"speaker": "short text", "frame": "short text", "stance": "short text",
                                        "comment": "long text"})
    text = "The Fishers' Union calls the quota a lifeline. The Port Authority calls it a burden."
    doc = db.document("Quota frames", text, MARCH_12)
    db.statement(doc, text, "The Fishers' Union calls the quota a lifeline",
                 {"speaker": "Fishers' Union", "frame": "quota as lifeline", "stance": "pro", "comment": "clear"},
                 type_id=frame)
    db.statement(doc, text, "The Port Authority calls it a burden",
                 {"speaker": "Port Authority", "frame": "quota as burden", "stance": "contra"}, type_id=frame)
    db.statement(doc, text, "calls", {"speaker": "Port Authority", "frame": "quota as burden", "stance": "unsure"},
                 type_id=frame, occurrence=1)
    db.close()
    corpus, problems = read(tmp_path)
    assert problems == ["frames.dna: 3 statements of type 'Frame' are not mapped (STATEMENTS rows ID=1, 2, 3): the "
                        "mapping does not say what its variables mean. Map it in mapping.yaml under 'dna:' (its "
                        "variables: speaker, frame, stance, comment), or write 'Frame: ignore'; `stancegraph mapping "
                        "draft INPUT -o mapping.yaml` drafts a mapping of every type at once; see docs/input-formats.md."]
    (tmp_path / "mapping.yaml").write_text(
        "stancegraph-mapping: 1\ndna:\n  Frame:\n    subject: speaker\n    object: frame\n"
        "    relation-variable: stance\n    values: {pro: supports, contra: opposes, unsure: ignore}\n"
        "    classes: {speaker: organization, frame: proposal}\n", encoding="utf-8")
    corpus, problems = read(tmp_path)
    assert problems == []
    said = [(s.subject, s.relation, s.object, s.quote, s.note) for s in corpus.sources[0].statements]
    assert said == [
        ("fishers-union", "supports", "quota-as-lifeline", "The Fishers' Union calls the quota a lifeline",
         "comment: clear\nDiscourse Network Analyzer statement 1 (Frame)."),
        ("port-authority", "opposes", "quota-as-burden", "The Port Authority calls it a burden",
         "Discourse Network Analyzer statement 2 (Frame)."),
    ]
    assert corpus.registry.entities["fishers-union"].kind == "organization"


def test_unmapped_types_and_values_are_reported_once_each(tmp_path):
    db = DnaFile(tmp_path / "c.dna")
    frame = db.statement_type("Frame", {"speaker": "short text", "frame": "short text"})
    text = "One. Two. Three. Four."
    doc = db.document("T", text, MARCH_12)
    for words in ("One", "Two", "Three"):
        db.statement(doc, text, words, {"speaker": "A", "frame": "f"}, type_id=frame)
    for words in ("One", "Two"):
        db.statement(doc, text, words, {"organization": "A", "person": "", "concept": "c", "agreement": 7})
    db.close()
    _, problems = read(tmp_path)
    assert len(problems) == 2
    assert problems[0].startswith("c.dna: 3 statements of type 'Frame' are not mapped (STATEMENTS rows ID=1, 2, 3)")
    assert problems[1].startswith("(built-in default-mapping.yaml):") and \
        "2 statements of type 'DNA Statement' have agreement = '7'" in problems[1]


# ----------------------------------------------------------------------------- broken and hostile input


def problems_of(path: Path) -> list[str]:
    return [str(p) for p in dnaimport.importer.read(path, dnaimport.Registry()).problems]


def test_span_outside_the_text(tmp_path):
    db = DnaFile(tmp_path / "corpus.dna")
    doc = db.document("Short", "x" * 412, MARCH_12)
    db.span(doc, 500, 620, {"organization": "A", "person": "", "concept": "c", "agreement": 1})
    db.close()
    assert problems_of(tmp_path / "corpus.dna") == [
        "corpus.dna: STATEMENTS row ID=1: the span 500-620 is outside document 1's text (412 characters). Open the "
        "document in DNA and mark the statement again."]


def test_span_inside_a_surrogate_pair(tmp_path):
    text = "a\U0001F6A2b"
    db = DnaFile(tmp_path / "corpus.dna")
    doc = db.document("Emoji", text, MARCH_12)
    db.span(doc, 2, 4, {"organization": "A", "person": "", "concept": "c", "agreement": 1})
    db.close()
    assert "cuts a character of document 1's text in two" in problems_of(tmp_path / "corpus.dna")[0]


def test_foreign_key_holes(tmp_path):
    db = DnaFile(tmp_path / "corpus.dna")
    doc = db.document("D", "Velmar backs it.", MARCH_12)
    db.statement(doc, "Velmar backs it.", "Velmar backs it", {"organization": "A", "person": "", "concept": "c",
                                                               "agreement": 1})
    db.conn.execute("INSERT INTO STATEMENTS (ID, StatementTypeId, DocumentId, Start, Stop) VALUES (17, 1, 9, 0, 3)")
    db.conn.execute("UPDATE DATASHORTTEXT SET Entity = 999 WHERE StatementId = 1 AND VariableId = 2")
    db.conn.execute("INSERT INTO DATABOOLEAN (ID, StatementId, VariableId, Value) VALUES (41, 55, 4, 1)")
    db.close()
    found = problems_of(tmp_path / "corpus.dna")
    hint = "The database is damaged: open it in DNA and check the statement, or restore a copy."
    assert found == [
        f"corpus.dna: STATEMENTS row ID=17: its document 9 does not exist. {hint}",
        f"corpus.dna: DATASHORTTEXT row ID=1: its entity 999 does not exist (statement 1). {hint}",
        f"corpus.dna: DATABOOLEAN row ID=41: its statement 55 does not exist. {hint}",
    ]


def test_dna2_database(tmp_path):
    path = tmp_path / "old.dna"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE SETTINGS(Property TEXT PRIMARY KEY, Value TEXT NOT NULL)")
    conn.execute("INSERT INTO SETTINGS VALUES ('version', '2.0 beta 19')")
    for table in ("DOCUMENTS", "STATEMENTS", "DATASHORTTEXT", "ATTRIBUTES"):
        conn.execute(f"CREATE TABLE {table}(ID INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    assert problems_of(path) == [
        "old.dna: a DNA 2.0 beta 19 database: stancegraph reads the databases of DNA 3. In DNA 3, create a new database "
        "(Database → Create new DNA database), bring this one in with Document → Import from DNA database, and give "
        "stancegraph the new .dna file."]


def test_another_schema(tmp_path):
    path = tmp_path / "other.dna"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE DOCUMENTS(ID INTEGER PRIMARY KEY, Title TEXT)")
    conn.execute("CREATE TABLE STATEMENTS(ID INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    (message,) = problems_of(path)
    assert message.startswith("other.dna: not a DNA 3 database: it has no table STATEMENTTYPES, VARIABLES, ENTITIES")
    make_project(tmp_path / "p", registry=False)
    conn = sqlite3.connect(tmp_path / "p" / "corpus.dna")
    conn.execute("ALTER TABLE DOCUMENTS RENAME COLUMN Section TO Part")
    conn.commit()
    conn.close()
    (message,) = problems_of(tmp_path / "p" / "corpus.dna")
    assert message.startswith("p/corpus.dna: not a DNA 3 database: it has no column DOCUMENTS.Section.")


@pytest.mark.parametrize("damage", ["truncate", "flip", "header", "empty", "xml"])
def test_damaged_files_give_one_clean_problem(tmp_path, damage):
    path = make_project(tmp_path / "p", registry=False)
    raw = bytearray(path.read_bytes())
    if damage == "truncate":
        raw = raw[: len(raw) // 2 + 100]
    elif damage == "flip":
        for i in range(100, len(raw), 97):
            raw[i] ^= 0xFF
    elif damage == "header":
        raw[:16] = b"Not SQLite at al"
    elif damage == "empty":
        raw = bytearray()
    else:
        raw = bytearray(b"<?xml version='1.0'?><dna/>")
    path.write_bytes(bytes(raw))
    found = problems_of(path)
    assert len(found) >= 1 and all(p.startswith("p/corpus.dna: ") for p in found)
    assert file_importer(path) is dnaimport.importer  # claimed, so that what is wrong is said


def test_a_journal_beside_the_database_is_said(project):
    (project.parent / "corpus.dna-journal").write_bytes(b"\0" * 512)
    (message,) = problems_of(project)
    assert "corpus.dna-journal is beside it" in message


# ----------------------------------------------------------------------------- nothing is written


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_the_database_is_never_written(project, invoke):
    before = snapshot(project.parent)
    assert invoke("build", project.parent, "-o", "out.nt").exit_code == 0
    assert invoke("validate", project.parent).exit_code == 0
    assert problems_of(project) == []
    assert snapshot(project.parent) == before  # same files (no journal, no -wal, no -shm), same bytes
    conn = sqlite3.connect(project)
    conn.execute("PRAGMA journal_mode = WAL")  # a reader that is not immutable makes -wal and -shm files
    conn.close()
    before = snapshot(project.parent)
    assert problems_of(project) == []
    assert snapshot(project.parent) == before
    os.chmod(project, 0o444)
    os.chmod(project.parent, 0o555)
    try:
        assert problems_of(project) == []  # a read-only file in a read-only folder reads
    finally:
        os.chmod(project.parent, 0o755)
        os.chmod(project, 0o644)


# ----------------------------------------------------------------------------- the command line


def test_build_validate_view_convert(project, invoke, tmp_path):
    result = invoke("build", project.parent, "-o", "out.nt")
    assert result.exit_code == 0, result.stderr
    assert invoke("validate", project.parent).exit_code == 0
    result = invoke("view", project.parent, "-o", "view.html")
    assert result.exit_code == 0, result.stderr
    assert "Coastal League" in (tmp_path / "view.html").read_text(encoding="utf-8")
    result = invoke("convert", project.parent, "-o", "native")
    assert result.exit_code == 0, result.stderr
    native = tmp_path / "native"
    assert (native / "texts" / "corpus-1.txt").read_text(encoding="utf-8") == PATROLS
    source = yaml.safe_load((native / "sources" / "corpus-1.yaml").read_text(encoding="utf-8"))
    assert source["source"]["published"] == "2024-03-12" and source["statements"][1]["id"] == "dna-2"
    assert triples(native) == triples(project.parent)


def test_broken_input_exits_1_and_writes_nothing(tmp_path, invoke):
    path = make_project(tmp_path / "p")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE STATEMENTS SET Stop = 5000 WHERE ID = 2")
    conn.commit()
    conn.close()
    result = invoke("build", tmp_path / "p", "-o", "out.nt")
    assert result.exit_code == 1
    assert "p/corpus.dna: STATEMENTS row ID=2: the span" in result.stderr
    assert not (tmp_path / "out.nt").exists()


# ----------------------------------------------------------------------------- every valid database


WORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)


@st.composite
def databases(draw):
    """Documents (texts with any characters, emoji and line breaks included) and statements on spans of them."""
    docs = draw(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=200),
                         min_size=1, max_size=4))
    statements = []
    for d, text in enumerate(docs):
        for _ in range(draw(st.integers(0, 4))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            statements.append((d, start, end, draw(st.sampled_from(["A", "B", "Cé"])), draw(st.sampled_from(["p", "q"])),
                               draw(st.integers(0, 1))))
    return docs, statements


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(databases())
def test_every_statement_quotes_its_span(tmp_path_factory, data):
    docs, statements = data
    folder = tmp_path_factory.mktemp("prop")
    db = DnaFile(folder / "x.dna")
    ids = [db.document(f"D{i}", text, MARCH_12) for i, text in enumerate(docs)]
    shown = [dnaimport.dna_text(t) for t in docs]
    expected = []
    for d, start, end, org, concept, agree in statements:
        text = shown[d]  # DNA's offsets count in the text as its pane shows it
        start, end = min(start, len(text) - 1), min(end, len(text))
        if start >= end or not text[start:end].strip():
            continue
        sid = db.span(ids[d], utf16(text, start), utf16(text, end),
                      {"organization": org, "person": "", "concept": concept, "agreement": agree})
        expected.append((f"dna-{sid}", text[start:end], start, end, "supports" if agree else "opposes"))
    db.close()
    imported = dnaimport.importer.read(folder / "x.dna", dnaimport.Registry())
    assert imported.problems == []
    got = sorted((s.id, s.quote, s.start, s.end, s.relation) for src in imported.sources for s in src.statements)
    assert got == sorted(expected)
    for source in imported.sources:
        for statement in source.statements:
            assert source.content[statement.start:statement.end] == statement.quote
