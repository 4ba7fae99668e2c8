"""The Turtle of a small corpus that uses every annotation feature, pinned byte for byte.

A change to the vocabulary, the build or the Turtle writer shows up here as a unified diff. When the
change is intended, regenerate the golden file and review its diff in git::

    STANCEGRAPH_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os

import pytest
from sgtest import DATA

from stancegraph.graph import build
from stancegraph.output import serialize

CORPUS = DATA / "golden-corpus"
GOLDEN = DATA / "golden" / "golden-corpus.ttl"
UPDATE = os.environ.get("STANCEGRAPH_UPDATE_GOLDEN") == "1"


def test_turtle_matches_the_golden_file() -> None:
    actual = serialize(build([CORPUS]).dataset, "turtle").decode("utf-8")

    if UPDATE:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(actual, encoding="utf-8", newline="\n")
        pytest.skip(f"STANCEGRAPH_UPDATE_GOLDEN=1: wrote {GOLDEN.relative_to(DATA.parent.parent)}")
    assert GOLDEN.is_file(), f"{GOLDEN} is missing: run with STANCEGRAPH_UPDATE_GOLDEN=1 to write it"
    expected = GOLDEN.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=f"{GOLDEN.name} (golden)", tofile=f"{GOLDEN.name} (built now)",
        ))
        pytest.fail(f"the Turtle differs from the golden file (STANCEGRAPH_UPDATE_GOLDEN=1 rewrites it):\n{diff}",
                    pytrace=False)
