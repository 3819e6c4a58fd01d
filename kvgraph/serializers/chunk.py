"""The unit writers exchange: serialized bytes of some triples of one document."""

from __future__ import annotations

from dataclasses import dataclass

from ..iris import is_shared
from ..terms import Triple, nt_lines


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


def shared_keys(triples: list[Triple]) -> dict[str, tuple[bytes, ...]]:
    """For each shared subject among the triples, the keys of its triples (see Chunk.keys)."""
    shared = [t for t in triples if is_shared(t[0])]
    keys: dict[str, list[bytes]] = {}
    for (subject, _, _), line in zip(shared, nt_lines(shared), strict=True):
        keys.setdefault(subject, []).append(line.encode())
    return {subject: tuple(found) for subject, found in keys.items()}
