"""Validate graphs against the bundled SHACL shapes and say what is wrong, in words.

One concern a module: `shapes` reads a shapes graph (the bundled one anchored on the base in
use), `index` indexes the data, `compiler` turns SHACL Core into Python, `checks` holds the
Python twins of the six SHACL-SPARQL constraints, `engine` runs both over batches of documents,
`reference` runs pyshacl, and `report` words the results. Two engines give the same verdicts:
`native`, compiled once, for bulk, and `pyshacl`, the reference. Results come back as
plain Violation records, never as SHACL result graphs.

rdflib is imported only when an rdflib graph is needed (pyshacl, reading RDF files): the native
engine reads the shapes with pyoxigraph, and every worker would pay a sixth of a second for it.
The engine is imported when first used: a conversion without validation never needs it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..terms import Triple, ntriples
from ..vocab import DEFAULT_BASE, KV, RDF_TYPE
from .report import Report, Violation

if TYPE_CHECKING:
    from rdflib import Graph

    from .engine import Engine

ENGINES = ("native", "pyshacl")
__all__ = ["ENGINES", "Report", "Violation", "base_of", "native_engine", "to_rdflib", "validate_documents",
           "validate_triples"]


@lru_cache(maxsize=8)
def native_engine(base: str = DEFAULT_BASE) -> Engine:
    """The compiled engine for the shapes anchored on `base`, built once per process (workers build their own)."""
    from .engine import Engine
    from .shapes import ShapesGraph, shapes_text

    return Engine(ShapesGraph.from_turtle(shapes_text(base)))


def to_rdflib(triples: list[Triple]) -> Graph:
    """An rdflib Graph of kvgraph's triples (through N-Triples, which both read exactly)."""
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=ntriples(triples), format="nt")
    return graph


def validate_documents(documents: list[list[Triple]], engine: str = "native", mapped: bool = False,
                       base: str = DEFAULT_BASE) -> list[Report]:
    """One report per document, each document's graph judged on its own, its IRIs under `base`.

    `mapped`: the triples come from the mapping, which writes every xsd:integer in canonical
    form, so the native engine need not put them in it (triples read from files may be "04").
    """
    if engine == "pyshacl":
        from .reference import validate_graph

        return [validate_graph(to_rdflib(triples), base) for triples in documents]
    return [Report(tuple(found)) for found in native_engine(base).validate_documents(documents, canonical=mapped)]


def validate_triples(triples: list[Triple], engine: str = "native", mapped: bool = False,
                     base: str = DEFAULT_BASE) -> Report:
    return validate_documents([triples], engine, mapped, base)[0]


def base_of(triples: list[Triple]) -> str:
    """The base a graph was made with, read from its Kamervragen' IRIs (`<base>id/kamervraag/...`):
    the one they share, else the default, against which a graph that mixes bases fails."""
    bases = {s[:s.rfind("id/kamervraag/")] for s, p, o in triples
             if p == RDF_TYPE and o == KV.Kamervraag and type(s) is str and "id/kamervraag/" in s}
    return bases.pop() if len(bases) == 1 else DEFAULT_BASE
