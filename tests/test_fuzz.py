"""Every reader, fuzzed (issue 16): a seeded run of mutants per reader through the command line, each a success
or a clean problem report; never a traceback, a hang, a blow-up of memory, a clobbered output or a graph file
that cannot be read back. The harness is tests/fuzzing.py; benchmarks/fuzz.py runs it at scale and prints
docs/reliability.md's table.

``STANCEGRAPH_FUZZ_PER_READER`` sets how many mutants per reader (default 200), ``STANCEGRAPH_FUZZ_SEED`` the
seed (default 2026, so that a failure here is a failure on every machine)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import fuzzing

PER_READER = int(os.environ.get("STANCEGRAPH_FUZZ_PER_READER", "200"))
SEED = int(os.environ.get("STANCEGRAPH_FUZZ_SEED", "2026"))


@pytest.mark.parametrize("reader", sorted(fuzzing.READERS))
def test_every_mutant_is_read_or_refused_cleanly(reader: str) -> None:
    tally = fuzzing.fuzz(reader, PER_READER, SEED)
    again = (f"python benchmarks/fuzz.py --reader {reader} --seed {SEED} --only N --keep DIR "
             "(writes mutant N into DIR with the command to run on it)")
    bad = "\n".join(f"  #{n} {o.kind}: {o.detail}" for n, o in tally.bad[:10])
    assert tally.failures == 0, f"{tally.failures} of {tally.total} mutants of {reader} went wrong:\n{bad}\n{again}"
    assert not tally.silent, f"mutants {tally.silent[:10]} of {reader} failed without a message\n{again}"
    # a harness whose mutants all pass, or all fail at the first byte, tests nothing
    assert tally.counts["success"] >= PER_READER // 20, dict(tally.counts)
    assert tally.counts["problem"] >= PER_READER // 20, dict(tally.counts)


def test_the_same_seed_makes_the_same_mutant(tmp_path: Path) -> None:
    for reader in ("source", "brat", "dna", "xlsx", "graph-nt"):
        first = fuzzing.keep(reader, SEED, 7, tmp_path / reader / "a")
        second = fuzzing.keep(reader, SEED, 7, tmp_path / reader / "b")
        files = sorted(p.relative_to(tmp_path / reader / "a") for p in (tmp_path / reader / "a").rglob("*") if p.is_file())
        assert files
        if reader != "xlsx":  # a workbook carries the time it was saved
            for name in files:
                assert (tmp_path / reader / "a" / name).read_bytes() == (tmp_path / reader / "b" / name).read_bytes(), name
        assert [a.replace("/a/", "/b/") for a in first] == second


def test_the_harness_sees_a_traceback_and_a_clobbered_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in this process, with the build broken on purpose: the harness must call it what it is."""
    import stancegraph.output.stream as stream

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError("a bug")

    monkeypatch.setattr(stream, "write_compiled", crash)
    outcome = fuzzing.run_input(fuzzing.READERS["source"], tmp_path / "one", SEED, 3)
    assert outcome.kind == "traceback" and "TypeError" in outcome.detail

    def clobber(compiled, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        Path(path).write_bytes(b"half a graph")
        from stancegraph.graph import StancegraphError

        raise StancegraphError("disk trouble")

    monkeypatch.setattr(stream, "write_compiled", clobber)
    for number in range(40):  # the first mutant that builds, since only a build writes
        outcome = fuzzing.run_input(fuzzing.READERS["source"], tmp_path / f"n{number}", SEED, number)
        if outcome.kind != "problem":
            break
    assert outcome.kind == "clobbered", outcome
