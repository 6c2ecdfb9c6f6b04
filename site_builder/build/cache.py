"""The parse cache: front-matter of every content file, keyed by the file's size and mtime.

Kept next to the output (`.<out>-cache/content.jsonl`, not published). JSON, not pickle: a
cache file is data and can never run code. One line per file, read and written a line at a
time: at 100,000 articles the whole cache as one JSON value would cost hundreds of MB. A
cache that is missing, from another version of the code or unreadable is simply empty: the
next build parses every file again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import IO

from site_builder.build.content import ParseCache, stored
from site_builder.build.fingerprint import code_fingerprint
from site_builder.models import Article, Author, Source


def cache_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}-cache"


CACHE_FILE = "content.jsonl"


def load_parse_cache(out_dir: Path) -> ParseCache:
    cache: ParseCache = {}
    try:
        with (cache_dir(out_dir) / CACHE_FILE).open(encoding="utf-8") as lines:
            if json.loads(next(lines, "null")) != {"code": code_fingerprint()}:
                return {}
            for line in lines:
                rel, mtime, size, fields = json.loads(line)
                cache[rel] = (mtime, size, _article(fields))
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
        out.write(json.dumps([rel, mtime, size, _fields(article)], ensure_ascii=False, default=str) + "\n")


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


_FIELDS = tuple(f.name for f in fields(Article) if f.name != "body")


def _fields(article: Article) -> dict[str, object]:
    values = {name: getattr(article, name) for name in _FIELDS}
    values["source"] = {"file": article.source.file, "lines": list(article.source.lines)}
    values["authors"] = [{"name": a.name, "role": a.role} for a in article.authors]
    return values


def _article(fields: dict[str, object]) -> Article:
    values = dict(fields)
    values["date"] = dt.date.fromisoformat(str(values["date"]))
    source = values["source"]
    assert isinstance(source, dict)
    values["source"] = Source(source["file"], tuple(source["lines"]))
    values["authors"] = tuple(Author(**a) for a in values["authors"])  # type: ignore[attr-defined]
    return stored(values)
