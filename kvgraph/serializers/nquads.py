"""N-Quads: every document in its own named graph (the Kamervraag IRI), for bulk loading."""

from __future__ import annotations

from ..terms import Triple, nt_lines
from .chunk import Chunk


class NQuads:
    suffix = ".nq"
    separator = b""

    def header(self) -> bytes:
        return b""

    def chunks(self, graph: str, triples: list[Triple]) -> list[Chunk]:
        return [Chunk("".join(nt_lines(triples, graph)).encode(), len(triples))]

    def footer(self) -> bytes:
        return b""


FORMAT = NQuads()
