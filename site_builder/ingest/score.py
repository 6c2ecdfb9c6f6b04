"""Ingested articles against a gold annotation: the figures of issue #20, and every miss.

An item is found in the article whose body holds its anchor. Figures, over all gold items:

- found: some article holds it; merged: its article holds another item too (two items
  glued together); doubled: more than one article holds it (a second extraction kept, or
  an item split with its anchor repeated);
- title: the article's main title is one the gold accepts; lines: its headline lines
  (kicker, title, subtitle) are exactly the gold's; authors: the same names; province: one
  the gold accepts; kind: article / photo / continuation / notice.

Articles that hold no gold item at all (a split-off fragment, a caption taken for an item)
are counted as `extra`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from site_builder.ingest.clean import letters
from site_builder.ingest.gold import GoldItem, GoldPage, is_derived_title
from site_builder.models import Article

FIGURES = ("found", "merged", "doubled", "title", "lines", "authors", "province", "kind")


@dataclass(frozen=True)
class Miss:
    figure: str
    page: str
    item: str  # the gold item's title (or anchor)
    got: str  # what the ingest made of it
    source: str  # `file:first-last` of the article, or the gold line


@dataclass
class Score:
    items: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    extra: int = 0
    misses: list[Miss] = field(default_factory=list)

    def share(self, figure: str) -> float:
        return self.counts[figure] / self.items if self.items else 1.0

    def add(self, other: Score) -> Score:
        counts = {k: self.counts[k] + other.counts[k] for k in FIGURES}
        return Score(self.items + other.items, counts, self.extra + other.extra, self.misses + other.misses)


def _where(article: Article) -> str:
    return f"{article.source.file}:{article.source.lines[0]}-{article.source.lines[1]}"


def _headline(article: Article) -> str:
    return " / ".join(x for x in (article.kicker, article.title, article.subtitle) if x)


def _lines(article: Article) -> frozenset[str]:
    if is_derived_title(article):
        return frozenset()
    return frozenset(" ".join(x.split()) for x in (article.kicker, article.title, article.subtitle) if x)


def score(gold: dict[str, GoldPage], articles: Iterable[Article]) -> Score:
    """Every gold page with its second extractions against the articles ingested from them."""
    by_file: dict[str, list[tuple[Article, str]]] = {}
    for article in articles:
        by_file.setdefault(article.source.file, []).append((article, letters(article.body.replace("\\", ""))))
    total = Score()
    for page in gold.values():
        if page.duplicate_of is not None and page.duplicate_of in gold:
            continue  # scored with the page it copies
        copies = [p.file for p in gold.values() if p.duplicate_of == page.file]
        candidates = [x for f in (page.file, *copies) for x in by_file.get(f, [])]
        total = total.add(_score_page(page, candidates))
    return total


def _score_page(page: GoldPage, candidates: list[tuple[Article, str]]) -> Score:
    result = Score(items=len(page.items))
    held: dict[int, list[GoldItem]] = {}
    for item in page.items:
        for article, body in candidates:
            if item.anchor in body:
                held.setdefault(id(article), []).append(item)
    for article, _ in candidates:
        if id(article) not in held:
            result.extra += 1
            result.misses.append(Miss("extra", page.file, "(no gold item)", _headline(article), _where(article)))
    for item in page.items:
        holders = [a for a, body in candidates if item.anchor in body]
        if not holders:
            result.misses.append(Miss("found", page.file, item.label, "in no article", f"{page.file} (gold line {item.line})"))
            continue
        article = holders[0]
        checks = _checks(item, article, holders, held[id(article)])
        for figure, (ok, got) in checks.items():
            if ok:
                result.counts[figure] += 1
            else:
                result.misses.append(Miss(figure, page.file, item.label, got, _where(article)))
    return result


def _checks(item: GoldItem, article: Article, holders: list[Article],
            together: list[GoldItem]) -> dict[str, tuple[bool, str]]:
    """figure → (right?, what the ingest made), for a found item. `merged` and `doubled`
    count the items that are *not* glued or repeated, like the other figures."""
    others = [x.label for x in together if x is not item]
    title_ok = is_derived_title(article) if item.titles is None else " ".join(article.title.split()) in item.titles
    names = frozenset(a.name for a in article.authors)
    return {
        "found": (True, ""),
        "merged": (not others, "glued to " + ", ".join(others)),
        "doubled": (len(holders) == 1, f"in {len(holders)} articles: " + ", ".join(map(_where, holders))),
        "title": (title_ok, article.title),
        "lines": (_lines(article) == item.lines, _headline(article) or "(no headline)"),
        "authors": (names == item.authors, "、".join(a.name for a in article.authors) or "(none)"),
        "province": (article.province in item.provinces, str(article.province)),
        "kind": (article.kind == item.kind, article.kind),
    }
