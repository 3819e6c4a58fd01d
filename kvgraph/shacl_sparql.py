"""SHACL-SPARQL constraints compiled to Python: their SELECT queries as nested loops over the index.

Why: evaluating the constraints in an Oxigraph store meant loading every document's triples
into a store (2.4 µs a quad) and running twenty queries per batch, which cost more than all
the rest of validation together. The queries are small and fixed, and `$this` is bound, so
each becomes a Python function over `shacl.Data`, the index the Core checks already read:
a triple pattern is a dictionary lookup, OPTIONAL and UNION collect rows (an OPTIONAL of one
triple loops over its values), EXISTS is a helper function (of one triple, a lookup), and
expressions call the SPARQL functions of `shacl_sparql_functions` or, for texts, integers and
decimals, are written inline. A BIND whose expression reads no data, only terms of the patterns
(through earlier BINDs too), is a function of those terms memoised in a bounded cache, as is a
FILTER over one such term: dates and years recur across documents, and a lookup costs far less
than the date arithmetic or the regular expression.

The text is parsed with rdflib's SPARQL parser into its algebra and written out as Python
source (shacl_sparql_translate.py); the bundled shapes' queries ship translated. Anything
outside the subset below raises `Unsupported` at compile time, and the engine runs that
constraint in Oxigraph instead, so nothing is ever skipped:
basic graph patterns with IRI predicates (sequence and inverse paths too), OPTIONAL, UNION,
FILTER, BIND, EXISTS, NOT EXISTS, DISTINCT and the functions that `shacl_sparql_functions` has.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from . import shacl_sparql_functions
from .terms import Term

BUNDLE = "data/compiled-sparql.json"


class Unsupported(NotImplementedError):
    """The query uses SPARQL that the compiler does not translate (the store runs it instead)."""


@dataclass(frozen=True)
class Select:
    """A compiled SELECT: `run(data, this)` gives its solutions with `$this` bound, in `variables` order."""

    variables: tuple[str, ...]
    inverse: frozenset[str]  # predicates `data` must also index by object
    source: str
    run: Callable[[object, Term], list[tuple[Term | None, ...]]]



def compile_select(query: str) -> Select:
    """Compile a SHACL-SPARQL `SELECT $this ... WHERE { ... }`; Unsupported if it goes beyond the subset.

    The bundled shapes' queries come translated with the package (data/compiled-sparql.json,
    written by `python -m kvgraph.shacl_sparql`): importing rdflib's SPARQL parser and parsing
    them would cost half a second in every process that validates.
    """
    bundled = _bundle().get(_key(query))
    if bundled is not None:
        return _load(tuple(bundled["variables"]), frozenset(bundled["inverse"]), bundled["source"])
    from .shacl_sparql_translate import translate

    return _load(*translate(query))


def _load(variables: tuple[str, ...], inverse: frozenset[str], source: str) -> Select:
    """A Select from its generated source (which names its own constants)."""
    namespace = {k: v for k, v in vars(shacl_sparql_functions).items() if not k.startswith("__")}
    namespace["NOTHING"] = {}
    exec(compile(source, "<kvgraph sparql>", "exec"), namespace)  # noqa: S102 - our own generated code
    return Select(variables, inverse, source, namespace["select"])



def _key(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


@lru_cache(maxsize=1)
def _bundle() -> dict[str, dict]:
    path = resources.files("kvgraph").joinpath(BUNDLE)
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


def bundle(queries: Iterable[str]) -> str:
    """The JSON text of data/compiled-sparql.json: every translatable query's generated source."""
    from .shacl_sparql_translate import translate

    entries = {}
    for query in queries:
        try:
            variables, inverse, source = translate(query)
        except Unsupported:
            continue
        entries[_key(query)] = {"variables": list(variables), "inverse": sorted(inverse), "source": source}
    return json.dumps(entries, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # `python -m kvgraph.shacl_sparql`: refresh the bundle (`make data` does)
    from pathlib import Path

    from .shacl import sparql_queries
    from .validation import native_shapes

    Path(__file__).with_name("data").joinpath("compiled-sparql.json").write_text(
        bundle(sparql_queries(native_shapes())), "utf-8")
