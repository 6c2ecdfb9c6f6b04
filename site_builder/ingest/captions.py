"""How a photo caption shows among a page's lines: it opens with the day the photo was taken
and a few lines further down a credit closes it.

>>> opens_with_day("10 月29日，工作人员在雪地中搬运通信光缆。")
True
"""

from __future__ import annotations

import re

from site_builder.ingest.layout import Line

# A caption often opens with the day the photo was taken (`2月 16日，`, `13日一大早`).
DATE_START_RE = re.compile(r"^(?:\d{4} ?年 ?)?(?:\d{1,2} ?月 ?)?\d{1,2} ?日")
CAPTION_DAY_RE = re.compile(r"^\d{1,2}月\d{1,2}日[，,]")


def opens_with_day(text: str) -> bool:
    """`10月29日，…`, spaces aside: how a photo caption opens."""
    return bool(CAPTION_DAY_RE.match(text.replace(" ", "")))


def caption_follows(lines: list[Line], j: int) -> bool:
    """Text from line `j` is closed by a photo credit before anything else starts."""
    for line in lines[j : j + 14]:
        if line.kind in ("CAPTION_END", "CREDIT"):
            return True
        if line.kind != "T":
            return False
    return False


def caption_opens(lines: list[Line], j: int) -> bool:
    """A photo caption starts at line `j`: the day the photo was taken, then a credit."""
    return opens_with_day(lines[j].text) and caption_follows(lines, j)
