"""Derive the bundled reference tables (`kvgraph/data/reference/`) from public sources.

    python -m kvgraph.reference.build [SOURCE]

SOURCE (default: `../shared/reference` next to the repository) holds openkamer's Django
fixtures (`openkamer/person.json`, `parliament.json`, `government.json`; MIT licence, data as of
December 2019) and `tooi-ministries.csv`. The same sources give the same bytes (rows sorted,
`\\n` line ends, UTF-8), so tests can rebuild the bundle and compare. The decisions taken on the
way (stubs, shared GUIDs, name corrections, dropped rows) are written to `SOURCES.md`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kvgraph import reconciliation
from kvgraph.reference import (
    BUNDLED,
    FILES,
    FORMAT,
    META_FILE,
    Cabinet,
    Membership,
    Meta,
    Ministry,
    MinistryName,
    Party,
    Person,
    Post,
    Reference,
    Seat,
    Tables,
    cells,
    columns,
    index,
)

DEFAULT_SOURCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
SOURCE_FILES = (
    "openkamer/person.json",
    "openkamer/parliament.json",
    "openkamer/government.json",
    "openkamer/LICENSE.md",
    "tooi-ministries.csv",
)
FULL_CHAMBER = 150  # seats in the Tweede Kamer since 1956

POSITIONS = {
    "MIN": "minister",
    "MWP": "minister zonder portefeuille",
    "SOS": "staatssecretaris",
    "PMI": "minister-president",
    "DPM": "viceminister-president",
}
# The posts of minister-president and viceminister-president belong to Algemene Zaken.
ALGEMENE_ZAKEN = "mnre1010"

# openkamer splits these names wrongly between forename, particle and surname (a surname part in
# the forename, a forename in the surname, initials or a year as a name). Keyed by Parlement.com
# id; each checked against the person's initials and, where there is one, their other record in
# the source (Van Kooten-Arissen: the stub with her initials and the party named after her).
NAME_CORRECTIONS: dict[str, tuple[str, str, str]] = {
    "vg9fgopqdwzc": ("Melanie", "", "Schultz van Haegen"),
    "vijdmkvn4uz4": ("Marlies", "", "Veldhuijzen van Zanten"),
    "vhdf1dj5aqze": ("Elly", "", "Blanksma-van den Heuvel"),
    "vk97m91qbtq9": ("Zohair", "", "El Yassini"),
    "vk98n24xi0ik": ("Femke Merel", "van", "Kooten-Arissen"),
    "vg9fgopy94xz": ("Henk Jan", "", "Ormel"),
    "vg09llmwu7y9": ("Frits", "", "Korthals Altes"),
    "vg09llm67fy8": ("Ans", "", "Willemse-van der Ploeg"),
    "vg09llmdldyt": ("Marijke", "", "Wuthrich-van der Vlist"),
    "vg09ll1yyez8": ("Jan Hendrik", "", "Jansen"),
    "vg09llmhvczc": ("René", "", "Toussaint"),
    "vg09ll98m9zw": ("", "", "Stapelkamp"),
    "vg09ll238dpn": ("", "", "Juten"),
    "vg09ll2pl7q9": ("", "", "Lasonder"),
    "vg09ll3yhtz8": ("", "", "Otto"),
    "vg09ll24edps": ("", "", "Kampschöer"),
    "vg09ll1l5jzs": ("Nicolaas", "van", "Heloma"),
    "vg09ll7jrrzf": ("Jan Elias Nicolaas", "", "Schimmelpenninck van der Oye"),
    "vg09lltht9z1": ("Johann Joseph", "", "Faber"),
    "vg09llshgksv": ("Anthony", "", "Hoynck van Papendrecht"),
    "vg09ll1uogw0": ("Anthony", "", "Hoynck van Papendrecht"),
    "vg09llss5gzw": ("Arnoldus Josephus", "", "Ingenhousz"),
    "vg09ll1hukzb": ("Jan Frederik", "", "Heemskerk"),
    "vg09ll36p2y9": ("Evert", "du", "Marchie van Voorthuysen"),
    "vg09lkxehrzv": ("Herman Agatho", "des", "Amorie van der Hoeven"),
    "vg09ll0givy5": ("Adriaan Walraven", "", "Engelen"),
    "vg09lkyoder5": ("Willem Gerard", "", "Brantsen van de Zijp"),
    "vg09ll18bmv8": ("Herman Frederik", "", "Groen van Waarder"),
    "vg09lkxwrmxl": ("Isaäc Lambertus", "", "Cremer van den Berch van Heemstede"),
    "vg09ll0s6rz8": ("Isaäc Dignus", "", "Fransen van de Putte"),
    "vg09llvt7kyw": ("Joachim", "", "Nuhout van der Veen"),
    "vg09llc9hdu0": ("Jan Willem Jacobus", "de", "Vos van Steenwijk"),
    "vg09lkxgmr2m": ("Hendrik Jan", "", "Ankersmit"),
    "vg09ll8fniyf": ("Cornelis Jacob", "", "Sickesz"),
    "vg09ll0mxtyq": ("Johannes Josephus", "", "Fens"),
    "vg09ll0givy6": ("Willem Engelbart", "", "Engelen"),
    "vg09ll07yxxj": ("Herman Jacob", "", "Dijckmeester"),
    "vg09llss5gzv": ("Otto Paulus", "", "Groeninx van Zoelen"),
    "vg09ll0ubrze": ("Wilhelmus Jacobus Mattheüs Christianus", "", "Friesen"),
    "vg09lkzs12d1": ("Isaäc Arend", "", "Diepenhorst"),
    "vg09lla1e0x6": ("Johannes", "", "Tak van Poortvliet"),
    "vg09ll4qalw1": ("Adriaan Louis", "", "Poelman"),
    "vg09lltqd6uv": ("Yves Joseph", "", "Poullet"),
    "vg09llrw9r00": ("Charles Frederik Joseph", "de", "Keverberg van Kessel"),
    "vg09llss5gzq": ("Jeremias Cornelis", "", "Faber van Riemsdijk"),
    "vg09llsuagcx": ("Frederik Bernard", "", "s'Jacob"),
    "vg09llt74cuk": ("Joan Nicolaas Josef", "", "Heerkens"),
    "vg09lls6ynwu": ("Andries Adolf", "", "Deutz van Assendelft"),
    "vg09llr4gyyc": ("Hendrik Edzens", "", "Hagenouw Brongers"),
}

_FORMER_NAME = re.compile(r"(?P<name>.+) \((?P<start>\d{4}-\d{2}-\d{2})?\.\.(?P<end>\d{4}-\d{2}-\d{2})?\)")


@dataclass
class Notes:
    """What the build decided, for SOURCES.md."""

    stubs: int = 0
    shared_tk_ids: list[str] = field(default_factory=list)
    shared_wikidata: list[str] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)
    without_identifier: list[str] = field(default_factory=list)
    dropped_seats: list[str] = field(default_factory=list)
    post_starts_dropped: list[str] = field(default_factory=list)
    party_wikidata_dropped: list[str] = field(default_factory=list)


def main(argv: list[str] | None = None) -> int:
    """Build the bundle from SOURCE into the package; print a one-line summary."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or args and args[0].startswith("-"):
        print("usage: python -m kvgraph.reference.build [SOURCE]", file=sys.stderr)
        return 2
    source = Path(args[0]) if args else DEFAULT_SOURCE
    if missing := [name for name in SOURCE_FILES if not (source / name).is_file()]:
        print(f"{source}: no {', '.join(missing)} (give the folder of the reference sources)", file=sys.stderr)
        return 1
    tables, notes = derive(source)
    files = write(tables, notes, source, BUNDLED)
    size = sum((BUNDLED / name).stat().st_size for name in files)
    print(
        f"{len(tables.persons)} persons, {len(tables.parties)} parties, {len(tables.posts)} posts, "
        f"{len(tables.ministries)} ministries: {len(files)} files, {size:,} bytes in {BUNDLED}"
    )
    return 0


def derive(source: Path) -> tuple[Tables, Notes]:
    """The tables and the decisions taken, from the sources in `source`."""
    notes = Notes()
    person = _fixture(source / "openkamer" / "person.json")["person.person"]
    parliament = _fixture(source / "openkamer" / "parliament.json")
    government = _fixture(source / "openkamer" / "government.json")
    persons, person_key = _persons(person, notes)
    parties = _parties(parliament["parliament.politicalparty"], notes)
    seats = _seats(parliament["parliament.parliamentmember"], person_key, notes)
    as_of = max(date.fromisoformat(p["datetime_updated"][:10]) for p in person.values())
    cabinets = _cabinets(government["government.government"])
    ministries, names = _ministries(source / "tooi-ministries.csv")
    meta = Meta(FORMAT, as_of, _seats_from(seats), min(c.formed for c in cabinets.values() if c.formed))
    only_ministries = index(Tables(meta, (), (), (), (), (), (), ministries, names))
    tables = Tables(
        meta=meta,
        persons=persons,
        parties=tuple(parties.values()),
        memberships=_memberships(parliament["parliament.partymember"], person_key, parties),
        seats=seats,
        cabinets=tuple(cabinets.values()),
        posts=_posts(government, person_key, cabinets, only_ministries, notes),
        ministries=ministries,
        ministry_names=names,
    )
    return tables, notes


def _fixture(path: Path) -> dict[str, dict[int, dict[str, Any]]]:
    """A Django fixture as {model: {pk: fields}}."""
    models: dict[str, dict[int, dict[str, Any]]] = {}
    for item in json.loads(path.read_text("utf-8")):
        models.setdefault(item["model"], {})[item["pk"]] = item["fields"]
    return models


def _once(values: Iterable[str]) -> set[str]:
    """The non-empty values that occur exactly once: an identifier two records share is no one's."""
    return {value for value, count in Counter(v for v in values if v).items() if count == 1}


def _persons(raw: dict[int, dict[str, Any]], notes: Notes) -> tuple[tuple[Person, ...], dict[int, str]]:
    """Persons keyed by their first identifier of their own, and openkamer's pk -> key.

    Stubs (no forename) are left out: they have no GUID and no Parlement.com id, some carry a
    Wikidata id of something else entirely (Q801 is Israel), none has a seat, party or post, and
    the real people among them have a full record of their own. A GUID or QID that two records
    share is dropped from both, since it cannot be told whose it is."""
    full = {pk: f for pk, f in raw.items() if f["forename"].strip()}
    notes.stubs = len(raw) - len(full)
    own = {column: _once(f[column] for f in full.values()) for column in ("tk_id", "wikidata_id", "parlement_and_politiek_id")}
    persons, keys = [], {}
    for pk, f in sorted(full.items()):
        tk_id, wikidata, parlement_id = (f[c] if f[c] in own[c] else "" for c in own)
        forename, prefix, surname = _name(f, notes)
        if f["tk_id"] and not tk_id:
            notes.shared_tk_ids.append(f"{f['tk_id']}: {forename} {prefix} {surname} ({f['birthdate']})".replace("  ", " "))
        if f["wikidata_id"] and not wikidata:
            notes.shared_wikidata.append(f"{f['wikidata_id']}: {forename} {surname}")
        key = tk_id or wikidata or parlement_id
        if not key:
            notes.without_identifier.append(f"{forename} {prefix} {surname}".replace("  ", " "))
            continue
        birthdate = date.fromisoformat(f["birthdate"]) if f["birthdate"] else None
        persons.append(Person(key, forename, prefix, surname, f["initials"], birthdate, tk_id, wikidata, parlement_id))
        keys[pk] = key
    return tuple(persons), keys


def _name(f: dict[str, Any], notes: Notes) -> tuple[str, str, str]:
    """Forename, particle and surname, corrected where openkamer splits them wrongly."""
    given = (f["forename"].strip(), f["surname_prefix"].strip(), f["surname"].strip())
    corrected = NAME_CORRECTIONS.get(f["parlement_and_politiek_id"], given)
    if corrected != given:
        notes.corrections.append(f"{' | '.join(given)} -> {' | '.join(corrected)}")
    return corrected


def _parties(raw: dict[int, dict[str, Any]], notes: Notes) -> dict[int, Party]:
    own = _once(f["wikidata_id"] for f in raw.values())
    parties = {}
    for pk, f in sorted(raw.items()):
        if f["wikidata_id"] and f["wikidata_id"] not in own:
            notes.party_wikidata_dropped.append(f"{f['name']} ({f['wikidata_id']})")
        wikidata = f["wikidata_id"] if f["wikidata_id"] in own else ""
        parties[pk] = Party(f["slug"], f["name"], f["name_short"], _day(f["founded"]), _day(f["dissolved"]), wikidata, ())
    return parties


def _memberships(raw: dict[int, dict[str, Any]], person_key: dict[int, str], parties: dict[int, Party]) -> tuple[Membership, ...]:
    """Party memberships of bundled persons; repeated rows once."""
    rows = {
        Membership(person_key[f["person"]], parties[f["party"]].key, _day(f["joined"]), _day(f["left"]))
        for f in raw.values()
        if f["person"] in person_key
    }
    return tuple(rows)


def _seats(raw: dict[int, dict[str, Any]], person_key: dict[int, str], notes: Notes) -> tuple[Seat, ...]:
    """Tweede Kamer seats. A seat with no dates at all would fit every day and one that ends
    before it starts fits none; both are left out."""
    seats = set()
    for f in raw.values():
        if f["person"] not in person_key:
            continue
        seat = Seat(person_key[f["person"]], _day(f["joined"]), _day(f["left"]))
        if seat.start is None and seat.end is None or seat.start and seat.end and seat.start > seat.end:
            notes.dropped_seats.append(f"{seat.person}: {f['joined']}..{f['left']}")
            continue
        seats.add(seat)
    return tuple(seats)


def _seats_from(seats: tuple[Seat, ...]) -> date:
    """The first day the seats fill a whole chamber: from then on a missing seat is a fact."""
    for day in sorted({s.start for s in seats if s.start}):
        if sum(1 for s in seats if (s.start or date.min) <= day <= (s.end or date.max)) >= FULL_CHAMBER:
            return day
    raise ValueError("the seats never fill a chamber")


def _cabinets(raw: dict[int, dict[str, Any]]) -> dict[int, Cabinet]:
    return {
        pk: Cabinet(f["slug"], f["name"], _day(f["date_formed"]), _day(f["date_dissolved"]), f["wikidata_id"])
        for pk, f in sorted(raw.items())
    }


def _posts(
    government: dict[str, dict[int, dict[str, Any]]],
    person_key: dict[int, str],
    cabinets: dict[int, Cabinet],
    reference: Reference,
    notes: Notes,
) -> tuple[Post, ...]:
    """Government posts, each with the TOOI code of the ministry its name meant on its first day.

    A start after the end (one post in the source) is dropped, so the cabinet's start applies."""
    ministries = government["government.ministry"]
    positions = government["government.governmentposition"]
    posts = []
    for f in government["government.governmentmember"].values():
        position = positions[f["position"]]
        cabinet = cabinets[position["government"]]
        start, end = _day(f["start_date"]), _day(f["end_date"])
        if start and end and start > end:
            notes.post_starts_dropped.append(f"{person_key[f['person']]} {cabinet.name}: {start}..{end}")
            start = None
        kind = POSITIONS[position["position"]]
        if kind in ("minister-president", "viceminister-president"):
            code = ALGEMENE_ZAKEN
        elif position["ministry"] is None:
            code = ""
        else:
            found = reconciliation.resolve_ministry(reference, ministries[position["ministry"]]["name"], start or cabinet.formed)
            code = found.code if found else ""
        posts.append(Post(person_key[f["person"]], cabinet.key, kind, code, position["extra_info"], start, end))
    return tuple(posts)


def _ministries(path: Path) -> tuple[tuple[Ministry, ...], tuple[MinistryName, ...]]:
    """Ministries and every name each carried: the former names with their periods, then the
    current name from the day after the last former one ended."""
    ministries, names = [], []
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            code = row["code"]
            start, end = _day(row["exists_from"]), _day(row["exists_to"])
            ministries.append(Ministry(code, row["iri"], row["name"], row["abbreviation"], start, end, row["confidence"], row["note"]))
            former = [_former_name(code, text) for text in row["former_names"].split(";") if text.strip()]
            names.extend(former)
            current_start = max((n.end for n in former if n.end), default=None)
            current = row["name"].removeprefix("ministerie van ")
            names.append(MinistryName(code, current, current_start + timedelta(days=1) if current_start else start, end))
    return tuple(ministries), tuple(names)


def _former_name(code: str, text: str) -> MinistryName:
    match = _FORMER_NAME.fullmatch(text.strip())
    if not match:
        raise ValueError(f"tooi-ministries.csv: {code}: cannot read former name {text.strip()!r}")
    return MinistryName(code, match["name"], _day(match["start"]), _day(match["end"]))


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def table_bytes(rows: Iterable[Any], row_type: type) -> bytes:
    """One table as CSV: header, then rows sorted by their cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns(row_type))
    writer.writerows(sorted(cells(row) for row in rows))
    return out.getvalue().encode("utf-8")


def meta_bytes(meta: Meta) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("key", "value"))
    writer.writerows(zip((f.name for f in fields(meta)), cells(meta), strict=True))
    return out.getvalue().encode("utf-8")


def tables_bytes(tables: Tables) -> dict[str, bytes]:
    """Every table file of a reference folder, by file name."""
    files = {META_FILE: meta_bytes(tables.meta)}
    for (name, row_type), table in zip(FILES.items(), fields(Tables)[1:], strict=True):
        files[name] = table_bytes(getattr(tables, table.name), row_type)
    return files


def write(tables: Tables, notes: Notes, source: Path, out: Path) -> list[str]:
    """Write the tables, SOURCES.md and openkamer's licence notice; the names of the files written."""
    out.mkdir(parents=True, exist_ok=True)
    files = tables_bytes(tables)
    files["SOURCES.md"] = sources_md(tables, notes).encode("utf-8")
    files["openkamer-LICENSE.md"] = (source / "openkamer" / "LICENSE.md").read_bytes()
    for name, data in files.items():
        (out / name).write_bytes(data)
    return list(files)


def sources_md(tables: Tables, notes: Notes) -> str:
    """What each file is, where it comes from and what the build decided."""
    counts = {
        "persons.csv": len(tables.persons),
        "parties.csv": len(tables.parties),
        "party-memberships.csv": len(tables.memberships),
        "seats.csv": len(tables.seats),
        "cabinets.csv": len(tables.cabinets),
        "posts.csv": len(tables.posts),
        "ministries.csv": len(tables.ministries),
        "ministry-names.csv": len(tables.ministry_names),
    }
    what = {
        "persons.csv": "MPs and members of government: name parts, birthdate, TK Persoon GUID, Wikidata QID, Parlement.com id",
        "parties.csv": "parties and parliamentary groups (openkamer does not tell them apart): names, founded, dissolved, Wikidata",
        "party-memberships.csv": "who was a member of which party, with dates where known",
        "seats.csv": "Tweede Kamer seats with dates",
        "cabinets.csv": "cabinets Balkenende III to Rutte III: formed, dissolved, Wikidata",
        "posts.csv": "government posts: position, TOOI code of the ministry, portfolio, dates",
        "ministries.csv": "ministries: TOOI code and IRI, official name, abbreviation, existence, confidence of the code",
        "ministry-names.csv": "every name each ministry carried, with its period",
    }
    meta = tables.meta
    lines = [
        "# Bundled reference data",
        "",
        "Generated by `python -m kvgraph.reference.build` from the sources in `../shared/reference/`; do not",
        "edit by hand. The format is described in `docs/reference.md`; a folder in the same format can replace",
        "this one (`--reference DIR`).",
        "",
        "| file | rows | what |",
        "|---|---|---|",
        f"| `{META_FILE}` | 4 | format version; `as_of` {meta.as_of}; seats complete from {meta.seats_from}, "
        f"posts from {meta.posts_from} |",
        *(f"| `{name}` | {counts[name]} | {what[name]} |" for name in FILES),
        "",
        "## Sources and licences",
        "",
        "- Persons, parties, memberships, seats, cabinets and posts: openkamer's Django fixtures (`website/fixtures/`",
        f"  of github.com/openkamer/openkamer), data as of December 2019 (records last updated {meta.as_of}).",
        "  MIT licence, copyright (c) 2016 The openkamer contributors: see `openkamer-LICENSE.md`, kept with the",
        "  derived tables as the licence asks. openkamer took its data from the Tweede Kamer open data, Wikidata",
        "  and Parlement.com.",
        "- Ministries: `tooi-ministries.csv`, compiled from public files that state TOOI codes",
        "  (identifier.overheid.nl, a public government register); `confidence` says how well each code is",
        "  supported (high: two or more sources agree).",
        "",
        "Nothing after December 2019 is here: later MPs, parties (NSC, BBB, GroenLinks-PvdA as a group),",
        "cabinets and posts are absent, so they stay unlinked unless a newer reference folder is given.",
        "",
        "## Decisions",
        "",
        f"- {notes.stubs} openkamer persons without a forename are stubs and are not bundled: no GUID, no",
        "  Parlement.com id, no seat, party or post, some with the Wikidata id of something else; the real",
        "  people among them have full records of their own.",
        f"- A person's key is their Tweede Kamer GUID, else their Wikidata QID, else their Parlement.com id. "
        f"{len(notes.shared_tk_ids)} records",
        "  share a GUID in pairs; it cannot be told whose it is, so it is dropped from both (they are keyed by QID):",
        *(f"  - {line}" for line in notes.shared_tk_ids),
        *(f"- Wikidata id shared, dropped: {line}" for line in notes.shared_wikidata),
        *(f"- No identifier of its own, not bundled: {line}" for line in notes.without_identifier),
        f"- Names split wrongly between forename, particle and surname, corrected ({len(notes.corrections)}):",
        *(f"  - {line}" for line in notes.corrections),
        f"- Seats left out (no dates at all, or ending before they start): {len(notes.dropped_seats)}.",
        *(f"- Post start after its end, start dropped (the cabinet's applies): {line}" for line in notes.post_starts_dropped),
        *(f"- Party Wikidata id shared by two parties, dropped: {line}" for line in notes.party_wikidata_dropped),
        "- Party memberships are kept as given: most have no dates (unknown, not open-ended) and some overlap.",
        "- Posts of minister-president and viceminister-president belong to Algemene Zaken (mnre1010). A post's",
        "  ministry is the TOOI code its openkamer name meant on the post's first day (openkamer keeps old",
        "  names for Rutte III: `veiligheid en justitie` there is Justitie en Veiligheid, mnre1058). Ministers",
        "  without portfolio whose ministry openkamer does not give have none.",
        "- Ministry codes of confidence `low` are bundled but not linked (kvgraph.reconciliation.ministry).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
