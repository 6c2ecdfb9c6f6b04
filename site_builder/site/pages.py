"""The pages of an edition (its page and its articles' pages) and of the site as a whole
(home, provinces map, about, 404), as `Output`s: a path, a key naming everything the page
shows, and a `render()` that makes its HTML only when the build asks (the key changed).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import jinja2

from site_builder.models import Article, Edition, Sheet
from site_builder.site.coverage import coverage as heat_map
from site_builder.site.coverage import coverage_key
from site_builder.site.outputs import Output, article_key, key_of, listing_key
from site_builder.site.pastyears import PastEdition, past_years_key
from site_builder.site.related import Related
from site_builder.site.render import fingerprints, render_page
from site_builder.site.tilemap import tiles, viewbox
from site_builder.site.view import ArchiveView, EditionCount, Totals
from site_builder.urls import Urls

RECENT_EDITIONS = 10


@dataclass(frozen=True)
class Neighbours:
    """Previous and next item of a sequence (None at either end)."""

    prev: Article | Day | None
    next: Article | Day | None


@dataclass(frozen=True)
class Day:
    """An edition named by its date alone (a link to it)."""

    date: dt.date


@dataclass(frozen=True)
class CalendarMonth:
    year: int
    month: int
    weeks: tuple[tuple[tuple[int, dt.date | None], ...], ...]  # (day or 0, the edition's date)


def page_maker(env: jinja2.Environment) -> Callable[..., Output]:
    """`page(kind, path, template, key, listed=(), **context)`: an HTML page. `key` names what
    it shows; the articles it lists (`listed`) are named by their front-matter, or by their
    whole file when its templates can show bodies."""

    def page(kind: str, path: str, template: str, key: object, listed: Iterable[Article] = (),
             **context: object) -> Output:
        keyer = article_key if fingerprints(env).shows_body((template,)) else listing_key
        return Output(kind, path, key_of(kind, path, key, [keyer(a) for a in listed]),
                      partial(render_page, env, template, path, **context), (template,))

    return page


def edition_pages(env: jinja2.Environment, edition: Edition, around: Neighbours, heads: Mapping[str, Article],
                  past: Sequence[PastEdition], related_of: Callable[[Article], Sequence[Related]]) -> Iterator[Output]:
    """The page of `edition` and the page of each of its articles. `around`: the editions
    before and after it; `heads`: continuation fragment id → the article it continues;
    `past`: the editions of the same day in earlier years; `related_of`: an article's
    related articles (earlier ones), best first."""
    page = page_maker(env)
    links = (_link_key(around.prev), _link_key(around.next), past_years_key(past))
    yield page("edition", Urls.edition(edition.date), "edition.html", links, listed=edition.articles,
               edition=edition, around=around, past_years=tuple(past))
    items = edition.articles
    for j, article in enumerate(items):
        near = Neighbours(items[j - 1] if j > 0 else None, items[j + 1] if j + 1 < len(items) else None)
        sheet = _sheet_of(edition, article)
        head = heads.get(article.id)
        related = related_of(article)
        yield page("article", Urls.article(article), "article.html",
                   (article_key(article), _link_key(near.prev), _link_key(near.next),
                    sheet.number, sheet.name, _link_key(head), [listing_key(r.article) for r in related]),
                   article=article, edition=edition, around=near, sheet=sheet, head=head, related=related)


def _link_key(item: Article | Day | None) -> object:
    """What a link to a neighbour shows: its address and title (not its body)."""
    if isinstance(item, Article):
        return (item.id, item.date, item.title)
    return item.date if isinstance(item, Day) else None


def _sheet_of(edition: Edition, article: Article) -> Sheet:
    """The sheet holding `article` (an edition has a few dozen items: a scan is cheap)."""
    for sheet in edition.sheets:
        if any(a is article for a in sheet.articles):
            return sheet
    raise ValueError(article.id)


def home_page(env: jinja2.Environment, latest: Edition | None, recent: list[EditionCount]) -> Output:
    listed = latest.articles if latest else ()
    sheets = [(s.number, s.name, [a.id for a in s.articles]) for s in latest.sheets] if latest else None
    return page_maker(env)("home", Urls.home, "home.html", (latest and latest.date, sheets, recent), listed=listed,
                           edition=latest, recent=recent, latest=latest)


def regions_page(env: jinja2.Environment, view: ArchiveView) -> Output:
    coverage = view.coverage()  # (province or None, year) → articles
    counts: dict[str, int] = {}
    for (province, _), n in coverage.items():
        if province is not None:
            counts[province] = counts.get(province, 0) + n
    national = sum(n for (p, _), n in coverage.items() if p is None)
    table = heat_map(coverage)
    return page_maker(env)("regions", Urls.regions, "regions.html",
                           (sorted(counts.items()), national, coverage_key(table)),
                           tiles=tiles(counts), viewbox=viewbox(), national=national, coverage=table)


def about_page(env: jinja2.Environment, totals: Totals) -> Output:
    return page_maker(env)("about", Urls.about, "about.html", totals, totals=totals)


def not_found_page(env: jinja2.Environment) -> Output:
    return page_maker(env)("404", Urls.not_found, "404.html", ())


def calendar_year(year: int, dates: Iterable[dt.date]) -> tuple[CalendarMonth, ...]:
    """Every month of `year`, January first, its days linked where an edition is."""
    have = set(dates)
    weeks_of = calendar.Calendar(firstweekday=0).monthdayscalendar
    return tuple(
        CalendarMonth(year, month, tuple(
            tuple((day, dt.date(year, month, day) if day and dt.date(year, month, day) in have else None)
                  for day in week)
            for week in weeks_of(year, month)))
        for month in range(1, 13))
