"""Coding sheets (issue 18): CSV, TSV and XLSX tables of claims, read with a ``columns:`` mapping and a
codebook, drafted by ``mapping draft``, checked row by row, and written back by ``export --format csv``.

The fixture is our own: tests/data/sheets/coding/claims.csv (semicolons, as German spreadsheets save
CSV; several actors and several codes in a cell; German and Arabic quotes; a quote with quotes and a
semicolon in it), its codebook.csv (two major categories, two sub-categories) and mapping.yaml;
tests/data/sheets/coding-xlsx holds the same sheet as a workbook (made by tests/data/sheets/make_xlsx.py)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgtest import DATA, EXAMPLE, run
from stancegraph.graph import InputProblems, build, build_compiled, load
from stancegraph.graph.importers.sheets import parse_date, read_sheet
from stancegraph.graph.model import Registry

CODING = DATA / "sheets" / "coding"
XLSX = DATA / "sheets" / "coding-xlsx"

#: every statement of claims.csv, read off the sheet by hand: (source, row id, subject, relation, object,
#: the quote's first words)
EXPECTED = [
    ("a1", "row2-1", "stadtrat-nord", "supports", "maut-fur-lastwagen-im-hafen", "Der Stadtrat Nord und die Grüne Liste fordern"),
    ("a1", "row2-2", "grune-liste", "supports", "maut-fur-lastwagen-im-hafen", "Der Stadtrat Nord und die Grüne Liste fordern"),
    ("a1", "row3", "handelskammer", "opposes", "maut-fur-lastwagen-im-hafen", "Die Handelskammer lehnt jede Maut"),
    ("a1", "row4", "handelskammer", "supports", "mehr-fahren", "Die Handelskammer will stattdessen"),
    ("a2", "row5-1", "actor-2", "opposes", "maut-fur-lastwagen-im-hafen", "يرفض اتحاد الصيادين الرسوم"),
    ("a2", "row5-2", "actor-2", "opposes", "mehr-fahren", "يرفض اتحاد الصيادين الرسوم"),
    ("a2", "row6", "grune-liste", "supports", "mehr-fahren", 'Die Grüne Liste unterstützt mehr Fähren; sie sagt: "Fähren statt Stau".'),
    ("a3", "row7", "stadtrat-nord", "supports", "nachtfahre", "Der Stadtrat Nord beschließt die Nachtfähre."),
]


def statements(folder: Path) -> list[tuple[str, ...]]:
    corpus = load([folder])
    return [(source.id, st.id, st.subject, st.relation, st.object, st.quote)
            for source in corpus.sources for st in source.statements]


def assert_expected(found: list[tuple[str, ...]]) -> None:
    assert len(found) == len(EXPECTED)
    for got, (source, ident, subject, relation, obj, quote) in zip(found, EXPECTED):
        assert got[:5] == (source, ident, subject, relation, obj)
        assert got[5].startswith(quote), (got[5], quote)


def test_the_csv_sheet_builds_statement_by_statement() -> None:
    assert_expected(statements(CODING))
    corpus = load([CODING])
    sources = {s.id: s for s in corpus.sources}
    assert (sources["a1"].title, sources["a1"].published, sources["a1"].language) == (
        "Hafen-Maut spaltet den Stadtrat", "2031-05-02", "de")
    assert (sources["a2"].title, sources["a2"].language) == ("خلاف حول رسوم الميناء", "ar")
    assert corpus.registry.entities[sources["a1"].publisher].label == "Hafenblatt"
    assert corpus.registry.entities[sources["a2"].publisher].label == "الميناء اليوم"
    assert corpus.registry.entities["actor-2"].label == "اتحاد الصيادين"
    row3 = next(st for s in corpus.sources for st in s.statements if st.id == "row3")
    assert row3.note == "checked twice"  # the coder's note column, kept


def test_the_xlsx_workbook_gives_the_same_statements() -> None:
    assert statements(XLSX) == statements(CODING)


def test_the_codebook_makes_labelled_proposals_with_their_major_category() -> None:
    entities = load([CODING]).registry.entities
    assert {e.id: (e.label, e.part_of) for e in entities.values() if e.cls == "proposal"} == {
        "hafenfinanzierung": ("Hafenfinanzierung", None),
        "maut-fur-lastwagen-im-hafen": ("Maut für Lastwagen im Hafen", "hafenfinanzierung"),
        "mehr-fahren": ("Mehr Fähren", None),
        "nachtfahre": ("Nachtfähre", "mehr-fahren")}


def test_quotes_without_a_text_are_kept_and_counted_by_stats(tmp_path: Path) -> None:
    out = tmp_path / "sheet.ttl"
    assert run("build", CODING, "-o", out, cwd=tmp_path).returncode == 0
    stats = run("stats", out, cwd=tmp_path).stdout.decode().splitlines()
    assert stats[0] == "6 actors, 4 proposals, 0 conditions; 8 statements from 3 sources"
    assert stats[1] == "8 of the quotes not found in a text of their source (none was given: kept as written)"


def sheet_folder(tmp_path: Path, rows: list[str]) -> Path:
    folder = tmp_path / "sheet"
    shutil.copytree(CODING, folder)
    lines = (folder / "claims.csv").read_text("utf-8").splitlines()
    (folder / "claims.csv").write_text("\n".join(lines[:1] + rows) + "\n", "utf-8")
    return folder


def test_bad_rows_are_reported_by_file_and_row(tmp_path: Path) -> None:
    folder = sheet_folder(tmp_path, [
        "a1;2031-05-02;Hafenblatt;T;Handelskammer;M1.2;1;Gut.;de;",     # line 2: fine
        "a1;2031-05-02;Hafenblatt;T;;M1.2;1;Ohne Akteur.;de;",          # line 3: no subject
        "a1;2031-05-02;Hafenblatt;T;Handelskammer;M9;1;Falscher Code.;de;",  # line 4: unknown code
        "a1;2031-13-40;Hafenblatt;T;Handelskammer;M2;1;Kein Datum.;de;",     # line 5: no such date
        "a1;2031-05-02;Hafenblatt;T;Handelskammer;M2;2;Zwei?;de;",           # line 6: polarity not mapped
    ])
    with pytest.raises(InputProblems) as caught:
        load([folder])
    found = {(p.loc.line, p.message) for p in caught.value.problems}
    assert found == {
        (3, "row 3: the subject (actor) is empty"),
        (4, "row 4: unknown code 'M9'"),
        (5, "row 5: the date '2031-13-40' is not a date"),
        (6, "row 6: the polarity '2' is not one of the mapped values"),
    }
    assert all(p.loc.path.endswith("claims.csv") for p in caught.value.problems)
    # --skip-invalid leaves the four rows out, says each, and builds the one good row
    compiled = build_compiled([folder], skip_invalid=True)
    assert compiled.statements == 1 and len(compiled.invalid) == 4
    compiled.close()


def test_without_columns_the_names_are_read_and_said(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "sheet.tsv").write_text("actor\tcategory\tpolarity\tquote\tdate\n"
                                      "Harbor Union\tFree ferries\tyes\tThe union wants free ferries.\t2031-01-02\n", "utf-8")
    built = build_compiled([folder])
    assert built.statements == 1
    assert any("no 'columns:' in mapping.yaml: the columns were taken by their names" in w for w in built.warnings)
    built.close()
    (folder / "sheet.tsv").write_text("a\tb\nx\ty\n", "utf-8")
    with pytest.raises(InputProblems) as caught:
        load([folder])
    (problem,) = caught.value.problems
    assert "do not say which column holds the subject" in problem.message and "mapping draft" in problem.hint


def test_a_named_sheet_of_a_workbook_and_a_missing_one(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    shutil.copytree(XLSX, folder)
    mapping = folder / "mapping.yaml"
    mapping.write_text(mapping.read_text("utf-8").replace("sheet: Claims", "sheet: Claimz"), "utf-8")
    with pytest.raises(InputProblems) as caught:
        load([folder])
    (problem,) = caught.value.problems
    assert problem.message == "no sheet named 'Claimz'" and "Claims" in problem.hint


def test_mapping_draft_then_build_with_no_hand_edit(tmp_path: Path) -> None:
    folder = tmp_path / "draft"
    folder.mkdir()
    for name in ("claims.csv", "codebook.csv"):
        shutil.copy(CODING / name, folder)
    done = run("mapping", "draft", folder, "-o", folder / "mapping.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    drafted = yaml.safe_load((folder / "mapping.yaml").read_text("utf-8"))["columns"]
    assert drafted == {"source": "article", "date": "date", "outlet": "outlet", "title": "headline", "subject": "actor",
                       "object": "claim", "stance": "polarity", "quote": "quote", "language": "lang",
                       "note": "coder note", "values": {"-1": "opposes", "1": "supports"}, "separator": ";",
                       "codebook": "codebook.csv"}
    text = (folder / "mapping.yaml").read_text("utf-8")
    assert "  subject: actor  # first values: Stadtrat Nord; Grüne Liste, Handelskammer, اتحاد الصيادين" in text
    built = run("build", folder, "-o", tmp_path / "draft.ttl", cwd=tmp_path)
    assert built.returncode == 0, built.stderr.decode()
    assert_expected(statements(folder))


def test_the_csv_export_reads_back_as_the_same_statements(tmp_path: Path) -> None:
    graph = tmp_path / "gaza.ttl"
    assert run("build", EXAMPLE, "-o", graph, cwd=tmp_path).returncode == 0
    folder = tmp_path / "sheet"
    folder.mkdir()
    shutil.copy(EXAMPLE / "registry.yaml", folder)
    assert run("export", graph, "-o", folder / "gaza.csv", cwd=tmp_path).returncode == 0

    original = load([EXAMPLE])
    back = load([folder])

    def facts(corpus) -> list[tuple]:  # type: ignore[no-untyped-def]
        return sorted((source.id, st.subject, st.relation, st.object, st.quote, st.date or source.published,
                       tuple(sorted(st.if_conditions)), tuple(sorted(st.until_conditions)), st.regarding)
                      for source in corpus.sources for st in source.statements)

    assert facts(back) == facts(original)
    assert len(facts(back)) == 55


def test_dates_are_read_as_written_or_refused() -> None:
    assert [parse_date(t) for t in ("2031-05-02", "2031-05", "2031", "02.05.2031", "2031-05-02T10:00:00Z")] == [
        "2031-05-02", "2031-05", "2031", "2031-05-02", "2031-05-02"]
    assert [parse_date(t) for t in ("2031-13", "31.02.2031", "٢٠٣١", "２０３１", "May 2031", "")] == [None] * 6
    assert parse_date("05/02/2031", "%m/%d/%Y") == "2031-05-02"


_CELL = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_CELL, min_size=0, max_size=12), max_size=6), tsv=st.booleans())
def test_any_table_is_read_or_refused_cleanly(tmp_path: Path, rows: list[list[str]], tsv: bool) -> None:
    """Whatever the cells hold, the reader returns statements or problems with a place: never raises."""
    folder = tmp_path / ("t" if tsv else "c")
    folder.mkdir(exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if tsv else ",")
    writer.writerow(["actor", "claim", "polarity", "quote", "date", "source"])
    writer.writerows(rows)
    path = folder / ("s.tsv" if tsv else "s.csv")
    path.write_text(buffer.getvalue(), "utf-8")
    imported = read_sheet(path, Registry())
    for problem in imported.problems:
        assert problem.loc.path.endswith(path.name) and problem.message
    for source in imported.sources:
        for statement in source.statements:
            assert statement.subject and statement.object and statement.quote


def test_a_person_speaks_for_the_organisation_of_the_row(tmp_path: Path) -> None:
    folder = tmp_path / "people"
    folder.mkdir()
    (folder / "claims.csv").write_text(
        "organisation,spokesperson,claim,polarity,quote,date\n"
        "Harbor Union,Ana Ruiz,Free ferries,1,Ana Ruiz said the union wants free ferries.,2031-01-02\n"
        "Port Authority,,Free ferries,-1,The authority rejects free ferries.,2031-01-03\n", "utf-8")
    (folder / "mapping.yaml").write_text(
        "stancegraph-mapping: 1\ncolumns:\n  subject: organisation\n  person: spokesperson\n  object: claim\n"
        "  stance: polarity\n  quote: quote\n  date: date\n  source-per: row\n", "utf-8")
    corpus = load([folder])
    found = sorted((st.subject, st.relation, st.object, st.according_to) for s in corpus.sources for st in s.statements)
    assert found == [("harbor-union", "supports", "free-ferries", ("ana-ruiz",)),
                     ("port-authority", "opposes", "free-ferries", None)]
    assert corpus.registry.entities["ana-ruiz"].part_of == "harbor-union"
    assert corpus.registry.entities["ana-ruiz"].kind == "person"
    assert len(corpus.sources) == 2  # source-per: row


def test_a_class_column_with_an_unknown_word_falls_back_to_the_default(tmp_path: Path) -> None:
    folder = tmp_path / "classes"
    folder.mkdir()
    (folder / "s.csv").write_text("subject,subject_class,relation,object,object_class,quote\n"
                                  "Harbor Union,union,supports,Free ferries,wish,The union wants free ferries.\n"
                                  "Harbor Union,actor,demands,Budget passed,condition,The union demands that the budget passes.\n",
                                  "utf-8")
    corpus = load([folder])
    found = sorted((st.subject, st.relation, st.object) for s in corpus.sources for st in s.statements)
    assert found == [("harbor-union", "demands", "budget-passed"), ("harbor-union", "supports", "free-ferries")]
    assert (corpus.registry.entities["free-ferries"].cls, corpus.registry.entities["budget-passed"].cls) == (
        "proposal", "condition")
