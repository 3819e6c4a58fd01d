"""JSON-LD: compacted with kvgraph's own context, embedded so readers never fetch anything.

A small generic compactor instead of a JSON-LD library: for each triple it picks the context
term whose IRI and coercion (`@id`, `@vocab`, datatype or language) fit the object, else it
writes a compact IRI with an explicit value object. An xsd:integer in canonical form is a JSON
number (what JSON-LD reads back as xsd:integer), and a code-list value under a `@vocab` term is
its term (`"role": "indiener"`). Node objects appear in the order the mapping made them, so the
bytes are the same on every run.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from ..terms import XSD_STRING, Literal, Term, Triple
from ..vocab import RDF_TYPE, XSD_INTEGER
from .chunk import Chunk, subject_chunks


@lru_cache(maxsize=1)
def context() -> dict[str, Any]:
    """The bundled context (the same file as ontology/context.jsonld)."""
    text = resources.files("kvgraph").joinpath("data/context.jsonld").read_text("utf-8")
    return json.loads(text)["@context"]


class Compactor:
    """Chooses keys and value forms from a context's term definitions."""

    def __init__(self, ctx: dict[str, Any]) -> None:
        self.prefixes = {k: v for k, v in ctx.items() if isinstance(v, str) and v[-1:] in "/#"}
        self.terms: dict[tuple[str, str], str] = {}
        self.classes: dict[str, str] = {}
        for name, definition in sorted(ctx.items()):
            if name in self.prefixes or name.startswith("@"):
                continue
            if isinstance(definition, str):
                self.classes.setdefault(self.expand(definition), name)
                self.terms.setdefault((self.expand(definition), "plain"), name)
            elif isinstance(definition, dict) and "@id" in definition and "@container" not in definition:
                self.terms.setdefault((self.expand(definition["@id"]), self._coercion(definition)), name)

    def expand(self, value: str) -> str:
        prefix, _, local = value.partition(":")
        return self.prefixes[prefix] + local if prefix in self.prefixes and not local.startswith("//") else value

    def _coercion(self, definition: dict[str, Any]) -> str:
        if definition.get("@type") in ("@id", "@vocab"):
            return str(definition["@type"])
        if "@type" in definition:
            return "^" + self.expand(definition["@type"])
        if "@language" in definition:
            return "@" + str(definition["@language"])
        return "plain"

    def compact_iri(self, value: str) -> str:
        best = None
        for prefix, namespace in self.prefixes.items():
            local = value[len(namespace):]
            if value.startswith(namespace) and local and "/" not in local and (best is None or len(namespace) > best[1]):
                best = (prefix, len(namespace))
        return f"{best[0]}:{value[best[1]:]}" if best else value

    def entry(self, predicate: str, obj: Term) -> tuple[str, Any]:
        """The key and the JSON value for one triple's predicate and object."""
        if not isinstance(obj, Literal):
            term = self.terms.get((predicate, "@vocab"))
            if term is not None and obj in self.classes:
                return term, self.classes[obj]
            coercion, simple = "@id", _node_id(obj)
        elif obj.datatype == XSD_INTEGER and _canonical(obj.value):
            coercion, simple = "plain", int(obj.value)
        elif obj.language:
            coercion, simple = "@" + obj.language, obj.value
        elif obj.datatype == XSD_STRING:
            coercion, simple = "plain", obj.value
        else:
            coercion, simple = "^" + obj.datatype, obj.value
        term = self.terms.get((predicate, coercion))
        if term is not None:
            return term, simple
        key = self.compact_iri(predicate)
        if not isinstance(obj, Literal):
            return key, {"@id": simple}
        if obj.language:
            return key, {"@value": obj.value, "@language": obj.language}
        if coercion == "plain":
            return key, {"@value": obj.value}
        return key, {"@value": obj.value, "@type": self.compact_iri(obj.datatype)}

    def node(self, subject: str, triples: list[Triple]) -> dict[str, Any]:
        node: dict[str, Any] = {"@id": _node_id(subject)}
        types = [self.classes.get(o) or self.compact_iri(o) for _, p, o in triples if p == RDF_TYPE]
        if types:
            node["@type"] = types[0] if len(types) == 1 else types
        for _, predicate, obj in triples:
            if predicate != RDF_TYPE:
                key, value = self.entry(predicate, obj)
                node.setdefault(key, []).append(value)
        return {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in node.items()}


class JsonLd:
    """One JSON-LD document: the context inline, then `@graph` with one node object per subject."""

    suffix = ".jsonld"
    separator = b",\n"

    def header(self) -> bytes:
        head = json.dumps({"@context": context()}, ensure_ascii=False, indent=2)
        return (head[:-2] + ',\n  "@graph": [\n').encode()

    def chunks(self, graph: str, triples: list[Triple]) -> list[Chunk]:
        return subject_chunks(triples, _node_object)

    def footer(self) -> bytes:
        return b"\n  ]\n}\n"


# An xsd:integer that a JSON number gives back as it is ("7", not "07" or "+7"), and that every
# JSON reader holds exactly (at most 15 digits).
_CANONICAL = re.compile(r"-?[1-9][0-9]{0,14}|0")


def _canonical(number: str) -> bool:
    return _CANONICAL.fullmatch(number) is not None


def _node_id(node: str) -> str:
    """An IRI as itself, a blank node as `_:label`."""
    return node if type(node) is str else f"_:{node}"


@lru_cache(maxsize=1)
def _compactor() -> Compactor:
    return Compactor(context())


def _node_object(subject: str, group: list[Triple]) -> bytes:
    """One subject's node object, indented as an entry of `@graph`."""
    return _indented(_compactor().node(subject, group))


def _indented(node: dict[str, Any]) -> bytes:
    return ("    " + json.dumps(node, ensure_ascii=False, indent=2).replace("\n", "\n    ")).encode()


FORMAT = JsonLd()
