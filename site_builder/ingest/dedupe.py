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


def match_duplicates(
    kept: list[frozenset[str]], candidates: list[frozenset[str]]
) -> list[int | None]:
    """For each candidate, the index of the kept item it duplicates, or None."""
    out: list[int | None] = []
    for cand in candidates:
        best, best_score = None, THRESHOLD
        for i, other in enumerate(kept):
            if not cand or not other:
                continue
            score = containment(cand, other) if len(cand) <= len(other) else containment(other, cand)
            if score >= best_score:
                best, best_score = i, score
        out.append(best)
    return out
