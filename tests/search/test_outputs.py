"""The search index as the build writes it: every article's file, every unit's, the catalog;
a unit made once per build; an edit makes its own unit again and no other."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from site_builder.search import outputs, postings
from site_builder.search.catalog import CATALOG
from site_builder.search.docs import doc_path
from site_builder.search.index import index_files, search_doc
from site_builder.search.postings import GROUPS_DIR
from site_builder.search.script import read_data_script
from site_builder.search.units import plan_groups, plan_units
from site_builder.site.content import read_content
from site_builder.site.pipeline import build_site
from tests.conftest import FIXTURE_CONTENT
from tests.search.conftest import SearchSite, small_units


def test_the_built_index_is_the_index_of_the_articles(search_site: SearchSite) -> None:
    """The files under search/ are exactly `index_files` of the articles: nothing more, nothing less."""
    with small_units():
        want = index_files(search_doc(a) for a in search_site.articles)
    root = search_site.root
    built = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "search").rglob("*.js")}
    assert built.keys() == want.keys()
    # (The build's catalog gives each unit a key too: what its part was made from.)
    catalog = read_data_script(built.pop(CATALOG))
    assert isinstance(catalog, dict)
    for group in catalog["groups"]:
        for unit in group["units"]:
            assert len(unit.pop("key")) == 16
    assert catalog == read_data_script(want.pop(CATALOG))
    assert built == want
    assert [[u["name"] for u in g["units"]] for g in catalog["groups"]] == [["2022-08", "2022-09"], ["2023"]]
    for article in search_site.articles:
        ranks = sorted(a.id for a in search_site.articles if a.date == article.date)
        doc = read_data_script(built[doc_path(article.date, ranks.index(article.id))])
        assert isinstance(doc, dict) and doc["url"] == search_doc(article).url


def test_each_unit_is_made_once_a_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: Counter[str] = Counter()
    real = postings.unit_index

    def counted(unit: postings.Unit, entries: list[tuple[postings.SearchDoc, bytes]], shards: int) -> postings.UnitIndex:
        made[unit.name] += 1
        return real(unit, entries, shards)

    monkeypatch.setattr(outputs, "unit_index", counted)
    build_site(FIXTURE_CONTENT, tmp_path / "public", jobs=1)
    catalog = read_data_script((tmp_path / "public" / CATALOG).read_bytes())
    assert isinstance(catalog, dict)
    names = [u["name"] for g in catalog["groups"] for u in g["units"]]
    assert names and made == dict.fromkeys(names, 1)


def test_an_edit_makes_its_unit_again_and_no_other(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    out = tmp_path / "public"
    from site_builder.search import units

    monkeypatch.setattr(units, "MAX_UNIT_DOCS", 4)  # the fixture's 11 articles in several units,
    monkeypatch.setattr(units, "MAX_GROUP_DOCS", 6)  # and groups
    build_site(content, out)
    before = index_of(out)
    edited = content / "2023/10/31/20231031-3f9a2c1e.md"
    edited.write_text(edited.read_text("utf-8").replace("火出圈的背后", "火出圈的背后（修订）"), "utf-8")
    made: list[str] = []
    real = postings.unit_index

    def counted(unit: postings.Unit, entries: list[tuple[postings.SearchDoc, bytes]], shards: int) -> postings.UnitIndex:
        made.append(unit.name)
        return real(unit, entries, shards)

    monkeypatch.setattr(outputs, "unit_index", counted)
    build_site(content, out, jobs=1)
    after = index_of(out)
    articles, _ = read_content(content)
    planned = plan_units(Counter((a.date.year, a.date.month) for a in articles))
    assert len(planned) > 1
    unit = next(u.name for u in planned if u.year == 2023 and 10 in u.months)
    assert made == [unit]
    changed = {p for p in after if p.startswith("search/") and after[p] != before.get(p)}
    group = next(g.name for g in plan_groups(planned, Counter((a.date.year, a.date.month) for a in articles))
                 if any(u.name == unit for u in g.units))
    assert changed and all(p.startswith((f"{GROUPS_DIR}/{group}/", "search/d/2023/10/31/", CATALOG))
                           for p in changed), changed


def index_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "search").rglob("*.js")}


def test_an_edit_makes_only_the_shards_its_change_reaches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sentence edited: the group's shard files made again are those whose bytes change
    (the pairs the edit took away or brought), not the group's every file; the parts of the
    units not made again come from the live files, and the site equals a clean build."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    out = tmp_path / "public"
    monkeypatch.setattr(outputs, "shard_count", lambda docs: 64)
    build_site(content, out)
    before = index_of(out)
    edited = content / "2023/10/31/20231031-3f9a2c1e.md"
    edited.write_text(edited.read_text("utf-8").replace("视频在市各报网", "视频在全市各报网"), "utf-8")
    made: list[int] = []
    real = outputs.GroupParts.shard_file

    def counted(self: outputs.GroupParts, k: int) -> bytes:
        made.append(k)
        return real(self, k)

    monkeypatch.setattr(outputs.GroupParts, "shard_file", counted)
    build_site(content, out, jobs=1)
    after = index_of(out)
    changed = {p for p in after if p.startswith(f"{GROUPS_DIR}/") and p.endswith(tuple(f"/s{k}.js" for k in made))
               and after[p] != before[p]}
    assert 0 < len(changed) == len(made) < 64 / 2
    clean = tmp_path / "clean"
    build_site(content, clean, full=True)
    assert index_of(clean) == after


@pytest.mark.parametrize("damage", ["digests", "live shard"])
def test_damaged_digests_or_live_files_are_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      damage: str) -> None:
    """A unit's kept digests that cannot be read, or a live shard file that no longer holds the
    part its digest names: the unit is made again from its rows, and the index equals a clean
    build's."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    out = tmp_path / "public"
    monkeypatch.setattr(outputs, "shard_count", lambda docs: 16)
    build_site(content, out)
    parts = out.parent / ".public-cache" / "search-parts"
    assert sorted(parts.iterdir())
    if damage == "digests":
        for path in parts.iterdir():
            path.write_text("{", "utf-8")
    else:
        for path in (out / GROUPS_DIR).rglob("s*.js"):
            path.write_bytes(path.read_bytes().replace(b'":["', b'":["\xe5\xb7\xa5'))  # a pair more
    tampered = index_of(out)
    edited = content / "2023/10/31/20231031-3f9a2c1e.md"
    edited.write_text(edited.read_text("utf-8").replace("视频在市各报网", "视频在全市各报网"), "utf-8")
    build_site(content, out)
    clean = tmp_path / "clean"
    build_site(content, clean, full=True)
    if damage == "digests":
        assert index_of(out) == index_of(clean)
    else:  # (the shards the edit reached are mended; the others are as the hand left them)
        now, want = index_of(out), index_of(clean)
        shards = [p for p in now if "/s" in p]
        assert all(now[p] in (want[p], tampered[p]) for p in shards)
        assert 0 < sum(now[p] == want[p] != tampered[p] for p in shards) < len(shards)


def test_terms_made_from_the_body_just_parsed_are_those_of_the_file() -> None:
    """The read gives the terms the body it parsed (no second read): the same record as the
    body read from the file, for every fixture article."""
    from site_builder.site.content import parse_with_body

    for path in sorted(FIXTURE_CONTENT.rglob("*.md")):
        article, _, _, body = parse_with_body(str(path))
        assert article is not None and body is not None
        assert outputs.article_terms(article, body) == outputs.article_terms(article)
