"""The `question numbering` warning (shapes/kvgraph.shapes.ttl): what it reports, in both
engines, and that it takes time linear in the number of questions.

Documents are the sample's text with its questions replaced by numbered ones, converted the
way `convert` does (parse, map) and validated with kvgraph.shacl.validate_triples: by pyshacl,
which runs the shapes' kvsh:QuestionNumberingRule query, and by the native engine, which runs
its Python twin (kvgraph/shacl/checks.py). The time test runs in
child processes that are killed at their budget, as in test_pathological.py: the document
with 2000 questions must validate within 3x linear growth from the one with 250 (at least
a second, so timer noise cannot fail it). The old query, which paired every question with
every other, needed about 64x, and minutes.
"""

from __future__ import annotations

import time
from multiprocessing.connection import Connection

import pytest
from conftest import SAMPLE, in_child

from kvgraph.mapping import map_kamervraag
from kvgraph.pipeline import parse_string
from kvgraph.shacl import checks, validate_triples
from kvgraph.shacl.reference import shapes_graph
from kvgraph.shacl.report import Violation
from kvgraph.shacl.shapes import SH
from kvgraph.terms import Literal, Triple

TEXT = SAMPLE.read_text("utf-8")
HEAD = TEXT[:TEXT.index(" • Vraag 1\n")]
TAIL = TEXT[TEXT.index("\n\nKamervraag document nummer:"):]
CASE = "https://w3id.org/kvgraph/id/kamervraag/2022Z04503"
HAS_PART = "https://schema.org/hasPart"
POSITION = "https://schema.org/position"
XSD = "http://www.w3.org/2001/XMLSchema#"
MESSAGE = ("the questions of a Kamervraag should be numbered 1, 2, 3, ... without gaps (schema:position); "
           "the document skips a number")
ENGINES = ("native", "pyshacl")


def document(numbers: list[int]) -> str:
    """The sample with its eight questions replaced by questions with these numbers, each answered."""
    questions = "".join(f" • Vraag {n}\n  Is dit vraag {n}?\n\n  Ja, dit is vraag {n}.\n\n" for n in numbers)
    return HEAD + questions.rstrip("\n") + TAIL


def triples_of(numbers: list[int]) -> list[Triple]:
    result = parse_string(document(numbers))
    assert result.kamervraag is not None, result.diagnostics
    assert [q.number for q in result.kamervraag.questions] == numbers
    return map_kamervraag(result.kamervraag)


def question(n: int) -> str:
    return f"{CASE}/vraag/{n}"


def numbering(found: list[Violation] | tuple[Violation, ...]) -> list[Violation]:
    """The numbering warnings among the results (the only warnings on schema:hasPart)."""
    return [v for v in found if v.path == HAS_PART and v.severity == "Warning"]


def expected(*values: int) -> list[Violation]:
    return [Violation(CASE, HAS_PART, MESSAGE, "Warning", question(n)) for n in values]


def with_position(triples: list[Triple], n: int, position: Literal) -> list[Triple]:
    """The triples with question n's schema:position replaced by `position`."""
    changed = [(s, p, position) if s == question(n) and p == POSITION else (s, p, o) for s, p, o in triples]
    assert changed != triples
    return changed


# ---------------------------------------------------------------------------------- meaning


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("numbers", "gaps"), [
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], []),
    ([1, 2, 4], [4]),
    ([2, 3, 5, 6, 9], [2, 5, 9]),
], ids=["1-12", "1,2,4", "2,3,5,6,9"])
def test_each_question_whose_predecessor_is_missing_gets_a_warning(engine: str, numbers: list[int], gaps: list[int]) -> None:
    report = validate_triples(triples_of(numbers), engine)
    assert sorted(numbering(report.violations), key=lambda v: v.value or "") == sorted(expected(*gaps), key=lambda v: v.value or "")
    assert report.conforms, report.violations


@pytest.mark.parametrize("numbers", [[1, 2, 4], [3, 4, 7, 8]], ids=["1,2,4", "3,4,7,8"])
def test_both_engines_report_the_same(numbers: list[int]) -> None:
    triples = triples_of(numbers)
    native, pyshacl = (set(validate_triples(triples, engine).violations) for engine in ENGINES)
    assert native == pyshacl
    assert numbering(list(native))


@pytest.mark.parametrize("engine", ENGINES)
def test_positions_written_in_a_non_canonical_form_count_as_their_number(engine: str) -> None:
    """The query finds the predecessor by its RDF term; both engines store xsd:integer
    literals canonically ("01" and "+2" become "1" and "2"), so these still number 1, 2, 3."""
    triples = with_position(triples_of([1, 2, 3]), 1, Literal("01", XSD + "integer"))
    triples = with_position(triples, 2, Literal("+2", XSD + "integer"))
    assert validate_triples(triples, engine).violations == ()


def test_a_predecessor_numbered_with_another_integer_type_is_a_violation_and_never_counts() -> None:
    """Documented in the shapes: "1"^^xsd:int is not an xsd:integer (a violation in both
    engines) and is not taken for question 1 by either."""
    triples = with_position(triples_of([1, 2, 3]), 1, Literal("1", XSD + "int"))
    native, pyshacl = (validate_triples(triples, engine) for engine in ENGINES)
    for report in (native, pyshacl):
        assert not report.conforms
        assert {(v.focus, v.path) for v in report.violations if v.severity == "Violation"} == {(question(1), POSITION)}
        assert numbering(report.violations) == expected(2)


# ---------------------------------------------------------------------------------- time

LARGE, RATIO = 2000, 8
# Budget for the large document: 3x linear growth from the small one, at least FLOOR seconds,
# at most CAP (the old, quadratic query took minutes for 2000 questions).
GROWTH, FLOOR, CAP = 3, 1.0, 60.0


def _validate(numbers: list[int], conn: Connection) -> None:
    """Child process: validate with the native engine; send back the seconds taken and the numbering warnings."""
    triples = triples_of(numbers)
    validate_triples(triples_of([1]), "native")  # compile the shapes outside the timing
    start = time.perf_counter()
    report = validate_triples(triples, "native")
    conn.send((time.perf_counter() - start, numbering(report.violations)))


def timed(numbers: list[int], limit: float) -> tuple[float, list[Violation]] | None:
    """Validate in a forked child; None if it is not done within `limit` seconds (it is killed)."""
    return in_child(_validate, (numbers,), limit, f"validating {len(numbers)} questions")


def test_many_questions_validate_in_linear_time() -> None:
    small = [n for n in range(1, LARGE // RATIO + 1) if n != 3]
    large = [n for n in range(1, LARGE + 1) if n != 3]
    baselines = [timed(small, CAP) for _ in range(2)]
    assert all(b is not None and b[1] == expected(4) for b in baselines), baselines
    baseline = min(b[0] for b in baselines if b is not None)
    budget = min(CAP, max(FLOOR, GROWTH * RATIO * baseline))
    # a second try, so that one slow moment on a shared machine does not fail the test
    run = timed(large, budget) or timed(large, budget)
    assert run is not None, f"{LARGE} questions: not done within {budget:.2f} s ({GROWTH}x linear growth from {baseline:.3f} s)"
    assert run[1] == expected(4)


def test_the_rule_looks_the_predecessor_up_by_its_number() -> None:
    """The shape is written so that a question's predecessor is found by its number, one lookup
    by object in a store, not by walking every part of the Kamervraag for every question (n
    questions would cost n²); its twin is registered for that very query. That the twin's work is
    linear too is test_engine.py's test_a_twins_work_grows_linearly_with_the_document."""
    from rdflib import URIRef

    rule = checks.SHAPES + "QuestionNumberingRule"
    query = str(shapes_graph().value(URIRef(rule), URIRef(SH.select)))
    assert "?previous schema:position ?m" in query
    assert checks.TWINS[rule].digest == checks.query_digest(query)
