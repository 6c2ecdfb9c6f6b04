"""The Content-Security-Policy in Chromium: the site's own pages break none of it, from http
and file://, while a script injected into a page would be refused.

A page records every `securitypolicyviolation` event from its first instant (an init script,
which the policy does not govern), every dialog, and `window.__pwned`, which each attack in
tests/safety/hostile.py sets if it runs.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from site_builder.site.serve import serving
from site_builder.urls import Urls
from tests.safety.conftest import HostileSite
from tests.safety.hostile import LONG, MAIN, SCRIPT, WIDTH

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.effectiveDirective + ' ' + (e.blockedURI || 'inline'));
});
"""

PAGES = {
    "home": Urls.home,
    "edition": "2023/10/31/index.html",
    "article": Urls.article(MAIN),
    "long article": Urls.article(LONG),
    "notice": Urls.article(WIDTH),
    "photo": "2023/10/31/20231031-8a2d5f60.html",
    "regions": Urls.regions,
    "region": Urls.region("浙江"),
    "archive": Urls.archive,
    "authors": Urls.authors,
    "author": Urls.author(SCRIPT),
    "about": Urls.about,
    "404": Urls.not_found,
    "search": f"{Urls.search}?q={quote('工会')}",
    "search hostile": f"{Urls.search}?q={quote('<script>')}",
}


class Watched:
    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.console.append(str(e)))

        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        self.page.on("dialog", on_dialog)

    def open(self, url: str) -> dict[str, Any]:
        self.page.goto(url)
        if "search/index.html" in url:
            self.page.wait_for_selector("body[data-search-state=done]")
        self.page.wait_for_load_state("load")
        return dict(self.page.evaluate("({csp: window.__csp, pwned: window.__pwned === undefined ? null"
                                       " : String(window.__pwned)})"))


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    w = Watched(browser)
    yield w
    w.context.close()


@pytest.fixture(params=["http", "file"])
def root(request: pytest.FixtureRequest, hostile_site: HostileSite) -> str:
    if request.param == "http":
        return str(request.getfixturevalue("hostile_http"))
    return hostile_site.root.as_uri() + "/"


def test_every_page_kind_keeps_the_policy_and_runs_nothing(watched: Watched, root: str) -> None:
    failures = []
    for name, path in PAGES.items():
        state = watched.open(root + path)
        if state["csp"] or state["pwned"] is not None:
            failures.append(f"{name}: {state}")
    failures += [f"console: {m}" for m in watched.console if "Content Security Policy" in m or "__pwned" in m]
    failures += [f"dialog: {d}" for d in watched.dialogs]
    assert not failures, "\n".join(failures)
    # The search page did search: results shown as text, the hostile title among them.
    watched.open(root + PAGES["search hostile"])
    titles = watched.page.locator(".search-result .item-title").all_inner_texts()
    assert MAIN.title in titles, titles


def test_every_page_carries_the_policy(hostile_site: HostileSite) -> None:
    for page in hostile_site.root.rglob("*.html"):
        head = page.read_text("utf-8").split("</head>", 1)[0]
        assert '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src \'self\'' \
            in head, page
        # No WebAssembly, no eval: the search page's index is plain scripts.
        assert "unsafe" not in head, page


def test_links_from_content_never_have_a_script_scheme(watched: Watched, root: str) -> None:
    """As Chromium parses them (entities, newlines, case): every link of the body is a plain one."""
    watched.open(root + Urls.article(MAIN))
    schemes = watched.page.evaluate(
        "Array.from(document.querySelectorAll('.story-body a')).map(a => new URL(a.href).protocol)")
    assert schemes and set(schemes) <= {"http:", "https:", "file:"}, schemes
    watched.page.click(".story-body a")
    assert watched.page.evaluate("window.__pwned === undefined")


def test_search_runs_under_the_policy_from_file_and_http(watched: Watched, hostile_site: HostileSite,
                                                        hostile_http: str) -> None:
    """The search page loads its index as scripts of the site: nothing the policy blocks."""
    for root in (hostile_site.root.as_uri() + "/", hostile_http):
        state = watched.open(root + PAGES["search"])
        assert state == {"csp": [], "pwned": None}
        assert watched.page.locator(".search-result").count() > 0


INJECTED = """
<script>window.__pwned = 'inline script';</script>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload="window.__pwned = 'onload'" alt="">
<img src="missing.png" onerror="window.__pwned = 'onerror'" alt="">
<a id="js-link" href="javascript:window.__pwned = 'javascript: link'">链接</a>
<p id="styled" style="display: none">样式</p>
<style>#injected-style-target { display: none; }</style>
<p id="injected-style-target">内联样式表</p>
<script src="data:text/javascript,window.__pwned='data script'"></script>
<object data="data:text/html,<script>parent.__pwned='object'</script>"></object>
"""


@pytest.fixture
def injected_root(tmp_path: Path, site: Path, request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """A copy of the fixture site with attacks written straight into an article page."""
    root = tmp_path / "public"
    shutil.copytree(site, root)
    page = root / "2023/10/31/20231031-3f9a2c1e.html"
    html = page.read_text("utf-8")
    page.write_text(html.replace('<div class="story-body">', '<div class="story-body">' + INJECTED), "utf-8")
    with serving(root) as url:
        yield {"file": page.as_uri(), "http": f"{url}2023/10/31/{page.name}"}


@pytest.mark.parametrize("mode", ["http", "file"])
def test_a_script_injected_into_a_page_does_not_run(watched: Watched, injected_root: dict[str, str],
                                                     mode: str) -> None:
    state = watched.open(injected_root[mode])
    watched.page.click("#js-link")
    watched.page.wait_for_timeout(100)
    pwned = watched.page.evaluate("window.__pwned === undefined ? null : window.__pwned")
    assert pwned is None and state["pwned"] is None and watched.dialogs == []
    refused = " ".join(watched.page.evaluate("window.__csp"))
    for directive in ("script-src-elem", "script-src-attr", "style-src-attr", "style-src-elem", "object-src"):
        assert directive in refused, refused
    assert watched.page.is_visible("#styled") and watched.page.is_visible("#injected-style-target")
