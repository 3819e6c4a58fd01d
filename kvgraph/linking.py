"""Linking one parsed Kamervraag to the reference: who each printed person, party and ministry is.

Sits between parsing and mapping and knows nothing of RDF: the mapping mints IRIs from what
this returns, and the warnings join the document's diagnostics. The matching itself is
kvgraph.reconcile (precision first); this module applies it to a document, with the document's
dates: a submitter is judged on the submission date, an answerer on the answer date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from . import reconciliation
from .model import Diagnostic, Kamervraag, Person, Role
from .reference import BUNDLED, Ministry, Party, Reference, load
from .reference import Person as ReferencePerson

# The post that belongs to Algemene Zaken when the document names no ministry for it: the
# minister-president heads it. A viceminister-president heads another ministry, printed beside.
_GENERAL_AFFAIRS_POSTS = frozenset({"minister-president"})
GENERAL_AFFAIRS = "mnre1010"


@dataclass(frozen=True, slots=True)
class PersonLink:
    """A printed person: the reference person (None: not linked) and the party or fractie."""

    person: ReferencePerson | None
    party: Party | None
    ministries: tuple[Ministry | None, ...]  # one per printed office, in order


@dataclass(frozen=True, slots=True)
class Links:
    submitters: tuple[PersonLink, ...]
    answerers: tuple[PersonLink, ...]


@lru_cache(maxsize=4)
def reference_for(folder: str | None) -> Reference:
    """The bundled reference, or the one in `folder` (`--reference DIR`); loaded once per process,
    which also keeps reconciliation's caches (keyed on the reference) warm."""
    return load(Path(folder) if folder else None)


def reference_digest(folder: str | None) -> str:
    """A digest of the reference's files: a store or output folder made with other reference data
    is converted again, as with other settings."""
    digest = hashlib.sha256()
    for path in sorted((Path(folder) if folder else BUNDLED).glob("*.csv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def link(kv: Kamervraag, reference: Reference) -> tuple[Links, list[Diagnostic]]:
    """Every printed person of `kv` linked where exactly one reference person fits; warnings for
    ambiguous persons and unknown ministries."""
    warnings: list[Diagnostic] = []
    persons = [_person(reference, kv, person, role, day, warnings) for role, person, day in mentions(kv)]
    count = len(kv.submitters)
    return Links(tuple(persons[:count]), tuple(persons[count:])), warnings


def mentions(kv: Kamervraag) -> Iterator[tuple[str, Person, date]]:
    """Each printed person with their role and the day they are judged on: a submitter on the
    submission date, an answerer on the answer date (the submission date while unanswered)."""
    yield from (("indiener", person, kv.submitted) for person in kv.submitters)
    yield from (("beantwoorder", person, kv.answered or kv.submitted) for person in kv.answerers)


def _person(reference: Reference, kv: Kamervraag, person: Person, role: str, day: date,
            warnings: list[Diagnostic]) -> PersonLink:
    offices = tuple(r.text for r in person.roles)
    match = reconciliation.reconcile(reference, person.name, person.party, role, offices, day)
    if match.status == "ambiguous":
        names = "; ".join(_described(c) for c in match.candidates)
        warnings.append(Diagnostic(kv.source.path, person.line, "warning", "ambiguous-person",
                                   f"{person.name!r} fits {len(match.candidates)} persons of the reference on "
                                   f"{day.isoformat()}: {names}; not linked"))
    party = reconciliation.party(reference, person.party, day) if person.party else None
    ministries = tuple(_ministry(reference, kv, person, office, day, warnings) for office in person.roles)
    return PersonLink(match.person, party, ministries)


def _ministry(reference: Reference, kv: Kamervraag, person: Person, office: Role, day: date,
              warnings: list[Diagnostic]) -> Ministry | None:
    if office.ministry is None:
        return reference.ministry.get(GENERAL_AFFAIRS) if office.position in _GENERAL_AFFAIRS_POSTS else None
    code = reconciliation.ministry(reference, office.ministry, day)
    if code is None:
        warnings.append(Diagnostic(kv.source.path, person.line, "warning", "unknown-ministry",
                                   f"ministry {office.ministry!r} (office {office.text!r}) is not one TOOI ministry "
                                   f"of the reference on {day.isoformat()}; not linked"))
        return None
    return reference.ministry[code]


def _described(person: ReferencePerson) -> str:
    ids = ", ".join(i for i in (person.wikidata, person.tk_id) if i)
    born = f", born {person.birthdate.isoformat()}" if person.birthdate else ""
    return f"{person.name} ({ids}{born})"
