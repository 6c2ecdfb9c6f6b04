"""The whole build, top to bottom: read → plan → make → swap.

>>> report = build_site(Path("content"), Path("public"))  # doctest: +SKIP
>>> report.pages["article"], report.unchanged, report.seconds  # doctest: +SKIP
(1, 11840, 0.41)

- read: the content folder is compared with the build state (`state`, `scan`): only new
  and changed files are read; the state's content tables are updated and committed.
- plan: the scopes a change can reach (`scopes.affected`), with those a killed build left
  (`pending`); all of them when the code, the templates, the static files or the settings
  changed, or when the state does not describe the live site.
- make: each scope planned and its changed files written (`plan.make_scope`, on every core
  when there are many) into a staging folder that holds the live site already (hard links).
- swap: the state's site tables are committed, then the staging folder replaces the site in
  one atomic exchange; the site it replaces is kept as the spare for the next build.

A build whose content is unchanged stops after the comparison (nothing heavy is imported).
`full=True` ignores the previous site and state. The result is byte-identical to a clean
build either way (tested).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import shutil
import sqlite3
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from site_builder.config import SiteConfig
from site_builder.models import Problem
from site_builder.site.fingerprint import code_fingerprint, input_signature
from site_builder.site.folders import folders_check
from site_builder.site.forked import default_jobs, forked
from site_builder.site.outputs import BuildError
from site_builder.site.scan import Scan, Terms, scan_content
from site_builder.site.state import State, StateError, cache_dir, folder_identity, revert, state_path
from site_builder.site.swap import remove_stale_builds
from site_builder.site.themes import THEMES_ROOT, template_dirs, theme_dirs

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["BuildError", "BuildReport", "build_site"]

Progress = Callable[[str, int, int], None]  # (stage, done, total)



@dataclass(frozen=True)
class BuildReport:
    pages: Mapping[str, int]  # files written per kind: home, edition, article, static …
    articles: int
    editions: int
    unchanged: int  # output files kept from the previous build
    removed: int  # files of the previous build the site no longer has
    warnings: tuple[Problem, ...]
    seconds: float
    noop: bool = False  # nothing changed: nothing was written

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
    themes_root: Path = THEMES_ROOT,
    config: SiteConfig | None = None,
    jobs: int | None = None,
    full: bool = False,
    changed: Collection[Path] | None = None,
    search: bool = True,
) -> BuildReport:
    """Build `content_dir` into `out_dir` with `theme`; raise BuildError on content errors.

    `changed`: the paths that changed since the last build, when the caller knows them
    (`serve`): only their content folders are looked at. `search`: with the search index (the
    search page is made either way).
    """
    started = time.perf_counter()
    config, report = config or SiteConfig(), progress or _quiet
    themes = theme_dirs(theme, themes_root)
    if not themes[0].is_dir():
        raise BuildError([Problem(str(themes[0]), 1, f"unknown theme '{theme}'")])
    remove_stale_builds(out_dir)  # folders of killed builds go (or the old site comes back) first
    try:
        return _build(content_dir, out_dir, themes, config, report, jobs, full, changed, search, started)
    except sqlite3.DatabaseError as exc:  # damage a query ran into: the state is made anew
        report("read", 0, 0)
        warning = Problem(str(state_path(cache_dir(out_dir))), 1, f"damaged build state ({exc}): building in full",
                          "warning")
        again = _build(content_dir, out_dir, themes, config, report, jobs, True, None, search, started)
        return dataclasses.replace(again, warnings=(warning, *again.warnings))


def _build(content_dir: Path, out_dir: Path, themes: list[Path], config: SiteConfig, report: Progress,
           jobs: int | None, full: bool, changed: Collection[Path] | None, search: bool,
           started: float) -> BuildReport:
    state, warnings = _open_state(out_dir, full)
    with state:
        inputs = _inputs(themes, content_dir, config, search)
        live = folder_identity(out_dir)
        if not full and live is not None and live != state.get("live") and live == state.get("previous"):
            revert(state)  # (a build killed between its commit and its swap)
        trusted = not full and state.get("live") is not None and state.get("live") == live
        if not trusted:
            _forget_site(state)
        everything = not trusted or state.get("inputs") != inputs
        # (A file of the live site deleted or added by hand moves its folder's time: the
        # site's folders are stat'ed in a forked process while this one walks the content;
        # a build that makes everything does not ask.)
        check: contextlib.AbstractContextManager[Callable[[], bool]] = (
            contextlib.nullcontext(lambda: False) if everything else forked(folders_check(state, out_dir)))
        # (A build that makes everything copies what it read into the database file while
        # it renders: `making`.)
        deferred = state.checkpoint_deferred() if everything else contextlib.nullcontext()
        with check as site_altered:
            with deferred, state.transaction():
                scan = scan_content(content_dir, state, jobs=jobs or default_jobs(), terms=_terms() if search else None,
                                    folders=_folders(content_dir, changed) if trusted and changed is not None else None)
                before = None if everything else _before(state, scan)
                pending = set() if before is None else _affected(state, scan, before, content_dir, out_dir, themes,
                                                                 config)
                state.add_pending(pending)
                _keep_totals(state, scan, before)
            report("read", len(scan.changes), len(scan.changes))
            errors = [p for p in scan.problems if p.severity == "error"]
            if errors:
                if state.get("live") is None:  # (no site yet: nothing is left beside the output)
                    state.close()
                    shutil.rmtree(cache_dir(out_dir), ignore_errors=True)
                raise BuildError(errors)
            warnings += [p for p in scan.problems if p.severity == "warning"]
            del scan  # (a full read holds every article: let go before the render workers are forked)
            altered = site_altered()
        if not everything and not state.pending() and not altered:
            total = int(state.get("files") or 0)
            return BuildReport(MappingProxyType({}), 0, 0, total, 0, tuple(warnings), _since(started), noop=True)

        from site_builder.site.making import make_site  # (Jinja, Markdown, the formats: only when needed)

        made = make_site(state, content_dir, out_dir, themes, config, everything=everything, trusted=trusted,
                         altered=altered, inputs=inputs, jobs=jobs, report=report, search=search)
    return BuildReport(MappingProxyType(dict(sorted(made.written.items()))), made.articles, made.editions,
                       made.unchanged, made.removed, tuple(warnings), _since(started))


def _open_state(out_dir: Path, full: bool) -> tuple[State, list[Problem]]:
    cache = cache_dir(out_dir)
    if full:
        return State.create(cache), []
    try:
        return State.open(cache), []
    except StateError as exc:
        known = (cache / "state.sqlite").exists() or out_dir.exists()
        warning = [Problem(str(exc).split(": ", 1)[0], 1, f"{str(exc).split(': ', 1)[-1]}: building in full",
                           "warning")] if known else []
        return State.create(cache), warning


def _forget_site(state: State) -> None:
    """The state does not describe the live site (none, another, a killed swap): its site
    tables go; the content it read stays (a cache of the files)."""
    with state.transaction():
        for table in ("outputs", "changes", "pending"):
            state.db.execute(f"DELETE FROM {table}")
        state.put("live", None)
        state.put("spare", None)


def _inputs(themes: list[Path], content_dir: Path, config: SiteConfig, search: bool) -> str:
    """What every page depends on besides the content: code, theme files, settings, search."""
    folders = [*template_dirs(themes, content_dir), *(t / "static" for t in themes)]
    settings = hashlib.sha256(repr(config).encode("utf-8")).hexdigest()[:16]
    return f"{code_fingerprint()}:{input_signature(folders)}:{[str(t) for t in themes]}:{settings}:{search}"


def _terms() -> Terms:
    # (numpy and the tables of `search.docs` load on the first article read: a build that
    # reads none does not pay for them.)
    from site_builder.search.outputs import article_terms

    return article_terms


def _before(state: State, scan: Scan) -> dict[dt.date, bool]:
    """Each day the scan's changes are of: whether it had an edition before them."""
    changed = {c.rel for c in scan.changes}
    before: dict[dt.date, bool] = {}
    for change in scan.changes:
        for article in (change.old, change.new):
            if article is not None and article.date not in before:
                before[article.date] = _had_before(state, article.date, scan, changed)
    return before


def _affected(state: State, scan: Scan, before: dict[dt.date, bool], content_dir: Path, out_dir: Path,
              themes: list[Path], config: SiteConfig) -> set[str]:
    if not scan.changes:
        return set()
    from site_builder.site.scopes import affected
    from site_builder.site.view import ArchiveView

    view = ArchiveView(state.db, _prefix(content_dir))
    return affected(scan.changes, view, before, _body_kinds(state, out_dir, themes, content_dir, config))


def _keep_totals(state: State, scan: Scan, before: dict[dt.date, bool] | None) -> None:
    """The numbers of articles and editions, kept in the state with the content they count
    (a count of every row would read them all): from the scan's changes when the state has
    them, else counted (`before` None: a build that makes everything)."""
    kept = state.get("articles"), state.get("editions")
    if before is None or kept[0] is None or kept[1] is None:
        articles, editions = state.db.execute("SELECT count(*), count(DISTINCT date) FROM articles").fetchone()
    else:
        articles = int(kept[0]) + sum((c.new is not None) - (c.old is not None) for c in scan.changes)
        editions = int(kept[1]) + sum(_has(state, day) - had for day, had in before.items())
    state.put("articles", str(articles))
    state.put("editions", str(editions))


def _has(state: State, date: dt.date) -> bool:
    return state.db.execute("SELECT 1 FROM articles WHERE date = ? LIMIT 1", (date.isoformat(),)).fetchone() is not None


def _had_before(state: State, date: dt.date, scan: Scan, changed: set[str]) -> bool:
    """Whether `date` had an edition before the scan: an article now that the scan did not
    touch, or a changed article that was of that date."""
    rows = state.db.execute("SELECT rel FROM articles WHERE date = ?", (date.isoformat(),))
    return any(rel not in changed for (rel,) in rows) or any(
        c.old is not None and c.old.date == date for c in scan.changes)


def _body_kinds(state: State, out_dir: Path, themes: list[Path], content_dir: Path, config: SiteConfig) -> set[str]:
    """The listing kinds whose templates show bodies here (a body edit changes their pages)."""
    from site_builder.site.making import environment
    from site_builder.site.render import fingerprints

    env = environment(state, out_dir, themes, content_dir, config)
    templates = {"region-year": "region.html", "region": "region.html", "author": "author.html",
                 "author-year": "author.html", "home": "home.html"}
    return {kind for kind, template in templates.items() if fingerprints(env).shows_body((template,))}


def _folders(content_dir: Path, changed: Collection[Path]) -> set[str] | None:
    """The content folders (below `content_dir`) of these changed paths."""
    root = content_dir.resolve()
    found = set()
    for path in changed:
        try:
            rel = path.resolve().relative_to(root)
        except ValueError:
            continue
        folder = rel if path.is_dir() else rel.parent
        found.add("" if str(folder) == "." else folder.as_posix())
    return found if "" not in found else None  # (the whole folder: every folder is looked at)


def _prefix(content_dir: Path) -> str:
    base = str(content_dir)
    return "" if base == "." else f"{base}/"


def _quiet(stage: str, done: int, total: int) -> None:
    pass


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)
