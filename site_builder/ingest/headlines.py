"""Settle which lines of a page are headline lines, from what surrounds them.

A line alone says little: `国产喷气支线客机ARJ21首开国际航线` is as wide as the column of
the text above it. What a reader uses is the paragraph logic of body text — every paragraph
ends with a sentence, every line inside one fills the column — so lines that start after a
closed paragraph and stop short, without ending a sentence, before a new block (an item
opener, a wider photo caption, the page end) are a headline. The other way round, a line
that reads as the first line of the paragraph under it (as wide as that column, a clause
inside) is text, and a line ending `——` is a kicker only when a headline line follows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from site_builder.ingest.captions import DATE_START_RE, caption_follows, caption_opens
from site_builder.ingest.clean import is_letter_spaced
from site_builder.ingest.layout import (
    BODY_KINDS,
    MAX_HEADLINE_WIDTH,
    OPENERS,
    Line,
    is_listing,
    opens_sentence,
    unclosed,
)

_CLAUSE_MARKS = re.compile(r"[，、；：,;:]")
_INNER_COMMA = re.compile(r"[，,](?=.)")
_INNER_CLAUSE = re.compile(r"[，。；：！？,;:!?](?=.)")
# A line that opens with the end of a sentence (`技术。近年来`) goes on from the line above.
_SENTENCE_TAIL = re.compile(r"^(?:[^，。！？、；：“”（）]{1,6}[。！？；]|[^，。！？、；：“”（）][，、])")


def settle(lines: list[Line]) -> list[Line]:
    """Per-line kinds → kinds that hold on the page."""
    out = _indents(lines)
    out = _false_kickers(out)
    out = _kickers_wrapped_over_lines(out)
    out = _headlines_before_furniture(out)
    out = _unterminated_openings(out)
    out = _first_lines_of_paragraphs(out)
    out = _headlines_before_sentences(out)
    return _column_labels(out)


def _closed(before: Line | None) -> bool:
    """Nothing of a paragraph is open before this point."""
    return before is None or before.kind not in BODY_KINDS or before.paragraph_end \
        or before.sentence_end


def _false_kickers(lines: list[Line]) -> list[Line]:
    """`河北省高级人民法院自主研发的微信小程序——` followed by `“老赖地图”近日正式上线。…，`
    is a sentence with a dash, not a kicker: a kicker is followed by a title, not by a line
    that fills the column with a list of clauses (`“热了、渴了、累了，请到爱心驿站”，约…`)."""
    out = list(lines)
    for i, line in enumerate(out[:-1]):
        nxt = out[i + 1]
        listing = nxt.full and len(_CLAUSE_MARKS.findall(nxt.text)) >= 2
        if line.kind == "H" and line.text.endswith("——") and nxt.kind == "T" and (nxt.clause_end or listing):
            out[i] = replace(line, kind="T")
    return out


def _kickers_wrapped_over_lines(lines: list[Line]) -> list[Line]:
    """A kicker of two lines (`…补足服务短板，` / `…的喜悦——`) reads as a paragraph at first:
    it is a headline when it stands alone and a headline line follows it."""
    out = list(lines)
    for i, line in enumerate(out):
        if line.kind != "T" or not line.text.endswith("——"):
            continue
        start = i
        while start > 0 and out[start - 1].kind == "T" and not out[start - 1].paragraph_end and i - start < 2:
            start -= 1
        fresh = start == 0 or out[start - 1].kind != "T" or out[start - 1].paragraph_end
        nxt = out[i + 1] if i + 1 < len(out) else None
        after = out[i + 2] if i + 2 < len(out) else None
        title_follows = nxt is not None and nxt.kind in ("H", "T") and _unpunctuated(nxt) and (
            nxt.width <= nxt.column_width - 3.5 or after is None or after.kind in OPENERS or after.kind == "H"
        )
        if fresh and title_follows and nxt is not None:
            for j in range(start, i + 1):
                out[j] = replace(out[j], kind="H")
            out[i + 1] = replace(nxt, kind="H")
    return out


def _headlines_before_furniture(lines: list[Line]) -> list[Line]:
    """Short unpunctuated lines that stand between a closed paragraph and an item
    opener (a news lead, a byline, a continuation marker…) or the page end are a headline,
    even when one of them happens to be as wide as the column."""
    out = list(lines)
    narrow = _unpunctuated_lines(out)
    wide = _unpunctuated_lines(out, wide=True)
    i = 0
    while i < len(out):
        if out[i].kind != "T":
            i += 1
            continue
        j = i
        under_head = i > 0 and out[i - 1].kind == "H"
        while j < len(out) and j - i < 6 and out[j].kind == "T" and (wide if j > i or under_head else narrow)[j]:
            j += 1
        after = out[j] if j < len(out) else None
        # Two blocks (one after the text above, one before the text below) may stand there
        # together: more than four lines when one of them stops short, as a headline does,
        # not five lines filling the column, as a paragraph does.
        blocks = j - i <= 4 or not all(x.full for x in out[i:j])
        if j > i and blocks and _closed(out[i - 1] if i else None) \
                and (after is None or after.kind in (*OPENERS, "H", "STRAY")):
            for k in range(i, j):
                out[k] = replace(out[k], kind="H")
            i = j
        # A run that is no headline may hold the start of one (after the line that closes
        # the paragraph above, `研究所）`).
        i += 1
    return out


def _unterminated_openings(lines: list[Line]) -> list[Line]:
    """A 'paragraph' that opens after a closed one and stops without ending a sentence is no
    paragraph: lines after a closed paragraph, none ending a clause, are a headline when the
    text under them cannot be their continuation — the last of them stops short of the
    others (inside a paragraph every line fills the column), or a wider block (a photo
    caption, a dated line) starts under them."""
    out = list(lines)
    narrow = _unpunctuated_lines(out)
    i = 0
    while i < len(out):
        j = i
        while j < len(out) and j - i < 4 and out[j].kind == "T" and narrow[j]:
            j += 1
        # A photo caption opens with the day the photo was taken (`9月15日，威高集团…`): the
        # run stops where one starts, closed by its credit.
        j = next((k for k in range(i + 1, j) if caption_opens(out, k)), j)
        if i < j < len(out) and out[j].kind == "T" and _closed(out[i - 1] if i else None):
            run = out[i:j]
            widest = max(x.width for x in run)
            # Against the middle width of the lines above: one glued line says nothing, nor
            # does a line wider than the column (two column lines glued into one).
            above = sorted(x.width for x in run[:-1] if x.width <= x.column_width + 3) or [0.0]
            stops_short = len(run) > 1 and run[-1].width < above[len(above) // 2] - 3.5
            wider_block = len(run) <= 3 and out[j].width > widest + 4 and not _glued(out, j) \
                and (caption_follows(out, j) or bool(DATE_START_RE.match(out[j].text)))
            # … or a photo caption opens under them with the day it was taken.
            wider_block = wider_block or (len(run) <= 3 and bool(DATE_START_RE.match(out[j].text)) \
                and caption_follows(out, j))
            if stops_short or wider_block:
                for k in range(i, j):
                    out[k] = replace(out[k], kind="H")
            else:
                m = next((m for m in (1, 2) if m <= len(run) and _paragraph_opens_under(out, run[:m], i + m)), 0)
                for k in range(i, i + m):
                    out[k] = replace(out[k], kind="H")
            i = max(j, i + 1)
        else:
            i += 1  # the run may hold the start of one, after a line closing a paragraph
    return out


def _glued(lines: list[Line], j: int) -> bool:
    """Line `j` is two column lines glued into one by the extraction: about twice as wide
    as the line under it, which is as wide as the column."""
    if j + 1 >= len(lines) or lines[j + 1].kind != "T":
        return False
    below = lines[j + 1]
    return abs(below.width - below.column_width) <= 2 and abs(lines[j].width - 2 * below.width) <= 3.5


def _paragraph_opens_under(lines: list[Line], run: list[Line], j: int) -> bool:
    """One or two lines without a clause mark, and under them a line indented against both them and
    the line after it: a paragraph opens there, so theirs closed without a sentence end."""
    if len(run) > 2 or j + 1 >= len(lines) or lines[j + 1].kind not in ("T", "CAPTION_END") \
            or any(re.search(r"[，、；：,;:]", x.text) for x in run):
        return False
    below, after = lines[j], lines[j + 1]
    return _wider(run[-1], below, 1.9) and _wider(after, below, 1.9) and not below.paragraph_end


def _first_lines_of_paragraphs(lines: list[Line]) -> list[Line]:
    """Lines at the end of a headline run that read as the first lines of the paragraph under
    them (not a photo caption, which opens on its own) are text: they fit that paragraph's
    column (the first one indented), none ends a clause, and either the paragraph's first line closes their sentence (`技术。近年来，…`)
    or a clause inside them says they are a sentence
    (`金秋十月，新疆南部的塔里木盆地迎来最美` / `季节，吸引了大批游客。…`)."""
    out = list(lines)
    for i, b in _runs(out, "H"):
        if b < len(out) and out[b].kind in ("T", "CAPTION_END") and not caption_opens(out, b):
            closes = bool(_SENTENCE_TAIL.match(out[b].text.replace(" ", "")))
            # The column of the paragraph under them; or, when that paragraph is a line or two
            # closing a sentence, the column of the text above them, which it goes on in.
            columns = [_box_column(out, b)]
            above = _column_above(out, i)
            if above is not None and out[b].box <= above + 1.5 and (out[b].sentence_end or closes):
                columns.append(above)
            for column in columns:
                # The longest tail whose first line fits as a paragraph's (indented) first
                # line and whose other lines fill the column.
                k = b
                while k - 1 >= i and _fits(out[k - 1], column, first=True) and all(
                        _fits(x, column, first=False) for x in out[k:b]):
                    k -= 1
                tail = out[k:b]
                if tail and (closes or any(_INNER_COMMA.search(x.text) for x in tail)) \
                        and _fits(tail[0], column, first=True):
                    for n in range(k, b):
                        out[n] = replace(out[n], kind="T")
                    break
    return out


def _headlines_before_sentences(lines: list[Line]) -> list[Line]:
    """Lines that end no clause, followed by a line that opens a sentence (`10月26日，…`,
    `今年，…`), are no text: a text line that stops mid-sentence goes on in the next one. Up
    to three of them after a closed paragraph are a headline; a line right under a headline
    line, its subtitle, however long (`开展5个行业62个工种劳动和技能竞赛，参赛职工超过2000万人，…`)."""
    out = list(lines)
    narrow, wide = _unpunctuated_lines(out), _unpunctuated_lines(out, wide=True)
    for i in range(len(out) - 1):
        under_head = i > 0 and out[i - 1].kind == "H"
        if out[i].kind != "T" or not (under_head or _closed(out[i - 1] if i else None)):
            continue
        j = i
        while j < len(out) - 1 and j - i < 3 and out[j].kind == "T" \
                and (wide if under_head or j > i else narrow)[j] and not opens_sentence(out[j].text):
            j += 1
        if j > i and out[j].kind in ("T", "CAPTION_END") and opens_sentence(out[j].text):
            for k in range(i, j):
                out[k] = replace(out[k], kind="H")
    return out


def _column_above(lines: list[Line], i: int) -> float | None:
    """The column of the text right above line `i`: the median box width of its full lines."""
    widths = [x.box for x in lines[max(0, i - 5) : i] if x.kind in ("T", "LEAD", "CONT") and not x.paragraph_end]
    if len(widths) < 3 or lines[i - 1].kind not in BODY_KINDS:
        return None
    return sorted(widths)[len(widths) // 2]


def _runs(lines: list[Line], kind: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each maximal run of lines of one kind."""
    i = 0
    while i < len(lines):
        if lines[i].kind != kind:
            i += 1
            continue
        end = i
        while end < len(lines) and lines[end].kind == kind:
            end += 1
        yield i, end
        i = end


def _box_column(lines: list[Line], b: int) -> float:
    """The column of the text from line `b`: the median box width of its next lines."""
    widths = [x.box for x in lines[b : b + 5] if x.kind == "T" and not x.paragraph_end]
    return sorted(widths)[len(widths) // 2] if widths else lines[b].box


def _fits(line: Line, column: float, *, first: bool) -> bool:
    """Could `line` be a line of a paragraph set in `column` (its first line indented)?"""
    width = line.box
    low = column - (4.5 if first else 1.5)
    return low <= width <= column + 1.5 and not line.clause_end and not line.text.endswith("——")


def _unpunctuated_lines(lines: list[Line], *, wide: bool = False) -> list[bool]:
    """`_unpunctuated` of each line; a headline broken inside a quotation (`北京首个“首都工` /
    `匠学院”挂牌`) counts when the next line closes the quotation without a clause end."""
    flags = [_unpunctuated(x, wide=wide) for x in lines]
    for i, line in enumerate(lines[:-1]):
        nxt = lines[i + 1]
        if not flags[i] and unclosed(line.text) and not _INNER_CLAUSE.search(line.text) and not nxt.clause_end \
                and not unclosed(line.text + nxt.text) and max(line.width, nxt.width) <= MAX_HEADLINE_WIDTH:
            flags[i] = True
    return flags


def _unpunctuated(line: Line, *, wide: bool = False) -> bool:
    """No clause ends here. A subtitle under a title may run wider than any title line, with
    clauses inside; a title line has one clause inside at most."""
    limit = MAX_HEADLINE_WIDTH * (1.5 if wide else 1.0)
    if line.opens:  # a quotation or bracket opened and not closed, or a note in brackets
        return False
    if not wide and (len(_INNER_CLAUSE.findall(line.text)) >= 2 or is_listing(line.text)):
        return False
    return line.text.endswith("——") or (not line.clause_end and line.width <= limit
                                          and not opens_sentence(line.text))


def _column_labels(lines: list[Line]) -> list[Line]:
    """A short line over a column author (`蹲点日记` / `□田晓青`), or a short letter-spaced
    one over a byline, names a column."""
    out = list(lines)
    for i, line in enumerate(out[:-1]):
        squeezed = line.text.replace(" ", "")
        below = out[i + 1].kind
        if line.kind == "H" and len(squeezed) <= 6 and (
                below == "COLUMN_AUTHOR" or (below == "BYLINE" and is_letter_spaced(line.text))):
            out[i] = replace(line, kind="COLUMN")
    return out


def _wider(line: Line, than: Line, step: float) -> bool:
    """`line` is set wider than `than`, by both measures (punctuation full or half width)."""
    return min(line.box - than.box, line.width - than.width) > step


def _indents(lines: list[Line]) -> list[Line]:
    """A paragraph's first line is indented by two characters, so it is visibly shorter than
    the column: after a sentence that ends at the column edge, such a line starts a paragraph.
    So does a line of a wider box (a caption under a photo) after a sentence end, and a
    photo caption's first line (`10月26日，…`, closed by a credit)."""
    out = list(lines)
    for i in range(len(out) - 1):
        line, nxt = out[i], out[i + 1]
        if line.kind in ("T", "LEAD", "CONT") and nxt.kind in ("T", "CAPTION_END") and line.sentence_end \
                and line.full and ((nxt.width <= nxt.column_width - 1.25 and nxt.width >= nxt.column_width - 3.5)
                                   or _wider(nxt, line, 5.0) or caption_opens(out, i + 1)):
            out[i] = replace(line, paragraph_follows=True)
    return out
