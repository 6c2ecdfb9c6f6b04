"""The whole build, top to bottom: read → structure → plan → render → swap.

>>> report = build_site(Path("content"), Path("public"))  # doctest: +SKIP
>>> report.pages["article"], report.unchanged, report.seconds  # doctest: +SKIP
(1, 11840, 0.41)

Incremental by default. Every output file has a key (what it shows, the code, the templates
it uses); the manifest in the output records each file's key and SHA-256. A build renders
only the outputs whose key changed (or whose file is gone) into a staging folder that starts
as a hard-linked copy of the live site, deletes what the site no longer has, and swaps the
staging folder into place. Each edition's outputs (paths and keys) are planned anew only when
what they are made from changed (`memo`). When no input file changed at all (sizes and mtimes of content,
templates, static files and code), it stops before reading anything. `full=True` ignores
the previous site. The result is byte-identical to a clean build either way (tested).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from types import MappingProxyType
from typing import IO

from site_builder.config import SiteConfig
from site_builder.models import Article, Problem
from site_builder.site.cache import LoadedCache, cache_dir, install_parse_cache, load_parse_cache, write_parse_cache
from site_builder.site.content import read_content
from site_builder.site.fingerprint import site_signature, up_to_date, walk_tree
from site_builder.site.manifest import MANIFEST, FileEntry, Manifest, file_sha256, manifest_text, read_manifest
from site_builder.site.memo import EditionMemo
from site_builder.site.output import Staging, static_files
from site_builder.site.paths import collisions, planned_paths
from site_builder.site.plan import BuildError as BuildError  # (raised by every stage)
from site_builder.site.plan import Plan, plan_outputs, sha256_bytes
from site_builder.site.producers import (
    DISTRIBUTION,
    EDITION_DISTRIBUTION,
    EditionProducer,
    Producer,
    SiteOutputs,
)
from site_builder.site.render import fingerprints, make_environment
from site_builder.site.structure import Archive, build_archive
from site_builder.site.swap import remove_stale_builds
from site_builder.site.themes import THEMES_ROOT, template_dirs, theme_dirs
from site_builder.site.workers import Renderers, default_jobs

__all__ = ["DISTRIBUTION", "EDITION_DISTRIBUTION", "PIECES", "BuildError", "BuildReport", "Known", "build_site"]

Progress = Callable[[str, int, int], None]  # (stage, done, total)
PostRender = Callable[[Path], None]
# Under the cache folder: the pieces big outputs keep between builds (see `pieces`).
PIECES = "pieces"


@dataclass(frozen=True)
class Known:
    """What a caller read before `build_site`: the live site's manifest, the input signature."""

    manifest: Manifest | None
    signature: str


@dataclass(frozen=True)
class BuildReport:
    pages: Mapping[str, int]  # files written per kind: home, edition, article, static …
    articles: int
    editions: int
    unchanged: int  # output files kept from the previous build
    removed: int  # files of the previous build the site no longer has
    warnings: tuple[Problem, ...]
    seconds: float
    noop: bool = False  # no input changed: nothing was read or written

    @property
    def total_pages(self) -> int:
        """Pages (not theme assets) written."""
        return sum(n for kind, n in self.pages.items() if kind != "static")


def build_site(
    content_dir: Path,
    out_dir: Path,
    theme: str = "default",
    *,
    progress: Progress | None = None,
    post_render: PostRender | None = None,
    search: bool = True,
    themes_root: Path = THEMES_ROOT,
    producers: Sequence[Producer] = DISTRIBUTION,
    edition_producers: Sequence[EditionProducer] = EDITION_DISTRIBUTION,
    config: SiteConfig | None = None,
    jobs: int | None = None,
    full: bool = False,
    known: Known | None = None,
) -> BuildReport:
    """Build `content_dir` into `out_dir` with `theme`; raise BuildError on content errors.

    `search`: make the search index (the search page is made either way).
    `post_render(staging_dir)` runs on the finished site before it replaces `out_dir`;
    if it raises, `out_dir` is left as it was. The files
    under its `owns` prefixes (e.g. `pagefind/`) are its own: kept for it, never deleted here.
    `producers` make the site-wide files besides the pages (feeds, sitemap, bulk data),
    `edition_producers` each edition's (e-book, edition JSON, citation files).
    `known`: the live manifest and input signature, when the caller (the command line, for
    its quick no-op check) has read them already under the build lock.
    """
    started = time.perf_counter()
    config, report, jobs = config or SiteConfig(), progress or _quiet, jobs or default_jobs()
    themes = theme_dirs(theme, themes_root)
    if not themes[0].is_dir():
        raise BuildError([Problem(str(themes[0]), 1, f"unknown theme '{theme}'")])
    owned = tuple(getattr(post_render, "owns", ()))
    remove_stale_builds(out_dir)  # folders of killed builds go (or the old site comes back) first
    if known is None:
        known = Known(None if full else read_manifest(out_dir),
                      site_signature(content_dir, theme, themes_root, search, config))
    previous = None if full else known.manifest
    if previous is not None and up_to_date(out_dir, (previous.inputs, previous.files.keys()), known.signature):
        return BuildReport(MappingProxyType({}), 0, 0, len(previous.files), 0, (), _since(started), noop=True)

    articles, warnings, new_cache = _read(content_dir, out_dir, full=full, jobs=jobs, report=report)
    archive = _structure(articles)
    env = make_environment(template_dirs(themes, content_dir), site=config)
    site = SiteOutputs(archive, env, config, static_files([t / "static" for t in themes]),
                       producers, edition_producers, search, live=None if full else out_dir)
    old = previous.files if previous is not None else {}
    with Renderers(site.grouped, jobs) as renderers:
        if previous is None:
            # Every output will be rendered: the workers are forked before the plan exists,
            # so that they never hold it (see `Renderers`); an article has at least a page.
            renderers.fork_now(archive.article_count)
        plan, memo = _plan(site, out_dir, old, owned, incremental=previous is not None)
        stale = sum(1 for p in old if p not in plan.index and p != MANIFEST and not p.startswith(owned))
        staging = Staging(out_dir, recycle=previous is not None)
        try:
            written, same = _render(plan, renderers, staging, old, owned, _stores(out_dir, full), report)
            if post_render is not None:
                post_render(staging.root)
            _swap(staging, plan.entries(_owned_entries(staging.root, owned, out_dir, old)), known.signature)
        except BaseException:
            staging.discard()
            raise
    _keep_state(out_dir, new_cache, memo, plan)
    return BuildReport(MappingProxyType(dict(sorted(written.items()))), len(articles), len(archive.editions),
                       plan.total - plan.written + same, stale, warnings, _since(started))


def _read(content_dir: Path, out_dir: Path, *, full: bool, jobs: int,
          report: Progress) -> tuple[list[Article], tuple[Problem, ...], IO[bytes] | None]:
    """Every article (front-matter; bodies stay on disk), the warnings, and the parse cache
    written again to an unnamed temporary file when it changed (installed once the build
    succeeds; a failed build leaves nothing). Errors in any file raise BuildError."""
    cache = LoadedCache() if full else load_parse_cache(out_dir)
    written_cache: IO[bytes] | None = None
    with cache:
        articles, problems = read_content(content_dir, cache=cache, jobs=jobs)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise BuildError(errors)
        report("read", len(articles), len(articles))
        # Written out now and let go: the articles are all the rest of the build needs of it
        # (at 100,000 articles the cache's own entries hold ~18 MiB, in every forked worker too).
        if not cache.as_read():
            written_cache = tempfile.TemporaryFile("w+b")
            try:
                write_parse_cache(cache, written_cache)
            except BaseException:
                written_cache.close()
                raise
    return articles, tuple(p for p in problems if p.severity == "warning"), written_cache


def _structure(articles: list[Article]) -> Archive:
    """Editions, sheets, provinces and reporters; no path made from content leaves the site
    or is claimed twice (a clash names both sources)."""
    archive = build_archive(articles)
    clashes = collisions(planned_paths(archive))
    if clashes:
        raise BuildError(clashes)
    return archive


def _plan(site: SiteOutputs, out_dir: Path, old: Mapping[str, FileEntry], owned: tuple[str, ...],
          *, incremental: bool) -> tuple[Plan, EditionMemo]:
    """Every output's path and key, editions the memo kept taken from it."""
    base = site.memo_base()
    memo = EditionMemo.open(cache_dir(out_dir), base) if incremental else EditionMemo.empty(base)
    outputs = chain(memo.planned(site.archive.editions, site.edition, old), site.site_wide())
    return plan_outputs(outputs, old, owned, fingerprints(site.env), site.settings), memo


def _render(plan: Plan, renderers: Renderers, staging: Staging, old: Mapping[str, FileEntry],
            owned: tuple[str, ...], stores: Path, report: Progress) -> tuple[Counter[str], int]:
    """Links the files kept into staging, renders the dirty outputs on every core. Returns
    the files written per kind and the count of those made again with the live file's bytes
    (whose live file is kept, its mtime too)."""
    missing = staging.link_from_live_site(plan.kept() + [p for p in old if p.startswith(owned)],
                                          _NewSite(plan.index, owned, old))
    # (The search step's own files are its own to check and make again.)
    plan.render_again(p for p in missing if not p.startswith(owned))
    counts: Counter[str] = Counter()
    same = 0
    for kind, path, digest in renderers.render(plan.dirty, staging.root, lambda n: report("render", n, plan.written),
                                               plan.listed, stores=stores):
        plan.rendered(path, digest)
        before = old.get(path)
        if before is not None and before.sha256 == digest and staging.keep_live(path, digest):
            same += 1
        else:
            counts[kind] += 1
    return counts, same


def _swap(staging: Staging, entries: Mapping[str, FileEntry], signature: str) -> None:
    # The manifest is written last: a site with a manifest is a complete one (`build.py check --out`).
    staging.write(MANIFEST, manifest_text(entries, signature))
    staging.swap_into_place()


def _keep_state(out_dir: Path, new_cache: IO[bytes] | None, memo: EditionMemo, plan: Plan) -> None:
    """After the swap: the parse cache and the plan memo of the site now live."""
    if new_cache is not None:
        with new_cache:
            install_parse_cache(out_dir, new_cache)
    memo.save(cache_dir(out_dir), plan.index, bytes(plan.keys))


def _stores(out_dir: Path, full: bool) -> Path:
    stores = cache_dir(out_dir) / PIECES
    if full:  # nothing kept from earlier builds is used
        shutil.rmtree(stores, ignore_errors=True)
    return stores


class _NewSite:
    """The paths of the site being built: its outputs, the manifest, and the files of the
    post-render step (`owned`), which it keeps or replaces itself."""

    def __init__(self, outputs: Container[str], owned: tuple[str, ...], old: Mapping[str, FileEntry]) -> None:
        self.outputs, self.owned, self.old = outputs, owned, old

    def __contains__(self, path: object) -> bool:
        return path in self.outputs or path == MANIFEST or (
            isinstance(path, str) and path.startswith(self.owned) and path in self.old)


def _quiet(stage: str, done: int, total: int) -> None:
    pass


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def _owned_entries(root: Path, owned: tuple[str, ...], live: Path,
                   old: Mapping[str, FileEntry]) -> dict[str, FileEntry]:
    """Manifest entries for the files the post-render step wrote (search index …). A file
    still the live site's own (the same file: the step kept its link) keeps the SHA-256
    the live manifest records for it; the others are read (at 10,000 articles the search
    index is ~11,000 files, of which an edit changes one unit's)."""
    entries = {}
    for prefix in owned:
        base = root / prefix
        if base.is_file():
            found = [prefix]
        else:
            start = prefix if prefix.endswith("/") else f"{prefix}/"
            found = [rel for rel, entry in walk_tree(str(base), start) if entry.is_file(follow_symlinks=False)]
        for rel in sorted(found):
            before = old.get(rel)
            if before is not None and sha256_bytes(before.sha256) is not None and _same_file(root / rel, live / rel):
                entries[rel] = FileEntry(before.sha256)
            else:
                entries[rel] = FileEntry(file_sha256(root / rel))
    return entries


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
