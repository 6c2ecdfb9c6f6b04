"""Related articles (相关报道): earlier only, deterministic, at most five, none without something shared."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.models import Article, Author
from site_builder.site.related import RELATED_LIMIT, Related, printed_position, related, shared_with
from site_builder.site.scan import store_article
from site_builder.site.state import State
from site_builder.site.structure import editions_of
from site_builder.site.view import ArchiveView
from site_builder.urls import day_folder
from tests.site.reader_articles import TITLES, article, articles


class Candidates:
    """The state's choice of candidates for `articles` (as a build finds them: `view.sharing`)."""

    def __init__(self, pool: list[Article], window: int, province_window: int) -> None:
        self.window, self.province_window = window, province_window
        self.folder = tempfile.TemporaryDirectory()
        self.state = State.create(Path(self.folder.name))
        with self.state.transaction():
            for a in {a.id: a for a in pool}.values():
                store_article(self.state, a, f"{day_folder(a.date)}/{a.id}.md")
        self.view = ArchiveView(self.state.db, "")

    def of(self, target: Article) -> list[Article]:
        return self.view.sharing(target, self.window, self.province_window)

    def later(self, target: Article) -> tuple[Related, ...]:
        """What a build shows: the choice among the state's candidates."""
        return related(target, self.of(target), RELATED_LIMIT)

    def close(self) -> None:
        self.state.close()
        self.folder.cleanup()

DAY = dt.date(2023, 10, 31)


def brute_force(target: Article, pool: list[Article], limit: int = RELATED_LIMIT) -> list[str]:
    """The ids `related` must give, from its definition, over every article of `pool`."""
    chosen = []
    for c in {c.id: c for c in pool}.values():
        if c.kind == "continuation" or printed_position(c) >= printed_position(target):
            continue
        if c.date == target.date and c.title == target.title:
            continue
        match = shared_with(target, c)
        if match.shared or match.province:
            chosen.append((-match.shared, not match.province, -c.date.toordinal(), c.id))
    return [key[-1] for key in sorted(chosen)[:limit]]


@settings(max_examples=50, deadline=None)
@given(articles(), st.randoms(use_true_random=False))
def test_the_choice_is_the_definitions_whatever_the_order_of_candidates(pool: list[Article], rnd: random.Random) -> None:
    for target in pool:
        got = related(target, pool)
        assert [r.article.id for r in got] == brute_force(target, pool)
        shuffled = pool * 2
        rnd.shuffle(shuffled)
        assert related(target, shuffled) == got  # order and repeats change nothing


@settings(max_examples=50, deadline=None)
@given(articles(), st.integers(0, 7))
def test_only_earlier_articles_sharing_something_at_most_limit(pool: list[Article], limit: int) -> None:
    for target in pool:
        got = related(target, pool, limit)
        assert len(got) <= limit and len({r.article.id for r in got}) == len(got)
        for r in got:
            assert printed_position(r.article) < printed_position(target)  # earlier: never itself
            assert r.article.kind != "continuation"
            assert not (r.article.date == target.date and r.article.title == target.title)
            assert set(r.places) <= set(target.places) and set(r.places) <= set(r.article.places)
            assert {a.name for a in r.article.authors} >= set(r.people) <= {a.name for a in target.authors}
            assert r.places or r.people or r.province


@settings(max_examples=40, deadline=None)
@given(articles())
def test_the_candidates_with_a_large_window_give_the_same_choice(pool: list[Article]) -> None:
    found = Candidates(pool, len(pool) + 1, len(pool) + 1)
    for target in {a.id: a for a in pool}.values():
        assert [r.article.id for r in found.later(target)] == brute_force(target, pool)
    found.close()


@settings(max_examples=40, deadline=None)
@given(articles())
def test_a_new_edition_changes_no_older_articles_related(pool: list[Article]) -> None:
    last = max((a.date for a in pool), default=DAY)
    later = [article(last + dt.timedelta(days=1), n, places=("温州", "沈阳"), people=("赖志凯",), province="浙江")
             for n in range(3)]
    before, after = Candidates(pool, 32, 10), Candidates(pool + later, 32, 10)
    for target in {a.id: a for a in pool}.values():
        assert [r.article.id for r in before.later(target)] == [r.article.id for r in after.later(target)]
    before.close()
    after.close()


@settings(max_examples=40, deadline=None)
@given(articles())
def test_printed_position_is_the_editions_order(pool: list[Article]) -> None:
    printed = [a.id for e in editions_of(pool) for a in e.articles]
    assert printed == [a.id for a in sorted(pool, key=printed_position)]


def test_more_shared_first_then_province_then_newer_then_id() -> None:
    target = article(DAY, 0, places=("温州", "湖州"), people=("邹倜然",), province="浙江", line=300)
    two = article(dt.date(2020, 1, 1), 1, places=("温州",), people=("邹倜然",))
    one_newer = article(dt.date(2023, 1, 1), 2, places=("湖州",))
    one_same_province = article(dt.date(2021, 1, 1), 3, places=("温州",), province="浙江")
    province_only = article(dt.date(2023, 10, 30), 4, province="浙江")
    nothing = article(dt.date(2023, 10, 30), 5, places=("沈阳",), people=("赖志凯",), province="辽宁")
    same_day_before = article(DAY, 6, places=("温州",), line=100, title=TITLES[1])
    same_day_after = article(DAY, 7, places=("温州",), line=400, title=TITLES[2])
    got = related(target, [nothing, province_only, one_newer, two, one_same_province, same_day_before, same_day_after])
    assert [r.article for r in got] == [two, one_same_province, same_day_before, one_newer, province_only]
    assert got[0] == Related(two, ("温州",), ("邹倜然",), False)


def test_a_person_in_two_roles_is_one_person_shared() -> None:
    """An author named twice (记者 and 通讯员) shares one person, in the query as in the definition."""
    target = article(DAY, 0, places=("温州",), people=("赖志凯",))
    twice = dataclasses.replace(article(dt.date(2022, 1, 1), 1),
                                authors=(Author("赖志凯", "记者"), Author("赖志凯", "通讯员")))
    newer_place = article(dt.date(2022, 6, 1), 2, places=("温州",))
    pool = [target, twice, newer_place]
    found = Candidates(pool, 32, 10)
    assert [r.article.id for r in found.later(target)] == [newer_place.id, twice.id]
    assert [r.article.id for r in related(target, pool)] == [newer_place.id, twice.id]
    found.close()


def test_continuations_and_the_articles_own_head_are_never_related() -> None:
    head = article(DAY, 0, title=TITLES[5], places=("温州",), page=1)
    fragment = article(DAY, 1, title=TITLES[5], kind="continuation", places=("温州",), page=2)
    earlier_fragment = article(dt.date(2022, 1, 1), 2, kind="continuation", places=("温州",))
    assert related(fragment, [head, earlier_fragment]) == ()
    assert related(head, [fragment, earlier_fragment]) == ()


def test_nothing_shared_nothing_related() -> None:
    target = article(DAY, 0, places=("温州",), people=("邹倜然",))  # no province
    others = [article(dt.date(2022, 1, 1), n, places=("沈阳",), people=("赖志凯",), province="浙江") for n in range(3)]
    assert related(target, others) == ()
    assert related(article(DAY, 9), others) == ()


def test_the_candidates_are_a_window_per_key() -> None:
    """The newest `window` earlier articles per place or person, `province_window` of the province."""
    same_place = [article(dt.date(2022, 1, 1) + dt.timedelta(days=n), n, places=("温州",)) for n in range(10)]
    same_province = [article(dt.date(2021, 1, 1) + dt.timedelta(days=n), 100 + n, province="浙江") for n in range(10)]
    target = article(DAY, 999, places=("温州",), province="浙江")
    found = Candidates([*same_place, *same_province, target], 3, 5)
    assert {a.id for a in found.of(target)} == {a.id for a in (*same_place[-3:], *same_province[-5:])}
    assert [r.article.id for r in found.later(target)] == [a.id for a in (*same_place[:-4:-1], *same_province[:-3:-1])]
    found.close()
