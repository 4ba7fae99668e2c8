"""Spans as quotes (graph/importers/spans.py): the words of valid offsets, a problem for any other, and
the importers that read offsets (brat, Web Annotation) saying so with file, line and column."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from stancegraph.graph import validate
from stancegraph.graph.errors import Loc
from stancegraph.graph.importers.spans import LineIndex, span_quote

AT = Loc("doc.ann", 3, 7)


@st.composite
def text_and_span(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
    start = draw(st.integers(0, len(text)))
    return text, start, draw(st.integers(start, len(text)))


@given(text_and_span())
def test_a_span_inside_the_text_is_its_words(case: tuple[str, int, int]) -> None:
    text, start, end = case

    assert span_quote(text, start, end, AT, "doc.txt") == (text[start:end], None)


@given(st.text(max_size=40), st.integers(0, 40), st.integers(1, 40))
def test_a_span_past_the_end_is_a_problem(text: str, start: int, beyond: int) -> None:
    end = len(text) + beyond
    quote, problem = span_quote(text, min(start, end), end, AT, "doc.txt", what="T4")

    assert quote is None and problem is not None
    assert problem.loc == AT
    assert problem.message == f"T4: the span ends at {end}, after the end of doc.txt ({len(text)} characters)"


@given(st.one_of(st.booleans(), st.floats(allow_nan=False), st.text(max_size=3), st.none()))
def test_offsets_that_are_not_whole_numbers_are_a_problem(odd: object) -> None:
    for start, end in ((odd, 2), (0, odd)):
        quote, problem = span_quote("some words", start, end, AT, "doc.txt")

        assert quote is None and problem is not None and "is not two whole numbers" in problem.message


def test_a_reversed_or_negative_span_is_a_problem() -> None:
    for start, end in ((5, 2), (-1, 3)):
        quote, problem = span_quote("some words", start, end, AT, "doc.txt")

        assert quote is None and problem is not None and "ends before it starts" in problem.message


@given(st.text(alphabet="ab\n\r", max_size=30), st.data())
def test_the_line_reader_counts_lines_and_columns_from_one(text: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(0, len(text)))

    line, col = LineIndex(text).line_col(offset)

    assert line == text.count("\n", 0, offset) + 1
    assert col == offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_brat_names_a_span_past_the_end_of_its_text(tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "doc.txt").write_text("Acme backs the bridge.\n", encoding="utf-8", newline="")
    (folder / "doc.ann").write_text("T1\tOrganization 0 4\tAcme\nT2\tProposal 15 40\tbridge\n", encoding="utf-8")

    (problem,) = validate([folder], shacl=False)

    assert (Path(problem.loc.path).name, problem.loc.line, problem.loc.col) == ("doc.ann", 2, 4)
    assert problem.message.startswith("T2: the span ends at 40, after the end of ")
    assert problem.message.endswith("doc.txt (23 characters)")


def test_web_annotation_names_a_position_past_the_end_of_its_text(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text("Acme backs the bridge.\n", encoding="utf-8")
    annotation = {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:a:1", "type": "Annotation",
                  "body": [{"type": "TextualBody", "purpose": "tagging", "value": value}
                           for value in ("relation:supports", "subject:acme", "object:bridge")],
                  "target": {"source": "doc.txt", "selector": {"type": "TextPositionSelector", "start": 15, "end": 40}}}
    (tmp_path / "doc.jsonld").write_text(json.dumps(annotation, indent=1), encoding="utf-8")

    messages = [p.message for p in validate([tmp_path / "doc.jsonld"], shacl=False)]

    assert any(m.startswith("annotation urn:a:1: the span ends at 40, after the end of ") and m.endswith("(23 characters)")
               for m in messages), messages
