"""Reading Label Studio's full JSON export (Export → JSON) into the model.

The export is a list of tasks. Each task has ``data`` (the text, under a key such as ``text``, and any
other fields of the imported task) and ``annotations``, one per annotator, each with a ``result``
list. stancegraph reads these results (https://labelstud.io/guide/task_format):

==========  ========================================================  =====================================
labels      ``value: {start, end, text, labels}`` and an ``id``       a mention: its label is an entity type
relation    ``from_id``, ``to_id``, ``direction``, ``labels``         a statement between two mentions
choices     ``value: {choices}``, on a region (same ``id``) or task   read as a valued attribute (mapping)
textarea    ``value: {text}`` on a region                             a note on the mention
==========  ========================================================  =====================================

What labels mean is the mapping's business (:mod:`.mapping`: ``entities:``, ``relations:``,
``attributes:`` keyed by the control's ``name``), and the ``labelstudio:`` section says which data keys
hold the text and the source's fields and which annotations are read. Mentions become registry
entries through :mod:`.mentions`. A statement's quote is the text from the start of the first of its
two regions to the end of the second (brat's rule); the task's text is the source's
:attr:`~stancegraph.graph.model.Source.content`, so that the quote is anchored and checked like any.

Offsets: Label Studio counts Unicode code points (Python string indices) since 2022; older versions
counted UTF-16 units (JavaScript string length), which differs after an emoji or any character outside
the Basic Multilingual Plane. A region whose code-point offsets do not give its ``text`` but whose UTF-16
offsets do is read with the latter, converted.

JSON-MIN, CSV and TSV exports leave out region ids and relations: they are recognised (by their keys
and columns) and refused with a message saying how to export full JSON.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stancegraph.ontology import terms

from ..errors import InputProblems, Loc, Problem, display_path
from ..model import Registry, Source, Statement
from ..names import kebab, slug, title_of, unique
from ..native import source_from_document
from ..schemas import metadata_problems
from ..yamlread import Document
from .draft import DRAFT_HINT, Scheme, unmapped_group, unmapped_hint
from .jsonread import load_json
from .mapping import AttributeRule, Effects, Mapping, find_mapping, read_mapping
from .mentions import Mention, resolve_mentions
from .protocol import Imported

HOW_TO_EXPORT = ("In Label Studio, open the project, click Export, choose JSON (the full export, not JSON-MIN, "
                 "CSV or TSV), and give stancegraph that file")
#: columns Label Studio writes in every CSV and TSV export (and keys of every JSON-MIN record)
CSV_COLUMNS = frozenset({"annotation_id", "annotator", "lead_time"})
READ_TYPES = ("labels", "relation", "choices", "textarea")
#: the source fields the ``labelstudio:`` section can take from a task's data
SOURCE_FIELDS = ("title", "published", "url", "publisher", "author", "language")
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")


# ----------------------------------------------------------------------------- recognising exports


def _is_task(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("data"), dict)


def export_kind(data: Any) -> str | None:
    """``"full"`` for Label Studio's full JSON export (a list of tasks, or one task), ``"json-min"`` for
    its JSON-MIN export (one flat record per annotation), None for anything else."""
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not data or not all(isinstance(item, dict) for item in data):
        return None
    if all(_is_task(item) for item in data) and any(
            isinstance(item.get(key), list) for item in data for key in ("annotations", "completions", "predictions")):
        return "full"
    if all({"annotation_id", "annotator"} <= item.keys() and "annotations" not in item for item in data):
        return "json-min"
    return None


def _looks_like_tasks(data: Any) -> bool:
    """Label Studio tasks, however broken: what the reader reports on rather than another format."""
    items = data if isinstance(data, list) else [data]
    return any(isinstance(item, dict) and ("data" in item or "completions" in item or
                                           {"annotations", "predictions"} <= item.keys()) for item in items)


def is_label_studio_table(path: Path) -> bool:
    """A CSV or TSV export of Label Studio: its header has the columns Label Studio always writes."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline(1 << 16)
    except OSError:
        return False
    columns = {column.strip().strip('"').strip() for column in re.split(r"[,\t;]", header)}
    return CSV_COLUMNS <= columns


# ----------------------------------------------------------------------------- settings


@dataclass
class Settings:
    """The ``labelstudio:`` section of the mapping, checked."""

    text: str
    fields: dict[str, list[str]]
    annotations: str | list[str]
    predictions: bool
    locs: dict[str, Loc]

    @classmethod
    def of(cls, mapping: Mapping) -> Settings:
        values = {key: value for key, (value, _) in mapping.labelstudio.items()}
        locs = {key: loc for key, (_, loc) in mapping.labelstudio.items()}
        fields = {name: [values[name]] if isinstance(values.get(name), str) else list(values.get(name) or [])
                  for name in SOURCE_FIELDS}
        annotations = values.get("annotations", "all")
        if isinstance(annotations, list):
            annotations = [str(a) for a in annotations]
        return cls(values.get("text", "text"), fields, annotations, values.get("predictions") == "read", locs)


# ----------------------------------------------------------------------------- what a task holds


@dataclass
class Region:
    """A ``labels`` result: a span of the task's text and its labels."""

    ident: str
    start: int
    end: int
    labels: list[str]
    loc: Loc
    where: str  # "task 3, annotation 12, result r1", for messages
    key: str  # unique among the mentions of the file
    mention: Mention | None = None
    why_not: str = ""  # why the region is not a mention
    unmapped: bool = False  # a label of it is unknown to the mapping (reported once per label)
    notes: list[str] = field(default_factory=list)


@dataclass
class Annotation:
    """One annotation (or prediction) of a task, with its results sorted by kind."""

    task: str
    ident: str
    who: str
    loc: Loc
    text: str
    task_path: tuple[Any, ...]
    prediction: bool = False
    regions: dict[str, Region] = field(default_factory=dict)
    relations: list[tuple[dict[str, Any], tuple[Any, ...]]] = field(default_factory=list)
    choices: list[tuple[dict[str, Any], tuple[Any, ...]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    effects: list[Effects] = field(default_factory=list)  # of choices on the task: on every statement
    region_effects: dict[str, list[Effects]] = field(default_factory=lambda: defaultdict(list))
    broken: set[str] = field(default_factory=set)  # ids of regions already reported: what refers to them is not
    utf16: bool = False  # offsets count UTF-16 units (older Label Studio): decided once for all its regions

    @property
    def what(self) -> str:
        return f"task {self.task}, {'prediction' if self.prediction else 'annotation'} {self.ident}"


class Tally:
    """Occurrences of one kind of problem, reported once per name with its count and first places."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], list[tuple[Loc, str]]] = defaultdict(list)

    def add(self, kind: str, name: str, loc: Loc, where: str) -> None:
        self.seen[(kind, name)].append((loc, where))

    def problems(self, hints: dict[str, str]) -> list[Problem]:
        out = []
        for (kind, name), places in self.seen.items():
            shown = "; ".join(f"{where} ({loc})" for loc, where in places[:3])
            more = f" and {len(places) - 3} more" if len(places) > 3 else ""
            times = "once" if len(places) == 1 else f"{len(places)} times"
            section = _SECTIONS.get(kind, kind)
            hint = unmapped_hint(section, name) if kind in _SECTIONS else hints[kind].format(name=name)
            out.append(Problem(places[0][0], f"{kind} {name!r}, used {times}: {shown}{more}: the mapping does not say "
                               "what it is", hint, unmapped_group(section, name), len(places)))
        return out


#: the mapping's section for each kind of unmapped name
_SECTIONS = {"unknown label": "entities", "unknown relation label": "relations", "unknown control": "attributes"}
_HINTS = {
    "unread result type": "stancegraph reads labels, relation, choices and textarea results on a Text; leave this "
                          "control out with 'attributes: {{CONTROL: ignore}}' in mapping.yaml (CONTROL: its name); "
                          + DRAFT_HINT,
}


def _who(annotation: dict[str, Any]) -> tuple[str, set[str]]:
    """The annotator as shown, and every way the mapping may name them (e-mail, numeric id)."""
    person = annotation.get("completed_by")
    names: set[str] = set()
    if isinstance(person, dict):
        names |= {str(person[k]) for k in ("email", "id") if person.get(k) is not None}
        shown = str(person.get("email") or person.get("id") or "")
    elif person is not None:
        names.add(str(person))
        shown = f"user {person}"
    else:
        shown = ""
    username = annotation.get("created_username")
    if isinstance(username, str) and username.strip():  # "ana@example.org, 3"
        email, _, ident = username.partition(",")
        names |= {email.strip(), ident.strip()} - {""}
        if not shown or shown.startswith("user "):
            shown = email.strip() or shown
    if annotation.get("model_version"):
        shown = f"model {annotation['model_version']}"
    return shown or "an unnamed annotator", names


def utf16_index(text: str, unit: int) -> int | None:
    """The code-point index of the UTF-16 offset ``unit`` of ``text`` (None inside a surrogate pair or past
    the end)."""
    count = 0
    for index, char in enumerate(text):
        if count == unit:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
        if count > unit:
            return None
    return len(text) if count == unit else None


def locate(text: str, start: int, end: int, words: str | None, utf16: bool = False) -> tuple[int, int] | None:
    """The code-point span of a region whose offsets count code points, or UTF-16 units (``utf16``: older
    Label Studio), when it gives the region's ``words`` (if given)."""
    if utf16:
        s, e = utf16_index(text, start), utf16_index(text, end)
        if s is None or e is None:
            return None
        start, end = s, e
    if 0 <= start <= end <= len(text) and (words is None or text[start:end] == words):
        return start, end
    return None


def counts_utf16(text: str, results: list[Any]) -> bool:
    """Whether the regions of one annotation count UTF-16 units rather than code points: the two differ
    only after a character outside the Basic Multilingual Plane, and the same export counts one way
    throughout, so the choice is made once, for all regions: UTF-16 when some region reads its words
    only that way and none reads them only as code points."""
    if not any(ord(c) > 0xFFFF for c in text):
        return False
    code_points = utf16 = 0
    for result in results:
        value = result.get("value") if isinstance(result, dict) and result.get("type") == "labels" else None
        if not isinstance(value, dict):
            continue
        start, end, words = value.get("start"), value.get("end"), value.get("text")
        if not (type(start) is int and type(end) is int and isinstance(words, str)):
            continue
        as_points, as_units = locate(text, start, end, words), locate(text, start, end, words, utf16=True)
        if as_points and not as_units:
            code_points += 1
        elif as_units and not as_points:
            utf16 += 1
    return utf16 > 0 and code_points == 0


# ----------------------------------------------------------------------------- reading


def read_labelstudio(path: Path, registry: Registry) -> Imported:
    """The sources and new registry entries of a Label Studio export, and every problem found."""
    shown = display_path(path)
    if path.suffix.lower() in (".csv", ".tsv"):
        return Imported(problems=[Problem(Loc(shown, 1, 1), f"this is a Label Studio {path.suffix[1:].upper()} export, "
                                          "which leaves out region ids and relations: stancegraph reads the full "
                                          "JSON export", HOW_TO_EXPORT)])
    try:
        doc = load_json(path, shown)
    except InputProblems as exc:
        return Imported(problems=exc.problems)
    kind = export_kind(doc.data)
    if kind == "json-min":
        return Imported(problems=[Problem(doc.loc(), "this is Label Studio's JSON-MIN export, which leaves out region "
                                          "ids and relations: stancegraph reads the full JSON export", HOW_TO_EXPORT)])
    if kind is None and not _looks_like_tasks(doc.data):
        from .webanno import importer as webanno  # a .json file of no known shape: the other JSON format says why

        return webanno.read(path, registry)
    mapping, problems = read_mapping(find_mapping(path.parent))
    reader = _Reader(path, shown, doc, mapping, problems)
    return reader.read(registry)


class _Reader:
    def __init__(self, path: Path, shown: str, doc: Document, mapping: Mapping, problems: list[Problem]):
        self.path, self.shown, self.doc, self.mapping, self.problems = path, shown, doc, mapping, problems
        self.settings = Settings.of(mapping)
        self.tally = Tally()
        self.mentions: list[Mention] = []
        self.vocab = terms()

    def problem(self, path: tuple[Any, ...], message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.doc.loc(*path), message, hint))

    # -- tasks and their annotations

    def read(self, registry: Registry) -> Imported:
        tasks = self.doc.data if isinstance(self.doc.data, list) else [self.doc.data]
        prefix = () if isinstance(self.doc.data, list) else None
        read: list[tuple[dict[str, Any], tuple[Any, ...], list[Annotation], list[str]]] = []
        for i, task in enumerate(tasks):
            tpath = (i,) if prefix is not None else ()
            picked, skipped = self._annotations(task, tpath)
            if picked or skipped:
                read.append((task, tpath, picked, skipped))
        if not read and not self.problems:
            predictions = any(isinstance(task, dict) and task.get("predictions") for task in tasks)
            self.problem((), "no annotations in this file: none of its tasks is annotated",
                         "Annotate in Label Studio and export again" + (
                             "; its model predictions are read with 'labelstudio: {predictions: read}' in mapping.yaml"
                             if predictions else ""))
        for _, _, picked, _ in read:
            for annotation in picked:
                self._mentions(annotation)
        publishers = self._publisher_mentions(read)
        ids, entities, found = resolve_mentions(self.mentions, [], registry)
        self.problems += found
        sources: list[Source] = []
        taken: set[str] = set()
        for task, tpath, picked, skipped in read:
            sources += self._sources(task, tpath, picked, skipped, ids, publishers, taken)
        self.problems += self.tally.problems(_HINTS)
        return Imported(sources, entities, self.problems)

    def _task_id(self, task: dict[str, Any], tpath: tuple[Any, ...]) -> str:
        ident = task.get("id")
        return str(ident) if isinstance(ident, (int, str)) else f"#{(tpath[0] if tpath else 0) + 1}"

    def _text(self, task: dict[str, Any], tpath: tuple[Any, ...]) -> str | None:
        key = self.settings.text
        text = task["data"].get(key)
        if isinstance(text, str):
            return text
        strings = [k for k, v in task["data"].items() if isinstance(v, str) and len(v) > 40]
        hint = (f"Say which key holds the text with 'labelstudio: {{text: {strings[0]}}}' in mapping.yaml"
                if strings else "The task's text must be in its data, as a Text control's value")
        if key in task["data"]:
            self.problem(tpath + ("data", key), f"task {self._task_id(task, tpath)}: data.{key} is not a text", hint)
        else:
            self.problem(tpath + ("data",), f"task {self._task_id(task, tpath)}: there is no data.{key} (its keys: "
                         f"{', '.join(task['data']) or 'none'})", hint)
        return None

    def _annotations(self, task: Any, tpath: tuple[Any, ...]) -> tuple[list[Annotation], list[str]]:
        """The annotations of a task to read, and what is said of those left out."""
        if not _is_task(task):
            self.problem(tpath, "not a Label Studio task: it has no 'data'", HOW_TO_EXPORT)
            return [], []
        key = "annotations" if "annotations" in task else "completions"
        listed = [(a, tpath + (key, i), False) for i, a in enumerate(task.get(key) or [])]
        if self.settings.predictions:
            listed += [(p, tpath + ("predictions", i), True) for i, p in enumerate(task.get("predictions") or [])]
        if not listed:
            return [], []
        text = self._text(task, tpath)
        if text is None:
            return [], []
        tid = self._task_id(task, tpath)
        picked: list[tuple[Annotation, set[str], bool]] = []
        skipped: list[str] = []
        for item, apath, prediction in listed:
            if not isinstance(item, dict) or not isinstance(item.get("result", []), list):
                self.problem(apath, f"task {tid}: an annotation is an object with a 'result' list", HOW_TO_EXPORT)
                continue
            shown, names = _who(item)
            ident = str(item.get("id", f"#{apath[-1] + 1}"))
            what = f"{'prediction' if prediction else 'annotation'} {ident} by {shown}"
            if item.get("was_cancelled") or item.get("skipped"):
                skipped.append(f"{what} (cancelled: the annotator skipped the task)")
                continue
            annotation = Annotation(tid, ident, shown, self.doc.loc(*apath), text, tpath, prediction)
            self._results(annotation, item.get("result") or [], apath + ("result",))
            picked.append((annotation, names, bool(item.get("ground_truth"))))
        return self._choose(picked, skipped)

    def _choose(self, picked: list[tuple[Annotation, set[str], bool]], skipped: list[str]) -> tuple[list[Annotation], list[str]]:
        """The annotations the ``labelstudio: annotations:`` setting reads."""
        mode = self.settings.annotations
        if mode == "all" or not picked:
            return [a for a, _, _ in picked], skipped
        if mode == "first":
            keep = next((a for a, _, truth in picked if truth), picked[0][0])
            why = "'labelstudio: {annotations: first}' reads one annotation per task"
        else:
            keep = next((a for person in mode for a, names, _ in picked if person in names), None)
            why = "'labelstudio: annotations:' in mapping.yaml reads the first of the annotators it lists"
        for a, _, _ in picked:
            if a is not keep:
                skipped.append(f"{'prediction' if a.prediction else 'annotation'} {a.ident} by {a.who} ({why})")
        return ([keep] if keep is not None else []), skipped

    # -- results

    def _results(self, a: Annotation, results: list[Any], rpath: tuple[Any, ...]) -> None:
        later: list[tuple[dict[str, Any], tuple[Any, ...]]] = []
        a.utf16 = counts_utf16(a.text, results)
        for j, result in enumerate(results):
            path = rpath + (j,)
            if not isinstance(result, dict):
                self.problem(path, f"{a.what}: a result is an object", HOW_TO_EXPORT)
                continue
            kind = result.get("type")
            control = result.get("from_name")
            rule = self._control(control) if isinstance(control, str) else None
            if rule is not None and rule.effects is None and rule.values is None:
                continue  # a control the mapping ignores
            if kind == "labels":
                self._region(a, result, path)
            elif kind == "relation":
                a.relations.append((result, path))
            elif kind in ("choices", "textarea"):
                later.append((result, path))
            else:
                self.tally.add("unread result type", str(kind), self.doc.loc(*path, "type"),
                               f"{a.what}, result {result.get('id', j + 1)}")
        for result, path in later:  # after the regions they may be on
            if result["type"] == "textarea":
                self._textarea(a, result, path)
            else:
                self._choices(a, result, path)

    def _control(self, name: str) -> AttributeRule | None:
        """The mapping's ``attributes:`` entry for a control (by its name, or else its name in any case)."""
        rule = self.mapping.attribute(name)
        if rule is None:
            rule = next((r for n, r in self.mapping.attributes.items() if n.lower() == name.lower()), None)
        return rule

    def _region(self, a: Annotation, result: dict[str, Any], path: tuple[Any, ...]) -> None:
        ident = str(result.get("id", ""))
        a.broken.add(ident)  # until it is read
        where = f"{a.what}, result {ident or path[-1] + 1}"
        value = result.get("value")
        if not isinstance(value, dict):
            self.problem(path, f"{where}: a labels result has a 'value' object", HOW_TO_EXPORT)
            return
        start, end, words = value.get("start"), value.get("end"), value.get("text")
        if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
            self.problem(path + ("value",), f"{where}: the region has no numeric start and end (a region of HTML or "
                         "of paragraphs?)", "stancegraph reads regions of a Text control, whose start and end count characters")
            return
        vpath = path + ("value",)
        span = locate(a.text, start, end, words if isinstance(words, str) else None, a.utf16)
        if span is None:
            if not (0 <= start <= end <= len(a.text)):
                self.problem(vpath + ("start",), f"{where}: the region {start}-{end} is outside the task's text "
                             f"({len(a.text)} characters)", "The text changed after annotation, or this is the "
                             f"wrong data key: check 'labelstudio: text:' (now {self.settings.text!r})")
            else:
                self.problem(vpath + ("text",), f"{where}: the region {start}-{end} of the task's text reads "
                             f"{a.text[start:end]!r}, not {words!r}", "The text changed after annotation, or the offsets "
                             "are wrong: annotate it again in Label Studio and export again")
            return
        if not a.text[span[0]:span[1]].strip():
            self.problem(vpath, f"{where}: the region is empty", "Remove it in Label Studio, or label some words")
            return
        labels = value.get("labels")
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            self.problem(vpath, f"{where}: a labels result has a list of 'labels'", HOW_TO_EXPORT)
            return
        a.broken.discard(ident)
        if ident in a.regions:  # the same region labelled through a second Labels control
            a.regions[ident].labels += [x for x in labels if x not in a.regions[ident].labels]
            return
        key = f"{self.shown}#{a.task}/{'p' if a.prediction else 'a'}{a.ident}/{ident}"
        a.regions[ident] = Region(ident, span[0], span[1], list(labels), self.doc.loc(*path), where, key)

    def _textarea(self, a: Annotation, result: dict[str, Any], path: tuple[Any, ...]) -> None:
        texts = (result.get("value") or {}).get("text") if isinstance(result.get("value"), dict) else None
        words = "\n".join(t.strip() for t in (texts if isinstance(texts, list) else [texts]) if isinstance(t, str) and t.strip())
        if not words:
            return
        region = a.regions.get(str(result.get("id")))
        if str(result.get("id")) in a.broken:
            return
        if region is None:
            a.notes.append(words)
        else:
            region.notes.append(words)

    def _choices(self, a: Annotation, result: dict[str, Any], path: tuple[Any, ...]) -> None:
        control = result.get("from_name")
        where = f"{a.what}, result {result.get('id', path[-1] + 1)}"
        value = result.get("value")
        chosen = value.get("choices") if isinstance(value, dict) else None
        if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
            self.problem(path, f"{where}: a choices result has a list of 'choices'", HOW_TO_EXPORT)
            return
        rule = self._control(control) if isinstance(control, str) else None
        if str(result.get("id")) in a.broken:
            return
        if rule is None:
            self.tally.add("unknown control", str(control), self.doc.loc(*path, "from_name") if control else
                           self.doc.loc(*path), where)
            return
        loc = self.doc.loc(*path, "value", "choices")
        target = a.regions.get(str(result.get("id")))
        for choice in chosen:
            effects = rule.effects_for(choice, loc, self.problems)
            if effects is None:
                continue
            if target is not None:
                a.region_effects[target.ident].append(effects)
            elif effects.kind:
                self.problem(path, f"{where}: {control} = {choice} gives an actor kind, and it is on the task, not on a "
                             "region", "Make the choice per region (perRegion=\"true\") or map it to a hedge or status")
            else:
                a.effects.append(effects)

    # -- mentions

    def _mentions(self, a: Annotation) -> None:
        for region in a.regions.values():
            rules = []
            for label in region.labels:
                rule = self.mapping.entity(label)
                if rule is None:
                    self.tally.add("unknown label", label, region.loc, region.where)
                    region.unmapped = True
                else:
                    rules.append((label, rule))
            if region.unmapped:
                continue
            kept = [(label, rule) for label, rule in rules if rule.cls is not None]
            if not kept:
                region.why_not = (f"a {' and '.join(region.labels)}, which the mapping ignores" if region.labels
                                  else "a region without a label")
                continue
            label, rule = kept[0]
            words = a.text[region.start:region.end]
            mention = Mention(region.key, words, rule.cls, region.loc, kind=rule.kind)
            for other, other_rule in kept[1:]:
                if other_rule.cls != rule.cls:
                    self.problems.append(Problem(region.loc, f"{region.where}: the region is labelled both {label} "
                                                 f"({rule.cls}) and {other} ({other_rule.cls})", "Keep one label"))
                elif other_rule.kind and not mention.kind:
                    mention.kind = other_rule.kind
            for effects in a.region_effects.get(region.ident, []):
                if effects.kind:
                    if mention.cls != "actor":
                        self.problems.append(Problem(region.loc, f"{region.where}: a kind is for actors, and "
                                                     f"{words!r} is {mention.cls!r}"))
                    mention.kind = effects.kind
            mention.notes = list(region.notes)
            region.mention = mention
            self.mentions.append(mention)

    def _publisher_mentions(self, read: list[tuple[dict[str, Any], tuple[Any, ...], list[Annotation], list[str]]]) -> dict[str, str]:
        """Each task's publisher, a mention of a news outlet (by task path), so that it resolves to the
        registry entry of that outlet or becomes one."""
        keys = {}
        for task, tpath, _, _ in read:
            found = self._field(task, tpath, "publisher")
            if found is None or not isinstance(found[0], str) or not found[0].strip():
                continue
            key = f"{self.shown}#{self._task_id(task, tpath)}/publisher"
            self.mentions.append(Mention(key, found[0].strip(), "actor", found[1], kind="news-outlet"))
            keys[str(tpath)] = key
        return keys

    # -- sources and statements

    def _field(self, task: dict[str, Any], tpath: tuple[Any, ...], name: str) -> tuple[Any, Loc] | None:
        for key in self.settings.fields.get(name, []):
            if task["data"].get(key) not in (None, ""):
                return task["data"][key], self.doc.loc(*tpath, "data", key)
        return None

    def _sources(self, task: dict[str, Any], tpath: tuple[Any, ...], picked: list[Annotation], skipped: list[str],
                 ids: dict[str, str], publishers: dict[str, str], taken: set[str]) -> list[Source]:
        tid = self._task_id(task, tpath)
        meta: dict[str, Any] = {}
        positions: dict[tuple[Any, ...], Loc] = {(): self.doc.loc(*tpath)}
        for name in SOURCE_FIELDS:
            found = self._field(task, tpath, name)
            if found is None:
                continue
            value, loc = found
            if name == "published" and isinstance(value, str) and (m := _ISO_DATETIME.match(value)):
                value = m.group(1)
            if name == "publisher":
                value = ids.get(publishers.get(str(tpath), ""), value)
            meta[name], positions[("source", name)] = value, loc
        text = picked[0].text if picked else task["data"].get(self.settings.text)
        title = meta.get("title")
        base = slug(title, "source") if isinstance(title, str) and title.strip() else slug(f"{self.path.stem}-{tid}")
        meta.setdefault("title", title_of(text) if isinstance(text, str) and title_of(text) else f"Task {tid}")
        out = []
        for annotation in picked or [None]:
            ident = base
            if len(picked) > 1 and annotation is not None:
                ident = f"{base}-{slug(annotation.who.partition('@')[0], 'annotation')}"
            meta_doc = Document(self.shown, {"source": {**meta, "id": unique(ident, taken)}}, dict(positions))
            found = metadata_problems(meta_doc)
            if found:
                self.problems.extend(found)
                return out
            source = source_from_document(meta_doc)
            source.loc = annotation.loc if annotation is not None else self.doc.loc(*tpath)
            taken.add(source.id)
            source.path = self.shown
            source.content = text if isinstance(text, str) else None
            source.note = self._note(tid, annotation, skipped, picked)
            if annotation is not None:
                source.statements = self._statements(annotation, ids)
            out.append(source)
        return out

    def _note(self, tid: str, annotation: Annotation | None, skipped: list[str], picked: list[Annotation]) -> str:
        lines = [f"Label Studio task {tid} of {self.path.name}" + (
            f", {'prediction' if annotation.prediction else 'annotation'} {annotation.ident} by {annotation.who}."
            if annotation is not None else ": no annotation read.")]
        if annotation is not None:
            lines += annotation.notes
        if skipped:
            lines.append("Not read: " + "; ".join(skipped) + ".")
        return "\n".join(lines)

    def _statements(self, a: Annotation, ids: dict[str, str]) -> list[Statement]:
        out = []
        for result, path in a.relations:
            out += self._relation(a, result, path, ids)
        return out

    def _relation_rule(self, a: Annotation, result: dict[str, Any], path: tuple[Any, ...], where: str) -> tuple[str, list[Effects], tuple[str, ...], bool] | None:
        """The relation a relation result states, the effects of its other labels, its hedges, and whether
        the mapping reverses it; None when it states nothing (or cannot be read)."""
        labels = result.get("labels") or []
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            self.problem(path, f"{where}: a relation's 'labels' is a list of words", HOW_TO_EXPORT)
            return None
        if not labels:
            self.tally.add("unknown relation label", "(none)", self.doc.loc(*path), where)
            return None
        rules, effects, hedges, unknown = [], [], [], False
        for i, label in enumerate(labels):
            rule = self.mapping.relation(label)
            attribute = self._control(label)
            if rule is not None:
                rules.append((label, rule, i))
            elif attribute is not None and attribute.effects is not None:
                effects.append(attribute.effects)
            elif kebab(label) in self.vocab.hedges:
                hedges.append(kebab(label))
            else:
                self.tally.add("unknown relation label", label, self.doc.loc(*path, "labels", i), where)
                unknown = True
        stated = [(label, rule, i) for label, rule, i in rules if rule.relation is not None]
        if unknown or not stated:
            return None
        if len({rule.relation for _, rule, _ in stated}) > 1:
            self.problem(path + ("labels",), f"{where}: the relation is labelled with two relations, "
                         f"{' and '.join(label for label, _, _ in stated)}", "Keep one relation label per relation")
            return None
        _, rule, _ = stated[0]
        return rule.relation, effects, tuple(dict.fromkeys(rule.hedges + tuple(hedges))), rule.reverse

    def _both_ways(self, relation: str, one: Region, other: Region) -> list[tuple[Region, Region]]:
        """The (subject, object) pairs of a bidirectional relation: the end of the relation's subject class
        first, or both ways between two of a kind (negotiates-with, disagrees-with)."""
        assert one.mention is not None and other.mention is not None
        if one.mention.cls == other.mention.cls:
            return [(one, other), (other, one)]
        info = self.vocab.relations.get(relation)
        if info is not None and other.mention.cls == info.subject:
            return [(other, one)]
        return [(one, other)]

    def _relation(self, a: Annotation, result: dict[str, Any], path: tuple[Any, ...], ids: dict[str, str]) -> list[Statement]:
        where = f"{a.what}, relation {result.get('from_id')}→{result.get('to_id')}"
        ends = []
        for name in ("from_id", "to_id"):
            region = a.regions.get(str(result.get(name)))
            if str(result.get(name)) in a.broken:
                return []
            if region is None:
                self.problem(path + ((name,) if name in result else ()), f"{where}: its {name} {result.get(name)!r} is "
                             "no region of this annotation", "Export again from Label Studio; a relation joins two "
                             "labelled regions of the same annotation")
                return []
            ends.append(region)
        found = self._relation_rule(a, result, path, where)
        if found is None:
            return []
        relation, effects, hedges, reverse = found
        for name, region in zip(("from_id", "to_id"), ends):
            if region.mention is None:
                if not region.unmapped:
                    self.problem(path + (name,), f"{where}: its {name} is {region.ident}, {region.why_not}",
                                 "Relations join mentions of actors, proposals or conditions")
                return []
        direction = result.get("direction", "right")
        subject, obj = ends if direction != "left" else ends[::-1]
        if reverse:
            subject, obj = obj, subject
        pairs = [(subject, obj)]
        if direction == "bi":  # the relation's classes say which end is its subject, or else it goes both ways
            pairs = self._both_ways(relation, subject, obj)
        for region in (subject, obj):
            effects = effects + a.region_effects.get(region.ident, [])
        status, hedge_list, locs = None, list(hedges), {}
        loc = self.doc.loc(*path)
        for effect in a.effects + effects:
            hedge_list += [h for h in effect.hedges if h not in hedge_list]
            status = effect.status or status
            if effect.relation:
                relation = effect.relation
            if effect.relations:
                if relation not in effect.relations:
                    self.problem(path, f"{where}: the mapping of a choice ({effect.loc}) says nothing about "
                                 f"{relation!r} statements", f"Add '{relation}: RELATION' under its 'relations:'")
                    return []
                relation = effect.relations[relation]
        lo, hi = min(subject.start, obj.start), max(subject.end, obj.end)
        out = []
        for s, o in pairs:
            locs = {"relation": self.doc.loc(*path, "labels") if "labels" in result else loc, "quote": loc,
                    "start": loc, "end": loc, "subject": s.loc, "object": o.loc}
            if hedge_list:
                locs["hedge"] = locs["relation"]
            assert s.mention is not None and o.mention is not None
            out.append(Statement(subject=ids[s.mention.key], relation=relation, object=ids[o.mention.key],
                                 quote=a.text[lo:hi], loc=loc, hedges=tuple(hedge_list), status=status,
                                 start=lo, end=hi, locs=locs))
        return out


def labelstudio_scheme(path: Path) -> Scheme:
    """The labels, relation labels and controls a Label Studio full export uses, with how often and
    where first (for ``mapping draft``): region labels are entity types, relation labels relation
    types (hedge words, which a relation label may be, are left out), choices and result types
    stancegraph does not read are attributes keyed by their control's name. Annotations and
    predictions alike; an export that cannot be read gives an empty scheme (building says why)."""
    scheme = Scheme("Label Studio")
    try:
        doc = load_json(path, display_path(path))
    except InputProblems:
        return scheme
    if export_kind(doc.data) != "full" and not _looks_like_tasks(doc.data):
        return scheme
    controls = {n.lower(): n for n in read_mapping(find_mapping(path.parent))[0].attributes}
    hedges = terms().hedges
    tasks = doc.data if isinstance(doc.data, list) else [doc.data]
    for i, task in enumerate(tasks):
        if not isinstance(task, dict):
            continue
        tpath = (i,) if isinstance(doc.data, list) else ()
        for key in ("annotations", "completions", "predictions"):
            for j, annotation in enumerate(task.get(key) or [] if isinstance(task.get(key), list) else []):
                results = annotation.get("result") if isinstance(annotation, dict) else None
                if isinstance(results, list):
                    _scheme_of_results(scheme, doc, results, tpath + (key, j, "result"), controls, hedges)
    return scheme


def _scheme_of_results(scheme: Scheme, doc: Document, results: list[Any], rpath: tuple[Any, ...],
                       controls: dict[str, str], hedges: Any) -> None:
    regions: dict[str, str] = {}
    for j, result in enumerate(results):
        value = result.get("value") if isinstance(result, dict) else None
        if isinstance(value, dict) and result.get("type") == "labels" and isinstance(value.get("labels"), list):
            for k, label in enumerate(x for x in value["labels"] if isinstance(x, str)):
                regions.setdefault(str(result.get("id")), label)
                scheme.use("entities", label, doc.loc(*rpath, j, "value", "labels", k))
    for j, result in enumerate(results):
        if not isinstance(result, dict):
            continue
        kind, control = result.get("type"), result.get("from_name")
        name = controls.get(str(control).lower(), str(control))
        value = result.get("value") if isinstance(result.get("value"), dict) else {}
        if kind == "relation" and isinstance(result.get("labels"), list):
            ends = (regions.get(str(result.get("from_id")), "?"), regions.get(str(result.get("to_id")), "?"))
            if result.get("direction") == "left":
                ends = ends[::-1]
            for k, label in enumerate(x for x in result["labels"] if isinstance(x, str) and kebab(x) not in hedges):
                scheme.use("relations", label, doc.loc(*rpath, j, "labels", k), ends=ends)
        elif kind == "choices" and isinstance(value.get("choices"), list):
            on = "entities" if str(result.get("id")) in regions else "relations"
            for choice in (c for c in value["choices"] if isinstance(c, str)):
                scheme.use("attributes", name, doc.loc(*rpath, j, "from_name"), value=choice, on=on)
        elif kind not in READ_TYPES and isinstance(control, str):
            scheme.use("attributes", name, doc.loc(*rpath, j, "type"), on=f"{kind} results, which stancegraph does not read")


class LabelStudioImporter:
    """Label Studio's full JSON export; its JSON-MIN, CSV and TSV exports are recognised and refused."""

    name = "labelstudio"
    title = "Label Studio (full JSON export)"
    suffixes = (".json", ".csv", ".tsv")

    def claims_folder(self, folder: Path, names: list[str]) -> bool:
        return False

    def claims_file(self, path: Path) -> bool:
        suffix = path.suffix.lower()
        if suffix in (".csv", ".tsv"):
            return is_label_studio_table(path)
        if suffix != ".json":
            return False
        try:
            data = json.loads(path.read_bytes())
            return export_kind(data) is not None or _looks_like_tasks(data)
        except (OSError, ValueError, RecursionError):
            return False

    def read(self, path: Path, registry: Registry) -> Imported:
        return read_labelstudio(path, registry)

    def scheme(self, path: Path) -> Scheme:
        return labelstudio_scheme(path)


importer = LabelStudioImporter()

__all__ = ["CSV_COLUMNS", "HOW_TO_EXPORT", "LabelStudioImporter", "export_kind", "importer", "is_label_studio_table",
           "counts_utf16", "labelstudio_scheme", "locate", "read_labelstudio", "utf16_index"]
