"""OpenLink Virtuoso as a second real store: the examples and a generated corpus of 2,000
documents are loaded with `kvgraph load --endpoint` into Virtuoso and with `kvgraph load --store`
into an embedded store, and every named query must give the same rows from both.

Virtuoso is Debian's virtuoso-opensource 7.2, started per module on loopback ports
(tests/virtuoso_server.py); without `virtuoso-t` the module is skipped. The named queries are
written around Virtuoso's quirks (docs/load.md, "Virtuoso's SPARQL dialect"). Numbers come back in the same lexical forms
from both stores ("42", "43.5", "0.333"), so rows are compared as text, without normalising (the one
difference seen, unrounded decimal division: 15 digits in Virtuoso, 18 in Oxigraph, is in no
named query's output).
"""

from __future__ import annotations

import csv
import io
import os
import re
import resource
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import virtuoso_server
from conftest import EXAMPLES, ROOT
from virtuoso_server import PASSWORD, USER, VirtuosoServer, free_ports, running_virtuoso, virtuoso_command

from kvgraph.sparql import named_query_names

CORPUS_SIZE = 2000
AS_OF = "2024-05-01"  # for the overdue-* queries, which otherwise count to today
LOAD_SECONDS = 300.0
QUERY_SECONDS = 60.0  # the slowest query that runs takes about 5 s in Virtuoso
QUERY_MEMORY = 4 << 30
CREDENTIALS = {"KVGRAPH_ENDPOINT_USER": USER, "KVGRAPH_ENDPOINT_PASSWORD": PASSWORD, "KVGRAPH_RETRY_DELAY": "0"}

pytestmark = pytest.mark.skipif(virtuoso_command() is None,
                                reason="`virtuoso-t` is missing (Debian: apt-get install virtuoso-opensource)")

@dataclass(frozen=True)
class Dataset:
    """The same documents in a Virtuoso server of their own and in an embedded store, and the
    loads that put them there, which may still be running."""

    server: VirtuosoServer
    store: Path
    loads: tuple[tuple[subprocess.Popen[bytes], Path], ...]

    def ready(self) -> Dataset:
        for process, log in self.loads:
            finish(process, log)
        return self


def kvgraph(log: Path, *args: str, env: dict[str, str] | None = None, nice: bool = False) -> subprocess.Popen[bytes]:
    """`kvgraph ARGS` in a child process, as a user runs it, started but not waited for; its
    output goes to `log` (a pipe nobody reads while other loads are awaited could fill up).
    With `nice` it yields the CPU to the others (the loads into Virtuoso take longest)."""
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "kvgraph", *args], cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
                                preexec_fn=(lambda: os.nice(10)) if nice else None)


def finish(process: subprocess.Popen[bytes], log: Path) -> None:
    try:
        process.wait(timeout=LOAD_SECONDS)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, f"{' '.join(map(str, process.args))}: exit {process.returncode}\n" \
                                    f"{log.read_text('utf-8', 'replace')[-3000:]}"


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Dataset]]:
    """The examples and the corpus, each loaded into a Virtuoso of its own and a store of its own.

    Everything runs side by side, and a test waits only for its own dataset's loads: the examples
    are compared while the corpus still goes into Virtuoso (~30-40 s, one PUT per Kamervraag at
    ~15 ms of server CPU each). The corpus goes in as two loads of half the years each, because
    Virtuoso handles a PUT in one thread and a single load keeps only one core busy.
    """
    folder = tmp_path_factory.mktemp("virtuoso")
    corpus = folder / "corpus"
    loads: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(log: str, *args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], Path]:
        loads.append((kvgraph(folder / log, "load", *args, "-q", env=env, nice=env is None), folder / log))
        return loads[-1]

    try:
        examples_store = start("examples-store.log", str(EXAMPLES), "--store", str(folder / "examples.store"))
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--count", str(CORPUS_SIZE),
                        "--seed", "1", "--out", str(corpus)], check=True, capture_output=True, timeout=120)
        corpus_store = start("corpus-store.log", str(corpus), "--store", str(folder / "corpus.store"))
        years = sorted(str(path) for path in corpus.iterdir())
        with running_virtuoso(2) as (for_examples, for_corpus):
            yield {"examples": Dataset(for_examples, folder / "examples.store", (
                       examples_store,
                       start("examples-virtuoso.log", str(EXAMPLES), "--endpoint", for_examples.graph_store_basic,
                             env=CREDENTIALS))),
                   "corpus": Dataset(for_corpus, folder / "corpus.store", (
                       corpus_store,
                       *(start(f"corpus-virtuoso-{half}.log", *years[half::2], "--endpoint",
                               for_corpus.graph_store_basic, env=CREDENTIALS) for half in (0, 1))))}
    finally:  # before the servers stop, also when a test or the setup failed
        for process, _ in loads:
            if process.poll() is None:
                process.kill()
            process.wait()


def _query_process() -> None:
    """In a query's child: lower priority than the loads that later tests wait for, and a cap on
    memory (a runaway query in the embedded store once took 23 GB before the OOM killer came)."""
    os.nice(5)
    resource.setrlimit(resource.RLIMIT_AS, (QUERY_MEMORY, QUERY_MEMORY))


def query(targets: list[list[str]], name: str) -> list[tuple[list[str], list[tuple[str, ...]]]]:
    """The header and rows of `kvgraph query --named NAME --format csv` on each store or endpoint,
    all run at once."""
    as_of = ["--as-of", AS_OF] if name.startswith("overdue-") else []
    running = [subprocess.Popen([sys.executable, "-m", "kvgraph", "query", *target, "--named", name, *as_of,
                                 "--format", "csv"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env={**os.environ, "KVGRAPH_RETRY_DELAY": "0"},
                                preexec_fn=_query_process) for target in targets]
    found = []
    try:
        for target, process in zip(targets, running, strict=True):
            stdout, stderr = process.communicate(timeout=QUERY_SECONDS)
            assert process.returncode == 0, f"kvgraph query {' '.join(target)} --named {name}: {stderr}"
            header, *rows = csv.reader(io.StringIO(stdout))
            found.append((header, [tuple(row) for row in rows]))
    finally:
        for process in running:
            if process.poll() is None:
                process.kill()
                process.wait()
    return found


def cases() -> list[object]:
    return [pytest.param(dataset, name, id=f"{dataset}-{name}") for dataset in ("examples", "corpus")
            for name in named_query_names()]


@pytest.mark.parametrize(("dataset", "name"), cases())
def test_named_query_gives_the_same_rows_in_virtuoso(datasets: dict[str, Dataset], dataset: str, name: str) -> None:
    loaded = datasets[dataset].ready()
    (header, expected), (got_header, got) = query([["--store", str(loaded.store)], ["--endpoint", loaded.server.query]],
                                                  name)
    assert expected, f"{name} finds nothing in the {dataset}: nothing to compare"
    assert got_header == header
    assert got == expected  # in order: every named query's ORDER BY ends in a key unique per row


def test_load_through_the_digest_endpoint(datasets: dict[str, Dataset], tmp_path: Path) -> None:
    """Virtuoso's own Graph Store path, Digest only: it refuses the Basic header kvgraph sends up
    front with a bare 401, kvgraph drops the header, and the Digest challenge that follows is answered."""
    log = tmp_path / "load.log"
    endpoint = datasets["examples"].ready().server.graph_store
    # the same triples again (the examples server has this document already): its graph is replaced as it was
    finish(kvgraph(log, "load", str(EXAMPLES / "2022Z04503.txt"), "--endpoint", endpoint, env=CREDENTIALS), log)
    summary = log.read_text("utf-8")
    assert "1 documents, 1 Kamervragen loaded (1 replaced, 0 unchanged), 0 deleted" in summary, summary


def test_a_server_that_cannot_start_is_reported_and_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its HTTP port taken, virtuoso-t exits: the error says so with the end of its log, and its
    temporary folder is gone."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setattr(virtuoso_server, "free_ports", lambda count: [port, *free_ports(count)[1:]])
        with pytest.raises(RuntimeError, match=r"(?s)virtuoso-t exited .*Failed HTTP listen") as raised, \
                running_virtuoso():
            pass
    found = re.search(r"end of (\S+)/virtuoso\.log", str(raised.value))
    assert found and not Path(found.group(1)).exists()
