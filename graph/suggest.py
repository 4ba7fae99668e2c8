"""Pre-annotation: find the registry's actors, proposals and conditions in a new article.

Offline and without a model: every label and alias of the registry is looked for in the text, with its
case, plural and possessive variants ("Pentagon", "the pentagon's", "Israelis'"); short all-capital
names ("US", "PA", "DOD") only in capitals, so that "us" or "pa" in running text do not count. Names in
Arabic and Hebrew script are found with their prefixes and vowel signs (see docs/multilingual.md). Where
two names overlap, the longer wins ("U.S. Defense Department" over "U.S."). The sentences holding
mentions become the statements of a draft source file, for the analyst to complete.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import textnorm
from .anchor import LineIndex
from .convert import yaml_scalar
from .model import Registry
from .textnorm import fold, fold_with_offsets, script, variants

#: words ending in a period that do not end a sentence
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "gov", "sen", "rep", "pres",
    "st", "jr", "sr", "inc", "corp", "co", "ltd", "vs", "etc", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "approx", "est", "dept", "gov't",
}
#: a sentence ends at . ! ? (and the Arabic question mark) before a capital, a digit, or a letter of a
#: script without capitals (Arabic, Hebrew)
_SENTENCE_END = re.compile(r"[.!?\u061f][\"'\u201d\u2019)\u00bb]*\s+(?=[\"'\u201c\u2018(\u00ab]?[A-Z0-9\u05d0-\u05ea\u0621-\u064a])")
_RTL_LETTER = re.compile("[\u0590-\u05ff\u0600-\u06ff\ufb1d-\ufdff\ufe70-\ufeff]")
_SUFFIX = r"(?:e?s)?(?:['\u2019]s?)?"


@dataclass(frozen=True)
class Found:
    """Words of the text that name registry entries (several when the name is ambiguous)."""

    entities: tuple[str, ...]
    cls: str
    words: str
    start: int
    end: int


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    line: int
    mentions: list[Found] = field(default_factory=list)


def _pattern(name: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in name.split()]
    space = r"\s+"
    body = space.join(words)
    if name.endswith("y") and len(name) > 3:
        plural = space.join(words[:-1] + [re.escape(name.split()[-1][:-1]) + "ies"])
        body = f"(?:{body}|{plural})"
    letters = [c for c in name if c.isalpha()]
    sensitive = not any(c.islower() for c in letters) and len(letters) <= 5
    return re.compile(rf"(?<!\w){body}{_SUFFIX}(?!\w)", 0 if sensitive else re.IGNORECASE)


def _folded_pattern(name: str) -> re.Pattern[str]:
    """A name in Arabic or Hebrew script, as it is found in folded text (:func:`.textnorm.fold`): with
    one or two clitics in front of it (``وإسرائيل``, ``لحماس``, ``בחמאס``), the article's alef or he
    swallowed by the preposition (``للسلطة``, ``ברשות``). Matches are checked against
    :func:`.textnorm.variants`, the rule the resolver follows."""
    folded = fold(name)
    body = r"\s+".join(re.escape(w) for w in folded.split())
    first = folded.split()[0]
    kind = script(first)
    if kind is None or sum(c.isalpha() for c in first) < textnorm.MIN_LETTERS:
        return re.compile(rf"(?<!\w){body}(?!\w)")
    if kind == "arabic":
        clitic = f"(?:[{textnorm.ARABIC_CLITICS}]|{textnorm.ARABIC_ARTICLE})"
        swallowed = (f"|{clitic}?لل" + body[len(re.escape(textnorm.ARABIC_ARTICLE)):]
                     if folded.startswith(textnorm.ARABIC_ARTICLE) else "")
    else:
        clitic = f"[{textnorm.HEBREW_CLITICS}]"
        swallowed = f"|{clitic}?[{textnorm.HEBREW_ABSORBING}]" + body[1:] if folded.startswith("ה") else ""
    prefixes = f"{clitic}{{0,{textnorm.MAX_PREFIXES}}}"
    return re.compile(rf"(?<!\w)(?:{prefixes}{body}{swallowed})(?!\w)")


def _names_in_script(words: str, name: str) -> bool:
    """Whether folded ``words`` are ``name`` itself or with prefixes (the resolver's rule)."""
    folded = fold(name)
    return fold(words) == folded or folded in variants(words)


def find_mentions(text: str, registry: Registry) -> list[Found]:
    """Every mention of a registry label or alias in ``text``, in order, without overlaps. Names in
    Arabic and Hebrew script are looked for in the folded text (see :mod:`.textnorm`), prefixes,
    vowel signs and tatweel included in the mention; the offsets are those of ``text``."""
    names: dict[str, set[str]] = {}
    for entity in registry.entities.values():
        for name in entity.names:
            if name.strip():
                names.setdefault(name.strip(), set()).add(entity.id)
    matches = []
    folded: tuple[str, list[tuple[int, int]]] | None = None
    for name, ids in names.items():
        if _RTL_LETTER.search(name):
            if folded is None:
                folded = fold_with_offsets(text)
            folded_text, spans = folded
            for m in _folded_pattern(name).finditer(folded_text):
                start, end = spans[m.start()][0], spans[m.end() - 1][1]
                if _names_in_script(text[start:end], name):
                    matches.append((start, end, tuple(sorted(ids))))
            continue
        for m in _pattern(name).finditer(text):
            matches.append((m.start(), m.end(), tuple(sorted(ids))))
    matches.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
    taken: list[tuple[int, int]] = []
    found = []
    for start, end, ids in matches:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        cls = registry.entities[ids[0]].cls
        found.append(Found(ids, cls, text[start:end], start, end))
    return sorted(found, key=lambda f: f.start)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``: lines are split at sentence ends, abbreviations aside."""
    out = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for end in _SENTENCE_END.finditer(line.group(0)):
            word = re.search(r"(\S+)[.!?]$", line.group(0)[: end.start() + 1])
            token = word.group(1).lower() if word else ""
            if token in ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", token):
                continue
            stop = line.start() + end.start() + len(end.group(0).rstrip())
            out.append((start, stop))
            start = line.start() + end.end()
        out.append((start, line.end()))
    return [(s, e) for s, e in ((s, e - (len(text[s:e]) - len(text[s:e].rstrip()))) for s, e in out) if e > s]


def suggest(text: str, registry: Registry) -> list[Sentence]:
    """The sentences of ``text`` that name registry entries, each with its mentions."""
    index = LineIndex(text)
    mentions = find_mentions(text, registry)
    out = []
    for start, end in sentences(text):
        inside = [m for m in mentions if start <= m.start < end]
        if inside:
            out.append(Sentence(start, end, text[start:end], index.line_col(start)[0], inside))
    return out


def _pick(sentence: Sentence) -> tuple[str, str]:
    """A first guess of subject and object: the first actor named, and the first proposal or condition
    (or else the next actor)."""
    actors = [m.entities[0] for m in sentence.mentions if m.cls == "actor"]
    others = [m.entities[0] for m in sentence.mentions if m.cls != "actor"]
    subject = actors[0] if actors else "TODO"
    rest = others + [a for a in dict.fromkeys(actors) if a != subject]
    return subject, rest[0] if rest else "TODO"


def draft_yaml(found: list[Sentence], *, source_id: str, title: str, text_ref: str | None, origin: str,
               registry_origin: str) -> str:
    """A draft source file: the article's metadata and one statement to complete per sentence found."""
    counts = Counter(ident for s in found for m in s.mentions for ident in m.entities[:1])
    out = [
        f"# Draft written by stancegraph suggest from {origin}, with the registry {registry_origin}.",
        f"# Registry entries named: {', '.join(f'{i} ×{n}' if n > 1 else i for i, n in counts.most_common()) or 'none'}.",
        "# Each statement below is a sentence that names them. For each one worth keeping: check subject and",
        "# object (ids; the sentence's mentions are listed above it), replace TODO by the relation, shorten the",
        "# quote to the words that state it, add hedge, if, until or according-to where the sentence says so.",
        "# Delete the rest. Then run: stancegraph validate on the project folder.",
        "stancegraph: 1",
        "source:",
        f"  id: {yaml_scalar(source_id)}",
        f"  title: {yaml_scalar(title)}",
    ]
    if text_ref is not None:
        out.append(f"  text: {yaml_scalar(text_ref)}")
    out += ["", "statements:" + (" []" if not found else "")]
    for sentence in found:
        named = "; ".join(f"{m.words} → {' or '.join(m.entities)} ({m.cls})" for m in sentence.mentions)
        subject, obj = _pick(sentence)
        out += [
            f"  # line {sentence.line}: {named}",
            f"  - subject: {yaml_scalar(subject)}",
            "    relation: TODO",
            f"    object: {yaml_scalar(obj)}",
            f"    quote: {yaml_scalar(sentence.text)}",
            "",
        ]
    return "\n".join(out).rstrip("\n") + "\n"


__all__ = ["Found", "Sentence", "draft_yaml", "find_mentions", "sentences", "suggest"]
