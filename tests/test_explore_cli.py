"""The analysis commands from the command line: query, matrix, blockers, contradictions, stats, export.

* On the Gaza example, every command's whole output is compared with a golden file under
  tests/data/golden/explore/ (built once to a .ttl, and also read straight from the example folder).
  After a deliberate change, regenerate them with ``STANCEGRAPH_UPDATE_GOLDEN=1 python -m pytest
  tests/test_explore_cli.py`` and read the diff before committing it.
* On tests/data/explore/contradictions/, an invented corpus whose sources contradict each other.
* On a generated graph of more than 10,000 nodes in stancegraph's RDF shape (the generator below is
  checked against ``stancegraph build`` on a small corpus), each command end to end.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner, Result
from rdflib import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from stancegraph.cli.main import cli
from stancegraph.ontology import ENTITY_CLASSES, OA, ORG, SCHEMA, SG, vocabulary
from stancegraph.output.query import library

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "gaza-day-after"
FIXTURE = Path(__file__).parent / "data" / "explore" / "contradictions"
GOLDEN = Path(__file__).parent / "data" / "golden" / "explore"
UPDATE = os.environ.get("STANCEGRAPH_UPDATE_GOLDEN") == "1"


# --------------------------------------------------------------------------- helpers


def invoke(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def ok(*args: object) -> Result:
    result = invoke(*args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == 0, f"exit {result.exit_code}\n{result.output}"
    return result


def failed(code: int, *args: object) -> Result:
    """Runs a command that must fail with exit ``code``, cleanly: a message, no traceback."""
    result = invoke(*args)
    assert isinstance(result.exception, SystemExit), f"uncaught {result.exception!r}\n{result.output}"
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    return result


def assert_golden(name: str, actual: str) -> None:
    """``actual`` must equal tests/data/golden/explore/``name``; STANCEGRAPH_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(actual)
        return
    if not path.exists():
        pytest.fail(f"no golden file {path.relative_to(ROOT)}: run with STANCEGRAPH_UPDATE_GOLDEN=1, then read it", pytrace=False)
    with open(path, encoding="utf-8", newline="") as f:
        expected = f.read()
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                            f"golden/{name}", "actual"))
        pytest.fail(f"output differs from {path.relative_to(ROOT)} (if the change is meant, regenerate with "
                    f"STANCEGRAPH_UPDATE_GOLDEN=1 and review the diff):\n{diff}", pytrace=False)


@pytest.fixture(scope="module")
def gaza(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, built once with ``stancegraph build`` (shared with the other explore test modules)."""
    path = tmp_path_factory.getbasetemp() / "explore-gaza" / "gaza-day-after.ttl"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        result = ok("build", EXAMPLE, "-o", path, "--no-cache")
        assert "Wrote" in result.stderr
    return path


def graph_arg(variant: str, gaza: Path) -> Path:
    return gaza if variant == "ttl" else EXAMPLE


# --------------------------------------------------------------------------- golden outputs on the example

NAMED = sorted(library())
CONSTRUCT = "CONSTRUCT { ?a sg:mustApprove ?p . ?p sg:requires ?c } WHERE { ?a sg:mustApprove ?p . OPTIONAL { ?p sg:requires ?c } }"

#: golden file → command line (GRAPH stands for the graph)
CASES = {
    "query-list.txt": ["query", "GRAPH", "--list"],
    **{f"query-{name}.txt": ["query", "GRAPH", "--named", name] for name in NAMED},
    "query-conditions.csv": ["query", "GRAPH", "--named", "conditions", "--format", "csv"],
    "query-conditions.tsv": ["query", "GRAPH", "--named", "conditions", "--format", "tsv"],
    "query-conditions.json": ["query", "GRAPH", "--named", "conditions", "--format", "json"],
    "query-construct.ttl": ["query", "GRAPH", CONSTRUCT],
    "matrix.txt": ["matrix", "GRAPH"],
    "matrix.csv": ["matrix", "GRAPH", "--format", "csv"],
    "matrix.tsv": ["matrix", "GRAPH", "-f", "tsv"],
    "matrix.json": ["matrix", "GRAPH", "-f", "json"],
    "matrix.html": ["matrix", "GRAPH", "-f", "html"],
    "blockers-gaza-day-after-plan.txt": ["blockers", "GRAPH", "gaza-day-after-plan"],
    "blockers-gaza-day-after-plan.json": ["blockers", "GRAPH", "gaza-day-after-plan", "-f", "json"],
    "blockers-palestinian-led-force.txt": ["blockers", "GRAPH", "palestinian-led-force"],
    "blockers-multinational-force.txt": ["blockers", "GRAPH", "multinational-force"],
    "contradictions.txt": ["contradictions", "GRAPH"],
    "contradictions.json": ["contradictions", "GRAPH", "-f", "json"],
    "stats.txt": ["stats", "GRAPH"],
    "stats.json": ["stats", "GRAPH", "-f", "json"],
    "stats-top3.txt": ["stats", "GRAPH", "--top", "3"],
}
#: read straight from the example folder too (each run builds and checks it: one case per command, export below)
FOLDER_CASES = ["query-actors.txt", "matrix.txt", "blockers-gaza-day-after-plan.txt", "contradictions.txt", "stats.txt"]


def _run_case(name: str, graph: Path) -> Result:
    return ok(*[graph if a == "GRAPH" else a for a in CASES[name]])


@pytest.mark.parametrize("name", list(CASES))
def test_golden_output_from_the_built_graph(gaza, name):
    result = _run_case(name, gaza)
    assert result.stderr == ""
    assert_golden(name, result.stdout)


@pytest.mark.parametrize("name", FOLDER_CASES)
def test_golden_output_from_the_example_folder(name):
    """The same answers when GRAPH is the folder of annotation files."""
    assert_golden(name, _run_case(name, EXAMPLE).stdout)


def test_answers_do_not_depend_on_the_order_of_the_triples(gaza, tmp_path):
    """The same graph with its triples in the opposite order (GROUP_CONCAT and the projection follow the store's
    order unless told otherwise) gives the same answers, byte for byte."""
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(gaza, format="turtle")
    lines = [line for line in ds.serialize(format="nquads").splitlines() if line.strip()]
    reversed_nq = tmp_path / "reversed.nq"
    reversed_nq.write_text("\n".join(reversed(lines)) + "\n", encoding="utf-8")
    names = [*(f"query-{name}.txt" for name in NAMED), "matrix.txt", "blockers-palestinian-led-force.txt", "stats.json"]
    for name in names:
        assert _run_case(name, reversed_nq).stdout == _run_case(name, gaza).stdout, name
    ok("export", reversed_nq, "-o", tmp_path / "a.cyjs")
    ok("export", gaza, "-o", tmp_path / "b.cyjs")
    assert (tmp_path / "a.cyjs").read_bytes() == (tmp_path / "b.cyjs").read_bytes()


def test_output_to_a_file(gaza, tmp_path):
    out = tmp_path / "m.csv"
    result = ok("matrix", gaza, "-f", "csv", "-o", out)
    assert result.stdout == "" and result.stderr == f"Wrote {out}.\n"
    assert out.read_text(encoding="utf-8") == (GOLDEN / "matrix.csv").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- query


def test_every_library_query_is_listed_and_answers_on_the_example(gaza):
    listed = ok("query", gaza, "--list").stdout.splitlines()
    assert [line.split()[0] for line in listed] == NAMED
    assert all(len(line.split(maxsplit=1)) == 2 for line in listed), "each query has a description"
    for name in NAMED:
        rows = json.loads(ok("query", gaza, "--named", name, "-f", "json").stdout)
        if name == "arguments":  # a news example has no arguments between claims: see tests/test_arguments.py
            assert rows == []
            continue
        assert rows, f"library query {name} has no example answer on the Gaza example"


def test_query_text_file_and_named_agree(gaza, tmp_path):
    text = library()["approvals"].text
    rq = tmp_path / "approvals.rq"
    rq.write_text(text, encoding="utf-8")
    named = ok("query", gaza, "--named", "approvals").stdout
    assert ok("query", gaza, f"@{rq}").stdout == named
    assert ok("query", gaza, text).stdout == named
    assert named.splitlines()[2].startswith("Israel  Post-war (\"day after\") plan for Gaza  newsmax-2024-03-pentagon-gaza-force")


def test_query_formats_hold_the_same_rows(gaza):
    as_json = json.loads(ok("query", gaza, "--named", "conditions", "-f", "json").stdout)
    as_csv = list(csv.DictReader(io.StringIO(ok("query", gaza, "--named", "conditions", "-f", "csv").stdout)))
    as_tsv = list(csv.DictReader(io.StringIO(ok("query", gaza, "--named", "conditions", "-f", "tsv").stdout), delimiter="\t"))
    assert len(as_json) == len(as_csv) == len(as_tsv) == 11
    assert [{k: v or "" for k, v in row.items()} for row in as_json] == as_csv == as_tsv
    # unbound values: null in JSON, empty in CSV
    unbound = [row for row in as_json if row["condition"] == "International and regional stakeholders are aligned"]
    assert unbound == [{"condition": "International and regional stakeholders are aligned", "relation": "requires",
                        "by": "Peacekeeping force for post-war Gaza", "proposal": "Peacekeeping force for post-war Gaza",
                        "status": None, "source": "summary-2024-03-30-pentagon-gaza-force",
                        "quote": "the feasibility of such a mission remains contingent upon the alignment of international and regional stakeholders"}]


def test_query_select_values_full_iris_outside_tables(gaza):
    text = "SELECT ?a WHERE { ?a sg:mustApprove ?p }"
    assert ok("query", gaza, text).stdout == "a\n------------\nactor:israel\n"
    assert ok("query", gaza, text, "-f", "csv").stdout == "a\nhttps://w3id.org/stancegraph/examples/gaza-day-after/actor/israel\n"


def test_query_ask(gaza):
    assert ok("query", gaza, "ASK { ?a sg:mustApprove ?p }").stdout == "true\n"
    assert ok("query", gaza, "ASK { ?a sg:opposes ?p }").stdout == "true\n"  # Hamas, in 2025
    assert ok("query", gaza, "ASK { ?a sg:resists ?p }").stdout == "false\n"
    # ASK ignores --format
    assert ok("query", gaza, "ASK { ?a sg:mustApprove ?p }", "-f", "json").stdout == "true\n"


def test_query_construct_is_turtle_that_parses(gaza):
    from rdflib import Graph, URIRef

    base = "https://w3id.org/stancegraph/examples/gaza-day-after/"
    plan = URIRef(base + "proposal/gaza-day-after-plan")
    g = Graph().parse(data=ok("query", gaza, CONSTRUCT).stdout, format="turtle")
    assert set(g) == {(URIRef(base + "actor/israel"), SG.mustApprove, plan),
                      (plan, SG.requires, URIRef(base + "condition/israel-approval")),
                      (plan, SG.requires, URIRef(base + "condition/two-state-commitment")),
                      (plan, SG.requires, URIRef(base + "condition/hostages-released"))}  # met, in 2025


@pytest.mark.parametrize("text", [
    "SELEC ?x WHERE { ?x ?p ?o }",
    "SELECT ?x WHERE { ?x ?p ?o",
    "SELECT ?x WHERE { ?x nosuchprefix:p ?o }",
    # valid syntax, but fails while the results are read (rdflib evaluates lazily)
    'SELECT ?o WHERE { ?s skos:prefLabel ?o FILTER(REGEX(?o, "(")) }',
    'ASK { ?s skos:prefLabel ?o FILTER(REGEX(?o, "[")) }',
], ids=["keyword", "unclosed", "prefix", "bad-regex-select", "bad-regex-ask"])
def test_invalid_sparql_exits_1_with_a_message(gaza, text):
    result = failed(1, "query", gaza, text)
    assert result.stderr.startswith("Error: the query is not valid SPARQL: ")
    assert result.stderr.count("\n") == 1


def test_invalid_sparql_in_a_real_process(gaza):
    """The console script itself: message on stderr, exit 1, no traceback."""
    proc = subprocess.run([sys.executable, "-m", "stancegraph.cli", "query", str(gaza), 'SELECT ?o { ?s ?p ?o FILTER(REGEX(?o, "(")) }'],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith("Error: the query is not valid SPARQL:") and "Traceback" not in proc.stderr


@pytest.mark.parametrize("args", [[], ["SELECT * {}", "--named", "actors"]], ids=["neither", "both"])
def test_query_needs_exactly_one_of_text_and_named(gaza, args):
    result = failed(2, "query", gaza, *args)
    assert "Error: give either QUERY (SPARQL text or @FILE.rq) or --named NAME" in result.stderr


def test_query_unknown_name_and_missing_file(gaza, tmp_path):
    result = failed(1, "query", gaza, "--named", "nope")
    assert result.stderr == ("Error: no library query named 'nope'. Known: " + ", ".join(NAMED) + "\n")
    result = failed(2, "query", gaza, f"@{tmp_path / 'missing.rq'}")
    assert "cannot read" in result.stderr and "missing.rq" in result.stderr
    failed(2, "query", gaza, "--named", "actors", "--format", "xml")


# --------------------------------------------------------------------------- matrix


def test_matrix_on_the_example(gaza):
    cells = {(c["actor"], c["proposal"]): c for c in json.loads(ok("matrix", gaza, "-f", "json").stdout)}
    assert cells[("israel", "gaza-day-after-plan")] == {
        "actor": "israel", "proposal": "gaza-day-after-plan", "stances": ["supports", "conditional"],  # 2025, 2024
        "conditions": ["until Hamas is defeated", "until The hostages seized on October 7 are released"],
        "roles": ["must approve"]}
    assert cells[("regional-partners", "multinational-force")]["stances"] == ["conditional"]
    assert cells[("pa-security-personnel", "palestinian-led-force")]["stances"] == ["undecided"]
    assert {k for k, c in cells.items() if c["stances"] == ["considering"]} == {
        ("biden-administration", "gaza-peacekeeping-force"), ("international-partners", "gaza-peacekeeping-force"),
        ("dod", "gaza-peacekeeping-force"), ("dod", "multinational-force"), ("dod", "palestinian-led-force"),
        ("dod", "gaza-reconstruction-aid"), ("state-department", "gaza-peacekeeping-force"),
        ("white-house", "gaza-peacekeeping-force")}
    # the March 2024 sources alone (--until): the 2025 note adds its own columns and rows
    rows = list(csv.reader(io.StringIO(ok("matrix", gaza, "-f", "csv", "--until", "2024-12").stdout)))
    assert rows[0] == ["actor", "Multinational stabilization force", "Palestinian-led peacekeeping force",
                       "Peacekeeping force for post-war Gaza", 'Post-war ("day after") plan for Gaza',
                       "U.S. aid for humanitarian assistance, reconstruction and infrastructure in Gaza"]
    assert len(rows) == 1 + 8
    assert rows[3] == ["Israel", "", "", "", "conditional [must approve] (until Hamas is defeated; until The hostages seized "
                       "on October 7 are released)", ""]
    # the role comes before the conditions, so that the terminal table's clipping does not hide it
    assert "[must approve]" in ok("matrix", gaza).stdout


HOSTILE_REGISTRY = """\
stancegraph: 1
actors:
  evil:
    label: "<script>alert(1)</script>"
    kind: group
  amp:
    label: "Tom & \\"Jerry\\" <b>bold</b>"
  bell:
    label: "Bell\\a\\x1b[31mred"
proposals:
  plan:
    label: "<img src=x onerror=alert(2)>"
conditions:
  cond:
    label: "</td><script>alert(3)</script>"
"""
HOSTILE_SOURCE = """\
stancegraph: 1
source:
  id: s1
  title: "<script>alert(4)</script>"
  published: 2024-01-01
statements:
  - subject: evil
    relation: supports
    object: plan
    if: cond
    quote: "we back it <script>alert(5)</script>"
  - subject: amp
    relation: opposes
    object: plan
    quote: "no & never"
  - subject: bell
    relation: considers
    object: plan
    quote: "maybe so"
"""


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A corpus whose labels and quotes are markup and terminal escapes."""
    folder = tmp_path / "<script>alert(0)<"
    (folder / "sources").mkdir(parents=True)
    (folder / "registry.yaml").write_text(HOSTILE_REGISTRY, encoding="utf-8")
    (folder / "sources" / "s1.yaml").write_text(HOSTILE_SOURCE, encoding="utf-8")
    return folder


def test_matrix_html_escapes_hostile_labels(hostile):
    page = ok("matrix", hostile, "-f", "html").stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&lt;/td&gt;&lt;script&gt;alert(3)&lt;/script&gt;" in page
    assert "Tom &amp; &quot;Jerry&quot; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<title>Stances: &lt;script&gt;alert(0)&lt;</title>" in page  # the folder's name
    lowered = page.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<b>" not in lowered
    assert "content-security-policy" in lowered and "default-src 'none'" in lowered
    # exactly the markup of the page: one table, its rows, its cells
    tags = Counter(re.findall(r"<(/?[a-z0-9]+)", page))
    assert set(tags) == {"html", "/html", "head", "/head", "meta", "title", "/title", "style", "/style", "body", "/body",
                         "h1", "/h1", "table", "/table", "thead", "/thead", "tbody", "/tbody", "tr", "/tr", "th", "/th",
                         "td", "/td"}
    assert tags["tr"] == 1 + 3 and tags["td"] == 3


def test_terminal_reports_escape_control_characters(hostile):
    for args in (["matrix", hostile], ["blockers", hostile, "plan"], ["stats", hostile], ["contradictions", hostile],
                 ["query", hostile, "--named", "stances"]):
        out = ok(*args).stdout
        assert "\x1b" not in out and "\x07" not in out, args
    assert "Bell\\x07\\x1b[31mred" in ok("matrix", hostile).stdout


# --------------------------------------------------------------------------- blockers


def test_blockers_of_the_day_after_plan(gaza):
    """Israel's approval, Israel's own preconditions, and the regional demand for a two-state commitment."""
    b = json.loads(ok("blockers", gaza, "gaza-day-after-plan", "-f", "json").stdout)
    assert b["proposal"] == "gaza-day-after-plan" and b["scope"] == ["gaza-day-after-plan"]
    conditions = {c["id"]: c for c in b["conditions"]}
    assert set(conditions) == {"israel-approval", "two-state-commitment", "hamas-defeated", "hostages-released"}
    assert {c: x["status"] for c, x in conditions.items()} == {
        "israel-approval": "unmet", "two-state-commitment": "unmet", "hamas-defeated": "unmet",
        "hostages-released": "met"}  # unmet in March 2024, met by the latest statement (October 2025)

    approval = conditions["israel-approval"]
    assert [d["actor"] for d in approval["controlled_by"]] == ["israel", "israel"]
    assert {e["source"] for e in approval["required_by"]} == {"newsmax-2024-03-pentagon-gaza-force",
                                                             "summary-2024-03-30-pentagon-gaza-force"}
    [approver] = b["approvers"]
    assert approver["actor"] == "israel"
    assert approver["evidence"][0]["quote"] == 'Israel is the "long pole in the tent" when it comes to approving any plans'
    assert approver["preconditions"] == ["Hamas is defeated", "The hostages seized on October 7 are released"]
    for own in ("hamas-defeated", "hostages-released"):
        assert [d["actor"] for d in conditions[own]["demanded_by"]] == ["israel"]

    two_state = conditions["two-state-commitment"]
    assert [(d["actor"], d["quote"]) for d in two_state["demanded_by"]] == [
        ("regional-officials", "regional officials want a commitment to a two-state solution")]
    assert two_state["required_by"][0]["hedges"] == ["likely"]

    [resistance] = b["resistance"]
    assert (resistance["actor"], resistance["relation"], resistance["stance"]) == ("israel", "declines to take part in", "conditional")
    assert resistance["conditions"] == ["Hamas is defeated", "The hostages seized on October 7 are released"]

    text = ok("blockers", gaza, "gaza-day-after-plan").stdout
    assert "  [unmet] Israel approves and cooperates [israel-approval]\n" in text
    assert "      demanded by Regional officials: \u201cregional officials want a commitment to a two-state solution\u201d" in text
    assert "      Israel's own preconditions: Hamas is defeated; The hostages seized on October 7 are released\n" in text


def test_blockers_by_label_or_alias(gaza):
    by_id = ok("blockers", gaza, "gaza-day-after-plan").stdout
    assert ok("blockers", gaza, "day after").stdout == by_id
    assert ok("blockers", gaza, 'POST-WAR ("DAY AFTER") PLAN FOR GAZA').stdout == by_id


def test_blockers_include_the_broader_proposals(gaza):
    b = json.loads(ok("blockers", gaza, "palestinian-led-force", "-f", "json").stdout)
    assert b["scope"] == ["palestinian-led-force", "gaza-peacekeeping-force", "gaza-day-after-plan"]
    via = {c["id"]: c["via"] for c in b["conditions"]}
    assert via == {"trainer-identified": None, "stakeholder-alignment": "gaza-peacekeeping-force",
                   "two-state-commitment": "gaza-day-after-plan", "israel-approval": "gaza-day-after-plan",
                   "hamas-defeated": "gaza-day-after-plan", "hostages-released": "gaza-day-after-plan"}


@pytest.mark.parametrize("ref, hint", [
    ("gaza-day-afer-plan", "Did you mean 'gaza-day-after-plan'?"),
    ("peacekeeping-forse", "Did you mean 'gaza-peacekeeping-force'"),
])
def test_blockers_of_an_unknown_proposal(gaza, ref, hint):
    result = failed(1, "blockers", gaza, ref)
    assert result.stderr.startswith(f"Error: no proposal {ref!r} in the graph. ")
    assert hint in result.stderr


def test_blockers_of_an_actor_is_refused(gaza):
    result = failed(1, "blockers", gaza, "israel")
    assert result.stderr == ("Error: no proposal 'israel' in the graph. Known proposals: comprehensive-plan, "
                             "gaza-day-after-plan, gaza-interim-governance, gaza-peacekeeping-force, gaza-reconstruction-aid, "
                             "multinational-force, palestinian-led-force, unsc-resolution-2803\n")


# --------------------------------------------------------------------------- contradictions


def test_the_example_changes_over_time_and_has_no_contradictions(gaza):
    """What the example holds is changes over time (March 2024 → October 2025), which no source contradicts."""
    found = json.loads(ok("contradictions", gaza, "-f", "json").stdout)
    assert [(c["kind"], c["summary"]) for c in found] == [
        ("stance-change", 'Israel on Post-war ("day after") plan for Gaza: conditional (2024-03) → supports (2025-10)'),
        ("status-change", "The hostages seized on October 7 are released: unmet (2024-03) → met (2025-10-13)")]
    before_2025 = ok("contradictions", gaza, "--until", "2024-12").stdout
    assert before_2025 == ("No contradictions found: no actor holds conflicting stances on a proposal, and no sources "
                           "disagree on a condition's status or a quantity.\n")


def test_contradictions_of_the_fixture_corpus():
    result = ok("contradictions", FIXTURE)
    assert_golden("fixture-contradictions.txt", result.stdout)
    found = json.loads(ok("contradictions", FIXTURE, "-f", "json").stdout)
    assert_golden("fixture-contradictions.json", json.dumps(found, indent=2, ensure_ascii=False) + "\n")
    assert [(c["kind"], c["subject"], c["object"]) for c in found] == [
        ("stance", "northland", "harbour-treaty"),  # supports in one source, opposes in another
        ("stance-change", "southland", "joint-patrol"),  # dated statements of one source: considering, then supports
        ("condition-status", "ceasefire-holds", "ceasefire-holds"),  # met vs unmet, both on "requires"
        ("status-change", "observers-deployed", "observers-deployed"),  # unmet on "demands" in January, met in March
        ("quantity", "coastal-league", "joint-patrol"),
    ]
    stance, change, ceasefire, observers, quantity = found
    assert [(e["stance"], e["source"]) for e in stance["evidence"]] == [
        ("supports", "a-daily-tide-2024-01-10"), ("opposes", "b-evening-wire-2024-01-11")]
    assert change["summary"] == "Southland on Joint naval patrol: considering (2024-01) → supports (2024-03-01)"
    assert ceasefire["summary"] == ("sources disagree whether The ceasefire holds is met: met per a-daily-tide-2024-01-10; "
                                    "unmet per b-evening-wire-2024-01-11")
    assert sorted((e["status"], e["source"]) for e in observers["evidence"]) == [
        ("met", "c-port-gazette-2024-03-01"), ("unmet", "a-daily-tide-2024-01-10")]
    assert quantity["summary"] == ("sources give different quantities for Coastal League funds Joint naval patrol: "
                                   "1500000000 USD, 2000000000 USD")
    # an unconditional and a conditional support in the same source, same day: not a contradiction
    assert not any(c["subject"] == "harbour-authority" for c in found)


def test_blockers_and_matrix_of_the_fixture_corpus():
    assert_golden("fixture-blockers-joint-patrol.txt", ok("blockers", FIXTURE, "joint-patrol").stdout)
    b = json.loads(ok("blockers", FIXTURE, "the patrol", "-f", "json").stdout)
    assert {c["id"]: c["status"] for c in b["conditions"]} == {"observers-deployed": "met", "ceasefire-holds": "contested"}  # met since March
    assert [(a["actor"], a["preconditions"]) for a in b["approvers"]] == [("southland", ["Observers are deployed"])]
    # support is no resistance, outright or on condition; the condition of conditional support is a
    # condition of the proposal, with that stance as its evidence
    assert [(r["actor"], r["stance"], r["quote"]) for r in b["resistance"]] == [
        ("northland", "opposes", "Northland has never backed the treaty and rejects it outright")]
    ceasefire = next(c for c in b["conditions"] if c["id"] == "ceasefire-holds")
    assert [(x["actor"], x["quote"]) for x in ceasefire["stances"]] == [
        ("harbour-authority", "the Authority will back the patrol as long as the ceasefire holds")]
    assert_golden("fixture-matrix.txt", ok("matrix", FIXTURE).stdout)


# --------------------------------------------------------------------------- stats


def test_stats_of_the_example(gaza):
    s = json.loads(ok("stats", gaza, "-f", "json").stdout)
    assert s["nodes"] == {"actor": 23, "proposal": 8, "condition": 8}
    assert (s["statements"], s["sources"]) == (55, 3)
    assert sum(s["relations"].values()) == 55
    assert s["relations"]["discusses"] == 10 and s["relations"]["must-approve"] == 1
    assert s["stances"] == {"considering": 17, "supports": 6, "abstains": 2, "conditional": 2, "opposes": 1, "undecided": 1}
    assert [a["actor"] for a in s["central_actors"][:3]] == ["israel", "biden-administration", "dod"]
    assert s["central_actors"][0]["degree"] == 6
    assert len(s["central_actors"]) == 10
    assert s["sources_per_outlet"] == {"(not named)": 2, "Newsmax": 1}
    text = ok("stats", gaza).stdout
    assert text.startswith("23 actors, 8 proposals, 8 conditions; 55 statements from 3 sources\n")


# --------------------------------------------------------------------------- export

EXPORTS = {"gaza.graphml": "graphml", "gaza.gexf": "gexf", "gaza.cyjs": "cytoscape", "gaza.csv": "csv"}


def _stable(name: str, data: str) -> str:
    """GEXF carries the day it was written."""
    return re.sub(r'lastmodifieddate="\d{4}-\d{2}-\d{2}"', 'lastmodifieddate="(date)"', data) if name.endswith(".gexf") else data


@pytest.mark.parametrize("name, variant", [*((name, "ttl") for name in EXPORTS), ("gaza.gexf", "folder")])
def test_export_golden(gaza, tmp_path, name, variant):
    out = tmp_path / name
    result = ok("export", graph_arg(variant, gaza), "-o", out)
    assert result.stdout == ""
    counts = "55 statements (a row each)" if name.endswith(".csv") else "39 nodes, 66 edges"
    assert result.stderr == f"Wrote {out}: {EXPORTS[name]}, {counts}.\n"
    assert_golden(f"export-{name}", _stable(name, out.read_text(encoding="utf-8")))


def test_export_json_is_cytoscape(gaza, tmp_path):
    ok("export", gaza, "-o", tmp_path / "a.json")
    ok("export", gaza, "-o", tmp_path / "b.cyjs")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.cyjs").read_bytes()
    g = nx.cytoscape_graph(json.loads((tmp_path / "a.json").read_text(encoding="utf-8")))
    assert (g.number_of_nodes(), g.number_of_edges()) == (39, 66)


def test_export_format_option_overrides_the_extension(gaza, tmp_path):
    out = tmp_path / "edges.txt"
    result = ok("export", gaza, "-o", out, "--format", "csv")
    assert "csv, 55 statements (a row each)" in result.stderr
    assert out.read_text(encoding="utf-8") == (GOLDEN / "export-gaza.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["gaza.txt", "gaza", "gaza.xml"])
def test_export_unknown_extension_exits_2_and_writes_nothing(gaza, tmp_path, name):
    result = failed(2, "export", gaza, "-o", tmp_path / name)
    assert "cannot tell the format from" in result.stderr and "--format" in result.stderr
    assert list(tmp_path.iterdir()) == []
    failed(2, "export", gaza, "-o", tmp_path / "x.csv", "--format", "dot")
    failed(2, "export", gaza)  # -o is required


def test_export_of_a_broken_graph_keeps_the_old_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    out = tmp_path / "keep.csv"
    out.write_text("old", encoding="utf-8")
    result = failed(1, "export", bad, "-o", out)
    assert "not valid turtle RDF" in result.stderr and "nothing was written" in result.stderr
    assert out.read_text(encoding="utf-8") == "old"


@pytest.mark.parametrize("command", ["query", "matrix", "blockers", "contradictions", "stats", "export"])
def test_missing_graph_is_a_usage_error(tmp_path, command):
    extra = {"query": ["--named", "actors"], "blockers": ["x"], "export": ["-o", tmp_path / "x.csv"]}.get(command, [])
    result = failed(2, command, tmp_path / "nope.ttl", *extra)
    assert "does not exist" in result.stderr


# --------------------------------------------------------------------------- a generated graph of 10,000+ nodes
#
# The generator writes a corpus both as stancegraph's RDF (N-Quads: a registry graph and one named graph per
# source, the shape of `stancegraph build -o x.nq`) and, for small sizes, as annotation YAML; the test below
# checks that building the YAML gives the same quads and the same projection, so that the big RDF file is
# what stancegraph itself would write.

LARGE_BASE = "https://example.org/stancegraph-tests/large/"
_MEMBER_KINDS = {"person", "anonymous-source"}
_KINDS = ["state", "government", "government-agency", "military", "armed-group", "organization", "person", "group",
          "anonymous-source"]
_STANCE_RELATIONS = ["supports", "opposes", "considers", "proposes", "funds", "may-participate-in", "resists", "discusses",
                     "undecided-on", "declines-to-participate", "considers-funding", "participates-in"]


@dataclass
class Stmt:
    id: str
    subject: str
    relation: str
    object: str
    quote: str
    regarding: str | None = None
    if_: list[str] = field(default_factory=list)
    until: list[str] = field(default_factory=list)
    status: str | None = None
    date: str | None = None
    quantity: tuple[int, str] | None = None


@dataclass
class Src:
    id: str
    title: str
    publisher: str
    published: str
    statements: list[Stmt] = field(default_factory=list)


@dataclass
class Spec:
    entities: dict[str, tuple[str, str, str | None, str | None]] = field(default_factory=dict)  # id → (cls, label, kind, part-of)
    sources: list[Src] = field(default_factory=list)

    def add(self, cls: str, id_: str, label: str, kind: str | None = None, part_of: str | None = None) -> None:
        self.entities[id_] = (cls, label, kind, part_of)

    def statements(self) -> list[Stmt]:
        return [st for src in self.sources for st in src.statements]


def _lit(text: str, datatype: object = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"' + (f"^^<{datatype}>" if datatype else "")


def _date(value: str) -> str:
    return _lit(value, {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date))


def write_nquads(spec: Spec, path: Path) -> None:
    """``spec`` as N-Quads in the shape graph/build.py writes (see docs/ontology.md)."""
    vocab = vocabulary()
    out: list[str] = []

    def quad(s: str, p: object, o: str, g: str) -> None:
        out.append(f"<{s}> <{p}> {o} <{g}> .\n")

    def ent(id_: str) -> str:
        return f"{LARGE_BASE}{spec.entities[id_][0]}/{id_}"

    registry = f"{LARGE_BASE}graph/registry"
    for id_, (cls, label, kind, part_of) in spec.entities.items():
        node = ent(id_)
        quad(node, RDF.type, f"<{ENTITY_CLASSES[cls]}>", registry)
        if kind:
            quad(node, RDF.type, f"<{vocab.actor_kinds[kind]}>", registry)
        quad(node, SG.localId, _lit(id_), registry)
        quad(node, SKOS.prefLabel, _lit(label) + "@en", registry)  # a label in the registry's language (en)
        quad(node, RDFS.label, _lit(label) + "@en", registry)
        if part_of:
            prop = DCTERMS.isPartOf if cls != "actor" else ORG.memberOf if kind in _MEMBER_KINDS else ORG.subOrganizationOf
            quad(node, prop, f"<{ent(part_of)}>", registry)
    for src in spec.sources:
        g = f"{LARGE_BASE}graph/source/{src.id}"
        node = f"{LARGE_BASE}source/{src.id}"
        quad(node, RDF.type, f"<{SG.Source}>", g)
        quad(node, RDF.type, f"<{vocab.source_types['news-article']}>", g)
        quad(node, SG.localId, _lit(src.id), g)
        quad(node, DCTERMS.title, _lit(src.title), g)
        quad(node, DCTERMS.publisher, f"<{ent(src.publisher)}>", g)
        quad(node, DCTERMS.issued, _date(src.published), g)
        for st in src.statements:
            relation = vocab.relations[st.relation]
            s = f"{LARGE_BASE}source/{src.id}/statement/{st.id}"
            quad(ent(st.subject), relation.iri, f"<{ent(st.object)}>", g)
            quad(s, RDF.type, f"<{SG.Statement}>", g)
            quad(s, SG.localId, _lit(st.id), g)
            quad(s, RDF.subject, f"<{ent(st.subject)}>", g)
            quad(s, RDF.predicate, f"<{relation.iri}>", g)
            quad(s, RDF.object, f"<{ent(st.object)}>", g)
            quad(s, PROV.wasDerivedFrom, f"<{node}>", g)
            if relation.stance:
                quad(s, SG.stance, f"<{vocab.stances['conditional' if st.if_ or st.until else relation.stance]}>", g)
            if st.regarding:
                quad(s, SG.regarding, f"<{ent(st.regarding)}>", g)
            for c in st.if_:
                quad(s, SG.ifCondition, f"<{ent(c)}>", g)
            for c in st.until:
                quad(s, SG.untilCondition, f"<{ent(c)}>", g)
            if st.status:
                quad(s, SG.conditionStatus, f"<{vocab.condition_statuses[st.status]}>", g)
            if st.date:
                quad(s, DCTERMS.date, _date(st.date), g)
            step = f"{s}/attribution/0"
            quad(s, SG.attribution, f"<{step}>", g)
            quad(step, RDF.type, f"<{SG.AttributionStep}>", g)
            quad(step, PROV.agent, f"<{ent(src.publisher)}>", g)
            quad(step, SG.position, _lit("0", XSD.integer), g)
            quad(s, SG.saidBy, f"<{ent(src.publisher)}>", g)
            if st.quantity:
                q = f"{s}/quantity"
                quad(s, SG.quantity, f"<{q}>", g)
                quad(q, RDF.type, f"<{SCHEMA.QuantitativeValue}>", g)
                quad(q, SCHEMA.value, _lit(str(st.quantity[0]), XSD.integer), g)
                quad(q, SCHEMA.unitText, _lit(st.quantity[1]), g)
                quad(q, SG.approximate, _lit("false", XSD.boolean), g)
            evidence, selector = f"{s}/evidence", f"{s}/evidence/quote"
            quad(s, SG.evidence, f"<{evidence}>", g)
            quad(evidence, RDF.type, f"<{OA.SpecificResource}>", g)
            quad(evidence, OA.hasSource, f"<{node}>", g)
            quad(evidence, OA.hasSelector, f"<{selector}>", g)
            quad(selector, RDF.type, f"<{OA.TextQuoteSelector}>", g)
            quad(selector, OA.exact, _lit(st.quote), g)
    path.write_text("".join(out), encoding="utf-8")


def write_yaml(spec: Spec, folder: Path) -> None:
    """``spec`` as annotation files, for ``stancegraph build``."""
    registry: dict = {"stancegraph": 1, "base": LARGE_BASE, "actors": {}, "proposals": {}, "conditions": {}}
    for id_, (cls, label, kind, part_of) in spec.entities.items():
        entry: dict = {"label": label}
        if kind:
            entry["kind"] = kind
        if part_of:
            entry["part-of"] = part_of
        registry[cls + "s"][id_] = entry
    (folder / "sources").mkdir(parents=True)
    (folder / "registry.yaml").write_text(yaml.safe_dump(registry, sort_keys=False), encoding="utf-8")
    for src in spec.sources:
        statements = []
        for st in src.statements:
            entry = {"id": st.id, "subject": st.subject, "relation": st.relation, "object": st.object}
            for key, value in (("for", st.regarding), ("if", st.if_), ("until", st.until), ("status", st.status),
                               ("date", st.date)):
                if value:
                    entry[key] = value
            if st.quantity:
                entry["quantity"] = {"value": st.quantity[0], "unit": st.quantity[1]}
            entry["quote"] = st.quote
            statements.append(entry)
        doc = {"stancegraph": 1, "source": {"id": src.id, "title": src.title, "publisher": src.publisher,
                                            "published": src.published}, "statements": statements}
        (folder / "sources" / f"{src.id}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")


def make_spec(actors: int, proposals: int, conditions: int, sources: int, per_source: int, hub: int, seed: int = 7) -> Spec:
    """A corpus with planted facts (tested below) and random, non-conflicting statements around them.

    Planted: proposal-0 requires condition-0 (unmet), actor-1 must approve it and demands condition-1 for it,
    actor-2 opposes it, actor-3 declines to take part until condition-2; proposal-6 is part of proposal-0 and
    requires condition-3. Contradictions: actor-10 supports and opposes proposal-10; sources disagree on
    condition-10 and on the quantity actor-11 funds proposal-12 with. actor-0 negotiates with ``hub`` actors.
    Random stances use actors from 40 and proposals from 20, each (actor, proposal) pair once."""
    rng = random.Random(seed)
    spec = Spec()
    for i in range(20):
        spec.add("actor", f"outlet-{i}", f"Outlet {i}", "news-outlet")
    for i in range(actors):
        part_of = f"actor-{i % 30}" if i >= 30 and i % 9 == 0 else None
        spec.add("actor", f"actor-{i}", f"Actor {i}", _KINDS[i % len(_KINDS)], part_of)
    for i in range(proposals):
        part_of = "proposal-0" if i == 6 else f"proposal-{i % 20 + 1}" if i >= 20 and i % 7 == 0 else None
        spec.add("proposal", f"proposal-{i}", f"Proposal {i}", None, part_of)
    for i in range(conditions):
        spec.add("condition", f"condition-{i}", f"Condition {i}")

    a = Src("source-a", "Planted facts", "outlet-0", "2024-01-10")
    b = Src("source-b", "Planted disagreements", "outlet-1", "2024-01-11")
    a.statements = [
        Stmt("p1", "proposal-0", "requires", "condition-0", "proposal zero needs condition zero", status="unmet"),
        Stmt("p2", "actor-1", "must-approve", "proposal-0", "nothing moves without actor one"),
        Stmt("p3", "actor-1", "demands", "condition-1", "actor one wants condition one first", regarding="proposal-0",
             status="unmet"),
        Stmt("p4", "actor-2", "opposes", "proposal-0", "actor two rejects proposal zero"),
        Stmt("p5", "actor-3", "declines-to-participate", "proposal-0", "actor three stays out until condition two",
             until=["condition-2"]),
        Stmt("p6", "proposal-6", "requires", "condition-3", "proposal six needs condition three"),
        Stmt("c1", "actor-10", "supports", "proposal-10", "actor ten backs proposal ten"),
        Stmt("c2", "proposal-11", "requires", "condition-10", "condition ten is met", status="met"),
        Stmt("c3", "actor-11", "funds", "proposal-12", "actor eleven gives 100 boats", quantity=(100, "boats")),
    ]
    b.statements = [
        Stmt("c4", "actor-10", "opposes", "proposal-10", "actor ten rejects proposal ten"),
        Stmt("c5", "proposal-11", "requires", "condition-10", "condition ten is not met", status="unmet",
             date="2024-01-10"),  # the day source-a says it is met: a disagreement, not a change
        Stmt("c6", "actor-11", "funds", "proposal-12", "actor eleven gives 250 boats", quantity=(250, "boats")),
    ]
    spec.sources = [a, b]
    if hub:
        spec.sources.append(Src("source-hub", "Talks", "outlet-2", "2024-01-12", [
            Stmt(f"h{i}", "actor-0", "negotiates-with", f"actor-{i}", f"actor zero talks to actor {i}")
            for i in range(40, 40 + hub)]))
    pairs: set[tuple[int, int]] = set()
    for k in range(sources):
        src = Src(f"source-{k:04d}", f"Report {k}", f"outlet-{k % 20}", f"2024-{k % 12 + 1:02d}-{k % 28 + 1:02d}")
        for j in range(per_source):
            roll, quote = rng.random(), f"quote {k}-{j}"
            if roll < 0.6:
                actor, proposal = rng.randrange(40, actors), rng.randrange(20, proposals)
                if (actor, proposal) in pairs:
                    continue
                pairs.add((actor, proposal))
                st = Stmt(f"s{j}", f"actor-{actor}", rng.choice(_STANCE_RELATIONS), f"proposal-{proposal}", quote)
                if rng.random() < 0.1:
                    st.until = [f"condition-{rng.randrange(20, conditions)}"]
            elif roll < 0.85:
                st = Stmt(f"s{j}", f"proposal-{rng.randrange(20, proposals)}", "requires",
                          f"condition-{rng.randrange(20, conditions)}", quote)
            else:
                one, other = rng.sample(range(40, actors), 2)
                st = Stmt(f"s{j}", f"actor-{one}", "negotiates-with", f"actor-{other}", quote)
            src.statements.append(st)
        spec.sources.append(src)
    return spec


def expected_edges(spec: Spec) -> set[tuple[str, str, str]]:
    """The (subject, relation, object) edges of the projection of ``spec``."""
    vocab = vocabulary()
    edges = {(id_, "part-of", part_of) for id_, (_, _, _, part_of) in spec.entities.items() if part_of}
    for st in spec.statements():
        edges.add((st.subject, st.relation, st.object))
        relation = vocab.relations[st.relation]
        if st.regarding and relation.object == "condition":
            edges.add((st.object, "condition-of", st.regarding))
        if relation.object == "proposal":
            edges.update((c, "condition-of", st.object) for c in (*st.if_, *st.until))
    return edges


def _projection_data(g: nx.MultiDiGraph) -> tuple:
    def plain(statements: list[dict]) -> list:
        return sorted(json.dumps({k: v for k, v in st.items() if k != "iri"}, sort_keys=True, default=str) for st in statements)

    return (sorted((n, sorted(d.items())) for n, d in g.nodes(data=True)),
            sorted((s, o, k, d["label"], d["stance"], plain(d["statements"])) for s, o, k, d in g.edges(keys=True, data=True)))


def test_the_generator_writes_what_stancegraph_build_writes(tmp_path):
    """Same quads (at least) and the same projection as a build of the same corpus as YAML."""
    from rdflib import Dataset

    from stancegraph.graph import build
    from stancegraph.output import project
    from stancegraph.output.graphfile import load_dataset

    spec = make_spec(actors=60, proposals=30, conditions=25, sources=6, per_source=8, hub=5)
    write_yaml(spec, tmp_path / "corpus")
    write_nquads(spec, tmp_path / "corpus.nq")
    built = build([tmp_path / "corpus"], shacl=True).dataset
    ours = Dataset()
    ours.parse(tmp_path / "corpus.nq", format="nquads")
    assert set(ours.quads()) <= set(built.quads())
    assert _projection_data(project(load_dataset([tmp_path / "corpus.nq"]))) == _projection_data(project(built))
    assert {(s, k, o) for s, o, k in project(built).edges(keys=True)} == expected_edges(spec)


def test_every_library_query_on_a_mid_size_graph(tmp_path):
    """Each library query answers in full on a few hundred nodes (a query that joins labels before statements
    once took a minute on 150 nodes, and forever on 10,000)."""
    spec = make_spec(actors=300, proposals=200, conditions=150, sources=10, per_source=10, hub=20)
    write_nquads(spec, tmp_path / "mid.nq")
    vocab = vocabulary()
    statements = spec.statements()
    expected = {
        "actors": 320,
        "approvals": 1,
        "arguments": sum(st.relation in ("argues-for", "argues-against") for st in statements),
        "attributions": len(statements),  # every statement is attributed to its source's publisher
        "conditions": sum(st.relation in ("requires", "demands") for st in statements),
        "hedged": 0,
        "sources": len(spec.sources),
        "stances": sum(vocab.relations[st.relation].stance is not None for st in statements),
    }
    assert set(expected) == set(NAMED), "a new library query needs a count here"
    for name, count in expected.items():
        rows = json.loads(ok("query", tmp_path / "mid.nq", "--named", name, "-f", "json").stdout)
        assert len(rows) == count, name


LARGE = dict(actors=5000, proposals=3000, conditions=2000, sources=60, per_source=10, hub=200)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Spec]:
    spec = make_spec(**LARGE)
    path = tmp_path_factory.mktemp("large") / "large.nq"
    write_nquads(spec, path)
    assert len(spec.entities) >= 10_000
    return path, spec


def test_large_query(large):
    path, spec = large
    rows = json.loads(ok("query", path, "--named", "conditions", "-f", "json").stdout)
    expected = [st for st in spec.statements() if st.relation in ("requires", "demands")]
    assert len(rows) == len(expected) > 100
    assert {(r["by"], r["condition"], r["status"], r["source"]) for r in rows if r["status"]} == {
        ("Proposal 0", "Condition 0", "unmet", "source-a"), ("Actor 1", "Condition 1", "unmet", "source-a"),
        ("Proposal 11", "Condition 10", "met", "source-a"), ("Proposal 11", "Condition 10", "unmet", "source-b")}
    assert [r for r in rows if r["by"] == "Actor 1"] == [
        {"condition": "Condition 1", "relation": "demands", "by": "Actor 1", "proposal": "Proposal 0", "status": "unmet",
         "source": "source-a", "quote": "actor one wants condition one first"}]


def test_large_matrix(large):
    path, spec = large
    vocab = vocabulary()
    stance_pairs = {(st.subject, st.object) for st in spec.statements()
                    if vocab.relations[st.relation].subject == "actor" and vocab.relations[st.relation].object == "proposal"}
    cells = json.loads(ok("matrix", path, "-f", "json").stdout)
    assert {(c["actor"], c["proposal"]) for c in cells} == stance_pairs
    by_pair = {(c["actor"], c["proposal"]): c for c in cells}
    assert by_pair[("actor-10", "proposal-10")]["stances"] == ["opposes", "supports"]
    assert by_pair[("actor-1", "proposal-0")] == {"actor": "actor-1", "proposal": "proposal-0", "stances": [],
                                                  "conditions": [], "roles": ["must approve"]}
    assert by_pair[("actor-3", "proposal-0")]["conditions"] == ["until Condition 2"]


def test_large_blockers(large):
    path, spec = large
    b = json.loads(ok("blockers", path, "Proposal 6", "-f", "json").stdout)
    assert b["scope"] == ["proposal-6", "proposal-0"]
    assert [(c["id"], c["status"], c["via"]) for c in b["conditions"]] == [
        ("condition-0", "unmet", "proposal-0"), ("condition-1", "unmet", "proposal-0"),
        ("condition-3", "unknown", None), ("condition-2", "unknown", "proposal-0")]
    assert [(a["actor"], a["preconditions"]) for a in b["approvers"]] == [("actor-1", ["Condition 1"])]
    assert [(r["actor"], r["stance"]) for r in b["resistance"]] == [("actor-2", "opposes"), ("actor-3", "conditional")]


def test_large_contradictions(large):
    path, _ = large
    found = json.loads(ok("contradictions", path, "-f", "json").stdout)
    assert [(c["kind"], c["subject"], c["object"]) for c in found] == [
        ("stance", "actor-10", "proposal-10"), ("condition-status", "condition-10", "condition-10"),
        ("quantity", "actor-11", "proposal-12")]


def test_large_stats(large):
    path, spec = large
    s = json.loads(ok("stats", path, "--top", "5", "-f", "json").stdout)
    statements = spec.statements()
    assert s["nodes"] == {"actor": 5020, "proposal": 3000, "condition": 2000}
    assert s["statements"] == len(statements)
    assert s["sources"] == len(spec.sources)
    assert s["relations"] == dict(sorted(Counter(st.relation for st in statements).items(), key=lambda kv: (-kv[1], kv[0])))
    vocab = vocabulary()
    stances = Counter("conditional" if st.until or st.if_ else vocab.relations[st.relation].stance
                      for st in statements if vocab.relations[st.relation].stance)
    assert s["stances"] == dict(sorted(stances.items(), key=lambda kv: (-kv[1], kv[0])))
    assert len(s["central_actors"]) == 5
    assert s["central_actors"][0]["actor"] == "actor-0" and s["central_actors"][0]["degree"] == 200
    degrees = [a["degree"] for a in s["central_actors"]]
    assert degrees == sorted(degrees, reverse=True)
    assert s["sources_per_outlet"] == dict(sorted(Counter(f"Outlet {int(src.publisher.split('-')[1])}"
                                                          for src in spec.sources).items(), key=lambda kv: (-kv[1], kv[0])))


def test_large_export(large, tmp_path):
    """The coding sheet, a row per statement (the writers themselves are read back on 10,000 nodes in
    test_export.py)."""
    path, spec = large
    edges = expected_edges(spec)
    out = tmp_path / "large.csv"
    result = ok("export", path, "-o", out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert result.stderr == f"Wrote {out}: csv, {len(rows)} statements (a row each).\n"
    # every relation a statement states (part of and condition of are the registry's, and drawn)
    assert {(r["subject_id"], r["relation"], r["object_id"]) for r in rows} == {
        e for e in edges if e[1] not in ("condition-of", "part-of")}
    by_edge = {(r["subject_id"], r["relation"], r["object_id"]): r for r in rows}
    assert by_edge[("actor-10", "supports", "proposal-10")]["quote"] == "actor ten backs proposal ten"
    declines = by_edge[("actor-3", "declines-to-participate", "proposal-0")]
    assert declines["stance"] == "conditional" and declines["until"]


