"""TriG: the Turtle blocks of each document inside a graph named by its Kamervraag IRI."""

from __future__ import annotations

from ..terms import Triple
from .chunk import Chunk
from .turtle import header, iri, subject_blocks


class TriG:
    suffix = ".trig"
    separator = b"\n"

    def header(self) -> bytes:
        return header() + b"\n"

    def chunks(self, graph: str, triples: list[Triple]) -> list[Chunk]:
        blocks = "\n".join(block for _, _, block in subject_blocks(triples, indent="    "))
        return [Chunk(f"{iri(graph)} {{\n{blocks}}}\n".encode(), len(triples))]

    def footer(self) -> bytes:
        return b""


FORMAT = TriG()
