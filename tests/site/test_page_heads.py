"""What Lighthouse flagged (SEO and best practices), checked on every page without it: each
page has an icon that exists (a missing /favicon.ico logged a 404 in the console) and a
specific meta description, the same as its Open Graph and Twitter description.
`make lighthouse` runs Lighthouse itself."""

from __future__ import annotations

import datetime as dt
import struct
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from site_builder.models import Article, Author, Source
from site_builder.site.describe import DESCRIPTION_CHARS, clip
from site_builder.site.pipeline import BuildReport
from tests.formats.test_metadata import build_one

ICON_SIZES = {16, 32, 48}


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.icons: list[tuple[str, str]] = []  # (href, type)
        self.title = 0  # <title> elements in the head (an SVG in the body has its own)
        self.lang = ""
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("name" in a or "property" in a):
            self.meta.setdefault(a.get("name") or a["property"], []).append(a.get("content", ""))
        elif tag == "link" and a.get("rel") == "icon":
            self.icons.append((a["href"], a.get("type", "")))
        elif tag == "title" and self._in_head:
            self.title += 1
        elif tag == "html":
            self.lang = a.get("lang", "")
        self._in_head = tag == "head" or (self._in_head and tag != "body")

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False


def head_of(page: Path) -> _Head:
    head = _Head()
    head.feed(page.read_text(encoding="utf-8"))
    return head


def pages_of(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.mark.parametrize("theme", ["default", "broadsheet"])
def test_every_page_links_an_icon_that_exists(built_sites: dict[str, tuple[Path, BuildReport]], theme: str) -> None:
    site = built_sites[theme][0]
    assert (site / "favicon.ico").is_file()  # browsers ask for it at the root whatever is linked
    for page in pages_of(site):
        icons = head_of(page).icons
        assert [t for _, t in icons] == ["", "image/svg+xml"], page
        for href, _ in icons:
            assert not urlsplit(href).scheme and not href.startswith("/"), f"{page}: {href} is not relative"
            assert (page.parent / href).resolve().is_file(), f"{page}: {href}"


def test_the_icons_are_well_formed(site: Path) -> None:
    data = (site / "favicon.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        width, height, _, _, _, _, size, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        assert width == height and data[offset:offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + size <= len(data)
        sizes.add(width)
    assert sizes == ICON_SIZES
    svg = etree.fromstring((site / "static/favicon.svg").read_bytes())
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("viewBox") == "0 0 64 64"
    # Drawn, not lettered: no font to fetch or lack; nothing from another file or host.
    assert not svg.findall(".//{http://www.w3.org/2000/svg}text")
    assert "href" not in (site / "static/favicon.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize("theme", ["default", "broadsheet"])
def test_every_page_describes_itself_once_and_alike(
        built_sites: dict[str, tuple[Path, BuildReport]], theme: str) -> None:
    site = built_sites[theme][0]
    seen: dict[str, str] = {}
    for page in pages_of(site):
        head = head_of(page)
        assert head.title == 1 and head.lang == "zh-CN", page
        (description,) = head.meta["description"]
        assert 10 <= len(description) <= DESCRIPTION_CHARS, page
        assert head.meta["og:description"] == head.meta["twitter:description"] == [description], page
        assert len(head.meta["og:title"]) == 1 and head.meta["og:title"] == head.meta["twitter:title"]
        name = page.relative_to(site).as_posix()
        assert description not in seen, f"{name} and {seen.get(description)} say the same"
        seen[description] = name


PAGES = {
    "index.html": "最新一期 2023年10月31日：《线上线下互联互通 精准对接职工需求》《工会文化大餐火出圈的背后……》",
    "2022/08/16/index.html": "工人日报 2022年8月16日：本期 2 个版面，5 篇稿件。《向前一步，贴近职工》",
    "2023/10/31/20231031-3f9a2c1e.html": "温州市总工会以职工需求为导向",  # its 阅读提示
    "region/zhejiang/index.html": "《工人日报》关于浙江的 2 篇稿件（2022年至2023年）",
    "region/zhejiang/2022.html": "《工人日报》关于浙江的稿件：2022年，1 篇",
    "authors/a-e6ded31eb9.html": "邹倜然（记者）在《工人日报》署名的 1 篇稿件（2023年）",
    "archive/2022.html": "《工人日报》2022年往期报纸日历",
    "region/index.html": "各省每年稿件数的分布表（共 11 篇）",
    "archive/index.html": "往期报纸日历：共 3 期",
    "authors/index.html": "位署名记者与作者",
    "about.html": "收录 3 期、11 篇稿件",
    "search/index.html": "全文检索《工人日报》稿件的标题和正文",
    "404.html": "页面不存在",
}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_each_kind_of_page_says_what_it_is(site: Path, path: str) -> None:
    (description,) = head_of(site / path).meta["description"]
    assert PAGES[path] in description


def test_a_reporters_page_names_them_and_their_articles(site: Path) -> None:
    descriptions = [head_of(p).meta["description"][0] for p in sorted((site / "authors").glob("a-*.html"))]
    assert "邹倜然（记者）在《工人日报》署名的 1 篇稿件（2023年）：最新稿件，按年份分页。" in descriptions
    years = [head_of(p).meta["description"][0] for p in sorted((site / "authors").glob("a-*/*.html"))]
    assert "《工人日报》邹倜然署名的稿件：2023年，1 篇，按日期从新到旧排列。" in years


def test_a_long_opening_is_cut_and_markup_stays_text(tmp_path: Path) -> None:
    summary = '"><script>alert(1)</script> 职工' + "服务" * 200
    article = Article(
        id="20231031-0000beef", kind="article", date=dt.date(2023, 10, 31), title="<b>标题</b>",
        authors=(Author("邹倜然", "记者"),), province="浙江", summary=summary,
        source=Source("000_da4d75aed8247b84.txt", (1, 2)), body="日前，浙江省温州市总工会主办的辩论赛落幕。",
    )
    page = build_one(tmp_path, article)
    text = page.read_text(encoding="utf-8")
    assert "<script>alert" not in text and '"><script' not in text
    (description,) = head_of(page).meta["description"]
    assert description.startswith('"><script>alert(1)</script> 职工服务') and description.endswith("…")
    assert len(description) <= DESCRIPTION_CHARS
    (edition,) = head_of(tmp_path / "public/2023/10/31/index.html").meta["description"]
    assert edition.endswith("《<b>标题</b>》")


def test_clip() -> None:
    assert clip("向前一步，\n  贴近职工") == "向前一步， 贴近职工"
    assert clip("工会" * 100) == ("工会" * 100)[:DESCRIPTION_CHARS - 1] + "…"
