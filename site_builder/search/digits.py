"""The digits the search index writes its numbers in (posting lists, facet codes, the catalog).

A number is written in base 45 with 90 ASCII digits, `#` … `}` without `\\`: the digits
0–44 end a number, 45–89 (the value + 45) go before its last digit, so numbers follow one
another with no separator and most postings of a common pair are one character.

>>> number(0), number(44), number(45), number(2024)
('#', 'O', 'Q#', '}O')
>>> postings_text([3 * 8 + 1, 4 * 8 + 0, 9 * 8 + 5])
'<#H'
>>> decode_postings('<#H')
[(3, 1), (4, 0), (9, 5)]
"""

from __future__ import annotations

import operator
from itertools import chain

DIGITS = "".join(chr(c) for c in range(0x23, 0x7E) if c != 0x5C)
BASE = 45
DIGIT_VALUE = {c: i for i, c in enumerate(DIGITS)}


def number(v: int) -> str:
    """`v` ≥ 0 in the digits of a posting list."""
    out = [DIGITS[v % BASE]]
    v //= BASE
    while v:
        out.append(DIGITS[BASE + v % BASE])
        v //= BASE
    return "".join(reversed(out))


class _Codes(dict[int, str]):
    """`number` of each value asked for, kept."""

    def __missing__(self, v: int) -> str:
        self[v] = code = number(v)
        return code


_CODES = _Codes()


def postings_text(entries: list[int]) -> str:
    """The text of a posting list from its entries `8 × doc + weight`, ascending: the
    format one list at a time (`unit_index` writes a unit's lists at once, and is tested
    against this)."""
    bases = chain((0,), map((1).__add__, map((7).__or__, entries)))  # 8 × (previous doc + 1)
    return "".join(map(_CODES.__getitem__, map(operator.sub, entries, bases)))


def decode_postings(text: str) -> list[tuple[int, int]]:
    """(doc, weight) of each posting of a posting list's text."""
    found = []
    doc = -1
    for v in numbers(text):
        doc += 1 + (v >> 3)
        found.append((doc, v & 7))
    return found


def numbers(text: str) -> list[int]:
    """The numbers written one after another in `text` (each as `number` writes it)."""
    found, acc = [], 0
    for char in text:
        d = DIGIT_VALUE[char]
        if d >= BASE:
            acc = acc * BASE + d - BASE
        else:
            found.append(acc * BASE + d)
            acc = 0
    return found
