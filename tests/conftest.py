"""Shared fixtures: the bundled examples and a way to run the real CLI in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SAMPLE = EXAMPLES / "2022Z04503.txt"


def read_manifest(out_dir: Path) -> tuple[dict, list[dict]]:
    """The header and the per-input lines of an `--out-dir` folder's manifest (JSON Lines)."""
    header, *inputs = (json.loads(line) for line in (out_dir / "manifest.json").read_bytes().splitlines())
    return header, inputs


def example_documents() -> list[Path]:
    return sorted(EXAMPLES.glob("*.txt"))


def expected_record(document: Path) -> dict:
    return json.loads(document.with_suffix(".expected.json").read_text("utf-8"))


@dataclass
class Run:
    code: int
    stdout: bytes
    stderr: str

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8")


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path = ROOT) -> Run:
    """Run `kvgraph ARGS` as a user would, in a separate process."""
    done = subprocess.run([sys.executable, "-m", "kvgraph", *args], input=stdin, capture_output=True, cwd=cwd,
                          check=False)
    return Run(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))


@pytest.fixture
def cli():
    return run_cli
