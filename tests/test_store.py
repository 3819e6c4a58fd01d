"""`kvgraph load --store`: the embedded store keeps every triple in the default graph and a record
of what each Kamervraag wrote (kvgraph/store.py).

The reference for every state of a store is a fresh load of the same inputs into an empty store
(and that one is held to `kvgraph convert`): a re-load, a replaced, deleted or pruned
Kamervraag, or loads split over several runs must leave exactly the triples a fresh load gives,
shared persons, parties and topics included.
"""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from conftest import EXAMPLES, example_documents
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, parse
from test_load import CHANGED, corpus, kvgraph, retitle, summary_of

from kvgraph import pipeline
from kvgraph.loader import load
from kvgraph.store import RECORD, StoreTarget
from kvgraph.vocab import DEFAULT_BASE


def triples_of(path: Path) -> set[str]:
    """The store's triples as N-Triples; it must have no named graphs."""
    store = Store.read_only(str(path))
    try:
        assert not list(store.named_graphs())
        return {str(quad.triple) for quad in store.quads_for_pattern(None, None, None, DefaultGraph())}
    finally:
        del store


def converted(*inputs: Path) -> set[str]:
    out = io.BytesIO()
    pipeline.convert([str(i) for i in inputs], out, fmt="nt", validate_graph=False)
    return {str(t) for t in parse(out.getvalue(), format=RdfFormat.N_TRIPLES)}


def fresh(tmp_path: Path, folder: Path) -> set[str]:
    """The triples of a fresh load of `folder` into a new store."""
    target = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
    run = kvgraph("load", str(folder), "--store", str(target), "--no-validate")
    assert run.exit_code == 0, run.output
    return triples_of(target)


def test_first_load_holds_what_convert_writes_and_a_reload_reads_nothing(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    first = kvgraph("load", str(EXAMPLES), "--store", str(store))
    assert first.exit_code == 0, first.output
    assert summary_of(first)[:5] == (10, 10, 0, 0, 0)
    before = triples_of(store)
    assert before == converted(EXAMPLES)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged input was converted again")

    monkeypatch.setattr(pipeline, "process", refuse)
    again = kvgraph("load", str(EXAMPLES), "--store", str(store))
    assert again.exit_code == 0, again.output
    assert summary_of(again)[1:4] == (10, 0, 10)
    assert summary_of(again)[5] == summary_of(first)[5]  # the triples counted from the record
    assert triples_of(store) == before


def test_a_changed_document_replaces_exactly_its_own_triples(tmp_path: Path) -> None:
    folder, store = corpus(tmp_path), tmp_path / "store"
    assert kvgraph("load", str(folder), "--store", str(store)).exit_code == 0
    before = triples_of(store)
    retitle(folder)
    run = kvgraph("load", str(folder), "--store", str(store))
    assert run.exit_code == 0 and summary_of(run)[1:4] == (10, 1, 9), run.output
    after = triples_of(store)
    assert after == fresh(tmp_path, folder)
    # the title and the input's digest changed, nothing else
    assert {t.split(" ")[1] for t in before ^ after} == {"<http://purl.org/dc/terms/title>",
                                                         "<https://w3id.org/kvgraph/def/sha256>"}


def test_delete_and_prune_leave_what_a_fresh_load_of_the_rest_gives(tmp_path: Path) -> None:
    folder, store = corpus(tmp_path), tmp_path / "store"
    assert kvgraph("load", str(folder), "--store", str(store), "--no-validate").exit_code == 0
    run = kvgraph("load", "--store", str(store), "--delete", CHANGED, "--delete", "2099Z00001")
    assert run.exit_code == 0 and summary_of(run)[4] == 1, run.output
    (folder / f"{CHANGED}.txt").unlink()
    shared = converted(folder) & converted(EXAMPLES / f"{CHANGED}.txt")
    assert shared and shared <= triples_of(store)  # a party or topic the deleted one shared stays
    assert triples_of(store) == fresh(tmp_path, folder)

    (folder / "2020Z19876.txt").unlink()
    run = kvgraph("load", str(folder), "--store", str(store), "--no-validate", "--prune")
    assert run.exit_code == 0 and summary_of(run)[4] == 1, run.output
    assert triples_of(store) == fresh(tmp_path, folder)


def test_loads_over_several_runs_give_the_store_of_one_load(tmp_path: Path) -> None:
    """The first run bulk-loads an empty store, the later ones write by difference."""
    store = tmp_path / "store"
    for path in example_documents():
        run = kvgraph("load", str(path), "--store", str(store), "--no-validate")
        assert run.exit_code == 0 and summary_of(run)[:2] == (1, 1), run.output
    assert triples_of(store) == converted(EXAMPLES)
    record = sqlite3.connect(store / RECORD)
    assert record.execute("SELECT count(*) FROM kamervraag").fetchone()[0] == 10
    assert record.execute("SELECT min(count) FROM shared").fetchone()[0] >= 1


def test_jobs_give_the_same_store(tmp_path: Path) -> None:
    one = kvgraph("load", str(EXAMPLES), "--store", str(tmp_path / "one"), "-j", "1")
    two = kvgraph("load", str(EXAMPLES), "--store", str(tmp_path / "two"), "--jobs", "2")
    assert one.exit_code == two.exit_code == 0, one.output + two.output
    assert triples_of(tmp_path / "one") == triples_of(tmp_path / "two")


def test_validation_runs_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Load validates like convert: whole batches at once (one call for the ten examples)."""
    sizes: list[int] = []
    real = pipeline.validate_documents

    def counted(documents: list, engine: str = "native", mapped: bool = False, base: str = DEFAULT_BASE) -> list:
        sizes.append(len(documents))
        return real(documents, engine, mapped, base)

    monkeypatch.setattr(pipeline, "validate_documents", counted)
    summary = load([str(EXAMPLES)], StoreTarget(tmp_path / "store"))
    assert sizes == [10] and summary.loaded == 10 and summary.ok


def test_bad_documents_are_reported_and_the_good_ones_loaded(tmp_path: Path) -> None:
    folder, store = corpus(tmp_path), tmp_path / "store"
    (folder / "broken.txt").write_bytes(b"Kamervraag 2099Z00001\n\x00binary")
    run = kvgraph("load", str(folder), "--store", str(store))
    assert run.exit_code == 1 and "broken.txt:" in run.stderr and run.exception.__class__ is SystemExit
    assert summary_of(run)[:2] == (11, 10) and triples_of(store) == converted(folder)


def test_prune_is_refused_when_an_input_has_errors(tmp_path: Path) -> None:
    folder, store = corpus(tmp_path), tmp_path / "store"
    assert kvgraph("load", str(EXAMPLES), "--store", str(store), "--no-validate").exit_code == 0
    (folder / "2020Z19876.txt").write_text("not a Kamervraag\n", "utf-8")
    run = kvgraph("load", str(folder), "--store", str(store), "--no-validate", "--prune")
    assert run.exit_code == 1 and "error: not pruning" in run.stderr
    # the nine good copies were loaded (their provenance names the new paths); the tenth stays as it was
    assert triples_of(store) == converted(folder) | converted(EXAMPLES / "2020Z19876.txt")


def test_a_second_kamervraag_naming_the_same_answer_document_is_refused(tmp_path: Path) -> None:
    """Removing one would take the other's document away, so the later one is an error."""
    folder, store = corpus(tmp_path), tmp_path / "store"
    text = (folder / f"{CHANGED}.txt").read_text("utf-8")
    twin = folder / "twin.txt"
    twin.write_text(text.replace(CHANGED, "2022Z99999"), "utf-8")
    run = kvgraph("load", str(folder), "--store", str(store))
    assert run.exit_code == 1 and summary_of(run)[:2] == (11, 10), run.output
    assert "twin.txt:1: error: document <https://w3id.org/kvgraph/id/document/ah-tk-20212022-2218> " \
           "already belongs to <https://w3id.org/kvgraph/id/kamervraag/2022Z04503>" in run.stderr, run.stderr
    twin.unlink()
    assert triples_of(store) == fresh(tmp_path, folder)


def test_a_store_of_the_named_graph_layout_is_refused(tmp_path: Path) -> None:
    old = tmp_path / "old"
    store = Store(str(old))
    node = NamedNode("https://w3id.org/kvgraph/id/kamervraag/2022Z04503")
    store.add(Quad(node, node, node, node))
    store.flush()
    del store
    run = kvgraph("load", str(EXAMPLES), "--store", str(old))
    assert run.exit_code == 1 and run.stderr.startswith(f"error: {old} was loaded by an older kvgraph"), run.output
    query = kvgraph("query", "--named", "answer-times", "--store", str(old))
    assert query.exit_code == 1 and "is not a store of this kvgraph" in query.stderr, query.output


def test_a_record_left_by_an_interrupted_first_load_starts_over(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert kvgraph("load", str(EXAMPLES / "2022Z04503.txt"), "--store", str(store)).exit_code == 0
    record = sqlite3.connect(store / RECORD)
    record.execute("UPDATE meta SET value = 'bulk' WHERE key = 'state'")
    record.commit()
    record.close()
    run = kvgraph("load", str(EXAMPLES), "--store", str(store))
    assert run.exit_code == 0 and summary_of(run)[1:4] == (10, 0, 0), run.output
    assert triples_of(store) == converted(EXAMPLES)


def test_a_listing_of_300000_rows_streams(tmp_path: Path) -> None:
    """Rows are written as the engine gives them: the first is out before the query ends, and the
    memory of the run does not grow with the rows (holding 300,000 rows of 100 characters would
    take over 100 MB)."""
    import os
    import subprocess
    import sys

    from kvgraph.store import Record

    folder = tmp_path / "store"
    store = Store(str(folder))
    predicate = NamedNode("https://example.org/p")
    store.bulk_load(input="".join(f'<https://example.org/s{n}> <https://example.org/p> "{n:0100d}" .\n'
                                  for n in range(300_000)), format=RdfFormat.N_TRIPLES)
    store.flush()
    del store
    Record(folder).close()  # an empty record: a store as `kvgraph load` makes it

    def run(query: str) -> tuple[int, float, bytes]:
        process = subprocess.Popen([sys.executable, "-m", "kvgraph", "query", query, "--store", str(folder),
                                    "--format", "csv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdout is not None
        first = process.stdout.readline() + process.stdout.readline()
        running = process.poll() is None
        rest = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0 and running
        return (first + rest).count(b"\n") - 1, usage.ru_maxrss / 1024, first

    rows, peak, first = run(f"SELECT ?s ?o WHERE {{ ?s <{predicate.value}> ?o }}")
    one, baseline, _ = run(f"SELECT ?s ?o WHERE {{ ?s <{predicate.value}> ?o }} LIMIT 1")
    assert (rows, one) == (300_000, 1) and first.startswith(b"s,o\r\nhttps://example.org/s")
    assert peak < baseline + 40, (peak, baseline)

    for fmt in ("csv", "table"):  # a reader that stops early (`| head -1`): the query ends, quietly
        process = subprocess.Popen([sys.executable, "-m", "kvgraph", "query", "SELECT ?s ?o WHERE { ?s ?p ?o }",
                                    "--store", str(folder), "--format", fmt], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline().split() in ([b"s,o"], [b"s", b"o"])
        process.stdout.close()
        assert process.wait(timeout=60) == 1 and process.stderr.read() == b"", fmt
