"""Writing the site: a staging folder next to the target, swapped into place at the end.

A build that fails before `swap_into_place` leaves the previous site untouched. An
incremental build starts its staging folder as a hard-linked copy of the live site (cheap:
no file is copied) and replaces only what changed; files are never written through a link.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from site_builder.build.outputs import Contents
from site_builder.build.paths import ensure_safe
from site_builder.build.swap import exchange, remove_tree, sync_filesystem
from site_builder.build.workers import write_file


class Staging:
    """A fresh folder to write the site into, next to the target (same filesystem)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        # Named `.build-*` next to the target: same filesystem (rename is atomic), and
        # ignored by git when the target is the repository's `public/`.
        self.root = out_dir.parent / f".build-{out_dir.name}-{os.getpid()}"
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)

    def link_from_live_site(self, paths: Iterable[str]) -> list[str]:
        """Hard-link these files of the live site into staging (no bytes are copied); the
        ones the live site no longer has as files (deleted by hand) are returned."""
        made: set[str] = set()
        missing = []
        src_root, dst_root = str(self.out_dir), str(self.root)
        for path in paths:
            folder = os.path.dirname(path)
            if folder and folder not in made:
                os.makedirs(os.path.join(dst_root, folder), exist_ok=True)
                made.add(folder)
            try:
                os.link(os.path.join(src_root, path), os.path.join(dst_root, path))
            except OSError:  # gone, or a folder now: made again
                missing.append(path)
        return missing

    def write(self, path: str, data: Contents) -> str:
        """Write one file (root path); its SHA-256."""
        target = ensure_safe(self.root, path)  # never outside the staging folder
        target.parent.mkdir(parents=True, exist_ok=True)
        return write_file(target, data)

    def remove(self, path: str) -> None:
        """Delete a file the new site no longer has, and its folder when that is left empty."""
        target = self.root / path
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != self.root and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def swap_into_place(self) -> None:
        """Old site renamed away, new renamed in, old deleted: the target is never half-written."""
        # On disk before it goes live, then one atomic exchange where the system has it (no
        # instant without a site); else two renames (see build/swap.py).
        sync_filesystem(self.root)
        if self.out_dir.is_dir() and exchange(self.root, self.out_dir):
            remove_tree(self.root)  # now the previous site
            return
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
        shutil.rmtree(old, ignore_errors=True)


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
