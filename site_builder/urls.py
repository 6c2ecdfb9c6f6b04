"""Every URL of the site, in one place.

Paths are relative to the site root and always name a file, so the site works from
`file://`, from a sub-path of a host and offline. `Urls.link` turns a root path into a
link from one page to another:

>>> Urls.link("2023/10/31/index.html", "region/zhejiang/index.html")
'../../../region/zhejiang/index.html'
>>> Urls.link("2023/10/31/index.html", "2023/10/31/20231031-3f9a2c1e.html")
'20231031-3f9a2c1e.html'
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import lru_cache

from site_builder.models import Article
from site_builder.regions import PROVINCES_BY_SHORT


@lru_cache(maxsize=16384)  # (a name is on many pages: its byline links)
def author_slug(name: str) -> str:
    """A path-safe, stable slug for a reporter's name: a short hash, never the name itself.

    Names can hold anything (`..`, `/`, NUL); a hash cannot escape `authors/`.

    >>> author_slug("邹倜然")
    'a-e6ded31eb9'
    """
    return "a-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


_EDITION_FILES = ("index.html", "edition.json", "edition.epub")  # in a day's folder: page, data, e-book


@lru_cache(maxsize=32768)
def day_folder(date: dt.date) -> str:
    """`2023/10/31`: a day's folder (strftime costs ~8 µs; every article's paths start so).

    >>> day_folder(dt.date(2023, 10, 31))
    '2023/10/31'
    """
    return f"{date:%Y/%m/%d}"


class Urls:
    """Root-relative paths of every page kind, and links between them."""

    home = "index.html"
    archive = "archive/index.html"
    regions = "region/index.html"
    authors = "authors/index.html"
    about = "about.html"
    not_found = "404.html"
    search = "search/index.html"
    favicon = "favicon.ico"  # at the root: browsers ask for it there
    feed = "feed.xml"
    sitemap = "sitemap.xml"
    robots = "robots.txt"
    editions_data = "data/editions.json"
    articles_schema = "data/article.schema.json"

    @staticmethod
    def edition(date: dt.date) -> str:
        return f"{day_folder(date)}/{_EDITION_FILES[0]}"

    @staticmethod
    def edition_epub(date: dt.date) -> str:
        return f"{day_folder(date)}/{_EDITION_FILES[2]}"

    @staticmethod
    def edition_data(date: dt.date) -> str:
        return f"{day_folder(date)}/{_EDITION_FILES[1]}"

    @staticmethod
    def edition_files(date: dt.date) -> tuple[str, str, str]:
        """The edition's page, JSON and e-book (the index lists them for every day: one
        folder made for the three)."""
        folder = day_folder(date)
        return f"{folder}/{_EDITION_FILES[0]}", f"{folder}/{_EDITION_FILES[1]}", f"{folder}/{_EDITION_FILES[2]}"

    @staticmethod
    def article(article: Article) -> str:
        return f"{day_folder(article.date)}/{article.id}.html"

    @staticmethod
    def citation(article: Article, fmt: str) -> str:
        """The article's citation file: fmt is 'ris' or 'bib'."""
        return f"{day_folder(article.date)}/{article.id}.{fmt}"

    @staticmethod
    def region(province: str) -> str:
        return f"region/{PROVINCES_BY_SHORT[province].slug}/index.html"

    @staticmethod
    def region_part(province: str, year: int, month: int | None = None) -> str:
        """A province's articles of one year (or one month of a large year)."""
        return f"region/{PROVINCES_BY_SHORT[province].slug}/{_part(year, month)}.html"

    @staticmethod
    def region_feed(province: str) -> str:
        return f"region/{PROVINCES_BY_SHORT[province].slug}/feed.xml"

    @staticmethod
    def author(name: str) -> str:
        return f"authors/{author_slug(name)}.html"

    @staticmethod
    def author_part(name: str, year: int, month: int | None = None) -> str:
        return f"authors/{author_slug(name)}/{_part(year, month)}.html"

    @staticmethod
    def authors_page(number: int) -> str:
        """Page `number` (from 1) of the reporters' index."""
        return Urls.authors if number == 1 else f"authors/index-{number}.html"

    @staticmethod
    def archive_year(year: int) -> str:
        return f"archive/{year}.html"

    @staticmethod
    def articles_month(year: int, month: int) -> str:
        """One month of the bulk data: every article with its text, a JSON object a line."""
        return f"data/articles/{year}-{month:02d}.jsonl"

    @staticmethod
    def sitemap_part(name: str) -> str:
        return f"sitemap-{name}.xml"

    @staticmethod
    def static(name: str) -> str:
        return f"static/{name}"

    @staticmethod
    def link(from_page: str, to_page: str) -> str:
        """Relative link from the page at `from_page` to `to_page` (both root paths)."""
        src = from_page.split("/")[:-1]
        dst = to_page.split("/")
        common = 0
        while common < len(src) and common < len(dst) - 1 and src[common] == dst[common]:
            common += 1
        return "../" * (len(src) - common) + "/".join(dst[common:])

    @staticmethod
    def root_prefix(page: str) -> str:
        """`../` repeated to reach the site root from `page` ('' at the root)."""
        return "../" * page.count("/")


def _part(year: int, month: int | None) -> str:
    return str(year) if month is None else f"{year}-{month:02d}"
