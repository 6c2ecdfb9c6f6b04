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
from collections.abc import Iterable
from typing import TYPE_CHECKING

import jinja2

from site_builder.models import Article, Edition
from site_builder.urls import Urls

if TYPE_CHECKING:
    from site_builder.site.listings import Listing

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


def listing_page_description(newspaper: str, kind: str, listing: Listing) -> str:
    """A province's or a reporter's page: its first (newest articles, years) or a year's."""
    about = f"关于{listing.name}的" if kind == "region" else f"{listing.name}署名的"
    if listing.total:
        span = (f"（{listing.years[-1].label}至{listing.years[0].label}）" if len(listing.years) > 1
                else f"（{listing.years[0].label}）" if listing.years else "")
        roles = f"{listing.name}（{'、'.join(listing.roles)}）" if kind == "author" and listing.roles else ""
        head = f"{roles}在《{newspaper}》署名的" if roles else f"《{newspaper}》{about}"
        return clip(f"{head} {listing.total} 篇稿件{span}：最新稿件，按年份分页。")
    if listing.articles:
        return clip(f"《{newspaper}》{about}稿件：{listing.heading}，{len(listing.articles)} 篇，按日期从新到旧排列。")
    return clip(f"《{newspaper}》{about}稿件：{listing.heading}，按月份分页。")


def archive_year_description(newspaper: str, year: int) -> str:
    return clip(f"《{newspaper}》{year}年往期报纸日历：按月日浏览该年每期的版面和稿件。")


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
def _listing_page(context: jinja2.runtime.Context, kind: str, listing: Listing) -> str:
    return listing_page_description(context["site"].newspaper, kind, listing)


@jinja2.pass_context
def _archive_year(context: jinja2.runtime.Context, year: int) -> str:
    return archive_year_description(context["site"].newspaper, year)


def register(env: jinja2.Environment) -> None:
    """The templates' `describe_*` globals (`describe_listing()` on the site-wide pages)."""
    env.globals.update(describe_listing=_listing, describe_edition=_edition, describe_home=_home,
                       describe_listing_page=_listing_page, describe_archive_year=_archive_year)
