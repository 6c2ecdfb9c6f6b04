"""Whole-site properties of the built fixture: links, no external requests, determinism."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from site_builder.site.pipeline import BuildReport, build_site
from tests.conftest import FIXTURE_CONTENT

LINK_ATTRS = {"href", "src", "action", "poster", "srcset", "data"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in LINK_ATTRS and value is not None:
                self.links.append((f"{tag}[{name}]", value))


def links_of(page: Path) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


def test_report_counts(built_sites: dict[str, tuple[Path, BuildReport]]) -> None:
    report = built_sites["default"][1]
    assert report.articles == 11 and report.editions == 3
    assert report.pages["article"] == 11 and report.pages["edition"] == 3
    # 7 provinces: a first page each and 9 pages of a year.
    assert report.pages["region"] == 16 and report.pages["home"] == 1
    # Feeds, e-books, data and citation files are counted per kind too (no sitemap: no base URL);
    # the search index: the catalog, one group of one shard and 3 facet columns, 11 docs' files.
    files = {"feed": 8, "epub": 3, "data": 8, "citation": 22, "robots": 1, "static": 7, "search-index": 16}
    assert {k: report.pages[k] for k in files} == files and "sitemap" not in report.pages
    html = sum(n for kind, n in report.pages.items() if kind not in files)
    assert html == len(list(built_sites["default"][0].rglob("*.html")))
    # Every file written is counted.
    site_files = [p for p in built_sites["default"][0].rglob("*") if p.is_file()]
    assert sum(report.pages.values()) == len(site_files)


@pytest.mark.parametrize("theme", ["default", "broadsheet"])
def test_every_internal_link_resolves(
    built_sites: dict[str, tuple[Path, BuildReport]], theme: str
) -> None:
    site = built_sites[theme][0]
    broken = []
    for page in sorted(site.rglob("*.html")):
        for where, url in links_of(page):
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, f"{page}: {where}={url} leaves the site"
            if where == "form[action]":
                continue  # a form's action is checked by test_every_page_is_chinese_and_has_search
            if not parts.path:
                continue  # a #fragment on the same page
            assert not url.endswith("/"), f"{page}: {where}={url} must name a file"
            assert not parts.path.startswith("/"), f"{page}: {where}={url} is not relative"
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{page.relative_to(site)}: {where}={url}")
    assert broken == []


def test_fragment_links_have_targets(site: Path) -> None:
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for _, url in links_of(page):
            if url.startswith("#"):
                assert f'id="{url[1:]}"' in text, f"{page}: {url}"


def test_no_external_resources_in_css(site: Path) -> None:
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(|@import|https?:", text), css


def test_two_builds_are_byte_identical(tmp_path: Path, site: Path) -> None:
    again = tmp_path / "again"
    build_site(FIXTURE_CONTENT, again)

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    first, second = files(site), files(again)
    assert sorted(first) == sorted(second)
    assert [k for k in first if first[k] != second[k]] == []


def test_pages_carry_no_markup_of_a_search_tool_and_every_page_a_search_form(site: Path) -> None:
    """The index is made from the articles, not from the pages: no indexer's attributes."""
    for page in ("index.html", "2023/10/31/index.html", "2023/10/31/20231031-3f9a2c1e.html", "region/index.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert "data-pagefind" not in text
        assert 'name="q"' in text and 'method="get"' in text


def test_every_page_is_chinese_and_has_search(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in text
        # The search page's own box points at itself: action="index.html".
        here = "index.html" if page.relative_to(site).as_posix() == "search/index.html" else "search/index.html"
        assert f'{here}" method="get"' in text, page


def test_sheets_and_printed_order(site: Path) -> None:
    text = (site / "2022/08/16/index.html").read_text(encoding="utf-8")
    text = text[text.index("<section"):]
    order = [text.index(t) for t in ("第2版", "向前一步，贴近职工", "下班后，去职工之家", "版次未详",
                                     "要让雷锋精神", "开栏的话", "新居民异乡过节")]
    assert order == sorted(order)
    assert 'badge-photo">图片<' in text


def test_static_assets_copied(built_sites: dict[str, tuple[Path, BuildReport]]) -> None:
    assert (built_sites["default"][0] / "static/style.css").is_file()
    broadsheet = built_sites["broadsheet"][0]
    assert (broadsheet / "static/style.css").is_file()  # inherited from default
    assert (broadsheet / "static/broadsheet.css").is_file()
    home = (broadsheet / "index.html").read_text(encoding="utf-8")
    assert "static/broadsheet.css" in home and "工人日報" in home
