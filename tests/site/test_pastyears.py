"""This day in past years (往年今日): the same month and day, earlier years only, newest first."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.models import Article
from site_builder.site.pastyears import PastEdition, lead_headline, past_years, summary
from site_builder.site.scan import store_article
from site_builder.site.state import State
from site_builder.site.structure import editions_of as grouped_editions
from site_builder.site.structure import group_edition
from site_builder.site.view import ArchiveView
from site_builder.urls import day_folder
from tests.site.reader_articles import TITLES, article

dates = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))


def editions_of(days: list[dt.date]) -> list[PastEdition]:
    return [PastEdition(d, TITLES[d.year % len(TITLES)], d.day) for d in days]


@settings(max_examples=300, deadline=None)
@given(dates, st.lists(dates, max_size=60))
def test_same_month_and_day_in_earlier_years_newest_first(date: dt.date, days: list[dt.date]) -> None:
    got = past_years(date, editions_of(days))
    assert [p.date for p in got] == sorted({d for d in days if (d.month, d.day) == (date.month, date.day)
                                            and d.year < date.year}, reverse=True)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dates(dt.date(1949, 10, 1), dt.date(2030, 12, 31)), max_size=40),
       st.dates(dt.date(1949, 10, 1), dt.date(2030, 12, 31)), st.sampled_from([0, 1, 2, 3]))
def test_the_state_finds_the_same_day_of_every_earlier_year(days: list[dt.date], date: dt.date, leap: int) -> None:
    """`ArchiveView.same_day_earlier`, a lookup a year, is the definition (29 February too)."""
    if leap:  # (the day itself, or 29 February, among the editions: the cases that matter)
        days = [*days, date.replace(year=max(1949, date.year - leap)) if (date.month, date.day) != (2, 29)
                else dt.date(1996 - 4 * leap, 2, 29)]
    with tempfile.TemporaryDirectory() as folder, State.create(Path(folder)) as state:
        with state.transaction():
            for n, d in enumerate(days):
                a = article(d, n)
                store_article(state, a, f"{day_folder(d)}/{a.id}.md")
        got = ArchiveView(state.db, "").same_day_earlier(date)
    assert got == sorted({d for d in days if (d.month, d.day) == (date.month, date.day) and d < date}, reverse=True)


@settings(max_examples=200, deadline=None)
@given(st.lists(dates, max_size=60, unique=True), dates)
def test_a_new_edition_changes_no_older_editions_list(days: list[dt.date], new: dt.date) -> None:
    old = [d for d in days if d < new]
    before = [summary(group_edition(d, [article(d, 0)])) for d in old]
    after = [summary(group_edition(d, [article(d, 0)])) for d in sorted([*old, new])]
    for d in old:
        assert past_years(d, before) == past_years(d, after)


def test_leap_day_lists_only_earlier_leap_days() -> None:
    days = [dt.date(2016, 2, 29), dt.date(2019, 2, 28), dt.date(2019, 3, 1), dt.date(2020, 2, 29),
            dt.date(2023, 2, 28), dt.date(2023, 3, 1)]
    found = [summary(group_edition(d, [article(d, 0)])) for d in days]
    assert [p.date for p in past_years(dt.date(2024, 2, 29), found)] == [dt.date(2020, 2, 29), dt.date(2016, 2, 29)]
    assert [p.date for p in past_years(dt.date(2024, 2, 28), found)] == [dt.date(2023, 2, 28), dt.date(2019, 2, 28)]
    assert [p.date for p in past_years(dt.date(2024, 3, 1), found)] == [dt.date(2023, 3, 1), dt.date(2019, 3, 1)]
    assert past_years(dt.date(2016, 2, 29), found) == ()


def test_the_lead_is_the_first_article_printed_else_a_photo_or_notice() -> None:
    day = dt.date(2022, 8, 16)

    def lead(*items: Article) -> str | None:
        return lead_headline(group_edition(day, items))

    photo = article(day, 1, kind="photo", title="新居民异乡过节", line=1)
    first = article(day, 2, title="向前一步，贴近职工", line=5)
    second = article(day, 3, title="下班后，去职工之家“打卡”", line=50)
    fragment = article(day, 4, kind="continuation", title=TITLES[5], line=2)
    assert lead(second, photo, first, fragment) == "向前一步，贴近职工"
    assert lead(fragment, photo) == "新居民异乡过节"
    assert lead(fragment) is None
    edition = grouped_editions([second, photo, first])[0]
    assert summary(edition) == PastEdition(day, "向前一步，贴近职工", 3)
