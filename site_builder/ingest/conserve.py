"""Account for every character of a raw page: nothing lost, nothing invented.

The text fields of a page's items, plus the furniture they stand for (the `本报` of a byline,
the `摄` of a credit, the `阅读提示` label), must hold exactly the page's non-space characters,
compared after folding full-width and half-width forms together (the cleaner turns `,` into
`，` on purpose). What is missing is the page's remainder: written out and reported, never
dropped in silence.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from site_builder.ingest.extract import Extracted

_MD_MARKUP = re.compile(r"\\(?=[\\`*_\[\]<>#+\-=|>.)0-9])|^## ", re.MULTILINE)


def fold(text: str | Counter[str]) -> Counter[str]:
    """Non-space characters of a text, full-width and half-width forms folded together
    (each character by its NFKC form, worked out once: this runs on every page)."""
    folded: Counter[str] = Counter()
    for char, count in (text if isinstance(text, Counter) else Counter(text)).items():
        form = _FORMS.get(char)
        if form is None:
            form = _FORMS[char] = "".join(c for c in unicodedata.normalize("NFKC", char) if not c.isspace())
        for c in form:
            folded[c] += count
    return folded


_FORMS: dict[str, str] = {}


def item_text(item: Extracted) -> str:
    """Everything of an item that came from the page (not the derived title, not the dateline
    which is repeated from the body's lead)."""
    parts: list[str | None] = [
        None if item.title_derived else item.title, item.kicker, item.subtitle, item.column,
        item.summary, _MD_MARKUP.sub("", item.body), _byline_as_printed(item), item.continued_from,
        *item.consumed,
    ]
    return "".join(p for p in parts if p)


def _byline_as_printed(item: Extracted) -> str:
    """Names of bylines and credits, each role once per group (`本报通讯员 张婧 谢朝华`); a
    column author is printed `□田晓青`: the role word 作者 is ours."""
    out, previous = [], None
    for author in item.authors[item.lead_authors :]:
        if author.role != previous and author.role != "作者":
            out.append(author.role)
        out.append(author.name)
        previous = author.role
    return "".join(out)


def account(raw_lines: Iterable[str], items: Iterable[Extracted]) -> tuple[Counter[str], Counter[str]]:
    """(characters of the page no item holds, characters items hold that the page lacks)."""
    page = Counter("".join(raw_lines))
    held = Counter("".join(item_text(i) for i in items))
    # Folding is additive: only what differs before folding (a few marks) needs folding.
    more, less = fold(page - held), fold(held - page)
    return more - less, less - more
