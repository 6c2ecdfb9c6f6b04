"""Atom feeds parse cleanly (feedparser, no bozo), hold the newest items and link correctly."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from site_builder.config import SiteConfig
from site_builder.models import Article
from site_builder.site.content import read_content
from site_builder.site.outputs import contents_bytes
from tests.conftest import BASE_CONFIG, FIXTURE_CONTENT
from tests.scoped import site_outputs


def feeds(config: SiteConfig, content: Path = FIXTURE_CONTENT) -> dict[str, tuple[bytes, bytes]]:
    """Every feed of a site of `content`: its final key and its bytes."""
    return {path: (key, contents_bytes(o.render())) for path, (o, key) in site_outputs(content, config).items()
            if o.kind == "feed"}


def _parse(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_site_feed_is_valid_and_newest_first(site: Path) -> None:
    parsed = _parse(site / "feed.xml")
    assert parsed.feed.title == "工人日报数字版" and parsed.feed.language == "zh-CN"
    dates = [e.published[:10] for e in parsed.entries]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2023-10-31"
    titles = [e.title for e in parsed.entries]
    # 11 fixture items, one of them a continuation fragment: a part of another item, not an entry.
    assert len(titles) == 10 and "工会文化大餐火出圈的背后……" in titles
    first = next(e for e in parsed.entries if e.title == "工会文化大餐火出圈的背后……")
    assert [a.name for a in first.authors] == ["邹倜然", "邵晨晨"]
    assert first.summary.startswith("温州市总工会以职工需求为导向")
    assert "结合职工需求创新文化品牌" in first.content[0].value  # the whole body, as HTML
    assert {t.term for t in first.tags} == {"浙江"}


def test_relative_links_resolve_from_the_feed(site: Path) -> None:
    """Without a base URL, links are relative to the feed and name files of the site."""
    for feed in [site / "feed.xml", *sorted(site.glob("region/*/feed.xml"))]:
        parsed = _parse(feed)
        assert parsed.feed.id.startswith("urn:uuid:")
        for entry in parsed.entries:
            assert entry.id.startswith("urn:uuid:")
            href = entry.link
            assert not urlsplit(href).scheme
            assert (feed.parent / href).resolve().is_file(), (feed, href)
    assert len(list(site.glob("region/*/feed.xml"))) == 7  # one per province with articles


def test_province_feed_holds_only_its_province(site: Path) -> None:
    parsed = _parse(site / "region/zhejiang/feed.xml")
    assert parsed.feed.title == "工人日报数字版 · 浙江"
    assert [e.title for e in parsed.entries] == ["工会文化大餐火出圈的背后……", "新居民异乡过节"]
    page = (site / "region/zhejiang/index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" title="工人日报数字版 · 浙江" href="feed.xml">' in page


def test_absolute_ids_with_a_base_url(based_site: Path) -> None:
    parsed = _parse(based_site / "feed.xml")
    assert parsed.feed.id == "https://example.org/gongren/feed.xml"
    assert any(link.rel == "self" and link.href == "https://example.org/gongren/feed.xml"
               for link in parsed.feed.links)
    for entry in parsed.entries:
        assert entry.id == entry.link and entry.link.startswith("https://example.org/gongren/20")
        assert (based_site / entry.link.removeprefix("https://example.org/gongren/")).is_file()


def test_ids_are_stable_across_builds(site: Path, based_site: Path) -> None:
    assert feeds(SiteConfig())["feed.xml"][1] == (site / "feed.xml").read_bytes()


@pytest.mark.parametrize("length", [1, 3])
def test_feed_length_is_respected(length: int) -> None:
    config = dataclasses.replace(BASE_CONFIG, feed_length=length)
    made = feeds(config)
    parsed = feedparser.parse(made["feed.xml"][1])
    assert len(parsed.entries) == length and not parsed.bozo
    other = dataclasses.replace(config, feed_length=length + 1)
    assert made["feed.xml"][0] != feeds(other)["feed.xml"][0]


def test_every_page_links_the_site_feed(site: Path) -> None:
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert 'rel="alternate" type="application/atom+xml" title="工人日报数字版"' in text, page


def test_control_characters_cannot_break_the_feed() -> None:
    """Content with characters XML cannot hold is refused when read; the feed drops them all
    the same (a body made otherwise, a theme's filter)."""
    from site_builder.formats.feeds import site_feed

    articles, _ = read_content(FIXTURE_CONTENT)
    article = next(a for a in articles if a.id == "20231031-3f9a2c1e")
    broken = dataclasses.replace(article, title=article.title + "\x0b")
    broken = Article(**{f.name: getattr(broken, f.name) for f in dataclasses.fields(Article)}
                     | {"body": article.body + "\x0c落幕\x1f"})
    parsed = feedparser.parse(contents_bytes(site_feed(SiteConfig(), [broken], broken.date).render()))
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["工会文化大餐火出圈的背后……"]
    assert "落幕" in parsed.entries[0].content[0].value
