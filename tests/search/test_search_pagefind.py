"""Per-year Pagefind indexes: layout, the substring index, keys, and reuse between builds."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections import Counter
from pathlib import Path

from site_builder.build.content import read_content
from site_builder.build.pipeline import build_site
from site_builder.search import SearchStep
from site_builder.search_grams import PAGES_FILE, bigrams, chunk_of, indexed_pages, page_table
from site_builder.search_index import plain_text
from site_builder.search_pagefind import indexed_part, year_key
from site_builder.urls import Urls
from tests.search.conftest import CONTENT, SearchSite


def _grams(folder: Path, name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(gzip.decompress((folder / "grams" / name).read_bytes()))
    return data


def test_one_index_per_year_and_one_library(search_site: SearchSite) -> None:
    root = search_site.root / "pagefind"
    articles, _ = read_content(CONTENT)
    per_year = Counter(str(a.date.year) for a in articles)
    assert sorted(p.name for p in root.iterdir()) == ["2022", "2023", "lib"]
    lib = {p.name for p in (root / "lib").iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind", ".key"} <= lib
    assert not any("-ui" in name for name in lib)
    for year, n in per_year.items():
        names = {p.name for p in (root / year).iterdir()}
        assert {"pagefind-entry.json", "fragment", "index", "grams", ".key"} <= names
        assert not names & {"pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind", "pagefind-ui.js"}
        assert len(list((root / year / "fragment").glob("*.pf_fragment"))) == n
        entry = json.loads((root / year / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == ["zh-cn"]
    assert [y.year for y in search_site.search.years] == [2022, 2023]
    assert search_site.search.pages_indexed == len(articles)


def test_substring_index_lists_every_run_of_every_article(search_site: SearchSite) -> None:
    """Every pair of CJK characters of every headline and body leads to its article."""
    articles, _ = read_content(CONTENT)
    checked = 0
    for year in ("2022", "2023"):
        folder = search_site.root / "pagefind" / year
        table = _grams(folder, PAGES_FILE)
        rows = page_table(table)
        pages = indexed_pages(folder)
        assert [r["fragment"] for r in rows] == [p.fragment for p in pages]
        number = {p.url: n for n, p in enumerate(pages)}
        chunks = {k: _grams(folder, f"c{k}.grams") for k in range(int(str(table["chunks"])))}
        for article in (a for a in articles if str(a.date.year) == year):
            n = number["/" + Urls.article(article)]
            assert rows[n]["province"] == (article.province or "") and rows[n]["kind"] == article.kind
            assert rows[n]["day"] == article.date.month * 100 + article.date.day
            text = "\n".join(filter(None, (article.kicker, article.title, article.subtitle, plain_text(article.body))))
            for gram in bigrams(text):
                deltas = chunks[chunk_of(gram, len(chunks))][gram]
                assert isinstance(deltas, list)
                postings = [sum(deltas[:i + 1]) for i in range(len(deltas))]
                assert n in postings, (article.id, gram)
                checked += 1
    assert checked > 5000


def test_key_follows_the_indexed_text_only(search_site: SearchSite, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(search_site.root / "2022", site / "2022")
    key, pages = year_key(site, 2022)
    assert pages == 18
    page = sorted((site / "2022").rglob("2022*.html"))[0]
    html = page.read_text(encoding="utf-8")
    # The footer names the latest edition: it changes every day, the index must not.
    page.write_text(html.replace("最新一期", "最新一期（更新）"), encoding="utf-8")
    assert year_key(site, 2022) == (key, pages)
    part = indexed_part(html.encode("utf-8")).decode("utf-8")
    assert part.startswith("<article") and part.endswith("</article>") and "最新一期" not in part
    page.write_text(html.replace("</h1>", "（更正）</h1>", 1), encoding="utf-8")
    assert year_key(site, 2022)[0] != key


def _snapshot(folder: Path, into: Path) -> dict[Path, bytes]:
    """Hard-link every file of `folder` into `into` and remember its bytes."""
    saved = {}
    for path in folder.rglob("*"):
        if path.is_file():
            link = into / path.relative_to(folder)
            link.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, link)
            saved[link] = path.read_bytes()
    return saved


def test_unchanged_years_are_reused_and_an_edited_year_reindexed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    out = tmp_path / "public"

    def build() -> tuple[tuple[int, ...], tuple[int, ...]] | None:
        step = SearchStep(quiet=True, previous=out)
        build_site(content, out, post_render=step)
        return (step.report.indexed, step.report.reused) if step.report is not None else None

    assert build() == ((2022, 2023), ())
    saved = _snapshot(out / "pagefind", tmp_path / "before")
    assert build() is None  # nothing changed: the build stops before the search step
    (content / "2023").touch()  # a changed input, but no changed page
    for page in (content / "2023").rglob("*.md"):
        page.touch()
    assert build() == ((), (2022, 2023))

    # Edit one article of 2022: a sentence of a 2022-09-16 article added to its body.
    edited = sorted((content / "2022").rglob("*.md"))[0]
    added = "北京市首个“首都工匠学院”在北京市总工会职工大学挂牌"
    edited.write_text(edited.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{added}。\n", encoding="utf-8")
    assert build() == ((2022,), (2023,))
    # 2023 reused by hard links: the same files, not copies.
    assert (out / "pagefind" / "2023" / ".key").stat().st_ino == (tmp_path / "before" / "2023" / ".key").stat().st_ino
    # Nothing the earlier build wrote was changed in place.
    assert all(link.read_bytes() == data for link, data in saved.items())
    folder = out / "pagefind" / "2022"
    table = _grams(folder, PAGES_FILE)
    chunk = _grams(folder, f"c{chunk_of('学院', int(str(table['chunks'])))}.grams")
    pages = indexed_pages(folder)
    number = next(n for n, p in enumerate(pages) if edited.stem in p.url)
    deltas = chunk["学院"]
    assert isinstance(deltas, list) and number in [sum(deltas[:i + 1]) for i in range(len(deltas))]
    assert added in pages[number].text
