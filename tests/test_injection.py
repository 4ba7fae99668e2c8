"""No input reaches the output unescaped (issue 16): an id tag of a Web Annotation with a space or a line
break in it is refused with a message, and an IRI term can never end early whatever it is made from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sgtest import DATA, run
from stancegraph.graph import InputProblems, build_compiled
from stancegraph.graph.emit import iri

WEBANNO = DATA / "webanno"
INJECTED = "x> <https://evil.example/s> <https://evil.example/p> \"pwned\" .\n<https://evil.example/t"


def with_id_tag(tmp_path: Path, value: str) -> Path:
    folder = tmp_path / "webanno"
    shutil.copytree(WEBANNO, folder)
    page = folder / "fishing-accord.jsonld"
    data = json.loads(page.read_text("utf-8"))  # an AnnotationCollection: its first page holds the annotations
    first = next(a for a in data["first"]["items"] if a.get("motivation") == "tagging")
    first["body"].append({"type": "TextualBody", "purpose": "tagging", "value": f"id:{value}"})
    page.write_text(json.dumps(data), "utf-8")
    return folder


@pytest.mark.parametrize("value", ["X Y", INJECTED, "Upper", "a/b"])
def test_an_id_tag_that_is_no_id_is_refused(tmp_path: Path, value: str) -> None:
    folder = with_id_tag(tmp_path, value)
    with pytest.raises(InputProblems) as caught:
        build_compiled([folder], shacl=False)
    (problem,) = caught.value.problems
    assert problem.message == f"id: {value!r} is not an id" and "lower-case letters" in problem.hint
    out = tmp_path / "g.nt"
    done = run("build", folder, "--no-shacl", "-o", out, cwd=tmp_path)
    assert done.returncode == 1 and not out.exists()
    # leaving it out (--skip-invalid) builds the rest, and nothing of the tag reaches the output
    done = run("build", folder, "--no-shacl", "--skip-invalid", "-o", out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert "evil.example" not in out.read_text("utf-8")


def test_an_iri_term_never_ends_early() -> None:
    assert iri("https://example.org/a") == "<https://example.org/a>"
    term = iri("https://example.org/" + INJECTED)
    assert term.count("<") == term.count(">") == 1 and "\n" not in term and " " not in term and '"' not in term
    assert iri('https://example.org/{a}|b^c`d\\e') == "<https://example.org/%7Ba%7D%7Cb%5Ec%60d%5Ce>"


@pytest.mark.parametrize("fmt", ["nt", "ttl", "nq"])
def test_a_literal_with_an_angle_bracket_reaches_every_output_whole(tmp_path: Path, fmt: str) -> None:
    """Found by tests/test_fuzz.py on a coding sheet: the N-Quads → N-Triples step took the ' <' in a title
    for the start of the graph name and cut the line, writing a file nothing could read."""
    import pyoxigraph

    from sgtest import EXAMPLE

    folder = tmp_path / "gaza"
    shutil.copytree(EXAMPLE, folder)
    source = folder / "sources" / "newsmax-2024-03-pentagon-gaza-force.yaml"
    text = source.read_text("utf-8")
    title = 'Neue Fähren <ab Juli, "quoted"'
    start = text.index("  title:")
    end = text.index("\n", start)
    source.write_text(text[:start] + "  title: " + json.dumps(title) + text[end:], "utf-8")
    out = tmp_path / f"g.{fmt}"
    done = run("build", folder, "--no-cache", "-o", out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    syntax = {"nt": pyoxigraph.RdfFormat.N_TRIPLES, "ttl": pyoxigraph.RdfFormat.TURTLE, "nq": pyoxigraph.RdfFormat.N_QUADS}
    titles = {q.object.value for q in pyoxigraph.parse(path=str(out), format=syntax[fmt])
              if q.predicate.value == "http://purl.org/dc/terms/title"}
    assert title in titles
