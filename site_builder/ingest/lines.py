"""Classify each line of a raw page by the role it plays in newspaper layout.

A page's lines are column lines of body text (`T`), headline lines (`H`), or page furniture
recognised by its form: news leads (`本报讯…`, `本报北京9月15日电`), feature bylines
(`本报记者 X 本报通讯员 Y`), continuation markers (`（上接第1版）`), photo credits
(`本报通讯员 X 摄`), the reading box label (`阅 读 提 示`), column labels (`非凡十年·工会篇`),
a column author (`□田晓青`) and notes to the reader (`开栏的话`).

Whether a short line is a headline or the last line of a paragraph depends on the width of
the column around it: widths are measured locally, since they vary from 17 to 29 characters
between the articles of one page.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, replace

from site_builder.ingest.clean import CJK, CJK_PUNCT, is_letter_spaced

ROLE = r"(?:本报(?:特约|见习)?记者|本报(?:特约)?通讯员|新华社(?:特约)?记者|(?:特约|见习)?记者|通讯员|实习生|摄影记者|本报摄影记者)"
NAME = f"[{CJK}·]{{2,5}}"
NAMES = f"{NAME}(?: {NAME})*"
BYLINE_RE = re.compile(f"^(?:{ROLE} ?{NAMES} ?)+$")
CREDIT_RE = re.compile(f"(?:^|(?<=[。！？”）]) ?| )((?:{ROLE} ?{NAMES} ?)+) ?摄$")
LEAD_RE = re.compile(f"^(?:本报讯|(?:本报|新华社|中新社)[{CJK}0-9 ]{{1,16}}电|据新华社)")
CONT_RE = re.compile(r"^[（(] ?[上下]接第 ?(\d+) ?版 ?[)）]")
COLUMN_AUTHOR_RE = re.compile(f"^[□■◇◆] ?({NAME}(?: {NAME})?)$")
NOTE_LABELS = frozenset({"开栏的话", "编者按", "编者的话", "编后", "编后语", "记者手记", "短评", "延伸阅读", "相关链接", "新闻链接", "链接"})
SUMMARY_LABELS = frozenset({"阅读提示", "核心提示", "内容提要", "导读"})
COLUMN_RE = re.compile(f"^[{CJK}0-9A-Za-z]{{2,10}}[·・][{CJK}0-9A-Za-z]{{2,10}}$")
# A sentence or clause ends here: the line cannot be a headline.
CLAUSE_END_RE = re.compile(r"(?:[。！？；：，、,;:!?]|[。！？…][”’』」）)]+|[。！？] ?[（(][^（）()]*[）)])$")
PARAGRAPH_END_RE = re.compile(r"(?:[。！？…]|[。！？…][”’』」）)]+|[。！？] ?[（(][^（）()]*[）)])$")
MAX_HEADLINE_WIDTH = 32.0
DIARY_DATE_RE = re.compile(r"^\d{1,2} ?月 ?\d{1,2} ?日 +星期[一二三四五六日天](?: +\S{1,4})?$")
BODY_KINDS = ("T", "LEAD", "CONT", "CAPTION_END")
# Lines that open a new item: what stands right before one of them closes the item above.
OPENERS = ("LEAD", "BYLINE", "CONT", "SUMMARY", "COLUMN", "NOTE", "COLUMN_AUTHOR")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the raw file
    text: str  # as decoded (spacing not yet cleaned)
    kind: str  # T H LEAD BYLINE CONT CREDIT SUMMARY COLUMN COLUMN_AUTHOR NOTE
    width: float
    column_width: float
    # A sentence ending at the column edge, followed by an indented line: a paragraph end.
    indent_follows: bool = False

    @property
    def full(self) -> bool:
        return self.width >= self.column_width - 2.5

    @property
    def paragraph_end(self) -> bool:
        """A body line that closes its paragraph: sentence end, short of the column edge."""
        text = self.text.rstrip()
        if self.kind == "CAPTION_END" or self.indent_follows or DIARY_DATE_RE.match(text):
            return True
        return bool(PARAGRAPH_END_RE.search(text)) and (not self.full or text.endswith("）"))


def display_width(text: str) -> float:
    """Width in em: Chinese characters 1, Latin letters, digits and punctuation ½, spaces 0."""
    return sum(0.0 if c == " " else 0.5 if c.isascii() or c in CJK_PUNCT else 1.0 for c in text)


def furniture_kind(text: str) -> str | None:
    squeezed = text.replace(" ", "")
    if LEAD_RE.match(squeezed) or LEAD_RE.match(text):
        return "LEAD"
    if CONT_RE.match(text):
        return "CONT"
    if squeezed in SUMMARY_LABELS:
        return "SUMMARY"
    if squeezed in NOTE_LABELS:
        return "NOTE"
    if COLUMN_AUTHOR_RE.match(text):
        return "COLUMN_AUTHOR"
    if CREDIT_RE.search(text) and BYLINE_RE.match(text.removesuffix("摄").strip()):
        return "CREDIT"
    if BYLINE_RE.match(text):
        return "BYLINE"
    if COLUMN_RE.match(squeezed):
        return "COLUMN"
    return None


def _column_widths(widths: list[float]) -> list[float]:
    """For each line, the typical width of full lines around it (upper quartile of ±8 lines)."""
    out = []
    for i in range(len(widths)):
        window = sorted(widths[max(0, i - 8) : i + 9])
        out.append(window[int(len(window) * 0.7)] if window else 0.0)
    return out


def classify(raw: tuple[str, ...]) -> list[Line]:
    """Non-blank lines of a page with their layout role."""
    numbered = [(n, text.strip()) for n, text in enumerate(raw, 1) if text.strip()]
    widths = [display_width(t) for _, t in numbered]
    columns = _column_widths(widths)
    # One paragraph per line (a different extractor): column width means nothing there.
    if numbered and statistics.median(widths) > 2 * MAX_HEADLINE_WIDTH:
        columns = [max(widths)] * len(widths)
    lines: list[Line] = []
    for (number, text), width, column in zip(numbered, widths, columns, strict=True):
        kind = furniture_kind(text) or _text_or_headline(text, width, column, lines)
        lines.append(Line(number, text, kind, width, column))
    return _column_labels(_headlines_before_furniture(_kickers_wrapped_over_lines(_indents(lines))))


def _text_or_headline(text: str, width: float, column: float, before: list[Line]) -> str:
    previous = before[-1] if before else None
    shaped = _headline_shaped(text, width, column)
    continues = (
        previous is not None
        and previous.kind in BODY_KINDS
        and not previous.paragraph_end
        # A sentence ending exactly at the column edge may still close the paragraph: a
        # headline-shaped line after it says so, since a paragraph's last line ends a sentence.
        and not (shaped and PARAGRAPH_END_RE.search(previous.text))
    )
    if CREDIT_RE.search(text):
        return "CAPTION_END"
    if DIARY_DATE_RE.match(text):
        return "T"
    if continues:
        return "T"
    return "H" if shaped else "T"


def _headline_shaped(text: str, width: float, column: float) -> bool:
    if text.endswith("——"):
        return True
    if CLAUSE_END_RE.search(text) or width > MAX_HEADLINE_WIDTH:
        return False
    # A paragraph's first line is indented two characters: only a line shorter than that,
    # or wider than the column, is a headline.
    return width <= column - 3.5 or width > column + 3 or is_letter_spaced(text)


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
    """Up to four short unpunctuated lines that stand between a closed paragraph and an item
    opener (a news lead, a byline, a continuation marker…) or the page end are a headline,
    even when one of them happens to be as wide as the column."""
    out = list(lines)
    i = 0
    while i < len(out):
        j = i
        while j < len(out) and j - i < 4 and out[j].kind in ("T", "H") and _unpunctuated(out[j], wide=j > i):
            j += 1
        if j > i and any(out[k].kind == "T" for k in range(i, j)):
            before = out[i - 1] if i else None
            after = out[j] if j < len(out) else None
            closed = before is None or before.kind not in BODY_KINDS or before.paragraph_end \
                or bool(PARAGRAPH_END_RE.search(before.text))
            if closed and (after is None or after.kind in OPENERS or after.kind == "H"):
                for k in range(i, j):
                    out[k] = replace(out[k], kind="H")
        i = max(j, i + 1)
    return out


def _unpunctuated(line: Line, *, wide: bool = False) -> bool:
    """No clause ends here. A subtitle under a title may run wider than any title line."""
    limit = MAX_HEADLINE_WIDTH * (1.5 if wide else 1.0)
    return line.text.endswith("——") or (not CLAUSE_END_RE.search(line.text) and line.width <= limit)


def _column_labels(lines: list[Line]) -> list[Line]:
    """A short letter-spaced line over a column author (`蹲 点 日 记` / `□田晓青`) names a column."""
    out = list(lines)
    for i, line in enumerate(out[:-1]):
        squeezed = line.text.replace(" ", "")
        if line.kind == "H" and is_letter_spaced(line.text) and len(squeezed) <= 6 \
                and out[i + 1].kind in ("COLUMN_AUTHOR", "BYLINE"):
            out[i] = replace(line, kind="COLUMN")
    return out


def _indents(lines: list[Line]) -> list[Line]:
    """A paragraph's first line is indented by two characters, so it is visibly shorter than
    the column: after a sentence that ends at the column edge, such a line starts a paragraph."""
    out = list(lines)
    for i in range(len(out) - 1):
        line, nxt = out[i], out[i + 1]
        if line.kind in ("T", "LEAD", "CONT") and nxt.kind == "T" and PARAGRAPH_END_RE.search(line.text) \
                and line.full and nxt.width <= nxt.column_width - 1.25 and nxt.width >= nxt.column_width - 3.5:
            out[i] = replace(line, indent_follows=True)
    return out
