"""A group's index files: the postings of its units, in shards, and their facet columns.

A unit's part (`unit_index(unit, entries, shards)`) is made from its docs' cards and
`doc_terms` records alone (never their text); a group's files (`group_files`) put its units'
parts side by side, keyed by unit name. A unit's docs are numbered 0, 1, … in index order
(date, id).

- `search/g/<group>/s<k>.js`, k < `shard_count(archive docs)` (the same for every group):
  for each unit, the postings of its pairs that hash to k (`shard_of`, FNV-1a of the two
  code points): two strings, the pairs one after another and their posting lists separated
  by spaces, in the same order. A posting list is, for each doc with the pair in ascending
  order, the number `8 × (gap − 1) + weight` (gap: to the previous doc number, the first
  from −1; weight: see `docs`) written in base 45 with 90 ASCII digits: `#` … `}` without
  `\\`; the digits 0–44 end a number, 45–89 (the value + 45) go before its last digit. So
  most postings of a common pair are one character.
- `search/g/<group>/province.js`, `kind.js`, `column.js`: for each unit, its values of that
  field (first use first) and each doc's index into them: as digits (two when there are
  more than 90 values), or as runs (value, count) when that is shorter.

`static/search-index.js` reads them; `query` is the same reading in Python.

>>> number(0), number(44), number(45), number(2024)
('#', 'O', 'Q#', '}O')
>>> postings_text([3 * 8 + 1, 4 * 8 + 0, 9 * 8 + 5])
'<#H'
>>> decode_postings('<#H')
[(3, 1), (4, 0), (9, 5)]
"""

from __future__ import annotations

import operator
from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

from site_builder.search.docs import SearchDoc, day_order, pair_text, read_terms
from site_builder.search.script import data_script, read_data_script
from site_builder.search.units import MAX_GROUP_DOCS, Group, Unit

GROUPS_DIR = "search/g"
FACETS = ("province", "kind", "column")
# Shards per group: about one per this many docs of a full group (~15 KB of postings each
# for articles of ~1,500 characters; a query reads one per pair of characters per group).
DOCS_PER_SHARD = 12
MAX_SHARDS = 2048
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
    doc = -1
    for v in numbers(text):
        doc += 1 + (v >> 3)
        found.append((doc, v & 7))
    return found


def shard_count(docs: int) -> int:
    """Shards per group for an archive of `docs` docs: a power of two, so it changes (and
    every unit is hashed anew) only when the archive doubles.

    >>> shard_count(28), shard_count(10_000), shard_count(100_000)
    (2, 512, 2048)
    """
    target = min(docs, MAX_GROUP_DOCS) / DOCS_PER_SHARD
    k = 1
    while k * 2 <= target and k < MAX_SHARDS:
        k *= 2
    return k


def shard_of(pair: str, shards: int) -> int:
    h = _FNV_OFFSET
    for char in pair:
        h = ((h ^ ord(char)) * _FNV_PRIME) & _MASK
    return h % shards


def shard_path(group: Group, k: int) -> str:
    return f"{GROUPS_DIR}/{group.name}/s{k}.js"


def facet_path(group: Group, facet: str) -> str:
    return f"{GROUPS_DIR}/{group.name}/{facet}.js"


def group_paths(group: Group, shards: int) -> list[str]:
    """The files of a group (known before they are made)."""
    return [shard_path(group, k) for k in range(shards)] + [facet_path(group, f) for f in FACETS]


@dataclass(frozen=True)
class UnitIndex:
    """A unit's part of its group's files: by shard, its pairs and their posting lists (texts);
    by facet, its column (`facet_column`)."""

    name: str
    shards: dict[int, list[str]]  # k → [pairs, posting lists]; shards without its pairs left out
    facets: dict[str, dict[str, Any]]


def unit_index(unit: Unit, entries: Sequence[tuple[SearchDoc, bytes]], shards: int) -> UnitIndex:
    """`unit`'s part of its group's files, from each doc's card (its `text` is not read) and
    its `doc_terms` record. The same entries, in any order, give the same value."""
    by_card = {id(card): record for card, record in entries}
    cards = day_order(card for card, _ in entries)
    lists: defaultdict[int, list[int]] = defaultdict(list)
    for n, card in enumerate(cards):
        for weight, ids in enumerate(read_terms(by_card[id(card)])):
            # lists[pair].append(8 × n + weight) for each pair, in C.
            _consume(map(list.append, map(lists.__getitem__, ids), repeat(8 * n + weight)))
    by_shard: defaultdict[int, list[tuple[str, list[int]]]] = defaultdict(list)
    for pair, found in lists.items():
        text = pair_text(pair)
        by_shard[shard_of(text, shards)].append((text, found))
    parts = {}
    for k in sorted(by_shard):
        shard = sorted(by_shard[k])
        parts[k] = ["".join(text for text, _ in shard), " ".join(postings_text(found) for _, found in shard)]
    facets = {facet: facet_column([getattr(c, facet) for c in cards]) for facet in FACETS}
    return UnitIndex(unit.name, parts, facets)


def group_files(group: Group, units: Sequence[UnitIndex], shards: int) -> dict[str, bytes]:
    """Every file of `group` from its units' parts (one per unit of the group): path → bytes."""
    files = {shard_path(group, k): data_script({u.name: u.shards[k] for u in units if k in u.shards})
             for k in range(shards)}
    for facet in FACETS:
        files[facet_path(group, facet)] = data_script({u.name: u.facets[facet] for u in units})
    return files


def read_group(files: Mapping[str, bytes], group: Group, shards: int) -> dict[str, UnitIndex]:
    """The units' parts of a group's files (`group_files` read back): unit name → part."""
    parts: dict[str, UnitIndex] = {u.name: UnitIndex(u.name, {}, {}) for u in group.units}
    for k in range(shards):
        value: Any = read_data_script(files[shard_path(group, k)])
        for name, texts in value.items():
            parts[name].shards[k] = texts
    for facet in FACETS:
        value = read_data_script(files[facet_path(group, facet)])
        for name, column in value.items():
            parts[name].facets[facet] = column
    return parts


def facet_column(values: Sequence[str]) -> dict[str, Any]:
    """A field's values (first use first) and each doc's index into them: as digits, or as
    runs (index, count) when that is shorter.

    >>> facet_column(["浙江", "", "浙江"])
    {'values': ['浙江', ''], 'width': 1, 'codes': '#$#'}
    >>> facet_column(["article"] * 100)
    {'values': ['article'], 'runs': '#R-'}
    """
    table: dict[str, int] = {}
    codes = [table.setdefault(v, len(table)) for v in values]
    width = 1 if len(table) <= len(DIGITS) else 2
    text = "".join(DIGITS[c] if width == 1 else DIGITS[c // len(DIGITS)] + DIGITS[c % len(DIGITS)] for c in codes)
    runs: list[list[int]] = []
    for code in codes:
        if runs and runs[-1][0] == code:
            runs[-1][1] += 1
        else:
            runs.append([code, 1])
    run_text = "".join(number(code) + number(count) for code, count in runs)
    if len(run_text) < len(text):
        return {"values": list(table), "runs": run_text}
    return {"values": list(table), "width": width, "codes": text}


def facet_codes(column: Mapping[str, Any]) -> list[int]:
    """Each doc's index into `column["values"]` (`facet_column` read back)."""
    if "runs" in column:
        found = numbers(column["runs"])
        return [code for code, count in zip(found[::2], found[1::2], strict=True) for _ in range(count)]
    width, text = column["width"], column["codes"]
    codes = []
    for i in range(0, len(text), width):
        code = 0
        for char in text[i:i + width]:
            code = code * len(DIGITS) + DIGIT_VALUE[char]
        codes.append(code)
    return codes


def numbers(text: str) -> list[int]:
    """The numbers written one after another in `text` (each as `number` writes it)."""
    found, acc = [], 0
    for char in text:
        d = DIGIT_VALUE[char]
        if d >= BASE:
            acc = acc * BASE + d - BASE
        else:
            found.append(acc * BASE + d)
            acc = 0
    return found
