"""Writing what was built: RDF files and HTML views, always through a temporary file and a rename.

The rooms of the package: :mod:`.rdf` (serializing a dataset), :mod:`.stream` (writing a build without
rdflib), :mod:`.graphfile` (reading graph files and the inputs of the commands), :mod:`.projection` and
:mod:`.view` (the HTML view), :mod:`.analysis`, :mod:`.report`, :mod:`.tables`, :mod:`.export`,
:mod:`.query` (the explore commands), :mod:`.store` (push to and read from a SPARQL store).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancegraph.graph.files import atomic_write

from .rdf import EXTENSIONS, FORMATS, UnknownFormat, format_for, serialize

if TYPE_CHECKING:  # rdflib is imported where a dataset is made: a build from the cache needs none
    from collections.abc import Iterator

    import pyoxigraph
    from rdflib import Dataset

    from .labels import project
    from .view import ViewOptions, render_html

_LAZY = {"project": "labels", "ViewOptions": "view", "render_html": "view"}


def __getattr__(name: str) -> Any:
    """The view and the projection (networkx, pyvis, Jinja) are imported on first use only: a build
    needs none of them."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def write_graph(dataset: Dataset, path: Path | str, fmt: str) -> bytes:
    """Serialize ``dataset`` as ``fmt`` to ``path`` atomically; returns the bytes written."""
    data = serialize(dataset, fmt)
    atomic_write(path, data)
    return data


def write_view(dataset: Dataset | Iterator[pyoxigraph.Quad], path: Path | str, options: ViewOptions | None = None) -> str:
    """Write the HTML view of ``dataset`` (an rdflib dataset, or quads as :func:`.graphfile.read_quads` gives them) to
    ``path`` (UTF-8, atomically); returns the page."""
    from .labels import project
    from .view import ViewOptions, render_html

    html = render_html(project(dataset), options or ViewOptions())
    atomic_write(path, html.encode("utf-8"))
    return html


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "UnknownFormat",
    "ViewOptions",
    "atomic_write",
    "format_for",
    "project",
    "render_html",
    "serialize",
    "write_graph",
    "write_view",
]
