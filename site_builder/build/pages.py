"""Which pages the site has and what each is rendered from.

`site_pages` yields `(path, html)` one page at a time, so a large archive is written as it
is rendered instead of being held in memory.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import jinja2

from site_builder.build.render import render_page
from site_builder.build.structure import Archive
from site_builder.build.tilemap import tiles, viewbox
from site_builder.models import Article, Edition, Sheet
from site_builder.urls import Urls

RECENT_EDITIONS = 10


@dataclass(frozen=True)
class Neighbours:
    """Previous and next item of a sequence (None at either end)."""

    prev: Article | Edition | None
    next: Article | Edition | None


@dataclass(frozen=True)
class CalendarMonth:
    year: int
    month: int
    weeks: tuple[tuple[tuple[int, Edition | None], ...], ...]  # (day or 0, edition)


def site_pages(env: jinja2.Environment, archive: Archive) -> Iterator[tuple[str, str, str]]:
    """Every page as (kind, root path, html), in a fixed order."""
    editions = archive.editions
    latest = editions[-1] if editions else None
    common = {"archive": archive, "latest": latest}

    recent = tuple(reversed(editions[-RECENT_EDITIONS:]))
    yield "home", Urls.home, render_page(
        env, "home.html", Urls.home, edition=latest, recent=recent, **common
    )
    for i, edition in enumerate(editions):
        path = Urls.edition(edition.date)
        around = Neighbours(
            editions[i - 1] if i > 0 else None, editions[i + 1] if i + 1 < len(editions) else None
        )
        yield "edition", path, render_page(
            env, "edition.html", path, edition=edition, around=around, **common
        )
        items = edition.articles
        for j, article in enumerate(items):
            path = Urls.article(article)
            near = Neighbours(
                items[j - 1] if j > 0 else None, items[j + 1] if j + 1 < len(items) else None
            )
            yield "article", path, render_page(
                env, "article.html", path, article=article, edition=edition, around=near,
                sheet=_sheet_of(edition, article), head=archive.heads.get(article.id), **common,
            )
    yield "archive", Urls.archive, render_page(
        env, "archive.html", Urls.archive, years=calendar_years(editions), **common
    )
    yield "regions", Urls.regions, render_page(
        env, "regions.html", Urls.regions, tiles=tiles(archive.regions), viewbox=viewbox(),
        national=sum(1 for e in editions for a in e.articles if a.province is None), **common,
    )
    for region in archive.regions:
        if region.articles:
            path = Urls.region(region.name)
            yield "region", path, render_page(env, "region.html", path, region=region, **common)
    yield "authors", Urls.authors, render_page(env, "authors.html", Urls.authors, **common)
    for reporter in archive.reporters:
        path = Urls.author(reporter.name)
        yield "author", path, render_page(env, "author.html", path, reporter=reporter, **common)
    yield "about", Urls.about, render_page(env, "about.html", Urls.about, **common)
    yield "404", Urls.not_found, render_page(env, "404.html", Urls.not_found, **common)


def _sheet_of(edition: Edition, article: Article) -> Sheet:
    """The sheet holding `article` (an edition has a few dozen items: a scan is cheap)."""
    for sheet in edition.sheets:
        if any(a is article for a in sheet.articles):
            return sheet
    raise ValueError(article.id)


Year = tuple[int, tuple["CalendarMonth", ...]]


def calendar_years(editions: tuple[Edition, ...]) -> tuple[Year, ...]:
    """Newest year first; every month of a year that has editions, January first."""
    by_day: dict[dt.date, Edition] = {e.date: e for e in editions}
    years = sorted({e.date.year for e in editions}, reverse=True)
    weeks_of = calendar.Calendar(firstweekday=0).monthdayscalendar
    result = []
    for year in years:
        months = []
        for month in range(1, 13):
            weeks = tuple(
                tuple((day, by_day.get(dt.date(year, month, day)) if day else None) for day in week)
                for week in weeks_of(year, month)
            )
            months.append(CalendarMonth(year, month, weeks))
        result.append((year, tuple(months)))
    return tuple(result)
