"""Data for reuse, with no server: what a researcher downloads instead of scraping pages.

- `YYYY/MM/DD/edition.json`: one edition, its sheets (版面) and its articles in full;
- `data/editions.json`: the index of editions, with their files, and of the monthly files;
- `data/articles/2023-10.jsonl`: every article of a month, one JSON object a line, oldest
  edition first and in printed order within a day (a month a file: an edit rewrites one);
- `data/article.schema.json`: the JSON Schema of one article record (the same record in
  edition.json and articles.jsonl), documented in Chinese on the about page.

Every key of a record is always present (null or [] when the front-matter leaves it out),
so the files load into a table with fixed columns. Paths are root-relative; `base_url` in
editions.json (empty when not configured) makes them absolute.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from functools import partial
from typing import Any

import jinja2

from site_builder.config import SiteConfig
from site_builder.models import Article, Edition, front_matter_values
from site_builder.site.outputs import Output, article_key, key_of
from site_builder.site.view import EditionCount
from site_builder.urls import Urls

SCHEMA_VERSION = 1

# (key, JSON type, required non-null, description): the one place the record is defined.
FIELDS: tuple[tuple[str, str | list[str], str], ...] = (
    ("id", "string", "稳定的稿件编号，如 20231031-3f9a2c1e"),
    ("kind", "string", "类别：article 文章、photo 图片、continuation 转版、notice 告示"),
    ("title", "string", "主题（主标题）"),
    ("kicker", ["string", "null"], "引题"),
    ("subtitle", ["string", "null"], "副题"),
    ("column", ["string", "null"], "栏目"),
    ("date", "string", "出版日期，YYYY-MM-DD"),
    ("page", ["integer", "null"], "版次"),
    ("page_name", ["string", "null"], "版名"),
    ("dateline", ["string", "null"], "电头日期，按原文"),
    ("province", ["string", "null"], "所涉省级行政区简称，全国性稿件为 null"),
    ("places", "array", "稿件提到的地名"),
    ("authors", "array", "署名作者：[{name 姓名, role 身份}]"),
    ("summary", ["string", "null"], "阅读提示"),
    ("continued_from", ["string", "null"], "转版稿件的上接版次"),
    ("source", "object", "出处：原始版面文本文件 file 与行号范围 lines [首行, 末行]"),
    ("also_in", "array", "同一版面的其他提取文本文件"),
    ("body", "string", "正文（Markdown，一段一行，段间空一行）"),
    ("path", "string", "稿件网页相对站点根目录的路径"),
)


def article_record(article: Article) -> dict[str, Any]:
    record = front_matter_values(article)
    record["date"] = article.date.isoformat()
    record["body"] = article.body
    record["path"] = Urls.article(article)
    return record


def _day_files(date: dt.date) -> dict[str, str]:
    html, data, epub = Urls.edition_files(date)
    return {"html": html, "json": data, "epub": epub}


def _dumps(value: dict[str, Any]) -> str:
    """The object with a key a line and, in its lists, an item a line: readable, and a change
    to one item is a change to one line. (Made by the json module's C encoder: with `indent`
    it takes its Python one, 0.5 s for the index of the 100,000-article archive.)"""
    lines = []
    for key, item in value.items():
        if isinstance(item, list) and item:
            lines.append(f"{_one(key)}: [\n  " + ",\n  ".join(_one(entry) for entry in item) + "\n ]")
        else:
            lines.append(f"{_one(key)}: {_one(item)}")
    return "{\n " + ",\n ".join(lines) + "\n}\n"


def _one(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def render_edition(config: SiteConfig, edition: Edition) -> str:
    return _dumps({
        "schema_version": SCHEMA_VERSION,
        "newspaper": config.newspaper,
        "date": edition.date.isoformat(),
        "files": _day_files(edition.date),
        "sheets": [
            {"number": s.number, "name": s.name, "source_file": s.source_file, "articles": [a.id for a in s.articles]}
            for s in edition.sheets
        ],
        "articles": [article_record(a) for a in edition.articles],
    })


def render_index(config: SiteConfig, editions: list[EditionCount], months: list[tuple[int, int, int]]) -> str:
    return _dumps({
        "schema_version": SCHEMA_VERSION,
        "title": config.title,
        "newspaper": config.newspaper,
        "publisher": config.publisher,
        "language": config.language,
        "base_url": config.base_url,
        "article_schema": Urls.articles_schema,
        "article_files": [{"month": f"{y}-{m:02d}", "articles": n, "file": Urls.articles_month(y, m)}
                          for y, m, n in months],
        "editions": [
            {"date": e.date.isoformat(), "sheets": e.sheets, "articles": e.articles, "files": _day_files(e.date)}
            for e in editions
        ],
    })


def render_month(articles: list[Article]) -> str:
    """One JSON line per article."""
    return "".join(json.dumps(article_record(a), ensure_ascii=False, separators=(",", ":")) + "\n"
                   for a in articles)


def article_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of one article record."""
    nested: dict[str, dict[str, Any]] = {
        "authors": {"items": {"type": "object", "required": ["name", "role"], "additionalProperties": False,
                              "properties": {"name": {"type": "string"}, "role": {"type": "string"}}}},
        "places": {"items": {"type": "string"}},
        "also_in": {"items": {"type": "string"}},
        "source": {"required": ["file", "lines"], "additionalProperties": False, "properties": {
            "file": {"type": "string"},
            "lines": {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 2, "maxItems": 2},
        }},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "工人日报稿件",
        "type": "object",
        "required": [name for name, _, _ in FIELDS],
        "additionalProperties": False,
        "properties": {
            name: {"type": kind, "description": text, **nested.get(name, {})} for name, kind, text in FIELDS
        },
    }


def edition_outputs(config: SiteConfig, edition: Edition) -> Iterator[Output]:
    yield Output("data", Urls.edition_data(edition.date),
                 key_of("edition.json", edition.date, config.newspaper, [article_key(a) for a in edition.articles]),
                 partial(render_edition, config, edition))


def index_output(config: SiteConfig, editions: list[EditionCount], months: list[tuple[int, int, int]]) -> Output:
    settings = (config.title, config.newspaper, config.publisher, config.language, config.base_url)
    return Output("data", Urls.editions_data, key_of("editions.json", settings, editions, months),
                  partial(render_index, config, editions, months))


def month_output(year: int, month: int, articles: list[Article]) -> Output:
    return Output("data", Urls.articles_month(year, month),
                  key_of("articles.jsonl", [article_key(a) for a in articles]), partial(render_month, articles))


def schema_output() -> Output:
    return Output("data", Urls.articles_schema, key_of("schema", FIELDS), lambda: _dumps(article_schema()))


def register(env: jinja2.Environment) -> None:
    """The about page documents the record from the same table the schema is made from."""
    env.globals.update(data_fields=FIELDS)
