"""Turtle: a fixed prefix header, then one block per subject, documents in input order.

Written by hand rather than by rdflib or pyoxigraph so that it streams (no whole graph in
memory), groups each subject's triples into one readable block, and is byte-identical for the
same input whatever the platform: the prefix header and the order are fixed here.
"""

from __future__ import annotations

import re

from pyoxigraph import Literal, NamedNode, Triple

from ..vocab import PREFIXES, RDF_TYPE
from .chunk import Chunk, shared_keys

XSD = PREFIXES["xsd"]
_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
# Longest namespace first, so `kv:` is not shadowed by a shorter prefix of the same IRI.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: len(item[1]), reverse=True)


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def quote(text: str) -> str:
    """A Turtle string literal; control characters as \\u escapes."""
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, text) + '"'


def iri(node: NamedNode) -> str:
    """A prefixed name where the local part is plainly safe, else `<iri>`."""
    value = node.value
    for prefix, namespace in _BY_LENGTH:
        if value.startswith(namespace) and _LOCAL.fullmatch(value[len(namespace):]):
            return f"{prefix}:{value[len(namespace):]}"
    return f"<{value}>"


def term(node: NamedNode | Literal) -> str:
    if isinstance(node, NamedNode):
        return iri(node)
    if node.language:
        return f"{quote(node.value)}@{node.language}"
    datatype = node.datatype.value
    if datatype == XSD + "string":
        return quote(node.value)
    if datatype == XSD + "integer" and _INTEGER.fullmatch(node.value):
        return node.value
    return f"{quote(node.value)}^^{iri(node.datatype)}"


def header() -> bytes:
    return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items()).encode()


def subject_blocks(triples: list[Triple], indent: str = "") -> list[tuple[NamedNode, int, str]]:
    """(subject, triple count, block) in order of first appearance; `a` first, then predicates as they came."""
    subjects: dict[NamedNode, dict[NamedNode, list[str]]] = {}
    for triple in triples:
        predicates = subjects.setdefault(triple.subject, {})
        predicates.setdefault(triple.predicate, []).append(term(triple.object))
    blocks = []
    for subject, predicates in subjects.items():
        count = sum(len(objects) for objects in predicates.values())
        types = predicates.pop(RDF_TYPE, None)
        lines = [f"a {', '.join(types)}"] if types else []
        lines += [f"{iri(p)} {', '.join(objects)}" for p, objects in predicates.items()]
        body = f" ;\n{indent}    ".join(lines)
        blocks.append((subject, count, f"{indent}{iri(subject)} {body} .\n"))
    return blocks


class Turtle:
    suffix = ".ttl"
    separator = b"\n"

    def header(self) -> bytes:
        return header() + b"\n"

    def chunks(self, graph: NamedNode, triples: list[Triple]) -> list[Chunk]:
        keys = shared_keys(triples)
        return [Chunk(block.encode(), count, shared=subject in keys, keys=keys.get(subject, ()))
                for subject, count, block in subject_blocks(triples)]

    def footer(self) -> bytes:
        return b""


FORMAT = Turtle()
