"""Python twins of the shapes' SHACL-SPARQL constraints, one function per constraint.

Each twin gives, for one focus node, the `?value` of every solution its constraint's SELECT
has with `$this` bound to that node (DISTINCT). It is registered under the constraint's IRI and
the SHA-256 of its query text: the engine refuses shapes whose query changed while its twin did
not, and a constraint without a twin. pyshacl runs the queries themselves; the shape tests hold
each twin to its query on every broken graph.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from ..terms import Literal, Term
from ..vocab import DCTERMS, ELI_DL, KV, ORG, PREFIXES, SCHEMA, XSD_DATE, XSD_INTEGER
from .index import Data, integer

SHAPES = "https://w3id.org/kvgraph/shapes/"
Twin = Callable[[Data, Term], list[Term]]


@dataclass(frozen=True)
class Registered:
    """A twin, the hash of the query it stands for, and the predicates it reads by object."""

    digest: str
    run: Twin
    inverse: frozenset[str]


TWINS: dict[str, Registered] = {}


def twin(name: str, digest: str, inverse: tuple[str, ...] = ()) -> Callable[[Twin], Twin]:
    """Register a twin for the constraint kvsh:`name`, written for the query with this SHA-256."""
    def register(run: Twin) -> Twin:
        TWINS[SHAPES + name] = Registered(digest, run, frozenset(inverse))
        return run
    return register


def query_digest(select: str) -> str:
    return hashlib.sha256(select.encode()).hexdigest()


def _values(data: Data, node: Term, predicate: str) -> list[Term]:
    found = data.out.get(node)
    return found.get(predicate, []) if found else []


def _subjects(data: Data, node: Term, predicate: str) -> list[Term]:
    found = data.into.get(node)
    return found.get(predicate, []) if found else []


def _distinct(values: list[Term]) -> list[Term]:
    return list(dict.fromkeys(values))


_DAY = re.compile(r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}")


def _day(term: Term) -> date | None:
    """An xsd:date's day as the query's cast to xsd:dateTime reads it (its first ten characters)."""
    if not (isinstance(term, Literal) and term.datatype == XSD_DATE and not term.language):
        return None
    text = term.value[:10]
    try:
        return date.fromisoformat(text) if _DAY.fullmatch(text) else None
    except ValueError:
        return None


@twin("DaysToAnswerRule", "306d6ced6e92e298ba375c59e7aaad1aafdcdf30b8fbf8bf35988cce7a56d769")
def days_to_answer(data: Data, this: Term) -> list[Term]:
    """kv:daysToAnswer that is not kv:dateAnswered minus dcterms:dateSubmitted in days."""
    found = []
    for submitted in _values(data, this, DCTERMS.dateSubmitted):
        for answered in _values(data, this, KV.dateAnswered):
            first, last = _day(submitted), _day(answered)
            if first is None or last is None:
                continue
            for value in _values(data, this, KV.daysToAnswer):
                number = _number(value) if value.__class__ is Literal and value[1] == XSD_INTEGER else None
                if number is not None and number != (last - first).days:
                    found.append(value)
    return _distinct(found)


def _number(term: Literal) -> Decimal | None:
    try:
        return Decimal(term.value)
    except InvalidOperation:
        return None


_DECIMALS = {PREFIXES["xsd"] + name for name in ("decimal", "float", "double")}
# The numeric datatypes SPARQL subtracts 1 from as an integer, giving an xsd:integer.
_INTEGERS = {PREFIXES["xsd"] + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}


@twin("QuestionNumberingRule", "9711ff824f506b8face6c64fdf99359c1c025bce9fef017edabdbd4fe5703df1")
def question_numbering(data: Data, this: Term) -> list[Term]:
    """Questions numbered n > 1 with no question n - 1 in the same Kamervraag.

    As in the query, the predecessor is found by its position term, "n - 1"^^xsd:integer, among
    the Kamervraag's parts: a question numbered with another datatype is no one's predecessor."""
    numbered = [(question, number) for question in _values(data, this, SCHEMA.hasPart)
                for number in _values(data, question, SCHEMA.position) if number.__class__ is Literal and not number[2]]
    held = {number for _, number in numbered}
    found = []
    for question, number in numbered:
        if number[1] in _INTEGERS:
            value = integer(number[0])
            if value is not None and value > 1 and Literal(str(value - 1), XSD_INTEGER) not in held:
                found.append(question)
        elif number[1] in _DECIMALS and (_number(number) or 0) > 1:
            found.append(question)
    return _distinct(found)


def _derived(data: Data, this: Term, stated: str, derived: list[Term]) -> list[Term]:
    """The values of `stated` that are not `derived`, and the derived ones not stated."""
    have = _values(data, this, stated)
    return _distinct([v for v in have if v not in derived] + [v for v in derived if v not in have])


def _participations(data: Data, this: Term, role: str) -> list[Term]:
    return [p for p in _values(data, this, KV.participation) if role in _values(data, p, ELI_DL.participation_role)]


@twin("SubmittingPartyRule", "0a8da65e6af8aef157bd8e5294ba914bceaba3e94f5f132612e1faa1921c5e19")
def submitting_party(data: Data, this: Term) -> list[Term]:
    """kv:submittingParty that is not exactly the fracties of the submitters."""
    fracties = [f for p in _participations(data, this, KV.indiener) for f in _values(data, p, ELI_DL.participation_in_name_of)]
    return _derived(data, this, KV.submittingParty, fracties)


@twin("AnsweringMinistryRule", "8b21b6f297903b22ec0feed62fa698399e12ce06f6441e9238423993846f1315")
def answering_ministry(data: Data, this: Term) -> list[Term]:
    """kv:answeringMinistry that is not exactly the ministries of the answerers' offices."""
    ministries = [m for p in _participations(data, this, KV.beantwoorder)
                  for post in _values(data, p, KV.office) for m in _values(data, post, ORG.postIn)]
    return _derived(data, this, KV.answeringMinistry, ministries)


def _cases(data: Data, answer: Term) -> list[Term]:
    """The Kamervragen an answer belongs to: `?case schema:hasPart/schema:acceptedAnswer answer`."""
    return _distinct([case for question in _subjects(data, answer, SCHEMA.acceptedAnswer)
                      for case in _subjects(data, question, SCHEMA.hasPart)])


@twin("AnswerDocumentRule", "ab326993fd4d93908b37c76283ded3c5e4e1e68521958642bd7024ec7bb0a436",
      (SCHEMA.acceptedAnswer, SCHEMA.hasPart))
def answer_document(data: Data, this: Term) -> list[Term]:
    """schema:isPartOf an answer document that is not the answer document of the answer's Kamervraag."""
    cases = _cases(data, this)
    return _distinct([document for document in _values(data, this, SCHEMA.isPartOf) for case in cases
                      if document not in _values(data, case, KV.answerDocument)])


@twin("SeeAnswerRule", "da41014abba4c40e02472032ff79ff68afbcf027ea9bec4daae2b96fa563cb73",
      (SCHEMA.acceptedAnswer, SCHEMA.hasPart))
def see_answer(data: Data, this: Term) -> list[Term]:
    """kv:seeAnswer that is the answer itself or not an answer of the same Kamervraag."""
    others = _values(data, this, KV.seeAnswer)
    if not others:  # the usual case, decided without gathering the Kamervraag's answers
        return []
    found = []
    for case in _cases(data, this):
        answers = {a for question in _values(data, case, SCHEMA.hasPart) for a in _values(data, question, SCHEMA.acceptedAnswer)}
        found += [other for other in others if other == this or other not in answers]
    return _distinct(found)
