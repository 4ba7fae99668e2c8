"""Spans of a text as quotes: what every importer that reads character offsets needs.

brat text-bound annotations, Web Annotation ``TextPositionSelector``s and the offsets of other tools
name a passage by where it starts and ends. :func:`span_quote` turns such a span into the exact words
it covers, or into a problem when the offsets cannot be used (not whole numbers, reversed, or past the
end of the text). Quotes made so are exact by construction; the anchoring of quotes given as words
(:func:`find_quote`), the reading of texts as stored (:func:`read_text`) and the line reader that turns
an offset into ``line:col`` (:class:`LineIndex`) are those of native sources, re-exported here so that
an importer finds all it needs about texts in one place.
"""

from __future__ import annotations

from typing import Any

from ..anchor import LineIndex, find_quote, read_text
from ..errors import Loc, Problem


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def span_quote(text: str, start: Any, end: Any, loc: Loc, shown: str, *, what: str = "") -> tuple[str | None, Problem | None]:
    """The words of ``text`` (shown as ``shown`` in messages) from character ``start`` to ``end``
    (offsets count characters, line ends included, from 0), or the problem with the offsets, at
    ``loc`` and prefixed with ``what`` (the annotation's id, say) when given."""
    said = f"{what}: " if what else ""
    if not (_whole(start) and _whole(end)):
        return None, Problem(loc, f"{said}the span {start!r} {end!r} is not two whole numbers",
                             "Offsets count the characters of the text from 0")
    if start < 0 or end < start:
        return None, Problem(loc, f"{said}the span {start} {end} ends before it starts", "Fix the offsets")
    if end > len(text):
        return None, Problem(loc, f"{said}the span ends at {end}, after the end of {shown} ({len(text)} characters)",
                             "Fix the offsets, or check that this is the right text")
    return text[start:end], None


__all__ = ["LineIndex", "find_quote", "read_text", "span_quote"]
