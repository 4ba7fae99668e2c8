"""Reading coding sheets (CSV, TSV, XLSX) into the model: one row per claim, as analysts keep them.

A row says who (one or several actors in a cell), what (a proposal, claim or category code; several in a
cell), for or against (a polarity, mapped to a relation), when, the quote and the article. Which column
is which is the ``columns:`` section of the mapping (``stancegraph mapping draft`` guesses it from the
column names and values); without one, the columns are taken by their names when those say enough
(the sheet ``stancegraph export --format csv`` writes reads back so), and the guess is said. Each row
gives one statement per actor × object; rows sharing a source column are one source (without one, each
date and outlet, or each row). Quotes are kept as written: a sheet holds no article text to anchor them
in, which ``stats`` counts.

A codebook (a second table: code, parent code, label) turns the category codes of the object column
into proposals with their labels, and a sub-category into a part of its major category.

Problems are per row (``file:row``): an empty subject, an unknown code, an unreadable date, a polarity
the mapping does not know. ``--skip-invalid`` leaves such rows out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Loc, Problem, display_path
from ..model import Registry, Source, Statement
from ..names import did_you_mean, slug, unique
from .draft import Scheme
from .mapping import STANCE_RELATIONS, Mapping, find_mapping, read_mapping
from .mentions import Mention, resolve_mentions
from .protocol import Imported

SUFFIXES = (".csv", ".tsv", ".xlsx")
#: a sheet larger than this is refused (a coding sheet of a million rows is some 500 MB)
MAX_BYTES = 1 << 30
#: the statement and source fields a column can fill, and the words of column names that say so
ROLES: dict[str, frozenset[str]] = {
    "subject": frozenset({"subject", "actor", "actors", "who", "organization", "organisation", "org", "party",
                          "claimant", "speaker", "akteur"}),
    "object": frozenset({"object", "claim", "category", "code", "proposal", "issue", "topic", "target", "frame",
                         "concept", "kategorie"}),
    "relation": frozenset({"relation", "predicate"}),
    "stance": frozenset({"stance", "polarity", "direction", "agreement", "valence", "position", "for against",
                         "pro contra"}),
    "date": frozenset({"date", "day", "when", "datum"}),
    "published": frozenset({"published", "publication date"}),
    "quote": frozenset({"quote", "excerpt", "sentence", "passage", "evidence", "text", "zitat", "quotation"}),
    "source": frozenset({"source", "article", "document", "doc", "article id", "doc id", "source id"}),
    "title": frozenset({"title", "headline", "source title"}),
    "outlet": frozenset({"outlet", "newspaper", "publisher", "medium", "media", "zeitung"}),
    "url": frozenset({"url", "link", "address"}),
    "author": frozenset({"author", "journalist", "byline"}),
    "person": frozenset({"person", "spokesperson", "speaker person"}),
    "language": frozenset({"language", "lang", "sprache"}),
    "according-to": frozenset({"according to", "according_to"}),
    "for": frozenset({"for", "regarding"}),
    "if": frozenset({"if"}),
    "until": frozenset({"until"}),
    "subject-class": frozenset({"subject class", "subject_class"}),
    "object-class": frozenset({"object class", "object_class"}),
    "note": frozenset({"note", "notes", "comment", "comments", "remark"}),
}
#: what a polarity or stance cell means when the mapping gives no ``values:``
DEFAULT_VALUES = {
    "1": "supports", "+1": "supports", "-1": "opposes", "yes": "supports", "no": "opposes", "for": "supports",
    "against": "opposes", "pro": "supports", "contra": "opposes", "con": "opposes", "support": "supports",
    "supports": "supports", "oppose": "opposes", "opposes": "opposes", "agree": "supports", "disagree": "opposes",
    "true": "supports", "false": "opposes", "ja": "supports", "nein": "opposes", "dafür": "supports",
    "dagegen": "opposes", "considering": "considers", "undecided": "undecided-on", "abstaining": "abstains",
}
SETTINGS = ("sheet", "separator", "values", "object-type", "source-per", "codebook", "date-format", "subject-kind")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


class SheetError(Exception):
    """The table cannot be read at all: one problem says why."""

    def __init__(self, problem: Problem):
        self.problem = problem


@dataclass
class Table:
    """A table as read: its header, and its rows with the line (CSV) or row number (XLSX) of each."""

    shown: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def column(self, name: str) -> int | None:
        folded = name.strip().casefold()
        return next((i for i, h in enumerate(self.header) if h.strip().casefold() == folded), None)


# ----------------------------------------------------------------------------- reading a table


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(path: Path, sheet: str | None = None) -> Table:
    """The table at ``path`` (a CSV, TSV or XLSX file; ``sheet``: a workbook's sheet by name, else its
    first). Raises :class:`SheetError` when it cannot be read."""
    shown = display_path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SheetError(Problem(Loc(shown), f"cannot read the file ({exc.strerror})")) from None
    if not path.is_file():
        raise SheetError(Problem(Loc(shown), "not a regular file", "Give a CSV, TSV or XLSX file"))
    if size > MAX_BYTES:
        raise SheetError(Problem(Loc(shown), f"the sheet has {size:,} bytes, over the limit of {MAX_BYTES:,}",
                                 "Split it into several files"))
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, shown, sheet)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError(Problem(Loc(shown, raw.count(b"\n", 0, exc.start) + 1),
                                 "not UTF-8 text", "Save the sheet as CSV UTF-8 (in Excel: Save As → CSV UTF-8; in "
                                 "LibreOffice: Character set Unicode (UTF-8))")) from None
    if "\0" in text:
        raise SheetError(Problem(Loc(shown), "a NUL character: not a text table", "Give a CSV, TSV or XLSX file"))
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: Table | None = None
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if table is None:
                table = Table(shown, [c.strip() for c in record])
            elif any(c.strip() for c in record):
                table.rows.append((start, [c.strip() for c in record]))
    except csv.Error as exc:
        raise SheetError(Problem(Loc(shown, reader.line_num), f"not a readable CSV table: {exc}",
                                 "Save it again as CSV from the spreadsheet")) from None
    if table is None:
        raise SheetError(Problem(Loc(shown), "the file is empty", "Give a sheet with a header row"))
    return table


def _delimiter(text: str) -> str:
    """Comma, semicolon (German and French spreadsheets) or tab: the one the header line has most of."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _read_xlsx(path: Path, shown: str, sheet: str | None) -> Table:
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook

    # a damaged workbook fails in the zip, in zlib, in the XML of a part or in openpyxl's reading of it, and
    # in read-only mode only when the rows are read
    damaged = (zipfile.BadZipFile, zlib.error, ParseError, KeyError, ValueError, OSError, TypeError, EOFError,
               IndexError, AttributeError, NotImplementedError)  # the last: a part's compression method unknown

    def unreadable(exc: Exception) -> SheetError:
        return SheetError(Problem(Loc(shown), f"not a readable XLSX workbook ({exc.__class__.__name__}: {exc})",
                                  "Save it again from the spreadsheet as Excel 2007-365 (.xlsx)"))

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except damaged as exc:
        raise unreadable(exc) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise SheetError(Problem(Loc(shown), f"no sheet named {sheet!r}",
                                     did_you_mean(sheet, book.sheetnames) or "Its sheets: " + ", ".join(book.sheetnames)))
        ws = book[sheet] if sheet is not None else book.worksheets[0]

        def rows() -> Iterator[tuple[Any, ...]]:
            # read-only workbooks are read as rows are taken: the damage shows here, in openpyxl's reading only
            read = ws.iter_rows(values_only=True)
            while True:
                try:
                    values = next(read)
                except StopIteration:
                    return
                except damaged as exc:
                    raise unreadable(exc) from None
                yield values

        table: Table | None = None
        for number, values in enumerate(rows(), start=1):
            cells = [_cell(v) for v in values]
            if table is None:
                if any(cells):
                    table = Table(f"{shown}", cells)
            elif any(cells):
                table.rows.append((number, cells))
    finally:
        book.close()
    if table is None:
        raise SheetError(Problem(Loc(shown), "the sheet is empty", "Give a sheet with a header row"))
    while table.header and not table.header[-1]:
        table.header.pop()
    return table


# ----------------------------------------------------------------------------- which column is which


def _words(name: str) -> str:
    return " ".join(re.split(r"[^\w]+", name.casefold().replace("_", " "))).strip()


def guess_roles(table: Table) -> dict[str, str]:
    """Role → column name, from the column names (exact role names first, then words) and, for a
    column no name explains, its values (±1 or yes/no: the stance; ISO dates: the date; long text:
    the quote)."""
    found: dict[str, str] = {}
    names = [h for h in table.header if h]
    for role in ROLES:  # a column named exactly as a role (the sheets stancegraph exports)
        for name in names:
            if _words(name) == _words(role) and name not in found.values():
                found[role] = name
                break
    for role, words in ROLES.items():
        if role in found:
            continue
        for name in names:
            if name in found.values():
                continue
            w = _words(name)
            if w in words or set(w.split()) & {x for x in words if " " not in x}:
                found[role] = name
                break
    for i, name in enumerate(table.header):
        if not name or name in found.values():
            continue
        values = [row[i] for _, row in table.rows[:200] if i < len(row) and row[i]]
        if not values:
            continue
        if "stance" not in found and "relation" not in found and all(v.casefold() in DEFAULT_VALUES for v in values):
            found["stance"] = name
        elif "date" not in found and all(_ISO.match(v) for v in values):
            found["date"] = name
        elif "quote" not in found and sum(len(v) for v in values) / len(values) > 40:
            found["quote"] = name
    return found


@dataclass
class Columns:
    """The ``columns:`` section in force for one table: role → column index, and the settings."""

    roles: dict[str, int]
    names: dict[str, str]
    separator: str = ";"
    values: dict[str, str] = field(default_factory=dict)
    object_class: str = "proposal"
    source_per: str = "date-outlet"
    date_format: str | None = None
    subject_kind: str | None = None
    codebook: dict[str, tuple[str, str | None]] | None = None  # code → (label, parent code)
    loc: Loc = field(default_factory=lambda: Loc("(guessed)"))
    guessed: bool = False
    notes: list[int] = field(default_factory=list)


def columns_for(table: Table, mapping: Mapping, problems: list[Problem]) -> Columns | None:
    """The columns of ``table`` as the mapping's ``columns:`` says (or as guessed without one); None,
    with a problem, when the subject, the object or what the row says of them cannot be found."""
    given = dict(mapping.columns)
    guessed = not any(role in given for role in ROLES)
    settings = {key: given.pop(key) for key in list(given) if key in SETTINGS}
    loc_of = {key: loc for key, (_, loc) in mapping.columns.items()}
    wanted = guess_roles(table) if guessed else {role: value for role, (value, _) in given.items() if role in ROLES}
    roles: dict[str, int] = {}
    notes: list[int] = []
    for role, name in wanted.items():
        names = name if isinstance(name, list) else [name]
        for one in names:
            index = table.column(str(one))
            if index is None:
                problems.append(Problem(loc_of.get(role, Loc(table.shown)), f"columns: {role}: no column {one!r} in "
                                        f"{table.shown}", did_you_mean(str(one), table.header) or
                                        "Its columns: " + ", ".join(h for h in table.header if h)))
                continue
            if role == "note":
                notes.append(index)
            else:
                roles[role] = index
    missing = [r for r in ("subject", "object", "quote") if r not in roles]
    if "relation" not in roles and "stance" not in roles:
        missing.append("stance (or relation)")
    if missing and not (problems and not guessed):
        where = (f"{mapping.files[-1]}: columns:" if not guessed and mapping.files else
                 "no 'columns:' in mapping.yaml, and the column names do not say")
        problems.append(Problem(Loc(table.shown, 1, 1), f"{where} which column holds the " + ", the ".join(missing),
                                "Write them under 'columns:' in mapping.yaml (`stancegraph mapping draft "
                                f"{table.shown} -o mapping.yaml` guesses them); its columns: "
                                + ", ".join(h for h in table.header if h)))
        return None
    if missing:
        return None

    def setting(key: str, default: Any) -> Any:
        return settings[key][0] if key in settings else default

    values = {str(k).casefold(): str(v) for k, v in (setting("values", None) or DEFAULT_VALUES).items()}
    return Columns(roles, {role: table.header[i] for role, i in roles.items()}, str(setting("separator", ";")),
                   values, str(setting("object-type", "proposal")), str(setting("source-per", "date-outlet")),
                   setting("date-format", None), setting("subject-kind", None), None,
                   next(iter(loc_of.values()), Loc("(guessed)")), guessed, notes)


def read_codebook(path: Path, problems: list[Problem]) -> dict[str, tuple[str, str | None]] | None:
    """Code → (label, parent code) from a codebook table (columns code, parent and label, by name)."""
    try:
        table = read_table(path)
    except SheetError as exc:
        problems.append(exc.problem)
        return None
    def find(*names: str) -> int | None:
        return next((i for i, h in enumerate(table.header) if _words(h) in names), None)

    code, parent = find("code", "id", "category", "kategorie"), find("parent", "parent code", "major", "major code")
    label = find("label", "name", "description", "title", "bezeichnung")
    if code is None or label is None:
        problems.append(Problem(Loc(table.shown, 1, 1), "a codebook needs a column 'code' and a column 'label'",
                                "Its columns: " + ", ".join(table.header)))
        return None
    book: dict[str, tuple[str, str | None]] = {}
    for line, row in table.rows:
        cell = (row + [""] * len(table.header))
        if not cell[code]:
            continue
        if cell[code] in book:
            problems.append(Problem(Loc(table.shown, line), f"the code {cell[code]!r} is listed twice", "Keep one row per code"))
            continue
        book[cell[code]] = (cell[label] or cell[code], (cell[parent] or None) if parent is not None else None)
    for line, row in table.rows:
        cell = (row + [""] * len(table.header))
        if parent is not None and cell[parent] and cell[parent] not in book:
            problems.append(Problem(Loc(table.shown, line), f"the parent code {cell[parent]!r} is not in the codebook",
                                    did_you_mean(cell[parent], list(book)) or "Add it, or correct the parent"))
    return book


# ----------------------------------------------------------------------------- rows to sources and statements


def parse_date(text: str, date_format: str | None = None) -> str | None:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD) from a cell, or None when it cannot be read."""
    text = text.strip()
    if not text.isascii():
        return None  # Arabic-Indic or full-width digits are not taken for a date
    if date_format:
        try:
            return dt.datetime.strptime(text, date_format).date().isoformat()
        except ValueError:
            return None
    m = _ISO.match(text)
    if m:
        year, month, day = m.groups()
        try:
            if day:
                return dt.date(int(year), int(month), int(day)).isoformat()
            if month and not 1 <= int(month) <= 12:
                return None
            return f"{year}-{month}" if month else year
        except ValueError:
            return None
    m = _DMY.match(text)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        except ValueError:
            return None
    return None


@dataclass
class _Row:
    line: int
    loc: Loc
    subjects: list[str]
    objects: list[str]
    relation: str
    cells: dict[str, str]
    date: str | None


class _Reader:
    def __init__(self, table: Table, columns: Columns, mapping: Mapping, problems: list[Problem]):
        self.table, self.columns, self.mapping, self.problems = table, columns, mapping, problems

    def cell(self, row: list[str], role: str) -> str:
        i = self.columns.roles.get(role)
        return row[i].strip() if i is not None and i < len(row) else ""

    def split(self, text: str) -> list[str]:
        return [part.strip() for part in text.split(self.columns.separator) if part.strip()] if text else []

    def rows(self) -> list[_Row]:
        out: list[_Row] = []
        c = self.columns
        for line, row in self.table.rows:
            loc = Loc(self.table.shown, line)
            bad = len(self.problems)
            subjects, objects = self.split(self.cell(row, "subject")), self.split(self.cell(row, "object"))
            if not subjects:
                self.problems.append(Problem(loc, f"row {line}: the subject ({c.names['subject']}) is empty",
                                             "Fill it with who holds the stance, or remove the row"))
            if not objects:
                self.problems.append(Problem(loc, f"row {line}: the object ({c.names['object']}) is empty",
                                             "Fill it with what the stance is on, or remove the row"))
            if c.codebook is not None:
                for code in objects:
                    if code not in c.codebook:
                        self.problems.append(Problem(loc, f"row {line}: unknown code {code!r}",
                                                     did_you_mean(code, list(c.codebook)) or "Add it to the codebook"))
            relation = self.cell(row, "relation")
            if not relation:
                value = self.cell(row, "stance")
                relation = c.values.get(value.casefold(), "") if value else ""
                if not relation:
                    shown = ", ".join(sorted(c.values))
                    self.problems.append(Problem(loc, f"row {line}: the {c.names.get('stance', 'stance')} {value!r} is "
                                                 "not one of the mapped values" if value else
                                                 f"row {line}: no stance ({c.names.get('stance', 'stance')} is empty)",
                                                 f"Use one of {shown}, or map it under 'columns: values:' in mapping.yaml"))
            relation = STANCE_RELATIONS.get(relation, relation)
            if not self.cell(row, "quote"):
                self.problems.append(Problem(loc, f"row {line}: the quote ({c.names['quote']}) is empty",
                                             "Copy the passage that states it, or remove the row"))
            date = None
            for role in ("date", "published"):
                raw = self.cell(row, role)
                if raw:
                    parsed = parse_date(raw, c.date_format)
                    if parsed is None:
                        self.problems.append(Problem(loc, f"row {line}: the {role} {raw!r} is not a date",
                                                     "Write it as YYYY-MM-DD (or set 'columns: date-format:')"))
                    elif role == "date":
                        date = parsed
            if len(self.problems) > bad:
                continue
            cells = {role: self.cell(row, role) for role in c.roles}
            notes = [row[i] if len(c.notes) == 1 else f"{self.table.header[i]}: {row[i]}"
                     for i in c.notes if i < len(row) and row[i]]
            cells["note"] = "\n".join(([cells["note"]] if cells.get("note") else []) + notes)
            out.append(_Row(line, loc, subjects, objects, relation, cells, date))
        return out

    def source_key(self, row: _Row) -> str:
        if "source" in self.columns.roles and row.cells["source"]:
            return row.cells["source"]
        if self.columns.source_per == "row":
            return f"row {row.line}"
        return " · ".join(x for x in (row.cells.get("outlet", ""), row.date or "") if x) or f"row {row.line}"

    def read(self, registry: Registry) -> Imported:
        rows = self.rows()
        stem = Path(self.table.shown).stem
        mentions: dict[str, Mention] = {}
        c = self.columns
        object_cls = "proposal" if c.object_class == "claim" else c.object_class
        classes = ("actor", "proposal", "condition")

        def subject_class(row: _Row) -> str:  # a class column's word, or the default when it says none
            cls = row.cells.get("subject-class", "")
            return cls if cls in classes else "actor"

        def object_class(row: _Row) -> str:
            cls = row.cells.get("object-class", "")
            return cls if cls in classes else object_cls

        def mention(text: str, cls: str, loc: Loc, kind: str | None = None) -> str:
            key = f"{cls}:{text.casefold()}"
            if key not in mentions:
                mentions[key] = Mention(key, text, cls, loc, kind=kind)
            return key

        codes: dict[str, str] = {}  # code → mention key
        if c.codebook is not None:
            for code, (label, _) in c.codebook.items():
                codes[code] = mention(label, object_cls, Loc(self.table.shown), "claim" if c.object_class == "claim" else None)
        sources: dict[str, Source] = {}
        taken: set[str] = set()
        made: list[tuple[_Row, Source]] = []
        for row in rows:
            key = self.source_key(row)
            source = sources.get(key)
            if source is None:
                title = row.cells.get("title") or (key if "source" in c.roles or key != f"row {row.line}"
                                                   else f"{stem}, row {row.line}")
                source = Source(id=unique(slug(key, "row"), taken), title=title, path=self.table.shown, loc=row.loc)
                taken.add(source.id)
                source.published = parse_date(row.cells.get("published", ""), c.date_format) or row.date
                source.url = row.cells.get("url") or None
                source.language = row.cells.get("language") or None
                source.authors = tuple(self.split(row.cells.get("author", "")))
                if row.cells.get("outlet"):
                    source.publisher = mention(row.cells["outlet"], "actor", row.loc, "news-outlet")
                sources[key] = source
            made.append((row, source))
        for row, _ in made:
            for text in row.subjects:
                cls = subject_class(row)
                mention(text, cls, row.loc, c.subject_kind if cls == "actor" else None)
            for text in row.objects:
                if text not in codes:
                    cls = object_class(row)
                    mention(text, cls, row.loc,
                            "claim" if c.object_class == "claim" else None)
            for role in ("person", "according-to", "for", "if", "until"):
                cls = {"for": "proposal", "if": "condition", "until": "condition"}.get(role, "actor")
                for text in self.split(row.cells.get(role, "")):
                    mention(text, cls, row.loc, "person" if role == "person" else None)
        ids, entities, found = resolve_mentions(list(mentions.values()), [], registry)
        self.problems.extend(found)
        by_id = {e.id: e for e in entities}
        if c.codebook is not None:  # sub-categories are parts of their major category
            for code, (_, parent) in c.codebook.items():
                child, of = ids.get(codes[code]), ids.get(codes.get(parent or "", ""))
                if child in by_id and of is not None and child != of and by_id[child].part_of is None:
                    by_id[child].part_of = of
        for source in sources.values():
            if source.publisher is not None:
                source.publisher = ids.get(source.publisher)
        for row, source in made:
            def of(role: str, cls: str) -> tuple[str, ...]:
                return tuple(ids[f"{cls}:{t.casefold()}"] for t in self.split(row.cells.get(role, "")))

            persons = of("person", "actor")
            for person in persons:  # a person speaks for the organisation of the row
                subject_ids = [ids[f"{subject_class(row)}:{s.casefold()}"] for s in row.subjects]
                if person in by_id and by_id[person].part_of is None and subject_ids and subject_ids[0] != person:
                    by_id[person].part_of = subject_ids[0]
            according = tuple(dict.fromkeys(persons + of("according-to", "actor"))) or None
            n = 0
            for subject in row.subjects:
                for obj in row.objects:
                    n += 1
                    key = codes[obj] if obj in codes else f"{object_class(row)}:{obj.casefold()}"
                    st = Statement(
                        subject=ids[f"{subject_class(row)}:{subject.casefold()}"],
                        relation=row.relation, object=ids[key], quote=row.cells["quote"], loc=row.loc,
                        id=f"row{row.line}" + (f"-{n}" if len(row.subjects) * len(row.objects) > 1 else ""),
                        according_to=according, date=row.date if row.date != source.published else None,
                        regarding=(of("for", "proposal") or (None,))[0],
                        if_conditions=of("if", "condition"), until_conditions=of("until", "condition"),
                        note=row.cells.get("note") or None,
                    )
                    st.locs.update({k: row.loc for k in ("id", "subject", "relation", "object", "quote", "date",
                                                         "according-to", "for", "if", "until", "note")})
                    source.statements.append(st)
        warnings: list[Problem] = []
        if c.guessed:
            said = ", ".join(f"{role} = {name!r}" for role, name in c.names.items())
            warnings.append(Problem(Loc(self.table.shown, 1, 1), f"no 'columns:' in mapping.yaml: the columns were "
                                    f"taken by their names ({said})", "Write them under 'columns:' to fix them "
                                    f"(`stancegraph mapping draft {self.table.shown} -o mapping.yaml`)"))
        return Imported(list(sources.values()), entities, self.problems, warnings=warnings)


def read_sheet(path: Path, registry: Registry) -> Imported:
    """The sources and statements of the coding sheet at ``path`` (see the module's documentation)."""
    mapping_path = find_mapping(path.parent)
    mapping, problems = read_mapping(mapping_path)
    if problems:
        return Imported(problems=problems)
    sheet = mapping.columns.get("sheet", (None, None))[0]
    try:
        table = read_table(path, sheet if path.suffix.lower() == ".xlsx" else None)
    except SheetError as exc:
        return Imported(problems=[exc.problem])
    columns = columns_for(table, mapping, problems)
    if columns is None:
        return Imported(problems=problems)
    if "codebook" in mapping.columns:
        name, loc = mapping.columns["codebook"]
        where = Path(loc.path).parent / str(name) if mapping_path is not None else path.parent / str(name)
        columns.codebook = read_codebook(where, problems)
        if problems:
            return Imported(problems=problems)
    return _Reader(table, columns, mapping, problems).read(registry)


def codebook_paths(folder: Path) -> set[Path]:
    """The codebooks the mapping of ``folder`` names: tables that are not coding sheets themselves."""
    mapping_path = find_mapping(folder)
    if mapping_path is None:
        return set()
    mapping, _ = read_mapping(mapping_path)
    if "codebook" not in mapping.columns:
        return set()
    return {(mapping_path.parent / str(mapping.columns["codebook"][0])).resolve()}


def looks_like_codebook(table: Table) -> bool:
    """A table of codes and their labels (and parents), not of claims."""
    words = {_words(h) for h in table.header if h}
    return "code" in words and bool(words & {"label", "name", "description"}) and len(words) <= 5 and \
        not words & {"quote", "actor", "subject", "text"}


def sheet_scheme(path: Path) -> Scheme:
    """The columns of the sheet at ``path`` with their first values and the draft's guess of each (for
    ``mapping draft``)."""
    scheme = Scheme("coding sheet")
    try:
        table = read_table(path)
    except SheetError:
        return scheme
    if looks_like_codebook(table):
        use = scheme.declare("codebook", path.name)
        use.count = len(table.rows)
        return scheme
    guessed = {name: role for role, name in guess_roles(table).items()}
    for i, name in enumerate(table.header):
        if not name:
            continue
        use = scheme.declare("columns", name)
        values = [row[i] for _, row in table.rows if i < len(row) and row[i]]
        use.count = len(values)
        use.detail.update(role=guessed.get(name), first=list(dict.fromkeys(values))[:3])
        if guessed.get(name) == "stance":  # what its values mean, where the defaults know
            seen = set(values)
            if seen <= {"0", "1"}:  # agreement as Discourse Network Analyzer codes it: 1 agrees, 0 disagrees
                use.detail["values"] = {v: {"1": "supports", "0": "opposes"}[v] for v in sorted(seen)}
            else:
                use.detail["values"] = {v: DEFAULT_VALUES.get(v.casefold(), "ignore") for v in sorted(seen)}
    return scheme


class SheetImporter:
    """Coding sheets: CSV, TSV or XLSX, one row per claim (``columns:`` in the mapping)."""

    name = "sheet"
    title = "coding sheet (CSV, TSV, XLSX)"
    suffixes = SUFFIXES

    def claims_folder(self, folder: Path, names: list[str]) -> bool:
        return False

    def claims_file(self, path: Path) -> bool:
        if path.suffix.lower() not in SUFFIXES:
            return False
        try:
            return path.resolve() not in codebook_paths(path.parent)
        except OSError:
            return True

    def read(self, path: Path, registry: Registry) -> Imported:
        return read_sheet(path, registry)

    def scheme(self, path: Path) -> Scheme:
        return sheet_scheme(path)


importer = SheetImporter()

__all__ = ["DEFAULT_VALUES", "ROLES", "SheetImporter", "Table", "guess_roles", "importer", "parse_date", "read_sheet",
           "read_table", "sheet_scheme"]
