"""Search fixtures: the real content/ and a generated archive, each built once and served on
127.0.0.1.

The generated archive (the bench's generator: seed sentences recombined) spreads 320 items
over two and a half years, one edition every 25 days, and its oldest article holds a phrase
no other has. Units are made small, so every search runs across year, half-year, quarter and
month units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from bench.synth import default_seed_text, generate
from bench.trees import write_content
from site_builder.models import Article
from site_builder.search import units as search_units
from site_builder.site.pipeline import BuildReport, build_site
from site_builder.site.serve import serving

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
# Units of at most 10 articles, groups of 20: the seed content (9 + 9 articles in Aug–Sep
# 2022, 10 in Oct 2023) is cut into the units 2022-08, 2022-09 and 2023, in two groups.
UNIT_DOCS, GROUP_DOCS = 10, 20
# 2021 (from July: ~60 items), 2022 and 2023 (~130 each): 2021 and 2022 make one group.
ARCHIVE_ITEMS = 320
ARCHIVE_UNIT_DOCS, ARCHIVE_GROUP_DOCS = 60, 200
# In the oldest article only (it is added to its body).
OLDEST_PHRASE = "雁栖湖畔职工书屋"


@dataclass(frozen=True)
class SearchSite:
    root: Path
    build: BuildReport
    articles: tuple[Article, ...]


@contextmanager
def small_units(unit_docs: int = UNIT_DOCS, group_docs: int = GROUP_DOCS) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_units, "MAX_UNIT_DOCS", unit_docs)
        patch.setattr(search_units, "MAX_GROUP_DOCS", group_docs)
        yield


def _build(content: Path, out: Path, sizes: tuple[int, int], articles: list[Article]) -> SearchSite:
    with small_units(*sizes):
        report = build_site(content, out)
    return SearchSite(out, report, tuple(sorted(articles, key=lambda a: (a.date, a.id))))


@pytest.fixture(scope="session")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> SearchSite:
    from site_builder.site.content import read_content

    articles, _ = read_content(CONTENT)
    return _build(CONTENT, tmp_path_factory.mktemp("search-site") / "public", (UNIT_DOCS, GROUP_DOCS), articles)


def spread_archive(n: int = ARCHIVE_ITEMS) -> list[Article]:
    """`n` generated items, each day of the generator moved 25 days after the one before."""
    made = generate(n, seed=7, text=default_seed_text())
    first = made[0].date
    start = dt.date(2021, 7, 1)
    spread = []
    for article in made:
        date = start + dt.timedelta(days=25 * (article.date - first).days)
        spread.append(replace(article, date=date, id=f"{date:%Y%m%d}{article.id[8:]}"))
    oldest = min(spread, key=lambda a: (a.date, a.id))
    return [replace(a, body=f"{a.body}\n\n本报讯 {OLDEST_PHRASE}今日开放。") if a is oldest else a for a in spread]


@pytest.fixture(scope="session")
def archive_site(tmp_path_factory: pytest.TempPathFactory) -> SearchSite:
    folder = tmp_path_factory.mktemp("search-archive")
    articles = spread_archive()
    write_content(articles, folder / "content")
    return _build(folder / "content", folder / "public", (ARCHIVE_UNIT_DOCS, ARCHIVE_GROUP_DOCS), articles)


@pytest.fixture(scope="session")
def search_http(search_site: SearchSite) -> Iterator[str]:
    """Root URL of the built seed site on 127.0.0.1, ending in '/'."""
    with serving(search_site.root) as url:
        yield url


@pytest.fixture(scope="session")
def archive_http(archive_site: SearchSite) -> Iterator[str]:
    with serving(archive_site.root) as url:
        yield url
