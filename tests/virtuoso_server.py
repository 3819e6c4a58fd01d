"""A real OpenLink Virtuoso for tests: Debian's `virtuoso-t` (package virtuoso-opensource) as a
throw-away server on two free loopback ports, its database in a temporary folder.

It runs in the foreground (`+foreground`), so it is this process's child and terminating it
stops it; the folder (the database files can grow to gigabytes on a runaway query) is removed
afterwards, also when a test fails or startup times out. The ini is written here rather than
copied from /etc, so no system path, port 1111/8890 or leftover database is ever touched.
"""

from __future__ import annotations

import ctypes
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

STARTUP_SECONDS = 60.0  # a new database takes about 6 s (it builds its system tables and checkpoints)
STOP_SECONDS = 15.0
USER = PASSWORD = "dba"  # the superuser of a new database; it holds SPARQL_UPDATE
PR_SET_PDEATHSIG = 1  # linux/prctl.h

# Buffers are 8 KiB pages: 20000 is about 160 MB, ample for the ~300k triples the tests load and
# small next to the 24 GB of the machines this runs on (Virtuoso's own advice is 2/3 of free RAM
# for a real server). CheckpointInterval 0: no periodic checkpoints in a database that is thrown
# away. ResultSetMaxRows: Debian's ini caps /sparql answers at 10000 rows, silently; the corpus's
# `questions` has more. MaxQueryExecutionTime stops a runaway query in the server (the client is
# killed after tests/test_virtuoso.py's QUERY_SECONDS; the server would go on, its temporary
# database once grew to 11 GB); Virtuoso then answers 500, or the rows found so far, which the
# comparison rejects.
INI = """\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DirsAllowed        = ., {folder}
NumberOfBuffers    = 20000
MaxDirtyBuffers    = 15000
CheckpointInterval = 0
ThreadsPerQuery    = 2

[HTTPServer]
ServerPort            = 127.0.0.1:{http_port}
ServerRoot            = {folder}
ServerThreads         = 4
MaxClientConnections  = 4
Charset               = UTF-8

[SPARQL]
ResultSetMaxRows      = 10000000
MaxQueryExecutionTime = 60
"""

# Virtuoso's /sparql-graph-crud-auth only takes Digest (its security level is 'digest') and
# answers a request that carries Basic credentials with a bare 401, no challenge; kvgraph sends
# Basic first (docs/load.md), so it never gets to answer the challenge. The tests load through
# this second path to the same Graph Store service, the same user check, with Basic allowed.
SETUP_SQL = """\
DB.DBA.VHOST_DEFINE (lhost=>'*ini*', vhost=>'*ini*', lpath=>'/sparql-graph-crud-basic',
  ppath=>'/!sparql-graph-crud/', is_dav=>1, vsp_user=>'dba', opts=>vector ('noinherit', 1, 'exec_as_get', 1),
  auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER', realm=>'SPARQL', sec=>'basic');
"""


def _die_with_parent() -> None:
    """In the child before exec (Linux): SIGTERM when the process that started it dies, so a test
    run that is killed (where no `finally` runs) leaves no server behind."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def virtuoso_command() -> str | None:
    return shutil.which("virtuoso-t")


def free_ports(count: int) -> list[int]:
    """Distinct loopback ports nobody listens on right now (held open together, so never the same twice)."""
    with ExitStack() as stack:
        probes = [stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) for _ in range(count)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]


@dataclass(frozen=True)
class VirtuosoServer:
    """Where a running server answers, and its folder (for the log)."""

    http_port: int
    sql_port: int
    folder: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def graph_store(self) -> str:
        """The Graph Store endpoint as shipped: Digest only."""
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def graph_store_basic(self) -> str:
        """The same Graph Store endpoint with Basic allowed (SETUP_SQL)."""
        return f"{self.base}/sparql-graph-crud-basic"

    @property
    def query(self) -> str:
        """The SPARQL endpoint; without FROM, Virtuoso's default graph is the union of all graphs."""
        return f"{self.base}/sparql"

    def sql(self, statements: str) -> str:
        """Run SQL through isql-vt as dba; raises with isql's output on an error (isql itself exits 0)."""
        isql = shutil.which("isql-vt")
        if isql is None:
            raise FileNotFoundError("isql-vt (Debian package virtuoso-opensource-7-bin)")
        done = subprocess.run([isql, f"127.0.0.1:{self.sql_port}", USER, PASSWORD, "VERBOSE=OFF", "BANNER=OFF",
                               "PROMPT=OFF", "ERRORS=STDOUT"], input=statements, capture_output=True, text=True,
                              timeout=60, check=False)
        if done.returncode != 0 or "*** Error" in done.stdout:
            raise RuntimeError(f"isql-vt failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
        return done.stdout

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = (self.folder / "virtuoso.log").read_text("utf-8", "replace")
        except OSError as exc:
            return f"(no log: {exc})"
        return "\n".join(text.splitlines()[-lines:])


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:  # refused, reset, timed out, or an HTTP error while it starts
        return False


@contextmanager
def running_virtuoso(count: int = 1) -> Iterator[list[VirtuosoServer]]:
    """Start `count` servers, each on a new database in a temporary folder of its own, all at once
    (a new database takes ~6 s to start); wait until each /sparql answers and run SETUP_SQL.
    Afterwards stop them and remove the folders, whatever happened."""
    command = virtuoso_command()
    if command is None:
        raise FileNotFoundError("virtuoso-t")
    ports = free_ports(2 * count)
    with ExitStack() as stack:
        started = [stack.enter_context(_started(command, ports[2 * i], ports[2 * i + 1])) for i in range(count)]
        for server, process in started:
            deadline = time.monotonic() + STARTUP_SECONDS
            while not _ready(server.query):
                if process.poll() is not None or time.monotonic() > deadline:
                    state = "exited" if process.poll() is not None else f"did not answer within {STARTUP_SECONDS:.0f} s"
                    raise RuntimeError(f"virtuoso-t {state} (HTTP port {server.http_port}, SQL port "
                                       f"{server.sql_port}); end of {server.folder}/virtuoso.log:\n{server.log_tail()}")
                time.sleep(0.1)
            server.sql(SETUP_SQL)
        yield [server for server, _ in started]


@contextmanager
def _started(command: str, http_port: int, sql_port: int) -> Iterator[tuple[VirtuosoServer, subprocess.Popen[bytes]]]:
    """One virtuoso-t process on a new database in a new temporary folder; stopped and removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="kvgraph-virtuoso-"))
    try:
        ini = folder / "virtuoso.ini"
        ini.write_text(INI.format(folder=folder, sql_port=sql_port, http_port=http_port), "utf-8")
        # In the foreground Virtuoso writes its log to stdout, and some lines to the ErrorLogFile:
        # both go to one file (both append).
        with (folder / "virtuoso.log").open("ab") as log:
            process = subprocess.Popen([command, "+foreground", "+configfile", str(ini)], cwd=folder,
                                       stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                       preexec_fn=_die_with_parent)
        try:
            yield VirtuosoServer(http_port, sql_port, folder), process
        finally:
            process.terminate()  # SIGTERM: a quick shutdown, no checkpoint, well under a second
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
