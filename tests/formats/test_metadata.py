"""JSON-LD (NewsArticle, PublicationIssue) and Open Graph / Twitter meta on the pages."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from site_builder.formats.metadata import script_json
from site_builder.frontmatter import dump_article
from site_builder.models import Article, Author, Source
from site_builder.site.pipeline import build_site

ARTICLE = "2023/10/31/20231031-3f9a2c1e.html"
BASE = "https://example.org/gongren/"


class _Head(HTMLParser):
    """The JSON-LD blocks (as raw text) and meta elements of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.meta: dict[str, str] = {}
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            assert a.get("type") == "application/ld+json"  # the only scripts in a page head
            self._in_ld = True
            self.scripts.append("")
        elif tag == "meta" and (a.get("property") or a.get("name")):
            self.meta[str(a.get("property") or a.get("name"))] = str(a.get("content"))

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.scripts[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False


def head_of(page: Path) -> tuple[list[Any], dict[str, str]]:
    parser = _Head()
    parser.feed(page.read_text(encoding="utf-8"))
    return [json.loads(s) for s in parser.scripts], parser.meta


def test_article_json_ld(site: Path) -> None:
    (data,), _ = head_of(site / ARTICLE)
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "工会文化大餐火出圈的背后……"
    assert data["alternativeHeadline"] == "温州市总工会建设多元文化服务体系，促进职工“精神富有”"
    assert data["datePublished"] == "2023-10-31" and data["inLanguage"] == "zh-CN"
    assert data["author"] == [{"@type": "Person", "name": "邹倜然", "jobTitle": "记者"},
                              {"@type": "Person", "name": "邵晨晨", "jobTitle": "通讯员"}]
    assert data["publisher"] == {"@type": "Organization", "name": "工人日报社"}
    assert data["contentLocation"] == [{"@type": "AdministrativeArea", "name": "浙江"},
                                       {"@type": "Place", "name": "温州"}]
    issue = data["isPartOf"]
    assert issue["@type"] == "PublicationIssue" and issue["datePublished"] == "2023-10-31"
    assert issue["@id"] == "index.html" and issue["isPartOf"]["name"] == "工人日报"
    # Without a base URL the page's own URL is relative to it.
    assert data["url"] == "20231031-3f9a2c1e.html"


def test_kicker_and_subtitle_and_page(site: Path) -> None:
    (data,), _ = head_of(site / "2022/08/16/20220816-5b1e0c7a.html")
    assert data["pageStart"] == "2" and data["articleSection"]
    unsigned = [p for p in sorted(site.glob("20*/*/*/*-*.html")) if '"author":{' in p.read_text(encoding="utf-8")]
    for page in unsigned:  # an unsigned item is credited to the paper
        (data,), _ = head_of(page)
        assert data["author"] == {"@type": "Organization", "name": "工人日报社"}


def test_edition_publication_issue(site: Path) -> None:
    (data,), meta = head_of(site / "2022/08/16/index.html")
    assert data["@type"] == "PublicationIssue" and data["datePublished"] == "2022-08-16"
    assert data["name"] == "工人日报 2022年8月16日"
    assert [p["headline"] for p in data["hasPart"]][:2] == ["向前一步，贴近职工", "下班后，去职工之家“打卡”"]
    assert all((site / "2022/08/16" / p["url"]).is_file() for p in data["hasPart"])
    assert data["encoding"]["contentUrl"] == "edition.epub"
    assert meta["og:type"] == "website" and "本期 2 个版面，5 篇稿件" in meta["description"]


def test_open_graph_and_twitter(site: Path, based_site: Path) -> None:
    _, meta = head_of(site / ARTICLE)
    assert meta["og:type"] == "article" and meta["og:title"] == "工会文化大餐火出圈的背后……"
    assert meta["og:description"].startswith("温州市总工会以职工需求为导向")
    assert meta["og:locale"] == "zh_CN" and meta["article:published_time"] == "2023-10-31"
    assert meta["twitter:card"] == "summary" and meta["twitter:title"] == meta["og:title"]
    assert "og:url" not in meta  # og:url must be absolute: only with a base URL
    (data,), meta = head_of(based_site / ARTICLE)
    assert meta["og:url"] == BASE + ARTICLE
    assert data["url"] == data["@id"] == BASE + ARTICLE
    assert data["isPartOf"]["@id"] == BASE + "2023/10/31/index.html"


def build_one(tmp_path: Path, article: Article) -> Path:
    """A site of `article` alone (content and site in `tmp_path`): the article's page."""
    path = tmp_path / "content" / f"{article.date:%Y/%m/%d}/{article.id}.md"
    path.parent.mkdir(parents=True)
    path.write_text(dump_article(article), encoding="utf-8")
    build_site(tmp_path / "content", tmp_path / "public")
    return tmp_path / "public" / f"{article.date:%Y/%m/%d}/{article.id}.html"


def test_hostile_title_cannot_leave_the_script(tmp_path: Path) -> None:
    title = '</script><script>alert("标题")</script><!--'
    article = Article(
        id="20231031-0000beef", kind="article", date=dt.date(2023, 10, 31), title=title,
        kicker="]]></script>\u2028", authors=(Author("</SCRIPT>", "记者"),), province="浙江",
        source=Source("000_da4d75aed8247b84.txt", (1, 2)),
        body="日前，浙江省温州市总工会主办的“我最善辩”暨机关职工辩论邀请赛总决赛落幕。",
    )
    page = build_one(tmp_path, article)
    text = page.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S | re.I)
    assert block is not None and "<" not in block.group(1) and "\u2028" not in block.group(1)
    assert text.lower().count("<script") == 1
    (data,), meta = head_of(page)
    assert data["headline"] == title and data["author"][0]["name"] == "</SCRIPT>"
    assert data["alternativeHeadline"] == "]]></script>\u2028"
    assert meta["og:title"] == title  # attribute values are escaped by the template


def test_script_json_escapes_what_would_end_the_script() -> None:
    text = script_json({"a": "</script><!-- & \u2028"})
    assert text == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028"}'
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}
