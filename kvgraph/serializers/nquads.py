"""N-Quads: every document in its own named graph (the Kamervraag IRI), for bulk loading."""

from __future__ import annotations

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, serialize

from .chunk import Chunk


class NQuads:
    suffix = ".nq"
    separator = b""

    def header(self) -> bytes:
        return b""

    def chunks(self, graph: NamedNode, triples: list[Triple]) -> list[Chunk]:
        quads = [Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        return [Chunk(serialize(quads, format=RdfFormat.N_QUADS), len(quads))]

    def footer(self) -> bytes:
        return b""


FORMAT = NQuads()
