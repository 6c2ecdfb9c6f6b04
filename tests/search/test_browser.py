"""The search page in Chromium, from file:// (a copy on a USB stick) and over http on
127.0.0.1: the same index files, the same results. What a search must find is taken from the
articles themselves, or from the Python reading of the index (`query.search`) for order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from site_builder.search.index import search_doc
from site_builder.search.query import Query
from site_builder.search.query import search as reference
from site_builder.search.text import fold, searchable
from site_builder.urls import Urls
from tests.search.conftest import ARTIFACTS, OLDEST_PHRASE, SearchSite

COLUMN = "非凡十年·工会篇"


def containing(site: SearchSite, needle: str) -> set[str]:
    """The links (from the search page) of the articles whose headline or body hold `needle`."""
    found = set()
    for article in site.articles:
        doc = search_doc(article)
        if fold(needle) in fold(searchable(doc.kicker, doc.title, doc.subtitle, doc.text)):
            found.add("../" + doc.url)
    return found


def expected(site: SearchSite, query: Query) -> list[str]:
    return ["../" + url for url in reference(lambda path: (site.root / path).read_bytes(), query)]


@pytest.fixture(params=["http", "file"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def base(mode: str, search_site: SearchSite, request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("search_http")) if mode == "http" else search_site.root.as_uri() + "/"


@pytest.fixture
def archive_base(mode: str, archive_site: SearchSite, request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("archive_http")) if mode == "http" else archive_site.root.as_uri() + "/"


@pytest.fixture
def page(browser: Any, mode: str) -> Iterator[Any]:
    """A page whose console errors and requests are checked at teardown: none leaves the site."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    # (The site has no favicon yet: Chromium's own /favicon.ico request over http is no error of the page.)
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error"
          and not m.location.get("url", "").endswith("/favicon.ico") else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("request", lambda r: requests.append(r.url))
    yield pg
    context.close()
    assert errors == []
    for url in requests:
        parts = urlsplit(url)
        assert parts.scheme == "file" if mode == "file" else parts.hostname == "127.0.0.1", url


def search(page: Any, base: str, query: str = "", **params: str) -> list[dict[str, str]]:
    args = [f"q={quote(query)}"] + [f"{k}={quote(v)}" for k, v in params.items()]
    page.goto(f"{base}search/index.html?{'&'.join(args)}")
    return results(page)


def results(page: Any) -> list[dict[str, str]]:
    """The results shown (the page's search finished)."""
    page.wait_for_selector("body[data-search-state=done]")
    items: list[dict[str, str]] = page.eval_on_selector_all(".search-result", """els => els.map(e => ({
        href: e.querySelector('a').getAttribute('href'), date: e.dataset.date,
        province: e.dataset.province, kind: e.dataset.kind, column: e.dataset.column,
        kicker: (e.querySelector('.kicker') || {}).textContent || '',
        meta: e.querySelector('.item-date').textContent,
        title: e.querySelector('.item-title').textContent,
        marks: [...e.querySelectorAll('mark')].map(m => m.textContent).join('|')}))""")
    return items


def every_page(page: Any) -> list[dict[str, str]]:
    """The results of every page, following 下一页 (the URL says which page)."""
    found = results(page)
    n = int(parse_qs(urlsplit(page.url).query).get("page", ["1"])[0])
    while page.is_visible(".search-next"):
        n += 1
        page.click(".search-next")
        page.wait_for_url(f"**page={n}**")
        found += results(page)
    return found


def test_mode_is_stated_the_same_way_from_file_and_http(page: Any, base: str, search_site: SearchSite) -> None:
    search(page, base, "工会")
    assert page.text_content("#search-mode") == (
        f"逐字全文检索，覆盖全部 {len(search_site.articles)} 篇稿件（2022年8月16日至2023年10月31日）；"
        "从本地文件打开与在线访问结果相同。")


def test_gonghui_finds_every_article_that_holds_it(page: Any, base: str, search_site: SearchSite) -> None:
    found = search(page, base, "工会")
    want = containing(search_site, "工会")
    assert len(want) >= 10
    assert [r["href"] for r in found] == expected(search_site, Query("工会"))[:20]
    assert set(r["href"] for r in every_page(page)) == want
    assert all("工会" in r["marks"] for r in found)
    assert f"找到 {len(want)} 篇" in page.text_content("#search-status")
    page.click(".search-result a")
    assert page.locator("article.story").count() == 1


def test_kicker_and_title_shown(page: Any, base: str, search_site: SearchSite) -> None:
    with_kicker = {Urls.link(Urls.search, Urls.article(a)): a for a in search_site.articles
                   if a.kicker and "温州" in a.kicker + a.title + a.body}
    assert with_kicker
    shown = {r["href"]: r for r in search(page, base, "温州")}
    for href, article in with_kicker.items():
        assert (shown[href]["kicker"], shown[href]["title"]) == (article.kicker, article.title)
        date = f"{article.date.year}年{article.date.month}月{article.date.day}日"
        assert shown[href]["meta"] == " · ".join(p for p in (date, article.province) if p)


def test_province_filter_narrows_and_back_restores(page: Any, base: str, search_site: SearchSite) -> None:
    everything = every_page(page) if search(page, base, "职工") else []
    province = "北京"
    page.goto(f"{base}search/index.html?q={quote('职工')}")
    results(page)
    page.select_option("#search-province", province)
    page.wait_for_url(f"**province={quote(province)}**")
    narrowed = results(page)
    assert 0 < len(narrowed) < len(everything)
    assert [r["href"] for r in narrowed] == expected(search_site, Query("职工", province=province))
    assert {r["province"] for r in narrowed} == {province}
    page.go_back()
    assert page.input_value("#search-province") == ""
    assert [r["href"] for r in results(page)] == [r["href"] for r in everything[:20]]


def test_month_column_and_date_range(page: Any, base: str, search_site: SearchSite) -> None:
    sept = search(page, base, "职工", month="09")
    assert sept and [r["href"] for r in sept] == expected(search_site, Query("职工", month="09"))
    assert page.input_value("#search-month") == "09"
    column = search(page, base, "", column=COLUMN)
    assert column and {r["column"] for r in column} == {COLUMN}
    assert {r["href"] for r in column} == {Urls.link(Urls.search, Urls.article(a))
                                           for a in search_site.articles if a.column == COLUMN}
    ranged = search(page, base, "工会", **{"from": "2022-08-17", "to": "2023-10-31"})
    assert ranged and all("2022-08-17" <= r["date"] <= "2023-10-31" for r in ranged)
    assert [r["href"] for r in ranged] == expected(search_site, Query("工会", start="2022-08-17", end="2023-10-31"))
    assert (page.input_value("#search-from"), page.input_value("#search-to")) == ("2022-08-17", "2023-10-31")


def test_date_from_the_form(page: Any, base: str) -> None:
    search(page, base, "工会")
    page.fill("#search-from", "2023-10-01")
    page.wait_for_url("**from=2023-10-01**")
    found = results(page)
    assert found and {r["date"] for r in found} == {"2023-10-31"}


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_sort_by_date(page: Any, base: str, sort: str) -> None:
    dates = [r["date"] for r in search(page, base, "职工", sort=sort)]
    assert len(set(dates)) > 1
    assert dates == sorted(dates, reverse=sort == "newest")
    assert page.input_value("#search-sort") == sort


@pytest.mark.parametrize("query", ["赖志凯", "12351", "俱乐", "雄安", "温州市总工会"])
def test_names_numbers_and_runs_inside_words_are_found(page: Any, base: str, query: str,
                                                       search_site: SearchSite) -> None:
    want = containing(search_site, query)
    assert want
    assert {r["href"] for r in search(page, base, query)} == want
    assert "至少" not in page.text_content("#search-status")  # few candidates: all checked, counted exactly


def test_one_character_alone_is_not_searched(page: Any, base: str) -> None:
    assert search(page, base, "工") == []
    assert "至少要有两个连续的字" in page.text_content("#search-status")


def test_the_oldest_and_the_newest_article_of_an_archive(page: Any, archive_base: str,
                                                         archive_site: SearchSite) -> None:
    oldest, newest = archive_site.articles[0], archive_site.articles[-1]
    link = lambda a: Urls.link(Urls.search, Urls.article(a))  # noqa: E731
    only = search(page, archive_base, OLDEST_PHRASE)
    assert [r["href"] for r in only] == [link(oldest)] and containing(archive_site, OLDEST_PHRASE) == {link(oldest)}
    # Its date, 版面 and province under the title.
    assert only[0]["meta"] == f"{oldest.date.year}年{oldest.date.month}月{oldest.date.day}日 · " \
        f"第{oldest.page}版 {oldest.page_name} · {oldest.province}"
    assert search(page, archive_base, "本报", sort="oldest")[0]["href"] == link(oldest)
    assert search(page, archive_base, "本报", sort="newest")[0]["href"] == link(newest)
    assert search(page, archive_base, "", year=str(newest.date.year))[0]["href"] == link(newest)


def test_pages_of_twenty_back_button_and_url_round_trip(page: Any, archive_base: str,
                                                        archive_site: SearchSite) -> None:
    query = Query("职工", year="2022", sort="oldest")
    want = expected(archive_site, query)
    assert len(want) > 40
    first = search(page, archive_base, "职工", year="2022", sort="oldest")
    assert [r["href"] for r in first] == want[:20]
    assert f"找到 {len(want)} 篇" in page.text_content("#search-status")
    page.click(".search-next")
    page.wait_for_url("**page=2**")
    assert [r["href"] for r in results(page)] == want[20:40]
    assert page.text_content(".search-page-number").startswith("第 2 页")
    page.go_back()
    assert [r["href"] for r in results(page)] == want[:20]
    # The URL of page 3 opened afresh: the form shows its query and filters.
    page.goto(f"{archive_base}search/index.html?q={quote('职工')}&year=2022&sort=oldest&page=3")
    assert [r["href"] for r in results(page)] == want[40:60]
    assert (page.input_value("#search-q"), page.input_value("#search-year"),
            page.input_value("#search-sort")) == ("职工", "2022", "oldest")
    assert [r["href"] for r in every_page(page)] == want[40:]


def test_a_longer_word_is_checked_page_by_page(page: Any, archive_base: str, archive_site: SearchSite) -> None:
    want = expected(archive_site, Query("工会组织"))
    assert len(want) > 40
    found = search(page, archive_base, "工会组织")
    assert [r["href"] for r in found] == want[:20]
    status = page.text_content("#search-status")
    assert "找到至少" in status and "候选稿件" in status
    assert [r["href"] for r in every_page(page)] == want
    assert f"找到 {len(want)} 篇" in page.text_content("#search-status")


def test_screenshots(browser: Any, search_http: str, search_site: SearchSite) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, root, width in [("http", search_http, 390), ("http", search_http, 1280),
                              ("file", search_site.root.as_uri() + "/", 390)]:
        context = browser.new_context(viewport={"width": width, "height": 900})
        pg = context.new_page()
        pg.goto(f"{root}search/index.html?q={quote('工会')}&province={quote('北京')}")
        pg.wait_for_selector("body[data-search-state=done]")
        pg.screenshot(path=str(ARTIFACTS / f"search-{name}-{width}.png"), full_page=False)
        context.close()
