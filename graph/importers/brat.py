"""Reading brat standoff annotation: a folder of ``.txt`` + ``.ann`` pairs, into the model.

Every line kind brat writes is read (https://brat.nlplab.org/standoff.html):

====  =====================================================  ==========================================
T     ``T1<tab>Person 0 5;10 15<tab>words``                  a mention (spans may be discontinuous)
R     ``R1<tab>Supports Arg1:T1 Arg2:T2``                    a statement: subject, relation, object
E     ``E1<tab>Support:T3 Agent:T1 Theme:T2 Condition:T4``   a statement per subject and object; the
                                                             trigger's span is the quote
\\*    ``*<tab>Equiv T1 T2``                                  the mentions name the same thing
A, M  ``A1<tab>Speculation E1``, ``A2<tab>Hedge E1 could``   hedges, statuses, relation changes, kinds
N     ``N1<tab>Reference T1 Wikidata:Q801<tab>Israel``      links a mention to Wikidata or the registry
\\#    ``#1<tab>AnnotatorNotes T1<tab>text``                  a note on the entry or statement
====  =====================================================  ==========================================

The lines are parsed by :mod:`.brat_format`. Types mean what the mapping says (:mod:`.mapping`); ``annotation.conf``, when there is one, declares
which types exist (types outside it are reported) and their hierarchy (a type without a mapping of its
own takes its parent's). Mentions become registry entries (:mod:`.mentions`). Offsets are checked
against the ``.txt``; a statement's quote is the text its spans cover, so it is exact by construction.
Every problem names the ``.ann`` line (1-based) and column.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from ..errors import InputProblems, Loc, Problem, display_path
from ..limits import read_bounded
from ..model import Entity, Registry, Source, Statement
from ..names import did_you_mean, slug, title_of, unique
from ..native import source_from_document
from ..voice import VOICE
from ..project import find_upwards
from ..yamlread import Document
from .draft import Scheme, unmapped_group, unmapped_hint
from .brat_format import CONF_FILENAME, AnnFile, Attribute, Conf, Field, Link, TextBound, parse_ann, read_conf
from .mapping import Effects, Mapping, RelationRule, find_mapping, read_mapping
from .brat_arguments import alias_joins, author_mention, report_chains, voice_statements
from .mentions import Mention, resolve_mentions
from .merges import merge_warnings
from .protocol import Imported
from .spans import LineIndex, find_quote, read_text, span_quote

_WIKIDATA = re.compile(r"^Q[1-9][0-9]{0,11}$")


def _declared(name: Field, declared: dict[str, object] | set[str], section: str, conf: Conf, problems: list[Problem]) -> None:
    if name.text not in declared:
        hint = did_you_mean(name.text, declared) or f"Declare it under [{section}] in {conf.path}, or fix the type"
        problems.append(Problem(name.loc, f"the type {name.text!r} is not declared in {conf.path}", hint))


# ----------------------------------------------------------------------------- reading a folder


def read_brat(path: Path, registry: Registry) -> Imported:
    """The sources and new registry entries of a brat folder (or of one .ann file), every problem, and
    the warnings (an alias joining two names that share nothing)."""
    folder = path if path.is_dir() else path.parent
    ann_paths = sorted(folder.glob("*.ann")) if path.is_dir() else [path]
    mapping_path = find_mapping(folder)
    mapping, problems = read_mapping(mapping_path)
    conf_path = find_upwards(folder, CONF_FILENAME)
    conf = read_conf(conf_path) if conf_path else None
    docs = []
    for ann_path in ann_paths:
        doc = _read_ann(ann_path, problems)
        if doc is not None:
            _check_doc(doc, conf, problems)
            docs.append(doc)
    reader = _Reader(mapping, conf, problems)
    for doc in docs:
        reader.collect(doc)
    ids, entities, found = resolve_mentions(reader.mentions, reader.same, registry)
    problems += found
    sources = []
    taken: set[str] = set()
    for doc in docs:
        source = reader.source(doc, taken)
        taken.add(source.id)
        source.voice = ids.get(f"{doc.shown}:@author", source.voice)
        source.statements = reader.statements(doc, ids)
        source.statements += voice_statements(reader, doc, ids, source.voice if source.voice in ids.values() else VOICE)
        sources.append(source)
    return Imported(sources, entities, problems, warnings=merge_warnings(reader.joins, reader.mentions, ids))


def _read_ann(path: Path, problems: list[Problem]) -> AnnFile | None:
    shown = display_path(path)
    text_path = path.with_suffix(".txt")
    if not text_path.is_file():
        problems.append(Problem(Loc(shown), f"there is no {text_path.name} beside {path.name}",
                                "brat keeps each document's text in a .txt file of the same name"))
        return None
    text, problem = read_text(text_path, display_path(text_path), Loc(shown))
    if problem is not None:
        problems.append(problem)
        return None
    try:
        raw = read_bounded(path, shown).decode("utf-8-sig")
    except InputProblems as exc:
        problems.extend(exc.problems)
        return None
    except UnicodeDecodeError:
        problems.append(Problem(Loc(shown), "the file is not UTF-8 text", "Save it as UTF-8"))
        return None
    assert text is not None
    doc = AnnFile(path.stem, path, shown, text, text_path.name)
    parse_ann(doc, raw, problems)
    return doc


def _check_doc(doc: AnnFile, conf: Conf | None, problems: list[Problem]) -> None:
    """Offsets against the text, references to ids, types against annotation.conf."""
    index = LineIndex(doc.text)
    text_shown = display_path(doc.path.with_suffix(".txt"))
    for tb in list(doc.bounds.values()):
        fragments = []
        for start, end in tb.spans:
            fragment, problem = span_quote(doc.text, start, end, tb.type.loc, text_shown, what=tb.id)
            if problem is not None:
                problems.append(problem)
                break
            fragments.append(fragment)
        if len(fragments) < len(tb.spans):
            del doc.bounds[tb.id]
            continue
        actual = " ".join(fragments)
        if actual != tb.words:
            moved = find_quote(doc.text, tb.words, start=tb.start) if len(tb.spans) == 1 else None
            where = ""
            if moved is not None and moved.how == "exact":
                line, col = index.line_col(moved.start)
                where = f"; {tb.words!r} is at {moved.start}-{moved.end} ({text_shown}:{line}:{col})"
            problems.append(Problem(tb.loc, f"{tb.id}: the span {tb.start}-{tb.end} of {text_shown} reads {actual!r}, "
                                    f"not {tb.words!r}{where}",
                                    "The text changed after annotation, or the offsets are wrong: fix the offsets "
                                    "(or annotate again in brat)"))
            del doc.bounds[tb.id]
    known = set(doc.ids)
    # a missing annotation is one cause, however many others refer to it: reported once, at the first
    # reference, naming every annotation that refers to it
    missing: dict[str, list[tuple[Field, str, str]]] = {}  # id → (reference, the annotation's id, its role)
    for link in doc.links.values():
        for role, target in ([(Field("trigger", link.loc), link.trigger)] if link.trigger else []) + link.args:
            if target.text not in known:
                missing.setdefault(target.text, []).append((target, link.id, role.text))
    for ref, what in [(a.target, f"{a.id}") for a in doc.attributes] + [(n.target, n.id) for n in doc.normalizations] + \
            [(f, "#") for f in doc.note_targets] + \
            [(f, "*") for group in doc.equivalences for f in group]:
        if ref.text not in known:
            missing.setdefault(ref.text, []).append((ref, what, ""))
    for target, refs in missing.items():
        if target in doc.broken:
            continue  # its own line was reported: one cause, said once
        first = refs[0][0]
        if len(refs) == 1:
            message = f"{refs[0][1]}: {refs[0][2] + ' ' if refs[0][2] else ''}refers to {target}, which is not in this file"
        else:
            listed = ", ".join(f"{what}{' (' + role + ')' if role else ''} at line {ref.loc.line}" for ref, what, role in refs)
            message = f"{target} is not in this file, and {len(refs)} annotations refer to it: {listed}"
        problems.append(Problem(first.loc, message, "Check the id, or add the annotation it refers to"))
    if conf is None:
        return
    triggers = {link.trigger.text for link in doc.links.values() if link.trigger}
    for tb in doc.bounds.values():
        declared = conf.events if tb.id in triggers else {**conf.entities, **conf.events}
        _declared(tb.type, declared, "events" if tb.id in triggers else "entities", conf, problems)
    for link in doc.links.values():
        if link.trigger:
            _declared(link.type, conf.events, "events", conf, problems)
        else:
            _declared(link.type, conf.relations, "relations", conf, problems)
    for attribute in doc.attributes:
        _declared(attribute.type, conf.attributes, "attributes", conf, problems)
        values = conf.attributes.get(attribute.type.text)
        if values and attribute.value is not None and attribute.value not in values:
            problems.append(Problem(attribute.loc, f"{attribute.id}: {attribute.value!r} is not a value of {attribute.type.text}",
                                    "Use one of " + ", ".join(values)))


class _Reader:
    """Turns parsed .ann files into mentions, then statements and sources, through the mapping."""

    def __init__(self, mapping: Mapping, conf: Conf | None, problems: list[Problem]):
        self.mapping, self.conf, self.problems = mapping, conf, problems
        self.mentions: list[Mention] = []
        self.same: list[list[str]] = []
        self.by_key: dict[str, Mention] = {}
        self.ignored: dict[str, str] = {}  # key → why a text-bound is not a mention
        self.unmapped: dict[str, str] = {}  # key → the unmapped type of a text-bound
        self.joins: list[tuple[list[str], Loc]] = []  # what equivalences and aliases join, and where

    @staticmethod
    def key(doc: AnnFile, ident: str) -> str:
        return f"{doc.shown}:{ident}"

    def _unmapped(self, what: str, name: Field, section: str, parents: list[str] | tuple[str, ...] = ()) -> None:
        """One use of a type the mapping does not know (reported once per type, with the draft's guess)."""
        self.problems.append(Problem(name.loc, f"unknown {what} type {name.text!r}: the mapping does not say what it is",
                                     unmapped_hint(section, name.text, parents), unmapped_group(section, name.text)))

    def collect(self, doc: AnnFile) -> None:
        """The mentions of ``doc`` (its text-bound annotations that are not event triggers)."""
        triggers = {link.trigger.text for link in doc.links.values() if link.trigger}
        for tb in doc.bounds.values():
            key = self.key(doc, tb.id)
            if tb.id in triggers:
                self.ignored[key] = "an event trigger"
                continue
            parents = self.conf.entities.get(tb.type.text, []) if self.conf else []
            rule = self.mapping.entity(tb.type.text, parents)
            if rule is None:
                if self.conf and tb.type.text in self.conf.events or self.mapping.relation(tb.type.text, event=True):
                    self.ignored[key] = "an event trigger without its event"
                    continue
                self._unmapped("entity", tb.type, "entities", parents)
                self.ignored[key] = "of a type the mapping does not know"
                self.unmapped[key] = tb.type.text
                continue
            if rule.cls is None:
                self.ignored[key] = f"a {tb.type.text}, which the mapping ignores"
                continue
            mention = Mention(key, tb.words, rule.cls, tb.loc, kind=rule.kind)
            mention.notes = [text for text, _ in doc.notes.get(tb.id, [])]
            self.mentions.append(mention)
            self.by_key[key] = mention
        if (author := author_mention(self, doc)) is not None:
            self.mentions.append(author)
            self.by_key[author.key] = author
        for attribute in doc.attributes:
            if self.mapping.attribute(attribute.type.text) is None:
                name = attribute.type.text
                self.problems.append(Problem(attribute.type.loc, f"unknown attribute type {name!r}: the mapping does not "
                                             "say what it is", unmapped_hint("attributes", name, more=", or what it "
                                             "does: a hedge, a status or a stance"), unmapped_group("attributes", name)))
                continue
            mention = self.by_key.get(self.key(doc, attribute.target.text))
            if mention is not None:
                effects = self._effects(attribute)
                if effects is not None:
                    if effects.hedges or effects.status or effects.relation or effects.relations:
                        self.problems.append(Problem(attribute.loc, f"{attribute.id}: {attribute.type.text} changes statements, "
                                                     f"and {attribute.target.text} is a mention",
                                                     "Put it on the relation or event, or map it as 'kind:'"))
                    if effects.kind:
                        if mention.cls != "actor":
                            self.problems.append(Problem(attribute.loc, f"{attribute.id}: a kind is for actors"))
                        mention.kind = effects.kind
        for norm in doc.normalizations:
            mention = self.by_key.get(self.key(doc, norm.target.text))
            if mention is None:
                if self.key(doc, norm.target.text) not in self.ignored and norm.target.text in doc.ids:
                    self.problems.append(Problem(norm.target.loc, f"{norm.id}: only mentions (T) can be normalized"))
                continue
            target = self.mapping.database(norm.database.text)
            if target is None:
                self.problems.append(Problem(norm.database.loc, f"{norm.id}: unknown normalization database {norm.database.text!r}",
                                             "Map it in mapping.yaml under 'normalizations:' (wikidata, registry or ignore)",
                                             unmapped_group("normalizations", norm.database.text)))
            elif target == "wikidata":
                if not _WIKIDATA.match(norm.ref):
                    self.problems.append(Problem(norm.database.loc, f"{norm.id}: {norm.ref!r} is not a Wikidata item id",
                                                 "Write the item id, such as Wikidata:Q801"))
                    continue
                mention.wikidata, mention.link_loc, mention.name = norm.ref, norm.loc, mention.name or norm.name
            elif target == "registry":
                mention.entity, mention.link_loc = norm.ref, norm.loc
        for group in doc.equivalences:
            keys = [self.key(doc, f.text) for f in group]
            for f, key in zip(group, keys):
                if key not in self.by_key and key in self.ignored:
                    self.problems.append(Problem(f.loc, f"*: {f.text} is {self.ignored[key]}; only mentions can be equivalent"))
            self.same.append([k for k in keys if k in self.by_key])
            self.joins.append((self.same[-1], group[0].loc))
        for keys, loc in alias_joins(self, doc):
            self.same.append(keys)
            self.joins.append((keys, loc))

    def _effects(self, attribute: Attribute) -> Effects | None:
        rule = self.mapping.attribute(attribute.type.text)
        if rule is None or rule.target is not None:
            return None  # unknown: reported by collect(); a stance toward a target: see brat_arguments
        return rule.effects_for(attribute.value, attribute.loc, self.problems)

    def source(self, doc: AnnFile, taken: set[str]) -> Source:
        given = self.mapping.source_document(doc.stem)
        if given is None:
            meta_doc = Document(doc.shown, {"source": {}}, {(): Loc(doc.shown, 1, 1)})
        else:
            meta_doc = Document(given.path, {"source": dict(given.data["source"])}, given.positions)
        meta = meta_doc.data["source"]
        meta.setdefault("id", unique(slug(doc.stem, "source"), taken))
        meta.setdefault("title", title_of(doc.text) or doc.stem)
        source = source_from_document(meta_doc)
        source.path = doc.shown
        source.text = doc.text_name
        source.locs.setdefault("text", Loc(doc.shown, 1, 1))
        if ("source", "id") not in meta_doc.positions:
            source.loc = Loc(doc.shown, 1, 1)
        return source

    def statements(self, doc: AnnFile, ids: dict[str, str]) -> list[Statement]:
        attributes: dict[str, list[Attribute]] = defaultdict(list)
        for attribute in doc.attributes:
            attributes[attribute.target.text].append(attribute)
        out: list[Statement] = []
        chains = report_chains(self, doc, ids)
        for link in doc.links.values():
            made = self._link(doc, link, ids, attributes)
            for st in made if link.id in chains else ():
                st.according_to = chains[link.id][0] + (st.according_to or ())
                st.locs.setdefault("according-to", chains[link.id][1])
            out.extend(made)
        return out

    def _link(self, doc: AnnFile, link: Link, ids: dict[str, str], attributes: dict[str, list[Attribute]]) -> list[Statement]:
        event = link.trigger is not None
        rule: RelationRule | None = self.mapping.relation(
            link.type.text, event=event, parents=self.conf.events.get(link.type.text, []) if event and self.conf else ())
        if rule is None:
            self._unmapped("event" if event else "relation", link.type, "events" if event else "relations",
                           self.conf.events.get(link.type.text, []) if event and self.conf else ())
            return []
        if rule.relation is None:
            return []
        roles: dict[str, list[tuple[str, Field]]] = defaultdict(list)
        spans: list[TextBound] = []
        failed = False
        for role, target in link.args:
            where = self.mapping.role(role.text, rule)
            if where is None:
                self.problems.append(Problem(role.loc, f"{link.id}: unknown role {role.text!r}: the mapping does not say "
                                             "what it is", "Map it in mapping.yaml under 'roles:' (subject, object, for, if, "
                                             "until, according-to or ignore)", unmapped_group("roles", role.text)))
                failed = True
                continue
            if where == "ignore":
                continue
            key = self.key(doc, target.text)
            if key not in ids:
                if target.text in doc.ids:
                    why = self.ignored.get(key) or ("an event" if target.text in doc.links else "not a mention")
                    unmapped = self.unmapped.get(key)
                    self.problems.append(Problem(target.loc, f"{link.id}: its {role.text} is {target.text}, {why}"
                                                 + (f" ({unmapped})" if unmapped else ""),
                                                 "Arguments must be mentions of actors, proposals or conditions",
                                                 None if unmapped is None else (*unmapped_group("entities", unmapped),
                                                                                "argument")))
                failed = True
                continue
            roles[where].append((ids[key], target))
            spans.append(doc.bounds[target.text])
        if event:
            trigger = doc.bounds.get(link.trigger.text) if link.trigger else None
            if trigger is None:
                return []
            quote_spans = [trigger]
        else:
            quote_spans = spans
        if rule.reverse:
            roles["subject"], roles["object"] = roles.get("object", []), roles.get("subject", [])
        for needed in ("subject", "object"):
            if not roles.get(needed) and not failed:
                names = [r for r, f in self.mapping.roles.items() if f == needed][:3]
                self.problems.append(Problem(link.loc, f"{link.id}: no {needed}", f"Give it an argument that the mapping "
                                             f"reads as its {needed} ({', '.join(names)})"))
                failed = True
        if failed or not quote_spans:
            return []
        start = min(t.start for t in quote_spans)
        end = max(t.end for t in quote_spans)
        quote, problem = span_quote(doc.text, start, end, link.loc, display_path(doc.path.with_suffix(".txt")), what=link.id)
        if problem is not None:  # not after _check_doc, which keeps only the spans inside the text
            self.problems.append(problem)
            return []
        relation, hedges, status = rule.relation, list(rule.hedges), None
        locs = {"relation": link.type.loc, "quote": link.loc, "start": link.loc, "end": link.loc, "hedge": link.type.loc}
        targets = [link.id] + ([link.trigger.text] if link.trigger else [])
        for attribute in (a for t in targets for a in attributes.get(t, [])):
            effects = self._effects(attribute)
            if effects is None:
                continue
            if effects.kind:
                self.problems.append(Problem(attribute.loc, f"{attribute.id}: a kind is for mentions of actors"))
            hedges += [h for h in effects.hedges if h not in hedges]
            if effects.hedges:
                locs["hedge"] = attribute.loc
            if effects.status:
                status, locs["status"] = effects.status, attribute.loc
            if effects.relation:
                relation, locs["relation"] = effects.relation, attribute.loc
            if effects.relations:
                if relation not in effects.relations:
                    self.problems.append(Problem(attribute.loc, f"{attribute.id}: the mapping of {attribute.type.text} "
                                                 f"({effects.loc}) says nothing about {relation!r} statements",
                                                 f"Add '{relation}: RELATION' under its 'relations:'"))
                    continue
                relation, locs["relation"] = effects.relations[relation], attribute.loc
        for role, pairs in roles.items():
            locs[role] = pairs[0][1].loc
        notes = [text for t in targets for text, _ in doc.notes.get(t, [])]
        if notes:
            locs["note"] = doc.notes.get(link.id, doc.notes.get(targets[-1], [("", link.loc)]))[0][1]
        according = tuple(i for i, _ in roles.get("according-to", [])) or None
        out = []
        for subject, _ in roles["subject"]:
            for obj, _ in roles["object"]:
                out.append(Statement(
                    subject=subject,
                    relation=relation,
                    object=obj,
                    quote=quote,
                    loc=link.loc,
                    regarding=roles["for"][0][0] if roles.get("for") else None,
                    if_conditions=tuple(i for i, _ in roles.get("if", [])),
                    until_conditions=tuple(i for i, _ in roles.get("until", [])),
                    according_to=according,
                    hedges=tuple(hedges),
                    status=status,
                    start=start,
                    end=end,
                    note="\n".join(notes) or None,
                    locs=dict(locs),
                ))
        return out


__all__ = ["BratImporter", "importer", "read_brat"]


class BratImporter:
    """brat standoff: a folder of ``.txt`` + ``.ann`` pairs (with its ``annotation.conf``), or one ``.ann``."""

    name = "brat"
    title = "brat standoff"
    suffixes = (".ann",)

    def claims_folder(self, folder: Path, names: list[str]) -> bool:
        return any(name.endswith(".ann") for name in names)

    def claims_file(self, path: Path) -> bool:
        return path.suffix.lower() == ".ann"

    def read(self, path: Path, registry: Registry) -> Imported:
        return read_brat(path, registry)

    def scheme(self, path: Path) -> Scheme:
        return brat_scheme(path)


importer = BratImporter()


def brat_scheme(path: Path) -> Scheme:
    """The types annotation.conf declares and the .ann files under ``path`` use (for ``mapping draft``).
    Files that cannot be read are passed over: building reports them."""
    folder = path if path.is_dir() else path.parent
    scheme = Scheme("brat standoff")
    conf_path = find_upwards(folder, CONF_FILENAME)
    if conf_path is not None:
        conf = read_conf(conf_path)
        for name, parents in conf.entities.items():
            scheme.declare("entities", name, parents)
        for name, parents in conf.events.items():
            scheme.declare("events", name, parents)
        for name in sorted(conf.relations):
            scheme.declare("relations", name)
        for name, values in conf.attributes.items():
            scheme.declare("attributes", name, values=values or ())
    for ann_path in sorted(folder.glob("*.ann")) if path.is_dir() else [path]:
        doc = _read_ann(ann_path, [])
        if doc is None:
            continue
        scheme.documents.append(ann_path.stem)
        triggers = {link.trigger.text for link in doc.links.values() if link.trigger}
        for tb in doc.bounds.values():
            if tb.id not in triggers:
                scheme.use("entities", tb.type.text, tb.type.loc)
        for link in doc.links.values():
            if link.trigger is not None:
                roles = [(role.text, "link" if target.text in doc.links else "mention") for role, target in link.args]
                scheme.use("events", link.type.text, link.type.loc, roles=roles)
                continue
            types = [doc.bounds[target.text].type.text if target.text in doc.bounds else "?" for _, target in link.args]
            ends = (types[0], types[1]) if len(types) == 2 else None
            scheme.use("relations", link.type.text, link.type.loc, ends=ends)
        for attribute in doc.attributes:
            target = attribute.target.text
            on = "events" if target in triggers or (target in doc.links and doc.links[target].trigger) else \
                "relations" if target in doc.links else "entities"
            on_type = doc.bounds[target].type.text if on == "entities" and target in doc.bounds else None
            scheme.use("attributes", attribute.type.text, attribute.type.loc, value=attribute.value or "(set)", on=on,
                       on_type=on_type)
    return scheme
