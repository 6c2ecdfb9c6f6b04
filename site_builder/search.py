"""Search: the search page, the per-year Pagefind indexes and the offline fallback, made on staging.

`build_site(..., post_render=post_render_step(content_dir, theme))` runs it on the finished
staging folder before the swap; if Pagefind fails the step raises, the build fails and the
live site stays as it was.

Online (http/https) the page searches `pagefind/<year>/` (Pagefind plus the substring index
of `search_grams`, see `search_pagefind`); from `file://`, or when those cannot be loaded, it
uses `search/fallback-index.js` (see `search_index`).
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2

from site_builder.build.content import read_content
from site_builder.build.outputs import Output, article_key, key_of
from site_builder.build.render import (
    KIND_LABELS,
    THEMES_ROOT,
    make_environment,
    render_page,
    template_dirs,
    theme_dirs,
)
from site_builder.build.structure import Archive, build_archive
from site_builder.models import Article
from site_builder.search_index import FALLBACK_CAP, FALLBACK_FILE, covered, fallback_script, newest_first
from site_builder.search_pagefind import (
    PAGEFIND_DIR,
    SearchIndexError,
    YearIndex,
    index_years,
)
from site_builder.urls import Urls


@dataclass(frozen=True)
class SearchReport:
    articles: int
    years: tuple[YearIndex, ...]
    pagefind_bytes: int  # all of pagefind/: library, year indexes and substring indexes
    gram_bytes: int  # of which the substring indexes
    pagefind_files: int
    fallback_bytes: int
    fallback_articles: int
    seconds: float

    @property
    def pages_indexed(self) -> int:
        return sum(y.pages for y in self.years)

    @property
    def indexed(self) -> tuple[int, ...]:
        return tuple(y.year for y in self.years if not y.reused)

    @property
    def reused(self) -> tuple[int, ...]:
        return tuple(y.year for y in self.years if y.reused)

    def __str__(self) -> str:
        def years(ys: tuple[int, ...]) -> str:
            return ", ".join(map(str, ys)) or "none"
        return (f"search: {self.pages_indexed} pages in {len(self.years)} year indexes "
                f"(indexed: {years(self.indexed)}; reused: {years(self.reused)}); "
                f"pagefind/ {self.pagefind_bytes / 1024:.0f} KiB in {self.pagefind_files} files "
                f"(substring index {self.gram_bytes / 1024:.0f} KiB); "
                f"offline index {self.fallback_articles}/{self.articles} articles "
                f"({self.fallback_bytes / 1024:.0f} KiB) in {self.seconds:.2f}s")


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) under `folder`."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


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
        "years": " ".join(str(y) for y in sorted({a.date.year for a in articles}, reverse=True)),
    }


def outputs(archive: Archive, env_of: Callable[[], jinja2.Environment],
            fallback_cap: int = FALLBACK_CAP) -> Iterator[Output]:
    """The search page and the offline index, as build outputs (Pagefind runs after rendering)."""
    values = search_page_values(archive, fallback_cap)
    latest = archive.editions[-1] if archive.editions else None

    def page() -> str:
        return render_page(env_of(), "search.html", Urls.search, archive=archive, latest=latest,
                           fallback_src=Urls.link(Urls.search, FALLBACK_FILE),
                           pagefind_src=Urls.link(Urls.search, f"{PAGEFIND_DIR}/"), **values)

    yield Output("search", Urls.search, key_of("search", values, latest.date if latest else None),
                 page, templates=("search.html",))
    articles = [a for e in archive.editions for a in e.articles]
    newest = newest_first(articles)[:fallback_cap]
    yield Output("search", FALLBACK_FILE, key_of("fallback", len(articles), fallback_cap,
                                                 [article_key(a) for a in newest]),
                 lambda: fallback_script(articles, fallback_cap))


def replace_file(path: Path, data: bytes) -> None:
    """Write a new file over `path`: staging may hard-link the live site's files, never change them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.new-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class SearchStep:
    """The post-render step; `report` holds the numbers of the last run.

    `previous`: the live site, whose up-to-date year indexes are hard-linked into staging
    when staging has none (a no-op once staging starts as a linked copy of the live site).
    """

    def __init__(self, content_dir: Path, theme: str = "default",
                 themes_root: Path = THEMES_ROOT, *, quiet: bool = False,
                 fallback_cap: int = FALLBACK_CAP, previous: Path | None = None) -> None:
        self.content_dir = content_dir
        self.theme = theme
        self.themes_root = themes_root
        self.quiet = quiet
        self.fallback_cap = fallback_cap
        self.previous = previous
        self.report: SearchReport | None = None

    def __call__(self, site: Path) -> None:
        started = time.perf_counter()
        articles, problems = read_content(self.content_dir)
        errors = [p for p in problems if p.severity == "error"]
        if errors:  # the build has checked already; content changed under us
            raise SearchIndexError("; ".join(str(p) for p in errors))
        archive = build_archive(articles)

        def env() -> jinja2.Environment:
            return make_environment(template_dirs(theme_dirs(self.theme, self.themes_root), self.content_dir))

        # --- written by today's build; the incremental pipeline will take these as outputs ---
        fallback_bytes = fallback_articles = 0
        for out in outputs(archive, env, self.fallback_cap):
            body = out.render()
            data = body.encode("utf-8") if isinstance(body, str) else body
            replace_file(site / out.path, data)
            if out.path == FALLBACK_FILE:
                fallback_bytes, fallback_articles = len(data), covered(data.decode("utf-8"))
        # ---
        counts = Counter(a.date.year for a in articles)
        years = index_years(site, dict(counts), self.previous)
        size, files = folder_size(site / PAGEFIND_DIR)
        self.report = SearchReport(
            articles=len(articles), years=tuple(years), pagefind_bytes=size,
            gram_bytes=sum(y.gram_bytes for y in years), pagefind_files=files,
            fallback_bytes=fallback_bytes, fallback_articles=fallback_articles,
            seconds=round(time.perf_counter() - started, 3),
        )
        if not self.quiet:
            print(self.report, file=sys.stderr, flush=True)


def post_render_step(content_dir: Path, theme: str = "default", themes_root: Path = THEMES_ROOT,
                     previous: Path | None = None) -> Callable[[Path], None]:
    """The function `build_site` calls on the staging folder: search page, Pagefind, fallback."""
    return SearchStep(content_dir, theme, themes_root, previous=previous)

