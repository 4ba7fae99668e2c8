"""Compiling the sources the cache does not hold: in this process, or in worker processes when there are
enough of them to pay for starting the workers.

A worker needs the build's :class:`~.source.SourceContext`, the checked registry above all. Sent with
each chunk of work it would be pickled and unpickled again and again (a registry of 3,040 actors is
0.9 MB pickled and took 0.4 s to unpickle on a 2-core machine), so each worker process gets it once, from the pool's
initializer, which keeps it in ``_worker_context``: the only module-level state of the pipeline, set
once per worker process and never in the parent (which passes its context explicitly).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from ..emit import Iris
from ..model import Registry
from .source import Outcome, SourceContext, compile_file

#: below this many sources to compile, worker processes cost more than they save
PARALLEL_FROM = 200

#: the context of this worker process (None in the parent): see the module's docstring
_worker_context: SourceContext | None = None


def _start_worker(registry: Registry, iris: Iris, fingerprint: str, cache_dir: str) -> None:
    """The pool's initializer: the context of this worker process, its resolver made here."""
    from ..check import Resolver

    global _worker_context
    _worker_context = SourceContext(registry, iris, fingerprint, cache_dir, Resolver(registry))


def _compile_chunk(paths: list[str]) -> list[Outcome]:
    assert _worker_context is not None, "run in a worker started by _start_worker"
    return [compile_file(_worker_context, p) for p in paths]


def compile_files(context: SourceContext, misses: list[tuple[str, bytes | None, str]], jobs: int | None,
                  progress: Callable[[int], None] | None = None) -> list[Outcome]:
    """Compile the source files ``misses`` ((path, its bytes if read, their hash)), in ``jobs``
    processes (None: every core when there are at least ``PARALLEL_FROM``)."""
    names = [name for name, _, _ in misses]
    workers = jobs if jobs is not None else (os.cpu_count() or 1) if len(names) >= PARALLEL_FROM else 1
    outcomes: list[Outcome] = []
    if workers > 1 and len(names) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        size = max(1, min(100, len(names) // (workers * 8) or 1))
        chunks = [names[i : i + size] for i in range(0, len(names), size)]
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method), initializer=_start_worker,
                                 initargs=(context.registry, context.iris, context.fingerprint,
                                           context.cache_dir)) as pool:
            for chunk in pool.map(_compile_chunk, chunks):
                outcomes.extend(chunk)
                if progress is not None:
                    progress(len(chunk))
    else:
        for name, raw, file_sha in misses:
            outcomes.append(compile_file(context, name, raw, file_sha))
            if progress is not None:
                progress(1)
    return outcomes
