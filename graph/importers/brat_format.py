"""brat's standoff format, parsed: the lines of an ``.ann`` file and the declarations of ``annotation.conf``.

Only the form is read here (ids, types, spans, arguments, each with its line and column); what the
annotations mean in stancegraph (through the mapping) is :mod:`.brat`'s job.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import Loc, Problem, display_path

CONF_FILENAME = "annotation.conf"
_ID = re.compile(r"^[TREAMN#]\d+$|^\*$")


# ----------------------------------------------------------------------------- lines of an .ann file


@dataclass
class Field:
    """A word of an .ann line and where it is."""

    text: str
    loc: Loc


@dataclass
class TextBound:
    id: str
    type: Field
    spans: list[tuple[int, int]]
    words: str
    loc: Loc

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


@dataclass
class Link:
    """A relation (R) or an event (E): a type, arguments by role, and for events a trigger."""

    id: str
    type: Field
    args: list[tuple[Field, Field]]  # (role, target id)
    loc: Loc
    trigger: Field | None = None


@dataclass
class Attribute:
    id: str
    type: Field
    target: Field
    value: str | None
    loc: Loc


@dataclass
class Normalization:
    id: str
    target: Field
    database: Field
    ref: str
    name: str | None
    loc: Loc


@dataclass
class AnnFile:
    """One .ann file, parsed, with its text."""

    stem: str
    path: Path
    shown: str
    text: str
    text_name: str
    bounds: dict[str, TextBound] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)
    attributes: list[Attribute] = field(default_factory=list)
    normalizations: list[Normalization] = field(default_factory=list)
    notes: dict[str, list[tuple[str, Loc]]] = field(default_factory=lambda: defaultdict(list))
    equivalences: list[list[Field]] = field(default_factory=list)
    note_targets: list[Field] = field(default_factory=list)
    ids: dict[str, Loc] = field(default_factory=dict)
    #: annotations whose line could not be read (reported there): what refers to them is not reported again
    broken: set[str] = field(default_factory=set)


def _split(line: str, shown: str, number: int) -> tuple[list[Field], Field | None]:
    """The words of the annotation part of a line (after the id and its tab), with their columns, and the
    free text after a second tab (a mention's words, a note, a normalization's name), if any."""
    ident, _, tail = line.partition("\t")
    rest, tab, free = tail.partition("\t")
    offset = len(ident) + 2
    words = [Field(m.group(0), Loc(shown, number, offset + m.start())) for m in re.finditer(r"\S+", rest)]
    return words, Field(free, Loc(shown, number, offset + len(rest) + 1)) if tab else None


def parse_ann(doc: AnnFile, raw: str, problems: list[Problem]) -> None:
    """Read the lines of ``raw`` (an .ann file) into ``doc``; problems of form go to ``problems``."""
    readers = {"T": _text_bound, "R": _relation, "E": _event, "A": _attribute, "M": _attribute,
               "N": _normalization, "#": _note, "*": _equivalence}
    for number, line in enumerate(raw.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        loc = Loc(doc.shown, number, 1)
        ident = line.partition("\t")[0]
        if "\t" not in line or not _ID.match(ident):
            problems.append(Problem(loc, f"not a brat annotation line: {line[:60]!r}",
                                    "Each line starts with an id (T1, R1, E1, A1, M1, N1, #1 or *) and a tab"))
            continue
        if ident != "*":
            if ident in doc.ids:
                problems.append(Problem(loc, f"the id {ident} is used twice (first at line {doc.ids[ident].line})",
                                        "Give each annotation its own id"))
                continue
        words, free = _split(line, doc.shown, number)
        try:
            readers[ident[0]](doc, ident, words, free, loc)
        except _Malformed as exc:
            problems.append(Problem(exc.loc or loc, f"{ident}: {exc.what}", exc.hint))
            doc.broken.add(ident)
            continue
        if ident != "*":
            doc.ids[ident] = loc


class _Malformed(Exception):
    def __init__(self, what: str, hint: str = "", loc: Loc | None = None):
        self.what, self.hint, self.loc = what, hint, loc


def _text_bound(doc: AnnFile, ident: str, words: list[Field], free: Field | None, loc: Loc) -> None:
    if len(words) < 3 or free is None:
        raise _Malformed("a text-bound annotation needs a type, a span and its words after a second tab",
                         "Write 'T1<tab>Type 0 5<tab>words'")
    span_text = " ".join(w.text for w in words[1:])
    spans = []
    for part in span_text.split(";"):
        numbers = part.split()
        if len(numbers) != 2 or not all(n.isascii() and n.isdigit() for n in numbers):
            raise _Malformed(f"{span_text!r} is not a span", "Write 'start end', or 'start end;start end' for "
                             "a discontinuous span", words[1].loc)
        start, end = int(numbers[0]), int(numbers[1])
        if start > end:
            raise _Malformed(f"the span {start} {end} ends before it starts", loc=words[1].loc)
        spans.append((start, end))
    doc.bounds[ident] = TextBound(ident, words[0], spans, free.text, loc)


def _link_args(fields: list[Field], what: str) -> list[tuple[Field, Field]]:
    args = []
    for f in fields:
        role, colon, target = f.text.partition(":")
        if not colon or not role or not target:
            raise _Malformed(f"{f.text!r} is not an argument", f"Write Role:ID, such as Arg1:T1, in {what}", f.loc)
        args.append((Field(role, f.loc), Field(target, replace(f.loc, col=f.loc.col + len(role) + 1))))
    return args


def _relation(doc: AnnFile, ident: str, words: list[Field], free: Field | None, loc: Loc) -> None:
    if len(words) < 2:
        raise _Malformed("a relation needs a type and its arguments", "Write 'R1<tab>Type Arg1:T1 Arg2:T2'")
    doc.links[ident] = Link(ident, words[0], _link_args(words[1:], "a relation"), loc)


def _event(doc: AnnFile, ident: str, words: list[Field], free: Field | None, loc: Loc) -> None:
    if not words:
        raise _Malformed("an event needs a type and a trigger", "Write 'E1<tab>Type:T1 Role:T2'")
    (type_field, trigger), *_ = _link_args(words[:1], "an event")
    doc.links[ident] = Link(ident, type_field, _link_args(words[1:], "an event"), loc, trigger)


def _attribute(doc: AnnFile, ident: str, words: list[Field], free: Field | None, loc: Loc) -> None:
    if len(words) not in (2, 3):
        raise _Malformed("an attribute needs a type, a target and at most one value",
                         "Write 'A1<tab>Type E1' or 'A1<tab>Type E1 Value'")
    doc.attributes.append(Attribute(ident, words[0], words[1], words[2].text if len(words) == 3 else None, loc))


def _normalization(doc: AnnFile, ident: str, words: list[Field], free: Field | None, loc: Loc) -> None:
    if len(words) != 3 or ":" not in words[2].text:
        raise _Malformed("a normalization needs a type, a target and DATABASE:ID",
                         "Write 'N1<tab>Reference T1 Wikidata:Q801<tab>name'")
    database, _, ref = words[2].text.partition(":")
    name = free.text.strip() if free is not None else ""
    doc.normalizations.append(Normalization(ident, words[1], Field(database, words[2].loc), ref, name or None, loc))


def _note(doc: AnnFile, ident: str, words: list[Field], free: Field | None, loc: Loc) -> None:
    if len(words) != 2 or free is None:
        raise _Malformed("a note needs a type, a target and its text", "Write '#1<tab>AnnotatorNotes T1<tab>text'")
    doc.notes[words[1].text].append((free.text.strip(), loc))
    doc.note_targets.append(words[1])


def _equivalence(doc: AnnFile, ident: str, words: list[Field], free: Field | None, loc: Loc) -> None:
    if len(words) < 3:
        raise _Malformed("an equivalence needs a type and at least two ids", "Write '*<tab>Equiv T1 T2'")
    doc.equivalences.append(words[1:])


# ----------------------------------------------------------------------------- annotation.conf


@dataclass
class Conf:
    """What an annotation.conf declares: types by section, each entity and event type with its parents
    (nearest first), and the values of valued attributes."""

    path: str
    entities: dict[str, list[str]] = field(default_factory=dict)
    events: dict[str, list[str]] = field(default_factory=dict)
    relations: set[str] = field(default_factory=set)
    attributes: dict[str, list[str] | None] = field(default_factory=dict)


def read_conf(path: Path) -> Conf:
    conf = Conf(display_path(path))
    section = None
    stack: list[tuple[int, str]] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            section, stack = stripped[1:-1].strip(), []
            continue
        if stripped.startswith("<"):
            continue  # macros (<ENTITY>=...) and special types (<OVERLAP>)
        name = re.split(r"[\s]", stripped, maxsplit=1)[0].lstrip("!")
        depth = len(line) - len(line.lstrip("\t"))
        if section in ("entities", "events"):
            while stack and stack[-1][0] >= depth:
                stack.pop()
            getattr(conf, section)[name] = [n for _, n in reversed(stack)]
            stack.append((depth, name))
        elif section == "relations":
            conf.relations.add(name)
        elif section == "attributes":
            m = re.search(r"Value:([^,\s]+)", stripped)
            conf.attributes[name] = m.group(1).split("|") if m else None
    return conf


__all__ = ["AnnFile", "Attribute", "CONF_FILENAME", "Conf", "Field", "Link", "Normalization", "TextBound", "parse_ann",
           "read_conf"]
