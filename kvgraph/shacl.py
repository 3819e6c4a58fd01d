"""A compiled SHACL engine for bulk validation: the shapes are read once into Python checks.

pyshacl re-reads the shapes graph and re-parses every SPARQL constraint for every focus node,
which costs about a second per document. This engine compiles the shapes graph once into
plain functions over an index of the data; SPARQL-based constraints are compiled to Python
over the same index (shacl_sparql.py), and any the compiler cannot translate run once per batch of
documents in an in-memory Oxigraph store. It implements the SHACL Core components
and SHACL-SPARQL constraints that kvgraph's shapes use, and refuses (at compile time) shapes
that use anything else, so it can never silently skip a check. pyshacl stays the reference
engine (`--engine pyshacl`); tests hold both to the same verdicts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING

from pyoxigraph import RdfFormat, Store, parse

from .shacl_sparql import Select, Unsupported, compile_select
from .terms import RDF_LANGSTRING, BlankNode, Literal, Term, Triple, from_oxigraph, from_rdflib, nt_lines
from .violations import Violation
from .vocab import PREFIXES, RDF_TYPE, XSD_INTEGER, Namespace

if TYPE_CHECKING:
    from rdflib import Graph

XSD = PREFIXES["xsd"]
SH = Namespace("http://www.w3.org/ns/shacl#")
RDF = Namespace(PREFIXES["rdf"])

# Shape predicates that carry no constraint (documentation, grouping) or are handled as structure.
_NON_VALIDATING = {SH.name, SH.description, SH.order, SH.group, SH.defaultValue, SH.message, SH.severity,
                   SH.path, SH.property, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                   SH.deactivated, SH.sparql, SH.closed, SH.ignoredProperties, RDF_TYPE,
                   SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint,
                   PREFIXES["rdfs"] + "label", PREFIXES["rdfs"] + "comment"}


def _canonical_integer(value: Literal) -> Literal:
    """"+4" and "04" as "4": how rdflib and Oxigraph store an xsd:integer, so a SPARQL
    constraint that looks a number up (question numbering) finds it in every engine."""
    return Literal(str(int(value[0])), XSD_INTEGER) if _INT.fullmatch(value[0]) else value


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
                obj = _canonical_integer(obj)
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


# What a generated checker returns: (failing shape, value or None for the focus node as a whole,
# the predicate of a property a closed shape does not allow or None), or for a SPARQL constraint
# (its SparqlCheck, the solution, None). Either way `failed.violation(focus, *rest)` words it.
Failure = tuple["Shape | SparqlCheck", "Term | tuple | None", "str | None"]
Checker = Callable[[Data, Term], list[Failure]]


@dataclass(frozen=True)
class Test:
    """One SHACL Core constraint as a Python expression, pasted into its shape's checker.

    Per value (`whole` False) the expression is true when value node `v` fails; for the whole
    value set (`whole` True) it gives the list of failing values (None: the focus node as a
    whole). It may use `v`, `values`, `data`, `focus` and the constants the Compiler named.
    """

    code: str
    whole: bool = False


@dataclass
class Shape:
    """A node or property shape (`values` None for node shapes) compiled to tests, then to code."""

    node: object
    values: str | None = None  # code for the value nodes of a property shape's path (see Compiler.values)
    path_iri: str | None = None  # set for a predicate path
    min_count: int = 0
    max_count: int | None = None
    tests: list[Test] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    message: str | None = None
    severity: str = "Violation"
    targets: list[Callable[[Data], list[Term]]] = field(default_factory=list)
    sparql: list[tuple[str, str | None]] = field(default_factory=list)
    target_classes: list[str] = field(default_factory=list)
    closed: set[str] | None = None
    run: Callable[[Data, Term], list[Failure]] | None = None  # the generated checker

    def conforms(self, data: Data, focus: Term) -> bool:
        """Whether `focus` meets the shape's Core constraints (for sh:node and qualified shapes)."""
        return not self.run(data, focus)  # type: ignore[misc]

    def violation(self, focus: Term, value: Term | None, unexpected: str | None) -> Violation:
        """A failure of this shape in words; `unexpected`: the property a closed shape does not allow."""
        text = _text(value) if value is not None else None
        if unexpected is not None:
            return Violation(_text(focus), unexpected, self.message or "property not allowed here", self.severity, text)
        return Violation(_text(focus), self.path_iri, self.message or "constraint not met", self.severity, text)


@dataclass(frozen=True, eq=False)
class SparqlCheck:
    """A SHACL-SPARQL constraint compiled to Python, on `shape` (a node shape or one of its property shapes)."""

    select: Select
    shape: Shape
    message: str | None

    def violation(self, focus: Term, row: tuple[Term | None, ...], _: None) -> Violation:
        """A solution in words: `{?var}` in the message filled from it."""
        return _sparql_violation(self.shape, self.message, focus, dict(zip(self.select.variables, row, strict=True)))


def _text(term: Term) -> str:
    """The lexical form of a literal, the IRI or label of a node."""
    return term.value if isinstance(term, Literal) else str(term)


def _is_iri(term: object) -> bool:
    return type(term) is str


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
                obj = _canonical_integer(obj) if obj[1] == XSD_INTEGER else obj._replace(language=obj[2].lower())
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


class Compiler:
    """Reads a shapes graph into Shape objects with compiled checks."""

    def __init__(self, shapes: ShapesGraph) -> None:
        self.g = shapes
        self._cache: dict[object, Shape] = {}
        self.inverse: set[str] = set()  # predicates of inverse paths (see Data)
        self.referenced: dict[object, Shape] = {}  # by shape node, see referred()
        self.constants: dict[str, object] = {"Literal": Literal, "BlankNode": BlankNode, "NOTHING": _NOTHING,
                                             "RDF_TYPE": RDF_TYPE, "_union": _union}

    def referred(self, node: object) -> Shape:
        """A shape that a constraint checks value nodes against (sh:node, sh:qualifiedValueShape):
        it gets a checker function of its own (`Shape.run`), which other shapes do not need."""
        shape = self.shape(node)
        self.referenced[node] = shape
        return shape

    def const(self, value: object) -> str:
        """A name for a constant the generated code uses."""
        name = f"_c{len(self.constants)}"
        self.constants[name] = value
        return name

    def node_shapes(self) -> list[Shape]:
        roots = set(self.g.subjects(RDF_TYPE, SH.NodeShape))
        for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            roots.update(self.g.subjects(predicate, None))
        return [self.shape(node) for node in sorted(roots, key=str)]

    def shape(self, node: object) -> Shape:
        if node in self._cache:
            return self._cache[node]
        g = self.g
        path_node = g.value(node, SH.path)
        shape = Shape(node=node)
        self._cache[node] = shape
        if g.is_true(node, SH.deactivated):
            return shape  # checks nothing: its focus nodes conform, as do values that must conform to it
        if path_node is not None:
            shape.values = self.values(path_node)
            if _is_iri(path_node):
                shape.path_iri = path_node
        message = g.value(node, SH.message)
        shape.message = _text(message) if message is not None else None
        severity = g.value(node, SH.severity)
        shape.severity = _text(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"
        self._targets(node, shape)
        for predicate, obj in g.predicate_objects(node):
            if predicate in _NON_VALIDATING:
                continue
            if predicate == SH.minCount:
                shape.min_count = _integer(obj)
                continue
            if predicate == SH.maxCount:
                shape.max_count = _integer(obj)
                continue
            builder = _BUILDERS.get(predicate)
            if builder is None:
                raise NotImplementedError(f"shape {node}: constraint {predicate} is not supported by the fast engine")
            test = builder(self, node, obj)
            if test is not None:
                shape.tests.append(test)
        if g.is_true(node, SH.closed):
            shape.closed = self._allowed(node)
        shape.properties = [self.shape(p) for p in sorted(g.objects(node, SH.property), key=str)]
        if shape.properties and path_node is not None:
            raise NotImplementedError(f"shape {node}: sh:property on a property shape is not supported by the fast engine")
        for constraint in g.objects(node, SH.sparql):
            shape.sparql.append(self._sparql(constraint, shape))
        return shape

    def _targets(self, node: object, shape: Shape) -> None:
        for cls in self.g.objects(node, SH.targetClass):
            shape.target_classes.append(_text(cls))
            shape.targets.append(_instances_of(_text(cls)))
        for target in self.g.objects(node, SH.targetNode):
            shape.targets.append(_the_node(target))
        for predicate in self.g.objects(node, SH.targetSubjectsOf):
            shape.targets.append(_ends_of(_text(predicate), subjects=True))
        for predicate in self.g.objects(node, SH.targetObjectsOf):
            shape.targets.append(_ends_of(_text(predicate), subjects=False))

    def values(self, node: object) -> str:
        """Python code for the value nodes of path `node` at `focus`, pasted into the checkers:
        an index lookup for a predicate or an inverse predicate, the union of its members'
        for an alternative path (topics have one), where a call of a path function per focus
        node cost a topic a third of its checks."""
        if _is_iri(node):
            return f"outgoing.get({self.const(node)}, ())"
        inverse = self.g.value(node, SH.inversePath)
        if _is_iri(inverse):
            self.inverse.add(inverse)
            return f"data.into.get(focus, NOTHING).get({self.const(inverse)}, ())"
        alternatives = self.g.value(node, SH.alternativePath)
        if alternatives is not None:
            return f"_union({', '.join(self.values(p) for p in self.g.list_of(alternatives))})"
        raise NotImplementedError(f"path {node} is not supported by the fast engine")

    def _allowed(self, node: object) -> set[str]:
        """The properties a closed shape allows: its property shapes' paths and sh:ignoredProperties."""
        allowed = {self.g.value(p, SH.path) for p in self.g.objects(node, SH.property)
                   if _is_iri(self.g.value(p, SH.path))}
        for ignored in self.g.objects(node, SH.ignoredProperties):
            allowed.update(_text(p) for p in self.g.list_of(ignored))
        return allowed

    def _sparql(self, constraint: object, shape: Shape) -> tuple[str, str | None]:
        select = self.g.value(constraint, SH.select)
        if select is None:
            raise NotImplementedError(f"SPARQL constraint {constraint} has no sh:select")
        prefixes = []
        for declared in self.g.objects(constraint, SH.prefixes):
            for declaration in self.g.objects(declared, SH.declare):
                prefix = self.g.value(declaration, SH.prefix)
                namespace = self.g.value(declaration, SH.namespace)
                prefixes.append(f"PREFIX {_text(prefix)}: <{_text(namespace)}>")
        message = self.g.value(constraint, SH.message)
        # sorted: the text (and so its key in the bundle of translated queries) must not depend
        # on the order the shapes were read in
        return "\n".join(sorted(prefixes)) + "\n" + _text(select), _text(message) if message is not None else None


def _instances_of(cls: str) -> Callable[[Data], list[Term]]:
    return lambda data: data.by_type.get(cls, ())  # type: ignore[return-value]  # read, never changed


def _focus_nodes(targets: list[Callable[[Data], list[Term]]]) -> Callable[[Data], list[Term]]:
    """One function for all of a shape's targets (each focus node once)."""
    if len(targets) == 1:
        return targets[0]
    return lambda data: _union(*(target(data) for target in targets))


def _the_node(node: Term) -> Callable[[Data], list[Term]]:
    """sh:targetNode: the node is a focus node whether or not the data mentions it."""
    return lambda data: [node]


def _ends_of(predicate: str, subjects: bool) -> Callable[[Data], list[Term]]:
    def ends(data: Data) -> list[Term]:
        return [s if subjects else o for s, p, o in data.triples if p == predicate]
    return ends


def _union(*values: list[Term]) -> list[Term]:
    """The nodes of all the lists, each once (an alternative path's value nodes, the focus nodes
    of a shape's targets)."""
    return list(dict.fromkeys(chain(*values)))


def _integer(node: Term) -> int:
    return int(_text(node))


_DATE = re.compile(r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?")
_INT = re.compile(r"[+-]?[0-9]+")


@lru_cache(maxsize=65536)  # dates and numbers recur across documents; parsing them is the cost
def _well_formed(value: Literal, datatype: str) -> bool:
    """Lexical validity for the datatypes kvgraph uses; others are taken as they are."""
    if datatype == XSD + "date":
        if not _DATE.fullmatch(value.value):
            return False
        try:
            date.fromisoformat(value.value[:10])
        except ValueError:
            return False
        return True
    if datatype in (XSD + "integer", XSD + "nonNegativeInteger", XSD + "positiveInteger"):
        return bool(_INT.fullmatch(value.value))
    return True


_TEXT = "(v[0] if v.__class__ is Literal else v)"  # the lexical form of a literal, else the node's IRI or label
_CHECKED_LEXICALLY = {XSD + "date", XSD + "integer", XSD + "nonNegativeInteger", XSD + "positiveInteger"}


def _datatype(c: Compiler, shape: object, obj: object) -> Test:
    wanted = _text(obj)
    if wanted == RDF_LANGSTRING:
        return Test("not (v.__class__ is Literal and v[2])")
    name = c.const(wanted)
    lexical = f" and {c.const(_well_formed)}(v, {name})" if wanted in _CHECKED_LEXICALLY else ""
    return Test(f"not (v.__class__ is Literal and not v[2] and v[1] == {name}{lexical})")


def _kind(term: Term) -> str:
    if isinstance(term, Literal):
        return "Literal"
    return "BlankNode" if isinstance(term, BlankNode) else "IRI"


_NODE_KINDS = {
    "IRI": {"IRI"}, "Literal": {"Literal"}, "BlankNode": {"BlankNode"},
    "BlankNodeOrIRI": {"BlankNode", "IRI"}, "IRIOrLiteral": {"IRI", "Literal"},
    "BlankNodeOrLiteral": {"BlankNode", "Literal"},
}


def _node_kind(c: Compiler, shape: object, obj: object) -> Test:
    kinds = _NODE_KINDS[_text(obj).rsplit("#", 1)[-1]]
    if kinds == {"IRI"}:
        return Test("v.__class__ is not str")
    return Test(f"{c.const(_kind)}(v) not in {c.const(kinds)}")


def _class(c: Compiler, shape: object, obj: object) -> Test:
    return Test(f"v.__class__ is Literal or {c.const(_text(obj))} not in data.out.get(v, NOTHING).get(RDF_TYPE, ())")


def _pattern(c: Compiler, shape: object, obj: object) -> Test:
    flags = c.g.value(shape, SH.flags)
    regex = re.compile(_text(obj), re.IGNORECASE if flags is not None and "i" in _text(flags) else 0)
    return Test(f"v.__class__ is BlankNode or not {c.const(regex)}.search({_TEXT})")


def _in(c: Compiler, shape: object, obj: object) -> Test:
    return Test(f"v not in {c.const(frozenset(c.g.list_of(obj)))}")


def _min_length(c: Compiler, shape: object, obj: object) -> Test:
    return Test(f"v.__class__ is BlankNode or len({_TEXT}) < {_integer(obj)}")


def _max_length(c: Compiler, shape: object, obj: object) -> Test:
    return Test(f"v.__class__ is BlankNode or len({_TEXT}) > {_integer(obj)}")


def _language_in(c: Compiler, shape: object, obj: object) -> Test:
    ranges = [_text(r).lower() for r in c.g.list_of(obj)]

    def fits(value: Term) -> bool:
        language = value.language.lower() if isinstance(value, Literal) and value.language else ""
        return bool(language) and any(language == r or language.startswith(r + "-") or r == "*" for r in ranges)
    # the tags kvgraph writes are lower-case, so an exact match decides most values without a call
    exact = c.const(frozenset(r for r in ranges if r != "*"))
    return Test(f"not (v.__class__ is Literal and v[2] in {exact}) and not {c.const(fits)}(v)")


def _has_value(c: Compiler, shape: object, obj: object) -> Test:
    return Test(f"[] if {c.const(obj)} in values else [None]", whole=True)


@lru_cache(maxsize=65536)
def _comparable(value: Term) -> object | None:
    """A Python value to order literals by (numbers and dates), None when not comparable."""
    if not isinstance(value, Literal) or value.language:
        return None
    datatype = value.datatype
    try:
        if datatype == XSD + "date":
            return date.fromisoformat(value.value[:10]) if _well_formed(value, datatype) else None
        if datatype in (XSD + "integer", XSD + "decimal", XSD + "double", XSD + "float",
                        XSD + "nonNegativeInteger", XSD + "positiveInteger", XSD + "int", XSD + "long"):
            return Decimal(value.value)
    except (ValueError, InvalidOperation):
        return None
    return None


def _bound(c: Compiler, shape: object, obj: object, holds: Callable[[object, object], bool]) -> Test:
    limit = _comparable(obj)

    @lru_cache(maxsize=65536)  # pure in the value, and dates and numbers recur across documents
    def ok(value: Term) -> bool:
        mine = _comparable(value)
        return mine is not None and type(mine) is type(limit) and holds(mine, limit)
    return Test(f"not {c.const(ok)}(v)")


def _pair(c: Compiler, shape: object, obj: object, holds: Callable[[object, object], bool]) -> Test:
    other = _text(obj)

    def failing(data: Data, focus: Term, values: list[Term]) -> list[Term | None]:
        found: list[Term | None] = []
        for value in values:
            for second in data.objects(focus, other):
                a, b = _comparable(value), _comparable(second)
                if a is None or b is None or type(a) is not type(b) or not holds(a, b):
                    found.append(value)
        return found
    return Test(f"{c.const(failing)}(data, focus, values)", whole=True)


def _node(c: Compiler, shape: object, obj: object) -> Test:
    return Test(f"not {c.const(c.referred(obj))}.conforms(data, v)")


def _qualified(c: Compiler, shape: object, obj: object) -> Test:
    if c.g.is_true(shape, SH.qualifiedValueShapesDisjoint):
        raise NotImplementedError(f"shape {shape}: sh:qualifiedValueShapesDisjoint is not supported by the fast engine")
    qualified = c.referred(obj)
    low = c.g.value(shape, SH.qualifiedMinCount)
    high = c.g.value(shape, SH.qualifiedMaxCount)

    def failing(data: Data, focus: Term, values: list[Term]) -> list[Term | None]:
        count = sum(1 for v in values if qualified.conforms(data, v))
        too_few = low is not None and count < _integer(low)
        too_many = high is not None and count > _integer(high)
        return [None] if too_few or too_many else []
    return Test(f"{c.const(failing)}(data, focus, values)", whole=True)


_BUILDERS: dict[object, Callable[[Compiler, object, object], Test | None]] = {
    SH.datatype: _datatype,
    SH.nodeKind: _node_kind,
    SH["class"]: _class,
    SH.pattern: _pattern,
    SH.flags: lambda c, s, o: None,  # read by sh:pattern
    SH["in"]: _in,
    SH.minLength: _min_length,
    SH.maxLength: _max_length,
    SH.languageIn: _language_in,
    SH.hasValue: _has_value,
    SH.minInclusive: lambda c, s, o: _bound(c, s, o, lambda a, b: a >= b),
    SH.maxInclusive: lambda c, s, o: _bound(c, s, o, lambda a, b: a <= b),
    SH.minExclusive: lambda c, s, o: _bound(c, s, o, lambda a, b: a > b),
    SH.maxExclusive: lambda c, s, o: _bound(c, s, o, lambda a, b: a < b),
    SH.lessThan: lambda c, s, o: _pair(c, s, o, lambda a, b: a < b),
    SH.lessThanOrEquals: lambda c, s, o: _pair(c, s, o, lambda a, b: a <= b),
    SH.node: _node,
    SH.qualifiedValueShape: _qualified,
}


def generate(c: Compiler, shapes: Iterable[Shape], groups: list[list[tuple[Shape, list[SparqlCheck]]]]
             ) -> tuple[str, list[Checker]]:
    """Python source of one checker function per shape that others refer to (its `run`, for
    sh:node and qualified shapes) and of one per group of node shapes that share their focus nodes.

    Why generated code: a shape is a fixed list of constraints, and straight-line code with the
    constants in place runs several times faster than looping over closures for every focus
    node. A group's checker runs all its shapes' Core constraints and then calls their compiled
    SPARQL constraints, one call per focus node where a call per shape and per constraint cost
    a sixth of validation. The source is kept on the engine (`Engine.source`) for reading.
    """
    functions = [(f"_shape{index}", _function(f"_shape{index}", _body(c, shape)), shape)
                 for index, shape in enumerate(shapes)]
    functions += [(f"_group{index}", _function(f"_group{index}", _group_body(c, group)), None)
                  for index, group in enumerate(groups)]
    source = "\n\n".join(code for _, code, _ in functions) + "\n"
    namespace = dict(c.constants)
    exec(compile(source, "<kvgraph shapes>", "exec"), namespace)  # noqa: S102 - our own generated code
    for name, _, shape in functions:
        if shape is not None:
            shape.run = namespace[name]
    return source, [namespace[f"_group{index}"] for index in range(len(groups))]


def _function(name: str, body: list[str]) -> str:
    return "\n".join([f"def {name}(data, focus):", "    found = []", "    outgoing = data.out.get(focus, NOTHING)",
                      *body, "    return found"])


def _body(c: Compiler, shape: Shape) -> list[str]:
    """The lines that check a shape's Core constraints on `focus`, adding failures to `found`."""
    lines = _block(c, shape)
    if shape.closed is not None:
        me = c.const(shape)
        allowed = c.const(frozenset(shape.closed))
        # The subset test runs in C and decides the usual case (nothing unexpected) alone.
        lines += [f"    if not outgoing.keys() <= {allowed}:",
                  "        for p, objects in outgoing.items():",
                  f"            if p not in {allowed}:",
                  f"                found += [({me}, o, p) for o in objects]"]
    for prop in shape.properties:
        lines += _block(c, prop)
    return lines


def _group_body(c: Compiler, group: list[tuple[Shape, list[SparqlCheck]]]) -> list[str]:
    """The Core constraints of every shape of a group, then its compiled SPARQL constraints."""
    lines = [line for shape, _ in group for line in _body(c, shape)]
    for _, checks in group:
        for check in checks:
            lines += [f"    rows = {c.const(check.select.run)}(data, focus)",
                      "    if rows:",
                      f"        found += [({c.const(check)}, row, None) for row in rows]"]
    return lines


def _block(c: Compiler, shape: Shape) -> list[str]:
    """The lines that check one shape's own constraints on the focus node's value nodes."""
    values = shape.values
    if not (shape.tests or shape.min_count or shape.max_count is not None):
        return []
    me = c.const(shape)
    bounds = _count_test(shape.min_count, shape.max_count)
    per_value = [t for t in shape.tests if not t.whole]
    whole = [t for t in shape.tests if t.whole]
    lines = [f"    values = {values or '(focus,)'}"] if bounds or whole or values is not None else []
    if bounds:
        lines += [f"    if {bounds}:", f"        found.append(({me}, None, None))"]
    if per_value:
        # a node shape's one value node is the focus node itself: no loop (thirty a document)
        inside = "        " if values is not None else "    "
        lines.append("    for v in values:" if values is not None else "    v = focus")
        for test in per_value:
            lines += [f"{inside}if {test.code}:", f"{inside}    found.append(({me}, v, None))"]
    lines += [f"    found += [({me}, x, None) for x in ({t.code})]" for t in whole]
    return lines


def _count_test(low: int, high: int | None) -> str:
    """The condition on `len(values)` that fails sh:minCount `low` / sh:maxCount `high` ("" if none can);
    exactly one value (the commonest bounds) as one comparison."""
    if low == high == 1:
        return "len(values) != 1"
    return " or ".join(([f"len(values) < {low}"] if low else []) +
                       ([f"len(values) > {high}"] if high is not None else []))


class Engine:
    """Validates batches of triples against compiled shapes.

    `compile_sparql`: run SHACL-SPARQL constraints as compiled Python (shacl_sparql.py) where the
    compiler can, else in an Oxigraph store per batch; False runs all of them in the store
    (the tests hold the two ways to the same results).
    """

    def __init__(self, shapes: ShapesGraph | Graph, compile_sparql: bool = True) -> None:
        compiler = Compiler(ShapesGraph.of(shapes))
        self.shapes = compiler.node_shapes()
        inverse = set(compiler.inverse)
        compiled: dict[int, list[SparqlCheck]] = defaultdict(list)
        self._queries = []
        for number, shape, prop, query, message in _constraints(self.shapes):
            select = _compiled(query) if compile_sparql else None
            if select is not None:
                compiled[number].append(SparqlCheck(select, prop, message))
                inverse |= select.inverse
            else:
                self._queries.append((shape, prop, query, message))
        for shape, _, _, _ in self._queries:
            if not shape.target_classes or len(shape.targets) != len(shape.target_classes):
                raise NotImplementedError("SPARQL constraints are supported on shapes with sh:targetClass only")
        self._inverse = frozenset(inverse)
        self._predicates = _predicates_used([query for _, _, query, _ in self._queries])
        # Node shapes grouped by their focus nodes: those of exactly one sh:targetClass by that
        # class (a class's shapes run as one function), any other a group of its own.
        by_class: dict[str, list[tuple[Shape, list[SparqlCheck]]]] = defaultdict(list)
        others: list[tuple[Shape, list[SparqlCheck]]] = []
        for number, shape in enumerate(self.shapes):
            if not shape.targets:
                continue
            member = (shape, compiled.get(number, []))
            if len(shape.targets) == len(shape.target_classes) == 1:
                by_class[shape.target_classes[0]].append(member)
            else:
                others.append(member)
        classes = sorted(by_class)
        self.source, checkers = generate(compiler, list(compiler.referenced.values()),
                                         [by_class[cls] for cls in classes] + [[member] for member in others])
        self._by_class = dict(zip(classes, checkers[:len(classes)], strict=True))
        self._others = [(_focus_nodes(shape.targets), check)
                        for (shape, _), check in zip(others, checkers[len(classes):], strict=True)]

    def validate(self, triples: list[Triple]) -> list[Violation]:
        """All violations in one graph."""
        return self.validate_documents([triples])[0]

    def validate_documents(self, documents: list[list[Triple]], canonical: bool = False) -> list[list[Violation]]:
        """Violations per document, each document's graph judged on its own (`canonical`: see Data).

        Core checks and compiled SPARQL constraints run per document on an index of its
        triples; the other SPARQL constraints run once for the whole batch, with every
        document in a named graph of its own so no query can see two documents at once.
        """
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
            found.append(mine)
        if self._queries:
            for index, violations in self._sparql(documents).items():
                found[index] += violations
        return [sorted(set(v), key=lambda x: (x.focus, x.path or "", x.message, x.value or "")) for v in found]

    def _sparql(self, documents: list[list[Triple]]) -> dict[int, list[Violation]]:
        wanted = self._predicates
        lines = [line for index, triples in enumerate(documents)
                 for line in nt_lines([t for t in triples if wanted is None or t[1] in wanted], f"{_GRAPH}{index}")]
        store = Store()
        # Lenient: the terms were checked when they were made (the mapping) or read (pyoxigraph), and
        # checking every IRI again was a third of the SPARQL constraints' time.
        store.load("".join(lines).encode(), format=RdfFormat.N_QUADS, lenient=True)
        found: dict[int, list[Violation]] = defaultdict(list)
        for shape, prop, query, message in self._queries:
            for cls in shape.target_classes:
                rows = store.query(_per_graph(query, cls))
                names = [v.value for v in rows.variables if v.value != _DOC]
                for row in rows:
                    index = int(row[_DOC].value[len(_GRAPH):])
                    solution = {name: None if row[name] is None else from_oxigraph(row[name]) for name in names}
                    found[index].append(_sparql_violation(prop, message, from_oxigraph(row["this"]), solution))
        return found


def _run(check: Checker, data: Data, nodes: Iterable[Term], found: list[Violation]) -> None:
    """Check each focus node, adding its failures in words to `found`."""
    for focus in nodes:
        failures = check(data, focus)
        if failures:
            found += [failed.violation(focus, x, y) for failed, x, y in failures]


def _constraints(shapes: list[Shape]) -> Iterator[tuple[int, Shape, Shape, str, str | None]]:
    """Every SHACL-SPARQL constraint: (the node shape's number, the node shape, the shape that
    has the constraint (itself or one of its property shapes), the query, its message)."""
    for number, shape in enumerate(shapes):
        for prop in [shape, *shape.properties]:
            for query, message in prop.sparql:
                yield number, shape, prop, query, message


def sparql_queries(shapes: ShapesGraph | Graph) -> list[str]:
    """The text of every SHACL-SPARQL constraint in a shapes graph (with its prefixes)."""
    return [query for _, _, _, query, _ in _constraints(Compiler(ShapesGraph.of(shapes)).node_shapes())]


def _compiled(query: str) -> Select | None:
    """The query compiled to Python, or None where the compiler does not handle it."""
    try:
        return compile_select(query)
    except Unsupported:
        return None


def _sparql_violation(prop: Shape, message: str | None, focus: Term, solution: dict[str, Term | None]) -> Violation:
    """A solution of a SPARQL constraint as a violation; `{?var}` in the message filled from it."""
    value = solution.get("value")
    text = _fill(message or prop.message or "constraint not met", solution)
    return Violation(_text(focus), prop.path_iri, text, prop.severity, None if value is None else _text(value))


_PREFIX = re.compile(r"PREFIX\s+([\w-]*):\s*<([^>]*)>", re.IGNORECASE)
_IRI_REF = re.compile(r"<([^<>\s]*)>")
# A prefixed name (the empty prefix too, dots inside the local part), not part of a variable or
# another name; IRIs in <...> are taken out of the text before it is searched.
_NAME = re.compile(r"(?<![\w?$:.-])([A-Za-z][\w-]*)?:([\w-]+(?:\.[\w-]+)*)")
# A variable in predicate position: `?s ?p ?o`, or `; ?p ?o` in a predicate-object list.
_VARIABLE_PREDICATE = re.compile(r"[?$]\w+\s+[?$]\w+|;\s*[?$]\w+")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"' + r"|'(?:[^'\\]|\\.)*'")


def _predicates_used(queries: list[str]) -> frozenset[str] | None:
    """Every IRI the queries mention (plus rdf:type), or None if a pattern may have a variable predicate.

    Only triples with these predicates can change the queries' results, so only they are loaded
    into the store: loading, not querying, is what costs time. Read from the query text (string
    literals removed) rather than with a SPARQL parser, which would cost seconds in every worker;
    anything that might be a variable predicate makes it load everything.
    """
    found = {RDF_TYPE}
    for query in queries:
        prefixes = dict(_PREFIX.findall(query))
        body = _STRING.sub('""', query[query.index("{"):] if "{" in query else query)
        if _VARIABLE_PREDICATE.search(body):
            return None
        found.update(_IRI_REF.findall(body))
        found.update(prefixes[p] + local for p, local in _NAME.findall(_IRI_REF.sub(" ", body)) if p in prefixes)
    return frozenset(found)


_NOTHING: dict[str, list[Term]] = {}
_GRAPH = "urn:kvgraph:document:"
_DOC = "kvgraph_document"


def _per_graph(query: str, cls: str) -> str:
    """Rewrite a constraint's SELECT to run for all targets of all documents at once.

    `$this` becomes `?this`, bound to the instances of the target class; the whole WHERE
    pattern runs inside `GRAPH ?kvgraph_document { ... }` (so per document, as if each were
    validated alone) and the graph is added to the projection to tell the documents apart.
    """
    text = query.replace("$this", "?this")
    select = re.search(r"\bSELECT\s+(DISTINCT\s+|REDUCED\s+)?", text, re.IGNORECASE)
    where = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
    if select is None or where is None or text[select.end():].lstrip().startswith("*"):
        raise NotImplementedError("SPARQL constraints must be SELECT $this ... WHERE { ... }")
    close = text.rindex("}")
    return (f"{text[:select.end()]}?{_DOC} {text[select.end():where.end()]} GRAPH ?{_DOC} {{ ?this a <{cls}> . "
            f"{text[where.end():close]} }} {text[close:]}")


def _fill(message: str, solution: dict[str, Term | None]) -> str:
    """Substitute `{?var}` / `{$var}` in a message with the solution's values."""
    def value(match: re.Match[str]) -> str:
        term = solution.get(match.group(1))
        return _text(term) if term is not None else match.group(0)
    return re.sub(r"\{[?$](\w+)\}", value, message)
