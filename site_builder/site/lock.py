"""One build of an output folder at a time: `with build_lock(Path("public")): build_site(...)`.

The lock is `fcntl.flock` on `<parent>/.<name>.lock`, taken without waiting: a second build
stops at once with `public: another build is running (pid 4242)` before writing anything.
The kernel drops the lock when its holder dies, even by SIGKILL, so a killed build never
blocks the next one; the lock file itself stays (deleting it would let two processes lock
two different files).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LockedError(Exception):
    """Another process holds the lock of the folder: `public: another build is running (pid 4242)`."""

    def __init__(self, folder: Path, pid: int | None, what: str = "build") -> None:
        self.folder = folder
        self.pid = pid
        super().__init__(f"{folder}: another {what} is running (pid {pid if pid else '?'})")


def lock_path(folder: Path) -> Path:
    return folder.parent / f".{folder.name}.lock"


def _holder(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


@contextmanager
def build_lock(folder: Path, what: str = "build") -> Iterator[Path]:
    """Hold the lock of `folder` for the duration of the block; raise LockedError if taken."""
    path = lock_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(folder, _holder(fd), what) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        try:
            yield path
        finally:
            # Cleared while still held: a later holder's pid is never erased by us.
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
