"""The index units of the online search: a year, a quarter or a month of article pages.

Pagefind holds every page of an index in memory while it writes it: about 0.4 MB per article
page of Chinese text (Pagefind 1.5.2 on this archive's pages: 153 MB for 270 pages, 341 MB
for 713, 1.24 GB for 2,900). A year of a daily paper (20,000 articles) would need 8 GB in one
index, so each year is cut into the largest calendar parts that stay under `MAX_UNIT_PAGES`:
the whole year, else its quarters, else its months (a month is never cut further). Each unit
has its own Pagefind index and substring index under `pagefind/<unit>/`; the search page
merges the units of the date range asked for.

The cut depends only on how many articles each month has, so the search page (from the
archive) and the indexer (from the built pages) find the same units. A year's cut changes
only when it grows past the limit; then that year is indexed again once, in its new units.

>>> [u.name for u in plan_units({(2022, 1): 400, (2022, 2): 300, (2023, 5): 10}, max_pages=1000)]
['2022', '2023']
>>> [u.name for u in plan_units({(2022, 1): 400, (2022, 2): 300, (2022, 4): 500}, max_pages=800)]
['2022-q1', '2022-q2']
>>> [u.name for u in plan_units({(2022, 1): 900, (2022, 2): 300}, max_pages=800)]
['2022-01', '2022-02']
>>> unit_named("2022-q3").months, unit_named("2022-11").glob
((7, 8, 9), '2022/11/**/*.html')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# Pagefind then needs at most ~400 MB for one unit; two units are indexed at a time.
MAX_UNIT_PAGES = 1_000
# A year, its quarters, its months: the first cut whose parts all fit.
_CUTS = (12, 3, 1)
_NAME = re.compile(r"(\d{4})(?:-q([1-4])|-(0[1-9]|1[0-2]))?")


@dataclass(frozen=True, order=True)
class Unit:
    """Consecutive months of one year whose article pages make one index."""

    year: int
    months: tuple[int, ...]

    @property
    def name(self) -> str:
        """The folder under pagefind/: `2022`, `2022-q3` or `2022-11`."""
        if len(self.months) == 12:
            return str(self.year)
        if len(self.months) == 3:
            return f"{self.year}-q{(self.months[0] + 2) // 3}"
        return f"{self.year}-{self.months[0]:02d}"

    @property
    def glob(self) -> str:
        """Pagefind's glob for the unit's pages, relative to the site (URLs are year/month/day/)."""
        if len(self.months) == 12:
            return f"{self.year}/**/*.html"
        if len(self.months) == 1:
            return f"{self.year}/{self.months[0]:02d}/**/*.html"
        return f"{self.year}/{{{','.join(f'{m:02d}' for m in self.months)}}}/**/*.html"


def unit_named(name: str) -> Unit:
    """The unit a folder name stands for (ValueError for anything else)."""
    match = _NAME.fullmatch(name)
    if match is None:
        raise ValueError(f"not an index unit: {name!r}")
    year = int(match[1])
    if match[2]:
        first = 3 * int(match[2]) - 2
        return Unit(year, (first, first + 1, first + 2))
    if match[3]:
        return Unit(year, (int(match[3]),))
    return Unit(year, tuple(range(1, 13)))


def is_unit_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def plan_units(pages: Mapping[tuple[int, int], int], max_pages: int | None = None) -> list[Unit]:
    """The units, oldest first, for `pages`: (year, month) → number of article pages.

    `max_pages` defaults to MAX_UNIT_PAGES (read at each call). Units with no pages are left out."""
    limit = MAX_UNIT_PAGES if max_pages is None else max_pages
    units = []
    for year in sorted({year for year, _ in pages}):
        for size in _CUTS:
            parts = [tuple(range(first, first + size)) for first in range(1, 13, size)]
            if all(sum(pages.get((year, m), 0) for m in part) <= limit for part in parts):
                break
        units += [Unit(year, part) for part in parts if any(pages.get((year, m), 0) for m in part)]
    return units

