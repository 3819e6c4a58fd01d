"""The native engine's shortcuts, checked against slower, independent ways of doing the same."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.paths import Path as RdfPath
from rdflib.plugins.sparql import prepareQuery

from kvgraph.shacl import _predicates_used
from kvgraph.validate import native_engine


def _iris_in_algebra(query: str) -> set[str]:
    """Every IRI in the query's SPARQL algebra, as rdflib's full parser sees it."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, URIRef):
            found.add(str(node))
        elif isinstance(node, RdfPath):
            for part in vars(node).values():
                walk(part)
        elif isinstance(node, dict):
            for value in dict(dict.items(node)).values():
                walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)

    walk(prepareQuery(query.replace("$this", "?this")).algebra)
    return found


def test_predicates_read_from_query_text_are_those_of_the_parsed_queries() -> None:
    queries = [query for _, _, query, _ in native_engine()._queries]
    assert queries
    expected = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}
    for query in queries:
        expected |= _iris_in_algebra(query)
    found = _predicates_used(queries)
    assert found is not None
    assert found >= {iri for iri in expected if not iri.startswith("http://www.w3.org/2001/XMLSchema#")}


def test_a_variable_predicate_loads_everything() -> None:
    assert _predicates_used(["SELECT $this WHERE { $this ?p ?o }"]) is None
    assert _predicates_used(["PREFIX a: <http://a/> SELECT $this WHERE { $this a:b ?x ; ?p ?o }"]) is None
    strings = _predicates_used(['PREFIX a: <http://a/> SELECT $this WHERE { $this a:b "?x ?y" }'])
    assert strings == frozenset({"http://a/b", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"})
