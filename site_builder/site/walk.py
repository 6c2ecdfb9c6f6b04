"""The walk of `content/`: every folder that holds article files, with a digest of their stamps.

A build must notice any change to any of the archive's files, and without the system's file
events (`serve` has them; `build` does not) that means a stat of every file. What it need not
do is list every folder again: a folder's mtime changes whenever a name in it is added,
removed or renamed, so a folder whose mtime is the one its last listing was taken at still
holds the same names. Its files are stat'ed by the names the state kept (`Listing`) and
compared with the stamps kept with them; when all are as they were, so is the folder's digest,
kept too. At 100,000 articles this walk takes 0.50 s on one core, against 1.06 s for listing
every folder and stat'ing what it holds.

A listing is kept only when it can be trusted later:
- its mtime is older than the walk by `SETTLED_NS`: on a file system whose times are coarse
  (FAT keeps two seconds) a name added in the same tick as the listing would leave the mtime as
  it was;
- it holds nothing but plain files and folders: a folder with a symlink or a FIFO is listed
  every time, as it was before.
A kept listing that no longer fits (the mtime moved, a file's stamp changed, a file is gone or
is no longer a plain file) is dropped and the folder listed again.

The listings are kept by top folder (a year: ~1,300 folders), each as one `marshal` record:
the forked workers of a walk each load the years they walk, and a change rewrites its year.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISDIR, S_ISREG

from site_builder.models import Problem
from site_builder.site.forked import can_fork, forked
from site_builder.site.paths import inside
from site_builder.site.state import State

PARALLEL_WALK = 4  # top folders (years) at least, for the walk to be shared among processes
SETTLED_NS = 2_000_000_000  # how much older than the walk a folder's mtime must be for its listing to be kept
_OPEN_FOLDER = getattr(os, "O_PATH", os.O_RDONLY) | getattr(os, "O_DIRECTORY", 0)
_BY_NAME = os.stat in os.supports_dir_fd and os.stat in os.supports_follow_symlinks

Stamp = tuple[str, int, int, bool]  # name, mtime_ns, size, a symlink
# A folder as it was listed: its mtime then, its article files (name, mtime_ns, size), its
# subfolders, the digest of its files' stamps. (Plain tuples: what `marshal` keeps.)
Listing = tuple[int, tuple[tuple[str, int, int], ...], tuple[str, ...], str]
Listings = dict[str, Listing]  # folder → listing, of one top folder


@dataclass
class Walked:
    stamps: dict[str, str] = field(default_factory=dict)  # folder → digest of its article files' stamps
    problems: list[Problem] = field(default_factory=list)  # symlinked folders (never walked into)
    kept: dict[str, Listings] = field(default_factory=dict)  # top folder → its listings, where they changed
    tops: set[str] = field(default_factory=set)  # the top folders walked ("": the content folder itself)

    def add(self, other: Walked) -> None:
        self.stamps.update(other.stamps)
        self.problems += other.problems
        self.kept.update(other.kept)
        self.tops |= other.tops


def walk_content(content_dir: Path, only: Collection[str] | None = None, jobs: int = 1,
                 kept: Mapping[str, bytes] | None = None) -> Walked:
    """Every folder below `content_dir` that holds article files (`*.md`), with the digest of
    their stamps (name, mtime, size, link or not), and the problems of symlinked folders
    (never walked into). Folders and files named `_…` (the ingest's remainders) or `.…` are
    not content. `only`: just these folders (and what is below them), listed, nothing kept.
    `kept`: the listings kept by the last walk, by top folder (see the module's text).

    With `jobs` > 1 and many folders, the top folders (the years) are shared among that many
    processes (this one and forked ones)."""
    walked = Walked()
    if only is not None:
        for start in sorted(set(only)):
            _walk_tree(content_dir, start, {}, walked)
        return walked
    kept = kept if kept is not None and _BY_NAME else {}
    tops = _walk_top(content_dir, "", kept, walked, shallow=True)
    if jobs > 1 and len(tops) >= PARALLEL_WALK and can_fork():
        with contextlib.ExitStack() as children:
            shares = [children.enter_context(forked(functools.partial(_walk_tops, content_dir, tops[i::jobs], kept)))
                      for i in range(1, jobs)]
            walked.add(_walk_tops(content_dir, tops[::jobs], kept))  # (and this process's share)
            for share in shares:
                walked.add(share())
    else:
        walked.add(_walk_tops(content_dir, tops, kept))
    return walked


def read_listings(state: State) -> dict[str, bytes]:
    """The kept listings: top folder → its listings, as `marshal` wrote them."""
    return dict(state.db.execute("SELECT top, listings FROM listings"))


def keep_listings(state: State, walked: Walked, whole: bool) -> None:
    """The listings of a walk into the state (within the caller's transaction); `whole`: the
    walk saw every top folder, and the listings of the ones it did not see are dropped."""
    for top, listings in walked.kept.items():
        if listings:
            state.db.execute("INSERT OR REPLACE INTO listings(top, listings) VALUES (?, ?)",
                             (top, marshal.dumps(listings)))
        else:
            state.db.execute("DELETE FROM listings WHERE top = ?", (top,))
    if whole:
        gone = [(top,) for (top,) in state.db.execute("SELECT top FROM listings") if top not in walked.tops]
        state.db.executemany("DELETE FROM listings WHERE top = ?", gone)


def _walk_tops(content_dir: Path, tops: list[str], kept: Mapping[str, bytes]) -> Walked:
    walked = Walked()
    for top in tops:
        _walk_top(content_dir, top, kept, walked)
    return walked


def _walk_top(content_dir: Path, top: str, kept: Mapping[str, bytes], walked: Walked, shallow: bool = False
              ) -> list[str]:
    """One top folder walked with its kept listings (`shallow`: the content folder's own
    files); its subfolders."""
    old = _load(kept.get(top))
    new: Listings = {}
    subfolders = _walk_tree(content_dir, top, old, walked, new, shallow)
    walked.tops.add(top)
    if new != old:  # (the same objects where nothing changed: a cheap comparison)
        walked.kept[top] = new
    return subfolders


def _load(blob: bytes | None) -> Listings:
    if blob is None:
        return {}
    try:
        listings = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):  # (damaged: every folder is listed again)
        return {}
    return listings if isinstance(listings, dict) else {}


def _walk_tree(content_dir: Path, start: str, old: Listings, walked: Walked, new: Listings | None = None,
               shallow: bool = False) -> list[str]:
    """The folder `start` and those below it (`shallow`: itself only), by their listings in
    `old` where they still hold; the listings to keep go into `new` (None: none are kept).
    The subfolders of `start`."""
    root = Path(os.path.realpath(content_dir))
    base = str(Path(content_dir))  # Path's spelling: no `./`, no trailing `/`
    settled = time.time_ns() - SETTLED_NS
    todo = [(os.path.join(base, start) if start else base, start)]
    first: list[str] = []
    subfolders: Sequence[str]
    while todo:
        folder, rel = todo.pop()
        listing = old.get(rel)
        if listing is not None and _still(folder, listing):
            _, _, subfolders, digest = listing
            if digest:
                walked.stamps[rel] = digest
        else:
            listed = _list(folder, root, settled if new is not None else 0, walked.problems)
            if listed is None:
                continue
            stamps, subfolders, listing = listed
            if stamps:
                walked.stamps[rel] = listing[3] if listing is not None else _digest(stamps)
        if new is not None and listing is not None:
            new[rel] = listing
        if rel == start:
            first = list(subfolders)
        if not shallow:
            todo += [(f"{folder}/{sub}", f"{rel}/{sub}" if rel else sub) for sub in subfolders]
    return first


def symlinked_folder(path: str, root: Path) -> Problem:
    """A symlinked folder in the content folder, never walked into: one leading out of it is
    an error, one inside a warning (its files would be read twice)."""
    if inside(Path(os.path.realpath(path)), root):
        return Problem(path, 1, "symlinked folder inside the content folder: not read (move the files here)",
                       "warning")
    return Problem(path, 1, "symlink points outside the content folder")


def _digest(stamps: list[Stamp]) -> str:
    stamps.sort()
    return hashlib.sha256(repr(stamps).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _still(folder: str, listing: Listing) -> bool:
    """Whether a folder is as it was listed: its mtime, and each file's stamp by its name."""
    try:
        fd = os.open(folder, _OPEN_FOLDER)
    except OSError:
        return False
    try:
        mtime, files, _, _ = listing
        if os.fstat(fd).st_mtime_ns != mtime:
            return False
        for name, file_mtime, size in files:
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            if st.st_mtime_ns != file_mtime or st.st_size != size or not S_ISREG(st.st_mode):
                return False
        return True
    except (OSError, ValueError, TypeError):  # (gone, or a damaged listing)
        return False
    finally:
        os.close(fd)


def _list(folder: str, root: Path, settled: int, problems: list[Problem]
          ) -> tuple[list[Stamp], list[str], Listing | None] | None:
    """A folder listed: its article files' stamps, its subfolders and the listing to keep
    (None: this folder is listed every time); None when it cannot be listed."""
    try:
        mtime = os.stat(folder).st_mtime_ns  # (before the listing: a change during it moves it)
        entries = os.scandir(folder)
    except OSError:
        return None
    keep = mtime < settled
    stamps: list[Stamp] = []
    folders = []
    with entries:
        for entry in entries:
            name = entry.name
            # (A day folder holds article files only: their test comes first, and their
            # stamp is made in C: the tuple's repr in `_digest`.)
            if name.endswith(".md") and name[0] not in "_.":
                try:
                    st = entry.stat()
                except OSError:
                    keep = False
                    continue
                linked = entry.is_symlink()
                keep = keep and not linked
                if S_ISREG(st.st_mode):
                    stamps.append((name, st.st_mtime_ns, st.st_size, linked))
                    continue
                if not S_ISDIR(st.st_mode):
                    keep = False
                    stamps.append((name, 0, -1, linked))  # a FIFO, a device: refused when read
                    continue
            if name[0] in "_." or not entry.is_dir():
                continue
            if not entry.is_symlink():
                folders.append(name)
                continue
            keep = False
            problems.append(symlinked_folder(entry.path, root))
    folders.sort()
    if not keep:
        return stamps, folders, None
    digest = _digest(stamps) if stamps else ""
    return stamps, folders, (mtime, tuple((n, m, size) for n, m, size, _ in stamps), tuple(folders), digest)
