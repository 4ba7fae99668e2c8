"""The command line on valid input: build in every format, --format, -o -, usage errors, validate, view."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from sgtest import EXAMPLE, FORMAT_IDS, FORMATS, Format, run

from stancegraph.graph import Built
from stancegraph.output import serialize


def quad_count(built: Built) -> int:
    return sum(len(graph) for graph in built.dataset.graphs())


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
def test_build_writes_the_format_of_the_extension(invoke, tmp_path: Path, example_built: Built, fmt: Format) -> None:
    out = tmp_path / "out" / f"gaza{fmt.ext}"  # the folder does not exist yet

    result = invoke("build", EXAMPLE, "-o", out)

    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    data = out.read_bytes()
    assert data == serialize(example_built.dataset, fmt.name)
    assert result.stderr == (
        f"Wrote out/gaza{fmt.ext}: {fmt.name}, 3 sources (3 built, 0 from the cache), "
        f"{quad_count(example_built):,} quads, {len(data):,} bytes.\n"
    )
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no temporary file left behind


def test_build_message_counts_the_quads_written(invoke, tmp_path: Path) -> None:
    out = tmp_path / "gaza.nq"

    result = invoke("build", EXAMPLE, "-o", out)

    assert result.exit_code == 0, result.output
    lines = out.read_text("utf-8").splitlines()
    assert f", {len(lines):,} quads, " in result.stderr


def test_a_second_build_comes_from_the_cache_and_is_identical(invoke, tmp_path: Path) -> None:
    first = invoke("build", EXAMPLE, "-o", tmp_path / "first.trig")
    second = invoke("build", EXAMPLE, "-o", tmp_path / "second.trig")
    fresh = invoke("build", EXAMPLE, "--no-cache", "-o", tmp_path / "fresh.trig")

    assert first.exit_code == second.exit_code == fresh.exit_code == 0
    assert "(3 built, 0 from the cache)" in first.stderr
    assert "(0 built, 3 from the cache)" in second.stderr
    assert (tmp_path / ".cache" / "stancegraph").is_dir()  # the test's own XDG_CACHE_HOME, not ~/.cache
    data = (tmp_path / "first.trig").read_bytes()
    assert (tmp_path / "second.trig").read_bytes() == data
    assert (tmp_path / "fresh.trig").read_bytes() == data


def test_an_unchanged_streamed_output_is_up_to_date_and_a_lost_entry_is_built_again(invoke, tmp_path: Path) -> None:
    out = tmp_path / "gaza.nt"
    assert invoke("build", EXAMPLE, "-o", out).exit_code == 0
    again = invoke("build", EXAMPLE, "-o", out)
    assert again.stderr.startswith("Up to date: gaza.nt: nt, 3 sources (0 built, 3 from the cache)"), again.stderr
    for entry in (tmp_path / ".cache" / "stancegraph").glob("??/*.nt"):
        entry.unlink()  # the build record still vouches for them
    out.unlink()
    rebuilt = invoke("build", EXAMPLE, "-o", out)
    assert rebuilt.stderr.startswith("Wrote gaza.nt: nt, 3 sources (3 built, 0 from the cache)"), rebuilt.stderr
    assert out.read_bytes() == invoke("build", EXAMPLE, "--no-cache", "-o", "-", "-f", "nt").stdout_bytes


def test_a_cache_that_cannot_be_written_is_named_with_what_to_do(invoke, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder", "utf-8")
    result = invoke("build", EXAMPLE, "-o", tmp_path / "gaza.nt", "--cache", tmp_path / "a-file" / "cache")
    assert result.exit_code == 1 and not (tmp_path / "gaza.nt").exists()
    assert "cannot write the build cache in a-file/cache (Not a directory). Give another folder with --cache DIR" in result.stderr


def test_cache_files_get_the_permissions_of_new_files(invoke, tmp_path: Path) -> None:
    from stancegraph.graph.files import new_file_mode

    assert invoke("build", EXAMPLE, "-o", tmp_path / "gaza.nt").exit_code == 0
    cache = tmp_path / ".cache" / "stancegraph"
    files = [*cache.glob("??/*.nt"), *cache.glob("builds/*.json"), *cache.glob("registries/*.json")]
    assert len(files) >= 4 and {f.stat().st_mode & 0o777 for f in files} == {new_file_mode()}


@pytest.mark.parametrize("command", ["build", "validate"])
def test_a_graph_file_given_as_annotations_is_named_as_such(invoke, tmp_path: Path, command: str) -> None:
    graph = tmp_path / "gaza.ttl"
    assert invoke("build", EXAMPLE, "-o", graph).exit_code == 0
    result = invoke(command, "gaza.ttl", EXAMPLE)
    assert result.exit_code == 1
    assert "gaza.ttl: a graph file (RDF), not an annotation file. build and validate read annotation files" in result.output


def test_a_file_that_is_no_annotation_is_named_as_such(invoke, tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# notes\n", "utf-8")
    result = invoke("validate", "notes.md")
    assert result.exit_code == 1
    assert "notes.md: not an annotation file. Annotation files are YAML (.yaml, .yml)" in result.output


def test_depth_without_focus_is_a_usage_error(invoke, tmp_path: Path) -> None:
    result = invoke("view", EXAMPLE, "--depth", "2", "-o", tmp_path / "v.html")
    assert result.exit_code == 2 and "--depth goes with --focus" in result.stderr
    assert not (tmp_path / "v.html").exists()


@pytest.mark.parametrize(
    ("option", "name"),
    [("nquads", "nquads"), ("N-Quads", "nquads"), ("ttl", "turtle"), ("jsonld", "json-ld"), ("ntriples", "nt"), ("TriG", "trig")],
)
def test_format_option_wins_over_the_extension(invoke, tmp_path: Path, example_built: Built, option: str, name: str) -> None:
    out = tmp_path / "graph.data"

    result = invoke("build", EXAMPLE, "--format", option, "-o", out, "--no-shacl", "--quiet")

    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert out.read_bytes() == serialize(example_built.dataset, name)


def test_output_dash_writes_the_graph_and_nothing_else_to_stdout(tmp_path: Path, example_built: Built) -> None:
    done = run("build", EXAMPLE, "-f", "nquads", "-o", "-", cwd=tmp_path)

    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == serialize(example_built.dataset, "nquads")
    assert done.stderr.decode() == (
        f"Wrote standard output: nquads, 3 sources (3 built, 0 from the cache), {quad_count(example_built):,} quads, "
        f"{len(done.stdout):,} bytes.\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == [".cache"]


def test_output_dash_is_turtle_by_default(invoke, example_built: Built) -> None:
    result = invoke("build", EXAMPLE, "-o", "-", "--no-shacl", "-q")

    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == serialize(example_built.dataset, "turtle")
    assert result.stderr == ""


def test_unknown_format_is_a_usage_error(invoke, tmp_path: Path) -> None:
    out = tmp_path / "gaza.ttl"

    result = invoke("build", EXAMPLE, "--format", "rdfxml", "-o", out)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Invalid value for '--format': unknown format 'rdfxml'" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("name", ["gaza.xyz", "gaza"])
def test_unknown_extension_is_a_usage_error(invoke, tmp_path: Path, name: str) -> None:
    result = invoke("build", EXAMPLE, "-o", tmp_path / name)

    assert result.exit_code == 2
    assert "Invalid value for '--output': cannot tell the format from the extension" in result.stderr
    assert "--format" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_usage_errors_exit_2_in_a_subprocess(tmp_path: Path) -> None:
    done = run("build", EXAMPLE, "--format", "nope", "-o", "-", cwd=tmp_path)

    assert done.returncode == 2
    assert done.stdout == b""
    assert b"Usage: stancegraph build" in done.stderr
    assert b"Traceback" not in done.stderr


def test_missing_input_is_reported_not_raised(invoke) -> None:
    result = invoke("validate", "no-such-folder")

    assert result.exit_code == 1
    assert result.stdout == "no-such-folder: no such file or folder. Check the path.\n"
    assert result.stderr == "Error: 1 problem in 1 file\n"


def expected_ok_line(folder: Path) -> str:
    """The OK line of ``validate``, counted from the YAML itself rather than by stancegraph."""
    registry = yaml.safe_load((folder / "registry.yaml").read_text("utf-8"))
    entries = sum(len(registry.get(section) or {}) for section in ("actors", "proposals", "conditions"))
    sources = [yaml.safe_load(p.read_text("utf-8")) for p in sorted((folder / "sources").glob("*.yaml"))]
    statements = sum(len(s["statements"]) for s in sources)
    return f"OK: {len(sources)} sources, {statements} statements, {entries} registry entries.\n"


def test_validate_example_prints_the_ok_line(invoke) -> None:
    result = invoke("validate", EXAMPLE)

    assert result.exit_code == 0, result.output
    assert result.stdout == expected_ok_line(EXAMPLE)
    assert result.stderr == ""


def test_validate_example_in_a_subprocess(tmp_path: Path) -> None:
    done = run("validate", EXAMPLE, cwd=tmp_path)

    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode() == expected_ok_line(EXAMPLE)
    assert done.stderr == b""


# --------------------------------------------------------------------------- view


def page_data(html: str) -> dict:
    match = re.search(r'<script id="sg-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the page has no data element"
    return json.loads(match.group(1))


def registry_labels() -> set[str]:
    """The entries' labels in the registry's language (English: some entries have Arabic and Hebrew ones too)."""
    from stancegraph.graph import load

    return {entity.label for entity in load([EXAMPLE / "registry.yaml"]).registry.entities.values()}


def assert_offline_page(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", html), "the page loads something from outside"
    assert "default-src 'none'" in html  # the Content-Security-Policy


def test_view_from_the_source_folder(invoke, tmp_path: Path) -> None:
    out = tmp_path / "gaza.html"

    result = invoke("view", EXAMPLE, "-o", out)

    assert result.exit_code == 0, result.output
    assert result.stderr == "Wrote gaza.html: open it in a browser.\n"
    html = out.read_text("utf-8")
    assert_offline_page(html)
    assert "<title>Who backs a peacekeeping force for post-war Gaza</title>" in html
    assert {node["fullLabel"] for node in page_data(html)["nodes"]} == registry_labels()  # a node for every entry


def test_view_from_each_graph_file_equals_the_view_from_the_sources(
    invoke, tmp_path: Path, example_outputs: dict[str, Path]
) -> None:
    result = invoke("view", EXAMPLE, "-o", tmp_path / "from-sources.html", "--title", "Gaza")
    assert result.exit_code == 0, result.output
    expected = page_data((tmp_path / "from-sources.html").read_text("utf-8"))

    for fmt in FORMATS:
        graph = example_outputs[fmt.ext.lstrip(".")]
        page = tmp_path / f"from{fmt.ext}.html"
        result = invoke("view", graph, "-o", page, "--title", "Gaza")

        assert result.exit_code == 0, f"{fmt.name}: {result.output}"
        html = page.read_text("utf-8")
        assert_offline_page(html)
        assert page_data(html) == expected, f"the view of the {fmt.name} file differs"
