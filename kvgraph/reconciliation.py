"""Reconciliation: which reference person, party or ministry a printed name stands for.

Precision first: a wrong link says something false about a real person, a missing one only
leaves a gap, so a mention is linked when exactly one reference person fits it and the evidence
that they fit is positive. The rules, and why, are in docs/reference.md. Everything here is pure
and cached: conversion reconciles the same few thousand names in document after document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal, NamedTuple

from kvgraph.reference import (
    LINKABLE_CONFIDENCES,
    OPEN_END,
    OPEN_START,
    POSITIONS,
    Ministry,
    Party,
    Person,
    Reference,
    Span,
    ministry_label,
    normalise,
    party_alias,
    surname_keys,
)

Status = Literal["linked", "ambiguous", "unknown"]
ROLES = ("indiener", "beantwoorder")

# Surname particles: a name part ending in one of these belongs to the surname that follows.
PARTICLES = frozenset("van de der den het 't ter ten te in op aan uit von zu du des le la el".split())
_INITIALS = re.compile(r"(?:[a-z]{1,3}\.)+")
_POSITIONS = sorted(POSITIONS, key=len, reverse=True)  # `minister zonder portefeuille` before `minister`
# Nobody holds a seat or a post this young or this old: records of people born long ago (or not
# yet of age) on the day of the document cannot be theirs.
AGES = range(18, 101)

# How a candidate's records fit the role on the day.
FITS = "fits"  # a seat or post covers the day
POSSIBLE = "possible"  # after the reference date, and they held a seat or post on that date
UNKNOWN = "unknown"  # outside the period the records cover completely, and none covers the day
CONTRADICTS = "contradicts"  # inside that period, and none covers the day


@dataclass(frozen=True, slots=True)
class Match:
    """The outcome for one printed person.

    `person` is set only when linked. `candidates` are the reference persons the mention still
    fits: two or more when ambiguous; when unknown, none, or one the evidence does not confirm."""

    status: Status
    person: Person | None
    candidates: tuple[Person, ...]
    reason: str


@lru_cache(maxsize=1 << 16)
def reconcile(reference: Reference, name: str, party: str | None, role: str, offices: tuple[str, ...], day: date) -> Match:
    """The reference person a printed mention stands for, if exactly one fits.

    `name` as printed (full name or surname only), `party` as printed or None, `role` is
    `indiener` (an MP who submitted) or `beantwoorder` (a member of government who answered),
    `offices` the printed role texts (`minister financiën`; empty for MPs), `day` the document's
    date. A candidate is ruled out by a name that does not fit, an age no MP or minister has, no
    seat (indiener) or post (beantwoorder) on a day the records cover completely, or a printed
    party they were not a member of that day. Of one remaining candidate, the link needs a seat or
    post that covers the day; after the reference date, which no record covers, a full name or an
    office they held on that date. Of several, the one who held a printed office is linked."""
    if role not in ROLES:
        raise ValueError(f"role {role!r} is not one of {', '.join(ROLES)}")
    accepted = _accepted(reference, found.key) if (found := _party(reference, party, day)) else None
    ordinal, meta = day.toordinal(), reference.tables.meta
    complete = (meta.seats_from if role == "indiener" else meta.posts_from).toordinal(), meta.as_of.toordinal()
    remaining: list[tuple[Person, bool, str]] = []
    for candidate in _candidates(reference, name, role):
        if not candidate.ages[0] <= ordinal <= candidate.ages[1]:
            continue
        fit = _role_fit(candidate, ordinal, complete)
        if fit != CONTRADICTS and _party_fits(candidate, accepted, ordinal):
            remaining.append((candidate.person, candidate.full_name, fit))
    if not remaining:
        return Match("unknown", None, (), "no one in the reference fits")
    if len(remaining) > 1:
        holders = [person for person, _, _ in remaining if _held_office(reference, person.key, offices, day)]
        if len(holders) == 1:
            return Match("linked", holders[0], (holders[0],), f"the one of {len(remaining)} candidates who held this office")
        return Match("ambiguous", None, tuple(p for p, _, _ in remaining), f"{len(remaining)} candidates fit")
    person, full_name, fit = remaining[0]
    if fit == FITS:
        return Match("linked", person, (person,), f"the one candidate with a {_RECORD[role]} that day")
    if fit == POSSIBLE and full_name:
        return Match("linked", person, (person,), "full name; in office at the reference date")
    if fit == POSSIBLE and _held_office(reference, person.key, offices, day):
        return Match("linked", person, (person,), "held this office at the reference date")
    if fit == POSSIBLE:
        why = "after the reference date a surname alone confirms no one"
    elif day > reference.as_of:
        why = "after the reference date, and in no seat or post on it"
    else:
        why = f"the {_RECORD[role]}s on record are incomplete before that day, and none covers it"
    return Match("unknown", None, (person,), f"one candidate, not confirmed: {why}")


_RECORD = {"indiener": "Tweede Kamer seat", "beantwoorder": "government post"}


def party(reference: Reference, printed: str | None, day: date) -> Party | None:
    """The party or group a printed name or abbreviation stands for on `day` (`GL`, `GroenLinks`,
    `CU`, `50PLUS`), or None when the reference has none or more than one that existed then."""
    return _party(reference, printed, day)


def _party(reference: Reference, printed: str | None, day: date) -> Party | None:
    found = [p for p in _parties_named(reference, printed) if _within(day, p.founded, p.dissolved)]
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=4096)
def _parties_named(reference: Reference, printed: str | None) -> tuple[Party, ...]:
    return reference.parties_by_alias.get(party_alias(printed), ()) if printed else ()


def ministry(reference: Reference, printed: str, day: date) -> str | None:
    """The TOOI code of a ministry as an office prints it (`justitie en veiligheid`,
    `veiligheid en justitie`), or None when no ministry or more than one fits, or its code is
    supported by one source only (confidence `low`)."""
    found = resolve_ministry(reference, printed, day)
    return found.code if found and found.confidence in LINKABLE_CONFIDENCES else None


@lru_cache(maxsize=4096)
def resolve_ministry(reference: Reference, printed: str, day: date) -> Ministry | None:
    """The ministry a printed name meant on `day`, whatever the confidence of its code.

    First the ministry that carried the name on that day; failing that, the one ministry that
    existed on that day and carried the name at some time, since documents and openkamer keep
    old names (`economische zaken` for Economische Zaken en Klimaat in 2018), while a ministry
    that did not yet or no longer exist cannot be meant."""
    names = reference.names_by_label.get(ministry_label(printed), ())
    codes = {n.code for n in names if _within(day, n.start, n.end)}
    if not codes:
        codes = {n.code for n in names if _within(day, reference.ministry[n.code].start, reference.ministry[n.code].end)}
    return reference.ministry[codes.pop()] if len(codes) == 1 else None


def _within(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


class _Candidate(NamedTuple):
    """A person a printed name can be, with what the checks on a day need."""

    person: Person
    full_name: bool  # a printed forename or initials fit, not just the surname
    ages: Span  # the days of the years in which they were 18 to 100
    spans: tuple[Span, ...]  # seats for an indiener, posts for a beantwoorder
    memberships: tuple[tuple[str, Span], ...]
    active: bool  # in a seat or post at the reference date


@lru_cache(maxsize=1 << 14)
def _candidates(reference: Reference, name: str, role: str) -> tuple[_Candidate, ...]:
    seats = role == "indiener"
    return tuple(
        _Candidate(
            person,
            full_name,
            _ages(person.birthdate),
            reference.seat_spans.get(person.key, ()) if seats else tuple(s for s, _ in reference.post_spans.get(person.key, ())),
            reference.membership_spans.get(person.key, ()),
            person.key in reference.active_at_as_of,
        )
        for person, full_name in _by_name(reference, name)
    )


def _ages(birthdate: date | None) -> Span:
    if birthdate is None:
        return OPEN_START, OPEN_END
    return date(birthdate.year + AGES.start, 1, 1).toordinal(), date(birthdate.year + AGES.stop - 1, 12, 31).toordinal()


@lru_cache(maxsize=1 << 14)
def _by_name(reference: Reference, name: str) -> tuple[tuple[Person, bool], ...]:
    """Persons the printed name can be, each with whether a forename or initials confirmed it.

    Every split of the words into a forename part and a surname is tried, so `Piet Hein Donner`,
    `Hanneke van der Werf` and `Van der Werf` need no list of forenames. A forename part ending
    in a particle is no split (the particle belongs to the surname), nor is a surname starting
    with initials: `Th.B. Bijleveld-Schouten` is not someone whose surname has a part `Schouten`."""
    words = normalise(name).split()
    found: dict[str, tuple[Person, bool]] = {}
    for cut in range(len(words)):
        if cut and words[cut - 1] in PARTICLES or _INITIALS.fullmatch(words[cut]):
            continue
        forename = words[:cut]
        for key in _surname_keys(words[cut:]):
            for person in reference.persons_by_surname.get(key, ()):
                if not forename:
                    found.setdefault(person.key, (person, False))
                elif _forename_fits(forename, person):
                    found[person.key] = (person, True)
    return tuple(found[k] for k in sorted(found))


def _surname_keys(surname: list[str]) -> tuple[str, ...]:
    """The keys a surname is looked up by: the whole, and the parts of a double surname only when
    the words before the double name are particles. Otherwise `Wopke den Ceder-Hermans`, read as
    a surname without forename, would reach every Hermans as a surname-only mention."""
    keys = surname_keys(" ".join(surname))
    return keys if all(word in PARTICLES for word in surname[:-1]) else keys[:1]


def _forename_fits(printed: list[str], person: Person) -> bool:
    """Printed initials must begin the person's initials; a printed forename must begin their
    forename or be begun by it (`Jan` / `Jan Jacob`, `Henk Jan` / `Henk`)."""
    if all(_INITIALS.fullmatch(word) for word in printed):
        letters = _initial_letters(" ".join(printed))
        known = _initial_letters(normalise(person.initials)) or [w[0] for w in _forename_words(person.forename)]
        return known[: len(letters)] == letters
    words = _forename_words(" ".join(printed))
    known_words = _forename_words(person.forename)
    if known_words:
        return known_words[: len(words)] == words or words[: len(known_words)] == known_words
    return _initial_letters(normalise(person.initials))[:1] == [words[0][0]]


def _initial_letters(initials: str) -> list[str]:
    return [part[0] for part in initials.split(".") if part.strip()]


def _forename_words(forename: str) -> list[str]:
    return normalise(forename).replace("-", " ").split()


def _role_fit(candidate: _Candidate, day: int, complete: Span) -> str:
    """How the candidate's seats or posts fit the day, given the days they are complete for."""
    if day > complete[1]:
        return POSSIBLE if candidate.active else UNKNOWN
    for start, end in candidate.spans:
        if start <= day <= end:
            return FITS
    return CONTRADICTS if day >= complete[0] else UNKNOWN


def _party_fits(candidate: _Candidate, accepted: frozenset[str] | None, day: int) -> bool:
    """False only when the printed party is known and the person has party records, none of
    them in that party (or a party it continues) on the day. An undated membership may hold on
    any day; a person without any party record cannot be contradicted."""
    if accepted is None or not candidate.memberships:
        return True
    for party_key, (start, end) in candidate.memberships:
        if party_key in accepted and start <= day <= end:
            return True
    return False


@lru_cache(maxsize=1024)
def _accepted(reference: Reference, key: str) -> frozenset[str]:
    """A party and every party it continues, however far back: a member of GroenLinks is in
    the GroenLinks-PvdA group when a reference says the one succeeds the other."""
    accepted, todo = set(), [key]
    while todo:
        current = todo.pop()
        if current not in accepted:
            accepted.add(current)
            todo.extend(reference.party[current].successor_of)
    return frozenset(accepted)


def _held_office(reference: Reference, key: str, offices: tuple[str, ...], day: date) -> bool:
    """Whether a printed office is a post the person held on the day (after the reference date:
    on that date): the same position, and the same ministry when the office names one."""
    on = min(day, reference.as_of).toordinal()
    held = [post for (start, end), post in reference.post_spans.get(key, ()) if start <= on <= end]
    for office in offices:
        position, label = _office(office)
        code = ministry(reference, label, day) if label else None
        if position and (not label or code) and any(p.position == position and (not label or p.ministry == code) for p in held):
            return True
    return False


def _office(printed: str) -> tuple[str, str]:
    """Position and ministry name of a printed office (`minister zonder portefeuille financiën`);
    ('', '') when it starts with no known position."""
    text = normalise(printed)
    for position in _POSITIONS:
        if text == position or text.startswith(position + " "):
            return position, text[len(position) :].strip()
    return "", ""
