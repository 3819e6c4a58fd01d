"""Map the plain model of one Kamervraag to RDF triples.

Knows nothing of files or formats: it turns a Kamervraag into a list of plain triples (terms.py)
in a fixed order, so the same document always gives the same triples in the same order. Shared
things (persons, parties, offices, ministries, topics) are described in every document that
mentions them; writers of a single graph drop the repeats, per-document graphs keep them so
each graph stands on its own. The terms and IRIs are explained in ontology/README.md.
"""

from __future__ import annotations

import re

from . import topics
from .iris import Minter, safe_url
from .model import DocumentRef, Kamervraag, Person, Question, printable_path
from .terms import RDF_LANGSTRING, Literal, Term, Triple
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


def _nl(text: str) -> Literal:
    """Dutch text; the tag written as `lang` would lower-case it, without the call (a tenth of the triples)."""
    return Literal(text, RDF_LANGSTRING, "nl")


def _int(value: int) -> Literal:
    return Literal(str(value), XSD_INTEGER)


class _Emitter:
    """Collects the triples of one document in order, once each; `add` skips None objects.

    A document can describe a shared thing twice (a topic that is also another topic's
    parent, one office held by two answerers); the dict keeps the first and drops the rest.
    """

    def __init__(self) -> None:
        self._triples: dict[Triple, None] = {}

    @property
    def triples(self) -> list[Triple]:
        return list(self._triples)

    def add(self, subject: str, predicate: str, obj: Term | None) -> None:
        if obj is not None:
            self._triples[(subject, predicate, obj)] = None

    def typed(self, subject: str, cls: str) -> str:
        self._triples[(subject, RDF_TYPE, cls)] = None
        return subject


def kamervraag_iri(zaaknummer: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of a Kamervraag; also the name of its graph in N-Quads and TriG."""
    return Minter(base).kamervraag(zaaknummer)


def map_kamervraag(kv: Kamervraag, base: str = DEFAULT_BASE) -> list[Triple]:
    """All triples for one Kamervraag, in a fixed order."""
    mint = Minter(base)
    out = _Emitter()
    case = out.typed(mint.kamervraag(kv.id), KV.Kamervraag)
    out.add(case, DCTERMS.identifier, Literal(kv.id))
    out.add(case, DCTERMS.title, _nl(kv.title))
    out.add(case, DCTERMS.dateSubmitted, Literal(kv.submitted.isoformat(), XSD_DATE))
    if kv.answered is not None:
        out.add(case, KV.dateAnswered, Literal(kv.answered.isoformat(), XSD_DATE))
        out.add(case, KV.daysToAnswer, _int((kv.answered - kv.submitted).days))
    question_doc = _document(out, mint, kv.question_document, KV.QuestionDocument)
    answer_doc = _document(out, mint, kv.answer_document, KV.AnswerDocument)
    out.add(case, KV.questionDocument, question_doc)
    out.add(case, KV.answerDocument, answer_doc)
    if answer_doc is not None:
        out.add(answer_doc, KV.answersTo, question_doc)
        _aanhangsel(out, answer_doc, kv.answer_document)
    for doc in (kv.question_document, kv.answer_document):
        out.add(case, DCTERMS.source, _url(doc.url if doc else None))
    _topics(out, mint, case, kv.topics)
    _participations(out, mint, case, kv, "indiener", kv.submitters)
    _participations(out, mint, case, kv, "beantwoorder", kv.answerers)
    _questions(out, mint, case, kv, answer_doc)
    for footnote in kv.footnotes:
        node = out.typed(mint.part(kv.id, "voetnoot", footnote.number), KV.Footnote)
        out.add(case, KV.footnote, node)
        out.add(node, SCHEMA.position, _int(footnote.number))
        out.add(node, SCHEMA.text, _nl(footnote.text))
    for index, notice in enumerate(kv.notices, start=1):
        node = out.typed(mint.part(kv.id, "mededeling", index), KV.PostponementNotice)
        out.add(case, KV.notice, node)
        out.add(node, DCTERMS.date, Literal(notice.date.isoformat(), XSD_DATE))
        out.add(node, SCHEMA.text, _nl(notice.text) if notice.text else None)
    source = out.typed(mint.part(kv.id, "invoer"), PROV.Entity)
    out.add(case, PROV.wasDerivedFrom, source)
    out.add(source, DCTERMS.identifier, Literal(printable_path(kv.source.path)))
    out.add(source, KV.sha256, Literal(kv.source.sha256))
    return out.triples


def _url(url: str | None) -> str | None:
    return safe_url(url) if url else None


def _document(out: _Emitter, mint: Minter, doc: DocumentRef | None, cls: str) -> str | None:
    if doc is None:
        return None
    node = out.typed(mint.document(doc.number), cls)
    out.add(node, DCTERMS.identifier, Literal(doc.number))
    out.add(node, DCTERMS.title, _nl(doc.title) if doc.title else None)
    out.add(node, SCHEMA.url, _url(doc.url))
    return node


def _aanhangsel(out: _Emitter, node: str, doc: DocumentRef | None) -> None:
    """`ah-tk-20212022-2218` -> vergaderjaar `2021-2022`, number 2218."""
    parts = doc.number.split("-") if doc else []
    if len(parts) == 4 and len(parts[2]) == 8 and parts[2].isdigit():
        out.add(node, KV.vergaderjaar, Literal(f"{parts[2][:4]}-{parts[2][4:]}"))
        if _NUMBER.fullmatch(parts[3]):  # not str.isdigit(): int() refuses `²`, and more than 4300 digits
            out.add(node, KV.aanhangselNummer, _int(int(parts[3])))


def _topics(out: _Emitter, mint: Minter, case: str, labels: tuple[str, ...]) -> None:
    """Known labels link to OWMS concepts (described with their ancestors); others get a project concept."""
    context = frozenset(labels)
    for label in labels:
        themes = topics.resolve(label, context)
        if not themes:
            concept = out.typed(mint.named("onderwerp", label), SKOS.Concept)
            out.add(case, DCTERMS.subject, concept)
            out.add(concept, SKOS.prefLabel, _nl(label))
        for theme in themes:
            out.add(case, DCTERMS.subject, theme.uri)
            for described in (theme, *topics.ancestors(theme)):
                _theme(out, described)


def _theme(out: _Emitter, theme: topics.Theme) -> None:
    node = out.typed(theme.uri, SKOS.Concept)
    out.add(node, SKOS.prefLabel, _nl(theme.label))
    out.add(node, SKOS.inScheme, SCHEME)
    out.add(node, SKOS.broader, theme.broader or None)


def _participations(out: _Emitter, mint: Minter, case: str, kv: Kamervraag,
                    role: str, persons: tuple[Person, ...]) -> None:
    """One participation per person: who, in which role, for which party, in which offices."""
    for index, person in enumerate(persons, start=1):
        node = out.typed(mint.part(kv.id, role, index), KV.Participation)
        out.add(case, KV.participation, node)
        out.add(node, KV.role, KV[role])
        out.add(node, SCHEMA.position, _int(index))
        who = out.typed(mint.named("persoon", person.name), FOAF.Person)
        out.add(node, KV.participant, who)
        out.add(who, FOAF.name, Literal(person.name))
        if person.party:
            party = out.typed(mint.named("partij", person.party), KV.PoliticalParty)
            out.add(node, KV.inNameOf, party)
            out.add(party, SKOS.prefLabel, Literal(person.party))
        for office in person.roles:
            post = out.typed(mint.named("ambt", office.text), ORG.Post)
            out.add(node, KV.office, post)
            out.add(post, SKOS.prefLabel, _nl(office.text))
            out.add(post, ORG.role, POSITION_TERMS.get(office.position or ""))
            if office.ministry:
                ministry = out.typed(mint.named("ministerie", office.ministry), KV.Ministry)
                out.add(post, ORG.postIn, ministry)
                out.add(ministry, SKOS.prefLabel, _nl(office.ministry))


def _questions(out: _Emitter, mint: Minter, case: str, kv: Kamervraag, answer_doc: str | None) -> None:
    answered = {q.number for q in kv.questions if q.answer is not None}
    for question in kv.questions:
        node = out.typed(mint.part(kv.id, "vraag", question.number), SCHEMA.Question)
        out.add(case, SCHEMA.hasPart, node)
        out.add(node, SCHEMA.position, _int(question.number))
        out.add(node, SCHEMA.text, _nl(question.text))
        out.add(node, SCHEMA.isPartOf, case)
        if question.answer is not None:
            _answer(out, mint, kv.id, node, question, answer_doc, answered)


def _answer(out: _Emitter, mint: Minter, kid: str, question_node: str, question: Question,
            answer_doc: str | None, answered: set[int]) -> None:
    node = out.typed(mint.part(kid, "antwoord", question.number), SCHEMA.Answer)
    out.add(question_node, SCHEMA.acceptedAnswer, node)
    out.add(node, SCHEMA.text, _nl(question.answer or ""))
    out.add(node, SCHEMA.parentItem, question_node)
    out.add(node, SCHEMA.isPartOf, answer_doc)
    if question.see_answer in answered and question.see_answer != question.number:
        out.add(node, KV.seeAnswer, mint.part(kid, "antwoord", question.see_answer))
