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
  from −1; weight: see `docs`) in the index's digits (`digits.postings_text`).
- `search/g/<group>/province.js`, `kind.js`, `column.js`: for each unit, its values of that
  field (first use first) and each doc's index into them: as digits (two when there are
  more than 90 values), or as runs (value, count) when that is shorter.

`static/search-index.js` reads them; `query` is the same reading in Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from site_builder.search.digits import BASE, DIGIT_VALUE, DIGITS, number, numbers
from site_builder.search.docs import SearchDoc, day_order, read_terms
from site_builder.search.script import data_script, read_data_script
from site_builder.search.units import MAX_GROUP_DOCS, Group, Unit

GROUPS_DIR = "search/g"
FACETS = ("province", "kind", "column")
# Shards per group: about one per this many docs of a full group (~15 KB of postings each
# for articles of ~1,500 characters; a query reads one per pair of characters per group).
DOCS_PER_SHARD = 12
MAX_SHARDS = 2048
_KEY_BITS = 64
_FNV_OFFSET, _FNV_PRIME, _MASK = 0x811C9DC5, 0x01000193, 0xFFFFFFFF


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
    its `doc_terms` record. The same entries, in any order, give the same value.

    Made an array at a time: every posting of the unit (a pair of one doc) sorted by shard,
    pair and doc, its number (`postings_text`) written in place in one array of characters,
    which is cut by shard; no step looks at one pair or one posting."""
    import numpy as np  # (here: a build that indexes nothing does not load it)

    by_card = {id(card): record for card, record in entries}
    cards = day_order(card for card, _ in entries)
    terms = [read_terms(by_card[id(card)]) for card in cards]
    facets = {facet: facet_column([getattr(c, facet) for c in cards]) for facet in FACETS}
    if not sum(len(t[0]) for t in terms):
        return UnitIndex(unit.name, {}, facets)
    first = np.concatenate([t[0] for t in terms]).astype(np.uint64)
    second = np.concatenate([t[1] for t in terms]).astype(np.uint64)
    entry = np.repeat(np.arange(0, 8 * len(terms), 8, dtype=np.uint64), [len(t[0]) for t in terms])
    entry += np.concatenate([t[2] for t in terms])
    # FNV-1a of the two code points (`shard_of`); the products stay below 2**57. (In place:
    # a unit of 2,000 docs has ~1.5 million postings, 12 MB an array.)
    pair = first ^ np.uint64(_FNV_OFFSET)
    pair *= np.uint64(_FNV_PRIME)
    pair &= np.uint64(_MASK)
    pair ^= second
    pair *= np.uint64(_FNV_PRIME)
    pair &= np.uint64(_MASK)
    pair %= np.uint64(shards)
    # Each posting as one number: its shard, its pair (as the ranks of its code points among
    # the unit's: word characters are fewer than 2**17) and its entry, in as many bits as
    # they take; sorted, they are in the files' order. (Should they not fit in 64 bits, the
    # pairs alone are sorted, stably: a doc's postings are in doc order already.)
    present = np.zeros(0x110000, dtype=bool)
    present[first] = present[second] = True
    chars = np.flatnonzero(present)
    rank = np.zeros(0x110000, dtype=np.uint64)
    rank[chars] = np.arange(len(chars), dtype=np.uint64)
    char_bits = max(1, (len(chars) - 1).bit_length())
    entry_bits = int(entry.max()).bit_length()
    pair <<= np.uint64(char_bits)
    pair |= rank[first]
    del first
    pair <<= np.uint64(char_bits)
    pair |= rank[second]
    del second, rank, present
    if (shards - 1).bit_length() + 2 * char_bits + entry_bits <= _KEY_BITS:
        pair <<= np.uint64(entry_bits)
        pair |= entry
        pair.sort()
        entry = pair & np.uint64((1 << entry_bits) - 1)
        pair >>= np.uint64(entry_bits)
    else:
        order = np.argsort(pair, kind="stable")
        pair, entry = pair[order], entry[order]
        del order
    entry = entry.astype(np.int64)
    new_pair = np.ones(len(entry), dtype=bool)
    new_pair[1:] = pair[1:] != pair[:-1]
    shard = pair >> np.uint64(2 * char_bits)
    new_shard = np.ones(len(entry), dtype=bool)
    new_shard[1:] = shard[1:] != shard[:-1]
    # A posting's number: its entry less 8 × (the previous doc of its pair + 1), 0 for the first.
    value = np.zeros(len(entry), dtype=np.int64)
    value[1:] = (entry[:-1] | 7) + 1
    value[new_pair] = 0
    np.subtract(entry, value, out=value)
    del entry
    # Its digits, the last first; a space before each pair but the first of its shard.
    places = len(number(int(value.max())))  # (the most digits a number takes)
    digits = np.ones(len(value), dtype=np.int64)
    for place in range(1, places):
        digits += value >= BASE ** place
    space = new_pair & ~new_shard
    end = np.cumsum(digits + space)
    digit_codes = np.frombuffer(DIGITS.encode("ascii"), dtype=np.uint8)
    text = np.empty(int(end[-1]), dtype=np.uint8)
    text[(end - digits - 1)[space]] = ord(" ")
    text[end - 1] = digit_codes[value % BASE]
    for place in range(1, places):
        more = digits > place
        text[(end - 1 - place)[more]] = digit_codes[BASE + (value[more] // BASE ** place) % BASE]
    postings = text.tobytes().decode("ascii")
    pairs_at = np.flatnonzero(new_pair)
    mask = np.uint64((1 << char_bits) - 1)
    codes = np.empty(2 * len(pairs_at), dtype="<u4")
    codes[0::2], codes[1::2] = chars[pair[pairs_at] >> np.uint64(char_bits) & mask], chars[pair[pairs_at] & mask]
    pair_chars = codes.tobytes().decode("utf-32-le")
    shard_at = np.flatnonzero(new_shard)
    starts = [*(end - digits - space)[shard_at].tolist(), len(postings)]
    pair_starts = [*(2 * np.searchsorted(pairs_at, shard_at)).tolist(), len(pair_chars)]
    parts = {k: [pair_chars[pair_starts[i]:pair_starts[i + 1]], postings[starts[i]:starts[i + 1]]]
             for i, k in enumerate(shard[shard_at].tolist())}
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
