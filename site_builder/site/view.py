"""The archive as the pages ask for it, answered from the state database.

Each page asks for what it shows (one edition, a province's year, a reporter's newest
articles, the counts per province and year …) and gets it from an indexed query: a build
that makes a few pages reads a few rows, whatever the size of the archive. Articles come
back as `StoredArticle`s (their bodies are read from their files when asked for).

>>> view = ArchiveView(reader(state_file), "content/")  # doctest: +SKIP
>>> view.edition(dt.date(2023, 10, 31)).sheets[0].number  # doctest: +SKIP
1
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from site_builder.models import Article, Edition
from site_builder.site.made import MadeArticles, rows_in
from site_builder.site.structure import group_edition

_NEWEST = "ORDER BY date DESC, ord ASC"  # newest edition first; within a day, printed order


@dataclass(frozen=True)
class Totals:
    editions: int
    sheets: int
    articles: int
    provinces: int
    reporters: int
    first: dt.date | None
    last: dt.date | None


@dataclass(frozen=True)
class EditionCount:
    date: dt.date
    sheets: int
    articles: int


class ArchiveView:
    def __init__(self, db: sqlite3.Connection, prefix: str) -> None:
        self.db = db
        self.prefix = prefix  # the content folder as article paths start: "content/"
        # (The related articles of neighbouring days are mostly the same ones: made once.)
        self.made = MadeArticles(db, prefix)
        # Counts over the whole archive that several pages show (a view reads one state).
        self._years: list[tuple[int, int]] | None = None
        self._totals: Totals | None = None

    def _articles(self, where: str, params: Sequence[object] = (), order: str = _NEWEST,
                  limit: int | None = None) -> list[Article]:
        sql = f"SELECT rel, fields FROM articles {where} {order}" + (f" LIMIT {int(limit)}" if limit else "")
        return [self.made.article(rel, fields) for rel, fields in self.db.execute(sql, params)]

    # -- editions --------------------------------------------------------------------------

    def dates(self) -> list[dt.date]:
        """Every edition's date, oldest first."""
        return [dt.date.fromisoformat(d) for (d,) in self.db.execute("SELECT DISTINCT date FROM articles ORDER BY date")]

    def edition(self, date: dt.date) -> Edition | None:
        articles = self._articles("WHERE date = ?", (date.isoformat(),), "ORDER BY ord")
        return group_edition(date, articles) if articles else None

    def neighbours(self, date: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """The editions before and after `date`."""
        day = date.isoformat()
        before = self.db.execute("SELECT max(date) FROM articles WHERE date < ?", (day,)).fetchone()[0]
        after = self.db.execute("SELECT min(date) FROM articles WHERE date > ?", (day,)).fetchone()[0]
        return _date(before), _date(after)

    def same_day_earlier(self, date: dt.date) -> list[dt.date]:
        """Editions of the same month and day in earlier years, newest first.

        Each earlier year's day is looked up in the date index: a page costs as many lookups
        as the archive has years, not a pass over every date (once per edition, that pass
        made a full build's cost grow with the square of the archive)."""
        first = self.db.execute("SELECT min(date) FROM articles").fetchone()[0]
        if first is None or int(first[:4]) >= date.year:
            return []
        day = date.isoformat()[4:]  # (-02-29 in a year without one is simply not found)
        days = [f"{year:04d}{day}" for year in range(date.year - 1, int(first[:4]) - 1, -1)]
        found = {d for (d,) in rows_in(self.db, "SELECT DISTINCT date FROM articles WHERE date IN ({})", days)}
        return [dt.date.fromisoformat(d) for d in days if d in found]

    def lead(self, date: dt.date) -> Article | None:
        """The lead of the edition of `date` (`pastyears.lead_headline`): its first article as
        printed; else its first photo or notice; None when it has only continuation fragments."""
        day = date.isoformat()
        found = (self._articles("WHERE date = ? AND kind = 'article'", (day,), "ORDER BY ord", 1)
                 or self._articles("WHERE date = ? AND kind != 'continuation'", (day,), "ORDER BY ord", 1))
        return found[0] if found else None

    def latest_dates(self, count: int) -> list[dt.date]:
        """The newest `count` edition dates, newest first."""
        rows = self.db.execute("SELECT DISTINCT date FROM articles ORDER BY date DESC LIMIT ?", (count,))
        return [dt.date.fromisoformat(d) for (d,) in rows]

    def edition_counts(self, year: int | None = None) -> list[EditionCount]:
        """Each edition (of `year`, or all) with its number of sheets and articles, oldest first."""
        where, params = ("WHERE date >= ? AND date < ?", (f"{year}-", f"{year + 1}-")) if year else ("", ())
        rows = self.db.execute(f"SELECT date, count(DISTINCT sheet), count(*) FROM articles {where} "
                               "GROUP BY date ORDER BY date", params)
        return [EditionCount(dt.date.fromisoformat(d), s, n) for d, s, n in rows]

    def edition_counts_of(self, dates: Iterable[dt.date]) -> list[EditionCount]:
        """These editions (newest first as given) with their numbers of sheets and articles."""
        found = []
        for date in dates:
            sheets, articles = self.db.execute("SELECT count(DISTINCT sheet), count(*) FROM articles WHERE date = ?",
                                               (date.isoformat(),)).fetchone()
            if articles:
                found.append(EditionCount(date, sheets, articles))
        return found

    def edition_years(self) -> list[tuple[int, int]]:
        """(year, number of editions), newest first."""
        if self._years is None:
            rows = self.db.execute("SELECT substr(date, 1, 4) y, count(DISTINCT date) FROM articles "
                                   "GROUP BY y ORDER BY y DESC")
            self._years = [(int(y), n) for y, n in rows]
        return list(self._years)

    def months(self) -> list[tuple[int, int, int]]:
        """(year, month, number of articles) of every month with articles, oldest first."""
        return self.months_of("1", ())

    def months_of(self, where: str, params: Sequence[object]) -> list[tuple[int, int, int]]:
        """The same for the articles `where` says (an SQL condition on `articles`)."""
        rows = self.db.execute(f"SELECT substr(date, 1, 7) m, count(*) FROM articles WHERE {where} "
                               "GROUP BY m ORDER BY m", params)
        return [(int(m[:4]), int(m[5:7]), n) for m, n in rows]

    def month_ends(self, where: str, params: Sequence[object]) -> list[tuple[int, int, int, dt.date]]:
        """(year, month, number of articles, newest date) of the articles `where` says."""
        rows = self.db.execute(f"SELECT substr(date, 1, 7) m, count(*), max(date) FROM articles WHERE {where} "
                               "GROUP BY m ORDER BY m", params)
        return [(int(m[:4]), int(m[5:7]), n, dt.date.fromisoformat(d)) for m, n, d in rows]

    def year_ends(self) -> list[tuple[int, dt.date]]:
        """(year, its last edition's date), oldest first."""
        rows = self.db.execute("SELECT substr(date, 1, 4) y, max(date) FROM articles GROUP BY y ORDER BY y")
        return [(int(y), dt.date.fromisoformat(d)) for y, d in rows]

    def provinces(self) -> list[str]:
        """The provinces with articles, in name order."""
        return [p for (p,) in self.db.execute("SELECT DISTINCT province FROM articles WHERE province IS NOT NULL "
                                              "ORDER BY province")]

    def year_articles(self, year: int) -> list[Article]:
        """A year's articles, oldest edition first, in printed order."""
        return self._articles("WHERE date >= ? AND date < ?", _span(year, None), "ORDER BY date, ord")

    def month_articles(self, year: int, month: int) -> list[Article]:
        """A month's articles, oldest edition first, in printed order."""
        start = f"{year}-{month:02d}"
        return self._articles("WHERE date >= ? AND date < ?", (start + "-", start + "-~"), "ORDER BY date, ord")

    def newest(self, count: int, province: str | None = None) -> list[Article]:
        """The newest `count` items that are not continuation fragments (of a province)."""
        if province is None:
            return self._articles("WHERE kind != 'continuation'", (), _NEWEST, count)
        return self._articles("WHERE province = ? AND kind != 'continuation'", (province,), _NEWEST, count)

    def newest_any(self, count: int) -> list[Article]:
        """The newest `count` items of any kind."""
        return self._articles("", (), "ORDER BY date DESC, id DESC", count)

    def totals(self) -> Totals:
        if self._totals is None:
            self._totals = self._count_totals()
        return self._totals

    def _count_totals(self) -> Totals:
        editions, sheets, articles, first, last = self.db.execute(
            "SELECT count(DISTINCT date), count(DISTINCT date || sheet), count(*), min(date), max(date) "
            "FROM articles").fetchone()
        provinces = self.db.execute("SELECT count(DISTINCT province) FROM articles").fetchone()[0]
        reporters = self.db.execute("SELECT count(DISTINCT name) FROM authors").fetchone()[0]
        return Totals(editions, sheets, articles, provinces, reporters, _date(first), _date(last))

    # -- provinces -------------------------------------------------------------------------

    def coverage(self) -> dict[tuple[str | None, int], int]:
        """Articles per (province or None, year)."""
        rows = self.db.execute("SELECT province, substr(date, 1, 4) y, count(*) FROM articles GROUP BY province, y")
        return {(p, int(y)): n for p, y, n in rows}

    def province_years(self, province: str) -> list[tuple[int, int]]:
        rows = self.db.execute("SELECT substr(date, 1, 4) y, count(*) FROM articles WHERE province = ? "
                               "GROUP BY y ORDER BY y DESC", (province,))
        return [(int(y), n) for y, n in rows]

    def province_latest(self, province: str) -> dt.date | None:
        return _date(self.db.execute("SELECT max(date) FROM articles WHERE province = ?", (province,)).fetchone()[0])

    def province_articles(self, province: str, year: int, month: int | None = None,
                          limit: int | None = None) -> list[Article]:
        low, high = _span(year, month)
        return self._articles("WHERE province = ? AND date >= ? AND date < ?", (province, low, high), _NEWEST, limit)

    # -- reporters -------------------------------------------------------------------------

    def reporters(self) -> list[tuple[str, tuple[str, ...], int]]:
        """(name, roles, number of articles) of every author, by name."""
        roles: dict[str, list[str]] = {}
        for name, role in self.db.execute("SELECT DISTINCT name, role FROM authors ORDER BY name, role"):
            roles.setdefault(name, []).append(role)
        counts = self.db.execute("SELECT name, count(DISTINCT rel) FROM authors GROUP BY name ORDER BY name")
        return [(name, tuple(roles[name]), n) for name, n in counts]

    def reporter_months(self, name: str) -> list[tuple[int, int, int]]:
        return [(y, m, n) for y, m, n, _ in self.reporter_month_ends(name)]

    def reporter_month_ends(self, name: str) -> list[tuple[int, int, int, dt.date]]:
        rows = self.db.execute("SELECT substr(date, 1, 7) m, count(DISTINCT rel), max(date) FROM authors "
                               "WHERE name = ? GROUP BY m ORDER BY m", (name,))
        return [(int(m[:4]), int(m[5:7]), n, dt.date.fromisoformat(d)) for m, n, d in rows]

    def reporter(self, name: str) -> tuple[tuple[str, ...], list[tuple[int, int]]]:
        """An author's roles and (year, number of articles), newest year first."""
        roles = tuple(sorted(r for (r,) in self.db.execute("SELECT DISTINCT role FROM authors WHERE name = ?", (name,))))
        rows = self.db.execute("SELECT substr(date, 1, 4) y, count(DISTINCT rel) FROM authors WHERE name = ? "
                               "GROUP BY y ORDER BY y DESC", (name,))
        return roles, [(int(y), n) for y, n in rows]

    def reporter_articles(self, name: str, year: int | None = None, month: int | None = None,
                          limit: int | None = None) -> list[Article]:
        low, high = _span(year, month) if year is not None else ("", "~")
        return self._articles("WHERE rel IN (SELECT rel FROM authors WHERE name = ? AND date >= ? AND date < ?)",
                              (name, low, high), _NEWEST, limit)

    # -- related ---------------------------------------------------------------------------

    def sharing(self, article: Article, limit: int, province_limit: int = 0) -> list[Article]:
        """Articles printed before `article` (an earlier day, or earlier on the same day) that
        name one of its places or people: for each, the newest `limit` of them; and the newest
        `province_limit` of its province. (In no set order, each once.)

        The windows are read from indexes that hold each row's date and printed order
        (`places_place`, `authors_name`, `articles_province`): a window is one index range, no
        row looked up; only the articles not made yet are read (`made`)."""
        day, order = article.date.isoformat(), _order_of(self.db, article)
        rels: dict[str, None] = {}
        province = [article.province] if article.province is not None and province_limit else []
        for table, column, values, n in (("articles", "province", province, province_limit),
                                         ("places", "place", article.places, limit),
                                         ("authors", "name", [a.name for a in article.authors], limit)):
            for value in dict.fromkeys(values):
                rows = self.db.execute(f"SELECT rel FROM {table} WHERE {column} = ? AND date <= ? AND (date < ? "
                                       "OR ord < ?) ORDER BY date DESC, ord LIMIT ?", (value, day, day, order, n))
                rels.update(dict.fromkeys(rel for (rel,) in rows))
        return self.made.of(rels)


def _order_of(db: sqlite3.Connection, article: Article) -> str:
    row = db.execute("SELECT ord FROM articles WHERE id = ? AND date = ?", (article.id, article.date.isoformat())).fetchone()
    return str(row[0]) if row else ""


def _span(year: int, month: int | None) -> tuple[str, str]:
    """The ISO date texts bounding a year or a month (low included, high not)."""
    if month is None:
        return f"{year}-", f"{year + 1}-"
    return f"{year}-{month:02d}-", f"{year}-{month:02d}-~"


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
