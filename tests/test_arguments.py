"""Importing faithfully (issue 17): arguments between claims, the source's own voice, attributes as
stances, attribution from Report events, duplicates by place, aliases that warn, short labels.

The fixtures are the team's own: tests/data/draft/essays (three essays in the shape of argument-annotated
essay corpora) read with tests/data/arguments/mapping.yaml, and tests/data/arguments/news (the traps of
brat's news tutorial)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgtest import DATA, REGISTRY_YAML, run
from stancegraph.graph import InputProblems, build, build_compiled, load
from stancegraph.graph.check import apart
from stancegraph.graph.importers.merges import related
from stancegraph.graph.model import Statement
from stancegraph.graph.errors import Loc
from stancegraph.graph.names import SHORT_LABEL, short_label

ESSAYS = DATA / "draft" / "essays"
ARGUMENTS = DATA / "arguments"
NEWS = ARGUMENTS / "news"
PREFIXES = """PREFIX sg: <https://w3id.org/stancegraph/ns#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""


def essays(tmp_path: Path, mapping: str | None = None) -> Path:
    """The essays with the argument mapping beside them (or ``mapping``, as text)."""
    folder = tmp_path / "essays"
    shutil.copytree(ESSAYS, folder)
    target = folder / "mapping.yaml"
    if mapping is None:
        shutil.copy(ARGUMENTS / "mapping.yaml", target)
    else:
        target.write_text(mapping, "utf-8")
    return folder


def ann_lines(folder: Path) -> dict[str, list[list[str]]]:
    """Each .ann file's lines split at tabs and spaces, read here without stancegraph's parser."""
    return {path.stem: [re.split(r"[\t ]", line) for line in path.read_text("utf-8").splitlines() if line.strip()]
            for path in sorted(folder.glob("*.ann"))}


def rows(dataset, query: str) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """The answer to ``query`` over the union of the dataset's graphs, as sorted rows of text."""
    dataset.default_union = True
    return sorted(tuple(str(v) for v in row) for row in dataset.query(PREFIXES + query))


# ----------------------------------------------------------------------------- the argument corpus's shape


def test_every_relation_and_stance_of_the_essays_is_imported(tmp_path: Path) -> None:
    folder = essays(tmp_path)
    lines = ann_lines(folder)
    built = build([folder])
    per_source = rows(built.dataset, """
        SELECT ?source ?p (COUNT(?st) AS ?n) WHERE {
          ?st a sg:Statement ; rdf:predicate ?p ; prov:wasDerivedFrom/sg:localId ?source .
        } GROUP BY ?source ?p""")
    counted = {(source, p.rsplit("#", 1)[1]): int(n) for source, p, n in per_source}
    for stem, doc in lines.items():
        relations = Counter(line[1] for line in doc if line[0].startswith("R"))
        major = sum(1 for line in doc if line[0].startswith("T") and line[1] == "MajorClaim")
        stances = Counter(line[-1] for line in doc if line[0].startswith("A") and line[1] == "Stance")
        # every supports and attacks line is an argument; every Stance a claim's argument toward each major claim
        assert counted.get((stem, "supportsClaim"), 0) == relations["supports"] + stances["For"] * major, stem
        assert counted.get((stem, "attacksClaim"), 0) == relations["attacks"] + stances["Against"] * major, stem
        # the author holds each major claim
        assert counted.get((stem, "supports"), 0) == major, stem
        assert sum(n for (source, _), n in counted.items() if source == stem) == sum(relations.values()) + \
            sum(stances.values()) * major + major, f"{stem}: a statement more or less than the annotations"
    # every mention is a claim, none of them an actor; the authors are the only actors
    mentions = sum(1 for doc in lines.values() for line in doc if line[0].startswith("T"))
    claims = rows(built.dataset, "SELECT ?c WHERE { ?c a sg:Claim , sg:Proposal }")
    assert len(claims) == mentions
    assert rows(built.dataset, "SELECT ?label WHERE { ?a a sg:Actor ; skos:prefLabel ?label }") == [("Ana Ruiz",), ("Ben Okoro",)]


def test_the_author_holds_the_major_claim_with_its_quote_and_is_the_essays_voice(tmp_path: Path) -> None:
    built = build([essays(tmp_path)])
    held = rows(built.dataset, """
        SELECT ?source ?author ?quote WHERE {
          ?st rdf:subject ?a ; rdf:predicate sg:supports ; rdf:object ?c ;
              prov:wasDerivedFrom ?src ; sg:evidence/oa:hasSelector/oa:exact ?quote .
          ?c a sg:Claim . ?a skos:prefLabel ?author . ?src sg:localId ?source ; sg:voice ?a .
        }""")
    assert held == [
        ("essay01", "Ana Ruiz", "Tolls on harbor bridges are the fairest way to pay for their upkeep"),
        ("essay02", "Ben Okoro", "harbor tolls do more harm than good"),
        ("essay03", "Ana Ruiz", "Free ferries for commuters would serve the harbor better than any new bridge"),
        ("essay03", "Ana Ruiz", "making ferries free for commuters is the better use of the harbor budget"),
    ]


def test_a_claim_against_the_major_claim_argues_against_it_with_its_own_words(tmp_path: Path) -> None:
    built = build([essays(tmp_path)])
    found = rows(built.dataset, """
        SELECT ?reason ?target ?quote WHERE {
          ?st rdf:subject ?r ; rdf:predicate sg:attacksClaim ; rdf:object ?t ; sg:evidence/oa:hasSelector/oa:exact ?quote ;
              prov:wasDerivedFrom/sg:localId "essay01" .
          ?r skos:prefLabel ?reason . ?t skos:prefLabel ?target .
        }""")
    assert found == [
        ("the revenue can fund discounts for them", "tolls hurt small traders",
         "tolls hurt small traders, but the revenue can fund discounts for them"),  # R2: a premise attacks a claim
        ("tolls hurt small traders", "Tolls on harbor bridges are the fairest way to pay for their upkeep",
         "tolls hurt small traders"),  # A3: Stance Against
    ]


def test_held_by_the_voice_a_stance_attribute_is_the_authors_stance_on_the_major_claim(tmp_path: Path) -> None:
    mapping = (ARGUMENTS / "mapping.yaml").read_text("utf-8").replace("holder: mention, ", "")
    assert "holder" not in mapping.split("sources:")[0].replace("# ", "")
    built = build([essays(tmp_path, mapping)])
    stances = rows(built.dataset, """
        SELECT ?author ?p ?quote WHERE {
          ?st rdf:subject ?a ; rdf:predicate ?p ; sg:evidence/oa:hasSelector/oa:exact ?quote ;
              prov:wasDerivedFrom/sg:localId "essay02" .
          ?a a sg:Actor ; skos:prefLabel ?author .
        }""")
    assert stances == [
        ("Ben Okoro", "https://w3id.org/stancegraph/ns#opposes", "tolls raise money"),
        ("Ben Okoro", "https://w3id.org/stancegraph/ns#supports", "Tolls push delivery trucks onto residential streets"),
        ("Ben Okoro", "https://w3id.org/stancegraph/ns#supports", "harbor tolls do more harm than good"),
    ]


def test_the_arguments_query_lists_what_supports_or_attacks_each_claim(tmp_path: Path) -> None:
    folder = essays(tmp_path)
    out = tmp_path / "essays.ttl"
    assert run("build", folder, "-o", out, cwd=tmp_path).returncode == 0
    done = run("query", out, "--named", "arguments", "--format", "csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode().splitlines()
    assert lines[0] == "target,argument,reason,source,quote"
    assert "harbor tolls do more harm than good,supports,Tolls push delivery trucks onto residential streets,essay02," \
           "Tolls push delivery trucks onto residential streets" in lines
    assert sum(1 for line in lines[1:] if ",attacks," in line) == 4 + 1 + 1 + 2 * 2  # attacks lines; Stance Against × major claims


def test_the_matrix_of_the_essays_is_readable(tmp_path: Path) -> None:
    folder = essays(tmp_path)
    out = tmp_path / "essays.ttl"
    assert run("build", folder, "-o", out, cwd=tmp_path).returncode == 0
    table = run("matrix", out, cwd=tmp_path).stdout.decode().splitlines()
    headers = re.split(r"\s{2,}", table[0].strip())
    assert headers[0] == "actor" and len(headers) == 5, headers
    assert all(len(h) <= SHORT_LABEL for h in headers), headers
    assert "Tolls on harbor bridges are the fairest…" in headers
    assert "harbor tolls do more harm than good" in headers  # short enough: whole
    csv = run("matrix", out, "--format", "csv", cwd=tmp_path).stdout.decode()
    assert "Tolls on harbor bridges are the fairest way to pay for their upkeep" in csv.splitlines()[0]  # data keeps it whole


def test_without_the_mapping_the_essays_still_build_and_premises_are_not_actors(tmp_path: Path) -> None:
    # the draft test builds the essays with every type ignored; supports between two claims never
    # falls back on an actor's relation
    folder = essays(tmp_path, "stancegraph-mapping: 1\nentities: {MajorClaim: claim, Claim: claim, Premise: claim}\n"
                              "attributes: {Stance: ignore}\n")
    corpus = load([folder])
    relations = Counter(st.relation for source in corpus.sources for st in source.statements)
    assert relations == {"argues-for": 4, "argues-against": 4}


# ----------------------------------------------------------------------------- the source's voice (native YAML)


NATIVE_SOURCE = """\
source:
  id: s1
  title: Alpha's op-ed
  type: opinion
{meta}
statements:
  - relation: supports
    object: plan
    quote: the plan deserves support
"""


def native(tmp_path: Path, meta: str, registry: str = REGISTRY_YAML) -> Path:
    (tmp_path / "registry.yaml").write_text(registry, "utf-8")
    (tmp_path / "s1.yaml").write_text(NATIVE_SOURCE.format(meta=meta), "utf-8")
    return tmp_path


@pytest.mark.parametrize("meta", ["  voice: alpha", "  author: Alpha", "  publisher: alpha", "  voice: alpha\n  author: [X, Y]"])
def test_a_statement_without_subject_is_the_voice_of_its_source(tmp_path: Path, meta: str) -> None:
    corpus = load([native(tmp_path, meta)])
    (statement,) = corpus.sources[0].statements
    assert (statement.subject, statement.relation, statement.object) == ("alpha", "supports", "plan")
    assert corpus.sources[0].voice == "alpha"


@pytest.mark.parametrize("meta, message", [
    ("  author: [X, Y]", "this statement has no subject, and the source has 2 authors to speak for it"),
    ("", "this statement has no subject, and the source has no author or publisher to speak for it"),
    ("  author: Nobody Known", "this statement has no subject, and the source's voice is its author 'Nobody Known', who is not an actor of the registry"),
    ("  voice: plan", "voice: 'plan' is a proposal, expected an actor"),
])
def test_a_statement_without_subject_and_no_voice_is_a_problem(tmp_path: Path, meta: str, message: str) -> None:
    with pytest.raises(InputProblems) as caught:
        load([native(tmp_path, meta)])
    assert [p.message for p in caught.value.problems] == [message]


def test_the_voice_is_in_rdf(tmp_path: Path) -> None:
    built = build([native(tmp_path, "  voice: alpha")])
    assert rows(built.dataset, "SELECT ?v WHERE { ?s sg:voice ?v }") == [("https://example.org/test/actor/alpha",)]


# ----------------------------------------------------------------------------- claims in the registry, arguments in YAML


CLAIMS_REGISTRY = REGISTRY_YAML.replace("conditions:", """\
  tolls-fair:
    label: Tolls on harbor bridges are the fairest way to pay for their upkeep
    short: Tolls are fair
    kind: claim
  users-pay:
    label: Those who use a bridge should pay for it
    kind: claim
conditions:""")


def test_claims_and_arguments_written_by_hand(tmp_path: Path) -> None:
    (tmp_path / "registry.yaml").write_text(CLAIMS_REGISTRY, "utf-8")
    (tmp_path / "s1.yaml").write_text("""\
source: {id: s1, title: Essay, author: Alpha}
statements:
  - {subject: users-pay, relation: supports, object: tolls-fair, quote: those who use it pay}
  - {subject: users-pay, relation: attacks, object: plan, quote: "those who use it pay, not all"}
  - {relation: supports, object: tolls-fair, quote: tolls are fair}
""", "utf-8")
    corpus = load([tmp_path])
    assert [(s.subject, s.relation, s.object) for s in corpus.sources[0].statements] == [
        ("users-pay", "argues-for", "tolls-fair"), ("users-pay", "argues-against", "plan"), ("alpha", "supports", "tolls-fair")]
    built = build([tmp_path])
    labels = rows(built.dataset, "SELECT ?c ?short WHERE { ?c a sg:Proposal ; sg:shortLabel ?short }")
    # the registry's short label; none for a label of at most 40 characters
    assert labels == [("https://example.org/test/proposal/tolls-fair", "Tolls are fair")]
    assert len(rows(built.dataset, "SELECT ?c WHERE { ?c a sg:Claim }")) == 2


def test_attacks_is_for_claims_and_proposals_only(tmp_path: Path) -> None:
    (tmp_path / "registry.yaml").write_text(REGISTRY_YAML, "utf-8")
    (tmp_path / "s1.yaml").write_text("source: {id: s1, title: T}\nstatements:\n"
                                      "  - {subject: alpha, relation: attacks, object: plan, quote: Alpha attacks}\n", "utf-8")
    with pytest.raises(InputProblems) as caught:
        load([tmp_path])
    assert [p.message for p in caught.value.problems] == ["subject: 'alpha' is an actor, expected a proposal"]


# ----------------------------------------------------------------------------- short labels


@given(st.text(st.sampled_from("abc ,.xyz"), min_size=0, max_size=120))
def test_a_short_label_is_short_and_starts_the_label(label: str) -> None:
    short = short_label(label)
    whole = " ".join(label.split())
    if short is None:
        assert len(whole) <= SHORT_LABEL
        return
    assert len(short) <= SHORT_LABEL and short.endswith("…")
    assert whole.startswith(short[:-1])


def test_a_short_label_cuts_at_a_word() -> None:
    assert short_label("Tolls on harbor bridges are the fairest way to pay for their upkeep") == \
        "Tolls on harbor bridges are the fairest…"
    assert short_label("harbor tolls do more harm than good") is None


# ----------------------------------------------------------------------------- the news tutorial's traps


def test_the_news_traps_build_with_one_warning(tmp_path: Path) -> None:
    out = tmp_path / "news.ttl"
    done = run("build", NEWS, "-o", out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    warnings = [line for line in done.stderr.decode().splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 1, warnings
    assert "'Terry Pratchett' and 'J. K. Rowling' become one actor" in warnings[0]
    assert "harbor-news.ann:22:1" in warnings[0]  # the Alias line (R5)


def test_a_sentence_repeated_at_two_places_is_two_statements_and_a_report_attributes_one(tmp_path: Path) -> None:
    compiled = build_compiled([NEWS])
    assert len(compiled.warnings) == 1
    compiled.close()
    corpus = load([NEWS])
    found = sorted((st.subject, st.relation, st.object, st.quote, st.start, st.according_to)
                   for source in corpus.sources for st in source.statements)
    assert found == [
        ("coastal-shipping", "opposes", "toll-plan", "Coastal Shipping opposes the toll plan", 144, ("tomas-berg",)),
        ("harbor-freight-lines", "supports", "toll-plan", "Harbor Freight Lines backs the toll plan", 0, None),
        ("harbor-freight-lines", "supports", "toll-plan", "Harbor Freight Lines backs the toll plan", 102, ("maria-lenz",)),
    ]
    ids = [st.id for source in corpus.sources for st in source.statements]
    assert len(set(ids)) == len(ids)


def test_lenz_is_maria_lenz_without_a_warning_and_equal_spans_are_still_one_statement(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    shutil.copytree(NEWS, folder)
    ann = folder / "harbor-news.ann"
    ann.write_text(ann.read_text("utf-8") + "R6\tBacks Arg1:T1 Arg2:T2\n", "utf-8")  # R1 again, at the same place
    with pytest.raises(InputProblems) as caught:
        load([folder])
    assert [p.message for p in caught.value.problems] == [
        "this statement repeats the one at line 15 (same subject, relation, object and quote)"]
    assert related("Lenz", "Maria Lenz") and related("UN", "United Nations")
    assert not related("Terry Pratchett", "J. K. Rowling")


def test_apart_needs_offsets_that_do_not_overlap() -> None:
    def at(start: int | None, end: int | None) -> Statement:
        return Statement("a", "supports", "b", "x" * 4, Loc("f"), start=start, end=end)

    assert apart(at(0, 4), at(10, 14)) and apart(at(4, 8), at(0, 4))
    assert not apart(at(0, 4), at(2, 6)) and not apart(at(0, 4), at(None, None))


# ----------------------------------------------------------------------------- blockers of a claim


def test_blockers_lists_what_argues_against_and_for_a_claim(tmp_path: Path) -> None:
    from stancegraph.output import project
    from stancegraph.output.analysis import blockers
    from stancegraph.output.report import blockers_text

    graph = project(build([essays(tmp_path)]).dataset)
    found = blockers(graph, "Free ferries for commuters would serve the harbor better than any new bridge")
    assert [(a["label"], a["relation"], a["quote"], a["source"]) for a in found.attacks] == [
        ("free ferries would be overcrowded", "argues against", "free ferries would be overcrowded", "essay03"),
        ("the city cannot afford it", "argues against", "the city cannot afford it", "essay03")]
    assert [a["label"] for a in found.supports] == ["Fares keep low-paid workers off the boats"]
    text = blockers_text(found)
    assert "Argued against (2)" in text and "Argued for (1)" in text
    # a proposal nobody argues about keeps the report it had: no argument headings
    plain = project(build([DATA.parent.parent / "examples" / "gaza-day-after"]).dataset)
    assert "Argued" not in blockers_text(blockers(plain, "gaza-day-after-plan"))
