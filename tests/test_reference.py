"""The bundled reference data: rebuilt byte for byte from its sources, read back unchanged,
keyed by official identifiers, and a malformed user folder refused in one line."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from kvgraph import reconciliation
from kvgraph.reference import BUNDLED, FILES, META_FILE, ReferenceDataError, load
from kvgraph.reference.build import DEFAULT_SOURCE, derive, tables_bytes, write

# Two records in the openkamer fixtures carry each of these GUIDs (Sander and Suzanne Dekker,
# Jasper and Jan Jacob van Dijk, Dennis and Harm Wiersma, ...): neither may be keyed by it.
SHARED_GUIDS = ("6cf382f6-d1fb-4c91-8348-6ddd52d1e334", "8141d31f-aada-4f96-9363-8f8e6364dbf1", "c3b1dca8-2cb4-4025-9527-36163a098c1f")


@pytest.mark.skipif(not DEFAULT_SOURCE.is_dir(), reason=f"the sources are not at {DEFAULT_SOURCE}")
def test_the_build_reproduces_the_bundle_byte_for_byte(tmp_path: Path) -> None:
    tables, notes = derive(DEFAULT_SOURCE)
    written = write(tables, notes, DEFAULT_SOURCE, tmp_path)
    assert sorted(written) == sorted(p.name for p in BUNDLED.iterdir())
    for name in written:
        assert (tmp_path / name).read_bytes() == (BUNDLED / name).read_bytes(), f"{name} differs: run python -m kvgraph.reference.build"


def test_the_loaded_tables_write_back_to_the_same_bytes() -> None:
    for name, data in tables_bytes(load().tables).items():
        assert data == (BUNDLED / name).read_bytes(), name


def test_the_bundle_is_small() -> None:
    assert sum(p.stat().st_size for p in BUNDLED.iterdir()) < 300_000


def test_keys_are_unique_official_identifiers() -> None:
    persons = load().tables.persons
    assert len({p.key for p in persons}) == len(persons)
    for person in persons:
        assert person.key == (person.tk_id or person.wikidata or person.parlement_id)
        if person.tk_id:
            assert re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", person.key)
    for column in ("tk_id", "wikidata", "parlement_id"):
        values = [getattr(p, column) for p in persons if getattr(p, column)]
        assert len(values) == len(set(values)), column


def test_a_guid_two_records_share_keys_neither_and_stubs_are_left_out() -> None:
    reference = load()
    assert not {p.tk_id for p in reference.tables.persons} & set(SHARED_GUIDS)
    dekkers = {p.forename: p.key for p in reference.tables.persons if p.surname == "Dekker"}
    assert dekkers == {"Sander": "Q501714", "Suzanne": "Q2088227", "Sybilla": "Q2182249"}
    # stubs: "Th.B. Bijleveld-Schouten" (Ank Bijleveld has her own record) and M.Y. Israel, whose
    # Wikidata id Q801 is the state of Israel
    assert not [p for p in reference.tables.persons if p.wikidata == "Q801" or "Th.B." in p.surname]
    assert [p.name for p in reference.tables.persons if p.surname == "Bijleveld"] == ["Ank Bijleveld"]


def test_names_openkamer_split_wrongly_are_whole() -> None:
    names = {p.name for p in load().tables.persons}
    assert {"Melanie Schultz van Haegen", "Marlies Veldhuijzen van Zanten", "Zohair El Yassini", "Henk Jan Ormel"} <= names
    assert "Femke Merel van Kooten-Arissen" in names


def test_ministers_posts_carry_tooi_codes() -> None:
    reference = load()
    posts = {(reference.person[p.person].surname, p.cabinet, p.position): p.ministry for p in reference.tables.posts}
    assert posts["Rutte", "kabinet-rutte-iii", "minister-president"] == "mnre1010"
    assert posts["Ollongren", "kabinet-rutte-iii", "viceminister-president"] == "mnre1010"
    # openkamer names Rutte III's ministries by their old names
    assert posts["Grapperhaus", "kabinet-rutte-iii", "minister"] == "mnre1058"
    assert posts["Wiebes", "kabinet-rutte-iii", "minister"] == "mnre1045"
    assert posts["Verhagen", "kabinet-rutte-i", "minister"] == "mnre1045"
    assert posts["Verburg", "kabinet-balkenende-iv", "minister"] == "mnre1150"
    # the source's start 2015-11-05 for a post that ended 2015-10-29 gives way to the cabinet's
    mansveld = [p for p in reference.tables.posts if reference.person[p.person].surname == "Mansveld"]
    assert [(p.start, p.end) for p in mansveld] == [(None, date(2015, 10, 29))]


def test_the_bundled_reference_is_read_once() -> None:
    assert load() is load()


def _bundle_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "reference"
    shutil.copytree(BUNDLED, folder)
    return folder


def test_a_user_folder_replaces_the_bundled_one(tmp_path: Path) -> None:
    folder = _bundle_copy(tmp_path)
    with (folder / "parties.csv").open("a", encoding="utf-8") as parties:
        parties.write("groenlinks-pvda,GroenLinks-PvdA,GroenLinks-PvdA,2023-01-01,,,gl pvda\n")
    reference = load(folder)
    assert reference is not load()
    found = reconciliation.party(reference, "GroenLinks-PvdA", date(2024, 10, 8))
    assert found is not None and found.successor_of == ("gl", "pvda")
    assert reconciliation.party(load(), "GroenLinks-PvdA", date(2024, 10, 8)) is None


def _replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / name
        text = path.read_text("utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), "utf-8")

    return edit


def _remove(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


def _append(name: str, line: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        with (folder / name).open("a", encoding="utf-8") as stream:
            stream.write(line)

    return edit


RUTTE = "8b3664bd-77e4-468b-af96-f3f4ec27fcce"
MALFORMED = [
    (_remove("seats.csv"), r"seats\.csv: missing$"),
    (_replace("persons.csv", "key,forename", "id,forename"), r"persons\.csv:1: header: missing key \(expected key,forename,"),
    (_replace("meta.csv", "format,1", "format,2"), r"meta\.csv:2: format '2', this kvgraph reads format 1$"),
    (_replace("meta.csv", "as_of,2019-12-08", "as_of,8-12-2019"), r"meta\.csv:3: as_of '8-12-2019' is not a date \(YYYY-MM-DD\)$"),
    (_replace("cabinets.csv", "2017-10-26,,Q42293409", "2017-10-26,,Q42293409,extra"), r"cabinets\.csv:6: 6 cells, expected 5$"),
    (_replace("seats.csv", ",2010-10-14\n", ",2010-13-14\n"), r"seats\.csv:\d+: to '2010-13-14' is not a date \(YYYY-MM-DD\)$"),
    (_append("seats.csv", "Q999999999,2020-01-01,\n"), r"seats\.csv:\d+: person 'Q999999999' is not in the reference$"),
    (
        _append("party-memberships.csv", f"{RUTTE},vvd,2020-01-01,2019-01-01\n"),
        r"party-memberships\.csv:\d+: from 2020-01-01 is after to 2019-01-01$",
    ),
    (_append("posts.csv", f"{RUTTE},kabinet-rutte-iii,premier,,,,\n"), r"posts\.csv:\d+: position 'premier' is not one of minister, "),
    (
        _append("persons.csv", "abcdefghijkl,Jan,,Jansen,J.,,,Q1,abcdefghijkl\n"),
        r"persons\.csv:\d+: key 'abcdefghijkl' must be the first official identifier of tk_id, wikidata, parlement_id \('Q1'\)$",
    ),
    (_append("persons.csv", "Q57792,Jan,,Jansen,J.,,,Q57792,abcdefghijkl\n"), r"persons\.csv:\d+: wikidata 'Q57792' is not unique$"),
    (_append("persons.csv", "Q57792x,Jan,,Jansen,J.,,,Q57792x,\n"), r"persons\.csv:\d+: wikidata 'Q57792x' is malformed$"),
    (_replace("ministries.csv", "mnre1010,https", "mnre1010,http"), r"ministries\.csv:4: iri 'http://identifier.+' is not https://"),
]


@pytest.mark.parametrize(("corrupt", "message"), MALFORMED)
def test_a_malformed_folder_is_refused_in_one_line(tmp_path: Path, corrupt: Callable[[Path], None], message: str) -> None:
    folder = _bundle_copy(tmp_path)
    corrupt(folder)
    with pytest.raises(ReferenceDataError) as error:
        load(folder)
    text = str(error.value)
    assert "\n" not in text
    assert text.startswith(str(folder)), text
    assert re.search(message, text), text


def test_a_missing_folder_and_a_repeated_key_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ReferenceDataError, match="not a folder"):
        load(tmp_path / "nowhere")
    folder = _bundle_copy(tmp_path)
    lines = (folder / "cabinets.csv").read_text("utf-8").splitlines(keepends=True)
    (folder / "cabinets.csv").write_text("".join([*lines, lines[1]]), "utf-8")
    with pytest.raises(ReferenceDataError, match=r"cabinets\.csv:7: key 'kabinet-balkenende-iii' is not unique"):
        load(folder)


def test_every_file_of_the_format_is_needed(tmp_path: Path) -> None:
    for name in (META_FILE, *FILES):
        folder = _bundle_copy(tmp_path / name)
        (folder / name).unlink()
        with pytest.raises(ReferenceDataError, match=re.escape(f"{name}: missing")):
            load(folder)
