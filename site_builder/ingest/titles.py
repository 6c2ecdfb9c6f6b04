"""A headline block → kicker (引题), title (主题) and subtitle (副题), as a reader tells them.

A kicker ends with `——` or stands above a shorter title; a subtitle opens with `——`, or
follows a title it explains at more length; the main title is the short, large line. A line
of the block that breaks inside a word goes on in the next one: it ends with a number
(`贵州促进188万` / `易地搬迁群众就业`), a word that cannot end a headline (`的`, `和`, `在`…),
or it is cut inside a word the text uses (`全国县级公共法律服务中` / `心覆盖率达99.97%`).

>>> split_headline(["全国县级公共法律服务中", "心覆盖率达99.97%", "公共法律服务网络初步形成"], "公共法律服务中心、公共法律服务中心")
Headline(title='公共法律服务网络初步形成', kicker='全国县级公共法律服务中心覆盖率达99.97%', subtitle=None, column=None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from site_builder.ingest.clean import CJK, clean_text, is_letter_spaced, letters
from site_builder.ingest.layout import CLAUSE_END_RE, display_width

_NUMBER_END = re.compile(r"[0-9][0-9.]*[万亿千百余多]$")
# Words that leave a headline open: it goes on in the next line. (Not 之, which ends idioms:
# 一以贯之; a word broken after it, 致富之 / 路, is told by the text's words.)
_OPEN_END = tuple("的和与及在对向把被为从将使让")
# Two phrases: Chinese (or a quotation) on both sides of the space, not a digit or a letter.
_PHRASE_END = re.compile(f"[{CJK}”’》）]$")
_PHRASE_START = re.compile(f"[{CJK}“‘《（]")


def clean_headline(text: str) -> str:
    """Spacing of a headline line: a space between two phrases is a separator even beside a
    quotation mark (`点击“民心通” 明白又轻松`); other spaces are the extraction's."""
    text = " ".join(text.split())
    if is_letter_spaced(text):
        return clean_text(text)
    phrases: list[str] = []
    for token in text.split(" "):
        if phrases and _PHRASE_END.search(phrases[-1]) and _PHRASE_START.match(token) and _cjk_count(token) >= 2 \
                and _cjk_count(phrases[-1]) >= 2:
            phrases.append(token)
        elif phrases:
            phrases[-1] += " " + token
        else:
            phrases.append(token)
    return " ".join(clean_text(p) for p in phrases)


def _cjk_count(text: str) -> int:
    return len(re.findall(f"[{CJK}]", text))


def open_end(line: str) -> bool:
    """A headline line that cannot end a headline: a kicker's dash, a comma, a number, a
    word that needs what follows it."""
    text = clean_text(line)
    return text.endswith(("——", "，", "、")) or bool(_NUMBER_END.search(text)) or (text.endswith(_OPEN_END) and len(text) > 2)


def continues(previous: str, text: str, body: str) -> bool:
    """Does headline line `previous` break inside a phrase that goes on in `text`?"""
    if not previous or not text or previous.endswith(("——", "”", "！", "？")) or text.startswith("——"):
        return False
    if previous.endswith(("，", "、")):
        return True
    if " " in previous or " " in text:
        return False
    if _NUMBER_END.search(previous) and not text[0].isdigit():
        return True
    if previous.endswith(_OPEN_END) and len(previous) > 2:
        return True
    # Cut inside a word of the text: the text uses the word across the break more than once,
    # and wherever it has the line's last two characters the next line's first follows
    # (`服务中` → `心`), or the other way round. A phrase (`机关干部` / `下沉一线`) is no word.
    # Or the four characters around the break make a phrase the text uses more than once.
    # (Compared as letters, as `body` is: `“线上+线` / `下”助职工“脱单”` breaks `线下`.)
    before, after = letters(previous), letters(text)
    if len(before) < 2 or len(after) < 2:
        return False
    pair = before[-1] + after[0]
    return body.count(pair) >= 2 and (_always(body, before[-2:], after[0], after=True)
                                      or _always(body, after[:2], before[-1], after=False)
                                      or body.count(before[-2:] + after[:2]) >= 2)


def _always(body: str, run: str, neighbour: str, *, after: bool) -> bool:
    """`run` is in `body`, and every time with `neighbour` right after (or before) it."""
    if len(run) < 2 or run not in body:
        return False
    starts = [m.start() for m in re.finditer(re.escape(run), body)]
    if after:
        return all(body[i + len(run) : i + len(run) + 1] == neighbour for i in starts)
    return all(i > 0 and body[i - 1] == neighbour for i in starts)


def headline_parts(lines: list[str], body: str) -> list[str]:
    """Cleaned lines of a block, lines broken inside a phrase joined again."""
    parts: list[str] = []
    for line in lines:
        text = clean_headline(line)
        if parts and continues(parts[-1], text, body):
            parts[-1] += text
        else:
            parts.append(text)
    return parts


@dataclass(frozen=True)
class Headline:
    title: str
    kicker: str | None = None
    subtitle: str | None = None
    column: str | None = None  # a column label printed over the kicker


def split_headline(lines: list[str], body: str = "") -> Headline:
    """Headline lines → kicker (引题), title (主题), subtitle (副题); `body` is the item's text.
    Short lines above a kicker (`…——`) name the column (`蹲点日记`)."""
    parts = headline_parts(lines, body)
    kickers = [n for n, p in enumerate(parts[:-1]) if p.endswith("——")]
    column = None
    if kickers and kickers[-1] > 0 and all(len(p) <= 10 and not CLAUSE_END_RE.search(p) for p in parts[: kickers[-1]]):
        column = " ".join(parts[: kickers[-1]])
        parts = parts[kickers[-1] :]
    kicker, title, subtitle = _roles(parts)
    return Headline(title, kicker, subtitle, column)


def _roles(parts: list[str]) -> tuple[str | None, str, str | None]:
    if len(parts) == 1:
        return None, parts[0], None
    # By position (two lines of a block may read the same); the first line is never a subtitle.
    subtitles = [p for p in parts[1:] if p.startswith("——")]
    main = [parts[0], *(p for p in parts[1:] if not p.startswith("——"))]
    if len(main) == 1:
        return None, main[0], " ".join(subtitles)
    if main[0].endswith("——") or len(main) >= 3:
        return main[0], main[1], " ".join([*main[2:], *subtitles]) or None
    first, second = main
    if subtitles:
        return first, second, " ".join(subtitles)
    if "，" in second or display_width(first) <= display_width(second):
        return None, first, second
    return first, second, None
