"""kvgraph's Python API: one function per command, with the command's option names as keywords.

    import kvgraph
    for result in kvgraph.parse("examples"): ...
    summary = kvgraph.convert(["examples"], "out.ttl", format="turtle", jobs=2)
    kvgraph.validate("out.ttl").conforms
    rows = kvgraph.query(named="answer-times-per-party", inputs="examples")

A notebook or a program gets what the command line gets, without a subprocess and without
learning the modules behind it: the same checks (a base that mints invalid IRIs, a date that is
not a date), the same documents left out and the same bytes. Each function mirrors its command:
`--no-validate` is `validate=False`, `-f` is `format=`, `--as-of` is `as_of=`. Inputs are paths
(files, folders, `-`) or open streams (text or binary), one or a list of them; results are plain
objects (parse results, summaries, a report with `.conforms`, rows as dicts), never printed text.
Errors and warnings about documents are data (`.diagnostics`, or `on_diagnostic` as they
happen), as on the command line; a wrong argument raises ValueError or TypeError.

The CLI (kvgraph.cli) is click around these functions. Modules that only some commands need
(an HTTP client for `load`, rdflib for `publish`) are imported by the function that needs them,
so importing this module costs what converting costs.
"""

from __future__ import annotations

import datetime
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from . import sparql
from .defaults import DEFAULT_BATCH_SIZE, RELEASE_DESCRIPTION, RELEASE_TITLE
from .iris import is_valid_base
from .model import Diagnostic, ParseResult
from .output import open_output
from .pipeline import Options, Summary, checked_with_report, parse_inputs, strictly
from .pipeline import convert as convert_documents
from .read import MAX_BYTES, Input, is_rdf, read_rdf, read_stream
from .serializers import FORMATS
from .shacl import ENGINES, Violation, base_of, validate_triples
from .terms import triples_from_oxigraph, triples_to_oxigraph
from .vocab import DEFAULT_BASE

if TYPE_CHECKING:
    from pyoxigraph import Quad, Triple

    from .coverage import Coverage
    from .loader import LoadSummary
    from .release import Published

PathLike = str | os.PathLike[str]
Stream = IO[bytes] | IO[str]
Inputs = PathLike | Stream | Iterable[PathLike | Stream]
OnDiagnostic = Callable[[Diagnostic], None] | None
STREAM_NAME = "<stream>"  # what a stream without a file name is reported as


# ---------------------------------------------------------------------------------------------
# Arguments, checked as the command line checks them (the CLI's callbacks call these)


def checked_base(value: str) -> str:
    """The base IRI with the `/` it needs at the end; ValueError when it would mint invalid IRIs."""
    base = value if value.endswith(("/", "#")) else value + "/"
    if not value.startswith(("http://", "https://")) or not is_valid_base(base):
        raise ValueError("must be an absolute http(s) IRI, e.g. https://w3id.org/kvgraph/")
    return base


def checked_iri(value: str | None) -> str | None:
    """An IRI that goes into release metadata as it is, so it must be absolute and need no escaping."""
    if value is not None and (not value.startswith(("http://", "https://")) or any(c in value for c in ' <>"{}|^`\\')):
        raise ValueError("must be an absolute http(s) IRI")
    return value


def iso_date(value: datetime.date | str | None) -> datetime.date | None:
    """A date, or its text YYYY-MM-DD checked strictly: it is pasted into query text and release metadata."""
    if value is None or type(value) is datetime.date:
        return value
    if isinstance(value, datetime.datetime):
        return value.date()
    try:
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(f"{value!r} is not a date YYYY-MM-DD")


def checked_reference(folder: PathLike | None) -> str | None:
    """A reference folder, read once here so a malformed one is one error (ReferenceDataError, a
    ValueError) before any work, not one per worker process."""
    if folder is None:
        return None
    from .linking import reference_for

    reference_for(os.fspath(folder))
    return os.fspath(folder)


def _choice(value: str, choices: Iterable[str], keyword: str) -> str:
    if value not in choices:
        raise ValueError(f"{keyword}={value!r}: choose one of {', '.join(sorted(choices))}")
    return value


def _inputs(inputs: Inputs, max_bytes: int = MAX_BYTES) -> list[Input]:
    """What the pipeline reads: paths as they are (folders are expanded there), streams read now.

    A stream is read once, up to one byte past `max_bytes` (the pipeline reports a larger one,
    as it does a large file); worker processes can then take it like any document."""
    return [_input(item, max_bytes) for item in _items(inputs)]


def _paths(inputs: Inputs) -> list[str]:
    """Inputs that must be files: an incremental run and a store remember them by path, size and time."""
    items = _items(inputs)
    if any(_is_stream(item) for item in items):
        raise TypeError("give paths here, not streams: what was converted or loaded is remembered by file")
    return [_input(item, MAX_BYTES) for item in items]  # type: ignore[misc]


def _items(inputs: Inputs) -> list[object]:
    """One path or stream, or many: a single string is one path, never a sequence of one-letter paths."""
    if isinstance(inputs, bytes):
        raise TypeError("a document's bytes go in as a stream: io.BytesIO(data)")
    return [inputs] if isinstance(inputs, (str, os.PathLike)) or _is_stream(inputs) else list(inputs)  # type: ignore[arg-type]


def _input(item: object, max_bytes: int) -> Input:
    if isinstance(item, (str, os.PathLike)):
        return os.fspath(item)
    if _is_stream(item):
        name = getattr(item, "name", None)
        return read_stream(item, name if isinstance(name, str) else STREAM_NAME, max_bytes)  # type: ignore[arg-type]
    raise TypeError(f"an input is a path or an open stream, not {type(item).__name__}")


def _is_stream(item: object) -> bool:
    return callable(getattr(item, "read", None))


# ---------------------------------------------------------------------------------------------
# parse


def parse(inputs: Inputs, *, strict: bool = False, max_bytes: int = MAX_BYTES) -> Iterator[ParseResult]:
    """Parse documents one at a time, as `kvgraph parse` does: one ParseResult per document, in
    the same order, so a corpus never has to fit in memory.

    A result's `kamervraag` (the model's frozen dataclasses) and `record` (the JSON record
    `kvgraph parse` prints) are None where the command prints nothing: the document has an
    error, or, with `strict`, a warning, which then reads as an error in `diagnostics`.
    """
    items = _inputs(inputs, max_bytes)  # here, so a wrong argument fails at the call, not later
    return (_usable(result, strict) for result in parse_inputs(items, max_bytes))


def _usable(result: ParseResult, strict: bool) -> ParseResult:
    diagnostics = tuple(strictly(result.diagnostics)) if strict else result.diagnostics
    if any(d.is_error for d in diagnostics):
        return ParseResult(None, diagnostics)
    return ParseResult(result.kamervraag, diagnostics)


# ---------------------------------------------------------------------------------------------
# convert


@dataclass
class Converted(Summary):
    """A conversion's summary; `data` is the serialization itself when convert() was given no output."""

    data: bytes | None = field(default=None, repr=False)


def convert(inputs: Inputs, output: PathLike | IO[bytes] | IO[str] | None = None, *, out_dir: PathLike | None = None,
            format: str = "turtle", base: str = DEFAULT_BASE, validate: bool = True, engine: str = "native",
            strict: bool = False, jobs: int = 1, max_bytes: int = MAX_BYTES, reference: PathLike | None = None,
            on_diagnostic: OnDiagnostic = None, on_progress: Callable[[int, int], None] | None = None) -> Converted:
    """Convert documents to one graph, as `kvgraph convert` does, with the same bytes for any `jobs`.

    `output` is a path (written atomically; `-` is standard output), an open binary or text
    stream, or None: then the serialization comes back as `.data`. `out_dir` is `--out-dir`, the
    incremental folder (paths only). Documents with errors, or that do not conform to the shapes
    when `validate`, are left out and reported (`.diagnostics`, `on_diagnostic`). `jobs` is 1 by
    default, not the number of cores: a program's few documents convert faster in one process
    than worker processes start.
    """
    options = Options(_choice(format, FORMATS, "format"), checked_base(base), validate, _choice(engine, ENGINES, "engine"),
                      strict, max_bytes, checked_reference(reference))
    if out_dir is not None:
        if output is not None:
            raise ValueError("give output or out_dir, not both")
        from .incremental import convert_incremental

        summary = convert_incremental(_paths(inputs), os.fspath(out_dir), options, jobs=jobs,
                                      on_diagnostic=on_diagnostic, on_progress=on_progress)
        return _converted(summary)
    items = _inputs(inputs, max_bytes)
    buffer = io.BytesIO() if output is None else None
    with _binary(output if buffer is None else buffer) as out:
        summary = convert_documents(items, out, options.fmt, options.base, validate, strict, on_diagnostic, engine=engine,
                                    jobs=jobs, on_progress=on_progress, max_bytes=max_bytes, reference=options.reference)
    return _converted(summary, buffer.getvalue() if buffer is not None else None)


def _converted(summary: Summary, data: bytes | None = None) -> Converted:
    return Converted(**{f.name: getattr(summary, f.name) for f in fields(Summary)}, data=data)


@contextmanager
def _binary(output: PathLike | IO[bytes] | IO[str]) -> Iterator[BinaryIO]:
    """A binary stream onto `output`: a path's file appears whole or not at all (kvgraph.output)."""
    if isinstance(output, (str, os.PathLike)):
        with open_output(os.fspath(output)) as out:
            yield out
    elif isinstance(output, io.TextIOBase):
        yield _TextOutput(output)  # type: ignore[misc]
    else:
        yield output  # type: ignore[misc]


class _TextOutput:
    """A text stream (sys.stdout in a notebook, io.StringIO) written with the serializers' bytes.
    Each write holds whole documents, so decoding never splits a character."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, data: bytes) -> int:
        return self._stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self._stream.flush()


# ---------------------------------------------------------------------------------------------
# validate


@dataclass(frozen=True)
class Verdict:
    """One input judged: an RDF file as one graph, a document as the graph kvgraph makes of it.

    `violations` are what the shapes found (warnings too); `diagnostics` is everything to report
    about the input, as `kvgraph validate` reports it: the violations, and a document's parse
    errors and warnings, or why an RDF file could not be read.
    """

    path: str
    rdf: bool
    conforms: bool
    violations: tuple[Violation, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class ValidationReport:
    """The verdicts of `validate()`, RDF files first, then documents (as the command checks them)."""

    verdicts: tuple[Verdict, ...]

    @property
    def conforms(self) -> bool:
        return all(v.conforms for v in self.verdicts)

    @property
    def violations(self) -> tuple[Violation, ...]:
        return tuple(violation for verdict in self.verdicts for violation in verdict.violations)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(diagnostic for verdict in self.verdicts for diagnostic in verdict.diagnostics)

    @property
    def failures(self) -> int:
        """How many inputs do not conform."""
        return sum(not v.conforms for v in self.verdicts)


def validate(inputs: Inputs, *, base: str | None = None, engine: str = "native",
             reference: PathLike | None = None) -> ValidationReport:
    """Validate RDF files (.ttl .nt .nq .trig .jsonld ...) and documents against the bundled shapes,
    as `kvgraph validate` does; streams are documents. The shapes' IRI patterns are anchored on
    `base`: documents are converted under it (default: kvgraph's), and an RDF file is checked
    against it (default: the base its Kamervragen share, so a file made with --base passes and a
    file that mixes bases does not)."""
    return ValidationReport(tuple(verdicts(inputs, base=base, engine=engine, reference=reference)))


def verdicts(inputs: Inputs, *, base: str | None = None, engine: str = "native",
             reference: PathLike | None = None) -> Iterator[Verdict]:
    """validate()'s verdicts one at a time, as they are reached (the command prints each at once)."""
    items = _inputs(inputs)
    return _verdicts(items, None if base is None else checked_base(base), _choice(engine, ENGINES, "engine"),
                     checked_reference(reference))


def _verdicts(items: list[Input], base: str | None, engine: str, reference: str | None) -> Iterator[Verdict]:
    documents = [item for item in items if not _is_rdf(item)]
    for path in (item for item in items if _is_rdf(item)):
        yield _rdf_verdict(path, engine, base)  # type: ignore[arg-type]
    for result in parse_inputs(documents):
        _, diagnostics, report = checked_with_report(result, base or DEFAULT_BASE, engine=engine, reference=reference)
        conforms = result.kamervraag is not None and not any(d.is_error for d in diagnostics)
        yield Verdict(result.path, False, conforms, report.violations, tuple(diagnostics))


def _is_rdf(item: Input) -> bool:
    return isinstance(item, str) and is_rdf(item)


def _rdf_verdict(path: str, engine: str, base: str | None) -> Verdict:
    triples, problem = _read_rdf(path, plain=True)
    if problem is not None:
        return Verdict(path, True, False, (), (problem,))
    report = validate_triples(triples, engine, base=base or base_of(triples))
    diagnostics = tuple(Diagnostic(path, 0, "error" if v.severity == "Violation" else "warning", "shape", str(v))
                        for v in report.violations)
    return Verdict(path, True, report.conforms, report.violations, diagnostics)


def _read_rdf(path: str, plain: bool = False) -> tuple[list[Any], Diagnostic | None]:
    """An RDF file's quads (with `plain`, its distinct triples as kvgraph's terms, which refuses
    the RDF 1.2 terms kvgraph does not model), or the error that says why it cannot be read."""
    try:
        quads = read_rdf(path)
        return (list(dict.fromkeys(triples_from_oxigraph(quads))) if plain else quads), None
    except (OSError, SyntaxError, ValueError) as exc:
        return [], Diagnostic(path, 0, "error", "unreadable", f"cannot read RDF: {exc}")


# ---------------------------------------------------------------------------------------------
# query


@dataclass(frozen=True)
class Rows:
    """A SELECT's result: `columns`, and its rows as dicts (None where a variable is unbound) when
    iterated. Rows stream as the engine gives them and can be read once; `diagnostics` are the
    inputs' errors and warnings (an input with errors is left out of the graph queried)."""

    table: sparql.Table
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.table.columns

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    def __iter__(self) -> Iterator[dict[str, str | None]]:
        columns = self.table.columns
        return (dict(zip(columns, row, strict=False)) for row in self.table.rows)


def query(query: str | None = None, inputs: Inputs = (), *, named: str | None = None,
          as_of: datetime.date | str | None = None, store: PathLike | None = None, endpoint: str | None = None,
          base: str = DEFAULT_BASE, reference: PathLike | None = None, on_diagnostic: OnDiagnostic = None) -> Rows:
    """Run a SPARQL SELECT (a .rq file or the query itself), or the bundled query `named`, over
    documents and RDF files, a store `kvgraph load` made, or an endpoint, as `kvgraph query` does.

    `as_of` is the date the overdue queries count to (default today). Raises SyntaxError for a
    bad query, OSError for an unreadable .rq file, and kvgraph.loader.LoadError when the store or
    the endpoint fails.
    """
    if (query is None) == (named is None):
        raise ValueError("give a query or named=NAME, not both or neither")
    if named is not None:
        _choice(named, sparql.named_query_names(), "named")
    items = _inputs(inputs)
    if sum(map(bool, (items, store, endpoint))) != 1:
        raise ValueError("give inputs, store or endpoint: exactly one of them")
    day = iso_date(as_of)
    found: list[Diagnostic] = []
    run = _runner(items, store, endpoint, checked_base(base), checked_reference(reference),
                  lambda d: _noted(d, found, on_diagnostic))
    if named is not None:
        return Rows(sparql.run_named(named, run, day), tuple(found))
    text = sparql.query_text(query or "")
    return Rows(run(text if day is None else sparql.with_as_of(text, day)), tuple(found))


def _noted(diagnostic: Diagnostic, found: list[Diagnostic], on_diagnostic: OnDiagnostic) -> None:
    found.append(diagnostic)
    if on_diagnostic:
        on_diagnostic(diagnostic)


def _runner(items: list[Input], store: PathLike | None, endpoint: str | None, base: str, reference: str | None,
            on_diagnostic: Callable[[Diagnostic], None]) -> Callable[[str], sparql.Table]:
    """What runs SPARQL on the inputs (in memory), on the store `kvgraph load --store` made (its data
    in the default graph) or on an endpoint. kvgraph.loader (an HTTP client, the store's record) is
    imported here, not by every query of files."""
    if not (store or endpoint):
        memory = sparql.store_of(_collected(items, base, reference, on_diagnostic))
        return lambda text: sparql.select(memory, text)
    from .loader import open_store_read_only, select_remote

    if endpoint:
        return lambda text: select_remote(endpoint, text)
    opened = open_store_read_only(os.fspath(store or ""))
    return lambda text: sparql.select(opened, text, union=False)


def _collected(items: list[Input], base: str, reference: str | None,
               on_diagnostic: Callable[[Diagnostic], None]) -> list[Triple | Quad]:
    """Triples of all inputs: RDF files as they are, documents mapped (not validated); an input
    that cannot be read or converted is reported and left out."""
    collected: list[Triple | Quad] = []
    for path in (item for item in items if _is_rdf(item)):
        quads, problem = _read_rdf(path)  # type: ignore[arg-type]
        collected.extend(quads)
        if problem is not None:
            on_diagnostic(problem)
    for result in parse_inputs(item for item in items if not _is_rdf(item)):
        triples, diagnostics, _ = checked_with_report(result, base, validate_graph=False, reference=reference)
        for diagnostic in diagnostics:
            on_diagnostic(diagnostic)
        collected.extend(triples_to_oxigraph(triples or []))
    return collected


# ---------------------------------------------------------------------------------------------
# load


def load(inputs: Inputs = (), *, store: PathLike | None = None, endpoint: str | None = None, base: str = DEFAULT_BASE,
         validate: bool = True, engine: str = "native", strict: bool = False, batch_size: int = DEFAULT_BATCH_SIZE,
         jobs: int = 1, delete: str | Iterable[str] = (), prune: bool = False, max_bytes: int = MAX_BYTES,
         reference: PathLike | None = None, on_diagnostic: OnDiagnostic = None) -> LoadSummary:
    """Load documents into an embedded store (`store`, a folder) or a Graph Store endpoint, each
    Kamervraag replacing what it had there, as `kvgraph load` does; returns the load's summary.

    `delete` (zaaknummers) are removed first; `prune` (store only) removes the Kamervragen whose
    documents are not among the inputs. Raises kvgraph.loader.LoadError or kvgraph.store.StoreError
    when the target fails; the error's `summary` (when set) says what was done before.
    """
    from .loader import EndpointTarget
    from .loader import load as load_documents
    from .store import StoreTarget

    if (store is None) == (endpoint is None):
        raise ValueError("give store or endpoint: exactly one of them")
    if prune and endpoint:
        raise ValueError("prune needs a store")
    paths, deletes = _paths(inputs), (delete,) if isinstance(delete, str) else tuple(delete)
    base, engine, folder = checked_base(base), _choice(engine, ENGINES, "engine"), checked_reference(reference)
    target = StoreTarget(os.fspath(store)) if store else EndpointTarget(endpoint or "", batch_size)
    return load_documents(paths, target, base, validate_graph=validate, strict=strict, engine=engine, batch_size=batch_size,
                          delete=deletes, prune=prune, max_bytes=max_bytes, on_diagnostic=on_diagnostic, jobs=jobs,
                          reference=folder)


# ---------------------------------------------------------------------------------------------
# publish


def publish(inputs: Inputs, out: PathLike, *, base: str = DEFAULT_BASE, date: datetime.date | str | None = None,
            title: str = RELEASE_TITLE, description: str = RELEASE_DESCRIPTION, publisher: str | None = None,
            publisher_name: str | None = None, contact_email: str | None = None, download_url: str | None = None,
            validate: bool = True, engine: str = "native", strict: bool = False, reference: PathLike | None = None,
            allow_example_base: bool = False, on_diagnostic: OnDiagnostic = None) -> Published:
    """Write a release folder `out` (dumps, CSV tables, VoID, DCAT, vocabulary and documentation),
    as `kvgraph publish` does; the same inputs and `date` (default today) give the same bytes.

    Raises kvgraph.release.PublishError when nothing converts, `out` holds other files, or `base`
    is on a domain reserved for examples without `allow_example_base`.
    """
    from .release import Metadata
    from .release import publish as write_release

    metadata = Metadata(title, description, checked_iri(publisher), publisher_name, contact_email, checked_iri(download_url))
    return write_release(_inputs(inputs), os.fspath(out), checked_base(base), iso_date(date) or datetime.date.today(),
                         metadata=metadata, validate_graph=validate, strict=strict, engine=_choice(engine, ENGINES, "engine"),
                         on_diagnostic=on_diagnostic, allow_example_base=allow_example_base,
                         reference=checked_reference(reference))


# ---------------------------------------------------------------------------------------------
# reconcile


def reconcile(inputs: Inputs, *, reference: PathLike | None = None, max_bytes: int = MAX_BYTES,
              on_diagnostic: OnDiagnostic = None) -> Coverage:
    """How every printed person of the documents links to the reference, as `kvgraph reconcile`
    shows it: `.rows` as dicts (ambiguous first), and the counts of documents, errors and
    mentions per status. Documents that do not parse are reported and counted as errors."""
    from .coverage import coverage

    return coverage(_inputs(inputs, max_bytes), checked_reference(reference), max_bytes, on_diagnostic)
