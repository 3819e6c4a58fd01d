"""The `kvgraph` command: click around the Python API in kvgraph.api, one function per command.

What is here is the command line's own: options and their usage errors, printing (diagnostics on
stderr as they come, results on stdout), `--report`, the progress bar, signals and exit codes.
Exit codes: 0 success, 1 bad input or shape violations, 2 usage. Problems are printed to
stderr one per line as `FILE:LINE: error|warning: what is wrong`, never as a traceback.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import sparql
from .defaults import DEFAULT_BATCH_SIZE, RELEASE_DESCRIPTION, RELEASE_TITLE
from .output import open_output, write_report
from .progress import Progress
from .read import MAX_BYTES
from .serializers import FORMATS
from .shacl import ENGINES
from .sparql import named_query_names
from .vocab import DEFAULT_BASE
from .workers import default_jobs

# kvgraph.api, and the parser, mapping and linking behind it, are imported by the commands that
# run: `kvgraph --help` and `kvgraph CMD --help` need only what the options list. The modules
# behind --out-dir, `load` and `publish` (an HTTP client, rdflib) are imported by the API
# functions that use them: every run pays for what it imports, and `convert` needs none of them.
if TYPE_CHECKING:
    from .model import Diagnostic


def _api() -> Any:
    from . import api

    return api


def _checked(check: str, hint: str | None = None) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A click callback running the API's argument check `check`: its ValueError is a usage error
    (one line, exit 2) before any work. `hint` names the option as the message has always named it."""
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None:
            return None
        try:
            return getattr(_api(), check)(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint=hint) from None

    return callback


inputs_argument = click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
base_option = click.option("--base", default=DEFAULT_BASE, show_default=True, metavar="IRI", callback=_checked("checked_base"),
                           help="Base IRI under which kvgraph mints `id/...` IRIs.")
reference_option = click.option(
    "--reference", metavar="DIR", callback=_checked("checked_reference"),
    help="Reference data (persons, parties, ministries) to link to, instead of the bundled set; "
         "same format (docs/reference.md).")
engine_option = click.option("--engine", type=click.Choice(ENGINES), default="native", show_default=True,
                             help="SHACL engine: kvgraph's compiled one, or pyshacl (the reference, slow).")
report_option = click.option("--report", "report_path", metavar="FILE.json",
                             help="Also write every error and warning (file, line, severity, code, message) as JSON.")
max_bytes_option = click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_BYTES, show_default=True,
                                help="Refuse documents larger than this.")


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
        if self.path is not None:
            write_report(self.path, self.diagnostics)


def _failed(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


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
        for result in _api().parse(inputs, strict=strict, max_bytes=max_bytes):
            for diagnostic in result.diagnostics:
                reporter(diagnostic)
            record = result.record
            failed |= record is None
            if record is not None:
                out.write((json.dumps(record, ensure_ascii=False) + "\n").encode())
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
    if out_dir is not None and output != "-":
        raise click.UsageError("use either -o/--output or --out-dir, not both")
    progress = None if quiet else Progress.on(sys.stderr)
    reporter = Reporter(report_path)
    summary = _api().convert(inputs, None if out_dir is not None else output, out_dir=out_dir, format=fmt, base=base,
                          validate=not no_validate, engine=engine, strict=strict, jobs=jobs, max_bytes=max_bytes,
                          reference=reference, on_diagnostic=reporter, on_progress=progress)
    if progress:
        progress.close()
    reporter.write()
    if not quiet:
        click.echo(summary.line(), err=True)
    sys.exit(0 if summary.ok and summary.converted == summary.documents else 1)


@main.command("validate")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--base", metavar="IRI", callback=_checked("checked_base"),
              help="Base IRI of the data: documents are converted under it (default: " + DEFAULT_BASE + "), "
                   "RDF files are checked against it (default: the base of their Kamervragen).")
@engine_option
@report_option
@reference_option
def validate_command(files: tuple[str, ...], base: str | None, engine: str, report_path: str | None,
                     reference: str | None) -> None:
    """Validate RDF files (.ttl .nt .nq .trig .jsonld) or documents against the bundled shapes.

    Each RDF file is judged as one graph; each document as the graph kvgraph makes of it.
    Violations are printed on stdout as `FILE: NODE PROPERTY: what is wrong`.
    """
    failures = 0
    reporter = Reporter(report_path)
    for verdict in _api().verdicts(files, base=base, engine=engine, reference=reference):
        failures += not verdict.conforms
        for diagnostic in verdict.diagnostics:
            if not verdict.rdf:
                reporter(diagnostic)
            elif diagnostic.code == "shape":  # an RDF file's violations go to stdout, as results
                click.echo(f"{verdict.path}: {diagnostic.message}")
                reporter.diagnostics.append(diagnostic)
            else:
                _report(diagnostic)
    reporter.write()
    click.echo(f"{len(files)} inputs checked: " + ("all conform" if not failures else f"{failures} do not conform"),
               err=True)
    sys.exit(1 if failures else 0)


@main.command("publish")
@inputs_argument
@click.option("--out", "out_dir", required=True, metavar="DIR",
              help="Release folder to write; created if missing, else it must hold nothing but an earlier release.")
@base_option
@click.option("--date", "issued", metavar="YYYY-MM-DD", callback=_checked("iso_date", "--date"),
              help="Release date (dcterms:issued and modified). Default: today. Same inputs and date, same bytes.")
@click.option("--title", default=RELEASE_TITLE, show_default=True, help="Dataset title (Dutch).")
@click.option("--description", default=RELEASE_DESCRIPTION, help="Dataset description (Dutch).")
@click.option("--publisher", metavar="IRI", callback=_checked("checked_iri", "--publisher"),
              help="The publisher's IRI (DCAT). Default: --base.")
@click.option("--publisher-name", metavar="NAME", help="The publisher's name. Default: the host of --base.")
@click.option("--contact-email", metavar="ADDRESS", help="Contact e-mail address for the dataset (DCAT).")
@click.option("--download-url", metavar="IRI", callback=_checked("checked_iri", "--download-url"),
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
    from .release import PublishError

    try:
        published = _api().publish(inputs, out_dir, base=base, date=issued, title=title, description=description,
                                publisher=publisher, publisher_name=publisher_name, contact_email=contact_email,
                                download_url=download_url, validate=not no_validate, engine=engine, strict=strict,
                                reference=reference, allow_example_base=allow_example_base, on_diagnostic=_report)
    except PublishError as exc:
        _failed(str(exc))
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
    found = _api().reconcile(inputs, reference=reference, max_bytes=max_bytes, on_diagnostic=_report)
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
@click.option("--as-of", metavar="YYYY-MM-DD", callback=_checked("iso_date", "--as-of"),
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
        inputs, query = ((query,) if query else ()) + inputs, None
    elif query is None:
        raise click.UsageError("missing QUERY (a .rq file or a query string), or --named NAME")
    if (store or endpoint) and (inputs or (store and endpoint)):
        raise click.UsageError("give INPUT..., --store DIR or --endpoint URL: only one of them")
    if not (inputs or store or endpoint):
        raise click.UsageError("missing INPUT... (documents, folders or RDF files), or --store DIR or --endpoint URL")
    try:
        rows = _api().query(query, inputs, named=named, as_of=as_of, store=store, endpoint=endpoint, base=base,
                         reference=reference, on_diagnostic=_report)
        sparql.WRITERS[fmt](rows.table, sys.stdout)
    except BrokenPipeError:  # the reader has had enough (`| head`): stop quietly, as convert does.
        # At once: the engine's thread still holds results that pyoxigraph will not let another thread drop.
        os._exit(1)
    except ValueError as exc:
        if "as-of" in str(exc):
            raise click.UsageError(str(exc)) from None
        _failed(f"query failed: {exc}")
    except (SyntaxError, OSError) as exc:
        _failed(f"query failed: {exc}")
    except _load_errors(store or endpoint) as exc:
        _failed(str(exc))
    sys.exit(0 if rows.ok else 1)


def _load_errors(loaded: str | None) -> tuple[type[Exception], ...]:
    """What a query of a store or an endpoint raises besides a bad query: a LoadError, one line to
    show. kvgraph.loader (an HTTP client) is imported for those only, not for every query of files."""
    if not loaded:
        return ()
    from .loader import LoadError

    return (LoadError,)


def _zaaknummers(values: tuple[str, ...]) -> tuple[str, ...]:
    """Zaaknummers checked before anything is opened: a typo must not look like 'nothing to delete'."""
    from .loader import LoadError, checked_zaaknummer

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
    from .loader import LoadError
    from .store import StoreError

    if (store is None) == (endpoint is None):
        raise click.UsageError("give exactly one of --store DIR and --endpoint URL")
    if not inputs and not deletes:
        raise click.UsageError("missing INPUT... (documents or folders), or --delete ZAAKNUMMER")
    if prune and endpoint:
        raise click.UsageError("--prune needs --store (list an endpoint's graphs with `kvgraph query`, drop them with --delete)")
    try:
        summary = _api().load(inputs, store=store, endpoint=endpoint, base=base, validate=not no_validate, engine=engine,
                           strict=strict, batch_size=batch_size, jobs=jobs, delete=deletes, prune=prune,
                           max_bytes=max_bytes, reference=reference, on_diagnostic=_report)
    except (LoadError, StoreError) as exc:
        click.echo(f"error: {exc}", err=True)
        if getattr(exc, "summary", None) is not None and not quiet:
            click.echo(exc.summary.line(), err=True)
        sys.exit(1)
    if not quiet:
        click.echo(summary.line(), err=True)
    sys.exit(0 if summary.ok else 1)
