"""The index beside a graph file (output/index.py): used when current, made again when the file changes,
safe with two readers at once, bypassed by --no-index, pruned by ``cache prune``; and Oxigraph answering
``query`` as rdflib does."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sgtest import EXAMPLE, run, stancegraph_script

from stancegraph.output import graphfile, index
from stancegraph.output.query import library

ACTOR_LABELS = "SELECT ?label WHERE { ?a a sg:Actor ; rdfs:label ?label } ORDER BY ?label"


@pytest.fixture
def graph(example_outputs: dict[str, Path], tmp_path: Path) -> Path:
    """The example as Turtle, in the test's folder (which ``invoke`` runs in)."""
    path = tmp_path / "gaza.ttl"
    shutil.copyfile(example_outputs["ttl"], path)
    return path


def _entries(tmp_path: Path) -> list[Path]:
    root = tmp_path / ".cache" / "stancegraph" / "index"
    return index._entries(root) if root.is_dir() else []


def _no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make reading a graph file fail: what answers then came from the index."""
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the graph file was read again")

    monkeypatch.setattr(graphfile, "read_quads", refuse)


def test_the_second_read_comes_from_the_index(invoke, graph: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = {cmd: invoke(cmd, graph).stdout for cmd in ("stats", "contradictions")}
    first["query"] = invoke("query", graph, ACTOR_LABELS, "-f", "csv").stdout
    assert len(_entries(tmp_path)) == 1
    _no_reading(monkeypatch)
    assert {cmd: invoke(cmd, graph).stdout for cmd in ("stats", "contradictions")} == \
        {k: v for k, v in first.items() if k != "query"}
    assert invoke("query", graph, ACTOR_LABELS, "-f", "csv").stdout == first["query"]
    assert "\nIsrael\n" in first["query"]


def test_no_index_reads_afresh_and_keeps_nothing(invoke, graph: Path, tmp_path: Path) -> None:
    with_index = invoke("matrix", graph, "-f", "csv").stdout
    shutil.rmtree(tmp_path / ".cache")
    assert invoke("matrix", graph, "-f", "csv", "--no-index").stdout == with_index
    assert invoke("query", graph, ACTOR_LABELS, "--no-index").exit_code == 0
    assert _entries(tmp_path) == []


@pytest.mark.parametrize("change", ["edit", "replace", "touch"])
def test_a_changed_file_is_read_again(invoke, graph: Path, tmp_path: Path, change: str) -> None:
    before = invoke("query", graph, ACTOR_LABELS, "-f", "csv").stdout
    stats_before = invoke("stats", graph).stdout
    text = graph.read_text("utf-8")
    edited = text.replace('"Israel"@en', '"Israel (edited)"@en')  # its rdfs:label and skos:prefLabel
    assert edited != text
    if change == "edit":  # in place, by hand: same inode, same size class
        with graph.open("r+", encoding="utf-8") as f:
            f.write(edited)
    elif change == "replace":  # another file renamed over it
        (tmp_path / "new.ttl").write_text(edited, "utf-8")
        os.replace(tmp_path / "new.ttl", graph)
    else:  # the same bytes, a new modification time: hashed again, the same entry
        os.utime(graph, ns=(graph.stat().st_atime_ns, graph.stat().st_mtime_ns + 10**9))
    after = invoke("query", graph, ACTOR_LABELS, "-f", "csv").stdout
    stats_after = invoke("stats", graph).stdout
    if change == "touch":
        assert (after, stats_after) == (before, stats_before)
        assert len(_entries(tmp_path)) == 1
    else:
        assert "Israel (edited)" in after and "Israel (edited)" not in before
        assert "Israel (edited) [israel]" in stats_after and "Israel (edited)" not in stats_before
        assert len(_entries(tmp_path)) == 2
        assert invoke("query", graph, ACTOR_LABELS, "-f", "csv", "--no-index").stdout == after


def test_an_edit_keeping_size_and_time_is_still_seen(invoke, graph: Path, tmp_path: Path) -> None:
    """The pre-check is size, times and inode: an edit that restores the modification time changes the
    change time (ctime), which no user can set back."""
    before = invoke("query", graph, ACTOR_LABELS, "-f", "csv").stdout
    stat = graph.stat()
    text = graph.read_text("utf-8")
    graph.write_text(text.replace('rdfs:label "Israel"@en', 'rdfs:label "Israex"@en', 1), "utf-8")
    os.utime(graph, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = invoke("query", graph, ACTOR_LABELS, "-f", "csv").stdout
    assert "Israex" in after and after != before


def test_two_readers_at_once(graph: Path, tmp_path: Path) -> None:
    """Two processes reading a file no index exists for: both make it, one rename wins, both answer."""
    commands = [["query", graph, ACTOR_LABELS, "-f", "csv"], ["query", graph, ACTOR_LABELS, "-f", "csv"],
                ["stats", graph], ["stats", graph]]
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / ".cache"))
    started = [subprocess.Popen([stancegraph_script(), *map(str, c)], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE) for c in commands]
    done = [p.communicate(timeout=120) for p in started]
    assert [p.returncode for p in started] == [0, 0, 0, 0], [e for _, e in done]
    assert done[0][0] == done[1][0] and b"Israel" in done[0][0]
    assert done[2][0] == done[3][0]
    entries = _entries(tmp_path)
    assert len(entries) == 1
    assert not [p for p in entries[0].iterdir() if p.name.startswith(".")]  # no temporary folder left
    again = run("query", graph, ACTOR_LABELS, "-f", "csv", cwd=tmp_path)
    assert again.stdout == done[0][0]


def test_a_kept_projection_names_the_file_as_it_is_given_now(invoke, example_outputs: dict[str, Path], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """One projection is kept whatever name the file was given by (``build`` keeps it under the name it
    wrote); the problems of what it skipped name the file as the command at hand was given it."""
    text = example_outputs["nt"].read_text("utf-8")
    base = "https://w3id.org/stancegraph/examples/gaza-day-after/"
    actor = f"<{base}actor/israel>"
    statement = next(line for line in text.splitlines()
                     if "rdf-syntax-ns#subject> " + actor in line)  # a statement of Israel's: its subject a proposal
    graph = tmp_path / "gaza.nt"
    graph.write_text(text.replace(statement, statement.replace(
        actor, f"<{base}proposal/gaza-day-after-plan>")), "utf-8")
    first = invoke("stats", graph.name)
    assert "gaza.nt: <" in first.stderr and "skipped" in first.stderr
    os.link(graph, tmp_path / "other.nt")  # another name of the same bytes: the same entry
    _no_reading(monkeypatch)
    again = invoke("stats", "other.nt")
    assert again.stdout == first.stdout
    assert again.stderr == first.stderr.replace("gaza.nt", "other.nt") and "gaza.nt" not in again.stderr
    assert len(_entries(tmp_path)) == 1


def test_query_answers_are_kept(invoke, graph: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first query of a file answers the library's queries too; those, and any query asked before, are
    answered later without a store, as they were and as --no-index does; a query never asked before is
    answered on the on-disk store."""
    asked = invoke("query", graph, ACTOR_LABELS, "-f", "csv").stdout
    afresh = {name: invoke("query", graph, "--named", name, "-f", "json", "--no-index").stdout for name in library()}
    assert invoke("query", graph, "ASK { ?s a sg:Proposal }").stdout == "true\n"  # makes the on-disk store

    def no_store(self):  # type: ignore[no-untyped-def]
        raise AssertionError("the store was opened")

    monkeypatch.setattr(index.Index, "store", no_store)
    assert {name: invoke("query", graph, "--named", name, "-f", "json").stdout for name in library()} == afresh
    assert invoke("query", graph, ACTOR_LABELS, "-f", "csv").stdout == asked
    with pytest.raises(AssertionError, match="the store was opened"):  # never asked: needs the store
        invoke("query", graph, "ASK { ?s a sg:Actor }")
    monkeypatch.undo()
    assert invoke("query", graph, "ASK { ?s a sg:Actor }").stdout == "true\n"


def test_analysis_answers_are_kept(invoke, graph: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """stats, contradictions and matrix are answered with the projection when it is made, and kept: later
    they need no projection, and answer as --no-index does (stats --top other than 10 still reads it)."""
    commands = [("stats",), ("stats", "-f", "json"), ("contradictions", "-f", "json"), ("matrix",),
                ("matrix", "-f", "csv")]
    afresh = [invoke(*c, graph, "--no-index").stdout for c in commands]
    invoke("blockers", graph, "gaza-day-after-plan")  # makes the projection, hence the answers

    def no_projection(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the projection was read")

    monkeypatch.setattr(index.Index, "projection", no_projection)
    assert [invoke(*c, graph).stdout for c in commands] == afresh
    with pytest.raises(AssertionError, match="the projection was read"):
        invoke("stats", graph, "--top", "3")


@pytest.mark.parametrize("ext", ["nt", "trig"])
def test_build_writes_the_index(invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ext: str) -> None:
    """The first analysis command after a build reads the index build made, not the file."""
    invoke("build", EXAMPLE, "-o", f"out/gaza.{ext}", "-q")
    assert len(_entries(tmp_path)) == 1
    afresh = {c: invoke(c, f"out/gaza.{ext}", "--no-index").stdout for c in ("stats", "matrix", "contradictions")}
    _no_reading(monkeypatch)
    assert {c: invoke(c, f"out/gaza.{ext}").stdout for c in afresh} == afresh
    assert "Conditions (4)" in invoke("blockers", f"out/gaza.{ext}", "gaza-day-after-plan").stdout  # the projection kept


def test_build_no_index(invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    invoke("build", EXAMPLE, "-o", "out/gaza.nt", "-q", "--no-index")
    invoke("build", EXAMPLE, "-o", "-", "-q")
    monkeypatch.setenv("STANCEGRAPH_NO_INDEX", "1")
    invoke("build", EXAMPLE, "-o", "out/gaza.ttl", "-q")
    assert _entries(tmp_path) == []
    monkeypatch.delenv("STANCEGRAPH_NO_INDEX")
    invoke("build", EXAMPLE, "-o", "out/gaza.ttl", "-q")  # up to date: indexed all the same
    assert len(_entries(tmp_path)) == 1


def test_a_partial_rebuild_leaves_the_index_to_the_first_read(invoke, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild of one changed source does not make the index of the whole file (ten times its cost);
    the first analysis command does, and answers as a clean read does."""
    shutil.copytree(EXAMPLE, tmp_path / "corpus")
    invoke("build", "corpus", "-o", "out/gaza.nt", "-q")
    assert len(_entries(tmp_path)) == 1
    source = next((tmp_path / "corpus" / "sources").glob("*.yaml"))
    source.write_text(source.read_text("utf-8").replace("title: ", "title: Revised, ", 1), "utf-8")
    made = []
    real = index.index_written
    monkeypatch.setattr(index, "index_written", lambda *a: made.append(a) or real(*a))
    assert "(1 built," in invoke("build", "corpus", "-o", "out/gaza.nt").stderr
    assert made == [] and len(_entries(tmp_path)) == 1, "the rebuild made the index"
    assert invoke("stats", "out/gaza.nt").stdout == invoke("stats", "out/gaza.nt", "--no-index").stdout
    assert len(_entries(tmp_path)) == 2
    invoke("build", "corpus", "-o", "out/gaza.nt", "-q")  # up to date, indexed: nothing to make
    assert len(made) == 1 and len(_entries(tmp_path)) == 2


def test_cache_prune(invoke, graph: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.ttl"
    shutil.copyfile(graph, other)
    other.write_text(other.read_text("utf-8").replace('"Israel"@en', '"Israel 2"@en', 1), "utf-8")
    invoke("stats", graph)
    invoke("stats", other)
    assert len(_entries(tmp_path)) == 2
    info = invoke("cache", "info").stdout
    assert "graph file index: 2 entries" in info
    other.unlink()
    result = invoke("cache", "prune")
    assert result.stdout.startswith("Deleted 1 index entry")
    assert len(_entries(tmp_path)) == 1
    assert invoke("cache", "prune").stdout.startswith("Deleted 0 index entries")
    assert invoke("cache", "prune", "--all").stdout.startswith("Deleted 1 index entry")
    assert _entries(tmp_path) == []
    assert "Statements by relation" in invoke("stats", graph).stdout  # made again


def test_an_unwritable_cache_still_answers(invoke, graph: Path, tmp_path: Path) -> None:
    (tmp_path / ".cache").write_text("not a folder")  # the cache folder cannot be made
    assert "Statements by relation" in invoke("stats", graph).stdout


# --------------------------------------------------------------------------- Oxigraph answers as rdflib does

HAND_WRITTEN = {
    "optional": "SELECT ?p ?short WHERE { ?p a sg:Proposal . OPTIONAL { ?p sg:shortLabel ?short } } ORDER BY ?p",
    "filter": 'SELECT ?a ?l WHERE { ?a a sg:Actor ; skos:prefLabel ?l FILTER(CONTAINS(LCASE(STR(?l)), "a")) } ORDER BY ?a ?l',
    "group by": "SELECT ?rel (COUNT(?st) AS ?n) WHERE { ?st a sg:Statement ; rdf:predicate ?rel } GROUP BY ?rel ORDER BY DESC(?n) ?rel",
    "language tags": 'SELECT ?a ?l (LANG(?l) AS ?lang) WHERE { ?a skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), "ar")) } ORDER BY ?a',
    "named graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "vocabulary": "SELECT ?s ?label WHERE { ?s a sg:Stance ; skos:prefLabel ?label } ORDER BY ?s ?label",
    "typed literals": "SELECT ?v (DATATYPE(?v) AS ?t) WHERE { ?q schema:value ?v } ORDER BY ?v",
    "ask": "ASK { ?s a sg:Statement }",
    "construct": "CONSTRUCT { ?a rdfs:label ?l } WHERE { ?a a sg:Actor ; rdfs:label ?l }",
}


@pytest.mark.parametrize("ext", ["trig", "ttl", "nq"])
@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_oxigraph_answers_as_rdflib(invoke, example_outputs: dict[str, Path], ext: str, fmt: str) -> None:
    graph = example_outputs[ext]
    queries = [("--named", name) for name in library()] + [(text,) for text in HAND_WRITTEN.values()]
    for query in queries:
        oxigraph = invoke("query", graph, *query, "-f", fmt)
        rdflib = invoke("query", graph, *query, "-f", fmt, "--engine", "rdflib")
        assert oxigraph.exit_code == rdflib.exit_code == 0, (query, oxigraph.stderr, rdflib.stderr)
        if query[0].startswith("SELECT ?g") and ext == "ttl":  # rdflib names Turtle's default graph, Oxigraph leaves it out
            continue
        assert oxigraph.stdout == rdflib.stdout, query
        assert oxigraph.stdout.strip(), query


def test_a_bad_query_on_oxigraph(invoke, graph: Path) -> None:
    result = invoke("query", graph, "SELEC ?x")
    assert result.exit_code == 1
    assert "not valid SPARQL" in result.stderr


def test_an_unwritable_cache_still_answers_queries(invoke, graph: Path, tmp_path: Path) -> None:
    (tmp_path / ".cache").write_text("not a folder")
    result = invoke("query", graph, ACTOR_LABELS, "-f", "csv")
    assert result.exit_code == 0 and "\nIsrael\n" in result.stdout


# --------------------------------------------------------------------------- the view of a big graph


def test_beyond_max_nodes_the_view_keeps_the_most_central(example_built) -> None:  # type: ignore[no-untyped-def]
    from collections import Counter

    from stancegraph.output import project
    from stancegraph.output.view import ViewOptions, prepare

    graph = project(example_built.dataset)
    assert prepare(graph, ViewOptions(max_nodes=39)) is graph
    part = prepare(graph, ViewOptions(max_nodes=10, central=4))
    degree = Counter(n for s, o in graph.edges() if s != o for n in (s, o))
    ranked = sorted(graph.nodes, key=lambda n: (-degree[n], n))
    assert sorted(part.nodes) == sorted(ranked[:4])
    assert set(part.edges(keys=True)) == {e for e in graph.edges(keys=True) if e[0] in part and e[1] in part}
    assert part.graph["left_out"].startswith("the graph has 39 nodes")
    assert "left out 35 nodes" in part.graph["left_out"] and "--focus ID" in part.graph["left_out"]
    assert "left_out" not in graph.graph
    assert part.graph["names"] is graph.graph["names"] or part.graph["names"] == graph.graph["names"]


@pytest.mark.parametrize("ext", ["nt", "nq", "ttl", "trig", "jsonld"])
def test_the_first_query_makes_the_store_for_the_next(invoke, example_outputs: dict[str, Path], tmp_path: Path,
                                                        ext: str) -> None:
    """The first query is answered in memory, with the library's; the next one asked for the first time
    too, while the on-disk store is loaded from the file (by the bulk loader; JSON-LD through Python);
    a query asked later is answered on that store as --no-index answers it: the vocabulary in its
    graph, the file's blank nodes, Turtle's prefixes."""
    graph = tmp_path / f"gaza.{ext}"
    shutil.copyfile(example_outputs[ext], graph)
    assert invoke("query", graph, "--named", "actors", "-f", "csv").exit_code == 0
    entry = _entries(tmp_path)[0]
    assert not (entry / "store").exists(), "the first query waited for the on-disk store"
    assert invoke("query", graph, "ASK { ?s a sg:Actor }").stdout == "true\n"  # a query asked later makes it
    assert (entry / "store" / "done").exists()
    assert not list(entry.glob(".store-*")), "the temporary folder is left behind"
    for text in ("SELECT ?s ?label WHERE { ?s skos:inScheme ?scheme ; skos:prefLabel ?label } ORDER BY ?s ?label",
                 "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }",
                 "SELECT ?a WHERE { ?a a sg:Actor } ORDER BY ?a",
                 "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"):
        afresh = invoke("query", graph, text, "-f", "csv", "--no-index")
        with pytest.MonkeyPatch.context() as patched:
            _no_reading(patched)  # the store answers
            on_store = invoke("query", graph, text, "-f", "csv")
        assert on_store.exit_code == afresh.exit_code == 0, (on_store.stderr, afresh.stderr)
        assert on_store.stdout == afresh.stdout, text
        assert on_store.stdout.count("\n") > 1, text


def test_a_file_that_is_not_rdf_leaves_no_store(invoke, tmp_path: Path) -> None:
    """The bulk loader fails on it too, in its thread: the error is the reader's, and nothing is kept."""
    graph = tmp_path / "broken.nt"
    graph.write_text("<http://example.org/a> <http://example.org/b> .\n", "utf-8")
    result = invoke("query", graph, "--named", "actors")
    assert result.exit_code == 1 and "broken.nt:1" in result.stderr
    entries = _entries(tmp_path)
    assert all(not (e / "store").exists() and not list(e.glob(".store-*")) for e in entries)


SHARED = """
import os, sys, time
from pathlib import Path
from stancegraph.output import index
how, folder = sys.argv[1], Path(sys.argv[2])
done = folder / "done"
done.mkdir()
me = os.getpid()
if how != "fork":
    index.forked = lambda work: None
def do(i):
    if how == "failing child" and os.getpid() != me:
        raise RuntimeError("the child fails on what it takes")  # it leaves by os._exit(1)
    (done / f"{i}-{os.getpid()}").write_text("")
    time.sleep(0.05)  # long enough for the other worker to start and take its turn
index._shared(12, do, lambda i: any(done.glob(f"{i}-*")), folder, threads=how == "thread")
print(me)
"""


@pytest.mark.parametrize("how", ["fork", "failing child", "thread", "alone"])
def test_shared_work_is_done_once_each(tmp_path: Path, how: str) -> None:
    """The library's answers and the kept analyses are shared by two workers (a forked child, else a
    thread): each piece done once; what a failed child left, done by the parent. In a process of its
    own: a test process that runs threads may not fork."""
    import sys

    ran = subprocess.run([sys.executable, "-c", SHARED, how, str(tmp_path)], capture_output=True, text=True, check=True)
    parent = ran.stdout.strip()
    names = [p.name.split("-") for p in (tmp_path / "done").iterdir()]
    assert sorted(int(i) for i, _ in names) == list(range(12))
    by = {pid for _, pid in names}
    if how == "fork":
        assert len(by) == 2, "the child took no share"
    elif how in ("alone", "failing child", "thread"):
        assert by == {parent}
