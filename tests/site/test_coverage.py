"""The province × year coverage table: every province in table order, counts kept, steps on a
log scale with a legend that covers every cell, small at a 20-year archive."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.regions import PROVINCES
from site_builder.site.coverage import STEPS, coverage, level, step_limits
from site_builder.site.render import make_environment, template_dirs, theme_dirs
from tests.conftest import FIXTURE_CONTENT

keys = st.tuples(st.one_of(st.none(), st.sampled_from([p.short for p in PROVINCES])), st.integers(2003, 2024))
counts_maps = st.dictionaries(keys, st.integers(0, 400_000), max_size=80)


@settings(max_examples=300, deadline=None)
@given(counts_maps)
def test_rows_columns_and_totals(counts: dict[tuple[str | None, int], int]) -> None:
    table = coverage(counts)
    assert [r.province for r in table.rows] == [p.short for p in PROVINCES] + [None]
    present = sorted({y for (_, y), n in counts.items() if n})
    assert table.years == (tuple(range(present[0], present[-1] + 1)) if present else ())
    for row in table.rows:
        assert [c.year for c in row.cells] == list(table.years)
        assert [c.count for c in row.cells] == [counts.get((row.province, y), 0) for y in table.years]
        assert row.total == sum(c.count for c in row.cells)
    assert table.total == sum(counts.values()) == sum(table.year_totals)


@settings(max_examples=300, deadline=None)
@given(counts_maps)
def test_every_cell_is_in_the_legend_step_of_its_colour(counts: dict[tuple[str | None, int], int]) -> None:
    table = coverage(counts)
    steps = {s.level: s for s in table.steps}
    lows = [s.low for s in table.steps]
    assert lows == sorted(lows) and (not lows or lows[0] == 1)
    for row in table.rows:
        for cell in row.cells:
            if cell.count == 0:
                assert cell.level == 0
            else:
                step = steps[cell.level]
                assert 1 <= cell.level <= STEPS and step.low <= cell.count <= step.high
    ordered = sorted((c.count, c.level) for r in table.rows for c in r.cells)
    assert [lv for _, lv in ordered] == sorted(lv for _, lv in ordered)  # more articles, never a lighter step


@settings(max_examples=500, deadline=None)
@given(st.integers(1, 10**7))
def test_step_limits_are_exact_roots(most: int) -> None:
    limits = step_limits(most)
    assert limits[-1] == most and list(limits) == sorted(limits)
    for i, u in enumerate(limits, 1):
        assert u ** STEPS >= most ** i and (u == 1 or (u - 1) ** STEPS < most ** i)
    assert level(most, limits) == limits.index(most) + 1 and level(1, limits) == 1 and level(0, limits) == 0


def test_a_decade_reads_on_a_log_scale() -> None:
    table = coverage({("浙江", 2014): 1, ("浙江", 2015): 10, ("北京", 2016): 100, (None, 2024): 1000})
    assert [(s.low, s.high) for s in table.steps] == [(1, 4), (5, 16), (17, 64), (65, 252), (253, 1000)]
    assert len(table.years) == 11  # 2014 … 2024, the years without articles too
    zhejiang = table.rows[[p.short for p in PROVINCES].index("浙江")]
    assert [c.level for c in zhejiang.cells[:2]] == [1, 2]


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown province"):
        coverage({("火星", 2023): 1})
    with pytest.raises(ValueError, match="negative"):
        coverage({("浙江", 2023): -1})


def test_twenty_years_of_every_province_stays_small() -> None:
    """35 rows × 20 years at 400,000 articles: the rendered table is a few dozen kilobytes."""
    counts = {(p, y): 400_000 // 700 + 37 * y % 500 for p in [*[p.short for p in PROVINCES], None]
              for y in range(2005, 2025)}
    env = make_environment(template_dirs(theme_dirs("default"), FIXTURE_CONTENT))
    html = env.get_template("_coverage.html").render(page_path="region/index.html", coverage=coverage(counts))
    assert html.count("<td") == 35 * 21 + 21 and len(html.encode()) < 120_000


def test_the_provinces_page_draws_the_table(site: Path) -> None:
    page = (site / "region/index.html").read_text(encoding="utf-8")
    assert '<table class="heat">' in page and '<th scope="col">2022</th><th scope="col">2023</th>' in page
    assert '<a href="zhejiang/2023.html" title="浙江 2023年：1 篇">1</a>' in page
    # The row of no province: its count, no link (it has no page).
    assert '<tr><th scope="row">全国</th><td class="c1">2</td><td class="c0">0</td>' in page
