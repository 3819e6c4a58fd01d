"""Validate graphs against the bundled SHACL shapes and explain what is wrong, in words.

pyshacl is the reference engine. Its results graph is turned into plain Violation records
(which node, which property, what is wrong) so callers never have to read SHACL reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pyshacl
from pyoxigraph import RdfFormat, Triple, serialize
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from .vocab import PREFIXES

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    """One failed constraint: the node, the property path (None for node-level checks), why."""

    focus: str
    path: str | None
    message: str
    severity: str = "Violation"
    value: str | None = None

    def __str__(self) -> str:
        where = compact(self.focus) + (f" {compact(self.path)}" if self.path else "")
        shown = f" (value: {self.value[:60]})" if self.value is not None else ""
        return f"{where}: {self.message}{shown}"


@dataclass(frozen=True)
class Report:
    violations: tuple[Violation, ...]

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)


def compact(iri: str) -> str:
    """`http://purl.org/dc/terms/title` -> `dcterms:title`, for reports people read."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The bundled shapes (the same file as shapes/kvgraph.shapes.ttl), parsed once."""
    text = resources.files("kvgraph").joinpath("data/kvgraph.shapes.ttl").read_text("utf-8")
    return Graph().parse(data=text, format="turtle")


def to_rdflib(triples: list[Triple]) -> Graph:
    """An rdflib Graph of pyoxigraph triples (through N-Triples, which both read exactly)."""
    graph = Graph()
    graph.parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
    return graph


def validate_triples(triples: list[Triple]) -> Report:
    return validate_graph(to_rdflib(triples))


def validate_graph(graph: Graph) -> Report:
    """Validate with pyshacl against the bundled shapes; no inference, SHACL-SPARQL enabled."""
    _, results, _ = pyshacl.validate(
        graph, shacl_graph=shapes_graph(), inference="none", advanced=True, allow_warnings=True,
    )
    return Report(tuple(sorted(_violations(results), key=lambda v: (v.focus, v.path or "", v.message))))


def _violations(results: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        value = results.value(result, SH.value)
        found.append(Violation(
            focus=str(focus),
            path=str(path) if isinstance(path, URIRef) else None,
            message=str(message) if message is not None else "constraint not met",
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            value=str(value) if value is not None else None,
        ))
    return found
