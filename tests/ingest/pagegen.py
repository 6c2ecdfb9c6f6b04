"""Raw pages laid out anew from the seed articles, each with its gold: a test set of pages the
ingest's rules were not written on, scored by the same code as the real pages.

What varies, page by page (seeded, so a page number always gives the same page): the items
and their order, headline before or after its body, column widths 12–30, blank lines after
every line, between blocks only or none, a body glued under the headline above, two column
lines glued into one, spurious spaces (`10月 25日`) and letter-spaced lines, two-line
titles, column labels with a stray OCR letter, stray letters between items, a photo caption
beside a headline block, continuations with their mark on the first line or on a line of
its own, and second extractions of a page (one paragraph a line, ASCII punctuation, every
headline before its text).

    python -m tests.ingest.pagegen --out /tmp/generated --pages 240   # then make eval-ingest PAGES=/tmp/generated
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from site_builder.ingest.clean import letters
from site_builder.ingest.gold import NATIONAL, GoldItem, GoldPage
from site_builder.ingest.layout import display_width
from tests.ingest.stories import Story, seed_stories

FIRST_DAY = dt.date(2001, 1, 1)
_LEAD = re.compile(r"^(?:本报讯|本报[^（(]{1,16}电) ?[（(][^（）()]*[）)]")
_CLOSING = "，。、；：？！”’）》…"
_OPENING = "“‘（《"


@dataclass(frozen=True)
class GeneratedPage:
    file: str
    date: dt.date
    text: str
    gold: GoldPage


def wrap(paragraph: str, width: int, rng: random.Random | None = None) -> list[str]:
    """Column lines as a page prints them (by display width: digits are half as wide as
    characters): the first line indented two characters, and a closing punctuation mark
    never starts a line (it hangs at the end of the one before)."""
    lines: list[str] = []
    rest = paragraph
    limit = width - 2
    while rest:
        cut = 0
        while cut < len(rest) and display_width(rest[: cut + 1]) <= limit:
            cut += 1
        # A number is not broken, an opening quote does not end a line, a closing mark does
        # not start one.
        while 1 < cut < len(rest) and rest[cut - 1 : cut + 1].isascii() and rest[cut - 1 : cut + 1].isalnum():
            cut -= 1
        while cut > 1 and rest[cut - 1] in _OPENING:
            cut -= 1
        cut = max(cut, 1)
        while cut < len(rest) and rest[cut] in _CLOSING:
            cut += 1
        lines.append(rest[:cut])
        rest = rest[cut:]
        limit = width
    return lines


def _noisy(line: str, rng: random.Random) -> str:
    """Spurious spaces of an extraction: between a character and a digit, or after every
    character of a line (`宣 传 牌`)."""
    if rng.random() < 0.02 and len(line) > 4:
        return " ".join(line)
    return re.sub(r"(?<=[\u4e00-\u9fff])(?=\d)|(?<=\d)(?=[\u4e00-\u9fff])",
                  lambda _: " " if rng.random() < 0.3 else "", line)


def _title_lines(title: str, body: str, rng: random.Random) -> list[str]:
    """A title over two lines where an extraction breaks it: inside a word the body also
    uses, or after a number."""
    if len(title) < 10 or " " in title or rng.random() > 0.3:
        return [title]
    text = letters(body)
    cuts = [i for i in range(4, len(title) - 3)
            if (text.count(title[i - 1 : i + 1]) >= 2 and title[i - 1 : i + 1].isalpha())
            or (title[i - 2].isdigit() and title[i - 1] in "万亿")]
    if not cuts:
        return [title]
    cut = rng.choice(cuts)
    return [title[:cut], title[cut:]]


def _body_lines(story: Story, width: int, rng: random.Random) -> list[str]:
    out: list[str] = []
    paragraphs = list(story.paragraphs)
    for n, paragraph in enumerate(paragraphs):
        if paragraph.startswith("## "):
            out.append(paragraph[3:])
            continue
        lines = [_noisy(x, rng) for x in wrap(paragraph, width)]
        if n == 0 and story.continued_from:
            mark = f"（上接{story.continued_from.replace('第', rng.choice(['第', '第 ']))}）"
            lines = [mark, *lines] if rng.random() < 0.4 else [mark + lines[0], *lines[1:]]
        for i in range(len(lines) - 2, 0, -1):
            if rng.random() < 0.03:
                lines[i : i + 2] = [lines[i] + lines[i + 1]]
        out += lines
    if story.credit:
        spaced = story.credit if rng.random() < 0.7 else story.credit.replace(" 摄", "摄")
        if rng.random() < 0.5:
            out[-1] += " " + spaced
        else:
            out.append(spaced)
    return out


def _item_blocks(story: Story, rng: random.Random, after: bool, width: int) -> list[list[str]]:
    """The blocks of one item in printed order: column label, headline, box, byline, body."""
    body = "".join(story.paragraphs)
    head: list[str] = []
    if story.title is not None:
        head = [x for x in (story.kicker, *_title_lines(story.title, body, rng), story.subtitle) if x]
    column = [story.column + rng.choice(["", "", " l", "I"])] if story.column else []
    box = ["阅 读 提 示", *wrap(story.summary, 2 * width)] if story.summary else []
    byline = [story.byline] if story.byline else []
    text = _body_lines(story, width, rng)
    if story.note:
        return [x for x in (text, [story.note], column) if x]
    if after or (story.kind == "continuation" and not head):
        blocks = [column, byline, text, head, box]
    else:
        blocks = [column, head, box, byline, text]
    return [b for b in blocks if b]


def _anchor(story: Story, others: list[str]) -> str:
    text = letters(_LEAD.sub("", "".join(p for p in story.paragraphs if not p.startswith("## "))))
    for start in range(2, max(3, len(text) - 12)):
        run = text[start : start + 12]
        if not any(run in other for other in others):
            return run
    return text[:12]


def _gold(file: str, stories: list[Story]) -> GoldPage:
    bodies = [letters("".join(s.paragraphs)) for s in stories]
    items = []
    for story, body in zip(stories, bodies, strict=True):
        lines = [] if story.title is None else [x for x in (story.kicker, story.title, story.subtitle) if x]
        items.append(GoldItem(
            page=file, kind=story.kind, anchor=_anchor(story, [b for b in bodies if b is not body]),
            titles=None if story.title is None and not story.note else _titles(story),
            lines=frozenset(lines or ([story.note] if story.note else [])), authors=frozenset(story.authors),
            provinces=frozenset({story.province}) if story.province else NATIONAL,
        ))
    return GoldPage(file, tuple(items))


def _titles(story: Story) -> tuple[str, ...]:
    """What a reader accepts as the main title: of two headline lines without a dash to tell
    kicker or subtitle, either (as the real pages' gold has it)."""
    lines = [x for x in (story.kicker, story.title, story.subtitle) if x]
    if len(lines) == 2 and not lines[0].endswith("——") and not lines[1].startswith("——"):
        return (story.gold_title, *(x for x in lines if x != story.gold_title))
    return (story.gold_title,)


def _join(blocks: list[list[str]], rng: random.Random, mode: str) -> str:
    out: list[str] = []
    for n, block in enumerate(blocks):
        if n and mode == "blocks" and rng.random() > 0.25:
            out.append("")
        for line in block:
            out.append(line)
            if mode == "every":
                out.append("")
    return "\n".join(out).strip("\n") + "\n"


def generated_page(number: int) -> list[GeneratedPage]:
    """Page `number` of the generated set, and its second extraction when it has one."""
    rng = random.Random(number)
    pool = list(seed_stories())
    stories = rng.sample(pool, rng.randint(3, 8))
    mode = rng.choice(["every", "every", "none", "blocks"])
    placement = rng.choice(["after", "after", "before", "mixed"])
    blocks: list[list[str]] = []
    for story in stories:
        after = placement == "after" or (placement == "mixed" and rng.random() < 0.5)
        blocks += _item_blocks(story, rng, after, rng.randint(12, 30))
        if rng.random() < 0.04:
            blocks.append([rng.choice(["l", "I", "|", "i"])])
    date = FIRST_DAY + dt.timedelta(days=number)
    file = f"g{number:04d}.txt"
    pages = [GeneratedPage(file, date, _join(blocks, rng, mode), _gold(file, stories))]
    if rng.random() < 0.15:
        copy = f"g{number:04d}b.txt"
        pages.append(GeneratedPage(copy, date, second_extraction(stories, rng), GoldPage(copy, (), file)))
    return pages


def second_extraction(stories: list[Story], rng: random.Random) -> str:
    """The same page from another extractor: every headline first, one paragraph a line (a
    few cut in two), ASCII punctuation, a kicker sometimes on the title's line."""
    out: list[str] = []
    for story in rng.sample(stories, len(stories)):
        head = [x for x in (story.kicker, story.title, story.subtitle) if x] if story.title else []
        if len(head) >= 2 and rng.random() < 0.3:
            head = [f"{head[0]} {head[1]}", *head[2:]]
        out += head
        if story.byline:
            out.append(story.byline)
        for n, paragraph in enumerate(p.removeprefix("## ") for p in story.paragraphs):
            text = (f"（上接{story.continued_from}）" if n == 0 and story.continued_from else "") + paragraph
            cut = rng.randint(20, 60) if len(text) > 80 and rng.random() < 0.3 else len(text)
            out += [x for x in (text[:cut], text[cut:]) if x]
        if story.credit:
            out.append(story.credit)
    text = "\n".join(out) + "\n"
    return text.translate(str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";", "！": "!", "？": "?"}))


def generated_set(count: int, start: int = 0) -> list[GeneratedPage]:
    return [page for number in range(start, start + count) for page in generated_page(number)]


def write_set(pages: list[GeneratedPage], out: Path) -> None:
    """Pages, editions.yaml and gold.yaml in `out`, ready for `make eval-ingest PAGES=out`."""
    out.mkdir(parents=True, exist_ok=True)
    for page in pages:
        (out / page.file).write_text(page.text, "utf-8")
    (out / "editions.yaml").write_text(yaml.safe_dump([{"file": p.file, "date": p.date} for p in pages]), "utf-8")
    gold = {p.file: _gold_entry(p) for p in pages}
    (out / "gold.yaml").write_text(yaml.safe_dump({"pages": gold}, allow_unicode=True, width=1000), "utf-8")


def _gold_entry(page: GeneratedPage) -> dict[str, object]:
    entry: dict[str, object] = {"edition": page.date, "items": [
        {"kind": i.kind, "anchor": i.anchor, "titles": list(i.titles) if i.titles else None, "lines": sorted(i.lines),
         "authors": sorted(i.authors), "provinces": sorted(i.provinces, key=str)} for i in page.gold.items]}
    if page.gold.duplicate_of:
        entry["duplicate_of"] = page.gold.duplicate_of
    return entry


def main() -> None:
    parser = argparse.ArgumentParser(description="write the generated page set with its gold")
    parser.add_argument("--out", required=True)
    parser.add_argument("--pages", type=int, default=240)
    parser.add_argument("--start", type=int, default=0, help="number of the first page (another sample)")
    args = parser.parse_args()
    write_set(generated_set(args.pages, args.start), Path(args.out))


if __name__ == "__main__":
    main()
