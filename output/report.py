"""Plain-text reports of the analyses, for the terminal. Control characters from sources are escaped."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .analysis import Blockers, Contradiction, number_text
from .tables import printable


def _evidence_line(e: dict[str, Any]) -> str:
    where = e["source"] + (f", {e['date']}" if e.get("date") else "")
    extra = []
    if len(e.get("according_to") or []) > 1:
        extra.append("according to " + " > ".join(e["according_to"]))
    if e.get("hedges"):
        extra.append("hedged: " + ", ".join(e["hedges"]))
    quote = "(no quote)" if e["quote"] is None else f"\u201c{e['quote']}\u201d"  # a graph from elsewhere may lack one
    return f"{quote} ({where}{'; ' + '; '.join(extra) if extra else ''})"


def blockers_text(b: Blockers) -> str:
    lines = [f"What stands between {b.label} [{b.proposal}] and adoption"]
    if len(b.scope) > 1:
        lines.append("(including what holds for the broader proposals it is part of: " + ", ".join(b.scope[1:]) + ")")
    lines += ["", f"Conditions ({len(b.conditions)})"]
    if not b.conditions:
        lines.append("  none stated")
    for c in b.conditions:
        via = f", via {c.via}" if c.via else ""
        lines.append(f"  [{c.status}] {c.label} [{c.id}{via}]")
        for e in c.required_by:
            lines.append(f"      required: {_evidence_line(e)}")
        for d in c.demanded_by:
            lines.append(f"      demanded by {d['label']}: {_evidence_line(d)}")
        for d in c.controlled_by:
            lines.append(f"      controlled by {d['label']}: {_evidence_line(d)}")
        for d in c.stances:
            lines.append(f"      {d['label']} {d['relation']} {d['proposal_label']} {d['when']} it is met: {_evidence_line(d)}")
    lines += ["", f"Approval needed from ({len(b.approvers)})"]
    if not b.approvers:
        lines.append("  nobody named")
    for a in b.approvers:
        lines.append(f"  {a['label']} [{a['actor']}]")
        for e in a["evidence"]:
            lines.append(f"      {_evidence_line(e)}")
        if a["preconditions"]:
            lines.append(f"      {a['label']}'s own preconditions: " + "; ".join(a["preconditions"]))
    lines += ["", f"Resistance ({len(b.resistance)})"]
    if not b.resistance:
        lines.append("  none stated")
    for r in b.resistance:
        cond = f"; conditions: {', '.join(r['conditions'])}" if r["conditions"] else ""
        lines.append(f"  {r['label']} {r['relation']} {r['proposal_label']} ({r['stance']}{cond})")
        lines.append(f"      {_evidence_line(r)}")
    if b.attacks or b.supports:  # a claim's (or a debated proposal's) arguments
        for title, found in (("Argued against", b.attacks), ("Argued for", b.supports)):
            lines += ["", f"{title} ({len(found)})"]
            if not found:
                lines.append("  nothing")
            for a in found:
                lines.append(f"  {a['label']} [{a['from']}] {a['relation']} {a['proposal_label']}")
                lines.append(f"      {_evidence_line(a)}")
    return printable_lines(lines)


def contradictions_text(found: list[Contradiction]) -> str:
    if not found:
        return "No contradictions found: no actor holds conflicting stances on a proposal, and no sources disagree on a condition's status or a quantity.\n"
    lines = [f"{len(found)} contradiction{'s' if len(found) != 1 else ''}"]
    for c in found:
        lines += ["", f"[{c.kind}] {c.summary}"]
        for e in c.evidence:
            tag = e.get("stance") or e.get("status") or (
                f"{number_text(e['quantity']['value'])} {e['quantity']['unit'] or ''}".strip() if e.get("quantity") else "")
            lines.append(f"    {tag}: {_evidence_line(e)}")
    return printable_lines(lines)


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def stats_text(s: dict[str, Any]) -> str:
    n = s["nodes"]
    lines = [
        f"{_n(n['actor'], 'actor')}, {_n(n['proposal'], 'proposal')}, {_n(n['condition'], 'condition')}; "
        f"{_n(s['statements'], 'statement')} from {_n(s['sources'], 'source')}",
        *([f"{s['unanchored']} of the quotes not found in a text of their source (none was given: kept as "
           "written)"] if s.get("unanchored") else []),
        "",
        "Statements by relation:",
        *(f"  {v:6d}  {k}" for k, v in s["relations"].items()),
        "",
        "Statements by stance:",
        *(f"  {v:6d}  {k}" for k, v in s["stances"].items()),
        "",
        "Most central actors (degree; betweenness):",
        *(f"  {a['degree']:6d}  {a['label']} [{a['actor']}]  {a['betweenness']:.3f}" for a in s["central_actors"]),
        "",
        "Sources per outlet:",
        *(f"  {v:6d}  {k}" for k, v in s["sources_per_outlet"].items()),
    ]
    return printable_lines(lines)


def printable_lines(lines: list[str]) -> str:
    return "\n".join(printable(line) for line in lines) + "\n"



def skipped_text(skipped: list[Any], limit: int = 5) -> str:
    """What a command says on stderr when the projection left nodes of a graph out or read them in part
    (:class:`stancegraph.output.projection.Skipped`): how many and why, then the first few by name. Empty
    when nothing was skipped."""
    if not skipped:
        return ""
    whole = len({x.node for x in skipped if x.whole})
    partly = len({x.node for x in skipped if not x.whole} - {x.node for x in skipped if x.whole})
    origin = skipped[0].problem.loc.path
    counts: dict[str, int] = {}
    for x in skipped:
        counts[x.kind] = counts.get(x.kind, 0) + 1
    done = ", ".join(part for part in (f"{whole:,} node{'s' if whole != 1 else ''} skipped" if whole else "",
                                       f"{partly:,} read in part" if partly else "") if part)
    lines = [f"Warning: {origin} is not all in stancegraph's shape: {done}; the rest is used. Why:"]
    lines += [f"  {n:6,d} × {kind}" for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    shown = skipped[:limit]
    lines.append(f"The first {len(shown)} of {len(skipped):,}:" if len(skipped) > len(shown) else "Each of them:")
    lines += [f"  {replace(x.problem, hint='')}" for x in shown]
    lines.append(f"({shown[0].problem.hint}.)")
    return printable_lines(lines)


_CHANGE_WORD = {"new": "new", "flipped": "flipped", "dropped": "not stated again"}


def changes_text(c: Any) -> str:
    """The report of :func:`stancegraph.output.periods.changes`: stances new, flipped, not stated again, and
    conditions whose status changed, each with the quotes before and after."""
    statuses = f"{len(c.conditions)} condition status{'' if len(c.conditions) == 1 else 'es'}"
    lines = [f"Changes from {c.start} to {c.end}: {_n(len(c.stances), 'stance')}, {statuses}"]
    if c.undated:
        lines.append(f"({_n(c.undated, 'statement')} without a date could not be placed and are left out)")
    if not c.stances and not c.conditions:
        lines += ["", f"Nothing changed: no stance or condition status was stated for the first time, "
                      f"differently or not again between {c.start} and {c.end}."]
    for change in c.stances:
        was = " / ".join(change.before) or "none"
        now = " / ".join(change.after) or "(not stated again)"
        lines += ["", f"[{_CHANGE_WORD[change.kind]}] {change.subject_label} on {change.object_label}: {was} → {now}"]
        lines += [f"    before, {e['value']}: {_evidence_line(e)}" for e in change.quotes_before]
        lines += [f"    after, {e['value']}: {_evidence_line(e)}" for e in change.quotes_after]
    for change in c.conditions:
        was = " / ".join(change.before) or "no status stated"
        lines += ["", f"[now {change.kind}] {change.object_label}: {was} → {' / '.join(change.after)}"]
        lines += [f"    before, {e['value']}: {_evidence_line(e)}" for e in change.quotes_before]
        lines += [f"    after, {e['value']}: {_evidence_line(e)}" for e in change.quotes_after]
    return printable_lines(lines)
