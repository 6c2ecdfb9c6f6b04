"""The search index as outputs of the build: thin glue between the state's rows and the index.

- with each edition (its scope), its docs' own files (`docs.doc_file`), made while its pages
  are;
- in the scope `search`, the catalog and each group's files (the page is the scope
  `search-page`).

An article's `doc_terms` record is made when its file is read (`article_terms`, kept in its
row of the state): a unit's postings are made from its rows alone, no body is read again.

A group's files have one key: its units' keys (a unit's: its name, the shard count, its
articles' file digests, the code). Making them takes each unit's part from the live site's
files when the live catalog gives that unit the same key, and makes the others
(`postings.unit_index`) from the rows: an edit makes one unit again (~1 s for 2,000 articles)
and puts its group's files together.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from site_builder.models import Article, Edition
from site_builder.search.catalog import CATALOG, catalog_file
from site_builder.search.docs import SearchDoc, doc_file, doc_path, doc_terms
from site_builder.search.index import search_doc
from site_builder.search.postings import UnitIndex, group_files, group_paths, read_group, shard_count, unit_index
from site_builder.search.script import read_data_script
from site_builder.search.units import Group, Unit, plan_groups, plan_units, unit_named
from site_builder.site.fingerprint import code_fingerprint
from site_builder.site.outputs import Output, article_key, key_of
from site_builder.site.rows import row_article
from site_builder.site.view import ArchiveView

KIND = "search-index"
# (In each worker) the files of the group made last: group name → (key, files).
_kept: dict[str, tuple[str, dict[str, bytes]]] = {}


def article_terms(article: Article) -> bytes:
    """The record of an article's index terms (kept with its row)."""
    return doc_terms(search_doc(article))


def edition_outputs(edition: Edition) -> Iterator[Output]:
    """The own files of the edition's docs (numbered by id within the day)."""
    for rank, article in enumerate(sorted(edition.articles, key=lambda a: a.id)):
        yield Output(KIND, doc_path(edition.date, rank), key_of("search-doc", article_key(article)),
                     partial(_doc_file, article))


def _doc_file(article: Article) -> bytes:
    return doc_file(search_doc(article))


def site_outputs(view: ArchiveView, live: Path | None) -> list[Output]:
    """The catalog and every group's files (the search page is a scope of its own).
    `live`: the site this build replaces, whose units' parts are taken when unchanged."""
    _kept.clear()  # (what another build made in this process is not this build's)
    outputs: list[Output] = []
    days: Counter[dt.date] = Counter()
    digests: defaultdict[tuple[int, int], list[str]] = defaultdict(list)
    for day, digest in view.db.execute("SELECT date, digest FROM articles ORDER BY date, id"):
        date = dt.date.fromisoformat(day)
        days[date] += 1
        digests[date.year, date.month].append(digest)
    counts = {month: len(found) for month, found in digests.items()}
    groups = plan_groups(plan_units(counts), counts)
    shards = shard_count(sum(counts.values()))
    code = code_fingerprint()
    keys = {u.name: key_of("search-unit", u.name, shards, code, [d for m in u.months for d in digests[u.year, m]])[:16]
            for g in groups for u in g.units}
    outputs.append(Output(KIND, CATALOG, key_of("search-catalog", keys, sorted(days.items())),
                          lambda: catalog_file(groups, days, shards, keys)[1]))
    for group in groups:
        key = key_of("search-group", [keys[u.name] for u in group.units])
        make = partial(_group_files, view, group, key, keys, shards, live)
        outputs += [Output(KIND, path, key, partial(_file, make, path)) for path in group_paths(group, shards)]
    return outputs


def _file(make: partial[dict[str, bytes]], path: str) -> bytes:
    return make()[path]


def _group_files(view: ArchiveView, group: Group, key: str, keys: Mapping[str, str], shards: int,
                 live: Path | None) -> dict[str, bytes]:
    kept = _kept.get(group.name)
    if kept is None or kept[0] != key:
        _kept.clear()
        wanted = {u.name for u in group.units}
        reused = live_parts(live, {n: k for n, k in keys.items() if n in wanted}, shards) if live is not None else {}
        parts = [reused.get(u.name) or unit_index(u, list(unit_entries(view, u)), shards) for u in group.units]
        _kept[group.name] = kept = (key, group_files(group, parts, shards))
    return kept[1]


def unit_entries(view: ArchiveView, unit: Unit) -> Iterable[tuple[SearchDoc, bytes]]:
    """Each article of `unit` as its card (without text) and its terms record (made from its
    file when its row has none: a state of a build without search)."""
    for month in unit.months:
        first = dt.date(unit.year, month, 1)
        rows = view.db.execute("SELECT rel, fields, terms FROM articles WHERE date >= ? AND date < ?",
                               (first.isoformat(), (first + dt.timedelta(days=31)).replace(day=1).isoformat()))
        for rel, fields, terms in rows:
            article = row_article(fields, view.prefix + rel)
            yield search_doc(article, ""), terms if terms is not None else article_terms(article)


def live_parts(site: Path, keys: Mapping[str, str], shards: int) -> dict[str, UnitIndex]:
    """The parts of the units of `keys` the site at `site` has with the same key (and shard
    count): unit name → part (only the groups holding one are read). Nothing when its index
    cannot be read."""
    try:
        catalog: Any = read_data_script((site / CATALOG).read_bytes())
        if catalog.get("shards") != shards:
            return {}
        found = {}
        for entry in catalog["groups"]:
            same = [u["name"] for u in entry["units"] if keys.get(u["name"]) == u.get("key")]
            if same:
                group = Group(tuple(unit_named(u["name"]) for u in entry["units"]))
                files = {path: (site / path).read_bytes() for path in group_paths(group, shards)}
                parts = read_group(files, group, shards)
                found.update({name: parts[name] for name in same})
        return found
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
