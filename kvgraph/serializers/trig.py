"""TriG: the Turtle blocks of each document inside a graph named by its Kamervraag IRI."""

from __future__ import annotations

from typing import BinaryIO

from pyoxigraph import NamedNode, Triple

from .turtle import blocks, header, iri


class TriGWriter:
    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        out.write(header().encode())

    def document(self, graph: NamedNode, triples: list[Triple]) -> int:
        self._out.write(f"\n{iri(graph)} {{\n{blocks(triples, indent='    ')}}}\n".encode())
        return len(triples)

    def close(self) -> None:
        self._out.flush()
