"""The competency queries in queries/ against the examples: every row is derived here, in plain
Python, from the hand-written expected records (examples/*.expected.json), not from RDF."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, example_documents, expected_record

from kvgraph import pipeline
from kvgraph.sparql import Table, select, store_of, write_csv

RECORDS = [expected_record(p) for p in example_documents()]
THEMES = {row["label"].lower(): row["uri"] for row in csv.DictReader((ROOT / "kvgraph" / "data" / "owms-themes.csv")
                                                                     .read_text("utf-8").splitlines())}


@pytest.fixture(scope="module")
def store():
    triples = [t for r in pipeline.parse_inputs([str(EXAMPLES)]) for t in pipeline.build_triples(r.kamervraag)]
    return store_of(triples)


def run(store, name: str) -> Table:
    """The query's result with its rows read (they stream, and can be read once)."""
    table = select(store, (ROOT / "queries" / f"{name}.rq").read_text("utf-8"))
    return Table(table.columns, list(table.rows))


def test_questions(store) -> None:
    table = run(store, "questions")
    assert table.columns == ("kamervraag", "number", "question", "answer")
    expected = [(r["id"], str(q["number"]), q["text"], q["answer"]) for r in sorted(RECORDS, key=lambda r: r["id"])
                for q in r["questions"]]
    assert list(table.rows) == expected
    assert any(row[3] is None for row in table.rows)  # unanswered questions come back unbound


def test_people(store) -> None:
    table = run(store, "people")
    assert table.columns == ("kamervraag", "role", "name", "party")
    expected = []
    for r in sorted(RECORDS, key=lambda r: r["id"]):
        expected += [(r["id"], "indiener", p["name"], p["party"]) for p in r["submitters"]]
        expected += [(r["id"], "beantwoorder", p["name"], p["party"]) for p in r["answerers"]]
    assert list(table.rows) == expected


def test_offices(store) -> None:
    table = run(store, "offices")
    assert table.columns == ("kamervraag", "name", "office")
    expected = sorted((r["id"], p["name"], role) for r in RECORDS for p in r["answerers"] for role in p["roles"])
    assert sorted(table.rows) == expected
    assert ("2022Z04503", "Wopke Hoekstra", "viceminister-president") in table.rows


def test_topics(store) -> None:
    table = run(store, "topics")
    assert table.columns == ("kamervraag", "topic", "concept")
    expected = sorted((r["id"], label, THEMES[label]) for r in RECORDS for label in r["topics"])
    assert sorted(table.rows) == expected


def test_answer_times(store) -> None:
    table = run(store, "answer-times")
    assert table.columns == ("kamervraag", "submitted", "answered", "days")
    expected = [(r["id"], r["submitted"], r["answered"],
                 None if r["days_to_answer"] is None else str(r["days_to_answer"]))
                for r in sorted(RECORDS, key=lambda r: r["id"])]
    assert list(table.rows) == expected


def test_documents(store) -> None:
    table = run(store, "documents")
    assert table.columns == ("kamervraag", "title", "questionDocument", "questionUrl", "answerDocument", "answerUrl",
                             "answerTitle")
    expected = []
    for r in sorted(RECORDS, key=lambda r: r["id"]):
        q, a = r["question_document"], r["answer_document"] or {}
        expected.append((r["id"], r["title"], q["number"], q["url"], a.get("number"), a.get("url"), a.get("title")))
    assert list(table.rows) == expected


def test_queries_run_through_the_cli_as_csv(cli, tmp_path: Path) -> None:
    run_ = cli("query", "queries/answer-times.rq", "examples", "--format", "csv")
    assert run_.code == 0, run_.stderr
    lines = run_.text.splitlines()
    assert lines[0] == "kamervraag,submitted,answered,days"
    assert "2022Z04503,2022-03-10,2022-03-24,14" in lines and len(lines) == len(RECORDS) + 1


@pytest.mark.parametrize("name", ["questions", "people", "offices", "topics", "answer-times", "documents"])
def test_the_engines_csv_is_the_python_writers(store, name: str) -> None:
    """Oxigraph's CSV serializer, used for a listing printed as CSV, writes the bytes kvgraph's own
    writer makes of the same rows (texts with newlines, quotes and commas, unbound values, numbers):
    SPARQL 1.1 CSV, CRLF after each row."""
    text = (ROOT / "queries" / f"{name}.rq").read_text("utf-8")
    engine = select(store, text)
    assert engine.csv is not None
    by_engine = io.BytesIO()
    out = io.TextIOWrapper(by_engine, "utf-8", newline="", write_through=True)
    write_csv(engine, out)
    table, by_python = run(store, name), io.StringIO(newline="")
    write_csv(table, by_python)
    assert by_engine.getvalue().decode("utf-8") == by_python.getvalue()
    out.detach()
    assert by_python.getvalue().count("\r\n") == len(list(table.rows)) + 1
