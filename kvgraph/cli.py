"""The `kvgraph` command: a thin click layer over the Python API in kvgraph.pipeline.

Exit codes: 0 success, 1 bad input or shape violations, 2 usage. Problems are printed to
stderr one per line as `FILE:LINE: error|warning: what is wrong`, never as a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

import click
from pyoxigraph import Quad, Triple

from . import query as sparql
from .incremental import convert_incremental
from .model import Diagnostic
from .output import open_output
from .pipeline import Options, checked, convert, parse_inputs
from .progress import Progress
from .read import is_rdf, read_rdf
from .serializers import FORMATS
from .validate import ENGINES, Violation, validate_graph
from .validate import to_rdflib as rdflib_graph
from .vocab import DEFAULT_BASE
from .workers import default_jobs

inputs_argument = click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
base_option = click.option("--base", default=DEFAULT_BASE, show_default=True, metavar="IRI",
                           callback=lambda ctx, param, value: _checked_base(value),
                           help="Base IRI under which kvgraph mints `id/...` IRIs.")


engine_option = click.option("--engine", type=click.Choice(ENGINES), default="native", show_default=True,
                             help="SHACL engine: kvgraph's compiled one, or pyshacl (the reference, slow).")


def _checked_base(value: str) -> str:
    if not value.startswith(("http://", "https://")) or any(c in value for c in ' <>"{}|^`\\'):
        raise click.BadParameter("must be an absolute http(s) IRI, e.g. https://data.example.org/kamervragen/")
    return value if value.endswith(("/", "#")) else value + "/"


def _report(diagnostic: Diagnostic) -> None:
    click.echo(str(diagnostic), err=True)


@click.group()
@click.version_option(package_name="kvgraph")
def main() -> None:
    """Turn Dutch parliamentary written questions (Kamervragen) into a linked-data graph.

    INPUT is a document file, a folder (all *.txt below it) or - for standard input.
    """


@main.command("parse")
@inputs_argument
@click.option("-o", "--output", default="-", metavar="FILE", help="Write here instead of stdout.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def parse_command(inputs: tuple[str, ...], output: str, strict: bool) -> None:
    """Print one JSON record per document (JSON Lines)."""
    failed = False
    with open_output(output) as out:
        for result in parse_inputs(inputs):
            problems = [d for d in result.diagnostics if d.is_error or strict]
            for diagnostic in result.diagnostics:
                _report(diagnostic if not strict else Diagnostic(**{**diagnostic.__dict__, "severity": "error"}))
            failed |= bool(problems) or result.kamervraag is None
            if result.kamervraag is not None and not problems:
                out.write((json.dumps(result.kamervraag.as_record(), ensure_ascii=False) + "\n").encode())
    sys.exit(1 if failed else 0)


@main.command("convert")
@inputs_argument
@click.option("-o", "--output", default="-", metavar="FILE", help="Write here instead of stdout.")
@click.option("--out-dir", metavar="DIR",
              help="Incremental: one output per document, a manifest and the combined dump in DIR; "
                   "only new or changed documents are converted again.")
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(FORMATS)), default="turtle", show_default=True)
@base_option
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation.")
@engine_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=default_jobs(), show_default="number of cores",
              help="Worker processes; the output is the same for any number.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line on stderr.")
def convert_command(inputs: tuple[str, ...], output: str, out_dir: str | None, fmt: str, base: str,
                    no_validate: bool, engine: str, strict: bool, jobs: int, quiet: bool) -> None:
    """Convert documents to one graph, validated against the shapes by default."""
    progress = None if quiet else Progress.on(sys.stderr)
    options = Options(fmt=fmt, base=base, validate=not no_validate, engine=engine, strict=strict)
    if out_dir is not None:
        if output != "-":
            raise click.UsageError("use either -o/--output or --out-dir, not both")
        summary = convert_incremental(list(inputs), out_dir, options, jobs=jobs, on_diagnostic=_report,
                                      on_progress=progress)
    else:
        with open_output(output) as out:
            summary = convert(inputs, out, fmt=fmt, base=base, validate_graph=not no_validate, strict=strict,
                              on_diagnostic=_report, engine=engine, jobs=jobs, on_progress=progress)
    if progress:
        progress.close()
    if not quiet:
        click.echo(summary.line(), err=True)
    sys.exit(0 if summary.ok and summary.converted == summary.documents else 1)


@main.command("validate")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@base_option
def validate_command(files: tuple[str, ...], base: str) -> None:
    """Validate RDF files (.ttl .nt .nq .trig .jsonld) or documents against the bundled shapes."""
    failures = 0
    documents = [f for f in files if not is_rdf(f)]
    for path in (f for f in files if is_rdf(f)):
        violations = _validate_rdf(path)
        failures += violations is None or bool(violations)
        for violation in violations or []:
            click.echo(f"{path}: {violation}")
    if documents:
        for result in parse_inputs(documents):
            _, diagnostics = checked(result, base, validate_graph=True, strict=False)
            for diagnostic in diagnostics:
                _report(diagnostic)
            failures += any(d.is_error for d in diagnostics) or result.kamervraag is None
    click.echo(f"{len(files)} inputs checked: " + ("all conform" if not failures else f"{failures} do not conform"),
               err=True)
    sys.exit(1 if failures else 0)


def _validate_rdf(path: str) -> list[Violation] | None:
    """The violations in one RDF file; None (after saying why) when it cannot be read."""
    try:
        quads = read_rdf(path)
    except (OSError, SyntaxError, ValueError) as exc:
        click.echo(f"{path}: error: cannot read RDF: {exc}", err=True)
        return None
    triples = [Triple(q.subject, q.predicate, q.object) for q in quads]
    return [v for v in validate_graph(rdflib_graph(triples)).violations if v.severity == "Violation"]


@main.command("query")
@click.argument("query")
@inputs_argument
@click.option("--format", "fmt", type=click.Choice(sorted(sparql.FORMATTERS)), default="table", show_default=True)
@base_option
def query_command(query: str, inputs: tuple[str, ...], fmt: str, base: str) -> None:
    """Run a SPARQL SELECT (a .rq file or a query string) over documents and RDF files."""
    quads, failed = _collect(inputs, base)
    try:
        table = sparql.select(sparql.store_of(quads), sparql.query_text(query))
    except (SyntaxError, ValueError, OSError) as exc:
        click.echo(f"error: query failed: {exc}", err=True)
        sys.exit(1)
    click.echo(sparql.FORMATTERS[fmt](table), nl=False)
    sys.exit(1 if failed else 0)


def _collect(inputs: Iterable[str], base: str) -> tuple[list[Triple | Quad], bool]:
    """Triples of all inputs: RDF files as they are, documents mapped (not validated)."""
    collected: list[Triple | Quad] = []
    failed = False
    documents = []
    for path in inputs:
        if not is_rdf(path):
            documents.append(path)
            continue
        try:
            collected.extend(read_rdf(path))
        except (OSError, SyntaxError, ValueError) as exc:
            click.echo(f"{path}: error: cannot read RDF: {exc}", err=True)
            failed = True
    for result in parse_inputs(documents):
        triples, diagnostics = checked(result, base, validate_graph=False, strict=False)
        for diagnostic in diagnostics:
            _report(diagnostic)
        failed |= triples is None
        collected.extend(triples or [])
    return collected, failed
