"""Faults (issue 16): another process writing into the same folder, two builds racing for one output, a full
disk, a folder that cannot be written, a build killed at random points. The output is never a mix of two
builds, never half-written, and the file that was there survives every failure byte for byte."""

from __future__ import annotations

import errno
import fcntl
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sgtest import EXAMPLE, environment, run, stancegraph_script

ROOT = Path(__file__).resolve().parent.parent


def _make_corpus(folder: Path, sources: int, seed: int = 42) -> Path:
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(sources), str(folder),
                    "--seed", str(seed)], check=True, capture_output=True)
    return folder


def test_a_build_waits_for_another_process_writing_into_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as another build writing there would hold it
    try:
        process = subprocess.Popen([stancegraph_script(), "build", str(EXAMPLE), "-o", str(out / "g.nt")],
                                   cwd=tmp_path, env=environment(None, tmp_path / ".cache"),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(3)  # long enough to build the example and reach the write
        assert process.poll() is None, process.communicate()
        assert not (out / "g.nt").exists()
    finally:
        os.close(fd)  # releases the lock
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr.decode()
    assert "Waiting: another stancegraph process is writing into out/" in stderr.decode()
    assert (out / "g.nt").stat().st_size > 0


def test_two_builds_racing_for_one_output_leave_one_of_them_whole(tmp_path: Path) -> None:
    """Two projects built to one N-Triples file at once, again and again (each run reads the file the other
    wrote as its 'previous output'): the file is always exactly one of the two clean builds."""
    small = tmp_path / "small"
    shutil.copytree(EXAMPLE, small)
    big = _make_corpus(tmp_path / "big", 60)
    expected = {}
    for name, project in (("small", small), ("big", big)):
        done = run("build", project, "--no-cache", "-o", tmp_path / f"{name}.nt", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        expected[name] = (tmp_path / f"{name}.nt").read_bytes()
    out = tmp_path / "out" / "g.nt"
    env = environment(None, tmp_path / ".cache")
    for _ in range(6):
        processes = [subprocess.Popen([stancegraph_script(), "build", str(p), "-o", str(out)], cwd=tmp_path, env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for p in (small, big)]
        for process in processes:
            _, stderr = process.communicate(timeout=120)
            assert process.returncode == 0, stderr.decode()
        assert out.read_bytes() in expected.values()
        assert not [p.name for p in out.parent.iterdir() if p.name != "g.nt"]  # no temporary file left
    # and the next build after the race, of the small project, is the clean one (no stale record believed)
    assert run("build", small, "-o", out, cwd=tmp_path).returncode == 0
    assert out.read_bytes() == expected["small"]


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "the disk is full"), (errno.EACCES, "check the folder")])
def test_a_full_disk_or_a_refused_write_keeps_the_old_output(invoke, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                             tmp_path: Path, code: int, words: str) -> None:
    import stancegraph.output.stream as stream

    out = tmp_path / "g.nt"
    assert invoke("build", EXAMPLE, "-o", out).exit_code == 0
    before = out.read_bytes()
    shutil.copytree(EXAMPLE, tmp_path / "p")
    source = next((tmp_path / "p" / "sources").glob("*.yaml"))
    source.write_text(source.read_text("utf-8").replace("title:", "title: Changed", 1), "utf-8")
    real = stream.atomic_write_chunks

    def fail_halfway(path, chunks, *args, **kwargs):  # type: ignore[no-untyped-def]
        def some_then_fail():  # type: ignore[no-untyped-def]
            yield next(iter(chunks))
            raise OSError(code, os.strerror(code))
        return real(path, some_then_fail(), *args, **kwargs)

    monkeypatch.setattr(stream, "atomic_write_chunks", fail_halfway)
    result = invoke("build", tmp_path / "p", "-o", out)
    assert result.exit_code == 1
    assert f"({os.strerror(code)}): {words}" in result.stderr and "the file that was there is as it was" in result.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".g.nt")) == []


def test_a_folder_that_cannot_be_written(invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """chmod does not stop root (CI runs as root), so the refusal is made where the temporary file is made."""
    import tempfile

    out = tmp_path / "g.nt"
    out.write_bytes(b"before\n")

    real = tempfile.mkstemp

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(kwargs.get("dir", "")) == tmp_path:  # the output's folder; the build cache is elsewhere
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = invoke("build", EXAMPLE, "-o", out)
    assert result.exit_code == 1 and "g.nt: cannot write here (Permission denied)" in result.stderr
    assert out.read_bytes() == b"before\n"


def test_a_build_killed_at_random_points_leaves_no_half_output(tmp_path: Path) -> None:
    """SIGKILL a build at seeded random moments (reading, building, writing the cache, writing the output):
    the output is absent or whole each time, and the next build, from the cache the killed ones left, is the
    same as a clean build."""
    corpus = _make_corpus(tmp_path / "corpus", 150)
    clean = tmp_path / "clean.nt"
    assert run("build", corpus, "--no-cache", "-o", clean, cwd=tmp_path).returncode == 0
    out = tmp_path / "out" / "g.nt"
    env = environment(None, tmp_path / ".cache")
    rng = random.Random(16)
    for _ in range(6):
        process = subprocess.Popen([stancegraph_script(), "build", str(corpus), "-o", str(out), "-j", "2"], cwd=tmp_path,
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.3, 4.0))
        os.killpg(process.pid, signal.SIGKILL)  # the workers too
        process.wait()
        if out.exists():
            assert out.read_bytes() == clean.read_bytes()
        # a source edited between kills, so that the cache holds entries of both versions
        source = corpus / "sources" / f"source-{rng.randrange(150):06d}.yaml"
        source.write_text(source.read_text("utf-8") + "\n", "utf-8")
    done = run("build", corpus, "-o", out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert out.read_bytes() == clean.read_bytes()
    assert not [p.name for p in out.parent.iterdir() if p.name != "g.nt"]


@pytest.mark.parametrize("damage", ["cut", "flip", "empty", "garbage-header"])
def test_a_damaged_cache_entry_is_built_again(tmp_path: Path, damage: str) -> None:
    """A flipped byte keeps an entry's size: its digest is what tells (it was once taken as it was)."""
    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    clean = tmp_path / "clean.nt"
    assert run("build", project, "-o", clean, cwd=tmp_path).returncode == 0
    entries = sorted((tmp_path / ".cache" / "stancegraph").glob("??/*.nt"))
    assert entries
    for entry in entries:
        data = bytearray(entry.read_bytes())
        if damage == "cut":
            data = data[: len(data) // 2]
        elif damage == "flip":
            data[len(data) // 2] ^= 0x55
        elif damage == "empty":
            data = bytearray()
        else:
            data[:1] = b"["
        entry.write_bytes(bytes(data))
    again = tmp_path / "again.nt"
    done = run("build", project, "-o", again, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert f"({len(entries)} built, 0 from the cache)" in done.stderr.decode()
    assert again.read_bytes() == clean.read_bytes()
