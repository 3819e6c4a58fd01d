"""Tests for the vocabulary-side files: ontology, SHACL shapes (version 2), JSON-LD context and
the hand-written oracle graph tests/data/sample.ttl.

The broken-variant tests edit a copy of the parsed sample graph and check that validation
reports the expected results: focus node, sh:resultPath, constraint component and severity.
Every one of them also relies on test_sample_conforms: the unmodified sample is valid, so each
result comes from the edit (remove the constraint that catches it and the test fails).

Every graph handed to `validate` is judged by pyshacl, the reference, and by kvgraph's native
engine, which must give the same verdict and the same results: focus node, path, severity,
message and value. So each variant is also an engine-agreement test, and the six SHACL-SPARQL
rules (kvsh:...Rule), which the native engine runs as Python twins, are each held to their query.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import re
from functools import cache
from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
import rdflib
import rdflib.compare
from rdflib import RDF, RDFS, BNode, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, SH, SKOS

from kvgraph import api
from kvgraph.defaults import VERSION
from kvgraph.shacl.engine import Engine
from kvgraph.shacl.report import compact
from kvgraph.shacl.shapes import shapes_text
from kvgraph.terms import from_rdflib

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
KVSH = Namespace("https://w3id.org/kvgraph/shapes/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ELIDL = Namespace("http://data.europa.eu/eli/eli-draft-legislation-ontology#")
OWMS = Namespace("http://standaarden.overheid.nl/owms/terms/")
BASE = "https://w3id.org/kvgraph/"
OTHER_BASE = "http://example.com/open-data/"
ID = Namespace(BASE + "id/")

K = ID["kamervraag/2022Z04503"]
QDOC = ID["document/kv-tk-2022Z04503"]
ADOC = ID["document/ah-tk-20212022-2218"]
INPUT = ID["kamervraag/2022Z04503/invoer"]
OPENKAMER = URIRef("https://www.openkamer.org/")
ACTIVITY = ID[f"conversie/kvgraph-{VERSION}"]
AGENT = ID[f"software/kvgraph-{VERSION}"]
QDOC_URL = URIRef("https://zoek.officielebekendmakingen.nl/kv-tk-2022Z04503.html")
ADOC_URL = URIRef("https://zoek.officielebekendmakingen.nl/ah-tk-20212022-2218.html")
FRACTIE = ID["fractie/d66"]
POST_BZ = ID["ambt/minister-buitenlandse-zaken"]
POST_JV = ID["ambt/minister-justitie-en-veiligheid"]
MINISTRY_BZ = ID["ministerie/mnre1013"]
MINISTRY_JV = ID["ministerie/mnre1058"]


def short(node) -> str:
    """A node's IRI shortened for a test id: `vraag/1`, `kv-tk-2022Z04503`, `schema:name`."""
    compacted = compact(str(node))
    if not compacted.startswith("<"):
        return compacted
    return "/".join(str(node).rstrip("/").split("/")[-2:]).removeprefix("document/").lstrip("/")


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


@cache
def shapes_for(base: str) -> rdflib.Graph:
    """The bundled shapes with their IRI patterns anchored on `base` (what --base validates with)."""
    return rdflib.Graph().parse(data=shapes_text(base), format="turtle")


# ---------------------------------------------------------------------------------- helpers


class Report:
    """pyshacl's report, read: its results as (focus, path, component, severity) and in words."""

    def __init__(self, conforms: bool, graph: rdflib.Graph, text: str):
        self.conforms = conforms
        self.graph = graph
        self.text = text
        self.results = list(graph.subjects(RDF.type, SH.ValidationResult))

    def path(self, r):
        """A result's path: an IRI, ("^", IRI) for an inverse path, or None."""
        rp = self.graph.value(r, SH.resultPath)
        if isinstance(rp, BNode):
            return ("^", self.graph.value(rp, SH.inversePath))
        return rp

    def keys(self) -> set[tuple]:
        """(focus, path, component, severity) of every result; component and severity as local names."""
        return {(self.graph.value(r, SH.focusNode), self.path(r), local(self.graph.value(r, SH.sourceConstraintComponent)),
                 local(self.graph.value(r, SH.resultSeverity))) for r in self.results}

    def find(self, focus, path=None, component=None):
        return [r for r in self.results if self.graph.value(r, SH.focusNode) == focus
                and (path is None or self.path(r) == path)
                and (component is None or self.graph.value(r, SH.sourceConstraintComponent) == component)]

    def values(self, focus, path, component) -> set:
        return {self.graph.value(r, SH.value) for r in self.find(focus, path, component)}

    def in_words(self) -> set[tuple]:
        """(focus, path, severity, message, value) as kvgraph's Violation has them."""
        words = set()
        for r in self.results:
            path, value = self.graph.value(r, SH.resultPath), self.graph.value(r, SH.value)
            words.add((str(self.graph.value(r, SH.focusNode)), str(path) if isinstance(path, URIRef) else None,
                       local(self.graph.value(r, SH.resultSeverity)), str(self.graph.value(r, SH.resultMessage)),
                       None if value is None else str(value)))
        return words

    def messages(self):
        return [str(self.graph.value(r, SH.resultMessage)) for r in self.results]


def local(iri) -> str:
    return str(iri).rsplit("#", 1)[-1]


_ENGINES: dict[int, Engine] = {}


def native_results(data: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, set[tuple]]:
    engine = _ENGINES.setdefault(id(shapes), Engine(shapes))
    found = engine.validate([(from_rdflib(s), str(p), from_rdflib(o)) for s, p, o in data])
    conforms = not any(v.severity == "Violation" for v in found)
    return conforms, {(v.focus, v.path, v.severity, v.message, v.value) for v in found}


def validate(data: rdflib.Graph, shapes: rdflib.Graph) -> Report:
    """pyshacl as kvgraph runs it (no inference, SHACL-SPARQL on, sh:Warning results allowed),
    and kvgraph's native engine on the same graph: both must give the same verdict and the same
    results, each with the same focus node, path, severity, message and value."""
    conforms, graph, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, abort_on_first=False
    )
    report = Report(conforms, graph, text)
    native_conforms, native = native_results(data, shapes)
    reference = report.in_words()
    assert native_conforms == conforms, text
    assert native == reference, f"native only: {native - reference}\npyshacl only: {reference - native}"
    return report


def assert_violation(report: Report, focus, path=None, component=None):
    assert not report.conforms, "expected the broken graph not to conform"
    hits = report.find(focus, path, component)
    assert hits, f"no result for focus {focus} path {path} component {component}; report:\n{report.text}"
    for r in hits:
        assert report.graph.value(r, SH.resultSeverity) == SH.Violation


def assert_results(report: Report, expected: set[tuple]) -> None:
    """Exactly these results, each (focus, path, component local name), all violations."""
    assert not report.conforms
    assert report.keys() == {(*e, "Violation") for e in expected}, report.text


def assert_warning_only(report: Report, focus, path=None, component=None):
    """The graph conforms (warnings allowed), and the expected result is its only one, a warning."""
    assert report.conforms, report.text
    hits = report.find(focus, path, component)
    assert hits, f"no result for focus {focus} path {path} component {component}; report:\n{report.text}"
    assert len(hits) == len(report.results), report.text
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


def moved(g: rdflib.Graph, base: str) -> rdflib.Graph:
    """The graph with every IRI minted under BASE (`<BASE>id/...`) minted under `base` instead."""
    def move(x):
        return URIRef(base + str(x)[len(BASE):]) if isinstance(x, URIRef) and str(x).startswith(BASE + "id/") else x

    out = rdflib.Graph()
    for t in g:
        out.add(tuple(move(x) for x in t))
    return out


# ---------------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("path", [ONTOLOGY, SHAPES, SAMPLE], ids=lambda p: p.name)
def test_turtle_parses_in_rdflib_and_oxigraph(path):
    g = rdflib.Graph().parse(path, format="turtle")
    assert len(g) > 0
    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(g)


def test_context_is_json_ld_1_0_context(context):
    """No 1.1 keyword (@version, @protected, @container: @type ...); @type is an IRI, @id or @vocab."""
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
        if "@type" in value and value["@type"].startswith("@"):
            assert value["@type"] in ("@id", "@vocab"), term


# ---------------------------------------------------------------------------------- ontology


ONTOLOGY_IRI = URIRef(str(KV))
VERSION_IRI = URIRef(str(KV) + "2.0.0")
PRIOR_VERSION_IRI = URIRef(str(KV) + "1.0.0")


def kv_terms(g: rdflib.Graph) -> set[URIRef]:
    terms = set()
    for t in g:
        for x in t:
            if isinstance(x, URIRef) and str(x).startswith(str(KV)) and x not in (ONTOLOGY_IRI, VERSION_IRI, PRIOR_VERSION_IRI):
                terms.add(x)
    return terms


def test_ontology_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("2.0.0")
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == VERSION_IRI
    assert ontology.value(ONTOLOGY_IRI, OWL.priorVersion) == PRIOR_VERSION_IRI
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.description) is not None


def test_shapes_header(shapes):
    assert shapes.value(KVSH[""], OWL.versionInfo) == Literal("2.0.0")


def test_every_ontology_term_is_documented(ontology):
    declared = {s for s in ontology.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI)}
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
    # not a prov:Entity, on purpose: the shapes target prov:Entity for the input alone
    assert (KV.Kamervraag, RDFS.subClassOf, None) not in ontology
    assert (KV.QuestionDocument, RDFS.subClassOf, ELI.Work) in ontology
    assert (KV.AnswerDocument, RDFS.subClassOf, ELI.Work) in ontology
    assert (KV.Participation, RDFS.subClassOf, ELIDL.Participation) in ontology
    assert (KV.PoliticalParty, RDFS.subClassOf, ORG.Organization) in ontology
    assert (KV.Fractie, RDFS.subClassOf, ORG.Organization) in ontology
    assert (KV.Ministry, RDFS.subClassOf, ORG.Organization) in ontology
    assert (KV.dateAnswered, RDFS.subPropertyOf, DCTERMS.date) in ontology


def test_no_shape_targets_a_class_the_ontology_specialises(ontology, shapes):
    """What lets the data merged with the ontology conform: no instance of a kvgraph class
    becomes, through the ontology, a focus node of another class's shape."""
    targets = set(shapes.objects(None, SH.targetClass))
    assert targets
    assert targets & set(ontology.objects(None, RDFS.subClassOf)) == set()
    assert set(ontology.subjects(RDF.type, SKOS.Concept)) - set(shapes.subjects(SH.targetClass, SKOS.Concept))
    assert SKOS.Concept not in targets  # topics are targeted as objects of dcterms:subject, skos:broader


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
        assert (KV.positions, SKOS.hasTopConcept, term) in ontology
        assert ontology.value(term, SKOS.prefLabel) == Literal(label, lang="nl")
    for term, label, tk in [(KV.indiener, "indiener", "Indiener"), (KV.beantwoorder, "beantwoorder", "Gericht aan")]:
        assert (term, RDF.type, SKOS.Concept) in ontology
        assert (term, RDF.type, ELIDL.ParticipationRole) in ontology
        assert (term, SKOS.inScheme, KV.participationRoles) in ontology
        assert (KV.participationRoles, SKOS.hasTopConcept, term) in ontology
        assert ontology.value(term, SKOS.prefLabel) == Literal(label, lang="nl")
        assert tk in str(ontology.value(term, SKOS.note))
    assert (KV.documentKinds, RDF.type, SKOS.ConceptScheme) in ontology
    for term, label in [(KV["schriftelijke-vragen"], "schriftelijke vragen"),
                        (KV["antwoord-schriftelijke-vragen"], "antwoord schriftelijke vragen")]:
        assert (term, RDF.type, ELI.WorkType) in ontology
        assert (term, RDF.type, SKOS.Concept) in ontology
        assert (term, SKOS.inScheme, KV.documentKinds) in ontology
        assert (KV.documentKinds, SKOS.hasTopConcept, term) in ontology
        assert ontology.value(term, SKOS.prefLabel) == Literal(label, lang="nl")


def test_the_shapes_code_lists_are_the_ontologys(ontology, shapes):
    """The codes the shapes accept (sh:in, sh:hasValue) are the ontology's, each in its scheme."""
    def sh_in(path):
        lists = [shapes.value(p, SH["in"]) for p in shapes.subjects(SH.path, path) if shapes.value(p, SH["in"])]
        assert len(lists) == 1, path
        return set(Collection(shapes, lists[0]))

    assert sh_in(ORG.role) == set(ontology.subjects(SKOS.inScheme, KV.positions))
    assert sh_in(ELIDL.participation_role) == set(ontology.subjects(SKOS.inScheme, KV.participationRoles))
    work_types = {shapes.value(p, SH.hasValue) for p in shapes.subjects(SH.path, ELI.work_type)}
    assert work_types == set(ontology.subjects(SKOS.inScheme, KV.documentKinds))


@pytest.mark.parametrize("path", [SAMPLE, SHAPES], ids=lambda p: p.name)
def test_kv_terms_used_are_declared(ontology, path):
    used = kv_terms(rdflib.Graph().parse(path, format="turtle"))
    assert used
    declared = set(ontology.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI))
    assert used - declared == set()


def test_kv_terms_in_readme_are_declared(ontology):
    # terms written `kv:term` in the README (code lists, classes, properties)
    used = {KV[m] for m in re.findall(r"(?<![\w/])kv:([A-Za-z][A-Za-z0-9-]*[A-Za-z0-9])", README.read_text(encoding="utf-8"))}
    declared = set(ontology.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI))
    assert used and used - declared == set()


# ---------------------------------------------------------------------------------- the oracle


def test_sample_is_what_kvgraph_converts(sample_graph):
    """The hand-written oracle is the conversion of its example: `kvgraph convert -f turtle`."""
    converted = api.convert([str(SAMPLE_INPUT)], format="turtle")
    assert converted.ok and converted.data
    graph = rdflib.Graph().parse(data=converted.data, format="turtle")
    assert len(graph) == len(sample_graph)
    assert rdflib.compare.isomorphic(graph, sample_graph)


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
        assert g.value(antwoord(n), SCHEMA.isPartOf) == ADOC
    assert "\n" in str(g.value(antwoord(6), SCHEMA.text))
    for role, people in [("indiener", record["submitters"]), ("beantwoorder", record["answerers"])]:
        for i, person in enumerate(people, 1):
            p = participation(role, i)
            assert (K, KV.participation, p) in g
            assert set(g.objects(p, RDF.type)) == {KV.Participation, ELIDL.Participation}
            assert g.value(p, ELIDL.participation_role) == KV[role]
            assert g.value(p, KV.printedName) == Literal(person["name"])
            assert g.value(g.value(p, ELIDL.had_participant_person), FOAF.name) == Literal(person["name"])
            assert g.value(g.value(p, ELIDL.participation_in_name_of), SKOS.prefLabel) == Literal(person["party"])
            offices = {str(g.value(o, SKOS.prefLabel)) for o in g.objects(p, KV.office)}
            assert offices == set(person.get("roles", []))
    for doc, kind, key in [(QDOC, KV["schriftelijke-vragen"], "question_document"),
                           (ADOC, KV["antwoord-schriftelijke-vragen"], "answer_document")]:
        assert ELI.Work in set(g.objects(doc, RDF.type))
        assert g.value(doc, ELI.work_type) == kind
        assert g.value(doc, DCTERMS.title) == Literal(record[key]["title"], lang="nl")
        assert g.value(doc, SCHEMA.url) == URIRef(record[key]["url"])
    assert g.value(ADOC, ELIDL.answers_to) == QDOC
    topics = {str(g.value(t, SKOS.prefLabel)).lower() for t in g.objects(K, DCTERMS.subject)}
    assert topics == set(record["topics"])


def test_sample_provenance_names_the_input_by_its_sha256_and_kvgraph_by_its_version(sample_graph):
    g = sample_graph
    digest = hashlib.sha256(SAMPLE_INPUT.read_bytes()).hexdigest()
    assert g.value(K, PROV.wasDerivedFrom) == INPUT
    assert g.value(INPUT, KV.sha256) == Literal(digest)
    assert not [o for o in g.objects(INPUT, None) if "examples/" in str(o)], "no path any more"
    assert g.value(INPUT, PROV.wasAttributedTo) == OPENKAMER
    assert set(g.objects(INPUT, PROV.wasDerivedFrom)) == {g.value(QDOC, SCHEMA.url), g.value(ADOC, SCHEMA.url)}
    assert g.value(OPENKAMER, FOAF.name) == Literal("openkamer")
    assert g.value(K, PROV.wasGeneratedBy) == ACTIVITY
    assert (ACTIVITY, RDF.type, PROV.Activity) in g
    assert g.value(ACTIVITY, PROV.wasAssociatedWith) == AGENT
    assert (AGENT, RDF.type, PROV.SoftwareAgent) in g
    assert g.value(AGENT, FOAF.name) == Literal("kvgraph")
    assert g.value(AGENT, SCHEMA.softwareVersion) == Literal(VERSION)


def test_sample_topics_follow_owms_list(sample_graph):
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


def test_sample_conforms(sample, shapes):
    report = validate(sample, shapes)
    assert report.conforms, report.text
    assert report.results == [], report.text


def test_sample_merged_with_the_ontology_conforms(sample, shapes, ontology):
    """No shape targets a class the ontology specialises, and topics are found as objects of
    dcterms:subject, not as instances of skos:Concept (the code lists are concepts too)."""
    sample += ontology
    report = validate(sample, shapes)
    assert report.conforms, report.text
    assert report.results == [], report.text


ENRICHED = [K, vraag(1), antwoord(1), participation("indiener", 1), participation("beantwoorder", 2),
            ID["persoon/Q14520235"], ID["persoon/naam/hanneke-van-der-werf"], FRACTIE, ID["partij/cda"], POST_BZ,
            MINISTRY_JV, OWMS.Internationaal, QDOC, ADOC, INPUT, OPENKAMER, ACTIVITY, AGENT]


@pytest.mark.parametrize("node", ENRICHED, ids=short)
def test_enrichment_of_a_node_conforms(sample, shapes, node):
    """Closed shapes, open to linking: another rdf:type, owl:sameAs, skos:exactMatch and rdfs:seeAlso."""
    sample.add((node, OWL.sameAs, URIRef("https://example.org/same")))
    sample.add((node, RDF.type, URIRef("https://example.org/Thing")))
    sample.add((node, SKOS.exactMatch, URIRef("https://example.org/match")))
    sample.add((node, RDFS.seeAlso, URIRef("https://example.org/see")))
    report = validate(sample, shapes)
    assert report.conforms, report.text
    assert report.results == [], report.text


def test_enrichment_everywhere_at_once_conforms(sample, shapes):
    """Many links on many nodes, identifiers too where the shapes do not count them."""
    for i, node in enumerate(ENRICHED):
        sample.add((node, OWL.sameAs, URIRef(f"https://example.org/same/{i}")))
        sample.add((node, OWL.sameAs, URIRef(f"https://example.net/same/{i}")))
        sample.add((node, RDF.type, SCHEMA.Thing))
        sample.add((node, SKOS.exactMatch, URIRef(f"https://example.org/match/{i}")))
        if (node, DCTERMS.identifier, None) not in sample:
            sample.add((node, DCTERMS.identifier, Literal(f"id-{i}")))
        sample.add((node, SCHEMA.identifier, Literal(f"schema-id-{i}")))
    sample.add((ID["persoon/Q14520235"], OWL.sameAs, URIRef("https://www.tweedekamer.nl/kamerleden_en_commissies/alle_kamerleden/hoekstra")))
    report = validate(sample, shapes)
    assert report.conforms, report.text
    assert report.results == [], report.text


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
    assert report.results == [], report.text


def test_unanswered_kamervraag_conforms(sample, shapes):
    """Without answers: no answer date, days, answer document, answers or answerers."""
    g = sample
    for p in (KV.dateAnswered, KV.daysToAnswer, KV.answerDocument, KV.answeringMinistry):
        g.remove((K, p, None))
    g.remove((INPUT, PROV.wasDerivedFrom, ADOC_URL))
    for n in range(1, 9):
        g.remove((vraag(n), SCHEMA.acceptedAnswer, None))
        g.remove((antwoord(n), None, None))
    g.remove((ADOC, None, None))
    for n in (1, 2):
        p = participation("beantwoorder", n)
        g.remove((K, KV.participation, p))
        g.remove((p, None, None))
    for s in list(g.subjects(RDF.type, FOAF.Person)):
        if (None, ELIDL.had_participant_person, s) not in g:
            g.remove((s, None, None))
    for s in [ID["partij/cda"], ID["partij/vvd"]]:
        g.remove((s, None, None))
    for s in list(g.subjects(RDF.type, ORG.Post)) + list(g.subjects(RDF.type, KV.Ministry)):
        g.remove((s, None, None))
    report = validate(g, shapes)
    assert report.conforms, report.text
    assert report.results == [], report.text


def test_answer_on_the_day_of_submission_conforms(sample, shapes):
    set_value(sample, K, KV.dateAnswered, Literal("2022-03-10", datatype=XSD.date))
    set_value(sample, K, KV.daysToAnswer, Literal(0))
    report = validate(sample, shapes)
    assert report.conforms, report.text


# ---------------------------------------------------------------------------------- IRIs: anchored on the base


def test_sample_under_another_base_conforms_to_the_shapes_for_that_base(sample_graph):
    """kvgraph validates with the shapes rewritten for --base (shapes_text(base))."""
    report = validate(moved(sample_graph, OTHER_BASE), shapes_for(OTHER_BASE))
    assert report.conforms, report.text
    assert report.results == [], report.text


def test_sample_under_another_base_does_not_conform_to_the_default_shapes(sample_graph, shapes):
    """Every node kvgraph minted fails its IRI pattern, and nothing else fails."""
    g = moved(sample_graph, OTHER_BASE)
    report = validate(g, shapes)
    minted = {s for s in g.subjects() if str(s).startswith(OTHER_BASE)}
    assert len(minted) == 39
    assert_results(report, {(node, None, "PatternConstraintComponent") for node in minted})


@pytest.mark.parametrize("base", [BASE, OTHER_BASE])
def test_a_graph_that_mixes_two_bases_does_not_conform(sample_graph, base):
    """One question moved to the other base: its IRI fails the question's anchored pattern."""
    g = moved(sample_graph, base)
    other = OTHER_BASE if base == BASE else BASE
    question = URIRef(base + "id/kamervraag/2022Z04503/vraag/3")
    stray = URIRef(other + "id/kamervraag/2022Z04503/vraag/3")
    rename(g, question, stray)
    report = validate(g, shapes_for(base))
    assert_results(report, {(stray, None, "PatternConstraintComponent")})


def test_the_base_is_matched_literally(sample_graph):
    """The dots of the base are escaped in the patterns: w3idXorg is not w3id.org."""
    lookalike = "https://w3idXorg/kvgraph/"
    g = moved(sample_graph, lookalike)
    report = validate(g, shapes_for(BASE))
    assert (URIRef(lookalike + "id/kamervraag/2022Z04503"), None, "PatternConstraintComponent", "Violation") in report.keys()


def test_iri_breaking_pattern(sample, shapes):
    bad = ID["persoon/Wopke_Hoekstra"]
    rename(sample, ID["persoon/Q14520235"], bad)
    report = validate(sample, shapes)
    assert_results(report, {(bad, None, "PatternConstraintComponent")})


# ---------------------------------------------------------------------------------- broken variants: Core


def test_missing_submission_date(sample, shapes):
    sample.remove((K, DCTERMS.dateSubmitted, None))
    report = validate(sample, shapes)
    assert_results(report, {(K, DCTERMS.dateSubmitted, "MinCountConstraintComponent")})


def test_submission_date_as_plain_string(sample, shapes):
    set_value(sample, K, DCTERMS.dateSubmitted, Literal("2022-03-10"))
    report = validate(sample, shapes)
    assert_violation(report, K, DCTERMS.dateSubmitted, SH.DatatypeConstraintComponent)


def test_question_without_text(sample, shapes):
    sample.remove((vraag(3), SCHEMA.text, None))
    report = validate(sample, shapes)
    assert_results(report, {(vraag(3), SCHEMA.text, "MinCountConstraintComponent")})


def test_second_title(sample, shapes):
    sample.add((K, DCTERMS.title, Literal("Nog een titel", lang="nl")))
    report = validate(sample, shapes)
    assert_results(report, {(K, DCTERMS.title, "MaxCountConstraintComponent")})


def test_answered_before_submitted(sample, shapes):
    set_value(sample, K, KV.dateAnswered, Literal("2022-03-01", datatype=XSD.date))
    set_value(sample, K, KV.daysToAnswer, Literal(-9))
    report = validate(sample, shapes)
    assert_results(report, {(K, DCTERMS.dateSubmitted, "LessThanOrEqualsConstraintComponent"),
                            (K, KV.daysToAnswer, "MinInclusiveConstraintComponent")})


def test_days_to_answer_as_string(sample, shapes):
    set_value(sample, K, KV.daysToAnswer, Literal("14"))
    report = validate(sample, shapes)
    # a string is not comparable with 0, so sh:minInclusive fails too; the SPARQL rule skips it
    assert_results(report, {(K, KV.daysToAnswer, "DatatypeConstraintComponent"),
                            (K, KV.daysToAnswer, "MinInclusiveConstraintComponent")})


def test_participation_role_outside_code_list(sample, shapes):
    p = participation("indiener", 2)
    set_value(sample, p, ELIDL.participation_role, KV.medeindiener)
    report = validate(sample, shapes)
    assert_results(report, {(p, ELIDL.participation_role, "InConstraintComponent")})


def test_bad_zaaknummer(sample, shapes):
    set_value(sample, K, DCTERMS.identifier, Literal("2022-Z04503"))
    report = validate(sample, shapes)
    assert_results(report, {(K, DCTERMS.identifier, "PatternConstraintComponent")})


def test_no_submitter(sample, shapes):
    for n in (1, 2):
        p = participation("indiener", n)
        sample.remove((K, KV.participation, p))
        sample.remove((p, None, None))
    for s in ("bf030048-0434-42f1-bbed-8b0c04014db4", "naam/hanneke-van-der-werf"):
        sample.remove((ID["persoon/" + s], None, None))
    sample.remove((FRACTIE, None, None))
    sample.remove((ID["partij/d66"], None, None))
    sample.remove((K, KV.submittingParty, None))
    report = validate(sample, shapes)
    assert_results(report, {(K, KV.participation, "QualifiedMinCountConstraintComponent")})


def test_title_without_language(sample, shapes):
    set_value(sample, K, DCTERMS.title, Literal("De oproep om Rusland uit te sluiten van INTERPOL"))
    report = validate(sample, shapes)
    assert_violation(report, K, DCTERMS.title, SH.DatatypeConstraintComponent)


def test_answer_text_in_english(sample, shapes):
    set_value(sample, antwoord(1), SCHEMA.text, Literal("Yes.", lang="en"))
    report = validate(sample, shapes)
    assert_results(report, {(antwoord(1), SCHEMA.text, "LanguageInConstraintComponent")})


def test_party_label_with_language(sample, shapes):
    party = ID["partij/d66"]
    set_value(sample, party, SKOS.prefLabel, Literal("D66", lang="nl"))
    report = validate(sample, shapes)
    assert_results(report, {(party, SKOS.prefLabel, "DatatypeConstraintComponent")})


def test_post_position_outside_code_list(sample, shapes):
    set_value(sample, POST_BZ, ORG.role, KV.minister_van_buitenlandse_zaken)
    report = validate(sample, shapes)
    assert_results(report, {(POST_BZ, ORG.role, "InConstraintComponent")})


def test_a_kvgraph_class_as_extra_type_brings_its_shapes(sample, shapes):
    """Foreign types are enrichment; a kvgraph class is not: a party typed kv:Ministry is judged as one."""
    party = ID["partij/cda"]
    sample.add((party, RDF.type, KV.Ministry))
    report = validate(sample, shapes)
    assert_results(report, {(party, None, "PatternConstraintComponent"),
                            (party, ("^", ORG.postIn), "MinCountConstraintComponent"),
                            (party, SKOS.prefLabel, "DatatypeConstraintComponent"),
                            (party, SKOS.prefLabel, "LanguageInConstraintComponent")})


def test_a_kamervraag_typed_prov_entity_is_taken_for_an_input(sample, shapes):
    """Why kv:Kamervraag is no rdfs:subClassOf prov:Entity: the shapes take prov:Entity for the input."""
    sample.add((K, RDF.type, PROV.Entity))
    report = validate(sample, shapes)
    assert_violation(report, K, None, SH.PatternConstraintComponent)
    assert_violation(report, K, KV.sha256, SH.MinCountConstraintComponent)


def test_orphan_person(sample, shapes):
    ghost = ID["persoon/naam/niemand"]
    sample.add((ghost, RDF.type, FOAF.Person))
    sample.add((ghost, FOAF.name, Literal("Niemand")))
    report = validate(sample, shapes)
    assert_results(report, {(ghost, ("^", ELIDL.had_participant_person), "MinCountConstraintComponent")})


def test_bad_sha256(sample, shapes):
    set_value(sample, INPUT, KV.sha256, Literal("1759F5568E11A48F91FCF021AAC04C2CBEB9818D94D5901C5F22F9922C95E831"))
    report = validate(sample, shapes)
    assert_results(report, {(INPUT, KV.sha256, "PatternConstraintComponent")})


def test_notice_without_date(sample, shapes):
    notice = ID["kamervraag/2022Z04503/mededeling/1"]
    sample.add((K, KV.notice, notice))
    sample.add((notice, RDF.type, KV.PostponementNotice))
    sample.add((notice, SCHEMA.text, Literal("Uitstel.", lang="nl")))
    report = validate(sample, shapes)
    assert_results(report, {(notice, DCTERMS.date, "MinCountConstraintComponent")})


def test_footnote_without_number(sample, shapes):
    fn = ID["kamervraag/2022Z04503/voetnoot/1"]
    sample.add((K, KV.footnote, fn))
    sample.add((fn, RDF.type, KV.Footnote))
    sample.add((fn, SCHEMA.text, Literal("bron", lang="nl")))
    report = validate(sample, shapes)
    assert_results(report, {(fn, SCHEMA.position, "MinCountConstraintComponent")})


def test_untyped_question_document(sample, shapes):
    sample.remove((QDOC, RDF.type, None))
    report = validate(sample, shapes)
    assert_results(report, {(K, KV.questionDocument, "ClassConstraintComponent"),
                            (ADOC, ELIDL.answers_to, "ClassConstraintComponent")})


def test_answer_not_linked_to_its_question(sample, shapes):
    sample.remove((vraag(5), SCHEMA.acceptedAnswer, antwoord(5)))
    report = validate(sample, shapes)
    assert_results(report, {(antwoord(5), ("^", SCHEMA.acceptedAnswer), "MinCountConstraintComponent")})


def test_question_in_two_kamervragen(sample, shapes):
    """The question is a part of two; and its answer is not in the other one's answer document
    (it has none), which kvsh:AnswerDocumentRule reports."""
    other = ID["kamervraag/2022Z99999"]
    sample.add((other, SCHEMA.hasPart, vraag(1)))
    report = validate(sample, shapes)
    assert_results(report, {(vraag(1), ("^", SCHEMA.hasPart), "MaxCountConstraintComponent"),
                            (antwoord(1), SCHEMA.isPartOf, "SPARQLConstraintComponent")})


def test_missing_broader_topic_node(sample, shapes):
    """A broader topic is a topic too (the objects of skos:broader), described or not."""
    sample.remove((OWMS.Internationaal, None, None))
    sample.remove((K, DCTERMS.subject, OWMS.Internationaal))
    report = validate(sample, shapes)
    assert_results(report, {(OWMS.Internationaal, RDF.type, "HasValueConstraintComponent"),
                            (OWMS.Internationaal, SKOS.prefLabel, "MinCountConstraintComponent"),
                            (OWMS.Internationaal, None, "OrConstraintComponent")})


# ---------------------------------------------------------------------------------- broken variants: closed shapes


@pytest.mark.parametrize(("node", "predicate", "value"), [
    (vraag(2), SCHEMA.name, Literal("Vraag 2", lang="nl")),
    (K, DCTERMS.source, QDOC_URL),  # v1 property
    (vraag(1), SCHEMA.isPartOf, K),  # v1 property
    (antwoord(1), SCHEMA.parentItem, vraag(1)),  # v1 property
    (participation("indiener", 1), KV.role, KV.indiener),  # v1 property
    (QDOC, SCHEMA.name, Literal("kv-tk-2022Z04503")),
    (ADOC, KV.answersTo, QDOC),  # v1 property
    (INPUT, PROV.atLocation, Literal("examples/2022Z04503.txt")),  # the input has no path any more
    (OPENKAMER, FOAF.homepage, OPENKAMER),
    (ACTIVITY, PROV.startedAtTime, Literal("2024-01-01T00:00:00", datatype=XSD.dateTime)),
    (AGENT, SCHEMA.name, Literal("kvgraph")),
    (OWMS.Internationaal, SKOS.altLabel, Literal("buitenland", lang="nl")),
    (ID["persoon/Q14520235"], FOAF.nick, Literal("Wopke")),
    (FRACTIE, FOAF.name, Literal("D66")),
    (MINISTRY_BZ, FOAF.name, Literal("BZ")),
    (POST_BZ, ORG.heldBy, ID["persoon/Q14520235"]),
], ids=lambda x: short(x) if isinstance(x, URIRef) else "value")
def test_unexpected_property_on_closed_shape(sample, shapes, node, predicate, value):
    sample.add((node, predicate, value))
    report = validate(sample, shapes)
    assert_results(report, {(node, predicate, "ClosedConstraintComponent")})
    assert report.values(node, predicate, SH.ClosedConstraintComponent) == {value}


# ---------------------------------------------------------------------------------- broken variants: hasValue, work types, answers_to


@pytest.mark.parametrize(("node", "cls"), [
    (QDOC, ELI.Work), (ADOC, ELI.Work), (participation("indiener", 1), ELIDL.Participation),
    (participation("beantwoorder", 2), ELIDL.Participation), (FRACTIE, ORG.Organization),
    (ID["partij/cda"], ORG.Organization), (MINISTRY_JV, ORG.Organization), (OWMS.Internationaal, SKOS.Concept),
], ids=short)
def test_reused_type_missing(sample, shapes, node, cls):
    """A kvgraph class's instance states the reused type too (rdf:type sh:hasValue), for queries without inference."""
    sample.remove((node, RDF.type, cls))
    report = validate(sample, shapes)
    assert_violation(report, node, RDF.type, SH.HasValueConstraintComponent)
    # and the links that require that type (sh:class) to it fail, nothing else
    others = [r for r in report.results if report.graph.value(r, SH.sourceConstraintComponent) != SH.HasValueConstraintComponent]
    assert len(others) == len(report.results) - 1
    for r in others:
        assert report.graph.value(r, SH.sourceConstraintComponent) == SH.ClassConstraintComponent, report.text
        assert report.graph.value(r, SH.value) == node, report.text


@pytest.mark.parametrize(("doc", "kind"), [(QDOC, KV["antwoord-schriftelijke-vragen"]), (ADOC, KV["schriftelijke-vragen"]),
                                           (QDOC, KV.brief)], ids=["question-as-answer", "answer-as-question", "other"])
def test_wrong_work_type(sample, shapes, doc, kind):
    set_value(sample, doc, ELI.work_type, kind)
    report = validate(sample, shapes)
    assert_results(report, {(doc, ELI.work_type, "HasValueConstraintComponent")})


@pytest.mark.parametrize("doc", [QDOC, ADOC], ids=["question", "answer"])
def test_missing_work_type(sample, shapes, doc):
    sample.remove((doc, ELI.work_type, None))
    report = validate(sample, shapes)
    assert_results(report, {(doc, ELI.work_type, "MinCountConstraintComponent"),
                            (doc, ELI.work_type, "HasValueConstraintComponent")})


def test_two_work_types(sample, shapes):
    sample.add((QDOC, ELI.work_type, KV["antwoord-schriftelijke-vragen"]))
    report = validate(sample, shapes)
    assert_results(report, {(QDOC, ELI.work_type, "MaxCountConstraintComponent")})


def test_answer_document_answers_nothing(sample, shapes):
    sample.remove((ADOC, ELIDL.answers_to, None))
    report = validate(sample, shapes)
    assert_results(report, {(ADOC, ELIDL.answers_to, "MinCountConstraintComponent")})


def test_answer_document_answers_no_question_document(sample, shapes):
    set_value(sample, ADOC, ELIDL.answers_to, K)
    report = validate(sample, shapes)
    assert_results(report, {(ADOC, ELIDL.answers_to, "ClassConstraintComponent")})


def test_answer_document_answers_two_question_documents(sample, shapes):
    sample.add((ADOC, ELIDL.answers_to, ADOC_URL))
    report = validate(sample, shapes)
    assert_results(report, {(ADOC, ELIDL.answers_to, "MaxCountConstraintComponent"),
                            (ADOC, ELIDL.answers_to, "ClassConstraintComponent")})


# ---------------------------------------------------------------------------------- broken variants: provenance


def test_input_attributed_to_someone_else(sample, shapes):
    set_value(sample, INPUT, PROV.wasAttributedTo, URIRef("https://www.example.org/"))
    report = validate(sample, shapes)
    assert_results(report, {(INPUT, PROV.wasAttributedTo, "HasValueConstraintComponent")})


def test_input_attributed_to_openkamer_and_someone_else(sample, shapes):
    sample.add((INPUT, PROV.wasAttributedTo, URIRef("https://www.example.org/")))
    report = validate(sample, shapes)
    assert_results(report, {(INPUT, PROV.wasAttributedTo, "MaxCountConstraintComponent")})


def test_input_attributed_to_nobody(sample, shapes):
    sample.remove((INPUT, PROV.wasAttributedTo, None))
    report = validate(sample, shapes)
    assert_results(report, {(INPUT, PROV.wasAttributedTo, "MinCountConstraintComponent"),
                            (INPUT, PROV.wasAttributedTo, "HasValueConstraintComponent")})


def test_another_organisation_in_the_provenance(sample, shapes):
    """openkamer renamed: the one organisation is openkamer, and the input is attributed to it."""
    other = URIRef("https://www.example.org/")
    rename(sample, OPENKAMER, other)
    report = validate(sample, shapes)
    assert_results(report, {(other, None, "InConstraintComponent"),
                            (INPUT, PROV.wasAttributedTo, "HasValueConstraintComponent")})


def test_openkamer_without_name(sample, shapes):
    sample.remove((OPENKAMER, FOAF.name, None))
    report = validate(sample, shapes)
    assert_results(report, {(OPENKAMER, FOAF.name, "MinCountConstraintComponent")})


def test_input_without_sha256(sample, shapes):
    sample.remove((INPUT, KV.sha256, None))
    report = validate(sample, shapes)
    assert_results(report, {(INPUT, KV.sha256, "MinCountConstraintComponent")})


def test_input_derived_from_three_publications(sample, shapes):
    sample.add((INPUT, PROV.wasDerivedFrom, URIRef("https://zoek.officielebekendmakingen.nl/kv-tk-2022Z99999.html")))
    report = validate(sample, shapes)
    assert_results(report, {(INPUT, PROV.wasDerivedFrom, "MaxCountConstraintComponent")})


def test_input_derived_from_a_literal(sample, shapes):
    sample.add((INPUT, PROV.wasDerivedFrom, Literal("examples/2022Z04503.txt")))
    sample.remove((INPUT, PROV.wasDerivedFrom, ADOC_URL))
    report = validate(sample, shapes)
    assert_results(report, {(INPUT, PROV.wasDerivedFrom, "NodeKindConstraintComponent")})


def test_kamervraag_without_input(sample, shapes):
    sample.remove((K, PROV.wasDerivedFrom, None))
    report = validate(sample, shapes)
    assert_results(report, {(K, PROV.wasDerivedFrom, "MinCountConstraintComponent"),
                            (INPUT, ("^", PROV.wasDerivedFrom), "MinCountConstraintComponent")})


def test_kamervraag_without_conversion(sample, shapes):
    sample.remove((K, PROV.wasGeneratedBy, None))
    report = validate(sample, shapes)
    assert_results(report, {(K, PROV.wasGeneratedBy, "MinCountConstraintComponent")})


def test_kamervraag_generated_by_an_untyped_activity(sample, shapes):
    set_value(sample, K, PROV.wasGeneratedBy, ID["conversie/kvgraph-0.1.0"])
    report = validate(sample, shapes)
    assert_results(report, {(K, PROV.wasGeneratedBy, "ClassConstraintComponent")})


def test_conversion_without_software(sample, shapes):
    sample.remove((ACTIVITY, PROV.wasAssociatedWith, None))
    report = validate(sample, shapes)
    assert_results(report, {(ACTIVITY, PROV.wasAssociatedWith, "MinCountConstraintComponent")})


def test_conversion_associated_with_a_person(sample, shapes):
    set_value(sample, ACTIVITY, PROV.wasAssociatedWith, ID["persoon/Q14520235"])
    report = validate(sample, shapes)
    assert_violation(report, ACTIVITY, PROV.wasAssociatedWith, SH.ClassConstraintComponent)


def test_conversion_iri_with_a_time(sample, shapes):
    run = ID["conversie/2024-01-01T12:00:00"]
    rename(sample, ACTIVITY, run)
    report = validate(sample, shapes)
    assert_results(report, {(run, None, "PatternConstraintComponent")})


def test_software_named_otherwise(sample, shapes):
    set_value(sample, AGENT, FOAF.name, Literal("kvgraaf"))
    report = validate(sample, shapes)
    assert_results(report, {(AGENT, FOAF.name, "HasValueConstraintComponent")})


def test_software_version_not_semantic(sample, shapes):
    set_value(sample, AGENT, SCHEMA.softwareVersion, Literal("v0.2"))
    report = validate(sample, shapes)
    assert_results(report, {(AGENT, SCHEMA.softwareVersion, "PatternConstraintComponent")})


def test_software_iri_without_version(sample, shapes):
    agent = ID["software/kvgraph"]
    rename(sample, AGENT, agent)
    report = validate(sample, shapes)
    assert_results(report, {(agent, None, "PatternConstraintComponent")})


# ---------------------------------------------------------------------------------- broken variants: sh:or node shapes


def test_days_without_answer_date(sample, shapes):
    """kvsh:KamervraagAnsweredShape: kv:daysToAnswer without kv:dateAnswered."""
    sample.remove((K, KV.dateAnswered, None))
    report = validate(sample, shapes)
    assert_results(report, {(K, None, "OrConstraintComponent")})


def test_answer_date_without_days(sample, shapes):
    """kvsh:KamervraagAnsweredShape: kv:dateAnswered without kv:daysToAnswer."""
    sample.remove((K, KV.daysToAnswer, None))
    report = validate(sample, shapes)
    assert_results(report, {(K, None, "OrConstraintComponent")})


def test_office_on_submitter(sample, shapes):
    """kvsh:ParticipationOfficeShape: only answerers have offices."""
    p = participation("indiener", 1)
    sample.add((p, KV.office, POST_JV))
    report = validate(sample, shapes)
    assert_results(report, {(p, None, "OrConstraintComponent")})


def test_owms_topic_without_scheme(sample, shapes):
    """kvsh:TopicSchemeShape: an OWMS term is in the OWMS scheme."""
    sample.remove((OWMS.Internationaal, SKOS.inScheme, None))
    report = validate(sample, shapes)
    assert_results(report, {(OWMS.Internationaal, None, "OrConstraintComponent")})


def test_project_topic_in_owms_scheme(sample, shapes):
    """kvsh:TopicSchemeShape: kvgraph's own concept is not in the OWMS scheme."""
    topic = ID["onderwerp/ruimtevaart"]
    sample.add((K, DCTERMS.subject, topic))
    sample.add((topic, RDF.type, SKOS.Concept))
    sample.add((topic, SKOS.prefLabel, Literal("ruimtevaart", lang="nl")))
    sample.add((topic, SKOS.inScheme, OWMS.TaxonomieBeleidsagenda))
    report = validate(sample, shapes)
    assert_results(report, {(topic, None, "OrConstraintComponent")})


# ---------------------------------------------------------------------------------- broken variants: the six SPARQL rules


def sparql_values(report: Report, focus, path) -> set:
    return report.values(focus, path, SH.SPARQLConstraintComponent)


@pytest.mark.parametrize("days", [13, 15, 0, 10_000])
def test_wrong_days_to_answer(sample, shapes, days):
    """kvsh:DaysToAnswerRule."""
    set_value(sample, K, KV.daysToAnswer, Literal(days))
    report = validate(sample, shapes)
    assert_results(report, {(K, KV.daysToAnswer, "SPARQLConstraintComponent")})
    assert sparql_values(report, K, KV.daysToAnswer) == {Literal(days)}


def test_days_across_a_leap_day_and_a_year_end(sample, shapes):
    """kvsh:DaysToAnswerRule counts 29 February and crosses the year: 2023-12-20 to 2024-03-01 is 72 days."""
    set_value(sample, K, DCTERMS.dateSubmitted, Literal("2023-12-20", datatype=XSD.date))
    set_value(sample, K, KV.dateAnswered, Literal("2024-03-01", datatype=XSD.date))
    set_value(sample, K, KV.daysToAnswer, Literal(72))
    assert validate(sample, shapes).conforms
    set_value(sample, K, KV.daysToAnswer, Literal(71))
    report = validate(sample, shapes)
    assert_results(report, {(K, KV.daysToAnswer, "SPARQLConstraintComponent")})


def test_gap_in_question_numbers(sample, shapes):
    """kvsh:QuestionNumberingRule, a warning."""
    # drop question 4 and its answer entirely: 1-3, 5-8 remain
    sample.remove((K, SCHEMA.hasPart, vraag(4)))
    sample.remove((vraag(4), None, None))
    sample.remove((antwoord(4), None, None))
    report = validate(sample, shapes)
    assert_warning_only(report, K, SCHEMA.hasPart, SH.SPARQLConstraintComponent)
    assert sparql_values(report, K, SCHEMA.hasPart) == {vraag(5)}


def test_questions_not_starting_at_one(sample, shapes):
    """kvsh:QuestionNumberingRule: question 1 missing; the first question (2) gets the warning."""
    sample.remove((K, SCHEMA.hasPart, vraag(1)))
    sample.remove((vraag(1), None, None))
    sample.remove((antwoord(1), None, None))
    report = validate(sample, shapes)
    assert_warning_only(report, K, SCHEMA.hasPart, SH.SPARQLConstraintComponent)
    assert sparql_values(report, K, SCHEMA.hasPart) == {vraag(2)}


def test_submitting_party_missing(sample, shapes):
    """kvsh:SubmittingPartyRule: a submitter's fractie that kv:submittingParty does not list."""
    sample.remove((K, KV.submittingParty, FRACTIE))
    report = validate(sample, shapes)
    assert_results(report, {(K, KV.submittingParty, "SPARQLConstraintComponent")})
    assert sparql_values(report, K, KV.submittingParty) == {FRACTIE}


def test_submitting_party_too_many(sample, shapes):
    """kvsh:SubmittingPartyRule: kv:submittingParty that is no submitter's fractie (here: an answerer's party)."""
    sample.add((K, KV.submittingParty, ID["partij/vvd"]))
    report = validate(sample, shapes)
    assert_results(report, {(K, KV.submittingParty, "SPARQLConstraintComponent"),
                            (K, KV.submittingParty, "ClassConstraintComponent")})
    assert sparql_values(report, K, KV.submittingParty) == {ID["partij/vvd"]}


def test_submitting_party_both_ways(sample, shapes):
    """kvsh:SubmittingPartyRule: one missing and one too many are both caught."""
    other = ID["fractie/vvd"]
    set_value(sample, K, KV.submittingParty, other)
    sample.add((other, RDF.type, KV.Fractie))
    sample.add((other, RDF.type, ORG.Organization))
    sample.add((other, SKOS.prefLabel, Literal("VVD")))
    report = validate(sample, shapes)
    assert_results(report, {(K, KV.submittingParty, "SPARQLConstraintComponent"),
                            (other, ("^", ELIDL.participation_in_name_of), "MinCountConstraintComponent")})
    assert sparql_values(report, K, KV.submittingParty) == {FRACTIE, other}


def test_submitting_party_follows_the_role_not_the_iri(sample, shapes):
    """kvsh:SubmittingPartyRule derives from eli-dl:participation_role: a submitter whose role says
    kv:beantwoorder no longer gives a submitting party (the other submitter still gives D66)."""
    for n in (1, 2):
        set_value(sample, participation("indiener", n), ELIDL.participation_role, KV.beantwoorder)
    report = validate(sample, shapes)
    assert (K, KV.submittingParty, "SPARQLConstraintComponent", "Violation") in report.keys()
    assert sparql_values(report, K, KV.submittingParty) == {FRACTIE}


def test_answering_ministry_missing(sample, shapes):
    """kvsh:AnsweringMinistryRule: an answerer's office's ministry that kv:answeringMinistry does not list."""
    sample.remove((K, KV.answeringMinistry, MINISTRY_BZ))
    report = validate(sample, shapes)
    assert_results(report, {(K, KV.answeringMinistry, "SPARQLConstraintComponent")})
    assert sparql_values(report, K, KV.answeringMinistry) == {MINISTRY_BZ}


def test_answering_ministry_too_many(sample, shapes):
    """kvsh:AnsweringMinistryRule: kv:answeringMinistry that no answerer's office is in."""
    other = ID["ministerie/mnre1025"]
    sample.add((K, KV.answeringMinistry, other))
    report = validate(sample, shapes)
    assert_results(report, {(K, KV.answeringMinistry, "SPARQLConstraintComponent"),
                            (K, KV.answeringMinistry, "ClassConstraintComponent")})
    assert sparql_values(report, K, KV.answeringMinistry) == {other}


def test_answering_ministry_of_an_office_no_answerer_holds(sample, shapes):
    """kvsh:AnsweringMinistryRule: the office moved to another ministry, the shortcut not updated."""
    other = ID["ministerie/naam/ministerie-van-veiligheid"]
    set_value(sample, POST_JV, ORG.postIn, other)
    sample.add((other, RDF.type, KV.Ministry))
    sample.add((other, RDF.type, ORG.Organization))
    sample.add((other, SKOS.prefLabel, Literal("ministerie van Veiligheid", lang="nl")))
    report = validate(sample, shapes)
    assert_results(report, {(K, KV.answeringMinistry, "SPARQLConstraintComponent"),
                            (MINISTRY_JV, ("^", ORG.postIn), "MinCountConstraintComponent")})
    assert sparql_values(report, K, KV.answeringMinistry) == {MINISTRY_JV, other}


def test_answer_in_another_answer_document(sample, shapes):
    """kvsh:AnswerDocumentRule: an answer is part of its Kamervraag's answer document."""
    other = ID["document/ah-tk-20212022-9999"]
    set_value(sample, antwoord(1), SCHEMA.isPartOf, other)
    report = validate(sample, shapes)
    assert_results(report, {(antwoord(1), SCHEMA.isPartOf, "SPARQLConstraintComponent"),
                            (antwoord(1), SCHEMA.isPartOf, "ClassConstraintComponent")})
    assert sparql_values(report, antwoord(1), SCHEMA.isPartOf) == {other}


def test_answer_of_an_answer_document_that_the_kamervraag_does_not_name(sample, shapes):
    """kvsh:AnswerDocumentRule, with every node well typed: the Kamervraag loses its answer document."""
    sample.remove((K, KV.answerDocument, ADOC))
    report = validate(sample, shapes)
    assert_violation(report, antwoord(3), SCHEMA.isPartOf, SH.SPARQLConstraintComponent)
    assert_violation(report, ADOC, ("^", KV.answerDocument), SH.MinCountConstraintComponent)
    assert {focus for focus, path, component, _ in report.keys() if component == "SPARQLConstraintComponent"} == \
        {antwoord(n) for n in range(1, 9)}


def test_see_answer_to_itself(sample, shapes):
    """kvsh:SeeAnswerRule."""
    sample.add((antwoord(8), KV.seeAnswer, antwoord(8)))
    report = validate(sample, shapes)
    assert_results(report, {(antwoord(8), KV.seeAnswer, "SPARQLConstraintComponent")})


def test_see_answer_to_another_kamervraag(sample, shapes):
    """kvsh:SeeAnswerRule: the other answer is a well-formed schema:Answer, but of another Kamervraag."""
    other = ID["kamervraag/2022Z99999/antwoord/1"]
    sample.add((antwoord(8), KV.seeAnswer, other))
    sample.add((other, RDF.type, SCHEMA.Answer))
    report = validate(sample, shapes)
    assert_violation(report, antwoord(8), KV.seeAnswer, SH.SPARQLConstraintComponent)
    assert sparql_values(report, antwoord(8), KV.seeAnswer) == {other}
    assert {key for key in report.keys() if key[0] == antwoord(8)} == \
        {(antwoord(8), KV.seeAnswer, "SPARQLConstraintComponent", "Violation")}


def test_see_answer_to_a_question(sample, shapes):
    sample.add((antwoord(8), KV.seeAnswer, vraag(1)))
    report = validate(sample, shapes)
    assert_results(report, {(antwoord(8), KV.seeAnswer, "ClassConstraintComponent"),
                            (antwoord(8), KV.seeAnswer, "SPARQLConstraintComponent")})


# ---------------------------------------------------------------------------------- incomplete sources: warnings


def test_truncated_document_question_document_without_title_is_a_warning(sample, shapes):
    sample.remove((QDOC, DCTERMS.title, None))
    report = validate(sample, shapes)
    assert_warning_only(report, QDOC, DCTERMS.title, SH.MinCountConstraintComponent)


def test_missing_bron_vraag_is_a_warning(sample, shapes):
    sample.remove((QDOC, SCHEMA.url, QDOC_URL))
    sample.remove((INPUT, PROV.wasDerivedFrom, QDOC_URL))
    report = validate(sample, shapes)
    assert_warning_only(report, QDOC, SCHEMA.url, SH.MinCountConstraintComponent)


def test_office_with_unknown_position_is_a_warning(sample, shapes):
    sample.remove((POST_BZ, ORG.role, None))
    report = validate(sample, shapes)
    assert_warning_only(report, POST_BZ, ORG.role, SH.MinCountConstraintComponent)


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


def test_every_result_has_a_shape_message(sample, shapes, shape_messages):
    # a graph with many different mistakes at once
    sample.remove((K, DCTERMS.dateSubmitted, None))
    sample.add((vraag(1), SCHEMA.name, Literal("x")))
    set_value(sample, participation("indiener", 1), ELIDL.participation_role, KV.medeindiener)
    set_value(sample, K, KV.daysToAnswer, Literal(3))
    sample.remove((OWMS.Internationaal, SKOS.inScheme, None))
    sample.remove((K, KV.answeringMinistry, MINISTRY_BZ))
    rename(sample, ID["partij/vvd"], ID["partij/V_V_D"])
    report = validate(sample, shapes)
    assert len(report.results) >= 6
    for m in report.messages():
        assert m in shape_messages, m


# ---------------------------------------------------------------------------------- days arithmetic


def days_query(shapes: rdflib.Graph) -> str:
    body = str(shapes.value(KVSH.DaysToAnswerRule, SH.select)).replace("$this", "?this")
    prefixes = "\n".join(
        f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>"
        for d in shapes.objects(KVSH[""], SH.declare)
    )
    return prefixes + "\n" + body


def test_days_arithmetic_matches_python_in_rdflib_and_oxigraph(shapes):
    """The Julian-day-number arithmetic of kvsh:DaysToAnswerRule agrees with Python's date
    subtraction across month ends, leap years and century years, in rdflib and in Oxigraph."""
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
        prefix, local_name = value.split(":", 1)
        if prefix in ctx and isinstance(ctx[prefix], str):
            return ctx[prefix] + local_name
    return value


def is_prefix(term: str, value: object) -> bool:
    return isinstance(value, str) and value.endswith(("/", "#"))


def term_table(ctx: dict) -> dict:
    """(IRI, coercion) -> term; coercion is "@class", "@code" (an IRI named by a string term:
    a code-list value), "@id", "@vocab", a datatype IRI, "@lang:xx" or None."""
    table = {}
    for term, value in ctx.items():
        if is_prefix(term, value):
            continue
        if isinstance(value, str):
            kind = "@class" if term[0].isupper() else "@code"
            assert (expand_curie(ctx, value), kind) not in table, f"two terms for {value}"
            table[(expand_curie(ctx, value), kind)] = term
            continue
        iri = expand_curie(ctx, value["@id"])
        if "@language" in value:
            coercion = "@lang:" + value["@language"]
        elif "@type" in value:
            coercion = value["@type"] if value["@type"] in ("@id", "@vocab") else expand_curie(ctx, value["@type"])
        else:
            coercion = None
        assert (iri, coercion) not in table, f"two terms for {iri} {coercion}"
        table[(iri, coercion)] = term
    return table


def coercion_of(o) -> str | None:
    """What a term must say for `o`; None for a plain string and for an xsd:integer, a JSON number."""
    if isinstance(o, URIRef):
        return "@id"
    if o.language:
        return "@lang:" + o.language
    if o.datatype in (None, XSD.string) or is_json_number(o):
        return None
    return str(o.datatype)


def is_json_number(o) -> bool:
    """An xsd:integer in canonical form: JSON-LD reads a JSON number back as exactly that."""
    return isinstance(o, Literal) and o.datatype == XSD.integer and str(o) == str(int(o))


def property_term(table: dict, p, o) -> tuple[str | None, str | None]:
    """The term a writer uses for (p, o) and its coercion: an IRI object takes an @id or an @vocab term."""
    if isinstance(o, URIRef):
        for coercion in ("@id", "@vocab"):
            if (str(p), coercion) in table:
                return table[(str(p), coercion)], coercion
        return None, None
    coercion = coercion_of(o)
    return table.get((str(p), coercion)), coercion


def test_context_vocab_terms_name_code_lists(context, ontology):
    """@type: @vocab is kept for properties whose values are codes of the ontology's code lists,
    and every code has a term, so `"role": "indiener"` reads as kv:indiener."""
    ctx = context["@context"]
    vocab = {expand_curie(ctx, v["@id"]) for v in ctx.values() if isinstance(v, dict) and v.get("@type") == "@vocab"}
    assert vocab == {str(ELIDL.participation_role), str(ORG.role), str(ELI.work_type)}
    codes = {expand_curie(ctx, v) for t, v in ctx.items() if isinstance(v, str) and not is_prefix(t, v) and t[0].islower()}
    schemes = (KV.positions, KV.participationRoles, KV.documentKinds)
    assert codes == {str(c) for scheme in schemes for c in ontology.subjects(SKOS.inScheme, scheme)}


def test_context_has_a_term_for_everything_in_the_sample(context, sample_graph):
    """Every (property, coercion) has a term, and every class but two whose short name another
    class has taken (a writer gives them as compact IRIs: "eli-dl:Participation")."""
    ctx = context["@context"]
    table = term_table(ctx)
    missing = set()
    for _s, p, o in sample_graph:
        if p == RDF.type:
            if (str(o), "@class") not in table:
                missing.add(("class", str(o)))
        elif property_term(table, p, o)[0] is None:
            missing.add((str(p), coercion_of(o)))
    assert missing == {("class", str(ELIDL.Participation)), ("class", str(PROV.Organization))}
    for _, iri in missing:
        name = re.split("[#/]", iri)[-1]
        assert name in ctx and expand_curie(ctx, ctx[name]) != iri


def test_context_round_trips_the_sample(context, sample_graph):
    """Write the sample as compact JSON-LD the way a generic writer would (term whose IRI and
    coercion match, a code's own term under an @vocab term, else the full IRI with a value
    object) and read it back with rdflib and with Oxigraph."""
    ctx = context["@context"]
    table = term_table(ctx)
    nodes = {}
    for s, p, o in sorted(sample_graph):
        node = nodes.setdefault(str(s), {"@id": str(s)})
        if p == RDF.type:
            node.setdefault("@type", []).append(table.get((str(o), "@class"), str(o)))
            continue
        key, coercion = property_term(table, p, o)
        if key is None:
            key = str(p)
            if isinstance(o, URIRef):
                value = {"@id": str(o)}
            elif o.language:
                value = {"@value": str(o), "@language": o.language}
            else:
                value = {"@value": str(o), "@type": str(o.datatype or XSD.string)}
        elif coercion == "@vocab":
            value = table.get((str(o), "@code"), str(o))
        elif is_json_number(o):
            value = int(o)
        else:
            value = str(o)
        node.setdefault(key, []).append(value)
    doc = {"@context": ctx, "@graph": list(nodes.values())}
    text = json.dumps(doc, ensure_ascii=False)
    assert '"role": ["indiener"]' in text and '"workType": ["schriftelijke-vragen"]' in text
    assert '"daysToAnswer": [14]' in text
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
    declared = set(ontology.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI))
    for term, value in ctx.items():
        iri = expand_curie(ctx, value if isinstance(value, str) else value["@id"])
        if iri.startswith(str(KV)) and iri != str(KV):
            assert URIRef(iri) in declared, term
