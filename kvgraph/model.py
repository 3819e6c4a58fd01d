"""The plain model of one Kamervraag: what the parser produces and the mapping consumes.

Nothing here knows about RDF or files; the classes are frozen so a parsed document can be
shared between steps (and pickled to worker processes) without anyone changing it underway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Role:
    """One office a member of government held for this document, e.g. `minister financiën`.

    `text` is the role as the document writes it (stray spaces removed); `position` and
    `ministry` are its two halves, so the mapping can link the office to its ministry.
    `position` is None when the text starts with no known position.
    """

    text: str
    position: str | None
    ministry: str | None


@dataclass(frozen=True)
class Person:
    """A submitter or answerer, with party and roles as printed in *this* document."""

    name: str
    party: str | None = None
    roles: tuple[Role, ...] = ()
    # Where the document prints the person: the line a linking warning names; not part of what
    # the person is (two documents that print the same person on other lines are equal).
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class DocumentRef:
    """The question document or the answer document: number, full title and source URL."""

    number: str
    title: str | None
    url: str | None


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str


@dataclass(frozen=True)
class Question:
    """A numbered question with its answer (None when the document gives none).

    `number` is the printed one, or the question's position (1, 2, 3, ...) when the document
    prints a number twice: the question IRIs are minted from it and must stay distinct.
    `see_answer` is the `number` of the question whose answer this one points to
    (`Zie antwoord vraag n.`); the answer text itself is kept unchanged.
    """

    number: int
    text: str
    answer: str | None = None
    see_answer: int | None = None


@dataclass(frozen=True)
class Notice:
    """A postponement notice (`Mededeling - <date>`)."""

    date: date
    text: str


@dataclass(frozen=True)
class Source:
    """Where a document came from: the path as given (`<stdin>` for stdin) and its bytes' hash."""

    path: str
    sha256: str


def printable_path(path: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by Python as lone surrogates, which
    no RDF library and no UTF-8 encoder accepts) are written as `\\xff`."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class Kamervraag:
    """One set of written questions with the government's answers."""

    id: str
    title: str
    submitted: date
    source: Source
    answered: date | None = None
    days_to_answer: int | None = None
    submitters: tuple[Person, ...] = ()
    answerers: tuple[Person, ...] = ()
    topics: tuple[str, ...] = ()
    question_document: DocumentRef | None = None
    answer_document: DocumentRef | None = None
    footnotes: tuple[Footnote, ...] = ()
    questions: tuple[Question, ...] = ()
    notices: tuple[Notice, ...] = field(default=())

    def as_record(self) -> dict[str, Any]:
        """The JSON record `kvgraph parse` prints; its keys are a public interface."""
        return {
            "id": self.id,
            "title": self.title,
            "submitted": self.submitted.isoformat(),
            "answered": self.answered.isoformat() if self.answered else None,
            "days_to_answer": self.days_to_answer,
            "submitters": [{"name": p.name, "party": p.party} for p in self.submitters],
            "answerers": [
                {"name": p.name, "roles": [r.text for r in p.roles], "party": p.party}
                for p in self.answerers
            ],
            "topics": list(self.topics),
            "question_document": _document_record(self.question_document),
            "answer_document": _document_record(self.answer_document),
            "footnotes": [{"number": f.number, "text": f.text} for f in self.footnotes],
            "questions": [
                {"number": q.number, "text": q.text, "answer": q.answer} for q in self.questions
            ],
            "notices": [{"date": n.date.isoformat(), "text": n.text} for n in self.notices],
        }


def _document_record(doc: DocumentRef | None) -> dict[str, str | None] | None:
    if doc is None:
        return None
    return {"number": doc.number, "title": doc.title, "url": doc.url}


@dataclass(frozen=True)
class Diagnostic:
    """An error or warning about one place in one input, printed as `FILE:LINE: level: text`.

    `code` is a stable machine-readable name (documented in the README) for pipelines that
    filter or count problems; `line` is 1-based (line 1, the header, for problems of the whole document); 0 only
    when the file could not be read at all.
    """

    path: str
    line: int
    severity: str  # "error" or "warning"
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass(frozen=True)
class ParseResult:
    """A parsed document, or None when an error made it unusable, plus everything we noticed."""

    kamervraag: Kamervraag | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def path(self) -> str:
        """The input the result is about; one that cannot be read has no Kamervraag, only diagnostics naming it."""
        if self.kamervraag is not None:
            return self.kamervraag.source.path
        return self.diagnostics[0].path if self.diagnostics else ""

    @property
    def record(self) -> dict[str, Any] | None:
        """The JSON record `kvgraph parse` prints for the document; None when there is no Kamervraag."""
        return None if self.kamervraag is None else self.kamervraag.as_record()
