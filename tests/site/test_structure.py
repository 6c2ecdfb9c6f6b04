"""Grouping: sheets (版面) in printed order, provinces newest first, reporters, heads."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from site_builder.models import Article, Author, Source
from site_builder.regions import PROVINCES
from site_builder.site.scan import scan_content
from site_builder.site.state import State
from site_builder.site.structure import find_heads, group_edition
from site_builder.site.tilemap import GRID, tiles
from site_builder.site.view import ArchiveView
from tests.scoped import write_content

DAY = dt.date(2023, 10, 31)


def item(ident: str, file: str, line: int, page: int | None = None, **kw: object) -> Article:
    return Article(id=f"20231031-{ident}", kind=kw.pop("kind", "article"),  # type: ignore[arg-type]
                   title=str(kw.pop("title", ident)), date=kw.pop("date", DAY),  # type: ignore[arg-type]
                   source=Source(file, (line, line + 5)), page=page, **kw)  # type: ignore[arg-type]


def test_sheets_by_page_then_file_in_printed_order() -> None:
    edition = group_edition(DAY, [
        item("c", "b.txt", 40), item("a", "b.txt", 1), item("p3", "z.txt", 9, page=3, page_name="工会新闻"),
        item("p1", "y.txt", 5, page=1), item("d", "a.txt", 7),
    ])
    assert [(s.number, s.name, s.source_file) for s in edition.sheets] == [
        (1, None, "y.txt"), (3, "工会新闻", "z.txt"), (None, None, "a.txt"), (None, None, "b.txt"),
    ]
    assert [a.id[-1] for a in edition.sheets[-1].articles] == ["a", "c"]


def test_provinces_and_reporters_newest_first(tmp_path: Path) -> None:
    older = dataclasses.replace(item("old", "a.txt", 1, province="浙江", date=dt.date(2022, 1, 1),
                                     authors=(Author("邹倜然", "记者"),)), id="20220101-old")
    newer = item("new", "a.txt", 1, province="浙江", authors=(Author("邹倜然", "记者"),
                                                             Author("邹倜然", "记者")))
    later_printed = item("two", "a.txt", 9, province="浙江")
    content = write_content([older, newer, later_printed, item("none", "a.txt", 20)], tmp_path / "content")
    with State.create(tmp_path / "cache") as state:
        with state.transaction():
            scan_content(content, state)
        view = ArchiveView(state.db, f"{content}/")
        assert [a.id for a in view.province_articles("浙江", DAY.year)] == [newer.id, later_printed.id]
        assert [a.id for a in view.province_articles("浙江", 2022)] == [older.id]
        assert view.province_years("浙江") == [(DAY.year, 2), (2022, 1)]
        # An author named twice on one article is still one entry on their page.
        assert view.reporters() == [("邹倜然", ("记者",), 2)]
        assert [a.id for a in view.reporter_articles("邹倜然")] == [newer.id, older.id]


def test_continuation_finds_its_head() -> None:
    head = item("head", "p1.txt", 3, page=1, title="坚持和发展中国特色社会主义要一以贯之")
    other = item("same", "p2.txt", 3, page=2, title="坚持和发展中国特色社会主义要一以贯之")
    frag = item("frag", "p2.txt", 60, page=2, title=head.title, kind="continuation",
                continued_from="第1版")
    lonely = item("lone", "p2.txt", 90, kind="continuation", title="别的文章")
    heads = find_heads([group_edition(DAY, [other, frag, head, lonely])])
    assert heads == {frag.id: head}


def test_tile_map_covers_every_province_once() -> None:
    assert set(GRID) == {p.short for p in PROVINCES}
    assert len(set(GRID.values())) == len(GRID)
    levels = {t.name: t.level for t in tiles({"浙江": 2, "北京": 1})}
    assert levels["浙江"] == 4 and levels["北京"] == 2 and levels["西藏"] == 0
