"""Where output goes: standard output, or a file that appears whole or not at all.

A file is written under a temporary name next to its destination and renamed into place
when complete, so an interrupted run never leaves a half-written file behind. A device or a
pipe (`-o /dev/null`, a FIFO) is written as it is: renaming a file over it would replace it.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import BinaryIO

from .model import Diagnostic, printable_path

BUFFER = 1 << 20  # writers hand over a document at a time: fewer, larger writes


@contextlib.contextmanager
def open_output(path: str | None) -> Iterator[BinaryIO]:
    """Yield a binary stream for `path` (`-` or None is stdout); rename into place on success."""
    if path in (None, "-"):
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    if _is_special(path):
        with open(path, "wb", buffering=BUFFER) as stream:
            yield stream
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb", buffering=BUFFER) as stream:
            yield stream
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _is_special(path: str) -> bool:
    """Whether `path` is there and neither a file nor a folder: a device, a pipe or a socket."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _umask() -> int:
    """The process umask (mkstemp creates files 0600; outputs should be as readable as usual)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_report(path: str, diagnostics: Iterable[Diagnostic]) -> None:
    """Every error and warning as one JSON document (`--report FILE.json`), for pipelines that count
    or filter them: file, line, severity, code and message each, and the totals."""
    found = list(diagnostics)
    # A file name that is not UTF-8 (in the path, or quoted in the message) cannot be encoded as it is.
    items = [{k: printable_path(v) if isinstance(v, str) else v for k, v in asdict(d).items()} for d in found]
    document = {"errors": sum(d.is_error for d in found), "warnings": sum(not d.is_error for d in found),
                "diagnostics": items}
    with open_output(path) as out:
        out.write((json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode())
