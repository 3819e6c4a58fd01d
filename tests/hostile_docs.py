"""Hostile documents for the robustness tests: a renderer (model -> text, following FORMAT.md),
hypothesis strategies that build models full of awkward characters, and helpers that push a
model through every writer and read the bytes back with independent parsers.

The strategies only build models the text format can represent (one-line fields have no line
breaks and no surrounding whitespace, names have no parentheses, body lines are not blank...):
those are limits of the format, not of the parser. Everything else is fair game.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from hypothesis import strategies as st
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Triple, parse
from rdflib import Graph

from kvgraph.mapping import kamervraag_iri, map_kamervraag
from kvgraph.model import DocumentRef, Footnote, Kamervraag, Notice, Person, Question, Role, Source
from kvgraph.parser import MONTHS
from kvgraph.serializers import FORMATS, Sink
from kvgraph.terms import from_rdflib, to_oxigraph, triples_to_oxigraph

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MONTH_NAMES = {number: name for name, number in MONTHS.items()}
BULLET = "\u2022"

# --- characters ---------------------------------------------------------------------------

SYNTAX = list('<>"\\{}|^`') + list("%#@[]:/?&';=+$!*,.-_~") + ["%zz", "%4", "://", "@prefix", "_:b0", "\\u0000", "\\n"]
WHITESPACE = [" ", "\t", "\u00a0", "\u3000", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x1f", "\x85"]
CONTROLS = [chr(c) for c in (*range(1, 9), 0x0e, 0x1b, 0x7f, 0x80, 0x9f)]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\u0301", "\ufe0f"]
BIDI = ["\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
EMOJI = ["\U0001f600", "\U0001f3f3\ufe0f\u200d\U0001f308", "\U0001f1f3\U0001f1f1", "\U0001f44d\U0001f3fd"]
OTHER = ["\ufffd", "\ufffe", "\uffff", "\ue000", "\U0010fffd", "\U0001d11e", "«", "»", "€", "–", "ß", "İ", "ﬁ", "Ⅻ",
         "²", "١", "ǅ", "\u0130", "日本", "עברית", "العربية", "Zie antwoord vraag 1.", "Vraag 1", "Mededeling - 1 mei 2020"]
HOSTILE = SYNTAX + WHITESPACE + CONTROLS + INVISIBLE + BIDI + EMOJI + OTHER

# Anything but surrogates (not encodable), NUL (a binary file) and line breaks (\r and \n end
# lines; every field below is cut into lines explicitly where the format allows several).
_ANY = st.characters(exclude_categories=("Cs",), exclude_characters="\x00\r\n")
_PIECES = st.one_of(st.sampled_from(HOSTILE), _ANY, st.sampled_from("aeiou nrst"))
raw_text = st.lists(_PIECES, max_size=12).map("".join)


def huge(text: str, size: int = 10_000) -> str:
    """`text` repeated to exactly `size` characters (a non-empty filler when `text` is empty)."""
    text = text or "x\u200f"
    return (text * (size // len(text) + 1))[:size]


# Mostly short strings; one in sixteen is 10,000 characters long.
field_text = st.tuples(raw_text, st.integers(0, 15)).map(lambda pair: huge(pair[0]) if pair[1] == 15 else pair[0])

# --- one-line fields ----------------------------------------------------------------------

POSITION_WORDS = ("minister", "viceminister", "staatssecretaris")


def one_line(text: str, fallback: str = "x") -> str:
    """A single-line field as the format can carry it: no surrounding whitespace, not empty."""
    return text.strip() or fallback


def name_like(text: str) -> str:
    """A name or party: one line, no parentheses, no `, ` (the list separator), no leading position."""
    text = one_line(text.replace("(", "[").replace(")", "]").replace(", ", ",\u00a0"))
    text = "n" + text if text.lower().startswith(POSITION_WORDS) else text
    return text + "n" if text.endswith(",") else text  # `Name, (party)` would split the entry


def title_like(text: str) -> str:
    """The title line must not be taken for the `Ingediend` line that follows it."""
    text = one_line(text)
    return "t" + text if text.startswith("Ingediend") else text


def body_line(text: str) -> str:
    """A line of question, answer or notice text: not blank, no bullet, no leading space or tab
    (indentation is not text)."""
    text = text.lstrip(" \t")
    if not text.strip() or text.strip().startswith(BULLET):
        text = "b" + text
    return text


def body_text(lines: list[str]) -> str:
    return "\n".join(body_line(line) for line in lines)


# --- the model ------------------------------------------------------------------------------

# Topic lists as the examples write them (known OWMS labels, each list splits unambiguously).
TOPIC_LISTS = sorted({tuple(json.loads(p.read_text("utf-8"))["topics"]) for p in EXAMPLES.glob("*.expected.json")})
POSITIONS = ("minister", "minister zonder portefeuille", "staatssecretaris", "minister-president", "viceminister-president")


@st.composite
def topic_lists(draw: st.DrawFn) -> tuple[str, ...]:
    """Known labels from the examples, perhaps with one unknown hostile word among them."""
    labels = list(draw(st.sampled_from(TOPIC_LISTS)))
    if draw(st.booleans()):
        word = "".join(draw(raw_text).split()) or "x"
        if not word.isalpha():
            labels.insert(draw(st.integers(0, len(labels))), word)
        else:
            labels.insert(0, "%" + word)
    return tuple(labels)


@st.composite
def ministries(draw: st.DrawFn) -> str:
    """Ministry names: hostile words, possibly with `, ` inside, like `onderwijs, cultuur en wetenschap`."""
    pieces = draw(st.lists(raw_text.map(lambda t: name_like(t.replace(",", ";"))), min_size=1, max_size=3))
    return ", ".join(pieces)


@st.composite
def roles(draw: st.DrawFn) -> Role:
    position = draw(st.sampled_from(POSITIONS))
    ministry = draw(st.none() | ministries()) if position.endswith("president") else draw(ministries())
    return Role(position if ministry is None else f"{position} {ministry}", position, ministry)


@st.composite
def persons(draw: st.DrawFn, with_roles: bool = False) -> Person:
    name = name_like(draw(field_text))
    party = draw(st.none() | field_text.map(name_like))
    held = tuple(draw(st.lists(roles(), max_size=3))) if with_roles else ()
    return Person(name, party, held)


dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@st.composite
def questions(draw: st.DrawFn, count: int, answered: bool) -> tuple[Question, ...]:
    made = []
    for number in range(1, count + 1):
        text = body_text(draw(st.lists(field_text, min_size=1, max_size=3)))
        answer = see = None
        if answered and draw(st.integers(0, 5)):
            if number > 1 and not draw(st.integers(0, 4)):
                see = draw(st.integers(1, number - 1))
                answer = f"Zie antwoord vraag {see}."
            else:
                answer = body_text(draw(st.lists(field_text, min_size=1, max_size=3)))
                # a generated answer must not read as a combined answer by accident
                answer = "b" + answer if answer.startswith("Zie") else answer
        made.append(Question(number, text, answer, see))
    return tuple(made)


URL_PIECES = ["[", "]", "%", "%zz", "%4", "%41", "#", "?", "&", "=", "@", ":", "/", " ", "ü", "€", "\u200f", "|", "^",
              "`", "{", "}", "<", ">", '"', "\\", "'"]


def url(zaak: str) -> st.SearchStrategy[str]:
    """Source URLs: the usual one, or one with hostile characters anywhere after the scheme."""
    usual = st.just(f"https://zoek.officielebekendmakingen.nl/{zaak}.html")
    path = st.lists(st.sampled_from(URL_PIECES) | _PIECES, max_size=12).map("".join)
    hostile = st.builds(lambda host, path: one_line(f"https://{host}/{path}"),
                        st.sampled_from(["example.org", "a", "xn--bcher-kva.example", "[::1]", "host:8080", "u@h",
                                         "h:port", "a%zz", "[x"]), path)
    return usual | hostile


@st.composite
def kamervragen(draw: st.DrawFn, min_questions: int = 1, max_questions: int = 6) -> Kamervraag:
    """A whole Kamervraag (answered or not), as the parser should produce it from its rendering."""
    zaak = f"{draw(st.integers(1000, 9999))}Z{draw(st.integers(0, 99999)):05d}"
    submitted = draw(dates)
    days = draw(st.none() | st.integers(0, 400))
    answered = None
    if days is not None and submitted <= date.max - timedelta(days=days):
        answered = submitted + timedelta(days=days)
    is_answered = answered is not None
    count = draw(st.integers(min_questions, max_questions))
    question_url = draw(url(f"kv-tk-{zaak}")) if draw(st.integers(0, 4)) else None
    footnotes = ()
    if question_url is not None:
        texts = draw(st.lists(field_text.map(lambda t: one_line(t)), max_size=3))
        footnotes = tuple(Footnote(n, text) for n, text in enumerate(texts, start=1))
    answer_document = None
    if is_answered:
        year = draw(st.integers(1000, 9998))
        number = f"ah-tk-{year}{year + 1}-{int(zaak.replace('Z', '')) + 1}"  # one answer document per Kamervraag
        answer_url = draw(url(number)) if draw(st.integers(0, 4)) else None
        answer_document = DocumentRef(number, draw(st.none() | field_text.map(title_like)), answer_url)
    notices = tuple(draw(st.lists(st.builds(Notice, dates, st.lists(field_text, max_size=2).map(body_text)),
                                  max_size=2)))
    return Kamervraag(
        id=zaak,
        title=title_like(draw(field_text)),
        submitted=submitted,
        source=Source("generated", ""),
        answered=answered,
        days_to_answer=(answered - submitted).days if answered else None,
        submitters=tuple(draw(st.lists(persons(), min_size=1, max_size=4))),
        answerers=tuple(draw(st.lists(persons(with_roles=True), max_size=3))) if is_answered else (),
        topics=draw(st.just(()) | topic_lists()),
        question_document=DocumentRef(f"kv-tk-{zaak}", draw(st.none() | field_text.map(title_like)), question_url),
        answer_document=answer_document,
        footnotes=footnotes,
        questions=draw(questions(count, is_answered)),
        notices=notices,
    )


# --- rendering ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    """The byte-level variations FORMAT.md says a reader must accept."""

    bullet_indent: str = " "
    body_indent: str = "  "
    crlf: bool = False
    bom: bool = False
    final_newline: bool = False


PLAIN = Layout()
layouts = st.builds(Layout, st.sampled_from([" ", "  ", "\t"]), st.sampled_from(["  ", "    ", "\t"]),
                    st.booleans(), st.booleans(), st.booleans())


def dutch_date(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"


def render_person(person: Person) -> str:
    """`Name (roles) (party)`; a position without a ministry leaves the stray space of FORMAT.md."""
    text = person.name
    if person.roles:
        parts = [role.text + (" " if role.ministry is None else "") for role in person.roles]
        text += " (" + ", ".join(parts).strip() + ")"
    if person.party:
        text += f" ({person.party})"
    return text


def render(kv: Kamervraag, layout: Layout = PLAIN) -> str:
    """The text of a Kamervraag, following FORMAT.md line by line."""
    lines = [f"Kamervraag {kv.id}", "", kv.title, "", f"Ingediend {dutch_date(kv.submitted)}"]
    if kv.answered is not None:
        lines.append(f"Beantwoord {dutch_date(kv.answered)} (na {kv.days_to_answer} dagen)")
    key = "Indiener" if len(kv.submitters) == 1 else "Indieners"
    lines.append(f"{key} " + ", ".join(render_person(p) for p in kv.submitters))
    if kv.answerers:
        lines.append("Beantwoord door " + ", ".join(render_person(p) for p in kv.answerers))
    lines.append(" ".join(("Onderwerpen", *kv.topics)))
    question_doc, answer_doc = kv.question_document, kv.answer_document
    if question_doc and question_doc.url:
        lines.append(f"Bron vraag {question_doc.url}")
    if answer_doc and answer_doc.url:
        lines.append(f"Bron antwoord {answer_doc.url}")
    lines += [f"{f.number}. {f.text}" for f in kv.footnotes]
    indent = layout.body_indent
    for question in kv.questions:
        lines.append(f"{layout.bullet_indent}{BULLET} Vraag {question.number}")
        lines += [indent + line for line in question.text.split("\n")]
        if question.answer is not None:
            lines += ["", *(indent + line for line in question.answer.split("\n")), ""]
    for notice in kv.notices:
        lines.append(f"{layout.bullet_indent}{BULLET} Mededeling - {dutch_date(notice.date)}")
        lines += [indent + line for line in notice.text.split("\n")] if notice.text else []
    lines += ["", f"Kamervraag document nummer: {question_doc.number if question_doc else 'kv-tk-' + kv.id}"]
    if question_doc and question_doc.title:
        lines.append(f"Volledige titel: {question_doc.title}")
    if answer_doc:
        lines.append(f"Kamerantwoord document nummer: {answer_doc.number}")
        if answer_doc.title:
            lines.append(f"Volledige titel: {answer_doc.title}")
    return "\n".join(lines) + ("\n" if layout.final_newline else "")


def encode(text: str, layout: Layout = PLAIN) -> bytes:
    """The bytes of a rendered document: UTF-8, with CRLF and a BOM when the layout says so."""
    if layout.crlf:
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if layout.bom else "").encode() + text.encode("utf-8")


# --- writing and reading back ---------------------------------------------------------------

OXIGRAPH_FORMATS = {"turtle": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "nquads": RdfFormat.N_QUADS,
                    "trig": RdfFormat.TRIG, "json-ld": RdfFormat.JSON_LD}
RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld"}
DATASETS = {"nquads", "trig"}


def write(kamervragen: list[Kamervraag], fmt: str) -> tuple[bytes, int]:
    """Serialize documents exactly as `kvgraph convert` does (format chunks through a Sink);
    returns the bytes and kvgraph's own count of the triples written."""
    out = io.BytesIO()
    writer = FORMATS[fmt]
    sink = Sink(writer, out)
    count = sum(sink.write(writer.chunks(kamervraag_iri(kv.id), map_kamervraag(kv))) for kv in kamervragen)
    sink.close()
    return out.getvalue(), count


def expected_statements(kamervragen: list[Kamervraag], fmt: str) -> set[Triple | Quad]:
    """What a reader must find: the mapping's triples (in each document's graph for datasets)."""
    found: set[Triple | Quad] = set()
    for kv in kamervragen:
        graph = NamedNode(kamervraag_iri(kv.id))
        for t in triples_to_oxigraph(map_kamervraag(kv)):
            found.add(Quad(t.subject, t.predicate, t.object, graph) if fmt in DATASETS else t)
    return found


def read_oxigraph(data: bytes, fmt: str) -> list[Triple | Quad]:
    """Every statement pyoxigraph reads from the bytes (triples, or quads for the dataset formats)."""
    quads = list(parse(data, format=OXIGRAPH_FORMATS[fmt]))
    if fmt in DATASETS:
        return quads
    assert all(q.graph_name == DefaultGraph() for q in quads)
    return [Triple(q.subject, q.predicate, q.object) for q in quads]


def read_rdflib(data: bytes, fmt: str) -> set[Triple]:
    """The triples rdflib reads from the bytes, as pyoxigraph terms so they compare with the mapping's."""
    graph = Graph().parse(data=data, format=RDFLIB_FORMATS[fmt])
    return {Triple(to_oxigraph(from_rdflib(s)), NamedNode(p), to_oxigraph(from_rdflib(o))) for s, p, o in graph}


def check_every_format(kamervragen: list[Kamervraag], rdflib: bool = True) -> None:
    """Each writer's bytes parse back with pyoxigraph (and rdflib where it has a parser) to exactly
    the mapping's triples, and kvgraph's count of what it wrote is what the parsers count."""
    for fmt in FORMATS:
        data, count = write(kamervragen, fmt)
        expected = expected_statements(kamervragen, fmt)
        statements = read_oxigraph(data, fmt)
        assert set(statements) == expected, f"{fmt}: pyoxigraph reads other statements than the mapping made"
        assert count == len(statements) == len(expected), f"{fmt}: kvgraph counted {count}, pyoxigraph read {len(statements)}"
        if rdflib and fmt in RDFLIB_FORMATS:
            assert read_rdflib(data, fmt) == expected, f"{fmt}: rdflib reads other triples than the mapping made"
