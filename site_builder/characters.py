"""Characters a text of the newspaper must not carry, and bidi controls it need not.

Control characters (NUL, BEL, ESC, C1 …), lone surrogates and Unicode noncharacters cannot be
written as HTML text; they mean a damaged or hostile file, so they are errors. Bidirectional
controls (RLO U+202E, the isolates, LRM/RLM) are invisible and reorder what a reader sees
(`工会\u202e报日` shows as `工会日报`): Chinese newspaper text never needs them, so they are
removed, with a warning. Zero-width spaces and joiners are left alone: shown as the text they
are, they can change nothing else.

>>> forbidden("工会\\x07")
[(2, 'control character U+0007')]
>>> strip_bidi("工会\\u202e报日")
'工会报日'
"""

from __future__ import annotations

import re
from typing import Any

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)


def _name(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "lone surrogate"
    elif code < 0xA0:
        kind = "control character"
    else:
        kind = "noncharacter"
    return f"{kind} U+{code:04X}"


def forbidden(text: str) -> list[tuple[int, str]]:
    """(offset, description) of every character that cannot appear in the site's text."""
    return [(m.start(), _name(m.group())) for m in FORBIDDEN.finditer(text)]


def strip_bidi(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)


def bidi_controls(text: str) -> list[str]:
    """The bidi controls of `text`, as `U+202E` names, in order of appearance."""
    return [f"U+{ord(c):04X}" for c in BIDI_CONTROLS.findall(text)]


# Characters that are neither forbidden nor bidi controls: line feed, printable ASCII, Latin to
# Hebrew, dashes, quotes and ellipsis (U+2010–2027, U+2030–205E: the bidi controls lie
# around them), symbols such as ℃ ① □ (U+2100–27BF), CJK punctuation, the CJK ideographs,
# full-width forms. A text of only these (nearly every article) is checked by one fast scan.
_COMMON = re.compile("[^\n -~\u00a0-\u05ff\u2010-\u2027\u2030-\u205e\u2100-\u27bf"
                     "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def is_clean(text: str) -> bool:
    """No forbidden character and no bidi control anywhere in `text`."""
    first = _COMMON.search(text)
    if first is None:
        return True
    start = first.start()
    return FORBIDDEN.search(text, start) is None and BIDI_CONTROLS.search(text, start) is None


def clean_texts(value: Any) -> tuple[Any, list[tuple[int, str]], str]:
    """`value` (a text, or lists and mappings of texts, as YAML gives them) with bidi controls
    removed; the forbidden characters found (offsets into a single text); the controls removed.

    >>> clean_texts(["温州", "\\u202e瑞安"])
    (['温州', '瑞安'], [], 'U+202E')
    """
    bad: list[tuple[int, str]] = []
    removed: list[str] = []

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            bad.extend(forbidden(v))
            removed.extend(bidi_controls(v))
            return strip_bidi(v)
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {walk(k): walk(x) for k, x in v.items()}
        return v

    return walk(value), bad, ", ".join(sorted(set(removed)))
