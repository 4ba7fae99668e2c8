"""--lang: the display language of view, matrix, blockers, contradictions, stats and export, and lookups
by a name in any language (docs/multilingual.md, docs/cli.md). Expected labels are read from the
multilingual fixture's registry YAML."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml

from stancegraph.output import project
from stancegraph.output.analysis import find_node
from stancegraph.output.graphfile import load_dataset
from stancegraph.output.labels import names_of
from stancegraph.output.view import languages

DATA = Path(__file__).parent / "data" / "multilingual"
REGISTRY = yaml.safe_load((DATA / "registry.yaml").read_text(encoding="utf-8"))
ENTRIES = {key: entry for group in ("actors", "proposals", "conditions") for key, entry in REGISTRY[group].items()}


def label(key: str, lang: str) -> str:
    return ENTRIES[key]["label"][lang]


@pytest.fixture(scope="module")
def dataset():
    return load_dataset([DATA])


def test_the_first_language_an_entry_has_is_shown(dataset):
    graph = project(dataset, "multilingual", ("he", "ar"))
    assert graph.nodes["israel"]["label"] == label("israel", "he")
    assert graph.nodes["pa-role"]["label"] == label("pa-role", "ar")  # no Hebrew label: the next language
    assert names_of(graph, "pa-role").lang == "ar"
    assert names_of(graph, "israel").labels == dict(sorted(ENTRIES["israel"]["label"].items()))


def test_without_languages_the_registry_language_is_shown(dataset):
    graph = project(dataset, "multilingual")
    assert graph.nodes["egypt"]["label"] == label("egypt", "en")
    assert names_of(graph, "egypt").default
    assert not names_of(project(dataset, "multilingual", ("ar",)), "egypt").default


@pytest.mark.parametrize("shown", [(), ("ar",), ("he", "en")])
def test_a_name_in_any_language_finds_the_node(dataset, shown):
    graph = project(dataset, "multilingual", shown)
    for key in ("hamas", "ceasefire", "palestinian-authority"):
        for name in ENTRIES[key]["label"].values():
            assert find_node(graph, name) == key
    assert find_node(graph, "הפסקת האש") == "ceasefire"  # a Hebrew alias, whatever language is shown
    assert find_node(graph, "PA") == "palestinian-authority"


def test_the_page_language(dataset):
    assert languages(project(dataset, "m", ("ar", "en"))) == ("ar", ["ar", "en", "he"])
    assert languages(project(dataset, "m", ("fr", "he"))) == ("he", ["ar", "en", "he"])  # no label in French
    assert languages(project(dataset, "m"))[0] == "en"


def test_matrix_in_arabic_with_english_fallback(invoke):
    result = invoke("matrix", DATA, "--lang", "ar,en", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert set(rows[0][1:]) == {label(p, "ar") for p in ("ceasefire", "pa-role", "reconstruction-plan")}
    assert {r[0] for r in rows[1:]} <= {label(a, "ar") for a in REGISTRY["actors"]}


def test_matrix_table_shows_the_whole_label_in_another_language(invoke):
    """The short label is in the registry's language: another language's label is shown whole (or cut)."""
    result = invoke("matrix", DATA, "--lang", "ar")
    assert result.exit_code == 0, result.stderr
    assert label("pa-role", "ar") in result.stdout
    assert "A role for" not in result.stdout


def test_blockers_by_a_hebrew_name_shown_in_english(invoke):
    result = invoke("blockers", DATA, label("reconstruction-plan", "he"), "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert f"What stands between {label('reconstruction-plan', 'en')} [reconstruction-plan]" in result.stdout


def test_stats_contradictions_and_export_take_lang(invoke, tmp_path):
    stats = invoke("stats", DATA, "--lang", "he", "-f", "json")
    assert stats.exit_code == 0, stats.stderr
    shown = {a["actor"]: a["label"] for a in json.loads(stats.stdout)["central_actors"]}
    assert shown and all(text == label(key, "he") for key, text in shown.items())
    assert invoke("contradictions", DATA, "--lang", "he").exit_code == 0
    exported = invoke("export", DATA, "--lang", "ar", "-o", tmp_path / "e.csv")
    assert exported.exit_code == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "e.csv").read_text(encoding="utf-8"))))
    assert rows and all(r["subject"] == label(r["subject_id"], "ar") for r in rows)


def test_export_keeps_its_node_fields(invoke, tmp_path):
    """The names per language live beside the nodes: the exports' node data is what it was."""
    assert invoke("export", DATA, "--lang", "ar", "-o", tmp_path / "e.cyjs").exit_code == 0
    nodes = json.loads((tmp_path / "e.cyjs").read_text(encoding="utf-8"))["elements"]["nodes"]
    assert not {"labels", "names", "lang"} & set(nodes[0]["data"])


def test_view_sets_the_page_language(invoke, tmp_path):
    result = invoke("view", DATA, "--lang", "he,en", "-o", tmp_path / "v.html")
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "v.html").read_text(encoding="utf-8")
    assert '<html lang="he">' in page
    data = json.loads(re.search(r'<script id="sg-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert data["languages"] == ["ar", "en", "he"]
    israel = next(n for n in data["nodes"] if n["key"] == "israel")
    assert israel["label"] == label("israel", "he") and israel["labels"] == ENTRIES["israel"]["label"] | {}


@pytest.mark.parametrize("command", ["view", "matrix", "blockers", "contradictions", "stats", "export"])
def test_a_malformed_language_is_a_usage_error(invoke, tmp_path, command):
    extra = {"view": ["-o", tmp_path / "v.html"], "blockers": ["ceasefire"], "export": ["-o", tmp_path / "e.csv"]}
    result = invoke(command, DATA, *extra.get(command, []), "--lang", "ar,,en")
    assert result.exit_code == 2
    assert "--lang" in result.stderr and "language tag" in result.stderr
    assert not list(tmp_path.glob("[ve].*"))
