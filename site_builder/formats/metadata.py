"""What a page says about itself to machines: schema.org JSON-LD and Open Graph / Twitter cards.

Registered as Jinja globals by `register` (site/render.py); the templates call them in
their `head` block. Every value comes from the article and the site settings, and the
JSON is made safe to sit inside `<script type="application/ld+json">`:

>>> script_json({"headline": "</script><b>"})
'{"headline":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
"""

from __future__ import annotations

import json
from typing import Any

import jinja2
from markupsafe import Markup

from site_builder.bodytext import paragraphs
from site_builder.config import SiteConfig
from site_builder.models import Article, Edition, Sheet
from site_builder.urls import Urls

EXCERPT_CHARS = 120
# Inside a script element `</script`, `<!--` and `]]>` would end or change it; U+2028/9 end a
# line in old JavaScript. Escaping them keeps the same JSON value.
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_json(data: object, *, sort_keys: bool = False) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
    # (One `str.replace` per character, each in C: `str.translate` with a table looks up
    # every character of the text in it, ~10× slower on an article's Chinese text.)
    for char, escaped in _SCRIPT_ESCAPES:
        text = text.replace(char, escaped)
    return text


def excerpt(article: Article, limit: int = EXCERPT_CHARS) -> str:
    """The 阅读提示 box if there is one, else the opening of the body, cut at `limit` characters."""
    text = article.summary or next(iter(paragraphs(article.body)), "") or article.title
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def page_url(config: SiteConfig, from_page: str, to_page: str) -> str:
    """Absolute with a base URL; else relative to the page the JSON-LD sits on."""
    return config.absolute(to_page) or Urls.link(from_page, to_page)


def _periodical(config: SiteConfig) -> dict[str, Any]:
    periodical: dict[str, Any] = {"@type": "Periodical", "name": config.newspaper, "inLanguage": config.language}
    if config.base_url:
        periodical["url"] = config.base_url
    return periodical


def _publisher(config: SiteConfig) -> dict[str, Any]:
    return {"@type": "Organization", "name": config.publisher}


def issue_name(config: SiteConfig, edition: Edition) -> str:
    d = edition.date
    return f"{config.newspaper} {d.year}年{d.month}月{d.day}日"


def article_data(config: SiteConfig, page: str, article: Article, edition: Edition, sheet: Sheet) -> dict[str, Any]:
    """schema.org NewsArticle for the article page at `page`."""
    url = page_url(config, page, Urls.article(article))
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "identifier": article.id,
        "headline": article.title,
    }
    alternative = [t for t in (article.kicker, article.subtitle) if t]
    if alternative:
        data["alternativeHeadline"] = alternative[0] if len(alternative) == 1 else alternative
    data["datePublished"] = article.date.isoformat()
    data["inLanguage"] = config.language
    if article.authors:
        data["author"] = [{"@type": "Person", "name": a.name, "jobTitle": a.role} for a in article.authors]
    else:  # an unsigned item is the paper's own
        data["author"] = _publisher(config)
    data["publisher"] = _publisher(config)
    if article.dateline:
        data["dateline"] = article.dateline
    if sheet.number is not None:
        data["pageStart"] = str(sheet.number)
    section = [s for s in (sheet.name, article.column) if s]
    if section:
        data["articleSection"] = section[0] if len(section) == 1 else section
    places: list[dict[str, str]] = []
    if article.province:
        places.append({"@type": "AdministrativeArea", "name": article.province})
    places.extend({"@type": "Place", "name": p} for p in article.places if p != article.province)
    if places:
        data["contentLocation"] = places[0] if len(places) == 1 else places
    data["description"] = excerpt(article)
    data["isPartOf"] = {
        "@type": "PublicationIssue",
        "@id": page_url(config, page, Urls.edition(edition.date)),
        "name": issue_name(config, edition),
        "datePublished": edition.date.isoformat(),
        "isPartOf": _periodical(config),
    }
    return data


def edition_data(config: SiteConfig, page: str, edition: Edition) -> dict[str, Any]:
    """schema.org PublicationIssue for the edition page at `page`, its articles as parts."""
    url = page_url(config, page, Urls.edition(edition.date))
    return {
        "@context": "https://schema.org",
        "@type": "PublicationIssue",
        "@id": url,
        "url": url,
        "name": issue_name(config, edition),
        "datePublished": edition.date.isoformat(),
        "inLanguage": config.language,
        "publisher": _publisher(config),
        "isPartOf": _periodical(config),
        "encoding": {
            "@type": "MediaObject", "encodingFormat": "application/epub+zip",
            "contentUrl": page_url(config, page, Urls.edition_epub(edition.date)),
        },
        "hasPart": [
            {"@type": "NewsArticle", "headline": a.title, "url": page_url(config, page, Urls.article(a))}
            for a in edition.articles
        ],
    }


def social_tags(config: SiteConfig, page: str, title: str, description: str,
                article: Article | None = None) -> list[tuple[str, str, str]]:
    """(attribute, name, content) of the Open Graph and Twitter card meta elements."""
    tags = [
        ("name", "description", description),
        ("property", "og:site_name", config.title),
        ("property", "og:locale", config.language.replace("-", "_")),
        ("property", "og:type", "article" if article else "website"),
        ("property", "og:title", title),
        ("property", "og:description", description),
    ]
    if config.base_url:  # og:url must be absolute: left out without a base URL
        tags.append(("property", "og:url", config.absolute(page)))
    if article is not None:
        tags.append(("property", "article:published_time", article.date.isoformat()))
        if article.page_name or article.column:
            tags.append(("property", "article:section", article.page_name or article.column or ""))
    tags += [
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    return tags


def _script(data: object) -> Markup:
    return Markup('<script type="application/ld+json">') + Markup(script_json(data)) + Markup("</script>")


@jinja2.pass_context
def _article_jsonld(context: jinja2.runtime.Context, article: Article, edition: Edition, sheet: Sheet) -> Markup:
    return _script(article_data(context["site"], context["page_path"], article, edition, sheet))


@jinja2.pass_context
def _edition_jsonld(context: jinja2.runtime.Context, edition: Edition) -> Markup:
    return _script(edition_data(context["site"], context["page_path"], edition))


@jinja2.pass_context
def _social_tags(context: jinja2.runtime.Context, title: str, description: str,
                 article: Article | None = None) -> list[tuple[str, str, str]]:
    return social_tags(context["site"], context["page_path"], title, description, article)


def register(env: jinja2.Environment) -> None:
    env.globals.update(article_jsonld=_article_jsonld, edition_jsonld=_edition_jsonld,
                       social_tags=_social_tags)
    env.filters.update(excerpt=excerpt)
