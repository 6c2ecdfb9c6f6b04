"""The substring index of one index unit (`units`): every article's character bigrams, beside its Pagefind index.

Pagefind splits Chinese text into words when it indexes (`中国|铁|建工|会`) and again, with
the browser's own dictionary, when it searches, so a run of characters that crosses a word
boundary is missed: `雄安` in `雄|安`, `段简` in `阶段|简单`. Chinese readers expect any run of
two or more characters to be found. This index lists, for every pair of consecutive CJK
characters in a page Pagefind indexed, the pages that contain it; the search page intersects
the lists of a query's bigrams (exact for a two-character query; for a longer one, a short
list of candidates checked against the page text).

It is made from the unit's Pagefind fragments (url, filters, meta and the indexed text), so
it matches exactly what Pagefind indexed and needs nothing else. Written to `grams/`:

- `pages.grams`: the unit's pages in date order (the number of a page is its place here),
  as columns: Pagefind fragment id, month-day, province, kind, column. The search page filters
  and sorts by date with it.
- `c<k>.grams`: the posting lists of the bigrams that hash to chunk k, delta-encoded.

Both are gzip-compressed JSON (fetched and inflated by `static/search-online.js`; a name
that does not end in `.gz` so no host adds a Content-Encoding).

>>> sorted(bigrams("工会 雄安新区"))
['安新', '工会', '新区', '雄安']
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

FORMAT = 1
GRAMS_DIR = "grams"
PAGES_FILE = "pages.grams"
# About 20 KB of compressed postings per chunk: a two-character query loads one chunk per unit.
POSTINGS_PER_CHUNK = 20_000
# Pagefind writes the word segmentation into the fragment text as zero-width spaces.
_WORD_BREAK = "\u200b"
# The CJK characters; must match `CJK_RUN` in static/search-match.js.
_CJK = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Every overlapping pair, found by the regex engine in one pass (a lookahead consumes nothing).
_PAIRS = re.compile(f"(?=([{_CJK}][{_CJK}]))")
_SIGNATURE = b"pagefind_dcd"


@dataclass(frozen=True)
class IndexedPage:
    """What Pagefind stored for one page: its fragment id and the fields the search filters on."""

    fragment: str  # "zh-cn_1960975": the file fragment/<id>.pf_fragment and the search result id
    url: str
    date: str  # ISO date, from data-pagefind-meta="date"
    province: str
    kind: str
    column: str
    text: str  # the indexed text, word breaks removed


def bigrams(text: str) -> set[str]:
    """Every pair of consecutive CJK characters in `text`."""
    return set(_PAIRS.findall(text))


def chunk_of(gram: str, chunks: int) -> int:
    """The chunk a bigram's postings live in; `chunkOf` in static/search-online.js is the same."""
    return (ord(gram[0]) * 31 + ord(gram[1])) % chunks


def read_fragment(path: Path) -> dict[str, object]:
    """A Pagefind fragment file: gzip of `pagefind_dcd` + JSON."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_SIGNATURE):
        raise ValueError(f"{path}: not a Pagefind fragment")
    data: dict[str, object] = json.loads(raw[len(_SIGNATURE):])
    return data


def _first(values: object) -> str:
    return str(values[0]) if isinstance(values, list) and values else ""


def indexed_pages(bundle: Path) -> list[IndexedPage]:
    """The pages of a Pagefind bundle folder, in date order (then URL)."""
    pages = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = read_fragment(path)
        filters = data.get("filters") or {}
        meta = data.get("meta") or {}
        assert isinstance(filters, dict) and isinstance(meta, dict)
        pages.append(IndexedPage(
            fragment=path.stem, url=str(data["url"]), date=str(meta.get("date", "")),
            province=_first(filters.get("province")), kind=_first(filters.get("kind")),
            column=_first(filters.get("column")),
            text=str(data.get("content", "")).replace(_WORD_BREAK, ""),
        ))
    return sorted(pages, key=lambda p: (p.date, p.url))


def postings(pages: Iterable[IndexedPage]) -> dict[str, list[int]]:
    """bigram → the numbers of the pages that contain it, ascending."""
    lists: dict[str, list[int]] = defaultdict(list)
    for number, page in enumerate(pages):
        for gram in bigrams(page.text):
            lists[gram].append(number)
    return lists


def _deltas(numbers: list[int]) -> list[int]:
    return [n - (numbers[i - 1] if i else 0) for i, n in enumerate(numbers)]


def _codes(values: list[str]) -> tuple[list[str], list[int]]:
    """Distinct values (by first use) and each row's index into them."""
    table: dict[str, int] = {}
    codes = [table.setdefault(v, len(table)) for v in values]
    return list(table), codes


def _pack(value: object) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # mtime=0: the same pages give the same bytes.
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)


def gram_files(pages: list[IndexedPage], year: int) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of the substring index of `pages` (one unit, all of one year, date order)."""
    lists = postings(pages)
    total = sum(len(v) for v in lists.values())
    chunks = max(1, math.ceil(total / POSTINGS_PER_CHUNK))
    columns: dict[str, object] = {}
    for name in ("province", "kind", "column"):
        columns[name + "s"], columns[name] = _codes([getattr(p, name) for p in pages])
    yield PAGES_FILE, _pack({
        "format": FORMAT, "year": year, "chunks": chunks, "count": len(pages),
        "ids": [p.fragment for p in pages],
        "days": [int(p.date[5:7] + p.date[8:10]) if len(p.date) == 10 else 0 for p in pages],
        **columns,
    })
    by_chunk: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for gram, numbers in lists.items():
        by_chunk[chunk_of(gram, chunks)][gram] = _deltas(numbers)
    for k in range(chunks):
        yield f"c{k}.grams", _pack(by_chunk.get(k, {}))


def write_gram_index(bundle: Path, year: int) -> tuple[int, int]:
    """Write `bundle/grams/` from the bundle's fragments; (pages, bytes written)."""
    pages = indexed_pages(bundle)
    folder = bundle / GRAMS_DIR
    folder.mkdir()
    size = 0
    for name, data in gram_files(pages, year):
        (folder / name).write_bytes(data)
        size += len(data)
    return len(pages), size


def page_table(data: Mapping[str, object]) -> list[dict[str, object]]:
    """Rows of a decoded `pages.grams` (for tests and measurements)."""
    ids = data["ids"]
    assert isinstance(ids, list)
    rows = []
    for i, fragment in enumerate(ids):
        row: dict[str, object] = {"fragment": fragment, "day": data["days"][i]}  # type: ignore[index]
        for name in ("province", "kind", "column"):
            row[name] = data[name + "s"][data[name][i]]  # type: ignore[index]
        rows.append(row)
    return rows
