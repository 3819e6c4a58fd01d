"""SPARQL over documents and RDF files, through an in-memory Oxigraph store.

Oxigraph is used rather than rdflib's SPARQL engine because it is standard-conformant and
fast on large graphs; results come back as rows of plain strings so the CLI can print them
as a table, CSV or JSON.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, QuerySolutions, Store, Triple


@dataclass(frozen=True)
class Table:
    """A SELECT result: column names and rows (None where a variable is unbound)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]


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


def select(store: Store, query: str) -> Table:
    """Run a SELECT query; the union of all graphs is the default graph, as users expect."""
    solutions = store.query(query, use_default_graph_as_union=True)
    if not isinstance(solutions, QuerySolutions):
        raise ValueError("only SELECT queries are supported here")
    columns = tuple(v.value for v in solutions.variables)
    rows = tuple(tuple(_plain(row[c]) for c in columns) for row in solutions)
    return Table(columns, rows)


def _plain(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, (NamedNode, Literal)):
        return term.value
    return str(term)


def as_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(["" if v is None else v for v in row] for row in table.rows)
    return buffer.getvalue()


def as_json(table: Table) -> str:
    records = [dict(zip(table.columns, row, strict=False)) for row in table.rows]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def as_table(table: Table, width: int = 60) -> str:
    """A fixed-width text table; long cells are cut with an ellipsis, newlines shown as ⏎."""
    def cell(value: str | None) -> str:
        text = "" if value is None else value.replace("\n", "⏎")
        return text if len(text) <= width else text[: width - 1] + "…"

    cells = [[cell(v) for v in row] for row in table.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(table.columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=False)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=False)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


FORMATTERS = {"table": as_table, "csv": as_csv, "json": as_json}


def named_query_names() -> list[str]:
    """The queries bundled with kvgraph (kvgraph/data/queries: copies of the repository's queries/)."""
    folder = resources.files("kvgraph").joinpath("data", "queries")
    return sorted(entry.name.removesuffix(".rq") for entry in folder.iterdir() if entry.name.endswith(".rq"))


def named_query(name: str, as_of: datetime.date | None = None) -> str:
    """A bundled query's text; with `as_of`, its one `BIND(... AS ?asOf)` binds that date instead.

    Raises ValueError when `as_of` is given for a query without exactly one such BIND."""
    text = resources.files("kvgraph").joinpath("data", "queries", f"{name}.rq").read_text("utf-8")
    return text if as_of is None else with_as_of(text, as_of)


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
