"""Matching names across scripts: the folded form of a name, its clitic-free variants, folded text with
offsets back into the original.

Arabic and Hebrew write the same name in several ways: with or without vowel signs (harakat, niqqud),
stretched with tatweel, with different alef and hamza seats, and glued to one-letter words in front
("and", "in", "to", "the"). :func:`fold` makes the forms that readers take for the same name equal;
:func:`variants` gives the forms a mention may have once such a prefix is taken off. English text is
only case-folded (and NFKC-normalised, spacing and apostrophes unified), as before.

The rules, and what is not handled, are listed in docs/multilingual.md. This module imports nothing of
stancegraph, so that every reader and checker can use it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

#: Arabic vowel signs and other marks dropped: harakat (fathatan … sukun, U+064B–U+0652), maddah and
#: hamza above/below as separate marks (U+0653–U+0655), the rarer marks up to U+065F, superscript alef
#: (U+0670), the Quranic annotation signs (U+0610–U+061A, U+06D6–U+06ED); and tatweel (U+0640)
ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"
#: Hebrew points and cantillation marks dropped (U+0591–U+05C7) except the punctuation in that block:
#: maqaf U+05BE, paseq U+05C0, sof pasuq U+05C3, nun hafukha U+05C6
HEBREW_MARKS = "\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
_MARKS = re.compile(f"[{ARABIC_MARKS}{HEBREW_MARKS}]")

#: letters written for one another: every alef with a hamza or madda, and alef wasla, as bare alef;
#: waw and ya with hamza as waw and ya; ta marbuta as ha; alef maqsura as ya; Hebrew geresh and
#: gershayim as the ASCII apostrophe and quotation mark people type for them (ארה"ב, ארה״ב);
#: typographic apostrophes as ASCII
LETTERS = str.maketrans({
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",  # أ إ آ ٱ → ا
    "\u0624": "\u0648",  # ؤ → و
    "\u0626": "\u064a",  # ئ → ي
    "\u0629": "\u0647",  # ة → ه
    "\u0649": "\u064a",  # ى → ي
    "\u05f3": "'", "\u05f4": '"',  # ׳ ״
    "\u2019": "'", "\u2018": "'",
})

ARABIC_LETTERS = re.compile("[\u0621-\u064a\u0671-\u06d3]")
HEBREW_LETTERS = re.compile("[\u05d0-\u05ea]")
#: one-letter words written as prefixes, in their folded form: Arabic wa, fa, bi, li, ka (and the
#: article al-, handled apart); Hebrew ve, ha, be, le, mi, she, ke
ARABIC_CLITICS = "وفبلك"
ARABIC_ARTICLE = "ال"
HEBREW_CLITICS = "והבלמשכ"
#: Hebrew be-, le-, ke- swallow the article: בבית is "in the house" (ב + ה + בית)
HEBREW_ABSORBING = "בלכ"
#: the fewest letters a word keeps once prefixes are taken off
MIN_LETTERS = 2
MAX_PREFIXES = 2


def fold_chars(text: str) -> str:
    """``text`` with the character rules applied (NFKC, case folding, marks dropped, letters unified),
    spacing left as it is."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _MARKS.sub("", text).translate(LETTERS)


def fold(text: str) -> str:
    """The form of a name used for matching: :func:`fold_chars`, and runs of white space as one space."""
    return " ".join(fold_chars(text).split())


def script(word: str) -> str | None:
    """``"arabic"`` or ``"hebrew"`` for a word whose first letter is of that script, else None."""
    if word and ARABIC_LETTERS.match(word):
        return "arabic"
    if word and HEBREW_LETTERS.match(word):
        return "hebrew"
    return None


def _letters(word: str) -> int:
    return sum(1 for c in word if c.isalpha())


def _strip_once(word: str, kind: str) -> Iterator[tuple[str, str]]:
    """(prefix, rest) for each way of taking one clitic off the front of a folded ``word``."""
    if kind == "arabic":
        if word.startswith("لل"):  # li + al-, the article's alef dropped: للسلطة is ل + السلطة
            yield "ل", ARABIC_ARTICLE + word[2:]
        if word.startswith(ARABIC_ARTICLE):
            yield ARABIC_ARTICLE, word[2:]
        if word[:1] and word[0] in ARABIC_CLITICS:
            yield word[0], word[1:]
    elif kind == "hebrew" and word[:1] and word[0] in HEBREW_CLITICS:
        yield word[0], word[1:]
        if word[0] in HEBREW_ABSORBING:
            yield word[0], "ה" + word[1:]


def variants(name: str) -> list[str]:
    """The folded ``name`` without one, then two, prefix clitics on its first word, in that order,
    without repeats and without the name itself; none that leaves its first word fewer than two letters.

    A mention matches a registry name when it equals it, or when one of its variants does."""
    folded = fold(name)
    first, _, rest = folded.partition(" ")
    kind = script(first)
    if kind is None:
        return []
    out: list[str] = []
    level = [first]
    for _ in range(MAX_PREFIXES):
        following = []
        for word in level:
            for _prefix, stripped in _strip_once(word, kind):
                if _letters(stripped) >= MIN_LETTERS and stripped not in following:
                    following.append(stripped)
        for word in following:
            variant = f"{word} {rest}" if rest else word
            if variant != folded and variant not in out:
                out.append(variant)
        level = following
    return out


def fold_with_offsets(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` folded by :func:`fold_chars` and, for each of its characters, the span of ``text`` it
    comes from: the folded passage ``[a, b)`` is ``text[spans[a][0]:spans[b - 1][1]]``.

    A letter is folded together with the combining marks that follow it, so that a vowel sign or a
    decomposed accent lands on its letter (and is inside the span of any match that ends on it)."""
    folded: list[str] = []
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        piece = fold_chars(text[i:j])
        folded.append(piece)
        spans.extend([(i, j)] * len(piece))
        i = j
    return "".join(folded), spans


__all__ = ["fold", "fold_chars", "fold_with_offsets", "script", "variants"]
