"""Which pages the site has and what each is rendered from.

`site_pages` and `edition_pages` yield one `Output` per page: its path, a key naming
everything the page shows and a `render()` that makes its HTML only when the pipeline asks
(the key changed).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

import jinja2

from site_builder.models import Article, Edition, Sheet
from site_builder.site.coverage import coverage, coverage_key
from site_builder.site.indexes import reading_indexes
from site_builder.site.outputs import Output, article_key, key_of, listing_key
from site_builder.site.pastyears import past_years_key
from site_builder.site.render import fingerprints, render_page
from site_builder.site.structure import Archive
from site_builder.site.tilemap import tiles, viewbox
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


def _page_maker(env: jinja2.Environment, archive: Archive) -> Callable[..., Output]:
    common = {"archive": archive}

    def page(kind: str, path: str, template: str, key: object, **context: object) -> Output:
        return Output(kind, path, key_of(kind, path, key),
                      partial(render_page, env, template, path, **common, **context), (template,))

    return page


def site_pages(env: jinja2.Environment, archive: Archive) -> Iterator[Output]:
    """The pages of the whole archive (home, calendar, provinces, reporters, about, 404) as
    `Output`s, in a fixed order; keys name exactly what each page shows."""
    editions = archive.editions
    latest = editions[-1] if editions else None
    # Pages are given only what their key covers: `latest` goes to home and about alone, so
    # a new edition does not re-render every page of the archive.
    page = _page_maker(env, archive)
    recent = tuple(reversed(editions[-RECENT_EDITIONS:]))
    yield page("home", Urls.home, "home.html",
               (_edition_key(latest, _keyer(env, "home.html")), [(e.date, len(e.articles)) for e in recent]),
               edition=latest, recent=recent, latest=latest)
    years = calendar_years(editions)
    yield page("archive", Urls.archive, "archive.html", [(e.date, len(e.articles)) for e in editions],
               years=years)
    national = sum(1 for e in editions for a in e.articles if a.province is None)
    table = coverage(Counter((a.province, a.date.year) for e in editions for a in e.articles))
    yield page("regions", Urls.regions, "regions.html",
               ([(r.name, len(r.articles)) for r in archive.regions], national, coverage_key(table)),
               tiles=tiles(archive.regions), viewbox=viewbox(), national=national, coverage=table)
    region_key, author_key = _keyer(env, "region.html"), _keyer(env, "author.html")
    for region in archive.regions:
        if region.articles:
            yield page("region", Urls.region(region.name), "region.html",
                       [region_key(a) for a in region.articles], region=region)
    yield page("authors", Urls.authors, "authors.html",
               [(r.name, r.roles, len(r.articles)) for r in archive.reporters])
    for reporter in archive.reporters:
        yield page("author", Urls.author(reporter.name), "author.html",
                   (reporter.roles, [author_key(a) for a in reporter.articles]), reporter=reporter)
    yield page("about", Urls.about, "about.html", (
        archive.article_count, [(e.date, len(e.sheets)) for e in editions],
        sum(1 for r in archive.regions if r.articles), len(archive.reporters),
    ), latest=latest)
    yield page("404", Urls.not_found, "404.html", ())


def edition_pages(env: jinja2.Environment, archive: Archive, index: int) -> Iterator[Output]:
    """The page of `archive.editions[index]` and the page of each of its articles."""
    editions = archive.editions
    edition = editions[index]
    page = _page_maker(env, archive)
    around = Neighbours(
        editions[index - 1] if index > 0 else None, editions[index + 1] if index + 1 < len(editions) else None
    )
    indexes = reading_indexes(archive)
    past = indexes.past_years.past_years(edition.date)
    yield page("edition", Urls.edition(edition.date), "edition.html",
               (_edition_key(edition, _keyer(env, "edition.html")), around.prev and around.prev.date,
                around.next and around.next.date, past_years_key(past)),
               edition=edition, around=around, past_years=past)
    items = edition.articles
    for j, article in enumerate(items):
        near = Neighbours(items[j - 1] if j > 0 else None, items[j + 1] if j + 1 < len(items) else None)
        sheet = _sheet_of(edition, article)
        head = archive.heads.get(article.id)
        related = indexes.related.later(article)
        yield page("article", Urls.article(article), "article.html",
                   (article_key(article), _link_key(near.prev), _link_key(near.next),
                    sheet.number, sheet.name, _link_key(head), [listing_key(c) for c in related.candidates]),
                   article=article, edition=edition, around=near, sheet=sheet, head=head, related=related)


def _link_key(item: Article | Edition | None) -> object:
    """What a link to a neighbour shows: its address and title (not its body)."""
    return (item.id, item.date, item.title) if isinstance(item, Article) else None


def _edition_key(edition: Edition | None, key: Callable[[Article], str]) -> object:
    if edition is None:
        return None
    return [(s.number, s.name, [key(a) for a in s.articles]) for s in edition.sheets]


def _keyer(env: jinja2.Environment, template: str) -> Callable[[Article], str]:
    """How a page of `template` names each article it lists in its key: by the front-matter
    alone, unless its templates can show the body (then by the whole file)."""
    return article_key if fingerprints(env).shows_body((template,)) else listing_key


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
