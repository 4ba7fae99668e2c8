"""The fuzz harness (issue 16): mutate the fixtures of every reader and run the command line on each
mutant, counting what happened.

Every outcome must be a success or a clean problem report. What counts against us:

* **traceback**: an exception other than click's own exits escaped the command, or "Traceback" was printed;
* **hang**: one input took longer than ``HANG_SECONDS`` (the worker is killed and started again);
* **memory**: the worker's peak resident size went over ``MEMORY_MB``;
* **clobbered**: a run that failed changed the output that was there before it;
* **unreadable**: a run that succeeded wrote a graph file that stancegraph's own reader refuses.

Mutants are made from a seed, the reader's name and the input's number, so each one can be made again:
``python benchmarks/fuzz.py --reader brat --only 117 --keep DIR`` writes input 117 of the brat reader to
DIR with the command that was run on it. ``benchmarks/fuzz.py`` runs thousands per reader and prints the table
of docs/reliability.md; ``tests/test_fuzz.py`` runs a seeded few hundred per reader in the test suite.

Inputs run one at a time in a worker process (``multiprocessing``, spawned), so that a hang can be cut
short and a blow-up of memory measured without taking the caller down with it.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import random
import re
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
EXAMPLE = HERE.parent / "examples" / "gaza-day-after"

HANG_SECONDS = 10.0
MEMORY_MB = 1024
SENTINEL = b"the output that was there before this run\n"

# --- values that have broken readers before, or could --------------------------------------------------

HOSTILE_TEXT = (
    "", " ", "\t\n", "\u2028", "\u2029", "\x00", "\ufeff", "\ufffd", "x" * 300,
    "٢٠٢٤-٠٣-١٢", "２０２４", "2024-13-45", "2024-02-30", "0000", "-1", "1e309", "NaN", "9" * 400,
    "../../../../etc/passwd", "/dev/zero", "a" * 256 + ".txt", "nul\x00byte.txt",
    "https://a/%zz", "https://a/x#y#z", "http://127.0.0.1:1/context.jsonld", "file:///etc/passwd",
    "javascript:alert(1)", "<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>",
    "id:X Y\n<a> <b> <c> .", "'; DROP TABLE STATEMENTS; --", "{{7*7}}", "${jndi:ldap://x}",
    "ﷺ‮evil", "שלום", "مرحبا", "e\u0301", "🏳️‍🌈", "=1/0", "@import", "*a", "&a", "!!python/object:os.system",
)
HOSTILE_SCALARS: tuple[object, ...] = (None, True, False, 0, -1, 1.5, -0.0, 10**400, 2**63, float("inf"))
TOKENS: tuple[bytes, ...] = (
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", "\u2028".encode(), b"\r", b"\t", b"\xed\xa0\x80", b"\xc3", b"\x80",
    "٢".encode(), "²".encode(), b"{", b"}", b"[", b"]", b"&a ", b"*a", b"!!binary ", b"%zz", b"<script>",
    b'"', b"'", b"\\", b"9" * 400, b"-1", b"1e309", b":", b"- ", b"\n  ", b"#", b"@", b"<", b">",
)


def hostile_value(rng: random.Random) -> object:
    pick = rng.random()
    if pick < 0.45:
        return rng.choice(HOSTILE_TEXT)
    if pick < 0.75:
        return rng.choice(HOSTILE_SCALARS)
    if pick < 0.85:
        return {"a": rng.choice(HOSTILE_TEXT)}
    if pick < 0.95:
        return [rng.choice(HOSTILE_TEXT), rng.choice(HOSTILE_SCALARS)]
    return "y" * rng.choice((10_000, 1_000_000))


# --- byte-level mutations, for any file -------------------------------------------------------------------

def _flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _insert(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(TOKENS) + data[at:]


def _delete(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[at + rng.randint(1, 64):]


def _repeat(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    piece = data[at: at + rng.randint(1, 200)]
    return data[:at] + piece * rng.randint(2, 50) + data[at:]


def _reencode(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    how = rng.choice(("utf-16", "utf-16-be", "latin-1", "cp1256", "bom"))
    if how == "bom":
        return b"\xef\xbb\xbf" + data
    return text.encode(how, "replace")


def _lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    if len(lines) < 2:
        return data + b"\n" + data
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    how = rng.choice(("swap", "drop", "double"))
    if how == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif how == "drop":
        del lines[i]
    else:
        lines.insert(i, lines[j])
    return b"\n".join(lines)


BYTE_MUTATIONS: tuple[Callable[[bytes, random.Random], bytes], ...] = (
    _flip, _truncate, _insert, _delete, _repeat, _reencode, _lines)


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    return rng.choice(BYTE_MUTATIONS)(data, rng)


# --- structure-aware mutations ----------------------------------------------------------------------------

def _paths(node: object, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*path, i))


def _get(node: object, path: tuple) -> object:
    for step in path:
        node = node[step]  # type: ignore[index]
    return node


def mutate_tree(tree: object, rng: random.Random) -> object:
    """Change one node of parsed YAML or JSON: a hostile value, another node's value, a key dropped or renamed,
    an item doubled, a list turned into its first item."""
    paths = [p for p in _paths(tree) if p]
    if not paths:
        return hostile_value(rng)
    path = rng.choice(paths)
    parent = _get(tree, path[:-1])
    key = path[-1]
    how = rng.random()
    if how < 0.5:
        parent[key] = hostile_value(rng)  # type: ignore[index]
    elif how < 0.65:
        parent[key] = _get(tree, rng.choice(paths))  # type: ignore[index]  # a value of the wrong field
    elif how < 0.75 and isinstance(parent, dict):
        del parent[key]
    elif how < 0.8 and isinstance(parent, dict):
        parent[rng.choice(HOSTILE_TEXT) or "k"] = parent.pop(key)
    elif how < 0.9 and isinstance(parent, list):
        parent.insert(key, parent[key])
    else:
        value = parent[key]  # type: ignore[index]
        if isinstance(value, list) and value:
            parent[key] = value[0]  # type: ignore[index]
        elif isinstance(value, str) and value[:1].isdigit():
            parent[key] = "".join(chr(ord(c) + 0x0660 - 0x30) if c.isdigit() else c for c in value)  # type: ignore[index]
        else:
            parent[key] = [value]  # type: ignore[index]
    return tree


def _deep(depth: int, json_like: bool) -> str:
    return "[" * depth + ("1" if json_like else "x") + "]" * depth


YAML_BOMB = "".join(
    f"b{i}: &b{i} [" + ", ".join([f"*b{i - 1}" if i else "lol"] * 9) + "]\n" for i in range(10))


def mutate_yaml(data: bytes, rng: random.Random) -> bytes:
    import yaml

    pick = rng.random()
    if pick < 0.3:
        return mutate_bytes(data, rng)
    if pick < 0.36:
        return data + b"\n" + YAML_BOMB.encode()
    if pick < 0.42:
        text = data.decode("utf-8", "replace")
        at = rng.choice([m.end() for m in re.finditer(r": ", text)] or [len(text)])
        return (text[:at] + _deep(rng.choice((100, 5_000, 50_000)), False) + text[at:]).encode()
    try:
        tree = yaml.safe_load(data)
    except yaml.YAMLError:
        return mutate_bytes(data, rng)
    tree = mutate_tree(tree, rng)
    try:
        return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")
    except (yaml.YAMLError, RecursionError, ValueError):
        return mutate_bytes(data, rng)


def mutate_json(data: bytes, rng: random.Random) -> bytes:
    pick = rng.random()
    if pick < 0.3:
        return mutate_bytes(data, rng)
    if pick < 0.37:
        text = data.decode("utf-8", "replace")
        at = rng.choice([m.end() for m in re.finditer(r": ", text)] or [0])
        return (text[:at] + _deep(rng.choice((100, 5_000, 100_000)), True) + text[at:]).encode()
    try:
        tree = json.loads(data)
    except ValueError:
        return mutate_bytes(data, rng)
    tree = mutate_tree(tree, rng)
    try:
        return json.dumps(tree, ensure_ascii=rng.random() < 0.5, allow_nan=True).encode("utf-8", "surrogatepass")
    except (ValueError, RecursionError):
        return mutate_bytes(data, rng)


def mutate_tabbed(data: bytes, rng: random.Random) -> bytes:
    """brat standoff: change one field of one line (offsets, type, reference, covered text)."""
    if rng.random() < 0.35:
        return mutate_bytes(data, rng)
    lines = data.decode("utf-8", "replace").split("\n")
    i = rng.randrange(len(lines))
    fields = lines[i].split("\t")
    j = rng.randrange(len(fields))
    words = fields[j].split(" ")
    k = rng.randrange(len(words))
    words[k] = rng.choice((
        str(rng.randint(-5, 10**7)), "²", "٣", "1.5", "", "T999", "E1", "R1:T1", "A1", words[k] + ";0 1",
        f"{rng.randint(0, 300)};{rng.randint(0, 300)}", str(rng.choice(HOSTILE_TEXT)), "Arg1:T1", "Arg1:" + "T" * 50))
    fields[j] = " ".join(words)
    lines[i] = "\t".join(fields)
    if rng.random() < 0.1:
        lines.insert(rng.randrange(len(lines) + 1), lines[i])  # the same id twice
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def mutate_csv(data: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.35:
        return mutate_bytes(data, rng)
    text = data.decode("utf-8", "replace")
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        return mutate_bytes(data, rng)
    i = rng.randrange(len(rows))
    how = rng.random()
    if how < 0.7 and rows[i]:
        rows[i][rng.randrange(len(rows[i]))] = str(hostile_value(rng))
    elif how < 0.8:
        rows[i].append(str(hostile_value(rng)))  # a ragged row
    elif how < 0.9:
        del rows[i]
    else:
        rows = rows * rng.randint(2, 200)
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


def mutate_xml(data: bytes, rng: random.Random) -> bytes:
    """UIMA CAS XMI: an attribute value changed, an element dropped, an entity bomb, or bytes."""
    pick = rng.random()
    if pick < 0.3:
        return mutate_bytes(data, rng)
    text = data.decode("utf-8", "replace")
    if pick < 0.36:
        bomb = ('<!DOCTYPE x [<!ENTITY a "lol">' + "".join(
            f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9)) + "]>")
        return text.replace("?>", "?>" + bomb, 1).replace("sofaString=\"", "sofaString=\"&j;", 1).encode()
    if pick < 0.42:
        return text.replace("?>", '?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1).replace(
            "sofaString=\"", "sofaString=\"&e;", 1).encode()
    attributes = list(re.finditer(r'(\w+)="([^"]*)"', text))
    if pick < 0.85 and attributes:
        m = rng.choice(attributes)
        value = str(hostile_value(rng)).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        if rng.random() < 0.4:
            value = rng.choice(("-1", "99999999", "1.5", "", "x", "0 1", m.group(2) + " 1"))
        return (text[: m.start(2)] + value + text[m.end(2):]).encode("utf-8", "surrogatepass")
    elements = list(re.finditer(r"<[^!?/][^>]*/>", text))
    if elements:
        m = rng.choice(elements)
        return (text[: m.start()] + text[m.end():]).encode()
    return mutate_bytes(data, rng)


def mutate_sqlite(path: Path, rng: random.Random) -> None:
    """A DNA database: one cell set to a value of the wrong kind, rows removed, a table dropped, or bytes."""
    if rng.random() < 0.25:
        path.write_bytes(mutate_bytes(path.read_bytes(), rng))
        return
    db = sqlite3.connect(path)
    try:
        _change_database(db, rng)
        db.close()
    except sqlite3.Error:  # a change the database refuses (a unique key, a type): break it another way
        db.close()
        path.write_bytes(mutate_bytes(path.read_bytes(), rng))


def _change_database(db: sqlite3.Connection, rng: random.Random) -> None:
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    table = rng.choice(tables)
    rows = [r[0] for r in db.execute(f"SELECT rowid FROM {table} ORDER BY rowid")]  # not random(): unseeded
    chosen = rng.sample(rows, min(len(rows), rng.randint(1, 3)))
    marks = ",".join("?" * len(chosen))
    how = rng.random()
    if how < 0.75:
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
        column = rng.choice(columns)
        value = hostile_value(rng)
        if isinstance(value, (dict, list)):
            value = json.dumps(value)
        elif isinstance(value, int) and abs(value) >= 2**63:
            value = str(value)
        elif isinstance(value, str):
            value = value if rng.random() < 0.8 else value.encode("utf-8", "surrogatepass")
        db.execute("PRAGMA ignore_check_constraints = ON")
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute(f"UPDATE {table} SET {column} = ? WHERE rowid IN ({marks})", (value, *chosen))
    elif how < 0.9:
        db.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", chosen)
    else:
        db.execute(f"DROP TABLE {table}")
    db.commit()


def mutate_xlsx(path: Path, rng: random.Random) -> None:
    if rng.random() < 0.3:
        path.write_bytes(mutate_bytes(path.read_bytes(), rng))
        return
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[-1] if rng.random() < 0.9 else book.worksheets[0]
    row, column = rng.randint(1, sheet.max_row + 1), rng.randint(1, sheet.max_column + 1)
    value = hostile_value(rng)
    if isinstance(value, (dict, list)) or (isinstance(value, int) and abs(value) > 2**53) or (
            isinstance(value, float) and value != value * 0 + value):
        value = str(value)
    value = rng.choice((value, 45000.5, -3, "=1/0", "=A1", "#DIV/0!"))
    if isinstance(value, str):
        value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)[:32_000]
    try:
        sheet.cell(row=row, column=column, value=value)
    except (ValueError, TypeError):
        sheet.cell(row=row, column=column, value=str(value)[:100])
    book.save(path)


def mutate_ntriples(data: bytes, rng: random.Random) -> bytes:
    """A graph file of stancegraph's: drop a triple (a position, a label, a selector), point an object at another
    node, give a literal another datatype, or bytes."""
    if rng.random() < 0.3:
        return mutate_bytes(data, rng)
    lines = [line for line in data.split(b"\n") if line]
    i = rng.randrange(len(lines))
    how = rng.random()
    if how < 0.4:
        del lines[i]
    elif how < 0.6:
        other = rng.choice(lines).split(b" ")[0]
        parts = lines[i].rsplit(b" ", 2)
        if len(parts) == 3 and other.startswith(b"<"):
            lines[i] = parts[0] + b" " + other + b" ."
    elif how < 0.8:
        lines[i] = re.sub(rb"\^\^<[^>]*>", rng.choice(
            (b"^^<http://www.w3.org/2001/XMLSchema#integer>", b"^^<http://www.w3.org/2001/XMLSchema#date>",
             b"^^<http://www.w3.org/2001/XMLSchema#decimal>", b"")), lines[i])
        lines[i] = re.sub(rb'"[^"]*"', b'"' + rng.choice((b"x", b"-1", b"99999999999999999999", b"", b"1.5",
                                                            b"2024-99-99")) + b'"', lines[i], count=1)
    else:
        lines = lines[: rng.randrange(len(lines) + 1)]
    return b"\n".join(lines) + b"\n"


# --- the readers ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reader:
    """A reader under test: a fixture folder, the file in it to mutate, how, and the command to run."""

    name: str
    fixture: Callable[[Path], Path]  # makes the project in the given folder; returns the file to mutate
    mutate: Callable[[Path, random.Random], None]
    command: Callable[[Path, random.Random], list[str]]  # the arguments, given the project folder
    output: str | None = "out.nt"  # the graph file a build writes (checked readable, never clobbered)


def _on_bytes(how: Callable[[bytes, random.Random], bytes]) -> Callable[[Path, random.Random], None]:
    def mutate(path: Path, rng: random.Random) -> None:
        path.write_bytes(how(path.read_bytes(), rng))
    return mutate


def _copy(source: Path, target: str) -> Callable[[Path], Path]:
    def fixture(folder: Path) -> Path:
        shutil.copytree(source, folder / "p", symlinks=True)
        return folder / "p" / target
    return fixture


def _build(folder: Path, rng: random.Random) -> list[str]:
    args = ["build", str(folder / "p"), "--no-cache", "-o", str(folder / "out.nt")]
    args.append("--shacl" if rng.random() < 0.05 else "--no-shacl")
    if rng.random() < 0.2:
        args.append("--skip-invalid")
    return args


def _dna_fixture(folder: Path) -> Path:
    sys.path.insert(0, str(HERE))
    from test_dna import make_project  # noqa: PLC0415 - the tests' own DNA fixture

    return make_project(folder / "p")


GRAPH_BUILT: dict[str, bytes] = {}


def _graph_fixture(syntax: str) -> Callable[[Path], Path]:
    def fixture(folder: Path) -> Path:
        if syntax not in GRAPH_BUILT:
            from stancegraph.graph import build
            from stancegraph.output import serialize

            names = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nq": "nquads"}
            GRAPH_BUILT[syntax] = serialize(build([EXAMPLE], shacl=False).dataset, names[syntax])
        path = folder / f"graph.{syntax}"
        path.write_bytes(GRAPH_BUILT[syntax])
        return path
    return fixture


READING = (("stats",), ("matrix",), ("blockers",), ("contradictions",), ("export", "--format", "gexf"),
           ("export", "--format", "csv"), ("query", "--named", "stances"), ("view",))


def _read_command(syntax: str) -> Callable[[Path, random.Random], list[str]]:
    def command(folder: Path, rng: random.Random) -> list[str]:
        name, *rest = rng.choice(READING)
        args = [name, str(folder / f"graph.{syntax}"), *rest]
        if name in ("export", "view"):
            args += ["-o", str(folder / ("out.html" if name == "view" else "out.x"))]
        if name != "view" or rng.random() < 0.5:
            args.append("--no-index")
        return args
    return command


def _graph_mutation(syntax: str) -> Callable[[Path, random.Random], None]:
    if syntax in ("nt", "nq"):
        return _on_bytes(mutate_ntriples)
    if syntax == "jsonld":
        return _on_bytes(mutate_json)
    return _on_bytes(mutate_bytes)


READERS: dict[str, Reader] = {
    "source": Reader("source", _copy(EXAMPLE, "sources/newsmax-2024-03-pentagon-gaza-force.yaml"),
                     _on_bytes(mutate_yaml), _build),
    "registry": Reader("registry", _copy(EXAMPLE, "registry.yaml"), _on_bytes(mutate_yaml), _build),
    "mapping": Reader("mapping", _copy(DATA / "brat" / "harbor", "mapping.yaml"), _on_bytes(mutate_yaml), _build),
    "brat": Reader("brat", _copy(DATA / "brat" / "harbor", "harbor-patrol.ann"), _on_bytes(mutate_tabbed), _build),
    "brat-text": Reader("brat-text", _copy(DATA / "brat" / "harbor", "harbor-patrol.txt"),
                        _on_bytes(mutate_bytes), _build),
    "webanno": Reader("webanno", _copy(DATA / "webanno", "fishing-accord.jsonld"), _on_bytes(mutate_json), _build),
    "hypothesis": Reader("hypothesis", _copy(DATA / "webanno", "hypothesis-export.json"),
                         _on_bytes(mutate_json), _build),
    "labelstudio": Reader("labelstudio", _copy(DATA / "labelstudio", "export.json"), _on_bytes(mutate_json), _build),
    "cas": Reader("cas", _copy(DATA / "cas", "ceasefire.xmi"), _on_bytes(mutate_xml), _build),
    "dna": Reader("dna", _dna_fixture, mutate_sqlite, _build),
    "csv": Reader("csv", _copy(DATA / "sheets" / "coding", "claims.csv"), _on_bytes(mutate_csv), _build),
    "codebook": Reader("codebook", _copy(DATA / "sheets" / "coding", "codebook.csv"), _on_bytes(mutate_csv), _build),
    "xlsx": Reader("xlsx", _copy(DATA / "sheets" / "coding-xlsx", "claims.xlsx"), mutate_xlsx, _build),
    **{f"graph-{syntax}": Reader(f"graph-{syntax}", _graph_fixture(syntax), _graph_mutation(syntax),
                                 _read_command(syntax), output=None)
       for syntax in ("ttl", "nt", "jsonld", "trig", "nq")},
}


# --- running one input ------------------------------------------------------------------------------------

@dataclass
class Outcome:
    kind: str  # success, problem, traceback, hang, memory, clobbered, unreadable
    detail: str = ""
    seconds: float = 0.0


def rng_for(seed: int, reader: str, number: int) -> random.Random:
    return random.Random(f"{seed}:{reader}:{number}")


def make_input(reader: Reader, folder: Path, seed: int, number: int) -> list[str]:
    """Make mutant ``number`` of ``reader`` in ``folder``; returns the command's arguments."""
    rng = rng_for(seed, reader.name, number)
    target = reader.fixture(folder)
    reader.mutate(target, rng)
    if reader.output:
        (folder / reader.output).write_bytes(SENTINEL)
    return reader.command(folder, rng)


def _readable(path: Path) -> str | None:
    import pyoxigraph

    try:
        for _ in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES):
            pass
    except (SyntaxError, ValueError, OSError) as error:
        return f"{type(error).__name__}: {error}"
    return None


def run_input(reader: Reader, folder: Path, seed: int, number: int) -> Outcome:
    from click.testing import CliRunner

    from stancegraph.cli.main import cli

    args = make_input(reader, folder, seed, number)
    started = time.perf_counter()
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        runner = CliRunner()
    result = runner.invoke(cli, args, prog_name="stancegraph")
    seconds = time.perf_counter() - started
    error = result.exception
    printed = (result.stdout or "") + (result.stderr or "")
    if error is not None and not isinstance(error, SystemExit):
        frames = traceback.extract_tb(error.__traceback__)
        where = next((f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames)
                      if "stancegraph" in f.filename or "/work/" in f.filename), "?")
        return Outcome("traceback", f"{type(error).__name__} at {where}: {str(error)[:160]}", seconds)
    if "Traceback (most recent call last)" in printed:
        return Outcome("traceback", "printed a traceback", seconds)
    out = folder / reader.output if reader.output else None
    if result.exit_code != 0:
        if out is not None and (not out.exists() or out.read_bytes() != SENTINEL):
            return Outcome("clobbered", f"exit {result.exit_code} changed {reader.output}", seconds)
        if not printed.strip():
            return Outcome("problem", "exit without a message", seconds)  # counted, and flagged by the tests
        return Outcome("problem", printed.strip().splitlines()[-1][:200], seconds)
    if out is not None:
        why = _readable(out)
        if why:
            return Outcome("unreadable", why[:200], seconds)
    return Outcome("success", "", seconds)


def _worker(connection, reader_name: str, seed: int, scratch: str) -> None:  # type: ignore[no-untyped-def]
    """Run the inputs the parent sends, one at a time; answer each with its outcome and the peak RSS."""
    os.environ["XDG_CACHE_HOME"] = str(Path(scratch) / "cache")
    os.environ["STANCEGRAPH_NO_INDEX"] = "1"
    os.environ.pop("CI", None)
    soft = 3 * 1024**3  # a safety net for the machine; the limit that counts is MEMORY_MB, measured
    resource.setrlimit(resource.RLIMIT_AS, (soft, soft))
    reader = READERS[reader_name]
    while True:
        number = connection.recv()
        if number is None:
            return
        folder = Path(tempfile.mkdtemp(dir=scratch))
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            outcome = run_input(reader, folder, seed, number)
        except MemoryError:
            outcome = Outcome("memory", "MemoryError")
        except BaseException as error:  # noqa: BLE001 - the harness itself must report, not die
            outcome = Outcome("traceback", f"in the harness: {type(error).__name__}: {error}"[:200])
        finally:
            os.chdir(cwd)
            shutil.rmtree(folder, ignore_errors=True)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        connection.send((outcome, peak))


@dataclass
class Tally:
    reader: str
    counts: Counter = field(default_factory=Counter)
    bad: list[tuple[int, Outcome]] = field(default_factory=list)
    silent: list[int] = field(default_factory=list)  # failed without a word
    slowest: float = 0.0
    peak_mb: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def failures(self) -> int:
        return sum(n for kind, n in self.counts.items() if kind not in ("success", "problem"))


class Runner:
    """One worker process for one reader; started again after a hang or a blow-up of memory."""

    def __init__(self, reader: str, seed: int, scratch: Path) -> None:
        self.reader, self.seed, self.scratch = reader, seed, scratch
        self.context = multiprocessing.get_context("spawn")
        self.process = None
        self.connection = None

    def start(self) -> None:
        parent, child = self.context.Pipe()
        self.process = self.context.Process(target=_worker, args=(child, self.reader, self.seed, str(self.scratch)),
                                            daemon=True)
        self.process.start()
        self.connection = parent

    def stop(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
            self.process = None

    def run(self, number: int) -> tuple[Outcome, int]:
        if self.process is None:
            self.start()
        self.connection.send(number)
        # the first input of a worker also pays for its imports
        if not self.connection.poll(HANG_SECONDS + 30):
            self.stop()
            return Outcome("hang", f"no answer within {HANG_SECONDS:.0f} s"), 0
        try:
            outcome, peak = self.connection.recv()
        except EOFError:
            code = self.process.exitcode if self.process else None
            self.stop()
            return Outcome("memory" if code in (-9, None) else "traceback", f"the worker died (exit {code})"), 0
        if outcome.seconds > HANG_SECONDS:
            outcome = Outcome("hang", f"took {outcome.seconds:.1f} s", outcome.seconds)
        if peak > MEMORY_MB:
            outcome = Outcome("memory", f"peak resident size {peak} MB", outcome.seconds)
            self.stop()  # the peak does not come down: start afresh
        return outcome, peak


def fuzz(reader: str, count: int, seed: int = 0, *, start: int = 0,
         progress: Callable[[int, Outcome], None] | None = None) -> Tally:
    tally = Tally(reader)
    with tempfile.TemporaryDirectory(prefix=f"sg-fuzz-{reader}-") as scratch:
        runner = Runner(reader, seed, Path(scratch))
        try:
            for number in range(start, start + count):
                outcome, peak = runner.run(number)
                tally.counts[outcome.kind] += 1
                tally.slowest = max(tally.slowest, outcome.seconds)
                tally.peak_mb = max(tally.peak_mb, peak)
                if outcome.kind not in ("success", "problem"):
                    tally.bad.append((number, outcome))
                elif outcome.detail == "exit without a message":
                    tally.silent.append(number)
                if progress:
                    progress(number, outcome)
        finally:
            runner.stop()
    return tally


def keep(reader: str, seed: int, number: int, folder: Path) -> list[str]:
    """Write mutant ``number`` into ``folder`` (to reproduce it) and return the command to run on it."""
    folder.mkdir(parents=True, exist_ok=True)
    return make_input(READERS[reader], folder, seed, number)
