"""Read `content/`: every article file, strictly, with all problems of all files in one run.

`parse_article` checks one file; this module adds what needs the whole tree: duplicate ids,
the folder matching the date, the id matching the date, decoding, symlinks, provinces.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import multiprocessing
import os
import re
from collections.abc import Callable, Generator
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from site_builder.frontmatter import parse_article, split_front_matter
from site_builder.models import Article, Problem
from site_builder.regions import PROVINCES_BY_SHORT
from site_builder.site.paths import inside
from site_builder.site.stored import normalise, stored
from site_builder.site.walk import symlinked_folder
from site_builder.urls import day_folder

T = TypeVar("T")

# The ingest's remainders (blocks it could not assign) live here; they are not articles.
UNASSIGNED = "_unassigned"
# Below this many files to parse, starting processes costs more than it saves.
PARALLEL_PARSE = 400


# rel path → (mtime_ns, size, article): front-matter parsed by an earlier build.
ParseCache = dict[str, tuple[int, int, Article]]


def read_content(
    content_dir: Path, *, cache: ParseCache | None = None, jobs: int = 1
) -> tuple[list[Article], list[Problem]]:
    """All articles under `content_dir` (sorted by date, then id) and every problem found.

    With a `cache` (updated in place), a file whose size and mtime are unchanged is not
    parsed again; with `jobs` > 1 many files are parsed on that many processes. Articles
    are `StoredArticle`s: bodies stay on disk until asked for.

    >>> read_content(Path("content"))  # doctest: +SKIP
    ([StoredArticle(id='20231031-3f9a2c1e', ...)], [Problem('content/2023/10/31/x.md', 4, ...)])
    """
    articles: list[Article] = []
    first_seen: dict[str, str] = {}
    root = content_dir.resolve()
    seen: set[str] = set()
    # (path, rel, article from the cache). Paths are strings, not Path objects: at 100,000
    # files those (each with its parts) made the read ~65 MB bigger, and the memory they
    # left free was scattered among the articles, in this process and every worker forked.
    files: list[tuple[str, str, Article | None]] = []
    paths, problems = _article_files(content_dir)
    for path, rel, linked, regular in paths:
        refused = refused_file(path, linked, regular, root)
        if refused is not None:
            problems.append(refused)
            continue
        cached = cache.get(rel) if cache is not None else None
        if cached is not None and cached[2].path == path:
            stat = os.stat(path)
            if cached[:2] == (stat.st_mtime_ns, stat.st_size):
                files.append((path, rel, cached[2]))
                continue
        files.append((path, rel, None))
    del paths
    # Parsed in the order of `files`, taken as they come.
    parsed = _parse_files([path for path, _, article in files if article is None], jobs)

    for path, rel, cached_article in files:
        article = cached_article
        if article is None:
            article, found, stamp = next(parsed)
            problems.extend(found)
            if article is None:
                continue
            if cache is not None and not found:
                cache[rel] = (*stamp, article)
        seen.add(rel)
        problems.extend(check_place(article, rel, path))
        if article.id in first_seen:
            problems.append(Problem(
                path, key_line(normalise(Path(path).read_text("utf-8")), "id"),
                f"duplicate id '{article.id}' (also in {first_seen[article.id]})",
            ))
            continue
        first_seen[article.id] = article.path
        articles.append(article)
    parsed.close()  # (its pool, if any, is done)
    if cache is not None:
        for gone in set(cache) - seen:
            del cache[gone]
    articles.sort(key=lambda a: (a.date, a.id))
    return articles, problems


Parsed = tuple[Article | None, list[Problem], tuple[int, int]]  # article, problems, (mtime_ns, size)


def _parse_files(paths: list[str], jobs: int) -> Generator[Parsed, None, None]:
    """Parse files in order, on `jobs` forked processes when there are many (YAML is the slow part)."""
    yield from parse_each(parse_stamped, paths, jobs)


def parse_each(parse: Callable[[str], T], paths: list[str], jobs: int) -> Generator[T, None, None]:
    """`parse` of each path, in order, on `jobs` forked processes when there are many."""
    if jobs <= 1 or len(paths) < PARALLEL_PARSE or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(parse, paths)
        return
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        # Taken as they come (not as one list at the end): at 100,000 files, holding every
        # result twice (pickled and unpickled) would double the memory of this step.
        yield from pool.imap(parse, paths, chunksize=64)


def parse_stamped(path: str) -> Parsed:
    article, found, stamp, _ = parse_with_body(path)
    return article, found, stamp


def parse_with_body(path: str) -> tuple[Article | None, list[Problem], tuple[int, int], str | None]:
    """`parse_stamped`, and the body just parsed (None without an article): what the search
    terms are made from (`scan`), with no second read of the file. The article keeps no body:
    it reads it from the file, the truth, when asked for."""
    # The stamp is taken before reading: a file changed while read is parsed again next time.
    stat = os.stat(path)
    article, found, body = _parse_file(Path(path), path)
    return article, found, (stat.st_mtime_ns, stat.st_size), body


def _parse_file(path: Path, shown: str) -> tuple[Article | None, list[Problem], str | None]:
    try:
        raw = path.read_bytes()
        text = normalise(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return None, [Problem(shown, 1, f"not valid UTF-8 (byte {exc.start})")], None
    except OSError as exc:
        return None, [Problem(shown, 1, f"cannot read: {exc.strerror}")], None
    article, found = parse_article(text, shown)
    if article is None:
        return None, found, None
    fields = {f.name: getattr(article, f.name) for f in dataclasses.fields(article) if f.name != "body"}
    fields["digest"] = hashlib.sha256(raw).hexdigest()[:32]
    split = split_front_matter(text)
    fields["meta_digest"] = hashlib.sha256(split[0].encode("utf-8")).hexdigest()[:32] if split else ""
    return stored(fields), found, article.body


def _article_files(content_dir: Path) -> tuple[list[tuple[str, str, bool, bool]], list[Problem]]:
    """(path, root-relative path, a symlink, a regular file) of every article file, and the
    problems of symlinked folders, which are never walked into (one leading out of the
    content folder is an error; one inside, a warning: its files would be read twice).

    A path is `str(content_dir / rel)`: how problems name the file and the article's `path`.
    Folders and files named `_…` (the ingest's `_unassigned/`) or `.…` are not articles.
    Sorted, so that "first" in a duplicate-id report is stable across machines.
    """
    found: list[tuple[str, str, bool, bool]] = []
    problems: list[Problem] = []
    root = Path(os.path.realpath(content_dir))
    base = str(Path(content_dir))  # Path's spelling: no `./`, no trailing `/`
    prefix = "" if base == "." else base if base.endswith("/") else f"{base}/"

    def walk(folder: str, rel: str) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith(("_", ".")):
                continue
            sub = f"{rel}/{entry.name}" if rel else entry.name
            if entry.is_dir():
                if not entry.is_symlink():
                    walk(entry.path, sub)
                else:
                    problems.append(symlinked_folder(entry.path, root))
            elif entry.name.endswith(".md"):
                # Not a regular file: a FIFO (reading it would hang) or a device.
                found.append((prefix + sub, sub, entry.is_symlink(), entry.is_file()))

    walk(base, "")
    return sorted(found, key=lambda f: f[1]), problems


def refused_file(path: str, linked: bool, regular: bool, root: Path) -> Problem | None:
    """Why an article file is not read: a symlink leading out of the content folder (it must
    not pull in files from elsewhere), or not a regular file (a FIFO would hang the read)."""
    if linked and not inside(Path(path).resolve(), root):
        return Problem(path, 1, "symlink points outside the content folder")
    if not regular:
        return Problem(path, 1, "not a regular file")
    return None


def check_place(article: Article, rel: str, path: str) -> list[Problem]:
    """The folder must be the article's date, the id must start with it, the province known."""

    def source() -> str:  # read again only to place a message on its line
        return normalise(Path(path).read_text("utf-8"))

    problems = []
    shown = article.path
    folder, _, name = rel.rpartition("/")
    expected, prefix = _date_texts(article.date)
    if folder != expected:
        problems.append(Problem(
            shown, key_line(source(), "date"),
            f"file is in '{folder or '.'}' but its date {article.date} belongs in '{expected}'",
        ))
    if not article.id.startswith(prefix):
        problems.append(Problem(
            shown, key_line(source(), "id"),
            f"id '{article.id}' must start with its date '{article.date:%Y%m%d}-'",
        ))
    if name.removesuffix(".md") != article.id:
        problems.append(Problem(
            shown, key_line(source(), "id"), f"file name '{name}' must be '{article.id}.md'"
        ))
    if article.province is not None and article.province not in PROVINCES_BY_SHORT:
        problems.append(Problem(
            shown, key_line(source(), "province"),
            f"unknown province '{article.province}' (use a short name such as 浙江, 内蒙古)",
        ))
    return problems


@lru_cache(maxsize=1024)
def _date_texts(date: dt.date) -> tuple[str, str]:
    """An article's folder and the start of its id, for its date (~8 articles a day)."""
    return day_folder(date), f"{date:%Y%m%d}-"


def key_line(text: str, key: str) -> int:
    """Line of a top-level front-matter key, for messages about its value (1 if not found)."""
    match = re.search(rf"^{re.escape(key)}\s*:", text, flags=re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1
