"""The ingest, top to bottom: raw pages → items → articles → `content/`.

    read manifest → decode each page → classify lines → segment → extract
      → account for every character → de-duplicate across extractions → id, places
      → render files → write (atomically, keeping hand edits)

Pure stages pass values; only `read_pages` and `write_content` touch the disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from site_builder.frontmatter import dump_article
from site_builder.ingest.conserve import account
from site_builder.ingest.decode import decode_page
from site_builder.ingest.dedupe import extraction_quality, match_duplicates, shingles
from site_builder.ingest.extract import Extracted, extract
from site_builder.ingest.lines import classify
from site_builder.ingest.manifest import read_manifest
from site_builder.ingest.places import places_named, primary_province
from site_builder.ingest.segment import segment
from site_builder.ingest.write import WriteReport, write_content
from site_builder.models import Article, EditionEntry, Problem, RawPage, Source

UNASSIGNED = "_unassigned"
Progress = Callable[[str, int, int], None]


@dataclass
class PageReport:
    file: str
    date: dt.date | None
    items: int = 0
    photos: int = 0
    continuations: int = 0
    duplicates: int = 0
    unassigned: int = 0
    remainder: str = ""  # the characters of the page that no article holds
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class IngestResult:
    articles: list[Article]
    pages: list[PageReport]
    problems: list[Problem]
    written: WriteReport | None = None


class IngestError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def read_pages(seeds: Path) -> tuple[list[RawPage], list[Problem]]:
    """Every page listed in `editions.yaml` or lying beside it, decoded; all problems at once."""
    label = str(seeds / "editions.yaml")
    entries, entry_lines, problems = read_manifest(seeds / "editions.yaml", label)
    if not seeds.is_dir():
        return [], [Problem(str(seeds), 1, "seeds folder not found")]
    listed = {e.file for e in entries}
    found = sorted(p.name for p in seeds.glob("*.txt") if p.is_file())
    pages: list[RawPage] = []
    for entry, line in zip(entries, entry_lines, strict=True):
        if not (seeds / entry.file).is_file():
            problems.append(Problem(label, line, f"file '{entry.file}' not found in {seeds}"))
    unlisted = [EditionEntry(name, None) for name in found if name not in listed]
    for entry in [*entries, *unlisted]:
        path = seeds / entry.file
        if not path.is_file():
            continue
        lines, encoding, decode_problems = decode_page(path.read_bytes(), str(path))
        problems += decode_problems
        if not lines:
            continue
        if entry.date is None:
            problems.append(Problem(str(path), 1, "not in editions.yaml or without a date: "
                                    "edition date unknown, filed under 1900-01-01", "warning"))
        pages.append(RawPage(entry.file, lines, entry.date, entry.date_source, entry.page, entry.page_name, encoding))
    return pages, problems


UNKNOWN_DATE = dt.date(1900, 1, 1)


def ingest_pages(pages: list[RawPage], progress: Progress | None = None) -> IngestResult:
    """Pure: decoded pages → articles (de-duplicated, with ids), a report per page."""
    reports: list[PageReport] = []
    per_page: list[tuple[RawPage, list[Extracted]]] = []
    problems: list[Problem] = []
    for n, page in enumerate(pages, 1):
        items = [extract(unit) for unit in segment(classify(page.lines))]
        missing, extra = account(page.lines, items)
        remainder = "".join(sorted(missing.elements()))
        report = PageReport(page.file, page.date, unassigned=len(remainder), remainder=remainder)
        if missing:
            report.warnings.append(Problem(page.file, 1, f"{report.unassigned} characters in no article: "
                                           f"see content/{UNASSIGNED}/{page.file}", "warning"))
        if extra:
            report.warnings.append(Problem(page.file, 1, "characters in articles that the page lacks: "
                                           + "".join(sorted(extra.elements()))[:40], "warning"))
        per_page.append((page, items))
        reports.append(report)
        if progress:
            progress("segment", n, len(pages))
    articles = _deduplicate(per_page, reports)
    for report in reports:
        problems += report.warnings
    return IngestResult(articles, reports, problems)


def _deduplicate(per_page: list[tuple[RawPage, list[Extracted]]], reports: list[PageReport]) -> list[Article]:
    """Pages of one date are compared; the better extraction keeps each article."""
    order = sorted(range(len(per_page)), key=lambda i: (per_page[i][0].date or UNKNOWN_DATE,
                                                       extraction_quality(per_page[i][0].lines), per_page[i][0].file))
    kept: list[tuple[RawPage, Extracted, list[str]]] = []
    kept_shingles: list[frozenset[str]] = []
    for i in order:
        page, items = per_page[i]
        same_day = [k for k, (p, _, _) in enumerate(kept) if p.date == page.date and p.file != page.file]
        cands = [shingles(it.title + it.body) for it in items]
        matches = match_duplicates([kept_shingles[k] for k in same_day], cands)
        for item, cand, match in zip(items, cands, matches, strict=True):
            report = reports[i]
            if match is not None:
                other = kept[same_day[match]][2]
                if page.file not in other:
                    other.append(page.file)
                report.duplicates += 1
                continue
            kept.append((page, item, []))
            kept_shingles.append(cand)
            report.items += 1
            report.photos += item.kind == "photo"
            report.continuations += item.kind == "continuation"
    return _with_ids([_article(page, item, also) for page, item, also in kept])


def _article(page: RawPage, item: Extracted, also_in: list[str]) -> Article:
    text = "\n".join(x for x in (item.kicker, item.title, item.subtitle, item.body) if x)
    places = places_named(text)
    province = primary_province(text, item.dateline_place)
    return Article(
        id="", kind=item.kind, title=item.title, date=page.date or UNKNOWN_DATE,
        source=Source(page.file, item.lines), body=item.body, kicker=item.kicker, subtitle=item.subtitle,
        column=item.column, page=page.page, page_name=page.page_name, dateline=item.dateline,
        province=province, places=places, authors=item.authors, summary=item.summary,
        continued_from=item.continued_from, also_in=tuple(sorted(also_in)),
    )


def _with_ids(articles: list[Article]) -> list[Article]:
    """Stable ids: the date and a hash of the headline, not of where the article was found
    nor of its body, so that a better cleaning of the text does not move its link."""
    out: list[Article] = []
    used: set[str] = set()
    for article in sorted(articles, key=lambda a: (a.date, a.source.file, a.source.lines)):
        digest = hashlib.sha256(f"{article.date}|{article.kind}|{article.title}".encode()).hexdigest()
        base = f"{article.date:%Y%m%d}-{digest[:8]}"
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        out.append(replace(article, id=ident))
    return out


def content_files(result: IngestResult) -> dict[str, bytes]:
    """Relative path → bytes of every file the ingest owns in `content/`."""
    files = {f"{a.date:%Y/%m/%d}/{a.id}.md": dump_article(a).encode() for a in result.articles}
    for report in result.pages:
        if report.remainder:
            files[f"{UNASSIGNED}/{report.file}"] = (
                f"# Characters of {report.file} that no article holds ({report.unassigned}):\n{report.remainder}\n"
            ).encode()
    return files


def ingest(seeds: Path, content: Path, progress: Progress | None = None) -> IngestResult:
    """Read, ingest and write. Errors in the input stop the run before anything is written."""
    pages, problems = read_pages(seeds)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise IngestError(problems)
    result = ingest_pages(pages, progress)
    result.problems = problems + result.problems
    result.written = write_content(content, content_files(result))
    return result
