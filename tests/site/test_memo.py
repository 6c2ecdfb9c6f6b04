"""The plan's memo of each edition's outputs: an edit asks the producers for one edition,
and a memo that is stale, damaged or made under other settings never changes the site."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from site_builder.config import SiteConfig
from site_builder.models import Edition
from site_builder.site.cache import cache_dir
from site_builder.site.memo import MEMO_FILE, EditionMemo, Entry, edition_context
from site_builder.site.outputs import Output
from site_builder.site.pipeline import EDITION_DISTRIBUTION, build_site
from site_builder.site.structure import Archive
from tests.conftest import FIXTURE_CONTENT
from tests.site.test_incremental import add_edition, assert_same_as_clean_build, change_body, change_title


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "project" / "content"
    shutil.copytree(FIXTURE_CONTENT, folder)
    return folder


ASKED: list[dt.date] = []


def counted_epub(archive: Archive, config: SiteConfig, edition: Edition) -> Iterator[Output]:
    """The e-book producer, noting each edition it is asked for."""
    ASKED.append(edition.date)
    yield from EDITION_DISTRIBUTION[0](archive, config, edition)


PRODUCERS = (counted_epub, *EDITION_DISTRIBUTION[1:])


def asked_after(change: Callable[[Path], None], content: Path) -> set[dt.date]:
    site = content.parent / "public"
    build_site(content, site, edition_producers=PRODUCERS, jobs=1)
    change(content)
    ASKED.clear()
    build_site(content, site, edition_producers=PRODUCERS, jobs=1)
    return set(ASKED)


def test_an_edit_asks_the_producers_for_its_edition_alone(content: Path, tmp_path: Path) -> None:
    assert asked_after(change_body, content) == {dt.date(2023, 10, 31)}
    assert asked_after(change_title, content) == {dt.date(2023, 10, 31)}


def test_a_new_edition_also_replans_the_edition_before_it(content: Path) -> None:
    # The last edition's page gains a link to the new one.
    assert asked_after(add_edition, content) == {dt.date(2023, 10, 31), dt.date(2023, 11, 1)}


def test_a_memo_is_not_used_under_other_settings(content: Path) -> None:
    site = content.parent / "public"
    build_site(content, site, edition_producers=PRODUCERS, jobs=1)
    ASKED.clear()
    build_site(content, site, edition_producers=PRODUCERS, jobs=1, config=SiteConfig(title="工人日报 数字报"))
    assert len(ASKED) == len(set(ASKED)) > 1  # every edition planned again


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],  # cut short
    lambda text: text.replace('"', "'", 40),  # not JSON from its first lines
    lambda text: "\n".join(reversed(text.splitlines())),  # header last, dates falling
    lambda text: text.replace("20231031-3f9a2c1e", "20231031-00000000"),  # paths of files the site has not
    lambda text: text.replace("2023/10/31/", "../../"),  # paths out of the site
    lambda text: "",
])
def test_a_damaged_memo_leaves_the_site_as_a_clean_build(
        damage: Callable[[str], str], content: Path, tmp_path: Path) -> None:
    site = content.parent / "public"
    build_site(content, site)
    memo = cache_dir(site) / MEMO_FILE
    memo.write_text(damage(memo.read_text(encoding="utf-8")), encoding="utf-8")
    change_title(content)
    build_site(content, site)
    assert_same_as_clean_build(content, site, tmp_path)


def test_an_older_builds_memo_gives_the_same_site(content: Path, tmp_path: Path) -> None:
    """A memo left by an older build (kept aside, put back) names outputs of contexts that
    are no longer the site's: they are planned anew, the others taken."""
    site = content.parent / "public"
    build_site(content, site)
    first = (cache_dir(site) / MEMO_FILE).read_bytes()
    change_title(content)
    build_site(content, site)
    (cache_dir(site) / MEMO_FILE).write_bytes(first)
    change_body(content)
    build_site(content, site)
    assert_same_as_clean_build(content, site, tmp_path)


def test_the_memo_reads_forward_by_date() -> None:
    def entry(n: int) -> Entry:
        return Entry(f"c{n}", (f"p{n}",), bytes([n]) * 16)

    lines = iter([f'["2023-10-0{n}", "c{n}", "p{n}", "{(bytes([n]) * 16).hex()}"]\n' for n in (1, 3, 5)])
    memo = EditionMemo(lines, "base")
    assert memo.get("2023-10-02") is None
    assert memo.get("2023-10-03") == entry(3)
    assert memo.get("2023-10-04") is None
    assert memo.get("2023-10-01") is None  # passed over for good
    assert not memo.exhausted_exactly(1)  # 2023-10-05 was never asked for


def test_an_articles_digest_changes_its_editions_context(content: Path) -> None:
    from site_builder.site.content import read_content
    from site_builder.site.structure import build_archive

    def contexts() -> list[str]:
        articles, _ = read_content(content)
        editions = build_archive(articles).editions
        return [edition_context(e, None, None) for e in editions]

    before = contexts()
    change_body(content)
    after = contexts()
    assert [b == a for b, a in zip(before, after, strict=True)].count(False) == 1
