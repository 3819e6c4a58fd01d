"""The Python API (`kvgraph.parse`, `kvgraph.convert`, ...) on the real examples: each function
gives what its command gives (the same records, bytes, verdicts and rows), takes the command's
option names as keywords and paths or streams alike, and `import kvgraph` imports nothing heavy."""

from __future__ import annotations

import csv
import datetime
import doctest
import hashlib
import inspect
import io
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from conftest import EXAMPLES, ROOT, SAMPLE, run_cli

import kvgraph
from kvgraph.cli import main

SAMPLE_TEXT = SAMPLE.read_text("utf-8")
EXAMPLES_TTL = "examples-api.ttl"


def _python(code: str) -> str:
    """Run `code` in a fresh interpreter (nothing imported yet) and return what it prints."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return done.stdout.strip()


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _as_csv_cells(rows: list[dict[str, str | None]]) -> list[dict[str, str]]:
    """Rows as the CLI's CSV has them: an unbound variable is an empty cell."""
    return [{k: "" if v is None else v for k, v in row.items()} for row in rows]


@pytest.fixture(scope="module")
def turtle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples converted once by the API, for the tests that validate and query RDF files."""
    path = tmp_path_factory.mktemp("api") / EXAMPLES_TTL
    assert kvgraph.convert("examples", path).converted == 10
    return path


# ---------------------------------------------------------------------------------------------
# The package


def test_importing_kvgraph_imports_nothing_heavy() -> None:
    found = _python("import sys, kvgraph; print(sorted(m for m in sys.modules if m.startswith(('kvgraph', 'pyoxigraph', 'rdflib'))))")
    assert found == "['kvgraph']"
    used = _python("import sys, kvgraph; kvgraph.convert; kvgraph.parse; "
                   "print(sorted(m for m in ('rdflib', 'pyshacl', 'urllib.request', 'http.client', 'kvgraph.loader') if m in sys.modules))")
    assert used == "[]"


def test_the_command_line_imports_the_api_only_to_run_a_command() -> None:
    """`kvgraph --help` lists options: it needs neither the parser nor linking nor the API."""
    found = _python("import sys, kvgraph.cli; print([m for m in ('kvgraph.api', 'kvgraph.pipeline', 'kvgraph.linking', 'rdflib') "
                    "if m in sys.modules])")
    assert found == "[]"


def test_the_api_functions_are_functions_whatever_was_imported_first() -> None:
    """Every module of the pipeline imported first (as `kvgraph convert` does) leaves the API's
    names the plain functions of kvgraph.api: no module shares a name with one."""
    code = ("import kvgraph.pipeline, kvgraph.loader, kvgraph.sparql, kvgraph.release, kvgraph.reconciliation\n"
            "import kvgraph.parser, kvgraph.shacl, kvgraph, kvgraph.api, types\n"
            "print(all(type(getattr(kvgraph, n)) is types.FunctionType and getattr(kvgraph, n) is getattr(kvgraph.api, n) "
            "for n in kvgraph.__all__), kvgraph.validate('examples/2022Z04503.txt').conforms, "
            "next(kvgraph.parse('examples/2022Z04503.txt')).record['id'])")
    assert _python(code) == "True True 2022Z04503"


def test_the_signatures_are_the_functions() -> None:
    from kvgraph import api

    for name in kvgraph.__all__:
        assert inspect.signature(getattr(kvgraph, name)) == inspect.signature(getattr(api, name))
    assert set(kvgraph.__all__) <= set(dir(kvgraph))


# Command-line options that are about printing, not about what is done: the API returns objects.
PRINTING = {"quiet", "report", "help"}
PRINTED = {"parse": {"output"}, "query": {"format"}, "reconcile": {"format"}}


@pytest.mark.parametrize("command", kvgraph.__all__)
def test_keyword_names_are_the_option_names(command: str) -> None:
    """`--no-validate` is `validate=`, every other option its own name (`--as-of` is `as_of=`)."""
    options = {max(p.opts, key=len).lstrip("-").replace("-", "_").removeprefix("no_")
               for p in main.commands[command].params if isinstance(p, click.Option)}
    keywords = set(inspect.signature(getattr(kvgraph, command)).parameters)
    assert options - PRINTING - PRINTED.get(command, set()) <= keywords


# ---------------------------------------------------------------------------------------------
# parse


def test_parse_gives_the_records_of_the_command() -> None:
    printed = [json.loads(line) for line in run_cli("parse", "examples").stdout.splitlines()]
    assert [result.record for result in kvgraph.parse("examples")] == printed
    assert [result.kamervraag.id for result in kvgraph.parse([EXAMPLES])] == [r["id"] for r in printed]


def test_parse_reads_streams_text_and_binary() -> None:
    from_path = next(kvgraph.parse(SAMPLE)).record
    assert next(kvgraph.parse(io.StringIO(SAMPLE_TEXT))).record == from_path
    with SAMPLE.open("rb") as stream:
        result = next(kvgraph.parse([stream]))
    assert result.record == from_path and result.kamervraag.source.path == str(SAMPLE)


def test_parse_strict_leaves_out_a_document_with_warnings(tmp_path: Path) -> None:
    doc = tmp_path / "topic.txt"
    doc.write_text(SAMPLE_TEXT.replace("Onderwerpen internationaal ", "Onderwerpen internationaal ruimtevaart ", 1))
    lenient, = kvgraph.parse(doc)
    assert lenient.record is not None and [d.severity for d in lenient.diagnostics] == ["warning"]
    strict, = kvgraph.parse(doc, strict=True)
    assert strict.record is None and strict.kamervraag is None
    assert [(d.severity, d.line) for d in strict.diagnostics] == [("error", 9)]


def test_parse_reports_what_cannot_be_read(tmp_path: Path) -> None:
    result, = kvgraph.parse(tmp_path / "missing.txt")
    assert result.record is None and result.diagnostics[0].code == "unreadable"
    too_large, = kvgraph.parse(io.BytesIO(SAMPLE_TEXT.encode()), max_bytes=100)
    assert too_large.path == "<stream>" and too_large.diagnostics[0].code == "too-large"
    with pytest.raises(TypeError, match="io.BytesIO"):
        kvgraph.parse(SAMPLE_TEXT.encode())


# ---------------------------------------------------------------------------------------------
# convert


def test_convert_gives_the_bytes_of_the_command(tmp_path: Path) -> None:
    cli, api = tmp_path / "cli.ttl", tmp_path / "api.ttl"
    assert run_cli("convert", "examples", "-o", str(cli), "-f", "turtle", "-q").code == 0
    summary = kvgraph.convert(["examples"], api, format="turtle")
    assert api.read_bytes() == cli.read_bytes()
    assert (summary.documents, summary.converted, summary.errors, summary.data) == (10, 10, 0, None)
    assert summary.triples > 1000 and summary.line().startswith("10 documents, 10 converted")


@pytest.mark.parametrize("format", ["nt", "json-ld", "nquads"])
def test_convert_returns_the_serialization_when_given_no_output(format: str) -> None:
    """The same bytes as the command, for any number of jobs, as bytes or into a text stream."""
    printed = run_cli("convert", "examples", "-f", format, "-q").stdout
    assert kvgraph.convert("examples", format=format, jobs=2).data == printed
    text = io.StringIO()
    assert kvgraph.convert("examples", text, format=format).data is None
    assert text.getvalue() == printed.decode("utf-8")


def test_convert_a_stream_and_options(tmp_path: Path) -> None:
    binary = io.BytesIO()
    summary = kvgraph.convert(io.StringIO(SAMPLE_TEXT), binary, format="nt", base="https://data.example.nl/kv",
                              validate=False, strict=True)
    assert summary.converted == 1
    assert b"<https://data.example.nl/kv/id/kamervraag/2022Z04503>" in binary.getvalue()
    from_file = kvgraph.convert(SAMPLE, format="nt", base="https://data.example.nl/kv", validate=False).data
    assert binary.getvalue() == from_file  # the provenance names no path: a stream gives the file's bytes


def test_convert_reports_and_leaves_out_bad_documents(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    seen: list[str] = []
    summary = kvgraph.convert([SAMPLE, empty], format="nt", on_diagnostic=lambda d: seen.append(str(d)))
    assert (summary.documents, summary.converted, summary.errors) == (2, 1, 1)
    assert seen == [f"{empty}:1: error: the file is empty"] == [str(d) for d in summary.diagnostics]


def test_convert_out_dir(tmp_path: Path) -> None:
    summary = kvgraph.convert("examples", out_dir=tmp_path / "out", format="json-ld")
    assert summary.converted == 10 and (tmp_path / "out" / "kamervragen.jsonld").is_file()
    assert len(list((tmp_path / "out" / "documents").glob("*.jsonld"))) == 10
    with pytest.raises(TypeError, match="paths"):
        kvgraph.convert(io.StringIO(SAMPLE_TEXT), out_dir=tmp_path / "other")
    with pytest.raises(ValueError, match="not both"):
        kvgraph.convert("examples", tmp_path / "x.ttl", out_dir=tmp_path / "out")


@pytest.mark.parametrize("keywords, message", [
    ({"format": "rdfxml"}, "format='rdfxml'"),
    ({"engine": "jena"}, "engine='jena'"),
    ({"base": "ftp://example.org/"}, "absolute http"),
])
def test_convert_refuses_what_the_command_refuses(keywords: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        kvgraph.convert(SAMPLE, io.BytesIO(), **keywords)


# ---------------------------------------------------------------------------------------------
# validate


def test_validate_agrees_with_the_command(turtle: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(turtle.read_text("utf-8").replace('"2022-03-10"^^xsd:date', '"2022-03-10"', 1), "utf-8")
    assert kvgraph.validate(turtle).conforms
    report = kvgraph.validate([turtle, broken, SAMPLE])
    assert not report.conforms and report.failures == 1
    assert [(v.path, v.rdf, v.conforms) for v in report.verdicts] == \
        [(str(turtle), True, True), (str(broken), True, False), (str(SAMPLE), False, True)]
    assert any(v.path == "http://purl.org/dc/terms/dateSubmitted" for v in report.violations)
    cli = run_cli("validate", str(turtle), str(broken), str(SAMPLE))
    assert cli.code == 1 and "3 inputs checked: 1 do not conform" in cli.stderr
    assert cli.text.splitlines() == [f"{broken}: {v}" for v in report.violations]


def test_validate_documents_and_a_stream(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    report = kvgraph.validate(["examples", io.StringIO(SAMPLE_TEXT.replace("2022Z04503", "2022Z99999"))])
    assert report.conforms and len(report.verdicts) == 11 and report.verdicts[-1].path == "<stream>"
    bad = kvgraph.validate([empty, tmp_path / "missing.ttl"], engine="pyshacl")
    assert [(v.path, v.conforms, v.diagnostics[0].code) for v in bad.verdicts] == \
        [(str(tmp_path / "missing.ttl"), False, "unreadable"), (str(empty), False, "empty")]


# ---------------------------------------------------------------------------------------------
# query


def test_query_rows_are_the_command_s_csv(turtle: Path) -> None:
    query = "queries/people.rq"
    cli = run_cli("query", query, "examples", "--format", "csv")
    rows = kvgraph.query(query, "examples")
    assert rows.ok and rows.columns == ("kamervraag", "role", "name", "party")
    assert _as_csv_cells(list(rows)) == _csv(cli.text)
    from_file = kvgraph.query("SELECT ?t WHERE { ?k a <https://w3id.org/kvgraph/def/Kamervraag> ; "
                              "<http://purl.org/dc/terms/title> ?t } ORDER BY ?t", [turtle])
    assert len(list(from_file)) == 10


def test_query_named_with_as_of() -> None:
    cli = run_cli("query", "--named", "overdue-per-party", "--as-of", "2024-05-01", "examples", "--format", "csv")
    rows = kvgraph.query(named="overdue-per-party", inputs="examples", as_of="2024-05-01")
    assert _as_csv_cells(list(rows)) == _csv(cli.text)
    assert list(kvgraph.query(named="overdue-per-party", inputs="examples", as_of=datetime.date(2024, 5, 1))) == \
        list(kvgraph.query(named="overdue-per-party", inputs="examples", as_of="2024-05-01"))
    with pytest.raises(ValueError, match="not a date"):
        kvgraph.query(named="overdue-per-party", inputs="examples", as_of="1 mei 2024")


def test_query_reports_inputs_it_left_out(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b ")
    seen = []
    rows = kvgraph.query("SELECT ?k WHERE { ?k a <https://w3id.org/kvgraph/def/Kamervraag> }", [SAMPLE, bad],
                         on_diagnostic=seen.append)
    assert not rows.ok and seen == list(rows.diagnostics) and "cannot read RDF" in seen[0].message
    assert [row["k"] for row in rows] == ["https://w3id.org/kvgraph/id/kamervraag/2022Z04503"]
    with pytest.raises(SyntaxError):
        kvgraph.query("SELECT nonsense", SAMPLE)
    with pytest.raises(ValueError, match="exactly one"):
        kvgraph.query("SELECT * {}", SAMPLE, store=tmp_path)


# ---------------------------------------------------------------------------------------------
# load


def test_load_into_a_store_then_query_it(tmp_path: Path) -> None:
    from kvgraph.loader import LoadError

    store = tmp_path / "kv.db"
    first = kvgraph.load("examples", store=store, jobs=2)
    assert (first.documents, first.loaded, first.unchanged, first.errors) == (10, 10, 0, 0)
    again = kvgraph.load(["examples"], store=str(store))
    assert (again.loaded, again.unchanged) == (10, 10)
    rows = kvgraph.query(named="answer-times-per-year", store=store)
    assert _as_csv_cells(list(rows)) == _csv(run_cli("query", "--named", "answer-times-per-year", "examples",
                                                       "--format", "csv").text)
    deleted = kvgraph.load(store=store, delete="2022Z04503")
    assert deleted.deleted == 1
    left = kvgraph.query("SELECT (COUNT(*) AS ?n) WHERE { ?k a <https://w3id.org/kvgraph/def/Kamervraag> }", store=store)
    assert list(left) == [{"n": "9"}]
    with pytest.raises(LoadError, match="no store"):
        kvgraph.query("SELECT * {}", store=tmp_path / "missing")
    with pytest.raises(ValueError, match="exactly one"):
        kvgraph.load("examples")
    with pytest.raises(TypeError, match="paths"):
        kvgraph.load(io.StringIO(SAMPLE_TEXT), store=store)


# ---------------------------------------------------------------------------------------------
# publish


def _files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_publish_writes_the_release_of_the_command(tmp_path: Path) -> None:
    from kvgraph.release import PublishError

    keywords = dict(date="2025-01-31", validate=False, publisher="https://data.example.nl/",
                    publisher_name="Voorbeeld", allow_example_base=True)
    published = kvgraph.publish("examples", tmp_path / "api", **keywords)
    assert published.summary.converted == 10 and len(published.files) == 15
    cli = run_cli("publish", "examples", "--out", str(tmp_path / "cli"), "--date", "2025-01-31", "--no-validate",
                  "--publisher", "https://data.example.nl/", "--publisher-name", "Voorbeeld", "--allow-example-base")
    assert cli.code == 0
    assert _files(tmp_path / "api") == _files(tmp_path / "cli")
    with pytest.raises(ValueError, match="absolute"):
        kvgraph.publish("examples", tmp_path / "other", publisher="data.example.nl")
    with pytest.raises(PublishError, match="reserved example domain"):
        kvgraph.publish("examples", tmp_path / "other", base="https://example.org/kv/")


# ---------------------------------------------------------------------------------------------
# reconcile


def test_reconcile_rows_are_the_command_s_csv() -> None:
    cli = run_cli("reconcile", "examples", "--format", "csv")
    found = kvgraph.reconcile("examples")
    assert _as_csv_cells(found.rows) == _csv(cli.text)
    assert (found.documents, found.errors) == (10, 0) and found.line() in cli.stderr
    assert sum(found.mentions.values()) == sum(int(row["mentions"]) for row in found.rows)


# ---------------------------------------------------------------------------------------------
# The README


def test_the_readme_s_python_examples_run_as_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every `>>>` example in README.md, in order, in a folder with the examples and queries."""
    for name in ("examples", "queries"):
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    failed, tried = doctest.testfile(str(ROOT / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS,
                                     encoding="utf-8")
    assert tried > 20 and failed == 0
