"""Linking in the graph (issue 14): one IRI per real person, party and ministry, tied to official
identifiers, through `convert`, `reconcile` and `--reference`; the rules themselves are tested
in test_reconcile.py."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, SAMPLE
from pyoxigraph import RdfFormat, Store

from kvgraph.reference import BUNDLED

ELI_DL = "http://data.europa.eu/eli/eli-draft-legislation-ontology#"
KV = "https://w3id.org/kvgraph/def/"
ID = "https://w3id.org/kvgraph/id/"
UNANSWERED = EXAMPLES / "2020Z19876.txt"  # submitted 2020-10-15 by Dilan Yeşilgöz-Zegerius (VVD) and Corrie van Brenk
YESILGOZ = "9ab41898-332f-4c08-a834-d58b4669c990"


def _document(folder: Path, zaaknummer: str, submitted: str, submitters: str) -> Path:
    """The unanswered example under another zaaknummer, date and submitters line."""
    text = UNANSWERED.read_text("utf-8").replace("2020Z19876", zaaknummer)
    text = text.replace("Ingediend 15 oktober 2020", f"Ingediend {submitted}")
    text = text.replace("Indieners Dilan Yeşilgöz-Zegerius (VVD), Corrie van Brenk (50PLUS)", submitters)
    path = folder / f"{zaaknummer}.txt"
    path.write_text(text, "utf-8")
    return path


def _graph(cli, *args: str) -> Store:
    run = cli("convert", *args, "-f", "nt")
    assert run.code == 0, run.stderr
    store = Store()
    store.load(run.stdout, format=RdfFormat.N_TRIPLES)
    return store


def _values(store: Store, query: str) -> list[tuple[str, ...]]:
    rows = store.query(f"PREFIX kv: <{KV}> PREFIX owl: <http://www.w3.org/2002/07/owl#> "
                       f"PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX eli-dl: <{ELI_DL}> {query}")
    return sorted(tuple(term.value for term in row) for row in rows)


def test_one_person_printed_four_ways_is_one_iri_with_one_same_as(cli, tmp_path: Path) -> None:
    printed = ["Dilan Yeşilgöz-Zegerius (VVD)", "Dilan Yesilgoz-Zegerius (VVD)", "dilan yeşilgöz-zegerius (VVD)",
               "D. Yeşilgöz-Zegerius (VVD)"]
    for number, name in enumerate(printed, start=1):
        _document(tmp_path, f"2020Z1987{number}", "15 oktober 2020", f"Indiener {name}")
    store = _graph(cli, str(tmp_path))
    people = _values(store, "SELECT DISTINCT ?who WHERE { ?p eli-dl:had_participant_person ?who }")
    assert people == [(f"{ID}persoon/{YESILGOZ}",)]
    assert _values(store, "SELECT ?o WHERE { ?who a foaf:Person ; owl:sameAs ?o }") == [
        ("http://www.wikidata.org/entity/Q28861002",)]
    assert _values(store, "SELECT ?n WHERE { ?who a foaf:Person ; foaf:name ?n }") == [("Dilan Yeşilgöz-Zegerius",)]
    assert _values(store, "SELECT ?n WHERE { ?p kv:printedName ?n }") == sorted((n[:-6],) for n in printed)
    assert _values(store, "SELECT ?id WHERE { ?who kv:tweedeKamerPersoonId ?id }") == [(YESILGOZ,)]


def test_an_ambiguous_surname_warns_naming_the_candidates_and_links_no_one(cli, tmp_path: Path) -> None:
    path = _document(tmp_path, "2018Z07777", "1 mei 2018", "Indiener Van Dijk")
    run = cli("convert", str(path), "-f", "nt")
    assert run.code == 0, run.stderr
    warning = [line for line in run.stderr.splitlines() if ": warning: " in line]
    assert len(warning) == 1 and warning[0].startswith(f"{path}:6: warning: 'Van Dijk' fits 3 persons")
    for candidate in ("Jasper van Dijk (Q2478764", "Gijs van Dijk (Q28839264", "Emiel van Dijk (Q28861874"):
        assert candidate in warning[0]
    assert f"<{ID}persoon/naam/van-dijk>".encode() in run.stdout
    assert b"owl#sameAs" not in run.stdout.split(b"persoon/naam/van-dijk>", 1)[1].split(b"\n", 1)[0]
    strict = cli("convert", str(path), "-f", "nt", "--strict")
    assert strict.code == 1  # under --strict the warning is an error: the document is left out


def test_an_unknown_ministry_warns_and_keeps_the_printed_name(cli, tmp_path: Path) -> None:
    path = tmp_path / "bz.txt"
    path.write_text(SAMPLE.read_text("utf-8").replace("minister justitie en veiligheid", "minister bijzondere zaken"),
                    "utf-8")
    run = cli("convert", str(path), "-f", "nt")
    assert run.code == 0, run.stderr
    assert "warning: ministry 'bijzondere zaken' (office 'minister bijzondere zaken') is not one TOOI ministry" \
        in run.stderr
    store = Store()
    store.load(run.stdout, format=RdfFormat.N_TRIPLES)
    query = "SELECT ?m (COALESCE(STR(?tooi), \"-\") AS ?t) WHERE { ?m a kv:Ministry OPTIONAL { ?m owl:sameAs ?tooi } }"
    assert _values(store, query) == [
        (f"{ID}ministerie/mnre1013", "https://identifier.overheid.nl/tooi/id/ministerie/mnre1013"),
        (f"{ID}ministerie/naam/bijzondere-zaken", "-")]


def test_renamed_ministries_are_one_ministry_and_the_prime_minister_is_in_algemene_zaken(cli, tmp_path: Path) -> None:
    old = tmp_path / "old.txt"  # Veiligheid en Justitie was Justitie en Veiligheid's name until 2017
    old.write_text(SAMPLE.read_text("utf-8").replace("2022Z04503", "2022Z04509")
                   .replace("minister justitie en veiligheid", "minister veiligheid en justitie")
                   .replace("viceminister-president , minister buitenlandse zaken", "minister-president"), "utf-8")
    store = _graph(cli, str(SAMPLE), str(old))
    posts = _values(store, "PREFIX org: <http://www.w3.org/ns/org#> SELECT ?post ?m WHERE { ?post org:postIn ?m }")
    assert (f"{ID}ambt/minister-veiligheid-en-justitie", f"{ID}ministerie/mnre1058") in posts
    assert (f"{ID}ambt/minister-justitie-en-veiligheid", f"{ID}ministerie/mnre1058") in posts
    assert (f"{ID}ambt/minister-president", f"{ID}ministerie/mnre1010") in posts
    assert not [p for p in posts if p[0].endswith("/viceminister-president")]  # heads another ministry, printed beside
    labels = _values(store, "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                            "SELECT ?m ?label WHERE { ?m a kv:Ministry ; skos:prefLabel ?label }")
    assert (f"{ID}ministerie/mnre1058", "ministerie van Justitie en Veiligheid") in labels
    assert len(labels) == len({m for m, _ in labels})  # one name per ministry, whatever the documents print


def test_an_mps_party_is_a_fractie_and_a_ministers_a_party(cli) -> None:
    store = _graph(cli, str(SAMPLE))
    rows = _values(store, "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?role ?org ?type WHERE { "
                          "?p eli-dl:participation_role ?role ; eli-dl:participation_in_name_of ?org . "
                          "?org a ?type FILTER(STRSTARTS(STR(?type), STR(kv:))) }")
    assert (f"{KV}indiener", f"{ID}fractie/d66", f"{KV}Fractie") in rows
    assert (f"{KV}beantwoorder", f"{ID}partij/vvd", f"{KV}PoliticalParty") in rows
    assert {type_ for role, _, type_ in rows if role.endswith("indiener")} == {f"{KV}Fractie"}
    assert _values(store, "SELECT ?party ?wd WHERE { ?f kv:fractieOf ?party . ?party owl:sameAs ?wd }") == [
        (f"{ID}partij/d66", "http://www.wikidata.org/entity/Q747910")]


def test_reconcile_lists_every_printed_person_once_per_outcome(cli) -> None:
    run = cli("reconcile", str(EXAMPLES), "--format", "csv")
    assert run.code == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout.decode())))
    printed = {(r["printed_name"], r["role"]) for r in rows}
    assert len(printed) == len(rows)
    yesilgoz = [r for r in rows if r["printed_name"] == "Dilan Yeşilgöz-Zegerius"]
    assert {(r["role"], r["status"], r["wikidata"], r["key"]) for r in yesilgoz} == {
        ("indiener", "linked", "Q28861002", YESILGOZ), ("beantwoorder", "linked", "Q28861002", YESILGOZ)}
    heijnen = next(r for r in rows if r["printed_name"] == "Heijnen")
    assert (heijnen["status"], heijnen["key"], heijnen["mentions"]) == ("unknown", "", "1")
    assert sum(int(r["mentions"]) for r in rows) == 34  # every printed person of the ten examples
    assert "mentions: 0 ambiguous (0.0%), 19 unknown (55.9%), 15 linked (44.1%)" in run.stderr
    as_json = json.loads(cli("reconcile", str(EXAMPLES), "--format", "json", "-q").stdout)
    assert len(as_json) == len(rows) and as_json[0].keys() == rows[0].keys()


def test_reconcile_shows_the_candidates_of_an_ambiguous_person(cli, tmp_path: Path) -> None:
    _document(tmp_path, "2018Z07777", "1 mei 2018", "Indiener Van Dijk")
    rows = list(csv.DictReader(io.StringIO(cli("reconcile", str(tmp_path), "--format", "csv").stdout.decode())))
    assert [(r["status"], r["printed_name"]) for r in rows] == [("ambiguous", "Van Dijk")]
    assert all(q in rows[0]["candidates"] for q in ("Q2478764", "Q28839264", "Q28861874"))


def test_reconcile_reports_a_bad_document_and_goes_on(cli, tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text("not a Kamervraag\n", "utf-8")
    shutil.copy(SAMPLE, tmp_path)
    run = cli("reconcile", str(tmp_path), "--format", "csv")
    assert run.code == 1 and "Traceback" not in run.stderr
    assert f"{tmp_path / 'bad.txt'}:1: error" in run.stderr
    assert len(list(csv.DictReader(io.StringIO(run.stdout.decode())))) == 4  # the sample's four persons


def test_a_supplied_reference_replaces_the_bundled_one(cli, tmp_path: Path) -> None:
    """A newer reference in the same format links who the bundled one (December 2019) lacks."""
    folder = tmp_path / "reference"
    shutil.copytree(BUNDLED, folder)
    guid = "0f0e0d0c-0b0a-4909-8807-060504030201"
    with open(folder / "persons.csv", "a", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerow([guid, "Hanneke", "van der", "Werf", "H.", "1984-02-28", guid, "", ""])
    with open(folder / "seats.csv", "a", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerow([guid, "2021-03-31", ""])
    meta = (folder / "meta.csv").read_text("utf-8").replace("as_of,2019-12-08", "as_of,2024-12-31")
    (folder / "meta.csv").write_text(meta, "utf-8")
    store = _graph(cli, str(SAMPLE), "--reference", str(folder))
    people = {p for (p,) in _values(store, "SELECT DISTINCT ?who WHERE { ?p eli-dl:had_participant_person ?who }")}
    assert f"{ID}persoon/{guid}" in people and f"{ID}persoon/naam/hanneke-van-der-werf" not in people
    bundled = {p for (p,) in _values(_graph(cli, str(SAMPLE)), "SELECT DISTINCT ?who WHERE { ?p eli-dl:had_participant_person ?who }")}
    assert f"{ID}persoon/naam/hanneke-van-der-werf" in bundled


@pytest.mark.parametrize("command", ["convert", "validate", "reconcile", "load", "publish", "query"])
def test_a_malformed_reference_is_one_line_before_any_work(cli, tmp_path: Path, command: str) -> None:
    folder = tmp_path / "reference"
    shutil.copytree(BUNDLED, folder)
    (folder / "persons.csv").write_text("key,forename\nx,y\n", "utf-8")
    extra = {"load": ["--store", str(tmp_path / "s")], "publish": ["--out", str(tmp_path / "r")],
             "query": ["--named", "people"]}.get(command, [])
    run = cli(command, str(SAMPLE), "--reference", str(folder), *extra)
    assert run.code == 2 and "Traceback" not in run.stderr
    assert "Invalid value for '--reference'" in run.stderr and "persons.csv" in run.stderr
    assert not (tmp_path / "s").exists() and not (tmp_path / "r").exists()
