"""Every quote of the Gaza example occurs word for word in the article it annotates.

The articles are not part of the project (they are copyrighted): they sit beside it, in
``../shared/seeds`` from the repository root. Without that folder the test is skipped.
"""

from __future__ import annotations

import pytest
import yaml
from sgtest import EXAMPLE, SEEDS

#: source id → the seed file it annotates
SEED_OF = {
    "summary-2024-03-30-pentagon-gaza-force": "000_9e218b530996423b.txt",
    "newsmax-2024-03-pentagon-gaza-force": "002_8a6933fb7ede1b8b.txt",
}

needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"the annotated articles are not beside the project: {SEEDS} is missing"
)


def example_sources() -> dict[str, dict]:
    sources = {}
    for path in sorted((EXAMPLE / "sources").glob("*.yaml")):
        data = yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)  # every value as the text written
        sources[data["source"]["id"]] = data
    return sources


def test_every_example_source_has_its_article() -> None:
    assert set(example_sources()) == set(SEED_OF)


@needs_seeds
@pytest.mark.parametrize("source_id", sorted(SEED_OF))
def test_every_quote_occurs_verbatim_in_its_article(source_id: str) -> None:
    article = (SEEDS / SEED_OF[source_id]).read_text("utf-8")
    statements = example_sources()[source_id]["statements"]
    assert statements

    missing = [st["quote"] for st in statements if st["quote"] not in article]

    assert missing == [], f"not in {SEED_OF[source_id]}"


@needs_seeds
@pytest.mark.parametrize("source_id", sorted(SEED_OF))
def test_quote_context_and_offsets_match_the_article(source_id: str) -> None:
    """Where a statement gives prefix, suffix or start/end, they agree with the article too."""
    article = (SEEDS / SEED_OF[source_id]).read_text("utf-8")
    for st in example_sources()[source_id]["statements"]:
        quote = st["quote"]
        if "prefix" in st:
            assert st["prefix"] + quote in article, quote
        if "suffix" in st:
            assert quote + st["suffix"] in article, quote
        if "start" in st:
            start, end = int(st["start"]), int(st["end"])
            assert article[start:end] == quote

