"""An article as search sees it: its card, its text, the record of its index terms, its file.

- `SearchDoc`: what search shows and filters on, and the plain text of the body.
- `doc_terms(doc)`: the compact record of the doc's index terms, each pair of consecutive
  word characters (`text.pairs`) with its weight (below). A unit's postings are made from
  these records alone (`postings.unit_files`): the build keeps one per article and never
  reads a body again to index its unit.
- `doc_files(docs)`: each doc's own file, `search/d/<yyyy>/<mm>/<dd>/<rank>.js` (its card and
  text: what a result shows and what a query word of three or more characters is checked
  against). `rank` is the doc's place among the docs of its day (ordered by id), so the
  file's bytes depend on the doc alone and its path on the doc and its day.

A weight is 0–7: `min(tf, 4) - 1` (tf: how often the pair occurs in headline and body)
plus 4 when the pair is in the headline (kicker, title or subtitle).

>>> doc = SearchDoc("x", "2023/10/31/x.html", dt.date(2023, 10, 31), "职工之家", "", "", "浙江", "article", "", "职工")
>>> [(w, [pair_text(p) for p in ps]) for w, ps in enumerate(read_terms(doc_terms(doc))) if ps]
[(4, ['工之', '之家']), (5, ['职工'])]
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from site_builder.search.script import data_script
from site_builder.search.text import WORD_CHARS, searchable

WEIGHTS = 8
HEADLINE = 4  # added to the weight of a pair of the headline
TF_CAP = 4
DOCS_DIR = "search/d"
_TERMS_FORMAT = b"T1"
_NON_WORD = re.compile(f"[^{WORD_CHARS}]+")
# Folding (`text.fold`) as far as word characters go: letters and digits, full-width or not.
_TO_WORD = {c: c + 0x20 for c in range(0x41, 0x5B)}
_TO_WORD.update({c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)})
_TO_WORD.update({c: c - 0xFEE0 + 0x20 for c in range(0xFF21, 0xFF3B)})
_TO_WORD.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_FOLDS_TO_WORD = re.compile("[A-Z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_LOW = 0xFFFFFFFF


@dataclass(frozen=True)
class SearchDoc:
    """One article for search. `url` is site-root-relative; `text` the body's plain text
    (`bodytext.plain_text`); `sheet` its 版面 (`第3版 工会新闻`): shown, not searched; empty
    strings for fields an article does not have."""

    id: str
    url: str
    date: dt.date
    title: str
    kicker: str
    subtitle: str
    province: str
    kind: str
    column: str
    text: str = ""
    sheet: str = ""

    @property
    def headline(self) -> str:
        return f"{self.kicker}\n{self.title}\n{self.subtitle}"


def pair_text(pair: int) -> str:
    """A pair id as its two characters (an id is the first code point + the second << 32)."""
    return chr(pair & _LOW) + chr(pair >> 32)


def pair_id(pair: str) -> int:
    return ord(pair[0]) | ord(pair[1]) << 32


def _fold_words(text: str) -> str:
    # Most texts have no character to fold: one scan finds that out.
    return _FOLDS_TO_WORD.sub(lambda m: m[0].translate(_TO_WORD), text)


def pair_ids(text: str) -> Counter[int]:
    """How often each pair of consecutive word characters occurs in `text`, by pair id.

    Counted in C: the text, each run of other characters made one NUL, as UTF-32 read as
    64-bit numbers from offsets 0 and 4 gives every pair once; those with a NUL are dropped."""
    data = _NON_WORD.sub("\0", _fold_words(text)).encode("utf-32-le")
    counts = Counter(memoryview(data)[:len(data) // 8 * 8].cast("Q"))
    counts.update(memoryview(data)[4:4 + (len(data) - 4) // 8 * 8].cast("Q"))
    return counts


def doc_terms(doc: SearchDoc) -> bytes:
    """The record of `doc`'s index terms: its pairs grouped by weight (zlib of, for each
    weight 0–7, a count and the sorted 64-bit pair ids)."""
    head = pair_ids(doc.headline).keys()
    groups: list[list[int]] = [[] for _ in range(WEIGHTS)]
    for pair, tf in pair_ids(searchable(doc.kicker, doc.title, doc.subtitle, doc.text)).items():
        if pair & _LOW and pair >> 32:  # (not a pair with the NUL between runs)
            groups[(tf if tf < TF_CAP else TF_CAP) - 1 + (HEADLINE if pair in head else 0)].append(pair)
    for group in groups:
        group.sort()
    counts = array("I", map(len, groups))
    ids = array("Q", [p for group in groups for p in group])
    return _TERMS_FORMAT + zlib.compress(counts.tobytes() + ids.tobytes(), 1)


def read_terms(record: bytes) -> list[array[int]]:
    """The pair ids of a `doc_terms` record, one array per weight 0–7."""
    if not record.startswith(_TERMS_FORMAT):
        raise ValueError("not a search terms record of this format")
    raw = zlib.decompress(record[len(_TERMS_FORMAT):])
    counts = array("I")
    counts.frombytes(raw[:4 * WEIGHTS])
    ids = array("Q")
    ids.frombytes(raw[4 * WEIGHTS:])
    groups, start = [], 0
    for n in counts:
        groups.append(ids[start:start + n])
        start += n
    return groups


def doc_path(date: dt.date, rank: int) -> str:
    return f"{DOCS_DIR}/{date:%Y/%m/%d}/{rank}.js"


def day_order(docs: Iterable[SearchDoc]) -> list[SearchDoc]:
    """Docs in index order: by date, then id (a doc's number in its unit, its rank in its day)."""
    return sorted(docs, key=lambda d: (d.date, d.id))


def doc_file(doc: SearchDoc) -> bytes:
    """The bytes of a doc's own file (they depend on nothing else)."""
    return data_script({
        "url": doc.url, "date": doc.date.isoformat(), "title": doc.title, "kicker": doc.kicker,
        "subtitle": doc.subtitle, "province": doc.province, "kind": doc.kind, "column": doc.column,
        "sheet": doc.sheet, "text": doc.text,
    })


def doc_files(docs: Iterable[SearchDoc]) -> dict[str, bytes]:
    """The files of `docs`, whole days of them: path → bytes."""
    files: dict[str, bytes] = {}
    rank: dict[dt.date, int] = {}
    for doc in day_order(docs):
        n = rank[doc.date] = rank.get(doc.date, -1) + 1
        files[doc_path(doc.date, n)] = doc_file(doc)
    return files
