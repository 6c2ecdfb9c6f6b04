"""The search index as outputs of today's build: thin glue over the index functions.

- with each edition, its docs' own files (`docs.doc_file`), made while its pages are (the
  body is parsed once for both);
- site-wide, the search page, the catalog and each group's files. A group's files share the
  output group `search:<group>`: one worker renders them one after another, and makes them
  together once (`_group_files`, kept in that worker for the group's next file).

A group's files have one key: its units' keys (a unit's: its name, the shard count, its docs'
file digests). Making them takes each unit's part from the live site's files when the live
catalog gives that unit the same key, and makes the others (`postings.unit_index`), reading
their articles' bodies again: the build's state database will keep each article's
`doc_terms` record, and make a unit from those alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from site_builder.config import SiteConfig
from site_builder.models import Article, Edition
from site_builder.search.catalog import CATALOG, catalog_file
from site_builder.search.docs import doc_file, doc_path, doc_terms
from site_builder.search.index import search_doc
from site_builder.search.page import page_output
from site_builder.search.postings import UnitIndex, group_files, group_paths, read_group, shard_count, unit_index
from site_builder.search.script import read_data_script
from site_builder.search.units import Group, Unit, plan_groups, plan_units, unit_named
from site_builder.site.outputs import Output, article_key, key_of
from site_builder.site.structure import Archive

_kept: dict[str, tuple[str, dict[str, bytes]]] = {}  # (in each worker) group name → (key, files)


def edition_outputs(archive: Archive, config: SiteConfig, edition: Edition) -> Iterator[Output]:
    """The own files of the edition's docs (ranked by id within the day)."""
    for rank, article in enumerate(sorted(edition.articles, key=lambda a: a.id)):
        yield Output("search-index", doc_path(edition.date, rank), key_of("search-doc", article_key(article)),
                     partial(_doc_file, article))


def site_outputs(archive: Archive, env: jinja2.Environment, live: Path | None = None) -> Iterator[Output]:
    """The search page, the catalog and every group's files. `live`: the site this build will
    replace, whose units' parts are taken when unchanged."""
    _kept.clear()  # (what a build before this one made in this process is not this build's)
    yield page_output(archive, env)
    articles = [a for e in archive.editions for a in e.articles]
    counts = Counter((a.date.year, a.date.month) for a in articles)
    groups = plan_groups(plan_units(counts), counts)
    shards = shard_count(len(articles))
    days = Counter(a.date for a in articles)
    by_unit: dict[Unit, list[Article]] = {u: [] for g in groups for u in g.units}
    unit_of = {(u.year, m): u for u in by_unit for m in u.months}
    for article in articles:
        by_unit[unit_of[article.date.year, article.date.month]].append(article)
    keys = {u.name: key_of("search-unit", u.name, shards, sorted(map(article_key, mine)))[:16]
            for u, mine in by_unit.items()}
    yield Output("search-index", CATALOG, key_of("search-catalog", keys, sorted(days.items())),
                 lambda: catalog_file(groups, days, shards, keys)[1])
    for group in groups:
        key = key_of("search-group", [keys[u.name] for u in group.units])
        make = partial(_group_files, group, key, {u: by_unit[u] for u in group.units}, keys, shards, live)
        for path in group_paths(group, shards):
            yield Output("search-index", path, key, partial(_file, make, path), group=f"search:{group.name}")


def _doc_file(article: Article) -> bytes:
    return doc_file(search_doc(article))


def _file(make: partial[dict[str, bytes]], path: str) -> bytes:
    return make()[path]


def _group_files(group: Group, key: str, articles: Mapping[Unit, Sequence[Article]], keys: Mapping[str, str],
                 shards: int, live: Path | None) -> dict[str, bytes]:
    kept = _kept.get(group.name)
    if kept is None or kept[0] != key:
        _kept.clear()
        reused = live_parts(live, keys, shards) if live is not None else {}
        parts = [reused.get(u.name) or unit_index(u, [(d, doc_terms(d)) for d in map(search_doc, articles[u])], shards)
                 for u in group.units]
        _kept[group.name] = kept = (key, group_files(group, parts, shards))
    return kept[1]


def live_parts(site: Path, keys: Mapping[str, str], shards: int) -> dict[str, UnitIndex]:
    """The parts of the units the site at `site` has with the same key (and shard count):
    unit name → part. Nothing when its index cannot be read."""
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
