"""W3C Web Annotation and Hypothesis input: selectors, bodies, tags, linking, errors with file and line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from rdflib import URIRef

from stancegraph.graph import build, load, read_corpus, validate
from stancegraph.graph.read import discover
from stancegraph.ontology import OA

DATA = Path(__file__).parent / "data" / "webanno"
TEXT = (DATA / "fishing-accord.txt").read_text(encoding="utf-8")


def by_relation(source):
    return {(st.subject, st.relation, st.object): st for st in source.statements}


def test_collection_statements_and_provenance():
    corpus = load([DATA])
    sources = {s.id: s for s in corpus.sources}
    assert set(sources) == {"fishing-accord", "fishing-accord-vote"}
    talks = sources["fishing-accord"]
    assert talks.title == "Island council backs a fishing accord with Norland"  # the text's first line
    assert talks.text == "fishing-accord.txt"
    sts = by_relation(talks)
    assert set(sts) == {
        ("island-council", "supports", "fishing-accord"),
        ("norland", "supports", "fishing-accord"),
        ("fishers-union", "opposes", "fishing-accord"),
        ("european-commission", "undecided-on", "fishing-accord"),
    }
    # tagging bodies: relation, subject and object by label or alias, date; quote and position selectors
    council = sts[("island-council", "supports", "fishing-accord")]
    assert council.date == "2031-06-02"
    assert TEXT[council.start:council.end] == council.quote
    assert council.prefix == "\nThe Island Council "
    # a bare relation word, if: and hedge: tags, a describing body; no position selector: offsets computed
    norland = sts[("norland", "supports", "fishing-accord")]
    assert (norland.if_conditions, norland.hedges, norland.note) == (
        ("quota-dispute-settled",), ("could",), "The minister speaks for her government.")
    assert TEXT[norland.start:norland.end] == norland.quote
    # a linking annotation between two mentions: the quote runs from one to the other
    union = sts[("fishers-union", "opposes", "fishing-accord")]
    assert union.quote == "Fishers' Union opposes the accord"
    assert TEXT[union.start:union.end] == union.quote
    # a stale position selector (7 characters off) is re-anchored by its quote; a commenting body is a note
    commission = sts[("european-commission", "undecided-on", "fishing-accord")]
    assert TEXT[commission.start:commission.end] == commission.quote == "is reviewing the accord and has not yet taken a position"
    assert commission.note == "Its position is expected after the summer."


def test_mentions_become_registry_entries():
    entities = load([DATA]).registry.entities
    union = entities["fishers-union"]
    assert (union.cls, union.kind, union.label, union.note) == (
        "actor", "organization", "Fishers' Union", "A trade union of island fishers.")
    commission = entities["european-commission"]
    assert (commission.kind, commission.wikidata) == ("organization", "Q8880")  # identifying body: a Wikidata IRI
    assert "the-accord" not in entities  # identified by registry id: no new entry


def test_hypothesis_export():
    source = next(s for s in load([DATA]).sources if s.id == "fishing-accord-vote")
    assert (source.title, source.url, source.text) == (
        "Island council backs fishing accord", "https://news.example.org/2031/06/fishing-accord-vote", None)
    (st,) = source.statements  # the page note tagged "todo" is not a stancegraph annotation
    assert (st.subject, st.relation, st.object, st.hedges, st.note) == (
        "island-council", "supports", "fishing-accord", ("reportedly",), "The vote count is not given.")
    assert (st.prefix, st.suffix, st.start, st.end) == ("on Monday, officials said. ", " with Norland.", 1046, 1119)


def test_graph_has_quote_selectors_with_context():
    built = build([DATA], shacl=True)
    graph = built.dataset.graph(URIRef("https://example.org/fishing/graph/source/fishing-accord-vote"))
    (selector,) = graph.subjects(OA.prefix, None)
    assert str(graph.value(selector, OA.exact)).startswith("The Island Council voted")
    assert str(graph.value(selector, OA.suffix)) == " with Norland."
    origin = built.origins[URIRef(str(selector).rsplit("/evidence", 1)[0])]
    assert origin.path.endswith("hypothesis-export.json") and origin.line == 4


ANNOTATION = {
    "@context": "http://www.w3.org/ns/anno.jsonld",
    "id": "urn:x:1",
    "type": "Annotation",
    "body": [{"type": "TextualBody", "purpose": "tagging", "value": v}
             for v in ("relation:supports", "subject:island-council", "object:fishing-accord")],
    "target": {"source": "fishing-accord.txt",
               "selector": {"type": "TextQuoteSelector", "exact": "voted on Monday to support the proposed fishing accord"}},
}


def _project(tmp_path: Path, name: str, data) -> Path:
    folder = tmp_path / "p"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "registry.yaml", folder)
    shutil.copy(DATA / "fishing-accord.txt", folder)
    (folder / name).write_text(json.dumps(data, indent=2) if not isinstance(data, str) else data, encoding="utf-8")
    return folder


def test_every_file_shape(tmp_path):
    shapes = {
        "single.jsonld": ANNOTATION,
        "list.jsonld": [ANNOTATION],
        "page.jsonld": {"type": "AnnotationPage", "items": [ANNOTATION]},
        "client-export.json": {"export_date": "2031-06-03", "client_version": "1", "annotations": [
            {**ANNOTATION, "uri": "https://example.org/a", "type": None}]},
    }
    for name, data in shapes.items():
        folder = _project(tmp_path / name.replace(".", "-"), name, data)
        corpus = load([folder / name])
        assert [len(s.statements) for s in corpus.sources] == [1], name


def test_folders_pick_annotation_files_only(tmp_path):
    folder = _project(tmp_path, "notes.jsonld", [ANNOTATION])
    (folder / "package.json").write_text('{"name": "not annotations"}', encoding="utf-8")
    (folder / "graph.jsonld").write_text('{"@graph": [{"@id": "urn:x", "urn:p": "v"}]}', encoding="utf-8")
    assert sorted(p.name for p in discover([folder])) == ["notes.jsonld", "registry.yaml"]


def test_problems_name_the_json_line(tmp_path):
    bad = dict(ANNOTATION, body=[{"type": "TextualBody", "purpose": "tagging", "value": v}
                                 for v in ("relation:supports", "subjet:island-council", "object:fishing-accord")])
    folder = _project(tmp_path, "bad.jsonld", [bad, dict(ANNOTATION, id="urn:x:2", body=[
        {"type": "TextualBody", "purpose": "tagging", "value": "relation:suports"},
        {"type": "TextualBody", "purpose": "tagging", "value": "subject:Island Councel"},
        {"type": "TextualBody", "purpose": "tagging", "value": "object:fishing-accord"}])])
    problems = [str(p) for p in validate([folder], shacl=False)]
    assert any("bad.jsonld:2:3: annotation urn:x:1 states a relation but has no 'subject:' tag" in p for p in problems)
    assert any("bad.jsonld:15:18: unknown tag key 'subjet' on a statement. Did you mean 'subject'" in p for p in problems)
    assert any("bad.jsonld:39:18: unknown relation 'suports'" in p for p in problems)
    assert any("bad.jsonld:44:18: subject: unknown actor or proposal or condition 'Island Councel'" in p for p in problems)


def test_syntax_errors_and_files_without_annotations(tmp_path):
    folder = _project(tmp_path, "broken.jsonld", '[\n  {"id": "x",\n   "target": }\n]')
    (folder / "empty.json").write_text('{"name": "x"}', encoding="utf-8")
    problems = [str(p) for p in read_corpus([folder / "broken.jsonld", folder / "empty.json"])[1]]
    assert any("broken.jsonld:3:14: JSON syntax error: expected a value" in p for p in problems)
    assert any("empty.json:1:1: no Web Annotations in this file" in p for p in problems)


def test_quotes_not_in_the_text_are_reported(tmp_path):
    wrong = dict(ANNOTATION, target={"source": "fishing-accord.txt", "selector": {
        "type": "TextQuoteSelector", "exact": "voted on Sunday to support the proposed fishing accord"}})
    problems = [str(p) for p in validate([_project(tmp_path, "a.jsonld", wrong)], shacl=False)]
    assert len(problems) == 1
    assert "a.jsonld:26:16: the quote is not word for word in the text; the closest passage" in problems[0]
    assert "'voted on Monday to support the proposed fishing accord'" in problems[0]
