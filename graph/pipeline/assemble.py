"""A compiled corpus as N-Triples, N-Quads, Turtle or TriG: the registry block, then each source's block
in id order, read from the cache; or, against the output file being replaced, the pieces of the new file
(the blocks that changed, and spans of the old file for the rest).

Turtle and TriG are assembled as N-Triples and N-Quads are, block by block, each block written in Turtle
(or TriG) by pyoxigraph: the prefixes are declared once at the head of the file, and each source's
triples come together, subjects grouped within the block. A rebuild thus rewrites the blocks that
changed and copies the rest, as it does for N-Triples; the graph is the same as a whole-graph writer
would give (a subject the registry and a source both describe appears in both blocks)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import lru_cache

from ..files import Piece, Span
from ..record import HASH, OutputLayout
from .cache import plain, without_graph
from .corpus import Compiled


def _line_hash(line: bytes) -> str:
    return hashlib.blake2b(line, digest_size=HASH // 2).hexdigest()


def nquads(compiled: Compiled) -> Iterator[bytes]:
    """The dataset as N-Quads chunks: the registry graph, then one graph per source, in id order."""
    yield from _written(compiled, "nquads", OutputLayout("nquads", compiled.fingerprint))


def written(compiled: Compiled, fmt: str) -> Iterator[bytes]:
    """The corpus as ``fmt`` (one of :data:`LINES`), block by block: the head, then each source's block."""
    yield from _written(compiled, fmt, OutputLayout(fmt, compiled.fingerprint))


#: the lines each format's blocks are assembled from: Turtle's are N-Triples' blocks, TriG's N-Quads'
LINES = {"nt": "nt", "nquads": "nquads", "turtle": "nt", "trig": "nquads"}


@lru_cache(maxsize=8)
def _prefix_lines(prefixes: tuple[tuple[str, str], ...], fmt: str) -> bytes:
    """The prefix declarations pyoxigraph writes at the head of a Turtle or TriG file, in its order."""
    import pyoxigraph

    probe = pyoxigraph.Quad(pyoxigraph.NamedNode("urn:x:s"), pyoxigraph.NamedNode("urn:x:p"), pyoxigraph.NamedNode("urn:x:o"))
    data = pyoxigraph.serialize([probe], format=_formats(fmt)[1], prefixes=dict(prefixes))
    return b"".join(line for line in data.splitlines(keepends=True) if line.startswith(b"@prefix "))


def _formats(fmt: str) -> tuple[object, object]:
    """The pyoxigraph formats of the lines of ``fmt``'s blocks, and of ``fmt`` itself."""
    import pyoxigraph

    return {"turtle": (pyoxigraph.RdfFormat.N_TRIPLES, pyoxigraph.RdfFormat.TURTLE),
            "trig": (pyoxigraph.RdfFormat.N_QUADS, pyoxigraph.RdfFormat.TRIG)}[fmt]


def written_as(data: bytes, fmt: str, prefixes: dict[str, str], head: bool = False) -> bytes:
    """A block of N-Triples or N-Quads lines (``LINES[fmt]``) as ``fmt`` writes it: the lines themselves
    for N-Triples and N-Quads; Turtle or TriG by pyoxigraph, lines sorted first (subjects together),
    without the prefix declarations, which the head of the file (``head``) holds once."""
    if fmt in ("nt", "nquads"):
        return data
    import pyoxigraph

    declared = _prefix_lines(tuple(prefixes.items()), fmt)
    if not data:
        return declared if head else b""
    lines_format, out_format = _formats(fmt)
    lines = b"".join(sorted(data.splitlines(keepends=True)))
    text = pyoxigraph.serialize(pyoxigraph.parse(lines, format=lines_format), format=out_format, prefixes=prefixes)
    at = 0
    while text.startswith(b"@prefix ", at):
        at = text.index(b"\n", at) + 1
    body = text[at:] if text.endswith(b"\n") else text[at:] + b"\n"
    return declared + body if head else body


def pieces(compiled: Compiled, fmt: str, previous: OutputLayout | None = None) -> tuple[Iterable[Piece], OutputLayout]:
    """The corpus as N-Triples (``fmt="nt"``), N-Quads (``"nquads"``), Turtle (``"turtle"``) or TriG
    (``"trig"``): the pieces of the file, and its layout (complete once the pieces are consumed).

    With ``previous``, the layout of the file being replaced (made by the same registry and code), the
    blocks of sources whose cache entry is unchanged are :class:`~stancegraph.graph.files.Span` s of
    that file, to be copied from it; only the blocks that differ are assembled. The bytes are those of a
    build from scratch. In N-Triples a plain triple stated by several sources is written once, in the
    block of the first of them (in source id order): a changed source can thus change the blocks of
    others, which are the ones that state a plain triple it added or dropped."""
    layout = OutputLayout(fmt, compiled.fingerprint)
    if previous is None:
        return _written(compiled, fmt, layout), layout
    return _rewritten(compiled, fmt, previous, layout), layout


def _head(compiled: Compiled, fmt: str) -> bytes:
    if LINES[fmt] == "nt":
        lines = "".join(line + "\n" for line in compiled.registry_lines).encode("utf-8")
    else:
        graph = f" <{compiled.iris.registry_graph()}> .\n"
        lines = "".join(line[:-2] + graph for line in compiled.registry_lines).encode("utf-8")
    return written_as(lines, fmt, _prefixes(compiled), head=True)


def _prefixes(compiled: Compiled) -> dict[str, str]:
    from stancegraph.ontology import prefixes

    return prefixes(compiled.iris.base)


def _written(compiled: Compiled, fmt: str, layout: OutputLayout) -> Iterator[bytes]:
    head = _head(compiled, fmt)
    layout.head = offset = len(head)
    yield head
    # a plain triple is (entity, relation of the vocabulary, entity): the registry states none of them, so
    # "written once" is decided among the sources alone (here and in _rewritten)
    seen: set[bytes] = set()
    prefixes = _prefixes(compiled)
    for entry in compiled.entries:
        shared, own = entry.blocks()
        hashes = ""
        if LINES[fmt] == "nt":
            lines = plain(shared)
            hashes = "".join(map(_line_hash, lines))
            fresh = [line + b"\n" for line in lines if not (line in seen or seen.add(line))]  # type: ignore[func-returns-value]
            data = b"".join(fresh) + without_graph(own)
        else:
            data = shared + own
        data = written_as(data, fmt, prefixes)
        layout.add(entry.source_id, entry.digest, offset, len(data), hashes)
        offset += len(data)
        yield data


def _states(hashes: str, h: str) -> bool:
    """Whether ``hashes`` (a block's, concatenated) holds ``h``."""
    at = hashes.find(h)
    while at != -1 and at % HASH:
        at = hashes.find(h, at + 1)
    return at != -1


def _rewritten(compiled: Compiled, fmt: str, previous: OutputLayout, layout: OutputLayout) -> list[Piece]:
    at = {sid: i for i, sid in enumerate(previous.ids)}
    entries = compiled.entries
    changed = {e.source_id for e in entries if (i := at.get(e.source_id)) is None or previous.digests[i] != e.digest}
    layout.head = previous.head
    if not changed and len(at) == len(entries):  # the same sources, each unchanged: the old file, whole
        for i, sid in enumerate(previous.ids):
            layout.add(sid, previous.digests[i], previous.offsets[i], previous.lengths[i], previous.hashes[i])
        return [Span(0, previous.head), *map(Span, previous.offsets, previous.lengths)]
    by_id = {e.source_id: e for e in entries}
    hashes: dict[str, str] = {}  # of the blocks assembled again
    lines: dict[str, tuple[list[bytes], bytes]] = {}
    nt = LINES[fmt] == "nt"
    prefixes = _prefixes(compiled)

    def load(sid: str) -> None:
        if sid not in lines:
            shared, own = by_id[sid].blocks()
            shared_lines = plain(shared) if nt else []
            lines[sid] = (shared_lines, without_graph(own) if nt else shared + own)
            hashes[sid] = "".join(map(_line_hash, shared_lines))

    for sid in changed:
        load(sid)
    affected = set(changed)
    firsts: dict[str, str | None] = {}
    if nt:
        gone = changed | (at.keys() - by_id.keys())  # old blocks that are no more (or no more as they were)

        def first(h: str) -> str | None:
            """The first source (in id order) of this build that states the plain triple hashed ``h``."""
            if h not in firsts:
                kept = (previous.ids[i] for i in previous.stating(h) if previous.ids[i] not in gone)
                firsts[h] = min((*kept, *(sid for sid, hs in hashes.items() if _states(hs, h))), default=None)
            return firsts[h]

        touched = {hs[i : i + HASH] for sid in gone for hs in (hashes.get(sid, ""), previous.hashes[at[sid]] if sid in at else "")
                   for i in range(0, len(hs), HASH)}
        for h in touched:
            was = previous.stating(h)
            before, now = (previous.ids[was[0]] if was else None), first(h)
            if before != now:  # the triple moves: from the block it was in, to the block it is now in
                affected.update(sid for sid in (before, now) if sid in by_id)
        for sid in affected:
            load(sid)
    out: list[Piece] = [Span(0, previous.head)]
    offset = previous.head
    for entry in entries:
        sid = entry.source_id
        if sid in affected:
            shared_lines, rest = lines[sid]
            hs = hashes[sid]
            if nt:
                rest = b"".join(line + b"\n" for k, line in enumerate(shared_lines)
                                if first(hs[HASH * k : HASH * k + HASH]) == sid) + rest
            rest = written_as(rest, fmt, prefixes)
            out.append(rest)
            layout.add(sid, entry.digest, offset, len(rest), hs)
            offset += len(rest)
        else:
            i = at[sid]
            out.append(Span(previous.offsets[i], previous.lengths[i]))
            layout.add(sid, entry.digest, offset, previous.lengths[i], previous.hashes[i])
            offset += previous.lengths[i]
    return out
