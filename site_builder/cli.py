"""Command line: argument parsing, progress and reporting only; the work is in the pipelines.

    python build.py ingest [--seeds seeds] [--content content]
    python build.py build  [--content content] [--out public] [--theme NAME] [--config site.yaml]
    python build.py serve  [--content content] [--out public] [--theme NAME] [--config site.yaml] [--port 8000]
    python build.py check  [--content content] [--out public]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from site_builder.config import SiteConfig, load_config, with_environment
from site_builder.console import err, out, progress_bar, report_problems
from site_builder.models import Problem

if TYPE_CHECKING:

    pass

def cmd_ingest(args: argparse.Namespace) -> int:
    from site_builder.ingest.pipeline import IngestError, ingest

    bar, update = progress_bar()
    try:
        with bar:
            result = ingest(Path(args.seeds), Path(args.content), update, args.jobs)
    except IngestError as exc:
        report_problems(exc.problems)
        errors = sum(p.severity == "error" for p in exc.problems)
        err.print(f"ingest: {errors} error(s); nothing in {args.content}/ was changed", markup=False)
        return 1
    from rich.table import Table

    table = Table(title="ingest", title_justify="left")
    for column in ("page", "date", "items", "photos", "continuations", "duplicates", "unassigned chars", "warnings"):
        table.add_column(column, justify="left" if column in ("page", "date") else "right")
    # The pages read by this run (an archive's unchanged editions are not listed), at most 50.
    shown = [p for p in result.pages if p.file in result.read or p.warnings]
    for page in shown[:50]:
        table.add_row(page.file, str(page.date or "?"), str(page.items), str(page.photos), str(page.continuations),
                      str(page.duplicates), str(page.unassigned), str(len(page.warnings)))
    if len(shown) > 50:
        table.add_row(f"… {len(shown) - 50} more pages", "", "", "", "", "", "", "")
    if shown:
        out.print(table)
    report_problems(result.problems)
    written = result.written
    if written is not None:
        out.print(f"{result.total} articles → {args.content}/: {len(written.written)} written, "
                  f"{len(written.unchanged)} unchanged, {len(written.removed)} removed "
                  f"({result.rebuilt} of {result.editions} editions read, the others unchanged)", markup=False)
        for rel in written.kept_edits:
            err.print(f"{Path(args.content) / rel}:1: kept: edited by hand, not overwritten", markup=False,
                      style="yellow")
        for rel in written.stale_temps:
            err.print(f"{Path(args.content) / rel}:1: removed: temporary file of an interrupted ingest",
                      markup=False, style="yellow")
        for rel in written.refused:
            err.print(f"{Path(args.content) / rel}:1: not written: a folder on its path is a symlink "
                      f"leading out of {args.content}/", markup=False, style="red")
        if written.refused:
            return 1
    from site_builder.ingest.review import REVIEW

    out.print(f"{len(result.review)} articles to review: {Path(args.content) / REVIEW}", markup=False)
    return 0


def _config(args: argparse.Namespace) -> SiteConfig | None:
    """The site settings (and SOURCE_DATE_EPOCH), or None after reporting their errors."""
    config, problems = _settings(args)
    report_problems(problems)
    if config is None:
        errors = sum(p.severity == "error" for p in problems)
        err.print(f"settings: {errors} error(s); {args.out}/ was left as it was", markup=False)
    return config


def _settings(args: argparse.Namespace) -> tuple[SiteConfig | None, list[Problem]]:
    """The site settings (None if they have errors) and the problems found in them."""
    config, problems = load_config(Path(args.config))
    config, more = with_environment(config, os.environ)
    problems += more
    return (None if any(p.severity == "error" for p in problems) else config), problems


def cmd_build(args: argparse.Namespace) -> int:
    from site_builder.site.lock import LockedError, build_lock

    config = _config(args)
    if config is None:
        return 1
    try:
        with build_lock(Path(args.out)):
            return _build(args, config)
    except LockedError as exc:
        err.print(str(exc), markup=False, style="red")
        return 1


def _build(args: argparse.Namespace, config: SiteConfig) -> int:
    # Whether anything changed is known from the state and from file sizes and mtimes:
    # the pipeline imports Jinja, Markdown and the formats only when there is work.
    from site_builder.site.pipeline import BuildError, build_site

    bar, update = progress_bar()
    try:
        with bar:
            report = build_site(Path(args.content), Path(args.out), args.theme, progress=update,
                                jobs=args.jobs, full=args.full, config=config, search=not args.no_search)
    except BuildError as exc:
        report_problems(exc.problems)
        err.print(f"build: {len(exc.problems)} error(s); {args.out}/ was left as it was", markup=False)
        return 1
    except Exception as exc:
        if not isinstance(exc, _failures()):
            raise
        report_problems([_problem_of(exc)])
        err.print(f"build: failed; {args.out}/ was left as it was", markup=False)
        return 1
    report_problems(report.warnings)
    if report.noop:
        out.print(f"nothing changed: {args.out}/ is up to date ({report.unchanged} files, {report.seconds:.2f}s)",
                  markup=False)
        return 0
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(report.pages.items())) or "none"
    out.print(f"built {report.articles} articles, {report.editions} editions in {report.seconds:.2f}s: "
              f"{sum(report.pages.values())} files written ({kinds}), {report.unchanged} unchanged, "
              f"{report.removed} removed", markup=False)
    index = (Path(args.out) / "index.html").resolve()
    out.print(f"open {index.as_uri()}  (or: python build.py serve)", markup=False)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from site_builder.site.serve import Options, ServeError, serve

    config = _config(args)
    if config is None:
        return 1
    from site_builder.site.lock import LockedError, build_lock

    try:
        # Held while serving: serve rebuilds into the folder whenever content changes.
        with build_lock(Path(args.out)):
            serve(Path(args.content), Path(args.out), args.theme, args.port, config,
                  settings=lambda: _settings(args), settings_file=Path(args.config),
                  options=Options(search=not args.no_search, jobs=args.jobs, full=args.full), explain=explain_failure)
    except (LockedError, ServeError) as exc:
        err.print(str(exc), markup=False, style="red")
        return 1
    return 0


def explain_failure(exc: Exception) -> Problem | None:
    """A failed build that is not a content error, as `path:line: message`; None: a bug."""
    return _problem_of(exc) if isinstance(exc, _failures()) else None


def _failures() -> tuple[type[Exception], ...]:
    """Failures that are not content errors but still deserve `path:line: message`, not a traceback."""
    import jinja2

    return OSError, jinja2.TemplateError


def _problem_of(exc: Exception) -> Problem:
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Problem(exc.filename or exc.name or "template", exc.lineno, exc.message or str(exc))
    if isinstance(exc, OSError) and exc.filename:
        return Problem(str(exc.filename), 1, exc.strerror or str(exc))
    return Problem(type(exc).__name__, 1, str(exc))


def cmd_check(args: argparse.Namespace) -> int:
    """`check --content` validates articles, `check --out` a built site against its manifest."""
    from site_builder.site.content import read_content
    from site_builder.site.verify import verify_site

    content = args.content if args.content is not None or args.out is not None else "content"
    errors = 0
    if content is not None:
        articles, problems = read_content(Path(content))
        report_problems(problems)
        content_errors = sum(p.severity == "error" for p in problems)
        out.print(f"check: {len(articles)} articles in {content}/, {content_errors} error(s)", markup=False)
        errors += content_errors
    if args.out is not None:
        site_problems = verify_site(Path(args.out))
        report_problems(site_problems)
        out.print(f"check: {args.out}/ against its build state, {len(site_problems)} problem(s)", markup=False)
        errors += len(site_problems)
    return 1 if errors else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="工人日报 digital edition: ingest raw pages, build the site.")
    sub = p.add_subparsers(dest="command", required=True)
    ing = sub.add_parser("ingest", help="raw page texts → content/")
    ing.add_argument("--seeds", default="seeds")
    ing.add_argument("--content", default="content")
    ing.add_argument("--jobs", type=int, default=None, help="worker processes (default: every core)")
    ing.set_defaults(func=cmd_ingest)
    for name, func, help_text in (("build", cmd_build, "content/ → public/"),
                                  ("serve", cmd_serve, "build, serve on localhost, rebuild on change")):
        s = sub.add_parser(name, help=help_text)
        s.add_argument("--content", default="content")
        s.add_argument("--out", default="public")
        s.add_argument("--theme", default="default")
        s.add_argument("--config", default="site.yaml", help="site settings (YAML); a missing file = defaults")
        if name == "serve":
            s.add_argument("--port", type=int, default=8000)
        s.add_argument("--no-search", action="store_true", help="no search index (the search page says search is off)")
        s.add_argument("--jobs", type=int, default=None, help="worker processes (default: every core)")
        s.add_argument("--full", action="store_true", help="rebuild everything, ignoring the previous site")
        s.set_defaults(func=func)
    chk = sub.add_parser("check", help="validate content/ (default) and/or a built site against its build state")
    chk.add_argument("--content", default=None, help="content folder to validate (default: content)")
    chk.add_argument("--out", default=None, help="built site to verify against the state its build recorded")
    chk.set_defaults(func=cmd_check)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
