"""pyshacl, the reference engine: the shapes' own SPARQL, run by a general SHACL implementation."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..vocab import DEFAULT_BASE
from .report import Report, Violation
from .shapes import SH, shapes_text

if TYPE_CHECKING:
    from rdflib import Graph


@lru_cache(maxsize=8)
def shapes_graph(base: str = DEFAULT_BASE) -> Graph:
    """The bundled shapes for `base` as an rdflib Graph, parsed once."""
    from rdflib import Graph

    return Graph().parse(data=shapes_text(base), format="turtle")


def validate_graph(graph: Graph, base: str = DEFAULT_BASE) -> Report:
    """Validate an rdflib graph with pyshacl: no inference, SHACL-SPARQL enabled, warnings allowed."""
    import pyshacl  # imported here: slow to import, and only the reference engine needs it

    _, results, _ = pyshacl.validate(
        graph, shacl_graph=shapes_graph(base), inference="none", advanced=True, allow_warnings=True,
    )
    return Report(tuple(sorted(_violations(results), key=lambda v: (v.focus, v.path or "", v.message, v.value or ""))))


def _violations(results: Graph) -> set[Violation]:
    from rdflib import RDF, URIRef

    found = set()
    for result in results.subjects(RDF.type, URIRef(SH.ValidationResult)):
        focus, path, message, severity, value = (results.value(result, URIRef(SH[name])) for name in
                                                 ("focusNode", "resultPath", "resultMessage", "resultSeverity", "value"))
        found.add(Violation(
            focus=str(focus),
            path=str(path) if isinstance(path, URIRef) else None,
            message=str(message) if message is not None else "constraint not met",
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            value=str(value) if value is not None else None,
        ))
    return found
