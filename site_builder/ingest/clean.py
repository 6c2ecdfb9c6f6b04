"""Spacing and punctuation of Chinese text, line by line and paragraph by paragraph.

Rules in the order TEXT-NOTES.md found to work:

>>> clean_text("墙上贴着醒目的 宣 传 牌 ——“ 热 了 、渴 了")
'墙上贴着醒目的宣传牌——“热了、渴了'
>>> clean_text("记 者 王 伟   通 讯 员 刘 捷   顾 峰 ）")
'记者王伟 通讯员刘捷 顾峰）'
>>> clean_text("10月 25日，组织 5家企业")
'10月25日，组织5家企业'
>>> clean_text("线上线下互联互通 精准对接职工需求")
'线上线下互联互通 精准对接职工需求'
>>> clean_text("本报讯 (记者赖志凯)10月25日,北京市")
'本报讯（记者赖志凯）10月25日，北京市'
"""

from __future__ import annotations

import re
import unicodedata

# CJK ideographs (with extensions) and the full-width forms used around them.
CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】「」『』—…·～￥％"
_CJK_RE = re.compile(f"[{CJK}]")
_HAN_OR_PUNCT = f"[{CJK}{re.escape(CJK_PUNCT)}]"

_SPACE_NEAR_PUNCT = re.compile(f" +(?=[{re.escape(CJK_PUNCT)}])|(?<=[{re.escape(CJK_PUNCT)}]) +")
_SPACE_CJK_ALNUM = re.compile(f"(?<=[{CJK}]) +(?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%.]) +(?=[{CJK}])")
_SPACES = re.compile(r" {2,}")

_ASCII_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_ASCII_PUNCT = re.compile(r"[,;:!?]")
_PAREN = re.compile(r"\(([^()]*)\)")


def is_letter_spaced(line: str) -> bool:
    """A line set with a space after every character (`阅 读 提 示`, `向 前 一 步 ，贴 近`)."""
    tokens = line.split()
    if len(tokens) < 3:
        return False
    singles = sum(1 for t in tokens if len(t.strip(CJK_PUNCT)) <= 1 and _CJK_RE.search(t))
    return singles >= 3 and singles * 2 >= len(tokens)


_LETTERS = re.compile(f"[{CJK}0-9A-Za-z０-９Ａ-Ｚａ-ｚ]")


def letters(text: str) -> str:
    """Only Chinese characters, Latin letters and digits (NFKC-folded): what two texts are
    compared by, whatever their punctuation and spacing. `本报讯（记者…）` → `本报讯记者…`."""
    kept = "".join(_LETTERS.findall(text))
    # Folded after the punctuation is gone: there is then seldom anything to fold (fast).
    return kept if unicodedata.is_normalized("NFKC", kept) else unicodedata.normalize("NFKC", kept)


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


_LONE_OPEN = re.compile(f"\\((?={_HAN_OR_PUNCT})")
_LONE_CLOSE = re.compile(f"(?<={_HAN_OR_PUNCT})\\)")
_ANY_ASCII_PUNCT = re.compile(r"[,;:!?()]")


def fix_punctuation(text: str) -> str:
    """ASCII `, ; : ! ?` and `( )` become full-width in Chinese context; `1,200` and `12:30` stay."""
    if not _ANY_ASCII_PUNCT.search(text):
        return text  # most lines: nothing to do

    def convert(match: re.Match[str]) -> str:
        i = match.start()
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            return match.group()
        if (before and (has_cjk(before) or before in CJK_PUNCT)) or (after and (has_cjk(after) or after in CJK_PUNCT)):
            return _ASCII_TO_FULL[match.group()]
        if not after or after == " ":
            return _ASCII_TO_FULL[match.group()] if has_cjk(text) else match.group()
        return match.group()

    text = _ASCII_PUNCT.sub(convert, text)

    def paren(match: re.Match[str]) -> str:
        inner = match.group(1)
        return f"（{inner}）" if has_cjk(inner) or not inner.strip() else match.group()

    previous = None
    while previous != text:
        previous, text = text, _PAREN.sub(paren, text)
    # A lone ASCII parenthesis next to Chinese (a bracket closed on the next line).
    text = _LONE_OPEN.sub("（", text)
    return _LONE_CLOSE.sub("）", text)


def clean_text(text: str) -> str:
    """Remove spurious spaces and fix punctuation; real separators between words stay."""
    text = text.strip()
    if " " in text:
        if is_letter_spaced(text):
            # Set with a space after every character: a wider gap is a real separator
            # (`记 者 王 伟   通 讯 员 刘 捷   顾 峰`).
            text = " ".join(part.replace(" ", "") for part in _SPACES.split(text))
        else:
            text = _SPACES.sub(" ", text)
    text = fix_punctuation(text)
    if " " in text:
        text = _SPACE_NEAR_PUNCT.sub("", text)
        text = _SPACE_CJK_ALNUM.sub("", text)
    return text


def join_lines(lines: list[str]) -> str:
    """Rejoin column-wrapped lines: nothing between them, a space only between Latin letters."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and line[0].isascii() and line[0].isalpha():
            out += " "
        out += line
    return out


def clean_paragraph(lines: list[str]) -> str:
    """Wrapped lines of one paragraph → one clean line of text.

    Lines are cleaned one by one first (a letter-spaced line is recognised only as a whole),
    then joined, then the spacing rules run again over the joins.
    """
    return clean_text(join_lines([clean_text(line) for line in lines]))
