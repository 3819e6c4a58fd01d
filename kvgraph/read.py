"""Reading inputs: expand files, folders and `-` into raw documents, and decode their bytes.

This is the only step that touches the file system on the way in. Decoding is strict on
purpose: a non-UTF-8 or binary file is reported with its position instead of being guessed
at, because a wrong guess would silently change characters of the published text.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pyoxigraph import Quad, RdfFormat, parse

from .model import Diagnostic, Source

STDIN = "-"
# A Kamervraag is a few kilobytes; anything near this is not one, and would only cost memory.
MAX_BYTES = 16 * 1024 * 1024
STDIN_NAME = "<stdin>"
DOCUMENT_SUFFIX = ".txt"


@dataclass(frozen=True)
class RawDocument:
    """The bytes of one input document and the name to report it under."""

    path: str
    data: bytes

    @property
    def source(self) -> Source:
        return Source(self.path, hashlib.sha256(self.data).hexdigest())


# What the pipeline reads: a path (`-` is standard input), or a document already read from a
# stream (the Python API's inputs); a RawDocument is plain data, so worker processes take it too.
Input = str | RawDocument


def expand_inputs(inputs: Iterable[Input]) -> Iterator[Input]:
    """Yield document paths: files as given, folders as all `*.txt` below them, sorted.

    Sorting makes the order (and so the output bytes) independent of the file system.
    Documents already read pass through as they are.
    """
    for item in inputs:
        if isinstance(item, str) and item != STDIN and os.path.isdir(item):
            yield from sorted(_documents_below(item))
        else:
            yield item


def _documents_below(folder: str) -> Iterator[str]:
    """Paths of all `*.txt` files below a folder (os.walk: fast on folders of 100k files)."""
    for parent, _, names in os.walk(folder):
        for name in names:
            if name.endswith(DOCUMENT_SUFFIX):
                yield os.path.join(parent, name).replace(os.sep, "/")


class TooLarge(ValueError):
    """A document over the size limit; it is not read into memory at all."""


def read_document(item: Input, max_bytes: int = MAX_BYTES) -> RawDocument:
    """Read one document's bytes; `-` reads standard input, a document already read is only
    measured. OSError and TooLarge are left to the caller."""
    if isinstance(item, RawDocument):
        raw, size = item, len(item.data)
    elif item == STDIN:
        raw = read_stream(sys.stdin.buffer, STDIN_NAME, max_bytes)
        size = len(raw.data)
    else:
        name = _os_name(item)
        size = os.stat(name).st_size
        raw = RawDocument(item, _read_bytes(name) if size <= max_bytes else b"")
    if size > max_bytes:
        raise TooLarge(f"the document is larger than the limit of {max_bytes} bytes (--max-bytes)")
    return raw


def read_stream(stream: IO[bytes] | IO[str], name: str, max_bytes: int = MAX_BYTES) -> RawDocument:
    """A document from an open stream, reported as `name`. At most one byte more than the limit
    is read, so read_document can refuse an endless stream without holding it; text is encoded
    as UTF-8 (a lone surrogate as its bytes, for decode() to report rather than a crash here)."""
    data = stream.read(max_bytes + 1)
    return RawDocument(name, data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)


def input_name(item: Input) -> str:
    """The name an input is reported under."""
    return item if isinstance(item, str) else item.path


def _os_name(path: str) -> str:
    """The name to open: pathlib, which read the files before, drops a trailing `/` or `/.` and
    reads `` as `.`; those rare names still go through it, the rest skip building Paths (two a
    file cost 5% of reading and parsing a document)."""
    return str(Path(path)) if not path or path.endswith(("/", "/.")) else path


def _read_bytes(name: str) -> bytes:
    with open(name, "rb") as stream:
        return stream.read()


def decode(raw: RawDocument) -> tuple[str | None, Diagnostic | None]:
    """Turn bytes into text with LF line ends and no BOM, or explain why that is impossible."""
    data = raw.data
    if not data.strip():
        return None, _error(raw.path, 1, "empty", "the file is empty")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, _error(raw.path, line, "binary", "binary data (a NUL byte); not a text document")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, _error(
            raw.path, line, "not-utf8",
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start} cannot be decoded",
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def _error(path: str, line: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, "error", code, message)


# RDF files that `validate` and `query` accept next to documents, by file suffix.
RDF_SUFFIXES = {
    ".ttl": "TURTLE", ".nt": "N_TRIPLES", ".nq": "N_QUADS", ".trig": "TRIG",
    ".jsonld": "JSON_LD", ".json": "JSON_LD", ".rdf": "RDF_XML", ".owl": "RDF_XML",
}


def is_rdf(path: str) -> bool:
    return Path(path).suffix.lower() in RDF_SUFFIXES


def read_rdf(path: str) -> list[Quad]:
    """Parse an RDF file with pyoxigraph, which never fetches remote JSON-LD contexts.

    Raises SyntaxError (bad RDF) or OSError (unreadable); the caller reports them.
    """
    fmt = getattr(RdfFormat, RDF_SUFFIXES[Path(path).suffix.lower()])
    with open(path, "rb") as stream:
        return list(parse(stream, format=fmt))


UNREADABLE = (-1, -1)  # the size and time of an input that cannot be stat'ed


def file_state(path: str) -> tuple[int, int]:
    """Size and modification time: what decides, without reading it, that an input is unchanged.
    An input that is not there gets UNREADABLE, so it is read (and reported) every run."""
    try:
        info = os.stat(path)
    except OSError:
        return UNREADABLE
    return info.st_size, info.st_mtime_ns


def file_sha256(path: str) -> bytes:
    """The digest of the input's bytes; empty when it cannot be read, so it never counts as unchanged."""
    try:
        with open(path, "rb") as stream:
            return hashlib.file_digest(stream, "sha256").digest()
    except OSError:
        return b""
