"""Writers, one format per module, all with the same streaming interface.

A writer is opened on a binary stream, receives one document at a time (its graph name and
its triples, as the mapping made them) and is closed at the end. None of them holds the whole
corpus: each writes a document's triples as they arrive, so memory stays flat however large
the input. Writers of a single graph (Turtle, N-Triples, JSON-LD) drop the descriptions of
shared things (persons, parties, topics, ...) they have already written; the dataset formats
(N-Quads, TriG) keep them in every graph so each graph stands on its own.
"""

from __future__ import annotations

from typing import BinaryIO, Protocol

from pyoxigraph import NamedNode, Triple

from .jsonld import JsonLdWriter
from .nquads import NQuadsWriter
from .ntriples import NTriplesWriter
from .trig import TriGWriter
from .turtle import TurtleWriter


class Writer(Protocol):
    def document(self, graph: NamedNode, triples: list[Triple]) -> int:
        """Write one document; return how many triples were written (repeats dropped)."""

    def close(self) -> None: ...


WRITERS: dict[str, type] = {
    "turtle": TurtleWriter,
    "nt": NTriplesWriter,
    "nquads": NQuadsWriter,
    "trig": TriGWriter,
    "json-ld": JsonLdWriter,
}
SUFFIXES = {"turtle": ".ttl", "nt": ".nt", "nquads": ".nq", "trig": ".trig", "json-ld": ".jsonld"}


def open_writer(fmt: str, out: BinaryIO) -> Writer:
    """A writer for `fmt` (a key of WRITERS) on the binary stream `out`."""
    return WRITERS[fmt](out)
