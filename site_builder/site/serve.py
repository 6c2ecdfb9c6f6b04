"""`serve`: build, serve the site on localhost, build again when content, a template, a
theme or the settings change; the pages served reload themselves after a rebuild and show
why a build failed, over the last good site, until it is fixed.

    $ python build.py serve --port 8000
    built 174 pages in 2.19s
    serving http://127.0.0.1:8000/index.html — Ctrl-C to stop

Changes come from the OS's file events (`watch.py`: nothing is polled while idle) and are
handed to the build (`build_site(changed=…)`). The pages get their script when they are
served (`livereload.py`): the output folder holds exactly what `build` writes.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import http.server
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from site_builder.config import SiteConfig
from site_builder.console import out, report_problems
from site_builder.models import Problem
from site_builder.site.livereload import Broadcast, LiveHandler, QuietLiveHandler
from site_builder.site.pipeline import BuildError, build_site
from site_builder.site.themes import theme_dirs
from site_builder.site.watch import Relevant, Watcher, watched_roots

# The settings read again: the settings (None while they have errors) and what was found.
Settings = Callable[[], tuple[SiteConfig | None, Sequence[Problem]]]
# A failure that is not a content error as `path:line: message` (a template's syntax, a
# file that cannot be read); None: a bug, raised.
Explain = Callable[[Exception], Problem | None]
_KEPT = "仍在显示上一次成功构建的网站。改正后保存，页面会自动刷新。"


class ServeError(Exception):
    """The server cannot start: `port 8000 is in use (…); choose another with --port`."""


@dataclass(frozen=True)
class Options:
    search: bool = True  # the search index too (a rebuild makes the changed articles' groups again)
    jobs: int | None = None
    full: bool = False  # the first build ignores the previous site
    quiet: bool = False  # no line per request


def serve(content_dir: Path, out_dir: Path, theme: str, port: int, config: SiteConfig | None = None,
          *, settings: Settings | None = None, settings_file: Path | None = None,
          options: Options = Options(), explain: Explain | None = None) -> None:
    """Build, serve on 127.0.0.1:`port`, build again on every change until Ctrl-C. `settings`
    reads the settings again when `settings_file` changes; while they have errors the
    previous site stays served. Raises ServeError when the port cannot be had."""
    with contextlib.suppress(KeyboardInterrupt), Preview(
            content_dir, out_dir, theme, port, config, settings=settings, settings_file=settings_file,
            options=options, explain=explain) as preview:
        out.print(f"serving {preview.root}index.html — Ctrl-C to stop", markup=False)
        preview.run()
    out.print("stopped", markup=False)


class Preview:
    """One `serve`: listening, watching, the site built once (on entering) and again for
    every batch of changes (`run`, until `stop`)."""

    def __init__(self, content_dir: Path, out_dir: Path, theme: str, port: int, config: SiteConfig | None,
                 *, settings: Settings | None = None, settings_file: Path | None = None,
                 options: Options = Options(), explain: Explain | None = None) -> None:
        self.content_dir, self.out_dir, self.theme, self.port = content_dir, out_dir, theme, port
        self.config, self.settings, self.options, self.explain = config, settings, options, explain
        self.settings_file = settings_file.resolve() if settings_file is not None else None
        self.broadcast = Broadcast()
        self.pending: set[Path] = set()  # changed since the last build that succeeded
        self.broken = False  # the settings, as last read, have errors
        self.root = ""
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> Preview:
        with contextlib.ExitStack() as stack:
            stack.callback(self.broadcast.close)  # (last out: the pages' event streams end first)
            handler = QuietLiveHandler if self.options.quiet else LiveHandler
            self.root = stack.enter_context(listening(self.out_dir, self.port, functools.partial(
                handler, broadcast=self.broadcast, directory=str(self.out_dir))))
            themes = theme_dirs(self.theme)
            # Watched before the first build: a file saved while it runs is built next.
            self.watcher = stack.enter_context(Watcher(
                lambda: watched_roots(self.content_dir, themes, self.settings_file),
                Relevant(self.content_dir, themes, self.settings_file, self.out_dir)))
            self.build(None)
            self._stack = stack.pop_all()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stack.close()

    def run(self) -> None:
        while (batch := self.watcher.next_batch()) is not None:
            self.changed(batch)

    def stop(self) -> None:
        """`run` returns (from any thread), once the build under way, if any, is done."""
        self.watcher.close()

    def changed(self, batch: Collection[Path]) -> None:
        self.pending |= set(batch)
        if self.settings is not None and self.settings_file in batch:
            config, problems = self.settings()
            report_problems(problems)
            self.broken = config is None
            self.config = config or self.config
            if config is None:
                errors = [str(p) for p in problems if p.severity == "error"]
                self.broadcast.failed(f"设置文件有错误（{len(errors)} 处）：{_KEPT}", errors)
        if self.broken:
            out.print("settings have errors; still serving the previous site", markup=False)
            return
        if self.build(frozenset(self.pending)):
            self.pending = set()

    def build(self, changed: Collection[Path] | None) -> bool:
        """Build (`changed`: the paths changed since the last build that succeeded, absolute,
        a folder among them for anything under it; None = find out); on failure say why, on
        the console and in the pages, and keep the site served."""
        try:
            report = build_site(self.content_dir, self.out_dir, self.theme, config=self.config,
                                jobs=self.options.jobs, full=changed is None and self.options.full,
                                changed=changed, search=self.options.search)
        except BuildError as exc:
            return self._failed(exc.problems)
        except Exception as exc:
            problem = self.explain(exc) if self.explain is not None else None
            if problem is None:
                raise
            return self._failed([problem])
        report_problems(report.warnings)
        self.broadcast.built(site_changed=not report.noop)
        out.print(f"built {report.total_pages} pages in {report.seconds:.2f}s", markup=False)
        return True

    def _failed(self, problems: Sequence[Problem]) -> bool:
        report_problems(problems)
        out.print(f"build failed: {len(problems)} problem(s); still serving the previous site", markup=False)
        self.broadcast.failed(f"构建失败（{len(problems)} 处错误）：{_KEPT}", [str(p) for p in problems])
        return False


@contextlib.contextmanager
def listening(folder: Path, port: int, handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve on 127.0.0.1 (`port`, or a free one) while inside; the root URL, ending in '/'.
    The handler serves from the folder's path, so a build swapped in is served at once."""
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} is in use (another serve?); stop it or choose another with --port") from None
        raise ServeError(f"cannot serve on port {port}: {exc.strerror or exc}") from None
    thread = threading.Thread(target=server.serve_forever, name="serve-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serving(folder: Path, port: int = 0, *, quiet: bool = True) -> contextlib.AbstractContextManager[str]:
    """The files of `folder` as they are, on 127.0.0.1 (`port`, or a free one) while inside:
    no live reload (tests, the benchmark). Quiet: no line per request."""
    kind = _QuietHandler if quiet else http.server.SimpleHTTPRequestHandler
    return listening(folder, port, functools.partial(kind, directory=str(folder)))
