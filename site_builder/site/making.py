"""Making the planned scopes into a staging folder, recording them, and swapping it in.

The staging folder starts as the live site (`output.Staging`), each planned scope writes its
changed files into it (`plan.make_scope`, on every core when there are many), the state's
site tables take what this build made, in one transaction committed just before the
atomic swap. The site the swap replaces is kept as the spare: with the changes recorded
here, the next build brings it up to date with a link per changed file.
"""

from __future__ import annotations

import itertools
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from site_builder.config import SiteConfig
from site_builder.models import Problem
from site_builder.site.folders import record_folders, record_spare_folders
from site_builder.site.forked import default_jobs
from site_builder.site.output import Staging, parent_folders, spare_dir, static_files
from site_builder.site.paths import fold
from site_builder.site.plan import BuildError, ScopeResult, make_scope
from site_builder.site.plan import Staging as Target
from site_builder.site.produce import Context
from site_builder.site.render import fingerprints, make_environment
from site_builder.site.scopes import every_scope
from site_builder.site.spare import SpareCopy, place_spare, start_spare
from site_builder.site.state import State, cache_dir, folder_identity, reader
from site_builder.site.swap import flushing
from site_builder.site.themes import template_dirs
from site_builder.site.view import ArchiveView
from site_builder.site.workers import make_all

Progress = Callable[[str, int, int], None]
SEARCH_PARTS = "search-parts"  # (in the cache folder: see search.outputs)
# Above this share of the site's files changed by a build (1/8), it makes the spare anew: at
# 100,000 articles replaying a change on the spare costs ~7× linking a file into a new one
# (100,009 changes replayed in ~12 s; 477,637 files linked in 8.0 s).
REWRITTEN_SHARE = 8


@dataclass
class Made:
    written: Counter[str] = field(default_factory=Counter)
    unchanged: int = 0
    removed: int = 0
    articles: int = 0
    editions: int = 0
    files: int | None = None  # the site's files after the build (None: not known without a count)


def make_site(state: State, content_dir: Path, out_dir: Path, themes: list[Path], config: SiteConfig, *,
              everything: bool, trusted: bool, inputs: str, jobs: int | None, report: Progress,
              search: bool = True, altered: bool = False) -> Made:
    prefix = "" if str(content_dir) == "." else f"{content_dir}/"
    env = environment(state, out_dir, themes, content_dir, config)
    statics = static_files([t / "static" for t in themes])
    view = ArchiveView(state.db, prefix)
    names = every_scope(view) if everything else sorted(state.pending())
    staging = Staging(out_dir)
    again: dict[str, set[str]] = {}
    missing: list[str] | None = []
    if not trusted:
        staging.empty()
    else:
        spare = state.get("spare")
        if spare is not None and spare == folder_identity(spare_dir(out_dir)):
            missing = staging.from_spare(state.db.execute("SELECT path, removed FROM changes ORDER BY path").fetchall())
        else:
            missing = None
        if missing is None:
            missing = staging.from_live(p for (p,) in state.db.execute("SELECT path FROM outputs ORDER BY path"))
        for path in missing:  # gone from the live site: made again
            row = state.db.execute("SELECT scope FROM outputs WHERE path = ?", (path,)).fetchone()
            again.setdefault(row[0], set()).add(path)
        names = sorted(set(names) | set(again))
    target = Target(staging.root, out_dir)

    def maker() -> Callable[[str], ScopeResult]:
        # In a worker: its own connection (a connection never crosses a fork).
        db = reader(state.path) if _forked(state) else state.db
        ctx = Context(ArchiveView(db, prefix), env, config, statics, search, out_dir if trusted else None,
                      cache_dir(out_dir) / SEARCH_PARTS)

        def make(name: str) -> ScopeResult:
            previous = {p: (k, s) for p, k, s in db.execute(
                "SELECT path, key, sha256 FROM outputs WHERE scope = ?", (name,))}
            return make_scope(name, ctx, previous, target, again.get(name, ()))

        return make

    made = Made()
    respare = copied = False  # the spare is to be made anew (below); a copy of the site was made for it
    # A build into an empty folder writes every file of the site: each is linked into the
    # spare's copy as its scope is recorded, while the workers render the next ones.
    early = None if trusted else SpareCopy(staging.root, out_dir)
    try:
        results = make_all(names, maker, jobs or default_jobs(), lambda n: report("render", n, len(names)))
        first = next(results, None)  # (the workers are forked before the state is written)
        with state.transaction(), ThreadPoolExecutor(1) as background:
            # (Started once the workers are forked.) What a full build read goes from the
            # state's log into its file (see `pipeline`), and the site to disk, as it renders.
            copied_in = background.submit(state.checkpoint) if everything else None
            with flushing(staging.root):
                _record(state, _linked(itertools.chain([first] if first else [], results), early), staging, made,
                        set(names) if everything else None)
            if copied_in is not None:
                copied_in.result()
            made.editions, made.articles = int(state.get("editions") or 0), int(state.get("articles") or 0)
            files = made.files if made.files is not None else state.db.execute("SELECT count(*) FROM outputs").fetchone()[0]
            made.unchanged = files - sum(made.written.values())
            state.put("files", str(files))
            state.db.execute("DELETE FROM pending")
            state.put("spare", state.get("live") if trusted else None)
            state.put("previous", state.get("live") if trusted else None)
            state.put("live", folder_identity(staging.root))
            state.put("inputs", inputs)
            state.put("templates", json.dumps(fingerprints(env).memo(), ensure_ascii=False, sort_keys=True))
            # The spare is made a copy of the new site, a link per file, after a build
            # - that replaced no site (there is no spare);
            # - that replaced a site altered by hand (it is the spare now, and the next build's
            #   changes would not bring back what it lost);
            # - that rewrote much of the site (a new theme): rather than the next build, an
            #   editor's one-article fix, replaying every change on the spare, a rename and a
            #   link each.
            # The links are made (for a build into an empty folder: were made, as it wrote)
            # while the new site is flushed to disk (one waits for the disk, the other for
            # the file system's tables), before the state says it is the site: the commit and
            # the swap follow.
            written = sum(made.written.values())
            respare = not trusted or altered or REWRITTEN_SHARE * (written + made.removed) > written + made.unchanged
            if respare and early is None:
                paths = (p for (p,) in state.db.execute("SELECT path FROM outputs ORDER BY path"))
                copied = bool(staging.sync(lambda: start_spare(staging.root, out_dir, paths)))
            else:
                staging.sync()
                copied = early is not None and early.done()
        staging.swap_into_place()
    except BaseException:
        staging.discard()
        if early is not None:
            early.discard()
        raise
    record_folders(state, out_dir, staging.touched)
    if respare:
        if copied:
            place_spare(out_dir)
            record_spare_folders(state, out_dir)
        with state.transaction():  # (no change to replay: the spare is the live site)
            state.put("spare", folder_identity(spare_dir(out_dir)) if copied else None)
            state.db.execute("DELETE FROM changes")
    return made


def _linked(results: Iterable[ScopeResult], copy: SpareCopy | None) -> Iterator[ScopeResult]:
    """The results, each one's files linked into `copy` once it is recorded (when there is one)."""
    for result in results:
        yield result
        if copy is not None:
            copy.add(row.path for row in result.rows if row.made)


def environment(state: State, out_dir: Path, themes: list[Path], content_dir: Path,
                config: SiteConfig) -> jinja2.Environment:
    """The Jinja environment, with the compiled templates and what the last build found of
    each template (`render.TemplateFingerprints`) taken from the cache folder and the state."""
    try:
        known = json.loads(state.get("templates") or "{}")
    except ValueError:
        known = {}
    return make_environment(template_dirs(themes, content_dir), site=config, cache=cache_dir(out_dir) / "templates",
                            known=known if isinstance(known, dict) else {})


def _label(scope: str) -> str:
    """A scope as a message names it: `author 邹倜然`, `edition 2023-10-31`."""
    return " ".join(scope.split("\t"))


def _forked(state: State) -> bool:
    return state.pid != os.getpid()


def _record(state: State, results: Iterable[ScopeResult], staging: Staging, made: Made,
            every: set[str] | None) -> None:
    """This build's outputs into the state; what it removed out of the staging folder and
    the state; what it wrote and removed as the changes the next build replays on the spare.
    `every`: all the site's scopes (a full plan): the outputs of any other scope go."""
    db = state.db
    db.execute("DELETE FROM changes")
    problems: list[Problem] = []
    claimed: dict[str, tuple[str, str]] = {}  # folded path → (path, scope)
    removed: list[str] = []
    folders: set[str] = set()
    # A state with no outputs (a first or full build): no row to look up, no change to keep
    # (the next build starts from the live site: there is no spare).
    fresh = db.execute("SELECT 1 FROM outputs LIMIT 1").fetchone() is None
    known = state.get("files")
    files = 0 if fresh else int(known) if known is not None else None  # (kept up to date below)
    for result in results:
        problems += result.problems
        mine = {} if fresh else {p: (s, k, key, sha) for p, s, k, key, sha in db.execute(
            "SELECT path, scope, kind, key, sha256 FROM outputs WHERE scope = ?", (result.name,))}
        rows, changed = [], []
        for row in result.rows:
            found = mine.get(row.path)
            if found is None and not fresh:
                found = db.execute("SELECT scope, kind, key, sha256 FROM outputs WHERE path = ?", (row.path,)).fetchone()
            other = claimed.get(fold(row.path))
            if other is None and found is not None and found[0] != result.name and every is None:
                other = (row.path, found[0])  # (a scope not planned now: it still makes this file)
            if other is not None:
                same = "" if other[0] == row.path else f" as {other[0]} on some systems"
                problems.append(Problem(row.path, 1, f"two outputs would be written here{same}: one by "
                                                     f"{_label(other[1])}, one by {_label(result.name)}"))
                continue
            claimed[fold(row.path)] = (row.path, result.name)
            if found is None or found[1:] != (row.kind, row.key, row.sha256) or found[0] != result.name:
                rows.append((row.path, result.name, row.kind, row.key, row.sha256))
                if found is None and files is not None:
                    files += 1
            if row.made:
                staging.wrote_in(os.path.dirname(row.path))
            if row.written:
                made.written[row.kind] += 1
                if not fresh:
                    changed.append((row.path, *(found or (None,) * 4)))
                folder = os.path.dirname(row.path)
                if folder not in folders:
                    folders.update(parent_folders(folder))
        db.executemany("INSERT OR REPLACE INTO outputs(path, scope, kind, key, sha256) VALUES (?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT OR IGNORE INTO changes(path, removed, old_scope, old_kind, old_key, old_sha256) "
                       "VALUES (?, 0, ?, ?, ?, ?)", changed)
        removed += result.removed
    if every is not None:
        removed += [p for p, s in db.execute("SELECT path, scope FROM outputs") if s not in every]
    if problems:
        raise BuildError(problems)
    kept = {path for path, _ in claimed.values()}
    gone = sorted({p for p in removed if p not in kept})
    for path in gone:
        found = db.execute("SELECT scope, kind, key, sha256 FROM outputs WHERE path = ?", (path,)).fetchone()
        db.execute("DELETE FROM outputs WHERE path = ?", (path,))
        if found is not None and files is not None:
            files -= 1
        db.execute("INSERT OR REPLACE INTO changes(path, removed, old_scope, old_kind, old_key, old_sha256) "
                   "VALUES (?, 1, ?, ?, ?, ?)", (path, *(found or (None,) * 4)))
    staging.remove(gone)
    made.removed = len(gone)
    made.files = files
    db.executemany("INSERT OR IGNORE INTO dirs(path) VALUES (?)", ((f,) for f in folders | {""}))
