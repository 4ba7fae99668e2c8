"""Graph files are read by pyoxigraph (``read_quads``) and projected without rdflib; the projection must
be the one rdflib's reading gives, to the last attribute.

* The example in every format, and a generated corpus as N-Triples and N-Quads: the projection of the
  file's pyoxigraph quads equals the projection of the built rdflib dataset and of the file as rdflib
  parses it, and ``read_graph`` (the rdflib dataset made from pyoxigraph's quads, for SPARQL and push)
  holds the quads and prefixes rdflib's own parser gives.
* A hand-written TriG file with what a build never writes: language tags, typed literals rdflib
  normalizes, blank nodes, a triple in two graphs, a literal where an IRI belongs.
* Malformed graph files: every command that reads GRAPH names the file and the line, exits 1, no
  traceback.
"""

from __future__ import annotations

import importlib.util
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner, Result
from rdflib import Dataset
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from sgtest import FORMAT_IDS, FORMATS, ROOT, Format

from stancegraph.cli.main import cli
from stancegraph.graph import Built, build
from stancegraph.output import project, write_graph
from stancegraph.output.graphfile import read_graph, read_quads
from stancegraph.output.projection import NothingUsable

# --------------------------------------------------------------------------- helpers


def rdflib_read(path: Path, rdflib_format: str) -> Dataset:
    """``path`` as rdflib's own parser reads it, with the prefixes stancegraph binds (how graph files
    were read before pyoxigraph)."""
    from stancegraph.ontology import bind_prefixes

    dataset = bind_prefixes(Dataset())
    dataset.parse(str(path), format=rdflib_format)
    return dataset


def projection_data(g: nx.MultiDiGraph, blank: bool = False) -> tuple[list[Any], list[Any]]:
    """Every node and edge with all its attributes (statements in their order), as comparable text.
    With ``blank``, the labels of blank nodes (random at each read) are masked wherever they show."""
    labels = set()
    if blank:
        statements = (st for _, _, d in g.edges(data=True) for st in d["statements"])
        labels = {x["iri"] for x in (*(d for _, d in g.nodes(data=True)), *statements) if not x["iri"].startswith("http")}

    def dump(value: Any) -> str:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)
        for label in labels:
            text = text.replace(label, "<blank>")
        return text

    nodes = sorted(dump([n, d]) for n, d in g.nodes(data=True))
    edges = sorted(dump([s, o, k, d]) for s, o, k, d in g.edges(keys=True, data=True))
    return nodes, edges


def quads(dataset: Dataset) -> set[tuple[Any, ...]]:
    return {(s, p, o, None if g == DATASET_DEFAULT_GRAPH_ID else g) for s, p, o, g in dataset.quads((None, None, None, None))}


def invoke(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


# --------------------------------------------------------------------------- the example, every format


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
def test_the_projection_of_a_graph_file_is_the_builds(example_outputs: dict[str, Path], example_built: Built,
                                                      fmt: Format) -> None:
    path = example_outputs[fmt.ext.lstrip(".")]
    expected = projection_data(project(example_built.dataset))

    assert projection_data(project(read_quads([path]))) == expected
    assert projection_data(project(read_graph([path]))) == expected
    assert projection_data(project(rdflib_read(path, fmt.rdflib))) == expected
    assert len(expected[0]) == 39 and len(expected[1]) == 66  # what export reports for the example


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
def test_read_graph_holds_what_rdflib_reads(example_outputs: dict[str, Path], fmt: Format) -> None:
    """The rdflib dataset ``query`` and ``push`` get: same quads, same graphs, same prefixes (which
    ``query`` shortens IRIs with) as when rdflib parsed the file itself."""
    path = example_outputs[fmt.ext.lstrip(".")]
    ours, theirs = read_graph([path]), rdflib_read(path, fmt.rdflib)

    assert quads(ours) == quads(theirs)
    assert sorted(str(g.identifier) for g in ours.graphs() if len(g)) == \
        sorted(str(g.identifier) for g in theirs.graphs() if len(g))
    assert sorted(ours.namespaces()) == sorted(theirs.namespaces())


def test_read_quads_is_lazy_and_reads_files_in_turn(example_outputs: dict[str, Path]) -> None:
    quads_of = read_quads([example_outputs["nt"], example_outputs["trig"]])
    first = next(quads_of)
    assert first.subject.value.startswith("https://w3id.org/stancegraph/examples/gaza-day-after/")
    # N-Triples: the union (1,478 triples); TriG: each graph's own (1,490 quads: a triple two sources state is in
    # each of their graphs)
    assert 1 + sum(1 for _ in quads_of) == 1478 + 1490


# --------------------------------------------------------------------------- a generated corpus


def _make_corpus() -> Any:
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "benchmarks" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, Path, Path]:
    """200 sources of benchmarks/make_corpus.py on a smaller registry (part-of, aliases, Wikidata ids,
    conditions, demands with a status, attribution chains, hedges, quantities), built and written."""
    make = _make_corpus()
    folder = tmp_path_factory.mktemp("generated")
    rng = random.Random(7)
    actors, proposals, conditions, outlets = 150, 30, 25, 6
    (folder / "corpus" / "sources").mkdir(parents=True)
    (folder / "corpus" / "registry.yaml").write_text(
        yaml.safe_dump(make.registry(rng, actors, proposals, conditions, outlets), sort_keys=False), "utf-8")
    for i in range(200):
        (folder / "corpus" / "sources" / f"s{i:03d}.yaml").write_text(
            yaml.safe_dump(make.source(rng, i, actors, proposals, conditions, outlets), sort_keys=False), "utf-8")
    built = build([folder / "corpus"], shacl=False)
    write_graph(built.dataset, folder / "g.nt", "nt")
    write_graph(built.dataset, folder / "g.nq", "nquads")
    return built, folder / "g.nt", folder / "g.nq"


def test_the_projection_of_a_generated_corpus_is_the_same_both_ways(generated: tuple[Built, Path, Path]) -> None:
    built, nt, nq = generated
    expected = projection_data(project(built.dataset))
    nodes, edges = expected
    assert len(nodes) > 200 and len(edges) > 500
    data = [json.loads(edge) for edge in edges]
    statements = [st for *_, d in data for st in d["statements"]]
    assert any(st["quantity"] for st in statements) and any(len(st["according_to"]) > 1 for st in statements)
    assert {"part-of", "condition-of", "demands", "requires"} <= {k for _, _, k, _ in data}

    assert projection_data(project(read_quads([nt]))) == expected
    assert projection_data(project(read_quads([nq]))) == expected
    assert projection_data(project(rdflib_read(nt, "nt"))) == expected
    assert projection_data(project(read_graph([nq]))) == expected


def test_the_commands_read_graph_files_without_rdflib(gaza_ttl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """stats, matrix, blockers, contradictions, export and view project a graph file from pyoxigraph's
    quads: they never make the rdflib dataset (a minute and gigabytes for a million triples)."""
    import stancegraph.output.graphfile

    def no_rdflib(paths: Any) -> Any:
        raise AssertionError("a graph file was read into rdflib")

    monkeypatch.setattr(stancegraph.output.graphfile, "read_graph", no_rdflib)
    for args in (["stats"], ["matrix"], ["blockers", "gaza-day-after-plan"], ["contradictions"]):
        result = invoke(args[0], gaza_ttl, *args[1:])
        assert result.exit_code == 0, result.output
    result = invoke("export", gaza_ttl, "-o", gaza_ttl.with_suffix(".csv"))
    assert result.exit_code == 0 and "55 statements (a row each)" in result.stderr
    result = invoke("view", gaza_ttl, "-o", gaza_ttl.with_suffix(".html"))
    assert result.exit_code == 0 and gaza_ttl.with_suffix(".html").stat().st_size > 10_000, result.output


@pytest.fixture
def gaza_ttl(example_outputs: dict[str, Path]) -> Path:
    return example_outputs["ttl"]


# --------------------------------------------------------------------------- odd RDF a build never writes

ODD_TRIG = r"""
@prefix sg: <https://w3id.org/stancegraph/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <https://example.org/odd/> .

ex:registry {
  ex:ministry a sg:Actor , sg:Government ; sg:localId "ministry" ; skos:prefLabel "Harbor Ministry"@EN-GB ;
      skos:altLabel "the ministry"@en , "Ministerio"^^xsd:string , "HM" ;
      dcterms:description "line one\nline\u2028two \u0007bell \"quoted\" \\ back" ;
      owl:sameAs <http://www.wikidata.org/entity/Q42> .
  _:guild a sg:Actor ; sg:localId "guild" ; skos:prefLabel "Dockers' guild" ; org:memberOf ex:ministry .
  _:nameless a sg:Actor ; skos:prefLabel "Nameless" .
  ex:wire a sg:Actor , sg:NewsOutlet ; sg:localId "wire" ; skos:prefLabel "Evening Wire" .
  ex:patrol a sg:Proposal ; sg:localId "patrol" ; skos:prefLabel "Joint patrol"@en .
  ex:funding a sg:Condition ; sg:localId "funding" ; skos:prefLabel "Funding is found" .
}

ex:daily-graph {
  ex:ministry a sg:Actor ; skos:prefLabel "Harbor Ministry"@EN-GB .
  ex:daily sg:localId "daily" ; dcterms:title "Daily"@en ; dcterms:publisher ex:wire ;
      dcterms:issued "2031-05-06"^^xsd:date ; schema:url <https://example.org/daily> .
  _:s1 a sg:Statement ; sg:localId "s1" ; rdf:subject _:guild ; rdf:predicate sg:supports ; rdf:object ex:patrol ;
      prov:wasDerivedFrom ex:daily ; sg:stance sg:Conditional ; sg:untilCondition ex:funding ; sg:hedge sg:Allegedly ;
      dcterms:date "2031-05-07T10:00:00Z"^^xsd:dateTime ; sg:attribution _:a10 , _:a2 , _:a1 ;
      sg:evidence [ oa:hasSelector [ a oa:TextPositionSelector ; oa:exact "not the quote" ] ,
                                   [ a oa:TextQuoteSelector ; oa:exact "backs the patrol «until» funding"@FR ] ] ;
      sg:quantity [ schema:value "2.50"^^xsd:decimal ; schema:unitText "boats"@en ; sg:approximate "1"^^xsd:boolean ] ;
      rdfs:comment "a note" .
  _:a10 sg:position "10"^^xsd:integer ; prov:agent ex:ministry .
  _:a2 sg:position "02"^^xsd:integer ; prov:agent _:guild .
  _:a1 sg:position "1"^^xsd:integer ; prov:agent ex:wire .
  ex:s2 a sg:Statement ; sg:localId "s2" ; rdf:subject ex:ministry ; rdf:object ex:patrol ; prov:wasDerivedFrom ex:daily ;
      rdf:predicate "https://w3id.org/stancegraph/ns#opposes" .
  ex:s3 a sg:Statement ; sg:localId "s3" ; rdf:subject ex:patrol ; rdf:predicate sg:requires ; rdf:object ex:funding ;
      prov:wasDerivedFrom ex:daily ; sg:conditionStatus sg:Unmet ; sg:since "2031-04"^^xsd:gYearMonth ;
      sg:quantity [ schema:value "1.0e3"^^xsd:double ] .
  ex:s4 a sg:Statement ; sg:localId "s4" ; rdf:subject _:nameless ; rdf:predicate sg:opposes ; rdf:object ex:patrol ;
      sg:stance sg:Opposing .
}
"""


@pytest.fixture(scope="module")
def odd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("odd") / "odd.trig"
    path.write_text(ODD_TRIG, encoding="utf-8")
    return path


def test_odd_rdf_is_projected_as_rdflib_reads_it(odd: Path) -> None:
    """Blank nodes' labels are random at each read (masked); everything else is equal."""
    fast = project(read_quads([odd]))
    assert projection_data(fast, blank=True) == projection_data(project(rdflib_read(odd, "trig")), blank=True)
    assert projection_data(fast, blank=True) == projection_data(project(read_graph([odd])), blank=True)

    ministry = fast.nodes["ministry"]
    assert ministry["label"] == "Harbor Ministry" and ministry["kind"] == "government" and ministry["wikidata"] == "Q42"
    assert ministry["aliases"] == ["HM", "Ministerio", "the ministry"]
    assert ministry["description"] == "line one\nline\u2028two \x07bell \"quoted\" \\ back"
    assert not fast.nodes["guild"]["iri"].startswith("http")  # a blank node: its label
    assert ("guild", "ministry", "part-of") in fast.edges(keys=True)
    [s1] = fast.edges["guild", "patrol", "supports"]["statements"]
    assert s1["according_to"] == ["Evening Wire", "Dockers' guild", "Harbor Ministry"]  # positions 1, 02, 10 as numbers
    assert s1["quote"] == "backs the patrol «until» funding"  # the TextQuoteSelector's, not the other selector's
    assert s1["date"] == "2031-05-07T10:00:00+00:00"  # rdflib's normal form of the xsd:dateTime
    assert s1["quantity"] == {"value": Decimal("2.5"), "unit": "boats", "approximate": True}
    assert s1["source"] == {"id": "daily", "title": "Daily", "publisher": "Evening Wire", "published": "2031-05-06",
                            "url": "https://example.org/daily"}
    assert (s1["stance"], s1["until"], s1["hedges"]) == ("conditional", ["funding"], ["allegedly"])
    assert fast.edges["funding", "patrol", "condition-of"]["statements"] == [s1]
    [s3] = fast.edges["patrol", "funding", "requires"]["statements"]
    assert s3["quantity"]["value"] == 1000.0 and s3["since"] == "2031-04" and fast.nodes["funding"]["unmet"]
    assert not fast.has_edge("ministry", "patrol")  # s2's relation is a literal, not the IRI of one
    [s4] = next(d["statements"] for s, o, d in fast.edges(data=True) if d["relation"] == "opposes")
    assert s4["source"]["id"] == "" and s4["according_to"] == []  # no source: none, rather than any other's


def test_the_commands_run_on_odd_rdf(odd: Path, tmp_path: Path) -> None:
    """Every command, and every output that holds a quantity (JSON has no decimal: 2.5 is written)."""
    for args in (["stats"], ["matrix", "-f", "json"], ["blockers", "patrol"], ["contradictions", "-f", "json"],
                 ["export", "-o", tmp_path / "odd.graphml"], ["export", "-o", tmp_path / "odd.cyjs"],
                 ["view", "-o", tmp_path / "odd.html"], ["query", "--named", "stances"]):
        result = invoke(args[0], odd, *args[1:])
        assert result.exit_code == 0, (args, result.output)
    assert '"value": 2.5' in (tmp_path / "odd.cyjs").read_text(encoding="utf-8")
    assert '"value": 2.5' in (tmp_path / "odd.html").read_text(encoding="utf-8")


def test_a_triple_term_is_passed_over_by_the_projection_and_refused_by_rdflib(tmp_path: Path) -> None:
    path = tmp_path / "star.ttl"
    path.write_text("<https://x.example/a> <https://x.example/says> <<( <https://x.example/a> <https://x.example/b> "
                    "<https://x.example/c> )>> .\n", encoding="utf-8")
    with pytest.raises(NothingUsable, match="of its 1 triples, none types an sg:Actor"):  # passed over, not a crash
        project(read_quads([path]))
    # Oxigraph, the default engine, reads RDF 1.2: the query is answered
    result = invoke("query", path, "ASK { ?s ?p ?o }")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    # rdflib cannot: it is refused with a message, not a traceback
    result = invoke("query", path, "ASK { ?s ?p ?o }", "--engine", "rdflib")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{path}: holds an RDF 1.2 triple term" in result.stderr


def test_a_directional_language_tag_is_read_as_its_language(tmp_path: Path) -> None:
    """RDF 1.2's "text"@ar--rtl (which rdflib cannot parse): a label all the same, in the projection and in SPARQL."""
    path = tmp_path / "rtl.ttl"
    path.write_text('@prefix sg: <https://w3id.org/stancegraph/ns#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                    '<https://x.example/a> a sg:Actor ; sg:localId "a" ; skos:prefLabel "\u0627\u0644\u0641"@ar--rtl .\n',
                    encoding="utf-8")
    assert project(read_quads([path])).nodes["a"]["label"] == "\u0627\u0644\u0641"
    result = invoke("query", path, "SELECT (LANG(?l) AS ?lang) WHERE { <https://x.example/a> skos:prefLabel ?l }", "-f", "csv")
    assert result.exit_code == 0 and result.stdout == "lang\nar\n", result.output


def test_a_json_ld_context_by_address_is_not_fetched(tmp_path: Path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "https://schema.org/", "@id": "https://x.example/a", "name": "A"}', encoding="utf-8")
    result = invoke("stats", path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{path}: not valid json-ld RDF: its @context is an address, and stancegraph fetches nothing" in result.stderr


# --------------------------------------------------------------------------- malformed graph files

BROKEN = {  # file name → (content, line of the fault, what the message says)
    "broken.nt": (b'<https://x.example/a> <https://x.example/b> "one" .\n<https://x.example/a> <https://x.example/b> "two" .\n'
                  b'<https://x.example/a> <https://x.example/b> "unterminated .\n', 3, "not valid nt RDF"),
    "broken.ttl": (b"@prefix ex: <https://x.example/> .\n\nthis is not turtle\n", 3, "not valid turtle RDF"),
    "broken.trig": (b"@prefix ex: <https://x.example/> .\nex:g {\n  ex:a ex:b ex:c .\n", 4, "not valid trig RDF"),
    "latin1.nq": (b'<https://x.example/a> <https://x.example/b> "ok" <https://x.example/g> .\n'
                  b'<https://x.example/a> <https://x.example/b> "caf\xe9" <https://x.example/g> .\n', 2, "the file is not UTF-8 text"),
    "broken.jsonld": (b'{\n  "@id": "https://x.example/a",\n  "https://x.example/p": [1, }\n', 3, "not valid json-ld RDF"),
    "relative.nq": (b"<a> <https://x.example/b> <https://x.example/c> .\n", 1, "not valid nquads RDF"),
}
COMMANDS = {
    "stats": [], "matrix": [], "blockers": ["x"], "contradictions": [], "export": ["-o", "OUT/x.csv"],
    "query": ["--named", "actors"], "view": ["-o", "OUT/x.html"],
}


@pytest.mark.parametrize("name", sorted(BROKEN))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_malformed_graph_file_names_file_and_line(tmp_path: Path, name: str, command: str) -> None:
    content, line, message = BROKEN[name]
    path = tmp_path / name
    path.write_bytes(content)
    args = [a.replace("OUT", str(tmp_path / "out")) for a in COMMANDS[command]]
    result = invoke(command, path, *args)

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:{line}:") and message in first, first
    assert result.stderr.splitlines()[-1].startswith("Error: 1 problem in 1 file")
    assert not (tmp_path / "out").exists()


def test_a_graph_file_that_cannot_be_read_is_an_input_problem(tmp_path: Path) -> None:
    from stancegraph.graph import InputProblems

    with pytest.raises(InputProblems) as caught:
        list(read_quads([tmp_path / "gone.nt"]))
    assert str(caught.value).startswith(f"{tmp_path / 'gone.nt'}: cannot be read: No such file or directory.")
