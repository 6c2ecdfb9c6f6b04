"""The pieces of a big output kept from one build to the next, so that an edit re-makes one.

`data/articles.jsonl` holds every article of the archive (46 MB at 10,000 articles, 460 MB
at 100,000) and changes with any article's text. Its pieces are the editions' lines. A
`PieceStore` (under `.<out>-cache/pieces/<name>/`) keeps the file the last build wrote (a
hard link: no copy, and no file of the site is ever changed in place) and, by key, where each
piece is in it. Rendering the output again copies every piece whose key is unchanged from it
and makes only the others: an edit of one article re-makes its edition's lines, not the
archive's (reading every article's body again).

A key must stand for everything the piece's bytes depend on but the code; the store is
void when the code changed. A store that does not match its file (a build killed while it
was being replaced) is void too: then every piece is made.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from site_builder.atomic import atomic_write
from site_builder.site.fingerprint import code_fingerprint

FORMAT = 1
DATA = "data"
INDEX = "index.json"


class PieceStore:
    """Pieces of one output kept from the build that last wrote it; see the module."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.kept: dict[str, tuple[int, int]] = {}  # key → (offset, length) in DATA
        self.pieces: list[tuple[str, int]] = []  # (key, length) of the file being made
        self.reused = 0
        self._fd: int | None = None
        try:
            index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
            fd = os.open(folder / DATA, os.O_RDONLY)
        except (OSError, ValueError):
            return
        stat = os.fstat(fd)
        if (not isinstance(index, dict) or index.get("format") != FORMAT or index.get("code") != code_fingerprint()
                or index.get("ino") != stat.st_ino or index.get("size") != stat.st_size):
            os.close(fd)
            return
        offset = 0
        for key, length in index.get("pieces", []):
            self.kept[key] = (offset, length)
            offset += length
        self._fd = fd

    def piece(self, key: str, make: Callable[[], str]) -> bytes:
        """The piece's bytes: from the kept file when its key is there, else `make()`."""
        found = self.kept.get(key)  # (empty unless the kept file was opened)
        if found is not None and self._fd is not None:
            data = os.pread(self._fd, found[1], found[0])
            self.reused += 1
        else:
            data = make().encode("utf-8")
        self.pieces.append((key, len(data)))
        return data

    def keep(self, written: Path) -> None:
        """Keep `written` (the file just made of this store's pieces, in order) for next time."""
        self.folder.mkdir(parents=True, exist_ok=True)
        new = self.folder / f"{DATA}.new"
        new.unlink(missing_ok=True)
        os.link(written, new)
        os.replace(new, self.folder / DATA)
        stat = (self.folder / DATA).stat()
        index = {"format": FORMAT, "code": code_fingerprint(), "ino": stat.st_ino, "size": stat.st_size,
                 "pieces": self.pieces}
        atomic_write(self.folder / INDEX, json.dumps(index, separators=(",", ":")).encode("utf-8"))

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> PieceStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
