"""Articles as the build holds them: front-matter in memory, the body on disk.

A `StoredArticle` reads its body from its file when asked for (the last few are kept), and
its repeated values (names, roles, places, dates) are shared between articles: at 100,000
articles this keeps the archive in memory a third smaller, in every forked worker too.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from site_builder.characters import strip_bidi
from site_builder.frontmatter import split_front_matter
from site_builder.models import Article, Author, Source

T = TypeVar("T")

class StoredArticle(Article):
    """An article read from `content/`: its body is read from its file when asked for.

    A 100,000-article archive holds ~450 MB of body text, so only the front-matter is kept
    in memory. An article's outputs (page, e-book, citations, data) are made one after
    another: the last few bodies are kept, so each file is read once for all of them.
    """

    __slots__ = ()

    @property
    def body(self) -> str:
        return cached_body(self.path, self.digest)

    @body.setter
    def body(self, value: str) -> None:
        pass  # the dataclass __init__ assigns it; the file is the truth

    def __reduce__(self) -> tuple[Callable[[tuple[object, ...]], StoredArticle], tuple[tuple[object, ...]]]:
        # Sent between processes without its body (which would be read from disk to send),
        # and made again with `stored`: its repeated values are shared with those of the
        # articles received before (a pickle shares them only within one message).
        return _received, (tuple(getattr(self, name) for name in STORED_FIELDS),)


# An article's fields but the body, in Article's order: the order `stored_values` takes.
STORED_FIELDS = tuple(f.name for f in dataclasses.fields(Article) if f.name != "body")


def _received(values: tuple[object, ...]) -> StoredArticle:
    return stored_values(list(values))  # (in `STORED_FIELDS` order: the order it takes)


def read_body(path: Path) -> str:
    """The body as `parse_article` gives it (bidi controls removed; the file was checked)."""
    return _body_of(path.read_bytes())


def _body_of(raw: bytes) -> str:
    split = split_front_matter(normalise(raw.decode("utf-8")))
    return strip_bidi(split[1]).strip("\n") if split else ""


_BODIES: collections.OrderedDict[tuple[str, str], str] = collections.OrderedDict()
KEPT_BODIES = 64  # more than an edition's items


def cached_body(path: str, digest: str) -> str:
    """The body of the file at `path` as it was when its `digest` was taken, from the last
    few read. A file changed since (saved during the build) is read but never kept: under
    its old digest it would be shown again if the edit were undone (`build.py serve`)."""
    key = (path, digest)
    body = _BODIES.get(key)
    if body is not None:
        _BODIES.move_to_end(key)
        return body
    raw = Path(path).read_bytes()
    body = _body_of(raw)
    if hashlib.sha256(raw).hexdigest()[:32] == digest:
        _BODIES[key] = body
        if len(_BODIES) > KEPT_BODIES:
            _BODIES.popitem(last=False)
    return body


def normalise(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def stored(fields: dict[str, Any]) -> StoredArticle:
    """A StoredArticle of `fields` (every field but the body): see `stored_values`."""
    return stored_values([fields[name] for name in STORED_FIELDS])


def stored_values(values: list[Any], *, parts_shared: bool = False) -> StoredArticle:
    """A StoredArticle of its fields in the order of Article's, the body left out (a list,
    changed in place), whose repeated values (names, roles, places, dates …) are shared.

    At 100,000 articles the same few thousand names and places would otherwise be held
    once per article: sharing them keeps the archive in memory a third smaller. Made from
    positional values, not keywords (in two thirds of the time): every build makes one from the
    parse cache for every content file. `parts_shared`: its date, authors and source were made
    shared already (by `shared_author`, `shared_source`, one date object per day).
    """
    for i in _SHARED_TEXT:
        if values[i] is not None:
            values[i] = sys.intern(values[i])
    values[_PLACES] = tuple(map(sys.intern, values[_PLACES]))
    values[_ALSO_IN] = tuple(map(sys.intern, values[_ALSO_IN]))
    if not parts_shared:
        values[_DATE] = _shared(values[_DATE])
        values[_AUTHORS] = tuple([shared_author(a.name, a.role) for a in values[_AUTHORS]])
        values[_SOURCE] = shared_source(values[_SOURCE].file, values[_SOURCE].lines)
    values.insert(_BODY, "")  # (read from the file when asked for)
    return StoredArticle(*values)


_SHARED_TEXT = tuple(STORED_FIELDS.index(name)
                     for name in ("kind", "column", "page_name", "dateline", "province", "continued_from"))
_PLACES, _ALSO_IN, _DATE, _AUTHORS, _SOURCE = (STORED_FIELDS.index(name)
                                               for name in ("places", "also_in", "date", "authors", "source"))
_BODY = [f.name for f in dataclasses.fields(Article)].index("body")
_SHARED: dict[object, Any] = {}
# Authors by (name, role): a tuple of strings is hashed and compared in C, an Author (a
# dataclass) by Python code, several times slower.
_AUTHOR_OF: dict[tuple[str, str], Author] = {}


def _shared(value: T) -> T:
    return _SHARED.setdefault(value, value)  # type: ignore[no-any-return]


def shared_date(day: dt.date) -> dt.date:
    return _shared(day)


def shared_source(file: str, lines: tuple[int, int]) -> Source:
    """A Source is the article's own; its few hundred line ranges are shared."""
    return Source(sys.intern(file), _shared(lines))


def shared_author(name: str, role: str) -> Author:
    """The one Author of this name and role (made the first time it is asked for)."""
    author = _AUTHOR_OF.get((name, role))
    if author is None:
        author = _AUTHOR_OF[name, role] = Author(name, role)
    return author
