"""`serve`: build, serve the site on localhost, rebuild when content, a theme or the
settings change.

Polling mtimes once a second keeps this free of extra dependencies; it is a preview
server, not a production one.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from site_builder.config import SiteConfig
from site_builder.site.pipeline import BuildError, build_site
from site_builder.site.render import THEMES_ROOT

Settings = Callable[[], SiteConfig | None]  # the settings read again, or None (errors reported)


def serve(content_dir: Path, out_dir: Path, theme: str, port: int, config: SiteConfig | None = None,
          *, settings: Settings | None = None, settings_file: Path | None = None) -> None:
    """Build, serve, and build again on every change. `settings` reads the settings again
    when `settings_file` changes; while they have errors the previous site stays served."""
    _rebuild(content_dir, out_dir, theme, config)
    watched = [content_dir, THEMES_ROOT, content_dir.resolve().parent / "templates"]
    if settings_file is not None:
        watched.append(settings_file)
    with serving(out_dir, port, quiet=False) as root:
        print(f"serving {root}index.html — Ctrl-C to stop", flush=True)
        seen = _snapshot(watched)
        broken = False  # the settings file, as last read, has errors
        try:
            while True:
                time.sleep(1)
                now = _snapshot(watched)
                if now == seen:
                    continue
                if settings is not None and settings_file is not None and \
                        now.get(str(settings_file)) != seen.get(str(settings_file)):
                    reread = settings()
                    broken = reread is None
                    config = reread or config
                seen = now
                if broken:
                    print("settings have errors; still serving the previous site", flush=True)
                    continue
                _rebuild(content_dir, out_dir, theme, config)
        except KeyboardInterrupt:
            pass


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path, port: int = 0, *, quiet: bool = True) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (`port`, or a free one) while inside; its root URL,
    ending in '/'. The handler serves from the folder's path, so a build swapped in is
    served at once. Quiet: no line per request (tests, the benchmark)."""
    kind = _QuietHandler if quiet else http.server.SimpleHTTPRequestHandler
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(kind, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _rebuild(content_dir: Path, out_dir: Path, theme: str, config: SiteConfig | None) -> None:
    try:
        # Search too: a rebuild makes the files of the changed articles' search units again.
        report = build_site(content_dir, out_dir, theme, config=config)
    except BuildError as exc:
        # Keep serving the previous site; the editor fixes the file and saves again.
        for problem in exc.problems:
            print(problem, flush=True)
        print(f"build failed: {len(exc.problems)} problem(s); still serving the previous site")
        return
    print(f"built {report.total_pages} pages in {report.seconds:.2f}s", flush=True)


def _snapshot(paths: list[Path]) -> dict[str, int]:
    """Path → mtime of each file given and of every file under each folder given (a deleted
    or added file changes it too)."""
    stamps: dict[str, int] = {}
    for path in paths:
        for found in path.rglob("*") if path.is_dir() else [path]:
            try:
                stamps[str(found)] = found.stat().st_mtime_ns
            except OSError:
                continue
    return stamps
