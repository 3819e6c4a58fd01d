"""The unit writers exchange: serialized bytes of some triples of one document."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode, RdfFormat, Triple, serialize

from ..iris import is_shared


@dataclass(frozen=True)
class Chunk:
    """Bytes of some triples of one document; `shared` ones may repeat across documents.

    `keys` (shared chunks only) are the N-Triples lines of the chunk's triples: two documents
    can describe one shared thing differently (a name spelled `Van der Werf` and `van der Werf`
    has one IRI), and a Sink uses the keys to write only the triples not yet written.
    """

    data: bytes
    triples: int
    shared: bool = False
    keys: tuple[bytes, ...] = ()


def lines(data: bytes) -> tuple[bytes, ...]:
    """The lines of N-Triples bytes, each with its line end (literals never hold a raw one)."""
    return tuple(line + b"\n" for line in data.split(b"\n") if line)


def shared_keys(triples: list[Triple]) -> dict[NamedNode, tuple[bytes, ...]]:
    """For each shared subject among the triples, the keys of its triples (see Chunk.keys)."""
    shared = [t for t in triples if is_shared(t.subject.value)]
    keys: dict[NamedNode, list[bytes]] = {}
    for triple, line in zip(shared, lines(serialize(shared, format=RdfFormat.N_TRIPLES)), strict=True):
        keys.setdefault(triple.subject, []).append(line)
    return {subject: tuple(found) for subject, found in keys.items()}
