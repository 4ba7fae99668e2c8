"""Inputs other than native YAML, and which reader reads them.

* a **brat** folder: one holding ``.ann`` files (each beside its ``.txt``), or a single ``.ann`` file;
* a **Web Annotation** file: ``.jsonld`` or ``.json`` holding W3C annotations (an annotation, a list,
  an ``AnnotationCollection`` or ``AnnotationPage``) or a Hypothesis export (``rows`` of the search API,
  ``annotations`` of the client's export).

Each reader returns what the YAML reader makes: sources with statements, and the registry entries the
input adds. The readers are imported when first needed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import Problem
from .model import Entity, Registry, Source

WEB_ANNOTATION_SUFFIXES = (".jsonld", ".json")
_ANNOTATION_TYPES = {"Annotation", "oa:Annotation", "http://www.w3.org/ns/oa#Annotation"}
_CONTAINER_TYPES = {"AnnotationCollection", "AnnotationPage", "as:OrderedCollection", "as:OrderedCollectionPage"}
_LIST_KEYS = ("rows", "annotations", "items")


def is_brat_folder(names: list[str]) -> bool:
    """Whether a folder holding the files ``names`` is a brat folder."""
    return any(name.endswith(".ann") for name in names)


def _types(item: dict[str, Any]) -> set[str]:
    value = item.get("type", item.get("@type", ()))
    return {value} if isinstance(value, str) else set(value) if isinstance(value, list) else set()


def is_annotation(item: Any) -> bool:
    """A W3C annotation, or a Hypothesis one (it has a target and a uri)."""
    return isinstance(item, dict) and (bool(_types(item) & _ANNOTATION_TYPES) or ("target" in item and "uri" in item))


def holds_annotations(data: Any) -> bool:
    """Whether parsed JSON is one of the shapes of Web Annotation files this project reads."""
    if isinstance(data, list):
        return bool(data) and all(is_annotation(item) for item in data)
    if not isinstance(data, dict):
        return False
    if is_annotation(data) or _types(data) & _CONTAINER_TYPES:
        return True
    if isinstance(data.get("first"), dict):
        return holds_annotations(data["first"])
    return any(isinstance(data.get(key), list) and (not data[key] or is_annotation(data[key][0])) for key in _LIST_KEYS)


def is_web_annotation_file(path: Path) -> bool:
    """A ``.jsonld``/``.json`` file holding annotations (used to pick such files out of folders)."""
    if path.suffix.lower() not in WEB_ANNOTATION_SUFFIXES:
        return False
    try:
        return holds_annotations(json.loads(path.read_bytes()))
    except (OSError, ValueError):
        return False


FOREIGN_SUFFIXES = (".ann", *WEB_ANNOTATION_SUFFIXES)


def is_foreign(path: Path) -> bool:
    """Whether ``path`` (as :func:`~.read.discover` lists it) is read by a reader of this module."""
    return path.is_dir() or path.suffix.lower() in FOREIGN_SUFFIXES


def read_foreign(path: Path, registry: Registry) -> tuple[list[Source], list[Entity], list[Problem]]:
    """Read a brat folder or .ann file, or a Web Annotation file, against ``registry``."""
    if path.is_dir() or path.suffix.lower() == ".ann":
        from .brat import read_brat

        return read_brat(path, registry)
    from .webanno import read_web_annotations

    return read_web_annotations(path, registry)


__all__ = ["holds_annotations", "is_annotation", "is_brat_folder", "is_foreign", "is_web_annotation_file", "read_foreign"]
