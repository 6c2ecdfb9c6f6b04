"""What a search unit's index is made from, and its key: the indexed part of each article page.

A unit's key is a digest of the Pagefind version, the index settings, the unit's name and,
for every article page of the unit, its path and the bytes of its `data-pagefind-body`
element (the part Pagefind indexes: the page footer's link to the latest edition changes
every day and must not force a re-index).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from importlib.metadata import version
from pathlib import Path

from site_builder.atomic import atomic_write
from site_builder.search.grams import FORMAT
from site_builder.search.units import Unit, plan_units
from site_builder.site.fingerprint import code_fingerprint, walk_tree

# Inside `data-pagefind-body` but noise in excerpts (date · page · province line, box labels,
# continuation notes). Filters inside them (province) are still read.
EXCLUDE = (".story-meta", ".summary-label", ".continued", ".badge")
PAGEFIND_VERSION = version("pagefind")
PARTS_FILE = "search-parts.json"  # in the live site's cache folder (see `PartDigests`)

_BODY_OPEN = re.compile(rb"<([a-z][a-z0-9]*)\b[^>]*\sdata-pagefind-body\b[^>]*>")


def indexed_part(html: bytes) -> bytes:
    """The `data-pagefind-body` element of a page ('' when it has none).

    >>> indexed_part(b'<p>x</p><article class="s" data-pagefind-body><article>a</article></article><nav>')
    b'<article class="s" data-pagefind-body><article>a</article></article>'
    """
    match = _BODY_OPEN.search(html)
    if match is None:
        return b""
    tag = match.group(1)
    depth = 0
    for m in re.finditer(rb"<(/?)" + re.escape(tag) + rb"\b[^>]*>", html[match.start():]):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return html[match.start():match.start() + m.end()]
    return html[match.start():]


class PartDigests:
    """The digest of each page's indexed part, by the page file's identity (inode, size,
    mtime): a build reads the pages it wrote, not every article page of the archive again
    (~2 s at 10,000 articles). Kept in the live site's cache folder (`search-parts.json`);
    the site never changes a file in place, so a file with the same identity has the same
    bytes. Missing, from other code or damaged: every page is read."""

    def __init__(self, file: Path | None = None) -> None:
        self.file = file
        self.known: dict[str, list[object]] = {}
        self.found: dict[str, list[object]] = {}
        if file is None:
            return
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("code") == code_fingerprint() and isinstance(data.get("pages"), dict):
            self.known = data["pages"]

    def digest(self, path: str, rel: str) -> bytes:
        """The digest of the page's `indexed_part` (b'' when it has none)."""
        st = os.stat(path)
        stamp: list[object] = [st.st_ino, st.st_size, st.st_mtime_ns]
        before = self.known.get(rel)
        if (isinstance(before, list) and len(before) == 4 and before[:3] == stamp and isinstance(before[3], str)
                and len(before[3]) in (0, 64)):
            try:
                digest = bytes.fromhex(before[3])
            except ValueError:
                digest = _part_digest(path)
        else:
            digest = _part_digest(path)
        self.found[rel] = [*stamp, digest.hex()]
        return digest

    def save(self) -> None:
        if self.file is not None and self.found != self.known:
            atomic_write(self.file, json.dumps({"code": code_fingerprint(), "pages": self.found},
                                               separators=(",", ":")).encode("utf-8"))


def _part_digest(path: str) -> bytes:
    with open(path, "rb") as f:
        part = indexed_part(f.read())
    return hashlib.sha256(part).digest() if part else b""


def month_pages(site: Path, parts: PartDigests | None = None) -> dict[tuple[int, int], list[tuple[str, bytes]]]:
    """(year, month) → (path, digest of the indexed part) of each article page, in path order.

    Article pages are the pages under `<year>/<month>/` with a `data-pagefind-body` element."""
    parts = parts or PartDigests()
    found: dict[tuple[int, int], list[tuple[str, bytes]]] = {}
    for year in sorted(p for p in site.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name)):
        for month in sorted(p for p in year.iterdir() if p.is_dir() and re.fullmatch(r"0[1-9]|1[0-2]", p.name)):
            pages = []
            below = walk_tree(str(month), f"{year.name}/{month.name}/")
            for rel, entry in sorted(below, key=lambda found: found[0]):
                if rel.endswith(".html") and entry.is_file(follow_symlinks=False):
                    digest = parts.digest(entry.path, rel)
                    if digest:
                        pages.append((rel, digest))
            if pages:
                found[int(year.name), int(month.name)] = pages
    parts.save()
    return found


def unit_keys(site: Path, parts: PartDigests | None = None) -> dict[Unit, tuple[str, int]]:
    """Each unit of the site: (its key, the number of pages Pagefind will index)."""
    pages = month_pages(site, parts)
    keys = {}
    for unit in plan_units({month: len(found) for month, found in pages.items()}):
        digest = hashlib.sha256(f"pagefind {PAGEFIND_VERSION} grams {FORMAT} exclude {EXCLUDE} "
                                f"unit {unit.name}\n".encode())
        count = 0
        for month in unit.months:
            for path, part in pages.get((unit.year, month), []):
                digest.update(path.encode() + b"\0" + part)
                count += 1
        keys[unit] = (digest.hexdigest(), count)
    return keys
