"""The whole build, top to bottom: read → structure → render → write → swap.

>>> report = build_site(Path("content"), Path("public"))  # doctest: +SKIP
>>> report.pages["article"], report.seconds  # doctest: +SKIP
(412, 3.1)
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from site_builder.build.content import read_content
from site_builder.build.manifest import scan_site, write_manifest
from site_builder.build.output import Staging
from site_builder.build.pages import site_pages
from site_builder.build.paths import collisions, planned_paths
from site_builder.build.render import THEMES_ROOT, make_environment, template_dirs, theme_dirs
from site_builder.build.structure import build_archive
from site_builder.build.swap import remove_stale_builds
from site_builder.models import Problem

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class BuildError(Exception):
    """Content (or the theme) has errors; nothing was written to the output folder."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class BuildReport:
    pages: Mapping[str, int]  # pages written per kind: home, edition, article, …
    articles: int
    editions: int
    static_files: int
    warnings: tuple[Problem, ...]
    seconds: float

    @property
    def total_pages(self) -> int:
        return sum(self.pages.values())


def build_site(
    content_dir: Path,
    out_dir: Path,
    theme: str = "default",
    *,
    progress: Progress | None = None,
    post_render: Callable[[Path], None] | None = None,
    themes_root: Path = THEMES_ROOT,
) -> BuildReport:
    """Build `content_dir` into `out_dir` with `theme`; raise BuildError on content errors.

    `post_render(staging_dir)` runs on the finished site before it replaces `out_dir`
    (the place for search indexing); if it raises, `out_dir` is left as it was.
    """
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)

    themes = theme_dirs(theme, themes_root)
    if not themes[0].is_dir():
        raise BuildError([Problem(str(themes[0]), 1, f"unknown theme '{theme}'")])
    articles, problems = read_content(content_dir)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BuildError(errors)
    report("read", len(articles), len(articles))

    archive = build_archive(articles)
    # --- safety (issue 8): no path made from content leaves the site or is claimed twice.
    clashes = collisions(planned_paths(archive))
    if clashes:
        raise BuildError(clashes)
    # --- end safety
    env = make_environment(template_dirs(themes, content_dir))

    # --- safety (issue 8): folders of killed builds go (or the old site comes back) first.
    remove_stale_builds(out_dir)
    # --- end safety
    staging = Staging(out_dir)
    try:
        counts: Counter[str] = Counter()
        # Total known up front: one page per article and edition plus the index pages.
        total = len(articles) + len(archive.editions)
        for kind, path, html in site_pages(env, archive):
            staging.write(path, html)
            counts[kind] += 1
            if kind in ("article", "edition"):
                report("render", counts["article"] + counts["edition"], total)
        static_files = staging.copy_static([t / "static" for t in themes])
        if post_render is not None:
            post_render(staging.root)
        # --- safety (issue 8): the manifest of every file of the finished site, written last so
        # that a site with a manifest is a complete one (`build.py check --out`).
        write_manifest(staging.root, scan_site(staging.root))
        # --- end safety
        staging.swap_into_place()
    except BaseException:
        staging.discard()
        raise

    return BuildReport(
        pages=MappingProxyType(dict(sorted(counts.items()))),
        articles=len(articles),
        editions=len(archive.editions),
        static_files=static_files,
        warnings=tuple(p for p in problems if p.severity == "warning"),
        seconds=round(time.perf_counter() - started, 3),
    )
