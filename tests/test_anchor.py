"""Quote anchoring: exact, by context, approximate; the text: field of native sources."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from stancegraph.graph import load, validate
from stancegraph.graph.anchor import find_quote

TEXT = ("Alpha beta gamma. The council is weighing a plan to fund a peace force. Delta epsilon. "
        "The council is weighing a plan.")
QUOTE = "The council is weighing a plan"
FIRST, SECOND = TEXT.index(QUOTE), TEXT.rindex(QUOTE)


def test_position_is_verified():
    assert find_quote(TEXT, QUOTE, start=SECOND, end=SECOND + len(QUOTE)).how == "position"


def test_exact_match_first_occurrence_without_context():
    found = find_quote(TEXT, QUOTE)
    assert (found.start, found.end, found.how) == (FIRST, FIRST + len(QUOTE), "exact")


def test_context_chooses_among_occurrences():
    assert find_quote(TEXT, QUOTE, prefix="epsilon. ").start == SECOND
    assert find_quote(TEXT, QUOTE, suffix=" to fund").start == FIRST
    assert find_quote(TEXT, QUOTE, start=SECOND - 3, end=SECOND - 3 + len(QUOTE)).start == SECOND  # nearest to old offsets


def test_text_edited_around_the_quote_reanchors_exactly():
    edited = "A new first paragraph.\n\n" + TEXT
    found = find_quote(edited, QUOTE, prefix="epsilon. ", start=SECOND, end=SECOND + len(QUOTE))
    assert (found.start, found.how) == (SECOND + 24, "exact")


def test_text_edited_inside_the_quote_is_fuzzy():
    edited = TEXT.replace("weighing a plan to fund", "weighing plans to fund")
    found = find_quote(edited, "The council is weighing a plan to fund a peace force")
    assert found.how == "fuzzy" and found.errors == 3
    assert edited[found.start:found.end] == "The council is weighing plans to fund a peace force"


def test_nothing_close():
    assert find_quote(TEXT, "entirely different words appear here") is None


def test_approximate_search_in_a_long_text():
    text = "lorem ipsum dolor sit amet " * 4000 + "the hidden sentence we want to find here" + " filler" * 1000
    found = find_quote(text, "the hiden sentence we want to fnd here")
    assert text[found.start:found.end] == "the hidden sentence we want to find here"


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=300), st.data())
def test_any_substring_anchors_exactly(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    found = find_quote(text, quote, prefix=text[max(0, start - 10):start], suffix=text[end:end + 10])
    assert found is not None and text[found.start:found.end] == quote


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcdefgh ", min_size=30, max_size=200), st.text(alphabet="xyz", min_size=1, max_size=20))
def test_insertions_before_the_quote_keep_it_anchored(text, inserted):
    quote = "QUOTED WORDS"
    original = text + quote + text
    start = len(text)
    found = find_quote(inserted + original, quote, start=start, end=start + len(quote))
    assert (found.start, found.how) == (len(inserted) + start, "exact")


# ----------------------------------------------------------------------------- text: in native sources


REGISTRY = "actors:\n  acme: {label: Acme Corp, kind: organization}\nproposals:\n  bridge: {label: New bridge}\n"


def project(tmp_path: Path, statements: str, text_ref: str = "../texts/a.txt") -> Path:
    (tmp_path / "sources").mkdir()
    (tmp_path / "texts").mkdir()
    (tmp_path / "registry.yaml").write_text(REGISTRY, encoding="utf-8")
    (tmp_path / "texts" / "a.txt").write_text("Acme Corp said on Monday it backs the new bridge.\nOthers disagree.\n",
                                              encoding="utf-8")
    (tmp_path / "sources" / "a.yaml").write_text(
        f"source:\n  id: a\n  title: A\n  text: {text_ref}\nstatements:\n{statements}", encoding="utf-8")
    return tmp_path


def test_offsets_are_computed_from_the_text(tmp_path):
    folder = project(tmp_path, "  - {subject: acme, relation: supports, object: bridge, quote: it backs the new bridge}\n")
    (st_,) = load([folder]).sources[0].statements
    assert (st_.start, st_.end) == (25, 48)


def test_wrong_offsets_are_corrected_from_the_quote(tmp_path):
    folder = project(tmp_path, "  - {subject: acme, relation: supports, object: bridge, quote: it backs the new bridge, "
                               "start: 2, end: 25}\n")
    (st_,) = load([folder]).sources[0].statements
    assert (st_.start, st_.end) == (25, 48)


def test_quotes_that_cannot_be_anchored_are_reported(tmp_path):
    folder = project(tmp_path, "  - subject: acme\n    relation: supports\n    object: bridge\n    quote: it back the new bridges\n"
                               "  - subject: acme\n    relation: opposes\n    object: bridge\n    quote: nothing like this at all\n")
    problems = [str(p) for p in validate([folder], shacl=False)]
    assert len(problems) == 2
    assert "a.yaml:9:12: the quote is not word for word in the text; the closest passage, at " in problems[0]
    assert "a.txt:1:26, reads 'it backs the new bridge'. Correct the quote" in problems[0]
    assert "a.yaml:13:12: the quote is not in the text" in problems[1] and "nor anything close to it" in problems[1]


def test_text_outside_the_project_folder_is_refused(tmp_path):
    inside = tmp_path / "project"
    inside.mkdir()
    (tmp_path / "secret.txt").write_text("it backs the new bridge", encoding="utf-8")
    folder = project(inside, "  - {subject: acme, relation: supports, object: bridge, quote: it backs the new bridge}\n",
                     text_ref="../../secret.txt")
    (problem,) = validate([folder], shacl=False)
    assert problem.loc.line == 4
    assert "text: '../../secret.txt' is outside the project folder" in problem.message


def test_missing_and_undecodable_texts(tmp_path):
    folder = project(tmp_path, "  []\n", text_ref="../texts/missing.txt")
    (problem,) = validate([folder], shacl=False)
    assert "text: no such file" in problem.message and problem.loc.line == 4
    (folder / "texts" / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (folder / "sources" / "a.yaml").write_text("source:\n  id: a\n  title: A\n  text: ../texts/latin1.txt\nstatements: []\n",
                                               encoding="utf-8")
    (problem,) = validate([folder], shacl=False)
    assert "is not UTF-8 (byte 0xe9 on its line 1)" in problem.message


def test_schema_knows_text(tmp_path):
    folder = project(tmp_path, "  []\n", text_ref="''")
    (problem,) = validate([folder], shacl=False)
    assert "text must not be empty" in problem.message
