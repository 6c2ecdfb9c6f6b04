"""Articles for the reader features' tests: hypothesis strategies and a small archive made of
real names and places from the newspaper (seeds/)."""

from __future__ import annotations

import datetime as dt
import hashlib

from hypothesis import strategies as st

from site_builder.models import Article, Author, Kind, Source

PLACES = ("温州", "湖州", "德清", "沈阳", "朝阳区", "西城区", "凯里", "遵义", "厦门", "雄安新区")
PEOPLE = ("赖志凯", "赖书闻", "邹倜然", "邵晨晨", "田晓青", "李丰", "朱欣", "谢尚国")
PROVINCES = ("北京", "浙江", "辽宁", "贵州", "福建", "海南")
TITLES = ("向前一步，贴近职工", "下班后，去职工之家“打卡”", "工会文化大餐火出圈的背后……",
          "在助力共同富裕中贡献工会力量", "新居民异乡过节", "坚持和发展中国特色社会主义要一以贯之")
FILES = ("000_da4d75aed8247b84.txt", "002_fbb514566554923e.txt", "003_a07a59b70d268fc0.txt")
KINDS: tuple[Kind, ...] = ("article", "article", "article", "photo", "notice", "continuation")


def article(date: dt.date, n: int, *, title: str = TITLES[0], kind: Kind = "article", page: int | None = 1,
            line: int = 1, file: str = FILES[0], places: tuple[str, ...] = (), people: tuple[str, ...] = (),
            province: str | None = None) -> Article:
    """An article of `date`; `n` makes its id unique that day."""
    digest = hashlib.sha256(f"{date}{n}".encode()).hexdigest()[:8]
    return Article(
        id=f"{date:%Y%m%d}-{digest}", kind=kind, title=title, date=date, page=page,
        source=Source(file, (line, line + 10)), places=places,
        authors=tuple(Author(name, "记者") for name in people), province=province,
    )


@st.composite
def articles(draw: st.DrawFn, days: int = 40, max_size: int = 30) -> list[Article]:
    """Distinct articles over `days` days from 2020-02-20 (a leap day among them), sharing
    places, people and provinces from small pools."""
    start = dt.date(2020, 2, 20)
    count = draw(st.integers(0, max_size))
    result = []
    for n in range(count):
        result.append(article(
            start + dt.timedelta(days=draw(st.integers(0, days))), n,
            title=draw(st.sampled_from(TITLES)), kind=draw(st.sampled_from(KINDS)),
            page=draw(st.one_of(st.none(), st.integers(1, 4))), line=draw(st.integers(1, 500)),
            file=draw(st.sampled_from(FILES)),
            places=tuple(draw(st.lists(st.sampled_from(PLACES), max_size=3, unique=True))),
            people=tuple(draw(st.lists(st.sampled_from(PEOPLE), max_size=2, unique=True))),
            province=draw(st.one_of(st.none(), st.sampled_from(PROVINCES))),
        ))
    return result
