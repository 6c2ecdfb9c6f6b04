"""Related articles (相关报道): earlier articles that share places, people or the province.

Only articles printed before the one shown are chosen (an earlier date, or the same date and
earlier in printed order), so publishing a new edition never changes an old page. Scoring
is a pure function of front-matter, and every tie is broken, so the choice is deterministic:

1. more places and people (authors) shared first;
2. then the same province before another or none;
3. then the newer first (by date);
4. then by id.

An article shares nothing with a candidate → the candidate is not related. Continuation
fragments (转版) are never chosen, nor the article's own head: a fragment carries the title
of the article it continues, on the same day.

>>> [r.article.id for r in related(article, candidates)]  # doctest: +SKIP
['20220816-e8a05b19']
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass

from site_builder.models import Article

RELATED_LIMIT = 5
# Candidates looked at per place or person: the newest this many earlier articles naming it;
# per province, the newest PROVINCE_WINDOW (sharing the province alone ranks last: a few more
# than are shown are enough). A page's cost then stays bounded however large the archive
# grows (北京 may be named in tens of thousands of articles).
WINDOW = 32
PROVINCE_WINDOW = 2 * RELATED_LIMIT
# Unnumbered sheets print after the numbered ones (page numbers are < 1000), as `structure` orders them.
_UNNUMBERED = 1000

Position = tuple[int, int, str, int, str, str]


@dataclass(frozen=True)
class Related:
    """A related article and what it shares with the one shown."""

    article: Article
    places: tuple[str, ...]  # places named in both, in the candidate's order
    people: tuple[str, ...]  # authors of both, in the candidate's order
    province: bool  # both in the same province

    @property
    def shared(self) -> int:
        """How many places and people the two share (the province is the next tie-break)."""
        return len(self.places) + len(self.people)


def printed_position(article: Article) -> Position:
    """Where an article stands in the whole archive: by date, then as printed that day (its
    sheet by page number or, unnumbered, by source file; then its first source line).

    >>> printed_position(a)  # doctest: +SKIP
    (738824, 2, '', 100, '000_da4d75aed8247b84.txt', '20231031-3f9a2c1e')
    """
    page = article.page if article.page is not None else _UNNUMBERED
    sheet_file = "" if article.page is not None else article.source.file
    return (article.date.toordinal(), page, sheet_file, article.source.lines[0], article.source.file, article.id)


def shared_with(article: Article, candidate: Article) -> Related:
    """What `candidate` shares with `article` (possibly nothing)."""
    return _Sharer(article).shared(candidate)


class _Sharer:
    """What articles share with one article (its places and people as sets, made once)."""

    def __init__(self, article: Article) -> None:
        self.places = frozenset(article.places)
        self.people = frozenset(a.name for a in article.authors)
        self.province = article.province

    def shared(self, candidate: Article) -> Related:
        places, people = self.places, self.people
        return Related(
            candidate,
            tuple(dict.fromkeys(p for p in candidate.places if p in places)),
            tuple(dict.fromkeys(a.name for a in candidate.authors if a.name in people)),
            self.province is not None and candidate.province == self.province,
        )


def related(article: Article, candidates: Iterable[Article], limit: int = RELATED_LIMIT) -> tuple[Related, ...]:
    """At most `limit` earlier articles among `candidates` sharing something with `article`,
    best first (see the module's order). Candidates may repeat and come in any order."""
    here, day, sharer = printed_position(article), article.date, _Sharer(article)
    places, people, province = sharer.places, sharer.people, sharer.province
    seen: set[str] = set()
    ranked: list[tuple[int, bool, int, str, Article]] = []
    # (The loop runs for every candidate of every article page: kept to plain operations.)
    for candidate in candidates:
        if candidate.id in seen:
            continue
        seen.add(candidate.id)
        if candidate.kind == "continuation" or candidate.date > day:
            continue
        if candidate.date == day and (candidate.title == article.title or printed_position(candidate) >= here):
            continue
        n = len(places.intersection(candidate.places)) if places and candidate.places else 0
        if people and candidate.authors:
            n += len(people.intersection([a.name for a in candidate.authors]))
        same = province is not None and candidate.province == province
        if n or same:
            ranked.append((-n, not same, -candidate.date.toordinal(), candidate.id, candidate))
    best = heapq.nsmallest(max(limit, 0), ranked, key=lambda r: r[:4])
    return tuple(sharer.shared(r[-1]) for r in best)
