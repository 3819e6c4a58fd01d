"""A release folder for data.overheid.nl and any linked-data host: dumps, tables, metadata, docs.

`publish()` reads the documents once. Each document that converts (and, by default,
conforms to the shapes) goes to four dumps through the ordinary serializers and Sinks, and
to three CSV tables built from the parsed model, so people who do not use RDF get the same
data. Then come the CSVW description of the tables, copies of the vocabulary files (from the
package data: an installed kvgraph has no repository around it), the ontology documentation
(pyLODE), VoID, a README and, last, DCAT with the size and SHA-256 of every other file.

The folder is a function of the input and the release date: nothing reads the clock, gzip
gets mtime 0, and metadata is written in a fixed order. Every file is written under a
temporary name and renamed into place when complete (kvgraph.output.open_output).
"""

from __future__ import annotations

import csv
import datetime
import gzip
import hashlib
import io
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize
from rdflib import Graph

from .defaults import RELEASE_DESCRIPTION, RELEASE_TITLE
from .iris import is_shared, safe_url
from .mapping import kamervraag_iri
from .model import Diagnostic, Kamervraag
from .output import open_output
from .pipeline import Outcome, Summary, checked, parse_inputs
from .read import Input
from .serializers import FORMATS, Sink
from .shacl.shapes import shapes_text
from .terms import Triple as PlainTriple
from .topics import SCHEME
from .vocab import PREFIXES, RDF_TYPE, SKOS

# The licence as data.overheid.nl's value list names CC0 (DCAT-AP-DONL `dct:license`).
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/deed.nl"
# The body the documents come from, as the OWMS organisation list names it.
TWEEDE_KAMER = "http://standaarden.overheid.nl/owms/terms/Tweede_Kamer_der_Staten-Generaal"
DUTCH = "http://publications.europa.eu/resource/authority/language/NLD"
PUBLIC = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
IANA = "http://www.iana.org/assignments/media-types/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
SPDX = "http://spdx.org/rdf/terms#"
LIST_SEPARATOR = "|"  # between the items of a list cell; no OWMS label or office name contains it

METADATA_PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "dcterms": PREFIXES["dcterms"],
    "foaf": PREFIXES["foaf"],
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "spdx": SPDX,
    "owms": PREFIXES["owms"],
    **{prefix: PREFIXES[prefix] for prefix in ("kv", "schema", "org", "skos", "prov", "rdf", "xsd")},
}
DCAT = METADATA_PREFIXES["dcat"]
VOID = METADATA_PREFIXES["void"]
DCT = METADATA_PREFIXES["dcterms"]
FOAF = METADATA_PREFIXES["foaf"]
VCARD = METADATA_PREFIXES["vcard"]
XSD = PREFIXES["xsd"]


class PublishError(Exception):
    """The release cannot be written (nothing converted, or the folder holds other files)."""


@dataclass(frozen=True)
class Metadata:
    """What the release says about itself. Defaults suit a test release; real ones set them.

    `publisher` is the IRI of whoever publishes the release (default: the base IRI) and
    `download_url` where its files will be served (default: the base IRI's folder); both
    end up in DCAT and VoID, which must use absolute IRIs.
    """

    title: str = RELEASE_TITLE
    description: str = RELEASE_DESCRIPTION
    publisher: str | None = None
    publisher_name: str | None = None
    contact_email: str | None = None
    download_url: str | None = None


@dataclass(frozen=True)
class FileSpec:
    """One file of a release: its Dutch title (DCAT), what it is (README, DCAT @en) and its types."""

    name: str
    title: str
    description: str
    media_type: str
    file_type: str | None
    gzip: bool = False


DUMPS = {  # file name -> serializer format; the order is the order of the release's file list
    "kamervragen.ttl": "turtle",
    "kamervragen.nt.gz": "nt",
    "kamervragen.nq": "nquads",
    "kamervragen.jsonld": "json-ld",
}
VOCABULARY = {"kvgraph.ttl": "kvgraph.ttl", "kvgraph.shapes.ttl": "kvgraph.shapes.ttl",
              "context.jsonld": "context.jsonld"}  # release name -> package data file

FILES: tuple[FileSpec, ...] = (
    FileSpec("kamervragen.ttl", "Kamervragen (Turtle)", "The whole graph in Turtle.", "text/turtle", "RDF_TURTLE"),
    FileSpec("kamervragen.nt.gz", "Kamervragen (N-Triples, gzip)",
             "The whole graph in N-Triples, gzip-compressed: one triple a line, for bulk loading and line tools.",
             "application/n-triples", "RDF_N_TRIPLES", gzip=True),
    FileSpec("kamervragen.nq", "Kamervragen (N-Quads, een graaf per Kamervraag)",
             "The graph in N-Quads with one named graph per Kamervraag (its IRI), each graph complete on its own, "
             "so a triple store can replace one Kamervraag at a time.", "application/n-quads", "RDF_N_QUADS"),
    FileSpec("kamervragen.jsonld", "Kamervragen (JSON-LD)",
             "The whole graph in JSON-LD, compacted with the kvgraph context (embedded).",
             "application/ld+json", "JSON_LD"),
    FileSpec("kamervragen.csv", "Kamervragen (CSV)",
             "One row per Kamervraag: number, title, dates, days to answer, topics, documents.", "text/csv", "CSV"),
    FileSpec("vragen.csv", "Vragen en antwoorden (CSV)",
             "One row per question, with its answer (empty when the document gives none).", "text/csv", "CSV"),
    FileSpec("personen.csv", "Indieners en beantwoorders (CSV)",
             "One row per participation: who submitted or answered which Kamervraag, for which party, "
             "in which offices.", "text/csv", "CSV"),
    FileSpec("csv-metadata.json", "Beschrijving van de CSV-tabellen (CSVW)",
             "W3C CSV on the Web metadata: the tables, their columns, datatypes and keys.",
             "application/csvm+json", "JSON"),
    FileSpec("kvgraph.ttl", "kvgraph-ontologie", "The kvgraph ontology (classes, properties, code lists).",
             "text/turtle", "RDF_TURTLE"),
    FileSpec("kvgraph.shapes.ttl", "SHACL-shapes", "The SHACL shapes every Kamervraag's graph conforms to.",
             "text/turtle", "RDF_TURTLE"),
    FileSpec("context.jsonld", "JSON-LD-context", "The JSON-LD context that gives every term a short name.",
             "application/ld+json", "JSON_LD"),
    FileSpec("kvgraph.html", "Documentatie van de ontologie", "The ontology's documentation, generated with pyLODE.",
             "text/html", "HTML"),
    FileSpec("void.ttl", "VoID-beschrijving", "VoID: size, IRI space, vocabularies and example resources.",
             "text/turtle", "RDF_TURTLE"),
    FileSpec("README.md", "Toelichting", "What the release is and holds, and how to check and query it.",
             "text/markdown", "TXT"),
)
DCAT_FILE = FileSpec("dcat.ttl", "DCAT-beschrijving", "DCAT (DCAT-AP-DONL): the dataset and every file above, "
                     "with size and SHA-256.", "text/turtle", "RDF_TURTLE")


@dataclass(frozen=True)
class ReleaseFile:
    """A written file as DCAT describes it: size in bytes and SHA-256 of its bytes."""

    spec: FileSpec
    size: int
    sha256: str


@dataclass
class Published:
    """What `publish()` did: the conversion summary and the files of the release."""

    summary: Summary
    files: tuple[ReleaseFile, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)


_EXAMPLE_HOST = re.compile(r"^https?://([^/?#@]*@)?([^/?#:]*\.)?example(\.(com|net|org))?\.?(:[0-9]*)?([/?#]|$)",
                           re.IGNORECASE)


def is_example_iri(iri: str) -> bool:
    """Whether `iri` is on a domain reserved for examples by RFC 2606: `example` under .com, .net
    and .org, or the .example top-level domain."""
    return _EXAMPLE_HOST.match(iri) is not None


def publish(inputs: Iterable[Input], out_dir: str | Path, base: str, date: datetime.date, *,
            metadata: Metadata | None = None, validate_graph: bool = True, strict: bool = False,
            engine: str = "native", on_diagnostic: Callable[[Diagnostic], None] | None = None,
            allow_example_base: bool = False, reference: str | None = None) -> Published:
    """Write a release of the documents named by `inputs` into `out_dir`, dated `date`.

    Like `convert`, documents with errors (or shape violations, when validating) are reported
    and left out. Raises PublishError when no document converts, when `out_dir` holds files
    that are not part of a release (so a mistyped --out never overwrites someone's README), or
    when `base` is on a reserved example domain and `allow_example_base` is not given.
    """
    if not allow_example_base and is_example_iri(base):
        raise PublishError(f"--base {base} is on a reserved example domain, where no one can publish: every IRI "
                           "of the release would be unresolvable; pass --allow-example-base for a test release")
    meta = metadata or Metadata()
    out = Path(out_dir)
    _check_folder(out)
    started = time.perf_counter()
    summary, stats = _write_data(inputs, out, base, _Checks(validate_graph, strict, engine, reference), on_diagnostic)
    _write_bytes(out / "csv-metadata.json", _csvw(meta, date))
    for name, source in VOCABULARY.items():
        # the shapes as the release's data conforms to them: IRI patterns anchored on its base
        _write_bytes(out / name, shapes_text(base) if name == "kvgraph.shapes.ttl" else _package_data(source))
    _write_bytes(out / "kvgraph.html", ontology_html())
    links = _Links(base, meta)
    _write_bytes(out / "void.ttl", _turtle(_void(stats, links, meta, date)))
    _write_bytes(out / "README.md", _readme(stats, links, meta, date).encode())
    files = tuple(_described(out, spec) for spec in FILES)
    _write_bytes(out / DCAT_FILE.name, _turtle(_dcat(files, stats, links, meta, date)))
    summary.seconds = time.perf_counter() - started
    return Published(summary, (*files, _described(out, DCAT_FILE)), stats.counts())


def release_file_names() -> tuple[str, ...]:
    """Every file a release contains, in the order of its file list."""
    return (*(spec.name for spec in FILES), DCAT_FILE.name)


def _check_folder(out: Path) -> None:
    """Refuse a folder with files a release would not write: they are not ours to overwrite or describe."""
    if out.exists() and not out.is_dir():
        raise PublishError(f"{out} exists and is not a folder")
    if out.is_dir():
        strangers = sorted(p.name for p in out.iterdir() if p.name not in release_file_names())
        if strangers:
            raise PublishError(f"{out} holds files that are not part of a release ({', '.join(strangers[:5])}); "
                               "publish into an empty folder")


# --- data: dumps and tables in one pass ---------------------------------------------------------


@dataclass(frozen=True)
class _Checks:
    validate: bool
    strict: bool
    engine: str
    reference: str | None


def _write_data(inputs: Iterable[Input], out: Path, base: str, checks: _Checks,
                on_diagnostic: Callable[[Diagnostic], None] | None) -> tuple[Summary, _Stats]:
    """Parse, map and check each document once; write it to every dump and table.

    All files stay temporary until the last document is written, so a failed run (or one
    in which nothing converts) leaves no partial release behind.
    """
    summary = Summary()
    stats = _Stats(base)
    with ExitStack() as stack:
        sinks = {name: Sink(FORMATS[fmt], _dump_stream(stack, out / name)) for name, fmt in DUMPS.items()}
        tables = {table.name: _CsvWriter(stack.enter_context(_output(out / table.name)), table) for table in TABLES}
        for result in parse_inputs(inputs):
            triples, diagnostics = checked(result, base, checks.validate, checks.strict, checks.engine, checks.reference)
            kv = result.kamervraag
            written = triples is not None and kv is not None
            summary.add(Outcome(result.path, kv.id if kv else None, tuple(diagnostics), () if written else None), on_diagnostic)
            if not written:
                continue
            graph = kamervraag_iri(kv.id, base)
            for name, sink in sinks.items():
                count = sink.write(FORMATS[DUMPS[name]].chunks(graph, triples))
                if DUMPS[name] == "nt":  # N-Triples writes each shared triple once: the graph's size
                    summary.triples += count
                    stats.triples += count
            for table in TABLES:
                tables[table.name].rows(table.rows(kv, base))
            stats.add(kv, triples)
        if summary.converted == 0:
            raise PublishError("no document converted; nothing to publish")
        for sink in sinks.values():
            sink.close()
    return summary, stats


def _dump_stream(stack: ExitStack, path: Path) -> BinaryIO:
    """A dump's output stream; `.gz` files through gzip with no name or time in the header."""
    stream = stack.enter_context(_output(path))
    if path.suffix != ".gz":
        return stream
    return stack.enter_context(gzip.GzipFile(filename=path.stem, mode="wb", fileobj=stream, mtime=0))


@contextmanager
def _output(path: Path) -> Iterator[BinaryIO]:
    """A file that appears whole or not at all (written to a temporary name, then renamed)."""
    with open_output(str(path)) as stream:
        yield stream


def _write_bytes(path: Path, data: bytes) -> None:
    with _output(path) as stream:
        stream.write(data)


# --- the CSV tables -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A CSV column: its header (also the CSVW name), CSVW datatype and meaning."""

    name: str
    datatype: str
    description: str
    required: bool = False
    separator: str | None = None


@dataclass(frozen=True)
class Table:
    """A CSV table: columns, keys and the function that turns one Kamervraag into rows."""

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[Kamervraag, str], list[list[str | int | None]]]
    references_kamervraag: bool = True


def _kamervraag_rows(kv: Kamervraag, base: str) -> list[list[str | int | None]]:
    """One row: the Kamervraag's own fields; days are computed from the dates, as in the graph."""
    questions, answers = kv.question_document, kv.answer_document
    return [[
        kv.id, kamervraag_iri(kv.id, base), kv.title, kv.submitted.isoformat(),
        kv.answered.isoformat() if kv.answered else None,
        (kv.answered - kv.submitted).days if kv.answered else None,
        len(kv.questions), sum(q.answer is not None for q in kv.questions), len(kv.notices),
        LIST_SEPARATOR.join(kv.topics) or None,
        questions.number if questions else None, _url(questions.url if questions else None),
        answers.number if answers else None, _url(answers.url if answers else None),
    ]]


def _question_rows(kv: Kamervraag, base: str) -> list[list[str | int | None]]:
    """One row per question; `see_answer` only where the graph links it (another, answered question)."""
    answered = {q.number for q in kv.questions if q.answer is not None}
    return [[kv.id, q.number, q.text, q.answer,
             q.see_answer if q.answer is not None and q.see_answer in answered and q.see_answer != q.number else None]
            for q in kv.questions]


def _person_rows(kv: Kamervraag, base: str) -> list[list[str | int | None]]:
    """One row per participation, in the document's order: submitters first, then answerers."""
    rows: list[list[str | int | None]] = []
    for role, persons in (("indiener", kv.submitters), ("beantwoorder", kv.answerers)):
        rows += [[kv.id, role, position, person.name, person.party,
                  LIST_SEPARATOR.join(office.text for office in person.roles) or None]
                 for position, person in enumerate(persons, start=1)]
    return rows


def _url(url: str | None) -> str | None:
    return safe_url(url) if url else None


TABLES: tuple[Table, ...] = (
    Table("kamervragen.csv", "One row per Kamervraag.", (
        Column("id", "string", "Zaaknummer, e.g. 2022Z04503.", required=True),
        Column("iri", "anyURI", "The Kamervraag's IRI in the graph.", required=True),
        Column("title", "string", "Title.", required=True),
        Column("submitted", "date", "Date submitted (Ingediend).", required=True),
        Column("answered", "date", "Date answered; empty while unanswered."),
        Column("days_to_answer", "integer", "Days from submission to answer; empty while unanswered."),
        Column("questions", "integer", "Number of questions.", required=True),
        Column("answered_questions", "integer", "Number of questions with an answer.", required=True),
        Column("notices", "integer", "Number of postponement notices (Mededelingen).", required=True),
        Column("topics", "string", "Topics as the document writes them (OWMS theme labels, lower case).",
               separator=LIST_SEPARATOR),
        Column("question_document", "string", "Number of the question document, kv-tk-<zaaknummer>."),
        Column("question_url", "anyURI", "Where the question document is published."),
        Column("answer_document", "string", "Number of the answer document in the Aanhangsel, ah-tk-<year>-<nr>."),
        Column("answer_url", "anyURI", "Where the answer document is published."),
    ), ("id",), _kamervraag_rows, references_kamervraag=False),
    Table("vragen.csv", "One row per question, with its answer.", (
        Column("kamervraag", "string", "Zaaknummer of the Kamervraag (kamervragen.csv id).", required=True),
        Column("number", "integer", "Question number, 1..N in the document.", required=True),
        Column("question", "string", "Question text (lines joined with a newline).", required=True),
        Column("answer", "string", "Answer text; empty when the document gives none."),
        Column("see_answer", "integer", "For a combined answer (Zie antwoord vraag n): the question n it points to."),
    ), ("kamervraag", "number"), _question_rows),
    Table("personen.csv", "One row per participation: a submitter or answerer of one Kamervraag.", (
        Column("kamervraag", "string", "Zaaknummer of the Kamervraag (kamervragen.csv id).", required=True),
        Column("role", "string", "indiener (submitter) or beantwoorder (answerer).", required=True),
        Column("position", "integer", "Place in the document's list for that role, from 1.", required=True),
        Column("name", "string", "Full name as printed.", required=True),
        Column("party", "string", "Party printed for this person in this document; empty when none."),
        Column("offices", "string", "Government offices held for this document, as written "
               "(e.g. minister justitie en veiligheid).", separator=LIST_SEPARATOR),
    ), ("kamervraag", "role", "position"), _person_rows),
)


class _CsvWriter:
    """Writes a table's header, then rows, as RFC 4180 CSV in UTF-8; None becomes an empty cell."""

    def __init__(self, out: BinaryIO, table: Table) -> None:
        self._out = out
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer, lineterminator="\r\n")
        self.rows([[column.name for column in table.columns]])

    def rows(self, rows: list[list[Any]]) -> None:
        self._csv.writerows(["" if value is None else value for value in row] for row in rows)
        self._out.write(self._buffer.getvalue().encode("utf-8"))
        self._buffer.seek(0)
        self._buffer.truncate()


def _csvw(meta: Metadata, date: datetime.date) -> bytes:
    """W3C CSVW metadata (csv-metadata.json, the name CSVW tools look for) for the three tables."""
    document = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "dc:title": {"@value": meta.title, "@language": "nl"},
        "dc:description": {"@value": meta.description, "@language": "nl"},
        "dc:license": {"@id": CC0},
        "dc:issued": {"@value": date.isoformat(), "@type": "xsd:date"},
        "dialect": {"encoding": "utf-8", "lineTerminators": ["\r\n"], "header": True, "doubleQuote": True},
        "tables": [_csvw_table(table) for table in TABLES],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def _csvw_table(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "columns": [_csvw_column(column) for column in table.columns],
        "primaryKey": list(table.primary_key) if len(table.primary_key) > 1 else table.primary_key[0],
    }
    if table.references_kamervraag:
        schema["foreignKeys"] = [{"columnReference": "kamervraag",
                                  "reference": {"resource": "kamervragen.csv", "columnReference": "id"}}]
    return {"url": table.name, "dc:description": table.description, "tableSchema": schema}


def _csvw_column(column: Column) -> dict[str, Any]:
    described: dict[str, Any] = {"name": column.name, "titles": column.name, "datatype": column.datatype,
                                 "dc:description": column.description}
    if column.required:
        described["required"] = True
    if column.separator:
        described["separator"] = column.separator
    return described


# --- statistics for VoID ------------------------------------------------------------------------


class _Stats:
    """What VoID and the README say about the graph, gathered document by document.

    A document's own nodes (under id/kamervraag/<zaaknummer>) are unique to it and only
    counted; shared ones (persons, topics, ...) are kept in sets so each counts once.
    """

    def __init__(self, base: str) -> None:
        self.base = base
        self.uri_space = base + "id/"
        self.classes: Counter[str] = Counter()
        self.shared_types: set[tuple[str, str]] = set()
        self.shared_subjects: set[str] = set()
        self.own_subjects = 0
        self.triples = 0  # distinct triples, as the N-Triples dump counts them
        self.predicates: set[str] = set()
        self.themes: set[str] = set()
        self.examples: list[str] = []
        self.kamervragen = self.questions = self.participations = 0

    def add(self, kv: Kamervraag, triples: list[PlainTriple]) -> None:
        own: set[str] = set()
        for subject, predicate, obj in triples:
            self.predicates.add(predicate)
            if is_shared(subject):
                self.shared_subjects.add(subject)
            else:
                own.add(subject)
            if predicate == RDF_TYPE:
                if is_shared(subject):
                    self.shared_types.add((subject, obj))
                else:
                    self.classes[obj] += 1
            elif predicate == SKOS.inScheme and obj == SCHEME:
                self.themes.add(subject)
        self.own_subjects += len(own)
        self.kamervragen += 1
        self.questions += len(kv.questions)
        self.participations += len(kv.submitters) + len(kv.answerers)
        if not self.examples:
            self.examples.append(kamervraag_iri(kv.id, self.base))

    def class_entities(self) -> list[tuple[str, int]]:
        counts = self.classes + Counter(cls for _, cls in self.shared_types)
        return sorted(counts.items())

    def entities(self) -> int:
        """Subjects in the dataset's IRI space (OWMS themes are described but not minted here)."""
        return self.own_subjects + sum(s.startswith(self.uri_space) for s in self.shared_subjects)

    def vocabularies(self) -> list[str]:
        """The namespaces of every predicate and class used."""
        terms = self.predicates | {cls for cls, _ in self.class_entities()}
        return sorted({_namespace(term) for term in terms})

    def counts(self) -> dict[str, int]:
        return {"kamervragen": self.kamervragen, "questions": self.questions, "participations": self.participations}


def _namespace(term: str) -> str:
    known = [ns for ns in PREFIXES.values() if term.startswith(ns)]
    if known:
        return max(known, key=len)
    return term[: max(term.rfind("#"), term.rfind("/")) + 1]


# --- VoID and DCAT ------------------------------------------------------------------------------


class _Links:
    """The IRIs a release's metadata uses: dataset, distributions, download URLs, publisher."""

    def __init__(self, base: str, meta: Metadata) -> None:
        self.base = base
        self.dataset = NamedNode(base + "dataset")
        self.downloads = meta.download_url or base[: base.rfind("/") + 1]
        if not self.downloads.endswith("/"):
            self.downloads += "/"
        self.publisher = NamedNode(meta.publisher or base)
        self.publisher_name = meta.publisher_name or urlsplit(base).hostname or base

    def download(self, name: str) -> NamedNode:
        return NamedNode(self.downloads + name)

    def distribution(self, name: str) -> NamedNode:
        return NamedNode(f"{self.dataset.value}/{name}")


def _iri(namespace: str, local: str) -> NamedNode:
    return NamedNode(namespace + local)


def _date(value: datetime.date) -> Literal:
    return Literal(value.isoformat(), datatype=_iri(XSD, "date"))


def _count(value: int, datatype: str = "integer") -> Literal:
    return Literal(str(value), datatype=_iri(XSD, datatype))


def _described_dataset(links: _Links, meta: Metadata, date: datetime.date) -> list[tuple[NamedNode, str, Any]]:
    """Title, description, licence, dates and publisher: what VoID and DCAT both say."""
    return [
        (links.dataset, DCT + "title", Literal(meta.title, language="nl")),
        (links.dataset, DCT + "description", Literal(meta.description, language="nl")),
        (links.dataset, DCT + "license", NamedNode(CC0)),
        (links.dataset, DCT + "issued", _date(date)),
        (links.dataset, DCT + "modified", _date(date)),
        (links.dataset, DCT + "publisher", links.publisher),
        (links.dataset, DCT + "creator", NamedNode(TWEEDE_KAMER)),
    ]


def _void(stats: _Stats, links: _Links, meta: Metadata, date: datetime.date) -> list[Triple]:
    """VoID: size, IRI space, vocabularies, examples, dumps and one partition per class."""
    d = links.dataset
    facts: list[tuple[NamedNode | BlankNode, str, Any]] = [(d, RDF_TYPE, _iri(VOID, "Dataset"))]
    facts += _described_dataset(links, meta, date)
    facts += [
        (d, VOID + "triples", _count(stats.triples)),
        (d, VOID + "entities", _count(stats.entities())),
        (d, VOID + "distinctSubjects", _count(stats.own_subjects + len(stats.shared_subjects))),
        (d, VOID + "properties", _count(len(stats.predicates))),
        (d, VOID + "classes", _count(len(stats.class_entities()))),
        (d, VOID + "uriSpace", Literal(stats.uri_space)),
    ]
    facts += [(d, VOID + "vocabulary", NamedNode(ns)) for ns in stats.vocabularies()]
    facts += [(d, VOID + "exampleResource", NamedNode(iri)) for iri in stats.examples]
    facts += [(d, VOID + "dataDump", links.download(name)) for name in DUMPS]
    facts += [(d, VOID + "feature", NamedNode("http://www.w3.org/ns/formats/" + feature))
              for feature in ("Turtle", "N-Triples", "N-Quads", "JSON-LD")]
    partitions = [(BlankNode(f"class{index}"), cls, entities)
                  for index, (cls, entities) in enumerate(stats.class_entities(), start=1)]
    facts += [(d, VOID + "classPartition", partition) for partition, _, _ in partitions]
    for partition, cls, entities in partitions:
        facts += [(partition, VOID + "class", NamedNode(cls)), (partition, VOID + "entities", _count(entities))]
    facts += _publisher(links)
    return _triples_of(facts)


def _dcat(files: tuple[ReleaseFile, ...], stats: _Stats, links: _Links, meta: Metadata,
          date: datetime.date) -> list[Triple]:
    """DCAT (DCAT-AP-DONL where it applies): the dataset and one distribution per file."""
    d = links.dataset
    facts: list[tuple[NamedNode | BlankNode, str, Any]] = [(d, RDF_TYPE, _iri(DCAT, "Dataset"))]
    facts += [(d, DCT + "identifier", Literal(d.value))]
    facts += _described_dataset(links, meta, date)
    facts += [
        (d, DCT + "language", NamedNode(DUTCH)),
        (d, DCT + "accessRights", NamedNode(PUBLIC)),
        (d, DCT + "conformsTo", NamedNode(PREFIXES["kv"])),
        (d, DCAT + "landingPage", links.download("README.md")),
        (d, DCAT + "contactPoint", BlankNode("contact")),
    ]
    facts += [(d, DCAT + "keyword", Literal(word, language="nl"))
              for word in ("Kamervragen", "schriftelijke vragen", "Tweede Kamer", "linked data")]
    facts += [(d, DCAT + "theme", NamedNode(theme)) for theme in sorted(stats.themes)]
    facts += [(d, DCAT + "distribution", links.distribution(f.spec.name)) for f in files]
    contact = BlankNode("contact")
    facts += [(contact, RDF_TYPE, _iri(VCARD, "Organization")),
              (contact, VCARD + "fn", Literal(links.publisher_name)),
              (contact, VCARD + "hasURL", NamedNode(links.downloads))]
    if meta.contact_email:
        facts.append((contact, VCARD + "hasEmail", NamedNode("mailto:" + meta.contact_email)))
    for index, release_file in enumerate(files, start=1):
        facts += _distribution(release_file, index, links, date)
    facts += _publisher(links)
    return _triples_of(facts)


def _distribution(release_file: ReleaseFile, index: int, links: _Links,
                  date: datetime.date) -> list[tuple[NamedNode | BlankNode, str, Any]]:
    spec = release_file.spec
    node, checksum = links.distribution(spec.name), BlankNode(f"checksum{index}")
    facts: list[tuple[NamedNode | BlankNode, str, Any]] = [
        (node, RDF_TYPE, _iri(DCAT, "Distribution")),
        (node, DCT + "title", Literal(spec.title, language="nl")),
        (node, DCT + "description", Literal(spec.description, language="en")),
        (node, DCAT + "accessURL", links.download(spec.name)),
        (node, DCAT + "downloadURL", links.download(spec.name)),
        (node, DCAT + "mediaType", NamedNode(IANA + spec.media_type)),
    ]
    if spec.file_type:
        facts.append((node, DCT + "format", NamedNode(FILE_TYPE + spec.file_type)))
    if spec.gzip:
        facts.append((node, DCAT + "compressFormat", NamedNode(IANA + "application/gzip")))
    facts += [
        (node, DCAT + "byteSize", _count(release_file.size, "nonNegativeInteger")),
        (node, SPDX + "checksum", checksum),
        (node, DCT + "license", NamedNode(CC0)),
        (node, DCT + "issued", _date(date)),
        (node, DCT + "modified", _date(date)),
        (checksum, RDF_TYPE, _iri(SPDX, "Checksum")),
        (checksum, SPDX + "algorithm", _iri(SPDX, "checksumAlgorithm_sha256")),
        (checksum, SPDX + "checksumValue", Literal(release_file.sha256, datatype=_iri(XSD, "hexBinary"))),
    ]
    return facts


def _publisher(links: _Links) -> list[tuple[NamedNode | BlankNode, str, Any]]:
    return [(links.publisher, RDF_TYPE, _iri(FOAF, "Agent")),
            (links.publisher, FOAF + "name", Literal(links.publisher_name))]


def _triples_of(facts: list[tuple[NamedNode | BlankNode, str, Any]]) -> list[Triple]:
    return [Triple(subject, NamedNode(predicate), obj) for subject, predicate, obj in facts]


def _turtle(triples: list[Triple]) -> bytes:
    """Turtle in the order given (pyoxigraph keeps it), with the metadata prefixes."""
    return serialize(triples, format=RdfFormat.TURTLE, prefixes=METADATA_PREFIXES)


def _described(out: Path, spec: FileSpec) -> ReleaseFile:
    data = (out / spec.name).read_bytes()
    return ReleaseFile(spec, len(data), hashlib.sha256(data).hexdigest())


# --- vocabulary files and documentation ---------------------------------------------------------


def _package_data(name: str) -> bytes:
    """A file bundled in kvgraph/data (the same bytes as the repository's ontology/ and shapes/)."""
    return resources.files("kvgraph").joinpath("data", name).read_bytes()


def ontology_html() -> bytes:
    """The ontology's documentation by pyLODE, from the bundled ontology, byte-stable.

    pyLODE reads only the graph it is given and its own bundled background ontologies; it
    fetches nothing. Its schema.org JSON-LD block comes out in hash order, so that block is
    rewritten in a canonical order.
    """
    ontology = Graph().parse(data=_package_data("kvgraph.ttl"), format="turtle")
    with _root_logger_kept():
        from pylode import OntPub

        html = OntPub(_for_pylode(ontology)).make_html()
    return _canonical_schema_org(html).encode("utf-8")


def _for_pylode(ontology: Graph) -> Graph:
    """The ontology as pyLODE can show it: one ontology, titled in English.

    pyLODE takes every skos:ConceptScheme for another ontology to head the page with (our code
    lists of positions and roles are schemes) and is not language-aware, so the page's title
    would be whichever title came last. Dropping those types and the non-English titles loses
    nothing from the page: OntPub shows no concept schemes.
    """
    from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

    ontologies = set(ontology.subjects(RDF.type, OWL.Ontology))
    for scheme in set(ontology.subjects(RDF.type, SKOS.ConceptScheme)) - ontologies:
        ontology.remove((scheme, RDF.type, SKOS.ConceptScheme))
    for node in ontologies:
        for title in list(ontology.objects(node, DCTERMS.title)):
            if getattr(title, "language", None) not in ("en", None):
                ontology.remove((node, DCTERMS.title, title))
    return ontology


@contextmanager
def _root_logger_kept() -> Iterator[None]:
    """Keep pyLODE from configuring the root logger, so kvgraph's stderr stays kvgraph's.

    pyLODE 3.3 calls logging.basicConfig(level=DEBUG) on import (in its supermodel loader), and
    its module-level logging.info() calls attach a stderr handler to a root logger that has none.
    Both do nothing while the root logger has a handler, so it gets a NullHandler meanwhile.
    """
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    root.addHandler(logging.NullHandler())
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


_SCHEMA_ORG = re.compile(r'(<script id="schema\.org" type="application/ld\+json">)(.*?)(</script>)', re.DOTALL)


def _canonical_schema_org(html: str) -> str:
    def canonical(match: re.Match[str]) -> str:
        data = _sorted_json(json.loads(match.group(2)))
        return f"{match.group(1)}\n{json.dumps(data, ensure_ascii=False, indent=2)}\n\t{match.group(3)}"

    return _SCHEMA_ORG.sub(canonical, html, count=1)


def _sorted_json(value: Any) -> Any:
    """Objects with sorted keys and arrays in the order of their items' canonical text."""
    if isinstance(value, dict):
        return {key: _sorted_json(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


# --- README -------------------------------------------------------------------------------------


def _readme(stats: _Stats, links: _Links, meta: Metadata, date: datetime.date) -> str:
    """The release's README: what it is, what each file holds, how to check and use it."""
    rows = "\n".join(f"| [`{spec.name}`]({spec.name}) | {spec.description} | `{spec.media_type}` |"
                     for spec in (*FILES, DCAT_FILE))
    themes = len(stats.themes)
    return f"""# {meta.title}

{meta.description}

Release of {date.isoformat()}, published by {links.publisher_name} under
[CC0 1.0](https://creativecommons.org/publicdomain/zero/1.0/) (no rights reserved).

- {stats.kamervragen} Kamervragen with {stats.questions} questions and {stats.participations} participations
  (submitters and answerers); {stats.triples} triples; {themes} OWMS themes.
- Things are named under `{stats.uri_space}`; the vocabulary is `{PREFIXES['kv']}`.

## Files

| file | what it holds | media type |
|---|---|---|
{rows}

The graph is the same in all four dumps. The CSV tables hold the same Kamervragen for people
who do not use RDF; `csv-metadata.json` describes their columns (W3C CSV on the Web). List cells
(`topics`, `offices`) separate items with `{LIST_SEPARATOR}`. An empty cell means no value.

## Checking the files

`dcat.ttl` gives every other file's size in bytes (`dcat:byteSize`) and SHA-256
(`spdx:checksumValue`). Compare with `sha256sum FILE`.

## Using the data

Load `kamervragen.nt.gz` or `kamervragen.nq` into any triple store, or query the files directly:

```
kvgraph query --named answer-times-per-ministry kamervragen.nq
kvgraph query --named overdue-per-party --as-of {date.isoformat()} kamervragen.nq
```

The ontology (`kvgraph.ttl`, documented in `kvgraph.html`) explains every class and property;
`kvgraph.shapes.ttl` states exactly what each Kamervraag's graph contains.
"""
