"""What a careful reader finds on a page (a gold annotation), to measure the ingest against.

A gold file (YAML) lists, per raw page, every item a person reads on it:

    pages:
      p01_916894d0ed79642e.txt:
        edition: 2019-02-28
        items:
          - {kind: article, anchor: 一场艺术展在浙江省丽水市, titles: [浙江松阳县举办山村艺术展],
             lines: [浙江松阳县举办山村艺术展], authors: [方敏], provinces: [浙江]}
      p02_267e944d2f3ef29d.txt:
        duplicate_of: p01_916894d0ed79642e.txt    # a second extraction: nothing may appear twice
        items: []

`anchor` is a run of the item's body (CJK, letters and digits) unique on its page; `titles`
the acceptable main titles (null: printed without a headline); `lines` every headline line
(引题/主题/副题, order-free); `provinces` the acceptable provinces (null or 全国: national).

A newsroom's own corrected articles are a gold too: `gold_from_articles` reads one from
reviewed `content/` files, so the seed pages are measured against the committed content.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from site_builder.ingest.clean import letters
from site_builder.models import Article, Problem

ANCHOR_LENGTH = 12
NATIONAL = frozenset({None, "全国"})


@dataclass(frozen=True)
class GoldItem:
    page: str
    kind: str
    anchor: str
    titles: tuple[str, ...] | None  # None: no headline printed (the title is the body's start)
    lines: frozenset[str]
    authors: frozenset[str]
    provinces: frozenset[str | None]
    line: int = 0  # where the item is written in the gold file

    @property
    def label(self) -> str:
        return self.titles[0] if self.titles else f"[{self.anchor}…]"


@dataclass(frozen=True)
class GoldPage:
    file: str
    items: tuple[GoldItem, ...]
    duplicate_of: str | None = None


def read_gold(path: Path) -> tuple[dict[str, GoldPage], list[Problem]]:
    """Pages of a gold file, with every problem of the file as `path:line: message`."""
    label = str(path)
    try:
        root = yaml.compose(path.read_text("utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [Problem(label, 1, f"cannot read the gold file ({exc})")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return {}, [Problem(label, int(mark.line) + 1 if mark else 1, f"malformed YAML: {exc}")]
    pages_node = _get(root, "pages")
    if not isinstance(pages_node, yaml.MappingNode):
        return {}, [Problem(label, 1, "expected a mapping `pages:` of page files")]
    pages: dict[str, GoldPage] = {}
    problems: list[Problem] = []
    for key, node in pages_node.value:
        file = str(key.value)
        items_node = _get(node, "items")
        items: list[GoldItem] = []
        for item_node in items_node.value if isinstance(items_node, yaml.SequenceNode) else []:
            item, problem = _item(file, item_node, label)
            if item is not None:
                items.append(item)
            if problem is not None:
                problems.append(problem)
        duplicate = _get(node, "duplicate_of")
        pages[file] = GoldPage(file, tuple(items), str(duplicate.value) if isinstance(duplicate, yaml.ScalarNode) else None)
    return pages, problems


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if k.value == key), None)


def _item(page: str, node: yaml.Node, label: str) -> tuple[GoldItem | None, Problem | None]:
    line = int(node.start_mark.line) + 1
    value = yaml.SafeLoader("").construct_object(node, deep=True)
    if not isinstance(value, dict) or not isinstance(value.get("anchor"), str) or not value["anchor"]:
        return None, Problem(label, line, "an item needs an `anchor` (a run of its body's characters)")
    titles = value.get("titles")
    item = GoldItem(
        page=page, kind=str(value.get("kind") or "article"), anchor=letters(value["anchor"]),
        titles=tuple(_norm(str(t)) for t in titles) if isinstance(titles, list) and titles else None,
        lines=frozenset(_norm(str(x)) for x in value.get("lines") or ()),
        authors=frozenset(str(a) for a in value.get("authors") or ()),
        provinces=frozenset(None if p is None else str(p) for p in value.get("provinces") or (None,)),
        line=line,
    )
    return item, None


def _norm(text: str) -> str:
    """Headlines compare with their spaces collapsed: `划分片区 协作办案`."""
    return " ".join(text.split())


def gold_from_articles(articles: Iterable[Article]) -> dict[str, GoldPage]:
    """A gold read from reviewed articles: each article one item of its source page; a page
    named only in `also_in` is a second extraction of the page the article came from."""
    by_page: dict[str, list[Article]] = {}
    duplicates: dict[str, str] = {}
    for article in articles:
        by_page.setdefault(article.source.file, []).append(article)
        for other in article.also_in:
            duplicates.setdefault(other, article.source.file)
    pages = {file: GoldPage(file, (), original) for file, original in duplicates.items() if file not in by_page}
    for file, found in sorted(by_page.items()):
        found.sort(key=lambda a: a.source.lines)
        bodies = [letters(a.body) for a in found]
        items = []
        for article, body in zip(found, bodies, strict=True):
            derived = is_derived_title(article)
            items.append(GoldItem(
                page=file, kind=article.kind, anchor=_unique_run(body, [b for b in bodies if b is not body]),
                titles=None if derived else (_norm(article.title),),
                lines=frozenset() if derived else frozenset(
                    _norm(x) for x in (article.kicker, article.title, article.subtitle) if x),
                authors=frozenset(a.name for a in article.authors),
                provinces=frozenset({article.province}) if article.province else NATIONAL,
            ))
        pages[file] = GoldPage(file, tuple(items), duplicates.get(file))
    return pages


def _unique_run(body: str, others: list[str]) -> str:
    """The first run of ANCHOR_LENGTH characters of `body` that no other body holds."""
    for start in range(0, max(1, len(body) - ANCHOR_LENGTH + 1)):
        run = body[start : start + ANCHOR_LENGTH]
        if not any(run in other for other in others):
            return run
    return body


def is_derived_title(article: Article) -> bool:
    """A title the ingest made from the body's first words (an item printed without one)."""
    stem = letters(article.title.removesuffix("……"))
    return bool(stem) and letters(article.body.replace("\\", "")).startswith(stem) and not article.kicker \
        and not article.subtitle
