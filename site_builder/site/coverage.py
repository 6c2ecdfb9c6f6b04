"""Coverage (稿件分布): articles per province and year, as the table a heat map is drawn from.

Rows are the provinces in the fixed order of `regions.PROVINCES`, then the articles with no
province (全国性或综合稿件); columns are every year from the first to the last with articles.
Each cell's colour step is on a logarithmic scale of the largest cell: with steps of five,
a cell of `n` articles is at the first step `i` with `n ≤ most ** (i / 5)` (rounded up),
so a decade's archive reads as well as a month's. Counts stay in the table as text: the
colour is never the only carrier. The model is one value per cell (35 rows × 20 years at a
20-year archive), whatever the number of articles.

>>> table = coverage({("浙江", 2023): 3, (None, 2022): 1})
>>> table.years, [(r.province, [c.count for c in r.cells]) for r in table.rows if r.total]
((2022, 2023), [('浙江', [0, 3]), (None, [1, 0])])
>>> [(s.level, s.low, s.high) for s in table.steps]
[(1, 1, 2), (4, 3, 3)]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from site_builder.regions import PROVINCES, PROVINCES_BY_SHORT

STEPS = 5  # colour steps of the cells with articles (level 0: none)


@dataclass(frozen=True)
class Cell:
    year: int
    count: int
    level: int  # 0 (no article) … STEPS


@dataclass(frozen=True)
class Row:
    province: str | None  # None: no province (national or general items)
    cells: tuple[Cell, ...]  # one per year of `Coverage.years`
    total: int


@dataclass(frozen=True)
class Step:
    """A colour step of the legend: cells of `low` to `high` articles (inclusive)."""

    level: int
    low: int
    high: int


@dataclass(frozen=True)
class Coverage:
    years: tuple[int, ...]  # oldest first, every year from the first to the last
    rows: tuple[Row, ...]  # every province in table order, then the row of no province
    year_totals: tuple[int, ...]
    total: int
    steps: tuple[Step, ...]  # the steps cells can have, lowest first (empty steps left out)


def step_limits(most: int, steps: int = STEPS) -> tuple[int, ...]:
    """The largest count of each step: `ceil(most ** (i / steps))` for i = 1 … steps, in
    exact integers (the same on every machine).

    >>> step_limits(1000)
    (4, 16, 64, 252, 1000)
    """
    limits = []
    for i in range(1, steps + 1):
        target = most ** i
        guess = max(1, round(target ** (1 / steps)))
        while guess ** steps < target:
            guess += 1
        while guess > 1 and (guess - 1) ** steps >= target:
            guess -= 1
        limits.append(guess)
    return tuple(limits)


def level(count: int, limits: tuple[int, ...]) -> int:
    """The step of a cell of `count` articles (0 for none)."""
    if count <= 0:
        return 0
    return next(i for i, high in enumerate(limits, 1) if count <= high)


def coverage(counts: Mapping[tuple[str | None, int], int], steps: int = STEPS) -> Coverage:
    """The table of `counts` ((province or None, year) → articles). A province not in the
    table of provinces, or a negative count, is an error (ValueError)."""
    for (province, _), count in counts.items():
        if province is not None and province not in PROVINCES_BY_SHORT:
            raise ValueError(f"unknown province {province!r}")
        if count < 0:
            raise ValueError(f"negative count for {province!r}")
    present = [year for (_, year), count in counts.items() if count]
    years = tuple(range(min(present), max(present) + 1)) if present else ()
    limits = step_limits(max(counts.values(), default=0), steps) if present else ()
    rows = []
    for province in [p.short for p in PROVINCES] + [None]:
        cells = tuple(Cell(y, n, level(n, limits)) for y in years for n in [counts.get((province, y), 0)])
        rows.append(Row(province, cells, sum(c.count for c in cells)))
    year_totals = tuple(sum(r.cells[i].count for r in rows) for i in range(len(years)))
    lows = (0, *limits)
    legend = tuple(Step(i, lows[i - 1] + 1, high) for i, high in enumerate(limits, 1) if high > lows[i - 1])
    return Coverage(years, tuple(rows), year_totals, sum(year_totals), legend)


def coverage_key(table: Coverage) -> list[object]:
    """What the table shows (for the page's key): the years and each row's counts."""
    return [table.years, [(r.province, [c.count for c in r.cells]) for r in table.rows if r.total]]
