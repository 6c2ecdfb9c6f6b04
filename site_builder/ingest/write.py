"""Write `content/` safely: atomic files, and an editor's hand corrections are never lost.

`content/.ingest-state.json` records the SHA-256 of every file the ingest wrote. On a re-run a
file whose bytes no longer match is an editor's correction: it is kept and reported. Every
file is written to a temporary name, fsynced and renamed, so a killed ingest leaves no
half-written article.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

STATE = ".ingest-state.json"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_content(content: Path, files: dict[str, bytes]) -> WriteReport:
    """Bring `content/` to `files` (relative path → bytes) without overwriting hand edits."""
    report = WriteReport()
    state_path = content / STATE
    try:
        state: dict[str, str] = json.loads(state_path.read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        state = {}
    new_state: dict[str, str] = {}
    for rel in sorted(files):
        data = files[rel]
        target = content / rel
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
        atomic_write(target, data)
        new_state[rel] = sha256(data)
        report.written.append(rel)
    for rel, digest in sorted(state.items()):
        if rel in files:
            continue
        target = content / rel
        if target.is_file() and not target.is_symlink() and sha256(target.read_bytes()) == digest:
            target.unlink()
            report.removed.append(rel)
            _prune(target.parent, content)
        elif target.exists():
            report.kept_edits.append(rel)
            new_state[rel] = digest
    atomic_write(state_path, (json.dumps(new_state, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode())
    return report


def _prune(folder: Path, top: Path) -> None:
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
