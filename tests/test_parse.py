"""The parser on real documents: the sample field by field, every example against its
hand-written expected record, and the format's variations one by one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLE, example_documents, expected_record

from kvgraph import pipeline
from kvgraph.parser import split_top_level
from kvgraph.read import RawDocument

SAMPLE_TEXT = SAMPLE.read_text("utf-8")
SHARED_EXPECTED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "2022Z04503.expected.json"


def _record(text: str | bytes, name: str = "doc.txt") -> dict:
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    result = pipeline.parse_raw(RawDocument(name, data))
    assert result.kamervraag is not None, [str(d) for d in result.diagnostics]
    return result.kamervraag.as_record()


def test_cli_parse_of_the_sample_is_the_expected_record_field_by_field(cli) -> None:
    run = cli("parse", str(SAMPLE))
    assert run.code == 0 and run.stderr == ""
    (line,) = run.text.splitlines()
    record = json.loads(line)
    expected = json.loads(SAMPLE.with_suffix(".expected.json").read_text("utf-8"))
    if SHARED_EXPECTED.exists():
        assert expected == json.loads(SHARED_EXPECTED.read_text("utf-8"))
    assert list(record) == list(expected)
    for key in expected:
        assert record[key] == expected[key], key
    assert len(record["questions"]) == 8 and all(q["answer"] for q in record["questions"])
    assert [p["party"] for p in record["submitters"]] == ["D66", "D66"]
    assert record["answerers"][0]["roles"] == ["viceminister-president", "minister buitenlandse zaken"]
    assert len(record["topics"]) == 4


@pytest.mark.parametrize("document", example_documents(), ids=lambda p: p.name)
def test_every_example_parses_to_its_expected_record(document: Path) -> None:
    result = pipeline.parse_file(str(document))
    assert result.kamervraag is not None, [str(d) for d in result.diagnostics]
    assert result.kamervraag.as_record() == expected_record(document)


def test_examples_cover_the_format_variations() -> None:
    """The bundled examples are meant to exercise each variation at least once."""
    records = [expected_record(p) for p in example_documents()]
    raw = [p.read_bytes() for p in example_documents()]
    answerers = [a for r in records for a in r["answerers"]]
    assert any(r["answered"] is None for r in records)
    assert any(r["footnotes"] for r in records) and any(r["notices"] for r in records)
    assert any(q["answer"] is None for r in records if r["answered"] for q in r["questions"])
    assert any((q["answer"] or "").startswith("Zie antwoord vraag") for r in records for q in r["questions"])
    assert any(a["roles"] and a["party"] is None for a in answerers)
    assert any(not a["roles"] and a["party"] for a in answerers + [s for r in records for s in r["submitters"]])
    assert any(r["topics"] == [] for r in records)
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw) and any(b"\r\n" in b for b in raw)
    assert any(b"\n  \xe2\x80\xa2 Vraag" in b for b in raw) and any(b.endswith(b"\n") for b in raw)
    assert any("\u00a0" in json.dumps(r, ensure_ascii=False) for r in records)


def test_line_endings_bom_and_final_newline_do_not_change_the_record() -> None:
    expected = _record(SAMPLE_TEXT)
    assert _record(SAMPLE_TEXT.replace("\n", "\r\n")) == expected
    assert _record(b"\xef\xbb\xbf" + SAMPLE_TEXT.encode()) == expected
    assert _record(SAMPLE_TEXT + "\n") == expected


def test_two_and_four_space_indentation_give_the_same_record() -> None:
    wide = SAMPLE_TEXT.replace("\n • Vraag", "\n  • Vraag").replace("\n  ", "\n    ")
    assert wide != SAMPLE_TEXT
    assert _record(wide) == _record(SAMPLE_TEXT)


def test_persons_roles_and_parties() -> None:
    text = SAMPLE_TEXT.replace(
        "Beantwoord door Wopke Hoekstra (viceminister-president , minister buitenlandse zaken) (CDA), "
        "Dilan Yeşilgöz-Zegerius (minister justitie en veiligheid) (VVD)",
        "Beantwoord door Conny Helder (minister zonder portefeuille volksgezondheid, welzijn en sport), "
        "Robbert Dijkgraaf (minister onderwijs, cultuur en wetenschap, minister volksgezondheid, welzijn en sport) (D66), "
        "Bruijn",
    ).replace("Indieners Sjoerd Sjoerdsma (D66), Hanneke van der Werf (D66)", "Indiener Fleur Agema (PVV)")
    record = _record(text)
    assert record["submitters"] == [{"name": "Fleur Agema", "party": "PVV"}]
    assert record["answerers"] == [
        {"name": "Conny Helder", "roles": ["minister zonder portefeuille volksgezondheid, welzijn en sport"], "party": None},
        {"name": "Robbert Dijkgraaf",
         "roles": ["minister onderwijs, cultuur en wetenschap", "minister volksgezondheid, welzijn en sport"], "party": "D66"},
        {"name": "Bruijn", "roles": [], "party": None},
    ]


def test_role_positions_and_ministries_are_split() -> None:
    result = pipeline.parse_raw(RawDocument("doc.txt", SAMPLE_TEXT.encode()))
    hoekstra = result.kamervraag.answerers[0]
    assert [(r.position, r.ministry) for r in hoekstra.roles] == [
        ("viceminister-president", None), ("minister", "buitenlandse zaken")]


def test_split_top_level_ignores_commas_inside_parentheses() -> None:
    assert split_top_level("A (minister x, y en z) (D66), B (CDA)") == ["A (minister x, y en z) (D66)", "B (CDA)"]


def test_unanswered_document_with_footnotes_and_notice() -> None:
    head, _, _ = SAMPLE_TEXT.partition(" • Vraag 1")
    head = head.replace("Beantwoord 24 maart 2022 (na 14 dagen)\n", "")
    head = head.replace(head[head.index("Beantwoord door"):head.index("Onderwerpen")], "")
    head = head.replace(head[head.index("Bron antwoord"):], "1. https://nos.nl/artikel/1\n2. NOS, 3 maart 2022\n")
    body = (" • Vraag 1\n  Kent u het bericht?1\n • Vraag 2\n  Wat vindt u ervan,2 en\n  waarom?\n"
            " • Mededeling - 31 maart 2022\n  De vragen kunnen niet binnen de termijn worden beantwoord.\n\n"
            "Kamervraag document nummer: kv-tk-2022Z04503\nVolledige titel: De oproep\n")
    record = _record(head + body)
    assert record["answered"] is None and record["days_to_answer"] is None and record["answer_document"] is None
    assert record["footnotes"] == [{"number": 1, "text": "https://nos.nl/artikel/1"}, {"number": 2, "text": "NOS, 3 maart 2022"}]
    assert record["questions"] == [
        {"number": 1, "text": "Kent u het bericht?1", "answer": None},
        {"number": 2, "text": "Wat vindt u ervan,2 en\nwaarom?", "answer": None},
    ]
    assert record["notices"] == [{"date": "2022-03-31", "text": "De vragen kunnen niet binnen de termijn worden beantwoord."}]


def test_combined_answer_is_kept_and_linked() -> None:
    question = "Kunt u deze vragen afzonderlijk beantwoorden?\n\n  "
    text = SAMPLE_TEXT.replace(question + "Ja.", question + "Zie antwoord vraag 2.")
    result = pipeline.parse_raw(RawDocument("doc.txt", text.encode()))
    question = result.kamervraag.questions[-1]
    assert question.answer == "Zie antwoord vraag 2." and question.see_answer == 2


def test_answer_lines_starting_with_digits_are_answer_text() -> None:
    text = SAMPLE_TEXT.replace("  Ja.\n\n • Vraag 2", "  Ja.\n  2020: 14 meldingen\n  1. Eerste punt\n\n • Vraag 2")
    assert _record(text)["questions"][0]["answer"] == "Ja.\n2020: 14 meldingen\n1. Eerste punt"
    assert _record(text)["footnotes"] == []


def test_every_character_of_the_text_is_kept() -> None:
    tricky = "Hoe «groot «is» het» tekort van € 3,1\u00a0miljard – ‘echt’ \"zo\"?\t "
    text = SAMPLE_TEXT.replace("Kunt u deze vragen afzonderlijk beantwoorden?", tricky)
    assert _record(text)["questions"][-1]["text"] == tricky
