"""Pagefind indexes per unit (a year, quarter or month; see `units`), made on the staging
site, reused when a unit's articles are unchanged.

Layout under `pagefind/`:

- `lib/`: the Pagefind library (pagefind.js, its worker and WebAssembly) with a one-record
  index. The search page creates one Pagefind instance per unit from it and merges that
  unit's index into it (`mergeIndex`), so the library is loaded once for all units.
- `<unit>/` (`2022`, `2022-q3`, `2022-11`): that unit's index (no library files), its
  substring index `grams/`, and `.key`.

A unit's key (`parts.unit_keys`) is a digest of what it indexes; a unit whose `.key` in
staging matches is kept.

Units are indexed two at a time (two cores), and two only while their pages together stay
under `PARALLEL_PAGES`: Pagefind's memory grows with the pages of the index it writes.

Staging may be a hard-linked copy of the live site, so no file is ever changed in place:
a unit is written into a new folder that then replaces the old one.

Pagefind's service answers that it has written an index while its last writes can still be
under way (its files are written by background threads, not flushed before it answers), and
the Python API stops the service at once: at 10,000 articles a unit's `pagefind-entry.json`
was left empty, and the search page fell back to its offline index. So the service is kept
running until the bundle it wrote is whole on disk (`incomplete`), and a unit whose bundle
is not whole is never reused: it is indexed again.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import json
import os
import re
import shutil
import time
import zlib
from collections.abc import AsyncIterator, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import PagefindService

from site_builder.search.grams import GRAMS_DIR, write_gram_index
from site_builder.search.page import PAGEFIND_DIR
from site_builder.search.parts import EXCLUDE, PAGEFIND_VERSION, PARTS_FILE, PartDigests, unit_keys
from site_builder.search.units import Unit, is_unit_name
from site_builder.site.fingerprint import walk_tree
from site_builder.site.state import cache_dir

LIB_DIR = "lib"
KEY_FILE = ".key"
# Two Pagefind processes at a time (two cores), holding together at most this many pages
# (~0.4 MB each; `units`); a larger unit is indexed alone.
PARALLEL_UNITS = 2
PARALLEL_PAGES = 2_000
ENTRY_FILE = "pagefind-entry.json"
# What a merged unit index needs; the library files are in lib/ only.
UNIT_KEEP = (ENTRY_FILE, "index", "fragment", "filter", GRAMS_DIR, KEY_FILE)
LIB_KEEP = ("pagefind.js", "pagefind-worker.js", ENTRY_FILE, "index", "fragment", "filter",
            KEY_FILE)
SETTLE_SECONDS = 60.0  # how long a bundle Pagefind said it wrote may take to be whole on disk
# Pagefind's gzip-compressed files (each a whole gzip stream when written out).
_COMPRESSED = re.compile(r".*\.pf_(meta|fragment|index|filter)|wasm\..*\.pagefind")


class SearchIndexError(RuntimeError):
    """Pagefind failed or indexed the wrong number of pages; the build must not be swapped in."""


@dataclass(frozen=True)
class UnitIndex:
    unit: Unit
    reused: bool
    pages: int
    gram_bytes: int


def lib_key() -> str:
    return hashlib.sha256(f"pagefind lib {PAGEFIND_VERSION}".encode()).hexdigest()


def recorded_key(folder: Path) -> str | None:
    key = folder / KEY_FILE
    return key.read_text(encoding="utf-8").strip() if key.is_file() else None


def _prune(folder: Path, keep: Iterable[str], *, library: bool = False) -> None:
    """Drop what Pagefind writes that the site does not load (its UI bundles, a library per unit)."""
    kept = set(keep)
    for entry in folder.iterdir():
        if entry.name in kept or entry.name.endswith(".pf_meta") or (library and entry.name.startswith("wasm.")):
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _replace_dir(new: Path, target: Path) -> None:
    """Put `new` where `target` is: old renamed away, new renamed in, old deleted."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _scratch(root: Path, name: str) -> Path:
    folder = root / f".{name}.new-{os.getpid()}"
    if folder.exists():
        shutil.rmtree(folder)
    return folder


def incomplete(folder: Path, pages: int | None = None, *, whole: bool = True) -> str | None:
    """What of the Pagefind bundle in `folder` is missing or cut short; None when it is whole.

    Its `pagefind-entry.json` names one language with `pages` pages (when given) and a
    metadata file that is there; no file Pagefind writes is empty; `whole`: every compressed
    one is a whole gzip stream (read through; only the metadata when not `whole`)."""
    entry_path = folder / ENTRY_FILE
    try:
        (language,) = json.loads(entry_path.read_bytes())["languages"].values()
        meta_hash, count = language["hash"], language["page_count"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return f"{entry_path}: not a Pagefind entry file"
    if not isinstance(meta_hash, str) or not re.fullmatch(r"[\w-]+", meta_hash):
        return f"{entry_path}: not a Pagefind entry file"
    if pages is not None and count != pages:
        return f"{entry_path}: {count} pages, not {pages}"
    meta = f"pagefind.{meta_hash}.pf_meta"
    found = [(rel, entry) for rel, entry in walk_tree(str(folder))
             if rel.startswith("pagefind") or _COMPRESSED.fullmatch(os.path.basename(rel))]
    if meta not in {rel for rel, _ in found}:
        return f"{folder / meta}: missing"
    for rel, entry in found:
        if entry.stat(follow_symlinks=False).st_size == 0:
            return f"{entry.path}: empty"
        if (whole or rel == meta) and _COMPRESSED.fullmatch(os.path.basename(rel)):
            try:
                with open(entry.path, "rb") as f:
                    gzip.decompress(f.read())
            except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
                return f"{entry.path}: cut short ({exc})"
    return None


async def _write_and_settle(index: PagefindIndex, out: Path, pages: int) -> None:
    """Have the service write the index to `out`, then wait (the service still running) until
    the bundle is whole on disk; SearchIndexError when it is not within SETTLE_SECONDS."""
    await index.write_files()
    deadline = time.monotonic() + SETTLE_SECONDS
    while (problem := await asyncio.to_thread(incomplete, out, pages)) is not None:
        if time.monotonic() > deadline:
            raise SearchIndexError(f"pagefind did not write a whole index: {problem}")
        await asyncio.sleep(0.05)


async def _index_unit(site: Path, unit: Unit, key: str, pages: int, limit: _Limit) -> UnitIndex:
    root = site / PAGEFIND_DIR
    out = _scratch(root, unit.name)
    async with limit.take(pages), PagefindService() as service:
        index = await service.create_index(IndexConfig(output_path=str(out), exclude_selectors=list(EXCLUDE)))
        # Only pages with `data-pagefind-body` (the articles) are indexed.
        await index.add_directory(str(site), glob=unit.glob)
        await _write_and_settle(index, out, pages)
    indexed, gram_bytes = await asyncio.to_thread(write_gram_index, out, unit.year)
    _prune(out, UNIT_KEEP)
    (out / KEY_FILE).write_text(key + "\n", encoding="utf-8")
    _replace_dir(out, root / unit.name)
    return UnitIndex(unit, reused=False, pages=indexed, gram_bytes=gram_bytes)


async def _index_lib(site: Path) -> None:
    root = site / PAGEFIND_DIR
    out = _scratch(root, LIB_DIR)
    async with PagefindService() as service:
        index = await service.create_index(IndexConfig(output_path=str(out)))
        # A record no article can be: its id is in no unit's page table, so the search page drops it.
        await index.add_custom_record(url="/search/index.html", content="检索", language="zh-cn",
                                      meta={"title": "检索"})
        await _write_and_settle(index, out, 1)
    _prune(out, LIB_KEEP, library=True)
    (out / KEY_FILE).write_text(lib_key() + "\n", encoding="utf-8")
    _replace_dir(out, root / LIB_DIR)


class _Limit:
    """At most PARALLEL_UNITS jobs at once, holding at most PARALLEL_PAGES pages between them
    (a job larger than that runs alone)."""

    def __init__(self) -> None:
        self.running = 0
        self.pages = 0
        self.changed = asyncio.Condition()

    @contextlib.asynccontextmanager
    async def take(self, pages: int) -> AsyncIterator[None]:
        async with self.changed:
            await self.changed.wait_for(lambda: self.running == 0 or (
                self.running < PARALLEL_UNITS and self.pages + pages <= PARALLEL_PAGES))
            self.running += 1
            self.pages += pages
        try:
            yield
        finally:
            async with self.changed:
                self.running -= 1
                self.pages -= pages
                self.changed.notify_all()


async def _run(site: Path, stale: dict[Unit, tuple[str, int]], lib: bool) -> list[UnitIndex]:
    limit = _Limit()
    # Newest first: the units most likely to have changed, and the largest first for packing.
    jobs = [_index_unit(site, unit, key, pages, limit) for unit, (key, pages) in sorted(stale.items(), reverse=True)]
    if lib:
        await _index_lib(site)
    return list(await asyncio.gather(*jobs))


def _gram_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in (folder / "grams").glob("*.grams"))


def _link_copy(src: Path, dst: Path) -> None:
    """Copy a folder by hard links (a copy when linking is not possible)."""
    def link(s: str, d: str) -> None:
        try:
            os.link(s, d)
        except OSError:
            shutil.copyfile(s, d)
    shutil.copytree(src, dst, copy_function=link)


def index_units(site: Path, previous: Path | None = None) -> list[UnitIndex]:
    """Make `site/pagefind/` current for the units of the site's article pages.

    Units whose key matches the index already in `site` (or, when `previous` is a built site,
    in `previous`, copied in by hard links) are reused; the others are indexed (see `_Limit`).
    Folders of units that no longer exist (no articles, or the year was cut otherwise) are removed.
    """
    root = site / PAGEFIND_DIR
    root.mkdir(exist_ok=True)
    keyed = unit_keys(site, PartDigests(cache_dir(previous) / PARTS_FILE if previous is not None else None))
    wanted = {unit.name for unit in keyed} | {LIB_DIR}
    for entry in root.iterdir():  # an older layout, a unit without articles, leftovers
        if entry.name not in wanted:
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    for name, key in [(u.name, k) for u, (k, _) in keyed.items()] + [(LIB_DIR, lib_key())]:
        target = root / name
        if previous is not None and recorded_key(target) != key \
                and recorded_key(previous / PAGEFIND_DIR / name) == key:
            if target.exists():
                shutil.rmtree(target)
            _link_copy(previous / PAGEFIND_DIR / name, target)
    # (A unit kept must be whole: one an earlier build left cut short is made again.)
    stale = {unit: found for unit, found in keyed.items() if recorded_key(root / unit.name) != found[0]
             or incomplete(root / unit.name, found[1], whole=False) is not None}
    lib = recorded_key(root / LIB_DIR) != lib_key() or incomplete(root / LIB_DIR, 1, whole=False) is not None
    try:
        # A thread of its own: the caller may already run an event loop (Playwright, a server).
        with ThreadPoolExecutor(max_workers=1) as pool:
            made = pool.submit(asyncio.run, _run(site, stale, lib)).result()
    except Exception as exc:  # the service raises plain Exceptions with its message
        raise SearchIndexError(f"pagefind failed on {site}: {exc}") from exc
    finally:
        for leftover in root.glob(".*.new-*"):
            shutil.rmtree(leftover, ignore_errors=True)
    result = {u.unit: u for u in made}
    for unit in keyed:
        if unit not in result:
            folder = root / unit.name
            pages = len(list((folder / "fragment").glob("*.pf_fragment")))
            result[unit] = UnitIndex(unit, reused=True, pages=pages, gram_bytes=_gram_size(folder))
    wrong = [f"{u.name}: {result[u].pages} pages indexed, {n} articles" for u, (_, n) in keyed.items()
             if result[u].pages != n]
    if wrong or not (root / LIB_DIR / "pagefind.js").is_file():
        raise SearchIndexError("pagefind indexed the wrong pages: " + "; ".join(wrong or ["no lib/"]))
    return [result[u] for u in sorted(result)]


def unit_names(site: Path) -> list[str]:
    """The unit folders under the site's pagefind/, oldest first."""
    root = site / PAGEFIND_DIR
    return sorted(p.name for p in root.iterdir() if p.is_dir() and is_unit_name(p.name)) if root.is_dir() else []
