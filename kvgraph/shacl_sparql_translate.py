"""The SPARQL-to-Python translator behind shacl_sparql.py: rdflib's algebra in, Python source out.

Kept apart from the runtime because it needs rdflib's SPARQL parser (a quarter of a second to
import): a process that validates with the bundled shapes loads their queries already
translated (data/compiled-sparql.json) and never imports this module.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from pyparsing import ParseResults
from rdflib import BNode, URIRef, Variable
from rdflib import Literal as RdfLiteral
from rdflib.paths import InvPath, SequencePath
from rdflib.plugins.sparql.parserutils import CompValue

from . import shacl_sparql_functions
from .shacl_sparql import Unsupported
from .terms import XSD_STRING, Literal, Term, from_rdflib
from .vocab import PREFIXES

XSD = PREFIXES["xsd"]


class _Chain(NamedTuple):
    """How the value of a BIND follows from terms, for memoising it (see `_Writer._memoised`).

    `roots`: the Python locals of the terms it depends on (variables bound by triple patterns,
    `$this`, outer solutions); `steps`: (local, code) of the BINDs to compute in order, its own
    last; `pure`: False for a BIND that reads `data` (EXISTS), which is never memoised.
    """

    roots: tuple[str, ...]
    steps: tuple[tuple[str, str], ...]
    pure: bool = True


_IMPURE = _Chain((), (), pure=False)


class Var(NamedTuple):
    """How a SPARQL variable lives in the generated code at one point of it.

    `name`: the Python local holding it; `certain`: bound on every path here (else it may be
    None, unbound); `visible`: expressions may read it (a variable bound outside the right side
    of a join is not in scope for that side's FILTER and BIND, though it still joins);
    `fixed`: substituted from outside (`$this`, or the outer solution of an EXISTS), so in
    scope everywhere; `kind`: the form of its value (a BIND of arithmetic keeps a number);
    `chain`: for a BIND, how it is computed (None: a term from a pattern, a root of chains).
    """

    name: str
    certain: bool = True
    visible: bool = True
    fixed: bool = False
    kind: str = "term"
    chain: _Chain | None = None

    @property
    def term(self) -> str:
        """Code for the value as a term (for patterns, projections and collected rows)."""
        return _TO_TERM[self.kind].format(self.name)


Env = dict[str, Var]
Emit = Callable[[Env, int], None]

# Expression code comes in four kinds (see shacl_sparql_functions): "term", "bool" (TRUE, FALSE or
# None), "num" (a Python number) and "text" (the str of a simple literal).
_TO_TERM = {"term": "{}", "bool": "{}", "num": "number_term({})", "text": "text_term({})"}
_TO_NUMBER = {"term": "number({})", "bool": "None", "num": "{}", "text": "None"}
# Builtins of one argument: (function, the kind it takes, the kind it gives).
_ONE_ARGUMENT = {"STR": ("lexical", "term", "text"), "LANG": ("lang", "term", "term"),
                 "DATATYPE": ("datatype", "term", "term"), "isIRI": ("is_iri", "term", "bool"),
                 "isURI": ("is_iri", "term", "bool"), "isBLANK": ("is_blank", "term", "bool"),
                 "isLITERAL": ("is_literal", "term", "bool"), "BOUND": ("bound", "term", "bool"),
                 "STRLEN": ("strlen", "term", "num"), "ABS": ("abs_", "num", "num"),
                 "CEIL": ("ceil_", "num", "num"), "FLOOR": ("floor_", "num", "num"),
                 "ROUND": ("round_", "num", "num")}
_DATE_PARTS = {"YEAR": 2, "MONTH": 3, "DAY": 4}
# Builtins of two strings: (function on terms, what it gives; function on texts, what it gives);
# the tests of two texts have none, they are written inline (_TEXT_TESTS).
_TWO_STRINGS = {"STRSTARTS": ("strstarts", "bool", "", "bool"),
                "STRENDS": ("strends", "bool", "", "bool"),
                "CONTAINS": ("contains", "bool", "", "bool"),
                "STRBEFORE": ("strbefore", "term", "text_strbefore", "text"),
                "STRAFTER": ("strafter", "term", "text_strafter", "text")}
# The tests of two texts, inline: (text, other) -> a Python condition.
_TEXT_TESTS = {"Builtin_STRSTARTS": "{}.startswith({})", "Builtin_STRENDS": "{}.endswith({})",
               "Builtin_CONTAINS": "{1} in {0}"}
_RELATIONS = {"=": "equal", "!=": "not_equal", "<": "less", ">": "greater", "<=": "less_or_equal",
              ">=": "greater_or_equal"}
_ARITHMETIC = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}
# What makes an expression's value depend on more than its variables: never memoised.
_IMPURE_OPERATIONS = {"Builtin_EXISTS", "Builtin_NOTEXISTS", "Builtin_RAND", "Builtin_NOW", "Builtin_UUID",
                      "Builtin_STRUUID", "Builtin_BNODE"}
_CASTS = {XSD + "integer": ("to_integer", "num"), XSD + "decimal": ("to_decimal", "num"),
          XSD + "string": ("to_string", "text"), XSD + "boolean": ("to_boolean", "bool")}



def translate(query: str) -> tuple[tuple[str, ...], frozenset[str], str]:
    """A SHACL-SPARQL `SELECT $this ... WHERE { ... }` as (projected variables, predicates the
    index must hold by object, Python source defining `select(data, this)`); Unsupported if it
    goes beyond the subset."""
    from rdflib.plugins.sparql import algebra
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(query)
        if _constant_filter(tree):
            raise Unsupported("rdflib's algebra drops a FILTER on a false constant")
        parsed = algebra.translateQuery(tree)
    except Unsupported:
        raise
    except Exception as problem:  # rdflib raises many kinds; the store will report it properly
        raise Unsupported(f"rdflib cannot parse the query: {problem}") from None
    top = parsed.algebra
    if top.name != "SelectQuery" or top.get("datasetClause"):
        raise Unsupported("only SELECT queries without FROM")
    node, distinct = top.p, False
    if node.name in ("Distinct", "Reduced"):
        node, distinct = node.p, node.name == "Distinct"
    if node.name != "Project":
        raise Unsupported(f"{node.name} (ORDER BY, LIMIT, GROUP BY...) is not compiled")
    projected = tuple(str(v) for v in node.PV)
    if {"shapesGraph", "currentShape"} & _mentioned(node.p):
        raise Unsupported("$shapesGraph and $currentShape are not compiled")
    writer = _Writer()

    def solution(env: Env, indent: int) -> None:
        values = [env[v].term if v in env and env[v].visible else "None" for v in projected]
        writer.line(indent, f"rows.append(({', '.join(values)},))")

    def body() -> None:
        writer.line(1, "rows = []")
        writer.pattern(node.p, {"this": Var("this", fixed=True)}, solution, 1)
        writer.line(1, "return list(dict.fromkeys(rows))" if distinct else "return rows")

    writer.function("select", ["this"], body)
    constants = [f"{name} = {_render(value)}" for name, value in writer.constants.items()]
    source = "\n\n".join(["\n".join(constants), *writer.called_memos(), *writer.functions]) + "\n"
    return projected, frozenset(writer.inverse), source


class _Substitution(str):
    """A REPLACE template, made once into what re.sub takes fastest (`substitution`)."""


def _render(value: object) -> str:
    """A constant as Python source, evaluated in the namespace of shacl_sparql_functions."""
    if type(value) is _Substitution:
        return f"substitution({str(value)!r})"
    if isinstance(value, re.Pattern):
        return f"re.compile({value.pattern!r}, {int(value.flags)})"
    if type(value) is Literal:
        return f"Literal({value.value!r}, {value.datatype!r}, {value.language!r})"
    if type(value) is Decimal:
        return f"Decimal({str(value)!r})"
    if isinstance(value, float):
        return f"{type(value).__name__}({repr(float(value))!r})"
    if type(value) in (str, int):
        return repr(value)
    raise TypeError(f"no source form for {value!r}")


def _constant_filter(tree: object) -> bool:
    """Whether a FILTER of the parsed query uses no variable (rdflib's translation loses one
    whose value is false, such as FILTER (false) or FILTER (""))."""
    if isinstance(tree, CompValue) and tree.name == "Filter":
        return not _mentioned(tree.get("expr")) and "EXISTS" not in repr(tree.get("expr"))
    if isinstance(tree, dict):
        return any(_constant_filter(value) for value in tree.values())
    if isinstance(tree, list | tuple | ParseResults):
        return any(_constant_filter(value) for value in tree)
    return False


def _mentioned(node: object) -> set[str]:
    """Names of all variables anywhere in an algebra tree (EXISTS patterns included)."""
    found: set[str] = set()

    def visit(part: object) -> None:
        if isinstance(part, Variable):
            found.add(str(part))
        elif isinstance(part, dict):
            for value in part.values():
                visit(value)
        elif isinstance(part, list | tuple | ParseResults):
            for value in part:
                visit(value)

    visit(node)
    return found


def _pure(node: object) -> bool:
    """Whether an expression's value depends on its variables alone: no EXISTS (which reads the
    data), nothing random or read from the clock."""
    if isinstance(node, CompValue) and node.name in _IMPURE_OPERATIONS:
        return False
    if isinstance(node, dict):
        return all(_pure(value) for value in node.values())
    if isinstance(node, list | tuple | ParseResults):
        return all(_pure(value) for value in node)
    return True


def _bindable(node: object) -> list[str]:
    """The variables a pattern may bind (not those only inside its EXISTS), in a fixed order."""
    found: set[str] = set()

    def visit(part: object) -> None:
        if not isinstance(part, CompValue):
            return
        if part.name == "BGP":
            for triple in part.triples:
                found.update(_variable(t) for t in (triple[0], triple[2]) if _variable(t) is not None)
        if part.name == "Extend":
            found.add(str(part.var))
        for key in ("p", "p1", "p2"):
            visit(part.get(key))

    visit(node)
    return sorted(found)


def _variable(term: object) -> str | None:
    """The variable name of a query term; blank nodes in patterns are variables nobody can project."""
    if isinstance(term, Variable):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return None


def _python_comparable(node: CompValue, ka: str, kb: str) -> bool:
    """Whether Python's operator compares the two sides as SPARQL does: two numbers, two texts,
    or (= and != only) two booleans, which are always the canonical TRUE or FALSE."""
    return ka == kb and (ka in ("num", "text") or (ka == "bool" and node.op in ("=", "!=")))


def _python_op(node: CompValue) -> str:
    """The Python operator of a SPARQL comparison of two numbers or two texts."""
    return "==" if node.op == "=" else node.op


def _simplified(node: CompValue) -> CompValue:
    """A join of two basic graph patterns as one (rdflib writes `{ ... }` as a join with an empty one)."""
    if node.name == "Join" and node.p1.name == "BGP" and node.p2.name == "BGP":
        return CompValue("BGP", triples=[*node.p1.triples, *node.p2.triples])
    return node


def _python_name(term: object) -> str:
    return (_variable(term) or "_").replace(":", "_")


def _hide(env: Env) -> Env:
    return {k: v if v.fixed else v._replace(visible=False) for k, v in env.items()}


def _in_scope(inner: Env, outer: Env) -> Env:
    """After the right side of a join: in scope is what was on the left and what the right side bound."""
    return {k: v._replace(visible=v.visible or (k in outer and outer[k].visible)) for k, v in inner.items()}


def _seen(env: Env, term: object, code: str) -> Env:
    """After a triple pattern matched: its variable is bound (to `code`) and in scope."""
    name = _variable(term)
    if name is None:
        return env
    old = env.get(name)
    return {**env, name: Var(code, fixed=old.fixed if old is not None else False)}


class _Writer:
    """Writes the generated functions: patterns as nested loops, expressions as calls."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.functions: list[str] = []
        self.constants: dict[str, object] = {}
        self._names: dict[object, str] = {}
        self.inverse: set[str] = set()
        self._count = 0
        self._parameters: set[str] = set()
        self._uses: Counter[tuple[str, str]] = Counter()
        self._top: dict[str, str] = {}  # code of a parameter as a term -> the local holding it
        self._memos: dict[str, str] = {}  # memoised function name -> its definition
        self._memo_locals: set[str] = set()  # locals of the function assigned a memoised BIND

    def line(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)

    def function(self, name: str, parameters: list[str], body: Callable[[], None]) -> None:
        """Add `def name(data, *parameters)` whose lines `body` writes (at indent 1)."""
        saved = self.lines, self._parameters, self._uses, self._top, self._memo_locals
        self.lines, self._parameters, self._uses, self._top = [], set(parameters), Counter(), {}
        self._memo_locals = set()
        body()
        self._drop_unread()
        self.functions.append("\n".join([f"def {name}(data, {', '.join(parameters)}):", *self._hoisted()]))
        self.lines, self._parameters, self._uses, self._top, self._memo_locals = saved

    def _drop_unread(self) -> None:
        """Drop the memoised BINDs that nothing reads. Why: a chain of BINDs (date arithmetic)
        is memoised BIND by BIND, yet a later one recomputes the earlier ones in its own
        function, so the calls for the steps in between are only dead lookups."""
        text = "\n".join(self.lines)
        unread = {name for name in self._memo_locals if len(re.findall(rf"\b{name}\b", text)) == 1}
        self.lines = [line for line in self.lines if line.strip().split(" = ", 1)[0] not in unread]

    def called_memos(self) -> list[str]:
        """The definitions of the memoised functions that the generated functions call."""
        text = "\n".join(self.functions)
        return [source for name, source in self._memos.items() if f"{name}(" in text]

    def _chain(self, expression: object, env: Env) -> _Chain:
        """How an expression follows from terms: the roots and earlier BINDs it reads (`_IMPURE`
        if it reads the data, or a value that is neither a term of a pattern nor such a BIND)."""
        if not _pure(expression):
            return _IMPURE
        roots: dict[str, None] = {}
        steps: dict[tuple[str, str], None] = {}  # each BIND's steps are in order: merged, they still are
        for name in sorted(_mentioned(expression)):
            var = env.get(name)
            if var is None or not var.visible:
                continue  # unbound here: the code reads None, a constant
            if var.chain is None and var.kind == "term":
                roots[var.name] = None
            elif var.chain is None or not var.chain.pure:
                return _IMPURE
            else:
                roots.update(dict.fromkeys(var.chain.roots))
                steps.update(dict.fromkeys(var.chain.steps))
        return _Chain(tuple(roots), tuple(steps))

    def _memoised(self, chain: _Chain, result: str) -> str:
        """A call of a new module-level function of the chain's roots that computes its steps and
        returns `result`, memoised on the roots (`memoised` in shacl_sparql_functions).

        Why: the values constraints compute from recur across documents (a date, a year), and a
        cache hit costs a fraction of the arithmetic. The key is the roots' terms, never numbers
        made from them: as numbers, 1, 1.0 and Decimal("1.0") would be one key (and get one
        answer); as terms, "1"^^xsd:integer and "1.0"^^xsd:decimal are two.
        """
        name = self.fresh("_memo")
        parameters = ", ".join(chain.roots)
        body = [f"    {python} = {code}" for python, code in chain.steps]
        self._memos[name] = "\n".join(["@memoised", f"def {name}({parameters}):", *body, f"    return {result}"])
        return f"{name}({parameters})"

    def index(self, direction: str, code: str, indent: int) -> str:
        """Code for `data.out.get(code, NOTHING)` (or `data.into`): the predicates of a node.

        Why: a parameter of the function (`$this`, the outer solution of an EXISTS) is the
        same node all through it, so where its predicates are needed more than once, or in a
        loop, they are looked up once at the top (see `_hoisted`); this writes a placeholder.
        """
        if code not in self._parameters:
            return f"data.{direction}.get({code}, NOTHING)"
        self._uses[direction, code] += 1 if indent == 1 else 2  # inside a block: may run many times
        return f"\0{direction}:{code}\0"

    def _hoisted(self) -> list[str]:
        """The function's lines with each placeholder of `index` resolved: a local assigned at
        the top where it is used more than once, the lookup itself where it is used once."""
        top, text = [], "\n".join(self.lines)
        for code, python in self._top.items():
            top.append(f"    {python} = {code}")
        for (direction, code), uses in self._uses.items():
            lookup = f"data.{direction}.get({code}, NOTHING)"
            if uses > 1:
                top.append(f"    _{direction}_{code} = {lookup}")
                lookup = f"_{direction}_{code}"
            text = text.replace(f"\0{direction}:{code}\0", lookup)
        return [*top, *text.split("\n")]

    def fresh(self, stem: str) -> str:
        self._count += 1
        return f"{stem}{self._count}" if not stem.isidentifier() or stem.startswith("_") else f"v{self._count}_{stem}"

    def const(self, value: object) -> str:
        key = (type(value), value) if not hasattr(value, "pattern") else (type(value), value.pattern, value.flags)
        if key not in self._names:
            self._names[key] = f"_k{len(self._names)}"
            self.constants[self._names[key]] = value
        return self._names[key]

    # --- patterns ---------------------------------------------------------------------------

    def pattern(self, node: CompValue, env: Env, emit: Emit, indent: int) -> None:
        """Code that runs `emit` once per solution of `node`, given the bindings in `env`."""
        node = _simplified(node)
        kind = node.name
        if kind == "BGP":
            self._triples(self._expand(node.triples), env, emit, indent)
        elif kind == "Filter":
            self.pattern(node.p, env, lambda e, i: self._filter(node.expr, e, emit, i), indent)
        elif kind == "Extend":
            self.pattern(node.p, env, lambda e, i: self._bind(node, e, emit, i), indent)
        elif kind == "Join":
            self.pattern(node.p1, env, lambda e, i: self.pattern(
                node.p2, _hide(e), lambda e2, i2: emit(_in_scope(e2, e), i2), i), indent)
        elif kind == "LeftJoin":
            self.pattern(node.p1, env, lambda e, i: self._optional(node, e, emit, i), indent)
        elif kind == "Union":
            self._collect([node.p1, node.p2], env, emit, indent, None)
        else:
            raise Unsupported(f"{kind} is not compiled")

    def _filter(self, expression: object, env: Env, emit: Emit, indent: int) -> None:
        self._test(expression, env, indent)
        emit(env, indent + 1)

    def _test(self, expression: object, env: Env, indent: int) -> None:
        """An `if` that lets only solutions through whose expression is true (not false, not an
        error); memoised (`_memoised`) when the expression is pure over one term. Why one: a
        single term (a vergaderjaar, a position) recurs across documents, while a combination
        of several rarely does, and a miss costs more than the inline test."""
        condition = self.holds(expression, env, True)
        chain = self._chain(expression, env)
        if chain.pure and len(chain.roots) == 1:
            condition = self._memoised(chain, condition)
        self.line(indent, f"if {condition}:")

    def holds(self, node: object, env: Env, wanted: bool) -> str:
        """A Python condition: the expression's effective boolean value is `wanted` (so neither the
        other value nor an error).

        Why: a FILTER only asks whether its expression is true, and `||`, `&&` and `!` keep that
        question two-valued: `a || b` is true when either side is, false when both are; `!a` is
        true when `a` is false. Asked this way, logic needs no three-valued helper calls and no
        TRUE/FALSE literals, only Python's `and`, `or` and `not` on the operands' own tests.
        """
        kind = node.name if isinstance(node, CompValue) else None
        if kind in ("ConditionalOrExpression", "ConditionalAndExpression"):
            joiner = " or " if (kind == "ConditionalOrExpression") == wanted else " and "
            return "(" + joiner.join(self.holds(child, env, wanted) for child in [node.expr, *node.other]) + ")"
        if kind == "UnaryNot":
            return self.holds(node.expr, env, not wanted)
        if kind in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            exists = self._exists(node.graph, env)
            return exists if (kind == "Builtin_EXISTS") == wanted else f"not {exists}"
        if kind in _TEXT_TESTS:
            a, b = self.expression(node.arg1, env), self.expression(node.arg2, env)
            texts = self._text_test(kind, a, b)
            if texts is None:  # string literals: the runtime function (arguments written once)
                terms = ", ".join(_TO_TERM[k].format(c) for c, k in (a, b))
                return f"({_TWO_STRINGS[kind.removeprefix('Builtin_')][0]}({terms})) is {'TRUE' if wanted else 'FALSE'}"
            known, test = texts
            return f"({' and '.join([*known, test if wanted else f'not {test}'])})"
        if kind == "RelationalExpression" and node.op in ("=", "!=") and URIRef in (type(node.expr), type(node.other)):
            return self._is_iri(node, env, (node.op == "=") == wanted)
        if kind == "Builtin_BOUND":
            return f"({self.term(node.arg, env)} is {'not ' if wanted else ''}None)"
        if kind == "RelationalExpression" and node.op not in ("IN", "NOT IN"):
            (a, ka), (b, kb) = self._operands(node, env)
            if _python_comparable(node, ka, kb):  # None is an error
                x, y = self.fresh("_a"), self.fresh("_b")
                test = f"{x} {_python_op(node)} {y}"
                return f"(({x} := {a}) is not None and ({y} := {b}) is not None and {test if wanted else f'not ({test})'})"
            equality = _equal_number(a, ka, b, kb)
            if equality is not None and node.op in ("=", "!="):
                return f"({equality} is {'TRUE' if (node.op == '=') == wanted else 'FALSE'})"
        code, kind = self.expression(node, env)
        if kind == "num":
            held = self.fresh("_n")
            return f"number_true({code})" if wanted else f"(({held} := {code}) is not None and not number_true({held}))"
        if kind == "text":
            return f"({code})" if wanted else f"(({code}) == '')"
        if kind == "bool":
            return f"({code}) is {'TRUE' if wanted else 'FALSE'}"
        return f"ebv({code}) is {wanted}"

    def _is_iri(self, node: CompValue, env: Env, same: bool) -> str:
        """A condition: the two sides of `=` (one an IRI) are the same IRI (`same`), or both are
        terms and differ. Why: a term equals an IRI only if it is that IRI, so Python's `==` on
        an IRI (a str, not a blank node's subclass of it) answers what `equal` would work out."""
        iri, other = (node.expr, node.other) if type(node.expr) is URIRef else (node.other, node.expr)
        held, constant = self.fresh("_i"), self.const(str(iri))
        value = f"({held} := {self.term(other, env)})"
        if same:
            return f"({value}.__class__ is str and {held} == {constant})"
        return f"({value} is not None and not ({held}.__class__ is str and {held} == {constant}))"

    def _bind(self, node: CompValue, env: Env, emit: Emit, indent: int) -> None:
        name = str(node.var)
        if name in env and env[name].visible:
            raise Unsupported(f"BIND to ?{name}, which is already in scope")
        python = self.fresh(name)
        code, kind = self.expression(node.expr, env)
        chain = self._chain(node.expr, env)
        if chain.pure and chain.roots:
            self._memo_locals.add(python)
            self.line(indent, f"{python} = {self._memoised(chain, code)}")
        else:
            self.line(indent, f"{python} = {code}")
        if chain.pure:
            chain = chain._replace(steps=(*chain.steps, (python, code)))
        emit({**env, name: Var(python, certain=False, kind=kind, chain=chain)}, indent)

    def _optional(self, node: CompValue, env: Env, emit: Emit, indent: int) -> None:
        condition = node.expr if node.expr is not None and node.expr.name != "TrueFilter" else None
        if condition is None and self._optional_value(node.p2, env, emit, indent):
            return
        self._collect([node.p2], _hide(env), emit, indent, condition, left=env)

    def _optional_value(self, right: CompValue, env: Env, emit: Emit, indent: int) -> bool:
        """An OPTIONAL of one triple pattern with one end known and a new variable at the other,
        as a loop over that variable's values or, if there are none, once over None; whether it
        applied. Why: its solutions are just those values, so collecting them in rows first
        (as `_collect` must for other patterns) is a list, tuples and a second loop for nothing.
        """
        right = _simplified(right)
        if right.name != "BGP" or len(right.triples) != 1 or not isinstance(right.triples[0][1], URIRef):
            return False
        (s, p, o), = right.triples
        (s_code, s_state), (o_code, o_state) = self._term(s, env), self._term(o, env)
        predicate = self.const(str(p))
        if s_state == "bound" and o_state == "free":
            values, name = f"{self.index('out', s_code, indent)}.get({predicate})", _variable(o)
        elif s_state == "free" and o_state == "bound":
            self.inverse.add(str(p))
            values, name = f"{self.index('into', o_code, indent)}.get({predicate})", _variable(s)
        else:
            return False
        python = self.fresh(name.replace(":", "_"))  # type: ignore[union-attr]
        self.line(indent, f"for {python} in {values} or (None,):")
        emit({**env, name: Var(python, certain=False)}, indent + 1)  # type: ignore[dict-item]
        return True

    def _collect(self, parts: list[CompValue], env: Env, emit: Emit, indent: int, condition: object | None,
                 left: Env | None = None) -> None:
        """Gather the solutions of `parts` into a list, then loop over it: the branches of a UNION,
        or (`left`: the solution on the left) the right side of an OPTIONAL, where no solution
        keeps the left one with the optional variables unbound."""
        outer = env if left is None else left
        names = [v for part in parts for v in _bindable(part)]
        names = [v for v in dict.fromkeys(names) if not (v in outer and outer[v].certain)]
        rows = self.fresh("_rows")
        self.line(indent, f"{rows} = []")

        def collect(e: Env, i: int) -> None:
            if condition is not None:
                self._test(condition, _in_scope(e, outer), i)
                i += 1
            self.line(i, f"{rows}.append(({''.join(f'{e[v].term if v in e else None}, ' for v in names)}))")

        for part in parts:
            self.pattern(part, env, collect, indent)
        python = [self.fresh(v.replace(":", "_")) for v in names]
        target = f"{', '.join(python)}," if python else "_"
        # no solution on the right: the left one as it was (a variable it may have bound keeps its value)
        kept = "".join(f"{outer[v].term if v in outer else None}, " for v in names)
        empty = f" or (({kept}),)" if left is not None else ""
        self.line(indent, f"for {target} in {rows}{empty}:")
        emit({**outer, **{v: Var(p, certain=False) for v, p in zip(names, python, strict=True)}}, indent + 1)

    def _expand(self, triples: list) -> list[tuple[object, str, object]]:
        """Triple patterns with sequence and inverse paths spelled out as plain ones."""
        out: list[tuple[object, str, object]] = []

        def add(s: object, p: object, o: object) -> None:
            if isinstance(p, URIRef):
                out.append((s, str(p), o))
            elif isinstance(p, InvPath):
                add(o, p.arg, s)
            elif isinstance(p, SequencePath):
                nodes = [s] + [Variable(self.fresh("_path")) for _ in p.args[1:]] + [o]
                for step, (a, b) in enumerate(zip(nodes, nodes[1:], strict=False)):
                    add(a, p.args[step], b)
            else:
                raise Unsupported(f"property path {p} is not compiled")

        for s, p, o in triples:
            add(s, p, o)
        return out

    def _triples(self, triples: list[tuple[object, str, object]], env: Env, emit: Emit, indent: int) -> None:
        """Nested loops over the triple patterns, most constrained first."""
        if not triples:
            emit(env, indent)
            return
        best = min(range(len(triples)), key=lambda n: self._cost(triples[n], env))
        s, p, o = triples[best]
        env = self._terms_of(env, (s, o), indent)
        predicate = self.const(p)
        s_code, s_state = self._term(s, env)
        o_code, o_state = self._term(o, env)
        if s_state == "free" and o_state == "bound":
            self.inverse.add(p)
            s_code = self.fresh(_python_name(s))
            self.line(indent, f"for {s_code} in {self.index('into', o_code, indent)}.get({predicate}, ()):")
            indent += 1
        else:
            if s_state != "bound":
                subject = self.fresh(_python_name(s))
                every = "data.out" if s_state == "free" else f"(({s_code},) if {s_code} is not None else data.out)"
                if s_state == "free" and o_state == "maybe":
                    self.inverse.add(p)
                    every = f"(data.into.get({o_code}, NOTHING).get({predicate}, ()) if {o_code} is not None else data.out)"
                self.line(indent, f"for {subject} in {every}:")
                s_code, indent, env = subject, indent + 1, _seen(env, s, subject)
                o_code, o_state = self._term(o, env)  # ?x p ?x: the object is bound now
            values = f"{self.index('out', s_code, indent)}.get({predicate}, ())"
            if o_state == "bound":
                self.line(indent, f"if {o_code} in {values}:")
                indent += 1
            else:
                obj = self.fresh(_python_name(o))
                self.line(indent, f"for {obj} in {values}:")
                indent += 1
                if o_state == "maybe":
                    self.line(indent, f"if {o_code} is None or {o_code} == {obj}:")
                    indent += 1
                o_code = obj
        env = _seen(_seen(env, s, s_code), o, o_code)
        self._triples(triples[:best] + triples[best + 1:], env, emit, indent)

    def _terms_of(self, env: Env, terms: tuple[object, object], indent: int) -> Env:
        """Variables of a triple pattern that hold numbers or texts, turned into terms once."""
        for term in terms:
            name = _variable(term)
            if name in env and env[name].kind != "term":  # type: ignore[operator]
                python = self._converted(name, env[name], indent)  # type: ignore[arg-type, index]
                env = {**env, name: env[name]._replace(name=python, kind="term")}  # type: ignore[index, dict-item]
        return env

    def _converted(self, name: str, var: Var, indent: int) -> str:
        """A local holding the variable `name` as a term: for a parameter of the function, one
        made at the top (it is the same all through, and patterns may use it inside loops)."""
        if var.name not in self._parameters:
            python = self.fresh(name)
            self.line(indent, f"{python} = {var.term}")
            return python
        if var.term not in self._top:
            self._top[var.term] = self.fresh(name)
        return self._top[var.term]

    def _term(self, term: object, env: Env) -> tuple[str, str]:
        """Code for a pattern term and whether it is 'bound', 'maybe' (bound or None) or 'free'."""
        name = _variable(term)
        if name is None:
            return self.const(_constant(term)), "bound"
        if name not in env:
            return "", "free"
        return env[name].term, "bound" if env[name].certain else "maybe"

    def _cost(self, triple: tuple[object, str, object], env: Env) -> int:
        states = (self._term(triple[0], env)[1], self._term(triple[2], env)[1])
        return {("bound", "bound"): 0, ("bound", "maybe"): 1, ("bound", "free"): 2, ("free", "bound"): 3,
                ("maybe", "bound"): 4}.get(states, 5)  # type: ignore[arg-type]

    # --- expressions ------------------------------------------------------------------------

    def expression(self, node: object, env: Env) -> tuple[str, str]:
        """Python code for a SPARQL expression, and its kind ("term", "bool", "num", "text")."""
        if isinstance(node, Variable):
            found = env.get(str(node))
            return (found.name, found.kind) if found is not None and found.visible else ("None", "term")
        if isinstance(node, URIRef):
            return self.const(str(node)), "term"
        if isinstance(node, RdfLiteral):
            term = _constant(node)
            if term.datatype == XSD_STRING:
                return repr(term.value), "text"
            value = shacl_sparql_functions.number(term)
            return (self.const(value), "num") if value is not None else (self.const(term), "term")
        if not isinstance(node, CompValue):
            raise Unsupported(f"expression {node!r} is not compiled")
        return self._operation(node, env)

    def term(self, node: object, env: Env) -> str:
        code, kind = self.expression(node, env)
        return _TO_TERM[kind].format(code)

    def number(self, node: object, env: Env) -> str:
        code, kind = self.expression(node, env)
        return _TO_NUMBER[kind].format(code)

    def _operation(self, node: CompValue, env: Env) -> tuple[str, str]:
        """Code for an operator or function call."""
        kind = node.name
        term = lambda child: self.term(child, env)  # noqa: E731
        if kind in ("ConditionalOrExpression", "ConditionalAndExpression"):
            return self._logic(node, env), "bool"
        if kind == "RelationalExpression":
            return self._relation(node, env), "bool"
        if kind in ("AdditiveExpression", "MultiplicativeExpression"):
            code = self.number(node.expr, env)
            for op, other in zip(node.op, node.other, strict=True):
                code = self._arithmetic(op, code, self.number(other, env))
            return code, "num"
        if kind == "UnaryNot":
            return f"not_({term(node.expr)})", "bool"
        if kind in ("UnaryMinus", "UnaryPlus"):
            code = self.number(node.expr, env)
            return (f"negative({code})" if kind == "UnaryMinus" else code), "num"
        if kind in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            yes, no = ("FALSE", "TRUE") if kind == "Builtin_NOTEXISTS" else ("TRUE", "FALSE")
            return f"({yes} if {self._exists(node.graph, env)} else {no})", "bool"
        if kind == "Function":
            if str(node.iri) not in _CASTS or len(node.expr) != 1:
                raise Unsupported(f"function <{node.iri}> is not compiled")
            function, gives = _CASTS[str(node.iri)]
            return f"{function}({term(node.expr[0])})", gives
        return self._builtin(node, kind.removeprefix("Builtin_"), env)

    def _builtin(self, node: CompValue, builtin: str, env: Env) -> tuple[str, str]:
        term = lambda child: self.term(child, env)  # noqa: E731
        if builtin in _ONE_ARGUMENT:
            function, takes, gives = _ONE_ARGUMENT[builtin]
            argument = self.number(node.arg, env) if takes == "num" else term(node.arg)
            if function == "lexical" and argument.isidentifier():  # STR of an IRI or a literal without a call
                return (f"({argument} if {argument}.__class__ is str else {argument}[0] "
                        f"if {argument}.__class__ is Literal else None)"), gives
            return f"{function}({argument})", gives
        if builtin in _DATE_PARTS:
            return f"date_part({term(node.arg)}, {_DATE_PARTS[builtin]})", "num"
        if builtin in _TWO_STRINGS:
            on_terms, gives, on_texts, gives_text = _TWO_STRINGS[builtin]
            (a, ka), (b, kb) = self.expression(node.arg1, env), self.expression(node.arg2, env)
            texts = self._text_test(node.name, (a, ka), (b, kb)) if node.name in _TEXT_TESTS else None
            if texts is not None:
                known, test = texts
                value = f"(TRUE if {test} else FALSE)"
                return (f"({value} if {' and '.join(known)} else None)" if known else value), "bool"
            if ka == kb == "text":
                return f"{on_texts}({a}, {b})", gives_text
            return f"{on_terms}({_TO_TERM[ka].format(a)}, {_TO_TERM[kb].format(b)})", gives
        if builtin == "sameTerm":
            return f"same_term({term(node.arg1)}, {term(node.arg2)})", "bool"
        if builtin == "CONCAT":
            parts = [self.expression(child, env) for child in node.arg or []]
            if all(k == "text" for _, k in parts):
                known, texts = self._texts([c for c, _ in parts])
                joined = " + ".join(texts) or "''"
                return (f"({joined} if {' and '.join(known)} else None)" if known else f"({joined})"), "text"
            return f"concat({', '.join(_TO_TERM[k].format(c) for c, k in parts)})", "term"
        if builtin == "COALESCE":
            return f"coalesce({', '.join(map(term, node.arg or []))})", "term"
        if builtin == "IF":
            return f"if_({term(node.arg1)}, {term(node.arg2)}, {term(node.arg3)})", "term"
        if builtin == "SUBSTR":
            text, kind = self.expression(node.arg, env)
            numbers = [self.number(node.start, env)]
            if node.length is not None:
                numbers += [self.number(node.length, env), "has_length=True"]
            if kind == "text":
                return f"text_substr({text}, {', '.join(numbers)})", "text"
            return f"substr({_TO_TERM[kind].format(text)}, {', '.join(numbers)})", "term"
        if builtin in ("REGEX", "REPLACE"):
            return self._regex(node, builtin, env)
        raise Unsupported(f"{builtin} is not compiled")

    def _arithmetic(self, op: str, a: str, b: str) -> str:
        """`a op b` of two numbers: of integers and decimals inline, else the runtime function.

        Why: they are the usual operands (date arithmetic runs for every Kamervraag), and Python
        combines them as SPARQL does (see `_EXACT`); an integer or decimal constant needs no check.
        """
        checks, operands = [], []
        for code in (a, b):
            if code in self.constants:
                if type(self.constants[code]) not in (int, Decimal):
                    return f"{_ARITHMETIC[op]}({a}, {b})"
                operands.append(code)
                continue
            held = code if code.isidentifier() else self.fresh("_x")
            checks.append(f"({code if held == code else f'({held} := {code})'}.__class__ in _EXACT)")
            operands.append(held)
        x, y = operands
        # `&`, not `and`: both operands are assigned whichever way the test goes
        condition = " & ".join(checks)
        inline = f"{x} {op} {y}"
        if op == "/":  # an integer divided by an integer is a decimal; by zero, an error
            inline, condition = f"Decimal({x}) / {y}", f"{condition} and {y}" if condition else y
        if not condition:
            return f"({inline})"
        return f"({inline} if {condition} else {_ARITHMETIC[op]}({x}, {y}))"

    def _text_test(self, builtin: str, a: tuple[str, str], b: tuple[str, str]) -> tuple[list[str], str] | None:
        """STRSTARTS, STRENDS or CONTAINS of two arguments (code, kind) that are texts as
        (conditions that both are texts, not errors; the Python test of them), else None."""
        if a[1] != "text" or b[1] != "text":
            return None
        known, (x, y) = self._texts([a[0], b[0]])
        return known, _TEXT_TESTS[builtin].format(x, y)

    def _texts(self, codes: list[str]) -> tuple[list[str], list[str]]:
        """Texts used inline: conditions that none is None (an error), and the code to use each
        by. Why: Python's `+`, `startswith` and `in` on the texts themselves cost a fraction of
        a runtime call; a string constant is never None, and a name is looked at, not copied.
        """
        known, uses = [], []
        for code in codes:
            if code[:1] in ("'", '"'):  # a string constant (repr)
                uses.append(code)
            elif code.isidentifier():
                known.append(f"{code} is not None")
                uses.append(code)
            else:
                held = self.fresh("_s")
                known.append(f"({held} := {code}) is not None")
                uses.append(held)
        return known, uses

    def _relation(self, node: CompValue, env: Env) -> str:
        """`= != < > <= >=` (inline for two numbers or two texts) and IN, NOT IN."""
        if node.op in ("IN", "NOT IN"):
            inside = f"in_({', '.join([self.term(node.expr, env), *(self.term(o, env) for o in node.other)])})"
            return f"not_({inside})" if node.op == "NOT IN" else inside
        (a, ka), (b, kb) = self._operands(node, env)
        if _python_comparable(node, ka, kb):
            x, y = self.fresh("_a"), self.fresh("_b")
            return f"(None if ({x} := {a}) is None or ({y} := {b}) is None else boolean({x} {_python_op(node)} {y}))"
        equality = _equal_number(a, ka, b, kb)
        if equality is not None and node.op in ("=", "!="):
            return equality if node.op == "=" else f"not_({equality})"
        return f"{_RELATIONS[node.op]}({_TO_TERM[ka].format(a)}, {_TO_TERM[kb].format(b)})"

    def _operands(self, node: CompValue, env: Env) -> tuple[tuple[str, str], tuple[str, str]]:
        """The two sides of a comparison as (code, kind); an order between a number and a term
        compares numbers (the term must be one too, else an error)."""
        (a, ka), (b, kb) = self.expression(node.expr, env), self.expression(node.other, env)
        if node.op not in ("=", "!=") and {ka, kb} == {"num", "term"}:
            return (_TO_NUMBER[ka].format(a), "num"), (_TO_NUMBER[kb].format(b), "num")
        return (a, ka), (b, kb)

    def _logic(self, node: CompValue, env: Env) -> str:
        """`a || b || ...` and `a && b && ...`, not evaluating the rest once one operand decides
        (the same result: operands have no side effects, and only an error needs the rest)."""
        deciding, function = ("TRUE", "or_") if node.name == "ConditionalOrExpression" else ("FALSE", "and_")
        first, *rest = [self.expression(child, env) for child in [node.expr, *node.other]]
        codes = [_TO_TERM[k].format(c) for c, k in [first, *rest]]
        if first[1] != "bool":
            return f"{function}({', '.join(codes)})"
        held = self.fresh("_t")
        if len(codes) == 2:  # the usual case, without building an argument list
            function = "or2" if function == "or_" else "and2"
        return f"({deciding} if ({held} := {codes[0]}) is {deciding} else {function}({held}, {', '.join(codes[1:])}))"

    def _regex(self, node: CompValue, builtin: str, env: Env) -> tuple[str, str]:
        """REGEX and REPLACE with constant patterns, compiled once."""
        constants = [node.pattern, node.flags] + ([node.replacement] if builtin == "REPLACE" else [])
        if not all(c is None or isinstance(c, RdfLiteral) for c in constants):
            raise Unsupported(f"{builtin} with a pattern that is not a constant is not compiled")
        try:
            pattern = self.const(shacl_sparql_functions.compile_regex(str(node.pattern), str(node.flags or "")))
            groups = self.constants[pattern].groups  # type: ignore[attr-defined]
            template = shacl_sparql_functions.replacement_template(str(node.replacement), groups) \
                if builtin == "REPLACE" else ""
        except ValueError as problem:
            raise Unsupported(str(problem)) from None
        if builtin == "REPLACE" and self.constants[pattern].fullmatch(""):  # type: ignore[attr-defined]
            raise Unsupported("REPLACE with a pattern that matches the empty string is an error")
        text, kind = self.expression(node.text if builtin == "REGEX" else node.arg, env)
        prefix = "text_" if kind == "text" else ""
        argument = text if kind == "text" else _TO_TERM[kind].format(text)
        if builtin == "REGEX":
            return f"{prefix}regex({argument}, {pattern})", "bool"
        replacement = self.const(_Substitution(template))
        return f"{prefix}replace({argument}, {pattern}, {replacement})", ("text" if kind == "text" else "term")

    def _exists(self, graph: CompValue, env: Env) -> str:
        """A helper function that tells whether `graph` has a solution, given the outer solution."""
        if graph.name == "GroupGraphPatternSub":
            from rdflib.plugins.sparql import algebra

            graph = algebra.translateGroupGraphPattern(graph)
        graph = _simplified(graph)
        mentioned = _mentioned(graph)  # the helper takes only the outer variables it uses
        # a BIND's chain is of the outer function's locals: inside, its value is a parameter
        inner = {k: v._replace(fixed=True, chain=None if v.kind == "term" else _IMPURE)
                 for k, v in env.items() if v.visible and k in mentioned}
        if graph.name == "BGP" and len(graph.triples) == 1 and isinstance(graph.triples[0][1], URIRef):
            lookup = self._one_triple(graph.triples[0], inner)
            if lookup is not None:
                return lookup
        parameters = list(dict.fromkeys(v.name for v in inner.values()))
        name = self.fresh("_exists")

        def body() -> None:
            self.pattern(graph, inner, lambda e, i: self.line(i, "return True"), 1)
            self.line(1, "return False")

        self.function(name, parameters, body)
        return f"{name}(data, {', '.join(parameters)})"

    def _one_triple(self, triple: tuple[object, object, object], env: Env) -> str | None:
        """Whether one triple pattern matches, as a lookup rather than a helper function, when
        its terms are known or one is a variable free in it (a variable occurring once matches
        anything: the predicate's list of values, never empty in the index, decides); else None.
        """
        s, p, o = triple
        predicate = self.const(str(p))
        # (indent 2 for `index`: an expression may well run inside a loop)
        (subject, s_state), (obj, o_state) = self._term(s, env), self._term(o, env)
        if s_state == o_state == "bound":
            return f"({obj} in {self.index('out', subject, 2)}.get({predicate}, ()))"
        if s_state == "bound" and o_state == "free":
            return f"({self.index('out', subject, 2)}.get({predicate}) is not None)"
        if s_state == "free" and o_state == "bound":
            self.inverse.add(str(p))
            return f"({self.index('into', obj, 2)}.get({predicate}) is not None)"
        return None


def _equal_number(a: str, ka: str, b: str, kb: str) -> str | None:
    """`equal_number(term, number)` for a term compared with a computed number (None for other
    kinds): the number is made a literal only if the term is not a number."""
    if (ka, kb) == ("term", "num"):
        return f"equal_number({a}, {b})"
    if (ka, kb) == ("num", "term"):
        return f"equal_number({b}, {a})"
    return None


def _constant(term: object) -> Term:
    """A constant of a query as a plain term."""
    if isinstance(term, URIRef | RdfLiteral):
        return from_rdflib(term)
    raise Unsupported(f"term {term!r} is not compiled")

