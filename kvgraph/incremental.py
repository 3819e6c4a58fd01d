"""Incremental conversion into a folder: only new or changed documents are converted again.

The folder holds one output per document (`documents/<zaaknummer><suffix>`, each a complete
file in the chosen format), the combined dump (`kamervragen<suffix>`), a cache of every
document's encoded chunks (`.cache/`, so the dump is rebuilt by concatenation, without
parsing anything) and `manifest.json`. An input whose size and time are unchanged is not even
read; one whose bytes are unchanged is not converted. Outputs of inputs that are gone are
removed. A change of options (format, base, validation), of the reference data or of kvgraph itself
(its mapping or its writers) converts everything again.

`manifest.json` is JSON Lines, read and written one line at a time, so that a corpus of
100,000s of documents needs no more memory than one compact entry per input. The first line
is a header, every other line describes one input:

    {"version": 2, "settings": {...Options...}, "excluded": [path, ...], "triples": 11091130, "stale": false}
    {"path": "...", "size": 1705, "mtime_ns": ..., "sha256": "...", "id": "2008Z00474", "written": true}
    {"path": "...", ..., "id": null, "written": false, "diagnostics": [{"path", "line", "severity", "code", "message"}]}

`excluded` are the inputs left out as duplicates, `triples` is the dump's count, `stale` says
the run was interrupted (its dump and documents are not up to date); `diagnostics` is there only
when the input has any. Which input a document file belongs to is not stored: it is each written
input that is not excluded. The file is ASCII (JSON escapes), so a file name that is not UTF-8
(lone surrogates in Python) round-trips. A manifest of another VERSION, or a damaged one, is not
used: everything is converted again.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from .linking import reference_digest
from .model import Diagnostic
from .output import open_output
from .pipeline import Options, Outcome, Summary, duplicate, outcomes
from .read import STDIN, expand_inputs, file_sha256, file_state
from .serializers import FORMATS, Chunk, Sink
from .store import mapping_identity

MANIFEST = "manifest.json"
VERSION = 2


@dataclass(frozen=True, slots=True)
class Entry:
    """What the manifest knows of one input (its path is the key). Slotted, and no diagnostics
    list unless there are any: there is one entry per input in memory for the whole run."""

    size: int
    mtime_ns: int
    sha256: bytes  # the digest (half the memory of the hex); empty when the input could not be read: tried again every run
    id: str | None
    written: bool
    diagnostics: tuple[Diagnostic, ...] = ()

    def outcome(self, path: str) -> Outcome:
        """The input's outcome as a summary counts it (the chunks themselves stay in the cache)."""
        return Outcome(path, self.id, self.diagnostics, () if self.written else None)

    def record(self, path: str) -> dict[str, Any]:
        """The entry as a manifest line."""
        record: dict[str, Any] = {"path": path, "size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.sha256.hex(),
                                  "id": self.id, "written": self.written}
        if self.diagnostics:
            record["diagnostics"] = [asdict(d) for d in self.diagnostics]
        return record

    @staticmethod
    def of(record: dict[str, Any]) -> tuple[str, Entry]:
        """A manifest line as (path, entry); the path is interned, to share it with the list of inputs."""
        diagnostics = tuple(Diagnostic(**d) for d in record.get("diagnostics", ()))
        entry = Entry(record["size"], record["mtime_ns"], bytes.fromhex(record["sha256"]), record["id"], record["written"], diagnostics)
        return sys.intern(record["path"]), entry


@dataclass
class Manifest:
    """What this run can use of the previous one."""

    settings: dict[str, Any] | None = None
    entries: dict[str, Entry] = field(default_factory=dict)  # only when made with this run's settings
    owners: dict[str, str] = field(default_factory=dict)  # zaaknummer -> the input its document file is from
    excluded: set[str] = field(default_factory=set)
    triples: int = 0
    stale: bool = False


def convert_incremental(inputs: list[str], out_dir: str, options: Options, jobs: int = 1,
                        on_diagnostic: Callable[[Diagnostic], None] | None = None,
                        on_progress: Callable[[int, int], None] | None = None) -> Summary:
    """Bring `out_dir` up to date with the inputs; returns what was done (documents = all inputs)."""
    started = time.perf_counter()
    root = Path(out_dir)
    paths = [sys.intern(p) for p in expand_inputs(inputs) if p != STDIN]
    settings = asdict(options)
    settings["reference"] = reference_digest(options.reference)
    settings["kvgraph"] = mapping_identity(serializers=True)  # another kvgraph writes other bytes
    previous = _load(root, settings)
    entries, pending, refreshed = _classify(paths, previous.entries)
    removed = list(previous.entries)  # what _classify left there: inputs no longer given
    for path in removed:
        _cache_file(root, path).unlink(missing_ok=True)
    changed = set(pending)
    try:
        _convert(root, pending, entries, options, jobs, on_progress)
    except BaseException:
        # Interrupted: keep what is done, so the next run converts only the rest.
        _save(root, _header(settings, previous.excluded, previous.triples, stale=True), paths, entries)
        raise
    summary = Summary()
    for path in paths:
        summary.add(entries[path].outcome(path), on_diagnostic)
    excluded = _duplicates(paths, entries, summary, on_diagnostic)
    dump = root / f"kamervragen{FORMATS[options.fmt].suffix}"
    triples = previous.triples
    stale = previous.stale or not dump.exists() or excluded != previous.excluded
    if changed or removed or stale:
        _publish_documents(root, paths, entries, excluded, changed, previous, options)
        triples = _rebuild(root, [p for p in paths if p not in excluded], entries, options, dump)
    if changed or removed or stale or refreshed or settings != previous.settings:
        _save(root, _header(settings, excluded, triples, stale=False), paths, entries)
    summary.triples = triples
    summary.seconds = time.perf_counter() - started
    return summary


def _classify(paths: list[str], old: dict[str, Entry]) -> tuple[dict[str, Entry], dict[str, tuple[int, int]], bool]:
    """Split the inputs into those whose entry still holds and those to convert, with their size and
    time as taken before they are read. Kept entries are taken out of `old`, so what stays there
    are the inputs that are gone. The flag says whether a kept entry has a new time (touched, same bytes)."""
    entries: dict[str, Entry] = {}
    pending: dict[str, tuple[int, int]] = {}
    refreshed = False
    for path in paths:
        stat = file_state(path)
        known = entries.get(path) or old.pop(path, None)
        entry = _unchanged(known, path, stat)
        if entry is None:
            pending[path] = stat
        else:
            refreshed |= entry is not known
            entries[path] = entry
    return entries, pending, refreshed


def _convert(root: Path, pending: dict[str, tuple[int, int]], entries: dict[str, Entry], options: Options, jobs: int,
             on_progress: Callable[[int, int], None] | None) -> None:
    """Convert the pending inputs, moving each from `pending` into `entries` as soon as its chunks
    are cached: an interrupted run then keeps everything it finished."""
    total = len(pending)
    for done, outcome in enumerate(outcomes(list(pending), options, jobs, check_duplicates=False), start=1):
        path = sys.intern(outcome.path)  # the workers' copy of the path would be a second string per input
        entries[path] = _entry(root, outcome, pending.pop(path))
        if on_progress:
            on_progress(done, total)


def _unchanged(entry: Entry | None, path: str, stat: tuple[int, int]) -> Entry | None:
    """The entry, if the input need not be converted again (with the new time if only that changed).

    Same size and time: unchanged without reading; same bytes: unchanged after all.
    """
    if entry is None or not entry.sha256 or entry.size != stat[0]:
        return None
    if entry.mtime_ns == stat[1]:
        return entry
    if entry.sha256 == file_sha256(path):
        return replace(entry, mtime_ns=stat[1])
    return None


def _entry(root: Path, outcome: Outcome, stat: tuple[int, int]) -> Entry:
    """Cache the document's encoded chunks; describe it for the manifest."""
    cache = _cache_file(root, outcome.path)
    if outcome.chunks is not None:
        with open_output(str(cache)) as out:
            out.write(marshal.dumps([(c.data, c.triples, c.shared, c.keys) for c in outcome.chunks]))
    else:
        cache.unlink(missing_ok=True)
    return Entry(*stat, file_sha256(outcome.path), outcome.id, outcome.chunks is not None, outcome.diagnostics)


def _duplicates(paths: list[str], entries: dict[str, Entry], summary: Summary,
                on_diagnostic: Callable[[Diagnostic], None] | None) -> set[str]:
    """Inputs whose zaaknummer an earlier input already has: errors, left out of the dump.

    Judged afresh on every run over all inputs, so deleting the first copy lets the second in.
    """
    seen: dict[str, str] = {}
    excluded = set()
    for path in paths:
        entry = entries[path]
        if not entry.written:
            continue
        if entry.id not in seen:
            seen[entry.id] = path
            continue
        excluded.add(path)
        again = duplicate(path, entry.id, seen[entry.id])
        summary.errors += 1
        summary.converted -= 1
        summary.diagnostics.append(again)
        if on_diagnostic:
            on_diagnostic(again)
    return excluded


def _publish_documents(root: Path, paths: list[str], entries: dict[str, Entry], excluded: set[str],
                       changed: set[str], previous: Manifest, options: Options) -> None:
    """Keep `documents/<zaaknummer><suffix>` in step: (re)write those whose input changed or
    whose owning input changed, remove those no input has any more.

    After an interrupted run it is unknown which files are up to date: all are written, and
    every other file of the format in documents/ is removed.
    """
    now = {entries[p].id: p for p in paths if entries[p].written and p not in excluded}
    for kid, path in now.items():
        target = _document_file(root, kid, options)
        if previous.stale or path in changed or previous.owners.get(kid) != path or not target.exists():
            with open_output(str(target)) as out:
                sink = Sink(FORMATS[options.fmt], out)
                sink.write(_cached(root, path))
                sink.close()
    before = _published(root, options) if previous.stale else previous.owners.keys()
    for kid in before - now.keys():
        _document_file(root, kid, options).unlink(missing_ok=True)


def _published(root: Path, options: Options) -> set[str]:
    """The zaaknummers that have a document file of this format."""
    suffix = FORMATS[options.fmt].suffix
    try:
        names = os.listdir(root / "documents")
    except FileNotFoundError:
        return set()
    return {name.removesuffix(suffix) for name in names if name.endswith(suffix) and not name.startswith(".")}


def _rebuild(root: Path, paths: list[str], entries: dict[str, Entry], options: Options, dump: Path) -> int:
    """Concatenate the cached chunks of every written document into the combined dump."""
    triples = 0
    with open_output(str(dump)) as out:
        sink = Sink(FORMATS[options.fmt], out)
        for path in paths:
            if entries[path].written:
                triples += sink.write(_cached(root, path))
        sink.close()
    return triples


def _cached(root: Path, path: str) -> list[Chunk]:
    """An input's chunks as its conversion left them in the cache."""
    return [Chunk(*fields) for fields in marshal.loads(_cache_file(root, path).read_bytes())]


def _document_file(root: Path, kid: str, options: Options) -> Path:
    return root / "documents" / f"{kid}{FORMATS[options.fmt].suffix}"


def _cache_file(root: Path, path: str) -> Path:
    """The chunk cache of an input, named by its path (two inputs may share a zaaknummer).

    os.fsencode gives back the bytes of a file name that is not UTF-8 (lone surrogates in Python).
    """
    return root / ".cache" / f"{hashlib.sha1(os.fsencode(path)).hexdigest()}.chunks"


def _header(settings: dict[str, Any], excluded: set[str], triples: int, stale: bool) -> dict[str, Any]:
    """The manifest's first line: what holds for the whole folder."""
    return {"version": VERSION, "settings": settings, "excluded": sorted(excluded), "triples": triples, "stale": stale}


def _load(root: Path, settings: dict[str, Any]) -> Manifest:
    """The previous run's manifest; nothing when there is none or it cannot be used (another
    version, damaged, not kvgraph's), so that nothing of the folder is trusted or removed."""
    try:
        with open(root / MANIFEST, "rb") as lines:
            return _read(lines, settings)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return Manifest()


def _read(lines: BinaryIO, settings: dict[str, Any]) -> Manifest:
    """Read the manifest a line at a time; entries made with other settings only tell who owns which document file."""
    header = json.loads(next(lines, b""))
    if header.get("version") != VERSION:
        raise ValueError(f"a manifest of version {header.get('version')}, not {VERSION}")
    manifest = Manifest(header["settings"], excluded={sys.intern(p) for p in header["excluded"]},
                        triples=header["triples"], stale=header["stale"])
    for line in lines:
        path, entry = Entry.of(json.loads(line))
        if entry.written and path not in manifest.excluded:
            manifest.owners[entry.id] = path
        if manifest.settings == settings:
            manifest.entries[path] = entry
    return manifest


def _save(root: Path, header: dict[str, Any], paths: list[str], entries: dict[str, Entry]) -> None:
    """Write the manifest a line at a time, the inputs in input order (atomically, like every output)."""
    with open_output(str(root / MANIFEST)) as out:
        out.write(_line(header))
        for path in paths:
            if path in entries:
                out.write(_line(entries[path].record(path)))


def _line(record: dict[str, Any]) -> bytes:
    """One JSON line, ASCII only: JSON escapes keep a file name that is not UTF-8 as it is."""
    return (json.dumps(record) + "\n").encode("ascii")
