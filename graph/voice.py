"""The source's own voice: who holds the statements a source makes in its own name.

An essay's major claim is its author's, an op-ed's position its columnist's, an editorial's its outlet's.
Such statements are written without a ``subject:`` (in native YAML), or made by an importer from the
mapping (a brat MajorClaim, a Stance attribute); their subject is the source's voice: its ``voice:`` (an
actor of the registry) when it has one, else its one author (who must then be an actor of the registry,
or is made one by the importer), else its publisher. Nothing is guessed beyond that: a source with
statements in its own voice and none of these is a problem naming what to add.
"""

from __future__ import annotations

from typing import Protocol

from .errors import Loc, Problem
from .model import Source, Statement


class Resolver(Protocol):
    """What is needed of :class:`~.check.Resolver` (which imports this module)."""

    def resolve(self, ref: str, expected: str | tuple[str, ...], loc: Loc, what: str,
                problems: list[Problem]) -> str | None: ...

#: the subject of a statement in the source's own voice, until it is checked
VOICE = ""


def resolve_voice(source: Source, resolver: Resolver, problems: list[Problem]) -> None:
    """Resolve ``source.voice`` (given, or the default when a statement needs it) to a registry id, and
    make it the subject of every statement written without one. Call after the publisher is resolved."""
    own = [st for st in source.statements if st.subject == VOICE]
    for st in own:
        st.locs.setdefault("subject", st.loc)
    if source.voice is not None:
        source.voice = resolver.resolve(source.voice, "actor", source.locs.get("voice", source.loc), "voice", problems)
    elif own:
        source.voice = _default_voice(source, own[0], resolver, problems)
    if source.voice is not None:
        for st in own:
            st.subject = source.voice


def _default_voice(source: Source, first: Statement, resolver: Resolver, problems: list[Problem]) -> str | None:
    if len(source.authors) == 1:
        author = source.authors[0]
        found: list[Problem] = []
        ident = resolver.resolve(author, "actor", source.locs.get("author", source.loc), "author", found)
        if ident is None:
            problems.append(Problem(first.loc, f"this statement has no subject, and the source's voice is its author "
                                    f"{author!r}, who is not an actor of the registry",
                                    f"Add {author!r} under 'actors:' in the registry, or give the source 'voice:'"))
        return ident
    if source.publisher is not None:
        return source.publisher
    why = f"{len(source.authors)} authors" if source.authors else "no author or publisher"
    problems.append(Problem(first.loc, f"this statement has no subject, and the source has {why} to speak for it",
                            "Give the statement 'subject:', or give the source 'voice:' (an actor of the registry)"))
    return None


__all__ = ["VOICE", "resolve_voice"]
