"""Reading YAML safely, keeping the file, line and column of every value.

PyYAML (its C parser when available) composes the document into a node tree; we build plain Python
values from the nodes ourselves. That gives us:

* a position for every key and value, so every later problem can name ``file:line:col``;
* no object construction from tags: ``!!python/object`` and any other non-standard tag is a problem;
* no alias expansion: anchors and aliases (``&a`` / ``*a``) are refused, which also makes "billion
  laughs" alias bombs harmless;
* strings for dates and times: ``2024-03-30`` stays the text the analyst wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputProblems, Loc, Problem

try:  # the C parser is ~3x faster; fall back to the pure-Python one where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[Any, ...]

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:timestamp",
}
_MAX_DEPTH = 64
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """A YAML file read into plain values, with the location of each value by its path."""

    path: str
    data: Any
    positions: dict[Path_, Loc] = field(default_factory=dict)

    def loc(self, *path: Any) -> Loc:
        """The location of the value at ``path``, or of its closest parent that has one."""
        p = tuple(path)
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), Loc(self.path, 1, 1))


def _loc_at(data: bytes | str, index: int, path: str) -> Loc:
    """The line and column of ``data[index]``, counting lines by their ``\\n``."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    line = data.count(newline, 0, index) + 1
    col = index - (data.rfind(newline, 0, index) + 1) + 1
    return Loc(path, line, col)


def _decode(raw: bytes, path: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputProblems(
            [
                Problem(
                    _loc_at(raw, exc.start, path),
                    f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                    "Save it as UTF-8 in your editor",
                )
            ]
        ) from None


def load_yaml(path: Path | str, display: str | None = None) -> Document:
    """Read one YAML file. Raises :class:`InputProblems` naming the file and line on any problem."""
    shown = display or str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputProblems([Problem(Loc(shown), f"cannot read the file ({exc.strerror})")]) from None
    return loads_yaml(raw, shown)


def loads_yaml(raw: bytes | str, shown: str) -> Document:
    text = _decode(raw, shown) if isinstance(raw, bytes) else raw
    try:
        _check_depth(text, shown)
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Loc(shown, mark.line + 1, mark.column + 1) if mark else Loc(shown)
        what = " ".join(x for x in (exc.context, exc.problem) if x) or "invalid YAML"
        raise InputProblems(
            [Problem(where, f"YAML syntax error: {what}", "Check indentation, colons and quotes on this line")]
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow; libyaml counts its position in bytes
        index = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        where = _loc_at(text, index, shown) if index >= 0 else Loc(shown)
        raise InputProblems(
            [Problem(where, f"YAML does not allow the character U+{exc.character:04X} ({exc.reason})",
                     "Remove it, or write it as an escape such as \\x01 inside double quotes")]
        ) from None
    except UnicodeEncodeError as exc:  # a str holding a lone surrogate: not Unicode text, libyaml cannot read it
        raise InputProblems(
            [Problem(_loc_at(text, exc.start, shown), f"the text holds a lone surrogate (U+{ord(text[exc.start]):04X})",
                     "Save the file as UTF-8 text")]
        ) from None
    except yaml.YAMLError as exc:
        raise InputProblems([Problem(Loc(shown), " ".join(f"YAML error: {exc}".split()))]) from None
    if len(nodes) > 1:
        second = nodes[1]
        raise InputProblems(
            [
                Problem(
                    Loc(shown, second.start_mark.line + 1, second.start_mark.column + 1),
                    "the file holds more than one YAML document",
                    "Keep one document per file (remove the '---' separator)",
                )
            ]
        )
    doc = Document(shown, None)
    if not nodes or nodes[0] is None:
        return doc
    problems: list[Problem] = []
    doc.data = _build(nodes[0], (), doc, problems, set())
    if problems:
        raise InputProblems(problems)
    return doc


def _check_depth(text: str, shown: str) -> None:
    """Refuse a document nested deeper than ``_MAX_DEPTH`` before it is composed.

    libyaml's composer recurses on the C stack: some tens of thousands of nested ``[`` crash the
    interpreter. Its event stream is flat, so nesting is counted there first.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > _MAX_DEPTH:
                mark = event.start_mark
                raise InputProblems(
                    [Problem(Loc(shown, mark.line + 1, mark.column + 1), f"the document nests deeper than {_MAX_DEPTH} levels")]
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _loc(doc: Document, node: yaml.Node) -> Loc:
    return Loc(doc.path, node.start_mark.line + 1, node.start_mark.column + 1)


def _build(node: yaml.Node, path: Path_, doc: Document, problems: list[Problem], seen: set[int]) -> Any:
    loc = _loc(doc, node)
    doc.positions[path] = loc
    if id(node) in seen:
        problems.append(
            Problem(doc.positions.get(path + ("__key__",), loc), "YAML anchors and aliases (&name, *name) are not supported", "Write the value out in full")
        )
        return None
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.tag not in _SCALAR_TAGS:
            problems.append(
                Problem(loc, f"the YAML tag {node.tag!r} is not allowed", "Remove the tag; write plain values")
            )
            return None
        if node.tag in (_STR, "tag:yaml.org,2002:timestamp"):
            return node.value
        try:
            return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
        except (ValueError, KeyError, IndexError):  # an explicit tag on a value that does not fit it: !!int abc
            problems.append(
                Problem(loc, f"{node.value!r} is not a valid {node.tag.rpartition(':')[2]}", "Remove the tag, or correct the value")
            )
            return None
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            problems.append(Problem(loc, f"the YAML tag {node.tag!r} is not allowed", "Remove the tag"))
            return None
        return [_build(item, path + (i,), doc, problems, seen) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            problems.append(Problem(loc, f"the YAML tag {node.tag!r} is not allowed", "Remove the tag"))
            return None
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(
                    Problem(_loc(doc, key_node), "YAML merge keys (<<) are not supported", "Write the keys out")
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                problems.append(Problem(_loc(doc, key_node), "a key must be a plain word"))
                continue
            key = key_node.value
            if key in out:
                problems.append(
                    Problem(
                        _loc(doc, key_node),
                        f"the key {key!r} appears twice in this mapping (first at line {doc.positions[path + (key,)].line})",
                        "Keep one",
                    )
                )
                continue
            doc.positions[path + (key, "__key__")] = _loc(doc, key_node)
            out[key] = _build(value_node, path + (key,), doc, problems, seen)
        return out
    problems.append(Problem(loc, "unexpected YAML node"))  # pragma: no cover
    return None
