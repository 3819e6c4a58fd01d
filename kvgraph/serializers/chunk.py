"""The unit writers exchange: serialized bytes of some triples of one document."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chunk:
    """Bytes of some triples of one document; `shared` ones may repeat across documents."""

    data: bytes
    triples: int
    shared: bool = False
