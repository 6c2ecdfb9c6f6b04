"""Grouping: sheets (版面) in printed order, provinces newest first, reporters, heads."""

from __future__ import annotations

import datetime as dt

from site_builder.models import Article, Author, Source
from site_builder.regions import PROVINCES
from site_builder.site.structure import build_archive, find_heads, group_edition
from site_builder.site.tilemap import GRID, tiles

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


def test_regions_and_reporters() -> None:
    older = item("old", "a.txt", 1, province="浙江", date=dt.date(2022, 1, 1),
                 authors=(Author("邹倜然", "记者"),))
    newer = item("new", "a.txt", 1, province="浙江", authors=(Author("邹倜然", "记者"),
                                                             Author("邹倜然", "记者")))
    archive = build_archive([older, newer, item("none", "a.txt", 9)])
    zhejiang = next(r for r in archive.regions if r.name == "浙江")
    assert [a.id for a in zhejiang.articles] == [newer.id, older.id]
    assert len(archive.regions) == len(PROVINCES)
    [reporter] = archive.reporters
    assert reporter.articles == (newer, older) and reporter.roles == ("记者",)


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
    archive = build_archive([item("x", "a.txt", 1, province="浙江"), item("y", "a.txt", 9, province="浙江"),
                             item("z", "a.txt", 20, province="北京")])
    levels = {t.name: t.level for t in tiles(archive.regions)}
    assert levels["浙江"] == 4 and levels["北京"] == 2 and levels["西藏"] == 0
