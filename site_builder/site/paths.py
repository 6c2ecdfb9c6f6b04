"""Output paths that stay inside the site and name one file each, on every file system.

Every path the build writes is root-relative (`2023/10/31/20231031-3f9a2c1e.html`). A path
made from content (an id, a date, an author, a province) must not climb out of the site
(`../`), be absolute, hold `\\` or NUL, use a name Windows reserves (`CON`, `nul.txt`) or end
in a dot or space; and two sources must not claim one file, also where a case-insensitive
or normalising file system (macOS, Windows) would make two paths one.

>>> unsafe_reason("2023/10/31/20231031-3f9a2c1e.html") is None
True
>>> unsafe_reason("authors/../../etc/passwd")
"the path climbs out of its folder ('..')"
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_WINDOWS_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?", re.IGNORECASE)
_BAD_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\]')


def unsafe_reason(path: str) -> str | None:
    """Why `path` cannot be written inside the output folder, or None if it can."""
    if not path:
        return "the path is empty"
    if path.startswith("/"):
        return "the path is absolute"
    bad = _BAD_CHARS.search(path)
    if bad:
        return f"the path holds the character {bad.group()!r}"
    for part in path.split("/"):
        reason = _part_reason(part)
        if reason is not None:
            return reason
    return None


@lru_cache(maxsize=4096)
def _part_reason(part: str) -> str | None:
    """Why one folder or file name cannot be written (names repeat: years, months, days)."""
    if part in ("", "."):
        return "the path has an empty folder name"
    if part == "..":
        return "the path climbs out of its folder ('..')"
    if _WINDOWS_RESERVED.fullmatch(part):
        return f"'{part}' is a name Windows reserves"
    if part.endswith((".", " ")):
        return f"'{part}' ends in a dot or space"
    return None


def ensure_safe(root: Path, path: str) -> Path:
    """`root / path`, refusing an unsafe path (a bug or hostile content, never written)."""
    reason = unsafe_reason(path)
    if reason is not None:
        raise ValueError(f"refusing to write {path!r}: {reason}")
    return root / path


def inside(path: Path, root: Path) -> bool:
    """Whether `path` is `root` or below it (both resolved)."""
    return path == root or root in path.parents


def fold(path: str) -> str:
    """One key for paths a case-insensitive, normalising file system would store as one file."""
    return unicodedata.normalize("NFC", path).casefold()
