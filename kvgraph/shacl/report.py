"""Validation results in words: which node, which property, what is wrong.

Both engines (the native one and pyshacl) report in these terms, so
callers and tests never read SHACL result graphs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..vocab import PREFIXES


@dataclass(frozen=True)
class Violation:
    """One failed constraint: the node, the property path (None for node-level checks), why."""

    focus: str
    path: str | None
    message: str
    severity: str = "Violation"
    value: str | None = None

    def __str__(self) -> str:
        where = compact(self.focus) + (f" {compact(self.path)}" if self.path else "")
        shown = f" (value: {self.value[:60]})" if self.value is not None else ""
        return f"{where}: {self.message}{shown}"


@dataclass(frozen=True)
class Report:
    violations: tuple[Violation, ...]

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)


def compact(iri: str) -> str:
    """`http://purl.org/dc/terms/title` -> `dcterms:title`, for reports people read."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"
