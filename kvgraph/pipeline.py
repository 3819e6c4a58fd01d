"""The whole flow, one document at a time: read -> parse -> map -> validate -> write.

The steps kvgraph's Python API (kvgraph.api, the package's `kvgraph.convert()` and the rest)
is built from. Each document goes through on its own, so a bad document never stops the good
ones, and memory does not grow with the size of the corpus.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, BinaryIO

from pyoxigraph import Triple as OxTriple

from .linking import link, reference_for
from .mapping import kamervraag_iri, map_kamervraag
from .model import Diagnostic, Kamervraag, ParseResult
from .parser import parse_text
from .read import MAX_BYTES, STDIN, Input, RawDocument, TooLarge, decode, expand_inputs, input_name, read_document
from .serializers import FORMATS, Chunk, Sink
from .serializers.chunk import merged
from .shacl import Report, native_engine, to_rdflib, validate_documents, validate_triples
from .terms import Triple, triples_to_oxigraph
from .vocab import DEFAULT_BASE, PREFIXES
from .workers import ordered_map

if TYPE_CHECKING:
    from rdflib import Graph


def parse_raw(raw: RawDocument) -> ParseResult:
    """Decode and parse one document's bytes."""
    text, problem = decode(raw)
    if text is None:
        return ParseResult(None, (problem,) if problem else ())
    return parse_text(text, raw.source)


def parse_string(text: str, path: str = "<string>") -> ParseResult:
    """Parse a document given as text (handy in notebooks and tests)."""
    return parse_raw(RawDocument(path, text.encode("utf-8")))


def parse_file(path: Input, max_bytes: int = MAX_BYTES) -> ParseResult:
    """Parse one document file (or a document read from a stream); an unreadable or oversized
    file gives an error diagnostic, not an exception."""
    try:
        raw = read_document(path, max_bytes)
    except OSError as exc:
        return ParseResult(None, (Diagnostic(input_name(path), 0, "error", "unreadable", exc.strerror or str(exc)),))
    except TooLarge as exc:
        return ParseResult(None, (Diagnostic(input_name(path), 1, "error", "too-large", str(exc)),))
    return parse_raw(raw)


def parse_inputs(inputs: Iterable[Input], max_bytes: int = MAX_BYTES) -> Iterator[ParseResult]:
    """Parse every document named by `inputs` (files, folders, `-`, documents read), in a stable order.

    A zaaknummer seen before is an error for the later document: both would mint the same IRIs.
    """
    seen: dict[str, str] = {}
    for path in expand_inputs(inputs):
        result = parse_file(path, max_bytes)
        kv = result.kamervraag
        if kv is not None and kv.id in seen:
            result = ParseResult(None, (*result.diagnostics, duplicate(kv.source.path, kv.id, seen[kv.id])))
        elif kv is not None:
            seen[kv.id] = kv.source.path
        yield result


def duplicate(path: str, zaaknummer: str, first: str) -> Diagnostic:
    """The error for a second input with a zaaknummer already read: both would mint the same IRIs."""
    return Diagnostic(path, 1, "error", "duplicate-kamervraag", f"Kamervraag {zaaknummer} was already read from {first}")


def build_triples(kamervraag: Kamervraag, base: str = DEFAULT_BASE) -> list[OxTriple]:
    """The triples of one Kamervraag as pyoxigraph Triples, in a fixed order."""
    return triples_to_oxigraph(map_kamervraag(kamervraag, base))


def build_graph(kamervragen: Iterable[Kamervraag], base: str = DEFAULT_BASE) -> Graph:
    """One rdflib Graph of many Kamervragen, for users who want to work in rdflib."""
    from rdflib import Graph  # imported when needed: see validate.py

    graph = Graph()
    for kv in kamervragen:
        graph += to_rdflib(map_kamervraag(kv, base))
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def validate(kamervraag: Kamervraag, base: str = DEFAULT_BASE) -> Report:
    """Check one Kamervraag's graph against the bundled shapes."""
    return validate_triples(map_kamervraag(kamervraag, base), mapped=True, base=base)


@dataclass
class Summary:
    """What a conversion did, for the closing line and for callers of the API."""

    documents: int = 0
    converted: int = 0
    triples: int = 0
    warnings: int = 0
    errors: int = 0
    seconds: float = 0.0
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def add(self, outcome: Outcome, on_diagnostic: Callable[[Diagnostic], None] | None = None) -> None:
        """Count one document's outcome and pass its diagnostics on."""
        self.documents += 1
        self.converted += outcome.chunks is not None
        for diagnostic in outcome.diagnostics:
            self.diagnostics.append(diagnostic)
            self.errors += diagnostic.is_error
            self.warnings += not diagnostic.is_error
            if on_diagnostic:
                on_diagnostic(diagnostic)

    def line(self) -> str:
        rate = self.documents / self.seconds if self.seconds else 0.0
        return (f"{self.documents} documents, {self.converted} converted, {self.triples} triples, "
                f"{self.warnings} warnings, {self.errors} errors, {self.seconds:.2f} s, {rate:.0f} documents/s")


@dataclass(frozen=True)
class Options:
    """How documents are converted; the same for every document of a run."""

    fmt: str = "turtle"
    base: str = DEFAULT_BASE
    validate: bool = True
    engine: str = "native"
    strict: bool = False
    max_bytes: int = MAX_BYTES
    reference: str | None = None  # a reference folder (`--reference DIR`); None: the bundled one


@dataclass(frozen=True)
class Outcome:
    """One document after the whole flow: what to write (None: nothing) and what to report.

    Plain picklable data, so worker processes can hand it back to the writing process.
    """

    path: str
    id: str | None
    diagnostics: tuple[Diagnostic, ...]
    chunks: tuple[Chunk, ...] | None


def checked(result: ParseResult, base: str, validate_graph: bool, strict: bool,
            engine: str = "native", reference: str | None = None) -> tuple[list[Triple] | None, list[Diagnostic]]:
    """Link, map and validate one parse result; None triples when the document must not be written."""
    triples, diagnostics, _ = checked_with_report(result, base, validate_graph, strict, engine, reference)
    return triples, diagnostics


def checked_with_report(result: ParseResult, base: str, validate_graph: bool = True, strict: bool = False,
                        engine: str = "native", reference: str | None = None
                        ) -> tuple[list[Triple] | None, list[Diagnostic], Report]:
    """`checked`, and the validation report the verdict came from (empty when nothing was validated)."""
    triples, diagnostics = _mapped(result, base, strict, reference)
    if triples is None or not validate_graph:
        return triples, diagnostics, Report(())
    report = validate_triples(triples, engine, mapped=True, base=base)
    return (*_judged(result, triples, diagnostics, report), report)


def strictly(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics as `--strict` reports them: every warning an error."""
    return [replace(d, severity="error") for d in diagnostics]


def _mapped(result: ParseResult, base: str, strict: bool,
            reference: str | None = None) -> tuple[list[Triple] | None, list[Diagnostic]]:
    """The document's triples, its persons, parties and ministries linked to the reference,
    unless it has errors (every warning is one under --strict)."""
    diagnostics = list(result.diagnostics)
    links = None
    if result.kamervraag is not None:
        links, warnings = link(result.kamervraag, reference_for(reference))
        diagnostics += warnings
    if strict:
        diagnostics = strictly(diagnostics)
    if result.kamervraag is None or any(d.is_error for d in diagnostics):
        return None, diagnostics
    return map_kamervraag(result.kamervraag, base, links), diagnostics


def _judged(result: ParseResult, triples: list[Triple], diagnostics: list[Diagnostic],
            report: Report) -> tuple[list[Triple] | None, list[Diagnostic]]:
    """Add a validation report to the diagnostics; a document that does not conform is not written."""
    path = result.kamervraag.source.path if result.kamervraag else ""
    for violation in report.violations:
        severity = "error" if violation.severity == "Violation" else "warning"
        diagnostics.append(Diagnostic(path, 1, severity, "shape", f"graph does not conform: {violation}"))
    return (triples if report.conforms else None), diagnostics


def process(paths: list[Input], options: Options) -> list[Outcome]:
    """Read, parse, map, validate and encode a batch of documents (runs in worker processes).

    Validation runs once for the whole batch, which is what makes the native engine fast.
    """
    results = [parse_file(path, options.max_bytes) for path in paths]
    mapped = [_mapped(result, options.base, options.strict, options.reference) for result in results]
    if options.validate:
        valid = [i for i, (triples, _) in enumerate(mapped) if triples is not None]
        reports = validate_documents([mapped[i][0] for i in valid], options.engine, mapped=True, base=options.base)
        for i, report in zip(valid, reports, strict=True):
            mapped[i] = _judged(results[i], mapped[i][0], mapped[i][1], report)
    chosen = FORMATS[options.fmt]
    outcomes = []
    for path, result, (triples, diagnostics) in zip(paths, results, mapped, strict=True):
        kv = result.kamervraag
        chunks = None
        if triples is not None and kv is not None:
            chunks = merged(chosen.chunks(kamervraag_iri(kv.id, options.base), triples), chosen.separator)
        outcomes.append(Outcome(input_name(path), kv.id if kv else None, tuple(diagnostics), chunks))
    return outcomes


def outcomes(paths: list[Input], options: Options, jobs: int = 1, batch_size: int = 50,
             check_duplicates: bool = True) -> Iterator[Outcome]:
    """Every document's outcome in input order, from `jobs` worker processes.

    The order (and so the output bytes) does not depend on `jobs`. A zaaknummer seen before
    is an error for the later document: both would mint the same IRIs.
    """
    if STDIN in paths:
        jobs = 1  # workers cannot read this process's standard input
    batches = [paths[i:i + batch_size] for i in range(0, len(paths), batch_size)]
    seen: dict[str, str] = {}
    engine = partial(native_engine, options.base) if options.validate and options.engine == "native" else None
    for batch in ordered_map(partial(process, options=options), batches, jobs, shared=engine):
        for outcome in batch:
            if check_duplicates and outcome.id is not None and outcome.id in seen:
                again = duplicate(outcome.path, outcome.id, seen[outcome.id])
                outcome = Outcome(outcome.path, outcome.id, (*outcome.diagnostics, again), None)
            elif check_duplicates and outcome.id is not None and outcome.chunks is not None:
                seen[outcome.id] = outcome.path
            yield outcome


def convert(inputs: Iterable[Input], out: BinaryIO, fmt: str = "turtle", base: str = DEFAULT_BASE,
            validate_graph: bool = True, strict: bool = False,
            on_diagnostic: Callable[[Diagnostic], None] | None = None, *, engine: str = "native",
            jobs: int = 1, on_progress: Callable[[int, int], None] | None = None,
            max_bytes: int = MAX_BYTES, reference: str | None = None) -> Summary:
    """Convert documents to one serialization on `out`, streaming; returns what happened.

    Documents with errors (or, when validating, with shape violations) are reported and left
    out; the others are written, in input order, whatever the number of `jobs`.
    `on_diagnostic` sees every error and warning as it happens; `on_progress(done, total)`
    is called after each document.
    """
    summary = Summary()
    started = time.perf_counter()
    options = Options(fmt, base, validate_graph, engine, strict, max_bytes, reference)
    paths = list(expand_inputs(inputs))
    sink = Sink(FORMATS[fmt], out)
    for outcome in outcomes(paths, options, jobs):
        summary.add(outcome, on_diagnostic)
        if outcome.chunks is not None:
            summary.triples += sink.write(list(outcome.chunks))
        if on_progress:
            on_progress(summary.documents, len(paths))
    sink.close()
    summary.seconds = time.perf_counter() - started
    return summary
