"""The figures of the aggregate named queries, finished in Python from the rows SPARQL fetches.

SPARQL 1.1 has no median: the portable queries in queries/ compute it from ranks, which costs a
join of every answer time with every distinct answer time of its group. kvgraph instead fetches
a histogram (queries/fetch/: how many Kamervragen took each number of days, per group) and does
the arithmetic here, exactly as the portable queries define it: the mean rounded to one decimal
and the share within 21 days to three (halves up, as SPARQL's ROUND), the median exact (the mean
of the two middle values for an even count). The overdue queries fetch the open Kamervragen per
group and submission date; the days open and the 21/42-day terms are counted here.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from math import floor

Row = tuple[str | None, ...]
TERM_DAYS, POSTPONED_TERM_DAYS = 21, 42


def answer_times(key: str, rows: Iterable[Row]) -> tuple[tuple[str, ...], list[Row]]:
    """(group, days, count) rows -> per group: answered, meanDays, medianDays, shareWithin21Days."""
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    for group, days, count in rows:
        if group is not None and days is not None and count is not None:
            histograms[group][int(days)] = histograms[group].get(int(days), 0) + int(count)
    columns = (key, "answered", "meanDays", "medianDays", "shareWithin21Days")
    ordered = sorted(histograms, key=int) if key == "year" else sorted(histograms)
    return columns, [(group, *_figures(histograms[group])) for group in ordered]


def _figures(histogram: dict[int, int]) -> tuple[str, str, str, str]:
    answered = sum(histogram.values())
    total = sum(days * count for days, count in histogram.items())
    within = sum(count for days, count in histogram.items() if days <= TERM_DAYS)
    mean = Fraction(_round_half_up(Fraction(10 * total, answered)), 10)
    share = Fraction(_round_half_up(Fraction(1000 * within, answered)), 1000)
    return str(answered), _decimal(mean), _decimal(_median(histogram, answered)), _decimal(share)


def _median(histogram: dict[int, int], count: int) -> Fraction:
    """The middle value, or the mean of the two middle values (positions counted from 1)."""
    low, high = (count + 1) // 2, (count + 2) // 2
    found: list[int] = []
    seen = 0
    for days in sorted(histogram):
        seen += histogram[days]
        found += [days] * ((seen >= low) + (seen >= high) - len(found))
        if len(found) == 2:
            break
    return Fraction(found[0] + found[1], 2)


def _round_half_up(value: Fraction) -> int:
    return floor(value + Fraction(1, 2))


def _decimal(value: Fraction) -> str:
    """As SPARQL prints an xsd:decimal: no exponent, no trailing zeros ("42", "43.5", "0.333")."""
    return f"{(Decimal(value.numerator) / Decimal(value.denominator)).normalize():f}"


def overdue(keys: tuple[str, ...], rows: Iterable[Row], as_of: datetime.date) -> tuple[tuple[str, ...], list[Row]]:
    """(group..., submitted, postponed, count) rows of open Kamervragen -> per group: overdue, longestOpenDays.

    Open more than 21 days is overdue, more than 42 after a postponement notice; ordered by the
    number overdue (most first), then by the group (an unbound party first, as SPARQL orders it).
    """
    counts: dict[Row, list[int]] = {}
    for *group, submitted, postponed, count in rows:
        if submitted is None or count is None:
            continue
        days_open = (as_of - datetime.date.fromisoformat(submitted[:10])).days
        if days_open > (POSTPONED_TERM_DAYS if postponed == "true" else TERM_DAYS):
            figures = counts.setdefault(tuple(group), [0, 0])
            figures[0] += int(count)
            figures[1] = max(figures[1], days_open)
    ordered = sorted(counts, key=lambda g: (-counts[g][0], *((v is not None, v or "") for v in g)))
    return (*keys, "overdue", "longestOpenDays"), [(*g, str(counts[g][0]), str(counts[g][1])) for g in ordered]
