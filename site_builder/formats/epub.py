"""One EPUB 3 e-book per edition: `YYYY/MM/DD/edition.epub` (ebooklib).

Reading order: a title page, then each sheet (版面) as a page listing its items, followed
by those items, each with its headline hierarchy (栏目, 引题, 主题, 副题), byline, 阅读提示,
dateline, body and provenance. The table of contents is by 版面, the items under each.

Byte-identical across builds: the identifier is a uuid5 of the paper and the date,
`dcterms:modified` and every zip entry's date are the edition's date (or SOURCE_DATE_EPOCH
when set), and each entry is written with a fixed date and mode, in ebooklib's fixed order
(`mimetype` first, stored).
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from collections.abc import Iterator
from functools import partial
from html import escape
from typing import Any

from ebooklib import epub  # type: ignore[import-untyped]

from site_builder.config import SiteConfig
from site_builder.formats.xmltext import xml_safe
from site_builder.models import Article, Edition, Sheet
from site_builder.site.outputs import Output, article_key, key_of
from site_builder.site.render import KIND_LABELS, byline, cn_date, cn_weekday, render_markdown, sheet_label
from site_builder.urls import Urls

ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "gongren-ribao-site:epub")

STYLE = """\
body { line-height: 1.7; margin: 0 0.5em; }
h1 { font-size: 1.5em; line-height: 1.35; margin: 0.3em 0; }
h2 { font-size: 1.15em; line-height: 1.4; margin: 0.6em 0 0.2em; }
p { margin: 0 0 0.6em; }
.story p { text-indent: 2em; }
.story p.dateline { text-indent: 0; font-weight: bold; }
.column { font-size: 0.85em; font-weight: bold; }
.kicker { font-size: 0.95em; margin: 0.2em 0; }
.subtitle { font-size: 1.05em; margin: 0.2em 0 0.5em; }
.byline, .meta, .source { font-size: 0.85em; color: #444; }
.summary { border: 1px solid #888; padding: 0.3em 0.6em; margin: 0.8em 0; }
.summary-label { font-weight: bold; }
.title-page { text-align: center; margin-top: 20%; }
.masthead { font-size: 2.4em; font-weight: bold; letter-spacing: 0.2em; }
ol.items { padding-left: 1.5em; }
"""


def _page(title: str, body: str, language: str) -> str:
    # ebooklib keeps the <body> children and writes its own XHTML envelope around them.
    return f'<html lang="{escape(language)}"><head><title>{escape(title)}</title></head><body>{body}</body></html>'


def _file(article: Article) -> str:
    return f"a-{article.id}.xhtml"


def _toc_title(article: Article) -> str:
    return article.title if article.kind == "article" else f"{article.title}（{KIND_LABELS[article.kind]}）"


def article_body(article: Article, sheet: Sheet) -> str:
    """The article as XHTML body content (every text escaped; the body is Markdown rendered)."""
    head = []
    if article.column:
        head.append(f'<p class="column">{escape(article.column)}</p>')
    if article.kicker:
        head.append(f'<p class="kicker">{escape(article.kicker)}</p>')
    head.append(f"<h1>{escape(article.title)}</h1>")
    if article.subtitle:
        head.append(f'<p class="subtitle">——{escape(article.subtitle)}</p>')
    if article.authors:
        head.append(f'<p class="byline">{escape(byline(article))}</p>')
    meta = [cn_date(article.date), sheet_label(sheet.number) + (f" {sheet.name}" if sheet.name else "")]
    if article.province:
        meta.append(article.province)
    head.append(f'<p class="meta">{escape(" · ".join(meta))}</p>')
    parts = [f'<div class="head">{"".join(head)}</div>']
    if article.continued_from:
        parts.append(f'<p class="meta">（上接{escape(article.continued_from)}）</p>')
    if article.summary:
        parts.append(f'<div class="summary"><p class="summary-label">阅读提示</p><p>{escape(article.summary)}</p></div>')
    story = f'<p class="dateline">{escape(article.dateline)}</p>' if article.dateline else ""
    parts.append(f'<div class="story">{story}{render_markdown(article.body)}</div>')
    lines = article.source.lines
    parts.append(f'<p class="source">来源：{escape(article.source.file)} 第 {lines[0]}–{lines[1]} 行</p>')
    return "".join(parts)


def sheet_body(sheet: Sheet) -> str:
    items = "".join(f'<li><a href="{_file(a)}">{escape(_toc_title(a))}</a></li>' for a in sheet.articles)
    name = f" {escape(sheet.name)}" if sheet.name else ""
    return f'<h1>{escape(sheet_label(sheet.number))}{name}</h1><ol class="items">{items}</ol>'


def title_body(config: SiteConfig, edition: Edition) -> str:
    sheets = "".join(
        f"<li>{escape(sheet_label(s.number))}{' ' + escape(s.name) if s.name else ''}（{len(s.articles)} 篇）</li>"
        for s in edition.sheets
    )
    return (
        f'<div class="title-page"><p class="masthead">{escape(config.newspaper)}</p>'
        f"<h1>{cn_date(edition.date)} {cn_weekday(edition.date)}</h1>"
        f"<p>本期 {len(edition.sheets)} 个版面，{len(edition.articles)} 篇稿件</p>"
        f"<p>{escape(config.publisher)}</p></div><ol>{sheets}</ol>"
    )


def book_time(config: SiteConfig, edition: Edition) -> dt.datetime:
    """SOURCE_DATE_EPOCH when given, else the edition's day: never the build's clock."""
    if config.source_date is not None:
        return dt.datetime.fromtimestamp(config.source_date, dt.UTC).replace(tzinfo=None)
    return dt.datetime(edition.date.year, edition.date.month, edition.date.day)


def render_epub(config: SiteConfig, edition: Edition) -> bytes:
    book = epub.EpubBook()
    title = f"{config.newspaper} {cn_date(edition.date)}"
    book.set_identifier(f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'{config.newspaper}:{edition.date.isoformat()}')}")
    book.set_title(title)
    book.set_language(config.language)
    book.add_author(config.publisher)
    book.add_metadata("DC", "publisher", config.publisher)
    book.add_metadata("DC", "date", edition.date.isoformat())
    book.add_metadata("DC", "description", f"{title}，{len(edition.sheets)} 个版面，{len(edition.articles)} 篇稿件")
    if config.base_url:
        book.add_metadata("DC", "source", config.absolute(Urls.edition(edition.date)))

    style = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=STYLE.encode())
    book.add_item(style)

    def document(uid: str, file_name: str, doc_title: str, body: str) -> epub.EpubHtml:
        item = epub.EpubHtml(uid=uid, file_name=file_name, title=xml_safe(doc_title), lang=config.language)
        item.content = xml_safe(_page(doc_title, body, config.language))
        item.add_item(style)
        book.add_item(item)
        return item

    cover = document("title-page", "title.xhtml", title, title_body(config, edition))
    spine: list[object] = [cover, "nav"]
    toc: list[object] = [epub.Link("title.xhtml", "本期概览", "toc-title")]
    for number, sheet in enumerate(edition.sheets, 1):
        label = sheet_label(sheet.number) + (f" {sheet.name}" if sheet.name else "")
        sheet_doc = document(f"sheet-{number}", f"sheet-{number}.xhtml", label, sheet_body(sheet))
        spine.append(sheet_doc)
        links = []
        for article in sheet.articles:
            spine.append(document(f"a-{article.id}", _file(article), article.title, article_body(article, sheet)))
            links.append(epub.Link(_file(article), xml_safe(_toc_title(article)), f"toc-{article.id}"))
        toc.append((epub.Section(xml_safe(label), sheet_doc.file_name), links))
    book.toc = toc
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav(title="目录")
    nav.add_item(style)
    book.add_item(nav)
    book.spine = spine

    when = book_time(config, edition)
    raw = io.BytesIO()
    writer = _Writer(raw, book, {"mtime": when, "epub3_pages": False, "raise_exceptions": True})
    writer.process()
    writer.write_fixed(when)
    return raw.getvalue()


class _FixedZip(zipfile.ZipFile):
    """A zip whose entries, added by name, all get one date and the same mode: byte-identical
    zips from the same content, whatever the clock says."""

    stamp = (1980, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname: str | zipfile.ZipInfo, data: Any,
                 compress_type: int | None = None, compresslevel: int | None = None) -> None:
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        entry = zipfile.ZipInfo(name, date_time=self.stamp)
        entry.create_system = 3  # unix, on every platform
        entry.external_attr = 0o100644 << 16
        # The OCF container asks for `mimetype` first and stored; everything else deflated.
        entry.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
        super().writestr(entry, data, compresslevel=9)


class _Writer(epub.EpubWriter):  # type: ignore[misc]
    def write_fixed(self, when: dt.datetime) -> None:
        """ebooklib's `write`, into a `_FixedZip` dated `when`."""
        self.out = _FixedZip(self.file_name, "w")
        self.out.stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
        self.out.writestr("mimetype", "application/epub+zip")
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


def edition_outputs(config: SiteConfig, edition: Edition) -> Iterator[Output]:
    settings = (config.newspaper, config.publisher, config.language, config.base_url, config.source_date)
    key = key_of("epub", edition.date, settings, [article_key(a) for a in edition.articles])
    yield Output("epub", Urls.edition_epub(edition.date), key, partial(render_epub, config, edition))
