"""Reading the site in Chromium: navigation, no errors, no outside request, axe, screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from site_builder.site.pipeline import BuildReport
from tests.browser.conftest import ARTIFACTS, AXE

ICONS = ("/favicon.ico", "/static/favicon.svg")


@dataclass
class Watch:
    """Everything that went wrong while a page was open."""

    problems: list[str] = field(default_factory=list)


def open_page(browser: Any, width: int = 1280, dark: bool = False, *, axe: bool = False) -> tuple[Any, Watch]:
    # axe is injected as an inline script, which the site's Content-Security-Policy refuses:
    # the accessibility check alone runs with the policy bypassed (tests/safety/test_csp.py checks it).
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme="dark" if dark else "light",
        locale="zh-CN", bypass_csp=axe,
    )
    page = context.new_page()
    watch = Watch()

    def on_request(route: Any) -> None:
        url = urlsplit(route.request.url)
        if url.scheme == "file" or url.hostname == "127.0.0.1":
            route.continue_()
        else:
            watch.problems.append(f"request to another host: {route.request.url}")
            route.abort()

    page.route("**/*", on_request)
    page.on("console", lambda m: m.type == "error" and watch.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: watch.problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: _cut_short_icon(r) or watch.problems.append(f"failed: {r.url} {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and watch.problems.append(f"{r.status}: {r.url}"))
    return page, watch


def _cut_short_icon(request: Any) -> bool:
    """The browser fetches a page's icon last, on its own: following a link before it came
    cancels it (net::ERR_ABORTED), which is no fault of the page. Any other failure is."""
    return bool(request.failure == "net::ERR_ABORTED" and urlsplit(request.url).path.endswith(ICONS))


def axe_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations'], preload: false})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture(params=["file", "http"])
def root_url(request: pytest.FixtureRequest, site: Path) -> Iterator[str]:
    if request.param == "file":
        yield site.as_uri() + "/"
    else:
        yield request.getfixturevalue("http_root")


def test_home_edition_article_province_and_back(browser: Any, root_url: str) -> None:
    page, watch = open_page(browser)
    page.goto(root_url + "index.html")
    assert page.title() == "工人日报数字版"
    page.click(".front .edition-title a")
    assert page.url.endswith("2023/10/31/index.html")
    assert page.locator("h1").inner_text().startswith("2023年10月31日")
    page.click("text=工会文化大餐火出圈的背后……")
    assert page.url.endswith("2023/10/31/20231031-3f9a2c1e.html")
    assert page.locator("h1.story-title").inner_text() == "工会文化大餐火出圈的背后……"
    assert page.locator(".summary").is_visible()
    page.click("a.province")
    assert page.url.endswith("region/zhejiang/index.html")
    assert page.locator("h1").inner_text() == "浙江"
    page.go_back()
    assert page.url.endswith("2023/10/31/20231031-3f9a2c1e.html")
    page.click("text=返回本期")
    assert page.url.endswith("2023/10/31/index.html")
    page.click("a[rel=prev]")
    assert page.url.endswith("2022/09/16/index.html")
    page.click("nav.site-nav >> text=地区")
    page.click("svg a[aria-label^='贵州']")
    assert page.url.endswith("region/guizhou/index.html")
    assert watch.problems == []
    page.context.close()


PAGES = {
    "home": "index.html",
    "edition": "2022/08/16/index.html",
    "article": "2022/09/16/20220916-2a7c9e01.html",
    "photo": "2023/10/31/20231031-8a2d5f60.html",
    "regions": "region/index.html",
    "archive": "archive/index.html",
    "author": "authors/index.html",
}


@pytest.mark.parametrize("theme", ["default", "broadsheet"])
@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_and_accessibility(
    browser: Any, built_sites: dict[str, tuple[Path, BuildReport]], theme: str, width: int
) -> None:
    site = built_sites[theme][0]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    failures = []
    for dark in (False, True):
        page, watch = open_page(browser, width, dark, axe=True)
        shots = [n for n in PAGES if not dark or n in ("home", "article", "regions")]
        failures += check_pages(page, {n: site / p for n, p in PAGES.items()}, shots, f"{theme}-", width, dark)
        failures += watch.problems
        page.context.close()
    assert not failures, "\n".join(failures)


def check_pages(page: Any, pages: dict[str, Path], shots: list[str], prefix: str, width: int, dark: bool) -> list[str]:
    """Open each page: a screenshot of those in `shots`, axe's serious violations, and
    whether it is wider than the window."""
    failures = []
    for name, path in pages.items():
        page.goto(path.as_uri())
        if name in shots:
            shot = f"{prefix}{name}-{width}{'-dark' if dark else ''}.png"
            page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
        failures += [f"{name}{' dark' if dark else ''}: {v}" for v in axe_violations(page)]
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            failures.append(f"{name}: page is {overflow}px wider than the {width}px window")
    return failures
