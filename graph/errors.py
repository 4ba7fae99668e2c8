"""Exceptions of the library. The command line turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Loc:
    """A place in an input file: 1-based line and column (0 when unknown)."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col or 1}"
        return self.path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input: where, what, and what to do about it."""

    loc: Loc
    message: str
    hint: str = ""
    #: problems of one cause met many times (a type the mapping does not know, used 300 times) share a
    #: group, and are reported once: see :func:`grouped`
    group: tuple[str, ...] | None = field(default=None, compare=False)
    #: how many occurrences the problem stands for (a problem an importer reports once for 300 uses)
    count: int = field(default=1, compare=False)

    def __str__(self) -> str:
        text = f"{self.loc}: {_sentence(self.message)}"
        if self.hint:
            text += f" {_sentence(self.hint)}"
        return text


def _sentence(text: str) -> str:
    """``text`` ending with exactly one full stop, unless it ends with a question or exclamation mark."""
    text = text.rstrip().rstrip(".")
    return text if text.endswith(("?", "!")) else text + "."


def grouped(problems: list[Problem], shown: int = 3) -> list[Problem]:
    """``problems`` with each group of problems (same ``group``) reported once, at its first place, with
    how many times it was met and the next places."""
    groups: dict[tuple[str, ...], list[Problem]] = {}
    out: list[Problem] = []
    for problem in problems:
        if problem.group is None:
            out.append(problem)
        else:
            groups.setdefault(problem.group, []).append(problem)
    for members in groups.values():
        members.sort()
        first = members[0]
        if len(members) == 1:
            out.append(first)
            continue
        also = ", ".join(str(p.loc) for p in members[1:shown])
        more = f" and {len(members) - shown} more" if len(members) > shown else ""
        out.append(Problem(first.loc, f"{_sentence(first.message)[:-1]} ({len(members)} times; also at {also}{more})",
                           first.hint, first.group, sum(p.count for p in members)))
    return out


def skipped_summary(skipped: list[Problem]) -> str:
    """What ``--unmapped ignore`` left out, in a line: each type the mapping does not know, by section,
    with how often it is used (the arguments left out with their mentions are not counted again)."""
    by_section: dict[str, list[str]] = {}
    for problem in skipped:
        group = problem.group or ("unmapped", "other", problem.message)
        if len(group) > 3:
            continue
        by_section.setdefault(group[1], []).append(f"{group[2]} ({problem.count})")
    parts = [f"{section}: {', '.join(names)}" for section, names in by_section.items()]
    n = sum(len(names) for names in by_section.values())
    return (f"skipped {n} type{'s' if n != 1 else ''} the mapping does not know (--unmapped ignore): "
            + "; ".join(parts))


class Blamed(list):  # type: ignore[type-arg]
    """A list of problems that remembers which statement each one is about (``about``, parallel to the
    list; None for a problem of the source as a whole): what ``--skip-invalid`` leaves out. The checks
    set ``current`` while they look at one statement."""

    def __init__(self) -> None:
        super().__init__()
        self.about: list[object | None] = []
        self.current: object | None = None

    def append(self, problem: Problem) -> None:  # type: ignore[override]
        super().append(problem)
        self.about.append(self.current)

    def extend(self, problems) -> None:  # type: ignore[no-untyped-def, override]
        for problem in problems:
            self.append(problem)


def blame(problems: list[Problem], statement: object | None) -> None:
    """Say that the problems added to ``problems`` from now on are about ``statement`` (None: about the
    source as a whole), when the list keeps track (a :class:`Blamed`)."""
    if isinstance(problems, Blamed):
        problems.current = statement


def invalid_statements(source, problems: Blamed) -> list[Problem] | None:  # type: ignore[no-untyped-def]
    """Leave out of ``source`` the statements ``problems`` are about, and return those problems (the
    ``--skip-invalid`` warnings); None when a problem is about the source as a whole, which cannot be
    built without it."""
    if any(about is None for about in problems.about):
        return None
    bad = {id(about) for about in problems.about}
    source.statements = [st for st in source.statements if id(st) not in bad]
    return list(problems)


def skipped_statements_summary(skipped: list[Problem], statements: int) -> str:
    """The closing line of a ``--skip-invalid`` run that left statements out."""
    files = len({p.loc.path for p in skipped})
    return (f"--skip-invalid: built {statements:,} statement{'s' if statements != 1 else ''}; left out what "
            f"{len(skipped)} problem{'s' if len(skipped) != 1 else ''} in {files} file{'s' if files != 1 else ''} "
            f"{'is' if len(skipped) == 1 else 'are'} about (each named above)")


class StancegraphError(Exception):
    """Base of every error stancegraph reports to a user."""


class InputProblems(StancegraphError):
    """The input has one or more problems; all of them are listed, sorted by file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def summary(self) -> str:
        n = len(self.problems)
        files = len({p.loc.path for p in self.problems})
        return f"{n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}"


class OutputError(StancegraphError):
    """An output could not be written."""


def display_path(path: Path | str) -> str:
    """A path as a user should see it in a message: relative to the working directory when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the working folder; a link that loops
        return str(p)
