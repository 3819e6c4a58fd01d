"""Incremental conversion into a folder: only new or changed documents are converted again.

The folder holds one output per document (`documents/<zaaknummer><suffix>`, each a complete
file in the chosen format), the combined dump (`kamervragen<suffix>`), a cache of every
document's encoded chunks (`.cache/`, so the dump is rebuilt by concatenation, without
parsing anything) and `manifest.json`: per input path its size, modification time, SHA-256,
zaaknummer and diagnostics. An input whose size and time are unchanged is not even read; one
whose bytes are unchanged is not converted. Outputs of inputs that are gone are removed. A
change of options (format, base, validation) converts everything again.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from .model import Diagnostic
from .output import open_output
from .pipeline import Options, Outcome, Summary, duplicate, outcomes
from .read import STDIN, expand_inputs
from .serializers import FORMATS, Chunk, Sink

MANIFEST = "manifest.json"
VERSION = 1


def convert_incremental(inputs: list[str], out_dir: str, options: Options, jobs: int = 1,
                        on_diagnostic: Callable[[Diagnostic], None] | None = None,
                        on_progress: Callable[[int, int], None] | None = None) -> Summary:
    """Bring `out_dir` up to date with the inputs; returns what was done (documents = all inputs)."""
    started = time.perf_counter()
    root = Path(out_dir)
    paths = [p for p in expand_inputs(inputs) if p != STDIN]
    settings = {"version": VERSION, **asdict(options)}
    manifest = _load(root)
    entries = manifest.get("documents", {}) if manifest.get("settings") == settings else {}
    current = {path: _stat(path) for path in paths}
    changed = [p for p in paths if not _unchanged(entries.get(p), current[p])]
    removed = [p for p in entries if p not in current]
    for path in removed:
        _cache_file(root, path).unlink(missing_ok=True)
        del entries[path]
    fresh: dict[str, Outcome] = {}
    try:
        for outcome in outcomes(changed, options, jobs, check_duplicates=False):
            entries[outcome.path] = _entry(root, outcome, current[outcome.path])
            # The chunks are in the cache now; keeping them here would hold the corpus in memory.
            fresh[outcome.path] = Outcome(outcome.path, outcome.id, outcome.diagnostics,
                                          None if outcome.chunks is None else ())
            if on_progress:
                on_progress(len(fresh), len(changed))
    except BaseException:
        # Interrupted: keep what is done, so the next run converts only the rest.
        done = {p: e for p, e in entries.items() if p in current and (p in fresh or p not in changed)}
        _save(root, {"settings": settings, "documents": done, "owners": manifest.get("owners", {}), "stale": True})
        raise
    summary = Summary()
    for path in paths:
        summary.add(fresh.get(path) or _remembered(path, entries[path]), on_diagnostic)
    excluded = _duplicates(paths, entries, summary, on_diagnostic)
    dump = root / f"kamervragen{FORMATS[options.fmt].suffix}"
    triples = manifest.get("triples", 0)
    owners = manifest.get("owners", {})
    stale = manifest.get("stale") or not dump.exists() or excluded != set(manifest.get("excluded", []))
    if changed or removed or stale:
        owners = _publish_documents(root, paths, entries, excluded, set(changed), owners, options)
        triples = _rebuild(root, [p for p in paths if p not in excluded], entries, options, dump)
    if changed or removed or stale or entries != manifest.get("documents") or settings != manifest.get("settings"):
        _save(root, {"settings": settings, "documents": {p: entries[p] for p in paths},
                     "excluded": sorted(excluded), "owners": owners, "triples": triples})
    summary.triples = triples
    summary.seconds = time.perf_counter() - started
    return summary


def _stat(path: str) -> dict[str, int]:
    info = os.stat(path)
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns}


def _sha256(path: str) -> str:
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _unchanged(entry: dict | None, stat: dict[str, int]) -> bool:
    """Same size and time: unchanged without reading; same bytes: unchanged after all."""
    if entry is None:
        return False
    if entry["size"] == stat["size"] and entry["mtime_ns"] == stat["mtime_ns"]:
        return True
    if entry["size"] == stat["size"] and entry["sha256"] == _sha256(entry["path"]):
        entry["mtime_ns"] = stat["mtime_ns"]
        return True
    return False


def _entry(root: Path, outcome: Outcome, stat: dict[str, int]) -> dict:
    """Cache the document's encoded chunks; describe it for the manifest."""
    if outcome.chunks is not None:
        with open_output(str(_cache_file(root, outcome.path))) as out:
            out.write(marshal.dumps([(c.data, c.triples, c.shared, c.keys) for c in outcome.chunks]))
    else:
        _cache_file(root, outcome.path).unlink(missing_ok=True)
    return {"path": outcome.path, **stat, "sha256": _sha256(outcome.path), "id": outcome.id,
            "written": outcome.chunks is not None,
            "diagnostics": [asdict(d) for d in outcome.diagnostics]}


def _remembered(path: str, entry: dict) -> Outcome:
    """An unchanged document's outcome from the manifest (its chunks stay in the cache)."""
    diagnostics = tuple(Diagnostic(**d) for d in entry["diagnostics"])
    return Outcome(path, entry["id"], diagnostics, () if entry["written"] else None)


def _duplicates(paths: list[str], entries: dict[str, dict], summary: Summary,
                on_diagnostic: Callable[[Diagnostic], None] | None) -> set[str]:
    """Inputs whose zaaknummer an earlier input already has: errors, left out of the dump.

    Judged afresh on every run over all inputs, so deleting the first copy lets the second in.
    """
    seen: dict[str, str] = {}
    excluded = set()
    for path in paths:
        entry = entries[path]
        if not entry["written"]:
            continue
        if entry["id"] not in seen:
            seen[entry["id"]] = path
            continue
        excluded.add(path)
        again = duplicate(path, entry["id"], seen[entry["id"]])
        summary.errors += 1
        summary.converted -= 1
        summary.diagnostics.append(again)
        if on_diagnostic:
            on_diagnostic(again)
    return excluded


def _publish_documents(root: Path, paths: list[str], entries: dict[str, dict], excluded: set[str],
                       changed: set[str], owners: dict[str, str], options: Options) -> dict[str, str]:
    """Keep `documents/<zaaknummer><suffix>` in step: (re)write those whose input changed or
    whose owning input changed, remove those no input has any more. Returns zaaknummer -> input."""
    now = {entries[p]["id"]: p for p in paths if entries[p]["written"] and p not in excluded}
    for kid, path in now.items():
        if path in changed or owners.get(kid) != path or not _document_file(root, kid, options).exists():
            with open_output(str(_document_file(root, kid, options))) as out:
                sink = Sink(FORMATS[options.fmt], out)
                sink.write(_cached(root, path))
                sink.close()
    for kid in set(owners) - set(now):
        _document_file(root, kid, options).unlink(missing_ok=True)
    return now


def _rebuild(root: Path, paths: list[str], entries: dict[str, dict], options: Options, dump: Path) -> int:
    """Concatenate the cached chunks of every written document into the combined dump."""
    triples = 0
    with open_output(str(dump)) as out:
        sink = Sink(FORMATS[options.fmt], out)
        for path in paths:
            if entries[path]["written"]:
                triples += sink.write(_cached(root, path))
        sink.close()
    return triples


def _cached(root: Path, path: str) -> list[Chunk]:
    return [Chunk(*fields) for fields in marshal.loads(_cache_file(root, path).read_bytes())]


def _document_file(root: Path, kid: str, options: Options) -> Path:
    return root / "documents" / f"{kid}{FORMATS[options.fmt].suffix}"


def _cache_file(root: Path, path: str) -> Path:
    """The chunk cache of an input, named by its path (two inputs may share a zaaknummer)."""
    return root / ".cache" / f"{hashlib.sha1(path.encode()).hexdigest()}.chunks"


def _load(root: Path) -> dict:
    try:
        return json.loads((root / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _save(root: Path, manifest: dict) -> None:
    with open_output(str(root / MANIFEST)) as out:
        out.write(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode())
