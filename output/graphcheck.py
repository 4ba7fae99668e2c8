"""Checks a graph file passes before a parser sees it: what would crash the parser rather than fail.

pyoxigraph's JSON-LD parser recurses once per level of nesting and, a few thousand levels deep,
overflows the stack: the process dies (a segmentation fault), with no exception to catch. stancegraph
writes JSON-LD five levels deep and framed JSON-LD from elsewhere is rarely deeper than twenty, so a
file nested deeper than :data:`MAX_JSON_DEPTH` is refused with a problem naming it.
"""

from __future__ import annotations

import re
from pathlib import Path

from stancegraph.graph.errors import InputProblems, Loc, Problem, display_path

MAX_JSON_DEPTH = 256
#: declared prefixes bound in a dataset read for SPARQL: rdflib binds each in time proportional to those
#: bound before, so 20,000 declarations would take minutes (and only make printed terms shorter)
MAX_BOUND_PREFIXES = 1000

_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|"|[\[\]{}]')  # a whole string, a string cut by the chunk's end, a bracket
_CHUNK = 1 << 20


def json_depth(path: Path | str, limit: int = MAX_JSON_DEPTH) -> int:
    """How deep the JSON text of ``path`` nests arrays and objects, up to ``limit + 1`` (it stops there),
    read in chunks without parsing (brackets inside strings do not count)."""
    depth = deepest = 0
    carry = b""
    with open(path, "rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            data, carry = carry + chunk, b""
            for m in _TOKEN.finditer(data):
                token = m.group()
                if token == b'"':  # a string that goes on in the next chunk
                    carry = data[m.start():]
                    break
                if token in (b"[", b"{"):
                    depth += 1
                    if depth > deepest:
                        deepest = depth
                        if deepest > limit:
                            return deepest
                elif token in (b"]", b"}"):
                    depth -= 1
            if not chunk:
                return deepest


def check_json_ld(path: Path | str) -> None:
    """Raise :class:`InputProblems` for a JSON-LD file nested deeper than :data:`MAX_JSON_DEPTH`."""
    if json_depth(path) > MAX_JSON_DEPTH:
        raise InputProblems([Problem(Loc(display_path(path)), f"its JSON nests more than {MAX_JSON_DEPTH} levels "
                                     "deep, which no JSON-LD graph needs and the parser cannot read safely",
                                     "Flatten it (a JSON-LD processor's flatten), or write it as N-Triples")])
