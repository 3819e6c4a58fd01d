"""N-Triples: canonical, one triple a line, written by pyoxigraph's serializer."""

from __future__ import annotations

from pyoxigraph import NamedNode, RdfFormat, Triple, serialize

from ..iris import is_shared
from .chunk import Chunk, lines


class NTriples:
    suffix = ".nt"
    separator = b""

    def header(self) -> bytes:
        return b""

    def chunks(self, graph: NamedNode, triples: list[Triple]) -> list[Chunk]:
        """The document's own triples as one chunk; each shared subject's triples as a chunk of its own."""
        own: list[Triple] = []
        shared: dict[NamedNode, list[Triple]] = {}
        for triple in triples:
            subject = triple.subject
            if is_shared(subject.value):
                shared.setdefault(subject, []).append(triple)
            else:
                own.append(triple)
        chunks = [Chunk(serialize(own, format=RdfFormat.N_TRIPLES), len(own))]
        for group in shared.values():
            data = serialize(group, format=RdfFormat.N_TRIPLES)
            chunks.append(Chunk(data, len(group), shared=True, keys=lines(data)))
        return chunks

    def footer(self) -> bytes:
        return b""


FORMAT = NTriples()
