"""N-Triples: canonical, one triple a line, written by pyoxigraph's serializer."""

from __future__ import annotations

from typing import BinaryIO

from pyoxigraph import NamedNode, RdfFormat, Triple, serialize

from .dedupe import SeenTriples


class NTriplesWriter:
    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._seen = SeenTriples()

    def document(self, graph: NamedNode, triples: list[Triple]) -> int:
        fresh = self._seen.new(triples)
        serialize(fresh, self._out, RdfFormat.N_TRIPLES)
        return len(fresh)

    def close(self) -> None:
        self._out.flush()
