"""brat standoff input: every line kind, the mapping, annotation.conf, errors with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import PROV

from stancegraph.cli.main import cli
from stancegraph.graph import InputProblems, build, load, validate
from stancegraph.graph.importers.brat_format import AnnFile, parse_ann, read_conf
from stancegraph.ontology import OA, SG

DATA = Path(__file__).parent / "data" / "brat"
HARBOR = DATA / "harbor"


def statements(corpus):
    return {
        (st.subject, st.relation, st.object, st.regarding, st.if_conditions, st.according_to, st.hedges, st.status,
         st.quote, st.start, st.end)
        for source in corpus.sources for st in source.statements
    }


def test_harbor_statements_come_from_relations_and_events():
    corpus = load([HARBOR])
    assert [s.id for s in corpus.sources] == ["harbor-patrol"]
    assert statements(corpus) == {
        # E1: trigger span as quote
        ("coastal-ministry", "proposes", "joint-patrol-mission", None, (), None, (), None,
         "has proposed a joint patrol mission for the harbor of Port Selva", 87, 151),
        # E2: Condition role -> if, Speaker role -> according-to, A1 Speculation -> could
        ("velmar", "participates-in", "joint-patrol-mission", None, ("ceasefire-holds",), ("ana-ruiz",), ("could",), None,
         "would take part in the patrol mission only if the ceasefire holds", 187, 252),
        # R1: the quote spans both arguments; Reject -> opposes (default mapping)
        ("northern-league", "opposes", "joint-patrol-mission", None, (), None, (), None,
         "Northern League rejects the joint patrol mission", 300, 348),
        # E3 with A3 Status Unmet (valued attribute)
        ("northern-league", "demands", "united-nations-observe-the-harbor", None, (), None, (), "unmet",
         "demands that the United Nations observe the harbor", 353, 403),
        # E4: discontinuous trigger (quote covers it), A2 Negation turns supports into opposes
        ("harbor-authority", "opposes", "joint-patrol-mission", None, (), None, (), None,
         "does not, for now, support the patrol mission", 434, 479),
        # E5: Topic role -> for, M1 Hedge Preliminary, Time role ignored
        ("coastal-ministry", "negotiates-with", "united-nations", "joint-patrol-mission", (), None, ("preliminary",), None,
         "held early talks with the UN on the mission", 502, 545),
    }
    notes = {st.note for st in corpus.sources[0].statements}
    assert "The condition is stated by Velmar itself." in notes  # the # line on E2


def test_harbor_source_metadata_from_mapping_and_text():
    source = load([HARBOR]).sources[0]
    assert (source.title, source.published, source.language, source.text) == (
        "Coastal states weigh a joint patrol for the harbor of Port Selva", "2031-05-06", "en", "harbor-patrol.txt")
    assert source.path.endswith("harbor-patrol.ann")


def test_harbor_registry_entries_from_mentions():
    entities = load([HARBOR]).registry.entities
    # N3 links T1 to the registry.yaml beside the files; the registry entry is kept as written
    assert entities["coastal-ministry"].label == "Coastal Ministry of Selva"
    # N1 and N2 link "United Nations" and "UN" to the same Wikidata item: one entry
    un = entities["united-nations"]
    assert (un.cls, un.kind, un.label, un.aliases, un.wikidata) == ("actor", "organization", "United Nations", ("UN",), "Q1065")
    # the * line joins four mentions of the mission, under different words
    mission = entities["joint-patrol-mission"]
    assert (mission.cls, mission.aliases) == ("proposal", ("patrol mission", "the mission"))
    # "Alliance" has no mapping; annotation.conf puts it under Organization
    assert entities["northern-league"].kind == "organization"
    # mapping.yaml beside the files maps Government to a government agency; GPE is a state by default
    assert entities["velmar"].kind == "state"
    assert entities["velmar"].note == "A small coastal state south of Port Selva."  # the # line on T4
    assert entities["ceasefire-holds"].cls == "condition"
    assert "wednesday" not in entities  # Date mentions are ignored by the default mapping
    assert len(entities) == 9


def test_harbor_graph_keeps_provenance():
    built = build([HARBOR], shacl=True)
    graph = built.dataset.graph(URIRef("https://example.org/harbor/graph/source/harbor-patrol"))
    source = URIRef("https://example.org/harbor/source/harbor-patrol")
    nodes = list(graph.subjects(RDF.type, SG.Statement))
    assert len(nodes) == 6
    for node in nodes:
        assert (node, PROV.wasDerivedFrom, source) in graph
    quote = next(n for n in graph.subjects(OA.exact, None) if "rejects" in str(graph.value(n, OA.exact)))
    position = URIRef(str(quote).replace("/quote", "/position"))
    assert (graph.value(position, OA.start), graph.value(position, OA.end)) == (
        Literal(300, datatype=XSD.nonNegativeInteger), Literal(348, datatype=XSD.nonNegativeInteger))
    # every statement node remembers the .ann line it came from
    origins = {str(built.origins[n]) for n in nodes}
    assert all(o.split(":")[0].endswith("harbor-patrol.ann") for o in origins)
    assert {int(o.split(":")[1]) for o in origins} == {22, 23, 24, 25, 26, 27}


def test_every_line_kind_is_parsed():
    raw = (HARBOR / "harbor-patrol.ann").read_text(encoding="utf-8")
    doc = AnnFile("harbor-patrol", HARBOR / "harbor-patrol.ann", "h.ann", "", "harbor-patrol.txt")
    problems = []
    parse_ann(doc, raw, problems)
    assert problems == []
    assert len(doc.bounds) == 21
    assert doc.bounds["T16"].spans == [(434, 442), (453, 479)]
    assert sorted(i for i, link in doc.links.items() if link.trigger) == ["E1", "E2", "E3", "E4", "E5"]
    assert [i for i, link in doc.links.items() if not link.trigger] == ["R1"]
    assert [(a.id, a.type.text, a.value) for a in doc.attributes] == [
        ("A1", "Speculation", None), ("A2", "Negation", None), ("A3", "Status", "Unmet"), ("M1", "Hedge", "Preliminary")]
    assert [(n.database.text, n.ref, n.name) for n in doc.normalizations] == [
        ("Wikidata", "Q1065", "United Nations"), ("Wikidata", "Q1065", "United Nations"),
        ("stancegraph", "coastal-ministry", "Coastal Ministry")]
    assert [[f.text for f in group] for group in doc.equivalences] == [["T2", "T5", "T15", "T19"]]
    assert set(doc.notes) == {"E2", "T4"}
    e2 = doc.links["E2"]
    assert [(r.text, t.text) for r, t in e2.args] == [("Agent", "T4"), ("Theme", "T5"), ("Condition", "T6"), ("Speaker", "T8")]
    assert (e2.args[1][1].loc.line, e2.args[1][1].loc.col) == (23, 34)  # "T5" in "E2<tab>Participate:T7 Agent:T4 Theme:T5"


def test_annotation_conf_hierarchy():
    conf = read_conf(HARBOR / "annotation.conf")
    assert conf.entities["Alliance"] == ["Organization"]
    assert conf.entities["Person"] == []
    assert "Reject" in conf.relations and "<OVERLAP>" not in conf.relations
    assert conf.attributes["Status"] == ["Met", "Unmet", "Contested"]
    assert conf.attributes["Negation"] is None


def test_broken_files_are_reported_with_file_line_and_column():
    problems = [str(p) for p in validate([DATA / "broken"], shacl=False)]
    at = {p.split(": ", 1)[0].split("closure.ann:")[1]: p for p in problems}
    assert set(at) == {"2:1", "4:4", "5:25", "6:4", "7:4", "8:17", "9:1"}
    assert "T2: the span 114-125 of" in at["2:1"] and "reads 'he closure.', not 'the closure'" in at["2:1"]
    assert "'the closure' is at 113-124" in at["2:1"] and "fix the offsets" in at["2:1"]
    assert "unknown entity type 'Vehicle'" in at["4:4"] and "Map it in mapping.yaml under 'entities:'" in at["4:4"]
    assert "R1: Arg2 refers to T9, which is not in this file" in at["5:25"]
    assert "unknown relation type 'Backs'" in at["6:4"]
    assert "unknown attribute type 'Mood'" in at["7:4"]
    assert "unknown normalization database 'Freebase'" in at["8:17"]
    assert "not a brat annotation line" in at["9:1"]


def _corpus(tmp_path: Path, text: str, ann: str, **files: str) -> Path:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "doc.txt").write_text(text, encoding="utf-8", newline="")
    (folder / "doc.ann").write_text(ann, encoding="utf-8")
    for name, content in files.items():
        (folder / name.replace("_", ".")).write_text(content, encoding="utf-8")
    return folder


TEXT = "Acme backs the bridge.\n"
ACME = "T1\tOrganization 0 4\tAcme\nT2\tProposal 15 21\tbridge\n"


def messages(path) -> list[str]:
    return [f"{p.loc.line}:{p.loc.col} {p.message} | {p.hint}" for p in validate([path], shacl=False)]


def test_relation_between_mentions(tmp_path):
    folder = _corpus(tmp_path, TEXT, ACME + "R1\tSupports Arg1:T1 Arg2:T2\n")
    (source,) = load([folder]).sources
    (st,) = source.statements
    assert (st.subject, st.relation, st.object, st.quote, st.start, st.end) == ("acme", "supports", "bridge", "Acme backs the bridge", 0, 21)


def test_reverse_and_roles_of_a_project_mapping(tmp_path):
    mapping = ("stancegraph-mapping: 1\nrelations:\n  BackedBy: {relation: supports, reverse: true}\n"
               "events:\n  Backing: {relation: supports, hedge: likely, roles: {Backer: subject, Thing: object}}\n")
    ann = ACME + "R1\tBackedBy Arg1:T2 Arg2:T1\nT3\tBacking 5 10\tbacks\nE1\tBacking:T3 Backer:T1 Thing:T2\n"
    folder = _corpus(tmp_path, TEXT, ann, mapping_yaml=mapping)
    sts = load([folder]).sources[0].statements
    assert [(s.subject, s.relation, s.object, s.hedges, s.quote) for s in sts] == [
        ("acme", "supports", "bridge", (), "Acme backs the bridge"),
        ("acme", "supports", "bridge", ("likely",), "backs"),
    ]


def test_mapping_problems_name_the_mapping_file(tmp_path):
    mapping = "stancegraph-mapping: 1\nrelations:\n  Backs: suports\nentities:\n  Firm: {class: actr}\n"
    folder = _corpus(tmp_path, TEXT, ACME, mapping_yaml=mapping)
    problems = [str(p) for p in validate([folder], shacl=False)]
    assert any("mapping.yaml:3:10: relation: unknown word 'suports'" in p and "Did you mean 'supports'" in p for p in problems)
    assert any("mapping.yaml:5:9: class: unknown word 'actr'" in p for p in problems)


def test_types_must_be_declared_in_annotation_conf(tmp_path):
    conf = "[entities]\nOrganisation\nProposal\n[relations]\nSupports\tArg1:Organisation, Arg2:Proposal\n[events]\n[attributes]\n"
    folder = _corpus(tmp_path, TEXT, ACME + "R1\tSupports Arg1:T1 Arg2:T2\n", annotation_conf=conf)
    (problem,) = messages(folder)
    assert problem.startswith("1:4 the type 'Organization' is not declared in") and "Did you mean 'Organisation'" in problem


def test_event_problems(tmp_path):
    ann = ACME + "T3\tSupport 5 10\tbacks\nT4\tDate 16 21\tbridg\nE1\tSupport:T3 Agent:T1 Beneficiary:T2\nE2\tSupport:T3 Theme:T2\n"
    folder = _corpus(tmp_path, TEXT, ann)
    found = messages(folder)
    assert any(m.startswith("5:24 E1: unknown role 'Beneficiary'") for m in found)
    assert any(m.startswith("6:1 E2: no subject") for m in found)
    assert any(m.startswith("4:1 T4: the span 16-21") for m in found)


def test_arguments_must_be_mentions(tmp_path):
    ann = ACME + "T3\tDate 11 21\tthe bridge\nR1\tSupports Arg1:T1 Arg2:T3\n"
    (found,) = messages(_corpus(tmp_path, TEXT, ann))
    assert found.startswith("4:26 R1: its Arg2 is T3, a Date, which the mapping ignores")


def test_same_words_across_documents_are_one_entry(tmp_path):
    folder = _corpus(tmp_path, TEXT, ACME + "R1\tSupports Arg1:T1 Arg2:T2\n")
    (folder / "other.txt").write_text("ACME opposes the bridge.\n", encoding="utf-8")
    (folder / "other.ann").write_text("T1\tOrganization 0 4\tACME\nT2\tProposal 13 23\tthe bridge\nR1\tOpposes Arg1:T1 Arg2:T2\n",
                                      encoding="utf-8")
    corpus = load([folder])
    assert sorted(corpus.registry.entities) == ["acme", "bridge"]
    assert corpus.registry.entities["acme"].aliases == ("ACME",)
    assert [s.id for s in corpus.sources] == ["doc", "other"]


def test_mentions_resolve_to_registry_aliases(tmp_path):
    registry = "actors:\n  acme-corp: {label: Acme Corporation, aliases: [Acme], kind: organization}\n"
    folder = _corpus(tmp_path, TEXT, ACME + "R1\tSupports Arg1:T1 Arg2:T2\n", registry_yaml=registry)
    corpus = load([folder])
    assert corpus.sources[0].statements[0].subject == "acme-corp"
    assert "acme" not in corpus.registry.entities


def test_carriage_returns_count_as_characters(tmp_path):
    text = "Headline\r\n\r\nAcme backs the bridge.\r\n"
    ann = "T1\tOrganization 12 16\tAcme\nT2\tProposal 27 33\tbridge\nR1\tSupports Arg1:T1 Arg2:T2\n"
    st = load([_corpus(tmp_path, text, ann)]).sources[0].statements[0]
    assert (st.quote, st.start, st.end) == ("Acme backs the bridge", 12, 33)


def test_missing_text_file(tmp_path):
    folder = _corpus(tmp_path, TEXT, ACME)
    (folder / "doc.txt").unlink()
    with pytest.raises(InputProblems) as info:
        load([folder])
    assert "there is no doc.txt beside doc.ann" in str(info.value)


def test_a_single_ann_file_is_an_input(tmp_path):
    target = tmp_path / "copy"
    shutil.copytree(HARBOR, target)
    corpus = load([target / "harbor-patrol.ann"])
    assert len(corpus.sources[0].statements) == 6


def test_cli_build_validate_view_a_brat_folder(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", str(HARBOR)], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout == "OK: 1 source, 6 statements, 9 registry entries.\n"
    result = runner.invoke(cli, ["build", str(HARBOR), "-o", str(tmp_path / "harbor.ttl")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "harbor.ttl").read_text(encoding="utf-8").count("sg:Statement") >= 6
    result = runner.invoke(cli, ["view", str(HARBOR), "-o", str(tmp_path / "harbor.html")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Northern League" in (tmp_path / "harbor.html").read_text(encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(DATA / "broken")])
    assert result.exit_code == 1
    assert "closure.ann:5:25: R1: Arg2 refers to T9" in result.stdout
