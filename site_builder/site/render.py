"""Templates and Markdown: one Jinja environment per build, autoescaped everywhere.

`TemplateFingerprints` gives, per template, a digest of it and of every template it
extends, includes or imports: a changed `article.html` re-renders the article pages and
nothing else, a changed `base.html` every page.

Template lookup order (a site can override a single template):
`<content>/../templates/` → `themes/<theme>/templates/` → `themes/default/templates/`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes
from markupsafe import Markup

from site_builder import bodytext
from site_builder.config import SiteConfig
from site_builder.formats import citation, data, metadata
from site_builder.models import Article
from site_builder.site import describe

# Re-exported: where themes are is asked of this module too.
from site_builder.site.themes import THEMES_ROOT as THEMES_ROOT
from site_builder.site.themes import template_dirs as template_dirs
from site_builder.site.themes import theme_dirs as theme_dirs
from site_builder.urls import Urls

WEEKDAYS = "一二三四五六日"
KIND_LABELS = {"article": "文章", "photo": "图片", "continuation": "转版", "notice": "告示"}


def make_environment(search_path: list[Path], site: SiteConfig | None = None, *, cache: Path | None = None,
                     known: dict[str, list[Any]] | None = None) -> jinja2.Environment:
    """The build's Jinja environment. `cache`: a folder where compiled templates are kept
    between builds (Jinja's own bytecode cache; a changed template is compiled again).
    `known`: what an earlier build found of each template (see `TemplateFingerprints`)."""
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in search_path]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One environment per build: templates are read once, never stat'ed again per page.
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(cache)) if cache is not None else None,
    )
    env.template_memo = known or {}  # type: ignore[attr-defined]
    env.globals.update(urls=Urls, link=_link, kind_label=KIND_LABELS.get, site=site or SiteConfig())
    env.filters.update(
        markdown=render_markdown, cn_date=cn_date, cn_weekday=cn_weekday,
        sheet_label=sheet_label, byline=byline,
    )
    # JSON-LD, Open Graph and citations for the page heads and article footers.
    metadata.register(env)
    citation.register(env)
    data.register(env)
    describe.register(env)  # each page's meta description
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
    return Markup(bodytext.to_html(text))


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


# What a template can use to show text made from an article's body.
BODY_FILTERS = frozenset({"markdown", "excerpt"})
BODY_NAMES = frozenset({"article_jsonld", "excerpt"})


class TemplateFingerprints:
    """Per template, computed once from one parse of it: the digest of it together with
    everything it pulls in, and whether it can show text made from an article's body."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self._own: dict[str, _Own] = {}
        self._closure: dict[str, str] = {}
        # What an earlier build found of each template: its digest, references, body use.
        self._known: dict[str, list[Any]] = getattr(env, "template_memo", {})

    def _source(self, name: str) -> _Own:
        if name not in self._own:
            source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            text = f"{filename}\0{source}"
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            known = self._known.get(name)
            if known is not None and known[0] == digest:  # the same file: not parsed again
                self._own[name] = _Own(digest, tuple(known[1]), bool(known[2]))
            else:
                tree = self.env.parse(source, name, filename)
                refs = jinja2.meta.find_referenced_templates(tree)
                # A dynamic reference (None) cannot be followed: depend on every template then.
                names = tuple(sorted({r if r is not None else "*" for r in refs}))
                self._own[name] = _Own(digest, names, _uses_body(tree))
        return self._own[name]

    def memo(self) -> dict[str, list[Any]]:
        """What this build found of the templates it looked at (for `make_environment`'s `known`)."""
        found = dict(self._known)
        found.update({name: [own.digest, list(own.refs), own.body] for name, own in self._own.items()})
        return found

    def closure(self, names: Iterable[str]) -> dict[str, str]:
        """These templates and all they pull in, each with its own digest ("*": every template)."""
        seen: dict[str, str] = {}
        todo = list(names)
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            if name == "*":
                todo.extend(self.env.list_templates())
                seen[name] = "*"
                continue
            own = self._source(name)
            seen[name] = own.digest
            todo.extend(own.refs)
        return seen

    def of(self, names: Iterable[str]) -> str:
        names = tuple(sorted(set(names)))
        key = "\0".join(names)
        if key not in self._closure:
            text = "\0".join(f"{n}={d}" for n, d in sorted(self.closure(names).items()))
            self._closure[key] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        return self._closure[key]

    def every(self) -> str:
        """The digest of every template of the environment, each by its file name and
        source (read, not parsed): it changes when any template does."""
        digest = hashlib.sha256()
        for name in self.env.list_templates():
            try:
                source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            except (UnicodeDecodeError, OSError, jinja2.TemplateNotFound):
                # No template (an editor's swap or lock file in a template folder): only
                # its name counts. Rendering never loads it.
                source, filename = "", "unreadable"
            digest.update(f"{name}\0{filename}\0{source}\0".encode())
        return digest.hexdigest()[:32]

    def shows_body(self, names: Iterable[str]) -> bool:
        """Whether these templates can show text made from an article's body: `.body`, the
        `markdown` or `excerpt` filters, the JSON-LD (its description is an excerpt). A page
        that does not is keyed by its articles' front-matter alone (`listing_key`); a theme
        that shows excerpts in its lists is keyed by whole articles, and stays correct."""
        return any(name == "*" or self._source(name).body for name in self.closure(names))


@dataclass(frozen=True)
class _Own:
    digest: str  # of the template's file name and source
    refs: tuple[str, ...]  # templates it extends, includes or imports ("*": not known)
    body: bool  # can show text made from an article's body


def _uses_body(tree: jinja2.nodes.Template) -> bool:
    return (any(node.attr == "body" for node in tree.find_all(jinja2.nodes.Getattr))
            or any(node.name in BODY_FILTERS for node in tree.find_all(jinja2.nodes.Filter))
            or any(node.name in BODY_NAMES for node in tree.find_all(jinja2.nodes.Name))
            or any(isinstance(node.arg, jinja2.nodes.Const) and node.arg.value == "body"
                   for node in tree.find_all(jinja2.nodes.Getitem)))


@functools.lru_cache(maxsize=4)
def fingerprints(env: jinja2.Environment) -> TemplateFingerprints:
    """The one `TemplateFingerprints` of a build's environment (the plan and the pages ask it)."""
    return TemplateFingerprints(env)
