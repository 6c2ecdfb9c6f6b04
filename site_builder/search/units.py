"""Units and groups of the search index.

A *unit* is a year, a half-year, a quarter or a month of articles: its postings are made
from its articles alone (`postings.unit_index`), so an edit makes one unit's postings again
(from its articles' records: ~0.2 s for 2,000 articles). Each year is cut into the largest
calendar parts of at most `MAX_UNIT_DOCS` articles: the whole year, else its halves, else
its quarters, else its months (a month is never cut further). A daily paper of 8 articles a
day has two units a year; one of 60 a day, a unit a month.

A *group* is consecutive whole years of at most `MAX_GROUP_DOCS` articles (a larger year is
a group alone), named by its first year. Its files hold the postings of its units side by
side: a query reads one file per group and pair of characters, whatever the number of
units (a browser loads a script from `file://` in a few milliseconds: the number of files
is what a query's time is made of). Making a group's files again puts the units' postings
together: no posting is made again but those of a changed unit.

The cuts depend only on how many articles each month (each year) has. A year's cut changes
only when it grows past the limit; then that year's units are made again once.

>>> [u.name for u in plan_units({(2022, 1): 400, (2022, 2): 300, (2023, 5): 10}, max_docs=1000)]
['2022', '2023']
>>> [u.name for u in plan_units({(2022, 1): 400, (2022, 8): 500, (2022, 9): 200}, max_docs=800)]
['2022-h1', '2022-h2']
>>> [u.name for u in plan_units({(2022, 1): 400, (2022, 2): 300, (2022, 4): 500}, max_docs=800)]
['2022-q1', '2022-q2']
>>> [u.name for u in plan_units({(2022, 1): 900, (2022, 2): 300}, max_docs=800)]
['2022-01', '2022-02']
>>> unit_named("2022-q3").months, unit_named("2022-h2").months[0]
((7, 8, 9), 7)
>>> counts = {(2021, 3): 9, (2022, 1): 5, (2023, 5): 10}
>>> [(g.name, [u.name for u in g.units]) for g in plan_groups(plan_units(counts), counts, max_docs=15)]
[('2021', ['2021', '2022']), ('2023', ['2023'])]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MAX_UNIT_DOCS = 2_000
MAX_GROUP_DOCS = 25_000
# A year, its halves, its quarters, its months: the first cut whose parts all fit.
_CUTS = (12, 6, 3, 1)
_NAME = re.compile(r"(\d{4})(?:-h([12])|-q([1-4])|-(0[1-9]|1[0-2]))?")


@dataclass(frozen=True, order=True)
class Unit:
    """Consecutive months of one year whose articles make one part of the index."""

    year: int
    months: tuple[int, ...]

    @property
    def name(self) -> str:
        """`2022`, `2022-h2`, `2022-q3` or `2022-11`: its folder under search/u/."""
        size = len(self.months)
        if size == 12:
            return str(self.year)
        if size == 6:
            return f"{self.year}-h{(self.months[0] + 5) // 6}"
        if size == 3:
            return f"{self.year}-q{(self.months[0] + 2) // 3}"
        return f"{self.year}-{self.months[0]:02d}"


def unit_named(name: str) -> Unit:
    """The unit a name stands for (ValueError for anything else)."""
    match = _NAME.fullmatch(name)
    if match is None:
        raise ValueError(f"not a search unit: {name!r}")
    year = int(match[1])
    for group, size in ((2, 6), (3, 3)):
        if match[group]:
            first = size * (int(match[group]) - 1) + 1
            return Unit(year, tuple(range(first, first + size)))
    if match[4]:
        return Unit(year, (int(match[4]),))
    return Unit(year, tuple(range(1, 13)))


def plan_units(counts: Mapping[tuple[int, int], int], max_docs: int | None = None) -> list[Unit]:
    """The units, oldest first, for `counts`: (year, month) → number of articles.

    `max_docs` defaults to MAX_UNIT_DOCS (read at each call). Units without articles are left out."""
    limit = MAX_UNIT_DOCS if max_docs is None else max_docs
    units = []
    for year in sorted({year for year, _ in counts}):
        for size in _CUTS:
            parts = [tuple(range(first, first + size)) for first in range(1, 13, size)]
            if all(sum(counts.get((year, m), 0) for m in part) <= limit for part in parts):
                break
        units += [Unit(year, part) for part in parts if any(counts.get((year, m), 0) for m in part)]
    return units


@dataclass(frozen=True)
class Group:
    """Consecutive units of whole years whose files are one: `search/g/<name>/`."""

    units: tuple[Unit, ...]

    @property
    def name(self) -> str:
        return str(self.units[0].year)


def plan_groups(units: Sequence[Unit], counts: Mapping[tuple[int, int], int],
                max_docs: int | None = None) -> list[Group]:
    """`units` (from `plan_units` of `counts`, oldest first) in groups of whole years, oldest
    first: a group takes the next year while it stays within `max_docs` (default
    MAX_GROUP_DOCS) articles."""
    limit = MAX_GROUP_DOCS if max_docs is None else max_docs
    years: dict[int, list[Unit]] = {}
    for unit in units:
        years.setdefault(unit.year, []).append(unit)
    groups: list[list[Unit]] = []
    size = 0
    for year, mine in years.items():
        docs = sum(n for (y, _), n in counts.items() if y == year)
        if not groups or size + docs > limit:
            groups.append([])
            size = 0
        groups[-1] += mine
        size += docs
    return [Group(tuple(g)) for g in groups]
