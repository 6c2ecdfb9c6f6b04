"""The seed articles as a newspaper prints them, read from the reviewed `content/` files:
the material the page generator (`pagegen.py`) lays out again in other ways.

A story holds what is printed, not what the ingest makes of it: a feature byline line
(`本报记者 杨明清 张嫱 本报通讯员 堵方涛`) when the authors are not named in a news lead,
a photo credit (`新华社记者 江宏景 摄`), the continuation mark, the column author (`□田晓青`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from site_builder.frontmatter import parse_article
from site_builder.ingest.gold import is_derived_title
from site_builder.models import Article, Author

CONTENT = Path(__file__).resolve().parents[2] / "content"
# Roles as printed before the names: a reporter of this paper is `本报记者`.
PRINTED_ROLE = {"记者": "本报记者", "通讯员": "本报通讯员", "新华社记者": "新华社记者", "实习生": "本报实习生"}
_LEAD = re.compile(r"^(本报讯|本报[^（(]{1,16}电) ?[（(]([^（）()]*)[）)]")


@dataclass(frozen=True)
class Story:
    kind: str
    kicker: str | None
    title: str | None  # None: printed without a headline (a continuation's fragment)
    subtitle: str | None
    column: str | None
    summary: str | None
    byline: str | None  # a line of its own before the body
    credit: str | None  # a photo's credit, `本报记者 X 摄`
    continued_from: str | None
    note: str | None  # `开栏的话` printed after the text of a notice
    paragraphs: tuple[str, ...]  # `## ` marks a subhead
    # What a reader finds (the gold): title as the gold has it, authors, province.
    gold_title: str
    authors: tuple[str, ...]
    province: str | None


def printed_names(authors: tuple[Author, ...]) -> str:
    """`本报记者 杨明清 张嫱 本报通讯员 堵方涛`: each role once before its names."""
    out: list[str] = []
    previous = None
    for author in authors:
        if author.role != previous:
            out.append(PRINTED_ROLE.get(author.role, author.role))
            previous = author.role
        out.append(author.name)
    return " ".join(out)


def story(article: Article) -> Story:
    body = [p.replace("\\", "") for p in article.body.split("\n\n") if p]
    lead = _LEAD.match(body[0]) if body else None
    named_in_lead = {a.name for a in article.authors if lead and a.name in lead.group(2)}
    rest = tuple(a for a in article.authors if a.name not in named_in_lead)
    column_authors = tuple(a for a in rest if a.role == "作者")
    others = tuple(a for a in rest if a.role != "作者")
    byline = credit = None
    if article.kind == "photo" and others:
        credit = printed_names(others) + " 摄"
    elif others:
        byline = printed_names(others)
    if column_authors:
        byline = "□" + " ".join(a.name for a in column_authors)
    derived = is_derived_title(article)
    note = article.title if article.kind == "notice" else None
    return Story(
        kind=article.kind, kicker=article.kicker, title=None if derived or note else article.title,
        subtitle=article.subtitle, column=article.column, summary=article.summary, byline=byline, credit=credit,
        continued_from=article.continued_from, note=note, paragraphs=tuple(body),
        gold_title=article.title, authors=tuple(a.name for a in article.authors), province=article.province,
    )


@cache
def seed_stories() -> tuple[Story, ...]:
    """Every reviewed article of the seed pages, in a stable order."""
    out = []
    for path in sorted(CONTENT.rglob("*.md")):
        if any(part.startswith(("_", ".")) for part in path.relative_to(CONTENT).parts):
            continue
        article, _ = parse_article(path.read_text("utf-8"), str(path))
        if article is not None:
            out.append(story(article))
    return tuple(out)
