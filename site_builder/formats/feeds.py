"""Atom feeds (RFC 4287): the whole site (`feed.xml`) and one per province
(`region/<slug>/feed.xml`), the newest `feed_length` items each.

With a base URL, ids and links are absolute URLs. Without one, links are relative to the
feed's own location (valid Atom: they resolve against the feed's URL wherever the site is
hosted) and ids are `urn:uuid:` names derived from the article id, stable across builds.

Continuation fragments (（上接第1版）) are parts of another item, not entries of their own.
Times: an edition appears on its day, so an entry is dated 00:00 Beijing time (+08:00).
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial
from html import escape
from xml.etree import ElementTree as ET

from site_builder.config import SiteConfig
from site_builder.formats.metadata import excerpt
from site_builder.formats.xmltext import xml_safe
from site_builder.models import Article
from site_builder.site.outputs import Output, article_key, key_of
from site_builder.site.render import byline, render_markdown
from site_builder.urls import Urls

ATOM = "http://www.w3.org/2005/Atom"
EPOCH = dt.date(1980, 1, 1)  # `updated` of a feed with nothing in it
# Fixed namespace for the urn:uuid ids (a uuid5 of this project's name).
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "gongren-ribao-site:atom")


def timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00+08:00"


def entry_id(config: SiteConfig, path: str) -> str:
    return config.absolute(path) or f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, path)}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _entry_html(article: Article) -> str:
    """The entry's content: headline parts, byline, 阅读提示 and the body, as HTML.

    The HTML is escaped here and then once more as the element's text (type="html").
    """
    parts: list[str] = []
    for cls, text in (("kicker", article.kicker), ("subtitle", article.subtitle)):
        if text:
            parts.append(f'<p class="{cls}">{escape(text)}</p>')
    if article.authors:
        parts.append(f'<p class="byline">{escape(byline(article))}</p>')
    if article.summary:
        parts.append(f"<blockquote><p>阅读提示：{escape(article.summary)}</p></blockquote>")
    if article.dateline:
        parts.append(f"<p><strong>{escape(article.dateline)}</strong></p>")
    parts.append(str(render_markdown(article.body)))
    return "\n".join(parts)


def render_feed(config: SiteConfig, feed_path: str, title: str, page_path: str,
                articles: list[Article], updated: dt.date) -> str:
    """One Atom document at `feed_path`, linking to the HTML page at `page_path`.

    `updated` is the date of the newest item the feed is about: its content's date, not the build's.
    """
    def href(path: str) -> str:
        return config.absolute(path) or Urls.link(feed_path, path)

    # Plain tag names and the namespace as an attribute: ElementTree then writes the Atom
    # namespace as the default one without a prefix (and without global registration).
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": config.language})
    _sub(feed, "id", entry_id(config, feed_path))
    _sub(feed, "title", title)
    _sub(feed, "subtitle", f"{config.newspaper}最新稿件")
    _sub(feed, "updated", timestamp(updated))
    author = _sub(feed, "author")
    _sub(author, "name", config.publisher)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=href(feed_path))
    _sub(feed, "link", rel="alternate", type="text/html", href=href(page_path))
    _sub(feed, "generator", "gongren-ribao-site")
    for article in articles:
        path = Urls.article(article)
        entry = _sub(feed, "entry")
        _sub(entry, "id", entry_id(config, path))
        _sub(entry, "title", article.title)
        _sub(entry, "link", rel="alternate", type="text/html", href=href(path))
        _sub(entry, "published", timestamp(article.date))
        _sub(entry, "updated", timestamp(article.date))
        for a in article.authors:
            person = _sub(entry, "author")
            _sub(person, "name", a.name)
        for label in (article.page_name, article.column, article.province):
            if label:
                _sub(entry, "category", term=label)
        _sub(entry, "summary", excerpt(article))
        _sub(entry, "content", _entry_html(article), type="html")
    ET.indent(feed, space="  ")
    # Characters XML cannot hold are never markup: dropping them from the text is safe.
    text = xml_safe(ET.tostring(feed, encoding="unicode"))
    return f'<?xml version="1.0" encoding="utf-8"?>\n{text}\n'


def feed(config: SiteConfig, path: str, title: str, page_path: str, chosen: list[Article],
         updated: dt.date | None) -> Output:
    """The feed at `path` of these items (newest first, no continuation fragments), about the
    page at `page_path`; `updated`: the newest date it is about."""
    settings = (config.title, config.newspaper, config.publisher, config.base_url, config.language)
    when = updated or EPOCH
    return Output("feed", path, key_of("feed", path, settings, when, [article_key(a) for a in chosen]),
                  partial(render_feed, config, path, title, page_path, chosen, when))


def site_feed(config: SiteConfig, chosen: list[Article], updated: dt.date | None) -> Output:
    return feed(config, Urls.feed, config.title, Urls.home, chosen, updated)


def region_feed(config: SiteConfig, province: str, chosen: list[Article], updated: dt.date | None) -> Output:
    return feed(config, Urls.region_feed(province), f"{config.title} · {province}", Urls.region(province),
                chosen, updated)
