"""Dropping repeated descriptions of shared things when many documents go into one graph."""

from __future__ import annotations

from pyoxigraph import Triple


class SeenTriples:
    """Remembers triples already written whose subject is shared between documents.

    Only shared subjects (those outside `.../id/kamervraag/`) can repeat, so only they are
    remembered: the set grows with the number of persons, parties and topics, not documents.
    """

    def __init__(self) -> None:
        self._seen: set[Triple] = set()

    def new(self, triples: list[Triple]) -> list[Triple]:
        fresh = []
        for triple in triples:
            if "/id/kamervraag/" in triple.subject.value:
                fresh.append(triple)
            elif triple not in self._seen:
                self._seen.add(triple)
                fresh.append(triple)
        return fresh
