"""Discourse networks (output/networks.py, ``stancegraph network``): DNA's congruence, conflict and
affiliation networks, with the expected edges worked out by hand from the annotation files.

The hand-made corpus is tests/data/networks/ (its stances, by source):

* s1, published 2024-01-15: alpha supports plan, beta opposes plan, gamma supports plan, alpha opposes
  quota, beta supports quota;
* s2, published 2024-06 (a month): gamma opposes quota, delta supports plan, alpha supports plan (again),
  gamma considers plan;
* s3, no date at all: delta opposes quota.

When the CSV output changes on purpose, ``STANCEGRAPH_UPDATE_GOLDEN=1 python -m pytest
tests/test_networks.py`` rewrites the golden files; review their diff in git.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import networkx as nx
import pytest
from sgtest import DATA, EXAMPLE

from stancegraph.output import project
from stancegraph.output.graphfile import load_dataset
from stancegraph.output.networks import CSV_COLUMNS, NetworkError, network

SMALL = DATA / "networks"
GOLDEN = DATA / "golden" / "explore"
UPDATE = os.environ.get("STANCEGRAPH_UPDATE_GOLDEN") == "1"


def weights(net_graph: nx.Graph) -> dict[frozenset[str], float]:
    return {frozenset((s, o)): w for s, o, w in net_graph.edges(data="weight")}


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


@pytest.fixture(scope="module")
def small() -> nx.MultiDiGraph:
    return project(load_dataset([SMALL]))


@pytest.fixture(scope="module")
def gaza() -> nx.MultiDiGraph:
    return project(load_dataset([EXAMPLE]))


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))


# --------------------------------------------------------------------------- the example, by hand


#: The congruence network of examples/gaza-day-after, worked out from its three source files.
#: The stances of actors on proposals there (relations with a stance; must-approve has none):
#:   gaza-peacekeeping-force, "considering": biden-administration (discusses, both sources), dod
#:     ("Pentagon"/"U.S. Defense Department": discusses and considers-funding), international-partners
#:     ("foreign counterparts", "foreign governments": discusses; considers-funding), state-department and
#:     white-house (discusses, both sources);
#:   multinational-force: dod considering (considers, considers-funding), regional-partners conditional
#:     (may-participate-in ... until plan-completed), un-security-council supports (2025);
#:   palestinian-led-force: dod considering, pa-security-personnel undecided (may-participate-in);
#:   gaza-reconstruction-aid: dod considering, alone;
#:   gaza-day-after-plan: israel conditional (2024, declines-to-participate ... until) and supports (2025,
#:     participates-in), alone; comprehensive-plan: israel supports, alone;
#:   unsc-resolution-2803 (our November 2025 note): united-states (proposes), un-security-council and
#:     palestinian-authority support it; russia and china abstain; hamas opposes it.
#: So two proposals have pairs holding the same stance: the peacekeeping force (each pair of the five actors
#: "considering" it, weight 1) and resolution 2803 (the three who support it; Russia and China, who abstain).
GAZA_CONGRUENCE = {
    pair("biden-administration", "dod"): 1,
    pair("biden-administration", "international-partners"): 1,
    pair("biden-administration", "state-department"): 1,
    pair("biden-administration", "white-house"): 1,
    pair("dod", "international-partners"): 1,
    pair("dod", "state-department"): 1,
    pair("dod", "white-house"): 1,
    pair("international-partners", "state-department"): 1,
    pair("international-partners", "white-house"): 1,
    pair("state-department", "white-house"): 1,
    pair("united-states", "un-security-council"): 1,
    pair("united-states", "palestinian-authority"): 1,
    pair("un-security-council", "palestinian-authority"): 1,
    pair("russia", "china"): 1,
}
#: Conflict: one supports and the other opposes the same proposal: Hamas against each backer of resolution 2803
GAZA_CONFLICT = {pair("hamas", "united-states"): 1, pair("hamas", "un-security-council"): 1,
                 pair("hamas", "palestinian-authority"): 1}
#: every actor with a stance on a proposal is a node, tied or not (DNA's isolates=false: the active ones)
GAZA_ACTORS = {"biden-administration", "dod", "international-partners", "state-department", "white-house",
               "israel", "pa-security-personnel", "regional-partners", "united-states", "un-security-council",
               "palestinian-authority", "russia", "china", "hamas"}


def test_congruence_of_the_example_is_the_one_worked_out_by_hand(invoke, tmp_path: Path) -> None:
    assert invoke("build", EXAMPLE, "-o", "gaza.ttl", "-q").exit_code == 0
    result = invoke("network", "gaza.ttl", "--kind", "congruence", "-o", "congruence.gexf")
    assert result.exit_code == 0, result.output
    assert "congruence network, 14 nodes, 14 edges, from 29 stance statements" in result.stderr
    g = nx.read_gexf(tmp_path / "congruence.gexf")
    assert set(g.nodes) == GAZA_ACTORS
    assert weights(g) == GAZA_CONGRUENCE
    resolution = {pair("united-states", "un-security-council"), pair("united-states", "palestinian-authority"),
                  pair("un-security-council", "palestinian-authority"), pair("russia", "china")}
    for s, o, d in g.edges(data=True):
        if pair(s, o) in resolution:
            assert d["proposals"] == "UN Security Council resolution 2803"
            assert d["stance"] == ("abstains" if pair(s, o) == pair("russia", "china") else "supports")
        else:
            assert (d["proposals"], d["stance"]) == ("Peacekeeping force for post-war Gaza", "considering")
    # the March 2024 reports alone: the five "considering" the force, as before our 2025 note
    march = invoke("network", "gaza.ttl", "--kind", "congruence", "--until", "2024-12", "-o", "march.csv")
    assert march.exit_code == 0, march.output
    assert {pair(r["source"], r["target"]) for r in read_csv(tmp_path / "march.csv")} == {
        p for p in GAZA_CONGRUENCE if p not in resolution}


def test_each_congruence_edge_of_the_example_is_traceable_to_its_quotes(gaza: nx.MultiDiGraph) -> None:
    edge = network(gaza, "congruence").graph.edges["biden-administration", "white-house"]
    [evidence] = edge["evidence"]
    assert evidence["proposal"] == "gaza-peacekeeping-force" and evidence["stances"] == [["considering", "considering"]]
    quotes = {node: {c["quote"] for c in cited} for node, cited in evidence["quotes"].items()}
    assert quotes == {
        "biden-administration": {
            "Preliminary talks are taking place in the Biden administration about ways to stabilize the peace in post-war Gaza",
            "Senior officials within the Biden administration, while acknowledging these talks, have refrained from delving into specifics",
        },
        "white-house": {
            "officials from the White House, Pentagon, and State Department, along with foreign counterparts",
            "a broader dialogue with the White House, State Department, and foreign governments",
        },
    }


def test_the_example_conflict_is_hamas_against_the_backers_of_resolution_2803(invoke, tmp_path: Path) -> None:
    assert invoke("build", EXAMPLE, "-o", "gaza.ttl", "-q").exit_code == 0
    result = invoke("network", "gaza.ttl", "--kind", "conflict", "-o", "conflict.csv")
    assert result.exit_code == 0, result.output
    assert {pair(r["source"], r["target"]): int(float(r["weight"])) for r in read_csv(tmp_path / "conflict.csv")} == \
        GAZA_CONFLICT


def test_a_window_without_conflict_says_so(invoke, tmp_path: Path) -> None:
    # in March 2024 no actor supports or opposes a proposal: "considering" and "conditional" oppose nothing
    assert invoke("build", EXAMPLE, "-o", "gaza.ttl", "-q").exit_code == 0
    result = invoke("network", "gaza.ttl", "--kind", "conflict", "--until", "2024-12", "-o", "conflict.csv")
    assert result.exit_code == 1
    assert "no two hold opposite stances" in result.stderr and "nothing was written" in result.stderr
    assert not (tmp_path / "conflict.csv").exists()


# --------------------------------------------------------------------------- the hand-made corpus


def test_congruence_counts_the_proposals_two_actors_agree_on(small: nx.MultiDiGraph) -> None:
    net = network(small, "congruence")
    assert weights(net.graph) == {
        pair("alpha", "gamma"): 2,  # both support plan (s1), both oppose quota (s1, s2)
        pair("alpha", "delta"): 2,  # both support plan (s1/s2, s2), both oppose quota (s1, s3)
        pair("delta", "gamma"): 2,  # plan supported (s2, s1), quota opposed (s3, s2)
    }  # alpha supports plan twice: one stance, counted once
    assert "beta" in net.graph and net.graph.degree("beta") == 0  # active, agreeing with no one
    assert net.statements == 10 and net.undated == 0  # no window: the undated s3 counts


def test_conflict_counts_the_proposals_one_supports_and_the_other_opposes(small: nx.MultiDiGraph) -> None:
    net = network(small, "conflict")
    assert weights(net.graph) == {
        pair("alpha", "beta"): 2,  # plan: alpha supports, beta opposes; quota: alpha opposes, beta supports
        pair("beta", "gamma"): 2,  # the same, gamma's quota in s2
        pair("beta", "delta"): 2,  # the same, delta's quota in the undated s3
    }  # gamma "considers" plan too: considering is no one's opposite
    edge = net.graph.edges["alpha", "beta"]
    assert [(e["proposal"], e["stances"]) for e in edge["evidence"]] == [
        ("plan", [["supports", "opposes"]]), ("quota", [["opposes", "supports"]])]
    assert [c["quote"] for c in edge["evidence"][0]["quotes"]["alpha"]] == ["Alpha backs the plan", "Alpha still backs the plan"]
    assert [c["quote"] for c in edge["evidence"][0]["quotes"]["beta"]] == ["Beta rejects the plan"]


def test_affiliation_weighs_actor_proposal_edges_by_statements(small: nx.MultiDiGraph) -> None:
    g = network(small, "affiliation").graph
    assert {(s, o) if s < o else (o, s): (d["weight"], d["stance"]) for s, o, d in g.edges(data=True)} == {
        ("alpha", "plan"): (2, "supports"),  # two statements (s1, s2), one stance
        ("alpha", "quota"): (1, "opposes"),
        ("beta", "plan"): (1, "opposes"),
        ("beta", "quota"): (1, "supports"),
        ("gamma", "plan"): (2, "supports/considering"),  # supports (s1), considers (s2)
        ("gamma", "quota"): (1, "opposes"),
        ("delta", "plan"): (1, "supports"),
        ("delta", "quota"): (1, "opposes"),
    }
    assert {n: d["bipartite"] for n, d in g.nodes(data=True)} == {
        "alpha": 0, "beta": 0, "gamma": 0, "delta": 0, "plan": 1, "quota": 1}


def test_normalizations_are_dnas(small: nx.MultiDiGraph) -> None:
    # each of alpha, gamma, delta holds 2 (proposal, stance) pairs, gamma 3 (plan: supports and considering)
    average = weights(network(small, "congruence", normalize="average").graph)
    assert average[pair("alpha", "delta")] == 2 / 2 and average[pair("alpha", "gamma")] == 2 / 2.5
    jaccard = weights(network(small, "congruence", normalize="jaccard").graph)
    assert jaccard[pair("alpha", "delta")] == 1 and jaccard[pair("alpha", "gamma")] == 2 / 3
    activity = network(small, "affiliation", normalize="activity").graph
    assert activity.edges["gamma", "plan"]["weight"] == 2 / 3  # 2 of gamma's 3 statements
    prominence = network(small, "affiliation", normalize="prominence").graph
    assert prominence.edges["gamma", "plan"]["weight"] == 2 / 6  # 2 of the 6 on plan
    with pytest.raises(ValueError, match="does not apply to congruence"):
        network(small, "congruence", normalize="activity")


# --------------------------------------------------------------------------- time windows


def test_a_window_keeps_the_statements_dated_in_it_and_counts_the_undated(small: nx.MultiDiGraph) -> None:
    net = network(small, "conflict", until="2024-03")  # s1 only; s2 (June) outside, s3 undated
    assert weights(net.graph) == {pair("alpha", "beta"): 2, pair("beta", "gamma"): 1}
    assert (net.statements, net.outside, net.undated) == (5, 4, 1)
    june = network(small, "congruence", since="2024-06")  # s2 only: alpha and delta support plan
    assert weights(june.graph) == {pair("alpha", "delta"): 1}
    assert network(small, "congruence", since="2024-01", until="2024-01").statements == 5  # 2024-01-15 is in January


def test_a_date_given_to_the_month_is_the_month(small: nx.MultiDiGraph) -> None:
    """As every command reads dates (output/periods.py): s2, "2024-06", may be any day of June."""
    assert network(small, "affiliation", since="2024-06-02").statements == network(small, "affiliation",
                                                                                   since="2024-06").statements
    with pytest.raises(NetworkError, match="no stance statement dated between 2024-07 and the last"):
        network(small, "affiliation", since="2024-07")
    assert network(small, "affiliation", until="2024-06-01").statements == 9


def test_the_command_says_how_many_undated_statements_it_left_out(invoke, tmp_path: Path) -> None:
    assert invoke("build", SMALL, "-o", "small.ttl", "-q").exit_code == 0
    result = invoke("network", "small.ttl", "--kind", "conflict", "--until", "2024-03", "-o", "out.csv")
    assert result.exit_code == 0, result.output
    assert "Left out 1 stance statement without a date" in result.stderr
    plain = invoke("network", "small.ttl", "--kind", "conflict", "-o", "all.csv")
    assert "without a date" not in plain.stderr  # without a window, undated statements count


# --------------------------------------------------------------------------- nothing to write


def test_a_window_with_nothing_in_it_fails_and_writes_nothing(invoke, tmp_path: Path) -> None:
    assert invoke("build", SMALL, "-o", "small.ttl", "-q").exit_code == 0
    result = invoke("network", "small.ttl", "--kind", "congruence", "--since", "2025", "-o", "out.gexf")
    assert result.exit_code == 1
    assert "small.ttl: no stance statement dated between 2025 and the last" in result.stderr
    assert "the dated ones run from 2024-01-15 to 2024-06-01" in result.stderr
    assert not (tmp_path / "out.gexf").exists()


def test_a_graph_without_stances_fails_and_writes_nothing(invoke, tmp_path: Path, corpus) -> None:
    source = corpus.source.replace("relation: supports", "relation: must-approve").replace("    if: cond\n", "")
    (corpus.root / "sources" / "s1.yaml").write_text(source, encoding="utf-8")
    assert invoke("build", ".", "-o", "g.ttl", "-q").exit_code == 0
    result = invoke("network", "g.ttl", "--kind", "affiliation", "-o", "out.csv")
    assert result.exit_code == 1
    assert "the graph has no stances to build a network from" in result.stderr
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("args, message", [
    (["--since", "2024-13"], "'2024-13' is not a date"),
    (["--since", "2024-06", "--until", "2024-01"], "--since 2024-06 is after --until 2024-01"),
    (["--normalize", "jaccard", "--kind", "affiliation"], "does not apply to affiliation"),
    (["-o", "out.txt"], "cannot tell the format"),
])
def test_usage_errors_exit_2(invoke, args: list[str], message: str) -> None:
    assert invoke("build", SMALL, "-o", "small.ttl", "-q").exit_code == 0
    kind = [] if "--kind" in args else ["--kind", "congruence"]
    output = [] if "-o" in args else ["-o", "out.csv"]
    result = invoke("network", "small.ttl", *kind, *args, *output)
    assert result.exit_code == 2 and message in result.stderr


# --------------------------------------------------------------------------- files


def test_gexf_and_graphml_read_back_with_their_weights(invoke, tmp_path: Path) -> None:
    assert invoke("build", SMALL, "-o", "small.ttl", "-q").exit_code == 0
    for name in ("net.gexf", "net.graphml"):
        assert invoke("network", "small.ttl", "--kind", "conflict", "-o", name).exit_code == 0
        g = nx.read_gexf(tmp_path / name) if name.endswith("gexf") else nx.read_graphml(tmp_path / name)
        assert not g.is_directed()
        assert weights(g) == {pair("alpha", "beta"): 2, pair("beta", "gamma"): 2, pair("beta", "delta"): 2}
        d = g.edges["alpha", "beta"]
        assert d["proposals"] == "The plan; The quota" and d["stance"] == "supports/opposes; opposes/supports"
        assert '[The plan] supports: "Alpha backs the plan" (s1, 2024-01-15)' in d["source_quotes"]
        assert '[The quota] supports: "Beta wants the quota" (s1, 2024-01-15)' in d["target_quotes"]
        assert g.nodes["alpha"]["label"] == "Alpha" and g.nodes["alpha"]["cls"] == "actor"


def test_the_format_option_overrides_the_extension(invoke, tmp_path: Path) -> None:
    assert invoke("build", SMALL, "-o", "small.ttl", "-q").exit_code == 0
    assert invoke("network", "small.ttl", "--kind", "affiliation", "--format", "graphml", "-o", "net.xml").exit_code == 0
    assert nx.read_graphml(tmp_path / "net.xml").number_of_edges() == 8


@pytest.mark.parametrize("kind", ["congruence", "conflict", "affiliation"])
def test_csv_is_an_edge_list_matching_its_golden_file(invoke, tmp_path: Path, kind: str) -> None:
    assert invoke("build", SMALL, "-o", "small.ttl", "-q").exit_code == 0
    assert invoke("network", "small.ttl", "--kind", kind, "-o", "net.csv").exit_code == 0
    rows = read_csv(tmp_path / "net.csv")
    assert tuple(rows[0]) == CSV_COLUMNS
    assert all(r["type"] == "Undirected" for r in rows)
    golden = GOLDEN / f"network-{kind}.csv"
    actual = (tmp_path / "net.csv").read_text("utf-8")
    if UPDATE:
        golden.write_text(actual, encoding="utf-8", newline="\n")
    assert actual == golden.read_text("utf-8"), f"{golden.name} differs (STANCEGRAPH_UPDATE_GOLDEN=1 rewrites it)"


def _projection(stances: list[tuple[str, str, str, str]]) -> nx.MultiDiGraph:
    """A projection by hand: (actor, relation, proposal, date) statements, each with a quote of its own."""
    from stancegraph.ontology import vocabulary

    relations = vocabulary().relations
    g = nx.MultiDiGraph()
    for i, (actor, relation, proposal, day) in enumerate(stances):
        for node, cls in ((actor, "actor"), (proposal, "proposal")):
            g.add_node(node, label=node.title(), cls=cls, kind=None)
        st = {"id": f"st{i}", "quote": f"quote {i}", "source": {"id": f"src{i}"}, "date": day,
              "stance": relations[relation].stance}
        if g.has_edge(actor, proposal, relation):
            g.edges[actor, proposal, relation]["statements"].append(st)
        else:
            g.add_edge(actor, proposal, key=relation, relation=relation, statements=[st])
    return g


def test_a_proposal_ties_two_actors_once_even_when_both_changed_their_minds() -> None:
    # a and b both supported, then both opposed, the plan: DNA would count two shared stances; the
    # proposal ties them once (weight 1), with both stances and all four quotes behind the edge
    g = _projection([("a", "supports", "plan", "2024-01"), ("a", "opposes", "plan", "2024-05"),
                     ("b", "supports", "plan", "2024-02"), ("b", "opposes", "plan", "2024-06")])
    edge = network(g, "congruence").graph.edges["a", "b"]
    assert edge["weight"] == 1 and edge["evidence"][0]["stances"] == [["opposes", "opposes"], ["supports", "supports"]]
    assert sorted(c["quote"] for side in edge["evidence"][0]["quotes"].values() for c in side) == [
        "quote 0", "quote 1", "quote 2", "quote 3"]
    assert network(g, "conflict").graph.edges["a", "b"]["weight"] == 1  # a supported while b opposed, and back
    assert weights(network(g, "congruence", until="2024-03").graph) == {pair("a", "b"): 1}  # both supported then
    with pytest.raises(NetworkError, match="no two hold opposite stances"):
        network(g, "conflict", until="2024-03")
