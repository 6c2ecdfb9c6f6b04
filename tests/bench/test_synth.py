"""The synthetic archives: deterministic, valid content, real seed text, the shape of a daily paper."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.seedtext import MAINLAND, SeedText
from bench.synth import LAST_DAY, PER_DAY, day_counts, default_seed_text, generate, next_editions
from bench.trees import cached_archive, content_path, hugo_page, write_content
from site_builder.frontmatter import dump_article, split_front_matter
from site_builder.models import Article
from site_builder.site.content import read_content
from site_builder.site.structure import editions_of, find_heads

DIGITS = re.compile(r"\d+")


@pytest.fixture(scope="module")
def text() -> SeedText:
    return default_seed_text()


@pytest.fixture(scope="module")
def thousand(text: SeedText) -> list[Article]:
    return generate(1000, seed=1, text=text)


def test_same_seed_same_bytes_other_seed_other_bytes(text: SeedText) -> None:
    first = [dump_article(a) for a in generate(120, seed=7, text=text)]
    assert first == [dump_article(a) for a in generate(120, seed=7, text=text)]
    assert first != [dump_article(a) for a in generate(120, seed=8, text=text)]


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=6, max_value=3000), seed=st.integers(min_value=0, max_value=10**6))
def test_day_counts_add_up_and_stay_in_range(n: int, seed: int) -> None:
    if n == 11:  # 6–10 a day: one day is at most 10, two at least 12
        with pytest.raises(ValueError):
            day_counts(n, seed)
        return
    counts = day_counts(n, seed)
    assert sum(counts) == n
    assert all(PER_DAY[0] <= c <= PER_DAY[1] for c in counts)


@pytest.mark.parametrize("n", [6, 10, 12, 20, 21, 30, 31, 40])
def test_day_counts_at_the_edges(n: int) -> None:
    """The short remainders that once looped forever (21 = 10 + 10 + 1 with full days)."""
    for seed in range(50):
        counts = day_counts(n, seed)
        assert sum(counts) == n and all(PER_DAY[0] <= c <= PER_DAY[1] for c in counts)


def test_consecutive_days_ending_on_the_last_day(thousand: list[Article]) -> None:
    per_day = Counter(a.date for a in thousand)
    days = sorted(per_day)
    assert days[-1] == LAST_DAY
    assert all((b - a).days == 1 for a, b in itertools.pairwise(days))
    assert set(per_day.values()) <= set(range(PER_DAY[0], PER_DAY[1] + 1))


def test_a_thousand_look_like_a_daily_paper(thousand: list[Article]) -> None:
    assert {a.province for a in thousand if a.province} == set(MAINLAND)
    assert sum(a.province is None for a in thousand) > 0  # national news too
    kinds = Counter(a.kind for a in thousand)
    assert kinds["photo"] > 20 and kinds["continuation"] > 20
    assert sum(a.column is not None for a in thousand) > 20
    assert {a.page for a in thousand} == {1, 2, 3, 4} and all(a.page_name for a in thousand)
    # Every jump to page 2 finds its story on page 1 (same day, same title).
    heads = find_heads(editions_of(thousand))
    assert len(heads) == kinds["continuation"]
    stories = [len(a.body) for a in thousand if a.kind == "article"]
    assert 1200 <= sum(stories) / len(stories) <= 1900
    assert len({a.title for a in thousand}) > 500
    assert len({author.name for a in thousand for author in a.authors}) > 50


def test_bodies_are_seed_sentences_recombined(thousand: list[Article], text: SeedText) -> None:
    """No invented text: every sentence is a seed sentence (numbers aside) or the news lead."""
    known = {DIGITS.sub("#", s) for s in (*text.sentences, *text.captions)}
    for article in thousand[:200]:
        for paragraph in article.body.split("\n\n"):
            if paragraph.startswith("## "):
                assert paragraph[3:] in text.headings
                continue
            paragraph = re.sub(r"^本报讯（[^）]+）\d+月\d+日，", "", paragraph)
            for sentence in re.findall(r"[^。！？]+[。！？][”’」』）]?", paragraph):
                assert DIGITS.sub("#", sentence) in known, sentence


def test_written_archive_reads_back_without_a_problem(tmp_path: Path) -> None:
    archive = cached_archive(60, seed=2, cache_dir=tmp_path)
    articles, problems = read_content(archive.content)
    assert problems == []
    assert len(articles) == archive.articles == 60
    hugo = sorted(p.relative_to(archive.hugo_content) for p in archive.hugo_content.rglob("*.md"))
    assert hugo == sorted(p.relative_to(archive.content) for p in archive.content.rglob("*.md"))
    # Cached: the second call reads it back instead of generating it again.
    stamp = (archive.root / "archive.json").stat().st_mtime_ns
    again = cached_archive(60, seed=2, cache_dir=tmp_path)
    assert again == archive and (archive.root / "archive.json").stat().st_mtime_ns == stamp


def test_hugo_page_has_the_taxonomies(thousand: list[Article]) -> None:
    article = next(a for a in thousand if a.province and a.kicker and len(a.authors) > 1)
    split = split_front_matter(hugo_page(article, 101))
    assert split is not None
    fm = yaml.safe_load(split[0])
    assert fm["title"] == article.title and fm["date"] == article.date.isoformat()
    assert fm["days"] == [article.date.isoformat()] and fm["provinces"] == [article.province]
    assert fm["authors"] == [a.name for a in article.authors]
    assert fm["params"]["kicker"] == article.kicker and fm["weight"] == 101
    assert split[1].strip() == article.body


def test_next_editions_follow_the_archive(tmp_path: Path, text: SeedText) -> None:
    new = next_editions(1000, 1, text, days=2)
    assert sorted({a.date for a in new}) == [LAST_DAY.replace(day=31), LAST_DAY.replace(month=11, day=1)]
    assert new[: len([a for a in new if a.date.day == 31])] == next_editions(1000, 1, text, days=1)
    write_content(new, tmp_path)
    assert read_content(tmp_path)[1] == []
    assert (tmp_path / content_path(new[0])).is_file()
