"""What `serve` watches, through the OS's file events (`watchfiles`: inotify on Linux), and
which of the changes it is told about matter to the site.

Idle, nothing is read: no walk of the content folder, no mtime polled (at 100,000 articles
a walk a second cost most of a core). Watched: the content folder, the site's template
overrides and the theme folders, each with every folder under them; and the folders of the
settings file and of the overrides themselves, for those two names alone. (An editor that
saves by writing a new file and renaming it over the old one replaces the file: a watch on
the file itself would end there. The overrides folder can appear while serving.)

    with Watcher(lambda: watched_roots(...), Relevant(...)) as watcher:
        changed = watcher.next_batch()   # {Path('/site/content/2023/10/31/20231031-3f9a2c1e.md')}
"""

from __future__ import annotations

import os
import queue
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from watchfiles._rust_notify import RustNotify

# Editors' swap, backup and temporary files (vim `.x.md.swp`, `x.md~` and its `4913` probe,
# Emacs `#x.md#` and `.#x.md`, JetBrains `x.md___jb_tmp___`, Kate `x.md.kate-swp`, gedit
# `.goutputstream-…`, and temporary names ending `.tmp`): never content, never a rebuild.
_EDITOR_FILES = re.compile(r"^\.|~$|^#.*#$|\.sw[a-z]$|___jb_(tmp|old|bak)___$|\.kate-swp$|\.tmp$|^4913$")
# An editor's save (a temporary file, a rename) is one batch: yielded once nothing more
# happened for STEP ms (at most DEBOUNCE ms after the first change).
STEP_MS = 50
DEBOUNCE_MS = 1600


@dataclass(frozen=True)
class Roots:
    trees: tuple[Path, ...]  # watched with every folder under them
    folders: tuple[Path, ...]  # watched for the names directly in them


def watched_roots(content_dir: Path, themes: Iterable[Path], settings_file: Path | None) -> Roots:
    """The folders to watch now (absolute; those that exist: the overrides may come later)."""
    content = content_dir.resolve()
    trees = [content, *(theme.resolve() for theme in themes), overrides(content)]
    folders = [content.parent] + ([settings_file.resolve().parent] if settings_file is not None else [])
    return Roots(tuple(t for t in trees if t.is_dir()), tuple(dict.fromkeys(f for f in folders if f.is_dir())))


def overrides(content_dir: Path) -> Path:
    """The site's own templates (see `themes.template_dirs`)."""
    return content_dir.resolve().parent / "templates"


class Relevant:
    """Whether a change reported matters to the site: an article (`.md`, or a folder, in the
    content folder; names starting `.` or `_` are not read), a template or static file, the
    settings file. Editors' temporary files and the build's own output never do."""

    def __init__(self, content_dir: Path, themes: Iterable[Path], settings_file: Path | None, out_dir: Path) -> None:
        self.content = content_dir.resolve()
        self.templates = overrides(self.content)
        self.others = (*(theme.resolve() for theme in themes), self.templates)
        self.settings = settings_file.resolve() if settings_file is not None else None
        out = out_dir.resolve()
        # The site, its cache and lock, staging folders: only there if --out is inside a watched folder.
        self.produced = (str(out), str(out.parent / f".{out.name}"), str(out.parent / f".build-{out.name}"))

    def __call__(self, raw: str) -> bool:
        path = Path(raw)
        if path == self.settings or path == self.templates:
            return True
        if raw.startswith(self.produced) or _EDITOR_FILES.search(path.name):
            return False
        if path.is_relative_to(self.content):
            parts = path.relative_to(self.content).parts
            return not any(p.startswith((".", "_")) for p in parts) and (path.suffix == ".md" or not path.suffix)
        return any(path.is_relative_to(root) for root in self.others)


Batch = set[Path]


class Watcher:
    """The changes that matter, in batches: one thread per kind of watch (with and without
    the folders under it) feeds one queue; `next_batch` waits on it (a Ctrl-C still ends the
    wait). `roots` is asked again after every batch: a folder that appeared is watched."""

    def __init__(self, roots: Callable[[], Roots], relevant: Relevant) -> None:
        self.roots, self.relevant = roots, relevant
        self.batches: queue.Queue[Batch | None] = queue.Queue()
        self.current = Roots((), ())
        self.threads: list[tuple[threading.Event, threading.Thread]] = []

    def __enter__(self) -> Watcher:
        self.refresh()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop(self.threads)

    def refresh(self, *, again: bool = False) -> None:
        """Watch the roots as they are now; the watches they replace stop once the new ones
        run. `again`: even the same roots (one was made again: the old watch saw it go)."""
        roots = self.roots()
        if roots == self.current and not again and all(thread.is_alive() for _stop, thread in self.threads):
            return
        old, self.threads, self.current = self.threads, [], roots
        for paths, recursive in ((roots.trees, True), (roots.folders, False)):
            if paths:
                started = threading.Event()
                stop = threading.Event()
                thread = threading.Thread(target=self._watch, args=(paths, recursive, stop, started),
                                          name="serve-watch", daemon=True)
                thread.start()
                started.wait(10)
                self.threads.append((stop, thread))
        self._stop(old)

    def _watch(self, paths: tuple[Path, ...], recursive: bool, stop: threading.Event,
               started: threading.Event) -> None:
        # RustNotify is what `watchfiles.watch` runs; used itself because its watches are in
        # place once it is made (`watch` makes it at its first step): a change made after
        # `refresh` returns is never missed.
        polling = os.environ.get("WATCHFILES_FORCE_POLLING", "").lower() not in ("", "false", "disable", "disabled")
        try:
            notify = RustNotify([str(p) for p in paths], False, polling, 300, recursive, True)
        finally:
            started.set()  # (a root gone meanwhile: its error is printed, the next batch tries again)
        with notify:
            while True:
                changes = notify.watch(DEBOUNCE_MS, STEP_MS, 0, stop)
                if changes == "stop":
                    return
                if isinstance(changes, set):
                    batch = {Path(raw) for _change, raw in changes if self.relevant(raw)}
                    if batch:
                        self.batches.put(batch)

    def next_batch(self) -> Batch | None:
        """The paths changed since the last batch (every batch ready is taken: a build that
        took a while is followed by one build, not one a save); None once closed."""
        batch = self.batches.get()
        while batch is not None:
            try:
                more = self.batches.get_nowait()
            except queue.Empty:
                break
            if more is None:
                return None
            batch |= more
        if batch is not None:
            self.refresh(again=any(path in self.current.trees for path in batch))
        return batch

    def close(self) -> None:
        """`next_batch` returns None (from any thread)."""
        self.batches.put(None)

    @staticmethod
    def _stop(threads: list[tuple[threading.Event, threading.Thread]]) -> None:
        for stop, _thread in threads:
            stop.set()
        for _stop, thread in threads:
            thread.join(timeout=5)
