"""Loading documents into a triple store: an embedded Oxigraph store on disk (kvgraph.store), or
any store that speaks the SPARQL 1.1 Graph Store HTTP Protocol.

On an endpoint every Kamervraag goes into its own named graph, named by the Kamervraag's IRI, and
a load replaces that whole graph: re-loading the same input leaves the store as it was, a changed
document replaces exactly its own triples, and a withdrawn document is removed by dropping one
graph. Shared things (persons, parties, topics) are described again in every graph that mentions
them, so each graph stands on its own and dropping one never breaks another. The embedded store
keeps its data in the default graph instead, with a record of what each Kamervraag wrote
(kvgraph/store.py says why).

Only the standard library speaks HTTP here (urllib), so kvgraph needs no HTTP client package.
Credentials come from the environment or ~/.netrc, never from the command line, and never
appear in messages: errors name the method, the URL (which may not carry a user or password)
and the server's first line of explanation.
"""

from __future__ import annotations

import base64
import http.client
import json
import netrc
import os
import ssl
import stat
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from email.message import Message
from pathlib import Path
from typing import IO, Protocol
from urllib.parse import quote, urlencode, urlsplit

from pyoxigraph import NamedNode, RdfFormat, Store, Triple, parse, serialize

from .defaults import DEFAULT_BATCH_SIZE
from .mapping import kamervraag_iri
from .model import Diagnostic
from .parser import ZAAKNUMMER
from .pipeline import Options, Outcome, Summary, outcomes
from .read import MAX_BYTES, expand_inputs
from .sparql import Table
from .store import RECORD, StoreError, StoreTarget
from .vocab import DEFAULT_BASE

# Documents validated together (pipeline.outcomes): batch validation is what makes it fast.
VALIDATION_BATCH = 50
ATTEMPTS = 5
DEFAULT_RETRY_DELAY = 1.0
TIMEOUT = 60.0
NTRIPLES = "application/n-triples"
SPARQL_JSON = "application/sparql-results+json"
USER_AGENT = "kvgraph"


class LoadError(Exception):
    """A problem that stops a load or a remote query; its text is one line, safe to show."""

    summary: LoadSummary | None = None
    status: int | None = None  # the HTTP status, when a server answered with an error


@dataclass
class LoadSummary(Summary):
    """What a load did: a conversion's counts plus what happened to the graphs in the target."""

    loaded: int = 0
    replaced: int = 0
    unchanged: int = 0
    deleted: int = 0

    def line(self) -> str:
        return (f"{self.documents} documents, {self.loaded} Kamervragen loaded ({self.replaced} replaced, "
                f"{self.unchanged} unchanged), "
                f"{self.deleted} deleted, {self.triples} triples, {self.warnings} warnings, {self.errors} errors, "
                f"{self.seconds:.2f} s")


Graph = tuple[NamedNode, list[Triple]]


class Target(Protocol):
    """Where graphs go. Both kinds replace whole named graphs, so loads are idempotent."""

    def replace(self, graphs: list[Graph]) -> tuple[int, int]:
        """Write each graph in place of any graph of that name; returns how many of them existed
        before with other triples (replaced), and how many existed with exactly these (unchanged)."""

    def delete(self, graph: NamedNode) -> bool:
        """Drop one named graph; False when there was no such graph."""

    def graph_names(self) -> set[str]:
        """The names of all named graphs (for --prune)."""

    def close(self) -> None:
        """Make the writes durable and release the target."""


# ---------------------------------------------------------------------------------------------
# The embedded store (kvgraph.store): queries open it read-only


def open_store_read_only(path: str) -> Store:
    """An existing store for querying; never creates one, so a mistyped path is an error, not an empty result.

    A store of an older kvgraph (one named graph per Kamervraag, no record) is refused: its data is
    not in the default graph the named queries read."""
    if not Path(path).is_dir():
        raise LoadError(f"no store at {path} (load one with `kvgraph load INPUT... --store {path}`)")
    if not (Path(path) / RECORD).is_file():
        raise LoadError(f"{path} is not a store of this kvgraph (it has no {RECORD}); load the documents into a new folder")
    try:
        return Store.read_only(path)
    except OSError as exc:
        raise LoadError(f"cannot open store {path}: {_first_line(str(exc))}") from None


# ---------------------------------------------------------------------------------------------
# HTTP: credentials, retries, one-line errors


def retry_delay() -> float:
    """The first backoff delay in seconds; KVGRAPH_RETRY_DELAY lets tests (and impatient users) shorten it."""
    try:
        return max(0.0, float(os.environ.get("KVGRAPH_RETRY_DELAY", DEFAULT_RETRY_DELAY)))
    except ValueError:
        return DEFAULT_RETRY_DELAY


def checked_url(url: str) -> str:
    """An http(s) URL without user or password in it: credentials on a command line end up in shell
    history and process lists, so they are only taken from the environment or ~/.netrc."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LoadError(f"not an http(s) URL: {url}")
    if parts.username is not None or parts.password is not None:
        raise LoadError("put credentials in KVGRAPH_ENDPOINT_USER/KVGRAPH_ENDPOINT_PASSWORD, "
                        "KVGRAPH_ENDPOINT_TOKEN or ~/.netrc, not in the URL")
    return url


def credentials(url: str) -> tuple[str, str] | str | None:
    """A bearer token, a (user, password) pair or None: from the environment first, then ~/.netrc."""
    token = os.environ.get("KVGRAPH_ENDPOINT_TOKEN")
    if token:
        return token
    user, password = os.environ.get("KVGRAPH_ENDPOINT_USER"), os.environ.get("KVGRAPH_ENDPOINT_PASSWORD")
    if user:
        return user, password or ""
    return _from_netrc(urlsplit(url).hostname or "")


def _from_netrc(host: str) -> tuple[str, str] | None:
    """The login for `host` in ~/.netrc (or $NETRC); the parser's own message is not shown, as it can quote the file.

    Python checks a .netrc's owner and permissions only when it finds the file itself, and
    Python 3.11's netrc.netrc() ignores $NETRC, so the check is made here for either file:
    a .netrc that holds a password must be yours and not readable by group or others.
    """
    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        parsed = netrc.netrc(str(path))
        info = path.stat()
    except netrc.NetrcParseError as exc:
        raise LoadError(f"cannot use {path} (line {exc.lineno}): bad syntax") from None
    except OSError as exc:
        raise LoadError(f"cannot read {path}: {exc.strerror}") from None
    if os.name == "posix" and any(password for _, _, password in parsed.hosts.values()):
        if info.st_uid != os.getuid():
            raise LoadError(f"not using {path}: it holds a password and is not owned by you")
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise LoadError(f"not using {path}: it holds a password and is readable by group or others "
                            f"(chmod 600 {path})")
    entry = parsed.authenticators(host)
    return (entry[0], entry[2] or "") if entry else None


class _RefuseUnsafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects for GET and HEAD only. urllib turns a redirected POST into a GET without
    a body, which would report a write as done that never happened; such a 3xx is an error."""

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: Message, newurl: str) -> urllib.request.Request | None:
        if req.get_method() not in ("GET", "HEAD"):
            raise urllib.error.HTTPError(req.full_url, code, msg, headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(url: str) -> tuple[urllib.request.OpenerDirector, dict[str, str]]:
    """An opener that authenticates as configured, and the headers to send on every request.

    User and password go out as Basic on every request (urllib's own Basic handler stops sending
    them after any non-2xx answer, so a retry after a 503 would go out without them) and also answer
    a Digest challenge (Virtuoso's /sparql-graph-crud-auth). Credentials are never forwarded on a redirect.
    """
    found = credentials(url)
    if isinstance(found, str):
        return urllib.request.build_opener(_RefuseUnsafeRedirects()), {"Authorization": f"Bearer {found}"}
    if found is None:
        return urllib.request.build_opener(_RefuseUnsafeRedirects()), {}
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, found[0], found[1])
    basic = base64.b64encode(f"{found[0]}:{found[1]}".encode()).decode("ascii")
    opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords), _RefuseUnsafeRedirects())
    return opener, {"Authorization": f"Basic {basic}"}


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


class HttpClient:
    """Sends requests to one server with retries: 5xx, 429 and connection errors are retried with
    exponential backoff (a restarting or overloaded store recovers); any other 4xx, a 3xx on
    anything but GET/HEAD, and a certificate that is not trusted fail at once (retrying cannot help)."""

    def __init__(self, url: str, attempts: int = ATTEMPTS, delay: float | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.url = checked_url(url)
        self.opener, self.headers = _opener(self.url)
        self.attempts = max(1, attempts)
        self.delay = retry_delay() if delay is None else delay
        self.sleep = sleep

    def send(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None,
             accept: str | None = None, expected: Collection[int] = ()) -> Response:
        """One request, retried as needed; raises LoadError with a one-line reason when it fails.

        An error status in `expected` (say 404 for a DELETE) is returned as a Response instead.
        """
        reason = ""
        for attempt in range(self.attempts):
            if attempt:
                self.sleep(self.delay * 2 ** (attempt - 1))
            try:
                return self._once(method, url, body, content_type, accept)
            except urllib.error.HTTPError as exc:
                if exc.code in expected:
                    return Response(exc.code, b"")
                if self._unchallenged_basic(exc):
                    return self.send(method, url, body, content_type, accept, expected)
                if exc.code < 500 and exc.code != 429:
                    error = LoadError(_http_error(method, url, exc))
                    error.status = exc.code
                    raise error from None
                reason = f"HTTP {exc.code} {exc.reason}"
            except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                cause = getattr(exc, "reason", exc)
                if isinstance(cause, ssl.SSLCertVerificationError):
                    raise LoadError(f"{method} {url}: the server's certificate is not trusted: "
                                    f"{cause.verify_message or _first_line(str(cause))}") from None
                reason = _connection_error(exc)
            except ValueError as exc:  # urllib's word for a bad URL or an authentication scheme it cannot do
                raise LoadError(f"{method} {url}: {_first_line(str(exc))}") from None
        raise LoadError(f"{method} {url} failed after {self.attempts} attempts: {reason}")

    def _unchallenged_basic(self, exc: urllib.error.HTTPError) -> bool:
        """A 401 without a challenge to the Basic header sent up front: drop that header, so the
        next request meets the server's own challenge and the Digest handler can answer it
        (Virtuoso's Digest-only /sparql-graph-crud-auth refuses Basic without saying what it wants)."""
        basic = self.headers.get("Authorization", "").startswith("Basic ")
        if exc.code != 401 or not basic or (exc.headers and exc.headers.get("WWW-Authenticate")):
            return False
        del self.headers["Authorization"]
        return True

    def _once(self, method: str, url: str, body: bytes | None, content_type: str | None,
              accept: str | None) -> Response:
        request = urllib.request.Request(url, data=body, method=method)
        request.add_header("User-Agent", USER_AGENT)
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        for name, value in self.headers.items():
            request.add_unredirected_header(name, value)
        with self.opener.open(request, timeout=TIMEOUT) as response:
            return Response(response.status, response.read())


def _http_error(method: str, url: str, exc: urllib.error.HTTPError) -> str:
    """`HTTP 400 Bad Request from PUT URL: first line of the body`, plus a hint for 401/403 and,
    for a redirect that was not followed, where it pointed."""
    try:
        first = _first_line(exc.read(4096).decode("utf-8", "replace"))
    except OSError:
        first = ""
    hint = " (set KVGRAPH_ENDPOINT_USER/KVGRAPH_ENDPOINT_PASSWORD or KVGRAPH_ENDPOINT_TOKEN, or use ~/.netrc)" \
        if exc.code in (401, 403) else ""
    if 300 <= exc.code < 400:
        location = " ".join((exc.headers.get("Location") or "none").split()) if exc.headers else "none"
        hint = f" (redirect not followed, Location: {location}; use that URL)"
    return f"HTTP {exc.code} {exc.reason} from {method} {url}" + (f": {first}" if first else "") + hint


def _connection_error(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or exc
    return _first_line(getattr(reason, "strerror", None) or str(reason)) or type(exc).__name__


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0][:300] if lines else ""


# ---------------------------------------------------------------------------------------------
# The Graph Store HTTP Protocol


def graph_url(endpoint: str, graph: NamedNode) -> str:
    """The indirect graph identification URL: `ENDPOINT?graph=<encoded IRI>`."""
    return f"{endpoint}{'&' if '?' in endpoint else '?'}graph={quote(graph.value, safe='')}"


def ntriples(triples: Iterable[Triple]) -> bytes:
    return serialize(triples, format=RdfFormat.N_TRIPLES)


class EndpointTarget:
    """A Graph Store Protocol endpoint: PUT replaces a graph, POST adds to it, DELETE drops it.

    A graph larger than `batch_size` triples is sent as one PUT and then POSTs, so no request
    body grows without bound. Graphs have no blank nodes, so a POST retried after a lost
    response adds nothing twice.
    """

    def __init__(self, url: str, batch_size: int = DEFAULT_BATCH_SIZE, client: HttpClient | None = None) -> None:
        self.client = client or HttpClient(url)
        self.url = self.client.url
        self.batch_size = batch_size

    def replace(self, graphs: list[Graph]) -> tuple[int, int]:
        existed = 0
        for name, triples in graphs:
            target = graph_url(self.url, name)
            chunks = [triples[i:i + self.batch_size] for i in range(0, len(triples), self.batch_size)] or [[]]
            response = self.client.send("PUT", target, ntriples(chunks[0]), NTRIPLES)
            existed += response.status != 201  # 201 Created: the graph is new; 200/204: replaced
            for chunk in chunks[1:]:
                self.client.send("POST", target, ntriples(chunk), NTRIPLES)
        return existed, 0  # a PUT always writes: the protocol cannot tell "unchanged"

    def delete(self, graph: NamedNode) -> bool:
        response = self.client.send("DELETE", graph_url(self.url, graph), expected=(404,))
        return response.status != 404

    def graph_names(self) -> set[str]:
        raise LoadError("--prune needs --store: a Graph Store endpoint cannot list its graphs "
                        "(list them with `kvgraph query --endpoint`, drop them with --delete)")

    def close(self) -> None:
        pass


# ---------------------------------------------------------------------------------------------
# The SPARQL protocol, for `kvgraph query --endpoint`


def select_remote(url: str, query: str, client: HttpClient | None = None) -> Table:
    """Run a SELECT on a SPARQL protocol endpoint (POSTed as a form, so long queries fit)."""
    client = client or HttpClient(url)
    body = urlencode({"query": query}).encode("ascii")
    response = client.send("POST", client.url, body, "application/x-www-form-urlencoded", SPARQL_JSON)
    try:
        results = json.loads(response.body)
        columns = tuple(results["head"]["vars"])
        bindings = results["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        raise LoadError(f"{url} did not answer with SPARQL JSON results for a SELECT query") from None
    rows = tuple(tuple(_plain(binding.get(c)) for c in columns) for binding in bindings)
    return Table(columns, rows)


def _plain(term: dict | None) -> str | None:
    """A JSON result term as query.select gives it: the value, blank nodes as `_:id`."""
    if term is None:
        return None
    return f"_:{term['value']}" if term.get("type") == "bnode" else term["value"]


# ---------------------------------------------------------------------------------------------
# The load itself


def checked_zaaknummer(value: str) -> str:
    if not ZAAKNUMMER.fullmatch(value):
        raise LoadError(f"{value!r} is not a zaaknummer like 2022Z04503")
    return value


def documents_graphs(inputs: Iterable[str], options: Options, summary: LoadSummary,
                     on_diagnostic: Callable[[Diagnostic], None] | None = None, jobs: int = 1) -> Iterator[Graph]:
    """Each good document's named graph, in input order; bad ones are counted and reported, not loaded.

    Documents go through pipeline.outcomes, as with `convert`: validated in batches, in `jobs`
    worker processes, each graph handed back as N-Quads.
    """
    options, base = replace(options, fmt="nquads"), options.base
    for outcome in outcomes(list(expand_inputs(inputs)), options, jobs, VALIDATION_BATCH):
        summary.add(outcome, on_diagnostic)
        if outcome.chunks is not None and outcome.id is not None:
            data = b"".join(chunk.data for chunk in outcome.chunks)
            yield NamedNode(kamervraag_iri(outcome.id, base)), [q.triple for q in parse(data, format=RdfFormat.N_QUADS)]
        elif not any(d.is_error for d in outcome.diagnostics):  # not written: count it even if nothing said why
            summary.errors += 1


def batches(graphs: Iterable[Graph], batch_size: int) -> Iterator[list[Graph]]:
    """Whole graphs grouped until a group holds `batch_size` triples: one write each."""
    batch: list[Graph] = []
    size = 0
    for graph in graphs:
        batch.append(graph)
        size += len(graph[1])
        if size >= batch_size:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def load(inputs: Iterable[str], target: Target | StoreTarget, base: str = DEFAULT_BASE, *, validate_graph: bool = True,
         strict: bool = False, engine: str = "native", batch_size: int = DEFAULT_BATCH_SIZE,
         delete: Iterable[str] = (), prune: bool = False, max_bytes: int = MAX_BYTES,
         on_diagnostic: Callable[[Diagnostic], None] | None = None, jobs: int = 1,
         reference: str | None = None) -> LoadSummary:
    """Load documents into `target`, replacing what each Kamervraag had there before.

    First the Kamervragen of the `delete` zaaknummers are removed, then the documents are loaded;
    with `prune`, every Kamervraag under `base` whose document was not among the inputs is
    removed afterwards, but only when every input could be read (a document that failed to parse
    has no known zaaknummer, and its triples must not be lost). Documents are validated in
    batches, in `jobs` worker processes. The target is closed at the end.
    A LoadError (unreachable server, 4xx, a store that cannot be written) carries the summary of
    what was done before it.
    """
    summary = LoadSummary()
    started = time.perf_counter()
    try:
        zaaknummers = [checked_zaaknummer(z) for z in delete]
        options = Options("nt", base, validate_graph, engine, strict, max_bytes, reference)
        if isinstance(target, StoreTarget):
            _load_store(inputs, target, base, options, jobs, batch_size, zaaknummers, prune, summary, on_diagnostic)
        else:
            _load_graphs(inputs, target, options, batch_size, zaaknummers, prune, on_diagnostic, jobs, summary)
    except StoreError as exc:
        error = LoadError(str(exc))
        error.summary = summary
        raise error from None
    except LoadError as exc:
        exc.summary = summary
        raise
    finally:
        target.close()  # what was written before a failure is kept: loading again finishes the job
        summary.seconds = time.perf_counter() - started
    return summary


def _load_store(inputs: Iterable[str], target: StoreTarget, base: str, options: Options, jobs: int, batch_size: int,
                delete: list[str], prune: bool, summary: LoadSummary,
                on_diagnostic: Callable[[Diagnostic], None] | None) -> None:
    """The embedded store: unchanged inputs are skipped, a first load is a bulk load (kvgraph.store)."""
    for zaaknummer in delete:
        summary.deleted += target.delete(kamervraag_iri(zaaknummer, base))
    given = target.load(inputs, options, jobs, batch_size, summary, lambda outcome: _count(summary, outcome, on_diagnostic))
    if prune:
        if summary.errors:
            raise LoadError(f"not pruning: {summary.errors} errors in the inputs, so some Kamervragen would be lost")
        summary.deleted += target.prune(base, given)


def _count(summary: LoadSummary, outcome: Outcome, on_diagnostic: Callable[[Diagnostic], None] | None) -> None:
    summary.add(outcome, on_diagnostic)
    if outcome.chunks is None and not any(d.is_error for d in outcome.diagnostics):
        summary.errors += 1  # not written: count it even if nothing said why


def _load_graphs(inputs: Iterable[str], target: Target, options: Options, batch_size: int, delete: list[str],
                 prune: bool, on_diagnostic: Callable[[Diagnostic], None] | None, jobs: int,
                 summary: LoadSummary) -> None:
    """A Graph Store endpoint: one named graph per Kamervraag, each replaced with PUT."""
    base = options.base
    summary.deleted += sum(target.delete(NamedNode(kamervraag_iri(z, base))) for z in delete)
    loaded: set[str] = set()
    graphs = documents_graphs(inputs, options, summary, on_diagnostic, jobs)
    for batch in batches(graphs, batch_size):
        replaced, unchanged = target.replace(batch)
        summary.replaced += replaced
        summary.unchanged += unchanged
        summary.loaded += len(batch)
        summary.triples += sum(len(triples) for _, triples in batch)
        loaded.update(name.value for name, _ in batch)
    if prune:
        summary.deleted += _prune(target, base, loaded, summary)


def _prune(target: Target, base: str, loaded: set[str], summary: LoadSummary) -> int:
    """Drop the Kamervraag graphs under `base` that this run did not load, if the run was clean."""
    if summary.errors:
        raise LoadError(f"not pruning: {summary.errors} errors in the inputs, so some graphs would be lost")
    prefix = kamervraag_iri("", base)
    stale = sorted(name for name in target.graph_names()
                   if name.startswith(prefix) and ZAAKNUMMER.fullmatch(name[len(prefix):]) and name not in loaded)
    return sum(target.delete(NamedNode(name)) for name in stale)
