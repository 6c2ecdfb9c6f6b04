"""Pages that list articles of a province or a reporter, and the calendar of past editions:
each cut by year (a large year by month), so that no page grows with the archive.

- `region/zhejiang/index.html`: the province's newest articles and its years;
  `region/zhejiang/2023.html`: one year (a year of more than `YEAR_SPLIT` articles lists its
  months, each on `region/zhejiang/2023-10.html`);
- `authors/a-e6ded31eb9.html` and `authors/a-e6ded31eb9/2023.html`: the same for a reporter;
- `authors/index.html`, `authors/index-2.html` …: the reporters, `AUTHORS_PER_PAGE` a page;
- `archive/index.html`: the years and the newest year's calendar; `archive/2022.html`: a year.

A year's page and a month's never change when a newer edition is added: a daily publish
rewrites the first page and the current year's (or month's) page, not the archive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import jinja2

from site_builder.models import Article
from site_builder.site.outputs import Output
from site_builder.site.pages import calendar_year, page_maker
from site_builder.site.view import ArchiveView
from site_builder.urls import Urls

NEWEST = 20  # articles on a listing's first page
YEAR_SPLIT = 200  # a year with more articles than this is listed a month a page
AUTHORS_PER_PAGE = 300


@dataclass(frozen=True)
class Part:
    """A link to one page of a listing: a year, a month, a page number."""

    label: str
    path: str
    count: int


@dataclass(frozen=True)
class Listing:
    """What a page of a province's or a reporter's articles shows."""

    name: str
    roles: tuple[str, ...]
    total: int
    first: str  # the listing's first page
    years: tuple[Part, ...]  # newest first
    heading: str  # 最新稿件 · 2023年 · 2023年10月
    articles: tuple[Article, ...]
    months: tuple[Part, ...] = ()  # a large year's months (its page lists these, not articles)
    newer: Part | None = None
    older: Part | None = None
    feed: str | None = None


Articles = Callable[[int, int | None, int | None], list[Article]]  # (year, month, limit) → newest first
PartPath = Callable[[int, int | None], str]


def listing_pages(env: jinja2.Environment, kind: str, template: str, name: str, roles: tuple[str, ...],
                  years: Sequence[tuple[int, int]], year: int | None, articles: Articles, part_path: PartPath,
                  first: str, feed: str | None = None,
                  months: Callable[[int], list[tuple[int, int]]] | None = None) -> Iterator[Output]:
    """The first page of a listing (`year` None) or the pages of one of its years."""
    page = page_maker(env)
    total = sum(n for _, n in years)
    # The first page shows each year's count; a year's page links the years without counts,
    # so that it never changes when a newer article is added.
    year_parts = tuple(Part(f"{y}年", part_path(y, None), n if year is None else 0) for y, n in years)
    base = {"name": name, "roles": roles, "total": total if year is None else 0, "first": first,
            "years": year_parts, "feed": feed}
    if year is None:
        if not years:
            return
        newest = tuple(_newest(articles, years))
        yield _listing(page, kind, template, first, Listing(heading="最新稿件", articles=newest, **base))  # type: ignore[arg-type]
        return
    count = dict(years).get(year, 0)
    if not count:
        return
    sequence = _sequence(years, part_path, months)
    if count <= YEAR_SPLIT:
        at = part_path(year, None)
        yield _listing(page, kind, template, at, Listing(
            heading=f"{year}年", articles=tuple(articles(year, None, None)), **_around(sequence, at), **base))  # type: ignore[arg-type]
        return
    month_counts = months(year) if months is not None else []
    month_parts = tuple(Part(f"{m}月", part_path(year, m), n) for m, n in month_counts)
    yield _listing(page, kind, template, part_path(year, None), Listing(
        heading=f"{year}年", articles=(), months=month_parts, **base))  # type: ignore[arg-type]
    for m, _ in month_counts:
        at = part_path(year, m)
        yield _listing(page, kind, template, at, Listing(
            heading=f"{year}年{m}月", articles=tuple(articles(year, m, None)), months=month_parts,
            **_around(sequence, at), **base))  # type: ignore[arg-type]


def _newest(articles: Articles, years: Sequence[tuple[int, int]]) -> Iterator[Article]:
    wanted = NEWEST
    for y, _ in years:
        found = articles(y, None, wanted)
        yield from found
        wanted -= len(found)
        if wanted <= 0:
            return


def _sequence(years: Sequence[tuple[int, int]], part_path: PartPath,
              months: Callable[[int], list[tuple[int, int]]] | None) -> list[Part]:
    """Every page with articles of a listing, newest first (named, not counted)."""
    pages = []
    for y, n in years:
        if n <= YEAR_SPLIT or months is None:
            pages.append(Part(f"{y}年", part_path(y, None), 0))
        else:
            pages += [Part(f"{y}年{m}月", part_path(y, m), 0) for m, _ in reversed(months(y))]
    return pages


def _around(sequence: list[Part], at: str) -> dict[str, Part | None]:
    i = next(i for i, p in enumerate(sequence) if p.path == at)
    return {"newer": sequence[i - 1] if i > 0 else None,
            "older": sequence[i + 1] if i + 1 < len(sequence) else None}


def _listing(page: Callable[..., Output], kind: str, template: str, path: str, listing: Listing) -> Output:
    # What the page shows: its articles by their front-matter (or whole, see `page_maker`),
    # the years, months and neighbours it links to with their counts.
    key = (listing.name, listing.roles, listing.total, listing.heading, listing.years, listing.months,
           listing.newer, listing.older, listing.feed)
    return page(kind, path, template, key, listing=listing, listed=listing.articles)


def region_pages(env: jinja2.Environment, view: ArchiveView, province: str, year: int | None) -> Iterator[Output]:
    def articles(y: int, m: int | None, limit: int | None) -> list[Article]:
        return view.province_articles(province, y, m, limit)

    def months(y: int) -> list[tuple[int, int]]:
        return [(m, n) for yy, m, n in view.months_of("province = ?", (province,)) if yy == y]

    yield from listing_pages(env, "region", "region.html", province, (), view.province_years(province), year,
                             articles, lambda y, m: Urls.region_part(province, y, m), Urls.region(province),
                             Urls.region_feed(province), months)


def author_pages(env: jinja2.Environment, view: ArchiveView, name: str, year: int | None) -> Iterator[Output]:
    roles, years = view.reporter(name)

    def articles(y: int, m: int | None, limit: int | None) -> list[Article]:
        return view.reporter_articles(name, y, m, limit)

    def months(y: int) -> list[tuple[int, int]]:
        return [(m, n) for yy, m, n in view.reporter_months(name) if yy == y]

    yield from listing_pages(env, "author", "author.html", name, roles, years, year, articles,
                             lambda y, m: Urls.author_part(name, y, m), Urls.author(name), None, months)


def authors_index(env: jinja2.Environment, view: ArchiveView) -> Iterator[Output]:
    """The reporters by name, `AUTHORS_PER_PAGE` a page, each page linking to all the others."""
    page = page_maker(env)
    reporters = view.reporters()
    chunks = [reporters[i:i + AUTHORS_PER_PAGE] for i in range(0, len(reporters), AUTHORS_PER_PAGE)] or [[]]
    pages = tuple(Part(f"{chunk[0][0]}…" if chunk else "", Urls.authors_page(n), len(chunk))
                  for n, chunk in enumerate(chunks, 1))
    for n, chunk in enumerate(chunks, 1):
        yield page("authors", Urls.authors_page(n), "authors.html", (len(reporters), chunk, pages),
                   reporters=chunk, total=len(reporters), pages=pages, number=n)


def archive_pages(env: jinja2.Environment, view: ArchiveView, year: int | None) -> Iterator[Output]:
    """`archive/index.html` (year None) or one year's calendar page."""
    page = page_maker(env)
    years = tuple(Part(f"{y}年", Urls.archive_year(y), n) for y, n in view.edition_years())
    if year is None:
        shown = years[0] if years else None
        shown_year = int(shown.label[:-1]) if shown else None
        dates = [e.date for e in view.edition_counts(shown_year)] if shown_year else []
        yield page("archive", Urls.archive, "archive.html", (years, dates), years=years,
                   calendar=calendar_year(shown_year, dates) if shown_year else None, year=shown_year,
                   year_page=False, total=sum(p.count for p in years))
        return
    dates = [e.date for e in view.edition_counts(year)]
    if dates:  # (the years without counts: an older year's page never changes)
        named = tuple(Part(p.label, p.path, 0) for p in years)
        yield page("archive", Urls.archive_year(year), "archive.html", (named, year, dates), years=named,
                   calendar=calendar_year(year, dates), year=year, year_page=True, total=0)
