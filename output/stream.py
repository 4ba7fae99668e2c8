"""Writing a compiled corpus (see ``stancegraph.graph.pipeline``) to a file, source by source.

N-Triples and N-Quads are streamed: each source's lines go from the build cache to the output without
the whole graph ever being in memory. Turtle, TriG and JSON-LD need a whole-graph view (subjects
grouped): the lines are sorted and handed to pyoxigraph's serializers, which write them in the order
given, so the output is deterministic and readable.

Byte-for-byte the same input gives the same output: blocks come in source id order, lines sorted
within each block; plain triples stated by several sources appear once in N-Triples and Turtle.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from stancegraph.graph.build import prefixes
from stancegraph.graph.pipeline import Compiled, nquads, ntriples

from .atomic import atomic_write_chunks

STREAMED = ("nt", "nquads")


def _pyoxigraph_format(fmt: str):  # type: ignore[no-untyped-def]
    import pyoxigraph

    return {"turtle": pyoxigraph.RdfFormat.TURTLE, "trig": pyoxigraph.RdfFormat.TRIG,
            "json-ld": pyoxigraph.RdfFormat.JSON_LD}[fmt]


def convert(nquads_text: str, fmt: str, base: str | None) -> bytes:
    """N-Quads text (lines as stancegraph writes them) as Turtle, TriG or JSON-LD."""
    import pyoxigraph

    if fmt == "turtle":  # one graph: the union, each triple once, sorted so subjects are grouped
        lines = sorted({line.rsplit(" <", 1)[0] + " ." for line in nquads_text.split("\n") if line})
        items = pyoxigraph.parse("\n".join(lines).encode("utf-8") + b"\n", format=pyoxigraph.RdfFormat.N_TRIPLES)
    else:
        items = pyoxigraph.parse(nquads_text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    data = pyoxigraph.serialize(items, format=_pyoxigraph_format(fmt), prefixes=prefixes(base))
    if fmt == "json-ld":  # pyoxigraph writes expanded JSON-LD on one line: indent it so that it diffs well
        return (json.dumps(json.loads(data), indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    return data if data.endswith(b"\n") else data + b"\n"


def chunks(compiled: Compiled, fmt: str) -> Iterator[bytes]:
    """The compiled corpus in format ``fmt`` (a value of ``rdf.FORMATS``), as chunks of UTF-8 bytes."""
    if fmt == "nt":
        yield from ntriples(compiled)
    elif fmt == "nquads":
        yield from nquads(compiled)
    else:
        yield convert(b"".join(nquads(compiled)).decode("utf-8"), fmt, compiled.iris.base)


def write_compiled(compiled: Compiled, path: Path | str, fmt: str) -> int:
    """Write the compiled corpus to ``path`` (atomically); returns the number of bytes written."""
    return atomic_write_chunks(path, chunks(compiled, fmt))
