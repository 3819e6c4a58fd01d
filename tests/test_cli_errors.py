"""Bad input through the real CLI: one clear line per problem, exit 1, no traceback,
and the good documents of the same run still converted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SAMPLE

SAMPLE_TEXT = SAMPLE.read_text("utf-8")
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<level>error|warning): (?P<text>.+)$")


def _broken(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _edit(old: str, new: str) -> bytes:
    assert old in SAMPLE_TEXT
    return SAMPLE_TEXT.replace(old, new, 1).encode("utf-8")


BAD_INPUTS = {
    "empty": (b"", r"empty", 1),
    "binary": (b"Kamervraag 2022Z04503\n\x00\x01\x02binary", r"binary", 2),
    "not-utf8": ("Kamervraag 2022Z04503\n\nTitel met caf\xe9\n".encode("latin-1"), r"not UTF-8.*0xe9", 3),
    "no-header": (_edit("Kamervraag 2022Z04503\n", "Vragen 2022Z04503\n"), r"expected 'Kamervraag <zaaknummer>'", 1),
    "impossible-date": (_edit("Ingediend 10 maart 2022", "Ingediend 31 februari 2022"), r"'31 februari 2022' is not a valid date", 5),
    "answer-before-question": (
        _edit("Beantwoord 24 maart 2022 (na 14 dagen)", "Beantwoord 1 maart 2022 (na 14 dagen)"),
        r"answered 2022-03-01 is before the question was submitted \(2022-03-10\)", 6,
    ),
    "days-mismatch": (_edit("(na 14 dagen)", "(na 15 dagen)"), r"'na 15 dagen' does not match the dates", 6),
    "no-submitter": (_edit("Indieners Sjoerd Sjoerdsma (D66), Hanneke van der Werf (D66)\n", ""), r"missing 'Indiener", 1),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_one_clear_line_and_exit_1(cli, tmp_path: Path, case: str) -> None:
    data, message, line = BAD_INPUTS[case]
    bad = _broken(tmp_path, f"{case}.txt", data)
    run = cli("convert", str(bad), str(SAMPLE), "-f", "nt")
    assert run.code == 1
    assert "Traceback" not in run.stderr
    errors = [LINE.match(x) for x in run.stderr.splitlines() if ": error: " in x]
    assert errors and all(errors), run.stderr
    mine = [m for m in errors if m["file"] == str(bad)]
    assert any(re.search(message, m["text"]) for m in mine), run.stderr
    assert any(int(m["line"]) == line for m in mine), run.stderr
    # the good document in the same run is still converted
    assert b"<https://w3id.org/kvgraph/id/kamervraag/2022Z04503>" in run.stdout
    assert "1 converted" in run.stderr


def test_parse_reports_bad_input_and_prints_good_records(cli, tmp_path: Path) -> None:
    bad = _broken(tmp_path, "empty.txt", b"  \n")
    run = cli("parse", str(bad), str(SAMPLE))
    assert run.code == 1
    assert run.stderr.strip() == f"{bad}:1: error: the file is empty"
    assert len(run.text.splitlines()) == 1


def test_missing_file_is_an_error_not_a_traceback(cli, tmp_path: Path) -> None:
    run = cli("convert", str(tmp_path / "nope.txt"))
    assert run.code == 1
    assert "nope.txt: error: No such file or directory" in run.stderr
    assert "Traceback" not in run.stderr


def test_usage_error_exits_2(cli) -> None:
    assert cli("convert").code == 2
    assert cli("convert", str(SAMPLE), "-f", "yaml").code == 2
    assert cli("convert", str(SAMPLE), "--base", "not an iri").code == 2


@pytest.mark.parametrize("base", ["https://a.org/%zz/", "https://a.org/\t/", "https://[x]/"])
def test_a_base_that_would_mint_invalid_iris_is_a_usage_error(cli, base: str) -> None:
    run = cli("convert", str(SAMPLE), "--base", base, "-f", "nt")
    assert run.code == 2 and "--base" in run.stderr and run.stdout == b""


@pytest.mark.parametrize("name, text, what", [
    ("triple-term.ttl", "<http://a/s> <http://a/p> <<( <http://a/s> <http://a/p> <http://a/o> )>> .\n", "triple terms"),
    ("direction.nt", '<http://a/s> <http://a/p> "x"@en--ltr .\n', "directional language strings"),
])
def test_rdf_1_2_terms_kvgraph_does_not_model_are_one_line_errors(cli, tmp_path: Path, name: str, text: str,
                                                                  what: str) -> None:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    run = cli("validate", str(path))
    assert run.code == 1 and "Traceback" not in run.stderr
    assert f"{path}: error: cannot read RDF: " in run.stderr and what in run.stderr


def test_unknown_topic_is_a_warning_and_an_error_under_strict(cli, tmp_path: Path) -> None:
    doc = _broken(tmp_path, "topic.txt", _edit("Onderwerpen internationaal ", "Onderwerpen internationaal ruimtevaart "))
    lenient = cli("convert", str(doc), "-f", "nt")
    assert lenient.code == 0
    assert f"{doc}:9: warning: topic 'ruimtevaart' is not in the OWMS theme list" in lenient.stderr
    assert b"/id/onderwerp/ruimtevaart>" in lenient.stdout
    strict = cli("convert", str(doc), "-f", "nt", "--strict")
    assert strict.code == 1
    assert f"{doc}:9: error: topic 'ruimtevaart'" in strict.stderr
    assert strict.stdout == b""


def test_truncated_document_and_numbering_gap_are_warnings(cli, tmp_path: Path) -> None:
    cut = SAMPLE_TEXT[: SAMPLE_TEXT.index(" • Vraag 8")].replace(" • Vraag 3", " • Vraag 9", 1)
    doc = _broken(tmp_path, "cut.txt", cut.encode())
    run = cli("convert", str(doc), "-f", "nt")
    assert run.code == 0, run.stderr
    assert "warning: no 'Kamervraag document nummer:' footer; the document may be truncated" in run.stderr
    assert re.search(r"cut.txt:\d+: warning: question 9 where question 3 was expected", run.stderr)
    assert cli("convert", str(doc), "-f", "nt", "--strict").code == 1


def test_unplaced_text_is_reported_not_dropped(cli, tmp_path: Path) -> None:
    doc = _broken(tmp_path, "extra.txt", _edit("Bron vraag", "Zomaar een regel\nBron vraag"))
    run = cli("parse", str(doc))
    assert "extra.txt:10: warning: text outside any field, kept nowhere: 'Zomaar een regel'" in run.stderr


def test_duplicate_kamervraag_in_one_run_is_an_error(cli, tmp_path: Path) -> None:
    copy = _broken(tmp_path, "copy.txt", SAMPLE.read_bytes())
    run = cli("convert", str(SAMPLE), str(copy), "-f", "nt")
    assert run.code == 1
    assert f"{copy}:1: error: Kamervraag 2022Z04503 was already read from {SAMPLE}" in run.stderr
