"""Writing a compiled corpus (see ``stancegraph.graph.pipeline``) to a file, source by source.

N-Triples, N-Quads, Turtle and TriG are streamed: each source's block goes from the build cache to the
output (Turtle and TriG written block by block by pyoxigraph, the prefixes declared once at the head)
without the whole graph ever being in memory, and a rebuild copies the blocks of unchanged sources
from the file it replaces. JSON-LD needs a whole-graph view: the lines are sorted and handed to
pyoxigraph's serializer, which writes them in the order given.

Byte-for-byte the same input gives the same output: blocks come in source id order, lines sorted
within each block; plain triples stated by several sources appear once in N-Triples and Turtle.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO, NamedTuple

from stancegraph.graph.files import Span, atomic_write_chunks, writing
from stancegraph.graph.pipeline.assemble import LINES, nquads, pieces, written
from stancegraph.graph.pipeline.corpus import Compiled
from stancegraph.graph.record import OutputLayout, stat_of

STREAMED = tuple(LINES)  # nt, nquads, turtle, trig


def convert(nquads_text: str, fmt: str, base: str | None) -> bytes:
    """N-Quads text (lines as stancegraph writes them) as ``fmt``, JSON-LD: the one format written whole."""
    import pyoxigraph

    from stancegraph.graph.dataset import prefixes

    items = pyoxigraph.parse(nquads_text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    if fmt != "json-ld":
        raise ValueError(f"{fmt} is written block by block (graph.pipeline.assemble.written_as)")
    data = pyoxigraph.serialize(items, format=pyoxigraph.RdfFormat.JSON_LD, prefixes=prefixes(base))
    # pyoxigraph writes expanded JSON-LD on one line: indent it so that it diffs well
    return (json.dumps(json.loads(data), indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def chunks(compiled: Compiled, fmt: str) -> Iterator[bytes]:
    """The compiled corpus in format ``fmt`` (a value of ``rdf.FORMATS``), as chunks of UTF-8 bytes."""
    if fmt in STREAMED:
        yield from written(compiled, fmt)
    else:
        yield convert(b"".join(nquads(compiled)).decode("utf-8"), fmt, compiled.iris.base)


class Written(NamedTuple):
    size: int  # of the file
    replaced: bool  # False: the file already held these bytes, and was left as it was


def write_compiled(compiled: Compiled, path: Path | str, fmt: str, waiting: Callable[[], None] | None = None) -> Written:
    """Write the compiled corpus to ``path`` (atomically), holding the lock on its folder
    (:func:`stancegraph.graph.files.writing`; ``waiting()`` is called if another process holds it).

    N-Triples, N-Quads, Turtle and TriG files a build of the same inputs wrote before (and nobody
    changed since) are not assembled again: the blocks of unchanged sources are copied from the old file, and a file that
    would come out the same is left as it is (see :func:`stancegraph.graph.pipeline.assemble.pieces`)."""
    with writing(path, waiting):
        return _write_compiled(compiled, path, fmt)


def _write_compiled(compiled: Compiled, path: Path | str, fmt: str) -> Written:
    target = os.path.abspath(path)
    record = compiled.record
    if fmt not in STREAMED:
        size = atomic_write_chunks(path, chunks(compiled, fmt), ready=compiled.settle)
        if record is not None:
            record.remember_output(target, None)
        return Written(size, True)
    previous = compiled.previous
    layout = previous.layout(target, fmt, compiled.fingerprint) if previous is not None and record is not None else None
    with ExitStack() as stack:
        old = None
        if layout is not None:
            try:
                old = stack.enter_context(open(target, "rb"))
            except OSError:
                layout = None
            else:
                if stat_of(old.fileno()) != layout.stat:  # changed between the two looks: build it whole
                    layout = None
        parts, written = pieces(compiled, fmt, layout)
        if layout is not None and old is not None:
            parts = _same_as_before(list(parts), old)
            if _unchanged(parts, layout):
                compiled.settle()
                if record is not None:  # the same bytes, from other entries (an edit of a comment): remember them
                    record.remember_output(target, written)
                return Written(layout.stat[0], False)  # type: ignore[index]
        size = atomic_write_chunks(path, parts, old, ready=compiled.settle)
    if record is not None:
        record.remember_output(target, written)
    return Written(size, True)


def _same_as_before(parts: list[bytes | Span], old: BinaryIO) -> list[bytes | Span]:
    """``parts``, with each block assembled again that has the bytes the old file has where it goes
    (a source edited in a way that changes none of its lines) made a span of the old file."""
    at = 0
    for i, part in enumerate(parts):
        if isinstance(part, bytes):
            old.seek(at)
            if old.read(len(part)) == part:
                parts[i] = Span(at, len(part))
        at += len(part) if isinstance(part, bytes) else part.length
    return parts


def _unchanged(parts: list[bytes | Span], layout: OutputLayout) -> bool:
    """Whether ``parts`` are the old file, whole and in order (nothing to write)."""
    end = 0
    for part in parts:
        if not isinstance(part, Span) or part.offset != end:
            return False
        end += part.length
    return layout.stat is not None and end == layout.stat[0]
