"""Group articles into editions (a day) and sheets (版面), provinces and reporters.

Pure functions of the article list; every grouping is one pass over the articles plus a
sort, so the cost stays O(n log n) at 10,000+ articles.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from site_builder.models import Article, Edition, Region, Sheet
from site_builder.regions import PROVINCES
from site_builder.urls import author_slug


@dataclass(frozen=True)
class Reporter:
    """An author with every article they signed, newest first."""

    name: str
    slug: str
    roles: tuple[str, ...]
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Archive:
    """Everything the pages are made from."""

    editions: tuple[Edition, ...]  # oldest first
    regions: tuple[Region, ...]  # every province in table order, empty ones included
    reporters: tuple[Reporter, ...]  # by name
    # Continuation fragment id → the article it continues, when it could be found.
    heads: Mapping[str, Article] = field(default_factory=dict)

    @property
    def article_count(self) -> int:
        return sum(len(e.articles) for e in self.editions)


def build_archive(articles: Iterable[Article]) -> Archive:
    by_date: dict[dt.date, list[Article]] = defaultdict(list)
    for article in articles:
        by_date[article.date].append(article)
    editions = tuple(group_edition(date, by_date[date]) for date in sorted(by_date))
    return Archive(
        editions=editions,
        regions=group_regions(editions),
        reporters=group_reporters(editions),
        heads=find_heads(editions),
    )


def group_edition(date: dt.date, articles: Iterable[Article]) -> Edition:
    """One day's sheets: by 版次 when known, else one sheet per raw file (= one printed page).

    Sheets are ordered by page number, then file name; articles by their first source line.
    """
    groups: dict[tuple[int, str], list[Article]] = defaultdict(list)
    for article in articles:
        # Unnumbered sheets sort after numbered ones (page numbers are < 1000).
        key = (article.page, "") if article.page is not None else (1000, article.source.file)
        groups[key].append(article)
    sheets = []
    for key in sorted(groups):
        items = sorted(groups[key], key=lambda a: (a.source.lines[0], a.source.file, a.id))
        number = key[0] if key[0] < 1000 else None
        name = next((a.page_name for a in items if a.page_name), None)
        files = sorted({a.source.file for a in items})
        sheets.append(Sheet(number=number, name=name, source_file=files[0], articles=tuple(items)))
    return Edition(date=date, sheets=tuple(sheets))


def _newest_first(articles: list[Article], order: Mapping[str, int]) -> tuple[Article, ...]:
    # Newest edition first; within a day, printed order.
    return tuple(sorted(articles, key=lambda a: (-a.date.toordinal(), order[a.id])))


def _printed_order(editions: Iterable[Edition]) -> dict[str, int]:
    return {a.id: i for e in editions for i, a in enumerate(e.articles)}


def group_regions(editions: tuple[Edition, ...]) -> tuple[Region, ...]:
    by_province: dict[str, list[Article]] = defaultdict(list)
    for edition in editions:
        for article in edition.articles:
            if article.province is not None:
                by_province[article.province].append(article)
    order = _printed_order(editions)
    return tuple(
        Region(name=p.short, slug=p.slug, articles=_newest_first(by_province[p.short], order))
        for p in PROVINCES
    )


def group_reporters(editions: tuple[Edition, ...]) -> tuple[Reporter, ...]:
    by_name: dict[str, list[Article]] = defaultdict(list)
    roles: dict[str, set[str]] = defaultdict(set)
    for edition in editions:
        for article in edition.articles:
            for author in article.authors:
                # An author named twice on one article is still one entry on their page.
                if not by_name[author.name] or by_name[author.name][-1] is not article:
                    by_name[author.name].append(article)
                roles[author.name].add(author.role)
    order = _printed_order(editions)
    return tuple(
        Reporter(
            name=name, slug=author_slug(name), roles=tuple(sorted(roles[name])),
            articles=_newest_first(by_name[name], order),
        )
        for name in sorted(by_name)
    )


def find_heads(editions: Iterable[Edition]) -> dict[str, Article]:
    """Continuation fragments → their head: same edition, same title, not itself a fragment.

    A fragment `continued_from: 第1版` prefers a head printed on page 1 when pages are known.
    """
    heads: dict[str, Article] = {}
    for edition in editions:
        by_title: dict[str, list[Article]] = defaultdict(list)
        for article in edition.articles:
            if article.kind != "continuation":
                by_title[article.title].append(article)
        for article in edition.articles:
            candidates = by_title.get(article.title) if article.kind == "continuation" else None
            if not candidates:
                continue
            wanted = _page_number(article.continued_from)
            on_page = [c for c in candidates if wanted is not None and c.page == wanted]
            heads[article.id] = (on_page or candidates)[0]
    return heads


def _page_number(label: str | None) -> int | None:
    """'第1版' → 1; anything else → None."""
    if label is None:
        return None
    digits = "".join(ch for ch in label if ch.isdigit())
    return int(digits) if digits else None
