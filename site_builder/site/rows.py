"""An article as a row of the state database, and back.

The row keeps the front-matter (every field but the body, which stays in its file) as a
JSON list in `STORED_FIELDS` order, and beside it the values the pages query by: date,
printed order within the day (`ord`), kind, province, column. JSON, not pickle: the state
is data and can never run code.

>>> row = article_row(article, "2023/10/31/20231031-3f9a2c1e.md", (1698710400000000000, 5120))  # doctest: +SKIP
>>> row_article(row.fields, "content/2023/10/31/20231031-3f9a2c1e.md").title  # doctest: +SKIP
'工会文化大餐火出圈的背后'
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from dataclasses import dataclass
from typing import Any

from site_builder.models import Article
from site_builder.site.stored import (
    STORED_FIELDS,
    StoredArticle,
    shared_author,
    shared_date,
    shared_source,
    stored_values,
)

_DATE, _SOURCE, _AUTHORS, _PATH = (STORED_FIELDS.index(name) for name in ("date", "source", "authors", "path"))
_values = operator.attrgetter(*STORED_FIELDS)
# A row's lists are made by `_fields`, never holding themselves: no need to look for cycles.
_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":")).encode
# Unnumbered sheets sort after numbered ones (page numbers are < 1000), as `group_edition` does.
_NO_PAGE = 1000


@dataclass(frozen=True)
class ArticleRow:
    """The columns of `articles` for one file."""

    rel: str  # below the content folder: 2023/10/31/20231031-3f9a2c1e.md
    folder: str
    mtime_ns: int
    size: int
    id: str
    date: str
    ord: str
    sheet: str
    kind: str
    province: str | None
    column: str | None
    digest: str
    meta_digest: str
    fields: str

    def values(self) -> tuple[object, ...]:
        return (self.rel, self.folder, self.mtime_ns, self.size, self.id, self.date, self.ord, self.sheet, self.kind,
                self.province, self.column, self.digest, self.meta_digest, self.fields)


COLUMNS = "rel, folder, mtime_ns, size, id, date, ord, sheet, kind, province, col, digest, meta_digest, fields"
PLACEHOLDERS = ", ".join("?" * len(COLUMNS.split(",")))


def sheet_of(article: Article) -> str:
    """The sheet (版面) an article is printed on, as `group_edition` groups them: its page
    number, else its raw file (one file is one printed page); sorts as the sheets do."""
    if article.page is not None:
        return f"{article.page:04d}\0"
    return f"{_NO_PAGE:04d}\0{article.source.file}"


def printed_order(article: Article) -> str:
    """A text that sorts the items of one day as printed: by sheet, then first source line,
    file and id."""
    return f"{sheet_of(article)}\0{article.source.lines[0]:09d}\0{article.source.file}\0{article.id}"


def article_row(article: Article, rel: str, stamp: tuple[int, int]) -> ArticleRow:
    return ArticleRow(
        rel=rel, folder=rel.rpartition("/")[0], mtime_ns=stamp[0], size=stamp[1], id=article.id,
        date=article.date.isoformat(), ord=printed_order(article), sheet=sheet_of(article), kind=article.kind, province=article.province,
        column=article.column, digest=article.digest, meta_digest=article.meta_digest,
        fields=_encode(_fields(article)),
    )


def _fields(article: Article) -> list[object]:
    """The article's fields in `STORED_FIELDS` order, as JSON has them: the date as its ISO
    text, the source as [file, first line, last line], the authors as [name, role, …]; the
    path is left out (it is the content folder's, given when the row is read)."""
    values: list[object] = list(_values(article))
    values[_DATE] = article.date.isoformat()
    values[_SOURCE] = [article.source.file, *article.source.lines]
    values[_AUTHORS] = [text for author in article.authors for text in (author.name, author.role)]
    values[_PATH] = ""
    return values


_DATES: dict[str, dt.date] = {}


def row_article(fields: str, path: str) -> StoredArticle:
    """The article of a row's `fields`, read from the file at `path` (its body comes from there)."""
    values: list[Any] = json.loads(fields)
    if len(values) != len(STORED_FIELDS):
        raise ValueError(f"{len(values)} fields, not {len(STORED_FIELDS)}")
    day = _DATES.get(values[_DATE])
    if day is None:
        day = _DATES[values[_DATE]] = shared_date(dt.date.fromisoformat(values[_DATE]))
    values[_DATE] = day
    file, first, last = values[_SOURCE]
    values[_SOURCE] = shared_source(file, (first, last))
    names = values[_AUTHORS]
    values[_AUTHORS] = tuple([shared_author(name, role) for name, role in zip(names[::2], names[1::2], strict=True)])
    values[_PATH] = path
    return stored_values(values, parts_shared=True)
