"""No network: every command works in a process that cannot open a socket, and JSON-LD inputs
never make kvgraph fetch a remote context (even when the network is there)."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, Run
from hostile_docs import read_oxigraph

from kvgraph import pipeline

# Put first on PYTHONPATH, this makes every Python process (workers included) unable to use the
# network: creating an internet socket, connecting or resolving a name raises, and is written to
# a log so that an attempt cannot go unnoticed even if the code under test catches the error.
# Local sockets stay allowed: asyncio (which pyLODE's HTML library starts) needs a socketpair.
SITECUSTOMIZE = '''
import os, socket

def _refuse(*args, **kwargs):
    with open(os.environ["KVGRAPH_NETWORK_LOG"], "a", encoding="utf-8") as log:
        log.write(f"network use: {args!r}\\n")
    raise OSError("network access is blocked in this test")

class _NoInternetSocket(socket.socket):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None and family in (-1, socket.AF_INET, socket.AF_INET6):
            _refuse(family, type)
        super().__init__(family, type, proto, fileno)

socket.socket = _NoInternetSocket
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
'''
FORMATS = {"turtle": "ttl", "nt": "nt", "nquads": "nq", "trig": "trig", "json-ld": "jsonld"}


class Offline:
    """Runs `kvgraph` (or Python) in subprocesses that cannot use the network."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        (folder / "sitecustomize.py").write_text(SITECUSTOMIZE, "utf-8")
        self.log = folder / "network.log"
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")]),
                    "KVGRAPH_NETWORK_LOG": str(self.log)}

    def python(self, *args: str) -> Run:
        done = subprocess.run([sys.executable, *args], capture_output=True, cwd=ROOT, env=self.env, check=False)
        return Run(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))

    def kvgraph(self, *args: str) -> Run:
        return self.python("-m", "kvgraph", *args)

    def attempts(self) -> list[str]:
        return self.log.read_text("utf-8").splitlines() if self.log.exists() else []


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Offline:
    return Offline(tmp_path_factory.mktemp("offline") / "site")


@pytest.fixture(scope="module")
def converted(offline: Offline, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The examples converted offline to every format, with two worker processes."""
    out = tmp_path_factory.mktemp("converted")
    files = {}
    for fmt, suffix in FORMATS.items():
        files[fmt] = out / f"all.{suffix}"
        run = offline.kvgraph("convert", str(EXAMPLES), "-f", fmt, "-o", str(files[fmt]), "-j", "2", "-q")
        assert run.code == 0, run.stderr
    return files


def test_the_block_works(offline: Offline) -> None:
    for code in ("import socket; socket.create_connection(('127.0.0.1', 9))", "import socket; socket.socket()",
                 "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9/')"):
        run = offline.python("-c", code)
        assert run.code == 1 and "network access is blocked" in run.stderr, run.stderr
    assert len(offline.attempts()) == 3
    offline.log.unlink()
    assert offline.python("-c", "import socket; socket.socketpair()").code == 0  # local sockets still work


def test_convert_offline_gives_the_same_bytes_as_online(offline: Offline, converted: dict[str, Path], tmp_path: Path) -> None:
    for fmt, path in converted.items():
        with open(tmp_path / "here", "wb") as out:
            summary = pipeline.convert([str(EXAMPLES)], out, fmt=fmt, jobs=1)
        assert path.read_bytes() == (tmp_path / "here").read_bytes(), fmt
        assert len(read_oxigraph(path.read_bytes(), fmt)) == summary.triples > 1000
    assert offline.attempts() == []


def test_parse_offline(offline: Offline) -> None:
    run = offline.kvgraph("parse", str(EXAMPLES))
    assert run.code == 0, run.stderr
    assert len(run.text.splitlines()) == len(list(EXAMPLES.glob("*.txt")))
    assert offline.attempts() == []


def test_validate_offline(offline: Offline, converted: dict[str, Path], tmp_path: Path) -> None:
    run = offline.kvgraph("validate", str(converted["turtle"]), str(converted["json-ld"]), str(EXAMPLES / "2022Z04503.txt"))
    assert run.code == 0 and "3 inputs checked: all conform" in run.stderr, run.stderr
    # pyshacl, the reference engine, on one document (it takes seconds per document)
    one = tmp_path / "one.jsonld"
    with open(one, "wb") as out:
        pipeline.convert([str(EXAMPLES / "2022Z04503.txt")], out, fmt="json-ld", validate_graph=False)
    run = offline.kvgraph("validate", str(one), "--engine", "pyshacl")
    assert run.code == 0 and "1 inputs checked: all conform" in run.stderr, run.stderr
    assert offline.attempts() == []


def test_query_offline(offline: Offline, converted: dict[str, Path]) -> None:
    for source in (converted["turtle"], converted["json-ld"], converted["trig"], EXAMPLES):
        run = offline.kvgraph("query", str(ROOT / "queries" / "answer-times.rq"), str(source))
        assert run.code == 0, run.stderr
        assert "2022Z04503  2022-03-10  2022-03-24  14" in run.text
    run = offline.kvgraph("query", "--named", "overdue-per-party", "--as-of", "2024-05-01", str(converted["nt"]))
    assert run.code == 0, run.stderr
    assert offline.attempts() == []


def test_publish_offline(offline: Offline, tmp_path: Path) -> None:
    if offline.kvgraph("publish", "--help").code != 0:
        pytest.skip("no publish command")
    run = offline.kvgraph("publish", str(EXAMPLES), "--out", str(tmp_path / "release"), "--date", "2024-05-01", "-q")
    assert run.code == 0, run.stderr
    assert (tmp_path / "release" / "kvgraph.html").stat().st_size > 1000
    assert offline.attempts() == []


# --- JSON-LD with a remote context ---------------------------------------------------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    """Serves a valid context for any path, and remembers that it was asked."""

    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.requests.append(self.path)
        body = b'{"@context": {"name": "http://schema.org/name"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def context_server() -> Iterator[str]:
    """A local HTTP server with a JSON-LD context; yields its URL. Fetching it would work."""
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ctx.jsonld"
    server.shutdown()
    thread.join()


@pytest.mark.parametrize("context", ["https://example.org/ctx.jsonld", "local"])
def test_remote_jsonld_context_is_a_clean_error_never_a_fetch(cli, context_server: str, tmp_path: Path, context: str) -> None:
    url = context_server if context == "local" else context
    document = tmp_path / "remote.jsonld"
    document.write_text(f'{{"@context": "{url}", "@id": "https://example.org/x", "name": "y"}}', "utf-8")
    for args in (["validate", str(document)], ["query", "SELECT * WHERE { ?s ?p ?o }", str(document)]):
        run = cli(*args)
        assert run.code == 1 and "Traceback" not in run.stderr, run.stderr
        assert f"{document}: error: cannot read RDF:" in run.stderr
        assert "remote context" in run.stderr
    assert _Recorder.requests == []
