"""Measure kvgraph on synthetic corpora of 1k, 10k and 100k documents, against baselines
measured in the same run, and write the figures to benchmarks/RESULTS.md.

Every configuration runs as its own process (the real CLI), so wall time and peak memory are
those a user sees; CPU time adds up the process and its workers, and peak RSS is the largest of
them. Baselines:
- floor: read every input byte and write as many output bytes as kvgraph wrote (pure I/O);
- naive: parse + rdflib Graph.add + rdflib's Turtle serializer (at 1k documents only: it is
  the slow thing kvgraph replaces).

    python benchmarks/run.py                  # 1k, 10k, 100k (about 20 minutes on 2 cores)
    python benchmarks/run.py --sizes 1000     # a quick look

kvgraph's modules are compiled to bytecode first, as pip does when it installs the package: on
a machine that sets PYTHONDONTWRITEBYTECODE an editable checkout would otherwise compile every
module from source in every run (about 70 ms, a tenth of a 1k run).

Every row is the fastest of several runs, baselines alike (on a shared machine noise only ever
adds time): --rounds (default 3) up to --rounds-up-to documents (default 10,000), --large-rounds
(default 2) above. The runs go in rounds, every configuration once and then all again, so a slow
spell of the machine is spread over the rows instead of deciding one of them. Above
--all-jobs-up-to documents (default 10,000) only the largest --jobs count runs, to keep the whole
run within the hour; the ratios and targets use the 2-job rows.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import write_corpus  # noqa: E402


@dataclass
class Figure:
    name: str
    documents: int
    seconds: float
    peak_mb: float
    triples: int | None = None
    cpu: float = 0.0  # user + system seconds of the process and its workers

    @property
    def rate(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def measure(name: str, documents: int, command: list[str]) -> tuple[Figure, str]:
    """Run a command as a child process; wall time, CPU time and peak RSS of it and its descendants
    (wait4 counts the workers the process waited for)."""
    with tempfile.TemporaryFile() as log:  # not a pipe: a run that says much would block on a full one
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        log.seek(0)
        stderr = log.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{name} failed: {stderr[-2000:]}")
    return Figure(name, documents, seconds, usage.ru_maxrss / 1024, _triples(stderr),
                  usage.ru_utime + usage.ru_stime), stderr


def keep_fastest(best: dict[str, Figure], figure: Figure) -> None:
    """Keep the faster of two runs of a configuration (noise on a shared machine only ever adds
    time), with the lower CPU time and the higher peak memory of the two."""
    before = best.get(figure.name)
    if before is not None:
        cpu, peak = min(before.cpu, figure.cpu), max(before.peak_mb, figure.peak_mb)
        figure = min(before, figure, key=lambda f: f.seconds)
        figure.cpu, figure.peak_mb = cpu, peak
    best[figure.name] = figure


def _triples(stderr: str) -> int | None:
    """The triple count from kvgraph's summary line."""
    for line in stderr.splitlines():
        if " triples, " in line:
            return int(line.split(" triples, ")[0].rsplit(" ", 1)[-1])
    return None


def kvgraph(corpus: Path, out: Path, fmt: str, validate: bool, jobs: int) -> list[str]:
    command = [sys.executable, "-m", "kvgraph", "convert", str(corpus), "-f", fmt, "-o", str(out), "-j", str(jobs)]
    return command + ([] if validate else ["--no-validate"])


def floor(corpus: Path, out: Path, size: int) -> list[str]:
    code = ("import sys, pathlib\n"
            "total = sum(len(p.read_bytes()) for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.txt')))\n"
            "with open(sys.argv[2], 'wb') as out:\n"
            "    chunk = b'x' * 65536\n"
            "    left = int(sys.argv[3])\n"
            "    while left > 0:\n"
            "        out.write(chunk[:left]); left -= 65536\n")
    return [sys.executable, "-c", code, str(corpus), str(out), str(size)]


def naive(corpus: Path, out: Path) -> list[str]:
    code = ("import sys, pathlib\n"
            "from rdflib import Graph\n"
            "from kvgraph import pipeline\n"
            "from kvgraph.mapping import map_kamervraag\n"
            "from kvgraph.shacl import to_rdflib\n"
            "graph = Graph()\n"
            "for result in pipeline.parse_inputs([sys.argv[1]]):\n"
            "    for t in to_rdflib(map_kamervraag(result.kamervraag)):\n"
            "        graph.add(t)\n"
            "graph.serialize(sys.argv[2], format='turtle')\n"
            "print(f'{len(graph)} triples, ', file=sys.stderr)\n")
    return [sys.executable, "-c", code, str(corpus), str(out)]


def incremental(corpus: Path, out_dir: Path) -> list[str]:
    return [sys.executable, "-m", "kvgraph", "convert", str(corpus), "--out-dir", str(out_dir), "-f", "nt", "-q"]


def run_size(size: int, work: Path, jobs_list: list[int], rounds: int) -> list[Figure]:
    """Every configuration at one corpus size, each the fastest of `rounds` runs (the incremental
    rows once: their first run changes what the second does).

    The runs go in rounds, every configuration once and then all again, rather than one
    configuration three times in a row: noise on a shared machine comes in spells, and a spell
    that fell on all runs of one row would decide that row, and the ratios it is part of, alone.
    """
    corpus = work / f"corpus-{size}"
    if not corpus.exists():
        started = time.perf_counter()
        write_corpus(size, seed=size, out_dir=corpus)
        print(f"generated {size} documents in {time.perf_counter() - started:.1f} s", flush=True)
    out = work / "out"
    commands = [(f"kvgraph {fmt}, {'validated' if validate else 'not validated'}, {jobs} job{'s' * (jobs > 1)}",
                 kvgraph(corpus, out, fmt, validate, jobs))
                for fmt in ("nt", "turtle") for validate in (False, True) for jobs in jobs_list]
    best: dict[str, Figure] = {}
    for number in range(1, rounds + 1):
        for name, command in commands:
            _measured(best, measure(name, size, command)[0], number, rounds)
        # the floor writes as many bytes as the last kvgraph run (Turtle, validated) did
        _measured(best, measure(FLOOR, size, floor(corpus, out, out.stat().st_size))[0], number, rounds)
        if size <= 1000:
            _measured(best, measure(NAIVE, size, naive(corpus, out))[0], number, rounds)
    figures = list(best.values())
    state = work / f"state-{size}"
    shutil.rmtree(state, ignore_errors=True)
    figures.append(measure("incremental --out-dir, first run", size, incremental(corpus, state))[0])
    figures.append(measure("incremental --out-dir, no-op re-run", size, incremental(corpus, state))[0])
    for figure in figures:
        print(_row(figure, figures[0]), flush=True)
    return figures


def _measured(best: dict[str, Figure], figure: Figure, number: int, rounds: int) -> None:
    """Keep the figure if it is the fastest yet; say it on stderr, as rows print only when all rounds are done."""
    print(f"  round {number}/{rounds}: {figure.documents:,} {figure.name}: {figure.seconds:.2f} s, CPU {figure.cpu:.2f} s",
          file=sys.stderr, flush=True)
    keep_fastest(best, figure)


def _row(figure: Figure, reference: Figure) -> str:
    triples = f"{figure.triples / figure.seconds:,.0f}" if figure.triples else ""
    seconds, cpu = (f"{value:.{2 if value < 10 else 1}f}" for value in (figure.seconds, figure.cpu))
    return (f"| {figure.documents:,} | {figure.name} | {seconds} | {cpu} | {figure.rate:,.0f} | {triples} | "
            f"{figure.peak_mb:.0f} | {reference.seconds / figure.seconds:.2f} |")


def report(figures_by_size: dict[int, list[Figure]], rounds: dict[int, int]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Run on {datetime.date.today().isoformat()} with `python benchmarks/run.py` on {platform.node() or 'a machine'}: "
        f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, {_memory()}.",
        "Each row is one process (the real CLI); CPU seconds (user + system) add up the process and its",
        "workers; peak RSS is the largest of them.",
        "Each row (baselines too) is the fastest of "
        + ", ".join(f"{n} run{'s' * (n > 1)} at {size:,} documents" for size, n in rounds.items()) + ";",
        "the runs went in rounds (every configuration once, then all again), the incremental rows",
        "excepted, which run once.",
        "The last column is the first row's time divided by this row's (above 1: faster than",
        "unvalidated N-Triples with one job).",
        "",
        HEADER,
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for figures in figures_by_size.values():
        lines += [_row(f, figures[0]) for f in figures]
    lines += ["", "## Ratios", ""]
    for size, figures in figures_by_size.items():
        by_name = {f.name: f for f in figures}
        nt = by_name.get("kvgraph nt, validated, 2 jobs")
        ttl = by_name.get("kvgraph turtle, validated, 2 jobs")
        bare = by_name.get("kvgraph nt, not validated, 2 jobs")
        if nt and ttl and bare:
            lines.append(f"- {size:,}: validated N-Triples, 2 jobs: {nt.rate:,.0f} documents/s; Turtle/N-Triples time "
                         f"{ttl.seconds / nt.seconds:.2f}; validated/unvalidated time {nt.seconds / bare.seconds:.2f} "
                         f"(CPU time {nt.cpu / bare.cpu:.2f}); "
                         f"peak RSS {max(f.peak_mb for f in figures if f.name != NAIVE):.0f} MB")
        naive_figure = by_name.get(NAIVE)
        for name in ("kvgraph turtle, not validated, 1 job", "kvgraph turtle, not validated, 2 jobs",
                     "kvgraph nt, not validated, 2 jobs", "kvgraph turtle, validated, 2 jobs"):
            if naive_figure and name in by_name:
                lines.append(f"- {size:,}: {name} is {naive_figure.seconds / by_name[name].seconds:.0f}x the naive "
                             "rdflib pipeline in documents/s")
        noop = by_name.get("incremental --out-dir, no-op re-run")
        if noop:
            lines.append(f"- {size:,}: no-op incremental re-run: {noop.seconds:.1f} s")
    return "\n".join(lines + ["", *targets(figures_by_size)]) + "\n"


NAIVE = "naive: parse + rdflib Graph + rdflib Turtle"
HEADER = "| documents | configuration | seconds | CPU seconds | documents/s | triples/s | peak RSS MB | speed vs first row |"
FLOOR = "floor: read inputs, write as many bytes"
QUERIES_SECTION = "## Queries (issue 13)"  # written by benchmarks/queries.py, kept here


def targets(figures_by_size: dict[int, list[Figure]]) -> list[str]:
    """Issue 3's targets against this run's figures (the largest size for the throughput ones)."""
    largest = {f.name: f for f in figures_by_size[max(figures_by_size)]}
    smallest = {f.name: f for f in figures_by_size[min(figures_by_size)]}
    rows = []
    nt, ttl = largest.get("kvgraph nt, validated, 2 jobs"), largest.get("kvgraph turtle, validated, 2 jobs")
    bare = largest.get("kvgraph nt, not validated, 2 jobs")
    if nt:
        rows.append(("validated N-Triples, 2 jobs, >= 1,000 documents/s", f"{nt.rate:,.0f} documents/s", nt.rate >= 1000))
    if nt and ttl:
        rows.append(("Turtle <= 1.3x N-Triples time (validated, 2 jobs)", f"{ttl.seconds / nt.seconds:.2f}x",
                     ttl.seconds / nt.seconds <= 1.3))
    if nt and bare:
        rows.append(("validated <= 1.5x unvalidated time (N-Triples, 2 jobs)", f"{nt.seconds / bare.seconds:.2f}x",
                     nt.seconds / bare.seconds <= 1.5))
        rows.append(("... in CPU time (user + system, the process and its workers)", f"{nt.cpu / bare.cpu:.2f}x",
                     nt.cpu / bare.cpu <= 1.5))
    peak = max(f.peak_mb for figures in figures_by_size.values() for f in figures if f.name != NAIVE)
    rows.append(("peak RSS <= 300 MB per process, every size and configuration", f"{peak:.0f} MB", peak <= 300))
    naive_figure, fast = smallest.get(NAIVE), smallest.get("kvgraph turtle, not validated, 2 jobs")
    if naive_figure and fast:
        ratio = naive_figure.seconds / fast.seconds
        rows.append((f">= 50x the naive rdflib pipeline at {min(figures_by_size):,} (Turtle, not validated, 2 jobs)",
                     f"{ratio:.0f}x", ratio >= 50))
    noop = largest.get("incremental --out-dir, no-op re-run")
    if noop:
        rows.append((f"no-op incremental re-run of {max(figures_by_size):,} <= 10 s", f"{noop.seconds:.1f} s", noop.seconds <= 10))
    return (["## Targets (issue 3)", "", "| target | measured | met |", "|---|---|---|"]
            + [f"| {target} | {measured} | {'yes' if met else 'no'} |" for target, measured, met in rows])


def _memory() -> str:
    try:
        kb = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1])
        return f"{kb / 1024 / 1024:.0f} GB memory"
    except (OSError, StopIteration, ValueError):
        return "memory unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--all-jobs-up-to", type=int, default=10_000, metavar="N",
                        help="above N documents only the largest --jobs count runs")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each row, the fastest counts (default 3) ...")
    parser.add_argument("--rounds-up-to", type=int, default=10_000, metavar="N",
                        help="... at up to N documents (default 10,000) ...")
    parser.add_argument("--large-rounds", type=int, default=2, help="... and above (default 2)")
    parser.add_argument("--work", type=Path, help="folder for corpora and outputs (default: a temporary one)")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kvgraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    compileall.compile_dir(HERE.parent / "kvgraph", quiet=1)
    print(HEADER)
    rounds = {size: args.rounds if size <= args.rounds_up_to else args.large_rounds for size in args.sizes}
    figures = {size: run_size(size, work, args.jobs if size <= args.all_jobs_up_to else [max(args.jobs)], rounds[size])
               for size in args.sizes}
    kept = args.results.read_text("utf-8").partition(QUERIES_SECTION)[1:] if args.results.exists() else ("", "")
    args.results.write_text(report(figures, rounds) + ("\n" + "".join(kept) if kept[0] else ""), "utf-8")
    print(f"written {args.results}")


if __name__ == "__main__":
    main()
