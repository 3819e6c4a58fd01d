"""Running batches of documents in worker processes, results in input order.

Processes rather than threads: parsing and mapping are pure Python and hold the GIL. Workers
are started with `spawn` (a clean interpreter, no inherited locks or threads) and build their
own caches (shapes, compiled engine) once.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable, Iterator
from multiprocessing import get_context
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
    with get_context("spawn").Pool(min(jobs, len(work)), initializer=_leave_signals_to_parent) as pool:
        yield from pool.imap(func, work)


def _leave_signals_to_parent() -> None:
    """Workers ignore Ctrl-C: the parent stops them, cleans up and reports once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
