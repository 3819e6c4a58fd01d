"""The native engine: what it refuses, how its Python twins of the shapes' SHACL-SPARQL rules are
tied to their queries, and its shortcuts checked against slower, independent ways of doing the same.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

import pyoxigraph
import pyshacl
import pytest
from conftest import SAMPLE
from hostile_docs import kamervragen
from hypothesis import given, settings
from rdflib import Graph, URIRef
from rdflib.plugins.sparql import prepareQuery

from kvgraph.mapping import map_kamervraag
from kvgraph.model import Kamervraag, Question
from kvgraph.pipeline import parse_file
from kvgraph.shacl import checks
from kvgraph.shacl.checks import SHAPES as KVSH
from kvgraph.shacl.checks import TWINS, query_digest
from kvgraph.shacl.engine import Engine, ShapesError
from kvgraph.shacl.index import Data
from kvgraph.shacl.reference import shapes_graph
from kvgraph.shacl.shapes import SH, ShapesGraph, shapes_text
from kvgraph.terms import Literal, Triple, from_rdflib
from kvgraph.vocab import KV, RDF_TYPE, SCHEMA, XSD_INTEGER

SHAPES_HEAD = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
"""
RULES = {"DaysToAnswerRule", "QuestionNumberingRule", "SubmittingPartyRule", "AnsweringMinistryRule",
         "AnswerDocumentRule", "SeeAnswerRule"}


def bundled_text() -> str:
    return shapes_text().decode()


def sparql_constraints(shapes: Graph) -> dict[str, str]:
    """Every sh:sparql constraint of the shapes: its IRI and its query."""
    return {str(c): str(shapes.value(c, URIRef(SH.select))) for c in set(shapes.objects(None, URIRef(SH.sparql)))}


def with_prefixes(shapes: Graph, query: str) -> str:
    """A constraint's query as a standalone query: its sh:declare'd prefixes, ?this for $this."""
    head = "".join(f"PREFIX {shapes.value(d, URIRef(SH.prefix))}: <{shapes.value(d, URIRef(SH.namespace))}>\n"
                   for d in shapes.objects(URIRef(KVSH), URIRef(SH.declare)))
    return head + query.replace("$this", "?this")


# ---------------------------------------------------------------------------------- twins: tied to their queries


def test_every_sparql_constraint_has_a_twin_and_every_twin_is_used() -> None:
    constraints = sparql_constraints(shapes_graph())
    assert set(constraints) == {KVSH + name for name in RULES}
    assert set(TWINS) == set(constraints), "a constraint without a twin, or a dead twin"
    for constraint, query in constraints.items():
        assert TWINS[constraint].digest == query_digest(query), constraint


def test_the_bundled_shapes_compile() -> None:
    for shapes in (ShapesGraph.from_turtle(shapes_text()), shapes_graph()):
        assert len(Engine(shapes).shapes) > 20


@pytest.mark.parametrize(("old", "new"), [
    ("FLOOR((14 - MONTH(?s)) / 12)", "FLOOR((13 - MONTH(?s)) / 12)"),  # one character: a wrong result
    ("FILTER (?value != (?ajdn - ?sjdn))", "FILTER (?value != (?ajdn - ?sjdn)) "),  # one space: still refused
])
def test_an_edited_query_without_its_twin_updated_is_refused(old: str, new: str) -> None:
    text = bundled_text()
    assert text.count(old) == 1
    with pytest.raises(ShapesError, match=re.escape(KVSH + "DaysToAnswerRule")):
        Engine(ShapesGraph.from_turtle(text.replace(old, new).encode()))


def test_a_sparql_constraint_without_a_twin_is_refused() -> None:
    extra = """
kvsh:KamervraagTitleRule
    a sh:SPARQLConstraint ;
    sh:prefixes kvsh: ;
    sh:message "a title is not the zaaknummer" ;
    sh:select \"\"\"SELECT $this ?value WHERE { $this dcterms:title ?value ; dcterms:identifier ?value . }\"\"\" .

kvsh:KamervraagTitleShape a sh:NodeShape ; sh:targetClass kv:Kamervraag ; sh:sparql kvsh:KamervraagTitleRule .
"""
    shapes = ShapesGraph.from_turtle((bundled_text() + extra).encode())
    with pytest.raises(ShapesError, match=re.escape(KVSH + "KamervraagTitleRule")):
        Engine(shapes)


def test_a_twins_query_moved_to_another_constraint_is_refused() -> None:
    """Twins are registered by constraint IRI: the same query under another name has none."""
    text = bundled_text().replace("kvsh:SeeAnswerRule", "kvsh:SeeOtherAnswerRule")
    with pytest.raises(ShapesError, match="SeeOtherAnswerRule"):
        Engine(ShapesGraph.from_turtle(text.encode()))


def test_at_most_six_sparql_constraints_each_in_portable_sparql() -> None:
    """SHACL Core wherever it can: at most six SPARQL constraints, each plain SPARQL 1.1 that
    rdflib and Oxigraph both parse, with no date arithmetic (engines disagree on the type of
    xsd:date subtraction) and no YEAR/MONTH/DAY applied to an xsd:date itself: the dates are
    cast to xsd:dateTime first (checked loosely, on the text)."""
    shapes = shapes_graph()
    constraints = sparql_constraints(shapes)
    assert len(constraints) <= 6
    store = pyoxigraph.Store()
    for constraint, query in constraints.items():
        standalone = with_prefixes(shapes, query)
        prepareQuery(standalone)
        list(store.query(standalone))
        dates = set(re.findall(r"(?:dcterms:dateSubmitted|kv:dateAnswered|dcterms:date)\s+\?(\w+)", query))
        for function, var in re.findall(r"\b(YEAR|MONTH|DAY)\s*\(\s*\?(\w+)\s*\)", query):
            assert var not in dates, f"{constraint}: {function}(?{var}) on an xsd:date"
            assert re.search(r"BIND\s*\(\s*xsd:dateTime\(.*\bAS\s+\?" + var + r"\s*\)", query), \
                f"{constraint}: ?{var} is not cast to xsd:dateTime"
        for var in dates:
            assert not re.search(rf"\?{var}\s*[-+]|[-+]\s*\?{var}\b", query), f"{constraint}: arithmetic on the date ?{var}"
        functions = set(re.findall(r"\b([A-Z][A-Z_]*)\s*\(", query))
        assert functions <= {"SELECT", "FILTER", "BIND", "EXISTS", "NOT", "YEAR", "MONTH", "DAY", "FLOOR", "CONCAT",
                             "SUBSTR", "STR", "DATATYPE"}, constraint


def test_the_days_rule_has_both_forms() -> None:
    """The looser checks above would pass a query without dates: this one has them, cast."""
    query = sparql_constraints(shapes_graph())[KVSH + "DaysToAnswerRule"]
    assert re.search(r"YEAR\(\?s\)", query) and re.search(r"BIND \(xsd:dateTime\(CONCAT\(SUBSTR\(STR\(\?submitted\)", query)


def case_with(questions: int) -> list[Triple]:
    """The sample Kamervraag with this many questions, each answered; answer 2 says "see answer 1"."""
    sample = parse_file(str(SAMPLE)).kamervraag
    assert sample is not None
    numbered = tuple(Question(n, f"Vraag {n}?", "Zie antwoord vraag 1." if n == 2 else "Ja.", 1 if n == 2 else None)
                     for n in range(1, questions + 1))
    return map_kamervraag(dataclasses.replace(sample, questions=numbered))


# The focus nodes of each rule: the targets of the shape that has it.
RULE_TARGETS = {"DaysToAnswerRule": KV.Kamervraag, "QuestionNumberingRule": KV.Kamervraag,
                "SubmittingPartyRule": KV.Kamervraag, "AnsweringMinistryRule": KV.Kamervraag,
                "AnswerDocumentRule": SCHEMA.Answer, "SeeAnswerRule": SCHEMA.Answer}


def twin_lookups(rule: str, triples: list[Triple], monkeypatch: pytest.MonkeyPatch) -> int:
    """How many index lookups (checks._values, checks._subjects) the rule's twin makes over all its focus nodes."""
    calls = 0

    def counted(lookup):
        def wrapped(*args):
            nonlocal calls
            calls += 1
            return lookup(*args)
        return wrapped

    with monkeypatch.context() as patch:
        patch.setattr(checks, "_values", counted(checks._values))
        patch.setattr(checks, "_subjects", counted(checks._subjects))
        data = Data(triples)
        focus_nodes = [s for s, p, o in triples if p == RDF_TYPE and o == RULE_TARGETS[rule]]
        assert focus_nodes
        for node in focus_nodes:
            TWINS[KVSH + rule].run(data, node)
    return calls


def test_every_rule_has_its_targets_here() -> None:
    assert set(RULE_TARGETS) == RULES


@pytest.mark.parametrize("rule", sorted(RULES))
def test_a_twins_work_grows_linearly_with_the_document(rule: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Timing-free: index lookups per triple from 50 to 400 questions grow by less than half (the
    document's fixed part weighs less in the larger one); a twin that is n² in the answers: 8x."""
    small, large = case_with(50), case_with(400)
    per_triple = [twin_lookups(rule, triples, monkeypatch) / len(triples) for triples in (small, large)]
    assert per_triple[1] <= 1.5 * per_triple[0], per_triple


# ---------------------------------------------------------------------------------- refused at compile time


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


@pytest.mark.parametrize(("constraint", "refused"), [
    ("sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedMinCount 1 ; "
     "sh:qualifiedValueShapesDisjoint true", "qualifiedValueShapesDisjoint"),
    ("sh:path ex:p ; sh:uniqueLang true", "uniqueLang"),
    ("sh:path ex:p ; sh:disjoint ex:q", "disjoint"),
    ("sh:path ex:p ; sh:equals ex:q", "equals"),
    ("sh:path ( ex:p ex:q ) ; sh:minCount 1", "path"),
    ("sh:path [ sh:zeroOrMorePath ex:p ] ; sh:minCount 1", "path"),
])
def test_what_the_native_engine_cannot_check_is_refused_when_the_shapes_are_read(constraint: str, refused: str) -> None:
    shapes = Graph().parse(data=SHAPES_HEAD + f"ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ {constraint} ] .",
                           format="turtle")
    with pytest.raises(NotImplementedError, match=refused):
        Engine(shapes)


# ---------------------------------------------------------------------------------- Core: the engines agree


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
    # sh:or of property shapes and of a node-level sh:not, as the shapes' three sh:or node shapes
    *[("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:or ( [ sh:pattern \"^http://example.org/a\" ; "
       "sh:property [ sh:path ex:p ; sh:minCount 1 ] ] [ sh:not [ sh:pattern \"^http://example.org/a\" ] ; "
       "sh:property [ sh:path ex:p ; sh:maxCount 0 ] ] ) .", data)
      for data in ("ex:a1 a ex:C ; ex:p 1 .", "ex:a1 a ex:C .", "ex:b1 a ex:C .", "ex:b1 a ex:C ; ex:p 1 .")],
    # rdf:type sh:hasValue, with other types beside it
    *[("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path "
       "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ; sh:hasValue ex:D ] .", data)
      for data in ("ex:a a ex:C, ex:D, ex:E .", "ex:a a ex:C, ex:E .")],
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
    "ex:a a ex:C, ex:D ; ex:p 1 ; ex:s ex:b .",  # ignored properties given as a named list, as kvsh:enrichment
])
def test_closed_shapes_and_exact_counts_agree_with_pyshacl(data_text: str) -> None:
    shapes = Graph().parse(data=SHAPES_HEAD + """
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        ex:ignored rdf:first rdf:type ; rdf:rest ( ex:s ) .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ; sh:ignoredProperties ex:ignored ;
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


# ---------------------------------------------------------------------------------- the bundled shapes, read two ways


def test_the_native_engine_builds_without_rdflib() -> None:
    """A validating worker reads the shapes with pyoxigraph: importing rdflib and its SPARQL
    parser would cost it a quarter of a second."""
    script = ("import sys; from kvgraph.shacl import native_engine; engine = native_engine(); "
              "print(len(engine.shapes), sorted(m for m in sys.modules if m.startswith('rdflib')))")
    shapes, rdflib_modules = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                            check=True).stdout.split(" ", 1)
    assert int(shapes) > 20
    assert rdflib_modules.strip() == "[]"


def test_shapes_read_by_pyoxigraph_and_by_rdflib_give_the_same_checks() -> None:
    # the same checks, line for line; constants and functions are numbered in reading order
    native, reference = (sorted(re.sub(r"_(c|shape|group)[0-9]+", r"_\1", Engine(shapes).source).splitlines())
                         for shapes in (ShapesGraph.from_turtle(shapes_text()), shapes_graph()))
    assert native == reference


def test_shapes_for_another_base_differ_only_in_their_iri_patterns() -> None:
    other = "http://example.com/open-data/"
    default, moved = shapes_text().decode().splitlines(), shapes_text(other).decode().splitlines()
    changed = [(a, b) for a, b in zip(default, moved, strict=True) if a != b]
    # the base as a regular expression in a Turtle string: its dots (and hyphens) escaped, the backslashes doubled
    written = [re.escape(base).replace("\\", "\\\\") for base in ("https://w3id.org/kvgraph/", other)]
    assert changed and all("sh:pattern" in a and a.replace(written[0], written[1]) == b for a, b in changed)
    assert len(changed) == bundled_text().count(written[0])


@settings(max_examples=150, deadline=None)
@given(kamervragen(max_questions=12))
def test_the_mapping_writes_every_integer_in_canonical_form(kamervraag: Kamervraag) -> None:
    """What lets the pipeline tell the native engine its triples need no canonical form (mapped=True)."""
    integers = [o for _, _, o in map_kamervraag(kamervraag) if isinstance(o, Literal) and o.datatype == XSD_INTEGER]
    assert integers and all(o.value == str(int(o.value)) for o in integers)
