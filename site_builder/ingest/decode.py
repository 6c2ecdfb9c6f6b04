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

from site_builder.models import Problem

_ODD_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Invisible characters an extraction leaves behind; they are not text of the page.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Full-width ASCII letters and digits only (Ａ-Ｚ ａ-ｚ ０-９): punctuation is clean's business.
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}


def _looks_utf16(data: bytes) -> str | None:
    if len(data) < 4:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    half = len(data) / 2
    # Chinese UTF-16 text has few NULs, but ASCII newlines and digits give some on one side only.
    if odd > half * 0.2 and even < half * 0.02:
        return "utf-16-le"
    if even > half * 0.2 and odd < half * 0.02:
        return "utf-16-be"
    return None


def detect_and_decode(data: bytes) -> tuple[str, str] | None:
    """(text, encoding name) or None when the bytes are no text this ingest knows."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        utf16 = _looks_utf16(data)
        candidates = [utf16] if utf16 else ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


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
    visible = sum(1 for line in cleaned for ch in line if not ch.isspace())
    printable = sum(1 for line in cleaned for ch in line if ch.isprintable() and not ch.isspace())
    if visible and printable / visible < 0.9:
        return (), "", [Problem(path, 1, "binary file: mostly unprintable characters")]
    return tuple(cleaned), encoding, problems
