"""Shared fixtures: the bundled examples, a way to run the real CLI in a subprocess, and a way
to time work in a child process that is killed at a budget."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SAMPLE = EXAMPLES / "2022Z04503.txt"


def read_manifest(out_dir: Path) -> tuple[dict, list[dict]]:
    """The header and the per-input lines of an `--out-dir` folder's manifest (JSON Lines)."""
    header, *inputs = (json.loads(line) for line in (out_dir / "manifest.json").read_bytes().splitlines())
    return header, inputs


def in_child(target: Callable[..., None], args: tuple, limit: float, what: str) -> Any | None:
    """Run `target(*args, conn)` in a forked child and return what it sends on `conn`, or None
    when it is not done within `limit` seconds (it is killed, so a catastrophic case cannot
    hang the suite). A child that dies without sending fails the test, naming `what` it did."""
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=target, args=(*args, send))
    child.start()
    send.close()  # the child's copy is the only one left: if it dies, the pipe says so
    finished = receive.poll(limit)
    if not finished:
        child.kill()
    child.join()
    if not finished:
        return None
    try:
        return receive.recv()
    except EOFError:
        pytest.fail(f"{what} raised an exception (child exit code {child.exitcode})")


def example_documents() -> list[Path]:
    return sorted(EXAMPLES.glob("*.txt"))


def expected_record(document: Path) -> dict:
    return json.loads(document.with_suffix(".expected.json").read_text("utf-8"))


@dataclass
class Run:
    code: int
    stdout: bytes
    stderr: str

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8")


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path = ROOT) -> Run:
    """Run `kvgraph ARGS` as a user would, in a separate process."""
    done = subprocess.run([sys.executable, "-m", "kvgraph", *args], input=stdin, capture_output=True, cwd=cwd,
                          check=False)
    return Run(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))


@pytest.fixture
def cli():
    return run_cli
