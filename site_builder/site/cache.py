"""The parse cache: front-matter of every content file, keyed by the file's size and mtime.

Kept next to the output (`.<out>-cache/content.jsonl`, not published). JSON, not pickle: a
cache file is data and can never run code. One line per file, read and written a line at a
time: at 100,000 articles the whole cache as one JSON value would cost hundreds of MB. A
line is a list, the article's fields in a fixed order (`_fields`), not an object naming
them: two thirds of the size, decoded in a third of the time. A cache that is missing, from
another version of the code or damaged (a line cut short, a field missing …) is simply
empty: the next build parses every file again.

A build after an edit writes the cache again with one line changed: the lines of the
entries it left alone are copied, as bytes, from the file they were read from (kept open
until then), not encoded again (at 100,000 articles ~2 s).
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import os
import shutil
from array import array
from collections.abc import Callable
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO, Any

from site_builder.models import Article
from site_builder.site.content import ParseCache
from site_builder.site.fingerprint import code_fingerprint
from site_builder.site.stored import STORED_FIELDS, shared_author, shared_date, shared_source, stored_values


def cache_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}-cache"


CACHE_FILE = "content.jsonl"


class LoadedCache(ParseCache):
    """A parse cache as read from its file: with, for each entry read, where its line is, so
    that an entry left as it was is written out again by copying its line."""

    def __init__(self) -> None:
        super().__init__()
        self.source: IO[bytes] | None = None  # the file read, open until written out
        self.read_at: dict[str, int] = {}  # rel → its entry's position in `entries`
        self.entries: list[tuple[int, int, Article]] = []  # the entries read, in file order
        self.offsets = array("Q")  # where each entry's line starts; then the file's end

    def line_of(self, rel: str) -> bytes | None:
        """The line read for the entry at `rel`, if that entry is still the one read."""
        i = self.read_at.get(rel)
        if self.source is None or i is None or self.entries[i] is not self.get(rel):
            return None
        start, end = self.offsets[i], self.offsets[i + 1]
        try:
            self.source.seek(start)
            line = self.source.read(end - start)
        except OSError:
            return None
        # (The file is held open and only builds write it, under the build lock: a line is
        # nevertheless taken only if it is whole and says it is this entry's, stamps included.)
        mtime, size, _ = self.entries[i]
        head = f"[{encode_basestring(rel)}, {int(mtime)}, {int(size)}, "  # (as `_encode` starts the line)
        return line if line.startswith(head.encode()) and line.endswith(b"\n") else None

    def as_read(self) -> bool:
        """Whether every entry is the one read from the file (and no other was added)."""
        return len(self) == len(self.read_at) and all(
            self.get(rel) is self.entries[i] for rel, i in self.read_at.items())

    def close(self) -> None:
        if self.source is not None:
            self.source.close()
            self.source = None

    def __enter__(self) -> LoadedCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load_parse_cache(out_dir: Path) -> LoadedCache:
    cache = LoadedCache()
    dates: dict[str, dt.date] = {}
    try:
        source = (cache_dir(out_dir) / CACHE_FILE).open("rb")
    except OSError:
        return cache
    try:
        first = source.readline()
        if json.loads(first or b"null") != {"code": code_fingerprint()}:
            source.close()
            return LoadedCache()
        offset = len(first)
        for line in source:
            rel, mtime, size, *values = json.loads(line)
            if not isinstance(rel, str):
                raise TypeError("not a path")
            entry = cache[rel] = (mtime, size, _article(values, dates))
            cache.read_at[rel] = len(cache.entries)
            cache.entries.append(entry)
            cache.offsets.append(offset)
            offset += len(line)
        cache.offsets.append(offset)
    except (OSError, ValueError, KeyError, TypeError):
        source.close()
        return LoadedCache()
    except BaseException:
        source.close()
        raise
    cache.source = source
    return cache


def save_parse_cache(out_dir: Path, cache: ParseCache) -> None:
    _install(out_dir, lambda out: write_parse_cache(cache, out))


def write_parse_cache(cache: ParseCache, out: IO[bytes]) -> None:
    """The cache file's bytes, to `out` (see `install_parse_cache`); an entry still the one a
    `LoadedCache` read is its line, copied."""
    out.write(json.dumps({"code": code_fingerprint()}).encode() + b"\n")
    copied = cache.line_of if isinstance(cache, LoadedCache) else lambda rel: None
    for rel in sorted(cache):
        line = copied(rel)
        if line is None:
            mtime, size, article = cache[rel]
            line = (_encode([rel, mtime, size, *_fields(article)]) + "\n").encode()
        out.write(line)


def install_parse_cache(out_dir: Path, written: IO[bytes]) -> None:
    """Put in place a cache written earlier by `write_parse_cache` (to a temporary file)."""
    written.seek(0)
    _install(out_dir, lambda out: shutil.copyfileobj(written, out))


def _install(out_dir: Path, write: Callable[[IO[bytes]], object]) -> None:
    folder = cache_dir(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{CACHE_FILE}.tmp"  # one build at a time (the lock): a killed one's is overwritten
    with tmp.open("wb") as out:
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
        day = dates[values[_DATE]] = shared_date(dt.date.fromisoformat(values[_DATE]))
    values[_DATE] = day
    file, first, last = values[_SOURCE]
    values[_SOURCE] = shared_source(file, (first, last))
    names = values[_AUTHORS]
    values[_AUTHORS] = tuple([shared_author(name, role) for name, role in zip(names[::2], names[1::2], strict=True)])
    return stored_values(values, parts_shared=True)
