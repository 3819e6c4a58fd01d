"""Coverage-guided fuzzing of kvgraph's parser, mapping and writers with atheris.

Run by `make fuzz` (bounded time, seeded with examples/*.txt); not part of `make test` or CI.
Every input goes through what `kvgraph convert` does to a document: decode, parse, map, and
every writer, whose bytes pyoxigraph must read back with as many triples as were written.
Any exception is a finding: libFuzzer stops and saves the input as `crash-*` in the artifact
folder. Keep each one under tests/data/fuzz/ (tests/test_fuzz_regressions.py runs them all).

    python fuzz/fuzz_parse.py CORPUS_DIR -dict=fuzz/kamervraag.dict -max_total_time=60
    python fuzz/fuzz_parse.py crash-...            # run one input again
"""

from __future__ import annotations

import io
import sys

import atheris

with atheris.instrument_imports(include=["kvgraph"]):
    from pyoxigraph import RdfFormat, parse

    from kvgraph.mapping import kamervraag_iri, map_kamervraag
    from kvgraph.pipeline import parse_raw
    from kvgraph.read import RawDocument
    from kvgraph.serializers import FORMATS, Sink

READERS = {"turtle": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "nquads": RdfFormat.N_QUADS,
           "trig": RdfFormat.TRIG, "json-ld": RdfFormat.JSON_LD}


def test_one_input(data: bytes) -> None:
    """One document through the whole conversion; raises on anything but a clean result."""
    result = parse_raw(RawDocument("fuzz.txt", data))
    if result.kamervraag is None:
        if not any(d.is_error for d in result.diagnostics):
            raise AssertionError("document refused without an error diagnostic")
        return
    kv = result.kamervraag
    triples = map_kamervraag(kv)
    for fmt, writer in FORMATS.items():
        out = io.BytesIO()
        sink = Sink(writer, out)
        written = sink.write(writer.chunks(kamervraag_iri(kv.id), triples))
        sink.close()
        read = len(set(parse(out.getvalue(), format=READERS[fmt])))
        if read != written or written != len(triples):
            raise AssertionError(f"{fmt}: mapped {len(triples)} triples, wrote {written}, read back {read}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
