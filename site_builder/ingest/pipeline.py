"""The ingest, top to bottom: raw pages → items → articles → `content/`.

    read manifest → which pages and editions changed (state) → each changed edition, on
      every core: decode, classify, segment, extract, account, de-duplicate, places, ids,
      render (edition.py) → write (atomically, keeping hand edits) → state → review list

Only `ingest` touches the disk (the manifest, the pages, `content/`); `ingest_pages` is the
same work on decoded pages, in memory. The output does not depend on the number of jobs.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.ingest.decode import decode_page
from site_builder.ingest.edition import UNASSIGNED, UNKNOWN_DATE, EditionOutput, PageInput, PageReport, build_edition
from site_builder.ingest.manifest import read_manifest
from site_builder.ingest.render import render
from site_builder.ingest.review import REVIEW, write_review
from site_builder.ingest.state import CACHE, Changes, EditionRow, PageStat, State, load, save
from site_builder.ingest.write import Kept, WriteReport, write_content
from site_builder.models import Article, EditionEntry, Problem, RawPage

__all__ = ["UNASSIGNED", "IngestError", "IngestResult", "PageReport", "content_files", "ingest", "ingest_pages",
           "read_pages"]

Progress = Callable[[str, int, int], None]
PACKAGE = Path(__file__).resolve().parent


@dataclass
class IngestResult:
    articles: list[Article]  # the articles made by this run (editions unchanged since are not made again)
    pages: list[PageReport]
    problems: list[Problem]
    written: WriteReport | None = None
    total: int = 0  # articles in `content/` from the ingest, made now or before
    review: list[str] = field(default_factory=list)  # articles to review (content-relative paths)
    rebuilt: int = 0  # editions ingested by this run
    editions: int = 0
    read: frozenset[str] = frozenset()  # the pages of those editions


class IngestError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def read_entries(seeds: Path) -> tuple[list[EditionEntry], list[Problem]]:
    """Every page listed in `editions.yaml` or lying beside it (unlisted: no date, a warning)."""
    label = str(seeds / "editions.yaml")
    entries, entry_lines, problems = read_manifest(seeds / "editions.yaml", label)
    if not seeds.is_dir():
        return [], [Problem(str(seeds), 1, "seeds folder not found")]
    listed = {e.file for e in entries}
    found = sorted(p.name for p in seeds.glob("*.txt") if p.is_file())
    for entry, line in zip(entries, entry_lines, strict=True):
        if not (seeds / entry.file).is_file():
            problems.append(Problem(label, line, f"file '{entry.file}' not found in {seeds}"))
    pages = [e for e in entries if (seeds / e.file).is_file()] + [EditionEntry(n, None) for n in found if n not in listed]
    for entry in pages:
        if entry.date is None:
            problems.append(Problem(str(seeds / entry.file), 1, "not in editions.yaml or without a date: "
                                    "edition date unknown, filed under 1900-01-01", "warning"))
    return pages, problems


def read_pages(seeds: Path) -> tuple[list[RawPage], list[Problem]]:
    """Every page, decoded; all problems at once."""
    entries, problems = read_entries(seeds)
    pages: list[RawPage] = []
    for entry in entries:
        path = seeds / entry.file
        lines, encoding, decode_problems = decode_page(path.read_bytes(), str(path))
        problems += decode_problems
        if lines:
            pages.append(RawPage(entry.file, lines, entry.date, entry.date_source, entry.page, entry.page_name, encoding))
    return pages, problems


def _editions(inputs: Iterable[PageInput]) -> dict[str, list[PageInput]]:
    """Pages grouped by edition date (in date order; undated pages together)."""
    groups: dict[str, list[PageInput]] = {}
    for item in inputs:
        groups.setdefault(str(item.entry.date or UNKNOWN_DATE), []).append(item)
    return dict(sorted(groups.items()))


def _run(works: list[tuple[PageInput, ...]], jobs: int | None, render: bool,
         progress: Progress | None) -> Iterator[EditionOutput]:
    """`build_edition` over the editions, on `jobs` processes (every core by default), in order."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(works)))
    if jobs == 1:
        outputs: Iterable[EditionOutput] = (build_edition(w, render) for w in works)
        for n, output in enumerate(outputs, 1):
            if progress:
                progress("ingest", n, len(works))
            yield output
        return
    with ProcessPoolExecutor(jobs, initializer=_exit_with, initargs=(os.getpid(),)) as pool:
        chunk = max(1, min(16, len(works) // (4 * jobs)))
        for n, output in enumerate(pool.map(build_edition, works, [render] * len(works), chunksize=chunk), 1):
            if progress:
                progress("ingest", n, len(works))
            yield output


def _exit_with(parent: int) -> None:
    """In a worker: end when the ingest that started it is gone (killed, it cannot say so)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def ingest_pages(pages: list[RawPage], progress: Progress | None = None, jobs: int | None = 1) -> IngestResult:
    """Decoded pages → articles (de-duplicated, with ids) and a report per page, in memory."""
    inputs = [PageInput(EditionEntry(p.file, p.date, p.date_source, p.page, p.page_name), p.file, page=p) for p in pages]
    outputs = list(_run(list(map(tuple, _editions(inputs).values())), jobs, False, progress))
    reports = {r.file: r for o in outputs for r in o.reports}
    articles = sorted((a for o in outputs for a in o.articles), key=lambda a: (a.date, a.source.file, a.source.lines))
    ordered = [reports[p.file] for p in pages if p.file in reports]
    problems = [w for r in ordered for w in r.warnings]
    return IngestResult(articles, ordered, problems, total=len(articles))


def content_files(result: IngestResult) -> dict[str, bytes]:
    """Relative path → bytes of every file the ingest owns in `content/`."""
    from site_builder.ingest.edition import remainder_files

    files = {f"{a.date:%Y/%m/%d}/{a.id}.md": render(a) for a in result.articles}
    files.update(remainder_files(result.pages))
    return files


def code_version() -> str:
    """The ingest's own code and the contract it writes: a change means every page again."""
    digest = hashlib.sha256()
    for path in [*sorted(PACKAGE.glob("*.py")), PACKAGE.parent / "frontmatter.py", PACKAGE.parent / "models.py"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


def ingest(seeds: Path, content: Path, progress: Progress | None = None, jobs: int | None = None) -> IngestResult:
    """Read, ingest what changed and write. Errors in the input stop the run before anything
    is written."""
    entries, problems = read_entries(seeds)
    if any(p.severity == "error" for p in problems):
        # Every problem in one run: the pages' own too.
        problems += [p for e in entries for p in decode_page((seeds / e.file).read_bytes(), str(seeds / e.file))[2]]
        raise IngestError(problems)
    state, warnings = load(content / CACHE, code_version())
    problems += warnings
    stats = {e.file: _page_stat(seeds, e, state) for e in entries}
    inputs = [PageInput(e, str(seeds / e.file), data=stats[e.file][1], digest=stats[e.file][0].digest) for e in entries]
    groups = _editions(inputs)
    keys = {date: _key(state.code, group) for date, group in groups.items()}
    reused = {d for d, g in groups.items() if _unchanged(content, state, d, keys[d])}
    works = [tuple(_with_data(seeds, i, state) for i in g) for d, g in groups.items() if d not in reused]
    outputs = dict(zip([d for d in groups if d not in reused], _run(works, jobs, True, progress), strict=True))
    problems += [p for o in outputs.values() for p in o.problems]
    if any(p.severity == "error" for p in problems):
        raise IngestError(problems)
    changes = Changes()
    changes.pages = {f: (stat, None) for f, (stat, _) in stats.items() if state.pages.get(f) != stat}
    planned: dict[str, bytes | Kept] = {}
    rows: dict[str, EditionRow] = {}
    for date in groups:
        if date in reused:
            row = state.editions[date]
            planned.update({rel: Kept(digest) for rel, digest in row.files.items()})
        else:
            output = outputs[date]
            planned.update(output.files)
            row = EditionRow(keys[date], dict(output.digests),
                             output.reports, output.doubts, len(output.articles), output.problems)
            changes.editions[date] = row
            changes.pages.update({f: (stats[f][0], result) for f, result in output.stored})
        rows[date] = row
    written = write_content(content, planned, state.files)
    changes.files = {rel: s for rel, s in written.stats.items() if state.files.get(rel) != s}
    changes.gone_files = set(state.files) - set(written.stats)
    changes.gone_pages = set(state.pages) - set(stats)
    changes.gone_editions = set(state.editions) - set(groups)
    save(state, changes)
    # The review list is made again only when an edition or a file changed (or it is gone).
    if outputs or written.written or written.removed or not (content / REVIEW).is_file():
        review = write_review(content, seeds, rows, outputs, written)
    else:
        review = [rel for row in rows.values() for rel, _ in row.doubts]
    reports = {r.file: r for row in rows.values() for r in row.reports}
    pages = [reports[e.file] for e in entries if e.file in reports]
    problems += [p for d in reused for p in state.editions[d].problems]
    problems += [w for r in pages for w in r.warnings]
    return IngestResult([a for o in outputs.values() for a in o.articles], pages, problems, written,
                        sum(r.articles for r in rows.values()), review, len(outputs), len(groups),
                        frozenset(r.file for o in outputs.values() for r in o.reports))


def _page_stat(seeds: Path, entry: EditionEntry, state: State) -> tuple[PageStat, bytes | None]:
    """A page's size, time and digest: the digest from the state when its size and time are
    those recorded, else from its bytes (which are then at hand)."""
    path = seeds / entry.file
    st = path.stat()
    stored = state.pages.get(entry.file)
    if stored is not None and (stored.path, stored.size, stored.mtime_ns) == (str(path), st.st_size, st.st_mtime_ns):
        return stored, None
    data = path.read_bytes()
    return PageStat(str(path), st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest()), data


def _key(code: str, group: list[PageInput]) -> str:
    digest = hashlib.sha256(code.encode())
    for item in sorted(group, key=lambda i: i.entry.file):
        e = item.entry
        digest.update(f"{e.file}|{item.digest}|{e.date}|{e.date_source}|{e.page}|{e.page_name}\n".encode())
    return digest.hexdigest()


def _unchanged(content: Path, state: State, date: str, key: str) -> bool:
    """An edition whose pages and code are those of the last run, and whose files are as that
    run left them, needs nothing done."""
    row = state.editions.get(date)
    if row is None or row.key != key:
        return False
    for rel in row.files:
        seen = state.files.get(rel)
        try:
            st = (content / rel).stat()
        except OSError:
            return False
        if seen is None or (seen.size, seen.mtime_ns) != (st.st_size, st.st_mtime_ns):
            return False
    return True


def _with_data(seeds: Path, item: PageInput, state: State) -> PageInput:
    """A page of an edition to ingest: its bytes, and its stored result when it is unchanged."""
    data = item.data if item.data is not None else (seeds / item.entry.file).read_bytes()
    stored = state.pages.get(item.entry.file)
    result = state.result(item.entry.file) if stored is not None and stored.digest == item.digest else None
    return PageInput(item.entry, item.path, data=data, stored=result, digest=item.digest)
