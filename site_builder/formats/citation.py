"""Citing an article: GB/T 7714-2015 text on the page, RIS and BibTeX files beside it.

>>> gbt7714(article, SiteConfig())  # doctest: +SKIP
'邹倜然, 邵晨晨. 工会文化大餐火出圈的背后[N]. 工人日报, 2023-10-31(3).'

The files are `YYYY/MM/DD/<id>.ris` and `.bib`; their URL field is the article's absolute
URL when a base URL is configured, and left out otherwise (a relative link means nothing
in a reference manager).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import jinja2

from site_builder.config import SiteConfig
from site_builder.formats.metadata import excerpt
from site_builder.models import Article, Edition
from site_builder.site.outputs import Output, article_key, key_of, listing_key
from site_builder.urls import Urls

# GB/T 7714-2015 §8.1.2: the first three authors, then ", 等".
MAX_AUTHORS = 3
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _title(article: Article) -> str:
    # 其他题名信息 (the 副题) follows the 题名 after a colon.
    return f"{article.title}: {article.subtitle}" if article.subtitle else article.title


def gbt7714(article: Article, config: SiteConfig) -> str:
    """作者. 题名[N]. 报纸名, YYYY-MM-DD(版次). — without the link, which the page shows beside it."""
    names = [a.name for a in article.authors]
    authors = ", ".join(names[:MAX_AUTHORS]) + (", 等" if len(names) > MAX_AUTHORS else "")
    page = f"({article.page})" if article.page is not None else ""
    head = f"{authors}. " if authors else ""
    return f"{head}{_title(article)}[N]. {config.newspaper}, {article.date.isoformat()}{page}."


def ris(article: Article, config: SiteConfig) -> str:
    """An RIS record (TY NEWS); lines end in CRLF, as the format asks."""
    fields: list[tuple[str, str]] = [("TY", "NEWS"), ("TI", _title(article))]
    fields += [("AU", a.name) for a in article.authors]
    fields += [
        ("T2", config.newspaper),
        ("PY", str(article.date.year)),
        ("DA", f"{article.date:%Y/%m/%d}"),
        ("PB", config.publisher),
        ("LA", config.language),
        ("ID", article.id),
    ]
    if article.page is not None:
        fields.append(("SP", str(article.page)))
    if article.page_name:
        fields.append(("SE", article.page_name))
    fields.append(("AB", excerpt(article, 500)))
    if config.base_url:
        fields.append(("UR", config.absolute(Urls.article(article))))
    fields.append(("ER", ""))
    # A value is one line: any line break in it would start a bogus tag.
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in fields)


_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


def _tex(text: str) -> str:
    return "".join(_BIBTEX_ESCAPES.get(ch, ch) for ch in " ".join(text.split()))


def bibtex(article: Article, config: SiteConfig) -> str:
    """A biblatex-friendly @article entry with entrysubtype newspaper (plain BibTeX reads it too)."""
    fields: list[tuple[str, str]] = [("title", _tex(article.title))]
    if article.subtitle:
        fields.append(("subtitle", _tex(article.subtitle)))
    if article.authors:
        # Braces keep a Chinese name whole: BibTeX would otherwise try to split it.
        fields.append(("author", " and ".join("{" + _tex(a.name) + "}" for a in article.authors)))
    fields += [
        ("journaltitle", _tex(config.newspaper)),
        ("journal", _tex(config.newspaper)),
        ("entrysubtype", "newspaper"),
        ("date", article.date.isoformat()),
        ("year", str(article.date.year)),
        ("month", MONTHS[article.date.month - 1]),
        ("publisher", _tex(config.publisher)),
    ]
    if article.page is not None:
        fields.append(("pages", str(article.page)))
    if config.base_url:
        fields.append(("url", config.absolute(Urls.article(article))))
    # Month names are BibTeX's predefined macros, written bare; everything else braced.
    body = ",\n".join(f"  {name} = {value if name == 'month' else '{' + value + '}'}" for name, value in fields)
    return f"@article{{{citation_key(article)},\n{body}\n}}\n"


def citation_key(article: Article) -> str:
    """'grrb-20231031-3f9a2c1e': ids are URL-safe ASCII, so the key is too."""
    return f"grrb-{article.id}"


def edition_outputs(config: SiteConfig, edition: Edition) -> Iterator[Output]:
    """The .ris and .bib file of every article of `edition`."""
    shared = (config.newspaper, config.publisher, config.language, config.base_url)
    for article in edition.articles:
        digest = article_key(article)
        yield Output("citation", Urls.citation(article, "ris"), key_of("ris", digest, shared),
                     partial(_ris_bytes, article, config))
        yield Output("citation", Urls.citation(article, "bib"), key_of("bib", listing_key(article), shared),
                     partial(bibtex, article, config))


def _ris_bytes(article: Article, config: SiteConfig) -> bytes:
    # Bytes, so that the CRLF line ends are written as they are.
    return ris(article, config).encode("utf-8")


@jinja2.pass_context
def _citation(context: jinja2.runtime.Context, article: Article) -> str:
    return gbt7714(article, context["site"])


def register(env: jinja2.Environment) -> None:
    env.globals.update(citation=_citation)
