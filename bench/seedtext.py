"""The real newspaper text the synthetic archives are recombined from.

Everything comes from the repository's `content/` (the ingested seed pages) and the
place table of the ingest: sentences of bodies, headline fragments, kickers, subtitles,
reading boxes, columns, subheads, reporters' names and the places of every province.

>>> text = seed_text(Path("content"))  # doctest: +SKIP
>>> text.sentences[0]  # doctest: +SKIP
'仪式现场，40对新人身着中式礼服、凤冠霞帔，在亲友的见证下携手步入婚姻的殿堂。'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from site_builder.ingest.gazetteer import build as build_gazetteer
from site_builder.models import Article
from site_builder.regions import PROVINCES
from site_builder.site.content import read_content

# The 31 mainland provinces (台湾, 香港, 澳门 are not reported on as provinces here).
MAINLAND = tuple(p.short for p in PROVINCES if p.code < "70")

# A sentence ends at 。！？ (and a closing quote right after it stays with it).
_SENTENCE = re.compile(r"[^。！？]+[。！？][”’」』）]?")
# Openers of a news lead: the generator writes its own lead with the right reporter.
_LEAD = re.compile(r"^本报(讯|[^（]{0,8}电)")
_FRAGMENT_SPLIT = re.compile(r"[，\s]+")
_CLAUSE_SPLIT = re.compile(r"[，；：]")


@dataclass(frozen=True)
class SeedText:
    sentences: tuple[str, ...]  # body sentences of articles, quotes balanced
    captions: tuple[str, ...]  # sentences of photo captions
    headings: tuple[str, ...]  # `## …` subheads of long articles
    title_parts: tuple[str, ...]  # headline fragments (split at ， and spaces)
    clauses: tuple[str, ...]  # clauses of body sentences short enough for a headline
    kickers: tuple[str, ...]
    subtitles: tuple[str, ...]
    summaries: tuple[str, ...]
    columns: tuple[str, ...]
    surnames: tuple[str, ...]  # from the bylines of the seed articles
    given_names: tuple[str, ...]
    places: dict[str, tuple[str, ...]]  # province short name → its cities / districts


def seed_text(content_dir: Path) -> SeedText:
    articles, problems = read_content(content_dir)
    errors = [p for p in problems if p.severity == "error"]
    if errors or not articles:
        raise ValueError(f"seed content {content_dir} is unusable: {errors[:3] or 'no articles'}")
    texts = [a for a in articles if a.kind in ("article", "continuation")]
    names = sorted({author.name for a in articles for author in a.authors if 2 <= len(author.name) <= 3})
    return SeedText(
        sentences=_unique(s for a in texts for s in body_sentences(a.body)),
        captions=_unique(s for a in articles if a.kind == "photo" for s in body_sentences(a.body)),
        headings=_unique(line[3:].strip() for a in texts for line in a.body.splitlines()
                         if line.startswith("## ")),
        title_parts=_unique(part for a in texts if a.kind == "article"
                            for part in _FRAGMENT_SPLIT.split(a.title) if 3 <= len(part) <= 16),
        clauses=_unique(c for a in texts for s in body_sentences(a.body) for c in headline_clauses(s)),
        kickers=_field(articles, "kicker"),
        subtitles=_field(articles, "subtitle"),
        summaries=_field(articles, "summary"),
        columns=_field(articles, "column"),
        surnames=_unique(n[0] for n in names),
        given_names=_unique(n[1:] for n in names),
        places=province_places(),
    )


def body_sentences(body: str) -> list[str]:
    """Sentences of a body that stand on their own: no subheads, no lead, balanced quotes."""
    found = []
    for paragraph in body.split("\n\n"):
        if paragraph.startswith("#"):
            continue
        for sentence in _SENTENCE.findall(paragraph.replace("\n", "")):
            sentence = sentence.strip()
            if (8 <= len(sentence) <= 220 and not _LEAD.match(sentence)
                    and sentence.count("“") == sentence.count("”")
                    and sentence.count("（") == sentence.count("）")):
                found.append(sentence)
    return found


def headline_clauses(sentence: str) -> list[str]:
    """Clauses of 6–16 characters without unbalanced quotes: `让职工享受到线下内购体验`."""
    return [c for c in _CLAUSE_SPLIT.split(sentence.rstrip("。！？”"))
            if 6 <= len(c) <= 16 and c.count("“") == c.count("”") and c.count("（") == c.count("）")]


def province_places() -> dict[str, tuple[str, ...]]:
    """Prefecture-level places of each province; districts for the four municipalities."""
    gazetteer = build_gazetteer()
    by_level: dict[int, dict[str, set[str]]] = {2: {}, 3: {}}
    every = [*gazetteer.names.values(), *(p for table in gazetteer.children.values() for p in table.values())]
    for place in every:
        if place.level in by_level and len(place.canonical) >= 2:
            by_level[place.level].setdefault(place.province, set()).add(place.canonical)
    return {
        province: tuple(sorted(by_level[2].get(province) or by_level[3].get(province) or {province}))
        for province in MAINLAND
    }


def _field(articles: list[Article], name: str) -> tuple[str, ...]:
    return _unique(value for a in articles if isinstance(value := getattr(a, name), str))


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    """Distinct values in first-seen order (stable input → stable generator)."""
    return tuple(dict.fromkeys(items))
