"""Validating a built graph against the shipped SHACL shapes (pySHACL)."""

from __future__ import annotations

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from stancegraph.ontology import shapes_graph, vocabulary_graph

from .build import Built
from .errors import Loc, Problem


def shacl_problems(built: Built) -> list[Problem]:
    """Every SHACL violation of ``built``, placed at the file and line its focus node came from."""
    from pyshacl import validate  # imported here: pySHACL takes a while to import

    data = Graph()
    for graph in built.dataset.graphs():
        data += graph
    data += vocabulary_graph()  # the relations' domains and ranges, for the SPARQL constraints
    conforms, report, _ = validate(data, shacl_graph=shapes_graph(), advanced=True, allow_warnings=True)
    if conforms:
        return []
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage)
        path = report.value(result, SH.resultPath)
        loc = _origin(built, focus)
        what = f"SHACL: {message}" + (f" (property {path.n3(built.dataset.namespace_manager)})" if isinstance(path, URIRef) else "")
        problems.append(Problem(loc, what, f"The graph node is {focus}"))
    return problems


def _origin(built: Built, node: object) -> Loc:
    text = str(node)
    while text:
        if URIRef(text) in built.origins:
            return built.origins[URIRef(text)]
        text = text.rpartition("/")[0]
    return Loc("(built graph)")
