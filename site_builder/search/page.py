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

from site_builder.models import Article
from site_builder.search.offline import FALLBACK_CAP, FALLBACK_FILE, fallback_script, newest_first
from site_builder.search.units import plan_units
from site_builder.site.outputs import Output, article_key, key_of
from site_builder.site.render import KIND_LABELS, render_page
from site_builder.site.structure import Archive
from site_builder.urls import Urls

PAGEFIND_DIR = "pagefind"
_UNITS_ATTR = re.compile(r'\sdata-units="([^"]*)"')

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


def search_page_values(archive: Archive, fallback_cap: int) -> dict[str, object]:
    """Everything search.html shows: also the key of the page."""
    articles = [a for e in archive.editions for a in e.articles]
    editions = archive.editions
    return {
        "options": search_options(articles), "total": len(articles), "fallback_cap": fallback_cap,
        "first_date": editions[0].date.isoformat() if editions else "",
        "last_date": editions[-1].date.isoformat() if editions else "",
        # The Pagefind index units, newest first (the indexer cuts the built pages the same way).
        "units": " ".join(u.name for u in reversed(plan_units(Counter((a.date.year, a.date.month) for a in articles)))),
    }


def search_page_units(site: Path) -> list[str]:
    """The index units a built search page will load, oldest first."""
    page = site / Urls.search
    found = _UNITS_ATTR.search(page.read_text(encoding="utf-8")) if page.is_file() else None
    return sorted(html.unescape(found[1]).split()) if found else []


def outputs(archive: Archive, env: jinja2.Environment, fallback_cap: int = FALLBACK_CAP) -> Iterator[Output]:
    """The search page and the offline index, as build outputs (Pagefind runs after rendering)."""
    values = search_page_values(archive, fallback_cap)
    latest = archive.editions[-1] if archive.editions else None

    def page() -> str:
        return render_page(env, "search.html", Urls.search, archive=archive, latest=latest,
                           fallback_src=Urls.link(Urls.search, FALLBACK_FILE),
                           pagefind_src=Urls.link(Urls.search, f"{PAGEFIND_DIR}/"), **values)

    yield Output("search", Urls.search, key_of("search", values, latest.date if latest else None),
                 page, templates=("search.html",))
    articles = [a for e in archive.editions for a in e.articles]
    newest = newest_first(articles)[:fallback_cap]
    yield Output("data", FALLBACK_FILE, key_of("fallback", len(articles), fallback_cap,
                                                 [article_key(a) for a in newest]),
                 lambda: fallback_script(articles, fallback_cap))
