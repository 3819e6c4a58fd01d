"""The unit writers exchange: serialized bytes of some triples of one document."""

from __future__ import annotations

from typing import NamedTuple

from ..iris import is_shared
from ..terms import Triple, nt_lines


class Chunk(NamedTuple):
    """Bytes of some triples of one document; `shared` ones may repeat across documents.

    `keys` (shared chunks only) are the N-Triples lines of the chunk's triples: two documents
    can describe one shared thing differently (a name spelled `Van der Werf` and `van der Werf`
    has one IRI), and a Sink uses the keys to write only the triples not yet written.

    A named tuple rather than a frozen dataclass: a document makes about thirty, each pickled
    from a worker and unpickled by the writer, and a tuple is cheaper to make and to pickle.
    """

    data: bytes
    triples: int
    shared: bool = False
    keys: tuple[bytes, ...] = ()


def by_subject(triples: list[Triple]) -> dict[str, list[Triple]]:
    """Each subject's triples, subjects in order of first appearance.

    One dict lookup a triple, and no throw-away list as `setdefault(subject, [])` would make.
    """
    groups: dict[str, list[Triple]] = {}
    for triple in triples:
        group = groups.get(triple[0])
        if group is None:
            groups[triple[0]] = [triple]
        else:
            group.append(triple)
    return groups


def subject_chunk(data: bytes, subject: str, group: list[Triple]) -> Chunk:
    """The chunk of one subject's triples: shared, with the keys (see Chunk.keys), when the subject is.

    Asked once a subject rather than once a triple: a document has about six triples a subject.
    """
    if not is_shared(subject):
        return Chunk(data, len(group))
    return Chunk(data, len(group), shared=True, keys=tuple(line.encode() for line in nt_lines(group)))
