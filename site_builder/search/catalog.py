"""The catalog of the search index, `search/catalog.js`: the first file a search reads.

For each unit, oldest first: its name, its first day, the number of docs of each day from
there to its last day (as the digits of `postings.number`, a day after another) and its
number of shards. A doc's number in its unit gives its day (the docs are in date order), so
the date filters and the date sort need no other file, and a doc's own file is found from
its unit and number: `search/d/<day>/<number − the day's first number>.js`.

>>> import datetime as dt
>>> from site_builder.search.units import Unit
>>> path, data = catalog_file([Unit(2023, (10,))], {dt.date(2023, 10, 30): 2, dt.date(2023, 10, 31): 1})
>>> path, data.decode()
('search/catalog.js', 'grrbIndex({"format":1,"total":3,"units":[{"days":"%$","first":"2023-10-30","name":"2023-10","shards":1}]});\\n')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from site_builder.search.postings import number, shard_count
from site_builder.search.script import data_script
from site_builder.search.units import Unit

CATALOG = "search/catalog.js"
FORMAT = 1


def unit_days(unit: Unit, day_counts: Mapping[dt.date, int]) -> list[tuple[dt.date, int]]:
    """(day, docs) of the unit's days with docs, in date order."""
    return sorted((day, n) for day, n in day_counts.items()
                  if n and day.year == unit.year and day.month in unit.months)


def catalog_file(units: Sequence[Unit], day_counts: Mapping[dt.date, int]) -> tuple[str, bytes]:
    """The catalog of `units` (from `units.plan_units`) with `day_counts`: day → number of docs."""
    entries = []
    for unit in units:
        days = unit_days(unit, day_counts)
        if not days:
            continue
        first, last = days[0][0], days[-1][0]
        counts = dict(days)
        span = [counts.get(first + dt.timedelta(days=i), 0) for i in range((last - first).days + 1)]
        entries.append({"name": unit.name, "first": first.isoformat(), "days": "".join(map(number, span)),
                        "shards": shard_count(sum(span))})
    return CATALOG, data_script({"format": FORMAT, "total": sum(day_counts.values()), "units": entries})
