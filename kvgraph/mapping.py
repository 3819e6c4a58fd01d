"""Map the plain model of one Kamervraag to RDF triples.

Knows nothing of files or formats: it turns a Kamervraag into a list of plain triples (terms.py)
in a fixed order, so the same document always gives the same triples in the same order. Shared
things (persons, parties, offices, ministries, topics) are described in every document that
mentions them; writers of a single graph drop the repeats, per-document graphs keep them so
each graph stands on its own. The terms and IRIs are explained in ontology/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import cache, lru_cache
from itertools import compress
from operator import itemgetter

from . import topics
from .defaults import VERSION
from .iris import Minter, safe_url
from .linking import Links, PersonLink, link, reference_for
from .model import DocumentRef, Kamervraag, Person, Question
from .reference import Ministry, Party
from .terms import RDF_LANGSTRING, XSD_STRING, Literal, Term, Triple
from .vocab import (
    DCTERMS,
    DEFAULT_BASE,
    ELI,
    ELI_DL,
    FOAF,
    KV,
    OPENKAMER,
    ORG,
    OWL_SAME_AS,
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


def map_kamervraag(kv: Kamervraag, base: str = DEFAULT_BASE, links: Links | None = None) -> list[Triple]:
    """All triples for one Kamervraag, in a fixed order; persons, parties and ministries as
    `links` identifies them (default: linked to the bundled reference, warnings dropped)."""
    if links is None:
        links = link(kv, reference_for(None))[0]
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
        out.append((answer_doc, ELI_DL.answers_to, question_doc))
        _aanhangsel(out, answer_doc, kv.answer_document)
    _topics(out, mint, case, kv.topics)
    _participations(out, mint, case, kv, "indiener", zip(kv.submitters, links.submitters, strict=True))
    _participations(out, mint, case, kv, "beantwoorder", zip(kv.answerers, links.answerers, strict=True))
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
    _provenance(out, mint, case, kv)
    return _distinct(out)


def _provenance(out: Draft, mint: Minter, case: str, kv: Kamervraag) -> None:
    """Which input the Kamervraag was derived from and what made it, never where the file lay.

    The input is named by its SHA-256 alone, so the same file gives the same bytes from any
    folder or from stdin. It is openkamer's text rendering of the official publications (the
    documents' URLs); the activity names kvgraph and its version, never the time of the run.
    """
    source = mint.part(kv.id, "invoer")
    activity, agent = mint.software("conversie", VERSION), mint.software("software", VERSION)
    out += [(case, PROV.wasDerivedFrom, source), (case, PROV.wasGeneratedBy, activity),
            (source, RDF_TYPE, PROV.Entity), (source, KV.sha256, _plain(kv.source.sha256)),
            (source, PROV.wasAttributedTo, OPENKAMER)]
    for doc in (kv.question_document, kv.answer_document):
        out.append((source, PROV.wasDerivedFrom, _url(doc.url if doc else None)))
    out += [(OPENKAMER, RDF_TYPE, PROV.Organization), (OPENKAMER, FOAF.name, _plain("openkamer")),
            (activity, RDF_TYPE, PROV.Activity), (activity, PROV.wasAssociatedWith, agent),
            (agent, RDF_TYPE, PROV.SoftwareAgent), (agent, FOAF.name, _plain("kvgraph")),
            (agent, SCHEMA.softwareVersion, _plain(VERSION))]


def _url(url: str | None) -> str | None:
    return safe_url(url) if url else None


_WORK_TYPES = {KV.QuestionDocument: KV["schriftelijke-vragen"], KV.AnswerDocument: KV["antwoord-schriftelijke-vragen"]}


def _document(out: Draft, mint: Minter, doc: DocumentRef | None, cls: str) -> str | None:
    """A published document: an ELI work of the Tweede Kamer's document kind, as the EP types its questions."""
    if doc is None:
        return None
    node = mint.document(doc.number)
    out += [(node, RDF_TYPE, cls), (node, RDF_TYPE, ELI.Work), (node, ELI.work_type, _WORK_TYPES[cls]),
            (node, DCTERMS.identifier, _plain(doc.number)),
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


def _participations(out: Draft, mint: Minter, case: str, kv: Kamervraag, role: str,
                    persons: Iterable[tuple[Person, PersonLink]]) -> None:
    """One participation per person: who, in which role, for which party or fractie, in which offices,
    in the terms of ELI-DL's participation (as the European Parliament describes its questions).

    The Kamervraag also gets the derived shortcuts kv:submittingParty and kv:answeringMinistry:
    the per-party and per-ministry statistics would otherwise join four patterns per participation.
    """
    for index, (person, linked) in enumerate(persons, start=1):
        node = mint.part(kv.id, role, index)
        who = _person(out, mint, person, linked)
        out += [(node, RDF_TYPE, KV.Participation), (node, RDF_TYPE, ELI_DL.Participation),
                (case, KV.participation, node), (node, ELI_DL.participation_role, KV[role]),
                (node, SCHEMA.position, _int(index)), (node, ELI_DL.had_participant_person, who),
                (node, KV.printedName, _plain(person.name))]
        if person.party:
            # An MP's printed party is their fractie at that date; a minister's, their party.
            group = _fractie(out, mint, person.party, linked.party) if role == "indiener" else \
                _party(out, mint, person.party, linked.party)
            out.append((node, ELI_DL.participation_in_name_of, group))
            if role == "indiener":
                out.append((case, KV.submittingParty, group))
        for office, ministry in zip(person.roles, linked.ministries, strict=True):
            post = mint.named("ambt", office.text)
            out += [(post, RDF_TYPE, ORG.Post), (node, KV.office, post), (post, SKOS.prefLabel, _nl(office.text)),
                    (post, ORG.role, POSITION_TERMS.get(office.position or ""))]
            if office.ministry or ministry:
                where = _ministry(out, mint, office.ministry, ministry)
                out.append((post, ORG.postIn, where))
                if role == "beantwoorder":
                    out.append((case, KV.answeringMinistry, where))


def _person(out: Draft, mint: Minter, person: Person, linked: PersonLink) -> str:
    """A linked person's IRI comes from their official key and carries their identifiers; an
    unlinked one's from the printed name, under `naam/`, which no key can collide with."""
    found = linked.person
    if found is None:
        who = mint.unlinked("persoon", person.name)
        out += [(who, RDF_TYPE, FOAF.Person), (who, FOAF.name, _plain(person.name))]
        return who
    who = mint.linked("persoon", found.key)
    out += [(who, RDF_TYPE, FOAF.Person), (who, FOAF.name, _plain(found.name)),
            (who, OWL_SAME_AS, wikidata(found.wikidata)),
            (who, KV.tweedeKamerPersoonId, _plain(found.tk_id) if found.tk_id else None),
            (who, KV.parlementComId, _plain(found.parlement_id) if found.parlement_id else None)]
    return who


def _party(out: Draft, mint: Minter, printed: str, found: Party | None) -> str:
    """A political party, as a minister's printed party names it."""
    party = mint.linked("partij", found.key) if found else mint.unlinked("partij", printed)
    out += [(party, RDF_TYPE, KV.PoliticalParty), (party, RDF_TYPE, ORG.Organization),
            (party, SKOS.prefLabel, _plain(found.abbreviation if found else printed)),
            (party, OWL_SAME_AS, wikidata(found.wikidata) if found else None)]
    return party


def _fractie(out: Draft, mint: Minter, printed: str, found: Party | None) -> str:
    """The parliamentary group an MP's printed party names, tied to its party when known."""
    fractie = mint.linked("fractie", found.key) if found else mint.unlinked("fractie", printed)
    out += [(fractie, RDF_TYPE, KV.Fractie), (fractie, RDF_TYPE, ORG.Organization),
            (fractie, SKOS.prefLabel, _plain(found.abbreviation if found else printed))]
    if found:
        out.append((fractie, KV.fractieOf, _party(out, mint, printed, found)))
    return fractie


def _ministry(out: Draft, mint: Minter, printed: str | None, found: Ministry | None) -> str:
    """A ministry the TOOI list knows gets its code, official name and TOOI IRI; another the printed name."""
    if found is None:
        ministry = mint.unlinked("ministerie", printed or "")
        out += [(ministry, RDF_TYPE, KV.Ministry), (ministry, RDF_TYPE, ORG.Organization),
                (ministry, SKOS.prefLabel, _nl(printed or ""))]
        return ministry
    ministry = mint.linked("ministerie", found.code)
    out += [(ministry, RDF_TYPE, KV.Ministry), (ministry, RDF_TYPE, ORG.Organization),
            (ministry, SKOS.prefLabel, _nl(found.name)), (ministry, OWL_SAME_AS, found.iri)]
    return ministry


def wikidata(qid: str) -> str | None:
    return f"http://www.wikidata.org/entity/{qid}" if qid else None


def _questions(out: Draft, mint: Minter, case: str, kv: Kamervraag, answer_doc: str | None) -> None:
    answered = {q.number for q in kv.questions if q.answer is not None}
    for question in kv.questions:
        node = mint.part(kv.id, "vraag", question.number)
        out += [(node, RDF_TYPE, SCHEMA.Question), (case, SCHEMA.hasPart, node),
                (node, SCHEMA.position, _int(question.number)), (node, SCHEMA.text, _nl(question.text))]
        if question.answer is not None:
            _answer(out, mint, kv.id, node, question, answer_doc, answered)


def _answer(out: Draft, mint: Minter, kid: str, question_node: str, question: Question,
            answer_doc: str | None, answered: set[int]) -> None:
    node = mint.part(kid, "antwoord", question.number)
    out += [(node, RDF_TYPE, SCHEMA.Answer), (question_node, SCHEMA.acceptedAnswer, node),
            (node, SCHEMA.text, _nl(question.answer or "")), (node, SCHEMA.isPartOf, answer_doc)]
    if question.see_answer in answered and question.see_answer != question.number:
        out.append((node, KV.seeAnswer, mint.part(kid, "antwoord", question.see_answer)))
