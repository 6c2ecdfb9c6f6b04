"""The parse cache: front-matter of every content file, keyed by the file's size and mtime.

Kept next to the output (`.<out>-cache/content.json`, not published). JSON, not pickle: a
cache file is data and can never run code. A cache that is missing, from another version
of the code or unreadable is simply empty: the next build parses every file again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import fields
from pathlib import Path

from site_builder.build.content import ParseCache, stored
from site_builder.build.fingerprint import code_fingerprint
from site_builder.models import Article, Author, Source


def cache_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}-cache"


def load_parse_cache(out_dir: Path) -> ParseCache:
    try:
        data = json.loads((cache_dir(out_dir) / "content.json").read_text("utf-8"))
        if data["code"] != code_fingerprint():
            return {}
        return {rel: (mtime, size, _article(fields)) for rel, (mtime, size, fields) in data["files"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def save_parse_cache(out_dir: Path, cache: ParseCache) -> None:
    files = {rel: [mtime, size, _fields(a)] for rel, (mtime, size, a) in sorted(cache.items())}
    text = json.dumps({"code": code_fingerprint(), "files": files}, ensure_ascii=False, default=str)
    folder = cache_dir(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / "content.json.tmp"  # one build at a time (the lock): a killed one's is overwritten
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, folder / "content.json")


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
