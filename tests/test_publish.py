"""A release folder (`kvgraph publish`) checks out: its metadata conforms to the publication
shapes and matches the files, the tables match the graph, every dump holds the same graph,
and the same input and date give the same bytes in any process."""

from __future__ import annotations

import csv
import datetime
import gzip
import hashlib
import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from conftest import EXAMPLES, ROOT
from rdflib import Graph, Literal, Namespace, URIRef

from kvgraph.release import DCAT_FILE, TABLES, PublishError, ontology_html, publish, release_file_names

BASE = "https://w3id.org/kvgraph/"
DATE = datetime.date(2025, 1, 31)
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VOID = Namespace("http://rdfs.org/ns/void#")
KV = "https://w3id.org/kvgraph/def/"


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples published once (validation is tested elsewhere; here it only costs time)."""
    folder = tmp_path_factory.mktemp("release")
    published = publish([str(EXAMPLES)], folder, BASE, DATE, validate_graph=False)
    assert published.summary.ok and published.summary.converted == 10
    return folder


@pytest.fixture(scope="module")
def metadata(release: Path) -> Graph:
    return Graph().parse(release / "void.ttl").parse(release / "dcat.ttl")


@pytest.fixture(scope="module")
def dump(release: Path) -> ox.Store:
    """The N-Triples dump in a store: the graph the other files are checked against."""
    store = ox.Store()
    store.load(gzip.decompress((release / "kamervragen.nt.gz").read_bytes()), format=ox.RdfFormat.N_TRIPLES)
    return store


def _count(store: ox.Store, pattern: str) -> int:
    rows = list(store.query(f"PREFIX kv: <{KV}> PREFIX schema: <https://schema.org/> "
                            f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}"))
    return int(rows[0]["n"].value)


def _table(release: Path, name: str) -> list[dict[str, str]]:
    with (release / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_release_has_exactly_the_listed_files(release: Path) -> None:
    assert sorted(p.name for p in release.iterdir()) == sorted(release_file_names())


def test_metadata_conforms_to_the_publication_shapes(metadata: Graph) -> None:
    shapes = Graph().parse(ROOT / "shapes" / "publication.shapes.ttl")
    conforms, _, text = pyshacl.validate(metadata, shacl_graph=shapes, inference="none", advanced=True)
    assert conforms, text


def test_publication_shapes_catch_a_wrong_checksum_and_an_undescribed_dump(metadata: Graph) -> None:
    broken = Graph() + metadata
    checksum = next(broken.subjects(SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    value = broken.value(checksum, SPDX.checksumValue)
    broken.set((checksum, SPDX.checksumValue, Literal(str(value)[:62], datatype=value.datatype)))  # cut short
    broken.add((URIRef(BASE + "dataset"), VOID.dataDump, URIRef(BASE + "missing.ttl")))
    shapes = Graph().parse(ROOT / "shapes" / "publication.shapes.ttl")
    conforms, _, text = pyshacl.validate(broken, shacl_graph=shapes, inference="none", advanced=True)
    assert not conforms
    assert "64 lower-case hex digits" in text and "every dump VoID names" in text


def test_every_file_but_dcat_is_a_distribution_with_matching_size_and_checksum(release: Path, metadata: Graph) -> None:
    described = {}
    for distribution in metadata.subjects(DCAT.downloadURL, None):
        url = str(metadata.value(distribution, DCAT.downloadURL))
        assert url.startswith(BASE)
        checksum = metadata.value(distribution, SPDX.checksum)
        assert metadata.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        described[url.removeprefix(BASE)] = (int(metadata.value(distribution, DCAT.byteSize)),
                                             str(metadata.value(checksum, SPDX.checksumValue)))
    assert sorted(described) == sorted(set(release_file_names()) - {DCAT_FILE.name})
    for name, (size, sha256) in described.items():
        data = (release / name).read_bytes()
        assert (size, sha256) == (len(data), hashlib.sha256(data).hexdigest()), name


def test_csv_row_counts_match_the_graph(release: Path, dump: ox.Store) -> None:
    questions = _table(release, "vragen.csv")
    assert len(_table(release, "kamervragen.csv")) == _count(dump, "?x a kv:Kamervraag")
    assert len(questions) == _count(dump, "?x a schema:Question")
    assert sum(bool(q["answer"]) for q in questions) == _count(dump, "?x a schema:Answer")
    assert len(_table(release, "personen.csv")) == _count(dump, "?x a kv:Participation")


def test_every_dump_holds_the_same_graph(release: Path, metadata: Graph) -> None:
    def triples(name: str, fmt: ox.RdfFormat) -> set[ox.Triple]:
        data = (release / name).read_bytes()
        data = gzip.decompress(data) if name.endswith(".gz") else data
        return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=fmt)}

    reference = triples("kamervragen.nt.gz", ox.RdfFormat.N_TRIPLES)
    assert triples("kamervragen.ttl", ox.RdfFormat.TURTLE) == reference
    assert triples("kamervragen.jsonld", ox.RdfFormat.JSON_LD) == reference
    assert triples("kamervragen.nq", ox.RdfFormat.N_QUADS) == reference
    assert len(Graph().parse(release / "kamervragen.ttl")) == len(reference)  # and a second parser agrees
    assert int(metadata.value(URIRef(BASE + "dataset"), VOID.triples)) == len(reference)


def test_nquads_have_one_graph_per_kamervraag(release: Path) -> None:
    quads = ox.parse((release / "kamervragen.nq").read_bytes(), format=ox.RdfFormat.N_QUADS)
    assert {q.graph_name.value for q in quads} == {row["iri"] for row in _table(release, "kamervragen.csv")}


def test_csvw_lists_exactly_the_csv_files_and_their_columns(release: Path) -> None:
    described = json.loads((release / "csv-metadata.json").read_text("utf-8"))
    tables = {table["url"]: table["tableSchema"] for table in described["tables"]}
    assert sorted(tables) == sorted(p.name for p in release.glob("*.csv"))
    for name, schema in tables.items():
        with (release / name).open(encoding="utf-8", newline="") as stream:
            header = next(csv.reader(stream))
        assert [column["name"] for column in schema["columns"]] == header
        assert [column["titles"] for column in schema["columns"]] == header
        keys = schema["primaryKey"] if isinstance(schema["primaryKey"], list) else [schema["primaryKey"]]
        assert set(keys) <= set(header)


def test_csv_cells_fit_their_csvw_datatypes_and_keys(release: Path) -> None:
    parse = {"string": str, "integer": int, "date": datetime.date.fromisoformat,
             "anyURI": lambda v: v if v.startswith(("http://", "https://")) else int("not an IRI")}
    for table in TABLES:
        rows = _table(release, table.name)
        for column in table.columns:
            for row in rows:
                assert row[column.name] or not column.required, (table.name, column.name)
                if row[column.name]:
                    parse[column.datatype](row[column.name])
        keys = [tuple(row[k] for k in table.primary_key) for row in rows]
        assert len(keys) == len(set(keys)), table.name


def test_csv_tables_carry_the_records(release: Path) -> None:
    sample = next(r for r in _table(release, "kamervragen.csv") if r["id"] == "2023Z03518")
    assert (sample["answered"], sample["days_to_answer"], sample["questions"], sample["answered_questions"],
            sample["notices"]) == ("2023-04-11", "49", "5", "4", "1")
    assert sample["topics"].split("|") == ["hoger onderwijs", "onderwijs en wetenschap", "onderzoek en wetenschap"]
    combined = next(r for r in _table(release, "vragen.csv") if (r["kamervraag"], r["number"]) == ("2023Z03518", "3"))
    assert (combined["answer"], combined["see_answer"]) == ("Zie antwoord vraag 2.", "2")
    kaag = next(r for r in _table(release, "personen.csv") if r["name"] == "Sigrid Kaag")
    assert (kaag["role"], kaag["party"], kaag["offices"].split("|")) == \
        ("beantwoorder", "D66", ["viceminister-president", "minister financiën"])


def test_void_describes_the_graph(metadata: Graph, dump: ox.Store) -> None:
    dataset = URIRef(BASE + "dataset")
    assert str(metadata.value(dataset, VOID.uriSpace)) == BASE + "id/"
    examples = list(metadata.objects(dataset, VOID.exampleResource))
    assert examples and all(_count(dump, f"BIND(<{e}> AS ?x) ?x a kv:Kamervraag") for e in examples)
    assert {str(v) for v in metadata.objects(dataset, VOID.vocabulary)} >= {KV, "https://schema.org/"}
    themes = {str(t) for t in metadata.objects(dataset, DCAT.theme)}
    in_data = {r["t"].value for r in dump.query("SELECT DISTINCT ?t WHERE { ?t <http://www.w3.org/2004/02/skos/"
                                                "core#inScheme> ?scheme }")}
    assert themes == in_data and themes
    kamervragen = next(metadata.subjects(VOID["class"], URIRef(KV + "Kamervraag")))
    assert int(metadata.value(kamervragen, VOID.entities)) == 10


def test_vocabulary_files_are_the_bundled_ones(release: Path) -> None:
    for name in ("kvgraph.ttl", "kvgraph.shapes.ttl", "context.jsonld"):
        assert (release / name).read_bytes() == (ROOT / "kvgraph" / "data" / name).read_bytes()


def test_a_release_under_another_base_ships_shapes_its_data_conforms_to(tmp_path: Path) -> None:
    """The shapes' IRI patterns are anchored on the base: a release ships them for its own base,
    and its dump conforms to them (and not to the bundled ones, which name kvgraph's base)."""
    from kvgraph.shacl.engine import Engine
    from kvgraph.shacl.shapes import ShapesGraph, shapes_text
    from kvgraph.terms import triples_from_oxigraph

    base = "https://data.example.nl/kv/"
    published = publish([str(EXAMPLES / "2022Z04503.txt")], tmp_path, base, DATE, allow_example_base=True)
    assert published.summary.ok
    shipped = (tmp_path / "kvgraph.shapes.ttl").read_bytes()
    assert shipped == shapes_text(base) and b"https://data\\\\.example\\\\.nl/kv/id/kamervraag/" in shipped
    triples = triples_from_oxigraph(ox.parse(gzip.decompress((tmp_path / "kamervragen.nt.gz").read_bytes()),
                                             format=ox.RdfFormat.N_TRIPLES))
    assert Engine(ShapesGraph.from_turtle(shipped)).validate(triples) == []
    assert Engine(ShapesGraph.from_turtle(shapes_text())).validate(triples) != []


def test_ontology_documentation_is_made_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"pyLODE tried to reach the network: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    html = ontology_html().decode("utf-8")
    assert "<title>kvgraph ontology</title>" in html and "Kamervraag" in html
    assert ' src="http' not in html and 'rel="stylesheet"' not in html  # nothing a browser must fetch either


def test_ontology_documentation_leaves_logging_alone(capfd: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    before = (root.level, root.handlers[:])
    ontology_html()
    assert (root.level, root.handlers[:]) == before
    assert capfd.readouterr().err == ""


def test_gzip_dump_carries_no_name_or_time(release: Path) -> None:
    header = (release / "kamervragen.nt.gz").read_bytes()[:10]
    assert header[4:8] == b"\0\0\0\0"  # MTIME
    with gzip.open(release / "kamervragen.nt.gz") as stream:
        assert stream.read(1) == b"<"


def test_two_publishes_give_identical_bytes(release: Path, tmp_path: Path) -> None:
    """Separate processes with different hash seeds, so set and dict order cannot leak into the bytes."""
    runs = []
    for seed in ("1", "2"):
        command = [sys.executable, "-m", "kvgraph", "publish", str(EXAMPLES), "--out", str(tmp_path / seed),
                   "--date", DATE.isoformat(), "--no-validate", "--quiet"]
        runs.append(subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed},
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for run in runs:
        _, stderr = run.communicate(timeout=120)
        assert run.returncode == 0 and stderr == b"", stderr.decode()  # --quiet: and no library chatter either
    for name in release_file_names():
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name
        assert (tmp_path / "1" / name).read_bytes() == (release / name).read_bytes(), name


def test_a_folder_with_other_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    with pytest.raises(PublishError, match="not part of a release"):
        publish([str(EXAMPLES / "2022Z04503.txt")], tmp_path, BASE, DATE, validate_graph=False)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("base", ["https://data.example.org/kamervragen/", "http://example.com/",
                                  "https://EXAMPLE.NET:8443/x/", "https://open.data.example/kv/"])
def test_a_base_on_an_example_domain_is_refused_unless_allowed(tmp_path: Path, base: str) -> None:
    """The documented refusal (issue 14): a release under example.org could never be resolved."""
    command = [sys.executable, "-m", "kvgraph", "publish", str(EXAMPLES / "2022Z04503.txt"), "--out",
               str(tmp_path / "out"), "--base", base, "--no-validate", "-q"]
    refused = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and not (tmp_path / "out").exists()
    assert refused.stderr.count("\n") == 1 and "reserved example domain" in refused.stderr
    assert "--allow-example-base" in refused.stderr
    allowed = subprocess.run([*command, "--allow-example-base"], capture_output=True, text=True, timeout=120)
    assert allowed.returncode == 0, allowed.stderr
    assert base.lower().split("//")[1].split("/")[0] in (tmp_path / "out" / "void.ttl").read_text("utf-8").lower()


def test_hosts_that_only_contain_example_are_not_refused(tmp_path: Path) -> None:
    for base in ("https://example.nl/kv/", "https://data.examples.org/", "https://myexample.org/"):
        publish([str(EXAMPLES / "2022Z04503.txt")], tmp_path / base.split("/")[2], base, DATE, validate_graph=False)


def test_nothing_under_the_package_vocabulary_or_queries_names_an_example_domain() -> None:
    """Everything kvgraph ships mints and queries under w3id.org; example domains live in tests only."""
    found = [f"{path.relative_to(ROOT)}:{number}"
             for folder in ("ontology", "shapes", "queries", "kvgraph")
             for path in sorted((ROOT / folder).rglob("*")) if path.is_file() and "__pycache__" not in path.parts
             for number, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), start=1)
             if "example.org" in line or "example.com" in line]
    assert found == []


def test_nothing_is_written_when_no_document_converts(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.txt").write_text("not a Kamervraag\n", "utf-8")
    with pytest.raises(PublishError, match="no document converted"):
        publish([str(tmp_path / "in")], tmp_path / "out", BASE, DATE, validate_graph=False)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_bad_documents_are_left_out_and_reported(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes((EXAMPLES / "2022Z04503.txt").read_bytes())
    (tmp_path / "in" / "b.txt").write_text("not a Kamervraag\n", "utf-8")
    published = publish([str(tmp_path / "in")], tmp_path / "out", BASE, DATE, validate_graph=True)
    assert (published.summary.documents, published.summary.converted) == (2, 1) and not published.summary.ok
    assert [r["id"] for r in _table(tmp_path / "out", "kamervragen.csv")] == ["2022Z04503"]
