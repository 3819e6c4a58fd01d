"""The data under validation as plain terms, indexed the way the compiled checks read it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..terms import Literal, Term, Triple
from ..vocab import RDF_TYPE, XSD_INTEGER

INTEGER = re.compile(r"[+-]?[0-9]+")  # the lexical form of an xsd:integer


def integer(text: str) -> int | None:
    """The value of an xsd:integer's lexical form; None when the text is not one."""
    return int(text) if INTEGER.fullmatch(text) else None


def canonical_integer(value: Literal) -> Literal:
    """"+4" and "04" as "4": how rdflib and Oxigraph store an xsd:integer, so a SPARQL
    constraint that looks a number up (question numbering) finds it in every engine."""
    number = integer(value[0])
    return value if number is None else Literal(str(number), XSD_INTEGER)


class Data:
    """The triples under validation, indexed by subject and by object (xsd:integer literals
    in canonical form, as the stores have them).

    `inverse`: the predicates whose triples are also indexed by object (those of the shapes'
    inverse paths; None: all), because building an index nobody reads costs as much as a check.
    `canonical`: the triples' xsd:integer literals are known to be canonical already (the
    mapping writes them so), which spares a test of every triple (a seventh of the index's cost).
    """

    def __init__(self, triples: Iterable[Triple], inverse: frozenset[str] | None = None,
                 canonical: bool = False) -> None:
        self.triples: list[Triple] = triples if isinstance(triples, list) else list(triples)
        self.out: dict[Term, dict[str, list[Term]]] = {}
        self.into: dict[Term, dict[str, list[Term]]] = {}
        self.by_type: dict[Term, list[Term]] = {}
        out, into, by_type = self.out, self.into, self.by_type
        # Written out rather than calling a helper per triple: this runs for every triple of
        # every document. The mapping writes a subject's triples together (the same string), so
        # the subject's dict is looked up once per run of them; `in` and a subscript cost less
        # than .get() and a None test; one set test sends the few rdf:type and inverse-path
        # triples (a third) to their indexes.
        if inverse is None:
            inverse = frozenset(triple[1] for triple in self.triples)
        special = inverse | {RDF_TYPE}
        types_too = RDF_TYPE in inverse
        last, predicates = None, {}
        for subject, predicate, obj in self.triples:
            if not canonical and obj.__class__ is Literal and obj[1] == XSD_INTEGER and obj[0][:1] in "+-0":
                obj = canonical_integer(obj)
            if subject is not last:
                last, predicates = subject, out.get(subject)
                if predicates is None:
                    predicates = out[subject] = {}
            if predicate in predicates:
                predicates[predicate].append(obj)
            else:
                predicates[predicate] = [obj]
            if predicate in special:
                if predicate == RDF_TYPE:
                    if obj in by_type:
                        by_type[obj].append(subject)
                    else:
                        by_type[obj] = [subject]
                    if not types_too:
                        continue
                found = into.get(obj)
                if found is None:
                    into[obj] = {predicate: [subject]}
                elif predicate in found:
                    found[predicate].append(subject)
                else:
                    found[predicate] = [subject]

    def objects(self, node: Term, predicate: str) -> list[Term]:
        found = self.out.get(node)
        return found.get(predicate, []) if found else []
