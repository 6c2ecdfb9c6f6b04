"""Command line: argument parsing, progress and reporting only; the work is in the pipelines.

    python build.py ingest [--seeds seeds] [--content content]
    python build.py build  [--content content] [--out public] [--theme NAME] [--no-search]
    python build.py serve  [--content content] [--out public] [--theme NAME] [--port 8000]
    python build.py check  [--content content]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from site_builder.models import Problem

err = Console(stderr=True, highlight=False)
out = Console(highlight=False, width=None if sys.stdout.isatty() else 120)


def _progress() -> tuple[Progress, Callable[[str, int, int], None]]:
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err, transient=True, disable=not err.is_terminal)
    tasks: dict[str, TaskID] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    return bar, update


def _report_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        err.print(str(problem), markup=False, style="red" if problem.severity == "error" else "yellow")


def cmd_ingest(args: argparse.Namespace) -> int:
    from site_builder.ingest.pipeline import IngestError, ingest

    bar, update = _progress()
    try:
        with bar:
            result = ingest(Path(args.seeds), Path(args.content), update)
    except IngestError as exc:
        _report_problems(exc.problems)
        errors = sum(p.severity == "error" for p in exc.problems)
        err.print(f"ingest: {errors} error(s); nothing in {args.content}/ was changed", markup=False)
        return 1
    table = Table(title="ingest", title_justify="left")
    for column in ("page", "date", "items", "photos", "continuations", "duplicates", "unassigned chars", "warnings"):
        table.add_column(column, justify="left" if column in ("page", "date") else "right")
    for page in result.pages:
        table.add_row(page.file, str(page.date or "?"), str(page.items), str(page.photos), str(page.continuations),
                      str(page.duplicates), str(page.unassigned), str(len(page.warnings)))
    out.print(table)
    _report_problems(result.problems)
    written = result.written
    if written is not None:
        out.print(f"{len(result.articles)} articles → {args.content}/: {len(written.written)} written, "
                  f"{len(written.unchanged)} unchanged, {len(written.removed)} removed", markup=False)
        for rel in written.kept_edits:
            err.print(f"{Path(args.content) / rel}:1: kept: edited by hand, not overwritten", markup=False,
                      style="yellow")
    return 0


def _search_step(args: argparse.Namespace) -> Callable[[Path], None] | None:
    if getattr(args, "no_search", False):
        return None
    try:
        from site_builder import search
    except ImportError:
        return None
    return search.post_render_step(Path(args.content), args.theme)


def cmd_build(args: argparse.Namespace) -> int:
    from site_builder.build.pipeline import BuildError, build_site

    bar, update = _progress()
    try:
        with bar:
            report = build_site(Path(args.content), Path(args.out), args.theme, progress=update,
                                post_render=_search_step(args))
    except BuildError as exc:
        _report_problems(exc.problems)
        err.print(f"build: {len(exc.problems)} error(s); {args.out}/ was left as it was", markup=False)
        return 1
    _report_problems(report.warnings)
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(report.pages.items()))
    out.print(f"built {report.total_pages} pages ({kinds}) from {report.articles} articles, "
              f"{report.editions} editions in {report.seconds:.2f}s", markup=False)
    index = (Path(args.out) / "index.html").resolve()
    out.print(f"open {index.as_uri()}  (or: python build.py serve)", markup=False)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from site_builder.build.serve import serve

    serve(Path(args.content), Path(args.out), args.theme, args.port)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from site_builder.build.content import read_content

    articles, problems = read_content(Path(args.content))
    _report_problems(problems)
    errors = sum(p.severity == "error" for p in problems)
    out.print(f"check: {len(articles)} articles, {errors} error(s)", markup=False)
    return 1 if errors else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="工人日报 digital edition: ingest raw pages, build the site.")
    sub = p.add_subparsers(dest="command", required=True)
    ing = sub.add_parser("ingest", help="raw page texts → content/")
    ing.add_argument("--seeds", default="seeds")
    ing.add_argument("--content", default="content")
    ing.set_defaults(func=cmd_ingest)
    for name, func, help_text in (("build", cmd_build, "content/ → public/"),
                                  ("serve", cmd_serve, "build, serve on localhost, rebuild on change")):
        s = sub.add_parser(name, help=help_text)
        s.add_argument("--content", default="content")
        s.add_argument("--out", default="public")
        s.add_argument("--theme", default="default")
        if name == "serve":
            s.add_argument("--port", type=int, default=8000)
        else:
            s.add_argument("--no-search", action="store_true",
                           help="render the pages only: no search page, no Pagefind index (for timing)")
        s.set_defaults(func=func)
    chk = sub.add_parser("check", help="validate content/ only")
    chk.add_argument("--content", default="content")
    chk.set_defaults(func=cmd_check)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
