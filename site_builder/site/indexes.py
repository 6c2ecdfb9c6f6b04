"""The reader's indexes of a build (past years by day, related articles by place, person and
province), made once per archive and kept for the build: every edition's pages ask them.

The plan and the render workers (forked after it) share the one made first.
"""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.site.pastyears import PastYearsIndex
from site_builder.site.related import RelatedIndex
from site_builder.site.structure import Archive


@dataclass(frozen=True)
class ReadingIndexes:
    past_years: PastYearsIndex
    related: RelatedIndex


_made: list[tuple[Archive, ReadingIndexes]] = []  # the archive of the build and its indexes


def reading_indexes(archive: Archive) -> ReadingIndexes:
    """The indexes of `archive` (made on the first call for it: one archive per build)."""
    if not _made or _made[0][0] is not archive:
        _made[:] = [(archive, ReadingIndexes(PastYearsIndex(archive.editions), RelatedIndex(archive.editions)))]
    return _made[0][1]
