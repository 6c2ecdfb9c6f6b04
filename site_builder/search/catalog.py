"""The catalog of the search index, `search/catalog.js`: the first file a search reads.

The number of shards of every group, and the groups, oldest first, each with its units: a
unit's name, its first day and the number of docs of each day from there to its last day
(as the digits of `digits.number`, a day after another). A doc's number in its unit gives
its day (the docs are in date order), so the date filters and the date sort need no other
file, and a doc's own file is found from its unit and number:
`search/d/<day>/<number − the day's first number>.js`. A unit may carry a `key` (what its
postings were made from, for a build that reuses them).

>>> import datetime as dt
>>> from site_builder.search.units import Group, Unit
>>> path, data = catalog_file([Group((Unit(2023, (10,)),))], {dt.date(2023, 10, 30): 2, dt.date(2023, 10, 31): 1}, 2)
>>> path, data.decode()
('search/catalog.js', 'grrbIndex({"format":2,"groups":[{"name":"2023","units":[{"days":"%$","first":"2023-10-30","name":"2023-10"}]}],"shards":2,"total":3});\\n')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from site_builder.search.digits import number
from site_builder.search.script import data_script
from site_builder.search.units import Group, Unit

CATALOG = "search/catalog.js"
FORMAT = 2


def unit_days(unit: Unit, by_month: Mapping[tuple[int, int], list[tuple[dt.date, int]]]) -> list[tuple[dt.date, int]]:
    """(day, docs) of the unit's days with docs, in date order (`by_month`: (year, month) →
    its days with docs, in date order)."""
    return [found for month in unit.months for found in by_month.get((unit.year, month), [])]


def catalog_file(groups: Sequence[Group], day_counts: Mapping[dt.date, int], shards: int,
                 keys: Mapping[str, str] | None = None) -> tuple[str, bytes]:
    """The catalog of `groups` (from `units.plan_groups`) with `day_counts` (day → number of
    docs) and `shards` per group; `keys`: unit name → key, for the units that have one."""
    by_month: dict[tuple[int, int], list[tuple[dt.date, int]]] = {}
    for day, n in sorted(day_counts.items()):
        if n:
            by_month.setdefault((day.year, day.month), []).append((day, n))
    entries = []
    for group in groups:
        units = []
        for unit in group.units:
            days = unit_days(unit, by_month)
            first, last = days[0][0], days[-1][0]
            counts = dict(days)
            span = [counts.get(first + dt.timedelta(days=i), 0) for i in range((last - first).days + 1)]
            entry = {"name": unit.name, "first": first.isoformat(), "days": "".join(map(number, span))}
            if keys and unit.name in keys:
                entry["key"] = keys[unit.name]
            units.append(entry)
        entries.append({"name": group.name, "units": units})
    return CATALOG, data_script({"format": FORMAT, "total": sum(day_counts.values()), "shards": shards,
                                 "groups": entries})
