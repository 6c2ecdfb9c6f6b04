"""The search page, `search/index.html`: the form, its choices, what the archive holds.

The page's script (`static/search.js`) reads the index from `search/` (see `catalog`).
"""

from __future__ import annotations

from collections import Counter

import jinja2

from site_builder.models import Article
from site_builder.site.outputs import Output, key_of
from site_builder.site.render import KIND_LABELS, render_page
from site_builder.site.structure import Archive
from site_builder.urls import Urls


def search_options(articles: list[Article]) -> dict[str, list[tuple[str, str]]]:
    """(value, label) choices for the form's selects, from the articles themselves."""
    provinces = Counter(a.province for a in articles if a.province)
    columns = Counter(a.column for a in articles if a.column)
    years = sorted({a.date.year for a in articles}, reverse=True)
    kinds = sorted({a.kind for a in articles}, key=list(KIND_LABELS).index)

    def by_count(counts: Counter[str]) -> list[tuple[str, str]]:
        return [(v, f"{v}（{n}）") for v, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]

    return {
        "province": by_count(provinces),
        "year": [(str(y), f"{y}年") for y in years],
        "month": [(f"{m:02d}", f"{m}月") for m in range(1, 13)],
        "kind": [(k, KIND_LABELS[k]) for k in kinds],
        "column": by_count(columns),
    }


def search_page_values(archive: Archive) -> dict[str, object]:
    """Everything search.html shows (and so the page's key)."""
    articles = [a for e in archive.editions for a in e.articles]
    editions = archive.editions
    return {
        "options": search_options(articles), "total": len(articles),
        "first_date": editions[0].date.isoformat() if editions else "",
        "last_date": editions[-1].date.isoformat() if editions else "",
    }


def page_output(archive: Archive, env: jinja2.Environment) -> Output:
    values = search_page_values(archive)
    latest = archive.editions[-1] if archive.editions else None

    def page() -> str:
        return render_page(env, "search.html", Urls.search, archive=archive, latest=latest, **values)

    return Output("search", Urls.search, key_of("search", values, latest.date if latest else None),
                  page, templates=("search.html",))
