"""Writers, one format per module, all built the same way so they can stream and run in parallel.

A format turns one document's triples into *chunks* of bytes with a pure function (so worker
processes can do it), and a Sink writes the chunks in input order. A chunk about shared things
(persons, parties, topics, ... see iris.is_shared) is marked shared; the Sink writes each
distinct shared chunk once when the format is a single graph (Turtle, N-Triples, JSON-LD), and
the dataset formats (N-Quads, TriG) keep them in every document's graph so each graph stands on
its own. Nothing holds the corpus in memory: only the set of shared chunks already written.
"""

from __future__ import annotations

from typing import BinaryIO, Protocol

from pyoxigraph import NamedNode, Triple

from . import jsonld, nquads, ntriples, trig, turtle
from .chunk import Chunk


class Format(Protocol):
    suffix: str
    separator: bytes

    def header(self) -> bytes: ...

    def chunks(self, graph: NamedNode, triples: list[Triple]) -> list[Chunk]: ...

    def footer(self) -> bytes: ...


FORMATS: dict[str, Format] = {
    "turtle": turtle.FORMAT,
    "nt": ntriples.FORMAT,
    "nquads": nquads.FORMAT,
    "trig": trig.FORMAT,
    "json-ld": jsonld.FORMAT,
}


class Sink:
    """Writes chunks in order to a binary stream, each distinct shared chunk once."""

    def __init__(self, fmt: Format, out: BinaryIO) -> None:
        self._format = fmt
        self._out = out
        self._seen: set[bytes] = set()
        self._first = True
        out.write(fmt.header())

    def write(self, chunks: list[Chunk]) -> int:
        """Write one document's chunks; returns the number of triples written."""
        written = 0
        for chunk in chunks:
            if chunk.shared:
                if chunk.data in self._seen:
                    continue
                self._seen.add(chunk.data)
            if not self._first:
                self._out.write(self._format.separator)
            self._out.write(chunk.data)
            self._first = False
            written += chunk.triples
        return written

    def close(self) -> None:
        self._out.write(self._format.footer())
        self._out.flush()
