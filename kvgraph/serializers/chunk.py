"""The unit writers exchange: serialized bytes of some triples of one document."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
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


def merged(chunks: list[Chunk], separator: bytes) -> tuple[Chunk, ...]:
    """The chunks with each run of unshared ones joined into one, as a Sink would write them.

    A worker hands every document's chunks to the writer process; a Turtle document has about
    thirty, and one pickled object per chunk cost more than the bytes in it.
    """
    out: list[Chunk] = []
    run: list[Chunk] = []
    for chunk in chunks:
        if chunk.shared:
            if run:
                out.append(_joined(run, separator))
                run = []
            out.append(chunk)
        else:
            run.append(chunk)
    if run:
        out.append(_joined(run, separator))
    return tuple(out)


def _joined(run: list[Chunk], separator: bytes) -> Chunk:
    if len(run) == 1:
        return run[0]
    return Chunk(separator.join(chunk.data for chunk in run), sum(chunk.triples for chunk in run))


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


def subject_chunks(triples: list[Triple], encode: Callable[[str, list[Triple]], bytes]) -> list[Chunk]:
    """One chunk a subject, subjects in order of first appearance, `encode` writing a subject's triples.

    A shared subject's chunk (with its keys, see Chunk.keys) is remembered per process: persons,
    parties, offices and topics come back document after document with the same triples, and
    encoding them again cost a third of a Turtle writer's time. The memory is bounded (the
    least recently used go first), so a corpus of many thousands of persons stays within it.
    """
    return [shared_chunk(encode, subject, tuple(group)) if is_shared(subject) else Chunk(encode(subject, group), len(group))
            for subject, group in by_subject(triples).items()]


@lru_cache(maxsize=4096)
def shared_chunk(encode: Callable[[str, list[Triple]], bytes], subject: str, group: tuple[Triple, ...]) -> Chunk:
    """The chunk of a shared subject's triples (a tuple: the key of the memory)."""
    return Chunk(encode(subject, list(group)), len(group), shared=True, keys=shared_keys(group))


def shared_keys(group: Iterable[Triple]) -> tuple[bytes, ...]:
    """The keys of a shared chunk: its triples as N-Triples lines."""
    return tuple(line.encode() for line in nt_lines(group))
