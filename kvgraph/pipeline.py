"""The whole flow, one document at a time: read -> parse -> map -> validate -> write.

This is kvgraph's Python API (re-exported from the package); the CLI is a thin layer over it.
Each document goes through on its own, so a bad document never stops the good ones, and
memory does not grow with the size of the corpus.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import BinaryIO

from pyoxigraph import Triple
from rdflib import Graph

from .mapping import kamervraag_iri, map_kamervraag
from .model import Diagnostic, Kamervraag, ParseResult
from .parse import parse_text
from .read import RawDocument, decode, expand_inputs, read_document
from .serializers import FORMATS, Sink
from .validate import Report, to_rdflib, validate_triples
from .vocab import DEFAULT_BASE, PREFIXES


def parse_raw(raw: RawDocument) -> ParseResult:
    """Decode and parse one document's bytes."""
    text, problem = decode(raw)
    if text is None:
        return ParseResult(None, (problem,) if problem else ())
    return parse_text(text, raw.source)


def parse_string(text: str, path: str = "<string>") -> ParseResult:
    """Parse a document given as text (handy in notebooks and tests)."""
    return parse_raw(RawDocument(path, text.encode("utf-8")))


def parse_file(path: str) -> ParseResult:
    """Parse one document file; an unreadable file gives an error diagnostic, not an exception."""
    try:
        raw = read_document(path)
    except OSError as exc:
        return ParseResult(None, (Diagnostic(path, 0, "error", "unreadable", exc.strerror or str(exc)),))
    return parse_raw(raw)


def parse_inputs(inputs: Iterable[str]) -> Iterator[ParseResult]:
    """Parse every document named by `inputs` (files, folders, `-`), in a stable order.

    A zaaknummer seen before is an error for the later document: both would mint the same IRIs.
    """
    seen: dict[str, str] = {}
    for path in expand_inputs(inputs):
        result = parse_file(path)
        kv = result.kamervraag
        if kv is not None and kv.id in seen:
            duplicate = Diagnostic(kv.source.path, 1, "error", "duplicate-kamervraag",
                                   f"Kamervraag {kv.id} was already read from {seen[kv.id]}")
            result = ParseResult(None, (*result.diagnostics, duplicate))
        elif kv is not None:
            seen[kv.id] = kv.source.path
        yield result


def build_triples(kamervraag: Kamervraag, base: str = DEFAULT_BASE) -> list[Triple]:
    """The triples of one Kamervraag (pyoxigraph terms), in a fixed order."""
    return map_kamervraag(kamervraag, base)


def build_graph(kamervragen: Iterable[Kamervraag], base: str = DEFAULT_BASE) -> Graph:
    """One rdflib Graph of many Kamervragen, for users who want to work in rdflib."""
    graph = Graph()
    for kv in kamervragen:
        graph += to_rdflib(map_kamervraag(kv, base))
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def validate(kamervraag: Kamervraag, base: str = DEFAULT_BASE) -> Report:
    """Check one Kamervraag's graph against the bundled shapes."""
    return validate_triples(map_kamervraag(kamervraag, base))


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

    def line(self) -> str:
        rate = self.documents / self.seconds if self.seconds else 0.0
        return (f"{self.documents} documents, {self.converted} converted, {self.triples} triples, "
                f"{self.warnings} warnings, {self.errors} errors, {self.seconds:.2f} s, {rate:.0f} documents/s")


def checked(result: ParseResult, base: str, validate_graph: bool, strict: bool) -> tuple[list[Triple] | None, list[Diagnostic]]:
    """Map and validate one parse result; None triples when the document must not be written."""
    diagnostics = list(result.diagnostics)
    if strict:
        diagnostics = [replace(d, severity="error") for d in diagnostics]
    kv = result.kamervraag
    if kv is None or any(d.is_error for d in diagnostics):
        return None, diagnostics
    triples = map_kamervraag(kv, base)
    if validate_graph:
        report = validate_triples(triples)
        for violation in report.violations:
            severity = "error" if violation.severity == "Violation" else "warning"
            diagnostics.append(Diagnostic(kv.source.path, 1, severity, "shape", f"graph does not conform: {violation}"))
        if not report.conforms:
            return None, diagnostics
    return triples, diagnostics


def convert(inputs: Iterable[str], out: BinaryIO, fmt: str = "turtle", base: str = DEFAULT_BASE,
            validate_graph: bool = True, strict: bool = False,
            on_diagnostic: Callable[[Diagnostic], None] | None = None) -> Summary:
    """Convert documents to one serialization on `out`, streaming; returns what happened.

    Documents with errors (or, when validating, with shape violations) are reported and left
    out; the others are written. `on_diagnostic` sees every error and warning as it happens.
    """
    summary = Summary()
    started = time.perf_counter()
    chosen = FORMATS[fmt]
    sink = Sink(chosen, out)
    for result in parse_inputs(inputs):
        summary.documents += 1
        triples, diagnostics = checked(result, base, validate_graph, strict)
        for diagnostic in diagnostics:
            summary.diagnostics.append(diagnostic)
            summary.errors += diagnostic.is_error
            summary.warnings += not diagnostic.is_error
            if on_diagnostic:
                on_diagnostic(diagnostic)
        if triples is not None and result.kamervraag is not None:
            summary.triples += sink.write(chosen.chunks(kamervraag_iri(result.kamervraag.id, base), triples))
            summary.converted += 1
    sink.close()
    summary.seconds = time.perf_counter() - started
    return summary
