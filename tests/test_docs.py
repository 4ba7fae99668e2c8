"""The documentation stays true: generated pages are up to date, links lead somewhere, every command
is documented."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from stancegraph.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_queries_page_is_generated_from_the_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    spec = importlib.util.spec_from_file_location("make_queries", ROOT / "docs" / "make_queries.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    expected = module.render()
    assert (ROOT / "docs" / "queries.md").read_text(encoding="utf-8") == expected, \
        "docs/queries.md is out of date: run python docs/make_queries.py"


@pytest.mark.parametrize("page", DOCS, ids=lambda p: p.name)
def test_relative_links_lead_to_files(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    broken = []
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        if not (page.parent / target).exists():
            broken.append(target)
    assert broken == [], f"{page.name} links to missing files"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_documented(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and "Usage: " in result.output
    assert f"## {name}" in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8"), f"docs/cli.md has no section on {name}"
    assert f"stancegraph {name}" in (ROOT / "README.md").read_text(encoding="utf-8"), f"README.md does not list {name}"
