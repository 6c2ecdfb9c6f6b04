"""The search page and the offline index, as build outputs (made from the archive, before Pagefind).

`build_site` writes them with the other pages; the search step (`search.step`) then indexes the
finished site.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import jinja2

from site_builder.search.offline import FALLBACK_CAP, FALLBACK_FILE, fallback_script
from site_builder.search.units import plan_units
from site_builder.site.outputs import Output, article_key, key_of
from site_builder.site.render import KIND_LABELS, render_page
from site_builder.site.view import ArchiveView
from site_builder.urls import Urls

PAGEFIND_DIR = "pagefind"
_UNITS_ATTR = re.compile(r'\sdata-units="([^"]*)"')

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


def search_page_units(site: Path) -> list[str]:
    """The index units a built search page will load, oldest first."""
    page = site / Urls.search
    found = _UNITS_ATTR.search(page.read_text(encoding="utf-8")) if page.is_file() else None
    return sorted(html.unescape(found[1]).split()) if found else []


def search_page(env: jinja2.Environment, view: ArchiveView, fallback_cap: int = FALLBACK_CAP) -> Iterator[Output]:
    """The search page and the offline index."""
    totals = view.totals()
    months = view.months()
    values = {
        "options": search_options(view), "total": totals.articles, "fallback_cap": fallback_cap,
        "first_date": totals.first.isoformat() if totals.first else "",
        "last_date": totals.last.isoformat() if totals.last else "",
        "units": " ".join(u.name for u in reversed(plan_units({(y, m): n for y, m, n in months}))),
    }

    def page() -> str:
        return render_page(env, "search.html", Urls.search, fallback_src=Urls.link(Urls.search, FALLBACK_FILE),
                           pagefind_src=Urls.link(Urls.search, f"{PAGEFIND_DIR}/"), **values)

    yield Output("search", Urls.search, key_of("search", values), page, templates=("search.html",))
    newest = view.newest_any(fallback_cap)
    yield Output("data", FALLBACK_FILE, key_of("fallback", totals.articles, fallback_cap,
                                                 [article_key(a) for a in newest]),
                 lambda: fallback_script(newest, fallback_cap))
