"""The synthetic corpus generator (benchmarks/generate.py): deterministic, and every document it
writes parses cleanly into exactly the facts it meant to write."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import generate  # noqa: E402

from kvgraph.pipeline import parse_raw  # noqa: E402
from kvgraph.read import RawDocument  # noqa: E402

COUNT = 200


def _digest(count: int, seed: int) -> str:
    digest = hashlib.sha256()
    for zaaknummer, text in generate.generate(count, seed):
        digest.update(zaaknummer.encode())
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()


@pytest.fixture(scope="module")
def documents() -> list[tuple[generate.Plan, str]]:
    return list(generate.generate_plans(COUNT, 1))


def test_same_seed_same_bytes_different_seed_different_bytes() -> None:
    assert _digest(60, 7) == _digest(60, 7)
    assert _digest(60, 7) != _digest(60, 8)


def test_generate_matches_plans_and_zaaknummers_are_unique(documents) -> None:
    pairs = list(generate.generate(COUNT, 1))
    assert [(p.zaaknummer, text) for p, text in documents] == pairs
    ids = [z for z, _ in pairs]
    assert len(set(ids)) == COUNT
    assert all(generate.FIRST_YEAR <= int(z[:4]) <= generate.LAST_YEAR and z[4] == "Z" and len(z) == 10 for z in ids)


def test_write_corpus_writes_the_same_bytes(tmp_path: Path) -> None:
    paths = generate.write_corpus(40, 3, tmp_path)
    written = {p.stem: p.read_bytes() for p in paths}
    assert all(p.parent.name == p.stem[:4] for p in paths)
    assert written == {z: text.encode("utf-8") for z, text in generate.generate(40, 3)}


def test_every_document_parses_without_diagnostics(documents) -> None:
    for plan, text in documents:
        result = parse_raw(RawDocument(f"{plan.zaaknummer}.txt", text.encode("utf-8")))
        assert result.diagnostics == (), (plan.zaaknummer, result.diagnostics)
        assert result.kamervraag is not None


def test_parsed_fields_are_the_intended_ones(documents) -> None:
    for plan, text in documents:
        kv = parse_raw(RawDocument(f"{plan.zaaknummer}.txt", text.encode("utf-8"))).kamervraag
        assert kv.id == plan.zaaknummer
        assert kv.title == plan.title
        assert kv.submitted == plan.submitted
        assert kv.answered == plan.answered
        assert kv.days_to_answer == plan.days
        assert [(p.name, p.party) for p in kv.submitters] == [(p.name, p.party) for p in plan.submitters]
        assert [(p.name, [r.text for r in p.roles], p.party) for p in kv.answerers] == [
            (p.name, p.role_texts, p.party) for p in plan.answerers
        ]
        assert list(kv.topics) == plan.topics
        assert [f.text for f in kv.footnotes] == plan.footnotes
        assert [(q.text, q.answer) for q in kv.questions] == plan.questions
        assert [(n.date, n.text) for n in kv.notices] == plan.notices
        assert kv.question_document.title == plan.question_title
        if plan.answered is None:
            assert kv.answer_document is None
        else:
            assert kv.answer_document.number == plan.answer_number
            assert kv.answer_document.title == plan.answer_title


def test_the_corpus_has_the_variations(documents) -> None:
    plans = [p for p, _ in documents]
    texts = [t for _, t in documents]
    unanswered = sum(p.answered is None for p in plans)
    assert 0.08 * COUNT < unanswered < 0.25 * COUNT
    assert any(p.footnotes for p in plans)
    assert any(p.notices for p in plans)
    assert any(not p.topics for p in plans)
    assert any(p.crlf for p in plans) and any(p.bom for p in plans)
    assert any(p.indent == ("  ", "    ") for p in plans)
    assert any(p.answered and any(a is None for _, a in p.questions) for p in plans)
    assert any(a and a.startswith("Zie antwoord vraag") for p in plans for _, a in p.questions)
    assert any(len(p.submitters) == 1 for p in plans) and any(len(p.submitters) == 3 for p in plans)
    assert any("(viceminister-president , minister " in t for t in texts)
    assert any("(minister-president , minister algemene zaken)" in t for t in texts)
    assert any("\u00a0" in t for t in texts) and any("–" in t for t in texts) and any("€ " in t for t in texts)


def test_answer_numbers_are_unique_and_in_the_vergaderjaar_of_the_answer() -> None:
    plans = list(generate.plans(COUNT, 2))
    numbers = [p.answer_number for p in plans if p.answer_number]
    assert len(numbers) == len(set(numbers))
    for plan in plans:
        if plan.answered:
            assert plan.answer_number.split("-")[2] == generate.vergaderjaar(plan.answered)
