"""Bytes of a raw page → text lines, or a problem saying why not.

Accepts UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when the NUL pattern
shows it) and GB18030 (a superset of GBK and GB2312). Line endings become `\\n`; odd spaces
(NBSP, ideographic space, tabs) become one ASCII space; full-width ASCII letters and digits
(`１２３５１`, `ＡＰＰ`) become half-width. Punctuation is left for `clean` to decide, since
whether `,` or `，` is right depends on the context.

>>> decode_page(b"\\xef\\xbb\\xbf\\xe5\\xb7\\xa5\\xe4\\xbc\\x9a\\r\\n", "x.txt")
(('工会',), 'utf-8-sig', [])
"""

from __future__ import annotations

import re
import unicodedata

from site_builder.characters import FORBIDDEN
from site_builder.models import Problem

_ODD_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Invisible characters an extraction leaves behind (zero-width, soft hyphen, bidi controls
# that would reorder what a reader sees); they are not text of the page.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad\u061c\u202a-\u202e\u2066-\u2069]")
# Control characters, noncharacters: what content/ may not hold (site_builder.characters).
_CONTROL = FORBIDDEN
# Full-width ASCII letters and digits only (Ａ-Ｚ ａ-ｚ ０-９): punctuation is clean's business.
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}


_PLAUSIBLE = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2010-\u2027\u00b7 -~\n\r\t]")


def _plausibility(text: str) -> float:
    """Share of characters a Chinese newspaper page is made of (ideographs, punctuation, ASCII)."""
    return len(_PLAUSIBLE.findall(text)) / max(1, len(text))


def detect_and_decode(data: bytes) -> tuple[str, str] | None:
    """(text, encoding name) or None when the bytes are no text this ingest knows.

    UTF-8 is tried first: its rules are strict enough that Chinese text in another encoding
    almost never decodes as UTF-8. Without a BOM, UTF-16 and GB18030 both decode most byte
    strings, so the one that gives text a newspaper page is made of wins.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return (data.decode("utf-8-sig"), "utf-8-sig") if _ok(data[3:], "utf-8") else None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and _ok(data, "utf-16"):
        return data.decode("utf-16"), "utf-16"
    if _ok(data, "utf-8"):
        return data.decode("utf-8"), "utf-8"
    best: tuple[float, str, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be", "gb18030"):
        if encoding.startswith("utf-16") and len(data) % 2:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is None or best[0] < 0.9:
        return None
    return best[1], best[2]


def _ok(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def normalise_line(line: str) -> str:
    line = _INVISIBLE.sub("", line)
    line = _ODD_SPACES.sub(" ", line)
    line = line.translate(_FULLWIDTH_ALNUM)
    return unicodedata.normalize("NFC", line).rstrip()


def decode_page(data: bytes, path: str) -> tuple[tuple[str, ...], str, list[Problem]]:
    """Decode one raw page. An unusable file gives no lines and a problem at its line 1."""
    if not data.strip():
        return (), "", [Problem(path, 1, "empty file: no text to ingest")]
    decoded = detect_and_decode(data)
    if decoded is None:
        return (), "", [Problem(path, 1, "cannot decode: not UTF-8, UTF-16 or GB18030 text")]
    text, encoding = decoded
    if "\x00" in text:
        return (), "", [Problem(path, 1, "binary file: contains NUL bytes, not page text")]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    problems: list[Problem] = []
    cleaned: list[str] = []
    for number, line in enumerate(lines, 1):
        if _CONTROL.search(line):
            problems.append(Problem(path, number, "control characters removed", "warning"))
            line = _CONTROL.sub("", line)
        cleaned.append(normalise_line(line))
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    # Counted character by character only when some line is not all printable (rare).
    odd = [line for line in cleaned if not line.isprintable()]
    visible = sum(1 for line in odd for ch in line if not ch.isspace())
    printable = sum(1 for line in odd for ch in line if ch.isprintable() and not ch.isspace())
    others = sum(len(line) - line.count(" ") for line in cleaned if line.isprintable())
    if visible and (printable + others) / (visible + others) < 0.9:
        return (), "", [Problem(path, 1, "binary file: mostly unprintable characters")]
    return tuple(cleaned), encoding, problems
