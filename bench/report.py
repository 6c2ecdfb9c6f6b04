"""bench/results.md: the machine, the versions, one table per archive size, the targets."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote

from bench.browser import FirstQuery
from bench.ingest_speed import IngestSpeed
from bench.measure import Run
from bench.scenarios import REPO, Row, SizeResult, hugo_binary
from bench.search_index import IndexTimes

MIB = 1 << 20
GIB_LIMIT = 1024 * MIB  # "peak memory ≤ 1 GB" of the build with search
RENDER_LIMIT = 256 * MIB  # "peak RSS ≤ 256 MB for the render" at 100,000


@dataclass(frozen=True)
class Target:
    text: str
    met: bool | None  # None: could not be checked (no Hugo, scenario not run)


def environment() -> list[str]:
    cpu = _first(Path("/proc/cpuinfo"), "model name") or platform.processor() or "?"
    ram = _first(Path("/proc/meminfo"), "MemTotal") or "?"
    return [
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {cpu}, {os.cpu_count()} cores, {ram} RAM, {platform.system()} {platform.release()}",
        f"- load average at the start: {_load()}",
        f"- versions: Python {platform.python_version()}, Hugo {_hugo_version()}, Pagefind {_pagefind_version()}, "
        f"Jinja2 {metadata.version('Jinja2')}, markdown-it-py {metadata.version('markdown-it-py')}, "
        f"our commit {_commit()}",
    ]


def table(result: SizeResult) -> list[str]:
    hugo = result.rows.get("hugo")
    lines = [
        "| scenario | runs | wall median (min–max) | files written | files changed | peak RSS, tree (largest process) "
        "| × Hugo full build |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result.rows.values():
        secs = [r.seconds for r in row.runs]
        ratio = f"{row.seconds / hugo.seconds:.2f}" if hugo else "–"
        tree = max(r.tree_rss for r in row.runs)
        largest = max(r.max_rss for r in row.runs)
        lines.append(f"| {row.label} | {len(secs)} | {row.seconds:.2f} s ({min(secs):.2f}–{max(secs):.2f}) | {_written(row)} "
                     f"| {_changed(row)} | {tree / MIB:.0f} MiB ({largest / MIB:.0f} MiB) | {ratio} |")
    return lines


def targets(result: SizeResult) -> list[Target]:
    r = result.rows
    hugo, hugo_pf = r.get("hugo"), r.get("hugo+pagefind")
    found: list[Target] = []

    def ratio(key: str, ref: Row | None, limit: float, text: str) -> None:
        row = r.get(key)
        if row is None or ref is None:
            found.append(Target(f"{text}: not measured", None))
        else:
            value = row.seconds / ref.seconds
            found.append(Target(f"{text}: {value:.2f}× ({row.seconds:.2f} s vs {ref.seconds:.2f} s)", value <= limit))

    ratio("render", hugo, 1.0, "full render faster than Hugo (≤ 1×)")
    ratio("search", hugo_pf, 0.5, "full build with search ≤ 0.5× (Hugo + Pagefind)")
    if "search" in r:
        peak = max(x.tree_rss for x in r["search"].runs)
        found.append(Target(f"build with search, peak memory ≤ 1 GiB: {peak / MIB:.0f} MiB (process tree)",
                            peak <= GIB_LIMIT))
    ratio("noop", hugo, 0.05, "no-op rebuild ≤ 5% of Hugo's full build")
    ratio("edit", hugo, 0.05, "one-article edit ≤ 5% of Hugo's full build")
    if "edit" in r:
        edits = r["edit"].changes
        only = all(c.written == c.changed for c in edits)
        found.append(Target(f"the edit rewrites only the pages that show the article: wrote "
                            f"{_range(c.written for c in edits)} files, {_range(c.changed for c in edits)} changed "
                            f"({', '.join(edits[0].changed_paths[:6])}{' …' if len(edits[0].changed_paths) > 6 else ''})",
                            only))
    # Issue 21: the incremental cost, in seconds, set for 100,000 articles.
    for key, limit, text in (("edit", 1.5, "one-article edit, render only"), ("edition", 2.0, "new edition, render only"),
                             ("noop", 0.5, "no-op"), ("edit+search", 3.0, "one-article edit, with search"),
                             ("edition+search", 5.0, "new edition, with search")):
        if key in r:
            found.append(Target(f"{text} ≤ {limit} s (set for 100,000): {r[key].seconds:.2f} s",
                                r[key].seconds <= limit))
    if "render" in r:
        peak = max(x.max_rss for x in r["render"].runs)
        found.append(Target(f"render peak RSS ≤ 256 MiB (set for 100,000): {peak / MIB:.0f} MiB", peak <= RENDER_LIMIT))
    return found


def growth(results: Sequence[SizeResult], base: int, limit: float = 1.5) -> list[Target]:
    """Issue 21: a one-article edit at each size above `base` (`make bench`: 10,000, the
    largest size measured in full) costs at most `limit` × the edit at `base`."""
    by_size = {r.n: r.rows for r in results}
    found = []
    for n, rows in sorted(by_size.items()):
        if n > base and "edit" in rows and "edit" in by_size.get(base, {}):
            ours, theirs = rows["edit"].seconds, by_size[base]["edit"].seconds
            found.append(Target(f"one-article edit at {n:,} ≤ {limit}× the edit at {base:,}: {ours / theirs:.2f}× "
                                f"({ours:.2f} s vs {theirs:.2f} s)", ours / theirs <= limit))
    return found


def search_table(result: SizeResult, index: IndexTimes | None, queries: Sequence[FirstQuery],
                 skipped: str | None) -> list[str]:
    """Our index: its build time, its files, and queries from file:// in Chromium."""
    if result.search_site is None:
        return []
    root = result.search_site / "search"
    groups = sorted(p.name for p in (root / "g").iterdir()) if (root / "g").is_dir() else []
    posted, docs = _size(root / "g"), _size(root / "d")
    catalog = (root / "catalog.js").stat().st_size if (root / "catalog.js").is_file() else 0
    ours, render = result.rows.get("search"), result.rows.get("render")
    in_build = f"{ours.seconds - render.seconds:.2f} s" if ours and render else "– (the index was built alone)"
    pf, hugo = result.rows.get("hugo+pagefind"), result.rows.get("hugo")
    pagefind_alone = (f"{pf.seconds - hugo.seconds:.2f} s, Pagefind peak RSS "
                      f"{max(x.pagefind_rss for x in pf.runs) / MIB:.0f} MiB" if pf and hugo else "–")
    lines = [
        "| search: our index (query from `file://`) | value |", "| --- | --- |",
        f"| index build time in our build (full build with search − render only, medians) | {in_build} |",
    ]
    if index is not None:
        lines.append(f"| index alone (`bench.search_index`, CPU s over all cores): plain text / terms and docs' "
                     f"files / units' postings (largest unit) / groups' files (largest group) | {index.text:.1f} / "
                     f"{index.terms:.1f} / {index.unit_files:.1f} ({index.unit_max:.2f}) / {index.group_files:.1f} "
                     f"({index.group_max:.2f}) s; {index.wall:.1f} s wall; {index.units} units |")
    lines += [
        f"| index on disk: groups | {posted[1] / MIB:.1f} MiB in {posted[0]:,} files, {len(groups)} groups "
        f"({_names(groups)}); catalog {catalog / 1024:.1f} KiB |",
        f"| index on disk: the docs' own files | {docs[1] / MIB:.1f} MiB in {docs[0]:,} files |",
        f"| Pagefind alone over Hugo's output (median) | {pagefind_alone} |",
        "", "| query (filters) | first results (runs) | read until then | results shown, status |",
        "| --- | ---: | ---: | --- |",
    ]
    if not queries:
        lines.append(f"| (skipped: {skipped}) | – | – | – |")
    for q in queries:
        lines.append(f"| {q.query}{f' ({unquote(q.filters)})' if q.filters else ''} | {q.median:.2f} s "
                     f"({', '.join(f'{s:.2f}' for s in q.seconds)}) | {q.bytes / 1024:.0f} KiB in {q.requests} files "
                     f"| {q.results}: {q.status} |")
    return lines


def _size(folder: Path) -> tuple[int, int]:
    """(files, bytes) under `folder`."""
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    return len(sizes), sum(sizes)


def _names(units: list[str]) -> str:
    return ", ".join(units) if len(units) <= 8 else f"{', '.join(units[:3])} … {', '.join(units[-3:])}"


def ingest_lines(speed: IngestSpeed) -> list[str]:
    def cell(runs: tuple[Run, ...]) -> str:
        secs = [r.seconds for r in runs]
        return f"{statistics.median(secs):.2f} s ({min(secs):.2f}–{max(secs):.2f}) | **{speed.rate(runs):.1f} pages/s**"

    rows = [("fresh, every core", speed.runs), ("fresh, one core (`--jobs 1`)", speed.serial),
            ("again, nothing changed", speed.rerun), ("again, one page changed", speed.one_changed)]
    return [
        f"`python build.py ingest` of {speed.pages} raw pages ({speed.chars:,} characters; copies of the seed pages "
        f"with shifted digits), peak RSS {max(r.max_rss for r in speed.runs) / MIB:.0f} MiB:",
        "",
        "| ingest | time (median, min–max) | pages/s |",
        "| --- | ---: | ---: |",
        *(f"| {label} | {cell(runs)} |" for label, runs in rows if runs),
    ]


def _written(row: Row) -> str:
    return _range(c.written for c in row.changes) if row.changes else f"{row.files:,}"


def _changed(row: Row) -> str:
    return _range(c.changed for c in row.changes) if row.changes else "–"


def _range(values: Iterable[int]) -> str:
    v = list(values)
    return f"{min(v):,}" if min(v) == max(v) else f"{min(v):,}–{max(v):,}"


def _first(path: Path, key: str) -> str | None:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key):
                value = line.split(":", 1)[1].strip()
                return f"{int(value.split()[0]) / 1024 / 1024:.1f} GiB" if key == "MemTotal" else value
    except OSError:
        pass
    return None


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _run(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=REPO).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def _hugo_version() -> str:
    binary = hugo_binary()
    words = _run([str(binary), "version"]).split() if binary else []
    return words[1].split("-")[0] if len(words) > 1 else "not installed"


def _pagefind_version() -> str:
    """Pagefind's version: it comes with the `bench` extra, as the reference Hugo is indexed with."""
    return _run([sys.executable, "-m", "pagefind", "--version"]).split()[-1].replace("?", "not installed")


def _commit() -> str:
    head = _run(["git", "rev-parse", "--short", "HEAD"])
    dirty = _run(["git", "status", "--porcelain", "--untracked-files=no"])
    return head + (" + uncommitted changes" if dirty else "")
