"""What each scope is made of: its outputs, made from what the archive view answers.

`produce(scope, context)` gives the scope's outputs (paths, keys, render functions) and the
articles it shows by reference (related articles, the lead stories of past years): when one
of those changes, the scope is planned again (`scopes.affected`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2

from site_builder.config import SiteConfig
from site_builder.formats import citation, data, epub, feeds, sitemap
from site_builder.models import Article
from site_builder.search import outputs as search
from site_builder.search.page import page_output as search_page
from site_builder.site.listings import archive_pages, author_pages, authors_index, region_pages
from site_builder.site.outputs import Output
from site_builder.site.pages import (
    RECENT_EDITIONS,
    Day,
    Neighbours,
    about_page,
    edition_pages,
    home_page,
    not_found_page,
    regions_page,
)
from site_builder.site.pastyears import PastEdition
from site_builder.site.related import PROVINCE_WINDOW, RELATED_LIMIT, Related, related
from site_builder.site.related import WINDOW as RELATED_WINDOW
from site_builder.site.scopes import args_of, kind_of
from site_builder.site.structure import find_heads
from site_builder.site.verify import file_sha256
from site_builder.site.view import ArchiveView


@dataclass(frozen=True)
class Context:
    view: ArchiveView
    env: jinja2.Environment
    config: SiteConfig
    statics: Mapping[str, Path]  # site path → theme file
    search: bool = True  # the search index (the search page is made either way)
    live: Path | None = None  # the site this build replaces (the search index takes its unchanged parts)
    parts: Path | None = None  # where the search index keeps its units' part digests between builds


def produce(name: str, ctx: Context) -> Iterable[Output]:
    """The outputs of the scope `name` (read once, as made: a producer may hold parts of a
    scope at a time)."""
    return PRODUCERS[kind_of(name)](ctx, args_of(name))


def _edition(ctx: Context, args: list[str]) -> Iterable[Output]:
    date = dt.date.fromisoformat(args[0])
    edition = ctx.view.edition(date)
    if edition is None:
        return []
    view = ctx.view
    before, after = view.neighbours(date)
    around = Neighbours(Day(before) if before else None, Day(after) if after else None)
    past = []
    for day in view.same_day_earlier(date):
        lead = view.lead(day)
        count = view.edition_counts_of([day])
        past.append(PastEdition(day, lead.title if lead else None, count[0].articles if count else 0))

    def related_of(article: Article) -> tuple[Related, ...]:
        return related(article, view.sharing(article, RELATED_WINDOW, PROVINCE_WINDOW), RELATED_LIMIT)

    outputs = list(edition_pages(ctx.env, edition, around, find_heads([edition]), past, related_of))
    for make in (epub.edition_outputs, data.edition_outputs, citation.edition_outputs):
        outputs += make(ctx.config, edition)
    if ctx.search:
        outputs += search.edition_outputs(edition)
    return outputs


def _home(ctx: Context, args: list[str]) -> Iterable[Output]:
    view = ctx.view
    recent = [c for d in view.latest_dates(RECENT_EDITIONS) for c in view.edition_counts_of([d])]
    latest = view.edition(recent[0].date) if recent else None
    return [home_page(ctx.env, latest, recent),
            feeds.site_feed(ctx.config, view.newest(ctx.config.feed_length), latest.date if latest else None)]


def _region(ctx: Context, args: list[str]) -> Iterable[Output]:
    province = args[0]
    outputs = list(region_pages(ctx.env, ctx.view, province, None))
    newest = ctx.view.newest(ctx.config.feed_length, province)
    if outputs:
        outputs.append(feeds.region_feed(ctx.config, province, newest, ctx.view.province_latest(province)))
    return outputs


def _region_year(ctx: Context, args: list[str]) -> Iterable[Output]:
    return region_pages(ctx.env, ctx.view, args[0], int(args[1]))


def _author(ctx: Context, args: list[str]) -> Iterable[Output]:
    return author_pages(ctx.env, ctx.view, args[0], None)


def _author_year(ctx: Context, args: list[str]) -> Iterable[Output]:
    return author_pages(ctx.env, ctx.view, args[0], int(args[1]))


def _authors(ctx: Context, args: list[str]) -> Iterable[Output]:
    return authors_index(ctx.env, ctx.view)


def _regions(ctx: Context, args: list[str]) -> Iterable[Output]:
    return [regions_page(ctx.env, ctx.view)]


def _archive(ctx: Context, args: list[str]) -> Iterable[Output]:
    return archive_pages(ctx.env, ctx.view, None)


def _archive_year(ctx: Context, args: list[str]) -> Iterable[Output]:
    return archive_pages(ctx.env, ctx.view, int(args[0]))


def _about(ctx: Context, args: list[str]) -> Iterable[Output]:
    return [about_page(ctx.env, ctx.view.totals())]


def _data(ctx: Context, args: list[str]) -> Iterable[Output]:
    return [data.index_output(ctx.config, ctx.view.edition_counts(), ctx.view.months())]


def _data_month(ctx: Context, args: list[str]) -> Iterable[Output]:
    year, month = int(args[0][:4]), int(args[0][5:7])
    articles = ctx.view.month_articles(year, month)
    return [data.month_output(year, month, articles)] if articles else []


def _sitemap_year(ctx: Context, args: list[str]) -> Iterable[Output]:
    if not ctx.config.base_url:
        return []
    year = int(args[0])
    entries = sitemap.year_entries(ctx.view.edition_counts(year), ctx.view.year_articles(year))
    return [sitemap.part_output(ctx.config, str(year), entries)] if entries else []


def _site(ctx: Context, args: list[str]) -> Iterable[Output]:
    outputs = [not_found_page(ctx.env), data.schema_output(), sitemap.robots_output(ctx.config)]
    if ctx.config.base_url:
        outputs += sitemap.site_outputs(ctx.config, ctx.view)
    return outputs


def _search(ctx: Context, args: list[str]) -> Iterable[Output]:
    return search.site_outputs(ctx.view, ctx.live, ctx.parts) if ctx.search else []


def _search_page(ctx: Context, args: list[str]) -> Iterable[Output]:
    # (its own scope: its choices and counts change with what groups the articles, not with a body)
    return [search_page(ctx.env, ctx.view, indexed=ctx.search)]


def _static(ctx: Context, args: list[str]) -> Iterable[Output]:
    return [Output("static", path, file_sha256(src), src.read_bytes) for path, src in ctx.statics.items()]


Producer = Callable[[Context, list[str]], Iterable[Output]]
PRODUCERS: dict[str, Producer] = {
    "edition": _edition, "home": _home, "region": _region, "region-year": _region_year, "author": _author,
    "author-year": _author_year, "authors": _authors, "regions": _regions, "archive": _archive,
    "archive-year": _archive_year, "about": _about, "data": _data, "data-month": _data_month,
    "sitemap-year": _sitemap_year, "site": _site, "search": _search, "search-page": _search_page,
    "static": _static,
}
