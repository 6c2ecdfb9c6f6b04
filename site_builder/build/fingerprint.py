"""Digests that decide what an incremental build must redo.

- `code_fingerprint()`: the builder's own source; a new version of the code rebuilds everything.
- `TemplateFingerprints`: per template, a digest of it and of every template it extends,
  includes or imports, as found in the search path; a changed `article.html` re-renders the
  article pages and nothing else, a changed `base.html` every page.
- `input_signature(...)`: sizes and mtimes of every input file: when it equals the last
  build's, nothing can have changed and the build stops before reading anything.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import jinja2
import jinja2.meta

PACKAGE = Path(__file__).resolve().parents[1]


@cache
def code_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


class TemplateFingerprints:
    """Digest of a template together with everything it pulls in, computed once per name."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self._own: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._closure: dict[str, str] = {}

    def _source(self, name: str) -> tuple[str, tuple[str, ...]]:
        if name not in self._own:
            source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            refs = jinja2.meta.find_referenced_templates(self.env.parse(source))
            # A dynamic reference (None) cannot be followed: depend on every template then.
            names = tuple(sorted({r if r is not None else "*" for r in refs}))
            text = f"{filename}\0{source}"
            self._own[name] = (hashlib.sha256(text.encode("utf-8")).hexdigest(), names)
        return self._own[name]

    def of(self, names: Iterable[str]) -> str:
        names = tuple(sorted(set(names)))
        key = "\0".join(names)
        if key not in self._closure:
            seen: dict[str, str] = {}
            todo = list(names)
            while todo:
                name = todo.pop()
                if name in seen:
                    continue
                if name == "*":
                    todo.extend(self.env.list_templates())
                    seen[name] = "*"
                    continue
                digest, refs = self._source(name)
                seen[name] = digest
                todo.extend(refs)
            text = "\0".join(f"{n}={d}" for n, d in sorted(seen.items()))
            self._closure[key] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        return self._closure[key]


def input_signature(files: Iterable[Path], folders: Iterable[Path]) -> str:
    """Digest of (path, size, mtime) of `files` and of every file under `folders`."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for path in files:
        _add_stat(digest, str(path))
    for folder in folders:
        for entry in sorted(_walk(str(folder))):
            _add_stat(digest, entry)
    return digest.hexdigest()[:32]


def _add_stat(digest: hashlib._Hash, path: str) -> None:
    try:
        st = os.stat(path)
    except OSError:
        digest.update(f"{path}\0-\n".encode())
        return
    digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())


def _walk(folder: str) -> Iterable[str]:
    """Every file under `folder` (os.scandir: no Path objects for 100,000 files)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path)
        else:
            yield entry.path
