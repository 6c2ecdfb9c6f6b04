"""The parse cache: front-matter of every content file, keyed by the file's size and mtime.

Kept next to the output (`.<out>-cache/content.jsonl`, not published). JSON, not pickle: a
cache file is data and can never run code. One line per file, read and written a line at a
time: at 100,000 articles the whole cache as one JSON value would cost hundreds of MB. A
line is a list, the article's fields in a fixed order (`_fields`), not an object naming
them: two thirds of the size, decoded in a third of the time. A cache that is missing, from
another version of the code or damaged (a line cut short, a field missing …) is simply
empty: the next build parses every file again.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from site_builder.build.content import STORED_FIELDS, ParseCache, shared_author, stored_values
from site_builder.build.fingerprint import code_fingerprint
from site_builder.models import Article, Source


def cache_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}-cache"


CACHE_FILE = "content.jsonl"


def load_parse_cache(out_dir: Path) -> ParseCache:
    cache: ParseCache = {}
    dates: dict[str, dt.date] = {}
    try:
        with (cache_dir(out_dir) / CACHE_FILE).open(encoding="utf-8") as lines:
            if json.loads(next(lines, "null")) != {"code": code_fingerprint()}:
                return {}
            for line in lines:
                rel, mtime, size, *values = json.loads(line)
                cache[rel] = (mtime, size, _article(values, dates))
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return cache


def save_parse_cache(out_dir: Path, cache: ParseCache) -> None:
    _install(out_dir, lambda out: write_parse_cache(cache, out))


def write_parse_cache(cache: ParseCache, out: IO[str]) -> None:
    """The cache file's text, to `out` (see `install_parse_cache`)."""
    out.write(json.dumps({"code": code_fingerprint()}) + "\n")
    for rel in sorted(cache):
        mtime, size, article = cache[rel]
        out.write(_encode([rel, mtime, size, *_fields(article)]) + "\n")


def install_parse_cache(out_dir: Path, written: IO[str]) -> None:
    """Put in place a cache written earlier by `write_parse_cache` (to a temporary file)."""
    written.seek(0)
    _install(out_dir, lambda out: shutil.copyfileobj(written, out))


def _install(out_dir: Path, write: Callable[[IO[str]], object]) -> None:
    folder = cache_dir(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{CACHE_FILE}.tmp"  # one build at a time (the lock): a killed one's is overwritten
    with tmp.open("w", encoding="utf-8") as out:
        write(out)
    os.replace(tmp, folder / CACHE_FILE)
    (folder / "content.json").unlink(missing_ok=True)  # the whole-file cache of earlier versions


_DATE, _SOURCE, _AUTHORS = (STORED_FIELDS.index(name) for name in ("date", "source", "authors"))
_values = operator.attrgetter(*STORED_FIELDS)
# One encoder for every line: `json.dumps` with options makes a new one each call. A line's
# lists are made by `_fields`, never holding themselves: no need to look for cycles.
_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def _fields(article: Article) -> list[object]:
    """The article's fields in `STORED_FIELDS` order, as JSON has them: the date as its ISO text,
    the source as [file, first line, last line], the authors as [name, role, name, role …]."""
    values: list[object] = list(_values(article))
    values[_DATE] = article.date.isoformat()
    values[_SOURCE] = [article.source.file, *article.source.lines]
    values[_AUTHORS] = [text for author in article.authors for text in (author.name, author.role)]
    return values


def _article(values: list[Any], dates: dict[str, dt.date]) -> Article:
    """The article of a line's `_fields`; `dates` (ISO text → date) is shared by all lines."""
    if len(values) != len(STORED_FIELDS):
        raise ValueError(f"{len(values)} fields, not {len(STORED_FIELDS)}")
    day = dates.get(values[_DATE])
    if day is None:
        day = dates[values[_DATE]] = dt.date.fromisoformat(values[_DATE])
    values[_DATE] = day
    file, first, last = values[_SOURCE]
    values[_SOURCE] = Source(file, (first, last))
    names = values[_AUTHORS]
    values[_AUTHORS] = [shared_author(name, role) for name, role in zip(names[::2], names[1::2], strict=True)]
    return stored_values(values)
