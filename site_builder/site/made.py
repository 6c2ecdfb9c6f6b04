"""Articles made from their rows in the state, kept while they are used.

A page shows other articles by reference (related articles, a listing's items), and the
pages of neighbouring days show mostly the same ones: an article is made from its row once
and kept, up to `MADE_LIMIT` of them (a few MB); past that, the least recently used tenth
goes. (Emptied at once instead, a 100,000-article build made 17 articles an article page
again, against 7.)

>>> made = MadeArticles(reader(state_file), "content/")  # doctest: +SKIP
>>> [a.id for a in made.of(["2023/10/31/20231031-3f9a2c1e.md"])]  # doctest: +SKIP
['20231031-3f9a2c1e']
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from site_builder.models import Article
from site_builder.site.rows import row_article

MADE_LIMIT = 20_000  # articles kept made


class MadeArticles:
    """The articles of one state's rows (`prefix`: the content folder as article paths
    start), made once while kept (for one build's plan or make, when the rows do not change)."""

    def __init__(self, db: sqlite3.Connection, prefix: str) -> None:
        self.db, self.prefix = db, prefix
        self._kept: OrderedDict[str, tuple[str, Article]] = OrderedDict()  # rel → (fields, article)

    def __contains__(self, rel: str) -> bool:
        return rel in self._kept

    def __len__(self) -> int:
        return len(self._kept)

    def article(self, rel: str, fields: str) -> Article:
        """The article of the row (`rel`, `fields`)."""
        kept = self._kept
        known = kept.get(rel)
        if known is not None and known[0] == fields:
            kept.move_to_end(rel)
            return known[1]
        if len(kept) >= MADE_LIMIT:  # (the least recently used tenth goes)
            for _ in range(MADE_LIMIT // 10):
                kept.popitem(last=False)
        article = row_article(fields, self.prefix + rel)
        kept[rel] = (fields, article)
        return article

    def of(self, rels: Iterable[str]) -> list[Article]:
        """The articles of `rels` (in no set order): only those not kept are read."""
        found, missing = [], []
        kept = self._kept
        for rel in rels:
            known = kept.get(rel)
            if known is None:
                missing.append(rel)
            else:
                kept.move_to_end(rel)
                found.append(known[1])
        found += [self.article(rel, fields)
                  for rel, fields in rows_in(self.db, "SELECT rel, fields FROM articles WHERE rel IN ({})", missing)]
        return found


def rows_in(db: sqlite3.Connection, sql: str, values: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of `sql` for `values`, whose placeholders go in its `{}`: 500 values a query
    (SQLite limits a statement's variables)."""
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        yield from db.execute(sql.format(", ".join("?" * len(chunk))), chunk)
