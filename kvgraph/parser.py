"""Parse one Kamervraag text document (see FORMAT.md) into the plain model.

The parser knows nothing of RDF. It walks the lines once, front to back: header, metadata
lines, footnotes, the numbered questions with their answers, notices and the footer. Every
line ends up somewhere: in a field, or in a diagnostic that says it could not be placed.
Errors make the document unusable (ParseResult.kamervraag is None); warnings do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import pairwise

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
# A position starts a role when the text ends or a space or comma follows it; one match tries
# them all in order (a loop of three string tests each was a tenth of reading persons).
POSITION = re.compile("(" + "|".join(map(re.escape, POSITIONS)) + r")(?=[ ,]|\Z)")
PARENTHESES = re.compile(r"[()]")

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
# Matched against the answer as it is: the \s* at both ends stand for strip(), without the copy.
SEE_ANSWER = re.compile(r"\s*Zie (?:het )?antwoord (?:op )?vraag (\d{1,9})\.?\s*")
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
    # Blocks are ranges of line indexes: the lines under a bullet, up to the next one.
    questions: list[tuple[int, int, range]] = field(default_factory=list)
    notices: list[tuple[int, str, range]] = field(default_factory=list)
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
    kamervraag = _build(doc, lines, source)
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
FIELD_NAMES = dict(METADATA_KEYS)
# A key is the whole line or followed by a space; one match tries the keys in their order.
METADATA_KEY = re.compile("(" + "|".join(re.escape(key) for key, _ in METADATA_KEYS) + r")(?: |\Z)")


def _read_metadata(doc: _Doc, lines: list[str], position: int) -> int:
    """Read the `Key value` lines and the footnotes; stop at the first bullet."""
    while position < len(lines):
        raw = lines[position]
        stripped = raw.strip()
        number = position + 1
        if stripped.startswith((BULLET, QUESTION_FOOTER)):
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
    match = METADATA_KEY.match(stripped)
    if not match:
        return False
    key = match.group(1)
    name = FIELD_NAMES[key]
    if name in doc.fields:
        doc.error(number, "duplicate-field", f"second '{key}' line (first on line {doc.fields[name][0]})")
    doc.fields[name] = (number, stripped[len(key):].strip())
    return True


def _read_body(doc: _Doc, lines: list[str], position: int) -> int:
    """Find each `• Vraag n` and `• Mededeling - date` block, the lines up to the next bullet;
    stop at the footer. Returns where the footer starts."""
    end, bullets = _bullet_lines(lines, position)
    _unplaced(doc, lines, range(position, bullets[0] if bullets else end))
    for bullet, stop in pairwise([*bullets, end]):
        block = range(bullet + 1, stop)
        if not _open_block(doc, lines[bullet].strip()[1:].strip(), bullet + 1, block):
            _unplaced(doc, lines, block)
    return end


def _bullet_lines(lines: list[str], position: int) -> tuple[int, list[int]]:
    """Where the body ends (a footer line at the left margin, or the end) and where its bullets are.

    About a hundred lines a document, nearly all of them text: a line is only stripped when it
    holds a bullet at all."""
    bullets = []
    for index in range(position, len(lines)):
        line = lines[index]
        if line.startswith(QUESTION_FOOTER):
            return index, bullets
        if BULLET in line and line.lstrip().startswith(BULLET):
            bullets.append(index)
    return len(lines), bullets


def _unplaced(doc: _Doc, lines: list[str], block: range) -> None:
    """Warn about each line of text in the body that belongs to no question or notice."""
    for index in block:
        stripped = lines[index].strip()
        if stripped:
            doc.warn(index + 1, "unplaced-text", f"text outside any question, kept nowhere: {stripped[:80]!r}")


def _open_block(doc: _Doc, heading: str, number: int, block: range) -> bool:
    """Keep a question or notice block under its bullet line; False (and a warning) if unknown."""
    question = QUESTION_BULLET.fullmatch(heading)
    notice = NOTICE_BULLET.fullmatch(heading)
    if question:
        doc.questions.append((number, int(question.group(1)), block))
    elif notice:
        doc.notices.append((number, notice.group(1), block))
    else:
        doc.warn(number, "unplaced-text", f"unknown bullet {heading[:60]!r}, its text is kept nowhere")
        return False
    return True


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


def _build(doc: _Doc, lines: list[str], source: Source) -> Kamervraag | None:
    """Check the collected fields against each other and freeze them into the model."""
    kid = doc.fields["id"][1]
    title = _required(doc, "title", "the title line after the header")
    submitted = _date_field(doc, "submitted")
    answered, days = _answered(doc, submitted)
    submitters = _submitters(doc)
    answerers = tuple(_persons(doc, *doc.fields["answerers"])) if "answerers" in doc.fields else ()
    questions = _questions(doc, lines, answered is not None)
    notices = tuple(_notice(doc, lines, *n) for n in doc.notices)
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
    """Split on `, ` outside parentheses: ministry names in role groups contain commas.

    Splits on every `, ` and joins again the pieces that sit inside parentheses; only the
    parentheses are looked at one by one, not every character."""
    parts: list[str] = []
    inside: list[str] = []  # the pieces of a part whose parentheses are still open
    depth = 0
    for piece in text.split(", "):
        inside.append(piece)
        for parenthesis in PARENTHESES.findall(piece):
            depth = depth + 1 if parenthesis == "(" else max(depth - 1, 0)
        if depth == 0:
            parts.append(", ".join(inside))
            inside = []
    if inside:
        parts.append(", ".join(inside))
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
    return Person(name=name, party=party, roles=roles, line=line)


_DEPTH = {")": 1, "(": -1}  # made once: a dict literal in the loop was built again for every character


def _trailing_groups(entry: str) -> tuple[str, list[str]]:
    """Peel `(…)` groups off the end of a person entry; returns the name and the groups in order."""
    groups: list[str] = []
    rest = entry.strip()
    while rest.endswith(")") and len(groups) <= 2:  # a third group is already an error; stop there
        index = _group_start(rest)
        if index < 0:
            break
        groups.insert(0, rest[index + 1:-1].strip())
        rest = rest[:index].rstrip()
    return rest, groups


def _group_start(text: str) -> int:
    """Where the `(` is that matches the `)` ending `text`; -1 when none does."""
    start = text.rfind("(")
    if start >= 0 and text.find(")", start, len(text) - 1) < 0:
        return start  # the usual group, with no parentheses inside: found without a loop
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += _DEPTH.get(text[index], 0)
        if depth == 0:
            return index
    return -1


def _role_position(text: str) -> str | None:
    match = POSITION.match(text)
    return match.group(1) if match else None


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
    """Numbers should run 1..N; a gap is a warning, a repeat an error (IRIs would collide).

    Questions come here only when no number repeats (see _question_numbers); footnotes always:
    a footnote is found through the number its marker in the text carries (`INTERPOL?1`), and
    openkamer keeps that printed number too, so numbering footnotes by position would give them
    numbers no marker carries."""
    seen: set[int] = set()
    for expected, (line, number) in enumerate(numbered, start=1):
        if number in seen:
            doc.error(line, "duplicate-number", f"{what} {number} appears twice")
        elif number != expected:
            doc.warn(line, "numbering-gap", f"{what} {number} where {what} {expected} was expected")
        seen.add(number)


def _questions(doc: _Doc, lines: list[str], answered: bool) -> tuple[Question, ...]:
    numbers, renumbered = _question_numbers(doc)
    if not doc.questions:
        doc.error(1, "no-questions", "no '• Vraag 1' found: the document has no questions")
    questions = [_question(doc, lines, line, number, block, answered)
                 for number, (line, _, block) in zip(numbers, doc.questions, strict=True)]
    if renumbered:
        questions = _renumbered_references(doc, lines, questions)
    answered_numbers = {q.number for q in questions if q.answer is not None}
    for question in questions:
        if question.see_answer is not None and question.see_answer not in answered_numbers:
            doc.warn(1, "dangling-reference",
                     f"answer to question {question.number} points to question {question.see_answer}, which has no answer")
    return tuple(questions)


def _question_numbers(doc: _Doc) -> tuple[list[int], bool]:
    """The questions' numbers in the model, and whether they are not the printed ones: as
    printed, or their positions when a printed number repeats. Question IRIs are minted from the
    number, so a repeat would make two questions one; openkamer, where the text comes from,
    numbers questions by position, and so do we then."""
    numbered = [(line, number) for line, number, _ in doc.questions]
    printed = [number for _, number in numbered]
    if len(set(printed)) == len(printed):
        _check_numbering(doc, numbered, "question")
        return printed, False
    _check_repeats(doc, numbered)
    return list(range(1, len(printed) + 1)), True


def _check_repeats(doc: _Doc, numbered: list[tuple[int, int]]) -> None:
    """Warn on every line whose number another line carries too, naming the other lines and the
    question's new number, and on real gaps in the printed numbers.

    A gap is judged against the printed numbers with the repeats left out: after `3, 3` the
    next is expected to be 4, not 5, so a repeat does not make every later question a gap,
    while a number that is printed nowhere (`1, 3, 3`: no 2) is still reported."""
    lines_of: dict[int, list[int]] = {}
    for line, number in numbered:
        lines_of.setdefault(number, []).append(line)
    previous = 0
    for position, (line, number) in enumerate(numbered, start=1):
        others = [other for other in lines_of[number] if other != line]
        if others:
            doc.warn(line, "repeated-question-number",
                     f"question number {number} is also printed on {_line_list(others)}; all questions of the document "
                     f"are numbered by their position instead, this one as question {position}")
        if lines_of[number][0] == line:  # a repeat is reported above, not as a gap
            if number != previous + 1:
                doc.warn(line, "numbering-gap", f"question number {number} printed where {previous + 1} was expected")
            previous = number


def _line_list(line_numbers: list[int]) -> str:
    """`line 22` or `lines 17, 22`."""
    return ("line " if len(line_numbers) == 1 else "lines ") + ", ".join(map(str, line_numbers))


def _renumbered_references(doc: _Doc, lines: list[str], questions: list[Question]) -> list[Question]:
    """Point each `Zie antwoord vraag N` of a renumbered document at the question printed as N,
    by its new number. An N that several questions carry, or none, is dropped with a warning:
    guessing which question the writer meant could link the wrong answer."""
    carriers: dict[int, list[tuple[int, int]]] = {}
    for position, (line, number, _) in enumerate(doc.questions, start=1):
        carriers.setdefault(number, []).append((position, line))
    renumbered = []
    for question, (_, _, block) in zip(questions, doc.questions, strict=True):
        if question.see_answer is not None:
            question = _renumbered_reference(doc, question, carriers.get(question.see_answer, []),
                                             _trim_blank(lines, block).stop)
        renumbered.append(question)
    return renumbered


def _renumbered_reference(doc: _Doc, question: Question, carriers: list[tuple[int, int]], line: int) -> Question:
    """The question with its reference renumbered or dropped; `carriers` are the (position, line)
    of the questions printed with the referenced number. `line` is the answer's: a
    `Zie antwoord vraag N` answer is one line, the last of its block."""
    printed = question.see_answer
    if len(carriers) == 1:
        return replace(question, see_answer=carriers[0][0])
    if carriers:
        doc.warn(line, "ambiguous-reference",
                 f"answer to question {question.number} points to question number {printed}, which is ambiguous: "
                 f"{_line_list([n for _, n in carriers])} print it (now questions {', '.join(str(p) for p, _ in carriers)}); "
                 "not linked, the answer text is kept")
    else:
        doc.warn(line, "dangling-reference",
                 f"answer to question {question.number} points to question number {printed}, which no question "
                 "prints: not linked, the answer text is kept")
    return replace(question, see_answer=None)


def _question(doc: _Doc, lines: list[str], line: int, number: int, block: range, answered: bool) -> Question:
    """Split a block into question text, blank line, answer lines; indentation removed."""
    block = _trim_blank(lines, block)
    gap = next((i for i in block if not lines[i].strip()), block.stop)
    asked = range(block.start, gap)
    replied = _trim_blank(lines, range(gap, block.stop))
    if not asked:
        doc.error(line, "empty-question", f"question {number} has no text")
    if replied and not answered:
        doc.warn(replied.start + 1, "answer-without-date", f"question {number} has an answer but the document has no 'Beantwoord' line")
    answer = _join(lines, replied) if replied else None
    see = SEE_ANSWER.fullmatch(answer) if answer else None
    # Positional: keyword arguments cost a frozen dataclass a fifth more, seven times a document.
    return Question(number, _join(lines, asked), answer, int(see.group(1)) if see else None)


def _trim_blank(lines: list[str], block: range) -> range:
    """The block without its leading and trailing blank lines."""
    start, end = block.start, block.stop
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return range(start, end)


def _join(lines: list[str], block: range) -> str:
    """The block's lines with their indentation (ASCII spaces and tabs only) removed."""
    return "\n".join([text.lstrip(" \t") for text in lines[block.start:block.stop]])


def _notice(doc: _Doc, lines: list[str], line: int, when: str, block: range) -> Notice | None:
    notice_date = _checked_date(doc, line, when.strip())
    block = _trim_blank(lines, block)
    if not block:
        doc.warn(line, "empty-notice", "postponement notice without text")
    return Notice(notice_date, _join(lines, block)) if notice_date else None


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
