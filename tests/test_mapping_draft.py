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
    # Backs links organisations to a policy: a stance; Family and Located are not, and events need roles
    assert drafted["relations"] == {"Backs": "supports", "Family": "ignore", "Located": "ignore", "Alias": "ignore"}
    assert drafted["events"] == {"Merge-org": "ignore", "Report": "ignore"}
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


def test_an_argument_scheme_is_not_taken_for_stances(tmp_path: Path) -> None:
    folder = _copy("essays", tmp_path)
    drafted = _draft(folder, tmp_path)
    assert drafted["entities"] == {"Claim": "claim", "Premise": "ignore", "MajorClaim": "proposal"}
    assert drafted["relations"] == {"supports": "ignore", "attacks": "ignore"}
    assert drafted["attributes"] == {"Stance": "ignore"}
    text = (folder / "mapping.yaml").read_text("utf-8")
    assert "named like 'supports', but it links Premise → Claim, Premise → Premise, not an actor to a proposal" in text
    assert "values: For (4), Against (4)" in text
    built = run("build", folder, "-o", tmp_path / "essays.ttl", cwd=tmp_path)
    assert built.returncode == 0, built.stderr.decode()


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
