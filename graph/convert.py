"""From the model to native YAML files: what ``stancegraph convert`` writes.

The files read back to the same model, so they build the same graph: a registry (every entry of the
corpus: those the inputs' registry files held and those made from mentions), one source file per
source, and a copy of each source's plain text, which the source file names with ``text:`` so that its
quotes stay anchored. References are written as registry ids; offsets as they were read or computed.
"""

from __future__ import annotations

from typing import Any

import yaml

from .anchor import text_path
from .errors import InputProblems
from .model import DEFAULT_BASE, DEFAULT_LANGUAGE, Corpus, Entity, Source, Statement
from .native import ENTITY_SECTIONS

REGISTRY_PATH = "registry.yaml"
SOURCES_FOLDER = "sources"
TEXTS_FOLDER = "texts"


def yaml_scalar(value: Any) -> str:
    """``value`` as one line of YAML (quoted where YAML needs it)."""
    text = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=1 << 30, sort_keys=False)
    return text.strip()[1:-1]


def _lines(key: str, value: Any, indent: str) -> list[str]:
    if value is None or value == () and key != "according-to":
        return []
    if isinstance(value, tuple):
        value = list(value)
    return [f"{indent}{key}: {yaml_scalar(value)}"]


def _by_language(by_language: dict[str, Any], language: str) -> Any:
    """A label or alias list as written: plain when it is in the registry's language only, else per language."""
    if not by_language:
        return None
    if list(by_language) == [language]:
        return by_language[language]
    return {lang: list(value) if isinstance(value, tuple) else value for lang, value in by_language.items()}


def _entity(entity: Entity, language: str) -> list[str]:
    out = [f"  {entity.id}:"]
    label = _by_language(entity.labels_by_language(language), language)
    aliases = _by_language(entity.aliases_by_language(language), language)
    for key, value in (("label", label), ("kind", entity.kind), ("aliases", aliases),
                       ("wikidata", entity.wikidata), ("part-of", entity.part_of),
                       ("description", entity.description), ("note", entity.note),
                       ("concerns", list(entity.concerns) or None)):
        out += _lines(key, value, "    ")
    return out


def registry_yaml(corpus: Corpus, origin: str) -> str:
    registry = corpus.registry
    out = [f"# Registry converted by stancegraph convert from {origin}.", "stancegraph: 1"]
    if registry.base != DEFAULT_BASE:
        out.append(f"base: {yaml_scalar(registry.base)}")
    if registry.language != DEFAULT_LANGUAGE:
        out.append(f"language: {yaml_scalar(registry.language)}")
    if registry.dataset is not None:
        about = registry.dataset
        out.append("dataset:")
        for key, value in (("title", about.title), ("description", about.description),
                           ("authors", list(about.authors) or None), ("license", about.license), ("url", about.url)):
            out += _lines(key, value, "  ")
    for section, cls in ENTITY_SECTIONS.items():
        entities = [e for e in registry.entities.values() if e.cls == cls]
        if entities:
            out += ["", f"{section}:"]
            for entity in entities:
                out += _entity(entity, registry.language)
    return "\n".join(out) + "\n"


def _statement(st: Statement) -> list[str]:
    fields: list[tuple[str, Any]] = [
        ("id", st.id if st.explicit_id else None), ("subject", st.subject), ("relation", st.relation),
        ("object", st.object), ("for", st.regarding), ("if", st.if_conditions), ("until", st.until_conditions),
        ("according-to", st.according_to), ("hedge", st.hedges), ("status", st.status), ("date", st.date),
        ("since", st.since),
        ("quantity", None if st.quantity is None else {k: v for k, v in vars(st.quantity).items() if v not in (None, False)}),
        ("quote", st.quote), ("prefix", st.prefix), ("suffix", st.suffix), ("start", st.start), ("end", st.end),
        ("note", st.note),
    ]
    out: list[str] = []
    for key, value in fields:
        out += _lines(key, value, "    ")
    out[0] = "  - " + out[0][4:]
    return out


def source_yaml(source: Source, text: str | None) -> str:
    out = [f"# Converted by stancegraph convert from {source.path}.", "stancegraph: 1", "source:"]
    for key, value in (("id", source.id), ("title", source.title),
                       ("type", source.type if source.type != "news-article" else None), ("publisher", source.publisher),
                       ("author", source.authors), ("published", source.published), ("url", source.url),
                       ("cites", source.cites), ("language", source.language), ("note", source.note), ("text", text)):
        out += _lines(key, value, "  ")
    out += ["", "statements:" + (" []" if not source.statements else "")]
    for statement in source.statements:
        out += _statement(statement) + [""]
    return "\n".join(out).rstrip("\n") + "\n"


def native_files(corpus: Corpus, *, texts: bool = True, origin: str = "the inputs") -> dict[str, bytes]:
    """The files of a native project holding ``corpus`` (checked: references are registry ids), by
    path relative to the project folder. With ``texts``, each source's text is copied under texts/."""
    files: dict[str, bytes] = {REGISTRY_PATH: registry_yaml(corpus, origin).encode("utf-8")}
    problems = []
    for source in sorted(corpus.sources, key=lambda s: s.id):
        text_ref = None
        if texts and source.content is not None:  # the input held the text itself
            name = f"{TEXTS_FOLDER}/{source.id}.txt"
            files[name] = source.content.encode("utf-8")
            text_ref = f"../{name}"
        elif texts and source.text is not None:
            path, problem = text_path(source, corpus.registry)
            if problem is not None:
                problems.append(problem)
                continue
            assert path is not None
            name = f"{TEXTS_FOLDER}/{source.id}{path.suffix or '.txt'}"
            files[name] = path.read_bytes()
            text_ref = f"../{name}"
        files[f"{SOURCES_FOLDER}/{source.id}.yaml"] = source_yaml(source, text_ref).encode("utf-8")
    if problems:
        raise InputProblems(problems)
    return files


__all__ = ["native_files", "registry_yaml", "source_yaml", "yaml_scalar"]
