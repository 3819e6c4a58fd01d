"""A second, independent reader for kvgraph's Turtle and N-Triples: Raptor's `rapper` (C, not
Rust or Python). It must read every output, count the same triples as kvgraph and pyoxigraph,
and (re-serialized by rapper as N-Triples) give back exactly the triples kvgraph meant.

Raptor 2.0.15 cannot read the noncharacters U+FFFE and U+FFFF in literals (it cuts the literal
short or stops with "Illegal Unicode character"), although RDF 1.1 allows them; the generated
documents here replace those two, everything else hostile stays.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES, example_documents
from hostile_docs import expected_statements, kamervragen, render, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import RdfFormat, Triple, parse

from kvgraph import pipeline
from kvgraph.model import Kamervraag

RAPPER = shutil.which("rapper")
pytestmark = pytest.mark.skipif(RAPPER is None, reason="rapper is not installed (Debian package raptor2-utils; "
                                                       ".ci/run installs it): no second, independent parser")
SYNTAX = {"turtle": "turtle", "nt": "ntriples"}
OXIGRAPH = {"turtle": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES}
BASE = "http://base.invalid/"  # rapper wants a base IRI for stdin; kvgraph writes only absolute IRIs


def rapper_count(data: bytes, fmt: str) -> int:
    """`rapper -c`: parse and count. Fails the test on any error or warning rapper prints."""
    done = subprocess.run([RAPPER, "-i", SYNTAX[fmt], "-c", "-", BASE], input=data, capture_output=True, check=False)
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0 and not re.search(r"error|warning", stderr, re.IGNORECASE), stderr
    found = re.search(r"Parsing returned (\d+) triples?", stderr)
    assert found, stderr
    return int(found.group(1))


def rapper_triples(data: bytes, fmt: str) -> list[Triple]:
    """The triples rapper reads, written out by rapper as N-Triples and read back by pyoxigraph."""
    done = subprocess.run([RAPPER, "-q", "-i", SYNTAX[fmt], "-o", "ntriples", "-", BASE], input=data,
                          capture_output=True, check=False)
    assert done.returncode == 0 and not done.stderr, done.stderr.decode("utf-8", "replace")
    return [Triple(q.subject, q.predicate, q.object) for q in parse(done.stdout, format=RdfFormat.N_TRIPLES)]


def oxigraph_triples(data: bytes, fmt: str) -> list[Triple]:
    return [Triple(q.subject, q.predicate, q.object) for q in parse(data, format=OXIGRAPH[fmt])]


@pytest.mark.parametrize("fmt", sorted(SYNTAX))
@pytest.mark.parametrize("inputs", [[str(p)] for p in example_documents()] + [[str(EXAMPLES)]],
                         ids=[p.stem for p in example_documents()] + ["all-examples"])
def test_rapper_reads_every_example_with_the_count_kvgraph_reports(inputs: list[str], fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"out.{fmt}"
    with open(target, "wb") as out:
        summary = pipeline.convert(inputs, out, fmt=fmt, jobs=1, validate_graph=False)
    assert summary.ok and summary.converted == summary.documents > 0
    data = target.read_bytes()
    ours = oxigraph_triples(data, fmt)
    assert rapper_count(data, fmt) == summary.triples == len(ours) == len(set(ours))
    assert set(rapper_triples(data, fmt)) == set(ours)


def _without_raptor_noncharacters(kv: Kamervraag) -> Kamervraag:
    """The document read back from its rendering with U+FFFE and U+FFFF replaced (see the module docstring)."""
    text = render(kv).replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd")
    result = pipeline.parse_string(text, "generated.txt")
    assert result.kamervraag is not None, [str(d) for d in result.diagnostics]
    return result.kamervraag


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(kamervragen(max_questions=3), min_size=1, max_size=3, unique_by=lambda kv: kv.id))
def test_rapper_reads_hostile_documents_exactly(documents: list[Kamervraag]) -> None:
    documents = [_without_raptor_noncharacters(kv) for kv in documents]
    expected = expected_statements(documents, "nt")
    for fmt in SYNTAX:
        data, count = write(documents, fmt)
        assert rapper_count(data, fmt) == count == len(expected) == len(oxigraph_triples(data, fmt))
        assert set(rapper_triples(data, fmt)) == expected
