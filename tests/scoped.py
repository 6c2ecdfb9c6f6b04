"""Every output of a site made straight from its scopes, without building it: for tests of
what one kind of file holds, and of whether keys follow bytes."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterable
from pathlib import Path

from site_builder.config import SiteConfig
from site_builder.frontmatter import dump_article
from site_builder.models import Article
from site_builder.site.output import static_files
from site_builder.site.outputs import Output
from site_builder.site.plan import Keys
from site_builder.site.produce import Context, produce
from site_builder.site.render import make_environment
from site_builder.site.scan import scan_content
from site_builder.site.scopes import every_scope
from site_builder.site.state import State
from site_builder.site.themes import THEMES_ROOT, template_dirs, theme_dirs
from site_builder.site.view import ArchiveView
from site_builder.urls import day_folder


def write_content(articles: Iterable[Article], folder: Path) -> Path:
    """Articles as content files (as the ingest writes them) under `folder`."""
    for article in articles:
        path = folder / day_folder(article.date) / f"{article.id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_article(article), encoding="utf-8")
    return folder


def site_outputs(content: Path, config: SiteConfig, theme: str = "default") -> dict[str, tuple[Output, bytes]]:
    """Path → (output, its final key) of every output of a build of `content` (rendered while
    the state is open: an output's `render()` gives the bytes it made then)."""
    themes = theme_dirs(theme, THEMES_ROOT)
    with tempfile.TemporaryDirectory() as cache, State.create(Path(cache)) as state:
        with state.transaction():
            scan = scan_content(content, state)
        assert [p for p in scan.problems if p.severity == "error"] == []
        env = make_environment(template_dirs(themes, content), site=config)
        ctx = Context(ArchiveView(state.db, f"{content}/"), env, config, static_files([t / "static" for t in themes]))
        keys = Keys(ctx)
        found = {}
        for name in every_scope(ctx.view):
            for output in produce(name, ctx):
                made = output.render()
                found[output.path] = (dataclasses.replace(output, render=lambda made=made: made), keys.of(output))
        return found
