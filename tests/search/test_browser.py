"""The search page in Chromium: the online search over http on 127.0.0.1, the fallback from file://."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from site_builder.search.grams import indexed_pages
from site_builder.search.offline import fallback_script
from site_builder.search.pagefind import unit_names
from site_builder.search.units import unit_named
from site_builder.site.content import read_content
from site_builder.site.serve import serving
from tests.search.conftest import ARTIFACTS, CONTENT, SearchSite

# A run inside the word 俱乐部 that Pagefind alone does not find (the 段简 case); checked below.
PAGEFIND_MISS = "俱乐"
COLUMN = "非凡十年·工会篇"


def _fallback(site: Path) -> list[dict[str, str]]:
    text = (site / "search" / "fallback-index.js").read_text(encoding="utf-8")
    data = json.loads(text.split("window.GRRB_SEARCH = ", 1)[1].rstrip().rstrip(";"))
    return [dict(zip(data["fields"], row, strict=True)) for row in data["articles"]]


def _containing(site: Path, needle: str) -> list[dict[str, str]]:
    """The articles whose headline or body contain `needle`: what a search must find."""
    return [a for a in _fallback(site)
            if needle in "\n".join((a["kicker"], a["title"], a["subtitle"], a["text"]))]


def _urls(rows: list[dict[str, str]]) -> set[str]:
    return {r["url"] for r in rows}


@pytest.fixture(params=["http", "file"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def base(mode: str, search_site: SearchSite, request: pytest.FixtureRequest) -> str:
    if mode == "http":
        return str(request.getfixturevalue("search_http"))
    return search_site.root.as_uri() + "/"


def _watched_page(chromium: Any, mode: str, allowed_errors: tuple[str, ...] = ()) -> Iterator[Any]:
    """A page that records console errors and every request; both are checked at teardown."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    # The site has no favicon yet (base.html, not search): Chromium's automatic
    # /favicon.ico 404 is the one error tolerated.
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error"
          and not m.location.get("url", "").endswith("/favicon.ico") else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield pg
    context.close()
    assert [e for e in errors if not any(a in e for a in allowed_errors)] == []
    for url in requests:
        parts = urlsplit(url)
        if mode == "http":
            assert parts.hostname == "127.0.0.1", url
        else:
            assert parts.scheme == "file", url


@pytest.fixture
def page(chromium: Any, mode: str) -> Iterator[Any]:
    yield from _watched_page(chromium, mode)


def search(page: Any, base: str, query: str = "", **params: str) -> list[dict[str, str]]:
    args = [f"q={quote(query)}"] + [f"{k}={quote(v)}" for k, v in params.items()]
    page.goto(f"{base}search/index.html?{'&'.join(args)}")
    return _results(page)


def _results(page: Any) -> list[dict[str, str]]:
    page.wait_for_selector("body[data-search-state=done]")
    while page.is_visible("#search-more"):
        n = page.locator(".search-result").count()
        page.click("#search-more")
        page.wait_for_function(f"document.querySelectorAll('.search-result').length > {n}")
    items: list[dict[str, str]] = page.eval_on_selector_all(".search-result", """els => els.map(e => ({
        href: e.querySelector('a').getAttribute('href'), date: e.dataset.date,
        province: e.dataset.province, kind: e.dataset.kind, column: e.dataset.column,
        kicker: (e.querySelector('.kicker') || {}).textContent || '',
        title: e.querySelector('.item-title').textContent,
        marks: [...e.querySelectorAll('mark')].map(m => m.textContent).join('|')}))""")
    return items


def test_mode_is_stated(page: Any, base: str, mode: str, search_site: SearchSite) -> None:
    search(page, base, "工会")
    text = page.text_content("#search-mode")
    n = search_site.search.articles
    assert ("Pagefind" in text and f"全部 {n} 篇" in text) if mode == "http" else (f"本地索引收录 {n} 篇" in text)
    assert page.is_hidden("#search-notice")


def test_gonghui_finds_the_articles(page: Any, base: str, search_site: SearchSite) -> None:
    results = search(page, base, "工会")
    expected = _urls(_containing(search_site.root, "工会"))
    assert len(expected) >= 10
    assert {r["href"] for r in results} == expected
    assert all("工会" in r["marks"] for r in results)
    page.click(".search-result a")
    assert page.locator("article.story").count() == 1


def test_kicker_shown_in_results(page: Any, base: str, search_site: SearchSite) -> None:
    with_kicker = [a for a in _containing(search_site.root, "温州") if a["kicker"]]
    assert with_kicker
    results = {r["href"]: r for r in search(page, base, "温州")}
    for article in with_kicker:
        assert results[article["url"]]["kicker"] == article["kicker"]
        assert results[article["url"]]["title"] == article["title"]


def test_province_filter_narrows_and_back_restores(page: Any, base: str, search_site: SearchSite) -> None:
    everything = search(page, base, "工会")
    provinces = [a["province"] for a in _containing(search_site.root, "工会") if a["province"]]
    province = max(set(provinces), key=provinces.count)
    page.select_option("#search-province", province)
    page.wait_for_url(f"**province={quote(province)}**")
    narrowed = _results(page)
    assert 0 < len(narrowed) == provinces.count(province) < len(everything)
    assert {r["province"] for r in narrowed} == {province}
    page.go_back()
    assert page.input_value("#search-province") == ""
    assert len(_results(page)) == len(everything)


def test_month_filter(page: Any, base: str, search_site: SearchSite) -> None:
    expected = _urls([a for a in _containing(search_site.root, "职工") if a["date"][5:7] == "09"])
    everything = search(page, base, "职工")
    results = search(page, base, "职工", month="09")
    assert 0 < len(results) < len(everything)
    assert {r["href"] for r in results} == expected
    assert page.input_value("#search-month") == "09"


def test_column_filter_without_a_query(page: Any, base: str, search_site: SearchSite) -> None:
    expected = _urls([a for a in _fallback(search_site.root) if a["column"] == COLUMN])
    assert expected
    results = search(page, base, "", column=COLUMN)
    assert {r["href"] for r in results} == expected
    assert {r["column"] for r in results} == {COLUMN}
    assert page.input_value("#search-column") == COLUMN


@pytest.mark.parametrize(("start", "end"), [("2022-08-17", "2023-10-31"), ("2022-01-01", "2022-08-16")])
def test_date_range(page: Any, base: str, search_site: SearchSite, start: str, end: str) -> None:
    expected = _urls([a for a in _containing(search_site.root, "工会") if start <= a["date"] <= end])
    results = search(page, base, "工会", **{"from": start, "to": end})
    assert expected and {r["href"] for r in results} == expected
    assert all(start <= r["date"] <= end for r in results)
    assert (page.input_value("#search-from"), page.input_value("#search-to")) == (start, end)


def test_date_range_from_the_form(page: Any, base: str) -> None:
    search(page, base, "工会")
    page.fill("#search-from", "2023-10-01")
    page.wait_for_url("**from=2023-10-01**")
    results = _results(page)
    assert results and {r["date"] for r in results} == {"2023-10-31"}


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_sort_by_date(page: Any, base: str, sort: str) -> None:
    dates = [r["date"] for r in search(page, base, "职工", sort=sort)]
    assert len(set(dates)) > 1
    assert dates == sorted(dates, reverse=sort == "newest")
    assert page.input_value("#search-sort") == sort


@pytest.mark.parametrize("query", ["赖志凯", "12351", PAGEFIND_MISS, "雄安"])
def test_name_number_and_substring_found(page: Any, base: str, query: str,
                                         search_site: SearchSite) -> None:
    expected = _urls(_containing(search_site.root, query))
    assert expected
    found = {r["href"] for r in search(page, base, query)}
    assert expected <= found


@pytest.mark.parametrize("mode", ["http"])
def test_units_in_scope_match_the_indexer(page: Any, base: str) -> None:
    """The page's reading of unit names (search-match.js) is the indexer's (search/units.py),
    and a date filter loads only the units that can hold its pages."""
    names = ["2021", "2022-q1", "2022-q4", "2022-03", "2022-10", "2022-12", "2023"]
    page.goto(f"{base}search/index.html")
    page.wait_for_selector("body[data-search-state=done]")
    months = page.evaluate("names => names.map(n => GrrbMatch.unitMonths(n))", names)
    assert months == [[f"{unit_named(n).year}-{unit_named(n).months[0]:02d}",
                       f"{unit_named(n).year}-{unit_named(n).months[-1]:02d}"] for n in names]
    scopes = {
        "year": ({"year": "2022"}, ["2022-q1", "2022-q4", "2022-03", "2022-10", "2022-12"]),
        "month": ({"month": "03"}, ["2021", "2022-q1", "2022-03", "2023"]),
        "range": ({"from": "2022-03-31", "to": "2022-10-01"}, ["2022-q1", "2022-q4", "2022-03", "2022-10"]),
        "open end": ({"from": "2022-12-02"}, ["2022-q4", "2022-12", "2023"]),
    }
    for name, (params, expected) in scopes.items():
        assert page.evaluate("([names, p]) => GrrbMatch.unitsInScope(names, p)", [names, params]) == expected, name


@pytest.mark.parametrize("mode", ["http"])
def test_a_month_filter_loads_that_month_only(chromium: Any, mode: str, search_http: str,
                                              search_site: SearchSite) -> None:
    fetched: list[str] = []
    for pg in _watched_page(chromium, mode):
        pg.on("request", lambda r: fetched.append(urlsplit(r.url).path))
        results = search(pg, search_http, "工会", year="2022", month="09")
        units = {p.split("/")[2] for p in fetched if p.startswith("/pagefind/")}
        assert units == {"lib", "2022-09"}
        expected = {r["url"] for r in _containing(search_site.root, "工会") if r["date"].startswith("2022-09")}
        assert expected and {r["href"] for r in results} == expected


def _pagefind_alone(page: Any, site: Path, runs: list[str], units: list[str]) -> dict[str, set[str]]:
    """What Pagefind by itself returns for each run: the result pages' URLs."""
    found: dict[str, list[list[str]]] = page.evaluate("""async ([runs, units]) => {
        const engine = new GrrbOnline.Engine(new URL('../pagefind/', location.href).href, units);
        const out = {};
        for (const run of runs) {
          out[run] = [];
          for (const y of units) {
            const st = await engine.unit(y);
            for (const r of (await st.pagefind.search(run)).results) { out[run].push([y, r.id]); }
          }
        }
        return out; }""", [runs, units])
    urls = {(y, p.fragment): "../" + p.url.lstrip("/")
            for y in units for p in indexed_pages(site / "pagefind" / y)}
    return {run: {urls[y, f] for y, f in hits if (y, f) in urls} for run, hits in found.items()}


@pytest.mark.parametrize("mode", ["http"])
def test_runs_pagefind_misses_are_found(page: Any, base: str, search_site: SearchSite) -> None:
    """Two-character runs of real articles that Pagefind alone misses or under-returns: the page
    finds every article containing them."""
    rows = _fallback(search_site.root)
    truth: dict[str, set[str]] = {}
    for row in rows:
        text = "\n".join((row["kicker"], row["title"], row["subtitle"], row["text"]))
        for i in range(len(text) - 1):
            if all("\u4e00" <= c <= "\u9fff" for c in text[i:i + 2]):
                truth.setdefault(text[i:i + 2], set()).add(row["url"])
    sample = sorted(truth)[::40]  # a deterministic spread of ~180 runs
    page.goto(f"{base}search/index.html")
    page.wait_for_selector("body[data-search-state=done]")
    units = unit_names(search_site.root)[::-1]
    alone = _pagefind_alone(page, search_site.root, sample, units)
    none = [r for r in sample if not truth[r] & alone[r]]
    partial = [r for r in sample if truth[r] & alone[r] and truth[r] - alone[r]]
    assert len(none) >= 10 and len(partial) >= 3, (len(none), len(partial))
    print(f"Pagefind alone, {len(sample)} runs: {len(none)} find nothing, {len(partial)} find only some")
    # Every such run through the page's search engine (as the page calls it) …
    found: dict[str, list[str]] = page.evaluate("""async ([runs, units]) => {
        const engine = new GrrbOnline.Engine(new URL('../pagefind/', location.href).href, units);
        const out = {};
        for (const run of runs) {
          const res = await engine.search({q: run});
          out[run] = (await Promise.all(res.loaders.map(load => load()))).filter(Boolean).map(it => it.url);
        }
        return out; }""", [none + partial, units])
    for run in none + partial:
        assert truth[run] <= set(found[run]), run
    # … and a few through the form and the results list.
    for run in [*none[:2], *partial[:2], PAGEFIND_MISS]:
        assert truth[run] <= {r["href"] for r in search(page, base, run)}, run


def test_screenshots(chromium: Any, search_http: str, search_site: SearchSite) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = [("http", search_http, 390), ("http", search_http, 1280),
             ("file", search_site.root.as_uri() + "/", 390)]
    for name, root, width in shots:
        context = chromium.new_context(viewport={"width": width, "height": 900})
        pg = context.new_page()
        pg.goto(f"{root}search/index.html?q={quote('工会')}&province={quote('北京')}")
        pg.wait_for_selector("body[data-search-state=done]")
        pg.screenshot(path=str(ARTIFACTS / f"search-{name}-{width}.png"), full_page=False)
        context.close()


def test_capped_offline_index_says_what_it_covers(chromium: Any, search_site: SearchSite, tmp_path: Path) -> None:
    out = tmp_path / "public"
    shutil.copytree(search_site.root, out, ignore=shutil.ignore_patterns("pagefind"))
    articles, _ = read_content(CONTENT)
    (out / "search" / "fallback-index.js").write_text(fallback_script(articles, cap=5), encoding="utf-8")
    newest = {a["url"] for a in _fallback(out)}
    assert len(newest) == 5
    context = chromium.new_context()
    pg = context.new_page()
    results = search(pg, out.as_uri() + "/", "工会")
    text = pg.text_content("#search-mode")
    search(pg, out.as_uri() + "/", "工会", year="2022")
    status = pg.text_content("#search-status")
    context.close()
    total = len(list(CONTENT.rglob("*.md")))
    assert "本地索引收录 5 篇" in text and f"全站共 {total} 篇" in text and "请通过网站在线检索" in text
    assert results and {r["href"] for r in results} <= newest
    assert "早于离线索引的范围" in status


@pytest.mark.parametrize("mode", ["http"])
def test_online_index_missing_falls_back_with_notice(chromium: Any, mode: str, search_site: SearchSite,
                                                     tmp_path: Path) -> None:
    broken = tmp_path / "site"
    shutil.copytree(search_site.root, broken, ignore=shutil.ignore_patterns("lib"))
    assert not (broken / "pagefind" / "lib").exists()
    with serving(broken) as root:
        for pg in _watched_page(chromium, mode, allowed_errors=("404", "Failed to load resource",
                                                                 "Failed to fetch dynamically imported module")):
            results = search(pg, root, "工会")
            assert pg.is_visible("#search-notice")
            assert "在线检索索引无法载入" in pg.text_content("#search-notice")
            assert "离线索引" in pg.text_content("#search-mode")
            assert {r["href"] for r in results} == _urls(_containing(search_site.root, "工会"))
