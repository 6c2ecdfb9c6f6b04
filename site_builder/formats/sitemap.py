"""`sitemap.xml` (sitemaps.org 0.9) and `robots.txt`.

Every page a reader can land on: home, archive, provinces, reporters, about, each edition,
article, province and reporter page, with `lastmod` from content (the newest edition date
the page shows), so an unchanged archive gives an unchanged sitemap. `sitemap.xml` is an
index: one part for the index and listing pages, one per year for its editions and articles
(a year's part is written again only when that year changes).

A sitemap needs absolute URLs, so it is written only when `base_url` is configured (the
settings loader warns otherwise); `robots.txt` is always written and names the sitemap
only when there is one. A part holds at most 50,000 URLs (the protocol's limit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import partial
from html import escape

from site_builder.config import SiteConfig
from site_builder.models import Article
from site_builder.site.listings import YEAR_SPLIT
from site_builder.site.outputs import Output, key_of
from site_builder.site.view import ArchiveView, EditionCount
from site_builder.urls import Urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000

Entry = tuple[str, dt.date]  # (root path, lastmod)


def year_entries(editions: list[EditionCount], articles: list[Article]) -> list[Entry]:
    """A year's editions and articles, each with its date: they never change after it."""
    by_day: dict[dt.date, list[Article]] = {}
    for article in articles:
        by_day.setdefault(article.date, []).append(article)
    found: list[Entry] = []
    for edition in editions:
        found.append((Urls.edition(edition.date), edition.date))
        found.extend((Urls.article(a), a.date) for a in by_day.get(edition.date, []))
    return found


def page_entries(view: ArchiveView) -> list[Entry]:
    """The index and listing pages, each with the newest date it shows."""
    last = view.totals().last
    if last is None:
        return []
    found: list[Entry] = [(path, last) for path in (Urls.home, Urls.archive, Urls.regions, Urls.authors, Urls.about)]
    found += [(Urls.archive_year(y), d) for y, d in view.year_ends()]
    for listing_path, part_path, months in (
            *((Urls.region(p), partial(Urls.region_part, p), view.month_ends("province = ?", (p,)))
              for p in view.provinces()),
            *((Urls.author(n), partial(Urls.author_part, n), view.reporter_month_ends(n))
              for n, _, _ in view.reporters())):
        found += _listing_entries(listing_path, part_path, months)
    return found


def _listing_entries(first: str, part_path: Callable[..., str], months: list[tuple[int, int, int, dt.date]]
                     ) -> list[Entry]:
    """A listing's pages (see `site.listings`): its first page, a page per year and, for a
    year of more than YEAR_SPLIT articles, a page per month."""
    if not months:
        return []
    found: list[Entry] = [(first, max(d for *_, d in months))]
    for year in sorted({y for y, *_ in months}, reverse=True):
        mine = [(m, n, d) for y, m, n, d in months if y == year]
        found.append((part_path(year), max(d for _, _, d in mine)))
        if sum(n for _, n, _ in mine) > YEAR_SPLIT:
            found += [(part_path(year, m), d) for m, _, d in reversed(mine)]
    return found


def render_urlset(config: SiteConfig, chunk: list[Entry]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for path, lastmod in chunk:
        loc = escape(config.absolute(path), quote=False)
        lines.append(f"  <url><loc>{loc}</loc><lastmod>{lastmod.isoformat()}</lastmod></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def render_index(config: SiteConfig, parts: list[tuple[str, dt.date]]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
    for path, lastmod in parts:
        lines.append(f"  <sitemap><loc>{escape(config.absolute(path), quote=False)}</loc>"
                     f"<lastmod>{lastmod.isoformat()}</lastmod></sitemap>")
    lines.append("</sitemapindex>")
    return "\n".join(lines) + "\n"


def render_robots(config: SiteConfig) -> str:
    lines = ["# Everything here may be read and indexed.", "User-agent: *", "Disallow:"]
    if config.base_url:
        lines += ["", f"Sitemap: {config.absolute(Urls.sitemap)}"]
    return "\n".join(lines) + "\n"


def robots_output(config: SiteConfig) -> Output:
    return Output("robots", Urls.robots, key_of("robots", config.base_url), partial(render_robots, config))


def part_output(config: SiteConfig, name: str, entries: list[Entry]) -> Output:
    return Output("sitemap", Urls.sitemap_part(name), key_of("sitemap", config.base_url, entries),
                  partial(render_urlset, config, entries))


def site_outputs(config: SiteConfig, view: ArchiveView) -> Iterator[Output]:
    """`sitemap.xml`, the index of the parts: the pages (`sitemap-pages.xml`, cut every
    `max_urls`), and each year's editions and articles (`sitemap-2023.xml`, made by its own
    scope)."""
    pages = page_entries(view)
    if not pages:
        return
    parts: list[tuple[str, dt.date]] = []
    for number, start in enumerate(range(0, len(pages), MAX_URLS), 1):
        chunk = pages[start:start + MAX_URLS]
        name = "pages" if number == 1 else f"pages-{number}"
        parts.append((Urls.sitemap_part(name), max(lastmod for _, lastmod in chunk)))
        yield part_output(config, name, chunk)
    parts += [(Urls.sitemap_part(str(y)), d) for y, d in view.year_ends()]
    yield Output("sitemap", Urls.sitemap, key_of("sitemap-index", config.base_url, parts),
                 partial(render_index, config, parts))
