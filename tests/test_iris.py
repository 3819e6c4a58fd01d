"""How IRIs are minted: the rules that version 1 of the shapes checked with SHACL-SPARQL, as unit
tests of the mapping and of kvgraph/iris.py's Minter.

Version 2 of the shapes (shapes/kvgraph.shapes.ttl) checks only that an IRI has the right form
under the base in use (an anchored sh:pattern). That it is minted from the right number is
checked here, on the mapping of every example, of generated Kamervragen, and of a conversion with
another --base:

- a Kamervraag is <base>id/kamervraag/<its dcterms:identifier, the zaaknummer>;
- its question document is <base>id/document/<identifier>, the identifier "kv-tk-<zaaknummer>";
- its answer document is <base>id/document/<identifier>, the identifier
  "ah-tk-<kv:vergaderjaar without its dash>-<kv:aanhangselNummer>", the vergaderjaar two
  consecutive years; it eli-dl:answers_to the question document;
- a question is <Kamervraag>/vraag/<schema:position>, its answer the same with /antwoord/;
- a participation is <Kamervraag>/<indiener|beantwoorder>/<schema:position>, as its role says;
- a footnote is <Kamervraag>/voetnoot/<schema:position>, a notice <Kamervraag>/mededeling/<n>
  (numbered 1, 2, ... in the document's order), the input <Kamervraag>/invoer;
- the conversion is <base>id/conversie/kvgraph-<version>, kvgraph <base>id/software/kvgraph-<version>.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from conftest import example_documents
from hostile_docs import kamervragen
from hypothesis import given, settings
from hypothesis import strategies as st

from kvgraph import api
from kvgraph.defaults import VERSION
from kvgraph.iris import Minter, is_valid_base, slug
from kvgraph.mapping import kamervraag_iri, map_kamervraag
from kvgraph.model import Kamervraag
from kvgraph.terms import Literal, Term, Triple, parse_ntriples
from kvgraph.vocab import DCTERMS, DEFAULT_BASE, ELI_DL, KV, OPENKAMER, PROV, RDF_TYPE, SCHEMA, XSD_INTEGER

BASES = [DEFAULT_BASE, "http://example.com/open-data/", "https://data.example.nl/tweede-kamer/v1/"]
OWMS = "http://standaarden.overheid.nl/owms/terms/"
ROLES = {KV.indiener: "indiener", KV.beantwoorder: "beantwoorder"}


class Graph:
    """One document's triples, looked up by subject and predicate."""

    def __init__(self, triples: list[Triple]) -> None:
        self.triples = triples
        self.out: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:
            self.out[s][p].append(o)

    def all(self, s: Term, p: str) -> list[Term]:
        return self.out[s][p] if s in self.out else []

    def one(self, s: Term, p: str) -> Term:
        values = self.all(s, p)
        assert len(values) == 1, (s, p, values)
        return values[0]

    def text(self, s: Term, p: str) -> str:
        value = self.one(s, p)
        assert isinstance(value, Literal), (s, p, value)
        return value.value

    def number(self, s: Term, p: str) -> int:
        value = self.one(s, p)
        assert isinstance(value, Literal) and value.datatype == XSD_INTEGER, (s, p, value)
        return int(value.value)

    def of_type(self, cls: str) -> list[Term]:
        return [s for s, p, o in self.triples if p == RDF_TYPE and o == cls]


def check_iris(triples: list[Triple], base: str, kamervraag: Kamervraag | None = None) -> None:
    """Every IRI of one Kamervraag's graph minted by the rules above, under `base`."""
    g = Graph(triples)
    case, = g.of_type(KV.Kamervraag)
    zaaknummer = g.text(case, DCTERMS.identifier)
    assert case == f"{base}id/kamervraag/{zaaknummer}"
    if kamervraag is not None:
        assert zaaknummer == kamervraag.id and case == kamervraag_iri(kamervraag.id, base)

    question_doc = g.one(case, KV.questionDocument)
    number = g.text(question_doc, DCTERMS.identifier)
    assert number == f"kv-tk-{zaaknummer}"
    assert question_doc == f"{base}id/document/{number}"

    answer_docs = g.all(case, KV.answerDocument)
    for answer_doc in answer_docs:
        vergaderjaar = g.text(answer_doc, KV.vergaderjaar)
        first, second = vergaderjaar.split("-")
        assert len(first) == len(second) == 4 and int(second) == int(first) + 1, vergaderjaar
        number = g.text(answer_doc, DCTERMS.identifier)
        assert number == f"ah-tk-{first}{second}-{g.number(answer_doc, KV.aanhangselNummer)}"
        assert answer_doc == f"{base}id/document/{number}"
        assert g.one(answer_doc, ELI_DL.answers_to) == question_doc
    assert g.of_type(KV.QuestionDocument) == [question_doc] and g.of_type(KV.AnswerDocument) == answer_docs

    questions = g.all(case, SCHEMA.hasPart)
    assert questions and sorted(questions) == sorted(g.of_type(SCHEMA.Question))
    answers = set()
    for question in questions:
        assert question == f"{case}/vraag/{g.number(question, SCHEMA.position)}"
        for answer in g.all(question, SCHEMA.acceptedAnswer):
            head, _, n = question.rpartition("/vraag/")
            assert answer == f"{head}/antwoord/{n}"
            assert g.all(answer, SCHEMA.isPartOf) == answer_docs
            answers.add(answer)
    assert answers == set(g.of_type(SCHEMA.Answer))
    for answer in answers:
        for other in g.all(answer, KV.seeAnswer):
            assert other in answers and other != answer

    participations = g.all(case, KV.participation)
    assert sorted(participations) == sorted(g.of_type(KV.Participation))
    by_role: dict[str, list[int]] = defaultdict(list)
    for participation in participations:
        role = ROLES[g.one(participation, ELI_DL.participation_role)]
        position = g.number(participation, SCHEMA.position)
        assert participation == f"{case}/{role}/{position}"
        by_role[role].append(position)
    for positions in by_role.values():
        assert sorted(positions) == list(range(1, len(positions) + 1))

    footnotes = g.all(case, KV.footnote)
    for footnote in footnotes:
        assert footnote == f"{case}/voetnoot/{g.number(footnote, SCHEMA.position)}"
    notices = g.all(case, KV.notice)
    assert notices == [f"{case}/mededeling/{n}" for n in range(1, len(notices) + 1)]
    if kamervraag is not None:
        assert len(footnotes) == len(kamervraag.footnotes) and len(notices) == len(kamervraag.notices)
        assert len(questions) == len(kamervraag.questions)

    source = g.one(case, PROV.wasDerivedFrom)
    assert source == f"{case}/invoer"
    assert g.of_type(PROV.Entity) == [source]
    activity = g.one(case, PROV.wasGeneratedBy)
    assert activity == f"{base}id/conversie/kvgraph-{VERSION}"
    agent = g.one(activity, PROV.wasAssociatedWith)
    assert agent == f"{base}id/software/kvgraph-{g.text(agent, SCHEMA.softwareVersion)}"
    assert g.text(agent, SCHEMA.softwareVersion) == VERSION

    # and nothing else is minted outside the base (OWMS themes and openkamer are not kvgraph's)
    for s in g.out:
        assert s.startswith(f"{base}id/") or s.startswith(OWMS) or s == OPENKAMER, s


# ---------------------------------------------------------------------------------- the examples


@pytest.fixture(scope="module")
def examples() -> list[Kamervraag]:
    results = list(api.parse([str(p) for p in example_documents()]))
    assert len(results) == len(example_documents())
    assert all(r.kamervraag is not None for r in results), [r.diagnostics for r in results]
    return [r.kamervraag for r in results]


def test_the_examples_cover_every_kind_of_iri(examples: list[Kamervraag]) -> None:
    """So that the tests below mint every kind at least once."""
    assert any(k.answer_document is None for k in examples) and any(k.answer_document for k in examples)
    assert any(k.footnotes for k in examples) and any(len(k.notices) > 1 for k in examples)
    assert any(q.see_answer for k in examples for q in k.questions)
    assert any(len(k.submitters) > 1 for k in examples) and any(len(k.answerers) > 1 for k in examples)


@pytest.mark.parametrize("base", BASES)
def test_every_example_is_minted_by_the_rules(examples: list[Kamervraag], base: str) -> None:
    for kamervraag in examples:
        check_iris(map_kamervraag(kamervraag, base), base, kamervraag)


@pytest.mark.parametrize("base", ["http://example.com/open-data/", "https://open.example.nl/kv"])
def test_a_conversion_with_another_base_mints_by_the_rules(base: str) -> None:
    """As `kvgraph convert examples --base ...` does (a base without its final `/` gets one)."""
    converted = api.convert([str(p) for p in example_documents()], format="nt", base=base)
    assert converted.ok and converted.data
    used = base if base.endswith("/") else base + "/"
    triples = parse_ntriples(converted.data)
    cases = [s for s, p, o in triples if p == RDF_TYPE and o == KV.Kamervraag]
    assert len(cases) == len(example_documents())
    for case in cases:
        check_iris(_graph_of(triples, case), used)


def _graph_of(triples: list[Triple], case: str) -> list[Triple]:
    """One Kamervraag's triples out of a whole conversion: its own nodes, its documents, the provenance."""
    g = Graph(triples)
    own = {case, *g.all(case, KV.questionDocument), *g.all(case, KV.answerDocument)}
    own |= {s for s in g.out if isinstance(s, str) and s.startswith(case + "/")}
    own |= {*g.all(case, PROV.wasGeneratedBy)} | {a for x in g.all(case, PROV.wasGeneratedBy)
                                                  for a in g.all(x, PROV.wasAssociatedWith)}
    return [t for t in triples if t[0] in own]


# ---------------------------------------------------------------------------------- generated Kamervragen


@settings(max_examples=100, deadline=None)
@given(kamervragen(max_questions=8), st.sampled_from(BASES))
def test_generated_kamervragen_are_minted_by_the_rules(kamervraag: Kamervraag, base: str) -> None:
    check_iris(map_kamervraag(kamervraag, base), base, kamervraag)


# ---------------------------------------------------------------------------------- the Minter


@pytest.mark.parametrize("base", BASES)
def test_minter(base: str) -> None:
    mint = Minter(base)
    assert mint.kamervraag("2022Z04503") == f"{base}id/kamervraag/2022Z04503"
    assert mint.part("2022Z04503", "vraag", 3) == f"{base}id/kamervraag/2022Z04503/vraag/3"
    assert mint.part("2022Z04503", "antwoord", 3) == f"{base}id/kamervraag/2022Z04503/antwoord/3"
    assert mint.part("2022Z04503", "beantwoorder", 2) == f"{base}id/kamervraag/2022Z04503/beantwoorder/2"
    assert mint.part("2022Z04503", "invoer") == f"{base}id/kamervraag/2022Z04503/invoer"
    assert mint.document("kv-tk-2022Z04503") == f"{base}id/document/kv-tk-2022Z04503"
    assert mint.document("ah-tk-20212022-2218") == f"{base}id/document/ah-tk-20212022-2218"
    assert mint.software("conversie", "0.2.0") == f"{base}id/conversie/kvgraph-0.2.0"
    assert mint.software("software", "0.2.0") == f"{base}id/software/kvgraph-0.2.0"
    assert mint.linked("persoon", "Q14520235") == f"{base}id/persoon/Q14520235"
    assert mint.unlinked("persoon", "Dilan Yeşilgöz-Zegerius") == f"{base}id/persoon/naam/dilan-yesilgoz-zegerius"
    assert mint.named("ambt", "Minister van Justitie en Veiligheid") == f"{base}id/ambt/minister-van-justitie-en-veiligheid"
    assert kamervraag_iri("2022Z04503", base) == mint.kamervraag("2022Z04503")


def test_document_numbers_are_kept_but_escaped() -> None:
    """Official numbers are case-sensitive and kept; what an IRI cannot hold is percent-encoded."""
    mint = Minter(DEFAULT_BASE)
    assert mint.document("KV-TK-2022Z04503") == f"{DEFAULT_BASE}id/document/KV-TK-2022Z04503"
    assert mint.document("ah tk/1") == f"{DEFAULT_BASE}id/document/ah%20tk%2F1"


def test_names_are_slugs() -> None:
    assert slug("Minister-President") == "minister-president"
    assert slug("  ") == "x"
    assert slug("Ça va, Zoë?") == "ca-va-zoe"


@pytest.mark.parametrize("base", ["not a base", "https://exa mple.org/", "https://example.org/<id>/"])
def test_a_base_that_would_mint_invalid_iris_is_refused(base: str) -> None:
    assert not is_valid_base(base)
    with pytest.raises(ValueError):
        Minter(base)


def test_the_minted_parts_match_the_shapes_patterns() -> None:
    """The other half of the check: what the Minter makes, the shapes' anchored patterns accept."""
    import re

    shapes = Path(__file__).resolve().parent.parent / "shapes" / "kvgraph.shapes.ttl"
    patterns = {m.group(1).replace("\\\\", "\\") for m in re.finditer(r'sh:pattern "(\^https://w3id[^"]*)"', shapes.read_text("utf-8"))}
    mint = Minter(DEFAULT_BASE)
    minted = [mint.kamervraag("2022Z04503"), mint.document("kv-tk-2022Z04503"), mint.document("ah-tk-20212022-2218"),
              *(mint.part("2022Z04503", kind, 12) for kind in ("vraag", "antwoord", "indiener", "beantwoorder",
                                                                  "voetnoot", "mededeling")),
              mint.part("2022Z04503", "invoer"), mint.software("conversie", VERSION), mint.software("software", VERSION)]
    for iri in minted:
        assert any(re.fullmatch(p, iri) for p in patterns), iri
