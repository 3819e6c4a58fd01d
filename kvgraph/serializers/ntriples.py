"""N-Triples: canonical, one triple a line (terms.py writes the lines)."""

from __future__ import annotations

from ..iris import is_shared
from ..terms import Triple, ntriples
from .chunk import Chunk, shared_chunk


def _lines(subject: str, group: list[Triple]) -> bytes:
    return ntriples(group)


class NTriples:
    suffix = ".nt"
    separator = b""

    def header(self) -> bytes:
        return b""

    def chunks(self, graph: str, triples: list[Triple]) -> list[Chunk]:
        """The document's own triples as one chunk; each shared subject's triples as a chunk of its own."""
        own: list[Triple] = []
        shared: dict[str, list[Triple]] = {}
        last, last_shared = None, False
        for triple in triples:
            subject = triple[0]
            if subject is not last:  # a subject's triples mostly come together: ask once
                last, last_shared = subject, is_shared(subject)
            if not last_shared:
                own.append(triple)
            elif subject in shared:
                shared[subject].append(triple)
            else:
                shared[subject] = [triple]
        return [Chunk(ntriples(own), len(own)),
                *(shared_chunk(_lines, subject, tuple(group)) for subject, group in shared.items())]

    def footer(self) -> bytes:
        return b""


FORMAT = NTriples()
