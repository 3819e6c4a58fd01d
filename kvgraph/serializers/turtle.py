"""Turtle: a fixed prefix header, then one block per subject, documents in input order.

Written by hand rather than by rdflib or pyoxigraph so that it streams (no whole graph in
memory), groups each subject's triples into one readable block, and is byte-identical for the
same input whatever the platform: the prefix header and the order are fixed here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..terms import XSD_STRING, Literal, Term, Triple, plainly_escaped
from ..vocab import PREFIXES, RDF_TYPE, XSD_INTEGER
from .chunk import Chunk, by_subject, subject_chunks

_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
# Every namespace ends in `/` or `#`, and a local part has neither: so the namespace of an IRI, if
# it has one, is the IRI up to its last `/` or `#`, found with one dict lookup.
_PREFIX_OF = {namespace: prefix for prefix, namespace in PREFIXES.items()}
assert all(namespace[-1] in "/#" for namespace in _PREFIX_OF)


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def quote(text: str) -> str:
    """A Turtle string literal; control characters as \\u escapes."""
    plain = plainly_escaped(text)
    if plain is not None:
        return f'"{plain}"'
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, text) + '"'


@lru_cache(maxsize=16384)
def iri(value: str) -> str:
    """A prefixed name where the local part is plainly safe, else `<iri>` (cached: predicates,
    classes and shared things come back in every document)."""
    cut = max(value.rfind("/"), value.rfind("#")) + 1
    prefix = _PREFIX_OF.get(value[:cut])
    if prefix is not None and _LOCAL.fullmatch(value, cut):
        return f"{prefix}:{value[cut:]}"
    return f"<{value}>"


def term(node: Term) -> str:
    if type(node) is str:
        return iri(node)
    if not isinstance(node, Literal):
        return f"_:{node}"
    value, datatype, language = node
    if language:
        return f"{quote(value)}@{language}"
    if datatype == XSD_STRING:
        return quote(value)
    if datatype == XSD_INTEGER and _INTEGER.fullmatch(value):
        return value
    return f"{quote(value)}^^{iri(datatype)}"


def header() -> bytes:
    return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items()).encode()


def subject_blocks(triples: list[Triple], indent: str = "") -> list[tuple[str, list[Triple], str]]:
    """(subject, its triples, block) in order of first appearance; `a` first, then predicates as they came."""
    return [(subject, group, _block(subject, group, indent)) for subject, group in by_subject(triples).items()]


def _block(subject: str, group: list[Triple], indent: str) -> str:
    """One subject's triples as a Turtle block, objects grouped by predicate.

    IRI objects (most of them) go straight to the cached `iri`: a call of `term` per object cost more.
    """
    predicates: dict[str, list[str]] = {}
    for _, predicate, obj in group:
        text = iri(obj) if type(obj) is str else term(obj)
        objects = predicates.get(predicate)
        if objects is None:
            predicates[predicate] = [text]
        else:
            objects.append(text)
    types = predicates.pop(RDF_TYPE, None)
    lines = [f"a {', '.join(types)}"] if types else []
    lines += [f"{iri(p)} {', '.join(objects)}" for p, objects in predicates.items()]
    body = f" ;\n{indent}    ".join(lines)
    return f"{indent}{term(subject)} {body} .\n"


def _encoded_block(subject: str, group: list[Triple]) -> bytes:
    return _block(subject, group, "").encode()


class Turtle:
    suffix = ".ttl"
    separator = b"\n"

    def header(self) -> bytes:
        return header() + b"\n"

    def chunks(self, graph: str, triples: list[Triple]) -> list[Chunk]:
        return subject_chunks(triples, _encoded_block)

    def footer(self) -> bytes:
        return b""


FORMAT = Turtle()
