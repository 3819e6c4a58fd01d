"""SPARQL 1.1 operators and functions for compiled queries (shacl_sparql.py), over kvgraph's plain terms.

Values come in four forms, so that a chain of arithmetic or string functions does not make
and re-read a literal at every step:
- a term (an IRI `str`, a `BlankNode`, a `Literal`), the form variables hold;
- a boolean term, TRUE or FALSE;
- a number: `int` (xsd:integer), `Decimal` (xsd:decimal), `Float32` (xsd:float), `float` (xsd:double);
- a text: the `str` of a simple literal.
In every form None is an error, and an unbound variable is None too: errors and unbound values
travel the same way, as SPARQL has them do. A FILTER whose expression is an error fails, `||`
and `&&` recover from an error on one side when the other side decides, BIND of an error leaves
its variable unbound. No exceptions on the hot path: a constraint runs for every focus node.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from functools import lru_cache

from .terms import RDF_LANGSTRING, XSD_STRING, BlankNode, Literal, Term
from .vocab import PREFIXES, XSD_INTEGER

XSD = PREFIXES["xsd"]
XSD_BOOLEAN = XSD + "boolean"
XSD_DECIMAL = XSD + "decimal"
XSD_DOUBLE = XSD + "double"
XSD_FLOAT = XSD + "float"
XSD_DATE = XSD + "date"
XSD_DATETIME = XSD + "dateTime"

TRUE = Literal("true", XSD_BOOLEAN)
FALSE = Literal("false", XSD_BOOLEAN)
EMPTY = Literal("")

Number = int | Decimal | float


class Float32(float):
    """An xsd:float value (a Python float is an xsd:double)."""

    __slots__ = ()


_INTEGER_TYPES = {XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
_NUMERIC_TYPES = _INTEGER_TYPES | {XSD_DECIMAL, XSD_FLOAT, XSD_DOUBLE}
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DOUBLE = re.compile(r"(?:[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN)")
_DATE = re.compile(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?")
_DATETIME = re.compile(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2}(?:\.[0-9]+)?)"
                       r"(Z|[+-][0-9]{2}:[0-9]{2})?")
_BOOLEANS = ("true", "false", "1", "0")
# Literal types whose values SPARQL compares: two different literals of these are unequal, not an error.
_KNOWN = _NUMERIC_TYPES | {XSD_STRING, RDF_LANGSTRING, XSD_BOOLEAN, XSD_DATE, XSD_DATETIME}


def boolean(value: bool) -> Literal:
    return TRUE if value else FALSE


# --- values of literals, remembered ------------------------------------------------------------

# The decorator of the compiled code's memoised BINDs and FILTERs, keyed on terms. Bounded, so a
# long run keeps the recent values; typed, so an IRI and a blank node of the same label differ.
memoised = lru_cache(maxsize=4096, typed=True)

# Values of the numeric and date literals seen lately: a constraint reads the same dates and
# numbers many times, and the numbers it writes are put here when made, never parsed.
_VALUES: dict[Literal, object] = {}
# Literals of the integers computed most (the number before a question's position, for each
# part of every document): made and remembered once, not once per use. Keyed only by ints
# (`type(value) is int`), so True, 1.0 and Decimal(1) never meet a term made for 1.
_INTEGER_TERMS: dict[int, Literal] = {}
_MISSING = object()
_FOURTEEN_HOURS = timedelta(hours=14)


def _remember(term: Literal, value: object) -> None:
    if len(_VALUES) > 100_000:
        _VALUES.clear()
    _VALUES[term] = value


def number(term: Term | None) -> Number | None:
    """The value of a well-formed numeric literal; None for anything else."""
    if type(term) is not Literal or term.datatype not in _NUMERIC_TYPES:
        return None
    found = _VALUES.get(term, _MISSING)
    if found is _MISSING:
        found = _parse_number(term.value.strip(), term.datatype)
        _remember(term, found)
    return found  # type: ignore[return-value]


def _parse_number(text: str, datatype: str) -> Number | None:
    if datatype in _INTEGER_TYPES:
        return int(text) if _INTEGER.fullmatch(text) else None
    if datatype == XSD_DECIMAL:
        return Decimal(text) if _DECIMAL.fullmatch(text) else None
    if not _DOUBLE.fullmatch(text):
        return None
    value = float(text.replace("INF", "inf"))
    return Float32(value) if datatype == XSD_FLOAT else value


def number_term(value: Number | None) -> Literal | None:
    """A number as a literal of its type (canonical lexical form)."""
    if value is None:
        return None
    kind = type(value)
    if kind is int:
        term = _INTEGER_TERMS.get(value)
        if term is not None:
            return term
        term = Literal(str(value), XSD_INTEGER)
        if len(_INTEGER_TERMS) < 4096:
            _INTEGER_TERMS[value] = term
    elif kind is Decimal:
        text = format(value, "f")
        term = Literal(text if "." in text else text + ".0", XSD_DECIMAL)
    else:
        if value != value:
            text = "NaN"
        elif math.isinf(value):
            text = "INF" if value > 0 else "-INF"
        else:
            text = repr(float(value)).replace("e+", "E").replace("e", "E")
        term = Literal(text, XSD_FLOAT if kind is Float32 else XSD_DOUBLE)
    _remember(term, value)
    return term


def _temporal(term: Term | None) -> tuple[datetime, bool, int, int, int] | None:
    """(moment in UTC, has a timezone, year, month, day as written) of a well-formed xsd:date or
    xsd:dateTime, None otherwise."""
    if type(term) is not Literal or (term.datatype != XSD_DATE and term.datatype != XSD_DATETIME):
        return None
    found = _VALUES.get(term, _MISSING)
    if found is _MISSING:
        found = _parse_temporal(term)
        _remember(term, found)
    return found  # type: ignore[return-value]


def _parse_temporal(term: Literal) -> tuple[datetime, bool, int, int, int] | None:
    try:
        if term.datatype == XSD_DATE:
            found = _DATE.fullmatch(term.value)
            if found is None:
                return None
            year, month, day, zone = found.groups()
            moment = datetime(int(year), int(month), int(day))
        else:
            found = _DATETIME.fullmatch(term.value)
            if found is None:
                return None
            year, month, day, hour, minute, second, zone = found.groups()
            whole, _, fraction = second.partition(".")
            moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(whole),
                              int((fraction + "000000")[:6]))
    except ValueError:  # no such day, or a year Python cannot hold
        return None
    if zone is not None and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        moment -= sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    return moment, zone is not None, int(year), int(month), int(day)


def date_part(term: Term | None, which: int) -> int | None:
    """YEAR (2), MONTH (3) or DAY (4) of an xsd:date or xsd:dateTime, as a number."""
    found = _temporal(term)
    return None if found is None else found[which]  # type: ignore[return-value]


# --- effective boolean value and logic -------------------------------------------------------------

def ebv(term: Term | None) -> bool | None:
    """The effective boolean value (SPARQL 17.2.2) of a term: None when it is an error."""
    if term is TRUE:
        return True
    if term is FALSE or term is None:
        return False if term is FALSE else None
    if type(term) is not Literal:
        return None
    if term.datatype == XSD_BOOLEAN:
        return term.value in ("true", "1")
    if term.datatype == XSD_STRING:
        return bool(term.value)
    if term.datatype in _NUMERIC_TYPES:
        return number_true(number(term))
    return None


def number_true(value: Number | None) -> bool:
    """The effective boolean value of a number (an ill-formed one, or NaN, is false)."""
    return value is not None and value != 0 and value == value


def or_(*terms: Term | None) -> Literal | None:
    values = [ebv(t) for t in terms]
    if True in values:
        return TRUE
    return None if None in values else FALSE


def and_(*terms: Term | None) -> Literal | None:
    values = [ebv(t) for t in terms]
    if False in values:
        return FALSE
    return None if None in values else TRUE


def or2(a: Term | None, b: Term | None) -> Literal | None:
    """`a || b` when `a` is not TRUE (the caller checked)."""
    y = ebv(b)
    if y is True:
        return TRUE
    return FALSE if y is False and ebv(a) is False else None


def and2(a: Term | None, b: Term | None) -> Literal | None:
    """`a && b` when `a` is not FALSE (the caller checked)."""
    y = ebv(b)
    if y is False:
        return FALSE
    return TRUE if y is True and ebv(a) is True else None


def not_(term: Term | None) -> Literal | None:
    value = ebv(term)
    return None if value is None else boolean(not value)


# --- comparison of terms ---------------------------------------------------------------------------

def _compare(a: Term, b: Term) -> int | None:
    """-1, 0 or 1 for two comparable literals (numbers, strings, booleans, dates), None otherwise."""
    x, y = number(a), number(b)
    if x is not None and y is not None:
        return (x > y) - (x < y) if x == x and y == y else None
    if type(a) is not Literal or type(b) is not Literal:
        return None
    if a.datatype == b.datatype == XSD_STRING:
        return (a.value > b.value) - (a.value < b.value)
    if a.datatype == b.datatype == XSD_BOOLEAN:
        if a.value not in _BOOLEANS or b.value not in _BOOLEANS:
            return None
        p, q = ebv(a), ebv(b)
        return (p > q) - (p < q)  # type: ignore[operator]
    s, t = _temporal(a), _temporal(b)
    if s is None or t is None or a.datatype != b.datatype:
        return None
    if s[1] == t[1]:
        return (s[0] > t[0]) - (s[0] < t[0])
    # One has a timezone, the other not: the other may be anywhere from -14:00 to +14:00, and
    # the order is known only when that range does not matter (XPath op:date-less-than).
    zoned, floating = (s[0], t[0]) if s[1] else (t[0], s[0])
    if zoned < floating - _FOURTEEN_HOURS:
        order = -1
    elif zoned > floating + _FOURTEEN_HOURS:
        order = 1
    else:
        return None
    return order if s[1] else -order


def equal(a: Term | None, b: Term | None) -> Literal | None:
    """`=`: value equality for the literal types SPARQL knows, term identity otherwise (SPARQL 17.3);
    an error only for two different literals of which one has a type it does not know."""
    if a is None or b is None:
        return None
    if type(a) is not Literal or type(b) is not Literal:
        return boolean(type(a) is type(b) and a == b)
    x, y = number(a), number(b)
    if x is not None and y is not None:
        return boolean(x == y)  # NaN is not equal to itself
    order = _compare(a, b)
    if order is not None:
        return boolean(order == 0)
    if a == b:
        return TRUE
    if a.datatype == RDF_LANGSTRING or b.datatype == RDF_LANGSTRING:
        return FALSE  # a language-tagged string equals only the same one
    if _well_formed(a, x) and _well_formed(b, y):
        return FALSE  # different values of types SPARQL knows
    return None


def _well_formed(term: Literal, value: Number | None) -> bool:
    """A literal of a type SPARQL knows, with a valid lexical form (`value`: its number, if any)."""
    kind = term.datatype
    if kind not in _KNOWN:
        return False
    if kind in _NUMERIC_TYPES:
        return value is not None
    if kind == XSD_BOOLEAN:
        return term.value in _BOOLEANS
    return kind not in (XSD_DATE, XSD_DATETIME) or _temporal(term) is not None


def equal_number(a: Term | None, n: Number | None) -> Literal | None:
    """`a = n` for a term and a number the query computed, as `equal` has it, without making
    the number a literal first when the term is a number too (the usual case)."""
    if a is None or n is None:
        return None
    x = number(a)
    if x is not None:
        return boolean(x == n)  # NaN is not equal to itself
    return equal(a, number_term(n))


def not_equal(a: Term | None, b: Term | None) -> Literal | None:
    return not_(equal(a, b))


def less(a: Term | None, b: Term | None) -> Literal | None:
    order = None if a is None or b is None else _compare(a, b)
    return None if order is None else boolean(order < 0)


def greater(a: Term | None, b: Term | None) -> Literal | None:
    return less(b, a)


def less_or_equal(a: Term | None, b: Term | None) -> Literal | None:
    order = None if a is None or b is None else _compare(a, b)
    return None if order is None else boolean(order <= 0)


def greater_or_equal(a: Term | None, b: Term | None) -> Literal | None:
    return less_or_equal(b, a)


def in_(term: Term | None, *options: Term | None) -> Literal | None:
    """IN: true if equal to one option; an error if none is equal and some comparison was one."""
    results = [equal(term, option) for option in options]
    if TRUE in results:
        return TRUE
    return None if None in results else FALSE


def same_term(a: Term | None, b: Term | None) -> Literal | None:
    return None if a is None or b is None else boolean(type(a) is type(b) and a == b)


# --- numbers ---------------------------------------------------------------------------------------

def _common(a: Number, b: Number) -> tuple[Number, Number, type]:
    """Both numbers promoted to the wider of their types (integer < decimal < float < double)."""
    ta, tb = type(a), type(b)
    if ta is tb:
        return a, b, ta
    if ta is float or tb is float:
        return float(a), float(b), float
    if ta is Float32 or tb is Float32:
        return Float32(a), Float32(b), Float32
    return Decimal(a), Decimal(b), Decimal


# Integers and decimals combine exactly in Python as in SPARQL (an integer meeting a decimal
# becomes one, under the same 28-digit context), so the compiled code does their arithmetic
# inline behind a test of this set (shacl_sparql_translate._arithmetic) and calls the functions
# below only for the other operands.
_EXACT = frozenset({int, Decimal})


def add(a: Number | None, b: Number | None) -> Number | None:
    if a is None or b is None:
        return None
    a, b, kind = _common(a, b)
    return kind(a + b)


def subtract(a: Number | None, b: Number | None) -> Number | None:
    if a is None or b is None:
        return None
    a, b, kind = _common(a, b)
    return kind(a - b)


def multiply(a: Number | None, b: Number | None) -> Number | None:
    if a is None or b is None:
        return None
    a, b, kind = _common(a, b)
    return kind(a * b)


def divide(a: Number | None, b: Number | None) -> Number | None:
    """`/`: integers divide to a decimal; a decimal divided by zero is an error, a double is not."""
    if a is None or b is None:
        return None
    a, b, kind = _common(a, b)
    if kind is int:
        a, b, kind = Decimal(a), Decimal(b), Decimal
    if b == 0:
        if kind is Decimal:
            return None
        return kind(math.nan if a == 0 or a != a else math.copysign(math.inf, a) * math.copysign(1, b))
    try:
        return kind(a / b)
    except InvalidOperation:
        return None


def negative(a: Number | None) -> Number | None:
    return None if a is None else type(a)(-a)


def _special(a: float) -> bool:
    return a != a or math.isinf(a)


def _rounding(decimal: Callable[[Decimal], Decimal], double: Callable[[float], int]
              ) -> Callable[[Number | None], Number | None]:
    """A rounding function on any number: integers stay, NaN and the infinities too.

    Made once per function rather than passing the roundings in on every call: FLOOR runs ten
    times a Kamervraag in the daysToAnswer constraint, on decimals."""
    def rounded(a: Number | None) -> Number | None:
        if a.__class__ is Decimal:
            return decimal(a)  # type: ignore[arg-type]
        if a is None or type(a) is int or _special(a):  # type: ignore[arg-type]
            return a
        return type(a)(math.copysign(double(a), a))  # type: ignore[arg-type]  # -0.5 rounds to -0
    return rounded


floor_ = _rounding(lambda d: d.to_integral_value(ROUND_FLOOR), math.floor)
ceil_ = _rounding(lambda d: d.to_integral_value(ROUND_CEILING), math.ceil)
# ROUND: halves go towards positive infinity
round_ = _rounding(lambda d: (d + Decimal("0.5")).to_integral_value(ROUND_FLOOR), lambda f: math.floor(f + 0.5))


def abs_(a: Number | None) -> Number | None:
    return None if a is None else type(a)(abs(a))


# --- terms ----------------------------------------------------------------------------------------

def lexical(term: Term | None) -> str | None:
    """STR, as a text: the lexical form of a literal or the IRI; an error for a blank node."""
    if term is None or isinstance(term, BlankNode):
        return None
    return term.value if type(term) is Literal else term  # type: ignore[return-value]


def text_term(text: str | None) -> Literal | None:
    return None if text is None else Literal(text)


def lang(term: Term | None) -> Literal | None:
    return Literal(term.language) if type(term) is Literal else None


def datatype(term: Term | None) -> str | None:
    return term.datatype if type(term) is Literal else None


def is_iri(term: Term | None) -> Literal | None:
    return None if term is None else boolean(type(term) is str)


def is_blank(term: Term | None) -> Literal | None:
    return None if term is None else boolean(isinstance(term, BlankNode))


def is_literal(term: Term | None) -> Literal | None:
    return None if term is None else boolean(type(term) is Literal)


def bound(term: Term | None) -> Literal:
    return boolean(term is not None)


def if_(condition: Term | None, then: Term | None, otherwise: Term | None) -> Term | None:
    value = ebv(condition)
    return None if value is None else then if value else otherwise


def coalesce(*terms: Term | None) -> Term | None:
    return next((t for t in terms if t is not None), None)


# --- strings: texts (simple literals) and string literals (any language, xsd:string) ---------------

def string(term: Term | None) -> tuple[str, str] | None:
    """(text, language) of a string literal (simple, xsd:string or language-tagged), None otherwise."""
    if type(term) is not Literal:
        return None
    if term.datatype == XSD_STRING or term.datatype == RDF_LANGSTRING:
        return term.value, term.language
    return None


def _like(text: str, source: Literal) -> Literal:
    """A string literal of the same kind (language, xsd:string) as `source`."""
    return Literal(text, source.datatype, source.language)


def _pair(a: Term | None, b: Term | None) -> tuple[str, str] | None:
    """The texts of two 'argument compatible' string literals (SPARQL 17.4.3.1.1), else None."""
    x, y = string(a), string(b)
    if x is None or y is None or (y[1] and y[1] != x[1]):
        return None
    return x[0], y[0]


def strlen(a: Term | None) -> int | None:
    x = string(a)
    return None if x is None else len(x[0])


def concat(*terms: Term | None) -> Literal | None:
    parts = [string(t) for t in terms]
    if None in parts:
        return None
    languages = {language for _, language in parts}  # type: ignore[misc]
    text = "".join(text for text, _ in parts)  # type: ignore[misc]
    if len(languages) == 1 and "" not in languages:
        return Literal(text, RDF_LANGSTRING, languages.pop())
    return Literal(text)


def strstarts(a: Term | None, b: Term | None) -> Literal | None:
    texts = _pair(a, b)
    return None if texts is None else boolean(texts[0].startswith(texts[1]))


def strends(a: Term | None, b: Term | None) -> Literal | None:
    texts = _pair(a, b)
    return None if texts is None else boolean(texts[0].endswith(texts[1]))


def contains(a: Term | None, b: Term | None) -> Literal | None:
    texts = _pair(a, b)
    return None if texts is None else boolean(texts[1] in texts[0])


def strbefore(a: Term | None, b: Term | None) -> Literal | None:
    texts = _pair(a, b)
    if texts is None:
        return None
    found = texts[0].find(texts[1])
    return EMPTY if found < 0 else _like(texts[0][:found], a)  # type: ignore[arg-type]


def strafter(a: Term | None, b: Term | None) -> Literal | None:
    texts = _pair(a, b)
    if texts is None:
        return None
    found = texts[0].find(texts[1])
    return EMPTY if found < 0 else _like(texts[0][found + len(texts[1]):], a)  # type: ignore[arg-type]


def text_strbefore(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return None
    found = a.find(b)
    return "" if found < 0 else a[:found]


def text_strafter(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return None
    found = a.find(b)
    return "" if found < 0 else a[found + len(b):]


def _substring(text: str, start: int, length: int | None) -> str:
    """fn:substring: characters at 1-based positions p with start <= p < start + length."""
    begin = max(start, 1)
    end = len(text) + 1 if length is None else max(start + length, begin)
    return text[begin - 1:end - 1]


def substr(a: Term | None, start: Number | None, length: Number | None = None, *, has_length: bool = False
           ) -> Literal | None:
    """SUBSTR of any string literal; start and length must be integers (SPARQL 17.4.3.3)."""
    x = string(a)
    if x is None or type(start) is not int or (has_length and type(length) is not int):
        return None
    return _like(_substring(x[0], start, length), a)  # type: ignore[arg-type]


def text_substr(a: str | None, start: Number | None, length: Number | None = None, *, has_length: bool = False
                ) -> str | None:
    if a is None or type(start) is not int or (has_length and type(length) is not int):
        return None
    return _substring(a, start, length)


def regex(a: Term | None, pattern: re.Pattern[str]) -> Literal | None:
    x = string(a)
    return None if x is None else boolean(pattern.search(x[0]) is not None)


def text_regex(a: str | None, pattern: re.Pattern[str]) -> Literal | None:
    return None if a is None else boolean(pattern.search(a) is not None)


Replacement = str | Callable[[re.Match[str]], str]


def replace(a: Term | None, pattern: re.Pattern[str], replacement: Replacement) -> Literal | None:
    x = string(a)
    return None if x is None else _like(pattern.sub(replacement, x[0]), a)  # type: ignore[arg-type]


def text_replace(a: str | None, pattern: re.Pattern[str], replacement: Replacement) -> str | None:
    return None if a is None else pattern.sub(replacement, a)


def compile_regex(pattern: str, flags: str = "") -> re.Pattern[str]:
    """An XPath regular expression (flags s, m, i, x) as a Python one; ValueError if it has no match here.

    The languages differ in `$` (XPath: end of input only, Python: also before a final newline)
    and in what Python does not know (`\\p{..}` classes, subtraction): those raise.
    """
    known = {"s": re.DOTALL, "m": re.MULTILINE, "i": re.IGNORECASE, "x": re.VERBOSE}
    if any(flag not in known for flag in flags):
        raise ValueError(f"regex flags {flags!r} not supported")
    if "\\p" in pattern or "\\P" in pattern:
        raise ValueError(f"regex {pattern!r} uses character classes Python does not have")
    value = 0
    for flag in flags:
        value |= known[flag]
    try:
        return re.compile(_translated(pattern, multiline="m" in flags), value)
    except re.error as problem:
        raise ValueError(f"regex {pattern!r}: {problem}") from None


def _translated(pattern: str, multiline: bool) -> str:
    """`$` outside character classes as `\\Z` (the end of the input) unless multi-line;
    ValueError for character class subtraction (`[a-z-[aeiou]]`), which Python reads differently."""
    out, escaped, in_class = [], False, False
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            if in_class and pattern[index - 1] == "-":
                raise ValueError(f"regex {pattern!r} subtracts character classes")
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class and not multiline:
            out.append(r"\Z")
            continue
        out.append(char)
    return "".join(out)


def replacement_template(replacement: str, groups: int) -> str:
    """An XPath replacement string (`$1`, `\\$`, `\\\\`) as a Python `re.sub` template, for a
    pattern with `groups` groups: `$N` beyond them is empty, `$12` with one group is `$1` then "2"."""
    if re.fullmatch(r"(?:[^$\\]|\\[$\\]|\$[0-9]+)*", replacement) is None:
        raise ValueError(f"replacement {replacement!r} is not a valid XPath replacement string")

    def reference(digits: str) -> str:
        size = len(digits)
        while size > 1 and int(digits[:size]) > groups:
            size -= 1
        number, rest = int(digits[:size]), digits[size:]
        return (f"\\g<{number}>" if number <= groups else "") + rest

    return re.sub(r"\\([$\\])|\$([0-9]+)",
                  lambda m: ("\\\\" if m.group(1) == "\\" else "$") if m.group(1) else reference(m.group(2)),
                  replacement)


def substitution(template: str) -> Replacement:
    """What `re.sub` is given for a template of `replacement_template`: the template itself
    when it refers to no group, else a function that builds the text from the match.

    Why: re.sub expands a template with group references in Python code of its own on every
    call (4 µs for one group); this function of the template's parts takes a quarter of that.
    """
    literals, groups = [""], []
    for piece in re.finditer(r"\\(\\)|\\g<([0-9]+)>|[^\\]+", template):
        if piece.group(2) is None:
            literals[-1] += piece.group(1) or piece.group(0)
        else:
            groups.append(int(piece.group(2)))
            literals.append("")
    if not groups:
        return template
    first, pairs = literals[0], tuple(zip(groups, literals[1:], strict=True))

    def build(match: re.Match[str]) -> str:
        text = first
        for group, after in pairs:
            text += (match[group] or "") + after
        return text

    return build


# --- casts ------------------------------------------------------------------------------------

def _numeric_cast(kind: type, lexical: re.Pattern[str]) -> Callable[[Term | None], Number | None]:
    """xsd:integer(...) or xsd:decimal(...): from a number (not NaN or infinite), a boolean
    (1 or 0) or a string in the type's lexical form; anything else is an error."""
    def cast(a: Term | None) -> Number | None:
        value = number(a)
        if value is not None:
            return None if isinstance(value, float) and _special(value) else kind(value)
        if type(a) is not Literal:
            return None
        if a.datatype == XSD_BOOLEAN:
            return kind(1 if ebv(a) else 0) if a.value in _BOOLEANS else None
        text = a.value.strip()
        return kind(text) if a.datatype == XSD_STRING and lexical.fullmatch(text) else None
    return cast


to_integer = _numeric_cast(int, _INTEGER)
to_decimal = _numeric_cast(Decimal, _DECIMAL)


def to_string(a: Term | None) -> str | None:
    """xsd:string(...), as a text (xsd:string and simple literals are one thing in RDF 1.1)."""
    return lexical(a)


def to_boolean(a: Term | None) -> Literal | None:
    value = number(a)
    if value is not None:
        return boolean(number_true(value))
    if type(a) is Literal and a.datatype in (XSD_STRING, XSD_BOOLEAN) and a.value.strip() in _BOOLEANS:
        return boolean(a.value.strip() in ("true", "1"))
    return None
