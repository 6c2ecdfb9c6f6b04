"""The ingest writes an article's file itself when its front-matter is plain: the bytes must
be those of `frontmatter.dump_article`, the content contract's writer, in every case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.frontmatter import dump_article, parse_article
from site_builder.ingest.render import _render, _Slow, render
from site_builder.models import Article, Author, Source

CONTENT = Path(__file__).resolve().parents[2] / "content"
# Newspaper text with what YAML reads specially: indicators, quotes, numbers, dates, booleans.
PIECES = ["工会", "职工", "“", "”", "——", "，", "：", "、", "（", "）", "《", "》", "·", "…", "12351", "2.5", "%",
          ": ", " #", "#", "- ", "-", "'", '"', "!", "&", "*", "?", "|", ">", "@", "`", "{", "}", "[", "]", ",",
          "true", "null", "No", "~", "2023-10-31", "0x1F", "1e3", " ", "𠮷", "\u3000", "\t"]
text = st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join)
articles = st.builds(
    Article, id=st.just("20231031-3f9a2c1e"), kind=st.sampled_from(["article", "photo", "continuation", "notice"]),
    title=text, date=st.just(dt.date(2023, 10, 31)),
    source=st.builds(Source, file=st.sampled_from(["000_da4d75aed8247b84.txt", "p 01.txt", "'x'.txt"]),
                     lines=st.tuples(st.integers(1, 900), st.integers(1, 900))),
    body=st.one_of(st.just(""), text), kicker=st.none() | text, subtitle=st.none() | text, column=st.none() | text,
    page=st.none() | st.integers(1, 999), page_name=st.none() | text, dateline=st.none() | text,
    province=st.none() | st.sampled_from(["浙江", "内蒙古", "null"]), places=st.lists(text, max_size=3).map(tuple),
    authors=st.lists(st.builds(Author, name=text, role=st.sampled_from(["记者", "通讯员", "新华社记者"])),
                     max_size=3).map(tuple),
    summary=st.none() | text, continued_from=st.none() | st.just("第1版"),
    also_in=st.lists(st.sampled_from(["001_2a64485015c8bc5e.txt", "b: c.txt"]), max_size=2, unique=True).map(tuple),
)


def test_the_seed_articles_are_written_directly_and_alike() -> None:
    for path in sorted(CONTENT.rglob("*.md")):
        article, _ = parse_article(path.read_text("utf-8"), str(path))
        assert article is not None
        assert _render(article) == dump_article(article)  # the direct path, not the fallback
        assert render(article) == path.read_bytes()


@settings(max_examples=600, deadline=None)
@given(articles)
def test_the_bytes_are_those_of_the_contracts_writer(article: Article) -> None:
    try:
        direct = _render(article)
    except _Slow:
        direct = None
    assert render(article) == dump_article(article).encode()
    if direct is not None:
        assert direct == dump_article(article)
