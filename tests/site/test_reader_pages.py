"""The reader's sections as built: 往年今日 on an edition page, 相关报道 on an article page, and
how an edit or a new edition changes them (an incremental build equals a clean one)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from site_builder.site.pipeline import build_site
from tests.conftest import FIXTURE_CONTENT
from tests.site.test_incremental import add_edition, assert_same_as_clean_build, edit

BEIJING_2022 = "2022/08/16/20220816-5b1e0c7a"  # 向前一步，贴近职工: 北京, 朝阳区 and 西城区, 赖志凯
BEIJING_2021 = "2021/08/16/20210816-5b1e0c7a"  # the same, a year earlier (added by `with_past_year`)
BEIJING_2023 = "2023/10/31/20231031-1d8e6b3a"  # 线上线下互联互通 精准对接职工需求: 北京, 赖志凯
EARLIER_TITLE = "首都职工服务走深走实"


def with_past_year(content: Path) -> None:
    """The fixture with an edition of 16 August 2021: one 北京 article by 赖志凯."""
    text = (content / f"{BEIJING_2022}.md").read_text(encoding="utf-8")
    for old, new in (("20220816-5b1e0c7a", "20210816-5b1e0c7a"), ("date: 2022-08-16", "date: 2021-08-16"),
                     ("title: 向前一步，贴近职工", f"title: {EARLIER_TITLE}")):
        assert old in text
        text = text.replace(old, new)
    (content / BEIJING_2021).parent.mkdir(parents=True)
    (content / f"{BEIJING_2021}.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("reader") / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    with_past_year(content)
    site = content.parent / "public"
    build_site(content, site)
    return site


def section(page: Path, name: str) -> str:
    found = re.search(rf'<section class="{name}".*?</section>', page.read_text(encoding="utf-8"), re.S)
    return found[0] if found else ""


def test_an_edition_lists_the_same_day_in_earlier_years(reader_site: Path) -> None:
    past = section(reader_site / "2022/08/16/index.html", "past-years")
    assert "<h2 id=\"past-years-title\">往年今日</h2>" in past
    assert ('<li><a href="../../../2021/08/16/index.html"><time datetime="2021-08-16">2021年8月16日</time></a>'
            f' <span class="past-lead">头条：{EARLIER_TITLE}</span> <span class="count">1 篇</span></li>') in past
    # Earlier years only: the older edition lists nothing (a new edition never changes it).
    assert section(reader_site / "2021/08/16/index.html", "past-years") == ""
    assert section(reader_site / "2023/10/31/index.html", "past-years") == ""


def test_an_article_lists_earlier_articles_sharing_places_and_people(reader_site: Path) -> None:
    related = section(reader_site / f"{BEIJING_2023}.html", "related")
    titles = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', related)
    assert titles == [("../../../2022/08/16/20220816-5b1e0c7a.html", "向前一步，贴近职工"),
                      ("../../../2021/08/16/20210816-5b1e0c7a.html", EARLIER_TITLE)]
    assert "· 作者：赖志凯" in related
    older = section(reader_site / f"{BEIJING_2022}.html", "related")
    assert EARLIER_TITLE in older and "地点：朝阳区、西城区 · 作者：赖志凯" in older
    assert section(reader_site / f"{BEIJING_2021}.html", "related") == ""  # nothing earlier


def test_an_earlier_articles_new_title_reaches_later_pages(tmp_path: Path) -> None:
    content = tmp_path / "project" / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    with_past_year(content)
    site = content.parent / "public"
    build_site(content, site)
    edit(content / f"{BEIJING_2021}.md", f"title: {EARLIER_TITLE}", "title: 首都职工服务再升级")
    report = build_site(content, site)
    assert "首都职工服务再升级" in section(site / f"{BEIJING_2023}.html", "related")
    assert "首都职工服务再升级" in section(site / "2022/08/16/index.html", "past-years")
    assert report.pages["edition"] == 2  # its own and the one listing it as a past year
    assert_same_as_clean_build(content, site, tmp_path)


def test_a_new_edition_rewrites_no_older_article_page(tmp_path: Path) -> None:
    content = tmp_path / "project" / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    site = content.parent / "public"
    build_site(content, site)
    add_edition(content)  # a copy of the 浙江 article, a day later: related to the older ones
    report = build_site(content, site)
    assert report.pages["article"] == 1
    assert "工会文化大餐火出圈的背后……" in section(site / "2023/11/01/20231101-3f9a2c1e.html", "related")
    assert_same_as_clean_build(content, site, tmp_path)
