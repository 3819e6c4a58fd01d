"""Reference data: the persons, parties, cabinets, posts and ministries kvgraph links to.

The tables ship with the package (`data/reference/`, derived from public sources by
`python -m kvgraph.reference.build`; see `docs/reference.md` and `data/reference/SOURCES.md`).
`load()` reads them, checks them and builds the indexes reconciliation needs; a folder in the
same format replaces the bundled one, which is how a user brings a newer reference set.
Reading is strict because a user-supplied folder is input: anything malformed stops the load
with one line naming the file, the line and what is wrong.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

FORMAT = "1"
BUNDLED = Path(__file__).resolve().parent.parent / "data" / "reference"

POSITIONS = ("minister", "minister zonder portefeuille", "staatssecretaris", "minister-president", "viceminister-president")
CONFIDENCES = ("high", "medium", "low")
# Linked ministries: a code only one public source states (`low`) is not asserted as an identity.
LINKABLE_CONFIDENCES = frozenset({"high", "medium"})

_TK_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_QID = re.compile(r"Q[1-9][0-9]*")
_PARLEMENT_ID = re.compile(r"[a-z0-9]{12}")
_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TOOI = re.compile(r"mnre[0-9]{4}")
_TOOI_IRI = "https://identifier.overheid.nl/tooi/id/ministerie/"

# Letters NFKD does not take apart into a base letter and accents.
_FOLD = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})
_APOSTROPHES = str.maketrans({c: "'" for c in "\u2018\u2019\u201b\u2032`\u00b4"})
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})
_SPACED_HYPHEN = re.compile(r"\s*-\s*")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


class ReferenceDataError(ValueError):
    """A reference folder that cannot be used; the message is one line: `FILE:LINE: what is wrong`."""


@dataclass(frozen=True, slots=True)
class Person:
    """A person who can be linked. `key` is the first official identifier that is theirs alone:
    the Tweede Kamer Persoon GUID, else the Wikidata QID, else the Parlement.com id."""

    key: str
    forename: str
    surname_prefix: str
    surname: str
    initials: str
    birthdate: date | None
    tk_id: str
    wikidata: str
    parlement_id: str

    @property
    def name(self) -> str:
        """The name as documents print it: forename, particle, surname."""
        return " ".join(part for part in (self.forename, self.surname_prefix, self.surname) if part)


@dataclass(frozen=True, slots=True)
class Party:
    """A party or parliamentary group (openkamer does not tell them apart); `successor_of` holds
    the keys of the parties it continues (GroenLinks-PvdA: `gl pvda`)."""

    key: str
    name: str
    abbreviation: str
    founded: date | None
    dissolved: date | None
    wikidata: str
    successor_of: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Membership:
    """Membership of a party; a missing date means unknown, not open-ended."""

    person: str
    party: str
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Seat:
    """A Tweede Kamer seat, both days included."""

    person: str
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Cabinet:
    key: str
    name: str
    formed: date | None
    dissolved: date | None
    wikidata: str


@dataclass(frozen=True, slots=True)
class Post:
    """A government post. `ministry` is a TOOI code or ''; a missing start or end is the
    cabinet's, so a post never reaches outside its cabinet."""

    person: str
    cabinet: str
    position: str
    ministry: str
    portfolio: str
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Ministry:
    code: str
    iri: str
    name: str
    abbreviation: str
    start: date | None
    end: date | None
    confidence: str
    note: str


@dataclass(frozen=True, slots=True)
class MinistryName:
    """A name a ministry carried, and when."""

    code: str
    name: str
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Meta:
    """What the tables cover: facts are complete for seats from `seats_from`, for posts from
    `posts_from`, and for both until `as_of`; outside that, a missing record proves nothing."""

    format: str
    as_of: date
    seats_from: date
    posts_from: date


@dataclass(frozen=True, slots=True)
class Tables:
    """The rows of a reference folder, as in its files."""

    meta: Meta
    persons: tuple[Person, ...]
    parties: tuple[Party, ...]
    memberships: tuple[Membership, ...]
    seats: tuple[Seat, ...]
    cabinets: tuple[Cabinet, ...]
    posts: tuple[Post, ...]
    ministries: tuple[Ministry, ...]
    ministry_names: tuple[MinistryName, ...]


# A span as day ordinals, both ends included; an unknown end reaches as far as it can.
Span = tuple[int, int]
OPEN_START, OPEN_END = 0, date.max.toordinal()


@dataclass(frozen=True, eq=False)
class Reference:
    """The tables with the indexes reconciliation reads. Hashed by identity, so functions can
    cache on it."""

    tables: Tables
    person: dict[str, Person]
    party: dict[str, Party]
    cabinet: dict[str, Cabinet]
    ministry: dict[str, Ministry]
    persons_by_surname: dict[str, tuple[Person, ...]]
    parties_by_alias: dict[str, tuple[Party, ...]]
    names_by_label: dict[str, tuple[MinistryName, ...]]
    seat_spans: dict[str, tuple[Span, ...]]
    post_spans: dict[str, tuple[tuple[Span, Post], ...]]
    membership_spans: dict[str, tuple[tuple[str, Span], ...]]
    active_at_as_of: frozenset[str]

    @property
    def as_of(self) -> date:
        return self.tables.meta.as_of


# The files of a reference folder and the row type of each.
FILES: dict[str, type] = {
    "persons.csv": Person,
    "parties.csv": Party,
    "party-memberships.csv": Membership,
    "seats.csv": Seat,
    "cabinets.csv": Cabinet,
    "posts.csv": Post,
    "ministries.csv": Ministry,
    "ministry-names.csv": MinistryName,
}
META_FILE = "meta.csv"
_COLUMN = {"start": "from", "end": "to"}  # `from` is a Python keyword


def columns(row_type: type) -> tuple[str, ...]:
    """The CSV header of a row type: its field names, with start/end written from/to."""
    return tuple(_COLUMN.get(f.name, f.name) for f in fields(row_type))


def cells(row: Any) -> tuple[str, ...]:
    """A row as CSV cells: dates in ISO form, unknown as '', lists space-separated."""
    return tuple(_cell(getattr(row, f.name)) for f in fields(row))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return " ".join(value)
    return str(value)


def normalise(text: str) -> str:
    """Lower case, accents dropped, one kind of apostrophe and hyphen, single spaces:
    `Yeşilgöz - Zegerius` and `yesilgoz-zegerius` compare equal, as do `Van ’t` and `van 't`."""
    if text.isascii():
        folded = text.lower().translate(_APOSTROPHES)  # the backtick is ASCII
    else:
        folded = unicodedata.normalize("NFKD", text.casefold().translate(_APOSTROPHES).translate(_DASHES))
        folded = "".join(c for c in folded if not unicodedata.combining(c)).translate(_FOLD)
    return _SPACED_HYPHEN.sub("-", " ".join(folded.split()))


def party_alias(text: str) -> str:
    """A party name or abbreviation reduced to letters and digits: `GroenLinks-PvdA`, `Groenlinks PvdA`
    and `GROENLINKS/PVDA` are one alias."""
    return _NOT_ALNUM.sub("", normalise(text))


def surname_keys(prefix_and_surname: str) -> tuple[str, ...]:
    """The normalised surname with its particles, then each part of a double surname: a double
    name printed whole must find a person recorded under one part, and the other way round."""
    whole = normalise(prefix_and_surname)
    parts = tuple(p.strip() for p in whole.split("-") if p.strip()) if "-" in whole else ()
    return (whole, *parts)


def load(folder: Path | None = None) -> Reference:
    """The reference in `folder` (same format as the bundled one), or the bundled one when None.

    The bundled reference is read once per process; a user folder is read on every call."""
    return _bundled() if folder is None else _load(Path(folder))


@cache
def _bundled() -> Reference:
    return _load(BUNDLED)


def _load(folder: Path) -> Reference:
    if not folder.is_dir():
        raise ReferenceDataError(f"{folder}: not a folder")
    meta = _read_meta(folder / META_FILE)
    located = {name: list(_read(folder / name, row_type)) for name, row_type in FILES.items()}
    _check(located)
    return index(Tables(meta, *(tuple(item for item, _ in rows) for rows in located.values())))


class _Where:
    """The file and line a row came from, for error messages."""

    __slots__ = ("path", "line")

    def __init__(self, path: Path, line: int) -> None:
        self.path, self.line = path, line

    def fail(self, message: str) -> ReferenceDataError:
        return ReferenceDataError(f"{self.path}:{self.line}: {message}")


def _rows(path: Path, header: tuple[str, ...]) -> Iterator[tuple[_Where, list[str]]]:
    """The rows of a CSV file with exactly these columns, in any order; cells come in the order
    of `header`."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:  # a BOM from a spreadsheet is fine
            reader = csv.reader(stream)
            found = next(reader, [])
            missing = [c for c in header if c not in found]
            extra = [c for c in found if c not in header]
            if missing or extra or len(found) != len(set(found)):
                what = f"missing {', '.join(missing)}" if missing else f"unexpected {', '.join(extra) or 'repeated column'}"
                raise ReferenceDataError(f"{path}:1: header: {what} (expected {','.join(header)})")
            order = [found.index(c) for c in header]
            for values in reader:
                if not values:
                    continue
                where = _Where(path, reader.line_num)
                if len(values) != len(found):
                    raise where.fail(f"{len(values)} cells, expected {len(found)}")
                yield where, [values[i] for i in order]
    except FileNotFoundError:
        raise ReferenceDataError(f"{path}: missing") from None
    except UnicodeDecodeError as error:
        raise ReferenceDataError(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from None
    except csv.Error as error:
        raise ReferenceDataError(f"{path}: {error}") from None


def _date(where: _Where, column: str, text: str) -> date | None:
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise where.fail(f"{column} {text!r} is not a date (YYYY-MM-DD)") from None


_CONVERT: dict[str, Callable[[_Where, str, str], object]] = {
    "str": lambda where, column, text: text.strip(),
    "date | None": _date,
    "tuple[str, ...]": lambda where, column, text: tuple(text.split()),
}
# A row object and where it came from, kept until the checks are done.
Located = tuple[Any, _Where]


def _read(path: Path, row_type: type) -> Iterator[Located]:
    """Rows of `row_type`, each cell converted by its field's declared type."""
    header = columns(row_type)
    converters = [_CONVERT[str(f.type)] for f in fields(row_type)]
    pairs = list(zip(converters, header, strict=True))
    for where, values in _rows(path, header):
        yield row_type(*[convert(where, column, text) for (convert, column), text in zip(pairs, values, strict=True)]), where


def _read_meta(path: Path) -> Meta:
    values: dict[str, tuple[_Where, str]] = {}
    for where, (key, value) in _rows(path, ("key", "value")):
        if key in values:
            raise where.fail(f"{key} given twice")
        values[key] = where, value
    known = [f.name for f in fields(Meta)]
    for key, (where, _) in values.items():
        if key not in known:
            raise where.fail(f"unknown key {key!r} (expected {', '.join(known)})")
    if absent := [k for k in known if k not in values]:
        raise ReferenceDataError(f"{path}: missing {', '.join(absent)}")
    where, version = values["format"]
    if version != FORMAT:
        raise where.fail(f"format {version!r}, this kvgraph reads format {FORMAT}")

    def day(key: str) -> date:
        where, text = values[key]
        if found := _date(where, key, text):
            return found
        raise where.fail(f"{key} is empty")

    return Meta(FORMAT, day("as_of"), day("seats_from"), day("posts_from"))


def _check(tables: dict[str, list[Located]]) -> None:
    """Every rule of the format, failing on the first broken one with its file and line."""
    persons = _unique_keys(tables["persons.csv"], "key")
    parties = _unique_keys(tables["parties.csv"], "key")
    cabinets = _unique_keys(tables["cabinets.csv"], "key")
    ministries = _unique_keys(tables["ministries.csv"], "code")
    for column in ("tk_id", "wikidata", "parlement_id"):
        _unique_keys([p for p in tables["persons.csv"] if getattr(p[0], column)], column)
    for located in tables["persons.csv"]:
        _check_person(located)
    for located in tables["parties.csv"]:
        _check_pattern(located, "key", _KEY)
        _check_pattern(located, "wikidata", _QID)
        _check_known(located, "successor_of", parties)
        _check_span(located, "founded", "dissolved")
    for located in tables["cabinets.csv"]:
        _check_pattern(located, "key", _KEY)
        _check_pattern(located, "wikidata", _QID)
        _check_span(located, "formed", "dissolved")
    for located in tables["party-memberships.csv"]:
        _check_known(located, "person", persons)
        _check_known(located, "party", parties)
        _check_span(located)
    for located in tables["seats.csv"]:
        _check_known(located, "person", persons)
        _check_span(located)
    for located in tables["posts.csv"]:
        _check_known(located, "person", persons)
        _check_known(located, "cabinet", cabinets)
        _check_known(located, "ministry", ministries)
        _check_choice(located, "position", POSITIONS)
        _check_span(located)
    for located in tables["ministries.csv"]:
        _check_ministry(located)
    for located in tables["ministry-names.csv"]:
        _check_known(located, "code", ministries)
        if not located[0].name:
            raise located[1].fail("name is empty")
        _check_span(located)


def _unique_keys(rows: Iterable[Located], column: str) -> set[str]:
    seen: set[str] = set()
    for located in rows:
        value = getattr(located[0], column)
        if not value:
            raise located[1].fail(f"{column} is empty")
        if value in seen:
            raise located[1].fail(f"{column} {value!r} is not unique")
        seen.add(value)
    return seen


def _check_person(located: Located) -> None:
    person: Person = located[0]
    _check_pattern(located, "tk_id", _TK_ID)
    _check_pattern(located, "wikidata", _QID)
    _check_pattern(located, "parlement_id", _PARLEMENT_ID)
    expected = person.tk_id or person.wikidata or person.parlement_id
    if person.key != expected:
        raise located[1].fail(f"key {person.key!r} must be the first official identifier of tk_id, wikidata, parlement_id ({expected!r})")
    if not person.surname:
        raise located[1].fail("surname is empty")


def _check_ministry(located: Located) -> None:
    ministry: Ministry = located[0]
    _check_pattern(located, "code", _TOOI)
    if ministry.iri != _TOOI_IRI + ministry.code:
        raise located[1].fail(f"iri {ministry.iri!r} is not {_TOOI_IRI}{ministry.code}")
    _check_choice(located, "confidence", CONFIDENCES)
    _check_span(located)


def _check_pattern(located: Located, column: str, pattern: re.Pattern[str]) -> None:
    value = getattr(located[0], column)
    if value and not pattern.fullmatch(value):
        raise located[1].fail(f"{column} {value!r} is malformed")


def _check_choice(located: Located, column: str, choices: tuple[str, ...]) -> None:
    value = getattr(located[0], column)
    if value not in choices:
        raise located[1].fail(f"{column} {value!r} is not one of {', '.join(choices)}")


def _check_known(located: Located, column: str, keys: set[str]) -> None:
    value = getattr(located[0], column)
    for key in value if isinstance(value, tuple) else (value,) if value else ():
        if key not in keys:
            raise located[1].fail(f"{column} {key!r} is not in the reference")


def _check_span(located: Located, start: str = "start", end: str = "end") -> None:
    first, last = getattr(located[0], start), getattr(located[0], end)
    if first and last and first > last:
        raise located[1].fail(f"{_COLUMN.get(start, start)} {first} is after {_COLUMN.get(end, end)} {last}")


def index(tables: Tables) -> Reference:
    """The indexes over checked tables."""
    cabinet = {c.key: c for c in tables.cabinets}
    by_surname: dict[str, list[Person]] = {}
    for person in tables.persons:
        for key in surname_keys(f"{person.surname_prefix} {person.surname}"):
            by_surname.setdefault(key, []).append(person)
    aliases: dict[str, list[Party]] = {}
    for party in tables.parties:
        for alias in {party_alias(party.name), party_alias(party.abbreviation)} - {""}:
            aliases.setdefault(alias, []).append(party)
    labels: dict[str, list[MinistryName]] = {}
    for name in tables.ministry_names:
        labels.setdefault(ministry_label(name.name), []).append(name)
    seat_spans = _group((s.person, _span(s.start, s.end)) for s in tables.seats)
    post_spans = _group((p.person, (_post_span(p, cabinet[p.cabinet]), p)) for p in tables.posts)
    as_of = tables.meta.as_of.toordinal()
    active = {k for k, spans in seat_spans.items() if any(a <= as_of <= b for a, b in spans)}
    active |= {k for k, spans in post_spans.items() if any(a <= as_of <= b for (a, b), _ in spans)}
    return Reference(
        tables=tables,
        person={p.key: p for p in tables.persons},
        party={p.key: p for p in tables.parties},
        cabinet=cabinet,
        ministry={m.code: m for m in tables.ministries},
        persons_by_surname={k: tuple(v) for k, v in by_surname.items()},
        parties_by_alias={k: tuple(v) for k, v in aliases.items()},
        names_by_label={k: tuple(v) for k, v in labels.items()},
        seat_spans=seat_spans,
        post_spans=post_spans,
        membership_spans=_group((m.person, (m.party, _span(m.start, m.end))) for m in tables.memberships),
        active_at_as_of=frozenset(active),
    )


def ministry_label(name: str) -> str:
    """A ministry name as documents print it in an office: lower case, without `ministerie van`."""
    label = normalise(name)
    for lead in ("ministerie van ", "van "):
        label = label.removeprefix(lead)
    return label


def _span(start: date | None, end: date | None) -> Span:
    return (start.toordinal() if start else OPEN_START, end.toordinal() if end else OPEN_END)


def _post_span(post: Post, cabinet: Cabinet) -> Span:
    return _span(post.start or cabinet.formed, post.end or cabinet.dissolved)


def _group(pairs: Iterable[tuple[str, Any]]) -> dict[str, tuple[Any, ...]]:
    grouped: dict[str, list[Any]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return {k: tuple(v) for k, v in grouped.items()}
