"""Synthetic archives for `make bench`: real seed text recombined into years of daily editions.

One in-memory model (a list of `Article`, the `content/` contract itself) is generated from a
seed and written twice: as our `content/` tree (`dump_article`) and as a Hugo content tree
(`bench.trees`). Every day is generated from its own random stream (`seed`, date), provinces
from one shuffled rotation, so an archive is the same bytes on every run and "one more edition"
is simply the next day.

- 6–10 items a day over consecutive days, ending on `LAST_DAY`, on 4 pages (版次) with names;
- ~1,500 characters per article (sentences of the 28 seed articles recombined, numbers
  varied), news leads `本报讯（记者…）`, subheads, kickers, subtitles, reading boxes;
- photos (`kind: photo`), columns (`column:`), jumps to page 2 (`kind: continuation`);
- every one of the 31 mainland provinces, in a shuffled rotation (a few items are national).

>>> articles = generate(1000, seed=1, text=seed_text(Path("content")))  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from bench.seedtext import MAINLAND, SeedText, seed_text
from site_builder.models import Article, Author, Source

GENERATOR_VERSION = 2
LAST_DAY = dt.date(2023, 10, 30)
PER_DAY = (6, 10)
PAGE_NAMES = ("要闻", "工会新闻", "新闻·观察", "视点")
PER_PAGE = 3  # items per page before the next page starts (the last page takes the rest)
BODY_CHARS = (1200, 1800)
_DIGITS = re.compile(r"\d+")

@dataclass(frozen=True)
class Staff:
    """The paper's reporters: recombined names of the seed bylines, more for a larger archive."""

    reporters: tuple[str, ...]
    correspondents: tuple[str, ...]


def staff(text: SeedText, n: int, seed: int) -> Staff:
    rng = random.Random(f"staff-{seed}")
    names = [s + g for s in text.surnames for g in text.given_names]
    rng.shuffle(names)
    size = min(len(names), 40 + n // 40)
    return Staff(tuple(names[: size // 2]), tuple(names[size // 2 : size]))


def day_counts(n: int, seed: int, per_day: tuple[int, int] = PER_DAY) -> list[int]:
    """Items per day, each in `per_day`, adding up to `n` (with PER_DAY: any n ≥ 6 but 11,
    which no days make)."""
    low, high = per_day
    if n < low or low * -(-n // high) > n:
        raise ValueError(f"{n} articles cannot be split into days of {low}–{high}")
    # Random days until a few days' worth is left, then days that share the rest; when the
    # rest cannot be shared so (50–60 a day: 61–99 left), the random days stop earlier.
    for tail in (3, 10, 100):
        rng = random.Random(f"days-{seed}")
        counts: list[int] = []
        left = n
        while left > tail * high:
            counts.append(rng.randint(low, high))
            left -= counts[-1]
        days = -(-left // high)
        if low * days > left:
            continue
        last = [low] * days
        for _ in range(left - low * days):  # the rest, one at a time, to days with room
            last[rng.choice([i for i, c in enumerate(last) if c < high])] += 1
        return counts + last
    raise ValueError(f"{n} articles cannot be split into days of {low}–{high}")


def generate(n: int, seed: int, text: SeedText, per_day: tuple[int, int] = PER_DAY) -> list[Article]:
    """The archive of `n` items, oldest day first, the last day being LAST_DAY. `per_day`: the
    items of a day (the default a few pages' worth; 50–60 makes 400,000 articles 20 years)."""
    counts = day_counts(n, seed, per_day)
    people = staff(text, n, seed)
    first = LAST_DAY - dt.timedelta(days=len(counts) - 1)
    provinces = _province_rotation(seed)
    articles: list[Article] = []
    for i, count in enumerate(counts):
        articles.extend(edition(first + dt.timedelta(days=i), count, seed, text, people, provinces))
    return articles


def edition(date: dt.date, count: int, seed: int, text: SeedText, people: Staff,
            provinces: Iterator[str | None]) -> list[Article]:
    """One day's items in printed order, from the day's own random stream."""
    rng = random.Random(f"day-{seed}-{date.isoformat()}")
    items: list[Article] = []
    ids: set[str] = set()
    line = {p: 1 for p in range(1, len(PAGE_NAMES) + 1)}
    for i in range(count):
        page = min(1 + i // PER_PAGE, len(PAGE_NAMES))
        ident = _new_id(rng, date, ids)
        # A jump: the first story of page 1 goes on on page 2 (at most one a day).
        head = items[0] if page == 2 and items[0].kind == "article" and rng.random() < 0.3 else None
        if head is not None and not any(a.kind == "continuation" for a in items):
            article = _continuation(rng, ident, date, head, text)
        elif rng.random() < 0.08:
            article = _photo(rng, ident, date, text, people, next(provinces))
        else:
            article = _article(rng, ident, date, text, people, next(provinces))
        lines = 2 + article.body.count("\n\n") * 2
        article = _placed(article, date, page, (line[page], line[page] + lines))
        line[page] += lines + 1
        items.append(article)
    return items


def _article(rng: random.Random, ident: str, date: dt.date, text: SeedText, people: Staff,
             province: str | None) -> Article:
    reporters = rng.sample(people.reporters, rng.choice((1, 1, 1, 2)))
    authors = [Author(name, "记者") for name in reporters]
    if rng.random() < 0.4:
        authors.append(Author(rng.choice(people.correspondents), "通讯员"))
    news = rng.random() < 0.55
    event = date - dt.timedelta(days=rng.randint(1, 4))
    dateline = f"{event.month}月{event.day}日" if news else None
    paragraphs = _paragraphs(rng, text, rng.randint(*BODY_CHARS))
    if news:
        names = " ".join(f"{a.role}{a.name}" for a in authors)
        paragraphs[0] = f"本报讯（{names}）{dateline}，{paragraphs[0]}"
    elif rng.random() < 0.25 and len(paragraphs) > 4:
        for at in sorted(rng.sample(range(1, len(paragraphs)), 2), reverse=True):
            paragraphs.insert(at, "## " + rng.choice(text.headings))
    places = rng.sample(text.places[province], min(len(text.places[province]), rng.randint(1, 2))) if province else []
    column = rng.choice(text.columns) if rng.random() < 0.06 else None
    return Article(
        id=ident, kind="article", title=_title(rng, text), date=date, source=Source("-", (1, 1)),
        body="\n\n".join(paragraphs),
        kicker=rng.choice(text.kickers) if rng.random() < 0.35 else None,
        subtitle=rng.choice(text.subtitles) if rng.random() < 0.1 else None,
        column=column, dateline=dateline, province=province, places=tuple(places),
        authors=tuple(authors), summary=rng.choice(text.summaries) if rng.random() < 0.05 else None,
    )


def _photo(rng: random.Random, ident: str, date: dt.date, text: SeedText, people: Staff,
           province: str | None) -> Article:
    caption = rng.sample(text.captions, 2)
    return Article(
        id=ident, kind="photo", title=rng.choice(text.clauses), date=date, source=Source("-", (1, 1)),
        body="\n\n".join(_vary(rng, c) for c in caption), province=province,
        places=(rng.choice(text.places[province]),) if province else (),
        authors=(Author(rng.choice(people.reporters), "记者"),),
    )


def _continuation(rng: random.Random, ident: str, date: dt.date, head: Article, text: SeedText) -> Article:
    return Article(
        id=ident, kind="continuation", title=head.title, date=date, source=Source("-", (1, 1)),
        body="\n\n".join(_paragraphs(rng, text, rng.randint(400, 900))), continued_from="第1版",
    )


def _placed(article: Article, date: dt.date, page: int, lines: tuple[int, int]) -> Article:
    return replace(article, page=page, page_name=PAGE_NAMES[page - 1],
                   source=Source(f"synth-{date:%Y%m%d}-{page:02d}.txt", lines))


def _paragraphs(rng: random.Random, text: SeedText, chars: int) -> list[str]:
    paragraphs: list[str] = []
    total = 0
    while total < chars:
        paragraph = "".join(_vary(rng, s) for s in rng.sample(text.sentences, rng.randint(2, 4)))
        paragraphs.append(paragraph)
        total += len(paragraph)
    return paragraphs


def _vary(rng: random.Random, sentence: str) -> str:
    """Numbers changed (same number of digits): `40对新人` → `73对新人`."""
    if rng.random() < 0.5:
        return sentence
    return _DIGITS.sub(lambda m: str(rng.randint(10 ** (len(m[0]) - 1), 10 ** len(m[0]) - 1)), sentence)


def _title(rng: random.Random, text: SeedText) -> str:
    if rng.random() < 0.3:
        return rng.choice(text.title_parts)
    first, second = rng.sample(text.clauses, 2)
    return first if rng.random() < 0.4 else f"{first}{rng.choice(('，', ' '))}{second}"


def _new_id(rng: random.Random, date: dt.date, taken: set[str]) -> str:
    while True:
        ident = f"{date:%Y%m%d}-{rng.getrandbits(32):08x}"
        if ident not in taken:
            taken.add(ident)
            return ident


def _province_rotation(seed: int) -> Iterator[str | None]:
    """Every mainland province once per round, in a new order each round; one in ten national."""
    rng = random.Random(f"provinces-{seed}")
    while True:
        order: list[str | None] = list(MAINLAND)
        order += [None] * (len(order) // 9)
        rng.shuffle(order)
        yield from order


def next_editions(n: int, seed: int, text: SeedText, days: int) -> list[Article]:
    """`days` more editions after LAST_DAY for the archive (n, seed): the paper keeps coming out."""
    people = staff(text, n, seed)
    provinces = _province_rotation(seed + 1)
    rng = random.Random(f"next-{seed}-{n}")
    new: list[Article] = []
    for i in range(1, days + 1):
        new.extend(edition(LAST_DAY + dt.timedelta(days=i), rng.randint(*PER_DAY), seed, text, people, provinces))
    return new


def default_seed_text() -> SeedText:
    return seed_text(Path(__file__).resolve().parents[1] / "content")
