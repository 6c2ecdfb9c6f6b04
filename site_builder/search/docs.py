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

A record (`T2`) is a width w (2, or 4 when a code point is beyond U+FFFF), the number of
pairs of each weight 0–7 (32 bits each), then the first code point of every pair and the
second of every pair (w bytes each): the pairs grouped by weight, each group in the pairs'
order; little-endian. ~3.6 KB for an article of 1,500 characters, counted, weighed and laid
out an array at a time (numpy): no step looks at one pair.

>>> doc = SearchDoc("x", "2023/10/31/x.html", dt.date(2023, 10, 31), "职工之家", "", "", "浙江", "article", "", "职工")
>>> term_weights(doc_terms(doc))
{'之家': 4, '工之': 4, '职工': 5}
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from site_builder.search.script import data_script
from site_builder.search.text import WORD_CHARS, searchable

if TYPE_CHECKING:  # (numpy is imported by what uses it: a build that indexes nothing does not load it)
    import numpy as np

WEIGHTS = 8
HEADLINE = 4  # added to the weight of a pair of the headline
TF_CAP = 4
DOCS_DIR = "search/d"
_TERMS_FORMAT = b"T2"
# Folding (`text.fold`) as far as word characters go: letters and digits, full-width or not.
_TO_WORD = {c: c + 0x20 for c in range(0x41, 0x5B)}
_TO_WORD.update({c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)})
_TO_WORD.update({c: c - 0xFEE0 + 0x20 for c in range(0xFF21, 0xFF3B)})
_TO_WORD.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
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


def _pairs(text: str) -> np.ndarray:
    """Each pair of consecutive word characters of `text` (folded here), in order, as the
    number `first << 32 | second` of their code points (so numbers sort as the pairs do):
    the text as code points, each folded and told a word character or not by a table."""
    import numpy as np

    folded, word = word_tables()
    codes = folded[np.frombuffer(text.encode("utf-32-le"), dtype="<u4")]
    keep = word[codes]
    keep = keep[:-1] & keep[1:]
    pairs: np.ndarray = codes[:-1][keep].astype(np.uint64) << np.uint64(32) | codes[1:][keep]
    return pairs


@functools.cache
def word_tables() -> tuple[np.ndarray, np.ndarray]:
    """Every code point folded as far as word characters go (`_TO_WORD`), and whether each
    is a word character (the ranges of `WORD_CHARS`, a character class of characters and
    `a-b` ranges): 5.5 MB, made once a process, in ~5 ms."""
    import numpy as np

    folded = np.arange(0x110000, dtype=np.uint32)
    folded[list(_TO_WORD)] = list(_TO_WORD.values())
    word = np.zeros(0x110000, dtype=bool)
    for first, last in re.findall(r"(.)(?:-(.))?", WORD_CHARS, re.DOTALL):
        word[ord(first):ord(last or first) + 1] = True
    return folded, word


def doc_terms(doc: SearchDoc) -> bytes:
    """The record of `doc`'s index terms: its pairs grouped by weight 0–7, each group in the
    pairs' order (see the module's text for the layout)."""
    import numpy as np

    pairs, tf = np.unique(_pairs(searchable(doc.kicker, doc.title, doc.subtitle, doc.text)), return_counts=True)
    weight = np.minimum(tf, TF_CAP) - 1
    weight[np.searchsorted(pairs, _pairs(doc.headline))] += HEADLINE  # (the headline's pairs are among them)
    pairs = pairs[np.argsort(weight, kind="stable")]
    first, second = pairs >> np.uint64(32), pairs & np.uint64(_LOW)
    width = 2 if len(pairs) == 0 or max(first.max(), second.max()) < 0x10000 else 4
    codes = np.concatenate((first, second)).astype(f"<u{width}")
    return _TERMS_FORMAT + bytes((width,)) + np.bincount(weight, minlength=WEIGHTS).astype("<u4").tobytes() + codes.tobytes()


def read_terms(record: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of a `doc_terms` record: their first and their second code points and their
    weights (three arrays of one length)."""
    import numpy as np

    head = len(_TERMS_FORMAT) + 1 + 4 * WEIGHTS
    if not record.startswith(_TERMS_FORMAT) or len(record) < head or record[len(_TERMS_FORMAT)] not in (2, 4):
        raise ValueError("not a search terms record of this format")
    width = record[len(_TERMS_FORMAT)]
    counts = np.frombuffer(record, "<u4", WEIGHTS, len(_TERMS_FORMAT) + 1)
    n = int(counts.sum())
    if len(record) != head + 2 * n * width:
        raise ValueError("a search terms record of the wrong length")
    codes = np.frombuffer(record, f"<u{width}", 2 * n, head)
    return codes[:n], codes[n:], np.repeat(np.arange(WEIGHTS, dtype=np.uint8), counts)


def term_weights(record: bytes) -> dict[str, int]:
    """A `doc_terms` record as pair → weight (to read one by eye, or in a test)."""
    first, second, weight = read_terms(record)
    return {chr(a) + chr(b): int(w) for a, b, w in zip(first.tolist(), second.tolist(), weight.tolist(), strict=True)}


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
