"""Search: the search page, the Pagefind index and the offline fallback, made on the staging site.

`build_site(..., post_render=post_render_step(content_dir, theme))` runs it on the finished
staging folder before the swap; if Pagefind fails the step raises, the build fails and the
live site stays as it was.

Online (http/https) the page uses Pagefind (`pagefind/`, Chinese segmentation from the
extended build, filters province/year/month/kind/column and sort key `date` from the
article pages' `data-pagefind-*` attributes). From `file://` it uses
`search/fallback-index.js` (see `search_index`).
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

from site_builder.build.content import read_content
from site_builder.build.render import (
    KIND_LABELS,
    THEMES_ROOT,
    make_environment,
    render_page,
    template_dirs,
    theme_dirs,
)
from site_builder.build.structure import build_archive
from site_builder.build.workers import write_file
from site_builder.models import Article
from site_builder.search_index import FALLBACK_CAP, FALLBACK_FILE, fallback_script
from site_builder.urls import Urls

PAGEFIND_DIR = "pagefind"
# Inside `data-pagefind-body` but noise in excerpts (date · page · province line, box labels,
# continuation notes). Filters inside them (province) are still read.
EXCLUDE = (".story-meta", ".summary-label", ".continued", ".badge")


class SearchIndexError(RuntimeError):
    """Pagefind failed or indexed the wrong number of pages; the build must not be swapped in."""


@dataclass(frozen=True)
class SearchReport:
    articles: int
    pages_indexed: int
    pagefind_bytes: int
    pagefind_files: int
    fallback_bytes: int
    fallback_articles: int
    seconds: float

    def __str__(self) -> str:
        return (f"search: {self.pages_indexed} pages indexed by Pagefind "
                f"({self.pagefind_files} files, {self.pagefind_bytes / 1024:.0f} KiB), "
                f"offline index {self.fallback_articles}/{self.articles} articles "
                f"({self.fallback_bytes / 1024:.0f} KiB) in {self.seconds:.2f}s")


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) under `folder`."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def search_options(articles: list[Article]) -> dict[str, list[tuple[str, str]]]:
    """(value, label) choices for the form's selects, from the articles themselves."""
    provinces = Counter(a.province for a in articles if a.province)
    years = sorted({a.date.year for a in articles}, reverse=True)
    kinds = sorted({a.kind for a in articles}, key=list(KIND_LABELS).index)
    return {
        "province": [(p, f"{p}（{n}）") for p, n in sorted(provinces.items(), key=lambda x: (-x[1], x[0]))],
        "year": [(str(y), f"{y}年") for y in years],
        "kind": [(k, KIND_LABELS[k]) for k in kinds],
    }


def render_search_page(content_dir: Path, theme: str, themes_root: Path,
                       articles: list[Article], fallback_cap: int = FALLBACK_CAP) -> str:
    env = make_environment(template_dirs(theme_dirs(theme, themes_root), content_dir))
    archive = build_archive(articles)
    latest = archive.editions[-1] if archive.editions else None
    return render_page(
        env, "search.html", Urls.search, archive=archive, latest=latest,
        options=search_options(articles), total=len(articles),
        fallback_cap=fallback_cap,
        fallback_src=Urls.link(Urls.search, FALLBACK_FILE),
    )


async def _run_pagefind(site: Path) -> int:
    """Index `site`; the number of fragments written (one per page with `data-pagefind-body`)."""
    config = IndexConfig(output_path=str(site / PAGEFIND_DIR), exclude_selectors=list(EXCLUDE))
    async with PagefindIndex(config=config) as index:
        # Only pages with `data-pagefind-body` (the articles) are indexed.
        await index.add_directory(str(site), glob="**/*.html")
    return len(list((site / PAGEFIND_DIR / "fragment").glob("*.pf_fragment")))


def index_site(site: Path, articles: list[Article]) -> int:
    """Run Pagefind over `site`, writing `site/pagefind/`; the number of pages indexed.

    Every article page has `data-pagefind-body`, so Pagefind skips all other pages and
    writes one fragment per article: any other count is an error.
    """
    try:
        # A thread of its own: the caller may already run an event loop (Playwright, a server).
        with ThreadPoolExecutor(max_workers=1) as pool:
            count = pool.submit(asyncio.run, _run_pagefind(site)).result()
    except Exception as exc:  # the service raises plain Exceptions with its message
        raise SearchIndexError(f"pagefind failed on {site}: {exc}") from exc
    if count != len(articles) or not (site / PAGEFIND_DIR / "pagefind.js").is_file():
        raise SearchIndexError(
            f"pagefind indexed {count} pages but the site has {len(articles)} articles")
    return count


class SearchStep:
    """The post-render step; `report` holds the numbers of the last run."""

    def __init__(self, content_dir: Path, theme: str = "default",
                 themes_root: Path = THEMES_ROOT, *, quiet: bool = False,
                 fallback_cap: int = FALLBACK_CAP) -> None:
        self.content_dir = content_dir
        self.theme = theme
        self.themes_root = themes_root
        self.quiet = quiet
        self.fallback_cap = fallback_cap
        self.report: SearchReport | None = None

    # The files this step writes: the build keeps them for it and never deletes them.
    owns = (PAGEFIND_DIR + "/", "search/")

    def __call__(self, site: Path) -> None:
        started = time.perf_counter()
        articles, problems = read_content(self.content_dir)
        errors = [p for p in problems if p.severity == "error"]
        if errors:  # the build has checked already; content changed under us
            raise SearchIndexError("; ".join(str(p) for p in errors))
        page = render_search_page(self.content_dir, self.theme, self.themes_root, articles,
                                  self.fallback_cap)
        # The staging folder may hold hard links to the live site: replace files, never
        # write through them.
        target = site / Urls.search
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(target, page)
        fallback = fallback_script(articles, self.fallback_cap)
        write_file(site / FALLBACK_FILE, fallback)
        shutil.rmtree(site / PAGEFIND_DIR, ignore_errors=True)

        indexed = index_site(site, articles)
        size, files = folder_size(site / PAGEFIND_DIR)
        self.report = SearchReport(
            articles=len(articles), pages_indexed=indexed, pagefind_bytes=size,
            pagefind_files=files, fallback_bytes=len(fallback.encode("utf-8")),
            fallback_articles=min(len(articles), self.fallback_cap),
            seconds=round(time.perf_counter() - started, 3),
        )
        if not self.quiet:
            print(self.report, file=sys.stderr, flush=True)


def post_render_step(content_dir: Path, theme: str = "default",
                     themes_root: Path = THEMES_ROOT) -> Callable[[Path], None]:
    """The function `build_site` calls on the staging folder: search page, Pagefind, fallback."""
    return SearchStep(content_dir, theme, themes_root)
