"""Graph files from elsewhere are checked, not trusted (issue 16, part 1).

The example is built to N-Triples, Turtle and JSON-LD; targeted mutations then take away or break what
the projection needs (each kind of triple deleted, literals retyped, objects pointed at the wrong class,
duplicate positions, part-of and attribution cycles, deep nesting, many prefixes), and every command
that reads a graph file runs on the result through the CLI: exit 0 (the rest used, the skipped nodes
named on stderr) or 1 (nothing usable, or a file that cannot be read), never a traceback. The known
failures of the issue are pinned by their messages. A Hypothesis test drops random subsets of the
example's triples.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sgtest import run

from stancegraph.cli.main import cli
from stancegraph.graph import Built
from stancegraph.output import write_graph
from stancegraph.output.graphfile import read_graph
from stancegraph.output.graphcheck import MAX_BOUND_PREFIXES, MAX_JSON_DEPTH, json_depth

NS = "https://w3id.org/stancegraph/ns#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
BASE = "https://w3id.org/stancegraph/examples/gaza-day-after/"
PLAN = "gaza-day-after-plan"
Quads = list[pyoxigraph.Quad]

#: every predicate the projection reads (output/projection.py, class P)
READ = [
    RDF + "type", RDF + "subject", RDF + "predicate", RDF + "object", "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2002/07/owl#sameAs", "http://www.w3.org/ns/org#subOrganizationOf",
    "http://www.w3.org/ns/org#memberOf", "http://purl.org/dc/terms/isPartOf", "http://purl.org/dc/terms/description",
    "http://purl.org/dc/terms/publisher", "http://purl.org/dc/terms/title", "http://purl.org/dc/terms/issued",
    "http://purl.org/dc/terms/date", "http://www.w3.org/ns/prov#wasDerivedFrom", "http://www.w3.org/ns/prov#agent",
    "http://www.w3.org/ns/oa#hasSelector", "http://www.w3.org/ns/oa#exact", "https://schema.org/url",
    "https://schema.org/value", "https://schema.org/unitText", NS + "localId", NS + "attribution", NS + "position",
    NS + "evidence", NS + "stance", NS + "conditionStatus", NS + "regarding", NS + "ifCondition",
    NS + "untilCondition", NS + "since", NS + "hedge", NS + "quantity", NS + "approximate",
]


# --------------------------------------------------------------------------- the example and its mutations


@pytest.fixture(scope="module")
def quads(example_built: Built, tmp_path_factory: pytest.TempPathFactory) -> Quads:
    """The example's triples (in the default graph), as pyoxigraph reads its N-Triples."""
    path = tmp_path_factory.mktemp("hostile") / "gaza.nt"
    write_graph(example_built.dataset, path, "nt")
    return list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES))


def iri(text: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(text)


def lit(text: str, datatype: str | None = None) -> pyoxigraph.Literal:
    return pyoxigraph.Literal(text, datatype=iri(datatype) if datatype else None)


def q(s: object, p: str, o: object) -> pyoxigraph.Quad:
    return pyoxigraph.Quad(s, iri(p), o)  # type: ignore[arg-type]


def where(p: str) -> Callable[[pyoxigraph.Quad], bool]:
    return lambda x: x.predicate.value == p


def retyped(p: str, make: Callable[[pyoxigraph.Quad], object]) -> Callable[[Quads], Quads]:
    """Every triple of ``p`` with its object replaced by ``make(triple)``."""
    return lambda qs: [q(x.subject, p, make(x)) if where(p)(x) else x for x in qs]


def statements(qs: Quads) -> list[object]:
    return [x.subject for x in qs if x.predicate.value == RDF + "type" and x.object.value == NS + "Statement"]


def one_until_at(target: object) -> Callable[[Quads], Quads]:
    def mutate(qs: Quads) -> Quads:
        first = next(i for i, x in enumerate(qs) if where(NS + "untilCondition")(x))
        return [*qs[:first], q(qs[first].subject, NS + "untilCondition", target), *qs[first + 1:]]
    return mutate


def second_quantity(qs: Quads) -> Quads:
    """A copy of the statement that has a quantity, its own quantity ill-typed: two quantities of one
    fact, which ``contradictions`` sorts."""
    holder = next(x.subject for x in qs if where(NS + "quantity")(x))
    copy, quantity = iri(holder.value + "-copy"), iri(holder.value + "-copy/quantity")
    extra = [q(copy, x.predicate.value, x.object) for x in qs if x.subject == holder and x.predicate.value != NS + "quantity"]
    return [*qs, *extra, q(copy, NS + "quantity", quantity), q(quantity, "https://schema.org/value", lit("lots", XSD + "integer"))]


def part_of_cycle(qs: Quads) -> Quads:
    a, b = iri(BASE + "proposal/" + PLAN), iri(BASE + "proposal/multinational-force")
    return [*qs, q(a, "http://purl.org/dc/terms/isPartOf", b), q(b, "http://purl.org/dc/terms/isPartOf", a),
            q(a, "http://purl.org/dc/terms/isPartOf", a)]


def attribution_cycle(qs: Quads) -> Quads:
    """Each statement an attribution step of itself, and a step whose agent is the statement."""
    extra = []
    for s in statements(qs):
        extra += [q(s, NS + "attribution", s), q(s, "http://www.w3.org/ns/prov#agent", s), q(s, NS + "position", lit("0", XSD + "integer"))]
    return [*qs, *extra]


def two_classes(qs: Quads) -> Quads:
    entities = [x.subject for x in qs if x.predicate.value == RDF + "type" and x.object.value == NS + "Actor"]
    return [*qs, *(q(e, RDF + "type", iri(NS + "Condition")) for e in entities)]


def shared_local_id(qs: Quads) -> Quads:
    return retyped(NS + "localId", lambda x: lit("same"))(qs)


MUTATIONS: dict[str, Callable[[Quads], Quads]] = {
    **{f"drop {p.rsplit('/', 1)[-1]}": (lambda p: lambda qs: [x for x in qs if not where(p)(x)])(p) for p in READ},
    "position not a number": retyped(NS + "position", lambda x: lit("first")),
    "position a decimal": retyped(NS + "position", lambda x: lit("1.5", XSD + "decimal")),
    "position ill-typed": retyped(NS + "position", lambda x: lit("one", XSD + "integer")),
    "position Arabic-Indic": retyped(NS + "position", lambda x: lit("\u0661", XSD + "integer")),
    "position an IRI": retyped(NS + "position", lambda x: iri(BASE + "x")),
    "positions duplicated": retyped(NS + "position", lambda x: lit("0", XSD + "integer")),
    "quantity ill-typed": retyped("https://schema.org/value", lambda x: lit("lots", XSD + "integer")),
    "quantity NaN": retyped("https://schema.org/value", lambda x: lit("NaN", XSD + "double")),
    "quantity a string": retyped("https://schema.org/value", lambda x: lit("20000")),
    "quantity huge": retyped("https://schema.org/value", lambda x: lit("9" * 400, XSD + "integer")),
    "approximate ill-typed": retyped(NS + "approximate", lambda x: lit("maybe", XSD + "boolean")),
    "quantity ill-typed, twice": second_quantity,
    "object a condition": retyped(RDF + "object", lambda x: iri(BASE + "condition/hamas-defeated")),
    "object an actor": retyped(RDF + "object", lambda x: iri(BASE + "actor/hamas")),
    "object a literal": retyped(RDF + "object", lambda x: lit("Hamas")),
    "object unknown": retyped(RDF + "object", lambda x: iri(BASE + "nowhere")),
    "subject a proposal": retyped(RDF + "subject", lambda x: iri(BASE + "proposal/" + PLAN)),
    "predicate unknown": retyped(RDF + "predicate", lambda x: iri(NS + "likes")),
    "until at an actor": one_until_at(iri(BASE + "actor/hamas")),
    "until at nothing": one_until_at(iri(BASE + "condition/not-declared")),
    "until at a literal": one_until_at(lit("when pigs fly")),
    "if at a source": retyped(NS + "untilCondition", lambda x: iri(BASE + "source/x")),
    "regarding a literal": retyped(NS + "regarding", lambda x: lit("the plan")),
    "agent a literal": retyped("http://www.w3.org/ns/prov#agent", lambda x: lit("someone")),
    "stance unknown": retyped(NS + "stance", lambda x: iri(NS + "Maybe")),
    "hedge a literal": retyped(NS + "hedge", lambda x: lit("perhaps")),
    "exact an IRI": retyped("http://www.w3.org/ns/oa#exact", lambda x: iri(BASE + "q")),
    "label an IRI": retyped("http://www.w3.org/2004/02/skos/core#prefLabel", lambda x: iri(BASE + "label")),
    "localId an IRI": retyped(NS + "localId", lambda x: iri(BASE + "id")),
    "localId shared": shared_local_id,
    "two classes": two_classes,
    "part-of cycle": part_of_cycle,
    "attribution cycle": attribution_cycle,
    "statement with two objects": lambda qs: [*qs, *(q(s, RDF + "object", iri(BASE + "actor/hamas")) for s in statements(qs))],
    "only statements": lambda qs: [x for x in qs if not (where(RDF + "type")(x) and x.object.value != NS + "Statement")],
    "nothing of stancegraph": lambda qs: [q(iri("http://x/a"), "http://x/p", lit("b"))],
}


def write(qs: Quads, path: Path) -> Path:
    """``qs`` as a graph file: N-Triples and Turtle by pyoxigraph, JSON-LD by stancegraph's own writer."""
    if path.suffix == ".jsonld":
        from rdflib import Dataset

        nt = path.with_suffix(".tmp.nt")
        write(qs, nt)
        dataset = Dataset()
        dataset.parse(nt, format="nt")
        write_graph(dataset, path, "json-ld")
        return path
    fmt = pyoxigraph.RdfFormat.N_TRIPLES if path.suffix == ".nt" else pyoxigraph.RdfFormat.TURTLE
    pyoxigraph.serialize([pyoxigraph.Triple(x.subject, x.predicate, x.object) for x in qs], output=str(path), format=fmt)
    return path


# --------------------------------------------------------------------------- running the commands


def commands(graph: Path) -> dict[str, list[str]]:
    out = graph.parent
    return {
        "stats": ["stats", str(graph)],
        "matrix": ["matrix", str(graph), "--format", "json"],
        "blockers": ["blockers", str(graph), PLAN],
        "contradictions": ["contradictions", str(graph)],
        "contradictions json": ["contradictions", str(graph), "--format", "json"],
        "export": ["export", str(graph), "-o", str(out / "x.gexf")],
        "view": ["view", str(graph), "-o", str(out / "x.html")],
        "query": ["query", str(graph), "--named", "approvals"],
        # reads the file, then finds no store there (port 9, nothing listens): exit 1 either way
        "push": ["push", str(graph), "--endpoint", "http://127.0.0.1:9/store", "--retries", "0", "--dry-run"],
    }


def clean(args: list[str]) -> Result:
    """The command's result, asserting it ended cleanly: exit 0 or 1, no traceback, no uncaught exception."""
    result = CliRunner().invoke(cli, args, prog_name="stancegraph")
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exc_info)
    assert result.exit_code in (0, 1), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output, (args, result.output)
    return result


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_every_command_stays_clean_on_a_mutated_graph(quads: Quads, mutation: str, tmp_path: Path) -> None:
    mutated = MUTATIONS[mutation](quads)
    for suffix in (".nt", ".ttl", ".jsonld") if mutation.startswith(("position", "until", "quantity")) else (".nt",):
        graph = write(mutated, tmp_path / f"gaza{suffix}")
        for args in commands(graph).values():
            clean(args)


def stderr_of(args: list[str]) -> tuple[int, str]:
    result = clean(args)
    return result.exit_code, result.stderr if hasattr(result, "stderr") else result.output


def test_an_attribution_step_without_a_position_is_named(quads: Quads, tmp_path: Path) -> None:
    graph = write(MUTATIONS["drop ns#position"](quads), tmp_path / "gaza.ttl")
    step = next(x.subject.value for x in quads if where(NS + "position")(x))
    for name in ("stats", "matrix", "blockers", "contradictions", "export", "view"):
        code, err = stderr_of(commands(graph)[name])
        assert code == 0, err
        assert f"Warning: {graph} is not all in stancegraph's shape: 32 read in part; the rest is used" in err
        assert "32 × an attribution step without an integer sg:position" in err
        assert f"its attribution step <{step}> has no sg:position, where one integer belongs" in err


def test_an_until_condition_at_a_non_condition_is_named(quads: Quads, tmp_path: Path) -> None:
    graph = write(MUTATIONS["until at nothing"](quads), tmp_path / "gaza.nt")
    for name in ("view", "export", "blockers", "stats"):
        code, err = stderr_of(commands(graph)[name])
        assert code == 0, err
        assert f"its sg:untilCondition <{BASE}condition/not-declared> is not a condition of the graph; it is left out" in err


def test_an_until_condition_at_an_actor_says_so(quads: Quads, tmp_path: Path) -> None:
    graph = write(MUTATIONS["until at an actor"](quads), tmp_path / "gaza.nt")
    code, err = stderr_of(commands(graph)["matrix"])
    assert code == 0 and f"its sg:untilCondition <{BASE}actor/hamas> is an actor, not a condition; it is left out" in err


def test_an_ill_typed_quantity_is_left_out_of_contradictions(quads: Quads, tmp_path: Path) -> None:
    graph = write(MUTATIONS["quantity ill-typed, twice"](quads), tmp_path / "gaza.nt")
    code, err = stderr_of(commands(graph)["contradictions"])
    assert code == 0
    assert 'has the schema:value "lots"^^<http://www.w3.org/2001/XMLSchema#integer>, not a number; the quantity is left out' in err
    assert "Failed to convert" not in err  # rdflib's own log of the literal, with its traceback


def test_a_statement_of_the_wrong_class_is_skipped(quads: Quads, tmp_path: Path) -> None:
    graph = write(MUTATIONS["subject a proposal"](quads), tmp_path / "gaza.nt")
    code, err = stderr_of(commands(graph)["stats"])
    assert code == 0 and "skipped: its rdf:subject <" in err and "is a proposal, where its relation takes an actor" in err


@pytest.mark.parametrize("mutation", ["nothing of stancegraph", "drop 22-rdf-syntax-ns#type", "predicate unknown"])
def test_a_graph_with_nothing_usable_fails(quads: Quads, mutation: str, tmp_path: Path) -> None:
    graph = write(MUTATIONS[mutation](quads), tmp_path / "gaza.nt")
    for name in ("stats", "matrix", "view", "export"):
        code, err = stderr_of(commands(graph)[name])
        assert code == 1
        assert f"{graph}: no stancegraph statements in it: " in err
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "x.gexf").exists()


def test_a_deeply_nested_json_ld_is_refused(tmp_path: Path) -> None:
    """In a subprocess: before the check, pyoxigraph's parser died of a stack overflow (SIGSEGV)."""
    depth = 5000
    graph = tmp_path / "deep.jsonld"
    graph.write_text("".join('{"@id": "http://x/n%d", "http://x/p": ' % i for i in range(depth)) + '"leaf"' + "}" * depth)
    assert json_depth(graph) == MAX_JSON_DEPTH + 1
    for args in (["stats", graph], ["query", graph, "--named", "approvals"]):
        done = run(*args, cwd=tmp_path)
        assert done.returncode == 1, done
        assert f"deep.jsonld: its JSON nests more than {MAX_JSON_DEPTH} levels deep" in done.stderr.decode()


def test_json_depth_counts_brackets_outside_strings(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonld"
    text = json.dumps({"a": [{"b": "[[[{{{\\\"" * 300_000}], "c": {"d": []}})  # strings longer than a chunk
    path.write_text(text)
    assert json_depth(path) == 3


def test_many_prefixes_are_not_all_bound(quads: Quads, tmp_path: Path) -> None:
    graph = tmp_path / "gaza.ttl"
    write(quads, graph)
    graph.write_text("".join(f"@prefix p{i}: <http://example.org/ns{i}/> .\n" for i in range(20_000)) + graph.read_text())
    assert len(list(read_graph([graph]).namespaces())) <= MAX_BOUND_PREFIXES + 50
    code, _ = stderr_of(commands(graph)["query"])
    assert code == 0


# --------------------------------------------------------------------------- random subsets


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(keep=st.floats(min_value=0.0, max_value=1.0), seed=st.integers(0, 2**32))
def test_any_subset_of_the_triples_is_read_cleanly(quads: Quads, tmp_path: Path, keep: float, seed: int) -> None:
    draw = random.Random(seed).random
    graph = write([x for x in quads if draw() < keep], tmp_path / "gaza.nt")
    for args in commands(graph).values():
        clean(args)


def test_a_statement_without_a_quote_is_kept_and_said(quads: Quads, tmp_path: Path) -> None:
    graph = write(MUTATIONS["drop oa#exact"](quads), tmp_path / "gaza.nt")
    result = clean(commands(graph)["blockers"])
    assert result.exit_code == 0
    assert "(no quote) (" in result.stdout and "\u201cNone\u201d" not in result.stdout
    assert "it has no quote (an sg:evidence with an oa:TextQuoteSelector and its oa:exact)" in result.stderr


def test_a_matrix_table_of_a_graph_without_preflabels(quads: Quads, tmp_path: Path) -> None:
    """A table's column headers are short names: an entry with no names to choose from shows its label
    (a Names without ``default`` was an AttributeError)."""
    graph = write(MUTATIONS["drop core#prefLabel"](quads), tmp_path / "gaza.nt")
    result = clean(["matrix", str(graph), "--no-index"])
    assert result.exit_code == 0 and "\nisrael " in result.stdout
