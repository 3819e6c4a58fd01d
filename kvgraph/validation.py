"""Validate graphs against the bundled SHACL shapes and explain what is wrong, in words.

Two engines give the same verdicts: `native` (kvgraph's compiled engine, shacl.py, for bulk:
shapes and SPARQL constraints compiled to Python once) and `pyshacl`, the reference.
Results come back as plain Violation records, never as SHACL result graphs.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from .terms import Triple, ntriples
from .violations import Report, Violation

# rdflib is imported when an rdflib graph is first needed (pyshacl, `validate` of files): the
# native engine reads the shapes without it, and every worker would pay a sixth of a second to
# import it. The engine itself is imported when first used: a conversion without validation
# never needs it.
if TYPE_CHECKING:
    from rdflib import Graph

    from .shacl import Engine, ShapesGraph

SH = "http://www.w3.org/ns/shacl#"


def _shapes_text() -> bytes:
    """The bundled shapes: the same file as shapes/kvgraph.shapes.ttl."""
    return resources.files("kvgraph").joinpath("data/kvgraph.shapes.ttl").read_bytes()


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The bundled shapes as an rdflib Graph (for pyshacl), parsed once."""
    from rdflib import Graph

    return Graph().parse(data=_shapes_text(), format="turtle")


def native_shapes() -> ShapesGraph:
    """The bundled shapes as the native engine reads them (without rdflib)."""
    from .shacl import ShapesGraph

    return ShapesGraph.from_turtle(_shapes_text())


def to_rdflib(triples: list[Triple]) -> Graph:
    """An rdflib Graph of kvgraph's triples (through N-Triples, which both read exactly)."""
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=ntriples(triples), format="nt")
    return graph


ENGINES = ("native", "pyshacl")


@lru_cache(maxsize=1)
def native_engine() -> Engine:
    """The compiled engine, built once per process (workers build their own)."""
    from .shacl import Engine

    return Engine(native_shapes())


def validate_documents(documents: list[list[Triple]], engine: str = "native", mapped: bool = False) -> list[Report]:
    """One report per document; each document's graph is judged on its own.

    `mapped`: the triples come from the mapping, which writes every xsd:integer in canonical
    form, so the native engine need not put them in it (triples read from files may be "04").
    """
    if engine == "pyshacl":
        return [validate_graph(to_rdflib(triples)) for triples in documents]
    return [Report(tuple(found)) for found in native_engine().validate_documents(documents, canonical=mapped)]


def validate_triples(triples: list[Triple], engine: str = "native", mapped: bool = False) -> Report:
    return validate_documents([triples], engine, mapped)[0]


def validate_graph(graph: Graph) -> Report:
    """Validate an rdflib graph with pyshacl against the bundled shapes; no inference, SHACL-SPARQL enabled."""
    import pyshacl  # imported here: slow to import, and only the reference engine needs it

    _, results, _ = pyshacl.validate(
        graph, shacl_graph=shapes_graph(), inference="none", advanced=True, allow_warnings=True,
    )
    return Report(tuple(sorted(_violations(results), key=lambda v: (v.focus, v.path or "", v.message))))


def _violations(results: Graph) -> list[Violation]:
    from rdflib import RDF, URIRef

    found = []
    for result in results.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        focus, path, message, severity, value = (results.value(result, URIRef(SH + name)) for name in
                                                 ("focusNode", "resultPath", "resultMessage", "resultSeverity", "value"))
        found.append(Violation(
            focus=str(focus),
            path=str(path) if isinstance(path, URIRef) else None,
            message=str(message) if message is not None else "constraint not met",
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            value=str(value) if value is not None else None,
        ))
    return found
