"""One prefix table (``stancegraph.ontology.PREFIXES``), used everywhere prefixes are bound or declared: in the
dataset a build makes, in a graph file read back, in a store's data read back, in every file written, in
every SPARQL query, and in what the query command says it declares."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef

from stancegraph.cli.main import cli
from stancegraph.graph import Built
from stancegraph.ontology import DATA_PREFIXES, PREFIXES, bind_prefixes, prefixes
from stancegraph.output.graphfile import read_graph
from stancegraph.output.query import run
from stancegraph.output.store import fetch_dataset

from sgtest import ROOT

BASE = "https://w3id.org/stancegraph/examples/gaza-day-after/"


def bound(graph: Graph) -> dict[str, str]:
    return {prefix: str(namespace) for prefix, namespace in graph.namespace_manager.namespaces()}


def assert_binds_table(graph: Graph) -> None:
    have = bound(graph)
    assert {prefix: have.get(prefix) for prefix in PREFIXES} == PREFIXES


def test_prefixes_adds_the_data_namespaces_under_a_base() -> None:
    assert prefixes() == PREFIXES
    with_data = prefixes(BASE)
    assert list(with_data) == [*PREFIXES, *DATA_PREFIXES]
    assert with_data["actor"] == f"{BASE}actor/" and with_data["source"] == f"{BASE}source/"


def test_bind_prefixes_replaces_rdflib_bindings() -> None:
    graph = Graph()
    graph.bind("schema", "http://schema.org/", override=True, replace=True)  # rdflib's own binding, not ours
    assert bind_prefixes(graph, BASE) is graph
    assert_binds_table(graph)
    assert bound(graph)["actor"] == f"{BASE}actor/"


def test_a_build_binds_the_table(example_built: Built) -> None:
    assert_binds_table(example_built.dataset)
    assert bound(example_built.dataset)["proposal"] == f"{BASE}proposal/"


def test_a_graph_file_read_back_binds_the_table(example_outputs: dict[str, Path]) -> None:
    # N-Quads declares no prefix: whatever is bound comes from the table
    assert_binds_table(read_graph([example_outputs["nq"]]))


def test_a_store_read_back_binds_the_table(example_built: Built) -> None:
    class Endpoint:  # what fetch_dataset asks of a SPARQL endpoint
        endpoint = "http://store.invalid/query"

        def construct(self, query: str, *, what: str) -> Graph:
            graph = Graph()
            for triple in example_built.dataset.graph(URIRef(f"{BASE}graph/registry")):
                graph.add(triple)
            return graph

    assert_binds_table(fetch_dataset(Endpoint()))  # type: ignore[arg-type]


@pytest.mark.parametrize("ext", ["ttl", "trig"])
def test_a_written_file_declares_the_table(example_outputs: dict[str, Path], ext: str) -> None:
    head = example_outputs[ext].read_text("utf-8")
    for prefix, namespace in prefixes(BASE).items():
        assert f"@prefix {prefix}: <{namespace}> ." in head, prefix


@pytest.mark.parametrize("prefix", list(PREFIXES))
def test_a_query_knows_every_prefix(prefix: str) -> None:
    result = run(Dataset(), f"SELECT ?iri WHERE {{ BIND({prefix}:x AS ?iri) }}")
    assert result.rows == [[URIRef(f"{PREFIXES[prefix]}x")]]


def test_the_query_command_and_its_docs_name_every_prefix() -> None:
    help_text = " ".join(CliRunner().invoke(cli, ["query", "--help"]).output.split())
    named = help_text.split("The usual prefixes (", 1)[1].split(")", 1)[0]
    assert named.split(", ") == list(PREFIXES)
    docs = " ".join((ROOT / "docs" / "cli.md").read_text("utf-8").split())
    listed = docs.split("The prefixes `sg`", 1)[1].split(" are declared", 1)[0]
    assert [p.strip("`, ") for p in ("`sg`" + listed).replace(" and ", ", ").split(", ")] == list(PREFIXES)
