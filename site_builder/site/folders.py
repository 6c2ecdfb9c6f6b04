"""The times of the site's folders, kept in the state: a file deleted or added by hand moves
its folder's time, and a build that finds one moved makes the site again.

The state keeps the times of both trees, the live site's and the spare's, a column each of
`dirs` (`meta.dirs` names the live one). A swap makes the spare live and the live site the
spare: the columns change roles, and after a build only the folders it changed in its new
live tree are stat'ed, not every folder of the site (13,842 at 100,000 articles).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable
from pathlib import Path

from site_builder.site.output import spare_dir
from site_builder.site.state import State


def record_folders(state: State, out_dir: Path, touched: Collection[str] | None) -> None:
    """After a swap: the folder times of the new live site, the spare's column taking the live
    role; only the folders the build changed in its new live tree are stat'ed (`touched`;
    None: all, the tree is new)."""
    live = _columns(state)[1]  # (the spare's column: the roles change with the swap)
    rows = (_stat_folders(out_dir, (p for (p,) in state.db.execute("SELECT path FROM dirs")))
            if touched is None else _stat_folders(out_dir, touched))
    with state.transaction():
        state.db.executemany(f"INSERT INTO dirs(path, {live}) VALUES (?, ?) "
                             f"ON CONFLICT(path) DO UPDATE SET {live} = excluded.{live}", rows)
        state.db.execute("DELETE FROM dirs WHERE a IS NULL AND b IS NULL")
        state.put("dirs", live)


def record_spare_folders(state: State, out_dir: Path) -> None:
    """The folder times of a spare made anew (`start_spare`, `place_spare`): every folder is."""
    _, spare = _columns(state)
    rows = _stat_folders(spare_dir(out_dir), [p for (p,) in state.db.execute("SELECT path FROM dirs")])
    with state.transaction():
        state.db.executemany(f"UPDATE dirs SET {spare} = ? WHERE path = ?", ((m, p) for p, m in rows))


def folders_check(state: State, out_dir: Path) -> Callable[[], bool]:
    """The check whether a folder of the live site changed (or went, or came) since the build
    that made it recorded it: the state's times are read now, the folders stat'ed when the
    check is called (in a forked process, beside the content walk: see `pipeline`)."""
    live, _ = _columns(state)
    known = dict(state.db.execute(f"SELECT path, {live} FROM dirs"))

    def changed() -> bool:
        try:
            return any(known[path] != mtime for path, mtime in _stat_folders(out_dir, known))
        except OSError:  # (no site folder)
            return True

    return changed


def _columns(state: State) -> tuple[str, str]:
    """The columns of `dirs` that hold the live site's and the spare's folder times."""
    return ("b", "a") if state.get("dirs") == "b" else ("a", "b")


def _stat_folders(site: Path, folders: Iterable[str]) -> list[tuple[str, int | None]]:
    """(folder, mtime or None if it is not there) for these folders of a site, stat'ed from one
    descriptor of the site's folder (OSError: that cannot be opened)."""
    root = os.open(site, os.O_RDONLY | os.O_DIRECTORY)
    stat = os.stat
    found: list[tuple[str, int | None]] = []
    try:
        for folder in folders:
            try:
                found.append((folder, stat(folder or ".", dir_fd=root, follow_symlinks=False).st_mtime_ns))
            except OSError:
                found.append((folder, None))
    finally:
        os.close(root)
    return found
