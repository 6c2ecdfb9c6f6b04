"""What the ingest keeps between runs, in `content/.ingest-cache.sqlite` (not published, not
committed): each page's result, each edition's files and doubts, and the size, time and
digest of each file it wrote, so that a re-run reads only the pages that changed.

Every row is checked before use — a page by its size, time and digest, an edition by the
digests of its pages and the ingest's code, a file by its size and time — and a state that
is missing, damaged or from other code is set aside with a warning: the run then reads
every page again. Changes are written in one transaction, and only when there are any.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path

from site_builder.ingest.confidence import Doubt
from site_builder.ingest.edition import PageReport
from site_builder.ingest.write import FileStat
from site_builder.models import Problem

CACHE = ".ingest-cache.sqlite"
SCHEMA = "1"
_TABLES = (
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE pages(file TEXT PRIMARY KEY, path TEXT, size INT, mtime_ns INT, digest TEXT, result TEXT)",
    "CREATE TABLE editions(date TEXT PRIMARY KEY, key TEXT, body TEXT)",
    "CREATE TABLE files(rel TEXT PRIMARY KEY, size INT, mtime_ns INT, digest TEXT)",
)


@dataclass(frozen=True)
class PageStat:
    path: str
    size: int
    mtime_ns: int
    digest: str


@dataclass(frozen=True)
class EditionRow:
    key: str  # digest of the code and of the edition's pages
    files: dict[str, str]  # content-relative path → digest
    reports: tuple[PageReport, ...]
    doubts: tuple[tuple[str, Doubt], ...]
    articles: int
    problems: tuple[Problem, ...] = ()  # warnings of decoding its pages


@dataclass
class State:
    """The rows read at the start of a run (page results are fetched when needed)."""

    path: Path
    code: str  # the ingest's code version the rows were made with
    pages: dict[str, PageStat] = field(default_factory=dict)
    editions: dict[str, EditionRow] = field(default_factory=dict)
    files: dict[str, FileStat] = field(default_factory=dict)

    def result(self, file: str) -> str | None:
        if file not in self.pages:
            return None
        try:
            with closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as db:
                row = db.execute("SELECT result FROM pages WHERE file = ?", (file,)).fetchone()
        except sqlite3.Error:
            return None
        return str(row[0]) if row else None


@dataclass
class Changes:
    pages: dict[str, tuple[PageStat, str | None]] = field(default_factory=dict)  # result None: keep the stored one
    editions: dict[str, EditionRow] = field(default_factory=dict)
    files: dict[str, FileStat] = field(default_factory=dict)
    gone_pages: set[str] = field(default_factory=set)
    gone_editions: set[str] = field(default_factory=set)
    gone_files: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return any((self.pages, self.editions, self.files, self.gone_pages, self.gone_editions, self.gone_files))


def load(path: Path, code: str) -> tuple[State, list[Problem]]:
    """The stored state, or an empty one (with a warning when one was there but unusable).
    Rows made by other code are set aside, except file stats, which no code changes."""
    state = State(path, code)
    if not path.exists():
        return state, []
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("schema") != SCHEMA:
                raise ValueError(f"schema {meta.get('schema')!r}, not {SCHEMA}")
            state.files = {r: FileStat(s, m, d) for r, s, m, d in db.execute("SELECT rel, size, mtime_ns, digest FROM files")}
            if meta.get("code") == code:
                state.pages = {f: PageStat(p, s, m, d) for f, p, s, m, d in
                               db.execute("SELECT file, path, size, mtime_ns, digest FROM pages")}
                state.editions = {d: _edition(k, b) for d, k, b in db.execute("SELECT date, key, body FROM editions")}
        return state, []
    except (sqlite3.Error, ValueError, KeyError, TypeError) as exc:
        return State(path, code), [Problem(str(path), 1, f"ingest state unreadable ({exc}): every page is read again",
                                           "warning")]


def save(state: State, changes: Changes) -> None:
    """Apply `changes` in one transaction (a fresh file when the old one is unusable)."""
    if not changes and state.path.exists():
        return
    try:
        _apply(state, changes, fresh=False)
    except (sqlite3.Error, ValueError):
        state.path.unlink(missing_ok=True)
        _apply(state, changes, fresh=True)


def _apply(state: State, changes: Changes, *, fresh: bool) -> None:
    with closing(sqlite3.connect(state.path)) as db, db:
        if fresh or db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'meta'").fetchone()[0] == 0:
            for table in _TABLES:
                db.execute(table.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"))
        stale = db.execute("SELECT value FROM meta WHERE key = 'code'").fetchone()
        if stale is None or stale[0] != state.code or fresh:
            db.execute("DELETE FROM pages")  # rows of other code, or of a state set aside
            db.execute("DELETE FROM editions")
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [("schema", SCHEMA), ("code", state.code)])
        for file, (stat, result) in sorted(changes.pages.items()):
            if result is None:
                db.execute("UPDATE pages SET path = ?, size = ?, mtime_ns = ?, digest = ? WHERE file = ?",
                           (stat.path, stat.size, stat.mtime_ns, stat.digest, file))
            else:
                db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?)",
                           (file, stat.path, stat.size, stat.mtime_ns, stat.digest, result))
        db.executemany("INSERT OR REPLACE INTO editions VALUES (?, ?, ?)",
                       [(d, r.key, _edition_body(r)) for d, r in sorted(changes.editions.items())])
        db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                       [(rel, s.size, s.mtime_ns, s.digest) for rel, s in sorted(changes.files.items())])
        db.executemany("DELETE FROM pages WHERE file = ?", [(f,) for f in sorted(changes.gone_pages)])
        db.executemany("DELETE FROM editions WHERE date = ?", [(d,) for d in sorted(changes.gone_editions)])
        db.executemany("DELETE FROM files WHERE rel = ?", [(r,) for r in sorted(changes.gone_files)])


def _edition_body(row: EditionRow) -> str:
    reports = [{**asdict(r), "date": r.date.isoformat() if r.date else None,
                "warnings": [asdict(w) for w in r.warnings]} for r in row.reports]
    doubts = [[rel, {**asdict(d), "margin": None if math.isinf(d.margin) else d.margin}] for rel, d in row.doubts]
    return json.dumps({"files": row.files, "reports": reports, "doubts": doubts, "articles": row.articles,
                       "problems": [asdict(p) for p in row.problems]}, ensure_ascii=False, sort_keys=True)


def _edition(key: str, body: str) -> EditionRow:
    data = json.loads(body)
    reports = tuple(PageReport(**{**r, "date": dt.date.fromisoformat(r["date"]) if r["date"] else None,
                                  "warnings": tuple(Problem(**w) for w in r["warnings"])}) for r in data["reports"])
    doubts = tuple((str(rel), Doubt(**{**d, "margin": math.inf if d["margin"] is None else float(d["margin"]),
                                       "reasons": tuple(d["reasons"])})) for rel, d in data["doubts"])
    return EditionRow(key, {str(k): str(v) for k, v in data["files"].items()}, reports, doubts, int(data["articles"]),
                      tuple(Problem(**p) for p in data["problems"]))
