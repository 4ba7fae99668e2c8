"""``stancegraph mapping draft``: a commented mapping file for the types an input actually uses.

An importer that can list its scheme has a ``scheme(path) -> Scheme`` method: the types it declares
(brat's annotation.conf, a CAS type system, Label Studio's labels, DNA's statement types) and the types
its annotations use, with how often and where first. :func:`draft_mapping` turns the schemes of every
input into a mapping file: for each type a best guess (person and organisation types become actors of
the right kind, claim- and concept-like types proposals, support/attack-like relations stances) or
``ignore``, each with its count and first places as a comment. The draft is meant to build as it is, so
that the analyst starts from a graph and refines the mapping, rather than from a wall of errors.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from stancegraph.ontology import terms

from ..errors import InputProblems, Loc, Problem
from .mapping import AttributeRule, Mapping

#: the mapping's sections, in the order a draft lists them
SECTIONS = ("cas", "dna", "entities", "relations", "events", "attributes")
FIRST_PLACES = 3


@dataclass
class TypeUse:
    """One type of an input's scheme: declared, used, or both."""

    section: str
    name: str
    declared: bool = False
    count: int = 0
    first: list[Loc] = field(default_factory=list)
    values: Counter[str] = field(default_factory=Counter)  # of attributes
    parents: tuple[str, ...] = ()
    #: for relations: the entity types of the arguments, as used (subject side, object side)
    ends: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: for attributes: what they are on ("entities", "relations" or "events"), as used
    on: Counter[str] = field(default_factory=Counter)
    #: for attributes on mentions: the entity types they are on; for events: their roles, as
    #: (role, "mention" or "link") — what the role's argument is
    on_types: Counter[str] = field(default_factory=Counter)
    roles: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: what a format's own section needs: a DNA statement type's variables (name → data type) and the
    #: values of its variables (name → Counter), its rows; a CAS layer's label feature
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Scheme:
    """The types of one or more inputs, by (section, name)."""

    format: str
    uses: dict[tuple[str, str], TypeUse] = field(default_factory=dict)
    #: the documents read, by the key a mapping's ``sources:`` section gives them (a brat file's name)
    documents: list[str] = field(default_factory=list)

    def declare(self, section: str, name: str, parents: Iterable[str] = (), values: Iterable[str] = ()) -> TypeUse:
        use = self._get(section, name)
        use.declared = True
        use.parents = use.parents or tuple(parents)
        for value in values:
            use.values.setdefault(value, 0)
        return use

    def use(self, section: str, name: str, loc: Loc, value: str | None = None,
            ends: tuple[str, str] | None = None, on: str | None = None, on_type: str | None = None,
            roles: Iterable[tuple[str, str]] = ()) -> TypeUse:
        use = self._get(section, name)
        use.count += 1
        if len(use.first) < FIRST_PLACES:
            use.first.append(loc)
        if value is not None:
            use.values[value] += 1
        if ends is not None:
            use.ends[ends] += 1
        if on is not None:
            use.on[on] += 1
        if on_type is not None:
            use.on_types[on_type] += 1
        use.roles.update(roles)
        return use

    def _get(self, section: str, name: str) -> TypeUse:
        key = (section, name)
        if key not in self.uses:
            self.uses[key] = TypeUse(section, name)
        return self.uses[key]

    def merge(self, other: Scheme) -> None:
        self.documents += [d for d in other.documents if d not in self.documents]
        for (section, name), use in other.uses.items():
            mine = self._get(section, name)
            mine.declared |= use.declared
            mine.count += use.count
            mine.first = (mine.first + use.first)[:FIRST_PLACES]
            mine.values.update(use.values)
            mine.parents = mine.parents or use.parents
            mine.ends.update(use.ends)
            mine.on.update(use.on)
            mine.on_types.update(use.on_types)
            mine.roles.update(use.roles)
            for key, value in use.detail.items():
                mine.detail.setdefault(key, value)


# ----------------------------------------------------------------------------- guesses

def _words(name: str) -> set[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return {w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w}


#: entity guesses, tried in order: words in the type's name → what the draft maps it to
_ENTITY_GUESSES: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"per", "person", "persons", "people", "individual", "speaker", "politician", "author"}), "person"),
    (frozenset({"org", "organization", "organisation", "organizations", "company", "party", "union", "ngo",
                "institution", "agency"}), "organization"),
    (frozenset({"gpe", "country", "nation", "state", "government"}), "state"),
    (frozenset({"norp", "group", "ethnic", "community"}), "group"),
    (frozenset({"outlet", "media", "newspaper", "publisher"}), "news-outlet"),
    (frozenset({"claim", "claims", "premise", "premises", "argument", "conclusion", "reason", "assertion"}), "claim"),
    (frozenset({"concept", "proposal", "plan", "policy", "position", "topic", "issue",
                "category", "demand", "measure", "option", "stance"}), "proposal"),
    (frozenset({"condition", "precondition", "requirement", "prerequisite"}), "condition"),
)

#: relation guesses (relations and events): words in the type's name → relation
_RELATION_GUESSES: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"support", "supports", "agree", "agrees", "agreement", "pro", "endorse", "endorses", "back",
                "backs", "favor", "favour", "for"}), "supports"),
    (frozenset({"attack", "attacks", "oppose", "opposes", "against", "disagree", "disagrees", "reject", "rejects",
                "con", "contra"}), "opposes"),
    (frozenset({"propose", "proposes", "proposal"}), "proposes"),
    (frozenset({"demand", "demands"}), "demands"),
    (frozenset({"fund", "funds", "funding"}), "funds"),
    (frozenset({"abstain", "abstains", "abstention"}), "abstains"),
    (frozenset({"alias", "aliases", "equiv", "equivalent", "same", "sameas", "coref", "coreference"}), "same"),
)

#: a stance-like relation between claims or proposals is an argument
_ARGUMENT_OF = {"supports": "argues-for", "opposes": "argues-against", "attacks": "argues-against"}


#: what a major claim (an essay's thesis) maps to: a claim its source's author holds
MAJOR_CLAIM = {"class": "claim", "voice": "supports"}


def guess_entity(use: TypeUse) -> tuple[object, str]:
    """What the draft maps an entity type to, and why."""
    for name in (use.name, *use.parents):
        words = _words(name)
        if {"major", "claim"} <= words or words & {"majorclaim", "thesis"}:
            return MAJOR_CLAIM, f"guessed from the name {name!r}: a claim the source's own voice (its author) holds"
        for keys, target in _ENTITY_GUESSES:
            if words & keys:
                return target, f"guessed from the name {name!r}"
    return "ignore", "no guess: ignored until you map it"


def guess_relation(use: TypeUse, entity_targets: dict[str, str], known: str | None = None) -> tuple[str, str]:
    """What the draft maps a relation or event type to, and why: ``known``, the relation stancegraph's
    defaults give it, or a guess from its name. Either is kept only when the annotations link the
    classes the relation links (a premise supporting a claim is not an actor supporting a proposal)."""
    if known is not None:
        target, why = known, "as the default mapping has it"
    else:
        for keys, target in _RELATION_GUESSES:
            if _words(use.name) & keys:
                why = f"guessed from the name {use.name!r}"
                break
        else:
            return "ignore", "no guess: ignored until you map it"
    if not use.ends:
        return target, why
    classes: Counter[tuple[str, str]] = Counter()
    for (left, right), n in use.ends.items():
        classes[(_class_of(entity_targets.get(left)), _class_of(entity_targets.get(right)))] += n
    commonest = classes.most_common(1)[0][0]
    if target == "same":
        if commonest[0] == commonest[1] == "actor":
            return "same", f"{why}: it joins two names of one actor"
        return "ignore", f"named like an alias, but it links {commonest[0]} → {commonest[1]}, not two actors"
    if target in _ARGUMENT_OF and set(commonest) <= {"claim", "proposal"} and "claim" in commonest:
        return _ARGUMENT_OF[target], f"{why}: between claims, an argument"
    relation = terms().relations.get(target)
    wanted = (relation.subject, relation.object) if relation is not None else ("actor", "proposal")
    if commonest == wanted or (commonest[1] == "claim" and wanted == ("actor", "proposal") and commonest[0] == "actor"):
        return target, why
    ends = ", ".join(f"{a} → {b}" for (a, b), _ in use.ends.most_common(2))
    return "ignore", f"named like {target!r}, but it links {ends}, not {_a(wanted[0])} to {_a(wanted[1])}"


def _a(cls: str) -> str:
    return ("an " if cls[0] in "aeiou" else "a ") + cls


def _class_of(target: object) -> str:
    if isinstance(target, dict):
        target = target.get("class")
    if target in (None, "ignore"):
        return "nothing"
    if target in ("proposal", "condition", "claim"):
        return str(target)
    return "actor"


def attribute_entry(use: TypeUse, rule: AttributeRule | None) -> tuple[str | None, str]:
    """What the draft writes for an attribute (None: nothing, the rule in force stands), and why.
    The rule in force is kept only when it reads every value used, on relations or events."""
    unread = [on for on in use.on if on not in ("entities", "relations", "events")]
    if unread:
        return "ignore", f"{unread[0]}: ignored"
    if rule is None:
        return "ignore", "attributes are ignored until you map them (hedges, statuses, stances: docs/input-formats.md)"
    probe: list[Problem] = []
    effects = [rule.effects_for(None if value == "(set)" else value, Loc("(draft)"), probe) for value in use.values]
    if set(use.on) <= {"relations", "events"}:
        if not probe:
            return None, ""
        return "ignore", f"the rule in force ({rule.loc}) does not read the values used"
    if not probe and all(e is None or not (e.hedges or e.status or e.relation or e.relations) for e in effects):
        return None, ""  # kinds of actors: what an attribute of a mention can say
    on = ", ".join(sorted(use.on))
    return "ignore", f"on {on}: an attribute of a mention is not a stance yet, ignored until you map it"


#: words of an event type that reports what someone said
_REPORT_WORDS = frozenset({"report", "reports", "say", "says", "said", "tell", "told", "quote", "quotes", "state",
                           "states", "statement", "speech", "attribution", "announce", "announces"})


def report_entry(use: TypeUse, entity_targets: dict[str, object]) -> tuple[object, str]:
    """An event type that reports another event or relation (brat's news tutorial's Report: a
    reporter role on a mention, a reported role on a link) attributes what it reports to the reporter."""
    reporters = Counter(role for (role, kind), n in use.roles.items() for _ in range(n) if kind == "mention")
    reported = Counter(role for (role, kind), n in use.roles.items() for _ in range(n) if kind == "link")
    if _words(use.name) & _REPORT_WORDS and len(reporters) == 1 and len(reported) == 1:
        reporter, what = next(iter(reporters)), next(iter(reported))
        return ({"attribution": {"reporter": reporter, "reported": what}},
                f"guessed from the name {use.name!r} and its roles: what {what} points at is according to {reporter}")
    return "ignore", "an event's roles must be mapped too: ignored until you map it"


def stance_attribute_entry(use: TypeUse, entity_targets: dict[str, object]) -> tuple[object, str] | None:
    """An attribute on claims whose values are for and against (an essay corpus's Stance) as a stance of
    each claim toward the scheme's one major claim; None when the scheme is not of that shape."""
    if set(use.on) != {"entities"} or not use.on_types:
        return None
    on = use.on_types.most_common(1)[0][0]
    majors = [name for name, target in entity_targets.items() if target == MAJOR_CLAIM]
    if _class_of(entity_targets.get(on)) != "claim" or len(majors) != 1:
        return None
    values: dict[str, str] = {}
    for value in use.values:
        guessed = next((target for keys, target in _RELATION_GUESSES if _words(value) & keys), None)
        if guessed not in ("supports", "opposes"):
            return None
        values[value] = guessed
    entry = {"on": on, "target": majors[0], "holder": "mention", "values": values}
    return entry, (f"its values are for and against: each {on} argues for or against the source's {majors[0]} "
                   "(as an essay's claims do its thesis)")


def dna_entry(use: TypeUse, mapping: Mapping) -> tuple[object | None, str]:
    """What the draft writes for a DNA statement type (None: a comment only, the entry in force
    stands), and why. A type the mapping does not know is ignored, its variables listed: what they
    mean is the analyst's to say. The default entry is kept when it fits the database (its variables
    exist, and it says the relation of every value of its relation variable); values it does not know
    are added as ignored."""
    variables: dict[str, str] = use.detail.get("variables", {})
    listed = ", ".join(f"{name} ({datatype})" for name, datatype in variables.items()) or "none"
    entry = mapping.dna.get(use.name)
    if entry is None:
        return "ignore", f"no guess: its variables are {listed}; map them under 'dna:' (docs/input-formats.md)"
    value, loc = entry
    if not _default(loc):
        return value, f"as {loc} has it"
    if value == "ignore":
        return None, "ignored, as the default mapping has it"
    named = [v for key in ("subject", "object", "according-to", "for") for v in _as_list(value.get(key))]
    named += [*(value.get("member-of") or {}), *(value.get("member-of") or {}).values()]
    named += [value["relation-variable"]] if value.get("relation-variable") else []
    missing = [name for name in dict.fromkeys(named) if name not in variables]
    if missing:
        return "ignore", (f"the default entry does not fit: no variable {', '.join(missing)}; its variables are "
                          f"{listed}; map them under 'dna:' (docs/input-formats.md)")
    used: Counter[str] = use.detail.get("values", {}).get(value.get("relation-variable"), Counter())
    unknown = [v for v in used if v not in {str(k) for k in (value.get("values") or {})}]
    if unknown:
        values = {**{str(k): v for k, v in value["values"].items()}, **{v: "ignore" for v in sorted(unknown)}}
        return {**value, "values": values}, (f"the default entry, with {value['relation-variable']} = "
                                             f"{', '.join(sorted(unknown))} ignored (no relation known for it)")
    return None, "as the default mapping has it"


def _as_list(value: object) -> list[str]:
    return [] if value is None else list(value) if isinstance(value, list) else [str(value)]


def cas_entry(use: TypeUse, mapping: Mapping) -> tuple[object | None, str] | None:
    """What the draft writes for a UIMA CAS layer (None for nothing at all: the default mapping knows
    it; a target None: a comment only), and why. A layer the mapping does not know is read through its
    label feature when it has one (its values are then entity or relation types, drafted below)."""
    known, feature = mapping.cas_layer((use.name, *use.parents))
    if known:
        rule_loc = next((loc for name, loc in mapping.cas_locs.items() if name in (use.name, *use.parents)), None)
        if rule_loc is None or _default(rule_loc):
            return None
        return ("ignore" if feature is None else {"feature": feature}), f"as {rule_loc} has it"
    found = use.detail.get("feature")
    if found:
        return {"feature": found}, f"its label feature {found!r}, whose values are listed under entities: or relations:"
    short = use.name.rsplit(".", 1)[-1]
    return None, f"no label feature: its annotations are read as the type {short!r}"


# ----------------------------------------------------------------------------- hints of unmapped types

#: what every "the mapping does not say what it is" problem ends with
DRAFT_HINT = "`stancegraph mapping draft INPUT -o mapping.yaml` drafts a mapping of every type at once"


def guess_for(section: str, name: str, parents: Iterable[str] = ()) -> str:
    """What the draft would guess for a type from its name alone (``ignore`` when nothing fits): the
    example a problem about an unmapped type proposes, rather than any word picked from a list."""
    use = TypeUse(section, name, parents=tuple(parents))
    if section == "entities":
        return guess_entity(use)[0]
    if section in ("relations", "events"):
        return guess_relation(use, {})[0]
    return "ignore"


def unmapped_hint(section: str, name: str, parents: Iterable[str] = (), more: str = "") -> str:
    """The hint of a problem about a type the mapping does not know: where to map it, the draft's guess
    for it, and the quick way to map them all."""
    guess = guess_for(section, name, parents)
    example = f"'{name}: {guess}'" + ("" if guess == "ignore" else f", or '{name}: ignore'")
    return f"Map it in mapping.yaml under '{section}:' ({example}{more}); {DRAFT_HINT}; see docs/input-formats.md"


def unmapped_group(section: str, name: str) -> tuple[str, ...]:
    """The :attr:`~stancegraph.graph.errors.Problem.group` of the problems about one unmapped type: reported
    once with its count, and skipped by ``--unmapped ignore``."""
    return ("unmapped", section, name)


# ----------------------------------------------------------------------------- the draft

def _default(loc: Loc) -> bool:
    """Whether a rule comes from stancegraph's defaults (or is built in), not from a project's mapping file."""
    return str(loc).startswith("(built")


def _places(use: TypeUse) -> str:
    if not use.count:
        return "declared, not used"
    if not use.first:
        rows = use.detail.get("rows", [])
        where = f" ({use.detail.get('where', 'rows ')}{', '.join(map(str, rows))}{', ...' if use.count > len(rows) else ''})"
        return f"{use.count} use{'s' if use.count != 1 else ''}" + (where if rows else "")
    where = ", ".join(str(loc) for loc in use.first)
    more = "" if use.count <= len(use.first) else ", ..."
    return f"{use.count} use{'s' if use.count != 1 else ''}: {where}{more}"


def draft_entries(scheme: Scheme, mapping: Mapping) -> dict[str, list[tuple[str, object, str]]]:
    """For each section, (type, what it maps to, comment), known types first as the mapping has them."""
    out: dict[str, list[tuple[str, object, str]]] = {section: [] for section in SECTIONS}
    entity_targets: dict[str, str] = {}
    uses = sorted(scheme.uses.values(), key=lambda u: (SECTIONS.index(u.section), -u.count, u.name))
    for use in uses:
        if use.section == "dna":
            target, why = dna_entry(use, mapping)
            out["dna"].append((use.name, target, f"{why}; {_places(use)}"))
        elif use.section == "cas":
            found = cas_entry(use, mapping)
            if found is not None:
                out["cas"].append((use.name, found[0], f"{found[1]}; {_places(use)}"))
        if use.section != "entities":
            continue
        rule = mapping.entity(use.name, use.parents)
        if rule is not None:
            target = "ignore" if rule.cls is None else (rule.kind or rule.cls)
            why = f"as {'the default mapping' if _default(rule.loc) else str(rule.loc)} has it"
        else:
            target, why = guess_entity(use)
        entity_targets[use.name] = target
        out["entities"].append((use.name, target, f"{why}; {_places(use)}"))
    for use in uses:
        if use.section in ("relations", "events"):
            rule = mapping.relation(use.name, event=use.section == "events", parents=use.parents)
            if rule is not None and not _default(rule.loc):
                target, why = rule.relation or "ignore", f"as {rule.loc} has it"
            elif use.section == "events":
                target, why = report_entry(use, entity_targets)
            else:
                target, why = guess_relation(use, entity_targets, rule.relation or "ignore" if rule else None)
            out[use.section].append((use.name, target, f"{why}; {_places(use)}"))
        elif use.section == "attributes":
            entry, why = attribute_entry(use, mapping.attribute(use.name))
            if entry == "ignore":
                entry, why = stance_attribute_entry(use, entity_targets) or (entry, why)
            if entry is None:
                continue  # the rule in force reads it: the draft does not repeat it
            target = entry
            values = ", ".join(f"{v} ({n})" for v, n in use.values.most_common())
            out["attributes"].append((use.name, target, f"{why}; {_places(use)}" + (f"; values: {values}" if values else "")))
    return out


def _scalar(value: object) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1 << 30).strip().removesuffix("...").strip()


def _columns_lines(scheme: Scheme) -> list[str]:
    """The ``columns:`` section of a coding sheet's draft: each role with the column guessed for it, and
    each column's first values as a comment; the stance column's values mapped where they are known."""
    lines = ["", "columns:"]
    unused: list[str] = []
    values: dict[str, str] | None = None
    for use in scheme.uses.values():
        if use.section != "columns":
            continue
        firsts = ", ".join(_scalar(v)[:40] for v in use.detail.get("first", [])) or "empty"
        role = use.detail.get("role")
        if role is None:
            unused.append(f"  # {_scalar(use.name)}: not read (first values: {firsts}); map it to a role, or to note")
            continue
        lines.append(f"  {role}: {_scalar(use.name)}  # first values: {firsts}")
        if role == "stance":
            values = use.detail.get("values")
    if values is not None:
        unknown = [v for v, target in values.items() if target == "ignore"]
        lines.append(f"  values: {_scalar(values)}" + (f"  # no guess for {', '.join(unknown)}: write the relation"
                                                        if unknown else ""))
    lines += unused
    lines.append("  separator: ';'  # between several actors or objects in one cell")
    books = [use.name for use in scheme.uses.values() if use.section == "codebook"]
    if books:
        lines.append(f"  codebook: {_scalar(books[0])}  # codes, parent codes and labels: the object column's codes "
                     f"become proposals ({scheme.uses[('codebook', books[0])].count} codes)")
    return lines


def draft_mapping(scheme: Scheme, mapping: Mapping, origin: str) -> str:
    """The text of a mapping file for ``scheme`` (comments included), given the mapping already in force."""
    if scheme.format == "coding sheet":
        used = [u for u in scheme.uses.values() if u.section == "columns"]
        if not used:
            raise InputProblems([Problem(Loc(origin), "only codebooks here (tables of codes and labels), no coding sheet",
                                         "Give the sheet of claims too: its columns are what the mapping says")])
        roles = sum(1 for u in used if u.detail.get("role"))
        return "\n".join([
            f"# Drafted by `stancegraph mapping draft` from {origin} ({scheme.format}) on {date.today().isoformat()}.",
            f"# {len(used)} columns: {roles} read as a role guessed from its name or values, {len(used) - roles} not read.",
            "# Check the guesses (subject, object, stance or relation, quote are needed), then build: this file is",
            "# read on top of stancegraph's defaults (docs/input-formats.md#coding-sheets).",
            "stancegraph-mapping: 1",
            *_columns_lines(scheme)]) + "\n"
    entries = draft_entries(scheme, mapping)
    total = sum(len(v) for v in entries.values())
    ignored = sum(1 for v in entries.values() for _, target, _ in v if target == "ignore")
    # as the mapping in force has them: said in a comment, or written again as it has them
    kept = sum(1 for v in entries.values() for _, target, why in v
               if target != "ignore" and (target is None or why.startswith("as ")))
    lines = [
        f"# Drafted by `stancegraph mapping draft` from {origin} ({scheme.format}) on {date.today().isoformat()}.",
        f"# {total} type{'s' if total != 1 else ''}: {total - ignored - kept} mapped by a guess, {kept} as the mapping in force has them, "
        f"{ignored} ignored.",
        "# Each line says why and where the type is first used. Check the guesses, map what is ignored",
        "# (docs/input-formats.md), then build again: this file is read on top of stancegraph's defaults.",
        "stancegraph-mapping: 1",
    ]
    for section in SECTIONS:
        if not entries[section]:
            continue
        lines.append("")
        written = any(target is not None for _, target, _ in entries[section])
        lines.append(f"{section}:" if written else f"# {section}:")
        for name, target, comment in entries[section]:
            if target is None:  # the entry in force stands: said, not repeated
                lines.append(f"  # {_scalar(name)}: {comment}")
            else:
                lines.append(f"  {_scalar(name)}: {_scalar(target)}  # {comment}")
    voiced = [name for name, target, _ in entries["entities"] if target == MAJOR_CLAIM]
    known = {key for key in mapping.sources}
    unnamed = [d for d in scheme.documents if d not in known]
    if voiced and unnamed:  # a major claim is its author's: each document needs one to hold it
        lines += ["", "# Each document's author holds its " + " and ".join(voiced) + ": the draft names them after the",
                  "# document; write the real names (and titles, dates: docs/input-formats.md).", "sources:"]
        lines += [f"  {_scalar(d)}: {{author: {_scalar('Author of ' + d)}}}" for d in unnamed]
    return "\n".join(lines) + "\n"


__all__ = ["DRAFT_HINT", "SECTIONS", "Scheme", "TypeUse", "cas_entry", "dna_entry", "draft_entries", "draft_mapping",
           "guess_entity", "guess_for", "guess_relation", "unmapped_group", "unmapped_hint"]
