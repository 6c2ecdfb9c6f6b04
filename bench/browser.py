"""Time to first search results in Chromium, and the bytes read for them.

A fresh browser context (empty cache) opens `search/index.html?q=…` of the built site, from
`file://` (how a USB copy is read) or served on 127.0.0.1; the moment the first
`.search-result` is in the DOM is taken on the next animation frame. The bytes are those of
every file the page asked for until then (the page, its styles and scripts, the index files):
over http the responses' transfer sizes (Resource Timing), from `file://` the files' sizes on
disk (Chromium reports no size for them: the files are those the page added a script,
style sheet or image element for before the first result).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

from site_builder.site.serve import serving

CHROMIUM = Path("/usr/bin/chromium")
QUERY = "工会"
# What `make bench` asks: words of two, three and four characters, common and rare (in the
# synthetic archives: 工会 in 93% of the articles, 邹倜 and 赖志凯 in 0.15%), with filters.
QUERIES: tuple[tuple[str, dict[str, str]], ...] = (
    ("工会", {}), ("邹倜", {}), ("总工会", {}), ("赖志凯", {}), ("工会组织", {}), ("乡村振兴", {}),
    ("工会", {"province": "浙江"}), ("服务职工", {"province": "浙江", "kind": "article"}),
    ("邹倜", {"from": "2015-01-01"}),
)

# Every script, style sheet and image the page adds (the parser's and the index loader's),
# with the time it was added: from file:// Chromium makes no Resource Timing entries.
_WATCH = """window.__added = [];
new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(n => {
  const url = n.src || (n.tagName === 'LINK' && /stylesheet|icon/.test(n.rel) && n.href);
  if (url) window.__added.push([url, performance.now()]);
}))).observe(document, {childList: true, subtree: true});"""
# The first result shown, or the search done without one.
_FIRST_RESULT = """() => {
  if (!document.querySelector('.search-result') && document.body.dataset.searchState !== 'done') return false;
  window.__firstResult = window.__firstResult || performance.now();
  return true;
}"""
_SENT_BEFORE = """(t) => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource').filter(e => e.responseEnd <= t);
  return [nav.transferSize + res.reduce((s, e) => s + e.transferSize, 0), res.map(e => e.name)];
}"""
_ADDED_BEFORE = "(t) => window.__added.filter(a => a[1] <= t).map(a => a[0])"


@dataclass(frozen=True)
class FirstQuery:
    query: str
    filters: str  # as in the URL: "province=浙江"
    mode: str  # "file" or "http"
    seconds: tuple[float, ...]  # per run: navigation start → first result shown
    bytes: int  # read until then (first run; the others are the same)
    requests: int
    results: int  # results on the first screen
    status: str  # what the page says it found

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


def _file_bytes(site: Path, urls: list[str]) -> int:
    """The size on disk of the files of `site` named by these file:// URLs."""
    root = site.resolve()
    return sum((root / Path(unquote(urlsplit(u).path)).relative_to(root)).stat().st_size for u in set(urls))


def first_query(site: Path, repeat: int, query: str = QUERY, filters: dict[str, str] | None = None,
                mode: str = "file", timeout_ms: int = 120_000) -> FirstQuery:
    from playwright.sync_api import sync_playwright

    params = urlencode(filters or {}, quote_via=quote)
    seconds: list[float] = []
    measured: list[Any] = []
    with serving(site) as served, sync_playwright() as p:
        root = site.resolve().as_uri() + "/" if mode == "file" else served
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            for _ in range(repeat):
                context = browser.new_context()
                page = context.new_page()
                page.add_init_script("performance.setResourceTimingBufferSize(100000)")
                page.add_init_script(_WATCH)
                page.goto(f"{root}search/index.html?q={quote(query)}" + (f"&{params}" if params else ""),
                          wait_until="commit")
                page.wait_for_function(_FIRST_RESULT, polling="raf", timeout=timeout_ms)
                shown = float(page.evaluate("window.__firstResult"))
                seconds.append(round(shown / 1000, 3))
                sent, names = page.evaluate(_SENT_BEFORE, shown)
                if mode == "file":
                    names = page.evaluate(_ADDED_BEFORE, shown)
                    sent = _file_bytes(site, [page.url.split("?")[0], *names])
                page.wait_for_selector("body[data-search-state=done]", timeout=timeout_ms)
                measured.append((sent, len(names) + 1, page.locator(".search-result").count(),
                                 page.text_content("#search-status") or ""))
                context.close()
        finally:
            browser.close()
    size, requests, results, status = measured[0]
    return FirstQuery(query, params, mode, tuple(seconds), int(size), int(requests), int(results), status)
