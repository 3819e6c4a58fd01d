"""Property-based tests with hostile documents: generated from the grammar of FORMAT.md with
awkward characters everywhere, and valid documents broken at random. Whatever comes in, the
parser answers with a ParseResult (never an exception), text survives exactly, every writer's
output reads back in independent parsers, and every IRI is valid."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from conftest import example_documents
from hostile_docs import (
    HOSTILE,
    PLAIN,
    Layout,
    check_every_format,
    encode,
    field_text,
    huge,
    kamervragen,
    layouts,
    raw_text,
    render,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode, RdfFormat, parse

from kvgraph.iris import Minter, safe_url, slug
from kvgraph.mapping import map_kamervraag
from kvgraph.model import Diagnostic, DocumentRef, Footnote, Kamervraag, Notice, ParseResult, Person, Question, Role, Source
from kvgraph.pipeline import parse_raw
from kvgraph.read import RawDocument
from kvgraph.serializers import turtle
from kvgraph.shacl import validate_triples
from kvgraph.terms import RDF_LANGSTRING, XSD_STRING, Literal, nt_term
from kvgraph.vocab import DEFAULT_BASE

# Bounded and reproducible: the same examples on every run and in CI, no example database.
BOUNDED = dict(deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
EXAMPLE_BYTES = [p.read_bytes() for p in example_documents()]
CODE = re.compile(r"[a-z]+(-[a-z0-9]+)*")


def parsed(kv: Kamervraag, layout: Layout = PLAIN) -> ParseResult:
    """Parse the rendering of a model, as bytes, the way a file would be parsed."""
    return parse_raw(RawDocument("generated.txt", encode(render(kv, layout), layout)))


def assert_same_record(result: ParseResult, kv: Kamervraag) -> None:
    """No errors, every question and answer text exactly as generated, and the whole model equal."""
    assert [str(d) for d in result.diagnostics if d.is_error] == []
    got = result.kamervraag
    assert got is not None
    assert [q.text for q in got.questions] == [q.text for q in kv.questions]
    assert [q.answer for q in got.questions] == [q.answer for q in kv.questions]
    assert [n.text for n in got.notices] == [n.text for n in kv.notices]
    assert got == replace(kv, source=got.source)


@settings(max_examples=150, **BOUNDED)
@given(kamervragen(), layouts)
def test_generated_documents_parse_back_to_the_model_they_were_rendered_from(kv: Kamervraag, layout: Layout) -> None:
    assert_same_record(parsed(kv, layout), kv)


@settings(max_examples=100, **BOUNDED)
@given(kamervragen())
def test_every_format_of_a_hostile_document_reads_back_in_pyoxigraph_and_rdflib(kv: Kamervraag) -> None:
    result = parsed(kv)
    assert result.kamervraag is not None, [str(d) for d in result.diagnostics]
    check_every_format([result.kamervraag])


@settings(max_examples=30, **BOUNDED)
@given(st.lists(kamervragen(max_questions=3), min_size=2, max_size=4, unique_by=lambda kv: kv.id))
def test_several_hostile_documents_in_one_output_read_back_with_the_counts_kvgraph_reports(
        documents: list[Kamervraag]) -> None:
    check_every_format(documents, rdflib=False)


def _renumbered(kv: Kamervraag, count: int) -> Kamervraag:
    """The document with its questions repeated until there are `count` of them."""
    questions = tuple(Question(n, q.text, q.answer, q.see_answer)
                      for n, q in enumerate((kv.questions * count)[:count], start=1))
    return replace(kv, questions=questions)


@settings(max_examples=4, **BOUNDED)
@given(kamervragen(min_questions=2, max_questions=4), st.integers(200, 400))
def test_hundreds_of_questions(kv: Kamervraag, count: int) -> None:
    kv = _renumbered(kv, count)
    result = parsed(kv)
    assert_same_record(result, kv)
    assert len(result.kamervraag.questions) == count
    check_every_format([result.kamervraag], rdflib=False)


def test_every_field_ten_thousand_hostile_characters_long() -> None:
    """One document where every text field is 10,000 characters of the hostile alphabet."""
    text = huge("".join(HOSTILE))
    line = text.strip().replace(", ", ",\u00a0").replace("(", "[").replace(")", "]")
    ministry = "m" + line.replace(",", ";")
    kv = Kamervraag(
        id="2022Z04503", title="t" + line, submitted=date(2022, 3, 10), source=Source("", ""),
        answered=date(2022, 3, 24), days_to_answer=14,
        submitters=(Person("n" + line, "p" + line),),
        answerers=(Person("n" + line, "p" + line, (Role(f"minister {ministry}", "minister", ministry),)),),
        question_document=DocumentRef("kv-tk-2022Z04503", "t" + line, "https://example.org/" + line),
        answer_document=DocumentRef("ah-tk-20212022-2218", "t" + line, "https://example.org/" + line),
        footnotes=(Footnote(1, line),),
        questions=tuple(Question(n, "q" + text, "a" + text) for n in (1, 2, 3)),
        notices=(Notice(date(2022, 3, 20), "n" + text),),
    )
    result = parsed(kv)
    assert_same_record(result, kv)
    assert len(result.kamervraag.questions[0].text) == 10_001
    check_every_format([result.kamervraag])


# --- random damage to valid documents ---------------------------------------------------------

@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """An example or a generated document with lines deleted, duplicated, swapped or replaced,
    hostile text or random bytes inserted, bytes flipped, or the end cut off."""
    if draw(st.booleans()):
        data = draw(st.sampled_from(EXAMPLE_BYTES))
    else:
        data = encode(render(draw(kamervragen(max_questions=3))))
    for _ in range(draw(st.integers(1, 6))):
        lines = data.split(b"\n")
        i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        at = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "replace", "insert-text", "insert-bytes",
                                          "flip", "truncate"]))
        if operation == "delete":
            del lines[i]
        elif operation == "duplicate":
            lines.insert(i, lines[i])
        elif operation == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif operation == "replace":
            lines[i] = draw(field_text).encode("utf-8", "surrogatepass")
        if operation in ("delete", "duplicate", "swap", "replace"):
            data = b"\n".join(lines)
        elif operation == "insert-text":
            data = data[:at] + draw(st.sampled_from(HOSTILE + ["\n", "\r", "\r\n", "\n\n", "\ufeff"])).encode() + data[at:]
        elif operation == "insert-bytes":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif operation == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
        elif operation == "truncate":
            data = data[:at]
    return data


@settings(max_examples=200, **BOUNDED)
@given(damaged())
def test_damaged_documents_get_diagnostics_never_exceptions(data: bytes) -> None:
    result = parse_raw(RawDocument("damaged.txt", data))
    assert isinstance(result, ParseResult)
    lines = data.count(b"\n") + data.count(b"\r") + 1
    for diagnostic in result.diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.severity in ("error", "warning") and CODE.fullmatch(diagnostic.code)
        assert 1 <= diagnostic.line <= lines and diagnostic.path == "damaged.txt"
    if result.kamervraag is None:
        assert any(d.is_error for d in result.diagnostics), "a document was refused without saying why"
        return
    validate_triples(map_kamervraag(result.kamervraag))
    check_every_format([result.kamervraag], rdflib=False)


# --- IRIs -----------------------------------------------------------------------------------

any_text = st.text(st.characters(exclude_categories=("Cs",))) | raw_text | st.lists(st.sampled_from(HOSTILE)).map("".join)


@settings(max_examples=300, **BOUNDED)
@given(any_text)
def test_every_iri_kvgraph_mints_from_text_is_valid(text: str) -> None:
    mint = Minter(DEFAULT_BASE)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug(text))
    for kind in ("persoon", "partij", "ambt", "ministerie", "onderwerp"):
        NamedNode(mint.named(kind, text))  # raises on an invalid IRI
    NamedNode(mint.document(text))
    for candidate in (text, "https://" + text, "http://example.org/" + text, "https://a/" + text + "#" + text):
        made = safe_url(candidate)
        assert made is None or NamedNode(made).value == made


@pytest.mark.parametrize("url", ["https://a/%zz", "https://a/%", "https://a/%4", "https://a/[x]", "https://a/#x#y",
                                 "https://a:port/", "https://[/", "https://a@b@c/", "https://a/x?y#z%", "https://a/\x7f",
                                 "https://a/ü €", "https://[::1]:80/x", "https://u:p@host:8080/a?b=c#d"])
def test_source_urls_become_valid_iris_or_none(url: str) -> None:
    made = safe_url(url)
    assert made is None or NamedNode(made).value == made
    assert made is not None or "@b@" in url or "[/" in url or ":port" in url


# Text where the writers' fast escaping path and their regex path meet: newlines, no-break and
# other spaces, quotes, backslashes, control characters and the non-characters N-Triples escapes.
escapable_text = st.text(st.sampled_from(["a", "é", " ", "\n", "\r", "\t", "\xa0", "\u2009", '"', "\\", "\x00", "\x1f",
                                          "\x7f", "\ufffe", "\uffff", "€", "😀"]), max_size=30)


@given(escapable_text)
def test_n_triples_strings_are_written_as_pyoxigraph_writes_them(text: str) -> None:
    assert nt_term(Literal(text, XSD_STRING)) == str(OxLiteral(text))
    assert nt_term(Literal(text, RDF_LANGSTRING, "nl")) == str(OxLiteral(text, language="nl"))


@given(escapable_text)
def test_turtle_strings_read_back_as_the_text_they_were_written_from(text: str) -> None:
    written = f"<http://example.org/s> <http://example.org/p> {turtle.quote(text)} ."
    (read,) = parse(written.encode(), format=RdfFormat.TURTLE)
    assert read.object.value == text
