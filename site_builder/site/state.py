"""The build's state between builds: one SQLite database beside the output.

`.<out>-cache/state.sqlite` (WAL). What it holds:

- the content as the last build read it: every article's front-matter by its file, with the
  file's size and mtime (`articles`, and its authors and places for the queries of the
  pages), the problems of files with errors, a digest of each content folder's file stamps,
  what each content folder held when it was last listed (`listings`, by year: see `walk`);
- the site: every output file with the scope that makes it, its key and SHA-256 (`outputs`),
  the times of its folders, live and spare (`dirs`), what the last build changed, with each
  file's row before it (`changes`: the spare site is brought up to date by replaying it; the
  site before the last swap can still be told and checked);
- `meta`: the format, the live site's folder identity, the fingerprints of code, templates
  and settings the site was built with, the scopes still to be planned again (`pending`).

The content tables are a cache of the files (committed when read, before rendering); the
site tables change in one transaction that is committed just before the swap, naming the
folder that is to go live (`live`) and the one it replaces (`previous`). A build killed
before the commit leaves the previous site state and, in `pending`, what it still had to
redo; one killed between the commit and the swap leaves the previous site live, which the
state still describes through `changes` (`revert`). A database that is missing, damaged, from another format or describing another site
folder than the live one is not used: the build is then a full one, with a warning.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

_AUTOCHECKPOINT = 1000  # (pages: SQLite's default)
FORMAT = "6"  # 6: search terms records of format T2
STATE_FILE = "state.sqlite"

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE folders(folder TEXT PRIMARY KEY, stamps TEXT NOT NULL);
CREATE TABLE listings(top TEXT PRIMARY KEY, listings BLOB NOT NULL);
CREATE TABLE articles(
  rel TEXT PRIMARY KEY, folder TEXT NOT NULL, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL,
  id TEXT NOT NULL, date TEXT NOT NULL, ord TEXT NOT NULL, sheet TEXT NOT NULL, kind TEXT NOT NULL, province TEXT,
  col TEXT, digest TEXT NOT NULL, meta_digest TEXT NOT NULL, fields TEXT NOT NULL);
CREATE INDEX articles_folder ON articles(folder);
CREATE INDEX articles_date ON articles(date, ord);
CREATE INDEX articles_id ON articles(id);
CREATE INDEX articles_province ON articles(province, date, ord, rel);
CREATE INDEX articles_sheets ON articles(date, sheet);
CREATE INDEX articles_col ON articles(col);
CREATE INDEX articles_kind ON articles(kind);
CREATE INDEX articles_digests ON articles(date, id, digest);
-- An article's search terms (`search.docs.doc_terms`): beside its row, not in it (a record
-- is ~3 KB, a row without it ~0.4 KB: the pages' queries read ten rows a page, not one).
CREATE TABLE terms(rel TEXT PRIMARY KEY, terms BLOB NOT NULL) WITHOUT ROWID;
-- (An article's date and printed order with its authors and places: the related windows
-- are read from the indexes alone, `view.sharing`.)
CREATE TABLE authors(rel TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, date TEXT NOT NULL, ord TEXT NOT NULL,
  PRIMARY KEY(rel, name, role));
CREATE INDEX authors_name ON authors(name, date, ord, rel);
CREATE INDEX authors_roles ON authors(name, role, rel);
CREATE TABLE places(rel TEXT NOT NULL, place TEXT NOT NULL, date TEXT NOT NULL, ord TEXT NOT NULL,
  PRIMARY KEY(rel, place));
CREATE INDEX places_place ON places(place, date, ord, rel);
CREATE TABLE problems(rel TEXT NOT NULL, folder TEXT NOT NULL, line INTEGER NOT NULL, message TEXT NOT NULL,
  severity TEXT NOT NULL, id TEXT);
CREATE INDEX problems_rel ON problems(rel);
CREATE INDEX problems_folder ON problems(folder);
CREATE TABLE outputs(path TEXT PRIMARY KEY, scope TEXT NOT NULL, kind TEXT NOT NULL, key BLOB NOT NULL,
  sha256 BLOB NOT NULL);
CREATE INDEX outputs_scope ON outputs(scope);
CREATE TABLE changes(path TEXT PRIMARY KEY, removed INTEGER NOT NULL, old_scope TEXT, old_kind TEXT, old_key BLOB,
  old_sha256 BLOB);
CREATE TABLE dirs(path TEXT PRIMARY KEY, a INTEGER, b INTEGER);
CREATE TABLE pending(scope TEXT PRIMARY KEY);
"""


class StateError(Exception):
    """The state database cannot be used (missing, damaged, another format): build in full."""


def cache_dir(out_dir: Path) -> Path:
    """Beside the output, never published: `.public-cache/` for `public/`."""
    return out_dir.parent / f".{out_dir.name}-cache"


def state_path(cache: Path) -> Path:
    return cache / STATE_FILE


class State:
    """An open state database. `with state.transaction():` groups writes (nestable: inner
    blocks join the outer one)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db = connection
        self.path = path
        self.pid = os.getpid()  # (a forked worker opens its own connection: see `reader`)
        self._depth = 0

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, cache: Path) -> State:
        """The state in `cache`; StateError when there is none usable."""
        path = state_path(cache)
        if not path.is_file():
            raise StateError(f"{path}: no build state")
        try:
            state = cls(_connect(path), path)
            found = state.get("format")
        except sqlite3.DatabaseError as exc:
            raise StateError(f"{path}: damaged build state ({exc})") from exc
        if found != FORMAT:
            state.close()
            raise StateError(f"{path}: build state of another format")
        # (Not checked whole: at 100,000 articles that reads ~300 MB. Damage found later, by
        # any query, makes the build a full one: `pipeline.build_site`.)
        return state

    @classmethod
    def create(cls, cache: Path) -> State:
        """A new, empty state in `cache` (an old one is replaced)."""
        cache.mkdir(parents=True, exist_ok=True)
        path = state_path(cache)
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        state = cls(_connect(path), path)
        with state.transaction():
            for statement in SCHEMA.strip().split(";"):
                if statement.strip():
                    state.db.execute(statement)
            state.put("format", FORMAT)
        return state

    @classmethod
    def open_or_create(cls, cache: Path) -> tuple[State, str | None]:
        """The state in `cache`, or a new one and the reason the old one was not used."""
        try:
            return cls.open(cache), None
        except StateError as exc:
            return cls.create(cache), str(exc)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def indexes_deferred(self, *tables: str) -> Iterator[None]:
        """The indexes of these tables dropped while rows are loaded into them, and made again
        from all the rows after (within the caller's transaction): a first read of 10,000
        files inserts each row into one table, not into nine trees at once. (A table's
        primary key stays: `INSERT OR IGNORE` needs it.)"""
        marks = ", ".join("?" * len(tables))
        made = self.db.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                               f"AND tbl_name IN ({marks}) ORDER BY name", tables).fetchall()
        for name, _ in made:
            self.db.execute(f'DROP INDEX "{name}"')
        yield
        for _, sql in made:
            self.db.execute(sql)

    @contextlib.contextmanager
    def checkpoint_deferred(self) -> Iterator[None]:
        """Commits in the block leave their pages in the write-ahead log: for `checkpoint`,
        in a thread, to copy into the database file while the pages are rendered. (A first
        read's commit copied ~70 MB there at 10,000 articles: half a second of the build.)"""
        self.db.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA wal_autocheckpoint = {_AUTOCHECKPOINT}")

    def checkpoint(self) -> None:
        """Copy the log's committed pages into the database file, on a connection of its own
        (a thread's: this one may be writing meanwhile)."""
        connection = sqlite3.connect(self.path, isolation_level=None)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            connection.close()

    # -- transactions ----------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self.db.execute("ROLLBACK")
            raise
        self._depth = 0
        self.db.execute("COMMIT")

    # -- meta ------------------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- pending scopes ----------------------------------------------------------------------

    def add_pending(self, scopes: Iterable[str]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO pending(scope) VALUES (?)", ((s,) for s in scopes))

    def pending(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT scope FROM pending")}


def revert(state: State) -> None:
    """The swap that the last commit announced did not happen: the live site is the previous
    one. Its rows come back from `changes`, and the scopes of the changed files are planned
    again. (There is no spare: the killed build's staging folder was it.)"""
    with state.transaction():
        rows = state.db.execute("SELECT path, old_scope, old_kind, old_key, old_sha256, removed FROM changes").fetchall()
        for path, scope, kind, key, sha, _ in rows:
            new = state.db.execute("SELECT scope FROM outputs WHERE path = ?", (path,)).fetchone()
            if new is not None:
                state.add_pending([new[0]])
            if scope is None:
                state.db.execute("DELETE FROM outputs WHERE path = ?", (path,))
            else:
                state.add_pending([scope])
                state.db.execute("INSERT OR REPLACE INTO outputs(path, scope, kind, key, sha256) VALUES (?, ?, ?, ?, ?)",
                                 (path, scope, kind, key, sha))
        state.db.execute("DELETE FROM changes")
        state.put("files", None)  # (counted again by the next build)
        state.put("live", state.get("previous"))
        state.put("previous", None)
        state.put("spare", None)


def previous_files(state: State) -> dict[str, bytes]:
    """path → SHA-256 of every file of the site before the last swap."""
    files = {path: sha for path, sha in state.db.execute("SELECT path, sha256 FROM outputs")}
    for path, sha in state.db.execute("SELECT path, old_sha256 FROM changes"):
        if sha is None:
            del files[path]
        else:
            files[path] = sha
    return files


def reader(path: Path) -> sqlite3.Connection:
    """A read-only connection (a render worker's): sees what was committed."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    connection.execute("PRAGMA query_only = ON")
    return connection


def folder_identity(path: Path) -> str | None:
    """The identity of a folder (device and inode): the site the state describes."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_dev}:{st.st_ino}"


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: transactions are begun and ended here, explicitly.
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection
