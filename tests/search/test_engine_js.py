"""The page's engine (static/search-*.js, run in Chromium from file://) gives what the Python
reading of the same index files gives (`query.search`), query for query: the same docs in
the same order; and the two agree on what a query's words and their pairs are."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from site_builder.search.index import search_doc
from site_builder.search.query import Query, search
from site_builder.search.text import fold, pairs, searchable, words
from tests.search.conftest import OLDEST_PHRASE, SearchSite

_RUN = """async (queries) => {
  const engine = new GrrbIndex.Engine("../");
  const out = [];
  for (const p of queries) {
    const found = await engine.search(p);
    const items = await Promise.all(found.hits.slice(0, found.hits.length).map(h => engine.item(h, p, found.check)));
    out.push(items.filter(Boolean).map(it => it.url));
  }
  return out;
}"""
_TEXT = """(texts) => texts.map(t => [GrrbMatch.fold(t), GrrbMatch.words(t),
                                    GrrbMatch.words(t).map(w => GrrbMatch.pairs(w))])"""


def _reader(root: Path) -> Any:
    return lambda path: (root / path).read_bytes()


def _queries(site: SearchSite) -> list[Query]:
    """Words cut from the archive's texts (2, 3, 4 and 1 characters, names, numbers, Latin),
    with and without filters and sorts; the same every run."""
    rng = random.Random(5)
    docs = [search_doc(a) for a in site.articles]
    found = []
    for _ in range(40):
        doc = rng.choice(docs)
        text = searchable(doc.kicker, doc.title, doc.subtitle, doc.text)
        start = rng.randrange(len(text))
        found.append(text[start:start + rng.choice([1, 2, 2, 3, 4])])
    found += ["工会", "职工 工会", "GDP", "2023", "a股", OLDEST_PHRASE, "全总 劳模", "工", "段简", "ＧＤＰ 工会"]
    provinces = sorted({d.province for d in docs if d.province})
    queries = []
    for i, q in enumerate(found):
        filters = [{}, {"province": rng.choice(provinces)}, {"year": "2022"}, {"month": "03"},
                   {"kind": "photo"}, {"start": "2022-02-01", "end": "2022-12-31"}][i % 6]
        queries.append(Query(q=q, sort=["", "newest", "oldest"][i % 3], **filters))
    queries += [Query(province=provinces[0]), Query(year="2021", sort="oldest"), Query(column=docs[0].column or "")]
    return queries


def _params(query: Query) -> dict[str, str]:
    return {"q": query.q, "province": query.province, "year": query.year, "month": query.month,
            "kind": query.kind, "column": query.column, "from": query.start, "to": query.end, "sort": query.sort}


@pytest.fixture
def index_page(browser: Any, archive_site: SearchSite) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((archive_site.root / "search" / "index.html").as_uri())
    page.wait_for_selector("body[data-search-state=done]")
    yield page
    context.close()
    assert errors == []


def test_the_page_finds_what_the_reference_finds(index_page: Any, archive_site: SearchSite) -> None:
    queries = _queries(archive_site)
    expected = [search(_reader(archive_site.root), q) for q in queries]
    got = index_page.evaluate(_RUN, [_params(q) for q in queries])
    assert sum(1 for e in expected if e) > 20  # most queries find something
    for query, want, have in zip(queries, expected, got, strict=True):
        assert have == want, query


def test_words_and_pairs_are_the_same_in_both(index_page: Any) -> None:
    texts = ["ＧＤＰ增长 工会", "“职工之家”  段简", "a股\u3000Ａ股（２０２３）", "𠀋𠀌工 工", "「全总」『劳模』\t2023年",
             "Ｚｚ～！", "〇一二", ""]
    got = index_page.evaluate(_TEXT, texts)
    assert got == [[fold(t), words(t), [pairs(w) for w in words(t)]] for t in texts]
