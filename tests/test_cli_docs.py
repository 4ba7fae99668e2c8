"""The sessions shown in docs/cli.md are what the tool prints: each ``$ stancegraph ... out/gaza.ttl``
example that writes to the terminal is run on the example's graph, and its output compared with the
lines the page shows under it (standard output, then standard error). Examples that write files, pipe
their output, elide lines ("...") or need a store are left to their own tests."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from stancegraph.cli.main import cli

from sgtest import EXAMPLE, ROOT

PAGE = ROOT / "docs" / "cli.md"


def sessions() -> list[tuple[int, str, list[str]]]:
    """(line, command, the lines shown after it) for each example to check."""
    found = []
    lines = PAGE.read_text("utf-8").splitlines()
    for start, line in enumerate(lines):
        if not line.startswith("$ stancegraph ") or "out/gaza.ttl" not in line:
            continue
        command = line[2:]
        shown = []
        for after in lines[start + 1 :]:
            if after.startswith("$ ") or after.startswith("```"):
                break
            shown.append(after)
        words = shlex.split(command)
        if "|" in words or "-o" in words or "--output" in words or "--endpoint" in words or "..." in shown:
            continue
        found.append((start + 1, command, shown))
    return found


@pytest.fixture(scope="module")
def gaza_ttl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "-o", str(folder / "gaza.ttl"), "-q"])
    assert result.exit_code == 0, result.output
    return folder / "gaza.ttl"


def test_the_page_shows_sessions_to_check() -> None:
    commands = {shlex.split(command)[1] for _, command, _ in sessions()}
    assert {"query", "matrix", "blockers", "contradictions", "stats"} <= commands


@pytest.mark.parametrize("line, command, shown", sessions(), ids=lambda x: str(x)[:60] if isinstance(x, str) else None)
def test_the_example_prints_what_the_page_shows(gaza_ttl: Path, line: int, command: str, shown: list[str]) -> None:
    words = [str(gaza_ttl) if w == "out/gaza.ttl" else w for w in shlex.split(command)[1:]]
    result = CliRunner().invoke(cli, words)
    printed = (result.stdout + result.stderr).replace(str(gaza_ttl), "out/gaza.ttl").splitlines()
    printed = [re.sub(r"\s+$", "", p) for p in printed]
    assert printed == [re.sub(r"\s+$", "", s) for s in shown], f"docs/cli.md:{line}: {command}"
