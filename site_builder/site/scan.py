"""What changed in `content/` since the last build, told from file stamps, and the state updated.

Every content folder (a day: `2023/10/31/`) has its files' sizes and mtimes compared, as one
digest per folder, with the digest the state keeps (`walk`): an unchanged folder costs a stat
per file, nothing is read. In a changed folder each file is
compared with its row; only new and changed files are read and parsed (on every core when
there are many). The rows of changed, new and removed files are replaced in the state, and
each change is returned with the article before and after, so that the pages showing it can
be found. Problems of files with errors are kept in the state too: a file left as it was is
reported again without being read.

`folders`: the folders a caller knows to have changed (`serve` is told by the system);
None: look at every folder.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_builder.models import Article, Problem
from site_builder.site.state import State
from site_builder.site.walk import keep_listings, read_listings, walk_content

DUPLICATE_CHECKS = 1_000  # files changed at most, for duplicate ids to be looked for among theirs alone
Terms = Callable[[Article, str | None], bytes | None]  # an article's search terms (given its body when known)
_TERMS: list[Terms] = []  # the function of the running scan (its forked parse workers read it)


@dataclass(frozen=True)
class FileStamp:
    name: str
    path: str  # as messages and articles name it: content_dir/rel
    linked: bool  # a symlink
    regular: bool
    mtime_ns: int
    size: int


@dataclass(frozen=True)
class Change:
    """One content file that changed: the article before and after (None: not there, or
    with errors)."""

    rel: str
    old: Article | None
    new: Article | None


@dataclass(frozen=True)
class Scan:
    changes: tuple[Change, ...]
    problems: tuple[Problem, ...]  # every problem of the content as it is now


def scan_content(content_dir: Path, state: State, *, jobs: int = 1, terms: Terms | None = None,
                 folders: Collection[str] | None = None) -> Scan:
    """Compare `content_dir` with the state, parse what changed, update the state's content
    tables (within the caller's transaction) and return the changes and all problems."""
    base = str(content_dir)
    prefix = "" if base == "." else base if base.endswith("/") else f"{base}/"
    walked = walk_content(content_dir, folders, jobs, read_listings(state) if folders is None else None)
    keep_listings(state, walked, whole=folders is None)
    listed, problems = walked.stamps, walked.problems
    known = dict(state.db.execute("SELECT folder, stamps FROM folders"))
    if folders is not None:  # only these were listed: the others are as they were
        known = {f: s for f, s in known.items() if f in listed or any(f.startswith(g + "/") for g in folders)}
    to_read: list[tuple[str, FileStamp]] = []
    gone: list[str] = []
    for folder in sorted(set(listed) | set(known)):
        stamps = listed.get(folder)
        if known.get(folder) == stamps:
            continue
        files = folder_files(content_dir, folder) if stamps is not None else []
        rows = {rel: (m, s) for rel, m, s in state.db.execute(
            "SELECT rel, mtime_ns, size FROM articles WHERE folder = ?", (folder,))}
        with_problems = {rel for (rel,) in state.db.execute("SELECT rel FROM problems WHERE folder = ?", (folder,))}
        present = set()
        for stamp in files:
            rel = f"{folder}/{stamp.name}" if folder else stamp.name
            present.add(rel)
            if rel in with_problems or rows.get(rel) != (stamp.mtime_ns, stamp.size):
                to_read.append((rel, stamp))
        gone += [rel for rel in sorted(set(rows) | with_problems) if rel not in present]
        if files:
            state.db.execute("INSERT OR REPLACE INTO folders(folder, stamps) VALUES (?, ?)", (folder, stamps))
        else:
            state.db.execute("DELETE FROM folders WHERE folder = ?", (folder,))

    # The ids of the files about to be read again or forgotten, as the state has them (a
    # duplicate id can come or go only with one of them); None when that is most files.
    touched: set[str] | None = None
    if len(gone) + len(to_read) <= DUPLICATE_CHECKS:
        touched = {i for rel in [*gone, *(r for r, _ in to_read)] for (i,) in state.db.execute(
            "SELECT id FROM articles WHERE rel = ? UNION SELECT id FROM problems WHERE rel = ? AND id IS NOT NULL",
            (rel, rel))}
    changes = [_forget(state, rel, prefix) for rel in gone]
    root = Path(os.path.realpath(content_dir))
    readable = []
    if to_read:  # (the reader, the YAML and the rows: imported only when a file is read)
        from site_builder.site.content import refused_file
    for rel, stamp in to_read:
        refused = refused_file(stamp.path, stamp.linked, stamp.regular, root)
        if refused is None:
            readable.append((rel, stamp))
            continue
        changes.append(Change(rel, _forget(state, rel, prefix).old, None))
        _keep_problems(state, rel, [refused])
    # (A state that holds no file yet, a first or full build's: nothing to forget, and the
    # five deletions a file would cost add up to a second at 10,000 files.)
    empty = not known and state.db.execute("SELECT 1 FROM articles UNION ALL SELECT 1 FROM problems LIMIT 1"
                                           ).fetchone() is None
    loading = state.indexes_deferred("articles", "authors", "places") if empty else contextlib.nullcontext()
    with loading:
        for (rel, stamp), parsed in zip(readable, _parse(readable, jobs, terms), strict=True):
            _store(state, rel, stamp, parsed, None if empty else _forget(state, rel, prefix).old, changes, touched)
    problems += _kept_problems(state, prefix) + _duplicates(state, prefix, touched)
    return Scan(tuple(c for c in changes if c.old is not None or c.new is not None), tuple(problems))


def _store(state: State, rel: str, stamp: FileStamp, parsed: Parsed, old: Article | None, changes: list[Change],
           touched: set[str] | None) -> None:
    """A file just read into the state: its article (unless it has errors) and its problems;
    its change."""
    from site_builder.site.content import check_place

    article, found, row_stamp, article_terms = parsed
    parsed_id = article.id if article is not None else None
    if article is not None:
        found = [*found, *check_place(article, rel, stamp.path)]
        if not any(p.severity == "error" for p in found):
            store_article(state, article, rel, row_stamp, article_terms)
        else:
            article = None
    _keep_problems(state, rel, found, parsed_id)
    changes.append(Change(rel, old, article))
    if touched is not None and parsed_id is not None:
        touched.add(parsed_id)


def folder_files(content_dir: Path, folder: str) -> list[FileStamp]:
    """The article files of one content folder with their stamps, by name."""
    base = str(Path(content_dir))
    prefix = "" if base == "." else f"{base}/"  # how messages and articles name a file
    path = os.path.join(base, folder) if folder else base
    files = []
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError:
        return []
    for entry in entries:
        if entry.name[0] in "_." or not entry.name.endswith(".md") or entry.is_dir():
            continue
        try:
            st = entry.stat()
        except OSError:
            continue
        rel = f"{folder}/{entry.name}" if folder else entry.name
        files.append(FileStamp(entry.name, prefix + rel, entry.is_symlink(), entry.is_file(),
                               st.st_mtime_ns, st.st_size))
    return files


Parsed = tuple[Article | None, list[Problem], tuple[int, int], bytes | None]


def _parse(files: list[tuple[str, FileStamp]], jobs: int, terms: Terms | None) -> Iterator[Parsed]:
    """Each file parsed, in order, on `jobs` forked processes when there are many."""
    _TERMS[:] = [terms] if terms is not None else []
    if not files:
        return
    from site_builder.site.content import parse_each

    yield from parse_each(_parse_one, [stamp.path for _, stamp in files], jobs)


def _parse_one(path: str) -> Parsed:
    from site_builder.site.content import parse_with_body

    article, found, stamp, body = parse_with_body(path)
    made = _TERMS[0](article, body) if article is not None and _TERMS else None
    return article, found, stamp, made


def store_article(state: State, article: Article, rel: str, stamp: tuple[int, int] = (0, 0),
                  terms: bytes | None = None) -> None:
    """An article's rows: itself, its authors, its places (what the pages query it by)."""
    from site_builder.site.rows import COLUMNS, PLACEHOLDERS, article_row

    row = article_row(article, rel, stamp)
    state.db.execute(f"INSERT INTO articles({COLUMNS}) VALUES ({PLACEHOLDERS})", row.values())
    if terms is not None:
        state.db.execute("INSERT INTO terms(rel, terms) VALUES (?, ?)", (rel, terms))
    state.db.executemany("INSERT OR IGNORE INTO authors(rel, name, role, date, ord) VALUES (?, ?, ?, ?, ?)",
                         [(rel, a.name, a.role, row.date, row.ord) for a in article.authors])
    state.db.executemany("INSERT OR IGNORE INTO places(rel, place, date, ord) VALUES (?, ?, ?, ?)",
                         [(rel, p, row.date, row.ord) for p in article.places])


def _forget(state: State, rel: str, prefix: str) -> Change:
    """Remove a file's rows from the state; the change with the article as it was."""
    row = state.db.execute("SELECT fields FROM articles WHERE rel = ?", (rel,)).fetchone()
    for table in ("articles", "terms", "authors", "places", "problems"):
        state.db.execute(f"DELETE FROM {table} WHERE rel = ?", (rel,))
    if row is None:
        return Change(rel, None, None)
    from site_builder.site.rows import row_article

    return Change(rel, row_article(row[0], prefix + rel), None)


def _keep_problems(state: State, rel: str, found: list[Problem], ident: str | None = None) -> None:
    """A file's problems, and its id when it was read (two files of one id are still told)."""
    state.db.executemany(
        "INSERT INTO problems(rel, folder, line, message, severity, id) VALUES (?, ?, ?, ?, ?, ?)",
        [(rel, rel.rpartition("/")[0], p.line, p.message, p.severity, ident) for p in found])


def _kept_problems(state: State, prefix: str) -> list[Problem]:
    return [Problem(prefix + rel, line, message, severity)
            for rel, line, message, severity in state.db.execute(
                "SELECT rel, line, message, severity FROM problems ORDER BY rel, rowid")]


def _duplicates(state: State, prefix: str, touched: set[str] | None) -> list[Problem]:
    """Two files of one id (kept in the state): looked for again among the `touched` ids
    only (None: all of them)."""
    kept = json.loads(state.get("duplicates") or "[]")
    if touched is None or any(len(entry) != 4 for entry in kept):  # (all, or a state that kept no ids)
        found = _duplicate_ids(state, prefix, None)
    elif touched:
        found = [entry for entry in kept if entry[3] not in touched] + _duplicate_ids(state, prefix, touched)
        found.sort(key=lambda entry: (entry[3], entry[0]))
    else:
        found = kept
    if found != kept:
        state.put("duplicates", json.dumps(found, ensure_ascii=False) if found else None)
    return [Problem(path, line, message) for path, line, message, _ in found]


def _duplicate_ids(state: State, prefix: str, among: set[str] | None) -> list[list[Any]]:
    """Two files with one id (of `among`, or any): the later one (in path order) is an error
    naming the first: [path, line, message, id] of each."""
    found: list[list[Any]] = []
    ids = "SELECT id, rel FROM articles UNION SELECT id, rel FROM problems WHERE id IS NOT NULL"
    if among is None:
        twice = [i for (i,) in state.db.execute(f"SELECT id FROM ({ids}) GROUP BY id HAVING count(*) > 1 ORDER BY id")]
    else:
        twice = sorted(among)
    for ident in twice:
        rels = [rel for (rel,) in state.db.execute(
            "SELECT rel FROM articles WHERE id = ? UNION SELECT rel FROM problems WHERE id = ? ORDER BY rel",
            (ident, ident))]
        for rel in rels[1:]:
            found.append([prefix + rel, _id_line(prefix + rel), f"duplicate id '{ident}' (also in {prefix + rels[0]})",
                          ident])
    return found


def _id_line(path: str) -> int:
    from site_builder.site.content import key_line

    try:
        return key_line(Path(path).read_text("utf-8"), "id")
    except (OSError, UnicodeDecodeError):
        return 1
