"""Writing what was built: RDF files and HTML views, always through a temporary file and a rename."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancegraph.graph import InputProblems, Loc, Problem, build
from stancegraph.graph.errors import display_path

from .atomic import atomic_write
from .rdf import EXTENSIONS, FORMATS, UnknownFormat, format_for, serialize

if TYPE_CHECKING:  # rdflib is imported where a dataset is made: a build from the cache needs none
    from rdflib import Dataset

    from .projection import project
    from .view import ViewOptions, render_html

_LAZY = {"project": "projection", "ViewOptions": "view", "render_html": "view"}


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


def is_graph_file(path: Path | str) -> bool:
    """An RDF file (by its extension), and not a Web Annotation file, which is annotation input."""
    from stancegraph.graph.formats import is_web_annotation_file

    path = Path(path)
    return path.suffix.lower() in EXTENSIONS and path.is_file() and not is_web_annotation_file(path)


def read_graph(paths: list[Path | str]) -> Dataset:
    """Parse RDF files written by ``stancegraph build`` (or any RDF in the same formats)."""
    from rdflib import Dataset

    from stancegraph.graph.dataset import PREFIXES

    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    for path in paths:
        fmt = EXTENSIONS[Path(path).suffix.lower()]
        shown = display_path(path)
        try:
            dataset.parse(str(path), format=fmt)  # rdflib reads nt and nquads as UTF-8; its nt parser takes no encoding
        except UnicodeDecodeError:
            raise InputProblems([Problem(Loc(shown), "the file is not UTF-8 text", "Rebuild it with stancegraph build")]) from None
        except Exception as exc:  # rdflib raises many kinds of parser errors
            message = " ".join(str(exc).split())
            line = getattr(exc, "lines", None)
            match = re.search(r"line (\d+)", message)
            loc = Loc(shown, int(line) if isinstance(line, int) else int(match.group(1)) if match else 0)
            raise InputProblems(
                [Problem(loc, f"not valid {fmt} RDF: {message[:300]}", "Rebuild it with stancegraph build")]
            ) from None
    return dataset


def load_dataset(paths: list[Path | str], *, shacl: bool | None = None) -> Dataset:
    """A dataset from RDF graph files, or built from annotation files and folders (not both at once)."""
    graphs = [p for p in paths if is_graph_file(p)]
    if graphs and len(graphs) == len(paths):
        return read_graph(paths)
    if graphs:
        raise InputProblems([Problem(Loc(display_path(graphs[0])), "a graph file given together with annotation files",
                                     "Give either graph files or annotation files and folders")])
    return build(paths, shacl=shacl).dataset


def write_view(dataset: Dataset, path: Path | str, options: ViewOptions | None = None) -> str:
    """Write the HTML view of ``dataset`` to ``path`` (UTF-8, atomically); returns the page."""
    from .projection import project
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
    "is_graph_file",
    "load_dataset",
    "project",
    "read_graph",
    "render_html",
    "serialize",
    "write_graph",
    "write_view",
]
