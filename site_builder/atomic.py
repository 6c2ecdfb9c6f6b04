"""Files that are either whole or absent: write to a temporary name, fsync, rename.

A process killed mid-write leaves at most a temporary file `.NAME.PID.XXXX.tmp` beside the
target, never a half-written target. The PID in the name lets a later run remove the
leftovers of dead processes without touching the temporary files of a live one.

>>> atomic_write(Path("content/2023/10/31/20231031-3f9a2c1e.md"), b"---\\n...")  # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_TEMP = re.compile(r"\..+\.(\d+)\.[^.]+\.tmp")


def atomic_write(path: Path, data: bytes, *, sync_folder: bool = True) -> None:
    """Replace `path` by `data` in one step; the folder is fsynced so the rename survives a
    power cut (a caller writing many files may pass `sync_folder=False` and sync each folder once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if sync_folder:
        fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where folders cannot be opened, as on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def pid_alive(pid: int) -> bool:
    """True if a process `pid` exists (it may be someone else's: then it is left alone)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temps(root: Path) -> list[Path]:
    """Delete the temporary files that killed writers left under `root`; the files removed."""
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        for name in files:
            match = _TEMP.fullmatch(name)
            if match and int(match[1]) != os.getpid() and not pid_alive(int(match[1])):
                path = Path(folder) / name
                path.unlink(missing_ok=True)
                removed.append(path)
    return sorted(removed)
