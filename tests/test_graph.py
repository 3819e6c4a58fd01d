"""The graph kvgraph writes: every example converts and conforms, every format reads back
(rdflib and pyoxigraph) to the same graph, output is byte-stable, IRIs are stable."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import EXAMPLES, SAMPLE, example_documents
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kvgraph import pipeline
from kvgraph.mapping import map_kamervraag
from kvgraph.shacl import to_rdflib, validate_triples
from kvgraph.terms import triples_from_oxigraph

FORMATS = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld", "nquads": "nquads", "trig": "trig"}
OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD,
              "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}


def _convert(inputs: list[str], fmt: str, **options) -> bytes:
    out = io.BytesIO()
    summary = pipeline.convert(inputs, out, fmt=fmt, **options)
    assert summary.ok, [str(d) for d in summary.diagnostics]
    return out.getvalue()


@pytest.fixture(scope="module")
def reference() -> Graph:
    """The examples' graph built directly from the model, without any serializer."""
    graph = Graph()
    for result in pipeline.parse_inputs([str(EXAMPLES)]):
        assert result.kamervraag is not None, [str(d) for d in result.diagnostics]
        graph += to_rdflib(map_kamervraag(result.kamervraag))
    return graph


@pytest.mark.parametrize("engine", ["native", "pyshacl"])
@pytest.mark.parametrize("document", example_documents(), ids=lambda p: p.name)
def test_every_example_conforms_to_the_shapes(document: Path, engine: str) -> None:
    result = pipeline.parse_file(str(document))
    assert result.kamervraag is not None
    report = validate_triples(map_kamervraag(result.kamervraag), engine)
    assert report.conforms, [str(v) for v in report.violations]
    assert not [v for v in report.violations if v.severity != "Info"], "examples should not even warn"


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_graph_formats_read_back_isomorphic_with_rdflib(reference: Graph, fmt: str) -> None:
    data = _convert([str(EXAMPLES)], fmt, validate_graph=False)
    parsed = Graph().parse(data=data, format=FORMATS[fmt])
    assert len(parsed) == len(reference)
    assert isomorphic(parsed, reference)


@pytest.mark.parametrize("fmt", sorted(OX_FORMATS))
def test_every_format_reads_back_with_pyoxigraph(reference: Graph, fmt: str) -> None:
    data = _convert([str(EXAMPLES)], fmt, validate_graph=False)
    quads = list(ox.parse(data, format=OX_FORMATS[fmt]))
    assert isomorphic(to_rdflib(triples_from_oxigraph(quads)), reference)


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_dataset_formats_have_one_graph_per_kamervraag(fmt: str) -> None:
    data = _convert([str(EXAMPLES)], fmt, validate_graph=False)
    dataset = Dataset()
    dataset.parse(data=data, format=FORMATS[fmt])
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    expected = {f"https://w3id.org/kvgraph/id/kamervraag/{p.stem}" for p in example_documents()}
    assert names == expected


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_two_runs_give_identical_bytes(cli, fmt: str) -> None:
    first = cli("convert", "examples", "-f", fmt, "--no-validate")
    second = cli("convert", "examples", "-f", fmt, "--no-validate")
    assert first.code == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout) > 1000


def test_same_person_is_one_iri_across_documents(tmp_path: Path) -> None:
    other = SAMPLE.read_text("utf-8").replace("2022Z04503", "2022Z09999").replace("ah-tk-20212022-2218", "ah-tk-20212022-3000")
    (tmp_path / "a.txt").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "b.txt").write_text(other, "utf-8")
    graph = Graph().parse(data=_convert([str(tmp_path)], "turtle"), format="turtle")
    rows = list(graph.query("""
        PREFIX kv: <https://w3id.org/kvgraph/def/>
        PREFIX eli-dl: <http://data.europa.eu/eli/eli-draft-legislation-ontology#>
        SELECT DISTINCT ?person (COUNT(DISTINCT ?case) AS ?cases) WHERE {
          ?case kv:participation/eli-dl:had_participant_person ?person } GROUP BY ?person"""))
    persons = {str(r[0]): int(r[1]) for r in rows}
    assert persons["https://w3id.org/kvgraph/id/persoon/9ab41898-332f-4c08-a834-d58b4669c990"] == 2
    assert len(persons) == 4 and set(persons.values()) == {2}


def test_base_option_moves_the_data_not_the_vocabulary(cli) -> None:
    run = cli("convert", str(SAMPLE), "-f", "nt", "--base", "https://open.example.nl/kv")
    assert run.code == 0, run.stderr
    assert b"<https://open.example.nl/kv/id/kamervraag/2022Z04503> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " \
           b"<https://w3id.org/kvgraph/def/Kamervraag>" in run.stdout
    assert b"w3id.org/kvgraph/id/" not in run.stdout


def test_jsonld_output_embeds_the_published_context() -> None:
    data = json.loads(_convert([str(SAMPLE)], "json-ld"))
    published = json.loads((EXAMPLES.parent / "ontology" / "context.jsonld").read_text("utf-8"))
    assert data["@context"] == published["@context"]
    case = next(n for n in data["@graph"] if n["@id"].endswith("/kamervraag/2022Z04503"))
    assert case["@type"] == "Kamervraag"


def test_jsonld_writes_numbers_as_numbers_and_codes_as_terms() -> None:
    """Integers are JSON numbers and code-list values their terms, and the JSON-LD still reads
    back as the same graph as the N-Triples."""
    text = _convert([str(SAMPLE)], "json-ld")
    nodes = {n["@id"].rsplit("/id/", 1)[-1]: n for n in json.loads(text)["@graph"]}
    assert nodes["kamervraag/2022Z04503"]["daysToAnswer"] == 14
    assert nodes["kamervraag/2022Z04503/vraag/3"]["position"] == 3
    assert nodes["document/ah-tk-20212022-2218"]["aanhangselNummer"] == 2218
    assert nodes["document/ah-tk-20212022-2218"]["workType"] == "antwoord-schriftelijke-vragen"
    assert nodes["kamervraag/2022Z04503/indiener/1"]["role"] == "indiener"
    assert nodes["ambt/minister-justitie-en-veiligheid"]["positionType"] == "minister"
    assert isomorphic(Graph().parse(data=text, format="json-ld"), Graph().parse(data=_convert([str(SAMPLE)], "nt"), format="nt"))


def test_the_same_file_gives_the_same_bytes_from_any_folder_and_from_stdin(cli, tmp_path: Path) -> None:
    """The provenance names the input by its SHA-256, never by where it lay."""
    copy = tmp_path / "elsewhere" / "renamed.txt"
    copy.parent.mkdir()
    copy.write_bytes(SAMPLE.read_bytes())
    runs = [cli("convert", str(SAMPLE), "-f", "nt"), cli("convert", "renamed.txt", "-f", "nt", cwd=copy.parent),
            cli("convert", "-", "-f", "nt", stdin=SAMPLE.read_bytes())]
    assert all(run.code == 0 for run in runs), [run.stderr for run in runs]
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert str(EXAMPLES).encode() not in runs[0].stdout and b"renamed" not in runs[1].stdout


def test_the_provenance_names_openkamer_the_publications_and_kvgraph(reference: Graph) -> None:
    from kvgraph.defaults import VERSION

    rows = set(reference.query("""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        PREFIX schema: <https://schema.org/>
        PREFIX kv: <https://w3id.org/kvgraph/def/>
        SELECT ?publication ?who ?software ?version WHERE {
          ?case a kv:Kamervraag ; kv:questionDocument/schema:url ?publication ;
                prov:wasDerivedFrom ?input ; prov:wasGeneratedBy ?activity .
          ?input prov:wasDerivedFrom ?publication ; prov:wasAttributedTo/foaf:name ?who .
          ?activity a prov:Activity ; prov:wasAssociatedWith ?agent .
          ?agent a prov:SoftwareAgent ; foaf:name ?software ; schema:softwareVersion ?version .
          FILTER (STRENDS(STR(?case), "2022Z04503")) }"""))
    assert [tuple(map(str, row)) for row in rows] == [
        ("https://zoek.officielebekendmakingen.nl/kv-tk-2022Z04503.html", "openkamer", "kvgraph", VERSION)]


def test_documents_are_eli_works_and_parties_and_ministries_organisations(reference: Graph) -> None:
    """ELI, ELI-DL and W3C ORG queries find the sample's data without inference."""
    sample = Graph().parse(data=_convert([str(SAMPLE)], "nt"), format="nt")
    prefixes = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX org: <http://www.w3.org/ns/org#> "
                "PREFIX eli-dl: <http://data.europa.eu/eli/eli-draft-legislation-ontology#> ")
    assert int(next(iter(sample.query(prefixes + "SELECT (COUNT(*) AS ?n) { ?w a eli:Work }")))[0]) == 2
    organisations = {str(o).split("/id/")[1] for (o,) in sample.query(prefixes + "SELECT ?o { ?o a org:Organization }")}
    assert {"fractie/d66", "partij/vvd", "ministerie/mnre1058"} <= organisations
    participations = set(sample.query(prefixes + "SELECT ?p ?who WHERE { ?p a eli-dl:Participation ; "
                                      "eli-dl:participation_role ?r ; eli-dl:had_participant_person ?who }"))
    assert len(participations) == 4


def test_texts_are_dutch_literals_and_dates_typed(reference: Graph) -> None:
    rows = reference.query("""
        PREFIX schema: <https://schema.org/>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?text ?date WHERE { { ?q schema:text ?text } UNION { ?c dcterms:dateSubmitted ?date } }""")
    texts = [r[0] for r in rows if r[0] is not None]
    dates = [r[1] for r in rows if r[1] is not None]
    assert texts and all(t.language == "nl" for t in texts)
    assert dates and all(str(d.datatype) == "http://www.w3.org/2001/XMLSchema#date" for d in dates)


def test_bundled_vocabulary_files_are_the_published_ones() -> None:
    data = EXAMPLES.parent / "kvgraph" / "data"
    for published in ("ontology/kvgraph.ttl", "ontology/context.jsonld", "shapes/kvgraph.shapes.ttl"):
        source = EXAMPLES.parent / published
        assert (data / source.name).read_bytes() == source.read_bytes(), f"run `make data` after editing {published}"
