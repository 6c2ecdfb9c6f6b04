"""What a build writes, as specs: one `Output` per file, rendered only when its key changed.

A producer is a function `(archive, config) -> Iterable[Output]`. The pipeline asks each
producer for its outputs, compares each output's key (plus the fingerprint of the code and
of the templates it names) with the key recorded for that path by the previous build, and
calls `render()` only for the outputs whose key changed or whose file is missing. So a key
must change whenever the bytes would change: build it with `key_of` from every value the
output shows (an article's `digest` stands for all of its front-matter and body).

>>> key_of("feed", ["20231031-3f9a2c1e"], 20) == key_of("feed", ["20231031-3f9a2c1e"], 20)
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from site_builder.models import Article

if TYPE_CHECKING:
    from site_builder.site.pieces import PieceStore

Contents = str | bytes | Iterable[str | bytes]


def contents_bytes(contents: Contents) -> bytes:
    """All of an output's contents as bytes (for tests and small files)."""
    if isinstance(contents, str):
        return contents.encode("utf-8")
    if isinstance(contents, bytes):
        return contents
    return b"".join(contents_bytes(piece) for piece in contents)


@dataclass(frozen=True)
class Output:
    kind: str  # home, edition, article, feed, sitemap, epub, data …: counted per kind in the report
    path: str  # root-relative, names a file: "2023/10/31/edition.epub"
    key: str  # digest of everything the bytes depend on, apart from code and templates
    # The file's contents (str is written as UTF-8), or its pieces in order: a big file
    # (`data/articles.jsonl` holds every article) is written as it is made, never held whole.
    render: Callable[[], Contents]
    templates: tuple[str, ...] = ()  # Jinja templates it renders (their extends/includes follow)
    # A big file made of keyed pieces renders with the pieces its last build kept (`pieces`):
    # the same contents as `render()`, re-making only the pieces whose key changed.
    pieces: Callable[[PieceStore], Contents] | None = None
    # Site-wide outputs that share a group (one after another) are rendered by one worker, in
    # order: files made together (a search unit's) are then made once. '' = its own group.
    group: str = ""


def key_of(*parts: object) -> str:
    """A stable digest of JSON-able values (dates, tuples and dataclass-free values)."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def listing_key(article: Article) -> str:
    """What a page that lists an article (title, byline, page, province …, never the body)
    depends on: its front-matter's digest. An edit of the body alone leaves it unchanged."""
    return article.meta_digest or article_key(article)


def article_key(article: Article) -> str:
    """The digest of an article's file (front-matter and body), or of its fields if it has none."""
    return article.digest or key_of(repr(article))
