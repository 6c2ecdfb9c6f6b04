"""This day in past years (往年今日): the editions of the same month and day in earlier years.

Only earlier years are listed, so adding today's edition never changes an older page.
29 February is matched exactly: a leap day's page lists the earlier leap days, and no
other day lists them (28 February and 1 March have their own past years).

>>> [p.date.isoformat() for p in past_years(dt.date(2023, 10, 31), summaries)]  # doctest: +SKIP
['2022-10-31', '2019-10-31']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from site_builder.models import Edition


@dataclass(frozen=True)
class PastEdition:
    """What the list shows of an edition: its date, its lead headline (if it has one) and
    how many items it has."""

    date: dt.date
    lead: str | None
    items: int


def lead_headline(edition: Edition) -> str | None:
    """The first article of the edition as printed; else its first photo or notice; None
    when it has only continuation fragments (or nothing)."""
    items = edition.articles
    first = next((a for a in items if a.kind == "article"), None) or \
        next((a for a in items if a.kind != "continuation"), None)
    return first.title if first is not None else None


def summary(edition: Edition) -> PastEdition:
    return PastEdition(edition.date, lead_headline(edition), len(edition.articles))


def past_years(date: dt.date, editions: Iterable[PastEdition]) -> tuple[PastEdition, ...]:
    """The editions among `editions` of `date`'s month and day in earlier years, newest
    first, each date once."""
    same = {e.date: e for e in editions
            if e.date.month == date.month and e.date.day == date.day and e.date.year < date.year}
    return tuple(same[d] for d in sorted(same, reverse=True))


def past_years_key(items: Iterable[PastEdition]) -> list[tuple[str, str | None, int]]:
    """What a page shows of its past years (for its key)."""
    return [(p.date.isoformat(), p.lead, p.items) for p in items]
