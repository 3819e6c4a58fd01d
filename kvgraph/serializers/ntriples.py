"""N-Triples: canonical, one triple a line, written by pyoxigraph's serializer."""

from __future__ import annotations

from pyoxigraph import NamedNode, RdfFormat, Triple, serialize

from ..iris import is_shared
from .chunk import Chunk


class NTriples:
    suffix = ".nt"
    separator = b""

    def header(self) -> bytes:
        return b""

    def chunks(self, graph: NamedNode, triples: list[Triple]) -> list[Chunk]:
        """The document's own triples as one chunk; each shared triple as a chunk of its own."""
        own = [t for t in triples if not is_shared(t.subject.value)]
        chunks = [Chunk(serialize(own, format=RdfFormat.N_TRIPLES), len(own))]
        chunks += [Chunk(serialize([t], format=RdfFormat.N_TRIPLES), 1, shared=True)
                   for t in triples if is_shared(t.subject.value)]
        return chunks

    def footer(self) -> bytes:
        return b""


FORMAT = NTriples()
