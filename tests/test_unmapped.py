"""Types the mapping does not know: one problem per type with a sane guess, `--unmapped ignore`, drafts of
every format that build as they are, and what stats, matrix and view say of a corpus without statements."""

from __future__ import annotations

import shutil
from pathlib import Path

import casdata
from dnadb import DnaFile
from sgtest import DATA, run

NEWS = DATA / "draft" / "news"


def _news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    shutil.copytree(NEWS, folder)
    return folder


def test_one_problem_per_unmapped_type_with_the_drafts_guess(tmp_path: Path) -> None:
    folder = _news(tmp_path)
    done = run("validate", folder, cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.decode().splitlines()
    family = [line for line in lines if "'Family'" in line]
    assert len(family) == 1, family
    # never the first word of a list: Family is no stance, so the guess is ignore; Backs is a stance
    assert "('Family: ignore')" in family[0] and "supports" not in family[0]
    assert "`stancegraph mapping draft INPUT -o mapping.yaml`" in family[0]
    backs = [line for line in lines if "'Backs'" in line]
    assert len(backs) == 1 and "(2 times; also at news/002-pier.ann:5:4)" in backs[0], backs
    assert "('Backs: supports', or 'Backs: ignore')" in backs[0]


def test_unmapped_ignore_builds_and_says_what_it_skipped(tmp_path: Path) -> None:
    folder = _news(tmp_path)
    out = tmp_path / "news.ttl"
    done = run("build", folder, "--unmapped", "ignore", "-o", out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    err = done.stderr.decode()
    assert "Warning: skipped" in err and "(--unmapped ignore)" in err
    assert ("skipped 5 types the mapping does not know (--unmapped ignore): events: Merge-org (1), Report (1); "
            "relations: Located (1), Backs (2), Family (1).") in err
    assert run("build", folder, "-o", tmp_path / "again.ttl", cwd=tmp_path).returncode == 1  # the default fails
    assert not (tmp_path / "again.ttl").exists()
    valid = run("validate", folder, "--unmapped", "ignore", cwd=tmp_path)
    assert valid.returncode == 0 and "Warning: skipped" in valid.stderr.decode()


def test_no_statements_is_said_and_sources_are_counted(tmp_path: Path) -> None:
    folder = _news(tmp_path)
    (folder / "mapping.yaml").write_text(
        "stancegraph-mapping: 1\nentities: {Policy: proposal, Money: ignore}\n"
        "relations: {Family: ignore, Located: ignore, Backs: ignore, Alias: ignore}\n"
        "events: {Merge-org: ignore, Report: ignore}\n", "utf-8")
    out = tmp_path / "news.ttl"
    built = run("build", folder, "-o", out, cwd=tmp_path)
    assert built.returncode == 0, built.stderr.decode()
    warning = built.stderr.decode().splitlines()[-1]
    assert warning.startswith("Warning: 0 statements from 2 sources: no relation type used became a statement (")
    assert "(Backs 2, Family 1, Located 1, Merge-org 1, Report 1)" in warning
    stats = run("stats", out, cwd=tmp_path).stdout.decode()
    assert "0 statements from 2 sources" in stats
    matrix = run("matrix", out, cwd=tmp_path)
    assert matrix.returncode == 0
    assert matrix.stdout.decode().startswith("No stances to tabulate: the graph has ")
    assert "and 2 sources" in matrix.stdout.decode()
    page = tmp_path / "news.html"
    assert run("view", out, "-o", page, cwd=tmp_path).returncode == 0
    html = page.read_text("utf-8")
    assert '"id": "001-merger"' in html and '"id": "002-pier"' in html


def _draft_then_build(folder: Path, tmp_path: Path, inputs: Path | None = None) -> str:
    target = inputs or folder
    drafted = run("mapping", "draft", target, "-o", folder / "mapping.yaml", cwd=tmp_path)
    assert drafted.returncode == 0, drafted.stderr.decode()
    built = run("build", target, "-o", tmp_path / "out.ttl", cwd=tmp_path)
    assert built.returncode == 0, built.stderr.decode()
    return (folder / "mapping.yaml").read_text("utf-8")


def test_label_studio_draft_builds(tmp_path: Path) -> None:
    folder = tmp_path / "ls"
    shutil.copytree(DATA / "labelstudio", folder)
    text = _draft_then_build(folder, tmp_path)
    assert "  Proposal: proposal  # as the default mapping has it; 6 uses:" in text
    assert "  Support: supports  #" in text
    matrix = run("matrix", tmp_path / "out.ttl", cwd=tmp_path).stdout.decode()
    assert "supports" in matrix and "opposes" in matrix


def test_dna_draft_keeps_the_default_and_ignores_other_types(tmp_path: Path) -> None:
    folder = tmp_path / "dna"
    folder.mkdir()
    db = DnaFile(folder / "talks.dna")
    text = "Egypt backs the plan. Israel rejects the plan. Hamas says the truce holds."
    doc = db.document("Talks", text, 1_700_000_000)
    db.statement(doc, text, "Egypt backs the plan", {"organization": "Egypt", "concept": "the plan", "agreement": 1})
    db.statement(doc, text, "Israel rejects the plan", {"organization": "Israel", "concept": "the plan", "agreement": 0})
    frame = db.statement_type("Frame", {"speaker": "short text", "frame": "short text", "certainty": "integer"})
    db.statement(doc, text, "Hamas says the truce holds", {"speaker": "Hamas", "frame": "truce", "certainty": 2},
                 type_id=frame)
    db.close()
    assert run("build", folder, "-o", tmp_path / "x.ttl", cwd=tmp_path).returncode == 1  # Frame is not mapped
    text = _draft_then_build(folder, tmp_path)
    assert "  # DNA Statement: as the default mapping has it; 2 uses (STATEMENTS rows ID=1, 2)" in text
    assert ("  Frame: ignore  # no guess: its variables are speaker (short text), frame (short text), certainty "
            "(integer)") in text
    stats = run("stats", tmp_path / "out.ttl", cwd=tmp_path).stdout.decode()
    assert "2 statements from 1 source" in stats


def test_dna_draft_ignores_agreement_values_the_default_does_not_know(tmp_path: Path) -> None:
    folder = tmp_path / "dna"
    folder.mkdir()
    db = DnaFile(folder / "talks.dna")
    db.conn.execute("UPDATE VARIABLES SET DataType = 'integer' WHERE Variable = 'agreement'")
    text = "Egypt backs the plan. Israel is unsure about the plan."
    doc = db.document("Talks", text, 1_700_000_000)
    db.statement(doc, text, "Egypt backs the plan", {"organization": "Egypt", "concept": "the plan", "agreement": 1})
    db.statement(doc, text, "Israel is unsure about the plan", {"organization": "Israel", "concept": "the plan",
                                                                "agreement": 2})
    db.close()
    text = _draft_then_build(folder, tmp_path)
    assert "'2': ignore" in text and "with agreement = 2 ignored" in text


def test_cas_draft_finds_the_label_feature_and_builds(tmp_path: Path) -> None:
    folder = tmp_path / "cas"
    xmi = casdata.write_pair(folder, mapping=False)  # the Stance layer has two string features: no mapping says which
    assert run("build", xmi, "-o", tmp_path / "x.ttl", cwd=tmp_path).returncode == 1
    text = _draft_then_build(folder, tmp_path, xmi)
    assert "  webanno.custom.Stance: {feature: stance}  # its label feature 'stance'" in text
    matrix = run("matrix", tmp_path / "out.ttl", cwd=tmp_path).stdout.decode()
    assert "Egypt" in matrix and "supports" in matrix and "opposes" in matrix
