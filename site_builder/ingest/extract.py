"""One segmented item → the fields of an article: headline parts, byline, dateline, body.

>>> parse_lead_authors("记者王伟 通讯员刘捷 顾峰")
(Author(name='王伟', role='记者'), Author(name='刘捷', role='通讯员'), Author(name='顾峰', role='通讯员'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from site_builder.ingest.clean import CJK, clean_paragraph, clean_text, letters
from site_builder.ingest.confidence import SURE, Doubt, doubt
from site_builder.ingest.layout import CONT_RE, CREDIT_RE, Line, column_label
from site_builder.ingest.titles import Headline, split_headline
from site_builder.ingest.units import Unit, span
from site_builder.models import Author, Kind

ROLE_WORDS = ("特约记者", "见习记者", "摄影记者", "记者", "通讯员", "实习生")
_ROLE_SPLIT = re.compile(r"(本报|新华社|中新社)?(特约记者|见习记者|摄影记者|记者|通讯员|实习生)")
_LEAD_RE = re.compile(
    f"^(?P<lead>(?:本报讯|(?P<agency>本报|新华社|中新社)(?P<place>[{CJK}]{{2,8}}?)?(?P<date>\\d{{1,2}}月\\d{{1,2}}日)?电))"
    r" ?(?:（(?P<names>[^（）]{1,60})）)?"
)
_DATELINE_RE = re.compile(r"^(\d{1,2}月\d{1,2}日)")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_MD_LINE_START = re.compile(r"^([#+\-=|>]|\d+[.)])")


@dataclass(frozen=True)
class Extracted:
    """An item's fields before it gets an id and a date; `consumed` lists the page furniture
    the fields stand for (`本报` of a byline, `摄` of a credit, the `阅读提示` label…), so that
    every character of the page is accounted for."""

    kind: Kind
    title: str
    title_derived: bool
    kicker: str | None
    subtitle: str | None
    column: str | None
    dateline: str | None
    dateline_place: str | None
    authors: tuple[Author, ...]
    summary: str | None
    continued_from: str | None
    body: str
    lines: tuple[int, int]
    consumed: tuple[str, ...]
    lead_authors: int = 0  # the first authors are named in the body's lead, not in a byline
    doubt: Doubt = SURE  # how sure the ingest is of the item's boundaries and headline


def parse_lead_authors(names: str) -> tuple[Author, ...]:
    """`记者柳姗姗 彭冰 通讯员谷业琳` → authors with roles; names split on spaces and 、."""
    authors: list[Author] = []
    role = "记者"
    pos = 0
    for match in _ROLE_SPLIT.finditer(names):
        authors += _names(names[pos : match.start()], role)
        role = (match.group(1) or "") + match.group(2) if match.group(1) in ("新华社", "中新社") else match.group(2)
        pos = match.end()
    authors += _names(names[pos:], role)
    return tuple(authors)


def _names(text: str, role: str) -> list[Author]:
    return [Author(n, role) for n in re.split(r"[ 、，,]+", text.strip()) if n]


def parse_byline(text: str) -> tuple[tuple[Author, ...], list[str]]:
    """`本报记者 张翀 本报通讯员 张婧 谢朝华` → authors, and the `本报` prefixes consumed."""
    consumed = re.findall(r"本报", text)
    return parse_lead_authors(text.replace("本报", " ")), consumed


def markdown_escape(text: str) -> str:
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(r"\\\1", text)


def body_paragraphs(lines: list[Line]) -> tuple[list[str], list[Author], list[str], str | None]:
    """Body lines → Markdown paragraphs, with credits and column authors taken out."""
    paragraphs: list[str] = []
    authors: list[Author] = []
    consumed: list[str] = []
    continued_from: str | None = None
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(markdown_escape(_clean_body_paragraph(current)))
            current.clear()

    for line in lines:
        text = line.text
        if line.kind in ("BYLINE", "CREDIT", "COLUMN_AUTHOR"):
            flush()
            credit = text.removesuffix("摄").strip()
            if line.kind == "COLUMN_AUTHOR":
                consumed.append(text[0])
                authors.append(Author(text[1:].strip(), "作者"))
            else:
                found, prefixes = parse_byline(credit)
                authors += found
                consumed += prefixes + (["摄"] if text.endswith("摄") else [])
            continue
        if line.kind == "SUBHEAD":
            flush()
            paragraphs.append("## " + markdown_escape(clean_text(text)))
            continue
        if line.kind == "CONT":
            flush()
            match = CONT_RE.match(text)
            assert match is not None
            continued_from = f"第{match.group(1)}版"
            consumed.append(re.sub(r"[ \d]", "", match.group(0)).replace("第", "").replace("版", ""))
            text = text[match.end() :].strip()
            if not text:
                continue
        if line.kind == "CAPTION_END":
            match = CREDIT_RE.search(text)
            assert match is not None
            current.append(text[: match.start()].strip())
            flush()
            found, prefixes = parse_byline(match.group(1))
            authors += found
            consumed += [*prefixes, "摄"]
            continue
        if current and not paragraphs and lines[0].kind == "LEAD" and _names_break(current[-1], text):
            current[-1] += " " + text  # one line: lines are joined with nothing between them
        else:
            current.append(text)
        if line.paragraph_end:
            flush()
    flush()
    return paragraphs, authors, consumed, continued_from


_ROLE_PREFIX = re.compile(f"^(?:本报|新华社|中新社)?(?:{'|'.join(ROLE_WORDS)})")


def _names_break(previous: str, text: str) -> bool:
    """A news lead's names broken over two lines between two names (`（记者王伟 通讯员刘捷` /
    `顾峰）…`): a name has two or three characters, so two runs of two or more around the
    break, no role word across it (`实习` / `生谢迟`), are two names, and the space between
    them is kept."""
    opened = max(previous.rfind("（"), previous.rfind("("))
    if opened < 0 or any(c in previous[opened:] for c in "）)"):
        return False
    tail = re.split(r"[ 、]", previous[opened + 1 :])[-1]
    head = re.match(f"[{CJK}]*", text).group()  # type: ignore[union-attr]
    if len(text) == len(head) or text[len(head)] not in " 、）)" or head.startswith(ROLE_WORDS):
        return False
    joined = tail + head
    for role in ROLE_WORDS:
        if any(m.start() < len(tail) < m.start() + len(role) for m in re.finditer(role, joined)):
            return False
    name = _ROLE_PREFIX.sub("", tail)
    return len(name) >= 2 and len(head) >= 2 and bool(re.fullmatch(f"[{CJK}]+", name))


def _clean_body_paragraph(lines: list[str]) -> str:
    """A paragraph's lines → one line of text. Spaces left after the line-by-line rules are
    real (`（记者王伟 通讯员刘捷 顾峰）`, `“缘聚中国铁建 情定千年雄安”`, `8月8日 星期一 晴`)."""
    return clean_paragraph(lines)


def extract(unit: Unit) -> Extracted:
    paragraphs, authors, consumed, continued_from = body_paragraphs(unit.lines)
    # The text's words tell a headline line broken inside a word (asked of blocks of two lines or more).
    text = letters("".join(paragraphs)) if unit.head and len(unit.head.lines) > 1 else ""
    head = split_headline([x.text for x in unit.head.lines], text) if unit.head else Headline("")
    kicker, title, subtitle = head.kicker, head.title, head.subtitle
    dateline = place = None
    lead_authors = 0
    if paragraphs:
        match = _LEAD_RE.match(paragraphs[0])
        if match:
            if match.group("names"):
                named = parse_lead_authors(match.group("names").replace("\\", ""))
                authors, lead_authors = [*named, *authors], len(named)
            rest = paragraphs[0][match.end() :]
            date = match.group("date") or (_DATELINE_RE.match(rest).group(1) if _DATELINE_RE.match(rest) else None)  # type: ignore[union-attr]
            dateline, place = date, match.group("place")
    summary = None
    if unit.summary is not None:
        consumed.append(unit.summary.lines[0].text.replace(" ", ""))
        summary = clean_paragraph([x.text for x in unit.summary.lines[1:]]) or None
    # A stray OCR letter beside a column label (`非凡十年·工会篇 l`) is no part of it.
    columns = [column_label(clean_text(c.lines[0].text).replace(" ", ""))[0] for c in unit.columns]
    columns += [head.column] if head.column else []
    notes = [c.lines[0].text.replace(" ", "") for c in unit.notes]
    has_credit = any(x.kind in ("CAPTION_END", "CREDIT") for x in unit.lines)
    kind: Kind = "notice" if notes else "continuation" if continued_from else "photo" if has_credit else "article"
    derived = not title
    if notes and not title:
        title, derived = notes[0], False
        notes = notes[1:]
    if not title:
        title = _title_from_body(paragraphs)
    first, last = span(unit)
    return Extracted(
        kind=kind, title=title, title_derived=derived, kicker=kicker, subtitle=subtitle,
        column=" ".join(columns) or None, dateline=dateline, dateline_place=place,
        authors=tuple(dict.fromkeys(authors)), summary=summary, continued_from=continued_from,
        body="\n\n".join(paragraphs), lines=(first, last), consumed=(*consumed, *notes),
        lead_authors=lead_authors, doubt=doubt(unit, kind, derived),
    )


def _title_from_body(paragraphs: list[str]) -> str:
    """A fragment printed without a headline is named by its first words."""
    text = next((p for p in paragraphs if not p.startswith("## ")), "").replace("\\", "")
    clause = re.split(r"[。！？；]", text, maxsplit=1)[0]
    return clause[:24] + "……" if len(clause) > 24 or clause != text else clause or "（无标题）"


__all__ = ["Extracted", "extract", "parse_byline", "parse_lead_authors"]
