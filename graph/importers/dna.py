"""Reading Discourse Network Analyzer (DNA 3) databases into the model.

A ``.dna`` file is the SQLite database DNA 3 codes into (https://github.com/leifeld/dna). Each document
becomes a source holding its text (``Source.content``); each coded statement becomes a statement whose
quote is the document's text between the statement's Start and Stop, with those offsets. What a
statement type's variables mean is said by the ``dna:`` section of the mapping (the default reads DNA's
own "DNA Statement": organization → subject, concept → object, agreement 1/0 → supports/opposes, the
person → according-to, and a member of the organization). Entities (DNA's values of short-text
variables) are resolved against the registry like brat mentions (:mod:`.mentions`); their attributes
Type, Alias and Notes become the kind, aliases and note of the entries they make.

The database is opened read-only and immutable: nothing is written, not even a journal. Offsets are
DNA's: Java counts UTF-16 code units in the text as its text pane shows it (line ends ``\\r\\n`` and
``\\r`` read as ``\\n``); they are converted to Python's code points here.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from stancegraph.ontology import terms

from ..errors import Loc, Problem, display_path
from ..model import Entity, Registry, Source, Statement
from ..names import did_you_mean, kebab, slug, title_of, unique
from .draft import DRAFT_HINT, Scheme, unmapped_group
from .mapping import STANCE_RELATIONS, EntityRule, Mapping, entity_rule, find_mapping, read_mapping
from .mentions import Mention, resolve_mentions
from .protocol import Imported

SQLITE_HEADER = b"SQLite format 3\x00"
#: the tables and columns of DNA 3 that are read (DNA 3 has more: coders, regexes, settings, links)
TABLES: dict[str, tuple[str, ...]] = {
    "DOCUMENTS": ("ID", "Title", "Text", "Author", "Source", "Section", "Notes", "Type", "Date"),
    "STATEMENTTYPES": ("ID", "Label"),
    "VARIABLES": ("ID", "Variable", "DataType", "StatementTypeId"),
    "STATEMENTS": ("ID", "StatementTypeId", "DocumentId", "Start", "Stop"),
    "ENTITIES": ("ID", "VariableId", "Value"),
    "DATASHORTTEXT": ("ID", "StatementId", "VariableId", "Entity"),
    "DATALONGTEXT": ("ID", "StatementId", "VariableId", "Value"),
    "DATABOOLEAN": ("ID", "StatementId", "VariableId", "Value"),
    "DATAINTEGER": ("ID", "StatementId", "VariableId", "Value"),
    "ATTRIBUTEVARIABLES": ("ID", "VariableId", "AttributeVariable"),
    "ATTRIBUTEVALUES": ("ID", "EntityId", "AttributeVariableId", "AttributeValue"),
}
#: the data table of each DNA variable type
DATA_TABLES = {"short text": "DATASHORTTEXT", "long text": "DATALONGTEXT", "boolean": "DATABOOLEAN",
               "integer": "DATAINTEGER"}
#: statement fields a variable can fill
ROLES = ("subject", "object", "according-to", "for")
#: attribute variables of DNA entities with a registry field of their own (the others go into the note)
ALIAS_ATTRIBUTE, TYPE_ATTRIBUTE, NOTES_ATTRIBUTE = "Alias", "Type", "Notes"
_SHOWN_ROWS = 5


class _Unreadable(Exception):
    """The file is not a DNA 3 database that can be read: one problem says why."""

    def __init__(self, problem: Problem):
        self.problem = problem


# ----------------------------------------------------------------------------- the database, read-only


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write to the database, nor create a journal beside it: ``mode=ro`` refuses
    writes, ``immutable=1`` tells SQLite the file cannot change, so it takes no lock and opens no journal."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True)
    conn.execute("PRAGMA query_only = ON")
    # SQLite keeps any value in any column: the text columns are read through CAST(... AS TEXT) (see _rows), and
    # text that is not UTF-8 is read with U+FFFD where it breaks, so that a quote there is "not found", not a crash
    conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
    return conn


@dataclass
class Variable:
    id: int
    name: str
    datatype: str
    type_id: int | None


@dataclass
class DnaEntity:
    id: int
    variable: int
    value: str
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class DnaStatement:
    id: int
    type_id: int | None
    document: int | None
    start: int
    stop: int
    values: dict[int, Any] = field(default_factory=dict)  # variable id → entity id, text or number


@dataclass
class Database:
    """The rows of a DNA 3 database that stancegraph reads."""

    shown: str
    documents: dict[int, dict[str, Any]] = field(default_factory=dict)
    types: dict[int, str] = field(default_factory=dict)
    variables: dict[int, Variable] = field(default_factory=dict)
    entities: dict[int, DnaEntity] = field(default_factory=dict)
    statements: dict[int, DnaStatement] = field(default_factory=dict)


def _unreadable(shown: str, message: str, hint: str = "") -> _Unreadable:
    return _Unreadable(Problem(Loc(shown), message, hint))


def _check_file(path: Path, shown: str) -> None:
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise _unreadable(shown, f"cannot read the file ({exc.strerror})", "Check the path and its permissions")
    if head != SQLITE_HEADER:
        looks = "it is empty" if not head else "it looks like XML, as DNA 1.x wrote .dna files" if head.lstrip().startswith(b"<") \
            else "its first bytes are not SQLite's header"
        raise _unreadable(shown, f"not a DNA 3 database: DNA 3 saves an SQLite database, and {looks}",
                          "Give the .dna file DNA 3 created (Database → Create new DNA database); a damaged file can be "
                          "restored from a copy")
    for suffix in ("-journal", "-wal"):
        journal = path.with_name(path.name + suffix)
        if journal.is_file() and journal.stat().st_size > 0:
            raise _unreadable(shown, f"{journal.name} is beside it: DNA is still writing to the database, or stopped "
                              "before it had finished", "Close the database in DNA (Database → Close database), or open "
                              "and close it again there, then build again")


def _columns(conn: sqlite3.Connection) -> dict[str, set[str]]:
    tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {name.upper(): {row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')} for name in tables}


def _check_schema(conn: sqlite3.Connection, shown: str) -> None:
    """A DNA 2.x database, or another schema, is said plainly (with what was expected)."""
    columns = _columns(conn)
    version = None
    if "SETTINGS" in columns and {"Property", "Value"} <= columns["SETTINGS"]:
        row = conn.execute("SELECT Value FROM SETTINGS WHERE Property = 'version'").fetchone()
        version = str(row[0]) if row else None
    if (version or "").startswith(("1", "2")) or ("ENTITIES" not in columns and "ATTRIBUTES" in columns):
        raise _unreadable(shown, f"a DNA {version or '2.x'} database: stancegraph reads the databases of DNA 3",
                          "In DNA 3, create a new database (Database → Create new DNA database), bring this one in with "
                          "Document → Import from DNA database, and give stancegraph the new .dna file")
    missing_tables = [t for t in TABLES if t not in columns]
    if missing_tables:
        raise _unreadable(shown, "not a DNA 3 database: it has no table " + ", ".join(missing_tables),
                          "A DNA 3 database has the tables " + ", ".join(TABLES) + "; give the .dna file DNA 3 wrote")
    missing = [f"{t}.{c}" for t, cols in TABLES.items() for c in cols if c not in columns[t]]
    if missing:
        raise _unreadable(shown, "not a DNA 3 database: it has no column " + ", ".join(missing),
                          "Give the .dna file DNA 3 wrote (its tables are those of DNA 3.0)")


def read_database(path: Path) -> tuple[Database | None, list[Problem]]:
    """The rows of the DNA 3 database at ``path``, or the problem that stops it from being read; with
    the problems of its rows (references to rows that do not exist)."""
    shown = display_path(path)
    try:
        _check_file(path, shown)
        conn = connect_read_only(path)
    except _Unreadable as exc:
        return None, [exc.problem]
    except sqlite3.Error as exc:
        return None, [_damaged(shown, exc)]
    try:
        _check_schema(conn, shown)
        problems: list[Problem] = []
        return _rows(conn, Database(shown), problems), problems
    except _Unreadable as exc:
        return None, [exc.problem]
    except (sqlite3.Error, ValueError, OverflowError) as exc:
        return None, [_damaged(shown, exc)]
    finally:
        conn.close()


def _damaged(shown: str, exc: Exception) -> Problem:
    return Problem(Loc(shown), f"cannot read the database: {exc}",
                   "The file is damaged or not a DNA 3 database; open it in DNA to check, or restore a copy")


def _texts(*columns: str) -> str:
    """Text columns as text: a number or a blob stored where DNA keeps text is read as its text."""
    return ", ".join(f"CAST({c} AS TEXT)" for c in columns)


def _rows(conn: sqlite3.Connection, db: Database, problems: list[Problem]) -> Database:
    def where(table: str, ident: Any) -> str:
        return f"{table} row ID={ident}"

    def hole(table: str, ident: Any, what: str, hint: str = "The database is damaged: open it in DNA and check "
             "the statement, or restore a copy") -> None:
        problems.append(Problem(Loc(db.shown), f"{where(table, ident)}: {what}", hint))

    for row in conn.execute("SELECT ID, " + _texts("Title", "Text", "Author", "Source", "Section", "Notes", "Type") + ", Date FROM DOCUMENTS ORDER BY ID"):
        db.documents[row[0]] = dict(zip(("id", "title", "text", "author", "outlet", "section", "notes", "type", "date"), row))
    db.types = dict(conn.execute("SELECT ID, " + _texts("Label") + " FROM STATEMENTTYPES ORDER BY ID"))
    for ident, name, datatype, type_id in conn.execute("SELECT ID, " + _texts("Variable", "DataType") + ", StatementTypeId FROM VARIABLES ORDER BY ID"):
        db.variables[ident] = Variable(ident, name, datatype, type_id)
    for ident, variable, value in conn.execute("SELECT ID, VariableId, " + _texts("Value") + " FROM ENTITIES ORDER BY ID"):
        if variable not in db.variables:
            hole("ENTITIES", ident, f"its variable {variable} does not exist")
            continue
        db.entities[ident] = DnaEntity(ident, variable, value or "")
    attribute_names = {}
    for ident, variable, name in conn.execute("SELECT ID, VariableId, " + _texts("AttributeVariable") + " FROM ATTRIBUTEVARIABLES ORDER BY ID"):
        attribute_names[ident] = name
    for ident, entity, attribute, value in conn.execute(
            "SELECT ID, EntityId, AttributeVariableId, " + _texts("AttributeValue") + " FROM ATTRIBUTEVALUES ORDER BY ID"):
        if entity not in db.entities or attribute not in attribute_names:
            what = f"entity {entity}" if entity not in db.entities else f"attribute variable {attribute}"
            hole("ATTRIBUTEVALUES", ident, f"its {what} does not exist")
            continue
        if value:
            db.entities[entity].attributes[attribute_names[attribute]] = value
    for ident, type_id, document, start, stop in conn.execute(
            "SELECT ID, StatementTypeId, DocumentId, Start, Stop FROM STATEMENTS ORDER BY ID"):
        if type_id not in db.types:
            hole("STATEMENTS", ident, f"its statement type {type_id} does not exist")
        elif document not in db.documents:
            hole("STATEMENTS", ident, f"its document {document} does not exist")
        elif not isinstance(start, int) or not isinstance(stop, int) or not 0 <= start < stop:
            hole("STATEMENTS", ident, f"the span {start}-{stop} is not a span of a text",
                 "Start and Stop are character offsets, Start before Stop; open the statement in DNA and mark it again")
        else:
            db.statements[ident] = DnaStatement(ident, type_id, document, start, stop)
    broken: set[int] = set()  # statements with a value that points nowhere: reported once, not read
    for datatype, table in DATA_TABLES.items():
        column = "Entity" if table == "DATASHORTTEXT" else _texts("Value") if table == "DATALONGTEXT" else "Value"
        for ident, statement, variable, value in conn.execute(
                f"SELECT ID, StatementId, VariableId, {column} FROM {table} ORDER BY ID"):
            if statement not in db.statements:
                if conn.execute("SELECT 1 FROM STATEMENTS WHERE ID = ?", (statement,)).fetchone() is None:
                    hole(table, ident, f"its statement {statement} does not exist")
                continue  # a statement already reported
            if variable not in db.variables:
                hole(table, ident, f"its variable {variable} does not exist (statement {statement})")
                broken.add(statement)
                continue
            if table == "DATASHORTTEXT" and value not in db.entities:
                hole(table, ident, f"its entity {value} does not exist (statement {statement})")
                broken.add(statement)
                continue
            db.statements[statement].values[variable] = value
    for statement in broken:
        del db.statements[statement]
    return db


# ----------------------------------------------------------------------------- offsets


def dna_text(text: str) -> str:
    """The text as DNA's text pane holds it, which its offsets count in: line ends read as ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Utf16Offsets:
    """Java's UTF-16 offsets in a text → Python's code point offsets (they differ after any character
    outside the Basic Multilingual Plane, an emoji say, which Java counts as two)."""

    def __init__(self, text: str):
        self.length = len(text)
        self.wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]  # code point offsets of the wide characters
        self.units = self.length + len(self.wide)

    def to_code_points(self, offset: int) -> int | None:
        """The code point offset of UTF-16 ``offset``; None when it is past the end or inside a character."""
        if not self.wide:
            return offset if 0 <= offset <= self.length else None
        if not 0 <= offset <= self.units:
            return None
        # the k-th wide character starts at UTF-16 offset wide[k] + k; count those starting before offset
        lo, hi = 0, len(self.wide)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.wide[mid] + mid < offset:
                lo = mid + 1
            else:
                hi = mid
        k = lo
        if k and self.wide[k - 1] + k - 1 + 1 == offset:
            return None  # between the two halves of a surrogate pair
        return offset - k


# ----------------------------------------------------------------------------- the mapping of statement types


@dataclass
class TypeRule:
    """What a DNA statement type's variables mean (the ``dna:`` entry of the mapping)."""

    loc: Loc
    roles: dict[str, tuple[str, ...]]
    relation: str | None = None
    relation_variable: str | None = None
    values: dict[str, str | None] = field(default_factory=dict)  # None: ignore statements with that value
    member_of: dict[str, str] = field(default_factory=dict)
    classes: dict[str, EntityRule] = field(default_factory=dict)

    def entity_rule(self, variable: str, role: str) -> EntityRule:
        """The class (and kind) of the entities of ``variable``: as mapped, else by the role it fills."""
        rule = self.classes.get(variable)
        if rule is not None:
            return rule
        return EntityRule("proposal" if role in ("object", "for") else "actor", None, self.loc)


def _names(value: Any) -> tuple[str, ...]:
    return () if value is None else tuple(value) if isinstance(value, list) else (value,)


def _relation_word(word: str, loc: Loc, what: str, problems: list[Problem]) -> str | None:
    relations = terms().relations
    if word in STANCE_RELATIONS:
        return STANCE_RELATIONS[word]
    if word in relations:
        return word
    problems.append(Problem(loc, f"{what}: unknown relation {word!r}",
                            did_you_mean(word, [*relations, *STANCE_RELATIONS]) or "Use a relation or a stance "
                            "(supports, opposes, considering, undecided)"))
    return None


def type_rule(value: Any, loc: Loc, problems: list[Problem]) -> TypeRule | None:
    """The rule a ``dna:`` entry says (its shape is checked by the mapping schema), or None for ``ignore``
    (or when it has problems, which are added to ``problems``)."""
    if value == "ignore":
        return None
    before = len(problems)
    roles = {role: _names(value.get(role)) for role in ROLES if value.get(role)}
    rule = TypeRule(loc, roles, member_of=dict(value.get("member-of") or {}))
    if ("relation" in value) == ("relation-variable" in value):
        problems.append(Problem(loc, "give either 'relation:' (one relation for every statement of the type) or "
                                "'relation-variable:' with 'values:'"))
    if "relation" in value:
        rule.relation = _relation_word(value["relation"], loc, "relation", problems)
    if "relation-variable" in value:
        rule.relation_variable = value["relation-variable"]
        for key, word in (value.get("values") or {}).items():
            rule.values[str(key)] = None if word == "ignore" else _relation_word(word, loc, f"values: {key}", problems)
    for variable, entity in (value.get("classes") or {}).items():
        found = entity_rule(entity, loc, problems)
        if found is not None and found.cls is None:
            problems.append(Problem(loc, f"classes: {variable}: a variable's entities are an actor, a proposal or a condition"))
        elif found is not None:
            rule.classes[variable] = found
    return rule if len(problems) == before else None


# ----------------------------------------------------------------------------- reading


def read_dna(path: Path, registry: Registry) -> tuple[list[Source], list[Entity], list[Problem]]:
    """The sources and new registry entries of the DNA 3 database ``path``, and every problem."""
    db, problems = read_database(path)
    if db is None:
        return [], [], problems
    mapping, found = read_mapping(find_mapping(path.parent))
    problems += found
    reader = _Reader(db, mapping, problems)
    sources = reader.read(registry)
    return sources, reader.new_entities, problems


@dataclass
class _Coded:
    """One DNA statement, read through its type's rule: the entities in each role, and its relation."""

    row: DnaStatement
    source: Source
    start: int
    end: int
    relation: str
    roles: dict[str, list[int]]  # role → entity ids
    members: list[tuple[int, int]]  # (member entity, of entity)
    note: str | None


class _Reader:
    def __init__(self, db: Database, mapping: Mapping, problems: list[Problem]):
        self.db, self.mapping, self.problems = db, mapping, problems
        self.loc = Loc(db.shown)
        self.new_entities: list[Entity] = []
        self.rule_of: dict[str, TypeRule] = {}  # statement type label → its rule, once read
        self.variables_of: dict[int, dict[str, Variable]] = defaultdict(dict)
        for variable in db.variables.values():
            self.variables_of[variable.type_id][variable.name] = variable  # type: ignore[index]

    def problem(self, table: str, ident: Any, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.loc, f"{table} row ID={ident}: {message}", hint))

    # -- rules

    def rules(self) -> dict[int, TypeRule | None]:
        """The rule of each statement type that has statements; types without one are reported once each."""
        counts = Counter(st.type_id for st in self.db.statements.values())
        rows: dict[int, list[int]] = defaultdict(list)
        for st in self.db.statements.values():
            rows[st.type_id].append(st.id)  # type: ignore[index]
        out: dict[int, TypeRule | None] = {}
        for type_id, count in sorted(counts.items()):
            label = self.db.types[type_id]  # type: ignore[index]
            entry = self.mapping.dna.get(label)
            if entry is None:
                shown = ", ".join(map(str, rows[type_id][:_SHOWN_ROWS])) + (", ..." if count > _SHOWN_ROWS else "")
                names = ", ".join(self.variables_of[type_id])  # type: ignore[index]
                self.problems.append(Problem(self.loc, f"{count} statement{'s' if count != 1 else ''} of type {label!r} "
                                             f"{'are' if count != 1 else 'is'} not mapped (STATEMENTS rows ID={shown}): "
                                             "the mapping does not say what its variables mean",
                                             f"Map it in mapping.yaml under 'dna:' (its variables: {names}), or write "
                                             f"'{label}: ignore'; {DRAFT_HINT}; see docs/input-formats.md",
                                             group=unmapped_group("dna", label),
                                             count=count))
                continue
            rule = type_rule(entry[0], entry[1], self.problems)
            if rule is not None and self._rule_fits(rule, label, type_id):
                out[type_id] = self.rule_of[label] = rule  # type: ignore[index]
            else:
                out[type_id] = None  # type: ignore[index]
        return out

    def _rule_fits(self, rule: TypeRule, label: str, type_id: int) -> bool:
        """Whether every variable the rule names is a variable of the statement type, of a fitting kind."""
        have = self.variables_of[type_id]
        named = [v for vs in rule.roles.values() for v in vs] + list(rule.member_of) + list(rule.member_of.values())
        named += [rule.relation_variable] if rule.relation_variable else []
        ok = True
        for name in dict.fromkeys(named):
            variable = have.get(name)
            if variable is None:
                self.problems.append(Problem(rule.loc, f"the mapping of {label!r} names the variable {name!r}, which "
                                             f"{self.db.shown} does not have for that statement type",
                                             did_you_mean(name, have) or "Its variables are " + ", ".join(have)))
                ok = False
            elif name != rule.relation_variable and variable.datatype != "short text":
                self.problems.append(Problem(rule.loc, f"the mapping of {label!r}: {name!r} is a {variable.datatype} "
                                             "variable; subjects, objects and members are short-text variables (entities)"))
                ok = False
        return ok

    # -- sources

    def source(self, doc: dict[str, Any], taken: set[str]) -> Source:
        text = dna_text(doc["text"] or "")
        stem = slug(Path(self.db.shown).stem, "dna")
        title = " ".join((doc["title"] or "").split()) or title_of(text) or f"Document {doc['id']}"
        source = Source(id=unique(f"{stem}-{doc['id']}", taken), title=title, path=self.db.shown, loc=self.loc)
        source.content = text
        if doc["author"]:
            source.authors = (doc["author"].strip(),)
        published = self.date(doc)
        if published:
            source.published = published
        notes = []
        kind = kebab(doc["type"] or "")
        if kind in terms().source_types:
            source.type = kind
        elif doc["type"]:
            notes.append(f"Type: {doc['type']}")
        if doc["section"]:
            notes.append(f"Section: {doc['section']}")
        if doc["notes"]:
            notes.append(doc["notes"].strip())
        notes.append(f"Coded in Discourse Network Analyzer: {self.db.shown}, document {doc['id']}.")
        source.note = "\n".join(notes)
        source.locs = {key: self.loc for key in ("id", "title", "type", "publisher", "author", "published", "note")}
        return source

    def date(self, doc: dict[str, Any]) -> str | None:
        """The document's date: DNA 3 stores seconds since 1970 (UTC)."""
        value = doc["date"]
        if value is None or value == "":
            return None
        try:
            return datetime.fromtimestamp(int(value), tz=timezone.utc).strftime("%Y-%m-%d")
        except (ValueError, OverflowError, OSError, TypeError):
            self.problem("DOCUMENTS", doc["id"], f"the date {value!r} is not a time in seconds since 1970",
                         "DNA 3 stores seconds (DNA 2 stored milliseconds): open the document in DNA and set its date")
            return None

    # -- statements

    def read(self, registry: Registry) -> list[Source]:
        rules = self.rules()
        taken: set[str] = set()
        sources: dict[int, Source] = {}
        offsets: dict[int, Utf16Offsets] = {}
        for doc in self.db.documents.values():
            source = self.source(doc, taken)
            taken.add(source.id)
            sources[doc["id"]] = source
        coded: list[_Coded] = []
        skipped: Counter[tuple[str, str]] = Counter()
        for st in self.db.statements.values():
            rule = rules.get(st.type_id)  # type: ignore[arg-type]
            if rule is None:
                continue
            doc = self.db.documents[st.document]  # type: ignore[index]
            source = sources[doc["id"]]
            text = source.content or ""
            index = offsets.get(doc["id"])
            if index is None:
                index = offsets[doc["id"]] = Utf16Offsets(text)
            start, end = index.to_code_points(st.start), index.to_code_points(st.stop)
            if start is None or end is None:
                self.problem("STATEMENTS", st.id, f"the span {st.start}-{st.stop} is outside document {doc['id']}'s "
                             f"text ({index.units} characters)" if st.stop > index.units or st.start > index.units else
                             f"the span {st.start}-{st.stop} cuts a character of document {doc['id']}'s text in two",
                             "Open the document in DNA and mark the statement again")
                continue
            if not text[start:end].strip():
                self.problem("STATEMENTS", st.id, f"the span {st.start}-{st.stop} of document {doc['id']} is blank",
                             "Open the document in DNA and mark the statement's words")
                continue
            found = self.statement(st, rule, source, start, end, skipped)
            if found is not None:
                coded.append(found)
        for (label, value), count in sorted(skipped.items()):
            rule = self.rule_of[label]
            self.problems.append(Problem(rule.loc, f"{count} statement{'s' if count != 1 else ''} of type {label!r} "
                                         f"{'have' if count != 1 else 'has'} {rule.relation_variable} = {value!r}, which "
                                         "the mapping does not say the relation of",
                                         f"Add '\"{value}\": RELATION' (or 'ignore') under its 'values:'",
                                         group=unmapped_group("dna", f"{label}: {rule.relation_variable} = {value}"),
                                         count=count))
        ids = self.resolve(coded, sources, registry)
        for item in coded:
            self.emit(item, ids)
        self.members(coded, ids)
        return list(sources.values())

    def value(self, st: DnaStatement, variable: Variable) -> str | None:
        raw = st.values.get(variable.id)
        if raw is None:
            return None
        if variable.datatype == "short text":
            return self.db.entities[raw].value
        return str(raw)

    def statement(self, st: DnaStatement, rule: TypeRule, source: Source, start: int, end: int,
                  skipped: Counter[tuple[str, str]]) -> _Coded | None:
        have = self.variables_of[st.type_id]  # type: ignore[index]
        label = self.db.types[st.type_id]  # type: ignore[index]
        relation = rule.relation
        if rule.relation_variable:
            value = self.value(st, have[rule.relation_variable])
            if value is None:
                self.problem("STATEMENTS", st.id, f"it has no value for {rule.relation_variable}",
                             "Open the statement in DNA and set it")
                return None
            if value not in rule.values:
                skipped[(label, value)] += 1
                return None
            relation = rule.values[value]
            if relation is None:
                return None  # the mapping ignores statements with this value
        roles: dict[str, list[int]] = {}
        for role, names in rule.roles.items():
            filled = [st.values[have[n].id] for n in names
                      if have[n].id in st.values and self.db.entities[st.values[have[n].id]].value.strip()]
            roles[role] = filled if role == "according-to" else filled[:1]
        for needed in ("subject", "object"):
            if not roles.get(needed):
                names = " or ".join(rule.roles[needed])
                self.problem("STATEMENTS", st.id, f"no {needed}: {names} {'is' if len(rule.roles[needed]) == 1 else 'are'} empty",
                             "Open the statement in DNA and fill it in, or map the type's variables otherwise")
                return None
        roles["according-to"] = [e for e in roles.get("according-to", []) if e not in roles["subject"]]
        members = []
        for member, of in rule.member_of.items():
            a, b = st.values.get(have[member].id), st.values.get(have[of].id)
            if a is not None and b is not None and self.db.entities[a].value.strip() and self.db.entities[b].value.strip():
                members.append((a, b))
        used = {n for names in rule.roles.values() for n in names} | {rule.relation_variable}
        notes = [f"{name}: {self.value(st, variable)}" for name, variable in have.items()
                 if name not in used and (self.value(st, variable) or "").strip()]
        notes.append(f"Discourse Network Analyzer statement {st.id} ({label}).")
        return _Coded(st, source, start, end, relation or "", roles, members, "\n".join(notes))

    # -- entities

    def resolve(self, coded: list[_Coded], sources: dict[int, Source], registry: Registry) -> dict[str, str]:
        """Registry ids for the entities the statements name and the documents' outlets."""
        mentions: dict[str, Mention] = {}
        same: list[list[str]] = []
        role_of: dict[int, tuple[str, str]] = {}  # entity id → (role, type label)
        for item in coded:
            for role, entities in item.roles.items():
                for entity in entities:
                    role_of.setdefault(entity, (role, self.db.types[item.row.type_id]))  # type: ignore[index]
            for member, of in item.members:
                role_of.setdefault(member, ("subject", self.db.types[item.row.type_id]))  # type: ignore[index]
                role_of.setdefault(of, ("subject", self.db.types[item.row.type_id]))  # type: ignore[index]
        for entity_id, (role, label) in role_of.items():
            entity = self.db.entities[entity_id]
            rule = self.rule_of[label]
            variable = self.db.variables[entity.variable].name
            self._mention(entity, rule.entity_rule(variable, role), mentions, same)
        for doc_id, source in sources.items():
            outlet = (self.db.documents[doc_id]["outlet"] or "").strip()
            if outlet:
                key = f"{self.db.shown}:DOCUMENTS:{doc_id}:Source"
                mentions[key] = Mention(key, outlet, "actor", self.loc, kind="news-outlet")
        ids, entities, found = resolve_mentions(list(mentions.values()), same, registry)
        self.problems.extend(found)
        for doc_id, source in sources.items():
            key = f"{self.db.shown}:DOCUMENTS:{doc_id}:Source"
            if key in ids:
                source.publisher = ids[key]
        self.new_entities = entities
        return ids

    def _mention(self, entity: DnaEntity, rule: EntityRule, mentions: dict[str, Mention], same: list[list[str]]) -> None:
        key = self.key(entity.id)
        attributes = dict(entity.attributes)
        kind = rule.kind
        notes = []
        type_value = attributes.pop(TYPE_ATTRIBUTE, "").strip()
        if type_value:
            mapped = self.mapping.entity(type_value)
            if kind is None and rule.cls == "actor" and mapped is not None and mapped.cls == "actor" and mapped.kind:
                kind = mapped.kind
            else:
                notes.append(f"Type: {type_value}")
        if rule.cls != "actor":
            kind = None
        note = attributes.pop(NOTES_ATTRIBUTE, "").strip()
        if note:
            notes.append(note)
        aliases = [a.strip() for a in attributes.pop(ALIAS_ATTRIBUTE, "").split(";") if a.strip()]
        notes += [f"{name}: {value}" for name, value in sorted(attributes.items()) if value.strip()]
        text = entity.value.strip()
        mention = Mention(key, text, rule.cls or "actor", self.loc, kind=kind, name=text)
        mention.notes = notes
        mentions[key] = mention
        group = [key]
        for n, alias in enumerate(a for a in aliases if a != text):
            alias_key = f"{key}:alias{n}"
            mentions[alias_key] = Mention(alias_key, alias, mention.cls, self.loc, kind=kind)
            group.append(alias_key)
        if len(group) > 1:
            same.append(group)

    def key(self, entity_id: int) -> str:
        return f"{self.db.shown}:ENTITIES:{entity_id}"

    def emit(self, item: _Coded, ids: dict[str, str]) -> None:
        def of(role: str) -> list[str]:
            return [ids[self.key(e)] for e in item.roles.get(role, [])]

        subject, obj = of("subject")[0], of("object")[0]
        according = tuple(i for i in dict.fromkeys(of("according-to")) if i != subject) or None
        text = item.source.content or ""
        item.source.statements.append(Statement(
            subject=subject, relation=item.relation, object=obj, quote=text[item.start:item.end], loc=self.loc,
            id=f"dna-{item.row.id}", regarding=(of("for") or [None])[0], according_to=according,
            start=item.start, end=item.end, note=item.note,
            locs={key: self.loc for key in ("id", "subject", "relation", "object", "quote", "for", "according-to",
                                            "start", "end", "note")},
        ))

    def members(self, coded: list[_Coded], ids: dict[str, str]) -> None:
        """part-of for the new actors that are members of another (a person of an organization): the one
        they are coded with most often (the first of those on a tie)."""
        new = {e.id: e for e in self.new_entities}
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for item in coded:
            for member, of in item.members:
                a, b = ids[self.key(member)], ids[self.key(of)]
                if a != b and a in new and new[a].cls == "actor" and new[a].part_of is None:
                    counts[a][b] += 1
        for ident, of in counts.items():
            new[ident].part_of = of.most_common(1)[0][0]
            new[ident].locs["part-of"] = self.loc


# ----------------------------------------------------------------------------- the importer


def dna_scheme(path: Path) -> Scheme:
    """The statement types of the database at ``path``, with their variables, how many statements each
    has (and the first rows) and the values of their variables that are not entities (for ``mapping
    draft``). A database that cannot be read gives an empty scheme: building says why."""
    scheme = Scheme("Discourse Network Analyzer")
    db, _ = read_database(path)
    if db is None:
        return scheme
    for type_id, label in db.types.items():
        use = scheme.declare("dna", label)
        use.detail.update(variables={v.name: v.datatype for v in db.variables.values() if v.type_id == type_id},
                          values=defaultdict(Counter), rows=[], where="STATEMENTS rows ID=")
    for st in db.statements.values():
        use = scheme.uses[("dna", db.types[st.type_id])]  # type: ignore[index]
        use.count += 1
        if len(use.detail["rows"]) < 3:
            use.detail["rows"].append(st.id)
        for variable_id, value in st.values.items():
            variable = db.variables[variable_id]
            if variable.datatype != "short text":
                use.detail["values"][variable.name][str(value)] += 1
    return scheme


class DnaImporter:
    """Discourse Network Analyzer 3: one ``.dna`` SQLite database."""

    name = "dna"
    title = "Discourse Network Analyzer (DNA 3 database)"
    suffixes = (".dna",)

    def claims_folder(self, folder: Path, names: list[str]) -> bool:
        return False

    def claims_file(self, path: Path) -> bool:
        # the ending is DNA's alone: a .dna file that is not SQLite (damaged, or of DNA 1.x) is claimed
        # too, so that reading it says what is wrong instead of it being skipped
        return path.suffix.lower() == ".dna"

    def read(self, path: Path, registry: Registry) -> Imported:
        sources, entities, problems = read_dna(path, registry)
        return Imported(sources, entities, problems)

    def scheme(self, path: Path) -> Scheme:
        return dna_scheme(path)


importer = DnaImporter()

__all__ = ["DnaImporter", "TABLES", "Utf16Offsets", "connect_read_only", "dna_scheme", "dna_text", "importer",
           "read_database", "read_dna"]
