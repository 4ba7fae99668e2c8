"""What brat argument and news corpora say beyond relations and events, as the mapping reads it.

* **The source's own voice.** An entity type mapped with ``voice:`` (``MajorClaim: {class: claim, voice:
  supports}``) makes each of its mentions a statement of the source's voice, quoting the mention; a
  stance attribute (``Stance: {on: Claim, target: MajorClaim, values: {For: supports, Against: opposes}}``)
  makes the mention it is on a statement toward the document's mention(s) of the target type, held by the
  voice or by the mention itself (``holder: mention``: the claim argues for or against the major claim).
  The voice is the document's ``voice:`` in the mapping's ``sources:``, else its one ``author:`` (who
  becomes an actor: a mention resolved like the others, so that one author of many essays is one actor),
  else its publisher (see :mod:`stancegraph.graph.voice`).
* **Attribution from events.** An event mapped with ``attribution: {reporter: ROLE, reported: ROLE}``
  (brat's news tutorial's ``Report``) states nothing itself: the statements of the event or relation it
  reports are according to its reporter (and to whoever reports the report, outermost first).
* **Aliases.** A relation mapped ``same`` joins the two mentions it links, as an equivalence does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol

from ..errors import Loc, Problem, display_path
from ..model import Statement
from ..voice import VOICE
from .brat_format import AnnFile, Conf, Link, TextBound
from .mapping import AttributeRule, Mapping, RelationRule
from .mentions import Mention
from .spans import span_quote


class _Reader(Protocol):
    """What is used of brat's reader (which imports this module)."""

    mapping: Mapping
    conf: Conf | None
    problems: list[Problem]
    by_key: dict[str, Mention]
    ignored: dict[str, str]

    def key(self, doc: AnnFile, ident: str) -> str: ...


def _rule(reader: _Reader, link: Link) -> RelationRule | None:
    event = link.trigger is not None
    parents = reader.conf.events.get(link.type.text, []) if event and reader.conf else ()
    return reader.mapping.relation(link.type.text, event=event, parents=parents)


def _entity_voice(reader: _Reader, tb: TextBound) -> str | None:
    parents = reader.conf.entities.get(tb.type.text, []) if reader.conf else []
    rule = reader.mapping.entity(tb.type.text, parents)
    return rule.voice if rule is not None else None


def _stance_attributes(reader: _Reader, doc: AnnFile) -> Iterator[tuple[object, AttributeRule]]:
    for attribute in doc.attributes:
        rule = reader.mapping.attribute(attribute.type.text)
        if rule is not None and rule.target is not None:
            yield attribute, rule


def needs_voice(reader: _Reader, doc: AnnFile) -> bool:
    """Whether ``doc`` has statements in its source's own voice."""
    return any(_entity_voice(reader, tb) for tb in doc.bounds.values()) or any(
        rule.holder == "voice" for _, rule in _stance_attributes(reader, doc))


def author_mention(reader: _Reader, doc: AnnFile) -> Mention | None:
    """The document's one author as a mention of a person, when it is the voice of some of its statements
    (the mapping gives the document an author, and no voice)."""
    given = reader.mapping.source_document(doc.stem)
    meta = given.data["source"] if given is not None else {}
    authors = meta.get("author")
    authors = [authors] if isinstance(authors, str) else list(authors or [])
    if "voice" in meta or len(authors) != 1 or not needs_voice(reader, doc):
        return None
    assert given is not None
    return Mention(f"{doc.shown}:@author", str(authors[0]).strip(), "actor", given.loc("source", "author"), kind="person")


def alias_joins(reader: _Reader, doc: AnnFile) -> list[tuple[list[str], Loc]]:
    """The mentions each relation mapped ``same`` joins, and where."""
    out = []
    for link in doc.links.values():
        if link.trigger is None and (rule := _rule(reader, link)) is not None and rule.same:
            keys = [reader.key(doc, target.text) for _, target in link.args]
            out.append(([k for k in keys if k in reader.by_key], link.loc))
    return out


def _role_is(role: str, name: str) -> bool:
    return role == name or (re.sub(r"\d+$", "", role) or role) == name


def report_chains(reader: _Reader, doc: AnnFile, ids: dict[str, str]) -> dict[str, tuple[tuple[str, ...], Loc]]:
    """For each event or relation that a reporting event reports: who it is according to, outermost first,
    and the report (the innermost) that says so."""
    reported_by: dict[str, tuple[str, tuple[str, ...]]] = {}
    for link in doc.links.values():
        rule = _rule(reader, link)
        if rule is None or rule.attribution is None:
            continue
        reporter_role, reported_role = rule.attribution
        who, what = [], []
        for role, target in link.args:
            if _role_is(role.text, reporter_role):
                key = reader.key(doc, target.text)
                if key in ids:
                    who.append(ids[key])
                elif target.text in doc.ids:
                    reader.problems.append(Problem(target.loc, f"{link.id}: its {role.text} is {target.text}, which is not "
                                                   "a mention of an actor", "The reporter of a report is an actor"))
            elif _role_is(role.text, reported_role):
                if target.text in doc.links:
                    what.append(target.text)
                elif target.text in doc.ids:
                    reader.problems.append(Problem(target.loc, f"{link.id}: its {role.text} is {target.text}, which is "
                                                   "not an event or relation", "A report reports an event or a relation (E or R)"))
        if not who or not what:
            missing = reporter_role if not who else reported_role
            if not any(_role_is(role.text, missing) for role, _ in link.args):
                reader.problems.append(Problem(link.loc, f"{link.id}: a report without its {missing}",
                                               f"Give it a {missing} argument, or remove it"))
            continue
        for target in what:
            reported_by[target] = (link.id, tuple(who))

    def chain(link_id: str, seen: frozenset[str] = frozenset()) -> tuple[str, ...]:
        if link_id not in reported_by or link_id in seen:
            return ()
        outer, who = reported_by[link_id]
        return chain(outer, seen | {link_id}) + who

    return {link_id: (chain(link_id), doc.links[reported_by[link_id][0]].loc) for link_id in reported_by}


def _quote(reader: _Reader, doc: AnnFile, tb: TextBound, loc: Loc) -> tuple[str, int, int] | None:
    quote, problem = span_quote(doc.text, tb.start, tb.end, loc, display_path(doc.path.with_suffix(".txt")), what=tb.id)
    if problem is not None:
        reader.problems.append(problem)
        return None
    return quote, tb.start, tb.end


def _statement(subject: str, relation: str, obj: str, quoted: tuple[str, int, int], loc: Loc, relation_loc: Loc,
               quote_loc: Loc) -> Statement:
    quote, start, end = quoted
    locs = {"subject": loc, "relation": relation_loc, "object": loc, "quote": quote_loc, "start": quote_loc, "end": quote_loc}
    return Statement(subject=subject, relation=relation, object=obj, quote=quote, loc=loc, start=start, end=end, locs=locs)


def voice_statements(reader: _Reader, doc: AnnFile, ids: dict[str, str], voice: str = VOICE) -> list[Statement]:
    """The statements of ``doc`` in its source's own voice (``voice``: the author's registry id, else
    :data:`VOICE`, resolved when the source is checked) and of its stance attributes."""
    out = []
    for tb in doc.bounds.values():
        relation = _entity_voice(reader, tb)
        key = reader.key(doc, tb.id)
        if relation and key in ids and (quoted := _quote(reader, doc, tb, tb.loc)):
            out.append(_statement(voice, relation, ids[key], quoted, tb.loc, tb.type.loc, tb.loc))
    for attribute, rule in _stance_attributes(reader, doc):
        out.extend(_stance(reader, doc, ids, voice, attribute, rule))
    return out


def _stance(reader: _Reader, doc: AnnFile, ids: dict[str, str], voice: str, attribute, rule: AttributeRule) -> list[Statement]:  # type: ignore[no-untyped-def]
    tb = doc.bounds.get(attribute.target.text)
    key = reader.key(doc, attribute.target.text)
    if tb is None or key not in ids:
        if attribute.target.text in doc.ids and key not in reader.ignored:
            reader.problems.append(Problem(attribute.loc, f"{attribute.id}: {attribute.type.text} is a stance on a mention, "
                                           f"and {attribute.target.text} is not one", "Put it on a mention (T)"))
        return []
    if rule.on and tb.type.text not in rule.on:
        reader.problems.append(Problem(attribute.loc, f"{attribute.id}: the mapping ({rule.loc}) puts {attribute.type.text} "
                                       f"on {', '.join(rule.on)}, and {attribute.target.text} is a {tb.type.text}",
                                       f"Add {tb.type.text} to its 'on:', or fix the annotation"))
        return []
    effects = rule.effects_for(attribute.value, attribute.loc, reader.problems)
    if effects is None:
        return []
    if effects.relation is None:
        reader.problems.append(Problem(attribute.loc, f"{attribute.id}: the mapping ({rule.loc}) gives no stance for "
                                       f"{attribute.value!r}", f"Write '{attribute.value}: supports' (or opposes) under its 'values:'"))
        return []
    targets = [t for t in doc.bounds.values() if t.type.text == rule.target and t.id != tb.id
               and reader.key(doc, t.id) in ids]
    if not targets:
        reader.problems.append(Problem(attribute.loc, f"{attribute.id}: {attribute.type.text} is a stance toward the "
                                       f"document's {rule.target}, and {doc.path.name} has none",
                                       f"Annotate its {rule.target}, or remove the attribute"))
        return []
    quoted = _quote(reader, doc, tb, attribute.loc)
    if quoted is None:
        return []
    subject = ids[key] if rule.holder == "mention" else voice
    return [_statement(subject, effects.relation, ids[reader.key(doc, t.id)], quoted, attribute.loc, attribute.type.loc,
                       tb.loc) for t in targets]


__all__ = ["alias_joins", "author_mention", "needs_voice", "report_chains", "voice_statements"]
