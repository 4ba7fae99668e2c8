"""Validating built graphs against the shipped SHACL shapes (pySHACL)."""

from __future__ import annotations

import re

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from stancegraph.ontology import bind_prefixes, shapes_graph

from .errors import Loc, Problem
from .pipeline.corpus import Compiled

_IRI = re.compile(r"<[^>]+>")


def shacl_problems_compiled(compiled: Compiled) -> list[Problem]:
    """Every SHACL violation of the registry and of the sources built in this run (cached sources
    passed when they were built), placed at the file and line its focus node came from."""
    from pyshacl import validate  # imported here: pySHACL takes a while to import

    text = []
    for entry in compiled.changed():
        shared, own = entry.read()
        text.extend(shared)
        text.extend(own)
    # the registry entries these sources refer to (their classes are what sh:class checks); all of the
    # registry when the registry itself is new to this run
    if len(compiled.changed()) == len(compiled.entries):
        text.extend(compiled.registry_lines)
    else:
        mentioned = set(_IRI.findall("\n".join(text)))
        text.extend(line for line in compiled.registry_lines if line[: line.index(">") + 1] in mentioned)
    data = Graph()
    data.parse(data="\n".join(text) + "\n", format="nt")
    bind_prefixes(data, compiled.iris.base)
    conforms, report, _ = validate(data, shacl_graph=shapes_graph(), advanced=True, allow_warnings=True)
    if conforms:
        return []
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage)
        path = report.value(result, SH.resultPath)
        what = f"SHACL: {message}" + (f" (property {path.n3(data.namespace_manager)})" if isinstance(path, URIRef) else "")
        problems.append(Problem(_origin(compiled.origins, str(focus)), what, f"The graph node is {focus}"))
    return problems


def _origin(origins: dict[str, Loc], node: str) -> Loc:
    while node:
        if node in origins:
            return origins[node]
        node = node.rpartition("/")[0]
    return Loc("(built graph)")
