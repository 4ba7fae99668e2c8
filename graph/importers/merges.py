"""Warnings for what equivalences join: two mentions declared the same thing whose names share nothing.

An equivalence (brat ``*``) or an alias relation is taken at its word: the mentions it joins become one
registry entry. "Smith" and "Jean Smith", "UN" and "United Nations" are plainly one; "Terry Pratchett" and
"J. K. Rowling" are more likely a slip of the annotator's mouse. Such a join is said once per entry made,
as a warning (the build goes on: the annotation may be right, as with a pen name).
"""

from __future__ import annotations

from ..errors import Loc, Problem
from ..names import name_key
from .mentions import Mention

CLASS_NOUN = {"actor": "actor", "proposal": "proposal", "condition": "condition"}


def _words(name: str) -> set[str]:
    return set(name_key(name).replace(".", " ").split())


def _initials(name: str) -> str:
    return "".join(word[0] for word in name_key(name).replace(".", " ").split() if word)


def related(a: str, b: str) -> bool:
    """Whether two names could plainly name one thing: they share a word, or one is the other's initials."""
    if _words(a) & _words(b):
        return True
    squeezed = {n: name_key(n).replace(".", "").replace(" ", "") for n in (a, b)}
    return squeezed[a] == _initials(b) or squeezed[b] == _initials(a)


def merge_warnings(joins: list[tuple[list[str], Loc]], mentions: list[Mention], ids: dict[str, str]) -> list[Problem]:
    """One warning per registry entry that an equivalence or alias (``joins``: the mention keys joined, and
    where) made out of names that share nothing; ``ids``: each mention's entry."""
    by_key = {m.key: m for m in mentions}
    warned: set[str] = set()
    out = []
    for keys, loc in joins:
        members = [by_key[k] for k in keys if k in by_key]
        for other in members[1:]:
            first = members[0]
            entry = ids.get(first.key)
            if entry is None or entry in warned or related(first.text, other.text):
                continue
            warned.add(entry)
            out.append(Problem(loc, f"{first.text!r} and {other.text!r} become one {CLASS_NOUN[first.cls]} ({entry})",
                               "They share no word: if they are not the same, remove the equivalence or alias that "
                               "joins them"))
    return out


__all__ = ["merge_warnings", "related"]
