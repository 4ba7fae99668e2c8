"""Reading W3C Web Annotations (JSON-LD) and Hypothesis exports into the model.

A file holds one annotation, a list of them, a collection or page, or a Hypothesis export (the shapes
are parsed by :mod:`.webanno_format`). Each annotation is read through the tag convention of
docs/input-formats.md:

* **tags** (Hypothesis ``tags``, and ``TextualBody`` bodies with purpose ``tagging``) say what an
  annotation states: ``relation:supports`` (or a bare relation word, or a relation type of the
  mapping), ``subject:Pentagon``, ``object:...``, ``for:``, ``if:``, ``until:``, ``according-to:``,
  ``hedge:``, ``status:``, ``date:``, ``since:``, ``id:``; or what its quote names: ``actor``,
  ``proposal``, ``condition`` (or an entity type of the mapping such as ``Person``), ``kind:``,
  ``wikidata:Q…``, ``entity:ID``. Other tags are the annotator's own and are left alone.
* bodies with purpose **identifying** (or a bare body address) link the quote to a Wikidata item or a
  registry entry; **describing** and **commenting** bodies (and Hypothesis ``text``) become notes;
* an annotation whose motivation or body purpose is **linking** and whose targets are two other
  annotations (mentions) states a relation between what they name, in that order, as brat relations do.

A statement's quote is its ``TextQuoteSelector`` (with prefix and suffix); a ``TextPositionSelector``
gives offsets when its length matches the quote's. A target that is a relative address (or a
``file:`` one) names the source's plain text, against which quotes are anchored.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from stancegraph.ontology import terms

from ..errors import InputProblems, Loc, Problem, display_path
from ..model import Entity, Registry, Source, Statement
from ..names import did_you_mean, slug, title_of, unique
from ..native import source_from_document
from ..project import project_folder
from ..yamlread import Document
from .draft import unmapped_group
from .jsonread import load_json
from .mapping import Mapping, find_mapping, read_mapping
from .mentions import Mention, resolve_mentions
from .protocol import Imported
from .spans import find_quote, read_text, span_quote
from .webanno_format import (WEB_ANNOTATION_SUFFIXES, Annotation, Tag, Target, annotations_in, is_web_annotation_file,
                             parse_annotation)

#: tag keys of statements, → the field of a native statement they fill
STATEMENT_TAGS = ("subject", "relation", "object", "for", "if", "until", "according-to", "hedge", "status", "date",
                  "since", "id")
#: tag keys of mentions
MENTION_TAGS = ("class", "kind", "wikidata", "entity")
_WIKIDATA_IRI = re.compile(r"^https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/(Q[1-9][0-9]*)$")
_WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]{0,11}$")


def read_web_annotations(path: Path, registry: Registry) -> tuple[list[Source], list[Entity], list[Problem]]:
    """The sources and new registry entries of a Web Annotation file, and every problem found."""
    shown = display_path(path)
    problems: list[Problem] = []
    try:
        doc = load_json(path, shown)
    except InputProblems as exc:
        return [], [], exc.problems
    items = annotations_in(doc, problems)
    if not items and not problems:
        if not (isinstance(doc.data, dict) and any(isinstance(doc.data.get(k), list) for k in ("rows", "annotations", "items"))):
            problems.append(Problem(doc.loc(), "no Web Annotations in this file",
                                    "A Web Annotation file holds annotations (W3C JSON-LD or a Hypothesis export)"))
        return [], [], problems
    mapping, found = read_mapping(find_mapping(path.parent))
    problems += found
    reader = _Reader(path, shown, mapping, registry, problems)
    annotations = [parse_annotation(item, p, doc, i) for i, (item, p) in enumerate(items)]
    return reader.read(annotations)


class _Reader:
    def __init__(self, path: Path, shown: str, mapping: Mapping, registry: Registry, problems: list[Problem]):
        self.path, self.shown, self.mapping, self.registry, self.problems = path, shown, mapping, registry, problems
        self.texts: dict[str, str | None] = {}

    def text_of(self, source: str | None) -> tuple[str | None, str | None]:
        """The path (as a source file's ``text:`` would say it) and contents of a target that is a local text."""
        if not source:
            return None, None
        parts = urlsplit(source)
        if parts.scheme == "file":
            ref = unquote(parts.path)
        elif not parts.scheme and not source.startswith(("#", "urn:", "_:")):
            ref = unquote(parts.path)
        else:
            return None, None
        if ref not in self.texts:
            text = None
            file = self._local(ref)
            if file is not None:
                text, problem = read_text(file, display_path(file), Loc(self.shown))
                if problem:
                    self.problems.append(problem)
            self.texts[ref] = text
        return ref, self.texts[ref]

    def _local(self, ref: str) -> Path | None:
        """The text file a target names, if it is a file inside the project folder; a target elsewhere (``../``
        out of the project, a link out of it) is not read, so no piece of it can show up in a message."""
        try:
            file = (self.path.parent / ref).resolve()
            project = project_folder(str(self.path), self.registry.files)
            return file if file.is_relative_to(project) and file.is_file() else None
        except (OSError, ValueError, RuntimeError):  # a name too long, a NUL, a loop of links
            return None

    def read(self, annotations: list[Annotation]) -> tuple[list[Source], list[Entity], list[Problem]]:
        by_id = {a.ident: a for a in annotations}
        mentions: list[Mention] = []
        mention_of: dict[str, Mention] = {}
        statements: list[tuple[str | None, Statement]] = []
        linked: list[tuple[Statement, str, str]] = []  # statements between mentions, and the mentions' keys
        firsts: dict[str | None, Annotation] = {}
        for a in annotations:
            refs = [t.ref for t in a.targets if t.ref in by_id]
            keyed = defaultdict(list)
            for tag in a.tags:
                keyed[tag.key].append(tag)
            relation_tags = keyed.get("relation", []) + [t for t in keyed.get(None, []) if self.mapping.relation(t.value)]
            if a.linking and len(refs) >= 2:
                ends = [by_id[r] for r in refs[:2]]
                statement = self._linked(a, ends, keyed, relation_tags)
                source = ends[0].targets[0].source if ends[0].targets else None
                if statement is not None:
                    statements.append((source, statement))
                    linked.append((statement, self.key(ends[0]), self.key(ends[1])))
                    firsts.setdefault(source, by_id[refs[0]])
                continue
            target = next((t for t in a.targets if t.exact is not None or t.start is not None), a.targets[0] if a.targets else None)
            if relation_tags:
                statement = self._statement(a, target, keyed, relation_tags)
                if statement is not None:
                    statements.append((target.source if target else None, statement))
                    firsts.setdefault(target.source if target else None, a)
                continue
            mention = self._mention(a, target, keyed)
            if mention is not None:
                mentions.append(mention)
                mention_of[a.ident] = mention
                firsts.setdefault(target.source if target else None, a)
            else:
                for tag in a.tags:
                    if tag.key is not None and (hint := did_you_mean(tag.key, (*STATEMENT_TAGS, *MENTION_TAGS))):
                        self.problems.append(Problem(tag.loc, f"unknown tag key {tag.key!r}", hint,
                                                     unmapped_group("tag keys", tag.key)))
        ids, entities, found = resolve_mentions(mentions, [], self.registry)
        self.problems.extend(found)
        sources: dict[str | None, Source] = {}
        taken: set[str] = set()
        for address, first in firsts.items():
            sources[address] = self._source(address, first, taken)
            taken.add(sources[address].id)
        for statement, subject, obj in linked:
            for name, key in (("subject", subject), ("object", obj)):
                if key in ids:
                    setattr(statement, name, ids[key])
                else:
                    self.problems.append(Problem(statement.loc, f"the linking annotation's {name} is not a mention of an "
                                                 "actor, proposal or condition", "Link two annotations that are mentions"))
        for address, statement in statements:
            sources[address].statements.append(statement)
        return list(sources.values()), entities, self.problems

    # -- kinds of annotation

    def _quote(self, a: Annotation, target: Target | None) -> tuple[str, int | None, int | None, Loc] | None:
        if target is None:
            self.problems.append(Problem(a.loc, f"annotation {a.ident} has no target", "Annotate a passage of the source"))
            return None
        start, end = target.start, target.end
        exact = target.exact
        if exact is None and start is not None and end is not None:
            ref, text = self.text_of(target.source)
            if text is not None and ref is not None:
                exact, problem = span_quote(text, start, end, target.loc, display_path(self.path.parent / ref),
                                            what=f"annotation {a.ident}")
                if problem is not None:
                    self.problems.append(problem)
                    return None
        if not exact:
            self.problems.append(Problem(target.loc, f"annotation {a.ident} quotes nothing",
                                         "Give its target a TextQuoteSelector (select the words in Hypothesis)"))
            return None
        if start is not None and end is not None and end - start != len(exact):
            start = end = None  # positions count something else (Hypothesis counts UTF-16 units of the page)
        return exact, start, end, target.exact_loc or target.loc

    def _fields(self, a: Annotation, keyed: dict[str | None, list[Tag]], relation_tags: list[Tag]) -> dict[str, Any]:
        """The fields of a statement from an annotation's tags, with their locations."""
        vocab = terms()
        out: dict[str, Any] = {"locs": {}}
        relation_tag = relation_tags[0]
        if relation_tag.key is None:
            rule = self.mapping.relation(relation_tag.value)
            out["relation"], out["hedges"] = rule.relation if rule else relation_tag.value, list(rule.hedges if rule else ())
        else:
            out["relation"], out["hedges"] = relation_tag.value, []
        out["locs"]["relation"] = relation_tag.loc
        for extra in relation_tags[1:]:
            self.problems.append(Problem(extra.loc, f"annotation {a.ident} names a second relation", "Keep one relation per annotation"))
        for key in ("subject", "object", "for", "status", "date", "since", "id"):
            tags = keyed.get(key, [])
            if tags:
                out[key] = tags[0].value
                out["locs"][key] = tags[0].loc
                for extra in tags[1:]:
                    self.problems.append(Problem(extra.loc, f"a second '{key}:' tag", "Keep one"))
        for key in ("if", "until", "according-to", "hedge"):
            tags = keyed.get(key, [])
            if tags:
                out[key] = tuple(t.value for t in tags)
                out["locs"][key] = tags[0].loc
        out["hedges"] += [h for h in out.get("hedge", ()) if h not in out["hedges"]]
        if out["hedges"] and "hedge" not in out["locs"]:
            out["locs"]["hedge"] = relation_tag.loc
        for tag in keyed.get(None, []):
            if tag.value in vocab.hedges and tag.value not in out["hedges"]:
                out["hedges"].append(tag.value)
                out["locs"].setdefault("hedge", tag.loc)
        if a.notes:
            out["note"] = "\n".join(a.notes)
            out["locs"]["note"] = a.note_loc or a.loc
        for key in keyed:
            if key is not None and key not in STATEMENT_TAGS and (hint := did_you_mean(key, STATEMENT_TAGS)):
                self.problems.append(Problem(keyed[key][0].loc, f"unknown tag key {key!r} on a statement", hint))
        return out

    def _make(self, a: Annotation, fields: dict[str, Any], quote: str, start: int | None, end: int | None, quote_loc: Loc,
              target: Target | None) -> Statement:
        locs = fields["locs"]
        locs.update({"quote": quote_loc, "start": quote_loc, "end": quote_loc})
        locs.setdefault("subject", a.loc)
        locs.setdefault("object", a.loc)
        if target is not None and target.prefix is not None:
            locs["prefix"] = quote_loc
        if fields.get("id"):
            locs["id"] = locs.get("id", a.loc)
        return Statement(
            id=fields.get("id", ""),
            subject=fields.get("subject", ""),
            relation=fields["relation"],
            object=fields.get("object", ""),
            quote=quote,
            loc=a.loc,
            regarding=fields.get("for"),
            if_conditions=fields.get("if", ()),
            until_conditions=fields.get("until", ()),
            according_to=fields.get("according-to"),
            hedges=tuple(fields["hedges"]),
            status=fields.get("status"),
            date=fields.get("date"),
            since=fields.get("since"),
            prefix=target.prefix if target else None,
            suffix=target.suffix if target else None,
            start=start,
            end=end,
            note=fields.get("note"),
            locs=locs,
        )

    def _statement(self, a: Annotation, target: Target | None, keyed: dict[str | None, list[Tag]],
                   relation_tags: list[Tag]) -> Statement | None:
        quote = self._quote(a, target)
        fields = self._fields(a, keyed, relation_tags)
        missing = [k for k in ("subject", "object") if k not in fields]
        if missing:
            self.problems.append(Problem(a.loc, f"annotation {a.ident} states a relation but has no "
                                         f"{' and no '.join(repr(m + ':') for m in missing)} tag",
                                         "Tag it with subject:NAME and object:NAME (registry ids, labels or aliases)"))
            return None
        if quote is None:
            return None
        return self._make(a, fields, *quote, target)

    def _linked(self, a: Annotation, ends: list[Annotation], keyed: dict[str | None, list[Tag]],
                relation_tags: list[Tag]) -> Statement | None:
        if not relation_tags:
            self.problems.append(Problem(a.loc, f"linking annotation {a.ident} names no relation",
                                         "Tag it with the relation, such as relation:supports"))
            return None
        fields = self._fields(a, keyed, relation_tags)
        spans = []
        for end in ends[:2]:
            target = next((t for t in end.targets if t.exact is not None), None)
            if target is None:
                self.problems.append(Problem(a.loc, f"linking annotation {a.ident}: {end.ident} quotes nothing"))
                return None
            start = target.start
            if start is None or target.end is None:
                _, text = self.text_of(target.source)
                found = find_quote(text, target.exact, prefix=target.prefix, suffix=target.suffix) if text else None
                if found is None or found.how == "fuzzy":
                    self.problems.append(Problem(a.loc, f"linking annotation {a.ident}: cannot tell where {end.ident} is in "
                                                 "the text, to quote the passage between the two",
                                                 "Give the linked annotations TextPositionSelectors, or a target that is "
                                                 "the source's text"))
                    return None
                spans.append((found.start, found.end, target))
            else:
                spans.append((start, target.end, target))
        _, text = self.text_of(spans[0][2].source)
        lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
        if text is None or hi > len(text):
            self.problems.append(Problem(a.loc, f"linking annotation {a.ident}: the source's text is needed to quote the "
                                         "passage between its two ends", "Target the source's plain text (a relative address)"))
            return None
        fields["locs"]["subject"], fields["locs"]["object"] = ends[0].loc, ends[1].loc
        return self._make(a, fields, text[lo:hi], lo, hi, a.loc, None)

    def key(self, a: Annotation) -> str:
        return f"{self.shown}#{a.ident}"

    def _mention(self, a: Annotation, target: Target | None, keyed: dict[str | None, list[Tag]]) -> Mention | None:
        cls, kind = None, None
        for tag in keyed.get(None, []):
            rule = self.mapping.entity(tag.value)
            if rule is not None and rule.cls is not None:
                cls, kind = rule.cls, rule.kind or kind
        for tag in keyed.get("class", []):
            rule = self.mapping.entity(tag.value)
            if rule is None or rule.cls is None:
                self.problems.append(Problem(tag.loc, f"class: {tag.value!r} is not a class",
                                             "Write class:actor, class:proposal or class:condition"))
            else:
                cls, kind = rule.cls, rule.kind or kind
        for tag in keyed.get("kind", []):
            if tag.value not in terms().actor_kinds:
                self.problems.append(Problem(tag.loc, f"unknown actor kind {tag.value!r}",
                                             did_you_mean(tag.value, terms().actor_kinds)))
            else:
                cls, kind = cls or "actor", tag.value
        wikidata = entity = None
        link_loc = None
        for tag in keyed.get("wikidata", []):
            if _WIKIDATA_ID.match(tag.value):
                wikidata, link_loc = tag.value, tag.loc
            else:
                self.problems.append(Problem(tag.loc, f"wikidata: {tag.value!r} is not a Wikidata item id", "Write wikidata:Q801"))
        for tag in keyed.get("entity", []):
            entity, link_loc = tag.value, tag.loc
        for address, where in a.identifying:
            m = _WIKIDATA_IRI.match(address)
            if m:
                wikidata, link_loc = m.group(1), where
                continue
            ident = address
            if address.startswith(self.registry.base):
                ident = address[len(self.registry.base):].partition("/")[2]
            elif address.startswith("stancegraph:"):
                ident = address.partition(":")[2]
            elif re.match(r"^[a-z][a-z0-9+.-]*:", address):
                self.problems.append(Problem(where, f"cannot tell what {address!r} identifies",
                                             "Identify with a Wikidata item or a registry entry (its id or address)"))
                continue
            entity, link_loc = ident, where
        if entity and entity in self.registry.entities and cls is None:
            cls = self.registry.entities[entity].cls
        if cls is None:
            if wikidata or entity:
                self.problems.append(Problem(a.loc, f"annotation {a.ident} identifies something but says not what it is",
                                             "Tag it actor, proposal or condition"))
            return None
        quote = self._quote(a, target)
        if quote is None:
            return None
        mention = Mention(self.key(a), quote[0], cls, a.loc, kind=kind, wikidata=wikidata, entity=entity, link_loc=link_loc)
        mention.notes = list(a.notes)
        return mention

    def _source(self, address: str | None, first: Annotation, taken: set[str]) -> Source:
        given = self.mapping.source_document(address) if address else None
        if given is None:
            meta_doc = Document(self.shown, {"source": {}}, {(): first.loc})
        else:
            meta_doc = Document(given.path, {"source": dict(given.data["source"])}, given.positions)
        meta = meta_doc.data["source"]
        ref, text = self.text_of(address)
        parts = urlsplit(address or "")
        if "id" not in meta:
            stem = Path(unquote(parts.path)).stem if parts.path.strip("/") else parts.netloc
            meta["id"] = unique(slug(stem or (first.title or ""), "source"), taken)
        meta.setdefault("title", first.title or (text and title_of(text)) or address or self.path.stem)
        if parts.scheme in ("http", "https") and "url" not in meta:
            meta["url"] = address
        source = source_from_document(meta_doc)
        source.path = self.shown
        if ref is not None:
            source.text = ref
            source.locs.setdefault("text", first.loc)
        if ("source", "id") not in meta_doc.positions:
            source.loc = first.loc
        return source


__all__ = ["MENTION_TAGS", "STATEMENT_TAGS", "WebAnnotationImporter", "importer", "read_web_annotations"]


class WebAnnotationImporter:
    """W3C Web Annotation JSON-LD (an annotation, a list, a collection or page) and Hypothesis exports."""

    name = "webanno"
    title = "W3C Web Annotation (and Hypothesis exports)"
    suffixes = WEB_ANNOTATION_SUFFIXES

    def claims_folder(self, folder: Path, names: list[str]) -> bool:
        return False

    def claims_file(self, path: Path) -> bool:
        return is_web_annotation_file(path)

    def read(self, path: Path, registry: Registry) -> Imported:
        sources, entities, problems = read_web_annotations(path, registry)
        return Imported(sources, entities, problems)


importer = WebAnnotationImporter()
