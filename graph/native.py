"""The native format: a YAML source or registry file (a checked :class:`~.yamlread.Document`) as model objects.

Importers make :class:`~.model.Source` objects the same way: the metadata a mapping file gives for a
document of another tool is shaped like a native ``source:`` and read by :func:`source_from_document`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .errors import Loc, Problem
from .model import DEFAULT_LANGUAGE, Dataset, Entity, Quantity, Source, Statement
from .yamlread import Document

ENTITY_SECTIONS = {"actors": "actor", "proposals": "proposal", "conditions": "condition"}


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value)
    return (str(value).strip(),)


def _date(value: str | int | None) -> str | None:
    """A date as written: ``published: 2024`` is a number to YAML, and the year 2024 to us."""
    return None if value is None else str(value)


def _locs(doc: Document, path: tuple[Any, ...], data: dict[str, Any]) -> dict[str, Loc]:
    return {key: doc.loc(*path, key) for key in data}


def registry_language(doc: Document) -> str:
    """The language of a registry file's plain labels and aliases."""
    return doc.data.get("language", DEFAULT_LANGUAGE)


def _labels(value: str | dict[str, str], language: str) -> dict[str, str]:
    """A label as written (a text, or a text per language) by language, the one in ``language`` first
    (else the first written)."""
    if isinstance(value, str):
        return {language: value.strip()}
    labels = {lang: text.strip() for lang, text in value.items()}
    first = next((lang for lang in labels if lang.lower() == language.lower()), None)
    return {first: labels.pop(first), **labels} if first else labels


def _aliases(value: list[str] | dict[str, list[str]] | None, language: str) -> dict[str, tuple[str, ...]]:
    if not value:
        return {}
    if isinstance(value, list):
        return {language: tuple(a.strip() for a in value)}
    return {lang: tuple(a.strip() for a in names) for lang, names in value.items() if names}


def registry_entities(doc: Document) -> Iterator[Entity]:
    """The actors, proposals and conditions of a registry file."""
    language = registry_language(doc)
    for section, cls in ENTITY_SECTIONS.items():
        for ident, data in (doc.data.get(section) or {}).items():
            path = (section, ident)
            labels = _labels(data["label"], language)
            aliases = _aliases(data.get("aliases"), language)
            yield Entity(
                id=ident,
                cls=cls,
                label=next(iter(labels.values())),
                loc=doc.loc(*path, "__key__"),
                aliases=tuple(dict.fromkeys(a for names in aliases.values() for a in names)),
                labels=labels,
                lang_aliases=aliases,
                kind=data.get("kind"),
                wikidata=data.get("wikidata"),
                part_of=data.get("part-of"),
                description=data.get("description"),
                note=data.get("note"),
                short=data["short"].strip() if "short" in data else None,
                concerns=_as_tuple(data.get("concerns")),
                locs=_locs(doc, path, data),
            )


def registry_dataset(doc: Document) -> Dataset | None:
    """The ``dataset:`` of a registry file (title, description, authors, license, url), as written."""
    data = doc.data.get("dataset")
    if data is None:
        return None
    return Dataset(title=data["title"].strip(), loc=doc.loc("dataset"), description=data.get("description"),
                   authors=_as_tuple(data.get("authors")), license=data.get("license"), url=data.get("url"))


def _statement(doc: Document, index: int, data: dict[str, Any]) -> Statement:
    path = ("statements", index)
    quantity = data.get("quantity")
    return Statement(
        id=data.get("id", ""),
        subject=data["subject"].strip() if "subject" in data else "",  # "": the source's voice
        relation=data["relation"].strip(),
        object=data["object"].strip(),
        quote=data["quote"],
        loc=doc.loc(*path),
        regarding=data["for"].strip() if "for" in data else None,
        if_conditions=_as_tuple(data.get("if")),
        until_conditions=_as_tuple(data.get("until")),
        according_to=_as_tuple(data["according-to"]) if "according-to" in data else None,
        hedges=_as_tuple(data.get("hedge")),
        status=data.get("status"),
        date=_date(data.get("date")),
        since=_date(data.get("since")),
        quantity=Quantity(quantity["value"], quantity.get("unit"), quantity.get("approximate", False))
        if quantity
        else None,
        prefix=data.get("prefix"),
        suffix=data.get("suffix"),
        start=data.get("start"),
        end=data.get("end"),
        note=data.get("note"),
        locs=_locs(doc, path, data),
    )


def source_from_document(doc: Document) -> Source:
    """The source (with its statements) of a source file, or of a document shaped like one."""
    meta = doc.data["source"]
    return Source(
        id=meta["id"],
        title=meta["title"].strip(),
        path=doc.path,
        loc=doc.loc("source", "id"),
        type=meta.get("type", "news-article"),
        publisher=meta.get("publisher"),
        authors=_as_tuple(meta.get("author")),
        published=_date(meta.get("published")),
        url=meta.get("url"),
        cites=_as_tuple(meta.get("cites")),
        language=meta.get("language"),
        note=meta.get("note"),
        voice=meta["voice"].strip() if "voice" in meta else None,
        text=meta.get("text"),
        statements=[_statement(doc, i, s) for i, s in enumerate(doc.data.get("statements") or [])],
        locs=_locs(doc, ("source",), meta),
    )


def kind_of(doc: Document) -> str | None:
    """``"source"``, ``"registry"`` or None for a document that is neither."""
    if not isinstance(doc.data, dict):
        return None
    if "source" in doc.data or "statements" in doc.data:
        return "source"
    if set(doc.data) & {"actors", "proposals", "conditions", "base"}:
        return "registry"
    return None


def not_ours(doc: Document) -> Problem:
    """The problem of a YAML file among the inputs that is neither a source nor a registry: empty, a
    mapping file under another name than ``mapping.yaml`` (a draft saved beside the one in force), or
    something else."""
    if doc.data is None:
        return Problem(doc.loc(), "the file is empty", "Delete it or add a source")
    if isinstance(doc.data, dict) and "stancegraph-mapping" in doc.data:
        return Problem(doc.loc(), "a mapping file, read as annotations because it is not named mapping.yaml",
                       "A folder's mapping is its file named mapping.yaml: rename this one to mapping.yaml (replacing "
                       "the one in force), or move it out of the inputs")
    return Problem(doc.loc(), "not a stancegraph file",
                   "A source file has 'source:' and 'statements:'; a registry has 'actors:', 'proposals:' or "
                   "'conditions:'")


__all__ = ["ENTITY_SECTIONS", "kind_of", "not_ours", "registry_dataset", "registry_entities", "registry_language",
           "source_from_document"]
