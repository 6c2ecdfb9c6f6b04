"""Write `content/` safely: atomic files, and an editor's hand corrections are never lost.

`content/.ingest-state.json` records the SHA-256 of every file the ingest wrote. On a re-run a
file whose bytes no longer match is an editor's correction: it is kept and reported. Every
file is written to a temporary name, fsynced and renamed (`site_builder.atomic`), so a killed
ingest leaves no half-written article; the temporary files of a killed run are removed by the
next one. A file whose bytes would not change is not touched (same inode, same mtime), and no
file is written or removed through a symlink leading out of `content/`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.atomic import atomic_write, fsync_folder, remove_stale_temps

STATE = ".ingest-state.json"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # Not written: the path leads out of content/ through a symlinked folder.
    refused: list[str] = field(default_factory=list)
    stale_temps: list[str] = field(default_factory=list)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _inside(target: Path, root: Path) -> bool:
    """Does `target` (which may not exist yet) stay inside `root` once symlinks are resolved?"""
    real = target.parent.resolve()
    return real == root or root in real.parents


def write_content(content: Path, files: dict[str, bytes]) -> WriteReport:
    """Bring `content/` to `files` (relative path → bytes) without overwriting hand edits."""
    report = WriteReport()
    content.mkdir(parents=True, exist_ok=True)
    root = content.resolve()
    report.stale_temps = [p.relative_to(content).as_posix() for p in remove_stale_temps(content)]
    state_path = content / STATE
    try:
        state: dict[str, str] = json.loads(state_path.read_text("utf-8"))
        if not isinstance(state, dict):
            state = {}
    except (FileNotFoundError, ValueError):
        state = {}
    new_state: dict[str, str] = {}
    touched: set[Path] = set()
    for rel in sorted(files):
        data = files[rel]
        target = content / rel
        if not _inside(target, root):
            report.refused.append(rel)
            continue
        if target.is_symlink() or (target.exists() and not target.is_file()):
            report.kept_edits.append(rel)
            continue
        if target.exists():
            current = target.read_bytes()
            if current == data:
                report.unchanged.append(rel)
                new_state[rel] = sha256(data)
                continue
            if state.get(rel) != sha256(current):
                report.kept_edits.append(rel)  # changed by hand, or not ours: keep
                if rel in state:
                    new_state[rel] = state[rel]
                continue
        atomic_write(target, data, sync_folder=False)
        touched.add(target.parent)
        new_state[rel] = sha256(data)
        report.written.append(rel)
    for rel, digest in sorted(state.items()):
        if rel in files or not isinstance(digest, str):
            continue
        target = content / rel
        if not _inside(target, root):
            report.refused.append(rel)
        elif target.is_file() and not target.is_symlink() and sha256(target.read_bytes()) == digest:
            target.unlink()
            touched.add(target.parent)
            report.removed.append(rel)
            _prune(target.parent, content)
        elif target.exists():
            report.kept_edits.append(rel)
            new_state[rel] = digest
    for folder in sorted(touched):
        fsync_folder(folder)
    state_bytes = (json.dumps(new_state, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    # Rewritten only when it changes: a re-run over unchanged seeds touches no file at all.
    if not (state_path.is_file() and state_path.read_bytes() == state_bytes):
        atomic_write(state_path, state_bytes)
    return report


def _prune(folder: Path, top: Path) -> None:
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
