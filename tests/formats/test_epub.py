"""E-books: one EPUB 3 per edition, passing EPUBCheck, with a table of contents by 版面."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from ebooklib import epub as ebooklib_epub

from site_builder.config import SiteConfig
from site_builder.formats.epub import edition_outputs, render_epub
from site_builder.site.content import read_content
from site_builder.site.structure import editions_of
from tests.conftest import FIXTURE_CONTENT

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")  # Debian's epubcheck package
# A JVM per book spends most of its time compiling: the client compiler alone halves that.
JAVA = ("java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(EPUBCHECK_JAR))


def epubcheck(books: list[Path]) -> dict[Path, str]:
    """EPUBCheck's report for each book that has errors or warnings (two at a time)."""
    if not EPUBCHECK_JAR.is_file() or shutil.which("java") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("epubcheck is missing on CI (apt-get install epubcheck)")
        pytest.skip("Debian's epubcheck and java are needed")

    def check(book: Path) -> str:
        result = subprocess.run([*JAVA, str(book)], capture_output=True, text=True, timeout=600, check=False)
        clean = result.returncode == 0 and "No errors or warnings detected" in result.stdout
        return "" if clean else result.stdout + result.stderr

    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = dict(zip(books, pool.map(check, books), strict=True))
    return {book: report for book, report in reports.items() if report}


def test_the_epub_passes_epubcheck(site: Path) -> None:
    """The fixture edition with two sheets, a photo and an unsigned note (the seed site's
    three books are checked in tests/build/test_seed_site.py)."""
    assert len(list(site.glob("20*/*/*/edition.epub"))) == 3
    assert epubcheck([site / "2022/08/16/edition.epub"]) == {}


def _read(book: Path, name: str) -> str:
    with zipfile.ZipFile(book) as z:
        return z.read(name).decode("utf-8")


def test_contents_by_sheet_with_headlines_and_bylines(site: Path) -> None:
    path = site / "2022/08/16/edition.epub"
    book = ebooklib_epub.read_epub(str(path), {"ignore_ncx": True})
    assert book.get_metadata("DC", "language")[0][0] == "zh-CN"
    assert book.get_metadata("DC", "title")[0][0] == "工人日报 2022年8月16日"
    assert book.get_metadata("DC", "date")[0][0] == "2022-08-16"
    nav = _read(path, "EPUB/nav.xhtml")
    order = [nav.index(t) for t in ("第2版", "向前一步，贴近职工", "下班后，去职工之家“打卡”", "版次未详",
                                    "要让雷锋精神在职工心中落地开花", "新居民异乡过节（图片）")]
    assert order == sorted(order)
    story = _read(path, "EPUB/a-20220816-5b1e0c7a.xhtml")
    head = story[story.index("<body"):story.index('<div class="story">')]
    parts = ['<p class="kicker">北京市总工会坚持以职工为中心', "<h1>向前一步，贴近职工</h1>",
             '<p class="byline">记者 赖志凯</p>', '<p class="meta">2022年8月16日 · 第2版 工会新闻 · 北京</p>']
    assert [head.index(p) for p in parts] == sorted(head.index(p) for p in parts)
    assert 'xml:lang="zh-CN"' in story and "<h3>监测预警防范化解隐患</h3>" in story
    sheet = _read(path, "EPUB/sheet-1.xhtml")
    assert "<h1>第2版 工会新闻</h1>" in sheet and 'href="a-20220816-5b1e0c7a.xhtml"' in sheet


def test_byte_identical_with_fixed_dates_and_order(site: Path) -> None:
    articles, _ = read_content(FIXTURE_CONTENT)
    edition = editions_of(articles)[0]
    data = render_epub(SiteConfig(), edition)
    assert data == render_epub(SiteConfig(), edition) == (site / "2022/08/16/edition.epub").read_bytes()
    with zipfile.ZipFile(site / "2022/08/16/edition.epub") as book:
        infos = book.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert {i.date_time for i in infos} == {(2022, 8, 16, 0, 0, 0)}
        assert b"<meta property=\"dcterms:modified\">2022-08-16T00:00:00Z</meta>" in book.read("EPUB/content.opf")


def test_source_date_epoch_sets_the_dates() -> None:
    articles, _ = read_content(FIXTURE_CONTENT)
    editions = editions_of(articles)
    config = dataclasses.replace(SiteConfig(), source_date=1700000000)  # 2023-11-14 22:13:20 UTC
    book = next(o for o in edition_outputs(config, editions[0]))
    assert book.key != next(o for o in edition_outputs(SiteConfig(), editions[0])).key
    with zipfile.ZipFile(io.BytesIO(bytes(book.render()))) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert b"2023-11-14T22:13:20Z" in z.read("EPUB/content.opf")


def test_edition_page_links_the_epub_and_json(built_sites: dict[str, tuple[Path, object]]) -> None:
    for theme in ("default", "broadsheet"):
        page = (built_sites[theme][0] / "2022/08/16/index.html").read_text(encoding="utf-8")
        assert 'href="edition.epub" type="application/epub+zip" download>电子书（EPUB）</a>' in page
        assert 'href="edition.json" type="application/json">数据（JSON）</a>' in page


def test_control_characters_cannot_break_the_book() -> None:
    from lxml import etree

    articles, _ = read_content(FIXTURE_CONTENT)
    articles = [dataclasses.replace(a, title=a.title + "\x0b", body=a.body + "\x0c落幕\x1f")
                if a.id == "20231031-3f9a2c1e" else a for a in articles]
    edition = editions_of(articles)[-1]
    with zipfile.ZipFile(io.BytesIO(render_epub(SiteConfig(), edition))) as z:
        story = etree.fromstring(z.read("EPUB/a-20231031-3f9a2c1e.xhtml"))
        etree.fromstring(z.read("EPUB/nav.xhtml"))
    assert "落幕" in "".join(story.itertext())
