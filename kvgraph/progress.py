"""A progress line on stderr for long runs, only when stderr is a terminal."""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    """Called as `progress(done, total)`; redraws at most ten times a second."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._started = time.perf_counter()
        self._drawn = 0.0
        self._shown = False

    @classmethod
    def on(cls, stream: TextIO) -> Progress | None:
        """A progress line on `stream` if it is a terminal; None (no progress) otherwise."""
        return cls(stream) if stream.isatty() else None

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - self._drawn < 0.1 and done < total:
            return
        self._drawn = now
        rate = done / (now - self._started) if now > self._started else 0.0
        width = 30
        filled = width * done // total if total else width
        self._stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} documents, {rate:.0f}/s")
        self._stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self._stream.write("\n")
            self._stream.flush()
