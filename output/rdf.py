"""RDF formats: names, extensions, media types, and serializing an rdflib dataset.

Builds are written by :mod:`.stream`, straight from the build's lines; :func:`serialize` writes any
dataset the same way (blocks by graph, lines sorted; Turtle, TriG and JSON-LD through pyoxigraph), so
the same graph gives the same bytes whichever way it was made. Turtle and N-Triples hold no named
graphs: they get the union of all graphs, and each statement still names its source through
prov:wasDerivedFrom.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Dataset

#: file extension → format name
EXTENSIONS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld"}
#: names accepted by --format, → format name
FORMATS = {
    "turtle": "turtle",
    "ttl": "turtle",
    "trig": "trig",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "nq": "nquads",
    "nquads": "nquads",
    "n-quads": "nquads",
    "json-ld": "json-ld",
    "jsonld": "json-ld",
}
#: format name → (extension, media type)
MEDIA_TYPES = {
    "turtle": "text/turtle",
    "trig": "application/trig",
    "nt": "application/n-triples",
    "nquads": "application/n-quads",
    "json-ld": "application/ld+json",
}


class UnknownFormat(ValueError):
    pass


def format_for(path: str | Path | None, explicit: str | None = None) -> str:
    """The format to write: ``explicit`` when given, else from the file extension of ``path``."""
    if explicit:
        try:
            return FORMATS[explicit.lower()]
        except KeyError:
            raise UnknownFormat(f"unknown format {explicit!r}; use one of {', '.join(sorted(set(FORMATS)))}") from None
    if path is None or str(path) == "-":
        return "turtle"
    suffix = Path(path).suffix.lower()
    try:
        return EXTENSIONS[suffix]
    except KeyError:
        raise UnknownFormat(
            f"cannot tell the format from the extension {suffix or '(none)'!r}; use one of "
            f"{', '.join(EXTENSIONS)} or --format"
        ) from None


def serialize(dataset: Dataset, fmt: str) -> bytes:
    """The dataset in format ``fmt`` (a value of :data:`FORMATS`), as UTF-8 bytes, written the way
    ``stancegraph build`` writes a build: blocks by graph IRI, lines sorted within each (Turtle and TriG
    block by block, as :func:`stancegraph.graph.pipeline.assemble.written_as` writes them)."""
    from stancegraph.graph.pipeline.assemble import LINES, written_as
    from stancegraph.ontology import prefixes

    from .stream import convert

    if fmt not in MEDIA_TYPES:
        raise UnknownFormat(fmt)
    blocks = []
    for named in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(named) == 0:
            continue
        text = named.serialize(format="nt", encoding="utf-8").decode("utf-8")
        graph = f" <{named.identifier}> ."
        blocks.append(sorted({line[:-2] + graph for line in text.split("\n") if line.strip()}))
    if fmt not in LINES:
        return convert("".join(line + "\n" for block in blocks for line in block), fmt, _data_base(dataset))
    if LINES[fmt] == "nt":  # each triple once, in the first block that has it
        seen: set[str] = set()
        blocks = [[t for line in block if (t := line.rsplit(" <", 1)[0] + " .") not in seen and not seen.add(t)]  # type: ignore[func-returns-value]
                  for block in blocks]
    known = prefixes(_data_base(dataset))
    return b"".join(written_as("".join(line + "\n" for line in block).encode("utf-8"), fmt, known, head=i == 0)
                    for i, block in enumerate(blocks or [[]]))


def _data_base(dataset: Dataset) -> str | None:
    for prefix, namespace in dataset.namespace_manager.namespaces():
        if prefix == "actor" and str(namespace).endswith("/actor/"):
            return str(namespace)[: -len("actor/")]
    return None
