"""Ctrl-C and SIGTERM end a long `kvgraph load --store` or `kvgraph query` at once (exit 130/143, one
line, no traceback) and leave the store usable: the next load finishes the job, and its triples are
those of a load that was never interrupted. Real signals to real processes, as for convert
(test_robustness.py)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from test_store import triples_of

from kvgraph.store import RECORD

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

# Generous for a loaded CI machine; the figure the issue asks for (1 s) is what the runs print.
PROMPT = 5.0


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("documents")
    generate.write_corpus(2000, 11, folder)
    return folder


@pytest.fixture(scope="module")
def loaded(documents: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of an uninterrupted load (queries only read it)."""
    store = tmp_path_factory.mktemp("reference") / "store"
    subprocess.run(_load(documents, store), check=True, capture_output=True)
    return store


@pytest.fixture(scope="module")
def reference(loaded: Path) -> set[str]:
    return triples_of(loaded)


def _load(documents: Path, store: Path) -> list[str]:
    return [sys.executable, "-m", "kvgraph", "load", str(documents), "--store", str(store), "-j", "2", "-q"]


def _state(store: Path, sql: str) -> object:
    try:
        db = sqlite3.connect(f"file:{store / RECORD}?mode=ro", uri=True, timeout=0.1)
        try:
            row = db.execute(sql).fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _interrupt(command: list[str], ready, sig: int) -> tuple[int, float, bytes]:
    """Start `command`, send `sig` once `ready()` holds; returns the exit code, the seconds from the
    signal to the end, and stderr."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not ready():
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "never got under way"
        time.sleep(0.02)
    assert process.poll() is None, "finished before it could be interrupted"
    process.send_signal(sig)
    sent = time.monotonic()
    _, stderr = process.communicate(timeout=60)
    return process.returncode, time.monotonic() - sent, stderr


def _one_line(stderr: bytes, sig: int) -> None:
    assert b"Traceback" not in stderr and b"panicked" not in stderr, stderr
    assert f"interrupted by {signal.Signals(sig).name}".encode() in stderr, stderr


def test_an_interrupted_first_load_is_finished_by_the_next(documents: Path, reference: set[str], tmp_path: Path) -> None:
    """Interrupted in the bulk load: the next load starts again from an empty store."""
    store = tmp_path / "store"
    ready = lambda: (_state(store, "SELECT count(*) FROM kamervraag") or 0) >= 1000  # noqa: E731
    returned, seconds, stderr = _interrupt(_load(documents, store), ready, signal.SIGTERM)
    assert returned == 143 and seconds < PROMPT, (seconds, stderr)
    _one_line(stderr, signal.SIGTERM)
    finished = subprocess.run(_load(documents, store), capture_output=True, check=False)
    assert finished.returncode == 0, finished.stderr
    assert triples_of(store) == reference


def test_an_interrupted_update_is_finished_by_the_next(documents: Path, reference: set[str], tmp_path: Path) -> None:
    """Interrupted while it writes changed Kamervragen by difference: the next load puts them right."""
    changed = tmp_path / "documents"
    subprocess.run(["cp", "-r", str(documents), str(changed)], check=True)
    store = tmp_path / "store"
    subprocess.run(_load(changed, store), check=True, capture_output=True)
    paths = sorted(changed.rglob("*.txt"))[::2]
    for path in paths:  # another title for every other Kamervraag
        path.write_bytes(generate.retitled(path.read_bytes()))
    loaded = _state(store, "SELECT count(*) FROM input")
    ready = lambda: (_state(store, "SELECT count(*) FROM input") or loaded) < loaded - 20  # noqa: E731
    returned, seconds, stderr = _interrupt(_load(changed, store), ready, signal.SIGINT)
    assert returned == 130 and seconds < PROMPT, (seconds, stderr)
    _one_line(stderr, signal.SIGINT)
    finished = subprocess.run(_load(changed, store), capture_output=True, check=False)
    assert finished.returncode == 0, finished.stderr
    fresh = tmp_path / "fresh"
    subprocess.run(_load(changed, fresh), check=True, capture_output=True)
    assert triples_of(store) == triples_of(fresh) != reference


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_long_query_stops_at_once(loaded: Path, reference: set[str], sig: int, code: int) -> None:
    store = loaded
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    command = [sys.executable, "-m", "kvgraph", "query", endless, "--store", str(store)]
    started = time.monotonic()
    returned, seconds, stderr = _interrupt(command, lambda: time.monotonic() - started > 1.5, sig)
    assert returned == code and seconds < PROMPT, (seconds, stderr)
    _one_line(stderr, sig)
    counted = subprocess.run([sys.executable, "-m", "kvgraph", "query", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
                              "--store", str(store), "--format", "csv"], capture_output=True, check=True, text=True)
    assert counted.stdout == f"n\n{len(reference)}\n"
