"""Regressions: every input that once crashed kvgraph, kept in tests/data/fuzz/ (from the atheris
fuzzer, fuzz/fuzz_parse.py, and from the hostile-input review), plus the other bugs the
property-based tests found. Each crashed with an exception before its fix; now each either
converts, with every format reading back, or is refused with an error diagnostic."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE
from hostile_docs import check_every_format, read_oxigraph
from pyoxigraph import NamedNode

from kvgraph import pipeline
from kvgraph.mapping import map_kamervraag
from kvgraph.parser import parse_date
from kvgraph.read import RawDocument
from kvgraph.shacl import validate_triples

FUZZ = ROOT / "tests" / "data" / "fuzz"
KEPT = sorted(FUZZ.glob("*.txt"))
SCHEMA_URL = "https://schema.org/url"


def parsed(path: Path) -> pipeline.ParseResult:
    return pipeline.parse_raw(RawDocument(path.name, path.read_bytes()))


def test_the_kept_inputs_are_there() -> None:
    assert len(KEPT) >= 10


@pytest.mark.parametrize("path", KEPT, ids=lambda p: p.stem)
def test_kept_crash_converts_or_is_refused_with_an_error(path: Path) -> None:
    result = parsed(path)
    if result.kamervraag is None:
        assert any(d.is_error for d in result.diagnostics)
        return
    triples = map_kamervraag(result.kamervraag)
    validate_triples(triples)
    check_every_format([result.kamervraag])


def test_kept_crashes_through_the_cli(cli, tmp_path: Path) -> None:
    for fmt in ("turtle", "nt", "json-ld"):
        run = cli("convert", str(FUZZ), "-f", fmt, "-j", "1", "-o", str(tmp_path / f"out.{fmt}"))
        assert run.code in (0, 1) and "Traceback" not in run.stderr, run.stderr
        assert f"{len(KEPT)} documents" in run.stderr
        assert read_oxigraph((tmp_path / f"out.{fmt}").read_bytes(), fmt)


@pytest.mark.parametrize("name, code", [("date-year-overflow-d4af8bca", "bad-date"), ("days-5000-digits", "bad-answered")])
def test_huge_numbers_in_dates_are_errors(name: str, code: str) -> None:
    result = parsed(FUZZ / f"{name}.txt")
    assert result.kamervraag is None and code in {d.code for d in result.diagnostics if d.is_error}
    assert parse_date("1 maart 99999999999999999999") is None
    assert parse_date("99999999999999999999 maart 2022") is None


@pytest.mark.parametrize("name", ["question-number-5000-digits", "footnote-number-5000-digits"])
def test_numbers_of_more_than_nine_digits_are_not_numbers(name: str) -> None:
    result = parsed(FUZZ / f"{name}.txt")
    assert "unplaced-text" in {d.code for d in result.diagnostics}


@pytest.mark.parametrize("name", ["answer-number-superscript-digit", "answer-number-5000-digits"])
def test_answer_numbers_that_are_not_ascii_digits_get_no_aanhangsel_number(name: str) -> None:
    kv = parsed(FUZZ / f"{name}.txt").kamervraag
    assert kv is not None
    predicates = {p for _, p, _ in map_kamervraag(kv)}
    assert "https://w3id.org/kvgraph/def/vergaderjaar" in predicates
    assert "https://w3id.org/kvgraph/def/aanhangselNummer" not in predicates


def test_a_url_that_cannot_be_an_iri_is_kept_in_the_record_left_out_of_the_graph_and_reported() -> None:
    result = parsed(FUZZ / "url-with-bad-port.txt")
    assert [d.code for d in result.diagnostics] == ["bad-url"]
    assert result.diagnostics[0].line == 11 and result.diagnostics[0].severity == "warning"
    assert result.kamervraag.answer_document.url == "https://zoek.officielebekendmakingen.nl:poort/ah-tk-20212022-2218.html"
    urls = [o for _, p, o in map_kamervraag(result.kamervraag) if p == SCHEMA_URL]
    assert urls == ["https://zoek.officielebekendmakingen.nl/kv-tk-2022Z04503.html"]


def test_a_url_with_brackets_stray_percent_and_two_hashes_is_escaped_into_a_valid_iri() -> None:
    result = parsed(FUZZ / "url-with-brackets-lone-percent-and-two-hashes.txt")
    assert result.diagnostics == ()
    urls = [o for _, p, o in map_kamervraag(result.kamervraag) if p == SCHEMA_URL]
    assert urls[0] == "https://zoek.officielebekendmakingen.nl/%5Bkv-tk%5D-2022Z04503.html?q=100%25#a%23b"


def test_a_file_name_that_is_not_utf8_is_written_escaped_not_a_crash(cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsencode(folder) + b"/vraag-\xff.txt"
    with open(name, "wb") as out:
        out.write(SAMPLE.read_bytes())
    run = cli("convert", str(folder), "-f", "nt", "-j", "1")
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr
    assert run.stdout == cli("convert", str(SAMPLE), "-f", "nt", "-j", "1").stdout  # the graph names no path


def _respelled(tmp_path: Path) -> list[str]:
    """The sample, and a copy (another zaaknummer and answer) whose second submitter, whom the
    reference does not know, is spelled in lower case: the same slug, so the same person IRI,
    now with a second name. (A linked person has the reference's one name however printed.)"""
    other = tmp_path / "other.txt"
    other.write_text(SAMPLE.read_text("utf-8").replace("2022Z04503", "2022Z04504").replace("-2218", "-2219")
                     .replace("Hanneke van der Werf (D66)", "hanneke van der werf (D66)"), "utf-8")
    return [str(SAMPLE), str(other)]


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_a_shared_thing_described_differently_by_two_documents_has_each_triple_written_once(
        fmt: str, tmp_path: Path) -> None:
    target = tmp_path / "out"
    with open(target, "wb") as out:
        summary = pipeline.convert(_respelled(tmp_path), out, fmt=fmt, jobs=1)
    statements = read_oxigraph(target.read_bytes(), fmt)
    assert summary.triples == len(statements) == len(set(statements))
    person = NamedNode("https://w3id.org/kvgraph/id/persoon/naam/hanneke-van-der-werf")
    names = {t.object.value for t in statements if t.subject == person and t.predicate.value.endswith("/name")}
    assert names == {"Hanneke van der Werf", "hanneke van der werf"}
