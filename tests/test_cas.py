"""INCEpTION / WebAnno input: UIMA CAS XMI with its type system, zipped exports, CAS JSON (fixtures
written with dkpro-cassis in casdata.py), the mapping's cas: section, hostile inputs."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, URIRef
from rdflib.namespace import PROV

import casdata
from casdata import MAPPING, TEXT, ceasefire, document_export, project_export, write_pair, zipped
from stancegraph.cli.main import cli
from stancegraph.graph import build, load, validate
from stancegraph.graph.importers import file_importer
from stancegraph.graph.importers.cas import importer
from stancegraph.graph.model import Registry
from stancegraph.ontology import SG

DATA = Path(__file__).parent / "data" / "cas"
ROOT = Path(__file__).parent.parent

EXPECTED = {
    ("egypt", "supports", "hostage-exchange-plan", "Egypt backs the hostage exchange plan"),
    ("israel", "opposes", "hostage-exchange-plan", "Israel rejects the hostage exchange plan"),
}


def statements(corpus) -> set:
    return {(s.subject, s.relation, s.object, s.quote) for source in corpus.sources for s in source.statements}


def messages(path) -> list[str]:
    return [str(p) for p in validate([path], shacl=False)]


def test_committed_fixture_is_what_casdata_writes(tmp_path):
    write_pair(tmp_path)
    for name in ("ceasefire.xmi", "TypeSystem.xml", "mapping.yaml"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_statements_with_exact_quotes_at_code_point_offsets():
    corpus = load([DATA])
    assert statements(corpus) == EXPECTED
    source = corpus.sources[0]
    assert source.content == TEXT
    for st_ in source.statements:
        # the text holds a character outside the BMP before the quotes: offsets count code points
        assert TEXT[st_.start:st_.end] == st_.quote
        assert st_.start == TEXT.index(st_.quote)


def test_registry_entries_from_named_entities_and_custom_layers():
    entities = load([DATA]).registry.entities
    assert {(e.id, e.cls, e.kind, e.wikidata) for e in entities.values()} == {
        ("egypt", "actor", "state", "Q79"),  # GPE; the identifier feature links Wikidata
        ("israel", "actor", "state", None),
        ("hamas", "actor", "organization", None),  # ORG, in no relation, still an actor of the source
        ("hostage-exchange-plan", "proposal", None, None),  # webanno.custom.Proposal: no label, its type name
    }  # LOC (Cairo) and DATE (Monday) are ignored by the default mapping; Token and Sentence by its cas: section


def test_source_metadata_and_provenance():
    source = load([DATA]).sources[0]
    assert (source.id, source.title, source.url) == (
        "ceasefire-talks", "Ceasefire talks resume in Cairo", "https://news.example.org/ceasefire-talks")
    assert source.path.endswith("ceasefire.xmi")
    built = build([DATA], shacl=True)
    graph = built.dataset.graph(URIRef("https://example.org/stancegraph/graph/source/ceasefire-talks"))
    nodes = list(graph.subjects(RDF.type, SG.Statement))
    assert len(nodes) == 2
    for node in nodes:
        assert (node, PROV.wasDerivedFrom, URIRef("https://example.org/stancegraph/source/ceasefire-talks")) in graph
    # each statement remembers the XMI element it came from
    xmi = (DATA / "ceasefire.xmi").read_text(encoding="utf-8")
    for node in nodes:
        origin = built.origins[node]
        assert origin.path.endswith("ceasefire.xmi")
        line = xmi.split("\n")[origin.line - 1]
        assert line[origin.col - 1:].startswith("<custom:Stance ")


def test_zipped_document_export_and_cas_json(tmp_path):
    (tmp_path / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "ceasefire-talks.zip").write_bytes(document_export())
    (tmp_path / "ceasefire.json").write_bytes(ceasefire().json())
    for name in ("ceasefire-talks.zip", "ceasefire.json"):
        corpus = load([tmp_path / name])
        assert statements(corpus) == EXPECTED, name
        assert corpus.sources[0].content == TEXT
        assert all(TEXT[s.start:s.end] == s.quote for s in corpus.sources[0].statements)


def test_project_export_one_source_per_annotator_and_layers_from_the_project(tmp_path):
    bob = ceasefire()
    bob.cas.remove(next(a for a in bob.cas.select(casdata.STANCE) if a.stance == "Oppose"))
    path = tmp_path / "project.zip"
    # no mapping.yaml: the project's description says which feature of Stance annotators fill
    path.write_bytes(project_export({"alice": ceasefire(), "bob": bob, "INITIAL_CAS": ceasefire()}))
    corpus = load([path])
    by_id = {s.id: s for s in corpus.sources}
    assert set(by_id) == {"ceasefire-talks-alice", "ceasefire-talks-bob"}
    assert len(by_id["ceasefire-talks-alice"].statements) == 2 and len(by_id["ceasefire-talks-bob"].statements) == 1
    assert by_id["ceasefire-talks-bob"].note == "Annotated by bob in INCEpTION."
    assert by_id["ceasefire-talks-bob"].path == f"{path}!annotation/ceasefire-talks.txt/bob.zip!bob.xmi"
    # a curated document stands for its annotators' copies
    path.write_bytes(project_export({"alice": ceasefire(), "bob": bob}, curated=bob))
    corpus = load([path])
    assert [(s.id, len(s.statements), s.note) for s in corpus.sources] == [("ceasefire-talks", 1, None)]


def test_a_project_exported_as_serialized_cases_is_explained(tmp_path):
    path = tmp_path / "project.zip"
    path.write_bytes(zipped({"annotation_ser/a.txt/alice.ser": b"\xac\xed", "exportedproject1.json": b"{}"}))
    [message] = messages(path)
    assert "only as serialized CASes (.ser)" in message and "UIMA CAS XMI (XML 1.0)" in message


def test_claims_only_cas_json():
    assert file_importer(DATA / "ceasefire.xmi") is importer
    for name in ("web-annotation.json", "label-studio.json"):
        assert importer.claims_file(Path(tempfile.gettempdir()) / "no-such" / name) is False
    with tempfile.TemporaryDirectory() as folder:
        label_studio = Path(folder, "tasks.json")
        label_studio.write_text('[{"id": 1, "data": {"text": "x"}, "annotations": []}]', encoding="utf-8")
        web = Path(folder, "notes.json")
        web.write_text('{"type": "Annotation", "target": "a.txt", "%TYPES": 1}', encoding="utf-8")
        cas = Path(folder, "cas.json")
        cas.write_bytes(ceasefire().json())
        assert [importer.claims_file(p) for p in (label_studio, web, cas)] == [False, False, True]


def test_one_problem_per_unmapped_type_with_count_and_first_places(tmp_path):
    doc = ceasefire()
    ner = doc.ts.get_type(casdata.NER)
    for word in ("talks", "resumed", "spokesperson", "comment"):
        doc.cas.add(ner(**dict(zip(("begin", "end"), casdata.at(TEXT, word))), value="MISC_EVENT"))
    write_pair(tmp_path, doc, mapping=False)  # no cas: entry for Stance: two string features, no label
    found = messages(tmp_path)
    assert len(found) == 2
    events = next(m for m in found if "MISC_EVENT" in m)
    assert "unknown entity type 'MISC_EVENT' (layer de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity)" in events
    assert "4 annotations: xmi:id" in events and "and 1 more" in events
    assert "'MISC_EVENT: ignore'" in events
    stance = next(m for m in found if "Stance" in m)
    assert "unknown relation type 'Stance' (layer webanno.custom.Stance)" in stance and "2 annotations" in stance
    assert "ceasefire.xmi:2:" in stance


def test_a_relation_to_an_ignored_mention_is_said(tmp_path):
    doc = ceasefire()
    stance = doc.ts.get_type(casdata.STANCE)
    doc.cas.add(stance(begin=0, end=5, Governor=doc.named["egypt"], Dependent=doc.named["cairo"], stance="Support"))
    write_pair(tmp_path, doc)
    [message] = messages(tmp_path)
    assert f"its Dependent is xmi:id {doc.named['cairo'].xmiID}, a LOC, which the mapping ignores" in message


# ----------------------------------------------------------------------------- broken and hostile inputs


def cli_build(path: Path, out: Path):
    return CliRunner().invoke(cli, ["build", str(path), "-o", str(out)])


def test_offsets_outside_the_text(tmp_path):
    doc = ceasefire()
    xmi = write_pair(tmp_path, doc)
    hamas = doc.named["hamas"]
    raw = xmi.read_text(encoding="utf-8")
    xmi.write_text(raw.replace(f'xmi:id="{hamas.xmiID}" sofa="1" begin="{hamas.begin + 1}" end="{hamas.end + 1}"',
                               f'xmi:id="{hamas.xmiID}" sofa="1" begin="{hamas.begin + 1}" end="9999"'), encoding="utf-8")
    result = cli_build(tmp_path, tmp_path / "out.ttl")
    assert result.exit_code == 1
    assert f"ceasefire.xmi:2:" in result.output
    assert f"NamedEntity xmi:id {hamas.xmiID}: its offsets" in result.output and "outside the text" in result.output
    assert not (tmp_path / "out.ttl").exists()


def test_an_xmi_without_its_type_system(tmp_path):
    xmi = write_pair(tmp_path / "a" / "b")
    (tmp_path / "a" / "b" / "TypeSystem.xml").rename(tmp_path / "elsewhere.xml")
    [message] = messages(xmi)
    assert message.startswith(f"{xmi}: no TypeSystem.xml beside this .xmi file")
    # the folder above is where INCEpTION's exports may keep it
    (tmp_path / "elsewhere.xml").rename(tmp_path / "a" / "TypeSystem.xml")
    assert messages(xmi) == []


def test_malformed_xml_names_line_and_column(tmp_path):
    xmi = write_pair(tmp_path)
    xmi.write_text(xmi.read_text(encoding="utf-8").replace('<cas:NULL xmi:id="0"/>', '<cas:NULL xmi:id="0">'),
                   encoding="utf-8")
    [message] = messages(xmi)
    assert message.startswith(f"{xmi}:2:") and "not well-formed XML" in message


def test_billion_laughs_is_refused_unread(tmp_path):
    xmi = write_pair(tmp_path)
    entities = "".join(f'<!ENTITY l{i + 1} "{("&l%d;" % i) * 10}">' for i in range(9))
    head, body = xmi.read_text(encoding="utf-8").split("?>", 1)
    body = body.replace('documentTitle="Ceasefire talks resume in Cairo"', 'documentTitle="&l9;"')
    xmi.write_text(f'{head}?>\n<!DOCTYPE x [<!ENTITY l0 "lol">{entities}]>{body}', encoding="utf-8")
    [message] = messages(xmi)
    assert message.startswith(f"{xmi}:2:1: this XML declares a DOCTYPE or entities")


def test_zip_with_a_member_outside_the_zip(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(zipped({"ceasefire.xmi": ceasefire().xmi(), "TypeSystem.xml": ceasefire().typesystem_xml(),
                             "../../evil.txt": b"x"}))
    result = cli_build(path, tmp_path / "out.ttl")
    assert result.exit_code == 1
    assert f"{path}!../../evil.txt: a member of this zip is named outside the zip" in result.output
    assert not (tmp_path / "out.ttl").exists() and not (tmp_path.parent / "evil.txt").exists()


def test_zip_bomb_is_refused_unread(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(zipped({"ceasefire.xmi": ceasefire().xmi(), "TypeSystem.xml": ceasefire().typesystem_xml(),
                             "padding.xmi": b"\0" * (4 * 1024 * 1024)}))
    [message] = messages(path)
    assert message.startswith(f"{path}!padding.xmi: this zip unpacks to too much data")


def test_a_zip_without_a_type_system_and_a_broken_zip(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(zipped({"ceasefire.xmi": ceasefire().xmi()}))
    assert messages(path) == [f"{path}!ceasefire.xmi: no TypeSystem.xml beside this .xmi in the zip. "
                              "INCEpTION's XMI export zips each document with its TypeSystem.xml; export again."]
    path.write_bytes(document_export()[:200])
    [message] = messages(path)
    assert message.startswith(f"{path}: ")


# ----------------------------------------------------------------------------- property


_CHARS = st.sampled_from(list("ab cé\n") + ["\U0001F54A", "\u4e2d"])


@st.composite
def texts_and_spans(draw):
    text = draw(st.text(_CHARS, min_size=2, max_size=40).filter(lambda t: not t.isspace()))  # a span needs a word
    words = [i for i, c in enumerate(text) if not c.isspace()]
    n = draw(st.integers(1, 4))
    spans = []
    for _ in range(n):
        pair = []
        for _ in range(2):
            start = draw(st.sampled_from(words))
            end = draw(st.integers(start + 1, len(text)))
            pair.append((start, end))
        spans.append(pair)
    return text, spans


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts_and_spans())
def test_each_mapped_relation_becomes_a_statement_quoting_the_text_at_its_offsets(case):
    text, pairs = case
    doc = ceasefire()
    for fs in list(doc.cas.select_all_fs()):
        doc.cas.remove(fs)
    doc.cas.sofa_string = text
    ner, proposal, stance = (doc.ts.get_type(n) for n in (casdata.NER, casdata.PROPOSAL, casdata.STANCE))
    for (g0, g1), (d0, d1) in pairs:
        governor, dependent = ner(begin=g0, end=g1, value="PER"), proposal(begin=d0, end=d1)
        doc.cas.add_all([governor, dependent, stance(begin=d0, end=d1, Governor=governor, Dependent=dependent,
                                                     stance="Support")])
    with tempfile.TemporaryDirectory() as folder:
        imported = importer.read(write_pair(Path(folder), doc), Registry())
    assert imported.problems == []
    [source] = imported.sources
    assert source.content == text
    quotes = sorted((s.start, s.end, s.quote) for s in source.statements)
    expected = sorted((min(g0, d0), max(g1, d1), text[min(g0, d0):max(g1, d1)]) for (g0, g1), (d0, d1) in pairs)
    assert quotes == expected


# ----------------------------------------------------------------------------- the command line


def test_cli_validate_build_view_convert(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", str(DATA)], catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (0, "OK: 1 source, 2 statements, 4 registry entries.\n")
    result = runner.invoke(cli, ["build", str(DATA), "-o", str(tmp_path / "g.ttl")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "g.ttl").read_text(encoding="utf-8").count("sg:Statement") >= 2
    result = runner.invoke(cli, ["view", str(DATA), "-o", str(tmp_path / "v.html")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "hostage exchange plan" in (tmp_path / "v.html").read_text(encoding="utf-8")
    result = runner.invoke(cli, ["convert", str(DATA), "-o", str(tmp_path / "native")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "native" / "texts" / "ceasefire-talks.txt").read_text(encoding="utf-8") == TEXT
    assert "text: ../texts/ceasefire-talks.txt" in (tmp_path / "native" / "sources" / "ceasefire-talks.yaml").read_text(
        encoding="utf-8")
    assert statements(load([tmp_path / "native"])) == EXPECTED
    assert set(build([tmp_path / "native"], shacl=False).dataset.quads()) == set(build([DATA], shacl=False).dataset.quads())
