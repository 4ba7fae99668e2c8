"""The project folder (graph/project.py): the one walk up that finds registry.yaml, mapping.yaml and
annotation.conf, stopping at the project's top."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancegraph.graph.project import find_upwards, folders_up, registry_above


def _tree(tmp_path: Path, *files: str) -> Path:
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x: 1\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()  # the walks never leave the test's folder
    return tmp_path


def test_the_walk_stops_at_the_top_of_the_repository(tmp_path: Path) -> None:
    root = _tree(tmp_path, "a/b/c/file")

    assert list(folders_up(root / "a" / "b" / "c", 10)) == [root / "a" / "b" / "c", root / "a" / "b", root / "a", root]
    assert list(folders_up(root / "a" / "b" / "c", 2)) == [root / "a" / "b" / "c", root / "a" / "b"]


@pytest.mark.parametrize("name", ["registry.yaml", "registry.yml"])
def test_a_source_finds_the_registry_above_it(tmp_path: Path, name: str) -> None:
    root = _tree(tmp_path, name, "sources/deep/s.yaml")

    assert registry_above([root / "sources" / "deep" / "s.yaml"]) == root / name
    assert registry_above([root / "elsewhere.yaml"]) == root / name


def test_no_registry_above_is_none(tmp_path: Path) -> None:
    root = _tree(tmp_path, "sources/s.yaml")

    assert registry_above([root / "sources" / "s.yaml"]) is None


@pytest.mark.parametrize("registry", ["registry.yaml", "registry.yml"])
def test_a_file_is_looked_for_up_to_the_project_folder_only(tmp_path: Path, registry: str) -> None:
    root = _tree(tmp_path, "mapping.yaml", f"project/{registry}", "project/brat/doc.ann", "project/annotation.conf")
    brat = root / "project" / "brat"

    assert find_upwards(brat, "annotation.conf") == root / "project" / "annotation.conf"
    assert find_upwards(brat, "mapping.yaml") is None  # above the project folder: another project's
    assert find_upwards(root / "project", "mapping.yaml") is None
