"""The YAML reader on inputs that once raised, crashed or pointed at the wrong place."""

from __future__ import annotations

import pytest

from stancegraph.graph import InputProblems, Loc, Problem
from stancegraph.graph.yamlread import loads_yaml


def problems(text: str | bytes) -> list[str]:
    with pytest.raises(InputProblems) as info:
        loads_yaml(text, "x.yaml")
    return [str(p) for p in info.value.problems]


def test_values_keep_their_positions() -> None:
    doc = loads_yaml("a:\n  - b: 2024-03-30\n    c: 'x'\n", "x.yaml")

    assert doc.data == {"a": [{"b": "2024-03-30", "c": "x"}]}  # a date stays the text written
    assert str(doc.loc("a", 0, "c")) == "x.yaml:3:8"
    assert str(doc.loc("a", 0, "c", "__key__")) == "x.yaml:3:5"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: !!int many", "x.yaml:1:4: 'many' is not a valid int. Remove the tag, or correct the value."),
        ("a: !!float ''", "x.yaml:1:4: '' is not a valid float. Remove the tag, or correct the value."),
        ("a: !!bool maybe", "x.yaml:1:4: 'maybe' is not a valid bool. Remove the tag, or correct the value."),
    ],
)
def test_an_explicit_tag_that_does_not_fit_its_value_is_a_problem(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_a_lone_surrogate_is_a_problem_at_its_place() -> None:
    assert problems("a: 1\nb: x\ud800") == ["x.yaml:2:5: the text holds a lone surrogate (U+D800). Save the file as UTF-8 text."]


def test_a_control_character_is_a_problem_at_its_place_after_multibyte_text() -> None:
    # libyaml counts the position in bytes: the column must count characters
    assert problems("a: 1\nb: ééé\x01") == [
        "x.yaml:2:7: YAML does not allow the character U+0001 (control characters are not allowed). "
        "Remove it, or write it as an escape such as \\x01 inside double quotes."
    ]


def test_nesting_up_to_64_levels_is_read_and_deeper_is_refused() -> None:
    assert loads_yaml("[" * 64 + "]" * 64, "x.yaml").data is not None
    # the mapping is the first level: the 64th "[" (column 66) is the 65th
    assert problems("k:\n  " + "[" * 64 + "]" * 64) == ["x.yaml:2:66: the document nests deeper than 64 levels."]


def test_merge_keys_are_refused_with_their_own_message() -> None:
    assert problems("base: {a: 1}\nother:\n  <<: {b: 2}\n") == [
        "x.yaml:3:3: YAML merge keys (<<) are not supported. Write the keys out."
    ]


def test_a_quoted_merge_key_is_an_ordinary_key() -> None:
    assert loads_yaml("'<<': 1", "x.yaml").data == {"<<": 1}


def test_a_problem_reads_as_sentences() -> None:
    assert str(Problem(Loc("f.yaml", 3, 7), "unknown relation 'suports'", "Did you mean 'supports'?")) == (
        "f.yaml:3:7: unknown relation 'suports'. Did you mean 'supports'?"
    )
    assert str(Problem(Loc("f.yaml", 3), "no such thing.", "Check it.")) == "f.yaml:3:1: no such thing. Check it."
    assert str(Problem(Loc("f.yaml"), "not a file")) == "f.yaml: not a file."
