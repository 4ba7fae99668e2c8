"""Reading JSON with the line and column of every value, into the same :class:`~.yamlread.Document` the
YAML reader makes, so that problems in JSON inputs name ``file:line:col`` too.

The standard library's parser keeps no positions; this small recursive-descent parser does, and uses
the standard library's own string scanner so that escapes are read exactly as ``json`` reads them.
"""

from __future__ import annotations

import re
from json.decoder import JSONDecodeError, scanstring
from pathlib import Path
from typing import Any

from ..errors import InputProblems, Loc, Problem
from ..limits import read_bounded
from ..yamlread import Document
from .spans import LineIndex

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_SPACE = re.compile(r"[ \t\n\r]*")
_MAX_DEPTH = 256


class _Parser:
    def __init__(self, text: str, doc: Document):
        self.text, self.doc = text, doc
        self.lines = LineIndex(text)

    def loc(self, offset: int) -> Loc:
        return Loc(self.doc.path, *self.lines.line_col(offset))

    def fail(self, offset: int, what: str) -> InputProblems:
        return InputProblems([Problem(self.loc(offset), f"JSON syntax error: {what}", "Check the brackets, commas and quotes here")])

    def space(self, i: int) -> int:
        return _SPACE.match(self.text, i).end()  # type: ignore[union-attr]

    def value(self, i: int, path: tuple[Any, ...], depth: int) -> tuple[Any, int]:
        i = self.space(i)
        if depth > _MAX_DEPTH:
            raise self.fail(i, f"nested deeper than {_MAX_DEPTH} levels")
        self.doc.positions[path] = self.loc(i)
        ch = self.text[i:i + 1]
        if ch == "{":
            return self.object(i + 1, path, depth)
        if ch == "[":
            out, i = [], self.space(i + 1)
            if self.text[i:i + 1] == "]":
                return out, i + 1
            while True:
                item, i = self.value(i, path + (len(out),), depth + 1)
                out.append(item)
                i = self.space(i)
                ch = self.text[i:i + 1]
                if ch == "]":
                    return out, i + 1
                if ch != ",":
                    raise self.fail(i, "expected ',' or ']'")
                i += 1
        if ch == '"':
            return self.string(i)
        for word, result in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, i):
                return result, i + len(word)
        m = _NUMBER.match(self.text, i)
        if m and m.end() > i:
            number = m.group(0)
            return (float(number) if m.group(1) or m.group(2) else int(number)), m.end()
        raise self.fail(i, "expected a value" if ch else "the file ends too early")

    def string(self, i: int) -> tuple[str, int]:
        try:
            return scanstring(self.text, i + 1, True)
        except JSONDecodeError as exc:
            raise self.fail(exc.pos, exc.msg.lower().removesuffix(" starting at")) from None

    def object(self, i: int, path: tuple[Any, ...], depth: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        i = self.space(i)
        if self.text[i:i + 1] == "}":
            return out, i + 1
        while True:
            i = self.space(i)
            if self.text[i:i + 1] != '"':
                raise self.fail(i, "expected a key in double quotes")
            key_at = i
            key, i = self.string(i)
            i = self.space(i)
            if self.text[i:i + 1] != ":":
                raise self.fail(i, "expected ':'")
            if key in out:
                raise InputProblems([Problem(self.loc(key_at), f"the key {key!r} appears twice in this object", "Keep one")])
            self.doc.positions[path + (key, "__key__")] = self.loc(key_at)
            out[key], i = self.value(i + 1, path + (key,), depth + 1)
            i = self.space(i)
            ch = self.text[i:i + 1]
            if ch == "}":
                return out, i + 1
            if ch != ",":
                raise self.fail(i, "expected ',' or '}'")
            i += 1


def loads_json(text: str, shown: str) -> Document:
    """Parse JSON ``text``; raises :class:`InputProblems` naming the line and column of a syntax error."""
    doc = Document(shown, None)
    parser = _Parser(text, doc)
    doc.data, end = parser.value(0, (), 0)
    end = parser.space(end)
    if end != len(text):
        raise parser.fail(end, "extra data after the end of the JSON value")
    return doc


def load_json(path: Path, shown: str) -> Document:
    raw = read_bounded(path, shown)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputProblems([Problem(Loc(shown, line), "the file is not UTF-8 text", "Save it as UTF-8")]) from None
    return loads_json(text, shown)


__all__ = ["load_json", "loads_json"]
