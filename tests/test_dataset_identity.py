"""The dataset's identity and a condition's actors (issue 13 parts 2, 3): registry.yaml's ``dataset:`` (title,
description, authors, license) in the RDF, the page and the exports; ``concerns:`` on conditions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS

from sgtest import EXAMPLE

BASE = "https://example.org/d/"
DCAT = "http://www.w3.org/ns/dcat#"

REGISTRY = """stancegraph: 1
base: https://example.org/d/
dataset:
  title: Harbour talks
  description: Who backs the harbour treaty <b>and</b> why
  authors: [Ana Ruiz, Omar Haddad]
  license: CC-BY-4.0
actors:
  north: {label: Northland, aliases: [the North]}
  south: {label: Southland}
proposals:
  treaty: {label: Harbour treaty}
conditions:
  ceasefire: {label: The ceasefire holds, concerns: [the North, south]}
"""
SOURCE = """stancegraph: 1
source: {id: s1, title: Talks, published: 2024-01-10}
statements:
  - {subject: north, relation: supports, object: treaty, if: ceasefire, quote: the North backs it if the guns are silent}
"""


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "p"
    (folder / "sources").mkdir(parents=True)
    (folder / "registry.yaml").write_text(REGISTRY, "utf-8")
    (folder / "sources" / "s1.yaml").write_text(SOURCE, "utf-8")
    return folder


def _graph(invoke, folder: Path) -> Dataset:
    result = invoke("build", folder, "-o", "g.trig")
    assert result.exit_code == 0, result.output
    return Dataset(default_union=True).parse("g.trig", format="trig")


def test_the_dataset_and_its_license_are_in_the_graph(invoke, project_dir):
    ds = _graph(invoke, project_dir)
    node = URIRef(f"{BASE}dataset")
    assert (node, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(f"{DCAT}Dataset")) in ds
    assert ds.value(node, DCTERMS.title) == Literal("Harbour talks")
    assert ds.value(node, DCTERMS.license) == URIRef("https://spdx.org/licenses/CC-BY-4.0")  # an SPDX id, as an address
    assert sorted(str(a) for a in ds.objects(node, URIRef("https://schema.org/author"))) == ["Ana Ruiz", "Omar Haddad"]


def test_concerns_links_a_condition_to_its_actors_by_any_name(invoke, project_dir):
    ds = _graph(invoke, project_dir)
    actors = sorted(str(a) for a in ds.objects(URIRef(f"{BASE}condition/ceasefire"), DCTERMS.subject))
    assert actors == [f"{BASE}actor/north", f"{BASE}actor/south"]  # "the North" is Northland's alias


@pytest.mark.parametrize(("edit", "message"), [
    (("license: CC-BY-4.0", "license: not a licence at all"), "dataset license: 'not a licence at all' contains spaces"),
    (("license: CC-BY-4.0", "license: ftp://example.org/l"), "is not an http/https address"),
    (("concerns: [the North, south]", "concerns: [Westland]"), "concerns: unknown actor 'Westland'"),
    (("  treaty: {label: Harbour treaty}", "  treaty: {label: Harbour treaty, concerns: north}"),
     "'concerns' is for conditions; 'treaty' is a proposal"),
])
def test_bad_identity_and_concerns_are_told_with_their_place(invoke, project_dir, edit, message):
    registry = project_dir / "registry.yaml"
    registry.write_text(registry.read_text("utf-8").replace(*edit), "utf-8")
    result = invoke("validate", project_dir)
    assert result.exit_code == 1
    assert message in result.output, result.output
    assert re.search(r"registry\.yaml:\d+", result.output), result.output  # the file and line


def test_a_second_dataset_is_refused(invoke, project_dir):
    (project_dir / "more.yaml").write_text("stancegraph: 1\ndataset: {title: Another}\nactors:\n  west: {label: Westland}\n",
                                           "utf-8")
    result = invoke("validate", project_dir)
    assert result.exit_code == 1 and "a second 'dataset' (the first is at " in result.output, result.output


def test_the_view_takes_the_dataset_title_and_shows_who_made_it(invoke, project_dir):
    assert invoke("build", project_dir, "-o", "g.ttl").exit_code == 0
    assert invoke("view", "g.ttl", "-o", "v.html").exit_code == 0
    html = Path("v.html").read_text("utf-8")
    assert "<title>Harbour talks</title>" in html
    data = json.loads(re.search(r'<script id="sg-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert data["dataset"] == {"title": "Harbour talks", "description": "Who backs the harbour treaty <b>and</b> why",
                               "authors": ["Ana Ruiz", "Omar Haddad"], "license": "https://spdx.org/licenses/CC-BY-4.0",
                               "url": None}
    assert "<b>and</b>" not in html  # the description is data, escaped, put in the page as text
    assert invoke("view", "g.ttl", "-o", "w.html", "--title", "Mine").exit_code == 0
    assert "<title>Mine</title>" in Path("w.html").read_text("utf-8")
    # a condition's actors are drawn: Southland is linked though no statement names it
    edges = {(e["from"], e["to"], e["relation"]) for e in data["edges"]}
    assert ("n:ceasefire", "n:south", "concerns") in edges


def test_exports_carry_the_dataset(invoke, project_dir):
    assert invoke("build", project_dir, "-o", "g.ttl").exit_code == 0
    assert invoke("export", "g.ttl", "-o", "g.graphml").exit_code == 0
    assert invoke("export", "g.ttl", "-o", "g.gexf").exit_code == 0
    graphml = nx.read_graphml("g.graphml")
    assert (graphml.graph["title"], graphml.graph["authors"], graphml.graph["license"]) == (
        "Harbour talks", "Ana Ruiz; Omar Haddad", "https://spdx.org/licenses/CC-BY-4.0")
    assert nx.read_gexf("g.gexf").graph["name"] == "Harbour talks"
    gexf = Path("g.gexf").read_text("utf-8")
    assert "<creator>Ana Ruiz; Omar Haddad</creator>" in gexf
    assert "<description>Harbour talks — Who backs the harbour treaty &lt;b&gt;and&lt;/b&gt; why</description>" in gexf


def test_the_identity_survives_the_cache(invoke, project_dir):
    """A second build takes the registry from the cache: the dataset must come back with it."""
    first = _graph(invoke, project_dir)
    second = _graph(invoke, project_dir)
    assert set(first.quads()) == set(second.quads()) and (URIRef(f"{BASE}dataset"), DCTERMS.title, Literal("Harbour talks")) in second


def test_the_example_says_what_it_is(invoke):
    assert invoke("build", EXAMPLE, "-o", "gaza.ttl").exit_code == 0
    assert invoke("view", "gaza.ttl", "-o", "gaza.html").exit_code == 0
    assert "<title>Who backs a peacekeeping force for post-war Gaza</title>" in Path("gaza.html").read_text("utf-8")
    from stancegraph.output.index import projected

    g = projected([Path("gaza.ttl")], "gaza.ttl", (), use_index=False)
    assert sorted((c, a) for c, a, k in g.edges(keys=True) if k == "concerns") == [
        ("hamas-defeated", "hamas"), ("hostages-released", "hamas"), ("israel-approval", "israel")]
