"""The whole search index of a set of articles at once: for tests, measurements and tools.

The build makes the same files piece by piece (`outputs`): each unit's part from its docs'
records, each group's files from its units' parts, each doc's file with its edition, the
catalog from the day counts.

>>> files = index_files([])
>>> sorted(files)
['search/catalog.js']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from site_builder.bodytext import plain_text
from site_builder.models import Article
from site_builder.search.catalog import catalog_file
from site_builder.search.docs import SearchDoc, doc_files, doc_terms
from site_builder.search.postings import group_files, shard_count, unit_index
from site_builder.search.units import Unit, plan_groups, plan_units
from site_builder.site.render import sheet_label
from site_builder.urls import Urls


def search_doc(article: Article, text: str | None = None) -> SearchDoc:
    """An article as search sees it (`text`: its body's plain text, when known already)."""
    return SearchDoc(
        id=article.id, url=Urls.article(article), date=article.date, title=article.title,
        kicker=article.kicker or "", subtitle=article.subtitle or "", province=article.province or "",
        kind=article.kind, column=article.column or "",
        text=plain_text(article.body) if text is None else text, sheet=sheet_name(article),
    )


def sheet_name(article: Article) -> str:
    """`第3版 工会新闻`, `第3版`, `工会新闻` or ''."""
    parts = [sheet_label(article.page)] if article.page is not None else []
    return " ".join(parts + ([article.page_name] if article.page_name else []))


def in_unit(unit: Unit, doc: SearchDoc) -> bool:
    return doc.date.year == unit.year and doc.date.month in unit.months


def index_files(docs: Iterable[SearchDoc], max_docs: int | None = None,
                max_group_docs: int | None = None) -> dict[str, bytes]:
    """Every file of the index of `docs` (not the search page): path → bytes. `max_docs`,
    `max_group_docs`: see `units.plan_units` and `units.plan_groups`."""
    docs = list(docs)
    counts = Counter((d.date.year, d.date.month) for d in docs)
    units = plan_units(counts, max_docs)
    groups = plan_groups(units, counts, max_group_docs)
    shards = shard_count(len(docs))
    path, catalog = catalog_file(groups, Counter(d.date for d in docs), shards)
    files = {path: catalog}
    for group in groups:
        parts = [unit_index(u, [(d, doc_terms(d)) for d in docs if in_unit(u, d)], shards) for u in group.units]
        files.update(group_files(group, parts, shards))
    files.update(doc_files(docs))
    return files
