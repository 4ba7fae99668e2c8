"""What the Gaza example says, asked of the built dataset with SPARQL."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from rdflib import XSD, Literal, URIRef
from sgtest import EXAMPLE, example_statement_count

from stancegraph.graph import Built, build_dataset, load
from stancegraph.graph.yamlread import loads_yaml

NEWSMAX = "newsmax-2024-03-pentagon-gaza-force"
SUMMARY = "summary-2024-03-30-pentagon-gaza-force"


def select(built: Built, query: str, **bindings: object) -> list[tuple]:
    base = built.iris.base
    prefixes = f"""
        PREFIX sg: <https://w3id.org/stancegraph/ns#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX schema: <https://schema.org/>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX actor: <{base}actor/>
        PREFIX proposal: <{base}proposal/>
        PREFIX condition: <{base}condition/>
        PREFIX source: <{base}source/>
        PREFIX graph: <{base}graph/source/>
    """
    result = built.dataset.query(prefixes + query, initBindings={k: v for k, v in bindings.items()})
    return [tuple(row) for row in result]


def iri(built: Built, path: str) -> URIRef:
    return URIRef(built.iris.base + path)


def statement(built: Built, source: str, subject: str, relation: str, quote: str) -> URIRef:
    """The statement of ``source`` with this subject (an actor), relation (sg: local name) and quote."""
    rows = select(built, """
        SELECT ?st WHERE { GRAPH ?g {
            ?st a sg:Statement ; rdf:subject ?subject ; rdf:predicate ?relation ; prov:wasDerivedFrom ?source ;
                sg:evidence/oa:hasSelector/oa:exact ?exact .
            FILTER (str(?exact) = ?quote)
        } }""", source=iri(built, f"source/{source}"), subject=iri(built, f"actor/{subject}"),
                  relation=URIRef(f"https://w3id.org/stancegraph/ns#{relation}"), quote=Literal(quote))
    assert len(rows) == 1, rows
    return rows[0][0]


def test_direct_triple_for_a_must_approve_statement(example_built: Built) -> None:
    rows = select(example_built, """
        SELECT ?g WHERE { GRAPH ?g { actor:israel sg:mustApprove proposal:gaza-day-after-plan } }""")

    assert rows == [(iri(example_built, f"graph/source/{NEWSMAX}"),)]


def test_declining_until_conditions_is_a_conditional_stance(example_built: Built) -> None:
    rows = select(example_built, """
        SELECT ?st ?stance ?until WHERE { GRAPH graph:newsmax-2024-03-pentagon-gaza-force {
            actor:israel sg:declinesToParticipate proposal:gaza-day-after-plan .
            ?st rdf:subject actor:israel ; rdf:predicate sg:declinesToParticipate ; rdf:object proposal:gaza-day-after-plan ;
                sg:stance ?stance ; sg:untilCondition ?until .
            FILTER NOT EXISTS { ?st sg:ifCondition ?any }
        } } ORDER BY ?until""")

    assert len({row[0] for row in rows}) == 1
    assert {row[1] for row in rows} == {URIRef("https://w3id.org/stancegraph/ns#Conditional")}
    assert [row[2] for row in rows] == [iri(example_built, "condition/hamas-defeated"),
                                        iri(example_built, "condition/hostages-released")]


def test_a_statement_without_conditions_keeps_its_relations_stance(example_built: Built) -> None:
    rows = select(example_built, """
        SELECT DISTINCT ?stance WHERE { GRAPH ?g {
            ?st rdf:predicate sg:discusses ; sg:stance ?stance .
        } }""")

    assert rows == [(URIRef("https://w3id.org/stancegraph/ns#Considering"),)]


def test_attribution_chain_runs_from_the_outlet_to_the_speaker(example_built: Built) -> None:
    said = statement(example_built, NEWSMAX, "dod", "considersFunding",
                     "funding from the DOD would go along with assistance from other countries")

    chain = select(example_built, """
        SELECT ?position ?agent WHERE { GRAPH ?g {
            ?st rdf:predicate sg:considersFunding ; rdf:object proposal:gaza-peacekeeping-force ;
                sg:attribution ?step .
            ?step a sg:AttributionStep ; sg:position ?position ; prov:agent ?agent .
        } } ORDER BY ?position""", st=said)
    said_by = select(example_built, "SELECT ?who WHERE { GRAPH ?g { ?st sg:saidBy ?who } }", st=said)

    assert chain == [
        (Literal(0), iri(example_built, "actor/newsmax")),
        (Literal(1), iri(example_built, "actor/politico")),
        (Literal(2), iri(example_built, "actor/anonymous-us-officials")),
    ]
    assert said_by == [(iri(example_built, "actor/anonymous-us-officials"),)]


def test_default_attribution_is_the_publisher_then_what_the_source_cites(example_built: Built) -> None:
    said = statement(
        example_built, NEWSMAX, "biden-administration", "discusses",
        "Preliminary talks are taking place in the Biden administration about ways to stabilize the peace in post-war Gaza",
    )

    chain = select(example_built, """
        SELECT ?position ?agent WHERE { GRAPH ?g { ?st sg:attribution [ sg:position ?position ; prov:agent ?agent ] } }
        ORDER BY ?position""", st=said)
    said_by = select(example_built, "SELECT ?who WHERE { GRAPH ?g { ?st sg:saidBy ?who } }", st=said)

    assert chain == [(Literal(0), iri(example_built, "actor/newsmax")), (Literal(1), iri(example_built, "actor/politico"))]
    assert said_by == [(iri(example_built, "actor/politico"),)]


def test_a_source_without_publisher_or_cites_attributes_nothing(example_built: Built) -> None:
    said = statement(
        example_built, SUMMARY, "dod", "considersFunding",
        "exploring avenues for funding a foreign security force that could potentially spearhead peacekeeping efforts in the region",
    )

    assert select(example_built, "SELECT ?x WHERE { GRAPH ?g { ?st sg:attribution|sg:saidBy ?x } }", st=said) == []


def test_quantity_is_approximately_20000(example_built: Built) -> None:
    rows = select(example_built, """
        SELECT ?subject ?value ?approximate ?unit WHERE { GRAPH ?g {
            ?st rdf:subject ?subject ; rdf:predicate sg:mayParticipateIn ; sg:quantity ?q .
            ?q a schema:QuantitativeValue ; schema:value ?value ; sg:approximate ?approximate ; schema:unitText ?unit .
            FILTER (?value = 20000 && ?approximate = true)
        } }""")

    assert rows == [(iri(example_built, "actor/pa-security-personnel"), Literal(20000), Literal(True), Literal("security personnel"))]
    assert rows[0][1].datatype == XSD.integer
    assert rows[0][2].datatype == XSD.boolean


def hedges_of(built: Built, node: URIRef) -> set[str]:
    rows = select(built, "SELECT ?h WHERE { GRAPH ?g { ?st sg:hedge ?h } }", st=node)
    return {str(row[0]).rpartition("#")[2] for row in rows}


def test_hedges(example_built: Built) -> None:
    aid = statement(example_built, NEWSMAX, "dod", "considersFunding",
                    "potential aid could be used in humanitarian assistance, reconstruction, and infrastructure in Gaza")
    talks = statement(example_built, SUMMARY, "dod", "discusses",
                      "The Pentagon is actively engaged in initial discussions about deploying a peacekeeping force to Gaza")
    approval = statement(example_built, NEWSMAX, "israel", "mustApprove",
                         'Israel is the "long pole in the tent" when it comes to approving any plans')

    assert hedges_of(example_built, aid) == {"Potentially", "Could"}
    assert hedges_of(example_built, talks) == {"Preliminary"}
    assert hedges_of(example_built, approval) == set()


def test_every_hedge_used_is_a_concept_of_the_hedge_scheme(example_built: Built) -> None:
    from stancegraph.ontology import vocabulary

    used = {row[0] for row in select(example_built, "SELECT DISTINCT ?h WHERE { GRAPH ?g { ?st sg:hedge ?h } }")}

    assert used and used <= set(vocabulary().hedges.values())


def test_dates_keep_their_precision(example_built: Built) -> None:
    issued = dict(select(example_built, "SELECT ?source ?date WHERE { GRAPH ?g { ?source dcterms:issued ?date } }"))
    since = select(example_built, "SELECT ?date WHERE { GRAPH ?g { ?st sg:since ?date } }")

    assert issued[iri(example_built, f"source/{NEWSMAX}")] == Literal("2024-03", datatype=XSD.gYearMonth)
    assert issued[iri(example_built, f"source/{SUMMARY}")] == Literal("2024-03-30", datatype=XSD.date)
    assert since == [(Literal("2024-01", datatype=XSD.gYearMonth),)]


def test_quotes_carry_the_source_language(example_built: Built) -> None:
    languages = {row[0].language for row in select(example_built, "SELECT ?q WHERE { GRAPH ?g { ?sel oa:exact ?q } }")}

    assert languages == {"en"}


# --------------------------------------------------------------------------- stable statement ids


def statement_iris(folder: Path) -> dict[tuple[str, str, str, str], str]:
    """(subject, relation, object, quote) → statement IRI, for every statement built from ``folder``."""
    built = build_dataset(load([folder]))
    rows = select(built, """
        SELECT ?st ?s ?p ?o ?quote WHERE { GRAPH ?g {
            ?st a sg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                sg:evidence/oa:hasSelector/oa:exact ?quote .
        } }""")
    out = {(str(s), str(p), str(o), str(q)): str(st) for st, s, p, o, q in rows}
    assert len(out) == len(rows)
    return out


def rewrite(path: Path, change: Callable[[list[dict]], object]) -> None:
    data = loads_yaml(path.read_bytes(), str(path)).data  # dates stay the text written
    change(data["statements"])
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "example"))


def test_statement_ids_do_not_depend_on_order_or_other_statements(example_copy: Path) -> None:
    before = statement_iris(example_copy)
    added = {"subject": "hamas", "relation": "opposes", "object": "gaza-day-after-plan", "quote": "a new quote"}

    rewrite(example_copy / "sources" / f"{NEWSMAX}.yaml", lambda sts: (sts.reverse(), sts.insert(0, added)))
    rewrite(example_copy / "sources" / f"{SUMMARY}.yaml", lambda sts: sts.append(sts.pop(0)))
    after = statement_iris(example_copy)

    base = load([example_copy]).registry.base
    assert set(after) - set(before) == {
        (f"{base}actor/hamas", "https://w3id.org/stancegraph/ns#opposes", f"{base}proposal/gaza-day-after-plan", "a new quote")
    }
    assert {key: after[key] for key in before} == before
    assert len(set(after.values())) == len(after)


def test_statement_iris_are_made_from_the_source_and_a_content_hash(example_built: Built) -> None:
    rows = select(example_built, "SELECT ?st WHERE { GRAPH ?g { ?st a sg:Statement } }")
    assert len(rows) == example_statement_count()

    prefix = example_built.iris.base + "source/"
    for (statement,) in rows:
        source, marker, ident = str(statement)[len(prefix):].partition("/statement/")
        assert source in (NEWSMAX, SUMMARY, "team-2025-11-17-resolution-2803") and marker
        assert ident.startswith("s-") and len(ident) == 14 and all(c in "0123456789abcdef" for c in ident[2:])
