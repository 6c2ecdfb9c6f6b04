"""Templates and Markdown: one Jinja environment per build, autoescaped everywhere.

Template lookup order (a site can override a single template):
`<content>/../templates/` → `themes/<theme>/templates/` → `themes/default/templates/`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from site_builder import citation, data, metadata
from site_builder.config import SiteConfig
from site_builder.models import Article
from site_builder.urls import Urls

THEMES_ROOT = Path(__file__).resolve().parents[2] / "themes"
DEFAULT_THEME = "default"

WEEKDAYS = "一二三四五六日"
KIND_LABELS = {"article": "文章", "photo": "图片", "continuation": "转版", "notice": "告示"}

# Raw HTML in an article is shown as text, never passed through.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def theme_dirs(theme: str, themes_root: Path = THEMES_ROOT) -> list[Path]:
    """The theme folders to use, most specific first (the default theme is always last)."""
    dirs = [themes_root / theme]
    if theme != DEFAULT_THEME:
        dirs.append(themes_root / DEFAULT_THEME)
    return dirs


def template_dirs(themes: list[Path], content_dir: Path) -> list[Path]:
    override = content_dir.resolve().parent / "templates"
    dirs = [override] if override.is_dir() else []
    return dirs + [t / "templates" for t in themes]


def make_environment(search_path: list[Path], site: SiteConfig | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in search_path]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(urls=Urls, link=_link, kind_label=KIND_LABELS.get, site=site or SiteConfig())
    env.filters.update(
        markdown=render_markdown, cn_date=cn_date, cn_weekday=cn_weekday,
        sheet_label=sheet_label, byline=byline,
    )
    # JSON-LD, Open Graph and citations for the page heads and article footers.
    metadata.register(env)
    citation.register(env)
    data.register(env)
    return env


@jinja2.pass_context
def _link(context: jinja2.runtime.Context, to_page: str) -> str:
    """`{{ link(urls.article(a)) }}`: a relative link from the page being rendered."""
    return Urls.link(context["page_path"], to_page)


def render_markdown(text: str) -> Markup:
    """Markdown body → HTML. Everything in it is escaped by markdown-it itself.

    >>> render_markdown("a <b>")
    Markup('<p>a &lt;b&gt;</p>\\n')
    """
    return Markup(_MARKDOWN.render(text))


def cn_date(date: dt.date) -> str:
    """2023-10-31 → '2023年10月31日'."""
    return f"{date.year}年{date.month}月{date.day}日"


def cn_weekday(date: dt.date) -> str:
    return "星期" + WEEKDAYS[date.weekday()]


def sheet_label(number: int | None) -> str:
    return f"第{number}版" if number is not None else "版次未详"


def byline(article: Article) -> str:
    """Authors grouped by role as printed: '记者 邹倜然 通讯员 邵晨晨'."""
    parts: list[str] = []
    last_role = None
    for author in article.authors:
        if author.role != last_role:
            parts.append(author.role)
            last_role = author.role
        parts.append(author.name)
    return " ".join(parts)


def render_page(env: jinja2.Environment, template: str, page_path: str, **context: Any) -> str:
    return env.get_template(template).render(page_path=page_path, **context)

