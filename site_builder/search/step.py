"""Search: the search page, the Pagefind index units and the offline fallback, made on staging.

`build_site` writes the search page and the offline index (`search.page`);
`build_site(..., post_render=post_render_step())` then indexes the finished staging folder
before the swap; if Pagefind fails the step raises, the build fails and the live site stays
as it was.

Online (http/https) the page searches `pagefind/<unit>/` (Pagefind plus the substring index
of `grams`, see `units` and `pagefind`); from `file://`, or when those cannot be loaded, it
uses `search/fallback-index.js` (see `offline`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from site_builder.search.offline import FALLBACK_FILE, covered
from site_builder.search.page import PAGEFIND_DIR, search_page_units
from site_builder.search.pagefind import SearchIndexError, UnitIndex, index_units
from site_builder.site.fingerprint import walk_tree

__all__ = ["SearchIndexError", "SearchReport", "SearchStep", "post_render_step"]


@dataclass(frozen=True)
class SearchReport:
    articles: int
    units: tuple[UnitIndex, ...]
    pagefind_bytes: int  # all of pagefind/: library, unit indexes and substring indexes
    gram_bytes: int  # of which the substring indexes
    pagefind_files: int
    fallback_bytes: int
    fallback_articles: int
    seconds: float

    @property
    def pages_indexed(self) -> int:
        return sum(u.pages for u in self.units)

    @property
    def indexed(self) -> tuple[str, ...]:
        """The units indexed by this run (names, oldest first)."""
        return tuple(u.unit.name for u in self.units if not u.reused)

    @property
    def reused(self) -> tuple[str, ...]:
        return tuple(u.unit.name for u in self.units if u.reused)

    def __str__(self) -> str:
        def names(units: tuple[str, ...]) -> str:
            return ", ".join(units) or "none"
        return (f"search: {self.pages_indexed} pages in {len(self.units)} index units "
                f"(indexed: {names(self.indexed)}; reused: {names(self.reused)}); "
                f"pagefind/ {self.pagefind_bytes / 1024:.0f} KiB in {self.pagefind_files} files "
                f"(substring index {self.gram_bytes / 1024:.0f} KiB); "
                f"offline index {self.fallback_articles}/{self.articles} articles "
                f"({self.fallback_bytes / 1024:.0f} KiB) in {self.seconds:.2f}s")


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) under `folder`."""
    sizes = [entry.stat(follow_symlinks=False).st_size
             for _, entry in walk_tree(str(folder)) if entry.is_file(follow_symlinks=False)]
    return sum(sizes), len(sizes)


class SearchStep:
    """The post-render step; `report` holds the numbers of the last run.

    `previous`: the live site, whose up-to-date unit indexes are hard-linked into staging
    when staging has none (a no-op once staging starts as a linked copy of the live site).
    """

    # What this step writes: the build keeps these files for it (in the manifest, linked
    # into staging) and never deletes them itself.
    owns = (PAGEFIND_DIR + "/",)

    def __init__(self, *, quiet: bool = False, previous: Path | None = None) -> None:
        self.quiet = quiet
        self.previous = previous
        self.report: SearchReport | None = None

    def __call__(self, site: Path) -> None:
        started = time.perf_counter()
        units = index_units(site, self.previous)
        listed = search_page_units(site)
        if listed != [u.unit.name for u in units]:
            raise SearchIndexError(f"the search page lists the index units {listed}, "
                                   f"the site has {[u.unit.name for u in units]}")
        size, files = folder_size(site / PAGEFIND_DIR)
        fallback = site / FALLBACK_FILE
        script = fallback.read_text(encoding="utf-8") if fallback.is_file() else ""
        self.report = SearchReport(
            articles=sum(u.pages for u in units), units=tuple(units), pagefind_bytes=size,
            gram_bytes=sum(u.gram_bytes for u in units), pagefind_files=files,
            fallback_bytes=len(script.encode("utf-8")), fallback_articles=covered(script),
            seconds=round(time.perf_counter() - started, 3),
        )
        if not self.quiet:
            print(self.report, file=sys.stderr, flush=True)


def post_render_step(previous: Path | None = None) -> Callable[[Path], None]:
    """The function `build_site` calls on the staging folder: the unit indexes."""
    return SearchStep(previous=previous)
