"""The OWMS theme list (TaxonomieBeleidsagenda) and splitting of `Onderwerpen` lines.

The document writes topics as lower-cased labels joined by single spaces with no delimiter,
and labels contain spaces and commas themselves, so the line can only be split by matching
against the list. The list ships with the package (`data/owms-themes.csv`): kvgraph never
fetches vocabularies at run time.
"""

from __future__ import annotations

import csv
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

SCHEME = "http://standaarden.overheid.nl/owms/terms/TaxonomieBeleidsagenda"


@dataclass(frozen=True)
class Theme:
    """One OWMS theme: its IRI, Dutch label and the IRI of its parent ('' at the top)."""

    uri: str
    label: str
    broader: str


@dataclass(frozen=True)
class Segment:
    """A piece of an `Onderwerpen` line: a known label, or a remainder nothing matched."""

    label: str
    known: bool


@lru_cache(maxsize=1)
def themes() -> tuple[Theme, ...]:
    """All themes in the order of the bundled CSV."""
    text = resources.files("kvgraph").joinpath("data/owms-themes.csv").read_text("utf-8")
    return tuple(Theme(r["uri"], r["label"], r["broader"]) for r in csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def by_uri() -> dict[str, Theme]:
    return {t.uri: t for t in themes()}


@lru_cache(maxsize=1)
def by_label() -> dict[str, tuple[Theme, ...]]:
    """Themes by lower-cased label; a label may name several themes (`jongeren`)."""
    index: dict[str, list[Theme]] = {}
    for theme in themes():
        index.setdefault(theme.label.lower(), []).append(theme)
    return {label: tuple(found) for label, found in index.items()}


@lru_cache(maxsize=1)
def _labels_by_first_word() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Label word sequences indexed by their first word, longest first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for label in by_label():
        words = tuple(label.split(" "))
        index.setdefault(words[0], []).append(words)
    return {w: tuple(sorted(c, key=len, reverse=True)) for w, c in index.items()}


def split_topics(line: str) -> list[Segment]:
    """Split an `Onderwerpen` value into labels, longest match first.

    Among all ways to cut the line, take the one that leaves the fewest words unmatched, then
    the one with the fewest pieces (the longest labels). Unmatched words next to each other
    form one unknown label. Runs in time linear in the number of words.
    """
    words = line.split()
    if not words:
        return []
    n = len(words)
    candidates = _labels_by_first_word()
    # best[i] = (unmatched words, pieces, -length of the first label) for words[i:];
    # a first "label" of length 0 means words[i] is unmatched. Plain tuple order picks the best.
    best: list[tuple[int, int, int]] = [(0, 0, 0)] * (n + 1)
    for i in range(n - 1, -1, -1):
        rest = best[i + 1]
        choice = (rest[0] + 1, rest[1] + 1, 0)
        for label in candidates.get(words[i], ()):
            end = i + len(label)
            if end <= n and tuple(words[i:end]) == label:
                choice = min(choice, (best[end][0], best[end][1] + 1, -len(label)))
        best[i] = choice
    return _collect(words, [-b[2] for b in best])


def _collect(words: list[str], steps: list[int]) -> list[Segment]:
    """Walk the chosen cut: steps[i] is the length of the label starting at word i, 0 if none."""
    segments: list[Segment] = []
    unknown: list[str] = []
    i = 0
    while i < len(words):
        step = steps[i]
        if step == 0:
            unknown.append(words[i])
            i += 1
            continue
        if unknown:
            segments.append(Segment(" ".join(unknown), known=False))
            unknown = []
        segments.append(Segment(" ".join(words[i:i + step]), known=True))
        i += step
    if unknown:
        segments.append(Segment(" ".join(unknown), known=False))
    return segments


def resolve(label: str, context: Collection[str] = ()) -> tuple[Theme, ...]:
    """The themes a label written in a document stands for; () when the label is unknown.

    A label that names several themes (`jongeren`) is narrowed to the one whose parent is
    among the document's other topics (`context`, best a set); when that does not decide, all are kept.
    """
    found = by_label().get(label, ())
    if len(found) > 1:
        parents = by_uri()
        chosen = tuple(t for t in found if t.broader in parents and parents[t.broader].label.lower() in context)
        if len(chosen) == 1:
            return chosen
    return found


def ancestors(theme: Theme) -> tuple[Theme, ...]:
    """The theme's parents up to the top, nearest first."""
    chain: list[Theme] = []
    current = by_uri().get(theme.broader)
    while current is not None and current not in chain:
        chain.append(current)
        current = by_uri().get(current.broader)
    return tuple(chain)
