"""Time on the projection of a graph: a window of dates (``--since/--until``) and the changes between two dates.

Dates in stancegraph are ISO dates of three precisions: ``2024``, ``2024-03`` and ``2024-03-30`` (a
statement's own date, or its source's publication date). A partial date is the span of days it names:
``2024-03`` is 1 to 31 March 2024. A statement is *within* a window when its span overlaps the window,
so ``--since 2024-03-15`` keeps a statement dated ``2024-03`` (it may be from the second half of the month)
and ``--until 2024-03`` keeps everything of March. A statement without any date is outside every window
(it cannot be placed); the functions here count those so that the command line can say how many were
left out.

The changes between two dates follow one reading, written out in docs/cli.md (changes):

* the stance of an actor on a proposal *as of* a date is the stance of its latest statements dated on
  or before that date (statements dated the same day that disagree give several stances);
* between FROM and TO, a stance is **new** when the actor had none as of FROM and has one as of TO;
  **flipped** when it had one as of FROM and the statements within the range give another; **dropped**
  when it had one as of FROM and nothing within the range states it again (the sources of the range are
  silent on it: that is a fact about the sources, not a retraction, and it is worded so);
* a condition's status (met, unmet, contested) changes the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from stancegraph.graph.errors import StancegraphError

from .dates import DATE, latest_status, span
from .projection import CONDITION_OF, edge_stance

__all__ = ["BadDate", "Change", "Changes", "Window", "bound", "changes", "latest_status", "span", "within"]


class BadDate(StancegraphError):
    """A date given on the command line is not a YYYY, YYYY-MM or YYYY-MM-DD date."""


def bound(value: str, what: str) -> tuple[date, date]:
    """The span of a date given as ``what`` (e.g. "--since"); raises BadDate saying what is accepted."""
    found = span(value) if DATE.match(value.strip()) else None
    if found is None:
        raise BadDate(f"{what} {value!r} is not a date: give YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024-03 or 2024-03-30)")
    return found


@dataclass(frozen=True)
class Window:
    """The dates from ``since`` to ``until`` (either may be open), as given on the command line."""

    since: str | None = None
    until: str | None = None

    #: the first day of ``since`` and the last of ``until`` (worked out once: holds() runs per statement)
    start: date = field(init=False, repr=False, compare=False, default=date.min)
    end: date = field(init=False, repr=False, compare=False, default=date.max)

    def __post_init__(self) -> None:
        if self.since is not None:
            object.__setattr__(self, "start", bound(self.since, "--since")[0])
        if self.until is not None:
            object.__setattr__(self, "end", bound(self.until, "--until")[1])
        if self.start > self.end:
            raise BadDate(f"--since {self.since} is after --until {self.until}: nothing can fall between them")

    def __bool__(self) -> bool:
        return bool(self.since or self.until)

    def holds(self, when: str | None) -> bool:
        """Whether a statement dated ``when`` falls in the window (its span overlaps it)."""
        if not self:
            return True
        s = span(when)
        return s is not None and s[1] >= self.start and s[0] <= self.end

    def describe(self) -> str:
        if self.since and self.until:
            return f"from {self.since} to {self.until}"
        return f"since {self.since}" if self.since else f"until {self.until}"


def within(graph: nx.MultiDiGraph, window: Window) -> tuple[nx.MultiDiGraph, int]:
    """A copy of the projection keeping only the statements dated within ``window``, and how many
    statements were left out for having no date.

    Relations that no statement states (part-of, registry relations) are timeless and kept; a relation
    whose statements all fall outside is dropped, and an edge's stance is worked out again from the
    statements kept. Every node is kept: the registry's entries do not have dates.
    """
    if not window:
        return graph, 0
    out = nx.MultiDiGraph()
    out.graph.update(graph.graph)
    out.add_nodes_from((node, dict(data)) for node, data in graph.nodes(data=True))  # own dicts: unmet is redone
    undated: set[str] = set()
    for s, o, key, data in graph.edges(keys=True, data=True):
        statements = data["statements"]
        if not statements:
            out.add_edge(s, o, key=key, **data)
            continue
        kept = [st for st in statements if window.holds(st["date"])]
        undated.update(st["iri"] for st in statements if span(st["date"]) is None)
        if not kept:
            continue
        new = dict(data, statements=kept)
        if key != CONDITION_OF and data["stance"] is not None:
            new["stance"] = edge_stance(kept)
        out.add_edge(s, o, key=key, **new)
    said: dict[str, dict[str, tuple[str | None, str]]] = {}  # condition → statement → (date, status) kept
    for _, o, data in out.edges(data=True):
        if out.nodes[o]["cls"] == "condition":
            for st in data["statements"]:
                if st["status"]:
                    said.setdefault(o, {})[st["iri"]] = (st["date"], st["status"])
    for node, data in out.nodes(data=True):
        if data.get("unmet") is not None and data["cls"] == "condition":
            out.nodes[node]["unmet"] = latest_status(list(said.get(node, {}).values())) == "unmet"
    sources = [src for src in graph.graph.get("sources", []) if window.holds(src.get("published"))]
    out.graph["sources"] = sources
    return out, len(undated)


@dataclass
class Change:
    """One stance (or condition status) that changed between two dates, with the quotes before and after."""

    kind: str  # new | flipped | dropped | met | unmet | contested (conditions: the status as of TO)
    subject: str
    subject_label: str
    object: str
    object_label: str
    before: list[str] = field(default_factory=list)  # stances (or statuses) as of FROM
    after: list[str] = field(default_factory=list)  # stances (or statuses) stated within the range
    quotes_before: list[dict[str, Any]] = field(default_factory=list)
    quotes_after: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Changes:
    start: str
    end: str
    stances: list[Change] = field(default_factory=list)
    conditions: list[Change] = field(default_factory=list)
    undated: int = 0  # statements that could not be placed in time


def _evidence(st: dict[str, Any], value: str | None) -> dict[str, Any]:
    return {"value": value, "date": st["date"], "quote": st["quote"], "source": st["source"]["id"],
            "publisher": st["source"].get("publisher"), "statement": st["iri"]}


def _latest(items: list[tuple[tuple[Any, Any], str, dict[str, Any]]]) -> tuple[list[str], list[dict[str, Any]]]:
    """The values of the latest-dated items, and their evidence (items: (span, value, statement))."""
    if not items:
        return [], []
    last = max(sp[0] for sp, _, _ in items)
    latest = [(v, st) for sp, v, st in items if sp[0] == last]
    return sorted({v for v, _ in latest}), [_evidence(st, v) for v, st in sorted(latest, key=lambda x: (x[0], x[1]["iri"]))]


def changes(graph: nx.MultiDiGraph, start: str, end: str) -> Changes:
    """What changed between ``start`` and ``end`` (module docstring: new, flipped, dropped; conditions)."""
    first, last = bound(start, "--from"), bound(end, "--to")
    if first[1] >= last[1]:
        runs = f" (which runs to {first[1].isoformat()})" if first[0] != first[1] else ""
        raise BadDate(f"--to {end} does not end after --from {start}{runs}: give a later date to --to than to --from")
    result = Changes(start, end)
    # (actor, proposal) -> [(span, stance, statement)] ; (condition) -> [(span, status, statement)]
    stated: dict[tuple[str, str], list[tuple[tuple[date, date], str, dict[str, Any]]]] = {}
    statuses: dict[tuple[str, str], list[tuple[tuple[date, date], str, dict[str, Any]]]] = {}
    undated: set[str] = set()
    for s, o, key, data in graph.edges(keys=True, data=True):
        if key == CONDITION_OF:
            continue
        for st in data["statements"]:
            sp = span(st["date"])
            if sp is None:
                undated.add(st["iri"])
                continue
            if data["stance"] is not None and st["stance"]:
                stated.setdefault((s, o), []).append((sp, st["stance"], st))
            if st["status"] and graph.nodes[o]["cls"] == "condition":
                statuses.setdefault(("", o), []).append((sp, st["status"], st))
    result.undated = len(undated)

    def compare(table: dict[tuple[str, str], list[Any]], out: list[Change], *, conditions: bool) -> None:
        for (s, o), items in sorted(table.items()):
            before, quotes_before = _latest([x for x in items if x[0][0] <= first[1]])
            inside = [x for x in items if x[0][0] > first[1] and x[0][0] <= last[1]]
            after, quotes_after = _latest(inside)
            if conditions:
                if not after or after == before:
                    continue
                kind = after[0] if len(after) == 1 else "contested"
            elif not before and after:
                kind = "new"
            elif before and after and after != before:
                kind = "flipped"
            elif before and not after:
                kind = "dropped"
            else:
                continue
            subject_label = graph.nodes[s]["label"] if s else ""
            out.append(Change(kind, s, subject_label, o, graph.nodes[o]["label"], before, after,
                              quotes_before, quotes_after))

    compare(stated, result.stances, conditions=False)
    compare(statuses, result.conditions, conditions=True)
    order = {"flipped": 0, "new": 1, "dropped": 2}
    result.stances.sort(key=lambda c: (order[c.kind], c.subject_label.casefold(), c.object_label.casefold()))
    return result
