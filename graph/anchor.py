"""Finding quotes in the plain text of a source: verify offsets, compute them, re-anchor after edits.

The approach is Hypothesis's (its ``match-quote`` over ``approx-string-match``), in three steps:

1. **position**: when ``start``/``end`` are given and the text there is the quote, that is the anchor;
2. **exact**: otherwise every exact occurrence of the quote is a candidate, and the one whose
   surroundings best match the recorded ``prefix``/``suffix`` (and lies nearest the old position)
   wins: this re-anchors a quote whose text moved because the text around it was edited;
3. **fuzzy**: otherwise an approximate search (Myers' bit-parallel algorithm, the one
   ``approx-string-match`` uses) finds the passages that differ from the quote by at most a quarter
   of its characters, scored the same way. A fuzzy anchor means the text was edited *inside* the
   quote: the caller reports it, naming the passage the quote now corresponds to.

Offsets count characters (Unicode code points) of the text as stored, line ends included: the text is
read without newline translation, as brat counts.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from .errors import Loc, Problem, blame, display_path
from . import limits
from .model import Registry, Source, Statement
from .project import project_folder

#: weights of the parts of a candidate's score, as in Hypothesis's match-quote
QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT, POSITION_WEIGHT = 50, 20, 20, 2


@dataclass(frozen=True)
class Anchor:
    """Where a quote is in a text. ``how`` is ``"position"``, ``"exact"`` or ``"fuzzy"``."""

    start: int
    end: int
    how: str
    errors: int = 0


def find_quote(
    text: str,
    quote: str,
    *,
    prefix: str | None = None,
    suffix: str | None = None,
    start: int | None = None,
    end: int | None = None,
) -> Anchor | None:
    """Anchor ``quote`` in ``text`` (see the module's doc); None when nothing is close enough."""
    if not quote:
        return None
    if start is not None and end is not None and 0 <= start <= end <= len(text) and text[start:end] == quote:
        return Anchor(start, end, "position")
    hint = start
    exact = _occurrences(text, quote)
    if exact:
        best = max(exact, key=lambda s: (_score(text, s, s + len(quote), 0, quote, prefix, suffix, hint), -s))
        return Anchor(best, best + len(quote), "exact")
    max_errors = min(256, len(quote) // 4)
    if max_errors == 0:
        return None
    candidates = _approximate(text, quote, max_errors)
    if not candidates:
        return None
    s, e, errors = max(candidates, key=lambda c: (_score(text, c[0], c[1], c[2], quote, prefix, suffix, hint), -c[0]))
    return Anchor(s, e, "fuzzy", errors)


def _occurrences(text: str, quote: str) -> list[int]:
    found, at = [], text.find(quote)
    while at != -1:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _score(text: str, start: int, end: int, errors: int, quote: str, prefix: str | None, suffix: str | None,
           hint: int | None) -> float:
    score = QUOTE_WEIGHT * (1 - errors / len(quote))
    if prefix:
        score += PREFIX_WEIGHT * _similarity(prefix, text[max(0, start - len(prefix)):start])
    if suffix:
        score += SUFFIX_WEIGHT * _similarity(suffix, text[end:end + len(suffix)])
    if hint is not None and text:
        score += POSITION_WEIGHT * (1 - abs(start - hint) / len(text))
    return score


# ----------------------------------------------------------------------------- approximate search


def _approximate(text: str, pattern: str, max_errors: int) -> list[tuple[int, int, int]]:
    """Passages of ``text`` within ``max_errors`` edits of ``pattern``: (start, end, errors), one per run
    of neighbouring end positions (its best)."""
    runs: list[list[tuple[int, int]]] = []
    for end, errors in _myers_ends(text, pattern, max_errors, anchored=False):
        if runs and end - runs[-1][-1][0] == 1:
            runs[-1].append((end, errors))
        else:
            runs.append([(end, errors)])
    best = [min(run, key=lambda item: item[1]) for run in runs]
    found = []
    for end, errors in best:
        lo = max(0, end - len(pattern) - errors)
        window = text[lo:end][::-1]
        starts = _myers_ends(window, pattern[::-1], len(pattern), anchored=True)
        if not starts:
            continue
        length, back_errors = min(starts, key=lambda item: (item[1], abs(item[0] - len(pattern))))
        found.append((end - length, end, back_errors))
    return found


def _myers_ends(text: str, pattern: str, max_errors: int, *, anchored: bool) -> list[tuple[int, int]]:
    """(end, errors) for every end position in ``text`` where ``pattern`` matches with at most
    ``max_errors`` edits. ``anchored``: the match must start at the beginning of ``text``."""
    m = len(pattern)
    mask, high = (1 << m) - 1, 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, ch in enumerate(pattern):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    pv, mv, score = mask, 0, m
    carry = 1 if anchored else 0
    out = []
    for j, ch in enumerate(text):
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & mask) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | carry) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
        if score <= max_errors:
            out.append((j + 1, score))
    return out


# ----------------------------------------------------------------------------- text files


class LineIndex:
    """Line and column of character offsets in a text, for many look-ups (the "line reader" of every
    message that names a place in a text by its offset)."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of character ``offset``."""
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def read_text(path: Path, shown: str, loc: Loc) -> tuple[str | None, Problem | None]:
    """The plain text of a source, as stored (UTF-8, no newline translation), or the problem reading it."""
    try:
        raw = limits.read_limited(path)
    except OSError as exc:
        return None, Problem(loc, f"cannot read the text {shown} ({exc.strerror})", "Check the path")
    except limits.TooLarge as exc:
        return None, Problem(loc, f"the text {shown} is over {exc.limit >> 20} MiB: too large to read",
                             "Split the source in several, each with its part of the text")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, Problem(loc, f"the text {shown} is not UTF-8 (byte 0x{raw[exc.start]:02x} on its line {line})",
                             "Save the text as UTF-8")


def text_path(source: Source, registry: Registry) -> tuple[Path | None, Problem | None]:
    """Where ``source.text`` points, resolved relative to the source file, or why it cannot be used."""
    assert source.text is not None
    loc = source.locs.get("text", source.loc)
    project = project_folder(source.path, registry.files)
    try:
        path = (Path(source.path).resolve().parent / source.text).resolve()
        is_file = path.is_file()
    except (OSError, ValueError, RuntimeError) as exc:  # a name too long, a NUL, links that loop
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return None, Problem(loc, f"text: {source.text[:80]!r} cannot be a file's path ({why})",
                             "Write the path of the source's plain text, relative to this file")
    if not path.is_relative_to(project):
        return None, Problem(loc, f"text: {source.text!r} is outside the project folder {display_path(project)}/",
                             "Keep source texts inside the folder of registry.yaml, and write paths relative to "
                             "this file")
    if not is_file:
        return None, Problem(loc, f"text: no such file {display_path(path)}",
                             "Write the path of the source's plain text, relative to this file")
    return path, None


def anchor_statement(st: Statement, text: str, shown: str, index: LineIndex, problems: list[Problem]) -> None:
    """Locate ``st.quote`` in ``text`` and set its offsets; report it when it cannot be anchored exactly."""
    found = find_quote(text, st.quote, prefix=st.prefix, suffix=st.suffix, start=st.start, end=st.end)
    loc = st.locs.get("quote", st.loc)
    if found is None:
        problems.append(Problem(loc, f"the quote is not in the text {shown}, nor anything close to it",
                                "Copy the words exactly from the text, or check 'text:'"))
    elif found.how == "fuzzy":
        line, col = index.line_col(found.start)
        passage = text[found.start:found.end]
        problems.append(Problem(loc, f"the quote is not word for word in the text; the closest passage, at {shown}:{line}:{col}, "
                                f"reads {passage!r}", "Correct the quote (or the text, if the text is wrong)"))
    else:
        st.start, st.end = found.start, found.end


def anchor_source(source: Source, registry: Registry, problems: list[Problem], cache: dict[Path, tuple[str | None, Problem | None]]) -> None:
    """Anchor every statement of ``source`` in its text (``text:``, or the text the input held), when it
    has one."""
    if source.content is not None:
        index = LineIndex(source.content)
        for st in source.statements:
            blame(problems, st)
            anchor_statement(st, source.content, display_path(source.path), index, problems)
        blame(problems, None)
        return
    if source.text is None:
        return
    path, problem = text_path(source, registry)
    if problem is not None:
        problems.append(problem)
        return
    assert path is not None
    shown = display_path(path)
    if path not in cache:
        cache[path] = read_text(path, shown, source.locs.get("text", source.loc))
    text, problem = cache[path]
    if problem is not None:
        problems.append(problem)
        return
    assert text is not None
    index = LineIndex(text)
    for st in source.statements:
        blame(problems, st)
        anchor_statement(st, text, shown, index, problems)
    blame(problems, None)


__all__ = ["Anchor", "LineIndex", "anchor_source", "find_quote", "read_text", "text_path"]
