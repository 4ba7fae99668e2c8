"""Names: ids made from words, the forms of a name that count as the same name, and "did you mean".

Every reader and checker names things and matches names; this module imports nothing of stancegraph but
:mod:`.textnorm` (which imports nothing), so that any of them can use it without importing the others.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from .textnorm import fold

_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
_POSSESSIVE = re.compile(r"(?:'s|s')$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


#: a well-formed BCP 47 language tag (RFC 5646 ``langtag`` or private use; the irregular grandfathered
#: tags such as ``i-klingon`` aside): language (with extended subtags), script, region, variants,
#: extensions (a singleton and subtags of 2-8 characters: ``abc-a-b`` is not one), private use
LANGUAGE_TAG = (
    r"^(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?"
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WYZa-wyz](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?"
    r"|[Xx](?:-[A-Za-z0-9]{1,8})+)$"
)
_LANGUAGE_TAG = re.compile(LANGUAGE_TAG)


def language_tag_problem(value: object) -> str | None:
    """Why ``value`` is not a BCP 47 language tag (``en``, ``ar``, ``he``, ``pt-BR``, ``zh-Hant-TW``), or None."""
    if not isinstance(value, str) or not _LANGUAGE_TAG.fullmatch(value):
        return f"{value!r} is not a language tag"
    return None


def normalize(text: str) -> str:
    """The form of a label or alias used for matching: case, width, spacing and apostrophes folded, and
    Arabic and Hebrew spelling variants made equal (see :mod:`.textnorm`)."""
    return fold(text)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidates, or ``""``."""
    close = difflib.get_close_matches(word, sorted(set(candidates)), n=3, cutoff=0.6)
    if not close:
        return ""
    return "Did you mean " + " or ".join(repr(c) for c in close) + "?"


#: Latin letters that have no ASCII form under NFKD (it drops them): written as their usual transliteration
_LATIN = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ł": "l",
                        "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i",
                        "ħ": "h", "Ħ": "H", "ŋ": "ng", "Ŋ": "Ng", "ĸ": "q", "ſ": "s"})


def slug(text: str, fallback: str = "x") -> str:
    """An id made from ``text``: ASCII lower-case letters, digits and '-' (``U.S. Department`` → ``u-s-department``,
    ``Østby`` → ``ostby``)."""
    text = re.sub(r"['\u2019]", "", text).translate(_LATIN)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].strip("-")
    return out or fallback


def unique(ident: str, taken: set[str] | dict[str, object]) -> str:
    """``ident``, or ``ident-2``, ``ident-3``… the first not in ``taken``."""
    if ident not in taken:
        return ident
    n = 2
    while f"{ident}-{n}" in taken:
        n += 1
    return f"{ident}-{n}"


def name_key(text: str) -> str:
    """The form of a mention used to tell whether two mentions name the same thing: case, spacing and
    apostrophes folded (as for registry aliases), a leading article and a possessive ending dropped."""
    key = normalize(text)
    key = _ARTICLE.sub("", key)
    return _POSSESSIVE.sub(lambda m: "s" if m.group(0) == "s'" else "", key).strip()


def kebab(word: str) -> str:
    """A type name of an annotation tool as a stancegraph word: ``ConsidersFunding`` → ``considers-funding``,
    ``armed_group`` → ``armed-group``."""
    return re.sub(r"[\s_-]+", "-", _CAMEL.sub("-", word.strip())).lower()


def title_of(text: str, limit: int = 200) -> str:
    """The first line of a text, as the title of its source (news texts start with their headline)."""
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"
    return ""


__all__ = ["LANGUAGE_TAG", "SHORT_LABEL", "did_you_mean", "kebab", "language_tag_problem", "name_key", "normalize",
           "short_label", "slug", "title_of", "unique"]


#: labels longer than this get a short display label (:func:`short_label`)
SHORT_LABEL = 40


def short_label(label: str, limit: int = SHORT_LABEL) -> str | None:
    """A display label for a label that is a sentence: cut at the last word boundary within ``limit``
    characters, with an ellipsis; None when ``label`` is short enough to show whole. A label with no
    space early enough is cut inside its first word."""
    text = " ".join(label.split())
    if len(text) <= limit:
        return None
    head = text[: limit - 1]  # room for the ellipsis
    cut = head if text[limit - 1] == " " or " " not in head else head.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"
