"""A shapes graph as plain terms, and the bundled shapes for the base in use."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from pyoxigraph import RdfFormat, parse

from ..terms import Literal, Term, Triple, from_oxigraph, from_rdflib
from ..vocab import DEFAULT_BASE, PREFIXES, XSD_INTEGER, Namespace
from .index import canonical_integer

if TYPE_CHECKING:
    from rdflib import Graph

XSD = PREFIXES["xsd"]
SH = Namespace("http://www.w3.org/ns/shacl#")
RDF = Namespace(PREFIXES["rdf"])
RDFS = PREFIXES["rdfs"]


def _text(term: Term) -> str:
    """The lexical form of a literal, the IRI or label of a node."""
    return term.value if isinstance(term, Literal) else str(term)


@lru_cache(maxsize=8)
def shapes_text(base: str = DEFAULT_BASE) -> bytes:
    """The bundled shapes (the same file as shapes/kvgraph.shapes.ttl) with their IRI patterns
    anchored on `base`: the file's patterns name the default base, written as a regular
    expression inside a Turtle string (its dots escaped, the backslashes doubled)."""
    text = resources.files("kvgraph").joinpath("data/kvgraph.shapes.ttl").read_text("utf-8")
    if base != DEFAULT_BASE:
        text = text.replace(_pattern(DEFAULT_BASE), _pattern(base))
    return text.encode()


def _pattern(base: str) -> str:
    """`base` as the shapes file writes it in a pattern: a regular expression in a Turtle string."""
    return re.escape(base).replace("\\", "\\\\")


class ShapesGraph:
    """A shapes graph as plain terms, with the few lookups the compiler makes.

    Why not rdflib's Graph: importing rdflib costs every validating worker about 0.2 s (most of a
    thousand-document run's start-up), while pyoxigraph reads the bundled shapes in 2 ms.
    Literals are held as the data has them (xsd:integer in canonical form, as in `Data`; language
    tags lower-case), so sh:in, sh:hasValue and sh:languageIn compare like with like.
    """

    def __init__(self, triples: Iterable[Triple]) -> None:
        self._out: dict[Term, list[tuple[str, Term]]] = defaultdict(list)
        self._triples: list[Triple] = []
        for subject, predicate, obj in triples:
            if obj.__class__ is Literal:
                obj = canonical_integer(obj) if obj[1] == XSD_INTEGER else obj._replace(language=obj[2].lower())
            self._out[subject].append((predicate, obj))
            self._triples.append((subject, predicate, obj))

    @classmethod
    def from_turtle(cls, text: bytes) -> ShapesGraph:
        """Shapes written in Turtle."""
        return cls((from_oxigraph(t.subject), t.predicate.value, from_oxigraph(t.object))
                   for t in parse(text, format=RdfFormat.TURTLE))

    @classmethod
    def of(cls, shapes: ShapesGraph | Graph) -> ShapesGraph:
        """The shapes as they are, or an rdflib Graph of them read into plain terms."""
        if isinstance(shapes, ShapesGraph):
            return shapes
        return cls((from_rdflib(s), str(p), from_rdflib(o)) for s, p, o in shapes)

    def objects(self, subject: Term, predicate: str) -> list[Term]:
        return [o for p, o in self._out.get(subject, ()) if p == predicate]

    def value(self, subject: Term, predicate: str) -> Term | None:
        """One object of (subject, predicate), None if there is none."""
        return next((o for p, o in self._out.get(subject, ()) if p == predicate), None)

    def subjects(self, predicate: str, obj: Term | None = None) -> list[Term]:
        """Subjects of triples with this predicate (and object, unless None)."""
        return [s for s, p, o in self._triples if p == predicate and (obj is None or o == obj)]

    def predicate_objects(self, subject: Term) -> list[tuple[str, Term]]:
        return list(self._out.get(subject, ()))

    def is_true(self, subject: Term, predicate: str) -> bool:
        """Whether (subject, predicate, true) is in the graph, true written either way xsd allows."""
        return any(o.__class__ is Literal and o[1] == XSD + "boolean" and o[0] in ("true", "1")
                   for o in self.objects(subject, predicate))

    def list_of(self, node: Term) -> list[Term]:
        """The members of an RDF list."""
        members = []
        while node != RDF.nil and node is not None:
            members.append(self.value(node, RDF.first))
            node = self.value(node, RDF.rest)
        return members
