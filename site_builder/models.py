"""Values that cross stages: frozen dataclasses, named for the newspaper's domain.

The ingest half produces `Article`s from `RawPage`s; the build half reads `Article`s back
from `content/` and groups them into `Edition`s (a day), `Sheet`s (版面, one printed page)
and `Region`s (a province).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

Kind = Literal["article", "photo", "continuation", "notice"]
KINDS: tuple[Kind, ...] = ("article", "photo", "continuation", "notice")


@dataclass(frozen=True)
class Problem:
    """An error or warning tied to a file and line: `path:line: message`."""

    path: str
    line: int
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        return f"{self.path}:{self.line}: {prefix}{self.message}"


@dataclass(frozen=True)
class EditionEntry:
    """One entry of `seeds/editions.yaml`."""

    file: str
    date: dt.date | None
    date_source: str | None = None
    page: int | None = None
    page_name: str | None = None


@dataclass(frozen=True)
class RawPage:
    """One printed page as extracted text, decoded and with normalised line endings.

    `lines[i]` is line `i + 1` of the source file.
    """

    file: str
    lines: tuple[str, ...]
    date: dt.date | None
    date_source: str | None = None
    page: int | None = None
    page_name: str | None = None
    encoding: str = "utf-8"


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    role: str  # 记者 | 通讯员 | 实习生 | 摄影 | 作者 …


@dataclass(frozen=True, slots=True)
class Source:
    """Provenance: the raw file and the 1-based inclusive line range an article came from."""

    file: str
    lines: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Article:
    """One item of an edition, exactly the `content/` front-matter contract plus its body."""

    id: str
    kind: Kind
    title: str
    date: dt.date
    source: Source
    body: str = ""
    kicker: str | None = None
    subtitle: str | None = None
    column: str | None = None
    page: int | None = None
    page_name: str | None = None
    dateline: str | None = None
    province: str | None = None
    places: tuple[str, ...] = ()
    authors: tuple[Author, ...] = ()
    summary: str | None = None
    continued_from: str | None = None
    also_in: tuple[str, ...] = ()
    # Where the article was read from (content/…/x.md); empty for freshly ingested ones.
    path: str = field(default="", compare=False)
    # SHA-256 (hex, 32 chars) of the file's bytes: stands for every field in cache keys.
    digest: str = field(default="", compare=False)
    # The same of its front-matter alone: stands for what a listing shows (not the body).
    meta_digest: str = field(default="", compare=False)


def front_matter_values(article: Article) -> dict[str, Any]:
    """The front-matter fields of `article` in the contract's order, as plain values (lists
    and mappings, the date as a date): what the `content/` writer and the data files share."""
    return {
        "id": article.id,
        "kind": article.kind,
        "title": article.title,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "column": article.column,
        "date": article.date,
        "page": article.page,
        "page_name": article.page_name,
        "dateline": article.dateline,
        "province": article.province,
        "places": list(article.places),
        "authors": [{"name": a.name, "role": a.role} for a in article.authors],
        "summary": article.summary,
        "continued_from": article.continued_from,
        "source": {"file": article.source.file, "lines": list(article.source.lines)},
        "also_in": list(article.also_in),
    }


@dataclass(frozen=True)
class Sheet:
    """One printed page (版面) of an edition, its articles in printed order."""

    number: int | None
    name: str | None
    source_file: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Edition:
    date: dt.date
    sheets: tuple[Sheet, ...]

    @cached_property
    def articles(self) -> tuple[Article, ...]:
        # Asked for by every page of the day: computed once (stored past the frozen guard).
        return tuple(a for s in self.sheets for a in s.articles)


@dataclass(frozen=True)
class Region:
    """A province-level division with its articles, newest first."""

    name: str  # short name: 浙江, 内蒙古
    slug: str  # fixed: zhejiang, neimenggu, shaanxi (陕西) vs shanxi (山西)
    articles: tuple[Article, ...]
