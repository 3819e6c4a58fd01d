"""Measure `kvgraph load --store` and every named query at corpus scale (issue 13), and write the
figures into benchmarks/RESULTS.md (its "Queries" section; run.py keeps that section).

Per corpus size: the first load into an empty store against its baseline measured in the same
run (`kvgraph convert -f nt` plus Oxigraph's own bulk load of that file into the default graph),
the store's size, a no-op re-load and a re-load with 1,000 documents changed; then each named
query on the embedded store (the fastest of --rounds runs; the portable SPARQL version of each
aggregate too, cut off after --portable-timeout seconds). With --servers (at 10k) the same named
queries through `kvgraph query --endpoint` on an Oxigraph server serving the store, and on a
Virtuoso loaded with `kvgraph load --endpoint` (tests/virtuoso_server.py).

    python benchmarks/queries.py --sizes 10000 100000 --servers 10000 --work /tmp/bench
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "tests")]

from generate import retitled, write_corpus  # noqa: E402
from run import QUERIES_SECTION as SECTION  # noqa: E402
from run import Figure, measure  # noqa: E402

from kvgraph.sparql import FINISHED, named_query_names  # noqa: E402

KVGRAPH = [sys.executable, "-m", "kvgraph"]
AS_OF = "2024-05-01"
LISTINGS = ("questions", "people", "offices", "topics", "documents", "answer-times")


def query_args(name: str) -> list[str]:
    return ["--named", name, "--format", "csv"] + (["--as-of", AS_OF] if name.startswith("overdue") else [])


def du(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def fastest(name: str, size: int, command: list[str], rounds: int) -> Figure:
    return shown(min((measure(name, size, command)[0] for _ in range(rounds)), key=lambda f: f.seconds))


def shown(figure: Figure) -> Figure:
    """Print a figure as soon as it is measured (a long run that fails later keeps what it printed)."""
    print(f"{figure.documents:,} | {figure.name} | {figure.seconds:.2f} s | CPU {figure.cpu:.2f} s | "
          f"{figure.peak_mb:.0f} MB", flush=True)
    return figure


def loads(size: int, corpus: Path, work: Path) -> list[tuple[Figure, str]]:
    store, dump = work / f"store-{size}", work / f"dump-{size}.nt"
    shutil.rmtree(store, ignore_errors=True)
    rows = [(shown(measure("baseline: kvgraph convert -f nt -j 2", size,
                     KVGRAPH + ["convert", str(corpus), "-f", "nt", "-o", str(dump), "-j", "2", "-q"])[0]), "")]
    bulk = work / f"bulk-{size}"
    shutil.rmtree(bulk, ignore_errors=True)
    code = ("import sys; from pyoxigraph import Store, RdfFormat\n"
            "Store(sys.argv[1]).bulk_load(path=sys.argv[2], format=RdfFormat.N_TRIPLES)")
    rows.append((shown(measure("baseline: Oxigraph bulk_load of that file, default graph", size,
                               [sys.executable, "-c", code, str(bulk), str(dump)])[0]), f"{du(bulk):,.0f} MB"))
    shutil.rmtree(bulk)
    dump.unlink()
    load = KVGRAPH + ["load", str(corpus), "--store", str(store), "-j", "2"]
    rows.append((shown(measure("kvgraph load, empty store", size, load)[0]), f"{du(store):,.0f} MB"))
    rows.append((shown(measure("kvgraph load again, nothing changed", size, load)[0]), ""))
    changed = sorted(corpus.rglob("*.txt"))[:: max(1, size // 1000)][:1000]
    originals = {path: path.read_bytes() for path in changed}
    for path in changed:
        path.write_bytes(retitled(originals[path]))
    try:
        rows.append((shown(measure(f"kvgraph load again, {len(changed):,} documents changed", size, load)[0]),
                     f"{du(store):,.0f} MB"))
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
    return rows


def queries(size: int, where: list[str], label: str, rounds: int, portable_timeout: float) -> list[tuple[Figure, str]]:
    rows = []
    for name in named_query_names():
        figure = fastest(f"{label}: {name}", size, KVGRAPH + ["query", *query_args(name), *where], rounds)
        rows.append((figure, "listing" if name in LISTINGS else "aggregate"))
        if name in FINISHED and label == "embedded store":
            portable = ROOT / "queries" / f"{name}.rq"
            args = ["--as-of", AS_OF] if name.startswith("overdue") else []
            command = ["timeout", str(portable_timeout)] + KVGRAPH + ["query", str(portable), "--format", "csv",
                                                                     *args, *where]
            try:
                figure = shown(measure(f"{label}: {name}, portable SPARQL (queries/{name}.rq)", size, command)[0])
                rows.append((figure, "aggregate, all in SPARQL"))
            except SystemExit:
                rows.append((Figure(f"{label}: {name}, portable SPARQL", size, float("inf"), 0), "timed out"))
    return rows


def servers(size: int, store: Path, corpus: Path, work: Path, rounds: int) -> list[tuple[Figure, str]]:
    from oxigraph_server import oxigraph_command, running_oxigraph
    from virtuoso_server import PASSWORD, USER, running_virtuoso, virtuoso_command

    rows: list[tuple[Figure, str]] = []
    try:
        if oxigraph_command():
            served = work / f"served-{size}"
            shutil.rmtree(served, ignore_errors=True)
            shutil.copytree(store, served)
            with running_oxigraph(served) as server:
                rows += queries(size, ["--endpoint", server.query.split("?")[0]], "Oxigraph server", rounds, 0)
        if virtuoso_command():
            with running_virtuoso() as (virtuoso,):
                os.environ["KVGRAPH_ENDPOINT_USER"], os.environ["KVGRAPH_ENDPOINT_PASSWORD"] = USER, PASSWORD
                load = KVGRAPH + ["load", str(corpus), "--endpoint", virtuoso.graph_store_basic, "-j", "2"]
                rows.append((shown(measure("Virtuoso: kvgraph load --endpoint", size, load)[0]), "one graph per Kamervraag"))
                rows += queries(size, ["--endpoint", virtuoso.query], "Virtuoso", rounds, 0)
    except SystemExit as failed:  # measure() says which run failed and why
        print(f"servers at {size:,}: {failed}", file=sys.stderr, flush=True)
        rows.append((Figure(f"servers: {str(failed).splitlines()[0][:120]}", size, float("inf"), 0), "failed"))
    return rows


def section(figures: dict[int, list[tuple[Figure, str]]]) -> str:
    lines = [SECTION, "", f"`python benchmarks/queries.py` on {time.strftime('%Y-%m-%d')}: seconds (wall), CPU seconds "
             "(the process and its workers), peak RSS of the largest process. Queries print CSV to /dev/null.", "",
             "| documents | what | seconds | CPU seconds | peak RSS MB | note |", "|---:|---|---:|---:|---:|---|"]
    for size, rows in figures.items():
        for figure, note in rows:
            seconds = "> timeout" if figure.seconds == float("inf") else f"{figure.seconds:.2f}"
            lines.append(f"| {size:,} | {figure.name} | {seconds} | {figure.cpu:.2f} | {figure.peak_mb:.0f} | {note} |")
    return "\n".join(lines) + "\n"


def write(results: Path, text: str) -> None:
    before = results.read_text("utf-8") if results.exists() else ""
    kept = before.split(SECTION)[0].rstrip("\n")
    results.write_text((kept + "\n\n" if kept else "") + text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--servers", type=int, nargs="*", default=[10_000], help="sizes to also measure on servers")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each query, the fastest counts")
    parser.add_argument("--portable-timeout", type=float, default=120.0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kvgraph-bench"))
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    figures: dict[int, list[tuple[Figure, str]]] = {}
    for size in args.sizes:
        corpus = args.work / f"corpus-{size}"
        if not corpus.exists():
            write_corpus(size, seed=size, out_dir=corpus)
        rows = loads(size, corpus, args.work)
        rows += queries(size, ["--store", str(args.work / f"store-{size}")], "embedded store", args.rounds,
                        args.portable_timeout)
        if size in args.servers:
            rows += servers(size, args.work / f"store-{size}", corpus, args.work, args.rounds)
        figures[size] = rows
    write(args.results, section(figures))
    print(f"written {args.results}")


if __name__ == "__main__":
    main()
