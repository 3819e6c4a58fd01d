"""RDF terms as plain Python values, the one form kvgraph's own steps hand each other.

An IRI is a `str`, a blank node a `BlankNode` (a `str` subclass, only in RDF read from files:
the mapping makes none), a literal a `Literal` tuple, a triple a `(subject, predicate, object)`
tuple. Why not pyoxigraph's or rdflib's terms: a Python string keeps its hash and compares in
C, while every attribute access or hash of a pyoxigraph term crosses into Rust and allocates;
at a hundred triples a document and a hundred thousand documents that was most of the time.
pyoxigraph and rdflib terms are made only at the edges (stores, SPARQL, the public API), by the
converters here. N-Triples is written here too: it is the exchange form every edge reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from pyoxigraph import BlankNode as OxBlankNode
from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode, Quad, RdfFormat, parse
from pyoxigraph import Triple as OxTriple

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class BlankNode(str):
    """A blank node, by its label."""

    __slots__ = ()


class Literal(NamedTuple):
    """A literal; a language-tagged one has datatype rdf:langString, as in RDF 1.1."""

    value: str
    datatype: str = XSD_STRING
    language: str = ""


def lang(value: str, language: str) -> Literal:
    """A language-tagged literal (tags lower-cased, as pyoxigraph and the N-Triples canon do)."""
    return Literal(value, RDF_LANGSTRING, language.lower())


Term = str | Literal
Triple = tuple[str, str, Term]


# N-Triples escapes, the canonical ones pyoxigraph writes: so the bytes do not depend on who wrote them.
_ESCAPES = {chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F, 0xFFFE, 0xFFFF]}
_ESCAPES.update({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"})
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")


def _escape(match: re.Match[str]) -> str:
    return _ESCAPES[match.group(0)]


def plainly_escaped(text: str) -> str | None:
    """The text escaped for a Turtle or N-Triples string when nothing but newlines needs escaping
    (nearly all text), else None (the caller's escape regex decides).

    Found with C-speed string methods, about 2 µs a kilobyte, where a scan with the escape regex
    tests each character against its set (7 µs). A printable string has no control character
    (nor U+FFFE, U+FFFF); a no-break space is not printable yet needs no escape, and it is
    common in Dutch text ("9\u00a0maart"), as are newlines in answers.
    """
    if '"' in text or "\\" in text:
        return None
    if text.isprintable():
        return text
    if text.replace("\n", " ").replace("\xa0", " ").isprintable():
        return text.replace("\n", "\\n")
    return None


def nt_term(term: Term) -> str:
    """One term in N-Triples syntax."""
    if type(term) is str:
        return f"<{term}>"
    if isinstance(term, Literal):
        value, datatype, language = term
        text = plainly_escaped(value)
        if text is None:
            text = _NEEDS_ESCAPE.sub(_escape, value)
        if language:
            return f'"{text}"@{language}'
        if datatype == XSD_STRING:
            return f'"{text}"'
        return f'"{text}"^^<{datatype}>'
    if isinstance(term, BlankNode):
        return f"_:{term}"
    raise TypeError(f"not a kvgraph term: {term!r}")


def nt_lines(triples: Iterable[Triple], graph: str | None = None) -> list[str]:
    """Each triple as an N-Triples line (an N-Quads line in `graph` if given), with its line end.

    A triple of IRIs only (most of them) is written without a call of `nt_term`."""
    end = f" <{graph}> .\n" if graph else " .\n"
    return [f"<{s}> <{p}> <{o}>{end}" if type(o) is str and type(s) is str else f"{nt_term(s)} <{p}> {nt_term(o)}{end}"
            for s, p, o in triples]


def ntriples(triples: Iterable[Triple]) -> bytes:
    """Triples as N-Triples bytes."""
    return "".join(nt_lines(triples)).encode()


def from_oxigraph(term: NamedNode | OxBlankNode | OxLiteral) -> Term:
    """A pyoxigraph term as a plain one; ValueError for what kvgraph does not model (RDF 1.2
    triple terms and directional language strings), rather than a term that means less."""
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, OxLiteral):
        if term.direction is not None:
            raise ValueError(f"directional language strings (RDF 1.2) are not supported: {term}")
        return Literal(term.value, term.datatype.value, term.language or "")
    if isinstance(term, OxBlankNode):
        return BlankNode(term.value)
    raise ValueError(f"RDF 1.2 triple terms are not supported: {term}")


def from_rdflib(term: object) -> Term:
    """An rdflib term (from a shapes graph or a query) as a plain one, as the data has them
    (language tags lower-case). rdflib is imported here only when needed: workers that do
    not validate never load it."""
    from rdflib import BNode, URIRef
    from rdflib import Literal as RdfLiteral

    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return BlankNode(term)
    if isinstance(term, RdfLiteral):
        if term.language:
            return Literal(str(term), RDF_LANGSTRING, term.language.lower())
        return Literal(str(term), str(term.datatype or XSD_STRING))
    raise TypeError(f"not an RDF term: {term!r}")


def to_oxigraph(term: Term) -> NamedNode | OxBlankNode | OxLiteral:
    """A plain term as a pyoxigraph one."""
    if type(term) is str:
        return NamedNode(term)
    if isinstance(term, Literal):
        if term.language:
            return OxLiteral(term.value, language=term.language)
        return OxLiteral(term.value, datatype=NamedNode(term.datatype))
    return OxBlankNode(term)


def triples_from_oxigraph(items: Iterable[OxTriple | Quad]) -> list[Triple]:
    """pyoxigraph triples or quads (graph names dropped) as plain triples."""
    return [(from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)) for t in items]


def triples_to_oxigraph(triples: Iterable[Triple]) -> list[OxTriple]:
    """Plain triples as pyoxigraph triples (for the public API and stores)."""
    return [OxTriple(to_oxigraph(s), NamedNode(p), to_oxigraph(o)) for s, p, o in triples]


def parse_ntriples(data: bytes) -> list[Triple]:
    """N-Triples bytes as plain triples (pyoxigraph parses)."""
    return triples_from_oxigraph(parse(data, format=RdfFormat.N_TRIPLES))
