"""The named queries (queries/*.rq, bundled as kvgraph/data/queries) against the examples.

Expected rows come from the examples' hand-written JSON records (examples/*.expected.json)
with plain Python (dates, statistics, the OWMS theme list as CSV), never from kvgraph's
mapping or RDF, so each test is an independent check of the query.
"""

from __future__ import annotations

import csv
import datetime
import json
import statistics
import sys
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, ROOT, example_documents, expected_record
from pyoxigraph import Store

from kvgraph import pipeline
from kvgraph.cli import main

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

from kvgraph import reconciliation  # noqa: E402
from kvgraph.reference import load  # noqa: E402
from kvgraph.sparql import FINISHED, named_query, named_query_names, run_named, select, store_of  # noqa: E402

# The graph names linked persons, parties and ministries as the reference does (issue 14): the
# figures below are computed from the records with the same reconciliation, so that what is
# tested here is the queries and their statistics.
REFERENCE = load()

POSITIONS = sorted(["minister", "minister zonder portefeuille", "staatssecretaris", "minister-president",
                    "viceminister-president"], key=len, reverse=True)
# Days on which the examples' open Kamervragen cross a term, and the days either side.
AS_OF_DATES = ["2020-11-05", "2020-11-06", "2023-03-14", "2023-04-04", "2023-04-05", "2023-04-11",
               "2023-05-10", "2024-04-17", "2024-05-08", "2025-01-31"]


def _records() -> list[dict]:
    return [expected_record(document) for document in example_documents()]


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _store(paths: list[str]) -> Store:
    triples = []
    for result in pipeline.parse_inputs(paths):
        assert result.kamervraag is not None, [str(d) for d in result.diagnostics]
        triples += pipeline.build_triples(result.kamervraag)
    return store_of(triples)


@pytest.fixture(scope="module")
def examples() -> Store:
    return _store([str(EXAMPLES)])


def _rows(store: Store, name: str, as_of: str | None = None, way: str = "finished") -> list[tuple[str | None, ...]]:
    """A named query's rows: the portable SPARQL of queries/, or (finished) the rows of queries/fetch/
    finished in Python, as `kvgraph query --named` runs it."""
    day = _day(as_of) if as_of else None
    if way == "portable":
        return list(select(store, named_query(name, day)).rows)
    return list(run_named(name, lambda text: select(store, text), day).rows)


@pytest.fixture(params=["portable", "finished"])
def rows(request: pytest.FixtureRequest):
    """Both ways of running a named query; the tests hold each to the same expected rows."""
    return lambda store, name, as_of=None: _rows(store, name, as_of, request.param)


# --- answer times ---------------------------------------------------------------------------------


def _ministry(role: str) -> str | None:
    """`minister justitie en veiligheid` -> `justitie en veiligheid`; None for positions without one."""
    for position in POSITIONS:
        if role == position or role.startswith(position + " "):
            return role[len(position):].strip() or None
    raise AssertionError(f"role {role!r} starts with no known position")


def _half_up(value: float | Decimal, places: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _answer_times(groups: dict[str, list[int]]) -> dict[str, tuple[int, Decimal, Decimal, Decimal]]:
    """Per group: count, mean (1 decimal), median (exact), share within 21 days (3 decimals)."""
    return {key: (len(days), _half_up(Decimal(sum(days)) / len(days), 1), Decimal(str(statistics.median(days))),
                  _half_up(Decimal(sum(d <= 21 for d in days)) / len(days), 3))
            for key, days in groups.items()}


def _days(record: dict) -> int:
    days = (_day(record["answered"]) - _day(record["submitted"])).days
    assert days == record["days_to_answer"]
    return days


def _groups(records: list[dict], keys_of) -> dict[str, list[int]]:
    """Answer times per group; a Kamervraag counts once per group it falls in."""
    groups: dict[str, list[int]] = defaultdict(list)
    for record in records:
        if record["answered"]:
            for key in set(keys_of(record)):
                groups[key].append(_days(record))
    return groups


def _as_answer_times(rows: list[tuple[str | None, ...]]) -> dict[str, tuple[int, Decimal, Decimal, Decimal]]:
    return {key: (int(n), Decimal(mean), Decimal(median), Decimal(share)) for key, n, mean, median, share in rows}


def _ministry_label(role: str, record: dict) -> str | None:
    """The ministry's label in the graph: the reference's official name, else the printed one;
    the minister-president's office is in Algemene Zaken."""
    printed = _ministry(role)
    code = "mnre1010" if role == "minister-president" else \
        printed and reconciliation.ministry(REFERENCE, printed, _day(record["answered"] or record["submitted"]))
    return REFERENCE.ministry[code].name if code else printed


def _party_label(submitter: dict, record: dict) -> str | None:
    """A submitter's fractie as the graph labels it: the reference's abbreviation, else as printed."""
    found = reconciliation.party(REFERENCE, submitter["party"], _day(record["submitted"])) if submitter["party"] else None
    return found.abbreviation if found else submitter["party"]


def _mp(submitter: dict, record: dict) -> tuple[str, str | None]:
    """(name, fractie) as the graph has them: a linked MP under the reference's name."""
    match = reconciliation.reconcile(REFERENCE, submitter["name"], submitter["party"], "indiener", (),
                                _day(record["submitted"]))
    return (match.person.name if match.person else submitter["name"]), _party_label(submitter, record)


GROUPINGS = {
    "answer-times-per-ministry": lambda r: [m for a in r["answerers"] for m in (_ministry_label(x, r) for x in a["roles"])
                                            if m],
    "answer-times-per-party": lambda r: [_party_label(s, r) for s in r["submitters"] if s["party"]],
    "answer-times-per-year": lambda r: [r["submitted"][:4]],
}


@pytest.mark.parametrize("name", sorted(GROUPINGS))
def test_answer_times_match_the_records(rows, examples: Store, name: str) -> None:
    expected = _answer_times(_groups(_records(), GROUPINGS[name]))
    rows = rows(examples, name)
    assert [row[0] for row in rows] == sorted(expected, key=lambda k: int(k) if k.isdigit() else k)
    assert _as_answer_times(rows) == expected


def _with_answer_times(tmp_path: Path, days: list[int]) -> list[str]:
    """Copies of one answered example, each answered after the given number of days."""
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
              "oktober", "november", "december"]
    source = (EXAMPLES / "2024Z00417.txt").read_text("utf-8")
    submitted = datetime.date(2024, 1, 11)
    for index, count in enumerate(days):
        answered = submitted + datetime.timedelta(days=count)
        text = (source.replace("2024Z00417", f"2024Z9{index:04d}").replace("ah-tk-20232024-812", f"ah-tk-20232024-9{index:03d}")
                .replace("Beantwoord 11 januari 2024 (na 0 dagen)",
                         f"Beantwoord {answered.day} {months[answered.month - 1]} {answered.year} (na {count} dagen)"))
        (tmp_path / f"{index}.txt").write_text(text, "utf-8")
    return [str(tmp_path)]


@pytest.mark.parametrize("days", [[3, 7, 7, 7, 21, 22, 40, 40], [5, 5, 5], [30, 1, 90, 21, 21], [0]])
def test_median_with_ties_odd_and_even_groups(rows, tmp_path: Path, days: list[int]) -> None:
    rows = _as_answer_times(rows(_store(_with_answer_times(tmp_path, days)), "answer-times-per-year"))
    assert rows == _answer_times({"2024": days})


# --- overdue ----------------------------------------------------------------------------------------


def _overdue(record: dict, as_of: datetime.date) -> int | None:
    """Days open when the Kamervraag is overdue on `as_of`, else None."""
    submitted = _day(record["submitted"])
    answered = _day(record["answered"]) if record["answered"] else None
    if submitted > as_of or (answered is not None and answered <= as_of):
        return None
    term = 42 if any(_day(notice["date"]) <= as_of for notice in record["notices"]) else 21
    days = (as_of - submitted).days
    return days if days > term else None


def _overdue_per(key_of, as_of: str) -> set[tuple]:
    """(key..., overdue Kamervragen, longest days open) for every key with one or more."""
    found: dict[tuple, list[int]] = defaultdict(list)
    for record in _records():
        days = _overdue(record, _day(as_of))
        if days is not None:
            for key in {key_of(s, record) for s in record["submitters"]} - {None}:
                found[key].append(days)
    return {(*key, str(len(days)), str(max(days))) for key, days in found.items()}


def test_overdue_dates_cover_every_case() -> None:
    """The chosen dates make each example's open period, notices and terms count somewhere."""
    seen = {(r["id"], _overdue(r, _day(d)) is not None) for r in _records() for d in AS_OF_DATES}
    assert {("2020Z19876", True), ("2020Z19876", False), ("2023Z03518", True), ("2023Z03518", False),
            ("2024Z05123", True), ("2024Z05123", False), ("2023Z06712", True)} <= seen


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_overdue_per_party_matches_the_records(rows, examples: Store, as_of: str) -> None:
    expected = _overdue_per(lambda s, r: (_party_label(s, r),) if s["party"] else None, as_of)
    assert set(rows(examples, "overdue-per-party", as_of)) == expected


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_overdue_per_mp_matches_the_records(rows, examples: Store, as_of: str) -> None:
    expected = _overdue_per(_mp, as_of)
    assert set(rows(examples, "overdue-per-mp", as_of)) == expected


def test_overdue_rows_are_ordered_most_overdue_first(rows, examples: Store) -> None:
    rows = rows(examples, "overdue-per-party", "2023-04-05")
    assert [(-int(r[1]), r[0]) for r in rows] == sorted((-int(r[1]), r[0]) for r in rows)
    assert rows[0][:2] == ("VVD", "2")  # two open Kamervragen of VVD members: 2020Z19876 and 2023Z03518


def test_overdue_without_as_of_counts_up_to_today(rows, examples: Store) -> None:
    expected = _overdue_per(lambda s, r: (_party_label(s, r),) if s["party"] else None, datetime.date.today().isoformat())
    assert set(rows(examples, "overdue-per-party")) == expected


# --- themes -----------------------------------------------------------------------------------------


def _top_themes() -> dict[str, set[str]]:
    """Lower-cased OWMS label -> labels of its top-level themes, from the theme list as CSV."""
    with (ROOT / "kvgraph" / "data" / "owms-themes.csv").open(encoding="utf-8") as stream:
        themes = list(csv.DictReader(stream))
    by_uri = {t["uri"]: t for t in themes}
    labels: dict[str, set[str]] = defaultdict(set)
    for theme in themes:
        top = theme
        while top["broader"]:
            top = by_uri[top["broader"]]
        labels[theme["label"].lower()].add(top["label"])
    return labels


def test_questions_per_party_and_top_level_theme(rows, examples: Store) -> None:
    tops = _top_themes()
    kamervragen: Counter = Counter()
    questions: Counter = Counter()
    for record in _records():
        for party in {_party_label(s, record) for s in record["submitters"]} - {None}:
            assert all(len(tops[label]) == 1 for label in record["topics"]), "examples avoid ambiguous labels"
            for theme in {theme for label in record["topics"] for theme in tops[label]}:
                kamervragen[party, theme] += 1
                questions[party, theme] += len(record["questions"])
    expected = [(party, theme, str(kamervragen[party, theme]), str(questions[party, theme]))
                for party, theme in sorted(kamervragen)]
    assert rows(examples, "questions-per-party-theme") == expected


# --- bundling and the command line ------------------------------------------------------------------


def test_bundled_queries_are_the_published_ones() -> None:
    published = {str(p.relative_to(ROOT / "queries")): p.read_bytes() for p in (ROOT / "queries").rglob("*.rq")}
    folder = ROOT / "kvgraph" / "data" / "queries"
    bundled = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*.rq")}
    assert bundled == published, "run `make data` after editing queries/ (it copies them to kvgraph/data/queries/)"
    assert {f"fetch/{name}.rq" for name in FINISHED} == {name for name in published if name.startswith("fetch/")}
    assert named_query_names() == sorted(name.removesuffix(".rq") for name in published if "/" not in name)


def test_query_named_on_the_command_line() -> None:
    run = CliRunner().invoke(main, ["query", "--named", "overdue-per-mp", "--as-of", "2023-04-05",
                                    "--format", "json", str(EXAMPLES)])
    assert run.exit_code == 0, run.output
    rows = {(r["name"], r["party"], r["overdue"], r["longestOpenDays"]) for r in json.loads(run.stdout)}
    assert rows == _overdue_per(_mp, "2023-04-05")


@pytest.mark.parametrize("args, message", [
    (["--named", "overdue-per-party", "--as-of", '2023-04-05"', "examples"], "is not a date"),
    (["--named", "overdue-per-party", "--as-of", "2023-02-30", "examples"], "is not a date"),
    (["--named", "overdue-per-party", "--as-of", "20230405", "examples"], "is not a date"),
    (["--named", "answer-times", "--as-of", "2023-04-05", "examples"], "exactly one `BIND(... AS ?asOf)`"),
    (["--named", "no-such-query", "examples"], "is not one of"),
    (["--named", "topics"], "missing INPUT"),
    ([], "missing QUERY"),
])
def test_query_usage_errors(args: list[str], message: str) -> None:
    run = CliRunner().invoke(main, ["query", *args])
    assert run.exit_code == 2 and message in run.output, run.output


# --- a generated corpus in a loaded store -------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[dict]]:
    """2,000 generated documents loaded with `kvgraph load --store`, and their `kvgraph parse` records."""
    folder = tmp_path_factory.mktemp("corpus")
    generate.write_corpus(2000, 7, folder)
    store = folder.parent / "store"
    run = CliRunner().invoke(main, ["load", str(folder), "--store", str(store)])
    assert run.exit_code == 0, run.output
    records = [result.kamervraag.as_record() for result in pipeline.parse_inputs([str(folder)])
               if result.kamervraag is not None]
    assert len(records) == 2000
    return Store.read_only(str(store)), records


def _loaded(store: Store, name: str, as_of: str | None = None) -> list[tuple[str | None, ...]]:
    day = _day(as_of) if as_of else None
    return list(run_named(name, lambda text: select(store, text, union=False), day).rows)


@pytest.mark.parametrize("name", sorted(GROUPINGS))
def test_answer_times_of_a_generated_corpus_match_its_records(corpus, name: str) -> None:
    store, records = corpus
    expected = _answer_times(_groups(records, GROUPINGS[name]))
    assert len(expected) > 5 and any(len(days) % 2 == 0 for days in _groups(records, GROUPINGS[name]).values())
    found = _loaded(store, name)
    assert [row[0] for row in found] == sorted(expected, key=lambda k: int(k) if k.isdigit() else k)
    assert _as_answer_times(found) == expected


@pytest.mark.parametrize("as_of", ["2012-06-30", "2019-01-01", "2025-12-31"])
def test_overdue_of_a_generated_corpus_matches_its_records(corpus, as_of: str) -> None:
    store, records = corpus
    for name, key_of in (("overdue-per-party", lambda s, r: (_party_label(s, r),) if s["party"] else None),
                         ("overdue-per-mp", _mp)):
        found: dict[tuple, list[int]] = defaultdict(list)
        for record in records:
            days = _overdue(record, _day(as_of))
            if days is not None:
                for key in {key_of(s, record) for s in record["submitters"]} - {None}:
                    found[key].append(days)
        expected = {(*key, str(len(days)), str(max(days))) for key, days in found.items()}
        assert expected and set(_loaded(store, name, as_of)) == expected, name
