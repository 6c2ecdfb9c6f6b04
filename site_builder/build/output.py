"""Writing the site: a staging folder next to the target, swapped into place at the end.

A build that fails before `swap_into_place` leaves the previous site untouched.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from site_builder.build.paths import ensure_safe
from site_builder.build.swap import exchange, remove_tree, sync_filesystem


class Staging:
    """A fresh folder to write the site into, refusing two pages at one path."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        # Named `.build-*` next to the target: same filesystem (rename is atomic), and
        # ignored by git when the target is the repository's `public/`.
        self.root = out_dir.parent / f".build-{out_dir.name}-{os.getpid()}"
        self._written: set[str] = set()
        self._made: set[Path] = set()
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)

    def write(self, path: str, text: str) -> None:
        if path in self._written:
            raise ValueError(f"two pages would be written to {path}")
        self._written.add(path)
        target = ensure_safe(self.root, path)  # safety (issue 8): never outside the staging folder
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        # newline="" keeps '\n' on every platform: byte-identical output.
        with target.open("w", encoding="utf-8", newline="") as f:
            f.write(text)

    def copy_static(self, static_dirs: list[Path]) -> int:
        """Copy theme assets into `static/`; earlier folders win over later ones."""
        copied: dict[str, Path] = {}
        for folder in static_dirs:
            if not folder.is_dir():
                continue
            for src in sorted(folder.rglob("*")):
                rel = src.relative_to(folder).as_posix()
                if src.is_file() and rel not in copied:
                    copied[rel] = src
        for rel, src in sorted(copied.items()):
            target = self.root / "static" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            # copyfile, not copy2: no timestamps or modes carried over.
            shutil.copyfile(src, target)
        return len(copied)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def swap_into_place(self) -> None:
        """Old site renamed away, new renamed in, old deleted: the target is never half-written."""
        # --- safety (issue 8): on disk before it goes live, then one atomic exchange where the
        # system has it (no instant without a site); else two renames (see build/swap.py).
        sync_filesystem(self.root)
        if self.out_dir.is_dir() and exchange(self.root, self.out_dir):
            remove_tree(self.root)  # now the previous site
            return
        # --- end safety
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
