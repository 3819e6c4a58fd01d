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
from multiprocessing.connection import Connection
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


# Items each worker holds beyond the one it works on: enough that it never waits for the parent
# to hand it work, few enough that results waiting to be written stay few (bounded memory).
AHEAD = 2


def ordered_map(func: Callable[[T], R], items: Iterable[T], jobs: int,
                shared: Callable[[], object] | None = None) -> Iterator[R]:
    """`map(func, items)` in `jobs` processes, yielding results in the order of `items`.

    `shared`: builds (and caches) what every call needs, such as the validation engine. When
    the workers are forked it runs here first, so they start with it instead of each building
    it again (two builds' CPU time, a tenth of a run of a thousand documents); a spawned worker
    builds it when `func` first asks for it.

    Item i goes to worker i mod jobs, so each worker's results come back on its own pipe in the
    order they are wanted: no threads in the parent. (multiprocessing.Pool runs three, and its
    worker-handling thread wakes up and polls whenever a result waits in the pipe, which cost
    the parent a twentieth of a second of CPU every thousand documents, on a machine whose two
    cores the workers need.) Batches are alike in size, so handing them out in turn keeps both
    workers busy; a worker that dies ends the run with an error rather than a hang.
    """
    work = list(items)
    if jobs <= 1 or len(work) <= 1:
        yield from map(func, work)
        return
    context = _start_method()
    if shared is not None and context.get_start_method() == "fork":
        shared()
    workers = [_Worker(context, func) for _ in range(min(jobs, len(work)))]
    count = len(workers)
    finished = False
    try:
        for index, item in enumerate(work[:count * AHEAD]):
            workers[index % count].send(item)
        for index in range(len(work)):
            worker = workers[index % count]
            result = worker.receive()
            if index + count * AHEAD < len(work):
                worker.send(work[index + count * AHEAD])
            yield result
        finished = True
    finally:
        for worker in workers:
            worker.stop(finished)


class _Worker:
    """One worker process and its two pipes: items in, results (or the exception raised) out."""

    def __init__(self, context: BaseContext, func: Callable[[T], R]) -> None:
        self._results, results_end = context.Pipe(duplex=False)
        tasks_end, self._tasks = context.Pipe(duplex=False)
        self._process = context.Process(target=_serve, args=(func, tasks_end, results_end), daemon=True)
        self._process.start()
        # Only the worker holds its ends now, so its death reads as end-of-file here.
        tasks_end.close()
        results_end.close()

    def send(self, item: T) -> None:
        try:
            self._tasks.send(item)
        except BrokenPipeError:
            raise self._died() from None

    def receive(self) -> R:
        try:
            ok, value = self._results.recv()
        except EOFError:
            raise self._died() from None
        if not ok:
            raise value
        return value

    def _died(self) -> RuntimeError:
        self._process.join(1)
        return RuntimeError(f"a worker process stopped unexpectedly (exit code {self._process.exitcode})")

    def stop(self, finished: bool) -> None:
        """Let a finished worker end by itself; stop one still working (the run was cut short)."""
        if finished:
            self._tasks.send(None)
            self._process.join()
        else:
            self._process.terminate()
            self._process.join()
        self._tasks.close()
        self._results.close()


def _serve(func: Callable[[T], R], tasks: Connection, results: Connection) -> None:
    """A worker's life: items until None, each answered with (True, result) or (False, exception)."""
    _start_worker()
    while True:
        try:
            item = tasks.recv()
        except EOFError:  # the parent is gone
            return
        if item is None:
            return
        try:
            results.send((True, func(item)))
        except Exception as problem:  # handed to the parent, which raises it (as it is, if it pickles)
            try:
                results.send((False, problem))
            except Exception:
                results.send((False, RuntimeError(f"{type(problem).__name__}: {problem}")))


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
    also drops the parent's SIGTERM handler, so that stopping it stops it quietly.

    The garbage collector is told to leave the modules and caches loaded so far alone, and to
    run less often: a worker makes and drops millions of short-lived tuples and dicts that hold
    no cycles, and a collection every 700 of them cost a few percent of a validated run.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.freeze()
    gc.set_threshold(20_000, 20, 50)
