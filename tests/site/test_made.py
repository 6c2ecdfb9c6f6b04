"""Articles made from their rows: kept while used, the least recently used let go."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from unittest import mock

from site_builder.site import made as made_module
from site_builder.site.made import MadeArticles
from site_builder.site.scan import store_article
from site_builder.site.state import State
from site_builder.urls import day_folder
from tests.site.reader_articles import article


def test_articles_in_use_stay_made_and_the_least_recently_used_go() -> None:
    days = [dt.date(2023, 1, 1) + dt.timedelta(days=n) for n in range(30)]
    pool = [article(d, n, places=("温州",)) for n, d in enumerate(days)]
    rels = [f"{day_folder(a.date)}/{a.id}.md" for a in pool]
    with tempfile.TemporaryDirectory() as folder, State.create(Path(folder)) as state, \
            mock.patch.object(made_module, "MADE_LIMIT", 10):
        with state.transaction():
            for a, rel in zip(pool, rels, strict=True):
                store_article(state, a, rel)
        made = MadeArticles(state.db, "")
        kept = sorted(made.of(rels[:2]), key=lambda a: a.id)  # (then used again between the others: never the least recent)
        for start in range(2, 30, 4):
            assert {a.id for a in made.of(rels[start:start + 4])} == {a.id for a in pool[start:start + 4]}
            assert all(x is y for x, y in zip(sorted(made.of(rels[:2]), key=lambda a: a.id), kept, strict=True))
            assert len(made) <= 10
        assert rels[2] not in made and rels[29] in made
        assert sorted(a.id for a in made.of(rels)) == sorted(a.id for a in pool)  # (made again where let go)
