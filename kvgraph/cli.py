"""The `kvgraph` command: a thin click layer over the Python API in kvgraph.pipeline.

Exit codes: 0 success, 1 bad input or shape violations, 2 usage. Problems are printed to
stderr one per line as `FILE:LINE: error|warning: what is wrong`, never as a traceback.
"""

from __future__ import annotations

import datetime
import json
import re
import signal
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, NoReturn

import click

from . import query as sparql
from .defaults import DEFAULT_BATCH_SIZE, RELEASE_DESCRIPTION, RELEASE_TITLE
from .iris import is_valid_base
from .model import Diagnostic, printable_path
from .output import open_output
from .pipeline import Options, checked, convert, parse_inputs
from .progress import Progress
from .query import named_query_names, with_as_of
from .read import MAX_BYTES, is_rdf, read_rdf
from .serializers import FORMATS
from .terms import triples_from_oxigraph, triples_to_oxigraph
from .validate import ENGINES, Violation, validate_triples
from .vocab import DEFAULT_BASE
from .workers import default_jobs

# The modules behind --out-dir, `load` and `publish` (an HTTP client, rdflib) are imported by
# the commands that use them: every run pays for what it imports, and `convert` needs none of them.
if TYPE_CHECKING:
    from pyoxigraph import Quad, Triple

    from .load import Target
    from .store import StoreTarget

inputs_argument = click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
base_option = click.option("--base", default=DEFAULT_BASE, show_default=True, metavar="IRI",
                           callback=lambda ctx, param, value: _checked_base(value),
                           help="Base IRI under which kvgraph mints `id/...` IRIs.")


reference_option = click.option(
    "--reference", metavar="DIR", callback=lambda ctx, param, value: _checked_reference(value),
    help="Reference data (persons, parties, ministries) to link to, instead of the bundled set; "
         "same format (docs/reference.md).")


def _checked_reference(folder: str | None) -> str | None:
    """Read the folder once here, so a malformed one is one line and exit 2 before any work."""
    if folder is not None:
        from .linking import reference_for
        from .reference import ReferenceDataError

        try:
            reference_for(folder)
        except ReferenceDataError as exc:
            raise click.BadParameter(str(exc)) from None
    return folder


engine_option = click.option("--engine", type=click.Choice(ENGINES), default="native", show_default=True,
                             help="SHACL engine: kvgraph's compiled one, or pyshacl (the reference, slow).")


def _checked_base(value: str) -> str:
    base = value if value.endswith(("/", "#")) else value + "/"
    if not value.startswith(("http://", "https://")) or not is_valid_base(base):
        raise click.BadParameter("must be an absolute http(s) IRI, e.g. https://w3id.org/kvgraph/")
    return base


def _report(diagnostic: Diagnostic) -> None:
    click.echo(str(diagnostic), err=True)


class Reporter:
    """Prints each diagnostic as it comes and, with --report, writes them all as JSON at the end."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    def __call__(self, diagnostic: Diagnostic) -> None:
        _report(diagnostic)
        self.diagnostics.append(diagnostic)

    def write(self) -> None:
        if self.path is None:
            return
        # A file name that is not UTF-8 (in the path, or quoted in the message) cannot be encoded as it is.
        items = [{k: printable_path(v) if isinstance(v, str) else v for k, v in asdict(d).items()} for d in self.diagnostics]
        document = {"errors": sum(d.is_error for d in self.diagnostics),
                    "warnings": sum(not d.is_error for d in self.diagnostics), "diagnostics": items}
        with open_output(self.path) as out:
            out.write((json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode())


report_option = click.option("--report", "report_path", metavar="FILE.json",
                             help="Also write every error and warning (file, line, severity, code, message) as JSON.")
max_bytes_option = click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_BYTES, show_default=True,
                                help="Refuse documents larger than this.")


def _exit_on_signal(signum: int, frame: object) -> None:
    """SIGINT/SIGTERM end the run like an exception: partial output files are removed on the way out."""
    click.echo(f"kvgraph: interrupted by {signal.Signals(signum).name}; no partial output was kept", err=True)
    raise SystemExit(128 + signum)


@click.group()
@click.version_option(package_name="kvgraph")
def main() -> None:
    """Turn Dutch parliamentary written questions (Kamervragen) into a linked-data graph.

    INPUT is a document file, a folder (all *.txt below it) or - for standard input.
    """
    signal.signal(signal.SIGINT, _exit_on_signal)
    signal.signal(signal.SIGTERM, _exit_on_signal)


@main.command("parse")
@inputs_argument
@click.option("-o", "--output", default="-", metavar="FILE", help="Write here instead of stdout.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@max_bytes_option
@report_option
def parse_command(inputs: tuple[str, ...], output: str, strict: bool, max_bytes: int, report_path: str | None) -> None:
    """Print one JSON record per document (JSON Lines)."""
    failed = False
    reporter = Reporter(report_path)
    with open_output(output) as out:
        for result in parse_inputs(inputs, max_bytes):
            problems = [d for d in result.diagnostics if d.is_error or strict]
            for diagnostic in result.diagnostics:
                reporter(replace(diagnostic, severity="error") if strict else diagnostic)
            failed |= bool(problems) or result.kamervraag is None
            if result.kamervraag is not None and not problems:
                out.write((json.dumps(result.kamervraag.as_record(), ensure_ascii=False) + "\n").encode())
    reporter.write()
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
@max_bytes_option
@report_option
@reference_option
def convert_command(inputs: tuple[str, ...], output: str, out_dir: str | None, fmt: str, base: str,
                    no_validate: bool, engine: str, strict: bool, jobs: int, quiet: bool, max_bytes: int,
                    report_path: str | None, reference: str | None) -> None:
    """Convert documents to one graph, validated against the shapes by default."""
    progress = None if quiet else Progress.on(sys.stderr)
    reporter = Reporter(report_path)
    options = Options(fmt=fmt, base=base, validate=not no_validate, engine=engine, strict=strict, max_bytes=max_bytes,
                      reference=reference)
    if out_dir is not None:
        if output != "-":
            raise click.UsageError("use either -o/--output or --out-dir, not both")
        from .incremental import convert_incremental

        summary = convert_incremental(list(inputs), out_dir, options, jobs=jobs, on_diagnostic=reporter,
                                      on_progress=progress)
    else:
        with open_output(output) as out:
            summary = convert(inputs, out, fmt=fmt, base=base, validate_graph=not no_validate, strict=strict,
                              on_diagnostic=reporter, engine=engine, jobs=jobs, on_progress=progress,
                              max_bytes=max_bytes, reference=reference)
    if progress:
        progress.close()
    reporter.write()
    if not quiet:
        click.echo(summary.line(), err=True)
    sys.exit(0 if summary.ok and summary.converted == summary.documents else 1)


@main.command("validate")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@base_option
@engine_option
@report_option
@reference_option
def validate_command(files: tuple[str, ...], base: str, engine: str, report_path: str | None,
                     reference: str | None) -> None:
    """Validate RDF files (.ttl .nt .nq .trig .jsonld) or documents against the bundled shapes.

    Each RDF file is judged as one graph; each document as the graph kvgraph makes of it.
    Violations are printed on stdout as `FILE: NODE PROPERTY: what is wrong`.
    """
    failures = 0
    reporter = Reporter(report_path)
    documents = [f for f in files if not is_rdf(f)]
    for path in (f for f in files if is_rdf(f)):
        violations = _validate_rdf(path, engine)
        failures += violations is None or any(v.severity == "Violation" for v in violations)
        for violation in violations or []:
            click.echo(f"{path}: {violation}")
            severity = "error" if violation.severity == "Violation" else "warning"
            reporter.diagnostics.append(Diagnostic(path, 0, severity, "shape", str(violation)))
    if documents:
        for result in parse_inputs(documents):
            _, diagnostics = checked(result, base, validate_graph=True, strict=False, engine=engine, reference=reference)
            for diagnostic in diagnostics:
                reporter(diagnostic)
            failures += any(d.is_error for d in diagnostics) or result.kamervraag is None
    reporter.write()
    click.echo(f"{len(files)} inputs checked: " + ("all conform" if not failures else f"{failures} do not conform"),
               err=True)
    sys.exit(1 if failures else 0)


def _validate_rdf(path: str, engine: str) -> list[Violation] | None:
    """The violations and warnings in one RDF file; None (after saying why) when it cannot be read."""
    try:
        triples = list(dict.fromkeys(triples_from_oxigraph(read_rdf(path))))
    except (OSError, SyntaxError, ValueError) as exc:
        click.echo(f"{path}: error: cannot read RDF: {exc}", err=True)
        return None
    return list(validate_triples(triples, engine).violations)


def _iso_date(value: str | None, option: str) -> datetime.date | None:
    """A YYYY-MM-DD date, checked strictly: it is pasted into query text and release metadata."""
    if value is None:
        return None
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD", param_hint=option)


def _checked_iri(value: str | None, option: str) -> str | None:
    if value is not None and (not value.startswith(("http://", "https://")) or any(c in value for c in ' <>"{}|^`\\')):
        raise click.BadParameter("must be an absolute http(s) IRI", param_hint=option)
    return value


@main.command("publish")
@inputs_argument
@click.option("--out", "out_dir", required=True, metavar="DIR",
              help="Release folder to write; created if missing, else it must hold nothing but an earlier release.")
@base_option
@click.option("--date", "issued", metavar="YYYY-MM-DD", callback=lambda ctx, param, value: _iso_date(value, "--date"),
              help="Release date (dcterms:issued and modified). Default: today. Same inputs and date, same bytes.")
@click.option("--title", default=RELEASE_TITLE, show_default=True, help="Dataset title (Dutch).")
@click.option("--description", default=RELEASE_DESCRIPTION, help="Dataset description (Dutch).")
@click.option("--publisher", metavar="IRI", callback=lambda ctx, param, value: _checked_iri(value, "--publisher"),
              help="The publisher's IRI (DCAT). Default: --base.")
@click.option("--publisher-name", metavar="NAME", help="The publisher's name. Default: the host of --base.")
@click.option("--contact-email", metavar="ADDRESS", help="Contact e-mail address for the dataset (DCAT).")
@click.option("--download-url", metavar="IRI", callback=lambda ctx, param, value: _checked_iri(value, "--download-url"),
              help="Where the files will be served, for DCAT's download URLs. Default: the folder of --base.")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation.")
@engine_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@reference_option
@click.option("--allow-example-base", is_flag=True,
              help="Publish under a domain reserved for examples (RFC 2606), for a test release.")
@click.option("--quiet", "-q", is_flag=True, help="No summary line on stderr.")
def publish_command(inputs: tuple[str, ...], out_dir: str, base: str, issued: datetime.date | None, title: str,
                    description: str, publisher: str | None, publisher_name: str | None, contact_email: str | None,
                    download_url: str | None, no_validate: bool, engine: str, strict: bool, reference: str | None,
                    allow_example_base: bool, quiet: bool) -> None:
    """Write a release folder: dumps, CSV tables, VoID, DCAT, vocabulary files and their documentation.

    Documents with errors are reported and left out, as with convert (exit code 1).
    """
    from .publish import Metadata, PublishError, publish

    metadata = Metadata(title, description, publisher, publisher_name, contact_email, download_url)
    try:
        published = publish(inputs, out_dir, base, issued or datetime.date.today(), metadata=metadata,
                            validate_graph=not no_validate, strict=strict, engine=engine, on_diagnostic=_report,
                            allow_example_base=allow_example_base, reference=reference)
    except PublishError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    summary = published.summary
    if not quiet:
        click.echo(f"{summary.line()}; release of {len(published.files)} files in {out_dir}", err=True)
    sys.exit(0 if summary.ok and summary.converted == summary.documents else 1)


@main.command("reconcile")
@inputs_argument
@click.option("--format", "fmt", type=click.Choice(sorted(sparql.WRITERS)), default="table", show_default=True)
@reference_option
@max_bytes_option
@click.option("--quiet", "-q", is_flag=True, help="No summary line on stderr.")
def reconcile_command(inputs: tuple[str, ...], fmt: str, reference: str | None, max_bytes: int, quiet: bool) -> None:
    """Show how every printed person of the documents links to the reference: coverage at a glance.

    One row per distinct printed person (name, party, role) and outcome: linked (with the
    Tweede Kamer GUID, Wikidata and Parlement.com ids), ambiguous (with the candidates, not
    linked) or unknown; with the number of mentions and documents. Ambiguous first.
    """
    from .coverage import coverage

    found = coverage(inputs, reference, max_bytes, on_diagnostic=_report)
    sparql.WRITERS[fmt](found.table, sys.stdout)
    if not quiet:
        click.echo(found.line(), err=True)
    sys.exit(1 if found.errors else 0)


@main.command("query")
@click.argument("query", required=False)
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@click.option("--format", "fmt", type=click.Choice(sorted(sparql.WRITERS)), default="table", show_default=True)
@base_option
@click.option("--named", type=click.Choice(named_query_names()), metavar="NAME",
              help="Run kvgraph's bundled query NAME and leave QUERY out: " + ", ".join(named_query_names()) + ".")
@click.option("--as-of", metavar="YYYY-MM-DD", callback=lambda ctx, param, value: _iso_date(value, "--as-of"),
              help="The date the query's ?asOf stands for (the overdue-* named queries). Default: today.")
@click.option("--store", metavar="DIR", help="Query the store `kvgraph load --store DIR` made, instead of INPUT files.")
@click.option("--endpoint", metavar="URL", help="Query a SPARQL protocol endpoint instead of INPUT files (docs/load.md).")
@reference_option
def query_command(query: str | None, inputs: tuple[str, ...], fmt: str, base: str, named: str | None,
                  as_of: datetime.date | None, store: str | None, endpoint: str | None, reference: str | None) -> None:
    """Run a SPARQL SELECT (a .rq file or a query string) over documents and RDF files, a store or an endpoint.

    With --named NAME, QUERY is left out: `kvgraph query --named overdue-per-party --as-of 2024-05-01 examples`.
    """
    if named:  # click gave the first INPUT to QUERY
        inputs = ((query,) if query else ()) + inputs
    elif query is None:
        raise click.UsageError("missing QUERY (a .rq file or a query string), or --named NAME")
    if (store or endpoint) and (inputs or (store and endpoint)):
        raise click.UsageError("give INPUT..., --store DIR or --endpoint URL: only one of them")
    if not (inputs or store or endpoint):
        raise click.UsageError("missing INPUT... (documents, folders or RDF files), or --store DIR or --endpoint URL")
    failed = False
    try:
        if store or endpoint:
            run = _loaded_runner(store, endpoint)
        else:
            quads, failed = _collect(inputs, base, reference)
            memory = sparql.store_of(quads)
            run = lambda text: sparql.select(memory, text)  # noqa: E731
        if named:
            table = sparql.run_named(named, run, as_of)
        else:
            text = sparql.query_text(query or "")
            table = run(text if as_of is None else with_as_of(text, as_of))
        sparql.WRITERS[fmt](table, sys.stdout)
    except ValueError as exc:
        if "as-of" in str(exc):
            raise click.UsageError(str(exc)) from None
        _failed(f"query failed: {exc}")
    except (SyntaxError, OSError) as exc:
        _failed(f"query failed: {exc}")
    sys.exit(1 if failed else 0)


def _failed(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _loaded_runner(store: str | None, endpoint: str | None) -> Callable[[str], sparql.Table]:
    """Runs SPARQL on the store `kvgraph load --store` made (its data in the default graph) or an endpoint.

    kvgraph.load (an HTTP client, the store's record) is imported here, not by every query of files;
    its one-line errors end the run here too."""
    from .load import LoadError, open_store_read_only, select_remote

    def remote(text: str) -> sparql.Table:
        try:
            return select_remote(endpoint or "", text)
        except LoadError as exc:
            _failed(str(exc))

    if endpoint:
        return remote
    try:
        opened = open_store_read_only(store or "")
    except LoadError as exc:
        _failed(str(exc))
    return lambda text: sparql.select(opened, text, union=False)


def _collect(inputs: Iterable[str], base: str, reference: str | None) -> tuple[list[Triple | Quad], bool]:
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
        triples, diagnostics = checked(result, base, validate_graph=False, strict=False, reference=reference)
        for diagnostic in diagnostics:
            _report(diagnostic)
        failed |= triples is None
        collected.extend(triples_to_oxigraph(triples or []))
    return collected, failed


def _zaaknummers(values: tuple[str, ...]) -> tuple[str, ...]:
    """Zaaknummers checked before anything is opened: a typo must not look like 'nothing to delete'."""
    from .load import LoadError, checked_zaaknummer

    try:
        return tuple(checked_zaaknummer(v) for v in values)
    except LoadError as exc:
        raise click.BadParameter(str(exc), param_hint="--delete") from None


@main.command("load")
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@click.option("--store", metavar="DIR", help="Load into an embedded Oxigraph store in DIR (created if missing).")
@click.option("--endpoint", metavar="URL",
              help="Load into a SPARQL 1.1 Graph Store HTTP Protocol endpoint. Credentials: KVGRAPH_ENDPOINT_USER and "
                   "KVGRAPH_ENDPOINT_PASSWORD, or KVGRAPH_ENDPOINT_TOKEN, or ~/.netrc; never in the URL.")
@base_option
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation.")
@engine_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH_SIZE, show_default=True,
              help="Triples per store write (whole graphs, one transaction). Over HTTP each graph is its own PUT; "
                   "a graph larger than this sends the rest as POSTs of this many triples.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=default_jobs(), show_default="number of cores",
              help="Worker processes for parsing and validation.")
@click.option("--delete", "deletes", multiple=True, metavar="ZAAKNUMMER", callback=lambda ctx, param, value: _zaaknummers(value),
              help="Drop this Kamervraag's graph first (repeatable); INPUT may then be left out.")
@click.option("--prune", is_flag=True,
              help="Afterwards drop every Kamervraag graph whose document is not among the inputs (--store only; "
                   "refused when an input has errors).")
@click.option("--quiet", "-q", is_flag=True, help="No summary line on stderr.")
@max_bytes_option
@reference_option
def load_command(inputs: tuple[str, ...], store: str | None, endpoint: str | None, base: str, no_validate: bool,
                 engine: str, strict: bool, batch_size: int, jobs: int, deletes: tuple[str, ...],
                 prune: bool, quiet: bool, max_bytes: int, reference: str | None) -> None:
    """Load documents into a triple store, one named graph per Kamervraag (its IRI), replacing that graph.

    Loading the same input again changes nothing; a changed document replaces exactly its own graph.
    See docs/load.md for the endpoint URLs of Oxigraph, Fuseki, GraphDB and Virtuoso.
    """
    from .load import EndpointTarget, LoadError, load
    from .store import StoreError, StoreTarget

    if (store is None) == (endpoint is None):
        raise click.UsageError("give exactly one of --store DIR and --endpoint URL")
    if not inputs and not deletes:
        raise click.UsageError("missing INPUT... (documents or folders), or --delete ZAAKNUMMER")
    if prune and endpoint:
        raise click.UsageError("--prune needs --store (list an endpoint's graphs with `kvgraph query`, drop them with --delete)")
    try:
        target: Target | StoreTarget = StoreTarget(store) if store else EndpointTarget(endpoint or "", batch_size)
        summary = load(inputs, target, base, validate_graph=not no_validate, strict=strict, engine=engine,
                       batch_size=batch_size, delete=deletes, prune=prune, max_bytes=max_bytes, on_diagnostic=_report,
                       jobs=jobs, reference=reference)
    except (LoadError, StoreError) as exc:
        click.echo(f"error: {exc}", err=True)
        if getattr(exc, "summary", None) is not None and not quiet:
            click.echo(exc.summary.line(), err=True)
        sys.exit(1)
    if not quiet:
        click.echo(summary.line(), err=True)
    sys.exit(0 if summary.ok else 1)
