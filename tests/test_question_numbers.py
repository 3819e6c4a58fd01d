"""A question number printed twice: the document is kept, both lines are warned about, and its
questions are numbered by position, as openkamer numbers them, so their IRIs stay distinct.

The documents are the sample with `Vraag` headings edited: tests/data/repeated-question-number.txt
prints `Vraag 3` where the sample prints `Vraag 2` (1, 3, 3, 4, ...); `shifted()` prints one
number twice and lets the rest follow on (1, 2, 2, 3, ..., 7), as a doubled heading would.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from conftest import ROOT, SAMPLE, expected_record

from kvgraph import pipeline
from kvgraph.mapping import map_kamervraag
from kvgraph.model import ParseResult
from kvgraph.vocab import KV

SAMPLE_TEXT = SAMPLE.read_text("utf-8")
REPEATED = ROOT / "tests" / "data" / "repeated-question-number.txt"
LAST_QUESTION = "Kunt u deze vragen afzonderlijk beantwoorden?\n\n  "
CASE = "https://w3id.org/kvgraph/id/kamervraag/2022Z04503"
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<level>error|warning): (?P<text>.+)$")
BY_POSITION = "all questions of the document are numbered by their position instead"


def shifted(answer: str = "Ja.", repeats: int = 1) -> str:
    """The sample with `Vraag 2` printed `repeats + 1` times (from line 17 on, every five lines)
    and the later numbers following on; the last question's answer replaced by `answer`."""
    def number(match: re.Match[str]) -> str:
        printed = int(match[1])
        return f"• Vraag {max(2, printed - repeats) if printed > 2 else printed}\n"
    text = re.sub(r"• Vraag (\d+)\n", number, SAMPLE_TEXT)
    assert LAST_QUESTION + "Ja." in text
    return text.replace(LAST_QUESTION + "Ja.", LAST_QUESTION + answer)


def parsed(text: str) -> ParseResult:
    result = pipeline.parse_string(text, "doc.txt")
    assert result.kamervraag is not None, [str(d) for d in result.diagnostics]
    return result


def found(result: ParseResult) -> list[tuple[int, str, str]]:
    return [(d.line, d.severity, d.code) for d in result.diagnostics]


def see_answer_links(result: ParseResult) -> list[tuple[str, str]]:
    return [(s, o) for s, p, o in map_kamervraag(result.kamervraag) if p == KV.seeAnswer]


def test_the_test_document_is_the_sample_with_one_heading_changed() -> None:
    assert REPEATED.read_text("utf-8") == SAMPLE_TEXT.replace(" • Vraag 2\n", " • Vraag 3\n", 1)


def test_a_repeated_number_converts_and_the_output_validates(cli, tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    run = cli("convert", str(REPEATED), "-f", "turtle", "-o", str(out))
    assert run.code == 0, run.stderr
    assert "1 converted" in run.stderr
    check = cli("validate", str(out))
    assert check.code == 0, check.stderr
    questions = {str(q.subject.value) for q in ox.parse(out.read_bytes(), format=ox.RdfFormat.TURTLE)
                 if q.predicate.value == "https://schema.org/position" and "/vraag/" in q.subject.value}
    assert questions == {f"{CASE}/vraag/{n}" for n in range(1, 9)}


def test_both_lines_of_a_repeated_number_are_warned_about_each_naming_the_other() -> None:
    result = pipeline.parse_file(str(REPEATED))
    assert found(result) == [(17, "warning", "repeated-question-number"), (17, "warning", "numbering-gap"),
                             (22, "warning", "repeated-question-number")]
    first, gap, second = (d.message for d in result.diagnostics)
    assert first == f"question number 3 is also printed on line 22; {BY_POSITION}, this one as question 2"
    assert second == f"question number 3 is also printed on line 17; {BY_POSITION}, this one as question 3"
    assert gap == "question number 3 printed where 2 was expected"  # no `Vraag 2` is printed anywhere


def test_the_questions_are_numbered_by_position_with_their_texts_and_answers() -> None:
    kamervraag = pipeline.parse_file(str(REPEATED)).kamervraag
    assert [q.number for q in kamervraag.questions] == list(range(1, 9))
    second, third = kamervraag.questions[1:3]
    assert second.text.startswith("Bent u bekend met signalen") and second.answer == "Ja."
    assert third.text.startswith("Wat zijn de overwegingen") and third.answer.startswith("De overwegingen voor")
    assert kamervraag.as_record() == expected_record(SAMPLE)  # the sample's record: only a heading differs


def test_a_repeat_does_not_make_the_questions_after_it_gaps() -> None:
    result = parsed(shifted())
    assert found(result) == [(17, "warning", "repeated-question-number"), (22, "warning", "repeated-question-number")]
    assert result.diagnostics[0].message.endswith("this one as question 2")
    assert result.diagnostics[1].message.endswith("this one as question 3")
    assert result.kamervraag.questions == parsed(SAMPLE_TEXT).kamervraag.questions


def test_a_number_printed_three_times_is_warned_about_on_each_line_naming_the_two_others() -> None:
    result = parsed(shifted(repeats=2))
    assert found(result) == [(line, "warning", "repeated-question-number") for line in (17, 22, 27)]
    assert [d.message.split(";")[0] for d in result.diagnostics] == [
        "question number 2 is also printed on lines 22, 27",
        "question number 2 is also printed on lines 17, 27",
        "question number 2 is also printed on lines 17, 22",
    ]
    assert [q.number for q in result.kamervraag.questions] == list(range(1, 9))


def test_see_answer_to_a_number_printed_once_points_to_its_new_number() -> None:
    result = parsed(shifted("Zie antwoord vraag 3."))  # printed 3 is the fourth question
    assert [code for _, _, code in found(result)] == ["repeated-question-number"] * 2
    last = result.kamervraag.questions[-1]
    assert (last.number, last.answer, last.see_answer) == (8, "Zie antwoord vraag 3.", 4)
    assert see_answer_links(result) == [(f"{CASE}/antwoord/8", f"{CASE}/antwoord/4")]


def test_see_answer_to_a_repeated_number_is_dropped_as_ambiguous() -> None:
    result = parsed(shifted("Zie antwoord vraag 2."))
    assert found(result)[2:] == [(51, "warning", "ambiguous-reference")]
    assert result.diagnostics[2].message == (
        "answer to question 8 points to question number 2, which is ambiguous: lines 17, 22 print it "
        "(now questions 2, 3); not linked, the answer text is kept")
    last = result.kamervraag.questions[-1]
    assert (last.answer, last.see_answer) == ("Zie antwoord vraag 2.", None)
    assert see_answer_links(result) == []


def test_see_answer_to_a_number_no_question_prints_is_dropped_not_guessed() -> None:
    result = parsed(shifted("Zie antwoord vraag 8."))  # no `Vraag 8` is printed; question 8 is this one
    assert found(result)[2:] == [(51, "warning", "dangling-reference")]
    assert result.diagnostics[2].message == ("answer to question 8 points to question number 8, which no question "
                                             "prints: not linked, the answer text is kept")
    assert result.kamervraag.questions[-1].see_answer is None


def test_without_a_repeat_the_printed_numbers_references_and_gap_warnings_stay() -> None:
    text = SAMPLE_TEXT.replace(" • Vraag 3\n", " • Vraag 9\n", 1).replace(LAST_QUESTION + "Ja.",
                                                                           LAST_QUESTION + "Zie antwoord vraag 9.")
    result = parsed(text)
    assert found(result) == [(22, "warning", "numbering-gap")]
    assert result.diagnostics[0].message == "question 9 where question 3 was expected"
    assert [q.number for q in result.kamervraag.questions] == [1, 2, 9, 4, 5, 6, 7, 8]
    assert see_answer_links(result) == [(f"{CASE}/antwoord/8", f"{CASE}/antwoord/9")]


def test_a_repeated_footnote_number_is_still_an_error() -> None:
    """Footnotes keep their printed numbers: the markers in the text (`…op?1`) carry them."""
    text = (ROOT / "examples" / "2023Z02291.txt").read_text("utf-8").replace("\n2. NOS,", "\n1. NOS,", 1)
    result = pipeline.parse_string(text, "doc.txt")
    assert result.kamervraag is None
    assert [(d.line, d.code, d.message) for d in result.diagnostics if d.is_error] == [
        (13, "duplicate-number", "footnote 1 appears twice")]


def test_the_cli_prints_each_warning_as_file_line_warning(cli, tmp_path: Path) -> None:
    doc = tmp_path / "ambiguous.txt"
    doc.write_text(shifted("Zie antwoord vraag 2."), "utf-8")
    run = cli("convert", str(doc), "-f", "nt")
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr
    warnings = [LINE.match(x) for x in run.stderr.splitlines() if ": warning: " in x]
    assert warnings and all(warnings), run.stderr
    assert [(m["file"], int(m["line"])) for m in warnings] == [(str(doc), 17), (str(doc), 22), (str(doc), 51)]
    assert f"{doc}:17: warning: question number 2 is also printed on line 22; {BY_POSITION}, this one as question 2" \
        in run.stderr
    assert f"{doc}:22: warning: question number 2 is also printed on line 17; {BY_POSITION}, this one as question 3" \
        in run.stderr
    assert f"{doc}:51: warning: answer to question 8 points to question number 2, which is ambiguous" in run.stderr
    assert f"<{CASE}/vraag/3>".encode() in run.stdout
    strict = cli("convert", str(doc), "-f", "nt", "--strict")
    assert strict.code == 1 and strict.stdout == b""
    assert f"{doc}:17: error: question number 2 is also printed on line 22" in strict.stderr
