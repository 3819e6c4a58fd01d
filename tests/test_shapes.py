"""Tests for the vocabulary-side files: ontology, SHACL shapes, JSON-LD context and the
hand-written oracle graph tests/data/sample.ttl.

The broken-variant tests edit a copy of the parsed sample graph and check that validation
reports a result for the expected focus node and sh:resultPath. Every one of them also relies
on test_sample_conforms: the unmodified sample is valid, so each violation comes from the edit
(remove the shape that catches it and the test fails).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
import rdflib
import rdflib.compare
from rdflib import RDF, RDFS, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, SH, SKOS

from kvgraph.shacl import Engine, from_rdflib

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "kvgraph.ttl"
SHAPES = ROOT / "shapes" / "kvgraph.shapes.ttl"
CONTEXT = ROOT / "ontology" / "context.jsonld"
README = ROOT / "ontology" / "README.md"
SAMPLE = ROOT / "tests" / "data" / "sample.ttl"
SAMPLE_INPUT = ROOT / "examples" / "2022Z04503.txt"
SAMPLE_RECORD = ROOT / "examples" / "2022Z04503.expected.json"

# an open Namespace: pytest probes module attributes, which rdflib's closed XSD namespace warns about
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
KV = Namespace("https://w3id.org/kvgraph/def/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
OWMS = Namespace("http://standaarden.overheid.nl/owms/terms/")
BASE = "https://w3id.org/kvgraph/"
ID = Namespace(BASE + "id/")

K = ID["kamervraag/2022Z04503"]
QDOC = ID["document/kv-tk-2022Z04503"]
ADOC = ID["document/ah-tk-20212022-2218"]
INPUT = ID["kamervraag/2022Z04503/invoer"]


def vraag(n: int) -> URIRef:
    return ID[f"kamervraag/2022Z04503/vraag/{n}"]


def antwoord(n: int) -> URIRef:
    return ID[f"kamervraag/2022Z04503/antwoord/{n}"]


def participation(role: str, n: int) -> URIRef:
    return ID[f"kamervraag/2022Z04503/{role}/{n}"]


# ---------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="session")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES, format="turtle")


@pytest.fixture(scope="session")
def sample_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(SAMPLE, format="turtle")


@pytest.fixture(scope="session")
def context() -> dict:
    return json.loads(CONTEXT.read_text(encoding="utf-8"))


@pytest.fixture
def sample(sample_graph) -> rdflib.Graph:
    """A fresh, editable copy of the sample graph."""
    g = rdflib.Graph()
    for t in sample_graph:
        g.add(t)
    return g


@pytest.fixture(scope="session")
def shape_messages(shapes) -> set[str]:
    return {str(m) for m in shapes.objects(None, SH.message)}


# ---------------------------------------------------------------------------------- helpers


class Report:
    def __init__(self, conforms: bool, graph: rdflib.Graph, text: str):
        self.conforms = conforms
        self.graph = graph
        self.text = text
        self.results = list(graph.subjects(RDF.type, SH.ValidationResult))

    def find(self, focus, path=None, component=None, inverse_of=None, no_path=False):
        """Results with this focus node and resultPath (an IRI, or an inverse path of
        inverse_of, or none at all when no_path)."""
        found = []
        for r in self.results:
            if self.graph.value(r, SH.focusNode) != focus:
                continue
            rp = self.graph.value(r, SH.resultPath)
            if no_path and rp is not None:
                continue
            if path is not None and rp != path:
                continue
            if inverse_of is not None and (rp is None or self.graph.value(rp, SH.inversePath) != inverse_of):
                continue
            if component is not None and self.graph.value(r, SH.sourceConstraintComponent) != component:
                continue
            found.append(r)
        return found

    def messages(self):
        return [str(self.graph.value(r, SH.resultMessage)) for r in self.results]


def validate(data: rdflib.Graph, shapes: rdflib.Graph) -> Report:
    """pyshacl as kvgraph runs it: no inference, SHACL-SPARQL on, sh:Warning results allowed.

    Every call also runs kvgraph's native engine on the same graph and requires the same
    verdict: whether it conforms, and which (focus node, property path, severity) fail. So
    each broken variant below is also an engine-agreement test.
    """
    conforms, graph, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, abort_on_first=False
    )
    report = Report(conforms, graph, text)
    assert native_verdicts(data, shapes) == (conforms, pyshacl_verdicts(report)), text
    return report


_ENGINES: dict[int, Engine] = {}


def native_verdicts(data: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, set]:
    engine = _ENGINES.setdefault(id(shapes), Engine(shapes))
    triples = [(from_rdflib(s), str(p), from_rdflib(o)) for s, p, o in data]
    found = engine.validate(triples)
    conforms = not any(v.severity == "Violation" for v in found)
    return conforms, {(v.focus, v.path, v.severity) for v in found}


def pyshacl_verdicts(report: Report) -> set:
    verdicts = set()
    for r in report.results:
        path = report.graph.value(r, SH.resultPath)
        severity = str(report.graph.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        verdicts.add((str(report.graph.value(r, SH.focusNode)), str(path) if isinstance(path, URIRef) else None, severity))
    return verdicts


def assert_violation(report: Report, focus, path=None, component=None, **kw):
    assert not report.conforms, "expected the broken graph not to conform"
    hits = report.find(focus, path=path, component=component, **kw)
    assert hits, f"no result for focus {focus} path {path} component {component}; report:\n{report.text}"
    for r in hits:
        assert report.graph.value(r, SH.resultSeverity) == SH.Violation


def assert_warning_only(report: Report, focus, path=None, component=None, **kw):
    """The graph conforms (warnings allowed), and the expected result is a warning."""
    assert report.conforms, report.text
    hits = report.find(focus, path=path, component=component, **kw)
    assert hits, f"no result for focus {focus} path {path} component {component}; report:\n{report.text}"
    for r in hits:
        assert report.graph.value(r, SH.resultSeverity) == SH.Warning


def set_value(g: rdflib.Graph, s, p, o):
    g.remove((s, p, None))
    g.add((s, p, o))


def rename(g: rdflib.Graph, old: URIRef, new: URIRef) -> None:
    for s, p, o in list(g):
        if old in (s, o):
            g.remove((s, p, o))
            g.add((new if s == old else s, p, new if o == old else o))


# ---------------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("path", [ONTOLOGY, SHAPES, SAMPLE], ids=lambda p: p.name)
def test_turtle_parses_in_rdflib_and_oxigraph(path):
    g = rdflib.Graph().parse(path, format="turtle")
    assert len(g) > 0
    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(g)


def test_context_is_json_ld_1_0_context(context):
    assert set(context) == {"@context"}
    ctx = context["@context"]
    assert isinstance(ctx, dict)
    assert "@version" not in ctx and "@vocab" not in ctx and "@language" not in ctx
    for term, value in ctx.items():
        assert not term.startswith("@")
        if isinstance(value, str):
            continue
        assert set(value) <= {"@id", "@type", "@language"}, term
        assert "@id" in value, term
        assert not ("@type" in value and "@language" in value), term


# ---------------------------------------------------------------------------------- ontology


VERSION = URIRef(str(KV) + "1.0.0")


def kv_terms(g: rdflib.Graph) -> set[URIRef]:
    terms = set()
    for t in g:
        for x in t:
            if isinstance(x, URIRef) and str(x).startswith(str(KV)) and x not in (URIRef(str(KV)), VERSION):
                terms.add(x)
    return terms


def test_ontology_header(ontology):
    onto = URIRef(str(KV))
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionInfo) == Literal("1.0.0")
    assert ontology.value(onto, OWL.versionIRI) == VERSION  # the persistent namespace's first version
    assert ontology.value(onto, DCTERMS.license) == URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
    assert ontology.value(onto, DCTERMS.title) is not None
    assert ontology.value(onto, DCTERMS.description) is not None


def test_every_ontology_term_is_documented(ontology):
    declared = {s for s in ontology.subjects(RDFS.isDefinedBy, URIRef(str(KV)))}
    assert declared == kv_terms(ontology), "every kv: term mentioned in the ontology is declared in it"
    for term in declared:
        labels = {label.language for label in ontology.objects(term, RDFS.label)}
        assert {"en", "nl"} <= labels, term
        comments = [c for c in ontology.objects(term, RDFS.comment) if c.language == "en"]
        assert comments, term
        types = set(ontology.objects(term, RDF.type))
        assert types, term
        if types & {OWL.ObjectProperty, OWL.DatatypeProperty}:
            assert ontology.value(term, RDFS.domain) is not None, term
            assert ontology.value(term, RDFS.range) is not None, term


def test_ontology_class_hierarchy(ontology):
    assert (KV.Kamervraag, RDFS.subClassOf, PROV.Entity) in ontology
    eli_work = URIRef("http://data.europa.eu/eli/ontology#Work")
    assert (KV.QuestionDocument, RDFS.subClassOf, eli_work) in ontology
    assert (KV.AnswerDocument, RDFS.subClassOf, eli_work) in ontology
    assert (KV.PoliticalParty, RDFS.subClassOf, ORG.Organization) in ontology
    assert (KV.Ministry, RDFS.subClassOf, ORG.Organization) in ontology
    assert (KV.dateAnswered, RDFS.subPropertyOf, DCTERMS.date) in ontology


def test_code_lists(ontology):
    positions = {
        KV.minister: "minister",
        KV["minister-zonder-portefeuille"]: "minister zonder portefeuille",
        KV.staatssecretaris: "staatssecretaris",
        KV["minister-president"]: "minister-president",
        KV["viceminister-president"]: "viceminister-president",
    }
    for term, label in positions.items():
        assert (term, RDF.type, ORG.Role) in ontology
        assert (term, RDF.type, SKOS.Concept) in ontology
        assert (term, SKOS.inScheme, KV.positions) in ontology
        assert ontology.value(term, SKOS.prefLabel) == Literal(label, lang="nl")
    for term, label, tk in [(KV.indiener, "indiener", "Indiener"), (KV.beantwoorder, "beantwoorder", "Gericht aan")]:
        assert (term, RDF.type, SKOS.Concept) in ontology
        assert (term, SKOS.inScheme, KV.participationRoles) in ontology
        assert ontology.value(term, SKOS.prefLabel) == Literal(label, lang="nl")
        assert tk in str(ontology.value(term, SKOS.note))


@pytest.mark.parametrize("path", [SAMPLE, SHAPES], ids=lambda p: p.name)
def test_kv_terms_used_are_declared(ontology, path):
    used = kv_terms(rdflib.Graph().parse(path, format="turtle"))
    assert used
    declared = set(ontology.subjects(RDFS.isDefinedBy, URIRef(str(KV))))
    assert used - declared == set()


def test_kv_terms_in_readme_are_declared(ontology):
    # terms written `kv:term` in the README (code lists, classes, properties)
    used = {KV[m] for m in re.findall(r"(?<![\w/])kv:([A-Za-z][A-Za-z0-9-]*[A-Za-z0-9])", README.read_text(encoding="utf-8"))}
    declared = set(ontology.subjects(RDFS.isDefinedBy, URIRef(str(KV))))
    assert used and used - declared == set()


# ---------------------------------------------------------------------------------- the oracle


def test_sample_matches_the_parsed_record(sample_graph):
    record = json.loads(SAMPLE_RECORD.read_text(encoding="utf-8"))
    g = sample_graph
    assert g.value(K, DCTERMS.identifier) == Literal(record["id"])
    assert g.value(K, DCTERMS.title) == Literal(record["title"], lang="nl")
    assert g.value(K, DCTERMS.dateSubmitted) == Literal(record["submitted"], datatype=XSD.date)
    assert g.value(K, KV.dateAnswered) == Literal(record["answered"], datatype=XSD.date)
    assert g.value(K, KV.daysToAnswer) == Literal(record["days_to_answer"])
    assert len(set(g.objects(K, SCHEMA.hasPart))) == len(record["questions"])
    for q in record["questions"]:
        n = q["number"]
        assert g.value(vraag(n), SCHEMA.position) == Literal(n)
        assert g.value(vraag(n), SCHEMA.text) == Literal(q["text"], lang="nl")
        assert g.value(vraag(n), SCHEMA.acceptedAnswer) == antwoord(n)
        assert g.value(antwoord(n), SCHEMA.text) == Literal(q["answer"], lang="nl")
    assert "\n" in str(g.value(antwoord(6), SCHEMA.text))
    for role, people in [("indiener", record["submitters"]), ("beantwoorder", record["answerers"])]:
        for i, person in enumerate(people, 1):
            p = participation(role, i)
            assert (K, KV.participation, p) in g
            assert g.value(p, KV.role) == KV[role]
            assert g.value(g.value(p, KV.participant), FOAF.name) == Literal(person["name"])
            assert g.value(g.value(p, KV.inNameOf), SKOS.prefLabel) == Literal(person["party"])
            offices = {str(g.value(o, SKOS.prefLabel)) for o in g.objects(p, KV.office)}
            assert offices == set(person.get("roles", []))
    assert g.value(QDOC, DCTERMS.title) == Literal(record["question_document"]["title"], lang="nl")
    assert g.value(ADOC, DCTERMS.title) == Literal(record["answer_document"]["title"], lang="nl")
    assert g.value(QDOC, SCHEMA.url) == URIRef(record["question_document"]["url"])
    assert g.value(ADOC, SCHEMA.url) == URIRef(record["answer_document"]["url"])
    topics = {str(g.value(t, SKOS.prefLabel)).lower() for t in g.objects(K, DCTERMS.subject)}
    assert topics == set(record["topics"])


def test_sample_sha256_is_that_of_the_example_input(sample_graph):
    digest = hashlib.sha256(SAMPLE_INPUT.read_bytes()).hexdigest()
    assert sample_graph.value(INPUT, KV.sha256) == Literal(digest)
    assert sample_graph.value(INPUT, DCTERMS.identifier) == Literal("examples/2022Z04503.txt")


def test_sample_topics_follow_owms_list(sample_graph):
    import csv

    rows = {r["uri"]: r for r in csv.DictReader((ROOT / "kvgraph" / "data" / "owms-themes.csv").open(encoding="utf-8"))}
    concepts = set(sample_graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == 4
    for c in concepts:
        row = rows[str(c)]
        assert sample_graph.value(c, SKOS.prefLabel) == Literal(row["label"], lang="nl")
        broader = sample_graph.value(c, SKOS.broader)
        assert (str(broader) if broader else "") == row["broader"]
        assert sample_graph.value(c, SKOS.inScheme) == OWMS.TaxonomieBeleidsagenda


# ---------------------------------------------------------------------------------- conformance


def test_sample_conforms(sample, shapes, shape_messages):
    report = validate(sample, shapes)
    assert report.conforms, report.text


def test_sample_conforms_with_another_base(sample_graph, shapes):
    """The IRI patterns anchor only the end of the IRI: --base moves the data, not the shapes."""
    other = "http://example.com/open-data/"
    g = rdflib.Graph()

    def move(x):
        return URIRef(other + str(x)[len(BASE) :]) if isinstance(x, URIRef) and str(x).startswith(BASE + "id/") else x

    for t in sample_graph:
        g.add(tuple(move(x) for x in t))
    report = validate(g, shapes)
    assert report.conforms, report.text


def test_sample_with_footnote_notice_see_answer_and_unknown_topic_conforms(sample, shapes):
    g = sample
    fn = ID["kamervraag/2022Z04503/voetnoot/1"]
    g.add((K, KV.footnote, fn))
    g.add((fn, RDF.type, KV.Footnote))
    g.add((fn, SCHEMA.position, Literal(1)))
    g.add((fn, SCHEMA.text, Literal("https://www.example.org/bericht", lang="nl")))
    notice = ID["kamervraag/2022Z04503/mededeling/1"]
    g.add((K, KV.notice, notice))
    g.add((notice, RDF.type, KV.PostponementNotice))
    g.add((notice, DCTERMS.date, Literal("2022-03-20", datatype=XSD.date)))
    g.add((notice, SCHEMA.text, Literal("De vragen kunnen niet binnen de termijn worden beantwoord.", lang="nl")))
    set_value(g, antwoord(8), SCHEMA.text, Literal("Zie antwoord vraag 1.", lang="nl"))
    g.add((antwoord(8), KV.seeAnswer, antwoord(1)))
    topic = ID["onderwerp/ruimtevaart"]
    g.add((K, DCTERMS.subject, topic))
    g.add((topic, RDF.type, SKOS.Concept))
    g.add((topic, SKOS.prefLabel, Literal("ruimtevaart", lang="nl")))
    report = validate(g, shapes)
    assert report.conforms, report.text


def test_unanswered_kamervraag_conforms(sample, shapes):
    """Without answers: no answer date, days, answer document, answers or answerers."""
    g = sample
    for p in (KV.dateAnswered, KV.daysToAnswer, KV.answerDocument):
        g.remove((K, p, None))
    g.remove((K, DCTERMS.source, URIRef("https://zoek.officielebekendmakingen.nl/ah-tk-20212022-2218.html")))
    for n in range(1, 9):
        g.remove((vraag(n), SCHEMA.acceptedAnswer, None))
        g.remove((antwoord(n), None, None))
    g.remove((ADOC, None, None))
    for n in (1, 2):
        p = participation("beantwoorder", n)
        g.remove((K, KV.participation, p))
        g.remove((p, None, None))
    g.remove((K, KV.answeringMinistry, None))
    for s in list(g.subjects(RDF.type, FOAF.Person)):
        if (None, KV.participant, s) not in g:
            g.remove((s, None, None))
    for s in [ID["partij/cda"], ID["partij/vvd"]]:
        g.remove((s, None, None))
    for s in list(g.subjects(RDF.type, ORG.Post)) + list(g.subjects(RDF.type, KV.Ministry)):
        g.remove((s, None, None))
    report = validate(g, shapes)
    assert report.conforms, report.text


# ---------------------------------------------------------------------------------- broken variants (the brief's list)


def test_missing_submission_date(sample, shapes):
    sample.remove((K, DCTERMS.dateSubmitted, None))
    report = validate(sample, shapes)
    assert_violation(report, K, DCTERMS.dateSubmitted, SH.MinCountConstraintComponent)


def test_submission_date_as_plain_string(sample, shapes):
    set_value(sample, K, DCTERMS.dateSubmitted, Literal("2022-03-10"))
    report = validate(sample, shapes)
    assert_violation(report, K, DCTERMS.dateSubmitted, SH.DatatypeConstraintComponent)


def test_question_without_text(sample, shapes):
    sample.remove((vraag(3), SCHEMA.text, None))
    report = validate(sample, shapes)
    assert_violation(report, vraag(3), SCHEMA.text, SH.MinCountConstraintComponent)


def test_second_title(sample, shapes):
    sample.add((K, DCTERMS.title, Literal("Nog een titel", lang="nl")))
    report = validate(sample, shapes)
    assert_violation(report, K, DCTERMS.title, SH.MaxCountConstraintComponent)


def test_answered_before_submitted(sample, shapes):
    set_value(sample, K, KV.dateAnswered, Literal("2022-03-01", datatype=XSD.date))
    set_value(sample, K, KV.daysToAnswer, Literal(-9))
    report = validate(sample, shapes)
    assert_violation(report, K, DCTERMS.dateSubmitted, SH.LessThanOrEqualsConstraintComponent)


def test_wrong_days_to_answer(sample, shapes):
    set_value(sample, K, KV.daysToAnswer, Literal(15))
    report = validate(sample, shapes)
    assert_violation(report, K, KV.daysToAnswer, SH.SPARQLConstraintComponent)
    assert len(report.results) == 1, report.text


def test_participation_role_outside_code_list(sample, shapes):
    p = participation("indiener", 2)
    set_value(sample, p, KV.role, KV.medeindiener)
    report = validate(sample, shapes)
    assert_violation(report, p, KV.role, SH.InConstraintComponent)


def test_iri_breaking_pattern(sample, shapes):
    bad = ID["persoon/Wopke_Hoekstra"]
    rename(sample, ID["persoon/Q14520235"], bad)
    report = validate(sample, shapes)
    assert_violation(report, bad, None, SH.PatternConstraintComponent, no_path=True)


def test_unexpected_property_on_closed_shape(sample, shapes):
    sample.add((vraag(2), SCHEMA.name, Literal("Vraag 2", lang="nl")))
    report = validate(sample, shapes)
    assert_violation(report, vraag(2), SCHEMA.name, SH.ClosedConstraintComponent)


# ---------------------------------------------------------------------------------- more broken variants


def test_days_without_answer_date(sample, shapes):
    sample.remove((K, KV.dateAnswered, None))
    report = validate(sample, shapes)
    assert_violation(report, K, KV.daysToAnswer, SH.SPARQLConstraintComponent)


def test_answer_date_without_days(sample, shapes):
    sample.remove((K, KV.daysToAnswer, None))
    report = validate(sample, shapes)
    assert_violation(report, K, KV.daysToAnswer, SH.SPARQLConstraintComponent)


def test_days_to_answer_as_string(sample, shapes):
    set_value(sample, K, KV.daysToAnswer, Literal("14"))
    report = validate(sample, shapes)
    assert_violation(report, K, KV.daysToAnswer, SH.DatatypeConstraintComponent)


def test_bad_zaaknummer(sample, shapes):
    set_value(sample, K, DCTERMS.identifier, Literal("2022-Z04503"))
    report = validate(sample, shapes)
    assert_violation(report, K, DCTERMS.identifier, SH.PatternConstraintComponent)
    assert_violation(report, K, DCTERMS.identifier, SH.SPARQLConstraintComponent)


def test_no_submitter(sample, shapes):
    for n in (1, 2):
        p = participation("indiener", n)
        sample.remove((K, KV.participation, p))
        sample.remove((p, None, None))
    for s in ("bf030048-0434-42f1-bbed-8b0c04014db4", "naam/hanneke-van-der-werf"):
        sample.remove((ID["persoon/" + s], None, None))
    sample.remove((ID["fractie/d66"], None, None))
    sample.remove((ID["partij/d66"], None, None))
    sample.remove((K, KV.submittingParty, None))
    report = validate(sample, shapes)
    assert_violation(report, K, KV.participation, SH.QualifiedMinCountConstraintComponent)
    assert len(report.results) == 1, report.text


def test_title_without_language(sample, shapes):
    set_value(sample, K, DCTERMS.title, Literal("De oproep om Rusland uit te sluiten van INTERPOL"))
    report = validate(sample, shapes)
    assert_violation(report, K, DCTERMS.title, SH.DatatypeConstraintComponent)


def test_answer_text_in_english(sample, shapes):
    set_value(sample, antwoord(1), SCHEMA.text, Literal("Yes.", lang="en"))
    report = validate(sample, shapes)
    assert_violation(report, antwoord(1), SCHEMA.text, SH.LanguageInConstraintComponent)


def test_party_label_with_language(sample, shapes):
    party = ID["partij/d66"]
    set_value(sample, party, SKOS.prefLabel, Literal("D66", lang="nl"))
    report = validate(sample, shapes)
    assert_violation(report, party, SKOS.prefLabel, SH.DatatypeConstraintComponent)


def test_post_position_outside_code_list(sample, shapes):
    post = ID["ambt/minister-buitenlandse-zaken"]
    set_value(sample, post, ORG.role, KV.minister_van_buitenlandse_zaken)
    report = validate(sample, shapes)
    assert_violation(report, post, ORG.role, SH.InConstraintComponent)


def test_extra_type(sample, shapes):
    party = ID["partij/cda"]
    sample.add((party, RDF.type, KV.Ministry))
    report = validate(sample, shapes)
    assert_violation(report, party, RDF.type, SH.InConstraintComponent)


def test_question_number_does_not_match_iri(sample, shapes):
    set_value(sample, vraag(2), SCHEMA.position, Literal(5))
    report = validate(sample, shapes)
    assert_violation(report, vraag(2), SCHEMA.isPartOf, SH.SPARQLConstraintComponent)


def test_gap_in_question_numbers(sample, shapes):
    # drop question 4 and its answer entirely: 1-3, 5-8 remain
    sample.remove((K, SCHEMA.hasPart, vraag(4)))
    sample.remove((vraag(4), None, None))
    sample.remove((antwoord(4), None, None))
    report = validate(sample, shapes)
    assert_warning_only(report, K, SCHEMA.hasPart, SH.SPARQLConstraintComponent)
    assert report.graph.value(report.find(K, SCHEMA.hasPart)[0], SH.value) == vraag(5)
    assert len(report.results) == 1, report.text


# ---------------------------------------------------------------------------------- incomplete sources: warnings


def test_truncated_document_question_document_without_title_is_a_warning(sample, shapes):
    sample.remove((QDOC, DCTERMS.title, None))
    report = validate(sample, shapes)
    assert_warning_only(report, QDOC, DCTERMS.title, SH.MinCountConstraintComponent)


def test_missing_bron_vraag_is_a_warning(sample, shapes):
    url = URIRef("https://zoek.officielebekendmakingen.nl/kv-tk-2022Z04503.html")
    sample.remove((QDOC, SCHEMA.url, url))
    sample.remove((K, DCTERMS.source, url))
    report = validate(sample, shapes)
    assert_warning_only(report, QDOC, SCHEMA.url, SH.MinCountConstraintComponent)


def test_no_sources_at_all_is_a_warning(sample, shapes):
    sample.remove((K, DCTERMS.source, None))
    report = validate(sample, shapes)
    assert_warning_only(report, K, DCTERMS.source, SH.MinCountConstraintComponent)


def test_office_with_unknown_position_is_a_warning(sample, shapes):
    post = ID["ambt/minister-buitenlandse-zaken"]
    sample.remove((post, ORG.role, None))
    report = validate(sample, shapes)
    assert_warning_only(report, post, ORG.role, SH.MinCountConstraintComponent)


def test_answer_without_answer_document_is_a_warning(sample, shapes):
    sample.remove((antwoord(3), SCHEMA.isPartOf, None))
    report = validate(sample, shapes)
    assert_warning_only(report, antwoord(3), SCHEMA.isPartOf, SH.MinCountConstraintComponent)


def test_empty_notice_is_a_warning(sample, shapes):
    notice = ID["kamervraag/2022Z04503/mededeling/1"]
    sample.add((K, KV.notice, notice))
    sample.add((notice, RDF.type, KV.PostponementNotice))
    sample.add((notice, DCTERMS.date, Literal("2022-03-20", datatype=XSD.date)))
    report = validate(sample, shapes)
    assert_warning_only(report, notice, SCHEMA.text, SH.MinCountConstraintComponent)


def test_answer_not_linked_back(sample, shapes):
    sample.remove((vraag(5), SCHEMA.acceptedAnswer, antwoord(5)))
    report = validate(sample, shapes)
    assert_violation(report, antwoord(5), SCHEMA.parentItem, SH.SPARQLConstraintComponent)
    assert_violation(report, antwoord(5), None, SH.MinCountConstraintComponent, inverse_of=SCHEMA.acceptedAnswer)


def test_answers_swapped(sample, shapes):
    set_value(sample, vraag(1), SCHEMA.acceptedAnswer, antwoord(2))
    set_value(sample, vraag(2), SCHEMA.acceptedAnswer, antwoord(1))
    set_value(sample, antwoord(1), SCHEMA.parentItem, vraag(2))
    set_value(sample, antwoord(2), SCHEMA.parentItem, vraag(1))
    report = validate(sample, shapes)
    assert_violation(report, antwoord(1), SCHEMA.parentItem, SH.SPARQLConstraintComponent)
    assert_violation(report, antwoord(2), SCHEMA.parentItem, SH.SPARQLConstraintComponent)


def test_see_answer_to_itself(sample, shapes):
    sample.add((antwoord(8), KV.seeAnswer, antwoord(8)))
    report = validate(sample, shapes)
    assert_violation(report, antwoord(8), KV.seeAnswer, SH.SPARQLConstraintComponent)


def test_see_answer_to_another_kamervraag(sample, shapes):
    other = ID["kamervraag/2022Z99999/antwoord/1"]
    sample.add((antwoord(8), KV.seeAnswer, other))
    sample.add((other, RDF.type, SCHEMA.Answer))
    report = validate(sample, shapes)
    assert_violation(report, antwoord(8), KV.seeAnswer, SH.SPARQLConstraintComponent)


def test_see_answer_to_a_question(sample, shapes):
    sample.add((antwoord(8), KV.seeAnswer, vraag(1)))
    report = validate(sample, shapes)
    assert_violation(report, antwoord(8), KV.seeAnswer, SH.ClassConstraintComponent)


def test_answer_document_number_mismatch(sample, shapes):
    set_value(sample, ADOC, KV.aanhangselNummer, Literal(2219))
    report = validate(sample, shapes)
    assert_violation(report, ADOC, DCTERMS.identifier, SH.SPARQLConstraintComponent)


def test_vergaderjaar_not_consecutive(sample, shapes):
    set_value(sample, ADOC, KV.vergaderjaar, Literal("2021-2023"))
    report = validate(sample, shapes)
    assert_violation(report, ADOC, KV.vergaderjaar, SH.SPARQLConstraintComponent)


def test_answer_document_answers_wrong_question_document(sample, shapes):
    other = ID["document/kv-tk-2022Z99999"]
    set_value(sample, ADOC, KV.answersTo, other)
    sample.add((other, RDF.type, KV.QuestionDocument))
    report = validate(sample, shapes)
    assert_violation(report, ADOC, KV.answersTo, SH.SPARQLConstraintComponent)


def test_participation_iri_does_not_match_role(sample, shapes):
    p = participation("indiener", 1)
    set_value(sample, p, KV.role, KV.beantwoorder)
    report = validate(sample, shapes)
    assert_violation(report, p, KV.role, SH.SPARQLConstraintComponent)


def test_office_on_submitter(sample, shapes):
    p = participation("indiener", 1)
    sample.add((p, KV.office, ID["ambt/minister-justitie-en-veiligheid"]))
    report = validate(sample, shapes)
    assert_violation(report, p, KV.office, SH.SPARQLConstraintComponent)


def test_missing_broader_topic_node(sample, shapes):
    sample.remove((OWMS.Internationaal, None, None))
    sample.remove((K, DCTERMS.subject, OWMS.Internationaal))
    report = validate(sample, shapes)
    assert_violation(report, URIRef(OWMS + "Internationale_samenwerking_(thema)"), SKOS.broader, SH.ClassConstraintComponent)


def test_owms_topic_without_scheme(sample, shapes):
    sample.remove((OWMS.Internationaal, SKOS.inScheme, None))
    report = validate(sample, shapes)
    assert_violation(report, OWMS.Internationaal, SKOS.inScheme, SH.SPARQLConstraintComponent)


def test_orphan_person(sample, shapes):
    ghost = ID["persoon/niemand"]
    sample.add((ghost, RDF.type, FOAF.Person))
    sample.add((ghost, FOAF.name, Literal("Niemand")))
    report = validate(sample, shapes)
    assert_violation(report, ghost, None, SH.MinCountConstraintComponent, inverse_of=KV.participant)


def test_bad_sha256(sample, shapes):
    set_value(sample, INPUT, KV.sha256, Literal("1759F5568E11A48F91FCF021AAC04C2CBEB9818D94D5901C5F22F9922C95E831"))
    report = validate(sample, shapes)
    assert_violation(report, INPUT, KV.sha256, SH.PatternConstraintComponent)


def test_footnote_number_does_not_match_iri(sample, shapes):
    fn = ID["kamervraag/2022Z04503/voetnoot/1"]
    sample.add((K, KV.footnote, fn))
    sample.add((fn, RDF.type, KV.Footnote))
    sample.add((fn, SCHEMA.position, Literal(2)))
    sample.add((fn, SCHEMA.text, Literal("bron", lang="nl")))
    report = validate(sample, shapes)
    assert_violation(report, fn, SCHEMA.position, SH.SPARQLConstraintComponent)


def test_project_topic_in_owms_scheme(sample, shapes):
    topic = ID["onderwerp/ruimtevaart"]
    sample.add((K, DCTERMS.subject, topic))
    sample.add((topic, RDF.type, SKOS.Concept))
    sample.add((topic, SKOS.prefLabel, Literal("ruimtevaart", lang="nl")))
    sample.add((topic, SKOS.inScheme, OWMS.TaxonomieBeleidsagenda))
    report = validate(sample, shapes)
    assert_violation(report, topic, SKOS.inScheme, SH.SPARQLConstraintComponent)


def test_input_iri_of_another_kamervraag(sample, shapes):
    other = ID["kamervraag/2022Z99999/invoer"]
    rename(sample, INPUT, other)
    report = validate(sample, shapes)
    assert_violation(report, other, None, SH.SPARQLConstraintComponent, inverse_of=PROV.wasDerivedFrom)


def test_notice_iri_of_another_kamervraag(sample, shapes):
    notice = ID["kamervraag/2022Z99999/mededeling/1"]
    sample.add((K, KV.notice, notice))
    sample.add((notice, RDF.type, KV.PostponementNotice))
    sample.add((notice, DCTERMS.date, Literal("2022-03-20", datatype=XSD.date)))
    sample.add((notice, SCHEMA.text, Literal("Uitstel.", lang="nl")))
    report = validate(sample, shapes)
    assert_violation(report, notice, None, SH.SPARQLConstraintComponent, inverse_of=KV.notice)


def test_notice_without_date(sample, shapes):
    notice = ID["kamervraag/2022Z04503/mededeling/1"]
    sample.add((K, KV.notice, notice))
    sample.add((notice, RDF.type, KV.PostponementNotice))
    sample.add((notice, SCHEMA.text, Literal("Uitstel.", lang="nl")))
    report = validate(sample, shapes)
    assert_violation(report, notice, DCTERMS.date, SH.MinCountConstraintComponent)


def test_source_that_is_no_document_url(sample, shapes):
    bad = URIRef("https://www.tweedekamer.nl/kamerstukken/kamervragen/detail?id=2022Z04503")
    sample.add((K, DCTERMS.source, bad))
    sample.remove((K, DCTERMS.source, URIRef("https://zoek.officielebekendmakingen.nl/ah-tk-20212022-2218.html")))
    report = validate(sample, shapes)
    assert_violation(report, K, DCTERMS.source, SH.SPARQLConstraintComponent)


def test_untyped_question_document(sample, shapes):
    sample.remove((QDOC, RDF.type, None))
    report = validate(sample, shapes)
    assert_violation(report, K, KV.questionDocument, SH.ClassConstraintComponent)


def test_every_result_has_a_shape_message(sample, shapes, shape_messages):
    # a graph with many different mistakes at once
    sample.remove((K, DCTERMS.dateSubmitted, None))
    sample.add((vraag(1), SCHEMA.name, Literal("x")))
    set_value(sample, participation("indiener", 1), KV.role, KV.medeindiener)
    set_value(sample, K, KV.daysToAnswer, Literal(3))
    rename(sample, ID["partij/vvd"], ID["partij/V_V_D"])
    report = validate(sample, shapes)
    assert len(report.results) >= 5
    for m in report.messages():
        assert m in shape_messages, m


# ---------------------------------------------------------------------------------- days arithmetic


def days_query(shapes: rdflib.Graph) -> str:
    for select in shapes.objects(None, SH.select):
        if "?ajdn - ?sjdn" in str(select):
            body = str(select).replace("$this", "?this")
            prefixes = "\n".join(
                f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>"
                for d in shapes.objects(URIRef("https://w3id.org/kvgraph/shapes/"), SH.declare)
            )
            return prefixes + "\n" + body
    raise AssertionError("days-to-answer SPARQL constraint not found")


def test_days_arithmetic_matches_python_in_rdflib_and_oxigraph(shapes):
    """The Julian-day-number arithmetic agrees with Python's date subtraction across month
    ends, leap years and century years, in rdflib and in Oxigraph."""
    pairs = []
    start = datetime.date(1899, 12, 25)
    for i in range(0, 200):
        s = start + datetime.timedelta(days=i * 397 + (i % 7) * 13)
        a = s + datetime.timedelta(days=(i * 37) % 400)
        pairs.append((s, a))
    pairs += [
        (datetime.date(2000, 2, 28), datetime.date(2000, 3, 1)),
        (datetime.date(1900, 2, 28), datetime.date(1900, 3, 1)),
        (datetime.date(2024, 2, 29), datetime.date(2025, 2, 28)),
        (datetime.date(2022, 3, 10), datetime.date(2022, 3, 10)),
    ]
    g = rdflib.Graph()
    for i, (s, a) in enumerate(pairs):
        ok = URIRef(f"http://example.com/ok/{i}")
        bad = URIRef(f"http://example.com/bad/{i}")
        for node, delta in ((ok, 0), (bad, 1)):
            g.add((node, DCTERMS.dateSubmitted, Literal(s.isoformat(), datatype=XSD.date)))
            g.add((node, KV.dateAnswered, Literal(a.isoformat(), datatype=XSD.date)))
            g.add((node, KV.daysToAnswer, Literal((a - s).days + delta)))
    query = days_query(shapes)
    expected = {URIRef(f"http://example.com/bad/{i}") for i in range(len(pairs))}
    flagged = {row[0] for row in g.query(query)}
    assert flagged == expected
    store = pyoxigraph.Store()
    store.load(g.serialize(format="nt").encode("utf-8"), pyoxigraph.RdfFormat.N_TRIPLES)
    flagged_ox = {URIRef(sol["this"].value) for sol in store.query(query)}
    assert flagged_ox == expected


# ---------------------------------------------------------------------------------- JSON-LD context


def expand_curie(ctx: dict, value: str) -> str:
    if ":" in value:
        prefix, local = value.split(":", 1)
        if prefix in ctx and isinstance(ctx[prefix], str):
            return ctx[prefix] + local
    return value


def term_table(ctx: dict) -> dict:
    """(IRI, coercion) -> term; coercion is "@id", a datatype IRI, "@lang:xx" or None."""
    table = {}
    for term, value in ctx.items():
        if isinstance(value, str):
            if term[0].isupper():  # class term
                table[(expand_curie(ctx, value), "@class")] = term
            continue
        iri = expand_curie(ctx, value["@id"])
        if "@language" in value:
            coercion = "@lang:" + value["@language"]
        elif "@type" in value:
            coercion = "@id" if value["@type"] == "@id" else expand_curie(ctx, value["@type"])
        else:
            coercion = None
        assert (iri, coercion) not in table, f"two terms for {iri} {coercion}"
        table[(iri, coercion)] = term
    return table


def coercion_of(o) -> str | None:
    if isinstance(o, URIRef):
        return "@id"
    if o.language:
        return "@lang:" + o.language
    if o.datatype in (None, XSD.string):
        return None
    return str(o.datatype)


def test_context_has_a_term_for_everything_in_the_sample(context, sample_graph):
    ctx = context["@context"]
    table = term_table(ctx)
    missing = set()
    for _s, p, o in sample_graph:
        if p == RDF.type:
            if (str(o), "@class") not in table:
                missing.add(("class", str(o)))
        elif (str(p), coercion_of(o)) not in table:
            missing.add((str(p), coercion_of(o)))
    assert not missing


def test_context_round_trips_the_sample(context, sample_graph):
    """Write the sample as compact JSON-LD the way a generic writer would (term whose IRI and
    coercion match, else the full IRI with a value object) and read it back with rdflib."""
    ctx = context["@context"]
    table = term_table(ctx)
    nodes = {}
    for s, p, o in sorted(sample_graph):
        node = nodes.setdefault(str(s), {"@id": str(s)})
        if p == RDF.type:
            node.setdefault("@type", []).append(table.get((str(o), "@class"), str(o)))
            continue
        key = table.get((str(p), coercion_of(o)))
        if key is None:
            key = str(p)
            if isinstance(o, URIRef):
                value = {"@id": str(o)}
            elif o.language:
                value = {"@value": str(o), "@language": o.language}
            else:
                value = {"@value": str(o), "@type": str(o.datatype or XSD.string)}
        elif isinstance(o, URIRef):
            value = str(o)
        else:
            value = str(o)
        node.setdefault(key, []).append(value)
    doc = {"@context": ctx, "@graph": list(nodes.values())}
    text = json.dumps(doc, ensure_ascii=False)
    g = rdflib.Graph().parse(data=text, format="json-ld")
    assert rdflib.compare.isomorphic(g, sample_graph)
    # and with a second, independent JSON-LD processor
    ox = rdflib.Graph().parse(
        data=pyoxigraph.serialize(
            pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.JSON_LD),
            format=pyoxigraph.RdfFormat.N_TRIPLES,
        ).decode("utf-8"),
        format="nt",
    )
    assert rdflib.compare.isomorphic(ox, sample_graph)


def test_context_terms_are_declared_or_external(context, ontology):
    ctx = context["@context"]
    declared = set(ontology.subjects(RDFS.isDefinedBy, URIRef(str(KV))))
    for term, value in ctx.items():
        iri = expand_curie(ctx, value if isinstance(value, str) else value["@id"])
        if iri.startswith(str(KV)) and iri != str(KV):
            assert URIRef(iri) in declared, term


def test_derived_submitting_party_must_match_the_submitters(sample, shapes):
    """kv:submittingParty is derived from the submitters' kv:inNameOf: one missing and one too many are both caught."""
    sample.remove((K, KV.submittingParty, ID["fractie/d66"]))
    sample.add((K, KV.submittingParty, ID["partij/vvd"]))
    report = validate(sample, shapes)
    hits = report.find(K, KV.submittingParty, SH.SPARQLConstraintComponent)
    assert {report.graph.value(r, SH.value) for r in hits} == {ID["fractie/d66"], ID["partij/vvd"]}, report.text
    assert not report.conforms


def test_derived_answering_ministry_must_match_the_answerers_offices(sample, shapes):
    sample.remove((K, KV.answeringMinistry, ID["ministerie/mnre1013"]))
    report = validate(sample, shapes)
    assert_violation(report, K, KV.answeringMinistry, SH.SPARQLConstraintComponent)
    assert len(report.results) == 1, report.text
    assert report.graph.value(report.results[0], SH.value) == ID["ministerie/mnre1013"]
