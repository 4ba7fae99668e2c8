"""Which label of an entry the projection (view, matrix, blockers, stats, export) shows.

An entry has one ``skos:prefLabel`` per language and one ``rdfs:label``, its label in the registry's
language (docs/multilingual.md). The projection reads ``skos:prefLabel`` and takes the first it meets, so
it is given one per entry: the label in the first of ``languages`` the entry has one in, else its
``rdfs:label``; and the aliases (``skos:altLabel``) in that label's language. Subjects without an
``rdfs:label`` (the vocabulary's concepts, graphs made before labels had languages) keep all of theirs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import pyoxigraph

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset, Graph

PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"


def _oxigraph(term: Any) -> Any:
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)) if term.datatype else None)
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    return pyoxigraph.NamedNode(str(term))


def _quads(source: Dataset | Graph) -> Iterator[pyoxigraph.Quad]:
    from rdflib import Dataset

    for graph in source.graphs() if isinstance(source, Dataset) else [source]:
        for s, p, o in graph:
            yield pyoxigraph.Quad(_oxigraph(s), pyoxigraph.NamedNode(str(p)), _oxigraph(o))


def display_labels(source: Dataset | Graph | Iterable[pyoxigraph.Quad],
                   languages: Sequence[str] = (), every: dict[str, Names] | None = None) -> Iterator[pyoxigraph.Quad]:
    """The quads of ``source`` (an rdflib dataset or graph, or pyoxigraph quads) with one
    ``skos:prefLabel`` per entry (see the module's doc); the labels come last.

    ``every``, when given, is filled with the names the choice leaves out, by subject IRI: each
    entry's labels per language, the language of the one shown, and all its labels and aliases (the
    page switches language with them, and lookups by name accept a name in any language)."""
    from rdflib import Graph

    quads = _quads(source) if isinstance(source, Graph) else source
    labels: dict[Any, list[pyoxigraph.Quad]] = defaultdict(list)
    aliases: dict[Any, list[pyoxigraph.Quad]] = defaultdict(list)
    default: dict[Any, pyoxigraph.Literal] = {}
    for quad in quads:
        predicate = quad.predicate.value
        if predicate == PREF_LABEL:
            labels[quad.subject].append(quad)
            continue
        if predicate == ALT_LABEL:
            aliases[quad.subject].append(quad)
            continue
        if predicate == RDFS_LABEL and isinstance(quad.object, pyoxigraph.Literal):
            default[quad.subject] = quad.object
        yield quad
    wanted = [lang.lower() for lang in languages]
    shown: dict[Any, str] = {}  # subject → the language of the label it is shown with
    other: set[Any] = set()  # subjects shown with a label other than their rdfs:label
    for subject, held in labels.items():
        if subject not in default:
            yield from held
            continue
        by_language = {_language(q): q for q in held}
        chosen = next((by_language[lang] for lang in wanted if lang in by_language), None)
        chosen = chosen or next((q for q in held if q.object == default[subject]), held[0])
        shown[subject] = _language(chosen)
        if chosen.object != default[subject]:
            other.add(subject)
        yield chosen
    if every is not None:
        _collect(every, labels, aliases, shown, other)
    for subject, held in aliases.items():
        yield from (q for q in held if subject not in shown or _language(q) in (shown[subject], ""))


@dataclass
class Names:
    """An entry's names in every language: ``labels`` by language tag, ``lang`` the tag of the label
    shown (``""`` when untagged), ``all`` every label and alias, ``default`` whether the label shown is
    the one the graph gives (not one in another language asked for by ``--lang``)."""

    labels: dict[str, str] = field(default_factory=dict)
    lang: str = ""
    all: list[str] = field(default_factory=list)
    default: bool = True  # an entry without names shows the label the graph gives (was missing: AttributeError)


def _collect(every: dict[str, Names], labels: dict[Any, list[pyoxigraph.Quad]],
             aliases: dict[Any, list[pyoxigraph.Quad]], shown: dict[Any, str], other: set[Any]) -> None:
    for subject in labels.keys() | aliases.keys():
        if not isinstance(subject, pyoxigraph.NamedNode):
            continue
        names = every.setdefault(subject.value, Names())
        for quad in labels.get(subject, []):
            if _language(quad):
                names.labels.setdefault(_language(quad), quad.object.value)
        names.lang, names.default = shown.get(subject, ""), subject not in other
        names.all = sorted({q.object.value for q in (*labels.get(subject, []), *aliases.get(subject, []))})


def _language(quad: pyoxigraph.Quad) -> str:
    return (getattr(quad.object, "language", None) or "").lower()


def project(source: Dataset | Graph | Iterable[pyoxigraph.Quad], origin: str | None = None,
            languages: Sequence[str] = ()) -> nx.MultiDiGraph:
    """:func:`.projection.project` of ``source`` (``origin`` names it in problems), each entry labelled as
    :func:`display_labels` says. ``graph.graph["names"]`` holds each node's :class:`Names` (kept out of
    the nodes' data, which the exports write as it is), ``graph.graph["languages"]`` the languages asked for."""
    from .projection import project as project_quads

    every: dict[str, Names] = {}
    graph = project_quads(display_labels(source, languages, every), origin)
    graph.graph["names"] = {node: every.get(data.get("iri", ""), Names()) for node, data in graph.nodes(data=True)}
    graph.graph["languages"] = list(languages)
    return graph


def names_of(graph: nx.MultiDiGraph, node: str) -> Names:
    """The :class:`Names` of ``node`` (empty for a graph not made by :func:`project`)."""
    return graph.graph.get("names", {}).get(node) or Names()


__all__ = ["Names", "display_labels", "names_of", "project"]
