"""N-Quads: every document in its own named graph (the Kamervraag IRI), for bulk loading."""

from __future__ import annotations

from typing import BinaryIO

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, serialize


class NQuadsWriter:
    def __init__(self, out: BinaryIO) -> None:
        self._out = out

    def document(self, graph: NamedNode, triples: list[Triple]) -> int:
        serialize((Quad(t.subject, t.predicate, t.object, graph) for t in triples), self._out, RdfFormat.N_QUADS)
        return len(triples)

    def close(self) -> None:
        self._out.flush()
