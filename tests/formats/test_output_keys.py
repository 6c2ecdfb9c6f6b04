"""The keys of the outputs are exact: whenever a file's bytes change, its key does.

The incremental build renders an output only when its key changed, so a key that misses a
value the bytes depend on means a stale file. Each variant below changes one setting or one
article; every output whose bytes differ from the base build must have a different key.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import pytest

from site_builder.config import SiteConfig
from site_builder.models import Article, Author
from site_builder.site.content import read_content
from site_builder.site.outputs import contents_bytes
from tests.conftest import BASE_CONFIG, FIXTURE_CONTENT
from tests.scoped import site_outputs, write_content

Files = dict[str, tuple[bytes, bytes]]


def files(articles: list[Article], config: SiteConfig) -> Files:
    """Every output of a site of these articles (pages and the files besides): its final key
    and its bytes."""
    with tempfile.TemporaryDirectory() as folder:
        content = write_content(articles, Path(folder) / "content")
        return {path: (key, contents_bytes(o.render())) for path, (o, key) in site_outputs(content, config).items()}


@pytest.fixture(scope="module")
def fixture_articles() -> list[Article]:
    articles, problems = read_content(FIXTURE_CONTENT)
    assert problems == []
    return [dataclasses.replace(a, body=a.body) for a in articles]  # (plain Articles: bodies in memory)


@pytest.fixture(scope="module")
def base(fixture_articles: list[Article]) -> Files:
    return files(fixture_articles, BASE_CONFIG)


def _edited(articles: list[Article], article_id: str, **changes: object) -> list[Article]:
    # Written out again as content files: the file's digest (and the front-matter's, unless
    # only the body changed) follow the edit.
    def edit(a: Article) -> Article:
        values = {f.name: getattr(a, f.name) for f in dataclasses.fields(Article)}
        return Article(**(values | changes))  # type: ignore[arg-type]

    return [edit(a) if a.id == article_id else a for a in articles]


CONFIG_VARIANTS = {
    "title": dataclasses.replace(BASE_CONFIG, title="工人日报电子版"),
    "newspaper": dataclasses.replace(BASE_CONFIG, newspaper="工人日報"),
    "publisher": dataclasses.replace(BASE_CONFIG, publisher="工人日报社有限公司"),
    "base_url": dataclasses.replace(BASE_CONFIG, base_url="https://example.com/grrb/"),
    "no base_url": dataclasses.replace(BASE_CONFIG, base_url=""),
    "language": dataclasses.replace(BASE_CONFIG, language="zh-Hans-CN"),
    "feed_length": dataclasses.replace(BASE_CONFIG, feed_length=2),
    "source_date": dataclasses.replace(BASE_CONFIG, source_date=1700000000),
}


def _stale(base: Files, other: Files) -> list[str]:
    return [path for path in sorted(set(base) & set(other))
            if base[path][1] != other[path][1] and base[path][0] == other[path][0]]


@pytest.mark.parametrize("name", sorted(CONFIG_VARIANTS))
def test_a_setting_changes_the_keys_of_what_it_changes(fixture_articles: list[Article], base: Files,
                                                       name: str) -> None:
    other = files(fixture_articles, CONFIG_VARIANTS[name])
    assert any(base[p][1] != other[p][1] for p in set(base) & set(other)) or set(base) != set(other)
    assert _stale(base, other) == []


@pytest.mark.parametrize("changes", [
    {"title": "工会文化大餐为何火出圈"},
    {"authors": (Author("邹倜然", "记者"),)},
    {"page": 3, "page_name": "工会新闻"},
    {"body": "日前，浙江省温州市总工会主办的“我最善辩”暨机关职工辩论邀请赛总决赛落幕。"},
    {"province": "福建"},
])
def test_an_article_edit_changes_the_keys_of_what_it_changes(fixture_articles: list[Article], base: Files,
                                                             changes: dict[str, object]) -> None:
    other = files(_edited(fixture_articles, "20231031-3f9a2c1e", **changes), BASE_CONFIG)
    assert any(base[p][1] != other[p][1] for p in set(base) & set(other))
    assert _stale(base, other) == []


def test_a_removed_article(fixture_articles: list[Article], base: Files) -> None:
    other = files([a for a in fixture_articles if a.id != "20220816-9d40a2f3"], BASE_CONFIG)
    assert "2022/08/16/20220816-9d40a2f3.ris" in set(base) - set(other)
    assert _stale(base, other) == []


def test_the_check_can_fail(base: Files) -> None:
    path = "feed.xml"
    tampered = dict(base)
    tampered[path] = (base[path][0], "另一份订阅源".encode())
    assert _stale(base, tampered) == [path]


def test_outputs_are_written_as_specified(site: Path, fixture_articles: list[Article]) -> None:
    """What the build wrote is what the specs render (default settings)."""
    made = files(fixture_articles, SiteConfig())
    assert set(made) == {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    for path, (_, body) in made.items():
        assert (site / path).read_bytes() == body, path
