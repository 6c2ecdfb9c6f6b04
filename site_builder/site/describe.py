"""What each page is, in one sentence: its `<meta name="description">` (and the same text as
its Open Graph and Twitter description).

Specific to the page (an article by its 阅读提示 or opening, an edition by its date and lead
headlines, a province or reporter by their articles) and at most `DESCRIPTION_CHARS`
characters. Plain text: the templates escape it. Made of front-matter and counts only: an
article page describes itself with `excerpt` (its 阅读提示 or opening, as in its JSON-LD).

>>> clip("工会" * 100, 10)
'工会工会工会工会工…'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import jinja2

from site_builder.models import Article, Edition
from site_builder.urls import Urls

DESCRIPTION_CHARS = 160


def clip(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """`text` with its runs of white space made one space, cut at `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cn_date(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def _titles(articles: Iterable[Article], room: int) -> str:
    """《title》《title》… of the articles (not photos, notices or fragments) that fit in `room`."""
    shown = ""
    for article in articles:
        if article.kind != "article":
            continue
        title = f"《{article.title}》"
        if len(shown) + len(title) > room:
            break
        shown += title
    return shown


def edition_description(newspaper: str, edition: Edition) -> str:
    """'工人日报 2023年10月31日：本期 1 个版面，10 篇稿件。《…》《…》'."""
    head = (f"{newspaper} {cn_date(edition.date)}：本期 {len(edition.sheets)} 个版面，"
            f"{len(edition.articles)} 篇稿件。")
    return clip(head + _titles(edition.articles, DESCRIPTION_CHARS - len(head)))


def home_description(title: str, newspaper: str, latest: Edition | None) -> str:
    """The site and its newest edition's lead headlines (the home page shows that edition)."""
    if latest is None:
        return clip(f"{title}：《{newspaper}》的全文存档。")
    head = f"{title}：《{newspaper}》每期报纸的全文，可按日期、地区、记者阅读和检索。最新一期 {cn_date(latest.date)}："
    return clip(head + _titles(latest.articles, DESCRIPTION_CHARS - len(head)))


def _span(articles: Sequence[Article]) -> str:
    """'2022年8月16日至2023年10月31日' of articles newest first."""
    if not articles:
        return ""
    first, last = articles[-1].date, articles[0].date
    return cn_date(first) if first == last else f"{cn_date(first)}至{cn_date(last)}"


def region_description(newspaper: str, name: str, articles: Sequence[Article]) -> str:
    return clip(f"《{newspaper}》关于{name}的 {len(articles)} 篇稿件（{_span(articles)}），按日期从新到旧排列，附本省订阅源。")


def reporter_description(newspaper: str, name: str, roles: Sequence[str], articles: Sequence[Article]) -> str:
    return clip(f"{name}（{'、'.join(roles)}）在《{newspaper}》署名的 {len(articles)} 篇稿件"
                f"（{_span(articles)}），按日期从新到旧排列。")


def listing_description(newspaper: str, page: str, *counts: int) -> str:
    """The site-wide pages, by path (`counts` as the page itself shows them)."""
    n = (*counts, 0, 0)
    texts = {
        Urls.archive: f"《{newspaper}》往期报纸日历：共 {n[0]} 期，按年月日浏览每期的版面和稿件。",
        Urls.regions: (f"按地区阅读《{newspaper}》：各省级行政区的稿件数量地图，以及各省每年稿件数的分布表"
                       f"（共 {n[0]} 篇）。"),
        Urls.authors: f"《{newspaper}》的 {n[0]} 位署名记者与作者，每人一页，列出其署名的全部稿件。",
        Urls.about: (f"关于《{newspaper}》数字版存档：收录 {n[0]} 期、{n[1]} 篇稿件，说明稿件来源，"
                     "并提供 JSON、EPUB、Atom 订阅源和引文等数据下载。"),
        Urls.search: f"全文检索《{newspaper}》稿件的标题和正文，可按地区、年份、月份、类型、栏目和日期范围筛选。",
        Urls.not_found: f"页面不存在：请从首页或往期报纸重新查找《{newspaper}》数字版的稿件。",
    }
    return clip(texts.get(page, f"《{newspaper}》数字版：报纸全文存档。"))


@jinja2.pass_context
def _listing(context: jinja2.runtime.Context, *counts: int) -> str:
    return listing_description(context["site"].newspaper, context["page_path"], *counts)


@jinja2.pass_context
def _edition(context: jinja2.runtime.Context, edition: Edition) -> str:
    return edition_description(context["site"].newspaper, edition)


@jinja2.pass_context
def _home(context: jinja2.runtime.Context, latest: Edition | None) -> str:
    return home_description(context["site"].title, context["site"].newspaper, latest)


@jinja2.pass_context
def _region(context: jinja2.runtime.Context, name: str, articles: Sequence[Article]) -> str:
    return region_description(context["site"].newspaper, name, articles)


@jinja2.pass_context
def _reporter(context: jinja2.runtime.Context, name: str, roles: Sequence[str], articles: Sequence[Article]) -> str:
    return reporter_description(context["site"].newspaper, name, roles, articles)


def register(env: jinja2.Environment) -> None:
    """The templates' `describe_*` globals (`describe_listing()` on the site-wide pages)."""
    env.globals.update(describe_listing=_listing, describe_edition=_edition, describe_home=_home,
                       describe_region=_region, describe_reporter=_reporter)
