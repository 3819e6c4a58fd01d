"""Map the plain model of one Kamervraag to RDF triples.

Knows nothing of files or formats: it turns a Kamervraag into a list of plain triples (terms.py)
in a fixed order, so the same document always gives the same triples in the same order. Shared
things (persons, parties, offices, ministries, topics) are described in every document that
mentions them; writers of a single graph drop the repeats, per-document graphs keep them so
each graph stands on its own. The terms and IRIs are explained in ontology/README.md.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache, lru_cache
from itertools import compress
from operator import itemgetter

from . import topics
from .iris import Minter, safe_url
from .model import DocumentRef, Kamervraag, Person, Question, printable_path
from .terms import RDF_LANGSTRING, XSD_STRING, Literal, Term, Triple
from .vocab import (
    DCTERMS,
    DEFAULT_BASE,
    FOAF,
    KV,
    ORG,
    POSITION_TERMS,
    PROV,
    RDF_TYPE,
    SCHEMA,
    SKOS,
    XSD_DATE,
    XSD_INTEGER,
)

SCHEME = topics.SCHEME
_NUMBER = re.compile(r"[0-9]{1,18}")

# The triples of one document as they are made, in order. An object is None where the model
# has no value: such a triple is left out at the end, as are repeats (see _distinct).
DraftTriple = tuple[str, str, Term | None]
Draft = list[DraftTriple]

# Literal(...) runs the NamedTuple's __new__, a Python function; about fifty literals a document
# are made with tuple.__new__ directly instead, the very call that function makes.
_literal = tuple.__new__


def _plain(text: str) -> Literal:
    return _literal(Literal, (text, XSD_STRING, ""))


def _nl(text: str) -> Literal:
    """Dutch text; the tag written as `lang` would lower-case it, without the call (a tenth of the triples)."""
    return _literal(Literal, (text, RDF_LANGSTRING, "nl"))


@lru_cache(maxsize=1024)
def _int(value: int) -> Literal:
    """Cached: positions 1, 2, 3... come back in every document."""
    return _literal(Literal, (str(value), XSD_INTEGER, ""))


def _date(value: date) -> Literal:
    return _literal(Literal, (value.isoformat(), XSD_DATE, ""))


def _distinct(draft: Draft) -> list[Triple]:
    """The triples that have an object, each once, in the order made.

    A document can describe a shared thing twice (a topic that is also another topic's parent,
    one office held by two answerers); the first stays. compress() keeps the triples whose
    object is true, which an IRI (never empty) and a Literal (a 3-tuple) always are: all in C,
    where a method call per triple was an eighth of the mapping."""
    return list(dict.fromkeys(compress(draft, map(itemgetter(2), draft))))


def kamervraag_iri(zaaknummer: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of a Kamervraag; also the name of its graph in N-Quads and TriG."""
    return Minter(base).kamervraag(zaaknummer)


def map_kamervraag(kv: Kamervraag, base: str = DEFAULT_BASE) -> list[Triple]:
    """All triples for one Kamervraag, in a fixed order."""
    mint = Minter(base)
    case = mint.kamervraag(kv.id)
    out: Draft = [
        (case, RDF_TYPE, KV.Kamervraag),
        (case, DCTERMS.identifier, _plain(kv.id)),
        (case, DCTERMS.title, _nl(kv.title)),
        (case, DCTERMS.dateSubmitted, _date(kv.submitted)),
    ]
    if kv.answered is not None:
        out += [(case, KV.dateAnswered, _date(kv.answered)),
                (case, KV.daysToAnswer, _int((kv.answered - kv.submitted).days))]
    question_doc = _document(out, mint, kv.question_document, KV.QuestionDocument)
    answer_doc = _document(out, mint, kv.answer_document, KV.AnswerDocument)
    out += [(case, KV.questionDocument, question_doc), (case, KV.answerDocument, answer_doc)]
    if answer_doc is not None:
        out.append((answer_doc, KV.answersTo, question_doc))
        _aanhangsel(out, answer_doc, kv.answer_document)
    for doc in (kv.question_document, kv.answer_document):
        out.append((case, DCTERMS.source, _url(doc.url if doc else None)))
    _topics(out, mint, case, kv.topics)
    _participations(out, mint, case, kv, "indiener", kv.submitters)
    _participations(out, mint, case, kv, "beantwoorder", kv.answerers)
    _questions(out, mint, case, kv, answer_doc)
    for footnote in kv.footnotes:
        node = mint.part(kv.id, "voetnoot", footnote.number)
        out += [(node, RDF_TYPE, KV.Footnote), (case, KV.footnote, node),
                (node, SCHEMA.position, _int(footnote.number)), (node, SCHEMA.text, _nl(footnote.text))]
    for index, notice in enumerate(kv.notices, start=1):
        node = mint.part(kv.id, "mededeling", index)
        out += [(node, RDF_TYPE, KV.PostponementNotice), (case, KV.notice, node),
                (node, DCTERMS.date, _date(notice.date)),
                (node, SCHEMA.text, _nl(notice.text) if notice.text else None)]
    source = mint.part(kv.id, "invoer")
    out += [(source, RDF_TYPE, PROV.Entity), (case, PROV.wasDerivedFrom, source),
            (source, DCTERMS.identifier, _plain(printable_path(kv.source.path))),
            (source, KV.sha256, _plain(kv.source.sha256))]
    return _distinct(out)


def _url(url: str | None) -> str | None:
    return safe_url(url) if url else None


def _document(out: Draft, mint: Minter, doc: DocumentRef | None, cls: str) -> str | None:
    if doc is None:
        return None
    node = mint.document(doc.number)
    out += [(node, RDF_TYPE, cls), (node, DCTERMS.identifier, _plain(doc.number)),
            (node, DCTERMS.title, _nl(doc.title) if doc.title else None), (node, SCHEMA.url, _url(doc.url))]
    return node


def _aanhangsel(out: Draft, node: str, doc: DocumentRef | None) -> None:
    """`ah-tk-20212022-2218` -> vergaderjaar `2021-2022`, number 2218."""
    parts = doc.number.split("-") if doc else []
    if len(parts) == 4 and len(parts[2]) == 8 and parts[2].isdigit():
        out.append((node, KV.vergaderjaar, _plain(f"{parts[2][:4]}-{parts[2][4:]}")))
        if _NUMBER.fullmatch(parts[3]):  # not str.isdigit(): int() refuses `²`, and more than 4300 digits
            out.append((node, KV.aanhangselNummer, _int(int(parts[3]))))


def _topics(out: Draft, mint: Minter, case: str, labels: tuple[str, ...]) -> None:
    """Known labels link to OWMS concepts (described with their ancestors); others get a project concept."""
    context = frozenset(labels)
    for label in labels:
        themes = topics.resolve(label, context)
        if not themes:
            concept = mint.named("onderwerp", label)
            out += [(concept, RDF_TYPE, SKOS.Concept), (case, DCTERMS.subject, concept),
                    (concept, SKOS.prefLabel, _nl(label))]
        for theme in themes:
            out.append((case, DCTERMS.subject, theme.uri))
            out += _theme_lineage(theme.uri)


@cache  # at most one entry per theme of the bundled list
def _theme_lineage(uri: str) -> tuple[DraftTriple, ...]:
    """The description of a theme and its ancestors, the same in every document that links it: made once."""
    theme = topics.by_uri()[uri]
    return tuple(triple for described in (theme, *topics.ancestors(theme)) for triple in _theme(described))


def _theme(theme: topics.Theme) -> Draft:
    node = theme.uri
    return [(node, RDF_TYPE, SKOS.Concept), (node, SKOS.prefLabel, _nl(theme.label)),
            (node, SKOS.inScheme, SCHEME), (node, SKOS.broader, theme.broader or None)]


def _participations(out: Draft, mint: Minter, case: str, kv: Kamervraag,
                    role: str, persons: tuple[Person, ...]) -> None:
    """One participation per person: who, in which role, for which party, in which offices.

    The Kamervraag also gets the derived shortcuts kv:submittingParty and kv:answeringMinistry:
    the per-party and per-ministry statistics would otherwise join four patterns per participation.
    """
    for index, person in enumerate(persons, start=1):
        node = mint.part(kv.id, role, index)
        who = mint.named("persoon", person.name)
        out += [(node, RDF_TYPE, KV.Participation), (case, KV.participation, node), (node, KV.role, KV[role]),
                (node, SCHEMA.position, _int(index)), (who, RDF_TYPE, FOAF.Person), (node, KV.participant, who),
                (who, FOAF.name, _plain(person.name))]
        if person.party:
            party = mint.named("partij", person.party)
            out += [(party, RDF_TYPE, KV.PoliticalParty), (node, KV.inNameOf, party),
                    (party, SKOS.prefLabel, _plain(person.party))]
            if role == "indiener":
                out.append((case, KV.submittingParty, party))
        for office in person.roles:
            post = mint.named("ambt", office.text)
            out += [(post, RDF_TYPE, ORG.Post), (node, KV.office, post), (post, SKOS.prefLabel, _nl(office.text)),
                    (post, ORG.role, POSITION_TERMS.get(office.position or ""))]
            if office.ministry:
                ministry = mint.named("ministerie", office.ministry)
                out += [(ministry, RDF_TYPE, KV.Ministry), (post, ORG.postIn, ministry),
                        (ministry, SKOS.prefLabel, _nl(office.ministry))]
                if role == "beantwoorder":
                    out.append((case, KV.answeringMinistry, ministry))


def _questions(out: Draft, mint: Minter, case: str, kv: Kamervraag, answer_doc: str | None) -> None:
    answered = {q.number for q in kv.questions if q.answer is not None}
    for question in kv.questions:
        node = mint.part(kv.id, "vraag", question.number)
        out += [(node, RDF_TYPE, SCHEMA.Question), (case, SCHEMA.hasPart, node),
                (node, SCHEMA.position, _int(question.number)), (node, SCHEMA.text, _nl(question.text)),
                (node, SCHEMA.isPartOf, case)]
        if question.answer is not None:
            _answer(out, mint, kv.id, node, question, answer_doc, answered)


def _answer(out: Draft, mint: Minter, kid: str, question_node: str, question: Question,
            answer_doc: str | None, answered: set[int]) -> None:
    node = mint.part(kid, "antwoord", question.number)
    out += [(node, RDF_TYPE, SCHEMA.Answer), (question_node, SCHEMA.acceptedAnswer, node),
            (node, SCHEMA.text, _nl(question.answer or "")), (node, SCHEMA.parentItem, question_node),
            (node, SCHEMA.isPartOf, answer_doc)]
    if question.see_answer in answered and question.see_answer != question.number:
        out.append((node, KV.seeAnswer, mint.part(kid, "antwoord", question.see_answer)))
