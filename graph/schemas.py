"""The JSON Schemas of the native files (``schema/*.schema.json``) and their violations as problems.

Source files, registry files and mapping files are checked against a shipped schema before anything
reads them, so that readers can trust the shape of what they get. Each violation becomes one
:class:`~.errors.Problem` at the ``file:line:col`` of the offending value, with a hint in the words of
docs/annotation-format.md rather than JSON Schema's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .names import did_you_mean
from .yamlread import Document

if TYPE_CHECKING:  # jsonschema is imported when a document is invalid (jsonschema-rs says whether it is)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

_ID_HINT = "Ids use lower-case letters, digits, '.', '_' and '-', and start with a letter or digit"


@cache
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema shipped with the package: ``"source"``, ``"registry"`` or ``"mapping"``."""
    return json.loads(files("stancegraph.graph").joinpath(f"schema/{name}.schema.json").read_text("utf-8"))


@cache
def _validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(name))


@cache
def _fast_validator(name: str) -> Any:
    """jsonschema-rs's validator for the schema (some 50 times faster), or None where it is missing."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - it is a dependency; keep working without it
        return None
    return jsonschema_rs.validator_for(schema(name))


def schema_problems(doc: Document, name: str) -> list[Problem]:
    """Check ``doc`` against the shipped JSON Schema ``name``; one readable problem per violation.

    Valid documents (nearly all of them) are recognised by jsonschema-rs; the messages for invalid ones
    come from jsonschema, whose errors carry the paths we turn into file:line:col."""
    fast = _fast_validator(name)
    if fast is not None and fast.is_valid(doc.data):
        return []
    problems = []
    for error in sorted(_validator(name).iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))):
        problems.extend(explain(doc, error))
    return problems


@cache
def _metadata_validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    native = schema("source")
    return Draft202012Validator({"$defs": native["$defs"], "type": "object", "properties": {
        "source": {**native["properties"]["source"], "required": []}}})


def metadata_problems(doc: Document) -> list[Problem]:
    """Check ``doc``, shaped ``{"source": {...}}``, against the ``source:`` part of a native source file
    with no key required: the metadata a mapping file gives for a document of another tool, whose
    id and title can be made up from the document."""
    return [problem for error in _metadata_validator().iter_errors(doc.data) for problem in explain(doc, error)]


def _field(path: Iterable[Any]) -> str:
    names = [p for p in path if isinstance(p, str)]
    return names[-1] if names else "the file"


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a text", bool: "true/false", int: "a number",
            float: "a number", type(None): "empty"}.get(type(value), type(value).__name__)


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def explain(doc: Document, error: ValidationError) -> list[Problem]:
    """What the schema violation ``error`` in ``doc`` means to the person who wrote the file."""
    path = tuple(error.absolute_path)
    loc = doc.loc(*path)
    field = _field(path)
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1]
        return [Problem(loc, f"{'the file' if not path else field!s} is missing {missing!r}", f"Add '{missing}:'")]
    if kind == "additionalProperties":
        allowed = error.schema.get("properties", {})
        out = []
        for key in sorted(set(error.instance) - set(allowed)):
            hint = did_you_mean(key, allowed) or "Allowed here: " + ", ".join(sorted(allowed))
            out.append(Problem(doc.loc(*path, key, "__key__"), f"unknown key {key!r}", hint))
        return out
    if kind == "pattern":
        container = _at(doc.data, path)
        if isinstance(container, dict) and error.instance in container:  # a key failed propertyNames
            return [Problem(doc.loc(*path, error.instance, "__key__"), f"{error.instance!r} is not a valid id", _ID_HINT)]
        if field == "id":
            hint = _ID_HINT
        elif field == "wikidata":
            hint = "Write the Wikidata item id, such as Q42"
        else:
            hint = "See docs/annotation-format.md"
        return [Problem(loc, f"{field}: {error.instance!r} is not valid", hint)]
    if kind == "type" and field in ("published", "date", "since"):
        return [Problem(loc, f"{field} should be a date written YYYY, YYYY-MM or YYYY-MM-DD, not {_type_name(error.instance)}",
                        f"Write it as text, e.g. {field}: '2024-03-30'")]
    if kind == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        words = " or ".join({"object": "a mapping", "array": "a list", "string": "a text", "number": "a number",
                             "integer": "a whole number", "boolean": "true or false", "null": "empty"}[t]
                            for t in expected)
        return [Problem(loc, f"{field} should be {words}, not {_type_name(error.instance)}")]
    if kind == "oneOf":
        return [Problem(loc, f"{field} should be a text or a list of texts, not {_type_name(error.instance)}")]
    if kind == "const":
        return [Problem(loc, f"{field}: this version of stancegraph reads format {error.validator_value}",
                        f"Write '{field}: {error.validator_value}' or upgrade stancegraph")]
    if kind == "minLength":
        return [Problem(loc, f"{field} must not be empty")]
    if kind == "anyOf" and not path:
        return [Problem(loc, "a registry needs at least one of 'actors', 'proposals' or 'conditions'")]
    return [Problem(loc, f"{field}: {error.message}")]


__all__ = ["explain", "metadata_problems", "schema", "schema_problems"]
