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
import os
import stat
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.atomic import atomic_write, fsync_folder, remove_stale_temps

STATE = ".ingest-state.json"
PARALLEL_WRITES = 64  # fewer files are written one after the other
WRITE_THREADS = 16


@dataclass(frozen=True)
class FileStat:
    """What a file was when the ingest last saw it: same size and time, same bytes."""

    size: int
    mtime_ns: int
    digest: str


@dataclass(frozen=True)
class Kept:
    """A file the caller knows to be on disk with these bytes already (by its `FileStat`)."""

    digest: str


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # Not written: the path leads out of content/ through a symlinked folder.
    refused: list[str] = field(default_factory=list)
    stale_temps: list[str] = field(default_factory=list)
    # Every file of the run as it now is on disk (for the next run's quick check).
    stats: dict[str, FileStat] = field(default_factory=dict)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _inside(target: Path, root: Path, seen: dict[Path, bool] | None = None) -> bool:
    """Does `target` (which may not exist yet) stay inside `root` once symlinks are resolved?
    (`seen` remembers each folder's answer: the files of a day share their folder.)"""
    folder = target.parent
    if seen is not None and folder in seen:
        return seen[folder]
    real = folder.resolve()
    inside = real == root or root in real.parents
    if seen is not None:
        seen[folder] = inside
    return inside


def _load_state(path: Path) -> dict[str, tuple[str, ...]]:
    """rel → the digests the ingest wrote there; a list while a run is under way (see below)."""
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    state: dict[str, tuple[str, ...]] = {}
    for rel, value in raw.items():
        digests = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        state[rel] = tuple(d for d in digests if isinstance(d, str))
    return state


def _save_state(path: Path, state: dict[str, tuple[str, ...]]) -> None:
    plain = {rel: digests[0] if len(digests) == 1 else sorted(digests) for rel, digests in state.items() if digests}
    data = (json.dumps(plain, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    # Rewritten only when it changes: a re-run over unchanged seeds touches no file at all.
    if not (path.is_file() and path.read_bytes() == data):
        atomic_write(path, data)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _stat(path: Path, digest: str) -> FileStat:
    st = path.stat()
    return FileStat(st.st_size, st.st_mtime_ns, digest)


def write_content(content: Path, files: Mapping[str, bytes | Kept],
                  known: Mapping[str, FileStat] | None = None) -> WriteReport:
    """Bring `content/` to `files` (relative path → bytes, or `Kept` for a file the caller
    knows is there already) without overwriting hand edits. A file whose size and time are
    those in `known` is taken to hold the digest recorded there, without being read.

    Before it writes or deletes anything the run records, for each file it is about to
    write, the new digest beside the old one: if it is killed half-way, the next run still
    recognises both versions as its own and never mistakes its own write for an edit.
    """
    report = WriteReport()
    known = known or {}
    content.mkdir(parents=True, exist_ok=True)
    root = content.resolve()
    report.stale_temps = [p.relative_to(content).as_posix() for p in remove_stale_temps(content)]
    state_path = content / STATE
    state = _load_state(state_path)
    new_state: dict[str, tuple[str, ...]] = {}
    to_write: list[str] = []
    to_remove: list[str] = []
    folders: dict[Path, bool] = {}
    planned_digests: dict[str, str] = {}  # each planned file's, worked out once

    def current(rel: str, target: Path, st: os.stat_result) -> str:
        seen = known.get(rel)
        if seen is not None and (seen.size, seen.mtime_ns) == (st.st_size, st.st_mtime_ns):
            return seen.digest
        return sha256(target.read_bytes())

    for rel in sorted(files):
        target = content / rel
        planned = files[rel]
        digest = planned_digests[rel] = planned.digest if isinstance(planned, Kept) else sha256(planned)
        st = _lstat(target)  # one look at the file: an archive has hundreds of thousands
        if not _inside(target, root, folders):
            report.refused.append(rel)
        elif st is not None and not stat.S_ISREG(st.st_mode):
            report.kept_edits.append(rel)  # a symlink or a folder where the article goes: not ours
        elif st is None:
            to_write.append(rel)
        elif (now := current(rel, target, st)) == digest:
            report.unchanged.append(rel)
            new_state[rel] = (digest,)
            report.stats[rel] = FileStat(st.st_size, st.st_mtime_ns, digest)
        elif now in state.get(rel, ()):
            to_write.append(rel)
        else:
            report.kept_edits.append(rel)  # changed by hand, or not ours: keep
            new_state[rel] = state.get(rel, ())
            report.stats[rel] = FileStat(st.st_size, st.st_mtime_ns, now)
    for rel in to_write:
        if isinstance(files[rel], Kept):
            raise ValueError(f"{rel}: to be written, but no bytes were given")
    for rel, digests in sorted(state.items()):
        if rel in files:
            continue
        target = content / rel
        st = _lstat(target)
        if not _inside(target, root, folders):
            report.refused.append(rel)
        elif st is not None and stat.S_ISREG(st.st_mode) and current(rel, target, st) in digests:
            to_remove.append(rel)
        elif target.exists():
            report.kept_edits.append(rel)
            new_state[rel] = digests
    if to_write or to_remove:
        intent = dict(state)
        for rel in to_write:
            intent[rel] = (*state.get(rel, ()), planned_digests[rel])
        _save_state(state_path, intent)
    touched: set[Path] = set()
    _write_all(content, {rel: _bytes(files[rel]) for rel in to_write})
    for rel in to_write:
        target = content / rel
        touched.add(target.parent)
        new_state[rel] = (planned_digests[rel],)
        report.written.append(rel)
        report.stats[rel] = _stat(target, new_state[rel][0])
    for rel in to_remove:
        target = content / rel
        target.unlink()
        touched.add(target.parent)
        report.removed.append(rel)
        _prune(target.parent, content)
    for folder in sorted(touched):
        fsync_folder(folder)
    _save_state(state_path, new_state)
    return report


def _write_all(content: Path, files: dict[str, bytes]) -> None:
    """Each file written whole (temporary name, fsync, rename). Many at once go through a
    few threads: the file system then commits their fsyncs together (~10× faster)."""
    if len(files) < PARALLEL_WRITES:
        for rel, data in files.items():
            atomic_write(content / rel, data, sync_folder=False)
        return
    with ThreadPoolExecutor(WRITE_THREADS) as pool:
        for future in [pool.submit(atomic_write, content / rel, data, sync_folder=False) for rel, data in files.items()]:
            future.result()


def _bytes(planned: bytes | Kept) -> bytes:
    assert not isinstance(planned, Kept)
    return planned


def _prune(folder: Path, top: Path) -> None:
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
