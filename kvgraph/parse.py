"""Parse one Kamervraag text document (see FORMAT.md) into the plain model.

The parser knows nothing of RDF. It walks the lines once, front to back: header, metadata
lines, footnotes, the numbered questions with their answers, notices and the footer. Every
line ends up somewhere: in a field, or in a diagnostic that says it could not be placed.
Errors make the document unusable (ParseResult.kamervraag is None); warnings do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import topics
from .iris import safe_url
from .model import (
    Diagnostic,
    DocumentRef,
    Footnote,
    Kamervraag,
    Notice,
    ParseResult,
    Person,
    Question,
    Role,
    Source,
)

MONTHS = {
    name: number
    for number, name in enumerate(
        "januari februari maart april mei juni juli augustus september oktober november december".split(),
        start=1,
    )
}
# Longest first, so `minister zonder portefeuille` wins over `minister`.
POSITIONS = ("minister zonder portefeuille", "viceminister-president", "minister-president",
             "staatssecretaris", "minister")

BULLET = "\u2022"
HEADER = re.compile(r"Kamervraag (\S+)")
ZAAKNUMMER = re.compile(r"[0-9]{4}Z[0-9]{5}")
# Numbers have at most 9 digits: int() refuses strings of more than 4300 digits, and no
# document has a billion questions. `(na N dagen)` is found at the end of the line and the date
# is what precedes it: `(.*?)\s*\(na` would backtrack quadratically over a long run of spaces.
ANSWERED = re.compile(r"\(na (\d{1,9}) dagen?\)\Z")
FOOTNOTE = re.compile(r"(\d{1,9})\.\s(.*)")
QUESTION_BULLET = re.compile(r"Vraag (\d{1,9})")
NOTICE_BULLET = re.compile(r"Mededeling\s+-\s+(.*)")
SEE_ANSWER = re.compile(r"Zie (?:het )?antwoord (?:op )?vraag (\d{1,9})\.?")
ANSWER_NUMBER = re.compile(r"ah-tk-(\d{8})-(\w+)")
QUESTION_FOOTER = "Kamervraag document nummer:"
ANSWER_FOOTER = "Kamerantwoord document nummer:"
FULL_TITLE = "Volledige titel:"


@dataclass
class _Doc:
    """Mutable scratch state while one document is parsed; frozen into a Kamervraag at the end."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fields: dict[str, tuple[int, str]] = field(default_factory=dict)
    footnotes: list[tuple[int, Footnote]] = field(default_factory=list)
    questions: list[tuple[int, int, list[tuple[int, str]]]] = field(default_factory=list)
    notices: list[tuple[int, str, list[tuple[int, str]]]] = field(default_factory=list)
    footer: dict[str, tuple[int, str]] = field(default_factory=dict)
    last_line: int = 1

    def error(self, line: int, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, line, "error", code, message))

    def warn(self, line: int, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, line, "warning", code, message))


def parse_text(text: str, source: Source) -> ParseResult:
    """Parse a decoded document (LF line ends, no BOM) read from `source`."""
    lines = text.split("\n")
    doc = _Doc(source.path, last_line=len(lines))
    position = _read_header(doc, lines)
    if position is None:
        return ParseResult(None, tuple(doc.diagnostics))
    position = _read_metadata(doc, lines, position)
    position = _read_body(doc, lines, position)
    _read_footer(doc, lines, position)
    kamervraag = _build(doc, source)
    if any(d.is_error for d in doc.diagnostics):
        kamervraag = None
    return ParseResult(kamervraag, tuple(doc.diagnostics))


def _read_header(doc: _Doc, lines: list[str]) -> int | None:
    """Check `Kamervraag <zaaknummer>` and read the title; return where metadata starts."""
    first = lines[0].strip()
    match = HEADER.fullmatch(first)
    if not match:
        doc.error(1, "missing-header", f"expected 'Kamervraag <zaaknummer>' on the first line, found {first[:60]!r}")
        return None
    if not ZAAKNUMMER.fullmatch(match.group(1)):
        doc.error(1, "bad-zaaknummer", f"zaaknummer {match.group(1)!r} is not of the form YYYYZnnnnn (e.g. 2022Z04503)")
        return None
    doc.fields["id"] = (1, match.group(1))
    position = _skip_blank(lines, 1)
    if position < len(lines) and not lines[position].startswith("Ingediend"):
        doc.fields["title"] = (position + 1, lines[position].strip())
        position += 1
    return position


def _skip_blank(lines: list[str], position: int) -> int:
    while position < len(lines) and not lines[position].strip():
        position += 1
    return position


# Metadata keys in the order they are tried: `Beantwoord door` before `Beantwoord`.
METADATA_KEYS = (
    ("Ingediend", "submitted"),
    ("Beantwoord door", "answerers"),
    ("Beantwoord", "answered"),
    ("Indieners", "submitters"),
    ("Indiener", "submitter"),
    ("Onderwerpen", "topics"),
    ("Bron vraag", "question_url"),
    ("Bron antwoord", "answer_url"),
)


def _read_metadata(doc: _Doc, lines: list[str], position: int) -> int:
    """Read the `Key value` lines and the footnotes; stop at the first bullet."""
    while position < len(lines):
        raw = lines[position]
        stripped = raw.strip()
        number = position + 1
        if stripped.startswith(BULLET) or stripped.startswith(QUESTION_FOOTER):
            return position
        if stripped and not _metadata_line(doc, stripped, number):
            footnote = FOOTNOTE.fullmatch(stripped)
            if footnote and "question_url" in doc.fields:
                doc.footnotes.append((number, Footnote(int(footnote.group(1)), footnote.group(2))))
            else:
                doc.warn(number, "unplaced-text", f"text outside any field, kept nowhere: {stripped[:80]!r}")
        position += 1
    return position


def _metadata_line(doc: _Doc, stripped: str, number: int) -> bool:
    """Store a `Key value` line under its field name; False when the line has no known key."""
    for key, name in METADATA_KEYS:
        if stripped == key or stripped.startswith(key + " "):
            if name in doc.fields:
                doc.error(number, "duplicate-field", f"second '{key}' line (first on line {doc.fields[name][0]})")
            doc.fields[name] = (number, stripped[len(key):].strip())
            return True
    return False


def _read_body(doc: _Doc, lines: list[str], position: int) -> int:
    """Collect the lines of each `• Vraag n` and `• Mededeling - date` block; stop at the footer.

    A for loop over the lines, not a while loop that indexes them: about a hundred lines a document."""
    block: list[tuple[int, str]] | None = None
    for index in range(position, len(lines)):
        line = lines[index]
        stripped = line.strip()
        if stripped.startswith(QUESTION_FOOTER) and not line[:1].isspace():
            return index
        if stripped.startswith(BULLET):
            block = _open_block(doc, stripped[1:].strip(), index + 1)
        elif block is not None:
            block.append((index + 1, line))
        elif stripped:
            doc.warn(index + 1, "unplaced-text", f"text outside any question, kept nowhere: {stripped[:80]!r}")
    return len(lines)


def _open_block(doc: _Doc, heading: str, number: int) -> list[tuple[int, str]] | None:
    """Start a question or notice block for a bullet line; None (and a warning) if unknown."""
    block: list[tuple[int, str]] = []
    question = QUESTION_BULLET.fullmatch(heading)
    notice = NOTICE_BULLET.fullmatch(heading)
    if question:
        doc.questions.append((number, int(question.group(1)), block))
    elif notice:
        doc.notices.append((number, notice.group(1), block))
    else:
        doc.warn(number, "unplaced-text", f"unknown bullet {heading[:60]!r}, its text is kept nowhere")
        return None
    return block


def _read_footer(doc: _Doc, lines: list[str], position: int) -> None:
    """Read the document-number and full-title lines; a title belongs to the number above it."""
    current: str | None = None
    for index in range(position, len(lines)):
        stripped = lines[index].strip()
        number = index + 1
        if not stripped:
            continue
        if stripped.startswith(QUESTION_FOOTER):
            current = "question"
            doc.footer["question_number"] = (number, stripped[len(QUESTION_FOOTER):].strip())
        elif stripped.startswith(ANSWER_FOOTER):
            current = "answer"
            doc.footer["answer_number"] = (number, stripped[len(ANSWER_FOOTER):].strip())
        elif stripped.startswith(FULL_TITLE) and current and f"{current}_title" not in doc.footer:
            doc.footer[f"{current}_title"] = (number, stripped[len(FULL_TITLE):].strip())
        else:
            doc.warn(number, "unplaced-text", f"text in the footer, kept nowhere: {stripped[:80]!r}")


def _build(doc: _Doc, source: Source) -> Kamervraag | None:
    """Check the collected fields against each other and freeze them into the model."""
    kid = doc.fields["id"][1]
    title = _required(doc, "title", "the title line after the header")
    submitted = _date_field(doc, "submitted")
    answered, days = _answered(doc, submitted)
    submitters = _submitters(doc)
    answerers = tuple(_persons(doc, *doc.fields["answerers"])) if "answerers" in doc.fields else ()
    questions = _questions(doc, answered is not None)
    notices = tuple(_notice(doc, *n) for n in doc.notices)
    question_document, answer_document = _documents(doc, kid)
    if title is None or submitted is None:
        return None
    return Kamervraag(
        id=kid, title=title, submitted=submitted, source=source, answered=answered, days_to_answer=days,
        submitters=submitters, answerers=answerers, topics=_topics(doc),
        question_document=question_document, answer_document=answer_document,
        footnotes=_footnotes(doc), questions=questions,
        notices=tuple(n for n in notices if n is not None),
    )


def _required(doc: _Doc, name: str, what: str) -> str | None:
    if name not in doc.fields or not doc.fields[name][1]:
        line = doc.fields[name][0] if name in doc.fields else 1
        doc.error(line, f"missing-{name.replace('_', '-')}", f"missing {what}")
        return None
    return doc.fields[name][1]


def parse_date(text: str) -> date | None:
    """`10 maart 2022` -> date(2022, 3, 10); None when it is no valid Dutch date."""
    parts = text.split()
    if len(parts) != 3 or not parts[0].isdigit() or not parts[2].isdigit() or parts[1] not in MONTHS:
        return None
    try:
        return date(int(parts[2]), MONTHS[parts[1]], int(parts[0]))
    except (ValueError, OverflowError):  # OverflowError: a year or day too large for a C long
        return None


def _date_field(doc: _Doc, name: str) -> date | None:
    """The `Ingediend` date, or an error saying what is wrong with it."""
    value = _required(doc, name, "'Ingediend <date>' line")
    if value is None:
        return None
    return _checked_date(doc, doc.fields[name][0], value)


def _checked_date(doc: _Doc, line: int, value: str) -> date | None:
    parsed = parse_date(value)
    if parsed is None:
        doc.error(line, "bad-date", f"{value!r} is not a valid date like '10 maart 2022'")
    return parsed


def _answered(doc: _Doc, submitted: date | None) -> tuple[date | None, int | None]:
    """The answer date and day count, checked against the submission date."""
    if "answered" not in doc.fields:
        return None, None
    line, value = doc.fields["answered"]
    match = ANSWERED.search(value)
    if not match:
        doc.error(line, "bad-answered", f"expected 'Beantwoord <date> (na <N> dagen)', found {value[:80]!r}")
        return None, None
    answered = _checked_date(doc, line, value[:match.start()].rstrip())
    days = int(match.group(1))
    if answered is None or submitted is None:
        return answered, days
    if answered < submitted:
        doc.error(line, "answer-before-question",
                  f"answered {answered.isoformat()} is before the question was submitted ({submitted.isoformat()})")
    elif (answered - submitted).days != days:
        doc.error(line, "days-mismatch",
                  f"'na {days} dagen' does not match the dates: {answered.isoformat()} is "
                  f"{(answered - submitted).days} days after {submitted.isoformat()}")
    return answered, days


def _submitters(doc: _Doc) -> tuple[Person, ...]:
    plural = doc.fields.get("submitters")
    singular = doc.fields.get("submitter")
    entry = plural or singular
    if entry is None or not entry[1]:
        doc.error(entry[0] if entry else 1, "missing-submitter", "missing 'Indiener <name>' or 'Indieners <names>' line")
        return ()
    persons = tuple(_persons(doc, *entry))
    if singular and len(persons) > 1:
        doc.warn(entry[0], "number-mismatch", f"'Indiener' (singular) names {len(persons)} persons")
    if plural and len(persons) == 1:
        doc.warn(entry[0], "number-mismatch", "'Indieners' (plural) names one person")
    return persons


def split_top_level(text: str) -> list[str]:
    """Split on `, ` outside parentheses: ministry names in role groups contain commas."""
    parts: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0 and text.startswith(", ", index):
            parts.append(text[start:index])
            start = index + 2
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _persons(doc: _Doc, line: int, value: str) -> list[Person]:
    persons = []
    for entry in split_top_level(value):
        person = _person(doc, line, entry)
        if person is not None:
            persons.append(person)
    return persons


def _person(doc: _Doc, line: int, entry: str) -> Person | None:
    """`Name (roles) (party)`, either group optional; one group is roles iff it starts with a position."""
    name, groups = _trailing_groups(entry)
    if not name or "(" in name or ")" in name:
        doc.error(line, "bad-person", f"cannot read person {entry[:80]!r}: expected 'Name (roles) (party)'")
        return None
    if len(groups) > 2:
        doc.error(line, "bad-person", f"person {entry[:80]!r} has {len(groups)} groups in parentheses, at most 2 expected")
        return None
    roles: tuple[Role, ...] = ()
    party = None
    for group in groups:
        if _role_position(group) is not None and not roles and party is None:
            roles = tuple(_roles(doc, line, group))
        elif party is None:
            party = group
        else:
            doc.error(line, "bad-person", f"person {entry[:80]!r}: cannot tell roles from party in {group!r}")
    return Person(name=name, party=party, roles=roles)


_DEPTH = {")": 1, "(": -1}  # made once: a dict literal in the loop was built again for every character


def _trailing_groups(entry: str) -> tuple[str, list[str]]:
    """Peel `(…)` groups off the end of a person entry; returns the name and the groups in order."""
    groups: list[str] = []
    rest = entry.strip()
    while rest.endswith(")") and len(groups) <= 2:  # a third group is already an error; stop there
        depth = 0
        for index in range(len(rest) - 1, -1, -1):
            depth += _DEPTH.get(rest[index], 0)
            if depth == 0:
                break
        if depth != 0:
            break
        groups.insert(0, rest[index + 1:-1].strip())
        rest = rest[:index].rstrip()
    return rest, groups


def _role_position(text: str) -> str | None:
    for position in POSITIONS:
        if text == position or text.startswith(position + " ") or text.startswith(position + ","):
            return position
    return None


def _roles(doc: _Doc, line: int, group: str) -> list[Role]:
    """Split a role group: a piece that starts with no position continues the previous ministry."""
    pieces: list[list[str]] = []  # joined at the end: growing a string piece by piece is quadratic
    for piece in group.split(","):
        piece = piece.strip()
        if pieces and _role_position(piece) is None:
            pieces[-1].append(piece)
        else:
            pieces.append([piece])
    roles = []
    for text in (", ".join(role) for role in pieces):
        position = _role_position(text)
        ministry = text[len(position):].strip() if position else None
        if position is None:
            doc.warn(line, "unknown-position", f"role {text!r} starts with no known position")
        roles.append(Role(text=text, position=position, ministry=ministry or None))
    return roles


def _topics(doc: _Doc) -> tuple[str, ...]:
    if "topics" not in doc.fields:
        doc.warn(1, "missing-topics", "no 'Onderwerpen' line")
        return ()
    line, value = doc.fields["topics"]
    segments = topics.split_topics(value)
    labels = tuple(s.label for s in segments)
    context = frozenset(labels)  # looked up once per label: a tuple would make this quadratic
    for segment in segments:
        if not segment.known:
            doc.warn(line, "unknown-topic", f"topic {segment.label[:80]!r} is not in the OWMS theme list; kept as an unknown label")
        elif len(topics.resolve(segment.label, context)) > 1:
            doc.warn(line, "ambiguous-topic", f"topic {segment.label!r} names several OWMS themes; linked to all of them")
    return labels


def _footnotes(doc: _Doc) -> tuple[Footnote, ...]:
    _check_numbering(doc, [(line, f.number) for line, f in doc.footnotes], "footnote")
    return tuple(f for _, f in doc.footnotes)


def _check_numbering(doc: _Doc, numbered: list[tuple[int, int]], what: str) -> None:
    """Numbers should run 1..N; a gap is a warning, a repeat an error (IRIs would collide)."""
    seen: set[int] = set()
    for expected, (line, number) in enumerate(numbered, start=1):
        if number in seen:
            doc.error(line, "duplicate-number", f"{what} {number} appears twice")
        elif number != expected:
            doc.warn(line, "numbering-gap", f"{what} {number} where {what} {expected} was expected")
        seen.add(number)


def _questions(doc: _Doc, answered: bool) -> tuple[Question, ...]:
    _check_numbering(doc, [(line, number) for line, number, _ in doc.questions], "question")
    if not doc.questions:
        doc.error(1, "no-questions", "no '• Vraag 1' found: the document has no questions")
    questions = [_question(doc, line, number, block, answered) for line, number, block in doc.questions]
    answered_numbers = {q.number for q in questions if q.answer is not None}
    for question in questions:
        if question.see_answer is not None and question.see_answer not in answered_numbers:
            doc.warn(1, "dangling-reference",
                     f"answer to question {question.number} points to question {question.see_answer}, which has no answer")
    return tuple(questions)


def _question(doc: _Doc, line: int, number: int, block: list[tuple[int, str]], answered: bool) -> Question:
    """Split a block into question text, blank line, answer lines; indentation removed."""
    lines = _trim_blank(block)
    gap = next((i for i, (_, text) in enumerate(lines) if not text.strip()), None)
    question_lines = lines if gap is None else lines[:gap]
    answer_lines = [] if gap is None else _trim_blank(lines[gap:])
    if not question_lines:
        doc.error(line, "empty-question", f"question {number} has no text")
    if answer_lines and not answered:
        doc.warn(answer_lines[0][0], "answer-without-date", f"question {number} has an answer but the document has no 'Beantwoord' line")
    answer = _join(answer_lines) if answer_lines else None
    see = SEE_ANSWER.fullmatch(answer.strip()) if answer else None
    return Question(number=number, text=_join(question_lines), answer=answer,
                    see_answer=int(see.group(1)) if see else None)


def _trim_blank(block: list[tuple[int, str]]) -> list[tuple[int, str]]:
    start, end = 0, len(block)
    while start < end and not block[start][1].strip():
        start += 1
    while end > start and not block[end - 1][1].strip():
        end -= 1
    return block[start:end]


def _join(lines: list[tuple[int, str]]) -> str:
    """The block's lines with their indentation (ASCII spaces and tabs only) removed."""
    return "\n".join(text.lstrip(" \t") for _, text in lines)


def _notice(doc: _Doc, line: int, when: str, block: list[tuple[int, str]]) -> Notice | None:
    notice_date = _checked_date(doc, line, when.strip())
    lines = _trim_blank(block)
    if not lines:
        doc.warn(line, "empty-notice", "postponement notice without text")
    return Notice(notice_date, _join(lines)) if notice_date else None


def _source_url(doc: _Doc, name: str, key: str) -> str | None:
    """A `Bron` URL as written (the record keeps it); a warning when it cannot become an IRI,
    because the graph then leaves it out."""
    line, url = doc.fields.get(name, (0, None))
    if url and safe_url(url) is None:
        doc.warn(line, "bad-url", f"'{key}' {url[:80]!r} is not an http(s) URL that can be an IRI; left out of the graph")
    return url or None


def _documents(doc: _Doc, kid: str) -> tuple[DocumentRef, DocumentRef | None]:
    """The question and answer documents from the footer and the `Bron` URLs, cross-checked."""
    footer = doc.footer
    if "question_number" not in footer:
        doc.warn(doc.last_line, "truncated", "no 'Kamervraag document nummer:' footer; the document may be truncated")
    number_line, number = footer.get("question_number", (1, f"kv-tk-{kid}"))
    if number != f"kv-tk-{kid}":
        doc.error(number_line, "id-mismatch", f"footer number {number!r} does not match the header's zaaknummer {kid}")
    question_url = _source_url(doc, "question_url", "Bron vraag")
    if question_url is None:
        doc.warn(1, "missing-source", "no 'Bron vraag <url>' line")
    question = DocumentRef(number, footer.get("question_title", (0, None))[1], question_url)
    answer_url = _source_url(doc, "answer_url", "Bron antwoord")
    answer_number = footer.get("answer_number", (0, None))[1]
    if answer_number is None and answer_url:
        found = ANSWER_NUMBER.search(answer_url)
        answer_number = found.group(0) if found else None
    if answer_number is None:
        return question, None
    if not ANSWER_NUMBER.fullmatch(answer_number):
        doc.error(footer.get("answer_number", (1, ""))[0], "bad-document-number",
                  f"answer document number {answer_number!r} is not of the form ah-tk-<vergaderjaar>-<nr>")
    return question, DocumentRef(answer_number, footer.get("answer_title", (0, None))[1], answer_url)
