"""A unit's index files: its postings, in shards, and its facet columns.

Made from the docs' cards and `doc_terms` records alone (never their text), by
`unit_files(unit, entries)`. A unit's docs are numbered 0, 1, … in index order (date, id).

- `search/u/<unit>/s<k>.js`, k < `shard_count(docs)`: the postings of the pairs that hash to
  k (`shard_of`, FNV-1a of the two code points). The value is two strings: the shard's pairs
  one after another, and their posting lists separated by spaces, in the same order. A
  posting list is, for each doc with the pair in ascending order, the number
  `8 × (gap − 1) + weight` (gap: to the previous doc number, the first from −1; weight:
  `docs`) written in base 45 with 90 ASCII digits: `#` … `}` without `\\`; the digits 0–44
  end a number, 45–89 (the value + 45) go before its last digit. So most postings of a
  common pair are one character.
- `search/u/<unit>/province.js`, `kind.js`, `column.js`: the unit's values of that field
  (first use first) and, per doc, the index of its value as a digit (two when there are
  more than 90 values).

`static/search-index.js` reads them; `query` is the same reading in Python.

>>> number(0), number(44), number(45), number(2024)
('#', 'O', 'Q#', '}O')
>>> postings_text([3 * 8 + 1, 4 * 8 + 0, 9 * 8 + 5])
'<#H'
>>> decode_postings('<#H')
[(3, 1), (4, 0), (9, 5)]
"""

from __future__ import annotations

import math
import operator
from collections import defaultdict, deque
from collections.abc import Sequence
from itertools import chain, repeat

from site_builder.search.docs import SearchDoc, day_order, pair_text, read_terms
from site_builder.search.script import data_script
from site_builder.search.units import Unit

UNITS_DIR = "search/u"
FACETS = ("province", "kind", "column")
# Shards per unit: one per this many docs (~2.5 KB of postings each for articles of ~1,500
# characters; a query reads one per pair of characters per unit).
DOCS_PER_SHARD = 2
MAX_SHARDS = 1024
DIGITS = "".join(chr(c) for c in range(0x23, 0x7E) if c != 0x5C)
BASE = 45
DIGIT_VALUE = {c: i for i, c in enumerate(DIGITS)}
_FNV_OFFSET, _FNV_PRIME, _MASK = 0x811C9DC5, 0x01000193, 0xFFFFFFFF


def number(v: int) -> str:
    """`v` ≥ 0 in the digits of a posting list."""
    out = [DIGITS[v % BASE]]
    v //= BASE
    while v:
        out.append(DIGITS[BASE + v % BASE])
        v //= BASE
    return "".join(reversed(out))


class _Codes(dict[int, str]):
    """`number` of each value asked for, kept."""

    def __missing__(self, v: int) -> str:
        self[v] = code = number(v)
        return code


_CODES = _Codes()
_consume = deque[object](maxlen=0).extend


def postings_text(entries: list[int]) -> str:
    """The text of a posting list from its entries `8 × doc + weight`, ascending.

    (In C: the gaps as `map`s over the list, no Python loop per entry.)"""
    bases = chain((0,), map((1).__add__, map((7).__or__, entries)))  # 8 × (previous doc + 1)
    return "".join(map(_CODES.__getitem__, map(operator.sub, entries, bases)))


def decode_postings(text: str) -> list[tuple[int, int]]:
    """(doc, weight) of each posting of a posting list's text."""
    found = []
    acc, doc = 0, -1
    for char in text:
        d = DIGIT_VALUE[char]
        if d >= BASE:
            acc = acc * BASE + d - BASE
            continue
        v = acc * BASE + d
        acc = 0
        doc += 1 + (v >> 3)
        found.append((doc, v & 7))
    return found


def shard_count(docs: int) -> int:
    return max(1, min(MAX_SHARDS, math.ceil(docs / DOCS_PER_SHARD)))


def shard_of(pair: str, shards: int) -> int:
    h = _FNV_OFFSET
    for char in pair:
        h = ((h ^ ord(char)) * _FNV_PRIME) & _MASK
    return h % shards


def shard_path(unit: Unit, k: int) -> str:
    return f"{UNITS_DIR}/{unit.name}/s{k}.js"


def facet_path(unit: Unit, facet: str) -> str:
    return f"{UNITS_DIR}/{unit.name}/{facet}.js"


def unit_paths(unit: Unit, docs: int) -> list[str]:
    """The files of a unit of `docs` docs (known before they are made)."""
    return [shard_path(unit, k) for k in range(shard_count(docs))] + [facet_path(unit, f) for f in FACETS]


def unit_files(unit: Unit, entries: Sequence[tuple[SearchDoc, bytes]]) -> dict[str, bytes]:
    """Every file of `unit`: path → bytes, from each doc's card (its `text` is not read) and
    its `doc_terms` record. The same entries, in any order, give the same bytes."""
    by_card = {id(card): record for card, record in entries}
    cards = day_order(card for card, _ in entries)
    lists: defaultdict[int, list[int]] = defaultdict(list)
    for n, card in enumerate(cards):
        for weight, ids in enumerate(read_terms(by_card[id(card)])):
            # lists[pair].append(8 × n + weight) for each pair, in C.
            _consume(map(list.append, map(lists.__getitem__, ids), repeat(8 * n + weight)))
    shards = shard_count(len(cards))
    by_shard: list[list[tuple[str, list[int]]]] = [[] for _ in range(shards)]
    for pair, found in lists.items():
        text = pair_text(pair)
        by_shard[shard_of(text, shards)].append((text, found))
    files = {}
    for k, shard in enumerate(by_shard):
        shard.sort()
        files[shard_path(unit, k)] = data_script(["".join(text for text, _ in shard),
                                                  " ".join(postings_text(found) for _, found in shard)])
    for facet in FACETS:
        files[facet_path(unit, facet)] = data_script(facet_column([getattr(c, facet) for c in cards]))
    return files


def facet_column(values: Sequence[str]) -> dict[str, object]:
    """A field's values (first use first) and each doc's index into them, as digits.

    >>> facet_column(["浙江", "", "浙江"])
    {'values': ['浙江', ''], 'width': 1, 'codes': '#$#'}
    """
    table: dict[str, int] = {}
    codes = [table.setdefault(v, len(table)) for v in values]
    width = 1 if len(table) <= len(DIGITS) else 2
    text = "".join(DIGITS[c] if width == 1 else DIGITS[c // len(DIGITS)] + DIGITS[c % len(DIGITS)] for c in codes)
    return {"values": list(table), "width": width, "codes": text}
