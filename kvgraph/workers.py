"""Running batches of documents in worker processes, results in input order.

Processes rather than threads: parsing and mapping are pure Python and hold the GIL. On Linux,
workers are forked from a process that runs no other thread: they start at once with kvgraph
already imported, where a `spawn`ed worker starts a new interpreter and imports kvgraph again
(a tenth of a second or more, which is most of a run of a thousand documents). Forking a process
that runs other threads could copy a lock one of them holds, so such a process (a program
that uses kvgraph's API from threads, say), and any other system, uses `spawn`: a clean
interpreter. Either way each worker builds its own caches (shapes, compiled engine) once.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from multiprocessing import get_context
from multiprocessing.context import BaseContext
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """As many workers as this process may use cores."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def ordered_map(func: Callable[[T], R], items: Iterable[T], jobs: int) -> Iterator[R]:
    """`map(func, items)` in `jobs` processes, yielding results in the order of `items`."""
    work = list(items)
    if jobs <= 1 or len(work) <= 1:
        yield from map(func, work)
        return
    with _start_method().Pool(min(jobs, len(work)), initializer=_start_worker) as pool:
        yield from pool.imap(func, work)


def _start_method() -> BaseContext:
    """`fork` where it is safe (see above), else `spawn`."""
    return get_context("fork" if sys.platform == "linux" and _single_threaded() else "spawn")


def _single_threaded() -> bool:
    """Whether this process runs one thread, counting native ones too (a library's thread pool)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc: no way to tell
        return False


def _start_worker() -> None:
    """Workers ignore Ctrl-C: the parent stops them, cleans up and reports once. A forked worker
    also drops the parent's SIGTERM handler, so that stopping the pool stops it quietly.

    The garbage collector is told to leave the modules and caches loaded so far alone, and to
    run less often: a worker makes and drops millions of short-lived tuples and dicts that hold
    no cycles, and a collection every 700 of them cost a few percent of a validated run.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.freeze()
    gc.set_threshold(20_000, 20, 50)
