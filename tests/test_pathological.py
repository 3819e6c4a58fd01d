"""Linear time on pathological input: huge lines, huge numbers of lines, persons, topics and
parentheses. Each case is timed at a small and a large size; the large one must finish within
10x the small one's time scaled linearly (at least a second, so timer noise cannot fail it; at
most 30 s). A quadratic step overshoots that by far: the large inputs are 16 or 32 times larger.

Timed is what `kvgraph convert` does to a document short of validation: decode, parse, map
and write Turtle, N-Triples and JSON-LD.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

import pytest
from conftest import SAMPLE, in_child

from kvgraph.mapping import kamervraag_iri, map_kamervraag
from kvgraph.model import ParseResult
from kvgraph.pipeline import parse_raw
from kvgraph.read import RawDocument
from kvgraph.serializers import FORMATS, Sink

TEXT = SAMPLE.read_text("utf-8")
QUESTION = "Kunt u deze vragen afzonderlijk beantwoorden?"
SUBMITTERS = "Indieners Sjoerd Sjoerdsma (D66), Hanneke van der Werf (D66)"


def edit(old: str, new: str) -> str:
    """The sample with one piece of text replaced (which must be there)."""
    assert old in TEXT
    return TEXT.replace(old, new, 1)


def converted(text: str) -> ParseResult:
    """Decode, parse, map and write one document the way `convert` does (without validation)."""
    result = parse_raw(RawDocument("pathological.txt", text.encode("utf-8")))
    if result.kamervraag is not None:
        triples = map_kamervraag(result.kamervraag)
        for fmt in ("turtle", "nt", "json-ld"):
            sink = Sink(FORMATS[fmt], io.BytesIO())
            sink.write(FORMATS[fmt].chunks(kamervraag_iri(result.kamervraag.id), triples))
            sink.close()
    return result


# name -> (document of size n, large n, how much smaller the baseline is, what the result must be)
CASES: dict[str, tuple[Callable[[int], str], int, int, Callable[[ParseResult], bool]]] = {
    "5 MB single-line file": (lambda n: "Kamervraag 2022Z04503 " + "x" * n, 5_000_000, 32,
                              lambda r: r.kamervraag is None),
    "5 MB title": (lambda n: edit("De oproep om Rusland uit te sluiten van INTERPOL\n\n", "T" * n + "\n\n"),
                   5_000_000, 32, lambda r: len(r.kamervraag.title) == 5_000_000),
    "5 MB question line": (lambda n: edit(QUESTION, "Waarom? " * (n // 8)), 5_000_000, 32,
                           lambda r: len(r.kamervraag.questions[-1].text) == 5_000_000),
    "5 MB of spaces in the Beantwoord line": (
        lambda n: edit("Beantwoord 24 maart 2022", "Beantwoord 24 maart" + " " * n + "2022"), 5_000_000, 32,
        lambda r: r.kamervraag is not None and r.kamervraag.days_to_answer == 14),
    "100k answer lines": (lambda n: edit("  Ja.\n\n • Vraag 2", "  Ja.\n" + "  regel\n" * n + "\n • Vraag 2"),
                          100_000, 16, lambda r: r.kamervraag.questions[0].answer.count("\n") == 100_000),
    "100k unplaced lines": (lambda n: edit("Bron vraag", "zomaar\n" * n + "Bron vraag"), 100_000, 16,
                            lambda r: len(r.diagnostics) == 100_000),
    "1M nested quotes": (lambda n: edit(QUESTION, "«" * n + "x" + "»" * n), 1_000_000, 32,
                         lambda r: len(r.kamervraag.questions[-1].text) == 2_000_001),
    "10k persons on the Indieners line": (
        lambda n: edit(SUBMITTERS, "Indieners " + ", ".join(f"Persoon Nummer{i} (Partij{i % 20})" for i in range(n))),
        10_000, 16, lambda r: len(r.kamervraag.submitters) == 10_000),
    "100k-word Onderwerpen line": (
        lambda n: edit("Onderwerpen internationaal", "Onderwerpen" + " jongeren internationaal onbekend" * (n // 3)
                       + " internationaal"), 100_000, 16, lambda r: len(r.kamervraag.topics) > 60_000),
    "a person with 1M groups of parentheses": (
        lambda n: edit("Sjoerd Sjoerdsma (D66)", "Sjoerd Sjoerdsma" + " (x)" * n), 1_000_000, 32,
        lambda r: r.kamervraag is None and "bad-person" in {d.code for d in r.diagnostics}),
    "a person with 1M nested parentheses": (
        lambda n: edit("Sjoerd Sjoerdsma (D66)", "Sjoerd Sjoerdsma " + "(" * n + "D66" + ")" * n), 1_000_000, 32,
        lambda r: r.kamervraag.submitters[0].party.count("(") == 1_000_000 - 1),
    "a person with 1M unbalanced parentheses": (
        lambda n: edit("Sjoerd Sjoerdsma (D66)", "Sjoerd Sjoerdsma " + ")(" * n + ")"), 1_000_000, 32,
        lambda r: r.kamervraag is None),
    "an office with 1M commas": (
        lambda n: edit("(minister justitie en veiligheid)", "(minister justitie" + ", x" * n + ")"), 1_000_000, 32,
        lambda r: r.kamervraag.answerers[1].roles[0].text.count(",") == 1_000_000),
}


# However fast the baseline, no case may take longer than this (the slowest takes about 4 s).
CAP = 30.0


def _run(case: str, text: str, conn: Connection) -> None:
    """Child process: convert the document; send back the time taken and the case's verdict."""
    start = time.perf_counter()
    result = converted(text)
    took = time.perf_counter() - start
    conn.send((took, bool(CASES[case][3](result)), [str(d) for d in result.diagnostics[:3]]))


def timed(case: str, text: str, limit: float) -> tuple[float, bool, list[str]]:
    """Convert `text` in a forked child; fail the test if it takes longer than `limit` seconds
    (killing it, so a catastrophic case cannot hang the suite) or raises."""
    result = in_child(_run, (case, text), limit, f"{case}: the conversion")
    if result is None:
        pytest.fail(f"{case}: not done after {limit:.2f} s")
    return result


@pytest.mark.parametrize("case", list(CASES))
def test_pathological_input_takes_linear_time(case: str) -> None:
    make, large, ratio, _ = CASES[case]
    small_text, large_text = make(large // ratio), make(large)
    baseline = min(timed(case, small_text, CAP)[0] for _ in range(2))
    budget = min(CAP, max(1.0, 10 * baseline * len(large_text) / len(small_text)))
    took, ok, diagnostics = timed(case, large_text, budget)
    assert took < budget, f"{case}: {took:.2f} s, more than 10x linear growth from {baseline:.4f} s ({budget:.2f} s)"
    assert ok, diagnostics
