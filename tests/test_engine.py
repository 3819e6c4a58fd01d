"""The native engine's shortcuts, checked against slower, independent ways of doing the same."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources

import pyshacl
import pytest
from hostile_docs import kamervragen
from hypothesis import given, settings
from rdflib import Graph, URIRef
from rdflib.paths import Path as RdfPath
from rdflib.plugins.sparql import prepareQuery

from kvgraph.mapping import map_kamervraag
from kvgraph.model import Kamervraag
from kvgraph.shacl import Engine, _predicates_used, from_rdflib, sparql_queries
from kvgraph.shacl_sparql import BUNDLE, bundle
from kvgraph.terms import Literal
from kvgraph.validation import native_shapes, shapes_graph
from kvgraph.vocab import XSD_INTEGER


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
    queries = [query for _, _, query, _ in Engine(shapes_graph(), compile_sparql=False)._queries]
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


def test_predicates_of_sequence_paths_dotted_names_and_the_empty_prefix_are_loaded() -> None:
    query = ("PREFIX s: <http://s/> PREFIX : <http://e/> SELECT $this WHERE { $this s:a/s:b ?x ; s:c.d ?y ; :e ?z . "
             '?z <http://i/x:y> ?w FILTER (?w = "s:q") }')
    found = _predicates_used([query])
    assert found == {"http://s/a", "http://s/b", "http://s/c.d", "http://e/e", "http://i/x:y",
                     "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}
    assert found >= _iris_in_algebra(query)


SHAPES_HEAD = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
"""


def test_a_deactivated_shape_checks_nothing_in_both_engines() -> None:
    shapes = Graph().parse(data=SHAPES_HEAD + """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ;
            sh:property [ sh:path ex:p ; sh:minCount 1 ] .
        ex:T a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .
    """, format="turtle")
    data = Graph().parse(data=SHAPES_HEAD + "ex:a a ex:C .", format="turtle")
    conforms, _, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    found = Engine(shapes).validate([(str(s), str(p), from_rdflib(o)) for s, p, o in data])
    assert not conforms
    assert [(v.focus, v.path) for v in found] == [("http://example.org/a", "http://example.org/q")]


def test_what_the_native_engine_cannot_check_is_refused_when_the_shapes_are_read() -> None:
    shapes = Graph().parse(data=SHAPES_HEAD + """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedMinCount 1 ;
                          sh:qualifiedValueShapesDisjoint true ] .
    """, format="turtle")
    with pytest.raises(NotImplementedError, match="qualifiedValueShapesDisjoint"):
        Engine(shapes)


@pytest.mark.parametrize("shapes_text, data_text", [
    # A target node that the data does not mention is still a focus node.
    ("ex:S a sh:NodeShape ; sh:targetNode ex:missing ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
     "ex:a ex:p ex:b ."),
    # An inverse path from a literal focus node.
    ("ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .",
     'ex:a ex:p "x" .'),
    ("ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 2 ] .",
     'ex:a ex:p "x" .'),
    # An alternative path: a node reached by both members counts once, two nodes count twice,
    # and none fails sh:minCount.
    *[("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:minCount 1 ; sh:maxCount 1 ; "
       "sh:path [ sh:alternativePath ( ex:p [ sh:inversePath ex:q ] ) ] ] .", data)
      for data in ("ex:a a ex:C ; ex:p ex:b . ex:b ex:q ex:a .", "ex:a a ex:C ; ex:p ex:b . ex:c ex:q ex:a .",
                   "ex:a a ex:C ; ex:p ex:b, ex:c .", "ex:a a ex:C . ex:a ex:q ex:b .")],
    # rdf:type read both ways: as the target and as an inverse path (the class's instances).
    *[("ex:S a sh:NodeShape ; sh:targetClass ex:K ; sh:property [ sh:path [ sh:inversePath "
       "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ] ; sh:minCount 2 ] .", data)
      for data in ("ex:C a ex:K . ex:a a ex:C . ex:b a ex:C .", "ex:C a ex:K . ex:a a ex:C .")],
])
def test_the_engines_agree_on_targets_literal_focus_nodes_and_paths(shapes_text: str, data_text: str) -> None:
    shapes = Graph().parse(data=SHAPES_HEAD + shapes_text, format="turtle")
    data = Graph().parse(data=SHAPES_HEAD + data_text, format="turtle")
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    found = Engine(shapes).validate([(str(s), str(p), from_rdflib(o)) for s, p, o in data])
    focus = URIRef("http://www.w3.org/ns/shacl#focusNode")
    assert {v.focus for v in found} == {str(node) for node in results.objects(None, focus)}
    assert conforms == (not found)


@pytest.mark.parametrize("data_text", [
    "ex:a a ex:C ; ex:p 1 .",  # allowed properties, one value: the fast paths decide
    "ex:a a ex:C ; ex:p 1 ; ex:q 2, 3 .",  # a property the closed shape does not allow, two values of it
    "ex:a a ex:C ; ex:p 1, 2 .",  # sh:minCount 1 sh:maxCount 1 with two values
    "ex:a a ex:C .",  # ... and with none
])
def test_closed_shapes_and_exact_counts_agree_with_pyshacl(data_text: str) -> None:
    shapes = Graph().parse(data=SHAPES_HEAD + """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ;
            sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ;
            sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:maxCount 1 ] .
    """, format="turtle")
    data = Graph().parse(data=SHAPES_HEAD + data_text, format="turtle")
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    found = Engine(shapes).validate([(str(s), str(p), from_rdflib(o)) for s, p, o in data])
    path, value = URIRef("http://www.w3.org/ns/shacl#resultPath"), URIRef("http://www.w3.org/ns/shacl#value")
    expected = sorted((str(results.value(r, path)), None if results.value(r, value) is None
                       else str(results.value(r, value))) for r in set(results.subjects(path, None)))
    assert sorted((v.path, v.value) for v in found) == expected
    assert conforms == (not found)


def test_the_bundled_compiled_queries_are_what_the_compiler_writes_now() -> None:
    queries = sparql_queries(shapes_graph())
    bundled = resources.files("kvgraph").joinpath(BUNDLE).read_text("utf-8")
    assert bundled == bundle(queries), "run `make data` after changing the shapes or kvgraph/shacl_sparql.py"
    assert len(json.loads(bundled)) == len(set(queries)), "every bundled constraint compiles"


def test_the_native_engine_builds_without_rdflib() -> None:
    """A validating worker reads the shapes with pyoxigraph and the bundled queries ready-made:
    importing rdflib and its SPARQL parser would cost it a quarter of a second."""
    script = ("import sys; from kvgraph.validation import native_engine; engine = native_engine(); "
              "print(len(engine.shapes), len(engine._queries), sorted(m for m in sys.modules if m.startswith('rdflib')))")
    shapes, in_store, rdflib_modules = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                                      check=True).stdout.split(" ", 2)
    assert int(shapes) > 10 and int(in_store) == 0
    assert rdflib_modules.strip() == "[]"


def test_shapes_read_by_pyoxigraph_and_by_rdflib_give_the_same_constraints() -> None:
    assert sorted(sparql_queries(native_shapes())) == sorted(sparql_queries(shapes_graph()))
    # the same checks, line for line; constants and functions are numbered in reading order
    native, reference = (sorted(re.sub(r"_(c|shape|group)[0-9]+", r"_\1", Engine(shapes).source).splitlines())
                         for shapes in (native_shapes(), shapes_graph()))
    assert native == reference


@settings(max_examples=150, deadline=None)
@given(kamervragen(max_questions=12))
def test_the_mapping_writes_every_integer_in_canonical_form(kamervraag: Kamervraag) -> None:
    """What lets the pipeline tell the native engine its triples need no canonical form (mapped=True)."""
    integers = [o for _, _, o in map_kamervraag(kamervraag) if isinstance(o, Literal) and o.datatype == XSD_INTEGER]
    assert integers and all(o.value == str(int(o.value)) for o in integers)
