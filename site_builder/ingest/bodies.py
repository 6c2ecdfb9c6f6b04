"""Where one item's text ends and the next one's begins, when no headline stands between them.

Items are set in boxes of their own column width (12 to 45 characters on one page): a reader
sees a new item where the width of the text changes at a paragraph end, as when a photo
caption (wider, under its photo) follows an article, or a feature follows a news item. A
caption is closed by its credit (`… 摄`); an article that opens with a news lead or a
continuation mark never ends with a photo credit, so its last dated paragraph
(`2月16日，演员在开幕式现场表演。`) is where the caption begins.

>>> [len(part) for part in split_text(lines)]  # doctest: +SKIP
[14, 3]
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from itertools import pairwise

from site_builder.ingest.captions import DATE_START_RE, opens_with_day
from site_builder.ingest.layout import Line

# A change of column width this large (in em, and as a share) is a new box.
WIDTH_STEP = 3.0
WIDTH_SHARE = 0.15
# How a caption opens: the day the photo was taken, or 近日/图为 ….
CAPTION_START_RE = re.compile(DATE_START_RE.pattern + "|^(?:近日|日前|图为|当日|今年|近年来)")
# `（作者单位：中国工运研究所）` ends a signed article.
_SIGN_OFF = re.compile(r"[（(]作者单位[：:][^（）()]*[）)]$")
CLEAR_SIGN_OFF = 5.0
# A caption is a few sentences: its dated start lies within this many characters of its credit.
CAPTION_CHARS = 400


@dataclass(frozen=True)
class Split:
    """A body cut in two before line `at`, and why (for the review list)."""

    at: int  # index into the body's lines
    reason: str
    strength: float  # how clear the cue is: the width step in em, or 1 for a dated caption


def paragraphs(lines: list[Line]) -> list[tuple[int, int]]:
    """(start, end) index ranges of the paragraphs of a body's lines."""
    out: list[tuple[int, int]] = []
    start = 0
    for i, line in enumerate(lines):
        if line.paragraph_end or line.kind in ("SUBHEAD", "BYLINE", "CREDIT") or i == len(lines) - 1:
            out.append((start, i + 1))
            start = i + 1
    return out


def _width(lines: list[Line]) -> float | None:
    """The column width a paragraph is set in: its full lines (not its last, nor a first
    line indented, nor a subhead closing it), or None when it has too few lines to tell."""
    text = [x for x in lines if x.kind != "SUBHEAD"]
    inner = [x.box for x in text[:-1] if x.kind in ("T", "LEAD", "CONT")]
    # Two column lines glued into one by the extraction say nothing of the column.
    inner = [w for w in inner if w < 1.7 * min(inner) and w < 1.45 * statistics.median(inner)] if inner else inner
    if len(inner) < 2:
        return None
    return statistics.median(inner[1:] if len(inner) > 2 else inner)


def splits(lines: list[Line]) -> list[Split]:
    """Where a body's text changes box: at a paragraph end, a step in column width; before a
    closing photo caption, its dated first paragraph."""
    found: list[Split] = []
    spans = paragraphs(lines)
    widths = [_width(lines[a:b]) for a, b in spans]
    known = [k for k, w in enumerate(widths) if w is not None]
    for k1, k2 in pairwise(known):
        before, after = widths[k1], widths[k2]
        assert before is not None and after is not None
        step = abs(after - before)
        if step >= WIDTH_STEP and step >= WIDTH_SHARE * min(after, before):
            # Short paragraphs between the two stay in the old box unless a line is too wide for
            # it, or the new box is a photo caption and one of them opens as captions do (`10月29日，`).
            to_caption = _closed_by_credit(lines, spans[k2][0])
            start = next((spans[k][0] for k in range(k1 + 1, k2)
                          if max(x.box for x in lines[spans[k][0] : spans[k][1]]) > before + 1.5
                          or (to_caption and CAPTION_START_RE.match(lines[spans[k][0]].text))), spans[k2][0])
            if to_caption:
                start = _dated_sentence_before(lines, start, spans[k1][0])
            found.append(Split(start, f"column width {before:.0f} → {after:.0f}", step))
    for i in range(1, len(lines)):
        if lines[i].gap_before and lines[i - 1].paragraph_end and not any(s.at == i for s in found):
            found.append(Split(i, "a blank line between blocks", 1.0))
    # An article signs off with its author's workplace: what follows is another item.
    for _, b in spans[:-1]:
        text = "".join(x.text for x in lines[max(0, b - 3) : b]).replace(" ", "")
        if _SIGN_OFF.search(text) and not any(s.at == b for s in found):
            found.append(Split(b, "the text above signs off (作者单位)", CLEAR_SIGN_OFF))
    found += _wider_paragraphs(lines, spans, widths, found)
    caption = _caption_start(lines, spans)
    if caption is not None and not any(s.at >= caption for s in found):
        found.append(Split(caption, "a dated photo caption closes an article", 1.0))
    return sorted(found, key=lambda s: s.at)


def _dated_sentence_before(lines: list[Line], start: int, floor: int) -> int:
    """A caption's first sentence may end its line at the column edge of the box above
    (`10月29日，工作人员在雪地中搬运通信光缆。`): a sentence of a line or two right before
    the caption's box, opening with the day, after a sentence end, starts the caption."""
    for i in range(start - 1, max(floor, start - 3), -1):
        if lines[i - 1].sentence_end and opens_with_day(lines[i].text) \
                and not any(x.sentence_end for x in lines[i : start - 1]) and lines[start - 1].sentence_end:
            return i
    return start


def _closed_by_credit(lines: list[Line], start: int) -> bool:
    """The text from `start` is a photo caption: a few sentences closed by a credit."""
    chars = 0
    for line in lines[start:]:
        chars += len(line.text)
        if line.kind in ("CAPTION_END", "CREDIT"):
            return True
        if chars > CAPTION_CHARS:
            return False
    return False


def _wider_paragraphs(lines: list[Line], spans: list[tuple[int, int]], widths: list[float | None],
                      found: list[Split]) -> list[Split]:
    """A paragraph that opens wider than the column of the paragraphs before it is in
    another box (a caption under a photo spans more columns)."""
    out: list[Split] = []
    column: float | None = None
    for k, ((a, b), width) in enumerate(zip(spans, widths, strict=True)):
        if any(s.at == a for s in [*found, *out]):
            column = width
            continue
        # A new box shows in the paragraph's first line: a wider line further down is two
        # column lines glued together by the extraction. So is a paragraph of one wide line,
        # or opening two columns wide, with no credit (no caption), when the text under it
        # goes on in the old column.
        first = lines[a].box if lines[a].kind in ("T", "CONT") else 0.0
        after = next((w for w in widths[k + 1 :] if w is not None), None)
        one_line = sum(x.kind != "SUBHEAD" for x in lines[a:b]) == 1
        double = column is not None and abs(first - 2 * column) <= 3.5
        # … the text goes on in the old column: under it, or in this paragraph's other lines.
        same_box = column is not None and any(w is not None and abs(w - column) < WIDTH_STEP
                                              for w in (after, width if double else None))
        glued_line = (one_line or double) and same_box \
            and not any(x.kind in ("CAPTION_END", "CREDIT") for x in lines[a:b])
        if column is not None and first > column + WIDTH_STEP and not _glued_first(lines, a, b, column) \
                and not glued_line:
            out.append(Split(a, f"a line of {first:.0f} in a column of {column:.0f}", first - column))
            column = width
        elif width is not None:
            column = width
    return out


def _glued_first(lines: list[Line], a: int, b: int, column: float) -> bool:
    """The paragraph from line `a` opens with two column lines glued into one: its first line
    is about two columns wide and the line under it, not its last, is one column wide."""
    return b - a >= 3 and abs(lines[a].box - 2 * column) <= 3.5 and abs(lines[a + 1].box - column) <= 1.5


def _caption_start(lines: list[Line], spans: list[tuple[int, int]]) -> int | None:
    """In an item that opens as an article (news lead, continuation mark, byline) and closes
    with a photo credit, the first dated paragraph near the credit starts the caption."""
    if not lines or lines[-1].kind not in ("CAPTION_END", "CREDIT") or lines[0].kind not in ("LEAD", "CONT", "BYLINE"):
        return None
    # Paragraph starts, and lines after a sentence end (a sentence may end at the column edge).
    starts = {a for a, _ in spans[1:]} | {i for i in range(1, len(lines)) if lines[i - 1].sentence_end}
    chars = 0
    start = None
    for i in range(len(lines) - 1, 0, -1):
        chars += len(lines[i].text)
        if chars > CAPTION_CHARS:
            break
        if i in starts and CAPTION_START_RE.match(lines[i].text):
            start = i
    return start


def split_text(lines: list[Line]) -> list[tuple[list[Line], Split | None]]:
    """A body's lines cut where its text changes box, each part with the cut that opens it."""
    found = splits(lines)
    cuts = [0, *(s.at for s in found), len(lines)]
    opened: list[Split | None] = [None, *found]
    return [(lines[a:b], split) for (a, b), split in zip(pairwise(cuts), opened, strict=True) if b > a]
