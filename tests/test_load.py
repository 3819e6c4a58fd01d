"""`kvgraph load` into an embedded store and into a real Oxigraph server over the Graph Store
Protocol, and `kvgraph query --store/--endpoint` on what was loaded.

The endpoint tests start a real `oxigraph serve` (PyPI package `oxigraph`, in the `test`
extra) on a free loopback port: no HTTP mocks. The little servers at the end are real HTTP
servers too; they only answer in ways Oxigraph will not on demand (503, then success).
"""

from __future__ import annotations

import gc
import re
import shutil
import ssl
import subprocess
import threading
import urllib.request
import warnings
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import oxigraph_server
import pytest
from click.testing import CliRunner, Result
from conftest import EXAMPLES, example_documents, run_cli
from oxigraph_server import OxigraphServer, free_port, oxigraph_command, running_oxigraph
from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse

from kvgraph import loader as loading
from kvgraph.cli import main
from kvgraph.loader import EndpointTarget, HttpClient, LoadError, credentials
from kvgraph.vocab import DEFAULT_BASE

KAMERVRAAG = DEFAULT_BASE + "id/kamervraag/"
CHANGED = "2022Z04503"
OLD_TITLE = "De oproep om Rusland uit te sluiten van INTERPOL"
NEW_TITLE = "De oproep om Rusland te schorsen bij INTERPOL"
SUMMARY = re.compile(r"^(\d+) documents, (\d+) Kamervragen loaded \((\d+) replaced, (\d+) unchanged\), (\d+) deleted, "
                     r"(\d+) triples, "
                     r"\d+ warnings, (\d+) errors, [0-9.]+ s$")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

Graphs = dict[str, frozenset[str]]


def kvgraph(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run the CLI in this process (fast: the compiled shapes are reused between calls)."""
    return CliRunner().invoke(main, list(args), env=env)


def summary_of(run: Result) -> tuple[int, ...]:
    """(documents, loaded, replaced, unchanged, deleted, triples, errors) from the closing line on stderr."""
    match = SUMMARY.match(run.stderr.strip().splitlines()[-1])
    assert match, run.stderr
    return tuple(int(g) for g in match.groups())


def by_graph(quads: Iterator[Quad]) -> Graphs:
    """Each named graph's triples as N-Triples lines, to compare graphs before and after."""
    graphs: dict[str, set[str]] = {}
    for quad in quads:
        name = quad.graph_name.value if isinstance(quad.graph_name, NamedNode) else ""  # "": the default graph
        graphs.setdefault(name, set()).add(str(quad.triple))
    return {name: frozenset(triples) for name, triples in graphs.items()}


def store_graphs(path: Path) -> Graphs:
    store = Store.read_only(str(path))
    try:
        return by_graph(store.quads_for_pattern(None, None, None, None))
    finally:
        del store


def server_graphs(server: OxigraphServer) -> Graphs:
    """The server's whole dataset, fetched with a plain GET (not through kvgraph's own client)."""
    request = urllib.request.Request(server.store, headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return by_graph(parse(response.read(), format=RdfFormat.N_QUADS))


def expected_names() -> set[str]:
    return {KAMERVRAAG + path.stem for path in example_documents()}


def corpus(tmp_path: Path) -> Path:
    """A copy of the examples that a test may change."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for path in example_documents():
        shutil.copy(path, folder / path.name)
    return folder


def retitle(folder: Path) -> None:
    path = folder / f"{CHANGED}.txt"
    text = path.read_text("utf-8")
    assert OLD_TITLE in text
    path.write_text(text.replace(OLD_TITLE, NEW_TITLE), "utf-8")


def assert_only_changed(before: Graphs, after: Graphs) -> None:
    """The edited document's graph has the new title instead of the old; every other graph is identical."""
    changed = KAMERVRAAG + CHANGED
    assert before.keys() == after.keys()
    assert {name: g for name, g in before.items() if name != changed} == \
        {name: g for name, g in after.items() if name != changed}
    assert any(OLD_TITLE in t for t in before[changed]) and not any(OLD_TITLE in t for t in after[changed])
    assert any(NEW_TITLE in t for t in after[changed])
    assert len(after[changed]) == len(before[changed])


# ---------------------------------------------------------------------------------------------
# The embedded store (more in test_store.py)


def test_query_the_store_on_the_command_line(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert kvgraph("load", str(EXAMPLES), "--store", str(store), "--no-validate").exit_code == 0
    from_files = kvgraph("query", "--named", "answer-times-per-ministry", "--format", "csv", str(EXAMPLES))
    from_store = run_cli("query", "--named", "answer-times-per-ministry", "--format", "csv", "--store", str(store))
    assert from_store.code == 0, from_store.stderr
    assert from_store.text == from_files.stdout_bytes.decode() and from_store.text.count("\r\n") > 3


@pytest.mark.parametrize("args, message", [
    (["load", str(EXAMPLES)], "exactly one of --store DIR and --endpoint URL"),
    (["load", str(EXAMPLES), "--store", "x", "--endpoint", "http://127.0.0.1:1/store"], "exactly one of"),
    (["load", "--store", "x"], "missing INPUT"),
    (["load", "--store", "x", "--delete", "2022Z4503"], "is not a zaaknummer"),
    (["load", str(EXAMPLES), "--endpoint", "http://127.0.0.1:1/store", "--prune"], "--prune needs --store"),
    (["query", "SELECT * {}", str(EXAMPLES), "--store", "x"], "only one of them"),
    (["query", "SELECT * {}"], "or --store DIR or --endpoint URL"),
])
def test_usage_errors(args: list[str], message: str) -> None:
    run = kvgraph(*args)
    assert run.exit_code == 2 and message in run.output, run.output


def test_query_of_a_missing_store_is_an_error(tmp_path: Path) -> None:
    run = kvgraph("query", COUNT, "--store", str(tmp_path / "nothing"))
    assert run.exit_code == 1 and run.stderr.startswith("error: no store at ")
    assert not (tmp_path / "nothing").exists()


# ---------------------------------------------------------------------------------------------
# A real Oxigraph server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[OxigraphServer]:
    if oxigraph_command() is None:
        pytest.skip("the `oxigraph` server command is missing: pip install -e '.[test]' installs it")
    with running_oxigraph(tmp_path / "oxigraph") as running:
        yield running


def test_endpoint_load_reload_change_delete_query(server: OxigraphServer, tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    first = kvgraph("load", str(folder), "--endpoint", server.store)
    assert first.exit_code == 0, first.output
    assert summary_of(first)[:5] == (10, 10, 0, 0, 0)
    loaded = server_graphs(server)
    assert set(loaded) == expected_names()
    assert kvgraph("load", str(folder), "--store", str(tmp_path / "store")).exit_code == 0
    # the same triples as the embedded store, which keeps them all in its default graph
    assert set().union(*loaded.values()) == set().union(*store_graphs(tmp_path / "store").values())

    # Re-loading replaces every graph and changes nothing, also when graphs go in several requests.
    again = kvgraph("load", str(folder), "--endpoint", server.store, "--batch-size", "7", "--no-validate")
    assert again.exit_code == 0 and summary_of(again)[1:4] == (10, 10, 0), again.output
    assert server_graphs(server) == loaded

    retitle(folder)
    assert kvgraph("load", str(folder), "--endpoint", server.store).exit_code == 0
    changed = server_graphs(server)
    assert_only_changed(loaded, changed)

    run = kvgraph("load", "--endpoint", server.store, "--delete", "2020Z19876", "--delete", "2099Z00001")
    assert run.exit_code == 0 and summary_of(run)[4] == 1, run.output  # the missing graph's 404 is not an error
    after = server_graphs(server)
    assert after == {name: g for name, g in changed.items() if name != KAMERVRAAG + "2020Z19876"}

    counted = run_cli("query", COUNT, "--endpoint", server.query, "--format", "csv")
    assert counted.code == 0 and counted.text == f"n\r\n{sum(map(len, after.values()))}\r\n", counted.stderr
    named = kvgraph("query", "--named", "answer-times-per-ministry", "--endpoint", server.query)
    assert named.exit_code == 0 and "ministerie van Justitie en Veiligheid" in named.stdout, named.output


ONE_LINE_4XX = re.compile(r"^error: HTTP 4\d\d [^\n]+ from (PUT|POST) http://127\.0\.0\.1:\d+/\S+(: .+)?$")


def test_client_errors_are_one_line(server: OxigraphServer) -> None:
    secret = "s3cret-t0ken"
    run = kvgraph("load", str(EXAMPLES), "--endpoint", server.base + "/no-such-path", "--no-validate",
                  env={"KVGRAPH_ENDPOINT_TOKEN": secret})
    assert run.exit_code == 1 and run.exception.__class__ is SystemExit
    error, summary = run.stderr.strip().splitlines()
    assert ONE_LINE_4XX.match(error), error
    assert SUMMARY.match(summary) and secret not in run.output

    query = kvgraph("query", "SELECT ?x WHERE { ?x", "--endpoint", server.query)
    assert query.exit_code == 1 and re.fullmatch(r"error: HTTP 400 .* from POST \S+: .+\n", query.stderr), query.stderr


def test_credentials_in_the_url_are_refused() -> None:
    run = kvgraph("load", str(EXAMPLES), "--endpoint", "http://user:hunter2@127.0.0.1:1/store")
    assert run.exit_code == 1 and "hunter2" not in run.output and "not in the URL" in run.stderr


def test_an_unreachable_server_is_retried_then_reported(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    env = {"KVGRAPH_RETRY_DELAY": "0.01"}
    run = kvgraph("load", str(EXAMPLES), "--endpoint", url, "--no-validate", env=env)
    assert run.exit_code == 1 and run.exception.__class__ is SystemExit
    error = run.stderr.splitlines()[0]
    assert re.fullmatch(rf"error: PUT {re.escape(url)}\?graph=\S+ failed after 5 attempts: .*refused.*", error), error
    query = kvgraph("query", COUNT, "--endpoint", url, env=env)
    assert query.exit_code == 1 and "failed after 5 attempts" in query.stderr


# ---------------------------------------------------------------------------------------------
# Behaviour Oxigraph does not show on demand: a real local server that fails first, and credentials


class Flaky(BaseHTTPRequestHandler):
    """Answers 503 to the first two requests, then 201; remembers the Authorization headers."""

    seen: list[str | None] = []

    def do_PUT(self) -> None:  # noqa: N802 (the name http.server calls)
        self.rfile.read(int(self.headers["Content-Length"]))
        Flaky.seen.append(self.headers.get("Authorization"))
        self.send_response(503 if len(Flaky.seen) <= 2 else 201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flaky() -> Iterator[str]:
    Flaky.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/store"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_5xx_is_retried_with_backoff(flaky: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVGRAPH_ENDPOINT_TOKEN", "tok")
    waits: list[float] = []
    client = HttpClient(flaky, delay=0.5, sleep=waits.append)
    response = client.send("PUT", flaky + "?graph=x", b"", "application/n-triples")
    assert response.status == 201 and waits == [0.5, 1.0]
    assert Flaky.seen == ["Bearer tok"] * 3


def test_basic_credentials_from_the_environment(flaky: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVGRAPH_ENDPOINT_USER", "loader")
    monkeypatch.setenv("KVGRAPH_ENDPOINT_PASSWORD", "pw")
    HttpClient(flaky, delay=0).send("PUT", flaky, b"", "application/n-triples")
    assert Flaky.seen == ["Basic bG9hZGVyOnB3"] * 3  # loader:pw, also on the retries


def test_credentials_precedence_and_netrc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KVGRAPH_ENDPOINT_TOKEN", "KVGRAPH_ENDPOINT_USER", "KVGRAPH_ENDPOINT_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    rc = tmp_path / "netrc"
    rc.write_text("machine store.example.org login nl password geheim\n", "utf-8")
    rc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(rc))
    assert credentials("https://store.example.org/data") == ("nl", "geheim")
    assert credentials("https://other.example.org/data") is None
    monkeypatch.setenv("KVGRAPH_ENDPOINT_USER", "env")
    assert credentials("https://store.example.org/data") == ("env", "")
    monkeypatch.setenv("KVGRAPH_ENDPOINT_TOKEN", "t")
    assert credentials("https://store.example.org/data") == "t"
    monkeypatch.delenv("KVGRAPH_ENDPOINT_TOKEN")
    monkeypatch.delenv("KVGRAPH_ENDPOINT_USER")
    rc.chmod(0o640)  # a password the group can read is refused, also when $NETRC names the file
    with pytest.raises(LoadError, match=r"^not using \S+netrc: it holds a password and is readable by group or others"):
        credentials("https://other.example.org/data")
    rc.write_text("machine store.example.org login nl\n", "utf-8")
    assert credentials("https://store.example.org/data") == ("nl", "")  # no password: nothing to protect
    rc.chmod(0o600)
    rc.write_text("machine store.example.org login nl password geheim extra-junk\n", "utf-8")
    with pytest.raises(LoadError) as failed:
        credentials("https://store.example.org/data")
    assert "geheim" not in str(failed.value)


def test_graph_names_are_the_kamervraag_iris() -> None:
    assert loading.graph_url("http://h/store", NamedNode(KAMERVRAAG + CHANGED)) == \
        "http://h/store?graph=https%3A%2F%2Fw3id.org%2Fkvgraph%2Fid%2Fkamervraag%2F2022Z04503"
    assert loading.graph_url("http://h/data?x=1", NamedNode("http://g")).startswith("http://h/data?x=1&graph=")


class Scripted(BaseHTTPRequestHandler):
    """`/moved-301` (302, 303, 307) redirects to `/elsewhere`, which answers 200 to anything;
    every other path is 404. Remembers each request as `METHOD /path`."""

    seen: list[str] = []

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        Scripted.seen.append(f"{self.command} {self.path}")
        if self.path.startswith("/moved-"):
            self.send_response(int(self.path[len("/moved-"):len("/moved-") + 3]))
            self.send_header("Location", "/elsewhere")
        else:
            self.send_response(200 if self.path == "/elsewhere" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815 (the names http.server calls)

    def log_message(self, *args: object) -> None:
        pass


def serve(handler: type[BaseHTTPRequestHandler], context: ssl.SSLContext | None = None) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if context is not None:
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"{'https' if context else 'http'}://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def scripted() -> Iterator[str]:
    Scripted.seen = []
    yield from serve(Scripted)


@pytest.mark.parametrize("code", [301, 302, 303, 307])
def test_a_redirected_write_is_an_error(scripted: str, code: int) -> None:
    """urllib would follow a 301/302/303 on POST as a GET without the body: a write that never happened."""
    url = f"{scripted}/moved-{code}?graph=x"
    with pytest.raises(LoadError) as failed:
        HttpClient(scripted, delay=0).send("POST", url, b"<a:b> <a:b> <a:b> .\n", "application/n-triples")
    message = str(failed.value)
    assert message.startswith(f"HTTP {code} ") and f"from POST {url}" in message, message
    assert "Location: /elsewhere" in message and "\n" not in message
    assert Scripted.seen == [f"POST /moved-{code}?graph=x"]  # tried once, not followed, not retried
    assert HttpClient(scripted, delay=0).send("GET", f"{scripted}/moved-{code}").status == 200  # a read may follow


def test_missing_graph_on_delete_is_known_by_its_status(scripted: str) -> None:
    target = EndpointTarget(scripted + "/store", client=HttpClient(scripted, delay=0))
    assert target.delete(NamedNode(KAMERVRAAG + CHANGED)) is False
    assert target.delete(NamedNode(KAMERVRAAG + CHANGED)) is False
    client = HttpClient(scripted, delay=0)
    assert client.send("DELETE", scripted + "/gone", expected=(404,)).status == 404
    with pytest.raises(LoadError) as failed:
        client.send("PUT", scripted + "/gone", b"")
    assert failed.value.status == 404


@pytest.fixture
def untrusted_https(tmp_path: Path) -> Iterator[str]:
    """A real HTTPS server with a self-signed certificate, which the client does not trust."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1", "-days", "1"],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    Scripted.seen = []
    yield from serve(Scripted, context)


def test_an_untrusted_certificate_is_not_retried(untrusted_https: str) -> None:
    waits: list[float] = []
    with pytest.raises(LoadError) as failed:
        HttpClient(untrusted_https, delay=1, sleep=waits.append).send("PUT", untrusted_https + "/store?graph=x", b"")
    assert waits == [] and Scripted.seen == []
    assert re.fullmatch(r"PUT https://\S+: the server's certificate is not trusted: .*self.signed.*", str(failed.value))


def test_the_log_is_closed_when_oxigraph_cannot_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oxigraph_server, "oxigraph_command", lambda: str(tmp_path / "no-such-oxigraph"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with running_oxigraph(tmp_path / "data"):
                pass
        except FileNotFoundError:
            pass
        else:
            pytest.fail("a missing command must raise")
        gc.collect()  # an open file left behind warns when it is collected
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)], [str(w.message) for w in caught]
