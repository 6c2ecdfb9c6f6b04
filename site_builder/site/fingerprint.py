"""Digests that decide what an incremental build must redo.

- `code_fingerprint()`: the builder's own source; a new version of the code rebuilds everything.
- (per-template digests are in `render.TemplateFingerprints`)
- `input_signature(...)`: sizes and mtimes of every file under some folders (the theme's):
  when it equals the last build's, none of them changed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


@cache
def code_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def input_signature(folders: Iterable[Path]) -> str:
    """Digest of the code and of (path, size, mtime) of every file under `folders`."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for folder in folders:
        for path in sorted(entry.path for _, entry in walk_tree(str(folder))):
            _add_stat(digest, path)
    return digest.hexdigest()[:32]


def _add_stat(digest: hashlib._Hash, path: str) -> None:
    try:
        st = os.stat(path)
    except OSError:
        digest.update(f"{path}\0-\n".encode())
        return
    digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())


def walk_tree(folder: str, prefix: str = "") -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(path below `folder`, entry) of everything under it but folders, in no set order;
    symlinked folders are not followed (os.scandir: no Path objects, no stat per file for
    100,000 files; a stack of folders, not a generator per folder level)."""
    folders = [(folder, prefix)]
    while folders:
        path, below = folders.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, f"{below}{entry.name}/"))
            else:
                yield below + entry.name, entry
