"""Build Discourse Network Analyzer 3 databases for tests and benchmarks, with DNA's own schema.

``DDL`` is the SQLite schema DNA 3 creates for a new database: the CREATE TABLE statements of
``Sql.createTables`` (the ``sqlite`` branch) in leifeld/dna, dna/src/main/java/sql/Sql.java (DNA 3.0.x,
GPL-3.0), copied as text, nothing else of that file. The rows put into them here are written for these
tests: the default statement type and variables DNA's own "new database" creates, and invented documents.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

# --- DNA 3's schema: CREATE TABLE statements from leifeld/dna dna/src/main/java/sql/Sql.java (sqlite branch)
DDL: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS SETTINGS("
    "Property TEXT PRIMARY KEY, "
    "Value TEXT NOT NULL);",
    "CREATE TABLE IF NOT EXISTS CODERS("
    "ID INTEGER NOT NULL PRIMARY KEY, "
    "Name TEXT NOT NULL CHECK (LENGTH(Name) < 191), "
    "Red INTEGER NOT NULL DEFAULT 0 CHECK (Red BETWEEN 0 AND 255), "
    "Green INTEGER NOT NULL DEFAULT 0 CHECK (Green BETWEEN 0 AND 255), "
    "Blue INTEGER NOT NULL DEFAULT 0 CHECK (Blue BETWEEN 0 AND 255), "
    "Refresh INTEGER NOT NULL CHECK (Refresh BETWEEN 0 AND 9999) DEFAULT 0, "
    "FontSize INTEGER NOT NULL CHECK (FontSize BETWEEN 1 AND 99) DEFAULT 14, "
    "Password TEXT NOT NULL CHECK (LENGTH(Password) < 191), "
    "PopupWidth INTEGER CHECK (PopupWidth BETWEEN 100 AND 9999) DEFAULT 300, "
    "ColorByCoder INTEGER NOT NULL CHECK (ColorByCoder BETWEEN 0 AND 1) DEFAULT 0, "
    "PopupDecoration INTEGER NOT NULL CHECK (PopupDecoration BETWEEN 0 AND 1) DEFAULT 0, "
    "PopupAutoComplete INTEGER NOT NULL CHECK (PopupAutoComplete BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionAddDocuments INTEGER NOT NULL CHECK (PermissionAddDocuments BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionEditDocuments INTEGER NOT NULL CHECK (PermissionEditDocuments BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionDeleteDocuments INTEGER NOT NULL CHECK (PermissionDeleteDocuments BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionImportDocuments INTEGER NOT NULL CHECK (PermissionImportDocuments BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionAddStatements INTEGER NOT NULL CHECK (PermissionAddStatements BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionEditStatements INTEGER NOT NULL CHECK (PermissionEditStatements BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionDeleteStatements INTEGER NOT NULL CHECK (PermissionDeleteStatements BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionEditAttributes INTEGER NOT NULL CHECK (PermissionEditAttributes BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionEditRegex INTEGER NOT NULL CHECK (PermissionEditRegex BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionEditStatementTypes INTEGER NOT NULL CHECK (PermissionEditStatementTypes BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionEditCoders INTEGER NOT NULL CHECK (PermissionEditCoders BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionEditCoderRelations INTEGER NOT NULL CHECK (PermissionEditCoderRelations BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionViewOthersDocuments INTEGER NOT NULL CHECK (PermissionViewOthersDocuments BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionEditOthersDocuments INTEGER NOT NULL CHECK (PermissionEditOthersDocuments BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionViewOthersStatements INTEGER NOT NULL CHECK (PermissionViewOthersStatements BETWEEN 0 AND 1) DEFAULT 1, "
    "PermissionEditOthersStatements INTEGER NOT NULL CHECK (PermissionEditOthersStatements BETWEEN 0 AND 1) DEFAULT 1);",
    "CREATE TABLE IF NOT EXISTS DOCUMENTS("
    "ID INTEGER NOT NULL PRIMARY KEY, "
    "Title TEXT NOT NULL CHECK (LENGTH(Title) < 191), "
    "Text TEXT NOT NULL, "
    "Coder INTEGER, "
    "Author TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Author) < 191), "
    "Source TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Source) < 191), "
    "Section TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Section) < 191), "
    "Notes TEXT NOT NULL DEFAULT '', "
    "Type TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Type) < 191), "
    "Date INTEGER NOT NULL, "
    "FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS STATEMENTTYPES("
    "ID INTEGER NOT NULL PRIMARY KEY, "
    "Label TEXT NOT NULL CHECK (LENGTH(Label) < 191), "
    "Red INTEGER NOT NULL DEFAULT 0 CHECK (Red BETWEEN 0 AND 255), "
    "Green INTEGER NOT NULL DEFAULT 0 CHECK (Green BETWEEN 0 AND 255), "
    "Blue INTEGER NOT NULL DEFAULT 0 CHECK (Blue BETWEEN 0 AND 255));",
    "CREATE TABLE IF NOT EXISTS VARIABLES("
    "ID INTEGER NOT NULL PRIMARY KEY, "
    "Variable TEXT NOT NULL CHECK (LENGTH(Variable) < 191), "
    "DataType TEXT NOT NULL CHECK (DataType = 'boolean' OR DataType = 'integer' OR DataType = 'long text' OR DataType = 'short text') DEFAULT 'short text', "
    "StatementTypeId INTEGER, "
    "FOREIGN KEY(StatementTypeId) REFERENCES STATEMENTTYPES(ID) ON DELETE CASCADE, "
    "UNIQUE (Variable, StatementTypeId));",
    "CREATE TABLE IF NOT EXISTS VARIABLELINKS("
    "ID INTEGER NOT NULL PRIMARY KEY, "
    "SourceVariableId INTEGER, "
    "TargetVariableId INTEGER, "
    "CHECK (TargetVariableId != SourceVariableId), "
    "FOREIGN KEY(SourceVariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(TargetVariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS REGEXES("
    "Label TEXT PRIMARY KEY CHECK (LENGTH(Label) < 191), "
    "Red INTEGER NOT NULL DEFAULT 0 CHECK (Red BETWEEN 0 AND 255), "
    "Green INTEGER NOT NULL DEFAULT 0 CHECK (Green BETWEEN 0 AND 255), "
    "Blue INTEGER NOT NULL DEFAULT 0 CHECK (Blue BETWEEN 0 AND 255));",
    "CREATE TABLE IF NOT EXISTS CODERRELATIONS("
    "ID INTEGER NOT NULL PRIMARY KEY, "
    "Coder INTEGER CHECK(Coder > 0), "
    "OtherCoder INTEGER CHECK(OtherCoder > 0), "
    "viewStatements INTEGER NOT NULL DEFAULT 1 CHECK(viewStatements BETWEEN 0 AND 1), "
    "editStatements INTEGER NOT NULL DEFAULT 1 CHECK(editStatements BETWEEN 0 AND 1), "
    "viewDocuments INTEGER NOT NULL DEFAULT 1 CHECK(viewDocuments BETWEEN 0 AND 1), "
    "editDocuments INTEGER NOT NULL DEFAULT 1 CHECK(editDocuments BETWEEN 0 AND 1), "
    "CHECK (Coder != OtherCoder), "
    "FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(OtherCoder) REFERENCES CODERS(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS STATEMENTS("
    "ID INTEGER NOT NULL PRIMARY KEY, "
    "StatementTypeId INTEGER, "
    "DocumentId INTEGER, "
    "Start INTEGER NOT NULL CHECK(Start >= 0), "
    "Stop INTEGER NOT NULL CHECK(Stop >= 0), "
    "Coder INTEGER, "
    "CHECK (Start < Stop), "
    "FOREIGN KEY(StatementTypeId) REFERENCES STATEMENTTYPES(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(DocumentId) REFERENCES DOCUMENTS(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS DATABOOLEAN("
    "ID INTEGER PRIMARY KEY NOT NULL, "
    "StatementId INTEGER NOT NULL, "
    "VariableId INTEGER NOT NULL, "
    "Value INTEGER NOT NULL DEFAULT 1, "
    "FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, "
    "UNIQUE (StatementId, VariableId));",
    "CREATE TABLE IF NOT EXISTS DATAINTEGER("
    "ID INTEGER PRIMARY KEY NOT NULL, "
    "StatementId INTEGER NOT NULL, "
    "VariableId INTEGER NOT NULL, "
    "Value INTEGER NOT NULL DEFAULT 0, "
    "FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, "
    "UNIQUE (StatementId, VariableId));",
    "CREATE TABLE IF NOT EXISTS ENTITIES("
    "ID INTEGER PRIMARY KEY NOT NULL, "
    "VariableId INTEGER NOT NULL, "
    "Value TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Value) < 191), "
    "Red INTEGER CHECK (Red BETWEEN 0 AND 255), "
    "Green INTEGER CHECK (Green BETWEEN 0 AND 255), "
    "Blue INTEGER CHECK (Blue BETWEEN 0 AND 255), "
    "ChildOf INTEGER CHECK(ChildOf > 0), "
    "UNIQUE (VariableId, Value), "
    "FOREIGN KEY(ChildOf) REFERENCES ENTITIES(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS DATASHORTTEXT("
    "ID INTEGER PRIMARY KEY NOT NULL, "
    "StatementId INTEGER NOT NULL, "
    "VariableId INTEGER NOT NULL, "
    "Entity INTEGER NOT NULL, "
    "FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(Entity) REFERENCES ENTITIES(ID) ON DELETE CASCADE, "
    "UNIQUE (StatementId, VariableId));",
    "CREATE TABLE IF NOT EXISTS DATALONGTEXT("
    "ID INTEGER PRIMARY KEY NOT NULL, "
    "StatementId INTEGER NOT NULL, "
    "VariableId INTEGER NOT NULL, "
    "Value TEXT DEFAULT '', "
    "FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, "
    "UNIQUE (StatementId, VariableId));",
    "CREATE TABLE IF NOT EXISTS ATTRIBUTEVARIABLES("
    "ID INTEGER PRIMARY KEY NOT NULL, "
    "VariableId INTEGER NOT NULL, "
    "AttributeVariable TEXT NOT NULL CHECK (LENGTH(AttributeVariable) < 191), "
    "UNIQUE(VariableId, AttributeVariable), "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS ATTRIBUTEVALUES("
    "ID INTEGER PRIMARY KEY NOT NULL, "
    "EntityId INTEGER NOT NULL, "
    "AttributeVariableId INTEGER NOT NULL, "
    "AttributeValue TEXT NOT NULL DEFAULT '' CHECK (LENGTH(AttributeValue) < 191), "
    "UNIQUE (EntityId, AttributeVariableId), "
    "FOREIGN KEY(EntityId) REFERENCES ENTITIES(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(AttributeVariableId) REFERENCES ATTRIBUTEVARIABLES(ID) ON DELETE CASCADE);",
)

#: the statement type and variables DNA 3 puts into a new database (ids as DNA gives them)
DNA_STATEMENT = {"person": "short text", "organization": "short text", "concept": "short text", "agreement": "boolean"}
ATTRIBUTES = ("Type", "Alias", "Notes")


def utf16(text: str, offset: int) -> int:
    """The UTF-16 offset (Java's, DNA's) of the code point ``offset`` of ``text``."""
    return len(text[:offset].encode("utf-16-le")) // 2


@dataclass
class DnaFile:
    """A DNA 3 database being written: documents, statement types, statements and entity attributes."""

    path: Path
    conn: sqlite3.Connection = field(init=False)

    def __post_init__(self) -> None:
        self.conn = sqlite3.connect(self.path)
        for statement in DDL:
            self.conn.execute(statement)
        self.conn.execute("INSERT INTO CODERS (ID, Name, Red, Green, Blue, Password) VALUES (1, 'Admin', 255, 255, 0, 'x')")
        self.conn.execute("INSERT INTO SETTINGS (Property, Value) VALUES ('version', '3.0.11')")
        self.statement_type("DNA Statement", DNA_STATEMENT)

    def statement_type(self, label: str, variables: dict[str, str]) -> int:
        cur = self.conn.execute("INSERT INTO STATEMENTTYPES (Label) VALUES (?)", (label,))
        type_id = cur.lastrowid
        for name, datatype in variables.items():
            cur = self.conn.execute("INSERT INTO VARIABLES (Variable, DataType, StatementTypeId) VALUES (?, ?, ?)",
                                    (name, datatype, type_id))
            if datatype == "short text":
                for attribute in ATTRIBUTES:
                    self.conn.execute("INSERT INTO ATTRIBUTEVARIABLES (VariableId, AttributeVariable) VALUES (?, ?)",
                                      (cur.lastrowid, attribute))
        return int(type_id)  # type: ignore[arg-type]

    def document(self, title: str, text: str, date: int, *, author: str = "", source: str = "", section: str = "",
                 notes: str = "", type: str = "") -> int:
        cur = self.conn.execute("INSERT INTO DOCUMENTS (Title, Text, Coder, Author, Source, Section, Notes, Type, Date) "
                                "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)", (title, text, author, source, section, notes, type, date))
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def variable(self, type_id: int, name: str) -> tuple[int, str]:
        row = self.conn.execute("SELECT ID, DataType FROM VARIABLES WHERE StatementTypeId = ? AND Variable = ?",
                                (type_id, name)).fetchone()
        return row[0], row[1]

    def entity(self, variable: int, value: str) -> int:
        row = self.conn.execute("SELECT ID FROM ENTITIES WHERE VariableId = ? AND Value = ?", (variable, value)).fetchone()
        if row:
            return int(row[0])
        cur = self.conn.execute("INSERT INTO ENTITIES (VariableId, Value) VALUES (?, ?)", (variable, value))
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def statement(self, document: int, text: str, words: str, values: dict[str, object], *, type_id: int = 1,
                  occurrence: int = 0) -> int:
        """A statement marking ``words`` (their ``occurrence``-th time) in ``text``, offsets as DNA counts them."""
        at = -1
        for _ in range(occurrence + 1):
            at = text.index(words, at + 1)
        return self.span(document, utf16(text, at), utf16(text, at + len(words)), values, type_id=type_id)

    def span(self, document: int, start: int, stop: int, values: dict[str, object], *, type_id: int = 1) -> int:
        cur = self.conn.execute("INSERT INTO STATEMENTS (StatementTypeId, DocumentId, Start, Stop, Coder) "
                                "VALUES (?, ?, ?, ?, 1)", (type_id, document, start, stop))
        statement = int(cur.lastrowid)  # type: ignore[arg-type]
        for name, value in values.items():
            variable, datatype = self.variable(type_id, name)
            if datatype == "short text":
                self.conn.execute("INSERT INTO DATASHORTTEXT (StatementId, VariableId, Entity) VALUES (?, ?, ?)",
                                  (statement, variable, self.entity(variable, str(value))))
            else:
                table = {"long text": "DATALONGTEXT", "boolean": "DATABOOLEAN", "integer": "DATAINTEGER"}[datatype]
                self.conn.execute(f"INSERT INTO {table} (StatementId, VariableId, Value) VALUES (?, ?, ?)",
                                  (statement, variable, value))
        return statement

    def attribute(self, type_id: int, variable_name: str, value: str, attribute: str, attribute_value: str) -> None:
        variable, _ = self.variable(type_id, variable_name)
        entity = self.entity(variable, value)
        attribute_id = self.conn.execute("SELECT ID FROM ATTRIBUTEVARIABLES WHERE VariableId = ? AND AttributeVariable = ?",
                                         (variable, attribute)).fetchone()[0]
        self.conn.execute("INSERT INTO ATTRIBUTEVALUES (EntityId, AttributeVariableId, AttributeValue) VALUES (?, ?, ?)",
                          (entity, attribute_id, attribute_value))

    def close(self) -> Path:
        self.conn.commit()
        self.conn.close()
        return self.path
