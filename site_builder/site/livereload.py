"""Live reload for `serve`: pages served get a script that reloads them after a rebuild and
shows a failed build's messages over the page. Added at response time, never written.

    <head>…</head>  →  <head>…<script src="/__serve/livereload.js" data-version="9f2c01ab.3" defer></script></head>

The script comes from this origin (the pages' Content-Security-Policy allows `script-src
'self'`, no inline script) and listens to `/__serve/events` (Server-Sent Events, also
'self': `connect-src`). Each event is the state of the preview as JSON:
`{"version": "9f2c01ab.4", "headline": "…", "problems": ["content/…/x.md:3: unknown key 'titel'"]}`.
`version` names the site being served (a new one after every build that changed it);
`problems` are why the last build, or the settings, failed (none: the build succeeded). A
page whose version is not the current one, with no problems, reloads itself.
"""

from __future__ import annotations

import http.server
import io
import json
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

PREFIX = "/__serve/"  # (the site has no folder of that name: its paths are made in urls.py)
SCRIPT = f"{PREFIX}livereload.js"
EVENTS = f"{PREFIX}events"
_SCRIPT_FILE = Path(__file__).with_name("livereload.js")
# A browser that lost the stream reconnects after this long (ms); an idle stream gets a
# comment this often (s), so that a closed tab's connection is noticed and let go.
_RETRY_MS = 1000
_KEEPALIVE = 15.0


@dataclass(frozen=True)
class PreviewState:
    version: str
    headline: str = ""
    problems: tuple[str, ...] = ()

    def event(self) -> bytes:
        data = json.dumps({"version": self.version, "headline": self.headline, "problems": list(self.problems)},
                          ensure_ascii=False)
        return f"event: state\ndata: {data}\n\n".encode()


class Broadcast:
    """The preview's state, told to every page that listens. Thread-safe: the builds set it,
    the request threads wait for it to change."""

    def __init__(self) -> None:
        self._token = secrets.token_hex(4)  # a restarted server's versions are all new ones
        self._builds = 0
        self._serial = 0  # counts every change of state
        self._state = PreviewState(self._version())
        self._closed = False
        self._changed = threading.Condition()

    def _version(self) -> str:
        return f"{self._token}.{self._builds}"

    def current(self) -> PreviewState:
        with self._changed:
            return self._state

    def built(self, *, site_changed: bool = True) -> None:
        """A build succeeded: pages whose version is older reload, messages go."""
        with self._changed:
            self._builds += site_changed
            self._set(PreviewState(self._version()))

    def failed(self, headline: str, problems: list[str]) -> None:
        """A build (or the settings) failed: the site served is still the previous one."""
        with self._changed:
            self._set(PreviewState(self._state.version, headline, tuple(problems)))

    def _set(self, state: PreviewState) -> None:
        self._state = state
        self._serial += 1
        self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, PreviewState] | None:
        """The state once it is newer than serial `seen` (or after `timeout`, the same one);
        None once the preview has stopped."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._serial > seen, timeout)
            return None if self._closed else (self._serial, self._state)

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()


def script_tag(version: str) -> bytes:
    return f'<script src="{SCRIPT}" data-version="{version}" defer></script>'.encode()


def inject(page: bytes, version: str) -> bytes:
    """The page with the live-reload script, before `</head>` (or `</body>`, or at the end)."""
    lowered = page.lower()
    for closing in (b"</head>", b"</body>"):
        at = lowered.find(closing)
        if at >= 0:
            return page[:at] + script_tag(version) + page[at:]
    return page + script_tag(version)


class LiveHandler(http.server.SimpleHTTPRequestHandler):
    """The site's files, HTML pages with the script added; the script; the event stream.
    Made per request with `directory` and `broadcast` (functools.partial)."""

    def __init__(self, *args: object, broadcast: Broadcast, directory: str) -> None:
        self.broadcast = broadcast
        super().__init__(*args, directory=directory)  # type: ignore[arg-type]  # (socketserver's untyped triple)

    def do_GET(self) -> None:
        if urlsplit(self.path).path == EVENTS:
            self._stream()
        else:
            super().do_GET()

    def send_head(self) -> BinaryIO | None:
        route = urlsplit(self.path).path
        if route == SCRIPT:
            return self._send(_SCRIPT_FILE.read_bytes(), "text/javascript; charset=utf-8")
        version = self.broadcast.current().version  # read before the page: a page older than it reloads
        page = self._page(self.translate_path(self.path), route)
        if page is None:
            return super().send_head()
        try:
            body = page.read_bytes()
        except OSError:
            return super().send_head()
        return self._send(inject(body, version), self.guess_type(str(page)))

    @staticmethod
    def _page(path: str, route: str) -> Path | None:
        """The HTML file a request names (a folder's index.html), or None: served as it is."""
        found = Path(path)
        if found.is_dir():
            if not route.endswith("/"):
                return None  # (the parent class redirects to the folder's URL)
            found = found / "index.html"
        return found if found.suffix in (".html", ".htm") and found.is_file() else None

    def _send(self, body: bytes, kind: str) -> BinaryIO:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a reload shows the site as it is now
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # A missing page (the first build failed, or a page went) reloads once a build succeeds.
        tag = script_tag(self.broadcast.current().version).decode()
        self.error_message_format = http.server.BaseHTTPRequestHandler.error_message_format.replace("</body>", f"{tag}</body>")
        super().send_error(code, message, explain)

    def _stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            self.wfile.write(f"retry: {_RETRY_MS}\n\n".encode())
            while (news := self.broadcast.wait(seen, _KEEPALIVE)) is not None:
                serial, state = news
                self.wfile.write(state.event() if serial != seen else b": idle\n\n")
                seen = serial
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away

    def log_message(self, format: str, *args: object) -> None:
        if not getattr(self, "path", "").startswith(PREFIX):  # the preview's own requests are no news
            super().log_message(format, *args)


class QuietLiveHandler(LiveHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass
