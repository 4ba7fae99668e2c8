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

from .build import Built, Iris, build_dataset
from .check import check_corpus
from .errors import InputProblems, Loc, OutputError, Problem, StancegraphError
from .model import Corpus, Entity, Quantity, Registry, Source, Statement
from .read import read_corpus


def load(paths: Iterable[Path | str]) -> Corpus:
    """Read and check the annotation files under ``paths``; raise :class:`InputProblems` on any problem."""
    corpus, problems = read_corpus(paths)
    problems += check_corpus(corpus)
    if problems:
        raise InputProblems(problems)
    return corpus


def validate(paths: Iterable[Path | str], *, shacl: bool = True) -> list[Problem]:
    """Every problem of the annotation files under ``paths`` (schema, references, vocabulary, SHACL)."""
    corpus, problems = read_corpus(paths)
    problems += check_corpus(corpus)
    if problems:
        return sorted(set(problems))
    if shacl:
        from .shacl import shacl_problems

        return shacl_problems(build_dataset(corpus))
    return []


def build(
    paths: Iterable[Path | str],
    *,
    shacl: bool = True,
    progress: Callable[[int], None] | None = None,
) -> Built:
    """Read, check and build the graph of the annotation files under ``paths``.

    Raises :class:`InputProblems` listing every problem found; nothing is built from a corpus that
    has one.
    """
    corpus = load(paths)
    built = build_dataset(corpus, progress=progress)
    if shacl:
        from .shacl import shacl_problems

        problems = shacl_problems(built)
        if problems:
            raise InputProblems(problems)
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
    "build",
    "build_dataset",
    "load",
    "read_corpus",
    "validate",
]
