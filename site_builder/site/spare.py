"""The spare site's copy: the new site, a hard link per file, made beside the spare's place
and renamed into it.

After a build that replaced no site (a first or full one), or one that rewrote much of it,
the spare is made a copy of the new site, so that the next build starts from it with no
change to replay instead of linking every file into its staging folder while the editor
waits. A kill leaves no half spare under its name, and the state names a spare only once it
is whole.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from site_builder.site.output import Trash, link_file, partial_spare_dir, spare_dir


class SpareCopy:
    """A copy of the site at `src_root` (the staging folder about to be swapped in) made
    beside the spare's place, for `place_spare` to put in it: linked as the files are
    written, or all at once while they are flushed to disk (`start_spare`)."""

    def __init__(self, src_root: str | Path, out_dir: Path) -> None:
        self.src_root, self.root, self.whole = src_root, partial_spare_dir(out_dir), True
        _trash(out_dir, self.root)  # (a killed build's half copy)
        self.root.mkdir(parents=True)

    def add(self, paths: Iterable[str]) -> None:
        """Link these files of the site into the copy (one that cannot be: no copy)."""
        self.whole = self.whole and all(link_file(self.src_root, self.root, path) for path in paths)

    def done(self) -> bool:
        """Whether every file was linked; if not, the copy is deleted."""
        if not self.whole:
            self.discard()
        return self.whole

    def discard(self) -> None:
        self.whole = False
        shutil.rmtree(self.root, ignore_errors=True)


def start_spare(src_root: str | Path, out_dir: Path, paths: Iterable[str]) -> bool:
    """A `SpareCopy` of these files of the site at `src_root`, made at once: False (no copy)
    when a file could not be linked."""
    copy = SpareCopy(src_root, out_dir)
    copy.add(paths)
    return copy.done()


def place_spare(out_dir: Path) -> None:
    """The copy made becomes the spare, renamed into its place."""
    spare = spare_dir(out_dir)
    _trash(out_dir, spare)
    partial_spare_dir(out_dir).rename(spare)


def _trash(out_dir: Path, path: Path) -> None:
    """`path` (a folder, or a link in its place) into the trash, emptied in the background."""
    if path.exists() or path.is_symlink():
        trash = Trash(out_dir)
        trash.put(path)
        trash.empty_later()
