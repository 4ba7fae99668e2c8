"""Every output format parses with rdflib and with pyoxigraph to the same graph, the built one, which
conforms to the shipped SHACL shapes; TriG, N-Quads and JSON-LD keep each source in its named graph."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, Dataset, Graph, URIRef
from rdflib.namespace import SH
from sgtest import FORMAT_IDS, FORMATS, SOURCE_YAML, Corpus, Format, example_statement_count

from stancegraph.graph import Built, build
from stancegraph.ontology import SG, shapes_graph
from stancegraph.output import write_graph

Quad = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node, str]
DEFAULT = ""  # graph name of a quad in the default graph


def quads_of(dataset: Dataset) -> set[Quad]:
    return {
        (s, p, o, DEFAULT if g is None or g == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else str(g))
        for s, p, o, g in dataset.quads((None, None, None, None))
    }


def rdflib_quads(path: Path, fmt: Format) -> set[Quad]:
    dataset = Dataset()
    dataset.parse(path, format=fmt.rdflib)
    return quads_of(dataset)


def oxigraph_quads(path: Path, fmt: Format) -> set[Quad]:
    """Parsed by pyoxigraph, then handed to rdflib as N-Quads so that terms compare as rdflib terms."""
    parsed = list(pyoxigraph.parse(path=str(path), format=fmt.oxigraph))
    dataset = Dataset()
    dataset.parse(data=pyoxigraph.serialize(parsed, format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    quads = quads_of(dataset)
    assert len(quads) == len(parsed) == len(set(parsed))
    return quads


def built_quads(built: Built, *, named: bool) -> set[Quad]:
    quads = set()
    for graph in built.dataset.graphs():
        for s, p, o in graph:
            quads.add((s, p, o, str(graph.identifier) if named else DEFAULT))
    return quads


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
def test_rdflib_and_pyoxigraph_read_the_built_graph(example_outputs: dict[str, Path], example_built: Built, fmt: Format) -> None:
    path = example_outputs[fmt.ext.lstrip(".")]

    by_rdflib = rdflib_quads(path, fmt)
    by_oxigraph = oxigraph_quads(path, fmt)

    assert by_rdflib == by_oxigraph
    assert by_rdflib == built_quads(example_built, named=fmt.quads)
    assert not any(isinstance(term, rdflib.BNode) for quad in by_rdflib for term in quad[:3])


def test_the_example_has_a_substantial_graph(example_built: Built) -> None:
    # guards the tests above against comparing two empty graphs
    assert len(built_quads(example_built, named=True)) > 500


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
def test_union_of_each_format_conforms_to_the_shapes(example_outputs: dict[str, Path], fmt: Format) -> None:
    data = Graph()
    for s, p, o, _ in oxigraph_quads(example_outputs[fmt.ext.lstrip(".")], fmt):
        data.add((s, p, o))

    conforms, _, text = shacl_validate(data, shacl_graph=shapes_graph(), advanced=True, allow_warnings=True)

    assert conforms, text


def test_shapes_catch_a_statement_without_evidence(example_outputs: dict[str, Path]) -> None:
    """The SHACL check above can fail: without its evidence a statement is reported."""
    data = Graph()
    data.parse(example_outputs["nt"], format="nt")
    statement = min(data.subjects(RDF.type, SG.Statement))
    data.remove((statement, SG.evidence, None))

    conforms, report, _ = shacl_validate(data, shacl_graph=shapes_graph(), advanced=True, allow_warnings=True)

    assert not conforms
    focus = {(report.value(r, SH.focusNode), str(report.value(r, SH.resultMessage)))
             for r in report.subjects(RDF.type, SH.ValidationResult)}
    assert focus == {(statement, "A statement has at least one quote as evidence.")}


def graph_names(path: Path, fmt: Format) -> dict[str, set[tuple]]:
    """pyoxigraph's quads of ``path`` grouped by graph name (``""`` for the default graph)."""
    groups: dict[str, set[tuple]] = {}
    for quad in pyoxigraph.parse(path=str(path), format=fmt.oxigraph):
        name = quad.graph_name.value if isinstance(quad.graph_name, pyoxigraph.NamedNode) else DEFAULT
        groups.setdefault(name, set()).add((quad.subject.value, quad.predicate.value, quad.object))
    return groups


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f.quads], ids=[f.ext.lstrip(".") for f in FORMATS if f.quads])
def test_each_source_is_in_its_named_graph_and_the_registry_in_its_own(
    example_outputs: dict[str, Path], example_built: Built, fmt: Format
) -> None:
    base = example_built.iris.base
    source_ids = ["newsmax-2024-03-pentagon-gaza-force", "summary-2024-03-30-pentagon-gaza-force",
                  "team-2025-11-17-resolution-2803"]
    groups = graph_names(example_outputs[fmt.ext.lstrip(".")], fmt)

    registry = f"{base}graph/registry"
    assert set(groups) == {registry} | {f"{base}graph/source/{s}" for s in source_ids}  # nothing in the default graph

    entity_prefixes = tuple(f"{base}{kind}/" for kind in ("actor", "proposal", "condition"))
    registry_subjects = {s for s, _, _ in groups[registry]}
    assert f"{base}dataset" in registry_subjects  # the dataset as a whole: registry.yaml's dataset:
    assert registry_subjects and all(s.startswith(entity_prefixes) for s in registry_subjects - {f"{base}dataset"})
    for s, p, o in groups[registry]:
        assert not p.startswith(str(SG)) or p in (str(SG.localId), str(SG.shortLabel)), f"a statement's triple in the registry graph: {s} {p}"
    entity_classes = {pyoxigraph.NamedNode(str(c)) for c in (SG.Actor, SG.Proposal, SG.Condition)}
    typed = {(s, o) for triples in groups.values() for s, p, o in triples if p == str(RDF.type) and o in entity_classes}
    assert {cls for _, cls in typed} == entity_classes  # the example has actors, proposals and conditions
    for subject, cls in typed:
        assert (subject, str(RDF.type), cls) in groups[registry]

    for source_id in source_ids:
        triples = groups[f"{base}graph/source/{source_id}"]
        own = f"{base}source/{source_id}"
        statements = {s for s, p, o in triples if p == str(RDF.type) and o == pyoxigraph.NamedNode(str(SG.Statement))}
        assert statements, source_id
        for s, p, o in triples:
            # every node described here is the source, one of its statements (and their parts), or an
            # entity's plain relation triple
            assert s == own or s.startswith(own + "/statement/") or s.startswith(entity_prefixes), s
            if s.startswith(entity_prefixes):
                assert p.startswith(str(SG)) and p != str(SG.localId), (s, p)
        for statement in statements:
            assert (statement, "http://www.w3.org/ns/prov#wasDerivedFrom", pyoxigraph.NamedNode(own)) in triples


def test_statement_iris_live_under_their_source(example_built: Built) -> None:
    statements = [(graph, st) for graph in example_built.dataset.graphs() for st in graph.subjects(RDF.type, SG.Statement)]
    assert len(statements) == example_statement_count()
    for graph, statement in statements:
        source = graph.value(statement, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
        assert str(statement).startswith(f"{source}/statement/")
        assert str(graph.identifier) == str(source).replace("/source/", "/graph/source/")


AWKWARD = {
    "multi-line": "first line\n    indented second line\nthird",
    "line separators": "NEL\x85 LS\u2028 PS\u2029 FF\x0c VT\x0b FS\x1c",
    "quotes": 'ends with a quote" and """ three',
    "backslashes": "a \\ b \\n c",
    "prefix-like line": 'x\n@prefix evil: <http://evil.example/> .\n<a> { }',
}


def test_awkward_literals_and_numbers_survive_every_format(tmp_path: Path) -> None:
    statements = "".join(
        f"  - subject: alpha\n    relation: supports\n    object: plan\n    quote: quote {n}\n"
        f"    note: {json.dumps(text)}\n    quantity: {{value: {value}}}\n"
        for n, (text, value) in enumerate(zip(AWKWARD.values(), ["1234567.89", "2.0", "1.0e-7", "123456789012345678901234567890", "20000"]))
    )
    Corpus(tmp_path, source=SOURCE_YAML + statements).write()
    built = build([tmp_path])
    notes = {str(o) for g in built.dataset.graphs() for o in g.objects(None, RDFS.comment)}
    assert set(AWKWARD.values()) <= notes

    for fmt in FORMATS:
        path = tmp_path / f"out{fmt.ext}"
        write_graph(built.dataset, path, fmt.name)

        assert rdflib_quads(path, fmt) == oxigraph_quads(path, fmt) == built_quads(built, named=fmt.quads), fmt.name
