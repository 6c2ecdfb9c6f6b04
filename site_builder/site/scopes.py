"""Scopes: the site cut into parts that are planned, made and kept as units.

A scope is a named part of the site made from a known part of the archive: an edition
(its page, its articles' pages, e-book, JSON and citation files), a province's year page,
a reporter's page, a month of the bulk data, the calendar of a year … Every output file
belongs to exactly one scope. A build plans again only the scopes a change can reach; the
output keys then decide, file by file, what is written.

A scope is named `kind` or `kind\\targument…` (`edition\\t2023-10-31`, `region-year\\t浙江\\t2023`).

What a change reaches depends on what changed in the article (`level`):

- `BODY`: only its text (the front-matter is as it was): the scopes that show bodies;
- `META`: its front-matter too (title, byline …), not what groups it: also the listings;
- `GROUP`: what groups it (date, province, authors, kind, column, page) or it came or went:
  also the counts and indexes (provinces map, reporters, calendar, about, data index …).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator

from site_builder.models import Article
from site_builder.site.scan import Change
from site_builder.site.view import ArchiveView

BODY, META, GROUP = 0, 1, 2
SEP = "\t"

# The least change that can alter a scope of each kind (see the module's docstring).
LEVELS: dict[str, int] = {
    "edition": BODY, "data-month": BODY, "search-unit": BODY, "home": BODY, "region": BODY,
    "region-year": META, "author": META, "author-year": META,
    "regions": GROUP, "authors": GROUP, "archive": GROUP, "archive-year": GROUP, "about": GROUP,
    "data": GROUP, "sitemap-year": GROUP, "site": GROUP, "search": BODY, "search-page": GROUP, "static": GROUP,
}
# Later articles whose related lists an article can enter or leave, or show changed: for each
# place or person they share, the days after it that name it, this many (`view.sharing` looks
# back at most its WINDOW articles, and those lie on as many days at most).
RELATED_REACH = 60
PROVINCE_REACH = 20


def scope(kind: str, *args: object) -> str:
    return SEP.join([kind, *map(str, args)])


def kind_of(name: str) -> str:
    return name.split(SEP, 1)[0]


def args_of(name: str) -> list[str]:
    return name.split(SEP)[1:]


def level(old: Article | None, new: Article | None) -> int:
    """How much of an article a change altered."""
    if old is None or new is None or _grouping(old) != _grouping(new):
        return GROUP
    return BODY if old.meta_digest == new.meta_digest and old.meta_digest else META


def _grouping(a: Article) -> tuple[object, ...]:
    return (a.date, a.province, tuple(a.authors), a.kind, a.column, a.page, a.page_name, a.source.file)


def scopes_showing(article: Article, change: int) -> Iterator[str]:
    """The scopes whose pages show `article` and that a change of this level can alter."""
    d = article.date
    found = [scope("edition", d.isoformat()), scope("home"), scope("data-month", f"{d:%Y-%m}"),
             scope("region-year", article.province, d.year) if article.province else "",
             scope("region", article.province) if article.province else ""]
    for name in dict.fromkeys(a.name for a in article.authors):
        found += [scope("author", name), scope("author-year", name, d.year)]
    found += [scope("regions"), scope("authors"), scope("archive"), scope("archive-year", d.year), scope("about"),
              scope("data"), scope("sitemap-year", d.year), scope("site"), scope("search"), scope("search-page")]
    yield from (s for s in found if s and LEVELS[kind_of(s)] <= change)


def affected(changes: Iterable[Change], view: ArchiveView, before: dict[dt.date, bool],
             shows_body: set[str]) -> set[str]:
    """Every scope that the changes can alter (a superset: the keys decide what is written).

    `before`: for each date a change touched, whether it had an edition before the changes
    (the view answers for after). `shows_body`: the kinds whose templates show bodies here
    (their pages change with a body too)."""
    found: set[str] = set()
    for change in changes:
        lvl = level(change.old, change.new)
        for article in (change.old, change.new):
            if article is None:
                continue
            for name in scopes_showing(article, max(lvl, BODY)):
                found.add(name)
            if lvl == BODY:
                found.update(s for s in scopes_showing(article, META) if kind_of(s) in shows_body)
        if lvl >= META:
            for article in (change.old, change.new):
                if article is not None:
                    found.update(shown_later(view, article))
    for date, had in before.items():
        if (view.edition(date) is not None) != had:  # an edition came or went
            found.update(edition_set_changed(view, date))
    found.update(_year_set_changed(view, changes))
    return found


def _year_set_changed(view: ArchiveView, changes: Iterable[Change]) -> set[str]:
    """The year pages of a listing (a province, a reporter, the calendar) link all its years:
    a year that came or went there changes them all."""
    delta: Counter[tuple[str, str, int]] = Counter()
    for change in changes:
        for article, sign in ((change.old, -1), (change.new, 1)):
            if article is None:
                continue
            year = article.date.year
            delta["archive-year", "", year] += sign
            if article.province:
                delta["region-year", article.province, year] += sign
            for name in dict.fromkeys(a.name for a in article.authors):
                delta["author-year", name, year] += sign
    found: set[str] = set()
    for (kind, key, year), moved in delta.items():
        if not moved:
            continue
        if kind == "archive-year":
            years = dict(view.edition_years())
        elif kind == "region-year":
            years = dict(view.province_years(key))
        else:
            years = dict(view.reporter(key)[1])
        if (years.get(year, 0) == 0) != (years.get(year, 0) - moved == 0):
            found.update(scope(kind, *([key] if key else []), y) for y in {*years, year})
    return found


def edition_set_changed(view: ArchiveView, date: dt.date) -> set[str]:
    """What an edition coming or going alters besides itself: the editions before and after
    it (their links), those of the same day in later years (往年今日), the calendars, home."""
    prev, nxt = view.neighbours(date)
    found = {scope("edition", d.isoformat()) for d in (prev, nxt) if d is not None} | _same_day_later(view, date)
    found.update({scope("archive"), scope("archive-year", date.year), scope("home"), scope("about"), scope("data"),
                  scope("site"), scope("sitemap-year", date.year), scope("search"), scope("search-page")})
    return found


def shown_later(view: ArchiveView, article: Article) -> set[str]:
    """The editions that can show `article` (as it was or as it is now) by reference, on
    their pages or among their articles' related ones: the same day in later years
    (往年今日: the day's lead, its count of items) and the editions of later articles that it
    shares a place, a person or the province with, within reach (`view.sharing`)."""
    return _same_day_later(view, article.date) | _later_sharing(view, article)


def _same_day_later(view: ArchiveView, date: dt.date) -> set[str]:
    """The editions of the same month and day in later years: they list this day (往年今日)."""
    rows = view.db.execute("SELECT DISTINCT date FROM articles WHERE date > ? AND substr(date, 5) = ?",
                           (date.isoformat(), date.isoformat()[4:]))
    return {scope("edition", d) for (d,) in rows}


def _later_sharing(view: ArchiveView, article: Article) -> set[str]:
    """The editions of articles printed after `article` that name one of its places or people,
    or are of its province (within reach): its arrival can put it among their related articles."""
    found: set[str] = set()
    day = article.date.isoformat()
    if article.province is not None:
        rows = view.db.execute("SELECT DISTINCT date FROM articles WHERE province = ? AND date >= ? ORDER BY date "
                               "LIMIT ?", (article.province, day, PROVINCE_REACH))
        found.update(scope("edition", d) for (d,) in rows)
    for table, column, values in (("places", "place", article.places),
                                  ("authors", "name", [a.name for a in article.authors])):
        for value in dict.fromkeys(values):
            rows = view.db.execute(f"SELECT DISTINCT date FROM {table} WHERE {column} = ? AND date >= ? "
                                   f"ORDER BY date LIMIT ?", (value, day, RELATED_REACH))
            found.update(scope("edition", d) for (d,) in rows)
    return found


def every_scope(view: ArchiveView) -> list[str]:
    """Every scope of the site as the archive is now (a full plan)."""
    found = [scope(k) for k in ("home", "regions", "authors", "archive", "about", "data", "site", "search", "search-page",
                                    "static")]
    found += [scope("edition", d.isoformat()) for d in view.dates()]
    years = sorted({d.year for d in view.dates()})
    found += [scope("archive-year", y) for y in years] + [scope("sitemap-year", y) for y in years]
    found += [scope("data-month", f"{y}-{m:02d}") for y, m, _ in view.months()]
    for (province, year) in sorted(view.coverage(), key=lambda k: (k[0] or "", k[1])):
        if province is not None:
            found.append(scope("region-year", province, year))
    found += sorted({scope("region", p) for p, _ in view.coverage() if p is not None})
    for name, _, _ in view.reporters():
        found.append(scope("author", name))
        found += [scope("author-year", name, y) for y, _ in view.reporter(name)[1]]
    return found
