"""Pages that show an article by reference (its related articles, 往年今日) are made again when
it changes: an incremental build after any change of title, places, people, province, or an
article added or deleted equals a clean build. The windows are made small so that a small
archive reaches past them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.models import Article, Author
from site_builder.site import produce, scopes
from site_builder.site.pipeline import build_site
from site_builder.urls import day_folder
from tests.scoped import write_content
from tests.site.reader_articles import PEOPLE, PLACES, PROVINCES, TITLES, article, articles


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def changed(draw: Callable[[st.SearchStrategy[Any]], Any], old: Article) -> Article:
    field = draw(st.sampled_from(["title", "places", "people", "province"]))
    if field == "title":
        return dataclasses.replace(old, title=draw(st.sampled_from(TITLES)) + "（续）")
    if field == "places":
        return dataclasses.replace(old, places=tuple(draw(st.lists(st.sampled_from(PLACES[:3]), max_size=2,
                                                                    unique=True))))
    if field == "people":
        names = draw(st.lists(st.sampled_from(PEOPLE[:3]), max_size=2, unique=True))
        return dataclasses.replace(old, authors=tuple(Author(n, "记者") for n in names))
    return dataclasses.replace(old, province=draw(st.one_of(st.none(), st.sampled_from(PROVINCES[:2]))))


@st.composite
def archives(draw: st.DrawFn) -> list[Article]:
    """Articles on a few days of three years (the same days: 往年今日 lists them), most of
    them on a few places and people."""
    result = []
    for n, a in enumerate(draw(articles(days=3, max_size=20))):
        day = a.date.replace(year=2020 + draw(st.integers(0, 2)))
        result.append(dataclasses.replace(
            article(day, n, title=a.title, kind=a.kind, page=a.page, line=a.source.lines[0], file=a.source.file,
                    places=tuple(p for p in a.places if p in PLACES[:3]) or PLACES[:1],
                    people=tuple(x.name for x in a.authors if x.name in PEOPLE[:3]), province=a.province)))
    return result


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(archive=archives(), data=st.data())
def test_a_change_reaches_every_page_that_shows_the_article_by_reference(
    tmp_path: Path, archive: list[Article], data: st.DataObject
) -> None:
    root = tmp_path / "run"
    shutil.rmtree(root, ignore_errors=True)
    content, site = root / "content", root / "public"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(produce, "RELATED_WINDOW", 2)
        patch.setattr(produce, "PROVINCE_WINDOW", 2)
        patch.setattr(scopes, "RELATED_REACH", 3)  # (two articles before lie on three days at most, its own with)
        patch.setattr(scopes, "PROVINCE_REACH", 3)
        write_content(archive, content)
        build_site(content, site, jobs=1, search=False)
        for step in range(2):
            live = sorted(archive, key=lambda a: a.id)
            action = data.draw(st.sampled_from(["change", "change", "delete", "add"]) if live else st.just("add"))
            if action == "add":
                day = dt.date(2020 + data.draw(st.integers(0, 2)), 2, 20 + data.draw(st.integers(0, 3)))
                new = article(day, 1000 + step, title=TITLES[step], places=(PLACES[step % 3],),
                              people=(PEOPLE[step % 3],), province=PROVINCES[step % 2])
                archive.append(new)
                write_content([new], content)
            else:
                old = data.draw(st.sampled_from(live))
                archive.remove(old)
                (content / day_folder(old.date) / f"{old.id}.md").unlink()
                if action == "change":
                    new = changed(data.draw, old)
                    archive.append(new)
                    write_content([new], content)
            report = build_site(content, site, jobs=1, search=False)
            clean = root / f"clean{step}" / "public"
            fresh = build_site(content, clean, jobs=1, search=False, full=True)
            assert tree(site) == tree(clean), (step, action)
            # (the numbers an incremental build keeps from build to build: a clean build counts them)
            assert (report.articles, report.editions) == (fresh.articles, fresh.editions), (step, action)
            assert report.unchanged + sum(report.pages.values()) == sum(fresh.pages.values()), (step, action)
