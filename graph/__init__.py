"""Reading annotated sources and building the RDF graph.

The three calls most users need::

    from stancegraph.graph import build, validate
    problems = validate(["examples/gaza-day-after"])       # [] when all is well
    built = build(["examples/gaza-day-after"])             # raises InputProblems listing every problem
    built.dataset                                          # an rdflib Dataset: registry + one graph per source
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputProblems, Loc, OutputError, Problem, StancegraphError

if TYPE_CHECKING:
    from .dataset import Built, build_dataset
    from .emit import Iris
    from .model import Corpus, Entity, Quantity, Registry, Source, Statement
    from .pipeline.corpus import Compiled, compile_corpus
    from .pipeline.inputs import Inputs
    from .read import read_corpus
    from .record import BuildRecord

#: what is imported when first used, from which module of the package: ``Built`` and ``build_dataset``
#: need rdflib, which a build that writes N-Triples from its cache never does; the readers and the
#: pipeline (YAML, the model, the emitter: 0.08 s) are not needed by the commands that read a graph
#: file (``stats`` on an indexed file takes well under a second: they were a tenth of it)
_LAZY = {
    "Built": "dataset", "build_dataset": "dataset", "Iris": "emit",
    **dict.fromkeys(("Corpus", "Entity", "Quantity", "Registry", "Source", "Statement"), "model"),
    "Compiled": "pipeline.corpus", "compile_corpus": "pipeline.corpus", "Inputs": "pipeline.inputs",
    "BuildRecord": "record", "read_corpus": "read",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: with shacl=None, sources built in a run are checked against the shapes up to this many triples
#: (pySHACL checks a few thousand triples a second with our shapes: a million would take minutes)
SHACL_AUTO_LIMIT = 20_000


def load(paths: Iterable[Path | str], *, unmapped: str = "error", invalid: list[Problem] | None = None) -> Corpus:
    """Read and check the annotation files under ``paths`` into the model, all in memory; raise
    :class:`InputProblems` on any problem. (``build`` and ``validate`` go through the pipeline instead.)
    ``unmapped="ignore"`` skips what is of a type the mapping does not know (listed in ``corpus.skipped``).
    ``invalid``: a list given for ``--skip-invalid``, which takes the problems of the statements left out."""
    from .check import check_corpus
    from .read import read_corpus

    corpus, problems = read_corpus(paths, unmapped=unmapped, invalid=invalid)
    problems += check_corpus(corpus, invalid)
    if problems:
        raise InputProblems(problems)
    if invalid and not any(source.statements for source in corpus.sources):
        raise InputProblems(invalid)
    return corpus


def build_compiled(
    paths: Iterable[Path | str],
    *,
    shacl: bool | None = None,
    cache_dir: Path | str | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    previous: BuildRecord | None = None,
    inputs: Inputs | None = None,
    unmapped: str = "error",
    skip_invalid: bool = False,
    check_later: bool = False,
) -> Compiled:
    """Read, check and emit the sources under ``paths`` (see :mod:`.pipeline`), then check the sources
    built in this run against the SHACL shapes: always with ``shacl=True``, never with ``False``, and
    with ``None`` when they hold at most ``SHACL_AUTO_LIMIT`` triples. Raises :class:`InputProblems`.
    ``previous`` and ``inputs``: what the caller holds of the last build and of the inputs (see
    ``compile_corpus``). ``unmapped``: ``error``, or ``ignore`` to skip what is of a type the mapping does
    not know. ``skip_invalid``: leave out the statements that have problems instead of failing (they are
    in the result's ``invalid``). What the build says without failing (what it skipped, that it found no
    statement) is in the result's ``warnings``. ``check_later``: the SHACL check runs in a child process
    while the caller writes the output, and the result's ``settle()``, called before the output replaces
    the old file, waits for it (where forking is not safe, the check runs now)."""
    from .pipeline.corpus import compile_corpus

    paths = list(paths)
    compiled = compile_corpus(paths, cache_dir=cache_dir, jobs=jobs, progress=progress, previous=previous,
                              inputs=inputs, unmapped=unmapped, skip_invalid=skip_invalid)
    if skip_invalid and compiled.invalid and not compiled.statements:
        invalid = compiled.invalid
        compiled.close()
        raise InputProblems(invalid)  # nothing usable is left: the problems are the answer
    changed = compiled.changed()
    # what the shapes would check: the sources built, and all of the registry only when it is new too
    size = sum(e.lines for e in changed) + (compiled.checked.size if len(changed) == len(compiled.entries) else 0)
    if changed and (shacl or (shacl is None and size <= SHACL_AUTO_LIMIT)):
        compiled.pending = _checked_beside(compiled) if check_later else None
        if compiled.pending is None:
            from .shacl import shacl_problems_compiled

            problems = shacl_problems_compiled(compiled)
        else:
            problems = []
        if problems:
            compiled.forget(changed)  # what failed the shapes must not come back from the cache as checked
            compiled.close()
            raise InputProblems(problems)
    compiled.warnings = compiled.warnings + _warnings(paths, compiled)
    return compiled


def _checked_beside(compiled: Compiled) -> Callable[[], list[Problem]] | None:
    """The SHACL check of ``compiled`` started in a child process (pySHACL's import and the check, 0.3 s
    of a one-source rebuild, then overlap the writing of the output), and how to wait for its problems;
    None where forking is not safe. A child that fails leaves the check to this process."""
    import os
    import pickle

    from .forking import forked, reaped

    def problems() -> list[Problem]:
        from .shacl import shacl_problems_compiled  # rdflib and pySHACL: imported where the check runs

        return shacl_problems_compiled(compiled)

    read_end, write_end = os.pipe()

    def check() -> None:
        os.close(read_end)
        with os.fdopen(write_end, "wb") as out:
            out.write(pickle.dumps(problems()))

    child = forked(check)
    os.close(write_end)
    if child is None:
        os.close(read_end)
        return None

    def wait() -> list[Problem]:
        with os.fdopen(read_end, "rb") as given:
            data = given.read()  # to the end: the child may write more than a pipe holds
        if not reaped(child) or not data:
            return problems()
        return pickle.loads(data)  # noqa: S301 (our own child's answer)

    return wait


def _warnings(paths: list[Path | str], compiled: Compiled) -> list[str]:
    """What a successful build must not keep quiet: the types it skipped, and that it states nothing."""
    from .errors import skipped_summary

    out = [skipped_summary(compiled.skipped)] if compiled.skipped else []
    if compiled.invalid:
        from .errors import skipped_statements_summary

        out += [f"left out: {str(p).rstrip('.')}" for p in compiled.invalid]
        out.append(skipped_statements_summary(compiled.invalid, compiled.statements))
    if compiled.entries and not compiled.statements:
        from .drafting import nothing_stated

        out.append(nothing_stated(paths, len(compiled.entries)))
    return out


def validate(paths: Iterable[Path | str], *, shacl: bool | None = True, cache_dir: Path | str | None = None,
             jobs: int | None = None, unmapped: str = "error", skip_invalid: bool = False) -> list[Problem]:
    """Every problem of the annotation files under ``paths`` (schema, references, vocabulary, quotes,
    SHACL); ``[]`` when there is none (with ``skip_invalid``, only those that stop a build)."""
    try:
        build_compiled(paths, shacl=shacl, cache_dir=cache_dir, jobs=jobs, unmapped=unmapped,
                       skip_invalid=skip_invalid).close()
    except InputProblems as exc:
        return exc.problems
    return []


def build(
    paths: Iterable[Path | str],
    *,
    shacl: bool | None = True,
    cache_dir: Path | str | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    unmapped: str = "error",
    skip_invalid: bool = False,
) -> Built:
    """Read, check and build the graph of the annotation files under ``paths``, in memory.

    Raises :class:`InputProblems` listing every problem found; nothing is built from a corpus that
    has one. ``built.dataset`` is an rdflib Dataset: the registry graph plus one graph per source.
    """
    from rdflib import URIRef

    from .dataset import Built

    compiled = build_compiled(paths, shacl=shacl, cache_dir=cache_dir, jobs=jobs, progress=progress, unmapped=unmapped,
                              skip_invalid=skip_invalid)
    built = Built(compiled, {URIRef(k): v for k, v in compiled.origins.items()})
    try:
        built.dataset  # read the lines now: the work folder of a build without a cache goes away next
    finally:
        compiled.close()
    return built


__all__ = [
    "Built",
    "Corpus",
    "Entity",
    "InputProblems",
    "Iris",
    "Loc",
    "OutputError",
    "Problem",
    "Quantity",
    "Registry",
    "Source",
    "Statement",
    "StancegraphError",
    "Compiled",
    "SHACL_AUTO_LIMIT",
    "build",
    "build_compiled",
    "build_dataset",
    "load",
    "read_corpus",
    "validate",
]
