"""The shapes of Web Annotation files, parsed: which JSON holds annotations, and each annotation's
targets (quote and position selectors), tags, bodies and notes, with the line and column of each.

A file holds one annotation, a list of them, an ``AnnotationCollection`` (with its ``first`` page
embedded) or ``AnnotationPage``, the ``rows`` of a Hypothesis search, or the ``annotations`` of a
Hypothesis client export. What the tags and bodies mean in stancegraph is :mod:`.webanno`'s job.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Loc, Problem
from ..yamlread import Document

WEB_ANNOTATION_SUFFIXES = (".jsonld", ".json")
_ANNOTATION_TYPES = {"Annotation", "oa:Annotation", "http://www.w3.org/ns/oa#Annotation"}
_CONTAINER_TYPES = {"AnnotationCollection", "AnnotationPage", "as:OrderedCollection", "as:OrderedCollectionPage"}
_LIST_KEYS = ("rows", "annotations", "items")


def _types(item: dict[str, Any]) -> set[str]:
    value = item.get("type", item.get("@type", ()))
    return {value} if isinstance(value, str) else {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


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
    except (OSError, ValueError, RecursionError):
        return False


@dataclass
class Tag:
    key: str | None  # None for a bare tag
    value: str
    loc: Loc


@dataclass
class Target:
    source: str | None
    loc: Loc
    exact: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    start: int | None = None
    end: int | None = None
    exact_loc: Loc | None = None
    ref: str | None = None  # the id of another annotation this target is


@dataclass
class Annotation:
    ident: str
    loc: Loc
    targets: list[Target]
    tags: list[Tag] = field(default_factory=list)
    identifying: list[tuple[str, Loc]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    note_loc: Loc | None = None
    linking: bool = False
    title: str | None = None


def _text(value: Any) -> str | None:
    """An address or id as the format has it: text, or nothing (a number or a list there is no address)."""
    return value if isinstance(value, str) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def annotations_in(doc: Document, problems: list[Problem]) -> list[tuple[dict[str, Any], tuple[Any, ...]]]:
    """The annotations of a file, each with its path in the document."""
    data = doc.data

    def listed(value: Any, path: tuple[Any, ...]) -> list[tuple[dict[str, Any], tuple[Any, ...]]]:
        return [(item, path + (i,)) for i, item in enumerate(value) if is_annotation(item)]

    if isinstance(data, list):
        return listed(data, ())
    if not isinstance(data, dict):
        return []
    if is_annotation(data):
        return [(data, ())]
    for key in ("rows", "annotations", "items"):
        if isinstance(data.get(key), list):
            return listed(data[key], (key,))
    first = data.get("first")
    if isinstance(first, dict) and isinstance(first.get("items"), list):
        return listed(first["items"], ("first", "items"))
    if isinstance(first, str):
        problems.append(Problem(doc.loc("first"), "the collection's first page is not in the file",
                                "Export the collection with its pages embedded"))
    return []


def parse_annotation(item: dict[str, Any], path: tuple[Any, ...], doc: Document, index: int) -> Annotation:
    loc = doc.loc(*path)
    ident = str(item.get("id", item.get("@id", f"#{index + 1}")))
    motivations = {m for m in _list(item.get("motivation")) if isinstance(m, str)}
    targets = []
    uri = _text(item.get("uri"))
    for i, target in enumerate(_list(item.get("target"))):
        tpath = path + ("target", i) if isinstance(item.get("target"), list) else path + ("target",)
        if isinstance(target, str):
            targets.append(Target(uri, doc.loc(*tpath), ref=target))
            continue
        if not isinstance(target, dict):
            continue
        source = target.get("source")
        source = _text(source.get("id", source.get("@id")) if isinstance(source, dict) else source)
        found = Target(source or uri, doc.loc(*tpath))
        if not target.get("selector") and not source:
            found.ref = _text(target.get("id", target.get("@id")))
        for j, selector in enumerate(_list(target.get("selector"))):
            spath = tpath + ("selector", j) if isinstance(target.get("selector"), list) else tpath + ("selector",)
            if not isinstance(selector, dict):
                continue
            kind = selector.get("type", selector.get("@type"))
            if kind in ("TextQuoteSelector", "oa:TextQuoteSelector") and isinstance(selector.get("exact"), str):
                found.exact, found.exact_loc = selector["exact"], doc.loc(*spath, "exact")
                # a prefix or suffix that is not text (a number, say) is no context: left out
                found.prefix, found.suffix = (v if isinstance(v, str) else None for v in (selector.get("prefix"), selector.get("suffix")))
            elif kind in ("TextPositionSelector", "oa:TextPositionSelector"):
                start, end = selector.get("start"), selector.get("end")
                # true and false are ints to Python (true would shift the quote by one): offsets are numbers only
                if type(start) is int and type(end) is int:
                    found.start, found.end = start, end
        targets.append(found)
    annotation = Annotation(ident, loc, targets, linking="linking" in motivations)
    for i, tag in enumerate(_list(item.get("tags"))):
        if isinstance(tag, str):
            annotation.tags.append(_tag(tag, doc.loc(*path, "tags", i)))
    if isinstance(item.get("text"), str) and item["text"].strip():
        annotation.notes.append(item["text"].strip())
        annotation.note_loc = doc.loc(*path, "text")
    if isinstance(item.get("bodyValue"), str):
        annotation.notes.append(item["bodyValue"].strip())
        annotation.note_loc = doc.loc(*path, "bodyValue")
    for i, body in enumerate(_list(item.get("body"))):
        bpath = path + ("body", i) if isinstance(item.get("body"), list) else path + ("body",)
        bloc = doc.loc(*bpath)
        if isinstance(body, str):
            annotation.identifying.append((body, bloc))
            continue
        if not isinstance(body, dict):
            continue
        purposes = {p for p in _list(body.get("purpose")) if isinstance(p, str)} or motivations
        value = body.get("value")
        address = body.get("source", body.get("id", body.get("@id")))
        address = address.get("id", address.get("@id")) if isinstance(address, dict) else address
        if "tagging" in purposes and isinstance(value, str):
            annotation.tags.append(_tag(value, doc.loc(*bpath, "value")))
        elif "identifying" in purposes:
            if isinstance(address, str) or isinstance(value, str):
                annotation.identifying.append((address if isinstance(address, str) else value, bloc))
        elif "linking" in purposes:
            annotation.linking = True
        elif purposes & {"describing", "commenting"} and isinstance(value, str):
            annotation.notes.append(value.strip())
            annotation.note_loc = doc.loc(*bpath, "value")
    document = item.get("document")
    if isinstance(document, dict):
        titles = _list(document.get("title"))
        annotation.title = titles[0] if titles and isinstance(titles[0], str) else None
    return annotation


def _tag(text: str, loc: Loc) -> Tag:
    key, colon, value = text.partition(":")
    key = key.strip().lower()
    if colon and key and not value.startswith("//"):  # key:value, but not an address
        return Tag(key, value.strip(), loc)
    return Tag(None, text.strip(), loc)


__all__ = ["Annotation", "Tag", "Target", "WEB_ANNOTATION_SUFFIXES", "annotations_in", "holds_annotations", "is_annotation",
           "is_web_annotation_file", "parse_annotation"]
