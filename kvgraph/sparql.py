"""SPARQL over documents and RDF files (an in-memory Oxigraph store), a loaded store or an endpoint.

Oxigraph is used rather than rdflib's SPARQL engine because it is standard-conformant and
fast on large graphs; results come back as rows of plain strings so the CLI can print them
as a table, CSV or JSON. Rows stream: a listing of hundreds of thousands of rows is printed as
the engine gives them, never held in memory, and the engine runs in a thread of its own so that
Ctrl-C or SIGTERM stops a long query at once.

The named queries: listings run as they are written in queries/; the aggregates fetch rows
with queries/fetch/ and finish the figures in Python (kvgraph/statistics.py), which gives the
same columns and values as their portable SPARQL versions in queries/, in a fraction of the time.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import json
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import BinaryIO, TextIO

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, QueryResultsFormat, QuerySolutions, Store, Triple

from . import statistics

Row = tuple[str | None, ...]


@dataclass(frozen=True)
class Table:
    """A SELECT result: column names and rows (None where a variable is unbound); `rows` may be
    an iterator that can be read once, as the engine gives them. `csv`, when set, writes the rows
    as CSV with the engine's own serializer instead (the same bytes as write_csv, without a
    Python object per value); use either it or `rows`, not both."""

    columns: tuple[str, ...]
    rows: Iterable[Row]
    csv: Callable[[BinaryIO], None] | None = None


def query_text(query: str) -> str:
    """A `.rq` file's contents, or the argument itself when it is a query string."""
    if query.endswith((".rq", ".sparql")) and Path(query).is_file():
        return Path(query).read_text("utf-8")
    return query


def store_of(triples: Iterable[Triple | Quad]) -> Store:
    """An in-memory store with every triple in the default graph (quads keep their graph)."""
    store = Store()
    store.bulk_extend(t if isinstance(t, Quad) else Quad(t.subject, t.predicate, t.object, DefaultGraph())
                      for t in triples)
    return store


def select(store: Store, query: str, union: bool = True) -> Table:
    """Run a SELECT query, its rows streamed from a thread (see stream()), or written as CSV by
    Oxigraph in that thread (the table's `csv`).

    With `union` the default graph is the union of all graphs, as users of files expect (an
    N-Quads file's triples are in named graphs); a loaded store has its data in the default
    graph and is queried without it, which Oxigraph plans far better."""
    # What the thread does once the columns are out: None yields the rows, a stream gets the CSV.
    wanted: queue.Queue[BinaryIO | None] = queue.Queue(1)

    def solutions() -> Iterator[Row]:
        # pyoxigraph's results belong to the thread that made them: made and read in stream()'s thread.
        found = store.query(query, use_default_graph_as_union=union)
        if not isinstance(found, QuerySolutions):
            raise ValueError("only SELECT queries are supported here")
        yield tuple(v.value for v in found.variables)
        out = wanted.get()
        if out is not None:
            found.serialize(out, QueryResultsFormat.CSV)
            return
        for row in found:  # a solution iterates over its values in column order (by name is three times slower)
            yield tuple(map(_plain, row))

    produced = stream(solutions())
    columns = tuple(str(c) for c in next(produced))

    def rows() -> Iterator[Row]:
        wanted.put(None)
        yield from produced

    def csv_to(out: BinaryIO) -> None:
        wanted.put(out)
        for _ in produced:  # nothing comes: this waits for the engine, free to take signals
            pass

    return Table(columns, rows(), csv_to)


def stream(rows: Iterator[Row], batch: int = 1000) -> Iterator[Row]:
    """The rows, produced in a daemon thread: Oxigraph evaluates without the GIL, so this thread
    stays free to run signal handlers (Ctrl-C, SIGTERM) while a long query works. Rows cross in
    lists of up to `batch` (one at a time costs a thread switch each), the first on its own so it
    is out at once; at most two lists wait in memory. An error in the query is raised here."""
    waiting: queue.Queue[tuple[list[Row] | None, BaseException | None]] = queue.Queue(2)

    def produce() -> None:
        try:
            size = 1
            while chunk := list(itertools.islice(rows, size)):
                waiting.put((chunk, None))
                size = batch
            waiting.put((None, None))
        except Exception as exc:  # noqa: BLE001 - handed to the reading thread
            waiting.put((None, exc))

    threading.Thread(target=produce, daemon=True).start()
    while True:
        try:
            chunk, error = waiting.get(timeout=0.1)
        except queue.Empty:
            continue
        if error is not None:
            raise error
        if chunk is None:
            return
        yield from chunk


def _plain(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, (NamedNode, Literal)):
        return term.value
    return str(term)


def write_csv(table: Table, out: TextIO) -> None:
    """SPARQL 1.1 CSV results (RFC 4180, CRLF line ends): values as plain text, unbound empty.

    Into a file or pipe the engine writes it when it can (in blocks); a terminal gets it line by line."""
    if table.csv is not None and hasattr(out, "buffer") and not out.isatty():
        out.flush()
        table.csv(out.buffer)
        return
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if v is None else v for v in row])


def write_json(table: Table, out: TextIO) -> None:
    """A JSON array of objects, one written at a time (the layout of json.dumps(..., indent=2))."""
    first = True
    for row in table.rows:
        record = json.dumps(dict(zip(table.columns, row, strict=False)), ensure_ascii=False, indent=2)
        out.write(("[\n  " if first else ",\n  ") + record.replace("\n", "\n  "))
        first = False
    out.write("[]\n" if first else "\n]\n")


def write_table(table: Table, out: TextIO, width: int = 60, sample: int = 1000) -> None:
    """A fixed-width text table; long cells are cut with an ellipsis, newlines shown as ⏎.

    Column widths come from the first `sample` rows, so the table starts printing at once; a
    later, wider cell pushes its row out of line rather than being cut shorter."""
    def cell(value: str | None) -> str:
        text = "" if value is None else value.replace("\n", "⏎")
        return text if len(text) <= width else text[: width - 1] + "…"

    rows = iter(table.rows)
    head = [[cell(v) for v in row] for row in itertools.islice(rows, sample)]
    widths = [max([len(c)] + [len(r[i]) for r in head]) for i, c in enumerate(table.columns)]

    def line(values: Iterable[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=False)).rstrip() + "\n"

    out.write(line(table.columns) + line("-" * w for w in widths))
    for values in itertools.chain(head, ([cell(v) for v in row] for row in rows)):
        out.write(line(values))


WRITERS: dict[str, Callable[[Table, TextIO], None]] = {"table": write_table, "csv": write_csv, "json": write_json}
# The aggregate named queries: the columns their fetched rows become, finished in Python.
FINISHED: dict[str, Callable[[Iterable[Row], datetime.date], tuple[tuple[str, ...], list[Row]]]] = {
    "answer-times-per-year": lambda rows, as_of: statistics.answer_times("year", rows),
    "answer-times-per-party": lambda rows, as_of: statistics.answer_times("party", rows),
    "answer-times-per-ministry": lambda rows, as_of: statistics.answer_times("ministry", rows),
    "overdue-per-party": lambda rows, as_of: statistics.overdue(("party",), rows, as_of),
    "overdue-per-mp": lambda rows, as_of: statistics.overdue(("name", "party"), rows, as_of),
}


def named_query_names() -> list[str]:
    """The queries bundled with kvgraph (kvgraph/data/queries: copies of the repository's queries/)."""
    folder = resources.files("kvgraph").joinpath("data", "queries")
    return sorted(entry.name.removesuffix(".rq") for entry in folder.iterdir() if entry.name.endswith(".rq"))


def named_query(name: str, as_of: datetime.date | None = None, fetch: bool = False) -> str:
    """A bundled query's text (with `fetch`, the rows query of an aggregate); with `as_of`, its one
    `BIND(... AS ?asOf)` binds that date instead.

    Raises ValueError when `as_of` is given for a query without exactly one such BIND."""
    folder = ("data", "queries", "fetch") if fetch else ("data", "queries")
    text = resources.files("kvgraph").joinpath(*folder, f"{name}.rq").read_text("utf-8")
    return text if as_of is None else with_as_of(text, as_of)


def run_named(name: str, run: Callable[[str], Table], as_of: datetime.date | None = None) -> Table:
    """A named query's table, `run` executing SPARQL: an aggregate fetches its rows and finishes
    them in Python, a listing runs as written. The overdue queries count to `as_of` (default today)."""
    finish = FINISHED.get(name)
    if finish is None:
        return run(named_query(name, as_of))
    if as_of is not None:
        with_as_of(named_query(name), as_of)  # refuses --as-of for a query that has no as-of date
    day = as_of or datetime.date.today()
    text = named_query(name, fetch=True)
    fetched = run(with_as_of(text, day) if _AS_OF.search(text) else text)
    columns, rows = finish(fetched.rows, day)
    return Table(columns, rows)


_AS_OF = re.compile(r"BIND\s*\((?P<expression>[^\n]*?)\s+AS\s+\?asOf\s*\)", re.IGNORECASE)


def with_as_of(query: str, as_of: datetime.date) -> str:
    """The query with the expression bound to ?asOf replaced by the date as an xsd:date literal.

    Only a datetime.date's own ISO text goes into the query, so nothing a user types can
    change the query beyond the date.
    """
    found = list(_AS_OF.finditer(query))
    if len(found) != 1:
        raise ValueError("--as-of needs a query with exactly one `BIND(... AS ?asOf)`, "
                               "like the overdue-per-party and overdue-per-mp named queries")
    literal = f'"{as_of.isoformat()}"^^<http://www.w3.org/2001/XMLSchema#date>'
    return query[:found[0].start("expression")] + literal + query[found[0].end("expression"):]
