"""The vocabulary of page layout: a classified `Line`, and the printed forms of furniture.

`lines.py` gives each line of a page its role with these forms; `headlines.py` settles the
headline blocks of a page; `segment.py` groups lines into items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from site_builder.ingest.clean import CJK, CJK_PUNCT, clean_text, has_cjk, is_letter_spaced

ROLE = r"(?:本报(?:特约|见习)?记者|本报(?:特约)?通讯员|新华社(?:特约)?记者|中新社记者|(?:特约|见习)?记者|通讯员|实习生|摄影记者|本报摄影记者)"
NAME = f"[{CJK}·]{{2,5}}"
NAMES = f"{NAME}(?:[ 、]{NAME})*"
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
# A sentence ends, or a note in brackets opened on an earlier line closes (`运研究所）`).
PARAGRAPH_END_RE = re.compile(r"(?:[。！？…]|[。！？…][”’』」）)]+|[。！？] ?[（(][^（）()]*[）)]|^[^（(]*[）)])$")
# Punctuation that ends a clause inside a line: a headline has at most one of them.
_INNER_CLAUSE = re.compile(r"[，。；：！？,;:!?](?=.)")
# A whole line in brackets is a note to the reader (`（相关报道见第十三版）`), not a headline.
BRACKETED_RE = re.compile(r"^[（(][^（）()]*[）)]$")
# A sentence opens with when it happened and a comma (`10月29日，工作人员…`, `近日，…`): a
# caption's or a paragraph's first line, not a headline's (a kicker ends `——`).
SENTENCE_OPENING_RE = re.compile(r"^(?:(?:\d{4}年)?\d{1,2}月\d{1,2}日|近日|日前|当日|近年来|今年以来|今年)[，,]")
# A headline may end with an exclamation (`赶坡会喽！`), when it is short.
_EXCLAIMED = re.compile(r"[！？!?][”’]?$")
ROLE_WORDS = ("记者", "通讯员", "实习生")
MAX_HEADLINE_WIDTH = 32.0
HANGING = "，。、；：？！”’）》"
DIARY_DATE_RE = re.compile(r"^\d{1,2} ?月 ?\d{1,2} ?日 +星期[一二三四五六日天](?: +\S{1,4})?$")
BODY_KINDS = ("T", "LEAD", "CONT", "CAPTION_END")
# Lines that open a new item: what stands right before one of them closes the item above.
OPENERS = ("LEAD", "BYLINE", "CONT", "SUMMARY", "COLUMN", "NOTE", "COLUMN_AUTHOR")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the raw file
    text: str  # as decoded (spacing not yet cleaned)
    kind: str  # T H LEAD BYLINE CONT CREDIT CAPTION_END SUMMARY COLUMN COLUMN_AUTHOR NOTE STRAY SUBHEAD
    width: float
    column_width: float
    # A sentence ending at the column edge, followed by an indented line or a line of a
    # wider box: a paragraph end.
    paragraph_follows: bool = False
    # A blank line stands before this one on a page whose blank lines separate blocks.
    gap_before: bool = False
    # Of the text alone, worked out when first asked (every pass over the page asks again).
    @cached_property
    def box(self) -> float:
        return box_width(self.text)

    @cached_property
    def clause_end(self) -> bool:
        return bool(CLAUSE_END_RE.search(self.text.rstrip()))

    @cached_property
    def sentence_end(self) -> bool:
        return bool(PARAGRAPH_END_RE.search(self.text.rstrip()))

    @cached_property
    def opens(self) -> bool:
        """A quotation or bracket opened and not closed, or the whole line in brackets."""
        return unclosed(self.text) or bool(BRACKETED_RE.match(self.text.rstrip()))

    @property
    def full(self) -> bool:
        return self.width >= self.column_width - 2.5

    @cached_property
    def paragraph_end(self) -> bool:
        """A body line that closes its paragraph: sentence end, short of the column edge."""
        text = self.text.rstrip()
        if self.kind == "CAPTION_END" or self.paragraph_follows or is_diary_date(text) or BRACKETED_RE.match(text):
            return True
        return self.sentence_end and (not self.full or text.endswith("）"))


# Counted with one regular-expression scan (these run on every line, many times).
_CJK_PUNCT_RE = re.compile(f"[{re.escape(CJK_PUNCT)}]")


def display_width(text: str) -> float:
    """Width in em: Chinese characters 1, Latin letters, digits and punctuation ½, spaces 0."""
    spaces = text.count(" ")
    ascii_ = len(text.encode("ascii", "ignore")) - spaces  # counted in C: every line, many times
    return len(text) - spaces - 0.5 * (ascii_ + len(_CJK_PUNCT_RE.findall(text)))


def box_width(text: str) -> float:
    """Width in em as set in a column: Chinese characters and their punctuation 1, Latin
    letters and digits ½, spaces 0; a closing mark at the end hangs outside the column."""
    text = text.strip()
    if text and text[-1] in HANGING:
        text = text[:-1]
    spaces = text.count(" ")
    return len(text) - spaces - 0.5 * (len(text.encode("ascii", "ignore")) - spaces)


def unclosed(text: str) -> bool:
    """Does the line open a quotation or a bracket it does not close (`“通过参观学习青岛港‘连钢创`)?"""
    return any(a in text and text.count(a) > text.count(b) for a, b in ("“”", "（）", "《》", "()"))


def is_stray(text: str) -> bool:
    """An OCR speck: one or two marks that are no word (`l`, `I`, `|`, `-`)."""
    squeezed = text.replace(" ", "")
    return 0 < len(squeezed) <= 2 and not has_cjk(squeezed) and not squeezed.isdigit()


def furniture_kind(text: str) -> str | None:
    squeezed = text.replace(" ", "")
    if is_stray(text):
        return "STRAY"
    if squeezed[:1] in "本新中据" and (LEAD_RE.match(squeezed) or LEAD_RE.match(text)):
        return "LEAD"
    if CONT_RE.match(text):
        return "CONT"
    if squeezed in SUMMARY_LABELS:
        return "SUMMARY"
    if squeezed in NOTE_LABELS:
        return "NOTE"
    if COLUMN_AUTHOR_RE.match(text):
        return "COLUMN_AUTHOR"
    # The forms below are tried only on lines that can be them (a role word, a middle dot):
    # this runs on every line of every page.
    if any(role in text for role in ROLE_WORDS):
        if text.endswith("摄") and CREDIT_RE.search(text) and BYLINE_RE.match(text.removesuffix("摄").strip()):
            return "CREDIT"
        if BYLINE_RE.match(text):
            return "BYLINE"
    if ("·" in squeezed or "・" in squeezed) and COLUMN_RE.match(column_label(squeezed)[0]):
        return "COLUMN"
    return None


def column_label(squeezed: str) -> tuple[str, str]:
    """(label, stray OCR letter): `非凡十年·工会篇l` → (`非凡十年·工会篇`, `l`)."""
    match = re.fullmatch(f"([A-Za-z|]?)([{CJK}0-9A-Za-z]+[·・][{CJK}0-9A-Za-z]*?[{CJK}0-9])([A-Za-z|]?)", squeezed)
    if match and (match.group(1) or match.group(3)):
        return match.group(2), match.group(1) + match.group(3)
    return squeezed, ""


def is_diary_date(text: str) -> bool:
    """A diary entry's date line (`8月8日 星期一 晴`), letter-spaced or not."""
    return bool(DIARY_DATE_RE.match(clean_text(text) if "  " in text else text))


def is_listing(text: str) -> bool:
    """A list of names or things (`石泰峰、李干杰、李书磊、陈`): text, not a headline line."""
    return text.count("、") >= 3


def opens_sentence(text: str) -> bool:
    """`10月29日，工作人员…`, `近日，…` (spaces aside: `1 0 月 2 6 日 ，…` too)."""
    return bool(SENTENCE_OPENING_RE.match(text.replace(" ", "")))


def headline_shaped(text: str, width: float, column: float) -> bool:
    if BRACKETED_RE.match(text) or len(_INNER_CLAUSE.findall(text)) >= 2 or is_listing(text):
        return False
    if text.endswith("——"):
        return True
    if _EXCLAIMED.search(text) and width <= 12 and not _INNER_CLAUSE.findall(text[:-2]):
        return True
    if CLAUSE_END_RE.search(text) or width > MAX_HEADLINE_WIDTH or opens_sentence(text):
        return False
    # A paragraph's first line is indented two characters: only a line shorter than that,
    # or wider than the column, is a headline. (Wider, with a clause inside, it is more
    # likely the first line of a wider box: a caption spanning columns.) A letter-spaced
    # headline is set short; a letter-spaced line as wide as the column is a column line
    # the extraction spaced out.
    wider = width > column + 3 and not _INNER_CLAUSE.search(text)
    return width <= column - 3.5 or wider or (is_letter_spaced(text) and width < column - 2.5)
