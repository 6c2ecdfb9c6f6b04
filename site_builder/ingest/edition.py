"""The pages of one edition date → its articles, files and report: the unit of parallel work.

    each page: decode → items (`page.py`), or its stored result when unchanged
      → de-duplicate the date's extractions → places, province → ids → render files

Nothing crosses dates: two extractions of a page share its date, and an id starts with the
date, so the editions of an archive are ingested independently, on every core, and an
edition none of whose pages changed is not ingested again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace

from site_builder.ingest.confidence import Doubt
from site_builder.ingest.decode import decode_page
from site_builder.ingest.dedupe import DuplicateIndex, shingles
from site_builder.ingest.extract import Extracted
from site_builder.ingest.page import PageResult, from_json, read_page, to_json
from site_builder.ingest.places import places_and_province
from site_builder.ingest.render import render as render_article
from site_builder.models import Article, EditionEntry, Problem, RawPage, Source

UNASSIGNED = "_unassigned"
UNKNOWN_DATE = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class PageInput:
    """One page to ingest: decoded already, as raw bytes, and/or with its stored result."""

    entry: EditionEntry
    path: str  # how problems name the file
    page: RawPage | None = None
    data: bytes | None = None
    stored: str | None = None  # its result from an earlier run (JSON), when the page is unchanged
    digest: str = ""  # SHA-256 of its bytes


@dataclass(frozen=True)
class PageReport:
    file: str
    date: dt.date | None
    items: int = 0
    photos: int = 0
    continuations: int = 0
    duplicates: int = 0
    unassigned: int = 0
    remainder: str = ""  # the characters of the page that no article holds
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class EditionOutput:
    date: dt.date | None
    reports: tuple[PageReport, ...]
    articles: tuple[Article, ...]
    files: tuple[tuple[str, bytes], ...]  # content-relative path → bytes (articles, remainders)
    digests: tuple[tuple[str, str], ...]  # content-relative path → SHA-256 of those bytes
    excerpts: tuple[tuple[str, tuple[tuple[int, str], ...]], ...]  # doubtful article → its page's lines
    doubts: tuple[tuple[str, Doubt], ...]  # content-relative path → why to review it
    stored: tuple[tuple[str, str], ...]  # page file → its result to keep (JSON), when computed now
    problems: tuple[Problem, ...]  # errors and warnings of decoding


def build_edition(inputs: tuple[PageInput, ...], render: bool = True) -> EditionOutput:
    """Ingest the pages of one date (pure; runs in a worker process)."""
    results: list[tuple[EditionEntry, PageResult]] = []
    pages_read: dict[str, tuple[str, ...]] = {}  # the lines of the pages decoded here
    stored: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for item in inputs:
        result = _stored(item.stored)
        if result is None:
            page = item.page
            if page is None:
                lines, encoding, decode_problems = decode_page(item.data or b"", item.path)
                problems += decode_problems
                if not lines:
                    continue
                page = RawPage(item.entry.file, lines, item.entry.date, item.entry.date_source, item.entry.page,
                               item.entry.page_name, encoding)
            pages_read[page.file] = page.lines
            result = read_page(page)
            stored.append((item.entry.file, to_json(result)))
        results.append((item.entry, result))
    kept, reports = _deduplicate(results)
    unnamed = [_article(entry, item, also) for entry, item, also in kept]
    articles = [replace(a, id=i) for a, i in zip(unnamed, _ids(unnamed), strict=True)]
    paths = [f"{a.date:%Y/%m/%d}/{a.id}.md" for a in articles]
    doubts = [(path, item.doubt) for path, (_, item, _) in zip(paths, kept, strict=True) if item.doubt.uncertain]
    files = [(p, render_article(a)) for a, p in zip(articles, paths, strict=True)] if render else []
    files += remainder_files(reports)
    order = sorted(range(len(articles)), key=lambda n: (articles[n].source.file, articles[n].source.lines))
    date = inputs[0].entry.date if inputs else None
    excerpts = [(path, excerpt(pages_read[a.source.file], a.source.lines)) for a, path in zip(articles, paths, strict=True)
                if path in dict(doubts) and a.source.file in pages_read]
    return EditionOutput(date, tuple(reports), tuple(articles[n] for n in order), tuple(files),
                         tuple((rel, hashlib.sha256(data).hexdigest()) for rel, data in files), tuple(excerpts),
                         tuple(sorted(doubts)), tuple(stored), tuple(problems))


def excerpt(lines: tuple[str, ...], span: tuple[int, int]) -> tuple[tuple[int, str], ...]:
    """The non-blank lines of a page around an item (a few more on each side), numbered."""
    first, last = span
    return tuple((n, lines[n - 1]) for n in range(max(1, first - 3), min(len(lines), last + 3) + 1)
                 if lines[n - 1].strip())


def _stored(text: str | None) -> PageResult | None:
    """A stored page result, or None when there is none or it cannot be read (then the page
    is read again: a damaged state costs time, never a wrong result)."""
    if text is None:
        return None
    try:
        return from_json(text)
    except (ValueError, KeyError, TypeError):
        return None


def remainder_files(reports: list[PageReport] | tuple[PageReport, ...]) -> list[tuple[str, bytes]]:
    """`_unassigned/<page>`: the characters of a page that no article holds."""
    return [(f"{UNASSIGNED}/{r.file}",
             f"# Characters of {r.file} that no article holds ({r.unassigned}):\n{r.remainder}\n".encode())
            for r in reports if r.remainder]


def _deduplicate(pages: list[tuple[EditionEntry, PageResult]]) -> tuple[
        list[tuple[EditionEntry, Extracted, list[str]]], list[PageReport]]:
    """The better extraction of a page keeps each article; the other is named in `also_in`."""
    order = sorted(range(len(pages)), key=lambda i: (pages[i][1].quality, pages[i][0].file))
    kept: list[tuple[EditionEntry, Extracted, list[str]]] = []
    index = DuplicateIndex()
    counts = {entry.file: [0, 0, 0, 0] for entry, _ in pages}  # items, photos, continuations, duplicates
    for i in order:
        entry, result = pages[i]
        cands = [shingles(it.title + it.body) for it in result.items] if len(pages) > 1 else []
        count = counts[entry.file]
        for n, item in enumerate(result.items):
            match = index.match(cands[n], entry.file) if cands else None
            if match is not None:
                also = kept[match][2]
                if entry.file not in also:
                    also.append(entry.file)
                count[3] += 1
                continue
            kept.append((entry, item, []))
            if cands:
                index.add(cands[n], entry.file)
            count[0] += 1
            count[1] += item.kind == "photo"
            count[2] += item.kind == "continuation"
    return kept, [_report(entry, result, counts[entry.file]) for entry, result in pages]


def _report(entry: EditionEntry, result: PageResult, count: list[int]) -> PageReport:
    warnings = []
    if result.remainder:
        warnings.append(Problem(entry.file, 1, f"{len(result.remainder)} characters in no article: "
                                f"see content/{UNASSIGNED}/{entry.file}", "warning"))
    if result.extra:
        warnings.append(Problem(entry.file, 1, "characters in articles that the page lacks: " + result.extra[:40],
                                "warning"))
    items, photos, continuations, duplicates = count
    return PageReport(entry.file, entry.date, items, photos, continuations, duplicates, len(result.remainder),
                      result.remainder, tuple(warnings))


def _article(entry: EditionEntry, item: Extracted, also_in: list[str]) -> Article:
    text = "\n".join(x for x in (item.kicker, item.title, item.subtitle, item.body) if x)
    places, province = places_and_province(text, item.dateline_place)
    return Article(
        id="", kind=item.kind, title=item.title, date=entry.date or UNKNOWN_DATE,
        source=Source(entry.file, item.lines), body=item.body, kicker=item.kicker, subtitle=item.subtitle,
        column=item.column, page=entry.page, page_name=entry.page_name, dateline=item.dateline,
        province=province, places=places, authors=item.authors,
        summary=item.summary, continued_from=item.continued_from, also_in=tuple(sorted(also_in)),
    )


def _ids(articles: list[Article]) -> list[str]:
    """Stable ids: the date and a hash of the headline, not of where the article was found
    nor of its body, so that a better cleaning of the text does not move its link. Two
    articles of a date with one headline are told apart in page order (`-2`, `-3` …)."""
    ids = [""] * len(articles)
    used: set[str] = set()
    for n in sorted(range(len(articles)), key=lambda n: (articles[n].date, articles[n].source.file,
                                                          articles[n].source.lines)):
        article = articles[n]
        digest = hashlib.sha256(f"{article.date}|{article.kind}|{article.title}".encode()).hexdigest()
        base = f"{article.date:%Y%m%d}-{digest[:8]}"
        ident, k = base, 2
        while ident in used:
            ident, k = f"{base}-{k}", k + 1
        used.add(ident)
        ids[n] = ident
    return ids
