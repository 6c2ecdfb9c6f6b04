"""The search index of an archive alone, timed stage by stage: what search costs a build.

    python -m bench.search_index --content bench/cache/n100000-seed1-v2/content --out /tmp/s100k

Writes `search/` (the page, the catalog, the units, the docs' files) and `static/` into
`--out` (enough for the search page: `bench.browser` measures it there), on every core:

- text: each body's plain text (`bodytext.plain_text`: a Markdown parse, which the build's
  render of the article page does anyway);
- terms: each doc's record (`docs.doc_terms`) and own file (`docs.doc_file`), written;
- units: each unit's part of its group's files from its docs' cards and records
  (`postings.unit_index`): what an edit costs is one unit's share of this;
- groups: each group's files from its units' parts (`postings.group_files`), written.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from site_builder.models import Article
from site_builder.search.catalog import catalog_file
from site_builder.search.docs import SearchDoc, day_order, doc_file, doc_path, doc_terms
from site_builder.search.index import in_unit, search_doc
from site_builder.search.page import page_output
from site_builder.search.postings import UnitIndex, group_files, shard_count, unit_index
from site_builder.search.units import Group, Unit, plan_groups, plan_units
from site_builder.site.content import read_content
from site_builder.site.forked import default_jobs
from site_builder.site.output import static_files
from site_builder.site.render import make_environment
from site_builder.site.scan import scan_content
from site_builder.site.state import State
from site_builder.site.themes import THEMES_ROOT, template_dirs, theme_dirs
from site_builder.site.view import ArchiveView


@dataclass(frozen=True)
class IndexTimes:
    docs: int
    units: int
    read: float  # front-matter of every article (the build's read stage)
    text: float  # CPU seconds, all workers: plain text of every body
    terms: float  # CPU seconds: records and doc files
    unit_files: float  # CPU seconds: every unit's part
    unit_max: float  # the largest unit's part (an edit's cost)
    group_files: float  # CPU seconds: every group's files, written
    group_max: float  # the largest group's
    wall: float  # text + terms + units + groups, on every core
    files: int
    bytes: int
    doc_files: int
    doc_bytes: int


def _write(out: Path, path: str, data: bytes) -> None:
    target = out / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _docs_of(job: tuple[Path, Sequence[Article]]) -> tuple[list[tuple[SearchDoc, bytes]], float, float]:
    """Cards and records of a day's articles, their files written; (text, terms) CPU seconds."""
    out, articles = job
    started = time.process_time()
    docs = day_order(search_doc(a) for a in articles)
    texted = time.process_time()
    entries = []
    for rank, doc in enumerate(docs):
        _write(out, doc_path(doc.date, rank), doc_file(doc))
        entries.append((replace(doc, text=""), doc_terms(doc)))
    return entries, texted - started, time.process_time() - texted


def _unit_of(job: tuple[Unit, list[tuple[SearchDoc, bytes]], int]) -> tuple[UnitIndex, float]:
    unit, entries, shards = job
    started = time.process_time()
    return unit_index(unit, entries, shards), time.process_time() - started


def _group_of(job: tuple[Path, Group, list[UnitIndex], int]) -> tuple[float, int, int]:
    out, group, parts, shards = job
    started = time.process_time()
    files = group_files(group, parts, shards)
    for path, data in files.items():
        _write(out, path, data)
    return time.process_time() - started, len(files), sum(map(len, files.values()))


def build_index(content: Path, out: Path, jobs: int | None = None, theme: str = "default") -> IndexTimes:
    started = time.perf_counter()
    articles, _ = read_content(content)
    read = time.perf_counter() - started
    by_day: dict[object, list[Article]] = defaultdict(list)
    for article in articles:
        by_day[article.date].append(article)
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(jobs or default_jobs()) as pool:
        made = pool.map(_docs_of, [(out, day) for day in by_day.values()], chunksize=16)
        entries = [e for found, _, _ in made for e in found]
        counts = Counter((a.date.year, a.date.month) for a in articles)
        groups = plan_groups(plan_units(counts), counts)
        shards = shard_count(len(articles))
        units = [u for g in groups for u in g.units]
        unit_jobs = [(u, [e for e in entries if in_unit(u, e[0])], shards) for u in units]
        parts = dict(zip(units, pool.map(_unit_of, unit_jobs, chunksize=1), strict=True))
        done = pool.map(_group_of, [(out, g, [parts[u][0] for u in g.units], shards) for g in groups], chunksize=1)
    wall = time.perf_counter() - started
    path, data = catalog_file(groups, Counter(a.date for a in articles), shards)
    _write(out, path, data)
    themes = theme_dirs(theme, THEMES_ROOT)
    env = make_environment(template_dirs(themes, content))
    with State.create(out / ".state") as state:  # (the page's counts: a build's state of the content)
        with state.transaction():
            scan_content(content, state, jobs=jobs or default_jobs())
        page = page_output(env, ArchiveView(state.db, "" if str(content) == "." else f"{content}/"))
        _write(out, page.path, str(page.render()).encode("utf-8"))
    shutil.rmtree(out / ".state")
    for rel, src in static_files([t / "static" for t in themes]).items():
        _write(out, rel, src.read_bytes())
    doc_bytes = sum(entry.stat().st_size for entry in (out / "search" / "d").rglob("*.js"))
    return IndexTimes(
        docs=len(articles), units=len(units), read=read, text=sum(t for _, t, _ in made),
        terms=sum(t for _, _, t in made), unit_files=sum(t for _, t in parts.values()),
        unit_max=max((t for _, t in parts.values()), default=0.0), group_files=sum(t for t, _, _ in done),
        group_max=max((t for t, _, _ in done), default=0.0), wall=wall,
        files=sum(n for _, n, _ in done) + 1, bytes=sum(b for _, _, b in done) + len(data),
        doc_files=len(entries), doc_bytes=doc_bytes,
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.search_index", description=__doc__.splitlines()[0] if __doc__ else "")
    p.add_argument("--content", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--jobs", type=int, default=None)
    args = p.parse_args(argv)
    times = build_index(args.content, args.out, args.jobs)
    print(json.dumps(times.__dict__, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

