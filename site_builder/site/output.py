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

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from site_builder.site.paths import ensure_safe
from site_builder.site.state import cache_dir
from site_builder.site.swap import exchange, sync_filesystem

T = TypeVar("T")
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


def parent_folders(folder: str) -> Iterable[str]:
    """`a/b/c`, `a/b`, `a` for `a/b/c`; nothing for the root ('')."""
    while folder:
        yield folder
        folder = os.path.dirname(folder)


def spare_dir(out_dir: Path) -> Path:
    """Where the site replaced by the last swap is kept (same file system as the site)."""
    return cache_dir(out_dir) / SPARE


def partial_spare_dir(out_dir: Path) -> Path:
    """Where a new spare is made before it is renamed into the spare's place (`spare`)."""
    return spare_dir(out_dir).with_name(f"{SPARE}.new")


class Staging:
    """A folder to write the site into, next to the target (same filesystem).

    It starts as a copy of the live site made of hard links (no file is copied): the spare
    site brought up to date by the last build's changes (`from_spare`), or, without a spare,
    a link to each file of the live site (`from_live`); or empty (a full build)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        # Named `.build-*` next to the target: same filesystem (rename is atomic), and
        # ignored by git when the target is the repository's `public/`. A build killed from
        # here on leaves a folder the next build deletes (`swap.remove_stale_builds`).
        self.root = out_dir.parent / f".build-{out_dir.name}-{os.getpid()}"
        if self.root.exists():
            shutil.rmtree(self.root)
        self.trash = Trash(out_dir)
        # The folders of the staging tree whose entries it changed (and so their times):
        # None when the tree is new (every folder is).
        self.touched: set[str] | None = None
        partial = partial_spare_dir(out_dir)  # (a build killed while it copied the site as the spare)
        if partial.exists():
            self.trash.put(partial)

    def empty(self) -> None:
        self.root.mkdir(parents=True)

    def from_spare(self, changes: Iterable[tuple[str, bool]]) -> list[str] | None:
        """Start from the spare site, replaying the last build's changes (path, removed) on
        it; the paths the live site no longer has (to be made again). None (nothing done)
        when there is no spare."""
        spare = spare_dir(self.out_dir)
        if not spare.is_dir() or spare.is_symlink():
            return None
        spare.rename(self.root)
        self.touched = {""}
        emptied = set()
        missing = []
        for path, removed in changes:
            ensure_safe(self.root, path)
            self.wrote_in(os.path.dirname(path))
            dst = os.path.join(self.root, path)
            if os.path.lexists(dst):
                self.trash.put(dst)
            if removed:
                emptied.add(os.path.dirname(path))
            elif not self._link(path):
                missing.append(path)
        self._remove_empty(emptied)
        return missing

    def from_live(self, paths: Iterable[str]) -> list[str]:
        """Start with a link to each of these files of the live site; the paths it does not
        have (to be made again)."""
        self.root.mkdir(parents=True)
        return [path for path in paths if not self._link(path)]

    def _link(self, path: str) -> bool:
        return link_file(self.out_dir, self.root, path)

    def wrote_in(self, folder: str) -> None:
        """A file was added to or taken from this folder (its own folders may be new)."""
        if self.touched is not None and folder not in self.touched:
            self.touched.update(parent_folders(folder))

    def remove(self, paths: Iterable[str]) -> None:
        """Take these files out of the staging folder (and folders left empty)."""
        emptied = set()
        for path in paths:
            ensure_safe(self.root, path)
            dst = os.path.join(self.root, path)
            if os.path.lexists(dst):
                self.trash.put(dst)
                emptied.add(os.path.dirname(path))
                self.wrote_in(os.path.dirname(path))
        self._remove_empty(emptied)

    def _remove_empty(self, folders: Iterable[str]) -> None:
        """Delete these folders (root paths) and their parents, deepest first, where empty."""
        every = {f for folder in folders for f in parent_folders(folder)}
        for folder in sorted(every, key=lambda f: f.count("/"), reverse=True):
            try:
                os.rmdir(os.path.join(self.root, folder))
            except OSError:  # not empty, or gone
                pass

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self.trash.empty_later()

    def sync(self, meanwhile: Callable[[], T] | None = None) -> T | None:
        """Flush the staging folder to disk; `meanwhile` runs while the system writes (a
        thread waits for `syncfs`, which lets go of the interpreter): its result."""
        if meanwhile is None:
            sync_filesystem(self.root)
            return None
        with ThreadPoolExecutor(1) as flush:
            flushed = flush.submit(sync_filesystem, self.root)
            result = meanwhile()
            flushed.result()
        return result

    def swap_into_place(self) -> None:
        """New site in, old one out (kept as the spare): the target is never half-written."""
        # (On disk before it goes live: `sync`.) One atomic exchange where the system has it
        # (no instant without a site); else two renames (see swap.py).
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


def link_file(src_root: str | Path, dst_root: str | Path, path: str) -> bool:
    """A hard link at `dst_root/path` to `src_root/path` (its folders made); False when the
    source is missing or cannot be linked."""
    dst = os.path.join(dst_root, path)
    try:
        os.link(os.path.join(src_root, path), dst, follow_symlinks=False)
    except FileNotFoundError:
        if not os.path.isdir(os.path.dirname(dst)):
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            return link_file(src_root, dst_root, path)
        return False
    except OSError:
        return False
    return True


def static_files(static_dirs: list[Path]) -> dict[str, Path]:
    """Theme assets by their site path (`static/…`, the icon at the root: `favicon.root_icon`);
    earlier folders win over later ones."""
    from site_builder.site.favicon import root_icon  # (a build that makes pages only)

    found: dict[str, Path] = {}
    for folder in static_dirs:
        if not folder.is_dir():
            continue
        for src in sorted(folder.rglob("*")):
            rel = "static/" + src.relative_to(folder).as_posix()
            if src.is_file() and rel not in found:
                found[rel] = src
    return root_icon(found)
