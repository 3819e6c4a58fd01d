"""A real Oxigraph server for tests: `oxigraph serve` (PyPI package `oxigraph`) on a free loopback port.

Tests talk to a real server rather than an HTTP mock, so what passes here is what a triple store
actually accepts. The server is always stopped, also when a test fails or startup times out.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STARTUP_SECONDS = 20.0


def oxigraph_command() -> str | None:
    """The `oxigraph` executable: next to this Python (the venv) first, then on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else shutil.which("oxigraph")


def free_port() -> int:
    """A loopback port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class OxigraphServer:
    """Where a running server answers: the Graph Store endpoint and the SPARQL query endpoint."""

    base: str

    @property
    def store(self) -> str:
        return f"{self.base}/store"

    @property
    def query(self) -> str:
        """The query endpoint; `union-default-graph` makes the named graphs the default graph, as in kvgraph."""
        return f"{self.base}/query?union-default-graph"


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except OSError:
        return False


@contextmanager
def running_oxigraph(location: Path) -> Iterator[OxigraphServer]:
    """Start `oxigraph serve` with its data in `location`, wait until it answers, and stop it afterwards."""
    command = oxigraph_command()
    if command is None:
        raise FileNotFoundError("oxigraph")
    port = free_port()
    log = (location.parent / f"{location.name}.log").open("wb")
    try:
        process = subprocess.Popen([command, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                                   stdout=log, stderr=subprocess.STDOUT)
    except BaseException:
        log.close()  # the server never started: nothing else will close it
        raise
    try:
        server = OxigraphServer(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _ready(server.base + "/"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph serve did not start on port {port} (see {log.name})")
            time.sleep(0.05)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
