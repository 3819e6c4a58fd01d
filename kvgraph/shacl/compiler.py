"""SHACL Core shapes compiled to Python: each shape becomes straight-line code over the index.

pyshacl re-reads the shapes graph for every focus node, which costs about a second per
document. Here the shapes are read once: every Core constraint becomes a line of Python pasted
into one checker function per group of shapes, with the constants in place. It implements the
Core components kvgraph's shapes use and refuses (when compiling) any other, so it never skips
a check silently. The SHACL-SPARQL constraints are not compiled: checks.py has a twin of each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import chain

from ..terms import RDF_LANGSTRING, BlankNode, Literal, Term
from ..vocab import RDF_TYPE
from .index import INTEGER, Data
from .report import Violation
from .shapes import RDFS, SH, XSD, ShapesGraph, _text

# Shape predicates that carry no constraint (documentation, grouping) or are handled as structure.
_NON_VALIDATING = {SH.name, SH.description, SH.order, SH.group, SH.defaultValue, SH.message, SH.severity,
                   SH.path, SH.property, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                   SH.deactivated, SH.sparql, SH.closed, SH.ignoredProperties, RDF_TYPE,
                   SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint,
                   RDFS + "label", RDFS + "comment"}

# What a generated checker returns: (failing shape, value or None for the focus node as a whole,
# the predicate of a property a closed shape does not allow or None), or for a SPARQL constraint
# (its twin's Check, the value, None). Either way `failed.violation(focus, *rest)` words it.
Failure = tuple["Shape | Check", "Term | None", "str | None"]
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
    targets: tuple[tuple[str, Term], ...] = ()  # sorted (kind, term): ("class", cls), ("objects", predicate), ...
    sparql: list[object] = field(default_factory=list)  # its sh:sparql constraint nodes
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


class Check:
    """A SHACL-SPARQL constraint run by its Python twin (checks.py), on the shape that has it."""

    def __init__(self, run: Callable[[Data, Term], list[Term]], shape: Shape, message: str | None) -> None:
        self.run, self.shape, self.message = run, shape, message

    def violation(self, focus: Term, value: Term | None, _: None) -> Violation:
        shape = self.shape
        return Violation(_text(focus), shape.path_iri, self.message or shape.message or "constraint not met", shape.severity,
                         None if value is None else _text(value))


def _is_iri(term: object) -> bool:
    return type(term) is str


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
        shape.sparql = sorted(g.objects(node, SH.sparql), key=str)
        return shape

    def _targets(self, node: object, shape: Shape) -> None:
        """The shape's targets. Shapes with the same targets are checked together (Engine), so
        the targets are also the key of their group."""
        kinds = {SH.targetClass: "class", SH.targetNode: "node", SH.targetSubjectsOf: "subjects", SH.targetObjectsOf: "objects"}
        shape.targets = tuple(sorted(((kind, obj) for predicate, kind in kinds.items()
                                      for obj in self.g.objects(node, predicate)), key=str))

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

def focus_nodes(targets: tuple[tuple[str, Term], ...]) -> Callable[[Data], list[Term]]:
    """The focus nodes of a shape's targets, each once: instances of its classes, its nodes
    (whether or not the data mentions them) and the subjects or objects of its predicates (one
    pass over the triples for all of them)."""
    classes = [str(obj) for kind, obj in targets if kind == "class"]
    nodes = [obj for kind, obj in targets if kind == "node"]
    subjects_of = frozenset(str(obj) for kind, obj in targets if kind == "subjects")
    objects_of = frozenset(str(obj) for kind, obj in targets if kind == "objects")

    def focus(data: Data) -> list[Term]:
        found = [*nodes, *(n for cls in classes for n in data.by_type.get(cls, ()))]
        if subjects_of or objects_of:
            for s, p, o in data.triples:
                if p in subjects_of:
                    found.append(s)
                if p in objects_of:
                    found.append(o)
        return list(dict.fromkeys(found))
    return focus


def _union(*values: list[Term]) -> list[Term]:
    """The nodes of all the lists, each once (an alternative path's value nodes, the focus nodes
    of a shape's targets)."""
    return list(dict.fromkeys(chain(*values)))


def _integer(node: Term) -> int:
    return int(_text(node))


_NOTHING: dict[str, list[Term]] = {}
_DATE = re.compile(r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?")


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
        return bool(INTEGER.fullmatch(value.value))
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
    SH["not"]: lambda c, s, o: Test(f"{c.const(c.referred(o))}.conforms(data, v)"),
    SH["and"]: lambda c, s, o: _logical(c, o, "not all"),
    SH["or"]: lambda c, s, o: _logical(c, o, "not any"),
    SH.xone: lambda c, s, o: _logical(c, o, "1 != sum"),
}


def _logical(c: Compiler, members: object, fails: str) -> Test:
    """sh:and, sh:or, sh:xone: how many of the listed shapes the value node conforms to."""
    shapes = ", ".join(f"{c.const(c.referred(m))}.conforms(data, v)" for m in c.g.list_of(members))
    return Test(f"{fails}(({shapes},))")


def generate(c: Compiler, shapes: Iterable[Shape], groups: list[list[tuple[Shape, list[Check]]]]
             ) -> tuple[str, list[Checker]]:
    """Python source of one checker function per shape that others refer to (its `run`, for
    sh:node and qualified shapes) and of one per group of node shapes that share their focus nodes.

    Why generated code: a shape is a fixed list of constraints, and straight-line code with the
    constants in place runs several times faster than looping over closures for every focus
    node. A group's checker runs all its shapes' Core constraints and then the twins of their
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


def _group_body(c: Compiler, group: list[tuple[Shape, list[Check]]]) -> list[str]:
    """The Core constraints of every shape of a group, then the twins of its SPARQL constraints."""
    lines = [line for shape, _ in group for line in _body(c, shape)]
    for _, checks in group:
        for check in checks:
            lines += [f"    rows = {c.const(check.run)}(data, focus)",
                      "    if rows:",
                      f"        found += [({c.const(check)}, value, None) for value in rows]"]
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
