"""Label Studio input: the full JSON export read into statements; JSON-MIN and CSV refused; broken and
hostile exports reported with file, line, task and result."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancegraph.cli.main import cli
from stancegraph.graph import build, load, read_corpus, validate
from stancegraph.graph.importers import file_importer
from stancegraph.graph.importers.labelstudio import counts_utf16, importer, locate, utf16_index
from stancegraph.graph.model import Registry
from stancegraph.graph.read import discover

DATA = Path(__file__).parent / "data" / "labelstudio"
EXPORT = json.loads((DATA / "export.json").read_text(encoding="utf-8"))


def project(tmp_path: Path, tasks, name: str = "export.json", mapping: str | None = None) -> Path:
    """A folder with the fixture's registry and ``tasks`` as a Label Studio export."""
    folder = tmp_path / "project"
    folder.mkdir(exist_ok=True)
    shutil.copy(DATA / "registry.yaml", folder)
    text = tasks if isinstance(tasks, str) else json.dumps(tasks, ensure_ascii=False, indent=2)
    (folder / name).write_text(text, encoding="utf-8")
    if mapping is not None:
        (folder / "mapping.yaml").write_text(mapping, encoding="utf-8")
    return folder


def statements(source):
    return {(st.subject, st.relation, st.object): st for st in source.statements}


def problems_of(folder: Path) -> list[str]:
    return [str(p) for p in validate([folder], shacl=False)]


def test_statements_with_exact_quotes_and_provenance():
    sources = {s.id: s for s in load([DATA]).sources}
    talks = "lakeland-backs-the-river-treaty-at-the-zurich-talks"
    assert set(sources) == {f"{talks}-ana", f"{talks}-bo", "ostby-council-opposes-the-harbour-fee"}
    ana = sources[f"{talks}-ana"]
    assert (ana.title, ana.published, ana.url, ana.publisher) == (
        "Lakeland backs the river treaty at the Zürich talks", "2031-06-03",
        "https://news.example.org/2031/06/zurich-talks", "lakeland-courier")
    assert ana.path.endswith("export.json") and ana.loc.line > 1
    # the quote runs from the start of the first region to the end of the second, exact in the task's text
    sts = statements(ana)
    assert set(sts) == {("lakeland", "supports", "river-treaty"), ("marchand", "proposes", "joint-water-commission"),
                        ("ministry-of-fisheries", "opposes", "river-treaty")}
    supports = sts[("lakeland", "supports", "river-treaty")]
    assert supports.quote == "Lakeland supports the proposed river treaty"
    assert ana.content[supports.start:supports.end] == supports.quote
    assert ana.content.startswith("Zürich talks") and ana.text is None
    # the second annotator's annotation is a source of its own; the cancelled one is said, not read
    bo = sources[f"{talks}-bo"]
    assert set(statements(bo)) == {("lakeland", "supports", "river-treaty")}  # "Support" mapped by the default
    for source in (ana, bo):
        assert "Not read: annotation 103 by cy@example.org (cancelled" in source.note
    assert ana.note.startswith("Label Studio task 11 of export.json, annotation 101 by ana@example.org.")


def test_emoji_offsets_count_code_points():
    harbour = next(s for s in load([DATA]).sources if s.id == "ostby-council-opposes-the-harbour-fee")
    sts = statements(harbour)
    authority = sts[("harbour-authority", "proposes", "reduced-fee-for-fishers")]
    assert authority.quote == "the Harbour Authority proposes a reduced fee for fishers"
    assert harbour.content[authority.start:authority.end] == authority.quote
    assert (authority.start, authority.end) == (93, 149)  # after 🗳 and 👍: 95 in UTF-16 units
    opposes = sts[("ostby-council", "opposes", "new-harbour-fee")]
    assert opposes.quote == "the Østby council 👍 opposes the new harbour fee"
    assert harbour.published == "2031-06-05"  # a date and time: its date


def test_choices_mentions_and_registry():
    corpus = load([DATA])
    entities = corpus.registry.entities
    assert entities["ministry-of-fisheries"].kind == "government-agency"  # a per-region choice "kind"
    assert entities["lakeland-courier"].kind == "news-outlet"  # the task's outlet
    assert "zurich" not in entities  # LOC: ignored by the default mapping
    assert "ostby" not in entities  # the model prediction is not read by default
    # the mentions of the registry's entries resolve to them (a label, an alias)
    assert {e for e in entities if entities[e].cls == "proposal"} >= {"river-treaty", "joint-water-commission"}
    harbour = next(s for s in corpus.sources if s.id.startswith("ostby"))
    assert {st.hedges for st in harbour.statements} == {("reportedly",)}  # a choice on the task: every statement


def test_unannotated_tasks_are_left_out():
    titles = {s.title for s in load([DATA]).sources}
    assert "Not yet annotated" not in titles


def test_one_annotation_per_task_when_the_mapping_says_so(tmp_path):
    folder = project(tmp_path, EXPORT, mapping="labelstudio: {annotations: first}\n")
    sources = load([folder]).sources
    assert sorted(s.id for s in sources) == ["lakeland-backs-the-river-treaty-at-the-zurich-talks",
                                             "ostby-council-opposes-the-harbour-fee"]
    talks = sources[0]
    assert len(talks.statements) == 3
    assert "annotation 102 by bo@example.org ('labelstudio: {annotations: first}'" in talks.note
    folder = project(tmp_path, EXPORT, mapping="labelstudio: {annotations: [bo@example.org, 1]}\n")
    by_id = {s.id: s for s in load([folder]).sources}
    assert len(by_id["lakeland-backs-the-river-treaty-at-the-zurich-talks"].statements) == 1  # bo's
    assert len(by_id["ostby-council-opposes-the-harbour-fee"].statements) == 2  # ana's (user 1): bo did not annotate it


def test_ground_truth_comes_first(tmp_path):
    tasks = copy.deepcopy(EXPORT)
    tasks[0]["annotations"][1]["ground_truth"] = True
    folder = project(tmp_path, tasks, mapping="labelstudio: {annotations: first}\n")
    talks = next(s for s in load([folder]).sources if s.id.startswith("lakeland"))
    assert "annotation 102 by bo@example.org." in talks.note and len(talks.statements) == 1


def test_predictions_when_asked(tmp_path):
    folder = project(tmp_path, EXPORT, mapping="labelstudio: {predictions: read}\n")
    corpus = load([folder])
    assert corpus.registry.entities["ostby"].kind == "state"
    harbour = [s for s in corpus.sources if s.id.startswith("ostby-council")]
    assert any("prediction 5 by model ner-v1" in s.note for s in harbour)


def test_text_and_fields_under_other_keys(tmp_path):
    tasks = copy.deepcopy(EXPORT[1:2])
    data = tasks[0]["data"]
    tasks[0]["data"] = {"body": data["text"], "kop": data["headline"], "when": 2031, "site": "https://x.example/a"}
    folder = project(tmp_path, tasks, mapping="labelstudio:\n  text: body\n  title: kop\n  published: when\n  url: [link, site]\n")
    (source,) = load([folder]).sources
    assert (source.id, source.title, source.published, source.url, source.publisher) == (
        "ostby-council-opposes-the-harbour-fee", "Østby council opposes the harbour fee", "2031", "https://x.example/a", None)
    assert len(source.statements) == 2


def test_offsets_of_older_exports_count_utf16_units(tmp_path):
    tasks = copy.deepcopy(EXPORT[1:2])
    text = tasks[0]["data"]["text"]
    for result in tasks[0]["annotations"][0]["result"]:
        if result["type"] == "labels":
            value = result["value"]
            value["start"] = len(text[:value["start"]].encode("utf-16-le")) // 2
            value["end"] = len(text[:value["end"]].encode("utf-16-le")) // 2
    older = load([project(tmp_path, tasks)]).sources[0]
    newer = next(s for s in load([DATA]).sources if s.id == older.id)
    assert [(st.quote, st.start, st.end) for st in older.statements] == [(st.quote, st.start, st.end) for st in newer.statements]


def test_utf16_index_and_locate():
    text = "a👍b🐟c"
    assert [utf16_index(text, u) for u in range(8)] == [0, 1, None, 2, 3, None, 4, 5]
    assert locate(text, 2, 3, "b") == (2, 3)  # code points
    assert locate(text, 3, 4, "b", utf16=True) == (2, 3)  # UTF-16 units
    assert locate(text, 3, 4, "x", utf16=True) is None
    assert locate(text, 2, 4, None, utf16=True) is None  # inside a surrogate pair


def test_an_annotation_counts_one_way_throughout():
    """'aaaa🐟aa': 'a' at code points 6-7 and at UTF-16 units 6-7 (code points 5-6) read the same; the fish at
    units 4-6 decides for the whole annotation, so the 'a' after it is the one at code point 5."""
    text = "aaaa🐟aa"
    fish = {"type": "labels", "value": {"start": 4, "end": 6, "text": "🐟"}}
    after = {"type": "labels", "value": {"start": 6, "end": 7, "text": "a"}}
    assert counts_utf16(text, [fish, after])
    assert locate(text, 6, 7, "a", utf16=True) == (5, 6)
    assert not counts_utf16(text, [{"type": "labels", "value": {"start": 4, "end": 5, "text": "🐟"}}, after])
    assert not counts_utf16("no emoji", [after])


def test_several_control_names_on_one_region_and_notes(tmp_path):
    tasks = copy.deepcopy(EXPORT[1:2])
    results = tasks[0]["annotations"][0]["result"]
    authority = next(r for r in results if r["id"] == "ha")
    results.append({**copy.deepcopy(authority), "from_name": "kinds", "value": {**authority["value"], "labels": ["ORG"]}})
    results.append({"id": "ha", "from_name": "note", "to_name": "text", "type": "textarea",
                    "value": {"text": ["Runs the port of Østby."]}})
    corpus = load([project(tmp_path, tasks)])
    assert corpus.registry.entities["harbour-authority"].note == "Runs the port of Østby."


def test_bidirectional_relations(tmp_path):
    tasks = copy.deepcopy(EXPORT[1:2])
    results = tasks[0]["annotations"][0]["result"]
    results[:] = [r for r in results if r["type"] != "relation"]
    results += [{"from_id": "fee", "to_id": "oc", "type": "relation", "direction": "bi", "labels": ["opposes"]},
                {"from_id": "oc", "to_id": "ha", "type": "relation", "direction": "bi", "labels": ["negotiates-with"]},
                {"from_id": "rf", "to_id": "ha", "type": "relation", "direction": "left", "labels": ["proposes"]}]
    (source,) = load([project(tmp_path, tasks)]).sources
    assert set(statements(source)) == {
        ("ostby-council", "opposes", "new-harbour-fee"),  # the end of the relation's subject class is its subject
        ("ostby-council", "negotiates-with", "harbour-authority"), ("harbour-authority", "negotiates-with", "ostby-council"),
        ("harbour-authority", "proposes", "reduced-fee-for-fishers")}


# ----------------------------------------------------------------------------- broken and hostile exports


def _result(tasks, task: int, rid: str) -> dict:
    return next(r for r in tasks[task]["annotations"][0]["result"] if r.get("id") == rid)


def test_spans_that_disagree_with_their_text(tmp_path):
    tasks = copy.deepcopy(EXPORT)
    _result(tasks, 0, "mof")["value"]["text"] = "The Ministry of Finance"
    _result(tasks, 1, "fee")["value"].update(start=900, end=910)
    problems = problems_of(project(tmp_path, tasks))
    assert any("export.json:" in p and "task 11, annotation 101, result mof: the region 218-243 of the task's text reads "
               "'The Ministry of Fisheries', not 'The Ministry of Finance'" in p for p in problems), problems
    assert any(f"task 12, annotation 104, result fee: the region 900-910 is outside the task's text "
               f"({len(EXPORT[1]['data']['text'])} characters)" in p for p in problems), problems
    assert len(problems) == 2  # the choice on the region and the relations to them are not reported again


def test_relations_to_unknown_regions(tmp_path):
    tasks = copy.deepcopy(EXPORT[:1])
    tasks[0]["annotations"][0]["result"].append({"from_id": "lk1", "to_id": "nowhere", "type": "relation",
                                                 "direction": "right", "labels": ["supports"]})
    (problem,) = problems_of(project(tmp_path, tasks))
    lines = json.dumps(tasks, ensure_ascii=False, indent=2).splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if '"nowhere"' in text)
    assert (f"export.json:{line}:{lines[line - 1].index('nowhere')}: task 11, annotation 101, relation lk1→nowhere: "
            "its to_id 'nowhere' is no region of this annotation") in problem


def test_unmapped_labels_are_one_problem_each_with_their_count(tmp_path):
    tasks = copy.deepcopy(EXPORT)
    for task in tasks:
        for annotation in task["annotations"]:
            for result in annotation["result"]:
                if result["type"] == "labels" and result["value"]["labels"] == ["Proposal"]:
                    result["value"]["labels"] = ["Thesis"]  # not a stancegraph word (Claim is: a claim)
                if result["type"] == "relation" and result["labels"] == ["opposes"]:
                    result["labels"] = ["Attack"]
    problems = problems_of(project(tmp_path, tasks))
    claims = [p for p in problems if "'Thesis'" in p]
    assert len(claims) == 1, problems
    assert "unknown label 'Thesis', used 6 times: task 11, annotation 101, result rt1 (" in claims[0]
    assert "and 3 more: the mapping does not say what it is. Map it in mapping.yaml under 'entities:'" in claims[0]
    attacks = [p for p in problems if "'Attack'" in p]
    assert len(attacks) == 1 and "unknown relation label 'Attack', used 2 times" in attacks[0]
    assert len(problems) == 2  # relations to Thesis regions are not reported again


def test_unread_result_types_and_ignored_controls(tmp_path):
    tasks = copy.deepcopy(EXPORT[1:2])
    tasks[0]["annotations"][0]["result"].append({"id": "r1", "from_name": "quality", "to_name": "text", "type": "rating",
                                                 "value": {"rating": 4}})
    problems = problems_of(project(tmp_path, tasks))
    assert len(problems) == 1 and "unread result type 'rating', used once: task 12, annotation 104, result r1" in problems[0]
    folder = project(tmp_path, tasks, mapping="attributes: {quality: ignore}\n")
    assert problems_of(folder) == []


def test_unknown_choices_control(tmp_path):
    tasks = copy.deepcopy(EXPORT[1:2])
    tasks[0]["annotations"][0]["result"].append({"id": "c", "from_name": "sentiment", "to_name": "text",
                                                 "type": "choices", "value": {"choices": ["Negative"]}})
    (problem,) = problems_of(project(tmp_path, tasks))
    assert "unknown control 'sentiment', used once" in problem and "'sentiment: ignore'" in problem
    tasks[0]["annotations"][0]["result"][-1].update(from_name="hedge", value={"choices": ["perhaps"]})
    (problem,) = problems_of(project(tmp_path, tasks))
    assert "hedge: unknown word 'perhaps'" in problem


def test_hostile_values(tmp_path):
    tasks = copy.deepcopy(EXPORT[1:2])
    results = tasks[0]["annotations"][0]["result"]
    _result(tasks, 0, "oc")["value"].update(start="38", end=True)
    _result(tasks, 0, "ha")["value"]["labels"] = "ORG"
    results.append(["not", "a", "result"])
    results.append({"id": "rel", "type": "relation", "from_id": {"x": 1}, "to_id": None, "labels": "opposes"})
    tasks.append({"data": {"text": 5}, "annotations": [{"result": []}]})
    tasks.append({"annotations": [], "predictions": []})
    tasks.append({"data": {"title": "x" * 50}, "annotations": ["x"]})
    problems = problems_of(project(tmp_path, tasks))
    text = "\n".join(problems)
    for expected in ("result oc: the region has no numeric start and end", "result ha: a labels result has a list of "
                     "'labels'", "annotation 104: a result is an object", "task #2: data.text is not a text",
                     "not a Label Studio task: it has no 'data'", "task #4: there is no data.text (its keys: title)"):
        assert expected in text, text
    assert all(p.startswith("project/export.json:") or "/export.json:" in p for p in problems)


def test_deep_and_broken_json(tmp_path):
    folder = project(tmp_path, '[{"data": {"text": "x"}, "annotations": [}]')
    (problem,) = [str(p) for p in validate([folder / "export.json"], shacl=False)]
    assert "export.json:1:42: JSON syntax error: expected a value" in problem
    folder = project(tmp_path, "[" * 5000 + "]" * 5000)
    result = CliRunner().invoke(cli, ["validate", str(folder / "export.json")])
    assert result.exit_code == 1 and "nested deeper than 256 levels" in result.output


def test_nothing_annotated_is_a_problem(tmp_path):
    tasks = copy.deepcopy(EXPORT[2:])
    tasks[0]["predictions"] = [{"id": 1, "result": []}]
    (problem,) = problems_of(project(tmp_path, tasks))
    assert "no annotations in this file" in problem and "labelstudio: {predictions: read}" in problem


# ----------------------------------------------------------------------------- other exports, and other formats


def json_min() -> list[dict]:
    task = EXPORT[1]
    return [{"text": task["data"]["text"], "id": 12, "label": [{"start": 38, "end": 55, "text": "the Østby council",
                                                                  "labels": ["ORG"]}],
             "annotator": 1, "annotation_id": 104, "created_at": "2031-06-05T12:00:00Z",
             "updated_at": "2031-06-05T12:00:00Z", "lead_time": 30.5}]


def test_json_min_export_is_refused(tmp_path):
    folder = project(tmp_path, json_min(), name="project-7-min.json")
    assert file_importer(folder / "project-7-min.json").name == "labelstudio"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(tmp_path / "out.trig")])
    assert result.exit_code == 1
    assert ("project-7-min.json:1:1: this is Label Studio's JSON-MIN export, which leaves out region ids and relations: "
            "stancegraph reads the full JSON export. In Label Studio, open the project, click Export, choose JSON") in result.output
    assert not (tmp_path / "out.trig").exists()


def test_csv_and_tsv_exports_are_refused_and_other_tables_are_coding_sheets(tmp_path):
    folder = project(tmp_path, EXPORT)
    (folder / "project-7.csv").write_text('annotation_id,annotator,created_at,id,label,lead_time,text,updated_at\n'
                                          '104,1,2031,12,"[]",30.5,x,2031\n', encoding="utf-8")
    (folder / "project-7.tsv").write_text('"annotation_id"\t"annotator"\t"lead_time"\t"text"\n104\t1\t3.5\t"x"\n',
                                          encoding="utf-8")
    assert file_importer(folder / "project-7.csv").name == "labelstudio"
    (folder / "budget.csv").write_text("year,amount\n2031,5\n", encoding="utf-8")
    assert file_importer(folder / "budget.csv").name == "sheet"  # another table: read as a coding sheet
    problems = problems_of(folder)
    assert any("project-7.csv:1:1: this is a Label Studio CSV export" in p and "choose JSON" in p for p in problems)
    assert any("project-7.tsv:1:1: this is a Label Studio TSV export" in p for p in problems)
    assert any("budget.csv:1:1: no 'columns:' in mapping.yaml, and the column names do not say" in p for p in problems)
    assert len(problems) == 3


def test_label_studio_and_web_annotation_files_are_told_apart(tmp_path):
    webanno = Path(__file__).parent / "data" / "webanno"
    for name in ("fishing-accord.jsonld", "hypothesis-export.json"):
        assert not importer.claims_file(webanno / name)
        assert file_importer(webanno / name).name == "webanno"
    one_task = tmp_path / "task.json"  # one task (a cloud storage file), not yet annotated: not a Web Annotation page
    one_task.write_text(json.dumps({"id": 1, "data": {"text": "x"}, "annotations": []}), encoding="utf-8")
    assert file_importer(one_task).name == "labelstudio"
    assert file_importer(DATA / "export.json").name == "labelstudio"
    (tmp_path / "package.json").write_text('{"name": "x"}', encoding="utf-8")
    assert file_importer(tmp_path / "package.json") is None
    assert sorted(p.name for p in discover([DATA])) == ["export.json", "registry.yaml"]


# ----------------------------------------------------------------------------- property


WORDS = st.text(alphabet=st.sampled_from(list("abcdeé xyzØ,.") + ["👍", "🐟", "\n", "中"]), min_size=1, max_size=12)


@st.composite
def tasks_with_relations(draw):
    """A task of random text with random non-blank regions (actors and proposals) and relations between them,
    offsets in code points or (as older Label Studio wrote them) in UTF-16 units."""
    pieces = draw(st.lists(WORDS, min_size=2, max_size=8))
    text = "".join(pieces)
    utf16 = draw(st.booleans())
    regions, relations = [], []
    cut = 0
    for i, piece in enumerate(pieces):
        start, end = cut, cut + len(piece)
        cut = end
        if not piece.strip() or piece.strip() != piece:
            continue
        label = draw(st.sampled_from(["PER", "ORG", "Proposal"]))
        s, e = (len(text[:start].encode("utf-16-le")) // 2, len(text[:end].encode("utf-16-le")) // 2) if utf16 else (start, end)
        regions.append(({"id": f"r{i}", "type": "labels", "from_name": "label", "to_name": "text",
                         "value": {"start": s, "end": e, "text": piece, "labels": [label]}}, label, start, end))
    actors = [r for r in regions if r[1] != "Proposal"]
    proposals = [r for r in regions if r[1] == "Proposal"]
    for subject in actors:
        for obj in proposals:
            if draw(st.booleans()):
                relations.append(({"from_id": subject[0]["id"], "to_id": obj[0]["id"], "type": "relation",
                                   "direction": "right", "labels": [draw(st.sampled_from(["supports", "opposes"]))]},
                                  subject, obj))
    task = {"id": 1, "data": {"text": text}, "annotations": [
        {"id": 1, "completed_by": 1, "result": [r[0] for r in regions] + [r[0] for r in relations]}], "predictions": []}
    return task, text, relations


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tasks_with_relations())
def test_every_labelled_relation_is_a_statement_quoting_its_text(tmp_path, example):
    task, text, relations = example
    path = tmp_path / "export.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    imported = importer.read(path, Registry())
    assert imported.problems == []
    (source,) = imported.sources
    assert source.content == text
    assert len(source.statements) == len(relations)
    for statement, (result, subject, obj) in zip(source.statements, relations):
        assert statement.relation == result["labels"][0]
        assert (statement.start, statement.end) == (min(subject[2], obj[2]), max(subject[3], obj[3]))
        assert statement.quote == text[statement.start:statement.end]


# ----------------------------------------------------------------------------- the command line


def test_cli_build_validate_view_convert(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", str(DATA)], catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (0, "OK: 3 sources, 6 statements, 11 registry entries.\n")
    result = runner.invoke(cli, ["build", str(DATA), "-o", str(tmp_path / "g.ttl")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "g.ttl").read_text(encoding="utf-8").count("sg:Statement") >= 6
    result = runner.invoke(cli, ["view", str(DATA), "-o", str(tmp_path / "view.html")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Ministry of Fisheries" in (tmp_path / "view.html").read_text(encoding="utf-8")
    out = tmp_path / "native"
    result = runner.invoke(cli, ["convert", str(DATA), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    texts = sorted(p.name for p in (out / "texts").iterdir())
    assert texts == ["lakeland-backs-the-river-treaty-at-the-zurich-talks-ana.txt",
                     "lakeland-backs-the-river-treaty-at-the-zurich-talks-bo.txt", "ostby-council-opposes-the-harbour-fee.txt"]
    assert (out / "texts" / texts[2]).read_text(encoding="utf-8") == EXPORT[1]["data"]["text"]
    native = yaml.safe_load((out / "sources" / "ostby-council-opposes-the-harbour-fee.yaml").read_text(encoding="utf-8"))
    assert native["source"]["text"] == "../texts/ostby-council-opposes-the-harbour-fee.txt"
    assert native["statements"][1]["quote"] == "the Harbour Authority proposes a reduced fee for fishers"
    assert (native["statements"][1]["start"], native["statements"][1]["end"]) == (93, 149)
    assert set(build([out], shacl=False).dataset.quads()) == set(build([DATA], shacl=False).dataset.quads())
    def table(corpus):
        return {(s.id, st.subject, st.relation, st.object, st.quote, st.start, st.end, st.hedges)
                for s in corpus.sources for st in s.statements}

    assert table(load([out])) == table(load([DATA]))


def test_cli_broken_export_exits_1_and_writes_nothing(tmp_path):
    tasks = copy.deepcopy(EXPORT)
    _result(tasks, 0, "mof")["value"]["text"] = "The Ministry of Finance"
    folder = project(tmp_path, tasks)
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(tmp_path / "g.trig")])
    assert result.exit_code == 1
    assert "task 11, annotation 101, result mof" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "g.trig").exists()
    assert read_corpus([folder])[1]
