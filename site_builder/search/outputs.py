"""The search index as outputs of today's build: thin glue over the index functions.

- with each edition, its docs' own files (`docs.doc_files`), made while its pages are (the
  body is parsed once for both);
- site-wide, the catalog and each unit's files. A unit's files are made together
  (`postings.unit_files`) once per worker that renders any of them: they share the
  output group `search:<unit>`, so one worker renders them one after another, and the last
  unit's files are kept in that worker (`_unit_file`).

A unit's files have one key: its name and its docs' file digests. Making them reads the
unit's bodies again (a doc's terms are not kept between builds yet: the build's state
database will keep `doc_terms` of each article and make a unit from those alone).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from functools import partial

import jinja2

from site_builder.config import SiteConfig
from site_builder.models import Article, Edition
from site_builder.search.catalog import CATALOG, catalog_file
from site_builder.search.docs import doc_file, doc_path, doc_terms
from site_builder.search.index import search_doc
from site_builder.search.page import page_output
from site_builder.search.postings import unit_files, unit_paths
from site_builder.search.units import Unit, plan_units
from site_builder.site.outputs import Output, article_key, key_of
from site_builder.site.structure import Archive

_kept: dict[str, tuple[str, dict[str, bytes]]] = {}  # (in each worker) unit name → (key, files)


def edition_outputs(archive: Archive, config: SiteConfig, edition: Edition) -> Iterator[Output]:
    """The own files of the edition's docs (ranked by id within the day)."""
    for rank, article in enumerate(sorted(edition.articles, key=lambda a: a.id)):
        yield Output("search", doc_path(edition.date, rank), key_of("search-doc", article_key(article)),
                     partial(_doc_file, article))


def site_outputs(archive: Archive, env: jinja2.Environment) -> Iterator[Output]:
    """The search page, the catalog and every unit's files."""
    yield page_output(archive, env)
    articles = [a for e in archive.editions for a in e.articles]
    units = plan_units(Counter((a.date.year, a.date.month) for a in articles))
    days = Counter(a.date for a in articles)
    yield Output("search", CATALOG, key_of("search-catalog", [u.name for u in units], sorted(days.items())),
                 lambda: catalog_file(units, days)[1])
    by_unit: dict[Unit, list[Article]] = {unit: [] for unit in units}
    first_of = {(u.year, m): u for u in units for m in u.months}
    for article in articles:
        by_unit[first_of[article.date.year, article.date.month]].append(article)
    for unit, mine in by_unit.items():
        mine.sort(key=lambda a: (a.date, a.id))
        key = key_of("search-unit", unit.name, [article_key(a) for a in mine])
        for file in unit_paths(unit, len(mine)):
            yield Output("search", file, key, partial(_unit_file, unit, key, mine, file), group=f"search:{unit.name}")


def _doc_file(article: Article) -> bytes:
    return doc_file(search_doc(article))


def _unit_file(unit: Unit, key: str, articles: Sequence[Article], path: str) -> bytes:
    kept = _kept.get(unit.name)
    if kept is None or kept[0] != key:
        _kept.clear()
        docs = [search_doc(a) for a in articles]
        _kept[unit.name] = kept = (key, unit_files(unit, [(d, doc_terms(d)) for d in docs]))
    return kept[1][path]
