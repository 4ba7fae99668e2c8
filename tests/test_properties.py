"""Property-based tests of the annotation reader and of what is built from it.

* ``loads_yaml`` answers any bytes or text with a document or :class:`InputProblems`, nothing else;
* plain data written by ``yaml.safe_dump`` reads back as it was;
* valid sources with hostile and unusual strings (markup, quotes, control characters, any script) read
  into a model that holds exactly the strings written, and build into literals equal to them, also
  after a round trip through every output format.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
import rdflib
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import RDF, SKOS, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS
from sgtest import FORMATS

from stancegraph.graph import InputProblems, build_dataset, load
from stancegraph.graph.yamlread import loads_yaml
from stancegraph.ontology import OA, SCHEMA, SG, vocabulary
from stancegraph.output import project, render_html, serialize

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "<!--",
    "]]>",
    "'single' and \"double\" quotes",
    '"""triple""" and \'\'\'triple\'\'\'',
    'ends with a quote"',
    "back\\slash \\n \\u0041",
    "line\nbreak",
    "tab\there",
    "carriage\rreturn",
    "{{ jinja }} {% raw %}",
    "${shell} $(id) `id`",
    "@prefix x: <http://evil/> .",
    "<http://example.org/iri>",
    "null",
    "~",
    "yes",
    "2024-03-30",
    "0x1F",
    "1e5",
    ".nan",
    "- item",
    "key: value",
    "# comment",
    "&anchor *alias",
    "!!python/object/apply:os.system",
    "% directive",
    "Ünïcödé ✓ — “curly” ‘quotes’",
    "עברית ועربية",
    "中文 日本語 한국어",
    "emoji 👍🏽 🇵🇸 🇮🇱",
    "zero\u200bwidth\u200djoiner",
    "bidi \u202eoverride\u202c",
    "nbsp\u00a0inside",
    "\x01control\x7f\x85chars",
    "private \ue000 use",
    "BOM \ufeff inside",
]

SURROGATES_INCLUDED = st.characters(exclude_categories=[])


# --------------------------------------------------------------------------- the reader never raises


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_with_input_problems(raw: bytes) -> None:
    try:
        loads_yaml(raw, "x.yaml")
    except InputProblems as exc:
        assert exc.problems and all(p.loc.path == "x.yaml" for p in exc.problems)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=SURROGATES_INCLUDED, max_size=200))
def test_any_text_is_read_or_refused_with_input_problems(text: str) -> None:
    try:
        loads_yaml(text, "x.yaml")
    except InputProblems as exc:
        assert exc.problems and all(str(p).startswith("x.yaml") for p in exc.problems)


YAML_PIECES = [
    "\n", " ", "  ", "- ", ": ", ":", "? ", ",", "[", "]", "{", "}", "'", '"', "#", "|", ">", "|-", ">+", "\t",
    "&a ", "*a", "&b ", "*b", "<<: ", "'<<': ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!str ", "!!binary ",
    "!!timestamp ", "!!set ", "!!omap ", "!!python/object/apply:os.system ", "!custom ", "!<tag:x> ", "%YAML 1.1\n",
    "%TAG ! tag:yaml.org,2002:\n", "---", "...", "key", "a", "1", "0x", "0o", "0b", "1e", ".nan", ".inf", "~", "yes",
    "2024-02-30", "\\", "\\x", "\x00", "\x85", "\u2028", "\ufeff", "\ud800", "é",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=3), max_size=40).map("".join))
def test_yaml_like_text_is_read_or_refused_with_input_problems(text: str) -> None:
    try:
        loads_yaml(text, "x.yaml")
    except InputProblems as exc:
        assert exc.problems


scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(alphabet=st.characters(exclude_categories=["Cs"]))
)
plain_data = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(plain_data)
def test_plain_data_reads_back_as_dumped(data: Any) -> None:
    for allow_unicode in (True, False):
        text = yaml.safe_dump(data, allow_unicode=allow_unicode)
        assume(dumped_faithfully(text, data))
        assert loads_yaml(text, "x.yaml").data == data


def dumped_faithfully(text: str, data: Any) -> bool:
    """Whether PyYAML reads back what it dumped. Its emitter writes U+0085 (NEL) raw inside single quotes
    when ``allow_unicode`` is true, where YAML folds it into a space: such a file does not say ``data``."""
    return yaml.safe_load(text) == data


# --------------------------------------------------------------------------- valid sources round-trip

ids = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,15}", fullmatch=True)
# a label, title or quote: stancegraph strips labels and titles, and refuses quotes with outer spaces
words = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30),
).filter(lambda s: s.strip() == s and s != "")
any_text = st.one_of(st.sampled_from(HOSTILE), st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20))


@st.composite
def corpora(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(ids, min_size=4, max_size=7, unique=True))
    actors, proposals, conditions = names[:2], names[2:3], names[3:]

    def entity() -> dict[str, Any]:
        data: dict[str, Any] = {"label": draw(words)}
        if draw(st.booleans()):
            data["aliases"] = draw(st.lists(words, max_size=2, unique=True))
        if draw(st.booleans()):
            data["description"] = draw(any_text)
        if draw(st.booleans()):
            data["note"] = draw(any_text)
        return data

    registry = {
        "stancegraph": 1,
        "base": "https://example.org/prop/",
        "actors": {a: entity() for a in actors},
        "proposals": {p: entity() for p in proposals},
        "conditions": {c: entity() for c in conditions},
    }
    statements = []
    for quote in draw(st.lists(words, min_size=1, max_size=3, unique=True)):
        statement: dict[str, Any] = {
            "subject": draw(st.sampled_from(actors)),
            "relation": draw(st.sampled_from(["supports", "opposes", "considers-funding"])),
            "object": proposals[0],
            "quote": quote,
        }
        if draw(st.booleans()):
            statement["if"] = draw(st.lists(st.sampled_from(conditions), max_size=2, unique=True))
        if draw(st.booleans()):
            statement["hedge"] = draw(st.lists(st.sampled_from(sorted(vocabulary().hedges)), max_size=2, unique=True))
        if draw(st.booleans()):
            statement["prefix"] = draw(any_text)
            statement["suffix"] = draw(any_text)
        if draw(st.booleans()):
            statement["note"] = draw(any_text)
        if draw(st.booleans()):
            value = draw(st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False))
            statement["quantity"] = {"value": value, "unit": draw(any_text), "approximate": draw(st.booleans())}
        statements.append(statement)
    source = {
        "stancegraph": 1,
        "source": {
            "id": draw(ids),
            "title": draw(words),
            "author": draw(st.lists(words, min_size=1, max_size=2)),
            "publisher": actors[1],
            "note": draw(any_text),
        },
        "statements": statements,
    }
    if draw(st.booleans()):
        source["source"]["language"] = draw(st.sampled_from(["en", "de-CH", "he"]))
    return {"registry": registry, "source": source}


def write(folder: Path, corpus: dict[str, Any], *, allow_unicode: bool) -> bool:
    """Write ``corpus`` as YAML files; False when PyYAML could not write it faithfully (see above)."""
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    faithful = True
    for name, data in (("registry.yaml", corpus["registry"]), ("sources/s.yaml", corpus["source"])):
        text = yaml.safe_dump(data, allow_unicode=allow_unicode, sort_keys=False)
        faithful = faithful and dumped_faithfully(text, data)
        (folder / name).write_text(text, encoding="utf-8")
    return faithful


def literal_texts(graph: rdflib.Graph, subject: URIRef, predicate: URIRef) -> list[str]:
    values = list(graph.objects(subject, predicate))
    assert all(isinstance(v, Literal) for v in values)
    return sorted(str(v) for v in values)


def check_literals(graph: rdflib.Graph, corpus: dict[str, Any]) -> None:
    """Every string of ``corpus`` is in ``graph`` as a literal with exactly that text."""
    base = corpus["registry"]["base"]
    for section, cls in (("actors", "actor"), ("proposals", "proposal"), ("conditions", "condition")):
        for ident, data in corpus["registry"][section].items():
            node = URIRef(f"{base}{cls}/{ident}")
            assert literal_texts(graph, node, SKOS.prefLabel) == [data["label"]]
            assert literal_texts(graph, node, SKOS.altLabel) == sorted(set(data.get("aliases", [])))
            assert literal_texts(graph, node, DCTERMS.description) == ([data["description"]] if data.get("description") else [])
            assert literal_texts(graph, node, RDFS.comment) == ([data["note"]] if data.get("note") else [])
    meta = corpus["source"]["source"]
    source = URIRef(f"{base}source/{meta['id']}")
    assert literal_texts(graph, source, DCTERMS.title) == [meta["title"]]
    assert literal_texts(graph, source, SCHEMA.author) == sorted(set(meta["author"]))
    assert literal_texts(graph, source, RDFS.comment) == ([meta["note"]] if meta["note"] else [])
    language = meta.get("language")
    for st_data in corpus["source"]["statements"]:
        selectors = [s for s, _, q in graph.triples((None, OA.exact, None)) if str(q) == st_data["quote"]]
        assert len(selectors) == 1, st_data["quote"]
        exact = graph.value(selectors[0], OA.exact)
        assert (exact.language or "").lower() == (language or "").lower()  # language tags ignore case
        for key in ("prefix", "suffix"):
            if key in st_data:
                assert literal_texts(graph, selectors[0], OA[key]) == [st_data[key]]
        statement = URIRef(str(selectors[0]).rsplit("/evidence/", 1)[0])
        assert (statement, RDF.type, SG.Statement) in graph
        assert literal_texts(graph, statement, RDFS.comment) == ([st_data["note"]] if st_data.get("note") else [])
        if "quantity" in st_data:
            quantity = graph.value(statement, SG.quantity)
            value = graph.value(quantity, SCHEMA.value).toPython()
            assert value == st_data["quantity"]["value"]
            assert type(value) is type(st_data["quantity"]["value"])
            assert literal_texts(graph, quantity, SCHEMA.unitText) == ([st_data["quantity"]["unit"]] if st_data["quantity"]["unit"] else [])


def parsed_union(data: bytes, fmt: Any) -> rdflib.Graph:
    """``data`` parsed by pyoxigraph, handed to rdflib as N-Triples (graph names dropped)."""
    quads = pyoxigraph.parse(data, format=fmt.oxigraph)
    triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads]
    graph = rdflib.Graph()
    graph.parse(data=pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    return graph


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpus=corpora(), allow_unicode=st.booleans())
def test_valid_sources_round_trip_to_the_model_and_the_graph(tmp_path_factory: pytest.TempPathFactory,
                                                               corpus: dict[str, Any], allow_unicode: bool) -> None:
    folder = tmp_path_factory.mktemp("corpus")
    assume(write(folder, corpus, allow_unicode=allow_unicode))

    model = load([folder])

    # the model holds exactly the strings written
    for section, cls in (("actors", "actor"), ("proposals", "proposal"), ("conditions", "condition")):
        for ident, data in corpus["registry"][section].items():
            entity = model.registry.entities[ident]
            assert entity.cls == cls
            assert entity.label == data["label"]
            assert entity.aliases == tuple(data.get("aliases", ()))
            assert entity.description == data.get("description")
            assert entity.note == data.get("note")
    (source,) = model.sources
    meta = corpus["source"]["source"]
    assert (source.id, source.title, source.authors, source.note) == (meta["id"], meta["title"], tuple(meta["author"]), meta["note"])
    assert len(source.statements) == len(corpus["source"]["statements"])
    for statement, data in zip(source.statements, corpus["source"]["statements"]):
        assert statement.quote == data["quote"]
        assert (statement.prefix, statement.suffix, statement.note) == (data.get("prefix"), data.get("suffix"), data.get("note"))
        if "quantity" in data:
            assert statement.quantity.value == data["quantity"]["value"]
            assert statement.quantity.unit == data["quantity"]["unit"]

    # the built graph holds them as literals, and so does every output format after parsing
    built = build_dataset(model)
    union = rdflib.Graph()
    for graph in built.dataset.graphs():
        union += graph
    check_literals(union, corpus)
    for fmt in FORMATS:
        check_literals(parsed_union(serialize(built.dataset, fmt.name), fmt), corpus)


def test_hostile_strings_never_reach_the_page_as_markup(tmp_path: Path) -> None:
    registry = {
        "base": "https://example.org/hostile/",
        "actors": {f"a{i}": {"label": text, "description": text} for i, text in enumerate(HOSTILE) if text.strip() == text},
        "proposals": {"p": {"label": "</script><script>alert(1)</script>"}},
    }
    actors = list(registry["actors"])
    source = {
        "source": {"id": "s", "title": "<img src=x onerror=alert(1)>"},
        "statements": [
            {"subject": a, "relation": "supports", "object": "p", "quote": f"{registry['actors'][a]['label']} quote {a}"}
            for a in actors
        ],
    }
    write(tmp_path, {"registry": registry, "source": source}, allow_unicode=True)

    html = render_html(project(build_dataset(load([tmp_path])).dataset))

    assert "<img src=x" not in html
    assert "<script>alert(1)" not in html
    assert "<!--" not in html.split('<script id="sg-data"', 1)[1].split("</script>", 1)[0]
    data = json.loads(re.search(r'<script id="sg-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    labels = {node["fullLabel"] for node in data["nodes"]}
    assert "</script><script>alert(1)</script>" in labels
    assert "<img src=x onerror=alert(1)>" in labels

