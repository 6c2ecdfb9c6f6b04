"""A query over the index files, in Python: what `static/search-index.js` does in the page.

The reference for tests (the page must give the same results) and for measuring. Meaning:

- a query is words (`text.words`); a doc matches when its headline or body contains every
  word as a run of characters (after `text.fold`), and passes every filter: province,
  kind, column (equal), year, month, from, to (its date);
- candidates come from the postings of each word's pairs (`text.pairs`) in the units of
  the date range; a word that is not exactly one pair (`工会` is; `工会法`, `2023`, `a股`
  are not, nor a word of one character) is then checked against the doc's text, so the
  count is exact only once every candidate has been checked;
- a word of one character has no pair: it only narrows what the other words find. A query
  whose every word has one character finds nothing (it would match nearly every article);
- order, by relevance (a query, no sort asked for): headline words first (the number of
  words whose every pair is in the headline), then how often the words occur (for each
  word the smallest `min(tf, 4)` of its pairs, summed), then newest first. `newest` and
  `oldest` sort by date alone (a day's docs by id); filters without a query, newest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from site_builder.search.catalog import CATALOG
from site_builder.search.digits import decode_postings, numbers
from site_builder.search.docs import HEADLINE, doc_path
from site_builder.search.postings import FACETS, facet_codes, facet_path, shard_of, shard_path
from site_builder.search.script import read_data_script
from site_builder.search.text import fold, pairs, searchable, words
from site_builder.search.units import Group, unit_named

Reader = Callable[[str], bytes]  # site-root-relative path → the file's bytes


@dataclass(frozen=True)
class Query:
    q: str = ""
    province: str = ""
    year: str = ""  # "2023"
    month: str = ""  # "01" … "12"
    kind: str = ""
    column: str = ""
    start: str = ""  # "from": ISO date, inclusive
    end: str = ""  # "to"
    sort: str = ""  # "" (relevance), "newest", "oldest"


@dataclass(frozen=True, order=True)
class Hit:
    unit: int  # the unit's place in the catalog (oldest first)
    number: int  # the doc's number in its unit
    date: dt.date
    heads: int = 0
    freq: int = 0
    path: str = ""  # the doc's own file


def decode_days(first: str, digits: str) -> list[tuple[dt.date, int]]:
    """(day, docs) for each day of a catalog unit with docs."""
    start = dt.date.fromisoformat(first)
    return [(start + dt.timedelta(days=i), n) for i, n in enumerate(numbers(digits)) if n]


def _date_ok(day: dt.date, query: Query) -> bool:
    iso = day.isoformat()
    return ((not query.year or iso[:4] == query.year) and (not query.month or iso[5:7] == query.month)
            and (not query.start or iso >= query.start) and (not query.end or iso <= query.end))


def keyed_words(query: Query) -> list[tuple[str, list[str]]]:
    """The query's words that have pairs, with their distinct pairs."""
    return [(word, list(dict.fromkeys(found))) for word in words(query.q) if (found := pairs(word))]


def checked(query: Query) -> bool:
    """Whether candidates must be checked against the text (some word is not one pair)."""
    return any(pairs(word) != [word] for word in words(query.q))


def candidates(read: Reader, query: Query) -> list[Hit]:
    """The candidates of `query`, in result order."""
    catalog: Any = read_data_script(read(CATALOG))
    keyed = keyed_words(query)
    if query.q.strip() and not keyed:
        return []
    hits, u = [], -1
    for entry in catalog["groups"]:
        group = Group(tuple(unit_named(unit["name"]) for unit in entry["units"]))
        files: dict[str, Any] = {}

        def load(path: str, files: dict[str, Any] = files) -> Any:
            if path not in files:
                files[path] = read_data_script(read(path))
            return files[path]

        for unit in entry["units"]:
            u += 1
            days, start = [], 0
            for day, count in decode_days(unit["first"], unit["days"]):
                days.append((day, start, count))
                start += count
            wanted = [(day, first, count) for day, first, count in days if _date_ok(day, query)]
            if not wanted:
                continue
            lo, hi = wanted[0][1], wanted[-1][1] + wanted[-1][2]
            name = unit["name"]
            found = _unit_candidates(lambda k, g=group, n=name: load(shard_path(g, k)).get(n), keyed,  # type: ignore[misc]
                                     catalog["shards"], lo, hi)
            for facet in FACETS:
                if getattr(query, facet):
                    column = load(facet_path(group, facet))[name]
                    codes = facet_codes(column)
                    found = {n: s for n, s in found.items() if column["values"][codes[n]] == getattr(query, facet)}
            for n, (heads, freq) in found.items():
                day, first, _ = next(d for d in reversed(days) if d[1] <= n)
                hits.append(Hit(u, n, day, heads, freq, doc_path(day, n - first)))
    return sorted(hits, key=_order(query))


def _unit_candidates(shard: Callable[[int], Any], keyed: list[tuple[str, list[str]]], shards: int,
                     lo: int, hi: int) -> dict[int, tuple[int, int]]:
    """A unit's docs in [lo, hi) that have every pair of every word: doc → (heads, freq)."""
    if not keyed:
        return {n: (0, 0) for n in range(lo, hi)}
    found: dict[int, tuple[int, int]] | None = None
    for _, word_pairs in keyed:
        here: dict[int, tuple[bool, int]] | None = None  # doc → (in headline, freq)
        for pair in word_pairs:
            texts = shard(shard_of(pair, shards)) or ["", ""]
            at = _pair_index(texts[0], pair)
            posted = decode_postings(texts[1].split(" ")[at]) if at is not None else []
            mine = {n: (w >= HEADLINE, (w & 3) + 1) for n, w in posted if lo <= n < hi}
            here = mine if here is None else {
                n: (h and mine[n][0], min(f, mine[n][1])) for n, (h, f) in here.items() if n in mine}
        assert here is not None
        found = ({n: (int(h), f) for n, (h, f) in here.items()} if found is None else
                 {n: (a + int(here[n][0]), b + here[n][1]) for n, (a, b) in found.items() if n in here})
    assert found is not None
    return found


def _pair_index(table: str, pair: str) -> int | None:
    chars = list(table)
    for i in range(0, len(chars), 2):
        if chars[i] + chars[i + 1] == pair:
            return i // 2
    return None


def _order(query: Query) -> Callable[[Hit], tuple[int, ...]]:
    if query.sort == "oldest":
        return lambda h: (h.unit, h.number)
    if query.sort == "newest" or not query.q.strip():
        return lambda h: (-h.unit, -h.number)
    return lambda h: (-h.heads, -h.freq, -h.unit, -h.number)


def contains_words(doc: Any, query: Query) -> bool:
    """Whether a doc file's value holds every word of the query."""
    text = fold(searchable(doc["kicker"], doc["title"], doc["subtitle"], doc["text"]))
    return all(word in text for word in words(query.q))


def search(read: Reader, query: Query) -> list[str]:
    """The URLs (site-root-relative) of the docs that match `query`, in result order."""
    hits = candidates(read, query)
    must_check = checked(query)
    urls = []
    for hit in hits:
        doc: Any = read_data_script(read(hit.path))
        if not must_check or contains_words(doc, query):
            urls.append(str(doc["url"]))
    return urls
