"""Classify each line of a raw page by the role it plays in newspaper layout.

A page's lines are column lines of body text (`T`), headline lines (`H`), or page furniture
recognised by its form: news leads (`本报讯…`, `本报北京9月15日电`, `新华社北京…电`), feature
bylines (`本报记者 X 本报通讯员 Y`), continuation markers (`（上接第1版）`), photo credits
(`本报通讯员 X 摄`, `新华社记者 X摄`), the reading box label (`阅 读 提 示`), column labels
(`非凡十年·工会篇`), a column author (`□田晓青`), notes to the reader (`开栏的话`), and stray
OCR marks (`l`, `|`) that belong to no text.

Whether a short line is a headline or the last line of a paragraph depends on the width of
the column around it: widths are measured locally, since they vary from 12 to 45 characters
between the items of one page. The page-level rules that settle headline blocks are in
`headlines.py`.
"""

from __future__ import annotations

import statistics
from itertools import pairwise

from site_builder.ingest.headlines import settle
from site_builder.ingest.layout import (
    BODY_KINDS,
    CREDIT_RE,
    MAX_HEADLINE_WIDTH,
    PARAGRAPH_END_RE,
    Line,
    display_width,
    furniture_kind,
    headline_shaped,
    is_diary_date,
    unclosed,
)


def _column_widths(widths: list[float]) -> list[float]:
    """For each line, the typical width of full lines around it (upper quartile of ±8 lines)."""
    out = []
    for i in range(len(widths)):
        window = sorted(widths[max(0, i - 8) : i + 9])
        out.append(window[int(len(window) * 0.7)] if window else 0.0)
    return out


def _blank_separated(numbered: list[tuple[int, str]]) -> bool:
    """Do blank lines separate blocks on this page? Not when they follow every line, nor when
    they follow nearly every sentence end (they then separate paragraphs)."""
    pairs = list(pairwise(numbered))
    gaps = [b[0] - a[0] > 1 for a, b in pairs]
    ends = [gap for (a, _), gap in zip(pairs, gaps, strict=True) if PARAGRAPH_END_RE.search(a[1])]
    return any(gaps) and sum(gaps) <= 0.4 * len(pairs) and sum(ends) < 0.7 * max(1, len(ends))


def classify(raw: tuple[str, ...]) -> list[Line]:
    """Non-blank lines of a page with their layout role."""
    numbered = [(n, text.strip()) for n, text in enumerate(raw, 1) if text.strip()]
    widths = [display_width(t) for _, t in numbered]
    columns = _column_widths(widths)
    # One paragraph per line (a different extractor): column width means nothing there.
    if numbered and statistics.median(widths) > 2 * MAX_HEADLINE_WIDTH:
        columns = [max(widths)] * len(widths)
    separated = _blank_separated(numbered)
    lines: list[Line] = []
    previous_number = 0
    box: list[float] | None = None  # widths of the reading box's lines, while in one
    for (number, text), width, column in zip(numbered, widths, columns, strict=True):
        furniture = furniture_kind(text)
        kind = furniture or ("T" if box is not None else _text_or_headline(text, width, column, lines))
        gap = separated and number - previous_number > 1 and bool(lines)
        line = Line(number, text, kind, width, column, gap_before=gap)
        lines.append(line)
        previous_number = number
        box = _in_box(box, line)
    return settle(lines)


def _in_box(box: list[float] | None, line: Line) -> list[float] | None:
    """A reading box (`阅读提示`) holds one paragraph, set in its own width: its lines are text
    up to a sentence end short of that width (or an item opener)."""
    if line.kind == "SUMMARY":
        return []
    if box is None or line.kind != "T":
        return None
    widths = [*box, line.width]
    if line.sentence_end and (len(widths) == 1 or line.width < max(widths) - 2.5):
        return None
    return widths


def _text_or_headline(text: str, width: float, column: float, before: list[Line]) -> str:
    previous = before[-1] if before else None
    open_paragraph = previous is not None and previous.kind in BODY_KINDS and not previous.paragraph_end
    # Inside a paragraph (most lines) the shape is not asked: the line goes on with it.
    shaped = not (open_paragraph and previous is not None and not previous.sentence_end) \
        and headline_shaped(text, width, column)
    # A sentence ending exactly at the column edge may still close the paragraph: a
    # headline-shaped line after it says so, since a paragraph's last line ends a sentence.
    continues = open_paragraph and not (shaped and previous is not None and previous.sentence_end)
    if text.endswith("摄") and CREDIT_RE.search(text):
        return "CAPTION_END"
    if is_diary_date(text):
        return "T"
    # The line under a feature byline opens its text; a line that opens a quotation or a
    # bracket it does not close goes on in the next line.
    if continues or (previous is not None and previous.kind == "BYLINE") or unclosed(text):
        return "T"
    return "H" if shaped else "T"

