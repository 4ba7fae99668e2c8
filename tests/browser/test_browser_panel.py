"""Issue 13, parts 8 and 6 in headless Chromium, on the example: the panel and the filters answer the analyst's
questions directly, and the page draws the discourse networks.

* "who opposes the stabilization force?": the International Stabilization Force is the multinational-force
  proposal. No actor opposes it outright; what resists it is inherited from the day-after plan it is part of
  (Israel declines to take part until Hamas is defeated and the hostages are released: a conditional refusal).
  Hamas opposes resolution 2803, which is part of the comprehensive plan, not a parent of the force: the
  force's panel does not name Hamas, Hamas's panel and the resolution's do.
* "which conditions block the Palestinian-led force?": its panel lists exactly what ``stancegraph blockers``
  lists, conditions inherited from its parents included and marked "via <parent>".
* search "palestinian force" finds the Palestinian-led force (word by word, across label and aliases).
* congruence and conflict modes draw what output/networks.py computes.

Expected answers come from the library (``blockers``, ``networks.network``) and the projection, never from
the page's own logic."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from stancegraph.ontology import vocabulary
from stancegraph.output.analysis import blockers
from stancegraph.output.networks import network
from stancegraph.output.view import STANCE_STYLE

if TYPE_CHECKING:  # the fixtures live in this folder's conftest.py
    from conftest import ViewPage

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "gaza-day-after"
TEAM_2025 = "team-2025-11-17-resolution-2803"


def pid(node: str) -> str:
    return f"n:{node}"


def search(view: ViewPage, text: str) -> list[str]:
    view.page.fill("#sg-search", "")
    view.page.locator("#sg-search").press_sequentially(text)
    return view.js("[...document.querySelectorAll('#sg-search-results button[data-node]')].map(b => b.getAttribute('data-node'))")


def choose(view: ViewPage, text: str, node: str) -> None:
    """Find a node with the search box and open its panel from the results, as a user would."""
    assert pid(node) in search(view, text), f"searching {text!r} does not list {node}"
    view.page.click(f'#sg-search-results button[data-node="{pid(node)}"]')
    view.page.wait_for_function("(id) => document.querySelector('#sg-details h2') && "
                                "window.stancegraph.network.getSelectedNodes().map(String).includes(id)", arg=pid(node))


_GROUPS_JS = """() => [...document.querySelectorAll('#sg-details .sg-group')].map(g => ({
    group: g.getAttribute('data-group'), colour: getComputedStyle(g.querySelector('h4')).color,
    edges: [...g.querySelectorAll('li[data-edge]')].map(li => li.getAttribute('data-edge')),
    texts: [...g.querySelectorAll('li')].map(li => li.textContent)}))"""


def groups(view: ViewPage) -> dict[str, dict[str, Any]]:
    """The panel's relation groups: stance (or "other") → its heading colour, edges (from, relation, to) and texts."""
    out = {}
    for g in view.js(_GROUPS_JS):
        edges = view.js("(ids) => ids.map(id => { const e = window.stancegraph.edges.get(id); return [e.from, e.relation, e.to]; })", g["edges"])
        out[g["group"]] = {"colour": g["colour"], "edges": sorted(tuple(e) for e in edges), "texts": g["texts"]}
    return out


def rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return f"rgb({int(h[0:2], 16)}, {int(h[2:4], 16)}, {int(h[4:6], 16)})"


def expected_groups(graph: nx.MultiDiGraph, node: str, keep: Any = lambda d: True) -> dict[str, list[tuple[str, str, str]]]:
    out: dict[str, list[tuple[str, str, str]]] = {}
    for s, o, d in graph.edges(data=True):
        if node in (s, o) and keep(d):
            out.setdefault(d["stance"] or "other", []).append((pid(s), d["relation"], pid(o)))
    return {k: sorted(v) for k, v in out.items()}


def open_filters(view: ViewPage) -> None:
    if not view.js("document.getElementById('sg-filters').open"):
        view.page.click("#sg-filters > summary")


# --------------------------------------------------------------------------- who opposes the stabilization force?


def test_who_opposes_the_stabilization_force(view: ViewPage, example_views: dict[str, Path], example: nx.MultiDiGraph) -> None:
    view.open(example_views["yaml"])
    choose(view, "International Stabilization Force", "multinational-force")
    shown = groups(view)
    want = expected_groups(example, "multinational-force")
    assert {k: v["edges"] for k, v in shown.items()} == want
    assert "opposes" not in shown, "no actor opposes the force outright in the example"
    order = [k for k in STANCE_STYLE if k in want] + (["other"] if "other" in want else [])
    assert [g["group"] for g in view.js(_GROUPS_JS)] == order, "groups in the stances' order, then the other relations"
    for stance, g in shown.items():
        if stance in STANCE_STYLE:
            assert g["colour"] == rgb(STANCE_STYLE[stance]["color"]), f"the {stance} heading is not in its colour"
    # the resistance blockers gives: inherited from the day-after plan, a conditional refusal; Hamas is not named
    truth = blockers(example, "multinational-force")
    resists = view.js("[...document.querySelectorAll('#sg-details .sg-resistance > li')].map(li => [li.getAttribute('data-actor'), li.textContent])")
    assert [a for a, _ in resists] == [pid(r["actor"]) for r in truth.resistance] == ["n:israel"]
    assert "Post-war" in resists[0][1] and "inherited" in resists[0][1] and "conditional refusal" in resists[0][1]
    assert "until or if Hamas is defeated" in resists[0][1]
    # Hamas's opposition is to resolution 2803, which its panel and the resolution's show under "opposes"
    choose(view, "hamas", "hamas")
    assert groups(view)["opposes"]["edges"] == [("n:hamas", "opposes", "n:unsc-resolution-2803")]
    choose(view, "resolution 2803", "unsc-resolution-2803")
    on_2803 = groups(view)
    assert on_2803["opposes"]["edges"] == expected_groups(example, "unsc-resolution-2803")["opposes"]
    assert on_2803["supports"]["edges"] == expected_groups(example, "unsc-resolution-2803")["supports"]
    view.assert_clean()


def test_conditional_refusals_count_as_opposition_on_request(view: ViewPage, example_views: dict[str, Path],
                                                            example: nx.MultiDiGraph) -> None:
    refusal = ("n:israel", "declines-to-participate", "n:gaza-day-after-plan")
    assert vocabulary().relations["declines-to-participate"].stance == "opposes"
    assert example.edges["israel", "gaza-day-after-plan", "declines-to-participate"]["stance"] == "conditional"
    view.open(example_views["yaml"])
    choose(view, "israel", "israel")
    shown = groups(view)
    assert refusal in shown["conditional"]["edges"] and refusal not in shown.get("opposes", {"edges": []})["edges"]
    view.page.check("#sg-refusals")
    shown = groups(view)
    assert refusal in shown["opposes"]["edges"] and refusal not in shown.get("conditional", {"edges": []})["edges"]
    text = next(t for t in shown["opposes"]["texts"] if "declines" in t)
    assert "until Hamas is defeated" in text and "until The hostages" in text and "conditional refusal" in text
    # the "opposes" filter now keeps it, the "conditional" one no longer hides it
    open_filters(view)
    view.page.uncheck('#sg-filters input[data-filter="stances"][value="conditional"]')
    edges = view.js("window.stancegraph.visibleEdges().map(id => { const e = window.stancegraph.edges.get(id); return [e.from, e.relation, e.to]; })")
    assert list(refusal) in edges
    view.page.uncheck('#sg-filters input[data-filter="stances"][value="opposes"]')
    edges = view.js("window.stancegraph.visibleEdges().map(id => { const e = window.stancegraph.edges.get(id); return [e.from, e.relation, e.to]; })")
    assert list(refusal) not in edges
    assert "refusals=opposes" in view.js("location.hash")
    view.assert_clean()


def test_the_panel_follows_the_filters(view: ViewPage, example_views: dict[str, Path], example: nx.MultiDiGraph) -> None:
    view.open(example_views["yaml"])
    choose(view, "pentagon", "dod")
    assert {k: v["edges"] for k, v in groups(view).items()} == expected_groups(example, "dod")
    assert "considering" in groups(view)
    open_filters(view)
    view.page.uncheck('#sg-filters input[data-filter="stances"][value="considering"]')
    assert {k: v["edges"] for k, v in groups(view).items()} == expected_groups(example, "dod", lambda d: d["stance"] != "considering")
    view.page.uncheck('#sg-filters input[data-filter="relations"][value="part-of"]')
    keep = lambda d: d["stance"] != "considering" and d["relation"] != "part-of"  # noqa: E731
    assert expected_groups(example, "dod", keep) == {}
    assert groups(view) == {}
    assert "No relation shown" in view.js("document.getElementById('sg-details').textContent")
    assert "Relations" in view.js("[...document.querySelectorAll('#sg-details h3')].map(h => h.textContent)")
    view.assert_clean()


# --------------------------------------------------------------------------- which conditions block the Palestinian-led force?


def test_which_conditions_block_the_palestinian_led_force(view: ViewPage, example_views: dict[str, Path],
                                                          example: nx.MultiDiGraph) -> None:
    truth = blockers(example, "palestinian-led-force")
    assert truth.scope == ["palestinian-led-force", "gaza-peacekeeping-force", "gaza-day-after-plan"]
    view.open(example_views["yaml"])
    choose(view, "palestinian force", "palestinian-led-force")
    listed = view.js("""[...document.querySelectorAll('#sg-details .sg-conditions > li')].map(li => ({
        id: li.getAttribute('data-condition'), status: li.getAttribute('data-status'),
        via: li.querySelector('.sg-via') ? li.querySelector('.sg-via').textContent : null, text: li.textContent}))""")
    assert [(c["id"], c["status"]) for c in listed] == [(pid(c.id), c.status) for c in truth.conditions]
    for c, shown in zip(truth.conditions, listed):
        assert c.label in shown["text"]
        assert shown["via"] == (f" via {example.nodes[c.via]['label']}" if c.via else None)
        assert f"[{c.status}]" in shown["text"]
    assert {c["id"] for c in listed if c["via"]} >= {"n:two-state-commitment", "n:stakeholder-alignment", "n:hostages-released"}
    approvers = view.js("[...document.querySelectorAll('#sg-details .sg-approvers > li')].map(li => [li.getAttribute('data-actor'), li.textContent])")
    assert [a for a, _ in approvers] == [pid(a["actor"]) for a in truth.approvers]
    for a, (_, text) in zip(truth.approvers, approvers):
        assert all(p in text for p in a["preconditions"])
    resists = view.js("[...document.querySelectorAll('#sg-details .sg-resistance > li')].map(li => li.getAttribute('data-actor'))")
    assert resists == [pid(r["actor"]) for r in truth.resistance]
    view.assert_clean()


# --------------------------------------------------------------------------- search and the filters' headings


def test_search_matches_word_by_word_across_label_and_aliases(view: ViewPage, example_views: dict[str, Path],
                                                              example: nx.MultiDiGraph) -> None:
    view.open(example_views["yaml"])
    d = example.nodes["palestinian-led-force"]
    assert "palestinian force" not in d["label"].lower() and not any("palestinian force" in a.lower() for a in d["aliases"])
    for text in ("palestinian force", "force palestinian", "PALESTINIAN   force"):
        found = search(view, text)
        expected = {pid(n) for n, x in example.nodes(data=True)
                    if all(w in "\n".join([n, x["label"], *x["aliases"]]).lower() for w in text.lower().split())}
        assert "n:palestinian-led-force" in found and set(found) == expected, f"{text!r}: {found}"
    assert search(view, "palestinian mission") == ["n:palestinian-led-force"]  # words of one alias
    assert search(view, "palestinian zebra") == []
    view.assert_clean()


def test_stances_and_relations_are_listed_once(view: ViewPage, example_views: dict[str, Path], example: nx.MultiDiGraph) -> None:
    view.open(example_views["yaml"])
    boxes = view.js("""[...document.querySelectorAll('#sg-filters input[type=checkbox]')].map(b => [b.getAttribute('data-filter'), b.value,
        b.closest('.sg-filter-sub') ? b.closest('.sg-filter-sub').getAttribute('data-stance') : b.closest('fieldset').id])""")
    pairs = [(f, v) for f, v, _ in boxes]
    assert len(pairs) == len(set(pairs)), "a filter box is listed twice"
    relations = vocabulary().relations
    present = {d["relation"] for _, _, d in example.edges(data=True)}
    assert {v for f, v, _ in boxes if f == "relations"} == present
    assert {v for f, v, _ in boxes if f == "stances"} == {d["stance"] for _, _, d in example.edges(data=True) if d["stance"]}
    for f, value, where in boxes:
        if f != "relations":
            continue
        stance = relations[value].stance if value in relations else None
        assert where == (stance or "sg-filter-relation"), f"relation {value} is under {where}"
    legend = view.js("document.querySelector('#sg-filter-relation legend').textContent")
    assert legend == "Other relations"
    view.assert_clean()


# --------------------------------------------------------------------------- discourse networks


def drawn_ties(view: ViewPage) -> dict[tuple[str, str], int]:
    ties = view.js("window.stancegraph.visibleEdges().map(id => { const e = window.stancegraph.edges.get(id);"
                   " return [e.from, e.to, e.weight, e.label, e.width]; })")
    out = {}
    for a, b, weight, label, width in ties:
        assert label == str(weight) and width > weight, "the weight is the edge's label and its width"
        out[tuple(sorted((a, b)))] = weight
    return out


def library_ties(graph: nx.MultiDiGraph, kind: str, **window: str) -> dict[tuple[str, str], int]:
    net = network(graph, kind, **window).graph
    return {tuple(sorted((pid(a), pid(b)))): d["weight"] for a, b, d in net.edges(data=True)}


def test_congruence_mode_draws_the_libraries_network(view: ViewPage, fresh_view: ViewPage, example_views: dict[str, Path],
                                                     example: nx.MultiDiGraph) -> None:
    view.open(example_views["yaml"])
    view.page.select_option("#sg-mode", "congruence")
    view.page.wait_for_selector('body[data-mode="congruence"][data-drawn="true"]', state="attached")
    want = library_ties(example, "congruence")
    assert drawn_ties(view) == want and want
    nodes = view.js("window.stancegraph.visibleNodes()")
    assert nodes and all(example.nodes[n[2:]]["cls"] == "actor" for n in nodes), "only actors are drawn"
    assert {n for pair in want for n in pair} <= set(nodes)
    # clicking an edge lists the proposals and the quotes of each side
    (a, b), weight = max(want.items(), key=lambda kv: kv[1])
    net = network(example, "congruence").graph
    evidence = net.edges[a[2:], b[2:]]["evidence"]
    text = view.click("edge", f"dn:{a}|{b}", [example.nodes[a[2:]]["label"], example.nodes[b[2:]]["label"]])
    for e in evidence:
        assert e["label"] in text
        for side in e["quotes"].values():
            for c in side:
                assert c["quote"] in text
    assert "mode=congruence" in view.js("location.hash")
    # a link reopens the same mode
    fresh_view.open(example_views["yaml"], view.js("location.hash"))
    assert fresh_view.js("document.getElementById('sg-mode').value") == "congruence"
    assert drawn_ties(fresh_view) == want
    # the source filter: without the 2025 note, the 2024 network
    open_filters(view)
    view.page.uncheck(f'#sg-filters input[data-filter="sources"][value="{TEAM_2025}"]')
    assert drawn_ties(view) == library_ties(example, "congruence", until="2024-12-31")
    view.page.select_option("#sg-mode", "stances")
    assert not any(e.startswith("dn:") for e in view.js("window.stancegraph.visibleEdges()"))
    view.assert_clean()
    fresh_view.assert_clean()


def test_conflict_mode_sets_hamas_against_the_backers_of_resolution_2803(view: ViewPage, example_views: dict[str, Path],
                                                                          example: nx.MultiDiGraph) -> None:
    backers = {s for s, o, d in example.in_edges("unsc-resolution-2803", data=True) if d["stance"] == "supports"}
    assert backers == {"un-security-council", "palestinian-authority", "united-states"}
    view.open(example_views["yaml"], "#mode=conflict")
    want = library_ties(example, "conflict")
    assert want == {tuple(sorted(("n:hamas", pid(b)))): 1 for b in backers}
    assert drawn_ties(view) == want
    text = view.click("edge", "dn:n:hamas|n:un-security-council", ["Hamas", "UN Security Council"])
    assert "Hamas rejected it" in text and "the UN Security Council adopted resolution 2803" in text
    assert "supports / opposes" in text or "opposes / supports" in text
    view.assert_clean()


def test_a_page_focused_on_a_proposal_opens_with_what_blocks_it(view: ViewPage, cli: Any, tmp_path: Path,
                                                                example: nx.MultiDiGraph) -> None:
    """--focus draws a neighbourhood, yet the panel says what the command line says of the whole graph: the
    day-after plan, two steps up, is not drawn and its conditions are listed all the same."""
    cli("view", EXAMPLE, "--focus", "palestinian-led-force", "--depth", "1", "-o", tmp_path / "focus.html")
    view.open(tmp_path / "focus.html")
    assert "n:gaza-day-after-plan" not in view.js("window.stancegraph.visibleNodes()")
    view.page.wait_for_selector("#sg-details .sg-conditions > li", state="attached")
    listed = view.js("[...document.querySelectorAll('#sg-details .sg-conditions > li')].map(li => li.getAttribute('data-condition'))")
    assert listed == [pid(c.id) for c in blockers(example, "palestinian-led-force").conditions]
    assert "relations" in view.js("document.getElementById('sg-details').textContent").lower()
    view.assert_clean()
