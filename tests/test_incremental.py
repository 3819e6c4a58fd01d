"""Streaming, parallel and incremental conversion: the same bytes however it is run."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, read_manifest

from kvgraph import pipeline
from kvgraph.incremental import convert_incremental
from kvgraph.pipeline import Options
from kvgraph.store import mapping_identity


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("*.json", "*.md"))
    return folder


@pytest.fixture
def batches(tmp_path: Path) -> Path:
    """Three batches of documents (pipeline.outcomes hands workers 50 at a time), so that two
    jobs really start worker processes: the examples again and again under new zaaknummers."""
    folder = tmp_path / "batches"
    folder.mkdir()
    examples = sorted(EXAMPLES.glob("*.txt"))
    for n in range(120):
        example = examples[n % len(examples)]
        zaaknummer = f"{example.stem[:5]}{n:05d}"
        (folder / f"{zaaknummer}.txt").write_text(example.read_text("utf-8").replace(example.stem, zaaknummer), "utf-8")
    return folder


def _convert(inputs: list[str], **options) -> bytes:
    out = io.BytesIO()
    assert pipeline.convert(inputs, out, **options).ok
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "nquads", "trig"])
def test_one_and_two_jobs_give_identical_bytes(batches: Path, fmt: str) -> None:
    one = _convert([str(batches)], fmt=fmt, jobs=1)
    two = _convert([str(batches)], fmt=fmt, jobs=2)
    assert one == two and len(one) > 100_000


def test_worker_processes_say_nothing_and_give_the_bytes_of_one_process(cli, batches: Path) -> None:
    one = cli("convert", str(batches), "-j", "1", "-q")
    two = cli("convert", str(batches), "-j", "2", "-q")
    assert one.code == two.code == 0, two.stderr
    assert two.stderr == ""  # a stopped worker does not report the parent's signals as its own
    assert one.stdout == two.stdout


def test_engines_give_identical_output(corpus: Path) -> None:
    assert _convert([str(corpus)], fmt="nt", engine="native") == _convert([str(corpus)], fmt="nt", engine="pyshacl")


def _run(corpus: Path, out: Path, fmt: str = "turtle") -> tuple[pipeline.Summary, list[str]]:
    summary = convert_incremental([str(corpus)], str(out), Options(fmt=fmt), jobs=1,
                                  on_progress=None)
    _, inputs = read_manifest(out)
    return summary, sorted(line["path"] for line in inputs)


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def test_incremental_run_converts_only_new_and_changed_and_drops_deleted(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first, _ = _run(corpus, out)
    assert first.converted == 10 and first.ok
    dump = out / "kamervragen.ttl"
    assert dump.read_bytes() == _convert([str(corpus)], fmt="turtle")
    documents = out / "documents"
    before = _mtimes(documents)

    # unchanged corpus: nothing is written at all
    again, _ = _run(corpus, out)
    assert again.converted == 10 and _mtimes(documents) == before

    # one changed, one new, one deleted
    changed = corpus / "2022Z04503.txt"
    changed.write_text(changed.read_text("utf-8").replace("INTERPOL", "Interpol", 1), "utf-8")
    new_text = (corpus / "2024Z00417.txt").read_text("utf-8").replace("2024Z00417", "2024Z99999")
    (corpus / "2024Z99999.txt").write_text(new_text, "utf-8")
    (corpus / "2020Z19876.txt").unlink()
    os.utime(corpus / "2023Z02291.txt")  # touched, same bytes: not converted again

    third, listed = _run(corpus, out)
    after = _mtimes(documents)
    rewritten = {name for name in after if before.get(name) != after[name]}
    assert rewritten == {"2022Z04503.ttl", "2024Z99999.ttl"}
    assert "2020Z19876.ttl" not in after
    assert third.converted == 10
    assert listed == sorted(str(p) for p in corpus.glob("*.txt"))
    assert dump.read_bytes() == _convert([str(corpus)], fmt="turtle")


def test_incremental_reports_unchanged_bad_documents_again(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.txt").write_text("Kamervraag 2024Z00001\n\nTitel\n\nIngediend 31 februari 2024\n", "utf-8")
    out = tmp_path / "out"
    first = convert_incremental([str(corpus)], str(out), Options(), jobs=1)
    second = convert_incremental([str(corpus)], str(out), Options(), jobs=1)
    assert first.errors == second.errors > 0
    assert [str(d) for d in first.diagnostics] == [str(d) for d in second.diagnostics]


def test_changed_options_convert_everything_again(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    convert_incremental([str(corpus)], str(out), Options(fmt="nt"), jobs=1)
    convert_incremental([str(corpus)], str(out), Options(fmt="nt", base="https://other.example.org/"), jobs=1)
    assert b"https://other.example.org/id/" in (out / "kamervragen.nt").read_bytes()


def test_a_folder_made_by_another_kvgraph_is_converted_again(corpus: Path, tmp_path: Path) -> None:
    """The graphs name kvgraph's version, and another kvgraph may map or write otherwise: a
    manifest written by another version (here: its header says so) trusts none of its outputs."""
    out = tmp_path / "out"
    convert_incremental([str(corpus)], str(out), Options(fmt="nt"), jobs=1)
    manifest = out / "manifest.json"
    header, *entries = manifest.read_bytes().splitlines(keepends=True)
    older = json.loads(header)
    assert older["settings"]["kvgraph"] == mapping_identity(serializers=True)
    older["settings"]["kvgraph"] = "0" * 64
    manifest.write_bytes(json.dumps(older).encode() + b"\n" + b"".join(entries))
    again = convert_incremental([str(corpus)], str(out), Options(fmt="nt"), jobs=1)
    assert again.converted == 10 and again.documents == 10


def test_duplicate_is_left_out_until_the_first_copy_is_gone(corpus: Path, tmp_path: Path) -> None:
    shutil.copy(corpus / "2022Z04503.txt", corpus / "zz-copy.txt")
    out = tmp_path / "out"
    first = convert_incremental([str(corpus)], str(out), Options(fmt="nt"), jobs=1)
    assert first.errors == 1 and "already read from" in str(first.diagnostics[-1])
    (corpus / "2022Z04503.txt").unlink()
    second = convert_incremental([str(corpus)], str(out), Options(fmt="nt"), jobs=1)
    assert second.ok and b"/kamervraag/2022Z04503>" in (out / "kamervragen.nt").read_bytes()


def test_cli_out_dir(cli, corpus: Path, tmp_path: Path) -> None:
    run = cli("convert", str(corpus), "--out-dir", str(tmp_path / "o"), "-f", "json-ld", "-j", "2")
    assert run.code == 0, run.stderr
    assert "10 documents, 10 converted" in run.stderr
    per_document = sorted(p.name for p in (tmp_path / "o" / "documents").iterdir())
    assert len(per_document) == 10 and all(name.endswith(".jsonld") for name in per_document)
    for name in per_document:
        json.loads((tmp_path / "o" / "documents" / name).read_text("utf-8"))


def test_an_interrupted_run_leaves_no_document_out_of_date(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    convert_incremental([str(corpus)], str(out), Options(fmt="nt"), jobs=1)
    changed = corpus / "2022Z04503.txt"
    changed.write_text(changed.read_text("utf-8").replace("INTERPOL", "Interpol", 1), "utf-8")
    (corpus / "2020Z19876.txt").unlink()

    def interrupt_when_all_are_converted(done: int, total: int) -> None:
        if done == total:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):  # converted and cached, but documents/ and the dump not yet written
        convert_incremental([str(corpus)], str(out), Options(fmt="nt"), jobs=1, on_progress=interrupt_when_all_are_converted)
    assert read_manifest(out)[0]["stale"]
    assert convert_incremental([str(corpus)], str(out), Options(fmt="nt"), jobs=1).ok
    assert (out / "documents" / "2022Z04503.nt").read_bytes() == _convert([str(changed)], fmt="nt")
    assert not (out / "documents" / "2020Z19876.nt").exists()
    assert (out / "kamervragen.nt").read_bytes() == _convert([str(corpus)], fmt="nt")


def test_a_file_name_that_is_not_utf8_is_remembered_across_runs(corpus: Path, tmp_path: Path) -> None:
    odd = corpus / os.fsdecode(b"vraag-\xff.txt")  # a lone surrogate in Python
    odd.write_text((corpus / "2024Z00417.txt").read_text("utf-8").replace("2024Z00417", "2024Z99999"), "utf-8")
    out = tmp_path / "out"
    first, listed = _run(corpus, out, "nt")
    assert first.converted == 11 and first.ok and str(odd) in listed
    assert (out / "manifest.json").read_bytes().isascii()
    outputs = _mtimes(out / ".cache") | _mtimes(out / "documents")
    again, _ = _run(corpus, out, "nt")
    assert again.converted == 11 and _mtimes(out / ".cache") | _mtimes(out / "documents") == outputs  # not converted again
    odd.unlink()
    _run(corpus, out, "nt")
    assert not (out / "documents" / "2024Z99999.nt").exists()
    assert (out / "kamervragen.nt").read_bytes() == _convert([str(corpus)], fmt="nt")


def test_an_input_that_is_not_there_is_reported_on_every_run(corpus: Path, tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.txt")
    for _ in range(2):
        summary = convert_incremental([str(corpus), missing], str(tmp_path / "out"), Options(fmt="nt"), jobs=1)
        assert (summary.documents, summary.converted, summary.errors) == (11, 10, 1)
        assert [(d.path, d.code) for d in summary.diagnostics] == [(missing, "unreadable")]
