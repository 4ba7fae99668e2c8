"""From mentions in annotated text to registry entries.

Annotation tools mark the words that name an actor, a proposal or a condition (brat text-bound
annotations, Web Annotations with an identifying body or a class tag). Here each group of mentions of
one thing becomes one registry entry:

* mentions are the same thing when an equivalence says so (brat ``*`` lines), when they are linked to
  the same Wikidata item or registry entry, or when they are of the same class and read the same
  (case, a leading article, a possessive ending, Arabic and Hebrew spelling variants and prefixed
  clitics aside: see :mod:`..textnorm`);
* a group is the registry entry it is linked to (a normalization to ``stancegraph:ID``), else the
  entry with its Wikidata id, else the entry whose label or alias reads like one of its mentions;
* otherwise it becomes a new entry: labelled with the name its normalization gives, or else its most
  frequent words, the other words as aliases, its id made from the label.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..errors import Loc, Problem
from ..model import Entity, Registry
from ..names import did_you_mean, name_key, slug, unique
from ..textnorm import variants

_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
CLASS_WORD = {"actor": "an actor", "proposal": "a proposal", "condition": "a condition"}


@dataclass
class Mention:
    """Words of a source that name an actor, a proposal or a condition."""

    key: str  # unique among the mentions resolved together, e.g. "corpus/a.ann:T3"
    text: str
    cls: str
    loc: Loc
    kind: str | None = None
    wikidata: str | None = None
    entity: str | None = None  # the registry id it is explicitly linked to
    name: str | None = None  # a preferred name for it (a normalization's text)
    link_loc: Loc | None = None  # where the Wikidata or registry link was made
    notes: list[str] = field(default_factory=list)


class _Groups:
    """Union-find over mention keys, keeping the first key of each group as its root."""

    def __init__(self, keys: list[str]):
        self.order = {k: i for i, k in enumerate(keys)}
        self.parent = {k: k for k in keys}

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            first, second = sorted((ra, rb), key=self.order.__getitem__)
            self.parent[second] = first


def _links(members: list[Mention]) -> tuple[set[str], set[str]]:
    return {m.wikidata for m in members if m.wikidata}, {m.entity for m in members if m.entity}


def _bare_first(m: Mention) -> int:
    """Mentions in the order their words are grouped: those in a script with prefixed clitics shortest
    first, so that a bare form (إسرائيل) is met before its prefixed forms (وإسرائيل); the others as they come."""
    return len(name_key(m.text)) if variants(m.text) else 0


def resolve_mentions(
    mentions: list[Mention], same: list[list[str]], registry: Registry
) -> tuple[dict[str, str], list[Entity], list[Problem]]:
    """Registry ids for ``mentions`` (by key), the new entries they need, and the problems found.

    ``same`` lists groups of keys declared to be the same thing (equivalences). New entries are not
    added to ``registry``; their ids are unique against it.
    """
    problems: list[Problem] = []
    by_key = {m.key: m for m in mentions}
    groups = _Groups([m.key for m in mentions])
    for keys in same:
        for key in keys[1:]:
            groups.union(keys[0], key)
    first_with: dict[tuple[str, str], str] = {}
    for m in mentions:
        for link in (("wikidata", m.wikidata), ("entity", m.entity)):
            if link[1]:
                if link in first_with:
                    groups.union(first_with[link], m.key)
                else:
                    first_with[link] = m.key
    # same class and same words: merge groups whose links do not conflict
    links: dict[str, tuple[set[str], set[str]]] = {}
    for m in mentions:
        wikidata, explicit = links.setdefault(groups.find(m.key), (set(), set()))
        wikidata.update({m.wikidata} - {None})
        explicit.update({m.entity} - {None})
    by_words: dict[tuple[str, str], list[str]] = defaultdict(list)
    for m in sorted(mentions, key=_bare_first):
        key = name_key(m.text)
        bucket = by_words.get((m.cls, key))
        if bucket is None:  # a prefixed form (وإسرائيل) joins the mentions of its bare form (إسرائيل)
            bare = next((v for v in map(name_key, variants(m.text)) if (m.cls, v) in by_words), key)
            bucket = by_words[(m.cls, bare)]
        for other in bucket:
            a, b = groups.find(other), groups.find(m.key)
            if a == b:
                break
            (w1, e1), (w2, e2) = links[a], links[b]
            if (not w1 or not w2 or w1 == w2) and (not e1 or not e2 or e1 == e2):
                groups.union(a, b)
                links[groups.find(a)] = (w1 | w2, e1 | e2)
                break
        bucket.append(m.key)
    members: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        members[groups.find(m.key)].append(m)

    index: dict[str, set[str]] = defaultdict(set)
    by_wikidata: dict[str, set[str]] = defaultdict(set)
    for entity in registry.entities.values():
        for name in entity.names:
            index[name_key(name)].add(entity.id)
        if entity.wikidata:
            by_wikidata[entity.wikidata].add(entity.id)

    ids: dict[str, str] = {}
    new: list[Entity] = []
    taken = set(registry.entities)
    roots = sorted({groups.find(k) for k in by_key}, key=groups.order.__getitem__)
    for root in roots:
        group = members[root]
        ident = _resolve_group(group, registry, index, by_wikidata, problems)
        if ident is None:
            entity = _new_entity(group, taken)
            taken.add(entity.id)
            new.append(entity)
            ident = entity.id
        for m in group:
            ids[m.key] = ident
    return ids, new, problems


def _resolve_group(group: list[Mention], registry: Registry, index: dict[str, set[str]],
                   by_wikidata: dict[str, set[str]], problems: list[Problem]) -> str | None:
    first = group[0]
    for m in group[1:]:
        if m.cls != first.cls:
            problems.append(Problem(m.loc, f"{m.text!r} is {CLASS_WORD[m.cls]}, but it is declared the same as {first.text!r} "
                                    f"({first.loc}), which is {CLASS_WORD[first.cls]}",
                                    "Give both the same type, or remove the equivalence or normalization that joins them"))
    wikidata, explicit = _links(group)
    for what, values in (("Wikidata items", wikidata), ("registry entries", explicit)):
        if len(values) > 1:
            at = next(m for m in group if (m.wikidata if what.startswith("W") else m.entity) == sorted(values)[1])
            problems.append(Problem(at.link_loc or at.loc, f"mentions declared the same are linked to different {what}: "
                                    f"{', '.join(sorted(values))}", "Link them to one, or remove the equivalence"))
    entities = registry.entities
    if explicit:
        ident = sorted(explicit)[0]
        at = next(m for m in group if m.entity == ident)
        if ident not in entities:
            problems.append(Problem(at.link_loc or at.loc, f"no registry entry {ident!r}",
                                    did_you_mean(ident, entities) or "Add it to registry.yaml, or fix the link"))
            return None
        if entities[ident].cls != first.cls:
            problems.append(Problem(at.link_loc or at.loc, f"{ident!r} is {CLASS_WORD[entities[ident].cls]}, but "
                                    f"{at.text!r} is annotated as {CLASS_WORD[first.cls]}", "Fix the type or the link"))
        return ident
    candidates: set[str] = set()
    if wikidata:
        candidates = {i for i in by_wikidata.get(sorted(wikidata)[0], ()) if entities[i].cls == first.cls}
    if not candidates:
        for m in group:
            candidates |= {i for i in _named(index, m.text) if entities[i].cls == first.cls}
    if len(candidates) > 1:
        problems.append(Problem(first.loc, f"{first.text!r} could be any of the registry entries {', '.join(sorted(candidates))}",
                                "Link the mention to one (a normalization to stancegraph:ID in brat, an identifying "
                                "body in a Web Annotation)"))
        return sorted(candidates)[0]
    return next(iter(candidates), None)


def _named(index: dict[str, set[str]], text: str) -> set[str]:
    """The registry ids a mention's words name: as they read, else without one or two prefixed clitics
    (Arabic و ف ب ل ك ال, Hebrew ו ה ב ל מ ש כ: ``بالسلطة`` names what ``السلطة`` names)."""
    found = index.get(name_key(text))
    if found:
        return found
    for variant in variants(text):
        if name_key(variant) in index:
            return index[name_key(variant)]
    return set()


def _new_entity(group: list[Mention], taken: set[str]) -> Entity:
    first = group[0]
    counts = Counter(m.text for m in group)
    position = {text: i for i, text in reversed(list(enumerate(m.text for m in group)))}
    named = [m for m in group if m.name]
    if named:
        label = named[0].name or ""
    else:
        label = max(counts, key=lambda t: (counts[t], len(t), -position[t]))
    aliases = tuple(dict.fromkeys(t for t in (m.text for m in group) if t != label))
    kind = next((m.kind for m in group if m.kind), None) if first.cls in ("actor", "proposal") else None
    wikidata = next((m for m in group if m.wikidata), None)
    notes = [n for m in group for n in m.notes]
    locs = {"label": first.loc}
    if kind:
        locs["kind"] = next(m.loc for m in group if m.kind)
    if wikidata:
        locs["wikidata"] = wikidata.link_loc or wikidata.loc
    return Entity(
        id=unique(slug(_ARTICLE.sub("", label), first.cls), taken),
        cls=first.cls,
        label=label,
        loc=first.loc,
        aliases=aliases,
        kind=kind,
        wikidata=wikidata.wikidata if wikidata else None,
        note="\n".join(notes) or None,
        locs=locs,
    )


__all__ = ["Mention", "resolve_mentions"]
