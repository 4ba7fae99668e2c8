"""Lenient runs (issue 17, part 5): ``--skip-invalid`` builds what is valid, leaves out each broken
statement or annotation with a warning naming its file and line, reports a follow-on error once at its
cause, and ends with counts; what breaks a whole file still fails, and so does a run that leaves nothing.

tests/data/arguments/news-broken is the news fixture (brat's news tutorial's traps: a sentence annotated
at two places, Report events over relations, an alias joining two different names) with five lines
added: a report with one participant (E3), a relation and an attribute pointing at a span that was
deleted (R6, A1 → T15, and a Report over R6), an attribute type the scheme does not declare (A1), and a
span whose words are not the text's (T16)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sgtest import DATA, EXAMPLE, run
from stancegraph.graph import InputProblems, build, build_compiled, load

NEWS = DATA / "arguments" / "news"
BROKEN = DATA / "arguments" / "news-broken"


def warnings_of(stderr: bytes) -> list[str]:
    return [line for line in stderr.decode().splitlines() if line.startswith("Warning:")]


def statements_of(paths: list[Path]) -> list[tuple]:
    corpus = load(paths, invalid=[])
    return sorted((st.subject, st.relation, st.object, st.start, st.according_to)
                  for source in corpus.sources for st in source.statements)


def test_the_broken_news_fails_without_the_flag_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "news.ttl"
    done = run("build", BROKEN, "-o", out, cwd=tmp_path)
    assert done.returncode == 1
    assert not out.exists()
    assert "4 problems in 1 file" in done.stderr.decode()


def test_skip_invalid_builds_the_rest_with_one_warning_per_cause(tmp_path: Path) -> None:
    out = tmp_path / "news.ttl"
    done = run("build", BROKEN, "--skip-invalid", "-o", out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert out.exists()
    left_out = [w for w in warnings_of(done.stderr) if w.startswith("Warning: left out:")]
    places = [re.search(r"harbor-news\.ann:(\d+):", w).group(1) for w in left_out]  # type: ignore[union-attr]
    # one per cause: the one-participant report, the deleted span (named once, with both annotations
    # that point at it), the undeclared attribute type, the span that does not read its words
    assert places == ["23", "24", "25", "27"], left_out
    assert "E3: a report without its Event-Arg" in left_out[0]
    assert "T15 is not in this file, and 2 annotations refer to it: R6 (Arg1) at line 24, A1 at line 25" in left_out[1]
    assert "'Negation' is not declared" in left_out[2]
    assert "T16: the span 0-5" in left_out[3]
    assert sum("T15" in w for w in warnings_of(done.stderr)) == 1  # never once per dependant
    # the alias warning of the clean fixture is still said, and the counts close the run
    assert any("'Terry Pratchett' and 'J. K. Rowling' become one actor" in w for w in warnings_of(done.stderr))
    assert warnings_of(done.stderr)[-1] == (
        "Warning: --skip-invalid: built 3 statements; left out what 4 problems in 1 file are about (each named above).")


def test_what_skip_invalid_keeps_is_the_clean_fixture_statement_for_statement(tmp_path: Path) -> None:
    assert statements_of([BROKEN]) == statements_of([NEWS])
    clean, lenient = build([NEWS]), build([BROKEN], skip_invalid=True)
    assert len(clean.dataset) == len(lenient.dataset)


def test_a_source_built_with_statements_left_out_never_comes_back_from_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    shutil.copytree(BROKEN, folder)
    out = tmp_path / "news.nt"
    assert run("build", folder, "--skip-invalid", "-o", out, cwd=tmp_path).returncode == 0
    strict = run("build", folder, "-o", out, cwd=tmp_path)  # same cache folder (cwd/.cache)
    assert strict.returncode == 1, "a lenient build's cache entry was taken for a checked one"
    again = run("build", folder, "--skip-invalid", "-o", out, cwd=tmp_path)
    assert again.returncode == 0
    assert len([w for w in warnings_of(again.stderr) if "left out:" in w]) == 4  # said again, not cached away


def native_project(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "gaza"
    shutil.copytree(EXAMPLE, folder)
    source = folder / "sources" / "newsmax-2024-03-pentagon-gaza-force.yaml"
    return folder, source


def test_a_native_statement_with_an_unknown_id_is_left_out_and_the_others_built(tmp_path: Path) -> None:
    folder, source = native_project(tmp_path)
    whole = build_compiled([folder])
    total = whole.statements
    whole.close()
    text = source.read_text("utf-8")
    assert "object: palestinian-led-force\n" in text
    source.write_text(text.replace("object: palestinian-led-force\n", "object: palestinan-led-force\n", 1), "utf-8")
    with pytest.raises(InputProblems):
        build_compiled([folder])
    compiled = build_compiled([folder], skip_invalid=True)
    assert compiled.statements == total - 1
    assert [p.message for p in compiled.invalid] == ["object: unknown proposal 'palestinan-led-force'"]
    assert compiled.invalid[0].loc.path.endswith("newsmax-2024-03-pentagon-gaza-force.yaml")
    compiled.close()


def test_a_quote_not_in_the_text_is_left_out_with_its_statement(tmp_path: Path) -> None:
    folder = tmp_path / "multilingual"  # sources with a text: (the example's articles are not shipped)
    shutil.copytree(DATA / "multilingual", folder)
    source = folder / "sources" / "he-talks.yaml"
    text = source.read_text("utf-8")
    quote = re.search(r"quote: (.+)\n", text).group(1)  # type: ignore[union-attr]
    source.write_text(text.replace(quote, quote + " and words nobody wrote", 1), "utf-8")
    compiled = build_compiled([folder], skip_invalid=True)
    assert len(compiled.invalid) == 1 and "quote" in compiled.invalid[0].message
    compiled.close()


def test_a_problem_of_the_whole_file_still_fails(tmp_path: Path) -> None:
    folder, source = native_project(tmp_path)
    source.write_text("source: [broken\n", "utf-8")
    done = run("build", folder, "--skip-invalid", "-o", tmp_path / "g.ttl", cwd=tmp_path)
    assert done.returncode == 1
    assert "YAML syntax error" in done.stderr.decode()
    assert not (tmp_path / "g.ttl").exists()


def test_a_run_that_leaves_nothing_fails(tmp_path: Path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(BROKEN / "harbor-news.txt", folder)
    shutil.copy(BROKEN / "annotation.conf", folder)
    (folder / "harbor-news.ann").write_text("T1\tOrganization 0 20\tHarbor Freight Lines\n"
                                             "R1\tBacks Arg1:T1 Arg2:T9\n", "utf-8")
    done = run("build", folder, "--skip-invalid", "-o", tmp_path / "g.ttl", cwd=tmp_path)
    assert done.returncode == 1, done.stderr.decode()
    assert "R1: Arg2 refers to T9" in done.stderr.decode()
    assert not (tmp_path / "g.ttl").exists()


def test_validate_view_and_convert_take_the_flag(tmp_path: Path) -> None:
    strict = run("validate", BROKEN, cwd=tmp_path)
    assert strict.returncode == 1
    lenient = run("validate", BROKEN, "--skip-invalid", cwd=tmp_path)
    assert lenient.returncode == 0, lenient.stderr.decode()
    assert lenient.stdout.decode().startswith("OK: 1 source, 3 statements")
    assert len([w for w in warnings_of(lenient.stderr) if "left out:" in w]) == 4
    page = tmp_path / "news.html"
    assert run("view", BROKEN, "-o", page, cwd=tmp_path).returncode == 1
    shown = run("view", BROKEN, "--skip-invalid", "-o", page, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr.decode()
    assert page.exists() and len([w for w in warnings_of(shown.stderr) if "left out:" in w]) == 4
    project = tmp_path / "project"
    converted = run("convert", BROKEN, "--skip-invalid", "-o", project, cwd=tmp_path)
    assert converted.returncode == 0, converted.stderr.decode()
    assert "wrote 3 statements" in converted.stderr.decode()
    rebuilt = build_compiled([project])
    assert rebuilt.statements == 3
    rebuilt.close()


def test_watch_refuses_the_flag(tmp_path: Path) -> None:
    done = run("build", BROKEN, "--skip-invalid", "--watch", "-o", tmp_path / "g.nt", cwd=tmp_path)
    assert done.returncode == 2
    assert "--skip-invalid" in done.stderr.decode()


def test_a_malformed_brat_line_is_one_cause_and_superscript_digits_are_no_offsets(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    shutil.copytree(NEWS, folder)
    ann = folder / "harbor-news.ann"
    lines = ann.read_text("utf-8").splitlines()
    assert lines[0] == "T1\tOrganization 0 20\tHarbor Freight Lines"
    for digits in ("0²", "٠"):  # a superscript two, an Arabic-Indic zero: digits to isdigit(), not offsets
        ann.write_text("\n".join([f"T1\tOrganization {digits} 20\tHarbor Freight Lines", *lines[1:]]) + "\n", "utf-8")
        with pytest.raises(InputProblems) as caught:
            load([folder])
        # R1 refers to T1: not reported again, the cause is T1's own line
        assert [(p.loc.line, p.message) for p in caught.value.problems] == [(1, f"T1: '{digits} 20' is not a span")]
        compiled = build_compiled([folder], skip_invalid=True)
        assert compiled.statements == 2 and len(compiled.invalid) == 1
        compiled.close()
