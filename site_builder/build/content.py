"""Read `content/`: every article file, strictly, with all problems of all files in one run.

`parse_article` checks one file; this module adds what needs the whole tree: duplicate ids,
the folder matching the date, the id matching the date, decoding, symlinks, provinces.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import replace
from pathlib import Path

from site_builder.frontmatter import parse_article
from site_builder.models import Article, Problem
from site_builder.regions import PROVINCES_BY_SHORT

# The ingest's remainders (blocks it could not assign) live here; they are not articles.
UNASSIGNED = "_unassigned"


def read_content(content_dir: Path) -> tuple[list[Article], list[Problem]]:
    """All articles under `content_dir` (sorted by date, then id) and every problem found.

    >>> read_content(Path("content"))  # doctest: +SKIP
    ([Article(id='20231031-3f9a2c1e', ...)], [Problem('content/2023/10/31/x.md', 4, ...)])
    """
    articles: list[Article] = []
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    root = content_dir.resolve()
    problems.extend(_linked_folders(content_dir, root))
    for path in _article_files(content_dir):
        shown = str(path)
        # A symlink (to a file or through a folder) must not pull in files from elsewhere.
        if not _inside(path.resolve(), root):
            problems.append(Problem(shown, 1, "symlink points outside the content folder"))
            continue
        if not path.is_file():  # a folder, a FIFO (reading it would hang) or a device
            problems.append(Problem(shown, 1, "not a regular file"))
            continue
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(shown, 1, f"not valid UTF-8 (byte {exc.start})"))
            continue
        except OSError as exc:
            problems.append(Problem(shown, 1, f"cannot read: {exc.strerror}"))
            continue
        text = text.removeprefix("\ufeff").replace("\r\n", "\n")
        article, found = parse_article(text, shown)
        problems.extend(found)
        if article is None:
            continue
        article = replace(article, digest=hashlib.sha256(raw).hexdigest()[:32])
        problems.extend(_check_place(article, path.relative_to(content_dir), text))
        if article.id in first_seen:
            problems.append(Problem(
                shown, _key_line(text, "id"),
                f"duplicate id '{article.id}' (also in {first_seen[article.id]})",
            ))
            continue
        first_seen[article.id] = shown
        articles.append(article)
    articles.sort(key=lambda a: (a.date, a.id))
    return articles, problems


def _article_files(content_dir: Path) -> list[Path]:
    files = []
    for path in content_dir.rglob("*.md"):
        rel = path.relative_to(content_dir)
        if rel.parts[0] == UNASSIGNED or any(p.startswith(("_", ".")) for p in rel.parts):
            continue
        files.append(path)
    # Sorted so that "first" in a duplicate-id report is stable across machines.
    return sorted(files, key=lambda p: p.relative_to(content_dir).as_posix())


def _linked_folders(content_dir: Path, root: Path) -> list[Problem]:
    """Symlinked folders are never walked into: one leading out of content/ is an error."""
    problems = []
    for folder, dirs, _ in os.walk(content_dir):
        for name in sorted(dirs):
            link = Path(folder) / name
            if link.is_symlink():
                inside = _inside(link.resolve(), root)
                problems.append(Problem(
                    str(link), 1,
                    "symlinked folder inside the content folder: not read (move the files here)" if inside
                    else "symlink points outside the content folder", "warning" if inside else "error",
                ))
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
    return problems


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _check_place(article: Article, rel: Path, text: str) -> list[Problem]:
    """The folder must be the article's date, the id must start with it, the province known."""
    problems = []
    shown = article.path
    folder = "/".join(rel.parts[:-1])
    expected = f"{article.date:%Y/%m/%d}"
    if folder != expected:
        problems.append(Problem(
            shown, _key_line(text, "date"),
            f"file is in '{folder or '.'}' but its date {article.date} belongs in '{expected}'",
        ))
    if not article.id.startswith(f"{article.date:%Y%m%d}-"):
        problems.append(Problem(
            shown, _key_line(text, "id"),
            f"id '{article.id}' must start with its date '{article.date:%Y%m%d}-'",
        ))
    if rel.stem != article.id:
        problems.append(Problem(
            shown, _key_line(text, "id"), f"file name '{rel.name}' must be '{article.id}.md'"
        ))
    if article.province is not None and article.province not in PROVINCES_BY_SHORT:
        problems.append(Problem(
            shown, _key_line(text, "province"),
            f"unknown province '{article.province}' (use a short name such as 浙江, 内蒙古)",
        ))
    return problems


def _key_line(text: str, key: str) -> int:
    """Line of a top-level front-matter key, for messages about its value (1 if not found)."""
    match = re.search(rf"^{re.escape(key)}\s*:", text, flags=re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1
