"""Time on the command line: --since/--until on the analysis commands and `stancegraph changes` (issue 13 parts 4, 9).

Hand-made projections check the reading of dates (partial dates are spans; undated statements are counted, not
placed) and of changes (new, flipped, not stated again; condition statuses); the example checks the commands.
"""

from __future__ import annotations

import json
from datetime import date

import networkx as nx
import pytest

from stancegraph.output.analysis import stance_matrix
from stancegraph.output.periods import BadDate, Window, changes, span, within
from stancegraph.output.projection import CONDITION_OF, PART_OF

from test_analysis import _node, _statement  # the hand-made projections of the analyses' tests


def _graph(*edges: tuple[str, str, str, list[dict]]) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for node, cls in (("a", "actor"), ("b", "actor"), ("p", "proposal"), ("q", "proposal"), ("c", "condition")):
        _node(g, node, cls)
    g.add_edge("a", "b", key=PART_OF, relation=PART_OF, label="part of", stance=None, statements=[])
    for s, o, relation, statements in edges:
        stances = {st["stance"] for st in statements if st["stance"]}
        g.add_edge(s, o, key=relation, relation=relation, label=relation, statements=statements,
                   stance=("conditional" if "conditional" in stances else (sorted(stances)[0] if stances else None)))
    g.graph["sources"] = []
    return g


def test_partial_dates_are_the_days_they_name():
    assert span("2024") == (date(2024, 1, 1), date(2024, 12, 31))
    assert span("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))  # a leap year
    assert span("2024-03-30") == (date(2024, 3, 30), date(2024, 3, 30))
    assert span("2024-03-30T10:00:00Z") == (date(2024, 3, 30), date(2024, 3, 30))  # a dateTime from elsewhere
    assert [span(x) for x in (None, "", "March 2024", "2024-13", "2023-02-29")] == [None] * 5


@pytest.mark.parametrize(("since", "until", "kept"), [
    ("2024-03-15", None, ["2024-03", "2024-03-31", "2024-04-01", "2025"]),  # 2024-03 may be any day of March
    (None, "2024-03", ["2024-01-31", "2024-03", "2024-03-31"]),
    ("2024-04", "2024-12", ["2024-04-01"]),
    ("2025-06", None, ["2025"]),  # 2025 may be any day of the year
])
def test_a_window_keeps_the_statements_whose_days_overlap_it(since, until, kept):
    dates = ["2024-01-31", "2024-03", "2024-03-31", "2024-04-01", "2025", None]
    assert [d for d in dates if Window(since, until).holds(d)] == kept  # undated: never, it cannot be placed


def test_a_window_that_ends_before_it_starts_is_refused():
    with pytest.raises(BadDate, match="--since 2025 is after --until 2024"):
        Window("2025", "2024")
    with pytest.raises(BadDate, match="'2024-13' is not a date"):
        Window("2024-13")


def test_within_drops_statements_outside_and_recomputes_the_stance():
    early, late = _statement(1, "opposes", date="2024-01-10"), _statement(2, "supports", date="2024-06-01")
    undated = _statement(3, "supports", date=None)
    g = _graph(("a", "p", "supports", [early, late, undated]), ("b", "q", "opposes", [dict(early, id="st4", iri="urn:x:st4")]))
    cut, left_out = within(g, Window(since="2024-05"))
    assert left_out == 1
    [(s, o, d)] = [(s, o, d) for s, o, d in cut.edges(data=True) if d["statements"]]
    assert (s, o, d["stance"], [st["id"] for st in d["statements"]]) == ("a", "p", "supports", ["st2"])
    assert cut.has_edge("a", "b", key=PART_OF)  # the registry is timeless
    assert set(cut.nodes) == set(g.nodes)
    assert stance_matrix(cut).cells[("a", "p")]["stances"] == ["supports"]
    assert within(g, Window()) == (g, 0)  # no window: the projection as it is


def _changes_graph() -> nx.MultiDiGraph:
    return _graph(
        ("a", "p", "opposes", [_statement(1, "opposes", source="x", date="2024-03"),
                               _statement(2, "supports", source="y", date="2025-11-17")]),  # flipped
        ("b", "p", "supports", [_statement(3, "supports", source="x", date="2024-03-30")]),  # not stated again
        ("b", "q", "supports", [_statement(4, "supports", source="y", date="2025-10")]),  # new
        ("a", "q", "supports", [_statement(5, "supports", source="x", date="2024-02"),
                                _statement(6, "supports", source="y", date="2025-01")]),  # restated: unchanged
        ("p", "c", "requires", [_statement(7, None, source="x", date="2024-03", status="unmet"),
                                _statement(8, None, source="y", date="2025-10-13", status="met")]),
        ("a", "c", "demands", [_statement(9, None, source="z", date=None, status="unmet")]),  # undated
    )


def test_changes_new_flipped_and_not_stated_again_with_quotes_before_and_after():
    found = changes(_changes_graph(), "2024-03", "2025-11")
    assert [(c.kind, c.subject, c.object, c.before, c.after) for c in found.stances] == [
        ("flipped", "a", "p", ["opposes"], ["supports"]),
        ("new", "b", "q", [], ["supports"]),
        ("dropped", "b", "p", ["supports"], []),
    ]
    flipped = found.stances[0]
    assert [e["quote"] for e in flipped.quotes_before] == ["quote 1"]
    assert [e["quote"] for e in flipped.quotes_after] == ["quote 2"]
    assert [(c.kind, c.object, c.before, c.after) for c in found.conditions] == [("met", "c", ["unmet"], ["met"])]
    assert found.undated == 1


def test_changes_count_only_what_falls_in_the_range():
    # until 2025-10: the flip of 2025-11-17 has not happened yet; b's new stance of 2025-10 has
    found = changes(_changes_graph(), "2024-03", "2025-10")
    assert [(c.kind, c.subject, c.object) for c in found.stances] == [("new", "b", "q"), ("dropped", "a", "p"),
                                                                     ("dropped", "b", "p")]


def test_changes_refuses_a_range_that_does_not_run_forward():
    with pytest.raises(BadDate, match="does not end after --from 2024-03 \\(which runs to 2024-03-31\\)"):
        changes(_changes_graph(), "2024-03", "2024-03-30")


def test_changes_on_the_command_line(invoke, tmp_path):
    from conftest import EXAMPLE

    assert invoke("build", EXAMPLE, "-o", "gaza.ttl").exit_code == 0
    result = invoke("changes", "gaza.ttl", "--from", "2024-03", "--to", "2025-11")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Changes from 2024-03 to 2025-11: ")
    assert "[flipped] Israel on Post-war (\"day after\") plan for Gaza: conditional → supports" in result.output
    data = json.loads(invoke("changes", "gaza.ttl", "--from", "2024-03", "--to", "2025-11", "-f", "json").output)
    assert {c["kind"] for c in data["stances"]} >= {"new", "flipped", "dropped"}
    assert all(c["quotes_after"] for c in data["stances"] if c["kind"] != "dropped")
    bad = invoke("changes", "gaza.ttl", "--from", "2025", "--to", "2024")
    assert bad.exit_code == 2 and "give a later date to --to than to --from" in bad.output


@pytest.mark.parametrize("command", [["matrix"], ["stats"], ["contradictions"], ["blockers", "gaza-peacekeeping-force"],
                                     ["export", "-o", "out.csv"]])
def test_since_and_until_on_the_analysis_commands(invoke, command):
    from conftest import EXAMPLE

    assert invoke("build", EXAMPLE, "-o", "gaza.ttl").exit_code == 0
    whole = invoke(command[0], "gaza.ttl", *command[1:])
    march = invoke(command[0], "gaza.ttl", *command[1:], "--until", "2024-12")
    later = invoke(command[0], "gaza.ttl", *command[1:], "--since", "2025")
    assert whole.exit_code == march.exit_code == later.exit_code == 0, (march.output, later.output)
    if command[0] == "export":
        return
    assert march.output != whole.output or later.output != whole.output
    bad = invoke(command[0], "gaza.ttl", *command[1:], "--since", "last week")
    assert bad.exit_code == 2 and "'last week' is not a date" in bad.output


def test_export_in_a_window_writes_only_its_statements(invoke):
    from conftest import EXAMPLE

    assert invoke("build", EXAMPLE, "-o", "gaza.ttl").exit_code == 0
    assert invoke("export", "gaza.ttl", "-o", "all.csv").exit_code == 0
    assert invoke("export", "gaza.ttl", "-o", "late.csv", "--since", "2025").exit_code == 0
    import csv
    from pathlib import Path

    rows = list(csv.DictReader(Path("late.csv").read_text("utf-8").splitlines()))
    every = list(csv.DictReader(Path("all.csv").read_text("utf-8").splitlines()))
    assert rows and len(rows) < len(every)
    assert all(r["date"] >= "2025" for r in rows)


def test_a_window_is_never_answered_from_the_whole_graphs_kept_answers(invoke):
    """build writes the index with stats, matrix and contradictions answered for the whole graph: a window
    must be answered on the statements in it."""
    from conftest import EXAMPLE

    assert invoke("build", EXAMPLE, "-o", "gaza.ttl").exit_code == 0
    whole = json.loads(invoke("stats", "gaza.ttl", "-f", "json").stdout)
    late = json.loads(invoke("stats", "gaza.ttl", "-f", "json", "--since", "2025").stdout)
    assert (whole["statements"], late["statements"]) == (55, 10)  # our November 2025 note's ten
    assert json.loads(invoke("contradictions", "gaza.ttl", "-f", "json", "--until", "2024-12").stdout) == []
    assert "UN Security Council" not in invoke("matrix", "gaza.ttl", "-f", "csv", "--until", "2024-12").stdout
