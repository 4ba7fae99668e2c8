"""Checking a read corpus: vocabulary words, references (ids and aliases), dates, addresses, ids.

Every problem is collected; nothing is raised one by one. References are resolved in place: after
:func:`check_corpus`, every reference field of a statement holds a registry id.
"""

from __future__ import annotations

import calendar
import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from stancegraph.ontology import Relation, terms

from .anchor import anchor_source
from .errors import Blamed, Loc, Problem, blame, invalid_statements
from .model import Corpus, Dataset, Entity, Registry, Source, Statement
from .names import did_you_mean, language_tag_problem, normalize
from .textnorm import variants
from .voice import resolve_voice

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_IRI_FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f-\x9f\u2028\u2029\ufff0-\uffff]")
_STATUS_RELATIONS = {"requires", "demands"}
CLASS_WORD = {"actor": "an actor", "proposal": "a proposal", "condition": "a condition"}


def date_problem(value: str) -> str | None:
    """Why ``value`` is not a YYYY, YYYY-MM or YYYY-MM-DD date, or None when it is one."""
    m = _DATE.match(value)
    if not m:
        return f"{value!r} is not a date"
    year, month, day = (int(g) if g else None for g in m.groups())
    if month is not None and not 1 <= month <= 12:
        return f"{value!r} has no month {month}"
    if day is not None and month is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"{value!r} is not a day of the calendar"
    return None


def iri_problem(value: str, *, schemes: tuple[str, ...] = ("http", "https")) -> str | None:
    """Why ``value`` cannot be used as an http(s) address in RDF and HTML, or None."""
    if _IRI_FORBIDDEN.search(value):
        return f"{value!r} contains spaces or characters not allowed in an address"
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unclosed or invalid [IPv6] host
        return f"{value!r} is not a valid address"
    if parts.scheme.lower() not in schemes:
        return f"{value!r} is not an {'/'.join(schemes)} address"
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return f"{value!r} has no host"
    if _BAD_PERCENT.search(value):
        return f"{value!r} has a '%' that is not followed by two hexadecimal digits"
    if value.count("#") > 1:
        return f"{value!r} has more than one '#'"
    return None


#: a '%' not followed by two hexadecimal digits: no IRI parser takes it
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
def quantity_problem(value: float | int) -> str | None:
    """Why ``value`` cannot be a quantity, or None. NaN and infinities (YAML's ``.nan``, ``.inf``) count
    nothing, and would make the view's JSON data invalid; a number past a double's range (a 400-digit
    integer) would not survive the view either."""
    try:
        if not math.isfinite(float(value)):
            return f"{value!r} is not a finite number"
    except OverflowError:  # past a double's range: the view's JSON could not carry it
        return f"{str(value)[:20]}… is too large a quantity"
    return None


def statement_id(statement: Statement, *, at: int | None = None) -> str:
    """A stable id for a statement without one: a hash of what it says and its quote.

    It does not depend on the statement's position in the file, so editing or reordering other
    statements does not change it. ``at`` (its start offset) is added only for a statement that says
    what another one says, with the same words, somewhere else in the text (see :func:`apart`).
    """
    key = "\x1f".join((statement.subject, statement.relation, statement.object, statement.quote))
    if at is not None:
        key += f"\x1f{at}"
    return "s-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def apart(a: Statement, b: Statement) -> bool:
    """Whether two statements of one source are at places of the text that do not overlap: then they are
    two statements, even when their quotes read the same (a sentence repeated, an event trigger word
    such as "merged" used twice). Without offsets the quote is all there is, and equal quotes are one."""
    if None in (a.start, a.end, b.start, b.end):
        return False
    return a.end <= b.start or b.end <= a.start  # type: ignore[operator]


#: "did you mean" hints are computed for this many distinct unknown references per run; past that a
#: corpus is broken wholesale (a renamed registry, say) and the hints would cost more than they help
MAX_HINTS = 200


@dataclass
class Resolver:
    """Looks up references by id, label or alias, across the whole registry."""

    registry: Registry
    index: dict[str, Collection[str]] = field(default_factory=dict)  # normalized name → ids; made when not given
    hints: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.index:
            index: dict[str, set[str]] = defaultdict(set)
            for entity in self.registry.entities.values():
                for name in (entity.id, *entity.names):
                    index[normalize(name)].add(entity.id)
            self.index = dict(index)

    def _hint(self, ref: str, expected: tuple[str, ...]) -> str:
        key = (ref, expected)
        if key not in self.hints:
            if len(self.hints) >= MAX_HINTS:
                return ""
            entities = self.registry.entities.values()
            names = [n for e in entities if e.cls in expected for n in (e.id, *e.names)]
            self.hints[key] = did_you_mean(ref, names)
        return self.hints[key]

    def lookup(self, ref: str) -> Collection[str]:
        """The ids a name names: those of the entries it reads as (case, spacing, Arabic and Hebrew
        spelling folded), else of the first of its forms without prefixed "and", "the", "in"… that
        names any (``وإسرائيل`` names what ``إسرائيل`` names)."""
        ids = self.index.get(normalize(ref))
        if ids:
            return ids
        for variant in variants(ref):
            if variant in self.index:
                return self.index[variant]
        return set()

    def resolve(self, ref: str, expected: str | tuple[str, ...], loc: Loc, what: str, problems: list[Problem]) -> str | None:
        expected = (expected,) if isinstance(expected, str) else expected
        entities = self.registry.entities
        if ref in entities:
            ids = {ref}
        else:
            ids = self.lookup(ref)
        if not ids and ref == TODO:
            problems.append(Problem(loc, f"{what}: still TODO (left by stancegraph suggest)",
                                    f"Replace TODO by the id, label or alias of {' or '.join(_a(c) for c in expected)}"))
            return None
        if not ids:
            hint = self._hint(ref, expected) or (
                f"Add it to the registry under '{expected[0]}s:'" if self.registry.files else "No registry was found: "
                "add a registry.yaml beside the sources or name it on the command line"
            )
            problems.append(Problem(loc, f"{what}: unknown {' or '.join(expected)} {ref!r}", hint))
            return None
        if len(ids) > 1:
            problems.append(
                Problem(loc, f"{what}: {ref!r} is ambiguous: it names {', '.join(sorted(ids))}", "Write the id instead")
            )
            return None
        (ident,) = ids
        entity = entities[ident]
        if entity.cls not in expected:
            problems.append(
                Problem(loc, f"{what}: {ref!r} is {CLASS_WORD[entity.cls]}, expected {' or '.join(CLASS_WORD[c] for c in expected)}",
                        f"Check the {what}, or the relation")
            )
            return None
        return ident


def _languages(entity: Entity, problems: list[Problem]) -> None:
    """Two labels (or alias lists) of an entry in one language written two ways (``en`` and ``EN``):
    RDF language tags do not tell case apart, and an entry has one label per language."""
    for key, by_language in (("label", entity.labels), ("aliases", entity.lang_aliases)):
        seen: dict[str, str] = {}
        for lang in by_language:
            if lang.lower() in seen:
                problems.append(Problem(entity.locs.get(key, entity.loc),
                                        f"{key}: {seen[lang.lower()]!r} and {lang!r} are the same language",
                                        "Write each language once"))
            seen[lang.lower()] = lang


def check_registry(registry: Registry, resolver: Resolver, problems: list[Problem]) -> None:
    vocab = terms()
    if registry.base != registry.base.strip() or not registry.base.endswith(("/", "#")) or (
        iri_problem(registry.base, schemes=("http", "https", "urn", "tag"))
    ):
        problems.append(
            Problem(Loc(registry.files[0] if registry.files else "registry"), f"base {registry.base!r} is not a usable base IRI",
                    "Write an http(s) address ending in '/' or '#', such as https://example.org/my-project/")
        )
    for entity in registry.entities.values():
        _languages(entity, problems)
        kind_loc = entity.locs.get("kind", entity.loc)
        if entity.cls == "actor":
            if entity.kind is not None and entity.kind not in vocab.actor_kinds:
                problems.append(
                    Problem(kind_loc, f"unknown actor kind {entity.kind!r}",
                            did_you_mean(entity.kind, vocab.actor_kinds) or "Use one of " + ", ".join(vocab.actor_kinds))
                )
        elif entity.cls == "proposal" and entity.kind is not None:
            if entity.kind not in vocab.proposal_kinds:
                problems.append(Problem(kind_loc, f"unknown proposal kind {entity.kind!r}",
                                        "Use " + ", ".join(vocab.proposal_kinds) + ", or leave 'kind' out"))
        elif entity.kind is not None:
            problems.append(Problem(kind_loc, f"'kind' is for actors; {entity.id!r} is {CLASS_WORD[entity.cls]}", "Remove it"))
        if entity.part_of is not None:
            parent = resolver.resolve(entity.part_of, entity.cls, entity.locs.get("part-of", entity.loc), "part-of", problems)
            if parent == entity.id:
                problems.append(Problem(entity.locs.get("part-of", entity.loc), f"{entity.id!r} cannot be part of itself"))
            entity.part_of = parent
        if entity.concerns:
            if entity.cls != "condition":
                problems.append(Problem(entity.locs.get("concerns", entity.loc),
                                        f"'concerns' is for conditions; {entity.id!r} is {CLASS_WORD[entity.cls]}",
                                        "Remove it, or state the relation in a source"))
            resolved = [resolver.resolve(ref, "actor", entity.locs.get("concerns", entity.loc), "concerns", problems)
                        for ref in entity.concerns]
            entity.concerns = tuple(dict.fromkeys(r for r in resolved if r is not None))
    if registry.dataset is not None:
        _dataset(registry.dataset, problems)
    # cycles of part-of
    for entity in registry.entities.values():
        seen, current = {entity.id}, entity.part_of
        while current is not None and current in registry.entities:
            if current in seen:
                if current == entity.id:
                    problems.append(Problem(entity.locs.get("part-of", entity.loc), f"part-of goes round in a circle back to {entity.id!r}",
                                            "Remove one part-of"))
                break
            seen.add(current)
            current = registry.entities[current].part_of


#: an SPDX license id (https://spdx.org/licenses/): CC-BY-4.0, Apache-2.0, ODbL-1.0, GPL-3.0-or-later
_SPDX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")


def _dataset(dataset: Dataset, problems: list[Problem]) -> None:
    """Check the dataset's license and address; an SPDX id becomes the license's spdx.org address."""
    if dataset.license is not None:
        if _SPDX.match(dataset.license):
            dataset.license = f"https://spdx.org/licenses/{dataset.license}"
        elif (problem := iri_problem(dataset.license)) is not None:
            problems.append(Problem(dataset.loc, f"dataset license: {problem}",
                                    "Give an SPDX id such as CC-BY-4.0 or the license's http(s) address"))
            dataset.license = None
    if dataset.url is not None and (problem := iri_problem(dataset.url)) is not None:
        problems.append(Problem(dataset.loc, f"dataset url: {problem}", "Give the http(s) address it is published at"))
        dataset.url = None


def _dates(holder: Source | Statement, names: tuple[str, ...], problems: list[Problem]) -> None:
    for name in names:
        value = getattr(holder, name)
        if value is not None and (why := date_problem(value)):
            problems.append(Problem(holder.locs.get(name, holder.loc), f"{name}: {why}", "Write YYYY, YYYY-MM or YYYY-MM-DD"))


def check_source(source: Source, resolver: Resolver, problems: list[Problem]) -> None:
    vocab = terms()
    if source.type not in vocab.source_types:
        problems.append(Problem(source.locs.get("type", source.loc), f"unknown source type {source.type!r}",
                                did_you_mean(source.type, vocab.source_types) or "Use one of " + ", ".join(vocab.source_types)))
    _dates(source, ("published",), problems)
    if source.language is not None and (why := language_tag_problem(source.language)):
        problems.append(Problem(source.locs.get("language", source.loc), f"language: {why}",
                                "Write a BCP 47 language tag such as en, ar, he or pt-BR"))
        source.language = None  # not one RDF can carry: the build would stop at it
    if source.url is not None and (why := iri_problem(source.url)):
        problems.append(Problem(source.locs.get("url", source.loc), f"url: {why}", "Write the full http(s) address of the source"))
    if source.publisher is not None:
        source.publisher = resolver.resolve(source.publisher, "actor", source.locs.get("publisher", source.loc), "publisher", problems)
    source.cites = tuple(
        r for r in (resolver.resolve(c, "actor", source.locs.get("cites", source.loc), "cites", problems) for c in source.cites) if r
    )
    resolve_voice(source, resolver, problems)
    if not ID.fullmatch(source.id):  # an importer's id (native files are held to it by their schema)
        problems.append(Problem(source.locs.get("id", source.loc), f"the source id {source.id!r} is not an id", ID_HINT))
    ids: dict[str, Statement] = {}
    for statement in source.statements:
        blame(problems, statement)
        if statement.id and not ID.fullmatch(statement.id):  # an id tag of another tool, say
            problems.append(Problem(statement.locs.get("id", statement.loc), f"id: {statement.id!r} is not an id", ID_HINT))
            statement.id = ""
        check_statement(statement, resolver, problems)
        if not statement.id:
            statement.id = statement_id(statement)
            if statement.id in ids and apart(statement, ids[statement.id]):
                statement.id = statement_id(statement, at=statement.start)  # the same words, said again elsewhere
        if statement.id in ids:
            other = ids[statement.id]
            if statement.explicit_id:
                problems.append(Problem(statement.locs.get("id", statement.loc), f"duplicate statement id {statement.id!r} (also at line {other.loc.line})",
                                        "Statement ids must be unique within a source"))
            else:
                problems.append(Problem(statement.loc, f"this statement repeats the one at line {other.loc.line} (same subject, relation, object and quote)",
                                        "Remove one"))
        ids[statement.id] = statement
    blame(problems, None)


#: what an id may be (as the source schema says): it becomes part of IRIs
ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")
ID_HINT = "An id is lower-case letters, digits, '.', '_' and '-' (at most 128), starting with a letter or digit"

#: what ``stancegraph suggest`` writes where the analyst has to choose
TODO = "TODO"


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def check_statement(st: Statement, resolver: Resolver, problems: list[Problem]) -> None:
    vocab = terms()
    relation = vocab.relations.get(st.relation)
    if relation is None and st.relation == TODO:
        problems.append(Problem(st.locs.get("relation", st.loc), "relation: still TODO (left by stancegraph suggest)",
                                "Replace TODO by what the sentence says: supports, opposes, demands... "
                                "(docs/annotation-format.md lists the relations)"))
    elif relation is None and st.relation not in vocab.argument_words:
        problems.append(Problem(st.locs.get("relation", st.loc), f"unknown relation {st.relation!r}",
                                did_you_mean(st.relation, vocab.relations) or "See docs/annotation-format.md for the relations"))
    argument = vocab.argument_words.get(st.relation)
    if argument is not None:  # "supports" by a claim or proposal is an argument: "argues-for"
        relation, st.relation = _argument(st, relation, argument, resolver, problems)
    subject_cls = relation.subject if relation else ("actor", "proposal", "condition")
    object_cls = relation.object if relation else ("actor", "proposal", "condition")
    subject = resolver.resolve(st.subject, subject_cls, st.locs.get("subject", st.loc), "subject", problems) if st.subject else None
    obj = resolver.resolve(st.object, object_cls, st.locs.get("object", st.loc), "object", problems)
    if subject is not None:
        st.subject = subject
    if obj is not None:
        st.object = obj
    if st.regarding is not None:
        st.regarding = resolver.resolve(st.regarding, "proposal", st.locs.get("for", st.loc), "for", problems)
    st.if_conditions = tuple(
        r for r in (resolver.resolve(c, "condition", st.locs.get("if", st.loc), "if", problems) for c in st.if_conditions) if r
    )
    st.until_conditions = tuple(
        r for r in (resolver.resolve(c, "condition", st.locs.get("until", st.loc), "until", problems) for c in st.until_conditions) if r
    )
    if st.according_to is not None:
        st.according_to = tuple(
            r for r in (resolver.resolve(a, "actor", st.locs.get("according-to", st.loc), "according-to", problems) for a in st.according_to) if r
        )
    for hedge in st.hedges:
        if hedge not in vocab.hedges:
            problems.append(Problem(st.locs.get("hedge", st.loc), f"unknown hedge {hedge!r}",
                                    did_you_mean(hedge, vocab.hedges) or "Use one of " + ", ".join(vocab.hedges)))
    if st.status is not None:
        if st.status not in vocab.condition_statuses:
            problems.append(Problem(st.locs.get("status", st.loc), f"unknown status {st.status!r}",
                                    "Use one of " + ", ".join(vocab.condition_statuses)))
        elif st.relation not in _STATUS_RELATIONS:
            problems.append(Problem(st.locs.get("status", st.loc), f"'status' is for requires and demands statements, not {st.relation!r}",
                                    "Remove it"))
    _dates(st, ("date", "since"), problems)
    if st.quantity is not None and (why := quantity_problem(st.quantity.value)):
        problems.append(Problem(st.locs.get("quantity", st.loc), f"quantity: {why}", "Write the number the source gives"))
    if (st.start is None) != (st.end is None):
        problems.append(Problem(st.loc, "give both 'start' and 'end', or neither"))
    elif st.start is not None and st.end is not None and st.end - st.start != len(st.quote):
        problems.append(Problem(st.locs.get("end", st.loc), f"end - start is {st.end - st.start}, but the quote has {len(st.quote)} characters",
                                "Offsets count characters of the source text; end is start + the quote's length"))
    if st.quote != st.quote.strip() or not st.quote.strip():
        problems.append(Problem(st.locs.get("quote", st.loc), "the quote starts or ends with spaces", "Quote the words only"))


def _argument(st: Statement, relation: Relation | None, argument: str, resolver: Resolver,
              problems: list[Problem]) -> tuple[Relation | None, str]:
    """The relation a word such as ``supports`` means in ``st``: the argument relation between two claims
    or proposals, else the word's own relation (if it has one: ``attacks`` has none)."""
    entities = resolver.registry.entities

    def cls(ref: str) -> str | None:
        ident = ref if ref in entities else next(iter(resolver.index.get(normalize(ref), ())), None)
        return entities[ident].cls if ident is not None else None

    if relation is None or (cls(st.subject) == "proposal" and cls(st.object) == "proposal"):
        return terms().relations[argument], argument
    return relation, st.relation


def check_corpus(corpus: Corpus, invalid: list[Problem] | None = None) -> list[Problem]:
    """Check and resolve ``corpus`` in place; return every problem found. ``invalid``: with
    ``--skip-invalid``, the list that takes the problems of the statements left out of their sources."""
    problems: list[Problem] = []
    resolver = Resolver(corpus.registry)
    check_registry(corpus.registry, resolver, problems)
    seen: dict[str, Source] = {}
    texts: dict = {}  # each text file read once
    for source in corpus.sources:
        if source.id in seen:
            problems.append(Problem(source.loc, f"duplicate source id {source.id!r}, already used by {seen[source.id].path}",
                                    "Give each source its own id"))
            continue
        seen[source.id] = source
        local: list[Problem] = Blamed() if invalid is not None else problems
        check_source(source, resolver, local)
        anchor_source(source, corpus.registry, local, texts)
        if isinstance(local, Blamed) and local:
            left_out = invalid_statements(source, local)
            if left_out is None:
                problems.extend(local)
            elif invalid is not None:
                invalid.extend(left_out)
    return problems


__all__ = ["Resolver", "check_corpus", "date_problem", "iri_problem", "quantity_problem", "statement_id"]

