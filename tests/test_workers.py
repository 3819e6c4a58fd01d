"""kvgraph.workers.ordered_map: real worker processes, results in order, failures reported."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kvgraph.workers import AHEAD, _start_method, ordered_map


def _slow_for_even(item: int) -> tuple[int, int]:
    """Even items take longer, so the two workers finish out of step."""
    time.sleep(0.02 if item % 2 == 0 else 0.001)
    return item * item, os.getpid()


def _fails_on_seven(item: int) -> int:
    if item == 7:
        raise ValueError(f"item {item} is bad")
    return item


def _dies_on_three(item: int) -> int:
    if item == 3:
        os._exit(9)
    return item


SHARED = """
import os
from functools import lru_cache

from kvgraph.workers import _start_method, ordered_map


@lru_cache(maxsize=1)
def built_by():  # something costly every item needs, built once per process: here, who built it
    return os.getpid()


def builder(item):
    return built_by()


if _start_method().get_start_method() == "fork":
    shared = set(ordered_map(builder, range(6), 2, shared=built_by))
    built_by.cache_clear()
    own = set(ordered_map(builder, range(6), 2))
    print(shared == {os.getpid()}, len(own) == 2 and os.getpid() not in own)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_what_the_items_share_is_built_once_here_and_inherited_by_forked_workers(tmp_path: Path) -> None:
    # In a fresh interpreter: this one may run threads other tests left (a store's), and then
    # its workers are spawned, not forked.
    script = tmp_path / "shared.py"
    script.write_text(SHARED, "utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["True", "True"], done.stderr


def test_results_come_in_input_order_from_two_processes() -> None:
    results = list(ordered_map(_slow_for_even, range(40), jobs=2))
    assert [square for square, _ in results] == [n * n for n in range(40)]
    assert len({pid for _, pid in results}) == 2 and os.getpid() not in {pid for _, pid in results}


def test_one_job_runs_in_this_process() -> None:
    assert {pid for _, pid in ordered_map(_slow_for_even, range(5), jobs=1)} == {os.getpid()}


def test_an_exception_in_a_worker_is_raised_here_after_the_results_before_it() -> None:
    seen = []
    with pytest.raises(ValueError, match="item 7 is bad"):
        for result in ordered_map(_fails_on_seven, range(20), jobs=2):
            seen.append(result)
    assert seen == list(range(7))


def test_a_worker_that_dies_ends_the_run_with_an_error_not_a_hang() -> None:
    with pytest.raises(RuntimeError, match="exit code 9"):
        list(ordered_map(_dies_on_three, range(20), jobs=2))


def test_stopping_early_stops_the_workers() -> None:
    results = ordered_map(_slow_for_even, range(100), jobs=2)
    pids = {pid for _, pid in (next(results), next(results))}
    results.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def _leave_a_mark(item: tuple[str, int]) -> int:
    folder, n = item
    open(os.path.join(folder, str(n)), "w").close()
    return n


def test_workers_work_only_a_few_items_ahead_of_what_is_taken(tmp_path) -> None:
    """Bounded memory: results are made as they are taken, not all at once."""
    results = ordered_map(_leave_a_mark, [(str(tmp_path), n) for n in range(50)], jobs=2)
    assert next(results) == 0
    time.sleep(0.5)
    assert len(list(tmp_path.iterdir())) <= 2 * AHEAD + 1
    results.close()


def test_a_process_that_runs_threads_spawns_its_workers_and_gets_the_same_results() -> None:
    """Forking a process with other threads could copy a held lock: such a process spawns."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert _start_method().get_start_method() == "spawn"
        results = list(ordered_map(_slow_for_even, range(12), jobs=2))
    finally:
        stop.set()
        other.join()
    assert [square for square, _ in results] == [n * n for n in range(12)]
    assert len({pid for _, pid in results}) == 2
