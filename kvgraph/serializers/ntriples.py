"""N-Triples: canonical, one triple a line (terms.py writes the lines)."""

from __future__ import annotations

from ..iris import is_shared
from ..terms import Triple, nt_lines
from .chunk import Chunk


class NTriples:
    suffix = ".nt"
    separator = b""

    def header(self) -> bytes:
        return b""

    def chunks(self, graph: str, triples: list[Triple]) -> list[Chunk]:
        """The document's own triples as one chunk; each shared subject's triples as a chunk of its own."""
        own: list[str] = []
        shared: dict[str, list[bytes]] = {}
        last, last_shared = None, False
        for (subject, _, _), line in zip(triples, nt_lines(triples), strict=True):
            if subject is not last:  # a subject's triples mostly come together: ask once
                last, last_shared = subject, is_shared(subject)
            if last_shared:
                shared.setdefault(subject, []).append(line.encode())
            else:
                own.append(line)
        chunks = [Chunk("".join(own).encode(), len(own))]
        chunks += [Chunk(b"".join(keys), len(keys), shared=True, keys=tuple(keys)) for keys in shared.values()]
        return chunks

    def footer(self) -> bytes:
        return b""


FORMAT = NTriples()
