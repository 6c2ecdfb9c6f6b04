"""What search reads in a text: folded characters, word characters and their pairs.

The index lists, for every article, each pair of consecutive *word characters* of its
searchable text (headline and body): a CJK ideograph, an ASCII letter or digit. A query word
is looked up by its pairs, so any run of two or more characters is found wherever it stands
(`段简` in `阶段简单`), with no word segmentation. `static/search-match.js` implements the
same definitions (`fold`, `WORD`, `pairs`, `words`): the two must agree character for
character, and a test runs both on the same texts.

Folding keeps the length (one character for one): full-width ASCII becomes ASCII
(`ＧＤＰ` → `gdp`) and ASCII letters become lower case; so a position in the folded text is
the same position in the text shown.

>>> fold("ＧＤＰ增长")
'gdp增长'
>>> sorted(pair_counts("职工之家 职工").items())
[('之家', 1), ('工之', 1), ('职工', 2)]
>>> words("“工会” GDP  段简")
['工会', 'gdp', '段简']
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain

# The CJK ideographs (with 〇, U+3007) and ASCII letters and digits: `WORD` in search-match.js.
_CJK = "\u3007\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
WORD_CHARS = f"0-9a-z{_CJK}"
_RUNS = re.compile(f"[{WORD_CHARS}]{{2,}}")
# What separates query words: spaces and the quotation marks a reader types around a phrase.
# Explicit (not \s) so that Python and JavaScript split the same way.
QUERY_SEPARATORS = " \t\n\r\f\v\u00a0\u3000\"“”「」『』"
_SEPARATOR = re.compile("[" + re.escape(QUERY_SEPARATORS) + "]+")
_FOLD = {c: c + 0x20 for c in range(0x41, 0x5B)}  # A-Z
_FOLD.update({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)})  # ！-～
_FOLD.update({c: c - 0xFEE0 + 0x20 for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ: to a-z at once


def fold(text: str) -> str:
    """Full-width ASCII to ASCII, ASCII letters to lower case; nothing else changes."""
    return text.translate(_FOLD)


def runs(folded: str) -> list[str]:
    """The runs of two or more word characters of a folded text."""
    return _RUNS.findall(folded)


def pairs(folded: str) -> list[str]:
    """Every pair of consecutive word characters, in order, repeated as often as they occur.

    >>> pairs("a股 ab")
    ['a股', 'ab']
    """
    return [run[i:i + 2] for run in runs(folded) for i in range(len(run) - 1)]


def pair_counts(text: str) -> Counter[str]:
    """How often each pair occurs in `text` (folded here)."""
    return Counter(chain.from_iterable(map(str.__add__, run, run[1:]) for run in runs(fold(text))))


def words(query: str) -> list[str]:
    """The distinct words of a query, folded, in the order typed."""
    return list(dict.fromkeys(w for w in _SEPARATOR.split(fold(query)) if w))


def searchable(kicker: str, title: str, subtitle: str, text: str) -> str:
    """The text a query word must be found in: headline fields and body, a line each."""
    return f"{kicker}\n{title}\n{subtitle}\n{text}"
