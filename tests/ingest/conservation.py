"""An independent count of a page's characters against the files the ingest wrote.

`conserve.account` is the ingest's own bookkeeping; a test that compares the remainder with
it proves nothing (an ingest that finds no items at all passes). This count starts from the
other end: the raw page's non-space characters, and the text read back from the written
article files and the remainder file. What the page has and the files lack may only be
printed furniture that no field stands for (`本报`, `摄`, `阅读提示`, `（上接第1版）`…);
what the files have and the page lacks, nothing; and the remainder may hold only marks that
are no text (OCR specks, furniture words) — never the page's prose.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

import yaml

# Characters of the furniture the fields stand for without printing it (bylines' 本报, a
# credit's 摄, box labels, continuation marks, a column author's □).
FURNITURE = frozenset("本报讯记者通讯员实习生新华社中新特约见习摄影阅读提示核心内容要导上下接第版（）()□■◇◆")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LEAD = re.compile(r"^[^（(]{0,30}[（(](.{1,80})[）)]")
_MARKUP = re.compile(r"\\(?=[\\`*_\[\]<>#+\-=|>.)0-9])|^## ", re.MULTILINE)


def characters(text: str) -> Counter[str]:
    """Non-space characters, full-width and half-width forms folded together (each character
    on its own: a written file may hold two marks next to each other that compose)."""
    return Counter(c for char in text for c in unicodedata.normalize("NFKC", char) if not c.isspace())


def _first_words(body: str) -> str:
    """The title an item printed without a headline is given: its first clause, at most 24
    characters (the rule the README states)."""
    text = next((p for p in body.strip().split("\n\n") if not p.startswith("## ")), "").replace("\\", "")
    clause = re.split(r"[。！？；]", text, maxsplit=1)[0]
    return clause[:24] + "……" if len(clause) > 24 or clause != text else clause


def article_text(data: bytes) -> tuple[str, str | None]:
    """Everything of an article file that was read off its page; and its title when that is
    the body's first words (made from them, or printed above a body that repeats it)."""
    text = data.decode("utf-8")
    head, _, body = text[4:].partition("\n---\n")
    front = yaml.safe_load(head)
    raw_body, body = body, _MARKUP.sub("", body)
    title = str(front["title"])
    # A title made from the body's first words (no headline printed), or the placeholder of an
    # item with no text, was not read off the page.
    derived = title == "（无标题）" or (not front.get("kicker") and not front.get("subtitle")
                                    and title == _first_words(raw_body))
    parts = [None if derived else title, *(front.get(k) for k in ("kicker", "subtitle", "column", "summary",
                                                               "continued_from"))]
    first = body.strip().split("\n", 1)[0] if body.strip() else ""
    lead = _LEAD.match(first)
    role = None
    for author in front.get("authors", []):
        if lead and author["name"] in lead.group(1):
            continue  # named in the news lead, which is in the body
        if author["role"] != role and author["role"] != "作者":
            parts.append(author["role"])
        role = author["role"]
        parts.append(author["name"])
    return "".join(str(p) for p in parts if p) + body, title if derived and title != "（无标题）" else None


def count(raw_lines: Iterable[str], files: Mapping[str, bytes]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """(characters of the page the files lack, characters the files have that the page
    lacks, characters of the remainder), counted from the page and the written files."""
    page = characters("".join(raw_lines))
    written: Counter[str] = Counter()
    remainder: Counter[str] = Counter()
    maybe: list[Counter[str]] = []
    for rel, data in files.items():
        if rel.startswith("_unassigned/"):
            remainder += characters(data.decode("utf-8").split("\n", 1)[1])
        else:
            text, title = article_text(data)
            written += characters(text)
            if title:
                maybe.append(characters(title))
    # A title equal to its body's first words was either printed above the body or made from
    # it: it was printed if the page has its characters once more.
    for title in maybe:
        if not title - (page - written - remainder):
            written += title
    return page - written - remainder, written + remainder - page, remainder


def prose(chars: Counter[str], page: Iterable[str]) -> str:
    """The characters that are text of the page: Chinese characters printed on it as such
    (not a symbol folded to one, `🈐` → `手`), outside furniture words."""
    printed = set("".join(page))
    return "".join(sorted(c for c in chars.elements() if _CJK.match(c) and c not in FURNITURE and c in printed))
