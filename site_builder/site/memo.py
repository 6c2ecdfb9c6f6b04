"""Each edition's planned outputs kept from the last build: an edit plans one edition anew.

Planning asks every producer for every output's path and key: at 10,000 articles ~34,000
outputs and about a second of CPU, for an edit that changes one edition's outputs. An
edition's outputs (its page, its articles' pages, e-book, JSON and citation files) are made
from that edition (its sheets, its articles, each named by its file's digest, and the dates
of the editions before and after it), the front-matter of the editions before it (its page
lists the same day in past years, its articles' pages related earlier articles), the code,
the templates, the site settings and the producers. An edit of an article's front-matter
plans the later editions again too (their files are rendered only if their keys changed);
a new edition, or an edit of a body, leaves the older editions' memo as it was. So the last build's paths and keys for an edition whose
`edition_context` is unchanged are the ones its producers would give again: the plan takes
them from the memo (`.<out>-cache/editions.jsonl`) when the live site has each of those
files with that key, and asks the producers only for the other editions.

An entry says what a context's outputs are, whichever build wrote it, so a memo left by an
older build is never wrong, only missing entries. A memo that is missing, made with other
code, templates, settings or producers (`memo_base`), or damaged reads as empty from there
on. It is data (JSON lines), read one edition at a time, in date order, as the plan goes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from site_builder.models import Edition
from site_builder.site.manifest import FileEntry
from site_builder.site.outputs import Output, article_key, listing_key

MEMO_FILE = "editions.jsonl"
FORMAT = 1
KEY_BYTES = 16  # as the plan holds keys (see `plan.Plan`)
Keyed = tuple[str, bytes]  # an output's path and final key, as the memo kept them


def memo_base(*parts: str) -> str:
    """The digest of what every edition's outputs depend on besides the edition: code,
    templates, settings, producers."""
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]


def edition_context(edition: Edition, before: Edition | None, after: Edition | None, earlier: str = "") -> str:
    """The digest of all an edition's outputs are made from: its date and sheets, every
    article by its file's path and digest (front-matter and body), the dates of the
    editions around it (its page links to them) and `earlier`, the front-matter of every
    edition before it (`earlier_digest`: its past years and related articles are chosen there)."""
    parts = [str(edition.date), str(before and before.date), str(after and after.date), earlier]
    for sheet in edition.sheets:
        parts.append(f"{sheet.number}\0{sheet.name}\0{sheet.source_file}")
        parts += (f"{a.path}\0{article_key(a)}" for a in sheet.articles)
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def earlier_digest(earlier: str, edition: Edition) -> str:
    """`earlier` (the digest of the editions before `edition`) with `edition`'s front-matter
    added: a new edition leaves every older edition's digest as it was."""
    parts = [earlier, str(edition.date), *(listing_key(a) for a in edition.articles)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Entry:
    """One edition's outputs as the build that wrote the entry planned them."""

    context: str
    paths: tuple[str, ...]
    keys: bytes  # KEY_BYTES per path

    def keyed(self) -> Iterator[tuple[str, bytes]]:
        for i, path in enumerate(self.paths):
            yield path, self.keys[i * KEY_BYTES:(i + 1) * KEY_BYTES]

    def live(self, old: Mapping[str, FileEntry]) -> bool:
        """Whether the live site's manifest has every one of these files with its key."""
        keys, width = self.keys.hex(), 2 * KEY_BYTES
        for i, path in enumerate(self.paths):
            entry = old.get(path)
            if entry is None or entry.key != keys[i * width:(i + 1) * width]:
                return False
        return True


class EditionMemo:
    """The memo of one output folder, read forward: `get` each edition in date order."""

    def __init__(self, lines: Iterator[str], base: str) -> None:
        self._lines = lines
        self._next: tuple[str, Entry] | None = None
        self.base = base
        self.read = 0  # entries read
        self.found = 0  # entries given back by `get`
        self.groups: list[Group] = []  # the editions planned (`planned`), in plan order
        self._advance()

    @classmethod
    def open(cls, folder: Path, base: str) -> EditionMemo:
        return cls(_entries_of(folder / MEMO_FILE, base), base)

    @classmethod
    def empty(cls, base: str) -> EditionMemo:
        return cls(iter(()), base)

    def planned(self, editions: Sequence[Edition], outputs_of: Callable[[int], Iterable[Output]],
                old: Mapping[str, FileEntry]) -> Iterator[Output | Keyed]:
        """Each edition's outputs in order: as (path, key) pairs when the memo has its context
        and the live site (`old`) has each of its files with the memo's key, else as made by
        `outputs_of(i)`. Records each edition's place in the plan (`groups`)."""
        earlier = ""
        for i, edition in enumerate(editions):
            context = edition_context(edition, editions[i - 1] if i else None,
                                      editions[i + 1] if i + 1 < len(editions) else None, earlier)
            earlier = earlier_digest(earlier, edition)
            entry = self.get(edition.date.isoformat())
            items: list[Output | Keyed]
            if entry is not None and entry.context == context and entry.live(old):
                items = list(entry.keyed())
            else:
                items, entry = list(outputs_of(i)), None
            start = self.groups[-1].end if self.groups else 0
            self.groups.append(Group(edition.date.isoformat(), context, start, start + len(items), entry is not None))
            yield from items

    def save(self, folder: Path, paths: Iterable[str], keys: bytes) -> None:
        """Written again after a build (`paths` and `keys` the plan's, in plan order), unless
        it holds exactly what this build planned already."""
        if not self.exhausted_exactly(len(self.groups)) or not all(g.memo for g in self.groups):
            write_memo(folder, self.base, self.groups, paths, keys)

    def _advance(self) -> None:
        line = next(self._lines, None)
        self._next = None
        if line is None:
            return
        try:
            date, context, paths, keys = json.loads(line)
            entry = Entry(context, tuple(paths.split("\n")), bytes.fromhex(keys))
        except (ValueError, TypeError, AttributeError):
            self._lines = iter(())  # damaged from here on: the rest is not used
            return
        if len(entry.keys) != KEY_BYTES * len(entry.paths) or not isinstance(date, str):
            self._lines = iter(())
            return
        self._next = (date, entry)
        self.read += 1

    def get(self, date: str) -> Entry | None:
        """The entry of the edition of `date` (ISO), if the memo has one. Dates asked for
        must rise: entries before `date` are passed over for good."""
        while self._next is not None and self._next[0] < date:
            self._advance()
        if self._next is None or self._next[0] != date:
            return None
        entry = self._next[1]
        self.found += 1
        self._advance()
        return entry

    def exhausted_exactly(self, editions: int) -> bool:
        """After the last `get`: whether the memo held exactly the entries given back, one
        per edition (then writing it again would write the same)."""
        while self._next is not None:
            self._advance()
        return self.found == self.read == editions


def _entries_of(path: Path, base: str) -> Iterator[str]:
    try:
        with path.open(encoding="utf-8") as lines:
            if json.loads(next(lines, "null")) != {"format": FORMAT, "base": base}:
                return
            yield from lines
    except (OSError, ValueError):
        return


@dataclass(frozen=True)
class Group:
    """An edition's outputs in the plan: positions `start` to `end` (not included)."""

    date: str
    context: str
    start: int
    end: int
    memo: bool  # taken from the memo (its producers were not asked)


def write_memo(folder: Path, base: str, groups: Sequence[Group], paths: Iterable[str], keys: bytes) -> None:
    """The memo of a finished build: `paths` and `keys` are the plan's, in plan order.
    Written to a temporary file and renamed: a memo is never half-written."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{MEMO_FILE}.tmp"  # one build at a time (the lock)
    with tmp.open("w", encoding="utf-8") as out:
        _write(out, base, groups, paths, keys)
    os.replace(tmp, folder / MEMO_FILE)


def _write(out: IO[str], base: str, groups: Sequence[Group], paths: Iterable[str], keys: bytes) -> None:
    out.write(json.dumps({"format": FORMAT, "base": base}) + "\n")
    walk = iter(paths)  # the groups come first in the plan, one after the other
    for group in groups:
        mine = "\n".join(next(walk) for _ in range(group.start, group.end))
        text = keys[group.start * KEY_BYTES:group.end * KEY_BYTES].hex()
        out.write(json.dumps([group.date, group.context, mine, text], ensure_ascii=False) + "\n")
