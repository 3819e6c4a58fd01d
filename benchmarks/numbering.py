"""Time SHACL validation of one document with N questions, with both engines.

Builds the text of a Kamervraag with questions 1..N (each with a one-line answer), parses it
(kvgraph.pipeline.parse_string), maps it (kvgraph.mapping.map_kamervraag) and validates the
triples with kvgraph.shacl.validate_triples for each engine. Every measurement runs in a
forked child, killed after --timeout seconds, so a quadratic case cannot hang the run.

    python benchmarks/numbering.py --sizes 100 250 1000 2000
    python benchmarks/numbering.py --shapes /path/to/variant.shapes.ttl --engines native

--shapes validates against another shapes file instead of the bundled one (to compare
variants of a constraint); --gap leaves out question 3 (the warning must then fire once).
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from multiprocessing.connection import Connection
from pathlib import Path

from kvgraph.mapping import map_kamervraag
from kvgraph.pipeline import parse_string

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "2022Z04503.txt"


def document(n: int, skip: frozenset[int] = frozenset()) -> str:
    """The sample's header and footer around questions 1..n (minus `skip`), each answered."""
    text = SAMPLE.read_text("utf-8")
    head, tail = text[:text.index(" • Vraag 1")], text[text.index("\n\nKamervraag document nummer"):]
    questions = "".join(f" • Vraag {i}\n  Is dit vraag {i}?\n\n  Ja, dit is vraag {i}.\n\n"
                        for i in range(1, n + 1) if i not in skip)
    return head + questions.rstrip("\n") + tail


def _validate(text: str, engine: str, shapes: str | None, conn: Connection) -> None:
    """Child process: parse, map and validate; send back the seconds validation took and the warnings."""
    from kvgraph import shacl as validate

    if shapes is not None:
        from rdflib import Graph
        graph = Graph().parse(shapes, format="turtle")
        validate.shapes_graph = lambda: graph  # type: ignore[assignment]
    result = parse_string(text)
    assert result.kamervraag is not None, result.diagnostics
    triples = map_kamervraag(result.kamervraag)
    validate.validate_triples(triples[:1], engine)  # warm up: compile the shapes, import pyshacl
    start = time.perf_counter()
    report = validate.validate_triples(triples, engine)
    took = time.perf_counter() - start
    conn.send((took, [(v.focus, v.value) for v in report.violations if "skips a number" in v.message]))


def measure(text: str, engine: str, shapes: str | None, timeout: float) -> tuple[float, list] | None:
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_validate, args=(text, engine, shapes, send))
    child.start()
    send.close()
    done = receive.poll(timeout)
    if not done:
        child.kill()
    child.join()
    return receive.recv() if done else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 250, 1000, 2000])
    parser.add_argument("--engines", nargs="+", default=["native", "pyshacl"])
    parser.add_argument("--shapes", help="a shapes file to use instead of the bundled one")
    parser.add_argument("--gap", action="store_true", help="leave out question 3")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    print("| questions | engine | seconds | numbering warnings |")
    print("|---:|---|---:|---:|")
    for n in args.sizes:
        text = document(n, frozenset({3}) if args.gap else frozenset())
        for engine in args.engines:
            found = measure(text, engine, args.shapes, args.timeout)
            took, warnings = found if found else (None, [])
            shown = f"{took:.2f}" if took is not None else f"> {args.timeout:.0f} (killed)"
            print(f"| {n} | {engine} | {shown} | {len(warnings) if found else '-'} |", flush=True)


if __name__ == "__main__":
    main()
