"""convert: native YAML from brat and Web Annotation input, which builds to the same graph."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from stancegraph.cli.main import cli
from stancegraph.graph import build

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


def quads(*paths: Path) -> set:
    return set(build(list(paths), shacl=False).dataset.quads())


def convert(inputs: list[Path], out: Path, *options: str):
    return CliRunner().invoke(cli, ["convert", *map(str, inputs), "-o", str(out), *options], catch_exceptions=False)


def test_native_and_brat_express_the_same_graph():
    assert quads(DATA / "brat" / "harbor-native") == quads(DATA / "brat" / "harbor")


@pytest.mark.parametrize("source", [DATA / "brat" / "harbor", DATA / "webanno", ROOT / "examples" / "gaza-day-after",
                                    DATA / "sheets" / "coding", DATA / "sheets" / "coding-xlsx"],
                         ids=["brat", "webanno", "native", "csv", "xlsx"])
def test_convert_then_build_gives_the_same_graph(tmp_path, source):
    result = convert([source], tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert quads(tmp_path / "out") == quads(source)


def test_converted_files(tmp_path):
    result = convert([DATA / "brat" / "harbor"], tmp_path / "out")
    assert result.stderr == f"Wrote {tmp_path / 'out'}: registry.yaml (9 entries), 1 source file, 1 text.\n"
    out = tmp_path / "out"
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "registry.yaml", "sources/harbor-patrol.yaml", "texts/harbor-patrol.txt"]
    assert (out / "texts" / "harbor-patrol.txt").read_bytes() == (DATA / "brat" / "harbor" / "harbor-patrol.txt").read_bytes()
    source = yaml.safe_load((out / "sources" / "harbor-patrol.yaml").read_text(encoding="utf-8"))
    assert source["source"]["text"] == "../texts/harbor-patrol.txt"
    assert source["statements"][1] == {
        "subject": "velmar", "relation": "participates-in", "object": "joint-patrol-mission", "if": ["ceasefire-holds"],
        "according-to": ["ana-ruiz"], "hedge": ["could"],
        "quote": "would take part in the patrol mission only if the ceasefire holds", "start": 187, "end": 252,
        "note": "The condition is stated by Velmar itself."}
    registry = yaml.safe_load((out / "registry.yaml").read_text(encoding="utf-8"))
    assert registry["actors"]["united-nations"] == {"label": "United Nations", "kind": "organization", "aliases": ["UN"],
                                                    "wikidata": "Q1065"}


def test_existing_files_are_not_overwritten_without_force(tmp_path):
    out = tmp_path / "out"
    assert convert([DATA / "brat" / "harbor"], out).exit_code == 0
    (out / "sources" / "harbor-patrol.yaml").write_text("# edited by hand\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(DATA / "brat" / "harbor"), "-o", str(out)])
    assert result.exit_code == 1
    assert "registry.yaml and 2 more already exist; nothing was written" in result.stderr
    assert (out / "sources" / "harbor-patrol.yaml").read_text(encoding="utf-8") == "# edited by hand\n"
    assert convert([DATA / "brat" / "harbor"], out, "--force").exit_code == 0
    assert (out / "sources" / "harbor-patrol.yaml").read_text(encoding="utf-8") != "# edited by hand\n"


def test_without_texts(tmp_path):
    assert convert([DATA / "brat" / "harbor"], tmp_path / "out", "--no-texts").exit_code == 0
    assert not (tmp_path / "out" / "texts").exists()
    source = yaml.safe_load((tmp_path / "out" / "sources" / "harbor-patrol.yaml").read_text(encoding="utf-8"))
    assert "text" not in source["source"] and source["statements"][0]["start"] == 87
    assert quads(tmp_path / "out") == quads(DATA / "brat" / "harbor")


def test_input_with_problems_writes_nothing(tmp_path):
    result = CliRunner().invoke(cli, ["convert", str(DATA / "brat" / "broken"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "closure.ann:5:25: R1: Arg2 refers to T9, which is not in this file" in result.stderr
    assert result.stderr.rstrip().endswith("nothing was written")
    assert not (tmp_path / "out").exists()


def test_convert_force_over_a_file_where_a_folder_goes_writes_nothing(tmp_path):
    """Issue 16: with a file named ``sources`` in the output folder, convert --force used to replace
    registry.yaml and write texts/ before failing."""
    from sgtest import run

    out = tmp_path / "project"
    out.mkdir()
    (out / "sources").write_text("x", encoding="utf-8")
    (out / "registry.yaml").write_text("# mine\n", encoding="utf-8")
    done = run("convert", Path(__file__).parent / "data" / "brat" / "harbor", "-o", out, "--force", cwd=tmp_path)
    assert done.returncode == 1
    assert b"project/sources is a file, where a folder is to be written; nothing was written" in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["registry.yaml", "sources"]
    assert (out / "registry.yaml").read_text(encoding="utf-8") == "# mine\n"
