"""Issue 13, part 4 in headless Chromium: the two-ended range, the "changes" mode and the play control.

"What changed between March 2024 and November 2025?" answered in the page on the example: the page's list
must be the one `stancegraph changes` gives (output/periods.py, computed here with the library, never with
the page's own logic), with the quotes before and after.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pytest

from stancegraph.output.periods import Window, changes, within

if TYPE_CHECKING:  # the fixtures live in this folder's conftest.py
    from conftest import ViewPage

_CHANGES_JS = "window.stancegraph.changes().map(c => [c.kind, c.from, c.to, c.was, c.now])"


def pid(node: str | None) -> str | None:
    return None if not node else f"n:{node}"


def set_range(view: ViewPage, since: str | None, until: str | None) -> None:
    """Move the sliders to the dates given (each must be one of the page's dates)."""
    dates = view.js("window.stancegraph.data.filters.dates")
    for slider, value in (("#sg-timeline", until or dates[-1]), ("#sg-timeline-from", since or dates[0])):
        view.page.eval_on_selector(slider, "(s, v) => { s.value = String(v); s.dispatchEvent(new Event('input', { bubbles: true })); }",  # as a user's drag
                                   dates.index(value))


def test_a_range_shows_what_was_stated_in_it(view: ViewPage, example_views: dict[str, Path], example: nx.MultiDiGraph) -> None:
    view.open(example_views["yaml"])
    assert view.js("window.stancegraph.data.filters.dates") == [
        "2024-03", "2024-03-30", "2025-09-29", "2025-10", "2025-10-13", "2025-11-17"]
    set_range(view, "2025-09-29", None)
    assert view.page.text_content("#sg-range-text") == "from 2025-09-29 to 2025-11-17"
    cut, _ = within(example, Window(since="2025-09-29"))
    stated = {(s, o, k) for s, o, k, d in cut.edges(keys=True, data=True) if d["statements"]}
    shown = {(e["from"], e["to"], e["relation"]) for e in view.js(
        "window.stancegraph.visibleEdges().map(id => window.stancegraph.edges.get(id))")
        if view.js("(id) => window.stancegraph.data.edges.find(e => e.id === id).statements.length", e["id"])}
    assert shown == {(pid(s), pid(o), k) for s, o, k in stated}
    assert "n:dod" not in view.js("window.stancegraph.visibleNodes()")  # the Pentagon's talks were in March 2024
    assert "since=2025-09-29" in view.js("location.hash")
    view.assert_clean()


def test_what_changed_between_march_2024_and_november_2025(view: ViewPage, example_views: dict[str, Path],
                                                            example: nx.MultiDiGraph) -> None:
    view.open(example_views["yaml"])
    set_range(view, "2024-03", "2025-11-17")
    view.page.check("#sg-changes")
    view.page.wait_for_selector("#sg-details .sg-changes")
    expected = changes(example, "2024-03", "2025-11-17")
    want = sorted([c.kind, pid(c.subject), pid(c.object), c.before, c.after] for c in expected.stances)
    want += sorted(["status", None, pid(c.object), c.before, c.after] for c in expected.conditions)
    got = view.js(_CHANGES_JS)
    assert sorted(g for g in got if g[0] != "status") + [g for g in got if g[0] == "status"] == want
    assert ["flipped", "n:israel", "n:gaza-day-after-plan", ["conditional"], ["supports"]] in got
    panel = view.page.text_content("#sg-details")
    assert "From 2024-03 to 2025-11-17" in panel
    assert "[flipped] Israel on Post-war" in panel and "conditional \u2192 supports" in panel
    assert "Israel has been reluctant to join in the planning" in panel  # the quote before
    assert "Israel took part in the indirect talks in Sharm el-Sheikh" in panel  # the quote after
    assert "[status changed] The hostages seized on October 7 are released" in panel
    # the changed relations are outlined in their change's colour, the rest fade
    flipped = view.js("window.stancegraph.data.edges.find(e => e.from === 'n:israel' && e.to === 'n:gaza-day-after-plan' "
                      "&& e.relation === 'participates-in').id")
    assert view.js("(id) => window.stancegraph.edges.get(id).color.color", flipped) == "#e65100"
    assert view.js("document.body.getAttribute('data-changes')") == str(len(got))
    # a link keeps the mode and the range
    assert "changes=1" in view.js("location.hash")
    view.page.uncheck("#sg-changes")
    assert view.js("(id) => window.stancegraph.edges.get(id).color.color", flipped) != "#e65100"
    view.assert_clean()


def test_changes_mode_reopens_from_a_link(view: ViewPage, fresh_view: ViewPage, example_views: dict[str, Path]) -> None:
    view.open(example_views["yaml"])
    set_range(view, "2024-03-30", "2025-10")
    view.page.check("#sg-changes")
    fragment = view.js("location.hash")
    assert "since=2024-03-30" in fragment and "until=2025-10" in fragment and "changes=1" in fragment
    fresh_view.open(example_views["yaml"], fragment)
    assert fresh_view.js(_CHANGES_JS) == view.js(_CHANGES_JS)
    assert "From 2024-03-30 to 2025-10" in fresh_view.page.text_content("#sg-details")
    fresh_view.assert_clean()


def test_play_steps_month_by_month(view: ViewPage, example_views: dict[str, Path]) -> None:
    view.open(example_views["yaml"])
    months = view.js("window.stancegraph.months()")
    assert months[0] == "2024-03" and months[-1] == "2025-11" and len(months) == 21  # every month between
    view.page.click("#sg-play")
    assert view.page.get_attribute("#sg-play", "aria-pressed") == "true"
    view.page.wait_for_function("() => document.getElementById('sg-timeline-date').textContent.startsWith('2024-04')")
    view.page.click("#sg-play")  # stop
    assert view.page.get_attribute("#sg-play", "aria-pressed") == "false"
    stopped = view.page.text_content("#sg-timeline-date")
    view.page.wait_for_timeout(1000)  # a tick of the player would have moved it
    assert view.page.text_content("#sg-timeline-date") == stopped
    view.assert_clean()


def test_outlets_on_request_link_what_they_report_and_whom_they_cite(view: ViewPage, example_views: dict[str, Path],
                                                                     example: nx.MultiDiGraph) -> None:
    """Part 3: Newsmax and Politico are isolated dots until "Show outlets": then Newsmax reports on the subjects of
    its source's statements (each edge with those quotes) and cites Politico."""
    view.open(example_views["yaml"])
    before = set(view.js("window.stancegraph.visibleEdges()"))
    assert not any(e.startswith(("o", "c")) for e in before)
    view.page.check("#sg-outlets")
    shown = view.js("window.stancegraph.visibleEdges().map(id => window.stancegraph.edges.get(id))"
                    ".filter(e => e.relation === 'reports' || e.relation === 'cites').map(e => [e.from, e.relation, e.to])")
    newsmax = "newsmax-2024-03-pentagon-gaza-force"
    subjects = {s for s, _, d in example.edges(data=True) if any(st["source"]["id"] == newsmax for st in d["statements"])}
    assert {(f, t) for f, r, t in shown if r == "reports"} == {("n:newsmax", pid(s)) for s in subjects}
    assert [x for x in shown if x[1] == "cites"] == [["n:newsmax", "cites", "n:politico"]]
    assert "outlets=1" in view.js("location.hash")
    reports_dod = view.js("window.stancegraph.visibleEdges().map(id => window.stancegraph.edges.get(id))"
                          ".find(e => e.relation === 'reports' && e.to === 'n:dod').id")
    view.click("edge", reports_dod, ["Newsmax", "reports on", "U.S. Department of Defense"])
    view.page.uncheck("#sg-outlets")
    assert set(view.js("window.stancegraph.visibleEdges()")) == before
    view.assert_clean()


@pytest.mark.parametrize(("fragment", "start", "end"), [("#since=2024-03&until=2025-11&changes=1", "2024-03", "2025-11"),
                                                       ("#since=2024-03&until=2025&changes=1", "2024-03", "2025")])
def test_a_link_with_a_month_or_a_year_reads_it_as_the_command_line_does(view: ViewPage, example_views: dict[str, Path],
                                                                        example: nx.MultiDiGraph, fragment: str,
                                                                        start: str, end: str) -> None:
    """until=2025-11 is all of November (as --to 2025-11 is): the page's changes are the command line's."""
    view.open(example_views["yaml"], fragment)
    expected = changes(example, start, end)
    got = view.js(_CHANGES_JS)
    assert len(got) == len(expected.stances) + len(expected.conditions) == 20
    assert view.page.text_content("#sg-timeline-from-date") == "2024-03"  # in changes mode, not "the beginning"
    view.assert_clean()
