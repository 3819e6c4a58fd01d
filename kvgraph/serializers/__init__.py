"""Writers, one format per module, all built the same way so they can stream and run in parallel.

A format turns one document's triples into *chunks* of bytes with a pure function (so worker
processes can do it), and a Sink writes the chunks in input order. A chunk about shared things
(persons, parties, topics, ... see iris.is_shared) is marked shared; the Sink writes each
shared triple once when the format is a single graph (Turtle, N-Triples, JSON-LD), and the
dataset formats (N-Quads, TriG) keep them in every document's graph so each graph stands on
its own. Nothing holds the corpus in memory: only the shared chunks and triples already written.
"""

from __future__ import annotations

from typing import BinaryIO, Protocol

from ..terms import Triple, parse_ntriples
from . import jsonld, nquads, ntriples, trig, turtle
from .chunk import Chunk


class Format(Protocol):
    suffix: str
    separator: bytes

    def header(self) -> bytes: ...

    def chunks(self, graph: str, triples: list[Triple]) -> list[Chunk]: ...

    def footer(self) -> bytes: ...


FORMATS: dict[str, Format] = {
    "turtle": turtle.FORMAT,
    "nt": ntriples.FORMAT,
    "nquads": nquads.FORMAT,
    "trig": trig.FORMAT,
    "json-ld": jsonld.FORMAT,
}


class Sink:
    """Writes chunks in order to a binary stream, each distinct shared triple once."""

    def __init__(self, fmt: Format, out: BinaryIO) -> None:
        self._format = fmt
        self._out = out
        self._seen: set[bytes] = set()  # shared chunks written
        self._seen_keys: set[bytes] = set()  # shared triples written (Chunk.keys)
        self._first = True
        out.write(fmt.header())

    def write(self, chunks: list[Chunk]) -> int:
        """Write one document's chunks; returns the number of triples written.

        One write per document: standard output may be unbuffered (python -u), and a system
        call per chunk costs more than joining the chunks.
        """
        written = 0
        pieces: list[bytes] = []
        for chunk in chunks:
            for part in self._unwritten(chunk):
                if not self._first:
                    pieces.append(self._format.separator)
                pieces.append(part.data)
                self._first = False
                written += part.triples
        if pieces:
            self._out.write(b"".join(pieces))
        return written

    def _unwritten(self, chunk: Chunk) -> list[Chunk]:
        """The chunk, less the shared triples an earlier chunk wrote: none of it, all of it, or
        (rarely: a shared thing described differently by two documents) the rest re-encoded."""
        if not chunk.shared:
            return [chunk]
        if chunk.data in self._seen:
            return []
        self._seen.add(chunk.data)
        new = [key for key in chunk.keys if key not in self._seen_keys]
        self._seen_keys.update(new)
        if len(new) == len(chunk.keys):  # also a chunk without keys
            return [chunk]
        if not new:
            return []
        triples = parse_ntriples(b"".join(new))
        # The single-graph formats (the only ones with shared chunks) do not use the graph name.
        return [part for part in self._format.chunks(triples[0][0], triples) if part.triples]

    def close(self) -> None:
        self._out.write(self._format.footer())
        self._out.flush()
