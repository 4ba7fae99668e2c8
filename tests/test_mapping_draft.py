"""stancegraph mapping draft: a mapping drafted from a corpus's scheme builds as it is, with sane guesses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from sgtest import DATA, EXAMPLE, run

DRAFT = DATA / "draft"


def _copy(name: str, tmp_path: Path) -> Path:
    folder = tmp_path / name
    shutil.copytree(DRAFT / name, folder)
    return folder


def _draft(folder: Path, tmp_path: Path) -> dict:
    done = run("mapping", "draft", folder, "-o", folder / "mapping.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    return yaml.safe_load((folder / "mapping.yaml").read_text("utf-8"))


def test_the_news_scheme_fails_without_a_mapping_and_builds_with_the_draft(tmp_path: Path) -> None:
    folder = _copy("news", tmp_path)
    assert run("validate", folder, cwd=tmp_path).returncode == 1
    drafted = _draft(folder, tmp_path)
    assert drafted["entities"] == {"Organization": "organization", "Person": "person", "GPE": "state",
                                   "Policy": "proposal", "Money": "ignore"}
    # Backs links organisations to a policy: a stance; Family and Located are not; Alias joins two names
    assert drafted["relations"] == {"Backs": "supports", "Family": "ignore", "Located": "ignore", "Alias": "same"}
    # a Report's reporter (a mention) is who the event it points at (a link) is according to; other
    # events need their roles mapped
    assert drafted["events"] == {"Merge-org": "ignore",
                                 "Report": {"attribution": {"reporter": "Reporter-Arg", "reported": "Event-Arg"}}}
    out = tmp_path / "news.ttl"
    built = run("build", folder, "-o", out, cwd=tmp_path)
    assert built.returncode == 0, built.stderr.decode()
    matrix = run("matrix", out, cwd=tmp_path).stdout.decode()
    assert "Harbor Authority" in matrix and "The Fishermen's Union" in matrix and matrix.count("supports") == 2


def test_each_line_says_how_often_and_where_a_type_is_used(tmp_path: Path) -> None:
    folder = _copy("news", tmp_path)
    _draft(folder, tmp_path)
    lines = {line.split(":")[0].strip(): line for line in (folder / "mapping.yaml").read_text("utf-8").splitlines()}
    assert "4 uses: news/001-merger.ann:1:4, news/001-merger.ann:2:4, news/001-merger.ann:8:4, ..." in lines["Organization"]
    assert "declared, not used" in lines["Alias"]
    assert "guessed from the name 'Backs'" in lines["Backs"]


def test_an_argument_scheme_is_drafted_as_claims_and_arguments_and_builds_unedited(tmp_path: Path) -> None:
    folder = _copy("essays", tmp_path)
    drafted = _draft(folder, tmp_path)
    # claims and premises are claims; the major claim is a claim its author holds (the source's voice)
    assert drafted["entities"] == {"Claim": "claim", "Premise": "claim",
                                   "MajorClaim": {"class": "claim", "voice": "supports"}}
    # supports and attacks between claims are arguments, not an actor's stances
    assert drafted["relations"] == {"supports": "argues-for", "attacks": "argues-against"}
    # a For/Against attribute on claims is each claim's argument toward the essay's major claim
    assert drafted["attributes"] == {"Stance": {"on": "Claim", "target": "MajorClaim", "holder": "mention",
                                                "values": {"For": "supports", "Against": "opposes"}}}
    # each essay's author holds its major claim: named after the document until the analyst says who
    assert drafted["sources"] == {f"essay0{i}": {"author": f"Author of essay0{i}"} for i in (1, 2, 3)}
    text = (folder / "mapping.yaml").read_text("utf-8")
    assert "values: For (4), Against (4)" in text
    assert text.splitlines()[1] == "# 6 types: 3 mapped by a guess, 3 as the mapping in force has them, 0 ignored."
    out = tmp_path / "essays.ttl"
    built = run("build", folder, "-o", out, cwd=tmp_path)
    assert built.returncode == 0, built.stderr.decode()
    # the same relations as the hand-written mapping of tests/data/arguments gives, relation by relation
    hand = tmp_path / "hand"
    shutil.copytree(DRAFT / "essays", hand)
    shutil.copy(DATA / "arguments" / "mapping.yaml", hand / "mapping.yaml")
    assert run("build", hand, "-o", tmp_path / "hand.ttl", cwd=tmp_path).returncode == 0

    def by_relation(path: Path) -> list[str]:
        stats = run("stats", path, "--format", "json", cwd=tmp_path)
        import json

        return json.loads(stats.stdout)["relations"]

    assert by_relation(out) == by_relation(tmp_path / "hand.ttl") == {"argues-against": 10, "argues-for": 9,
                                                                      "supports": 4}


def test_a_project_mapping_in_force_is_kept(tmp_path: Path) -> None:
    folder = _copy("news", tmp_path)
    (folder / "mapping.yaml").write_text("stancegraph-mapping: 1\nrelations:\n  Family: negotiates-with\n", "utf-8")
    done = run("mapping", "draft", folder, cwd=tmp_path)
    assert done.returncode == 0
    line = next(line for line in done.stdout.decode().splitlines() if line.strip().startswith("Family:"))
    assert line.startswith("  Family: negotiates-with  # as news/mapping.yaml:3:")


def test_an_existing_file_is_not_replaced_without_force(tmp_path: Path) -> None:
    folder = _copy("news", tmp_path)
    target = folder / "mapping.yaml"
    target.write_text("# mine\n", "utf-8")
    done = run("mapping", "draft", folder, "-o", target, cwd=tmp_path)
    assert done.returncode == 1 and b"already exists; nothing was written" in done.stderr
    assert target.read_text("utf-8") == "# mine\n"
    assert run("mapping", "draft", folder, "-o", target, "--force", cwd=tmp_path).returncode == 0
    assert target.read_text("utf-8").startswith("# Drafted by")


@pytest.mark.parametrize("inputs", [[EXAMPLE], []])
def test_nothing_to_draft_from(tmp_path: Path, inputs: list[Path]) -> None:
    done = run("mapping", "draft", *inputs, cwd=tmp_path)
    assert done.returncode in (1, 2)
    if inputs:
        assert b"nothing here to draft a mapping from" in done.stderr and b"Traceback" not in done.stderr
