"""The search page, `search/index.html`: the form, its choices, what the archive holds.

The page's script (`static/search.js`) reads the index from `search/` (see `catalog`). A site
built without the index (`build --no-search`) gets the page all the same, saying so.
"""

from __future__ import annotations

from collections import Counter

import jinja2

from site_builder.site.outputs import Output, key_of
from site_builder.site.render import KIND_LABELS, render_page
from site_builder.site.view import ArchiveView
from site_builder.urls import Urls


def search_options(view: ArchiveView) -> dict[str, list[tuple[str, str]]]:
    """(value, label) choices for the form's selects, from the articles themselves."""
    provinces = Counter(dict(view.db.execute(
        "SELECT province, count(*) FROM articles WHERE province IS NOT NULL GROUP BY province")))
    columns = Counter(dict(view.db.execute("SELECT col, count(*) FROM articles WHERE col IS NOT NULL GROUP BY col")))
    years = [y for y, _ in view.edition_years()]
    present = {k for (k,) in view.db.execute("SELECT DISTINCT kind FROM articles")}
    kinds = [k for k in KIND_LABELS if k in present]

    def by_count(counts: Counter[str]) -> list[tuple[str, str]]:
        return [(v, f"{v}（{n}）") for v, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]

    return {
        "province": by_count(provinces),
        "year": [(str(y), f"{y}年") for y in years],
        "month": [(f"{m:02d}", f"{m}月") for m in range(1, 13)],
        "kind": [(k, KIND_LABELS[k]) for k in kinds],
        "column": by_count(columns),
    }


def page_output(env: jinja2.Environment, view: ArchiveView, indexed: bool = True) -> Output:
    """The search page (`indexed`: whether the site has the index)."""
    totals = view.totals()
    values = {
        "options": search_options(view), "total": totals.articles, "indexed": indexed,
        "first_date": totals.first.isoformat() if totals.first else "",
        "last_date": totals.last.isoformat() if totals.last else "",
    }

    def page() -> str:
        return render_page(env, "search.html", Urls.search, **values)

    return Output("search", Urls.search, key_of("search", values), page, templates=("search.html",))
