"""`sitemap.xml` (sitemaps.org 0.9) and `robots.txt`.

Every page a reader can land on: home, archive, provinces, reporters, about, each edition,
article, province and reporter page, with `lastmod` from content (the newest edition date
the page shows), so an unchanged archive gives an unchanged sitemap.

A sitemap needs absolute URLs, so it is written only when `base_url` is configured (the
settings loader warns otherwise); `robots.txt` is always written and names the sitemap
only when there is one. Past 50,000 URLs (the protocol's limit) the URLs go into
`sitemap-1.xml`, `sitemap-2.xml` … and `sitemap.xml` is their index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial
from html import escape

from site_builder.config import SiteConfig
from site_builder.site.outputs import Output, key_of
from site_builder.site.structure import Archive
from site_builder.urls import Urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000

Entry = tuple[str, dt.date]  # (root path, lastmod)


def entries(archive: Archive) -> list[Entry]:
    """Every page with its last-modified date, in a fixed order (index pages, then by date)."""
    if not archive.editions:
        return []
    newest = archive.editions[-1].date
    found: list[Entry] = [(path, newest) for path in (Urls.home, Urls.archive, Urls.regions, Urls.authors, Urls.about)]
    for edition in archive.editions:
        found.append((Urls.edition(edition.date), edition.date))
        found.extend((Urls.article(a), a.date) for a in edition.articles)
    # Province and reporter pages list their articles newest first.
    found.extend((Urls.region(r.name), r.articles[0].date) for r in archive.regions if r.articles)
    found.extend((Urls.author(r.name), r.articles[0].date) for r in archive.reporters)
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


def outputs(archive: Archive, config: SiteConfig, max_urls: int = MAX_URLS) -> Iterator[Output]:
    yield Output("robots", Urls.robots, key_of("robots", config.base_url), partial(render_robots, config))
    if not config.base_url:  # a sitemap needs absolute URLs: not even its entries are made
        return
    found = entries(archive)
    if not found:
        return
    if len(found) <= max_urls:
        yield Output("sitemap", Urls.sitemap, key_of("sitemap", config.base_url, found),
                     partial(render_urlset, config, found))
        return
    parts: list[tuple[str, dt.date]] = []
    for number, start in enumerate(range(0, len(found), max_urls), 1):
        chunk = found[start:start + max_urls]
        path = f"sitemap-{number}.xml"
        parts.append((path, max(lastmod for _, lastmod in chunk)))
        yield Output("sitemap", path, key_of("sitemap", config.base_url, chunk), partial(render_urlset, config, chunk))
    yield Output("sitemap", Urls.sitemap, key_of("sitemap-index", config.base_url, parts),
                 partial(render_index, config, parts))
