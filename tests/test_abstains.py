"""An actor that abstains (a vote on a plan) has a relation and a stance of its own, not 'undecided'."""

from __future__ import annotations

from pathlib import Path

from sgtest import DATA, run

from stancegraph.ontology import vocabulary

FIXTURE = DATA / "abstains"


def test_abstains_is_a_relation_with_the_abstaining_stance() -> None:
    relation = vocabulary().relations["abstains"]
    assert (relation.subject, relation.object, relation.stance) == ("actor", "proposal", "abstains")


def test_abstentions_reach_the_graph_matrix_and_stats(tmp_path: Path) -> None:
    out = tmp_path / "vote.ttl"
    built = run("build", FIXTURE, "-o", out, "--cache", tmp_path / "cache", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "sg:stance sg:Abstaining" in out.read_text("utf-8")
    matrix = run("matrix", out, cwd=tmp_path).stdout.decode()
    rows = {line.split()[0]: line.split()[-1] for line in matrix.splitlines()[2:]}
    assert rows == {"China": "abstains", "Russia": "abstains", "United": "supports"}
    stats = run("stats", out, cwd=tmp_path).stdout.decode()
    stances = stats.split("Statements by stance:")[1].split("\n\n")[0]
    assert "2  abstains" in stances and "undecided" not in stances
