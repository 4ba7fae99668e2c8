"""Helpers of the test suite, importable from every test module (``from sgtest import ...``).

* ``ROOT``, ``EXAMPLE``, ``DATA``, ``SEEDS``: where things are, found from this file, never from the
  working directory.
* ``FORMATS``: the five output formats, with their extension, rdflib name and pyoxigraph format.
* ``run(...)``: the installed ``stancegraph`` script in a subprocess, for exit codes, stdout and stderr
  kept apart, hash seeds, and inputs that must not be able to take the test process down with them.
* ``Corpus``: a small valid corpus (a registry and one source) written from text, to break one way
  at a time; ``position`` finds the ``line:col`` a message should name.

Kept apart from ``conftest.py``: pytest imports each folder's conftest.py under the same module name, so
``from conftest import`` would find whichever conftest.py (ours or tests/browser's) was imported last.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gaza-day-after"
DATA = Path(__file__).resolve().parent / "data"


def _checkouts(root: Path) -> list[Path]:
    """``root``, then the main checkout when ``root`` is a git worktree (its ``.git`` is a file naming
    ``<main>/.git/worktrees/<name>``): the shared folder sits beside the main checkout, not the worktree."""
    found = [root]
    dot_git = root / ".git"
    if dot_git.is_file():
        text = dot_git.read_text("utf-8", errors="replace").strip()
        if text.startswith("gitdir:"):
            gitdir = Path(text[len("gitdir:"):].strip())
            gitdir = gitdir if gitdir.is_absolute() else (root / gitdir).resolve()
            if gitdir.parent.name == "worktrees":
                found.append(gitdir.parent.parent.parent)
    return found


def _shared(root: Path) -> Path:
    """``../shared`` from the repository root (or from the main checkout, for a worktree): the first that
    exists, else the one beside ``root`` (which the skip or failure message then names)."""
    candidates = [checkout.parent / "shared" for checkout in _checkouts(root)]
    return next((c for c in candidates if c.is_dir()), candidates[0])


#: the articles the example annotates, beside the project (../shared/seeds from the repository root)
SEEDS = _shared(ROOT) / "seeds"


def example_statement_count() -> int:
    """How many statements the example's source files hold, counted from the YAML (not from a build)."""
    import yaml

    return sum(len(yaml.safe_load(p.read_text("utf-8"))["statements"]) for p in (EXAMPLE / "sources").glob("*.yaml"))


@dataclass(frozen=True)
class Format:
    name: str  # as stancegraph names it (--format)
    ext: str
    rdflib: str
    oxigraph: pyoxigraph.RdfFormat
    quads: bool  # holds named graphs


FORMATS = [
    Format("turtle", ".ttl", "turtle", pyoxigraph.RdfFormat.TURTLE, False),
    Format("trig", ".trig", "trig", pyoxigraph.RdfFormat.TRIG, True),
    Format("nt", ".nt", "nt", pyoxigraph.RdfFormat.N_TRIPLES, False),
    Format("nquads", ".nq", "nquads", pyoxigraph.RdfFormat.N_QUADS, True),
    Format("json-ld", ".jsonld", "json-ld", pyoxigraph.RdfFormat.JSON_LD, True),
]
FORMAT_IDS = [f.ext.lstrip(".") for f in FORMATS]


# --------------------------------------------------------------------------- the command line


def stancegraph_script() -> str:
    """The console script installed with the package, beside this Python if it can be found there."""
    beside = Path(sys.executable).with_name("stancegraph")
    if beside.is_file():
        return str(beside)
    found = shutil.which("stancegraph")
    if found is None:
        pytest.fail("the stancegraph script is not installed: pip install -e '.[test]'", pytrace=False)
    return found


def environment(hashseed: str | None = None, cache: Path | None = None) -> dict[str, str]:
    """This process's environment, with a hash seed and a build cache of the test's own if given."""
    env = dict(os.environ)
    if hashseed is not None:
        env["PYTHONHASHSEED"] = hashseed
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    return env


def run(*args: str | Path, cwd: Path, hashseed: str | None = None, timeout: float = 120,
        ) -> subprocess.CompletedProcess[bytes]:
    """Run the installed ``stancegraph`` script in ``cwd`` (its build cache goes to ``cwd/.cache``);
    stdout and stderr are bytes, kept apart."""
    env = environment(hashseed, cwd / ".cache")
    return subprocess.run(
        [stancegraph_script(), *map(str, args)], cwd=cwd, env=env, capture_output=True, timeout=timeout, check=False
    )


def start_python(code: str, *args: str | Path, hashseed: str | None = None, cache: Path | None = None,
                 ) -> subprocess.Popen[str]:
    """Start ``code`` in a fresh interpreter (the one running the tests), with ``sys.argv[1:] == args``."""
    env = environment(hashseed, cache)
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def python(code: str, *args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter and wait for it."""
    process = start_python(code, *args)
    stdout, stderr = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


# --------------------------------------------------------------------------- a small corpus to break

REGISTRY_YAML = """\
stancegraph: 1
base: https://example.org/test/
actors:
  alpha:
    label: Alpha
    kind: state
  beta:
    label: Beta News
    kind: news-outlet
proposals:
  plan:
    label: The plan
conditions:
  cond:
    label: A condition
"""

SOURCE_YAML = """\
stancegraph: 1
source:
  id: s1
  title: A source
  publisher: beta
  published: 2024-02-29
  url: https://example.org/a
  language: en
statements:
  - subject: alpha
    relation: supports
    object: plan
    if: cond
    quote: Alpha supports the plan
"""


@dataclass
class Corpus:
    """A corpus folder: ``registry.yaml`` and ``sources/s1.yaml``, written from text."""

    root: Path
    registry: str = REGISTRY_YAML
    source: str = SOURCE_YAML

    def write(self) -> Corpus:
        (self.root / "sources").mkdir(parents=True, exist_ok=True)
        (self.root / "registry.yaml").write_text(self.registry, encoding="utf-8")
        (self.root / "sources" / "s1.yaml").write_text(self.source, encoding="utf-8")
        return self


def position(text: str, needle: str, offset: int = 0, *, last: bool = False) -> str:
    """``line:col`` (1-based) of the first (or last) ``needle`` in ``text``, plus ``offset`` columns."""
    index = (text.rindex(needle) if last else text.index(needle)) + offset
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{line}:{col}"


def synthetic_corpus(out: Path, sources: int = 40, seed: int = 5) -> Path:
    """A corpus written by benchmarks/make_corpus.py's generators into ``out``: a registry of a few
    hundred entries (aliases, part-of chains, kinds) and ``sources`` sources with hedges, conditions,
    attributions and dates. The same ``seed``, the same bytes."""
    import importlib.util
    import random

    import yaml

    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "benchmarks" / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    rng = random.Random(seed)
    (out / "sources").mkdir(parents=True)
    (out / "registry.yaml").write_text(yaml.safe_dump(make.registry(rng, 300, 40, 30, 5), sort_keys=False), "utf-8")
    for i in range(sources):
        doc = make.source(rng, i, 300, 40, 30, 5)
        (out / "sources" / f"source-{i:06d}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
    return out


def build_cached(folder: Path, out: Path, fmt: str, cache: Path):  # type: ignore[no-untyped-def]
    """What ``stancegraph build FOLDER -o OUT -f FMT --cache CACHE --no-shacl`` does in a new process
    (nothing kept in memory from earlier builds), summary line included; returns the Compiled."""
    from stancegraph.graph import build_compiled
    from stancegraph.output.stream import write_compiled

    compiled = build_compiled([folder], shacl=False, cache_dir=cache, jobs=1)
    try:
        write_compiled(compiled, out, fmt)
        assert_triples_counted(compiled.triples, out, fmt)
    finally:
        compiled.close()
    return compiled


def assert_triples_counted(counted: int, out: Path, fmt: str) -> None:
    """The triple count the CLI prints in its summary line is what the file holds: every quad of a
    format with named graphs (a plain triple stated by two sources is in both graphs); for a
    triples-only format, where such a triple is written once, at least every distinct triple."""
    form = next(f for f in FORMATS if f.name == fmt)
    quads = list(pyoxigraph.parse(path=str(out), format=form.oxigraph))
    if form.quads:
        assert counted == len(quads), (counted, len(quads))
    else:
        assert 0 < len(quads) <= counted, (counted, len(quads))


def build_clean(folder: Path, fmt: str) -> bytes:
    """The bytes of a build from scratch (no cache) of ``folder`` in format ``fmt``."""
    from stancegraph.graph import build_compiled
    from stancegraph.output.stream import chunks

    compiled = build_compiled([folder], shacl=False, jobs=1)
    try:
        return b"".join(chunks(compiled, fmt))
    finally:
        compiled.close()


def hashing(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The bytes the build pipeline hashes from now on: ``sha`` is patched in each of its modules that
    hashes files (a module that hashes some other way would escape the count: there is none)."""
    import importlib
    import pkgutil

    from stancegraph.graph import pipeline
    from stancegraph.graph.pipeline import cache

    real = cache.sha
    hashed: list[bytes] = []

    def counting(raw: bytes) -> str:
        hashed.append(raw)
        return real(raw)

    patched = []
    for info in pkgutil.iter_modules(pipeline.__path__):
        module = importlib.import_module(f"{pipeline.__name__}.{info.name}")
        if getattr(module, "sha", None) is real:
            monkeypatch.setattr(module, "sha", counting)
            patched.append(info.name)
    assert sorted(patched) == ["cache", "inputs", "registry", "source"], patched
    return hashed
