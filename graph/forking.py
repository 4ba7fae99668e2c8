"""Work shared with a child process forked from this one, where that is safe: the first read of a
graph file's index (:mod:`stancegraph.output.index`) and a build's SHACL check beside the writing of its
output (:func:`stancegraph.graph.build_compiled`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def forked(work: Callable[[], None]) -> int | None:
    """Run ``work()`` in a child process forked from this one, and return its pid; None where forking is
    not safe (not Linux, or another thread running: it could hold a lock the child would wait for
    forever) or not possible. The child leaves by ``os._exit``, never returning to the caller's code."""
    import threading

    if sys.platform != "linux" or not hasattr(os, "fork") or threading.active_count() > 1 or _os_threads() != 1:
        return None
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child
        code = 1
        try:
            work()
            code = 0
        finally:
            os._exit(code)
    return pid


def _os_threads() -> int:
    """How many threads this process runs, as Linux counts them (those of libraries too); 0 if unknown."""
    try:
        with open("/proc/self/stat", "rb") as f:
            return int(f.read().rsplit(b")", 1)[1].split()[17])
    except (OSError, ValueError, IndexError):
        return 0


def reaped(pid: int) -> bool:
    """Wait for the child ``pid``; whether it did its work."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return False
    return os.waitstatus_to_exitcode(status) == 0
