"""Writing the site: a staging folder next to the target, swapped into place at the end.

A build that fails before `swap_into_place` leaves the previous site untouched. An
incremental build starts its staging folder as a hard-linked copy of the live site (cheap:
no file is copied) and replaces only what changed; files are never written through a link.

The site a swap replaces is not deleted: it is kept as the spare (`.<out>-cache/spare-site/`)
and the next incremental build starts its staging folder from it. The spare differs from the
live site only by what the last build changed: its other files are the live site's own
(hard links, the same inodes). Making it a copy of the live site costs a listing of both
folders and a link per changed file, instead of a link per file of the site and a delete
per file of the replaced one (at 100,000 articles, 338,000 of each). It costs disk only for
the files the last build replaced.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Container, Iterable, Iterator
from pathlib import Path

from site_builder.site.cache import cache_dir
from site_builder.site.outputs import Contents
from site_builder.site.paths import ensure_safe
from site_builder.site.swap import exchange, sync_filesystem
from site_builder.site.workers import write_file

SPARE = "spare-site"
TRASH = "trash"
# Run detached, at the lowest priority: deletes a build's trash folder, and those of builds
# that are gone (killed before they started theirs). Python alone, to start in milliseconds.
_EMPTY_TRASH = """
import os, shutil, sys
os.nice(19)
root, mine = sys.argv[1], sys.argv[2]
def gone(name):
    try:
        os.kill(int(name.split("-")[0]), 0)
    except (ValueError, ProcessLookupError):
        return True
    except PermissionError:
        return False
    return False
for name in os.listdir(root):
    if name == mine or gone(name):
        shutil.rmtree(os.path.join(root, name), ignore_errors=True)
"""


class Trash:
    """Files and folders put out of the site's way by one rename each, deleted afterwards by a
    detached process: the build does not wait for the file system to free them (on this
    kind of disk, ~0.3 ms a file whose last link goes; 34,000 files after a template change).

    Under `.<out>-cache/trash/<pid>-<n>/`, so on the site's file system (rename, no copy)."""

    def __init__(self, out_dir: Path) -> None:
        self.root = cache_dir(out_dir) / TRASH
        self.folder = self.root / f"{os.getpid()}-{time.monotonic_ns()}"
        self.count = 0

    def put(self, path: str | Path) -> None:
        if self.count == 0:
            self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        try:
            os.rename(path, self.folder / str(self.count))
        except FileNotFoundError:
            pass

    def empty_later(self) -> None:
        if self.count:
            subprocess.Popen([sys.executable, "-c", _EMPTY_TRASH, str(self.root), self.folder.name],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True, close_fds=True)


def _files_below(folder: str, live: str, site: Container[str], trash: Trash,
                 prefix: str = "") -> Iterator[tuple[str, os.DirEntry[str], bool]]:
    """(root path, entry, whether it is the live site's own file) of everything in `folder`
    but folders, like `walk_tree`; a folder where the site has a file goes to the trash
    instead. One folder of each tree is listed at a time (a site has ~340,000 files at
    100,000 articles: no listing of either is held whole)."""
    entries = list(os.scandir(folder))
    try:
        inodes = {e.name: e.inode() for e in os.scandir(live) if e.is_file(follow_symlinks=False)}
    except OSError:  # a folder the live site does not have
        inodes = {}
    for entry in entries:
        path = prefix + entry.name
        if not entry.is_dir(follow_symlinks=False):
            yield path, entry, inodes.get(entry.name) == entry.inode() and entry.is_file(follow_symlinks=False)
        elif path in site:
            trash.put(entry.path)
        else:
            yield from _files_below(entry.path, os.path.join(live, entry.name), site, trash, path + "/")


def _parents(folder: str) -> Iterable[str]:
    """`a/b/c`, `a/b`, `a` for `a/b/c`; nothing for the root ('')."""
    while folder:
        yield folder
        folder = os.path.dirname(folder)


def spare_dir(out_dir: Path) -> Path:
    """Where the site replaced by the last swap is kept (same file system as the site)."""
    return cache_dir(out_dir) / SPARE


class Staging:
    """A folder to write the site into, next to the target (same filesystem).

    `recycle`: start from the spare site when there is one (an incremental build); else
    the folder starts empty."""

    def __init__(self, out_dir: Path, *, recycle: bool = False) -> None:
        self.out_dir = out_dir
        # Named `.build-*` next to the target: same filesystem (rename is atomic), and
        # ignored by git when the target is the repository's `public/`. A build killed from
        # here on leaves a folder the next build deletes (`swap.remove_stale_builds`).
        self.root = out_dir.parent / f".build-{out_dir.name}-{os.getpid()}"
        if self.root.exists():
            shutil.rmtree(self.root)
        self.trash = Trash(out_dir)
        spare = spare_dir(out_dir)
        self.recycled = recycle and spare.is_dir() and not spare.is_symlink()
        if self.recycled:
            spare.rename(self.root)
        else:
            self.root.mkdir(parents=True)

    def link_from_live_site(self, files: Iterable[str], site: Container[str]) -> list[str]:
        """Make staging hold these files of the live site: hard links, no bytes copied.
        `site`: every path the new site will have. A recycled folder loses its other files
        and keeps those of `files` that are already the live site's (the same inode). The
        paths the live site no longer has as files (deleted by hand) are returned."""
        here: set[str] = set()
        keep: set[str] = set()
        if self.recycled:
            emptied: set[str] = set()
            for path, entry, live in _files_below(str(self.root), str(self.out_dir), site, self.trash):
                if path not in site:
                    self.trash.put(entry.path)  # (its folder was listed already)
                    emptied.add(os.path.dirname(path))
                elif live:
                    keep.add(path)
                else:
                    here.add(path)
            self._remove_empty(emptied)
        made: set[str] = set()
        missing = []
        src_root, dst_root = str(self.out_dir), str(self.root)
        for path in files:
            if path in keep:
                continue
            dst = os.path.join(dst_root, path)
            if path in here:  # the spare's older version
                self.trash.put(dst)
            folder = os.path.dirname(path)
            if folder and folder not in made:
                os.makedirs(os.path.join(dst_root, folder), exist_ok=True)
                made.add(folder)
            try:
                os.link(os.path.join(src_root, path), dst)
            except OSError:  # gone, or a folder now: made again
                missing.append(path)
        return missing

    def _remove_empty(self, folders: Iterable[str]) -> None:
        """Delete these folders (root paths) and their parents, deepest first, where empty."""
        every = {f for folder in folders for f in _parents(folder)}
        for folder in sorted(every, key=lambda f: f.count("/"), reverse=True):
            try:
                os.rmdir(os.path.join(self.root, folder))
            except OSError:  # not empty, or gone
                pass

    def keep_live(self, path: str, sha256: str) -> bool:
        """Put the live site's file back in place of the one just written at `path` (root
        path), when it still has the bytes just written (`sha256`): a file written again
        with the same bytes keeps its inode and mtime, so a sync to the host or a reader's
        cache sees no change. False (the new file stays) when the live site has no such
        file, or a link, or other bytes (altered by hand: the new file mends it)."""
        dst = os.path.join(self.root, path)
        tmp = f"{dst}.live-{os.getpid()}"
        try:
            os.link(os.path.join(self.out_dir, path), tmp, follow_symlinks=False)
        except OSError:
            return False
        try:  # the very file to be installed is checked (O_NOFOLLOW: a link is refused)
            with os.fdopen(os.open(tmp, os.O_RDONLY | os.O_NOFOLLOW), "rb") as f:
                same = hashlib.file_digest(f, "sha256").hexdigest() == sha256
        except OSError:
            same = False
        if not same:
            os.unlink(tmp)
            return False
        os.replace(tmp, dst)
        return True

    def write(self, path: str, data: Contents) -> str:
        """Write one file (root path); its SHA-256."""
        target = ensure_safe(self.root, path)  # never outside the staging folder
        target.parent.mkdir(parents=True, exist_ok=True)
        return write_file(target, data)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self.trash.empty_later()

    def swap_into_place(self) -> None:
        """New site in, old one out (kept as the spare): the target is never half-written."""
        # On disk before it goes live, then one atomic exchange where the system has it (no
        # instant without a site); else two renames (see build/swap.py).
        sync_filesystem(self.root)
        if self.out_dir.is_dir() and exchange(self.root, self.out_dir):
            self._keep_as_spare(self.root)  # now the previous site
        else:
            old = self.out_dir.parent / f".build-{self.out_dir.name}-{os.getpid()}-old"
            if old.exists():
                shutil.rmtree(old)
            if self.out_dir.exists():
                self.out_dir.rename(old)
            try:
                self.root.rename(self.out_dir)
            except OSError:
                if old.exists():
                    old.rename(self.out_dir)
                raise
            if old.exists():
                self._keep_as_spare(old)
        self.trash.empty_later()

    def _keep_as_spare(self, old: Path) -> None:
        spare = spare_dir(self.out_dir)
        if spare.exists() or spare.is_symlink():  # only when this build did not start from it
            self.trash.put(spare)
        spare.parent.mkdir(parents=True, exist_ok=True)
        try:
            old.rename(spare)
        except OSError:
            self.trash.put(old)


def static_files(static_dirs: list[Path]) -> dict[str, Path]:
    """Theme assets by their site path (`static/…`); earlier folders win over later ones."""
    found: dict[str, Path] = {}
    for folder in static_dirs:
        if not folder.is_dir():
            continue
        for src in sorted(folder.rglob("*")):
            rel = "static/" + src.relative_to(folder).as_posix()
            if src.is_file() and rel not in found:
                found[rel] = src
    return dict(sorted(found.items()))
