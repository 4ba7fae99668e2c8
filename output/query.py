"""SPARQL over a graph: ad-hoc text, a .rq file, or a query from the shipped library (queries/*.rq).

Queries run over the union of all graphs plus the stancegraph vocabulary (so that labels of relations,
stances and hedges can be looked up), with the prefixes of :data:`stancegraph.ontology.PREFIXES` declared.
Two engines answer them alike: Oxigraph (:func:`run_store`, on a graph file's index: a million triples
answered in a second) and rdflib (:func:`run`, on a dataset: a build, a store's graph, ``--engine rdflib``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager

from stancegraph.graph.errors import StancegraphError
from stancegraph.ontology import ONTOLOGY_IRI, PREFIXES, vocabulary_graph


class QueryError(StancegraphError):
    """The query text is not valid SPARQL, or names an unknown library query."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str


@cache
def library() -> dict[str, NamedQuery]:
    """The shipped queries, by name (the file name without .rq)."""
    out = {}
    for entry in sorted(files("stancegraph.output").joinpath("queries").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text("utf-8")
        comments = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
        out[entry.name[:-3]] = NamedQuery(entry.name[:-3], " ".join(comments), text)
    return out


def named(name: str) -> NamedQuery:
    try:
        return library()[name]
    except KeyError:
        raise QueryError(f"no library query named {name!r}. Known: {', '.join(library())}") from None


@dataclass
class QueryResult:
    kind: str  # "select" | "ask" | "graph"
    columns: list[str]
    rows: list[list[Any]]  # rdflib or pyoxigraph terms (None for unbound); read once, for Oxigraph's
    answer: bool | None = None
    graph: Graph | None = None


def with_vocabulary(dataset: Dataset) -> Dataset:
    """``dataset`` with the vocabulary added as a named graph of its own (once)."""
    ontology = dataset.graph(ONTOLOGY_IRI)
    if len(ontology) == 0:
        ontology += vocabulary_graph()
    return dataset


def run(dataset: Dataset, text: str) -> QueryResult:
    """Run SPARQL ``text`` over the union of ``dataset``'s graphs and the vocabulary."""
    ds = with_vocabulary(dataset)
    ds.default_union = True
    try:
        result = ds.query(text, initNs=PREFIXES)
        # rdflib evaluates lazily: errors such as an invalid REGEX pattern only surface while the
        # results are read, so they are read here, inside the try.
        if result.type == "ASK":
            return QueryResult("ask", [], [], answer=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph(namespace_manager=NamespaceManager(Graph()))
            for prefix, ns in dataset.namespace_manager.namespaces():
                graph.bind(prefix, ns, override=True, replace=True)
            for triple in result:
                graph.add(triple)
            return QueryResult("graph", [], [], graph=graph)
        columns = [str(v) for v in result.vars]
        return QueryResult("select", columns, [list(row) for row in result])
    except Exception as exc:  # pyparsing and rdflib raise several kinds; all mean "bad query"
        message = " ".join(str(exc).split())
        raise QueryError(f"the query is not valid SPARQL: {message[:400]}") from None


def run_store(store: Any, text: str, namespaces: Dataset) -> QueryResult:
    """Run SPARQL ``text`` over the union of the graphs of ``store`` (a pyoxigraph store holding the
    vocabulary in a graph of its own, as an index does); a SELECT's rows are read as they are taken.
    ``namespaces``: a dataset whose prefixes a CONSTRUCT's Turtle declares."""
    import pyoxigraph

    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    _check_patterns(text)
    try:
        result = store.query(text, prefixes=prefixes, use_default_graph_as_union=True)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return QueryResult("ask", [], [], answer=bool(result))
        if isinstance(result, pyoxigraph.QueryTriples):
            graph = Graph(namespace_manager=NamespaceManager(Graph()))
            for prefix, ns in namespaces.namespace_manager.namespaces():
                graph.bind(prefix, ns, override=True, replace=True)
            for triple in result:
                graph.add(tuple(_rdflib_term(t) for t in (triple.subject, triple.predicate, triple.object)))
            return QueryResult("graph", [], [], graph=graph)
        columns = [v.value for v in result.variables]
        return QueryResult("select", columns, _solutions(result, len(columns)))  # type: ignore[arg-type]
    except (SyntaxError, ValueError, OSError) as exc:  # pyoxigraph: SyntaxError for the text, OSError while evaluating
        message = " ".join(str(exc).split())
        raise QueryError(f"the query is not valid SPARQL: {message[:400]}") from None


_REGEX_CALL = re.compile(r"\bREGEX\s*\(", re.IGNORECASE)
_STRING_LITERAL = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")


def _check_patterns(text: str) -> None:
    """A REGEX whose pattern is not a regular expression: an error, as rdflib says, where Oxigraph would
    take each FILTER on it for false and answer with nothing, silently."""
    for call in _REGEX_CALL.finditer(text):
        depth, i, quote = 0, call.end(), ""
        while i < len(text):  # to the comma ending the first argument
            c = text[i]
            if quote:
                if c == "\\":
                    i += 1
                elif c == quote:
                    quote = ""
            elif c in "\"'":
                quote = c
            elif c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            elif c == "," and depth == 0:
                literal = _STRING_LITERAL.match(text, i + 1)
                if literal:
                    pattern = literal.group(1)[1:-1].encode("utf-8").decode("unicode_escape", "ignore")
                    try:
                        re.compile(pattern)
                    except re.error as exc:
                        raise QueryError(f"the query is not valid SPARQL: REGEX pattern {literal.group(1)}: {exc}") from None
                break
            i += 1


def _solutions(result: Any, width: int) -> Any:
    for solution in result:
        yield [solution[i] for i in range(width)]


def _rdflib_term(term: Any) -> Any:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _STRING else URIRef(datatype))


_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term_text(term: Any, dataset: Dataset | None = None, compact: bool = False) -> str | None:
    """A result value as text: literals as their lexical form, IRIs full or as prefixed names."""
    if term is None:
        return None
    if type(term) is _Text:  # most of a kept answer's values: no isinstance checks on rdflib's classes
        return str(term)
    if not isinstance(term, (Literal, URIRef, BNode)) and hasattr(term, "value"):  # pyoxigraph's: as rdflib's
        term = _from_oxigraph(term)
    if isinstance(term, (Literal, _Text)):
        return str(term)
    if isinstance(term, URIRef):
        if compact and dataset is not None:
            try:
                return dataset.namespace_manager.normalizeUri(term) if _compactable(term, dataset) else str(term)
            except Exception:
                return str(term)
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _compactable(term: URIRef, dataset: Dataset) -> bool:
    return any(str(term).startswith(str(ns)) for _, ns in dataset.namespace_manager.namespaces())


def _from_oxigraph(term: Any) -> Any:
    """A pyoxigraph result term as the rdflib term :func:`term_text` gives the same text for (IRIs
    once each: a result repeats them)."""
    import pyoxigraph

    kind = type(term)
    if kind is pyoxigraph.NamedNode:
        return _iri(term.value)
    if kind is pyoxigraph.BlankNode:
        return BNode(term.value)
    if kind is pyoxigraph.Literal:
        if term.language or term.datatype.value == _STRING:
            return _Text(term.value)
        from .projection import _typed_text  # rdflib's lexical form: "01"^^xsd:integer is "1"

        return _Text(_typed_text(term.value, term.datatype.value))
    return _Text(str(term))


class _Text(str):
    """A literal's text, as ``str()`` of rdflib's Literal gives it (Literal is a str too)."""


@cache
def _iri(value: str) -> URIRef:
    return URIRef(value)
