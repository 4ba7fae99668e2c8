"""Serializing a built dataset: Turtle, TriG, N-Triples, N-Quads and JSON-LD, deterministically.

Same input, same bytes: N-Triples and N-Quads lines are sorted, JSON-LD is re-ordered by node id,
and Turtle/TriG rely on rdflib's sorted subjects and predicates (no blank nodes are ever made).
Turtle and N-Triples hold no named graphs: they get the union of all graphs, and each statement
still names its source through prov:wasDerivedFrom.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from stancegraph.graph.build import PREFIXES

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


def union_graph(dataset: Dataset) -> Graph:
    graph = Graph(namespace_manager=dataset.namespace_manager)
    for named in dataset.graphs():
        graph += named
    return graph


def _sorted_lines(text: str) -> bytes:
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _canonical_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical_json(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _trig(dataset: Dataset) -> bytes:
    """TriG with the named graphs in IRI order (rdflib writes them in the store's hash order)."""
    header: list[str] = []
    blocks: list[str] = []
    for named in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(named) == 0:
            continue
        graph = Graph(namespace_manager=dataset.namespace_manager)
        graph += named
        text = graph.serialize(format="turtle")
        lines = text.splitlines()
        prefixes = [line for line in lines if line.startswith("@prefix")]
        body = [line for line in lines if not line.startswith("@prefix")]
        header = sorted(set(header) | set(prefixes))
        indented = "\n".join(("    " + line) if line.strip() else "" for line in body).strip("\n")
        blocks.append(f"<{named.identifier}> {{\n{indented}\n}}\n")
    return ("\n".join(header) + "\n\n" + "\n".join(blocks)).encode("utf-8")


def serialize(dataset: Dataset, fmt: str) -> bytes:
    """The dataset in format ``fmt`` (a value of :data:`FORMATS`), as UTF-8 bytes."""
    if fmt == "nt":
        return _sorted_lines(union_graph(dataset).serialize(format="nt", encoding="utf-8").decode("utf-8"))
    if fmt == "nquads":
        return _sorted_lines(dataset.serialize(format="nquads", encoding="utf-8").decode("utf-8"))
    if fmt == "turtle":
        return union_graph(dataset).serialize(format="turtle", encoding="utf-8")
    if fmt == "trig":
        return _trig(dataset)
    if fmt == "json-ld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        text = dataset.serialize(format="json-ld", context=context, encoding="utf-8").decode("utf-8")
        data = _canonical_json(json.loads(text))
        return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    raise UnknownFormat(fmt)
