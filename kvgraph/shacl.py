"""A compiled SHACL engine for bulk validation: the shapes are read once into Python checks.

pyshacl re-reads the shapes graph and re-parses every SPARQL constraint for every focus node,
which costs about a second per document. This engine compiles the shapes graph once into
plain functions over an index of the data, and evaluates SPARQL-based constraints once per
batch of documents in an in-memory Oxigraph store. It implements the SHACL Core components
and SHACL-SPARQL constraints that kvgraph's shapes use, and refuses (at compile time) shapes
that use anything else, so it can never silently skip a check. pyshacl stays the reference
engine (`--engine pyshacl`); tests hold both to the same verdicts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from pyoxigraph import RdfFormat, Store
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from .terms import RDF_LANGSTRING, XSD_STRING, BlankNode, Literal, Term, Triple, nt_lines
from .violations import Violation

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = str(RDF.type)

# Shape predicates that carry no constraint (documentation, grouping) or are handled as structure.
_NON_VALIDATING = {SH.name, SH.description, SH.order, SH.group, SH.defaultValue, SH.message, SH.severity,
                   SH.path, SH.property, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                   SH.deactivated, SH.sparql, SH.closed, SH.ignoredProperties, RDF.type,
                   SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint,
                   URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
                   URIRef("http://www.w3.org/2000/01/rdf-schema#comment")}


def from_rdflib(term: object) -> Term:
    """An rdflib term (from the shapes graph) as a plain one."""
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return BlankNode(term)
    if isinstance(term, RdfLiteral):
        if term.language:
            return Literal(str(term), RDF_LANGSTRING, term.language.lower())
        return Literal(str(term), str(term.datatype or XSD_STRING))
    raise TypeError(f"not an RDF term: {term!r}")


def _index(index: dict[Term, dict[str, list[Term]]], key: Term, predicate: str, value: Term) -> None:
    predicates = index.get(key)
    if predicates is None:
        index[key] = {predicate: [value]}
        return
    values = predicates.get(predicate)
    if values is None:
        predicates[predicate] = [value]
    else:
        values.append(value)


class Data:
    """The triples under validation, indexed by subject and by object."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.triples: list[Triple] = triples if isinstance(triples, list) else list(triples)
        self.out: dict[Term, dict[str, list[Term]]] = {}
        self.into: dict[Term, dict[str, list[Term]]] = {}
        self.by_type: dict[Term, list[Term]] = {}
        for subject, predicate, obj in self.triples:
            _index(self.out, subject, predicate, obj)
            if not isinstance(obj, Literal):  # paths never start at a literal
                _index(self.into, obj, predicate, subject)
            if predicate == RDF_TYPE:
                self.by_type.setdefault(obj, []).append(subject)

    def objects(self, node: Term, predicate: str) -> list[Term]:
        found = self.out.get(node)
        return found.get(predicate, []) if found else []

    def subjects(self, node: Term, predicate: str) -> list[Term]:
        found = self.into.get(node)
        return found.get(predicate, []) if found else []

    def has_type(self, node: Term, cls: str) -> bool:
        return cls in self.objects(node, RDF_TYPE)


Path = Callable[[Data, Term], list[Term]]
# A check gets the data, the focus node and its value nodes; it returns the failing values
# (None for a failure that concerns the focus node as a whole, like a count).
Check = Callable[[Data, Term, list[Term]], list[Term | None]]


@dataclass
class Shape:
    """A node or property shape compiled to checks; `path` None for node shapes."""

    node: object
    path: Path | None = None
    path_iri: str | None = None
    checks: list[Check] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    message: str | None = None
    severity: str = "Violation"
    targets: list[Callable[[Data], list[Term]]] = field(default_factory=list)
    sparql: list[tuple[str, str | None]] = field(default_factory=list)
    target_classes: list[str] = field(default_factory=list)
    closed: set[str] | None = None

    def values(self, data: Data, focus: Term) -> list[Term]:
        return self.path(data, focus) if self.path else [focus]

    def conforms(self, data: Data, focus: Term) -> bool:
        """Whether `focus` meets the shape's Core checks (for sh:node and qualified shapes)."""
        values = self.values(data, focus)
        if any(check(data, focus, values) for check in self.checks) or self._unexpected(data, focus):
            return False
        return all(prop.conforms(data, focus) for prop in self.properties)

    def _unexpected(self, data: Data, focus: Term) -> list[tuple[str, Term]]:
        """Properties a closed shape does not allow, with their values."""
        if self.closed is None:
            return []
        outgoing = data.out.get(focus, {})
        return [(p, o) for p, objs in outgoing.items() if p not in self.closed for o in objs]


def _text(term: Term) -> str:
    """The lexical form of a literal, the IRI or label of a node."""
    return term.value if isinstance(term, Literal) else str(term)


class Compiler:
    """Reads a shapes graph (rdflib) into Shape objects with compiled checks."""

    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self._cache: dict[object, Shape] = {}

    def node_shapes(self) -> list[Shape]:
        roots = set(self.g.subjects(RDF.type, SH.NodeShape))
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
        if path_node is not None:
            shape.path, shape.path_iri = self.path(path_node)
        message = g.value(node, SH.message)
        shape.message = str(message) if message is not None else None
        severity = g.value(node, SH.severity)
        shape.severity = str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"
        self._targets(node, shape)
        for predicate, obj in g.predicate_objects(node):
            if predicate in _NON_VALIDATING:
                continue
            builder = _BUILDERS.get(predicate)
            if builder is None:
                raise NotImplementedError(f"shape {node}: constraint {predicate} is not supported by the fast engine")
            shape.checks.append(builder(self, node, obj))
        if (node, SH.closed, RdfLiteral(True)) in g:
            shape.closed = self._allowed(node)
        shape.properties = [self.shape(p) for p in sorted(g.objects(node, SH.property), key=str)]
        for constraint in g.objects(node, SH.sparql):
            shape.sparql.append(self._sparql(constraint, shape))
        return shape

    def _targets(self, node: object, shape: Shape) -> None:
        for cls in self.g.objects(node, SH.targetClass):
            shape.target_classes.append(str(cls))
            shape.targets.append(_instances_of(str(cls)))
        for target in self.g.objects(node, SH.targetNode):
            shape.targets.append(_the_node(from_rdflib(target)))
        for predicate in self.g.objects(node, SH.targetSubjectsOf):
            shape.targets.append(_ends_of(str(predicate), subjects=True))
        for predicate in self.g.objects(node, SH.targetObjectsOf):
            shape.targets.append(_ends_of(str(predicate), subjects=False))

    def path(self, node: object) -> tuple[Path, str | None]:
        """Predicate paths, inverse paths and alternative paths."""
        if isinstance(node, URIRef):
            predicate = str(node)
            return (lambda data, focus: data.objects(focus, predicate)), str(node)
        inverse = self.g.value(node, SH.inversePath)
        if isinstance(inverse, URIRef):
            predicate = str(inverse)
            return (lambda data, focus: data.subjects(focus, predicate)), None
        alternatives = self.g.value(node, SH.alternativePath)
        if alternatives is not None:
            paths = [self.path(p)[0] for p in Collection(self.g, alternatives)]
            return (lambda data, focus: _unique(v for p in paths for v in p(data, focus))), None
        raise NotImplementedError(f"path {node} is not supported by the fast engine")

    def list_of(self, node: object) -> list[object]:
        return list(Collection(self.g, node))

    def _allowed(self, node: object) -> set[str]:
        """The properties a closed shape allows: its property shapes' paths and sh:ignoredProperties."""
        allowed = {str(self.g.value(p, SH.path)) for p in self.g.objects(node, SH.property)
                   if isinstance(self.g.value(p, SH.path), URIRef)}
        for ignored in self.g.objects(node, SH.ignoredProperties):
            allowed.update(str(p) for p in self.list_of(ignored))
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
                prefixes.append(f"PREFIX {prefix}: <{namespace}>")
        message = self.g.value(constraint, SH.message)
        return "\n".join(prefixes) + "\n" + str(select), str(message) if message is not None else None


def _instances_of(cls: str) -> Callable[[Data], list[Term]]:
    return lambda data: list(data.by_type.get(cls, []))


def _the_node(node: Term) -> Callable[[Data], list[Term]]:
    return lambda data: [node] if node in data.out or node in data.into else []


def _ends_of(predicate: str, subjects: bool) -> Callable[[Data], list[Term]]:
    def ends(data: Data) -> list[Term]:
        return [s if subjects else o for s, p, o in data.triples if p == predicate]
    return ends


def _unique(values: Iterable[Term]) -> list[Term]:
    return list(dict.fromkeys(values))


def _integer(node: object) -> int:
    return int(str(node))


def _count_min(c: Compiler, shape: object, obj: object) -> Check:
    n = _integer(obj)
    return lambda data, focus, values: [None] if len(values) < n else []


def _count_max(c: Compiler, shape: object, obj: object) -> Check:
    n = _integer(obj)
    return lambda data, focus, values: [None] if len(values) > n else []


_DATE = re.compile(r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?")
_INT = re.compile(r"[+-]?[0-9]+")


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


def _datatype(c: Compiler, shape: object, obj: object) -> Check:
    wanted = str(obj)

    def matches(value: Term) -> bool:
        if not isinstance(value, Literal):
            return False
        if wanted == RDF_LANGSTRING:
            return bool(value.language)
        return not value.language and value.datatype == wanted and _well_formed(value, wanted)
    return lambda data, focus, values: [v for v in values if not matches(v)]


def _kind(term: Term) -> str:
    if isinstance(term, Literal):
        return "Literal"
    return "BlankNode" if isinstance(term, BlankNode) else "IRI"


_NODE_KINDS = {
    "IRI": {"IRI"}, "Literal": {"Literal"}, "BlankNode": {"BlankNode"},
    "BlankNodeOrIRI": {"BlankNode", "IRI"}, "IRIOrLiteral": {"IRI", "Literal"},
    "BlankNodeOrLiteral": {"BlankNode", "Literal"},
}


def _node_kind(c: Compiler, shape: object, obj: object) -> Check:
    kinds = _NODE_KINDS[str(obj).rsplit("#", 1)[-1]]
    return lambda data, focus, values: [v for v in values if _kind(v) not in kinds]


def _class(c: Compiler, shape: object, obj: object) -> Check:
    cls = str(obj)
    return lambda data, focus, values: [v for v in values if isinstance(v, Literal) or not data.has_type(v, cls)]


def _pattern(c: Compiler, shape: object, obj: object) -> Check:
    flags = c.g.value(shape, SH.flags)
    regex = re.compile(str(obj), re.IGNORECASE if flags is not None and "i" in str(flags) else 0)
    return lambda data, focus, values: [v for v in values if isinstance(v, BlankNode) or not regex.search(_text(v))]


def _in(c: Compiler, shape: object, obj: object) -> Check:
    allowed = {from_rdflib(member) for member in c.list_of(obj)}
    return lambda data, focus, values: [v for v in values if v not in allowed]


def _min_length(c: Compiler, shape: object, obj: object) -> Check:
    n = _integer(obj)
    return lambda data, focus, values: [v for v in values if isinstance(v, BlankNode) or len(_text(v)) < n]


def _max_length(c: Compiler, shape: object, obj: object) -> Check:
    n = _integer(obj)
    return lambda data, focus, values: [v for v in values if isinstance(v, BlankNode) or len(_text(v)) > n]


def _language_in(c: Compiler, shape: object, obj: object) -> Check:
    ranges = [str(r).lower() for r in c.list_of(obj)]

    def fits(value: Term) -> bool:
        language = value.language.lower() if isinstance(value, Literal) and value.language else ""
        return bool(language) and any(language == r or language.startswith(r + "-") or r == "*" for r in ranges)
    return lambda data, focus, values: [v for v in values if not fits(v)]


def _has_value(c: Compiler, shape: object, obj: object) -> Check:
    wanted = from_rdflib(obj)
    return lambda data, focus, values: [] if wanted in values else [None]


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


def _bound(c: Compiler, shape: object, obj: object, holds: Callable[[object, object], bool]) -> Check:
    limit = _comparable(from_rdflib(obj))

    def ok(value: Term) -> bool:
        mine = _comparable(value)
        return mine is not None and type(mine) is type(limit) and holds(mine, limit)
    return lambda data, focus, values: [v for v in values if not ok(v)]


def _pair(c: Compiler, shape: object, obj: object, holds: Callable[[object, object], bool]) -> Check:
    other = str(obj)

    def check(data: Data, focus: Term, values: list[Term]) -> list[Term | None]:
        failing = []
        for value in values:
            for second in data.objects(focus, other):
                a, b = _comparable(value), _comparable(second)
                if a is None or b is None or type(a) is not type(b) or not holds(a, b):
                    failing.append(value)
        return failing
    return check


def _node(c: Compiler, shape: object, obj: object) -> Check:
    target = c.shape(obj)
    return lambda data, focus, values: [v for v in values if not target.conforms(data, v)]


def _qualified(c: Compiler, shape: object, obj: object) -> Check:
    qualified = c.shape(obj)
    low = c.g.value(shape, SH.qualifiedMinCount)
    high = c.g.value(shape, SH.qualifiedMaxCount)

    def check(data: Data, focus: Term, values: list[Term]) -> list[Term | None]:
        count = sum(1 for v in values if qualified.conforms(data, v))
        too_few = low is not None and count < _integer(low)
        too_many = high is not None and count > _integer(high)
        return [None] if too_few or too_many else []
    return check


_BUILDERS: dict[object, Callable[[Compiler, object, object], Check]] = {
    SH.minCount: _count_min,
    SH.maxCount: _count_max,
    SH.datatype: _datatype,
    SH.nodeKind: _node_kind,
    SH["class"]: _class,
    SH.pattern: _pattern,
    SH.flags: lambda c, s, o: (lambda data, focus, values: []),
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


class Engine:
    """Validates batches of triples against compiled shapes."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = Compiler(shapes).node_shapes()
        self._queries = [(shape, prop, query, message)
                         for shape in self.shapes
                         for prop in [shape, *shape.properties]
                         for query, message in prop.sparql]
        for shape, _, _, _ in self._queries:
            if not shape.target_classes or len(shape.targets) != len(shape.target_classes):
                raise NotImplementedError("SPARQL constraints are supported on shapes with sh:targetClass only")
        self._predicates = _predicates_used([query for _, _, query, _ in self._queries])
        # Per shape, the (shape, path, checks) to run, without the shapes that check nothing.
        self._plans = {id(shape): [(prop, prop.path, tuple(prop.checks)) for prop in [shape, *shape.properties] if prop.checks]
                       for shape in self.shapes}

    def validate(self, triples: list[Triple]) -> list[Violation]:
        """All violations in one graph."""
        return self.validate_documents([triples])[0]

    def validate_documents(self, documents: list[list[Triple]]) -> list[list[Violation]]:
        """Violations per document, each document's graph judged on its own.

        Core checks run per document on an index of its triples; the SPARQL constraints run
        once for the whole batch, with every document in a named graph of its own so no
        query can see two documents at once.
        """
        found: list[list[Violation]] = []
        for triples in documents:
            data = Data(triples)
            mine: list[Violation] = []
            for shape in self.shapes:
                for focus in _unique(f for target in shape.targets for f in target(data)):
                    mine += self._core(shape, data, focus)
            found.append(mine)
        if self._queries:
            for index, violations in self._sparql(documents).items():
                found[index] += violations
        return [sorted(set(v), key=lambda x: (x.focus, x.path or "", x.message, x.value or "")) for v in found]

    def _core(self, shape: Shape, data: Data, focus: Term) -> list[Violation]:
        found = []
        for prop, path, checks in self._plans[id(shape)]:
            values = path(data, focus) if path else [focus]
            for check in checks:
                failing = check(data, focus, values)
                if failing:
                    found += [Violation(_text(focus), prop.path_iri, prop.message or "constraint not met", prop.severity,
                                        None if value is None else _text(value)) for value in failing]
        for predicate, value in shape._unexpected(data, focus):
            found.append(Violation(_text(focus), predicate, shape.message or "property not allowed here",
                                   shape.severity, _text(value)))
        return found

    def _sparql(self, documents: list[list[Triple]]) -> dict[int, list[Violation]]:
        wanted = self._predicates
        lines = [line for index, triples in enumerate(documents)
                 for line in nt_lines([t for t in triples if wanted is None or t[1] in wanted], f"{_GRAPH}{index}")]
        store = Store()
        store.bulk_load("".join(lines).encode(), format=RdfFormat.N_QUADS)
        found: dict[int, list[Violation]] = defaultdict(list)
        for shape, prop, query, message in self._queries:
            variables = _variables(query)
            for cls in shape.target_classes:
                for row in store.query(_per_graph(query, cls)):
                    index = int(row[_DOC].value[len(_GRAPH):])
                    value = row["value"] if "value" in variables else None
                    text = _fill(message or prop.message or "constraint not met", row, variables)
                    found[index].append(Violation(row["this"].value, prop.path_iri, text, prop.severity,
                                                  None if value is None else value.value))
        return found


_PREFIX = re.compile(r"PREFIX\s+([\w-]*):\s*<([^>]*)>", re.IGNORECASE)
_IRI_REF = re.compile(r"<([^<>\s]*)>")
_NAME = re.compile(r"(?<![\w?$/:])([A-Za-z][\w-]*):([\w-]+)")
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
    found = {str(RDF.type)}
    for query in queries:
        prefixes = dict(_PREFIX.findall(query))
        body = _STRING.sub('""', query[query.index("{"):] if "{" in query else query)
        if _VARIABLE_PREDICATE.search(body):
            return None
        found.update(_IRI_REF.findall(body))
        found.update(prefixes[p] + local for p, local in _NAME.findall(body) if p in prefixes)
    return frozenset(found)


_GRAPH = "urn:kvgraph:document:"
_DOC = "kvgraph_document"


def _variables(query: str) -> set[str]:
    return set(re.findall(r"[?$](\w+)", query))


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


def _fill(message: str, row: object, variables: set[str]) -> str:
    """Substitute `{?var}` / `{$var}` in a message with the solution's values."""
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        term = row[name] if name in variables else None  # type: ignore[index]
        return term.value if term is not None else match.group(0)
    return re.sub(r"\{[?$](\w+)\}", value, message)
