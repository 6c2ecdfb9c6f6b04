"""The site built from the real ingested `content/` of the seed pages: valid HTML, every
link resolving inside the site, every article once; with a base URL configured, its feeds,
sitemap, JSON-LD and e-books are valid (feedparser, the sitemap schema, EPUBCheck)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from lxml import etree

from site_builder.site.content import read_content
from site_builder.site.pipeline import BuildReport, build_site
from tests.conftest import BASE_CONFIG
from tests.formats.test_epub import epubcheck
from tests.formats.test_metadata import head_of
from tests.formats.test_sitemap import SCHEMAS
from tests.site.test_html_valid import vnu_errors
from tests.site.test_site import links_of

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("seed") / "public"
    return out, build_site(CONTENT, out, config=BASE_CONFIG)


def test_content_is_valid_and_builds(seed_site: tuple[Path, BuildReport]) -> None:
    articles, problems = read_content(CONTENT)
    assert problems == [] and len(articles) >= 28
    site, report = seed_site
    assert report.articles == len(articles) and report.editions == 3
    assert len(list(site.glob("20*/*/*/*-*.html"))) == len(articles)


def test_every_link_resolves(seed_site: tuple[Path, BuildReport]) -> None:
    site = seed_site[0]
    broken = []
    for page in sorted(site.rglob("*.html")):
        for where, url in links_of(page):
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, f"{page}: {url} leaves the site"
            if not parts.path or where == "form[action]":
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {url}")
    assert broken == []


def test_vnu_reports_no_errors(seed_site: tuple[Path, BuildReport]) -> None:
    errors = vnu_errors(seed_site[0])
    assert errors == [], "\n".join(errors)


def test_feeds_parse(seed_site: tuple[Path, BuildReport]) -> None:
    site = seed_site[0]
    feeds = [site / "feed.xml", *sorted(site.glob("region/*/feed.xml"))]
    assert len(feeds) == 1 + sum(1 for p in site.glob("region/*/index.html"))
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo and parsed.entries, feed
        for entry in parsed.entries:
            assert (site / entry.link.removeprefix(BASE_CONFIG.base_url)).is_file()
    assert len(feedparser.parse((site / "feed.xml").read_bytes()).entries) == BASE_CONFIG.feed_length


def test_sitemap_is_valid(seed_site: tuple[Path, BuildReport]) -> None:
    site = seed_site[0]
    index = etree.parse(str(site / "sitemap.xml"))
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "siteindex.xsd")))
    assert schema.validate(index), schema.error_log
    locs: set[str | None] = set()
    part_schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd")))
    for part in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        tree = etree.parse(str(site / str(part.text).removeprefix(BASE_CONFIG.base_url)))
        assert part_schema.validate(tree), part_schema.error_log
        locs |= {e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    articles = {BASE_CONFIG.base_url + p.relative_to(site).as_posix() for p in site.glob("20*/*/*/*-*.html")}
    assert articles <= locs and len(articles) == seed_site[1].articles
    assert (site / "robots.txt").read_text(encoding="utf-8").endswith(f"Sitemap: {BASE_CONFIG.base_url}sitemap.xml\n")


def test_every_article_has_json_ld(seed_site: tuple[Path, BuildReport]) -> None:
    site = seed_site[0]
    records = {json.loads(line)["id"]: json.loads(line) for month in sorted((site / "data/articles").iterdir())
               for line in month.read_text(encoding="utf-8").splitlines()}
    assert len(records) == seed_site[1].articles
    for page in sorted(site.glob("20*/*/*/*-*.html")):
        (data,), meta = head_of(page)
        record = records[data["identifier"]]
        assert data["headline"] == record["title"] == meta["og:title"]
        assert data["datePublished"] == record["date"]
        assert data["url"] == BASE_CONFIG.base_url + record["path"] == meta["og:url"]


def test_every_epub_passes_epubcheck(seed_site: tuple[Path, BuildReport]) -> None:
    books = sorted(seed_site[0].glob("20*/*/*/edition.epub"))
    assert len(books) == 3
    assert epubcheck(books) == {}
