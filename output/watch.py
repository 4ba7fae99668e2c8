"""Rebuilding a graph file whenever its inputs change (``stancegraph build --watch``).

The inputs are looked at every ``interval`` seconds (their ``stat``, as a build does: nothing is read
until something changed), so it works the same on every system and file system, network drives
included. A rebuild is an incremental build that keeps what the last one saw in memory: the build
record, the checked registry and the imported code, so that it costs little more than building the
changed sources and replacing the output. Input with problems (or an output that cannot be written) is
reported and the last good output is left as it was; the next save is built.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from stancegraph.graph import InputProblems, Loc, Problem, StancegraphError, build_compiled
from stancegraph.graph.errors import display_path
from stancegraph.graph.pipeline.corpus import Compiled
from stancegraph.graph.pipeline.inputs import Inputs
from stancegraph.graph.record import BuildRecord, Stat, stat_of

from .stream import write_compiled


@dataclass
class Rebuild:
    """One build of a watch: what was built, or the problems that stopped it."""

    compiled: Compiled | None  # None when the input has problems
    size: int = 0  # bytes of the output
    seconds: float = 0.0  # from noticing the change to the output written
    problems: list[Problem] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # the files that changed (empty for the first build)
    replaced: bool = True  # False: the output already held these bytes and was left as it was


def look(paths: list[Path | str], extra: list[str]) -> tuple[Inputs | None, dict[str, Stat | None]]:
    """The inputs under ``paths`` with their ``stat`` (as discovery finds them, so new and deleted files
    count), and the ``stat`` of every file to watch: those, and ``extra`` (the texts quotes are anchored
    in). (None, ...) when an input named on the command line is gone: the build says so."""
    try:
        inputs = Inputs.look(paths)
    except InputProblems:
        return None, {os.path.abspath(p): stat_of(p) for p in [*map(str, paths), *extra]}
    return inputs, {**inputs.stats, **{os.path.abspath(p): stat_of(p) for p in extra}}


def watch(paths: list[Path | str], output: Path | str, fmt: str, *, cache_dir: Path | str, shacl: bool | None = None,
          jobs: int | None = None, interval: float = 1.0, report: Callable[[Rebuild], None],
          stop: Callable[[], bool] = lambda: False, sleep: Callable[[float], None] = time.sleep) -> None:
    """Build ``paths`` into ``output``, then again each time they change, until ``stop()`` says so (or
    KeyboardInterrupt). Each build, good or not, is passed to ``report``."""
    previous: BuildRecord | None = None
    seen: dict[str, Stat | None] | None = None
    deps: list[str] = []
    while not stop():
        inputs, now = look(paths, deps)
        if now != seen:
            changed = [] if seen is None else sorted(p for p in now.keys() | seen.keys() if now.get(p) != seen.get(p))
            started = time.perf_counter()
            try:
                compiled = build_compiled(paths, shacl=shacl, cache_dir=cache_dir, jobs=jobs, previous=previous, inputs=inputs)
                try:
                    size, replaced = write_compiled(compiled, output, fmt)
                    done = Rebuild(compiled, size, time.perf_counter() - started, changed=changed, replaced=replaced)
                    record = compiled.record
                finally:
                    compiled.close()  # keeps the record in the cache folder too, for builds without --watch
            except InputProblems as exc:
                report(Rebuild(None, problems=exc.problems, seconds=time.perf_counter() - started, changed=changed))
            except StancegraphError as exc:  # an output that cannot be written, a registry saved mid-build
                problem = Problem(Loc(display_path(output)), str(exc))
                report(Rebuild(None, problems=[problem], seconds=time.perf_counter() - started, changed=changed))
            else:
                if record is not None:
                    previous = record.settled()
                    deps = sorted({dep for entry in record.entries.values() for dep in entry.deps})
                    now.update((os.path.abspath(dep), stat_of(dep)) for dep in deps if os.path.abspath(dep) not in now)
                report(done)
            seen = now  # as looked at before the build: a change during the build is built next time
        sleep(interval)
