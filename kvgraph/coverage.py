"""What linking makes of a corpus's printed persons (`kvgraph reconcile`): how a publisher sees coverage.

One row per distinct printed person (name, party as printed, role) and outcome: linked, with the
reference person's identifiers; ambiguous, with the candidates; or unknown. A name printed the
same way can have two outcomes (a surname on both sides of an election): each gets its row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import linking, reconciliation
from .model import Diagnostic
from .pipeline import parse_inputs
from .read import MAX_BYTES, Input
from .reference import Person as ReferencePerson
from .sparql import Table

COLUMNS = ("status", "printed_name", "printed_party", "role", "name", "key", "wikidata", "tk_id", "parlement_id",
           "mentions", "documents", "candidates")
_STATUS_ORDER = {"ambiguous": 0, "unknown": 1, "linked": 2}


@dataclass
class Coverage:
    """The rows, and the counts the closing line gives."""

    table: Table
    documents: int = 0
    errors: int = 0
    mentions: Counter[str] = field(default_factory=Counter)  # per status

    @property
    def columns(self) -> tuple[str, ...]:
        return self.table.columns

    @property
    def rows(self) -> list[dict[str, str | None]]:
        """The rows as dicts by column, as the JSON format writes them (None for an empty cell)."""
        return [dict(zip(self.table.columns, row, strict=True)) for row in self.table.rows]

    def line(self) -> str:
        total = sum(self.mentions.values()) or 1
        parts = ", ".join(f"{self.mentions[s]} {s} ({100 * self.mentions[s] / total:.1f}%)" for s in _STATUS_ORDER)
        return (f"{self.documents} documents, {len(list(self.table.rows))} printed persons; mentions: {parts}; "
                f"{self.errors} errors")


def coverage(inputs: Iterable[Input], reference: str | None = None, max_bytes: int = MAX_BYTES,
             on_diagnostic: Callable[[Diagnostic], None] | None = None) -> Coverage:
    """Reconcile every printed person of the documents named by `inputs`; documents that do not
    parse are reported through `on_diagnostic` and counted as errors."""
    ref = linking.reference_for(reference)
    mentions: Counter[tuple[str, ...]] = Counter()
    documents: dict[tuple[str, ...], set[str]] = {}
    candidates: dict[tuple[str, ...], str] = {}
    result = Coverage(Table(COLUMNS, []))
    for parsed in parse_inputs(inputs, max_bytes):
        result.documents += 1
        for diagnostic in parsed.diagnostics:
            result.errors += diagnostic.is_error
            if on_diagnostic and diagnostic.is_error:
                on_diagnostic(diagnostic)
        if parsed.kamervraag is None:
            continue
        for role, person, day in linking.mentions(parsed.kamervraag):
            match = reconciliation.reconcile(ref, person.name, person.party, role, tuple(r.text for r in person.roles), day)
            key = (match.status, person.name, person.party or "", role, *_identity(match.person))
            mentions[key] += 1
            documents.setdefault(key, set()).add(parsed.kamervraag.id)
            if match.status == "ambiguous":
                candidates[key] = "; ".join(f"{c.name} ({c.wikidata or c.key})" for c in match.candidates)
            result.mentions[match.status] += 1
    ordered = sorted(mentions, key=lambda k: (_STATUS_ORDER[k[0]], -mentions[k], k))
    rows = [(*k, str(mentions[k]), str(len(documents[k])), candidates.get(k) or None) for k in ordered]
    result.table = Table(COLUMNS, [tuple(v or None for v in row) for row in rows])
    return result


def _identity(person: ReferencePerson | None) -> tuple[str, ...]:
    if person is None:
        return ("", "", "", "", "")
    return (person.name, person.key, person.wikidata, person.tk_id, person.parlement_id)
