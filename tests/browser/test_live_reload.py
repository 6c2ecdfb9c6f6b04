"""`serve` in Chromium: an open page reloads itself after a save, shows a broken file's
messages over the page (as text, under the page's Content-Security-Policy) and reloads once
the file is fixed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.site.previewing import ARTICLE, TITLE, edit, running_preview

WAIT_MS = 30_000
# A front-matter key that is markup: its message must show as text, not become an element.
BAD_KEY = '"<img id=injected src=x>": 1'


def test_an_open_page_reloads_after_a_save_and_shows_a_failed_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser: Any) -> None:
    from playwright.sync_api import expect

    with running_preview(tmp_path, monkeypatch) as running:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        problems: list[str] = []
        # (Chromium asks for /favicon.ico by itself; the site has none.)
        page.on("console", lambda m: m.type in ("error", "warning") and not m.location["url"].endswith("/favicon.ico")
                and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
        url = f"{running.preview.root}{ARTICLE}.html"
        page.goto(url)
        heading = page.locator("h1")
        expect(heading).to_contain_text("工会文化大餐火出圈的背后")

        def mark() -> None:  # gone once the page has reloaded
            page.evaluate("window.__unreloaded = true")

        def reloaded() -> None:
            page.wait_for_function("() => window.__unreloaded === undefined", timeout=WAIT_MS)

        mark()
        edit(running.article, TITLE, "title: 工会文化大餐为何火出圈")
        reloaded()
        expect(heading).to_contain_text("工会文化大餐为何火出圈")

        mark()
        edit(running.article, "title: 工会文化大餐为何火出圈", f"{BAD_KEY}\ntitle: 工会文化大餐为何火出圈")
        overlay = page.locator("#serve-overlay")
        expect(overlay).to_contain_text("unknown key '<img id=injected src=x>'", timeout=WAIT_MS)
        expect(overlay).to_contain_text(f"{running.article}:4:")
        expect(overlay).to_contain_text("构建失败")
        assert page.locator("#injected").count() == 0
        # Styled (through the CSSOM, which the policy allows): over the page, not after it.
        assert overlay.evaluate("e => getComputedStyle(e).position") == "fixed"
        expect(heading).to_contain_text("工会文化大餐为何火出圈")  # the last good page, still served
        assert page.evaluate("window.__unreloaded") is True

        edit(running.article, f"{BAD_KEY}\ntitle: 工会文化大餐为何火出圈", "title: 工会文化大餐，火出圈")
        reloaded()
        expect(heading).to_contain_text("工会文化大餐，火出圈")
        expect(overlay).to_have_count(0)
        context.close()
    # The script and its event stream ran under the page's policy: nothing was refused.
    assert problems == []
