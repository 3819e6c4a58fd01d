"""The native engine: the shapes compiled once, then batches of documents validated on an index."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ..terms import Term, Triple
from .checks import TWINS, Registered, query_digest
from .compiler import Check, Checker, Compiler, Shape, focus_nodes, generate
from .index import Data
from .report import Violation
from .shapes import SH, ShapesGraph, _text

if TYPE_CHECKING:
    from rdflib import Graph


class ShapesError(ValueError):
    """Shapes the engine cannot run: a SPARQL constraint without a twin, or changed since its twin was written."""


class Engine:
    """Validates batches of triples against compiled shapes: Core as generated code, SPARQL by twins."""

    def __init__(self, shapes: ShapesGraph | Graph) -> None:
        compiler = Compiler(ShapesGraph.of(shapes))
        self.shapes = compiler.node_shapes()
        inverse = set(compiler.inverse)
        groups: dict[tuple, list[tuple[Shape, list[Check]]]] = defaultdict(list)
        for shape in self.shapes:
            checks = []
            for prop in [shape, *shape.properties]:
                for constraint in prop.sparql:
                    registered = _twin(compiler.g, constraint)
                    inverse |= registered.inverse
                    message = compiler.g.value(constraint, SH.message)
                    checks.append(Check(registered.run, prop, None if message is None else _text(message)))
            if shape.targets:
                groups[shape.targets].append((shape, checks))
        self._inverse = frozenset(inverse)
        # Node shapes grouped by their focus nodes, so each group's shapes run as one function.
        keys = sorted(groups, key=str)
        self.source, checkers = generate(compiler, list(compiler.referenced.values()), [groups[k] for k in keys])
        self._by_class: dict[str, Checker] = {}
        self._others: list[tuple[Callable[[Data], Iterable[Term]], Checker]] = []
        for key, check in zip(keys, checkers, strict=True):
            if len(key) == 1 and key[0][0] == "class":  # the common case: by the index of types
                self._by_class[key[0][1]] = check
            else:
                self._others.append((focus_nodes(key), check))

    def validate(self, triples: list[Triple]) -> list[Violation]:
        """All violations in one graph."""
        return self.validate_documents([triples])[0]

    def validate_documents(self, documents: list[list[Triple]], canonical: bool = False) -> list[list[Violation]]:
        """Violations per document, each document's graph judged on its own (`canonical`: see Data)."""
        found: list[list[Violation]] = []
        by_class = self._by_class
        for triples in documents:
            data = Data(triples, self._inverse, canonical)
            mine: list[Violation] = []
            for cls, nodes in data.by_type.items():
                check = by_class.get(cls)
                if check is not None:
                    _run(check, data, nodes, mine)
            for targets, check in self._others:
                _run(check, data, targets(data), mine)
            found.append(sorted(set(mine), key=lambda x: (x.focus, x.path or "", x.message, x.value or "")))
        return found


def _twin(shapes: ShapesGraph, constraint: object) -> Registered:
    """The registered twin of a SPARQL constraint, checked against its query's text."""
    select = shapes.value(constraint, SH.select)
    registered = TWINS.get(str(constraint))
    if registered is None or select is None:
        raise ShapesError(f"SPARQL constraint {constraint} has no Python twin in kvgraph/shacl/checks.py")
    digest = query_digest(_text(select))
    if digest != registered.digest:
        raise ShapesError(f"the query of {constraint} changed (SHA-256 {digest}): update its twin in kvgraph/shacl/checks.py")
    return registered


def _run(check: Checker, data: Data, nodes: Iterable[Term], found: list[Violation]) -> None:
    """Check each focus node, adding its failures in words to `found`."""
    for focus in nodes:
        failures = check(data, focus)
        if failures:
            found += [failed.violation(focus, x, y) for failed, x, y in failures]

