"""往年今日, 相关报道 and the coverage heat map in Chromium: they show, lead where they say,
fit a phone, pass axe, in both themes, light and dark (screenshots in test-artifacts/)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from site_builder.site.pipeline import build_site
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_browse import check_pages, open_page
from tests.conftest import FIXTURE_CONTENT
from tests.site.test_reader_pages import BEIJING_2023, EARLIER_TITLE, with_past_year

PAGES = {"edition": "2022/08/16/index.html", "article": f"{BEIJING_2023}.html", "regions": "region/index.html"}


@pytest.fixture(scope="module")
def reader_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    content = tmp_path_factory.mktemp("reader-browser") / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    with_past_year(content)
    sites = {}
    for theme in ("default", "broadsheet"):
        sites[theme] = content.parent / f"public-{theme}"
        build_site(content, sites[theme], theme)
    return sites


def test_the_sections_lead_to_their_pages(browser: Any, reader_sites: dict[str, Path]) -> None:
    site = reader_sites["default"]
    page, watch = open_page(browser)
    page.goto((site / PAGES["edition"]).as_uri())
    past = page.locator("section.past-years")
    assert past.is_visible() and "头条：" + EARLIER_TITLE in past.inner_text()
    past.locator("a").first.click()
    page.wait_for_load_state()  # (its stylesheet loaded: the next `goto` cancels nothing)
    assert page.url.endswith("2021/08/16/index.html")
    page.goto((site / PAGES["article"]).as_uri())
    related = page.locator("section.related")
    assert related.is_visible() and related.locator("li").count() == 2
    related.locator("a", has_text=EARLIER_TITLE).click()
    page.wait_for_load_state()
    assert page.url.endswith("2021/08/16/20210816-5b1e0c7a.html")
    page.goto((site / PAGES["regions"]).as_uri())
    cell = page.locator("table.heat td.c1 a[title^='浙江 2023年']")
    assert cell.inner_text() == "1"
    cell.click()
    page.wait_for_load_state()
    assert page.url.endswith("region/zhejiang/2023.html")
    assert watch.problems == []
    page.context.close()


@pytest.mark.parametrize("theme", ["default", "broadsheet"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_heat_map_and_sections_fit_and_pass_axe(
        browser: Any, reader_sites: dict[str, Path], theme: str, width: int) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    for dark in (False, True):
        page, watch = open_page(browser, width, dark, axe=True)
        pages = {n: reader_sites[theme] / p for n, p in PAGES.items()}
        failures += check_pages(page, pages, list(PAGES), f"reader-{theme}-", width, dark)  # regions last
        # Colour is a second carrier, never the only one: steps differ, and every count is text.
        colours = page.evaluate("""() => ['c0', 'c1'].map(c =>
            getComputedStyle(document.querySelector('table.heat td.' + c)).backgroundColor)""")
        if colours[0] == colours[1]:
            failures.append(f"steps c0 and c1 have one colour: {colours}")
        texts = page.locator("table.heat tbody td").all_inner_texts()
        if not all(t.strip().isdigit() for t in texts):
            failures.append("a cell without its count")
        failures += watch.problems
        page.context.close()
    assert not failures, "\n".join(failures)
