"""The search index as outputs of the build: thin glue between the state's rows and the index.

- with each edition (its scope), its docs' own files (`docs.doc_file`), made while its pages
  are;
- in the scope `search`, the catalog and each group's files (the page is the scope
  `search-page`).

An article's `doc_terms` record is made when its file is read (`article_terms`, kept beside
its row in the state): a unit's postings are made from its rows alone, no body is read again.

Each file of a group has its own key: its units' digests of their parts of it (a unit's
part of a shard: its pairs that hash there and their postings). A unit's digests are kept in
the cache folder under its key (its name, the shard count, its articles' file digests, the
code), so a build makes again only the units whose key changed (`postings.unit_index`, from
the rows: ~0.2 s for 2,000 articles) and writes only the files whose parts changed; the
parts of the other units come from the live site's file. A one-sentence edit rewrites some
tens of a group's 2,048 shards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from site_builder.atomic import atomic_write
from site_builder.bodytext import plain_text
from site_builder.models import Article, Edition
from site_builder.search.catalog import CATALOG, catalog_file
from site_builder.search.docs import SearchDoc, doc_file, doc_path, doc_terms
from site_builder.search.index import search_doc
from site_builder.search.postings import FACETS, UnitIndex, facet_path, shard_count, shard_path, unit_index
from site_builder.search.script import data_script, read_data_script
from site_builder.search.units import Group, Unit, plan_groups, plan_units
from site_builder.site.fingerprint import code_fingerprint
from site_builder.site.outputs import Output, article_key, key_of
from site_builder.site.rows import row_article
from site_builder.site.view import ArchiveView

KIND = "search-index"


def article_terms(article: Article, body: str | None = None) -> bytes:
    """The record of an article's index terms (kept beside its row, in the state's `terms`);
    `body`: the article's body when it is at hand (else it is read from the file)."""
    return doc_terms(search_doc(article, None if body is None else plain_text(body)))


def edition_outputs(edition: Edition) -> Iterator[Output]:
    """The own files of the edition's docs (numbered by id within the day)."""
    for rank, article in enumerate(sorted(edition.articles, key=lambda a: a.id)):
        yield Output(KIND, doc_path(edition.date, rank), key_of("search-doc", article_key(article)),
                     partial(_doc_file, article))


def _doc_file(article: Article) -> bytes:
    return doc_file(search_doc(article))


def site_outputs(view: ArchiveView, live: Path | None, parts: Path | None = None) -> Iterator[Output]:
    """The catalog and every group's files (the search page is a scope of its own), a group
    after another (its units are held only while its files are made).

    `live`: the site this build replaces, whose files give the parts of units not made again;
    `parts`: the folder of the units' part digests (`read_digests`), kept between builds."""
    # (Each day's count, then every digest in order, cut by those counts: the index on
    # (date, id, digest) gives them without a sort, and no row is looked at in Python.)
    days: Counter[dt.date] = Counter({dt.date.fromisoformat(day): n for day, n in view.db.execute(
        "SELECT date, count(*) FROM articles GROUP BY date ORDER BY date")})
    every = [digest for (digest,) in view.db.execute("SELECT digest FROM articles ORDER BY date, id")]
    digests: defaultdict[tuple[int, int], list[str]] = defaultdict(list)
    start = 0
    for date, n in days.items():
        digests[date.year, date.month] += every[start:start + n]
        start += n
    counts = {month: len(found) for month, found in digests.items()}
    groups = plan_groups(plan_units(counts), counts)
    shards = shard_count(sum(counts.values()))
    code = code_fingerprint()
    keys = {u.name: key_of("search-unit", u.name, shards, code, [d for m in u.months for d in digests[u.year, m]])[:16]
            for g in groups for u in g.units}
    yield Output(KIND, CATALOG, key_of("search-catalog", keys, sorted(days.items())),
                 lambda: catalog_file(groups, days, shards, keys)[1])
    for group in groups:
        made = GroupParts(view, group, keys, shards, live, parts)
        for k in range(shards):
            present = [(name, found[k]) for name, found in made.digests.items() if found[k]]
            yield Output(KIND, shard_path(group, k), key_of("search-shard", present), partial(made.shard_file, k))
        for facet in FACETS:
            present = [(name, found[facet]) for name, found in made.facet_digests.items()]
            yield Output(KIND, facet_path(group, facet), key_of("search-facet", present), partial(made.facet_file, facet))


def part_digest(part: object) -> str:
    """The digest of a unit's part of one file ('' for none)."""
    return "" if part is None else hashlib.sha256(data_script(part)).hexdigest()[:16]


class GroupParts:
    """A group's units while its files are made: each unit's digest of its part of each file
    (from the digests folder when its key is there, else from its part, made from its rows);
    a file's bytes from its units' parts, those not made here read from the live site's file
    (and made after all when that file does not hold the part its digest names)."""

    def __init__(self, view: ArchiveView, group: Group, keys: Mapping[str, str], shards: int,
                 live: Path | None, parts: Path | None) -> None:
        self.view, self.group, self.shards, self.live = view, group, shards, live
        self.built: dict[str, UnitIndex] = {}
        self.digests: dict[str, list[str]] = {}  # unit → digest of its part of each shard ('' none)
        self.facet_digests: dict[str, dict[str, str]] = {}
        for unit in group.units:
            found = read_digests(parts, unit.name, keys[unit.name], shards) if parts is not None else None
            if found is None:
                index = self.build(unit)
                found = ([part_digest(index.shards.get(k)) for k in range(shards)],
                         {f: part_digest(index.facets[f]) for f in FACETS})
                if parts is not None:
                    write_digests(parts, unit.name, keys[unit.name], *found)
            self.digests[unit.name], self.facet_digests[unit.name] = found

    def build(self, unit: Unit) -> UnitIndex:
        index = self.built.get(unit.name)
        if index is None:
            index = self.built[unit.name] = unit_index(unit, list(unit_entries(self.view, unit)), self.shards)
        return index

    def shard_file(self, k: int) -> bytes:
        return data_script(self._parts(shard_path(self.group, k), lambda u: u.shards.get(k),
                                       {n: d[k] for n, d in self.digests.items()}))

    def facet_file(self, facet: str) -> bytes:
        return data_script(self._parts(facet_path(self.group, facet), lambda u: u.facets[facet],
                                       {n: d[facet] for n, d in self.facet_digests.items()}))

    def _parts(self, path: str, part: Callable[[UnitIndex], Any], digests: Mapping[str, str]) -> dict[str, Any]:
        """Each unit's part of the file at `path` (units without one left out)."""
        live: dict[str, Any] | None = None
        found = {}
        for unit in self.group.units:
            if unit.name not in self.built:
                if live is None:
                    live = _read_live(self.live, path)
                value = live.get(unit.name)
                if part_digest(value) == digests[unit.name]:
                    if value is not None:
                        found[unit.name] = value
                    continue
            value = part(self.build(unit))
            if value is not None:
                found[unit.name] = value
        return found


def _read_live(site: Path | None, path: str) -> dict[str, Any]:
    """The value of an index file of the live site ({} when there is none to read)."""
    if site is None:
        return {}
    try:
        value = read_data_script((site / path).read_bytes())
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def read_digests(folder: Path, unit: str, key: str, shards: int) -> tuple[list[str], dict[str, str]] | None:
    """The part digests kept for `unit` with `key` (None when none are, or they are damaged)."""
    try:
        value = json.loads((folder / f"{unit}.json").read_bytes())
        if value["key"] != key or len(value["shards"]) != shards or set(value["facets"]) != set(FACETS):
            return None
        return list(map(str, value["shards"])), {f: str(value["facets"][f]) for f in FACETS}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_digests(folder: Path, unit: str, key: str, shards: list[str], facets: dict[str, str]) -> None:
    """Keep a unit's part digests for the next build (one file a unit; a kill leaves the old
    file or the new one: the key in it says which)."""
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / f"{unit}.json", json.dumps({"key": key, "shards": shards, "facets": facets}).encode(),
                 sync_folder=False)


def unit_entries(view: ArchiveView, unit: Unit) -> Iterable[tuple[SearchDoc, bytes]]:
    """Each article of `unit` as its card (without text) and its terms record (made from its
    file when its row has none: a state of a build without search)."""
    for month in unit.months:
        first = dt.date(unit.year, month, 1)
        rows = view.db.execute("SELECT a.rel, a.fields, t.terms FROM articles a LEFT JOIN terms t ON t.rel = a.rel "
                               "WHERE a.date >= ? AND a.date < ?",
                               (first.isoformat(), (first + dt.timedelta(days=31)).replace(day=1).isoformat()))
        for rel, fields, terms in rows:
            article = row_article(fields, view.prefix + rel)
            yield search_doc(article, ""), terms if terms is not None else article_terms(article)
