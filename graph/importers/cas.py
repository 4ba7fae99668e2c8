"""Reading INCEpTION and WebAnno exports: UIMA CAS XMI, zipped exports and UIMA CAS JSON, with dkpro-cassis.

Inputs:

* a ``.xmi`` file with its ``TypeSystem.xml`` beside it or in the folder above (an unzipped export);
* a ``.zip``: INCEpTION's document export (the ``.xmi`` and ``TypeSystem.xml``) or project export
  (``annotation/<document>/<user>.zip``, each such a document export, or ``.xmi`` files directly, and
  ``curation/<document>/CURATION_USER.*``, which replaces the annotators' copies of that document), read
  in memory, never extracted; a member named with ``..`` or an absolute path, or more than a zip's
  worth of data (a zip bomb), refuses the whole file;
* a UIMA CAS JSON file (``"%TYPES"``, ``"%FEATURE_STRUCTURES"``), which carries its types.

What the layers mean is the mapping's (:mod:`.mapping`): its ``cas:`` section names the feature that
holds each layer's label (the named-entity layer's ``value``) or ignores the layer; the label is then
an entity type (``entities:``) for a span layer, whose annotations are mentions (:mod:`.mentions`), or
a relation (``relations:``) for a relation layer (Governor → Dependent), whose annotations are
statements. The CAS's text (its sofa) is the source's text (``Source.content``); a statement's quote
is the text from the start of the first of its two ends to the end of the last, at the CAS's offsets
(code points: cassis converts UIMA's UTF-16 offsets). ``DocumentMetaData`` gives the source's title,
id and address. Problems name the file (``export.zip!member`` inside a zip) and the line and
``xmi:id`` of the element.
"""

from __future__ import annotations

import io
import json
import re
import warnings
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import Loc, Problem, display_path
from ..model import Entity, Registry, Source, Statement
from ..names import slug, title_of, unique
from ..native import source_from_document
from ..yamlread import Document
from .draft import Scheme, unmapped_group, unmapped_hint
from .mapping import Mapping, find_mapping, read_mapping
from .mentions import Mention, resolve_mentions
from .protocol import Imported

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
DOCUMENT_ANNOTATION = "uima.tcas.DocumentAnnotation"
ANNOTATION = "uima.tcas.Annotation"
TYPESYSTEM = "typesystem.xml"  # compared in lower case: DKPro writes TypeSystem.xml, older tools typesystem.xml
GOVERNOR, DEPENDENT = "Governor", "Dependent"
#: annotation sets of a project export that are no one's annotations
SKIPPED_USERS = ("INITIAL_CAS",)
CURATION_USER = "CURATION_USER"

#: what a zip may hold before it is taken for a zip bomb: uncompressed bytes in all, of one member, the
#: ratio of a large member's size to its compressed size, and members
MAX_TOTAL = 512 * 1024 * 1024
MAX_MEMBER = 256 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 20_000

_WIKIDATA_IRI = re.compile(r"^https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/(Q[1-9][0-9]{0,11})$")
_XMI_ID = re.compile(rb'xmi:id="(\d+)"')
_JSON_ID = re.compile(rb'"%ID"\s*:\s*(\d+)')
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")


# ----------------------------------------------------------------------------- gathering the CASes of an input


@dataclass
class CasFile:
    """One CAS to read: its bytes, how messages name it, and its type system (XMI) or none (JSON)."""

    shown: str
    data: bytes
    json: bool = False
    typesystem: bytes | None = None
    typesystem_shown: str | None = None
    user: str | None = None  # the annotator, in a project export
    document: str | None = None  # the document's name, in a project export


@dataclass
class Gathered:
    """The CASes of one input, the label features its project export names (layer → feature), problems."""

    cases: list[CasFile] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def is_cas_json(head: bytes) -> bool:
    """Whether the start of a JSON file is a UIMA CAS (cassis and UIMA write ``%TYPES`` first, or
    ``%FEATURE_STRUCTURES`` when the types are left out): never a Web Annotation or Label Studio file."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"{") and re.match(rb'\{\s*"%(?:TYPES|FEATURE_STRUCTURES|VIEWS)"', text) is not None


def _typesystem_beside(path: Path) -> Path | None:
    """The type system of an unzipped ``.xmi``: beside it, or in the folder above (INCEpTION's layout)."""
    for folder in (path.parent, path.parent.parent):
        try:
            found = sorted(p for p in folder.iterdir() if p.name.lower() == TYPESYSTEM and p.is_file())
        except OSError:
            continue
        if found:
            return found[0]
    return None


def gather(path: Path) -> Gathered:
    """The CASes of the input at ``path``."""
    shown = display_path(path)
    out = Gathered()
    try:
        data = path.read_bytes()
    except OSError as exc:
        out.problems.append(Problem(Loc(shown), f"cannot read this file: {exc.strerror or exc}"))
        return out
    suffix = path.suffix.lower()
    if suffix == ".zip":
        _gather_zip(data, shown, out, nested=False)
        if not out.cases and not out.problems:
            out.problems.append(Problem(Loc(shown), "no UIMA CAS in this zip (no .xmi file, no CAS JSON)",
                                        "Export from INCEpTION in the format 'UIMA CAS XMI (XML 1.0)' (see "
                                        "docs/input-formats.md)"))
    elif suffix == ".json":
        out.cases.append(CasFile(shown, data, json=True))
    else:
        typesystem = _typesystem_beside(path)
        if typesystem is None:
            out.problems.append(Problem(Loc(shown), "no TypeSystem.xml beside this .xmi file or in the folder above",
                                        "An XMI file needs its type system: give INCEpTION's exported .zip "
                                        "as it is, or put its TypeSystem.xml beside the .xmi"))
            return out
        try:
            ts_data = typesystem.read_bytes()
        except OSError as exc:
            out.problems.append(Problem(Loc(display_path(typesystem)), f"cannot read this file: {exc.strerror or exc}"))
            return out
        out.cases.append(CasFile(shown, data, typesystem=ts_data, typesystem_shown=display_path(typesystem)))
    return out


def _unsafe_name(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return name.startswith(("/", "\\")) or ".." in parts or bool(re.match(r"^[A-Za-z]:", name))


def _open_zip(data: bytes, shown: str, problems: list[Problem]) -> zipfile.ZipFile | None:
    """The zip in ``data``, once its member names and sizes are known to be safe to read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        problems.append(Problem(Loc(shown), f"not a readable zip file ({exc})", "Export the project or document again"))
        return None
    for info in members:
        if _unsafe_name(info.filename):
            problems.append(Problem(Loc(f"{shown}!{info.filename}"), "a member of this zip is named outside the zip "
                                    "('..' or an absolute path); the zip is refused",
                                    "INCEpTION never writes such names: export again from INCEpTION"))
            return None
    total = sum(info.file_size for info in members)
    bomb = next((info for info in members if info.file_size > MAX_MEMBER or (
        info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1))), None)
    if len(members) > MAX_MEMBERS or total > MAX_TOTAL or bomb is not None:
        where = f"{shown}!{bomb.filename}" if bomb is not None else shown
        problems.append(Problem(Loc(where), f"this zip unpacks to too much data ({total:,} bytes in {len(members):,} "
                                "members, or one member compressed more than any export is); the zip is refused",
                                "A zip bomb is refused unread; export again from INCEpTION"))
        return None
    return archive


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, problems: list[Problem]) -> bytes | None:
    """A member's bytes, read no further than its declared size (a zip may lie about it)."""
    try:
        with archive.open(info) as stream:
            data = stream.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        problems.append(Problem(Loc(f"{shown}!{info.filename}"), f"this member of the zip cannot be read ({exc})",
                                "Export again from INCEpTION"))
        return None
    if len(data) > info.file_size:
        problems.append(Problem(Loc(f"{shown}!{info.filename}"), "this member holds more than the zip says; the zip "
                                "is refused", "Export again from INCEpTION"))
        return None
    return data


def _project_place(name: str) -> tuple[str | None, str | None]:
    """(document, user) of a member of a project export: annotation/<document>/<user>.(xmi|zip)."""
    parts = PurePosixPath(name).parts
    if len(parts) == 3 and parts[0] in ("annotation", "curation"):
        return parts[1], PurePosixPath(parts[2]).stem
    return None, None


def _gather_zip(data: bytes, shown: str, out: Gathered, nested: bool, user: str | None = None,
                document: str | None = None) -> None:
    archive = _open_zip(data, shown, out.problems)
    if archive is None:
        return
    infos = [i for i in archive.infolist() if not i.is_dir()]
    by_name = {i.filename: i for i in infos}
    curated = {_project_place(i.filename)[0] for i in infos if i.filename.startswith("curation/")}
    ser_only = False
    for info in infos:
        name = info.filename
        lower = name.lower()
        place_document, place_user = _project_place(name)
        if place_user in SKIPPED_USERS:
            continue
        if name.startswith("annotation/") and place_document in curated:
            continue  # the curated document stands for its annotators' copies
        if lower.endswith(".ser"):
            ser_only = True
            continue
        if PurePosixPath(name).name.startswith("exportedproject") and lower.endswith(".json"):
            raw = _member(archive, info, shown, out.problems)
            if raw is not None:
                out.labels.update(_project_labels(raw))
            continue
        if lower.endswith(".zip") and not nested:
            raw = _member(archive, info, shown, out.problems)
            if raw is not None:
                _gather_zip(raw, f"{shown}!{name}", out, nested=True, user=place_user, document=place_document)
            continue
        if lower.endswith(".json"):
            raw = _member(archive, info, shown, out.problems)
            if raw is not None and is_cas_json(raw[:4096]):
                out.cases.append(CasFile(f"{shown}!{name}", raw, json=True, user=place_user or user,
                                         document=place_document or document))
            continue
        if not lower.endswith(".xmi"):
            continue
        raw = _member(archive, info, shown, out.problems)
        if raw is None:
            continue
        folder = PurePosixPath(name).parent
        candidates = [n for n in by_name if PurePosixPath(n).name.lower() == TYPESYSTEM and
                      PurePosixPath(n).parent in (folder, folder.parent, PurePosixPath("."))]
        candidates.sort(key=lambda n: (PurePosixPath(n).parent != folder, n))
        if not candidates:
            out.problems.append(Problem(Loc(f"{shown}!{name}"), "no TypeSystem.xml beside this .xmi in the zip",
                                        "INCEpTION's XMI export zips each document with its TypeSystem.xml; export again"))
            continue
        ts = _member(archive, by_name[candidates[0]], shown, out.problems)
        if ts is not None:
            out.cases.append(CasFile(f"{shown}!{name}", raw, typesystem=ts, typesystem_shown=f"{shown}!{candidates[0]}",
                                     user=place_user or user, document=place_document or document))
    if ser_only and not out.cases and not out.problems:
        out.problems.append(Problem(Loc(shown), "this project export holds its annotations only as serialized CASes "
                                    "(.ser), which only INCEpTION reads",
                                    "Export the project again with the format 'UIMA CAS XMI (XML 1.0)' "
                                    "(project settings → Export)"))


def _project_labels(raw: bytes) -> dict[str, str]:
    """The label feature of each layer an INCEpTION project export describes: its first string feature
    with a tag set (the feature annotators fill from a list), else its only string feature."""
    try:
        project = json.loads(raw)
    except (ValueError, RecursionError):
        return {}
    out = {}
    for layer in project.get("layers") or [] if isinstance(project, dict) else []:
        if not isinstance(layer, dict) or not isinstance(layer.get("name"), str):
            continue
        strings = [f for f in layer.get("features") or [] if isinstance(f, dict) and f.get("type") == "uima.cas.String"
                   and isinstance(f.get("name"), str)]
        tagged = [f for f in strings if f.get("tag_set")]
        chosen = tagged[0] if tagged else strings[0] if len(strings) == 1 else None
        if chosen is not None:
            out[layer["name"]] = chosen["name"]
    return out


# ----------------------------------------------------------------------------- reading one CAS


@dataclass
class Loaded:
    """A CAS as read: its text, annotations (valid offsets only), metadata and where each element is."""

    file: CasFile
    text: str
    annotations: list[Any]
    metadata: dict[str, str]
    lines: dict[int, Loc]

    def loc(self, fs: Any) -> Loc:
        return self.lines.get(fs.xmiID, Loc(self.file.shown))


def _element_lines(file: CasFile) -> dict[int, Loc]:
    """Line and column of each element (by its xmi:id, or %ID in JSON), for messages."""
    pattern = _JSON_ID if file.json else _XMI_ID
    starts = [0] + [m.end() for m in re.finditer(rb"\n", file.data)]
    out: dict[int, Loc] = {}
    line = 0
    for m in pattern.finditer(file.data):
        while line + 1 < len(starts) and starts[line + 1] <= m.start():
            line += 1
        element = file.data.rfind(b"<", 0, m.start()) if not file.json else m.start()
        element = max(element, starts[line])
        out.setdefault(int(m.group(1)), Loc(file.shown, line + 1, element - starts[line] + 1))
    return out


def _xml_problem(shown: str, data: bytes) -> Problem | None:
    """A refusal of XML that declares a DTD or entities (an XMI never does; a "billion laughs" does)."""
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        pattern = _DTD if encoding == "utf-8" else re.compile(re.escape("<!DOCTYPE".encode(encoding)) + b"|" +
                                                               re.escape("<!ENTITY".encode(encoding)))
        m = pattern.search(data)
        if m:
            line = data.count(b"\n", 0, m.start()) + 1
            return Problem(Loc(shown, line, 1), "this XML declares a DOCTYPE or entities, which no UIMA CAS file does; "
                           "it is refused unread (entity expansion can exhaust memory)",
                           "Give the file INCEpTION exported, unchanged")
    return None


def _load(file: CasFile, problems: list[Problem]) -> Loaded | None:
    """The CAS of ``file``, or None with the problem said."""
    import cassis
    from lxml import etree

    for shown, data in ((file.shown, file.data), (file.typesystem_shown, file.typesystem)):
        if shown is not None and data is not None and not file.json:
            problem = _xml_problem(shown, data)
            if problem is not None:
                problems.append(problem)
                return None
    typesystem = None
    if file.typesystem is not None:
        try:
            typesystem = cassis.load_typesystem(io.BytesIO(file.typesystem))
        except etree.XMLSyntaxError as exc:
            line, col = exc.position if exc.position else (0, 0)
            problems.append(Problem(Loc(file.typesystem_shown or file.shown, line, col + 1 if line else 0),
                                    f"the type system is not well-formed XML: {exc.msg}", "Export again from INCEpTION"))
            return None
        except Exception as exc:  # cassis raises what it meets in a foreign type system; none of it is ours
            problems.append(Problem(Loc(file.typesystem_shown or file.shown), f"not a UIMA type system: {exc}",
                                    "Give the TypeSystem.xml INCEpTION exported with the .xmi"))
            return None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if file.json:
                cas = cassis.load_cas_from_json(io.BytesIO(file.data))
            else:
                cas = cassis.load_cas_from_xmi(io.BytesIO(file.data), typesystem=typesystem)
        except etree.XMLSyntaxError as exc:
            line, col = exc.position if exc.position else (0, 0)
            problems.append(Problem(Loc(file.shown, line, col + 1 if line else 0), f"not well-formed XML: {exc.msg}",
                                    "Export again from INCEpTION (format 'UIMA CAS XMI (XML 1.0)')"))
            return None
        except cassis.typesystem.TypeNotFoundError as exc:
            problems.append(Problem(Loc(file.shown), f"an element's type is not in the type system "
                                    f"{file.typesystem_shown}: {exc}", "Give the TypeSystem.xml exported with this file"))
            return None
        except (ValueError, RecursionError) as exc:
            what = "not UIMA CAS JSON" if file.json else "not a UIMA CAS XMI file"
            problems.append(Problem(Loc(file.shown), f"{what}: {exc}", "Export again from INCEpTION"))
            return None
        except Exception as exc:  # a hostile or foreign file can make cassis fail anywhere
            what = "not UIMA CAS JSON" if file.json else "not a UIMA CAS XMI file"
            problems.append(Problem(Loc(file.shown), f"{what} ({type(exc).__name__}: {exc})", "Export again from INCEpTION"))
            return None
    del caught  # cassis warns of offsets it cannot convert: they are checked below, with the element named
    text = cas.sofa_string
    if not isinstance(text, str):
        problems.append(Problem(Loc(file.shown), "this CAS holds no text (its sofa has no string)",
                                "Export a text document from INCEpTION"))
        return None
    lines = _element_lines(file)
    loaded = Loaded(file, text, [], {}, lines)
    for fs in sorted(cas.select_all_fs(), key=lambda fs: fs.xmiID):
        if not _has_span(fs):
            continue
        begin, end = fs.begin, fs.end
        if not (isinstance(begin, int) and isinstance(end, int) and 0 <= begin <= end <= len(text)):
            problems.append(Problem(loaded.loc(fs), f"{_short(fs.type.name)} xmi:id {fs.xmiID}: its offsets {begin}–{end} "
                                    f"are outside the text ({len(text)} characters)",
                                    "The annotation does not fit this CAS's text; export again from INCEpTION"))
            continue
        if _is_a(fs.type, DOCUMENT_ANNOTATION):
            for key in ("documentTitle", "documentId", "documentUri"):
                value = _feature(fs, key)
                if isinstance(value, str) and value.strip():
                    loaded.metadata.setdefault(key, value.strip())
        loaded.annotations.append(fs)
    return loaded


def _has_span(fs: Any) -> bool:
    return hasattr(fs, "begin") and hasattr(fs, "end") and _is_a(fs.type, ANNOTATION)


def _is_a(cas_type: Any, name: str) -> bool:
    return name in _lineage(cas_type)


def _lineage(cas_type: Any) -> list[str]:
    """A type's name, then its supertypes' names, nearest first."""
    names = []
    while cas_type is not None:
        names.append(cas_type.name)
        cas_type = cas_type.supertype
    return names


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _feature(fs: Any, name: str) -> Any:
    feature = fs.type.get_feature(name)
    return fs.get(name) if feature is not None else None


# ----------------------------------------------------------------------------- from CAS annotations to the model


@dataclass
class _Unmapped:
    """One distinct unmapped label: how often, and where first."""

    what: str  # "entity" or "relation"
    layer: str
    count: int = 0
    firsts: list[Loc] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)


class _Reader:
    def __init__(self, mapping: Mapping, labels: dict[str, str], problems: list[Problem]):
        self.mapping, self.labels, self.problems = mapping, labels, problems
        self.mentions: list[Mention] = []
        self.ignored: dict[str, str] = {}  # mention key → why it is not a mention
        self.unmapped: dict[tuple[str, str], _Unmapped] = {}
        self.unmapped_of: dict[str, str] = {}  # mention key → its label, which the mapping does not know

    @staticmethod
    def key(loaded: Loaded, fs: Any) -> str:
        return f"{loaded.file.shown}#{fs.xmiID}"

    def label_feature(self, cas_type: Any) -> tuple[bool, str | None]:
        """(whether the layer is read, the feature holding its label) for a CAS type."""
        lineage = _lineage(cas_type)
        known, feature = self.mapping.cas_layer(lineage)
        if known:
            return feature is not None, feature
        for name in lineage:
            if name in self.labels:
                return True, self.labels[name]
        strings = [f.name for f in cas_type.all_features if f.rangeType.name == "uima.cas.String"
                   and f.name not in ("sofa", "identifier") and not f.name.startswith("document")]
        return True, strings[0] if len(strings) == 1 else None

    def names(self, fs: Any, feature: str | None) -> list[str]:
        """What the mapping is asked about an annotation, in order: its label, then its layer's names."""
        value = _feature(fs, feature) if feature else None
        out = [value.strip()] if isinstance(value, str) and value.strip() else []
        return out + [n for name in _lineage(fs.type)[:-1] for n in (_short(name), name)
                      if name not in (ANNOTATION, "uima.cas.AnnotationBase", "uima.cas.TOP")]

    def _missing(self, what: str, fs: Any, names: list[str], loc: Loc) -> None:
        key = (what, names[0])
        entry = self.unmapped.setdefault(key, _Unmapped(what, fs.type.name))
        entry.count += 1
        if len(entry.firsts) < 3:
            entry.firsts.append(loc)
            entry.ids.append(fs.xmiID)

    def report_unmapped(self) -> None:
        """One problem per distinct unmapped label, with its count and first places."""
        for (what, name), entry in self.unmapped.items():
            section = "entities" if what == "entity" else "relations"
            places = ", ".join(f"xmi:id {i} ({loc.path}:{loc.line})" if loc.line else f"xmi:id {i}"
                               for i, loc in zip(entry.ids, entry.firsts))
            more = f" and {entry.count - len(entry.ids)} more" if entry.count > len(entry.ids) else ""
            self.problems.append(Problem(
                entry.firsts[0], f"unknown {what} type {name!r} (layer {entry.layer}): the mapping does not say what it "
                f"is; {entry.count} annotation{'s' if entry.count != 1 else ''}: {places}{more}",
                unmapped_hint(section, name, more=f"; or ignore the layer under 'cas:': '{entry.layer}: ignore'"),
                unmapped_group(section, name), entry.count))

    def collect(self, loaded: Loaded) -> None:
        """The mentions of a CAS: annotations of span layers whose label the mapping gives a class."""
        for fs in loaded.annotations:
            if _is_a(fs.type, DOCUMENT_ANNOTATION) or _is_relation(fs):
                continue
            read, feature = self.label_feature(fs.type)
            key = self.key(loaded, fs)
            if not read:
                self.ignored[key] = f"a {_short(fs.type.name)}, a layer the mapping ignores"
                continue
            names = self.names(fs, feature)
            rule = next((r for r in (self.mapping.entity(n) for n in names) if r is not None), None)
            if rule is None:
                self._missing("entity", fs, names, loaded.loc(fs))
                self.ignored[key] = f"a {names[0]}, which the mapping does not know"
                self.unmapped_of[key] = names[0]
                continue
            if rule.cls is None:
                self.ignored[key] = f"a {names[0]}, which the mapping ignores"
                continue
            mention = Mention(key, loaded.text[fs.begin:fs.end], rule.cls, loaded.loc(fs), kind=rule.kind)
            for f in fs.type.all_features:
                value = fs.get(f.name) if f.rangeType.name == "uima.cas.String" else None
                m = _WIKIDATA_IRI.match(value) if isinstance(value, str) else None
                if m:
                    mention.wikidata, mention.link_loc = m.group(1), loaded.loc(fs)
            if not mention.text.strip():
                self.problems.append(Problem(loaded.loc(fs), f"{_short(fs.type.name)} xmi:id {fs.xmiID} covers no words",
                                             "Annotate the words that name it"))
                self.ignored[key] = "an annotation that covers no words"
                continue
            self.mentions.append(mention)

    def statements(self, loaded: Loaded, ids: dict[str, str]) -> list[Statement]:
        """The statements of a CAS: annotations of relation layers between two mentions."""
        out = []
        for fs in loaded.annotations:
            if not _is_relation(fs):
                continue
            read, feature = self.label_feature(fs.type)
            if not read:
                continue
            names = self.names(fs, feature)
            rule = next((r for r in (self.mapping.relation(n) for n in names) if r is not None), None)
            loc = loaded.loc(fs)
            if rule is None:
                self._missing("relation", fs, names, loc)
                continue
            if rule.relation is None:
                continue
            ends = []
            for role in (GOVERNOR, DEPENDENT):
                end = fs.get(role)
                key = self.key(loaded, end) if end is not None else None
                if key is None or key not in ids:
                    why = self.ignored.get(key or "", "missing") if end is not None else "missing"
                    which = f"xmi:id {end.xmiID}, {why}" if end is not None else why
                    unmapped = self.unmapped_of.get(key or "")
                    self.problems.append(Problem(loc, f"{_short(fs.type.name)} xmi:id {fs.xmiID}: its {role} is {which}",
                                                 "A relation's ends must be mentions of actors, proposals or conditions",
                                                 None if unmapped is None else (*unmapped_group("entities", unmapped),
                                                                                "argument")))
                    break
                ends.append((ids[key], end))
            else:
                out.append(self._statement(loaded, fs, rule, ends, loc))
        return out

    @staticmethod
    def _statement(loaded: Loaded, fs: Any, rule: Any, ends: list[tuple[str, Any]], loc: Loc) -> Statement:
        (subject, governor), (obj, dependent) = ends
        if rule.reverse:
            (subject, governor), (obj, dependent) = (obj, dependent), (subject, governor)
        start, end = min(governor.begin, dependent.begin), max(governor.end, dependent.end)
        locs = {"relation": loc, "quote": loc, "start": loc, "end": loc, "subject": loaded.loc(governor),
                "object": loaded.loc(dependent)}
        if rule.hedges:
            locs["hedge"] = loc
        return Statement(subject=subject, relation=rule.relation, object=obj, quote=loaded.text[start:end], loc=loc,
                         hedges=tuple(rule.hedges), start=start, end=end, locs=locs)

    def source(self, loaded: Loaded, taken: set[str], several_users: bool) -> Source:
        file, meta_in = loaded.file, loaded.metadata
        stem = PurePosixPath(file.document or file.shown.rsplit("!", 1)[-1]).stem
        stem = PurePosixPath(stem).stem if "." in stem else stem
        key = meta_in.get("documentId") or file.document or stem
        given = self.mapping.source_document(key) or self.mapping.source_document(stem)
        first = loaded.annotations[0] if loaded.annotations else None
        at = loaded.loc(first) if first is not None else Loc(file.shown)
        if given is None:
            meta_doc = Document(file.shown, {"source": {}}, {(): at})
        else:
            meta_doc = Document(given.path, {"source": dict(given.data["source"])}, given.positions)
        meta = meta_doc.data["source"]
        name = PurePosixPath(key).stem if "." in key else key
        if "id" not in meta:
            meta["id"] = unique(slug(f"{name} {file.user}" if several_users and file.user else name, "source"), taken)
        meta.setdefault("title", meta_in.get("documentTitle") or title_of(loaded.text) or name)
        uri = meta_in.get("documentUri", "")
        if uri.startswith(("http://", "https://")):
            meta.setdefault("url", uri)
        if file.user and file.user != CURATION_USER:
            meta.setdefault("note", f"Annotated by {file.user} in INCEpTION.")
        source = source_from_document(meta_doc)
        source.path = file.shown
        source.content = loaded.text
        if ("source", "id") not in meta_doc.positions:
            source.loc = at
        return source


def _is_relation(fs: Any) -> bool:
    return fs.type.get_feature(GOVERNOR) is not None and fs.type.get_feature(DEPENDENT) is not None


def read_cas(path: Path, registry: Registry) -> tuple[list[Source], list[Entity], list[Problem]]:
    """The sources and new registry entries of a CAS input (``.xmi``, ``.zip`` or CAS ``.json``), and
    every problem found."""
    gathered = gather(path)
    problems = gathered.problems
    mapping, found = read_mapping(find_mapping(path.parent))
    problems += found
    loaded = [cas for cas in (_load(file, problems) for file in gathered.cases) if cas is not None]
    if not loaded:
        return [], [], problems
    reader = _Reader(mapping, gathered.labels, problems)
    for cas in loaded:
        reader.collect(cas)
    ids, entities, found = resolve_mentions(reader.mentions, [], registry)
    problems += found
    users = defaultdict(set)
    for cas in loaded:
        users[cas.file.document].add(cas.file.user)
    sources, taken = [], set()
    for cas in loaded:
        source = reader.source(cas, taken, len(users[cas.file.document]) > 1)
        taken.add(source.id)
        source.statements = reader.statements(cas, ids)
        sources.append(source)
    reader.report_unmapped()
    return sources, entities, problems


def cas_scheme(path: Path) -> Scheme:
    """The layers a CAS input uses, with the feature holding each one's label, and the labels: entity
    types on span layers, relation types on relation layers (with the labels of their ends), each with
    how often and where first (for ``mapping draft``). What cannot be read is passed over: building
    says why."""
    scheme = Scheme("INCEpTION / WebAnno (UIMA CAS)")
    gathered = gather(path)
    mapping, _ = read_mapping(find_mapping(path.parent))
    reader = _Reader(mapping, gathered.labels, [])
    for file in gathered.cases:
        loaded = _load(file, [])
        if loaded is None:
            continue
        for fs in loaded.annotations:
            if _is_a(fs.type, DOCUMENT_ANNOTATION):
                continue
            lineage = _lineage(fs.type)
            layer = scheme.use("cas", fs.type.name, loaded.loc(fs))
            layer.parents = tuple(lineage[1:])
            read, feature = reader.label_feature(fs.type)
            if not read:
                continue
            if not mapping.cas_layer(lineage)[0]:
                feature = feature or _known_feature(reader, loaded.annotations, fs.type)
                if feature:
                    reader.labels[fs.type.name] = layer.detail.setdefault("feature", feature)
            name = reader.names(fs, feature)[0]
            if _is_relation(fs):
                ends = tuple(_end_label(reader, fs.get(role)) for role in (GOVERNOR, DEPENDENT))
                scheme.use("relations", name, loaded.loc(fs), ends=ends)  # type: ignore[arg-type]
            else:
                scheme.use("entities", name, loaded.loc(fs))
    return scheme


def _known_feature(reader: _Reader, annotations: list[Any], cas_type: Any) -> str | None:
    """Of a layer's string features, the one whose values the mapping knows most often as entity types
    (span layers) or relations (relation layers): a layer with a label and a comment, say."""
    relation = cas_type.get_feature(GOVERNOR) is not None and cas_type.get_feature(DEPENDENT) is not None
    known = reader.mapping.relation if relation else reader.mapping.entity
    counts: dict[str, int] = defaultdict(int)
    for fs in annotations:
        if fs.type is not cas_type:
            continue
        for f in cas_type.all_features:
            value = fs.get(f.name) if f.rangeType.name == "uima.cas.String" else None
            if isinstance(value, str) and value.strip() and known(value.strip()) is not None:
                counts[f.name] += 1
    return max(counts, key=lambda name: counts[name]) if counts else None


def _end_label(reader: _Reader, end: Any) -> str:
    if end is None:
        return "?"
    read, feature = reader.label_feature(end.type)
    return reader.names(end, feature)[0] if read else "?"


class CasImporter:
    """INCEpTION / WebAnno: UIMA CAS XMI (with its TypeSystem.xml), zipped exports, UIMA CAS JSON."""

    name = "cas"
    title = "INCEpTION / WebAnno (UIMA CAS XMI, zipped exports, CAS JSON)"
    suffixes = (".xmi", ".zip", ".json")

    def claims_folder(self, folder: Path, names: list[str]) -> bool:
        return False

    def claims_file(self, path: Path) -> bool:
        suffix = path.suffix.lower()
        if suffix == ".xmi":
            return True
        try:
            if suffix == ".json":
                with path.open("rb") as stream:
                    return is_cas_json(stream.read(4096))
            if suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    return any(n.lower().endswith(".xmi") or PurePosixPath(n).name.startswith("exportedproject")
                               or (n.startswith(("annotation/", "curation/")) and n.lower().endswith(".zip"))
                               for n in archive.namelist())
        except (OSError, zipfile.BadZipFile, ValueError, EOFError):
            return False
        return False

    def read(self, path: Path, registry: Registry) -> Imported:
        sources, entities, problems = read_cas(path, registry)
        return Imported(sources, entities, problems)

    def scheme(self, path: Path) -> Scheme:
        return cas_scheme(path)


importer = CasImporter()

__all__ = ["CasImporter", "cas_scheme", "gather", "importer", "is_cas_json", "read_cas"]
