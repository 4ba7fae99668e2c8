"""Same input, same bytes: in one process, and across processes with different hash seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from sgtest import EXAMPLE, FORMAT_IDS, FORMATS, Format, start_python

from stancegraph.graph import Built, build
from stancegraph.output import serialize


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
def test_two_builds_in_one_process_are_identical(example_built: Built, fmt: Format) -> None:
    again = build([EXAMPLE], shacl=False)

    assert serialize(again.dataset, fmt.name) == serialize(example_built.dataset, fmt.name)


# Runs the command line in a fresh interpreter: build in every format, and the HTML view of the TriG.
_SCRIPT = """
import sys
from stancegraph.cli.main import cli
out, example = sys.argv[1], sys.argv[2]
for ext in {exts!r}:
    cli.main(["build", example, "--no-shacl", "-q", "-o", f"{{out}}/gaza{{ext}}"], standalone_mode=False)
cli.main(["view", f"{{out}}/gaza.trig", "-o", f"{{out}}/gaza.html"], standalone_mode=False)
"""


def test_builds_with_different_hash_seeds_are_byte_identical(tmp_path: Path, example_built: Built) -> None:
    seeds = ["0", "4242"]
    for seed in seeds:
        (tmp_path / seed).mkdir()
    script = _SCRIPT.format(exts=[f.ext for f in FORMATS])
    running = [start_python(script, tmp_path / seed, EXAMPLE, hashseed=seed) for seed in seeds]  # side by side
    for process in running:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    first, second = ({p.suffix: p.read_bytes() for p in (tmp_path / seed).iterdir()} for seed in seeds)

    assert sorted(first) == sorted([f.ext for f in FORMATS] + [".html"])
    for ext in first:
        assert first[ext] == second[ext], f"{ext} differs between PYTHONHASHSEED={seeds[0]} and {seeds[1]}"
    for fmt in FORMATS:  # and both equal what this process built
        assert first[fmt.ext] == serialize(example_built.dataset, fmt.name), fmt.name
