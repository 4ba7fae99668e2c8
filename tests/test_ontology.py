"""The vocabulary and the JSON Schemas shipped with the package."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
from jsonschema import Draft202012Validator
from rdflib import OWL, RDF, RDFS
from sgtest import EXAMPLE

from stancegraph.graph.yamlread import load_yaml
from stancegraph.ontology import ENTITY_CLASSES, SG, vocabulary, vocabulary_graph

RELATIONS = vocabulary().relations


def test_there_are_relations() -> None:
    assert {"supports", "opposes", "must-approve", "requires", "declines-to-participate"} <= set(RELATIONS)


@pytest.mark.parametrize("key", sorted(RELATIONS))
def test_every_relation_has_a_label_a_domain_and_a_range(key: str) -> None:
    relation = RELATIONS[key]
    graph = vocabulary_graph()

    assert relation.key == key
    assert relation.label and relation.label != "None"
    assert relation.subject in ENTITY_CLASSES and relation.object in ENTITY_CLASSES
    assert graph.value(relation.iri, RDFS.label) is not None
    assert graph.value(relation.iri, RDFS.domain) == ENTITY_CLASSES[relation.subject]
    assert graph.value(relation.iri, RDFS.range) == ENTITY_CLASSES[relation.object]
    assert (relation.iri, RDFS.subPropertyOf, SG.relation) in graph
    if relation.stance is not None:
        assert relation.stance in vocabulary().stances


def test_every_relation_in_the_turtle_is_read() -> None:
    """A relation missing ``a owl:ObjectProperty`` (or its sg:key) would silently not exist."""
    graph = vocabulary_graph()
    declared = set(graph.subjects(RDFS.subPropertyOf, SG.relation))

    assert declared == {r.iri for r in RELATIONS.values()}
    for iri in declared:
        assert (iri, RDF.type, OWL.ObjectProperty) in graph
        assert graph.value(iri, SG.key) is not None


SCHEMAS = sorted(p.name for p in files("stancegraph.graph").joinpath("schema").iterdir() if p.name.endswith(".json"))


def schema(name: str) -> dict:
    return json.loads(files("stancegraph.graph").joinpath("schema", name).read_text("utf-8"))


def test_the_schemas_are_shipped() -> None:
    assert {"registry.schema.json", "source.schema.json"} <= set(SCHEMAS)


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    data = schema(name)

    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(data)


def example_files() -> list[tuple[str, str]]:
    registry = [("registry.schema.json", "registry.yaml")]
    sources = [("source.schema.json", f"sources/{p.name}") for p in sorted((EXAMPLE / "sources").glob("*.yaml"))]
    return registry + sources


@pytest.mark.parametrize(("name", "path"), example_files(), ids=[p for _, p in example_files()])
def test_example_files_validate_against_their_schema(name: str, path: str) -> None:
    data = load_yaml(EXAMPLE / path).data  # read as stancegraph reads it: dates stay text

    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft202012Validator(schema(name)).iter_errors(data)]

    assert errors == []


def test_schemas_reject_what_they_should() -> None:
    """The schema checks above can fail: an unknown key and a missing quote are errors."""
    source = load_yaml(EXAMPLE / "sources" / "newsmax-2024-03-pentagon-gaza-force.yaml").data
    source["statements"][0]["colour"] = "red"
    del source["statements"][1]["quote"]

    messages = sorted(e.message for e in Draft202012Validator(schema("source.schema.json")).iter_errors(source))

    assert messages == ["'quote' is a required property", "Additional properties are not allowed ('colour' was unexpected)"]
