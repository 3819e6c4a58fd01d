"""The embedded store: an on-disk Oxigraph store with every triple in the default graph, and a
record of what each Kamervraag wrote, so that one Kamervraag can still be replaced or removed.

Why the default graph: Oxigraph keeps three indexes for the default graph and six for named
graphs, and queries over the union of named graphs cannot use its fastest plans. On 100,000
documents a store with one named graph per Kamervraag bulk-loaded in 244 s and answered a count
of all question texts in 37-66 s; the same triples in the default graph loaded in 63 s and
answered in 9-13 s (docs/load.md).

What the record (`kvgraph-record.sqlite` in the store's folder) keeps:
- per Kamervraag, a digest of its triples and which shared triples it wrote. Its own triples are
  not kept: they are the triples of the nodes minted from its zaaknummer and of its question and
  answer documents, found in the store by following its links, so replacing it reads them back
  and writes the difference;
- which Kamervraag each question and answer document belongs to (a second Kamervraag that names
  the same document is refused: removing one would take the other's document away);
- per shared triple (persons, parties, offices, ministries, topics), how many Kamervragen wrote
  it: it leaves the store when the last of them is removed;
- per input file, its size, time and SHA-256: a re-load does not even parse an unchanged file.

Writes are ordered so that an interruption can only leave a shared triple behind that no
Kamervraag needs any more, never take away one that is needed: counts go up before the store
is written and down after, every write of a Kamervraag adds all its shared triples again, and an
input is recorded as loaded only after its triples are in. A first load into an empty store uses
Oxigraph's bulk loader; if that is interrupted, the next load starts again from an empty store.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import queue
import sqlite3
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from pyoxigraph import DefaultGraph, NamedNode, RdfFormat, Store, serialize

from .linking import reference_digest
from .model import Diagnostic
from .pipeline import Options, Outcome, duplicate, outcomes
from .read import STDIN, expand_inputs, file_sha256, file_state
from .vocab import KV

RECORD = "kvgraph-record.sqlite"
# Triples handed to Oxigraph's bulk loader at a time: its memory grows with what one call is given
# (1 GB for 1.1M triples, 330 MB in calls of 250k, benchmarks/RESULTS.md).
BULK_CHUNK = 400_000
VERSION = 1
# The sources whose change changes the triples of a document: a store loaded by another version
# of them has all its inputs loaded again.
_MAPPING_SOURCES = ("parser.py", "mapping.py", "defaults.py", "iris.py", "terms.py", "topics.py", "vocab.py", "linking.py",
                    "reconciliation.py", "reference/__init__.py", "data/owms-themes.csv", "data/kvgraph.shapes.ttl")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS kamervraag (iri TEXT PRIMARY KEY, shared BLOB NOT NULL, digest BLOB NOT NULL,
                                       triples INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS shared (id INTEGER PRIMARY KEY, line BLOB UNIQUE NOT NULL, count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS document (subject TEXT PRIMARY KEY, iri TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS input (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                                  sha256 BLOB NOT NULL, iri TEXT NOT NULL, diagnostics TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS document_iri ON document (iri);
CREATE INDEX IF NOT EXISTS input_iri ON input (iri);
"""


class StoreError(Exception):
    """A store that cannot be opened or written; the text is one line, safe to show."""


@dataclass
class Written:
    """What the record knows of one Kamervraag: the ids of its shared triples, a digest of all its triples."""

    shared: list[int]
    digest: bytes
    triples: int


class Shared:
    """The shared triples with their counts, read from the record once per load (some thousands of rows)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.ids: dict[bytes, int] = {}
        self.count: dict[int, int] = {}
        self.line: dict[int, bytes] = {}
        for key, line, count in db.execute("SELECT id, line, count FROM shared"):
            self.ids[line], self.count[key], self.line[key] = key, count, line

    def id_of(self, line: bytes) -> int:
        """The id of a shared triple, recorded (with count 0) when it is new."""
        key = self.ids.get(line)
        if key is None:
            key = self.db.execute("INSERT INTO shared (line, count) VALUES (?, 0)", (line,)).lastrowid or 0
            self.ids[line], self.count[key], self.line[key] = key, 0, line
        return key

    def data(self, keys: Iterable[int]) -> bytes:
        return b"".join(self.line[k] + b"\n" for k in sorted(set(keys)))

    def save(self, keys: Iterable[int]) -> None:
        """Write the counts of `keys`; a shared triple no Kamervraag writes any more leaves the record."""
        for key in set(keys):
            if self.count[key] > 0:
                self.db.execute("UPDATE shared SET count = ? WHERE id = ?", (self.count[key], key))
            else:
                self.db.execute("DELETE FROM shared WHERE id = ?", (key,))
                del self.ids[self.line.pop(key)], self.count[key]


class Counts(Protocol):
    """What a store load counts: a kvgraph.loader.LoadSummary is one."""

    loaded: int
    replaced: int
    unchanged: int
    triples: int


def mapping_identity(serializers: bool = False) -> str:
    """A digest of the code and data that decide a document's triples (and, with `serializers`,
    the bytes they are written as)."""
    package = resources.files("kvgraph")
    names = list(_MAPPING_SOURCES)
    if serializers:
        names += sorted(f"serializers/{f.name}" for f in package.joinpath("serializers").iterdir() if f.name.endswith(".py"))
    digest = hashlib.sha256()
    for name in names:
        digest.update(package.joinpath(name).read_bytes())
    return digest.hexdigest()


class Record:
    """The SQLite record next to the store's files (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.db = sqlite3.connect(folder / RECORD, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def written(self, iri: str) -> Written | None:
        row = self.db.execute("SELECT shared, digest, triples FROM kamervraag WHERE iri = ?", (iri,)).fetchone()
        return None if row is None else Written(array("I", row[0]).tolist(), row[1], row[2])

    def kamervragen(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT iri FROM kamervraag ORDER BY iri")]

    def documents(self, iri: str) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT subject FROM document WHERE iri = ?", (iri,))}

    def owner(self, subject: str) -> str | None:
        row = self.db.execute("SELECT iri FROM document WHERE subject = ?", (subject,)).fetchone()
        return row[0] if row else None


    def inputs(self) -> dict[str, tuple[int, int, bytes, str, str, int]]:
        """Per input path: size, time, SHA-256, Kamervraag, its diagnostics (JSON) and triples."""
        return {row[0]: row[1:] for row in self.db.execute(
            "SELECT path, size, mtime_ns, sha256, input.iri, diagnostics, coalesce(triples, 0) "
            "FROM input LEFT JOIN kamervraag ON kamervraag.iri = input.iri")}

    def clear(self) -> None:
        for table in ("meta", "kamervraag", "shared", "document", "input"):
            self.db.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)

    def close(self) -> None:
        self.db.close()


def _settings(options: Options) -> str:
    settings: dict[str, Any] = asdict(options)
    settings.pop("fmt")
    settings["mapping"] = mapping_identity()
    settings["reference"] = reference_digest(options.reference)
    return json.dumps(settings, sort_keys=True)


class _Loader:
    """Oxigraph's bulk loader in a thread of its own, fed N-Triples a chunk at a time.

    The loader works without the GIL, so this process goes on receiving and recording documents
    from the workers meanwhile (two cores' work at once), and a chunk at a time keeps its memory
    bounded (one call holds all it is given until it writes). Waits are short and repeated, so
    Ctrl-C and SIGTERM reach this thread at once; the loader thread is a daemon and dies with it.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.chunks: queue.Queue[bytes | None] = queue.Queue(1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _Loader:
        self.thread.start()
        return self

    def _run(self) -> None:
        try:
            while (chunk := self.chunks.get()) is not None:
                if chunk:
                    self.store.bulk_load(input=chunk, format=RdfFormat.N_TRIPLES)
            # Each chunk lands as files of its own that every string lookup would search in turn;
            # compacting them into one sorted run makes the listings two to three times faster.
            self.store.optimize()
        except BaseException as exc:  # noqa: BLE001 - raised again in the feeding thread
            self.error = exc

    def put(self, chunk: bytes | None) -> None:
        while self.error is None and self.thread.is_alive():
            try:
                self.chunks.put(chunk, timeout=0.1)
                return
            except queue.Full:
                continue
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        if kind is not None:
            return  # interrupted or failed: the daemon thread dies with the process; the next load starts over
        self.put(None)
        while self.thread.is_alive():
            self.thread.join(timeout=0.1)
        self._raise()


@dataclass
class Document:
    """One converted document, split as the store keeps it."""

    path: str
    iri: str
    own: bytes  # N-Triples of the triples only this Kamervraag writes
    shared: list[bytes]  # N-Triples lines of the triples it shares with others
    digest: bytes
    triples: int
    documents: list[str]  # its question and answer documents
    sha256: bytes  # of the input
    diagnostics: tuple[Diagnostic, ...]
    shared_ids: list[int] = field(default_factory=list)  # the record's ids of `shared`, once known

    @staticmethod
    def of(outcome: Outcome, iri: str) -> Document:
        chunks = outcome.chunks or ()
        own = b"".join(chunk.data for chunk in chunks if not chunk.shared)
        shared = [key for chunk in chunks if chunk.shared for key in chunk.keys]
        digest = hashlib.sha256(own + b"".join(sorted(shared))).digest()
        documents = [_object(own, f"<{iri}> <{p}> <".encode()) for p in (KV.questionDocument, KV.answerDocument)]
        sha256 = bytes.fromhex(_object(own, f"<{KV.sha256}> \"".encode(), b'"') or "") or file_sha256(outcome.path)
        return Document(outcome.path, iri, own, shared, digest, sum(chunk.triples for chunk in chunks),
                        sorted(d for d in documents if d), sha256, outcome.diagnostics)


def _object(data: bytes, start: bytes, end: bytes = b">") -> str | None:
    """The text after `start` up to `end` on the first line that has it (a bytes search, no parsing)."""
    at = data.find(start)
    if at < 0:
        return None
    at += len(start)
    return data[at:data.index(end, at)].decode()


class StoreTarget:
    """An on-disk Oxigraph store, created if missing, with its record (see the module docstring)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        folder = Path(path)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.store = Store(str(folder))
            if not (folder / RECORD).exists() and not self._empty():
                del self.store
                raise StoreError(f"{path} was loaded by an older kvgraph (one named graph per Kamervraag) or by "
                                 "another program; load into a new folder")
            self.record = Record(folder)
            if self.record.get("version") not in (None, str(VERSION)):
                raise StoreError(f"{path} has a record of another kvgraph ({RECORD} version "
                                 f"{self.record.get('version')}); load into a new folder")
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open store {path}: {_first_line(str(exc))}") from None
        self.path = str(path)
        self.shared: Shared | None = None

    def _empty(self) -> bool:
        return next(iter(self.store.quads_for_pattern(None, None, None, None)), None) is None

    # -- loading ------------------------------------------------------------------------------

    def load(self, inputs: Iterable[str], options: Options, jobs: int, batch_size: int, counts: Counts,
             on_outcome: Callable[[Outcome], None]) -> set[str]:
        """Load the inputs, counting in `counts`; `on_outcome` sees each input's outcome in input
        order. Returns the Kamervragen the inputs gave (for prune)."""
        try:
            self._recover()
            settings = _settings(options)
            if self.record.get("settings") != settings:
                self.record.db.execute("DELETE FROM input")
                self.record.put("settings", settings)
            self.record.put("version", str(VERSION))
            given = self._load(list(expand_inputs(inputs)), options, jobs, batch_size, counts, on_outcome)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot write to store {self.path}: {_first_line(str(exc))}") from None
        return given

    def _recover(self) -> None:
        """An interrupted first (bulk) load leaves an incomplete store that was empty before: empty it again."""
        if self.record.get("state") == "bulk":
            self.store.clear()
            self.record.clear()

    def _load(self, paths: list[str], options: Options, jobs: int, batch_size: int, counts: Counts,
              on_outcome: Callable[[Outcome], None]) -> set[str]:
        """Skip unchanged inputs, convert the rest and write them; returns the Kamervragen the inputs give."""
        known = self.record.inputs()
        pending = [p for p in paths if p == STDIN or not _unchanged(known.get(p), p)]
        waiting = set(pending)
        converted = outcomes(pending, options, jobs, check_duplicates=False)
        seen: dict[str, str] = {}
        documents = self._documents(paths, waiting, known, converted, options.base, seen, counts, on_outcome)
        if self._empty() and self.record.db.execute("SELECT 1 FROM kamervraag LIMIT 1").fetchone() is None:
            self._bulk(documents, counts)
        else:
            self._incremental(documents, counts, batch_size)
        return set(seen)

    def _documents(self, paths: list[str], waiting: set[str], known: dict[str, tuple[int, int, bytes, str, str, int]],
                   converted: Iterator[Outcome], base: str, seen: dict[str, str], counts: Counts,
                   on_outcome: Callable[[Outcome], None]) -> Iterator[Document]:
        """Every input in input order: unchanged ones counted from the record, the others converted."""
        from .mapping import kamervraag_iri

        claimed: dict[str, str] = {}  # document subjects of this run's Kamervragen
        for path in paths:
            if path not in waiting:
                _, _, _, iri, stored, triples = known[path]
                diagnostics = tuple(Diagnostic(**d) for d in json.loads(stored)) if stored != "[]" else ()
                outcome = Outcome(path, iri.rsplit("/", 1)[-1], diagnostics, ())
                if iri in seen:
                    outcome = _refused(outcome, duplicate(path, outcome.id or "", seen[iri]))
                else:
                    seen[iri] = path
                    counts.loaded += 1
                    counts.unchanged += 1
                    counts.triples += triples
                on_outcome(outcome)
                continue
            outcome = next(converted)
            if outcome.chunks is None or outcome.id is None:
                on_outcome(outcome)
                continue
            iri = kamervraag_iri(outcome.id, base)
            document = Document.of(outcome, iri)
            clash = next(((s, o) for s in document.documents
                          if (o := claimed.get(s) or self.record.owner(s)) not in (None, iri)), None)
            if iri in seen:
                outcome = _refused(outcome, duplicate(path, outcome.id, seen[iri]))
            elif clash is not None:
                outcome = _refused(outcome, Diagnostic(path, 1, "error", "shared-document",
                                                       f"document <{clash[0]}> already belongs to <{clash[1]}>"))
            on_outcome(outcome)
            if outcome.chunks is None:
                continue
            seen[iri] = path
            claimed.update((s, iri) for s in document.documents)
            counts.loaded += 1
            counts.triples += document.triples
            yield document

    def _bulk(self, documents: Iterator[Document], counts: Counts) -> None:
        """A first load: everything through Oxigraph's bulk loader, the record written alongside."""
        self.record.put("state", "bulk")
        ids: dict[bytes, int] = {}
        tally: dict[int, int] = {}
        rows: list[Document] = []
        parts: list[bytes] = []
        size = 0
        # The first document before the loader's thread: the workers are forked then, from a
        # process that runs no other thread (kvgraph.workers).
        first = next(documents, None)
        with _Loader(self.store) as loader:
            for document in itertools.chain([first] if first else [], documents):
                parts.append(document.own)
                for line in document.shared:
                    key = ids.get(line)
                    if key is None:
                        key = ids[line] = len(ids) + 1
                        parts.append(line + b"\n")
                    tally[key] = tally.get(key, 0) + 1
                    document.shared_ids.append(key)
                rows.append(document)
                size += document.triples
                if len(rows) >= 1000:
                    self._write_rows(rows)
                if size >= BULK_CHUNK:
                    loader.put(b"".join(parts))
                    parts, size = [], 0
            loader.put(b"".join(parts))
        self._write_rows(rows)
        self.record.db.execute("BEGIN")
        self.record.db.executemany("INSERT INTO shared VALUES (?, ?, ?)", ((k, line, tally[k]) for line, k in ids.items()))
        self.record.put("state", "")
        self.record.db.execute("COMMIT")

    def _write_rows(self, rows: list[Document]) -> None:
        """The record of bulk-loaded Kamervragen (their shared triples are counted at the end)."""
        db = self.record.db
        db.execute("BEGIN")
        db.executemany("INSERT OR REPLACE INTO kamervraag VALUES (?, ?, ?, ?)",
                       ((d.iri, array("I", d.shared_ids).tobytes(), d.digest, d.triples) for d in rows))
        db.executemany("INSERT OR REPLACE INTO document VALUES (?, ?)", ((s, d.iri) for d in rows for s in d.documents))
        db.executemany("INSERT OR REPLACE INTO input VALUES (?, ?, ?, ?, ?, ?)",
                       (_input_row(d) for d in rows if d.path != STDIN))
        db.execute("COMMIT")
        rows.clear()

    def _incremental(self, documents: Iterator[Document], counts: Counts, batch_size: int) -> None:
        """Later loads: each changed Kamervraag written by difference, in batches of about `batch_size` triples."""
        batch: list[Document] = []
        size = 0
        for document in documents:
            batch.append(document)
            size += document.triples
            if size >= batch_size:
                self._write_batch(batch, counts)
                batch, size = [], 0
        if batch:
            self._write_batch(batch, counts)

    def _write_batch(self, batch: list[Document], counts: Counts) -> None:
        shared = self._shared()
        db = self.record.db
        changes: list[tuple[Document, Written | None, list[int]]] = []
        for document in batch:
            old = self.record.written(document.iri)
            if old is not None and old.digest == document.digest:
                counts.unchanged += 1
                self._save_input(document)
                continue
            counts.replaced += old is not None
            changes.append((document, old, [shared.id_of(line) for line in document.shared]))
        if not changes:
            return
        # 1. Counts up first: an interruption can then only leave triples behind.
        db.execute("BEGIN")
        for document, _, keys in changes:
            for key in keys:
                shared.count[key] += 1
            self._save_kamervraag(document, keys, b"", 0)
            db.execute("DELETE FROM input WHERE path = ?", (document.path,))
        shared.save(k for _, _, keys in changes for k in keys)
        db.execute("COMMIT")
        # 2. The store: stale triples out, new ones in (a written Kamervraag's shared triples always).
        # Compared as N-Triples lines and written as text, not as one pyoxigraph object per triple.
        stale: list[bytes] = []
        added: list[bytes] = []
        released: list[int] = []
        for document, old, keys in changes:
            new = set(document.own.splitlines())
            before = self._owned(document.iri) if old else set()
            stale += before - new
            added += new - before
            added.append(shared.data(keys))
            for key in old.shared if old else ():
                shared.count[key] -= 1
                released.append(key)
        stale.append(shared.data(k for k in released if shared.count[k] <= 0))
        if any(stale):
            self.store.update(b"\n".join([b"DELETE DATA {", *stale, b"}"]).decode())
        self.store.load(b"\n".join(added), format=RdfFormat.N_TRIPLES)
        # 3. The new state, counts down.
        db.execute("BEGIN")
        for document, _, keys in changes:
            self._save_kamervraag(document, keys, document.digest, document.triples)
            db.execute("DELETE FROM document WHERE iri = ?", (document.iri,))
            db.executemany("INSERT OR REPLACE INTO document VALUES (?, ?)", ((d, document.iri) for d in document.documents))
            self._save_input(document)
        shared.save(released)
        db.execute("COMMIT")

    def _save_kamervraag(self, document: Document, keys: list[int], digest: bytes, triples: int) -> None:
        self.record.db.execute("INSERT OR REPLACE INTO kamervraag VALUES (?, ?, ?, ?)",
                               (document.iri, array("I", keys).tobytes(), digest, triples))

    def _save_input(self, document: Document) -> None:
        if document.path != STDIN:
            self.record.db.execute("INSERT OR REPLACE INTO input VALUES (?, ?, ?, ?, ?, ?)", _input_row(document))

    def _shared(self) -> Shared:
        if self.shared is None:
            self.shared = Shared(self.record.db)
        return self.shared

    def _owned(self, iri: str) -> set[bytes]:
        """The Kamervraag's own triples in the store, as N-Triples lines: those of every node reached
        from it by links to nodes minted from its zaaknummer or to its documents (its questions,
        their answers, ...)."""
        documents = {d.encode() for d in self.record.documents(iri)}
        prefix = (iri + "/").encode()
        found: set[bytes] = set()
        todo, seen = [iri.encode()], {iri.encode()}
        while todo:
            quads = self.store.quads_for_pattern(NamedNode(todo.pop().decode()), None, None, DefaultGraph())
            for line in serialize(quads, format=RdfFormat.N_QUADS).splitlines():
                found.add(line)
                target = _object_iri(line)
                if target is not None and target not in seen and (target.startswith(prefix) or target in documents):
                    seen.add(target)
                    todo.append(target)
        return found

    # -- removing -----------------------------------------------------------------------------

    def _delete(self, iri: str) -> bool:
        """Remove one Kamervraag: its own triples, and the shared ones no other Kamervraag writes."""
        old = self.record.written(iri)
        if old is None:
            return False
        shared = self._shared()
        for key in old.shared:
            shared.count[key] -= 1
        stale = [*self._owned(iri), shared.data(k for k in old.shared if shared.count[k] <= 0)]
        self.store.update(b"\n".join([b"DELETE DATA {", *stale, b"}"]).decode())
        db = self.record.db
        db.execute("BEGIN")
        shared.save(old.shared)
        db.execute("DELETE FROM kamervraag WHERE iri = ?", (iri,))
        db.execute("DELETE FROM document WHERE iri = ?", (iri,))
        db.execute("DELETE FROM input WHERE iri = ?", (iri,))
        db.execute("COMMIT")
        return True

    def prune(self, base: str, given: set[str]) -> int:
        """Remove every Kamervraag under `base` not in `given`; returns how many."""
        from .mapping import kamervraag_iri
        from .parser import ZAAKNUMMER

        prefix = kamervraag_iri("", base)
        stale = [iri for iri in self.record.kamervragen()
                 if iri.startswith(prefix) and ZAAKNUMMER.fullmatch(iri[len(prefix):]) and iri not in given]
        try:
            return sum(self._delete(iri) for iri in stale)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot write to store {self.path}: {_first_line(str(exc))}") from None

    def delete(self, iri: str) -> bool:
        """Remove one Kamervraag (by its IRI); False when the store does not have it."""
        try:
            return self._delete(iri)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot write to store {self.path}: {_first_line(str(exc))}") from None

    def close(self) -> None:
        self.store.flush()
        self.record.close()
        del self.store  # releases the database lock, so a query can open it next


def _unchanged(entry: tuple[int, int, bytes, str, str, int] | None, path: str) -> bool:
    """Same size and time, or same bytes: the input need not be read again."""
    if entry is None:
        return False
    size, mtime_ns = file_state(path)
    if entry[0] != size:
        return False
    return entry[1] == mtime_ns or entry[2] == file_sha256(path)


def _input_row(document: Document) -> tuple[Any, ...]:
    """The input's record: a re-load replays its warnings without reading it."""
    size, mtime_ns = file_state(document.path)
    diagnostics = json.dumps([asdict(d) for d in document.diagnostics], ensure_ascii=True)
    return (document.path, size, mtime_ns, document.sha256, document.iri, diagnostics)


def _refused(outcome: Outcome, diagnostic: Diagnostic) -> Outcome:
    return Outcome(outcome.path, outcome.id, (*outcome.diagnostics, diagnostic), None)


def _object_iri(line: bytes) -> bytes | None:
    """The object of an N-Triples line `<s> <p> <o> .` when it is an IRI (IRIs hold no space or `>`)."""
    predicate_end = line.index(b"> ", line.index(b"> ") + 2)
    return line[predicate_end + 3:line.index(b">", predicate_end + 3)] if line[predicate_end + 2:predicate_end + 3] == b"<" \
        else None


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0][:300] if lines else ""
