"""The analyses behind matrix, blockers, contradictions and stats, called as a library.

On the Gaza example (its projection), on the invented corpus of tests/data/explore/contradictions/, on
small hand-made cases, and on the 10,000-node synthetic projection of benchmarks/view.py.
"""

from __future__ import annotations

import importlib.util
import random
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from stancegraph.output import project
from stancegraph.output.graphfile import load_dataset
from stancegraph.output.analysis import (
    STANCE_ORDER,
    UnknownNode,
    blockers,
    contradictions,
    find_node,
    number_text,
    stance_matrix,
    stats,
)
from stancegraph.output.projection import CONDITION_OF, PART_OF

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "gaza-day-after"
FIXTURE = Path(__file__).parent / "data" / "explore" / "contradictions"


def _synthetic(n: int) -> nx.MultiDiGraph:
    spec = importlib.util.spec_from_file_location("stancegraph_benchmarks_view", ROOT / "benchmarks" / "view.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic(n)


@pytest.fixture(scope="module")
def gaza() -> nx.MultiDiGraph:
    """The example as of the March 2024 reports (its 2025 note left out: tests/test_periods.py covers time)."""
    from stancegraph.output.periods import Window, within

    return within(project(load_dataset([EXAMPLE])), Window(until="2024-12"))[0]


@pytest.fixture(scope="module")
def fixture() -> nx.MultiDiGraph:
    return project(load_dataset([FIXTURE]))


def _statement(i: int, stance: str | None, *, source: str = "s", date: str = "2024-03-01", status: str | None = None,
               if_: tuple[str, ...] = (), until: tuple[str, ...] = (), quantity: dict | None = None) -> dict:
    return {"id": f"st{i}", "iri": f"urn:x:st{i}", "quote": f"quote {i}",
            "source": {"id": source, "title": source.title(), "publisher": None, "published": date, "url": None},
            "date": date, "since": None, "stance": stance, "hedges": [], "status": status, "regarding": None,
            "if": list(if_), "until": list(until), "according_to": [], "note": None, "quantity": quantity}


def _node(g: nx.MultiDiGraph, node: str, cls: str, label: str | None = None) -> None:
    g.add_node(node, iri=f"urn:x:{node}", cls=cls, kind=None, label=label or node.title(), aliases=[], description=None,
               wikidata=None, unmet=False)


# --------------------------------------------------------------------------- example


def test_matrix_of_the_example(gaza):
    m = stance_matrix(gaza)
    assert m.actors == ["biden-administration", "international-partners", "israel", "pa-security-personnel",
                        "regional-partners", "dod", "state-department", "white-house"]  # by label
    assert m.proposals == ["multinational-force", "palestinian-led-force", "gaza-peacekeeping-force", "gaza-day-after-plan",
                           "gaza-reconstruction-aid"]
    assert m.cell_text("israel", "gaza-day-after-plan") == (
        "conditional [must approve] (until Hamas is defeated; until The hostages seized on October 7 are released)")
    assert m.cell_text("israel", "multinational-force") == ""
    assert m.rows()[0] == {"actor": "Biden administration", "Multinational stabilization force": "",
                           "Palestinian-led peacekeeping force": "", "Peacekeeping force for post-war Gaza": "considering",
                           'Post-war ("day after") plan for Gaza': "",
                           "U.S. aid for humanitarian assistance, reconstruction and infrastructure in Gaza": ""}


def test_blockers_of_the_example(gaza):
    b = blockers(gaza, "gaza-day-after-plan")
    assert [(c.id, c.status) for c in b.conditions] == [
        ("two-state-commitment", "unmet"), ("hamas-defeated", "unmet"), ("israel-approval", "unmet"),
        ("hostages-released", "unmet")]
    assert [a["actor"] for a in b.approvers] == ["israel"]
    assert b.approvers[0]["preconditions"] == ["Hamas is defeated", "The hostages seized on October 7 are released"]
    two_state = next(c for c in b.conditions if c.id == "two-state-commitment")
    assert [d["actor"] for d in two_state.demanded_by] == ["regional-officials"]
    approval = next(c for c in b.conditions if c.id == "israel-approval")
    assert {d["actor"] for d in approval.controlled_by} == {"israel"}
    # a sub-proposal inherits all of it, and adds its own
    sub = blockers(gaza, "palestinian-led-force")
    assert {c.id for c in b.conditions} < {c.id for c in sub.conditions}
    assert sub.approvers == b.approvers


def test_find_node(gaza):
    assert find_node(gaza, "Pentagon") == "dod"
    assert find_node(gaza, "day after", "proposal") == "gaza-day-after-plan"
    assert find_node(gaza, "  TWO-STATE solution ", "condition") == "two-state-commitment"
    with pytest.raises(UnknownNode, match=r"Did you mean 'gaza-day-after-plan'\?"):
        find_node(gaza, "gaza-day-afterplan", "proposal")
    with pytest.raises(UnknownNode, match="no proposal 'dod'"):
        find_node(gaza, "dod", "proposal")


def test_stats_of_the_example(gaza):
    s = stats(gaza, top=3)
    assert s["nodes"] == {"actor": 23, "proposal": 8, "condition": 8}  # a window keeps the registry's entries
    assert [a["actor"] for a in s["central_actors"]] == ["israel", "biden-administration", "dod"]
    assert s == stats(gaza, top=3)


def test_the_example_has_no_contradictions(gaza):
    assert contradictions(gaza) == []


# --------------------------------------------------------------------------- the invented corpus


def test_contradictions_of_the_fixture(fixture):
    found = contradictions(fixture)
    assert [(c.kind, c.subject, c.relation, c.object) for c in found] == [
        ("stance", "northland", "stance", "harbour-treaty"),
        ("stance-change", "southland", "stance", "joint-patrol"),
        ("condition-status", "ceasefire-holds", "status", "ceasefire-holds"),
        ("status-change", "observers-deployed", "status", "observers-deployed"),  # unmet in January, met in March
        ("quantity", "coastal-league", "funds", "joint-patrol"),
    ]


# --------------------------------------------------------------------------- hand-made cases


def _pair(statements: list[dict], relation: str = "supports") -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    _node(g, "a", "actor")
    _node(g, "p", "proposal")
    for c in ("c", "d"):
        _node(g, c, "condition")
    stances = {st["stance"] for st in statements}
    g.add_edge("a", "p", key=relation, relation=relation, label=relation, statements=statements,
               stance="conditional" if "conditional" in stances else sorted(s for s in stances if s)[0])
    return g


def test_same_stance_everywhere_is_no_contradiction():
    g = _pair([_statement(1, "supports", source="x", date="2024-01-01"), _statement(2, "supports", source="y", date="2024-02-01")])
    assert contradictions(g) == []


def test_stance_change_over_time_is_reported_first_to_last():
    g = _pair([_statement(2, "supports", source="later", date="2024-05"),
               _statement(1, "conditional", source="early", date="2024-01-15", if_=("c",))])
    [c] = contradictions(g)
    assert c.kind == "stance-change"
    assert c.summary == "A on P: conditional (2024-01-15) → supports (2024-05)"
    assert [e["source"] for e in c.evidence] == ["early", "later"]


def test_different_stances_on_the_same_day_are_no_change():
    g = _pair([_statement(1, "supports", source="x"), _statement(2, "conditional", source="x", if_=("c",))])
    assert contradictions(g) == []


def test_condition_status_disagreement_across_relations():
    """'P requires C (met)' and 'A demands C for P (unmet)' disagree on C."""
    g = nx.MultiDiGraph()
    for node, cls in (("a", "actor"), ("p", "proposal"), ("c", "condition")):
        _node(g, node, cls)
    met, unmet = _statement(1, None, source="x", status="met"), _statement(2, None, source="y", status="unmet")
    g.add_edge("p", "c", key="requires", relation="requires", label="requires", stance=None, statements=[met])
    g.add_edge("a", "c", key="demands", relation="demands", label="demands", stance=None, statements=[unmet])
    g.add_edge("c", "p", key=CONDITION_OF, relation=CONDITION_OF, label="condition of", stance=None, statements=[unmet])
    [c] = contradictions(g)
    assert (c.kind, c.subject, c.object) == ("condition-status", "c", "c")
    assert c.summary == "sources disagree whether C is met: met per x; unmet per y"
    assert [(e["status"], e["source"]) for e in c.evidence] == [("met", "x"), ("unmet", "y")]  # once each
    assert blockers(g, "p").conditions[0].status == "contested"


def test_quantities_are_written_out():
    g = _pair([_statement(1, "supports", source="x", quantity={"value": 1.5e9, "unit": "USD", "approximate": False}),
               _statement(2, "supports", source="y", quantity={"value": 2_000_000_000, "unit": "USD", "approximate": True})],
              relation="funds")
    [c] = contradictions(g)
    assert c.summary == "sources give different quantities for A funds P: 1500000000 USD, 2000000000 USD"
    assert [number_text(v) for v in (20000, 20000.0, 2.5, 1.5e9, 0.125)] == ["20000", "20000", "2.5", "1500000000", "0.125"]


def test_support_is_no_resistance_outright_or_on_condition():
    g = _pair([_statement(1, "supports", source="x"), _statement(2, "conditional", source="y", if_=("c",))])
    b = blockers(g, "p")
    assert b.resistance == []
    assert [c.id for c in b.conditions] == ["c"]
    assert [(x["when"], x["source"]) for x in b.conditions[0].stances] == [("if", "y")]


def test_opposition_is_resistance_outright_or_until_a_condition():
    g = _pair([_statement(1, "opposes", source="x"), _statement(2, "conditional", source="y", until=("c",))],
              relation="opposes")
    b = blockers(g, "p")
    assert [(r["stance"], r["source"]) for r in b.resistance] == [("opposes", "x"), ("conditional", "y")]


def test_matrix_cell_lists_stances_in_order():
    g = _pair([_statement(i, s, source=f"s{i}") for i, s in enumerate(reversed(STANCE_ORDER))])
    m = stance_matrix(g)
    assert m.cells[("a", "p")]["stances"] == list(STANCE_ORDER)


# --------------------------------------------------------------------------- 10,000 nodes


@pytest.fixture(scope="module")
def big() -> nx.MultiDiGraph:
    """benchmarks/view.py's synthetic projection, plus a stance flip, a disputed condition and two quantities."""
    g = _synthetic(10_000)
    supports = next((s, o) for s, o, d in g.edges(data=True) if d["relation"] == "supports")
    requires = next((s, o) for s, o, d in g.edges(data=True) if d["relation"] == "requires" and s != supports[1])

    def planted(i: int, **kw) -> dict:
        return _statement(90_000 + i, kw.pop("stance", None), source=f"planted-{i}", **kw)

    g.add_edge(*supports, key="opposes-planted", relation="opposes", label="opposes", stance="opposes",
               statements=[planted(1, stance="opposes")])
    g.add_edge(*requires, key="requires-planted", relation="requires", label="requires", stance=None,
               statements=[planted(2, status="met"), planted(3, status="unmet")])
    g.add_edge("actor-0", "proposal-6", key="funds-planted", relation="funds", label="funds", stance="supports",
               statements=[planted(4, stance="supports", quantity={"value": 10, "unit": "boats", "approximate": False}),
                           planted(5, stance="supports", quantity={"value": 12, "unit": "boats", "approximate": False})])
    g.graph["planted"] = {"supports": supports, "requires": requires}
    return g


def test_big_matrix(big):
    m = stance_matrix(big)
    pairs = {(s, o) for s, o, d in big.edges(data=True) if big.nodes[s]["cls"] == "actor" and big.nodes[o]["cls"] == "proposal"}
    assert set(m.cells) == pairs
    assert set(m.actors) == {a for a, _ in pairs} and set(m.proposals) == {p for _, p in pairs}
    assert len(m.actors) > 5000 and len(m.proposals) > 2900
    assert m.cells[big.graph["planted"]["supports"]]["stances"] == ["opposes", "supports"]
    assert Counter(tuple(c["stances"]) for c in m.cells.values()) == {("supports",): len(pairs) - 1, ("opposes", "supports"): 1}


def test_big_blockers(big):
    proposal, condition = big.graph["planted"]["requires"]
    b = blockers(big, big.nodes[proposal]["label"])
    required = {o for _, o, d in big.out_edges(proposal, data=True) if d["relation"] == "requires"}
    assert {c.id for c in b.conditions} == required
    assert {c.id: c.status for c in b.conditions}[condition] == "contested"
    assert all(c.status == "unknown" for c in b.conditions if c.id != condition)
    assert b.approvers == [] and b.resistance == []
    with pytest.raises(UnknownNode, match="Did you mean"):
        blockers(big, f"{proposal}x")


def test_big_contradictions(big):
    found = contradictions(big)
    supports, requires = big.graph["planted"]["supports"], big.graph["planted"]["requires"]
    assert [(c.kind, c.subject, c.object) for c in found] == [
        ("stance", *supports), ("condition-status", requires[1], requires[1]), ("quantity", "actor-0", "proposal-6")]


def test_big_stats(big):
    s = stats(big, top=10)
    assert s["nodes"] == {"actor": 6000, "proposal": 3000, "condition": 1000}
    assert s["statements"] == 20_000 + 5
    assert s["relations"] == dict(sorted(Counter(
        d["relation"] for _, _, d in big.edges(data=True) for _ in d["statements"]).items(), key=lambda kv: (-kv[1], kv[0])))
    assert s["sources"] == 1 + 5 and s["sources_per_outlet"] == {"(not named)": 5, "Outlet": 1}
    undirected = nx.Graph()
    undirected.add_nodes_from(big)
    undirected.add_edges_from(big.edges())
    top = max(undirected.degree(n) for n, d in big.nodes(data=True) if d["cls"] == "actor")
    actors = s["central_actors"]
    assert len(actors) == 10 and actors[0]["degree"] == top
    assert [a["degree"] for a in actors] == sorted((a["degree"] for a in actors), reverse=True)
    assert all(big.nodes[a["actor"]]["cls"] == "actor" and 0 <= a["betweenness"] <= 1 for a in actors)


def test_stats_do_not_depend_on_the_order_of_nodes():
    """Betweenness is sampled above 200 nodes: the sample must not follow the projection's (store) order."""
    g = _synthetic(1_000)
    nodes = list(g.nodes(data=True))
    random.Random(3).shuffle(nodes)
    shuffled = nx.MultiDiGraph()
    shuffled.add_nodes_from(nodes)
    shuffled.add_edges_from(reversed(list(g.edges(keys=True, data=True))))
    assert stats(shuffled) == stats(g)


def test_part_of_edges_are_no_relation(gaza):
    s = stats(gaza)
    assert PART_OF not in s["relations"] and CONDITION_OF not in s["relations"]
