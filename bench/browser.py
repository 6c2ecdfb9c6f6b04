"""Time to first search results in Chromium, and the bytes a reader downloads for them.

The built site is served on 127.0.0.1 (a free port); a fresh browser context (empty cache)
opens `search/index.html?q=工会`. The page's own Resource Timing gives every response's
transfer size and end time; the moment the first `.search-result` is in the DOM is taken
on the next animation frame. Bytes are those of the page and every response that ended
before that moment.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from site_builder.site.serve import serving

CHROMIUM = Path("/usr/bin/chromium")
QUERY = "工会"

_FIRST_RESULT = """() => {
  if (!document.querySelector('.search-result')) return false;
  window.__firstResult = window.__firstResult || performance.now();
  return true;
}"""
_BYTES_BEFORE = """(t) => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource').filter(e => e.responseEnd <= t);
  const notice = document.getElementById('search-notice');
  return [nav.transferSize + res.reduce((s, e) => s + e.transferSize, 0), res.length + 1,
          document.querySelectorAll('.search-result').length, !!notice && !notice.hidden];
}"""


@dataclass(frozen=True)
class FirstQuery:
    query: str
    seconds: tuple[float, ...]  # per run: navigation start → first result shown
    bytes: int  # downloaded until then (first run; the others are the same)
    requests: int
    results: int  # results on the first screen
    fell_back: bool = False  # in some run the page could not load Pagefind and searched its offline index

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def available() -> str | None:
    """None when Chromium and Playwright are there, else why not."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing"
    return None


def first_query(site: Path, repeat: int, query: str = QUERY, timeout_ms: int = 120_000) -> FirstQuery:
    from playwright.sync_api import sync_playwright

    seconds: list[float] = []
    measured: list[Any] = []
    with serving(site) as root, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            for _ in range(repeat):
                context = browser.new_context()
                page = context.new_page()
                page.add_init_script("performance.setResourceTimingBufferSize(10000)")
                page.goto(f"{root}search/index.html?q={quote(query)}", wait_until="commit")
                page.wait_for_function(_FIRST_RESULT, polling="raf", timeout=timeout_ms)
                shown = float(page.evaluate("window.__firstResult"))
                seconds.append(round(shown / 1000, 3))
                measured.append(page.evaluate(_BYTES_BEFORE, shown))
                context.close()
        finally:
            browser.close()
    size, requests, results, _ = measured[0]
    return FirstQuery(query, tuple(seconds), int(size), int(requests), int(results),
                      fell_back=any(bool(m[3]) for m in measured))
