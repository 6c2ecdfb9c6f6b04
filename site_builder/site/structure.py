"""Group a day's articles into its edition and sheets (版面); find a continuation's head.

Pure functions of the articles: the pages of an edition are made from these (the state's
queries give the day's articles, `view.ArchiveView.edition`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from site_builder.models import Article, Edition, Sheet


def editions_of(articles: Iterable[Article]) -> list[Edition]:
    """The editions these articles make, oldest first (each grouped by `group_edition`)."""
    by_date: dict[dt.date, list[Article]] = defaultdict(list)
    for article in articles:
        by_date[article.date].append(article)
    return [group_edition(date, by_date[date]) for date in sorted(by_date)]


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
