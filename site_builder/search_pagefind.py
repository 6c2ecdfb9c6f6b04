"""Pagefind indexes per year, made on the staging site, reused when a year's articles are unchanged.

Layout under `pagefind/`:

- `lib/`: the Pagefind library (pagefind.js, its worker and WebAssembly) with a one-record
  index. The search page creates one Pagefind instance per year from it and merges that
  year's index into it (`mergeIndex`), so the library is loaded once for all years.
- `<year>/`: that year's index (no library files), its substring index `grams/`, and `.key`.

A year's key is a digest of the Pagefind version, the index settings and, for every article
page of that year, its path and the bytes of its `data-pagefind-body` element (the part
Pagefind indexes: the page footer's link to the latest edition changes every day and must
not force a re-index). A year whose `.key` in staging matches is kept as it is.

Staging may be a hard-linked copy of the live site, so no file is ever changed in place:
a year is written into a new folder that then replaces the old one.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import shutil
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

from site_builder.search_grams import FORMAT, GRAMS_DIR, write_gram_index
from site_builder.search_page import PAGEFIND_DIR

LIB_DIR = "lib"
KEY_FILE = ".key"
# Inside `data-pagefind-body` but noise in excerpts (date · page · province line, box labels,
# continuation notes). Filters inside them (province) are still read.
EXCLUDE = (".story-meta", ".summary-label", ".continued", ".badge")
# Pagefind needs ~2.8 GB per 10,000 Chinese pages in one index; the build machine has 2 cores.
PARALLEL_YEARS = 2
# What a merged year index needs; the library files are in lib/ only.
YEAR_KEEP = ("pagefind-entry.json", "index", "fragment", "filter", GRAMS_DIR, KEY_FILE)
LIB_KEEP = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "index", "fragment", "filter",
            KEY_FILE)
PAGEFIND_VERSION = version("pagefind")

_BODY_OPEN = re.compile(rb"<([a-z][a-z0-9]*)\b[^>]*\sdata-pagefind-body\b[^>]*>")


class SearchIndexError(RuntimeError):
    """Pagefind failed or indexed the wrong number of pages; the build must not be swapped in."""


@dataclass(frozen=True)
class YearIndex:
    year: int
    reused: bool
    pages: int
    gram_bytes: int


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


def year_key(site: Path, year: int) -> tuple[str, int]:
    """The key of a year's index and the number of pages Pagefind will index (articles)."""
    digest = hashlib.sha256(f"pagefind {PAGEFIND_VERSION} grams {FORMAT} exclude {EXCLUDE}\n".encode())
    pages = 0
    for page in sorted((site / str(year)).rglob("*.html")):
        part = indexed_part(page.read_bytes())
        if part:
            digest.update(page.relative_to(site).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(part).digest())
            pages += 1
    return digest.hexdigest(), pages


def site_years(site: Path) -> list[int]:
    """The years the site has pages for (folders named by a year)."""
    return sorted(int(p.name) for p in site.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name))


def lib_key() -> str:
    return hashlib.sha256(f"pagefind lib {PAGEFIND_VERSION}".encode()).hexdigest()


def recorded_key(folder: Path) -> str | None:
    key = folder / KEY_FILE
    return key.read_text(encoding="utf-8").strip() if key.is_file() else None


def _prune(folder: Path, keep: Iterable[str], *, library: bool = False) -> None:
    """Drop what Pagefind writes that the site does not load (its UI bundles, per-year library)."""
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


async def _index_year(site: Path, year: int, key: str, limit: asyncio.Semaphore) -> YearIndex:
    root = site / PAGEFIND_DIR
    out = _scratch(root, str(year))
    async with limit:
        config = IndexConfig(output_path=str(out), exclude_selectors=list(EXCLUDE))
        async with PagefindIndex(config=config) as index:
            # Only pages with `data-pagefind-body` (the articles) are indexed.
            await index.add_directory(str(site), glob=f"{year}/**/*.html")
    pages, gram_bytes = await asyncio.to_thread(write_gram_index, out, year)
    _prune(out, YEAR_KEEP)
    (out / KEY_FILE).write_text(key + "\n", encoding="utf-8")
    _replace_dir(out, root / str(year))
    return YearIndex(year, reused=False, pages=pages, gram_bytes=gram_bytes)


async def _index_lib(site: Path) -> None:
    root = site / PAGEFIND_DIR
    out = _scratch(root, LIB_DIR)
    async with PagefindIndex(config=IndexConfig(output_path=str(out))) as index:
        # A record no article can be: its id is in no year's page table, so the search page drops it.
        await index.add_custom_record(url="/search/index.html", content="检索", language="zh-cn",
                                      meta={"title": "检索"})
    _prune(out, LIB_KEEP, library=True)
    (out / KEY_FILE).write_text(lib_key() + "\n", encoding="utf-8")
    _replace_dir(out, root / LIB_DIR)


async def _run(site: Path, stale: dict[int, str], lib: bool) -> list[YearIndex]:
    limit = asyncio.Semaphore(PARALLEL_YEARS)
    jobs = [_index_year(site, year, key, limit) for year, key in sorted(stale.items(), reverse=True)]
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


def index_years(site: Path, previous: Path | None = None) -> list[YearIndex]:
    """Make `site/pagefind/` current for the years of the site that have article pages.

    Years whose key matches the index already in `site` (or, when `previous` is a built site,
    in `previous`, copied in by hard links) are reused; the others are indexed, at most
    PARALLEL_YEARS at a time. Folders of years that no longer have articles are removed.
    """
    root = site / PAGEFIND_DIR
    root.mkdir(exist_ok=True)
    keyed = {year: year_key(site, year) for year in site_years(site)}
    keys = {year: key for year, (key, pages) in keyed.items() if pages}
    counts = {year: pages for year, (key, pages) in keyed.items() if pages}
    wanted = {str(y) for y in counts} | {LIB_DIR}
    for entry in root.iterdir():  # an older layout, a year without articles, leftovers
        if entry.name not in wanted:
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    for name, key in [(str(y), k) for y, k in keys.items()] + [(LIB_DIR, lib_key())]:
        target = root / name
        if previous is not None and recorded_key(target) != key \
                and recorded_key(previous / PAGEFIND_DIR / name) == key:
            if target.exists():
                shutil.rmtree(target)
            _link_copy(previous / PAGEFIND_DIR / name, target)
    stale = {year: key for year, key in keys.items() if recorded_key(root / str(year)) != key}
    lib = recorded_key(root / LIB_DIR) != lib_key()
    try:
        # A thread of its own: the caller may already run an event loop (Playwright, a server).
        with ThreadPoolExecutor(max_workers=1) as pool:
            made = pool.submit(asyncio.run, _run(site, stale, lib)).result()
    except Exception as exc:  # the service raises plain Exceptions with its message
        raise SearchIndexError(f"pagefind failed on {site}: {exc}") from exc
    finally:
        for leftover in root.glob(".*.new-*"):
            shutil.rmtree(leftover, ignore_errors=True)
    result = {y.year: y for y in made}
    for year in counts:
        if year not in result:
            folder = root / str(year)
            pages = len(list((folder / "fragment").glob("*.pf_fragment")))
            result[year] = YearIndex(year, reused=True, pages=pages, gram_bytes=_gram_size(folder))
    wrong = [f"{y}: {result[y].pages} pages indexed, {n} articles" for y, n in counts.items()
             if result[y].pages != n]
    if wrong or not (root / LIB_DIR / "pagefind.js").is_file():
        raise SearchIndexError("pagefind indexed the wrong pages: " + "; ".join(wrong or ["no lib/"]))
    return [result[y] for y in sorted(result)]
