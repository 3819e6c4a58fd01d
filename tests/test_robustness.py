"""Operational guarantees through the real CLI: size limit, machine-readable reports,
atomic output when interrupted, and runs that continue where they stopped."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, read_manifest


def test_documents_over_the_size_limit_are_refused_with_a_clear_error(cli, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(SAMPLE.read_bytes() + b"x" * 5000)
    run = cli("convert", str(big), str(SAMPLE), "--max-bytes", "8000", "-f", "nt")
    assert run.code == 1
    assert f"{big}:1: error: the document is larger than the limit of 8000 bytes (--max-bytes)" in run.stderr
    assert b"/kamervraag/2022Z04503>" in run.stdout  # the good document still converted
    assert cli("parse", "-", "--max-bytes", "100", stdin=SAMPLE.read_bytes()).code == 1


def test_report_lists_every_error_and_warning_with_its_code(cli, tmp_path: Path) -> None:
    odd = tmp_path / "odd.txt"
    odd.write_text(SAMPLE.read_text("utf-8").replace("Onderwerpen internationaal", "Onderwerpen ruimtevaart internationaal"),
                   "utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    report = tmp_path / "report.json"
    run = cli("convert", str(odd), str(empty), "--report", str(report), "-f", "nt")
    assert run.code == 1
    document = json.loads(report.read_text("utf-8"))
    assert document["errors"] == 1 and document["warnings"] == 1
    by_code = {d["code"]: d for d in document["diagnostics"]}
    assert by_code["empty"] == {"path": str(empty), "line": 1, "severity": "error", "code": "empty",
                                "message": "the file is empty"}
    assert by_code["unknown-topic"]["path"] == str(odd) and by_code["unknown-topic"]["line"] == 9
    # the report holds exactly what stderr said
    assert len([x for x in run.stderr.splitlines() if ": error: " in x or ": warning: " in x]) == 2


def test_output_to_a_pipe_or_device_is_written_in_place_not_replaced(cli, tmp_path: Path) -> None:
    """`-o /dev/null` once replaced /dev/null with a regular file (for root): a temporary file was
    renamed over it. A FIFO stands in for the device here, as the bug would break the real one."""
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so that opening it to write does not block
    try:
        run = cli("parse", str(SAMPLE), "-o", str(fifo))
        received = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert run.code == 0, run.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received)["id"] == "2022Z04503"
    assert [p.name for p in tmp_path.iterdir()] == ["out.fifo"]  # no temporary file either


@pytest.fixture
def large_corpus(tmp_path: Path) -> Path:
    """Enough documents for a conversion that runs for several seconds."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    text = SAMPLE.read_text("utf-8")
    for n in range(4000):
        (folder / f"{n:05d}.txt").write_text(text.replace("2022Z04503", f"2022Z{n:05d}"), "utf-8")
    return folder


def _wait_until(started: Callable[[], bool], process: subprocess.Popen) -> None:
    """Wait until the run is under way (what it wrote shows it), however fast the machine is."""
    deadline = time.monotonic() + 60
    while not started():
        assert process.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "the run did not start writing within a minute"
        time.sleep(0.02)
    assert process.poll() is None, "the run ended before it could be interrupted"


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_interrupted_run_leaves_no_partial_file(large_corpus: Path, tmp_path: Path, sig: int, code: int) -> None:
    target = tmp_path / "out" / "all.nt"
    process = subprocess.Popen([sys.executable, "-m", "kvgraph", "convert", str(large_corpus), "-o", str(target),
                                "-f", "nt", "-j", "2", "-q"], cwd=ROOT, stderr=subprocess.PIPE)
    _wait_until(lambda: any(p.stat().st_size > 0 for p in target.parent.glob(".all.nt.*.part")), process)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert b"Traceback" not in stderr
    assert b"interrupted by" in stderr
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # no temporary file left either


def test_interrupted_incremental_run_continues_where_it_stopped(large_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "kvgraph", "convert", str(large_corpus), "--out-dir", str(out), "-f", "nt",
               "-j", "1", "-q", "--no-validate"]
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE)
    _wait_until(lambda: len(list((out / ".cache").glob("*.chunks"))) >= 100, process)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode == 143
    header, inputs = read_manifest(out)
    done = len(inputs)
    assert 0 < done < 4000 and header["stale"]
    cached = {p.name: p.stat().st_mtime_ns for p in (out / ".cache").iterdir()}
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
    assert finished.returncode == 0, finished.stderr
    header, inputs = read_manifest(out)
    assert len(inputs) == 4000 and not header["stale"]
    kept = {p.name: p.stat().st_mtime_ns for p in (out / ".cache").iterdir() if p.name in cached}
    assert sum(kept[name] == cached[name] for name in kept) >= done  # what was done is not done again
    assert (out / "kamervragen.nt").read_bytes().count(b"<https://w3id.org/kvgraph/def/Kamervraag>") == 4000


@pytest.mark.parametrize("command", ["parse", "convert", "convert --out-dir", "validate"])
def test_report_writes_file_names_that_are_not_utf8_escaped(cli, tmp_path: Path, command: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"leeg-\xff.txt")).write_bytes(b"")
    (folder / os.fsdecode(b"vraag-\xff.txt")).write_bytes(SAMPLE.read_bytes())
    (folder / "zz.txt").write_bytes(SAMPLE.read_bytes())  # a duplicate: its message names the first copy
    options = {"convert": ["-f", "nt"], "convert --out-dir": ["-f", "nt", "--out-dir", str(tmp_path / "out")]}
    report = tmp_path / "report.json"
    run = cli(command.split()[0], str(folder), *options.get(command, []), "--report", str(report))
    assert run.code == 1 and "Traceback" not in run.stderr, run.stderr
    by_code = {d["code"]: d for d in json.loads(report.read_text("utf-8"))["diagnostics"]}
    assert by_code["empty"]["path"] == f"{folder}/leeg-\\xff.txt"
    assert by_code["duplicate-kamervraag"]["message"].endswith(f"already read from {folder}/vraag-\\xff.txt")
