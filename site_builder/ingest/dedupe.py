"""Find items printed twice: two extractions of one page, with OCR and punctuation differences.

Items are compared by the character 4-grams of their text with punctuation and spaces
removed, as containment (how much of the smaller item lies in the larger one), so that a
copy split in two by a misplaced reading box still matches, and word substitutions
(`委员` → `会员`) only lower the score a little.

>>> containment(shingles("北京市工业国防工会启动职工生活服务项目"), shingles("北京市工业国防工会启动职工生活服务项目线上线下"))
1.0
"""

from __future__ import annotations

import re

from site_builder.ingest.clean import CJK, letters

_KEEP = re.compile(f"[{CJK}0-9A-Za-z]")
THRESHOLD = 0.5


_GRAMS = re.compile(r"(?=(....))", re.DOTALL)


def shingles(text: str, n: int = 4) -> frozenset[str]:
    chars = letters(text)
    if len(chars) <= n:
        return frozenset([chars]) if chars else frozenset()
    grams = _GRAMS.findall(chars) if n == 4 else [chars[i : i + n] for i in range(len(chars) - n + 1)]
    return frozenset(grams)


def containment(small: frozenset[str], large: frozenset[str]) -> float:
    if not small:
        return 0.0
    return len(small & large) / len(small)


def extraction_quality(lines: tuple[str, ...]) -> float:
    """Lower is better: ASCII punctuation inside Chinese text marks a poorer extraction."""
    text = "".join(lines)
    bad = len(re.findall(f"(?<=[{CJK}])[,()](?=[{CJK}])|[,()](?=[{CJK}])", text))
    return bad / max(1, len(text))


class DuplicateIndex:
    """The items kept so far, by some of their shingles: a new item is compared only with the
    kept items that share some of its shingles (a copy shares most of them), not with every
    item of the date — a day of twenty pages holds hundreds of items.

    The shingles indexed and looked up are the same quarter of all (those whose first
    character's code is a multiple of four): a copy sharing half of an item's shingles shares
    about an eighth of them among these, and is found unless the item has almost none.
    """

    def __init__(self) -> None:
        self.items: list[frozenset[str]] = []
        self.owners: list[str] = []
        self.by_shingle: dict[str, list[int]] = {}

    def add(self, shingles_: frozenset[str], owner: str) -> None:
        n = len(self.items)
        self.items.append(shingles_)
        self.owners.append(owner)
        for shingle in _sampled(shingles_):
            self.by_shingle.setdefault(shingle, []).append(n)

    def match(self, cand: frozenset[str], owner: str) -> int | None:
        """The kept item (of another page than `owner`) that `cand` duplicates, or None."""
        if not cand:
            return None
        near = {i for s in _sampled(cand) for i in self.by_shingle.get(s, ())}
        best, best_score = None, THRESHOLD
        for i in sorted(near):
            other = self.items[i]
            if self.owners[i] == owner or not other:
                continue
            score = containment(cand, other) if len(cand) <= len(other) else containment(other, cand)
            if score >= best_score:
                best, best_score = i, score
        return best


def _sampled(shingles_: frozenset[str]) -> list[str]:
    """The same quarter of any item's shingles; all of a very short item's."""
    picked = [s for s in shingles_ if s[0] in _SAMPLED]
    return picked if len(picked) >= 8 else list(shingles_)


# Characters whose code is a multiple of four (a set lookup is cheaper than `ord` and `&`).
_SAMPLED = frozenset(chr(c) for c in (*range(0x30, 0x7b, 4), *range(0x3400, 0xa000, 4), *range(0x20000, 0x31350, 4)))
