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
