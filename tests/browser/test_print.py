"""An article printed on A4 in headless Chromium: no navigation, the headline hierarchy kept,
its source and link at the foot. The PDF and a PNG of its first page go to
test-artifacts/print/ for a person to look at."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from site_builder.site.pipeline import BuildReport
from tests.browser.conftest import ARTIFACTS

PRINTS = ARTIFACTS.parent / "print"
ARTICLE = "2023/10/31/20231031-3f9a2c1e.html"
HIDDEN = (".site-header", ".site-nav", ".site-footer", ".crumbs", ".pager", ".search", ".cite-files")


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} is missing on CI (apt-get install poppler-utils)")
        pytest.skip(f"{tool} (poppler-utils) is needed")
    return path


def _print_media(browser: Any, url: str) -> Any:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(url)
    page.emulate_media(media="print")
    return page


@pytest.mark.parametrize("theme", ["default", "broadsheet"])
def test_print_styles_hide_navigation_and_keep_the_hierarchy(
    browser: Any, built_sites: dict[str, tuple[Path, BuildReport]], theme: str,
) -> None:
    page = _print_media(browser, (built_sites[theme][0] / ARTICLE).as_uri())
    try:
        for selector in HIDDEN:
            shown = page.eval_on_selector_all(
                selector, "els => els.filter(e => getComputedStyle(e).display !== 'none').length")
            assert shown == 0, f"{theme}: {selector} is printed"
        size = page.evaluate("s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)", ".story-title")
        kicker = page.evaluate("s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)", ".kicker")
        body = page.evaluate("s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)", ".story-body p")
        assert size > kicker >= body
        assert page.is_visible(".provenance") and page.is_visible(".permalink") and page.is_visible(".citation")
        colour = page.evaluate("getComputedStyle(document.body).color")
        assert colour == "rgb(0, 0, 0)"
    finally:
        page.context.close()


def test_article_prints_on_a4(browser: Any, site: Path) -> None:
    page = _print_media(browser, (site / ARTICLE).as_uri())
    PRINTS.mkdir(parents=True, exist_ok=True)
    pdf = PRINTS / "article.pdf"
    try:
        page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    finally:
        page.context.close()
    info = subprocess.run([_poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "pts (A4)" in info, info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 1 <= pages <= 4
    text = subprocess.run([_poppler("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    squeezed = "".join(text.split())
    order = [squeezed.index(t) for t in ("温州市总工会建设多元文化服务体系", "工会文化大餐火出圈的背后",
                                         "邹倜然", "阅读提示", "结合职工需求创新文化品牌", "来源",
                                         "000_da4d75aed8247b84.txt", "引用", "2023/10/31/20231031-3f9a2c1e.html")]
    assert order == sorted(order)  # headline hierarchy first, source and link at the foot
    for navigation in ("跳到正文", "往期", "返回本期", "下载引文", "订阅"):
        assert navigation not in squeezed
    # The first page as a picture, for a person to look at.
    subprocess.run([_poppler("pdftoppm"), "-png", "-r", "70", "-f", "1", "-l", "1", str(pdf),
                    str(PRINTS / "article")], check=True)
    assert any(PRINTS.glob("article-1.png"))
